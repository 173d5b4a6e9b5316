//! One boxed case, from the spawn server's fork to the solution's `exec`.
//!
//! The server clones a keeper into new PID and mount namespaces. The keeper
//! (the namespace's first process, root-owned when ale is root, not dumpable)
//! mounts a fresh /proc and the case's own size-capped tmpfs, joins the case's
//! cgroups, hides the server's private folder, and forks the solution, which
//! drops every privilege (an unprivileged uid, no capabilities at all,
//! `no_new_privs`, the seccomp filter) before `exec`. The keeper reaps what
//! ends, tells the server how the solution ended and whether its folder filled
//! up, and exits: the kernel then kills whatever the solution left running.
//!
//! Everything here runs between `fork` and `exec` in a single-threaded
//! process: only async-signal-safe calls on memory prepared beforehand.

use super::Rlimits;
use seccompiler::BpfProgram;
use std::ffi::CString;
use std::os::fd::RawFd;

/// Where setting up a case failed, sent with the errno on the error pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Stage {
    Mounts = 1,
    Proc = 2,
    Folder = 3,
    Cgroup = 4,
    Hide = 5,
    Fork = 6,
    Privileges = 7,
    Seccomp = 8,
    Exec = 9,
}

impl Stage {
    pub fn from_u32(n: u32) -> Option<Stage> {
        use Stage::*;
        [
            Mounts, Proc, Folder, Cgroup, Hide, Fork, Privileges, Seccomp, Exec,
        ]
        .into_iter()
        .find(|s| *s as u32 == n)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Stage::Mounts => "making the case's mounts private",
            Stage::Proc => "mounting the case's /proc",
            Stage::Folder => "mounting the case's folder",
            Stage::Cgroup => "joining the case's cgroups",
            Stage::Hide => "hiding the server's folder",
            Stage::Fork => "forking the solution",
            Stage::Privileges => "dropping privileges",
            Stage::Seccomp => "installing the seccomp filter",
            Stage::Exec => "executing the solution",
        }
    }
}

/// Everything a case's keeper and solution need, prepared before the clone.
pub struct Setup<'a> {
    /// The case's stdin, stdout, stderr and optionally descriptor 3.
    pub fds: &'a [RawFd],
    pub rlimits: &'a Rlimits,
    pub cwd: &'a CString,
    pub argv: &'a [*const libc::c_char],
    pub envp: &'a [*const libc::c_char],
    /// Mount options of the case's tmpfs (size, mode, owner).
    pub folder_options: &'a CString,
    /// The uid and gid the solution runs as (None: stay as the server's).
    pub ids: Option<(u32, u32)>,
    pub filters: &'a [BpfProgram],
    /// Open `cgroup.procs` files to join.
    pub cgroups: &'a [RawFd],
    /// The folder to hand to the case's uid first (a compile's output folder).
    pub own_cwd: bool,
    /// Written with (stage, errno) when setting up fails; closed on exec.
    pub error: RawFd,
    /// Written with the solution's wait status and whether its folder filled.
    pub status: RawFd,
}

/// What the keeper writes on the status pipe: the solution's wait status
/// (4 bytes), whether its folder filled (1), its wall time in ns (8).
pub const REPORT_BYTES: usize = 13;

/// What the keeper reported of the solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub status: i32,
    pub folder_full: bool,
    pub wall: std::time::Duration,
}

impl Report {
    /// The report in the keeper's bytes (see [`REPORT_BYTES`]).
    pub fn read(bytes: &[u8; REPORT_BYTES]) -> Report {
        let status: [u8; 4] = bytes[0..4].try_into().expect("4 bytes");
        let wall: [u8; 8] = bytes[5..13].try_into().expect("8 bytes");
        Report {
            status: i32::from_ne_bytes(status),
            folder_full: bytes[4] == 1,
            wall: std::time::Duration::from_nanos(u64::from_ne_bytes(wall)),
        }
    }
}

