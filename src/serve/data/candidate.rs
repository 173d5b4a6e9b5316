//! A candidate: its source, its diff against its parent, its cases with
//! their relative scores, and why its judging stopped where it did.

use super::{full_seeds, objective_of, problem_of};
use crate::problem::{Objective, Registry};
use crate::serve::Failure;
use crate::store::{CandidateStatus, Store};
use serde::Serialize;
use std::collections::HashMap;

/// The order of a candidate's case table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSort {
    Seed,
    Verdict,
    Score,
    Relative,
    Time,
    Memory,
}

impl CaseSort {
    pub fn parse(text: &str) -> Option<CaseSort> {
        Some(match text {
            "seed" => CaseSort::Seed,
            "verdict" => CaseSort::Verdict,
            "score" => CaseSort::Score,
            "relative" => CaseSort::Relative,
            "time" => CaseSort::Time,
            "memory" => CaseSort::Memory,
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
    /// The line diff against the session's best candidate, when that is
    /// neither this one nor its parent.
    pub diff_best: Option<Vec<DiffLine>>,
    pub best_candidate: Option<i64>,
    /// The steps of the search it went through, in order.
    pub steps: Vec<StepView>,
}

/// A step of a candidate through the search, its figures in percent
/// (100 = the best seen on every seed it is measured on).
#[derive(Debug, Serialize)]
pub struct StepView {
    pub at_s: f64,
    pub stage: String,
    pub seeds: usize,
    pub against: Option<i64>,
    pub mine: Option<f64>,
    pub theirs: Option<f64>,
    pub p_value: Option<f64>,
    pub outcome: String,
}

#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub seed: u64,
    pub verdict: String,
    pub score: Option<i64>,
    /// Against the best accepted score on this seed in the session (100 = the best).
    pub relative: Option<f64>,
    pub time_ms: u64,
    /// Peak memory; None for a case of an earlier ale or from a tuning burst.
    pub memory_kb: Option<u64>,
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
            memory_kb: k.memory_kb,
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
        CaseSort::Memory => cases.sort_by_key(|k| std::cmp::Reverse(k.memory_kb)),
    }
    let accepted: Vec<i64> = cases
        .iter()
        .filter(|k| k.verdict == "AC")
        .filter_map(|k| k.score)
        .collect();
    let full = full_seeds(row.public_seeds.as_ref(), problem);
    let call = store
        .llm_call_log(session)?
        .into_iter()
        .find(|k| k.candidate == Some(id));
    let parent_source = c
        .parent
        .and_then(|p| rows.iter().find(|r| r.id == p))
        .map(|p| p.source.as_str());
    let best_source = row
        .best_candidate
        .filter(|&b| b != id && Some(b) != c.parent)
        .and_then(|b| rows.iter().find(|r| r.id == b))
        .map(|b| b.source.as_str());
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
        diff_best: best_source.map(|b| diff(b, &c.source)),
        best_candidate: row.best_candidate,
        steps: store
            .candidate_steps(id)?
            .into_iter()
            .map(|k| StepView {
                at_s: k.at_s,
                stage: k.stage,
                seeds: k.seeds,
                against: k.against,
                mine: k.mine.map(|m| 100.0 * m),
                theirs: k.theirs.map(|t| 100.0 * t),
                p_value: k.p_value,
                outcome: k.outcome,
            })
            .collect(),
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
