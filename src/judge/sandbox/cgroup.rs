//! Control groups: each boxed case runs in a cgroup of its own, made and read
//! by the box's keeper (the spawn server, which the solution cannot reach),
//! so that its CPU time, its peak memory (tmpfs pages included) and its number
//! of processes are the kernel's figures, not the solution's.
//!
//! ale makes one cgroup per worker box and binds it into the box at
//! [`IN_BOX`]; the server makes a child of it for its cases. With cgroup v1
//! (controllers `memory`, `pids` and `cpuacct`, writable by root) the worker's
//! cgroups sit under ale's own; with cgroup v2 (controllers `memory`, `pids`
//! and `cpu`) under the root when ale is root, else in ale's own cgroup when
//! it is delegated to its user (ale moves itself into a leaf of it). Where
//! neither can be done, figures come from `wait4` and the memory limit from
//! `RLIMIT_AS` alone; [`detect`] says which and why.

use std::ffi::CString;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The controllers a case is accounted with, in this order.
pub const CONTROLLERS: [&str; 3] = ["memory", "pids", "cpuacct"];

/// The cgroup v2 controllers a case is accounted with.
pub const V2_CONTROLLERS: [&str; 3] = ["memory", "pids", "cpu"];

/// Where a worker's cgroups appear inside its box: one folder per controller
/// (v1), or one folder [`V2_IN_BOX`] (v2).
pub const IN_BOX: &str = "/run/ale/cg";

/// The name of a v2 worker's cgroup in [`IN_BOX`].
pub const V2_IN_BOX: &str = "v2";

/// How the figures of a case are taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounting {
    /// cgroup v1: the folders under which ale makes a cgroup per worker, one
    /// per controller of [`CONTROLLERS`].
    V1(Vec<PathBuf>),
    /// cgroup v2: the folder (the hierarchy's root) under which ale makes a
    /// cgroup per worker, with [`V2_CONTROLLERS`] enabled.
    V2(PathBuf),
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
            Accounting::V2(base) => format!(
                "cgroup v2 per case, read by the box's keeper: peak memory with tmpfs pages ({}), processes, CPU time",
                base.display()
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
            return match v2_mount(&mountinfo) {
                Some(root) => probe_v2(&root),
                None => Accounting::Wait4(format!(
                    "no cgroup v1 `{controller}` controller and no cgroup v2 is mounted"
                )),
            };
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

/// A v2 hierarchy at `root` serves when its root has the controllers ale
/// needs enabled for its children (enabling them if it may) and a folder
/// can be made in it (ale is root).
fn probe_v2(root: &Path) -> Accounting {
    let enabled = |dir: &Path| {
        std::fs::read_to_string(dir.join("cgroup.subtree_control"))
            .map(|s| {
                V2_CONTROLLERS
                    .iter()
                    .all(|c| s.split_whitespace().any(|w| w == *c))
            })
            .unwrap_or(false)
    };
    let writable = |dir: &Path| {
        let probe = dir.join(format!("ale-probe-{}", std::process::id()));
        let made = std::fs::create_dir(&probe);
        let _ = std::fs::remove_dir(&probe);
        made
    };
    if !enabled(root) {
        let _ = std::fs::write(root.join("cgroup.subtree_control"), "+memory +pids +cpu");
    }
    if enabled(root) && writable(root).is_ok() {
        return Accounting::V2(root.to_path_buf());
    }
    // Not root: a subtree delegated to this user (systemd's Delegate=yes).
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let Some(path) = own.lines().find_map(|l| l.strip_prefix("0::")) else {
        return Accounting::Wait4("this process is in no cgroup v2".into());
    };
    let dir = root.join(path.trim_start_matches('/'));
    match delegated(&dir, enabled(&dir)).and_then(|()| {
        writable(&dir).map_err(|e| format!("its own cgroup {} is not writable ({e})", dir.display()))
    }) {
        Ok(()) => Accounting::V2(dir),
        Err(why) => Accounting::Wait4(format!(
            "cgroup v2: {} is not writable by ale and {why}; run ale as root, or in a cgroup delegated to you (systemd-run --user --scope -p Delegate=yes ale ...)",
            root.display()
        )),
    }
}

/// Readies the cgroup `dir` that this process is in, delegated to its user,
/// to hold worker cgroups: this process moves into a leaf of its own in it
/// (`ale-<pid>-self`: a cgroup with children may hold no process), and the
/// controllers are handed to the children.
fn delegated(dir: &Path, enabled: bool) -> Result<(), String> {
    if enabled {
        return Ok(());
    }
    let controllers = std::fs::read_to_string(dir.join("cgroup.controllers")).unwrap_or_default();
    if !V2_CONTROLLERS
        .iter()
        .all(|c| controllers.split_whitespace().any(|w| w == *c))
    {
        return Err(format!(
            "its own cgroup {} was not given the memory, pids and cpu controllers",
            dir.display()
        ));
    }
    let leaf = dir.join(format!("ale-{}-self", std::process::id()));
    let moved = std::fs::create_dir(&leaf)
        .and_then(|_| std::fs::write(leaf.join("cgroup.procs"), "0"))
        .and_then(|_| std::fs::write(dir.join("cgroup.subtree_control"), "+memory +pids +cpu"));
    moved.map_err(|e| {
        format!(
            "its own cgroup {} cannot be given worker cgroups ({e}; other processes may share it)",
            dir.display()
        )
    })
}

/// The mount point of the cgroup v2 hierarchy.
fn v2_mount(mountinfo: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        if right.split(' ').next()? != "cgroup2" {
            return None;
        }
        left.split(' ').nth(4).map(PathBuf::from)
    })
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
    v2: bool,
}

