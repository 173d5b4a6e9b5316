//! What each page shows, read from the store into plain documents: the JSON
//! API serialises them as they are, and `html.rs` draws the pages from them.

use super::Failure;
use crate::error::Result;
use crate::problem::{Objective, Problem, Registry};
use crate::store::{CandidateStatus, SessionActivity, Store};
use serde::Serialize;
use std::collections::HashMap;

/// The home page: every problem in the store and the benches.
#[derive(Debug, Serialize)]
pub struct Home {
    pub store: String,
    pub problems: Vec<ProblemView>,
    pub benches: Vec<BenchSummary>,
}

#[derive(Debug, Serialize)]
pub struct ProblemView {
    pub id: String,
    /// None when the problem is not known to this ale (another problems folder).
    pub title: Option<String>,
    pub objective: Option<&'static str>,
    pub sessions: Vec<SessionSummary>,
    pub tunings: Vec<TuningSummary>,
    pub runs: Vec<RunSummary>,
}

#[derive(Debug, Serialize)]
pub struct SessionSummary {
    pub id: i64,
    pub status: String,
    pub started_at: String,
    pub candidates: usize,
    /// Case evaluations spent.
    pub cases: usize,
    pub best_candidate: Option<i64>,
    pub best_public_score: Option<f64>,
    pub model_calls: usize,
    pub cost: f64,
    pub submission: Option<String>,
    /// From a bench that ran this session: its private score, rank and performance.
    pub private_score: Option<i64>,
    pub rank: Option<u64>,
    pub performance: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct TuningSummary {
    pub id: i64,
    pub solution: String,
    pub started_at: String,
    pub status: String,
    pub session: Option<i64>,
    pub trials: usize,
    pub best_relative: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub solution: String,
    pub started_at: String,
    pub status: String,
    pub cases: Option<usize>,
    pub accepted: Option<usize>,
    pub mean_score: Option<f64>,
    pub mean_relative_score: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct BenchSummary {
    pub id: i64,
    pub started_at: String,
    pub problems: String,
    pub status: String,
    pub done: usize,
}

/// Runs listed per problem on the home page.
const RUNS_SHOWN: usize = 20;

pub fn home(store: &Store, registry: &Registry) -> Result<Home> {
    let sessions = store.sessions(None)?;
    let tunings = store.tunings(None)?;
    let benches = store.benches(None)?;
    // What benches say of their sessions.
    let mut benched: HashMap<i64, crate::bench::BenchRow> = HashMap::new();
    for b in &benches {
        for row in store.bench_results(b.id)? {
            if let Ok(row) = serde_json::from_str::<crate::bench::BenchRow>(&row) {
                benched.insert(row.session, row);
            }
        }
    }
    let mut problems = Vec::new();
    for id in store.problems_stored()? {
        let known = registry.get(&id).ok();
        let mut view = ProblemView {
            title: known.map(|p| p.title.clone()),
            objective: known.map(|p| p.objective.as_str()),
            sessions: Vec::new(),
            tunings: Vec::new(),
            runs: Vec::new(),
            id,
        };
        for s in sessions.iter().filter(|s| s.problem == view.id) {
            let activity = store.session_activity(s.id)?;
            let totals = store.llm_totals(s.id)?;
            let bench = benched.get(&s.id);
            view.sessions.push(SessionSummary {
                id: s.id,
                status: s.status.to_string(),
                started_at: s.started_at.clone(),
                candidates: activity.candidates,
                cases: activity.cases,
                best_candidate: s.best_candidate,
                best_public_score: s.best_public_score,
                model_calls: totals.calls,
                cost: totals.cost,
                submission: s.submission.clone(),
                private_score: bench.map(|b| b.private_score),
                rank: bench.and_then(|b| b.rank),
                performance: bench.and_then(|b| b.performance),
            });
        }
        for t in tunings.iter().filter(|t| t.problem == view.id) {
            view.tunings.push(TuningSummary {
                id: t.id,
                solution: t.solution.clone(),
                started_at: t.started_at.clone(),
                status: t.status.to_string(),
                session: t.session,
                trials: t.trials,
                best_relative: t.best_relative,
            });
        }
        for r in store.runs(&view.id, RUNS_SHOWN)? {
            view.runs.push(RunSummary {
                id: r.id,
                solution: r.solution,
                started_at: r.started_at,
                status: r.status.to_string(),
                cases: r.summary.as_ref().map(|s| s.cases),
                accepted: r.summary.as_ref().map(|s| s.accepted),
                mean_score: r.summary.as_ref().and_then(|s| s.mean_score),
                mean_relative_score: r.summary.as_ref().map(|s| s.mean_relative_score),
            });
        }
        problems.push(view);
    }
    Ok(Home {
        store: store_path(store),
        problems,
        benches: benches
            .into_iter()
            .map(|b| BenchSummary {
                id: b.id,
                started_at: b.started_at,
                problems: b.problems,
                status: b.status.to_string(),
                done: b.rows,
            })
            .collect(),
    })
}

fn store_path(store: &Store) -> String {
    store.path().display().to_string()
}

/// A session: its figures, its candidates as a tree, its best score over time.
#[derive(Debug, Serialize)]
pub struct SessionView {
    pub id: i64,
    pub problem: String,
    pub objective: &'static str,
    pub status: String,
    pub started_at: String,
    pub rng_seed: u64,
    pub public_seeds: Option<String>,
    pub private_seeds: Option<String>,
    /// Seeds a candidate runs to be fully judged.
    pub full: usize,
    pub best_candidate: Option<i64>,
    pub best_public_score: Option<f64>,
    pub submission: Option<String>,
    pub activity: SessionActivity,
    /// Seconds into the search of its newest candidate.
    pub elapsed_s: f64,
    /// Case evaluations per second of search, up to the newest candidate.
    pub cases_per_s: Option<f64>,
    /// Model calls asked and not answered.
    pub in_flight: usize,
    pub cost: f64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub candidates: Vec<CandidateNode>,
    /// The best mean score of a fully judged candidate, as candidates came:
    /// (seconds into the search, the best so far, the candidate).
    pub best_over_time: Vec<(f64, f64, i64)>,
    pub operators: Vec<ArmView>,
    pub models: Vec<ArmView>,
    pub calls: Vec<CallSummary>,
}

#[derive(Debug, Serialize)]
pub struct CandidateNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub operator: String,
    pub origin: String,
    /// The model whose reply it is.
    pub model: Option<String>,
    pub status: String,
    pub cases: usize,
    pub accepted: usize,
    pub mean_score: Option<f64>,
    pub created_s: f64,
}

/// An operator's or a model's record in a session, what its bandit learns from.
#[derive(Debug, Serialize, Default)]
pub struct ArmView {
    pub name: String,
    pub candidates: usize,
    /// Children fully judged and better than their parent.
    pub better_than_parent: usize,
    /// Case evaluations its candidates took.
    pub cases: usize,
    pub calls: usize,
    pub cost: f64,
}

#[derive(Debug, Serialize)]
pub struct CallSummary {
    pub id: i64,
    pub operator: String,
    pub model: String,
    pub asked_s: Option<f64>,
    pub answered_s: Option<f64>,
    pub cost: f64,
    pub candidate: Option<i64>,
    pub error: Option<String>,
}

/// The problem of a session or run, when this ale knows it.
fn problem_of<'r>(registry: &'r Registry, id: &str) -> Option<&'r Problem> {
    registry.get(id).ok()
}

