//! Tuning: the constants a solution exposes (`// ale:param` annotations), how
//! to read them and how to write a candidate with other values; the search
//! space, the sampler, the racing rule (shared with the search) and the
//! tuner that races trials under a budget.

pub mod params;
pub mod space;
pub mod stats;
pub mod tpe;
pub mod tuner;

pub use tuner::{tune, Change, Holdout, TuneEvent, TuneOptions, TuneReport};
