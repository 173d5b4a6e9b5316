//! The language models of a search: which one to ask next (a bandit on
//! improvement per dollar), and the running summary of what has worked,
//! which later prompts carry.

use super::bandit::{choose_by, ucb1, ArmFigures};
use crate::error::{Error, Result};
use crate::llm::{Call, Llm, Templates};

/// The models of a search and what it says to them.
pub struct ModelSetup {
    pub llm: Llm,
    pub templates: Templates,
    /// The extension of drafted solutions (`rs`, `cpp`, `py`, ...).
    pub language: String,
    /// What has worked so far, in the model's words: rewritten every
    /// [`SUMMARY_EVERY`] model-made candidates and carried in later prompts.
    pub summary: std::sync::Mutex<Summary>,
    /// Per model: calls, dollars spent, improvement brought (the bandit
    /// that picks a model weighs improvement per dollar).
    pub stats: std::sync::Mutex<Vec<ModelStats>>,
    /// A replay's record of when the first session took each answer, in the
    /// order the calls were asked: the step of the search's loop, and the
    /// second (for answers taken at the same step). The search holds a
    /// replayed answer until that step, so that it makes the same choices.
    pub replay_steps: Option<Vec<Option<(u64, f64)>>>,
    /// The models' figures at each pick not yet taken by the search, which
    /// records them.
    picks: std::sync::Mutex<Vec<Pick>>,
}

/// A model picked, and every model's figures it was picked by.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub model: usize,
    pub figures: Vec<ArmFigures>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ModelStats {
    pub calls: usize,
    pub cost: f64,
    pub gain: f64,
}

/// The running summary of a search.
#[derive(Debug, Default)]
pub struct Summary {
    pub text: String,
    /// Model-made candidates when it was last written.
    pub at: usize,
}

/// Each model's figures: UCB1 on improvement per dollar (per call when it
/// cost nothing).
fn figures_of(stats: &[ModelStats]) -> Vec<ArmFigures> {
    let total: usize = stats.iter().map(|s| s.calls).sum();
    stats
        .iter()
        .map(|s| ucb1(s.calls, total, s.gain / s.cost.max(1e-4 * s.calls as f64)))
        .collect()
}

/// Model-made candidates between two summaries.
pub const SUMMARY_EVERY: usize = 5;

impl ModelSetup {
    pub fn new(llm: Llm, templates: Templates, language: String) -> ModelSetup {
        ModelSetup {
            llm,
            templates,
            language,
            summary: std::sync::Mutex::new(Summary::default()),
            stats: std::sync::Mutex::new(Vec::new()),
            replay_steps: None,
            picks: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The models' figures now: calls, improvement per dollar (per call for
    /// free models) and the UCB1 value [`ModelSetup::choose`] compares.
    pub fn figures(&self) -> Vec<ArmFigures> {
        figures_of(&self.stats_of_every_model())
    }

    /// The model to ask next: each once first, then UCB1 on the improvement
    /// its candidates brought per dollar (per call for free models).
    pub fn choose(&self) -> usize {
        let figures = self.figures();
        choose_by(&figures, &vec![true; figures.len()], false).unwrap_or(0)
    }

    /// The model to ask next ([`ModelSetup::choose`]), counted as asked at
    /// once so that requests in flight together spread over the models. The
    /// figures it was chosen by wait in [`ModelSetup::take_picks`].
    pub fn pick(&self) -> usize {
        let mut stats = self.stats_of_every_model();
        let figures = figures_of(&stats);
        let k = choose_by(&figures, &vec![true; figures.len()], false).unwrap_or(0);
        stats[k].calls += 1;
        self.picks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Pick { model: k, figures });
        k
    }

    /// The choices of [`ModelSetup::pick`] since the last call, in order.
    pub fn take_picks(&self) -> Vec<Pick> {
        std::mem::take(&mut *self.picks.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The statistics, one per model (those never asked at zero).
    fn stats_of_every_model(&self) -> std::sync::MutexGuard<'_, Vec<ModelStats>> {
        let n = self.llm.backends().len().max(1);
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        if stats.len() < n {
            stats.resize(n, ModelStats::default());
        }
        stats
    }

    /// A call to model `k` was answered (or failed) and cost `cost`.
    pub fn charge(&self, k: usize, cost: f64) {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        if stats.len() <= k {
            stats.resize(k + 1, ModelStats::default());
        }
        stats[k].cost += cost;
    }

    /// A candidate of model `k` improved the search by `gain`.
    pub fn credit(&self, k: usize, gain: f64) {
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = stats.get_mut(k) {
            s.gain += gain;
        }
    }
}

impl ModelSetup {
    /// The summary as prompts carry it (empty before the first one).
    pub fn learnt(&self) -> String {
        let s = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        if s.text.is_empty() {
            String::new()
        } else {
            format!("# What the search has learnt so far\n\n{}", s.text)
        }
    }

    /// Whether a new summary is due with `made` model-made candidates.
    pub fn summary_due(&self, made: usize) -> bool {
        let s = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        made >= s.at + SUMMARY_EVERY
    }

    /// A summary was asked for when there were `made` model-made candidates
    /// (none is asked again before [`SUMMARY_EVERY`] more).
    pub fn summary_asked(&self, made: usize) {
        self.summary.lock().unwrap_or_else(|p| p.into_inner()).at = made;
    }

    /// The answer to a summary request: the new summary, or the old one kept
    /// when the call failed. A refused key is an error: the session cannot go on.
    pub fn summarised(&self, backend: usize, call: &Call) -> Result<()> {
        self.charge(backend, call.cost);
        let mut s = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        match &call.outcome {
            Ok(reply) => s.text = reply.text.trim().to_string(),
            Err(e) if e.fatal() => return Err(Error::Usage(format!("the language model: {e}"))),
            Err(_) => {}
        }
        Ok(())
    }
}

impl std::fmt::Debug for ModelSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.llm.backends().iter().map(|b| b.name()).collect();
        f.debug_struct("ModelSetup")
            .field("models", &names)
            .field("language", &self.language)
            .finish()
    }
}
