//! `ale history <problem>`

use super::Context;
use ale::error::Error;
use ale::report::history_table;
use ale::store::Store;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// How many runs to list
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let store = Store::open(&ctx.paths.store)?;
    let rows = store.runs(&args.problem, args.limit)?;
    if rows.is_empty() {
        eprintln!(
            "no runs of `{}` in {}; start one with `ale run {} <solution>`",
            args.problem,
            ctx.paths.store.display(),
            args.problem
        );
        return Ok(0);
    }
    out!("{}", history_table(&rows));
    Ok(0)
}
