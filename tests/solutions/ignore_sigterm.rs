// Ignores SIGTERM and sleeps.
extern "C" {
    fn signal(signum: i32, handler: usize) -> usize;
}
fn main() {
    // SAFETY: SIG_IGN (1) for SIGTERM (15).
    unsafe { signal(15, 1) };
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
