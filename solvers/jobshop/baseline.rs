// jobshop baseline: every machine takes the jobs in the order of the step at
// which they reach it (first steps first, ties by job number). Each machine arc
// then goes from an earlier step to a later one, so the orders never deadlock.
use std::io::{self, Read};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<usize>().unwrap());
    let (jobs, machines) = (it.next().unwrap(), it.next().unwrap());
    // step[m][j]: at which step job j reaches machine m.
    let mut step = vec![vec![0; jobs]; machines];
    for j in 0..jobs {
        for k in 0..machines {
            let m = it.next().unwrap();
            let _time = it.next().unwrap();
            step[m][j] = k;
        }
    }
    let mut out = String::new();
    for m in 0..machines {
        let mut order: Vec<usize> = (0..jobs).collect();
        order.sort_by_key(|&j| (step[m][j], j));
        let line: Vec<String> = order.iter().map(|j| j.to_string()).collect();
        out += &line.join(" ");
        out.push('\n');
    }
    print!("{out}");
}