fn objective_of(problem: Option<&Problem>) -> Objective {
    problem.map_or(Objective::Max, |p| p.objective)
}

/// Whether score `a` is better than `b` under `objective`.
fn better(objective: Objective, a: f64, b: f64) -> bool {
    match objective {
        Objective::Max => a > b,
        Objective::Min => a < b,
    }
}

pub fn session(store: &Store, registry: &Registry, id: i64) -> Result<SessionView, Failure> {
    let Some(row) = store.session(id)? else {
        return Err(Failure::NotFound(format!(
            "session {id}: no such session in this store (the home page lists them)"
        )));
    };
    let problem = problem_of(registry, &row.problem);
    let objective = objective_of(problem);
    let activity = store.session_activity(id)?;
    let totals = store.llm_totals(id)?;
    let rows = store.candidates(id)?;
    let scores: HashMap<i64, (usize, usize, i64)> = store
        .session_candidate_scores(id)?
        .into_iter()
        .map(|(c, n, a, sum)| (c, (n, a, sum)))
        .collect();
    let log = store.llm_call_log(id)?;
    let model_of: HashMap<i64, &str> = log
        .iter()
        .filter_map(|c| c.candidate.map(|k| (k, c.model.as_str())))
        .collect();
    let full = row
        .public_seeds
        .as_ref()
        .or(problem.map(|p| &p.public_seeds))
        .map_or(0, |s| s.iter().count());
    let candidates: Vec<CandidateNode> = rows
        .iter()
        .map(|c| {
            let (cases, accepted, sum) = scores.get(&c.id).copied().unwrap_or((0, 0, 0));
            CandidateNode {
                id: c.id,
                parent: c.parent,
                operator: c.operator.clone(),
                origin: c.origin.clone(),
                model: model_of.get(&c.id).map(|m| m.to_string()),
                status: c.status.to_string(),
                cases,
                accepted,
                mean_score: (accepted > 0).then(|| sum as f64 / accepted as f64),
                created_s: c.created_s,
            }
        })
        .collect();
    let mut best_over_time = Vec::new();
    let mut in_order: Vec<(&CandidateNode, CandidateStatus)> = candidates
        .iter()
        .zip(rows.iter().map(|r| r.status))
        .collect();
    in_order.sort_by(|a, b| a.0.created_s.total_cmp(&b.0.created_s));
    let mut best: Option<f64> = None;
    for (c, status) in in_order {
        let Some(mean) = c
            .mean_score
            .filter(|_| status == CandidateStatus::Evaluated)
        else {
            continue;
        };
        if best.is_none_or(|b| better(objective, mean, b)) {
            best = Some(mean);
            best_over_time.push((c.created_s, mean, c.id));
        }
    }
    let by_id: HashMap<i64, &CandidateNode> = candidates.iter().map(|c| (c.id, c)).collect();
    let evaluated = |c: &CandidateNode| c.status == CandidateStatus::Evaluated.to_string();
    let mut operators: Vec<ArmView> = Vec::new();
    let mut models: Vec<ArmView> = Vec::new();
    let arm = |arms: &mut Vec<ArmView>, name: &str| -> usize {
        match arms.iter().position(|a| a.name == name) {
            Some(i) => i,
            None => {
                arms.push(ArmView {
                    name: name.to_string(),
                    ..ArmView::default()
                });
                arms.len() - 1
            }
        }
    };
    for c in &candidates {
        let improved = c.parent.and_then(|p| by_id.get(&p)).is_some_and(|p| {
            evaluated(c)
                && evaluated(p)
                && matches!((c.mean_score, p.mean_score), (Some(a), Some(b)) if better(objective, a, b))
        });
        let count = |i: usize, arms: &mut Vec<ArmView>| {
            arms[i].candidates += 1;
            arms[i].cases += c.cases;
            arms[i].better_than_parent += usize::from(improved);
        };
        let i = arm(&mut operators, &c.operator);
        count(i, &mut operators);
        if let Some(model) = &c.model {
            let i = arm(&mut models, model);
            count(i, &mut models);
        }
    }
    for call in &log {
        let i = arm(&mut operators, &call.operator);
        operators[i].calls += 1;
        operators[i].cost += call.cost;
        let i = arm(&mut models, &call.model);
        models[i].calls += 1;
        models[i].cost += call.cost;
    }
    let elapsed_s = candidates.iter().map(|c| c.created_s).fold(0.0, f64::max);
    Ok(SessionView {
        id,
        problem: row.problem.clone(),
        objective: objective.as_str(),
        status: row.status.to_string(),
        started_at: row.started_at.clone(),
        rng_seed: row.rng_seed,
        public_seeds: row.public_seeds.as_ref().map(|s| s.to_string()),
        private_seeds: row.private_seeds.as_ref().map(|s| s.to_string()),
        full,
        best_candidate: row.best_candidate,
        best_public_score: row.best_public_score,
        submission: row.submission.clone(),
        activity,
        elapsed_s,
        cases_per_s: (elapsed_s > 0.0).then(|| activity.cases as f64 / elapsed_s),
        in_flight: activity.calls - activity.answered,
        cost: totals.cost,
        tokens_in: totals.tokens_in,
        tokens_out: totals.tokens_out,
        candidates,
        best_over_time,
        operators,
        models,
        calls: log
            .into_iter()
            .map(|c| CallSummary {
                id: c.id,
                operator: c.operator,
                model: c.model,
                asked_s: c.asked,
                answered_s: c.answered,
                cost: c.cost,
                candidate: c.candidate,
                error: c.error,
            })
            .collect(),
    })
}

