//! What every scorer fuzz target does: any input and any output give a
//! score, a wrong answer or an error from the scorer, checker and
//! visualiser, never a panic.

pub fn scorer(name: &str, data: &[u8]) {
    let problem = scorers::builtin(name).expect("a built-in problem");
    // The first eight bytes pick a seed whose generated input meets the rest as
    // an output; the whole text is also tried as an input.
    let seed = u64::from_le_bytes(std::array::from_fn(|i| data.get(i).copied().unwrap_or(0)));
    let rest = String::from_utf8_lossy(data.get(8..).unwrap_or(&[]));
    let input = problem.generate(seed % 64);
    let _ = problem.score(&input, &rest);
    let _ = problem.visualise(&input, &rest);
    if problem.check_input(&rest).is_ok() {
        let _ = problem.score(&rest, "0 1 2");
    }
}
