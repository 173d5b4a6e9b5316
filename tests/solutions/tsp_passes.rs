// The identity tour improved by PASSES sweeps of 2-opt: more sweeps, shorter
// tours. Starts badly set (0) for the tuner to fix.
use std::io::Read;

const PASSES: u32 = 0; // ale:param 0..8

fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    let v: Vec<i64> = text.split_ascii_whitespace().map(|w| w.parse().unwrap()).collect();
    let n = v[0] as usize;
    let p: Vec<(f64, f64)> = (0..n).map(|i| (v[1 + 2 * i] as f64, v[2 + 2 * i] as f64)).collect();
    let d = |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
    let mut tour: Vec<usize> = (0..n).collect();
    for _ in 0..PASSES {
        for i in 0..n.saturating_sub(2) {
            for j in i + 2..n {
                let (a, b, c, e) = (tour[i], tour[i + 1], tour[j], tour[(j + 1) % n]);
                if a == e {
                    continue;
                }
                if d(a, c) + d(b, e) < d(a, b) + d(c, e) - 1e-9 {
                    tour[i + 1..=j].reverse();
                }
            }
        }
    }
    let out: String = tour.iter().map(|c| format!("{c}\n")).collect();
    print!("{out}");
}
