//! `qap`: the quadratic assignment problem. Facilities with flows between them
//! go to locations with distances between them; the cost is flow x distance.

use crate::rng::Rng;
use crate::svg::{heat, Svg};
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MIN_N: i64 = 2;
pub const MAX_N: i64 = 256;
pub const MAX_ENTRY: i64 = 1_000_000;

pub struct Qap;

/// One instance: N, the flow matrix A and the distance matrix B, row-major.
pub struct Input {
    pub n: usize,
    pub flow: Vec<i64>,
    pub dist: Vec<i64>,
}

/// Parses and checks an input (matrices in any whitespace layout).
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let n = t.bounded("N", MIN_N, MAX_N)? as usize;
    let mut matrix = |name: &str| -> Result<Vec<i64>, String> {
        let mut m = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                m.push(t.bounded(&format!("{name}[{i}][{j}]"), 0, MAX_ENTRY)?);
            }
        }
        Ok(m)
    };
    let flow = matrix("A")?;
    let dist = matrix("B")?;
    t.finish("the two matrices")?;
    Ok(Input { n, flow, dist })
}

/// The cost of an assignment: sum over i, j of A[i][j] * B[p[i]][p[j]].
pub fn cost(input: &Input, p: &[usize]) -> i64 {
    let n = input.n;
    let mut total: i128 = 0;
    for i in 0..n {
        let (a, b) = (
            &input.flow[i * n..(i + 1) * n],
            &input.dist[p[i] * n..(p[i] + 1) * n],
        );
        for j in 0..n {
            total += (a[j] * b[p[j]]) as i128;
        }
    }
    // At most 256^2 terms of 10^12: below 2^63.
    total as i64
}

/// Reads an assignment (a permutation of 0..N-1) from an output.
pub fn parse_output(n: usize, text: &str) -> Result<Vec<usize>, WrongAnswer> {
    let mut t = Tokens::new(text);
    let mut p = Vec::with_capacity(n);
    let mut taken_by: Vec<Option<usize>> = vec![None; n];
    for facility in 0..n {
        let (line, word) = t.next_token().ok_or_else(|| {
            WrongAnswer(format!(
                "expected {n} locations but the output ends after {facility} (line {})",
                t.line()
            ))
        })?;
        let location: usize = word.parse().map_err(|_| {
            WrongAnswer(format!(
                "line {line}: `{}` is not a location (expected an integer in 0..={})",
                clip(word),
                n - 1
            ))
        })?;
        if location >= n {
            return Err(WrongAnswer(format!(
                "line {line}: location {location} of facility {facility} is out of range 0..={}",
                n - 1
            )));
        }
        if let Some(other) = taken_by[location] {
            return Err(WrongAnswer(format!(
                "line {line}: location {location} is given to facility {facility} and to facility {other}; p must be a permutation"
            )));
        }
        taken_by[location] = Some(facility);
        p.push(location);
    }
    if let Some((line, word)) = t.next_token() {
        return Err(WrongAnswer(format!(
            "line {line}: unexpected `{}` after the {n} locations",
            clip(word)
        )));
    }
    Ok(p)
}

impl Problem for Qap {
    fn id(&self) -> &'static str {
        "qap"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let n = rng.range(12, 100) as usize;
        let kind = rng.below(3);
        let (flow, dist) = match kind {
            0 => (uniform(&mut rng, n, 0, 99), uniform(&mut rng, n, 0, 99)),
            1 => {
                let dist = grid_distances(&mut rng, n);
                (sparse_flows(&mut rng, n), dist)
            }
            _ => {
                let dist = clustered_distances(&mut rng, n);
                (heavy_tailed_flows(&mut rng, n), dist)
            }
        };
        let mut text = String::with_capacity(n * n * 8);
        writeln!(text, "{n}").unwrap();
        for m in [&flow, &dist] {
            text.push('\n');
            for row in m.chunks(n) {
                let row: Vec<String> = row.iter().map(|v| v.to_string()).collect();
                writeln!(text, "{}", row.join(" ")).unwrap();
            }
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let p = parse_output(input.n, output)?;
        Ok(cost(&input, &p))
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        match parse_input(input) {
            Ok(input) => visualise(&input, &parse_output(input.n, output)),
            Err(_) => crate::tsp::invalid_input_svg(),
        }
    }
}

