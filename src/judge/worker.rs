//! A worker: an `ale __worker --connect HOST:PORT` process, started on a
//! cluster node by `srun` (or beside the judge), that connects back to the
//! judge over TCP and runs solutions for it. The judge sends a program's
//! files once (kept on the worker by their hash) and then cases: the worker
//! runs each under the limits given, in its own box, and sends back the
//! run's figures and output. Scoring and the store stay with the judge.
//!
//! A frame is a 4-byte big-endian length, a JSON header of that length, and
//! the `payload` bytes the header announces. The worker opens with `hello`,
//! carrying the token the judge gave it in `ALE_WORKER_TOKEN` (anything else
//! that connects is refused), and says `alive` every second while a case
//! runs: a judge that hears nothing for its heartbeat time takes the worker
//! for lost.

use super::exit::Exit;
use super::{execute, Execution, Limits};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

/// The argument that makes `ale` a worker.
pub const WORKER_ARG: &str = "__worker";

/// The environment variable that carries the token a worker shows the judge.
pub const TOKEN_VAR: &str = "ALE_WORKER_TOKEN";

/// How often a worker running a case says it is alive.
pub const ALIVE_EVERY: Duration = Duration::from_secs(1);

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
    /// The worker's first frame: the token it was given, the name the judge
    /// gave it, and its Slurm job (cancelled if it is lost).
    Hello {
        token: String,
        label: String,
        job: Option<String>,
        host: String,
    },
    /// A case is still running.
    Alive,
    Bye,
}

/// Writes one frame in one piece (a heartbeat from another thread never
/// lands inside it).
fn write_frame(w: &mut impl Write, header: &Header, payload: &[u8]) -> io::Result<()> {
    let head = serde_json::to_vec(header).map_err(io::Error::other)?;
    let mut frame = Vec::with_capacity(4 + head.len() + payload.len());
    frame.extend_from_slice(&(head.len() as u32).to_be_bytes());
    frame.extend_from_slice(&head);
    frame.extend_from_slice(payload);
    w.write_all(&frame)?;
    w.flush()
}

/// The largest header a frame may announce: a header is a few hundred bytes.
const MAX_HEADER: usize = 1 << 20;

fn read_frame(r: &mut impl Read) -> io::Result<(Header, Vec<u8>)> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_HEADER {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame header of {len} bytes: not an ale worker"),
        ));
    }
    let mut head = vec![0u8; len];
    r.read_exact(&mut head)?;
    let header: Header = serde_json::from_slice(&head)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("a bad frame: {e}")))?;
    let size = match &header {
        Header::Put { payload, .. } | Header::Run { payload, .. } | Header::Ran { payload, .. } => {
            *payload
        }
        _ => 0,
    };
    let mut payload = Vec::new();
    r.take(size as u64).read_to_end(&mut payload)?;
    if payload.len() < size {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok((header, payload))
}

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
    let bwrap = super::sandbox::Sandbox::detect()
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
        let reply = match header {
            Header::Put { hash, name, .. } => match store(&cache, &hash, &name, &payload) {
                Ok(()) => (Header::Stored { hash }, Vec::new()),
                Err(e) => {
                    let message = format!("could not keep {hash}/{name}: {e}");
                    (Header::Failed { id: 0, message }, Vec::new())
                }
            },
            Header::Run {
                id, argv, limits, ..
            } => {
                // Alive every second while the case runs.
                let (done, wait) = mpsc::channel::<()>();
                let send = &send;
                std::thread::scope(|s| {
                    s.spawn(move || {
                        while let Err(mpsc::RecvTimeoutError::Timeout) =
                            wait.recv_timeout(ALIVE_EVERY)
                        {
                            if send(&Header::Alive, &[]).is_err() {
                                return;
                            }
                        }
                    });
                    let reply = run_case(&cache, id, &argv, &limits, &payload, boxed, run);
                    drop(done);
                    reply
                })
            }
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
    if limits.boxed && !boxed {
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
    // A marker: the worker boxes with its own bubblewrap.
    l.sandbox = limits.boxed.then(PathBuf::new);
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
        Err(e) => failed(format!("could not run the solution: {e}")),
    }
}

/// Who connected: a worker's hello, once its token is checked.
#[derive(Debug, Clone)]
pub struct Hello {
    pub label: String,
    /// Its Slurm job, when it runs in one.
    pub job: Option<String>,
    pub host: String,
}

