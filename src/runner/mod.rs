//! The runner: one candidate on many cases, spread over the cores. It writes
//! each case to the store and hands a [`CaseEvent`] to its caller's listener
//! (`&mut dyn FnMut(&CaseEvent)`) as each case starts and finishes: the one
//! way ale's long jobs report, as the tuner does with `TuneEvent`s and the
//! search with `SolveEvent`s.

mod cases;
mod summary;

pub use cases::{file_cases, input_hash, seed_cases, Case};
pub use summary::summarize;

use crate::error::Result;
use crate::judge::languages::Languages;
use crate::judge::sandbox::Sandbox;
use crate::judge::{self, Limits, Outcome, Prepared, Verdict};
use crate::problem::Problem;
use crate::store::{CaseRow, RunStatus, Store, Summary};
use crate::workers::{Pool, Worker};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Cases run at once.
    pub jobs: usize,
    /// The process group is killed at this multiple of the time limit.
    pub kill_factor: f64,
    /// Keep each case's output as `<out_dir>/<case name>`.
    pub out_dir: Option<PathBuf>,
    /// Set it to stop the run: no case starts after it, the cases in progress
    /// finish, and the run is stored as interrupted.
    pub stop: Arc<AtomicBool>,
    /// No case starts after this instant (a search's budget): the cases in
    /// progress finish, and the run ends short as with `stop`.
    pub deadline: Option<std::time::Instant>,
    /// Whether solutions run boxed under bubblewrap.
    pub sandbox: Sandbox,
    /// How solutions are built and run, by extension.
    pub languages: Languages,
    /// Workers elsewhere (on cluster nodes, or processes of their own) that
    /// judge cases beside the `jobs` local ones.
    pub pool: Option<Arc<Pool>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: default_jobs(),
            kill_factor: 1.5,
            out_dir: None,
            stop: Arc::new(AtomicBool::new(false)),
            deadline: None,
            sandbox: Sandbox::detect(),
            languages: Languages::builtin(),
            pool: None,
        }
    }
}

/// A file kept beside a case's output: `0000.txt` with `transcript` is `0000.transcript`.
pub fn companion_name(case_name: &str, extension: &str) -> String {
    let stem = case_name.strip_suffix(".txt").unwrap_or(case_name);
    format!("{stem}.{extension}")
}

/// One job per core.
pub fn default_jobs() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// The result of one case, as reported and stored.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub index: usize,
    pub seed: Option<u64>,
    /// The input's name, e.g. `0000.txt`.
    pub input: String,
    pub input_hash: String,
    pub verdict: Verdict,
    pub score: Option<i64>,
    /// Against the best score ever stored for this input; 0 unless `AC`.
    /// Filled in when the run is over.
    pub relative_score: f64,
    /// The time judged against the limit: the larger of `wall_ms` and `cpu_ms`.
    pub time_ms: u64,
    pub wall_ms: u64,
    /// CPU time, user and system, of every thread and process of the case.
    pub cpu_ms: u64,
    pub memory_kb: u64,
    pub message: Option<String>,
}

/// What happens during a run, in order of occurrence.
#[derive(Debug)]
pub enum CaseEvent<'a> {
    /// The solution is built (or found in the cache); `cases` are about to run.
    Prepared {
        cached: bool,
        cases: usize,
    },
    Started {
        index: usize,
        case: &'a Case,
    },
    Finished {
        result: &'a CaseResult,
    },
}

/// Ignores a run's events: `&mut silent` where [`run`] asks for a listener.
pub fn silent(_: &CaseEvent) {}

/// A finished run.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub run_id: i64,
    pub problem: String,
    pub solution: String,
    pub cases: Vec<CaseResult>,
    pub summary: Summary,
    pub compile_error: Option<String>,
    /// Stopped before every case ran; `cases` holds those that finished.
    pub interrupted: bool,
}

impl RunReport {
    pub fn all_accepted(&self) -> bool {
        self.cases.iter().all(|c| c.verdict == Verdict::AC)
    }
}

