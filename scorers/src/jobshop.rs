//! `jobshop`: job shop scheduling. Each job visits every machine once, in its
//! own order; the output orders the jobs on each machine, and the score is the
//! makespan of the earliest-start schedule those orders imply.

use crate::rng::Rng;
use crate::svg::{palette, Svg};
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MAX_JOBS: i64 = 100;
pub const MAX_MACHINES: i64 = 100;
pub const MAX_TIME: i64 = 1000;

pub struct JobShop;

/// One instance: `route[j][k]` is the machine of job j's k-th operation and
/// `time[j][k]` its processing time.
pub struct Input {
    pub jobs: usize,
    pub machines: usize,
    pub route: Vec<Vec<usize>>,
    pub time: Vec<Vec<i64>>,
}

impl Input {
    /// The position of machine m in job j's route.
    fn step_on(&self, j: usize, m: usize) -> usize {
        self.route[j]
            .iter()
            .position(|&x| x == m)
            .expect("every job visits every machine")
    }
}

/// Parses and checks an input.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let jobs = t.bounded("J", 1, MAX_JOBS)? as usize;
    let machines = t.bounded("M", 1, MAX_MACHINES)? as usize;
    let mut route = Vec::with_capacity(jobs);
    let mut time = Vec::with_capacity(jobs);
    for j in 0..jobs {
        let mut seen = vec![false; machines];
        let (mut r, mut p) = (Vec::with_capacity(machines), Vec::with_capacity(machines));
        for k in 0..machines {
            let m = t.bounded(
                &format!("the machine of job {j}'s operation {k}"),
                0,
                machines as i64 - 1,
            )? as usize;
            if seen[m] {
                return Err(format!(
                    "line {}: job {j} visits machine {m} twice; each job visits each machine exactly once",
                    t.line()
                ));
            }
            seen[m] = true;
            r.push(m);
            p.push(t.bounded(&format!("the time of job {j}'s operation {k}"), 1, MAX_TIME)?);
        }
        route.push(r);
        time.push(p);
    }
    t.finish("the jobs")?;
    Ok(Input {
        jobs,
        machines,
        route,
        time,
    })
}

/// Reads the machine orders: M lines, each a permutation of the J jobs.
pub fn parse_output(input: &Input, text: &str) -> Result<Vec<Vec<usize>>, WrongAnswer> {
    let (jobs, machines) = (input.jobs, input.machines);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let mut orders = Vec::with_capacity(machines);
    for m in 0..machines {
        let Some((index, line)) = lines.next() else {
            return Err(WrongAnswer(format!(
                "expected {machines} lines (one per machine) but the output has {m}"
            )));
        };
        let number = index + 1;
        let mut order = Vec::with_capacity(jobs);
        let mut seen = vec![false; jobs];
        for word in line.split_ascii_whitespace() {
            let job: usize = word.parse().map_err(|_| {
                WrongAnswer(format!(
                    "line {number} (machine {m}): `{}` is not a job (expected an integer in 0..={})",
                    clip(word),
                    jobs - 1
                ))
            })?;
            if job >= jobs {
                return Err(WrongAnswer(format!(
                    "line {number} (machine {m}): job {job} is out of range 0..={}",
                    jobs - 1
                )));
            }
            if seen[job] {
                return Err(WrongAnswer(format!(
                    "line {number} (machine {m}): job {job} appears twice"
                )));
            }
            seen[job] = true;
            order.push(job);
        }
        if order.len() != jobs {
            return Err(WrongAnswer(format!(
                "line {number} (machine {m}): {} jobs listed, expected all {jobs}",
                order.len()
            )));
        }
        orders.push(order);
    }
    if let Some((index, line)) = lines.next() {
        return Err(WrongAnswer(format!(
            "line {}: unexpected `{}` after the {machines} machine lines",
            index + 1,
            clip(line.trim())
        )));
    }
    Ok(orders)
}

