// A scripted prospect solution for the 10x10 test input: one probe, then an answer.
use std::io::{self, BufRead, Write};
fn main() {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let head = lines.next().unwrap().unwrap();
    assert_eq!(head.trim(), "10 2 3 0");
    println!("? 0 5");
    io::stdout().flush().unwrap();
    let reply = lines.next().unwrap().unwrap();
    eprintln!("read {reply}");
    if reply.trim() == "5" {
        println!("! 9 6 0 5");
    } else {
        println!("! 0 0 0 1");
    }
    io::stdout().flush().unwrap();
}
