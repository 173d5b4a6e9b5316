//! `ale __measure`: the command a contest's tester is given as "the solution".
//! It starts the real solution with the tester's pipes, under the solution's
//! limits, waits for it, and writes the solution's own exit, peak memory and
//! wall time to a report file, so that the tester's time never counts.
//!
//! Usage: `ale __measure REPORT AS CPU FSIZE NPROC FOLDER -- COMMAND...`; the
//! report is one line `exit N|signal N MAXRSS_KB WALL_US`.

use super::sandbox::Rlimits;
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::time::Instant;

/// The first argument that turns the `ale` binary into the measuring wrapper.
pub const MEASURE_ARG: &str = "__measure";

/// The wrapper's arguments for a solution command line.
pub fn wrapper_arguments(
    report: &std::path::Path,
    launch: &super::sandbox::Launch,
) -> Vec<OsString> {
    let r = &launch.rlimits;
    let mut args: Vec<OsString> = vec![MEASURE_ARG.into(), report.into()];
    for n in [r.address_space, r.cpu_seconds, r.file_size, r.processes] {
        args.push(n.to_string().into());
    }
    args.push(launch.cwd.clone().into_os_string());
    args.push("--".into());
    args.extend(launch.argv.iter().cloned());
    args
}

/// Runs the wrapper; `args` are the arguments after `__measure`. Returns the
/// exit status: the solution's, or 128 + its signal.
pub fn main(args: &[OsString]) -> i32 {
    let number = |i: usize| {
        args.get(i)
            .and_then(|a| a.to_str())
            .and_then(|a| a.parse::<u64>().ok())
    };
    let (
        Some(report),
        Some(address_space),
        Some(cpu_seconds),
        Some(file_size),
        Some(processes),
        Some(cwd),
    ) = (
        args.first(),
        number(1),
        number(2),
        number(3),
        number(4),
        args.get(5),
    )
    else {
        eprintln!("ale __measure: malformed arguments (it is started by ale's judge)");
        return 125;
    };
    if args.get(6).is_none_or(|a| a != "--") || args.len() < 8 {
        eprintln!("ale __measure: malformed arguments (it is started by ale's judge)");
        return 125;
    }
    let rlimits = Rlimits {
        address_space,
        cpu_seconds,
        file_size,
        processes,
    };
    let mut command = std::process::Command::new(&args[7]);
    command.args(&args[8..]).current_dir(PathBuf::from(cwd));
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        command.pre_exec(move || rlimits.apply());
    }
    let started = Instant::now();
    let child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "ale __measure: could not start {}: {e}",
                args[7].to_string_lossy()
            );
            return 126;
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    let wall_us = started.elapsed().as_micros();
    let (line, code) = if libc::WIFSIGNALED(status) {
        let s = libc::WTERMSIG(status);
        (format!("signal {s}"), 128 + s)
    } else {
        let c = libc::WEXITSTATUS(status);
        (format!("exit {c}"), c)
    };
    let line = format!("{line} {} {wall_us}\n", usage.ru_maxrss.max(0));
    if let Err(e) = std::fs::write(report, line) {
        eprintln!("ale __measure: could not write the report: {e}");
        return 125;
    }
    code
}
