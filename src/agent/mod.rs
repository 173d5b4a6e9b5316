//! The agent's end of the line: judging a solution on the problem's private
//! seeds and writing a submission folder (`submit.rs`). The search that
//! feeds it (`ale solve`) builds on the runner and the tuner.

pub mod dedup;
pub mod model_ops;
pub mod operators;
pub mod search;
pub mod starts;
pub mod submit;

pub use dedup::{canonical, normalise};
pub use model_ops::ModelSetup;
pub use operators::{Operator, OperatorContext, Proposal, ProposedParent};
pub use search::{solve, Selection, SolveEvent, SolveOptions, SolveReport};
pub use starts::{starting_solvers, Start};
pub use submit::{submit, Progress, SeedSet, Submission, SubmitOptions};
