//! ale: a local judge, runner and solver for AtCoder-style heuristic problems.
//!
//! The library holds everything; the `ale` binary only parses its command line
//! (see [`cli`]). Data flows problem -> case -> judge -> runner -> store.

pub mod agent;
pub mod check;
pub mod cli;
pub mod error;
pub mod judge;
pub mod llm;
pub mod paths;
pub mod problem;
pub mod report;
pub mod runner;
pub mod store;
pub mod tune;

pub use error::{Error, Result};
