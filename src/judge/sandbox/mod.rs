//! The box a solution runs in: what it sees, what it may do, and what it is
//! allowed to use.
//!
//! Under bubblewrap a worker thread's box is started once with the spawn
//! server inside ([`BoxSpec`]); the server starts each case in namespaces of
//! its own ([`case`]): a PID namespace (it sees only its own processes), a
//! mount namespace with a fresh /proc and a fresh, size-capped /tmp as its
//! folder, its own cgroups ([`cgroup`]), an unprivileged uid when ale is root,
//! no capabilities, `no_new_privs` and a seccomp filter ([`seccomp`]). The
//! box's view of the file system is a short list ([`view`]): `/usr` and its
//! links, the few `/etc` files the loader needs, and the files the command
//! names; no network. Without bubblewrap only the resource limits apply.

pub mod case;
pub mod cgroup;
pub mod seccomp;

use super::Limits;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Where the `ale` binary appears inside a box (for its spawn server), in a
/// folder only root may enter, and that no case's mount namespace keeps.
pub const IN_BOX_LAUNCHER: &str = "/run/ale/ale";
/// Where the files a boxed command names appear in the box.
pub const IN_BOX_FILES: &str = "/box";
/// The folder hidden from every case.
pub const IN_BOX_PRIVATE: &str = "/run/ale";
/// A boxed case's folder: its own tmpfs.
pub const CASE_DIR: &str = "/tmp";
/// The PATH inside a box.
pub const BOX_PATH: &str = "/usr/local/bin:/usr/bin:/bin";
/// The first uid of boxed cases when ale runs as root (one uid per worker box).
pub const BOX_UID_BASE: u32 = 60_000;
/// Default cap on what a case may write in its folder.
pub const DISK_LIMIT_BYTES: u64 = 256 << 20;

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
    let mut args = view(&[], &[], &[], None, &[]);
    args.push("--".into());
    args.push("/usr/bin/true".into());
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

