//! The box a solution runs in: its command line (under bubblewrap when it is
//! there), its scratch folder, and its resource limits.
//!
//! Under bubblewrap a solution sees the whole system read-only, has no network,
//! its own process, IPC and host-name namespaces, a private /tmp, and write
//! access to its thread's scratch folders only; it dies with its parent. The
//! box is started once per worker thread with the spawn server inside
//! ([`BoxSpec`]), which runs that thread's cases one after another and clears
//! the box between them. Without bubblewrap the resource limits still apply.

use super::Limits;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Whether solutions run under bubblewrap, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sandbox {
    Bubblewrap(PathBuf),
    Off(String),
}

impl Sandbox {
    /// Bubblewrap when `bwrap` is on the PATH (or `ALE_BWRAP`) and can start a
    /// box on this machine; the answer is worked out once per process.
    pub fn detect() -> Sandbox {
        static FOUND: OnceLock<Sandbox> = OnceLock::new();
        FOUND.get_or_init(probe).clone()
    }

    /// The sandbox turned off on purpose.
    pub fn disabled() -> Sandbox {
        Sandbox::Off("turned off with --no-sandbox".into())
    }

    pub fn bwrap(&self) -> Option<&Path> {
        match self {
            Sandbox::Bubblewrap(path) => Some(path),
            Sandbox::Off(_) => None,
        }
    }
}

