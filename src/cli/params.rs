//! `ale params <solution>`: the tunable constants a solution exposes.

use super::Context;
use ale::error::Error;
use ale::tune::params::{find, Domain};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A solution source with `ale:param` annotations
    pub solution: PathBuf,
}

pub fn main(_ctx: &Context, args: Args) -> Result<i32, Error> {
    let text = std::fs::read_to_string(&args.solution).map_err(|e| Error::io(&args.solution, e))?;
    let params = find(&text).map_err(|e| Error::BadInput {
        path: args.solution.clone(),
        message: e.to_string(),
    })?;
    if params.is_empty() {
        eprintln!(
            "{}: no `ale:param` annotations; mark a constant like `const T0: f64 = 2000.0; // ale:param log 10..100000`",
            args.solution.display()
        );
        return Ok(0);
    }
    outln!(
        "{:<20} {:<6} {:>12}  {:<24} line",
        "name",
        "kind",
        "value",
        "domain"
    );
    for p in params {
        let kind = match p.domain {
            Domain::Int { .. } => "int",
            Domain::Float { .. } => "float",
            Domain::Choice(_) => "choice",
        };
        outln!(
            "{:<20} {:<6} {:>12}  {:<24} {}",
            p.name,
            kind,
            p.value,
            p.domain.to_string(),
            p.line
        );
    }
    Ok(0)
}
