// lamps baseline: the K street cells whose row and column runs between walls
// are longest, taken once each without looking at overlaps. Simple and valid.
use std::io::{self, Read};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace();
    let n: usize = it.next().unwrap().parse().unwrap();
    let k: usize = it.next().unwrap().parse().unwrap();
    let grid: Vec<Vec<bool>> = (0..n).map(|_| it.next().unwrap().bytes().map(|b| b == b'#').collect()).collect();
    let run = |r: usize, c: usize, dr: i64, dc: i64| {
        let (mut y, mut x, mut len) = (r as i64, c as i64, 0);
        while y >= 0 && x >= 0 && y < n as i64 && x < n as i64 && !grid[y as usize][x as usize] {
            len += 1;
            y += dr;
            x += dc;
        }
        len
    };
    let mut cells: Vec<(i64, usize, usize)> = Vec::new();
    for r in 0..n {
        for c in 0..n {
            if !grid[r][c] {
                let reach = run(r, c, 0, 1) + run(r, c, 0, -1) + run(r, c, 1, 0) + run(r, c, -1, 0);
                cells.push((reach, r, c));
            }
        }
    }
    cells.sort_by(|a, b| b.cmp(a));
    for &(_, r, c) in cells.iter().take(k) {
        println!("{r} {c}");
    }
}
