//! The live view of `ale solve`: a line per candidate as it settles and, on a
//! terminal, a status line kept at the bottom and redrawn every second with
//! the best public score so far, candidates tried, cases per second, what the
//! search is doing and the budget left. Off a terminal only the lines are
//! written (one per candidate), so that logs stay readable.

use crate::agent::SolveEvent;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::fmt::Write;
use std::time::{Duration, Instant};

pub struct SearchView {
    bar: Option<ProgressBar>,
    best: Option<(i64, Option<f64>)>,
    candidates: usize,
    evaluations: usize,
    elapsed: Duration,
    budget: Duration,
    doing: String,
    private_seeds: String,
    /// The models' totals, once a model has been asked.
    model: Option<String>,
    /// The session's page in `ale serve`.
    page: Option<String>,
}

/// `4:05` for a duration in seconds.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

impl SearchView {
    /// A view of a search with `budget` whose winner is judged on
    /// `private_seeds`; the status line only when `terminal`.
    pub fn new(terminal: bool, budget: Duration, private_seeds: String) -> SearchView {
        let bar = terminal.then(|| {
            let started = Instant::now();
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner} {msg}  {left}")
                .expect("a valid template")
                .with_key(
                    "left",
                    move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let left = budget.saturating_sub(started.elapsed());
                        let _ = write!(w, "{} left", clock(left.as_secs_f64()));
                    },
                );
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_secs(1));
            bar
        });
        SearchView {
            bar,
            best: None,
            candidates: 0,
            evaluations: 0,
            elapsed: Duration::ZERO,
            budget,
            doing: "racing the starting solvers".into(),
            private_seeds,
            model: None,
            page: None,
        }
    }

    fn say(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn redraw(&self) {
        let Some(bar) = &self.bar else {
            return;
        };
        let best = match self.best {
            Some((id, Some(score))) => format!("best {score:.2} (candidate {id})"),
            Some((id, None)) => format!("best: candidate {id}"),
            None => "no candidate judged on every public seed yet".into(),
        };
        let rate = self.evaluations as f64 / self.elapsed.as_secs_f64().max(1e-3);
        let model = self
            .model
            .as_ref()
            .map_or(String::new(), |m| format!(" | {m}"));
        let page = self
            .page
            .as_ref()
            .map_or(String::new(), |p| format!(" | {p}"));
        bar.set_message(format!(
            "{best} | {} candidates | {} cases, {rate:.1}/s{model} | {}{page}",
            self.candidates, self.evaluations, self.doing
        ));
    }

    pub fn event(&mut self, event: &SolveEvent) {
        match event {
            SolveEvent::Session { id } => {
                let page = crate::links::session(*id);
                self.say(format!(
                    "session {id}: watch it in the browser with `ale serve`, at {page}"
                ));
                self.page = Some(page);
                self.redraw();
            }
            SolveEvent::Candidate {
                id,
                operator,
                parent,
                status,
                seeds,
                mean_relative,
                score,
                best,
                evaluations,
                elapsed,
            } => {
                self.candidates += 1;
                self.evaluations = *evaluations;
                self.elapsed = *elapsed;
                if *best {
                    self.best = Some((*id, *score));
                }
                let mut line = format!(
                    "candidate {id:>4}  {operator:<9} {:<10} {status:<24} {seeds:>4} seeds  {mean_relative:>7.2}",
                    parent.map_or(String::new(), |p| format!("of {p}")),
                );
                if *best {
                    line.push_str("  best so far");
                }
                if self.bar.is_none() {
                    // Without the status line, each line carries its figures.
                    let _ = write!(
                        line,
                        "  [{:.1} cases/s, {:.0} s left]",
                        *evaluations as f64 / elapsed.as_secs_f64().max(1e-3),
                        self.budget.saturating_sub(*elapsed).as_secs_f64()
                    );
                }
                self.say(line);
            }
            SolveEvent::Expanding { operator, parent } => {
                self.doing = match parent {
                    Some(p) => format!("{operator} of candidate {p}"),
                    None => format!("{operator} (a new root)"),
                };
            }
            SolveEvent::Model {
                operator,
                calls,
                failed,
                tokens_in,
                tokens_out,
                cost,
                in_flight,
            } => {
                self.model = Some(format!(
                    "model: {calls} calls ({in_flight} in flight, {failed} unusable), {tokens_in}+{tokens_out} tokens, ${cost:.4}"
                ));
                if self.bar.is_none() {
                    self.say(format!(
                        "model call for {operator}: {calls} calls so far ({in_flight} in flight, {failed} unusable), {tokens_in} tokens in, {tokens_out} out, ${cost:.4}"
                    ));
                }
            }
            SolveEvent::Case {
                evaluations,
                elapsed,
                ..
            } => {
                self.evaluations = *evaluations;
                self.elapsed = *elapsed;
            }
            SolveEvent::Submitting => {
                self.doing = "judging the best on the private seeds".into();
                self.say(format!(
                    "judging the best on the private seeds {}",
                    self.private_seeds
                ));
            }
        }
        self.redraw();
    }
}

impl Drop for SearchView {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
