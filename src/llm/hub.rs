//! [`Llm`]: the models of a session behind one handle. It owns a small tokio
//! runtime and one HTTP client, bounds the requests in flight, keeps the
//! money spent against `--max-cost`, and turns every call (answered or not)
//! into a [`Call`] for the store. A request is either awaited
//! ([`Llm::ask`]) or sent ([`Llm::send`]) and collected when it is answered
//! ([`Llm::answered`], [`Llm::wait`]), so that the caller can judge candidates
//! while models write. A recorded session can be served back in the order it
//! asked ([`Llm::replay`]) with no model at all.

use super::client::{complete, RetryPolicy};
use super::config::{Endpoint, LlmConfig};
use super::{LlmError, Prompt, Reply};
use crate::error::{Error, Result};
use std::collections::VecDeque;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// Where replies come from.
#[derive(Debug)]
pub enum Backend {
    Http(Endpoint),
    /// `sh -c COMMAND`: the prompt on stdin, the reply on stdout.
    Command {
        command: String,
        timeout: Duration,
    },
}

impl Backend {
    pub fn name(&self) -> String {
        match self {
            Backend::Http(e) => e.model.clone(),
            Backend::Command { command, .. } => format!("command: {command}"),
        }
    }
}

/// One call as it is recorded: what was asked, what came back, what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The backend's name (the model, or the command).
    pub model: String,
    pub system: String,
    pub user: String,
    pub outcome: std::result::Result<Reply, LlmError>,
    pub cost: f64,
    pub attempts: u32,
    pub millis: u64,
}

impl Call {
    pub fn reply(&self) -> Option<&str> {
        self.outcome.as_ref().ok().map(|r| r.text.as_str())
    }
}

pub struct Llm {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    backends: Arc<Vec<Backend>>,
    in_flight: Arc<tokio::sync::Semaphore>,
    policy: RetryPolicy,
    /// Dollars spent and the calls they paid for.
    spent: Mutex<(f64, usize)>,
    max_cost: Option<f64>,
    /// Requests in flight at once.
    capacity: usize,
    /// Replies served back in order instead of calling anything.
    replay: Option<(i64, Mutex<VecDeque<Call>>)>,
    /// Sent requests: the next ticket, the answers as they come, how many
    /// are not collected yet.
    next_ticket: Mutex<Ticket>,
    answers: Answers,
    open: Mutex<usize>,
}

/// A request sent with [`Llm::send`]; its answer comes back with it.
pub type Ticket = u64;

/// Where sent requests' calls come back, with their tickets.
type Answers = (
    mpsc::Sender<(Ticket, Call)>,
    Mutex<mpsc::Receiver<(Ticket, Call)>>,
);

fn channel() -> Answers {
    let (tx, rx) = mpsc::channel();
    (tx, Mutex::new(rx))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("starting the model client: {e}")))
}

/// Rough tokens of a text, for backends that do not count them (a command).
fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

