// tsp reference: iterated local search with 2-opt and Or-opt moves.
//
// Neighbour lists (the K nearest cities, found with a k-d tree) drive every move.
// Start: the greedy tour over the neighbour lists.
// Local search: 2-opt and Or-opt (a segment of up to three cities moved
// between two neighbours, either way round), both written as sequences of
// 2-opt exchanges on an array tour that always reverses the shorter side, with
// a queue of cities whose surroundings changed ("don't look bits").
// Perturbation: a double bridge inside a small window of the tour, followed by
// local search around its endpoints; the result is kept if it is no longer,
// else undone from a log of the reversals made.
use std::io::{self, Read, Write};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
const NEIGHBOURS: usize = 8; // ale:param 4..16
const WINDOW: usize = 50; // ale:param log 8..1000
const SEGMENT: usize = 3; // ale:param 1..5

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
}

struct Tour {
    xy: Vec<(f64, f64)>,
    order: Vec<usize>,
    pos: Vec<usize>,
    log: Vec<(usize, usize)>, // reversed position ranges, for undo
}

impl Tour {
    fn d(&self, a: usize, b: usize) -> i64 {
        let (dx, dy) = (self.xy[a].0 - self.xy[b].0, self.xy[a].1 - self.xy[b].1);
        ((dx * dx + dy * dy).sqrt() + 0.5) as i64
    }
    fn n(&self) -> usize {
        self.order.len()
    }
    fn next(&self, c: usize) -> usize {
        let p = self.pos[c] + 1;
        self.order[if p == self.n() { 0 } else { p }]
    }
    fn prev(&self, c: usize) -> usize {
        let p = self.pos[c];
        self.order[if p == 0 { self.n() - 1 } else { p - 1 }]
    }
    fn length(&self) -> i64 {
        (0..self.n()).map(|i| self.d(self.order[i], self.order[(i + 1) % self.n()])).sum()
    }

    /// Reverses positions i..=j of the circular array (i may be after j: wraps).
    fn reverse_positions(&mut self, i: usize, j: usize) {
        let n = self.n();
        let len = (j + n - i) % n + 1;
        let (mut a, mut b) = (i, j);
        for _ in 0..len / 2 {
            self.order.swap(a, b);
            self.pos[self.order[a]] = a;
            self.pos[self.order[b]] = b;
            a = if a + 1 == n { 0 } else { a + 1 };
            b = if b == 0 { n - 1 } else { b - 1 };
        }
        self.log.push((i, j));
    }

    /// Reverses the forward path from city x to city y, or the rest of the tour
    /// when that is shorter (the same cycle, walked the other way).
    fn reverse_path(&mut self, x: usize, y: usize) {
        let n = self.n();
        let (i, j) = (self.pos[x], self.pos[y]);
        let inner = (j + n - i) % n + 1;
        if 2 * inner <= n {
            self.reverse_positions(i, j);
        } else if inner < n {
            self.reverse_positions((j + 1) % n, (i + n - 1) % n);
        }
    }

    /// Removes edges (a, b) and (c, d), adds (a, c) and (b, d); b and d follow a
    /// and c in the same direction.
    fn move2(&mut self, a: usize, b: usize, c: usize, _d: usize) {
        if self.next(a) == b {
            self.reverse_path(b, c);
        } else {
            self.reverse_path(c, b);
        }
    }

    fn undo_to(&mut self, mark: usize) {
        while self.log.len() > mark {
            let (i, j) = self.log.pop().unwrap();
            self.reverse_positions(i, j);
            self.log.pop();
        }
    }
}

struct Search {
    tour: Tour,
    near: Vec<Vec<usize>>,
    queue: Vec<usize>,
    queued: Vec<bool>,
}

impl Search {
    fn push(&mut self, c: usize) {
        if !self.queued[c] {
            self.queued[c] = true;
            self.queue.push(c);
        }
    }