/// Runs `solution` on `cases` of `problem`, storing every result as it arrives.
pub fn run(
    problem: &Problem,
    solution: &Path,
    cases: &[Case],
    options: &RunOptions,
    build_dir: &Path,
    store: &mut Store,
    events: &mut dyn FnMut(&CaseEvent),
) -> Result<RunReport> {
    let prepared = judge::prepare_in(
        solution,
        build_dir,
        &options.languages,
        options.sandbox.bwrap(),
    )?;
    events(&CaseEvent::Prepared {
        cached: prepared.cached,
        cases: cases.len(),
    });
    let shown = solution.display().to_string();
    let run_id = store.begin_run(&problem.id, &shown, &prepared.hash)?;
    if let Some(dir) = &options.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    }
    let limits = problem.limits(options.kill_factor, options.sandbox.bwrap());
    let mut results: Vec<Option<CaseResult>> = vec![None; cases.len()];
    judge_in_parallel(
        problem,
        &prepared,
        cases,
        &limits,
        options,
        |index, judged| {
            let case = &cases[index];
            let Some((hash, outcome)) = judged else {
                events(&CaseEvent::Started { index, case });
                return Ok(());
            };
            if let Some(dir) = &options.out_dir {
                keep_output(dir, case, &outcome)?;
            }
            let result = record(store, run_id, problem, index, case, hash, outcome)?;
            events(&CaseEvent::Finished { result: &result });
            results[index] = Some(result);
            Ok(())
        },
    )?;
    let mut results: Vec<CaseResult> = results.into_iter().flatten().collect();
    for result in &mut results {
        if let Some(score) = result.score {
            let best = store
                .best_score(&problem.id, &result.input_hash)?
                .unwrap_or(score);
            result.relative_score = problem.objective.relative(score, best);
        }
    }
    let interrupted = results.len() < cases.len();
    let summary = summarize(&results);
    let status = if interrupted {
        RunStatus::Interrupted
    } else {
        RunStatus::Finished
    };
    store.finish_run(run_id, status, &summary)?;
    Ok(RunReport {
        run_id,
        problem: problem.id.clone(),
        solution: shown,
        cases: results,
        summary,
        compile_error: prepared.compile_error,
        interrupted,
    })
}

/// Judges every case on `jobs` worker threads. `handle` runs on the calling
/// thread, in the order things happen: `(index, None)` when a case starts,
/// `(index, Some((input hash, outcome)))` when it ends. The first error it
/// returns stops the run, and so do `options.stop` and `options.deadline`:
/// workers finish the case in hand and take no other.
pub fn judge_in_parallel(
    problem: &Problem,
    prepared: &Prepared,
    cases: &[Case],
    limits: &Limits,
    options: &RunOptions,
    mut handle: impl FnMut(usize, Option<(String, Outcome)>) -> Result<()>,
) -> Result<()> {
    let queue = Queue::default();
    let (tx, rx) = mpsc::channel::<Message>();
    // Interactive problems, and a solution that did not build, are judged here.
    let pool = options
        .pool
        .as_deref()
        .filter(|_| !problem.interactive && prepared.compile_error.is_none() && !cases.is_empty());
    let locals = match pool {
        None => options.jobs.clamp(1, cases.len().max(1)),
        Some(_) => options.jobs.min(cases.len()),
    };
    let over = || {
        options.stop.load(Ordering::Relaxed)
            || options
                .deadline
                .is_some_and(|d| std::time::Instant::now() >= d)
    };
    let mut back = Vec::new();
    let result = thread::scope(|scope| {
        let rx = rx;
        let remote = |worker: Worker| {
            let (tx, queue, over) = (tx.clone(), &queue, &over);
            scope.spawn(move || {
                let worker = judge_on(worker, problem, prepared, cases, limits, queue, over, &tx);
                let _ = tx.send(Message::Left(worker));
            });
        };
        let mut live = 0usize;
        let mut last_loss: Option<String> = None;
        for worker in pool.map(Pool::take_idle).unwrap_or_default() {
            remote(worker);
            live += 1;
        }
        let local = || {
            let tx = tx.clone();
            let (queue, over) = (&queue, &over);
            scope.spawn(move || {
                loop {
                    if over() {
                        break;
                    }
                    let Some(index) = queue.take(cases.len()) else {
                        break;
                    };
                    if tx.send(Message::Started(index)).is_err() {
                        break;
                    }
                    let (hash, outcome) = match cases[index].input(problem) {
                        Err(why) => (
                            String::new(),
                            Outcome::not_run(Verdict::IE, format!("the generator failed: {why}")),
                        ),
                        Ok(input) => (
                            input_hash(&input),
                            match &prepared.compile_error {
                                Some(message) => Outcome::not_run(Verdict::CE, message.clone()),
                                None => problem.judge(&prepared.command, &input, limits),
                            },
                        ),
                    };
                    if tx.send(Message::Judged(index, hash, outcome)).is_err() {
                        break;
                    }
                }
                let _ = tx.send(Message::Left(None));
            });
        };
        for _ in 0..locals {
            local();
            live += 1;
        }
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(200)) {
                Ok(Message::Started(index)) => handle(index, None)?,
                Ok(Message::Judged(index, hash, outcome)) => handle(index, Some((hash, outcome)))?,
                Ok(Message::Left(worker)) => {
                    live -= 1;
                    back.extend(worker);
                }
                // Its process is stopped, and its job with it.
                Ok(Message::Lost(label, why)) => {
                    if let Some(pool) = pool {
                        pool.lost(&label);
                    }
                    last_loss = Some(format!("{label}: {why}"));
                }
                Err(_) => {}
            }
            let Some(pool) = pool else {
                if live == 0 {
                    return Ok(());
                }
                continue;
            };
            if over() || !queue.has_work(cases.len()) {
                if live == 0 {
                    return Ok(());
                }
                continue;
            }
            // Workers that connected since join the run.
            for worker in pool.take_idle() {
                remote(worker);
                live += 1;
            }
            if live == 0 && locals > 0 {
                // A lost worker's case came back after the local threads
                // ran out of cases: they take it.
                for _ in 0..locals {
                    local();
                    live += 1;
                }
            }
            if live == 0 {
                // Every worker was lost: wait for one.
                match pool.wait_idle() {
                    Some(worker) => {
                        remote(worker);
                        live += 1;
                    }
                    None => {
                        return Err(crate::Error::Usage(format!(
                            "every worker was lost and none came back within {} s; cases are left to judge (the last lost, {}; check the workers, or run with local ones: --workers local:N)",
                            pool.start_timeout().as_secs(),
                            last_loss.as_deref().unwrap_or("none said why")
                        )))
                    }
                }
            }
        }
    });
    if let Some(pool) = pool {
        for worker in back {
            pool.give_back(worker);
        }
    }
    result
}

