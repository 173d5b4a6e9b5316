//! `packing`: load a container with rectangular crates, turned or not, without
//! overlaps; the score is the share of the crates' worth that fits.

use crate::rng::Rng;
use crate::svg::{palette, Svg};
use crate::tokens::{clip, Tokens};
use crate::{Problem, WrongAnswer};
use std::fmt::Write;

pub const MAX_SIDE: i64 = 10_000;
pub const MAX_ITEMS: i64 = 1000;

pub struct Packing;

/// One instance: the container and the crates (width, height, worth).
pub struct Input {
    pub width: i64,
    pub height: i64,
    pub items: Vec<(i64, i64, i64)>,
}

/// A crate placed: its index, lower-left corner and size as placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub item: usize,
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

/// Parses and checks an input.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let width = t.bounded("W", 1, MAX_SIDE)?;
    let height = t.bounded("H", 1, MAX_SIDE)?;
    let n = t.bounded("N", 1, MAX_ITEMS)? as usize;
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let w = t.bounded(&format!("the width of crate {i}"), 1, MAX_SIDE)?;
        let h = t.bounded(&format!("the height of crate {i}"), 1, MAX_SIDE)?;
        let v = t.bounded(&format!("the worth of crate {i}"), 1, 1_000_000_000)?;
        items.push((w, h, v));
    }
    t.finish("the crates")?;
    Ok(Input {
        width,
        height,
        items,
    })
}

/// Reads the placements `i x y r` and checks that each lies inside the
/// container and overlaps no other.
pub fn parse_output(input: &Input, text: &str) -> Result<Vec<Placed>, WrongAnswer> {
    let n = input.items.len();
    let mut placed: Vec<Placed> = Vec::new();
    let mut line_of = vec![0usize; n];
    let mut t = Tokens::new(text);
    while let Some((line, word)) = t.next_token() {
        let item: usize = word.parse().ok().filter(|&i| i < n).ok_or_else(|| {
            WrongAnswer(format!(
                "line {line}: `{}` is not a crate (expected an integer in 0..={})",
                clip(word),
                n - 1
            ))
        })?;
        let mut next = |what: &str| -> Result<i64, WrongAnswer> {
            let Some((_, word)) = t.next_token() else {
                return Err(WrongAnswer(format!(
                    "line {line}: a placement is `i x y r`; {what} is missing"
                )));
            };
            word.parse()
                .map_err(|_| WrongAnswer(format!("line {line}: `{}` is not {what}", clip(word))))
        };
        let x = next("x")?;
        let y = next("y")?;
        let r = next("r (0 or 1)")?;
        if line_of[item] != 0 {
            return Err(WrongAnswer(format!(
                "line {line}: crate {item} is already placed (line {})",
                line_of[item]
            )));
        }
        let (w0, h0, _) = input.items[item];
        let (w, h) = match r {
            0 => (w0, h0),
            1 => (h0, w0),
            _ => {
                return Err(WrongAnswer(format!(
                    "line {line}: r must be 0 or 1, not {r}"
                )))
            }
        };
        if x < 0 || y < 0 || x + w > input.width || y + h > input.height {
            return Err(WrongAnswer(format!(
                "line {line}: crate {item} ({w} x {h} at ({x}, {y})) does not fit in the {} x {} container",
                input.width, input.height
            )));
        }
        let p = Placed { item, x, y, w, h };
        if let Some(other) = placed.iter().find(|q| overlap(&p, q)) {
            return Err(WrongAnswer(format!(
                "line {line}: crate {item} ({w} x {h} at ({x}, {y})) overlaps crate {} ({} x {} at ({}, {}), line {})",
                other.item, other.w, other.h, other.x, other.y, line_of[other.item]
            )));
        }
        line_of[item] = line;
        placed.push(p);
    }
    Ok(placed)
}

fn overlap(a: &Placed, b: &Placed) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// round(10^6 x worth placed / total worth).
pub fn score_of(input: &Input, placed: &[Placed]) -> i64 {
    let total: i128 = input.items.iter().map(|&(_, _, v)| v as i128).sum();
    let got: i128 = placed.iter().map(|p| input.items[p.item].2 as i128).sum();
    ((2 * 1_000_000 * got + total) / (2 * total)) as i64
}

