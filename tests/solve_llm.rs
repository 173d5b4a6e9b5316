//! `ale solve` with a language model: a scripted model on loopback drafts,
//! improves and repairs; the session records every call with its tokens and
//! cost, and `--llm-replay` reproduces the session without the model.

mod common;

use common::loopback::{Loopback, Scripted};
use common::{ale, assert_ok, solution};
use serde_json::Value;

/// tsp_passes.rs with PASSES set and its annotation gone.
fn passes(n: u32) -> String {
    std::fs::read_to_string(solution("tsp_passes.rs"))
        .unwrap()
        .replace(
            "const PASSES: u32 = 0; // ale:param 0..8",
            &format!("const PASSES: u32 = {n};"),
        )
}

/// Every reply costs 1000 tokens in and 500 out.
fn reply(text: &str) -> Scripted {
    Scripted::openai(text, 1000, 500)
}

/// A candidate as the replay comparison sees it: operator, the position of
/// its parent in the session, origin, source, status.
type Seen = (String, Option<usize>, String, String, String);

fn session(db: &std::path::Path, id: i64) -> Vec<Seen> {
    let store = ale::store::Store::open(db).unwrap();
    let rows = store.candidates(id).unwrap();
    let position = |p: i64| rows.iter().position(|r| r.id == p);
    rows.iter()
        .map(|r| {
            (
                r.operator.clone(),
                r.parent.and_then(position),
                r.origin.clone(),
                r.source.clone(),
                r.status.to_string(),
            )
        })
        .collect()
}

#[test]
fn a_model_improves_repairs_is_accounted_for_and_replays() {
    let chatty = format!(
        "The 2-opt sweeps are off. A helper first:\n```rust\nfn sweep() {{}}\n```\nThe whole program:\n```rust\n{}```\n",
        passes(3)
    );
    let broken = "```rust\nfn main() { let x: u32 = \"not a number\"; }\n```";
    let repaired = format!("Fixed:\n```rust\n{}```", passes(5));
    // Applies to any of the programs above: the same output, written otherwise.
    let edit = "<<<<<<< SEARCH\n    print!(\"{out}\");\n=======\n    print!(\"{}\", out);\n>>>>>>> REPLACE\n";
    let server = Loopback::start(vec![
        reply(&chatty),
        reply(broken),
        reply(&repaired),
        reply(edit),
        reply("I would rather not write code today."),
    ]);
    let dir = tempfile::tempdir().unwrap();
    // Prices from ale.toml: $2 per million tokens in, $10 out, so $0.007 a
    // call. One request at a time: the scripted replies come in the order asked.
    std::fs::write(
        dir.path().join("ale.toml"),
        format!(
            "llm_in_flight = 1\n\n[[llm]]\nmodel = \"scripted\"\nurl = \"{}/v1\"\nprice_in = 2.0\nprice_out = 10.0\n",
            server.url
        ),
    )
    .unwrap();
    let from = solution("tsp_passes.rs");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "solve",
            "tsp",
            "--budget",
            "10m",
            "--evaluations",
            "2000",
            "-j",
            "2",
            "--rng-seed",
            "3",
            "--only-from",
            "--operators",
            "improve,draft,repair",
            // Five calls cost $0.035: the fifth is the last one asked.
            "--max-cost",
            "0.034",
            "--json",
            "--from",
            from.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let live: Vec<String> = args(&[]);
    let live: Vec<&str> = live.iter().map(String::as_str).collect();
    let o = ale(dir.path(), &live);
    assert_ok(&o);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(server.requests().len(), 5);
    let db = dir.path().join(".ale/ale.db");
    let store = ale::store::Store::open(&db).unwrap();
    let totals = store.llm_totals(1).unwrap();
    assert_eq!(totals.calls, 5);
    assert_eq!((totals.tokens_in, totals.tokens_out), (5000, 2500));
    assert!((totals.cost - 0.035).abs() < 1e-9, "{}", totals.cost);
    let llm = &doc["report"]["search"]["budget"]["llm"];
    assert_eq!(llm["calls"], 5);
    assert!((llm["cost"].as_f64().unwrap() - 0.035).abs() < 1e-9);
    // The operators are first tried from the last in their list: improve (of the starting
    // solver), draft, repair (of the draft that does not compile).
    let calls: Vec<String> = store
        .llm_calls(1)
        .unwrap()
        .iter()
        .map(|c| c.model.clone())
        .collect();
    assert_eq!(calls, ["scripted"; 5]);
    let rows = store.candidates(1).unwrap();
    let start = rows.iter().find(|r| r.operator == "start").unwrap();
    let improved = rows
        .iter()
        .find(|r| r.operator == "improve" && r.parent == Some(start.id))
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        improved.source,
        passes(3),
        "the last rust block of the reply"
    );
    let mean = |id: i64| {
        let cases = store.candidate_cases(id).unwrap();
        assert_eq!(cases.len(), 100);
        cases.iter().filter_map(|c| c.score).sum::<i64>() as f64 / cases.len() as f64
    };
    // 3 sweeps of 2-opt beat none (tsp is minimised).
    assert!(mean(improved.id) < mean(start.id));
    // The draft that does not compile is kept with the compiler's message,
    // and the repair is its child.
    let broken_row = rows.iter().find(|r| r.operator == "draft").unwrap();
    assert_eq!(broken_row.parent, None);
    assert_eq!(broken_row.status.to_string(), "compile error");
    let message = store.candidate_message(broken_row.id).unwrap().unwrap();
    assert!(message.contains("mismatched types"), "{message}");
    let repair = rows
        .iter()
        .find(|r| r.operator == "repair")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(repair.parent, Some(broken_row.id));
    assert_eq!(repair.source, passes(5));
    // The best is a model's work, and it was submitted.
    let best = doc["best_candidate"].as_i64().unwrap();
    let best_row = rows.iter().find(|r| r.id == best).unwrap();
    assert_ne!(best_row.operator, "start");
    // The prompts carried the statement and, for an improvement, the feedback.
    let seen = server.requests();
    let first = seen[0].body["messages"][1]["content"].as_str().unwrap();
    assert!(
        first.contains("test cases judged") && first.contains("const PASSES: u32 = 0;"),
        "{first}"
    );

    // The replay: the same session from the recorded replies, no model called.
    let replay: Vec<String> = args(&["--llm-replay", "1"]);
    let replay: Vec<&str> = replay.iter().map(String::as_str).collect();
    let o = ale(dir.path(), &replay);
    assert_ok(&o);
    let again: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(again["session"], 2);
    assert_eq!(server.requests().len(), 5, "the replay called nothing");
    assert_eq!(session(&db, 1), session(&db, 2));
    assert_eq!(store.llm_totals(2).unwrap().calls, 5);
}

