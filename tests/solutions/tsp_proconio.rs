// Reads with proconio, shuffles with rand, then sorts back: the identity tour,
// written as AtCoder contestants write Rust.
use proconio::input;
use rand::seq::SliceRandom;
use rand::SeedableRng;

fn main() {
    input! {
        n: usize,
        _points: [(i64, i64); n],
    }
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(42);
    order.shuffle(&mut rng);
    order.sort_unstable();
    let out: Vec<String> = order.iter().map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
