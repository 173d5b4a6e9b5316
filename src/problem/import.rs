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
    /// Whether the problem is interactive, or to guess it from the tools.
    pub interaction: Interaction,
}

/// Whether a problem is interactive: said by the user, or guessed from the tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interaction {
    /// Interactive when the tools crate has the contest's tester, `src/bin/tester.rs`.
    #[default]
    Guess,
    /// Judged through the tools' `tester` binary, wherever its source is.
    Interactive,
    /// A solution's output is scored by `vis`; a tester, if any, is not used.
    Batch,
}

/// Where a contest's tools keep the interactive tester: a binary of the
/// tools crate itself. Only this file counts: a contestant's repository may
/// hold a `tester.rs` of its own elsewhere (a runner of many cases, say).
pub const TESTER_SOURCE: &str = "src/bin/tester.rs";

/// Whether the problem is interactive, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionChoice {
    pub interactive: bool,
    /// Guessed from the tools (true), or said by the user.
    pub guessed: bool,
    /// What in the tools made the guess (`said so` when not guessed).
    pub reason: String,
}

/// Decides whether the tools in `tools` make an interactive problem.
pub fn choose_interaction(tools: &Path, interaction: Interaction) -> InteractionChoice {
    match interaction {
        Interaction::Interactive => InteractionChoice {
            interactive: true,
            guessed: false,
            reason: "said so".into(),
        },
        Interaction::Batch => InteractionChoice {
            interactive: false,
            guessed: false,
            reason: "said so".into(),
        },
        Interaction::Guess => {
            let found = tools.join(TESTER_SOURCE).is_file();
            InteractionChoice {
                interactive: found,
                guessed: true,
                reason: if found {
                    format!("the tools crate has {TESTER_SOURCE}")
                } else {
                    format!("the tools crate has no {TESTER_SOURCE}")
                },
            }
        }
    }
}

/// The files of an imported problem.
#[derive(Debug, Clone)]
pub struct Imported {
    pub problem_toml: String,
    pub statement: String,
    pub interaction: InteractionChoice,
}

/// The programs of a contest's tools, built.
#[derive(Debug, Clone)]
pub struct BuiltTools {
    /// The tools' folder, absolute.
    pub folder: PathBuf,
    pub gen: PathBuf,
    pub vis: PathBuf,
    /// The interactive tester, when the problem is interactive.
    pub tester: Option<PathBuf>,
    pub interaction: InteractionChoice,
}

/// Builds the tools crate in `tools` (`cargo build --release`) and finds
/// its programs; `interaction` says whether to use its tester.
pub fn build_tools(tools: &Path, interaction: Interaction) -> Result<BuiltTools> {
    let tools = std::fs::canonicalize(tools).map_err(|e| Error::io(tools, e))?;
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
    let interaction = choose_interaction(&tools, interaction);
    let tester = if interaction.interactive {
        Some(program("tester").map_err(|e| {
            Error::Usage(format!(
                "{e}; an interactive problem needs the tools' tester (give --batch if this problem is not interactive)"
            ))
        })?)
    } else {
        None
    };
    Ok(BuiltTools {
        folder: tools,
        gen,
        vis,
        tester,
        interaction,
    })
}

/// The `[tools]` section of a problem.toml for built tools.
pub fn tools_section(built: &BuiltTools, tester_input_argument: bool) -> String {
    let quote = |p: &Path| toml_string(&p.to_string_lossy());
    let mut toml = format!(
        "[tools]\n\
         generate = [{gen}, \"{{seeds}}\", \"--dir={{dir}}\"]\n\
         score = [{vis}, \"{{input}}\", \"{{output}}\"]\n",
        gen = quote(&built.gen),
        vis = quote(&built.vis),
    );
    if let Some(tester) = &built.tester {
        let input = if tester_input_argument {
            "\"{input}\", "
        } else {
            ""
        };
        toml += &format!("tester = [{}, {input}\"{{solution}}\"]\n", quote(tester));
    }
    toml
}

/// Builds the tools (`cargo build --release`) and describes the problem.
pub fn import(options: &ImportOptions) -> Result<Imported> {
    let built = build_tools(&options.tools, options.interaction)?;
    let tools = built.folder.clone();
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
         private_seeds = \"1000..1200\"\n\n",
        tools = tools.display(),
        id = toml_string(&options.id),
        objective = options.objective.as_str(),
        time_limit = options.time_limit_ms,
        interactive = built.tester.is_some(),
    );
    toml += &tools_section(&built, options.tester_input_argument);
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
        interaction: built.interaction,
    })
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tools_crate_s_bin_tester_makes_the_guess_interactive() {
        let tools = tempfile::tempdir().unwrap();
        let guess = || choose_interaction(tools.path(), Interaction::Guess);
        for stray in ["tester.rs", "src/tester.rs", "runner/src/bin/tester.rs"] {
            let path = tools.path().join(stray);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "fn main() {}\n").unwrap();
        }
        assert!(!guess().interactive);
        assert_eq!(guess().reason, "the tools crate has no src/bin/tester.rs");
        std::fs::create_dir_all(tools.path().join("src/bin")).unwrap();
        std::fs::write(tools.path().join(TESTER_SOURCE), "fn main() {}\n").unwrap();
        assert!(guess().interactive && guess().guessed);
        let said = choose_interaction(tools.path(), Interaction::Batch);
        assert!(!said.interactive && !said.guessed);
    }
}
