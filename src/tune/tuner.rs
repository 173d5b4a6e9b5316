//! `ale tune`: the search. The starting solution is judged on every tuning
//! seed; then candidates (a few spread over the space, then the sampler's)
//! are raced against the incumbent: each runs on the seeds in one shuffled
//! order, a batch at a time, and stops as soon as the paired test says it is
//! worse; one that finishes every seed with a better mean becomes the
//! incumbent. At the end the incumbent and the start are judged on hold-out
//! seeds the search never used.

use super::params::{find, rewrite};
use super::space::{Point, Space};
use super::stats::{race_p, raced_out, wilcoxon_less};
use super::tpe::{propose, Observation};
use crate::error::{Error, Result};
use crate::judge::Limits;
use crate::problem::{Objective, Problem, Seeds};
use crate::runner::{judge_seeds, RunOptions, SeedScore};
use crate::store::{RaceCheck, Store, TrialStatus, TuneCase, TuningStatus};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How to tune.
#[derive(Debug, Clone)]
pub struct TuneOptions {
    /// Wall time for the search (the hold-out judging comes after it).
    pub budget: Option<Duration>,
    /// Case evaluations for the search.
    pub max_evaluations: Option<usize>,
    pub seeds: Seeds,
    pub holdout: Seeds,
    pub rng_seed: u64,
    /// Continue the latest unfinished tuning of this problem and source.
    pub resume: bool,
    /// Jobs, kill factor, stop flag, sandbox, languages.
    pub run: RunOptions,
    /// Candidate sources are written under `<work_dir>/<tuning id>/`.
    pub work_dir: PathBuf,
    pub build_dir: PathBuf,
    /// Significance level of the racing test.
    pub alpha: f64,
    /// Candidates spread over the space before the sampler takes over.
    pub spread: usize,
    /// The search session this tuning is a burst of: a trial whose source
    /// the session already judged takes those cases instead of running them.
    pub session: Option<i64>,
}

/// What happens during a tuning, for live views.
#[derive(Debug)]
pub enum TuneEvent<'a> {
    TrialStarted {
        number: usize,
        values: &'a [(String, String)],
    },
    TrialEnded {
        number: usize,
        values: &'a [(String, String)],
        status: TrialStatus,
        cases: usize,
        /// Mean relative score against the start on the cases it ran (100 = same).
        mean_relative: f64,
        incumbent: bool,
    },
    Holdout,
}

/// One parameter's value before and after.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub name: String,
    pub old: String,
    pub new: String,
}

/// The hold-out verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holdout {
    pub seeds: Seeds,
    /// The tuned solution's mean relative score against the start (100 = same).
    pub mean_relative: f64,
    /// One-sided paired test that the tuned solution is better.
    pub p_value: f64,
    /// Better on the hold-out seeds (mean above 100).
    pub better: bool,
}

/// A finished (or stopped) tuning.
#[derive(Debug, Clone)]
pub struct TuneReport {
    pub tuning_id: i64,
    pub out: PathBuf,
    pub changes: Vec<Change>,
    pub trials: usize,
    pub raced_out: usize,
    pub evaluations: usize,
    /// The incumbent's mean relative score against the start on the tuning seeds.
    pub tuning_mean_relative: f64,
    pub holdout: Option<Holdout>,
    /// Stopped by Ctrl-C: no hold-out judging; `--resume` continues.
    pub interrupted: bool,
    pub elapsed: Duration,
}

/// A seed and the score a candidate got on it (None: not `AC`).
struct Trial {
    id: i64,
    number: usize,
    point: Point,
    values: Vec<(String, String)>,
    /// Score per tuning seed (None: not AC).
    scores: HashMap<u64, Option<i64>>,
    status: TrialStatus,
}

struct Tuner<'a> {
    problem: &'a Problem,
    options: &'a TuneOptions,
    store: &'a mut Store,
    source: String,
    extension: String,
    space: Space,
    tuning_id: i64,
    limits: Limits,
    trials: Vec<Trial>,
    /// The seeds in racing order.
    order: Vec<u64>,
    evaluations: usize,
    started: Instant,
    events: &'a mut dyn FnMut(&TuneEvent),
}

