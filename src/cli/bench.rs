//! `ale bench <problems-folder-or-list> --budget 10m [-j N] [--out FILE.json] [--resume]
//! [--compare OLD.json]`: `ale solve` on each problem of a set, one table.

use super::Context;
use ale::agent::{starting_solvers, SolveEvent, SolveOptions};
use ale::bench::{bench, compare, read_report, BenchEvent, BenchReport};
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::problem::{Problem, Registry};
use ale::runner::RunOptions;
use ale::store::Store;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A folder of problems (each in <DIR>/<id>/problem.toml), a folder of ALE-Bench packages
    /// (each in <DIR>/<name>/data.json), or problem ids separated by commas
    pub problems: String,
    /// ALE-Bench packages: their lite seeds and standings
    #[arg(long)]
    pub lite: bool,
    /// Wall time of each problem's search: 90s, 10m, 1h (its private judging comes after it)
    #[arg(long, value_name = "TIME", default_value = "10m", value_parser = super::tune::parse_duration)]
    pub budget: Duration,
    /// Also cap each search by case evaluations
    #[arg(long, value_name = "N")]
    pub evaluations: Option<usize>,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub workers: super::workers::WorkerArgs,
    /// Seed of every search's random choices
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rng_seed: u64,
    /// Folder of starting solvers, one subfolder per problem
    #[arg(long, value_name = "DIR", default_value = "solvers")]
    pub solvers: PathBuf,
    /// Where submission folders go
    #[arg(long, value_name = "DIR", default_value = "submissions")]
    pub out_dir: PathBuf,
    /// Write the bench result as JSON to FILE (what --compare reads)
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Go on with the newest unfinished bench of the same problems, skipping the finished ones
    #[arg(long)]
    pub resume: bool,
    /// Set the result beside an earlier one (FILE.json from --out), problem by problem
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    if args.jobs == Some(0) {
        return Err(Error::Usage("-j must be at least 1".into()));
    }
    let mut folder = PathBuf::from(&args.problems);
    if folder.is_dir() && has_packages(&folder)? {
        folder = import_packages(ctx, &folder, args.lite)?;
    } else if args.lite {
        return Err(Error::Usage(format!(
            "--lite: {} is not a folder of ALE-Bench packages (subfolders with data.json); import a package with `ale import DIR --lite` instead",
            args.problems
        )));
    }
    let registry = if folder.is_dir() {
        Registry::load(Some(&folder))?
    } else {
        ctx.registry()?
    };
    let problems: Vec<&Problem> = if folder.is_dir() {
        let mut found: Vec<&Problem> = registry
            .iter()
            .filter(|p| folder.join(&p.id).join("problem.toml").is_file())
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found
    } else {
        args.problems
            .split(',')
            .map(|id| registry.get(id.trim()))
            .collect::<Result<_, _>>()?
    };
    if problems.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no problems (each in <DIR>/<id>/problem.toml); give a folder of problems or ids separated by commas",
            args.problems
        )));
    }
    let old = args.compare.as_deref().map(read_report).transpose()?;
    let languages = Languages::load(&ctx.paths.home)?;
    let workers = super::workers::start(
        &args.workers,
        args.jobs,
        problems
            .iter()
            .map(|p| p.memory_limit_mb)
            .max()
            .unwrap_or(1024),
        false,
    )?;
    let run = RunOptions {
        jobs: workers.jobs,
        pool: workers.pool,
        sandbox: ctx.sandbox()?,
        languages: languages.clone(),
        ..RunOptions::default()
    };
    super::stop_on_ctrl_c(&run.stop, "stopping: the problem in progress is submitted, the rest wait for --resume (Ctrl-C again to quit now)");
    let options = SolveOptions {
        budget: args.budget,
        max_evaluations: args.evaluations,
        from: Vec::new(),
        rng_seed: args.rng_seed,
        resume: None,
        selection: ale::agent::Selection::Beam,
        run,
        build_dir: ctx.paths.build.clone(),
        work_dir: ctx.paths.home.join("solve"),
        submissions: args.out_dir.clone(),
        first_seeds: 4,
        model: None,
        operators: Vec::new(),
    };
    let mut store = Store::open(&ctx.paths.store)?;
    let ids: Vec<&str> = problems.iter().map(|p| p.id.as_str()).collect();
    let key = ids.join(",");
    let id = match (args.resume, store.unfinished_bench(&key)?) {
        (true, Some(id)) => id,
        (true, None) => {
            return Err(Error::Usage(format!(
                "--resume: no unfinished bench of {key}; start one without --resume"
            )))
        }
        (false, _) => store.begin_bench(&key)?,
    };
    let extensions = languages.extensions();
    let solvers = args.solvers.clone();
    let starts = move |p: &Problem| starting_solvers(p, &solvers, &extensions);
    let started = std::time::Instant::now();
    let total = problems.len();
    let budget = args.budget;
    let mut events = |e: &BenchEvent| match e {
        BenchEvent::Problem {
            index,
            of,
            id,
            skipped,
        } => {
            let left = budget * (*of - *index) as u32;
            if *skipped {
                eprintln!("[{}/{of}] {id}: done before, skipped", index + 1);
            } else {
                eprintln!(
                    "[{}/{of}] {id}: searching for {:.0} s ({} s into the bench; at least {:.0} s of searching left)",
                    index + 1,
                    budget.as_secs_f64(),
                    started.elapsed().as_secs(),
                    left.as_secs_f64()
                );
            }
        }
        BenchEvent::Search(SolveEvent::Submitting) => {
            eprintln!("  judging the best on the private seeds");
        }
        BenchEvent::Search(_) => {}
        BenchEvent::Finished(row) => eprintln!(
            "  {}: private score {}, rank {}, performance {}",
            row.problem,
            row.private_score,
            row.rank.map_or("-".into(), |r| r.to_string()),
            row.performance.map_or("-".into(), |p| p.to_string())
        ),
    };
    let report = bench(id, &problems, &starts, &options, &mut store, &mut events)?;
    if let Some(path) = &args.out {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
        std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    }
    table(&report);
    if let Some(old) = &old {
        let objective = |id: &str| {
            registry
                .get(id)
                .map_or(ale::problem::Objective::Max, |p| p.objective)
        };
        outln!(
            "\nagainst {}:",
            args.compare
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
        outln!(
            "{:<16} {:>9} {:>9} {:>10} {:>8}  verdict",
            "problem",
            "old perf",
            "new perf",
            "new/old",
            "p"
        );
        for c in compare(old, &report, &objective) {
            outln!(
                "{:<16} {:>9} {:>9} {:>10} {:>8}  {}",
                c.problem,
                c.old_performance.map_or("-".into(), |p| p.to_string()),
                c.new_performance.map_or("-".into(), |p| p.to_string()),
                c.new_vs_old.map_or("-".into(), |m| format!("{m:.2}")),
                c.p_value.map_or("-".into(), |p| format!("{p:.3}")),
                c.verdict
            );
        }
    }
    Ok(if report.rows.len() < total { 130 } else { 0 })
}

