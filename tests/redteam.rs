//! Red team: solutions that attack the box from inside (tests/solutions/attack_*),
//! judged by the real `ale run` as a user would run them, with API keys in ale's
//! environment. Each attack prints `LEARNED:` for what it got and `BLOCKED:` for
//! what stopped it; a test passes when nothing was learned, the key shows up
//! nowhere, and the verdict is the honest one. Without the sandbox the tests
//! are skipped with a reason, unless ALE_REQUIRE_SANDBOX=1. What each attack
//! met is printed (`--nocapture` shows it); ALE_REDTEAM_BIN aims the attacks at
//! another build of ale, such as an older release, to see them succeed.

mod common;

use regex::Regex;
use serde_json::Value;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// The API key ale runs with: no solution, output or report may ever hold it.
const SECRET: &str = "sk-redteam-secret-4242";

/// tsp with its limits spelled out: the honest verdicts below are for
/// 2000 ms and 1024 MiB, whatever the built-in problem says later.
const TSP: &str = r#"id = "tsp"
title = "Travelling Salesman on a Million-Square Map"
objective = "min"
time_limit_ms = 2000
memory_limit_mb = 1024
interactive = false
public_seeds = "0..100"
private_seeds = "1000..1200"

[scorer]
builtin = "tsp"
"#;

/// One test at a time: the attacks take GiBs of memory and disk, thousands of
/// processes and every core, and some of them are judged on time.
static SERIAL: Mutex<()> = Mutex::new(());

/// The `ale` under attack: this build, or ALE_REDTEAM_BIN.
fn ale_bin() -> PathBuf {
    std::env::var_os("ALE_REDTEAM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_ale")))
}

/// Whether solutions are boxed here, by `ale doctor`'s `sandbox on|off <why>`
/// line; the reason when they are not.
fn sandbox_state() -> &'static Result<(), String> {
    static STATE: OnceLock<Result<(), String>> = OnceLock::new();
    STATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let doctor = Command::new(ale_bin())
            .arg("doctor")
            .env("ALE_HOME", dir.path().join(".ale"))
            .output()
            .expect("ale starts");
        let report = String::from_utf8_lossy(&doctor.stdout).into_owned();
        let words: Option<Vec<&str>> = report
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|w| w.first() == Some(&"sandbox"));
        match words {
            Some(w) if w.get(1) == Some(&"on") => Ok(()),
            Some(w) => Err(w[1..].join(" ")),
            None => Err(format!("`ale doctor` printed no sandbox line:\n{report}")),
        }
    })
}

/// A folder for one test: ale's home and store, a problems folder with tsp,
/// a credentials file, host folders for attacks to aim at. It lives under
/// the target folder rather than /tmp, as a user's files do: a box with a
/// private /tmp would hide a lab in /tmp without hiding anything real.
struct Lab {
    dir: tempfile::TempDir,
    /// The ale under attack (a copy inside the lab for an ordinary user's runs).
    ale: PathBuf,
    runs: Cell<usize>,
    _serial: MutexGuard<'static, ()>,
}

impl Lab {
    /// A lab, or None (after saying why) when the sandbox is off.
    fn new() -> Option<Lab> {
        Lab::in_folder(Path::new(env!("CARGO_TARGET_TMPDIR")))
    }

