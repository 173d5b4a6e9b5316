//! The search's archive: every candidate with its scores on the public
//! seeds, and the rules that rank them (relative score against the best seen
//! on each seed, the best fully judged candidate, one candidate against
//! another). Plain data: nothing here runs a process or reads the store.

use super::operator::Archived;
use crate::problem::Objective;
use crate::store::CandidateStatus;
use std::collections::HashMap;
use std::ops::{Index, IndexMut};

/// One candidate of a search.
pub struct Candidate {
    pub id: i64,
    pub parent: Option<i64>,
    pub operator: String,
    pub origin: String,
    pub extension: String,
    pub source: String,
    /// Per public seed it ran: its accepted score, or None when it failed.
    pub scores: HashMap<u64, Option<i64>>,
    pub status: CandidateStatus,
    pub children: usize,
    /// The candidate at the top of its lineage (set by [`Archive::push`]).
    pub root: i64,
}

impl Candidate {
    /// A new candidate, with no scores and no children yet.
    pub fn new(id: i64, parent: Option<i64>, operator: &str, origin: &str) -> Candidate {
        Candidate {
            id,
            parent,
            operator: operator.into(),
            origin: origin.into(),
            extension: String::new(),
            source: String::new(),
            scores: HashMap::new(),
            status: CandidateStatus::New,
            children: 0,
            root: id,
        }
    }
}

pub struct Archive {
    objective: Objective,
    /// The public seeds, in the order the search runs them.
    pub order: Vec<u64>,
    candidates: Vec<Candidate>,
    /// Candidate id to its place.
    by_id: HashMap<i64, usize>,
    /// The best accepted score seen on each seed (scores are only ever
    /// added, so it only gets better).
    best_scores: HashMap<u64, i64>,
}

impl Index<usize> for Archive {
    type Output = Candidate;
    fn index(&self, i: usize) -> &Candidate {
        &self.candidates[i]
    }
}

impl IndexMut<usize> for Archive {
    fn index_mut(&mut self, i: usize) -> &mut Candidate {
        &mut self.candidates[i]
    }
}

