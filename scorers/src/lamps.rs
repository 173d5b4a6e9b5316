//! `lamps`: light a walled city grid with at most K lamps. A lamp lights its
//! row and its column until the nearest walls; the score is the lit share of
//! the streets.

use crate::rng::Rng;
use crate::svg::Svg;
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MAX_N: usize = 100;

pub struct Lamps;

/// One instance: the grid (true = wall) and the lamp budget.
pub struct Input {
    pub n: usize,
    pub k: usize,
    pub wall: Vec<Vec<bool>>,
}

impl Input {
    pub fn streets(&self) -> usize {
        self.wall.iter().flatten().filter(|&&w| !w).count()
    }
}

/// Parses and checks an input.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let n = t.bounded("N", 2, MAX_N as i64)? as usize;
    let k = t.bounded("K", 1, (n * n) as i64)? as usize;
    let mut wall = Vec::with_capacity(n);
    for r in 0..n {
        let (line, row) = t
            .next_token()
            .ok_or_else(|| format!("expected row {r} of the grid but the text ends"))?;
        if row.len() != n || !row.bytes().all(|b| b == b'.' || b == b'#') {
            return Err(format!(
                "line {line}: row {r} must be {n} characters of `.` and `#`, found `{}`",
                clip(row)
            ));
        }
        wall.push(row.bytes().map(|b| b == b'#').collect());
    }
    t.finish("the grid")?;
    let input = Input { n, k, wall };
    if input.streets() == 0 {
        return Err("the grid has no street cell".into());
    }
    Ok(input)
}

/// Reads the lamps of an output: at most K distinct street cells `r c`, one per line.
pub fn parse_output(input: &Input, text: &str) -> Result<Vec<(usize, usize)>, WrongAnswer> {
    let n = input.n;
    let mut lamps = Vec::new();
    let mut placed = vec![vec![0usize; n]; n];
    let mut t = Tokens::new(text);
    while let Some((line, word)) = t.next_token() {
        let number = |word: &str, what: &str| -> Result<usize, WrongAnswer> {
            match word.parse::<usize>() {
                Ok(v) if v < n => Ok(v),
                Ok(v) => Err(WrongAnswer(format!(
                    "line {line}: {what} {v} is out of range 0..={}",
                    n - 1
                ))),
                Err(_) => Err(WrongAnswer(format!(
                    "line {line}: `{}` is not a {what} (expected an integer in 0..={})",
                    clip(word),
                    n - 1
                ))),
            }
        };
        let r = number(word, "row")?;
        let Some((_, word)) = t.next_token() else {
            return Err(WrongAnswer(format!(
                "line {line}: a lamp needs a row and a column"
            )));
        };
        let c = number(word, "column")?;
        if lamps.len() == input.k {
            return Err(WrongAnswer(format!(
                "line {line}: lamp {} exceeds the budget of K = {} lamps",
                lamps.len() + 1,
                input.k
            )));
        }
        if input.wall[r][c] {
            return Err(WrongAnswer(format!("line {line}: ({r}, {c}) is a wall")));
        }
        if placed[r][c] != 0 {
            return Err(WrongAnswer(format!(
                "line {line}: a lamp is already at ({r}, {c}) (line {})",
                placed[r][c]
            )));
        }
        placed[r][c] = line;
        lamps.push((r, c));
    }
    Ok(lamps)
}

/// Which cells the lamps light.
pub fn lit(input: &Input, lamps: &[(usize, usize)]) -> Vec<Vec<bool>> {
    let n = input.n;
    let mut lit = vec![vec![false; n]; n];
    for &(r, c) in lamps {
        lit[r][c] = true;
        for (dr, dc) in [(0i64, 1i64), (0, -1), (1, 0), (-1, 0)] {
            let (mut y, mut x) = (r as i64 + dr, c as i64 + dc);
            while y >= 0
                && x >= 0
                && y < n as i64
                && x < n as i64
                && !input.wall[y as usize][x as usize]
            {
                lit[y as usize][x as usize] = true;
                y += dr;
                x += dc;
            }
        }
    }
    lit
}

/// round(10^6 x lit streets / streets).
pub fn score_of(input: &Input, lamps: &[(usize, usize)]) -> i64 {
    let lit_count = lit(input, lamps).iter().flatten().filter(|&&l| l).count() as i64;
    let streets = input.streets() as i64;
    (2 * 1_000_000 * lit_count + streets) / (2 * streets)
}