    /// [`Lab::new`], in a folder of `base`.
    fn in_folder(base: &Path) -> Option<Lab> {
        let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(reason) = sandbox_state() {
            if std::env::var("ALE_REQUIRE_SANDBOX").as_deref() == Ok("1") {
                panic!("ALE_REQUIRE_SANDBOX=1 but the sandbox is off: {reason}");
            }
            eprintln!("skipping a red-team test, the sandbox is off: {reason}");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("redteam-")
            .tempdir_in(base)
            .unwrap();
        common::problem_folder(&dir.path().join("problems"), "tsp", TSP);
        std::fs::write(
            dir.path().join("credentials.txt"),
            format!("api_key = \"{SECRET}\"\n"),
        )
        .unwrap();
        for host in ["host", "host2"] {
            std::fs::create_dir(dir.path().join(host)).unwrap();
        }
        Some(Lab {
            dir,
            ale: ale_bin(),
            runs: Cell::new(0),
            _serial: serial,
        })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn home(&self) -> PathBuf {
        self.path(".ale")
    }

    /// The store `ale run` creates before it compiles anything.
    fn store(&self) -> PathBuf {
        self.home().join("ale.db")
    }

    /// A fixture with its placeholders replaced, written into the lab.
    fn template(&self, fixture: &str, values: &[(&str, &Path)]) -> PathBuf {
        let mut source = std::fs::read_to_string(common::solution(fixture)).unwrap();
        for (placeholder, value) in values {
            assert!(
                source.contains(placeholder),
                "{fixture} has no {placeholder}"
            );
            source = source.replace(placeholder, value.to_str().unwrap());
        }
        let path = self.path(fixture);
        std::fs::write(&path, source).unwrap();
        path
    }

    /// `ale run tsp <solution> --seeds 0..2 -j 1 --json --out <fresh folder>`,
    /// boxed or with `--no-sandbox`, with the keys in ale's environment.
    fn run(&self, solution: &Path, boxed: bool) -> Run {
        self.run_as(solution, boxed, None, |_| {})
    }

    /// [`Lab::run`], as the uid `as_user` (through `setpriv`) when given: an
    /// ordinary user, whose box is a user namespace and whose figures are
    /// `wait4`'s (ALE_REQUIRE_SANDBOX is not passed on: it asks for cgroups).
    fn run_as(
        &self,
        solution: &Path,
        boxed: bool,
        as_user: Option<u32>,
        more: impl FnOnce(&mut Command),
    ) -> Run {
        let out = self.path(&format!("out{}", self.runs.replace(self.runs.get() + 1)));
        let mut command = match as_user {
            None => Command::new(&self.ale),
            Some(uid) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={uid}"))
                    .args(["--clear-groups", "--"])
                    .arg(&self.ale)
                    .env_remove("ALE_REQUIRE_SANDBOX");
                c
            }
        };
        if !boxed {
            command.arg("--no-sandbox");
        }
        command
            .arg("--problems-dir")
            .arg(self.path("problems"))
            .args(["run", "tsp"])
            .arg(solution)
            .args(["--seeds", "0..2", "-j", "1", "--json", "--out"])
            .arg(&out)
            .current_dir(self.dir.path())
            .env("ALE_HOME", self.home())
            .env("ALE_LLM_API_KEY", SECRET)
            .env("OPENAI_API_KEY", SECRET)
            .env_remove("ALE_PROBLEMS");
        more(&mut command);
        let output = output_within(command, Duration::from_secs(300));
        let run = Run::read(&output, &out);
        let name = solution.file_name().unwrap().to_string_lossy();
        let how = if boxed { "boxed" } else { "unboxed" };
        eprintln!("{name}, {how}:\n{}", run.summary());
        run
    }
}

/// Runs `command` to the end, or kills it and fails after `limit`.
fn output_within(mut command: Command, limit: Duration) -> Output {
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ale starts");
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(limit) {
        Ok(output) => output.expect("ale runs"),
        Err(_) => {
            // SAFETY: the ale this test started, not reaped yet (its waiter is blocked).
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("ale run took more than {limit:?}");
        }
    }
}

/// What one `ale run` reported and left in its `--out` folder.
struct Run {
    cases: Vec<Case>,
    /// Everything the run printed or wrote: ale's stdout and stderr, every file in `--out`.
    everything: Vec<(String, Vec<u8>)>,
}

struct Case {
    input: String,
    verdict: String,
    message: String,
    /// The kept end of the solution's stderr (`<out>/0000.stderr`).
    stderr: String,
    time_ms: Option<u64>,
    wall_ms: Option<u64>,
    cpu_ms: Option<u64>,
}

impl Run {
    fn read(output: &Output, out: &Path) -> Run {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "ale run ({}) printed no JSON ({e}); stderr:\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let number = |c: &Value, key: &str| c.get(key).and_then(Value::as_u64);
        let cases = doc["cases"]
            .as_array()
            .expect("a cases list")
            .iter()
            .map(|c| {
                let input = c["input"].as_str().expect("a case's input").to_string();
                let stem = input.strip_suffix(".txt").unwrap_or(&input);
                Case {
                    stderr: std::fs::read_to_string(out.join(format!("{stem}.stderr")))
                        .unwrap_or_default(),
                    input: input.clone(),
                    verdict: c["verdict"].as_str().expect("a verdict").to_string(),
                    message: c["message"].as_str().unwrap_or("").to_string(),
                    time_ms: number(c, "time_ms"),
                    wall_ms: number(c, "wall_ms"),
                    cpu_ms: number(c, "cpu_ms"),
                }
            })
            .collect();
        let mut everything = vec![
            ("ale's stdout".to_string(), output.stdout.clone()),
            ("ale's stderr".to_string(), output.stderr.clone()),
        ];
        for entry in std::fs::read_dir(out).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            everything.push((name, std::fs::read(entry.path()).unwrap_or_default()));
        }
        Run { cases, everything }
    }