impl Archive {
    pub fn new(objective: Objective, order: Vec<u64>) -> Archive {
        Archive {
            objective,
            order,
            candidates: Vec::new(),
            by_id: HashMap::new(),
            best_scores: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter()
    }

    /// Adds a candidate (its parent, when there is one, already in) and
    /// returns its place; the parent counts one more child.
    pub fn push(&mut self, mut candidate: Candidate) -> usize {
        let parent = candidate.parent.and_then(|p| self.index_of(p));
        if let Some(p) = parent {
            self.candidates[p].children += 1;
        }
        candidate.root = parent.map_or(candidate.id, |p| self.candidates[p].root);
        let scores: Vec<(u64, Option<i64>)> =
            candidate.scores.iter().map(|(&k, &v)| (k, v)).collect();
        let i = self.candidates.len();
        self.by_id.insert(candidate.id, i);
        self.candidates.push(candidate);
        for (seed, score) in scores {
            self.note_best(seed, score);
        }
        i
    }

    /// Candidate `i` scored `score` on `seed` (None: not accepted).
    pub fn record(&mut self, i: usize, seed: u64, score: Option<i64>) {
        self.candidates[i].scores.insert(seed, score);
        self.note_best(seed, score);
    }

    fn note_best(&mut self, seed: u64, score: Option<i64>) {
        let Some(score) = score else { return };
        let objective = self.objective;
        self.best_scores
            .entry(seed)
            .and_modify(|b| {
                if objective.better(score, *b) {
                    *b = score;
                }
            })
            .or_insert(score);
    }

    /// The place of candidate `id`.
    pub fn index_of(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// Mean relative score (1 = the best seen on every seed) over `seeds`,
    /// as the contest's relative score is: a case not accepted counts 0.
    pub fn relative_on(&self, i: usize, seeds: &[u64]) -> f64 {
        if seeds.is_empty() {
            return 0.0;
        }
        let total: f64 = seeds
            .iter()
            .map(|seed| {
                let mine = self.candidates[i].scores.get(seed).copied().flatten();
                match (mine, self.best_scores.get(seed)) {
                    (Some(s), Some(&b)) => self.objective.relative(s, b) / 100.0,
                    _ => 0.0,
                }
            })
            .sum();
        total / seeds.len() as f64
    }

    /// Ran every public seed.
    pub fn full(&self, i: usize) -> bool {
        self.candidates[i].scores.len() == self.order.len()
    }

    pub fn public_relative(&self, i: usize) -> f64 {
        self.relative_on(i, &self.order)
    }

    /// The best fully judged candidate.
    pub fn best(&self) -> Option<usize> {
        (0..self.len())
            .filter(|&i| self.full(i))
            .max_by(|&a, &b| self.public_relative(a).total_cmp(&self.public_relative(b)))
    }

    /// Mean accepted score on the seeds it ran.
    pub fn mean_score(&self, i: usize) -> Option<f64> {
        let accepted: Vec<i64> = self.candidates[i]
            .scores
            .values()
            .filter_map(|s| *s)
            .collect();
        (!accepted.is_empty()).then(|| accepted.iter().sum::<i64>() as f64 / accepted.len() as f64)
    }

    /// Per seed both ran, how much better `a` did than `b` there
    /// ([`Objective::versus`] less one): what a race tests.
    pub fn differences(&self, a: usize, b: usize) -> Vec<f64> {
        let mut seeds: Vec<(&u64, &Option<i64>)> = self.candidates[a].scores.iter().collect();
        seeds.sort();
        seeds
            .into_iter()
            .filter_map(|(seed, mine)| {
                let theirs = self.candidates[b].scores.get(seed)?;
                Some(self.objective.versus(*mine, *theirs) - 1.0)
            })
            .collect()
    }

    /// Mean of `a` against `b` in percent on the seeds both ran
    /// ([`Objective::versus`]), and how many seeds that is.
    pub fn versus(&self, a: usize, b: usize) -> (f64, usize) {
        let d = self.differences(a, b);
        let n = d.len();
        let mean = if n == 0 {
            0.0
        } else {
            100.0 * (1.0 + d.iter().sum::<f64>() / n as f64)
        };
        (mean, n)
    }

    /// Candidate `i` and its ancestors, from it up to its root.
    pub fn lineage(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = Some(i);
        while let Some(k) = at {
            out.push(k);
            at = self.candidates[k].parent.and_then(|p| self.index_of(p));
        }
        out
    }

    /// The archive as operators see it.
    pub fn views(&self) -> Vec<Archived<'_>> {
        (0..self.len())
            .map(|i| {
                let c = &self.candidates[i];
                Archived {
                    id: c.id,
                    source: &c.source,
                    extension: &c.extension,
                    full: self.full(i),
                    public_relative: self.public_relative(i),
                    operator: &c.operator,
                    origin: &c.origin,
                    status: c.status,
                    children: c.children,
                    root: c.root,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Archive, Candidate};
    use crate::problem::Objective;

    /// An archive over seeds 1..=4 of a minimisation problem: a start, a
    /// child of it, and a second start that failed on seed 2.
    fn archive() -> Archive {
        let mut a = Archive::new(Objective::Min, vec![1, 2, 3, 4]);
        let scores = [
            (10, None, [Some(100), Some(200), Some(100), Some(50)]),
            (11, Some(10), [Some(50), Some(200), Some(100), Some(100)]),
            (12, None, [Some(100), None, Some(400), Some(50)]),
        ];
        for (id, parent, s) in scores {
            let i = a.push(Candidate::new(id, parent, "start", "file"));
            for (seed, score) in [1, 2, 3, 4].into_iter().zip(s) {
                a.record(i, seed, score);
            }
        }
        a
    }

    #[test]
    fn relative_scores_are_against_the_best_seen_on_each_seed() {
        let a = archive();
        // Best per seed: 50, 200, 100, 50.
        // 0: 50/100, 1, 1, 1 -> 0.875; 1: 1, 1, 1, 0.5 -> 0.875;
        // 2: 0.5, 0 (failed), 0.25, 1 -> 0.4375.
        assert_eq!(a.public_relative(0), 0.875);
        assert_eq!(a.public_relative(1), 0.875);
        assert_eq!(a.public_relative(2), 0.4375);
        assert_eq!(a.relative_on(2, &[1, 4]), 0.75);
        assert_eq!(a.mean_score(2), Some(550.0 / 3.0));
        // A tie goes to the later candidate (the last maximum).
        assert_eq!(a.best(), Some(1));
    }

    #[test]
    fn a_race_compares_the_same_seeds_and_a_failure_is_a_full_point() {
        let a = archive();
        // Child against start, seeds in order: 100/50 -> +1, 0, 0, 50/100 -> -0.5.
        assert_eq!(a.differences(1, 0), vec![1.0, 0.0, 0.0, -0.5]);
        // Start 0 against start 2: 0, +1 (2 failed), 400/100 -> +3, 0.
        assert_eq!(a.differences(0, 2), vec![0.0, 1.0, 3.0, 0.0]);
        assert_eq!(a.differences(2, 0), vec![0.0, -1.0, -0.75, 0.0]);
        assert_eq!(a.versus(0, 2), (200.0, 4));
    }

    #[test]
    fn lineage_and_roots_follow_the_parents() {
        let mut a = archive();
        let g = a.push(Candidate::new(13, Some(11), "perturb", "x=1"));
        assert_eq!(a[g].root, 10);
        assert_eq!(a[0].children, 1);
        assert_eq!(a[1].children, 1);
        assert_eq!(a.lineage(g), vec![3, 1, 0]);
        assert!(!a.full(g));
        assert_eq!(
            a.best(),
            Some(1),
            "a candidate that ran no seed is not the best"
        );
        let views = a.views();
        assert_eq!(views[3].root, 10);
        assert!(views[1].full);
    }
}
