//! The server side: one process per worker thread that starts its cases,
//! keeps them (deadline, kill, figures) and answers ale.

use super::wire::{ended_message, recv_with_fds, send, Request};
use super::{BOXED_ARG, UID_ARG};
use crate::judge::exit::{Ended, Exit};
use crate::judge::sandbox::case;
use crate::judge::sandbox::cgroup::CaseCgroups;
use crate::judge::sandbox::Rlimits;
use std::ffi::{CString, OsString};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// Serves spawn requests on stdin (a seqpacket socket) until ale hangs up.
/// `args` are the arguments after [`SERVER_ARG`]. Returns the process exit status.
pub fn serve(args: &[OsString]) -> i32 {
    // Only the socket (0) and stdout and stderr: nothing ale was started
    // with may reach a case.
    crate::judge::sandbox::close_from(3, None);
    let boxed = args.iter().any(|a| a == BOXED_ARG);
    BOXED.store(boxed, Ordering::SeqCst);
    let uid: Option<u32> = args
        .iter()
        .position(|a| a == UID_ARG)
        .and_then(|i| args.get(i + 1)?.to_str()?.parse().ok());
    let filters = if boxed {
        // Nothing started from here may read this process.
        // SAFETY: a plain prctl.
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0) };
        match crate::judge::sandbox::seccomp::filters() {
            Ok(f) => f,
            Err(e) => {
                eprintln!("ale __spawn-server: {e}");
                return 1;
            }
        }
    } else {
        Vec::new()
    };
    let cgroups = if boxed { CaseCgroups::open() } else { Ok(None) };
    let mut keeper = Keeper {
        uid,
        filters,
        cgroups,
    };
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
        // A kill for a case that has already ended.
        if message.starts_with(b"kill ") {
            continue;
        }
        match run_one(&message, fds, &envp, &mut keeper) {
            Ok(true) => {}
            Ok(false) => return 0,
            Err(_) => return 1,
        }
    }
}

/// What a boxed server applies to each case: the uid its cases run as (when
/// ale is root) and the compiled seccomp filters.
struct Keeper {
    uid: Option<u32>,
    filters: Vec<seccompiler::BpfProgram>,
    /// The cgroups its cases run in, when the box has them.
    cgroups: io::Result<Option<CaseCgroups>>,
}

/// The case running now (0 when none): its process group, or in a box its
/// keeper, the first process of its PID namespace.
static CASE_GROUP: AtomicI32 = AtomicI32::new(0);
/// Whether this server runs inside a lasting box of its own.
static BOXED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_parent_gone(_: libc::c_int) {
    // SAFETY: killpg, kill and _exit are async-signal-safe.
    unsafe {
        let case = CASE_GROUP.load(Ordering::SeqCst);
        if case > 0 {
            if BOXED.load(Ordering::SeqCst) {
                libc::kill(case, libc::SIGKILL);
            } else {
                libc::killpg(case, libc::SIGKILL);
            }
        }
        libc::_exit(1);
    }
}

/// Ends the case led by `case`: unboxed its process group; boxed, its keeper
/// is asked to kill everything in its namespace and report, and killed with
/// it when `hard`. Async-signal-safe.
fn kill_case(case: i32, hard: bool) {
    // SAFETY: signalling our own case's group or keeper.
    unsafe {
        if case <= 0 {
            return;
        }
        if !BOXED.load(Ordering::SeqCst) {
            libc::killpg(case, libc::SIGKILL);
        } else if hard {
            libc::kill(case, libc::SIGKILL);
        } else {
            libc::kill(case, libc::SIGUSR1);
        }
    }
}

