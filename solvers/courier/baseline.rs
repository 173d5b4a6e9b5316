// courier baseline: each van in turn drives to the customer it can start
// serving soonest, among those it can still serve in their window, carry, and
// return from before the depot closes. Simple and valid.
use std::io::{self, Read};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let (n, vans, capacity, horizon) = (
        it.next().unwrap() as usize,
        it.next().unwrap() as usize,
        it.next().unwrap(),
        it.next().unwrap(),
    );
    let depot = (it.next().unwrap(), it.next().unwrap());
    // x, y, demand, value, open, close, service
    let c: Vec<[i64; 7]> = (0..n).map(|_| std::array::from_fn(|_| it.next().unwrap())).collect();
    let travel = |a: (i64, i64), b: (i64, i64)| {
        let (dx, dy) = ((a.0 - b.0) as f64, (a.1 - b.1) as f64);
        ((dx * dx + dy * dy).sqrt() + 0.5).floor() as i64
    };
    let mut served = vec![false; n];
    let mut out = String::new();
    for _ in 0..vans {
        let (mut at, mut time, mut load) = (depot, 0i64, 0i64);
        let mut route = Vec::new();
        loop {
            let mut best: Option<(i64, usize)> = None;
            for i in 0..n {
                let [x, y, demand, _, open, close, service] = c[i];
                if served[i] || load + demand > capacity {
                    continue;
                }
                let arrive = time + travel(at, (x, y));
                let start = arrive.max(open);
                if arrive > close || start + service + travel((x, y), depot) > horizon {
                    continue;
                }
                if best.is_none_or(|(s, _)| start < s) {
                    best = Some((start, i));
                }
            }
            let Some((start, i)) = best else { break };
            served[i] = true;
            route.push(i);
            time = start + c[i][6];
            load += c[i][2];
            at = (c[i][0], c[i][1]);
        }
        let stops: Vec<String> = route.iter().map(|i| i.to_string()).collect();
        out += &format!("{} {}\n", route.len(), stops.join(" "));
    }
    print!("{out}");
}
