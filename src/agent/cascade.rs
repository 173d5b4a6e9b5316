//! How the search judges candidates: a candidate on some seeds (each case
//! stored as it ends) and its status settled, successive halving over the
//! starting solvers, and the cascade a child goes through (a few seeds against its
//! parent, then the other public seeds raced against the best, with the
//! racing rule the tuner uses). Every evaluation stops at the search's
//! deadline; what a stop cut short is finished when the session resumes.

use super::search::{Search, SolveEvent};
use crate::error::Result;
use crate::runner::judge_seeds;
use crate::store::{CandidateStatus, Step, TuneCase};
use crate::tune::stats::{race_p, raced_out, RACING_ALPHA};

impl Search<'_> {
    /// Runs candidate `i` on the seeds of `seeds` it has not run (and no
    /// tuning burst of the session ran of its source since it was added).
    /// False when it does not compile, or the budget's end or a stop cut it
    /// short (a later session may go on from there).
    pub(super) fn evaluate(&mut self, i: usize, seeds: &[u64]) -> Result<bool> {
        if seeds
            .iter()
            .any(|s| !self.archive[i].scores.contains_key(s))
        {
            self.keep_known(i)?;
        }
        let todo: Vec<u64> = seeds
            .iter()
            .copied()
            .filter(|s| !self.archive[i].scores.contains_key(s))
            .collect();
        if todo.is_empty() {
            return Ok(true);
        }
        let c = &self.archive[i];
        let file = self
            .options
            .work_dir
            .join(self.session.to_string())
            .join(format!("candidate-{}.{}", c.id, c.extension));
        let id = c.id;
        let store = &mut *self.store;
        let evaluations = &mut self.evaluations;
        let events = &mut *self.events;
        let started = self.started;
        let ran = judge_seeds(
            self.problem,
            &file,
            &c.source,
            &self.options.build_dir,
            &todo,
            &self.limits,
            &self.run,
            |seed, outcome| {
                *evaluations += 1;
                store.record_candidate_case(
                    id,
                    &TuneCase::judged(seed, false, outcome),
                    Some(&outcome.output),
                )?;
                events(&SolveEvent::Case {
                    candidate: id,
                    evaluations: *evaluations,
                    elapsed: started.elapsed(),
                });
                Ok(())
            },
        )?;
        let results = match ran {
            Ok(results) => results,
            Err(message) => {
                self.archive[i].status = CandidateStatus::CompileError;
                self.store
                    .set_candidate_status(id, CandidateStatus::CompileError)?;
                self.store.set_candidate_message(id, &message)?;
                return Ok(false);
            }
        };
        let complete = results.len() == todo.len();
        for (seed, score) in results {
            self.archive.record(i, seed, score);
        }
        if !complete {
            self.step(
                i,
                "budget",
                None,
                &[],
                None,
                "cut short: a resumed session goes on from here",
            )?;
        }
        Ok(complete)
    }

    /// Records a step candidate `i` went through: measured on seeds `on`
    /// (its mean relative score there, and `against`'s), what came of it.
    fn step(
        &mut self,
        i: usize,
        stage: &str,
        against: Option<usize>,
        on: &[u64],
        p_value: Option<f64>,
        outcome: &str,
    ) -> Result<()> {
        let a = &self.archive;
        let step = Step {
            at_s: self.started.elapsed().as_secs_f64(),
            stage: stage.into(),
            seeds: a[i].scores.len(),
            against: against.map(|j| a[j].id),
            mine: (!on.is_empty()).then(|| a.relative_on(i, on)),
            theirs: against
                .filter(|_| !on.is_empty())
                .map(|j| a.relative_on(j, on)),
            p_value,
            outcome: outcome.into(),
        };
        self.store.record_step(a[i].id, &step)
    }

    /// Runs candidate `i` on the first `n` seeds of the search's order.
    pub(super) fn evaluate_first(&mut self, i: usize, n: usize) -> Result<bool> {
        let seeds = self.archive.order[..n.min(self.archive.order.len())].to_vec();
        self.evaluate(i, &seeds)
    }

    pub(super) fn settle(&mut self, i: usize, status: CandidateStatus) -> Result<()> {
        // The other ends are recorded where they are decided, with their figures.
        match status {
            CandidateStatus::CompileError => {
                self.step(i, "build", None, &[], None, "compile error")?
            }
            CandidateStatus::Evaluated => {
                let order = self.archive.order.clone();
                self.step(i, "all seeds", None, &order, None, "evaluated")?
            }
            _ => {}
        }
        self.archive[i].status = status;
        self.store
            .set_candidate_status(self.archive[i].id, status)?;
        let is_best = self.archive.best() == Some(i);
        if is_best {
            if let Some(score) = self.archive.mean_score(i) {
                self.progress
                    .push((self.started.elapsed().as_secs_f64(), score));
            }
        }
        let seen: Vec<u64> = self.archive[i].scores.keys().copied().collect();
        let mean_relative = 100.0 * self.archive.relative_on(i, &seen);
        let c = &self.archive[i];
        let (id, operator, parent, seeds) = (c.id, c.operator.clone(), c.parent, c.scores.len());
        let score = self.archive.mean_score(i);
        (self.events)(&SolveEvent::Candidate {
            id,
            operator: &operator,
            parent,
            status,
            seeds,
            mean_relative,
            score,
            best: is_best,
            evaluations: self.evaluations,
            elapsed: self.started.elapsed(),
        });
        Ok(())
    }

    /// Successive halving over the starting solvers: all on a few seeds, the
    /// better half on twice as many, ... until one is left, run on all seeds.
    pub(super) fn race_portfolio(&mut self) -> Result<()> {
        // On a resume, what was dropped stays dropped and finished rounds cost nothing.
        let mut alive: Vec<usize> = (0..self.archive.len())
            .filter(|&i| self.archive[i].parent.is_none())
            .filter(|&i| {
                // A start that ran every seed (before a resume) is judged already.
                let s = self.archive[i].status;
                !matches!(
                    s,
                    CandidateStatus::Dropped(_)
                        | CandidateStatus::CompileError
                        | CandidateStatus::Evaluated
                )
            })
            .collect();
        let all = self.archive.order.len();
        let mut n = self.options.first_seeds.max(1);
        loop {
            for &i in &alive.clone() {
                if self.out_of_budget() {
                    return Ok(());
                }
                if !self.evaluate_first(i, n)?
                    && self.archive[i].status == CandidateStatus::CompileError
                {
                    self.settle(i, CandidateStatus::CompileError)?;
                }
            }
            alive.retain(|&i| self.archive[i].status != CandidateStatus::CompileError);
            let seeds: Vec<u64> = self.archive.order[..n.min(all)].to_vec();
            if alive.iter().any(|&i| {
                seeds
                    .iter()
                    .any(|s| !self.archive[i].scores.contains_key(s))
            }) {
                // The budget cut the round short: ranking it would drop a
                // start on seeds it never ran. A resume goes on from here.
                return Ok(());
            }
            if alive.len() <= 1 || n >= all {
                break;
            }
            alive.sort_by(|&a, &b| {
                self.archive
                    .relative_on(b, &seeds)
                    .total_cmp(&self.archive.relative_on(a, &seeds))
            });
            let keep = alive.len().div_ceil(2);
            for (rank, &i) in alive.iter().enumerate() {
                let place = format!("{} of {}", rank + 1, alive.len());
                let outcome = if rank < keep { "kept" } else { "dropped" };
                self.step(
                    i,
                    "halving",
                    None,
                    &seeds,
                    None,
                    &format!("{outcome}: {place}"),
                )?;
            }
            for &i in &alive[keep..] {
                self.settle(i, CandidateStatus::Dropped(n))?;
            }
            alive.truncate(keep);
            n *= 2;
        }
        for &i in &alive {
            if self.evaluate_first(i, all)? {
                self.settle(i, CandidateStatus::Evaluated)?;
            }
        }
        Ok(())
    }

    /// Children a stop cut short go through the rest of their cascade.
    pub(super) fn finish_cut_children(&mut self) -> Result<()> {
        for i in 0..self.archive.len() {
            if self.out_of_budget() {
                break;
            }
            let c = &self.archive[i];
            if c.operator == "start" || c.status != CandidateStatus::New {
                continue;
            }
            if let Some(parent) = c.parent.and_then(|p| self.archive.index_of(p)) {
                self.cascade(i, parent)?;
            }
        }
        Ok(())
    }

    /// Judges a new child: raced against its parent when that ran every
    /// seed, else as a new root. When it ran every seed, how much it gained
    /// over what it set out to beat (its parent, or else the best).
    pub(super) fn judge_child(&mut self, child: usize) -> Result<Option<f64>> {
        let parent = self.archive[child]
            .parent
            .and_then(|p| self.archive.index_of(p))
            .filter(|&p| self.archive.full(p));
        let reference = parent.or_else(|| self.archive.best());
        let judged = match parent {
            Some(against) => self.cascade(child, against)?,
            None => self.judge_new_root(child)?,
        };
        if !judged {
            return Ok(None);
        }
        let before = reference.map_or(0.0, |r| self.archive.public_relative(r));
        Ok(Some(
            (self.archive.public_relative(child) - before).max(0.0),
        ))
    }

    /// A child with no fully judged parent to race against (a draft, a
    /// repair of a failed candidate): raced against the best, or run on
    /// every seed when there is no best yet.
    fn judge_new_root(&mut self, child: usize) -> Result<bool> {
        if let Some(best) = self.archive.best() {
            return self.cascade(child, best);
        }
        if self.evaluate_first(child, self.archive.order.len())? {
            self.settle(child, CandidateStatus::Evaluated)?;
            return Ok(true);
        }
        if self.archive[child].status == CandidateStatus::CompileError {
            self.settle(child, CandidateStatus::CompileError)?;
        }
        Ok(false)
    }

    /// The cascade: a few seeds first, stopping there when the child is
    /// clearly behind its parent; then the other public seeds a batch at a
    /// time, raced against the best candidate: the child stops as soon as the
    /// racing rule says it is worse, or when it is still not ahead after a
    /// quarter of the seeds. True when it ran every public seed.
    pub(super) fn cascade(&mut self, child: usize, parent: usize) -> Result<bool> {
        let all = self.archive.order.len();
        let first = self.options.first_seeds.max(1).min(all);
        if !self.evaluate_first(child, first)? {
            if self.archive[child].status == CandidateStatus::CompileError {
                self.settle(child, CandidateStatus::CompileError)?;
            }
            return Ok(false);
        }
        let seeds: Vec<u64> = self.archive.order[..first].to_vec();
        if self.archive.relative_on(child, &seeds)
            < self.archive.relative_on(parent, &seeds) - 0.005
        {
            self.step(
                child,
                "first seeds",
                Some(parent),
                &seeds,
                None,
                "stopped: behind its parent",
            )?;
            self.settle(child, CandidateStatus::Stopped(first))?;
            return Ok(false);
        }
        self.step(child, "first seeds", Some(parent), &seeds, None, "passed")?;
        let batch = self.options.run.jobs.max(2);
        let patience = (2 * first).max(all / 4);
        let mut n = first;
        let mut checked = 0;
        while !self.archive.full(child) {
            if let Some(best) = self.archive.best().filter(|&b| b != child) {
                let d = self.archive.differences(child, best);
                // In order, so that the same search sums the same figures alike.
                let mut ran: Vec<u64> = self.archive[child].scores.keys().copied().collect();
                ran.sort_unstable();
                let p = race_p(&d);
                if raced_out(&d, RACING_ALPHA) {
                    self.step(
                        child,
                        "race",
                        Some(best),
                        &ran,
                        p,
                        "raced out: worse than the best",
                    )?;
                    self.settle(child, CandidateStatus::RacedOut(d.len()))?;
                    return Ok(false);
                }
                if n >= patience && d.iter().sum::<f64>() <= 0.0 {
                    self.step(child, "race", Some(best), &ran, p, "not ahead of the best")?;
                    self.settle(child, CandidateStatus::NotAhead(d.len()))?;
                    return Ok(false);
                }
                if d.len() > checked {
                    self.step(child, "race", Some(best), &ran, p, "goes on")?;
                    checked = d.len();
                }
            }
            n = (n + batch).min(all);
            if !self.evaluate_first(child, n)? {
                return Ok(false); // the budget ended in the middle
            }
        }
        self.settle(child, CandidateStatus::Evaluated)?;
        Ok(true)
    }
}
