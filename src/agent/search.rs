//! `ale solve`: a search over solutions. Every candidate has a parent, the
//! operator that made it, its source and its per-case results, all in the
//! store as they exist. The starting solvers are raced by successive halving
//! on the public seeds; then operators make children of parents chosen
//! best-first (a beam) or by weighted sampling, the operator chosen by a
//! bandit on improvement per case evaluation; children go through a cascade
//! (a few seeds, then the other public seeds raced against the best).
//! Language-model requests stay in flight while the judge runs what the other
//! operators make; each answer is judged when it comes. When the budget
//! ends, the best candidate is judged on the private seeds and submitted.

use super::dedup::canonical;
use super::model_ops::{Asking, ModelSetup};
use super::operators::{Archived, OperatorContext, Proposal, ProposedParent};
use super::starts::Start;
use super::submit::{submit, Progress, Submission, SubmitOptions};
use crate::error::{Error, Result};
use crate::judge::Limits;
use crate::llm::{Call, Ticket};
use crate::problem::Problem;
use crate::runner::{judge_seeds, RunOptions};
use crate::store::{Store, TuneCase};
use crate::tune::stats::wilcoxon_less;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The racing's significance: a child stops when the paired test's p-value
/// for "worse than the best" falls below it.
const RACING_ALPHA: f64 = 0.05;

/// Offline operators that made nothing new this many times in a row stop
/// (and so do model requests whose answers made nothing new); with neither
/// left and no answer to come, the search ends.
const IDLE_LIMIT: usize = 50;

/// UCB1 over the operators on improvement per case evaluation: each tried once first,
/// from the last in the list (a tuning burst before perturbations; with a
/// model, an improvement first).
struct Bandit {
    uses: Vec<usize>,
    reward: Vec<f64>,
}

impl Bandit {
    fn new(n: usize) -> Bandit {
        Bandit {
            uses: vec![0; n],
            reward: vec![0.0; n],
        }
    }

    /// The operator to use among those `able` to act now.
    fn choose(&self, able: &[bool]) -> Option<usize> {
        let n = self.uses.len();
        if let Some(untried) = (0..n).rev().find(|&o| able[o] && self.uses[o] == 0) {
            return Some(untried);
        }
        let total: usize = self.uses.iter().sum();
        let score = |o: usize| {
            self.reward[o] / self.uses[o] as f64
                + 0.05 * ((total.max(1) as f64).ln() / self.uses[o] as f64).sqrt()
        };
        (0..n)
            .filter(|&o| able[o])
            .max_by(|&a, &b| score(a).total_cmp(&score(b)))
    }

    fn reward(&mut self, k: usize, reward: f64) {
        self.reward[k] += reward;
    }
}

/// Offline operators, and model answers, that made nothing new in a row:
/// each kind stops at [`IDLE_LIMIT`].
#[derive(Default)]
struct Idle {
    offline: usize,
    model: usize,
}

impl Idle {
    fn answered(&mut self, made: bool) {
        if made {
            // Something new for the offline operators to work on too.
            *self = Idle::default();
        } else {
            self.model += 1;
        }
    }
}

/// The step of a replayed answer that the first session never took.
const NEVER: u64 = u64::MAX;

/// The model requests of a search: those in flight, and in a replay the
/// answers held until the step at which the first session took them.
#[derive(Default)]
struct Requests {
    waiting: HashMap<Ticket, Waiting>,
    held: Vec<(Waiting, Call, (u64, f64))>,
}

impl Requests {
    /// Asked and not taken yet.
    fn out(&self) -> usize {
        self.waiting.len() + self.held.len()
    }

    /// Whether an answer may still be taken (a replayed answer that the
    /// first session never took will not be).
    fn to_come(&self) -> bool {
        !self.waiting.is_empty() || self.held.iter().any(|h| h.2 .0 != NEVER)
    }
}

/// A model request in flight.
struct Waiting {
    /// The operator that asked (its index).
    operator: usize,
    asking: Asking,
    /// The parent chosen when it asked.
    parent: Option<i64>,
    /// Its row in the store.
    call: i64,
}

/// How parents are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Selection {
    /// The least-expanded of the best few (ALE-Agent's best-first search).
    Beam,
    /// Sampled, favouring high relative scores and few children (ShinkaEvolve).
    Weighted,
}

#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall time of the search.
    pub budget: Duration,
    /// Case evaluations of the search, if capped (then a search with a fixed
    /// rng seed is the same search every time, given the same scores).
    pub max_evaluations: Option<usize>,
    pub from: Vec<PathBuf>,
    pub rng_seed: u64,
    /// Continue this session instead of starting one.
    pub resume: Option<i64>,
    pub selection: Selection,
    pub run: RunOptions,
    pub build_dir: PathBuf,
    /// Candidate sources are written under `<work_dir>/<session>/`.
    pub work_dir: PathBuf,
    /// Where submission folders go.
    pub submissions: PathBuf,
    /// Seeds of the cascade's first step.
    pub first_seeds: usize,
    /// The language models, when configured.
    pub model: Option<std::sync::Arc<super::ModelSetup>>,
    /// Only these operators (by name); empty for all of them.
    pub operators: Vec<String>,
}

