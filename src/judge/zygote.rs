//! The spawn server. The kernel's peak-memory figure of a process (`ru_maxrss`)
//! counts the memory of what it was before `exec`, and forking a big parent is
//! slow; so solutions are not started from ale itself but forked by a small
//! server process, `ale __spawn-server` (a fresh `ale` process that has touched
//! little memory), one per worker thread, that ale talks to over a Unix
//! seqpacket socket.
//!
//! Protocol, one message each way per step:
//! - ale sends `run <address space> <cpu seconds> <file size> <processes>\0<folder>\0<argv0>\0<argv1>...`
//!   with three file descriptors attached (the solution's stdin, stdout, stderr);
//! - the server forks; the child makes its own process group, applies the
//!   limits, enters the folder and executes the command line; the server answers
//!   `started <pid>` (or `error <errno>` when it could not be executed);
//! - when the solution ends the server answers
//!   `ended exit|signal <n> <peak memory KiB> <wall microseconds>`.

use super::execute::{kill_group, Ended, Exit};
use super::sandbox::{Launch, Rlimits};
use std::cell::RefCell;
use std::ffi::CString;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

const MAX_MESSAGE: usize = 8192;

/// The first argument that turns the `ale` binary into the spawn server.
pub const SERVER_ARG: &str = "__spawn-server";

// ---------------------------------------------------------------- server side

/// Serves spawn requests on stdin (a seqpacket socket) until ale hangs up.
/// Returns the process exit status.
pub fn serve() -> i32 {
    // The server must not outlive the ale thread that started it, and neither
    // may the case it is running: when that thread goes, the kernel sends
    // SIGTERM, and the handler kills the case's whole process group first
    // (bubblewrap killed mid-setup can otherwise leave its inner half behind).
    // SAFETY: installing an async-signal-safe handler, then a plain prctl.
    unsafe {
        libc::signal(
            libc::SIGTERM,
            on_parent_gone as *const () as libc::sighandler_t,
        );
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
    }
    let envp: Vec<CString> = std::env::vars_os()
        .filter_map(|(k, v)| CString::new([k.as_bytes(), b"=", v.as_bytes()].concat()).ok())
        .collect();
    loop {
        let (message, fds) = match recv_with_fds(0) {
            Ok(Some(m)) => m,
            Ok(None) => return 0,
            Err(_) => return 1,
        };
        if run_one(&message, fds, &envp).is_err() {
            return 1;
        }
    }
}

/// The process group of the case running now (0 when none).
static CASE_GROUP: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_parent_gone(_: libc::c_int) {
    let group = CASE_GROUP.load(Ordering::SeqCst);
    // SAFETY: killpg and _exit are async-signal-safe.
    unsafe {
        if group > 0 {
            libc::killpg(group, libc::SIGKILL);
        }
        libc::_exit(1);
    }
}

fn run_one(message: &[u8], fds: Vec<OwnedFd>, envp: &[CString]) -> io::Result<()> {
    let bad = |what: &str| send(0, format!("error 0 {what}").as_bytes());
    let mut parts = message.split(|&b| b == 0);
    let header = String::from_utf8_lossy(parts.next().unwrap_or(&[])).into_owned();
    let numbers: Vec<u64> = header
        .strip_prefix("run ")
        .map(|rest| rest.split(' ').filter_map(|w| w.parse().ok()).collect())
        .unwrap_or_default();
    let [address_space, cpu_seconds, file_size, processes] = numbers[..] else {
        return bad("malformed request");
    };
    let rlimits = Rlimits {
        address_space,
        cpu_seconds,
        file_size,
        processes,
    };
    if fds.len() != 3 {
        return bad("expected three file descriptors");
    }
    let Some(Ok(cwd)) = parts.next().map(CString::new) else {
        return bad("malformed request");
    };
    let Ok(args) = parts.map(CString::new).collect::<Result<Vec<_>, _>>() else {
        return bad("malformed request");
    };
    if args.is_empty() {
        return bad("empty command line");
    }
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut env_ptrs: Vec<*const libc::c_char> = envp.iter().map(|e| e.as_ptr()).collect();
    env_ptrs.push(std::ptr::null());
    let (mut exec_error_r, exec_error_w) = io::pipe()?;
    let raw: [RawFd; 3] = [fds[0].as_raw_fd(), fds[1].as_raw_fd(), fds[2].as_raw_fd()];

    let started = Instant::now();
    // SAFETY: this process has one thread; the child only makes async-signal-safe
    // calls on memory prepared before the fork, then execs or exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return send(
            0,
            format!(
                "error {} fork",
                io::Error::last_os_error().raw_os_error().unwrap_or(0)
            )
            .as_bytes(),
        );
    }
    if pid == 0 {
        // SAFETY: see above.
        unsafe {
            child(
                raw,
                &rlimits,
                &cwd,
                &argv,
                &env_ptrs,
                exec_error_w.as_raw_fd(),
            )
        }
    }
    drop(exec_error_w);
    drop(fds);
    let mut errno = [0u8; 4];
    if exec_error_r.read_exact(&mut errno).is_ok() {
        let mut status = 0;
        // SAFETY: reaping our own child.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        return send(
            0,
            format!("error {} exec", i32::from_ne_bytes(errno)).as_bytes(),
        );
    }
    CASE_GROUP.store(pid, Ordering::SeqCst);
    send(0, format!("started {pid}").as_bytes())?;
    let (status, usage) = wait4(pid);
    CASE_GROUP.store(0, Ordering::SeqCst);
    let wall_us = started.elapsed().as_micros();
    let ended = if libc::WIFSIGNALED(status) {
        format!("signal {}", libc::WTERMSIG(status))
    } else {
        format!("exit {}", libc::WEXITSTATUS(status))
    };
    send(
        0,
        format!("ended {ended} {} {wall_us}", usage.ru_maxrss.max(0)).as_bytes(),
    )
}

