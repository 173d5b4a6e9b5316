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
    af: Vec<f64>,  // a as floats
    atf: Vec<f64>, // a transposed
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
}

/// The distances seen by the facilities: c[i * n + j] = b[p[i]][p[j]], and its
/// transpose, so that every sum below runs along rows.
///
/// Costs and their changes are computed in floating point, which is exact
/// here: an entry is at most 10^6, a product of two differences at most 10^12,
/// and the change of cost of one exchange sums fewer than 4 × 256 of them,
/// far below 2^53. Floats let the loops run on vector units.
struct Permuted {
    n: usize,
    c: Vec<f64>,
    ct: Vec<f64>,
}

impl Permuted {
    fn new(q: &Qap, p: &[usize]) -> Self {
        let n = q.n;
        let mut c = vec![0.0; n * n];
        let mut ct = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] = q.b[p[i] * n + p[j]] as f64;
                ct[j * n + i] = c[i * n + j];
            }
        }
        Permuted { n, c, ct }
    }

    /// Facilities r and s exchanged their locations: exchange rows and columns.
    fn exchange(&mut self, r: usize, s: usize) {
        let n = self.n;
        for m in [&mut self.c, &mut self.ct] {
            for k in 0..n {
                m.swap(r * n + k, s * n + k);
            }
            for k in 0..n {
                m.swap(k * n + r, k * n + s);
            }
        }
    }

    /// Cost change of exchanging the locations of facilities i and j.
    #[inline(always)]
    fn delta(&self, q: &Qap, i: usize, j: usize) -> f64 {
        let n = self.n;
        let (a, at, c, ct) = (&q.af, &q.atf, &self.c, &self.ct);
        let (ai, aj, ati, atj) = (&a[i * n..][..n], &a[j * n..][..n], &at[i * n..][..n], &at[j * n..][..n]);
        let (ci, cj, cti, ctj) = (&c[i * n..][..n], &c[j * n..][..n], &ct[i * n..][..n], &ct[j * n..][..n]);
        // Four running sums, so that the compiler may keep them in vector
        // registers (the order of exact integer sums does not matter).
        let mut acc = [0.0f64; 4];
        let whole = n / 4 * 4;
        for k in (0..whole).step_by(4) {
            for l in 0..4 {
                let k = k + l;
                acc[l] += (ati[k] - atj[k]) * (ctj[k] - cti[k]) + (ai[k] - aj[k]) * (cj[k] - ci[k]);
            }
        }
        let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for k in whole..n {
            sum += (ati[k] - atj[k]) * (ctj[k] - cti[k]) + (ai[k] - aj[k]) * (cj[k] - ci[k]);
        }
        let (aii, aij, aji, ajj) = (ai[i], ai[j], aj[i], aj[j]);
        let (cii, cij, cji, cjj) = (ci[i], ci[j], cj[i], cj[j]);
        // The sum ran over k = i and k = j too: take those terms out.
        sum -= (aii - aij) * (cij - cii) + (aii - aji) * (cji - cii);
        sum -= (aji - ajj) * (cjj - cji) + (aij - ajj) * (cjj - cij);
        sum + (aii - ajj) * (cjj - cii) + (aij - aji) * (cji - cij)
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
    let af: Vec<f64> = a.iter().map(|&x| x as f64).collect();
    let mut atf = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            atf[j * n + i] = af[i * n + j];
        }
    }
    let q = Qap { n, a, b, af, atf };
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
    let mut perm = Permuted::new(q, &p);
    if n < 3 {
        if n == 2 && perm.delta(q, 0, 1) < 0.0 {
            p.swap(0, 1);
        }
        return p;
    }
    let mut delta = vec![0.0f64; n * n];
    for i in 0..n {
        for j in i + 1..n {
            delta[i * n + j] = perm.delta(q, i, j);
        }
    }
    let tenure_lo = ((TENURE_MIN * n as f64) as usize).max(2);
    let tenure_hi = ((TENURE_MAX * n as f64) as usize).max(tenure_lo + 1);
    let mut tenure = tenure_lo + rng.below(tenure_hi - tenure_lo + 1);
    let aspiration = (ASPIRATION * (n * n) as f64) as i64;
    // left[i * n + loc]: the iteration at which facility i last left location
    // loc; at first, just long enough ago not to be tabu (and not so long ago
    // that every exchange would be forced).
    let mut left = vec![-(tenure_hi as i64) - 1; n * n];
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
        // No exchange can be forced before every entry of `left` is that old.
        let may_force = long_ago > -(tenure_hi as i64) - 1;
        let (mut r, mut s) = (usize::MAX, usize::MAX);
        let mut min_delta = f64::MAX;
        let mut ties = 0;
        'scan: for i in 0..n {
            let row = &delta[i * n..(i + 1) * n];
            for j in i + 1..n {
                let d = row[j];
                if d > min_delta && !may_force {
                    continue;
                }
                let li = left[i * n + p[j]];
                let lj = left[j * n + p[i]];
                if may_force && li < long_ago && lj < long_ago {
                    // Not made for so long that it is forced.
                    r = i;
                    s = j;
                    break 'scan;
                }
                let tabu = li >= recent && lj >= recent;
                if (!tabu || cost + (d as i64) < best_cost) && d <= min_delta {
                    // Equal exchanges (common where most flows are 0) are
                    // taken at random, not always the first in the table.
                    ties = if d < min_delta { 1 } else { ties + 1 };
                    if ties == 1 || rng.below(ties) == 0 {
                        min_delta = d;
                        r = i;
                        s = j;
                    }
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
        cost += delta[r * n + s] as i64;
        left[r * n + p[r]] = iter;
        left[s * n + p[s]] = iter;
        p.swap(r, s);
        perm.exchange(r, s);
        if cost < best_cost {
            best_cost = cost;
            best.copy_from_slice(&p);
        }
        update(q, &perm, &mut delta, r, s);
    }
    debug_assert_eq!(q.cost(&best), best_cost);
    best
}

