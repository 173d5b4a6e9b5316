//! `ale __worker`: a solution run by a worker process that connected back
//! to the judge (as one started by `srun` on a cluster node does) gives the
//! same run as the judge's own; lost, silent and late workers; Slurm.

mod common;

use ale::judge::{execute, verdict_of, Exit, Limits, Verdict};
use ale::workers::Worker;
use ale::workers::{Pool, PoolSettings, Remote};
use scorers::Problem;
use std::time::{Duration, Instant};

/// The limits a case of tsp runs under here, boxed when the box is here.
fn limits(time_limit_ms: u64) -> Limits {
    let mut l = Limits::new(time_limit_ms, 256, 1.5);
    l.sandbox = ale::judge::sandbox::Sandbox::detect()
        .bwrap()
        .map(std::path::Path::to_path_buf);
    l
}

/// A worker process here (keeping its files under `home`), connected to a
/// pool; the pool must outlive it.
fn worker(home: &std::path::Path) -> (Pool, Worker) {
    let pool = Pool::listen(PoolSettings::default(), false).unwrap();
    pool.launch(&[proc_worker(home, "w")]).unwrap();
    assert_eq!(pool.wait_started(1).unwrap(), 1);
    let w = pool.take_idle().pop().unwrap();
    (pool, w)
}

/// `ale __worker` here, with `home` as its ALE_HOME.
fn proc_worker(home: &std::path::Path, label: &str) -> Remote {
    Remote {
        command: vec![
            "env".into(),
            format!("ALE_HOME={}", home.display()).into(),
            env!("CARGO_BIN_EXE_ale").into(),
            "__worker".into(),
        ],
        label: label.into(),
    }
}

#[test]
fn a_worker_runs_a_case_as_the_judge_does() {
    let home = tempfile::tempdir().unwrap();
    let (_pool, mut w) = worker(home.path());
    let identity = common::compiled("tsp_identity.rs");
    let token = w.file(&identity).unwrap();
    assert!(
        token.starts_with("{file:") && token.ends_with("/main}"),
        "{token}"
    );
    let input = scorers::tsp::Tsp.generate(0);
    let remote = w
        .run(
            std::slice::from_ref(&token),
            input.as_bytes(),
            &limits(2000),
        )
        .unwrap();
    let local = execute(&[&identity], input.as_bytes(), &limits(2000)).unwrap();
    assert_eq!(remote.exit, Exit::Code(0));
    assert_eq!(remote.stdout, local.stdout);
    // Scored on the judge's side, the same verdict and score.
    let score = |out: &[u8]| match scorers::tsp::Tsp.score(&input, &String::from_utf8_lossy(out)) {
        Ok(s) => ale::judge::Judged::Score(s),
        Err(w) => ale::judge::Judged::Wrong(w.0),
    };
    let (r, l) = (
        verdict_of(remote, &limits(2000), score),
        verdict_of(local, &limits(2000), score),
    );
    assert_eq!((r.verdict, r.score), (Verdict::AC, l.score));
    // The file is kept: a second case sends only the case.
    assert_eq!(w.file(&identity).unwrap(), token);
    let again = w.run(&[token], input.as_bytes(), &limits(2000)).unwrap();
    assert_eq!(again.exit, Exit::Code(0));
}

#[test]
fn a_worker_reports_failures_and_the_clock_as_the_judge_does() {
    let home = tempfile::tempdir().unwrap();
    let (_pool, mut w) = worker(home.path());
    let exit3 = w.file(&common::compiled("exit3.rs")).unwrap();
    let e = w.run(&[exit3], b"", &limits(2000)).unwrap();
    assert_eq!(e.exit, Exit::Code(3));
    let sleeper = w.file(&common::compiled("sleep_forever.rs")).unwrap();
    let e = w.run(&[sleeper], b"", &limits(300)).unwrap();
    assert!(e.killed_by_timer, "{e:?}");
    assert_eq!(
        verdict_of(e, &limits(300), |_| ale::judge::Judged::Score(1)).verdict,
        Verdict::TLE
    );
    // A file it was never sent is an error, and the worker goes on.
    let err = w
        .run(&["{file:00/main}".into()], b"", &limits(2000))
        .unwrap_err();
    assert!(err.to_string().contains("put it first"), "{err}");
    let exit3 = w.file(&common::compiled("exit3.rs")).unwrap();
    assert_eq!(
        w.run(&[exit3], b"", &limits(2000)).unwrap().exit,
        Exit::Code(3)
    );
}

