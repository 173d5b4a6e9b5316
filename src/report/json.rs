//! The `--json` document of `ale run`: exactly one JSON value, fields as documented.

use super::Exporter;
use crate::runner::RunReport;
use serde::Serialize;

/// `ale run --json`, field for field.
#[derive(Debug, Serialize)]
pub struct RunDocument<'a> {
    pub problem: &'a str,
    pub solution: &'a str,
    pub run_id: i64,
    pub interrupted: bool,
    pub cases: Vec<CaseDocument<'a>>,
    pub summary: SummaryDocument,
}

/// One case of [`RunDocument`].
#[derive(Debug, Serialize)]
pub struct CaseDocument<'a> {
    pub seed: Option<u64>,
    pub input: &'a str,
    pub verdict: &'static str,
    pub score: Option<i64>,
    pub relative_score: f64,
    pub time_ms: u64,
    pub wall_ms: u64,
    pub cpu_ms: u64,
    pub memory_kb: u64,
    pub message: Option<&'a str>,
}

/// The aggregate of [`RunDocument`].
#[derive(Debug, Serialize)]
pub struct SummaryDocument {
    pub cases: usize,
    pub accepted: usize,
    pub mean_score: Option<f64>,
    pub mean_relative_score: f64,
    pub mean_log10_score: Option<f64>,
    pub max_time_ms: u64,
}

impl<'a> RunDocument<'a> {
    pub fn new(r: &'a RunReport) -> RunDocument<'a> {
        let s = &r.summary;
        RunDocument {
            problem: &r.problem,
            solution: &r.solution,
            run_id: r.run_id,
            interrupted: r.interrupted,
            cases: r
                .cases
                .iter()
                .map(|c| CaseDocument {
                    seed: c.seed,
                    input: &c.input,
                    verdict: c.verdict.as_str(),
                    score: c.score,
                    relative_score: round3(c.relative_score),
                    time_ms: c.time_ms,
                    wall_ms: c.wall_ms,
                    cpu_ms: c.cpu_ms,
                    memory_kb: c.memory_kb,
                    message: c.message.as_deref(),
                })
                .collect(),
            summary: SummaryDocument {
                cases: s.cases,
                accepted: s.accepted,
                mean_score: s.mean_score,
                mean_relative_score: round3(s.mean_relative_score),
                mean_log10_score: s.mean_log10_score,
                max_time_ms: s.max_time_ms,
            },
        }
    }
}

pub struct Json;

impl Exporter for Json {
    fn export(&self, r: &RunReport) -> String {
        serde_json::to_string_pretty(&RunDocument::new(r)).expect("a JSON value serialises") + "\n"
    }
}

/// Three decimals are plenty for a percentage and keep the document stable.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
