//! `courier`: a fleet of vans with capacities serves customers inside their time
//! windows before the depot closes; the score is the share of the customers'
//! value that gets served.

use crate::rng::Rng;
use crate::svg::{palette, Svg};
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MAX_N: i64 = 1000;
pub const MAX_V: i64 = 50;
pub const MAX_COORD: i64 = 1000;
pub const MAX_TIME: i64 = 1_000_000;

pub struct Courier;

#[derive(Debug, Clone, Copy)]
pub struct Customer {
    pub x: i64,
    pub y: i64,
    pub demand: i64,
    pub value: i64,
    pub open: i64,
    pub close: i64,
    pub service: i64,
}

/// One instance.
pub struct Input {
    pub vans: usize,
    pub capacity: i64,
    pub horizon: i64,
    pub depot: (i64, i64),
    pub customers: Vec<Customer>,
}

/// Travel time: the Euclidean distance rounded to the nearest integer.
pub fn travel(a: (i64, i64), b: (i64, i64)) -> i64 {
    let (dx, dy) = ((a.0 - b.0) as f64, (a.1 - b.1) as f64);
    ((dx * dx + dy * dy).sqrt() + 0.5).floor() as i64
}

impl Input {
    pub fn at(&self, c: usize) -> (i64, i64) {
        (self.customers[c].x, self.customers[c].y)
    }

    pub fn total_value(&self) -> i64 {
        self.customers.iter().map(|c| c.value).sum()
    }
}

/// Parses and checks an input.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let n = t.bounded("N", 1, MAX_N)? as usize;
    let vans = t.bounded("V", 1, MAX_V)? as usize;
    let capacity = t.bounded("C", 1, MAX_TIME)?;
    let horizon = t.bounded("H", 1, MAX_TIME)?;
    let depot = (
        t.bounded("the depot's x", 0, MAX_COORD)?,
        t.bounded("the depot's y", 0, MAX_COORD)?,
    );
    let mut customers = Vec::with_capacity(n);
    for i in 0..n {
        let mut field =
            |name: &str, lo: i64, hi: i64| t.bounded(&format!("{name} of customer {i}"), lo, hi);
        let c = Customer {
            x: field("x", 0, MAX_COORD)?,
            y: field("y", 0, MAX_COORD)?,
            demand: field("the demand", 1, MAX_TIME)?,
            value: field("the value", 1, 1_000_000)?,
            open: field("the opening time", 0, MAX_TIME)?,
            close: field("the closing time", 0, MAX_TIME)?,
            service: field("the service time", 0, MAX_TIME)?,
        };
        if c.open > c.close {
            return Err(format!(
                "line {}: customer {i} opens at {} after it closes at {}",
                t.line(),
                c.open,
                c.close
            ));
        }
        customers.push(c);
    }
    t.finish("the customers")?;
    Ok(Input {
        vans,
        capacity,
        horizon,
        depot,
        customers,
    })
}

