//! Control groups: each boxed case runs in a cgroup of its own, made and read
//! by the box's keeper (the spawn server, which the solution cannot reach),
//! so that its CPU time, its peak memory (tmpfs pages included) and its number
//! of processes are the kernel's figures, not the solution's.
//!
//! ale makes one cgroup per worker box under its own cgroup (cgroup v1
//! controllers `memory`, `pids` and `cpuacct`, writable by root) and binds it
//! into the box at [`IN_BOX`]; the server makes a child of it per case. Where
//! that cannot be done, figures come from `wait4` and the memory limit from
//! `RLIMIT_AS` alone; [`detect`] says which and why.

use std::ffi::CString;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The controllers a case is accounted with, in this order.
pub const CONTROLLERS: [&str; 3] = ["memory", "pids", "cpuacct"];

/// Where a worker's cgroups appear inside its box (one folder per controller).
pub const IN_BOX: &str = "/run/ale/cg";

/// How the figures of a case are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounting {
    /// cgroup v1: the folders under which ale makes a cgroup per worker, one
    /// per controller of [`CONTROLLERS`].
    V1(Vec<PathBuf>),
    /// `wait4` figures, and why no cgroup.
    Wait4(String),
}

impl Accounting {
    /// One line for `ale doctor`.
    pub fn describe(&self) -> String {
        match self {
            Accounting::V1(dirs) => format!(
                "cgroup v1 per case, read by the box's keeper: peak memory with tmpfs pages ({}), processes, CPU time",
                dirs[0].display()
            ),
            Accounting::Wait4(why) => format!("wait4 figures only: {why}"),
        }
    }
}

/// The machine's accounting, worked out once per process.
pub fn detect() -> Accounting {
    static FOUND: OnceLock<Accounting> = OnceLock::new();
    FOUND.get_or_init(probe).clone()
}

fn probe() -> Accounting {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let mut dirs = Vec::new();
    for controller in CONTROLLERS {
        let Some(mount) = v1_mount(&mountinfo, controller) else {
            let v2 = if mountinfo.contains(" - cgroup2 ") {
                "; cgroup v2 is mounted, but ale accounts with v1 controllers only so far"
            } else {
                ""
            };
            return Accounting::Wait4(format!(
                "no cgroup v1 `{controller}` controller is mounted{v2}"
            ));
        };
        let path = own_path(&own, controller).unwrap_or_default();
        dirs.push(mount.join(path.trim_start_matches('/')));
    }
    // Writable: a probe folder can be made and removed in each.
    let probe = format!("ale-probe-{}", std::process::id());
    for dir in &dirs {
        let p = dir.join(&probe);
        if let Err(e) = std::fs::create_dir(&p) {
            return Accounting::Wait4(format!(
                "{} is not writable ({e}); run ale as root, or give it a writable cgroup",
                dir.display()
            ));
        }
        let _ = std::fs::remove_dir(&p);
    }
    Accounting::V1(dirs)
}

/// The mount point of the v1 hierarchy holding `controller`.
fn v1_mount(mountinfo: &str, controller: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let mut right = right.split(' ');
        if right.next()? != "cgroup" {
            return None;
        }
        let options = right.nth(1)?;
        if !options.split(',').any(|o| o == controller) {
            return None;
        }
        left.split(' ').nth(4).map(PathBuf::from)
    })
}

/// This process's cgroup in the v1 hierarchy holding `controller`.
fn own_path(cgroup: &str, controller: &str) -> Option<String> {
    cgroup.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let _ = parts.next()?;
        let controllers = parts.next()?;
        let path = parts.next()?;
        controllers
            .split(',')
            .any(|c| c == controller)
            .then(|| path.to_string())
    })
}

/// A worker box's cgroups (one per controller), made by ale outside the box
/// and removed, with whatever the server left in them, when dropped.
#[derive(Debug)]
pub struct WorkerCgroups {
    pub dirs: Vec<PathBuf>,
}

