//! Tuning: the constants a solution exposes (`// ale:param` annotations), how
//! to read them and how to write a candidate with other values.

pub mod params;
