//! The regression suite end to end: every shipped solver against docs/PROBLEMS.md.

mod common;

use common::{repo, solution};
use std::process::Command;

fn ale_check(dir: &std::path::Path, cwd: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .arg("--store")
        .arg(dir.join("ale.db"))
        .arg("check")
        .args(args)
        .current_dir(cwd)
        .env("ALE_HOME", dir.join(".ale"))
        .env_remove("ALE_PROBLEMS")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn every_shipped_solver_meets_its_recorded_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = ale_check(dir.path(), &repo(""), &["--seeds", "0..3"]);
    assert_eq!(code, 0, "{out}{err}");
    for (problem, solver) in [
        ("tsp", "ils.rs"),
        ("qap", "tabu.rs"),
        ("jobshop", "tabu.rs"),
        ("prospect", "ucb.rs"),
    ] {
        let row = out
            .lines()
            .find(|l| l.starts_with(problem) && l.contains(solver))
            .unwrap_or_else(|| panic!("no row for {problem} {solver}:\n{out}"));
        assert!(row.ends_with("  ok"), "{row}");
        assert!(
            row.contains("    3        3 "),
            "three cases, all accepted: {row}"
        );
    }
    assert!(out.contains(" solvers checked, 0 failed"), "{out}");
    // Every shipped solver has its figures recorded in docs/PROBLEMS.md.
    for row in out.lines().skip(1).filter(|l| l.ends_with("  ok")) {
        let recorded = row.split_whitespace().rev().nth(1).unwrap();
        assert!(
            recorded != "-",
            "no recorded figure in docs/PROBLEMS.md: {row}"
        );
    }
}

#[test]
fn a_wrong_or_weakened_solver_fails_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let solvers = dir.path().join("solvers/tsp");
    std::fs::create_dir_all(&solvers).unwrap();
    std::fs::copy(repo("solvers/tsp/baseline.rs"), solvers.join("baseline.rs")).unwrap();
    std::fs::copy(solution("garbage.rs"), solvers.join("garbage.rs")).unwrap();
    std::fs::copy(solution("tsp_identity.rs"), solvers.join("identity.rs")).unwrap();
    // The identity tour is recorded as as good as the baseline; it is far worse.
    std::fs::write(
        dir.path().join("expected.md"),
        "| problem | solver | vs baseline |\n|---|---|---:|\n| tsp | identity.rs | 100 |\n",
    )
    .unwrap();
    let (code, out, err) = ale_check(
        dir.path(),
        dir.path(),
        &[
            "--seeds",
            "0..2",
            "--expect",
            "expected.md",
            "--problem",
            "tsp",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let row = |name: &str| out.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(
        row("garbage.rs").contains("FAIL: seed 0: WA line 1: `hello` is not a city index"),
        "{out}"
    );
    assert!(
        row("identity.rs")
            .contains("against the baseline, below the recorded 100.00 by more than 10%"),
        "{out}"
    );
    assert!(row("baseline.rs").ends_with("  ok"), "{out}");
    assert!(out.contains("3 solvers checked, 2 failed"), "{out}");
}

#[test]
fn a_folder_without_a_baseline_is_compared_with_the_one_ale_carries() {
    // The same solver checked twice: against a copy of the shipped baseline,
    // then with no baseline in the folder at all.
    let figure = |with_copy: bool| -> String {
        let dir = tempfile::tempdir().unwrap();
        let solvers = dir.path().join("solvers/tsp");
        std::fs::create_dir_all(&solvers).unwrap();
        if with_copy {
            std::fs::copy(repo("solvers/tsp/baseline.rs"), solvers.join("baseline.rs")).unwrap();
        }
        std::fs::copy(solution("tsp_identity.rs"), solvers.join("identity.rs")).unwrap();
        std::fs::write(
            dir.path().join("expected.md"),
            "| problem | solver | vs baseline |\n|---|---|---:|\n",
        )
        .unwrap();
        let (code, out, err) = ale_check(
            dir.path(),
            dir.path(),
            &["--seeds", "0..2", "--expect", "expected.md"],
        );
        assert_eq!(code, 0, "{out}{err}");
        let row = out.lines().find(|l| l.contains("identity.rs")).unwrap();
        // The vs baseline column: the identity tour is far behind.
        let vs = row.split_whitespace().nth(5).unwrap().to_string();
        assert!(vs.parse::<f64>().unwrap() < 50.0, "{out}");
        vs
    };
    assert_eq!(figure(false), figure(true));
}
