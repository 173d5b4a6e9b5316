//! One call to a model over HTTP, in either protocol, with the retries a
//! shared endpoint needs: exponential backoff with jitter on 429 and 5xx
//! (honouring `Retry-After`), a timeout per request, and the errors that no
//! retry can fix (credentials, an unknown model, a prompt over the context
//! limit) reported at once.

use super::config::{Endpoint, Protocol};
use super::{LlmError, Prompt, Reply};
use rand::Rng;
use serde_json::{json, Value};
use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The first wait; each next one doubles, times a jitter in [0.5, 1.5).
    pub base: Duration,
    /// No wait (even a `Retry-After`) is longer than this.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// What one attempt gave: a reply, an error to retry after a wait, or one not to retry.
enum Attempt {
    Done(Reply),
    Retry(LlmError, Option<Duration>),
    Fail(LlmError),
}

fn body(endpoint: &Endpoint, prompt: &Prompt) -> Value {
    let user = prompt.user();
    match endpoint.protocol {
        Protocol::OpenAi => {
            let mut messages = Vec::new();
            if !prompt.system.is_empty() {
                messages.push(json!({"role": "system", "content": prompt.system}));
            }
            messages.push(json!({"role": "user", "content": user}));
            json!({"model": endpoint.model, "messages": messages, "max_tokens": prompt.max_tokens})
        }
        Protocol::Anthropic => {
            let mut b = json!({
                "model": endpoint.model,
                "max_tokens": prompt.max_tokens,
                "messages": [{"role": "user", "content": user}],
            });
            if !prompt.system.is_empty() {
                b["system"] = json!(prompt.system);
            }
            b
        }
    }
}

/// The reply's text and token counts, or what is wrong with it.
fn parse_reply(protocol: Protocol, doc: &Value) -> Result<Reply, String> {
    let count = |v: &Value| v.as_u64().unwrap_or(0);
    match protocol {
        Protocol::OpenAi => {
            let text = doc["choices"][0]["message"]["content"]
                .as_str()
                .ok_or("no choices[0].message.content")?;
            Ok(Reply {
                text: text.to_string(),
                tokens_in: count(&doc["usage"]["prompt_tokens"]),
                tokens_out: count(&doc["usage"]["completion_tokens"]),
            })
        }
        Protocol::Anthropic => {
            let blocks = doc["content"].as_array().ok_or("no content array")?;
            let text: String = blocks
                .iter()
                .filter(|b| b["type"] == "text")
                .filter_map(|b| b["text"].as_str())
                .collect();
            Ok(Reply {
                text,
                tokens_in: count(&doc["usage"]["input_tokens"]),
                tokens_out: count(&doc["usage"]["output_tokens"]),
            })
        }
    }
}

/// The error message inside an error body, else the body's start.
fn error_message(text: &str) -> String {
    let found = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        v["error"]["message"]
            .as_str()
            .or_else(|| v["error"].as_str())
            .or_else(|| v["message"].as_str())
            .map(str::to_string)
    });
    found.unwrap_or_else(|| text.chars().take(300).collect())
}

fn says_context_too_long(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "context length",
        "context_length",
        "context window",
        "prompt is too long",
        "too many tokens",
        "exceeds the available context",
        "maximum context",
    ]
    .iter()
    .any(|p| m.contains(p))
}

fn says_unknown_model(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("model")
        && [
            "not found",
            "does not exist",
            "unknown",
            "not_found",
            "no such",
        ]
        .iter()
        .any(|p| m.contains(p))
}

/// `Retry-After` in seconds (an HTTP date is read as no advice).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