/// The order of a candidate's case table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSort {
    Seed,
    Verdict,
    Score,
    Relative,
    Time,
}

impl CaseSort {
    pub fn parse(text: &str) -> Option<CaseSort> {
        Some(match text {
            "seed" => CaseSort::Seed,
            "verdict" => CaseSort::Verdict,
            "score" => CaseSort::Score,
            "relative" => CaseSort::Relative,
            "time" => CaseSort::Time,
            _ => return None,
        })
    }
}

/// A candidate: its source, what changed from its parent, its cases.
#[derive(Debug, Serialize)]
pub struct CandidateView {
    pub session: i64,
    pub problem: String,
    pub id: i64,
    pub parent: Option<i64>,
    pub operator: String,
    pub origin: String,
    pub model: Option<String>,
    /// The model call whose reply it is.
    pub call: Option<i64>,
    pub status: String,
    /// Why its judging ended where it did, in words.
    pub stopped: String,
    /// The compiler's message, when it did not build.
    pub message: Option<String>,
    pub extension: String,
    pub source: String,
    pub mean_score: Option<f64>,
    pub full: usize,
    pub cases: Vec<CaseRow>,
    /// The line diff against its parent; None for a root.
    pub diff: Option<Vec<DiffLine>>,
    pub best_candidate: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub seed: u64,
    pub verdict: String,
    pub score: Option<i64>,
    /// Against the best accepted score on this seed in the session (100 = the best).
    pub relative: Option<f64>,
    pub time_ms: u64,
    pub stderr: Option<String>,
}

