//! The `--json` document of `ale run`: exactly one JSON value, fields as documented.

use super::Exporter;
use crate::runner::RunReport;
use serde_json::json;

pub struct Json;

impl Exporter for Json {
    fn export(&self, r: &RunReport) -> String {
        let cases: Vec<_> = r
            .cases
            .iter()
            .map(|c| {
                json!({
                    "seed": c.seed,
                    "input": c.input,
                    "verdict": c.verdict.as_str(),
                    "score": c.score,
                    "relative_score": round3(c.relative_score),
                    "time_ms": c.time_ms,
                    "wall_ms": c.wall_ms,
                    "cpu_ms": c.cpu_ms,
                    "memory_kb": c.memory_kb,
                    "message": c.message,
                })
            })
            .collect();
        let s = &r.summary;
        let doc = json!({
            "problem": r.problem,
            "solution": r.solution,
            "run_id": r.run_id,
            "interrupted": r.interrupted,
            "cases": cases,
            "summary": {
                "cases": s.cases,
                "accepted": s.accepted,
                "mean_score": s.mean_score,
                "mean_relative_score": round3(s.mean_relative_score),
                "mean_log10_score": s.mean_log10_score,
                "max_time_ms": s.max_time_ms,
            },
        });
        serde_json::to_string_pretty(&doc).expect("a JSON value serialises") + "\n"
    }
}

/// Three decimals are plenty for a percentage and keep the document stable.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
