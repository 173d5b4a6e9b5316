//! The system calls a boxed solution may not make. The list is a deny list:
//! what a contest solution never needs and an escape or a forged verdict
//! would (namespaces, mounts, tracing other processes, taking their file
//! descriptors, kernel keys, BPF, performance counters, modules). A denied
//! call fails with `EPERM`; `clone3` fails with `ENOSYS`, so that the C
//! library falls back to `clone`, whose namespace flags can be checked. No
//! signal may be sent to pid 1, the case's keeper.

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule,
};
use std::collections::BTreeMap;

/// Calls denied outright.
pub const DENIED: &[(i64, &str)] = &[
    (libc::SYS_mount, "mount"),
    (libc::SYS_umount2, "umount2"),
    (libc::SYS_pivot_root, "pivot_root"),
    (libc::SYS_chroot, "chroot"),
    (libc::SYS_setns, "setns"),
    (libc::SYS_unshare, "unshare"),
    (libc::SYS_ptrace, "ptrace"),
    (libc::SYS_process_vm_readv, "process_vm_readv"),
    (libc::SYS_process_vm_writev, "process_vm_writev"),
    (libc::SYS_pidfd_getfd, "pidfd_getfd"),
    (libc::SYS_pidfd_open, "pidfd_open"),
    (libc::SYS_pidfd_send_signal, "pidfd_send_signal"),
    (libc::SYS_kcmp, "kcmp"),
    (libc::SYS_keyctl, "keyctl"),
    (libc::SYS_add_key, "add_key"),
    (libc::SYS_request_key, "request_key"),
    (libc::SYS_bpf, "bpf"),
    (libc::SYS_perf_event_open, "perf_event_open"),
    (libc::SYS_userfaultfd, "userfaultfd"),
    (libc::SYS_open_by_handle_at, "open_by_handle_at"),
    (libc::SYS_name_to_handle_at, "name_to_handle_at"),
    (libc::SYS_io_uring_setup, "io_uring_setup"),
    (libc::SYS_init_module, "init_module"),
    (libc::SYS_finit_module, "finit_module"),
    (libc::SYS_delete_module, "delete_module"),
    (libc::SYS_kexec_load, "kexec_load"),
    (libc::SYS_reboot, "reboot"),
    (libc::SYS_swapon, "swapon"),
    (libc::SYS_swapoff, "swapoff"),
    (libc::SYS_acct, "acct"),
    (libc::SYS_quotactl, "quotactl"),
    (libc::SYS_fsopen, "fsopen"),
    (libc::SYS_fsmount, "fsmount"),
    (libc::SYS_fspick, "fspick"),
    (libc::SYS_open_tree, "open_tree"),
    (libc::SYS_move_mount, "move_mount"),
    (libc::SYS_mount_setattr, "mount_setattr"),
    (libc::SYS_setdomainname, "setdomainname"),
    (libc::SYS_sethostname, "sethostname"),
    (libc::SYS_settimeofday, "settimeofday"),
    (libc::SYS_clock_settime, "clock_settime"),
    (libc::SYS_adjtimex, "adjtimex"),
    (libc::SYS_syslog, "syslog"),
];

/// The namespace flags `clone` may not be given.
const NAMESPACE_FLAGS: &[u64] = &[
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWCGROUP as u64,
];

