//! Where cases are judged: `--workers local:N,proc:N,slurm:N` or `[workers]`
//! in ale.toml. `local` is worker threads of this process (what `-j` sets),
//! `proc` worker processes (`ale __worker`) on this machine, and `slurm`
//! one-CPU Slurm tasks running `ale __worker` on the cluster's nodes
//! (started by `srun`). Remote workers start once for the whole command and
//! connect back to it.
//!
//! ```toml
//! [workers]
//! kind = "slurm"            # or "proc"
//! count = 64
//! local = 0                 # threads here beside them
//! partition = "short"
//! account = "my-project"
//! time_limit = "4:00:00"    # srun --time, for each worker's job
//! extra_args = ["--constraint=avx2"]
//! start_timeout_s = 120     # how long the queue may take to start them
//! heartbeat_s = 10          # a worker silent this long while judging is lost
//! address = "login1"        # the name the nodes reach this machine by
//! program = "/shared/bin/ale"  # the ale the nodes run; default this one
//! fallback = "local"        # judge here when they cannot start
//! ```

use ale::error::Error;
use ale::runner::{Pool, PoolSettings, Remote};
use serde::Deserialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

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

/// `[workers]` of ale.toml.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct FileWorkers {
    kind: Option<String>,
    count: Option<usize>,
    local: Option<usize>,
    partition: Option<String>,
    account: Option<String>,
    time_limit: Option<String>,
    #[serde(default)]
    extra_args: Vec<String>,
    start_timeout_s: Option<f64>,
    heartbeat_s: Option<f64>,
    address: Option<String>,
    program: Option<PathBuf>,
    fallback: Option<String>,
}

#[derive(Deserialize, Debug)]
struct AleToml {
    workers: Option<FileWorkers>,
}

/// `[workers]` of `path`, if the file and the table are there.
pub fn read_config(path: &Path) -> Result<Option<FileWorkers>, Error> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let file: AleToml = toml::from_str(&text).map_err(|e| Error::BadInput {
        path: path.to_path_buf(),
        message: format!("[workers]: {}", e.message()),
    })?;
    Ok(file.workers)
}

/// What judges a command's cases: local threads, and the pool of remote
/// workers when there are any (started, at least one connected).
pub struct Plan {
    pub jobs: usize,
    pub pool: Option<Arc<Pool>>,
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
    let file = read_config(Path::new("ale.toml"))?.unwrap_or_default();
    let spec = match (&args.workers, &file.kind) {
        (Some(spec), _) => Some(spec.clone()),
        (None, Some(kind)) => {
            let mut spec = format!("{kind}:{}", file.count.unwrap_or(1));
            if let Some(n) = file.local {
                spec.push_str(&format!(",local:{n}"));
            }
            Some(spec)
        }
        (None, None) => None,
    };
    let local_only = |local: Option<usize>| Plan {
        jobs: local.or(jobs).unwrap_or_else(ale::runner::default_jobs),
        pool: None,
    };
    let Some(spec) = spec else {
        return Ok(local_only(None));
    };
    let (local, remote, elsewhere) = parse(&spec, memory_limit_mb, &file)?;
    if remote.is_empty() {
        return Ok(local_only(local));
    }
    if interactive {
        eprintln!("an interactive problem is judged on this machine; the workers are not used");
        return Ok(local_only(local));
    }
    let settings = settings(&file)?;
    let fallback = args
        .workers_fallback
        .as_deref()
        .or(file.fallback.as_deref());
    match fallback {
        None | Some("local") => {}
        Some(other) => {
            return Err(Error::Usage(format!(
                "ale.toml [workers]: fallback = \"{other}\"; the one fallback is \"local\""
            )))
        }
    }
    let started = Pool::listen(settings, elsewhere).and_then(|pool| {
        pool.launch(&remote)?;
        let connected = pool.wait_started(remote.len())?;
        Ok((pool, connected))
    });
    match started {
        Ok((pool, connected)) => {
            if connected < remote.len() {
                eprintln!(
                    "{connected} of {} workers started in time; the others join when they start",
                    remote.len()
                );
            }
            Ok(Plan {
                jobs: local.or(jobs).unwrap_or(0),
                pool: Some(Arc::new(pool)),
            })
        }
        Err(e) if fallback.is_some() => {
            eprintln!(
                "warning: {e}\nwarning: judging on this machine instead (--workers-fallback local)"
            );
            Ok(local_only(None))
        }
        Err(e) => Err(e),
    }
}