/// One line of a diff: `kind` is `+` (added), `-` (removed), ` ` (kept) or
/// `@` (a gap of unchanged lines not shown).
#[derive(Debug, Serialize)]
pub struct DiffLine {
    pub kind: char,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: String,
}

/// Lines of unchanged context kept around each change.
const CONTEXT: usize = 3;

/// The line diff from `old` to `new`, changes with a little context.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut lines = Vec::new();
    for (n, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if n > 0 {
            lines.push(DiffLine {
                kind: '@',
                old: None,
                new: None,
                text: String::new(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                lines.push(DiffLine {
                    kind,
                    old: change.old_index().map(|i| i + 1),
                    new: change.new_index().map(|i| i + 1),
                    text: change.value().trim_end_matches('\n').to_string(),
                });
            }
        }
    }
    lines
}

fn relative(objective: Objective, score: i64, extremes: Option<&(i64, i64)>) -> Option<f64> {
    let &(low, high) = extremes?;
    let (best, score) = match objective {
        Objective::Max => (high as f64, score as f64),
        Objective::Min => (low as f64, score as f64),
    };
    match objective {
        Objective::Max if best > 0.0 => Some(100.0 * score / best),
        Objective::Min if score > 0.0 => Some(100.0 * best / score),
        _ => None,
    }
}

/// Why a candidate's judging ended, as a sentence.
fn stopped(status: CandidateStatus, full: usize) -> String {
    match status {
        CandidateStatus::New => "not judged to the end yet (or the search ended first)".into(),
        CandidateStatus::Evaluated => format!("ran every public seed ({full})"),
        CandidateStatus::CompileError => "it did not compile".into(),
        CandidateStatus::Dropped(n) => {
            format!("successive halving of the starting solvers dropped it after {n} seeds")
        }
        CandidateStatus::Stopped(n) => {
            format!("the cascade stopped it after {n} seeds: clearly behind its parent")
        }
        CandidateStatus::RacedOut(n) => {
            format!("raced out after {n} seeds: the paired test said it is worse than the best")
        }
        CandidateStatus::NotAhead(n) => {
            format!("still not ahead of the best after {n} seeds")
        }
    }
}

pub fn candidate(
    store: &Store,
    registry: &Registry,
    session: i64,
    id: i64,
    sort: CaseSort,
) -> Result<CandidateView, Failure> {
    let Some(row) = store.session(session)? else {
        return Err(Failure::NotFound(format!(
            "session {session}: no such session in this store"
        )));
    };
    let rows = store.candidates(session)?;
    let Some(c) = rows.iter().find(|c| c.id == id) else {
        return Err(Failure::NotFound(format!(
            "candidate {id}: session {session} has no such candidate (its page lists them)"
        )));
    };
    let problem = problem_of(registry, &row.problem);
    let objective = objective_of(problem);
    let extremes: HashMap<u64, (i64, i64)> = store
        .session_seed_extremes(session)?
        .into_iter()
        .map(|(s, lo, hi)| (s, (lo, hi)))
        .collect();
    let mut cases: Vec<CaseRow> = store
        .candidate_cases(id)?
        .into_iter()
        .map(|k| CaseRow {
            seed: k.seed,
            verdict: k.verdict.as_str().to_string(),
            relative: k
                .accepted_score()
                .and_then(|s| relative(objective, s, extremes.get(&k.seed))),
            score: k.score,
            time_ms: k.time_ms,
            stderr: k.stderr,
        })
        .collect();
    match sort {
        CaseSort::Seed => cases.sort_by_key(|k| k.seed),
        CaseSort::Verdict => cases.sort_by(|a, b| a.verdict.cmp(&b.verdict)),
        CaseSort::Score => cases.sort_by_key(|k| std::cmp::Reverse(k.score)),
        CaseSort::Relative => cases.sort_by(|a, b| {
            b.relative
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.relative.unwrap_or(f64::NEG_INFINITY))
        }),
        CaseSort::Time => cases.sort_by_key(|k| std::cmp::Reverse(k.time_ms)),
    }
    let accepted: Vec<i64> = cases
        .iter()
        .filter(|k| k.verdict == "AC")
        .filter_map(|k| k.score)
        .collect();
    let full = row
        .public_seeds
        .as_ref()
        .or(problem.map(|p| &p.public_seeds))
        .map_or(0, |s| s.iter().count());
    let call = store
        .llm_call_log(session)?
        .into_iter()
        .find(|k| k.candidate == Some(id));
    let parent_source = c
        .parent
        .and_then(|p| rows.iter().find(|r| r.id == p))
        .map(|p| p.source.as_str());
    Ok(CandidateView {
        session,
        problem: row.problem.clone(),
        id,
        parent: c.parent,
        operator: c.operator.clone(),
        origin: c.origin.clone(),
        model: call.as_ref().map(|k| k.model.clone()),
        call: call.map(|k| k.id),
        status: c.status.to_string(),
        stopped: stopped(c.status, full),
        message: store.candidate_message(id)?,
        extension: c.extension.clone(),
        source: c.source.clone(),
        mean_score: (!accepted.is_empty())
            .then(|| accepted.iter().sum::<i64>() as f64 / accepted.len() as f64),
        full,
        cases,
        diff: parent_source.map(|p| diff(p, &c.source)),
        best_candidate: row.best_candidate,
    })
}

