//! `ale solve`, `ale sessions` and `ale show` end to end.

mod common;

use common::{ale, solution};
use serde_json::Value;

#[test]
fn the_search_races_the_portfolio_improves_and_submits() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("no-solvers")).unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "15s",
            "-j",
            "2",
            "--rng-seed",
            "5",
            "--solvers",
            "no-solvers",
            "--json",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
            solution("tsp_identity.rs").to_str().unwrap(),
            solution("panic.rs").to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let session = doc["session"].as_i64().unwrap();
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let candidates = store.candidates(session).unwrap();
    // Successive halving: the failing solver stops after the first 4 seeds, the
    // weaker of the two others after 8 (a tie is kept in the order given).
    let by_origin = |end: &str| {
        candidates
            .iter()
            .find(|c| c.operator == "start" && c.origin.ends_with(end))
            .unwrap()
    };
    let panic = by_origin("panic.rs");
    assert_eq!(panic.status, "dropped after 4 seeds");
    assert_eq!(store.candidate_cases(panic.id).unwrap().len(), 4);
    let identity = by_origin("tsp_identity.rs");
    assert_eq!(identity.status, "dropped after 8 seeds");
    let passes = by_origin("tsp_passes.rs");
    assert_eq!(store.candidate_cases(passes.id).unwrap().len(), 100);
    // The operators made children of the survivor, which has a constant to vary,
    // and the best is one of them: 2-opt sweeps shorten every tour.
    let best = doc["best_candidate"].as_i64().unwrap();
    let best_row = candidates.iter().find(|c| c.id == best).unwrap();
    assert_ne!(best_row.operator, "start", "{candidates:?}");
    assert!(
        best_row.source.contains("const PASSES: u32 = ")
            && !best_row.source.contains("const PASSES: u32 = 0;")
    );
    let mean = |id: i64| {
        let cases = store.candidate_cases(id).unwrap();
        cases.iter().filter_map(|c| c.score).sum::<i64>() as f64 / cases.len() as f64
    };
    assert!(mean(best) < mean(passes.id), "tsp is minimised");
    // The search never saw a private seed; the submission did.
    for c in &candidates {
        for case in store.candidate_cases(c.id).unwrap() {
            assert!(case.seed < 100, "candidate {} ran seed {}", c.id, case.seed);
        }
    }
    let report = &doc["report"];
    assert_eq!(report["private"]["cases"], 200);
    assert_eq!(report["lineage"][0]["candidate"], best);
    let folder = std::path::PathBuf::from(doc["submission"].as_str().unwrap());
    let folder = dir.path().join(folder);
    assert_eq!(
        std::fs::read_to_string(folder.join("main.rs")).unwrap(),
        best_row.source
    );
    // `ale sessions --json` and `ale show` see it.
    let o = ale(dir.path(), &["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["id"], session);
    assert_eq!(list[0]["problem"], "tsp");
    assert_eq!(list[0]["status"], "finished");
    assert_eq!(list[0]["best_public_score"], doc["best_public_score"]);
    let o = ale(dir.path(), &["show", &session.to_string()]);
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("dropped after 4 seeds"), "{shown}");
}

#[test]
fn nothing_to_start_from_says_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("no-solvers")).unwrap();
    let o = ale(
        dir.path(),
        &["solve", "tsp", "--solvers", "no-solvers", "--budget", "5s"],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("--from FILE"), "{stderr}");
}