impl WorkerCgroups {
    /// Makes this worker's cgroups; None when the machine has none to give
    /// (`detect` says why), an error when it has but they cannot be made:
    /// never a quiet fall back to `wait4` figures.
    pub fn create() -> io::Result<Option<WorkerCgroups>> {
        static WORKERS: AtomicUsize = AtomicUsize::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let (bases, v2) = match detect() {
            Accounting::V1(bases) => (bases, false),
            Accounting::V2(root) => (vec![root], true),
            Accounting::Wait4(_) => return Ok(None),
        };
        SWEPT.call_once(|| sweep(&bases));
        let name = format!(
            "ale-{}-{}",
            std::process::id(),
            WORKERS.fetch_add(1, Ordering::Relaxed)
        );
        let dirs: Vec<PathBuf> = bases.iter().map(|b| b.join(&name)).collect();
        let made = WorkerCgroups { dirs, v2 };
        fn at(dir: &Path) -> impl Fn(io::Error) -> io::Error + '_ {
            move |e| io::Error::new(e.kind(), format!("{}: {e}", dir.display()))
        }
        for dir in &made.dirs {
            if dir.exists() {
                // Left by an ale that had this pid before.
                remove_tree(dir);
            }
            std::fs::create_dir(dir).map_err(at(dir))?;
            if v2 {
                // The cases below it get the controllers; it holds no process itself.
                std::fs::write(dir.join("cgroup.subtree_control"), "+memory +pids +cpu")
                    .map_err(at(dir))?;
            }
        }
        Ok(Some(made))
    }

    /// Each of its folders and where the box sees it.
    pub fn binds(&self) -> Vec<(PathBuf, PathBuf)> {
        let inside = Path::new(IN_BOX);
        if self.v2 {
            return vec![(self.dirs[0].clone(), inside.join(V2_IN_BOX))];
        }
        self.dirs
            .iter()
            .zip(CONTROLLERS)
            .map(|(dir, controller)| (dir.clone(), inside.join(controller)))
            .collect()
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

/// The cgroups a worker's cases run in, one after another, under the
/// worker's (at [`IN_BOX`]). With v1 they are made once and emptied and reset
/// between cases: making and removing a memory cgroup per case costs
/// milliseconds. With v2 each case has a cgroup of its own (its peak memory
/// can be reset only from Linux 6.12).
pub struct CaseCgroups {
    dirs: Vec<PathBuf>,
    /// Open `cgroup.procs` of each, for the case's keeper to join.
    pub procs: Vec<OwnedFd>,
    /// The limits written last, not written again while they hold (v1).
    limits: Option<(u64, u64)>,
    /// The worker's v2 cgroup, in which each case gets one.
    v2: Option<PathBuf>,
    cases: u64,
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

/// `cgroup.procs` of `dir`, open for writing.
fn open_procs(dir: &Path) -> io::Result<OwnedFd> {
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
    // SAFETY: a descriptor just opened, owned by nothing else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// The number a file of a cgroup holds, or the one after `key ` on one of
/// its lines (`usage_usec 123` in `cpu.stat`); 0 when there is none.
fn number_in(dir: &Path, file: &str, key: Option<&str>) -> u64 {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
    match key {
        None => text.trim().parse().unwrap_or(0),
        Some(key) => text
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
            .unwrap_or(0),
    }
}

impl CaseCgroups {
    /// The cases' cgroups under the box's worker cgroups; None when the box
    /// has none.
    pub fn open() -> io::Result<Option<CaseCgroups>> {
        let root = Path::new(IN_BOX);
        let mut made = CaseCgroups {
            dirs: Vec::new(),
            procs: Vec::new(),
            limits: None,
            v2: None,
            cases: 0,
        };
        if root.join(V2_IN_BOX).is_dir() {
            made.v2 = Some(root.join(V2_IN_BOX));
            return Ok(Some(made));
        }
        if !root.join(CONTROLLERS[0]).is_dir() {
            return Ok(None);
        }
        for controller in CONTROLLERS {
            let dir = root.join(controller).join("case");
            if dir.exists() {
                remove_tree(&dir);
            }
            std::fs::create_dir(&dir)?;
            made.dirs.push(dir.clone());
            made.procs.push(open_procs(&dir)?);
        }
        Ok(Some(made))
    }

    /// Readies the cgroups for the next case: a memory limit of
    /// `memory_bytes`, a cap of `processes`, the counters from zero. With
    /// `exact`, what earlier cases left charged (the page cache of files they
    /// read) is reclaimed when it is over [`RESIDUE_BYTES`]; below it, it
    /// stays and counts in the peak (a little over, never under). With v2 the
    /// case's cgroup is new: nothing is charged to it yet.
    pub fn begin(&mut self, memory_bytes: u64, processes: u64, exact: bool) -> io::Result<()> {
        if let Some(worker) = &self.v2 {
            self.cases += 1;
            let dir = worker.join(format!("c{}", self.cases));
            std::fs::create_dir(&dir)?;
            self.dirs = vec![dir.clone()];
            std::fs::write(dir.join("memory.max"), memory_bytes.to_string())?;
            // Without swap this file is absent; memory.max then holds alone.
            let _ = std::fs::write(dir.join("memory.swap.max"), "0");
            std::fs::write(dir.join("pids.max"), processes.to_string())?;
            self.procs = vec![open_procs(&dir)?];
            return Ok(());
        }
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
    /// and reads its figures (a v2 case's cgroup is then removed).
    pub fn finish(&mut self) -> Figures {
        if self.v2.is_some() {
            let _ = std::fs::write(self.dirs[0].join("cgroup.kill"), "1");
        }
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
        if self.v2.is_some() {
            let dir = self.dirs[0].clone();
            let figures = Figures {
                peak_memory_kb: number_in(&dir, "memory.peak", None) / 1024,
                cpu_us: number_in(&dir, "cpu.stat", Some("usage_usec")),
            };
            self.procs.clear();
            remove_tree(&dir);
            self.dirs.clear();
            return figures;
        }
        Figures {
            peak_memory_kb: number_in(&self.dirs[0], "memory.max_usage_in_bytes", None) / 1024,
            cpu_us: number_in(&self.dirs[2], "cpuacct.usage", None) / 1000,
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
        assert_eq!(
            v2_mount(mountinfo),
            Some(PathBuf::from("/sys/fs/cgroup/unified"))
        );
        assert_eq!(
            v2_mount(&mountinfo.lines().take(2).collect::<Vec<_>>().join("\n")),
            None
        );
        let cgroup = "4:memory:/box/7\n2:cpu,cpuacct:/\n0::/user.slice\n";
        assert_eq!(own_path(cgroup, "memory").as_deref(), Some("/box/7"));
        assert_eq!(own_path(cgroup, "cpuacct").as_deref(), Some("/"));
        assert_eq!(own_path(cgroup, "pids"), None);
    }
}