/// One case: what it scored, and the problem's picture of it.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub problem: String,
    /// Where it was judged: `run N case I`, or `session S candidate C`.
    pub title: String,
    /// Links back: (label, path).
    pub up: Vec<(String, String)>,
    pub seed: Option<u64>,
    pub input: String,
    pub verdict: String,
    pub score: Option<i64>,
    pub time_ms: u64,
    pub wall_ms: Option<u64>,
    pub cpu_ms: Option<u64>,
    pub memory_kb: Option<u64>,
    pub message: Option<String>,
    pub stderr: Option<String>,
    /// The problem's drawing (as `ale vis` draws it).
    pub svg: Option<String>,
    /// What the picture shows, or why there is none.
    pub picture: String,
}

/// The drawing of a seed's input (outputs are not kept in the store) and a
/// sentence on what it shows.
fn picture(problem: Option<&Problem>, name: &str, seed: Option<u64>) -> (Option<String>, String) {
    let Some(problem) = problem else {
        return (
            None,
            format!("no picture: this ale does not know problem `{name}` (give its folder with --problems-dir)"),
        );
    };
    let Some(seed) = seed else {
        return (
            None,
            "no picture: the case's input is a file, which the store does not keep".into(),
        );
    };
    let input = match problem.generate(seed) {
        Ok(input) => input,
        Err(e) => {
            return (
                None,
                format!("no picture: the generator failed on seed {seed}: {e}"),
            )
        }
    };
    match problem.visualise(&input, "") {
        Some(svg) => (
            Some(svg),
            format!("the input of seed {seed}, as `ale vis` draws it with an empty output: the store does not keep outputs, so the picture's own line reports the output missing"),
        ),
        None => (
            None,
            format!("no picture: ale cannot draw `{}` (use the contest's own visualiser)", problem.id),
        ),
    }
}

