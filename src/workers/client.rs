//! The judge's side of a worker: the handshake that checks its token, and
//! the connection that sends it files and cases and reads back their runs,
//! past its heartbeats.

use super::protocol::{file_token, read_frame, write_frame, Header, WireLimits};
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
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
