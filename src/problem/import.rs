//! `ale import`: a contest's tools folder becomes a problem. The tools are
//! built once; the problem points at the built programs by absolute path.

use crate::error::{Error, Result};
use crate::problem::Objective;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub tools: PathBuf,
    pub id: String,
    pub objective: Objective,
    pub time_limit_ms: u64,
    pub statement: Option<PathBuf>,
    /// The tester takes the input file as its first argument (`tester input cmd...`).
    pub tester_input_argument: bool,
}

/// The files of an imported problem.
#[derive(Debug, Clone)]
pub struct Imported {
    pub problem_toml: String,
    pub statement: String,
}

/// Builds the tools (`cargo build --release`) and describes the problem.
pub fn import(options: &ImportOptions) -> Result<Imported> {
    let tools = std::fs::canonicalize(&options.tools).map_err(|e| Error::io(&options.tools, e))?;
    if !tools.join("Cargo.toml").is_file() {
        return Err(Error::Usage(format!(
            "{}: no Cargo.toml; give the folder the contest's tools were unpacked in",
            tools.display()
        )));
    }
    let built = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(&tools)
        .output()
        .map_err(|e| Error::Internal(format!("could not start cargo: {e}; install Rust")))?;
    if !built.status.success() {
        return Err(Error::Internal(format!(
            "{}: cargo build --release failed: {}",
            tools.display(),
            String::from_utf8_lossy(&built.stderr).trim()
        )));
    }
    let program = |name: &str| -> Result<PathBuf> {
        let path = tools.join("target/release").join(name);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::Usage(format!(
                "{}: the tools built no `{name}` (src/bin/{name}.rs)",
                tools.display()
            )))
        }
    };
    let (gen, vis) = (program("gen")?, program("vis")?);
    let tester = if tools.join("src/bin/tester.rs").is_file() {
        Some(program("tester")?)
    } else {
        None
    };
    let inputs = tools.join("in");
    let quote = |p: &Path| toml_string(&p.to_string_lossy());
    let mut toml = format!(
        "# Imported by `ale import` from {tools}.\n\
         id = {id}\n\
         title = {id}\n\
         objective = \"{objective}\"\n\
         time_limit_ms = {time_limit}\n\
         memory_limit_mb = 1024\n\
         interactive = {interactive}\n\
         public_seeds = \"0..100\"\n\
         private_seeds = \"1000..1200\"\n\n\
         [tools]\n\
         generate = [{gen}, \"{{seeds}}\", \"--dir={{dir}}\"]\n\
         score = [{vis}, \"{{input}}\", \"{{output}}\"]\n",
        tools = tools.display(),
        id = toml_string(&options.id),
        objective = options.objective.as_str(),
        time_limit = options.time_limit_ms,
        gen = quote(&gen),
        vis = quote(&vis),
        interactive = tester.is_some(),
    );
    if let Some(tester) = &tester {
        let input = if options.tester_input_argument {
            "\"{input}\", "
        } else {
            ""
        };
        toml += &format!("tester = [{}, {input}\"{{solution}}\"]\n", quote(tester));
    }
    if inputs.is_dir() {
        toml += &format!("inputs = {}\n", quote(&inputs));
    }
    let statement = match &options.statement {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?,
        None => format!(
            "# {}\n\nImported from the contest's tools in {}; the statement is the contest's own.\n",
            options.id,
            tools.display()
        ),
    };
    Ok(Imported {
        problem_toml: toml,
        statement,
    })
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
