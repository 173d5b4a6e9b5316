//! `ale tune <problem> <solution> [--budget 10m] [--seeds A..B] [--holdout A..B] [-j N] [--out FILE] [--resume] [--rng-seed N] [--json]`

use super::Context;
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::problem::Seeds;
use ale::runner::RunOptions;
use ale::store::Store;
use ale::tune::{tune, TuneEvent, TuneOptions, TuneReport};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// A solution source with `ale:param` annotations
    pub solution: PathBuf,
    /// Wall time for the search: 90s, 10m, 1h, 1h30m (a bare number is seconds)
    #[arg(long, value_name = "TIME", default_value = "10m", value_parser = parse_duration)]
    pub budget: Duration,
    /// Stop the search after this many case evaluations
    #[arg(long, value_name = "N")]
    pub evaluations: Option<usize>,
    /// Tuning seeds A..B; default the problem's public seeds but the last quarter
    #[arg(long, value_name = "A..B")]
    pub seeds: Option<Seeds>,
    /// Hold-out seeds A..B, never used by the search; default the last quarter of the public seeds
    #[arg(long, value_name = "A..B")]
    pub holdout: Option<Seeds>,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub workers: super::workers::WorkerArgs,
    /// Where to write the tuned source; default <solution stem>.tuned.<ext> beside it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Continue the latest unfinished tuning of this problem and solution
    #[arg(long)]
    pub resume: bool,
    /// Seed of the seed order and of the sampler
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rng_seed: u64,
    /// Print one JSON document instead of the report
    #[arg(long)]
    pub json: bool,
    /// Kill a case at this multiple of the time limit
    #[arg(long, value_name = "F", default_value_t = 1.5)]
    pub kill_factor: f64,
}

/// `90s`, `10m`, `1h`, `1h30m`, `2.5m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration; write 90s, 10m, 1h or 1h30m");
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).map_err(|_| bad());
    }
    let mut total = 0.0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            _ => return Err(bad()),
        };
        let n: f64 = number.parse().map_err(|_| bad())?;
        total += n * unit;
        number.clear();
    }
    if !number.is_empty() || text.is_empty() {
        return Err(bad());
    }
    Duration::try_from_secs_f64(total).map_err(|_| bad())
}

/// The tuned source's default name: `ils.rs` gives `ils.tuned.rs` beside it.
fn default_out(solution: &Path) -> PathBuf {
    let stem = solution
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "solution".into());
    let name = match solution.extension() {
        Some(ext) => format!("{stem}.tuned.{}", ext.to_string_lossy()),
        None => format!("{stem}.tuned"),
    };
    solution.with_file_name(name)
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let problem = registry.get(&args.problem)?;
    if !args.solution.is_file() {
        return Err(Error::Usage(format!(
            "{}: no such solution file",
            args.solution.display()
        )));
    }
    if args.jobs == Some(0) {
        return Err(Error::Usage("-j must be at least 1".into()));
    }
    if args.kill_factor.is_nan() || args.kill_factor < 1.0 {
        return Err(Error::Usage("--kill-factor must be at least 1".into()));
    }
    let public = &problem.public_seeds;
    let quarter = (public.len() / 4).max(1).min(public.len());
    let (first, last) = public.split_last(quarter);
    let holdout = args.holdout.clone().unwrap_or(last);
    let seeds = args.seeds.clone().unwrap_or(first);
    if seeds.overlaps(&holdout) {
        return Err(Error::Usage(format!(
            "the tuning seeds {seeds} overlap the hold-out seeds {holdout}; give --holdout A..B outside them"
        )));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.solution));
    let workers = super::workers::for_problem(&args.workers, args.jobs, problem)?;
    let run = RunOptions {
        jobs: workers.jobs,
        pool: workers.pool,
        kill_factor: args.kill_factor,
        sandbox: ctx.sandbox()?,
        languages: Languages::load(&ctx.paths.home)?,
        ..RunOptions::default()
    };
    super::stop_on_ctrl_c(&run.stop, "stopping: finishing the cases in progress, keeping the best so far (Ctrl-C again to quit now)");
    let options = TuneOptions {
        budget: Some(args.budget),
        max_evaluations: args.evaluations,
        seeds: seeds.clone(),
        holdout: holdout.clone(),
        rng_seed: args.rng_seed,
        resume: args.resume,
        run,
        work_dir: ctx.paths.home.join("tune"),
        build_dir: ctx.paths.build.clone(),
        alpha: ale::tune::stats::RACING_ALPHA,
        session: None,
        spread: 4,
    };
    let mut store = Store::open(&ctx.paths.store)?;
    // One line per trial on stderr, also with --json (whose document is on stdout).
    let mut events = |event: &TuneEvent| match event {
        TuneEvent::TrialStarted { .. } => {}
        TuneEvent::TrialEnded {
            number,
            values,
            status,
            cases,
            mean_relative,
            incumbent,
        } => {
            let values: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let best = if *incumbent && *number > 0 {
                "  best so far"
            } else {
                ""
            };
            eprintln!(
                "trial {number:>3}  {status:<13} {cases:>4} cases  {mean_relative:>8.2}  {}{best}",
                values.join(" ")
            )
        }
        TuneEvent::Holdout => {
            eprintln!("judging the start and the best on the hold-out seeds {holdout}")
        }
    };
    let report = tune(
        problem,
        &args.solution,
        &out,
        &options,
        &mut store,
        &mut events,
    )?;
    if args.json {
        outln!("{}", json(&report, &problem.id, &args.solution));
    } else {
        text(&report, &problem.id, &args.solution, seeds);
    }
    Ok(if report.interrupted { 130 } else { 0 })
}