/// Runs one request to its end. Ok(false) when ale hung up meanwhile.
fn run_one(
    message: &[u8],
    fds: Vec<OwnedFd>,
    envp: &[CString],
    keeper: &mut Keeper,
) -> io::Result<bool> {
    let Some(request) = Request::parse(message) else {
        send(0, b"error 0 0 malformed request")?;
        return Ok(true);
    };
    let tag = request.tag;
    let refuse = |errno: i32, what: &str| -> io::Result<bool> {
        send(0, format!("error {tag} {errno} {what}").as_bytes())?;
        Ok(true)
    };
    if request.args.is_empty() {
        return refuse(0, "empty command line");
    }
    if !(3..=4).contains(&fds.len()) {
        return refuse(0, "expected three or four file descriptors");
    }
    let mut argv: Vec<*const libc::c_char> = request.args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut env_ptrs: Vec<*const libc::c_char> = envp.iter().map(|e| e.as_ptr()).collect();
    env_ptrs.push(std::ptr::null());
    let raw: Vec<RawFd> = fds.iter().map(|f| f.as_raw_fd()).collect();
    let boxed = BOXED.load(Ordering::SeqCst);
    // The case's clock starts at its clone or fork, after the judge's own setup.
    let started;
    let (pid, cgroups, status_pipe) = if boxed {
        let cgroups = match &mut keeper.cgroups {
            Ok(Some(c)) => match c.begin(
                request.memory_bytes,
                request.rlimits.processes,
                request.exact_memory,
            ) {
                Ok(()) => Some(c),
                Err(e) => return refuse(e.raw_os_error().unwrap_or(0), "the case's cgroups"),
            },
            Ok(None) => None,
            Err(e) => return refuse(e.raw_os_error().unwrap_or(0), "the case's cgroups"),
        };
        let (mut error_r, error_w) = io::pipe()?;
        let (status_r, status_w) = io::pipe()?;
        // SAFETY: geteuid and getegid cannot fail.
        let owner = keeper
            .uid
            .map_or_else(|| unsafe { (libc::geteuid(), libc::getegid()) }, |u| (u, u));
        let folder_options = CString::new(format!(
            "size={},mode=0700,uid={},gid={}",
            request.disk_bytes.max(4096),
            owner.0,
            owner.1
        ))
        .expect("no NUL in numbers");
        let procs: Vec<RawFd> = cgroups
            .as_ref()
            .map(|c| c.procs.iter().map(|f| f.as_raw_fd()).collect())
            .unwrap_or_default();
        let setup = case::Setup {
            fds: &raw,
            rlimits: &request.rlimits,
            cwd: &request.cwd,
            argv: &argv,
            envp: &env_ptrs,
            folder_options: &folder_options,
            ids: keeper.uid.map(|u| (u, u)),
            own_cwd: request.cwd.as_bytes() != crate::judge::sandbox::CASE_DIR.as_bytes(),
            filters: &keeper.filters,
            cgroups: &procs,
            error: error_w.as_raw_fd(),
            status: status_w.as_raw_fd(),
        };
        started = Instant::now();
        // SAFETY: this process has one thread; `setup` outlives the clone.
        let pid = unsafe { case::start(&setup) };
        if pid < 0 {
            return refuse(
                io::Error::last_os_error().raw_os_error().unwrap_or(0),
                "clone",
            );
        }
        drop((error_w, status_w));
        drop(fds);
        let mut report = [0u8; 8];
        if error_r.read_exact(&mut report).is_ok() {
            let stage = u32::from_ne_bytes(report[..4].try_into().expect("4 bytes"));
            let errno = i32::from_ne_bytes(report[4..].try_into().expect("4 bytes"));
            reap(pid, true);
            let what = case::Stage::from_u32(stage).map_or("setting up the case", |s| s.describe());
            return refuse(errno, what);
        }
        (pid, cgroups, Some(status_r))
    } else {
        let (mut exec_error_r, exec_error_w) = io::pipe()?;
        started = Instant::now();
        // SAFETY: this process has one thread; the child only makes async-signal-safe
        // calls on memory prepared before the fork, then execs or exits.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return refuse(
                io::Error::last_os_error().raw_os_error().unwrap_or(0),
                "fork",
            );
        }
        if pid == 0 {
            // SAFETY: see above.
            unsafe {
                child(
                    &raw,
                    &request.rlimits,
                    &request.cwd,
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
            reap(pid, true);
            return refuse(i32::from_ne_bytes(errno), "exec");
        }
        (pid, None, None)
    };
    CASE_GROUP.store(pid, Ordering::SeqCst);
    send(0, format!("started {tag} {pid}").as_bytes())?;
    let watched = watch(pid, tag, started + request.kill_after, boxed);
    let wall_us = started.elapsed().as_micros();
    kill_case(pid, true);
    CASE_GROUP.store(0, Ordering::SeqCst);
    let figures = cgroups.map(|c| c.finish());
    let Some(Watched {
        status,
        usage,
        peak_at_kill,
        timer,
    }) = watched
    else {
        return Ok(false);
    };
    // Boxed, the keeper reports how the solution itself ended (and the
    // keeper's own status says nothing); nothing read means it was killed.
    let own_wall = Duration::from_micros(wall_us as u64);
    let (status, full, wall) = match status_pipe {
        Some(mut pipe) => {
            let mut bytes = [0u8; case::REPORT_BYTES];
            match pipe.read_exact(&mut bytes) {
                Ok(()) => {
                    let report = case::Report::read(&bytes);
                    (report.status, report.folder_full, report.wall)
                }
                Err(_) => (libc::SIGKILL, false, own_wall),
            }
        }
        None => (status, false, own_wall),
    };
    let exit = if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    let maxrss = (usage.ru_maxrss.max(0) as u64).max(peak_at_kill);
    let rusage_cpu =
        |t: libc::timeval| t.tv_sec.max(0) as u64 * 1_000_000 + t.tv_usec.max(0) as u64;
    let (peak_kb, cpu_us) = match figures {
        Some(f) => (f.peak_memory_kb.max(maxrss), f.cpu_us),
        None => (
            maxrss,
            rusage_cpu(usage.ru_utime) + rusage_cpu(usage.ru_stime),
        ),
    };
    let ended = Ended {
        exit,
        wall,
        cpu: Duration::from_micros(cpu_us),
        peak_memory_kb: peak_kb,
        killed_by_timer: timer,
        folder_full: full,
    };
    send(0, ended_message(tag, &ended).as_bytes())?;
    Ok(true)
}

