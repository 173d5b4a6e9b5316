//! `prospect`: an interactive problem. A hidden field of ore grades is surveyed by
//! noisy probes under a budget; the solution then chooses where to drill.

use crate::rng::Rng;
use crate::svg::{heat, Svg};
use crate::tokens::{clip, Tokens};
use crate::{Problem, Session, Step, WrongAnswer};
use std::fmt::Write;

pub const MAX_GRADE: i64 = 1000;

pub struct Prospect;

/// One input: the public parameters, the hidden grades and the noise seed.
#[derive(Clone)]
pub struct Input {
    pub n: usize,
    pub k: usize,
    pub q: usize,
    pub sigma: i64,
    pub grade: Vec<Vec<i64>>,
    pub noise_seed: u64,
}

impl Input {
    /// The sum of the K highest grades: the best any answer can do.
    pub fn best_sum(&self) -> i64 {
        let mut all: Vec<i64> = self.grade.iter().flatten().copied().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        all[..self.k].iter().sum()
    }
}

/// Parses and checks an input file.
pub fn parse_input(text: &str) -> Result<Input, String> {
    let mut t = Tokens::new(text);
    let n = t.bounded("N", 10, 50)? as usize;
    let k = t.bounded("K", 1, 50)? as usize;
    let q = t.bounded("Q", 0, (n * n) as i64)? as usize;
    let sigma = t.bounded("S", 0, 1000)?;
    let mut grade = vec![vec![0; n]; n];
    for (i, row) in grade.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = t.bounded(&format!("the grade of cell ({i}, {j})"), 0, MAX_GRADE)?;
        }
    }
    let noise_seed: u64 = t.number("the noise seed R")?;
    t.finish("the noise seed")?;
    let input = Input {
        n,
        k,
        q,
        sigma,
        grade,
        noise_seed,
    };
    if input.best_sum() == 0 {
        return Err("every grade is 0: the score would be undefined".into());
    }
    Ok(input)
}

/// The judge's side of one interaction.
pub struct ProspectSession {
    input: Input,
    noise: Rng,
    queries: usize,
    lines: usize,
}

impl ProspectSession {
    pub fn new(input: Input) -> Self {
        let noise = Rng::new(input.noise_seed);
        ProspectSession {
            input,
            noise,
            queries: 0,
            lines: 0,
        }
    }

    fn wrong(&self, message: String) -> Step {
        Step::Done(Err(WrongAnswer(format!("line {}: {message}", self.lines))))
    }

    fn cell(&self, t: &mut Tokens, what: &str) -> Result<usize, String> {
        let n = self.input.n as i64;
        t.bounded(what, 0, n - 1)
            .map(|v| v as usize)
            .map_err(strip_line)
    }

    fn query(&mut self, t: &mut Tokens) -> Step {
        if self.queries == self.input.q {
            return self.wrong(format!(
                "query {} exceeds the budget of Q = {} queries",
                self.queries + 1,
                self.input.q
            ));
        }
        let (i, j) = match (|| Ok::<_, String>((self.cell(t, "i")?, self.cell(t, "j")?)))() {
            Ok(cell) => cell,
            Err(e) => return self.wrong(format!("bad query: {e}")),
        };
        if let Some((_, extra)) = t.next_token() {
            return self.wrong(format!("unexpected `{}` after `? i j`", clip(extra)));
        }
        self.queries += 1;
        let value = self.input.grade[i][j] as f64 + self.input.sigma as f64 * self.noise.normal();
        Step::Reply(format!("{}\n", value.round() as i64))
    }

    fn answer(&mut self, t: &mut Tokens) -> Step {
        let k = self.input.k;
        let mut chosen = vec![vec![false; self.input.n]; self.input.n];
        let mut sum = 0;
        for site in 0..k {
            let cell = (|| {
                Ok::<_, String>((
                    self.cell(t, &format!("i of site {}", site + 1))?,
                    self.cell(t, &format!("j of site {}", site + 1))?,
                ))
            })();
            let (i, j) = match cell {
                Ok(cell) => cell,
                Err(e) => {
                    return self.wrong(format!(
                        "bad answer: {e} (the answer is `!` and {k} pairs `i j`)"
                    ))
                }
            };
            if chosen[i][j] {
                return self.wrong(format!("cell ({i}, {j}) is chosen twice"));
            }
            chosen[i][j] = true;
            sum += self.input.grade[i][j];
        }
        if let Some((_, extra)) = t.next_token() {
            return self.wrong(format!("unexpected `{}` after the {k} sites", clip(extra)));
        }
        Step::Done(Ok(score_of(sum, self.input.best_sum())))
    }
}

