//! `ale solve <problem> [--budget 10m] [--from FILE...] [--only-from] [-j N] [--rng-seed N] [--select beam|weighted] [--json]`,
//! `ale sessions [problem] [--json]` and `ale show SESSION`.

use super::tune::parse_duration;
use super::Context;
use ale::agent::{solve, starting_solvers, ModelSetup, Selection, SolveEvent, SolveOptions, Start};
use ale::error::Error;
use ale::judge::languages::Languages;
use ale::judge::sandbox::Sandbox;
use ale::llm::{Llm, LlmConfig, LlmFlags, RetryPolicy, Templates};
use ale::report::SearchView;
use ale::runner::RunOptions;
use ale::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Problem id
    pub problem: String,
    /// Wall time for the search: 90s, 10m, 1h (the private judging comes after it)
    #[arg(long, value_name = "TIME", default_value = "10m", value_parser = parse_duration)]
    pub budget: Duration,
    /// The public seeds the search judges on, A..B (B excluded); default the
    /// problem's. Fewer seeds judge each candidate sooner and less surely.
    #[arg(long, value_name = "A..B", conflicts_with = "resume")]
    pub seeds: Option<ale::problem::Seeds>,
    /// The private seeds the winner is judged on, A..B; default the problem's.
    /// They may not overlap the public seeds.
    #[arg(long = "private-seeds", value_name = "A..B", conflicts_with = "resume")]
    pub private_seeds: Option<ale::problem::Seeds>,
    /// Also stop the search after this many case evaluations
    #[arg(long, value_name = "N")]
    pub evaluations: Option<usize>,
    /// Also start from these solutions
    #[arg(long = "from", value_name = "FILE", num_args = 1..)]
    pub from: Vec<PathBuf>,
    /// Folder of starting solvers, one subfolder per problem: they add to
    /// those ale carries for a built-in problem, and replace one of the same name
    #[arg(long, value_name = "DIR", default_value = "solvers")]
    pub solvers: PathBuf,
    /// Start only from the --from files (and a model's drafts), neither from
    /// the solvers ale carries nor from the solvers folder
    #[arg(long = "only-from", conflicts_with = "solvers")]
    pub only_from: bool,
    /// Cases run at once; default one per core
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub workers: super::workers::WorkerArgs,
    /// Seed of the seed order and of every random choice
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rng_seed: u64,
    /// How parents are chosen
    #[arg(long = "select", value_enum, default_value = "beam")]
    pub selection: SelectionArg,
    /// Where submission folders go
    #[arg(long, value_name = "DIR", default_value = "submissions")]
    pub out: PathBuf,
    /// Print one JSON document at the end instead of the summary
    #[arg(long)]
    pub json: bool,
    /// Continue this session (after Ctrl-C or a kill) instead of starting one
    #[arg(long, value_name = "SESSION")]
    pub resume: Option<i64>,
    /// A language model's endpoint: an OpenAI-compatible base URL such as
    /// http://localhost:8000/v1, or https://api.anthropic.com [env: ALE_LLM_URL]
    #[arg(long = "llm-url", value_name = "URL")]
    pub llm_url: Option<String>,
    /// The model's name at that endpoint [env: ALE_LLM_MODEL]
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// The endpoint's protocol: openai or anthropic (default: from the URL)
    #[arg(long = "llm-protocol", value_name = "NAME")]
    pub llm_protocol: Option<String>,
    /// A command that reads a prompt on stdin and writes a reply on stdout
    #[arg(long = "llm-cmd", value_name = "COMMAND")]
    pub llm_cmd: Option<String>,
    /// Stop asking models once this many dollars are spent
    #[arg(long = "max-cost", value_name = "DOLLARS")]
    pub max_cost: Option<f64>,
    /// Time for one model request
    #[arg(long = "llm-timeout", value_name = "TIME", value_parser = parse_duration)]
    pub llm_timeout: Option<Duration>,
    /// Model requests in flight at once, while the judge runs candidates
    /// [default: 2, or llm_in_flight in ale.toml]
    #[arg(long = "llm-in-flight", value_name = "N")]
    pub llm_in_flight: Option<usize>,
    /// Serve the model replies recorded in SESSION, in order, instead of calling a model
    #[arg(long = "llm-replay", value_name = "SESSION")]
    pub llm_replay: Option<i64>,
    /// Language of drafted solutions (an extension: rs, cpp, py)
    #[arg(long, value_name = "EXT", default_value = "rs")]
    pub language: String,
    /// Only these operators, comma-separated (perturb, crossover, tune, improve,
    /// draft, repair, llm-crossover); default all that apply
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub operators: Vec<String>,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    let mut problem = registry.get(&args.problem)?.clone();
    if let Some(seeds) = args.seeds.clone() {
        problem.public_seeds = seeds;
    }
    if let Some(id) = args.resume {
        // A resumed session keeps the seeds it started with (the library
        // holds to them too); said here so that the announcement is right.
        let store = Store::open(&ctx.paths.store)?;
        if let Some(row) = store.session(id)? {
            problem.public_seeds = row.public_seeds.unwrap_or(problem.public_seeds);
            problem.private_seeds = row.private_seeds.unwrap_or(problem.private_seeds);
        }
    }
    if let Some(seeds) = args.private_seeds.clone() {
        problem.private_seeds = seeds;
    }
    if problem.public_seeds.is_empty() || problem.private_seeds.is_empty() {
        return Err(Error::Usage(format!(
            "--seeds {} / --private-seeds {}: the search needs at least one public seed and the submission one private seed",
            problem.public_seeds, problem.private_seeds
        )));
    }
    if problem.public_seeds.overlaps(&problem.private_seeds) {
        return Err(Error::Usage(format!(
            "the public seeds {} and the private seeds {} overlap: the winner would be judged on seeds the search saw; give ranges apart",
            problem.public_seeds, problem.private_seeds
        )));
    }
    let problem = &problem;
    if args.jobs == Some(0) {
        return Err(Error::Usage("-j must be at least 1".into()));
    }
    let languages = Languages::load(&ctx.paths.home)?;
    let mut starts = if args.resume.is_some() || args.only_from {
        Vec::new() // a resumed session's candidates are in the store
    } else {
        starting_solvers(problem, &args.solvers, &languages.extensions())?
    };
    for file in &args.from {
        if !file.is_file() {
            return Err(Error::Usage(format!(
                "--from {}: no such file",
                file.display()
            )));
        }
        starts.push(Start::read(file)?);
    }
    let workers = super::workers::for_problem(&args.workers, args.jobs, problem)?;
    let run = RunOptions {
        jobs: workers.jobs,
        pool: workers.pool,
        sandbox: ctx.sandbox()?,
        languages,
        ..RunOptions::default()
    };
    super::stop_on_ctrl_c(
        &run.stop,
        "stopping the search: the best so far is judged and submitted (Ctrl-C again to quit now)",
    );
    let options = SolveOptions {
        budget: args.budget,
        max_evaluations: args.evaluations,
        from: args.from.clone(),
        rng_seed: args.rng_seed,
        resume: args.resume,
        selection: args.selection.into(),
        run,
        build_dir: ctx.paths.build.clone(),
        work_dir: ctx.paths.home.join("solve"),
        submissions: args.out.clone(),
        first_seeds: 4,
        model: None,
        operators: args.operators.clone(),
    };
    let known = ale::agent::operators::operator_names();
    if let Some(bad) = args.operators.iter().find(|o| !known.contains(&o.as_str())) {
        return Err(Error::Usage(format!(
            "--operators: no operator called `{bad}`; the operators are {}",
            known.join(", ")
        )));
    }
    let mut store = Store::open(&ctx.paths.store)?;
    let mut options = options;
    options.model = model_setup(&args, &store)?.map(std::sync::Arc::new);
    if options.model.is_none()
        && !args.operators.is_empty()
        && args
            .operators
            .iter()
            .all(|o| ale::agent::operator::asks_model(o))
    {
        return Err(Error::Usage(format!(
            "--operators {}: every one of them asks a language model, and none is configured (--llm-url URL --model NAME, [[llm]] in ale.toml, or --llm-cmd COMMAND); add an offline operator (perturb, crossover, tune)",
            args.operators.join(",")
        )));
    }
    if let (Some(_), Sandbox::Off(reason)) = (&options.model, &options.run.sandbox) {
        if !ctx.sandbox_turned_off() {
            return Err(Error::Usage(format!(
                "ale solve with a language model runs programs the model wrote, and runs them only in the box, which is off here: {reason}; install bubblewrap, or give --no-sandbox to run them unboxed on purpose"
            )));
        }
    }
    eprintln!(
        "searching {} for {:.0} s from {} solution(s) on the public seeds {}",
        problem.id,
        args.budget.as_secs_f64(),
        starts.len(),
        problem.public_seeds
    );
    eprintln!("{}", final_judging(problem, options.run.jobs));
    let mut view = SearchView::new(
        std::io::stderr().is_terminal(),
        args.budget,
        problem.private_seeds.to_string(),
    );
    let mut events = |event: &SolveEvent| view.event(event);
    let report = solve(problem, &starts, &options, &mut store, &mut events)?;
    drop(view);
    if args.json {
        let doc = SolveDocument {
            session: report.session,
            problem: &problem.id,
            best_candidate: report.best_candidate,
            best_public_score: report.best_public_score,
            candidates: report.candidates,
            evaluations: report.evaluations,
            elapsed_s: report.elapsed.as_secs_f64(),
            submission: report.submission.folder.display().to_string(),
            report: &report.submission.report,
        };
        outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        outln!(
            "session {}: {} candidates, {} cases in {:.0} s; best: candidate {} (public mean score {})",
            report.session,
            report.candidates,
            report.evaluations,
            report.elapsed.as_secs_f64(),
            report.best_candidate,
            report
                .best_public_score
                .map_or("-".into(), |s| format!("{s:.2}"))
        );
        let p = &report.submission.private;
        outln!(
            "private seeds {}: AC {}/{}, mean score {}",
            p.seeds,
            p.accepted,
            p.cases,
            p.mean_score.map_or("-".into(), |m| format!("{m:.2}"))
        );
        let r = &report.submission.report;
        if let (Some(rank), Some(performance), Some(contestants)) =
            (r.rank, r.performance, r.contestants)
        {
            outln!("in the contest: rank {rank} of {contestants}, performance {performance}");
        }
        outln!("submitted to {}", report.submission.folder.display());
    }
    Ok(0)
}