/// Tunes `solution`'s annotated constants on `problem`.
pub fn tune(
    problem: &Problem,
    solution: &Path,
    out: &Path,
    options: &TuneOptions,
    store: &mut Store,
    events: &mut dyn FnMut(&TuneEvent),
) -> Result<TuneReport> {
    let source = std::fs::read_to_string(solution).map_err(|e| Error::io(solution, e))?;
    let params = find(&source).map_err(|e| Error::BadInput {
        path: solution.to_path_buf(),
        message: e.to_string(),
    })?;
    if params.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no `ale:param` annotations to tune; mark a constant like `const T0: f64 = 2000.0; // ale:param log 10..100000`",
            solution.display()
        )));
    }
    if options.seeds.overlaps(&options.holdout) {
        return Err(Error::Usage(format!(
            "the tuning seeds {} and the hold-out seeds {} overlap; give disjoint ranges",
            options.seeds, options.holdout
        )));
    }
    if options.seeds.is_empty() {
        return Err(Error::Usage(
            "no tuning seeds: give --seeds A..B with A < B".into(),
        ));
    }
    let hash = crate::judge::compile_hex(&Sha256::digest(source.as_bytes()));
    let shown = solution.display().to_string();
    let existing = if options.resume {
        let found = store.unfinished_tuning(&problem.id, &shown, &hash)?;
        if found.is_none() {
            return Err(Error::Usage(format!(
                "nothing to resume: no unfinished tuning of {shown} on {} (run without --resume to start one)",
                problem.id
            )));
        }
        found
    } else {
        None
    };
    let (tuning_id, rng_seed, seeds) = match &existing {
        Some(t) => {
            let seeds: Seeds = t.seeds.parse().map_err(|e: String| {
                Error::Internal(format!("tuning {} has bad seeds: {e}", t.id))
            })?;
            (t.id, t.rng_seed, seeds)
        }
        None => (
            store.begin_tuning(
                &problem.id,
                &shown,
                &hash,
                options.rng_seed,
                &options.seeds.to_string(),
                &options.holdout.to_string(),
                options.session,
            )?,
            options.rng_seed,
            options.seeds.clone(),
        ),
    };
    store.set_tuning_status(tuning_id, TuningStatus::Running)?;
    let mut order: Vec<u64> = seeds.iter().collect();
    let mut shuffle = Xoshiro256PlusPlus::seed_from_u64(rng_seed);
    for k in (1..order.len()).rev() {
        order.swap(k, rand::Rng::random_range(&mut shuffle, 0..=k));
    }
    let limits = problem.limits(options.run.kill_factor, options.run.sandbox.bwrap());
    let extension = solution
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("src")
        .to_string();
    let mut tuner = Tuner {
        problem,
        options,
        store,
        source,
        extension,
        space: Space::new(params),
        tuning_id,
        limits,
        trials: Vec::new(),
        order,
        evaluations: 0,
        started: Instant::now(),
        events,
    };
    if existing.is_some() {
        tuner.load()?;
    }
    tuner.search(rng_seed)?;
    tuner.finish(out)
}

