//! The `ale` binary end to end: real processes, a real store in a temporary folder.

mod common;

use common::ale;

use common::{repo, solution};
use scorers::Problem;
use serde_json::Value;
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn run_json_on_ten_seeds_checks_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = repo("solvers/tsp/baseline.rs");
    let baseline = baseline.to_str().unwrap();
    let o = ale(
        dir.path(),
        &[
            "run", "tsp", baseline, "--seeds", "0..10", "-j", "2", "--json", "--out", "out",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("exactly one JSON document");
    assert_eq!(doc["problem"], "tsp");
    assert_eq!(doc["solution"], baseline);
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 10);
    let mut scores = Vec::new();
    for (seed, case) in cases.iter().enumerate() {
        let name = format!("{seed:04}.txt");
        assert_eq!(case["seed"], seed as u64);
        assert_eq!(case["input"], name.as_str());
        assert_eq!(case["verdict"], "AC");
        // The score is the tour length of the output that was kept, scored afresh.
        let input = scorers::tsp::Tsp.generate(seed as u64);
        let output = std::fs::read_to_string(dir.path().join("out").join(&name)).unwrap();
        let expected = scorers::tsp::Tsp.score(&input, &output).unwrap();
        assert_eq!(case["score"], expected);
        scores.push(expected);
        // A fresh store: each case is its input's best.
        assert_eq!(case["relative_score"], 100.0);
        let time = case["time_ms"].as_u64().unwrap();
        assert!(time < 2000, "{time}");
        let memory = case["memory_kb"].as_u64().unwrap();
        assert!(memory > 100 && memory < 1024 * 1024, "{memory}");
        assert_eq!(case["message"], Value::Null);
    }
    let s = &doc["summary"];
    assert_eq!(s["cases"], 10);
    assert_eq!(s["accepted"], 10);
    let mean = scores.iter().sum::<i64>() as f64 / 10.0;
    assert!((s["mean_score"].as_f64().unwrap() - mean).abs() < 1e-6);
    assert_eq!(s["mean_relative_score"], 100.0);
    let max_time = cases
        .iter()
        .map(|c| c["time_ms"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(s["max_time_ms"], max_time);

    // A worse solution on the same inputs is measured against the stored bests.
    let identity = solution("tsp_identity.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            identity.to_str().unwrap(),
            "--seeds",
            "0..10",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut relative_sum = 0.0;
    for (case, best) in doc["cases"].as_array().unwrap().iter().zip(&scores) {
        let score = case["score"].as_i64().unwrap();
        assert!(
            score > *best,
            "identity order should be worse than the strips"
        );
        let expected = (100.0_f64 * *best as f64 / score as f64 * 1000.0).round() / 1000.0;
        assert_eq!(case["relative_score"].as_f64().unwrap(), expected);
        relative_sum += 100.0 * *best as f64 / score as f64;
    }
    let mean_relative = doc["summary"]["mean_relative_score"].as_f64().unwrap();
    assert!((mean_relative - relative_sum / 10.0).abs() < 1e-3);

    // Both runs are in the history, newest first.
    let o = ale(dir.path(), &["history", "tsp"]);
    assert_eq!(o.status.code(), Some(0));
    let history = stdout(&o);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 3, "{history}");
    assert!(
        lines[1].starts_with("    2 ") && lines[1].ends_with("tsp_identity.rs"),
        "{history}"
    );
    assert!(
        lines[2].starts_with("    1 ") && lines[2].ends_with("baseline.rs"),
        "{history}"
    );
}

#[test]
fn failing_cases_exit_one_and_compile_errors_are_ce() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = solution("garbage.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            garbage.to_str().unwrap(),
            "--seeds",
            "0..3",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for case in doc["cases"].as_array().unwrap() {
        assert_eq!(case["verdict"], "WA");
        assert_eq!(case["score"], Value::Null);
        assert_eq!(case["relative_score"], 0.0);
        assert!(case["message"]
            .as_str()
            .unwrap()
            .contains("`hello` is not a city index"));
    }
    assert_eq!(doc["summary"]["accepted"], 0);
    assert_eq!(doc["summary"]["mean_score"], Value::Null);

    // With --out, the end of stderr is kept beside the output.
    let exit3 = solution("exit3.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            exit3.to_str().unwrap(),
            "--seeds",
            "0..1",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/0000.stderr")).unwrap(),
        "giving up\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/0000.txt")).unwrap(),
        ""
    );

    let broken = solution("compile_error.rs");
    let o = ale(
        dir.path(),
        &["run", "tsp", broken.to_str().unwrap(), "--seeds", "0..2"],
    );
    assert_eq!(o.status.code(), Some(1));
    let table = stdout(&o);
    assert!(table.contains("compile error:"), "{table}");
    assert!(table.contains("mismatched types"), "{table}");
    assert_eq!(table.matches(" CE ").count(), 2, "{table}");
}