    /// Each case's verdict, times and judge's words, and the attack's own
    /// LEARNED/BLOCKED/INFO lines. A compile error is not shown: it may quote
    /// the host's files.
    fn summary(&self) -> String {
        let mut text = String::new();
        for c in &self.cases {
            let said = if c.verdict == "CE" {
                format!("({} bytes of compiler message, not shown)", c.message.len())
            } else {
                judge_words(&c.message).chars().take(200).collect()
            };
            let times = [("time", c.time_ms), ("wall", c.wall_ms), ("cpu", c.cpu_ms)]
                .map(|(k, v)| format!("{k} {}", v.map_or("-".into(), |v| v.to_string())));
            text += &format!(
                "  {} {} [{}] {said}\n",
                c.input,
                c.verdict,
                times.join(", ")
            );
            for line in c.stderr.lines() {
                if ["LEARNED:", "BLOCKED:", "INFO:"]
                    .iter()
                    .any(|p| line.starts_with(p))
                {
                    let line: String = line.chars().take(300).collect();
                    text += &format!("    {line}\n");
                }
            }
        }
        text
    }

    /// Every `LEARNED:` line, from the kept stderr and from messages (which
    /// quote the end of stderr), each with its case.
    fn learned(&self) -> Vec<String> {
        let mut found = Vec::new();
        for c in &self.cases {
            let quoted = c.message.split(" | ").flat_map(str::lines);
            for line in c.stderr.lines().chain(quoted) {
                if let Some(at) = line.find("LEARNED:") {
                    let line = format!("{}: {}", c.input, &line[at..]);
                    if !found.contains(&line) {
                        found.push(line);
                    }
                }
            }
        }
        found
    }

    /// Nothing learned, the key nowhere, and each case's time the larger of
    /// its wall and CPU time where the report gives both.
    fn assert_clean(&self) {
        let learned = self.learned();
        assert!(
            learned.is_empty(),
            "the attack learned:\n{}",
            learned.join("\n")
        );
        for (place, bytes) in &self.everything {
            let holds = bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes());
            assert!(!holds, "the API key reached {place}");
        }
        for c in &self.cases {
            let time = c.time_ms.expect("every case has time_ms");
            if let (Some(wall), Some(cpu)) = (c.wall_ms, c.cpu_ms) {
                assert_eq!(
                    time,
                    wall.max(cpu),
                    "{}: time_ms is not max(wall, cpu)",
                    c.input
                );
            }
        }
    }

    /// Every case's verdict is one of `allowed`.
    fn assert_verdicts(&self, allowed: &[&str]) {
        for c in &self.cases {
            assert!(
                allowed.contains(&c.verdict.as_str()),
                "{}: {} ({}), expected one of {allowed:?}; stderr:\n{}",
                c.input,
                c.verdict,
                c.message,
                c.stderr
            );
        }
    }

    /// Accepted, or killed by a signal (a box may kill a forbidden system call).
    fn assert_accepted_or_killed(&self) {
        for c in &self.cases {
            let killed = c.verdict == "RE" && judge_words(&c.message).contains("signal");
            assert!(
                c.verdict == "AC" || killed,
                "{}: {} ({}); stderr:\n{}",
                c.input,
                c.verdict,
                c.message,
                c.stderr
            );
        }
    }
}

/// What the judge said about a case, without the quoted end of stderr (in
/// which the attack's own words could be mistaken for the judge's).
fn judge_words(message: &str) -> &str {
    message.split("; stderr ends with:").next().unwrap_or("")
}

