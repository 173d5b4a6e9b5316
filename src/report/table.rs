//! Plain-text tables for the terminal.

use super::Exporter;
use crate::runner::RunReport;
use crate::store::RunRow;
use std::fmt::Write;

/// The per-case table and the summary of `ale run`.
pub struct Table;

impl Exporter for Table {
    fn export(&self, r: &RunReport) -> String {
        let mut out = String::new();
        if let Some(message) = &r.compile_error {
            writeln!(out, "compile error:\n{}", message.trim_end()).unwrap();
        }
        writeln!(
            out,
            "{:>8}  {:<7} {:>14} {:>9} {:>8} {:>8} {:>8} {:>10}  message",
            "seed", "verdict", "score", "relative", "time_ms", "wall_ms", "cpu_ms", "memory_kb"
        )
        .unwrap();
        for c in &r.cases {
            let seed = c.seed.map_or_else(|| c.input.clone(), |s| s.to_string());
            let score = c.score.map_or_else(|| "-".to_string(), |s| s.to_string());
            let message = c
                .message
                .as_deref()
                .map(|m| {
                    m.lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(100)
                        .collect::<String>()
                })
                .unwrap_or_default();
            writeln!(
                out,
                "{:>8}  {:<7} {:>14} {:>9.3} {:>8} {:>8} {:>8} {:>10}  {}",
                seed,
                c.verdict.as_str(),
                score,
                c.relative_score,
                c.time_ms,
                c.wall_ms,
                c.cpu_ms,
                c.memory_kb,
                message
            )
            .unwrap();
        }
        let s = &r.summary;
        writeln!(out).unwrap();
        if r.interrupted {
            writeln!(out, "status               interrupted").unwrap();
        }
        writeln!(out, "problem              {}", r.problem).unwrap();
        writeln!(out, "solution             {}", r.solution).unwrap();
        writeln!(out, "run                  {}", r.run_id).unwrap();
        writeln!(out, "cases                {}", s.cases).unwrap();
        writeln!(out, "accepted             {}", s.accepted).unwrap();
        writeln!(out, "mean score           {}", opt(s.mean_score, 3)).unwrap();
        writeln!(out, "mean relative score  {:.3}", s.mean_relative_score).unwrap();
        writeln!(out, "mean log10 score     {}", opt(s.mean_log10_score, 5)).unwrap();
        writeln!(out, "max time             {} ms", s.max_time_ms).unwrap();
        out
    }
}

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}"))
}

/// The table of `ale history`: one line a run, newest first.
pub fn history_table(rows: &[RunRow]) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "{:>5}  {:<20}  {:<11}  {:>5}  {:>8}  {:>14}  {:>9}  {:>8}  solution",
        "run", "started", "status", "cases", "accepted", "mean score", "relative", "max_ms"
    )
    .unwrap();
    for r in rows {
        match &r.summary {
            Some(s) => writeln!(
                out,
                "{:>5}  {:<20}  {:<11}  {:>5}  {:>8}  {:>14}  {:>9.3}  {:>8}  {}",
                r.id,
                r.started_at,
                r.status,
                s.cases,
                s.accepted,
                opt(s.mean_score, 1),
                s.mean_relative_score,
                s.max_time_ms,
                r.solution
            ),
            None => writeln!(
                out,
                "{:>5}  {:<20}  {:<11}  {:>5}  {:>8}  {:>14}  {:>9}  {:>8}  {}",
                r.id, r.started_at, r.status, "-", "-", "-", "-", "-", r.solution
            ),
        }
        .unwrap();
    }
    out
}