impl Problem for Packing {
    fn id(&self) -> &'static str {
        "packing"
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let width = rng.range(200, 1000);
        let height = rng.range(200, 1000);
        let fill = rng.range(110, 300) as i128; // percent of the container's area
        let (small, large) = (rng.range(3, 10), rng.range(15, 50)); // sides, percent of the container
        let max_items = rng.range(20, 300) as usize;
        let target = width as i128 * height as i128 * fill / 100;
        let mut items = Vec::new();
        let mut area: i128 = 0;
        while area < target && items.len() < max_items {
            let side = |rng: &mut Rng, of: i64| (of * rng.range(small, large) / 100).max(1);
            let (w, h) = (side(&mut rng, width), side(&mut rng, height));
            let density = rng.range(50, 150);
            let worth = (w * h * density / 100).max(1);
            items.push((w, h, worth));
            area += w as i128 * h as i128;
        }
        let mut text = String::with_capacity(items.len() * 16 + 32);
        writeln!(text, "{width} {height} {}", items.len()).unwrap();
        for (w, h, v) in items {
            writeln!(text, "{w} {h} {v}").unwrap();
        }
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let input = parse_input(input).map_err(|e| WrongAnswer(format!("invalid input: {e}")))?;
        let placed = parse_output(&input, output)?;
        Ok(score_of(&input, &placed))
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        let Ok(input) = parse_input(input) else {
            return crate::tsp::invalid_input_svg();
        };
        let placed = parse_output(&input, output);
        let scale = 720.0 / input.width.max(input.height) as f64;
        let (left, top) = (20.0, 50.0);
        let (cw, ch) = (input.width as f64 * scale, input.height as f64 * scale);
        let mut svg = Svg::new(cw + 2.0 * left, ch + top + 20.0);
        svg.rect(left, top, cw, ch, "#f4f4f4", None);
        for p in placed.as_deref().unwrap_or(&[]) {
            let title = format!("crate {}: {} x {} at ({}, {})", p.item, p.w, p.h, p.x, p.y);
            let (x, y) = (
                left + p.x as f64 * scale,
                top + (input.height - p.y - p.h) as f64 * scale,
            );
            svg.rect(
                x,
                y,
                p.w as f64 * scale,
                p.h as f64 * scale,
                &palette(p.item),
                Some(&title),
            );
            svg.frame(x, y, p.w as f64 * scale, p.h as f64 * scale, "white", 0.5);
        }
        svg.frame(left, top, cw, ch, "black", 1.0);
        let caption = match &placed {
            Ok(p) => format!(
                "{} x {} container, {} of {} crates, score = {}",
                input.width,
                input.height,
                p.len(),
                input.items.len(),
                score_of(&input, p)
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

    // A 10 x 6 container; crates 0: 6 x 4 worth 30, 1: 4 x 6 worth 20, 2: 5 x 5 worth 50.
    const TINY: &str = "10 6 3\n6 4 30\n4 6 20\n5 5 50\n";

    #[test]
    fn scores_by_hand() {
        // Crates 0 and 1 side by side: 50 of 100.
        assert_eq!(Packing.score(TINY, "0 0 0 0\n1 6 0 0\n"), Ok(500_000));
        // Crate 2 alone: 50 of 100.
        assert_eq!(Packing.score(TINY, "2 0 0 0\n"), Ok(500_000));
        // Crate 2 at (0, 0) and crate 1 (4 x 6) at (5, 0): 70 of 100.
        assert_eq!(Packing.score(TINY, "2 0 0 0\n1 5 0 0\n"), Ok(700_000));
        // Turned: crate 0 as 4 x 6 at (6, 0) and crate 2 at (0, 0): 80.
        assert_eq!(Packing.score(TINY, "0 6 0 1\n2 0 0 0\n"), Ok(800_000));
        assert_eq!(Packing.score(TINY, ""), Ok(0));
    }

    #[test]
    fn wrong_answers_say_where() {
        let err = |out: &str| Packing.score(TINY, out).unwrap_err().0;
        assert_eq!(
            err("0 0 0 0\n2 5 1 0\n"),
            "line 2: crate 2 (5 x 5 at (5, 1)) overlaps crate 0 (6 x 4 at (0, 0), line 1)"
        );
        assert_eq!(
            err("2 6 0 0\n"),
            "line 1: crate 2 (5 x 5 at (6, 0)) does not fit in the 10 x 6 container"
        );
        assert_eq!(
            err("1 5 0 1\n"),
            "line 1: crate 1 (6 x 4 at (5, 0)) does not fit in the 10 x 6 container"
        );
        assert_eq!(
            err("0 0 0 0\n0 6 0 0\n"),
            "line 2: crate 0 is already placed (line 1)"
        );
        assert_eq!(err("0 0 0 2\n"), "line 1: r must be 0 or 1, not 2");
        assert_eq!(
            err("3 0 0 0\n"),
            "line 1: `3` is not a crate (expected an integer in 0..=2)"
        );
        assert_eq!(
            err("0 0 0\n"),
            "line 1: a placement is `i x y r`; r (0 or 1) is missing"
        );
        assert_eq!(err("0 a 0 0\n"), "line 1: `a` is not x");
        assert_eq!(
            err("0 -1 0 0\n"),
            "line 1: crate 0 (6 x 4 at (-1, 0)) does not fit in the 10 x 6 container"
        );
    }

    #[test]
    fn touching_crates_do_not_overlap() {
        // 0 at (0,0) 6x4; 2 at (0,4)? 5x5 would pass the top (4 + 5 > 6). 1 at (6,0) 4x6 touches 0's side.
        assert_eq!(
            Packing.score(TINY, "0 0 0 0\n1 6 0 0\n").map(|_| ()),
            Ok(())
        );
    }

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            Packing.check_input("10 6 2\n6 4 30\n"),
            Err("expected the width of crate 1 but the text ends (after line 2)".into())
        );
        assert_eq!(
            Packing.check_input("10 6 1\n0 4 30\n"),
            Err("line 2: the width of crate 0 is 0, outside 1..=10000".into())
        );
    }

    #[test]
    fn generated_inputs_are_valid_and_varied() {
        let mut counts = std::collections::BTreeSet::new();
        let mut roomy = 0;
        for seed in 0..30 {
            let input = parse_input(&Packing.generate(seed)).unwrap();
            let area: i64 = input.items.iter().map(|&(w, h, _)| w * h).sum();
            // More crates than room, unless the crate count ran out first.
            if area <= input.width * input.height {
                roomy += 1;
            }
            counts.insert(input.items.len());
        }
        assert!(roomy < 10, "{roomy} of 30 inputs hold every crate");
        assert!(counts.len() > 15, "{counts:?}");
    }

    #[test]
    fn the_picture_shows_every_placed_crate() {
        let svg = Packing.visualise(TINY, "0 6 0 1\n2 0 0 0\n");
        assert!(
            svg.contains("10 x 6 container, 2 of 3 crates, score = 800000"),
            "{svg}"
        );
        assert_eq!(svg.matches("<title>crate ").count(), 2);
        assert!(
            svg.contains("<title>crate 0: 4 x 6 at (6, 0)</title>"),
            "{svg}"
        );
    }
}