/// The statement's example: N=10, K=2, Q=3, S=0 (no noise, so replies are the
/// grades themselves), grade (10i + j) mod 97. The best two grades are 96 at
/// (9, 6) and 95 at (9, 5).
pub fn example_input() -> String {
    let mut s = String::from("10 2 3 0\n");
    for i in 0..10 {
        let row: Vec<String> = (0..10).map(|j| ((i * 10 + j) % 97).to_string()).collect();
        s += &row.join(" ");
        s += "\n";
    }
    s + "42\n"
}

/// The field as a heat map of grades, each probe as a white dot (bigger when a
/// cell was probed more often), each drilled cell framed in black, and the
/// score or what is wrong. `output` is the lines the solution wrote.
pub fn visualise(input: &Input, output: &str) -> String {
    let n = input.n;
    let cell = (720.0 / n as f64).floor();
    let (left, top) = (20.0, 50.0);
    let mut svg = Svg::new(2.0 * left + cell * n as f64, top + 20.0 + cell * n as f64);
    for (i, row) in input.grade.iter().enumerate() {
        for (j, &g) in row.iter().enumerate() {
            let title = format!("({i}, {j}) grade {g}");
            let (x, y) = (left + j as f64 * cell, top + i as f64 * cell);
            svg.rect(
                x,
                y,
                cell,
                cell,
                &heat(g as f64 / MAX_GRADE as f64),
                Some(&title),
            );
        }
    }
    let mut probes = vec![vec![0usize; n]; n];
    let mut chosen = Vec::new();
    for line in output.lines() {
        let mut t = Tokens::new(line);
        let cell_of = |t: &mut Tokens| -> Option<(usize, usize)> {
            let i: usize = t.number("i").ok()?;
            let j: usize = t.number("j").ok()?;
            (i < n && j < n).then_some((i, j))
        };
        match t.next_token() {
            Some((_, "?")) => {
                if let Some((i, j)) = cell_of(&mut t) {
                    probes[i][j] += 1;
                }
            }
            Some((_, "!")) => {
                while let Some(c) = cell_of(&mut t) {
                    chosen.push(c);
                }
            }
            _ => {}
        }
    }
    for (i, row) in probes.iter().enumerate() {
        for (j, &count) in row.iter().enumerate() {
            if count > 0 {
                let r = (cell * 0.12 * (1.0 + (count as f64).sqrt())).min(cell * 0.45);
                let (x, y) = (
                    left + (j as f64 + 0.5) * cell,
                    top + (i as f64 + 0.5) * cell,
                );
                svg.circle(x, y, r, "white");
            }
        }
    }
    for &(i, j) in &chosen {
        let (x, y) = (left + j as f64 * cell, top + i as f64 * cell);
        svg.frame(x + 1.0, y + 1.0, cell - 2.0, cell - 2.0, "black", 3.0);
    }
    let queries: usize = probes.iter().flatten().sum();
    let result = match crate::replay(Box::new(ProspectSession::new(input.clone())), output) {
        Ok(score) => format!("score = {score}"),
        Err(wa) => format!("wrong answer: {wa}"),
    };
    let caption = format!(
        "N = {n}, K = {}, probes {queries} of Q = {}, noise S = {}; {result}",
        input.k, input.q, input.sigma
    );
    svg.text(left, 30.0, 15.0, "black", &caption);
    svg.finish()
}

/// round(10^6 * chosen / best), in exact integer arithmetic.
pub fn score_of(chosen: i64, best: i64) -> i64 {
    (2 * 1_000_000 * chosen + best) / (2 * best)
}

/// Drops the "line N: " prefix of a token error: a session line has its own number.
fn strip_line(e: String) -> String {
    match e.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => e,
    }
}

impl Session for ProspectSession {
    fn opening(&self) -> String {
        let i = &self.input;
        format!("{} {} {} {}\n", i.n, i.k, i.q, i.sigma)
    }

    fn line(&mut self, line: &str) -> Step {
        self.lines += 1;
        let mut t = Tokens::new(line);
        match t.next_token() {
            None => Step::Silent,
            Some((_, "?")) => self.query(&mut t),
            Some((_, "!")) => self.answer(&mut t),
            Some((_, word)) => self.wrong(format!(
                "expected `? i j` or `! i1 j1 ...`, found `{}`",
                clip(word)
            )),
        }
    }

    fn end_of_output(&mut self) -> WrongAnswer {
        WrongAnswer(format!(
            "the solution stopped after {} queries without giving its answer `! ...`",
            self.queries
        ))
    }
}