fn settings(file: &FileWorkers) -> Result<PoolSettings, Error> {
    let seconds = |v: Option<f64>, name: &str, least: f64, default: u64| match v {
        None => Ok(Duration::from_secs(default)),
        Some(s) if s.is_finite() && s >= least => Ok(Duration::from_secs_f64(s)),
        Some(s) => Err(Error::Usage(format!(
            "ale.toml [workers]: {name} = {s}; give at least {least} seconds"
        ))),
    };
    let mut origin = "--workers and [workers] in ale.toml".to_string();
    for (name, value) in [
        ("partition", &file.partition),
        ("account", &file.account),
        ("time_limit", &file.time_limit),
        ("address", &file.address),
    ] {
        if let Some(v) = value {
            origin.push_str(&format!(", {name} = \"{v}\""));
        }
    }
    Ok(PoolSettings {
        start_timeout: seconds(file.start_timeout_s, "start_timeout_s", 1.0, 60)?,
        // Workers say they are alive every second.
        heartbeat: seconds(file.heartbeat_s, "heartbeat_s", 3.0, 10)?,
        address: file.address.clone(),
        origin,
    })
}

/// The local worker threads (None: as `-j` says), the remote workers, and
/// whether any runs elsewhere, of a `--workers` value for a problem of
/// `memory_limit_mb`.
pub fn parse(
    spec: &str,
    memory_limit_mb: u64,
    file: &FileWorkers,
) -> Result<(Option<usize>, Vec<Remote>, bool), Error> {
    let exe = match &file.program {
        Some(p) => p.clone(),
        None => std::env::current_exe()
            .map_err(|e| Error::Internal(format!("cannot find the ale binary: {e}")))?,
    };
    let mut local = None;
    let mut remote = Vec::new();
    let mut elsewhere = false;
    let (mut procs, mut slurms) = (0, 0);
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
            "proc" => {
                for _ in 0..n {
                    remote.push(Remote {
                        command: vec![exe.clone().into(), "__worker".into()],
                        label: format!("proc:{procs}"),
                    });
                    procs += 1;
                }
            }
            "slurm" => {
                elsewhere |= n > 0;
                for _ in 0..n {
                    remote.push(Remote {
                        command: srun(&exe, memory_limit_mb, file),
                        label: format!("slurm:{slurms}"),
                    });
                    slurms += 1;
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok((local, remote, elsewhere))
}

/// The `srun` command line of one Slurm worker: one task, one CPU, the
/// problem's memory and headroom for the worker, under the settings of
/// `[workers]`.
fn srun(exe: &Path, memory_limit_mb: u64, file: &FileWorkers) -> Vec<OsString> {
    let mut c: Vec<OsString> = vec![
        "srun".into(),
        "--ntasks=1".into(),
        "--cpus-per-task=1".into(),
        format!("--mem={}M", memory_limit_mb + 512).into(),
        "--job-name=ale-worker".into(),
        "--quiet".into(),
    ];
    if let Some(p) = &file.partition {
        c.push(format!("--partition={p}").into());
    }
    if let Some(a) = &file.account {
        c.push(format!("--account={a}").into());
    }
    if let Some(t) = &file.time_limit {
        c.push(format!("--time={t}").into());
    }
    c.extend(file.extra_args.iter().map(OsString::from));
    c.push(exe.into());
    c.push("__worker".into());
    c
}

/// What `ale doctor` says of the workers of `args` (or `[workers]` in
/// ./ale.toml), when any run on Slurm: the commands, the partition, and a
/// one-task test job that connects back and runs a case in its box.
/// Lines of (what, on, detail); none when no Slurm worker is configured.
pub fn doctor(args: &WorkerArgs) -> Result<Vec<(String, bool, String)>, Error> {
    let file = read_config(Path::new("ale.toml"))?.unwrap_or_default();
    let spec = args
        .workers
        .clone()
        .or_else(|| file.kind.as_ref().map(|k| format!("{k}:1")));
    let Some(spec) = spec else {
        return Ok(Vec::new());
    };
    let (_, remote, elsewhere) = parse(&spec, 256, &file)?;
    if !elsewhere {
        return Ok(Vec::new());
    }
    let mut lines = Vec::new();
    let missing: Vec<&str> = ["srun", "sinfo", "squeue", "scancel"]
        .into_iter()
        .filter(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if !missing.is_empty() {
        lines.push((
            "slurm".into(),
            false,
            format!(
                "{} not found on the PATH: Slurm workers cannot start (run ale where Slurm's client commands are)",
                missing.join(", ")
            ),
        ));
        return Ok(lines);
    }
    let version = std::process::Command::new("srun")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    lines.push((
        "slurm".into(),
        true,
        format!("{version}: srun, sinfo, squeue, scancel"),
    ));
    // The partition: the one configured, or the cluster's default.
    let listed = std::process::Command::new("sinfo")
        .args(["-h", "-o", "%P %a %D %c"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    let rows: Vec<Vec<&str>> = listed
        .lines()
        .map(|l| l.split_whitespace().collect())
        .filter(|r: &Vec<&str>| r.len() == 4)
        .collect();
    let wanted = file.partition.as_deref();
    let row = rows.iter().find(|r| match wanted {
        Some(p) => r[0].trim_end_matches('*') == p,
        None => r[0].ends_with('*'),
    });
    match (row, wanted) {
        (Some(r), _) => lines.push((
            "slurm partition".into(),
            r[1] == "up",
            format!(
                "{} is {}: {} nodes of {} CPUs{}",
                r[0].trim_end_matches('*'),
                r[1],
                r[2],
                r[3],
                if wanted.is_none() {
                    " (the default)"
                } else {
                    ""
                }
            ),
        )),
        (None, Some(p)) => lines.push((
            "slurm partition".into(),
            false,
            format!(
                "no partition `{p}` (partition in [workers] of ale.toml); the partitions are {}",
                rows.iter().map(|r| r[0]).collect::<Vec<_>>().join(", ")
            ),
        )),
        (None, None) => lines.push((
            "slurm partition".into(),
            false,
            "no default partition: set partition in [workers] of ale.toml".into(),
        )),
    }
    // A test job: one worker that connects back and runs a case in its box.
    let started = std::time::Instant::now();
    let test = Pool::listen(settings(&file)?, true).and_then(|pool| {
        pool.launch(&remote[..1])?;
        pool.wait_started(1)?;
        let up = started.elapsed();
        let mut worker = pool
            .take_idle()
            .pop()
            .ok_or_else(|| Error::Internal("no worker".into()))?;
        let mut limits = ale::judge::Limits::new(5000, 256, 1.5);
        limits.sandbox = ale::judge::sandbox::Sandbox::detect()
            .bwrap()
            .map(Path::to_path_buf);
        let run = worker
            .run(&["/usr/bin/true".into()], b"", &limits)
            .map_err(|e| Error::Usage(format!("the test case did not run on the worker: {e}")))?;
        let host = worker.hello.host.clone();
        let job = worker.hello.job.clone().unwrap_or_default();
        pool.give_back(worker);
        Ok((up, run, host, job))
    });
    match test {
        Ok((up, run, host, job)) => lines.push((
            "slurm test job".into(),
            run.exit == ale::judge::Exit::Code(0),
            format!(
                "job {job} on {host} connected back in {:.2} s and ran a case{} ({} ms wall): {}",
                up.as_secs_f64(),
                if limits_boxed() { " in its box" } else { "" },
                run.wall.as_millis(),
                run.exit
            ),
        )),
        Err(e) => lines.push(("slurm test job".into(), false, e.to_string())),
    }
    Ok(lines)
}

/// Whether cases are boxed here (and so asked to be boxed on the workers).
fn limits_boxed() -> bool {
    ale::judge::sandbox::Sandbox::detect().bwrap().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slurm_worker_asks_for_one_cpu_and_the_settings() {
        let file: AleToml = toml::from_str(
            "[workers]\nkind = \"slurm\"\ncount = 2\npartition = \"short\"\naccount = \"p1\"\ntime_limit = \"1:00:00\"\nextra_args = [\"--constraint=avx2\"]\nprogram = \"/shared/ale\"\n",
        )
        .unwrap();
        let file = file.workers.unwrap();
        let (local, remote, elsewhere) = parse("slurm:2,local:1", 1024, &file).unwrap();
        assert_eq!((local, remote.len(), elsewhere), (Some(1), 2, true));
        let line: Vec<String> = remote[1]
            .command
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            line.join(" "),
            "srun --ntasks=1 --cpus-per-task=1 --mem=1536M --job-name=ale-worker --quiet --partition=short --account=p1 --time=1:00:00 --constraint=avx2 /shared/ale __worker"
        );
        assert_eq!(remote[1].label, "slurm:1");
    }

    #[test]
    fn bad_workers_say_what_is_wrong() {
        let none = FileWorkers::default();
        let e = parse("gpu:2", 256, &none).unwrap_err().to_string();
        assert!(e.contains("`gpu:2` is not KIND:N"), "{e}");
        let file: Result<AleToml, _> = toml::from_str("[workers]\nkinds = \"slurm\"\n");
        assert!(file.unwrap_err().to_string().contains("kinds"));
        let short = FileWorkers {
            heartbeat_s: Some(0.5),
            ..FileWorkers::default()
        };
        let e = settings(&short).unwrap_err().to_string();
        assert!(e.contains("heartbeat_s = 0.5"), "{e}");
    }
}