impl Problem for Lamps {
    fn id(&self) -> &'static str {
        "lamps"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let n = rng.range(20, 50) as usize;
        let density = rng.range(5, 35) as u64;
        let mut wall = vec![vec![false; n]; n];
        for row in wall.iter_mut() {
            for cell in row.iter_mut() {
                *cell = rng.below(100) < density;
            }
        }
        // Wall segments: city blocks that make long streets and dead ends.
        for _ in 0..rng.range(0, (n / 2) as i64) {
            let (r, c) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
            let len = rng.range(2, (n / 2) as i64) as usize;
            let across = rng.below(2) == 0;
            for step in 0..len {
                let (y, x) = if across { (r, c + step) } else { (r + step, c) };
                if y < n && x < n {
                    wall[y][x] = true;
                }
            }
        }
        wall[rng.below(n as u64) as usize][rng.below(n as u64) as usize] = false;
        let k = rng.range((n / 5) as i64, n as i64) as usize;
        let mut text = String::with_capacity(n * (n + 1) + 16);
        writeln!(text, "{n} {k}").unwrap();
        for row in &wall {
            let line: String = row.iter().map(|&w| if w { '#' } else { '.' }).collect();
            writeln!(text, "{line}").unwrap();
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let lamps = parse_output(&input, output)?;
        Ok(score_of(&input, &lamps))
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        let Ok(input) = parse_input(input) else {
            return crate::tsp::invalid_input_svg();
        };
        let lamps = parse_output(&input, output);
        let n = input.n;
        let cell = (720.0 / n as f64).floor();
        let (left, top) = (20.0, 50.0);
        let mut svg = Svg::new(2.0 * left + cell * n as f64, top + 20.0 + cell * n as f64);
        let shown: &[(usize, usize)] = lamps.as_deref().unwrap_or(&[]);
        let lit = lit(&input, shown);
        for (r, (walls, lights)) in input.wall.iter().zip(&lit).enumerate() {
            for (c, (&wall, &light)) in walls.iter().zip(lights).enumerate() {
                let colour = if wall {
                    "#333333"
                } else if light {
                    "#ffe680"
                } else {
                    "#c8c8d0"
                };
                svg.rect(
                    left + c as f64 * cell,
                    top + r as f64 * cell,
                    cell,
                    cell,
                    colour,
                    None,
                );
            }
        }
        for &(r, c) in shown {
            let (x, y) = (
                left + (c as f64 + 0.5) * cell,
                top + (r as f64 + 0.5) * cell,
            );
            svg.circle(x, y, cell * 0.35, "#e6550d");
        }
        let caption = match &lamps {
            Ok(l) => format!(
                "N = {n}, {} of K = {} lamps, score = {}",
                l.len(),
                input.k,
                score_of(&input, l)
            ),
            Err(wa) => format!("N = {n}, K = {}, wrong answer: {wa}", input.k),
        };
        svg.text(left, 30.0, 15.0, "black", &caption);
        svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 4x4 with a wall at (1, 1) and (2, 3); 14 streets.
    const TINY: &str = "4 2\n....\n.#..\n...#\n....\n";

    #[test]
    fn scores_by_hand() {
        // A lamp at (0, 0): row 0 (4 cells) and column 0 (4 cells, sharing (0,0)): 7 lit.
        // round(10^6 * 7 / 14) = 500000.
        assert_eq!(Lamps.score(TINY, "0 0\n"), Ok(500_000));
        // Add (2, 1): row 2 up to the wall at column 3: (2,0),(2,1),(2,2); column 1 below the
        // wall at (1,1): (2,1),(3,1). New: (2,1),(2,2),(3,1) = 3 more (2,0 already lit): 10 lit.
        // round(10^6 * 10 / 14) = 714285.7 -> 714286.
        assert_eq!(Lamps.score(TINY, "0 0\n2 1\n"), Ok(714_286));
        assert_eq!(Lamps.score(TINY, ""), Ok(0));
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| Lamps.score(TINY, out).unwrap_err().0;
        assert_eq!(err("1 1\n"), "line 1: (1, 1) is a wall");
        assert_eq!(
            err("0 0\n0 0\n"),
            "line 2: a lamp is already at (0, 0) (line 1)"
        );
        assert_eq!(
            err("0 0\n0 1\n0 2\n"),
            "line 3: lamp 3 exceeds the budget of K = 2 lamps"
        );
        assert_eq!(err("0 4\n"), "line 1: column 4 is out of range 0..=3");
        assert_eq!(
            err("x 1\n"),
            "line 1: `x` is not a row (expected an integer in 0..=3)"
        );
        assert_eq!(err("0\n"), "line 1: a lamp needs a row and a column");
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            Lamps.check_input("2 1\n.#\n.x\n"),
            Err("line 3: row 1 must be 2 characters of `.` and `#`, found `.x`".into())
        );
        assert_eq!(
            Lamps.check_input("2 1\n##\n##\n"),
            Err("the grid has no street cell".into())
        );
        assert_eq!(
            Lamps.check_input("2 1\n..\n"),
            Err("expected row 1 of the grid but the text ends".into())
        );
    }

    #[test]
    fn generated_inputs_are_valid_and_varied() {
        let mut densities = std::collections::BTreeSet::new();
        for seed in 0..30 {
            let input = parse_input(&Lamps.generate(seed)).unwrap();
            assert!((20..=50).contains(&input.n) && input.k >= 4);
            densities.insert(100 * input.streets() / (input.n * input.n));
        }
        assert!(densities.len() > 10, "{densities:?}");
    }

    #[test]
    fn the_picture_shows_lamps_and_lit_streets() {
        let svg = Lamps.visualise(TINY, "0 0\n2 1\n");
        assert!(
            svg.contains("N = 4, 2 of K = 2 lamps, score = 714286"),
            "{svg}"
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(
            svg.matches(r##"fill="#ffe680""##).count(),
            10,
            "ten lit streets"
        );
    }
}