/// `ale run tsp <solution> --seeds 0..6 --json` with `extra`, bounded in
/// time: workers that never answer fail a test, never hang it.
fn run_command(dir: &std::path::Path, solution: &str, extra: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new("timeout");
    c.arg("120")
        .arg(env!("CARGO_BIN_EXE_ale"))
        .args(["run", "tsp"])
        .arg(common::solution(solution))
        .args(["--seeds", "0..6", "--json"])
        .args(extra)
        .current_dir(dir)
        .env("ALE_HOME", dir.join(".ale"))
        .env_remove("ALE_PROBLEMS");
    c
}

/// tsp_identity.rs through [`run_command`]: (seed, verdict, score) per case.
fn judged(dir: &std::path::Path, extra: &[&str]) -> Vec<(u64, String, i64)> {
    let o = run_command(dir, "tsp_identity.rs", extra).output().unwrap();
    common::assert_ok(&o);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["seed"].as_u64().unwrap(),
                c["verdict"].as_str().unwrap().to_string(),
                c["score"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_run_through_worker_processes_judges_as_a_local_run() {
    let dir = tempfile::tempdir().unwrap();
    let local = judged(dir.path(), &["-j", "2"]);
    assert_eq!(local.len(), 6);
    assert_eq!(judged(dir.path(), &["--workers", "proc:2"]), local);
    assert_eq!(judged(dir.path(), &["--workers", "local:1,proc:1"]), local);
    let o = common::ale(dir.path(), &["run", "tsp", "x.rs", "--workers", "moon:2"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Runs tsp_slow.rs on seeds 0..4 with one local thread beside the pool's
/// workers, and checks every case is judged, once, and accepted.
fn every_case_judged_once(pool: Pool) {
    let dir = tempfile::tempdir().unwrap();
    let problem = ale::problem::Registry::builtin()
        .get("tsp")
        .unwrap()
        .clone();
    let mut store = ale::store::Store::open(&dir.path().join("ale.db")).unwrap();
    let options = ale::runner::RunOptions {
        jobs: 1,
        pool: Some(std::sync::Arc::new(pool)),
        ..ale::runner::RunOptions::default()
    };
    let seeds: ale::problem::Seeds = "0..4".parse().unwrap();
    let report = ale::runner::run(
        &problem,
        &common::solution("tsp_slow.rs"),
        &ale::runner::seed_cases(&seeds),
        &options,
        &dir.path().join("build"),
        &mut store,
        &mut ale::runner::silent,
    )
    .unwrap();
    let seeds: Vec<Option<u64>> = report.cases.iter().map(|c| c.seed).collect();
    assert_eq!(seeds, [Some(0), Some(1), Some(2), Some(3)]);
    assert!(
        report.cases.iter().all(|c| c.verdict == Verdict::AC),
        "{:?}",
        report.cases
    );
    assert!(!report.interrupted);
}

#[test]
fn a_case_whose_worker_is_lost_is_judged_again_elsewhere_once() {
    // A worker that its "node" takes away after a second and a half, beside a
    // local worker: every case is judged, each once.
    let home = tempfile::tempdir().unwrap();
    let pool = Pool::listen(PoolSettings::default(), false).unwrap();
    let mut doomed = proc_worker(home.path(), "doomed");
    doomed
        .command
        .splice(0..0, ["timeout".into(), "1.5".into()]);
    pool.launch(&[doomed]).unwrap();
    assert_eq!(pool.wait_started(1).unwrap(), 1);
    every_case_judged_once(pool);
}

#[test]
fn a_worker_that_stops_answering_is_found_by_its_heartbeat() {
    // Two workers' processes are stopped (SIGSTOP: a node that hangs, a
    // network that drops everything): one before the run, so that it takes
    // nothing it is sent, one a while into it, in the middle of a case.
    // Silent past the heartbeat, both are lost, and every case is judged.
    let home = tempfile::tempdir().unwrap();
    let settings = PoolSettings {
        heartbeat: Duration::from_secs(3),
        ..PoolSettings::default()
    };
    let pool = Pool::listen(settings, false).unwrap();
    let frozen = |label: &str| {
        let mut w = proc_worker(home.path(), label);
        let pid_file = home.path().join(label);
        let exec = format!("echo $$ > {}; exec \"$@\"", pid_file.display());
        w.command
            .splice(0..0, ["sh".into(), "-c".into(), exec.into(), "sh".into()]);
        w
    };
    pool.launch(&[frozen("idle"), frozen("busy")]).unwrap();
    assert_eq!(pool.wait_started(2).unwrap(), 2);
    let stop = |label: &str| {
        let pid = std::fs::read_to_string(home.path().join(label)).unwrap();
        let ok = std::process::Command::new("kill")
            .args(["-STOP", pid.trim()])
            .status()
            .unwrap();
        assert!(ok.success());
    };
    stop("idle");
    let started = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(2500));
            stop("busy");
        });
        every_case_judged_once(pool);
    });
    // 4 cases of 1.2 s, one or two of them twice, and the heartbeats: well
    // under the time of a hung run.
    assert!(started.elapsed() < Duration::from_secs(40));
}