/// Brings the table of exchange costs up to date after r and s were exchanged.
fn update(q: &Qap, perm: &Permuted, delta: &mut [f64], r: usize, s: usize) {
    let n = q.n;
    // For a pair (i, j) disjoint from {r, s} the delta changes by
    // (u[i] - u[j]) (v[i] - v[j]) + (u2[i] - u2[j]) (v2[i] - v2[j]).
    let (a, at, c, ct) = (&q.af, &q.atf, &perm.c, &perm.ct);
    let u: Vec<f64> = (0..n).map(|k| a[r * n + k] - a[s * n + k]).collect();
    let v: Vec<f64> = (0..n).map(|k| c[s * n + k] - c[r * n + k]).collect();
    let u2: Vec<f64> = (0..n).map(|k| at[r * n + k] - at[s * n + k]).collect();
    let v2: Vec<f64> = (0..n).map(|k| ct[s * n + k] - ct[r * n + k]).collect();
    for i in 0..n {
        let (ui, vi, u2i, v2i) = (u[i], v[i], u2[i], v2[i]);
        let row = &mut delta[i * n + i + 1..(i + 1) * n];
        let (u, v, u2, v2) = (&u[i + 1..], &v[i + 1..], &u2[i + 1..], &v2[i + 1..]);
        for j in 0..row.len() {
            row[j] += (ui - u[j]) * (vi - v[j]) + (u2i - u2[j]) * (v2i - v2[j]);
        }
    }
    // Pairs that touch r or s: afresh.
    for k in 0..n {
        for x in [r, s] {
            if k != x && !(k == r && x == s) {
                let (i, j) = (k.min(x), k.max(x));
                delta[i * n + j] = perm.delta(q, i, j);
            }
        }
    }
}
