//! Compiles in the box. A compiler reads what the source names (`include_bytes!`,
//! `#include`, `env!`), so a source written by a model is compiled like it is
//! run: unprivileged, with no network, a cleared environment, and a view of
//! the system's `/usr`, the toolchain's own folder read-only, and its staging
//! folder as `/build`, the one place it may write. A compile error can quote
//! nothing but the source.

use super::execute::execute_launch;
use super::exit::Exit;
use super::sandbox::{BoxSpec, Launch, Rlimits};
use super::Limits;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Where the staging folder appears in a compile's box.
pub const BUILD_DIR: &str = "/build";
/// Where a precompiled header's folder appears in a compile's box.
pub const PCH_DIR: &str = "/pch";
/// Where the AtCoder crate set's built crates appear in a compile's box.
pub const DEPS_DIR: &str = "/deps";
/// A compile is stopped after this long (wall or CPU).
pub const COMPILE_SECONDS: u64 = 120;
/// Memory a compile may use.
pub const COMPILE_MEMORY_MB: u64 = 4096;
/// The largest file a compile may write: a program past it does not compile
/// (it would fill the build cache, a candidate at a time).
pub const COMPILE_FILE_BYTES: u64 = 256 << 20;

/// A compiler as the box sees it: the program to run there and the host
/// folders it needs, read-only.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub program: PathBuf,
    pub folders: Vec<(PathBuf, PathBuf)>,
}

/// The toolchain of `program` (a name on the PATH or a path), found once per
/// process. `rustc` (often a rustup proxy) is its sysroot's own `bin/rustc`,
/// with the sysroot bound; any other compiler outside `/usr` brings the folder
/// above its `bin/`.
pub fn toolchain(program: &OsStr) -> std::io::Result<Toolchain> {
    static SEEN: Mutex<Option<HashMap<OsString, Toolchain>>> = Mutex::new(None);
    if let Some(t) = SEEN
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(program)
    {
        return Ok(t.clone());
    }
    let found = find(program).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} is not on the PATH", program.to_string_lossy()),
        )
    })?;
    let name = Path::new(program).file_name().unwrap_or(program);
    let toolchain = if name.to_string_lossy().starts_with("rustc") {
        let out = Command::new(&found).args(["--print", "sysroot"]).output()?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !out.status.success() || !sysroot.join("bin/rustc").is_file() {
            return Err(std::io::Error::other(format!(
                "{} --print sysroot gave no toolchain",
                found.display()
            )));
        }
        let sysroot = std::fs::canonicalize(&sysroot)?;
        Toolchain {
            program: sysroot.join("bin/rustc"),
            folders: outside_usr(&sysroot),
        }
    } else {
        let real = std::fs::canonicalize(&found)?;
        let prefix = real
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("/"))
            .to_path_buf();
        Toolchain {
            folders: outside_usr(&prefix),
            program: real,
        }
    };
    SEEN.lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(program.to_os_string(), toolchain.clone());
    Ok(toolchain)
}

fn outside_usr(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    if dir.starts_with("/usr") || dir == Path::new("/") {
        Vec::new()
    } else {
        vec![(dir.to_path_buf(), dir.to_path_buf())]
    }
}

