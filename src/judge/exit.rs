//! How a process ended, as the judge, the box and the spawn server all say
//! it: a leaf that imports nothing of the judge, so that `execute`,
//! `sandbox` and `zygote` share it without depending on one another.

use std::fmt;
use std::time::Duration;

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

/// How a solution ended.
pub(crate) struct Ended {
    pub exit: Exit,
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_memory_kb: u64,
    pub killed_by_timer: bool,
    pub folder_full: bool,
}

/// Kills every process of the group led by `pid`.
pub(crate) fn kill_group(pid: i32) {
    // SAFETY: signalling a process group we created; ESRCH is harmless.
    unsafe {
        libc::killpg(pid, libc::SIGKILL);
    }
}
