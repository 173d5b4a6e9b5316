//! The workers of a command: processes started once (by `srun` on a
//! cluster's nodes, or beside the judge) that connect back to a listener
//! here and judge cases for every run of the command. A run takes the idle
//! workers when it starts and gives them back when it ends; a worker that
//! connects late joins the run in progress. Dropping the pool stops every
//! worker and cancels every job it started: none is left in the queue.

use super::client::{self, Worker};
use super::protocol::TOKEN_VAR;
use crate::error::{Error, Result};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A worker to start: the command that runs `ale __worker` there (through
/// `srun` on a cluster; the pool adds `--connect ADDRESS --label LABEL`),
/// and its name in messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    pub command: Vec<std::ffi::OsString>,
    pub label: String,
}

/// How the pool waits for its workers and listens to them.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSettings {
    /// How long the workers may take to start (a cluster's queue may hold
    /// them); `setting` names it in the error.
    pub start_timeout: Duration,
    /// A worker silent this long while it runs a case is lost.
    pub heartbeat: Duration,
    /// The address the workers connect to: this machine's host name when
    /// they run elsewhere, 127.0.0.1 when they all run here.
    pub address: Option<String>,
    /// Where the settings come from, for messages (`[workers] in ale.toml`).
    pub origin: String,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            start_timeout: Duration::from_secs(60),
            heartbeat: Duration::from_secs(10),
            address: None,
            origin: "the workers' settings".into(),
        }
    }
}

/// A started worker process, and the end of what it wrote to stderr.
struct Launched {
    label: String,
    child: Child,
    stderr: Arc<Mutex<String>>,
    /// The thread reading its stderr, done when the process is.
    reader: Option<thread::JoinHandle<()>>,
}

#[derive(Default)]
struct State {
    idle: Vec<Worker>,
    launched: Vec<Launched>,
    /// Workers that connected, ever.
    connected: usize,
    /// The Slurm jobs of the workers, to cancel at the end.
    jobs: Vec<String>,
    /// The labels of the workers that connected.
    labels: std::collections::HashSet<String>,
}

struct Shared {
    token: String,
    settings: PoolSettings,
    state: Mutex<State>,
    joined: Condvar,
    closing: AtomicBool,
    /// Connections whose hello is awaited.
    greeting: std::sync::atomic::AtomicUsize,
}

/// Hellos awaited at once; further connections wait to be read.
const MAX_GREETINGS: usize = 256;

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The workers of a command.
pub struct Pool {
    shared: Arc<Shared>,
    local_address: SocketAddr,
    address: String,
    listener: Option<thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({})", self.address)
    }
}

