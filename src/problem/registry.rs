//! The registry: built-in problems, then those of a problems folder, which
//! override a built-in of the same id.

use super::builtin::BUILTIN;
use super::{Origin, Problem};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Every problem ale knows in this invocation, by id.
#[derive(Debug, Clone)]
pub struct Registry {
    problems: BTreeMap<String, Problem>,
}

impl Registry {
    /// The built-in problems only.
    pub fn builtin() -> Registry {
        let mut problems = BTreeMap::new();
        for b in BUILTIN {
            let path = format!("(built-in) problems/{}/problem.toml", b.id);
            let p = Problem::from_toml(&path, b.toml, b.statement.to_string(), Origin::Builtin)
                .expect("built-in problem.toml is valid (checked by tests)");
            problems.insert(p.id.clone(), p);
        }
        Registry { problems }
    }

    /// The built-in problems plus every `<dir>/<id>/problem.toml`; fails on the
    /// first malformed file, naming it.
    pub fn load(dir: Option<&Path>) -> Result<Registry> {
        let mut registry = Registry::builtin();
        if let Some(dir) = dir {
            registry.add_dir(dir)?;
        }
        Ok(registry)
    }

    fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut folders: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("problem.toml").is_file())
            .collect();
        folders.sort();
        for folder in folders {
            let file = folder.join("problem.toml");
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
            let shown = file.display().to_string();
            let mut p =
                Problem::from_toml(&shown, &text, String::new(), Origin::Dir(folder.clone()))?;
            let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.id != name {
                return Err(Error::ProblemFile {
                    path: shown,
                    message: format!(
                        "id is `{}` but the folder is `{name}`; they must match",
                        p.id
                    ),
                });
            }
            let statement = folder.join("statement.md");
            p.statement = std::fs::read_to_string(&statement).map_err(|e| Error::ProblemFile {
                path: statement.display().to_string(),
                message: format!(
                    "{e}; every problem needs its statement beside problem.toml (it is what a solver reads)"
                ),
            })?;
            self.problems.insert(p.id.clone(), p);
        }
        Ok(())
    }

    /// The problem with this id, or an error listing the known ones.
    pub fn get(&self, id: &str) -> Result<&Problem> {
        self.problems.get(id).ok_or_else(|| Error::UnknownProblem {
            id: id.to_string(),
            known: self.problems.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.problems.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        let r = Registry::builtin();
        let ids: Vec<_> = r.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["courier", "jobshop", "lamps", "packing", "prospect", "qap", "tsp"]
        );
        assert!(r.get("prospect").unwrap().interactive);
        let e = r.get("nope").unwrap_err().to_string();
        assert!(
            e.contains("known problems: courier, jobshop, lamps, packing, prospect, qap, tsp"),
            "{e}"
        );
    }
}
