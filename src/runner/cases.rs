//! Cases: generated from seeds, or read from a folder of input files.

use crate::error::{Error, Result};
use crate::judge::compile_hex as hex;
use crate::problem::{Problem, SeedRange};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One test case: its input and how to name it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The seed that generated it, or the number of its file name (`0042.txt` is 42).
    pub seed: Option<u64>,
    /// The file name its output is kept under, e.g. `0000.txt`.
    pub name: String,
    pub input: String,
    /// Hash of the input text: the key of its best score.
    pub hash: String,
}

impl Case {
    pub fn new(seed: Option<u64>, name: String, input: String) -> Case {
        let hash = hex(&Sha256::digest(input.as_bytes()));
        Case {
            seed,
            name,
            input,
            hash,
        }
    }
}

/// The file name of a seed's input: zero-padded to four digits.
pub fn seed_file_name(seed: u64) -> String {
    format!("{seed:04}.txt")
}

/// The generated inputs of `seeds`.
pub fn seed_cases(problem: &Problem, seeds: SeedRange) -> Vec<Case> {
    let generator = problem.builtin();
    seeds
        .iter()
        .map(|seed| Case::new(Some(seed), seed_file_name(seed), generator.generate(seed)))
        .collect()
}

/// The `*.txt` files of `dir`, in name order, each checked against the input format.
pub fn file_cases(problem: &Problem, dir: &Path) -> Result<Vec<Case>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt") && p.is_file())
        .collect();
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no *.txt input files; write some with `ale gen {} --seeds 0..10 --out {}`",
            dir.display(),
            problem.id,
            dir.display()
        )));
    }
    files.sort();
    let checker = problem.builtin();
    files
        .into_iter()
        .map(|path| {
            let input = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            checker
                .check_input(&input)
                .map_err(|message| Error::BadInput {
                    path: path.clone(),
                    message: format!("not a valid {} input: {message}", problem.id),
                })?;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let seed = name.trim_end_matches(".txt").parse().ok();
            Ok(Case::new(seed, name, input))
        })
        .collect()
}