/// bubblewrap's options for a box's view of the file system: `/usr` and the
/// links to it, the `/etc` files the loader and time zone need, a fresh
/// /proc, three device nodes, the `files` (host path, path in the box) and
/// the folders `ro_dirs` read-only and `rw_dirs` writable (each a host path
/// and its path in the box), and, in a folder only
/// root may enter, the `launcher` and the worker's `cgroups`. A namespace of
/// each kind but the user one (bubblewrap adds that itself when unprivileged);
/// it dies with its parent.
pub fn view(
    files: &[(PathBuf, PathBuf)],
    ro_dirs: &[(PathBuf, PathBuf)],
    rw_dirs: &[(PathBuf, PathBuf)],
    launcher: Option<&Path>,
    cgroups: &[(PathBuf, PathBuf)],
) -> Vec<OsString> {
    let mut args: Vec<OsString> = Vec::new();
    let mut push = |parts: &[&OsStr]| args.extend(parts.iter().map(|p| p.to_os_string()));
    // Folders bubblewrap would make for the binds below are made first, open
    // to the case's uid (run as root, it would make them root's alone).
    let mut open_dirs = vec![PathBuf::from("/dev"), PathBuf::from("/etc")];
    for (_, inside) in files.iter().chain(ro_dirs).chain(rw_dirs) {
        let mut dir = inside.parent();
        let mut chain = Vec::new();
        while let Some(d) = dir.filter(|d| *d != Path::new("/")) {
            chain.push(d.to_path_buf());
            dir = d.parent();
        }
        open_dirs.extend(chain.into_iter().rev());
    }
    open_dirs.dedup();
    for dir in &open_dirs {
        push(&[
            "--perms".as_ref(),
            "0755".as_ref(),
            "--dir".as_ref(),
            dir.as_os_str(),
        ]);
    }
    push(&["--ro-bind".as_ref(), "/usr".as_ref(), "/usr".as_ref()]);
    for top in ["bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
        let host = Path::new("/").join(top);
        match std::fs::read_link(&host) {
            Ok(target) => push(&["--symlink".as_ref(), target.as_os_str(), host.as_os_str()]),
            Err(_) if host.is_dir() => {
                push(&["--ro-bind".as_ref(), host.as_os_str(), host.as_os_str()])
            }
            Err(_) => {}
        }
    }
    for etc in [
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/localtime",
        "/etc/alternatives",
    ] {
        push(&["--ro-bind-try".as_ref(), etc.as_ref(), etc.as_ref()]);
    }
    // A few device nodes rather than a whole new /dev: solutions need no more.
    for dev in ["/dev/null", "/dev/zero", "/dev/urandom"] {
        push(&["--dev-bind".as_ref(), dev.as_ref(), dev.as_ref()]);
    }
    push(&[
        "--proc".as_ref(),
        "/proc".as_ref(),
        "--dir".as_ref(),
        CASE_DIR.as_ref(),
    ]);
    for (host, inside) in files {
        push(&["--ro-bind".as_ref(), host.as_os_str(), inside.as_os_str()]);
    }
    for (host, inside) in ro_dirs {
        if !inside.starts_with("/usr") {
            push(&["--ro-bind".as_ref(), host.as_os_str(), inside.as_os_str()]);
        }
    }
    for (host, inside) in rw_dirs {
        push(&["--bind".as_ref(), host.as_os_str(), inside.as_os_str()]);
    }
    if launcher.is_some() || !cgroups.is_empty() {
        push(&[
            "--perms".as_ref(),
            "0700".as_ref(),
            "--tmpfs".as_ref(),
            IN_BOX_PRIVATE.as_ref(),
        ]);
    }
    if let Some(launcher) = launcher {
        push(&[
            "--ro-bind".as_ref(),
            launcher.as_os_str(),
            IN_BOX_LAUNCHER.as_ref(),
        ]);
    }
    for (dir, inside) in cgroups {
        push(&["--bind".as_ref(), dir.as_os_str(), inside.as_os_str()]);
    }
    args.extend(
        [
            // The box's root (a tmpfs bubblewrap made, with the folders
            // above) is read-only once built: nothing may be left there for
            // the next case, even by a case of the same uid (unprivileged).
            "--remount-ro",
            "/",
            "--chdir",
            "/",
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--die-with-parent",
        ]
        .iter()
        .map(OsString::from),
    );
    // A cgroup namespace hides ale's cgroup paths from the case; with cgroup
    // v2 (mounted `nsdelegate`, as systemd does) it would also keep the keeper
    // from moving into the case's cgroup, which lies outside it.
    let v2 = cgroups
        .iter()
        .any(|(_, inside)| inside.ends_with(cgroup::V2_IN_BOX));
    if !v2 {
        args.push("--unshare-cgroup-try".into());
    }
    if unsafe { libc::geteuid() } != 0 {
        // Unprivileged, bubblewrap makes a user namespace; the server needs its
        // capabilities there to build each case's namespaces, and drops them
        // for the case.
        args.extend(["--cap-add".into(), "ALL".into()]);
    }
    args
}

/// Closes every descriptor from `first` on but `keep` (the close-on-exec
/// pipe that reports a failed `exec`), before an `exec` or when the server
/// starts. Async-signal-safe.
pub fn close_from(first: u32, keep: Option<i32>) {
    let ranges = match keep {
        Some(k) if k >= first as i32 => [(first, k as u32 - 1), (k as u32 + 1, u32::MAX)],
        _ => [(first, u32::MAX), (1, 0)],
    };
    for (low, high) in ranges.into_iter().filter(|(l, h)| l <= h) {
        // SAFETY: close_range only closes descriptors of this process.
        if unsafe { libc::syscall(libc::SYS_close_range, low, high, 0) } != 0 {
            // Before Linux 5.9: one at a time, up to the descriptor limit.
            // SAFETY: sysconf and close have no preconditions.
            let max = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) }.clamp(1024, 1 << 20);
            for fd in low as i64..=(high as i64).min(max) {
                // SAFETY: as above.
                unsafe { libc::close(fd as i32) };
            }
        }
    }
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

/// A box that outlives one case: bubblewrap started once per worker thread
/// with the spawn server inside, which starts that thread's cases. `files`
/// (the files the command names) and `ro_dirs` are seen read-only, `rw_dirs`
/// writable (a compile's output folder); nothing else of the host is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxSpec {
    pub bwrap: PathBuf,
    pub files: Vec<(PathBuf, PathBuf)>,
    pub ro_dirs: Vec<(PathBuf, PathBuf)>,
    pub rw_dirs: Vec<(PathBuf, PathBuf)>,
}