/// What the search did, for live views.
#[derive(Debug)]
pub enum SolveEvent<'a> {
    Candidate {
        id: i64,
        operator: &'a str,
        parent: Option<i64>,
        status: &'a str,
        seeds: usize,
        mean_relative: f64,
        /// Mean accepted score on the seeds it ran.
        score: Option<f64>,
        best: bool,
        /// Case evaluations so far, and the search's time so far.
        evaluations: usize,
        elapsed: Duration,
    },
    /// An operator is making a child of `parent` (None: a fresh draft).
    Expanding {
        operator: &'a str,
        parent: Option<i64>,
    },
    /// A language model was asked, or answered (or failed); totals of the
    /// session so far (calls count from when they are asked).
    Model {
        operator: &'a str,
        calls: usize,
        failed: usize,
        tokens_in: u64,
        tokens_out: u64,
        cost: f64,
        /// Requests asked and not answered yet.
        in_flight: usize,
    },
    /// A case of the search ended (tuning bursts' cases are counted when the
    /// burst ends).
    Case {
        candidate: i64,
        evaluations: usize,
        elapsed: Duration,
    },
    Submitting,
}

#[derive(Debug, Clone)]
pub struct SolveReport {
    pub session: i64,
    pub best_candidate: i64,
    pub best_public_score: Option<f64>,
    pub candidates: usize,
    pub evaluations: usize,
    pub submission: Submission,
    pub elapsed: Duration,
}

struct Candidate {
    id: i64,
    parent: Option<i64>,
    operator: String,
    origin: String,
    extension: String,
    source: String,
    scores: HashMap<u64, Option<i64>>,
    status: String,
    children: usize,
    /// The candidate at the top of its lineage.
    root: i64,
}

struct Search<'a> {
    problem: &'a Problem,
    options: &'a SolveOptions,
    store: &'a mut Store,
    session: i64,
    limits: Limits,
    order: Vec<u64>,
    archive: Vec<Candidate>,
    /// Candidate id to its place in `archive`.
    by_id: HashMap<i64, usize>,
    /// The best accepted score seen on each seed (scores are only ever
    /// added, so it only gets better).
    best_scores: HashMap<u64, i64>,
    started: Instant,
    evaluations: usize,
    progress: Progress,
    rng: Xoshiro256PlusPlus,
    /// A model's child that ran every seed and has annotated constants:
    /// the next tuning burst is its.
    to_tune: Option<usize>,
    events: &'a mut dyn FnMut(&SolveEvent),
}

/// Searches `problem` from `starts` for `options.budget`, then submits the best.
pub fn solve(
    problem: &Problem,
    starts: &[Start],
    options: &SolveOptions,
    store: &mut Store,
    events: &mut dyn FnMut(&SolveEvent),
) -> Result<SolveReport> {
    if let Some(id) = options.resume {
        let Some(row) = store.session(id)? else {
            return Err(Error::Usage(format!(
                "session {id}: no such session (see `ale sessions`)"
            )));
        };
        if row.problem != problem.id {
            return Err(Error::Usage(format!(
                "session {id} is a session of {}, not {}",
                row.problem, problem.id
            )));
        }
        if row.status == "finished" {
            return Err(Error::Usage(format!(
                "session {id} is finished and submitted ({}); start a new one",
                row.submission.unwrap_or_default()
            )));
        }
        store.reopen_session(id)?;
        return run_search(problem, &[], options, store, events, id, row.rng_seed);
    }
    if starts.is_empty() && options.model.is_none() {
        return Err(Error::Usage(format!(
            "{}: no solution to start from: put solvers in solvers/{}/, give one with --from FILE, or let a language model draft them (--llm-url URL --model NAME, [[llm]] in ale.toml, or --llm-cmd COMMAND)",
            problem.id, problem.id
        )));
    }
    let session = store.begin_session(&problem.id, options.rng_seed)?;
    run_search(
        problem,
        starts,
        options,
        store,
        events,
        session,
        options.rng_seed,
    )
}

