//! `ale solve`, `ale sessions` and `ale show` end to end.

mod common;

use common::{ale, assert_ok, solution, spawn_ale, wait_for_store};
use serde_json::Value;

#[test]
fn the_search_races_the_portfolio_improves_and_submits() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "10m",
            "--evaluations",
            "500",
            "-j",
            "2",
            "--rng-seed",
            "5",
            "--only-from",
            "--json",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
            solution("tsp_identity.rs").to_str().unwrap(),
            solution("panic.rs").to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let session = doc["session"].as_i64().unwrap();
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let candidates = store.candidates(session).unwrap();
    // Successive halving: the failing solver stops after the first 4 seeds, the
    // weaker of the two others after 8 (a tie is kept in the order given).
    let by_origin = |end: &str| {
        candidates
            .iter()
            .find(|c| c.operator == "start" && c.origin.ends_with(end))
            .unwrap()
    };
    let panic = by_origin("panic.rs");
    assert_eq!(panic.status.to_string(), "dropped after 4 seeds");
    let panicked = store.candidate_cases(panic.id).unwrap();
    assert_eq!(panicked.len(), 4);
    // The end of its stderr is kept for the feedback a model reads.
    assert!(
        panicked
            .iter()
            .all(|c| c.stderr.as_deref().is_some_and(|s| s.contains("panicked"))),
        "{panicked:?}"
    );
    let identity = by_origin("tsp_identity.rs");
    assert_eq!(identity.status.to_string(), "dropped after 8 seeds");
    let passes = by_origin("tsp_passes.rs");
    assert_eq!(store.candidate_cases(passes.id).unwrap().len(), 100);
    // The operators made children of the survivor, which has a constant to vary,
    // and the best is one of them: 2-opt sweeps shorten every tour.
    let best = doc["best_candidate"].as_i64().unwrap();
    let best_row = candidates.iter().find(|c| c.id == best).unwrap();
    assert_ne!(best_row.operator, "start", "{candidates:?}");
    assert!(
        best_row.source.contains("const PASSES: u32 = ")
            && !best_row.source.contains("const PASSES: u32 = 0;")
    );
    let mean = |id: i64| {
        let cases = store.candidate_cases(id).unwrap();
        cases.iter().filter_map(|c| c.score).sum::<i64>() as f64 / cases.len() as f64
    };
    assert!(mean(best) < mean(passes.id), "tsp is minimised");
    // The search never saw a private seed; the submission did.
    for c in &candidates {
        for case in store.candidate_cases(c.id).unwrap() {
            assert!(case.seed < 100, "candidate {} ran seed {}", c.id, case.seed);
        }
    }
    let report = &doc["report"];
    assert_eq!(report["private"]["cases"], 200);
    assert_eq!(report["lineage"][0]["candidate"], best);
    let folder = std::path::PathBuf::from(doc["submission"].as_str().unwrap());
    let folder = dir.path().join(folder);
    assert_eq!(
        std::fs::read_to_string(folder.join("main.rs")).unwrap(),
        best_row.source
    );
    // `ale sessions --json` and `ale show` see it.
    let o = ale(dir.path(), &["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["id"], session);
    assert_eq!(list[0]["problem"], "tsp");
    assert_eq!(list[0]["status"], "finished");
    assert_eq!(list[0]["best_public_score"], doc["best_public_score"]);
    let o = ale(dir.path(), &["show", &session.to_string()]);
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains("dropped after 4 seeds"), "{shown}");
    // The tree: the winner hangs (somewhere) under the starting solver it came
    // from, the starting solvers are its roots, and it is marked as submitted.
    let line = shown
        .lines()
        .find(|l| l.contains("<- submitted"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        line.contains(&format!("{best} {}:", best_row.operator)),
        "{shown}"
    );
    assert!(
        ["└─ ", "├─ ", "   ", "│  "]
            .iter()
            .any(|p| line.starts_with(p)),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("\n{} start: ", passes.id)),
        "{shown}"
    );
    let o = ale(dir.path(), &["show", &session.to_string(), "--json"]);
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        shown["candidates"].as_array().unwrap().len(),
        candidates.len()
    );
    // The best by public mean score tops the list, and its lineage starts
    // at the starting solver.
    assert_eq!(shown["top"][0]["id"], best);
    assert_eq!(shown["top"][0]["lineage"][0], passes.id);
    assert_eq!(
        shown["top"][0]["lineage"]
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        best
    );
}

