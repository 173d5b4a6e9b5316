//! `ale submit`: a solution judged on the public and the private seeds, and
//! written to `submissions/<problem>/<timestamp>/` with `main.<ext>` (ready to
//! paste into the contest), `report.json`, `report.md` and `progress.svg`.

use super::summary::{LineageStep, SearchSummary};
use crate::error::{Error, Result};
use crate::judge::Verdict;
use crate::problem::standings::CaseEnd;
use crate::problem::{Problem, Seeds};
use crate::runner::{self, seed_cases, silent, RunOptions, RunReport};
use crate::store::Store;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where and how to judge.
#[derive(Debug, Clone)]
pub struct SubmitOptions {
    pub run: RunOptions,
    pub build_dir: PathBuf,
    /// Submissions go to `<root>/<problem>/<timestamp>/`.
    pub root: PathBuf,
}

/// Best public score over time, for `progress.svg`: (seconds, score).
pub type Progress = Vec<(f64, f64)>;

/// The figures of one seed set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedSet {
    pub seeds: Seeds,
    pub run_id: i64,
    pub cases: usize,
    pub accepted: usize,
    pub mean_score: Option<f64>,
    /// Against the best score stored for each input (100 = the best ever).
    pub mean_relative_score: f64,
    pub max_time_ms: u64,
    pub verdicts: BTreeMap<String, usize>,
}

/// `report.json`, field for field.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionReport {
    pub problem: String,
    pub solution: String,
    /// `main.<ext>`, the file in the folder.
    pub file: String,
    pub source_sha256: String,
    pub submitted_at: String,
    pub objective: &'static str,
    pub time_limit_ms: u64,
    pub public: SeedSet,
    pub private: SeedSet,
    /// The search's lineage of the solution (empty when it was not searched).
    pub lineage: Vec<LineageStep>,
    /// Where the private judging would have placed in the problem's contest
    /// (null without standings).
    pub rank: Option<u64>,
    pub performance: Option<i64>,
    pub contestants: Option<u64>,
    pub search: Option<SearchSummary>,
    pub progress: Progress,
    pub interrupted: bool,
}

/// A written submission.
#[derive(Debug, Clone)]
pub struct Submission {
    pub folder: PathBuf,
    pub public: SeedSet,
    pub private: SeedSet,
    /// The report as written to `report.json`.
    pub report: SubmissionReport,
    /// Stopped by Ctrl-C before every case ran (the folder is still written).
    pub interrupted: bool,
}

impl Submission {
    pub fn all_accepted(&self) -> bool {
        self.private.accepted == self.private.cases && self.public.accepted == self.public.cases
    }
}

/// Judges `solution` on `problem`'s public and private seeds and writes the
/// submission folder. `search` (for a searched solution: its `lineage`, the
/// `budget` used and how it compares `against_starts`) and `progress` go into
/// the reports as they are.
pub fn submit(
    problem: &Problem,
    solution: &Path,
    options: &SubmitOptions,
    store: &mut Store,
    search: Option<SearchSummary>,
    progress: &Progress,
) -> Result<Submission> {
    if !solution.is_file() {
        return Err(Error::Usage(format!(
            "{}: give a single source file to submit (a contest takes one file)",
            solution.display()
        )));
    }
    let source = std::fs::read(solution).map_err(|e| Error::io(solution, e))?;
    let judge = |seeds: Seeds, store: &mut Store| -> Result<(RunReport, SeedSet)> {
        let report = runner::run(
            problem,
            solution,
            &seed_cases(&seeds),
            &options.run,
            &options.build_dir,
            store,
            &mut silent,
        )?;
        let set = seed_set(seeds, &report);
        Ok((report, set))
    };
    let (public_report, public) = judge(problem.public_seeds.clone(), store)?;
    if let Some(message) = &public_report.compile_error {
        return Err(Error::Usage(format!(
            "{} does not compile; nothing submitted:\n{}",
            solution.display(),
            message.trim_end()
        )));
    }
    let (private_report, private) = judge(problem.private_seeds.clone(), store)?;
    let interrupted = public_report.interrupted || private_report.interrupted;
    let ranking = match &problem.contest {
        Some(contest) if !interrupted => Some(
            contest
                .rank_cases(&case_ends(&private_report))
                .map_err(|e| {
                    Error::Usage(format!(
                        "{}: the private judging cannot be ranked in its contest: {e}",
                        problem.id
                    ))
                })?,
        ),
        _ => None,
    };

    let submitted_at = utc_stamp(now_secs());
    let folder = fresh_folder(
        &options.root.join(&problem.id),
        &submitted_at.replace(':', "-"),
    )?;
    let extension = solution
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "txt".into());
    let main = folder.join(format!("main.{extension}"));
    std::fs::write(&main, &source).map_err(|e| Error::io(&main, e))?;
    let report = SubmissionReport {
        problem: problem.id.clone(),
        solution: solution.display().to_string(),
        file: format!("main.{extension}"),
        source_sha256: crate::judge::compile_hex(&Sha256::digest(&source)),
        submitted_at: submitted_at.clone(),
        objective: problem.objective.as_str(),
        time_limit_ms: problem.time_limit_ms,
        public: public.clone(),
        private: private.clone(),
        lineage: search.as_ref().map_or_else(Vec::new, |s| s.lineage.clone()),
        rank: ranking.map(|r| r.rank),
        performance: ranking.map(|r| r.performance),
        contestants: ranking.map(|r| r.contestants),
        search,
        progress: progress.clone(),
        interrupted,
    };
    let write = |name: &str, text: String| {
        let path = folder.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
    };
    write(
        "report.json",
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
    )?;
    write("report.md", markdown(problem, &report))?;
    let points: Progress = if progress.is_empty() {
        public
            .mean_score
            .map(|s| vec![(0.0, s)])
            .unwrap_or_default()
    } else {
        progress.clone()
    };
    write("progress.svg", progress_svg(&points))?;
    Ok(Submission {
        folder,
        public,
        private,
        report,
        interrupted,
    })
}

