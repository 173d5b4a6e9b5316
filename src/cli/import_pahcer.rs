//! `ale import-pahcer [pahcer_config.toml]`

use super::Context;
use ale::error::Error;
use ale::problem::pahcer::import_pahcer;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The pahcer configuration
    #[arg(default_value = "pahcer_config.toml")]
    pub config: PathBuf,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let (id, toml, statement) = import_pahcer(&args.config)?;
    let folder = ctx.problems_folder().join(&id);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let file = folder.join("problem.toml");
    std::fs::write(&file, toml).map_err(|e| Error::io(&file, e))?;
    let statement_file = folder.join("statement.md");
    if !statement_file.exists() {
        std::fs::write(&statement_file, statement).map_err(|e| Error::io(&statement_file, e))?;
    }
    ctx.registry()?.get(&id)?;
    eprintln!(
        "wrote {}; run your solution with `ale run {id} <solution>` (a source file, a cargo project folder or a built program)",
        file.display()
    );
    Ok(0)
}
