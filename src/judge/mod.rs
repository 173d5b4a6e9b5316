//! The judge: compiles a solution once, runs it on one case under the limits,
//! relays interactive problems, and turns what happened into a verdict.

pub mod atcoder;
mod compile;
pub mod compile_box;
mod execute;
pub mod exit;
mod interactive;
pub mod languages;
pub mod measure;
pub mod sandbox;
pub mod zygote;

pub use compile::{hex as compile_hex, prepare, prepare_in, prepare_with, Prepared};
pub(crate) use execute::execute_passing;
pub use execute::{execute, launcher, Execution, Exit};
pub use interactive::{execute_interactive, solution_lines, Interaction};
pub(crate) use zygote::reserve as reserve_server;

use serde::Serialize;
use std::fmt;
use std::time::Duration;

/// The outcome of one case, in the contest's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Verdict {
    /// Accepted: a valid output, scored.
    AC,
    /// Wrong answer: the scorer rejected the output.
    WA,
    /// Time limit exceeded: the larger of wall time and CPU time (user +
    /// system, every thread and process) passed the limit, as on the contest's judge.
    TLE,
    /// Memory limit exceeded (peak resident memory).
    MLE,
    /// Output limit exceeded.
    OLE,
    /// Runtime error: non-zero exit status or a signal.
    RE,
    /// Compile error.
    CE,
    /// Internal error of the judge or its tools, never the solution's fault.
    IE,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::AC => "AC",
            Verdict::WA => "WA",
            Verdict::TLE => "TLE",
            Verdict::MLE => "MLE",
            Verdict::OLE => "OLE",
            Verdict::RE => "RE",
            Verdict::CE => "CE",
            Verdict::IE => "IE",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        [
            Verdict::AC,
            Verdict::WA,
            Verdict::TLE,
            Verdict::MLE,
            Verdict::OLE,
            Verdict::RE,
            Verdict::CE,
            Verdict::IE,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Default output cap: beyond it the verdict is `OLE`.
pub const OUTPUT_LIMIT_BYTES: usize = 64 << 20;
/// The processes and threads a solution may have at once (its cgroup's
/// `pids.max` and, per box uid, `RLIMIT_NPROC`).
pub const PROCESS_LIMIT: u64 = 256;
/// How much of the end of stderr is kept.
pub const STDERR_TAIL_BYTES: usize = 4096;

/// The limits one case runs under.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Over this wall time the verdict is `TLE`.
    pub time_limit: Duration,
    /// The process group is killed at this wall time.
    pub kill_after: Duration,
    /// Over this peak resident memory the verdict is `MLE`.
    pub memory_limit_kb: u64,
    /// `RLIMIT_AS`, which stops runaway allocation.
    pub address_space_bytes: u64,
    /// Over this much stdout the process is killed and the verdict is `OLE`;
    /// also the largest file it may write.
    pub output_limit_bytes: usize,
    /// Processes and threads at once, which stops fork bombs.
    pub processes: u64,
    /// What a boxed case may write in its folder (its own tmpfs).
    pub disk_limit_bytes: u64,
    /// How much of the end of stderr is kept.
    pub stderr_bytes: usize,
    /// The bubblewrap program when solutions run boxed.
    pub sandbox: Option<std::path::PathBuf>,
}

impl Limits {
    /// The limits of a problem: `kill_factor` x the time limit before the kill,
    /// an address space of twice the memory limit plus 256 MiB of headroom for
    /// the runtime's mappings.
    pub fn new(time_limit_ms: u64, memory_limit_mb: u64, kill_factor: f64) -> Limits {
        let time_limit = Duration::from_millis(time_limit_ms);
        Limits {
            time_limit,
            kill_after: time_limit.mul_f64(kill_factor.max(1.0)),
            memory_limit_kb: memory_limit_mb * 1024,
            address_space_bytes: (2 * memory_limit_mb + 256) << 20,
            output_limit_bytes: OUTPUT_LIMIT_BYTES,
            processes: PROCESS_LIMIT,
            disk_limit_bytes: sandbox::DISK_LIMIT_BYTES,
            stderr_bytes: STDERR_TAIL_BYTES,
            sandbox: None,
        }
    }
}

/// What a case came to: verdict, score, resources, a message, the output.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub verdict: Verdict,
    pub score: Option<i64>,
    /// The time judged against the limit: the larger of `wall` and `cpu`.
    pub time: Duration,
    pub wall: Duration,
    pub cpu: Duration,
    pub memory_kb: u64,
    pub message: Option<String>,
    /// The solution's output (for interactive problems, the lines it wrote).
    pub output: Vec<u8>,
    /// For interactive problems, both sides of the exchange (`< ` judge, `> ` solution).
    pub transcript: Option<String>,
    /// The last [`STDERR_TAIL_BYTES`] of what the solution wrote on stderr.
    pub stderr_tail: String,
}

impl Outcome {
    /// An outcome for a case that never ran (compile error, judge failure).
    pub fn not_run(verdict: Verdict, message: String) -> Outcome {
        Outcome {
            verdict,
            score: None,
            time: Duration::ZERO,
            wall: Duration::ZERO,
            cpu: Duration::ZERO,
            memory_kb: 0,
            message: Some(message),
            output: Vec::new(),
            stderr_tail: String::new(),
            transcript: None,
        }
    }
}