#[test]
fn the_search_stops_within_its_budget_even_in_the_middle_of_a_long_evaluation() {
    // One start whose every case takes 1.2 s: all 100 public seeds would take
    // a minute on two workers; the budget is 4 s. No case starts after the
    // budget's end, so the search ends with the cases in flight.
    let dir = tempfile::tempdir().unwrap();
    let began = std::time::Instant::now();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "4s",
            "-j",
            "2",
            "--only-from",
            "--from",
            solution("tsp_slow.rs").to_str().unwrap(),
        ],
    );
    let took = began.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr);
    // Before it starts, it says what comes after the search: 300 cases of up
    // to 2 s on two workers.
    assert!(
        stderr.contains("then the best is judged on the 100 public and 200 private seeds: up to 5.0 min more (300 cases of up to 2000 ms, 2 at once)"),
        "{stderr}"
    );
    // Nothing ran every public seed, so nothing is submitted, and it says why.
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the budget ended first"), "{stderr}");
    // ... and how to go on.
    assert!(stderr.contains("ale solve tsp --resume 1"), "{stderr}");
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let start = &store.candidates(1).unwrap()[0];
    let cases = store.candidate_cases(start.id).unwrap().len();
    // 4 s of 1.2 s cases on two workers, the compile included: at most
    // 2 x ceil(4 / 1.2) = 8 cases, far from 100.
    assert!((1..=8).contains(&cases), "{cases} cases");
    // The bound: the budget, plus the cases in flight (up to the kill at
    // 1.5 x 2 s), plus the time to start and to store; a minute without the rule.
    assert!(took.as_secs_f64() < 4.0 + 3.0 + 8.0, "took {took:?}");
    assert_eq!(store.sessions(None).unwrap()[0].status.as_str(), "failed");
}

#[test]
fn nothing_to_start_from_says_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &["solve", "tsp", "--only-from", "--budget", "5s"],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("--from FILE") && stderr.contains("--llm-url"),
        "{stderr}"
    );
}

/// The distinct judgements in every case table the search writes to (its
/// own and its tuning bursts'): (source, seed) pairs. A case a tuning burst
/// judged and the search kept for the same source is one judgement, stored twice.
fn judgements(db: &std::path::Path) -> usize {
    use sha2::{Digest, Sha256};
    let store = ale::store::Store::open(db).unwrap();
    let mut pairs = std::collections::HashSet::new();
    for c in store.candidates(1).unwrap() {
        let hash = ale::judge::compile_hex(&Sha256::digest(c.source.as_bytes()));
        for case in store.candidate_cases(c.id).unwrap() {
            pairs.insert((hash.clone(), case.seed));
        }
    }
    let mut tuning = 1;
    while let Ok(trials) = store.trials(tuning) {
        if trials.is_empty() {
            break;
        }
        for t in trials {
            for case in store.trial_cases(t.id).unwrap() {
                pairs.insert((t.source_hash.clone(), case.seed));
            }
        }
        tuning += 1;
    }
    pairs.len()
}

