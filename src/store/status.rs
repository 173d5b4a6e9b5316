//! The states a stored row can be in, one enum per kind of row. Each is
//! written to and read from its table's `status` column as the exact text
//! below, which `ale history`, `ale sessions` and scripts reading the store
//! see.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::fmt;
use std::str::FromStr;

/// Text that names none of an enum's states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown status {:?}", self.0)
    }
}

impl std::error::Error for UnknownStatus {}

/// Enums whose states are plain words.
macro_rules! plain_status {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownStatus;
            fn from_str(s: &str) -> Result<Self, UnknownStatus> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(UnknownStatus(s.to_string())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // pad, not write_str: tables give statuses a width.
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

plain_status!(
    /// A run of `ale run` (or of the judge for a submission).
    RunStatus {
        /// Cases are being judged (or the process running it died: see
        /// `Store::runs`, which reports such a run as stopped).
        Running => "running",
        Finished => "finished",
        /// Ctrl-C or a stop cut it short; the cases that ended are stored.
        Interrupted => "interrupted",
        /// Its process is gone without finishing it.
        Stopped => "stopped",
    }
);

plain_status!(
    /// A search session of `ale solve`.
    SessionStatus {
        Running => "running",
        /// Searched and submitted.
        Finished => "finished",
        /// Ctrl-C ended the search; the best so far was submitted, and the
        /// session may be resumed.
        Stopped => "stopped",
        /// Nothing ran every public seed; nothing was submitted.
        Failed => "failed",
    }
);

plain_status!(
    /// A tuning of `ale tune` (or a search's tuning burst).
    TuningStatus {
        Running => "running",
        Finished => "finished",
        Interrupted => "interrupted",
    }
);

plain_status!(
    /// One trial (one set of constants) of a tuning.
    TrialStatus {
        Running => "running",
        /// Ran every tuning seed.
        Complete => "complete",
        /// Stopped early: the paired test said it is worse than the best.
        RacedOut => "raced out",
        CompileError => "compile error",
        /// The budget or a stop ended it before every seed ran.
        Interrupted => "interrupted",
    }
);

/// A candidate of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateStatus {
    /// Added, not judged to the end yet.
    New,
    /// Ran every public seed.
    Evaluated,
    CompileError,
    /// A starting solver that successive halving dropped after this many seeds.
    Dropped(usize),
    /// Clearly behind its parent on the cascade's first seeds.
    Stopped(usize),
    /// The paired test said it is worse than the best after this many seeds.
    RacedOut(usize),
    /// Still not ahead of the best after this many seeds.
    NotAhead(usize),
}

impl CandidateStatus {
    /// Stopped before the end of its judging, for any reason but a compile error.
    pub fn cut(self) -> bool {
        matches!(
            self,
            CandidateStatus::Dropped(_)
                | CandidateStatus::Stopped(_)
                | CandidateStatus::RacedOut(_)
                | CandidateStatus::NotAhead(_)
        )
    }
}

impl fmt::Display for CandidateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            CandidateStatus::New => "new".to_string(),
            CandidateStatus::Evaluated => "evaluated".to_string(),
            CandidateStatus::CompileError => "compile error".to_string(),
            CandidateStatus::Dropped(n) => format!("dropped after {n} seeds"),
            CandidateStatus::Stopped(n) => format!("stopped after {n} seeds"),
            CandidateStatus::RacedOut(n) => format!("raced out after {n} seeds"),
            CandidateStatus::NotAhead(n) => format!("not ahead after {n} seeds"),
        };
        // pad, not write_str: tables give statuses a width.
        f.pad(&text)
    }
}

impl FromStr for CandidateStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, UnknownStatus> {
        let unknown = || UnknownStatus(s.to_string());
        match s {
            "new" => return Ok(CandidateStatus::New),
            "evaluated" => return Ok(CandidateStatus::Evaluated),
            "compile error" => return Ok(CandidateStatus::CompileError),
            _ => {}
        }
        let seeds = |rest: &str| -> Result<usize, UnknownStatus> {
            rest.strip_suffix(" seeds")
                .and_then(|n| n.parse().ok())
                .ok_or_else(unknown)
        };
        for (prefix, make) in [
            (
                "dropped after ",
                CandidateStatus::Dropped as fn(usize) -> CandidateStatus,
            ),
            ("stopped after ", CandidateStatus::Stopped),
            ("raced out after ", CandidateStatus::RacedOut),
            ("not ahead after ", CandidateStatus::NotAhead),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                return seeds(rest).map(make);
            }
        }
        Err(unknown())
    }
}

impl serde::Serialize for CandidateStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl ToSql for CandidateStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for CandidateStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// A case's verdict, stored as its two or three letters.
impl ToSql for crate::judge::Verdict {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for crate::judge::Verdict {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        crate::judge::Verdict::parse(text)
            .ok_or_else(|| FromSqlError::Other(Box::new(UnknownStatus(text.to_string()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_as_written() {
        for s in [
            CandidateStatus::New,
            CandidateStatus::Evaluated,
            CandidateStatus::CompileError,
            CandidateStatus::Dropped(4),
            CandidateStatus::Stopped(5),
            CandidateStatus::RacedOut(12),
            CandidateStatus::NotAhead(25),
        ] {
            assert_eq!(s.to_string().parse::<CandidateStatus>(), Ok(s));
        }
        assert_eq!(
            "raced out after 12 seeds".parse(),
            Ok(CandidateStatus::RacedOut(12))
        );
        assert_eq!(CandidateStatus::CompileError.to_string(), "compile error");
        // Tables line statuses up by width.
        assert_eq!(format!("[{:<12}]", CandidateStatus::New), "[new         ]");
        assert_eq!(format!("[{:<11}]", RunStatus::Finished), "[finished   ]");
        assert!("raced out after many seeds"
            .parse::<CandidateStatus>()
            .is_err());
        assert_eq!("raced out".parse(), Ok(TrialStatus::RacedOut));
        assert_eq!(TrialStatus::CompileError.as_str(), "compile error");
        assert_eq!("failed".parse(), Ok(SessionStatus::Failed));
        assert_eq!(
            "done".parse::<RunStatus>(),
            Err(UnknownStatus("done".into()))
        );
    }
}