impl Pool {
    /// Listens for workers: on every interface when `elsewhere` (workers on
    /// other nodes), else on loopback only.
    pub fn listen(settings: PoolSettings, elsewhere: bool) -> Result<Pool> {
        let bind = if elsewhere {
            "0.0.0.0:0"
        } else {
            "127.0.0.1:0"
        };
        let listener = TcpListener::bind(bind)
            .map_err(|e| Error::Internal(format!("cannot listen for workers on {bind}: {e}")))?;
        let local_address = listener
            .local_addr()
            .map_err(|e| Error::Internal(format!("the workers' listener: {e}")))?;
        let host = match &settings.address {
            Some(a) => a.clone(),
            None if elsewhere => std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_string())
                .unwrap_or_else(|_| "localhost".into()),
            None => "127.0.0.1".into(),
        };
        let address = format!("{host}:{}", local_address.port());
        if settings.address.is_none() && elsewhere {
            use std::net::ToSocketAddrs;
            if address
                .to_socket_addrs()
                .map_or(true, |mut a| a.next().is_none())
            {
                return Err(Error::Usage(format!(
                    "this machine's host name `{host}` does not resolve, so workers elsewhere cannot reach it; set address in [workers] of ale.toml to a name or IP the nodes reach it by"
                )));
            }
        }
        let mut token = [0u8; 24];
        getrandom(&mut token)?;
        let shared = Arc::new(Shared {
            token: crate::judge::compile_hex(&token),
            settings,
            state: Mutex::new(State::default()),
            joined: Condvar::new(),
            closing: AtomicBool::new(false),
            greeting: std::sync::atomic::AtomicUsize::new(0),
        });
        let s = shared.clone();
        let listener = thread::Builder::new()
            .name("ale-workers".into())
            .spawn(move || accept_workers(listener, s))
            .map_err(|e| Error::Internal(format!("the workers' listener: {e}")))?;
        Ok(Pool {
            shared,
            local_address,
            address,
            listener: Some(listener),
        })
    }

    /// Where the workers connect, and the token they must show: for workers
    /// started by other means than [`Pool::launch`].
    pub fn address(&self) -> (&str, &str) {
        (&self.address, &self.shared.token)
    }

    /// Starts the workers of `remotes`; they join as they connect.
    pub fn launch(&self, remotes: &[Remote]) -> Result<()> {
        for remote in remotes {
            let Some((program, args)) = remote.command.split_first() else {
                return Err(Error::Usage(format!("worker {}: no command", remote.label)));
            };
            let mut command = Command::new(program);
            command
                .args(args)
                .args(["--connect", &self.address, "--label", &remote.label])
                .env(TOKEN_VAR, &self.shared.token)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let mut child = command.spawn().map_err(|e| {
                Error::Usage(format!(
                    "worker {}: could not start `{}` ({e}); check {}",
                    remote.label,
                    program.to_string_lossy(),
                    self.shared.settings.origin
                ))
            })?;
            let stderr = Arc::new(Mutex::new(String::new()));
            let mut reader = None;
            if let Some(mut pipe) = child.stderr.take() {
                let keep = stderr.clone();
                reader = Some(thread::spawn(move || {
                    use std::io::Read;
                    let mut buf = [0u8; 4096];
                    while let Ok(n @ 1..) = pipe.read(&mut buf) {
                        let mut kept = keep.lock().unwrap_or_else(|p| p.into_inner());
                        kept.push_str(&String::from_utf8_lossy(&buf[..n]));
                        if kept.len() > 4000 {
                            *kept = crate::text::tail(&kept, 2000);
                        }
                    }
                }));
            }
            self.shared.state().launched.push(Launched {
                label: remote.label.clone(),
                child,
                stderr,
                reader,
            });
        }
        Ok(())
    }

    /// Waits until `count` workers have connected, the start timeout has
    /// passed, or every started worker has exited. The number connected; an
    /// error naming the setting when none did.
    pub fn wait_started(&self, count: usize) -> Result<usize> {
        let timeout = self.shared.settings.start_timeout;
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.state();
        loop {
            if state.connected >= count {
                return Ok(state.connected);
            }
            let running = state
                .launched
                .iter_mut()
                .map(|l| matches!(l.child.try_wait(), Ok(None)))
                .filter(|&up| up)
                .count();
            let now = Instant::now();
            if (now >= deadline || running == 0) && state.connected > 0 {
                return Ok(state.connected);
            }
            if now >= deadline || (running == 0 && !state.launched.is_empty()) {
                // What the exited ones said, read to its end (a second at
                // most: a process of theirs may hold the pipe).
                let until = Instant::now() + Duration::from_secs(1);
                for l in state.launched.iter_mut() {
                    if matches!(l.child.try_wait(), Ok(Some(_))) {
                        while l.reader.as_ref().is_some_and(|r| !r.is_finished())
                            && Instant::now() < until
                        {
                            thread::sleep(Duration::from_millis(10));
                        }
                    }
                }
                let why: Vec<String> = state
                    .launched
                    .iter()
                    .filter_map(|l| {
                        let said = l.stderr.lock().unwrap_or_else(|p| p.into_inner());
                        let said = said.trim();
                        (!said.is_empty()).then(|| format!("{}: {}", l.label, said))
                    })
                    .take(3)
                    .collect();
                let what = if running == 0 {
                    "every worker exited before it connected".to_string()
                } else {
                    format!(
                        "no worker connected within {} s (a queue that does not start them, or a network between the nodes and {} that does not let them through)",
                        timeout.as_secs(),
                        self.address
                    )
                };
                let said = if why.is_empty() {
                    String::new()
                } else {
                    format!("; they said: {}", why.join(" | "))
                };
                return Err(Error::Usage(format!(
                    "the workers did not start: {what}{said}; check {} (or pass --workers-fallback local to judge here instead)",
                    self.shared.settings.origin
                )));
            }
            let wait = deadline
                .saturating_duration_since(now)
                .min(Duration::from_millis(100));
            state = self
                .shared
                .joined
                .wait_timeout(state, wait)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// The idle workers, taken for a run.
    pub fn take_idle(&self) -> Vec<Worker> {
        std::mem::take(&mut self.shared.state().idle)
    }

    /// An idle worker, waiting up to the start timeout for one.
    pub fn wait_idle(&self) -> Option<Worker> {
        let deadline = Instant::now() + self.shared.settings.start_timeout;
        let mut state = self.shared.state();
        loop {
            if let Some(w) = state.idle.pop() {
                return Some(w);
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            state = self
                .shared
                .joined
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// A worker back from a run, for the next.
    pub fn give_back(&self, worker: Worker) {
        self.shared.state().idle.push(worker);
        self.shared.joined.notify_all();
    }

    /// A worker lost in a run: its process is stopped (ending its job).
    pub fn lost(&self, label: &str) {
        let mut state = self.shared.state();
        if let Some(l) = state.launched.iter_mut().find(|l| l.label == label) {
            terminate(&mut l.child);
        }
    }

    /// How many workers have connected since the pool started.
    pub fn connected(&self) -> usize {
        self.shared.state().connected
    }

    /// How long workers may take to start.
    pub fn start_timeout(&self) -> Duration {
        self.shared.settings.start_timeout
    }
}

/// Accepts workers until the pool closes: each shows its token within a
/// few seconds or is turned away.
fn accept_workers(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.closing.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        // So many hellos at once, no more: strangers that connect and say
        // nothing do not pile up threads (each has 10 s), and the others
        // wait their turn in the kernel's queue.
        while shared.greeting.load(Ordering::SeqCst) >= MAX_GREETINGS {
            thread::sleep(Duration::from_millis(5));
        }
        shared.greeting.fetch_add(1, Ordering::SeqCst);
        let shared = shared.clone();
        // The hello is read beside: a peer that says nothing holds up nobody.
        thread::spawn(move || {
            let hello = client::accept(&mut stream, &shared.token, Duration::from_secs(10));
            shared.greeting.fetch_sub(1, Ordering::SeqCst);
            let Ok(hello) = hello else {
                return; // not one of ours
            };
            let Ok(worker) = Worker::new(stream, hello, shared.settings.heartbeat) else {
                return;
            };
            let mut state = shared.state();
            if shared.closing.load(Ordering::SeqCst) {
                drop(state);
                worker.bye();
                return;
            }
            state.connected += 1;
            state.labels.insert(worker.hello.label.clone());
            if let Some(job) = &worker.hello.job {
                state.jobs.push(job.clone());
            }
            state.idle.push(worker);
            drop(state);
            shared.joined.notify_all();
        });
    }
}

/// SIGTERM (srun then cancels its job), without waiting.
fn terminate(child: &mut Child) {
    if matches!(child.try_wait(), Ok(None)) {
        // SAFETY: kill has no memory preconditions; the pid is our child's,
        // not yet reaped.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    }
}

fn getrandom(buf: &mut [u8]) -> Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .map_err(|e| Error::Internal(format!("/dev/urandom: {e}")))
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        // Wakes the listener.
        let _ = TcpStream::connect_timeout(&self.local_address, Duration::from_secs(1));
        if let Some(l) = self.listener.take() {
            let _ = l.join();
        }
        let mut state = self.shared.state();
        for w in state.idle.drain(..) {
            w.bye();
        }
        // The workers leave on bye; those that do not are stopped, and their
        // jobs cancelled. One that never connected (still in the queue) is
        // stopped at once: srun withdraws its job.
        let State {
            launched, labels, ..
        } = &mut *state;
        for l in launched.iter_mut().filter(|l| !labels.contains(&l.label)) {
            terminate(&mut l.child);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut stubborn = false;
        for l in state.launched.iter_mut() {
            while matches!(l.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            if matches!(l.child.try_wait(), Ok(None)) {
                stubborn = true;
                terminate(&mut l.child);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        for l in state.launched.iter_mut() {
            while matches!(l.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            let _ = l.child.kill();
            let _ = l.child.wait();
        }
        if stubborn && !state.jobs.is_empty() {
            // At most ten seconds: a controller that does not answer does not
            // hold the command's end.
            if let Ok(mut scancel) = Command::new("scancel")
                .args(&state.jobs)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            {
                let until = Instant::now() + Duration::from_secs(10);
                while matches!(scancel.try_wait(), Ok(None)) && Instant::now() < until {
                    thread::sleep(Duration::from_millis(20));
                }
                let _ = scancel.kill();
                let _ = scancel.wait();
            }
        }
    }
}
