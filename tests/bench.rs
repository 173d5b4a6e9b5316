//! `ale bench` end to end: two problems, a kill and a resume, and a
//! comparison of two bench results.

mod common;

use common::{ale, assert_ok, bench_problem as problem, repo, spawn_ale, wait_for_store};
use serde_json::Value;

#[test]
fn a_bench_searches_each_problem_resumes_after_a_kill_and_compares() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = std::fs::read_to_string(repo("solvers/packing/baseline.rs")).unwrap();
    // alpha has standings where any total is second of three (performance 1200).
    problem(
        dir.path(),
        "alpha",
        "\n[standings]\nscores = \"standings_scores.csv\"\nperformance = \"performance.csv\"\n",
        &baseline,
    );
    std::fs::write(
        dir.path().join("set/alpha/standings_scores.csv"),
        "rank,score\n1,1000000000000\n2,1\n3,0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("set/alpha/performance.csv"),
        "rank,performance\n1,2800\n2,1200\n3,0\n",
    )
    .unwrap();
    // beta's solver is slow, so that the kill comes while it is searched.
    problem(dir.path(), "beta", "", &common::slowed(&baseline, 700));
    let args = [
        "bench",
        "set",
        "--budget",
        "10m",
        "--evaluations",
        "4",
        "-j",
        "2",
    ];
    let mut child = spawn_ale(dir.path(), &args);
    wait_for_store(dir.path(), "alpha's result", |s| {
        s.bench_results(1).is_ok_and(|r| r.len() == 1)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let before: Value = serde_json::from_str(&store.bench_results(1).unwrap()[0]).unwrap();
    assert_eq!(before["problem"], "alpha");

    let mut resume = args.to_vec();
    resume.extend(["--resume", "--out", "a.json"]);
    let o = ale(dir.path(), &resume);
    assert_ok(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("[1/2] alpha: done before, skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("[2/2] beta: searching"), "{stderr}");
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("a.json")).unwrap()).unwrap();
    let rows = a["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0], before,
        "the finished problem is not searched again"
    );
    assert_eq!(
        (&rows[0]["rank"], &rows[0]["performance"]),
        (&2.into(), &1200.into())
    );
    assert_eq!(rows[1]["problem"], "beta");
    assert_eq!(rows[1]["rank"], Value::Null);
    assert_eq!(rows[1]["private_cases"].as_array().unwrap().len(), 3);
    // The only start is the submission: 100 against it.
    assert_eq!(rows[1]["vs_best_start"], 100.0);
    assert_eq!(a["mean_performance"], 1200.0);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("mean performance: 1200.0"), "{table}");

    // A fresh bench of the same solvers: the same scores, so no difference
    // beyond the noise.
    let mut again = args.to_vec();
    again.extend(["--out", "b.json", "--compare", "a.json"]);
    let o = ale(dir.path(), &again);
    assert_ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("within noise")).collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("alpha") && lines[0].contains("100.00"),
        "{out}"
    );
    // --resume with nothing unfinished says so.
    let o = ale(dir.path(), &resume);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no unfinished bench"));
}

#[test]
fn a_folder_of_ale_bench_packages_is_benched_lite() {
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("packages");
    let package = common::unpack_fixture(&packages, "ale-bench-pick");
    let tools = common::unpack_fixture(dir.path(), "tools-pick");
    std::fs::rename(&tools, package.join("tools")).unwrap();
    let solvers = dir.path().join("solvers/pick001");
    std::fs::create_dir_all(&solvers).unwrap();
    std::fs::copy(common::solution("pick_max.rs"), solvers.join("pick.rs")).unwrap();
    let o = ale(
        dir.path(),
        &[
            "bench",
            "packages",
            "--lite",
            "--budget",
            "10m",
            "--evaluations",
            "2",
            "--out",
            "lite.json",
        ],
    );
    assert_ok(&o);
    let result: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("lite.json")).unwrap())
            .unwrap();
    let row = &result["rows"][0];
    // The lite seeds (two private cases) and the lite standings (the first
    // has 5): ours is first of two.
    assert_eq!(row["problem"], "pick001");
    assert_eq!(
        row["private_cases"].as_array().unwrap().len(),
        2,
        "{result}"
    );
    assert_eq!(
        (&row["rank"], &row["performance"]),
        (&1.into(), &2800.into()),
        "{result}"
    );
    // Not a folder of packages: --lite says what to do instead.
    let o = ale(dir.path(), &["bench", "tsp", "--lite"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ale import DIR --lite"));
}