/// Clones the keeper of a case; returns its pid (in the server's namespace),
/// or -1 with errno set.
///
/// # Safety
/// The calling process must be single-threaded; `setup` must stay valid.
pub unsafe fn start(setup: &Setup) -> libc::pid_t {
    // Its own IPC namespace too: System V segments and queues would
    // otherwise outlive the case and reach the next.
    let flags = libc::CLONE_NEWPID | libc::CLONE_NEWNS | libc::CLONE_NEWIPC | libc::SIGCHLD;
    // A raw clone without a new stack behaves as fork.
    let pid = libc::syscall(
        libc::SYS_clone,
        flags as libc::c_ulong,
        0usize,
        0usize,
        0usize,
        0usize,
    );
    if pid == 0 {
        keeper(setup)
    }
    pid as libc::pid_t
}

unsafe fn fail(setup: &Setup, stage: Stage) -> ! {
    let errno = *libc::__errno_location();
    let mut report = [0u8; 8];
    report[..4].copy_from_slice(&(stage as u32).to_ne_bytes());
    report[4..].copy_from_slice(&errno.to_ne_bytes());
    libc::write(setup.error, report.as_ptr().cast(), 8);
    libc::_exit(127)
}

extern "C" fn kill_everything(_: libc::c_int) {
    // SAFETY: kill is async-signal-safe; -1 is every process this keeper may
    // signal, which are those of its own PID namespace.
    unsafe {
        libc::kill(-1, libc::SIGKILL);
    }
}

unsafe fn keeper(setup: &Setup) -> ! {
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    libc::prctl(libc::PR_SET_DUMPABLE, 0);
    // The server's handler for its parent's end is not the keeper's.
    libc::signal(libc::SIGTERM, libc::SIG_DFL);
    let none = std::ptr::null::<libc::c_char>();
    let c = |s: &'static [u8]| s.as_ptr().cast::<libc::c_char>();
    if libc::mount(
        none,
        c(b"/\0"),
        none,
        libc::MS_REC | libc::MS_PRIVATE,
        std::ptr::null(),
    ) != 0
    {
        fail(setup, Stage::Mounts);
    }
    // Processes of other uids (the keeper, when ale is root) are not shown.
    let hidden = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    let proc = |options: &'static [u8]| {
        libc::mount(
            c(b"proc\0"),
            c(b"/proc\0"),
            c(b"proc\0"),
            hidden,
            options.as_ptr().cast(),
        ) == 0
    };
    if !proc(b"hidepid=invisible\0") && !proc(b"hidepid=2\0") {
        fail(setup, Stage::Proc);
    }
    if libc::mount(
        c(b"tmpfs\0"),
        c(b"/tmp\0"),
        c(b"tmpfs\0"),
        libc::MS_NOSUID | libc::MS_NODEV,
        setup.folder_options.as_ptr().cast(),
    ) != 0
    {
        fail(setup, Stage::Folder);
    }
    if let (true, Some((uid, gid))) = (setup.own_cwd, setup.ids) {
        if libc::chown(setup.cwd.as_ptr(), uid, gid) != 0 {
            fail(setup, Stage::Folder);
        }
    }
    if libc::umount2(c(b"/run/ale\0"), libc::MNT_DETACH) != 0
        && *libc::__errno_location() != libc::ENOENT
        && *libc::__errno_location() != libc::EINVAL
    {
        fail(setup, Stage::Hide);
    }
    // The server asks for the end of the case (its deadline, its output
    // limit) with SIGUSR1: the keeper then kills everything in its namespace.
    let mut action: libc::sigaction = std::mem::zeroed();
    action.sa_sigaction = kill_everything as *const () as libc::sighandler_t;
    libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut());
    // The keeper joins the case's cgroups before it forks the solution, so
    // that the solution is born in them. Moving a process between cgroups
    // waits for an RCU grace period (milliseconds when the other cores are
    // busy): it is done here, before the solution's clock starts. What the
    // keeper does afterwards (the fork, then waiting) is charged to the case,
    // a fraction of a millisecond.
    if super::cgroup::join(setup.cgroups).is_err() {
        fail(setup, Stage::Cgroup);
    }
    // The solution's wall time is the keeper's clock from the fork to its
    // end: the box's own setup and teardown are not the solution's.
    let mut from: libc::timespec = std::mem::zeroed();
    libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut from);
    let pid = libc::fork();
    if pid < 0 {
        fail(setup, Stage::Fork);
    }
    if pid == 0 {
        solution(setup)
    }
    for &fd in setup.cgroups {
        libc::close(fd);
    }
    // The keeper holds no end of the case's pipes, so that their readers see
    // the end of the solution's output when it ends.
    for &fd in setup.fds {
        libc::close(fd);
    }
    libc::close(setup.error);
    let mut status = 0;
    loop {
        let r = libc::wait4(-1, &mut status, 0, std::ptr::null_mut());
        if r == pid {
            break;
        }
        if r < 0 && *libc::__errno_location() != libc::EINTR {
            status = libc::SIGKILL; // as if killed: it cannot be waited for
            break;
        }
    }
    let mut to: libc::timespec = std::mem::zeroed();
    libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut to);
    let wall_ns =
        (to.tv_sec - from.tv_sec) as i64 * 1_000_000_000 + (to.tv_nsec - from.tv_nsec) as i64;
    // Its folder is full when it has no room left for one more page.
    let mut fs: libc::statvfs = std::mem::zeroed();
    let full = libc::statvfs(c(b"/tmp\0"), &mut fs) == 0 && fs.f_bavail == 0;
    let mut report = [0u8; REPORT_BYTES];
    report[..4].copy_from_slice(&status.to_ne_bytes());
    report[4] = u8::from(full);
    report[5..].copy_from_slice(&(wall_ns.max(0) as u64).to_ne_bytes());
    libc::write(setup.status, report.as_ptr().cast(), REPORT_BYTES);
    libc::_exit(0)
}

