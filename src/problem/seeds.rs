//! Half-open seed ranges written `A..B`.

use std::fmt;
use std::str::FromStr;

/// Seeds `start..end`, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedRange {
    pub start: u64,
    pub end: u64,
}

impl SeedRange {
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    pub fn overlaps(&self, other: &SeedRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn iter(&self) -> std::ops::Range<u64> {
        self.start..self.end
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Written as its text, `A..B`.
impl serde::Serialize for SeedRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for SeedRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not a seed range; write A..B with A < B (B excluded), e.g. 0..100")
        };
        let (a, b) = s.trim().split_once("..").ok_or_else(bad)?;
        let start: u64 = a.trim().parse().map_err(|_| bad())?;
        let end: u64 = b.trim().parse().map_err(|_| bad())?;
        if start >= end {
            return Err(bad());
        }
        Ok(SeedRange { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_half_open_ranges() {
        assert_eq!("0..10".parse(), Ok(SeedRange { start: 0, end: 10 }));
        assert_eq!(
            "3..4"
                .parse::<SeedRange>()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            vec![3]
        );
        assert!("5..5".parse::<SeedRange>().is_err());
        assert!("a..3".parse::<SeedRange>().is_err());
        assert!("10".parse::<SeedRange>().is_err());
        assert!(SeedRange { start: 0, end: 10 }.overlaps(&SeedRange { start: 9, end: 12 }));
        assert!(!SeedRange { start: 0, end: 10 }.overlaps(&SeedRange { start: 10, end: 12 }));
    }
}
