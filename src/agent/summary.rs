//! What a search tells its submission: the winner's lineage, how it fares
//! against each starting solver, and what the search spent. It goes into
//! `report.json` under `search` (and `lineage`) with exactly these fields.

use super::archive::Archive;
use crate::store::LlmTotals;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SearchSummary {
    pub session: i64,
    /// The submission first, then its parent, up to its root.
    pub lineage: Vec<LineageStep>,
    pub against_starts: Vec<AgainstStart>,
    pub budget: Spent,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineageStep {
    pub candidate: i64,
    pub operator: String,
    pub origin: String,
    pub public_mean_relative: f64,
}

/// The winner against one starting solver on the public seeds both ran.
#[derive(Debug, Clone, Serialize)]
pub struct AgainstStart {
    pub candidate: i64,
    pub origin: String,
    pub seeds: usize,
    /// The winner's mean score relative to the start's, case by case (start = 100).
    pub mean_relative: f64,
    /// The winner is this start.
    pub same: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spent {
    pub budget_s: f64,
    pub elapsed_s: f64,
    pub candidates: usize,
    pub evaluations: usize,
    pub llm: ModelUse,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelUse {
    pub calls: usize,
    pub unusable: usize,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost: f64,
}

impl From<&LlmTotals> for ModelUse {
    fn from(t: &LlmTotals) -> ModelUse {
        ModelUse {
            calls: t.calls,
            unusable: t.failed,
            tokens_in: t.tokens_in,
            tokens_out: t.tokens_out,
            cost: t.cost,
        }
    }
}

/// The lineage of candidate `best` and how it fares against every start.
pub fn standing(archive: &Archive, best: usize) -> (Vec<LineageStep>, Vec<AgainstStart>) {
    let lineage = archive
        .lineage(best)
        .into_iter()
        .map(|i| LineageStep {
            candidate: archive[i].id,
            operator: archive[i].operator.clone(),
            origin: archive[i].origin.clone(),
            public_mean_relative: 100.0 * archive.public_relative(i),
        })
        .collect();
    let against = (0..archive.len())
        .filter(|&i| archive[i].operator == "start")
        .filter_map(|i| {
            let (mean_relative, seeds) = archive.versus(best, i);
            (seeds > 0).then(|| AgainstStart {
                candidate: archive[i].id,
                origin: archive[i].origin.clone(),
                seeds,
                mean_relative,
                same: i == best,
            })
        })
        .collect();
    (lineage, against)
}