/// The private cases as a contest ranks them.
fn case_ends(report: &RunReport) -> Vec<CaseEnd> {
    report
        .cases
        .iter()
        .map(|c| match (c.verdict, c.score) {
            (Verdict::AC, Some(s)) => CaseEnd::Accepted(s),
            (Verdict::CE | Verdict::IE, _) => CaseEnd::NotJudged,
            _ => CaseEnd::Failed,
        })
        .collect()
}

fn seed_set(seeds: Seeds, report: &RunReport) -> SeedSet {
    let mut verdicts = BTreeMap::new();
    for case in &report.cases {
        *verdicts
            .entry(case.verdict.as_str().to_string())
            .or_insert(0) += 1;
    }
    SeedSet {
        seeds,
        run_id: report.run_id,
        cases: report.cases.len(),
        accepted: report
            .cases
            .iter()
            .filter(|c| c.verdict == Verdict::AC)
            .count(),
        mean_score: report.summary.mean_score,
        mean_relative_score: report.summary.mean_relative_score,
        max_time_ms: report.summary.max_time_ms,
        verdicts,
    }
}

fn markdown(problem: &Problem, report: &SubmissionReport) -> String {
    let row = |name: &str, s: &SeedSet| {
        let verdicts: Vec<String> = s.verdicts.iter().map(|(v, n)| format!("{v} {n}")).collect();
        format!(
            "| {name} | {} | {}/{} | {} | {:.2} | {} | {} |\n",
            s.seeds,
            s.accepted,
            s.cases,
            s.mean_score.map_or("-".into(), |m| format!("{m:.2}")),
            s.mean_relative_score,
            s.max_time_ms,
            verdicts.join(", ")
        )
    };
    let mut md = format!(
        "# Submission: {} ({})\n\nSolution `{}`, submitted {}, written here as `{}` (sha256 `{}`).\n\n",
        problem.title, problem.id, report.solution, report.submitted_at, report.file, report.source_sha256
    );
    md.push_str(
        "| seeds | range | AC | mean score | mean relative score | max time ms | verdicts |\n",
    );
    md.push_str("|---|---|---:|---:|---:|---:|---|\n");
    md.push_str(&row("public", &report.public));
    md.push_str(&row("private", &report.private));
    md.push_str(&format!(
        "\nObjective: {}. Relative scores are against the best score stored for each input (100 = the best ever seen).\n",
        problem.objective.as_str()
    ));
    if let (Some(rank), Some(performance), Some(contestants)) =
        (report.rank, report.performance, report.contestants)
    {
        md.push_str(&format!(
            "\nIn the contest's final standings the private judging would place {rank} of {contestants}, performance {performance}.\n"
        ));
    }
    md.push_str(&format!(
        "\nIn the browser (`ale serve`): the public run {}, the private run {}",
        crate::links::run(report.public.run_id),
        crate::links::run(report.private.run_id)
    ));
    if let Some(search) = &report.search {
        md.push_str(&format!(
            ", the search {}",
            crate::links::session(search.session)
        ));
    }
    md.push_str(".\n");
    let Some(search) = &report.search else {
        return md;
    };
    if !search.against_starts.is_empty() {
        md.push_str("\n## Against the starting solvers (public seeds both ran)\n\n| start | seeds | submission's mean relative score (start = 100) |\n|---|---:|---:|\n");
        for s in &search.against_starts {
            md.push_str(&format!(
                "| {} | {} | {:.2} |\n",
                s.origin, s.seeds, s.mean_relative
            ));
        }
    }
    if !search.lineage.is_empty() {
        md.push_str("\n## Lineage (the submission first)\n\n");
        for step in &search.lineage {
            md.push_str(&format!(
                "- candidate {}: {} {} (public mean relative {:.2})\n",
                step.candidate, step.operator, step.origin, step.public_mean_relative
            ));
        }
    }
    let b = &search.budget;
    md.push_str(&format!(
        "\n## Budget\n\n{:.0} s of {:.0} s searched, {} candidates, {} case evaluations.\n",
        b.elapsed_s, b.budget_s, b.candidates, b.evaluations
    ));
    if b.llm.calls > 0 {
        md.push_str(&format!(
            "Language models: {} calls ({} unusable), {} tokens in, {} out, ${:.4}.\n",
            b.llm.calls, b.llm.unusable, b.llm.tokens_in, b.llm.tokens_out, b.llm.cost
        ));
    }
    md
}

