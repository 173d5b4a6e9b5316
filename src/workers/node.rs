//! The worker's side: an `ale __worker --connect HOST:PORT` process, started
//! on a cluster node by `srun` (or beside the judge), that connects back to
//! the judge and runs solutions for it. Program files arrive once and are
//! kept by their hash; each case runs under the limits given, in the
//! worker's own box, and its figures and output go back. Scoring and the
//! store stay with the judge.

use super::protocol::{read_frame, write_frame, Header, WireLimits, ALIVE_EVERY, TOKEN_VAR};
use crate::judge::{execute, Execution, Exit, Limits};
use std::ffi::OsString;
use std::io;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

/// How a worker runs a case: [`execute`] on the node, or (to measure the
/// judge alone) anything that answers like it.
pub type RunCase<'a> = dyn Fn(&[OsString], &[u8], &Limits) -> io::Result<Execution> + Sync + 'a;

/// `ale __worker --connect ADDRESS --label LABEL`: connects to the judge,
/// shows it the token of [`TOKEN_VAR`], and serves it, keeping programs
/// under `cache`. Its exit status.
pub fn main(address: &str, label: &str, cache: &Path) -> i32 {
    let Ok(token) = std::env::var(TOKEN_VAR) else {
        eprintln!("ale worker: no {TOKEN_VAR}: a worker is started by the judge (--workers)");
        return 2;
    };
    let stream = match connect(address, &token, label) {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("ale worker {label}: cannot reach the judge at {address}: {e}");
            return 2;
        }
    };
    let bwrap = crate::judge::sandbox::Sandbox::detect()
        .bwrap()
        .map(Path::to_path_buf);
    let run = |argv: &[OsString], input: &[u8], limits: &Limits| {
        let mut l = limits.clone();
        if l.sandbox.is_some() {
            l.sandbox = bwrap.clone();
        }
        execute(argv, input, &l)
    };
    match serve(stream, cache, bwrap.is_some(), &run) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ale worker {label}: {e}");
            2
        }
    }
}

/// Connects to the judge at `address` and says hello with `token`.
pub fn connect(address: &str, token: &str, label: &str) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_nodelay(true)?;
    let hello = Header::Hello {
        token: token.to_string(),
        label: label.to_string(),
        job: std::env::var("SLURM_JOB_ID").ok(),
        host: std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        boxed: crate::judge::sandbox::Sandbox::detect().bwrap().is_some(),
    };
    write_frame(&mut stream, &hello, &[])?;
    Ok(stream)
}

/// The worker's side: serves requests on `stream` until the judge closes it
/// (or says `bye`), keeping programs under `cache` and running cases with
/// `run`; `boxed` says whether this worker can box them.
pub fn serve(stream: TcpStream, cache: &Path, boxed: bool, run: &RunCase) -> io::Result<()> {
    // The box runs programs from elsewhere: their paths must not depend on
    // the worker's folder.
    let cache = std::path::absolute(cache)?;
    let writer = Mutex::new(stream.try_clone()?);
    let send = |header: &Header, payload: &[u8]| {
        let mut w = writer.lock().unwrap_or_else(|p| p.into_inner());
        write_frame(&mut *w, header, payload)
    };
    let mut input = io::BufReader::new(stream);
    loop {
        let (header, payload) = match read_frame(&mut input) {
            Ok(frame) => frame,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        // Alive every second while a request is served (a case, or a file
        // kept on a slow disk).
        let alive = |work: &mut dyn FnMut() -> (Header, Vec<u8>)| {
            let (done, wait) = mpsc::channel::<()>();
            let send = &send;
            std::thread::scope(|s| {
                s.spawn(move || {
                    while let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(ALIVE_EVERY)
                    {
                        if send(&Header::Alive, &[]).is_err() {
                            return;
                        }
                    }
                });
                let reply = work();
                drop(done);
                reply
            })
        };
        let reply = match header {
            Header::Put { hash, name, .. } => {
                alive(&mut || match store(&cache, &hash, &name, &payload) {
                    Ok(()) => (Header::Stored { hash: hash.clone() }, Vec::new()),
                    Err(e) => {
                        let message = format!("could not keep {hash}/{name}: {e}");
                        (Header::Failed { id: 0, message }, Vec::new())
                    }
                })
            }
            Header::Run {
                id, argv, limits, ..
            } => alive(&mut || run_case(&cache, id, &argv, &limits, &payload, boxed, run)),
            Header::Bye => return Ok(()),
            other => (
                Header::Failed {
                    id: 0,
                    message: format!("not a request: {other:?}"),
                },
                Vec::new(),
            ),
        };
        if send(&reply.0, &reply.1).is_err() {
            return Ok(()); // the judge is gone
        }
    }
}

/// A name that stays in its folder: letters, digits, `.`, `_`, `-`, and not
/// `.` or `..`.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && s != ".."
        && s != "."
}

