//! A run with its cases, and one case, of a run or of a candidate: its
//! figures and the problem's picture of its input.

use super::problem_of;
use crate::problem::{Problem, Registry, Scorer};
use crate::serve::Failure;
use crate::store::Store;
use serde::Serialize;

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
    // A contest's own tools would be a process started by a page: ale draws
    // only the problems of its own scorers, whose generators are plain code.
    if let Scorer::External(_) = problem.scorer {
        return (
            None,
            format!(
                "no picture: ale cannot draw `{}` (use the contest's own visualiser)",
                problem.id
            ),
        );
    }
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
        up: vec![
            (format!("run {run}"), format!("/runs/{run}")),
            (
                format!("case {index}"),
                format!("/runs/{run}/cases/{index}"),
            ),
        ],
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

/// A run and its cases.
#[derive(Debug, Serialize)]
pub struct RunView {
    pub id: i64,
    pub problem: String,
    pub solution: String,
    pub started_at: String,
    pub status: String,
    pub accepted: Option<usize>,
    pub mean_score: Option<f64>,
    pub mean_relative_score: Option<f64>,
    pub max_time_ms: Option<u64>,
    pub cases: Vec<RunCase>,
}

#[derive(Debug, Serialize)]
pub struct RunCase {
    pub index: usize,
    pub seed: Option<u64>,
    pub input: String,
    pub verdict: String,
    pub score: Option<i64>,
    pub time_ms: u64,
    pub memory_kb: u64,
    pub message: Option<String>,
}

pub fn run(store: &Store, id: i64) -> Result<RunView, Failure> {
    let Some(r) = store.run(id)? else {
        return Err(Failure::NotFound(format!(
            "run {id}: no such run in this store (the home page lists them)"
        )));
    };
    let cases = store
        .run_cases(id)?
        .into_iter()
        .map(|k| RunCase {
            index: k.case_index,
            seed: k.seed,
            input: k.input,
            verdict: k.verdict.as_str().to_string(),
            score: k.score,
            time_ms: k.time_ms,
            memory_kb: k.memory_kb,
            message: k.message,
        })
        .collect();
    let summary = r.summary.as_ref();
    Ok(RunView {
        id,
        problem: r.problem.clone(),
        solution: r.solution.clone(),
        started_at: r.started_at.clone(),
        status: r.status.to_string(),
        accepted: summary.map(|s| s.accepted),
        mean_score: summary.and_then(|s| s.mean_score),
        mean_relative_score: summary.map(|s| s.mean_relative_score),
        max_time_ms: summary.map(|s| s.max_time_ms),
        cases,
    })
}
