//! `ale tune` end to end: real builds, real processes, the real store.

mod common;

use common::{ale, solution};
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
    let raced: Vec<_> = trials.iter().filter(|t| t.status == "raced out").collect();
    assert!(!raced.is_empty());
    for t in raced {
        let cases = store.trial_cases(t.id).unwrap();
        assert!(
            cases.len() < 10,
            "trial {} ran {} cases",
            t.number,
            cases.len()
        );
        assert!(cases.len() >= 5);
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
