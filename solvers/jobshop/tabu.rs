// jobshop reference: tabu search over the critical-block neighbourhood.
//
// Start: a Giffler-Thompson schedule, most work remaining first: the
// non-delay one if it is more than 2% shorter than the active one (it is 5 to
// 9% shorter on square shops), else the active one.
// Move: exchange the first two or the last two operations of a block (a run of
// operations on one machine along a critical path); such exchanges never
// create a cycle. Each candidate is rated by the usual head/tail estimate of the
// new longest path through the two operations, the best allowed one is made and
// the schedule updated exactly: the topological order is mended around the
// reversed arc, and heads and tails are recomputed only where they change. The
// reverse exchange is tabu for a while, unless it would beat the best makespan.
// After a long run without progress the search goes back to the best schedule
// and shakes it with random moves.
use std::io::{self, Read};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
const TENURE_MIN: usize = 10; // ale:param 2..30
const TENURE_SPAN: usize = 8; // ale:param 0..30
const STALL: usize = 10000; // ale:param log 200..50000
const SHAKE: usize = 3; // ale:param 1..40
const NONE: usize = usize::MAX;

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

struct Shop {
    jobs: usize,
    machines: usize,
    machine: Vec<usize>, // of operation j * M + k
    time: Vec<i64>,
    step: Vec<usize>, // k of operation j * M + k
}

/// The topological order of the current schedule (`at`: each operation's
/// place in it) and the buffers of the passes, kept between passes.
#[derive(Default)]
struct Work {
    indegree: Vec<u8>,
    order: Vec<usize>,
    at: Vec<usize>,
    stack: Vec<usize>,
    mark: Vec<u32>, // == stamp: visited by the current pass
    stamp: u32,
    forward: Vec<usize>,
    backward: Vec<usize>,
    places: Vec<usize>,
    dirty: Vec<u64>,
}

