use std::io::Write;
// Answers prospect with one endless line.
fn main() {
    let chunk = vec![b'?'; 1 << 16];
    let mut out = std::io::stdout().lock();
    loop {
        if out.write_all(&chunk).is_err() {
            return;
        }
    }
}