impl BoxSpec {
    /// The command line that starts `launcher`'s spawn server in this box,
    /// with the worker's `cgroups` and, when ale is root, the case uid `uid`.
    pub fn server_argv(
        &self,
        launcher: &Path,
        cgroups: &[(PathBuf, PathBuf)],
        uid: Option<u32>,
    ) -> Vec<OsString> {
        let mut argv = vec![self.bwrap.clone().into_os_string()];
        argv.extend(view(
            &self.files,
            &self.ro_dirs,
            &self.rw_dirs,
            Some(launcher),
            cgroups,
        ));
        argv.push("--".into());
        argv.push(IN_BOX_LAUNCHER.into());
        argv.push(super::zygote::SERVER_ARG.into());
        argv.push(super::zygote::BOXED_ARG.into());
        if let Some(uid) = uid {
            argv.push(super::zygote::UID_ARG.into());
            argv.push(uid.to_string().into());
        }
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
    /// The memory the case's cgroup may charge (a margin over the limit, so
    /// that going past the limit is seen as such before the kernel kills).
    pub memory_bytes: u64,
    /// The size of a boxed case's own tmpfs.
    pub disk_bytes: u64,
    /// Whether the peak memory must be the case's alone: what an earlier
    /// case left charged to the worker's cgroup (files it read) is then
    /// reclaimed first when it is more than a little. A compile does not
    /// ask, so that the toolchain stays in the page cache.
    pub exact_memory: bool,
    pub boxed: Option<BoxSpec>,
}

impl Launch {
    /// A solution's launch: boxed when `limits.sandbox` says so (its folder is
    /// then its own tmpfs), else in `scratch`.
    pub fn new(command: &[impl AsRef<OsStr>], limits: &Limits, scratch: &Path) -> Launch {
        let mut command: Vec<OsString> =
            command.iter().map(|a| a.as_ref().to_os_string()).collect();
        let boxed = limits.sandbox.is_some();
        // The spawn server executes without a PATH search: `python3` becomes
        // /usr/bin/python3, found first where the box can see it.
        if let Some(found) = command.first().and_then(|p| search_path(p, boxed)) {
            command[0] = found.into_os_string();
        }
        // The files the command names are seen in the box under /box, where
        // no case's folder hides them, and the command names them there.
        let spec = limits.sandbox.as_ref().map(|bwrap| {
            let mut files = Vec::new();
            for arg in command.iter_mut() {
                let host = PathBuf::from(&*arg);
                if host.is_absolute() && host.is_file() && !host.starts_with("/usr") {
                    let name = host.file_name().unwrap_or(OsStr::new("file"));
                    let inside = Path::new(IN_BOX_FILES)
                        .join(files.len().to_string())
                        .join(name);
                    *arg = inside.clone().into_os_string();
                    files.push((host, inside));
                }
            }
            BoxSpec {
                bwrap: bwrap.clone(),
                files,
                ro_dirs: Vec::new(),
                rw_dirs: Vec::new(),
            }
        });
        Launch {
            command,
            cwd: if boxed {
                PathBuf::from(CASE_DIR)
            } else {
                scratch.to_path_buf()
            },
            rlimits: Rlimits::of(limits),
            kill_after: limits.kill_after,
            memory_bytes: limits.memory_limit_kb * 1024 + (64 << 20),
            disk_bytes: limits.disk_limit_bytes,
            exact_memory: true,
            boxed: spec,
        }
    }
}

/// A bare program name resolved on the PATH, as a shell would; for a box,
/// on the box's PATH first (a shim elsewhere on the host's would not run there).
fn search_path(program: &OsStr, boxed: bool) -> Option<PathBuf> {
    if program.is_empty() || Path::new(program).components().count() != 1 {
        return None;
    }
    let host = std::env::var_os("PATH").unwrap_or_default();
    let in_box = boxed.then(|| std::env::split_paths(BOX_PATH).collect::<Vec<_>>());
    in_box
        .into_iter()
        .flatten()
        .chain(std::env::split_paths(&host))
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}