/// Runs a solution's command line on one input and judges it with the problem's scorer.
pub fn judge_case(
    command: &[impl AsRef<std::ffi::OsStr>],
    scorer: &dyn scorers::Problem,
    input: &str,
    limits: &Limits,
) -> Outcome {
    if scorer.interactive() {
        let Some(session) = scorer.session(input) else {
            return Outcome::not_run(
                Verdict::IE,
                "the interactive judge rejected the input".into(),
            );
        };
        return match execute_interactive(command, session, limits) {
            Ok((run, interaction)) => {
                let mut outcome = verdict_of(run, limits, |_| {
                    judged(interaction.result.map_err(|wa| wa.0))
                });
                outcome.transcript = Some(interaction.transcript);
                outcome
            }
            Err(e) => Outcome::not_run(Verdict::IE, format!("could not run the solution: {e}")),
        };
    }
    judge_with(command, input, limits, |stdout| {
        score_output(scorer, input, stdout)
    })
}

/// What a built-in scorer makes of a batch problem's output.
pub fn score_output(scorer: &dyn scorers::Problem, input: &str, stdout: &[u8]) -> Judged {
    judged(match std::str::from_utf8(stdout) {
        Ok(text) => scorer.score(input, text).map_err(|wa| wa.0),
        Err(e) => Err(format!(
            "the output is not valid UTF-8 (byte {})",
            e.valid_up_to()
        )),
    })
}

/// What a scorer made of a clean run's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judged {
    Score(i64),
    /// A wrong answer, and why.
    Wrong(String),
    /// The scorer itself failed: an internal error, never the solution's fault.
    Broken(String),
}

/// Runs a batch solution and scores its output with `score`.
pub fn judge_with(
    command: &[impl AsRef<std::ffi::OsStr>],
    input: &str,
    limits: &Limits,
    score: impl FnOnce(&[u8]) -> Judged,
) -> Outcome {
    match execute(command, input.as_bytes(), limits) {
        Ok(run) => verdict_of(run, limits, score),
        Err(e) => Outcome::not_run(Verdict::IE, format!("could not run the solution: {e}")),
    }
}

fn judged(result: Result<i64, String>) -> Judged {
    match result {
        Ok(s) => Judged::Score(s),
        Err(why) => Judged::Wrong(why),
    }
}

/// The verdict of an execution; `score` is asked only when the run was clean.
pub fn verdict_of(run: Execution, limits: &Limits, score: impl FnOnce(&[u8]) -> Judged) -> Outcome {
    let tail = run.stderr_tail.trim_end();
    let with_stderr = |what: String| {
        if tail.is_empty() {
            what
        } else {
            format!("{what}; stderr ends with: {}", last_lines(tail, 5))
        }
    };
    let out_of_memory = run.peak_memory_kb > limits.memory_limit_kb
        || (run.exit != Exit::Code(0) && tail.contains("memory allocation of"));
    // Memory before time: a process over the memory limit broke it whatever its
    // speed, and a runaway allocation is often also slow.
    let time = run.wall.max(run.cpu);
    let (verdict, score, message) = if run.output_overflow {
        (
            Verdict::OLE,
            None,
            Some(format!(
                "output exceeded {} bytes",
                limits.output_limit_bytes
            )),
        )
    } else if out_of_memory {
        let m = format!(
            "peak memory {} KiB, limit {} KiB",
            run.peak_memory_kb, limits.memory_limit_kb
        );
        (Verdict::MLE, None, Some(with_stderr(m)))
    } else if time > limits.time_limit || run.killed_by_timer {
        let m = format!(
            "ran {} ms (wall {} ms, cpu {} ms), over the time limit of {} ms{}",
            time.as_millis(),
            run.wall.as_millis(),
            run.cpu.as_millis(),
            limits.time_limit.as_millis(),
            if run.killed_by_timer { " (killed)" } else { "" }
        );
        (Verdict::TLE, None, Some(m))
    } else if run.folder_full {
        let m = format!(
            "its files filled the case's folder ({} MiB); write less, or raise the problem's disk_limit_mb",
            limits.disk_limit_bytes >> 20
        );
        (Verdict::OLE, None, Some(with_stderr(m)))
    } else if run.exit != Exit::Code(0) {
        (Verdict::RE, None, Some(with_stderr(run.exit.to_string())))
    } else {
        match score(&run.stdout) {
            Judged::Score(s) => (Verdict::AC, Some(s), None),
            Judged::Wrong(e) => (Verdict::WA, None, Some(e)),
            Judged::Broken(e) => (Verdict::IE, None, Some(format!("the scorer failed: {e}"))),
        }
    };
    Outcome {
        verdict,
        score,
        time,
        wall: run.wall,
        cpu: run.cpu,
        memory_kb: run.peak_memory_kb,
        message,
        output: run.stdout,
        stderr_tail: run.stderr_tail,
        transcript: None,
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}
