//! `tsp`: the travelling salesman on integer points, rounded Euclidean distances.

use crate::rng::Rng;
use crate::svg::Svg;
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MIN_N: i64 = 3;
pub const MAX_N: i64 = 100_000;
pub const MAX_COORD: i64 = 1_000_000;

pub struct Tsp;

/// The cities of one input.
pub struct Input {
    pub points: Vec<(i64, i64)>,
}

/// Parses and checks an input.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let n = t.bounded("N", MIN_N, MAX_N)? as usize;
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        let x = t.bounded(&format!("x of city {i}"), 0, MAX_COORD)?;
        let y = t.bounded(&format!("y of city {i}"), 0, MAX_COORD)?;
        points.push((x, y));
    }
    t.finish(&format!("the {n} cities"))?;
    Ok(Input { points })
}

/// The rounded Euclidean distance: floor(sqrt(dx^2 + dy^2) + 0.5).
pub fn distance(a: (i64, i64), b: (i64, i64)) -> i64 {
    let dx = (a.0 - b.0) as f64;
    let dy = (a.1 - b.1) as f64;
    // dx^2 + dy^2 < 2^53, so the sum is exact and sqrt is correctly rounded.
    ((dx * dx + dy * dy).sqrt() + 0.5).floor() as i64
}

/// Length of the closed tour through `order`.
pub fn tour_length(points: &[(i64, i64)], order: &[usize]) -> i64 {
    let n = order.len();
    (0..n)
        .map(|k| distance(points[order[k]], points[order[(k + 1) % n]]))
        .sum()
}

/// Reads a tour (a permutation of 0..N-1) from an output.
pub fn parse_output(n: usize, text: &str) -> Result<Vec<usize>, WrongAnswer> {
    let mut t = Tokens::new(text);
    let mut order = Vec::with_capacity(n);
    let mut first_seen = vec![0usize; n];
    for k in 0..n {
        let (line, word) = t.next_token().ok_or_else(|| {
            WrongAnswer(format!(
                "expected {n} city indices but the output ends after {k} (line {})",
                t.line()
            ))
        })?;
        let city: usize = word.parse().map_err(|_| {
            WrongAnswer(format!(
                "line {line}: `{}` is not a city index (expected an integer in 0..={})",
                clip(word),
                n - 1
            ))
        })?;
        if city >= n {
            return Err(WrongAnswer(format!(
                "line {line}: city index {city} is out of range 0..={}",
                n - 1
            )));
        }
        if first_seen[city] != 0 {
            return Err(WrongAnswer(format!(
                "line {line}: city {city} is visited twice (first on line {}); the tour must be a permutation",
                first_seen[city]
            )));
        }
        first_seen[city] = line;
        order.push(city);
    }
    if let Some((line, word)) = t.next_token() {
        return Err(WrongAnswer(format!(
            "line {line}: unexpected `{}` after the {n} cities of the tour",
            clip(word)
        )));
    }
    Ok(order)
}

impl Problem for Tsp {
    fn id(&self) -> &'static str {
        "tsp"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let n = rng.range(200, 2000) as usize;
        let pattern = rng.below(3);
        let clusters: Vec<(f64, f64, f64)> = (0..rng.range(3, 12))
            .map(|_| {
                let spread = rng.range(10_000, 80_000) as f64;
                (
                    rng.range(100_000, 900_000) as f64,
                    rng.range(100_000, 900_000) as f64,
                    spread,
                )
            })
            .collect();
        let mut text = String::with_capacity(n * 16);
        writeln!(text, "{n}").unwrap();
        for _ in 0..n {
            // pattern 0: uniform; 1: clustered; 2: half and half.
            let clustered = match pattern {
                0 => false,
                1 => true,
                _ => rng.below(2) == 0,
            };
            let (x, y) = if clustered {
                let (cx, cy, s) = clusters[rng.below(clusters.len() as u64) as usize];
                let x = (cx + s * rng.normal()).round() as i64;
                let y = (cy + s * rng.normal()).round() as i64;
                (x.clamp(0, MAX_COORD), y.clamp(0, MAX_COORD))
            } else {
                (rng.range(0, MAX_COORD), rng.range(0, MAX_COORD))
            };
            writeln!(text, "{x} {y}").unwrap();
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        let Ok(input) = parse_input(input) else {
            return invalid_input_svg();
        };
        let order = parse_output(input.points.len(), output);
        visualise(&input, &order)
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let order = parse_output(input.points.len(), output)?;
        Ok(tour_length(&input.points, &order))
    }
}

const SIDE: f64 = 800.0;
const MARGIN: f64 = 20.0;

