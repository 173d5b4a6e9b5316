// For the tools-guess fixture: bisection.
use std::io::{BufRead, Write};
fn main() {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let n: i64 = lines.next().unwrap().unwrap().trim().parse().unwrap();
    let (mut lo, mut hi) = (1, n);
    let mut out = std::io::stdout();
    while lo <= hi {
        let mid = (lo + hi) / 2;
        writeln!(out, "? {mid}").unwrap();
        out.flush().unwrap();
        match lines.next().unwrap().unwrap().trim() {
            "=" => return,
            "<" => lo = mid + 1,
            _ => hi = mid - 1,
        }
    }
}