fn find(program: &OsStr) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Runs `command` (its paths already the box's: the source and the program
/// under [`BUILD_DIR`]) in a compile's box over `staging`, with `extra` host
/// folders read-only where the command names them (a precompiled header at
/// [`PCH_DIR`], the AtCoder crates at [`DEPS_DIR`]). Ok(None) when it
/// compiled, Ok(Some(message)) for a compile error; an error when the box or
/// the toolchain failed.
pub fn compile(
    bwrap: &Path,
    mut command: Vec<OsString>,
    staging: &Path,
    extra: &[(PathBuf, PathBuf)],
) -> Result<Option<String>> {
    let toolchain = toolchain(&command[0]).map_err(|e| {
        Error::Internal(format!(
            "could not find the compiler {}: {e}; install it, or change the language in <ALE_HOME>/languages.toml",
            command[0].to_string_lossy()
        ))
    })?;
    command[0] = toolchain.program.clone().into_os_string();
    let mut ro_dirs = toolchain.folders.clone();
    ro_dirs.extend(extra.iter().cloned());
    // The compile runs in this thread's workspace beside the staging folder,
    // the same folder every time, so that one box serves all its compiles.
    let work = workspace(staging).map_err(|e| Error::io(staging, e))?;
    move_all(staging, &work).map_err(|e| Error::io(&work, e))?;
    let mut limits = Limits::new(COMPILE_SECONDS * 1000, COMPILE_MEMORY_MB, 1.0);
    limits.sandbox = Some(bwrap.to_path_buf());
    // Compilers map far more than they use: the cgroup bounds memory, not the address space.
    limits.address_space_bytes = libc::RLIM_INFINITY;
    // No file a compile writes (the program above all) may pass this.
    limits.output_limit_bytes = COMPILE_FILE_BYTES as usize;
    limits.processes = 1024;
    limits.disk_limit_bytes = 2 << 30;
    limits.stderr_bytes = 256 << 10;
    let launch = Launch {
        command,
        cwd: PathBuf::from(BUILD_DIR),
        rlimits: Rlimits::of(&limits),
        kill_after: limits.kill_after,
        memory_bytes: limits.memory_limit_kb * 1024,
        disk_bytes: limits.disk_limit_bytes,
        exact_memory: false,
        boxed: Some(BoxSpec {
            bwrap: bwrap.to_path_buf(),
            files: Vec::new(),
            ro_dirs,
            rw_dirs: vec![(work.clone(), PathBuf::from(BUILD_DIR))],
        }),
    };
    let run = execute_launch(&launch, b"", &limits);
    give_back(&work);
    let moved = move_all(&work, staging);
    let run = run.map_err(|e| Error::Internal(format!("could not compile in the box: {e}")))?;
    moved.map_err(|e| Error::io(staging, e))?;
    let time = run.wall.max(run.cpu);
    if run.killed_by_timer || time > limits.time_limit {
        return Ok(Some(format!(
            "the compiler ran {} s, over the limit of {COMPILE_SECONDS} s",
            time.as_secs()
        )));
    }
    if run.exit == Exit::Code(0) {
        return Ok(None);
    }
    let mut message = run.stderr_tail;
    let too_large = ["File too large", "File size limit exceeded"];
    if run.exit == Exit::Signal(libc::SIGXFSZ) || too_large.iter().any(|t| message.contains(t)) {
        message = format!(
            "the compiler wrote a file over {} MiB (a program that large is not built): {}",
            COMPILE_FILE_BYTES >> 20,
            message.trim()
        );
    }
    if message.trim().is_empty() {
        message = format!("the compiler stopped: {}", run.exit);
        if run.peak_memory_kb >= limits.memory_limit_kb {
            message.push_str(&format!(" (it used {COMPILE_MEMORY_MB} MiB, the limit)"));
        }
    }
    Ok(Some(message))
}

/// This thread's compile workspace beside `staging`, emptied. It stays for
/// the thread's life (its box binds it; a new folder would not be seen there)
/// and is removed when the thread ends.
fn workspace(staging: &Path) -> std::io::Result<PathBuf> {
    struct Workspace(Option<PathBuf>);
    impl Drop for Workspace {
        fn drop(&mut self) {
            if let Some(dir) = &self.0 {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
    thread_local! {
        static WORK: std::cell::RefCell<Workspace> = const { std::cell::RefCell::new(Workspace(None)) };
    }
    static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let parent = staging.parent().unwrap_or(Path::new("/"));
    WORK.with(|cell| {
        let mut slot = cell.borrow_mut();
        match &slot.0 {
            Some(dir) if dir.parent() == Some(parent) && dir.is_dir() => {
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        std::fs::remove_dir_all(&path)?;
                    } else {
                        std::fs::remove_file(&path)?;
                    }
                }
                Ok(dir.clone())
            }
            _ => {
                let n = THREADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let dir = parent.join(format!(".compile-{}-{n}", std::process::id()));
                if dir.exists() {
                    std::fs::remove_dir_all(&dir)?;
                }
                std::fs::create_dir(&dir)?;
                if let Some(old) = slot.0.replace(dir.clone()) {
                    let _ = std::fs::remove_dir_all(old);
                }
                Ok(dir)
            }
        }
    })
}

/// Moves every entry of `from` into `to` (same file system), leaving `from` empty.
fn move_all(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        std::fs::rename(entry.path(), to.join(entry.file_name()))?;
    }
    Ok(())
}

/// Hands the staging folder and what the compile wrote back to ale's own uid
/// (the box's uid owns nothing once the compile is over).
fn give_back(dir: &Path) {
    // SAFETY: geteuid and getegid cannot fail.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let _ = std::os::unix::fs::lchown(dir, Some(uid), Some(gid));
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                give_back(&path);
            } else {
                let _ = std::os::unix::fs::lchown(&path, Some(uid), Some(gid));
            }
        }
    }
}
