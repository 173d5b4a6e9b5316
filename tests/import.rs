//! `ale import` and `ale run` on a contest-style tools folder
//! (tests/fixtures/tools-pick: gen, vis, shipped inputs).

mod common;

use common::ale;

use common::{repo, solution, unpack_fixture};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the fixture tools, as a contestant would unpack them.
fn unpack(dir: &Path) -> PathBuf {
    unpack_fixture(dir, "tools-pick")
}

#[test]
fn imported_tools_run_like_a_built_in_problem() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    let o = ale(
        dir.path(),
        &[
            "import",
            tools.to_str().unwrap(),
            "--id",
            "pick",
            "--objective",
            "max",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let toml = std::fs::read_to_string(dir.path().join("problems/pick/problem.toml")).unwrap();
    assert!(
        toml.contains("[tools]") && toml.contains("target/release/vis"),
        "{toml}"
    );
    let listing = String::from_utf8(ale(dir.path(), &["problems"]).stdout).unwrap();
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with("pick ") && l.contains(" max ")),
        "{listing}"
    );

    // Seeds 0..6: 0..3 come from the shipped in/ files, 3..6 from gen.
    let picker = solution("pick_max.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "pick",
            picker.to_str().unwrap(),
            "--seeds",
            "0..6",
            "--json",
            "--out",
            "out",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let g = ale(
        dir.path(),
        &["gen", "pick", "--seeds", "0..6", "--out", "inputs"],
    );
    assert_eq!(g.status.code(), Some(0));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        let input =
            std::fs::read_to_string(dir.path().join(format!("inputs/{seed:04}.txt"))).unwrap();
        let best = input
            .split_whitespace()
            .skip(1)
            .map(|t| t.parse::<i64>().unwrap())
            .max()
            .unwrap();
        assert_eq!(case["score"], best, "seed {seed}");
    }
    // The shipped 0002.txt (not what gen makes of seed 2) was used.
    assert_eq!(doc["cases"][2]["score"], 999);

    // A wrong output: the tool's reason, verdict WA.
    let garbage = solution("garbage.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "pick",
            garbage.to_str().unwrap(),
            "--seeds",
            "0..1",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["cases"][0]["verdict"], "WA");
    assert_eq!(doc["cases"][0]["message"], "`hello world` is not an index");
    let o = ale(
        dir.path(),
        &["score", "pick", "inputs/0000.txt", "out/0000.txt"],
    );
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!("Score = {}\n", best_of(dir.path(), 0))
    );
}

fn best_of(dir: &Path, seed: u64) -> i64 {
    let input = std::fs::read_to_string(dir.join(format!("inputs/{seed:04}.txt"))).unwrap();
    input
        .split_whitespace()
        .skip(1)
        .map(|t| t.parse::<i64>().unwrap())
        .max()
        .unwrap()
}

