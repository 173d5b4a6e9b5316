//! `ale submit`: private judging and the submission folder, end to end.

mod common;

use common::{ale, solution};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The identity tour's length, scored by the scorer itself.
fn identity_score(seed: u64) -> i64 {
    use scorers::Problem;
    let input = scorers::tsp::Tsp.generate(seed);
    let n: usize = input.lines().next().unwrap().parse().unwrap();
    let out: String = (0..n).map(|i| format!("{i}\n")).collect();
    scorers::tsp::Tsp.score(&input, &out).unwrap()
}

fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir.join("submissions/tsp"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    all.sort();
    all
}

#[test]
fn a_submission_is_judged_on_private_seeds_and_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let source = solution("tsp_identity.rs");
    let o = ale(
        dir.path(),
        &["submit", "tsp", source.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["problem"], "tsp");
    assert_eq!(doc["public"]["seeds"], "0..100");
    assert_eq!(doc["public"]["cases"], 100);
    assert_eq!(doc["private"]["seeds"], "1000..1200");
    assert_eq!(doc["private"]["cases"], 200);
    assert_eq!(doc["private"]["verdicts"]["AC"], 200);
    let expected: f64 = (1000..1200).map(identity_score).sum::<i64>() as f64 / 200.0;
    let mean = doc["private"]["mean_score"].as_f64().unwrap();
    assert!((mean - expected).abs() < 1e-6, "{mean} vs {expected}");
    let written = folders(dir.path());
    assert_eq!(written.len(), 1);
    let folder = &written[0];
    assert_eq!(
        std::fs::read(folder.join("main.rs")).unwrap(),
        std::fs::read(&source).unwrap()
    );
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("report.json")).unwrap())
            .unwrap();
    assert_eq!(on_disk, doc);
    let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
    assert!(md.contains("| private | 1000..1200 | 200/200 |"), "{md}");
    let svg = std::fs::read_to_string(folder.join("progress.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<circle"));
    // Both runs are in the store, private seeds included.
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let private_run = doc["private"]["run_id"].as_i64().unwrap();
    assert_eq!(store.case_scores(private_run).unwrap().len(), 200);
    // A second submission gets a folder of its own.
    let o = ale(dir.path(), &["submit", "tsp", source.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(folders(dir.path()).len(), 2);
}

#[test]
fn failing_and_broken_solutions() {
    let dir = tempfile::tempdir().unwrap();
    // Every case fails: still written, exit status 1.
    let o = ale(
        dir.path(),
        &[
            "submit",
            "tsp",
            solution("panic.rs").to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["private"]["verdicts"]["RE"], 200);
    assert_eq!(doc["private"]["accepted"], 0);
    assert_eq!(folders(dir.path()).len(), 1);
    // A compile error submits nothing.
    let o = ale(
        dir.path(),
        &[
            "submit",
            "tsp",
            solution("compile_error.rs").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not compile; nothing submitted"));
    assert_eq!(folders(dir.path()).len(), 1);
}
