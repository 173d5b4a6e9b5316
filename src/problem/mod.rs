//! Problems: `problem.toml` parsing and validation, the one interface through
//! which a problem generates, checks, judges and scores, the objective's rules
//! (relative scores, one solution against another), and the registry that
//! joins the built-in problems (with the solvers they carry) with those of a
//! problems folder.

pub mod ale_bench;
mod builtin;
pub mod external;
pub mod import;
pub mod pahcer;
mod registry;
mod seeds;
pub mod standings;

pub use registry::Registry;
pub use seeds::Seeds;

use crate::error::{Error, Result};
use crate::judge::{self, Limits, Outcome};
use external::{RawTools, Tools};
use serde::Deserialize;
use std::fmt;

/// Whether a higher or a lower score is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    Max,
    Min,
}

impl Objective {
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Max => "max",
            Objective::Min => "min",
        }
    }

    /// True when `a` is strictly better than `b`.
    pub fn better(self, a: i64, b: i64) -> bool {
        match self {
            Objective::Max => a > b,
            Objective::Min => a < b,
        }
    }

    /// 100 x score/best (max) or 100 x best/score (min); 100 when both are 0.
    pub fn relative(self, score: i64, best: i64) -> f64 {
        let (num, den) = match self {
            Objective::Max => (score, best),
            Objective::Min => (best, score),
        };
        if den == 0 {
            if num == 0 {
                100.0
            } else {
                0.0
            }
        } else {
            100.0 * num as f64 / den as f64
        }
    }
}

impl Objective {
    /// One case of solution `a` against the same case of solution `b`, as a
    /// ratio: 1 when they are as good, above 1 when `a` is better. `None` is a
    /// case that was not accepted. This is ale's one rule for a failed case
    /// in a comparison of two solutions (the tuner's trials and hold-out, the
    /// search's races and its report against the starts, `ale check`'s
    /// figure against the baseline):
    ///
    /// - both accepted: [`Objective::relative`] / 100;
    /// - `a` failed, `b` accepted: 0, a full point down;
    /// - `a` accepted, `b` failed: 2, a full point up;
    /// - both failed: 1, nothing to tell them apart.
    ///
    /// (Against the best score seen, as the contest's relative score is, a
    /// failed case is simply 0: see `runner`.)
    pub fn versus(self, a: Option<i64>, b: Option<i64>) -> f64 {
        match (a, b) {
            (Some(a), Some(b)) => self.relative(a, b) / 100.0,
            (None, Some(_)) => 0.0,
            (Some(_), None) => 2.0,
            (None, None) => 1.0,
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the contest's scoring tool makes of an output.
fn external_score(tools: &external::Tools, input: &str, output: &[u8]) -> judge::Judged {
    match tools.score(input, output) {
        external::Scored::Score(s) => judge::Judged::Score(s),
        external::Scored::Wrong(why) => judge::Judged::Wrong(why),
        external::Scored::Broken(why) => judge::Judged::Broken(why),
    }
}

/// How a problem's inputs are made and its outputs scored.
#[derive(Clone)]
pub enum Scorer {
    /// A module of the `scorers` crate.
    Builtin(&'static dyn scorers::Problem),
    /// The contest's own tools, run as commands.
    External(std::sync::Arc<Tools>),
}

impl fmt::Debug for Scorer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scorer::Builtin(p) => write!(f, "builtin:{}", p.id()),
            Scorer::External(t) => write!(f, "external:{t:?}"),
        }
    }
}

/// Where a problem definition came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Dir(std::path::PathBuf),
}

/// A problem as ale uses it: its limits, seeds, statement and scorer.
#[derive(Debug, Clone)]
pub struct Problem {
    pub id: String,
    pub title: String,
    pub objective: Objective,
    pub time_limit_ms: u64,
    pub memory_limit_mb: u64,
    /// What a case may write in its folder (`disk_limit_mb`, 256 by default).
    pub disk_limit_mb: u64,
    pub interactive: bool,
    pub public_seeds: Seeds,
    pub private_seeds: Seeds,
    pub scorer: Scorer,
    pub statement: String,
    pub origin: Origin,
    /// The contest its submissions are ranked in, when it has standings
    /// (`[standings]` in problem.toml).
    pub contest: Option<std::sync::Arc<standings::Contest>>,
}

