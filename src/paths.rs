//! Where ale keeps its files: the home folder (`.ale/` or `ALE_HOME`), the store
//! and the build cache.

use std::path::PathBuf;

/// The folders and files one invocation works with.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `.ale` of the current folder, or `ALE_HOME`.
    pub home: PathBuf,
    /// The SQLite store: `--store PATH`, or `<home>/ale.db`.
    pub store: PathBuf,
    /// Compiled solutions, keyed by hash.
    pub build: PathBuf,
}

impl Paths {
    /// Paths from an explicit home (or `ALE_HOME`, or `.ale`) and an optional store file.
    pub fn new(home: Option<PathBuf>, store: Option<PathBuf>) -> Paths {
        let home = home
            .or_else(|| std::env::var_os("ALE_HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(".ale"));
        let store = store.unwrap_or_else(|| home.join("ale.db"));
        let build = home.join("build");
        Paths { home, store, build }
    }
}
