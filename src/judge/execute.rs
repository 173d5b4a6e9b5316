//! Running one solution process: its own process group, an address-space limit,
//! wall time with a kill deadline, peak memory from `wait4`, capped output.

pub use super::exit::Exit;
pub(crate) use super::exit::{kill_group, Ended};
use super::sandbox::{Launch, Scratch};
use super::Limits;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// What one process did.
#[derive(Debug, Clone)]
pub struct Execution {
    pub exit: Exit,
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// CPU time (user + system) of all its processes and threads.
    pub cpu: Duration,
    /// Peak memory: the case's cgroup's (tmpfs pages included) where there
    /// is one, else the kernel's `ru_maxrss`.
    pub peak_memory_kb: u64,
    /// A boxed case filled its folder: a write failed for want of room.
    pub folder_full: bool,
    pub stdout: Vec<u8>,
    /// The last bytes of stderr, lossily decoded.
    pub stderr_tail: String,
    /// Stdout passed the output limit and the process was killed.
    pub output_overflow: bool,
    /// The process was still running at the kill deadline.
    pub killed_by_timer: bool,
}

/// Runs a command line with `input` on stdin under `limits`.
pub fn execute(
    command: &[impl AsRef<OsStr>],
    input: &[u8],
    limits: &Limits,
) -> io::Result<Execution> {
    execute_passing(command, input, limits, None)
}

/// [`execute`], with `pass` as the process's descriptor 3 (through the spawn
/// server only: without it, `pass` is not given).
pub(crate) fn execute_passing(
    command: &[impl AsRef<OsStr>],
    input: &[u8],
    limits: &Limits,
    pass: Option<std::os::fd::RawFd>,
) -> io::Result<Execution> {
    let spawned = spawn(command, limits, pass)?;
    run_spawned(spawned, input, limits)
}

/// Runs a launch built by the caller (a compile's box) with `input` on stdin.
pub(crate) fn execute_launch(
    launch: &Launch,
    input: &[u8],
    limits: &Limits,
) -> io::Result<Execution> {
    let spawned = spawn_launch(launch, None, None)?;
    run_spawned(spawned, input, limits)
}

fn run_spawned(
    (spawned, mut stdin, stdout, stderr): (Spawned, File, File, File),
    input: &[u8],
    limits: &Limits,
) -> io::Result<Execution> {
    let killer = spawned.killer();
    let over = Over::default();
    let (stdout, stderr) = (over.pipe(stdout), over.pipe(stderr));
    thread::scope(|scope| {
        // An input that fits in the empty pipe is written at once; a larger one
        // gets a writer thread, so that a solution that never reads its input
        // cannot block the judge (the write fails when the process ends).
        if input.len() <= pipe_capacity(&stdin) {
            let _ = stdin.write_all(input);
            drop(stdin);
        } else {
            scope.spawn(move || {
                let _ = stdin.write_all(input);
            });
        }
        let cap = limits.output_limit_bytes;
        let out = scope.spawn(move || read_capped(stdout, cap, &killer));
        let err = scope.spawn(move || read_tail(stderr, limits.stderr_bytes));
        let ended = spawned.wait(limits.kill_after);
        over.now();
        let (stdout, output_overflow) = out.join().expect("stdout reader");
        let stderr_tail = err.join().expect("stderr reader");
        Ok(Execution::new(ended?, stdout, stderr_tail, output_overflow))
    })
}

impl Execution {
    pub(crate) fn new(
        ended: Ended,
        stdout: Vec<u8>,
        stderr_tail: String,
        output_overflow: bool,
    ) -> Self {
        Execution {
            exit: ended.exit,
            wall: ended.wall,
            cpu: ended.cpu,
            peak_memory_kb: ended.peak_memory_kb,
            folder_full: ended.folder_full,
            stdout,
            stderr_tail,
            output_overflow,
            killed_by_timer: ended.killed_by_timer,
        }
    }
}

/// A started solution, to be waited for on the thread that started it.
pub(crate) struct Spawned {
    started: Instant,
    how: How,
    /// Removed once the solution is gone (unboxed; a boxed case's folder
    /// is its own tmpfs, gone with it).
    _scratch: Option<Scratch>,
}

