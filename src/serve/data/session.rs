//! A session: its figures, its candidates as a tree, its best score over
//! time, and what each operator and model made.

use super::{better, full_seeds, objective_of, problem_of};
use crate::problem::{Objective, Registry};
use crate::serve::Failure;
use crate::store::{BanditChoice, CandidateStatus, LlmCallRow, SessionActivity, Store};
use serde::Serialize;
use std::collections::HashMap;

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
    /// What its search (its latest run) was given to spend.
    pub budget: Option<crate::store::Budget>,
    /// Case evaluations per second of search, up to the newest candidate.
    pub cases_per_s: Option<f64>,
    /// Model calls asked and not answered.
    pub in_flight: usize,
    pub cost: f64,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub candidates: Vec<CandidateNode>,
    /// Each new best mean score of a fully judged candidate, as candidates came.
    pub best_over_time: Vec<BestPoint>,
    pub operators: Vec<ArmView>,
    pub models: Vec<ArmView>,
    pub calls: Vec<CallSummary>,
    /// Each choice of the operators' and the models' bandits, in order, with
    /// every arm's figures then (none for a session of an older ale).
    pub bandit_choices: Vec<BanditChoice>,
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
    /// Judged on every public seed.
    pub evaluated: bool,
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

/// A new best: when it came, in seconds and in dollars spent on models by then.
#[derive(Debug, Serialize, PartialEq)]
pub struct BestPoint {
    pub seconds: f64,
    pub cost: f64,
    pub score: f64,
    pub candidate: i64,
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
    let full = full_seeds(row.public_seeds.as_ref(), problem);
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
                evaluated: c.status == CandidateStatus::Evaluated,
                cases,
                accepted,
                mean_score: (accepted > 0).then(|| sum as f64 / accepted as f64),
                created_s: c.created_s,
            }
        })
        .collect();
    let best_over_time = best_over_time(&candidates, &log, objective);
    let (operators, models) = arms(&candidates, &log, objective);
    let elapsed_s = candidates.iter().map(|c| c.created_s).fold(0.0, f64::max);
    let bandit_choices = store.bandit_choices(id)?;
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
        budget: store.session_budget(id)?,
        cases_per_s: (elapsed_s > 0.0).then(|| activity.cases as f64 / elapsed_s),
        in_flight: activity.calls.saturating_sub(activity.answered),
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
        bandit_choices,
    })
}

/// Each new best mean score of a fully judged candidate, in the order the
/// candidates were made, with the money the model calls answered by then cost.
fn best_over_time(
    candidates: &[CandidateNode],
    calls: &[LlmCallRow],
    objective: Objective,
) -> Vec<BestPoint> {
    let mut in_order: Vec<&CandidateNode> = candidates.iter().filter(|c| c.evaluated).collect();
    in_order.sort_by(|a, b| a.created_s.total_cmp(&b.created_s));
    let mut points: Vec<BestPoint> = Vec::new();
    for c in in_order {
        let Some(mean) = c.mean_score else {
            continue;
        };
        if points
            .last()
            .is_none_or(|b| better(objective, mean, b.score))
        {
            let cost = calls
                .iter()
                .filter(|k| k.answered.is_some_and(|t| t <= c.created_s))
                .map(|k| k.cost)
                .sum();
            points.push(BestPoint {
                seconds: c.created_s,
                cost,
                score: mean,
                candidate: c.id,
            });
        }
    }
    points
}

/// What each operator and each model made: candidates, the fully judged
/// ones better than their fully judged parent, cases, calls and cost.
fn arms(
    candidates: &[CandidateNode],
    calls: &[LlmCallRow],
    objective: Objective,
) -> (Vec<ArmView>, Vec<ArmView>) {
    let by_id: HashMap<i64, &CandidateNode> = candidates.iter().map(|c| (c.id, c)).collect();
    let mut operators: Vec<ArmView> = Vec::new();
    let mut models: Vec<ArmView> = Vec::new();
    fn arm<'a>(arms: &'a mut Vec<ArmView>, name: &str) -> &'a mut ArmView {
        let i = match arms.iter().position(|a| a.name == name) {
            Some(i) => i,
            None => {
                arms.push(ArmView {
                    name: name.to_string(),
                    ..ArmView::default()
                });
                arms.len() - 1
            }
        };
        &mut arms[i]
    }
    for c in candidates {
        let improved = c.parent.and_then(|p| by_id.get(&p)).is_some_and(|p| {
            c.evaluated
                && p.evaluated
                && matches!((c.mean_score, p.mean_score), (Some(a), Some(b)) if better(objective, a, b))
        });
        let mut names = vec![(&mut operators, c.operator.as_str())];
        if let Some(model) = &c.model {
            names.push((&mut models, model.as_str()));
        }
        for (arms, name) in names {
            let a = arm(arms, name);
            a.candidates += 1;
            a.cases += c.cases;
            a.better_than_parent += usize::from(improved);
        }
    }
    for call in calls {
        for (arms, name) in [(&mut operators, &call.operator), (&mut models, &call.model)] {
            let a = arm(arms, name);
            a.calls += 1;
            a.cost += call.cost;
        }
    }
    (operators, models)
}
