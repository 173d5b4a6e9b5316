// For the tools-pick fixture: picks the largest number.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let numbers: Vec<i64> = s.split_whitespace().skip(1).map(|t| t.parse().unwrap()).collect();
    let best = (0..numbers.len()).max_by_key(|&i| numbers[i]).unwrap();
    println!("{best}");
}
