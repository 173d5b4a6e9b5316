//! `ale tune` end to end: real builds, real processes, the real store.

mod common;

use common::{ale, solution, spawn_ale, wait_for_store};
use serde_json::Value;

fn tune(dir: &std::path::Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut args = vec![
        "tune",
        "tsp",
        "main.rs",
        "--seeds",
        "0..10",
        "--holdout",
        "40..46",
        "--rng-seed",
        "3",
        "-j",
        "2",
        "--json",
    ];
    args.extend_from_slice(extra);
    let o = ale(dir, &args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let doc = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (o.status.code(), doc, stderr)
}

#[test]
fn a_badly_set_constant_is_fixed_and_bad_trials_are_raced_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(solution("tsp_passes.rs"), dir.path().join("main.rs")).unwrap();
    let (code, doc, stderr) = tune(dir.path(), &["--evaluations", "150"]);
    assert_eq!(code, Some(0), "{stderr}");
    let params = doc["params"].as_array().unwrap();
    assert_eq!(params.len(), 1);
    assert_eq!(params[0]["name"], "PASSES");
    assert_eq!(params[0]["old"], "0");
    let new: u32 = params[0]["new"].as_str().unwrap().parse().unwrap();
    assert!(new >= 2, "{doc}");
    // 2-opt sweeps shorten every tour: better on the tuning seeds and on the
    // six hold-out seeds, every one of them (exact p = 1/64).
    assert!(
        doc["tuning_mean_relative"].as_f64().unwrap() > 105.0,
        "{doc}"
    );
    let holdout = &doc["holdout"];
    assert_eq!(holdout["better"], true, "{doc}");
    assert!(
        (holdout["p_value"].as_f64().unwrap() - 1.0 / 64.0).abs() < 1e-9,
        "{doc}"
    );
    // The tuned source holds the new value and nothing else changed.
    let tuned = std::fs::read_to_string(dir.path().join("main.tuned.rs")).unwrap();
    let original = std::fs::read_to_string(dir.path().join("main.rs")).unwrap();
    assert_eq!(
        tuned,
        original.replace(
            "const PASSES: u32 = 0;",
            &format!("const PASSES: u32 = {new};")
        )
    );
    // A trial clearly worse than the incumbent stopped before running every seed.
    assert!(doc["raced_out"].as_u64().unwrap() >= 1, "{doc}");
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let id = doc["tuning_id"].as_i64().unwrap();
    let trials = store.trials(id).unwrap();
    let raced: Vec<_> = trials
        .iter()
        .filter(|t| t.status == ale::store::TrialStatus::RacedOut)
        .collect();
    assert!(!raced.is_empty());
    let races = store.trial_races(id).unwrap();
    let alpha = ale::tune::stats::RACING_ALPHA;
    for t in raced {
        let cases = store.trial_cases(t.id).unwrap();
        assert!(
            cases.len() < 10,
            "trial {} ran {} cases",
            t.number,
            cases.len()
        );
        assert!(cases.len() >= 5);
        // Its race: against an earlier trial, checked after each batch; the
        // last check, on every case it ran, fell under the level, and no
        // check before it did.
        let race = races.iter().find(|r| r.number == t.number).unwrap();
        assert!(race.against.is_some_and(|n| n < t.number), "{race:?}");
        let (last, before) = race.checks.split_last().unwrap();
        assert_eq!(last.seeds, cases.len(), "{race:?}");
        assert!(last.p_value.unwrap() < alpha, "{race:?}");
        assert!(last.mean_difference < 0.0, "{race:?}");
        assert!(
            before.iter().all(|c| c.p_value.is_none_or(|p| p >= alpha)),
            "{race:?}"
        );
    }
    // A trial that ran every seed was never under the level.
    for t in trials
        .iter()
        .filter(|t| t.status == ale::store::TrialStatus::Complete)
    {
        if let Some(race) = races.iter().find(|r| r.number == t.number) {
            assert!(
                race.checks
                    .iter()
                    .all(|c| c.p_value.is_none_or(|p| p >= alpha)),
                "{race:?}"
            );
        }
    }
    // Every evaluation is in the store: the search's and the hold-out's.
    let stored: usize = trials
        .iter()
        .map(|t| store.trial_cases(t.id).unwrap().len())
        .sum();
    assert_eq!(stored as u64, doc["evaluations"].as_u64().unwrap());
}

