//! The agent: `ale solve`'s search over solutions and `ale submit`'s judging
//! on the private seeds. The search loop (`search.rs`) keeps its candidates
//! in an archive (`archive.rs`), judges them through a cascade
//! (`cascade.rs`), picks operators with a bandit (`bandit.rs`) from the list
//! in `operators.rs` (offline ones in `offline.rs`, model ones in
//! `model_ops.rs`, both kinds defined in `operator.rs`), keeps model requests
//! in flight (`requests.rs`, `models.rs`), turns away duplicates
//! (`dedup.rs`), and hands the best to `submit.rs` with a summary
//! (`summary.rs`). Nothing here speaks HTTP: that is `crate::llm`.

pub mod archive;
mod bandit;
mod cascade;
pub mod dedup;
pub mod model_ops;
pub mod models;
pub mod offline;
pub mod operator;
pub mod operators;
mod requests;
pub mod search;
pub mod starts;
pub mod submit;
pub mod summary;

pub use dedup::{canonical, normalise};
pub use models::ModelSetup;
pub use operator::{AsksModel, Operator, OperatorContext, Proposal, ProposedParent};
pub use search::{solve, Selection, SolveEvent, SolveOptions, SolveReport};
pub use starts::{starting_solvers, Start};
pub use submit::{submit, Progress, SeedSet, Submission, SubmissionReport, SubmitOptions};
pub use summary::SearchSummary;