#[test]
fn a_killed_session_resumes_without_repeating_anything() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "120s",
            "-j",
            "2",
            "--rng-seed",
            "5",
            "--only-from",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
            solution("tsp_identity.rs").to_str().unwrap(),
        ],
    );
    let db = dir.path().join(".ale/ale.db");
    // Kill it once the operators have made children.
    wait_for_store(dir.path(), "child candidates", |s| {
        s.candidates(1).is_ok_and(|t| t.len() >= 4)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let before = ale::store::Store::open(&db).unwrap().candidates(1).unwrap();
    let judged_before = judgements(&db);
    let choices_before = ale::store::Store::open(&db)
        .unwrap()
        .bandit_choices(1)
        .unwrap()
        .len();

    let o = ale(
        dir.path(),
        &[
            "solve", "tsp", "--resume", "1", "--budget", "5s", "-j", "2", "--json",
        ],
    );
    assert_ok(&o);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["session"], 1);
    let after = ale::store::Store::open(&db).unwrap().candidates(1).unwrap();
    // Everything from before is still there, unchanged in what it is.
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (b.id, b.parent, &b.operator, &b.source),
            (a.id, a.parent, &a.operator, &a.source)
        );
    }
    // Every evaluation of the resumed process is a new judgement: nothing ran twice.
    assert_eq!(
        (judgements(&db) - judged_before) as u64,
        doc["evaluations"].as_u64().unwrap(),
        "{doc}"
    );
    // The bandit's choices of both processes, numbered on without a gap.
    let choices = ale::store::Store::open(&db)
        .unwrap()
        .bandit_choices(1)
        .unwrap();
    assert!(choices.len() > choices_before, "{choices:?}");
    assert!(choices.iter().zip(1..).all(|(c, n)| c.number == n));
    let o = ale(dir.path(), &["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["status"], "finished");
    // A finished session is not resumed.
    let o = ale(
        dir.path(),
        &["solve", "tsp", "--resume", "1", "--budget", "5s"],
    );
    assert_eq!(o.status.code(), Some(2));
}

/// A candidate as the determinism test compares it: operator, parent,
/// origin, status, cases, and the steps it went through (all but their times).
type Seen = (String, Option<i64>, String, String, usize, Vec<Step>);

/// A step without its time: stage, seeds run, against, its figure and the
/// other's, p-value, outcome.
type Step = (
    String,
    usize,
    Option<i64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    String,
);

/// A capped search in a fresh folder: its candidates, the JSON report, and
/// the folder.
fn capped_search(seed: &str) -> (Vec<Seen>, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "10m",
            "--evaluations",
            "400",
            "-j",
            "2",
            "--rng-seed",
            seed,
            "--only-from",
            "--json",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
            solution("tsp_identity.rs").to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let rows = store
        .candidates(1)
        .unwrap()
        .into_iter()
        .map(|c| {
            let cases = store.candidate_cases(c.id).unwrap().len();
            let origin = if c.operator == "start" {
                String::new()
            } else {
                c.origin
            };
            let steps = store
                .candidate_steps(c.id)
                .unwrap()
                .into_iter()
                .map(|k| {
                    (
                        k.stage, k.seeds, k.against, k.mine, k.theirs, k.p_value, k.outcome,
                    )
                })
                .collect();
            (
                c.operator,
                c.parent,
                origin,
                c.status.to_string(),
                cases,
                steps,
            )
        })
        .collect();
    (rows, doc, dir)
}

#[test]
fn a_capped_search_with_a_fixed_seed_is_the_same_search_and_cascades() {
    let (first, doc, _) = capped_search("11");
    let (second, _, _) = capped_search("11");
    assert_eq!(
        first, second,
        "the same seed, the same scores: the same search"
    );
    assert!(first.len() >= 4, "{first:?}");
    // A child clearly worse than its parent on the first seeds is not run on all of them.
    let stopped: Vec<_> = first
        .iter()
        .filter(|c| c.3 == "stopped after 4 seeds")
        .collect();
    assert!(!stopped.is_empty(), "{first:?}");
    // (A child may also hold cases a tuning burst judged of the same source.)
    assert!(stopped.iter().all(|c| c.4 < 100), "{stopped:?}");
    assert!(stopped.iter().any(|c| c.4 == 4), "{stopped:?}");
    // Past the first seeds, a child raced against the best stops once the
    // paired test says it is worse (or it is not ahead after a quarter).
    let raced: Vec<_> = first
        .iter()
        .filter(|c| c.3.starts_with("raced out after") || c.3.starts_with("not ahead after"))
        .collect();
    assert!(!raced.is_empty(), "{first:?}");
    assert!(raced.iter().all(|c| c.4 > 4 && c.4 < 100), "{raced:?}");
    // Each candidate's steps say how it got there, with the figures the
    // search decided on.
    let alpha = ale::tune::stats::RACING_ALPHA;
    for c in &first {
        let last = c.5.last().unwrap_or_else(|| panic!("no step: {c:?}"));
        let (stage, seeds, against, mine, theirs, p, outcome) = last;
        match c.3.as_str() {
            "evaluated" => {
                assert_eq!(
                    (stage.as_str(), outcome.as_str()),
                    ("all seeds", "evaluated")
                );
                assert_eq!(*seeds, 100, "{c:?}");
            }
            "stopped after 4 seeds" => {
                assert_eq!(stage, "first seeds", "{c:?}");
                assert_eq!((*seeds, *against), (4, c.1), "{c:?}");
                assert!(mine.unwrap() < theirs.unwrap() - 0.005, "{c:?}");
                assert_eq!(outcome, "stopped: behind its parent");
            }
            s if s.starts_with("raced out after") => {
                assert_eq!(stage, "race", "{c:?}");
                assert!(p.unwrap() < alpha, "{c:?}");
                assert!(mine.is_some() && theirs.is_some(), "{c:?}");
                assert_eq!(s, format!("raced out after {seeds} seeds"));
            }
            s if s.starts_with("not ahead after") => {
                assert_eq!(stage, "race", "{c:?}");
                assert!(p.is_none_or(|p| p >= alpha), "{c:?}");
                assert_eq!(outcome, "not ahead of the best");
            }
            s if s.starts_with("dropped") => {
                assert_eq!(stage, "halving", "{c:?}");
                assert!(outcome.starts_with("dropped: 2 of 2"), "{c:?}");
            }
            _ => {}
        }
        // A child of the cascade passed its first seeds before it raced.
        if c.3 != "stopped after 4 seeds" && c.0 != "start" && c.0 != "tune" {
            if let Some(first_step) = c.5.iter().find(|k| k.0 == "first seeds") {
                assert_eq!(first_step.6, "passed", "{c:?}");
            }
        }
    }
    // The two starts raced in a round of halving: one kept, one dropped.
    let halving: Vec<&str> = first
        .iter()
        .flat_map(|c| c.5.iter())
        .filter(|k| k.0 == "halving")
        .map(|k| k.6.as_str())
        .collect();
    assert_eq!(halving, ["kept: 1 of 2", "dropped: 2 of 2"], "{first:?}");
    // The report compares the submission with each starting solver.
    let starts = doc["report"]["search"]["against_starts"]
        .as_array()
        .unwrap();
    assert_eq!(starts.len(), 2);
    assert!(
        doc["report"]["search"]["budget"]["evaluations"]
            .as_u64()
            .unwrap()
            >= 400
    );
}

#[test]
fn ctrl_c_submits_the_best_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let child = spawn_ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "10m",
            "-j",
            "2",
            "--only-from",
            "--json",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
        ],
    );
    wait_for_store(dir.path(), "child candidate", |s| {
        s.candidates(1).is_ok_and(|t| t.len() >= 2)
    });
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The private judging ran whole after the stop.
    assert_eq!(doc["report"]["private"]["cases"], 200);
    let o = ale(dir.path(), &["sessions", "--json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["status"], "stopped");
}

#[test]
fn a_start_that_differs_only_in_comments_and_spacing_is_not_judged_again() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(solution("tsp_passes.rs")).unwrap();
    let restyled = format!(
        "// the same program, restyled\n\n{}",
        original
            .replace("    ", "\t")
            .replace("fn main() {", "fn main()\n{ /* entry */")
    );
    let copy = dir.path().join("copy.rs");
    std::fs::write(&copy, restyled).unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--budget",
            "1m",
            "--evaluations",
            "100",
            "-j",
            "2",
            "--only-from",
            "--json",
            "--from",
            solution("tsp_passes.rs").to_str().unwrap(),
            copy.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let starts: Vec<_> = store
        .candidates(1)
        .unwrap()
        .into_iter()
        .filter(|c| c.operator == "start")
        .collect();
    assert_eq!(starts.len(), 1, "{starts:?}");
    assert!(starts[0].origin.ends_with("tsp_passes.rs"));
    // Its 100 public cases ran once.
    assert_eq!(store.candidate_cases(starts[0].id).unwrap().len(), 100);
}

