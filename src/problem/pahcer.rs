//! `ale import-pahcer`: a pahcer configuration becomes a problem, so that a
//! contestant's existing setup runs under ale. pahcer runs the solution with
//! the inputs of `tools/in/` and scores with a visualiser (or reads the
//! tester's score); the same commands become a `[tools]` table.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
struct Config {
    problem: ProblemSection,
    test: TestSection,
}

#[derive(Deserialize)]
struct ProblemSection {
    problem_name: String,
    objective: String,
    #[serde(default)]
    score_regex: Option<String>,
}

#[derive(Deserialize)]
struct TestSection {
    #[serde(default)]
    start_seed: u64,
    #[serde(default = "default_end")]
    end_seed: u64,
    #[serde(default)]
    test_steps: Vec<Step>,
}

fn default_end() -> u64 {
    100
}

#[derive(Deserialize, Clone)]
struct Step {
    program: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    stdout: Option<String>,
    #[serde(default)]
    current_dir: Option<String>,
    #[serde(default)]
    measure_time: bool,
}

/// The problem.toml and a statement for a pahcer configuration at `path`.
pub fn import_pahcer(path: &Path) -> Result<(String, String, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let config: Config = toml::from_str(&text).map_err(|e| Error::ProblemFile {
        path: path.display().to_string(),
        message: e.to_string().replace('\n', " "),
    })?;
    let base = std::fs::canonicalize(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .map_err(|e| Error::io(path, e))?;
    let bad = |message: String| Error::ProblemFile {
        path: path.display().to_string(),
        message,
    };
    let steps = &config.test.test_steps;
    let run_index = steps
        .iter()
        .position(|s| s.measure_time && s.stdin.is_some())
        .ok_or_else(|| {
            bad(
                "no test step with measure_time = true and stdin: which step runs the solution?"
                    .into(),
            )
        })?;
    let run = &steps[run_index];
    // pahcer opens a step's stdin and stdout files from its own folder,
    // whatever the step's current_dir.
    let input_pattern = normalise(&base.join(run.stdin.as_deref().unwrap_or("")));
    let output_pattern = run.stdout.as_deref().map(|o| normalise(&base.join(o)));
    let inputs = input_pattern
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let objective = match config.problem.objective.to_ascii_lowercase().as_str() {
        "max" => "max",
        "min" => "min",
        other => return Err(bad(format!("objective `{other}`: expected Max or Min"))),
    };
    let pattern = config
        .problem
        .score_regex
        .unwrap_or_else(|| r"(?m)^\s*Score\s*=\s*(\d+)\s*$".into());
    let interactive =
        run.program.contains("tester") || run.args.iter().any(|a| a.contains("tester"));
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let list = |parts: &[String]| {
        parts
            .iter()
            .map(|p| quote(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut tools = String::new();
    let mut score_command = None;
    if interactive {
        let mut command = command_of(&base, run)?;
        let last = command.len() - 1;
        command[last] = "{solution}".into();
        tools += &format!("tester = [{}]\n", list(&command));
    }
    // A later step that reads the run's output scores it (the visualiser).
    if let Some(output) = &output_pattern {
        for step in &steps[run_index + 1..] {
            let dir = step
                .current_dir
                .as_deref()
                .map_or(base.clone(), |d| base.join(d));
            let mut command = command_of(&base, step)?;
            let mut reads_output = false;
            for part in command.iter_mut().skip(1) {
                let p = normalise(&dir.join(&*part));
                if p == *output {
                    *part = "{output}".into();
                    reads_output = true;
                } else if p == input_pattern {
                    *part = "{input}".into();
                }
            }
            if reads_output {
                score_command = Some(command);
                break;
            }
        }
    }
    let score = match score_command {
        Some(c) => c,
        None if interactive => vec![
            "sh".into(),
            "-c".into(),
            "echo 'this pahcer set-up scores through its tester' >&2; exit 1".into(),
        ],
        None => {
            return Err(bad(
                "no test step reads the solution's output to score it".into()
            ))
        }
    };
    let gen = inputs
        .parent()
        .map(|tools| tools.join("target/release/gen"))
        .filter(|g| g.is_file());
    let generate = match gen {
        Some(g) => vec![g.to_string_lossy().into_owned(), "{seeds}".into(), "--dir={dir}".into()],
        None => vec![
            "sh".into(),
            "-c".into(),
            "echo 'no generator: this pahcer set-up runs on the inputs of its in/ folder' >&2; exit 1".into(),
        ],
    };
    let id = config.problem.problem_name.clone();
    let toml = format!(
        "# Imported by `ale import-pahcer` from {path}.\n\
         id = {id}\n\
         title = {id}\n\
         objective = \"{objective}\"\n\
         time_limit_ms = 2000\n\
         memory_limit_mb = 1024\n\
         interactive = {interactive}\n\
         public_seeds = \"{start}..{end}\"\n\
         private_seeds = \"{pstart}..{pend}\"\n\n\
         [tools]\n\
         generate = [{generate}]\n\
         score = [{score}]\n\
         score_pattern = {pattern}\n\
         inputs = {inputs}\n\
         {tools}",
        path = path.display(),
        id = quote(&id),
        start = config.test.start_seed,
        end = config.test.end_seed,
        pstart = config.test.end_seed.max(1000),
        pend = config.test.end_seed.max(1000) + 200,
        generate = list(&generate),
        score = list(&score),
        pattern = quote(&pattern),
        inputs = quote(&inputs.to_string_lossy()),
    );
    let statement = format!(
        "# {id}\n\nImported from the pahcer configuration {}.\n",
        path.display()
    );
    Ok((id, toml, statement))
}

/// A step's command line, with `cargo run --bin X --release` replaced by the
/// built binary (built here once), and relative programs made absolute.
fn command_of(base: &Path, step: &Step) -> Result<Vec<String>> {
    let dir = step
        .current_dir
        .as_deref()
        .map_or(base.to_path_buf(), |d| base.join(d));
    if step.program == "cargo" && step.args.first().map(String::as_str) == Some("run") {
        let mut rest = step.args[1..].iter();
        let mut bin = None;
        let mut args = Vec::new();
        while let Some(a) = rest.next() {
            match a.as_str() {
                "--bin" => bin = rest.next().cloned(),
                "--release" | "-r" | "--" => {}
                _ => args.push(a.clone()),
            }
        }
        let bin = bin.ok_or_else(|| {
            Error::Usage(format!("`cargo {}`: which --bin?", step.args.join(" ")))
        })?;
        let built = Command::new("cargo")
            .args(["build", "--release", "--quiet", "--bin", &bin])
            .current_dir(&dir)
            .output()
            .map_err(|e| Error::Internal(format!("could not start cargo: {e}")))?;
        if !built.status.success() {
            return Err(Error::Internal(format!(
                "{}: cargo build --release --bin {bin} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&built.stderr).trim()
            )));
        }
        let mut command = vec![dir
            .join("target/release")
            .join(&bin)
            .to_string_lossy()
            .into_owned()];
        command.extend(args.into_iter().map(|a| absolute_arg(&dir, &a)));
        return Ok(command);
    }
    let program = if step.program.contains('/') {
        normalise(&dir.join(&step.program))
            .to_string_lossy()
            .into_owned()
    } else {
        step.program.clone()
    };
    let mut command = vec![program];
    command.extend(step.args.iter().map(|a| absolute_arg(&dir, a)));
    Ok(command)
}

/// Relative file arguments (`./in/{SEED04}.txt`) become absolute.
fn absolute_arg(dir: &Path, arg: &str) -> String {
    if arg.starts_with("./") || arg.starts_with("../") {
        normalise(&dir.join(arg)).to_string_lossy().into_owned()
    } else {
        arg.to_string()
    }
}

/// A path without `.` and `..` parts.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