#[test]
fn workers_that_never_connect_give_an_error_naming_the_setting() {
    let settings = PoolSettings {
        start_timeout: Duration::from_secs(1),
        origin: "[workers] of the test".into(),
        ..PoolSettings::default()
    };
    // A worker that never calls back.
    let pool = Pool::listen(settings.clone(), false).unwrap();
    let sleeper = Remote {
        command: vec!["sh".into(), "-c".into(), "sleep 30".into(), "sh".into()],
        label: "sleepy".into(),
    };
    pool.launch(&[sleeper]).unwrap();
    let started = Instant::now();
    let e = pool.wait_started(1).unwrap_err().to_string();
    assert!(e.contains("no worker connected within 1 s"), "{e}");
    assert!(e.contains("[workers] of the test"), "{e}");
    assert!(e.contains("--workers-fallback local"), "{e}");
    drop(pool); // stops the sleeper
    assert!(started.elapsed() < Duration::from_secs(10));
    // A worker that fails at once: what it said is in the error.
    let pool = Pool::listen(settings, false).unwrap();
    let failing = Remote {
        command: vec![
            "sh".into(),
            "-c".into(),
            "echo 'srun: error: Invalid partition name specified' >&2; exit 1".into(),
            "sh".into(),
        ],
        label: "slurm:0".into(),
    };
    pool.launch(&[failing]).unwrap();
    let e = pool.wait_started(1).unwrap_err().to_string();
    assert!(e.contains("every worker exited before it connected"), "{e}");
    assert!(
        e.contains("slurm:0: srun: error: Invalid partition name specified"),
        "{e}"
    );
}

#[test]
fn only_a_worker_with_the_token_joins() {
    let pool = Pool::listen(PoolSettings::default(), false).unwrap();
    let (address, token) = pool.address();
    let (address, token) = (address.to_string(), token.to_string());
    // A wrong token, and a peer that says nothing sensible.
    let _forged = ale::workers::node::connect(&address, "0123456789abcdef", "forged").unwrap();
    let mut junk = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(&mut junk, b"GET / HTTP/1.0\r\n\r\n").unwrap();
    // A stranger that announces a huge file instead of a hello is cut off
    // at once, nothing of it read; so is a worker of another ale version.
    let frame = |json: String| {
        let mut f = (json.len() as u32).to_be_bytes().to_vec();
        f.extend_from_slice(json.as_bytes());
        f
    };
    let mut flood = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(
        &mut flood,
        &frame(r#"{"kind":"put","hash":"ab","name":"x","payload":1000000000000}"#.into()),
    )
    .unwrap();
    let mut old = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(
        &mut old,
        &frame(format!(
            r#"{{"kind":"hello","token":"{token}","label":"old","job":"--me","host":"h","version":"0.0.1","boxed":true}}"#
        )),
    )
    .unwrap();
    for mut cut in [flood, old] {
        cut.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut byte = [0u8; 1];
        let read = std::io::Read::read(&mut cut, &mut byte);
        assert!(
            matches!(read, Ok(0))
                || read
                    .as_ref()
                    .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
            "{read:?}"
        );
    }
    let _right = ale::workers::node::connect(&address, &token, "right").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while pool.connected() < 1 {
        assert!(Instant::now() < deadline, "the right worker never joined");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let joined: Vec<String> = pool
        .take_idle()
        .into_iter()
        .map(|w| w.hello.label)
        .collect();
    assert_eq!(joined, ["right"]);
    assert_eq!(pool.connected(), 1);
}

#[test]
fn a_search_and_its_submission_run_on_worker_processes() {
    let dir = tempfile::tempdir().unwrap();
    let passes = common::solution("tsp_passes.rs");
    let o = common::ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--only-from",
            "--from",
            passes.to_str().unwrap(),
            "--seeds",
            "0..8",
            "--private-seeds",
            "1000..1004",
            "--budget",
            "10m",
            "--evaluations",
            "30",
            "--workers",
            "proc:2",
            "--json",
        ],
    );
    common::assert_ok(&o);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["report"]["private"]["accepted"], 4, "{doc}");
    assert_eq!(doc["report"]["public"]["accepted"], 8, "{doc}");
    assert!(doc["evaluations"].as_u64().unwrap() >= 8);
}