    /// Improves until no 2-opt or Or-opt move from a queued city helps, or the
    /// deadline passes; returns the gain.
    fn local_search(&mut self, deadline: Instant) -> i64 {
        let mut gain = 0;
        let mut steps = 0u32;
        while let Some(a) = self.queue.pop() {
            self.queued[a] = false;
            steps += 1;
            if steps % 1024 == 0 && Instant::now() >= deadline {
                for c in self.queue.drain(..) {
                    self.queued[c] = false;
                }
                break;
            }
            if let Some(g) = self.improve(a) {
                gain += g;
            }
        }
        gain
    }

    fn improve(&mut self, a: usize) -> Option<i64> {
        let t = &self.tour;
        for dir in 0..2 {
            let na = if dir == 0 { t.next(a) } else { t.prev(a) };
            let d_a = t.d(a, na);
            for &c in &self.near[a] {
                let g1 = d_a - t.d(a, c);
                if g1 <= 0 {
                    break;
                }
                let nc = if dir == 0 { t.next(c) } else { t.prev(c) };
                if c == na || nc == a {
                    continue;
                }
                let gain = g1 + t.d(c, nc) - t.d(na, nc);
                if gain > 0 {
                    self.tour.move2(a, na, c, nc);
                    for x in [a, na, c, nc] {
                        self.push(x);
                    }
                    return Some(gain);
                }
            }
        }
        self.or_opt(a)
    }

    /// Moves a segment starting at a (up to SEGMENT cities, either direction)
    /// between a neighbour c of its end and one of c's two tour neighbours.
    fn or_opt(&mut self, a: usize) -> Option<i64> {
        let t = &self.tour;
        let n = t.n();
        if n < 8 {
            return None;
        }
        for dir in 0..2 {
            let step = |t: &Tour, x: usize| if dir == 0 { t.next(x) } else { t.prev(x) };
            let back = |t: &Tour, x: usize| if dir == 0 { t.prev(x) } else { t.next(x) };
            let s1 = a;
            let p = back(t, s1);
            let mut s2 = s1;
            for _len in 1..=SEGMENT {
                let nx = step(t, s2);
                let removed = t.d(p, s1) + t.d(s2, nx) - t.d(p, nx);
                if removed > 0 {
                    for &end in &[s1, s2] {
                        for &c in &self.near[end] {
                            if t.d(end, c) >= removed {
                                break;
                            }
                            if in_segment(t, c, s1, s2, dir) {
                                continue;
                            }
                            for e in [t.next(c), t.prev(c)] {
                                if in_segment(t, e, s1, s2, dir) || (c == p && e == nx) || (c == nx && e == p) {
                                    continue;
                                }
                                let base = removed + t.d(c, e);
                                // X: c-s1 and s2-e; Y: c-s2 and s1-e.
                                let gx = base - t.d(c, s1) - t.d(s2, e);
                                let gy = base - t.d(c, s2) - t.d(s1, e);
                                if gx > 0 || gy > 0 {
                                    let forward = gx >= gy;
                                    self.apply_or(p, s1, s2, nx, c, e, forward);
                                    for x in [p, s1, s2, nx, c, e] {
                                        self.push(x);
                                    }
                                    return Some(gx.max(gy));
                                }
                            }
                        }
                    }
                }
                s2 = nx;
                if s2 == p {
                    break;
                }
            }
        }
        None
    }

    /// The segment s1..s2 (between p and nx) goes between c and e, as a
    /// sequence of 2-opt exchanges; `forward` leaves c-s1 and s2-e.
    #[allow(clippy::too_many_arguments)]
    fn apply_or(&mut self, p: usize, s1: usize, s2: usize, nx: usize, c: usize, e: usize, forward: bool) {
        let t = &mut self.tour;
        // Orient so that s1 follows p and e follows c in the same direction.
        let same = (t.next(p) == s1) == (t.next(c) == e);
        let (p, s1, s2, nx) = if same { (p, s1, s2, nx) } else { (nx, s2, s1, p) };
        let forward = if same { forward } else { !forward };
        t.move2(p, s1, c, e); // p c .. nx s2 .. s1 e
        t.move2(p, c, nx, s2); // p nx .. c s2 .. s1 e
        if forward {
            t.move2(c, s2, s1, e); // p nx .. c s1 .. s2 e
        }
    }
}

