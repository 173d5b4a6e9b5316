// courier reference: ruin and recreate under simulated annealing.
//
// Every route keeps, for each stop, when service starts and the latest start
// that keeps the rest of the route on time, so inserting a customer anywhere is
// checked in constant time. Recreate: insert, again and again, the customer
// with the best value per minute of detour at its best feasible place. Ruin:
// take out a served customer and some of its nearest served neighbours. The
// new plan replaces the old one when its served value (then its driving time)
// is better, or with the annealing probability when it is worse.
use std::io::{self, Read};
use std::time::Instant;

const TIME_LIMIT_MS: u64 = 1800;
const RUIN_MAX: usize = 8; // ale:param 1..30
const T0: f64 = 20.0; // ale:param log 0.5..500
const T1: f64 = 0.5; // ale:param log 0.01..20
const DETOUR_POWER: f64 = 1.0; // ale:param 0.2..2.0
const NEIGHBOURS: usize = 12;

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

struct Instance {
    n: usize,
    vans: usize,
    capacity: i64,
    horizon: i64,
    d: Vec<i64>, // (n + 1) x (n + 1); index n is the depot
    demand: Vec<i64>,
    value: Vec<i64>,
    open: Vec<i64>,
    close: Vec<i64>,
    service: Vec<i64>,
    near: Vec<Vec<usize>>,
}

impl Instance {
    fn t(&self, a: usize, b: usize) -> i64 {
        self.d[a * (self.n + 1) + b]
    }
}

#[derive(Clone, Default)]
struct Route {
    stops: Vec<usize>,
    start: Vec<i64>,
    latest: Vec<i64>,
    load: i64,
    driving: i64,
}

impl Route {
    fn refresh(&mut self, p: &Instance) {
        let depot = p.n;
        let k = self.stops.len();
        self.start.resize(k, 0);
        self.latest.resize(k, 0);
        let (mut time, mut at, mut driving) = (0, depot, 0);
        self.load = 0;
        for i in 0..k {
            let c = self.stops[i];
            driving += p.t(at, c);
            time = (time + p.t(at, c)).max(p.open[c]);
            self.start[i] = time;
            time += p.service[c];
            self.load += p.demand[c];
            at = c;
        }
        driving += p.t(at, depot);
        self.driving = driving;
        let mut latest_next = p.horizon; // latest arrival back at the depot
        let mut next = depot;
        for i in (0..k).rev() {
            let c = self.stops[i];
            self.latest[i] = p.close[c].min(latest_next - p.t(c, next) - p.service[c]);
            latest_next = self.latest[i];
            next = c;
        }
    }

    /// Detour of inserting c before position pos, if feasible.
    fn insertion(&self, p: &Instance, c: usize, pos: usize) -> Option<i64> {
        if self.load + p.demand[c] > p.capacity {
            return None;
        }
        let depot = p.n;
        let (prev, depart) = if pos == 0 {
            (depot, 0)
        } else {
            let q = self.stops[pos - 1];
            (q, self.start[pos - 1] + p.service[q])
        };
        let arrive = depart + p.t(prev, c);
        if arrive > p.close[c] {
            return None;
        }
        let leave = arrive.max(p.open[c]) + p.service[c];
        let next = if pos == self.stops.len() { depot } else { self.stops[pos] };
        let reach = leave + p.t(c, next);
        let ok = if next == depot {
            reach <= p.horizon
        } else {
            reach.max(p.open[next]) <= self.latest[pos]
        };
        ok.then(|| p.t(prev, c) + p.t(c, next) - p.t(prev, next))
    }
}

struct Plan {
    routes: Vec<Route>,
    served: Vec<bool>,
    value: i64,
    driving: i64,
}

impl Plan {
    fn objective(&self) -> f64 {
        self.value as f64 - self.driving as f64 * 1e-6
    }

    fn recreate(&mut self, p: &Instance) {
        loop {
            let mut best: Option<(f64, usize, usize, usize)> = None;
            for c in 0..p.n {
                if self.served[c] {
                    continue;
                }
                for (r, route) in self.routes.iter().enumerate() {
                    for pos in 0..=route.stops.len() {
                        if let Some(detour) = route.insertion(p, c, pos) {
                            let cost = (detour + p.service[c] + 1) as f64;
                            let rate = p.value[c] as f64 / cost.powf(DETOUR_POWER);
                            if best.is_none_or(|b| rate > b.0) {
                                best = Some((rate, c, r, pos));
                            }
                        }
                    }
                }
            }
            let Some((_, c, r, pos)) = best else { break };
            let route = &mut self.routes[r];
            self.driving -= route.driving;
            route.stops.insert(pos, c);
            route.refresh(p);
            self.driving += route.driving;
            self.served[c] = true;
            self.value += p.value[c];
        }
    }

