//! `--workers local:N,proc:N,slurm:N`: where cases are judged. `local` is
//! worker threads of this process (what `-j` sets), `proc` worker processes
//! (`ale __worker`) on this machine, and `slurm` one-CPU Slurm tasks running
//! `ale __worker` on the cluster's nodes (through `srun`).

use ale::error::Error;
use ale::runner::Remote;

/// The local worker threads and the remote workers of `--workers` and `-j`:
/// `-j` (or one per core) local threads without `--workers`; with it, what
/// it says (local threads only when it names `local`).
pub fn plan(
    workers: Option<&str>,
    jobs: Option<usize>,
    memory_limit_mb: u64,
) -> Result<(usize, Vec<Remote>), Error> {
    let (local, remote) = match workers {
        Some(spec) => parse(spec, memory_limit_mb)?,
        None => (None, Vec::new()),
    };
    let jobs = local.or(jobs).unwrap_or_else(|| {
        if remote.is_empty() {
            ale::runner::default_jobs()
        } else {
            0
        }
    });
    Ok((jobs, remote))
}

/// The local worker threads (None: as `-j` says) and the remote workers of
/// a `--workers` value, for a problem of `memory_limit_mb`.
pub fn parse(spec: &str, memory_limit_mb: u64) -> Result<(Option<usize>, Vec<Remote>), Error> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::Internal(format!("cannot find the ale binary: {e}")))?;
    let mut local = None;
    let mut remote = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Error::Usage(format!(
                "--workers {spec}: `{part}` is not KIND:N (local:4, proc:2, slurm:16)"
            ))
        };
        let (kind, n) = part.split_once(':').ok_or_else(bad)?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        match kind.trim() {
            "local" => local = Some(local.unwrap_or(0) + n),
            "proc" => remote.extend((0..n).map(|i| Remote {
                command: vec![exe.clone().into(), "__worker".into()],
                label: format!("proc:{i}"),
            })),
            "slurm" => remote.extend((0..n).map(|i| Remote {
                command: vec![
                    "srun".into(),
                    "--ntasks=1".into(),
                    "--cpus-per-task=1".into(),
                    format!("--mem={}M", memory_limit_mb + 512).into(),
                    "--quiet".into(),
                    "--unbuffered".into(),
                    exe.clone().into(),
                    "__worker".into(),
                ],
                label: format!("slurm:{i}"),
            })),
            _ => return Err(bad()),
        }
    }
    Ok((local, remote))
}
