//! The spawn server. The kernel's peak-memory figure of a process (`ru_maxrss`)
//! counts the memory of what it was before `exec`, and forking a big parent is
//! slow; so solutions are not started from ale itself but forked by a small
//! server process, `ale __spawn-server` (a fresh `ale` process that has touched
//! little memory), one per worker thread, that ale talks to over a Unix
//! seqpacket socket. When solutions are boxed, the thread's server runs inside
//! a lasting bubblewrap box (`ale __spawn-server --boxed [--uid N]`), so that
//! no case pays for starting bubblewrap, and starts each case in namespaces of
//! its own ([`super::sandbox::case`]). The server is the case's keeper: it
//! enforces deadlines and kills, and it takes the figures of the verdict
//! (cgroup CPU time and peak memory, `wait4`, the wall clock) where the
//! solution cannot reach: another uid or another PID namespace, not dumpable,
//! behind a seccomp filter that denies tracing and taking descriptors.
//!
//! Protocol, one message each way per step, each about one case `TAG`:
//! - ale sends `run TAG <address space> <cpu seconds> <file size> <processes> <kill after µs> <memory bytes> <folder bytes> <exact memory 0|1>\0<folder>\0<argv0>\0<argv1>...`
//!   with three file descriptors attached (the solution's stdin, stdout,
//!   stderr) and optionally a fourth, which the case gets as descriptor 3;
//! - the server forks; the child makes its own process group, applies the
//!   limits, enters the folder and executes the command line; the server answers
//!   `started TAG <pid>` (or `error TAG <errno> <what>` when it could not be executed);
//! - while the case runs, `kill TAG` kills it (its output passed the limit);
//!   at the deadline the server kills it itself;
//! - when it ends the server answers
//!   `ended TAG exit|signal <n> <peak memory KiB> <wall µs> <killed at deadline 0|1> <cpu µs> <folder full 0|1>`,
//!   having killed its group (in a box: its whole PID namespace).

use super::execute::{Ended, Exit};
use super::sandbox::cgroup::{CaseCgroups, WorkerCgroups};
use super::sandbox::{case, BoxSpec, Launch, Rlimits};
use std::cell::RefCell;
use std::ffi::{CString, OsString};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MAX_MESSAGE: usize = 8192;

/// The first argument that turns the `ale` binary into the spawn server.
pub const SERVER_ARG: &str = "__spawn-server";

/// The server's argument saying it runs inside a lasting box (see [`BoxSpec`]):
/// each case then gets namespaces, a folder and cgroups of its own.
pub const BOXED_ARG: &str = "--boxed";

/// The server's argument naming the uid (and gid) its cases run as.
pub const UID_ARG: &str = "--uid";

// ---------------------------------------------------------------- server side

