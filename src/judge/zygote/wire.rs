//! The spawn server's wire protocol, both ends of it: the messages (a Unix
//! seqpacket socket, descriptors passed with `SCM_RIGHTS`), the `run`
//! request and the `ended` answer.

use crate::judge::exit::{Ended, Exit};
use crate::judge::sandbox::{Launch, Rlimits};
use std::ffi::CString;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

pub(super) const MAX_MESSAGE: usize = 8192;

/// A request: `run TAG AS CPU FSIZE NPROC KILL_AFTER_US MEMORY DISK EXACT\0folder\0argv...`.
pub(super) struct Request {
    pub tag: u64,
    pub rlimits: Rlimits,
    pub kill_after: Duration,
    pub memory_bytes: u64,
    pub disk_bytes: u64,
    pub exact_memory: bool,
    pub cwd: CString,
    pub args: Vec<CString>,
}

impl Request {
    /// The request in `message`; None when it is malformed.
    pub fn parse(message: &[u8]) -> Option<Request> {
        let mut parts = message.split(|&b| b == 0);
        let header = std::str::from_utf8(parts.next()?).ok()?;
        let numbers: Vec<u64> = header
            .strip_prefix("run ")?
            .split(' ')
            .map(|w| w.parse().ok())
            .collect::<Option<_>>()?;
        let [tag, address_space, cpu_seconds, file_size, processes, kill_after_us, memory_bytes, disk_bytes, exact] =
            numbers[..]
        else {
            return None;
        };
        let cwd = CString::new(parts.next()?).ok()?;
        let args = parts
            .map(CString::new)
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(Request {
            tag,
            rlimits: Rlimits {
                address_space,
                cpu_seconds,
                file_size,
                processes,
            },
            kill_after: Duration::from_micros(kill_after_us),
            memory_bytes,
            disk_bytes,
            exact_memory: exact == 1,
            cwd,
            args,
        })
    }
}

/// The request that starts `launch` as case `tag`.
pub(crate) fn request_message(tag: u64, launch: &Launch) -> io::Result<Vec<u8>> {
    let r = &launch.rlimits;
    let mut message = format!(
        "run {tag} {} {} {} {} {} {} {} {}",
        r.address_space,
        r.cpu_seconds,
        r.file_size,
        r.processes,
        launch.kill_after.as_micros(),
        launch.memory_bytes,
        launch.disk_bytes,
        u8::from(launch.exact_memory)
    )
    .into_bytes();
    for part in
        std::iter::once(launch.cwd.as_os_str()).chain(launch.command.iter().map(|a| a.as_os_str()))
    {
        message.push(0);
        message.extend_from_slice(part.as_bytes());
    }
    if message.len() > MAX_MESSAGE {
        return Err(io::Error::other(
            "the command line is too long for the spawn server",
        ));
    }
    Ok(message)
}

/// The answer that case `tag` ended as `ended` says.
pub(super) fn ended_message(tag: u64, ended: &Ended) -> String {
    format!("ended {tag} {}", figures(ended))
}

/// `ended TAG FIGURES` (see [`figures`]).
pub(super) fn parse_ended(reply: &str) -> Option<Ended> {
    let rest = reply.strip_prefix("ended ")?;
    let (tag, figures) = rest.split_once(' ')?;
    tag.parse::<u64>().ok()?;
    parse_figures(figures)
}

/// How a case ended, as the server answers it and `ale __measure` reports
/// it: `exit|signal N PEAK_KB WALL_US TIMER CPU_US FOLDER_FULL`.
pub(crate) fn figures(ended: &Ended) -> String {
    let (how, n) = match ended.exit {
        Exit::Code(c) => ("exit", c),
        Exit::Signal(s) => ("signal", s),
    };
    format!(
        "{how} {n} {} {} {} {} {}",
        ended.peak_memory_kb,
        ended.wall.as_micros(),
        u8::from(ended.killed_by_timer),
        ended.cpu.as_micros(),
        u8::from(ended.folder_full)
    )
}

/// The figures [`figures`] wrote; None when `text` is not such a line.
pub(crate) fn parse_figures(text: &str) -> Option<Ended> {
    let w: Vec<&str> = text.split_ascii_whitespace().collect();
    if w.len() != 7 {
        return None;
    }
    let n: i32 = w[1].parse().ok()?;
    let exit = match w[0] {
        "exit" => Exit::Code(n),
        "signal" => Exit::Signal(n),
        _ => return None,
    };
    Some(Ended {
        exit,
        peak_memory_kb: w[2].parse().ok()?,
        wall: Duration::from_micros(w[3].parse().ok()?),
        killed_by_timer: w[4] == "1",
        cpu: Duration::from_micros(w[5].parse().ok()?),
        folder_full: w[6] == "1",
    })
}

