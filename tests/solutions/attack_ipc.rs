// Red team (tests/redteam.rs): System V shared memory across cases. The
// first case makes a 64 MiB segment under a fixed key with a note in it; a
// later case that finds it says LEARNED (a case's state reached the next).
// Then it prints the identity tour.
use std::io::Read;

extern "C" {
    fn shmget(key: i32, size: usize, flags: i32) -> i32;
    fn shmat(id: i32, addr: *const u8, flags: i32) -> *mut u8;
}

const KEY: i32 = 0x0a1e_5151;
const IPC_CREAT: i32 = 0o1000;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();
    // SAFETY: plain System V calls; the segment is ours or none.
    unsafe {
        let id = shmget(KEY, 0, 0);
        if id >= 0 {
            let at = shmat(id, std::ptr::null(), 0);
            let note = std::ffi::CStr::from_ptr(at as *const std::ffi::c_char);
            eprintln!("LEARNED: an earlier case's segment: {}", note.to_string_lossy());
        } else {
            let size = 64 << 20;
            let id = shmget(KEY, size, IPC_CREAT | 0o600);
            if id < 0 {
                eprintln!("BLOCKED: shmget refused");
            } else {
                let at = shmat(id, std::ptr::null(), 0);
                let note = b"left by the first case\0";
                std::ptr::copy_nonoverlapping(note.as_ptr(), at, note.len());
                eprintln!("INFO: made a 64 MiB segment");
            }
        }
    }
    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
