//! Problems whose inputs and scores come from the contest's own tools: a
//! generator and a scorer run as commands, following the AtCoder Heuristic
//! Contest convention (`gen seeds.txt --dir=DIR`, `vis input output` printing
//! `Score = N`).

use crate::judge::measure;
use crate::judge::sandbox::{Launch, Scratch};
use crate::judge::{self, Execution, Judged, Limits, Outcome, Verdict};
use regex::Regex;
use serde::Deserialize;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `[tools]` table of a `problem.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTools {
    /// Writes the inputs of the seeds listed in `{seeds}` into `{dir}`, named
    /// by position: `0000.txt`, ...
    pub generate: Vec<String>,
    /// Scores `{output}` on `{input}`, printing the score line.
    pub score: Vec<String>,
    /// The score line; the first group is the score, the last match counts.
    #[serde(default = "default_pattern")]
    pub score_pattern: String,
    /// Where the scorer prints it: `stdout` or `stderr`.
    #[serde(default = "default_stream")]
    pub score_from: String,
    /// A folder of ready inputs, `0000.txt` for seed 0 and so on, used for the
    /// seeds it holds.
    #[serde(default)]
    pub inputs: Option<PathBuf>,
    /// For interactive problems: runs the solution `{solution}` (its whole
    /// command line) with the input on stdin (or as `{input}`), relays the
    /// interaction, writes the solution's output and prints the score line.
    #[serde(default)]
    pub tester: Vec<String>,
    /// Where the tester prints its score line: `stdout` or `stderr`.
    #[serde(default = "default_tester_stream")]
    pub tester_score_from: String,
}

fn default_tester_stream() -> String {
    "stderr".into()
}

fn default_pattern() -> String {
    r"Score = (\d+)".into()
}

fn default_stream() -> String {
    "stdout".into()
}

/// The tools, ready to use.
#[derive(Debug, Clone)]
pub struct Tools {
    generate: Vec<String>,
    score: Vec<String>,
    pattern: Regex,
    from_stderr: bool,
    inputs: Option<PathBuf>,
    tester: Vec<String>,
    tester_from_stderr: bool,
    /// Relative paths in the commands are relative to this folder.
    base: PathBuf,
}

/// What the scorer made of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scored {
    Score(i64),
    /// The scorer rejected the output (it printed score 0 and a reason).
    Wrong(String),
    /// The tool failed: no score line, a crash. Never the solution's fault.
    Broken(String),
}

impl Tools {
    /// Checks the table; `base` is the problem's folder.
    pub fn new(raw: RawTools, base: &Path) -> Result<Tools, String> {
        if raw.generate.is_empty() || raw.score.is_empty() {
            return Err("`generate` and `score` each need a command".into());
        }
        let pattern = Regex::new(&raw.score_pattern)
            .map_err(|e| format!("`score_pattern` is not a regular expression: {e}"))?;
        if pattern.captures_len() < 2 {
            return Err(
                "`score_pattern` needs a group around the score, like `Score = (\\d+)`".into(),
            );
        }
        let stream = |key: &str, value: &str| match value {
            "stdout" => Ok(false),
            "stderr" => Ok(true),
            other => Err(format!("`{key}` is `{other}`; use `stdout` or `stderr`")),
        };
        let from_stderr = stream("score_from", &raw.score_from)?;
        let tester_from_stderr = stream("tester_score_from", &raw.tester_score_from)?;
        if !raw.tester.is_empty() && !raw.tester.iter().any(|a| a == "{solution}") {
            return Err(
                "`tester` must name the solution as an argument of its own: \"{solution}\"".into(),
            );
        }
        Ok(Tools {
            generate: raw.generate,
            score: raw.score,
            pattern,
            from_stderr,
            inputs: raw.inputs.map(|p| base.join(p)),
            tester: raw.tester,
            tester_from_stderr,
            base: base.to_path_buf(),
        })
    }

    /// Whether the problem has a tester (is interactive).
    pub fn interactive(&self) -> bool {
        !self.tester.is_empty()
    }

    /// Judges an interactive case: the tester runs the solution through
    /// `ale __measure`, which reports the solution's own time and memory.
    pub fn judge_interactive(
        &self,
        solution: &[impl AsRef<OsStr>],
        input: &str,
        limits: &Limits,
    ) -> Outcome {
        let broken = |why: String| Outcome::not_run(Verdict::IE, why);
        let Some(ale) = judge::launcher() else {
            return broken(
                "the tester needs the ale binary beside this program to time the solution (set ALE_BIN)"
                    .into(),
            );
        };
        let (work, scratch) = match (tempfile::tempdir(), Scratch::create()) {
            (Ok(w), Ok(s)) => (w, s),
            (Err(e), _) | (_, Err(e)) => return broken(format!("folders for the tester: {e}")),
        };
        let input_file = work.path().join("input.txt");
        let report = work.path().join("report");
        if let Err(e) = std::fs::write(&input_file, input) {
            return broken(format!("writing the tester's input: {e}"));
        }
        let launch = Launch::new(solution, limits, scratch.path());
        // The solution runs in this thread's box, started by its spawn
        // server, which the tester passes on to the wrapper as descriptor 3.
        let server = match judge::reserve_server(ale, &launch) {
            Ok(s) => s,
            Err(e) => return broken(format!("could not start the solution's box: {e}")),
        };
        let mut wrapper: Vec<OsString> = vec![ale.as_os_str().to_os_string()];
        match measure::wrapper_arguments(&report, server.tag(), &launch) {
            Ok(args) => wrapper.extend(args),
            Err(e) => return broken(format!("the solution's command line: {e}")),
        }
        let mut command: Vec<OsString> = Vec::new();
        for part in &self.tester {
            if part == "{solution}" {
                command.extend(wrapper.iter().cloned());
            } else {
                command.push(
                    part.replace("{input}", &input_file.to_string_lossy())
                        .into(),
                );
            }
        }
        if let Some(first) = command.first_mut() {
            let program = Path::new(first.as_os_str());
            if program.is_relative() && first.to_string_lossy().contains('/') {
                *first = self.base.join(program).into_os_string();
            }
        }
        // The tester is the contest's own program: it runs outside the box.
        let mut tester_limits = limits.clone();
        tester_limits.sandbox = None;
        let tester = judge::execute_passing(
            &command,
            input.as_bytes(),
            &tester_limits,
            Some(server.socket()),
        );
        // Whatever the tester did, the solution does not outlive the case.
        server.kill();
        let tester = match tester {
            Ok(run) => run,
            Err(e) => return broken(format!("could not run the tester: {e}")),
        };
        let solution_run = std::fs::read_to_string(&report)
            .ok()
            .and_then(|r| crate::judge::zygote::parse_figures(&r));
        let Some(measured) = solution_run else {
            if tester.killed_by_timer {
                return judge::verdict_of(tester, limits, |_| Judged::Broken(String::new()));
            }
            return broken(format!(
                "the tester ended ({}) without running the solution: {}",
                tester.exit,
                last_lines(&tester.stderr_tail)
            ));
        };
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&tester.stdout),
            tester.stderr_tail
        );
        let stream = if self.tester_from_stderr {
            tester.stderr_tail.clone()
        } else {
            String::from_utf8_lossy(&tester.stdout).into_owned()
        };
        let tester_exit = tester.exit;
        let run = Execution {
            exit: measured.exit,
            wall: measured.wall,
            cpu: measured.cpu,
            peak_memory_kb: measured.peak_memory_kb,
            folder_full: measured.folder_full,
            stdout: tester.stdout,
            // The solution's own stderr, which `__measure` kept apart from
            // the tester's (where the score is looked for).
            stderr_tail: std::fs::read_to_string(measure::stderr_file(&report)).unwrap_or_default(),
            output_overflow: tester.output_overflow,
            killed_by_timer: tester.killed_by_timer || measured.killed_by_timer,
        };
        judge::verdict_of(run, limits, |_| match self.score_in(&stream, &printed) {
            Scored::Score(s) => Judged::Score(s),
            Scored::Wrong(why) => Judged::Wrong(why),
            Scored::Broken(why) => Judged::Broken(format!(
                "the tester {why} ({tester_exit}): {}",
                last_lines(&printed)
            )),
        })
    }

    /// The score in `stream`, judged against everything the tool printed.
    fn score_in(&self, stream: &str, printed: &str) -> Scored {
        let Some(score) = self
            .pattern
            .captures_iter(stream)
            .last()
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse::<i64>().ok())
        else {
            return Scored::Broken(format!(
                "printed no line matching `{}`",
                self.pattern.as_str()
            ));
        };
        let reason: Vec<&str> = printed
            .lines()
            .filter(|l| !l.trim().is_empty() && !self.pattern.is_match(l))
            .collect();
        if score == 0 && !reason.is_empty() {
            return Scored::Wrong(reason.join(" | "));
        }
        Scored::Score(score)
    }

    /// The input of a seed: the shipped file when there is one, else the generator's.
    pub fn generate(&self, seed: u64) -> Result<String, String> {
        if let Some(dir) = &self.inputs {
            let file = dir.join(format!("{seed:04}.txt"));
            if file.is_file() {
                return std::fs::read_to_string(&file)
                    .map_err(|e| format!("{}: {e}", file.display()));
            }
        }
        let work = tempfile::tempdir().map_err(|e| format!("a folder for the generator: {e}"))?;
        let seeds = work.path().join("seeds.txt");
        std::fs::write(&seeds, format!("{seed}\n")).map_err(|e| e.to_string())?;
        let out = work.path().join("in");
        std::fs::create_dir(&out).map_err(|e| e.to_string())?;
        let command = self.fill(
            &self.generate,
            &[("{seeds}", seeds.as_path()), ("{dir}", out.as_path())],
            Some(seed),
        );
        let result = self.run(&command, work.path())?;
        let file = out.join("0000.txt");
        std::fs::read_to_string(&file).map_err(|_| {
            format!(
                "the generator wrote no {} ({}): {}",
                file.display(),
                result.status,
                last_lines(&result.text)
            )
        })
    }

    /// Scores an output with the scorer command.
    pub fn score(&self, input: &str, output: &[u8]) -> Scored {
        let work = match tempfile::tempdir() {
            Ok(w) => w,
            Err(e) => return Scored::Broken(format!("a folder for the scorer: {e}")),
        };
        let (input_file, output_file) = (
            work.path().join("input.txt"),
            work.path().join("output.txt"),
        );
        if let Err(e) =
            std::fs::write(&input_file, input).and_then(|_| std::fs::write(&output_file, output))
        {
            return Scored::Broken(format!("writing the scorer's files: {e}"));
        }
        let command = self.fill(
            &self.score,
            &[
                ("{input}", input_file.as_path()),
                ("{output}", output_file.as_path()),
            ],
            None,
        );
        let result = match self.run(&command, work.path()) {
            Ok(r) => r,
            Err(e) => return Scored::Broken(e),
        };
        let stream = if self.from_stderr {
            &result.stderr
        } else {
            &result.stdout
        };
        let Some(score) = self
            .pattern
            .captures_iter(stream)
            .last()
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse::<i64>().ok())
        else {
            return Scored::Broken(format!(
                "the scorer printed no line matching `{}` ({}): {}",
                self.pattern.as_str(),
                result.status,
                last_lines(&result.text)
            ));
        };
        // The convention: an invalid output scores 0 with a line saying why.
        let reason: Vec<&str> = result
            .text
            .lines()
            .filter(|l| !l.trim().is_empty() && !self.pattern.is_match(l))
            .collect();
        if score == 0 && !reason.is_empty() {
            return Scored::Wrong(reason.join(" | "));
        }
        Scored::Score(score)
    }

    fn fill(&self, template: &[String], files: &[(&str, &Path)], seed: Option<u64>) -> Vec<String> {
        template
            .iter()
            .map(|part| {
                let mut part = part.clone();
                for (key, path) in files {
                    part = part.replace(key, &path.to_string_lossy());
                }
                if let Some(seed) = seed {
                    part = part
                        .replace("{seed04}", &format!("{seed:04}"))
                        .replace("{seed}", &seed.to_string());
                }
                part
            })
            .collect()
    }

    fn run(&self, command: &[String], cwd: &Path) -> Result<ToolRun, String> {
        let program = Path::new(&command[0]);
        let program = if program.is_relative() && command[0].contains('/') {
            self.base.join(program)
        } else {
            program.to_path_buf()
        };
        let out = Command::new(&program)
            .args(&command[1..])
            .current_dir(cwd)
            .output()
            .map_err(|e| format!("could not start {}: {e}", program.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        Ok(ToolRun {
            status: out.status.to_string(),
            text: format!("{stdout}{stderr}"),
            stdout,
            stderr,
        })
    }
}

struct ToolRun {
    status: String,
    stdout: String,
    stderr: String,
    text: String,
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(5)..].join(" | ");
    if tail.is_empty() {
        "it printed nothing".into()
    } else {
        tail
    }
}