/// Whether the judge's words name a cap or a limit that stopped the case.
fn names_a_cap(message: &str) -> bool {
    let cap = Regex::new(r"(?i)cap|limit|quota|exceed|disk|space|SIGXFSZ|file size").unwrap();
    cap.is_match(judge_words(message))
}

#[test]
fn a_solution_holds_no_privilege_and_reaches_no_privileged_call() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_privileges.rs"), true);
    run.assert_clean();
    run.assert_accepted_or_killed();
}

#[test]
fn a_solution_sees_neither_the_judge_nor_its_environment() {
    let Some(lab) = Lab::new() else { return };
    // No unboxed counterpart: unboxed, the attack would read the environment
    // of every process on the machine, not only the test's.
    let run = lab.run(&common::solution("attack_procs.rs"), true);
    run.assert_clean();
    run.assert_accepted_or_killed();
}

#[test]
fn a_solution_cannot_reach_into_another_process_and_still_breaks_the_limits() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_forge.rs"), true);
    run.assert_clean();
    run.assert_verdicts(&["MLE", "TLE"]);
}

#[test]
fn a_solution_reads_none_of_the_hosts_files_nor_runs_the_judge() {
    let Some(lab) = Lab::new() else { return };
    let paths = [
        lab.store(),
        lab.home(),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        ale_bin(),
    ];
    let list: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let attack = lab.template(
        "attack_files.rs",
        &[("@@PATHS@@", Path::new(&list.join(",")))],
    );
    let run = lab.run(&attack, true);
    run.assert_clean();
    run.assert_accepted_or_killed();
    // Unboxed, the same attack reads the store: the test can fail.
    let open = lab.run(&attack, false).learned();
    let store = lab.store().display().to_string();
    assert!(
        open.iter().any(|l| l.contains(&store)),
        "unboxed, it should read the store:\n{}",
        open.join("\n")
    );
}

/// Files the write attack may have left on the host, removed as they are found.
fn left_on_host(places: &[PathBuf]) -> Vec<PathBuf> {
    let found: Vec<PathBuf> = places.iter().filter(|p| p.exists()).cloned().collect();
    for path in &found {
        let _ = std::fs::remove_file(path);
    }
    found
}

#[test]
fn a_solution_writes_nowhere_outside_its_folder_and_leaves_nothing_for_the_next_case() {
    let Some(lab) = Lab::new() else { return };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let host = lab.path("host");
    let places: Vec<PathBuf> = [&*repo, &*host, Path::new("/"), Path::new("/dev/shm")]
        .iter()
        .map(|d| d.join("ale-redteam-probe"))
        .chain([
            "/tmp/ale-redteam-probe".into(),
            "/tmp/ale-redteam-mark".into(),
        ])
        .collect();
    left_on_host(&places);
    // Two cases, one after the other in the same worker: the second looks for
    // what the first left.
    let attack = lab.template(
        "attack_write.rs",
        &[("@@REPO@@", &repo), ("@@HOST@@", &host)],
    );
    let run = lab.run(&attack, true);
    let left = left_on_host(&places);
    assert!(left.is_empty(), "the attack wrote on the host: {left:?}");
    run.assert_clean();
    run.assert_accepted_or_killed();
    // Unboxed (aimed at a second lab folder rather than the repository), it
    // writes the host folder, and the second case finds the first's marker.
    let attack = lab.template(
        "attack_write.rs",
        &[("@@REPO@@", &lab.path("host2")), ("@@HOST@@", &host)],
    );
    let open = lab.run(&attack, false).learned();
    left_on_host(&places);
    assert!(
        open.iter()
            .any(|l| l.contains("created") && l.contains(host.to_str().unwrap())),
        "unboxed, it should write the host folder:\n{}",
        open.join("\n")
    );
    assert!(
        open.iter().any(|l| l.contains("marker")),
        "unboxed, the second case should find the first's marker:\n{}",
        open.join("\n")
    );
}

#[test]
fn files_in_tmp_are_capped_and_the_verdict_says_so() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_tmpfs.rs"), true);
    run.assert_clean();
    for c in &run.cases {
        let stopped = (c.verdict == "OLE" || c.verdict == "RE") && names_a_cap(&c.message);
        assert!(
            c.verdict == "MLE" || stopped,
            "{}: {} ({}): 1.2 GiB in /tmp under 1024 MiB; stderr:\n{}",
            c.input,
            c.verdict,
            c.message,
            c.stderr
        );
    }
}

