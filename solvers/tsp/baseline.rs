// tsp baseline: a space-filling strip tour. Cities are cut into vertical strips
// and visited up one strip and down the next. Simple, valid, O(N log N).
use std::io::{self, Read, Write};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    let points: Vec<(i64, i64)> = (0..n).map(|_| (it.next().unwrap(), it.next().unwrap())).collect();

    let strips = ((n as f64 / 2.0).sqrt().ceil() as i64).max(1);
    let width = 1_000_001 / strips + 1;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        let (x, y) = points[i];
        let strip = x / width;
        // Up in even strips, down in odd ones.
        (strip, if strip % 2 == 0 { y } else { -y })
    });

    let mut out = String::with_capacity(n * 7);
    for i in order {
        out.push_str(&i.to_string());
        out.push('\n');
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}
