//! The sampler: a tree-structured Parzen estimator (TPE). The trials seen so
//! far are split into the best few ("good") and the rest; each side gets a
//! density per coordinate (a mixture of truncated normals around its points
//! for a range, smoothed counts for a choice); candidates are drawn from the
//! good density and the one where good/rest is largest is proposed.

use super::space::{Point, Space};
use super::stats::normal_cdf;
use rand::Rng;

/// A trial as the sampler sees it: where, and how bad (lower is better).
#[derive(Debug, Clone)]
pub struct Observation {
    pub point: Point,
    pub loss: f64,
}

/// Candidates drawn from the good density per proposal.
const CANDIDATES: usize = 24;

/// The next point to try, not one of `seen` when that can be helped.
pub fn propose(space: &Space, seen: &[Observation], rng: &mut impl Rng) -> Point {
    let dims = space.dims();
    if seen.len() < 2 || dims == 0 {
        return space.spread(1, rng).remove(0);
    }
    let mut sorted: Vec<&Observation> = seen.iter().collect();
    sorted.sort_by(|a, b| a.loss.total_cmp(&b.loss));
    let n_good = ((0.25 * seen.len() as f64).ceil() as usize).clamp(1, 25);
    let (good, bad) = sorted.split_at(n_good);
    let models: Vec<(Density, Density)> = (0..dims)
        .map(|i| {
            let column = |group: &[&Observation]| group.iter().map(|o| o.point[i]).collect();
            (
                Density::fit(space.choices(i), column(good)),
                Density::fit(space.choices(i), column(bad)),
            )
        })
        .collect();
    let mut best: Option<(f64, Point)> = None;
    for _ in 0..CANDIDATES {
        let raw: Point = models.iter().map(|(l, _)| l.sample(rng)).collect();
        let point = space.snap(&raw);
        let score: f64 = models
            .iter()
            .zip(&point)
            .map(|((l, g), &x)| l.log_pdf(x) - g.log_pdf(x))
            .sum();
        let fresh = !seen.iter().any(|o| o.point == point);
        // A point already tried is only taken when nothing new was drawn.
        let score = if fresh { score } else { score - 1e6 };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, point));
        }
    }
    best.expect("at least one candidate").1
}

/// One coordinate's density.
enum Density {
    /// Normals truncated to [0, 1], around each point and a wide prior at 0.5.
    Range { centres: Vec<f64>, sigma: Vec<f64> },
    /// Probabilities of the choices.
    Choice(Vec<f64>),
}

impl Density {
    fn fit(choices: Option<usize>, xs: Vec<f64>) -> Density {
        if let Some(k) = choices {
            let mut weights = vec![1.0; k];
            for x in xs {
                let i = (x.round().max(0.0) as usize).min(k - 1);
                weights[i] += 1.0;
            }
            let total: f64 = weights.iter().sum();
            return Density::Choice(weights.into_iter().map(|w| w / total).collect());
        }
        let n = xs.len() as f64;
        // Each point's width: the distance to its farther neighbour among the
        // sorted points (with 0 and 1 as ends), clipped so that a few points
        // do not collapse the density, nor many points flatten it.
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let floor = 1.0 / (n + 1.0).min(100.0) / 4.0;
        let mut centres = Vec::new();
        let mut sigma = Vec::new();
        for (j, &x) in sorted.iter().enumerate() {
            let left = if j == 0 { 0.0 } else { sorted[j - 1] };
            let right = if j + 1 == sorted.len() {
                1.0
            } else {
                sorted[j + 1]
            };
            centres.push(x);
            sigma.push((x - left).max(right - x).clamp(floor, 1.0));
        }
        centres.push(0.5);
        sigma.push(1.0);
        Density::Range { centres, sigma }
    }

    fn sample(&self, rng: &mut impl Rng) -> f64 {
        match self {
            Density::Choice(p) => {
                let mut u: f64 = rng.random();
                for (i, &pi) in p.iter().enumerate() {
                    if u < pi {
                        return i as f64;
                    }
                    u -= pi;
                }
                (p.len() - 1) as f64
            }
            Density::Range { centres, sigma } => {
                let k = rng.random_range(0..centres.len());
                for _ in 0..100 {
                    let x = centres[k] + sigma[k] * standard_normal(rng);
                    if (0.0..=1.0).contains(&x) {
                        return x;
                    }
                }
                rng.random()
            }
        }
    }

    fn log_pdf(&self, x: f64) -> f64 {
        match self {
            Density::Choice(p) => p[(x.round().max(0.0) as usize).min(p.len() - 1)].ln(),
            Density::Range { centres, sigma } => {
                let mut total = 0.0;
                for (&c, &s) in centres.iter().zip(sigma) {
                    let mass = normal_cdf((1.0 - c) / s) - normal_cdf(-c / s);
                    let z = (x - c) / s;
                    total += (-0.5 * z * z).exp()
                        / (s * (2.0 * std::f64::consts::PI).sqrt())
                        / mass.max(1e-12);
                }
                (total / centres.len() as f64).max(1e-300).ln()
            }
        }
    }
}

/// A standard normal draw (Box-Muller).
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tune::params::find;
    use rand::SeedableRng;

    /// A noisy bowl with its minimum at X = 0.7 (of 0..1), Y = 30 (of log
    /// 1..1000, coordinate 0.492) and MODE = 2.
    fn loss(space: &Space, p: &[f64], rng: &mut impl Rng) -> f64 {
        let v = space.values(p);
        let x: f64 = v[0].1.parse().unwrap();
        let y: f64 = v[1].1.parse().unwrap();
        let mode_penalty = if v[2].1 == "2" { 0.0 } else { 0.3 };
        (x - 0.7).powi(2)
            + (y.log10() - 30f64.log10()).powi(2) / 9.0
            + mode_penalty
            + 0.01 * standard_normal(rng)
    }

    #[test]
    fn it_finds_the_optimum_of_a_noisy_function() {
        let src = "const X: f64 = 0.1; // ale:param 0..1\nconst Y: f64 = 900.0; // ale:param log 1..1000\nconst MODE: u8 = 0; // ale:param {0, 1, 2}\n";
        let space = Space::new(find(src).unwrap());
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let mut seen = Vec::new();
        let start = space.current();
        let start_loss = loss(&space, &start, &mut rng);
        seen.push(Observation {
            point: start,
            loss: start_loss,
        });
        for p in space.spread(5, &mut rng) {
            let l = loss(&space, &p, &mut rng);
            seen.push(Observation { point: p, loss: l });
        }
        for _ in 0..50 {
            let p = propose(&space, &seen, &mut rng);
            let l = loss(&space, &p, &mut rng);
            seen.push(Observation { point: p, loss: l });
        }
        let best = seen
            .iter()
            .min_by(|a, b| a.loss.total_cmp(&b.loss))
            .unwrap();
        let v = space.values(&best.point);
        assert_eq!(v[2].1, "2", "{v:?}");
        let x: f64 = v[0].1.parse().unwrap();
        let y: f64 = v[1].1.parse().unwrap();
        assert!((x - 0.7).abs() < 0.1, "{v:?}");
        assert!((10.0..90.0).contains(&y), "{v:?}");
        assert!(best.loss < 0.03, "{}", best.loss);
        // Better than random search with the same number of trials and seed.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let random_best = space
            .spread(56, &mut rng)
            .iter()
            .map(|p| loss(&space, p, &mut rng))
            .fold(f64::INFINITY, f64::min);
        assert!(
            best.loss < random_best,
            "{} vs random {}",
            best.loss,
            random_best
        );
    }
}