/// The starting solvers of session 1 in the store in `dir`, in the order added.
fn stored_starts(dir: &std::path::Path) -> Vec<ale::store::CandidateRow> {
    let store = ale::store::Store::open(&dir.join(".ale/ale.db")).unwrap();
    store
        .candidates(1)
        .unwrap()
        .into_iter()
        .filter(|c| c.operator == "start")
        .collect()
}

#[test]
fn a_built_in_problem_starts_from_the_solvers_ale_carries_in_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "prospect",
            "--budget",
            "10m",
            "--evaluations",
            "150",
            "-j",
            "2",
            "--json",
        ],
    );
    assert_ok(&o);
    let starts = stored_starts(dir.path());
    let origins: Vec<&str> = starts.iter().map(|c| c.origin.as_str()).collect();
    assert_eq!(
        origins,
        ["builtin:prospect/baseline.rs", "builtin:prospect/ucb.rs"]
    );
    for (start, file) in starts.iter().zip(["baseline.rs", "ucb.rs"]) {
        let shipped = std::fs::read_to_string(common::repo("solvers/prospect").join(file)).unwrap();
        assert_eq!(start.source, shipped, "{file}");
    }
    // The report compares the submission with both, by those names.
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let against: Vec<&str> = doc["report"]["search"]["against_starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["origin"].as_str().unwrap())
        .collect();
    assert_eq!(against, origins);
    assert_eq!(doc["report"]["private"]["cases"], 200);
    // Nothing was written beside the user's files but the submission.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".ale", "submissions"]);
}

