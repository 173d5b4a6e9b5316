use std::io::Write;
// 100 MiB of output, past the 64 MiB cap.
fn main() {
    let chunk = vec![b'7'; 1 << 20];
    let mut out = std::io::stdout().lock();
    for _ in 0..100 {
        if out.write_all(&chunk).is_err() {
            return;
        }
    }
}
