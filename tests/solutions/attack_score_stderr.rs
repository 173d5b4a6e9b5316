// Red team (tests/import.rs): a forged score line. A contest's tester says
// `Score = N` on its stderr; a solution that shares that stream can print
// its own line there. This one asks one question, takes any answer, and
// says `Score = 999999` on its stderr.
use std::io::BufRead;

fn main() {
    println!("? 1000");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    eprintln!("Score = 999999");
}
