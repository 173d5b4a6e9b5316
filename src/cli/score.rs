//! `ale score <problem> <input> <output>`

use super::Context;
use crate::error::Error;
use std::path::PathBuf;

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
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| Error::io(p, e));
    let input = String::from_utf8(read(&args.input)?).map_err(|_| Error::BadInput {
        path: args.input.clone(),
        message: "not valid UTF-8".into(),
    })?;
    let scorer = problem.builtin();
    scorer
        .check_input(&input)
        .map_err(|message| Error::BadInput {
            path: args.input.clone(),
            message: format!("not a valid {} input: {message}", problem.id),
        })?;
    let output = read(&args.output)?;
    let result = match std::str::from_utf8(&output) {
        Ok(text) => scorer.score(&input, text).map_err(|wa| wa.0),
        Err(e) => Err(format!(
            "the output is not valid UTF-8 (byte {})",
            e.valid_up_to()
        )),
    };
    match result {
        Ok(score) => {
            println!("Score = {score}");
            Ok(0)
        }
        Err(reason) => {
            eprintln!("wrong answer: {reason}");
            Ok(1)
        }
    }
}