enum How {
    /// Through the spawn server, which watches it.
    Server(super::zygote::Handle),
    /// Forked from ale itself.
    Direct(Child),
}

/// Stops a running solution from another thread (its output passed the limit).
#[derive(Clone)]
pub(crate) enum Killer {
    Server(super::zygote::Killer),
    Group(i32),
}

impl Killer {
    pub fn kill(&self) {
        match self {
            Killer::Server(k) => k.kill(),
            Killer::Group(pid) => kill_group(*pid),
        }
    }
}

/// The `ale` binary that serves as spawn server: `ALE_BIN`, or `ale` beside the
/// running binary (which is itself when that is `ale`), or one folder up (for
/// test and bench binaries under `target/*/deps`).
pub fn launcher() -> Option<&'static Path> {
    static LAUNCHER: OnceLock<Option<PathBuf>> = OnceLock::new();
    LAUNCHER
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("ALE_BIN") {
                return Some(PathBuf::from(path)).filter(|p| p.is_file());
            }
            let exe = std::env::current_exe().ok()?;
            let dir = exe.parent()?;
            [dir.join("ale"), dir.parent()?.join("ale")]
                .into_iter()
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// Starts the solution in its own process group, in a fresh scratch folder,
/// boxed when `limits.sandbox` says so, with piped stdio and its limits;
/// returns it with its stdin, stdout and stderr.
///
/// Through the spawn server when the `ale` binary is found (see [`super::zygote`]); without it
/// the solution is forked from ale, which is slower, and its peak memory may
/// include ale's own pages. The box needs the spawn server: boxed without
/// it is an error, never an unboxed run.
pub(crate) fn spawn(
    command: &[impl AsRef<OsStr>],
    limits: &Limits,
    pass: Option<std::os::fd::RawFd>,
) -> io::Result<(Spawned, File, File, File)> {
    if command.is_empty() {
        return Err(io::Error::other("an empty command line"));
    }
    let scratch = match limits.sandbox {
        Some(_) => None,
        None => Some(Scratch::create()?),
    };
    let folder = scratch
        .as_ref()
        .map_or(Path::new(super::sandbox::CASE_DIR), Scratch::path);
    let launch = Launch::new(command, limits, folder);
    spawn_launch(&launch, scratch, pass)
}

fn spawn_launch(
    launch: &Launch,
    scratch: Option<Scratch>,
    pass: Option<std::os::fd::RawFd>,
) -> io::Result<(Spawned, File, File, File)> {
    if let Some(launcher) = launcher() {
        let started = Instant::now();
        let (handle, stdin, stdout, stderr) = super::zygote::spawn(launcher, launch, pass)?;
        let spawned = Spawned {
            started,
            how: How::Server(handle),
            _scratch: scratch,
        };
        return Ok((spawned, stdin, stdout, stderr));
    }
    if launch.boxed.is_some() {
        return Err(io::Error::other(
            "the box needs the ale binary as its keeper, and it was not found: set ALE_BIN to it",
        ));
    }
    let argv = &launch.command;
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]).current_dir(&launch.cwd);
    let rlimits = launch.rlimits;
    // SAFETY: the closure only calls setrlimit, which is async-signal-safe.
    unsafe {
        command.pre_exec(move || rlimits.apply());
    }
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        // A clean environment, as on a contest judge: the same solution behaves
        // the same whatever the caller's shell sets (RUST_BACKTRACE, ...).
        .env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    let started = Instant::now();
    let mut child = command.spawn()?;
    let stdin = File::from(OwnedFd::from(child.stdin.take().expect("piped stdin")));
    let stdout = File::from(OwnedFd::from(child.stdout.take().expect("piped stdout")));
    let stderr = File::from(OwnedFd::from(child.stderr.take().expect("piped stderr")));
    let spawned = Spawned {
        started,
        how: How::Direct(child),
        _scratch: scratch,
    };
    Ok((spawned, stdin, stdout, stderr))
}

impl Spawned {
    pub fn killer(&self) -> Killer {
        match &self.how {
            How::Server(handle) => Killer::Server(handle.killer()),
            How::Direct(child) => Killer::Group(child.id() as i32),
        }
    }

