//! The language table: how to build and run a solution, by extension. The
//! table is data (`languages.toml`), extended by the user's own file.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;

const BUILTIN: &str = include_str!("languages.toml");

/// One language: its extensions and commands.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub name: String,
    pub extensions: Vec<String>,
    /// Prints the toolchain's version; part of the build cache key.
    #[serde(default)]
    pub version: Vec<String>,
    /// Builds `{exe}` from `{source}`; absent for languages run from source.
    #[serde(default)]
    pub compile: Vec<String>,
    pub run: Vec<String>,
    /// A header most solutions include, built once and reused.
    #[serde(default)]
    pub precompiled: Option<Precompiled>,
}

/// A precompiled header: `build` makes `{exe}` from `{source}` (a file that
/// only includes `header`); a solution that includes `header` is then
/// compiled with `flags` (`{dir}`: the folder holding it) added after the
/// compiler's name. A compiler that finds it unfit reads the header as usual.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Precompiled {
    pub header: String,
    pub build: Vec<String>,
    pub flags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default)]
    language: Vec<Language>,
}

/// Every language ale knows in this invocation.
#[derive(Debug, Clone)]
pub struct Languages {
    languages: Vec<Language>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages::builtin()
    }
}

impl Languages {
    /// The built-in table.
    pub fn builtin() -> Languages {
        let table = parse("(built-in) languages.toml", BUILTIN)
            .expect("the built-in table is valid (tested)");
        Languages { languages: table }
    }

    /// The built-in table with `<home>/languages.toml` on top, when it exists.
    pub fn load(home: &Path) -> Result<Languages> {
        let mut all = Languages::builtin();
        let path = home.join("languages.toml");
        if !path.is_file() {
            return Ok(all);
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        for language in parse(&path.display().to_string(), &text)? {
            all.languages.retain(|l| l.name != language.name);
            all.languages.push(language);
        }
        Ok(all)
    }

    /// The language of a file, by its extension.
    pub fn for_file(&self, file: &Path) -> Option<&Language> {
        let extension = file.extension()?.to_str()?;
        self.languages
            .iter()
            .rev()
            .find(|l| l.extensions.iter().any(|e| e == extension))
    }

    /// Every language, in table order.
    pub fn all(&self) -> &[Language] {
        &self.languages
    }

    /// Every known extension, for messages.
    pub fn extensions(&self) -> Vec<String> {
        self.languages
            .iter()
            .flat_map(|l| l.extensions.iter().map(|e| format!(".{e}")))
            .collect()
    }
}

fn parse(path: &str, text: &str) -> Result<Vec<Language>> {
    let table: Table = toml::from_str(text).map_err(|e| Error::ProblemFile {
        path: path.to_string(),
        message: e.to_string().lines().next().unwrap_or("").to_string() + ": " + e.message(),
    })?;
    for l in &table.language {
        let bad = |what: &str| Error::ProblemFile {
            path: path.to_string(),
            message: format!("language `{}`: {what}", l.name),
        };
        if l.run.is_empty() {
            return Err(bad("`run` is empty"));
        }
        if l.extensions.is_empty() {
            return Err(bad("`extensions` is empty"));
        }
        let mentions = |cmd: &[String], what: &str| cmd.iter().any(|a| a.contains(what));
        let writes_and_runs_exe = mentions(&l.compile, "{exe}") && mentions(&l.run, "{exe}");
        if !l.compile.is_empty() && !writes_and_runs_exe {
            return Err(bad(
                "a compiled language writes {exe} in `compile` and runs it in `run`",
            ));
        }
        if l.compile.is_empty() && !mentions(&l.run, "{source}") {
            return Err(bad("a language without `compile` must run {source}"));
        }
    }
    Ok(table.language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_knows_rust_cpp_and_python() {
        let l = Languages::builtin();
        assert_eq!(l.for_file(Path::new("a/main.rs")).unwrap().name, "rust");
        assert_eq!(l.for_file(Path::new("main.cc")).unwrap().name, "cpp");
        assert_eq!(
            l.for_file(Path::new("main.py")).unwrap().run,
            ["python3", "{source}"]
        );
        assert!(l.for_file(Path::new("main.go")).is_none());
    }

    #[test]
    fn a_user_table_adds_and_replaces() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join("languages.toml"),
            "[[language]]\nname = \"python\"\nextensions = [\"py\"]\nrun = [\"pypy3\", \"{source}\"]\n\n[[language]]\nname = \"sh\"\nextensions = [\"sh\"]\nrun = [\"sh\", \"{source}\"]\n",
        )
        .unwrap();
        let l = Languages::load(home.path()).unwrap();
        assert_eq!(l.for_file(Path::new("x.py")).unwrap().run[0], "pypy3");
        assert_eq!(l.for_file(Path::new("x.sh")).unwrap().name, "sh");
        assert_eq!(l.for_file(Path::new("x.rs")).unwrap().name, "rust");
    }

    #[test]
    fn a_bad_table_is_named() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join("languages.toml"),
            "[[language]]\nname = \"go\"\nextensions = [\"go\"]\ncompile = [\"go\", \"build\"]\nrun = [\"./main\"]\n",
        )
        .unwrap();
        let e = Languages::load(home.path()).unwrap_err().to_string();
        assert!(
            e.contains("languages.toml: language `go`: a compiled language writes {exe}"),
            "{e}"
        );
    }
}
