//! The search space of a solution's parameters. Every parameter is one
//! coordinate: a number in [0, 1] for a range (after the log for `log`
//! ranges), a choice's index for a choice.

use super::params::{Domain, Param};
use rand::Rng;

/// A point: one coordinate per parameter.
pub type Point = Vec<f64>;

#[derive(Debug, Clone)]
pub struct Space {
    pub params: Vec<Param>,
}

impl Space {
    pub fn new(params: Vec<Param>) -> Space {
        Space { params }
    }

    pub fn dims(&self) -> usize {
        self.params.len()
    }

    /// The number of choices of dimension `i`, or None for a range.
    pub fn choices(&self, i: usize) -> Option<usize> {
        match &self.params[i].domain {
            Domain::Choice(c) => Some(c.len()),
            _ => None,
        }
    }

    /// The point of the literals written in the source now.
    pub fn current(&self) -> Point {
        self.params
            .iter()
            .map(|p| encode(&p.domain, &p.value))
            .collect()
    }

    /// The literals of `point`, by parameter name.
    pub fn values(&self, point: &[f64]) -> Vec<(String, String)> {
        self.params
            .iter()
            .zip(point)
            .map(|(p, &x)| (p.name.clone(), decode(&p.domain, x)))
            .collect()
    }

    /// `point` snapped to what the source can hold (integers rounded, a
    /// choice's index made whole), so that equal candidates compare equal.
    pub fn snap(&self, point: &[f64]) -> Point {
        self.params
            .iter()
            .zip(point)
            .map(|(p, &x)| encode(&p.domain, &decode(&p.domain, x)))
            .collect()
    }

    /// `n` points spread over the space (a Latin hypercube: each range cut
    /// into `n` strata, each stratum used once).
    pub fn spread(&self, n: usize, rng: &mut impl Rng) -> Vec<Point> {
        let mut columns: Vec<Vec<f64>> = Vec::new();
        for i in 0..self.dims() {
            let mut strata: Vec<usize> = (0..n).collect();
            for k in (1..n).rev() {
                strata.swap(k, rng.random_range(0..=k));
            }
            columns.push(
                strata
                    .into_iter()
                    .map(|s| match self.choices(i) {
                        Some(k) => ((s * k) / n.max(1)) as f64,
                        None => (s as f64 + rng.random::<f64>()) / n as f64,
                    })
                    .collect(),
            );
        }
        (0..n)
            .map(|j| self.snap(&columns.iter().map(|c| c[j]).collect::<Vec<_>>()))
            .collect()
    }
}

fn unit(lo: f64, hi: f64, log: bool, v: f64) -> f64 {
    let (lo, hi, v) = if log {
        (lo.ln(), hi.ln(), v.max(f64::MIN_POSITIVE).ln())
    } else {
        (lo, hi, v)
    };
    if hi <= lo {
        0.5
    } else {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    }
}

fn from_unit(lo: f64, hi: f64, log: bool, u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    if log {
        (lo.ln() + u * (hi.ln() - lo.ln())).exp().clamp(lo, hi)
    } else {
        (lo + u * (hi - lo)).clamp(lo, hi)
    }
}

/// The coordinate of a literal.
pub fn encode(domain: &Domain, literal: &str) -> f64 {
    match domain {
        Domain::Int { lo, hi, log } => {
            let v = literal.parse::<f64>().unwrap_or(*lo as f64);
            unit(*lo as f64, *hi as f64, *log, v)
        }
        Domain::Float { lo, hi, log } => {
            let v = literal.parse::<f64>().unwrap_or(*lo);
            unit(*lo, *hi, *log, v)
        }
        Domain::Choice(c) => c.iter().position(|x| x == literal).unwrap_or(0) as f64,
    }
}

/// The literal of a coordinate: integers rounded, floats to 4 significant digits.
pub fn decode(domain: &Domain, x: f64) -> String {
    match domain {
        Domain::Int { lo, hi, log } => {
            let v = from_unit(*lo as f64, *hi as f64, *log, x).round() as i64;
            v.clamp(*lo, *hi).to_string()
        }
        Domain::Float { lo, hi, log } => {
            let v = from_unit(*lo, *hi, *log, x);
            let rounded = significant(v, 4).clamp(*lo, *hi);
            format!("{rounded:?}")
        }
        Domain::Choice(c) => c[(x.round().max(0.0) as usize).min(c.len() - 1)].clone(),
    }
}

fn significant(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tune::params::find;
    use rand::SeedableRng;

    const SRC: &str = "const T0: f64 = 2000.0; // ale:param log 10..100000\nconst K: u32 = 3; // ale:param 0..10\nconst M: usize = 1; // ale:param {0, 1, 2}\n";

    #[test]
    fn literals_round_trip_through_coordinates() {
        let space = Space::new(find(SRC).unwrap());
        let p = space.current();
        // log10(2000) = 3.301 of the way 1..5: (3.301 - 1) / 4.
        assert!((p[0] - (2000f64.log10() - 1.0) / 4.0).abs() < 1e-9);
        assert!((p[1] - 0.3).abs() < 1e-12);
        assert_eq!(p[2], 1.0);
        let values = space.values(&p);
        assert_eq!(values[0], ("T0".into(), "2000.0".into()));
        assert_eq!(values[1], ("K".into(), "3".into()));
        assert_eq!(values[2], ("M".into(), "1".into()));
        assert_eq!(space.values(&[1.0, 1.0, 2.0])[0].1, "100000.0");
        assert_eq!(space.values(&[0.5, 0.04, 0.0])[0].1, "1000.0");
        assert_eq!(space.values(&[0.5, 0.04, 0.0])[1].1, "0");
    }

    #[test]
    fn a_latin_hypercube_uses_every_stratum_once() {
        let space = Space::new(find(SRC).unwrap());
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let points = space.spread(5, &mut rng);
        let mut strata: Vec<usize> = points.iter().map(|p| (p[0] * 5.0) as usize).collect();
        strata.sort();
        assert_eq!(strata, [0, 1, 2, 3, 4]);
    }
}
