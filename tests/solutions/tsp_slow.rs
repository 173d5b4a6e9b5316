// Like tsp_identity, after 1200 ms of sleep: every public seed would take a
// minute on two workers.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();
    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