fn probe() -> Sandbox {
    let program = std::env::var_os("ALE_BWRAP")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join("bwrap"))
                    .find(|p| p.is_file())
            })
        });
    let Some(program) = program else {
        return Sandbox::Off(
            "bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) to box solutions"
                .into(),
        );
    };
    let mut args = box_arguments(Path::new("/"), &[], true);
    args.push("--".into());
    args.push("true".into());
    let works = Command::new(&program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match works {
        Ok(out) if out.status.success() => Sandbox::Bubblewrap(program),
        Ok(out) => Sandbox::Off(format!(
            "{} cannot create a box here ({}); user namespaces may be disabled",
            program.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Sandbox::Off(format!("{} cannot be started: {e}", program.display())),
    }
}

/// bubblewrap's options for a box whose only writable folder is `scratch`.
/// The private /tmp would hide files kept there: `files` are bound in again.
/// `one_case`: the box runs one command, which becomes its first process.
fn box_arguments(scratch: &Path, files: &[&Path], one_case: bool) -> Vec<OsString> {
    // A few device nodes rather than a whole new /dev: every mount costs time
    // on every case, and solutions need no more than these.
    let mut args: Vec<OsString> = [
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--tmpfs",
        "/tmp",
        "--dev-bind",
        "/dev/null",
        "/dev/null",
        "--dev-bind",
        "/dev/zero",
        "/dev/zero",
        "--dev-bind",
        "/dev/urandom",
        "/dev/urandom",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    for file in files {
        args.extend(["--ro-bind".into(), (*file).into(), (*file).into()]);
    }
    if scratch != Path::new("/") {
        args.extend([
            "--bind".into(),
            scratch.into(),
            scratch.into(),
            "--chdir".into(),
            scratch.into(),
        ]);
    }
    // Every namespace but the user one, which bubblewrap adds by itself when it
    // runs unprivileged (for root it would only cost time). A one-case box's
    // command is the PID namespace's first process: with bubblewrap's own
    // reaper in between, its peak memory would never reach `wait4`; and when
    // it ends, the kernel ends everything it started. A lasting box keeps
    // bubblewrap's reaper as its first process, for what cases leave behind.
    if one_case {
        args.push("--as-pid-1".into());
    }
    args.extend(
        [
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
        ]
        .iter()
        .map(OsString::from),
    );
    args
}

/// The resource limits set on a solution before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rlimits {
    pub address_space: u64,
    pub cpu_seconds: u64,
    pub file_size: u64,
    pub processes: u64,
}

impl Rlimits {
    pub fn of(limits: &Limits) -> Rlimits {
        Rlimits {
            address_space: limits.address_space_bytes,
            // CPU time past the kill deadline means the deadline failed: stop it anyway.
            cpu_seconds: limits.kill_after.as_secs() + 2,
            file_size: limits.output_limit_bytes as u64,
            processes: limits.processes,
        }
    }

    /// Applies the limits to the calling process (a child about to exec).
    pub fn apply(&self) -> std::io::Result<()> {
        set_limit(libc::RLIMIT_AS, self.address_space)?;
        set_limit(libc::RLIMIT_CPU, self.cpu_seconds)?;
        set_limit(libc::RLIMIT_FSIZE, self.file_size)?;
        set_limit(libc::RLIMIT_NPROC, self.processes)?;
        set_limit(libc::RLIMIT_CORE, 0)
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: a plain system call on a valid struct; async-signal-safe.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A folder a solution may write in, removed with everything in it afterwards.
///
/// Each thread keeps its cases' folders under a folder of its own, so that a
/// box started for one thread can be given write access to that thread's
/// cases and to no one else's.
pub struct Scratch(PathBuf);

/// The folder holding this thread's scratch folders, removed when the thread ends.
struct ThreadRoot(PathBuf);

impl Drop for ThreadRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

thread_local! {
    static THREAD_ROOT: std::cell::RefCell<Option<ThreadRoot>> = const { std::cell::RefCell::new(None) };
}

impl Scratch {
    pub fn create() -> std::io::Result<Scratch> {
        static THREADS: AtomicUsize = AtomicUsize::new(0);
        static CASES: AtomicUsize = AtomicUsize::new(0);
        let root = THREAD_ROOT.with(|cell| -> std::io::Result<PathBuf> {
            let mut slot = cell.borrow_mut();
            if let Some(root) = slot.as_ref().filter(|r| r.0.is_dir()) {
                return Ok(root.0.clone());
            }
            let path = std::env::temp_dir().join(format!(
                "ale-scratch-{}-{}",
                std::process::id(),
                THREADS.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&path)?;
            *slot = Some(ThreadRoot(path.clone()));
            Ok(path)
        })?;
        let path = root.join(CASES.fetch_add(1, Ordering::Relaxed).to_string());
        std::fs::create_dir_all(&path)?;
        Ok(Scratch(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A box that outlives one case: bubblewrap started once per thread with the
/// spawn server inside, which then starts that thread's cases with no
/// namespace to build. `root` (the thread's scratch folders) is its only
/// writable folder; `files` are the files the commands name, bound in again
/// where the private /tmp would hide them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxSpec {
    pub bwrap: PathBuf,
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

impl BoxSpec {
    /// The command line that starts `launcher`'s spawn server in this box.
    pub fn server_argv(&self, launcher: &Path) -> Vec<OsString> {
        let mut files: Vec<&Path> = self.files.iter().map(PathBuf::as_path).collect();
        files.push(launcher);
        let mut argv = vec![self.bwrap.clone().into_os_string()];
        argv.extend(box_arguments(&self.root, &files, false));
        argv.push("--".into());
        argv.push(launcher.into());
        argv.push(super::zygote::SERVER_ARG.into());
        argv.push(super::zygote::BOXED_ARG.into());
        argv
    }
}

/// How to start one solution: its command line, folder, limits and box.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The solution's command line, its program found on the PATH.
    pub command: Vec<OsString>,
    pub cwd: PathBuf,
    pub rlimits: Rlimits,
    /// When the case is killed, counted from its start.
    pub kill_after: std::time::Duration,
    pub boxed: Option<BoxSpec>,
}

impl Launch {
    pub fn new(command: &[impl AsRef<OsStr>], limits: &Limits, scratch: &Path) -> Launch {
        let mut command: Vec<OsString> =
            command.iter().map(|a| a.as_ref().to_os_string()).collect();
        // The spawn server executes without a PATH search: `python3` becomes /usr/bin/python3.
        if let Some(found) = command.first().and_then(|p| search_path(p)) {
            command[0] = found.into_os_string();
        }
        let boxed = limits.sandbox.as_ref().map(|bwrap| BoxSpec {
            bwrap: bwrap.clone(),
            root: scratch.parent().unwrap_or(scratch).to_path_buf(),
            files: command
                .iter()
                .map(PathBuf::from)
                .filter(|p| p.is_absolute() && p.is_file())
                .collect(),
        });
        Launch {
            command,
            cwd: scratch.to_path_buf(),
            rlimits: Rlimits::of(limits),
            kill_after: limits.kill_after,
            boxed,
        }
    }

    /// The command line that starts this one case in a box of its own (or
    /// unboxed), for when there is no spawn server to start it in a lasting box.
    pub fn per_case_argv(&self) -> Vec<OsString> {
        let Some(spec) = &self.boxed else {
            return self.command.clone();
        };
        let files: Vec<&Path> = spec.files.iter().map(PathBuf::as_path).collect();
        let mut argv = vec![spec.bwrap.clone().into_os_string()];
        argv.extend(box_arguments(&self.cwd, &files, true));
        argv.push("--".into());
        argv.extend(self.command.iter().cloned());
        argv
    }
}

/// A bare program name resolved on the PATH, as a shell would.
fn search_path(program: &OsStr) -> Option<PathBuf> {
    if program.is_empty() || Path::new(program).components().count() != 1 {
        return None;
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}
