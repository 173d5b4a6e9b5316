//! Rust solutions that use AtCoder's crates: built as binaries of one cargo
//! project that carries those crates, so that only the first build downloads
//! and compiles them, and each later solution costs about a `rustc` run.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The project's Cargo.toml.
pub const MANIFEST: &str = include_str!("atcoder.toml");

/// The crates of the set, as a solution names them (`rand_pcg`, `ac_library`...).
pub fn crate_names() -> Vec<String> {
    let table: toml::Table = toml::from_str(MANIFEST).expect("the built-in manifest is valid");
    let mut names: Vec<String> = table["dependencies"]
        .as_table()
        .expect("a dependencies table")
        .keys()
        .map(|k| k.replace('-', "_"))
        .collect();
    // ac-library-rs is used as `ac_library`.
    names.push("ac_library".into());
    names
}

/// Whether a Rust source uses any crate of the set (`use rand::...`, `proconio::input!`...).
pub fn uses_crates(source: &str) -> bool {
    let names = crate_names();
    source.lines().any(|line| {
        let code = line.split("//").next().unwrap_or("");
        names.iter().any(|name| {
            code.match_indices(name.as_str()).any(|(at, _)| {
                let before = code[..at].chars().next_back();
                let after = &code[at + name.len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && (after.starts_with("::")
                        || after.starts_with(';')
                        || after.starts_with(" as "))
            })
        })
    })
}

/// The project folder beside the build cache.
pub fn project(build_dir: &Path) -> PathBuf {
    build_dir.parent().unwrap_or(build_dir).join("atcoder")
}

/// Whether the crate set has not been built yet (the next build downloads it).
pub fn needs_first_build(build_dir: &Path) -> bool {
    !project(build_dir).join("target/release").is_dir()
}

/// The rustc flags that link a solution against the crate set (`-L` and
/// `--extern`, the release profile's codegen), and the folder of the built
/// crates they name. The set is built first when it is not (by cargo,
/// outside the box: the crates are the set's, the solution is not in it);
/// the flags are those cargo gives the project's own binary, kept beside it.
pub fn rustc_flags(build_dir: &Path) -> Result<(PathBuf, Vec<String>)> {
    let project = project(build_dir);
    let deps = project.join("target/release/deps");
    let kept = project.join("target/release/ale-rustc-flags");
    let manifest = project.join("Cargo.toml");
    let fresh = |kept: &Path| -> Option<Vec<String>> {
        let written = std::fs::metadata(kept).ok()?.modified().ok()?;
        let changed = std::fs::metadata(&manifest).ok()?.modified().ok()?;
        (written >= changed && std::fs::read_to_string(&manifest).ok()? == MANIFEST)
            .then(|| std::fs::read_to_string(kept).ok())
            .flatten()
            .map(|t| t.lines().map(String::from).collect())
    };
    if let Some(flags) = fresh(&kept) {
        return Ok((deps, flags));
    }
    std::fs::create_dir_all(project.join("src/bin")).map_err(|e| Error::io(&project, e))?;
    std::fs::write(&manifest, MANIFEST).map_err(|e| Error::io(&manifest, e))?;
    let main = project.join("src/main.rs");
    // Written anew, so that cargo compiles the binary again and says how.
    std::fs::write(&main, "fn main() {}\n").map_err(|e| Error::io(&main, e))?;
    let output = Command::new("cargo")
        .args(["build", "--release", "--verbose", "--bin", "ale-atcoder"])
        .current_dir(&project)
        .output()
        .map_err(|e| {
            Error::Internal(format!(
                "could not start cargo for the AtCoder crates: {e}; install Rust"
            ))
        })?;
    let said = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(Error::Internal(format!(
            "{}: the AtCoder crate set did not build: {}",
            project.display(),
            crate::text::tail(&said, 2000)
        )));
    }
    let line = said
        .lines()
        .find(|l| l.contains("--crate-name ale_atcoder"))
        .ok_or_else(|| {
            Error::Internal(format!(
                "{}: cargo did not say how it compiled the crate set's binary",
                project.display()
            ))
        })?;
    let flags = link_flags(line);
    std::fs::write(&kept, flags.join("\n")).map_err(|e| Error::io(&kept, e))?;
    Ok((deps, flags))
}