#[test]
fn refused_credentials_stop_the_search_and_name_the_setting() {
    let server = Loopback::start(vec![Scripted::raw(
        401,
        r#"{"error":{"message":"Incorrect API key provided"}}"#,
    )]);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/v1", server.url);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
        .args([
            "solve",
            "tsp",
            "--budget",
            "2m",
            "-j",
            "2",
            "--only-from",
            "--operators",
            "improve",
            // One at a time, so that exactly one request is made.
            "--llm-in-flight",
            "1",
            "--llm-url",
            &url,
            "--model",
            "m",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .env("ALE_LLM_API_KEY", "sk-do-not-print-me")
        .env_remove("ALE_LLM_URL")
        .env_remove("ALE_LLM_MODEL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ALE_LLM_API_KEY") && stderr.contains("401"),
        "{stderr}"
    );
    assert!(!stderr.contains("sk-do-not-print-me"), "{stderr}");
    // At once: one request, no retry; the key went only into the header.
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].header("authorization"),
        Some("Bearer sk-do-not-print-me")
    );
    // The session is kept, not finished: fix the key and --resume it.
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    assert_eq!(store.sessions(None).unwrap()[0].status.as_str(), "running");
    let calls = store.llm_calls(1).unwrap();
    assert_eq!(calls.len(), 1);
    assert!(!format!("{calls:?}").contains("sk-do-not-print-me"));
}

