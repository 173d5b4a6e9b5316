// Red team (tests/redteam.rs): ale's own store through the compiler. The test
// writes the store's path in place of the placeholder. `include_bytes!` (not
// `include_str!`, which a binary file would fail whether it can be read or
// not) builds the store into the program; the compile must not see it. If it
// compiles, it says how much it got, not what. Solves tsp with the identity tour.
use std::io::Read;

static STORE: &[u8] = include_bytes!("@@STORE@@");

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    eprintln!(
        "LEARNED: the store compiled in: {} bytes, SQLite header {}",
        STORE.len(),
        STORE.starts_with(b"SQLite format 3")
    );

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