    /// Waits for the solution, killing its group at `kill_after` after the start;
    /// then kills whatever it left behind in its group.
    pub fn wait(self, kill_after: Duration) -> io::Result<Ended> {
        let deadline = self.started + kill_after;
        let child = match self.how {
            How::Server(handle) => return handle.wait(),
            How::Direct(child) => child,
        };
        let pid = child.id() as i32;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut status = 0;
            // SAFETY: rusage is plain data the kernel fills in.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            loop {
                // SAFETY: waiting on our own child with valid out-pointers.
                let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
                if r == pid || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
            let _ = tx.send((status, usage, Instant::now()));
        });
        let remaining = deadline.saturating_duration_since(Instant::now());
        let (received, killed_by_timer, peak_at_kill) = match rx.recv_timeout(remaining) {
            Ok(r) => (r, false, None),
            Err(_) => {
                let peak = super::zygote::peak_memory_kb(pid);
                kill_group(pid);
                (rx.recv().expect("waiter thread reports"), true, peak)
            }
        };
        let (status, usage, ended_at) = received;
        let maxrss = usage.ru_maxrss.max(0) as u64;
        let cpu = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec.max(0) as u64)
                + Duration::from_micros(t.tv_usec.max(0) as u64)
        };
        kill_group(pid);
        let exit = if libc::WIFSIGNALED(status) {
            Exit::Signal(libc::WTERMSIG(status))
        } else {
            Exit::Code(libc::WEXITSTATUS(status))
        };
        Ok(Ended {
            exit,
            wall: ended_at.duration_since(self.started),
            cpu: cpu(usage.ru_utime) + cpu(usage.ru_stime),
            peak_memory_kb: maxrss.max(peak_at_kill.unwrap_or(0)),
            killed_by_timer,
            folder_full: false,
        })
    }
}

/// How many bytes a write to this empty pipe takes without blocking.
fn pipe_capacity(pipe: &File) -> usize {
    use std::os::fd::AsRawFd;
    // SAFETY: F_GETPIPE_SZ only reads the descriptor's pipe size.
    let size = unsafe { libc::fcntl(pipe.as_raw_fd(), libc::F_GETPIPE_SZ) };
    size.max(0) as usize
}

/// When the solution ended. A process it started outside its process group
/// (only possible unboxed) may keep its pipes open long after: reads
/// through [`Over::pipe`] then give up [`Over::GRACE`] after the end.
#[derive(Default)]
pub(crate) struct Over(OnceLock<Instant>);

impl Over {
    const GRACE: Duration = Duration::from_millis(500);

    pub fn now(&self) {
        let _ = self.0.set(Instant::now());
    }

    pub fn pipe(&self, file: File) -> Pipe<'_> {
        Pipe { file, over: self }
    }
}

/// A solution's pipe that ends at its end of file, or [`Over::GRACE`] after the solution.
pub(crate) struct Pipe<'a> {
    file: File,
    over: &'a Over,
}

impl Read for Pipe<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        loop {
            let mut p = libc::pollfd {
                fd: self.file.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let r = unsafe { libc::poll(&mut p, 1, 50) };
            if r > 0 {
                return self.file.read(buf);
            }
            if r < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return Err(io::Error::last_os_error());
            }
            if self
                .over
                .0
                .get()
                .is_some_and(|t| t.elapsed() >= Over::GRACE)
            {
                return Ok(0);
            }
        }
    }
}

/// Reads all of `r` up to `cap` bytes; past it, kills the group and reports overflow.
fn read_capped(mut r: impl Read, cap: usize, killer: &Killer) -> (Vec<u8>, bool) {
    let mut data = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => return (data, false),
            Ok(n) => {
                if data.len() + n > cap {
                    killer.kill();
                    return (data, true);
                }
                data.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return (data, false),
        }
    }
}

/// Reads all of `r`, keeping only the last `keep` bytes.
pub(crate) fn read_tail(mut r: impl Read, keep: usize) -> String {
    let mut tail: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                tail.extend_from_slice(&chunk[..n]);
                if tail.len() > 2 * keep {
                    tail.drain(..tail.len() - keep);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let start = tail.len().saturating_sub(keep);
    String::from_utf8_lossy(&tail[start..]).into_owned()
}