pub(super) fn send(fd: RawFd, data: &[u8]) -> io::Result<()> {
    send_with_fds(fd, data, &[])
}

pub(super) fn send_with_fds(fd: RawFd, data: &[u8], fds: &[RawFd]) -> io::Result<()> {
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let mut control = [0u64; 8];
    // A request passes the case's stdin, stdout and stderr and what it hands
    // on (an interactive case's pipe: four in all); the buffer holds twelve.
    if fds.len() > 12 {
        return Err(io::Error::other("at most twelve descriptors per message"));
    }
    // SAFETY: msghdr is plain data; the control buffer is aligned for a
    // cmsghdr and, with at most twelve descriptors (checked above),
    // CMSG_SPACE(48) = 64 bytes fits it; CMSG_* walk inside it.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        if !fds.is_empty() {
            let bytes = std::mem::size_of_val(fds) as libc::c_uint;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = libc::CMSG_SPACE(bytes) as _;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(bytes) as _;
            std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(cmsg).cast(), fds.len());
        }
        loop {
            if libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL) >= 0 {
                return Ok(());
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}

/// Receives one message; `None` when the peer hung up.
pub(super) fn recv_with_fds(fd: RawFd) -> io::Result<Option<(Vec<u8>, Vec<OwnedFd>)>> {
    let mut data = vec![0u8; MAX_MESSAGE];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    let mut control = [0u64; 8];
    // SAFETY: as in send_with_fds; received descriptors become owned once.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        let n = loop {
            let n = libc::recvmsg(fd, &mut msg, libc::MSG_CMSG_CLOEXEC);
            if n >= 0 {
                break n as usize;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        let mut fds = Vec::new();
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let bytes = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                for i in 0..bytes / std::mem::size_of::<RawFd>() {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
        if n == 0 && fds.is_empty() {
            return Ok(None);
        }
        data.truncate(n);
        Ok(Some((data, fds)))
    }
}

pub(super) fn recv(fd: RawFd) -> io::Result<String> {
    match recv_with_fds(fd)? {
        Some((data, _)) => Ok(String::from_utf8_lossy(&data).into_owned()),
        None => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the spawn server exited",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::sandbox::{BoxSpec, Rlimits};
    use std::path::PathBuf;

    #[test]
    fn a_request_reads_back_as_it_was_written() {
        let launch = Launch {
            command: vec!["/box/0/main".into(), "--fast".into()],
            cwd: PathBuf::from("/tmp"),
            rlimits: Rlimits {
                address_space: 1 << 30,
                cpu_seconds: 5,
                file_size: 64 << 20,
                processes: 256,
            },
            kill_after: Duration::from_millis(3000),
            memory_bytes: 1088 << 20,
            disk_bytes: 256 << 20,
            exact_memory: true,
            boxed: None::<BoxSpec>,
        };
        let request = Request::parse(&request_message(7, &launch).unwrap()).unwrap();
        assert_eq!(request.tag, 7);
        assert_eq!(request.rlimits, launch.rlimits);
        assert_eq!(request.kill_after, Duration::from_millis(3000));
        assert_eq!(
            (request.memory_bytes, request.disk_bytes),
            (1088 << 20, 256 << 20)
        );
        assert!(request.exact_memory);
        assert_eq!(request.cwd.as_bytes(), b"/tmp");
        let args: Vec<&[u8]> = request.args.iter().map(|a| a.as_bytes()).collect();
        assert_eq!(args, [&b"/box/0/main"[..], b"--fast"]);
        // A header with a word missing is no request.
        assert!(Request::parse(b"run 7 1 2 3 4 5 6 7\0/tmp\0/bin/true").is_none());
    }

    #[test]
    fn an_ended_answer_reads_back_as_it_was_written() {
        let ended = Ended {
            exit: Exit::Signal(9),
            wall: Duration::from_micros(2_500_123),
            cpu: Duration::from_micros(4_800_000),
            peak_memory_kb: 1_114_112,
            killed_by_timer: true,
            folder_full: false,
        };
        let text = ended_message(42, &ended);
        assert_eq!(text, "ended 42 signal 9 1114112 2500123 1 4800000 0");
        let back = parse_ended(&text).unwrap();
        assert_eq!(back.exit, Exit::Signal(9));
        assert_eq!(back.wall, ended.wall);
        assert_eq!(back.cpu, ended.cpu);
        assert_eq!(back.peak_memory_kb, ended.peak_memory_kb);
        assert!(back.killed_by_timer && !back.folder_full);
        assert!(parse_ended("ended 42 exit 0 1 2 0").is_none());
    }
}
