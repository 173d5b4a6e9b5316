//! `ale import <tools-dir> --id <id> [--objective max|min] [--time-limit-ms N] [--statement FILE]
//! [--tester-input-argument] [--interactive | --batch]`

use super::Context;
use ale::error::Error;
use ale::problem::import::{import, ImportOptions, Interaction};
use ale::problem::Objective;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder the contest's tools were unpacked in (with Cargo.toml, src/bin/gen.rs, src/bin/vis.rs)
    pub tools: PathBuf,
    /// The new problem's id
    #[arg(long)]
    pub id: String,
    /// Whether a higher (max) or lower (min) score is better
    #[arg(long, value_parser = ["max", "min"], default_value = "max")]
    pub objective: String,
    /// The time limit of one case
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub time_limit_ms: u64,
    /// The statement to keep beside the problem
    #[arg(long, value_name = "FILE")]
    pub statement: Option<PathBuf>,
    /// The tester takes the input file as its first argument (`tester input cmd...`, older contests)
    #[arg(long, conflicts_with = "batch")]
    pub tester_input_argument: bool,
    /// Interactive: judged through the tools' `tester`, even without src/bin/tester.rs
    /// [default: interactive when the tools have src/bin/tester.rs]
    #[arg(long, conflicts_with = "batch")]
    pub interactive: bool,
    /// Not interactive: scored by `vis`, even when the tools have a tester
    #[arg(long)]
    pub batch: bool,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    if args.id.is_empty()
        || !args
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Usage(format!(
            "--id `{}`: use letters, digits, - and _ only",
            args.id
        )));
    }
    eprintln!(
        "building the tools in {} (cargo build --release)",
        args.tools.display()
    );
    let imported = import(&ImportOptions {
        tools: args.tools.clone(),
        id: args.id.clone(),
        objective: if args.objective == "min" {
            Objective::Min
        } else {
            Objective::Max
        },
        time_limit_ms: args.time_limit_ms,
        statement: args.statement.clone(),
        tester_input_argument: args.tester_input_argument,
        interaction: if args.interactive {
            Interaction::Interactive
        } else if args.batch {
            Interaction::Batch
        } else {
            Interaction::Guess
        },
    })?;
    let choice = &imported.interaction;
    let kind = if choice.interactive {
        "interactive"
    } else {
        "batch"
    };
    if choice.guessed {
        let other = if choice.interactive {
            "--batch"
        } else {
            "--interactive"
        };
        eprintln!("{kind}: {} (override with {other})", choice.reason);
    } else {
        eprintln!("{kind}: as --{kind} says");
    }
    let folder = ctx.problems_folder().join(&args.id);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let toml = folder.join("problem.toml");
    std::fs::write(&toml, &imported.problem_toml).map_err(|e| Error::io(&toml, e))?;
    let statement = folder.join("statement.md");
    std::fs::write(&statement, &imported.statement).map_err(|e| Error::io(&statement, e))?;
    // The new file must load: say so now rather than at the first run.
    ctx.registry()?.get(&args.id)?;
    eprintln!(
        "wrote {}; try `ale run {} <solution> --seeds 0..100`",
        toml.display(),
        args.id
    );
    Ok(0)
}
