//! A run with its cases, and one case, of a run or of a candidate: its
//! figures and the problem's picture of its input.

use super::problem_of;
use crate::problem::{Problem, Registry, Scorer};
use crate::serve::Failure;
use crate::store::{SessionRow, Store, StoredOutput, OUTPUT_KEEP_BYTES, OWNER_KEEP_BYTES};
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
    /// The case's output, when the store has a record of it.
    pub output: Option<OutputView>,
}

/// A case's output as the page tells of it.
#[derive(Debug, Serialize)]
pub struct OutputView {
    /// Its size in bytes as written.
    pub size: u64,
    /// Whether the store kept its bytes (up to 1 MiB a case, 16 MiB
    /// a run or a candidate).
    pub kept: bool,
    /// Where its bytes are, as plain text.
    pub href: Option<String>,
}

impl OutputView {
    fn of(stored: Option<&StoredOutput>, href: String) -> Option<OutputView> {
        stored.map(|o| OutputView {
            size: o.size,
            kept: o.bytes.is_some(),
            href: o.bytes.is_some().then_some(href),
        })
    }
}

/// The drawing of a seed's input with the output the store kept of the
/// case, and a sentence on what it shows.
fn picture(
    problem: Option<&Problem>,
    name: &str,
    seed: Option<u64>,
    output: Option<&StoredOutput>,
) -> (Option<String>, String) {
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
    let (text, shows) = match output {
        Some(StoredOutput {
            bytes: Some(bytes), ..
        }) => (
            String::from_utf8_lossy(bytes).into_owned(),
            format!("the input of seed {seed} and the solution's output, as `ale vis` draws them"),
        ),
        Some(StoredOutput { size, bytes: None }) => (
            String::new(),
            format!(
                "the input of seed {seed} alone: the output ({size} bytes) was more than the store keeps ({} MiB a case, {} MiB a run or a candidate, 1 GiB a search session, compressed)",
                OUTPUT_KEEP_BYTES >> 20,
                OWNER_KEEP_BYTES >> 20
            ),
        ),
        None => (
            String::new(),
            format!("the input of seed {seed} alone: the store has no output of this case (it was judged by an earlier ale, or its results were copied from a tuning burst)"),
        ),
    };
    match problem.visualise(&input, &text) {
        Some(svg) => (Some(svg), shows),
        None => (
            None,
            format!(
                "no picture: ale cannot draw `{}` (use the contest's own visualiser)",
                problem.id
            ),
        ),
    }
}

/// The bytes of a case's output, for its plain-text link.
pub fn run_output(store: &Store, run: i64, index: usize) -> Result<Vec<u8>, Failure> {
    kept_bytes(
        store.run_output(run, index)?,
        &format!("run {run} case {index}"),
    )
}

pub fn candidate_output(
    store: &Store,
    session: i64,
    id: i64,
    seed: u64,
) -> Result<Vec<u8>, Failure> {
    candidate_of(store, session, id)?;
    kept_bytes(
        store.candidate_output(id, seed)?,
        &format!("candidate {id} seed {seed}"),
    )
}

fn kept_bytes(stored: Option<StoredOutput>, what: &str) -> Result<Vec<u8>, Failure> {
    match stored {
        Some(StoredOutput {
            bytes: Some(bytes), ..
        }) => Ok(bytes),
        Some(StoredOutput { size, bytes: None }) => Err(Failure::NotFound(format!(
            "{what}: its output ({size} bytes) was more than the store keeps"
        ))),
        None => Err(Failure::NotFound(format!(
            "{what}: the store has no output of this case"
        ))),
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
    let output = store.run_output(run, index)?;
    let (svg, picture) = picture(
        problem_of(registry, &r.problem),
        &r.problem,
        case.seed,
        output.as_ref(),
    );
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
        stderr: case.stderr,
        svg,
        picture,
        output: OutputView::of(output.as_ref(), format!("/runs/{run}/cases/{index}/output")),
    })
}

/// The session of candidate `id`, when it is one of session `session`'s.
fn candidate_of(store: &Store, session: i64, id: i64) -> Result<SessionRow, Failure> {
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
    Ok(row)
}

pub fn candidate_case(
    store: &Store,
    registry: &Registry,
    session: i64,
    id: i64,
    seed: u64,
) -> Result<CaseView, Failure> {
    let row = candidate_of(store, session, id)?;
    let Some(case) = store
        .candidate_cases(id)?
        .into_iter()
        .find(|k| k.seed == seed)
    else {
        return Err(Failure::NotFound(format!(
            "candidate {id} did not run seed {seed}"
        )));
    };
    let output = store.candidate_output(id, seed)?;
    let (svg, picture) = picture(
        problem_of(registry, &row.problem),
        &row.problem,
        Some(seed),
        output.as_ref(),
    );
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
        memory_kb: case.memory_kb,
        message: None,
        stderr: case.stderr,
        svg,
        picture,
        output: OutputView::of(
            output.as_ref(),
            format!("/sessions/{session}/candidates/{id}/cases/{seed}/output"),
        ),
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
