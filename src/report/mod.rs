//! Showing what ale does: a progress bar fed by the runner's events, the live
//! view of a search, the candidate tree of `ale show`, and exporters that
//! turn a finished run into a table or a typed JSON document.

mod json;
mod progress;
mod search_view;
mod table;
mod tree;

pub use json::Json;
pub use progress::Progress;
pub use search_view::SearchView;
pub use table::{history_table, Table};
pub use tree::{draw_tree, TreeNode};

use crate::runner::RunReport;

/// Renders a finished run in one format.
pub trait Exporter {
    fn export(&self, report: &RunReport) -> String;
}
