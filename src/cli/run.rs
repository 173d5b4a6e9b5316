//! `ale run <problem> <solution> [--seeds A..B] [--inputs DIR] [-j N] [--json] [--out DIR]`

use super::Context;
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::problem::Seeds;
use ale::report::{Exporter, Json, Progress, Table};
use ale::runner::{self, file_cases, seed_cases, RunOptions};
use ale::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// A Rust source file (.rs) or a built executable
    pub solution: PathBuf,
    /// Seeds A..B (B excluded); default the problem's public seeds
    #[arg(long, value_name = "A..B", conflicts_with = "inputs")]
    pub seeds: Option<Seeds>,
    /// Run on the *.txt files of this folder instead of generated seeds
    #[arg(long, value_name = "DIR")]
    pub inputs: Option<PathBuf>,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Print one JSON document instead of the table
    #[arg(long)]
    pub json: bool,
    /// Keep each case's output as DIR/<input file name>
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Kill a case at this multiple of the time limit
    #[arg(long, value_name = "F", default_value_t = 1.5)]
    pub kill_factor: f64,
    #[command(flatten)]
    pub workers: super::workers::WorkerArgs,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    if !args.solution.exists() {
        return Err(Error::Usage(format!(
            "{}: no such solution file",
            args.solution.display()
        )));
    }
    if args.jobs == Some(0) {
        return Err(Error::Usage("-j must be at least 1".into()));
    }
    if args.kill_factor.is_nan() || args.kill_factor < 1.0 {
        return Err(Error::Usage("--kill-factor must be at least 1".into()));
    }
    if let (Some(inputs), Some(out)) = (&args.inputs, &args.out) {
        let same = std::fs::canonicalize(inputs).ok() == std::fs::canonicalize(out).ok();
        if same {
            return Err(Error::Usage(format!(
                "--out {} is the --inputs folder: the outputs would overwrite the inputs; choose another folder",
                out.display()
            )));
        }
    }
    let cases = match &args.inputs {
        Some(dir) => file_cases(problem, dir)?,
        None => seed_cases(&args.seeds.clone().unwrap_or(problem.public_seeds.clone())),
    };
    let workers = super::workers::for_problem(&args.workers, args.jobs, problem)?;
    let options = RunOptions {
        jobs: workers.jobs,
        pool: workers.pool,
        kill_factor: args.kill_factor,
        out_dir: args.out.clone(),
        sandbox: ctx.sandbox()?,
        languages: Languages::load(&ctx.paths.home)?,
        ..RunOptions::default()
    };
    // The first Ctrl-C lets the cases in progress finish and keeps the run;
    // the second quits at once (the spawn servers and solutions die with ale).
    super::stop_on_ctrl_c(
        &options.stop,
        "stopping: finishing the cases in progress (Ctrl-C again to quit now)",
    );
    let uses_crates = args.solution.extension().is_some_and(|e| e == "rs")
        && std::fs::read_to_string(&args.solution)
            .is_ok_and(|s| ale::judge::atcoder::uses_crates(&s));
    if uses_crates && ale::judge::atcoder::needs_first_build(&ctx.paths.build) {
        eprintln!(
            "building AtCoder's Rust crates once in {} (downloads them from crates.io; a minute or two)",
            ale::judge::atcoder::project(&ctx.paths.build).display()
        );
    }
    let mut store = Store::open(&ctx.paths.store)?;
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let report = runner::run(
        problem,
        &args.solution,
        &cases,
        &options,
        &ctx.paths.build,
        &mut store,
        &mut |e| progress.event(e),
    )?;
    drop(progress);
    if args.json {
        out!("{}", Json.export(&report));
    } else {
        out!("{}", Table.export(&report));
    }
    if report.interrupted {
        eprintln!(
            "interrupted: {} of {} cases ran; the run is stored as interrupted",
            report.cases.len(),
            cases.len()
        );
        return Ok(130);
    }
    Ok(if report.all_accepted() { 0 } else { 1 })
}
