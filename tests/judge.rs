//! The judge on tiny real solutions: every verdict, the limits, the cache.

mod common;

use ale::judge::{execute, judge_case, prepare, Limits, Verdict};
use common::{build_dir, compiled, process_gone, solution};
use scorers::Problem;

const SQUARE: &str = "4\n0 0\n0 10\n10 10\n10 0\n";

fn limits() -> Limits {
    // 1 s, 64 MiB: small enough that the fixtures cross them quickly.
    Limits::new(1000, 64, 1.5)
}

fn judge_tsp(fixture: &str, input: &str) -> ale::judge::Outcome {
    judge_case(&[compiled(fixture)], &scorers::tsp::Tsp, input, &limits())
}

#[test]
fn accepted_output_is_scored() {
    // echo_input prints the input back: "4 / 0 0 / ..." is not a permutation of 0..3.
    let o = judge_tsp("echo_input.rs", "4\n0 0\n0 0\n0 0\n0 0\n");
    assert_eq!(o.verdict, Verdict::WA);
    assert_eq!(
        o.message.as_deref(),
        Some("line 1: city index 4 is out of range 0..=3")
    );
    let o = judge_tsp("tsp_identity.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::AC);
    assert_eq!(o.score, Some(40));
    assert_eq!(o.message, None);
    assert!(
        o.memory_kb > 0 && o.memory_kb < 64 * 1024,
        "{}",
        o.memory_kb
    );
}

#[test]
fn sleeping_forever_is_tle_and_killed_at_the_deadline() {
    let o = judge_tsp("sleep_forever.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::TLE);
    assert!(o.time.as_millis() >= 1000, "{:?}", o.time);
    assert!(o.message.unwrap().contains("(killed)"));
}

#[test]
fn a_panic_is_a_runtime_error_with_stderr() {
    let o = judge_tsp("panic.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::RE);
    let m = o.message.unwrap();
    assert!(m.starts_with("exit status 101; stderr ends with:"), "{m}");
    assert!(m.contains("index out of bounds"), "{m}");
}

#[test]
fn a_non_zero_exit_is_a_runtime_error() {
    let o = judge_tsp("exit3.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::RE);
    assert_eq!(
        o.message.as_deref(),
        Some("exit status 3; stderr ends with: giving up")
    );
}

#[test]
fn garbage_is_a_wrong_answer_that_says_where() {
    let o = judge_tsp("garbage.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::WA);
    assert_eq!(
        o.message.as_deref(),
        Some("line 1: `hello` is not a city index (expected an integer in 0..=3)")
    );
}

#[test]
fn a_hundred_mib_of_output_is_ole() {
    let o = judge_tsp("flood.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::OLE);
    assert!(o.output.len() <= ale::judge::OUTPUT_LIMIT_BYTES);
    assert_eq!(o.message.as_deref(), Some("output exceeded 67108864 bytes"));
}

#[test]
fn allocating_without_bound_is_mle() {
    let o = judge_tsp("alloc_forever.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::MLE, "{:?}", o.message);
    assert!(o.memory_kb > 64 * 1024, "{}", o.memory_kb);
    // The address-space cap (2 x 64 + 256 MiB) stopped it well before the machine's memory.
    assert!(o.memory_kb < 400 * 1024, "{}", o.memory_kb);
}

#[test]
fn peak_memory_over_the_limit_is_mle_even_on_a_clean_exit() {
    let o = judge_tsp("alloc_100mb.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::MLE);
    assert!(o.memory_kb >= 100 * 1024, "{}", o.memory_kb);
    assert!(o.message.unwrap().starts_with("peak memory"));
}

#[test]
fn children_left_behind_are_killed() {
    let run = execute(&[compiled("fork_sleeper.rs")], b"", &limits()).unwrap();
    let pid: u32 = String::from_utf8(run.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The sleeper held stdout open: the judge returned, so it did not wait for it.
    assert!(!run.killed_by_timer);
    let mut gone = false;
    for _ in 0..100 {
        if process_gone(pid) {
            gone = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(gone, "the child {pid} outlived its case");
}

#[test]
fn a_compile_error_keeps_the_compiler_message() {
    let p = prepare(&solution("compile_error.rs"), &build_dir()).unwrap();
    let message = p.compile_error.expect("a compile error");
    assert!(message.contains("mismatched types"), "{message}");
}

#[test]
fn the_build_cache_does_not_recompile() {
    let dir = tempfile::tempdir().unwrap();
    let first = prepare(&solution("garbage.rs"), dir.path()).unwrap();
    assert!(!first.cached);
    let modified = std::fs::metadata(&first.exe).unwrap().modified().unwrap();
    let second = prepare(&solution("garbage.rs"), dir.path()).unwrap();
    assert!(second.cached);
    assert_eq!(second.exe, first.exe);
    assert_eq!(
        std::fs::metadata(&second.exe).unwrap().modified().unwrap(),
        modified
    );
    // A different source is a different entry.
    let other = prepare(&solution("exit3.rs"), dir.path()).unwrap();
    assert!(!other.cached);
    assert_ne!(other.exe, first.exe);
}

/// The 10x10 prospect input of the statement's example: no noise, grade (10i+j) mod 97.
fn tiny_prospect() -> String {
    scorers::prospect::example_input()
}

#[test]
fn the_interactive_judge_relays_a_scripted_solution() {
    let o = judge_case(
        &[compiled("prospect_scripted.rs")],
        &scorers::prospect::Prospect,
        &tiny_prospect(),
        &limits(),
    );
    assert_eq!(o.verdict, Verdict::AC, "{:?}", o.message);
    // Grades 96 + 5 against the best pair 96 + 95: round(10^6 * 101 / 191).
    assert_eq!(o.score, Some(528_796));
    assert_eq!(
        String::from_utf8(o.output.clone()).unwrap(),
        "? 0 5\n! 9 6 0 5\n"
    );
    assert_eq!(
        o.transcript.as_deref(),
        Some("< 10 2 3 0\n> ? 0 5\n< 5\n> ! 9 6 0 5\n")
    );
    // The recorded output replays to the same score.
    let replayed = scorers::prospect::Prospect.score(&tiny_prospect(), "? 0 5\n! 9 6 0 5\n");
    assert_eq!(replayed, Ok(528_796));
}

#[test]
fn an_interactive_solution_that_stops_early_is_wa() {
    let o = judge_case(
        &[compiled("prospect_silent.rs")],
        &scorers::prospect::Prospect,
        &tiny_prospect(),
        &limits(),
    );
    assert_eq!(o.verdict, Verdict::WA);
    assert_eq!(
        o.message.as_deref(),
        Some("the solution stopped after 1 queries without giving its answer `! ...`")
    );
}

#[test]
fn an_interactive_solution_that_hangs_is_tle() {
    let o = judge_case(
        &[compiled("sleep_forever.rs")],
        &scorers::prospect::Prospect,
        &tiny_prospect(),
        &limits(),
    );
    assert_eq!(o.verdict, Verdict::TLE);
}

#[test]
fn peak_memory_is_the_solutions_alone() {
    // The kernel's peak-memory figure counts what a process was before exec; a
    // judge that spawns straight from a big parent reports the parent's pages.
    assert!(
        ale::judge::launcher().is_some(),
        "the ale binary is built beside the tests"
    );
    let ballast = vec![7u8; 256 << 20];
    let o = judge_tsp("tsp_identity.rs", SQUARE);
    assert_eq!(o.verdict, Verdict::AC);
    assert!(o.memory_kb < 16 * 1024, "{} KiB", o.memory_kb);
    assert_eq!(ballast[12345], 7);
}

#[test]
fn large_inputs_and_outputs_pass_through() {
    // 100000 cities on a line, far more than a pipe holds: x = i, y = 0. The
    // identity tour goes out along the line and straight back: 2 x 99999.
    let mut input = String::from("100000\n");
    for i in 0..100_000 {
        input += &format!("{i} 0\n");
    }
    let o = judge_tsp("tsp_identity.rs", &input);
    assert_eq!(o.verdict, Verdict::AC, "{:?}", o.message);
    assert_eq!(o.score, Some(199_998));
}
