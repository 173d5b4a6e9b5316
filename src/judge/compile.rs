//! Compiling a single-file Rust solution, cached under `<home>/build/` by a hash
//! of the source, the compiler's version and the flags.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The flags every Rust solution is built with.
pub const RUSTC_FLAGS: &[&str] = &["--edition", "2021", "-O"];

/// A solution ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The executable to run.
    pub exe: PathBuf,
    /// Hash of what was built (source, compiler, flags) or of the executable.
    pub hash: String,
    /// True when the executable came from the cache (or needed no build).
    pub cached: bool,
    /// The compiler's message when the build failed (verdict `CE`).
    pub compile_error: Option<String>,
}

/// Builds `solution` (a `.rs` file) or takes it as an executable.
///
/// Fails only when the file cannot be read or the compiler cannot be started;
/// a compile error is a [`Prepared`] with `compile_error` set.
pub fn prepare(solution: &Path, build_dir: &Path) -> Result<Prepared> {
    let bytes = std::fs::read(solution).map_err(|e| Error::io(solution, e))?;
    let is_rust = solution.extension().is_some_and(|e| e == "rs");
    if !is_rust {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(solution)
            .map_err(|e| Error::io(solution, e))?
            .permissions()
            .mode();
        if mode & 0o111 == 0 {
            return Err(Error::Usage(format!(
                "{}: not a .rs source and not executable; give a Rust source file or a built program",
                solution.display()
            )));
        }
        let exe = std::fs::canonicalize(solution).map_err(|e| Error::io(solution, e))?;
        return Ok(Prepared {
            exe,
            hash: hex(&Sha256::digest(&bytes)),
            cached: true,
            compile_error: None,
        });
    }
    let version = rustc_version()?;
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    hasher.update(b"\0");
    hasher.update(version.as_bytes());
    for flag in RUSTC_FLAGS {
        hasher.update(b"\0");
        hasher.update(flag.as_bytes());
    }
    let hash = hex(&hasher.finalize());
    std::fs::create_dir_all(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let build_dir = std::fs::canonicalize(build_dir).map_err(|e| Error::io(build_dir, e))?;
    let exe = build_dir.join(&hash[..32]);
    if exe.is_file() {
        return Ok(Prepared {
            exe,
            hash,
            cached: true,
            compile_error: None,
        });
    }
    // Build beside the final name and rename, so that a concurrent or
    // interrupted build never leaves a half-written executable in the cache.
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let tmp = build_dir.join(format!(
        "{}.tmp{}-{}",
        &hash[..32],
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    let output = Command::new(rustc())
        .args(RUSTC_FLAGS)
        .arg("--crate-name")
        .arg("main")
        .arg("-o")
        .arg(&tmp)
        .arg(solution)
        .output()
        .map_err(|e| {
            Error::Internal(format!(
                "could not start rustc ({}): {e}; install Rust or set ALE_RUSTC",
                rustc()
            ))
        })?;
    if !output.status.success() {
        let _ = std::fs::remove_file(&tmp);
        let message = String::from_utf8_lossy(&output.stderr).into_owned();
        return Ok(Prepared {
            exe,
            hash,
            cached: false,
            compile_error: Some(message),
        });
    }
    std::fs::rename(&tmp, &exe).map_err(|e| Error::io(&exe, e))?;
    Ok(Prepared {
        exe,
        hash,
        cached: false,
        compile_error: None,
    })
}

fn rustc() -> String {
    std::env::var("ALE_RUSTC").unwrap_or_else(|_| "rustc".into())
}

/// `rustc -vV`, asked once per process: it is part of every cache key.
fn rustc_version() -> Result<String> {
    static VERSION: OnceLock<String> = OnceLock::new();
    if let Some(v) = VERSION.get() {
        return Ok(v.clone());
    }
    let out = Command::new(rustc()).arg("-vV").output().map_err(|e| {
        Error::Internal(format!(
            "could not start rustc ({}): {e}; install Rust or set ALE_RUSTC",
            rustc()
        ))
    })?;
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok(VERSION.get_or_init(|| version).clone())
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
