// Reads a path; tries to write there, then writes a file in its own folder.
use std::io::{Read, Write};
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let target = s.trim();
    let outside = std::fs::OpenOptions::new().create(true).append(true).open(target)
        .and_then(|mut f| f.write_all(b"tampered\n"));
    match outside {
        Ok(()) => println!("wrote {target}"),
        Err(e) => println!("failed: {e}"),
    }
    match std::fs::write("scratch.txt", "mine") {
        Ok(()) => println!("scratch ok"),
        Err(e) => println!("scratch failed: {e}"),
    }
}
