//! The racing rule the tuner and the search share, and the paired test it
//! rests on: Wilcoxon's signed-rank test, one-sided.

/// The significance a race stops at unless told otherwise.
pub const RACING_ALPHA: f64 = 0.05;

/// Pairs a race needs before it may stop anyone: with fewer, no outcome of
/// the test is below 0.05 anyway (1/32 needs five).
pub const RACING_MIN_PAIRS: usize = 5;

/// The racing rule: a contender whose per-seed differences against the
/// leader are `d` (positive: the contender did better) stops when there are
/// enough of them and the test says it is worse at level `alpha`.
pub fn raced_out(d: &[f64], alpha: f64) -> bool {
    race_p(d).is_some_and(|p| p < alpha)
}

/// The p-value the racing rule weighs for differences `d`: None while there
/// are too few of them to test.
pub fn race_p(d: &[f64]) -> Option<f64> {
    (d.len() >= RACING_MIN_PAIRS).then(|| wilcoxon_less(d))
}

/// P-value of "the differences `d` are centred below zero" (the first of each
/// pair is worse), by Wilcoxon's signed-rank test. Zero differences are dropped;
/// tied magnitudes share their mean rank. Exact for up to 25 non-zero pairs,
/// the normal approximation (with tie correction) beyond. 1.0 without data.
pub fn wilcoxon_less(d: &[f64]) -> f64 {
    let mut nz: Vec<f64> = d
        .iter()
        .copied()
        .filter(|x| *x != 0.0 && x.is_finite())
        .collect();
    let n = nz.len();
    if n == 0 {
        return 1.0;
    }
    nz.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    // Ranks doubled, so that mean ranks of ties stay integers.
    let mut ranks2 = vec![0u64; n];
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && nz[j + 1].abs() == nz[i].abs() {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        let mean2 = (i + 1 + j + 1) as u64; // 2 x mean of ranks i+1..=j+1
        for r in &mut ranks2[i..=j] {
            *r = mean2;
        }
        i = j + 1;
    }
    // W+ (doubled): the sum of the ranks of positive differences. Small W+
    // means the differences are mostly negative.
    let w2: u64 = nz
        .iter()
        .zip(&ranks2)
        .filter(|(x, _)| **x > 0.0)
        .map(|(_, r)| r)
        .sum();
    if n <= 25 {
        // Exact: every sign pattern equally likely; count those with W+ <= w.
        let total: u64 = ranks2.iter().sum();
        let mut ways = vec![0f64; total as usize + 1];
        ways[0] = 1.0;
        for &r in &ranks2 {
            for s in (r as usize..=total as usize).rev() {
                ways[s] += ways[s - r as usize];
            }
        }
        let hits: f64 = ways[..=w2 as usize].iter().sum();
        return (hits / 2f64.powi(n as i32)).min(1.0);
    }
    let nf = n as f64;
    let mean = nf * (nf + 1.0) / 4.0;
    let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0;
    if var <= 0.0 {
        return 1.0;
    }
    let z = (w2 as f64 / 2.0 - mean + 0.5) / var.sqrt();
    normal_cdf(z)
}

/// The standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * (1.0 + erf(z / std::f64::consts::SQRT_2))
}

/// The error function (Abramowitz and Stegun 7.1.26; absolute error under 1.5e-7).
pub fn erf(x: f64) -> f64 {
    let sign = if x < 0.0 { -1.0 } else { 1.0 };
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    sign * (1.0 - poly * (-x * x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_p_values_by_hand() {
        // Five pairs all worse: only one of the 2^5 sign patterns is as extreme.
        assert!((wilcoxon_less(&[-1.0, -2.0, -3.0, -4.0, -5.0]) - 1.0 / 32.0).abs() < 1e-12);
        // Ranks 1..4, the smallest positive: W+ = 1; patterns with W+ <= 1 are
        // {} and {1}: 2/16.
        assert!((wilcoxon_less(&[0.1, -0.2, -0.3, -0.4]) - 2.0 / 16.0).abs() < 1e-12);
        // All better: every pattern has W+ <= 15.
        assert_eq!(wilcoxon_less(&[1.0, 2.0, 3.0, 4.0, 5.0]), 1.0);
        // Zeros dropped; ties share ranks: |d| = 1,1 -> ranks 1.5, 1.5; W+ = 1.5
        // (doubled 3); patterns: {}, {a}, {b} have W+ <= 1.5: 3/4.
        assert!((wilcoxon_less(&[0.0, 1.0, -1.0]) - 0.75).abs() < 1e-12);
        assert_eq!(wilcoxon_less(&[]), 1.0);
        // Five losses in a row stop a contender; four do not, nor do five
        // mixed results.
        assert!(raced_out(&[-0.1; 5], RACING_ALPHA));
        assert!(!raced_out(&[-0.1; 4], RACING_ALPHA));
        assert!(!raced_out(&[-0.1, 0.2, -0.1, 0.3, -0.2], RACING_ALPHA));
    }

    #[test]
    fn the_normal_approximation_agrees_with_the_exact_count() {
        // 30 pairs, all negative but one small positive: far in the tail.
        let mut d: Vec<f64> = (1..=30).map(|i| -(i as f64)).collect();
        d[0] = 1.0;
        let p = wilcoxon_less(&d);
        assert!(p < 1e-5, "{p}");
        // Symmetric data: about one half.
        let d: Vec<f64> = (1..=40)
            .map(|i| if i % 2 == 0 { i as f64 } else { -(i as f64) })
            .collect();
        let p = wilcoxon_less(&d);
        assert!((p - 0.5).abs() < 0.1, "{p}");
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    }
}