/// The forked child: own process group, stdio, limits, folder, exec.
unsafe fn child(
    fds: [RawFd; 3],
    rlimits: &Rlimits,
    cwd: &CString,
    argv: &[*const libc::c_char],
    envp: &[*const libc::c_char],
    exec_error: RawFd,
) -> ! {
    libc::setpgid(0, 0);
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    for (target, fd) in fds.into_iter().enumerate() {
        libc::dup2(fd, target as RawFd);
    }
    let _ = rlimits.apply();
    libc::chdir(cwd.as_ptr());
    libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    libc::execve(argv[0], argv.as_ptr(), envp.as_ptr());
    let errno = *libc::__errno_location();
    libc::write(exec_error, (&errno as *const i32).cast(), 4);
    libc::_exit(127)
}

fn wait4(pid: i32) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: rusage is plain data the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waiting on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return (status, usage);
        }
    }
}

// ---------------------------------------------------------------- client side

struct Server {
    socket: OwnedFd,
    process: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

thread_local! {
    static SERVER: RefCell<Option<Server>> = const { RefCell::new(None) };
}

fn start_server(launcher: &Path) -> io::Result<Server> {
    let mut pair = [0 as RawFd; 2];
    // SAFETY: socketpair fills two descriptors we then own.
    let r = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            pair.as_mut_ptr(),
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors are fresh and ours.
    let (ours, theirs) = unsafe { (OwnedFd::from_raw_fd(pair[0]), OwnedFd::from_raw_fd(pair[1])) };
    let mut command = Command::new(launcher);
    command
        .arg(SERVER_ARG)
        .stdin(Stdio::from(theirs))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    // Its own process group, so that a Ctrl-C to ale's group reaches ale first.
    command.process_group(0);
    let process = command.spawn()?;
    Ok(Server {
        socket: ours,
        process,
    })
}

/// Starts `exe` through this thread's spawn server (starting the server first
/// if needed). Returns the solution's pid and its stdin, stdout and stderr.
pub(crate) fn spawn(launcher: &Path, launch: &Launch) -> io::Result<(i32, File, File, File)> {
    SERVER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(start_server(launcher)?);
        }
        let socket = slot.as_ref().expect("server started").socket.as_raw_fd();
        let (stdin_r, stdin_w) = io::pipe()?;
        let (stdout_r, stdout_w) = io::pipe()?;
        let (stderr_r, stderr_w) = io::pipe()?;
        let r = &launch.rlimits;
        let mut message = format!(
            "run {} {} {} {}",
            r.address_space, r.cpu_seconds, r.file_size, r.processes
        )
        .into_bytes();
        for part in
            std::iter::once(launch.cwd.as_os_str()).chain(launch.argv.iter().map(|a| a.as_os_str()))
        {
            message.push(0);
            message.extend_from_slice(part.as_bytes());
        }
        if message.len() > MAX_MESSAGE {
            return Err(io::Error::other(
                "the command line is too long for the spawn server",
            ));
        }
        let fds = [
            stdin_r.as_raw_fd(),
            stdout_w.as_raw_fd(),
            stderr_w.as_raw_fd(),
        ];
        let reply = send_with_fds(socket, &message, &fds).and_then(|_| recv(socket));
        drop((stdin_r, stdout_w, stderr_w));
        let reply = match reply {
            Ok(r) => r,
            Err(e) => {
                *slot = None;
                return Err(io::Error::other(format!("the spawn server failed: {e}")));
            }
        };
        let mut words = reply.split_ascii_whitespace();
        match (
            words.next(),
            words.next().and_then(|w| w.parse::<i32>().ok()),
        ) {
            (Some("started"), Some(pid)) => Ok((
                pid,
                File::from(OwnedFd::from(stdin_w)),
                File::from(OwnedFd::from(stdout_r)),
                File::from(OwnedFd::from(stderr_r)),
            )),
            (Some("error"), Some(errno)) if errno != 0 => {
                let e = io::Error::from_raw_os_error(errno);
                Err(io::Error::new(
                    e.kind(),
                    format!(
                        "could not execute {}: {e}",
                        Path::new(&launch.argv[0]).display()
                    ),
                ))
            }
            _ => {
                *slot = None;
                Err(io::Error::other(format!(
                    "the spawn server answered `{reply}`"
                )))
            }
        }
    })
}

