// Closes its stdout, then sleeps forever.
extern "C" {
    fn close(fd: i32) -> i32;
}
fn main() {
    // SAFETY: closing our own stdout.
    unsafe { close(1) };
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
