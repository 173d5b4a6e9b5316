//! How many cases one coordinator dispatches, scores and stores a second
//! when its workers cost nothing: the judge's own limit, and from it the
//! largest cluster one coordinator keeps busy.
//!
//! The workers are threads of a second process (this program again, with
//! `--workers N ADDRESS`): each connects back and speaks the workers'
//! protocol like `ale __worker`, but answers every case at once with the
//! output of `tests/solutions/tsp_identity.rs` instead of running it. The
//! coordinator is ale's own runner: the pool, a thread per worker, tsp's
//! generator and scorer, and a real SQLite store on disk. Its CPU time is
//! read from the kernel for this process alone.
//!
//!     cargo bench --bench coordinator -- [WORKERS ...]   (default 16 256 1000)

use ale::judge::{Execution, Exit};
use ale::runner::RunOptions;
use ale::workers::node as worker;
use ale::workers::{Pool, PoolSettings, TOKEN_VAR};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cases per worker in one measurement.
const CASES_PER_WORKER: usize = 8;
const MIN_CASES: usize = 2000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--workers") {
        let n: usize = args[1].parse().expect("a number of workers");
        fake_workers(n, &args[2]);
        return;
    }
    let counts: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let counts = if counts.is_empty() {
        vec![16, 256, 1000]
    } else {
        counts
    };
    println!(
        "workers  cases  wall s  cases/s  coordinator CPU ms/case  workers busy at 2 s a case"
    );
    for n in counts {
        measure(n);
    }
}

fn measure(workers: usize) {
    let dir = tempfile::tempdir().unwrap();
    let settings = PoolSettings {
        start_timeout: Duration::from_secs(120),
        heartbeat: Duration::from_secs(60),
        ..PoolSettings::default()
    };
    let pool = Pool::listen(settings, false).unwrap();
    let (address, token) = pool.address();
    let mut fakes = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--workers", &workers.to_string(), address])
        .env(TOKEN_VAR, token)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while pool.connected() < workers {
        assert!(
            Instant::now() < deadline,
            "{} of {workers} workers connected",
            pool.connected()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let problem = ale::problem::Registry::builtin()
        .get("tsp")
        .unwrap()
        .clone();
    let mut store = ale::store::Store::open(&dir.path().join("ale.db")).unwrap();
    let options = RunOptions {
        jobs: 0,
        pool: Some(Arc::new(pool)),
        ..RunOptions::default()
    };
    let cases = (workers * CASES_PER_WORKER).max(MIN_CASES);
    let seeds: ale::problem::Seeds = format!("0..{cases}").parse().unwrap();
    let solution =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/solutions/tsp_identity.rs");
    // The solution is built (and every worker sent it) before the clock starts.
    let warm: ale::problem::Seeds = format!("0..{workers}").parse().unwrap();
    let run = |seeds: &ale::problem::Seeds, store: &mut ale::store::Store| {
        ale::runner::run(
            &problem,
            &solution,
            &ale::runner::seed_cases(seeds),
            &options,
            &dir.path().join("build"),
            store,
            &mut ale::runner::silent,
        )
        .unwrap()
    };
    run(&warm, &mut store);
    let (cpu0, t0) = (cpu_time(), Instant::now());
    let report = run(&seeds, &mut store);
    let (wall, cpu) = (t0.elapsed(), cpu_time() - cpu0);
    assert_eq!(report.summary.accepted, cases, "every case accepted");
    let rate = cases as f64 / wall.as_secs_f64();
    let cpu_ms = cpu.as_secs_f64() * 1000.0 / cases as f64;
    // At 2 s a case, one coordinator's CPU keeps 2 s / (its CPU per case) workers busy.
    let busy = 2000.0 / cpu_ms;
    println!(
        "{workers:>7}  {cases:>5}  {:>6.2}  {rate:>7.0}  {cpu_ms:>23.3}  {busy:>26.0}",
        wall.as_secs_f64()
    );
    drop(options);
    let _ = fakes.wait();
}

/// This process's CPU time, user and system, all threads.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the struct given; no other precondition.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(u.ru_utime) + t(u.ru_stime)
}

/// `n` workers that answer at once, as tsp_identity.rs would.
fn fake_workers(n: usize, address: &str) {
    let token = std::env::var(TOKEN_VAR).unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for i in 0..n {
            let (token, cache) = (&token, cache.path());
            std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn_scoped(s, move || {
                    let stream = worker::connect(address, token, &format!("fake:{i}")).unwrap();
                    let answer =
                        |_: &[std::ffi::OsString], input: &[u8], _: &ale::judge::Limits| {
                            let text = std::str::from_utf8(input).unwrap();
                            let n: usize = text
                                .split_ascii_whitespace()
                                .next()
                                .unwrap()
                                .parse()
                                .unwrap();
                            let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
                            Ok(Execution {
                                exit: Exit::Code(0),
                                wall: Duration::from_millis(1),
                                cpu: Duration::from_millis(1),
                                peak_memory_kb: 2000,
                                folder_full: false,
                                stdout: (out.join("\n") + "\n").into_bytes(),
                                stderr_tail: String::new(),
                                output_overflow: false,
                                killed_by_timer: false,
                            })
                        };
                    let _ = worker::serve(stream, cache, true, &answer);
                })
                .unwrap();
        }
    });
}
