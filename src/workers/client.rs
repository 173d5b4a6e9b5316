//! The judge's side of a worker: the handshake that checks its token, and
//! the connection that sends it files and cases and reads back their runs,
//! past its heartbeats.

use super::protocol::{file_token, read_frame, read_header, write_frame, Header, WireLimits};
use crate::judge::{Execution, Exit, Limits};
use std::collections::HashSet;
use std::ffi::OsString;
use std::io;
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

/// Who connected: a worker's hello, once its token is checked.
#[derive(Debug, Clone)]
pub struct Hello {
    pub label: String,
    /// Its Slurm job, when it runs in one.
    pub job: Option<String>,
    pub host: String,
    /// Whether it can box cases.
    pub boxed: bool,
}

/// The judge's side of a new connection: reads the hello (within
/// `within`) and checks its token. An error says why the peer is refused.
pub fn accept(stream: &mut TcpStream, token: &str, within: Duration) -> io::Result<Hello> {
    stream.set_nodelay(true)?;
    // The whole hello within `within`, however slowly a stranger sends it,
    // and only a hello's header: nothing it announces is read.
    let deadline = std::time::Instant::now() + within;
    let mut timed = Deadline { stream, deadline };
    let header = read_header(&mut timed, 4096)?;
    match header {
        Header::Hello {
            token: shown,
            label,
            job,
            host,
            version,
            boxed,
        } if same(shown.as_bytes(), token.as_bytes()) => {
            if version != env!("CARGO_PKG_VERSION") {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "worker {label} runs ale {version} and this judge ale {}: give the nodes the same ale (program in [workers])",
                        env!("CARGO_PKG_VERSION")
                    ),
                ));
            }
            // Only a job id, never an option for scancel, and never the job
            // the judge itself runs in (a worker started by srun inside an
            // allocation is a step of it).
            let own = std::env::var("SLURM_JOB_ID").ok();
            let job = job.filter(|j| {
                !j.is_empty() && j.bytes().all(|b| b.is_ascii_digit()) && Some(j) != own.as_ref()
            });
            Ok(Hello {
                label,
                job,
                host,
                boxed,
            })
        }
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

/// A stream read against one deadline for all its reads.
struct Deadline<'a> {
    stream: &'a mut TcpStream,
    deadline: std::time::Instant,
}

impl io::Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no hello in time"));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
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

/// An answer that does not fit the request: the stream is out of step, and
/// the worker is lost.
fn out_of_turn(answer: &Header) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("an answer out of turn: {answer:?}"),
    )
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
    fn answer(&mut self, until: Option<std::time::Instant>) -> io::Result<(Header, Vec<u8>)> {
        loop {
            match read_frame(&mut self.reader) {
                // Alive, but a case that runs far past its kill time is stuck
                // on the worker (a wedged box): the worker is lost.
                Ok((Header::Alive, _)) => {
                    if until.is_some_and(|u| std::time::Instant::now() > u) {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "its case ran far past its kill time",
                        ));
                    }
                }
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
        let hash = crate::judge::compile_hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
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
            match self.answer(None)?.0 {
                Header::Stored { .. } => {}
                Header::Failed { message, .. } => return Err(io::Error::other(message)),
                other => return Err(out_of_turn(&other)),
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
        let until = std::time::Instant::now() + limits.kill_after + Duration::from_secs(30);
        let (answer, stdout) = self.answer(Some(until))?;
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
            other => Err(out_of_turn(&other)),
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
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
