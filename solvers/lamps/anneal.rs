// lamps reference: greedy start, then simulated annealing on lamp moves.
//
// A street cell is lit when its row run (the street between two walls) or its
// column run holds a lamp, so the state is the number of lamps in every run and
// the change of a move costs one pass over two runs. Start: each lamp where it
// lights the most new cells. Then move one lamp at a time, to a random street
// cell or near where it is, accepting worse states with the usual probability
// under a temperature that falls exponentially with the time spent.
use std::io::{self, Read};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
const T0: f64 = 3.0; // ale:param log 0.1..50
const T1: f64 = 0.05; // ale:param log 0.001..5
const NEAR_MOVES: u32 = 70; // ale:param 0..100

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

struct City {
    streets: Vec<usize>,           // cell ids r * n + c of street cells
    row_run: Vec<usize>,           // per cell
    col_run: Vec<usize>,           // per cell
    row_cells: Vec<Vec<usize>>,    // per row run
    col_cells: Vec<Vec<usize>>,    // per column run
}

struct State {
    row_lamps: Vec<u32>,
    col_lamps: Vec<u32>,
    lit: i64,
}

impl City {
    fn lit(&self, s: &State, cell: usize) -> bool {
        s.row_lamps[self.row_run[cell]] > 0 || s.col_lamps[self.col_run[cell]] > 0
    }

    /// Adds (+1) or removes (-1) a lamp and returns the change of lit cells.
    fn apply(&self, s: &mut State, cell: usize, add: bool) -> i64 {
        let before_row: i64 = self.row_cells[self.row_run[cell]].iter().filter(|&&c| self.lit(s, c)).count() as i64;
        let before_col: i64 = self.col_cells[self.col_run[cell]].iter().filter(|&&c| self.lit(s, c)).count() as i64;
        let shared = self.lit(s, cell) as i64;
        if add {
            s.row_lamps[self.row_run[cell]] += 1;
            s.col_lamps[self.col_run[cell]] += 1;
        } else {
            s.row_lamps[self.row_run[cell]] -= 1;
            s.col_lamps[self.col_run[cell]] -= 1;
        }
        let after_row: i64 = self.row_cells[self.row_run[cell]].iter().filter(|&&c| self.lit(s, c)).count() as i64;
        let after_col: i64 = self.col_cells[self.col_run[cell]].iter().filter(|&&c| self.lit(s, c)).count() as i64;
        let shared_after = self.lit(s, cell) as i64;
        // The lamp's own cell lies in both runs: count it once.
        let delta = (after_row + after_col - shared_after) - (before_row + before_col - shared);
        s.lit += delta;
        delta
    }
}

fn main() {
    let started = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace();
    let n: usize = it.next().unwrap().parse().unwrap();
    let k: usize = it.next().unwrap().parse().unwrap();
    let wall: Vec<bool> = (0..n).flat_map(|_| it.next().unwrap().bytes().map(|b| b == b'#').collect::<Vec<_>>()).collect();

    let mut row_run = vec![usize::MAX; n * n];
    let mut col_run = vec![usize::MAX; n * n];
    let (mut row_cells, mut col_cells): (Vec<Vec<usize>>, Vec<Vec<usize>>) = (Vec::new(), Vec::new());
    for r in 0..n {
        for c in 0..n {
            let cell = r * n + c;
            if wall[cell] {
                continue;
            }
            if c == 0 || wall[cell - 1] {
                row_cells.push(Vec::new());
            }
            row_run[cell] = row_cells.len() - 1;
            row_cells.last_mut().unwrap().push(cell);
        }
    }
    for c in 0..n {
        for r in 0..n {
            let cell = r * n + c;
            if wall[cell] {
                continue;
            }
            if r == 0 || wall[cell - n] {
                col_cells.push(Vec::new());
            }
            col_run[cell] = col_cells.len() - 1;
            col_cells.last_mut().unwrap().push(cell);
        }
    }
    let streets: Vec<usize> = (0..n * n).filter(|&c| !wall[c]).collect();
    let city = City { row_run, col_run, row_cells, col_cells, streets };
    let mut s = State {
        row_lamps: vec![0; city.row_cells.len()],
        col_lamps: vec![0; city.col_cells.len()],
        lit: 0,
    };
    let lamps_count = k.min(city.streets.len());
    let mut lamp_at = vec![false; n * n];
    let mut lamps = Vec::with_capacity(lamps_count);
    // Greedy start.
    for _ in 0..lamps_count {
        let mut best = (i64::MIN, 0);
        for &cell in &city.streets {
            if lamp_at[cell] {
                continue;
            }
            let gain = city.apply(&mut s, cell, true);
            city.apply(&mut s, cell, false);
            if gain > best.0 {
                best = (gain, cell);
            }
        }
        city.apply(&mut s, best.1, true);
        lamp_at[best.1] = true;
        lamps.push(best.1);
    }
    let mut best_lamps = lamps.clone();
    let mut best_lit = s.lit;
    let mut rng = Rng(0x853C49E6748FEA9B);
    let limit = TIME_LIMIT_MS as f64 / 1000.0;
    let mut temperature = T0;
    let mut iter = 0u64;
    while !lamps.is_empty() {
        iter += 1;
        if iter % 256 == 0 {
            let progress = started.elapsed().as_secs_f64() / limit;
            if progress >= 1.0 {
                break;
            }
            temperature = T0 * (T1 / T0).powf(progress);
        }
        let i = rng.below(lamps.len());
        let from = lamps[i];
        let to = if rng.below(100) < NEAR_MOVES as usize {
            let (r, c) = ((from / n) as i64, (from % n) as i64);
            let (dr, dc) = (rng.below(7) as i64 - 3, rng.below(7) as i64 - 3);
            let (y, x) = (r + dr, c + dc);
            if y < 0 || x < 0 || y >= n as i64 || x >= n as i64 {
                continue;
            }
            (y as usize) * n + x as usize
        } else {
            city.streets[rng.below(city.streets.len())]
        };
        if lamp_at[to] || city.row_run[to] == usize::MAX {
            continue;
        }
        let delta = city.apply(&mut s, from, false) + city.apply(&mut s, to, true);
        if delta >= 0 || rng.unit() < (delta as f64 / temperature).exp() {
            lamp_at[from] = false;
            lamp_at[to] = true;
            lamps[i] = to;
            if s.lit > best_lit {
                best_lit = s.lit;
                best_lamps.copy_from_slice(&lamps);
            }
        } else {
            city.apply(&mut s, to, false);
            city.apply(&mut s, from, true);
        }
    }
    let mut out = String::new();
    for cell in best_lamps {
        out += &format!("{} {}\n", cell / n, cell % n);
    }
    print!("{out}");
}
