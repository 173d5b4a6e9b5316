// prospect reference: a lattice survey, then upper-confidence probing.
//
// The field is smooth, so every reading also says something about the cells
// around it: each cell keeps kernel-weighted sums of the readings near it
// (a Gaussian kernel cut at RADIUS), which give an estimate and, through the
// total weight, how sure that estimate is. A first share of the budget goes on
// an even lattice; each further probe goes to the cell with the highest
// estimate + BETA x noise / sqrt(weight), which both explores unknown ground
// and re-measures the cells competing for the top K. The answer is the K cells
// with the highest estimate - GAMMA x uncertainty.
use std::io::{self, BufRead, Write};

const LATTICE_SHARE: f64 = 0.4; // ale:param 0.1..0.9
const BANDWIDTH: f64 = 1.0; // ale:param 0.3..3.0
const RADIUS: i64 = 3;
const BETA: f64 = 1.0; // ale:param 0.0..4.0
const GAMMA: f64 = 0.3; // ale:param 0.0..2.0

struct Field {
    n: usize,
    weight: Vec<f64>,
    weighted: Vec<f64>,
    probes: usize,
    kernel: Vec<f64>, // by squared distance
}

impl Field {
    fn new(n: usize) -> Field {
        let max_d2 = (2 * RADIUS * RADIUS) as usize;
        let kernel = (0..=max_d2)
            .map(|d2| (-(d2 as f64) / (2.0 * BANDWIDTH * BANDWIDTH)).exp())
            .collect();
        Field {
            n,
            weight: vec![0.0; n * n],
            weighted: vec![0.0; n * n],
            probes: 0,
            kernel,
        }
    }

    fn add(&mut self, i: usize, j: usize, value: f64) {
        self.probes += 1;
        let n = self.n as i64;
        for di in -RADIUS..=RADIUS {
            for dj in -RADIUS..=RADIUS {
                let (a, b) = (i as i64 + di, j as i64 + dj);
                if a < 0 || b < 0 || a >= n || b >= n {
                    continue;
                }
                let w = self.kernel[(di * di + dj * dj) as usize];
                let c = (a * n + b) as usize;
                self.weight[c] += w;
                self.weighted[c] += w * value;
            }
        }
    }

    fn estimate(&self, c: usize) -> f64 {
        if self.weight[c] > 1e-9 {
            self.weighted[c] / self.weight[c]
        } else {
            0.0
        }
    }

    fn uncertainty(&self, c: usize, noise: f64) -> f64 {
        // A cell far from every probe knows nothing: as unsure as a full grade range.
        (noise.max(1.0) / (self.weight[c] + 1e-3).sqrt()).min(1000.0)
    }
}

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
    let (n, k, q, noise) = (head[0], head[1], head[2], head[3] as f64);
    let mut field = Field::new(n);
    let mut ask = |field: &mut Field, i: usize, j: usize| {
        writeln!(out, "? {i} {j}").unwrap();
        out.flush().unwrap();
        let value: f64 = lines.next().unwrap().unwrap().trim().parse().unwrap();
        field.add(i, j, value);
    };

    // Lattice survey: the largest even step whose cells fit in the share.
    let share = ((q as f64 * LATTICE_SHARE) as usize).max(1).min(q);
    let mut step = 1;
    while (n + step - 1) / step * ((n + step - 1) / step) > share {
        step += 1;
    }
    let offset = step / 2;
    if q > 0 {
        for i in (offset..n).step_by(step) {
            for j in (offset..n).step_by(step) {
                if field.probes < q {
                    ask(&mut field, i, j);
                }
            }
        }
    }
    // Upper-confidence probing for the rest of the budget.
    while field.probes < q {
        let best = (0..n * n)
            .max_by(|&a, &b| {
                let ua = field.estimate(a) + BETA * field.uncertainty(a, noise);
                let ub = field.estimate(b) + BETA * field.uncertainty(b, noise);
                ua.partial_cmp(&ub).unwrap()
            })
            .unwrap();
        ask(&mut field, best / n, best % n);
    }

    let mut cells: Vec<usize> = (0..n * n).collect();
    let score = |c: usize| field.estimate(c) - GAMMA * field.uncertainty(c, noise);
    cells.sort_by(|&a, &b| score(b).partial_cmp(&score(a)).unwrap());
    let answer: Vec<String> = cells[..k].iter().map(|&c| format!("{} {}", c / n, c % n)).collect();
    let mut out = io::stdout().lock();
    writeln!(out, "! {}", answer.join(" ")).unwrap();
    out.flush().unwrap();
}