#[test]
fn a_solution_without_annotations_or_with_overlapping_seeds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(solution("tsp_identity.rs"), dir.path().join("main.rs")).unwrap();
    let (code, _, stderr) = tune(dir.path(), &["--evaluations", "5"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no `ale:param` annotations"), "{stderr}");
    std::fs::copy(solution("tsp_passes.rs"), dir.path().join("main.rs")).unwrap();
    let o = ale(
        dir.path(),
        &[
            "tune",
            "tsp",
            "main.rs",
            "--seeds",
            "0..10",
            "--holdout",
            "5..20",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("overlap"));
    let o = ale(dir.path(), &["tune", "tsp", "main.rs", "--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to resume"));
}

#[test]
fn a_killed_tuning_resumes_without_repeating_finished_cases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(solution("tsp_passes.rs"), dir.path().join("main.rs")).unwrap();
    let mut child = spawn_ale(
        dir.path(),
        &[
            "tune",
            "tsp",
            "main.rs",
            "--seeds",
            "0..10",
            "--holdout",
            "40..46",
            "--rng-seed",
            "3",
            "-j",
            "2",
            "--json",
        ],
    );
    let db = dir.path().join(".ale/ale.db");
    // Kill it once three trials exist (the third still running).
    wait_for_store(dir.path(), "third trial", |s| {
        s.trials(1).is_ok_and(|t| t.len() >= 3)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let store = ale::store::Store::open(&db).unwrap();
    let before = store.trials(1).unwrap();
    let cases_before: Vec<_> = before
        .iter()
        .map(|t| store.trial_cases(t.id).unwrap())
        .collect();
    assert_eq!(cases_before[0].len(), 10, "the start ran every tuning seed");
    let rows_before: usize = cases_before.iter().map(Vec::len).sum();
    drop(store);

    let (code, doc, stderr) = tune(dir.path(), &["--resume", "--evaluations", "60"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc["tuning_id"], 1, "the same tuning continued");
    let store = ale::store::Store::open(&db).unwrap();
    let after = store.trials(1).unwrap();
    assert!(after.len() > before.len());
    // The trials from before kept their numbers and points.
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((b.number, &b.point), (a.number, &a.point));
    }
    // Nothing ran twice: every evaluation of the resumed process is a new row.
    let rows_after: usize = after
        .iter()
        .map(|t| store.trial_cases(t.id).unwrap().len())
        .sum();
    assert_eq!(
        (rows_after - rows_before) as u64,
        doc["evaluations"].as_u64().unwrap(),
        "{doc}"
    );
    assert_eq!(store.trial_cases(after[0].id).unwrap().len(), 10 + 6);
    assert!(doc["holdout"]["better"].as_bool().unwrap());
    // Each trial's race goes on across the resume: its checks in the order
    // of the seeds it ran, never more than it ran.
    for race in store.trial_races(1).unwrap() {
        let trial = after.iter().find(|t| t.number == race.number).unwrap();
        let ran = store
            .trial_cases(trial.id)
            .unwrap()
            .iter()
            .filter(|k| !k.holdout)
            .count();
        assert!(
            race.checks.windows(2).all(|w| w[0].seeds < w[1].seeds),
            "{race:?}"
        );
        assert!(race.checks.iter().all(|c| c.seeds <= ran), "{race:?}");
    }
}

#[test]
fn ctrl_c_stops_cleanly_and_keeps_the_best_so_far() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(solution("tsp_passes.rs"), dir.path().join("main.rs")).unwrap();
    let child = spawn_ale(
        dir.path(),
        &[
            "tune",
            "tsp",
            "main.rs",
            "--seeds",
            "0..10",
            "--holdout",
            "40..46",
            "--rng-seed",
            "3",
            "-j",
            "2",
            "--json",
        ],
    );
    let db = dir.path().join(".ale/ale.db");
    wait_for_store(dir.path(), "second trial", |s| {
        s.trials(1).is_ok_and(|t| t.len() >= 2)
    });
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["interrupted"], true);
    assert!(doc["holdout"].is_null(), "no hold-out judging after Ctrl-C");
    // The best so far is written: the start itself or a better trial.
    let tuned = std::fs::read_to_string(dir.path().join("main.tuned.rs")).unwrap();
    let new = doc["params"][0]["new"].as_str().unwrap();
    assert!(tuned.contains(&format!("const PASSES: u32 = {new};")));
    let store = ale::store::Store::open(&db).unwrap();
    let trials = store.trials(1).unwrap();
    assert!(trials.len() >= 2);
    // And the tuning can be resumed.
    drop(store);
    let (code, doc, stderr) = tune(dir.path(), &["--resume", "--evaluations", "20"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc["tuning_id"], 1);
}
