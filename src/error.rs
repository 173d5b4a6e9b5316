//! Every error of the library, in one place, each saying what to do about it.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    ProblemFile { path: String, message: String },

    #[error("unknown problem `{id}`; known problems: {known} (run `ale problems`, or add problems/{id}/problem.toml)")]
    UnknownProblem { id: String, known: String },

    #[error("{path}: {message}")]
    BadInput { path: PathBuf, message: String },

    #[error("{0}")]
    Usage(String),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("store {path}: {message}")]
    Store { path: PathBuf, message: String },

    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// An I/O error on a named file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
