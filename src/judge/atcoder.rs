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