#[test]
fn a_scorer_without_a_score_line_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    let o = ale(
        dir.path(),
        &["import", tools.to_str().unwrap(), "--id", "pick"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    replace_line(
        &dir.path().join("problems/pick/problem.toml"),
        "score = ",
        "score = [\"sh\", \"-c\", \"echo thinking hard\"]",
    );
    let picker = solution("pick_max.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "pick",
            picker.to_str().unwrap(),
            "--seeds",
            "0..1",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["cases"][0]["verdict"], "IE");
    let message = doc["cases"][0]["message"].as_str().unwrap();
    assert!(
        message
            .starts_with("the scorer failed: the scorer printed no line matching `Score = (\\d+)`"),
        "{message}"
    );
    assert!(message.ends_with("thinking hard"), "{message}");
}

#[test]
fn tools_that_do_not_build_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    std::fs::write(
        tools.join("src/bin/vis.rs"),
        "fn main() { this does not compile }",
    )
    .unwrap();
    let o = ale(
        dir.path(),
        &["import", tools.to_str().unwrap(), "--id", "pick"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(e.contains("cargo build --release failed"), "{e}");
    assert!(!dir.path().join("problems/pick").exists());
}

/// Queries bisection needs to find `secret` in 1..=1000, as guess_bisect.rs asks them.
fn bisection_queries(secret: i64) -> i64 {
    let (mut lo, mut hi, mut asked) = (1, 1000, 0);
    loop {
        let mid = (lo + hi) / 2;
        asked += 1;
        if mid == secret {
            return asked;
        }
        if mid < secret {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
}

#[test]
fn an_interactive_problem_runs_through_its_tester_and_times_the_solution_alone() {
    for old_style in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let tools = unpack_fixture(dir.path(), "tools-guess");
        let mut args = vec!["import", tools.to_str().unwrap(), "--id", "guess"];
        if old_style {
            args.push("--tester-input-argument");
        }
        let o = ale(dir.path(), &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let toml = std::fs::read_to_string(dir.path().join("problems/guess/problem.toml")).unwrap();
        assert!(
            toml.contains("interactive = true") && toml.contains("tester = ["),
            "{toml}"
        );

        let bisect = solution("guess_bisect.rs");
        let o = ale(
            dir.path(),
            &[
                "run",
                "guess",
                bisect.to_str().unwrap(),
                "--seeds",
                "0..4",
                "--json",
                "--out",
                "out",
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        let g = ale(
            dir.path(),
            &["gen", "guess", "--seeds", "0..4", "--out", "inputs"],
        );
        assert_eq!(g.status.code(), Some(0));
        for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
            assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
            let input =
                std::fs::read_to_string(dir.path().join(format!("inputs/{seed:04}.txt"))).unwrap();
            let secret: i64 = input.split_whitespace().nth(1).unwrap().parse().unwrap();
            assert_eq!(
                case["score"],
                1000 - 10 * (bisection_queries(secret) - 1),
                "seed {seed}"
            );
            // The solution's own peak memory, not the tester's or ale's.
            let memory = case["memory_kb"].as_u64().unwrap();
            assert!(memory > 0 && memory < 16 * 1024, "{memory}");
            // What the solution said is kept, and vis scores it the same.
            let kept = format!("out/{seed:04}.txt");
            let said = std::fs::read_to_string(dir.path().join(&kept)).unwrap();
            assert!(said.starts_with("? 500\n"), "{said}");
            let path = format!("inputs/{seed:04}.txt");
            let s = ale(dir.path(), &["score", "guess", &path, &kept]);
            assert_eq!(
                String::from_utf8(s.stdout).unwrap(),
                format!("Score = {}\n", case["score"])
            );
        }

        // A solution that fails: the tester prints no score; the verdict is the solution's RE.
        let failing = solution("exit3.rs");
        let o = ale(
            dir.path(),
            &[
                "run",
                "guess",
                failing.to_str().unwrap(),
                "--seeds",
                "0..1",
                "--json",
            ],
        );
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["cases"][0]["verdict"], "RE");
        assert!(doc["cases"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("exit status 3"));
    }
}

const PAHCER_BATCH: &str = r#"[general]
version = "0.2.0"

[problem]
problem_name = "pick"
objective = "Max"
score_regex = '(?m)^\s*Score\s*=\s*(?P<score>\d+)\s*$'

[test]
start_seed = 0
end_seed = 3
threads = 0
out_dir = "./pahcer"

[[test.compile_steps]]
program = "cargo"
args = ["build", "--release"]

[[test.test_steps]]
program = "./main"
args = []
stdin = "./tools/in/{SEED04}.txt"
stdout = "./tools/out/{SEED04}.txt"
stderr = "./tools/err/{SEED04}.txt"
measure_time = true

[[test.test_steps]]
program = "cargo"
args = ["run", "--bin", "vis", "--release", "./in/{SEED04}.txt", "./out/{SEED04}.txt"]
current_dir = "./tools"
"#;

const PAHCER_INTERACTIVE: &str = r#"[general]
version = "0.2.0"

[problem]
problem_name = "guess"
objective = "Max"
score_regex = '(?m)^\s*Score\s*=\s*(?P<score>\d+)\s*$'

[test]
start_seed = 0
end_seed = 4

[[test.test_steps]]
program = "./tools/target/release/tester"
args = ["./main"]
stdin = "./tools/in/{SEED04}.txt"
stdout = "./tools/out/{SEED04}.txt"
stderr = "./tools/err/{SEED04}.txt"
measure_time = true
"#;

#[test]
fn a_pahcer_setup_runs_under_ale() {
    // Batch: inputs from tools/in, scores from `cargo run --bin vis`.
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack_fixture(dir.path(), "tools-pick");
    std::fs::rename(&tools, dir.path().join("tools")).unwrap();
    std::fs::write(dir.path().join("pahcer_config.toml"), PAHCER_BATCH).unwrap();
    let o = ale(dir.path(), &["import-pahcer"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let toml = std::fs::read_to_string(dir.path().join("problems/pick/problem.toml")).unwrap();
    assert!(
        toml.contains("public_seeds = \"0..3\"") && toml.contains("objective = \"max\""),
        "{toml}"
    );
    assert!(
        toml.contains("tools/target/release/vis\", \"{input}\", \"{output}\""),
        "{toml}"
    );
    let picker = solution("pick_max.rs");
    let o = ale(
        dir.path(),
        &["run", "pick", picker.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["cases"].as_array().unwrap().len(), 3);
    assert_eq!(doc["cases"][2]["score"], 999);

    // Interactive: the tester step becomes ale's tester, the solution its last argument.
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack_fixture(dir.path(), "tools-guess");
    std::fs::rename(&tools, dir.path().join("tools")).unwrap();
    let built = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(dir.path().join("tools"))
        .status()
        .unwrap();
    assert!(built.success());
    std::fs::write(dir.path().join("pahcer_config.toml"), PAHCER_INTERACTIVE).unwrap();
    let o = ale(dir.path(), &["import-pahcer", "pahcer_config.toml"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bisect = solution("guess_bisect.rs");
    let o = ale(
        dir.path(),
        &["run", "guess", bisect.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert!(case["score"].as_i64().unwrap() >= 900, "{case}");
    }
}

#[test]
fn a_tester_that_prints_no_score_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    // A tester that runs the solution to the end but never says a score.
    guess_with_tester(
        dir.path(),
        r#"tester = ["sh", "-c", "printf '1000\\n=\\n' | \"$@\" > /dev/null; echo done thinking >&2", "tester", "{solution}"]"#,
    );
    let bisect = solution("guess_bisect.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "guess",
            bisect.to_str().unwrap(),
            "--seeds",
            "0..1",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["cases"][0]["verdict"], "IE");
    let message = doc["cases"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("the tester printed no line matching"),
        "{message}"
    );
    assert!(message.contains("done thinking"), "{message}");
}

/// Imports the `guess` tools into `dir` with the problem's tester line
/// replaced by `tester_line`.
fn guess_with_tester(dir: &Path, tester_line: &str) {
    let tools = unpack_fixture(dir, "tools-guess");
    let o = ale(dir, &["import", tools.to_str().unwrap(), "--id", "guess"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    replace_line(
        &dir.join("problems/guess/problem.toml"),
        "tester = ",
        tester_line,
    );
}

/// Replaces the line of a file that starts with `prefix`.
fn replace_line(path: &Path, prefix: &str, line: &str) {
    let text: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with(prefix) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(path, text.join("\n")).unwrap();
}

#[test]
fn a_solution_cannot_write_the_testers_score_line() {
    let dir = tempfile::tempdir().unwrap();
    // A tester that runs the solution and says no score of its own: a score
    // line on its stderr could only be the solution's.
    guess_with_tester(
        dir.path(),
        r#"tester = ["sh", "-c", "printf '=\\n' | \"$@\" > /dev/null; echo done >&2", "tester", "{solution}"]"#,
    );
    let forger = solution("attack_score_stderr.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "guess",
            forger.to_str().unwrap(),
            "--seeds",
            "0..1",
            "--json",
        ],
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let case = &doc["cases"][0];
    assert_eq!(case["verdict"], "IE", "{case}");
    assert!(case["score"].is_null(), "{case}");
    assert!(
        case["message"]
            .as_str()
            .unwrap()
            .contains("the tester printed no line matching"),
        "{case}"
    );
}

/// `ale import` of `tools` into `dir` with `extra` arguments: its exit code,
/// its stderr and the problem.toml it wrote (empty if none).
fn import_as(dir: &Path, tools: &Path, id: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["import", tools.to_str().unwrap(), "--id", id];
    args.extend_from_slice(extra);
    let o = ale(dir, &args);
    let toml = std::fs::read_to_string(dir.join(format!("problems/{id}/problem.toml")))
        .unwrap_or_default();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        toml,
    )
}

/// Runs pick_max.rs on the seeds 0..3 of the imported `pick`, which are the
/// shipped in/ files: their scores.
fn pick_scores(dir: &Path) -> Vec<i64> {
    let picker = solution("pick_max.rs");
    let o = ale(
        dir,
        &[
            "run",
            "pick",
            picker.to_str().unwrap(),
            "--seeds",
            "0..3",
            "--json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["score"].as_i64().unwrap())
        .collect()
}

/// The best number of each shipped input of tools-pick.
fn shipped_bests() -> Vec<i64> {
    (0..3)
        .map(|seed| {
            let input = std::fs::read_to_string(repo(&format!(
                "tests/fixtures/tools-pick/in/{seed:04}.txt"
            )))
            .unwrap();
            input
                .split_whitespace()
                .skip(1)
                .map(|t| t.parse::<i64>().unwrap())
                .max()
                .unwrap()
        })
        .collect()
}

#[test]
fn a_tester_rs_outside_the_tools_bin_folder_leaves_the_problem_batch() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    // A contestant's own runner of many cases, beside the tools crate's sources.
    let runner = "// runs every case in parallel\nfn main() {}\n";
    std::fs::write(tools.join("tester.rs"), runner).unwrap();
    std::fs::create_dir_all(tools.join("scripts")).unwrap();
    std::fs::write(tools.join("scripts/tester.rs"), runner).unwrap();
    let (code, stderr, toml) = import_as(dir.path(), &tools, "pick", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "batch: the tools crate has no src/bin/tester.rs (override with --interactive)\n"
        ),
        "{stderr}"
    );
    assert!(toml.contains("interactive = false\n"), "{toml}");
    assert!(!toml.contains("tester ="), "{toml}");
    assert_eq!(pick_scores(dir.path()), shipped_bests());
}

#[test]
fn batch_overrides_a_tester_in_the_tools_bin_folder() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    std::fs::write(
        tools.join("src/bin/tester.rs"),
        "// runs every case in parallel\nfn main() {}\n",
    )
    .unwrap();
    // Guessed from the layout: the contest's tester would be there.
    let (code, stderr, toml) = import_as(dir.path(), &tools, "pick", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "interactive: the tools crate has src/bin/tester.rs (override with --batch)\n"
        ),
        "{stderr}"
    );
    assert!(toml.contains("interactive = true\n"), "{toml}");
    let (code, stderr, toml) = import_as(dir.path(), &tools, "pick", &["--batch"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("batch: as --batch says\n"), "{stderr}");
    assert!(
        toml.contains("interactive = false\n") && !toml.contains("tester ="),
        "{toml}"
    );
    assert_eq!(pick_scores(dir.path()), shipped_bests());
    // Both at once is a usage error.
    let (code, stderr, _) = import_as(dir.path(), &tools, "pick", &["--batch", "--interactive"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn interactive_overrides_the_guess_for_a_tester_built_from_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack_fixture(dir.path(), "tools-guess");
    // The same tester, built as `tester` from another file of the crate.
    std::fs::rename(tools.join("src/bin/tester.rs"), tools.join("src/judge.rs")).unwrap();
    let mut cargo = std::fs::read_to_string(tools.join("Cargo.toml")).unwrap();
    cargo += "\n[[bin]]\nname = \"tester\"\npath = \"src/judge.rs\"\n";
    std::fs::write(tools.join("Cargo.toml"), cargo).unwrap();
    let (code, stderr, toml) = import_as(dir.path(), &tools, "guess", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "batch: the tools crate has no src/bin/tester.rs (override with --interactive)\n"
        ),
        "{stderr}"
    );
    assert!(toml.contains("interactive = false\n"), "{toml}");
    let (code, stderr, toml) = import_as(dir.path(), &tools, "guess", &["--interactive"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("interactive: as --interactive says\n"),
        "{stderr}"
    );
    assert!(
        toml.contains("interactive = true\n")
            && toml.contains("target/release/tester\", \"{solution}\"]"),
        "{toml}"
    );
    // Judged through the tester: the bisection's score on each seed.
    let bisect = solution("guess_bisect.rs");
    let o = ale(
        dir.path(),
        &[
            "run",
            "guess",
            bisect.to_str().unwrap(),
            "--seeds",
            "0..2",
            "--json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let g = ale(
        dir.path(),
        &["gen", "guess", "--seeds", "0..2", "--out", "inputs"],
    );
    assert_eq!(g.status.code(), Some(0));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let input =
            std::fs::read_to_string(dir.path().join(format!("inputs/{seed:04}.txt"))).unwrap();
        let secret: i64 = input.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert_eq!(
            case["score"],
            1000 - 10 * (bisection_queries(secret) - 1),
            "seed {seed}"
        );
    }
}

#[test]
fn interactive_without_a_tester_says_the_tools_built_none() {
    let dir = tempfile::tempdir().unwrap();
    let tools = unpack(dir.path());
    let (code, stderr, toml) = import_as(dir.path(), &tools, "pick", &["--interactive"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the tools built no `tester`") && stderr.contains("--batch"),
        "{stderr}"
    );
    assert!(toml.is_empty(), "{toml}");
}

/// The ALE-Bench-style package of tests/fixtures/ale-bench-pick, with the
/// tools-pick crate as its tools/ (inputs and all: the import must not use
/// them), and `edit` applied to its data.json.
fn package(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    package_with(dir, "tools-pick", edit)
}

/// The package with the tools crate of fixture `tools`.
fn package_with(dir: &Path, tools: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let folder = unpack_fixture(dir, "ale-bench-pick");
    let tools = unpack_fixture(dir, tools);
    std::fs::rename(&tools, folder.join("tools")).unwrap();
    let data = folder.join("data.json");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, edit(text)).unwrap();
    folder
}

#[test]
fn an_ale_bench_package_becomes_a_problem_ranked_in_its_standings() {
    let dir = tempfile::tempdir().unwrap();
    let folder = package(dir.path(), |t| t);
    let o = ale(dir.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("batch: as metadata.problem_type"));
    let toml = std::fs::read_to_string(dir.path().join("problems/pick001/problem.toml")).unwrap();
    assert!(toml.contains("public_seeds = [0, 1, 2, 5, 8]"), "{toml}");
    assert!(toml.contains("private_seeds = [11, 23, 42, 97]"), "{toml}");
    assert!(toml.contains("title = \"Pick the Largest\"") && toml.contains("time_limit_ms = 2000"));
    assert!(
        !toml.contains("inputs ="),
        "a package's inputs come from its seeds: {toml}"
    );
    let statement =
        std::fs::read_to_string(dir.path().join("problems/pick001/statement.md")).unwrap();
    assert!(statement.starts_with("# Pick the Largest"));
    // The public seeds are the listed ones, generated by the tools.
    let pick = solution("pick_max.rs");
    let o = ale(
        dir.path(),
        &["run", "pick001", pick.to_str().unwrap(), "--json"],
    );
    let run: Value = serde_json::from_slice(&o.stdout).unwrap();
    let seeds: Vec<u64> = run["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seed"].as_u64().unwrap())
        .collect();
    assert_eq!(seeds, [0, 1, 2, 5, 8]);
    // Any positive total is second of three (the first has 10^9): performance 1200.
    let o = ale(
        dir.path(),
        &["submit", "pick001", pick.to_str().unwrap(), "--json"],
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["private"]["cases"], 4, "{report}");
    assert_eq!(
        (
            &report["rank"],
            &report["performance"],
            &report["contestants"]
        ),
        (&2.into(), &1200.into(), &3.into()),
        "{report}"
    );
    // --lite: the lite seeds and standings (the first has 5: ours is ahead).
    let o = ale(
        dir.path(),
        &[
            "import",
            folder.to_str().unwrap(),
            "--lite",
            "--id",
            "pick-lite",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = ale(
        dir.path(),
        &["submit", "pick-lite", pick.to_str().unwrap(), "--json"],
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["private"]["cases"], 2, "{report}");
    assert_eq!(
        (&report["rank"], &report["performance"]),
        (&1.into(), &2800.into()),
        "{report}"
    );
}

#[test]
fn a_relative_score_package_ranks_among_the_contestants_results() {
    let dir = tempfile::tempdir().unwrap();
    let folder = package(dir.path(), |t| {
        t.replace(
            "\"score_type\": \"maximize\"",
            "\"score_type\": \"maximize\",\n    \"relative_score_type\": \"max\",\n    \"relative_max_score\": 1000",
        )
    });
    let o = ale(
        dir.path(),
        &["import", folder.to_str().unwrap(), "--id", "pickrel"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // One contestant with 1 on every case, one rejected on every case: ours
    // is the best on each, first of two.
    let pick = solution("pick_max.rs");
    let o = ale(
        dir.path(),
        &["submit", "pickrel", pick.to_str().unwrap(), "--json"],
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            &report["rank"],
            &report["performance"],
            &report["contestants"]
        ),
        (&1.into(), &2800.into(), &2.into()),
        "{report}"
    );
}

#[test]
fn a_package_that_is_almost_right_is_refused_with_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let folder = package(dir.path(), |t| t.replace("[0, 1, 2, 5, 8]", "[0, \"one\"]"));
    let o = ale(dir.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("data.json") && stderr.contains("line"),
        "{stderr}"
    );
    let folder = package(&dir.path().join("b"), |t| t);
    std::fs::remove_file(folder.join("statement_en.md")).unwrap();
    let o = ale(dir.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("no statement_en.md"), "{stderr}");
    let folder = package(&dir.path().join("d"), |t| {
        t.replace(
            "\"score_type\": \"maximize\"",
            "\"score_type\": \"maximize\", \"relative_score_type\": \"max\", \"relative_max_score\": 1000",
        )
    });
    std::fs::write(
        folder.join("relative_results.csv"),
        "private_0,private_2,private_1,private_3\n1,1,1,1\n",
    )
    .unwrap();
    let o = ale(dir.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("relative_results.csv: line 1, column 2"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("problems/pick001").exists(),
        "nothing written"
    );
    let folder = package(&dir.path().join("c"), |t| {
        t.replace("\"batch\"", "\"duel\"")
    });
    let o = ale(dir.path(), &["import", folder.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("`batch` or `reactive`"), "{stderr}");
}

#[test]
fn a_reactive_package_is_judged_through_its_tester_and_ranked() {
    let dir = tempfile::tempdir().unwrap();
    let folder = package_with(dir.path(), "tools-guess", |t| {
        t.replace("\"batch\"", "\"reactive\"")
    });
    let o = ale(
        dir.path(),
        &["import", folder.to_str().unwrap(), "--id", "guess"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("reactive: as metadata.problem_type"));
    let toml = std::fs::read_to_string(dir.path().join("problems/guess/problem.toml")).unwrap();
    assert!(
        toml.contains("interactive = true") && toml.contains("tester = ["),
        "{toml}"
    );
    let bisect = solution("guess_bisect.rs");
    let o = ale(
        dir.path(),
        &["submit", "guess", bisect.to_str().unwrap(), "--json"],
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["private"]["accepted"], 4, "{report}");
    assert_eq!(
        (
            &report["rank"],
            &report["performance"],
            &report["contestants"]
        ),
        (&2.into(), &1200.into(), &3.into()),
        "{report}"
    );
}
