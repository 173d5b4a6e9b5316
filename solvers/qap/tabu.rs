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
    at: Vec<i64>, // a transposed
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
}

/// The distances seen by the facilities: c[i * n + j] = b[p[i]][p[j]], and its
/// transpose, so that every sum below runs along rows.
struct Permuted {
    n: usize,
    c: Vec<i64>,
    ct: Vec<i64>,
}

impl Permuted {
    fn new(q: &Qap, p: &[usize]) -> Self {
        let n = q.n;
        let mut c = vec![0; n * n];
        let mut ct = vec![0; n * n];
        for i in 0..n {
            for j in 0..n {
                c[i * n + j] = q.b[p[i] * n + p[j]];
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
    fn delta(&self, q: &Qap, i: usize, j: usize) -> i64 {
        let n = self.n;
        let (a, at, c, ct) = (&q.a, &q.at, &self.c, &self.ct);
        let (ai, aj, ati, atj) = (&a[i * n..][..n], &a[j * n..][..n], &at[i * n..][..n], &at[j * n..][..n]);
        let (ci, cj, cti, ctj) = (&c[i * n..][..n], &c[j * n..][..n], &ct[i * n..][..n], &ct[j * n..][..n]);
        let mut sum = 0;
        for k in 0..n {
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
    let mut at = vec![0; n * n];
    for i in 0..n {
        for j in 0..n {
            at[j * n + i] = a[i * n + j];
        }
    }
    let q = Qap { n, a, at, b };
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
        if n == 2 && perm.delta(q, 0, 1) < 0 {
            p.swap(0, 1);
        }
        return p;
    }
    let mut delta = vec![0i64; n * n];
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
    let (mut u, mut v, mut u2, mut v2) = (vec![0i64; n], vec![0i64; n], vec![0i64; n], vec![0i64; n]);

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
        let mut min_delta = i64::MAX;
        'scan: for i in 0..n {
            let row = &delta[i * n..(i + 1) * n];
            for j in i + 1..n {
                let d = row[j];
                if d >= min_delta && !may_force {
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
        perm.exchange(r, s);
        if cost < best_cost {
            best_cost = cost;
            best.copy_from_slice(&p);
        }
        // For a pair (i, j) disjoint from {r, s} the delta changes by
        // (u[i] - u[j]) (v[i] - v[j]) + (u2[i] - u2[j]) (v2[i] - v2[j]).
        let (a, at, c, ct) = (&q.a, &q.at, &perm.c, &perm.ct);
        for k in 0..n {
            u[k] = a[r * n + k] - a[s * n + k];
            v[k] = c[s * n + k] - c[r * n + k];
            u2[k] = at[r * n + k] - at[s * n + k];
            v2[k] = ct[s * n + k] - ct[r * n + k];
        }
        for i in 0..n {
            let (ui, vi, u2i, v2i) = (u[i], v[i], u2[i], v2[i]);
            let row = &mut delta[i * n..(i + 1) * n];
            for j in i + 1..n {
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
    debug_assert_eq!(q.cost(&best), best_cost);
    best
}