fn in_segment(t: &Tour, x: usize, s1: usize, s2: usize, dir: usize) -> bool {
    let n = t.n();
    let (i, j, k) = (t.pos[s1], t.pos[s2], t.pos[x]);
    if dir == 0 {
        (k + n - i) % n <= (j + n - i) % n
    } else {
        (i + n - k) % n <= (i + n - j) % n
    }
}

/// The K nearest cities of each city, nearest first (ties by index), from a
/// k-d tree: median splits across the wider side, a few cities in each leaf.
/// Unlike a uniform grid it stays fast however tightly the cities cluster.
fn neighbours(xy: &[(f64, f64)], k: usize) -> Vec<Vec<usize>> {
    let n = xy.len();
    let k = k.min(n - 1);
    let mut tree = KdTree { pts: xy.iter().enumerate().map(|(i, &(x, y))| (x, y, i as u32)).collect(), nodes: Vec::new() };
    tree.build(0, n);
    let mut out = vec![Vec::new(); n];
    let mut found: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
    // In the tree's order, so that one query finds the cities of the last in cache.
    for t in 0..n {
        let (x, y, i) = tree.pts[t];
        found.clear();
        tree.nearest(0, (x, y, i), k, &mut found);
        out[i as usize] = found.iter().map(|&(_, j)| j as usize).collect();
    }
    out
}

const LEAF: usize = 8;

/// A node covers pts[lo..hi]; an inner node splits it at its middle on `axis`
/// (0: x, 1: y) at coordinate `split`, its children being the next node (the
/// lower half) and `right`.
struct Node {
    lo: u32,
    hi: u32,
    axis: u8,
    split: f64,
    right: u32,
}

struct KdTree {
    pts: Vec<(f64, f64, u32)>, // x, y, city; in the tree's order
    nodes: Vec<Node>,
}

impl KdTree {
    fn build(&mut self, lo: usize, hi: usize) {
        let me = self.nodes.len();
        self.nodes.push(Node { lo: lo as u32, hi: hi as u32, axis: 2, split: 0.0, right: 0 });
        if hi - lo <= LEAF {
            return;
        }
        let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for &(x, y, _) in &self.pts[lo..hi] {
            min = (min.0.min(x), min.1.min(y));
            max = (max.0.max(x), max.1.max(y));
        }
        let axis = if max.0 - min.0 >= max.1 - min.1 { 0 } else { 1 };
        let mid = (lo + hi) / 2;
        let key = |p: &(f64, f64, u32)| if axis == 0 { p.0 } else { p.1 };
        self.pts[lo..hi].select_nth_unstable_by(mid - lo, |a, b| key(a).total_cmp(&key(b)));
        let split = key(&self.pts[mid]);
        self.build(lo, mid);
        let right = self.nodes.len() as u32;
        self.build(mid, hi);
        let node = &mut self.nodes[me];
        node.axis = axis;
        node.split = split;
        node.right = right;
    }

    /// Adds to `found` (kept sorted, at most k long) the nearest cities to
    /// city q.2 at (q.0, q.1) under `node`.
    fn nearest(&self, node: usize, q: (f64, f64, u32), k: usize, found: &mut Vec<(f64, u32)>) {
        let nd = &self.nodes[node];
        if nd.axis == 2 {
            for &(x, y, j) in &self.pts[nd.lo as usize..nd.hi as usize] {
                let (dx, dy) = (x - q.0, y - q.1);
                let e = (dx * dx + dy * dy, j);
                if j != q.2 && (found.len() < k || e < found[k - 1]) {
                    let at = found.partition_point(|f| *f < e);
                    found.insert(at, e);
                    found.truncate(k);
                }
            }
            return;
        }
        let diff = if nd.axis == 0 { q.0 } else { q.1 } - nd.split;
        let (first, second) = if diff < 0.0 { (node + 1, nd.right as usize) } else { (nd.right as usize, node + 1) };
        self.nearest(first, q, k, found);
        if found.len() < k || diff * diff <= found[k - 1].0 {
            self.nearest(second, q, k, found);
        }
    }
}

