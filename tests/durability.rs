//! Load and durability: a soak of 2000 cases with more jobs than cores, and a
//! `kill -9` in the middle of a run.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn two_thousand_cases_with_more_jobs_than_cores() {
    let dir = tempfile::tempdir().unwrap();
    let exe = common::compiled("tsp_identity.rs");
    let jobs = (ale::runner::default_jobs() * 4).to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args([
            "run",
            "tsp",
            exe.to_str().unwrap(),
            "--seeds",
            "0..2000",
            "-j",
            &jobs,
            "--json",
        ])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["summary"]["cases"], 2000);
    assert_eq!(doc["summary"]["accepted"], 2000);
    let db = dir.path().join(".ale/ale.db");
    assert_eq!(count(&db, "SELECT count(*) FROM case_results"), 2000);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT case_index) FROM case_results"),
        2000
    );
    assert_eq!(count(&db, "SELECT count(*) FROM best_scores"), 2000);
}

/// Processes running `exe` right now.
fn running(exe: &Path) -> usize {
    let target = exe.as_os_str().as_encoded_bytes();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| c.split(|&b| b == 0).any(|arg| arg == target))
        })
        .count()
}

#[test]
fn kill_9_in_the_middle_of_a_run_loses_nothing_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let exe = common::compiled("slow_identity.rs");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args([
            "run",
            "tsp",
            exe.to_str().unwrap(),
            "--seeds",
            "0..400",
            "-j",
            "4",
        ])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let db = dir.path().join(".ale/ale.db");
    // Wait until some cases are stored, then kill it without warning.
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let stored = db.exists()
            && rusqlite::Connection::open(&db)
                .and_then(|c| {
                    c.query_row("SELECT count(*) FROM case_results", [], |r| {
                        r.get::<_, i64>(0)
                    })
                })
                .is_ok_and(|n| n >= 20);
        if stored || started.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // The store opens cleanly and holds each recorded case exactly once.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let recorded = count(&db, "SELECT count(*) FROM case_results");
    assert!((20..400).contains(&recorded), "{recorded} cases recorded");
    assert_eq!(
        count(&db, "SELECT count(DISTINCT case_index) FROM case_results"),
        recorded
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM case_results WHERE verdict = 'AC'"
        ),
        recorded
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM runs WHERE status = 'running'"),
        1
    );

    // Its solutions and spawn servers died with it.
    let mut left = running(&exe);
    for _ in 0..100 {
        if left == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        left = running(&exe);
    }
    assert_eq!(left, 0, "solutions outlived the killed ale");

    // History tells the stopped run from a running one.
    let history = common::ale(dir.path(), &["history", "tsp"]);
    let listing = String::from_utf8(history.stdout).unwrap();
    assert!(
        listing.lines().nth(1).unwrap().contains(" stopped "),
        "{listing}"
    );

    // And the next run works on the same store.
    let o = Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["run", "tsp", exe.to_str().unwrap(), "--seeds", "0..5"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM case_results"),
        recorded + 5
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM runs WHERE status = 'finished'"),
        1
    );
}
