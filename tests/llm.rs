//! The model client against a scripted server on loopback: both protocols,
//! retries, timeouts, bad replies, credentials, the context limit, the
//! requests in flight, the command drafter and replay.

mod common;

use ale::llm::{Endpoint, Llm, LlmConfig, LlmError, Prompt, Protocol, RetryPolicy, Secret};
use common::loopback::{Loopback, Scripted};
use std::time::{Duration, Instant};

fn endpoint(url: &str, protocol: Protocol) -> Endpoint {
    Endpoint {
        model: "test-model".into(),
        url: url.into(),
        protocol,
        key: Some(Secret::new("sk-test-key-123")),
        key_setting: "ALE_LLM_API_KEY".into(),
        price_in: 2.0,
        price_out: 10.0,
        timeout: Duration::from_secs(5),
    }
}

fn llm(endpoints: Vec<Endpoint>, in_flight: usize) -> Llm {
    let config = LlmConfig {
        endpoints,
        command: None,
        max_in_flight: in_flight,
        max_cost: None,
        prompts: Default::default(),
    };
    let policy = RetryPolicy {
        attempts: 4,
        base: Duration::from_millis(20),
        max_wait: Duration::from_secs(3),
    };
    Llm::new(&config, policy).unwrap()
}

fn prompt() -> Prompt {
    Prompt::new("You write heuristic solutions.", "Solve it.")
}

#[test]
fn openai_protocol_reply_tokens_and_cost() {
    let server = Loopback::start(vec![Scripted::openai(
        "```rust\nfn main(){}\n```",
        1000,
        500,
    )]);
    let llm = llm(
        vec![endpoint(&format!("{}/v1", server.url), Protocol::OpenAi)],
        2,
    );
    let call = llm.ask(0, &prompt());
    let reply = call.outcome.clone().unwrap();
    assert_eq!(reply.text, "```rust\nfn main(){}\n```");
    assert_eq!((reply.tokens_in, reply.tokens_out), (1000, 500));
    // 1000 tokens at $2 per million in, 500 at $10 per million out.
    assert!((call.cost - 0.007).abs() < 1e-12, "{}", call.cost);
    assert!((llm.spent() - 0.007).abs() < 1e-12);
    let seen = &server.requests()[0];
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.header("authorization"), Some("Bearer sk-test-key-123"));
    assert_eq!(seen.body["model"], "test-model");
    assert_eq!(seen.body["messages"][0]["role"], "system");
    assert_eq!(seen.body["messages"][1]["content"], "Solve it.");
}

#[test]
fn anthropic_protocol() {
    let server = Loopback::start(vec![Scripted::anthropic("hello", 10, 20)]);
    let llm = llm(vec![endpoint(&server.url, Protocol::Anthropic)], 1);
    let call = llm.ask(0, &prompt());
    assert_eq!(call.reply(), Some("hello"));
    let seen = &server.requests()[0];
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.header("x-api-key"), Some("sk-test-key-123"));
    assert_eq!(seen.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(seen.body["system"], "You write heuristic solutions.");
    assert_eq!(seen.body["messages"][0]["role"], "user");
}