struct Watched {
    status: i32,
    usage: libc::rusage,
    /// The case's peak memory read just before it was killed, which a
    /// process killed while growing may not have in its rusage (unboxed).
    peak_at_kill: u64,
    /// Killed at the deadline.
    timer: bool,
}

/// Waits for the case `pid` while serving `kill TAG` requests, killing it at
/// `deadline`. None when ale hung up (the case is then killed).
fn watch(pid: i32, tag: u64, deadline: Instant, boxed: bool) -> Option<Watched> {
    // SAFETY: pidfd_open on our own child; the descriptor becomes owned.
    let pidfd = unsafe {
        let fd = libc::syscall(libc::SYS_pidfd_open, pid, 0) as RawFd;
        (fd >= 0).then(|| OwnedFd::from_raw_fd(fd))
    };
    let kill_request = format!("kill {tag}");
    let mut peak_at_kill = 0;
    let mut timer = false;
    // A boxed case asked to end is given this long before its keeper is killed too.
    let mut hard_at: Option<Instant> = None;
    let end = |peak_at_kill: &mut u64, hard_at: &mut Option<Instant>| {
        if !boxed {
            *peak_at_kill = (*peak_at_kill).max(peak_memory_kb(pid).unwrap_or(0));
        }
        kill_case(pid, false);
        hard_at.get_or_insert(Instant::now() + Duration::from_secs(2));
    };
    loop {
        if let Some((status, usage)) = reap(pid, false) {
            return Some(Watched {
                status,
                usage,
                peak_at_kill,
                timer,
            });
        }
        let next = match hard_at {
            Some(at) => at,
            None if timer => Instant::now() + Duration::from_secs(3600),
            None => deadline,
        };
        let left = next.saturating_duration_since(Instant::now());
        // Without pidfds (Linux before 5.3) the end is polled for.
        let slice = if pidfd.is_some() {
            left
        } else {
            left.min(Duration::from_millis(1))
        };
        let mut polled = [
            libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: pidfd.as_ref().map_or(-1, |f| f.as_raw_fd()),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let ms = slice.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
        // SAFETY: two valid pollfds (a negative fd is ignored).
        let r = unsafe { libc::poll(polled.as_mut_ptr(), 2, ms) };
        if r < 0 {
            continue; // EINTR
        }
        if polled[0].revents != 0 {
            match recv_with_fds(0) {
                Ok(Some((message, _))) if message == kill_request.as_bytes() => {
                    end(&mut peak_at_kill, &mut hard_at);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => {
                    kill_case(pid, true);
                    reap(pid, true);
                    return None;
                }
            }
        }
        if !timer && Instant::now() >= deadline {
            end(&mut peak_at_kill, &mut hard_at);
            timer = true;
        }
        if hard_at.is_some_and(|at| Instant::now() >= at) {
            kill_case(pid, true);
        }
    }
}

/// The status and usage of `pid` once it has ended (waiting for it when `block`).
fn reap(pid: i32, block: bool) -> Option<(i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: rusage is plain data the kernel fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let flags = if block { 0 } else { libc::WNOHANG };
    loop {
        // SAFETY: waiting on our own child with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if r == pid {
            return Some((status, usage));
        }
        if r == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return None;
        }
    }
}

/// The peak memory (`VmHWM`) of a running process, read before it is killed.
pub(crate) fn peak_memory_kb(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_ascii_whitespace().nth(1)?.parse().ok()
}

/// The forked child: own process group, stdio (and one more descriptor as 3),
/// limits, folder, exec.
unsafe fn child(
    fds: &[RawFd],
    rlimits: &Rlimits,
    cwd: &CString,
    argv: &[*const libc::c_char],
    envp: &[*const libc::c_char],
    exec_error: RawFd,
) -> ! {
    libc::setpgid(0, 0);
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    // Moved out of the way first, so that no target number overwrites a source.
    let mut high = [0; 4];
    for (i, &fd) in fds.iter().enumerate() {
        high[i] = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 100);
    }
    for (target, &fd) in high[..fds.len()].iter().enumerate() {
        libc::dup2(fd, target as RawFd);
    }
    let _ = rlimits.apply();
    libc::chdir(cwd.as_ptr());
    libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    crate::judge::sandbox::close_from(fds.len() as u32, Some(exec_error));
    libc::execve(argv[0], argv.as_ptr(), envp.as_ptr());
    let errno = *libc::__errno_location();
    libc::write(exec_error, (&errno as *const i32).cast(), 4);
    libc::_exit(127)
}