impl WorkerCgroups {
    /// Makes this worker's cgroups; None when the machine has none to give
    /// (`detect` says why), an error when it has but they cannot be made:
    /// never a quiet fall back to `wait4` figures.
    pub fn create() -> io::Result<Option<WorkerCgroups>> {
        static WORKERS: AtomicUsize = AtomicUsize::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let Accounting::V1(bases) = detect() else {
            return Ok(None);
        };
        SWEPT.call_once(|| sweep(&bases));
        let name = format!(
            "ale-{}-{}",
            std::process::id(),
            WORKERS.fetch_add(1, Ordering::Relaxed)
        );
        let dirs: Vec<PathBuf> = bases.iter().map(|b| b.join(&name)).collect();
        let made = WorkerCgroups { dirs };
        for dir in &made.dirs {
            if dir.exists() {
                // Left by an ale that had this pid before.
                remove_tree(dir);
            }
            std::fs::create_dir(dir)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
        }
        Ok(Some(made))
    }
}

impl Drop for WorkerCgroups {
    fn drop(&mut self) {
        for dir in &self.dirs {
            remove_tree(dir);
        }
    }
}

/// Removes the worker cgroups of ale processes that are gone (killed before
/// they could remove their own).
fn sweep(bases: &[PathBuf]) {
    for base in bases {
        let Ok(entries) = std::fs::read_dir(base) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix("ale-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|p| p.parse::<i32>().ok())
            else {
                continue;
            };
            // SAFETY: signal 0 only asks whether the process exists.
            let gone = unsafe { libc::kill(pid, 0) } != 0
                && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
            if gone {
                remove_tree(&entry.path());
            }
        }
    }
}

/// Removes a cgroup and its children, killing what still runs in them.
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&entry.path());
            }
        }
    }
    for _ in 0..50 {
        kill_all(dir);
        if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// SIGKILLs every process of a cgroup (pids as this process sees them);
/// returns how many there were.
fn kill_all(dir: &Path) -> usize {
    let Ok(procs) = std::fs::read_to_string(dir.join("cgroup.procs")) else {
        return 0;
    };
    let mut found = 0;
    for pid in procs.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
        // SAFETY: a plain kill; a pid that has gone is ESRCH.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        found += 1;
    }
    found
}

// ------------------------------------------------ inside the box: per case

/// The cgroups a worker's cases run in, one after another, made once by the
/// server under the worker's (at [`IN_BOX`]) and emptied and reset between
/// cases: making and removing a memory cgroup per case costs milliseconds.
pub struct CaseCgroups {
    dirs: Vec<PathBuf>,
    /// Open `cgroup.procs` of each, for the case's first process to join.
    pub procs: Vec<OwnedFd>,
    /// The limits written last, not written again while they hold.
    limits: Option<(u64, u64)>,
}

/// What earlier cases may leave charged to the cgroup (and counted in the
/// next case's peak) before it is reclaimed: reclaiming evicts the files
/// from the page cache, and the next case reads them again.
pub const RESIDUE_BYTES: u64 = 16 << 20;

/// What the kernel counted for a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub peak_memory_kb: u64,
    pub cpu_us: u64,
}

