// qap baseline: the facility with the most flow goes to the most central
// location, the next to the next, and so on. Simple and valid.
use std::io::{self, Read};

fn main() {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text).unwrap();
    let mut it = text.split_ascii_whitespace().map(|t| t.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    let a: Vec<i64> = (0..n * n).map(|_| it.next().unwrap()).collect();
    let b: Vec<i64> = (0..n * n).map(|_| it.next().unwrap()).collect();

    // Total flow in and out of each facility; total distance to and from each location.
    let flow: Vec<i64> = (0..n).map(|i| (0..n).map(|j| a[i * n + j] + a[j * n + i]).sum()).collect();
    let dist: Vec<i64> = (0..n).map(|k| (0..n).map(|l| b[k * n + l] + b[l * n + k]).sum()).collect();
    let mut facilities: Vec<usize> = (0..n).collect();
    facilities.sort_by_key(|&i| std::cmp::Reverse(flow[i]));
    let mut locations: Vec<usize> = (0..n).collect();
    locations.sort_by_key(|&k| dist[k]);

    let mut p = vec![0; n];
    for (&i, &k) in facilities.iter().zip(&locations) {
        p[i] = k;
    }
    let out: Vec<String> = p.iter().map(|k| k.to_string()).collect();
    println!("{}", out.join(" "));
}