/// The earliest-start schedule of the orders: `start[j][k]` of job j's k-th
/// operation. Orders that admit no schedule are a wrong answer naming a cycle.
pub fn schedule(input: &Input, orders: &[Vec<usize>]) -> Result<Vec<Vec<i64>>, WrongAnswer> {
    let (jobs, machines) = (input.jobs, input.machines);
    let id = |j: usize, k: usize| j * machines + k;
    let total = jobs * machines;
    // Successors: the job's next step, and the next job on the same machine.
    let mut successors: Vec<Vec<usize>> = vec![Vec::with_capacity(2); total];
    let mut predecessors = vec![0usize; total];
    for j in 0..jobs {
        for k in 0..machines - 1 {
            successors[id(j, k)].push(id(j, k + 1));
            predecessors[id(j, k + 1)] += 1;
        }
    }
    for (m, order) in orders.iter().enumerate() {
        for pair in order.windows(2) {
            let (a, b) = (
                id(pair[0], input.step_on(pair[0], m)),
                id(pair[1], input.step_on(pair[1], m)),
            );
            successors[a].push(b);
            predecessors[b] += 1;
        }
    }
    let mut start = vec![0i64; total];
    let mut ready: Vec<usize> = (0..total).filter(|&o| predecessors[o] == 0).collect();
    let mut done = 0;
    while let Some(o) = ready.pop() {
        done += 1;
        let end = start[o] + input.time[o / machines][o % machines];
        for &s in &successors[o] {
            start[s] = start[s].max(end);
            predecessors[s] -= 1;
            if predecessors[s] == 0 {
                ready.push(s);
            }
        }
    }
    if done < total {
        return Err(WrongAnswer(describe_cycle(
            input,
            &successors,
            &predecessors,
        )));
    }
    Ok(start.chunks(machines).map(|c| c.to_vec()).collect())
}

/// Finds a cycle among the operations left unscheduled and describes it.
fn describe_cycle(input: &Input, successors: &[Vec<usize>], left: &[usize]) -> String {
    let machines = input.machines;
    // An unscheduled operation waits for at least one unscheduled predecessor;
    // walking back through those must come round to an operation seen before.
    let blocked = |o: usize| left[o] > 0;
    let mut waits_for: Vec<Vec<usize>> = vec![Vec::new(); left.len()];
    for (o, next) in successors.iter().enumerate() {
        for &s in next {
            if blocked(o) && blocked(s) {
                waits_for[s].push(o);
            }
        }
    }
    let mut position = vec![usize::MAX; left.len()];
    let mut path = Vec::new();
    let mut o = (0..left.len())
        .find(|&o| blocked(o))
        .expect("a blocked operation");
    while position[o] == usize::MAX {
        position[o] = path.len();
        path.push(o);
        o = waits_for[o][0];
    }
    // path[position[o]..] walks the cycle backwards; name it forwards and closed.
    let mut cycle: Vec<usize> = path[position[o]..].to_vec();
    cycle.reverse();
    cycle.push(cycle[0]);
    let names: Vec<String> = cycle
        .iter()
        .map(|&x| {
            let (j, k) = (x / machines, x % machines);
            format!("job {j} on machine {}", input.route[j][k])
        })
        .collect();
    format!(
        "the machine orders form a cycle, so no schedule exists: {}",
        names.join(" -> ")
    )
}

/// The makespan: when the last operation ends.
pub fn makespan(input: &Input, start: &[Vec<i64>]) -> i64 {
    (0..input.jobs)
        .flat_map(|j| (0..input.machines).map(move |k| (j, k)))
        .map(|(j, k)| start[j][k] + input.time[j][k])
        .max()
        .unwrap_or(0)
}