impl CaseCgroups {
    /// Makes the cases' cgroups under the box's worker cgroups; None when
    /// the box has none.
    pub fn open() -> io::Result<Option<CaseCgroups>> {
        let root = Path::new(IN_BOX);
        if !root.join(CONTROLLERS[0]).is_dir() {
            return Ok(None);
        }
        let mut made = CaseCgroups {
            dirs: Vec::new(),
            procs: Vec::new(),
            limits: None,
        };
        for controller in CONTROLLERS {
            let dir = root.join(controller).join("case");
            if dir.exists() {
                remove_tree(&dir);
            }
            std::fs::create_dir(&dir)?;
            made.dirs.push(dir.clone());
            let path = CString::new(
                dir.join("cgroup.procs")
                    .into_os_string()
                    .into_encoded_bytes(),
            )
            .map_err(io::Error::other)?;
            // SAFETY: opening a path we own the string of; the fd becomes owned.
            let fd = unsafe { libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            made.procs.push(unsafe { OwnedFd::from_raw_fd(fd) });
        }
        Ok(Some(made))
    }

    /// Readies the cgroups for the next case: a memory limit of
    /// `memory_bytes`, a cap of `processes`, the counters from zero. With
    /// `exact`, what earlier cases left charged (the page cache of files they
    /// read) is reclaimed when it is over [`RESIDUE_BYTES`]; below it, it
    /// stays and counts in the peak (a little over, never under).
    pub fn begin(&mut self, memory_bytes: u64, processes: u64, exact: bool) -> io::Result<()> {
        let memory = &self.dirs[0];
        if self.limits != Some((memory_bytes, processes)) {
            std::fs::write(
                memory.join("memory.limit_in_bytes"),
                memory_bytes.to_string(),
            )?;
            // Without swap accounting this file is absent; the limit above then holds alone.
            let _ = std::fs::write(
                memory.join("memory.memsw.limit_in_bytes"),
                memory_bytes.to_string(),
            );
            std::fs::write(self.dirs[1].join("pids.max"), processes.to_string())?;
            self.limits = Some((memory_bytes, processes));
        }
        let usage = std::fs::read_to_string(memory.join("memory.usage_in_bytes"))
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        if exact && usage > RESIDUE_BYTES {
            let _ = std::fs::write(memory.join("memory.force_empty"), "0");
        }
        std::fs::write(memory.join("memory.max_usage_in_bytes"), "0")?;
        std::fs::write(self.dirs[2].join("cpuacct.usage"), "0")?;
        Ok(())
    }

    /// Kills what is left of the case, waits until its cgroups are empty,
    /// and reads its figures.
    pub fn finish(&self) -> Figures {
        for _ in 0..1000 {
            let mut empty = true;
            for dir in &self.dirs {
                empty &= kill_all(dir) == 0;
            }
            if empty {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let number = |dir: &Path, file: &str| -> u64 {
            std::fs::read_to_string(dir.join(file))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0)
        };
        Figures {
            peak_memory_kb: number(&self.dirs[0], "memory.max_usage_in_bytes") / 1024,
            cpu_us: number(&self.dirs[2], "cpuacct.usage") / 1000,
        }
    }
}

impl Drop for CaseCgroups {
    fn drop(&mut self) {
        self.procs.clear();
        for dir in &self.dirs {
            remove_tree(dir);
        }
    }
}

/// Joins the calling process to the cgroups whose `cgroup.procs` are open
/// as `fds` (writing "0" moves the writer). Async-signal-safe.
pub fn join(fds: &[i32]) -> Result<(), i32> {
    for &fd in fds {
        // SAFETY: a write of two bytes from a static buffer.
        if unsafe { libc::write(fd, b"0\n".as_ptr().cast(), 2) } < 0 {
            // SAFETY: reading errno.
            return Err(unsafe { *libc::__errno_location() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_hierarchies_and_own_paths_are_read_from_proc() {
        let mountinfo = "\
30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:10 - cgroup cgroup rw,memory
31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
32 25 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw";
        assert_eq!(
            v1_mount(mountinfo, "cpuacct"),
            Some(PathBuf::from("/sys/fs/cgroup/cpu,cpuacct"))
        );
        assert_eq!(
            v1_mount(mountinfo, "memory"),
            Some(PathBuf::from("/sys/fs/cgroup/memory"))
        );
        assert_eq!(v1_mount(mountinfo, "pids"), None);
        let cgroup = "4:memory:/box/7\n2:cpu,cpuacct:/\n0::/user.slice\n";
        assert_eq!(own_path(cgroup, "memory").as_deref(), Some("/box/7"));
        assert_eq!(own_path(cgroup, "cpuacct").as_deref(), Some("/"));
        assert_eq!(own_path(cgroup, "pids"), None);
    }
}