impl Work {
    fn next_stamp(&mut self, n: usize) -> u32 {
        if self.mark.len() != n || self.stamp == u32::MAX {
            self.mark.clear();
            self.mark.resize(n, 0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }
}

/// Machine orders (operation ids) and everything derived from them.
#[derive(Clone)]
struct Schedule {
    seq: Vec<Vec<usize>>,
    pos: Vec<usize>, // position of each operation in its machine's sequence
    mprev: Vec<usize>, // the operation just before on the same machine, or NONE
    mnext: Vec<usize>, // the operation just after on the same machine, or NONE
    head: Vec<i64>,  // earliest start
    tail: Vec<i64>,  // longest path after the operation ends
    makespan: i64,
}

impl Shop {
    fn job_prev(&self, o: usize) -> usize {
        if self.step[o] == 0 {
            NONE
        } else {
            o - 1
        }
    }
    fn job_next(&self, o: usize) -> usize {
        if self.step[o] == self.machines - 1 {
            NONE
        } else {
            o + 1
        }
    }

    fn schedule(&self, seq: Vec<Vec<usize>>, w: &mut Work) -> Schedule {
        let n = self.jobs * self.machines;
        let mut pos = vec![0; n];
        let (mut mprev, mut mnext) = (vec![NONE; n], vec![NONE; n]);
        for s in &seq {
            for (i, &o) in s.iter().enumerate() {
                pos[o] = i;
                if i > 0 {
                    mprev[o] = s[i - 1];
                    mnext[s[i - 1]] = o;
                }
            }
        }
        let mut s = Schedule {
            seq,
            pos,
            mprev,
            mnext,
            head: vec![0; n],
            tail: vec![0; n],
            makespan: 0,
        };
        self.evaluate(&mut s, w);
        s
    }

    fn machine_prev(&self, s: &Schedule, o: usize) -> usize {
        s.mprev[o]
    }
    fn machine_next(&self, s: &Schedule, o: usize) -> usize {
        s.mnext[o]
    }

    /// Heads, tails and makespan by a topological pass (the orders are
    /// acyclic). The topological order kept for the updates is by head, so
    /// that the two operations of an exchange are close in it.
    fn evaluate(&self, s: &mut Schedule, w: &mut Work) {
        let n = self.jobs * self.machines;
        let m = self.machines;
        w.indegree.clear();
        w.indegree.resize(n, 0);
        w.stack.clear();
        w.order.clear();
        for o in 0..n {
            let d = (self.step[o] != 0) as u8 + (s.mprev[o] != NONE) as u8;
            w.indegree[o] = d;
            if d == 0 {
                w.stack.push(o);
            }
        }
        while let Some(o) = w.stack.pop() {
            w.order.push(o);
            s.head[o] = self.head_of(s, o);
            if self.step[o] + 1 != m {
                w.indegree[o + 1] -= 1;
                if w.indegree[o + 1] == 0 {
                    w.stack.push(o + 1);
                }
            }
            let mn = s.mnext[o];
            if mn != NONE {
                w.indegree[mn] -= 1;
                if w.indegree[mn] == 0 {
                    w.stack.push(mn);
                }
            }
        }
        debug_assert_eq!(w.order.len(), n, "machine orders form a cycle");
        for i in (0..n).rev() {
            let o = w.order[i];
            s.tail[o] = self.tail_of(s, o);
        }
        // Heads grow strictly along every arc, so this is a topological order too.
        w.order.sort_unstable_by_key(|&o| (s.head[o], o));
        w.at.clear();
        w.at.resize(n, 0);
        for (i, &o) in w.order.iter().enumerate() {
            w.at[o] = i;
        }
        s.makespan = self.makespan(s);
    }

    fn head_of(&self, s: &Schedule, o: usize) -> i64 {
        let mut h = 0;
        if self.step[o] != 0 {
            h = s.head[o - 1] + self.time[o - 1];
        }
        let mp = s.mprev[o];
        if mp != NONE {
            h = h.max(s.head[mp] + self.time[mp]);
        }
        h
    }

    fn tail_of(&self, s: &Schedule, o: usize) -> i64 {
        let mut t = 0;
        if self.step[o] + 1 != self.machines {
            t = s.tail[o + 1] + self.time[o + 1];
        }
        let mn = s.mnext[o];
        if mn != NONE {
            t = t.max(s.tail[mn] + self.time[mn]);
        }
        t
    }

    /// Every operation has a path to the last operation of some job.
    fn makespan(&self, s: &Schedule) -> i64 {
        let m = self.machines;
        (1..=self.jobs).map(|j| s.head[j * m - 1] + self.time[j * m - 1]).max().unwrap_or(0)
    }

    /// One critical path, from its first operation to its last, traced back
    /// from the end of a job that ends last.
    fn critical_path(&self, s: &Schedule) -> Vec<usize> {
        let m = self.machines;
        let mut o = (1..=self.jobs)
            .map(|j| j * m - 1)
            .find(|&o| s.head[o] + self.time[o] == s.makespan)
            .expect("some job ends last");
        let mut path = vec![o];
        while s.head[o] > 0 {
            // Prefer the machine arc, so that blocks are as long as they can be.
            let p = s.mprev[o];
            o = if p != NONE && s.head[p] + self.time[p] == s.head[o] {
                p
            } else {
                o - 1
            };
            path.push(o);
        }
        path.reverse();
        path
    }

    /// The exchanges of the critical-block neighbourhood: (u, v) with u just
    /// before v on their machine.
    fn moves(&self, s: &Schedule) -> Vec<(usize, usize)> {
        let path = self.critical_path(s);
        let mut blocks: Vec<(usize, usize)> = Vec::new(); // [start, end] indices in path
        let mut start = 0;
        for i in 1..=path.len() {
            if i == path.len() || self.machine[path[i]] != self.machine[path[start]] {
                blocks.push((start, i - 1));
                start = i;
            }
        }
        let mut moves = Vec::new();
        let last = blocks.len() - 1;
        for (b, &(first, end)) in blocks.iter().enumerate() {
            if end == first {
                continue;
            }
            if b > 0 {
                moves.push((path[first], path[first + 1]));
            }
            if b < last && (b == 0 || end > first + 1) {
                moves.push((path[end - 1], path[end]));
            }
            if b == 0 && last == 0 {
                break;
            }
        }
        moves
    }

    /// Estimated makespan after exchanging u and v (u just before v).
    fn estimate(&self, s: &Schedule, u: usize, v: usize) -> i64 {
        let end = |o: usize| if o == NONE { 0 } else { s.head[o] + self.time[o] };
        let after = |o: usize| if o == NONE { 0 } else { s.tail[o] + self.time[o] };
        let head_v = end(self.job_prev(v)).max(end(self.machine_prev(s, u)));
        let head_u = end(self.job_prev(u)).max(head_v + self.time[v]);
        let tail_u = after(self.job_next(u)).max(after(self.machine_next(s, v)));
        let tail_v = after(self.job_next(v)).max(tail_u + self.time[u]);
        (head_v + self.time[v] + tail_v).max(head_u + self.time[u] + tail_u)
    }

    /// Exchanges u and v, u just before v on their machine.
    fn exchange(&self, s: &mut Schedule, u: usize, v: usize, w: &mut Work) {
        let m = self.machine[u];
        let (pu, pv) = (s.pos[u], s.pos[v]);
        s.seq[m].swap(pu, pv);
        s.pos[u] = pv;
        s.pos[v] = pu;
        let (before, after) = (s.mprev[u], s.mnext[v]);
        if before != NONE {
            s.mnext[before] = v;
        }
        if after != NONE {
            s.mprev[after] = u;
        }
        s.mprev[v] = before;
        s.mnext[v] = u;
        s.mprev[u] = v;
        s.mnext[u] = after;
        self.reorder(s, w, u, v);
        self.update_heads(s, w, [v, u, after]);
        self.update_tails(s, w, [u, v, before]);
        s.makespan = self.makespan(s);
        #[cfg(debug_assertions)]
        {
            let mut t = s.clone();
            let mut w2 = Work::default();
            self.evaluate(&mut t, &mut w2);
            assert_eq!(t.head, s.head);
            assert_eq!(t.tail, s.tail);
            assert_eq!(t.makespan, s.makespan);
            for o in 0..self.jobs * self.machines {
                assert_eq!(w.order[w.at[o]], o);
                for x in [self.job_next(o), s.mnext[o]] {
                    if x != NONE { assert!(w.at[x] > w.at[o]); }
                }
            }
        }
    }

    /// Mends the topological order after the new arc v -> u (u was before v),
    /// the other new arcs agreeing with it already (Pearce and Kelly): what u
    /// reaches before v's place moves after what reaches v after u's place.
    fn reorder(&self, s: &Schedule, w: &mut Work, u: usize, v: usize) {
        let n = self.jobs * self.machines;
        let (low, high) = (w.at[u], w.at[v]);
        let stamp = w.next_stamp(n);
        w.forward.clear();
        w.stack.clear();
        w.stack.push(u);
        w.mark[u] = stamp;
        while let Some(o) = w.stack.pop() {
            w.forward.push(o);
            for x in [self.job_next(o), s.mnext[o]] {
                if x != NONE && w.mark[x] != stamp && w.at[x] < high {
                    w.mark[x] = stamp;
                    w.stack.push(x);
                }
            }
        }
        w.backward.clear();
        w.stack.push(v);
        w.mark[v] = stamp;
        while let Some(o) = w.stack.pop() {
            w.backward.push(o);
            for x in [self.job_prev(o), s.mprev[o]] {
                if x != NONE && w.mark[x] != stamp && w.at[x] > low {
                    w.mark[x] = stamp;
                    w.stack.push(x);
                }
            }
        }
        let at = &w.at;
        w.forward.sort_unstable_by_key(|&o| at[o]);
        w.backward.sort_unstable_by_key(|&o| at[o]);
        w.places.clear();
        w.places.extend(w.backward.iter().chain(w.forward.iter()).map(|&o| at[o]));
        w.places.sort_unstable();
        for (i, &o) in w.backward.iter().chain(w.forward.iter()).enumerate() {
            let p = w.places[i];
            w.order[p] = o;
            w.at[o] = p;
        }
    }

    /// New heads where they change, in topological order from the operations
    /// whose predecessors changed. `dirty` holds the places still to visit,
    /// one bit each: a visit only adds places after it.
    fn update_heads(&self, s: &mut Schedule, w: &mut Work, seeds: [usize; 3]) {
        let n = self.jobs * self.machines;
        w.dirty.clear();
        w.dirty.resize(n.div_ceil(64), 0);
        let mut pending = 0;
        let mut i = usize::MAX;
        for o in seeds {
            if o != NONE {
                let p = w.at[o];
                pending += (w.dirty[p >> 6] >> (p & 63) & 1 == 0) as usize;
                w.dirty[p >> 6] |= 1 << (p & 63);
                i = i.min(p >> 6);
            }
        }
        while pending > 0 {
            let bits = w.dirty[i];
            if bits == 0 {
                i += 1;
                continue;
            }
            w.dirty[i] = bits & (bits - 1);
            pending -= 1;
            let o = w.order[i * 64 + bits.trailing_zeros() as usize];
            let h = self.head_of(s, o);
            if h != s.head[o] {
                s.head[o] = h;
                for x in [self.job_next(o), s.mnext[o]] {
                    if x != NONE {
                        let p = w.at[x];
                        pending += (w.dirty[p >> 6] >> (p & 63) & 1 == 0) as usize;
                        w.dirty[p >> 6] |= 1 << (p & 63);
                    }
                }
            }
        }
    }

    /// New tails where they change, in reverse topological order.
    fn update_tails(&self, s: &mut Schedule, w: &mut Work, seeds: [usize; 3]) {
        let n = self.jobs * self.machines;
        w.dirty.clear();
        w.dirty.resize(n.div_ceil(64), 0);
        let mut pending = 0;
        let mut i = 0;
        for o in seeds {
            if o != NONE {
                let p = w.at[o];
                pending += (w.dirty[p >> 6] >> (p & 63) & 1 == 0) as usize;
                w.dirty[p >> 6] |= 1 << (p & 63);
                i = i.max(p >> 6);
            }
        }
        while pending > 0 {
            let bits = w.dirty[i];
            if bits == 0 {
                i -= 1;
                continue;
            }
            let b = 63 - bits.leading_zeros() as usize;
            w.dirty[i] = bits & !(1 << b);
            pending -= 1;
            let o = w.order[i * 64 + b];
            let t = self.tail_of(s, o);
            if t != s.tail[o] {
                s.tail[o] = t;
                for x in [self.job_prev(o), s.mprev[o]] {
                    if x != NONE {
                        let p = w.at[x];
                        pending += (w.dirty[p >> 6] >> (p & 63) & 1 == 0) as usize;
                        w.dirty[p >> 6] |= 1 << (p & 63);
                    }
                }
            }
        }
    }

    /// Giffler-Thompson, most work remaining first: an active schedule (the
    /// operation that can end first fixes the machine, and any operation that
    /// can start before that end may go first), or with `non_delay` a
    /// non-delay one (the earliest start fixes the machine, and only
    /// operations that can start then may go).
    fn initial(&self, w: &mut Work, non_delay: bool) -> Schedule {
        let (jobs, machines) = (self.jobs, self.machines);
        let mut step = vec![0; jobs];
        let mut job_free = vec![0i64; jobs];
        let mut machine_free = vec![0i64; machines];
        let mut remaining: Vec<i64> = (0..jobs)
            .map(|j| self.time[j * machines..(j + 1) * machines].iter().sum())
            .collect();
        let mut seq = vec![Vec::with_capacity(jobs); machines];
        for _ in 0..jobs * machines {
            let mut bound = i64::MAX;
            let mut best_machine = 0;
            for j in 0..jobs {
                if step[j] < machines {
                    let o = j * machines + step[j];
                    let m = self.machine[o];
                    let start = job_free[j].max(machine_free[m]);
                    let key = if non_delay { start + 1 } else { start + self.time[o] };
                    if key < bound {
                        bound = key;
                        best_machine = m;
                    }
                }
            }
            let mut pick = NONE;
            for j in 0..jobs {
                if step[j] < machines {
                    let o = j * machines + step[j];
                    if self.machine[o] == best_machine
                        && job_free[j].max(machine_free[best_machine]) < bound
                        && (pick == NONE || remaining[j] > remaining[pick])
                    {
                        pick = j;
                    }
                }
            }
            let o = pick * machines + step[pick];
            let start = job_free[pick].max(machine_free[best_machine]);
            job_free[pick] = start + self.time[o];
            machine_free[best_machine] = start + self.time[o];
            remaining[pick] -= self.time[o];
            step[pick] += 1;
            seq[best_machine].push(o);
        }
        self.schedule(seq, w)
    }
}

fn main() {
    let started = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<usize>().unwrap());
    let (jobs, machines) = (it.next().unwrap(), it.next().unwrap());
    let mut machine = Vec::with_capacity(jobs * machines);
    let mut time = Vec::with_capacity(jobs * machines);
    for _ in 0..jobs * machines {
        machine.push(it.next().unwrap());
        time.push(it.next().unwrap() as i64);
    }
    let shop = Shop {
        jobs,
        machines,
        machine,
        time,
        step: (0..jobs * machines).map(|o| o % machines).collect(),
    };
    let best = search(&shop, started);
    let mut out = String::new();
    for s in &best {
        let line: Vec<String> = s.iter().map(|o| (o / machines).to_string()).collect();
        out += &line.join(" ");
        out.push('\n');
    }
    print!("{out}");
}

fn search(shop: &Shop, started: Instant) -> Vec<Vec<usize>> {
    let n = shop.jobs * shop.machines;
    let limit = std::time::Duration::from_millis(TIME_LIMIT_MS);
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let mut w = Work::default();
    // The non-delay start when it is clearly the shorter (by more than 2%, as
    // on square shops), else the active one.
    let mut current = shop.initial(&mut w, false);
    let other = shop.initial(&mut w, true);
    if other.makespan * 50 < current.makespan * 49 {
        current = other;
    } else {
        shop.evaluate(&mut current, &mut w); // the work buffers follow `other`
    }
    // Only the machine orders of the best schedule are kept.
    let mut best = current.seq.clone();
    let mut best_makespan = current.makespan;
    // tabu[a * J + job of b]: until which iteration exchanging a (just before b)
    // and b is forbidden (b is on a's machine, so its job tells which it is).
    let jobs = shop.jobs;
    let mut tabu = vec![0u32; n * jobs];
    let mut since_best = 0;
    let mut iter: u32 = 0;
    while started.elapsed() < limit {
        iter += 1;
        let moves = shop.moves(&current);
        if moves.is_empty() {
            break; // one block: the makespan is a machine's load, optimal
        }
        let mut choice = None;
        let mut choice_value = i64::MAX;
        let mut fallback = (moves[0], i64::MAX);
        for &(u, v) in &moves {
            let value = shop.estimate(&current, u, v);
            let is_tabu = tabu[u * jobs + v / shop.machines] > iter;
            if (!is_tabu || value < best_makespan) && value < choice_value {
                choice = Some((u, v));
                choice_value = value;
            }
            if value < fallback.1 {
                fallback = ((u, v), value);
            }
        }
        let (u, v) = choice.unwrap_or(fallback.0);
        shop.exchange(&mut current, u, v, &mut w);
        // The exchange put v just before u: exchanging them back is tabu for a while.
        tabu[v * jobs + u / shop.machines] = iter + (TENURE_MIN + rng.below(TENURE_SPAN + 1)) as u32;
        if current.makespan < best_makespan {
            best_makespan = current.makespan;
            for (b, s) in best.iter_mut().zip(&current.seq) {
                b.copy_from_slice(s);
            }
            since_best = 0;
        } else {
            since_best += 1;
        }
        if since_best > STALL {
            current = shop.schedule(best.clone(), &mut w);
            for _ in 0..SHAKE {
                let moves = shop.moves(&current);
                if moves.is_empty() {
                    break;
                }
                let (u, v) = moves[rng.below(moves.len())];
                shop.exchange(&mut current, u, v, &mut w);
            }
            tabu.iter_mut().for_each(|t| *t = 0);
            since_best = 0;
        }
    }
    best
}
