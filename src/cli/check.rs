//! `ale check [--seeds A..B] [--problem ID]... [--solvers DIR] [--expect FILE] [--margin PCT] [-j N]`

use super::Context;
use ale::check::{check, parse_expectations, CheckOptions};
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::problem::Seeds;
use ale::runner::{self, RunOptions};
use ale::store::Store;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Seeds A..B (B excluded) to run every solver on
    #[arg(long, value_name = "A..B", default_value = "0..5")]
    pub seeds: Seeds,
    /// Only this problem (repeat for several); default every problem with solvers
    #[arg(long = "problem", value_name = "ID")]
    pub problems: Vec<String>,
    /// The solvers folder: <DIR>/<problem id>/baseline.rs and the others beside it
    #[arg(long = "solvers", value_name = "DIR", default_value = "solvers")]
    pub solvers_dir: PathBuf,
    /// The recorded figures: the table with columns problem, solver, vs baseline
    #[arg(long, value_name = "FILE", default_value = "docs/PROBLEMS.md")]
    pub expect: PathBuf,
    /// Allowed shortfall against the recorded figure, in percent of it
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub margin: f64,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    for id in &args.problems {
        registry.get(id)?;
    }
    if !args.solvers_dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no solvers folder; give one with --solvers DIR",
            args.solvers_dir.display()
        )));
    }
    let text = std::fs::read_to_string(&args.expect).map_err(|e| Error::io(&args.expect, e))?;
    let expectations = parse_expectations(&args.expect, &text)?;
    let options = CheckOptions {
        seeds: args.seeds,
        problems: args.problems.clone(),
        solvers_dir: args.solvers_dir.clone(),
        margin_percent: args.margin,
        run: RunOptions {
            jobs: args.jobs.unwrap_or_else(runner::default_jobs),
            sandbox: ctx.sandbox()?,
            languages: Languages::load(&ctx.paths.home)?,
            ..RunOptions::default()
        },
    };
    let mut store = Store::open(&ctx.paths.store)?;
    let checks = check(
        &registry,
        &expectations,
        &options,
        &ctx.paths.build,
        &mut store,
    )?;
    outln!(
        "{:<10} {:<14} {:>5} {:>8} {:>14} {:>11} {:>9}  result",
        "problem",
        "solver",
        "cases",
        "accepted",
        "mean score",
        "vs baseline",
        "recorded"
    );
    let mut failed = 0;
    for c in &checks {
        let recorded = c.expected.map_or_else(|| "-".into(), |e| format!("{e:.2}"));
        let mean = c
            .mean_score
            .map_or_else(|| "-".into(), |m| format!("{m:.1}"));
        let result = match &c.failure {
            Some(why) => {
                failed += 1;
                format!("FAIL: {why}")
            }
            None => "ok".into(),
        };
        outln!(
            "{:<10} {:<14} {:>5} {:>8} {:>14} {:>11.2} {:>9}  {}",
            c.problem,
            c.solver,
            c.cases,
            c.accepted,
            mean,
            c.vs_baseline,
            recorded,
            result
        );
    }
    outln!("{} solvers checked, {} failed", checks.len(), failed);
    Ok(if failed == 0 { 0 } else { 1 })
}
