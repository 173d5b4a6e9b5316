// jobshop reference: tabu search over the critical-block neighbourhood.
//
// Start: a Giffler-Thompson active schedule, most work remaining first.
// Move: exchange the first two or the last two operations of a block (a run of
// operations on one machine along a critical path); such exchanges never
// create a cycle. Each candidate is rated by the usual head/tail estimate of the
// new longest path through the two operations, the best allowed one is made and
// the schedule recomputed exactly. The reverse exchange is tabu for a while,
// unless it would beat the best makespan. After a long run without progress the
// search goes back to the best schedule and shakes it with random moves.
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
    fresh: Vec<usize>,
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

    /// Heads, tails and makespan by a topological pass (the orders are acyclic).
    fn evaluate(&self, s: &mut Schedule, w: &mut Work) {
        let n = self.jobs * self.machines;
        w.order.clear();
        w.order.extend(0..n);
        w.at.clear();
        w.at.extend(0..n);
        self.reevaluate(s, w, 0, n);
    }

    /// Heads from place `from` of the topological order on, and tails up to
    /// the place of `upto` (after the update), when the arcs changed only
    /// between operations at places `from` and later: the operations before
    /// keep their heads and their places, and only operations up to `upto`
    /// can reach the change. The order from `from` on is made anew (Kahn).
    fn reevaluate(&self, s: &mut Schedule, w: &mut Work, from: usize, upto: usize) {
        let n = self.jobs * self.machines;
        let m = self.machines;
        w.indegree.resize(n, 0);
        w.stack.clear();
        w.fresh.clear();
        for i in from..n {
            let o = w.order[i];
            let d = (self.step[o] != 0 && w.at[o - 1] >= from) as u8 + (s.mprev[o] != NONE && w.at[s.mprev[o]] >= from) as u8;
            w.indegree[o] = d;
            if d == 0 {
                w.stack.push(o);
            }
        }
        // An operation is taken when both its predecessors are done, so its
        // head is known right then. Every successor of one of these
        // operations is one of them.
        while let Some(o) = w.stack.pop() {
            w.fresh.push(o);
            let mut h = 0;
            let k = self.step[o];
            if k != 0 {
                h = s.head[o - 1] + self.time[o - 1];
            }
            let mp = s.mprev[o];
            if mp != NONE {
                h = h.max(s.head[mp] + self.time[mp]);
            }
            s.head[o] = h;
            if k + 1 != m {
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
        debug_assert_eq!(w.fresh.len(), n - from, "machine orders form a cycle");
        for (i, &o) in w.fresh.iter().enumerate() {
            w.order[from + i] = o;
            w.at[o] = from + i;
        }
        let last = if upto == n { n - 1 } else { w.at[upto] };
        for &o in w.order[..=last].iter().rev() {
            let mut t = 0;
            if self.step[o] + 1 != m {
                t = s.tail[o + 1] + self.time[o + 1];
            }
            let mn = s.mnext[o];
            if mn != NONE {
                t = t.max(s.tail[mn] + self.time[mn]);
            }
            s.tail[o] = t;
        }
        // Every operation has a path to the last operation of some job.
        s.makespan = (1..=self.jobs).map(|j| s.head[j * m - 1] + self.time[j * m - 1]).max().unwrap_or(0);
    }

    /// One critical path, from its first operation to its last.
    fn critical_path(&self, s: &Schedule) -> Vec<usize> {
        let n = self.jobs * self.machines;
        let mut o = (0..n)
            .find(|&o| s.head[o] == 0 && self.time[o] + s.tail[o] == s.makespan)
            .expect("a critical operation starts at 0");
        let mut path = vec![o];
        while s.tail[o] > 0 {
            // Prefer the machine arc, so that blocks are as long as they can be.
            let m = self.machine_next(s, o);
            let j = self.job_next(o);
            o = if m != NONE && s.tail[o] == self.time[m] + s.tail[m] {
                m
            } else {
                j
            };
            path.push(o);
        }
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
        // Only what follows u (the earlier of the two in the old order) can
        // change its head, and only what reaches u its tail.
        self.reevaluate(s, w, w.at[u], u);
    }

    /// Giffler-Thompson: an active schedule, most work remaining first.
    fn initial(&self, w: &mut Work) -> Schedule {
        let (jobs, machines) = (self.jobs, self.machines);
        let mut step = vec![0; jobs];
        let mut job_free = vec![0i64; jobs];
        let mut machine_free = vec![0i64; machines];
        let mut remaining: Vec<i64> = (0..jobs)
            .map(|j| self.time[j * machines..(j + 1) * machines].iter().sum())
            .collect();
        let mut seq = vec![Vec::with_capacity(jobs); machines];
        for _ in 0..jobs * machines {
            let mut best_end = i64::MAX;
            let mut best_machine = 0;
            for j in 0..jobs {
                if step[j] < machines {
                    let o = j * machines + step[j];
                    let m = self.machine[o];
                    let end = job_free[j].max(machine_free[m]) + self.time[o];
                    if end < best_end {
                        best_end = end;
                        best_machine = m;
                    }
                }
            }
            let mut pick = NONE;
            for j in 0..jobs {
                if step[j] < machines {
                    let o = j * machines + step[j];
                    if self.machine[o] == best_machine
                        && job_free[j].max(machine_free[best_machine]) < best_end
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
    for s in &best.seq {
        let line: Vec<String> = s.iter().map(|o| (o / machines).to_string()).collect();
        out += &line.join(" ");
        out.push('\n');
    }
    print!("{out}");
}

fn search(shop: &Shop, started: Instant) -> Schedule {
    let n = shop.jobs * shop.machines;
    let limit = std::time::Duration::from_millis(TIME_LIMIT_MS);
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let mut w = Work::default();
    let mut current = shop.initial(&mut w);
    let mut best = current.clone();
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
            if (!is_tabu || value < best.makespan) && value < choice_value {
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
        if current.makespan < best.makespan {
            best = current.clone();
            since_best = 0;
        } else {
            since_best += 1;
        }
        if since_best > STALL {
            current = best.clone();
            shop.evaluate(&mut current, &mut w);
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