impl Problem for JobShop {
    fn id(&self) -> &'static str {
        "jobshop"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let jobs = rng.range(10, 50) as usize;
        let machines = rng.range(5, 20) as usize;
        let max_time = [99, 99, 199, 999][rng.below(4) as usize];
        let mut text = String::with_capacity(jobs * machines * 8);
        writeln!(text, "{jobs} {machines}").unwrap();
        for _ in 0..jobs {
            let mut route: Vec<usize> = (0..machines).collect();
            for i in (1..machines).rev() {
                route.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let ops: Vec<String> = route
                .iter()
                .map(|m| format!("{m} {}", rng.range(1, max_time)))
                .collect();
            writeln!(text, "{}", ops.join(" ")).unwrap();
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let orders = parse_output(&input, output)?;
        let start = schedule(&input, &orders)?;
        Ok(makespan(&input, &start))
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        let Ok(input) = parse_input(input) else {
            return crate::tsp::invalid_input_svg();
        };
        let start = parse_output(&input, output).and_then(|orders| schedule(&input, &orders));
        visualise(&input, &start)
    }
}

/// A Gantt chart: one row per machine, one colour per job, time to the right.
pub fn visualise(input: &Input, start: &Result<Vec<Vec<i64>>, WrongAnswer>) -> String {
    let (left, top, width) = (70.0, 50.0, 900.0);
    let row = (600.0 / input.machines as f64).clamp(8.0, 30.0);
    let mut svg = Svg::new(
        left + width + 20.0,
        top + row * input.machines as f64 + 30.0,
    );
    for m in 0..input.machines {
        let y = top + m as f64 * row;
        svg.text(
            10.0,
            y + row * 0.7,
            (row * 0.6).min(13.0),
            "black",
            &format!("M{m}"),
        );
        svg.line(left, y + row, left + width, y + row, "#eeeeee", 1.0);
    }
    let caption = match start {
        Ok(start) => {
            let span = makespan(input, start).max(1) as f64;
            for (j, starts) in start.iter().enumerate() {
                let colour = palette(j);
                for (k, &begin) in starts.iter().enumerate() {
                    let (m, t) = (input.route[j][k], input.time[j][k]);
                    let x = left + begin as f64 / span * width;
                    let w = (t as f64 / span * width).max(0.5);
                    let title = format!(
                        "job {j}, operation {k} on machine {m}: {begin}..{}",
                        begin + t
                    );
                    svg.rect(
                        x,
                        top + m as f64 * row + 1.0,
                        w,
                        row - 2.0,
                        &colour,
                        Some(&title),
                    );
                }
            }
            format!(
                "{} jobs x {} machines, makespan = {}",
                input.jobs,
                input.machines,
                makespan(input, start)
            )
        }
        Err(wa) => format!(
            "{} jobs x {} machines, wrong answer: {wa}",
            input.jobs, input.machines
        ),
    };
    svg.text(10.0, 30.0, 15.0, "black", &caption);
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two jobs, two machines.
    // Job 0: machine 0 for 3, then machine 1 for 2.
    // Job 1: machine 1 for 4, then machine 0 for 1.
    const TINY: &str = "2 2\n0 3 1 2\n1 4 0 1\n";

    #[test]
    fn makespans_by_hand() {
        // M0: 0 then 1; M1: 1 then 0.
        // J0 op0 on M0 at 0..3; J1 op0 on M1 at 0..4; J0 op1 on M1 after J1: 4..6;
        // J1 op1 on M0 after J0 op0 (3) and J1 op0 (4): 4..5. Makespan 6.
        assert_eq!(JobShop.score(TINY, "0 1\n1 0\n"), Ok(6));
        // M0: 1 then 0; M1: 1 then 0. J1: M1 0..4, M0 4..5; J0: M0 5..8, M1 8..10.
        assert_eq!(JobShop.score(TINY, "1 0\n1 0\n"), Ok(10));
        // M0: 0 then 1; M1: 0 then 1. J0: M0 0..3, M1 3..5; J1: M1 5..9, M0 9..10.
        assert_eq!(JobShop.score(TINY, "0 1\n0 1\n"), Ok(10));
    }

    #[test]
    fn a_cycle_is_named() {
        // M0: 1 before 0, M1: 0 before 1. J1's M0 step waits for J1's M1 step,
        // which waits for J0's M1 step, which waits for J0's M0 step, which waits for J1's M0 step.
        let e = JobShop.score(TINY, "1 0\n0 1\n").unwrap_err().0;
        assert!(
            e.starts_with("the machine orders form a cycle, so no schedule exists: "),
            "{e}"
        );
        for op in [
            "job 0 on machine 0",
            "job 0 on machine 1",
            "job 1 on machine 0",
            "job 1 on machine 1",
        ] {
            assert!(e.contains(op), "{e}");
        }
        // The named cycle closes on itself.
        let names: Vec<&str> = e.rsplit(": ").next().unwrap().split(" -> ").collect();
        assert_eq!(names.first(), names.last());
        assert_eq!(names.len(), 5);
    }

    #[test]
    fn a_cycle_is_found_behind_operations_that_wait_for_it() {
        // Three jobs on two machines; jobs 0 and 1 deadlock as in TINY, and job 2
        // (last on both machines) only waits behind them.
        let input = "3 2\n0 3 1 2\n1 4 0 1\n0 1 1 1\n";
        let e = JobShop.score(input, "1 0 2\n0 1 2\n").unwrap_err().0;
        assert!(e.contains("cycle"), "{e}");
        assert!(!e.contains("job 2"), "job 2 is not on the cycle: {e}");
        let names: Vec<&str> = e.rsplit(": ").next().unwrap().split(" -> ").collect();
        assert_eq!((names.len(), names.first()), (5, names.last()));
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| JobShop.score(TINY, out).unwrap_err().0;
        assert_eq!(
            err("0 1\n"),
            "expected 2 lines (one per machine) but the output has 1"
        );
        assert_eq!(err("0 0\n1 0\n"), "line 1 (machine 0): job 0 appears twice");
        assert_eq!(
            err("0\n1 0\n"),
            "line 1 (machine 0): 1 jobs listed, expected all 2"
        );
        assert_eq!(
            err("0 2\n1 0\n"),
            "line 1 (machine 0): job 2 is out of range 0..=1"
        );
        assert_eq!(
            err("0 1\nx 0\n"),
            "line 2 (machine 1): `x` is not a job (expected an integer in 0..=1)"
        );
        assert_eq!(
            err("0 1\n1 0\n0 1\n"),
            "line 3: unexpected `0 1` after the 2 machine lines"
        );
        // Blank lines are skipped but line numbers stay true.
        assert_eq!(
            err("0 1\n\n1 1\n"),
            "line 3 (machine 1): job 1 appears twice"
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            JobShop.check_input("2 2\n0 3 0 2\n1 4 0 1\n"),
            Err(
                "line 2: job 0 visits machine 0 twice; each job visits each machine exactly once"
                    .into()
            )
        );
        assert_eq!(
            JobShop.check_input("1 1\n0 1001\n"),
            Err("line 2: the time of job 0's operation 0 is 1001, outside 1..=1000".into())
        );
        assert_eq!(
            JobShop.check_input("1 2\n0 5 2 5\n"),
            Err("line 2: the machine of job 0's operation 1 is 2, outside 0..=1".into())
        );
    }

    #[test]
    fn generated_inputs_are_valid_and_varied() {
        let mut shapes = std::collections::BTreeSet::new();
        for seed in 0..30 {
            let input = parse_input(&JobShop.generate(seed)).unwrap();
            assert!((10..=50).contains(&input.jobs) && (5..=20).contains(&input.machines));
            shapes.insert((input.jobs, input.machines));
        }
        assert!(shapes.len() > 20);
    }

    #[test]
    fn the_gantt_chart_has_one_bar_per_operation() {
        let svg = JobShop.visualise(TINY, "0 1\n1 0\n");
        assert!(svg.contains("2 jobs x 2 machines, makespan = 6"), "{svg}");
        assert_eq!(svg.matches("<title>job ").count(), 4, "{svg}");
        assert!(
            svg.contains("<title>job 0, operation 1 on machine 1: 4..6</title>"),
            "{svg}"
        );
        assert!(JobShop
            .visualise(TINY, "1 0\n0 1\n")
            .contains("wrong answer: the machine orders form a cycle"));
    }
}
