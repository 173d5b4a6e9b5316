//! Solutions in other languages, through the language table. A language whose
//! toolchain is missing here is skipped with a printed reason.

mod common;

use common::ale;

use common::solution;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn have(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipping: `{program}` is not installed here");
    }
    found
}

/// Whether crates.io answers here (the AtCoder crate set is downloaded on
/// first use); when it does not, the test that needs it says so and is skipped.
fn registry_reachable() -> bool {
    use std::net::ToSocketAddrs;
    let reachable = ("index.crates.io", 443)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|addr| {
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5)).is_ok()
        });
    if !reachable {
        eprintln!("skipping: crates.io is not reachable from here, and the AtCoder crate set is downloaded from it");
    }
    reachable
}

/// Runs a solution on three seeds and returns the JSON document.
fn run_three(dir: &Path, solution: &Path) -> Value {
    let o = ale(
        dir,
        &[
            "run",
            "tsp",
            solution.to_str().unwrap(),
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
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The identity tour's length, scored by the scorer itself.
fn identity_score(seed: u64) -> i64 {
    use scorers::Problem;
    let input = scorers::tsp::Tsp.generate(seed);
    let n: usize = input.lines().next().unwrap().parse().unwrap();
    let out: String = (0..n).map(|i| format!("{i}\n")).collect();
    scorers::tsp::Tsp.score(&input, &out).unwrap()
}

#[test]
fn cpp_solutions_compile_run_and_cache() {
    if !have("g++") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = run_three(dir.path(), &solution("tsp_identity.cpp"));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC");
        assert_eq!(case["score"], identity_score(seed as u64));
    }
    // One cache entry, a folder with the copied source and the program.
    let entries: Vec<_> = std::fs::read_dir(dir.path().join(".ale/build"))
        .unwrap()
        .collect();
    assert_eq!(entries.len(), 1);
    let entry = entries[0].as_ref().unwrap().path();
    assert!(entry.join("main").is_file() && entry.join("source.cpp").is_file());
    let o = ale(
        dir.path(),
        &[
            "run",
            "tsp",
            solution("compile_error.cpp").to_str().unwrap(),
            "--seeds",
            "0..1",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.contains("compile error:") && table.contains("undeclared_name"),
        "{table}"
    );
}

/// The precompiled-header folders in a build cache.
fn pch_folders(build: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(build)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("pch-"))
        .collect()
}

#[test]
fn bits_stdcpp_is_precompiled_once_and_a_failure_falls_back() {
    if !have("g++") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = run_three(dir.path(), &solution("tsp_identity_stdc.cpp"));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert_eq!(case["score"], identity_score(seed as u64));
    }
    let build = dir.path().join(".ale/build");
    let pch = pch_folders(&build);
    assert_eq!(pch.len(), 1);
    assert!(pch[0].join("bits/stdc++.h.gch").is_file());
    // A header that cannot be precompiled is noted once; solutions still build.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".ale")).unwrap();
    std::fs::write(
        dir.path().join(".ale/languages.toml"),
        r#"[[language]]
name = "cpp"
extensions = ["cpp"]
compile = ["g++", "-O2", "-o", "{exe}", "{source}"]
run = ["{exe}"]
[language.precompiled]
header = "bits/stdc++.h"
build = ["false", "{source}", "{exe}"]
flags = ["-I", "{dir}"]
"#,
    )
    .unwrap();
    let doc = run_three(dir.path(), &solution("tsp_identity_stdc.cpp"));
    assert_eq!(doc["cases"][2]["score"], identity_score(2));
    let pch = pch_folders(&dir.path().join(".ale/build"));
    assert_eq!(pch.len(), 1);
    assert!(pch[0].join("failed").is_file());
    assert!(!pch[0].join("bits/stdc++.h.gch").exists());
}

#[test]
fn python_solutions_run_from_source() {
    if !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = run_three(dir.path(), &solution("tsp_identity.py"));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert_eq!(case["score"], identity_score(seed as u64));
    }
}

