//! Generators, scorers and interactive judges of ale's built-in problems.
//!
//! Everything here works on strings: the crate never touches files or processes,
//! so the judge in `ale` owns all I/O and every scorer is easy to test by hand.

pub mod courier;
pub mod jobshop;
pub mod lamps;
pub mod packing;
pub mod prospect;
pub mod qap;
pub mod rng;
pub mod svg;
pub mod tokens;
pub mod tsp;

use std::fmt;

/// Why an output is rejected: what is wrong and where (line, token).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WrongAnswer(pub String);

impl fmt::Display for WrongAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WrongAnswer {}

/// What an interactive session does with one line the solution wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// Send this text (one or more lines, newline-terminated) back to the solution.
    Reply(String),
    /// Nothing to send; wait for the next line.
    Silent,
    /// The interaction is over, with its score or the reason it failed.
    Done(Result<i64, WrongAnswer>),
}

/// One run of an interactive judge on one input. The caller relays the lines.
pub trait Session: Send {
    /// The text the solution reads before it says anything.
    fn opening(&self) -> String;
    /// Handles one line written by the solution (without its newline).
    fn line(&mut self, line: &str) -> Step;
    /// The solution closed its output before the interaction was over.
    fn end_of_output(&mut self) -> WrongAnswer;
}

/// A built-in problem: its generator, its input checker and its scorer.
pub trait Problem: Sync {
    /// The problem id, as in `problems/<id>/problem.toml`.
    fn id(&self) -> &'static str;

    /// True when the solution talks to a judge instead of reading a whole input.
    fn interactive(&self) -> bool {
        false
    }

    /// The input text of a seed: the same bytes on every machine and every version.
    fn generate(&self, seed: u64) -> String;

    /// Checks that an input follows the problem's input format and constraints.
    fn check_input(&self, input: &str) -> Result<(), String>;

    /// Scores an output on a valid input. For interactive problems the output is
    /// what the solution wrote, replayed against a fresh session.
    fn score(&self, input: &str, output: &str) -> Result<i64, WrongAnswer>;

    /// An SVG picture of a valid input and an output: the instance, the
    /// solution as far as it can be read, and the score or what is wrong.
    fn visualise(&self, input: &str, output: &str) -> String;

    /// Starts an interactive session; `None` for batch problems.
    fn session(&self, _input: &str) -> Option<Box<dyn Session>> {
        None
    }
}

/// Every built-in problem.
pub fn all() -> &'static [&'static dyn Problem] {
    &[
        &tsp::Tsp,
        &prospect::Prospect,
        &qap::Qap,
        &jobshop::JobShop,
        &lamps::Lamps,
        &courier::Courier,
        &packing::Packing,
    ]
}

/// The built-in problem with this scorer module name.
pub fn builtin(name: &str) -> Option<&'static dyn Problem> {
    all().iter().copied().find(|p| p.id() == name)
}

/// Replays a solution's recorded output lines against a session and returns the score.
pub fn replay(mut session: Box<dyn Session>, output: &str) -> Result<i64, WrongAnswer> {
    for line in output.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if let Step::Done(result) = session.line(line) {
            return result;
        }
    }
    Err(session.end_of_output())
}