impl Tuner<'_> {
    fn objective(&self) -> Objective {
        self.problem.objective
    }

    /// The start's score on a seed, the reference of every relative score.
    fn reference(&self, seed: u64) -> Option<i64> {
        self.trials
            .first()
            .and_then(|t| t.scores.get(&seed).copied().flatten())
    }

    /// A score relative to the start's on the same seed (1 = same).
    fn quality(&self, seed: u64, score: Option<i64>) -> f64 {
        self.objective().versus(score, self.reference(seed))
    }

    fn mean_quality(&self, trial: &Trial) -> f64 {
        if trial.scores.is_empty() {
            return 0.0;
        }
        trial
            .scores
            .iter()
            .map(|(&seed, &s)| self.quality(seed, s))
            .sum::<f64>()
            / trial.scores.len() as f64
    }

    /// The best trial that ran every tuning seed.
    fn incumbent(&self) -> usize {
        let full = self.order.len();
        let mut best = 0;
        for (i, t) in self.trials.iter().enumerate() {
            if t.scores.len() == full
                && t.status == TrialStatus::Complete
                && self.mean_quality(t) > self.mean_quality(&self.trials[best])
            {
                best = i;
            }
        }
        best
    }

    fn out_of_budget(&self) -> bool {
        self.options.run.stop.load(Ordering::Relaxed)
            || self
                .options
                .budget
                .is_some_and(|b| self.started.elapsed() >= b)
            || self
                .options
                .max_evaluations
                .is_some_and(|m| self.evaluations >= m)
    }

    /// Reloads a stopped tuning's trials.
    fn load(&mut self) -> Result<()> {
        for row in self.store.trials(self.tuning_id)? {
            let point: Point = serde_json::from_str(&row.point)
                .map_err(|e| Error::Internal(format!("trial {} has a bad point: {e}", row.id)))?;
            let values = self.space.values(&point);
            let scores = self
                .store
                .trial_cases(row.id)?
                .into_iter()
                .filter(|c| !c.holdout)
                .map(|c| (c.seed, c.accepted_score()))
                .collect();
            self.trials.push(Trial {
                id: row.id,
                number: row.number,
                point,
                values,
                scores,
                status: row.status,
            });
        }
        Ok(())
    }

    fn search(&mut self, rng_seed: u64) -> Result<()> {
        if self.trials.is_empty() {
            let start = self.space.current();
            self.add_trial(start)?;
        }
        // Finish the start, and a trial a stop cut short.
        for i in 0..self.trials.len() {
            if self.out_of_budget() {
                return Ok(());
            }
            if matches!(
                self.trials[i].status,
                TrialStatus::Running | TrialStatus::Interrupted
            ) {
                self.race(i)?;
            }
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            rng_seed ^ (self.trials.len() as u64).wrapping_mul(0x9E37_79B9),
        );
        let spread = self.space.spread(self.options.spread.max(1), &mut rng);
        // On a resume, the spread points already tried are skipped as repeats.
        let mut spread = spread.into_iter();
        let mut repeats = 0;
        while !self.out_of_budget() {
            let point = if let Some(point) = spread.next() {
                point
            } else {
                let seen: Vec<Observation> = self
                    .trials
                    .iter()
                    .filter(|t| !t.scores.is_empty() || t.status == TrialStatus::CompileError)
                    .map(|t| Observation {
                        point: t.point.clone(),
                        loss: -self.mean_quality(t),
                    })
                    .collect();
                propose(&self.space, &seen, &mut rng)
            };
            if self.trials.iter().any(|t| t.point == point) {
                repeats += 1;
                // (a spread point that is a repeat just gives way to the next)
                if repeats >= 20 {
                    break; // every point nearby has been tried
                }
                continue;
            }
            repeats = 0;
            let i = self.add_trial(point)?;
            self.race(i)?;
        }
        Ok(())
    }

    fn add_trial(&mut self, point: Point) -> Result<usize> {
        let values = self.space.values(&point);
        let number = self.trials.len();
        let source = self.candidate(&values)?;
        let hash = crate::judge::compile_hex(&Sha256::digest(source.as_bytes()));
        let values_json = serde_json::to_string(
            &values
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect::<serde_json::Map<String, serde_json::Value>>(),
        )
        .unwrap_or_default();
        let id = self.store.add_trial(
            self.tuning_id,
            number,
            &serde_json::to_string(&point).unwrap_or_default(),
            &values_json,
            &hash,
        )?;
        self.trials.push(Trial {
            id,
            number,
            point,
            values,
            scores: HashMap::new(),
            status: TrialStatus::Running,
        });
        if let Some(session) = self.options.session {
            let seeds: std::collections::HashSet<u64> = self.order.iter().copied().collect();
            for case in self
                .store
                .session_cases_of_source(session, &source, &hash)?
            {
                if seeds.contains(&case.seed) {
                    self.store.record_tune_case(id, &case)?;
                    self.trials[number]
                        .scores
                        .insert(case.seed, case.accepted_score());
                }
            }
        }
        Ok(number)
    }

    fn candidate(&self, values: &[(String, String)]) -> Result<String> {
        let pairs: Vec<(&str, String)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        rewrite(&self.source, &self.space.params, &pairs)
            .map_err(|e| Error::Internal(format!("rewriting a candidate: {e}")))
    }

    /// Runs trial `i` on the seeds it has not run, a batch at a time, until it
    /// is done, significantly worse than the incumbent, or out of budget.
    fn race(&mut self, i: usize) -> Result<()> {
        let number = self.trials[i].number;
        (self.events)(&TuneEvent::TrialStarted {
            number,
            values: &self.trials[i].values.clone(),
        });
        let incumbent = self.incumbent();
        let against = (i != 0 && incumbent != i).then_some(incumbent);
        let batch = self.options.run.jobs.max(2);
        let todo: Vec<u64> = self
            .order
            .iter()
            .copied()
            .filter(|s| !self.trials[i].scores.contains_key(s))
            .collect();
        let mut status = TrialStatus::Complete;
        let mut checks = Vec::new();
        for chunk in todo.chunks(batch) {
            if self.out_of_budget() {
                status = TrialStatus::Interrupted;
                break;
            }
            let before = self.trials[i].scores.len();
            let ran = self.evaluate(i, chunk, false)?;
            match ran {
                None => {
                    status = TrialStatus::CompileError;
                    break;
                }
                Some(results) => {
                    for (seed, score) in results {
                        self.trials[i].scores.insert(seed, score);
                    }
                }
            }
            if self.trials[i].scores.len() - before < chunk.len() {
                status = TrialStatus::Interrupted; // the stop flag cut the batch short
                break;
            }
            // Racing saves seeds; a trial that ran them all is simply compared.
            if let Some(inc) = against.filter(|_| self.trials[i].scores.len() < self.order.len()) {
                let d: Vec<f64> = self.trials[i]
                    .scores
                    .iter()
                    .map(|(&seed, &s)| {
                        let theirs = self.trials[inc].scores.get(&seed).copied().flatten();
                        self.quality(seed, s) - self.quality(seed, theirs)
                    })
                    .collect();
                checks.push(RaceCheck {
                    seeds: d.len(),
                    mean_difference: 100.0 * d.iter().sum::<f64>() / d.len().max(1) as f64,
                    p_value: race_p(&d),
                });
                if raced_out(&d, self.options.alpha) {
                    status = TrialStatus::RacedOut;
                    break;
                }
            }
        }
        if status == TrialStatus::Complete && self.trials[i].scores.len() < self.order.len() {
            status = TrialStatus::Interrupted;
        }
        let mean = self.mean_quality(&self.trials[i]);
        self.trials[i].status = status;
        let stored_mean = (!self.trials[i].scores.is_empty()).then_some(100.0 * mean);
        self.store
            .set_trial(self.trials[i].id, status, stored_mean)?;
        let raced_against = against.map(|k| self.trials[k].number);
        self.store
            .add_trial_race(self.trials[i].id, raced_against, &checks)?;
        let now_incumbent = status == TrialStatus::Complete && self.incumbent() == i;
        let values = self.trials[i].values.clone();
        (self.events)(&TuneEvent::TrialEnded {
            number,
            values: &values,
            status,
            cases: self.trials[i].scores.len(),
            mean_relative: 100.0 * mean,
            incumbent: now_incumbent,
        });
        Ok(())
    }

    /// Judges trial `i` on `seeds`, storing each case as it ends. None when the
    /// candidate does not compile.
    fn evaluate(
        &mut self,
        i: usize,
        seeds: &[u64],
        holdout: bool,
    ) -> Result<Option<Vec<SeedScore>>> {
        let source = self.candidate(&self.trials[i].values)?;
        let file = self
            .options
            .work_dir
            .join(self.tuning_id.to_string())
            .join(format!(
                "trial-{}.{}",
                self.trials[i].number, self.extension
            ));
        let trial_id = self.trials[i].id;
        let store = &mut *self.store;
        let evaluations = &mut self.evaluations;
        Ok(judge_seeds(
            self.problem,
            &file,
            &source,
            &self.options.build_dir,
            seeds,
            &self.limits,
            &self.options.run,
            |seed, outcome| {
                *evaluations += 1;
                store.record_tune_case(trial_id, &TuneCase::judged(seed, holdout, outcome))
            },
        )?
        .ok())
    }

    fn finish(mut self, out: &Path) -> Result<TuneReport> {
        let best = self.incumbent();
        let interrupted = self.options.run.stop.load(Ordering::Relaxed);
        let changes: Vec<Change> = self
            .space
            .params
            .iter()
            .zip(&self.trials[best].values)
            .map(|(p, (_, new))| Change {
                name: p.name.clone(),
                old: p.value.clone(),
                new: new.clone(),
            })
            .collect();
        let tuned = self.candidate(&self.trials[best].values.clone())?;
        std::fs::write(out, tuned).map_err(|e| Error::io(out, e))?;
        let tuning_mean_relative = 100.0 * self.mean_quality(&self.trials[best]);
        let mut holdout = None;
        if !interrupted && !self.options.holdout.is_empty() {
            (self.events)(&TuneEvent::Holdout);
            let seeds: Vec<u64> = self.options.holdout.iter().collect();
            let start = self.evaluate(0, &seeds, true)?.unwrap_or_default();
            let tuned = if best == 0 {
                start.clone()
            } else {
                self.evaluate(best, &seeds, true)?.unwrap_or_default()
            };
            let start: HashMap<u64, Option<i64>> = start.into_iter().collect();
            let mut d = Vec::new();
            let mut total = 0.0;
            for (seed, score) in &tuned {
                let reference = start.get(seed).copied().flatten();
                let q = self.objective().versus(*score, reference);
                total += q;
                d.push(1.0 - q);
            }
            let complete = tuned.len() == seeds.len();
            let mean = if tuned.is_empty() {
                1.0
            } else {
                total / tuned.len() as f64
            };
            if complete {
                holdout = Some(Holdout {
                    seeds: self.options.holdout.clone(),
                    mean_relative: 100.0 * mean,
                    p_value: wilcoxon_less(&d),
                    better: mean > 1.0,
                });
            }
        }
        let interrupted = interrupted || self.options.run.stop.load(Ordering::Relaxed);
        self.store.set_tuning_status(
            self.tuning_id,
            if interrupted {
                TuningStatus::Interrupted
            } else {
                TuningStatus::Finished
            },
        )?;
        Ok(TuneReport {
            tuning_id: self.tuning_id,
            out: out.to_path_buf(),
            changes,
            trials: self.trials.len(),
            raced_out: self
                .trials
                .iter()
                .filter(|t| t.status == TrialStatus::RacedOut)
                .count(),
            evaluations: self.evaluations,
            tuning_mean_relative,
            holdout,
            interrupted,
            elapsed: self.started.elapsed(),
        })
    }
}