/// Uniform entries in lo..=hi, zero diagonal.
fn uniform(rng: &mut Rng, n: usize, lo: i64, hi: i64) -> Vec<i64> {
    let mut m = vec![0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                m[i * n + j] = rng.range(lo, hi);
            }
        }
    }
    m
}

/// Manhattan distances between the first N cells of a rows x cols grid.
fn grid_distances(rng: &mut Rng, n: usize) -> Vec<i64> {
    let cols = ((n as f64).sqrt().ceil() as usize + rng.below(2) as usize).max(2);
    let cell = |k: usize| ((k / cols) as i64, (k % cols) as i64);
    let mut m = vec![0; n * n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (cell(i), cell(j));
            m[i * n + j] = (a.0 - b.0).abs() + (a.1 - b.1).abs();
        }
    }
    m
}

/// Symmetric flows, most of them zero, the rest small.
fn sparse_flows(rng: &mut Rng, n: usize) -> Vec<i64> {
    let density = rng.range(10, 50) as u64;
    let mut m = vec![0; n * n];
    for i in 0..n {
        for j in i + 1..n {
            if rng.below(100) < density {
                let f = rng.range(1, 10);
                m[i * n + j] = f;
                m[j * n + i] = f;
            }
        }
    }
    m
}

/// Rounded Euclidean distances between locations drawn in a few clusters.
fn clustered_distances(rng: &mut Rng, n: usize) -> Vec<i64> {
    let centres: Vec<(f64, f64)> = (0..rng.range(2, 6))
        .map(|_| (rng.range(0, 1000) as f64, rng.range(0, 1000) as f64))
        .collect();
    let points: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            let (cx, cy) = centres[rng.below(centres.len() as u64) as usize];
            (cx + 60.0 * rng.normal(), cy + 60.0 * rng.normal())
        })
        .collect();
    let mut m = vec![0; n * n];
    for i in 0..n {
        for j in 0..n {
            let (dx, dy) = (points[i].0 - points[j].0, points[i].1 - points[j].1);
            m[i * n + j] = ((dx * dx + dy * dy).sqrt() + 0.5).floor() as i64;
        }
    }
    m
}

/// Asymmetric flows, mostly zero, a few large: a product of uniforms cubed.
fn heavy_tailed_flows(rng: &mut Rng, n: usize) -> Vec<i64> {
    let mut m = vec![0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j && rng.below(100) < 30 {
                let u = rng.unit();
                m[i * n + j] = (1.0 + 999.0 * u * u * u).floor() as i64;
            }
        }
    }
    m
}

