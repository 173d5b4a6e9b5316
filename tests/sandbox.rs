//! Faults, real ones: solutions that attack or break the judge, under the
//! sandbox when bubblewrap is here. Each asserts the verdict and that ale
//! carries on. Without bubblewrap the boxed tests are skipped with a reason,
//! unless ALE_REQUIRE_SANDBOX=1 (CI sets it).

mod common;

use ale::judge::sandbox::Sandbox;
use ale::judge::{execute, judge_case, Limits, Verdict};
use common::compiled;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Command;

/// Limits with the sandbox on, or None (after saying why) when it cannot be.
fn boxed() -> Option<Limits> {
    match Sandbox::detect() {
        Sandbox::Bubblewrap(bwrap) => {
            let mut limits = Limits::new(1000, 256, 1.5);
            limits.sandbox = Some(bwrap);
            Some(limits)
        }
        Sandbox::Off(reason) => {
            if std::env::var("ALE_REQUIRE_SANDBOX").as_deref() == Ok("1") {
                panic!("ALE_REQUIRE_SANDBOX=1 but the sandbox is off: {reason}");
            }
            eprintln!("skipping a sandbox test: {reason}");
            None
        }
    }
}

fn open() -> Limits {
    Limits::new(1000, 256, 1.5)
}

fn run(fixture: &str, input: &str, limits: &Limits) -> String {
    let run = execute(&[compiled(fixture)], input.as_bytes(), limits).unwrap();
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn no_network_in_the_box() {
    let Some(limits) = boxed() else { return };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    // Outside the box the same solution reaches the listener: the test can fail.
    assert_eq!(run("net_connect.rs", &port, &open()), "connected\n");
    let (_accepted, _) = listener.accept().unwrap();
    let inside = run("net_connect.rs", &port, &limits);
    assert!(inside.starts_with("failed: "), "{inside}");
    assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
}

#[test]
fn nothing_outside_the_scratch_folder_is_writable() {
    let Some(limits) = boxed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("ale.db");
    std::fs::write(&store, "precious").unwrap();
    let out = run("write_outside.rs", store.to_str().unwrap(), &limits);
    assert!(out.starts_with("failed: "), "{out}");
    assert!(
        out.ends_with("scratch ok\n"),
        "its own folder is writable: {out}"
    );
    assert_eq!(std::fs::read_to_string(&store).unwrap(), "precious");
    // A new file in the repository is refused too.
    let repo_file = common::repo("tests/should-not-exist.txt");
    let out = run("write_outside.rs", repo_file.to_str().unwrap(), &limits);
    assert!(out.starts_with("failed: "), "{out}");
    assert!(!repo_file.exists());
}

#[test]
fn files_it_can_see_cannot_be_deleted() {
    let Some(limits) = boxed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("results.csv");
    std::fs::write(&victim, "1,2,3").unwrap();
    let out = run("delete_file.rs", victim.to_str().unwrap(), &limits);
    assert!(out.starts_with("failed: "), "{out}");
    assert!(victim.exists());
    // Unboxed, the solution would succeed: the test can fail.
    assert_eq!(
        run("delete_file.rs", victim.to_str().unwrap(), &open()),
        "deleted\n"
    );
}

/// Processes whose command line is `sleep 997` (the fork bomb's sleepers).
fn sleepers() -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == b"sleep\0997\0"))
        .count()
}

fn no_sleepers_left() -> bool {
    for _ in 0..100 {
        if sleepers() == 0 {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

/// Processes whose command line is `sleep 996` (what `leave_behind.rs` leaves).
fn escaped_sleepers() -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == b"sleep\0996\0"))
        .count()
}

