//! What a search starts from: the starting solvers ale carries for a built-in
//! problem, those of a `solvers/<id>/` folder, and files given by name. A
//! start is its source and where it came from; the search writes each
//! candidate's source to its own file before judging it, so an embedded
//! solver needs no file on disk.

use crate::error::{Error, Result};
use crate::problem::Problem;
use std::path::Path;

/// A starting solver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// A path, or `builtin:<problem>/<file>` for a solver carried by ale.
    pub origin: String,
    /// The language's extension, without the dot.
    pub extension: String,
    pub source: String,
}

impl Start {
    /// The solution in the file at `path`; fails when it cannot be read.
    pub fn read(path: &Path) -> Result<Start> {
        let source = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Start {
            origin: path.display().to_string(),
            extension: extension_of(&path.to_string_lossy()),
            source,
        })
    }
}

fn extension_of(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The starting solvers of `problem`: those ale carries for it when it is a
/// built-in problem, then the sources of `<solvers_dir>/<id>/` with a known
/// extension (`.tuned.` files left out). A file of the folder with the name
/// of a carried solver replaces it; the others are added. In file-name order.
pub fn starting_solvers(
    problem: &Problem,
    solvers_dir: &Path,
    extensions: &[String],
) -> Result<Vec<Start>> {
    let mut starts: Vec<(String, Start)> = problem
        .builtin_solvers()
        .iter()
        .map(|(name, source)| {
            let start = Start {
                origin: format!("builtin:{}/{name}", problem.id),
                extension: extension_of(name),
                source: source.to_string(),
            };
            (name.to_string(), start)
        })
        .collect();
    let folder = solvers_dir.join(&problem.id);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        // No folder of one's own is the usual case after `cargo install`.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(sorted(starts)),
        Err(e) => return Err(Error::io(&folder, e)),
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let known = extensions
            .iter()
            .any(|x| x.trim_start_matches('.') == extension_of(&name));
        if !path.is_file() || !known || name.contains(".tuned.") {
            continue;
        }
        let start = Start::read(&path)?;
        starts.retain(|(n, _)| *n != name);
        starts.push((name, start));
    }
    Ok(sorted(starts))
}

fn sorted(mut starts: Vec<(String, Start)>) -> Vec<Start> {
    starts.sort_by(|a, b| a.0.cmp(&b.0));
    starts.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Registry;

    fn origins(starts: &[Start]) -> Vec<&str> {
        starts.iter().map(|s| s.origin.as_str()).collect()
    }

    #[test]
    fn a_built_in_problem_starts_from_its_carried_solvers() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::builtin();
        let exts = crate::judge::languages::Languages::builtin().extensions();
        let starts = starting_solvers(registry.get("tsp").unwrap(), dir.path(), &exts).unwrap();
        assert_eq!(
            origins(&starts),
            ["builtin:tsp/baseline.rs", "builtin:tsp/ils.rs"]
        );
        assert_eq!(starts[1].extension, "rs");
        assert!(starts[1].source.contains("fn main"));
    }

    #[test]
    fn a_solvers_folder_adds_to_and_replaces_the_carried_solvers() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("tsp");
        std::fs::create_dir(&folder).unwrap();
        for name in ["ils.rs", "b.cpp", "notes.md", "a.tuned.rs"] {
            std::fs::write(folder.join(name), format!("// {name}")).unwrap();
        }
        let registry = Registry::builtin();
        let exts = crate::judge::languages::Languages::builtin().extensions();
        let starts = starting_solvers(registry.get("tsp").unwrap(), dir.path(), &exts).unwrap();
        let ils = folder.join("ils.rs").display().to_string();
        let cpp = folder.join("b.cpp").display().to_string();
        assert_eq!(
            origins(&starts),
            [cpp.as_str(), "builtin:tsp/baseline.rs", ils.as_str()]
        );
        assert_eq!(starts[2].source, "// ils.rs");
        assert_eq!(starts[0].extension, "cpp");
    }

    #[test]
    fn a_problem_of_a_folder_starts_only_from_its_solvers_folder() {
        let problems = tempfile::tempdir().unwrap();
        let folder = problems.path().join("tsp");
        std::fs::create_dir(&folder).unwrap();
        // The same id as a built-in: the folder's problem replaces it, and
        // the solvers carried for the built-in one are not its solvers.
        let toml = include_str!("../../problems/tsp/problem.toml");
        std::fs::write(folder.join("problem.toml"), toml).unwrap();
        std::fs::write(folder.join("statement.md"), "# tsp\n").unwrap();
        let registry = Registry::load(Some(problems.path())).unwrap();
        let exts = crate::judge::languages::Languages::builtin().extensions();
        let empty = tempfile::tempdir().unwrap();
        let tsp = registry.get("tsp").unwrap();
        assert!(starting_solvers(tsp, empty.path(), &exts)
            .unwrap()
            .is_empty());
    }
}