#[test]
fn a_solution_cannot_fill_the_disk() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_disk.rs"), true);
    run.assert_clean();
    for c in &run.cases {
        if c.verdict == "AC" {
            // Accepted is honest only if the writes were refused.
            assert!(
                c.stderr.contains("BLOCKED:") && !c.stderr.contains("wrote all"),
                "{}: AC, and 600 MB went to disk; stderr:\n{}",
                c.input,
                c.stderr
            );
        } else {
            assert!(
                (c.verdict == "OLE" || c.verdict == "RE") && names_a_cap(&c.message),
                "{}: {} ({}), expected OLE or RE naming the cap",
                c.input,
                c.verdict,
                c.message
            );
        }
    }
}

/// Processes whose command line holds the fork attack's child marker.
fn fork_children() -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|pid: &i32| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.windows(17).any(|w| w == b"ale-redteam-child"))
        })
        .collect()
}

#[test]
fn a_process_cap_holds_for_root_and_no_process_outlives_its_case() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_forks.rs"), true);
    // The children sleep 5 s: any still here two seconds on escaped the case.
    let mut left = fork_children();
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        left = fork_children();
    }
    for &pid in &left {
        // SAFETY: a child of the attack this test ran.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    assert!(left.is_empty(), "{} children outlived the case", left.len());
    run.assert_clean();
    run.assert_verdicts(&["AC", "RE"]);
    let started = Regex::new(r"started (\d+)").unwrap();
    for c in &run.cases {
        let most = started
            .captures_iter(&c.stderr)
            .map(|m| m[1].parse::<u32>().unwrap())
            .max();
        // Killed before its first report (a cap that ends the case) is fine too.
        let most = most.unwrap_or(0);
        assert!(most < 512, "{}: {most} children started", c.input);
    }
}

#[test]
fn cpu_time_on_several_threads_counts_against_the_time_limit() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_threads.rs"), true);
    run.assert_clean();
    let reported = Regex::new(r"INFO: cpu_ms (\d+) wall_ms (\d+)").unwrap();
    for c in &run.cases {
        let (Some(wall_ms), Some(cpu_ms)) = (c.wall_ms, c.cpu_ms) else {
            panic!("{}: the report has no wall_ms and cpu_ms", c.input);
        };
        let Some(own) = reported.captures(&c.stderr) else {
            panic!("{}: {} before it reported its times", c.input, c.verdict);
        };
        let (own_cpu, own_wall): (u64, u64) = (own[1].parse().unwrap(), own[2].parse().unwrap());
        // Only a machine that gave it more than one core tests the rule.
        if own_cpu <= 2100 || own_wall >= 1950 {
            eprintln!(
                "{}: inconclusive, the machine gave it {own_cpu} ms of CPU in {own_wall} ms",
                c.input
            );
            continue;
        }
        assert!(
            cpu_ms + 50 >= own_cpu,
            "{}: cpu_ms {cpu_ms}, but its threads used {own_cpu} ms",
            c.input
        );
        assert!(
            wall_ms < cpu_ms,
            "{}: wall {wall_ms} ms, cpu {cpu_ms} ms",
            c.input
        );
        assert_eq!(
            c.verdict, "TLE",
            "{}: {own_cpu} ms of CPU in 2000 ms",
            c.input
        );
    }
}

#[test]
fn the_compiler_does_not_see_ales_environment() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_env_compile.rs"), true);
    run.assert_clean();
    run.assert_verdicts(&["AC"]);
    // Some HOME may be needed to compile; the user's own is none of its business.
    if let Some(home) = std::env::var("HOME").ok().filter(|h| h.len() > 1) {
        for c in &run.cases {
            assert!(
                !c.stderr.contains(&format!("compile-time HOME={home}\n")),
                "{}: the compiler saw HOME={home}",
                c.input
            );
        }
    }
}

/// A line of /etc/shadow (`name:hash:days:min:max:warn:...`), as a compiler
/// might quote it. Matching the format rather than the file keeps the test
/// from reading the real password hashes.
fn quotes_shadow(message: &str) -> bool {
    let line = Regex::new(r"[a-z_][a-z0-9_.-]*:[^:\s]*:\d*:\d*:\d*:\d*:").unwrap();
    message.contains("root:") || line.is_match(message)
}

