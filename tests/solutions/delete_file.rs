// Reads a path and tries to delete the file.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    match std::fs::remove_file(s.trim()) {
        Ok(()) => println!("deleted"),
        Err(e) => println!("failed: {e}"),
    }
}