#[test]
fn a_models_child_with_annotated_constants_is_tuned_next() {
    // The reply keeps the annotation: PASSES = 1, the tuner's to move.
    let source = std::fs::read_to_string(solution("tsp_passes.rs"))
        .unwrap()
        .replace("const PASSES: u32 = 0;", "const PASSES: u32 = 1;");
    // The first reply is the start with its names changed: the same program,
    // turned away before the judge. The second is a child with a constant to
    // tune. (The search queues a tuning burst on such a child; the bandit
    // would also get there, so this checks the outcome, not the queue.)
    let renamed = passes(0).replace("tour", "order").replace("text", "input");
    let server = Loopback::start(vec![
        reply(&format!("Tidier names:\n```rust\n{renamed}```")),
        reply(&format!("```rust\n{source}```")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    // A start without annotations: perturb and tune have nothing to move in it.
    let start = dir.path().join("start.rs");
    std::fs::write(&start, passes(0)).unwrap();
    // $0.007 a call: --max-cost 0.01 lets exactly two through.
    std::fs::write(
        dir.path().join("ale.toml"),
        format!(
            "[[llm]]\nmodel = \"m\"\nurl = \"{}/v1\"\nprice_in = 2.0\nprice_out = 10.0\n",
            server.url
        ),
    )
    .unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "10m",
            "--evaluations",
            "700",
            "-j",
            "2",
            "--only-from",
            "--operators",
            "perturb,tune,improve",
            // One at a time: the replies come in the order asked.
            "--llm-in-flight",
            "1",
            "--max-cost",
            "0.01",
            "--json",
            "--from",
            start.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    assert_eq!(server.requests().len(), 2);
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let rows = store.candidates(1).unwrap();
    assert!(rows.iter().all(|r| r.source != renamed), "{rows:?}");
    let log = store.llm_call_log(1).unwrap();
    let turned_away = log[0].error.as_deref().unwrap_or_default();
    assert!(turned_away.contains("the same program"), "{log:?}");
    assert_eq!(log[0].candidate, None);
    let improved = rows
        .iter()
        .find(|r| r.operator == "improve")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(improved.source, source);
    assert_eq!(improved.status.to_string(), "evaluated");
    // The next candidate is its tuning burst's.
    let next = rows
        .iter()
        .find(|r| r.id > improved.id)
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        (next.operator.as_str(), next.parent),
        ("tune", Some(improved.id)),
        "{rows:?}"
    );
}

#[test]
fn the_judge_runs_other_candidates_while_models_write() {
    // Two slow answers; --max-cost 0.007 lets two requests out (nothing is
    // spent before the first answer) and none after.
    let slow = std::time::Duration::from_secs(3);
    let server = Loopback::start(vec![
        reply(&format!("```rust\n{}```", passes(3))).after(slow),
        reply(&format!("```rust\n{}```", passes(4))).after(slow),
    ]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ale.toml"),
        format!(
            "[[llm]]\nmodel = \"m\"\nurl = \"{}/v1\"\nprice_in = 2.0\nprice_out = 10.0\n",
            server.url
        ),
    )
    .unwrap();
    let from = solution("tsp_passes.rs");
    let args = [
        "solve",
        "tsp",
        "--budget",
        "2m",
        "-j",
        "2",
        "--only-from",
        "--operators",
        "perturb,improve",
        "--llm-in-flight",
        "2",
        "--max-cost",
        "0.007",
        "--json",
        "--from",
        from.to_str().unwrap(),
    ];
    let o = ale(dir.path(), &args);
    assert_ok(&o);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        server.peak.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "both requests were open at once"
    );
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let times = store.llm_call_log(1).unwrap();
    assert_eq!(times.len(), 2, "{times:?}");
    let (asked, answered) = (times[0].asked.unwrap(), times[0].answered.unwrap());
    assert!(answered - asked >= 2.9, "{times:?}");
    // While the first request was out, perturbations were made and judged.
    let rows = store.candidates(1).unwrap();
    let meanwhile: Vec<_> = rows
        .iter()
        .filter(|r| r.operator == "perturb" && r.created_s > asked && r.created_s < answered)
        .collect();
    assert!(!meanwhile.is_empty(), "{times:?} {rows:?}");
    assert!(
        store.candidate_cases(meanwhile[0].id).unwrap().len() >= 4,
        "judged, not just made"
    );
    // Both answers became candidates, judged after they came.
    let improved: Vec<&str> = rows
        .iter()
        .filter(|r| r.operator == "improve")
        .map(|r| r.source.as_str())
        .collect();
    assert_eq!(improved.len(), 2, "{rows:?}");
    assert!(improved.contains(&passes(3).as_str()) && improved.contains(&passes(4).as_str()));
    for call in &times {
        let r = rows
            .iter()
            .find(|r| Some(r.id) == call.candidate)
            .unwrap_or_else(|| panic!("{times:?}"));
        assert_eq!(r.operator, "improve");
        assert!(
            r.created_s >= call.answered.unwrap() - 0.01,
            "{r:?} {call:?}"
        );
        assert!(!store.candidate_cases(r.id).unwrap().is_empty());
    }
    // The replay takes each answer at the step the search took it, so the
    // candidates made in between are the same too.
    let mut again = args.to_vec();
    again.extend(["--llm-replay", "1"]);
    assert_ok(&ale(dir.path(), &again));
    assert_eq!(server.requests().len(), 2, "the replay called nothing");
    let db = dir.path().join(".ale/ale.db");
    assert_eq!(session(&db, 1), session(&db, 2));
}

/// A session against `server` with one model request at a time: ale.toml
/// names the model at $2/$10 per million tokens; `extra` goes after the
/// common arguments.
fn one_at_a_time(dir: &std::path::Path, toml: &str, extra: &[&str]) -> std::process::Output {
    std::fs::write(dir.join("ale.toml"), format!("llm_in_flight = 1\n\n{toml}")).unwrap();
    let from = solution("tsp_passes.rs");
    let mut args = vec![
        "solve",
        "tsp",
        "--budget",
        "3m",
        "-j",
        "2",
        "--only-from",
        "--json",
        "--from",
        from.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = ale(dir, &args);
    assert_ok(&o);
    o
}

fn priced(url: &str, model: &str, price_in: f64, price_out: f64) -> String {
    format!("[[llm]]\nmodel = \"{model}\"\nurl = \"{url}/v1\"\nprice_in = {price_in}\nprice_out = {price_out}\n\n")
}

#[test]
fn every_five_model_candidates_a_summary_is_written_and_carried_in_later_prompts() {
    let learnt = "More 2-opt sweeps shorten the tour; try more of them.";
    let mut script: Vec<Scripted> = (1..=5)
        .map(|n| reply(&format!("```rust\n{}```", passes(n))))
        .collect();
    script.push(reply(learnt));
    script.push(reply(&format!("```rust\n{}```", passes(6))));
    let server = Loopback::start(script);
    let dir = tempfile::tempdir().unwrap();
    // Seven calls at $0.007: the seventh passes $0.045.
    one_at_a_time(
        dir.path(),
        &priced(&server.url, "m", 2.0, 10.0),
        &["--operators", "improve", "--max-cost", "0.045"],
    );
    let seen = server.requests();
    assert_eq!(seen.len(), 7);
    let text = |k: usize| seen[k].body["messages"].to_string();
    for k in 0..5 {
        assert!(
            !text(k).contains(learnt),
            "no summary before five candidates"
        );
    }
    // The sixth request asks for the summary, from the five candidates made.
    let ask = text(5);
    assert!(ask.contains("what has worked"), "{ask}");
    assert_eq!(ask.matches("by improve").count(), 5, "{ask}");
    // The seventh carries it.
    let next = text(6);
    assert!(next.contains("What the search has learnt so far"), "{next}");
    assert!(next.contains(learnt), "{next}");
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let log = store.llm_call_log(1).unwrap();
    let operators: Vec<&str> = log.iter().map(|c| c.operator.as_str()).collect();
    assert_eq!(
        operators,
        [
            "improve",
            "improve",
            "improve",
            "improve",
            "improve",
            "summarise",
            "improve"
        ]
    );
}

#[test]
fn the_judge_goes_on_while_a_model_writes_the_summary() {
    // Five improvements, then a summary that takes four seconds to come,
    // then one more improvement; perturbations run meanwhile. Twelve seeds
    // keep each judging short, so the seven calls come well within the budget.
    // (Each model program says its number on stderr, so that no perturbation
    // of the start can be the same program.)
    let learnt = "Sweeps help.";
    let marked = |n: u32| {
        passes(n).replace(
            "fn main() {",
            &format!("fn main() {{\n    eprint!(\"model {n}\");"),
        )
    };
    let mut script: Vec<Scripted> = (1..=5)
        .map(|n| reply(&format!("```rust\n{}```", marked(n))))
        .collect();
    script.push(reply(learnt).after(std::time::Duration::from_secs(4)));
    script.push(reply(&format!("```rust\n{}```", marked(6))));
    let server = Loopback::start(script);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ale.toml"),
        format!(
            "llm_in_flight = 1\n\n{}",
            priced(&server.url, "m", 2.0, 10.0)
        ),
    )
    .unwrap();
    let from = solution("tsp_passes.rs");
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "90s",
            "--seeds",
            "0..12",
            "--private-seeds",
            "1000..1010",
            "-j",
            "2",
            "--only-from",
            "--operators",
            "perturb,improve",
            "--max-cost",
            "0.045",
            "--json",
            "--from",
            from.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    assert_eq!(server.requests().len(), 7);
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let log = store.llm_call_log(1).unwrap();
    let summary = log.iter().find(|c| c.operator == "summarise").unwrap();
    // Asked and answered like any request, in the search's own time.
    let (asked, answered) = (summary.asked.unwrap(), summary.answered.unwrap());
    assert!(answered - asked >= 3.9, "{log:?}");
    // While it was out, the judge made and judged perturbations.
    let rows = store.candidates(1).unwrap();
    let meanwhile: Vec<_> = rows
        .iter()
        .filter(|r| r.operator == "perturb" && r.created_s > asked && r.created_s < answered)
        .collect();
    assert!(!meanwhile.is_empty(), "{log:?} {rows:?}");
    assert!(!store.candidate_cases(meanwhile[0].id).unwrap().is_empty());
    // The request after it carries it.
    let last = server.requests()[6].body["messages"].to_string();
    assert!(last.contains(learnt), "{last}");
}

#[test]
fn with_two_models_the_one_that_improves_more_per_dollar_is_asked() {
    // The cheap model writes better programs; the dear one writes none.
    let cheap = Loopback::start(vec![
        reply(&format!("```rust\n{}```", passes(3))),
        reply(&format!("```rust\n{}```", passes(5))),
        reply(&format!("```rust\n{}```", passes(6))),
    ]);
    let dear = Loopback::start(vec![reply("I cannot help with that."); 3]);
    let dir = tempfile::tempdir().unwrap();
    // $0.007 a call for the cheap one, $0.07 for the dear one: after one
    // call each and two more of the cheap one, $0.091 passes $0.09.
    let toml = priced(&cheap.url, "cheap", 2.0, 10.0) + &priced(&dear.url, "dear", 20.0, 100.0);
    one_at_a_time(
        dir.path(),
        &toml,
        &["--operators", "improve", "--max-cost", "0.09"],
    );
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let log = store.llm_call_log(1).unwrap();
    let models: Vec<&str> = log.iter().map(|c| c.model.as_str()).collect();
    // Each once, then the one whose candidates gained something per dollar.
    assert_eq!(models, ["cheap", "dear", "cheap", "cheap"], "{log:?}");
    assert!((store.llm_totals(1).unwrap().cost - 0.091).abs() < 1e-9);
    assert_eq!(cheap.requests().len(), 3);
    assert_eq!(dear.requests().len(), 1);
}

#[test]
fn a_model_s_programs_never_run_unboxed_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let from = solution("tsp_passes.rs");
    let solve = |extra: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ale"));
        command
            .args(extra)
            .args(["solve", "tsp", "--budget", "2s", "--evaluations", "1"])
            .args(["--only-from", "--from", from.to_str().unwrap()])
            .args(["--llm-cmd", "cat > /dev/null; echo 'No ideas.'"])
            .current_dir(dir.path())
            .env("ALE_HOME", dir.path().join(".ale"))
            .env("ALE_BWRAP", "/nonexistent/bwrap")
            .env_remove("ALE_REQUIRE_SANDBOX")
            .env_remove("ALE_PROBLEMS");
        command.output().unwrap()
    };
    // The box cannot start here: the search refuses, and says why and what to do.
    let o = solve(&[]);
    let said = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(
        said.contains(
            "runs them only in the box, which is off here: /nonexistent/bwrap cannot be started"
        ) && said.contains("--no-sandbox"),
        "{said}"
    );
    assert!(!dir.path().join("submissions").exists());
    // Asked for on purpose, it runs them unboxed.
    let o = solve(&["--no-sandbox"]);
    assert_ok(&o);
}

