//! The search's language-model requests: those in flight (to draft, improve,
//! repair or cross, and the running summary, which all go out the same way
//! and never hold up the judge), and in a replay the answers held until the
//! step at which the first session took them.

use super::models::ModelSetup;
use super::operator::Asking;
use crate::error::Result;
use crate::llm::{Call, Ticket};
use crate::store::Store;
use std::collections::HashMap;
use std::time::Duration;

/// The step of a replayed answer that the first session never took.
const NEVER: u64 = u64::MAX;

/// What a request is for.
pub enum Purpose {
    /// A child: the operator that asked (its index), the question, and the
    /// parent chosen when it asked.
    Child {
        operator: usize,
        asking: Asking,
        parent: Option<i64>,
    },
    /// A new running summary, from model `backend`.
    Summary { backend: usize },
}

/// A model request in flight.
pub struct Waiting {
    pub purpose: Purpose,
    /// Its row in the store.
    pub call: i64,
}

#[derive(Default)]
pub struct Requests {
    waiting: HashMap<Ticket, Waiting>,
    held: Vec<(Waiting, Call, (u64, f64))>,
}

impl Requests {
    /// Asked and not taken yet.
    pub fn out(&self) -> usize {
        self.waiting.len() + self.held.len()
    }

    /// Whether an answer may still be taken (a replayed answer that the
    /// first session never took will not be).
    pub fn to_come(&self) -> bool {
        !self.waiting.is_empty() || self.held.iter().any(|h| h.2 .0 != NEVER)
    }

    /// Whether a summary request is out.
    pub fn summarising(&self) -> bool {
        let summary = |w: &Waiting| matches!(w.purpose, Purpose::Summary { .. });
        self.waiting.values().any(summary) || self.held.iter().any(|h| summary(&h.0))
    }

    pub fn sent(&mut self, ticket: Ticket, waiting: Waiting) {
        self.waiting.insert(ticket, waiting);
    }

    /// The answers to take at `step`: those that are in (after waiting up
    /// to `wait` for one, when there is nothing else to do). A replay's
    /// answers are in at once; each is held until the step at which the
    /// first session took it.
    pub fn collect(
        &mut self,
        model: &ModelSetup,
        store: &Store,
        session: i64,
        step: u64,
        wait: Option<Duration>,
    ) -> Result<Vec<(Waiting, Call)>> {
        let mut got = model.llm.answered();
        if let (true, Some(wait), None) = (got.is_empty(), wait, &model.replay_steps) {
            got.extend(model.llm.wait(wait));
        }
        let Some(steps) = &model.replay_steps else {
            return Ok(got
                .into_iter()
                .filter_map(|(ticket, call)| Some((self.waiting.remove(&ticket)?, call)))
                .collect());
        };
        for (ticket, call) in got {
            let Some(w) = self.waiting.remove(&ticket) else {
                continue;
            };
            let at = store.llm_call_position(session, w.call)?;
            // Not taken the first time (the budget ended first): not now either.
            let when = steps.get(at).copied().flatten().unwrap_or((NEVER, 0.0));
            self.held.push((w, call, when));
        }
        self.held
            .sort_by(|a, b| a.2 .0.cmp(&b.2 .0).then(a.2 .1.total_cmp(&b.2 .1)));
        let ready = self.held.iter().take_while(|h| h.2 .0 <= step).count();
        Ok(self
            .held
            .drain(..ready)
            .map(|(w, call, _)| (w, call))
            .collect())
    }
}
