//! A progress bar on stderr, shown only on a terminal.

use crate::judge::Verdict;
use crate::runner::CaseEvent;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    failed: usize,
}

impl Progress {
    /// A bar drawn on stderr when it is a terminal, hidden otherwise.
    pub fn new(visible: bool) -> Progress {
        let bar = ProgressBar::hidden();
        if visible {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} cases  {elapsed}  {msg}")
                .expect("a valid template"),
        );
        Progress { bar, failed: 0 }
    }
}

impl Progress {
    /// Takes one of the run's events (pass `&mut |e| progress.event(e)`).
    pub fn event(&mut self, event: &CaseEvent) {
        match event {
            CaseEvent::Prepared { cases, .. } => self.bar.set_length(*cases as u64),
            CaseEvent::Started { .. } => {}
            CaseEvent::Finished { result } => {
                if result.verdict != Verdict::AC {
                    self.failed += 1;
                    self.bar.set_message(format!("{} not AC", self.failed));
                }
                self.bar.inc(1);
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
