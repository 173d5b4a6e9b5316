//! Sets of seeds: a half-open range written `A..B`, or a list written
//! `a,b,c` (a contest's seeds need not follow one another).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Seeds `start..end` (end excluded), or a list in its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeds {
    Range { start: u64, end: u64 },
    List(Arc<[u64]>),
}

impl Seeds {
    /// Seeds `start..end`, end excluded.
    pub fn range(start: u64, end: u64) -> Seeds {
        Seeds::Range { start, end }
    }

    /// These seeds in this order (a list of consecutive seeds is a range).
    pub fn list(seeds: Vec<u64>) -> Seeds {
        let consecutive = seeds.windows(2).all(|w| w[0].checked_add(1) == Some(w[1]));
        let end = seeds
            .first()
            .and_then(|&first| first.checked_add(seeds.len() as u64));
        match (consecutive, seeds.first(), end) {
            (true, Some(&first), Some(end)) => Seeds::range(first, end),
            _ => Seeds::List(seeds.into()),
        }
    }

    pub fn len(&self) -> u64 {
        match self {
            Seeds::Range { start, end } => end - start,
            Seeds::List(l) => l.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, seed: u64) -> bool {
        match self {
            Seeds::Range { start, end } => (*start..*end).contains(&seed),
            Seeds::List(l) => l.contains(&seed),
        }
    }

    /// Whether a seed is in both.
    pub fn overlaps(&self, other: &Seeds) -> bool {
        match (self, other) {
            (Seeds::Range { start: a, end: b }, Seeds::Range { start: c, end: d }) => {
                a < d && c < b
            }
            (Seeds::List(l), s) | (s, Seeds::List(l)) => l.iter().any(|&x| s.contains(x)),
        }
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = u64> + '_> {
        match self {
            Seeds::Range { start, end } => Box::new(*start..*end),
            Seeds::List(l) => Box::new(l.iter().copied()),
        }
    }

    /// The first seeds but the last `k`, and the last `k`.
    pub fn split_last(&self, k: u64) -> (Seeds, Seeds) {
        let k = k.min(self.len());
        match self {
            Seeds::Range { start, end } => {
                (Seeds::range(*start, end - k), Seeds::range(end - k, *end))
            }
            Seeds::List(l) => {
                let cut = l.len() - k as usize;
                (
                    Seeds::list(l[..cut].to_vec()),
                    Seeds::list(l[cut..].to_vec()),
                )
            }
        }
    }
}

impl fmt::Display for Seeds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seeds::Range { start, end } => write!(f, "{start}..{end}"),
            Seeds::List(l) => {
                let text: Vec<String> = l.iter().map(u64::to_string).collect();
                f.write_str(&text.join(","))
            }
        }
    }
}

/// Written as its text, `A..B` or `a,b,c`.
impl serde::Serialize for Seeds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Seeds {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{s}` is not a set of seeds; write A..B with A < B (B excluded), e.g. 0..100, or a list such as 3,17,42")
        };
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let start: u64 = a.trim().parse().map_err(|_| bad())?;
            let end: u64 = b.trim().parse().map_err(|_| bad())?;
            if start >= end {
                return Err(bad());
            }
            return Ok(Seeds::range(start, end));
        }
        let list: Vec<u64> = s
            .split(',')
            .map(|x| x.trim().parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        Seeds::from_list(list).map_err(|e| format!("`{s}`: {e}"))
    }
}

impl Seeds {
    /// A list given by the user: not empty, no seed twice.
    pub fn from_list(list: Vec<u64>) -> Result<Seeds, String> {
        if list.is_empty() {
            return Err("no seeds".into());
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = list.iter().find(|s| !seen.insert(**s)) {
            return Err(format!("seed {twice} is listed twice"));
        }
        Ok(Seeds::list(list))
    }
}

#[cfg(test)]
mod tests {
    use super::Seeds;

    #[test]
    fn parses_half_open_ranges() {
        assert_eq!("0..10".parse(), Ok(Seeds::range(0, 10)));
        assert_eq!(" 5 .. 7 ".parse::<Seeds>().unwrap().len(), 2);
        assert!("10..10".parse::<Seeds>().is_err());
        assert!("a..b".parse::<Seeds>().is_err());
        assert!("7".parse::<Seeds>().is_ok());
        assert!(Seeds::range(0, 10).overlaps(&Seeds::range(9, 20)));
        assert!(!Seeds::range(0, 10).overlaps(&Seeds::range(10, 20)));
    }

    #[test]
    fn a_list_keeps_its_order_and_consecutive_seeds_are_a_range() {
        let l: Seeds = "42, 3,17".parse().unwrap();
        assert_eq!(l.iter().collect::<Vec<_>>(), vec![42, 3, 17]);
        assert_eq!(l.to_string(), "42,3,17");
        assert_eq!(l.len(), 3);
        assert!(l.overlaps(&Seeds::range(10, 20)) && Seeds::range(10, 20).overlaps(&l));
        assert!(!l.overlaps(&Seeds::range(4, 17)));
        assert_eq!("4,5,6".parse(), Ok(Seeds::range(4, 7)));
        // The largest seed is a list of one, not a range past the end.
        let top = Seeds::list(vec![u64::MAX]);
        assert_eq!((top.len(), top.contains(u64::MAX)), (1, true));
        assert_eq!(Seeds::list(vec![u64::MAX - 1, u64::MAX]).len(), 2);
        assert!("1,2,1".parse::<Seeds>().unwrap_err().contains("twice"));
        let (tune, hold) = l.split_last(1);
        assert_eq!(
            (tune.to_string(), hold.to_string()),
            ("42,3".into(), "17..18".into())
        );
        let (tune, hold) = Seeds::range(0, 100).split_last(25);
        assert_eq!((tune, hold), (Seeds::range(0, 75), Seeds::range(75, 100)));
    }
}
