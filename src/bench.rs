//! `ale bench`: a search (`ale solve`) on every problem of a set in turn,
//! one row per problem (private total, rank and performance where the
//! problem has standings, the submission against the best starting solver on
//! the private seeds, candidates, cases, cost), and the mean performance.
//! Each row is in the store as its problem finishes, so a killed bench
//! resumes where it stopped; two bench results compare problem by problem,
//! with a paired test on the private cases telling a real difference from
//! the run-to-run noise.

use crate::agent::{solve, SolveEvent, SolveOptions, Start};
use crate::error::{Error, Result};
use crate::judge::Verdict;
use crate::problem::Problem;
use crate::runner::{self, seed_cases, silent};
use crate::store::Store;
use crate::tune::stats::wilcoxon_less;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One problem's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchRow {
    pub problem: String,
    pub session: i64,
    /// The sum of the accepted private cases' scores.
    pub private_score: i64,
    pub rank: Option<u64>,
    pub performance: Option<i64>,
    pub contestants: Option<u64>,
    /// The submission against the best starting solver, case by case on
    /// the private seeds (start = 100); None with no start to compare.
    pub vs_best_start: Option<f64>,
    pub candidates: usize,
    pub cases: usize,
    /// Dollars spent on language models.
    pub cost: f64,
    pub elapsed_s: f64,
    /// Each private case's accepted score (None: not accepted), in seed
    /// order: what a comparison of two benches tests.
    pub private_cases: Vec<Option<i64>>,
}

/// A whole bench, as `--out` writes it and `--compare` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub bench: i64,
    pub rows: Vec<BenchRow>,
    /// Over the problems with standings.
    pub mean_performance: Option<f64>,
}

impl BenchReport {
    pub fn new(bench: i64, rows: Vec<BenchRow>) -> BenchReport {
        let perfs: Vec<i64> = rows.iter().filter_map(|r| r.performance).collect();
        let mean_performance =
            (!perfs.is_empty()).then(|| perfs.iter().sum::<i64>() as f64 / perfs.len() as f64);
        BenchReport {
            bench,
            rows,
            mean_performance,
        }
    }
}

/// What a bench tells as it goes.
#[derive(Debug)]
pub enum BenchEvent<'a> {
    /// Problem `index` (of `of`) starts; `skipped` when a resumed bench has it.
    Problem {
        index: usize,
        of: usize,
        id: &'a str,
        skipped: bool,
    },
    /// An event of that problem's search.
    Search(&'a SolveEvent<'a>),
    Finished(&'a BenchRow),
}

/// Runs the search on each of `problems` (their starting solvers from
/// `starts`), as bench `bench` of the store: the problems it already has a
/// row for are skipped (a resumed bench).
pub fn bench(
    bench: i64,
    problems: &[&Problem],
    starts: &dyn Fn(&Problem) -> Result<Vec<Start>>,
    options: &SolveOptions,
    store: &mut Store,
    events: &mut dyn FnMut(&BenchEvent),
) -> Result<BenchReport> {
    let done: Vec<BenchRow> = store
        .bench_results(bench)?
        .iter()
        .map(|json| {
            serde_json::from_str(json).map_err(|e| {
                Error::Internal(format!(
                    "bench {bench}: a stored result does not read back: {e}"
                ))
            })
        })
        .collect::<Result<_>>()?;
    let mut rows = Vec::new();
    for (index, problem) in problems.iter().enumerate() {
        let known = done.iter().find(|r| r.problem == problem.id);
        events(&BenchEvent::Problem {
            index,
            of: problems.len(),
            id: &problem.id,
            skipped: known.is_some(),
        });
        if let Some(row) = known {
            rows.push(row.clone());
            continue;
        }
        if options.run.stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let row = one(problem, &starts(problem)?, options, store, events)?;
        let json = serde_json::to_string(&row).expect("a row serialises");
        store.record_bench_result(bench, &row.problem, row.session, &json)?;
        events(&BenchEvent::Finished(&row));
        rows.push(row);
    }
    if rows.len() == problems.len() {
        store.finish_bench(bench)?;
    }
    Ok(BenchReport::new(bench, rows))
}

