//! Building solutions by the language table, cached under `<home>/build/<hash>/`
//! by a hash of the source, the language's commands and its toolchain's version.

use super::languages::{Language, Languages};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A solution ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The command line that runs it.
    pub command: Vec<OsString>,
    /// The built program, or the source that runs directly, or the executable given.
    pub exe: PathBuf,
    /// Hash of what was built (source, commands, toolchain) or of the executable.
    pub hash: String,
    /// True when nothing had to be built.
    pub cached: bool,
    /// The compiler's message when the build failed (verdict `CE`).
    pub compile_error: Option<String>,
}

/// Builds `solution` with the built-in language table, or takes it as an executable.
pub fn prepare(solution: &Path, build_dir: &Path) -> Result<Prepared> {
    prepare_with(solution, build_dir, &Languages::builtin())
}

/// Builds `solution` by its language, or takes it as an executable, compiling
/// outside any box (for sources you trust; see [`prepare_in`]).
///
/// Fails only when the file cannot be read, its kind is unknown, or the
/// toolchain cannot be started; a compile error is a [`Prepared`] with
/// `compile_error` set.
pub fn prepare_with(solution: &Path, build_dir: &Path, languages: &Languages) -> Result<Prepared> {
    prepare_in(solution, build_dir, languages, None)
}

