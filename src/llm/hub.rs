//! [`Llm`]: the models of a session behind one handle. It owns a small tokio
//! runtime and one HTTP client, bounds the requests in flight, keeps the
//! money spent against `--max-cost`, and turns every call (answered or not)
//! into a [`Call`] for the store. A recorded session can be served back in
//! order ([`Llm::replay`]) with no model at all.

use super::client::{complete, RetryPolicy};
use super::config::{Endpoint, LlmConfig};
use super::{LlmError, Prompt, Reply};
use crate::error::{Error, Result};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
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
    spent: Mutex<f64>,
    max_cost: Option<f64>,
    /// Replies served back in order instead of calling anything.
    replay: Option<(i64, Mutex<VecDeque<Call>>)>,
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
            spent: Mutex::new(0.0),
            max_cost: config.max_cost,
            replay: None,
        })
    }

    /// Serves `calls` (a session's, in the order they were made) instead of
    /// calling a model: each ask takes the next one, whatever its prompt. The
    /// recorded costs count against `max_cost` as they did the first time.
    pub fn replay(session: i64, calls: Vec<Call>, max_cost: Option<f64>) -> Result<Llm> {
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
            spent: Mutex::new(0.0),
            max_cost,
            replay: Some((session, Mutex::new(calls.into()))),
        })
    }

    pub fn backends(&self) -> &[Backend] {
        &self.backends
    }

    /// Dollars spent so far.
    pub fn spent(&self) -> f64 {
        *self.spent.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True once `--max-cost` is reached (or a replay has served every
    /// recorded reply): no new call should start.
    pub fn over_budget(&self) -> bool {
        if let Some((_, queue)) = &self.replay {
            if queue.lock().unwrap_or_else(|p| p.into_inner()).is_empty() {
                return true;
            }
        }
        self.max_cost.is_some_and(|m| self.spent() >= m)
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
            let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            let calls: Vec<Call> = asks
                .into_iter()
                .map(|(_, prompt)| {
                    queue.pop_front().unwrap_or_else(|| Call {
                        model: "replay".into(),
                        system: prompt.system.clone(),
                        user: prompt.user(),
                        outcome: Err(LlmError::Replay {
                            session: *session,
                            message: "the recorded session has no more replies; it made fewer calls than this one".into(),
                        }),
                        cost: 0.0,
                        attempts: 0,
                        millis: 0,
                    })
                })
                .collect();
            *self.spent.lock().unwrap_or_else(|p| p.into_inner()) +=
                calls.iter().map(|c| c.cost).sum::<f64>();
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
        let mut spent = self.spent.lock().unwrap_or_else(|p| p.into_inner());
        for call in &calls {
            *spent += call.cost;
        }
        calls
    }
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
        let tail: String = stderr
            .chars()
            .rev()
            .take(500)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(fail(format!("{}: {}", output.status, tail.trim())));
    }
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    Ok(Reply {
        tokens_in: estimate_tokens(&input),
        tokens_out: estimate_tokens(&text),
        text,
    })
}