/// A solution that must not compile, whose compile error must not quote /etc/shadow.
fn assert_shadow_stays_out(run: &Run) {
    run.assert_clean();
    run.assert_verdicts(&["CE"]);
    for c in &run.cases {
        // Not the message itself: it would put the hashes in the test's output.
        assert!(
            !quotes_shadow(&c.message),
            "{}: the compile error quotes /etc/shadow",
            c.input
        );
    }
}

#[test]
fn include_bytes_of_etc_shadow_is_a_compile_error_that_quotes_nothing() {
    let Some(lab) = Lab::new() else { return };
    assert_shadow_stays_out(&lab.run(&common::solution("attack_include_bytes.rs"), true));
}

#[test]
fn include_of_etc_shadow_in_cpp_is_a_compile_error_that_quotes_nothing() {
    let Some(lab) = Lab::new() else { return };
    assert_shadow_stays_out(&lab.run(&common::solution("attack_include.cpp"), true));
}

#[test]
fn the_store_cannot_be_compiled_into_a_solution() {
    let Some(lab) = Lab::new() else { return };
    let attack = lab.template("attack_include_store.rs", &[("@@STORE@@", &lab.store())]);
    let run = lab.run(&attack, true);
    run.assert_clean();
    run.assert_verdicts(&["CE"]);
    for c in &run.cases {
        assert!(
            !c.message.contains("SQLite format 3"),
            "{}: {}",
            c.input,
            c.message
        );
    }
}

#[test]
fn a_credentials_file_stays_out_of_rust_and_cpp_compile_errors() {
    let Some(lab) = Lab::new() else { return };
    let credentials = lab.path("credentials.txt");
    for fixture in ["attack_include_secret.rs", "attack_include_secret.cpp"] {
        let attack = lab.template(fixture, &[("@@SECRET@@", &credentials)]);
        let run = lab.run(&attack, true);
        // assert_clean finds the key wherever the compile error went.
        run.assert_clean();
        run.assert_verdicts(&["CE"]);
    }
}

#[test]
fn files_in_its_folder_and_its_heap_add_up_against_the_memory_limit() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_tmpfs_heap.rs"), true);
    run.assert_clean();
    run.assert_verdicts(&["MLE"]);
    // Unboxed, /tmp is a disk and only the 850 MiB heap counts: the test can fail.
    let open = lab.run(&common::solution("attack_tmpfs_heap.rs"), false);
    open.assert_verdicts(&["AC"]);
}

/// The uid an ordinary user's run is tried as.
const NOBODY: u32 = 65534;

/// Whether `uid` can run this build of ale and have it box a case (as an
/// ordinary user, bubblewrap needs user namespaces); why not otherwise.
fn ordinary_user_can_box(uid: u32, ale: &Path) -> Result<(), String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err("the tests do not run as root: they are an ordinary user already".into());
    }
    let doctor = Command::new("setpriv")
        .arg(format!("--reuid={uid}"))
        .arg(format!("--regid={uid}"))
        .args(["--clear-groups", "--"])
        .arg(ale)
        .arg("doctor")
        .env("ALE_HOME", "/nonexistent/ale-home")
        .env_remove("ALE_REQUIRE_SANDBOX")
        .output()
        .map_err(|e| format!("setpriv cannot be started: {e}"))?;
    let report = String::from_utf8_lossy(&doctor.stdout);
    if report.lines().any(|l| l.starts_with("box test         on")) {
        Ok(())
    } else {
        Err(format!(
            "uid {uid} cannot box a case here: {}{}",
            report.lines().take(2).collect::<Vec<_>>().join(" / "),
            String::from_utf8_lossy(&doctor.stderr)
        ))
    }
}