/// [`prepare_with`], compiling in the box of bubblewrap `sandbox` when given
/// (see [`super::compile_box`]).
pub fn prepare_in(
    solution: &Path,
    build_dir: &Path,
    languages: &Languages,
    sandbox: Option<&Path>,
) -> Result<Prepared> {
    if solution.is_dir() {
        return cargo_project(solution, build_dir);
    }
    let bytes = std::fs::read(solution).map_err(|e| Error::io(solution, e))?;
    let Some(language) = languages.for_file(solution) else {
        return executable(solution, &bytes, languages);
    };
    let version = toolchain_version(language)?;
    // Rust that uses AtCoder's crates is built in the crate set's project.
    let with_crates =
        language.name == "rust" && super::atcoder::uses_crates(&String::from_utf8_lossy(&bytes));
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    if with_crates {
        hasher.update(super::atcoder::MANIFEST.as_bytes());
    }
    for part in [&language.name, &version]
        .into_iter()
        .chain(&language.compile)
        .chain(&language.run)
    {
        hasher.update(b"\0");
        hasher.update(part.as_bytes());
    }
    let hash = hex(&hasher.finalize());
    std::fs::create_dir_all(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let build_dir = std::fs::canonicalize(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let folder = build_dir.join(&hash[..32]);
    let extension = solution
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("src");
    let source_name = format!("source.{extension}");
    let exe_name = if language.compile.is_empty() {
        source_name.clone()
    } else {
        "main".to_string()
    };
    let mut prepared = Prepared {
        command: Vec::new(),
        exe: folder.join(&exe_name),
        hash,
        cached: true,
        compile_error: None,
    };
    prepared.command = fill(&language.run, &folder.join(&source_name), &prepared.exe);
    if prepared.exe.is_file() {
        return Ok(prepared);
    }
    // Build in a folder of its own and rename it into place, so that a
    // concurrent or interrupted build never leaves a half-written entry.
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let staging = build_dir.join(format!(
        "{}.tmp{}-{}",
        &prepared.hash[..32],
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let staged_source = staging.join(&source_name);
    std::fs::write(&staged_source, &bytes).map_err(|e| Error::io(&staged_source, e))?;
    if with_crates {
        let name = format!("s{}", &prepared.hash[..16]);
        let built = match sandbox {
            Some(bwrap) => crates_in_box(bwrap, language, &build_dir, &staging, &source_name),
            None => super::atcoder::build(&build_dir, &name, &bytes, &staging.join("main")),
        };
        if let Some(message) = built.inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staging);
        })? {
            let _ = std::fs::remove_dir_all(&staging);
            prepared.cached = false;
            prepared.compile_error = Some(message);
            return Ok(prepared);
        }
    } else if !language.compile.is_empty() {
        let pch = precompiled_for(language, &version, &bytes, &build_dir);
        let failed = if let Some(bwrap) = sandbox {
            let inside = Path::new(super::compile_box::BUILD_DIR);
            let mut command = fill(
                &language.compile,
                &inside.join(&source_name),
                &inside.join("main"),
            );
            let pch_dir = Path::new(super::compile_box::PCH_DIR);
            if let Some((_, template)) = &pch {
                command.splice(1..1, pch_flags(template, pch_dir));
            }
            let extra: Vec<(PathBuf, PathBuf)> = pch
                .iter()
                .map(|(folder, _)| (folder.clone(), pch_dir.to_path_buf()))
                .collect();
            super::compile_box::compile(bwrap, command, &staging, &extra).inspect_err(|_| {
                let _ = std::fs::remove_dir_all(&staging);
            })?
        } else {
            let mut command = fill(&language.compile, &staged_source, &staging.join("main"));
            if let Some((folder, template)) = &pch {
                command.splice(1..1, pch_flags(template, folder));
            }
            let output = Command::new(&command[0])
                .args(&command[1..])
                .output()
                .map_err(|e| not_runnable(language, &command[0], e))?;
            (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
        };
        if let Some(message) = failed {
            let _ = std::fs::remove_dir_all(&staging);
            prepared.cached = false;
            prepared.compile_error = Some(message);
            return Ok(prepared);
        }
    }
    if std::fs::rename(&staging, &folder).is_err() {
        // Another build of the same source won the race: keep its folder.
        let _ = std::fs::remove_dir_all(&staging);
        if !prepared.exe.is_file() {
            return Err(Error::Internal(format!(
                "{}: the build left no program",
                folder.display()
            )));
        }
    }
    prepared.cached = false;
    Ok(prepared)
}

/// Compiles a source that uses the AtCoder crate set in the box: rustc with
/// the release profile's optimisation, linked against the set's built crates
/// (read-only at [`super::compile_box::DEPS_DIR`]).
fn crates_in_box(
    bwrap: &Path,
    language: &Language,
    build_dir: &Path,
    staging: &Path,
    source_name: &str,
) -> Result<Option<String>> {
    use super::compile_box::{BUILD_DIR, DEPS_DIR};
    let (deps, flags) = super::atcoder::rustc_flags(build_dir)?;
    let rustc = fill(&language.compile[..1], Path::new(""), Path::new(""));
    let inside = Path::new(BUILD_DIR);
    let mut command = rustc;
    for part in [
        "--edition",
        "2021",
        "-C",
        "opt-level=3",
        "-C",
        "strip=debuginfo",
    ] {
        command.push(part.into());
    }
    command.extend(["--crate-name".into(), "main".into(), "-o".into()]);
    command.push(inside.join("main").into_os_string());
    command.push(inside.join(source_name).into_os_string());
    let host = deps.to_string_lossy().into_owned();
    command.extend(
        flags
            .iter()
            .map(|f| OsString::from(f.replace(&host, DEPS_DIR))),
    );
    super::compile_box::compile(bwrap, command, staging, &[(deps, PathBuf::from(DEPS_DIR))])
}

/// The flags that make a compile use a precompiled header in `folder`.
fn pch_flags(template: &[String], folder: &Path) -> Vec<OsString> {
    template
        .iter()
        .map(|f| OsString::from(f.replace("{dir}", &folder.to_string_lossy())))
        .collect()
}

/// The folder of the precompiled header `source` includes, and the flags
/// (with `{dir}` for it) that compile against it, building the header first
/// when this is the first source that includes it (ale's own header, not the
/// source's: outside the box). None when the source does not include it or
/// it cannot be built (the compiler's message is kept in `<folder>/failed`,
/// and not retried).
fn precompiled_for(
    language: &Language,
    version: &str,
    source: &[u8],
    build_dir: &Path,
) -> Option<(PathBuf, Vec<String>)> {
    let pch = language.precompiled.as_ref()?;
    if !includes(&String::from_utf8_lossy(source), &pch.header) {
        return None;
    }
    let mut hasher = Sha256::new();
    for part in [version, pch.header.as_str()]
        .into_iter()
        .chain(pch.build.iter().map(String::as_str))
    {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    let folder = build_dir.join(format!("pch-{}", &hex(&hasher.finalize())[..32]));
    let flags = || (folder.clone(), pch.flags.clone());
    let gch = format!("{}.gch", pch.header);
    if folder.join(&gch).is_file() {
        return Some(flags());
    }
    if folder.join("failed").is_file() {
        return None;
    }
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let staging = build_dir.join(format!(
        "pch.tmp{}-{}",
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    let wrapper = staging.join("header.h");
    let target = staging.join(&gch);
    std::fs::create_dir_all(target.parent()?).ok()?;
    std::fs::write(&wrapper, format!("#include <{}>\n", pch.header)).ok()?;
    eprintln!(
        "precompiling {} for {} solutions, once (a few seconds)",
        pch.header, language.name
    );
    let command = fill(&pch.build, &wrapper, &target);
    let output = Command::new(&command[0]).args(&command[1..]).output();
    match output {
        Ok(out) if out.status.success() => {}
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            let _ = std::fs::remove_dir_all(&staging);
            let _ = std::fs::create_dir_all(&staging);
            let _ = std::fs::write(staging.join("failed"), why);
        }
    }
    if std::fs::rename(&staging, &folder).is_err() {
        // Another process finished first: keep its folder.
        let _ = std::fs::remove_dir_all(&staging);
    }
    folder.join(&gch).is_file().then(flags)
}

/// Whether `source` has an `#include <header>` line.
fn includes(source: &str, header: &str) -> bool {
    source.lines().any(|line| {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            return false;
        };
        let Some(rest) = rest.trim_start().strip_prefix("include") else {
            return false;
        };
        let rest = rest.trim();
        rest.strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .is_some_and(|name| name.trim() == header)
    })
}

/// A folder with a Cargo.toml: `cargo build --release` in it, the package's
/// binary cached by a hash of the folder's files (`target/` and `Cargo.lock` aside).
fn cargo_project(folder: &Path, build_dir: &Path) -> Result<Prepared> {
    if !folder.join("Cargo.toml").is_file() {
        return Err(Error::Usage(format!(
            "{}: a folder solution needs a Cargo.toml (it is built with cargo build --release)",
            folder.display()
        )));
    }
    let mut files = Vec::new();
    collect_files(folder, folder, &mut files).map_err(|e| Error::io(folder, e))?;
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(b"cargo\0");
    for file in &files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(b"\0");
        let bytes =
            std::fs::read(folder.join(file)).map_err(|e| Error::io(folder.join(file), e))?;
        hasher.update(&bytes);
        hasher.update(b"\0");
    }
    let hash = hex(&hasher.finalize());
    std::fs::create_dir_all(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let build_dir = std::fs::canonicalize(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let entry = build_dir.join(&hash[..32]);
    let exe = entry.join("main");
    let mut prepared = Prepared {
        command: vec![exe.clone().into_os_string()],
        exe: exe.clone(),
        hash,
        cached: true,
        compile_error: None,
    };
    if exe.is_file() {
        return Ok(prepared);
    }
    prepared.cached = false;
    let output = Command::new("cargo")
        .args([
            "build",
            "--release",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(folder)
        .output()
        .map_err(|e| Error::Internal(format!("could not start cargo: {e}; install Rust")))?;
    if !output.status.success() {
        prepared.compile_error = Some(String::from_utf8_lossy(&output.stderr).into_owned());
        return Ok(prepared);
    }
    // The binaries cargo built, from its messages.
    let built: Vec<PathBuf> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect();
    let program = match built.as_slice() {
        [one] => one.clone(),
        [] => {
            prepared.compile_error =
                Some("cargo built no binary: the package needs src/main.rs or one [[bin]]".into());
            return Ok(prepared);
        }
        many => {
            prepared.compile_error = Some(format!(
                "cargo built {} binaries ({}); keep one, so ale knows which to run",
                many.len(),
                many.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return Ok(prepared);
        }
    };
    std::fs::create_dir_all(&entry).map_err(|e| Error::io(&entry, e))?;
    let staged = entry.join(format!("main.tmp{}", std::process::id()));
    std::fs::copy(&program, &staged).map_err(|e| Error::io(&program, e))?;
    std::fs::rename(&staged, &exe).map_err(|e| Error::io(&exe, e))?;
    Ok(prepared)
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        // target/ is the build's own output, and cargo writes Cargo.lock on the
        // first build: neither may change what the folder is.
        if relative == Path::new("target")
            || relative == Path::new("Cargo.lock")
            || relative.starts_with(".git")
        {
            continue;
        }
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            out.push(relative);
        }
    }
    Ok(())
}

/// A solution that is no known language: it must be an executable.
fn executable(solution: &Path, bytes: &[u8], languages: &Languages) -> Result<Prepared> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(solution)
        .map_err(|e| Error::io(solution, e))?
        .permissions()
        .mode();
    if mode & 0o111 == 0 {
        return Err(Error::Usage(format!(
            "{}: not a source ale knows ({}) and not executable; give a source file, a built program, or add the language to <ALE_HOME>/languages.toml",
            solution.display(),
            languages.extensions().join(", ")
        )));
    }
    let exe = std::fs::canonicalize(solution).map_err(|e| Error::io(solution, e))?;
    Ok(Prepared {
        command: vec![exe.clone().into_os_string()],
        exe,
        hash: hex(&Sha256::digest(bytes)),
        cached: true,
        compile_error: None,
    })
}

/// A command with {source} and {exe} filled in; `rustc` may be replaced by `ALE_RUSTC`.
fn fill(template: &[String], source: &Path, exe: &Path) -> Vec<OsString> {
    template
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i == 0 && part == "rustc" {
                if let Some(rustc) = std::env::var_os("ALE_RUSTC") {
                    return rustc;
                }
            }
            OsString::from(
                part.replace("{source}", &source.to_string_lossy())
                    .replace("{exe}", &exe.to_string_lossy()),
            )
        })
        .collect()
}

fn not_runnable(language: &Language, program: &OsString, e: std::io::Error) -> Error {
    Error::Internal(format!(
        "could not start {} for {} solutions: {e}; install it, or change the language in <ALE_HOME>/languages.toml",
        program.to_string_lossy(),
        language.name
    ))
}

/// The toolchain's version line(s), asked once per process and language.
fn toolchain_version(language: &Language) -> Result<String> {
    static SEEN: Mutex<Option<HashMap<Vec<String>, String>>> = Mutex::new(None);
    if language.version.is_empty() {
        return Ok(String::new());
    }
    if let Some(v) = SEEN
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(&language.version)
    {
        return Ok(v.clone());
    }
    let command = fill(&language.version, Path::new(""), Path::new(""));
    let out = Command::new(&command[0])
        .args(&command[1..])
        .output()
        .map_err(|e| not_runnable(language, &command[0], e))?;
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    SEEN.lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(language.version.clone(), version.clone());
    Ok(version)
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::includes;

    #[test]
    fn include_lines_are_recognised() {
        let h = "bits/stdc++.h";
        assert!(includes("#include <bits/stdc++.h>\nint main(){}", h));
        assert!(includes("// x\n  #  include < bits/stdc++.h >  \n", h));
        assert!(!includes("#include \"bits/stdc++.h\"\n", h));
        assert!(!includes("// #include <bits/stdc++.h>\n", h));
        assert!(!includes("#include <bits/stdc++.hpp>\n", h));
        assert!(!includes("#include <cstdio>\n", h));
    }
}