/// What the threads of a run tell the calling thread.
enum Message {
    Started(usize),
    Judged(usize, String, Outcome),
    /// A remote worker was lost: its label, and why.
    Lost(String, String),
    /// A thread is done; a remote worker still sound goes back to the pool.
    Left(Option<Worker>),
}

/// Judges cases on a remote worker until the queue is empty or the run is
/// over: the worker, or None when it was lost (its case back in the queue).
#[allow(clippy::too_many_arguments)]
fn judge_on(
    mut worker: Worker,
    problem: &Problem,
    prepared: &Prepared,
    cases: &[Case],
    limits: &Limits,
    queue: &Queue,
    over: &dyn Fn() -> bool,
    tx: &mpsc::Sender<Message>,
) -> Option<Worker> {
    let lose = |worker: Worker, why: String| -> Option<Worker> {
        let _ = tx.send(Message::Lost(worker.hello.label.clone(), why));
        None
    };
    // A worker that cannot box what is boxed here judges nothing.
    if limits.sandbox.is_some() && !worker.hello.boxed {
        let why = format!(
            "it has no box (bubblewrap) on {}, and cases are boxed here",
            worker.hello.host
        );
        return lose(worker, why);
    }
    // The solution's files, sent once to each worker.
    let argv = match worker.command(&prepared.command) {
        Ok(argv) => argv,
        Err(e) => {
            return lose(
                worker,
                format!("the solution's files did not reach it: {e}"),
            )
        }
    };
    loop {
        if over() {
            return Some(worker);
        }
        let Some(index) = queue.take(cases.len()) else {
            return Some(worker);
        };
        if tx.send(Message::Started(index)).is_err() {
            return Some(worker);
        }
        let judged = match cases[index].input(problem) {
            Err(why) => (
                String::new(),
                Outcome::not_run(Verdict::IE, format!("the generator failed: {why}")),
            ),
            Ok(input) => match worker.run(&argv, input.as_bytes(), limits) {
                // The worker is gone (its node lost, its job cancelled, silent
                // past its heartbeat): the case goes to another worker.
                Err(e) if worker_lost(&e) => {
                    if let Some(tries) = queue.again(index) {
                        let why = format!(
                            "{tries} workers were lost running this case, the last ({}) with: {e}",
                            worker.hello.label
                        );
                        let _ = tx.send(Message::Judged(
                            index,
                            input_hash(&input),
                            Outcome::not_run(Verdict::IE, why),
                        ));
                    }
                    return lose(worker, e.to_string());
                }
                run => (input_hash(&input), problem.judge_run(run, &input, limits)),
            },
        };
        if tx.send(Message::Judged(index, judged.0, judged.1)).is_err() {
            return Some(worker);
        }
    }
}

/// The cases still to judge: the next in order, or one a lost worker gave back.
#[derive(Default)]
struct Queue {
    next: AtomicUsize,
    /// Cases given back, and how many workers each has lost.
    again: std::sync::Mutex<(Vec<usize>, std::collections::HashMap<usize, u32>)>,
}

/// Workers a case may lose before it is an internal error.
const TRIES: u32 = 3;

impl Queue {
    /// Whether a case is still to be taken.
    fn has_work(&self, cases: usize) -> bool {
        self.next.load(Ordering::Relaxed) < cases
            || !self
                .again
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .0
                .is_empty()
    }