#[test]
fn a_solvers_folder_adds_to_the_carried_solvers_and_replaces_one_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("solvers/prospect");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("baseline.rs"),
        "fn main() {\n    panic!(\"the baseline of this folder\");\n}\n",
    )
    .unwrap();
    // A different program from the carried ucb.rs: another lattice share.
    let ucb = std::fs::read_to_string(common::repo("solvers/prospect/ucb.rs")).unwrap();
    let extra = ucb.replace(
        "const LATTICE_SHARE: f64 = 0.4;",
        "const LATTICE_SHARE: f64 = 0.6;",
    );
    assert_ne!(extra, ucb);
    std::fs::write(folder.join("extra.rs"), &extra).unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "prospect",
            "--budget",
            "10m",
            "--evaluations",
            "150",
            "-j",
            "2",
            "--json",
        ],
    );
    assert_ok(&o);
    let starts = stored_starts(dir.path());
    let origins: Vec<&str> = starts.iter().map(|c| c.origin.as_str()).collect();
    assert_eq!(
        origins,
        [
            "solvers/prospect/baseline.rs",
            "solvers/prospect/extra.rs",
            "builtin:prospect/ucb.rs"
        ]
    );
    // The folder's baseline is the one judged: it panics with its own words.
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let replaced = &starts[0];
    assert_eq!(replaced.status, ale::store::CandidateStatus::Dropped(4));
    let cases = store.candidate_cases(replaced.id).unwrap();
    assert_eq!(cases.len(), 4);
    assert!(
        cases.iter().all(|c| c
            .stderr
            .as_deref()
            .is_some_and(|s| s.contains("the baseline of this folder"))),
        "{cases:?}"
    );
    // The added one ran, and was accepted, as a start of its own.
    assert_eq!(starts[1].source, extra);
    let cases = store.candidate_cases(starts[1].id).unwrap();
    assert!(cases.len() >= 8, "{cases:?}");
    assert!(cases.iter().all(|c| c.score.is_some()), "{cases:?}");
}