/// `ale tune --json`, field for field.
#[derive(serde::Serialize)]
struct TuneDocument<'a> {
    tuning_id: i64,
    problem: &'a str,
    solution: String,
    out: String,
    params: &'a [ale::tune::Change],
    trials: usize,
    raced_out: usize,
    evaluations: usize,
    elapsed_s: f64,
    tuning_mean_relative: f64,
    holdout: Option<&'a ale::tune::Holdout>,
    interrupted: bool,
}

fn json(r: &TuneReport, problem: &str, solution: &Path) -> String {
    let doc = TuneDocument {
        tuning_id: r.tuning_id,
        problem,
        solution: solution.display().to_string(),
        out: r.out.display().to_string(),
        params: &r.changes,
        trials: r.trials,
        raced_out: r.raced_out,
        evaluations: r.evaluations,
        elapsed_s: r.elapsed.as_secs_f64(),
        tuning_mean_relative: r.tuning_mean_relative,
        holdout: r.holdout.as_ref(),
        interrupted: r.interrupted,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn text(r: &TuneReport, problem: &str, solution: &Path, seeds: Seeds) {
    outln!(
        "tuned {} on {problem}: {} trials ({} raced out), {} cases, {:.0} s",
        solution.display(),
        r.trials,
        r.raced_out,
        r.evaluations,
        r.elapsed.as_secs_f64()
    );
    outln!("{:<20} {:>14} {:>14}", "parameter", "old", "new");
    for c in &r.changes {
        outln!("{:<20} {:>14} {:>14}", c.name, c.old, c.new);
    }
    outln!(
        "tuning seeds {seeds}: mean relative score {:.2} against the start (100 = same)",
        r.tuning_mean_relative
    );
    match &r.holdout {
        Some(h) if h.better && h.p_value < 0.05 => outln!(
            "hold-out seeds {}: {:.2}, better than the start (one-sided Wilcoxon p = {:.3})",
            h.seeds,
            h.mean_relative,
            h.p_value
        ),
        Some(h) if h.better => outln!(
            "hold-out seeds {}: {:.2}, above the start but not significantly (one-sided Wilcoxon p = {:.3}); more hold-out seeds would tell",
            h.seeds,
            h.mean_relative,
            h.p_value
        ),
        Some(h) => outln!(
            "hold-out seeds {}: {:.2}, NOT better than the start on seeds the tuner never used (p = {:.3}); keep the original constants",
            h.seeds,
            h.mean_relative,
            h.p_value
        ),
        None if r.interrupted => outln!(
            "stopped before the hold-out judging; `ale tune {problem} {} --resume` continues",
            solution.display()
        ),
        None => outln!("no hold-out seeds: the result is not checked on unseen seeds"),
    }
    outln!("wrote {}", r.out.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("2.5m"), Ok(Duration::from_secs(150)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5m3").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn the_tuned_file_sits_beside_the_solution() {
        assert_eq!(
            default_out(Path::new("solvers/tsp/ils.rs")),
            PathBuf::from("solvers/tsp/ils.tuned.rs")
        );
    }
}