/// The box's filters, compiled once: the deny list with its `clone` flags,
/// then `clone3` as "not implemented". Both are installed, in this order.
pub fn filters() -> Result<Vec<BpfProgram>, String> {
    let arch = std::env::consts::ARCH
        .try_into()
        .map_err(|e| format!("no seccomp filter for {}: {e:?}", std::env::consts::ARCH))?;
    let mut denied: BTreeMap<i64, Vec<SeccompRule>> =
        DENIED.iter().map(|&(nr, _)| (nr, Vec::new())).collect();
    let clone_rules = NAMESPACE_FLAGS
        .iter()
        .map(|&flag| {
            let cond = SeccompCondition::new(
                0,
                SeccompCmpArgLen::Qword,
                SeccompCmpOp::MaskedEq(flag),
                flag,
            )
            .map_err(|e| e.to_string())?;
            SeccompRule::new(vec![cond]).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    denied.insert(libc::SYS_clone, clone_rules);
    // Pid 1 of a case's namespace is always its keeper: no signal reaches it
    // from the case, whatever uid both have.
    for nr in [
        libc::SYS_kill,
        libc::SYS_tgkill,
        libc::SYS_rt_sigqueueinfo,
        libc::SYS_rt_tgsigqueueinfo,
    ] {
        let to_keeper = SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Eq, 1)
            .map_err(|e| e.to_string())?;
        denied.insert(
            nr,
            vec![SeccompRule::new(vec![to_keeper]).map_err(|e| e.to_string())?],
        );
    }
    let eperm = SeccompFilter::new(
        denied,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let clone3 = SeccompFilter::new(
        [(libc::SYS_clone3, Vec::new())].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let mut programs: Vec<BpfProgram> = [eperm, clone3]
        .into_iter()
        .map(|f| BpfProgram::try_from(f).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    if cfg!(target_arch = "x86_64") {
        programs.insert(0, no_x32());
    }
    Ok(programs)
}

/// x86-64's x32 calls carry the x86-64 architecture with bit 30 set in their
/// number, which the deny list's numbers do not match: they are refused.
fn no_x32() -> BpfProgram {
    use seccompiler::sock_filter;
    let op = |code: u32, jt: u8, jf: u8, k: u32| sock_filter {
        code: code as u16,
        jt,
        jf,
        k,
    };
    vec![
        // The number is the first word of seccomp_data.
        op(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0, 0, 0),
        op(libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K, 0, 1, X32_BIT),
        op(
            libc::BPF_RET | libc::BPF_K,
            0,
            0,
            libc::SECCOMP_RET_ERRNO | libc::EPERM as u32,
        ),
        op(libc::BPF_RET | libc::BPF_K, 0, 0, libc::SECCOMP_RET_ALLOW),
    ]
}

/// The bit that marks an x32 system call number.
const X32_BIT: u32 = 0x4000_0000;

/// Installs `filters` on the calling process (a box's child about to exec),
/// with `no_new_privs` set first. Allocation-free; returns the errno on failure.
pub fn install(filters: &[BpfProgram]) -> Result<(), i32> {
    for filter in filters {
        if seccompiler::apply_filter(filter).is_err() {
            return Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// In a child process with the filters installed, the errno of `nr`
    /// (with no arguments), or 0 when it succeeded.
    fn errno_under_filters(nr: i64) -> i32 {
        let filters = super::filters().unwrap();
        // SAFETY: the child only installs the filter, makes one call and
        // exits; the parent waits for it.
        unsafe {
            let pid = libc::fork();
            if pid == 0 {
                if super::install(&filters).is_err() {
                    libc::_exit(200);
                }
                let r = libc::syscall(nr, 0, 0, 0);
                let errno = if r < 0 { *libc::__errno_location() } else { 0 };
                libc::_exit(errno.min(199));
            }
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
            libc::WEXITSTATUS(status)
        }
    }

    #[test]
    fn denied_calls_fail_with_eperm_and_x32_calls_too() {
        assert_eq!(errno_under_filters(libc::SYS_unshare), libc::EPERM);
        assert_eq!(errno_under_filters(libc::SYS_getppid), 0);
        assert_eq!(errno_under_filters(libc::SYS_clone3), libc::ENOSYS);
        if cfg!(target_arch = "x86_64") {
            // x32's getpid: ENOSYS where the kernel has no x32, EPERM here.
            assert_eq!(errno_under_filters(0x4000_0000 + 39), libc::EPERM);
        }
    }

    #[test]
    fn the_filters_compile_for_this_machine() {
        let filters = super::filters().unwrap();
        assert_eq!(
            filters.len(),
            if cfg!(target_arch = "x86_64") { 3 } else { 2 }
        );
        // One jump and one return at least per denied call.
        let longest = filters.iter().map(Vec::len).max().unwrap_or(0);
        assert!(longest > super::DENIED.len() * 2);
    }
}
