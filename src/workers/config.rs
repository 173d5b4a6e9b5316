//! Where cases are judged, as `--workers local:N,proc:N,slurm:N` and
//! `[workers]` in ale.toml say: `local` is worker threads of the judge's own
//! process, `proc` worker processes on this machine, `slurm` one-CPU Slurm
//! tasks on the cluster's nodes.
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

use super::pool::{PoolSettings, Remote};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `[workers]` of ale.toml.
#[derive(Deserialize, Debug, Default, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkersConfig {
    pub kind: Option<String>,
    pub count: Option<usize>,
    pub local: Option<usize>,
    pub partition: Option<String>,
    pub account: Option<String>,
    pub time_limit: Option<String>,
    #[serde(default)]
    pub extra_args: Vec<String>,
    pub start_timeout_s: Option<f64>,
    pub heartbeat_s: Option<f64>,
    pub address: Option<String>,
    pub program: Option<PathBuf>,
    pub fallback: Option<String>,
}

/// The tables of ale.toml this room reads; the others belong to others.
#[derive(Deserialize, Debug)]
struct AleToml {
    workers: Option<WorkersConfig>,
}

impl WorkersConfig {
    /// `[workers]` of `path`; the default when the file or the table is not
    /// there.
    pub fn read(path: &Path) -> Result<WorkersConfig> {
        if !path.is_file() {
            return Ok(WorkersConfig::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let file: AleToml = toml::from_str(&text).map_err(|e| Error::BadInput {
            path: path.to_path_buf(),
            message: format!("[workers]: {}", e.message()),
        })?;
        Ok(file.workers.unwrap_or_default())
    }

    /// The workers `flag` (a `--workers` value) says, or else this table.
    pub fn spec(&self, flag: Option<&str>) -> Option<String> {
        if let Some(spec) = flag {
            return Some(spec.to_string());
        }
        let kind = self.kind.as_ref()?;
        let mut spec = format!("{kind}:{}", self.count.unwrap_or(1));
        if let Some(n) = self.local {
            spec.push_str(&format!(",local:{n}"));
        }
        Some(spec)
    }

    /// Whether to judge here when the workers cannot start (`flag`, or
    /// `fallback` of the table); an error for any fallback but `local`.
    pub fn fallback_local(&self, flag: Option<&str>) -> Result<bool> {
        match flag.or(self.fallback.as_deref()) {
            None => Ok(false),
            Some("local") => Ok(true),
            Some(other) => Err(Error::Usage(format!(
                "ale.toml [workers]: fallback = \"{other}\"; the one fallback is \"local\""
            ))),
        }
    }

    /// How the pool waits for and listens to its workers.
    pub fn settings(&self) -> Result<PoolSettings> {
        let seconds = |v: Option<f64>, name: &str, least: f64, default: u64| match v {
            None => Ok(Duration::from_secs(default)),
            Some(s) if s.is_finite() && s >= least => Ok(Duration::from_secs_f64(s)),
            Some(s) => Err(Error::Usage(format!(
                "ale.toml [workers]: {name} = {s}; give at least {least} seconds"
            ))),
        };
        let mut origin = "--workers and [workers] in ale.toml".to_string();
        for (name, value) in [
            ("partition", &self.partition),
            ("account", &self.account),
            ("time_limit", &self.time_limit),
            ("address", &self.address),
        ] {
            if let Some(v) = value {
                origin.push_str(&format!(", {name} = \"{v}\""));
            }
        }
        Ok(PoolSettings {
            start_timeout: seconds(self.start_timeout_s, "start_timeout_s", 1.0, 60)?,
            // Workers say they are alive every second.
            heartbeat: seconds(self.heartbeat_s, "heartbeat_s", 3.0, 10)?,
            address: self.address.clone(),
            origin,
        })
    }
}

/// The workers of a `--workers` value.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Local worker threads (None: as `-j` says).
    pub local: Option<usize>,
    pub remote: Vec<Remote>,
    /// Whether any runs on another machine (the pool then listens on every
    /// interface).
    pub elsewhere: bool,
}

/// The workers of `spec` for a problem of `memory_limit_mb`, under `config`.
pub fn parse(spec: &str, memory_limit_mb: u64, config: &WorkersConfig) -> Result<Layout> {
    let exe = match &config.program {
        Some(p) => p.clone(),
        None => std::env::current_exe()
            .map_err(|e| Error::Internal(format!("cannot find the ale binary: {e}")))?,
    };
    let mut layout = Layout {
        local: None,
        remote: Vec::new(),
        elsewhere: false,
    };
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
            "local" => layout.local = Some(layout.local.unwrap_or(0) + n),
            "proc" => {
                for _ in 0..n {
                    layout.remote.push(Remote {
                        command: vec![exe.clone().into(), super::WORKER_ARG.into()],
                        label: format!("proc:{procs}"),
                    });
                    procs += 1;
                }
            }
            "slurm" => {
                layout.elsewhere |= n > 0;
                for _ in 0..n {
                    layout.remote.push(Remote {
                        command: srun(&exe, memory_limit_mb, config),
                        label: format!("slurm:{slurms}"),
                    });
                    slurms += 1;
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(layout)
}

/// The `srun` command line of one Slurm worker: one task, one CPU, the
/// problem's memory and headroom for the worker, under the settings of
/// `[workers]`. The pool adds where to connect.
fn srun(exe: &Path, memory_limit_mb: u64, config: &WorkersConfig) -> Vec<OsString> {
    let mut c: Vec<OsString> = vec![
        "srun".into(),
        "--ntasks=1".into(),
        "--cpus-per-task=1".into(),
        format!("--mem={}M", memory_limit_mb + 512).into(),
        "--job-name=ale-worker".into(),
        "--quiet".into(),
    ];
    if let Some(p) = &config.partition {
        c.push(format!("--partition={p}").into());
    }
    if let Some(a) = &config.account {
        c.push(format!("--account={a}").into());
    }
    if let Some(t) = &config.time_limit {
        c.push(format!("--time={t}").into());
    }
    c.extend(config.extra_args.iter().map(OsString::from));
    c.push(exe.into());
    c.push(super::WORKER_ARG.into());
    c
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
        let config = file.workers.unwrap();
        assert_eq!(config.spec(None).as_deref(), Some("slurm:2"));
        assert_eq!(config.spec(Some("proc:1")).as_deref(), Some("proc:1"));
        let layout = parse("slurm:2,local:1", 1024, &config).unwrap();
        assert_eq!(
            (layout.local, layout.remote.len(), layout.elsewhere),
            (Some(1), 2, true)
        );
        let line: Vec<String> = layout.remote[1]
            .command
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            line.join(" "),
            "srun --ntasks=1 --cpus-per-task=1 --mem=1536M --job-name=ale-worker --quiet --partition=short --account=p1 --time=1:00:00 --constraint=avx2 /shared/ale __worker"
        );
        assert_eq!(layout.remote[1].label, "slurm:1");
        let settings = config.settings().unwrap();
        assert!(settings.origin.contains("partition = \"short\""));
    }

    #[test]
    fn bad_workers_say_what_is_wrong() {
        let none = WorkersConfig::default();
        let e = parse("gpu:2", 256, &none).unwrap_err().to_string();
        assert!(e.contains("`gpu:2` is not KIND:N"), "{e}");
        let file: std::result::Result<AleToml, _> =
            toml::from_str("[workers]\nkinds = \"slurm\"\n");
        assert!(file.unwrap_err().to_string().contains("kinds"));
        let short = WorkersConfig {
            heartbeat_s: Some(0.5),
            ..WorkersConfig::default()
        };
        let e = short.settings().unwrap_err().to_string();
        assert!(e.contains("heartbeat_s = 0.5"), "{e}");
        let e = none.fallback_local(Some("cloud")).unwrap_err().to_string();
        assert!(e.contains("the one fallback is \"local\""), "{e}");
        assert!(none.fallback_local(Some("local")).unwrap());
        assert!(!none.fallback_local(None).unwrap());
    }
}