pub fn run_case(
    store: &Store,
    registry: &Registry,
    run: i64,
    index: usize,
) -> Result<CaseView, Failure> {
    let Some(r) = store.run(run)? else {
        return Err(Failure::NotFound(format!(
            "run {run}: no such run in this store (the home page lists them)"
        )));
    };
    let Some(case) = store.run_case(run, index)? else {
        return Err(Failure::NotFound(format!("run {run} has no case {index}")));
    };
    let (svg, picture) = picture(problem_of(registry, &r.problem), &r.problem, case.seed);
    Ok(CaseView {
        title: format!("run {run}, case {index} ({})", case.input),
        up: vec![("home".into(), "/".into())],
        problem: r.problem,
        seed: case.seed,
        input: case.input,
        verdict: case.verdict.as_str().to_string(),
        score: case.score,
        time_ms: case.time_ms,
        wall_ms: case.wall_ms,
        cpu_ms: case.cpu_ms,
        memory_kb: Some(case.memory_kb),
        message: case.message,
        stderr: None,
        svg,
        picture,
    })
}

pub fn candidate_case(
    store: &Store,
    registry: &Registry,
    session: i64,
    id: i64,
    seed: u64,
) -> Result<CaseView, Failure> {
    let Some(row) = store.session(session)? else {
        return Err(Failure::NotFound(format!(
            "session {session}: no such session in this store"
        )));
    };
    if !store.candidates(session)?.iter().any(|c| c.id == id) {
        return Err(Failure::NotFound(format!(
            "candidate {id}: session {session} has no such candidate"
        )));
    }
    let Some(case) = store
        .candidate_cases(id)?
        .into_iter()
        .find(|k| k.seed == seed)
    else {
        return Err(Failure::NotFound(format!(
            "candidate {id} did not run seed {seed}"
        )));
    };
    let (svg, picture) = picture(problem_of(registry, &row.problem), &row.problem, Some(seed));
    Ok(CaseView {
        title: format!("session {session}, candidate {id}, seed {seed}"),
        up: vec![
            (format!("session {session}"), format!("/sessions/{session}")),
            (
                format!("candidate {id}"),
                format!("/sessions/{session}/candidates/{id}"),
            ),
        ],
        problem: row.problem,
        seed: Some(seed),
        input: format!("seed {seed}"),
        verdict: case.verdict.as_str().to_string(),
        score: case.score,
        time_ms: case.time_ms,
        wall_ms: None,
        cpu_ms: None,
        memory_kb: None,
        message: None,
        stderr: case.stderr,
        svg,
        picture,
    })
}

/// A model call: what was asked and answered, and what came of it.
#[derive(Debug, Serialize)]
pub struct CallView {
    pub session: i64,
    pub id: i64,
    pub operator: String,
    pub model: String,
    pub system: String,
    pub prompt: String,
    pub reply: Option<String>,
    pub error: Option<String>,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost: f64,
    pub attempts: u32,
    pub latency_ms: u64,
    pub asked_s: Option<f64>,
    pub answered_s: Option<f64>,
    pub candidate: Option<i64>,
    /// What became of it, in words.
    pub outcome: String,
}

pub fn call(store: &Store, session: i64, id: i64) -> Result<CallView, Failure> {
    if store.session(session)?.is_none() {
        return Err(Failure::NotFound(format!(
            "session {session}: no such session in this store"
        )));
    }
    let Some(c) = store.llm_call(session, id)? else {
        return Err(Failure::NotFound(format!(
            "call {id}: session {session} made no such model call (its page lists them)"
        )));
    };
    let outcome = match (&c.error, c.candidate, &c.reply) {
        (Some(e), _, _) => e.clone(),
        (None, Some(k), _) => format!("became candidate {k}"),
        (None, None, None) => "not answered yet".into(),
        (None, None, Some(_)) => "answered; not used".into(),
    };
    Ok(CallView {
        session,
        id,
        operator: c.operator,
        model: c.model,
        system: c.system,
        prompt: c.user,
        reply: c.reply,
        error: c.error,
        tokens_in: c.tokens_in,
        tokens_out: c.tokens_out,
        cost: c.cost,
        attempts: c.attempts,
        latency_ms: c.millis,
        asked_s: c.asked,
        answered_s: c.answered,
        candidate: c.candidate,
        outcome,
    })
}