#[test]
fn a_command_can_be_the_model() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("reply.md"),
        format!("Here:\n```rust\n{}```\n", passes(4)),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("prompts-seen")).unwrap();
    // The first prompt gets the program; later ones get no code.
    let command = "n=$(ls prompts-seen | wc -l); cat > prompts-seen/$n.txt; \
                   if [ $n = 0 ]; then cat reply.md; else echo 'No more ideas.'; fi";
    let o = one_at_a_time(
        dir.path(),
        "",
        &["--operators", "improve", "--llm-cmd", command],
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let rows = store.candidates(1).unwrap();
    let child = rows
        .iter()
        .find(|r| r.operator == "improve")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(child.source, passes(4));
    assert!(child.origin.starts_with("command: "), "{}", child.origin);
    assert_eq!(doc["best_candidate"].as_i64(), Some(child.id));
    // The command read the whole prompt: the statement and the parent.
    let first = std::fs::read_to_string(dir.path().join("prompts-seen/0.txt")).unwrap();
    assert!(first.contains("const PASSES: u32 = 0;"), "{first}");
    assert!(first.contains("test cases judged"), "{first}");
    // The replies without code are recorded as such, and the search ended
    // when the command had nothing more to give.
    let log = store.llm_call_log(1).unwrap();
    assert!(log.len() > 1);
    assert!(
        log[1..]
            .iter()
            .all(|c| c.error.as_deref() == Some("the reply has no code block")),
        "{log:?}"
    );
    // `ale show` lists the calls and what came of each.
    let o = ale(dir.path(), &["show", "1", "--json"]);
    assert_ok(&o);
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
    let calls = shown["model_calls"].as_array().unwrap();
    assert_eq!(calls.len(), log.len());
    assert_eq!(calls[0]["candidate"].as_i64(), Some(child.id));
    assert_eq!(calls[1]["error"], "the reply has no code block");
    let o = ale(dir.path(), &["show", "1"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("model calls ({},", log.len()))
            && text.contains(&format!("candidate {}", child.id)),
        "{text}"
    );
}

