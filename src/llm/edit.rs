//! SEARCH/REPLACE edits in a model's reply, applied strictly: every SEARCH
//! text must occur exactly once in the source, or the whole edit fails (and
//! the operator that asked for it records a failure).
//!
//! ```text
//! <<<<<<< SEARCH
//! let t0 = 100.0;
//! =======
//! let t0 = 250.0;
//! >>>>>>> REPLACE
//! ```

/// One edit: the text to find and what replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub search: String,
    pub replace: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("edit {index}: its SEARCH text is not in the source: {excerpt:?}")]
    NotFound { index: usize, excerpt: String },
    #[error("edit {index}: its SEARCH text occurs {count} times in the source; it must be unique: {excerpt:?}")]
    Ambiguous {
        index: usize,
        count: usize,
        excerpt: String,
    },
    #[error("edit {index}: an empty SEARCH text")]
    Empty { index: usize },
    #[error("edit {index}: `<<<<<<< SEARCH` without its `=======` and `>>>>>>> REPLACE`")]
    Unclosed { index: usize },
}

fn is_marker(line: &str, marker: &str, least: usize) -> bool {
    let t = line.trim();
    let ch = marker.chars().next().unwrap_or('<');
    let run = t.chars().take_while(|&c| c == ch).count();
    run >= least && t[run..].trim() == marker.trim_start_matches(ch).trim()
}

/// The edits of a reply, in order. A block opened and never closed is an error.
pub fn parse_edits(reply: &str) -> Result<Vec<Edit>, EditError> {
    let mut edits = Vec::new();
    let mut lines = reply.lines();
    while let Some(line) = lines.next() {
        if !is_marker(line, "<<<<<<< SEARCH", 5) {
            continue;
        }
        let index = edits.len() + 1;
        let mut search = Vec::new();
        let mut replace = Vec::new();
        let mut in_replace = false;
        let mut closed = false;
        for inner in lines.by_ref() {
            if !in_replace && is_marker(inner, "=======", 5) {
                in_replace = true;
            } else if in_replace && is_marker(inner, ">>>>>>> REPLACE", 5) {
                closed = true;
                break;
            } else if in_replace {
                replace.push(inner);
            } else {
                search.push(inner);
            }
        }
        if !closed {
            return Err(EditError::Unclosed { index });
        }
        let join = |v: Vec<&str>| {
            if v.is_empty() {
                String::new()
            } else {
                v.join("\n") + "\n"
            }
        };
        edits.push(Edit {
            search: join(search),
            replace: join(replace),
        });
    }
    Ok(edits)
}

fn excerpt(text: &str) -> String {
    let mut e: String = text.chars().take(80).collect();
    if e.len() < text.len() {
        e.push('…');
    }
    e
}

/// `source` with every edit applied in order, each to the result of the ones before.
pub fn apply_edits(source: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut out = source.to_string();
    for (k, edit) in edits.iter().enumerate() {
        let index = k + 1;
        if edit.search.trim().is_empty() {
            return Err(EditError::Empty { index });
        }
        // A SEARCH text at the very end of a file without its last newline.
        let search = if out.contains(&edit.search) {
            edit.search.clone()
        } else {
            edit.search.trim_end_matches('\n').to_string()
        };
        let count = out.matches(&search).count();
        match count {
            0 => {
                return Err(EditError::NotFound {
                    index,
                    excerpt: excerpt(&edit.search),
                })
            }
            1 => {
                let replace = if search.len() < edit.search.len() {
                    edit.replace.trim_end_matches('\n').to_string()
                } else {
                    edit.replace.clone()
                };
                out = out.replacen(&search, &replace, 1);
            }
            _ => {
                return Err(EditError::Ambiguous {
                    index,
                    count,
                    excerpt: excerpt(&edit.search),
                })
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{apply_edits, parse_edits, Edit, EditError};

    const SOURCE: &str =
        "fn main() {\n    let t0 = 100.0;\n    let t1 = 1.0;\n    run(t0, t1);\n}\n";

    #[test]
    fn edits_apply_in_order() {
        let reply = "Raise the start temperature:\n<<<<<<< SEARCH\n    let t0 = 100.0;\n=======\n    let t0 = 250.0;\n>>>>>>> REPLACE\nand log the end:\n<<<<<<< SEARCH\n    run(t0, t1);\n=======\n    run(t0, t1);\n    eprintln!(\"done\");\n>>>>>>> REPLACE\n";
        let edits = parse_edits(reply).unwrap();
        assert_eq!(edits.len(), 2);
        assert_eq!(
            apply_edits(SOURCE, &edits).unwrap(),
            "fn main() {\n    let t0 = 250.0;\n    let t1 = 1.0;\n    run(t0, t1);\n    eprintln!(\"done\");\n}\n"
        );
    }

    #[test]
    fn a_search_text_not_found_or_not_unique_fails_the_edit() {
        let missing = [Edit {
            search: "    let t0 = 99.0;\n".into(),
            replace: "x".into(),
        }];
        assert!(matches!(
            apply_edits(SOURCE, &missing),
            Err(EditError::NotFound { index: 1, .. })
        ));
        let twice = [Edit {
            search: "t0".into(),
            replace: "x".into(),
        }];
        assert!(matches!(
            apply_edits(SOURCE, &twice),
            Err(EditError::Ambiguous { count: 2, .. })
        ));
        assert!(matches!(
            parse_edits("<<<<<<< SEARCH\nfoo\n=======\nbar\n"),
            Err(EditError::Unclosed { index: 1 })
        ));
        // Deleting lines: an empty REPLACE.
        let delete =
            parse_edits("<<<<<<< SEARCH\n    let t1 = 1.0;\n=======\n>>>>>>> REPLACE").unwrap();
        assert_eq!(
            apply_edits(SOURCE, &delete).unwrap(),
            "fn main() {\n    let t0 = 100.0;\n    run(t0, t1);\n}\n"
        );
    }
}
