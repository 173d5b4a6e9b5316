//! The home page: every problem in the store with its sessions, tunings and
//! newest runs, and the benches.

use crate::error::Result;
use crate::problem::Registry;
use crate::store::Store;
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
    /// Seconds into the search (its latest run) of its newest candidate.
    pub elapsed_s: f64,
    /// What its search (its latest run) was given to spend.
    pub budget: Option<crate::store::Budget>,
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
                // Benches come newest first: a session keeps its newest figures.
                benched.entry(row.session).or_insert(row);
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
                elapsed_s: activity.elapsed_s,
                budget: store.session_budget(s.id)?,
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