impl Problem {
    /// (file name, source) of the starting solvers ale carries for this
    /// problem: those of a built-in problem, none for a problem of a folder
    /// (even one that takes a built-in's id, since its cases may differ).
    pub fn builtin_solvers(&self) -> &'static [(&'static str, &'static str)] {
        match self.origin {
            Origin::Builtin => builtin::solvers(&self.id),
            Origin::Dir(_) => &[],
        }
    }

    /// The limits a case of this problem runs under: its time, memory and
    /// disk limits, killed at `kill_factor` x the time limit, boxed under the
    /// bubblewrap `sandbox` when given.
    pub fn limits(
        &self,
        kill_factor: f64,
        sandbox: Option<&std::path::Path>,
    ) -> crate::judge::Limits {
        let mut limits =
            crate::judge::Limits::new(self.time_limit_ms, self.memory_limit_mb, kill_factor);
        limits.disk_limit_bytes = self.disk_limit_mb << 20;
        limits.sandbox = sandbox.map(std::path::Path::to_path_buf);
        limits
    }

    /// The input text of a seed; an error is the generator's failure.
    pub fn generate(&self, seed: u64) -> std::result::Result<String, String> {
        match &self.scorer {
            Scorer::Builtin(p) => Ok(p.generate(seed)),
            Scorer::External(tools) => tools.generate(seed),
        }
    }

    /// Checks an input file against the input format (the contest's tools
    /// give no checker: their inputs are taken as they are).
    pub fn check_input(&self, input: &str) -> std::result::Result<(), String> {
        match &self.scorer {
            Scorer::Builtin(p) => p.check_input(input),
            Scorer::External(_) => Ok(()),
        }
    }

    /// The verdict of a batch problem's run made elsewhere (by a worker),
    /// scored here as [`Problem::judge`] scores its own runs. An interactive
    /// problem is judged where it runs, so it is an internal error here.
    pub fn judge_run(
        &self,
        run: std::io::Result<judge::Execution>,
        input: &str,
        limits: &Limits,
    ) -> Outcome {
        let run = match run {
            Ok(run) => run,
            Err(e) => {
                return Outcome::not_run(
                    judge::Verdict::IE,
                    format!("the worker could not run the solution: {e}"),
                )
            }
        };
        match &self.scorer {
            _ if self.interactive => Outcome::not_run(
                judge::Verdict::IE,
                "an interactive problem is judged where it runs, not by a worker".into(),
            ),
            Scorer::Builtin(p) => {
                judge::verdict_of(run, limits, |out| judge::score_output(*p, input, out))
            }
            Scorer::External(tools) => {
                judge::verdict_of(run, limits, |out| external_score(tools, input, out))
            }
        }
    }

    /// Runs a solution on one input and judges it.
    pub fn judge(
        &self,
        command: &[impl AsRef<std::ffi::OsStr>],
        input: &str,
        limits: &Limits,
    ) -> Outcome {
        match &self.scorer {
            Scorer::Builtin(p) => judge::judge_case(command, *p, input, limits),
            Scorer::External(tools) if tools.interactive() => {
                tools.judge_interactive(command, input, limits)
            }
            Scorer::External(tools) => judge::judge_with(command, input, limits, |output| {
                external_score(tools, input, output)
            }),
        }
    }

    /// Scores an output: the score, or a wrong answer's reason (a failure of
    /// the contest's tools is reported as such).
    pub fn score(&self, input: &str, output: &str) -> std::result::Result<i64, String> {
        match &self.scorer {
            Scorer::Builtin(p) => p.score(input, output).map_err(|wa| wa.0),
            Scorer::External(tools) => match tools.score(input, output.as_bytes()) {
                external::Scored::Score(s) => Ok(s),
                external::Scored::Wrong(why) => Err(why),
                external::Scored::Broken(why) => Err(format!("the scorer failed: {why}")),
            },
        }
    }

    /// An SVG picture of an input and an output, when ale can draw the problem.
    pub fn visualise(&self, input: &str, output: &str) -> Option<String> {
        match &self.scorer {
            Scorer::Builtin(p) => Some(p.visualise(input, output)),
            Scorer::External(_) => None,
        }
    }

    /// Parses a `problem.toml`; `path` names the file in every error.
    pub fn from_toml(path: &str, text: &str, statement: String, origin: Origin) -> Result<Problem> {
        let raw: RawProblem = toml::from_str(text).map_err(|e| Error::ProblemFile {
            path: path.to_string(),
            message: describe_toml_error(&e),
        })?;
        let at = |key: &str, message: String| Error::ProblemFile {
            path: path.to_string(),
            message: match line_of(text, key) {
                Some(line) => format!("line {line}, key `{key}`: {message}"),
                None => format!("key `{key}`: {message}"),
            },
        };
        let seeds = |key: &str, value: RawSeeds| {
            match value {
                RawSeeds::Text(text) => text.parse::<Seeds>(),
                RawSeeds::List(list) => Seeds::from_list(list),
            }
            .map_err(|e| at(key, e))
        };
        let public_seeds = seeds("public_seeds", raw.public_seeds)?;
        let private_seeds = seeds("private_seeds", raw.private_seeds)?;
        if public_seeds.overlaps(&private_seeds) {
            return Err(at(
                "private_seeds",
                format!("{private_seeds} overlaps public_seeds {public_seeds}; private seeds must be kept apart for final judging"),
            ));
        }
        if raw.time_limit_ms == 0 {
            return Err(at("time_limit_ms", "must be positive".into()));
        }
        if raw.memory_limit_mb == 0 {
            return Err(at("memory_limit_mb", "must be positive".into()));
        }
        if raw.disk_limit_mb == 0 {
            return Err(at("disk_limit_mb", "must be positive".into()));
        }
        let contest = match (&raw.standings, &origin) {
            (None, _) => None,
            (Some(files), Origin::Dir(dir)) => {
                let contest =
                    standings::Contest::load(dir, files).map_err(|e| at("standings", e))?;
                if contest.relative.is_none() && raw.objective == Objective::Min {
                    return Err(at(
                        "standings",
                        "standings of totals rank the highest first, and this problem is minimised; give its relative_results (a relative-score contest) instead".into(),
                    ));
                }
                Some(std::sync::Arc::new(contest))
            }
            (Some(_), Origin::Builtin) => {
                return Err(at(
                    "standings",
                    "a built-in problem has no contest to rank in".into(),
                ))
            }
        };
        let raw_scorer = match (raw.scorer, raw.tools) {
            (Some(scorer), None) => scorer,
            (None, Some(tools)) => {
                if raw.interactive == tools.tester.is_empty() {
                    let need = if raw.interactive {
                        "is true but [tools] has no `tester`"
                    } else {
                        "is false but [tools] has a `tester`"
                    };
                    return Err(at("interactive", need.into()));
                }
                let base = match &origin {
                    Origin::Dir(dir) => dir.clone(),
                    Origin::Builtin => std::path::PathBuf::from("."),
                };
                let tools = Tools::new(tools, &base).map_err(|e| at("tools", e))?;
                return Ok(Problem {
                    id: raw.id,
                    title: raw.title,
                    objective: raw.objective,
                    time_limit_ms: raw.time_limit_ms,
                    memory_limit_mb: raw.memory_limit_mb,
                    disk_limit_mb: raw.disk_limit_mb,
                    interactive: raw.interactive,
                    public_seeds,
                    private_seeds,
                    scorer: Scorer::External(std::sync::Arc::new(tools)),
                    statement,
                    origin,
                    contest,
                });
            }
            _ => {
                return Err(Error::ProblemFile {
                    path: path.to_string(),
                    message: "give exactly one of [scorer] (a built-in scorer) and [tools] (the contest's commands)".into(),
                })
            }
        };
        let builtin = scorers::builtin(&raw_scorer.builtin).ok_or_else(|| {
            let known: Vec<_> = scorers::all().iter().map(|p| p.id()).collect();
            at(
                "builtin",
                format!(
                    "no built-in scorer `{}`; built-in scorers are: {}",
                    raw_scorer.builtin,
                    known.join(", ")
                ),
            )
        })?;
        if builtin.interactive() != raw.interactive {
            return Err(at(
                "interactive",
                format!(
                    "is {} but scorer `{}` is {}",
                    raw.interactive,
                    builtin.id(),
                    if builtin.interactive() {
                        "interactive"
                    } else {
                        "not interactive"
                    }
                ),
            ));
        }
        Ok(Problem {
            id: raw.id,
            title: raw.title,
            objective: raw.objective,
            time_limit_ms: raw.time_limit_ms,
            memory_limit_mb: raw.memory_limit_mb,
            disk_limit_mb: raw.disk_limit_mb,
            interactive: raw.interactive,
            public_seeds,
            private_seeds,
            scorer: Scorer::Builtin(builtin),
            statement,
            origin,
            contest,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProblem {
    id: String,
    title: String,
    objective: Objective,
    time_limit_ms: u64,
    memory_limit_mb: u64,
    #[serde(default = "default_disk")]
    disk_limit_mb: u64,
    interactive: bool,
    #[serde(default = "default_public")]
    public_seeds: RawSeeds,
    #[serde(default = "default_private")]
    private_seeds: RawSeeds,
    scorer: Option<RawScorer>,
    tools: Option<RawTools>,
    standings: Option<standings::StandingsFiles>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScorer {
    builtin: String,
}

fn default_disk() -> u64 {
    crate::judge::sandbox::DISK_LIMIT_BYTES >> 20
}

/// Seeds as problem.toml gives them: `"A..B"`, or a list of integers.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawSeeds {
    Text(String),
    List(Vec<u64>),
}

fn default_public() -> RawSeeds {
    RawSeeds::Text("0..100".into())
}

fn default_private() -> RawSeeds {
    RawSeeds::Text("1000..1200".into())
}

/// toml's message on one line: "line L, column C: what".
fn describe_toml_error(e: &toml::de::Error) -> String {
    let what = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let text = e.to_string();
            // toml prints "TOML parse error at line L, column C" first.
            let head = text.lines().next().unwrap_or("");
            let position = head.trim_start_matches("TOML parse error at ").to_string();
            if position.starts_with("line") {
                format!("{position}: {what}")
            } else {
                format!("bytes {}..{}: {what}", span.start, span.end)
            }
        }
        None => what,
    }
}

/// The 1-based line on which `key` is assigned, if it is.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSP: &str = r#"id = "tsp"
title = "T"
objective = "min"
time_limit_ms = 2000
memory_limit_mb = 1024
interactive = false
public_seeds = "0..100"
private_seeds = "1000..1200"

[scorer]
builtin = "tsp"
"#;

    fn parse(text: &str) -> Result<Problem> {
        Problem::from_toml(
            "problems/x/problem.toml",
            text,
            String::new(),
            Origin::Builtin,
        )
    }

    #[test]
    fn parses_every_field() {
        let p = parse(TSP).unwrap();
        assert_eq!(p.objective, Objective::Min);
        assert_eq!(p.time_limit_ms, 2000);
        assert_eq!(p.public_seeds, Seeds::range(0, 100));
        assert_eq!(p.private_seeds, Seeds::range(1000, 1200));
        assert!(matches!(p.scorer, Scorer::Builtin(b) if b.id() == "tsp"));
    }

    #[test]
    fn seeds_may_be_a_list() {
        let text = TSP.replace("\"0..100\"", "[42, 7, 19]");
        let p = parse(&text).unwrap();
        assert_eq!(p.public_seeds.iter().collect::<Vec<_>>(), vec![42, 7, 19]);
        let text = TSP.replace("\"0..100\"", "[42, 7, 1001]");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("key `private_seeds`") && e.contains("overlaps"),
            "{e}"
        );
        let text = TSP.replace("\"0..100\"", "[42, 42]");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("key `public_seeds`") && e.contains("twice"),
            "{e}"
        );
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let text = TSP.replace("interactive = false", "interactive = false\ncolour = 3");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.starts_with("problems/x/problem.toml: line 7, column 1: unknown field `colour`"),
            "{e}"
        );
    }

    #[test]
    fn missing_field_is_named() {
        let text = TSP.replace("title = \"T\"\n", "");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("missing field `title`"), "{e}");
        assert!(e.starts_with("problems/x/problem.toml: "), "{e}");
    }

    #[test]
    fn semantic_errors_name_the_line() {
        let text = TSP.replace("\"1000..1200\"", "\"50..60\"");
        let e = parse(&text).unwrap_err().to_string();
        assert_eq!(e, "problems/x/problem.toml: line 8, key `private_seeds`: 50..60 overlaps public_seeds 0..100; private seeds must be kept apart for final judging");
        let text = TSP.replace("builtin = \"tsp\"", "builtin = \"nope\"");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("line 11, key `builtin`: no built-in scorer `nope`"),
            "{e}"
        );
        let text = TSP.replace("interactive = false", "interactive = true");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("line 6, key `interactive`: is true but scorer `tsp` is not interactive"),
            "{e}"
        );
    }

    #[test]
    fn relative_scores() {
        assert_eq!(Objective::Max.relative(50, 200), 25.0);
        assert_eq!(Objective::Min.relative(200, 50), 25.0);
        assert_eq!(Objective::Min.relative(0, 0), 100.0);
        assert_eq!(Objective::Max.relative(0, 0), 100.0);
    }

    #[test]
    fn one_rule_for_a_failed_case_in_a_comparison() {
        assert_eq!(Objective::Max.versus(Some(150), Some(100)), 1.5);
        assert_eq!(Objective::Min.versus(Some(200), Some(100)), 0.5);
        // The child failed where the start was accepted: a full point down.
        assert_eq!(Objective::Min.versus(None, Some(100)), 0.0);
        // The child was accepted where the start failed: a full point up.
        assert_eq!(Objective::Max.versus(Some(1), None), 2.0);
        // Both failed: as good as each other.
        assert_eq!(Objective::Max.versus(None, None), 1.0);
        assert!(Objective::Min.better(3, 4) && Objective::Max.better(4, 3));
    }
}
