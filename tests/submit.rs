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
    // Both runs are in the store, private seeds included, and the report
    // links to their pages.
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let private_run = doc["private"]["run_id"].as_i64().unwrap();
    let public_run = doc["public"]["run_id"].as_i64().unwrap();
    assert!(
        md.contains(&format!(
            "the public run http://127.0.0.1:8080/runs/{public_run}, the private run http://127.0.0.1:8080/runs/{private_run}."
        )),
        "{md}"
    );
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

/// A problem `id` scored as `packing` (maximised), with two public and three
/// private seeds and `standings` (a `[standings]` section) over the files given.
fn contest_problem(dir: &Path, id: &str, standings: &str, files: &[(&str, &str)]) {
    let toml = format!(
        "id = \"{id}\"\ntitle = \"Contest\"\nobjective = \"max\"\ntime_limit_ms = 2000\nmemory_limit_mb = 1024\ninteractive = false\npublic_seeds = \"0..2\"\nprivate_seeds = \"1000..1003\"\n\n[scorer]\nbuiltin = \"packing\"\n\n[standings]\n{standings}"
    );
    common::problem_folder(&dir.join("problems"), id, &toml);
    for (name, text) in files {
        std::fs::write(dir.join("problems").join(id).join(name), text).unwrap();
    }
}

const PERFORMANCE: &str = "rank,performance\n1,2800\n2,1200\n3,0\n";

#[test]
fn a_submission_is_ranked_in_its_contest_and_a_total_by_ale_rank() {
    let dir = tempfile::tempdir().unwrap();
    // Standings: one contestant far ahead (a total of 10^12), one with 1,
    // then those with nothing. Any real total lands in second place, where
    // performance is 1200.
    contest_problem(
        dir.path(),
        "absolute",
        "scores = \"standings_scores.csv\"\nperformance = \"performance.csv\"\n",
        &[
            (
                "standings_scores.csv",
                "rank,score\n1,1000000000000\n2,1\n3,0\n",
            ),
            ("performance.csv", PERFORMANCE),
        ],
    );
    // A relative-score contest: one contestant with 1 on every case, one
    // rejected on every case. Ours is the best on each case (1000 each),
    // theirs rounds to nothing: first of two, performance 2800.
    contest_problem(
        dir.path(),
        "relative",
        "scores = \"standings_scores.csv\"\nperformance = \"performance.csv\"\nrelative_results = \"relative_results.csv\"\nrelative_score_type = \"max\"\nrelative_max_score = 1000\n",
        &[
            ("standings_scores.csv", "rank,score\n1,3000\n2,1\n3,0\n"),
            ("performance.csv", PERFORMANCE),
            (
                "relative_results.csv",
                "private_0,private_1,private_2\n1,1,1\n-1,-1,-1\n",
            ),
        ],
    );
    let baseline = common::repo("solvers/packing/baseline.rs");
    for (id, rank, performance, contestants) in [("absolute", 2, 1200, 3), ("relative", 1, 2800, 2)]
    {
        let o = ale(
            dir.path(),
            &["submit", id, baseline.to_str().unwrap(), "--json"],
        );
        common::assert_ok(&o);
        let report: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["private"]["accepted"], 3, "{report}");
        assert_eq!(
            (
                &report["rank"],
                &report["performance"],
                &report["contestants"]
            ),
            (&rank.into(), &performance.into(), &contestants.into()),
            "{id}: {report}"
        );
        let folder = dir.path().join("submissions").join(id);
        let written = std::fs::read_dir(&folder)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let md = std::fs::read_to_string(written.join("report.md")).unwrap();
        assert!(
            md.contains(&format!(
                "would place {rank} of {contestants}, performance {performance}"
            )),
            "{md}"
        );
    }
    // What-ifs: above everyone, a tie with the first, nothing.
    for (score, expected) in [
        (
            "2000000000000",
            r#"{"rank":1,"performance":2800,"contestants":3}"#,
        ),
        (
            "1000000000000",
            r#"{"rank":1,"performance":2800,"contestants":3}"#,
        ),
        ("1", r#"{"rank":2,"performance":1200,"contestants":3}"#),
        ("0", r#"{"rank":3,"performance":0,"contestants":3}"#),
    ] {
        let o = ale(
            dir.path(),
            &["rank", "absolute", "--score", score, "--json"],
        );
        common::assert_ok(&o);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            expected,
            "{score}"
        );
    }
    // A problem without standings says how to give it some.
    let o = ale(dir.path(), &["rank", "tsp", "--score", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[standings]"));
}

#[test]
fn standings_that_are_wrong_are_refused_with_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    contest_problem(
        dir.path(),
        "broken",
        "scores = \"standings_scores.csv\"\nperformance = \"performance.csv\"\n",
        &[
            ("standings_scores.csv", "rank,score\n1,500\n2,oops\n3,0\n"),
            ("performance.csv", PERFORMANCE),
        ],
    );
    let o = ale(dir.path(), &["rank", "broken", "--score", "5"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("standings_scores.csv: line 3") && stderr.contains("problem.toml"),
        "{stderr}"
    );
}
