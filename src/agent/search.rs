//! `ale solve`: a search over solutions. Every candidate has a parent, the
//! operator that made it, its source and its per-case results, all in the
//! store as they exist. The starting solvers are raced by successive halving
//! on the public seeds (`cascade.rs`); then operators (`operators.rs`) make
//! children of parents chosen best-first (a beam) or by weighted sampling,
//! the operator chosen by a bandit on improvement per case evaluation
//! (`bandit.rs`); children go through a cascade (a few seeds, then the other
//! public seeds raced against the best). Language-model requests stay in
//! flight while the judge runs what the other operators make
//! (`requests.rs`); each answer is judged when it comes. The search ends
//! within its budget (no case starts after it), and the best candidate of
//! the archive (`archive.rs`) is judged on the private seeds and submitted
//! with a summary of the search (`summary.rs`).

use super::archive::{Archive, Candidate};
use super::bandit::{ArmFigures, Bandit, Idle, IDLE_LIMIT};
use super::dedup::canonical;
use super::model_ops::{receive, summary_request};
use super::models::ModelSetup;
use super::operator::{OperatorContext, Proposal, ProposedParent};
use super::operators::{self, AnyOperator};
use super::requests::{Purpose, Requests, Waiting};
use super::starts::Start;
use super::submit::{submit, Progress, Submission, SubmitOptions};
use super::summary::{standing, ModelUse, SearchSummary, Spent};
use crate::error::{Error, Result};
use crate::judge::Limits;
use crate::llm::Call;
use crate::problem::Problem;
use crate::runner::RunOptions;
use crate::store::{ArmFigure, CandidateStatus, SessionStatus, Store};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How parents are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub model: Option<std::sync::Arc<ModelSetup>>,
    /// Only these operators (by name); empty for all of them.
    pub operators: Vec<String>,
}

