//! `ale submit <problem> <solution> [-j N] [--out DIR] [--json]`

use super::Context;
use ale::agent::{submit, SubmitOptions};
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::runner::RunOptions;
use ale::store::Store;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// The solution's source file
    pub solution: PathBuf,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub workers: super::workers::WorkerArgs,
    /// Where submission folders go: DIR/<problem>/<timestamp>/
    #[arg(long, value_name = "DIR", default_value = "submissions")]
    pub out: PathBuf,
    /// Print the report as JSON instead of a summary
    #[arg(long)]
    pub json: bool,
    /// Kill a case at this multiple of the time limit
    #[arg(long, value_name = "F", default_value_t = 1.5)]
    pub kill_factor: f64,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    if args.jobs == Some(0) {
        return Err(Error::Usage("-j must be at least 1".into()));
    }
    if args.kill_factor.is_nan() || args.kill_factor < 1.0 {
        return Err(Error::Usage("--kill-factor must be at least 1".into()));
    }
    if !args.solution.exists() {
        return Err(Error::Usage(format!(
            "{}: no such solution file",
            args.solution.display()
        )));
    }
    let workers = super::workers::for_problem(&args.workers, args.jobs, problem)?;
    let run = RunOptions {
        jobs: workers.jobs,
        pool: workers.pool,
        kill_factor: args.kill_factor,
        sandbox: ctx.sandbox()?,
        languages: Languages::load(&ctx.paths.home)?,
        ..RunOptions::default()
    };
    super::stop_on_ctrl_c(
        &run.stop,
        "stopping: finishing the cases in progress (Ctrl-C again to quit now)",
    );
    let options = SubmitOptions {
        run,
        build_dir: ctx.paths.build.clone(),
        root: args.out.clone(),
    };
    let mut store = Store::open(&ctx.paths.store)?;
    eprintln!(
        "judging {} on the public seeds {} and the private seeds {}",
        args.solution.display(),
        problem.public_seeds,
        problem.private_seeds
    );
    let s = submit(
        problem,
        &args.solution,
        &options,
        &mut store,
        None,
        &Vec::new(),
    )?;
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&s.report).unwrap_or_default()
        );
    } else {
        for (name, set) in [("public", &s.public), ("private", &s.private)] {
            outln!(
                "{name:<8} {:<12} AC {}/{}  mean score {}  mean relative {:.2}",
                set.seeds.to_string(),
                set.accepted,
                set.cases,
                set.mean_score.map_or("-".into(), |m| format!("{m:.2}")),
                set.mean_relative_score
            );
        }
        if let (Some(rank), Some(performance), Some(contestants)) =
            (s.report.rank, s.report.performance, s.report.contestants)
        {
            outln!("contest  rank {rank} of {contestants}, performance {performance}");
        }
        outln!("wrote {}", s.folder.display());
    }
    Ok(if s.interrupted {
        130
    } else if s.all_accepted() {
        0
    } else {
        1
    })
}
