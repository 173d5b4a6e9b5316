//! `ale rank <problem> --score N [--json]`: where a total would have placed
//! in the problem's contest (its `[standings]`), and the performance it earns.

use super::Context;
use ale::error::Error;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id (a problem whose problem.toml has [standings])
    pub problem: String,
    /// The total score of a submission on the private cases
    #[arg(long, value_name = "N")]
    pub score: i64,
    /// Print {"rank", "performance", "contestants"} as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    let Some(contest) = &problem.contest else {
        return Err(Error::Usage(format!(
            "{}: no standings to rank in; give its problem.toml a [standings] section (scores = \"standings_scores.csv\", performance = \"performance.csv\")",
            problem.id
        )));
    };
    if contest.relative.is_some() {
        return Err(Error::Usage(format!(
            "{}: a relative-score contest ranks per-case scores, not a total; judge a solution with `ale submit {}` to see its rank",
            problem.id, problem.id
        )));
    }
    let ranking = contest.rank_total(args.score);
    if args.json {
        outln!("{}", serde_json::to_string(&ranking).unwrap_or_default());
    } else {
        outln!(
            "{}: a total of {} places {} of {}, performance {}",
            problem.id,
            args.score,
            ranking.rank,
            ranking.contestants,
            ranking.performance
        );
    }
    Ok(0)
}
