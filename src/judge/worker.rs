//! A worker: an `ale __worker` process that runs solutions for a judge
//! elsewhere, over a byte stream (its standard input and output, which
//! `srun` carries to and from a cluster node as well as a pipe does
//! locally). The judge sends a program's files once (kept on the worker by
//! their hash) and then cases: the worker runs each under the limits given,
//! in its own box, and sends back the run's figures and output. Scoring and
//! the store stay with the judge.
//!
//! A frame is a 4-byte big-endian length, a JSON header of that length, and
//! the `payload` bytes the header announces.

use super::exit::Exit;
use super::{execute, Execution, Limits};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

/// The argument that makes `ale` a worker.
pub const WORKER_ARG: &str = "__worker";

/// A program's file as a case's command line names it: `{file:HASH/NAME}`.
fn file_token(hash: &str, name: &str) -> String {
    format!("{{file:{hash}/{name}}}")
}

/// The limits of a case as they travel (the worker boxes with its own
/// bubblewrap when `boxed`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WireLimits {
    time_limit_ms: u64,
    kill_after_ms: u64,
    memory_limit_kb: u64,
    address_space_bytes: u64,
    output_limit_bytes: usize,
    processes: u64,
    disk_limit_bytes: u64,
    stderr_bytes: usize,
    boxed: bool,
}

impl From<&Limits> for WireLimits {
    fn from(l: &Limits) -> WireLimits {
        WireLimits {
            time_limit_ms: l.time_limit.as_millis() as u64,
            kill_after_ms: l.kill_after.as_millis() as u64,
            memory_limit_kb: l.memory_limit_kb,
            address_space_bytes: l.address_space_bytes,
            output_limit_bytes: l.output_limit_bytes,
            processes: l.processes,
            disk_limit_bytes: l.disk_limit_bytes,
            stderr_bytes: l.stderr_bytes,
            boxed: l.sandbox.is_some(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Header {
    /// A program file (the payload), kept as `<cache>/<hash>/<name>`.
    Put {
        hash: String,
        name: String,
        payload: usize,
    },
    Stored {
        hash: String,
    },
    /// A case: the command line (with `{file:HASH/NAME}` tokens), the limits,
    /// the input (the payload).
    Run {
        id: u64,
        argv: Vec<String>,
        limits: WireLimits,
        payload: usize,
    },
    /// A case's run: its figures, and its output (the payload).
    Ran {
        id: u64,
        exit_code: Option<i32>,
        signal: Option<i32>,
        wall_us: u64,
        cpu_us: u64,
        peak_memory_kb: u64,
        folder_full: bool,
        stderr_tail: String,
        output_overflow: bool,
        killed_by_timer: bool,
        payload: usize,
    },
    /// The request could not be served (a missing file, no box).
    Failed {
        id: u64,
        message: String,
    },
    Bye,
}

fn write_frame(w: &mut impl Write, header: &Header, payload: &[u8]) -> io::Result<()> {
    let head = serde_json::to_vec(header).map_err(io::Error::other)?;
    w.write_all(&(head.len() as u32).to_be_bytes())?;
    w.write_all(&head)?;
    w.write_all(payload)?;
    w.flush()
}

fn read_frame(r: &mut impl Read) -> io::Result<(Header, Vec<u8>)> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let mut head = vec![0u8; u32::from_be_bytes(len) as usize];
    r.read_exact(&mut head)?;
    let header: Header = serde_json::from_slice(&head)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("a bad frame: {e}")))?;
    let size = match &header {
        Header::Put { payload, .. } | Header::Run { payload, .. } | Header::Ran { payload, .. } => {
            *payload
        }
        _ => 0,
    };
    let mut payload = vec![0u8; size];
    r.read_exact(&mut payload)?;
    Ok((header, payload))
}

/// The worker's side: serves requests on stdin until it closes (or `bye`),
/// keeping programs under `cache`. Its exit status.
pub fn serve(cache: &Path) -> i32 {
    // The box runs programs from elsewhere: their paths must not depend on
    // the worker's folder.
    let cache = match std::path::absolute(cache) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ale worker: {}: {e}", cache.display());
            return 2;
        }
    };
    let cache = cache.as_path();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let (mut input, mut output) = (stdin.lock(), stdout.lock());
    let bwrap = super::sandbox::Sandbox::detect()
        .bwrap()
        .map(Path::to_path_buf);
    loop {
        let (header, payload) = match read_frame(&mut input) {
            Ok(frame) => frame,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return 0,
            Err(e) => {
                eprintln!("ale worker: {e}");
                return 2;
            }
        };
        let reply = match header {
            Header::Put { hash, name, .. } => match store(cache, &hash, &name, &payload) {
                Ok(()) => (Header::Stored { hash }, Vec::new()),
                Err(e) => {
                    let message = format!("could not keep {hash}/{name}: {e}");
                    (Header::Failed { id: 0, message }, Vec::new())
                }
            },
            Header::Run {
                id, argv, limits, ..
            } => run(cache, id, &argv, &limits, &payload, &bwrap),
            Header::Bye => return 0,
            other => (
                Header::Failed {
                    id: 0,
                    message: format!("not a request: {other:?}"),
                },
                Vec::new(),
            ),
        };
        if write_frame(&mut output, &reply.0, &reply.1).is_err() {
            return 0; // the judge is gone
        }
    }
}

fn store(cache: &Path, hash: &str, name: &str, bytes: &[u8]) -> io::Result<()> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
            && s != ".."
    };
    if !plain(hash) || !plain(name) {
        return Err(io::Error::other(
            "a hash and a name of letters, digits, . _ - only",
        ));
    }
    let dir = cache.join(hash);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    // Written beside and renamed: a worker killed half-way leaves no half file.
    let staging = dir.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&staging, bytes)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(0o755))?;
    std::fs::rename(&staging, &path)
}

