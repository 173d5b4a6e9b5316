// packing reference: bottom-left skyline packing of an order that simulated
// annealing improves.
//
// Decoding: the crates are taken in the order given, each turned as the order
// says, and put at the lowest (then leftmost) place on the skyline where it
// fits; a crate that fits nowhere is left out. The annealing changes the order
// (swap two crates, move one to the front) or turns a crate, and keeps the
// change when the worth packed goes up, or down by little enough for the
// temperature. The start is the crates by worth per unit of area.
use std::io::{self, Read};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
// Temperatures as shares of the total worth.
const T0: f64 = 0.02; // ale:param log 0.0001..1
const T1: f64 = 0.0002; // ale:param log 0.000001..0.01
const FRONT_MOVES: u32 = 20; // ale:param 0..100

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A skyline segment: from x, `w` wide, at height y.
#[derive(Clone, Copy)]
struct Segment {
    x: i64,
    y: i64,
    w: i64,
}

/// Packs crates in order; returns the worth packed and the placements.
fn decode(
    width: i64,
    height: i64,
    crates: &[(i64, i64, i64)],
    order: &[usize],
    turned: &[bool],
    sky: &mut Vec<Segment>,
    placed: Option<&mut Vec<(usize, i64, i64, bool)>>,
) -> i64 {
    sky.clear();
    sky.push(Segment { x: 0, y: 0, w: width });
    let mut worth = 0;
    let mut placed = placed;
    for &i in order {
        let (a, b, v) = crates[i];
        let (w, h) = if turned[i] { (b, a) } else { (a, b) };
        if w > width || h > height {
            continue;
        }
        // Lowest, then leftmost, start among the segments' left ends.
        let mut best: Option<(i64, i64, usize)> = None;
        for s in 0..sky.len() {
            let x = sky[s].x;
            if x + w > width {
                break;
            }
            let mut y = 0;
            let mut k = s;
            while k < sky.len() && sky[k].x < x + w {
                y = y.max(sky[k].y);
                k += 1;
            }
            if y + h <= height && best.is_none_or(|(by, bx, _)| (y, x) < (by, bx)) {
                best = Some((y, x, s));
            }
        }
        let Some((y, x, s)) = best else { continue };
        worth += v;
        if let Some(p) = placed.as_deref_mut() {
            p.push((i, x, y, turned[i]));
        }
        // Raise the skyline over [x, x + w) to y + h.
        let end = x + w;
        let mut k = s;
        while k < sky.len() && sky[k].x + sky[k].w <= end {
            k += 1;
        }
        let tail = if k < sky.len() && sky[k].x < end {
            let seg = sky[k];
            k += 1;
            Some(Segment { x: end, y: seg.y, w: seg.x + seg.w - end })
        } else {
            None
        };
        let mut replacement = vec![Segment { x, y: y + h, w }];
        replacement.extend(tail);
        sky.splice(s..k, replacement);
        // Merge equal neighbours.
        let mut m = 0;
        for j in 1..sky.len() {
            if sky[j].y == sky[m].y {
                sky[m].w += sky[j].w;
            } else {
                m += 1;
                sky[m] = sky[j];
            }
        }
        sky.truncate(m + 1);
    }
    worth
}

fn main() {
    let started = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let (width, height, n) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap() as usize);
    let crates: Vec<(i64, i64, i64)> =
        (0..n).map(|_| (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())).collect();
    let total: i64 = crates.iter().map(|c| c.2).sum();

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let da = crates[a].2 as f64 / (crates[a].0 * crates[a].1) as f64;
        let db = crates[b].2 as f64 / (crates[b].0 * crates[b].1) as f64;
        db.partial_cmp(&da).unwrap()
    });
    // Lie flat: the longer side across, unless that cannot fit.
    let mut turned: Vec<bool> = crates
        .iter()
        .map(|&(w, h, _)| (h > w && h <= width) || w > width)
        .collect();
    let mut sky = Vec::new();
    let mut worth = decode(width, height, &crates, &order, &turned, &mut sky, None);
    let (mut best_order, mut best_turned, mut best_worth) = (order.clone(), turned.clone(), worth);
    let mut rng = Rng(0x5851F42D4C957F2D);
    let limit = TIME_LIMIT_MS as f64 / 1000.0;
    let mut iter = 0u64;
    let mut temperature = T0 * total as f64;
    while n >= 2 {
        iter += 1;
        if iter % 16 == 0 {
            let progress = started.elapsed().as_secs_f64() / limit;
            if progress >= 1.0 {
                break;
            }
            temperature = total as f64 * T0 * (T1 / T0).powf(progress);
        }
        let kind = rng.below(100);
        let (a, b) = (rng.below(n), rng.below(n));
        let undo: Box<dyn Fn(&mut Vec<usize>, &mut Vec<bool>)>;
        if kind < FRONT_MOVES as usize {
            let (lo, hi) = (a.min(b), a.max(b));
            order[lo..=hi].rotate_right(1);
            undo = Box::new(move |o, _| o[lo..=hi].rotate_left(1));
        } else if kind < 60 {
            order.swap(a, b);
            undo = Box::new(move |o, _| o.swap(a, b));
        } else {
            let i = order[a];
            turned[i] = !turned[i];
            undo = Box::new(move |_, t| t[i] = !t[i]);
        }
        let new_worth = decode(width, height, &crates, &order, &turned, &mut sky, None);
        let change = (new_worth - worth) as f64;
        if change >= 0.0 || rng.unit() < (change / temperature).exp() {
            worth = new_worth;
            if worth > best_worth {
                best_worth = worth;
                best_order.copy_from_slice(&order);
                best_turned.copy_from_slice(&turned);
            }
        } else {
            undo(&mut order, &mut turned);
        }
    }
    let mut placed = Vec::new();
    decode(width, height, &crates, &best_order, &best_turned, &mut sky, Some(&mut placed));
    let mut out = String::new();
    for (i, x, y, r) in placed {
        out += &format!("{i} {x} {y} {}\n", r as u8);
    }
    print!("{out}");
}
