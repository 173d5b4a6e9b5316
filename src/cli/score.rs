//! `ale score <problem> <input> <output>`

use super::Context;
use ale::error::Error;
use ale::problem::Problem;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// Input file
    pub input: PathBuf,
    /// Output file (for interactive problems, the lines the solution wrote)
    pub output: PathBuf,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    let (input, output) = read_case(problem, &args.input, &args.output)?;
    report(output.and_then(|o| problem.score(&input, &o)))
}

/// Reads a checked input and an output; an output that is not UTF-8 is a
/// wrong answer, not an error of the command.
pub(super) fn read_case(
    problem: &Problem,
    input: &Path,
    output: &Path,
) -> Result<(String, Result<String, String>), Error> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| Error::io(p, e));
    let text = String::from_utf8(read(input)?).map_err(|_| Error::BadInput {
        path: input.to_path_buf(),
        message: "not valid UTF-8".into(),
    })?;
    problem
        .check_input(&text)
        .map_err(|message| Error::BadInput {
            path: input.to_path_buf(),
            message: format!("not a valid {} input: {message}", problem.id),
        })?;
    let output = String::from_utf8(read(output)?).map_err(|e| {
        format!(
            "the output is not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    });
    // An interactive case's transcript (`ale run --out` keeps one) stands for
    // the lines the solution wrote.
    let output = match output {
        Ok(text) if problem.interactive => Ok(ale::judge::solution_lines(&text).unwrap_or(text)),
        other => other,
    };
    Ok((text, output))
}

/// Prints `Score = N` (exit 0) or `wrong answer: ...` (exit 1).
pub(super) fn report(result: Result<i64, String>) -> Result<i32, Error> {
    match result {
        Ok(score) => {
            outln!("Score = {score}");
            Ok(0)
        }
        Err(reason) => {
            eprintln!("wrong answer: {reason}");
            Ok(1)
        }
    }
}
