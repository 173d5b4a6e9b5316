use std::io::Write;
// Writes bytes that are not UTF-8.
fn main() {
    std::io::stdout().write_all(&[b'0', b'\n', 0xff, 0xfe, b'\n']).unwrap();
}