/// What comes after the search, said before it starts: the winner judged
/// on every public and private seed, and the longest that can take (every
/// case at the time limit, `jobs` at once).
fn final_judging(problem: &ale::problem::Problem, jobs: usize) -> String {
    let cases = problem.public_seeds.len() + problem.private_seeds.len();
    let worst = cases as f64 * problem.time_limit_ms as f64 / 1000.0 / jobs.max(1) as f64;
    format!(
        "then the best is judged on the {} public and {} private seeds: up to {} more ({cases} cases of up to {} ms, {} at once)",
        problem.public_seeds.len(),
        problem.private_seeds.len(),
        human_duration(worst),
        problem.time_limit_ms,
        jobs.max(1)
    )
}

/// `95 s`, `4.6 min`.
fn human_duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{:.1} min", seconds / 60.0)
    }
}

/// The models `ale solve` may ask: a replay of a recorded session, or what
/// the flags, the environment and ale.toml configure; None without any.
fn model_setup(args: &Args, store: &Store) -> Result<Option<ModelSetup>, Error> {
    let flags = LlmFlags {
        url: args.llm_url.clone(),
        model: args.model.clone(),
        protocol: args.llm_protocol.clone(),
        command: args.llm_cmd.clone(),
        max_cost: args.max_cost,
        timeout: args.llm_timeout,
        max_in_flight: args.llm_in_flight,
    };
    let env = |name: &str| std::env::var(name).ok();
    let config = LlmConfig::resolve(&flags, &env, std::path::Path::new("ale.toml"))?;
    let templates = Templates::with_overrides(&config.prompts)?;
    let language = args.language.trim_start_matches('.').to_string();
    if let Some(session) = args.llm_replay {
        let calls = store.llm_calls(session)?;
        if calls.is_empty() {
            return Err(Error::Usage(format!(
                "--llm-replay {session}: that session made no model calls (see `ale sessions`)"
            )));
        }
        // Earlier versions asked for the running summary in the middle of a
        // request (no time recorded): their calls come in another order than
        // this version asks, and a replay would hand answers to the wrong requests.
        let log = store.llm_call_log(session)?;
        if log
            .iter()
            .any(|c| c.operator == "summarise" && c.asked.is_none())
        {
            return Err(Error::Usage(format!(
                "--llm-replay {session}: that session was recorded by an earlier version of ale, which asked for its summaries in another order; it cannot be replayed by this one"
            )));
        }
        let mut setup = ModelSetup::new(
            Llm::replay(session, calls, config.max_cost, config.max_in_flight)?,
            templates,
            language,
        );
        setup.replay_steps = Some(
            store
                .llm_call_log(session)?
                .iter()
                .map(|c| c.taken_at.zip(c.answered))
                .collect(),
        );
        return Ok(Some(setup));
    }
    if !config.is_configured() {
        return Ok(None);
    }
    Ok(Some(ModelSetup::new(
        Llm::new(&config, RetryPolicy::default())?,
        templates,
        language,
    )))
}

