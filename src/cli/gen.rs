//! `ale gen <problem> --seeds A..B --out DIR`

use super::Context;
use ale::error::Error;
use ale::problem::Seeds;
use ale::runner::seed_cases;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// Seeds A..B (B excluded); default the problem's public seeds
    #[arg(long, value_name = "A..B")]
    pub seeds: Option<Seeds>,
    /// Folder to write the inputs to
    #[arg(long, value_name = "DIR", default_value = "in")]
    pub out: PathBuf,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    let seeds = args.seeds.clone().unwrap_or(problem.public_seeds.clone());
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    for case in seed_cases(&seeds) {
        let path = args.out.join(&case.name);
        let input = case.input(problem).map_err(|why| {
            Error::Internal(format!(
                "{}: the generator failed for seed {}: {why}",
                problem.id,
                case.seed.unwrap_or(0)
            ))
        })?;
        std::fs::write(&path, input.as_bytes()).map_err(|e| Error::io(&path, e))?;
    }
    eprintln!("wrote {} inputs to {}", seeds.len(), args.out.display());
    Ok(0)
}