fn one(
    problem: &Problem,
    starts: &[Start],
    options: &SolveOptions,
    store: &mut Store,
    events: &mut dyn FnMut(&BenchEvent),
) -> Result<BenchRow> {
    let report = solve(problem, starts, options, store, &mut |e| {
        events(&BenchEvent::Search(e))
    })?;
    let submission = &report.submission;
    let private_run = submission.private.run_id;
    let cases: Vec<Option<i64>> = store
        .case_scores(private_run)?
        .into_iter()
        .map(|(v, s)| s.filter(|_| v == Verdict::AC))
        .collect();
    let vs_best_start = vs_best_start(problem, &report, &cases, options, store)?;
    let model = store.llm_totals(report.session)?;
    Ok(BenchRow {
        problem: problem.id.clone(),
        session: report.session,
        private_score: cases.iter().flatten().sum(),
        rank: submission.report.rank,
        performance: submission.report.performance,
        contestants: submission.report.contestants,
        vs_best_start,
        candidates: report.candidates,
        cases: report.evaluations,
        cost: model.cost,
        elapsed_s: report.elapsed.as_secs_f64(),
        private_cases: cases,
    })
}

/// The submission against the best starting solver (the one it leads by
/// least on the public seeds), judged on the private seeds too.
fn vs_best_start(
    problem: &Problem,
    report: &crate::agent::SolveReport,
    mine: &[Option<i64>],
    options: &SolveOptions,
    store: &mut Store,
) -> Result<Option<f64>> {
    let Some(search) = &report.submission.report.search else {
        return Ok(None);
    };
    let Some(best) = search
        .against_starts
        .iter()
        .min_by(|a, b| a.mean_relative.total_cmp(&b.mean_relative))
    else {
        return Ok(None);
    };
    if best.same {
        return Ok(Some(100.0)); // the submission is that start
    }
    let Some(start) = store
        .candidates(report.session)?
        .into_iter()
        .find(|c| c.id == best.candidate)
    else {
        return Ok(None);
    };
    let file = options
        .work_dir
        .join(report.session.to_string())
        .join(format!("start-{}.{}", start.id, start.extension));
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    std::fs::write(&file, &start.source).map_err(|e| Error::io(&file, e))?;
    let mut run = options.run.clone();
    run.deadline = None;
    let judged = runner::run(
        problem,
        &file,
        &seed_cases(&problem.private_seeds),
        &run,
        &options.build_dir,
        store,
        &mut silent,
    )?;
    let theirs: Vec<Option<i64>> = judged
        .cases
        .iter()
        .map(|c| c.score.filter(|_| c.verdict == Verdict::AC))
        .collect();
    if theirs.len() != mine.len() || mine.is_empty() {
        return Ok(None);
    }
    let total: f64 = mine
        .iter()
        .zip(&theirs)
        .map(|(m, t)| problem.objective.versus(*m, *t))
        .sum();
    Ok(Some(100.0 * total / mine.len() as f64))
}

/// One problem of two benches side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    pub problem: String,
    pub old_performance: Option<i64>,
    pub new_performance: Option<i64>,
    /// The new submission against the old one, case by case on the private
    /// seeds (old = 100).
    pub new_vs_old: Option<f64>,
    /// Two-sided p-value of the paired signed-rank test on those cases.
    pub p_value: Option<f64>,
    /// Better, worse, or within the noise (p >= 0.05).
    pub verdict: &'static str,
}

