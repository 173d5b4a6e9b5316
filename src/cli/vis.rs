//! `ale vis <problem> <input> <output> [-o FILE.svg]`

use super::Context;
use ale::error::Error;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// Input file
    pub input: PathBuf,
    /// Output file (for interactive problems, the lines the solution wrote)
    pub output: PathBuf,
    /// Where to write the picture
    #[arg(
        short = 'o',
        long = "out",
        value_name = "FILE.svg",
        default_value = "vis.svg"
    )]
    pub svg: PathBuf,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    let (input, output) = super::score::read_case(problem, &args.input, &args.output)?;
    match problem.visualise(&input, output.as_deref().unwrap_or("")) {
        Some(svg) => {
            std::fs::write(&args.svg, svg).map_err(|e| Error::io(&args.svg, e))?;
            eprintln!("wrote {}", args.svg.display());
        }
        None => eprintln!(
            "ale has no picture of `{}`: use the contest's own visualiser",
            problem.id
        ),
    }
    super::score::report(output.and_then(|o| problem.score(&input, &o)))
}
