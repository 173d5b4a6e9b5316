//! The client side: ale's worker threads start their spawn servers (boxed or
//! not), send them cases and wait for their answers.

use super::wire::{parse_ended, recv, request_message, send, send_with_fds};
use super::SERVER_ARG;
use crate::judge::exit::Ended;
use crate::judge::sandbox::cgroup::WorkerCgroups;
use crate::judge::sandbox::{BoxSpec, Launch};
use std::cell::RefCell;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

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
            let dirs = cgroups.as_ref().map(|c| c.binds()).unwrap_or_default();
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
        command.env("PATH", crate::judge::sandbox::BOX_PATH);
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
        let uid = crate::judge::sandbox::BOX_UID_BASE + n;
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