fn store(cache: &Path, hash: &str, name: &str, bytes: &[u8]) -> io::Result<()> {
    if !plain(hash) || !plain(name) {
        return Err(io::Error::other(
            "a hash and a name of letters, digits, . _ - only",
        ));
    }
    let dir = cache.join(hash);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    // Written beside and renamed: a worker killed half-way leaves no half
    // file, and workers of other nodes sharing the folder do not collide.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let staging = dir.join(format!(".{name}.{}.{}", host.trim(), std::process::id()));
    std::fs::write(&staging, bytes)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(0o755))?;
    std::fs::rename(&staging, &path)
}

fn run_case(
    cache: &Path,
    id: u64,
    argv: &[String],
    limits: &WireLimits,
    input: &[u8],
    boxed: bool,
    run: &RunCase,
) -> (Header, Vec<u8>) {
    let failed = |message: String| (Header::Failed { id, message }, Vec::new());
    if limits.boxed() && !boxed {
        return failed(
            "the judge runs solutions boxed, and this worker has no box (bubblewrap)".into(),
        );
    }
    let mut command = Vec::new();
    for arg in argv {
        match arg.strip_prefix("{file:").and_then(|a| a.strip_suffix('}')) {
            Some(file) => {
                if !file
                    .split_once('/')
                    .is_some_and(|(h, n)| plain(h) && plain(n))
                {
                    return failed(format!("{file}: not a file of the cache"));
                }
                let path = cache.join(file);
                if !path.is_file() {
                    return failed(format!("no {file} here: put it first"));
                }
                command.push(path.into_os_string());
            }
            None => command.push(arg.into()),
        }
    }
    // A marker: the worker boxes with its own bubblewrap.
    let l = limits.limits(limits.boxed().then(PathBuf::new));
    match run(&command, input, &l) {
        Ok(e) => {
            let (exit_code, signal) = match e.exit {
                Exit::Code(c) => (Some(c), None),
                Exit::Signal(s) => (None, Some(s)),
            };
            (
                Header::Ran {
                    id,
                    exit_code,
                    signal,
                    wall_us: e.wall.as_micros() as u64,
                    cpu_us: e.cpu.as_micros() as u64,
                    peak_memory_kb: e.peak_memory_kb,
                    folder_full: e.folder_full,
                    stderr_tail: e.stderr_tail,
                    output_overflow: e.output_overflow,
                    killed_by_timer: e.killed_by_timer,
                    payload: e.stdout.len(),
                },
                e.stdout,
            )
        }
        Err(e) => failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_may_not_leave_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        assert!(store(dir.path(), "..", "x", b"").is_err());
        assert!(store(dir.path(), "ab", "../x", b"").is_err());
        store(dir.path(), "ab", "main", b"#!").unwrap();
        assert_eq!(std::fs::read(dir.path().join("ab/main")).unwrap(), b"#!");
    }
}
