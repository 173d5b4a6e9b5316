//! `ale __worker`: a solution run by a worker process over its standard
//! input and output (as `srun` carries them from a cluster node) gives the
//! same run as the judge's own.

mod common;

use ale::judge::worker::Worker;
use ale::judge::{execute, verdict_of, Exit, Limits, Verdict};
use scorers::Problem;

/// The limits a case of tsp runs under here, boxed when the box is here.
fn limits(time_limit_ms: u64) -> Limits {
    let mut l = Limits::new(time_limit_ms, 256, 1.5);
    l.sandbox = ale::judge::sandbox::Sandbox::detect()
        .bwrap()
        .map(std::path::Path::to_path_buf);
    l
}

fn worker(home: &std::path::Path) -> Worker {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ale"));
    command.arg("__worker").env("ALE_HOME", home);
    Worker::start(command).unwrap()
}

#[test]
fn a_worker_runs_a_case_as_the_judge_does() {
    let home = tempfile::tempdir().unwrap();
    let mut w = worker(home.path());
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
    let mut w = worker(home.path());
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