/// `--select`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SelectionArg {
    /// The least-expanded of the best few (ALE-Agent's best-first search).
    Beam,
    /// Sampled, favouring high relative scores and few children (ShinkaEvolve).
    Weighted,
}

impl From<SelectionArg> for Selection {
    fn from(s: SelectionArg) -> Selection {
        match s {
            SelectionArg::Beam => Selection::Beam,
            SelectionArg::Weighted => Selection::Weighted,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct SessionsArgs {
    /// Only this problem's sessions
    pub problem: Option<String>,
    /// Print a JSON list
    #[arg(long)]
    pub json: bool,
}

pub fn sessions(ctx: &Context, args: SessionsArgs) -> Result<i32, Error> {
    let store = Store::open(&ctx.paths.store)?;
    let rows = store.sessions(args.problem.as_deref())?;
    if args.json {
        let list: Vec<SessionDocument> = rows
            .iter()
            .map(|s| SessionDocument {
                id: s.id,
                problem: &s.problem,
                status: s.status,
                best_public_score: s.best_public_score,
                best_candidate: s.best_candidate,
                started_at: &s.started_at,
                submission: s.submission.as_deref(),
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return Ok(0);
    }
    outln!(
        "{:>5}  {:<10} {:<21} {:<9} {:>16}  submission",
        "id",
        "problem",
        "started",
        "status",
        "best public"
    );
    for s in rows {
        outln!(
            "{:>5}  {:<10} {:<21} {:<9} {:>16}  {}",
            s.id,
            s.problem,
            s.started_at,
            s.status,
            s.best_public_score
                .map_or("-".into(), |v| format!("{v:.2}")),
            s.submission.unwrap_or_default()
        );
    }
    Ok(0)
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// Session id (see `ale sessions`)
    pub session: i64,
    /// Top candidates to list before the tree
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top: usize,
    /// Print a JSON document: the session and every candidate
    #[arg(long)]
    pub json: bool,
}

/// A candidate as `ale show` presents it.
struct Shown {
    row: ale::store::CandidateRow,
    cases: usize,
    mean: Option<f64>,
}

pub fn show(ctx: &Context, args: ShowArgs) -> Result<i32, Error> {
    let store = Store::open(&ctx.paths.store)?;
    let Some(session) = store.session(args.session)? else {
        return Err(Error::Usage(format!(
            "session {}: no such session (see `ale sessions`)",
            args.session
        )));
    };
    let mut shown = Vec::new();
    for row in store.candidates(args.session)? {
        let cases = store.candidate_cases(row.id)?;
        let accepted: Vec<i64> = cases.iter().filter_map(|k| k.accepted_score()).collect();
        let mean = (!accepted.is_empty())
            .then(|| accepted.iter().sum::<i64>() as f64 / accepted.len() as f64);
        shown.push(Shown {
            cases: cases.len(),
            mean,
            row,
        });
    }
    // Fully judged candidates, best first (the problem says which way is better).
    let problem = ctx
        .registry()
        .ok()
        .and_then(|r| r.get(&session.problem).ok().cloned());
    let full = problem.as_ref().map_or_else(
        || shown.iter().map(|c| c.cases).max().unwrap_or(0),
        |p| p.public_seeds.iter().count(),
    );
    let minimise = problem
        .as_ref()
        .is_some_and(|p| p.objective == ale::problem::Objective::Min);
    let mut top: Vec<&Shown> = shown
        .iter()
        .filter(|c| c.cases >= full && c.mean.is_some())
        .collect();
    top.sort_by(|a, b| {
        let (x, y) = (a.mean.unwrap_or(0.0), b.mean.unwrap_or(0.0));
        if minimise {
            x.total_cmp(&y)
        } else {
            y.total_cmp(&x)
        }
    });
    top.truncate(args.top);
    let lineage = |id: i64| -> Vec<i64> {
        let mut chain = vec![id];
        let mut at = id;
        while let Some(parent) = shown
            .iter()
            .find(|c| c.row.id == at)
            .and_then(|c| c.row.parent)
            .filter(|p| !chain.contains(p))
        {
            chain.push(parent);
            at = parent;
        }
        chain.reverse();
        chain
    };
    let calls = store.llm_call_log(args.session)?;
    if args.json {
        let doc = ShowDocument {
            id: session.id,
            problem: &session.problem,
            status: session.status,
            best_candidate: session.best_candidate,
            best_public_score: session.best_public_score,
            submission: session.submission.as_deref(),
            url: ale::links::session(session.id),
            top: top
                .iter()
                .map(|c| TopDocument {
                    id: c.row.id,
                    mean_score: c.mean,
                    lineage: lineage(c.row.id),
                })
                .collect(),
            candidates: shown
                .iter()
                .map(|c| CandidateDocument {
                    id: c.row.id,
                    parent: c.row.parent,
                    operator: &c.row.operator,
                    origin: &c.row.origin,
                    status: c.row.status,
                    cases: c.cases,
                    mean_score: c.mean,
                    created_s: c.row.created_s,
                })
                .collect(),
            model_calls: calls
                .iter()
                .map(|c| CallDocument {
                    id: c.id,
                    operator: &c.operator,
                    model: &c.model,
                    asked_s: c.asked,
                    answered_s: c.answered,
                    cost: c.cost,
                    candidate: c.candidate,
                    error: c.error.as_deref(),
                })
                .collect(),
        };
        outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(0);
    }
    outln!(
        "session {} of {}: {}, started {}, {} candidates{}",
        session.id,
        session.problem,
        session.status,
        session.started_at,
        shown.len(),
        session
            .submission
            .as_ref()
            .map_or(String::new(), |s| format!(", submitted to {s}"))
    );
    outln!(
        "in the browser (`ale serve`): {}",
        ale::links::session(session.id)
    );
    if !top.is_empty() {
        outln!("\ntop candidates (every public seed judged):");
        for (rank, c) in top.iter().enumerate() {
            let chain: Vec<String> = lineage(c.row.id)
                .iter()
                .map(|id| {
                    let op = shown
                        .iter()
                        .find(|s| s.row.id == *id)
                        .map_or("?", |s| s.row.operator.as_str());
                    format!("{id} ({op})")
                })
                .collect();
            outln!(
                "{:>3}. candidate {:<5} {:>14}  {}",
                rank + 1,
                c.row.id,
                c.mean.map_or("-".into(), |m| format!("{m:.2}")),
                chain.join(" > ")
            );
        }
    }
    outln!("\ncandidate tree (id operator: status, cases, mean score, how it was made):");
    let best = session.best_candidate;
    let nodes: Vec<ale::report::TreeNode> = shown
        .iter()
        .map(|c| ale::report::TreeNode {
            id: c.row.id,
            parent: c.row.parent,
            label: format!(
                "{} {}: {}, {} cases, {}  {}{}",
                c.row.id,
                c.row.operator,
                c.row.status,
                c.cases,
                c.mean.map_or("-".into(), |m| format!("{m:.2}")),
                c.row.origin,
                if best == Some(c.row.id) {
                    "  <- submitted"
                } else {
                    ""
                }
            ),
        })
        .collect();
    out!("{}", ale::report::draw_tree(&nodes));
    if !calls.is_empty() {
        let cost: f64 = calls.iter().map(|c| c.cost).sum();
        outln!(
            "\nmodel calls ({}, ${cost:.4}; seconds into the search when asked and answered):",
            calls.len()
        );
        let at = |t: Option<f64>| t.map_or("-".into(), |t| format!("{t:.1}"));
        for c in &calls {
            let came = match (&c.error, c.candidate) {
                (Some(e), _) => e.clone(),
                (None, Some(id)) => format!("candidate {id}"),
                (None, None) => "not used".into(),
            };
            outln!(
                "  call {:<4} {:<13} {:<20} {:>7} -> {:<7} ${:.4}  {came}",
                c.id,
                c.operator,
                c.model,
                at(c.asked),
                at(c.answered),
                c.cost
            );
        }
    }
    Ok(0)
}

/// `ale solve --json`, field for field.
#[derive(serde::Serialize)]
struct SolveDocument<'a> {
    session: i64,
    problem: &'a str,
    best_candidate: i64,
    best_public_score: Option<f64>,
    candidates: usize,
    evaluations: usize,
    elapsed_s: f64,
    submission: String,
    report: &'a ale::agent::SubmissionReport,
}

/// One session of `ale sessions --json`.
#[derive(serde::Serialize)]
struct SessionDocument<'a> {
    id: i64,
    problem: &'a str,
    status: ale::store::SessionStatus,
    best_public_score: Option<f64>,
    best_candidate: Option<i64>,
    started_at: &'a str,
    submission: Option<&'a str>,
}

/// `ale show --json`, field for field.
#[derive(serde::Serialize)]
struct ShowDocument<'a> {
    id: i64,
    problem: &'a str,
    status: ale::store::SessionStatus,
    best_candidate: Option<i64>,
    best_public_score: Option<f64>,
    submission: Option<&'a str>,
    /// Its page in `ale serve`.
    url: String,
    top: Vec<TopDocument>,
    candidates: Vec<CandidateDocument<'a>>,
    model_calls: Vec<CallDocument<'a>>,
}

#[derive(serde::Serialize)]
struct TopDocument {
    id: i64,
    mean_score: Option<f64>,
    /// Candidate ids from the root down to it.
    lineage: Vec<i64>,
}

#[derive(serde::Serialize)]
struct CandidateDocument<'a> {
    id: i64,
    parent: Option<i64>,
    operator: &'a str,
    origin: &'a str,
    status: ale::store::CandidateStatus,
    cases: usize,
    mean_score: Option<f64>,
    created_s: f64,
}

#[derive(serde::Serialize)]
struct CallDocument<'a> {
    id: i64,
    operator: &'a str,
    model: &'a str,
    asked_s: Option<f64>,
    answered_s: Option<f64>,
    cost: f64,
    candidate: Option<i64>,
    error: Option<&'a str>,
}
