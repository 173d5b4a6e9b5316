// Reads the opening line of prospect, then neither reads nor writes again.
use std::io::BufRead;
fn main() {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).unwrap();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