fn run_search(
    problem: &Problem,
    starts: &[Start],
    options: &SolveOptions,
    store: &mut Store,
    events: &mut dyn FnMut(&SolveEvent),
    session: i64,
    rng_seed: u64,
) -> Result<SolveReport> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(rng_seed);
    let mut order: Vec<u64> = problem.public_seeds.iter().collect();
    for k in (1..order.len()).rev() {
        order.swap(k, rng.random_range(0..=k));
    }
    let limits = problem.limits(options.run.kill_factor, options.run.sandbox.bwrap());
    let mut search = Search {
        problem,
        options,
        store,
        session,
        limits,
        order,
        archive: Vec::new(),
        by_id: HashMap::new(),
        best_scores: HashMap::new(),
        started: Instant::now(),
        evaluations: 0,
        progress: Vec::new(),
        rng,
        to_tune: None,
        events,
    };
    if options.resume.is_some() {
        // Calls a kill left waiting will not be answered now.
        search.store.abandon_llm_calls(session)?;
        search.load()?;
        // Fresh draws for what comes next, not the first session's again.
        search.rng =
            Xoshiro256PlusPlus::seed_from_u64(rng_seed ^ (search.archive.len() as u64) << 32);
    }
    for start in starts {
        search.add(
            None,
            "start",
            &start.origin,
            &start.extension,
            start.source.clone(),
        )?;
    }
    search.race_portfolio()?;
    search.finish_cut_children()?;
    search.expand()?;
    search.finish()
}