#[test]
fn run_on_an_inputs_folder_and_a_built_executable() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &["gen", "tsp", "--seeds", "5..8", "--out", "in"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<_> = {
        let mut v: Vec<_> = std::fs::read_dir(dir.path().join("in"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names, ["0005.txt", "0006.txt", "0007.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/0006.txt")).unwrap(),
        scorers::tsp::Tsp.generate(6)
    );
    let exe = common::compiled("tsp_identity.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            exe.to_str().unwrap(),
            "--inputs",
            "in",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let seeds: Vec<_> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seed"].as_u64().unwrap())
        .collect();
    assert_eq!(seeds, [5, 6, 7]);

    // A bad input file is named, and nothing runs.
    std::fs::write(dir.path().join("in/0009.txt"), "3\n1 2\n").unwrap();
    let o = ale(
        dir.path(),
        &["run", "tsp", exe.to_str().unwrap(), "--inputs", "in"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("in/0009.txt: not a valid tsp input: expected x of city 1 but the text ends (after line 2)"), "{e}");
}

#[test]
fn score_prints_the_score_or_the_wrong_answer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.txt"), "4\n0 0\n0 10\n10 10\n10 0\n").unwrap();
    std::fs::write(dir.path().join("good.txt"), "0\n2\n1\n3\n").unwrap();
    std::fs::write(dir.path().join("bad.txt"), "0\n2\n2\n3\n").unwrap();
    let o = ale(dir.path(), &["score", "tsp", "in.txt", "good.txt"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "Score = 48\n");
    let o = ale(dir.path(), &["score", "tsp", "in.txt", "bad.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "wrong answer: line 3: city 2 is visited twice (first on line 2); the tour must be a permutation\n"
    );
}

#[test]
fn usage_errors_exit_two_and_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(dir.path(), &["run", "nope", "x.rs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(
        "unknown problem `nope`; known problems: courier, jobshop, lamps, packing, prospect, qap, tsp"
    ));
    let o = ale(dir.path(), &["run", "tsp", "missing.rs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.rs: no such solution file"));
    let o = ale(dir.path(), &["run", "tsp", "missing.rs", "--seeds", "9..3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`9..3` is not a set of seeds"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_problems_folder_adds_and_overrides_problems() {
    let dir = tempfile::tempdir().unwrap();
    let tsp = std::fs::read_to_string(repo("problems/tsp/problem.toml")).unwrap();
    common::problem_folder(
        &dir.path().join("mine"),
        "tsp",
        &tsp.replace("time_limit_ms = 2000", "time_limit_ms = 300"),
    );
    let o = ale(dir.path(), &["--problems-dir", "mine", "problems"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listing = stdout(&o);
    let line = listing.lines().find(|l| l.starts_with("tsp ")).unwrap();
    assert!(line.contains(" 300 "), "{listing}");
    assert!(
        listing.lines().any(|l| l.starts_with("prospect ")),
        "{listing}"
    );

    // ./problems is read by default; a malformed file there is named with its line.
    let bad = dir.path().join("problems/odd");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("problem.toml"),
        tsp.replace("id = \"tsp\"", "id = \"odd\"\nspeed = 3"),
    )
    .unwrap();
    let o = ale(dir.path(), &["problems"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("problems/odd/problem.toml: line 3, column 1: unknown field `speed`"),
        "{e}"
    );
}

#[test]
fn the_interactive_problem_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = repo("solvers/prospect/baseline.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "prospect",
            baseline.to_str().unwrap(),
            "--seeds",
            "0..4",
            "--json",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC");
        // The kept output is what the solution wrote; replayed, it gives the same score.
        let input = scorers::prospect::Prospect.generate(seed as u64);
        std::fs::write(dir.path().join("in.txt"), &input).unwrap();
        let name = format!("out/{seed:04}.txt");
        let o2 = ale(dir.path(), &["score", "prospect", "in.txt", &name]);
        assert_eq!(stdout(&o2), format!("Score = {}\n", case["score"]));
        let transcript =
            std::fs::read_to_string(dir.path().join(format!("out/{seed:04}.transcript"))).unwrap();
        let first = transcript.lines().next().unwrap();
        assert_eq!(
            Some(first),
            input.lines().next().map(|l| format!("< {l}")).as_deref()
        );
        assert!(
            transcript.lines().last().unwrap().starts_with("> ! "),
            "{transcript}"
        );
        // The transcript scores like the output it contains.
        let kept = format!("out/{seed:04}.transcript");
        let o3 = ale(dir.path(), &["score", "prospect", "in.txt", &kept]);
        assert_eq!(stdout(&o3), format!("Score = {}\n", case["score"]));
        let score = case["score"].as_i64().unwrap();
        assert!(score > 0 && score <= 1_000_000, "{score}");
    }
}

#[test]
fn outputs_never_overwrite_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &["gen", "tsp", "--seeds", "0..2", "--out", "in"],
    );
    assert_eq!(o.status.code(), Some(0));
    let before = std::fs::read_to_string(dir.path().join("in/0000.txt")).unwrap();
    let baseline = repo("solvers/tsp/baseline.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            baseline.to_str().unwrap(),
            "--inputs",
            "in",
            "--out",
            "./in/",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is the --inputs folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/0000.txt")).unwrap(),
        before
    );
}

#[test]
fn ctrl_c_keeps_the_finished_cases_and_marks_the_run_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    // A quick tsp: 300 ms, killed at 450 ms, so each case of a sleeper takes ~0.45 s.
    let tsp = std::fs::read_to_string(repo("problems/tsp/problem.toml")).unwrap();
    common::problem_folder(
        &dir.path().join("problems"),
        "tsp",
        &tsp.replace("time_limit_ms = 2000", "time_limit_ms = 300"),
    );
    let sleeper = solution("sleep_forever.rs");
    let child = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args([
            "run",
            "tsp",
            sleeper.to_str().unwrap(),
            "--seeds",
            "0..40",
            "-j",
            "2",
            "--json",
        ])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once two cases are stored, whatever the machine's speed.
    common::wait_for_store(dir.path(), "two cases", |s| {
        s.case_scores(1).is_ok_and(|c| c.len() >= 2)
    });
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cases ran; the run is stored as interrupted"),
        "{}",
        stderr(&o)
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["interrupted"], true);
    let ran = doc["cases"].as_array().unwrap().len();
    assert!((2..40).contains(&ran), "{ran} cases ran");
    for case in doc["cases"].as_array().unwrap() {
        assert_eq!(case["verdict"], "TLE");
    }
    let o = ale(dir.path(), &["history", "tsp"]);
    let history = stdout(&o);
    let line = history.lines().nth(1).unwrap();
    assert!(line.contains("interrupted"), "{history}");
    assert!(line.contains(&format!("  {ran}  ")), "{history}");
}

#[test]
fn vis_draws_the_solution_and_prints_the_score() {
    let dir = tempfile::tempdir().unwrap();
    // The corners of the map, crossed: two sides of 10^6 and two diagonals of 1414214.
    std::fs::write(
        dir.path().join("in.txt"),
        "4\n0 0\n0 1000000\n1000000 1000000\n1000000 0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("out.txt"), "0\n2\n1\n3\n").unwrap();
    let o = ale(
        dir.path(),
        &["vis", "tsp", "in.txt", "out.txt", "-o", "tour.svg"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Score = 4828428\n");
    let svg = std::fs::read_to_string(dir.path().join("tour.svg")).unwrap();
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.contains("N = 4, tour length = 4828428"), "{svg}");
    // One closed path through the four cities, in the output's order (y grows upwards).
    assert!(
        svg.contains(r#"d="M20.0,850.0 L820.0,50.0 L20.0,50.0 L820.0,850.0 Z""#),
        "{svg}"
    );
    assert_eq!(svg.matches("<circle").count(), 4);

    // A wrong answer is drawn too, with its reason, and exits 1.
    std::fs::write(dir.path().join("bad.txt"), "0\n0\n1\n3\n").unwrap();
    let o = ale(
        dir.path(),
        &["vis", "tsp", "in.txt", "bad.txt", "-o", "bad.svg"],
    );
    assert_eq!(o.status.code(), Some(1));
    let svg = std::fs::read_to_string(dir.path().join("bad.svg")).unwrap();
    assert!(
        svg.contains("wrong answer: line 2: city 0 is visited twice"),
        "{svg}"
    );

    // Interactive: drawn from the lines the solution wrote.
    std::fs::write(dir.path().join("p.txt"), scorers::prospect::example_input()).unwrap();
    std::fs::write(dir.path().join("p.out"), "? 0 5\n? 0 5\n? 3 3\n! 9 6 0 5\n").unwrap();
    let o = ale(
        dir.path(),
        &["vis", "prospect", "p.txt", "p.out", "-o", "p.svg"],
    );
    assert_eq!(stdout(&o), "Score = 528796\n", "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("p.svg")).unwrap();
    assert_eq!(svg.matches("<circle").count(), 2, "two probed cells");
    assert_eq!(
        svg.matches(r#"stroke="black" stroke-width="3""#).count(),
        2,
        "two drilled cells"
    );
    assert!(svg.contains("probes 3 of Q = 3"), "{svg}");
}

#[test]
fn without_bubblewrap_each_command_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = repo("solvers/tsp/baseline.rs");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ale"))
            .args(extra)
            .args(["run", "tsp", baseline.to_str().unwrap(), "--seeds", "0..4"])
            .current_dir(dir.path())
            .env("ALE_HOME", dir.path().join(".ale"))
            .env("ALE_BWRAP", "/nonexistent/bwrap")
            .env_remove("ALE_REQUIRE_SANDBOX")
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let warnings: Vec<String> = stderr(&o)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(String::from)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning: solutions run with resource limits only, not boxed: /nonexistent/bwrap cannot be started"),
        "{warnings:?}"
    );
    // Turned off on purpose: no warning.
    let o = run(&["--no-sandbox"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("warning:"), "{}", stderr(&o));
    // ale doctor tells why.
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .arg("doctor")
        .env("ALE_BWRAP", "/nonexistent/bwrap")
        .env("ALE_REQUIRE_SANDBOX", "1")
        .output()
        .unwrap();
    let report = stdout(&o);
    assert!(
        report.starts_with("sandbox          off  /nonexistent/bwrap cannot be started"),
        "{report}"
    );
    assert!(report.contains("\nlimits           on "), "{report}");
    assert!(report.contains("\nmeasurement      "), "{report}");
}

#[test]
fn a_required_box_that_is_missing_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = repo("solvers/tsp/baseline.rs");
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["run", "tsp", baseline.to_str().unwrap(), "--seeds", "0..2"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .env("ALE_BWRAP", "/nonexistent/bwrap")
        .env("ALE_REQUIRE_SANDBOX", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "ALE_REQUIRE_SANDBOX=1 and there is no box: /nonexistent/bwrap cannot be started"
        ),
        "{}",
        stderr(&o)
    );
    // Nothing ran: the store has no run.
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["history", "tsp"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .output()
        .unwrap();
    assert!(!stdout(&o).contains("baseline.rs"), "{}", stdout(&o));
}

#[test]
fn params_lists_a_solvers_constants_and_a_rewritten_solver_still_builds() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &["params", repo("solvers/tsp/ils.rs").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listing = stdout(&o);
    let rows: Vec<&str> = listing.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{listing}");
    assert!(
        rows[0].starts_with("NEIGHBOURS") && rows[0].contains(" int ") && rows[0].contains("4..16"),
        "{listing}"
    );
    assert!(rows[1].contains("log 8..1000"), "{listing}");

    // A candidate is the source with other literals; it compiles and runs.
    let source = std::fs::read_to_string(repo("solvers/lamps/anneal.rs")).unwrap();
    let params = ale::tune::params::find(&source).unwrap();
    let candidate = ale::tune::params::rewrite(
        &source,
        &params,
        &[("T0", "7".into()), ("NEAR_MOVES", "40".into())],
    )
    .unwrap();
    assert!(
        candidate.contains("const T0: f64 = 7.0;")
            && candidate.contains("const NEAR_MOVES: u32 = 40;")
    );
    let file = dir.path().join("candidate.rs");
    std::fs::write(&file, candidate).unwrap();
    let prepared = ale::judge::prepare(&file, &dir.path().join("build")).unwrap();
    assert!(
        prepared.compile_error.is_none(),
        "{:?}",
        prepared.compile_error
    );

    // A bad annotation is named with its line, exit 2.
    std::fs::write(
        dir.path().join("bad.rs"),
        "const A: u32 = 3; // ale:param 9..1\nfn main() {}\n",
    )
    .unwrap();
    let o = ale(dir.path(), &["params", "bad.rs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.rs: line 1: the range 9..1 is empty"),
        "{}",
        stderr(&o)
    );
}
