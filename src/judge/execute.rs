//! Running one solution process: its own process group, an address-space limit,
//! wall time with a kill deadline, peak memory from `wait4`, capped output.

use super::{Limits, STDERR_TAIL_BYTES};
use std::fmt;
use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Exit::Code(c) => write!(f, "exit status {c}"),
            Exit::Signal(s) => write!(f, "killed by signal {s} ({})", signal_name(s)),
        }
    }
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGKILL => "SIGKILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGTERM => "SIGTERM",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        _ => "signal",
    }
}

/// What one process did.
#[derive(Debug, Clone)]
pub struct Execution {
    pub exit: Exit,
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// Peak resident memory reported by the kernel (`ru_maxrss`).
    pub peak_memory_kb: u64,
    pub stdout: Vec<u8>,
    /// The last bytes of stderr, lossily decoded.
    pub stderr_tail: String,
    /// Stdout passed the output limit and the process was killed.
    pub output_overflow: bool,
    /// The process was still running at the kill deadline.
    pub killed_by_timer: bool,
}

/// Runs `exe` with `input` on stdin under `limits`.
pub fn execute(exe: &Path, input: &[u8], limits: &Limits) -> io::Result<Execution> {
    let (mut child, started) = spawn(exe, limits)?;
    let pid = child.id() as i32;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");

    thread::scope(|scope| {
        // A solution that never reads its input must not block the judge: the
        // writer only fails with a broken pipe when the process ends.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let cap = limits.output_limit_bytes;
        let out = scope.spawn(move || read_capped(stdout, cap, pid));
        let err = scope.spawn(move || read_tail(stderr));
        let ended = wait_with_deadline(pid, started, limits.kill_after);
        let (stdout, output_overflow) = out.join().expect("stdout reader");
        let stderr_tail = err.join().expect("stderr reader");
        drop(child);
        Ok(Execution {
            exit: ended.exit,
            wall: ended.wall,
            peak_memory_kb: ended.peak_memory_kb,
            stdout,
            stderr_tail,
            output_overflow,
            killed_by_timer: ended.killed_by_timer,
        })
    })
}

/// Starts the process in its own group, with piped stdio and its rlimits.
pub(crate) fn spawn(exe: &Path, limits: &Limits) -> io::Result<(Child, Instant)> {
    let mut command = Command::new(exe);
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // A clean environment, as on a contest judge: the same solution behaves the
    // same whatever the caller's shell sets (RUST_BACKTRACE, allocator tuning...).
    command.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    let address_space = limits.address_space_bytes;
    // SAFETY: the closure only calls setrlimit, which is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            set_limit(libc::RLIMIT_AS, address_space)?;
            set_limit(libc::RLIMIT_CORE, 0)?;
            Ok(())
        });
    }
    let started = Instant::now();
    let child = command.spawn()?;
    Ok((child, started))
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: a plain system call on a valid struct.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Kills every process of the group led by `pid`.
pub(crate) fn kill_group(pid: i32) {
    // SAFETY: signalling a process group we created; ESRCH is harmless.
    unsafe {
        libc::killpg(pid, libc::SIGKILL);
    }
}

pub(crate) struct Ended {
    pub exit: Exit,
    pub wall: Duration,
    pub peak_memory_kb: u64,
    pub killed_by_timer: bool,
}

/// Waits for `pid`, killing its group at `kill_after`; then kills whatever the
/// solution left behind in its group.
pub(crate) fn wait_with_deadline(pid: i32, started: Instant, kill_after: Duration) -> Ended {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut status = 0;
        // SAFETY: rusage is plain data the kernel fills in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            // SAFETY: waiting on our own child with valid out-pointers.
            let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if r == pid || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                break;
            }
        }
        let _ = tx.send((status, usage.ru_maxrss.max(0) as u64, Instant::now()));
    });
    let remaining = kill_after.saturating_sub(started.elapsed());
    let (received, killed_by_timer) = match rx.recv_timeout(remaining) {
        Ok(r) => (r, false),
        Err(_) => {
            kill_group(pid);
            (rx.recv().expect("waiter thread reports"), true)
        }
    };
    let (status, peak_memory_kb, ended_at) = received;
    kill_group(pid);
    let exit = if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    Ended {
        exit,
        wall: ended_at.duration_since(started),
        peak_memory_kb,
        killed_by_timer,
    }
}

/// Reads all of `r` up to `cap` bytes; past it, kills the group and reports overflow.
fn read_capped(mut r: impl Read, cap: usize, pid: i32) -> (Vec<u8>, bool) {
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => return (data, false),
            Ok(n) => {
                if data.len() + n > cap {
                    kill_group(pid);
                    return (data, true);
                }
                data.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return (data, false),
        }
    }
}

/// Reads all of `r`, keeping only the last [`STDERR_TAIL_BYTES`].
pub(crate) fn read_tail(mut r: impl Read) -> String {
    let mut tail: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                tail.extend_from_slice(&chunk[..n]);
                if tail.len() > 2 * STDERR_TAIL_BYTES {
                    tail.drain(..tail.len() - STDERR_TAIL_BYTES);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let start = tail.len().saturating_sub(STDERR_TAIL_BYTES);
    String::from_utf8_lossy(&tail[start..]).into_owned()
}