/// The cities as dots and the tour as a closed line; the length or the error above.
pub fn visualise(input: &Input, order: &Result<Vec<usize>, WrongAnswer>) -> String {
    let n = input.points.len();
    let mut svg = Svg::new(SIDE + 2.0 * MARGIN, SIDE + 2.0 * MARGIN + 30.0);
    let at = |(x, y): (i64, i64)| {
        (
            MARGIN + x as f64 / MAX_COORD as f64 * SIDE,
            MARGIN + 30.0 + (MAX_COORD - y) as f64 / MAX_COORD as f64 * SIDE,
        )
    };
    svg.frame(MARGIN, MARGIN + 30.0, SIDE, SIDE, "#cccccc", 1.0);
    let caption = match order {
        Ok(order) => {
            let points: Vec<_> = order.iter().map(|&c| at(input.points[c])).collect();
            svg.polyline(&points, true, "#2c7fb8", if n > 5000 { 0.4 } else { 1.0 });
            format!(
                "N = {n}, tour length = {}",
                tour_length(&input.points, order)
            )
        }
        Err(wa) => format!("N = {n}, wrong answer: {wa}"),
    };
    let r = if n > 5000 { 0.8 } else { 2.0 };
    for &p in &input.points {
        let (x, y) = at(p);
        svg.circle(x, y, r, "#d95f0e");
    }
    svg.text(MARGIN, MARGIN + 16.0, 16.0, "black", &caption);
    svg.finish()
}

/// The picture of an input that does not parse.
pub fn invalid_input_svg() -> String {
    let mut svg = Svg::new(400.0, 60.0);
    svg.text(10.0, 30.0, 16.0, "black", "invalid input");
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = "4\n0 0\n0 10\n10 10\n10 0\n";

    #[test]
    fn unit_square_by_hand() {
        // Around the square: 4 sides of 10.
        assert_eq!(Tsp.score(SQUARE, "0\n1\n2\n3\n"), Ok(40));
        // Crossing: 10 + sqrt(200)=14.14->14 + 10 + 14 = 48.
        assert_eq!(Tsp.score(SQUARE, "0 2 1 3"), Ok(48));
    }

    #[test]
    fn rounding_is_half_up() {
        // dx=1, dy=1: sqrt(2)=1.414 -> 1; dx=3,dy=4 -> 5; dx=1,dy=2: 2.236 -> 2; dx=2,dy=3: 3.606 -> 4.
        assert_eq!(distance((0, 0), (1, 1)), 1);
        assert_eq!(distance((0, 0), (3, 4)), 5);
        assert_eq!(distance((0, 0), (1, 2)), 2);
        assert_eq!(distance((0, 0), (2, 3)), 4);
        assert_eq!(distance((0, 0), (1_000_000, 1_000_000)), 1_414_214);
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| Tsp.score(SQUARE, out).unwrap_err().0;
        assert_eq!(
            err("0\n1\n1\n3\n"),
            "line 3: city 1 is visited twice (first on line 2); the tour must be a permutation"
        );
        assert_eq!(
            err("0\n1\n2\n"),
            "expected 4 city indices but the output ends after 3 (line 3)"
        );
        assert_eq!(
            err("0\n1\nabc\n3\n"),
            "line 3: `abc` is not a city index (expected an integer in 0..=3)"
        );
        assert_eq!(
            err("0\n1\n4\n3\n"),
            "line 3: city index 4 is out of range 0..=3"
        );
        assert_eq!(
            err("0\n-1\n2\n3\n"),
            "line 2: `-1` is not a city index (expected an integer in 0..=3)"
        );
        assert_eq!(
            err("0 1 2 3\n0\n"),
            "line 2: unexpected `0` after the 4 cities of the tour"
        );
        assert_eq!(
            err(""),
            "expected 4 city indices but the output ends after 0 (line 0)"
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            Tsp.check_input("2\n0 0\n1 1\n"),
            Err("line 1: N is 2, outside 3..=100000".into())
        );
        assert_eq!(
            Tsp.check_input("3\n0 0\n1 1\n"),
            Err("expected x of city 2 but the text ends (after line 3)".into())
        );
        assert_eq!(
            Tsp.check_input("3\n0 0\n1 1\n5 1000001\n"),
            Err("line 4: y of city 2 is 1000001, outside 0..=1000000".into())
        );
        assert!(Tsp.check_input("3 0 0 1 1 5 5").is_ok());
    }

    #[test]
    fn generated_inputs_are_valid_and_varied() {
        let mut sizes = std::collections::BTreeSet::new();
        for seed in 0..20 {
            let input = Tsp.generate(seed);
            let parsed = parse_input(&input).expect("generated input parses");
            let n = parsed.points.len();
            assert!((200..=2000).contains(&n));
            sizes.insert(n);
            assert_eq!(Tsp.generate(seed), input);
        }
        assert!(sizes.len() > 10);
    }
}