/// Reads the routes: for each van, a count m and m customers.
pub fn parse_output(input: &Input, text: &str) -> Result<Vec<Vec<usize>>, WrongAnswer> {
    let n = input.customers.len();
    let mut t = Tokens::new(text);
    let mut routes = Vec::with_capacity(input.vans);
    let mut visited_by = vec![usize::MAX; n];
    for van in 0..input.vans {
        let (line, word) = t.next_token().ok_or_else(|| {
            WrongAnswer(format!(
                "expected the route of van {van} (a count, then the customers) but the output ends; give all {} routes, `0` for an unused van",
                input.vans
            ))
        })?;
        let m: usize = word.parse().ok().filter(|&m| m <= n).ok_or_else(|| {
            WrongAnswer(format!(
                "line {line}: `{}` is not a number of stops for van {van} (0..={n})",
                clip(word)
            ))
        })?;
        let mut route = Vec::with_capacity(m);
        for _ in 0..m {
            let (line, word) = t.next_token().ok_or_else(|| {
                WrongAnswer(format!(
                    "van {van}'s route ends after {} of its {m} stops",
                    route.len()
                ))
            })?;
            let c: usize = word.parse().map_err(|_| {
                WrongAnswer(format!(
                    "line {line}: `{}` is not a customer (expected an integer in 0..={})",
                    clip(word),
                    n - 1
                ))
            })?;
            if c >= n {
                return Err(WrongAnswer(format!(
                    "line {line}: customer {c} is out of range 0..={}",
                    n - 1
                )));
            }
            if visited_by[c] != usize::MAX {
                return Err(WrongAnswer(format!(
                    "line {line}: customer {c} is served twice (by vans {} and {van})",
                    visited_by[c]
                )));
            }
            visited_by[c] = van;
            route.push(c);
        }
        routes.push(route);
    }
    if let Some((line, word)) = t.next_token() {
        return Err(WrongAnswer(format!(
            "line {line}: unexpected `{}` after the {} routes",
            clip(word),
            input.vans
        )));
    }
    Ok(routes)
}

/// One van's stops: (customer, service start); fails on a late arrival, an
/// overload or a return after the horizon.
pub fn drive(input: &Input, van: usize, route: &[usize]) -> Result<Vec<(usize, i64)>, WrongAnswer> {
    let (mut time, mut load, mut at) = (0, 0, input.depot);
    let mut stops = Vec::with_capacity(route.len());
    for &c in route {
        let cu = &input.customers[c];
        time += travel(at, input.at(c));
        if time > cu.close {
            return Err(WrongAnswer(format!(
                "van {van} reaches customer {c} at time {time}, after it closes at {}",
                cu.close
            )));
        }
        time = time.max(cu.open);
        stops.push((c, time));
        time += cu.service;
        load += cu.demand;
        if load > input.capacity {
            return Err(WrongAnswer(format!(
                "van {van} carries {load} after customer {c}, over its capacity {}",
                input.capacity
            )));
        }
        at = input.at(c);
    }
    time += travel(at, input.depot);
    if time > input.horizon {
        return Err(WrongAnswer(format!(
            "van {van} is back at the depot at time {time}, after the depot closes at {}",
            input.horizon
        )));
    }
    Ok(stops)
}

/// round(10^6 x value served / total value), or why the routes are invalid.
pub fn score_of(input: &Input, routes: &[Vec<usize>]) -> Result<i64, WrongAnswer> {
    let mut served = 0;
    for (van, route) in routes.iter().enumerate() {
        drive(input, van, route)?;
        served += route.iter().map(|&c| input.customers[c].value).sum::<i64>();
    }
    let total = input.total_value();
    Ok((2 * 1_000_000 * served + total) / (2 * total))
}

