//! The recorded figures of the regression suite: the table of docs/PROBLEMS.md
//! whose header names the columns `problem`, `solver` and `vs baseline`.

use crate::error::{Error, Result};
use std::path::Path;

/// What a solver is expected to reach against its problem's baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub problem: String,
    pub solver: String,
    pub vs_baseline: f64,
}

/// Reads the expectations table from a Markdown file; `path` names it in errors.
pub fn parse_expectations(path: &Path, text: &str) -> Result<Vec<Expectation>> {
    let bad = |line: usize, message: String| Error::BadInput {
        path: path.to_path_buf(),
        message: format!("line {line}: {message}"),
    };
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect()
    };
    let lines: Vec<&str> = text.lines().collect();
    let Some(header_at) = lines.iter().position(|l| {
        let c = cells(l);
        l.trim_start().starts_with('|')
            && c.iter().any(|x| x == "problem")
            && c.iter().any(|x| x == "solver")
            && c.iter().any(|x| x.starts_with("vs baseline"))
    }) else {
        return Err(Error::BadInput {
            path: path.to_path_buf(),
            message: "no table with the columns `problem`, `solver` and `vs baseline`".into(),
        });
    };
    let header = cells(lines[header_at]);
    let column = |name: &str| header.iter().position(|c| c.starts_with(name)).unwrap();
    let (p, s, v) = (column("problem"), column("solver"), column("vs baseline"));
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(header_at + 2) {
        if !line.trim_start().starts_with('|') {
            break;
        }
        let row = cells(line);
        if row.len() != header.len() {
            return Err(bad(
                index + 1,
                format!("{} cells, the header has {}", row.len(), header.len()),
            ));
        }
        let vs_baseline = row[v].parse::<f64>().map_err(|_| {
            bad(
                index + 1,
                format!("`{}` in column `vs baseline` is not a number", row[v]),
            )
        })?;
        out.push(Expectation {
            problem: row[p].clone(),
            solver: row[s].clone(),
            vs_baseline,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_table_by_its_header() {
        let text = "# Problems\n\nsome text\n\n| problem | solver | mean score | vs baseline |\n|---|---|---|---|\n| tsp | `ils.rs` | 123 | 140.5 |\n| qap | tabu.rs | 9 | 101 |\n\nafter\n";
        let e = parse_expectations(Path::new("P.md"), text).unwrap();
        assert_eq!(
            e,
            vec![
                Expectation {
                    problem: "tsp".into(),
                    solver: "ils.rs".into(),
                    vs_baseline: 140.5
                },
                Expectation {
                    problem: "qap".into(),
                    solver: "tabu.rs".into(),
                    vs_baseline: 101.0
                },
            ]
        );
    }

    #[test]
    fn bad_rows_are_named() {
        let text = "| problem | solver | vs baseline |\n|-|-|-|\n| tsp | ils.rs | lots |\n";
        let e = parse_expectations(Path::new("P.md"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "P.md: line 3: `lots` in column `vs baseline` is not a number"
        );
        let e = parse_expectations(Path::new("P.md"), "no table")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no table with the columns"), "{e}");
    }
}