    fn remove(&mut self, p: &Instance, victims: &[usize]) {
        for route in &mut self.routes {
            let before = route.stops.len();
            route.stops.retain(|c| !victims.contains(c));
            if route.stops.len() != before {
                self.driving -= route.driving;
                route.refresh(p);
                self.driving += route.driving;
            }
        }
        for &c in victims {
            if self.served[c] {
                self.served[c] = false;
                self.value -= p.value[c];
            }
        }
    }
}

fn main() {
    let started = Instant::now();
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let (n, vans, capacity, horizon) = (
        it.next().unwrap() as usize,
        it.next().unwrap() as usize,
        it.next().unwrap(),
        it.next().unwrap(),
    );
    let mut xy = vec![(0i64, 0i64); n + 1];
    xy[n] = (it.next().unwrap(), it.next().unwrap());
    let (mut demand, mut value, mut open, mut close, mut service) =
        (vec![0; n], vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
    for i in 0..n {
        xy[i] = (it.next().unwrap(), it.next().unwrap());
        demand[i] = it.next().unwrap();
        value[i] = it.next().unwrap();
        open[i] = it.next().unwrap();
        close[i] = it.next().unwrap();
        service[i] = it.next().unwrap();
    }
    let mut d = vec![0; (n + 1) * (n + 1)];
    for a in 0..=n {
        for b in 0..=n {
            let (dx, dy) = ((xy[a].0 - xy[b].0) as f64, (xy[a].1 - xy[b].1) as f64);
            d[a * (n + 1) + b] = ((dx * dx + dy * dy).sqrt() + 0.5).floor() as i64;
        }
    }
    let near = (0..n)
        .map(|a| {
            let mut others: Vec<usize> = (0..n).filter(|&b| b != a).collect();
            others.sort_by_key(|&b| d[a * (n + 1) + b]);
            others.truncate(NEIGHBOURS);
            others
        })
        .collect();
    let p = Instance { n, vans, capacity, horizon, d, demand, value, open, close, service, near };
    let mut plan = Plan {
        routes: vec![Route::default(); p.vans],
        served: vec![false; n],
        value: 0,
        driving: 0,
    };
    for r in &mut plan.routes {
        r.refresh(&p);
        plan.driving += r.driving;
    }
    plan.recreate(&p);
    let mut best = (plan.objective(), plan.routes.iter().map(|r| r.stops.clone()).collect::<Vec<_>>());
    let mut rng = Rng(0xDA942042E4DD58B5);
    let limit = TIME_LIMIT_MS as f64 / 1000.0;
    loop {
        let progress = started.elapsed().as_secs_f64() / limit;
        if progress >= 1.0 {
            break;
        }
        let temperature = T0 * (T1 / T0).powf(progress);
        let served: Vec<usize> = (0..n).filter(|&c| plan.served[c]).collect();
        if served.is_empty() {
            break;
        }
        let seed = served[rng.below(served.len())];
        let count = 1 + rng.below(RUIN_MAX);
        let mut victims = vec![seed];
        for &c in &p.near[seed] {
            if victims.len() >= count {
                break;
            }
            if plan.served[c] {
                victims.push(c);
            }
        }
        let old = (plan.routes.clone(), plan.served.clone(), plan.value, plan.driving);
        let old_objective = plan.objective();
        plan.remove(&p, &victims);
        plan.recreate(&p);
        let change = plan.objective() - old_objective;
        if change >= 0.0 || rng.unit() < (change / temperature).exp() {
            if plan.objective() > best.0 {
                best = (plan.objective(), plan.routes.iter().map(|r| r.stops.clone()).collect());
            }
        } else {
            (plan.routes, plan.served, plan.value, plan.driving) = old;
        }
    }
    let mut out = String::new();
    for stops in best.1 {
        let s: Vec<String> = stops.iter().map(|c| c.to_string()).collect();
        out += &format!("{} {}\n", stops.len(), s.join(" "));
    }
    print!("{out}");
}