#[test]
fn a_language_added_by_the_user_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".ale")).unwrap();
    std::fs::write(
        dir.path().join(".ale/languages.toml"),
        "[[language]]\nname = \"awk\"\nextensions = [\"awk\"]\nrun = [\"awk\", \"-f\", \"{source}\"]\n",
    )
    .unwrap();
    if !have("awk") {
        return;
    }
    std::fs::write(
        dir.path().join("identity.awk"),
        "NR == 1 { for (i = 0; i < $1; i++) print i }\n",
    )
    .unwrap();
    let doc = run_three(dir.path(), &dir.path().join("identity.awk"));
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert_eq!(case["score"], identity_score(seed as u64));
    }
}

#[test]
fn rust_with_the_atcoder_crates_builds_once_then_like_rustc() {
    if !registry_reachable() {
        return;
    }
    // A home shared by the runs of this test, so the crate set builds once per machine.
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("atcoder-home");
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_ale"))
            .args([
                "run",
                "tsp",
                solution("tsp_proconio.rs").to_str().unwrap(),
                "--seeds",
                "0..3",
                "--json",
            ])
            .current_dir(dir.path())
            .env("ALE_HOME", &home)
            .output()
            .unwrap()
    };
    let o = run();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert_eq!(case["score"], identity_score(seed as u64));
    }
    assert!(home.join("atcoder/Cargo.toml").is_file());
    // The project keeps no solution source; the build cache has the program.
    let bins: Vec<_> = std::fs::read_dir(home.join("atcoder/src/bin"))
        .unwrap()
        .collect();
    assert!(bins.is_empty());
    // A second run is a cache hit: no message about building the crates.
    let o = run();
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("building AtCoder"));
    // Boxed, a source of the crate set compiles seeing only the crates: the
    // host's /etc/passwd (which it could read unboxed) is not there.
    if ale::judge::sandbox::Sandbox::detect().bwrap().is_some() {
        let source = dir.path().join("passwd.rs");
        std::fs::write(
            &source,
            "use proconio::input;\nconst P: &[u8] = include_bytes!(\"/etc/passwd\");\nfn main() { input! { n: usize } println!(\"{}\", P.len() + n); }\n",
        )
        .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_ale"))
            .args([
                "run",
                "tsp",
                source.to_str().unwrap(),
                "--seeds",
                "0..1",
                "--json",
            ])
            .current_dir(dir.path())
            .env("ALE_HOME", &home)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        let case = &doc["cases"][0];
        assert_eq!(case["verdict"], "CE", "{case}");
        let message = case["message"].as_str().unwrap();
        assert!(message.contains("couldn't read `/etc/passwd`"), "{message}");
        assert!(!message.contains("root:x:0:0"), "{message}");
    }
}

#[test]
fn a_cargo_project_folder_is_built_with_cargo() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("solver");
    std::fs::create_dir_all(project.join("src")).unwrap();
    for file in ["Cargo.toml", "src/main.rs"] {
        std::fs::copy(
            common::repo(&format!("tests/fixtures/cargo-solution/{file}")),
            project.join(file),
        )
        .unwrap();
    }
    let doc = run_three(dir.path(), &project);
    for (seed, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(case["verdict"], "AC", "{:?}", case["message"]);
        assert_eq!(case["score"], identity_score(seed as u64));
    }
    // Unchanged: the cached program runs without a build.
    let built = project.join("target");
    std::fs::remove_dir_all(&built).unwrap();
    run_three(dir.path(), &project);
    assert!(!built.exists(), "a second run rebuilt the project");
    // A change of source is a new build.
    let main = project.join("src/main.rs");
    std::fs::write(
        &main,
        std::fs::read_to_string(&main).unwrap() + "\n// changed\n",
    )
    .unwrap();
    run_three(dir.path(), &project);
    assert!(built.exists());
}

#[test]
fn interpreted_languages_run_without_the_sandbox_too() {
    if !have("python3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &[
            "--no-sandbox",
            "run",
            "tsp",
            solution("tsp_identity.py").to_str().unwrap(),
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
    assert_eq!(doc["summary"]["accepted"], 2);
}