/// Whether the subfolders of `folder` are ALE-Bench packages.
fn has_packages(folder: &std::path::Path) -> Result<bool, Error> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(folder, e))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .any(|e| ale::problem::ale_bench::is_package(&e.path())))
}

/// Imports every package under `folder` (full or lite) into a problems
/// folder of ale's own and returns it; the tools are built once (cargo
/// keeps them).
fn import_packages(ctx: &Context, folder: &std::path::Path, lite: bool) -> Result<PathBuf, Error> {
    let into = ctx
        .paths
        .home
        .join("packages")
        .join(if lite { "lite" } else { "full" });
    let mut packages: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| Error::io(folder, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| ale::problem::ale_bench::is_package(p))
        .collect();
    packages.sort();
    for package in packages {
        eprintln!("importing {} (building its tools once)", package.display());
        let (id, imported) =
            ale::problem::ale_bench::import_package(&ale::problem::ale_bench::PackageOptions {
                folder: package.clone(),
                id: None,
                lite,
            })?;
        let dir = into.join(&id);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        for (name, text) in [
            ("problem.toml", &imported.problem_toml),
            ("statement.md", &imported.statement),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(into)
}

fn table(report: &BenchReport) {
    outln!(
        "{:<16} {:>14} {:>6} {:>6} {:>10} {:>6} {:>7} {:>8}",
        "problem",
        "private score",
        "rank",
        "perf",
        "vs start",
        "cands",
        "cases",
        "cost"
    );
    for r in &report.rows {
        outln!(
            "{:<16} {:>14} {:>6} {:>6} {:>10} {:>6} {:>7} {:>8}",
            r.problem,
            r.private_score,
            r.rank.map_or("-".into(), |x| x.to_string()),
            r.performance.map_or("-".into(), |x| x.to_string()),
            r.vs_best_start.map_or("-".into(), |x| format!("{x:.2}")),
            r.candidates,
            r.cases,
            format!("${:.4}", r.cost)
        );
    }
    outln!(
        "mean performance: {}",
        report
            .mean_performance
            .map_or("- (no problem has standings)".into(), |m| format!("{m:.1}"))
    );
}
