//! A model call, a tuning and a bench, each as the store keeps it.

use super::{objective_of, problem_of};
use crate::bench::BenchReport;
use crate::problem::Registry;
use crate::serve::Failure;
use crate::store::{BenchListRow, Store};
use serde::Serialize;
use std::collections::HashMap;

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
    /// The mean accepted score on the hold-out seeds.
    pub holdout_mean: Option<f64>,
    /// The trial it raced against, and its checks (none stored by an
    /// earlier ale).
    pub raced_against: Option<usize>,
    pub race: Vec<crate::store::RaceCheck>,
}

pub fn tuning(store: &Store, id: i64) -> Result<TuningView, Failure> {
    let Some(t) = store.tunings(Some(id))?.pop() else {
        return Err(Failure::NotFound(format!(
            "tuning {id}: no such tuning in this store (the home page lists them)"
        )));
    };
    let mut races: HashMap<usize, crate::store::TrialRace> = store
        .trial_races(id)?
        .into_iter()
        .map(|r| (r.number, r))
        .collect();
    let mut trials = Vec::new();
    for trial in store.trials(id)? {
        let race = races.remove(&trial.number);
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
            holdout_mean: mean(holdout.iter().filter_map(|k| k.accepted_score())),
            raced_against: race.as_ref().and_then(|r| r.against),
            race: race.map(|r| r.checks).unwrap_or_default(),
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
    /// Over the problems with standings.
    pub mean_performance: Option<f64>,
    /// `?compare=OLD`: this bench against bench OLD, problem by problem, as
    /// `ale bench --compare` tells it.
    pub compared_with: Option<i64>,
    pub compared: Vec<crate::bench::Compared>,
}

/// A bench's rows as a report, or a 404 naming it.
fn bench_report(store: &Store, id: i64) -> Result<(BenchListRow, BenchReport), Failure> {
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
    Ok((b, BenchReport::new(id, rows)))
}

pub fn bench(
    store: &Store,
    registry: &Registry,
    id: i64,
    compare: Option<i64>,
) -> Result<BenchView, Failure> {
    let (b, report) = bench_report(store, id)?;
    let compared = match compare {
        None => Vec::new(),
        Some(old) => {
            let (_, old) = bench_report(store, old)?;
            let objective = |p: &str| objective_of(problem_of(registry, p));
            crate::bench::compare(&old, &report, &objective)
        }
    };
    Ok(BenchView {
        id,
        started_at: b.started_at,
        problems: b.problems.split(',').map(str::to_string).collect(),
        status: b.status.to_string(),
        mean_performance: report.mean_performance,
        rows: report.rows,
        compared_with: compare,
        compared,
    })
}

/// The mean of some scores, None for none.
fn mean(scores: impl Iterator<Item = i64>) -> Option<f64> {
    let (n, sum) = scores.fold((0usize, 0i64), |(n, sum), s| (n + 1, sum + s));
    (n > 0).then(|| sum as f64 / n as f64)
}