/// The flow matrix as a heat map with facilities reordered by location, next
/// to the distance matrix: a good assignment puts large flows where distances
/// are small, so the two pictures look like negatives of each other.
pub fn visualise(input: &Input, p: &Result<Vec<usize>, WrongAnswer>) -> String {
    let n = input.n;
    let cell = (360.0 / n as f64).max(1.0);
    let side = cell * n as f64;
    let (top, gap) = (50.0, 30.0);
    let mut svg = Svg::new(3.0 * gap + 2.0 * side, top + side + 40.0);
    let max_of = |m: &[i64]| m.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (max_flow, max_dist) = (max_of(&input.flow), max_of(&input.dist));
    // facility_at[location] = facility, so that row r of the left picture is the
    // facility placed at location r.
    let facility_at: Option<Vec<usize>> = p.as_ref().ok().map(|p| {
        let mut at = vec![0; n];
        for (facility, &location) in p.iter().enumerate() {
            at[location] = facility;
        }
        at
    });
    for r in 0..n {
        for c in 0..n {
            let (fr, fc) = match &facility_at {
                Some(at) => (at[r], at[c]),
                None => (r, c),
            };
            let flow = input.flow[fr * n + fc];
            let dist = input.dist[r * n + c];
            let y = top + r as f64 * cell;
            svg.rect(
                gap + c as f64 * cell,
                y,
                cell,
                cell,
                &heat(flow as f64 / max_flow),
                None,
            );
            svg.rect(
                2.0 * gap + side + c as f64 * cell,
                y,
                cell,
                cell,
                &heat(dist as f64 / max_dist),
                None,
            );
        }
    }
    let caption = match p {
        Ok(p) => format!("N = {n}, cost = {}", cost(input, p)),
        Err(wa) => format!("N = {n}, wrong answer: {wa}"),
    };
    svg.text(gap, 30.0, 15.0, "black", &caption);
    svg.text(
        gap,
        top + side + 25.0,
        13.0,
        "black",
        "flows, facilities in location order",
    );
    svg.text(
        2.0 * gap + side,
        top + side + 25.0,
        13.0,
        "black",
        "distances between locations",
    );
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Three facilities, three locations on a line at 0, 1, 3.
    // Flows: 0-1 heavy (10), 1-2 light (1), symmetric.
    const TINY: &str = "3\n0 10 0\n10 0 1\n0 1 0\n\n0 1 3\n1 0 2\n3 2 0\n";

    #[test]
    fn costs_by_hand() {
        // p = identity: 2 * (10 * 1 + 1 * 2) = 24.
        assert_eq!(Qap.score(TINY, "0 1 2"), Ok(24));
        // p = [1, 0, 2]: facility 0 at 1, 1 at 0, 2 at 2: 2 * (10 * d(1,0) + 1 * d(0,2)) = 2 * (10 + 3) = 26.
        assert_eq!(Qap.score(TINY, "1\n0\n2\n"), Ok(26));
        // p = [2, 0, 1]: 2 * (10 * d(2,0) + 1 * d(0,1)) = 2 * (30 + 1) = 62.
        assert_eq!(Qap.score(TINY, "2 0 1"), Ok(62));
    }

    #[test]
    fn asymmetric_and_diagonal_terms_count() {
        // A[0][0] = 2 with B[1][1] = 5; A[0][1] = 3 with B[1][0] = 7.
        let input = "2\n2 3\n0 0\n\n0 4\n7 5\n";
        // p = [1, 0]: A00*B11 + A01*B10 = 2*5 + 3*7 = 31.
        assert_eq!(Qap.score(input, "1 0"), Ok(31));
        // p = [0, 1]: A00*B00 + A01*B01 = 0 + 12.
        assert_eq!(Qap.score(input, "0 1"), Ok(12));
    }

    #[test]
    fn largest_costs_do_not_overflow() {
        let n = 256;
        let row = vec!["1000000"; n].join(" ");
        let mut input = format!("{n}\n");
        for _ in 0..2 * n {
            input += &row;
            input += "\n";
        }
        let p: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        assert_eq!(Qap.score(&input, &p.join(" ")), Ok(65_536_000_000_000_000));
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| Qap.score(TINY, out).unwrap_err().0;
        assert_eq!(
            err("0 1 1"),
            "line 1: location 1 is given to facility 2 and to facility 1; p must be a permutation"
        );
        assert_eq!(
            err("0 1"),
            "expected 3 locations but the output ends after 2 (line 1)"
        );
        assert_eq!(
            err("0 x 2"),
            "line 1: `x` is not a location (expected an integer in 0..=2)"
        );
        assert_eq!(
            err("0 1 3"),
            "line 1: location 3 of facility 2 is out of range 0..=2"
        );
        assert_eq!(
            err("0 1 2\n0"),
            "line 2: unexpected `0` after the 3 locations"
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            Qap.check_input("2\n0 1\n1 0\n0 1\n1\n"),
            Err("expected B[1][1] but the text ends (after line 5)".into())
        );
        assert_eq!(
            Qap.check_input("2 0 1 1 0 0 1 1 -1"),
            Err("line 1: B[1][1] is -1, outside 0..=1000000".into())
        );
        assert!(Qap.check_input("2 0 1 1 0 0 1 1 0").is_ok());
    }

    #[test]
    fn generated_inputs_are_valid_and_of_every_kind() {
        let mut sizes = std::collections::BTreeSet::new();
        for seed in 0..30 {
            let input = parse_input(&Qap.generate(seed)).unwrap();
            assert!((12..=100).contains(&input.n));
            sizes.insert(input.n);
        }
        assert!(sizes.len() > 15);
    }

    #[test]
    fn the_picture_shows_the_cost_and_both_matrices() {
        let svg = Qap.visualise(TINY, "0 1 2");
        assert!(svg.contains("N = 3, cost = 24"), "{svg}");
        // Two 3 x 3 heat maps.
        assert_eq!(svg.matches("<rect").count(), 1 + 18, "{svg}");
        assert!(Qap
            .visualise(TINY, "0 0 0")
            .contains("wrong answer: line 1: location 0"));
    }
}
