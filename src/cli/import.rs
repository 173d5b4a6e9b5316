//! `ale import <tools-dir> --id <id> [--objective max|min] [--time-limit-ms N] [--statement FILE]
//! [--tester-input-argument] [--interactive | --batch]`, or `ale import <package> [--id <id>]
//! [--lite]` for a problem laid out as ALE-Bench extracts one (a folder with data.json).

use super::Context;
use ale::error::Error;
use ale::problem::ale_bench::{import_package, is_package, PackageOptions};
use ale::problem::import::{import, ImportOptions, Interaction};
use ale::problem::Objective;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder the contest's tools were unpacked in (with Cargo.toml, src/bin/gen.rs,
    /// src/bin/vis.rs), or an ALE-Bench problem package (with data.json)
    pub tools: PathBuf,
    /// The new problem's id (a package's own problem_id by default)
    #[arg(long)]
    pub id: Option<String>,
    /// An ALE-Bench package: its lite seeds and standings
    #[arg(long)]
    pub lite: bool,
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

/// Whether `id` may name a problem (and its folder).
fn check_id(id: &str) -> Result<(), Error> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Usage(format!(
            "id `{id}`: use letters, digits, - and _ only (give --id)"
        )));
    }
    Ok(())
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    if let Some(id) = &args.id {
        check_id(id)?;
    }
    if is_package(&args.tools) {
        eprintln!(
            "an ALE-Bench package: building its tools in {} (cargo build --release)",
            args.tools.join("tools").display()
        );
        let (id, imported) = import_package(&PackageOptions {
            folder: args.tools.clone(),
            id: args.id.clone(),
            lite: args.lite,
        })?;
        check_id(&id)?;
        let kind = if imported.interaction.interactive {
            "reactive"
        } else {
            "batch"
        };
        eprintln!("{kind}: as metadata.problem_type in data.json says");
        return write(ctx, &id, &imported);
    }
    if args.lite {
        return Err(Error::Usage(format!(
            "--lite: {} is not an ALE-Bench package (no data.json)",
            args.tools.display()
        )));
    }
    let Some(id) = args.id.clone() else {
        return Err(Error::Usage(
            "--id ID: the new problem's id (a tools folder has none of its own)".into(),
        ));
    };
    eprintln!(
        "building the tools in {} (cargo build --release)",
        args.tools.display()
    );
    let imported = import(&ImportOptions {
        tools: args.tools.clone(),
        id: id.clone(),
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
    write(ctx, &id, &imported)
}

/// Writes the imported problem into the problems folder and loads it back.
fn write(ctx: &Context, id: &str, imported: &ale::problem::import::Imported) -> Result<i32, Error> {
    let folder = ctx.problems_folder().join(id);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let toml = folder.join("problem.toml");
    std::fs::write(&toml, &imported.problem_toml).map_err(|e| Error::io(&toml, e))?;
    let statement = folder.join("statement.md");
    std::fs::write(&statement, &imported.statement).map_err(|e| Error::io(&statement, e))?;
    // The new file must load: say so now rather than at the first run.
    ctx.registry()?.get(id)?;
    eprintln!("wrote {}; try `ale run {id} <solution>`", toml.display());
    Ok(0)
}
