//! How the search judges candidates: successive halving over the starting
//! solvers, and the cascade a child goes through (a few seeds against its
//! parent, then the other public seeds raced against the best, with the
//! racing rule the tuner uses). Every evaluation stops at the search's
//! deadline; what a stop cut short is finished when the session resumes.

use super::search::Search;
use crate::error::Result;
use crate::store::CandidateStatus;
use crate::tune::stats::{raced_out, RACING_ALPHA};

impl Search<'_> {
    /// Successive halving over the starting solvers: all on a few seeds, the
    /// better half on twice as many, ... until one is left, run on all seeds.
    pub(super) fn race_portfolio(&mut self) -> Result<()> {
        // On a resume, what was dropped stays dropped and finished rounds cost nothing.
        let mut alive: Vec<usize> = (0..self.archive.len())
            .filter(|&i| self.archive[i].parent.is_none())
            .filter(|&i| {
                let s = self.archive[i].status;
                !matches!(
                    s,
                    CandidateStatus::Dropped(_) | CandidateStatus::CompileError
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
            if alive.len() <= 1 || n >= all {
                break;
            }
            let seeds: Vec<u64> = self.archive.order[..n.min(all)].to_vec();
            alive.sort_by(|&a, &b| {
                self.archive
                    .relative_on(b, &seeds)
                    .total_cmp(&self.archive.relative_on(a, &seeds))
            });
            let keep = alive.len().div_ceil(2);
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
            self.settle(child, CandidateStatus::Stopped(first))?;
            return Ok(false);
        }
        let batch = self.options.run.jobs.max(2);
        let patience = (2 * first).max(all / 4);
        let mut n = first;
        while !self.archive.full(child) {
            if let Some(best) = self.archive.best().filter(|&b| b != child) {
                let d = self.archive.differences(child, best);
                if raced_out(&d, RACING_ALPHA) {
                    self.settle(child, CandidateStatus::RacedOut(d.len()))?;
                    return Ok(false);
                }
                if n >= patience && d.iter().sum::<f64>() <= 0.0 {
                    self.settle(child, CandidateStatus::NotAhead(d.len()))?;
                    return Ok(false);
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
