//! The prompt texts: template files in `prompts/` (built in), each of which
//! `ale.toml` may replace (`[prompts] improve = "my-improve.md"`). A template
//! names its blanks `{{like_this}}`; [`Templates::render`] fills them.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The names of the templates and their built-in texts.
const BUILTIN: [(&str, &str); 6] = [
    ("system", include_str!("../../prompts/system.md")),
    ("draft", include_str!("../../prompts/draft.md")),
    ("improve", include_str!("../../prompts/improve.md")),
    ("repair", include_str!("../../prompts/repair.md")),
    ("crossover", include_str!("../../prompts/crossover.md")),
    ("summarise", include_str!("../../prompts/summarise.md")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    texts: BTreeMap<String, String>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            texts: BUILTIN
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

impl Templates {
    /// The built-in texts with `overrides` (template name to file) read over them.
    pub fn with_overrides(overrides: &BTreeMap<String, PathBuf>) -> Result<Templates> {
        let mut t = Templates::default();
        for (name, path) in overrides {
            if !t.texts.contains_key(name) {
                let known: Vec<&str> = BUILTIN.iter().map(|(k, _)| *k).collect();
                return Err(Error::Usage(format!(
                    "ale.toml [prompts]: no template called `{name}`; the templates are {}",
                    known.join(", ")
                )));
            }
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            t.texts.insert(name.clone(), text);
        }
        Ok(t)
    }

    /// Template `name` with each `{{key}}` replaced by its value; blanks
    /// without a value are left empty.
    pub fn render(&self, name: &str, values: &[(&str, &str)]) -> String {
        let text = self.texts.get(name).map(String::as_str).unwrap_or("");
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            match after.find("}}") {
                Some(close) => {
                    let key = after[..close].trim();
                    if let Some((_, v)) = values.iter().find(|(k, _)| *k == key) {
                        out.push_str(v);
                    }
                    rest = &after[close + 2..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Templates;

    #[test]
    fn blanks_are_filled_and_overrides_replace_builtins() {
        let t = Templates::default();
        let text = t.render(
            "repair",
            &[("parent_id", "7"), ("error", "E0308 mismatched types")],
        );
        assert!(text.contains("(candidate 7)") && text.contains("E0308"));
        assert!(
            !text.contains("{{"),
            "every blank of repair.md is filled or emptied"
        );
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("mine.md");
        std::fs::write(&mine, "Fix {{parent_id}} please, {{unknown}}.").unwrap();
        let overrides = [("repair".to_string(), mine)].into_iter().collect();
        let t = Templates::with_overrides(&overrides).unwrap();
        assert_eq!(t.render("repair", &[("parent_id", "3")]), "Fix 3 please, .");
        let bad = [("draftt".to_string(), dir.path().join("x"))]
            .into_iter()
            .collect();
        let err = Templates::with_overrides(&bad).unwrap_err().to_string();
        assert!(err.contains("draftt") && err.contains("improve"), "{err}");
    }
}
