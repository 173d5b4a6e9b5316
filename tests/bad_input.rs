//! Bad input to ale itself: each gives one clear error line naming the file,
//! line or setting, exit status 2, and loses nothing that was stored.

mod common;

use common::ale;

use common::{problem_folder, repo};
use std::process::{Command, Output};

/// The one error line of a failed command (a sandbox warning aside).
fn error_line(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8(o.stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    lines[0].to_string()
}

fn tsp_toml() -> String {
    std::fs::read_to_string(repo("problems/tsp/problem.toml")).unwrap()
}

#[test]
fn malformed_problem_files_are_named_with_line_and_key() {
    let cases: Vec<(String, &str)> = vec![
        (
            tsp_toml().replace("title = ", "title = \"unclosed\n#"),
            "problems/tsp/problem.toml: line 3",
        ),
        (
            tsp_toml().replace(
                "interactive = false",
                "interactive = false\nlanguage = \"rust\"",
            ),
            "unknown field `language`",
        ),
        (
            tsp_toml().replace("time_limit_ms = 2000", "time_limit_ms = \"fast\""),
            "line 5, column 17: invalid type: string \"fast\", expected u64",
        ),
        (
            tsp_toml().replace("\"1000..1200\"", "\"50..150\""),
            "line 9, key `private_seeds`: 50..150 overlaps public_seeds 0..100",
        ),
        (
            tsp_toml().replace("\"0..100\"", "\"5..5\""),
            "line 8, key `public_seeds`: `5..5` is not a set of seeds",
        ),
        (
            tsp_toml().replace("time_limit_ms = 2000", "time_limit_ms = 0"),
            "line 5, key `time_limit_ms`: must be positive",
        ),
        (
            tsp_toml().replace(
                "title = \"Travelling Salesman on a Million-Square Map\"\n",
                "",
            ),
            "missing field `title`",
        ),
    ];
    for (text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        problem_folder(&dir.path().join("problems"), "tsp", &text);
        let line = error_line(&ale(dir.path(), &["problems"]));
        assert!(line.contains("problems/tsp/problem.toml: "), "{line}");
        assert!(line.contains(expected), "expected `{expected}` in: {line}");
    }
}

#[test]
fn a_missing_statement_is_named() {
    let dir = tempfile::tempdir().unwrap();
    problem_folder(&dir.path().join("problems"), "tsp", &tsp_toml());
    std::fs::remove_file(dir.path().join("problems/tsp/statement.md")).unwrap();
    let line = error_line(&ale(dir.path(), &["problems"]));
    assert!(
        line.contains("problems/tsp/statement.md: No such file or directory"),
        "{line}"
    );
    assert!(line.contains("every problem needs its statement"), "{line}");
}

#[test]
fn bad_solutions_and_empty_input_folders() {
    let dir = tempfile::tempdir().unwrap();
    let line = error_line(&ale(dir.path(), &["run", "tsp", "nowhere.rs"]));
    assert_eq!(line, "error: nowhere.rs: no such solution file");
    std::fs::write(dir.path().join("main.go"), "package main").unwrap();
    let line = error_line(&ale(dir.path(), &["run", "tsp", "main.go"]));
    assert!(
        line.contains(
            "main.go: not a source ale knows (.rs, .cpp, .cc, .cxx, .py) and not executable"
        ),
        "{line}"
    );
    assert!(
        line.contains("add the language to <ALE_HOME>/languages.toml"),
        "{line}"
    );
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let baseline = repo("solvers/tsp/baseline.rs");
    let line = error_line(&ale(
        dir.path(),
        &[
            "run",
            "tsp",
            baseline.to_str().unwrap(),
            "--inputs",
            "empty",
        ],
    ));
    assert!(
        line.contains("empty: no *.txt input files; write some with `ale gen tsp"),
        "{line}"
    );
}

#[test]
fn a_corrupted_store_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".ale")).unwrap();
    let garbage = vec![0x42u8; 8192];
    std::fs::write(dir.path().join(".ale/ale.db"), &garbage).unwrap();
    let line = error_line(&ale(dir.path(), &["history", "tsp"]));
    assert!(line.contains(".ale/ale.db"), "{line}");
    assert!(
        line.contains("it is not an SQLite database: move it away"),
        "{line}"
    );
    assert_eq!(
        std::fs::read(dir.path().join(".ale/ale.db")).unwrap(),
        garbage
    );
}

#[test]
fn a_foreign_database_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada');")
        .unwrap();
    drop(conn);
    let line = error_line(&ale(dir.path(), &["--store", "other.db", "history", "tsp"]));
    assert!(
        line.contains("other.db: is a database of something else"),
        "{line}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(names, ["users"]);
}

#[test]
fn a_store_that_cannot_be_written_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // /proc refuses new files even to root.
    let line = error_line(&ale(
        dir.path(),
        &["--store", "/proc/ale-store/ale.db", "history", "tsp"],
    ));
    assert!(line.contains("/proc/ale-store"), "{line}");
}

#[test]
fn two_runs_write_one_store_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let exe = common::compiled("tsp_identity.rs");
    let start = |seeds: &str| {
        Command::new(env!("CARGO_BIN_EXE_ale"))
            .args([
                "run",
                "tsp",
                exe.to_str().unwrap(),
                "--seeds",
                seeds,
                "-j",
                "2",
                "--json",
            ])
            .current_dir(dir.path())
            .env("ALE_HOME", dir.path().join(".ale"))
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| start("0..30"));
        let b = s.spawn(|| start("0..30"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(
        b.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    let conn = rusqlite::Connection::open(dir.path().join(".ale/ale.db")).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        count("SELECT count(*) FROM runs WHERE status = 'finished'"),
        2
    );
    assert_eq!(count("SELECT count(*) FROM case_results"), 60);
    assert_eq!(
        count("SELECT count(DISTINCT input_hash) FROM best_scores"),
        30
    );
}