impl Llm {
    /// The models of `config` (HTTP endpoints, then the command, if any).
    pub fn new(config: &LlmConfig, policy: RetryPolicy) -> Result<Llm> {
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| Error::Internal(format!("building the HTTP client: {e}")))?;
        let mut backends: Vec<Backend> = config
            .endpoints
            .iter()
            .cloned()
            .map(Backend::Http)
            .collect();
        if let Some(command) = &config.command {
            backends.push(Backend::Command {
                command: command.clone(),
                timeout: config
                    .endpoints
                    .first()
                    .map_or(Duration::from_secs(600), |e| e.timeout),
            });
        }
        Ok(Llm {
            runtime: runtime()?,
            http,
            backends: Arc::new(backends),
            in_flight: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight.max(1))),
            policy,
            spent: Mutex::new((0.0, 0)),
            max_cost: config.max_cost,
            capacity: config.max_in_flight.max(1),
            replay: None,
            next_ticket: Mutex::new(0),
            answers: channel(),
            open: Mutex::new(0),
        })
    }

    /// Serves `calls` (a session's, in the order they were made) instead of
    /// calling a model: each ask takes the next one, whatever its prompt. The
    /// recorded costs count against `max_cost` as they did the first time,
    /// and `max_in_flight` should be the first session's, so that the search
    /// asks in the same order.
    pub fn replay(
        session: i64,
        calls: Vec<Call>,
        max_cost: Option<f64>,
        max_in_flight: usize,
    ) -> Result<Llm> {
        let names: Vec<String> = calls.iter().map(|c| c.model.clone()).collect();
        let mut backends = Vec::new();
        for name in names {
            if !backends.iter().any(
                |b: &Backend| matches!(b, Backend::Command { command, .. } if *command == name),
            ) {
                backends.push(Backend::Command {
                    command: name,
                    timeout: Duration::ZERO,
                });
            }
        }
        Ok(Llm {
            runtime: runtime()?,
            http: reqwest::Client::new(),
            backends: Arc::new(backends),
            in_flight: Arc::new(tokio::sync::Semaphore::new(1)),
            policy: RetryPolicy::default(),
            spent: Mutex::new((0.0, 0)),
            max_cost,
            capacity: max_in_flight.max(1),
            replay: Some((session, Mutex::new(calls.into()))),
            next_ticket: Mutex::new(0),
            answers: channel(),
            open: Mutex::new(0),
        })
    }

    pub fn backends(&self) -> &[Backend] {
        &self.backends
    }

    /// Dollars spent so far.
    pub fn spent(&self) -> f64 {
        lock(&self.spent).0
    }

    fn pay<'c>(&self, calls: impl Iterator<Item = &'c Call>) {
        let mut spent = lock(&self.spent);
        for call in calls {
            spent.0 += call.cost;
            spent.1 += 1;
        }
    }

    /// The dollars it may spend, when capped.
    pub fn max_cost(&self) -> Option<f64> {
        self.max_cost
    }

    /// True once `--max-cost` is reached, counting each request in flight
    /// at the mean cost of the calls paid so far (or once a replay has
    /// served every recorded reply): no new call should start.
    pub fn over_budget(&self) -> bool {
        if let Some((_, queue)) = &self.replay {
            if queue.lock().unwrap_or_else(|p| p.into_inner()).is_empty() {
                return true;
            }
        }
        // What is in flight will be paid for too: as much as a call so far.
        let (dollars, calls) = *lock(&self.spent);
        let expected = dollars + self.in_flight() as f64 * dollars / calls.max(1) as f64;
        self.max_cost.is_some_and(|m| expected >= m)
    }

    /// Requests that may be in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.capacity
    }

    /// Sent requests whose answers are not collected yet.
    pub fn in_flight(&self) -> usize {
        *lock(&self.open)
    }

    /// Sends `prompt` to backend `backend` and returns at once; the answer
    /// comes back from [`Llm::answered`] or [`Llm::wait`] with the ticket.
    /// A replay answers at once, in the order the recorded session asked.
    pub fn send(&self, backend: usize, prompt: Prompt) -> Ticket {
        let ticket = {
            let mut next = lock(&self.next_ticket);
            *next += 1;
            *next
        };
        *lock(&self.open) += 1;
        let tx = self.answers.0.clone();
        if let Some((session, queue)) = &self.replay {
            let call = next_recorded(*session, &mut lock(queue), &prompt);
            let _ = tx.send((ticket, call));
            return ticket;
        }
        let http = self.http.clone();
        let backends = self.backends.clone();
        let in_flight = self.in_flight.clone();
        let policy = self.policy.clone();
        self.runtime.spawn(async move {
            let call = one(&http, &backends, backend, prompt, &in_flight, &policy).await;
            // The receiver lives as long as the Llm; after that nobody asks.
            let _ = tx.send((ticket, call));
        });
        ticket
    }

    /// The answers that are in, without waiting.
    pub fn answered(&self) -> Vec<(Ticket, Call)> {
        let got: Vec<(Ticket, Call)> = lock(&self.answers.1).try_iter().collect();
        self.collected(&got);
        got
    }

    /// The next answer, waiting up to `timeout` for it; None when nothing
    /// is in flight or nothing came in time.
    pub fn wait(&self, timeout: Duration) -> Option<(Ticket, Call)> {
        if self.in_flight() == 0 {
            return None;
        }
        let got = lock(&self.answers.1).recv_timeout(timeout).ok()?;
        self.collected(std::slice::from_ref(&got));
        Some(got)
    }

    fn collected(&self, got: &[(Ticket, Call)]) {
        if got.is_empty() {
            return;
        }
        self.pay(got.iter().map(|(_, c)| c));
        let mut open = lock(&self.open);
        *open = open.saturating_sub(got.len());
    }

    /// Asks backend `backend`; blocks until the call is over.
    pub fn ask(&self, backend: usize, prompt: &Prompt) -> Call {
        self.ask_many(vec![(backend, prompt.clone())])
            .pop()
            .expect("one call asked, one answered")
    }

    /// Asks several prompts at once (at most `max_in_flight` in flight);
    /// the calls come back in the order asked.
    pub fn ask_many(&self, asks: Vec<(usize, Prompt)>) -> Vec<Call> {
        if let Some((session, queue)) = &self.replay {
            let mut queue = lock(queue);
            let calls: Vec<Call> = asks
                .into_iter()
                .map(|(_, prompt)| next_recorded(*session, &mut queue, &prompt))
                .collect();
            self.pay(calls.iter());
            return calls;
        }
        let calls = self.runtime.block_on(async {
            let mut handles = Vec::new();
            for (backend, prompt) in asks {
                let http = self.http.clone();
                let backends = self.backends.clone();
                let in_flight = self.in_flight.clone();
                let policy = self.policy.clone();
                handles.push(tokio::spawn(async move {
                    one(&http, &backends, backend, prompt, &in_flight, &policy).await
                }));
            }
            let mut calls = Vec::new();
            for handle in handles {
                calls.push(handle.await.unwrap_or_else(|e| Call {
                    model: "?".into(),
                    system: String::new(),
                    user: String::new(),
                    outcome: Err(LlmError::Transport {
                        model: "?".into(),
                        message: format!("the call's task failed: {e}"),
                    }),
                    cost: 0.0,
                    attempts: 0,
                    millis: 0,
                }));
            }
            calls
        });
        self.pay(calls.iter());
        calls
    }
}