/// What the search did, for live views.
#[derive(Debug)]
pub enum SolveEvent<'a> {
    /// The search's session, begun or resumed.
    Session {
        id: i64,
    },
    Candidate {
        id: i64,
        operator: &'a str,
        parent: Option<i64>,
        status: CandidateStatus,
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

pub(super) struct Search<'a> {
    pub(super) problem: &'a Problem,
    pub(super) options: &'a SolveOptions,
    pub(super) store: &'a mut Store,
    pub(super) session: i64,
    pub(super) limits: Limits,
    /// The search's way of running cases: the options given, with the
    /// budget's end as the deadline after which no case starts.
    pub(super) run: RunOptions,
    pub(super) archive: Archive,
    pub(super) started: Instant,
    pub(super) evaluations: usize,
    pub(super) progress: Progress,
    pub(super) rng: Xoshiro256PlusPlus,
    /// A model's child that ran every seed and has annotated constants:
    /// the next tuning burst is its.
    pub(super) to_tune: Option<usize>,
    pub(super) events: &'a mut dyn FnMut(&SolveEvent),
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
        if row.status == SessionStatus::Finished {
            return Err(Error::Usage(format!(
                "session {id} is finished and submitted ({}); start a new one",
                row.submission.unwrap_or_default()
            )));
        }
        store.reopen_session(id)?;
        // The session's own seeds (a session of an earlier version: the problem's).
        let mut problem = problem.clone();
        if let Some(seeds) = row.public_seeds {
            problem.public_seeds = seeds;
        }
        if let Some(seeds) = row.private_seeds {
            problem.private_seeds = seeds;
        }
        return run_search(&problem, &[], options, store, events, id, row.rng_seed);
    }
    if starts.is_empty() && options.model.is_none() {
        return Err(Error::Usage(format!(
            "{}: no solution to start from: put solvers in solvers/{}/, give one with --from FILE, or let a language model draft them (--llm-url URL --model NAME, [[llm]] in ale.toml, or --llm-cmd COMMAND)",
            problem.id, problem.id
        )));
    }
    let session = store.begin_session(
        &problem.id,
        options.rng_seed,
        &problem.public_seeds,
        &problem.private_seeds,
    )?;
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
    events(&SolveEvent::Session { id: session });
    store.set_session_budget(
        session,
        &crate::store::Budget {
            seconds: options.budget.as_secs_f64(),
            evaluations: options.max_evaluations,
            dollars: options.model.as_ref().and_then(|m| m.llm.max_cost()),
        },
    )?;
    let limits = problem.limits(options.run.kill_factor, options.run.sandbox.bwrap());
    let started = Instant::now();
    let mut run = options.run.clone();
    // A budget too long for the clock is no deadline at all.
    run.deadline = started.checked_add(options.budget);
    let mut search = Search {
        problem,
        options,
        store,
        session,
        limits,
        run,
        archive: Archive::new(problem.objective, order),
        started,
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
    pub(super) fn out_of_budget(&self) -> bool {
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
            return Ok(None); // the same program is already in the archive
        };
        let mut candidate = Candidate::new(id, parent, operator, origin);
        candidate.extension = extension.into();
        candidate.source = source;
        let i = self.archive.push(candidate);
        self.keep_known(i)?;
        Ok(Some(i))
    }

    /// Cases of candidate `i`'s source that a tuning burst of the session
    /// judged count as its own: stored for it and not run again.
    pub(super) fn keep_known(&mut self, i: usize) -> Result<()> {
        let c = &self.archive[i];
        let hash = crate::judge::compile_hex(&Sha256::digest(c.source.as_bytes()));
        let known = self
            .store
            .session_cases_of_source(self.session, &c.source, &hash)?;
        let public: std::collections::HashSet<u64> = self.archive.order.iter().copied().collect();
        for case in &known {
            if public.contains(&case.seed) && !self.archive[i].scores.contains_key(&case.seed) {
                self.store
                    .record_candidate_case(self.archive[i].id, case, None)?;
                self.archive.record(i, case.seed, case.accepted_score());
            }
        }
        Ok(())
    }

    fn choose_parent(&mut self) -> Option<usize> {
        let a = &self.archive;
        let mut full: Vec<usize> = (0..a.len()).filter(|&i| a.full(i)).collect();
        if full.is_empty() {
            return None;
        }
        full.sort_by(|&x, &y| a.public_relative(y).total_cmp(&a.public_relative(x)));
        match self.options.selection {
            Selection::Beam => full.iter().take(3).copied().min_by_key(|&i| a[i].children),
            Selection::Weighted => {
                let weights: Vec<f64> = full
                    .iter()
                    .map(|&i| (20.0 * a.public_relative(i)).exp() / (1.0 + a[i].children as f64))
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
        let model = self.options.model.clone();
        let mut operators = operators::all(model.is_some());
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
                for (w, call) in requests.collect(m, self.store, self.session, step, None)? {
                    if let Some(made) = self.answer(m, &names, &mut bandit, w, call, step)? {
                        idle.answered(made);
                    }
                }
            }
            if self.out_of_budget() {
                break;
            }
            // Keep the models busy: a summary when one is due, then every
            // free place to the model operator the bandit picks (one with
            // nothing to ask sits out the round).
            // Only drafts and improvements carry the summary: without them
            // nobody would read it.
            let reads_summary = names.iter().any(|n| matches!(*n, "draft" | "improve"));
            if let Some(m) = model
                .as_ref()
                .filter(|_| reads_summary && !requests.summarising())
            {
                if requests.out() < capacity {
                    self.ask_summary(m, &mut requests)?;
                }
            }
            let mut may_ask: Vec<bool> = operators.iter().map(|o| o.asks_model()).collect();
            while let Some(m) = model.as_ref().filter(|m| {
                requests.out() < capacity && !m.llm.over_budget() && idle.model < IDLE_LIMIT
            }) {
                let Some(k) = bandit.choose(&may_ask) else {
                    break;
                };
                self.record_choice("operator", &names, k, &bandit.figures(), &may_ask)?;
                let parent = self.choose_parent();
                let asked = self.ask(&mut operators[k], k, parent, m, &mut requests)?;
                self.record_picks(m)?;
                if asked {
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
            let (k, able) = match (queued, tune_op) {
                // A queued burst is the one thing able to act.
                (Some(_), Some(t)) => (Some(t), (0..able.len()).map(|o| o == t).collect()),
                _ => (bandit.choose(&able), able),
            };
            let Some(k) = k else {
                let Some(m) = model.as_ref().filter(|_| requests.to_come()) else {
                    break; // nothing to judge and nothing to wait for
                };
                let left = self.options.budget.saturating_sub(self.started.elapsed());
                let wait = Some(left.min(Duration::from_secs(1)));
                for (w, call) in requests.collect(m, self.store, self.session, step + 1, wait)? {
                    if let Some(made) = self.answer(m, &names, &mut bandit, w, call, step + 1)? {
                        idle.answered(made);
                    }
                }
                continue;
            };
            let began = self.evaluations;
            self.record_choice("operator", &names, k, &bandit.figures(), &able)?;
            bandit.uses[k] += 1;
            let AnyOperator::Offline(operator) = &mut operators[k] else {
                continue; // only offline operators are able here
            };
            let proposals = self.operate(operator.name(), parent, |cx| operator.propose(cx))?;
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

    /// Runs `act` with the archive as operators see it and `parent` chosen,
    /// telling the live view that `name` is at work.
    fn operate<R>(
        &mut self,
        name: &str,
        parent: Option<usize>,
        act: impl FnOnce(&mut OperatorContext) -> Result<R>,
    ) -> Result<R> {
        (self.events)(&SolveEvent::Expanding {
            operator: name,
            parent: parent.map(|p| self.archive[p].id),
        });
        let views = self.archive.views();
        let mut context = OperatorContext {
            problem: self.problem,
            archive: &views,
            parent,
            rng: &mut self.rng,
            left: self.options.budget.saturating_sub(self.started.elapsed()),
            evaluations_left: self
                .options
                .max_evaluations
                .map(|m| m.saturating_sub(self.evaluations)),
            run: &self.run,
            build_dir: &self.options.build_dir,
            work_dir: &self.options.work_dir,
            store: &mut *self.store,
            session: self.session,
            evaluations: &mut self.evaluations,
        };
        act(&mut context)
    }

    /// Operator `k` asks about `parent` when it has something to ask:
    /// recorded in the store as asked, and sent. False when it had nothing.
    fn ask(
        &mut self,
        operator: &mut AnyOperator,
        k: usize,
        parent: Option<usize>,
        model: &ModelSetup,
        requests: &mut Requests,
    ) -> Result<bool> {
        let AnyOperator::Model(operator) = operator else {
            return Ok(false);
        };
        let name = operator.name();
        let Some(asking) = self.operate(name, parent, |cx| operator.request(cx, model))? else {
            return Ok(false);
        };
        let backend = model.llm.backends()[asking.backend].name();
        let asked = self.started.elapsed().as_secs_f64();
        let call = self
            .store
            .ask_llm_call(self.session, name, &backend, Some(asked))?;
        let ticket = model.llm.send(asking.backend, asking.prompt.clone());
        let parent = parent.map(|p| self.archive[p].id);
        let purpose = Purpose::Child {
            operator: k,
            asking,
            parent,
        };
        requests.sent(ticket, Waiting { purpose, call });
        Ok(true)
    }

    /// A new running summary, when one is due, asked like any request: the
    /// judge goes on while the model writes it.
    fn ask_summary(&mut self, model: &ModelSetup, requests: &mut Requests) -> Result<()> {
        let views = self.archive.views();
        let Some((prompt, made)) = summary_request(&views, model) else {
            return Ok(());
        };
        model.summary_asked(made);
        let backend = model.pick();
        let name = model.llm.backends()[backend].name();
        let asked = self.started.elapsed().as_secs_f64();
        let call = self
            .store
            .ask_llm_call(self.session, "summarise", &name, Some(asked))?;
        let ticket = model.llm.send(backend, prompt);
        let purpose = Purpose::Summary { backend };
        requests.sent(ticket, Waiting { purpose, call });
        self.record_picks(model)
    }

    /// Records a choice of arm `chosen` by `bandit` (`operator` or `model`)
    /// with every arm's `figures` then and whether it was `able` to act.
    fn record_choice(
        &mut self,
        bandit: &str,
        names: &[impl AsRef<str>],
        chosen: usize,
        figures: &[ArmFigures],
        able: &[bool],
    ) -> Result<()> {
        let arms: Vec<ArmFigure> = figures
            .iter()
            .zip(names)
            .zip(able)
            .map(|((f, name), &able)| ArmFigure {
                name: name.as_ref().to_string(),
                uses: f.uses,
                mean: f.mean,
                ucb: f.value,
                able,
            })
            .collect();
        let at = self.started.elapsed().as_secs_f64();
        let name = names.get(chosen).map_or("", AsRef::as_ref);
        self.store
            .record_bandit_choice(self.session, at, bandit, name, &arms)?;
        Ok(())
    }

    /// Records the models picked since the last time.
    fn record_picks(&mut self, model: &ModelSetup) -> Result<()> {
        let names: Vec<String> = model.llm.backends().iter().map(|b| b.name()).collect();
        for pick in model.take_picks() {
            let able = vec![true; pick.figures.len()];
            self.record_choice("model", &names, pick.model, &pick.figures, &able)?;
        }
        Ok(())
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
                    .and_then(|id| self.archive.index_of(id))
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
                            "the same program as an earlier candidate (up to comments, spacing and the names it binds)",
                        )?;
                    }
                }
            }
        }
        self.expanded(parent.and_then(|id| self.archive.index_of(id)));
        Ok(None)
    }

    /// A model's answer came in: recorded, then a summary kept, or a child
    /// made and judged. For a child, whether something new came of it.
    fn answer(
        &mut self,
        model: &ModelSetup,
        names: &[&'static str],
        bandit: &mut Bandit,
        w: Waiting,
        call: Call,
        step: u64,
    ) -> Result<Option<bool>> {
        let answered = self.started.elapsed().as_secs_f64();
        self.store
            .answer_llm_call(w.call, &call, Some(answered), Some(step))?;
        let (operator, asking, parent) = match w.purpose {
            Purpose::Summary { backend } => {
                model.summarised(backend, &call)?;
                self.model_event("summarise", model.llm.in_flight())?;
                return Ok(None);
            }
            Purpose::Child {
                operator,
                asking,
                parent,
            } => (operator, asking, parent),
        };
        let began = self.evaluations;
        let proposal = receive(&asking, &call, w.call, model, self.store);
        self.model_event(names[operator], model.llm.in_flight())?;
        let proposals: Vec<Proposal> = proposal?.into_iter().collect();
        let Some(child) = self.take(parent, names[operator], proposals)? else {
            return Ok(Some(false));
        };
        if let Some(gain) = self.judge_child(child)? {
            // The judge's work is what a model's child costs the search.
            let cost = self.evaluations - began;
            bandit.reward(operator, self.per_evaluation(gain, cost));
            model.credit(asking.backend, gain);
            let annotated =
                crate::tune::params::find(&self.archive[child].source).is_ok_and(|p| !p.is_empty());
            if annotated {
                self.to_tune = Some(child);
            }
        }
        Ok(Some(true))
    }

    /// An operator's reward: its gain per public seeds' worth of case
    /// evaluations (counted, not timed, so that a capped search with a fixed
    /// seed makes the same choices every time).
    fn per_evaluation(&self, gain: f64, evaluations: usize) -> f64 {
        gain * self.archive.order.len() as f64 / evaluations.max(1) as f64
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

    /// Reloads a stopped session's candidates and their cases.
    fn load(&mut self) -> Result<()> {
        for row in self.store.candidates(self.session)? {
            let mut c = Candidate::new(row.id, row.parent, &row.operator, &row.origin);
            c.scores = self
                .store
                .candidate_cases(row.id)?
                .into_iter()
                .map(|c| (c.seed, c.accepted_score()))
                .collect();
            c.extension = row.extension;
            c.source = row.source;
            c.status = row.status;
            self.archive.push(c);
        }
        Ok(())
    }

    fn finish(self) -> Result<SolveReport> {
        let Some(best) = self.archive.best() else {
            self.store
                .finish_session(self.session, SessionStatus::Failed, None, None)?;
            return Err(Error::Usage(format!(
                "session {}: no candidate ran every public seed {} (all failed to compile, or the budget ended first); nothing submitted. Go on with `ale solve {} --resume {}` (a fresh budget; nothing judged is run again), give a longer --budget, or fewer --seeds",
                self.session, self.problem.public_seeds, self.problem.id, self.session
            )));
        };
        (self.events)(&SolveEvent::Submitting);
        let (lineage, against_starts) = standing(&self.archive, best);
        let model = self.store.llm_totals(self.session)?;
        let search = SearchSummary {
            session: self.session,
            lineage,
            against_starts,
            budget: Spent {
                budget_s: self.options.budget.as_secs_f64(),
                elapsed_s: self.started.elapsed().as_secs_f64(),
                candidates: self.archive.len(),
                evaluations: self.evaluations,
                llm: ModelUse::from(&model),
            },
        };
        let c = &self.archive[best];
        let folder = self.options.work_dir.join(self.session.to_string());
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let file = folder.join(format!("best.{}", c.extension));
        std::fs::write(&file, &c.source).map_err(|e| Error::io(&file, e))?;
        let mut run = self.options.run.clone();
        // The budget is for the search; the submission is judged whole.
        run.stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        run.deadline = None;
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
        let score = self.archive.mean_score(best);
        let status = if self.options.run.stop.load(Ordering::Relaxed) {
            SessionStatus::Stopped
        } else {
            SessionStatus::Finished
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
