//! What each page shows, read from the store into plain documents: the JSON
//! API serialises them as they are, and `html/` draws the pages from them.
//! One file per kind of page; what they share is here.

mod candidate;
mod case;
mod home;
mod records;
mod session;

pub use candidate::*;
pub use case::*;
pub use home::*;
pub use records::*;
pub use session::*;

use crate::problem::{Objective, Problem, Registry, Seeds};

/// The problem of a session or run, when this ale knows it.
fn problem_of<'r>(registry: &'r Registry, id: &str) -> Option<&'r Problem> {
    registry.get(id).ok()
}

fn objective_of(problem: Option<&Problem>) -> Objective {
    problem.map_or(Objective::Max, |p| p.objective)
}

/// Whether score `a` is better than `b` under `objective`.
fn better(objective: Objective, a: f64, b: f64) -> bool {
    match objective {
        Objective::Max => a > b,
        Objective::Min => a < b,
    }
}

/// How many seeds a candidate of a session runs to be fully judged: the
/// session's public seeds, or the problem's for a session of an earlier version.
fn full_seeds(session: Option<&Seeds>, problem: Option<&Problem>) -> usize {
    session
        .or(problem.map(|p| &p.public_seeds))
        .map_or(0, |s| s.iter().count())
}