fn run(
    cache: &Path,
    id: u64,
    argv: &[String],
    limits: &WireLimits,
    input: &[u8],
    bwrap: &Option<PathBuf>,
) -> (Header, Vec<u8>) {
    let failed = |message: String| (Header::Failed { id, message }, Vec::new());
    if limits.boxed && bwrap.is_none() {
        return failed(
            "the judge runs solutions boxed, and this worker has no box (bubblewrap)".into(),
        );
    }
    let mut command = Vec::new();
    for arg in argv {
        match arg.strip_prefix("{file:").and_then(|a| a.strip_suffix('}')) {
            Some(file) => {
                let path = cache.join(file);
                if !path.is_file() {
                    return failed(format!("no {file} here: put it first"));
                }
                command.push(path.into_os_string());
            }
            None => command.push(arg.into()),
        }
    }
    let mut l = Limits::new(limits.time_limit_ms, 0, 1.0);
    l.kill_after = Duration::from_millis(limits.kill_after_ms);
    l.memory_limit_kb = limits.memory_limit_kb;
    l.address_space_bytes = limits.address_space_bytes;
    l.output_limit_bytes = limits.output_limit_bytes;
    l.processes = limits.processes;
    l.disk_limit_bytes = limits.disk_limit_bytes;
    l.stderr_bytes = limits.stderr_bytes;
    l.sandbox = if limits.boxed { bwrap.clone() } else { None };
    match execute(&command, input, &l) {
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
        Err(e) => failed(format!("could not run the solution: {e}")),
    }
}

/// The judge's side of one worker.
pub struct Worker {
    child: Child,
    to: ChildStdin,
    from: ChildStdout,
    /// The files it keeps already.
    has: HashSet<String>,
    next_id: u64,
}

impl Worker {
    /// Starts `command` (which runs `ale __worker`, here or through `srun`)
    /// and talks to it over its standard input and output.
    pub fn start(mut command: Command) -> io::Result<Worker> {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let to = child.stdin.take().expect("piped");
        let from = child.stdout.take().expect("piped");
        Ok(Worker {
            child,
            to,
            from,
            has: HashSet::new(),
            next_id: 0,
        })
    }

    /// The command-line token for `path` once it is on the worker: sent the
    /// first time, by the hash of its bytes.
    pub fn file(&mut self, path: &Path) -> io::Result<String> {
        let bytes = std::fs::read(path)?;
        let hash = super::compile_hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let name = path
            .file_name()
            .map_or("file".into(), |n| n.to_string_lossy().into_owned());
        let token = file_token(&hash, &name);
        if self.has.insert(token.clone()) {
            write_frame(
                &mut self.to,
                &Header::Put {
                    hash: hash.clone(),
                    name,
                    payload: bytes.len(),
                },
                &bytes,
            )?;
            match read_frame(&mut self.from)?.0 {
                Header::Stored { .. } => {}
                Header::Failed { message, .. } => return Err(io::Error::other(message)),
                other => {
                    return Err(io::Error::other(format!(
                        "an answer out of turn: {other:?}"
                    )))
                }
            }
        }
        Ok(token)
    }

    /// Runs `argv` (whose tokens from [`Worker::file`] name files on the
    /// worker) on `input` under `limits`, on the worker.
    pub fn run(&mut self, argv: &[String], input: &[u8], limits: &Limits) -> io::Result<Execution> {
        self.next_id += 1;
        let id = self.next_id;
        let header = Header::Run {
            id,
            argv: argv.to_vec(),
            limits: WireLimits::from(limits),
            payload: input.len(),
        };
        write_frame(&mut self.to, &header, input)?;
        let (answer, stdout) = read_frame(&mut self.from)?;
        match answer {
            Header::Ran {
                id: got,
                exit_code,
                signal,
                wall_us,
                cpu_us,
                peak_memory_kb,
                folder_full,
                stderr_tail,
                output_overflow,
                killed_by_timer,
                ..
            } if got == id => Ok(Execution {
                exit: match (exit_code, signal) {
                    (Some(c), _) => Exit::Code(c),
                    (None, Some(s)) => Exit::Signal(s),
                    (None, None) => Exit::Code(-1),
                },
                wall: Duration::from_micros(wall_us),
                cpu: Duration::from_micros(cpu_us),
                peak_memory_kb,
                folder_full,
                stdout,
                stderr_tail,
                output_overflow,
                killed_by_timer,
            }),
            Header::Failed { message, .. } => Err(io::Error::other(message)),
            other => Err(io::Error::other(format!(
                "an answer out of turn: {other:?}"
            ))),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = write_frame(&mut self.to, &Header::Bye, &[]);
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_their_payload_and_read_back() {
        let mut wire = Vec::new();
        let header = Header::Put {
            hash: "ab12".into(),
            name: "main".into(),
            payload: 3,
        };
        write_frame(&mut wire, &header, b"xyz").unwrap();
        write_frame(&mut wire, &Header::Bye, &[]).unwrap();
        let mut r = &wire[..];
        let (h, p) = read_frame(&mut r).unwrap();
        assert!(matches!(h, Header::Put { ref name, .. } if name == "main"));
        assert_eq!(p, b"xyz");
        assert!(matches!(read_frame(&mut r).unwrap().0, Header::Bye));
        assert_eq!(
            read_frame(&mut r).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }

    #[test]
    fn a_file_name_may_not_leave_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        assert!(store(dir.path(), "..", "x", b"").is_err());
        assert!(store(dir.path(), "ab", "../x", b"").is_err());
        store(dir.path(), "ab", "main", b"#!").unwrap();
        assert_eq!(std::fs::read(dir.path().join("ab/main")).unwrap(), b"#!");
    }
}