    fn take(&self, cases: usize) -> Option<usize> {
        if let Some(i) = self.again.lock().unwrap_or_else(|p| p.into_inner()).0.pop() {
            return Some(i);
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        (i < cases).then_some(i)
    }

    /// A worker was lost running case `i`: it goes back in the queue, or,
    /// after [`TRIES`] lost workers, the number lost (it is judged IE).
    fn again(&self, i: usize) -> Option<u32> {
        let mut again = self.again.lock().unwrap_or_else(|p| p.into_inner());
        let tries = again.1.entry(i).or_insert(0);
        *tries += 1;
        if *tries >= TRIES {
            return Some(*tries);
        }
        again.0.push(i);
        None
    }
}

/// Whether an error from a worker means the worker itself is gone.
fn worker_lost(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::NotConnected
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkUnreachable
            | std::io::ErrorKind::TimedOut
            // A frame that makes no sense: the stream is out of step.
            | std::io::ErrorKind::InvalidData
    )
}

/// Writes a case's output into the `--out` folder, with the end of its stderr
/// (`0000.stderr`, when there is any) and an interactive transcript (`0000.transcript`).
fn keep_output(dir: &Path, case: &Case, outcome: &Outcome) -> Result<()> {
    let write = |name: String, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| crate::Error::io(&path, e))
    };
    write(case.name.clone(), &outcome.output)?;
    if !outcome.stderr_tail.is_empty() {
        write(
            companion_name(&case.name, "stderr"),
            outcome.stderr_tail.as_bytes(),
        )?;
    }
    if let Some(transcript) = &outcome.transcript {
        write(
            companion_name(&case.name, "transcript"),
            transcript.as_bytes(),
        )?;
    }
    Ok(())
}

/// Stores one case's outcome and returns it as a result (relative score still 0).
fn record(
    store: &mut Store,
    run_id: i64,
    problem: &Problem,
    index: usize,
    case: &Case,
    input_hash: String,
    outcome: Outcome,
) -> Result<CaseResult> {
    let result = CaseResult {
        index,
        seed: case.seed,
        input: case.name.clone(),
        input_hash,
        verdict: outcome.verdict,
        score: outcome.score,
        relative_score: 0.0,
        time_ms: outcome.time.as_millis() as u64,
        wall_ms: outcome.wall.as_millis() as u64,
        cpu_ms: outcome.cpu.as_millis() as u64,
        memory_kb: outcome.memory_kb,
        message: outcome.message,
    };
    let row = CaseRow {
        case_index: index,
        seed: result.seed,
        input: &result.input,
        input_hash: &result.input_hash,
        verdict: result.verdict,
        score: result.score,
        time_ms: result.time_ms,
        wall_ms: result.wall_ms,
        cpu_ms: result.cpu_ms,
        memory_kb: result.memory_kb,
        message: result.message.as_deref(),
        stderr: (!outcome.stderr_tail.is_empty()).then_some(outcome.stderr_tail.as_str()),
        output: &outcome.output,
    };
    store.record_case(run_id, &problem.id, problem.objective, &row)?;
    Ok(result)
}

/// A seed's result as a search keeps it: the score when accepted.
pub type SeedScore = (u64, Option<i64>);

/// Judges the source `source` (written to `file` when it differs) on `seeds`,
/// calling `record(seed, outcome)` on the calling thread as each case ends.
/// Returns the seeds that ran with their accepted scores (fewer than asked
/// when `options.stop` cut the run short), or the compiler's message.
/// The tuner and the solver's search both judge their candidates this way.
#[allow(clippy::too_many_arguments)]
pub fn judge_seeds(
    problem: &Problem,
    file: &Path,
    source: &str,
    build_dir: &Path,
    seeds: &[u64],
    limits: &Limits,
    options: &RunOptions,
    mut record: impl FnMut(u64, &Outcome) -> Result<()>,
) -> Result<std::result::Result<Vec<SeedScore>, String>> {
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).map_err(|e| crate::Error::io(folder, e))?;
    }
    if std::fs::read_to_string(file).ok().as_deref() != Some(source) {
        std::fs::write(file, source).map_err(|e| crate::Error::io(file, e))?;
    }
    let prepared = judge::prepare_in(file, build_dir, &options.languages, options.sandbox.bwrap())?;
    if let Some(message) = prepared.compile_error {
        return Ok(Err(message));
    }
    let cases: Vec<Case> = seeds.iter().map(|&s| Case::from_seed(s)).collect();
    let mut results = Vec::new();
    judge_in_parallel(
        problem,
        &prepared,
        &cases,
        limits,
        options,
        |index, judged| {
            let Some((_, outcome)) = judged else {
                return Ok(());
            };
            record(seeds[index], &outcome)?;
            let accepted = outcome.verdict == Verdict::AC;
            results.push((seeds[index], outcome.score.filter(|_| accepted)));
            Ok(())
        },
    )?;
    Ok(Ok(results))
}