/// The `-L` and `--extern` arguments of a rustc command line cargo printed.
fn link_flags(line: &str) -> Vec<String> {
    let words: Vec<&str> = line
        .split_ascii_whitespace()
        .map(|w| w.trim_matches('`'))
        .collect();
    let mut flags = Vec::new();
    for pair in words.windows(2) {
        if pair[0] == "-L" || pair[0] == "--extern" {
            flags.push(pair[0].to_string());
            flags.push(pair[1].to_string());
        }
    }
    flags
}

/// Builds `source` as a binary of the project and copies it to `exe`.
/// Returns the compiler's message when the build fails.
pub fn build(build_dir: &Path, name: &str, source: &[u8], exe: &Path) -> Result<Option<String>> {
    let project = project(build_dir);
    let bin_dir = project.join("src/bin");
    std::fs::create_dir_all(&bin_dir).map_err(|e| Error::io(&bin_dir, e))?;
    let manifest = project.join("Cargo.toml");
    if std::fs::read_to_string(&manifest).ok().as_deref() != Some(MANIFEST) {
        std::fs::write(&manifest, MANIFEST).map_err(|e| Error::io(&manifest, e))?;
    }
    let main = project.join("src/main.rs");
    if !main.is_file() {
        std::fs::write(&main, "fn main() {}\n").map_err(|e| Error::io(&main, e))?;
    }
    let file = bin_dir.join(format!("{name}.rs"));
    std::fs::write(&file, source).map_err(|e| Error::io(&file, e))?;
    let output = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", name])
        .current_dir(&project)
        .output()
        .map_err(|e| {
            Error::Internal(format!(
                "could not start cargo for the AtCoder crates: {e}; install Rust"
            ))
        });
    let result = output.and_then(|output| {
        if !output.status.success() {
            return Ok(Some(String::from_utf8_lossy(&output.stderr).into_owned()));
        }
        let built = project.join("target/release").join(name);
        std::fs::copy(&built, exe).map_err(|e| Error::io(&built, e))?;
        Ok(None)
    });
    // The project keeps no solution's source once it is built.
    let _ = std::fs::remove_file(&file);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_flags_are_read_from_cargos_command_line() {
        let line = "     Running `/t/bin/rustc --crate-name ale_atcoder --edition=2021 src/main.rs -C opt-level=3 --out-dir /p/deps -L dependency=/p/deps --extern proconio=/p/deps/libproconio-1.rlib --extern rand=/p/deps/librand-2.rlib`";
        assert_eq!(
            link_flags(line),
            [
                "-L",
                "dependency=/p/deps",
                "--extern",
                "proconio=/p/deps/libproconio-1.rlib",
                "--extern",
                "rand=/p/deps/librand-2.rlib"
            ]
        );
    }

    #[test]
    fn the_crate_set_is_recognised_in_use_lines_and_paths() {
        assert!(uses_crates("use proconio::input;\nfn main() {}"));
        assert!(uses_crates("fn main() { proconio::input! { n: usize } }"));
        assert!(uses_crates("use rand_pcg::Pcg64Mcg;"));
        assert!(uses_crates("use ac_library::Dsu;"));
        assert!(uses_crates("use itertools::Itertools;"));
        assert!(!uses_crates("use std::io::Read;\nfn main() {}"));
        assert!(!uses_crates(
            "// use rand::Rng;\nfn main() { let operand = 3; }"
        ));
        assert!(!uses_crates(
            "fn my_rand::x() {}"
                .replace("my_rand::x", "my_rand")
                .as_str()
        ));
    }
}