#[test]
fn a_429_with_retry_after_is_waited_out() {
    let server = Loopback::start(vec![
        Scripted::raw(429, r#"{"error":{"message":"slow down"}}"#).header("Retry-After", "1"),
        Scripted::openai("ok", 1, 1),
    ]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let started = Instant::now();
    let call = llm.ask(0, &prompt());
    assert_eq!(call.reply(), Some("ok"));
    assert_eq!(call.attempts, 2);
    // The policy's own backoff is 20 ms; the second second is the server's advice.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn server_errors_are_retried_and_then_given_up() {
    let server = Loopback::start(vec![
        Scripted::raw(500, "boom"),
        Scripted::raw(502, "bad gateway"),
        Scripted::openai("third time", 1, 1),
    ]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let call = llm.ask(0, &prompt());
    assert_eq!(call.reply(), Some("third time"));
    assert_eq!(call.attempts, 3);
    // Four 503s: the policy allows four attempts, then the error says so.
    let server = Loopback::start(vec![Scripted::raw(503, "down"); 4]);
    let llm2 = self::llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let call = llm2.ask(0, &prompt());
    match call.outcome {
        Err(LlmError::Status {
            status: 503,
            attempts: 4,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_slow_reply_times_out() {
    let server = Loopback::start(vec![
        Scripted::openai("late", 1, 1).after(Duration::from_secs(3)),
        Scripted::openai("late again", 1, 1).after(Duration::from_secs(3)),
        Scripted::openai("late", 1, 1).after(Duration::from_secs(3)),
        Scripted::openai("late", 1, 1).after(Duration::from_secs(3)),
    ]);
    let mut e = endpoint(&server.url, Protocol::OpenAi);
    e.timeout = Duration::from_millis(300);
    let llm = llm(vec![e], 1);
    let call = llm.ask(0, &prompt());
    assert!(
        matches!(call.outcome, Err(LlmError::Timeout { .. })),
        "{:?}",
        call.outcome
    );
    // Four attempts, each given up on at the timeout: the server's replies
    // (three seconds late) were never waited for.
    assert_eq!(call.attempts, 4);
}

#[test]
fn malformed_json_is_a_failure_not_a_retry() {
    let server = Loopback::start(vec![Scripted::raw(200, "{\"choices\": [ oops")]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let call = llm.ask(0, &prompt());
    assert!(
        matches!(call.outcome, Err(LlmError::Malformed { .. })),
        "{:?}",
        call.outcome
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn bad_credentials_stop_at_once_and_name_the_setting() {
    let server = Loopback::start(vec![Scripted::raw(
        401,
        r#"{"error":{"message":"invalid key sk-test-key-123"}}"#,
    )]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let call = llm.ask(0, &prompt());
    let err = call.outcome.clone().unwrap_err();
    assert!(err.fatal());
    let text = err.to_string();
    assert!(
        text.contains("ALE_LLM_API_KEY") && text.contains("401"),
        "{text}"
    );
    assert!(!text.contains("sk-test-key-123"), "{text}");
    assert!(!format!("{call:?}").contains("sk-test-key-123"));
    assert_eq!(server.requests().len(), 1);
    // An unknown model is as final.
    let server = Loopback::start(vec![Scripted::raw(
        404,
        r#"{"error":{"message":"The model `test-model` does not exist"}}"#,
    )]);
    let llm = self::llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let err = llm.ask(0, &prompt()).outcome.unwrap_err();
    assert!(
        matches!(err, LlmError::UnknownModel { .. }) && err.fatal(),
        "{err}"
    );
    assert!(err.to_string().contains("--model"));
}

#[test]
fn a_prompt_over_the_context_limit_is_shortened_oldest_feedback_first() {
    let server = Loopback::start(vec![
        Scripted::raw(
            400,
            r#"{"error":{"message":"This model's maximum context length is 4096 tokens","code":"context_length_exceeded"}}"#,
        ),
        Scripted::openai("fits now", 1, 1),
    ]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let mut p = prompt();
    p.parts = vec![
        "STATEMENT\n".into(),
        "OLD FEEDBACK\n".into(),
        "NEW FEEDBACK\n".into(),
    ];
    p.droppable = vec![1, 2];
    let call = llm.ask(0, &p);
    assert_eq!(call.reply(), Some("fits now"));
    let seen = server.requests();
    let last = seen[1].body["messages"][1]["content"].as_str().unwrap();
    assert!(
        last.contains("STATEMENT")
            && last.contains("NEW FEEDBACK")
            && !last.contains("OLD FEEDBACK"),
        "{last}"
    );
    assert_eq!(call.user, last, "the call records what was sent");
}

#[test]
fn requests_in_flight_are_bounded() {
    let slow = || Scripted::openai("x", 1, 1).after(Duration::from_millis(400));
    let server = Loopback::start(vec![slow(), slow(), slow(), slow()]);
    let llm = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 2);
    let started = Instant::now();
    let calls = llm.ask_many((0..4).map(|_| (0, prompt())).collect());
    assert!(calls.iter().all(|c| c.reply() == Some("x")));
    assert_eq!(server.peak.load(std::sync::atomic::Ordering::SeqCst), 2);
    // Two at once (the peak above), so two rounds of two: never faster than
    // two replies' delay. (How much slower depends on the machine.)
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(780), "{took:?}");
}

#[test]
fn the_command_drafter_pipes_the_prompt_through_a_program() {
    let config = LlmConfig {
        endpoints: Vec::new(),
        command: Some("tr a-z A-Z".into()),
        max_in_flight: 1,
        max_cost: None,
        prompts: Default::default(),
    };
    let llm = Llm::new(&config, RetryPolicy::default()).unwrap();
    let call = llm.ask(0, &Prompt::new("", "draft: fn main"));
    assert_eq!(call.reply(), Some("DRAFT: FN MAIN"));
    assert_eq!(call.cost, 0.0);
    let config = LlmConfig {
        command: Some("echo no model here >&2; exit 3".into()),
        ..config
    };
    let llm = Llm::new(&config, RetryPolicy::default()).unwrap();
    let err = llm.ask(0, &prompt()).outcome.unwrap_err().to_string();
    assert!(
        err.contains("exit status: 3") && err.contains("no model here"),
        "{err}"
    );
}

#[test]
fn a_replay_serves_the_recorded_calls_in_order() {
    let server = Loopback::start(vec![
        Scripted::openai("one", 3, 4),
        Scripted::openai("two", 5, 6),
    ]);
    let live = llm(vec![endpoint(&server.url, Protocol::OpenAi)], 1);
    let recorded = vec![live.ask(0, &prompt()), live.ask(0, &prompt())];
    let replay = Llm::replay(7, recorded.clone(), None, 1).unwrap();
    assert_eq!(replay.ask(0, &prompt()), recorded[0]);
    assert_eq!(replay.ask(0, &prompt()), recorded[1]);
    let err = replay.ask(0, &prompt()).outcome.unwrap_err();
    assert!(matches!(err, LlmError::Replay { session: 7, .. }), "{err}");
    assert_eq!(server.requests().len(), 2, "the replay called nothing");
}
