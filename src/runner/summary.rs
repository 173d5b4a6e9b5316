//! Aggregating case results: pure functions, so they are easy to check by hand.

use super::CaseResult;
use crate::judge::Verdict;
use crate::store::Summary;

/// The summary of a run. Scores are averaged over accepted cases; the relative
/// score over all cases (a case that is not `AC` counts 0); log10 uses max(score, 1).
pub fn summarize(results: &[CaseResult]) -> Summary {
    let accepted: Vec<i64> = results
        .iter()
        .filter(|r| r.verdict == Verdict::AC)
        .filter_map(|r| r.score)
        .collect();
    let mean = |values: &mut dyn Iterator<Item = f64>, n: usize| {
        if n == 0 {
            None
        } else {
            Some(values.sum::<f64>() / n as f64)
        }
    };
    Summary {
        cases: results.len(),
        accepted: accepted.len(),
        mean_score: mean(&mut accepted.iter().map(|&s| s as f64), accepted.len()),
        mean_relative_score: mean(&mut results.iter().map(|r| r.relative_score), results.len())
            .unwrap_or(0.0),
        mean_log10_score: mean(
            &mut accepted.iter().map(|&s| (s.max(1) as f64).log10()),
            accepted.len(),
        ),
        max_time_ms: results.iter().map(|r| r.time_ms).max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(verdict: Verdict, score: Option<i64>, relative: f64, time_ms: u64) -> CaseResult {
        CaseResult {
            index: 0,
            seed: None,
            input: String::new(),
            input_hash: String::new(),
            verdict,
            score,
            relative_score: relative,
            time_ms,
            wall_ms: time_ms,
            cpu_ms: 0,
            memory_kb: 0,
            message: None,
        }
    }

    #[test]
    fn summary_by_hand() {
        let s = summarize(&[
            result(Verdict::AC, Some(100), 100.0, 10),
            result(Verdict::AC, Some(1000), 50.0, 30),
            result(Verdict::TLE, None, 0.0, 3000),
        ]);
        assert_eq!(s.cases, 3);
        assert_eq!(s.accepted, 2);
        assert_eq!(s.mean_score, Some(550.0));
        assert_eq!(s.mean_relative_score, 50.0);
        assert_eq!(s.mean_log10_score, Some(2.5));
        assert_eq!(s.max_time_ms, 3000);
    }

    #[test]
    fn nothing_accepted() {
        let s = summarize(&[result(Verdict::WA, None, 0.0, 1)]);
        assert_eq!(
            (s.accepted, s.mean_score, s.mean_relative_score),
            (0, None, 0.0)
        );
        assert_eq!(summarize(&[]).max_time_ms, 0);
    }
}
