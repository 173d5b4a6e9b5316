//! Golden inputs: a seed fixes its input byte for byte on every machine and every
//! version. A change of generator shows up here as a diff of tests/golden/.
//! Run with UPDATE_GOLDEN=1 to rewrite the files after an intended change.

mod common;

use scorers::Problem;

const SEEDS: &[u64] = &[0, 1, 2, 42, 1000];

#[test]
fn generators_match_their_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for problem in scorers::all() {
        for &seed in SEEDS {
            let path = common::repo(&format!("tests/golden/{}/{seed:04}.txt", problem.id()));
            let generated = problem.generate(seed);
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &generated).unwrap();
                continue;
            }
            let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
                    path.display()
                )
            });
            assert!(
                generated == golden,
                "{} seed {seed} differs from {}",
                problem.id(),
                path.display()
            );
        }
    }
}

#[test]
fn golden_heads_are_pinned_in_code_too() {
    // The first lines of seed 0, written here so that even a wholesale
    // regeneration of tests/golden/ cannot hide a change of stream.
    let head = |p: &dyn Problem, seed, n| {
        p.generate(seed)
            .lines()
            .take(n)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(head(&scorers::tsp::Tsp, 0, 3), GOLDEN_TSP_0);
    assert_eq!(head(&scorers::prospect::Prospect, 0, 1), GOLDEN_PROSPECT_0);
}

const GOLDEN_TSP_0: &str = "316\n0 495628\n385360 552068";
const GOLDEN_PROSPECT_0: &str = "28 7 243 107";