/// The next recorded call of a replay, or a failure once there is none.
fn next_recorded(session: i64, queue: &mut VecDeque<Call>, prompt: &Prompt) -> Call {
    queue.pop_front().unwrap_or_else(|| Call {
        model: "replay".into(),
        system: prompt.system.clone(),
        user: prompt.user(),
        outcome: Err(LlmError::Replay {
            session,
            message: "the recorded session has no more replies; it made fewer calls than this one"
                .into(),
        }),
        cost: 0.0,
        attempts: 0,
        millis: 0,
    })
}

async fn one(
    http: &reqwest::Client,
    backends: &[Backend],
    backend: usize,
    prompt: Prompt,
    in_flight: &tokio::sync::Semaphore,
    policy: &RetryPolicy,
) -> Call {
    let _permit = in_flight.acquire().await;
    let started = Instant::now();
    let Some(b) = backends.get(backend) else {
        return Call {
            model: format!("backend {backend}"),
            system: prompt.system.clone(),
            user: prompt.user(),
            outcome: Err(LlmError::Transport {
                model: format!("backend {backend}"),
                message: "no such model configured".into(),
            }),
            cost: 0.0,
            attempts: 0,
            millis: 0,
        };
    };
    let (outcome, attempts, sent, cost) = match b {
        Backend::Http(endpoint) => {
            let (outcome, attempts, sent) = complete(http, endpoint, &prompt, policy).await;
            let cost = outcome
                .as_ref()
                .map_or(0.0, |r| endpoint.cost(r.tokens_in, r.tokens_out));
            (outcome, attempts, sent, cost)
        }
        Backend::Command { command, timeout } => (
            run_command(command, &prompt, *timeout).await,
            1,
            prompt.clone(),
            0.0,
        ),
    };
    Call {
        model: b.name(),
        system: sent.system.clone(),
        user: sent.user(),
        outcome,
        cost,
        attempts,
        millis: started.elapsed().as_millis() as u64,
    }
}

async fn run_command(
    command: &str,
    prompt: &Prompt,
    timeout: Duration,
) -> std::result::Result<Reply, LlmError> {
    let fail = |message: String| LlmError::Command {
        command: command.to_string(),
        message,
    };
    let input = if prompt.system.is_empty() {
        prompt.user()
    } else {
        format!("{}\n\n{}", prompt.system, prompt.user())
    };
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| fail(format!("cannot start sh: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is its own business.
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => return Err(fail(e.to_string())),
        Err(_) => return Err(fail(format!("no reply within {} s", timeout.as_secs_f64()))),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail = crate::text::tail(&stderr, 500);
        return Err(fail(format!("{}: {}", output.status, tail.trim())));
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    Ok(Reply {
        tokens_in: estimate_tokens(&input),
        tokens_out: estimate_tokens(&text),
        text,
    })
}
