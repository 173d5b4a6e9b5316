// qap reference: robust tabu search over pairwise exchanges.
//
// The whole neighbourhood (all N(N-1)/2 exchanges) is scanned every iteration.
// The cost change of every exchange is kept in a table: after an exchange of r
// and s, the entries of pairs disjoint from {r, s} are corrected in O(1) each,
// and only the 2N pairs that touch r or s are recomputed in O(N). A move is tabu
// while both facilities would return to locations they left within the last
// `tenure` iterations; the tenure is redrawn at random now and then, a tabu
// move that beats the best cost is allowed, and a move not made for a very long
// time is forced, which keeps the search from circling.
use std::io::{self, Read, Write};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
const TENURE_MIN: f64 = 0.9; // ale:param 0.1..2.0
const TENURE_MAX: f64 = 1.1; // ale:param 0.2..4.0
const ASPIRATION: f64 = 5.0; // ale:param log 0.5..50
const SEED: u64 = 0x9E3779B97F4A7C15;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 7;
        self.0 ^= self.0 >> 9;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Qap {
    n: usize,
    a: Vec<i64>,
    b: Vec<i64>,
}

impl Qap {
    fn cost(&self, p: &[usize]) -> i64 {
        let n = self.n;
        let mut c = 0;
        for i in 0..n {
            for j in 0..n {
                c += self.a[i * n + j] * self.b[p[i] * n + p[j]];
            }
        }
        c
    }

    /// Cost change of exchanging the locations of facilities i and j.
    fn delta(&self, p: &[usize], i: usize, j: usize) -> i64 {
        let (n, a, b) = (self.n, &self.a, &self.b);
        let (pi, pj) = (p[i], p[j]);
        let mut d = (a[i * n + i] - a[j * n + j]) * (b[pj * n + pj] - b[pi * n + pi])
            + (a[i * n + j] - a[j * n + i]) * (b[pj * n + pi] - b[pi * n + pj]);
        for k in 0..n {
            if k != i && k != j {
                let pk = p[k];
                d += (a[k * n + i] - a[k * n + j]) * (b[pk * n + pj] - b[pk * n + pi])
                    + (a[i * n + k] - a[j * n + k]) * (b[pj * n + pk] - b[pi * n + pk]);
            }
        }
        d
    }

    /// Correction of the delta of (i, j) after r and s were exchanged (p is the
    /// permutation after the exchange; {i, j} and {r, s} are disjoint).
    fn correction(&self, p: &[usize], i: usize, j: usize, r: usize, s: usize) -> i64 {
        let (n, a, b) = (self.n, &self.a, &self.b);
        let (pi, pj, pr, ps) = (p[i], p[j], p[r], p[s]);
        (a[r * n + i] - a[r * n + j] + a[s * n + j] - a[s * n + i])
            * (b[ps * n + pi] - b[ps * n + pj] + b[pr * n + pj] - b[pr * n + pi])
            + (a[i * n + r] - a[j * n + r] + a[j * n + s] - a[i * n + s])
                * (b[pi * n + ps] - b[pj * n + ps] + b[pj * n + pr] - b[pi * n + pr])
    }
}

fn main() {
    let start = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    let a: Vec<i64> = (0..n * n).map(|_| it.next().unwrap()).collect();
    let b: Vec<i64> = (0..n * n).map(|_| it.next().unwrap()).collect();
    let q = Qap { n, a, b };
    let best = search(&q, start);
    let out: Vec<String> = best.iter().map(|k| k.to_string()).collect();
    writeln!(io::stdout(), "{}", out.join(" ")).unwrap();
}

fn search(q: &Qap, start: Instant) -> Vec<usize> {
    let n = q.n;
    let mut rng = Rng(SEED);
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        p.swap(i, rng.below(i + 1));
    }
    let mut cost = q.cost(&p);
    let (mut best, mut best_cost) = (p.clone(), cost);
    if n < 3 {
        if n == 2 && q.delta(&p, 0, 1) < 0 {
            p.swap(0, 1);
        }
        return p;
    }
    let mut delta = vec![0i64; n * n];
    for i in 0..n {
        for j in i + 1..n {
            delta[i * n + j] = q.delta(&p, i, j);
        }
    }
    // left[i * n + loc]: the iteration at which facility i last left location loc.
    let horizon = (n * n) as i64 * 1000;
    let mut left = vec![-horizon; n * n];
    let tenure_lo = ((TENURE_MIN * n as f64) as usize).max(2);
    let tenure_hi = ((TENURE_MAX * n as f64) as usize).max(tenure_lo + 1);
    let mut tenure = tenure_lo + rng.below(tenure_hi - tenure_lo + 1);
    let aspiration = (ASPIRATION * (n * n) as f64) as i64;
    let limit = std::time::Duration::from_millis(TIME_LIMIT_MS);

    let mut iter: i64 = 0;
    loop {
        iter += 1;
        if iter % 16 == 0 && start.elapsed() >= limit {
            break;
        }
        if iter % (2 * tenure_hi as i64) == 0 {
            tenure = tenure_lo + rng.below(tenure_hi - tenure_lo + 1);
        }
        let recent = iter - tenure as i64;
        let long_ago = iter - aspiration;
        let (mut r, mut s) = (usize::MAX, usize::MAX);
        let mut min_delta = i64::MAX;
        'scan: for i in 0..n {
            for j in i + 1..n {
                let d = delta[i * n + j];
                let li = left[i * n + p[j]];
                let lj = left[j * n + p[i]];
                if li < long_ago && lj < long_ago {
                    // Not made for so long that it is forced.
                    r = i;
                    s = j;
                    break 'scan;
                }
                let tabu = li >= recent && lj >= recent;
                if (!tabu || cost + d < best_cost) && d < min_delta {
                    min_delta = d;
                    r = i;
                    s = j;
                }
            }
        }
        if r == usize::MAX {
            // Everything is tabu: take any exchange.
            r = rng.below(n);
            s = (r + 1 + rng.below(n - 1)) % n;
            if r > s {
                std::mem::swap(&mut r, &mut s);
            }
        }
        cost += delta[r * n + s];
        left[r * n + p[r]] = iter;
        left[s * n + p[s]] = iter;
        p.swap(r, s);
        if cost < best_cost {
            best_cost = cost;
            best.copy_from_slice(&p);
        }
        for i in 0..n {
            for j in i + 1..n {
                delta[i * n + j] = if i != r && i != s && j != r && j != s {
                    delta[i * n + j] + q.correction(&p, i, j, r, s)
                } else {
                    q.delta(&p, i, j)
                };
            }
        }
    }
    debug_assert_eq!(q.cost(&best), best_cost);
    best
}