/// A tuning and its trials.
#[derive(Debug, Serialize)]
pub struct TuningView {
    pub id: i64,
    pub problem: String,
    pub solution: String,
    pub started_at: String,
    pub status: String,
    pub seeds: String,
    pub holdout: String,
    pub session: Option<i64>,
    pub trials: Vec<TrialView>,
}

#[derive(Debug, Serialize)]
pub struct TrialView {
    pub number: usize,
    /// Parameter name to the literal tried.
    pub values: serde_json::Value,
    pub status: String,
    pub mean_relative: Option<f64>,
    pub cases: usize,
    /// Cases on the hold-out seeds, and how many were accepted.
    pub holdout_cases: usize,
    pub holdout_accepted: usize,
}

pub fn tuning(store: &Store, id: i64) -> Result<TuningView, Failure> {
    let Some(t) = store.tunings(Some(id))?.pop() else {
        return Err(Failure::NotFound(format!(
            "tuning {id}: no such tuning in this store (the home page lists them)"
        )));
    };
    let mut trials = Vec::new();
    for trial in store.trials(id)? {
        let cases = store.trial_cases(trial.id)?;
        let holdout: Vec<_> = cases.iter().filter(|k| k.holdout).collect();
        trials.push(TrialView {
            number: trial.number,
            values: serde_json::from_str(&trial.values)
                .unwrap_or(serde_json::Value::String(trial.values.clone())),
            status: trial.status.to_string(),
            mean_relative: trial.mean_relative,
            cases: cases.len() - holdout.len(),
            holdout_accepted: holdout
                .iter()
                .filter(|k| k.accepted_score().is_some())
                .count(),
            holdout_cases: holdout.len(),
        });
    }
    Ok(TuningView {
        id,
        problem: t.problem,
        solution: t.solution,
        started_at: t.started_at,
        status: t.status.to_string(),
        seeds: t.seeds,
        holdout: t.holdout,
        session: t.session,
        trials,
    })
}

/// A bench and its result per problem.
#[derive(Debug, Serialize)]
pub struct BenchView {
    pub id: i64,
    pub started_at: String,
    pub problems: Vec<String>,
    pub status: String,
    pub rows: Vec<crate::bench::BenchRow>,
}

pub fn bench(store: &Store, id: i64) -> Result<BenchView, Failure> {
    let Some(b) = store.benches(Some(id))?.pop() else {
        return Err(Failure::NotFound(format!(
            "bench {id}: no such bench in this store (the home page lists them)"
        )));
    };
    let rows = store
        .bench_results(id)?
        .iter()
        .filter_map(|r| serde_json::from_str(r).ok())
        .collect();
    Ok(BenchView {
        id,
        started_at: b.started_at,
        problems: b.problems.split(',').map(str::to_string).collect(),
        status: b.status.to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_changes_with_context_and_gaps() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 18\n", "");
        let lines = diff(&old, &new);
        let shown: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}", l.kind, l.text))
            .collect();
        assert_eq!(
            shown,
            [
                " line 1",
                "-line 2",
                "+line two",
                " line 3",
                " line 4",
                " line 5",
                "@",
                " line 15",
                " line 16",
                " line 17",
                "-line 18",
                " line 19",
                " line 20"
            ]
        );
        assert_eq!((lines[1].old, lines[1].new), (Some(2), None));
        assert_eq!((lines[2].old, lines[2].new), (None, Some(2)));
    }

    #[test]
    fn relative_scores_are_against_the_best_either_way() {
        assert_eq!(relative(Objective::Max, 50, Some(&(10, 200))), Some(25.0));
        assert_eq!(relative(Objective::Min, 50, Some(&(10, 200))), Some(20.0));
        assert_eq!(relative(Objective::Min, 50, None), None);
    }
}
