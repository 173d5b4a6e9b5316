//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod loopback;

use std::path::{Path, PathBuf};

/// A fixture solution under tests/solutions/.
pub fn solution(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/solutions")
        .join(name)
}

/// A file of the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A build cache shared by the tests of one binary, so fixtures compile once.
pub fn build_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ale-test-build");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compiles a fixture and returns its executable.
pub fn compiled(name: &str) -> PathBuf {
    let prepared = ale::judge::prepare(&solution(name), &build_dir()).unwrap();
    assert!(
        prepared.compile_error.is_none(),
        "{name}: {:?}",
        prepared.compile_error
    );
    prepared.exe
}

/// Whether a process is gone (or a zombie waiting for a reaper that is not us).
pub fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| {
                rest.trim_start().starts_with('Z') || rest.trim_start().starts_with('X')
            })
            .unwrap_or(false),
    }
}

/// Writes `<dir>/<id>/problem.toml` (and a statement) for a problems folder.
pub fn problem_folder(dir: &Path, id: &str, toml: &str) {
    let folder = dir.join(id);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("problem.toml"), toml).unwrap();
    std::fs::write(folder.join("statement.md"), format!("# {id}\n")).unwrap();
}

/// Runs the `ale` binary in `dir`, with its home (store, build cache) there and
/// no problems folder from the environment.
pub fn ale(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(args)
        .current_dir(dir)
        .env("ALE_HOME", dir.join(".ale"))
        .env_remove("ALE_PROBLEMS")
        .env_remove("ALE_SERVE_URL")
        .output()
        .expect("ale starts")
}

/// Asserts that `ale` exited 0, showing its stderr when it did not.
pub fn assert_ok(o: &std::process::Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Starts the `ale` binary in `dir` like [`ale`], in the background, with its
/// stdout piped and its stderr dropped.
pub fn spawn_ale(dir: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(args)
        .current_dir(dir)
        .env("ALE_HOME", dir.join(".ale"))
        .env_remove("ALE_PROBLEMS")
        .env_remove("ALE_SERVE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ale starts")
}

/// Waits, up to two minutes, until `ready` holds of the store in `dir`
/// (written to by a running `ale`); `what` names it if it never does.
pub fn wait_for_store(dir: &Path, what: &str, ready: impl Fn(&ale::store::Store) -> bool) {
    let db = dir.join(".ale/ale.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        assert!(std::time::Instant::now() < deadline, "never saw {what}");
        if ale::store::Store::open(&db).is_ok_and(|s| ready(&s)) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A copy of tests/fixtures/<fixture> in `dir` (without any `target`), as a
/// contestant would unpack it.
pub fn unpack_fixture(dir: &Path, fixture: &str) -> PathBuf {
    let to = dir.join(fixture);
    let from = repo(&format!("tests/fixtures/{fixture}"));
    for entry in walk(&from) {
        let target = to.join(entry.strip_prefix(&from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
    to
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().unwrap() != "target" {
                files.extend(walk(&p));
            }
        } else {
            files.push(p);
        }
    }
    files
}

/// A problem `id` scored as `packing`, with two public and three private
/// seeds, `extra` appended to its problem.toml, and `solver` as its one
/// starting solver.
pub fn bench_problem(dir: &Path, id: &str, extra: &str, solver: &str) {
    let toml = format!(
        "id = \"{id}\"\ntitle = \"{id}\"\nobjective = \"max\"\ntime_limit_ms = 2000\nmemory_limit_mb = 1024\ninteractive = false\npublic_seeds = \"0..2\"\nprivate_seeds = \"1000..1003\"\n\n[scorer]\nbuiltin = \"packing\"\n{extra}"
    );
    problem_folder(&dir.join("set"), id, &toml);
    let solvers = dir.join("solvers").join(id);
    std::fs::create_dir_all(&solvers).unwrap();
    std::fs::write(solvers.join("baseline.rs"), solver).unwrap();
}

/// A Rust solver that sleeps `ms` milliseconds before its work.
pub fn slowed(source: &str, ms: u64) -> String {
    source.replace(
        "fn main() {",
        &format!("fn main() {{\n    std::thread::sleep(std::time::Duration::from_millis({ms}));"),
    )
}