/// The Slurm cluster, when one answers here: held by one test at a time
/// (each looks at the whole queue). Without one the Slurm tests are skipped
/// with a message, unless ALE_REQUIRE_SLURM=1 (CI) makes that a failure.
fn slurm() -> Option<std::sync::MutexGuard<'static, ()>> {
    static CLUSTER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let up = std::process::Command::new("sinfo")
        .args(["-h", "-o", "%t"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("idle"));
    if !up {
        assert_ne!(
            std::env::var("ALE_REQUIRE_SLURM").as_deref(),
            Ok("1"),
            "ALE_REQUIRE_SLURM=1 but no Slurm cluster answers (start one with tests/slurm/start.sh)"
        );
        eprintln!("skipping: no Slurm cluster answers here (tests/slurm/start.sh starts one)");
        return None;
    }
    Some(CLUSTER.lock().unwrap_or_else(|p| p.into_inner()))
}

/// The jobs in the queue.
fn queue() -> Vec<String> {
    let o = std::process::Command::new("squeue")
        .args(["-h", "-o", "%i"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

#[test]
fn slurm_workers_judge_as_local_ones_and_leave_no_job_behind() {
    let Some(_cluster) = slurm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let local = judged(dir.path(), &["-j", "2"]);
    assert_eq!(judged(dir.path(), &["--workers", "slurm:2"]), local);
    assert!(queue().is_empty(), "{:?}", queue());
    // A job cancelled mid-run (scancel): its case is judged by the other.
    let child = run_command(dir.path(), "tsp_slow.rs", &["--workers", "slurm:2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while queue().len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the workers never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let victim = queue()[0].clone();
    std::process::Command::new("scancel")
        .arg(&victim)
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    assert!(cases.iter().all(|c| c["verdict"] == "AC"), "{doc}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !queue().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "jobs left: {:?}",
            queue()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The `ale __worker` processes whose folder is `dir` (Slurm starts a task
/// in the folder it was asked from).
fn workers_in(dir: &std::path::Path) -> Vec<u32> {
    let dir = std::fs::canonicalize(dir).unwrap();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).ok();
            String::from_utf8_lossy(&cmd).contains("__worker") && cwd.as_deref() == Some(&dir)
        })
        .collect()
}

/// `ale bench` on workers of `kind`, killed with SIGKILL once its first
/// problem is stored: its workers leave (and their jobs), and the bench
/// resumes on new workers to the end.
fn a_killed_coordinator_leaves_no_worker_and_resumes(kind: &str) {
    let dir = tempfile::tempdir().unwrap();
    let baseline = std::fs::read_to_string(common::repo("solvers/packing/baseline.rs")).unwrap();
    common::bench_problem(dir.path(), "alpha", "", &baseline);
    common::bench_problem(dir.path(), "beta", "", &common::slowed(&baseline, 700));
    let workers = format!("{kind}:2");
    let args = [
        "bench",
        "set",
        "--budget",
        "10m",
        "--evaluations",
        "4",
        "--workers",
        &workers,
    ];
    let mut child = common::spawn_ale(dir.path(), &args);
    common::wait_for_store(dir.path(), "alpha's result", |s| {
        s.bench_results(1).is_ok_and(|r| r.len() == 1)
    });
    assert!(!workers_in(dir.path()).is_empty(), "the workers judge beta");
    child.kill().unwrap();
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !workers_in(dir.path()).is_empty() || (kind == "slurm" && !queue().is_empty()) {
        assert!(
            Instant::now() < deadline,
            "left behind: workers {:?}, jobs {:?}",
            workers_in(dir.path()),
            queue()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut resume = args.to_vec();
    resume.extend(["--resume", "--out", "a.json"]);
    let o = common::ale(dir.path(), &resume);
    common::assert_ok(&o);
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("a.json")).unwrap()).unwrap();
    let rows = a["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{a}");
    assert_eq!(rows[1]["private_cases"].as_array().unwrap().len(), 3, "{a}");
    assert!(workers_in(dir.path()).is_empty());
}

#[test]
fn a_killed_coordinator_leaves_no_worker_process_and_resumes() {
    a_killed_coordinator_leaves_no_worker_and_resumes("proc");
}

#[test]
fn a_killed_coordinator_leaves_no_slurm_job_and_resumes() {
    if let Some(_cluster) = slurm() {
        a_killed_coordinator_leaves_no_worker_and_resumes("slurm");
    }
}

#[test]
fn slurm_workers_that_cannot_start_fail_clearly_or_fall_back() {
    let Some(_cluster) = slurm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A queue that holds the jobs for an hour.
    std::fs::write(
        dir.path().join("ale.toml"),
        "[workers]\nkind = \"slurm\"\ncount = 2\nextra_args = [\"--begin=now+3600\"]\nstart_timeout_s = 2\n",
    )
    .unwrap();
    // A run that cannot start its workers: exit 2, and what it said.
    let refused = || {
        let o = run_command(dir.path(), "tsp_identity.rs", &[])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        stderr
    };
    let stderr = refused();
    assert!(
        stderr.contains("no worker connected within 2 s"),
        "{stderr}"
    );
    assert!(stderr.contains("[workers] in ale.toml"), "{stderr}");
    assert!(queue().is_empty(), "{:?}", queue());
    // Asked to, it judges here instead, and says so.
    let local = judged(dir.path(), &["--workers-fallback", "local"]);
    assert_eq!(local.len(), 6);
    assert!(queue().is_empty(), "{:?}", queue());
    // A partition that does not exist: what srun said.
    std::fs::write(
        dir.path().join("ale.toml"),
        "[workers]\nkind = \"slurm\"\ncount = 1\npartition = \"nowhere\"\n",
    )
    .unwrap();
    let stderr = refused();
    assert!(
        stderr.contains("Invalid partition name") && stderr.contains("partition = \"nowhere\""),
        "{stderr}"
    );
}

#[test]
fn the_doctor_checks_the_slurm_set_up() {
    let dir = tempfile::tempdir().unwrap();
    // Without Slurm's commands: it says which are missing.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["doctor", "--workers", "slurm:1"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("slurm            off  srun, sinfo, squeue, scancel not found on the PATH"),
        "{out}"
    );
    let Some(_cluster) = slurm() else {
        return;
    };
    let o = common::ale(dir.path(), &["doctor", "--workers", "slurm:1"]);
    common::assert_ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("slurm partition  on   ale is up"), "{out}");
    assert!(out.contains("slurm test job   on   job "), "{out}");
    assert!(out.contains("connected back in"), "{out}");
    // A partition that is not there.
    std::fs::write(
        dir.path().join("ale.toml"),
        "[workers]\nkind = \"slurm\"\npartition = \"nowhere\"\n",
    )
    .unwrap();
    let o = common::ale(dir.path(), &["doctor"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("slurm partition  off  no partition `nowhere`"),
        "{out}"
    );
    assert!(out.contains("slurm test job   off"), "{out}");
    assert!(queue().is_empty(), "{:?}", queue());
}

#[test]
fn no_slurm_on_the_path_is_an_error_or_falls_back_when_asked() {
    // A PATH with the box's bubblewrap and nothing of Slurm's.
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    if let Some(bwrap) = ale::judge::sandbox::Sandbox::detect().bwrap() {
        std::os::unix::fs::symlink(bwrap, bin.join("bwrap")).unwrap();
    }
    let identity = common::compiled("tsp_identity.rs");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
            .args(["run", "tsp"])
            .arg(&identity)
            .args(["--seeds", "0..3", "--workers", "slurm:2"])
            .args(extra)
            .current_dir(dir.path())
            .env("ALE_HOME", dir.path().join(".ale"))
            .env("PATH", &bin)
            .output()
            .unwrap()
    };
    let o = run(&[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("worker slurm:0: could not start `srun`")
            && stderr.contains("check --workers and [workers] in ale.toml"),
        "{stderr}"
    );
    let o = run(&["--workers-fallback", "local"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: judging on this machine instead"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_ends_a_run_on_slurm_workers_and_leaves_no_job() {
    use std::os::unix::process::CommandExt;
    let Some(_cluster) = slurm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Its own process group, as a terminal's foreground job is: Ctrl-C
    // reaches ale and every srun it started.
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ale"))
        .args(["run", "tsp"])
        .arg(common::solution("tsp_slow.rs"))
        .args(["--seeds", "0..20", "--workers", "slurm:2", "--json"])
        .current_dir(dir.path())
        .env("ALE_HOME", dir.path().join(".ale"))
        .process_group(0)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while queue().len() < 2 {
        assert!(Instant::now() < deadline, "the workers never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let group = format!("-{}", child.id());
    std::process::Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("stopping"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let judged = doc["cases"].as_array().unwrap().len();
    assert!((1..20).contains(&judged), "{judged} cases: {doc}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !queue().is_empty() {
        assert!(Instant::now() < deadline, "jobs left: {:?}", queue());
        std::thread::sleep(Duration::from_millis(100));
    }
}