/// Serves spawn requests on stdin (a seqpacket socket) until ale hangs up.
/// `args` are the arguments after [`SERVER_ARG`]. Returns the process exit status.
pub fn serve(args: &[OsString]) -> i32 {
    // Only the socket (0) and stdout and stderr: nothing ale was started
    // with may reach a case.
    super::sandbox::close_from(3, None);
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
        match super::sandbox::seccomp::filters() {
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

/// A request: `run TAG AS CPU FSIZE NPROC KILL_AFTER_US MEMORY DISK EXACT\0folder\0argv...`.
struct Request {
    tag: u64,
    rlimits: Rlimits,
    kill_after: Duration,
    memory_bytes: u64,
    disk_bytes: u64,
    exact_memory: bool,
    cwd: CString,
    args: Vec<CString>,
}

fn parse_request(message: &[u8]) -> Option<Request> {
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

/// Runs one request to its end. Ok(false) when ale hung up meanwhile.
fn run_one(
    message: &[u8],
    fds: Vec<OwnedFd>,
    envp: &[CString],
    keeper: &mut Keeper,
) -> io::Result<bool> {
    let Some(request) = parse_request(message) else {
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
                Ok(()) => Some(&*c),
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
            own_cwd: request.cwd.as_bytes() != super::sandbox::CASE_DIR.as_bytes(),
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
    let (status, full) = match status_pipe {
        Some(mut pipe) => {
            let mut report = [0u8; 5];
            match pipe.read_exact(&mut report) {
                Ok(()) => (
                    i32::from_ne_bytes(report[..4].try_into().expect("4 bytes")),
                    report[4] == 1,
                ),
                Err(_) => (libc::SIGKILL, false),
            }
        }
        None => (status, false),
    };
    let ended = if libc::WIFSIGNALED(status) {
        format!("signal {}", libc::WTERMSIG(status))
    } else {
        format!("exit {}", libc::WEXITSTATUS(status))
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
    send(
        0,
        format!(
            "ended {tag} {ended} {peak_kb} {wall_us} {} {cpu_us} {}",
            u8::from(timer),
            u8::from(full)
        )
        .as_bytes(),
    )?;
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
    super::sandbox::close_from(fds.len() as u32, Some(exec_error));
    libc::execve(argv[0], argv.as_ptr(), envp.as_ptr());
    let errno = *libc::__errno_location();
    libc::write(exec_error, (&errno as *const i32).cast(), 4);
    libc::_exit(127)
}

// ---------------------------------------------------------------- client side

struct Server {
    socket: Arc<OwnedFd>,
    process: Child,
    /// The box it runs in, if any.
    spec: Option<BoxSpec>,
    /// The box's cgroups, removed after the server is gone.
    _cgroups: Option<WorkerCgroups>,
    /// The lock on its case uid, released after the server is gone.
    _uid: Option<File>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// This thread's servers: one unboxed, one in a lasting box for solutions,
/// one in a box for compiles (which sees the toolchain and writes its output).
#[derive(Default)]
struct Servers {
    open: Option<Server>,
    boxed: Option<Server>,
    compile: Option<Server>,
    next_tag: u64,
}

impl Servers {
    fn slot(&mut self, spec: Option<&BoxSpec>) -> &mut Option<Server> {
        match spec {
            None => &mut self.open,
            Some(s) if s.rw_dirs.is_empty() => &mut self.boxed,
            Some(_) => &mut self.compile,
        }
    }
}

thread_local! {
    static SERVERS: RefCell<Servers> = RefCell::new(Servers::default());
}

fn start_server(launcher: &Path, spec: Option<&BoxSpec>) -> io::Result<Server> {
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
    let cgroups = match spec {
        Some(_) => WorkerCgroups::create()
            .map_err(|e| io::Error::other(format!("the box's cgroups could not be made: {e}")))?,
        None => None,
    };
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    // One uid per box on this machine (other ale processes too), so that
    // the process cap of one is not another's.
    let uid = match spec {
        Some(_) if root => Some(claim_uid()?),
        _ => None,
    };
    let argv: Vec<OsString> = match spec {
        Some(spec) => {
            let dirs = cgroups.as_ref().map(|c| c.dirs.clone()).unwrap_or_default();
            spec.server_argv(launcher, &dirs, uid.as_ref().map(|(u, _)| *u))
        }
        None => vec![launcher.into(), SERVER_ARG.into()],
    };
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(Stdio::from(theirs))
        .stdout(Stdio::null())
        // bubblewrap says there why it could not make the box.
        .stderr(if spec.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .env_clear();
    if spec.is_some() {
        command.env("PATH", super::sandbox::BOX_PATH);
    } else if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    // Its own process group, so that a Ctrl-C to ale's group reaches ale first.
    command.process_group(0);
    let process = command.spawn()?;
    Ok(Server {
        socket: Arc::new(ours),
        process,
        spec: spec.cloned(),
        _cgroups: cgroups,
        _uid: uid.map(|(_, lock)| lock),
    })
}

/// Where the case uids in use are claimed, one lock file each.
const UID_LOCKS: &str = "/run/ale-uids";

/// A case uid no other box on this machine holds, with the lock that holds
/// it (released when the box's server is dropped, or ale ends).
fn claim_uid() -> io::Result<(u32, File)> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = Path::new(UID_LOCKS);
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io::Error::other(format!("{}: {e}", dir.display())))?;
    for n in 0..1000 {
        let uid = super::sandbox::BOX_UID_BASE + n;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(uid.to_string()))?;
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok((uid, lock));
        }
    }
    Err(io::Error::other(
        "the 1000 case uids from 60000 are all in use by boxes on this machine",
    ))
}

/// Why a server stopped answering: for a boxed one, bubblewrap's own message.
fn server_failure(server: Option<Server>, e: io::Error) -> io::Error {
    if let Some(mut server) = server {
        if server.spec.is_some() {
            let _ = server.process.kill();
            let mut said = String::new();
            if let Some(mut stderr) = server.process.stderr.take() {
                let _ = stderr.read_to_string(&mut said);
            }
            let said = said.trim();
            if said.starts_with("bwrap: ") {
                return io::Error::other(format!("the sandbox failed: {said}"));
            }
        }
    }
    io::Error::other(format!("the spawn server failed: {e}"))
}

/// A case started by a spawn server.
pub(crate) struct Handle {
    tag: u64,
    socket: Arc<OwnedFd>,
    started: Instant,
    kill_after: Duration,
}

/// Kills a running case from any thread (its output passed the limit).
#[derive(Clone)]
pub(crate) struct Killer {
    socket: Arc<OwnedFd>,
    tag: u64,
}

impl Killer {
    pub fn tag(&self) -> u64 {
        self.tag
    }

    pub fn socket(&self) -> RawFd {
        self.socket.as_raw_fd()
    }

    pub fn kill(&self) {
        let _ = send(
            self.socket.as_raw_fd(),
            format!("kill {}", self.tag).as_bytes(),
        );
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

/// This thread's spawn server for `launch` (started if needed) and a fresh
/// tag, for a case that another process (`ale __measure`, started by a
/// contest's tester) asks it to run.
pub(crate) fn reserve(launcher: &Path, launch: &Launch) -> io::Result<Killer> {
    SERVERS.with(|cell| {
        let mut servers = cell.borrow_mut();
        servers.next_tag += 1;
        let tag = servers.next_tag;
        let slot = servers.slot(launch.boxed.as_ref());
        if slot.as_ref().is_some_and(|s| s.spec != launch.boxed) {
            *slot = None;
        }
        if slot.is_none() {
            *slot = Some(start_server(launcher, launch.boxed.as_ref())?);
        }
        let socket = Arc::clone(&slot.as_ref().expect("server started").socket);
        Ok(Killer { socket, tag })
    })
}

/// Runs case `tag` of `message` through the server on `socket` with this
/// process's own stdin and stdout and `stderr`, and waits for it (in `ale __measure`).
pub(crate) fn run_here(
    socket: RawFd,
    tag: u64,
    message: &[u8],
    stderr: RawFd,
) -> io::Result<Ended> {
    send_with_fds(socket, message, &[0, 1, stderr])?;
    let reply = recv_tagged(socket, tag, None)?;
    if !reply.starts_with("started ") {
        return Err(io::Error::other(format!(
            "the spawn server answered `{reply}`"
        )));
    }
    let reply = recv_tagged(socket, tag, None)?;
    parse_ended(&reply)
        .ok_or_else(|| io::Error::other(format!("the spawn server answered `{reply}`")))
}

/// `ended TAG exit|signal N PEAK_KB WALL_US TIMER CPU_US FULL`.
fn parse_ended(reply: &str) -> Option<Ended> {
    let w: Vec<&str> = reply.split_ascii_whitespace().collect();
    if w.len() != 9 || w[0] != "ended" {
        return None;
    }
    let n: i32 = w[3].parse().ok()?;
    let exit = match w[2] {
        "exit" => Exit::Code(n),
        "signal" => Exit::Signal(n),
        _ => return None,
    };
    Some(Ended {
        exit,
        peak_memory_kb: w[4].parse().ok()?,
        wall: Duration::from_micros(w[5].parse().ok()?),
        killed_by_timer: w[6] == "1",
        cpu: Duration::from_micros(w[7].parse().ok()?),
        folder_full: w[8] == "1",
    })
}

/// Drops this thread's server on `socket` (it failed) and says why it failed.
fn forget(socket: &Arc<OwnedFd>, e: io::Error) -> io::Error {
    SERVERS.with(|cell| {
        let mut servers = cell.borrow_mut();
        let Servers {
            open,
            boxed,
            compile,
            ..
        } = &mut *servers;
        let failed = [open, boxed, compile]
            .into_iter()
            .find(|slot| {
                slot.as_ref()
                    .is_some_and(|s| Arc::ptr_eq(&s.socket, socket))
            })
            .and_then(Option::take);
        server_failure(failed, e)
    })
}

/// Starts a case through this thread's spawn server (unboxed, or in the
/// lasting box `launch` asks for), starting the server first if needed;
/// `pass` becomes the case's descriptor 3. Returns the case and its stdin,
/// stdout and stderr.
pub(crate) fn spawn(
    launcher: &Path,
    launch: &Launch,
    pass: Option<RawFd>,
) -> io::Result<(Handle, File, File, File)> {
    let Killer { socket, tag } = reserve(launcher, launch)?;
    let (stdin_r, stdin_w) = io::pipe()?;
    let (stdout_r, stdout_w) = io::pipe()?;
    let (stderr_r, stderr_w) = io::pipe()?;
    let message = request_message(tag, launch)?;
    let mut fds = vec![
        stdin_r.as_raw_fd(),
        stdout_w.as_raw_fd(),
        stderr_w.as_raw_fd(),
    ];
    fds.extend(pass);
    let started = Instant::now();
    let reply = send_with_fds(socket.as_raw_fd(), &message, &fds)
        .and_then(|_| recv_tagged(socket.as_raw_fd(), tag, None));
    drop((stdin_r, stdout_w, stderr_w));
    let reply = reply.map_err(|e| forget(&socket, e))?;
    let words: Vec<&str> = reply.split_ascii_whitespace().collect();
    match (
        words.first(),
        words.get(2).and_then(|w| w.parse::<i32>().ok()),
    ) {
        (Some(&"started"), Some(_)) => Ok((
            Handle {
                tag,
                socket,
                started,
                kill_after: launch.kill_after,
            },
            File::from(OwnedFd::from(stdin_w)),
            File::from(OwnedFd::from(stdout_r)),
            File::from(OwnedFd::from(stderr_r)),
        )),
        (Some(&"error"), Some(errno)) if errno != 0 => {
            let e = io::Error::from_raw_os_error(errno);
            let stage = words.get(3..).unwrap_or_default().join(" ");
            let stage = match stage.as_str() {
                "exec" | "executing the solution" => String::new(),
                other => format!(" ({other})"),
            };
            Err(io::Error::new(
                e.kind(),
                format!(
                    "could not execute {}{stage}: {e}",
                    Path::new(&launch.command[0]).display()
                ),
            ))
        }
        _ => Err(forget(
            &socket,
            io::Error::other(format!("it answered `{reply}`")),
        )),
    }
}

impl Handle {
    pub fn killer(&self) -> Killer {
        Killer {
            socket: Arc::clone(&self.socket),
            tag: self.tag,
        }
    }

    /// Waits for the case to end; the server kills it at its deadline.
    pub fn wait(self) -> io::Result<Ended> {
        // The server enforces the deadline; past it and a grace period, the
        // server itself is stuck and is replaced.
        let give_up = self.started + self.kill_after + Duration::from_secs(10);
        let reply = recv_tagged(self.socket.as_raw_fd(), self.tag, Some(give_up));
        let fail = |e: io::Error| forget(&self.socket, e);
        let reply = reply.map_err(fail)?;
        let parsed = parse_ended(&reply);
        parsed.ok_or_else(|| fail(io::Error::other(format!("it answered `{reply}`"))))
    }
}

/// Receives the next reply about case `tag`, skipping replies about earlier
/// cases; an error at `give_up`.
fn recv_tagged(fd: RawFd, tag: u64, give_up: Option<Instant>) -> io::Result<String> {
    loop {
        if let Some(at) = give_up {
            if !readable_before(fd, at)? {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "no answer long after the case's deadline",
                ));
            }
        }
        let reply = recv(fd)?;
        let about = reply.split_ascii_whitespace().nth(1);
        if about.and_then(|t| t.parse::<u64>().ok()) == Some(tag) || about == Some("0") {
            return Ok(reply);
        }
    }
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
