//! ale: a local judge, runner and solver for AtCoder-style heuristic problems.
//!
//! The library holds everything but the command line, which belongs to the
//! `ale` binary (`src/cli/`): it parses the arguments once into the plain
//! option values the library takes. Data flows problem -> case -> judge ->
//! runner -> store.

pub mod agent;
pub mod bench;
pub mod check;
pub mod error;
pub mod judge;
pub mod links;
pub mod llm;
pub mod paths;
pub mod problem;
pub mod report;
pub mod runner;
pub mod serve;
pub mod store;
pub mod text;
pub mod tune;
pub mod workers;

pub use error::{Error, Result};
