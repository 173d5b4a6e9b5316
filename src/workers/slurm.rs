//! The checks of a Slurm cluster's set-up that `ale doctor` reports (the
//! `srun` line of a worker is made with the rest of the layout, in `config`).

use super::config::WorkersConfig;
use super::pool::{Pool, Remote};
use crate::error::{Error, Result};
use std::path::Path;
use std::process::Command;

/// One finding of [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub what: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// Checks the Slurm set-up for `worker` (one Slurm worker of the layout):
/// Slurm's commands on the PATH, the partition, and a one-task test job
/// that connects back and runs a case in its box.
pub fn check(config: &WorkersConfig, worker: &Remote) -> Vec<Check> {
    let mut checks = Vec::new();
    let runs = |c: &str| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let missing: Vec<&str> = ["srun", "sinfo", "squeue", "scancel"]
        .into_iter()
        .filter(|c| !runs(c))
        .collect();
    if !missing.is_empty() {
        checks.push(Check {
            what: "slurm",
            ok: false,
            detail: format!(
                "{} not found on the PATH: Slurm workers cannot start (run ale where Slurm's client commands are)",
                missing.join(", ")
            ),
        });
        return checks;
    }
    let version = Command::new("srun")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    checks.push(Check {
        what: "slurm",
        ok: true,
        detail: format!("{version}: srun, sinfo, squeue, scancel"),
    });
    checks.push(partition(config.partition.as_deref()));
    checks.push(test_job(config, worker));
    checks
}

/// The partition configured (or the cluster's default): there and up.
fn partition(wanted: Option<&str>) -> Check {
    let listed = Command::new("sinfo")
        .args(["-h", "-o", "%P %a %D %c"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    let rows: Vec<Vec<&str>> = listed
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|r| r.len() == 4)
        .collect();
    let row = rows.iter().find(|r| match wanted {
        Some(p) => r[0].trim_end_matches('*') == p,
        None => r[0].ends_with('*'),
    });
    let what = "slurm partition";
    match (row, wanted) {
        (Some(r), _) => Check {
            what,
            ok: r[1] == "up",
            detail: format!(
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
        },
        (None, Some(p)) => Check {
            what,
            ok: false,
            detail: format!(
                "no partition `{p}` (partition in [workers] of ale.toml); the partitions are {}",
                rows.iter().map(|r| r[0]).collect::<Vec<_>>().join(", ")
            ),
        },
        (None, None) => Check {
            what,
            ok: false,
            detail: "no default partition: set partition in [workers] of ale.toml".into(),
        },
    }
}

/// One worker started as the judge starts them: it connects back and runs
/// `/usr/bin/true` on its node, boxed when cases are boxed here.
fn test_job(config: &WorkersConfig, worker: &Remote) -> Check {
    let started = std::time::Instant::now();
    let bwrap = crate::judge::sandbox::Sandbox::detect()
        .bwrap()
        .map(Path::to_path_buf);
    let boxed = bwrap.is_some();
    let test = config.settings().and_then(|settings| {
        let pool = Pool::listen(settings, true)?;
        pool.launch(std::slice::from_ref(worker))?;
        pool.wait_started(1)?;
        let up = started.elapsed();
        let mut w = pool
            .take_idle()
            .pop()
            .ok_or_else(|| Error::Internal("no worker".into()))?;
        let mut limits = crate::judge::Limits::new(5000, 256, 1.5);
        limits.sandbox = bwrap;
        let run = w
            .run(&["/usr/bin/true".into()], b"", &limits)
            .map_err(|e| Error::Usage(format!("the test case did not run on the worker: {e}")))?;
        let hello = w.hello.clone();
        pool.give_back(w);
        Result::Ok((up, run, hello))
    });
    match test {
        Ok((up, run, hello)) => Check {
            what: "slurm test job",
            ok: run.exit == crate::judge::Exit::Code(0),
            detail: format!(
                "job {} on {} connected back in {:.2} s and ran a case{} ({} ms wall): {}",
                hello.job.unwrap_or_default(),
                hello.host,
                up.as_secs_f64(),
                if boxed { " in its box" } else { "" },
                run.wall.as_millis(),
                run.exit
            ),
        },
        Err(e) => Check {
            what: "slurm test job",
            ok: false,
            detail: e.to_string(),
        },
    }
}
