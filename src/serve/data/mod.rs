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

#[cfg(test)]
mod tests {
    use crate::problem::Registry;
    use crate::serve::{html, Failure};
    use crate::store::Store;

    /// A store as ale wrote it before schema 11 (no outputs, steps, races,
    /// bandit figures, budgets, memory of candidates' cases): every page
    /// still draws, with less on it, read-only.
    #[test]
    fn every_page_draws_from_a_store_of_schema_10() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        crate::store::schema_10_store(&path);
        let store = Store::open_read_only(&path).unwrap();
        let registry = Registry::builtin();
        let home = html::home(&super::home(&store, &registry).unwrap());
        assert!(home.contains("<td>0.5 s</td>"), "{home}");
        let session = super::session(&store, &registry, 1).unwrap();
        assert!(session.budget.is_none() && session.bandit_choices.is_empty());
        assert!(html::session(&session).contains("<dd class=\"budget\">0.5 s</dd>"));
        let candidate = super::candidate(&store, &registry, 1, 1, super::CaseSort::Seed).unwrap();
        assert!(candidate.steps.is_empty());
        assert_eq!(candidate.cases[0].memory_kb, None);
        assert!(html::candidate(&candidate).contains("No step recorded"));
        for case in [
            super::candidate_case(&store, &registry, 1, 1, 0).unwrap(),
            super::run_case(&store, &registry, 1, 0).unwrap(),
        ] {
            assert!(case.output.is_none() && case.svg.is_some(), "{case:?}");
            assert!(case
                .picture
                .contains("the store has no output of this case"));
            assert!(html::case(&case).contains("No output stored for this case."));
        }
        assert!(matches!(
            super::candidate_output(&store, 1, 1, 0),
            Err(Failure::NotFound(_))
        ));
        let tuning = super::tuning(&store, 1).unwrap();
        assert!(tuning.trials[0].race.is_empty());
        assert!(html::tuning(&tuning).contains("no trial has raced yet"));
    }
}
