//! Without the `ale` binary as spawn server the judge forks solutions itself: the
//! verdicts must be the same.

mod common;

use ale::judge::{judge_case, Limits, Verdict};

#[test]
fn the_fallback_spawn_gives_the_same_verdicts() {
    // Before the first spawn of this process: no spawn server can be found.
    std::env::set_var("ALE_BIN", "/nonexistent/ale");
    assert!(ale::judge::launcher().is_none());
    let limits = Limits::new(1000, 64, 1.5);
    let square = "4\n0 0\n0 10\n10 10\n10 0\n";
    let judge = |name: &str| {
        judge_case(
            &[common::compiled(name)],
            &scorers::tsp::Tsp,
            square,
            &limits,
        )
    };
    let o = judge("tsp_identity.rs");
    assert_eq!((o.verdict, o.score), (Verdict::AC, Some(40)));
    assert_eq!(judge("sleep_forever.rs").verdict, Verdict::TLE);
    assert_eq!(judge("exit3.rs").verdict, Verdict::RE);
    assert_eq!(judge("alloc_100mb.rs").verdict, Verdict::MLE);
    assert_eq!(judge("flood.rs").verdict, Verdict::OLE);
}