impl Search<'_> {
    fn out_of_budget(&self) -> bool {
        self.options.run.stop.load(Ordering::Relaxed)
            || self.started.elapsed() >= self.options.budget
            || self
                .options
                .max_evaluations
                .is_some_and(|m| self.evaluations >= m)
    }

    fn add(
        &mut self,
        parent: Option<i64>,
        operator: &str,
        origin: &str,
        extension: &str,
        source: String,
    ) -> Result<Option<usize>> {
        let norm = crate::judge::compile_hex(&Sha256::digest(canonical(&source, extension)));
        let created = self.started.elapsed().as_secs_f64();
        let Some(id) = self.store.add_candidate(
            self.session,
            parent,
            operator,
            origin,
            extension,
            &source,
            &norm,
            created,
        )?
        else {
            return Ok(None); // the same source is already in the archive
        };
        if let Some(p) = parent.and_then(|p| self.index(p)) {
            self.archive[p].children += 1;
        }
        self.push(Candidate {
            id,
            parent,
            operator: operator.into(),
            origin: origin.into(),
            extension: extension.into(),
            source,
            scores: HashMap::new(),
            status: "new".into(),
            children: 0,
            root: id,
        });
        let i = self.archive.len() - 1;
        self.keep_known(i)?;
        Ok(Some(i))
    }

    fn push(&mut self, mut candidate: Candidate) {
        // A parent is always older than its children.
        candidate.root = candidate
            .parent
            .and_then(|p| self.index(p))
            .map_or(candidate.id, |p| self.archive[p].root);
        let scores: Vec<(u64, Option<i64>)> =
            candidate.scores.iter().map(|(&k, &v)| (k, v)).collect();
        self.by_id.insert(candidate.id, self.archive.len());
        self.archive.push(candidate);
        for (seed, score) in scores {
            self.note_best(seed, score);
        }
    }

    /// Candidate `i` scored `score` on `seed`.
    fn record_score(&mut self, i: usize, seed: u64, score: Option<i64>) {
        self.archive[i].scores.insert(seed, score);
        self.note_best(seed, score);
    }

    fn note_best(&mut self, seed: u64, score: Option<i64>) {
        let Some(score) = score else { return };
        let objective = self.problem.objective;
        self.best_scores
            .entry(seed)
            .and_modify(|b| {
                if objective.better(score, *b) {
                    *b = score;
                }
            })
            .or_insert(score);
    }

    fn index(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The best accepted score on a seed among every candidate.
    fn best_on(&self, seed: u64) -> Option<i64> {
        self.best_scores.get(&seed).copied()
    }

    /// Mean relative score (1 = the best seen on every seed) over `seeds`.
    fn relative_on(&self, i: usize, seeds: &[u64]) -> f64 {
        if seeds.is_empty() {
            return 0.0;
        }
        let total: f64 = seeds
            .iter()
            .map(|&seed| {
                match (
                    self.archive[i].scores.get(&seed).copied().flatten(),
                    self.best_on(seed),
                ) {
                    (Some(s), Some(b)) => self.problem.objective.relative(s, b) / 100.0,
                    _ => 0.0,
                }
            })
            .sum();
        total / seeds.len() as f64
    }

    fn full(&self, i: usize) -> bool {
        self.archive[i].scores.len() == self.order.len()
    }

    fn public_relative(&self, i: usize) -> f64 {
        self.relative_on(i, &self.order)
    }

    /// The best fully evaluated candidate.
    fn best(&self) -> Option<usize> {
        (0..self.archive.len())
            .filter(|&i| self.full(i))
            .max_by(|&a, &b| self.public_relative(a).total_cmp(&self.public_relative(b)))
    }

    fn mean_score(&self, i: usize) -> Option<f64> {
        let accepted: Vec<i64> = self.archive[i].scores.values().filter_map(|s| *s).collect();
        (!accepted.is_empty()).then(|| accepted.iter().sum::<i64>() as f64 / accepted.len() as f64)
    }

    /// Cases of candidate `i`'s source that a tuning burst of the session
    /// judged count as its own: stored for it and not run again.
    fn keep_known(&mut self, i: usize) -> Result<()> {
        let c = &self.archive[i];
        let hash = crate::judge::compile_hex(&Sha256::digest(c.source.as_bytes()));
        let known = self
            .store
            .session_cases_of_source(self.session, &c.source, &hash)?;
        let public: std::collections::HashSet<u64> = self.order.iter().copied().collect();
        for case in &known {
            if public.contains(&case.seed) && !self.archive[i].scores.contains_key(&case.seed) {
                self.store.record_candidate_case(self.archive[i].id, case)?;
                self.record_score(i, case.seed, case.accepted_score());
            }
        }
        Ok(())
    }

    /// Runs candidate `i` on the seeds of `seeds` it has not run (and no
    /// tuning burst of the session ran of its source since it was added).
    /// False when it does not compile or a stop cut it short.
    fn evaluate(&mut self, i: usize, seeds: &[u64]) -> Result<bool> {
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
            &self.options.run,
            |seed, outcome| {
                *evaluations += 1;
                store.record_candidate_case(id, &TuneCase::judged(seed, false, outcome))?;
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
                self.archive[i].status = "compile error".into();
                self.store
                    .set_candidate_status(self.archive[i].id, "compile error")?;
                self.store
                    .set_candidate_message(self.archive[i].id, &message)?;
                return Ok(false);
            }
        };
        let complete = results.len() == todo.len();
        for (seed, score) in results {
            self.record_score(i, seed, score);
        }
        Ok(complete)
    }

    /// Runs candidate `i` on the first `n` seeds of the search's order.
    fn evaluate_first(&mut self, i: usize, n: usize) -> Result<bool> {
        let seeds = self.order[..n.min(self.order.len())].to_vec();
        self.evaluate(i, &seeds)
    }

    fn settle(&mut self, i: usize, status: &str) -> Result<()> {
        self.archive[i].status = status.into();
        self.store
            .set_candidate_status(self.archive[i].id, status)?;
        let best = self.best();
        let is_best = best == Some(i);
        if is_best {
            if let Some(score) = self.mean_score(i) {
                self.progress
                    .push((self.started.elapsed().as_secs_f64(), score));
            }
        }
        let seen: Vec<u64> = self.archive[i].scores.keys().copied().collect();
        let mean_relative = 100.0 * self.relative_on(i, &seen);
        let c = &self.archive[i];
        let (id, operator, parent, seeds) = (c.id, c.operator.clone(), c.parent, c.scores.len());
        let score = self.mean_score(i);
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
    fn race_portfolio(&mut self) -> Result<()> {
        // On a resume, what was dropped stays dropped and finished rounds cost nothing.
        let mut alive: Vec<usize> = (0..self.archive.len())
            .filter(|&i| self.archive[i].parent.is_none())
            .filter(|&i| {
                let s = &self.archive[i].status;
                !s.starts_with("dropped") && s != "compile error"
            })
            .collect();
        let mut n = self.options.first_seeds.max(1);
        loop {
            for &i in &alive.clone() {
                if self.out_of_budget() {
                    return Ok(());
                }
                if !self.evaluate_first(i, n)? && self.archive[i].status == "compile error" {
                    self.settle(i, "compile error")?;
                }
            }
            alive.retain(|&i| self.archive[i].status != "compile error");
            if alive.len() <= 1 || n >= self.order.len() {
                break;
            }
            let seeds: Vec<u64> = self.order[..n.min(self.order.len())].to_vec();
            alive.sort_by(|&a, &b| {
                self.relative_on(b, &seeds)
                    .total_cmp(&self.relative_on(a, &seeds))
            });
            let keep = alive.len().div_ceil(2);
            for &i in &alive[keep..] {
                self.settle(i, &format!("dropped after {n} seeds"))?;
            }
            alive.truncate(keep);
            n *= 2;
        }
        for &i in &alive {
            if self.evaluate_first(i, self.order.len())? {
                self.settle(i, "evaluated")?;
            }
        }
        Ok(())
    }

    fn choose_parent(&mut self) -> Option<usize> {
        let mut full: Vec<usize> = (0..self.archive.len()).filter(|&i| self.full(i)).collect();
        if full.is_empty() {
            return None;
        }
        full.sort_by(|&a, &b| self.public_relative(b).total_cmp(&self.public_relative(a)));
        match self.options.selection {
            Selection::Beam => full
                .iter()
                .take(3)
                .copied()
                .min_by_key(|&i| self.archive[i].children),
            Selection::Weighted => {
                let weights: Vec<f64> = full
                    .iter()
                    .map(|&i| {
                        (20.0 * self.public_relative(i)).exp()
                            / (1.0 + self.archive[i].children as f64)
                    })
                    .collect();
                let total: f64 = weights.iter().sum();
                let mut u = self.rng.random::<f64>() * total;
                for (k, w) in weights.iter().enumerate() {
                    if u < *w {
                        return Some(full[k]);
                    }
                    u -= w;
                }
                full.last().copied()
            }
        }
    }

    /// Children of parents by the operators, until the budget ends. Model
    /// requests go out (at most the configured number at once) and the
    /// search goes on judging what the other operators make; each answer is
    /// judged when it is in.
    fn expand(&mut self) -> Result<()> {
        let mut operators = super::operators::offline();
        let model = self.options.model.clone();
        if model.is_some() {
            operators.extend(super::model_ops::model_operators());
        }
        if !self.options.operators.is_empty() {
            operators.retain(|o| self.options.operators.iter().any(|n| n == o.name()));
        }
        let names: Vec<&'static str> = operators.iter().map(|o| o.name()).collect();
        let mut bandit = Bandit::new(operators.len());
        let capacity = model.as_ref().map_or(0, |m| m.llm.max_in_flight());
        let mut requests = Requests::default();
        let mut idle = Idle::default();
        let tune_op = names.iter().position(|&o| o == "tune");
        let mut step: u64 = 0;
        while !self.out_of_budget() {
            step += 2;
            if let Some(m) = &model {
                for (w, call) in self.collect(m, &mut requests, step, None)? {
                    let made = self.answer(m, &names, &mut bandit, w, call, step)?;
                    idle.answered(made);
                }
            }
            if self.out_of_budget() {
                break;
            }
            // Keep the models busy: every free place goes to the model
            // operator the bandit picks (one with nothing to ask sits out
            // the round).
            let mut may_ask: Vec<bool> = operators.iter().map(|o| o.asks_model()).collect();
            while let Some(m) = model.as_ref().filter(|m| {
                requests.out() < capacity && !m.llm.over_budget() && idle.model < IDLE_LIMIT
            }) {
                let Some(k) = bandit.choose(&may_ask) else {
                    break;
                };
                let parent = self.choose_parent();
                if let Some((ticket, w)) = self.ask(&mut operators[k], k, parent, m)? {
                    requests.waiting.insert(ticket, w);
                    self.model_event(names[k], requests.out())?;
                } else {
                    may_ask[k] = false;
                    self.expanded(parent);
                }
                bandit.uses[k] += 1;
            }
            // Meanwhile the judge: a queued tuning burst, else an operator
            // that needs no model, else the next answer.
            let queued = self.to_tune.take().filter(|_| tune_op.is_some());
            let parent = queued.or_else(|| self.choose_parent());
            let able: Vec<bool> = operators
                .iter()
                .map(|o| !o.asks_model() && parent.is_some() && idle.offline < IDLE_LIMIT)
                .collect();
            let k = match (queued, tune_op) {
                (Some(_), Some(t)) => Some(t),
                _ => bandit.choose(&able),
            };
            let Some(k) = k else {
                let Some(m) = model.as_ref().filter(|_| requests.to_come()) else {
                    break; // nothing to judge and nothing to wait for
                };
                let left = self.options.budget.saturating_sub(self.started.elapsed());
                let wait = Some(left.min(Duration::from_secs(1)));
                for (w, call) in self.collect(m, &mut requests, step + 1, wait)? {
                    let made = self.answer(m, &names, &mut bandit, w, call, step + 1)?;
                    idle.answered(made);
                }
                continue;
            };
            let began = self.evaluations;
            bandit.uses[k] += 1;
            let proposals =
                self.operate(&mut operators[k], parent, model.as_deref(), |o, cx| {
                    o.propose(cx)
                })?;
            let parent_id = parent.map(|p| self.archive[p].id);
            match self.take(parent_id, names[k], proposals)? {
                Some(child) => {
                    idle.offline = 0;
                    if let Some(gain) = self.judge_child(child)? {
                        let cost = self.evaluations - began;
                        bandit.reward(k, self.per_evaluation(gain, cost));
                    }
                }
                None => idle.offline += 1,
            }
        }
        if model.is_some() {
            // What is still out is not waited for: the budget is spent.
            self.store.abandon_llm_calls(self.session)?;
        }
        Ok(())
    }

    /// Per candidate: whether it ran every seed, its public relative score
    /// and the root of its lineage.
    fn standing(&self) -> Vec<(bool, f64, i64)> {
        (0..self.archive.len())
            .map(|i| (self.full(i), self.public_relative(i), self.archive[i].root))
            .collect()
    }

    /// Runs `act` on `operator` with the archive as operators see it and
    /// `parent` chosen, telling the live view.
    fn operate<R>(
        &mut self,
        operator: &mut Box<dyn super::Operator>,
        parent: Option<usize>,
        model: Option<&ModelSetup>,
        act: impl FnOnce(&mut Box<dyn super::Operator>, &mut OperatorContext) -> Result<R>,
    ) -> Result<R> {
        (self.events)(&SolveEvent::Expanding {
            operator: operator.name(),
            parent: parent.map(|p| self.archive[p].id),
        });
        let standing = self.standing();
        let views = Self::views(&self.archive, &standing);
        let mut context = OperatorContext {
            problem: self.problem,
            archive: &views,
            parent,
            rng: &mut self.rng,
            left: self.options.budget.saturating_sub(self.started.elapsed()),
            options: self.options,
            store: &mut *self.store,
            session: self.session,
            evaluations: &mut self.evaluations,
            model,
        };
        act(operator, &mut context)
    }

    /// Operator `k` asked about `parent` (when it has something to ask):
    /// recorded in the store as asked and sent.
    fn ask(
        &mut self,
        operator: &mut Box<dyn super::Operator>,
        k: usize,
        parent: Option<usize>,
        model: &ModelSetup,
    ) -> Result<Option<(Ticket, Waiting)>> {
        let name = operator.name();
        let Some(asking) = self.operate(operator, parent, Some(model), |o, cx| o.request(cx))?
        else {
            return Ok(None);
        };
        let backend = model.llm.backends()[asking.backend].name();
        let asked = self.started.elapsed().as_secs_f64();
        let call = self
            .store
            .ask_llm_call(self.session, name, &backend, Some(asked))?;
        let ticket = model.llm.send(asking.backend, asking.prompt.clone());
        let parent = parent.map(|p| self.archive[p].id);
        Ok(Some((
            ticket,
            Waiting {
                operator: k,
                asking,
                parent,
                call,
            },
        )))
    }

    /// The archive as operators see it.
    fn views<'c>(archive: &'c [Candidate], standing: &[(bool, f64, i64)]) -> Vec<Archived<'c>> {
        archive
            .iter()
            .zip(standing)
            .map(|(c, &(full, public_relative, root))| Archived {
                id: c.id,
                source: &c.source,
                extension: &c.extension,
                full,
                public_relative,
                operator: &c.operator,
                origin: &c.origin,
                status: &c.status,
                children: c.children,
                root,
            })
            .collect()
    }

    /// A parent that gave nothing new counts as expanded once more.
    fn expanded(&mut self, parent: Option<usize>) {
        if let Some(p) = parent {
            self.archive[p].children += 1;
        }
    }

    /// The first of `proposals` (children of `parent` unless they say
    /// otherwise) that is new to the archive, added; the model calls of those
    /// that were not are marked.
    fn take(
        &mut self,
        parent: Option<i64>,
        operator: &str,
        proposals: Vec<Proposal>,
    ) -> Result<Option<usize>> {
        for p in proposals {
            let parent_id = match p.parent {
                ProposedParent::Chosen => parent,
                ProposedParent::Root => None,
                ProposedParent::Candidate(id) => Some(id),
            };
            let ext = p.extension.clone().unwrap_or_else(|| {
                parent
                    .and_then(|id| self.index(id))
                    .map_or_else(String::new, |i| self.archive[i].extension.clone())
            });
            match self.add(parent_id, operator, &p.origin, &ext, p.source)? {
                Some(child) => {
                    if let Some(call) = p.call {
                        self.store
                            .set_llm_call_candidate(call, self.archive[child].id)?;
                    }
                    return Ok(Some(child));
                }
                None => {
                    if let Some(call) = p.call {
                        self.store.set_llm_call_failure(
                            call,
                            "the same program as an earlier candidate (up to comments, spacing and names)",
                        )?;
                    }
                }
            }
        }
        self.expanded(parent.and_then(|id| self.index(id)));
        Ok(None)
    }

    /// Judges a new child: raced against its parent when that ran every
    /// seed, else as a new root. When it ran every seed, how much it gained
    /// over what it set out to beat (its parent, or else the best).
    fn judge_child(&mut self, child: usize) -> Result<Option<f64>> {
        let parent = self.archive[child]
            .parent
            .and_then(|p| self.index(p))
            .filter(|&p| self.full(p));
        let reference = parent.or_else(|| self.best());
        let judged = match parent {
            Some(against) => self.cascade(child, against)?,
            None => self.judge_new_root(child)?,
        };
        if !judged {
            return Ok(None);
        }
        let before = reference.map_or(0.0, |r| self.public_relative(r));
        Ok(Some((self.public_relative(child) - before).max(0.0)))
    }

    /// The answers to take at `step`: those that are in (after waiting up
    /// to `wait` for one, when there is nothing else to do). A replay's
    /// answers are in at once; each is held until the step at which the
    /// first session took it.
    fn collect(
        &mut self,
        model: &ModelSetup,
        requests: &mut Requests,
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
                .filter_map(|(ticket, call)| Some((requests.waiting.remove(&ticket)?, call)))
                .collect());
        };
        for (ticket, call) in got {
            let Some(w) = requests.waiting.remove(&ticket) else {
                continue;
            };
            let at = self.store.llm_call_position(self.session, w.call)?;
            // Not taken the first time (the budget ended first): not now either.
            let when = steps.get(at).copied().flatten().unwrap_or((NEVER, 0.0));
            requests.held.push((w, call, when));
        }
        requests
            .held
            .sort_by(|a, b| a.2 .0.cmp(&b.2 .0).then(a.2 .1.total_cmp(&b.2 .1)));
        let ready = requests.held.iter().take_while(|h| h.2 .0 <= step).count();
        Ok(requests
            .held
            .drain(..ready)
            .map(|(w, call, _)| (w, call))
            .collect())
    }

    /// A model's answer came in: recorded, turned into a child and judged.
    /// False when nothing new came of it.
    fn answer(
        &mut self,
        model: &ModelSetup,
        names: &[&'static str],
        bandit: &mut Bandit,
        w: Waiting,
        call: Call,
        step: u64,
    ) -> Result<bool> {
        let answered = self.started.elapsed().as_secs_f64();
        self.store
            .answer_llm_call(w.call, &call, Some(answered), Some(step))?;
        let began = self.evaluations;
        let proposal = super::model_ops::receive(&w.asking, &call, w.call, model, self.store);
        self.model_event(names[w.operator], model.llm.in_flight())?;
        let proposals: Vec<Proposal> = proposal?.into_iter().collect();
        let Some(child) = self.take(w.parent, names[w.operator], proposals)? else {
            return Ok(false);
        };
        if let Some(gain) = self.judge_child(child)? {
            // The judge's work is what a model's child costs the search.
            let cost = self.evaluations - began;
            bandit.reward(w.operator, self.per_evaluation(gain, cost));
            model.credit(w.asking.backend, gain);
            let annotated =
                crate::tune::params::find(&self.archive[child].source).is_ok_and(|p| !p.is_empty());
            if annotated {
                self.to_tune = Some(child);
            }
        }
        Ok(true)
    }

    /// An operator's reward: its gain per public seeds' worth of case
    /// evaluations (counted, not timed, so that a capped search with a fixed
    /// seed makes the same choices every time).
    fn per_evaluation(&self, gain: f64, evaluations: usize) -> f64 {
        gain * self.order.len() as f64 / evaluations.max(1) as f64
    }

    /// The session's model totals, for the live view.
    fn model_event(&mut self, operator: &str, in_flight: usize) -> Result<()> {
        let t = self.store.llm_totals(self.session)?;
        (self.events)(&SolveEvent::Model {
            operator,
            calls: t.calls,
            failed: t.failed,
            tokens_in: t.tokens_in,
            tokens_out: t.tokens_out,
            cost: t.cost,
            in_flight,
        });
        Ok(())
    }

    /// The cascade: a few seeds first, stopping there when the child is
    /// clearly behind its parent; then the other public seeds a batch at a
    /// time, raced against the best candidate: the child stops as soon as the
    /// paired test says it is worse, or when it is still not ahead after a
    /// quarter of the seeds. True when it ran every public seed.
    fn cascade(&mut self, child: usize, parent: usize) -> Result<bool> {
        let first = self.options.first_seeds.max(1).min(self.order.len());
        if !self.evaluate_first(child, first)? {
            if self.archive[child].status == "compile error" {
                self.settle(child, "compile error")?;
            }
            return Ok(false);
        }
        let seeds: Vec<u64> = self.order[..first].to_vec();
        if self.relative_on(child, &seeds) < self.relative_on(parent, &seeds) - 0.005 {
            self.settle(child, &format!("stopped after {first} seeds"))?;
            return Ok(false);
        }
        let batch = self.options.run.jobs.max(2);
        let patience = (2 * first).max(self.order.len() / 4);
        let mut n = first;
        while !self.full(child) {
            if let Some(best) = self.best().filter(|&b| b != child) {
                let d = self.differences(child, best);
                if d.len() >= 5 && wilcoxon_less(&d) < RACING_ALPHA {
                    self.settle(child, &format!("raced out after {} seeds", d.len()))?;
                    return Ok(false);
                }
                if n >= patience && d.iter().sum::<f64>() <= 0.0 {
                    self.settle(child, &format!("not ahead after {} seeds", d.len()))?;
                    return Ok(false);
                }
            }
            n = (n + batch).min(self.order.len());
            if !self.evaluate_first(child, n)? {
                return Ok(false); // the budget ended in the middle
            }
        }
        self.settle(child, "evaluated")?;
        Ok(true)
    }

    /// Per seed that `a` ran, how much better `a` did than `b` there, as a
    /// fraction of `b`'s score ([`crate::problem::Objective::versus`] less one).
    fn differences(&self, a: usize, b: usize) -> Vec<f64> {
        let objective = self.problem.objective;
        self.archive[a]
            .scores
            .iter()
            .filter_map(|(seed, mine)| {
                let theirs = self.archive[b].scores.get(seed)?;
                Some(objective.versus(*mine, *theirs) - 1.0)
            })
            .collect()
    }

    /// A child with no fully judged parent to race against (a draft, a
    /// repair of a failed candidate): raced against the best, or run on
    /// every seed when there is no best yet.
    fn judge_new_root(&mut self, child: usize) -> Result<bool> {
        if let Some(best) = self.best() {
            return self.cascade(child, best);
        }
        if self.evaluate_first(child, self.order.len())? {
            self.settle(child, "evaluated")?;
            return Ok(true);
        }
        if self.archive[child].status == "compile error" {
            self.settle(child, "compile error")?;
        }
        Ok(false)
    }

    /// Reloads a stopped session's candidates and their cases.
    fn load(&mut self) -> Result<()> {
        for row in self.store.candidates(self.session)? {
            let scores = self
                .store
                .candidate_cases(row.id)?
                .into_iter()
                .map(|c| (c.seed, c.accepted_score()))
                .collect();
            if let Some(p) = row.parent.and_then(|p| self.index(p)) {
                self.archive[p].children += 1;
            }
            self.push(Candidate {
                id: row.id,
                parent: row.parent,
                operator: row.operator,
                origin: row.origin,
                extension: row.extension,
                source: row.source,
                scores,
                status: row.status,
                children: 0,
                root: row.id,
            });
        }
        Ok(())
    }

    /// Children a stop cut short go through the rest of their cascade.
    fn finish_cut_children(&mut self) -> Result<()> {
        for i in 0..self.archive.len() {
            if self.out_of_budget() {
                break;
            }
            let c = &self.archive[i];
            if c.operator == "start" || c.status != "new" {
                continue;
            }
            if let Some(parent) = c.parent.and_then(|p| self.index(p)) {
                self.cascade(i, parent)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<SolveReport> {
        let Some(best) = self.best() else {
            self.store
                .finish_session(self.session, "failed", None, None)?;
            return Err(Error::Usage(
                "no candidate ran every public seed (all failed to compile, or the budget ended first); nothing submitted".into(),
            ));
        };
        (self.events)(&SolveEvent::Submitting);
        let mut lineage = Vec::new();
        let mut at = Some(best);
        while let Some(i) = at {
            let c = &self.archive[i];
            lineage.push(serde_json::json!({
                "candidate": c.id, "operator": c.operator, "origin": c.origin,
                "public_mean_relative": 100.0 * self.public_relative(i),
            }));
            at = c.parent.and_then(|p| self.index(p));
        }
        // The winner against each starting solver, on the seeds both ran.
        let mut against_starts = Vec::new();
        for (i, start) in self.archive.iter().enumerate() {
            if start.operator != "start" {
                continue;
            }
            let mut total = 0.0;
            let mut seeds = 0;
            for (seed, theirs) in &start.scores {
                let Some(mine) = self.archive[best].scores.get(seed) else {
                    continue;
                };
                seeds += 1;
                total += 100.0 * self.problem.objective.versus(*mine, *theirs);
            }
            if seeds > 0 {
                against_starts.push(serde_json::json!({
                    "candidate": start.id,
                    "origin": start.origin,
                    "seeds": seeds,
                    "mean_relative": total / seeds as f64,
                    "same": i == best,
                }));
            }
        }
        let model = self.store.llm_totals(self.session)?;
        let search = serde_json::json!({
            "session": self.session,
            "lineage": lineage,
            "against_starts": against_starts,
            "budget": {
                "budget_s": self.options.budget.as_secs_f64(),
                "elapsed_s": self.started.elapsed().as_secs_f64(),
                "candidates": self.archive.len(),
                "evaluations": self.evaluations,
                "llm": {
                    "calls": model.calls,
                    "unusable": model.failed,
                    "tokens_in": model.tokens_in,
                    "tokens_out": model.tokens_out,
                    "cost": model.cost,
                },
            },
        });
        let c = &self.archive[best];
        let folder = self.options.work_dir.join(self.session.to_string());
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let file = folder.join(format!("best.{}", c.extension));
        std::fs::write(&file, &c.source).map_err(|e| Error::io(&file, e))?;
        let mut run = self.options.run.clone();
        // The budget is for the search; the submission is judged whole.
        run.stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let submit_options = SubmitOptions {
            run,
            build_dir: self.options.build_dir.clone(),
            root: self.options.submissions.clone(),
        };
        let submission = submit(
            self.problem,
            &file,
            &submit_options,
            self.store,
            Some(search),
            &self.progress,
        )?;
        let score = self.mean_score(best);
        let status = if self.options.run.stop.load(Ordering::Relaxed) {
            "stopped"
        } else {
            "finished"
        };
        self.store.finish_session(
            self.session,
            status,
            Some((self.archive[best].id, score.unwrap_or(0.0))),
            Some(&submission.folder.display().to_string()),
        )?;
        Ok(SolveReport {
            session: self.session,
            best_candidate: self.archive[best].id,
            best_public_score: score,
            candidates: self.archive.len(),
            evaluations: self.evaluations,
            submission,
            elapsed: self.started.elapsed(),
        })
    }
}