/// `new` against `old`, problem by problem (those both have). `max` tells
/// each problem's objective: true when a higher score is better.
pub fn compare(
    old: &BenchReport,
    new: &BenchReport,
    objective: &dyn Fn(&str) -> crate::problem::Objective,
) -> Vec<Compared> {
    new.rows
        .iter()
        .filter_map(|n| {
            let o = old.rows.iter().find(|o| o.problem == n.problem)?;
            let paired =
                o.private_cases.len() == n.private_cases.len() && !n.private_cases.is_empty();
            let (new_vs_old, p_value) = if paired {
                let obj = objective(&n.problem);
                let d: Vec<f64> = n
                    .private_cases
                    .iter()
                    .zip(&o.private_cases)
                    .map(|(a, b)| obj.versus(*a, *b) - 1.0)
                    .collect();
                let mean = 100.0 * (1.0 + d.iter().sum::<f64>() / d.len() as f64);
                let neg: Vec<f64> = d.iter().map(|x| -x).collect();
                let p = (2.0 * wilcoxon_less(&d).min(wilcoxon_less(&neg))).min(1.0);
                (Some(mean), Some(p))
            } else {
                (None, None)
            };
            let verdict = match (new_vs_old, p_value) {
                (Some(m), Some(p)) if p < 0.05 && m > 100.0 => "better",
                (Some(m), Some(p)) if p < 0.05 && m < 100.0 => "worse",
                (Some(_), Some(_)) => "within noise",
                _ => "not comparable",
            };
            Some(Compared {
                problem: n.problem.clone(),
                old_performance: o.performance,
                new_performance: n.performance,
                new_vs_old,
                p_value,
                verdict,
            })
        })
        .collect()
}

/// Reads a bench result written by `--out`.
pub fn read_report(path: &Path) -> Result<BenchReport> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::BadInput {
        path: path.to_path_buf(),
        message: format!(
            "line {}, column {}: {e}; give a file that `ale bench --out` wrote",
            e.line(),
            e.column()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Objective;

    fn row(problem: &str, performance: Option<i64>, cases: Vec<Option<i64>>) -> BenchRow {
        BenchRow {
            problem: problem.into(),
            session: 1,
            private_score: cases.iter().flatten().sum(),
            rank: None,
            performance,
            contestants: None,
            vs_best_start: None,
            candidates: 1,
            cases: 1,
            cost: 0.0,
            elapsed_s: 1.0,
            private_cases: cases,
        }
    }

    #[test]
    fn the_mean_performance_is_over_the_problems_with_standings() {
        let r = BenchReport::new(
            1,
            vec![
                row("a", Some(2000), vec![]),
                row("b", None, vec![]),
                row("c", Some(1000), vec![]),
            ],
        );
        assert_eq!(r.mean_performance, Some(1500.0));
        assert_eq!(
            BenchReport::new(1, vec![row("b", None, vec![])]).mean_performance,
            None
        );
    }

    #[test]
    fn a_comparison_tells_a_real_difference_from_noise() {
        let cases = |f: &dyn Fn(i64) -> i64| (1..=10).map(|i| Some(f(100 * i))).collect();
        let old = BenchReport::new(
            1,
            vec![
                row("up", Some(1000), cases(&|x| x)),
                row("same", None, cases(&|x| x)),
            ],
        );
        // Ten cases all 10% better: p = 2 / 1024, better. Mixed +-1%: noise.
        let new = BenchReport::new(
            2,
            vec![
                row("up", Some(1200), cases(&|x| x * 11 / 10)),
                row(
                    "same",
                    None,
                    (1..=10)
                        .map(|i| Some(if i % 2 == 0 { 101 * i } else { 99 * i }))
                        .collect(),
                ),
            ],
        );
        let c = compare(&old, &new, &|_| Objective::Max);
        assert_eq!(c[0].verdict, "better");
        assert!((c[0].new_vs_old.unwrap() - 110.0).abs() < 1e-9);
        assert!((c[0].p_value.unwrap() - 2.0 / 1024.0).abs() < 1e-12);
        assert_eq!(
            (c[0].old_performance, c[0].new_performance),
            (Some(1000), Some(1200))
        );
        assert_eq!(c[1].verdict, "within noise");
        // Minimised, the same numbers are worse.
        assert_eq!(compare(&old, &new, &|_| Objective::Min)[0].verdict, "worse");
    }
}
