//! `ale __measure`: the command a contest's tester is given as "the solution".
//! It has the spawn server of the ale thread judging the case (inherited as a
//! descriptor) start the real solution with the tester's pipes, in that
//! thread's box and under the solution's limits, waits for it, and writes the
//! solution's own exit, peak memory and wall time to a report file, so that
//! the tester's time never counts.
//!
//! Usage: `ale __measure REPORT FD TAG -- REQUEST...`, where FD is the server's
//! socket, TAG the case's tag and REQUEST the spawn request's parts (see
//! [`super::zygote`]); the report is one line
//! `exit N|signal N PEAK_KB WALL_US TIMER CPU_US FOLDER_FULL`.

use super::sandbox::Launch;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

/// The first argument that turns the `ale` binary into the measuring wrapper.
pub const MEASURE_ARG: &str = "__measure";

/// The descriptor the tester passes on to the wrapper.
pub const SERVER_FD: i32 = 3;

/// Where the wrapper keeps the end of the solution's stderr: beside `report`.
pub fn stderr_file(report: &Path) -> std::path::PathBuf {
    report.with_extension("stderr")
}

/// The wrapper's arguments for case `tag` of `launch`.
pub fn wrapper_arguments(
    report: &Path,
    tag: u64,
    launch: &Launch,
) -> std::io::Result<Vec<OsString>> {
    let mut args: Vec<OsString> = vec![
        MEASURE_ARG.into(),
        report.into(),
        SERVER_FD.to_string().into(),
        tag.to_string().into(),
        "--".into(),
    ];
    let message = super::zygote::request_message(tag, launch)?;
    args.extend(
        message
            .split(|&b| b == 0)
            .map(|part| OsString::from_vec(part.to_vec())),
    );
    Ok(args)
}

/// Runs the wrapper; `args` are the arguments after `__measure`. Returns the
/// exit status: the solution's, or 128 + its signal.
pub fn main(args: &[OsString]) -> i32 {
    let number = |i: usize| {
        args.get(i)
            .and_then(|a| a.to_str())
            .and_then(|a| a.parse::<u64>().ok())
    };
    let (Some(report), Some(fd), Some(tag)) = (args.first(), number(1), number(2)) else {
        eprintln!("ale __measure: malformed arguments (it is started by ale's judge)");
        return 125;
    };
    if args.get(3).is_none_or(|a| a != "--") || args.len() < 6 {
        eprintln!("ale __measure: malformed arguments (it is started by ale's judge)");
        return 125;
    }
    let message = args[4..]
        .iter()
        .map(|a| a.as_bytes())
        .collect::<Vec<_>>()
        .join(&0u8);
    let fd = fd as i32;
    // SAFETY: F_GETFD only asks whether the descriptor is open.
    if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
        eprintln!(
            "ale __measure: descriptor {fd} from ale's judge is not open: the tester must pass its descriptors on to the solution it starts"
        );
        return 125;
    }
    // The solution's stderr is its own, kept beside the report: never the
    // tester's, where the judge looks for the score.
    let (stderr_r, stderr_w) = match std::io::pipe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ale __measure: a pipe for the solution's stderr: {e}");
            return 125;
        }
    };
    let drain =
        std::thread::spawn(move || super::execute::read_tail(stderr_r, super::STDERR_TAIL_BYTES));
    let ran = {
        use std::os::fd::AsRawFd;
        super::zygote::run_here(fd, tag, &message, stderr_w.as_raw_fd())
    };
    drop(stderr_w);
    let ended = match ran {
        Ok(e) => e,
        Err(e) => {
            eprintln!("ale __measure: could not run the solution: {e}");
            return 126;
        }
    };
    let tail = drain.join().unwrap_or_default();
    if let Err(e) = std::fs::write(stderr_file(Path::new(report)), tail) {
        eprintln!("ale __measure: could not keep the solution's stderr: {e}");
        return 125;
    }
    let code = match ended.exit {
        super::Exit::Signal(s) => 128 + s,
        super::Exit::Code(c) => c,
    };
    if let Err(e) = std::fs::write(report, super::zygote::figures(&ended) + "\n") {
        eprintln!("ale __measure: could not write the report: {e}");
        return 125;
    }
    code
}
