// Red team (tests/redteam.rs): can a solution reach into another process to
// forge its own measurements (stop the judge's clock, read or steal what the
// judge holds)? On every process it can see, on pid 1 and on its parent it
// tries ptrace attach, pidfd_getfd, process_vm_readv and SIGSTOP (followed by
// SIGCONT, and a detach, so that a success does no lasting harm). Then,
// whatever happened, it spins 2.6 s of wall time with 1.2 GiB touched before
// printing the identity tour: under 2000 ms / 1024 MiB that is MLE or TLE.
use std::io::Read;
use std::time::{Duration, Instant};

extern "C" {
    fn syscall(n: i64, ...) -> i64;
    fn kill(pid: i32, sig: i32) -> i32;
    fn getppid() -> i32;
    fn waitpid(pid: i32, status: *mut i32, options: i32) -> i32;
    fn close(fd: i32) -> i32;
}

#[repr(C)]
struct IoVec {
    base: *mut u8,
    len: usize,
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// The start of the first readable mapping of `pid`, if its maps can be read.
fn readable_address(pid: i32) -> Option<usize> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
    let line = maps.lines().find(|l| {
        l.split(' ')
            .nth(1)
            .is_some_and(|perms| perms.starts_with('r'))
    })?;
    usize::from_str_radix(line.split('-').next()?, 16).ok()
}

/// Every attack on one process: what worked and what was refused.
fn attack(pid: i32) -> (Vec<String>, Vec<String>) {
    let (mut won, mut lost) = (Vec::new(), Vec::new());
    // SAFETY (all calls below): raw system calls with valid buffers; a
    // success is undone at once (detach, close, SIGCONT).
    unsafe {
        if syscall(101, 16i64, pid as i64, 0i64, 0i64) == 0 {
            won.push("ptrace attach".to_string());
            let mut status = 0;
            let deadline = Instant::now() + Duration::from_millis(300);
            // __WALL | WNOHANG: wait briefly for the stop, then detach.
            while waitpid(pid, &mut status, 0x4000_0000 | 1) == 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            syscall(101, 17i64, pid as i64, 0i64, 0i64);
        } else {
            lost.push(format!("ptrace {}", errno()));
        }
        let pidfd = syscall(434, pid as i64, 0i64);
        if pidfd >= 0 {
            for target in 0..3i64 {
                let fd = syscall(438, pidfd, target, 0i64);
                if fd >= 0 {
                    won.push(format!("pidfd_getfd of its fd {target}"));
                    close(fd as i32);
                } else if target == 0 {
                    lost.push(format!("pidfd_getfd {}", errno()));
                }
            }
            close(pidfd as i32);
        } else {
            lost.push(format!("pidfd_open {}", errno()));
        }
        let mut buf = [0u8; 64];
        let local = IoVec {
            base: buf.as_mut_ptr(),
            len: buf.len(),
        };
        let remote = IoVec {
            base: readable_address(pid).unwrap_or(0x40_0000) as *mut u8,
            len: buf.len(),
        };
        let r = syscall(
            310,
            pid as i64,
            &local as *const IoVec,
            1i64,
            &remote as *const IoVec,
            1i64,
            0i64,
        );
        if r > 0 {
            won.push(format!("process_vm_readv read {r} bytes"));
        } else {
            lost.push(format!("process_vm_readv {}", errno()));
        }
        if kill(pid, 19) == 0 {
            won.push("SIGSTOP".to_string());
            kill(pid, 18);
        } else {
            lost.push(format!("kill {}", errno()));
        }
    }
    (won, lost)
}

fn main() {
    let start = Instant::now();
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let me = std::process::id() as i32;
    let mut targets: Vec<i32> = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    // SAFETY: getppid has no preconditions.
    targets.extend([1, unsafe { getppid() }]);
    targets.sort();
    targets.dedup();
    // Never 0 or below: kill(0) and kill(-1) signal whole groups.
    targets.retain(|&p| p > 0 && p != me);
    let mut refused = Vec::new();
    for &pid in &targets {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let (won, lost) = attack(pid);
        if !won.is_empty() {
            eprintln!("LEARNED: pid {pid} ({}): {}", comm.trim(), won.join(", "));
        }
        if !lost.is_empty() {
            refused.push(format!("{pid}: {}", lost.join(" ")));
        }
    }
    // Numbers only: cutting it anywhere is safe.
    let mut refused = refused.join("; ");
    refused.truncate(600);
    eprintln!(
        "BLOCKED: {} targets refused (errno): {refused}",
        targets.len()
    );

    // Over both limits, whatever the attacks did.
    let size = 1200 << 20;
    let mut memory: Vec<u8> = Vec::new();
    if memory.try_reserve_exact(size).is_ok() {
        memory.resize(size, 0);
        for i in (0..size).step_by(4096) {
            memory[i] = 1;
        }
    } else {
        eprintln!("BLOCKED: 1200 MiB could not be reserved");
    }
    let mut spins = 0u64;
    while start.elapsed() < Duration::from_millis(2600) {
        spins = std::hint::black_box(spins + 1);
    }
    std::hint::black_box(&memory);
    eprintln!(
        "INFO: held {} MiB for {} ms",
        memory.len() >> 20,
        start.elapsed().as_millis()
    );

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