#[test]
fn the_search_and_the_submission_take_the_seeds_they_are_given() {
    let dir = tempfile::tempdir().unwrap();
    let passes = solution("tsp_passes.rs");
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--only-from",
            "--from",
            passes.to_str().unwrap(),
            "--seeds",
            "3..11",
            "--private-seeds",
            "2000..2005",
            "--budget",
            "10m",
            "--evaluations",
            "40",
            "-j",
            "2",
            "--json",
        ],
    );
    assert_ok(&o);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let report = &doc["report"];
    assert_eq!(report["public"]["seeds"], "3..11");
    assert_eq!(report["public"]["cases"], 8);
    assert_eq!(report["private"]["seeds"], "2000..2005");
    assert_eq!(report["private"]["cases"], 5);
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    for c in store.candidates(doc["session"].as_i64().unwrap()).unwrap() {
        for case in store.candidate_cases(c.id).unwrap() {
            assert!(
                (3..11).contains(&case.seed),
                "candidate {} ran seed {}",
                c.id,
                case.seed
            );
        }
    }
    // Seeds the search saw are never the ones the winner is judged on.
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--seeds",
            "0..10",
            "--private-seeds",
            "5..20",
            "--budget",
            "5s",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("overlap"), "{stderr}");
}

#[test]
fn model_operators_alone_without_a_model_is_an_error_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = ale(
        dir.path(),
        &[
            "solve",
            "tsp",
            "--operators",
            "improve,draft",
            "--budget",
            "5s",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("every one of them asks a language model") && stderr.contains("perturb"),
        "{stderr}"
    );
}

#[test]
fn every_choice_of_the_operators_bandit_is_recorded_with_the_figures_it_compared() {
    let (_, _, dir) = capped_search("3");
    let store = ale::store::Store::open(&dir.path().join(".ale/ale.db")).unwrap();
    let choices = store.bandit_choices(1).unwrap();
    assert!(choices.len() >= 3, "{choices:?}");
    // Numbered 1, 2, ... in the order they were made, on the search's clock.
    assert!(choices.iter().zip(1..).all(|(c, n)| c.number == n));
    assert!(choices.windows(2).all(|w| w[0].at_s <= w[1].at_s));
    assert!(
        choices.iter().all(|c| c.bandit == "operator"),
        "no model here"
    );
    let arms: Vec<&str> = choices[0].arms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(arms, ["perturb", "crossover", "tune"]);
    // The bandit's uses of an operator at each choice are the choices of it
    // recorded before: every use is recorded, and nothing else is.
    for (i, c) in choices.iter().enumerate() {
        for arm in &c.arms {
            let before = choices[..i].iter().filter(|p| p.chosen == arm.name).count();
            assert_eq!(arm.uses, before, "choice {}: {arm:?}", c.number);
            assert_eq!(arm.ucb.is_none(), arm.uses == 0, "{arm:?}");
        }
        // The chosen one could act, and beat every other that could: an
        // untried one goes first (the last of them), else the highest value.
        let chosen = c.arms.iter().position(|a| a.name == c.chosen).unwrap();
        assert!(c.arms[chosen].able, "{c:?}");
        let able: Vec<usize> = (0..c.arms.len()).filter(|&k| c.arms[k].able).collect();
        match able.iter().rev().find(|&&k| c.arms[k].uses == 0) {
            Some(&untried) => assert_eq!(chosen, untried, "{c:?}"),
            None => {
                let top = able
                    .iter()
                    .map(|&k| c.arms[k].ucb.unwrap())
                    .fold(f64::NEG_INFINITY, f64::max);
                assert_eq!(c.arms[chosen].ucb, Some(top), "{c:?}");
            }
        }
    }
    // Past the first tries, values decided some choices.
    assert!(
        choices
            .iter()
            .any(|c| c.arms.iter().all(|a| !a.able || a.uses > 0)),
        "{choices:?}"
    );
    // An offline operator makes at most one candidate a choice.
    let made = |op: &str| {
        store
            .candidates(1)
            .unwrap()
            .iter()
            .filter(|c| c.operator == op)
            .count()
    };
    for op in ["perturb", "crossover"] {
        let chosen = choices.iter().filter(|k| k.chosen == op).count();
        assert!(
            made(op) <= chosen,
            "{op}: {} made, {chosen} chosen",
            made(op)
        );
    }
}
