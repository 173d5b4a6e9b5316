// packing baseline: shelves. Crates lie flat (the longer side across), tallest
// first, left to right along a shelf; a crate that does not fit on the shelf
// opens a new one above it, and one that does not fit at all is left out.
use std::io::{self, Read};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let (width, height, n) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap() as usize);
    let crates: Vec<(i64, i64)> = (0..n)
        .map(|_| {
            let (w, h, _v) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
            (w, h)
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(crates[i].0.min(crates[i].1)));
    let (mut x, mut shelf_y, mut shelf_h) = (0, 0, 0);
    let mut out = String::new();
    for i in order {
        let (a, b) = crates[i];
        let (w, h, r) = if a >= b { (a, b, 0) } else { (b, a, 1) };
        if x + w > width {
            shelf_y += shelf_h;
            x = 0;
            shelf_h = 0;
        }
        if x + w > width || shelf_y + h > height {
            continue;
        }
        out += &format!("{i} {x} {shelf_y} {r}\n");
        x += w;
        shelf_h = shelf_h.max(h);
    }
    print!("{out}");
}