async fn attempt(http: &reqwest::Client, endpoint: &Endpoint, prompt: &Prompt) -> Attempt {
    let model = endpoint.model.clone();
    let url = match endpoint.protocol {
        Protocol::OpenAi => format!("{}/chat/completions", endpoint.url),
        Protocol::Anthropic => format!("{}/v1/messages", endpoint.url),
    };
    let mut request = http
        .post(&url)
        .timeout(endpoint.timeout)
        .json(&body(endpoint, prompt));
    match (endpoint.protocol, &endpoint.key) {
        (Protocol::OpenAi, Some(key)) => request = request.bearer_auth(key.expose()),
        (Protocol::Anthropic, key) => {
            request = request.header("anthropic-version", "2023-06-01");
            if let Some(key) = key {
                request = request.header("x-api-key", key.expose());
            }
        }
        (Protocol::OpenAi, None) => {}
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return unreachable_reply(model, endpoint, &url, e),
    };
    let status = response.status().as_u16();
    let wait = retry_after(response.headers());
    let text = match response.text().await {
        Ok(t) => t,
        Err(e) => return unreachable_reply(model, endpoint, &url, e),
    };
    if (200..300).contains(&status) {
        return match serde_json::from_str::<Value>(&text)
            .map_err(|e| e.to_string())
            .and_then(|doc| parse_reply(endpoint.protocol, &doc))
        {
            Ok(reply) => Attempt::Done(reply),
            Err(message) => Attempt::Fail(LlmError::Malformed { model, message }),
        };
    }
    let message = error_message(&text);
    match status {
        401 | 403 => Attempt::Fail(LlmError::Auth {
            model,
            status,
            setting: endpoint.key_setting.clone(),
        }),
        400 | 413 | 422 if says_context_too_long(&message) => {
            Attempt::Fail(LlmError::ContextTooLong { model })
        }
        404 | 400 if says_unknown_model(&message) || status == 404 => {
            Attempt::Fail(LlmError::UnknownModel {
                model,
                status,
                message,
            })
        }
        429 | 500..=599 => Attempt::Retry(
            LlmError::Status {
                model,
                status,
                attempts: 0,
                message,
            },
            wait,
        ),
        _ => Attempt::Fail(LlmError::Status {
            model,
            status,
            attempts: 1,
            message,
        }),
    }
}

/// A request that got no reply, or not all of it: a timeout or a transport
/// error, both worth another attempt. The error's own URL is left out (its
/// query could hold a key); the endpoint's is named instead.
fn unreachable_reply(model: String, endpoint: &Endpoint, url: &str, e: reqwest::Error) -> Attempt {
    let error = if e.is_timeout() {
        LlmError::Timeout {
            model,
            seconds: endpoint.timeout.as_secs_f64(),
        }
    } else {
        LlmError::Transport {
            model,
            message: format!("{url}: {}", e.without_url()),
        }
    };
    Attempt::Retry(error, None)
}

/// Calls `endpoint` with `prompt`, retrying what can be retried. A prompt
/// over the context limit is shortened (its droppable parts, oldest first)
/// and sent again; the reply comes with the number of attempts it took.
pub(super) async fn complete(
    http: &reqwest::Client,
    endpoint: &Endpoint,
    prompt: &Prompt,
    policy: &RetryPolicy,
) -> (Result<Reply, LlmError>, u32, Prompt) {
    let mut prompt = prompt.clone();
    let mut attempts = 0;
    let mut retries = 0;
    loop {
        attempts += 1;
        match attempt(http, endpoint, &prompt).await {
            Attempt::Done(reply) => return (Ok(reply), attempts, prompt),
            Attempt::Fail(LlmError::ContextTooLong { model }) => {
                if !prompt.shorten() {
                    return (Err(LlmError::ContextTooLong { model }), attempts, prompt);
                }
            }
            Attempt::Fail(e) => return (Err(e), attempts, prompt),
            Attempt::Retry(e, advised) => {
                retries += 1;
                if retries >= policy.attempts {
                    let e = match e {
                        LlmError::Status {
                            model,
                            status,
                            message,
                            ..
                        } => LlmError::Status {
                            model,
                            status,
                            attempts,
                            message,
                        },
                        other => other,
                    };
                    return (Err(e), attempts, prompt);
                }
                let backoff = policy
                    .base
                    .mul_f64(2f64.powi(retries as i32 - 1) * rand::rng().random_range(0.5..1.5));
                let wait = advised.unwrap_or(backoff).min(policy.max_wait);
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{error_message, parse_reply, says_context_too_long, says_unknown_model};
    use crate::llm::Protocol;
    use serde_json::json;

    #[test]
    fn replies_of_both_protocols() {
        let openai = json!({"choices": [{"message": {"role": "assistant", "content": "hi"}}],
                            "usage": {"prompt_tokens": 12, "completion_tokens": 3}});
        let r = parse_reply(Protocol::OpenAi, &openai).unwrap();
        assert_eq!((r.text.as_str(), r.tokens_in, r.tokens_out), ("hi", 12, 3));
        let anthropic = json!({"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                               "usage": {"input_tokens": 7, "output_tokens": 2}});
        let r = parse_reply(Protocol::Anthropic, &anthropic).unwrap();
        assert_eq!((r.text.as_str(), r.tokens_in, r.tokens_out), ("ab", 7, 2));
        assert!(parse_reply(Protocol::OpenAi, &json!({"choices": []})).is_err());
    }

    #[test]
    fn error_bodies_are_read() {
        let m = error_message(
            r#"{"error": {"message": "This model's maximum context length is 8192 tokens"}}"#,
        );
        assert!(says_context_too_long(&m));
        assert!(says_unknown_model("The model `gpt-9` does not exist"));
        assert!(!says_unknown_model("rate limited"));
        assert_eq!(error_message("plain text"), "plain text");
    }
}
