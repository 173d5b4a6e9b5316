// Red team (tests/redteam.rs): which privileges does a solution hold in the
// box, and which kernel interfaces for leaving or widening it can it reach?
// Solves tsp with the identity tour. The probes change nothing even when they
// are allowed: their arguments fail *after* the kernel's permission check (a
// source that does not exist, a folder that is not a mount), so an allowed call
// shows in its error code (ENOENT, EAGAIN) rather than in a new mount.
use std::io::Read;
use std::os::fd::AsRawFd;

extern "C" {
    fn syscall(n: i64, ...) -> i64;
    fn close(fd: i32) -> i32;
}

const ENOENT: i32 = 2;
const EAGAIN: i32 = 11;
const EBUSY: i32 = 16;

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn why(e: i32) -> String {
    format!("{} (errno {e})", std::io::Error::from_raw_os_error(e))
}

/// Reports one system call: `ret` is what it returned, `allowed` the error
/// codes that can only come after its permission check passed.
fn report(name: &str, ret: i64, allowed: &[i32]) {
    if ret >= 0 {
        eprintln!("LEARNED: {name} succeeded (returned {ret})");
        if ret > 2 && name.ends_with("fd") {
            // SAFETY: closing a descriptor this program just got.
            unsafe { close(ret as i32) };
        }
        return;
    }
    let e = errno();
    if allowed.contains(&e) {
        eprintln!("LEARNED: {name} passed the permission check ({})", why(e));
    } else {
        eprintln!("BLOCKED: {name}: {}", why(e));
    }
}

fn status_line(status: &str, key: &str) -> String {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

fn privileges() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = status_line(&status, "Uid:");
    let cap = status_line(&status, "CapEff:");
    let nnp = status_line(&status, "NoNewPrivs:");
    let seccomp = status_line(&status, "Seccomp:");
    let mut weak = Vec::new();
    if uid.split_whitespace().any(|u| u == "0") {
        weak.push("runs as uid 0");
    }
    if u64::from_str_radix(&cap, 16).is_ok_and(|c| c != 0) {
        weak.push("holds capabilities");
    }
    if nnp == "0" {
        weak.push("may gain privileges (NoNewPrivs 0)");
    }
    if seccomp == "0" {
        weak.push("no seccomp filter");
    }
    let seen = format!("Uid {uid}, CapEff {cap}, NoNewPrivs {nnp}, Seccomp {seccomp}");
    if weak.is_empty() {
        eprintln!("BLOCKED: privileges: {seen}");
    } else {
        eprintln!("LEARNED: privileges: {} ({seen})", weak.join(", "));
    }
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    privileges();
    let missing = c"/ale-redteam-nonexistent";
    let here = c".";
    // SAFETY (all calls below): raw system calls on valid C strings and buffers
    // that outlive them; failures are reported, never relied on.
    unsafe {
        // mount(2) a bind of a missing source: ENOENT means mounting is allowed.
        let r = syscall(
            165,
            missing.as_ptr(),
            here.as_ptr(),
            0usize,
            4096usize,
            0usize,
        );
        report("mount", r, &[ENOENT]);
        // umount2(2) with MNT_EXPIRE only marks an unused mount (EAGAIN).
        let r = syscall(166, c"/proc".as_ptr(), 4i64);
        report("umount2 /proc", r, &[EAGAIN, EBUSY]);
        // pivot_root(2) checks the privilege before it looks at the paths.
        let r = syscall(155, missing.as_ptr(), missing.as_ptr());
        report("pivot_root", r, &[ENOENT]);
        match std::fs::File::open("/proc/1/ns/mnt") {
            Ok(ns) => {
                let r = syscall(308, ns.as_raw_fd() as i64, 0x20000i64);
                report("setns into pid 1's mount namespace", r, &[]);
            }
            Err(e) => eprintln!("BLOCKED: open /proc/1/ns/mnt: {e}"),
        }
        // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0)
        let r = syscall(250, 0i64, -3i64, 0i64);
        report("keyctl", r, &[]);
        // bpf(BPF_MAP_CREATE) of a one-entry array.
        let mut attr = [0u32; 32];
        attr[..4].copy_from_slice(&[2, 4, 4, 1]);
        let r = syscall(321, 0i64, attr.as_mut_ptr(), 128usize);
        report("bpf map fd", r, &[]);
        // perf_event_open of its own CPU clock, user space only, disabled.
        let mut perf = [0u64; 16];
        perf[0] = 1 | (128 << 32); // type PERF_TYPE_SOFTWARE, size 128
        perf[5] = 1 | 32 | 64; // disabled, exclude_kernel, exclude_hv
        let r = syscall(298, perf.as_mut_ptr(), 0i64, -1i64, -1i64, 0i64);
        report("perf_event_open fd", r, &[]);
        // Last: a new user namespace would change what the probes above see.
        let r = syscall(272, 0x1000_0000i64 | 0x0002_0000i64);
        report("unshare(CLONE_NEWUSER|CLONE_NEWNS)", r, &[]);
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
