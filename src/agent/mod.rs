//! The agent's end of the line: judging a solution on the problem's private
//! seeds and writing a submission folder (`submit.rs`). The search that
//! feeds it (`ale solve`) builds on the runner and the tuner.

pub mod submit;

pub use submit::{submit, Progress, SeedSet, Submission, SubmitOptions};