/// Waits for the solution started by [`spawn`] on this thread, killing its group
/// at the deadline. `peak_at_kill` reads its memory just before a kill.
pub(crate) fn wait(pid: i32, deadline: Instant) -> io::Result<Ended> {
    SERVER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let socket = slot
            .as_ref()
            .ok_or_else(|| io::Error::other("no spawn server on this thread"))?
            .socket
            .as_raw_fd();
        let mut killed_by_timer = false;
        let mut peak_at_kill = None;
        if !readable_before(socket, deadline)? {
            peak_at_kill = super::execute::peak_memory_kb(pid);
            kill_group(pid);
            killed_by_timer = true;
        }
        let reply = match recv(socket) {
            Ok(r) => r,
            Err(e) => {
                kill_group(pid);
                *slot = None;
                return Err(io::Error::other(format!("the spawn server failed: {e}")));
            }
        };
        kill_group(pid);
        let w: Vec<&str> = reply.split_ascii_whitespace().collect();
        let parsed = (|| {
            if w.len() != 5 || w[0] != "ended" {
                return None;
            }
            let n: i32 = w[2].parse().ok()?;
            let exit = match w[1] {
                "exit" => Exit::Code(n),
                "signal" => Exit::Signal(n),
                _ => return None,
            };
            let peak: u64 = w[3].parse().ok()?;
            let wall = Duration::from_micros(w[4].parse().ok()?);
            Some((exit, peak, wall))
        })();
        let Some((exit, peak, wall)) = parsed else {
            *slot = None;
            return Err(io::Error::other(format!(
                "the spawn server answered `{reply}`"
            )));
        };
        Ok(Ended {
            exit,
            wall,
            // A process killed while growing may not have its final peak in rusage.
            peak_memory_kb: peak.max(peak_at_kill.unwrap_or(0)),
            killed_by_timer,
        })
    })
}

/// Polls `fd` until it is readable or `deadline` passes; true when readable.
fn readable_before(fd: RawFd, deadline: Instant) -> io::Result<bool> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ms = left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut p, 1, ms) };
        if r > 0 {
            return Ok(true);
        }
        if r == 0 {
            if Instant::now() >= deadline {
                return Ok(false);
            }
            continue;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

// ---------------------------------------------------------------- messages

fn send(fd: RawFd, data: &[u8]) -> io::Result<()> {
    send_with_fds(fd, data, &[])
}

fn send_with_fds(fd: RawFd, data: &[u8], fds: &[RawFd]) -> io::Result<()> {
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let mut control = [0u64; 8];
    // SAFETY: msghdr is plain data; the control buffer is aligned and large
    // enough for three descriptors; CMSG_* walk inside it.
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
fn recv_with_fds(fd: RawFd) -> io::Result<Option<(Vec<u8>, Vec<OwnedFd>)>> {
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

fn recv(fd: RawFd) -> io::Result<String> {
    match recv_with_fds(fd)? {
        Some((data, _)) => Ok(String::from_utf8_lossy(&data).into_owned()),
        None => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the spawn server exited",
        )),
    }
}
