//! The regression suite: every solver of every problem on a few public seeds,
//! each compared case by case with the problem's baseline (its folder's
//! `baseline.rs`, else the one ale carries for a built-in problem), against
//! the figures recorded in docs/PROBLEMS.md.

mod expectations;

pub use expectations::{parse_expectations, Expectation};

use crate::error::{Error, Result};
use crate::judge::Verdict;
use crate::problem::{Objective, Problem, Registry, Seeds};
use crate::runner::{self, seed_cases, RunOptions, RunReport};
use crate::store::Store;
use std::path::{Path, PathBuf};

/// How to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub seeds: Seeds,
    /// Only these problems (all with solvers when empty).
    pub problems: Vec<String>,
    /// `<dir>/<problem id>/baseline.rs` and the other solvers beside it.
    pub solvers_dir: PathBuf,
    /// A solver fails when its mean relative score against the baseline is
    /// below the recorded one by more than this many percent of it.
    pub margin_percent: f64,
    pub run: RunOptions,
}

/// The verdict on one solver.
#[derive(Debug, Clone)]
pub struct SolverCheck {
    pub problem: String,
    pub solver: String,
    pub cases: usize,
    pub accepted: usize,
    pub mean_score: Option<f64>,
    /// Mean over cases of 100 x baseline/score (min) or score/baseline (max);
    /// a case that is not accepted counts 0.
    pub vs_baseline: f64,
    pub expected: Option<f64>,
    /// Why it fails, if it does.
    pub failure: Option<String>,
}

/// Mean per-case score of `report` against `baseline` on the same cases, in
/// percent ([`Objective::versus`]: a case only one of them failed counts a
/// full 100 down or up).
pub fn relative_to_baseline(objective: Objective, report: &RunReport, baseline: &RunReport) -> f64 {
    let accepted =
        |c: &crate::runner::CaseResult| (c.verdict == Verdict::AC).then_some(c.score).flatten();
    let n = report.cases.len().max(1);
    let sum: f64 = report
        .cases
        .iter()
        .zip(&baseline.cases)
        .map(|(r, b)| 100.0 * objective.versus(accepted(r), accepted(b)))
        .sum();
    sum / n as f64
}

/// Runs every solver of every problem and checks it.
pub fn check(
    registry: &Registry,
    expectations: &[Expectation],
    options: &CheckOptions,
    build_dir: &Path,
    store: &mut Store,
) -> Result<Vec<SolverCheck>> {
    let mut results = Vec::new();
    for problem in registry.iter() {
        if !options.problems.is_empty() && !options.problems.contains(&problem.id) {
            continue;
        }
        let dir = options.solvers_dir.join(&problem.id);
        let asked = options.problems.contains(&problem.id);
        if !dir.is_dir() {
            if asked {
                return Err(Error::Usage(format!(
                    "{}: no such folder; the check runs the solvers in <solvers>/{}/",
                    dir.display(),
                    problem.id
                )));
            }
            continue;
        }
        let Some(baseline) = baseline(problem, &dir, build_dir)? else {
            if asked {
                return Err(Error::Usage(format!(
                    "{}: no baseline; the check compares every solver with solvers/<id>/baseline.rs",
                    dir.join("baseline.rs").display()
                )));
            }
            continue;
        };
        results.extend(check_problem(
            problem,
            &dir,
            &baseline,
            expectations,
            options,
            build_dir,
            store,
        )?);
    }
    Ok(results)
}

/// The baseline the solvers of `dir` are compared with: `dir/baseline.rs`,
/// else the one ale carries for a built-in problem, written under
/// `build_dir` since the runner judges files; None when there is neither.
fn baseline(problem: &Problem, dir: &Path, build_dir: &Path) -> Result<Option<PathBuf>> {
    let own = dir.join("baseline.rs");
    if own.is_file() {
        return Ok(Some(own));
    }
    let Some((name, source)) = problem
        .builtin_solvers()
        .iter()
        .find(|(name, _)| *name == "baseline.rs")
    else {
        return Ok(None);
    };
    let folder = build_dir.join("builtin").join(&problem.id);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let file = folder.join(name);
    std::fs::write(&file, source).map_err(|e| Error::io(&file, e))?;
    Ok(Some(file))
}

fn check_problem(
    problem: &Problem,
    dir: &Path,
    baseline_path: &Path,
    expectations: &[Expectation],
    options: &CheckOptions,
    build_dir: &Path,
    store: &mut Store,
) -> Result<Vec<SolverCheck>> {
    let cases = seed_cases(&options.seeds);
    let mut solvers: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    solvers.sort();
    let baseline = runner::run(
        problem,
        baseline_path,
        &cases,
        &options.run,
        build_dir,
        store,
        &mut runner::silent,
    )?;
    let mut checks = Vec::new();
    for path in solvers {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = if path == baseline_path {
            baseline.clone()
        } else {
            runner::run(
                problem,
                &path,
                &cases,
                &options.run,
                build_dir,
                store,
                &mut runner::silent,
            )?
        };
        let vs_baseline = relative_to_baseline(problem.objective, &report, &baseline);
        let expected = expectations
            .iter()
            .find(|e| e.problem == problem.id && e.solver == name)
            .map(|e| e.vs_baseline);
        let failure = if let Some(bad) = report.cases.iter().find(|c| c.verdict != Verdict::AC) {
            Some(format!(
                "seed {}: {} {}",
                bad.seed
                    .map_or_else(|| bad.input.clone(), |s| s.to_string()),
                bad.verdict,
                bad.message.as_deref().unwrap_or("")
            ))
        } else {
            expected.and_then(|want| {
                let floor = want * (1.0 - options.margin_percent / 100.0);
                (vs_baseline < floor).then(|| {
                    format!(
                        "{vs_baseline:.2} against the baseline, below the recorded {want:.2} by more than {}%",
                        options.margin_percent
                    )
                })
            })
        };
        checks.push(SolverCheck {
            problem: problem.id.clone(),
            solver: name,
            cases: report.summary.cases,
            accepted: report.summary.accepted,
            mean_score: report.summary.mean_score,
            vs_baseline,
            expected,
            failure: failure.map(|f| f.trim_end().to_string()),
        });
    }
    Ok(checks)
}
