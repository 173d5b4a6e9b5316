// Red team (tests/redteam.rs): a host file through the compiler's messages.
// The test writes the path of a credentials file (`api_key = "..."`) in place
// of the placeholder. `include!` parses it as Rust, and the compile error
// quotes the offending line, key and all: the compile must not see the file,
// or its message must not reach the report. Solves tsp with the identity tour.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let leaked = include!("@@SECRET@@");
    eprintln!("LEARNED: the credentials file compiled in: {leaked:?}");

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