impl Problem for Prospect {
    fn id(&self) -> &'static str {
        "prospect"
    }

    fn interactive(&self) -> bool {
        true
    }

    fn generate(&self, seed: u64) -> String {
        let mut rng = Rng::new(seed);
        let n = rng.range(20, 40) as usize;
        let k = rng.range(3, 15) as usize;
        let q = rng.range((n * n / 8) as i64, (n * n / 2) as i64) as usize;
        let sigma = rng.range(10, 150);
        let base = rng.range(0, 100) as f64;
        let bumps: Vec<(f64, f64, f64, f64)> = (0..rng.range(2, 8))
            .map(|_| {
                (
                    rng.unit() * n as f64,
                    rng.unit() * n as f64,
                    rng.range(2, (n / 3) as i64) as f64,
                    rng.range(200, 1000) as f64,
                )
            })
            .collect();
        let mut text = String::with_capacity(n * n * 5 + 64);
        writeln!(text, "{n} {k} {q} {sigma}").unwrap();
        for i in 0..n {
            let row: Vec<String> = (0..n)
                .map(|j| {
                    let mut h = base + rng.range(0, 20) as f64;
                    for &(ci, cj, r, a) in &bumps {
                        let (di, dj) = (i as f64 - ci, j as f64 - cj);
                        let d2 = di * di + dj * dj;
                        let f = 1.0 - d2 / (r * r);
                        if f > 0.0 {
                            h += a * f * f;
                        }
                    }
                    (h.round() as i64).clamp(0, MAX_GRADE).to_string()
                })
                .collect();
            writeln!(text, "{}", row.join(" ")).unwrap();
        }
        writeln!(text, "{}", rng.next_u64()).unwrap();
        text
    }

    fn check_input(&self, input: &str) -> Result<(), String> {
        parse_input(input).map(|_| ())
    }

    fn visualise(&self, input: &str, output: &str) -> String {
        match parse_input(input) {
            Ok(input) => visualise(&input, output),
            Err(_) => crate::tsp::invalid_input_svg(),
        }
    }

    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer> {
        let session = self
            .session(input)
            .ok_or_else(|| WrongAnswer("invalid input".into()))?;
        crate::replay(session, output)
    }

    fn session(&self, input: &str) -> Option<Box<dyn Session>> {
        parse_input(input)
            .ok()
            .map(|i| Box::new(ProspectSession::new(i)) as Box<dyn Session>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> String {
        example_input()
    }

    #[test]
    fn scripted_interaction_by_hand() {
        let input = tiny();
        let mut s = Prospect.session(&input).unwrap();
        assert_eq!(s.opening(), "10 2 3 0\n");
        assert_eq!(s.line("? 0 5"), Step::Reply("5\n".into()));
        assert_eq!(s.line("? 9 6"), Step::Reply("96\n".into()));
        assert_eq!(s.line(""), Step::Silent);
        // Best two grades: 96 at (9,6) and 95 at (9,5): 191. Chosen: 96 + 5 = 101.
        // round(10^6 * 101 / 191) = 528795.81... -> 528796
        assert_eq!(s.line("! 9 6 0 5"), Step::Done(Ok(528_796)));
    }

    #[test]
    fn optimal_answer_scores_a_million() {
        assert_eq!(Prospect.score(&tiny(), "! 9 5 9 6\n"), Ok(1_000_000));
    }

    #[test]
    fn wrong_answers_say_where() {
        let input = tiny();
        let err = |out: &str| Prospect.score(&input, out).unwrap_err().0;
        assert_eq!(
            err("? 0 0\n? 0 0\n? 0 0\n? 0 0\n"),
            "line 4: query 4 exceeds the budget of Q = 3 queries"
        );
        assert_eq!(err("? 0 10\n"), "line 1: bad query: j is 10, outside 0..=9");
        assert_eq!(
            err("hello\n"),
            "line 1: expected `? i j` or `! i1 j1 ...`, found `hello`"
        );
        assert_eq!(err("! 1 1 1 1\n"), "line 1: cell (1, 1) is chosen twice");
        assert_eq!(
            err("! 1 1\n"),
            "line 1: bad answer: expected i of site 2 but the text ends (after line 1) (the answer is `!` and 2 pairs `i j`)"
        );
        assert_eq!(
            err("? 1 1\n"),
            "the solution stopped after 1 queries without giving its answer `! ...`"
        );
        assert_eq!(
            err("! 1 1 2 2 3\n"),
            "line 1: unexpected `3` after the 2 sites"
        );
    }

    #[test]
    fn noise_is_reproducible() {
        let input = Prospect.generate(3);
        let run = || {
            let mut s = Prospect.session(&input).unwrap();
            (0..5).map(|_| s.line("? 1 1")).collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        assert!(first.iter().collect::<std::collections::HashSet<_>>().len() > 1);
    }

    #[test]
    fn generated_inputs_are_valid() {
        for seed in 0..30 {
            let input = Prospect.generate(seed);
            let parsed = parse_input(&input).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert!((20..=40).contains(&parsed.n));
            assert!(parsed.best_sum() > 0);
        }
    }
}
