//! `--workers` and `--workers-fallback` on every judging command, and the
//! workers' lines of `ale doctor`; what they mean is in `ale::workers`.

use ale::error::Error;
use ale::workers::{config, Pool, WorkersConfig};
use std::path::Path;
use std::sync::Arc;

/// The flags every judging command takes.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WorkerArgs {
    /// Where cases are judged: local:N (threads here), proc:N (worker
    /// processes here), slurm:N (Slurm tasks), separated by commas;
    /// default [workers] in ale.toml, else local threads
    #[arg(long, value_name = "KIND:N,...")]
    pub workers: Option<String>,
    /// When the workers cannot start, judge here instead (with a warning)
    #[arg(long, value_name = "local", value_parser = ["local"])]
    pub workers_fallback: Option<String>,
}

/// What judges a command's cases: local threads, and the pool of remote
/// workers when there are any (started, at least one connected).
pub struct Plan {
    pub jobs: usize,
    pub pool: Option<Arc<Pool>>,
}

/// [`start`] for one problem: its memory limit, and whether it is interactive.
pub fn for_problem(
    args: &WorkerArgs,
    jobs: Option<usize>,
    problem: &ale::problem::Problem,
) -> Result<Plan, Error> {
    start(args, jobs, problem.memory_limit_mb, problem.interactive)
}

/// The workers of `args` (or `[workers]` of ./ale.toml) and `-j`, started:
/// `-j` (or one per core) local threads without any; with them, what they
/// say (local threads only when they name `local`). Interactive problems
/// are judged here.
pub fn start(
    args: &WorkerArgs,
    jobs: Option<usize>,
    memory_limit_mb: u64,
    interactive: bool,
) -> Result<Plan, Error> {
    let file = WorkersConfig::read(Path::new("ale.toml"))?;
    let local_only = |local: Option<usize>| Plan {
        jobs: local.or(jobs).unwrap_or_else(ale::runner::default_jobs),
        pool: None,
    };
    let Some(spec) = file.spec(args.workers.as_deref()) else {
        return Ok(local_only(None));
    };
    let layout = config::parse(&spec, memory_limit_mb, &file)?;
    if layout.remote.is_empty() {
        return Ok(local_only(layout.local));
    }
    if interactive {
        eprintln!("an interactive problem is judged on this machine; the workers are not used");
        return Ok(local_only(layout.local));
    }
    let fallback = file.fallback_local(args.workers_fallback.as_deref())?;
    let started = Pool::listen(file.settings()?, layout.elsewhere).and_then(|pool| {
        pool.launch(&layout.remote)?;
        let connected = pool.wait_started(layout.remote.len())?;
        Ok((pool, connected))
    });
    match started {
        Ok((pool, connected)) => {
            if connected < layout.remote.len() {
                eprintln!(
                    "{connected} of {} workers started in time; the others join when they start",
                    layout.remote.len()
                );
            }
            Ok(Plan {
                jobs: layout.local.or(jobs).unwrap_or(0),
                pool: Some(Arc::new(pool)),
            })
        }
        Err(e) if fallback => {
            eprintln!(
                "warning: {e}\nwarning: judging on this machine instead (--workers-fallback local)"
            );
            Ok(local_only(None))
        }
        Err(e) => Err(e),
    }
}

/// The doctor's lines for the workers of `workers` (or `[workers]` in
/// ./ale.toml) when any runs on Slurm: (what, on, detail).
pub fn doctor(workers: Option<&str>) -> Result<Vec<(&'static str, bool, String)>, Error> {
    let file = WorkersConfig::read(Path::new("ale.toml"))?;
    let Some(spec) = file.spec(workers) else {
        return Ok(Vec::new());
    };
    let layout = config::parse(&spec, 256, &file)?;
    let Some(slurm) = layout.remote.iter().find(|r| r.label.starts_with("slurm:")) else {
        return Ok(Vec::new());
    };
    Ok(ale::workers::slurm::check(&file, slurm)
        .into_iter()
        .map(|c| (c.what, c.ok, c.detail))
        .collect())
}
