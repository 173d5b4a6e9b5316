//! The box a solution runs in: its command line (under bubblewrap when it is
//! there), its scratch folder, and its resource limits.
//!
//! Under bubblewrap a solution sees the whole system read-only, has no network,
//! its own process, IPC and host-name namespaces, a private /tmp, and write
//! access to its scratch folder only; it dies with its parent. Without it the
//! resource limits still apply.

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
    let mut args = box_arguments(Path::new("/"), &[]);
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
fn box_arguments(scratch: &Path, files: &[&Path]) -> Vec<OsString> {
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
    // runs unprivileged (for root it would only cost time). The solution is the
    // PID namespace's first process: with bubblewrap's own reaper in between,
    // its peak memory would never reach `wait4`; and when it ends, the kernel
    // ends everything it started.
    args.extend(
        [
            "--unshare-ipc",
            "--unshare-pid",
            "--as-pid-1",
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
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn create() -> std::io::Result<Scratch> {
        static CASES: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "ale-scratch-{}-{}",
            std::process::id(),
            CASES.fetch_add(1, Ordering::Relaxed)
        ));
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

/// How to start one solution: its command line, folder and limits.
#[derive(Debug, Clone)]
pub struct Launch {
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    pub rlimits: Rlimits,
    pub boxed: bool,
}

impl Launch {
    pub fn new(command: &[impl AsRef<OsStr>], limits: &Limits, scratch: &Path) -> Launch {
        let mut command: Vec<OsString> =
            command.iter().map(|a| a.as_ref().to_os_string()).collect();
        // The spawn server executes without a PATH search: `python3` becomes /usr/bin/python3.
        if let Some(found) = command.first().and_then(|p| search_path(p)) {
            command[0] = found.into_os_string();
        }
        let (argv, boxed) = match &limits.sandbox {
            Some(bwrap) => {
                // The files the command names (the program, a script) stay
                // visible even where the box's private /tmp would hide them.
                let files: Vec<&Path> = command
                    .iter()
                    .map(Path::new)
                    .filter(|p| p.is_absolute() && p.is_file())
                    .collect();
                let mut argv = vec![bwrap.clone().into_os_string()];
                argv.extend(box_arguments(scratch, &files));
                argv.push("--".into());
                argv.extend(command);
                (argv, true)
            }
            None => (command, false),
        };
        Launch {
            argv,
            cwd: scratch.to_path_buf(),
            rlimits: Rlimits::of(limits),
            boxed,
        }
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