#[test]
fn a_case_leaves_nothing_in_the_box_for_the_next() {
    let Some(limits) = boxed() else { return };
    let name = format!("ale-note-{}", std::process::id());
    // Two cases in a row on this thread share its box: the second finds
    // neither the first's file in /tmp nor its sleeper, which left the group.
    assert_eq!(run("leave_behind.rs", &name, &limits), "fresh\n");
    assert_eq!(run("leave_behind.rs", &name, &limits), "fresh\n");
    for _ in 0..100 {
        if escaped_sleepers() == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(escaped_sleepers(), 0, "a process outlived its case");
    assert!(!std::path::Path::new("/tmp").join(&name).exists());
    // Unboxed, both traces stay: the test can fail. The sleeper holds the
    // solution's stdout open, and the judge still returns.
    assert_eq!(run("leave_behind.rs", &name, &open()), "fresh\n");
    assert_eq!(run("leave_behind.rs", &name, &open()), "found\n");
    let _ = std::fs::remove_file(std::path::Path::new("/tmp").join(&name));
    assert!(escaped_sleepers() >= 2);
    let _ = Command::new("pkill")
        .args(["-x", "-f", "sleep 996"])
        .status();
}

#[test]
fn a_fork_bomb_is_killed_whole_and_the_judge_carries_on() {
    for limits in boxed().into_iter().chain([open()]) {
        let o = judge_case(
            &[compiled("fork_bomb.rs")],
            &scorers::tsp::Tsp,
            "3 0 0 1 1 2 2",
            &limits,
        );
        assert_eq!(o.verdict, Verdict::TLE, "{:?}", o.message);
        assert!(no_sleepers_left(), "the bomb's processes outlived the case");
        let next = judge_case(
            &[compiled("tsp_identity.rs")],
            &scorers::tsp::Tsp,
            "3 0 0 1 1 2 2",
            &limits,
        );
        assert_eq!(next.verdict, Verdict::AC);
    }
}

#[test]
fn ignoring_sigterm_or_closing_stdout_does_not_escape_the_deadline() {
    for limits in boxed().into_iter().chain([open()]) {
        for fixture in ["ignore_sigterm.rs", "closed_stdout.rs"] {
            let o = judge_case(
                &[compiled(fixture)],
                &scorers::tsp::Tsp,
                "3 0 0 1 1 2 2",
                &limits,
            );
            assert_eq!(o.verdict, Verdict::TLE, "{fixture}: {:?}", o.message);
            assert!(o.message.unwrap().ends_with("(killed)"));
        }
    }
}

#[test]
fn output_that_is_not_utf8_is_a_wrong_answer() {
    for limits in boxed().into_iter().chain([open()]) {
        let o = judge_case(
            &[compiled("not_utf8.rs")],
            &scorers::tsp::Tsp,
            "3 0 0 1 1 2 2",
            &limits,
        );
        assert_eq!(o.verdict, Verdict::WA);
        assert_eq!(
            o.message.as_deref(),
            Some("the output is not valid UTF-8 (byte 2)")
        );
    }
}

#[test]
fn a_hundred_megabyte_input_goes_through() {
    let input = "7".repeat(100 << 20);
    for limits in boxed().into_iter().chain([open()]) {
        let mut limits = limits;
        limits.time_limit = std::time::Duration::from_secs(10);
        limits.kill_after = std::time::Duration::from_secs(15);
        assert_eq!(run("count_bytes.rs", &input, &limits), "104857600\n");
    }
}

#[test]
fn interactive_solutions_that_stop_reading_or_flood_the_judge() {
    let input = scorers::prospect::example_input();
    for limits in boxed().into_iter().chain([open()]) {
        let deaf = judge_case(
            &[compiled("prospect_deaf.rs")],
            &scorers::prospect::Prospect,
            &input,
            &limits,
        );
        assert_eq!(deaf.verdict, Verdict::TLE, "{:?}", deaf.message);
        let mut small = limits.clone();
        small.output_limit_bytes = 1 << 20;
        let flood = judge_case(
            &[compiled("prospect_flood.rs")],
            &scorers::prospect::Prospect,
            &input,
            &small,
        );
        assert_eq!(flood.verdict, Verdict::OLE, "{:?}", flood.message);
        assert!(flood.output.len() <= 1 << 20);
    }
}

#[test]
fn failures_of_the_judge_are_internal_errors() {
    // A program that cannot be started.
    let o = judge_case(
        &["/nonexistent/solution"],
        &scorers::tsp::Tsp,
        "3 0 0 1 1 2 2",
        &open(),
    );
    assert_eq!(o.verdict, Verdict::IE);
    assert!(
        o.message.unwrap().starts_with("could not run the solution"),
        "not blamed on it"
    );
    // A sandbox that fails before the solution runs.
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("bwrap");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'bwrap: cannot create the box' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut limits = open();
    limits.sandbox = Some(fake);
    let o = judge_case(
        &[compiled("tsp_identity.rs")],
        &scorers::tsp::Tsp,
        "3 0 0 1 1 2 2",
        &limits,
    );
    assert_eq!(o.verdict, Verdict::IE, "{:?}", o.message);
    assert!(o
        .message
        .unwrap()
        .contains("the sandbox failed: bwrap: cannot create the box"));
    // And the next, honest case is judged as usual: 1 + 1 + round(sqrt(8)) = 5.
    let o = judge_case(
        &[compiled("tsp_identity.rs")],
        &scorers::tsp::Tsp,
        "3 0 0 1 1 2 2",
        &open(),
    );
    assert_eq!((o.verdict, o.score), (Verdict::AC, Some(5)));
}

#[test]
fn memory_is_measured_and_limited_inside_the_box() {
    let Some(limits) = boxed() else { return };
    let mut limits = limits;
    limits.memory_limit_kb = 64 * 1024;
    limits.address_space_bytes = 384 << 20;
    let square = "4\n0 0\n0 10\n10 10\n10 0\n";
    let o = judge_case(
        &[compiled("alloc_100mb.rs")],
        &scorers::tsp::Tsp,
        square,
        &limits,
    );
    assert_eq!(o.verdict, Verdict::MLE, "{:?}", o.message);
    assert!(o.memory_kb >= 100 * 1024, "{} KiB", o.memory_kb);
    let o = judge_case(
        &[compiled("alloc_forever.rs")],
        &scorers::tsp::Tsp,
        square,
        &limits,
    );
    assert_eq!(o.verdict, Verdict::MLE, "{:?}", o.message);
    let o = judge_case(&[compiled("panic.rs")], &scorers::tsp::Tsp, square, &limits);
    assert_eq!(o.verdict, Verdict::RE);
    assert!(o.message.unwrap().starts_with("exit status 101"));
    let o = judge_case(
        &[compiled("tsp_identity.rs")],
        &scorers::tsp::Tsp,
        square,
        &limits,
    );
    assert_eq!((o.verdict, o.score), (Verdict::AC, Some(40)));
    assert!(o.memory_kb < 16 * 1024, "{} KiB", o.memory_kb);
}