/// Best score against time, as a small line chart.
pub fn progress_svg(points: &[(f64, f64)]) -> String {
    let (w, h, pad) = (640.0, 360.0, 48.0);
    let mut svg = scorers::svg::Svg::new(w, h);
    svg.rect(0.0, 0.0, w, h, "#ffffff", None);
    svg.line(pad, h - pad, w - pad / 2.0, h - pad, "#333333", 1.0);
    svg.line(pad, pad / 2.0, pad, h - pad, "#333333", 1.0);
    if points.is_empty() {
        svg.text(pad + 8.0, h / 2.0, 14.0, "#333333", "no accepted case yet");
        return svg.finish();
    }
    let t_max = points.iter().map(|p| p.0).fold(0.0, f64::max).max(1.0);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let x = |t: f64| pad + (t / t_max) * (w - 1.5 * pad);
    let y = |s: f64| h - pad - ((s - lo) / span * 0.9 + 0.05) * (h - 1.5 * pad);
    // A step line: the best stays until the next improvement.
    let mut line = Vec::new();
    for (i, &(t, s)) in points.iter().enumerate() {
        if i > 0 {
            line.push((x(t), y(points[i - 1].1)));
        }
        line.push((x(t), y(s)));
    }
    line.push((x(t_max), y(points[points.len() - 1].1)));
    svg.polyline(&line, false, "#1f77b4", 2.0);
    for &(t, s) in points {
        svg.circle(x(t), y(s), 3.0, "#1f77b4");
    }
    svg.text(
        pad,
        pad / 2.0 - 6.0,
        12.0,
        "#333333",
        &format!("best public mean score: {hi:.2}"),
    );
    svg.text(
        w - 3.0 * pad,
        h - pad / 3.0,
        12.0,
        "#333333",
        &format!("{t_max:.0} s"),
    );
    svg.finish()
}

/// A folder named `name` under `parent` that did not exist (`-2`, `-3`, ... appended if needed).
fn fresh_folder(parent: &Path, name: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    for n in 1.. {
        let candidate = if n == 1 {
            parent.join(name)
        } else {
            parent.join(format!("{name}-{n}"))
        };
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&candidate, e)),
        }
    }
    unreachable!("some suffix is free")
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since 1970 (UTC, proleptic Gregorian).
pub fn utc_stamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Civil date from days since 1970-01-01 (eras of 400 years).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps() {
        assert_eq!(utc_stamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_stamp(951_782_400), "2000-02-29T00:00:00Z");
        // 2026-11-26 17:40:12 UTC.
        assert_eq!(utc_stamp(1_795_714_812), "2026-11-26T17:40:12Z");
    }

    #[test]
    fn the_progress_chart_draws_every_point() {
        let svg = progress_svg(&[(0.0, 10.0), (5.0, 12.0), (9.0, 15.0)]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("best public mean score: 15.00"));
    }
}