unsafe fn solution(setup: &Setup) -> ! {
    let default: libc::sigaction = std::mem::zeroed();
    libc::sigaction(libc::SIGUSR1, &default, std::ptr::null_mut());
    libc::close(setup.status);
    // Moved out of the way first, so that no target number overwrites a source.
    let mut high = [0; 4];
    for (i, &fd) in setup.fds.iter().enumerate() {
        high[i] = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 100);
    }
    for (target, &fd) in high[..setup.fds.len()].iter().enumerate() {
        libc::dup2(fd, target as RawFd);
    }
    let _ = setup.rlimits.apply();
    if libc::chdir(setup.cwd.as_ptr()) != 0 {
        fail(setup, Stage::Folder);
    }
    libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    if drop_privileges(setup.ids).is_err() {
        fail(setup, Stage::Privileges);
    }
    if super::seccomp::install(setup.filters).is_err() {
        fail(setup, Stage::Seccomp);
    }
    // Nothing but its stdio (and descriptor 3 when given) reaches the
    // solution, whatever ale itself was started with.
    super::close_from(setup.fds.len() as u32, Some(setup.error));
    libc::execve(setup.argv[0], setup.argv.as_ptr(), setup.envp.as_ptr());
    fail(setup, Stage::Exec)
}

/// Drops every capability (bounding, ambient, permitted, effective,
/// inheritable) and, when `ids` are given, becomes that uid and gid with no
/// supplementary groups.
unsafe fn drop_privileges(ids: Option<(u32, u32)>) -> Result<(), ()> {
    for cap in 0..64 {
        libc::prctl(libc::PR_CAPBSET_DROP, cap);
    }
    libc::prctl(
        libc::PR_CAP_AMBIENT,
        libc::PR_CAP_AMBIENT_CLEAR_ALL,
        0,
        0,
        0,
    );
    if let Some((uid, gid)) = ids {
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setresgid(gid, gid, gid) != 0
            || libc::setresuid(uid, uid, uid) != 0
        {
            return Err(());
        }
    }
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let header = Header {
        version: 0x2008_0522, // _LINUX_CAPABILITY_VERSION_3
        pid: 0,
    };
    let data = [
        Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        },
        Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        },
    ];
    if libc::syscall(libc::SYS_capset, &header as *const Header, data.as_ptr()) != 0 {
        return Err(());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keepers_report_reads_back() {
        // As the keeper writes it: status, folder full, wall time in ns.
        let mut bytes = [0u8; REPORT_BYTES];
        bytes[..4].copy_from_slice(&(9i32 << 8).to_ne_bytes());
        bytes[4] = 1;
        bytes[5..].copy_from_slice(&1_234_567_890u64.to_ne_bytes());
        let report = Report::read(&bytes);
        assert_eq!(report.status, 9 << 8);
        assert!(libc::WIFEXITED(report.status) && libc::WEXITSTATUS(report.status) == 9);
        assert!(report.folder_full);
        assert_eq!(report.wall, std::time::Duration::from_nanos(1_234_567_890));
    }
}