impl Problem for Courier {
    fn id(&self) -> &'static str {
        "courier"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let n = rng.range(50, 400) as usize;
        let vans = rng.range(2, 12) as usize;
        let horizon = rng.range(1000, 4000);
        let clusters: Vec<(f64, f64)> = (0..rng.range(0, 8))
            .map(|_| (rng.range(100, 900) as f64, rng.range(100, 900) as f64))
            .collect();
        let depot = (rng.range(300, 700), rng.range(300, 700));
        let wide_share = rng.range(0, 60) as u64;
        let mut customers = Vec::with_capacity(n);
        for _ in 0..n {
            let (x, y) = if !clusters.is_empty() && rng.below(100) < 70 {
                let (cx, cy) = clusters[rng.below(clusters.len() as u64) as usize];
                (
                    ((cx + 50.0 * rng.normal()).round() as i64).clamp(0, MAX_COORD),
                    ((cy + 50.0 * rng.normal()).round() as i64).clamp(0, MAX_COORD),
                )
            } else {
                (rng.range(0, MAX_COORD), rng.range(0, MAX_COORD))
            };
            let demand = rng.range(1, 30);
            let value = demand + rng.range(1, 70);
            let service = rng.range(5, 30);
            let reach = travel(depot, (x, y));
            let latest = (horizon - reach - service).max(reach);
            let (open, close) = if rng.below(100) < wide_share {
                (0, horizon)
            } else {
                let centre = rng.range(reach, latest);
                let half = rng.range(25, 300);
                ((centre - half).max(0), (centre + half).min(horizon))
            };
            customers.push(Customer {
                x,
                y,
                demand,
                value,
                open,
                close,
                service,
            });
        }
        let total_demand: i64 = customers.iter().map(|c| c.demand).sum();
        let ratio = rng.range(30, 120);
        let capacity = (total_demand * ratio / 100 / vans as i64).max(30);
        let mut text = String::with_capacity(n * 32);
        writeln!(text, "{n} {vans} {capacity} {horizon}").unwrap();
        writeln!(text, "{} {}", depot.0, depot.1).unwrap();
        for c in &customers {
            writeln!(
                text,
                "{} {} {} {} {} {} {}",
                c.x, c.y, c.demand, c.value, c.open, c.close, c.service
            )
            .unwrap();
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let routes = parse_output(&input, output)?;
        score_of(&input, &routes)
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        let Ok(input) = parse_input(input) else {
            return crate::tsp::invalid_input_svg();
        };
        let routes = parse_output(&input, output);
        let (side, left, top) = (760.0, 20.0, 50.0);
        let mut svg = Svg::new(side + 2.0 * left, side + top + 20.0);
        let at = |(x, y): (i64, i64)| {
            (
                left + x as f64 / MAX_COORD as f64 * side,
                top + (MAX_COORD - y) as f64 / MAX_COORD as f64 * side,
            )
        };
        let mut served = vec![false; input.customers.len()];
        if let Ok(routes) = &routes {
            for (van, route) in routes.iter().enumerate() {
                if route.is_empty() {
                    continue;
                }
                let mut points = vec![at(input.depot)];
                points.extend(route.iter().map(|&c| at(input.at(c))));
                points.push(at(input.depot));
                svg.polyline(&points, false, &palette(van), 2.0);
                for &c in route {
                    served[c] = true;
                }
            }
        }
        let max_value = input.customers.iter().map(|c| c.value).max().unwrap_or(1) as f64;
        for (c, cu) in input.customers.iter().enumerate() {
            let (x, y) = at((cu.x, cu.y));
            let r = 2.0 + 4.0 * (cu.value as f64 / max_value).sqrt();
            svg.circle(x, y, r, if served[c] { "#1a9641" } else { "#bbbbbb" });
        }
        let (dx, dy) = at(input.depot);
        svg.rect(dx - 6.0, dy - 6.0, 12.0, 12.0, "black", Some("depot"));
        let caption = match routes.and_then(|r| score_of(&input, &r).map(|s| (r, s))) {
            Ok((r, s)) => format!(
                "{} customers, {} vans, {} served, score = {s}",
                input.customers.len(),
                input.vans,
                r.iter().map(Vec::len).sum::<usize>()
            ),
            Err(wa) => format!("wrong answer: {wa}"),
        };
        svg.text(left, 30.0, 15.0, "black", &caption);
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Depot at (0, 0); capacity 10; depot closes at 100.
    // 0: (3, 4) demand 4 value 10, window [0, 50], service 2
    // 1: (6, 8) demand 5 value 20, window [20, 30], service 1
    // 2: (0, 40) demand 7 value 30, window [0, 100], service 0
    const TINY: &str = "3 2 10 100\n0 0\n3 4 4 10 0 50 2\n6 8 5 20 20 30 1\n0 40 7 30 0 100 0\n";

    #[test]
    fn scores_by_hand() {
        // Van 0: depot -> 0 (5, serve 5..7) -> 1 (arrive 12, wait to 20, serve 20..21) -> depot (21 + 10 = 31).
        // Van 1: depot -> 2 (40) -> depot (80). All value served: 10^6.
        assert_eq!(Courier.score(TINY, "2 0 1\n1 2\n"), Ok(1_000_000));
        // Only customer 1: value 20 of 60 -> 333333.
        assert_eq!(Courier.score(TINY, "1 1\n0\n"), Ok(333_333));
        assert_eq!(Courier.score(TINY, "0\n0\n"), Ok(0));
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| Courier.score(TINY, out).unwrap_err().0;
        // 2 then 1: at 2 at time 40, then 33 more to reach 1: 73, after its window closes at 30.
        assert_eq!(
            err("2 2 1\n0\n"),
            "van 0 reaches customer 1 at time 73, after it closes at 30"
        );
        // 0 then 2: 4 + 7 = 11 > 10.
        assert_eq!(
            err("2 0 2\n0\n"),
            "van 0 carries 11 after customer 2, over its capacity 10"
        );
        // 0, 1 and 2 together: 4 + 5 + 7 = 16 > 10 (0 and 1 fit, 2 does not).
        assert_eq!(
            err("3 0 1 2\n0\n"),
            "van 0 carries 16 after customer 2, over its capacity 10"
        );
        assert_eq!(
            err("1 0\n1 0\n"),
            "line 2: customer 0 is served twice (by vans 0 and 1)"
        );
        assert_eq!(
            err("1 0\n"),
            "expected the route of van 1 (a count, then the customers) but the output ends; give all 2 routes, `0` for an unused van"
        );
        assert_eq!(err("2 0\n"), "van 0's route ends after 1 of its 2 stops");
        assert_eq!(err("1 3\n0\n"), "line 1: customer 3 is out of range 0..=2");
        assert_eq!(
            err("x\n0\n"),
            "line 1: `x` is not a number of stops for van 0 (0..=3)"
        );
        assert_eq!(
            err("0\n0\n0\n"),
            "line 3: unexpected `0` after the 2 routes"
        );
    }

    #[test]
    fn the_depot_closes() {
        // One far customer: 0 -> (0, 600) takes 600, back 600: 1200 > 1000.
        let input = "1 1 10 1000\n0 0\n0 600 1 1 0 1000 0\n";
        assert_eq!(
            Courier.score(input, "1 0\n").unwrap_err().0,
            "van 0 is back at the depot at time 1200, after the depot closes at 1000"
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            Courier.check_input("1 1 10 100\n0 0\n1 1 1 1 50 40 0\n"),
            Err("line 3: customer 0 opens at 50 after it closes at 40".into())
        );
        assert_eq!(
            Courier.check_input("1 1 10 100\n0 0\n1 1 1 1 0 40\n"),
            Err("expected the service time of customer 0 but the text ends (after line 3)".into())
        );
    }

    #[test]
    fn generated_inputs_are_valid_and_varied() {
        let mut shapes = std::collections::BTreeSet::new();
        for seed in 0..30 {
            let input = parse_input(&Courier.generate(seed)).unwrap();
            assert!((50..=400).contains(&input.customers.len()));
            shapes.insert((input.customers.len(), input.vans));
        }
        assert!(shapes.len() > 20);
    }

    #[test]
    fn the_picture_shows_routes_and_served_customers() {
        let svg = Courier.visualise(TINY, "1 1\n0\n");
        assert!(
            svg.contains("3 customers, 2 vans, 1 served, score = 333333"),
            "{svg}"
        );
        assert_eq!(
            svg.matches(r##"fill="#1a9641""##).count(),
            1,
            "one served customer"
        );
        assert_eq!(svg.matches("<path").count(), 1, "one van drives");
        assert!(Courier
            .visualise(TINY, "2 2 1\n0\n")
            .contains("wrong answer: van 0 reaches customer 1"));
    }
}
