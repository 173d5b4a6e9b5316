// prospect baseline: spend the probe budget on an even lattice of cells, then
// drill the K cells that read highest. Simple and valid.
use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = io::stdout().lock();
    let head: Vec<usize> = lines
        .next()
        .unwrap()
        .unwrap()
        .split_ascii_whitespace()
        .map(|t| t.parse().unwrap())
        .collect();
    let (n, k, q) = (head[0], head[1], head[2]);

    // The largest lattice step whose cells fit in the budget.
    let mut step = 1;
    while ((n + step - 1) / step).pow(2) > q {
        step += 1;
    }
    let mut readings: Vec<(i64, usize, usize)> = Vec::new();
    for i in (0..n).step_by(step) {
        for j in (0..n).step_by(step) {
            writeln!(out, "? {i} {j}").unwrap();
            out.flush().unwrap();
            let value: i64 = lines.next().unwrap().unwrap().trim().parse().unwrap();
            readings.push((value, i, j));
        }
    }
    readings.sort_by(|a, b| b.cmp(a));
    // Fewer probes than K: fill with unprobed cells.
    let mut chosen: Vec<(usize, usize)> = readings.iter().map(|&(_, i, j)| (i, j)).take(k).collect();
    'fill: for i in 0..n {
        for j in 0..n {
            if chosen.len() == k {
                break 'fill;
            }
            if !chosen.contains(&(i, j)) {
                chosen.push((i, j));
            }
        }
    }
    let answer: Vec<String> = chosen.iter().map(|(i, j)| format!("{i} {j}")).collect();
    writeln!(out, "! {}", answer.join(" ")).unwrap();
    out.flush().unwrap();
}