#[test]
fn an_ordinary_user_s_box_holds_no_privilege_and_sees_nothing_of_the_judge() {
    use std::os::unix::fs::PermissionsExt;
    // The lab, open to that user wherever the checkout is: in the system's
    // temporary folder, with a copy of ale, its home its own, the attacks
    // built beforehand (an ordinary user has no compiler of root's).
    let Some(mut lab) = Lab::in_folder(&std::env::temp_dir()) else {
        return;
    };
    std::fs::set_permissions(lab.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ale = lab.path("ale");
    std::fs::copy(ale_bin(), &ale).unwrap();
    std::fs::set_permissions(&ale, std::fs::Permissions::from_mode(0o755)).unwrap();
    lab.ale = ale;
    if let Err(why) = ordinary_user_can_box(NOBODY, &lab.ale) {
        if std::env::var("ALE_REQUIRE_SANDBOX").as_deref() == Ok("1") {
            panic!("ALE_REQUIRE_SANDBOX=1: {why}");
        }
        eprintln!("skipping the ordinary user's box: {why}");
        return;
    }
    std::fs::create_dir_all(lab.home()).unwrap();
    std::os::unix::fs::chown(lab.home(), Some(NOBODY), Some(NOBODY)).unwrap();
    for fixture in [
        "attack_privileges.rs",
        "attack_procs.rs",
        "attack_forge.rs",
        "attack_root_write.rs",
    ] {
        let built = lab.path(fixture.trim_end_matches(".rs"));
        std::fs::copy(common::compiled(fixture), &built).unwrap();
        std::fs::set_permissions(&built, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out_dir = lab.path(&format!("out{}", lab.runs.get()));
        std::fs::create_dir_all(&out_dir).unwrap();
        std::os::unix::fs::chown(&out_dir, Some(NOBODY), Some(NOBODY)).unwrap();
        let run = lab.run_as(&built, true, Some(NOBODY), |_| {});
        run.assert_clean();
        if fixture == "attack_forge.rs" {
            run.assert_verdicts(&["MLE", "TLE"]);
        } else {
            run.assert_accepted_or_killed();
        }
    }
}

/// Starts ale with the host's `/` open as descriptor 7, as a careless
/// parent (a shell, a job runner) may leave it.
fn with_root_open_as_7(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: open and dup2 are async-signal-safe; the new 7 is not close-on-exec.
    unsafe {
        command.pre_exec(|| {
            let fd = libc::open(c"/".as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
            if fd < 0 || libc::dup2(fd, 7) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[test]
fn descriptors_ale_was_started_with_reach_neither_a_solution_nor_a_compiler() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run_as(
        &common::solution("attack_fds.rs"),
        true,
        None,
        with_root_open_as_7,
    );
    run.assert_clean();
    run.assert_verdicts(&["AC"]);
    let run = lab.run_as(
        &common::solution("attack_fd_compile.rs"),
        true,
        None,
        with_root_open_as_7,
    );
    run.assert_clean();
    run.assert_verdicts(&["CE"]);
    // Started directly with it, the attack finds it (the test can fail).
    let mut direct = Command::new(common::compiled("attack_fds.rs"));
    with_root_open_as_7(&mut direct);
    let mut child = direct
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"3\n0 0\n1 1\n2 2\n").unwrap();
    let said = String::from_utf8(child.wait_with_output().unwrap().stderr).unwrap();
    assert!(said.contains("LEARNED: descriptor 7 is open: /"), "{said}");
}

#[test]
fn shared_memory_does_not_outlive_its_case() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_ipc.rs"), true);
    run.assert_clean();
    run.assert_verdicts(&["AC"]);
}

#[test]
fn a_program_too_large_to_keep_does_not_compile() {
    let Some(lab) = Lab::new() else { return };
    let run = lab.run(&common::solution("attack_big_binary.cpp"), true);
    run.assert_clean();
    run.assert_verdicts(&["CE"]);
    for c in &run.cases {
        assert!(
            c.message.contains("over 256 MiB"),
            "{}: {}",
            c.input,
            c.message
        );
    }
    // Nothing of it stays in the build cache.
    let big = walk_sizes(&lab.home().join("build"))
        .into_iter()
        .max()
        .unwrap_or(0);
    assert!(
        big < 64 << 20,
        "a file of {big} bytes stayed in the build cache"
    );
}

/// The sizes of every file under `dir`.
fn walk_sizes(dir: &Path) -> Vec<u64> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sizes.extend(walk_sizes(&path));
        } else if let Ok(meta) = path.metadata() {
            sizes.push(meta.len());
        }
    }
    sizes
}