#[test]
fn a_model_crosses_two_parents_of_different_lineage() {
    // A draft (a new root) that beats the start, then a crossover of the two.
    let server = Loopback::start(vec![
        reply(&format!("```rust\n{}```", passes(3))),
        reply(&format!("Both ideas:\n```rust\n{}```", passes(5))),
    ]);
    let dir = tempfile::tempdir().unwrap();
    // Two calls at $0.007 pass $0.013.
    one_at_a_time(
        dir.path(),
        &priced(&server.url, "m", 2.0, 10.0),
        &["--operators", "draft,llm-crossover", "--max-cost", "0.013"],
    );
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let rows = store.candidates(1).unwrap();
    let start = rows.iter().find(|r| r.operator == "start").unwrap();
    let draft = rows
        .iter()
        .find(|r| r.operator == "draft")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(
        (draft.parent, draft.status.to_string().as_str()),
        (None, "evaluated")
    );
    let cross = rows
        .iter()
        .find(|r| r.operator == "llm-crossover")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(cross.source, passes(5));
    assert!(
        cross.origin.ends_with("crossover with another lineage"),
        "{}",
        cross.origin
    );
    // Its parent is the best (the draft); the other lineage is the start's.
    assert_eq!(cross.parent, Some(draft.id));
    let seen = server.requests();
    let prompt = seen[1].body["messages"].to_string();
    assert!(
        prompt.contains("const PASSES: u32 = 3;") && prompt.contains("const PASSES: u32 = 0;"),
        "both parents are shown: {prompt}"
    );
    assert!(
        prompt.contains(&format!("Solution A (candidate {}", draft.id))
            && prompt.contains(&format!("Solution B (candidate {}", start.id)),
        "{prompt}"
    );
}
