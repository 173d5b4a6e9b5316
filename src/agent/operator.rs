//! What an operator is: the two kinds ([`Operator`], which makes children
//! itself, and [`AsksModel`], which writes a question for a language model
//! and leaves the asking to the search), the archive as they see it, and
//! what they propose. Both kinds' implementations depend on this file and
//! on nothing of each other; `operators.rs` lists them.

use super::models::ModelSetup;
use crate::error::Result;
use crate::llm::Prompt;
use crate::problem::Problem;
use crate::runner::RunOptions;
use crate::store::{CandidateStatus, Store};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::path::Path;
use std::time::Duration;

/// One candidate of the archive as operators see it.
pub struct Archived<'a> {
    pub id: i64,
    pub source: &'a str,
    pub extension: &'a str,
    /// Ran every public seed.
    pub full: bool,
    /// Mean relative score on the public seeds (1 = best seen on every seed).
    pub public_relative: f64,
    pub operator: &'a str,
    pub origin: &'a str,
    pub status: CandidateStatus,
    pub children: usize,
    /// The candidate at the top of its lineage.
    pub root: i64,
}

/// What an operator may use.
pub struct OperatorContext<'a> {
    pub problem: &'a Problem,
    pub archive: &'a [Archived<'a>],
    /// Index of the parent in `archive`; None when the search has no fully
    /// judged candidate yet (only operators that need no parent can act).
    pub parent: Option<usize>,
    pub rng: &'a mut Xoshiro256PlusPlus,
    /// Wall time left to the search.
    pub left: Duration,
    /// Case evaluations left to the search, when they are capped.
    pub evaluations_left: Option<usize>,
    /// How the search runs cases (its deadline included).
    pub run: &'a RunOptions,
    pub build_dir: &'a Path,
    /// The search's working folder (shared by sessions) for the files an
    /// operator writes.
    pub work_dir: &'a Path,
    pub store: &'a mut Store,
    /// The search session, which tuning bursts belong to.
    pub session: i64,
    /// Case evaluations an operator ran itself (a tuning burst), added here.
    pub evaluations: &'a mut usize,
}

/// A proposed child of the parent.
pub struct Proposal {
    pub source: String,
    /// How it was made, for the lineage (for example the constants changed).
    pub origin: String,
    pub parent: ProposedParent,
    /// The source's extension; None for the parent's.
    pub extension: Option<String>,
    /// The model call whose reply this is, to be linked to the candidate.
    pub call: Option<i64>,
}

/// Whose child a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposedParent {
    /// The parent the search chose.
    Chosen,
    /// Nobody's: a fresh draft, a new root.
    Root,
    /// Another candidate of the archive (a repair of a failed one).
    Candidate(i64),
}

impl Proposal {
    /// A child of the chosen parent, in its language.
    pub fn child(source: String, origin: String) -> Proposal {
        Proposal {
            source,
            origin,
            parent: ProposedParent::Chosen,
            extension: None,
            call: None,
        }
    }
}

/// An operator that makes children itself, without a language model.
pub trait Operator {
    fn name(&self) -> &'static str;
    /// Children of `context.parent`, best first; the search takes the first
    /// that is not already in the archive.
    fn propose(&mut self, context: &mut OperatorContext) -> Result<Vec<Proposal>>;
}

/// An operator that asks a language model. It only writes the question; the
/// search sends it, judges other candidates while the model writes, and
/// turns the answer into a child (`model_ops::receive`).
pub trait AsksModel {
    fn name(&self) -> &'static str;
    /// The question about `context.parent`; None when there is nothing to ask.
    fn request(
        &mut self,
        context: &mut OperatorContext,
        model: &ModelSetup,
    ) -> Result<Option<Asking>>;
}

/// What a model is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Draft,
    Improve,
    Repair,
    Crossover,
}

impl Kind {
    /// Every kind, in the order the bandit tries them (from the last).
    pub const ALL: [Kind; 4] = [Kind::Crossover, Kind::Repair, Kind::Draft, Kind::Improve];

    /// The operator's name, as `--operators` and the store say it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Draft => "draft",
            Kind::Improve => "improve",
            Kind::Repair => "repair",
            Kind::Crossover => "llm-crossover",
        }
    }
}

/// Whether the operator called `name` asks a language model.
pub fn asks_model(name: &str) -> bool {
    Kind::ALL.iter().any(|k| k.name() == name)
}

/// A model request on its way, and what to make of its reply.
#[derive(Debug, Clone)]
pub struct Asking {
    pub kind: Kind,
    /// The model asked (its index).
    pub backend: usize,
    pub prompt: Prompt,
    /// Asked for SEARCH/REPLACE edits of `base` rather than a program.
    pub edits: bool,
    pub target: ProposedParent,
    /// The extension of the program asked for.
    pub extension: String,
    /// The program the reply improves, repairs or edits.
    pub base: Option<String>,
}