/// The judge's side of a new connection: reads the hello (within
/// `within`) and checks its token. An error says why the peer is refused.
pub fn accept(stream: &mut TcpStream, token: &str, within: Duration) -> io::Result<Hello> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(within))?;
    match read_frame(stream)?.0 {
        Header::Hello {
            token: shown,
            label,
            job,
            host,
        } if same(shown.as_bytes(), token.as_bytes()) => Ok(Hello { label, job, host }),
        Header::Hello { .. } => Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "a wrong token",
        )),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "no hello: not an ale worker",
        )),
    }
}

/// Compares in time that does not depend on where the bytes differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// A timeout on a worker's socket as the judge sees it: the worker is lost.
fn silent(e: io::Error, what: &str) -> io::Error {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            io::Error::new(io::ErrorKind::TimedOut, what.to_string())
        }
        _ => e,
    }
}

/// The judge's side of one worker.
pub struct Worker {
    reader: io::BufReader<TcpStream>,
    writer: TcpStream,
    pub hello: Hello,
    /// The files it keeps already.
    has: HashSet<String>,
    next_id: u64,
}

impl Worker {
    /// A worker connected on `stream` (its hello read by [`accept`]), taken
    /// for lost when it says nothing for `heartbeat`.
    pub fn new(stream: TcpStream, hello: Hello, heartbeat: Duration) -> io::Result<Worker> {
        // A worker that neither says anything nor takes what it is sent
        // (its socket full) for that long is lost.
        stream.set_read_timeout(Some(heartbeat))?;
        stream.set_write_timeout(Some(heartbeat))?;
        Ok(Worker {
            writer: stream.try_clone()?,
            reader: io::BufReader::new(stream),
            hello,
            has: HashSet::new(),
            next_id: 0,
        })
    }

    /// Reads the next answer, past the heartbeats.
    fn answer(&mut self) -> io::Result<(Header, Vec<u8>)> {
        loop {
            match read_frame(&mut self.reader) {
                Ok((Header::Alive, _)) => continue,
                Err(e) => return Err(silent(e, "it stopped answering (no heartbeat)")),
                other => return other,
            }
        }
    }

    /// Sends a frame.
    fn send(&mut self, header: &Header, payload: &[u8]) -> io::Result<()> {
        write_frame(&mut self.writer, header, payload)
            .map_err(|e| silent(e, "it stopped taking what it is sent"))
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
        if !self.has.contains(&token) {
            self.send(
                &Header::Put {
                    hash: hash.clone(),
                    name,
                    payload: bytes.len(),
                },
                &bytes,
            )?;
            match self.answer()?.0 {
                Header::Stored { .. } => {}
                Header::Failed { message, .. } => return Err(io::Error::other(message)),
                other => {
                    return Err(io::Error::other(format!(
                        "an answer out of turn: {other:?}"
                    )))
                }
            }
            self.has.insert(token.clone());
        }
        Ok(token)
    }

    /// A command line in the worker's terms: each argument that is a file
    /// here is sent (once) and named by its token.
    pub fn command(&mut self, command: &[OsString]) -> io::Result<Vec<String>> {
        command
            .iter()
            .map(|arg| {
                let path = Path::new(arg);
                if path.is_file() {
                    self.file(path)
                } else {
                    Ok(arg.to_string_lossy().into_owned())
                }
            })
            .collect()
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
        self.send(&header, input)?;
        let (answer, stdout) = self.answer()?;
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

    /// Asks the worker to stop.
    pub fn bye(mut self) {
        let _ = write_frame(&mut self.writer, &Header::Bye, &[]);
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
    fn a_huge_or_short_frame_is_refused_without_allocating_it() {
        let mut r = &[0xffu8, 0xff, 0xff, 0xff][..];
        assert_eq!(
            read_frame(&mut r).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        let mut wire = Vec::new();
        let header = Header::Run {
            id: 1,
            argv: vec![],
            limits: WireLimits::from(&Limits::new(1000, 256, 1.5)),
            payload: usize::MAX >> 1,
        };
        write_frame(&mut wire, &header, b"abc").unwrap();
        assert_eq!(
            read_frame(&mut &wire[..]).unwrap_err().kind(),
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

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
