//! The wire between the judge and its workers. A frame is a 4-byte
//! big-endian length, a JSON header of that length, and the `payload` bytes
//! the header announces. The worker opens with `hello`, carrying the token
//! the judge gave it in [`TOKEN_VAR`] (anything else that connects is
//! refused), and says `alive` every [`ALIVE_EVERY`] while a case runs.

use crate::judge::Limits;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};
use std::time::Duration;

/// The argument that makes `ale` a worker.
pub const WORKER_ARG: &str = "__worker";

/// The environment variable that carries the token a worker shows the judge.
pub const TOKEN_VAR: &str = "ALE_WORKER_TOKEN";

/// How often a worker running a case says it is alive.
pub const ALIVE_EVERY: Duration = Duration::from_secs(1);

/// A program's file as a case's command line names it: `{file:HASH/NAME}`.
pub(super) fn file_token(hash: &str, name: &str) -> String {
    format!("{{file:{hash}/{name}}}")
}

/// The limits of a case as they travel (the worker boxes with its own
/// bubblewrap when `boxed`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct WireLimits {
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

impl WireLimits {
    /// Whether the judge boxes its cases (the worker must too).
    pub(super) fn boxed(&self) -> bool {
        self.boxed
    }

    /// The limits to run under; `sandbox` is the worker's own bubblewrap.
    pub(super) fn limits(&self, sandbox: Option<std::path::PathBuf>) -> Limits {
        let mut l = Limits::new(self.time_limit_ms, 0, 1.0);
        l.kill_after = Duration::from_millis(self.kill_after_ms);
        l.memory_limit_kb = self.memory_limit_kb;
        l.address_space_bytes = self.address_space_bytes;
        l.output_limit_bytes = self.output_limit_bytes;
        l.processes = self.processes;
        l.disk_limit_bytes = self.disk_limit_bytes;
        l.stderr_bytes = self.stderr_bytes;
        l.sandbox = sandbox;
        l
    }
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
pub(super) enum Header {
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
        /// The worker's ale version: the judge takes only its own.
        version: String,
        /// Whether the worker can box cases (bubblewrap on its node).
        boxed: bool,
    },
    /// A case is still running.
    Alive,
    Bye,
}

/// Writes one frame in one piece (a heartbeat from another thread never
/// lands inside it).
pub(super) fn write_frame(w: &mut impl Write, header: &Header, payload: &[u8]) -> io::Result<()> {
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

pub(super) fn read_frame(r: &mut impl Read) -> io::Result<(Header, Vec<u8>)> {
    let header = read_header(r, MAX_HEADER)?;
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

/// A frame's header alone, of at most `most` bytes: the handshake reads a
/// stranger's first frame this way, before any payload it announces.
pub(super) fn read_header(r: &mut impl Read, most: usize) -> io::Result<Header> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > most {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame header of {len} bytes: not an ale worker"),
        ));
    }
    let mut head = vec![0u8; len];
    r.read_exact(&mut head)?;
    let header: Header = serde_json::from_slice(&head)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("a bad frame: {e}")))?;
    Ok(header)
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
}
