//! Helpers shared by the integration tests.
#![allow(dead_code)]

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
        .output()
        .expect("ale starts")
}
