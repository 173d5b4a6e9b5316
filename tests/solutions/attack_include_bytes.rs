// Red team (tests/redteam.rs): a host file through the compiler. The build
// reads /etc/shadow into the program; the compile must not see it (a compile
// error that does not quote it). If it compiles, it says so with the user
// names only, never a password hash. Solves tsp with the identity tour.
use std::io::Read;

static SHADOW: &[u8] = include_bytes!("/etc/shadow");

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let users: Vec<String> = String::from_utf8_lossy(SHADOW)
        .lines()
        .filter_map(|l| l.split(':').next().map(str::to_string))
        .collect();
    eprintln!(
        "LEARNED: /etc/shadow compiled in: {} bytes, users {}",
        SHADOW.len(),
        users.join(",")
    );

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