/// The greedy tour: the shortest edges between neighbours first, as long as
/// no city gets three and no cycle closes; then the same among the ends of
/// the paths that this leaves, with the ends' own neighbour lists, until that
/// joins none; the last paths are joined in the order in which `curve` meets
/// their first end.
fn greedy(xy: &[(f64, f64)], near: &[Vec<usize>], curve: &[usize]) -> Vec<usize> {
    let n = xy.len();
    let d = |a: usize, b: usize| {
        let (dx, dy) = (xy[a].0 - xy[b].0, xy[a].1 - xy[b].1);
        ((dx * dx + dy * dy).sqrt() + 0.5) as i64
    };
    let mut edges: Vec<(i64, u32, u32)> = Vec::with_capacity(n * near.first().map_or(0, |l| l.len()));
    for (a, list) in near.iter().enumerate() {
        for &b in list {
            if a < b || !near[b].contains(&a) {
                edges.push((d(a, b), a as u32, b as u32));
            }
        }
    }
    let mut root: Vec<u32> = (0..n as u32).collect();
    fn find(root: &mut [u32], mut x: u32) -> u32 {
        while root[x as usize] != x {
            root[x as usize] = root[root[x as usize] as usize];
            x = root[x as usize];
        }
        x
    }
    const NONE: usize = usize::MAX;
    let mut adj = vec![[NONE; 2]; n];
    let degree = |adj: &[[usize; 2]], a: usize| (adj[a][0] != NONE) as usize + (adj[a][1] != NONE) as usize;
    loop {
        edges.sort_unstable();
        let mut joined = 0;
        for &(_, a, b) in &edges {
            let (a, b) = (a as usize, b as usize);
            if degree(&adj, a) == 2 || degree(&adj, b) == 2 {
                continue;
            }
            let (ra, rb) = (find(&mut root, a as u32), find(&mut root, b as u32));
            if ra == rb {
                continue;
            }
            root[ra as usize] = rb;
            let sa = degree(&adj, a);
            adj[a][sa] = b;
            let sb = degree(&adj, b);
            adj[b][sb] = a;
            joined += 1;
        }
        let ends: Vec<usize> = (0..n).filter(|&c| degree(&adj, c) < 2).collect();
        if joined == 0 || ends.len() < 3 {
            break;
        }
        let pts: Vec<(f64, f64)> = ends.iter().map(|&c| xy[c]).collect();
        edges.clear();
        for (i, list) in neighbours(&pts, 5).iter().enumerate() {
            for &j in list {
                let (a, b) = (ends[i], ends[j]);
                if a < b && find(&mut root, a as u32) != find(&mut root, b as u32) {
                    edges.push((d(a, b), a as u32, b as u32));
                }
            }
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    for &c in curve {
        if placed[c] || degree(&adj, c) == 2 {
            continue;
        }
        let (mut prev, mut cur) = (NONE, c);
        while cur != NONE {
            placed[cur] = true;
            order.push(cur);
            let next = if adj[cur][0] != prev { adj[cur][0] } else { adj[cur][1] };
            prev = cur;
            cur = next;
        }
    }
    debug_assert_eq!(order.len(), n);
    order
}

/// Position along a Hilbert curve over a 2^16 grid: a start that is already local.
fn hilbert(mut x: u32, mut y: u32) -> u64 {
    let mut d = 0u64;
    let mut s = 1u32 << 15;
    while s > 0 {
        let rx = (x & s > 0) as u32;
        let ry = (y & s > 0) as u32;
        d += s as u64 * s as u64 * ((3 * rx) ^ ry) as u64;
        if ry == 0 {
            if rx == 1 {
                x = s.wrapping_mul(2).wrapping_sub(1).wrapping_sub(x) & 0xffff;
                y = s.wrapping_mul(2).wrapping_sub(1).wrapping_sub(y) & 0xffff;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s >>= 1;
    }
    d
}

fn main() {
    let started = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    let xy: Vec<(f64, f64)> = (0..n)
        .map(|_| (it.next().unwrap() as f64, it.next().unwrap() as f64))
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_cached_key(|&i| hilbert((xy[i].0 / 1_000_001.0 * 65536.0) as u32, (xy[i].1 / 1_000_001.0 * 65536.0) as u32));
    if n >= 5 {
        order = optimise(xy, order, started);
    }
    let mut out = String::with_capacity(n * 7);
    for c in order {
        out += &c.to_string();
        out.push('\n');
    }
    io::stdout().write_all(out.as_bytes()).unwrap();
}

fn optimise(xy: Vec<(f64, f64)>, order: Vec<usize>, started: Instant) -> Vec<usize> {
    let n = order.len();
    let limit = std::time::Duration::from_millis(TIME_LIMIT_MS);
    let deadline = started + limit;
    let near = neighbours(&xy, NEIGHBOURS);
    let order = greedy(&xy, &near, &order);
    let mut pos = vec![0; n];
    for (i, &c) in order.iter().enumerate() {
        pos[c] = i;
    }
    let mut s = Search {
        tour: Tour { xy, order, pos, log: Vec::new() },
        near,
        queue: (0..n).rev().collect(),
        queued: vec![true; n],
    };
    let mut length = s.tour.length();
    length -= s.local_search(deadline);
    let (mut best, mut best_length) = (s.tour.order.clone(), length);
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let window = WINDOW.min(n / 2).max(4);
    let mut kicks = 0u64;
    while n >= 8 {
        kicks += 1;
        if kicks % 8 == 0 && started.elapsed() >= limit {
            break;
        }
        s.tour.log.clear();
        // Double bridge inside a window: A B C D -> A C B D on positions p1 < p2 < p3 < p4.
        let p1 = rng.below(n - window);
        let mut cuts = [p1 + 1 + rng.below(window - 1), p1 + 1 + rng.below(window - 1), p1 + window];
        cuts[..2].sort_unstable();
        let (p2, p3) = (cuts[0], cuts[1]);
        if p2 == p3 || p2 == p1 + 1 && p3 == p1 + 1 {
            continue;
        }
        let p4 = cuts[2];
        let t = &mut s.tour;
        let (a, b1) = (t.order[p1], t.order[p1 + 1]);
        let (b2, c1) = (t.order[p2], t.order[p2 + 1]);
        let (c2, d) = (t.order[p3], t.order[(p3 + 1) % n]);
        let _ = p4;
        let before = t.d(a, b1) + t.d(b2, c1) + t.d(c2, d);
        let after = t.d(a, c1) + t.d(c2, b1) + t.d(b2, d);
        // A C B D as three reversals of positions: rev(B C), rev(C'), rev(B').
        t.reverse_positions(p1 + 1, p3);
        let c_len = p3 - p2;
        t.reverse_positions(p1 + 1, p1 + c_len);
        t.reverse_positions(p1 + c_len + 1, p3);
        let mut new_length = length - before + after;
        for x in [a, b1, b2, c1, c2, d] {
            s.push(x);
        }
        new_length -= s.local_search(deadline);
        if new_length <= length {
            length = new_length;
            if length < best_length {
                best_length = length;
                best.copy_from_slice(&s.tour.order);
            }
        } else {
            s.tour.undo_to(0);
        }
    }
    debug_assert_eq!(s.tour.length(), length);
    best
}
