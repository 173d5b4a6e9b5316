//! The store: one SQLite file holding every run and case result, the best
//! score per input, the tuner's tunings and trials, and the search's sessions,
//! candidates and model calls, and benches (docs/ARCHITECTURE.md lists the tables), with
//! the states of its rows as enums (`status.rs`). Every SQL statement of ale
//! lives in this module.

mod bandit;
mod bench;
mod migrations;
mod outputs;
mod read;
mod session;
pub mod status;
mod tune;

pub use bandit::{ArmFigure, BanditChoice};
pub use outputs::{StoredOutput, OUTPUT_KEEP_BYTES, OWNER_KEEP_BYTES};
pub use read::{BenchListRow, CaseRecord, LlmCallDetail, SessionActivity, TuningListRow};
pub use session::{Budget, CandidateRow, LlmCallRow, LlmTotals, SessionRow, Step};
pub use status::{CandidateStatus, RunStatus, SessionStatus, TrialStatus, TuningStatus};
pub use tune::{RaceCheck, TrialRace, TrialRow, TuneCase, TuningRow};

use crate::error::{Error, Result};
use crate::problem::Objective;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// One case result as it is written.
#[derive(Debug, Clone)]
pub struct CaseRow<'a> {
    pub case_index: usize,
    pub seed: Option<u64>,
    pub input: &'a str,
    pub input_hash: &'a str,
    pub verdict: crate::judge::Verdict,
    pub score: Option<i64>,
    /// The larger of `wall_ms` and `cpu_ms`, judged against the limit.
    pub time_ms: u64,
    pub wall_ms: u64,
    pub cpu_ms: u64,
    pub memory_kb: u64,
    pub message: Option<&'a str>,
    /// The end of the solution's stderr.
    pub stderr: Option<&'a str>,
    /// What the solution wrote (kept compressed, up to [`OUTPUT_KEEP_BYTES`]).
    pub output: &'a [u8],
}

/// A run's aggregate, written when it finishes.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub cases: usize,
    pub accepted: usize,
    pub mean_score: Option<f64>,
    pub mean_relative_score: f64,
    pub mean_log10_score: Option<f64>,
    pub max_time_ms: u64,
}

/// A run as `ale history` lists it.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub id: i64,
    pub problem: String,
    pub solution: String,
    pub started_at: String,
    pub status: RunStatus,
    pub summary: Option<Summary>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let conn = Connection::open(path).map_err(|e| store_error(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        store_error(&self.path, e)
    }

    fn configure(&self) -> Result<()> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| self.err(e))?;
        // Switching to WAL needs the file to itself for a moment, and SQLite
        // does not wait for that on its own: retry while another process has it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            {
                Ok(_) => break,
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => return Err(self.err(e)),
            }
        }
        self.conn
            .execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(|e| self.err(e))
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<usize> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map(|v| v as usize)
            .map_err(|e| self.err(e))
    }

    /// Whether the store has what `ale serve` draws beyond the figures
    /// (migration 11): a store of an earlier ale, opened read-only, has not,
    /// and its pages show less rather than fail.
    fn keeps_what_serve_draws(&self) -> Result<bool> {
        Ok(self.schema_version()? >= migrations::SERVE_DRAWS)
    }

    /// Brings the schema up to date in one write transaction, so that two
    /// processes opening a new store at once cannot both create it.
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e| store_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let current = tx
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map_err(err)? as usize;
        let known = migrations::MIGRATIONS.len();
        if current == 0 {
            let tables: i64 = tx
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .map_err(err)?;
            if tables > 0 {
                return Err(Error::Store {
                    path: path.clone(),
                    message: "is a database of something else (it has tables but no ale schema); give ale its own file with --store or ALE_HOME".into(),
                });
            }
        }
        if current > known {
            return Err(Error::Store {
                path: path.clone(),
                message: format!(
                    "schema version {current} is newer than this ale knows ({known}); upgrade ale or use another --store"
                ),
            });
        }
        for (index, sql) in migrations::MIGRATIONS.iter().enumerate().skip(current) {
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", (index + 1) as i64)
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Records the start of a run and returns its id.
    pub fn begin_run(&self, problem: &str, solution: &str, solution_hash: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (problem, solution, solution_hash, started_at, status, pid, host)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, ?4, ?5)",
                params![
                    problem,
                    solution,
                    solution_hash,
                    std::process::id() as i64,
                    host(),
                    RunStatus::Running
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Writes one case result with its output and updates the input's best
    /// score, in one transaction.
    pub fn record_case(
        &mut self,
        run_id: i64,
        problem: &str,
        objective: Objective,
        row: &CaseRow,
    ) -> Result<()> {
        let path = self.path.clone();
        let err = |e| store_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute(
            "INSERT INTO case_results
                 (run_id, case_index, seed, input, input_hash, verdict, score, time_ms, memory_kb, message, wall_ms, cpu_ms, stderr)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                run_id,
                row.case_index as i64,
                row.seed.map(|s| s as i64),
                row.input,
                row.input_hash,
                row.verdict,
                row.score,
                row.time_ms as i64,
                row.memory_kb as i64,
                row.message,
                row.wall_ms as i64,
                row.cpu_ms as i64,
                row.stderr,
            ],
        )
        .map_err(err)?;
        outputs::keep_run_output(&tx, run_id, row.case_index, row.output).map_err(err)?;
        if let Some(score) = row.score {
            tx.execute(
                "INSERT INTO best_scores (problem, input_hash, score, run_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (problem, input_hash) DO UPDATE SET score = excluded.score, run_id = excluded.run_id
                 WHERE (?5 = 'max' AND excluded.score > best_scores.score)
                    OR (?5 = 'min' AND excluded.score < best_scores.score)",
                params![problem, row.input_hash, score, run_id, objective.as_str()],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// The best score ever stored for an input of a problem.
    pub fn best_score(&self, problem: &str, input_hash: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT score FROM best_scores WHERE problem = ?1 AND input_hash = ?2",
                params![problem, input_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Marks a run finished with its summary.
    pub fn finish_run(&self, run_id: i64, status: RunStatus, s: &Summary) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), status = ?2,
                     cases = ?3, accepted = ?4, mean_score = ?5, mean_relative_score = ?6,
                     mean_log10_score = ?7, max_time_ms = ?8
                 WHERE id = ?1",
                params![
                    run_id,
                    status,
                    s.cases as i64,
                    s.accepted as i64,
                    s.mean_score,
                    s.mean_relative_score,
                    s.mean_log10_score,
                    s.max_time_ms as i64
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Runs of a problem, newest first.
    pub fn runs(&self, problem: &str, limit: usize) -> Result<Vec<RunRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, problem, solution, started_at, status, cases, accepted, mean_score,
                        mean_relative_score, mean_log10_score, max_time_ms, pid, host
                 FROM runs WHERE problem = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![problem, limit as i64], run_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The verdicts and scores stored for a run, by case index.
    pub fn case_scores(&self, run_id: i64) -> Result<Vec<(crate::judge::Verdict, Option<i64>)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT verdict, score FROM case_results WHERE run_id = ?1 ORDER BY case_index",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![run_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}

/// A run from `id, problem, solution, started_at, status, cases, accepted,
/// mean_score, mean_relative_score, mean_log10_score, max_time_ms, pid, host`.
fn run_row(r: &rusqlite::Row) -> rusqlite::Result<RunRow> {
    let cases: Option<i64> = r.get(5)?;
    let summary = match cases {
        None => None,
        Some(cases) => Some(Summary {
            cases: cases as usize,
            accepted: r.get::<_, i64>(6)? as usize,
            mean_score: r.get(7)?,
            mean_relative_score: r.get(8)?,
            mean_log10_score: r.get(9)?,
            max_time_ms: r.get::<_, i64>(10)? as u64,
        }),
    };
    let status: RunStatus = r.get(4)?;
    let pid: Option<i64> = r.get(11)?;
    let run_host: Option<String> = r.get(12)?;
    // A run still marked running whose process on this host is gone
    // was stopped without a word (kill -9, a crash, a reboot).
    let gone = status == RunStatus::Running
        && run_host.as_deref() == Some(host().as_str())
        && pid.is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists());
    Ok(RunRow {
        id: r.get(0)?,
        problem: r.get(1)?,
        solution: r.get(2)?,
        started_at: r.get(3)?,
        status: if gone { RunStatus::Stopped } else { status },
        summary,
    })
}

/// This machine's name, to tell its runs from those of another sharing the store.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn store_error(path: &Path, e: rusqlite::Error) -> Error {
    let hint = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "; it is not an SQLite database: move it away, or give ale another file with --store"
        }
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => {
            "; ale needs to write its store: use a writable folder with --store or ALE_HOME"
        }
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            "; another process holds the store too long: try again when it is done"
        }
        _ => "",
    };
    Error::Store {
        path: path.to_path_buf(),
        message: format!("{e}{hint}"),
    }
}

/// A store as an ale of schema version 10 wrote it, for the tests that a
/// newer ale still reads one: run 1 with its case 0 (seed 0, score 7);
/// session 1 with candidate 1 and its case on seed 0 (score 7, created at
/// 0.5 s); tuning 1 with its first trial.
#[cfg(test)]
pub(crate) fn schema_10_store(path: &Path) {
    let conn = Connection::open(path).unwrap();
    for m in &migrations::MIGRATIONS[..10] {
        conn.execute_batch(m).unwrap();
    }
    conn.execute_batch(
        "PRAGMA user_version = 10;
         INSERT INTO runs (id, problem, solution, solution_hash, started_at, status)
             VALUES (1, 'tsp', 'a.rs', 'h', 'then', 'finished');
         INSERT INTO case_results (run_id, case_index, seed, input, input_hash, verdict, score, time_ms, memory_kb)
             VALUES (1, 0, 0, '0000.txt', 'i', 'AC', 7, 5, 100);
         INSERT INTO sessions (id, problem, started_at, status, rng_seed)
             VALUES (1, 'tsp', 'then', 'finished', 3);
         INSERT INTO candidates (id, session_id, parent, operator, origin, extension, source, norm_hash, status, created_s)
             VALUES (1, 1, NULL, 'start', 'a.rs', 'rs', 'fn main() {}', 'n', 'evaluated', 0.5);
         INSERT INTO candidate_cases (candidate_id, seed, verdict, score, time_ms)
             VALUES (1, 0, 'AC', 7, 5);
         INSERT INTO tunings (id, problem, solution, source_hash, started_at, status, rng_seed, seeds, holdout)
             VALUES (1, 'tsp', 'a.rs', 'h', 'then', 'finished', 1, '0..2', '2..4');
         INSERT INTO tune_trials (id, tuning_id, number, point, vals, source_hash, status, mean_relative)
             VALUES (1, 1, 0, '[]', '{}', 'h', 'complete', 100.0);",
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(index: usize, hash: &'a str, score: Option<i64>) -> CaseRow<'a> {
        CaseRow {
            case_index: index,
            seed: Some(index as u64),
            input: "0000.txt",
            input_hash: hash,
            verdict: if score.is_some() {
                crate::judge::Verdict::AC
            } else {
                crate::judge::Verdict::WA
            },
            score,
            time_ms: 5,
            wall_ms: 5,
            cpu_ms: 3,
            memory_kb: 1000,
            message: None,
            stderr: None,
            output: b"1 2 3\n",
        }
    }

    #[test]
    fn best_scores_follow_the_objective() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a/ale.db")).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            migrations::MIGRATIONS.len()
        );
        let run = store.begin_run("tsp", "x.rs", "h").unwrap();
        store
            .record_case(run, "tsp", Objective::Min, &row(0, "i0", Some(50)))
            .unwrap();
        store
            .record_case(run, "tsp", Objective::Min, &row(1, "i0", Some(70)))
            .unwrap();
        store
            .record_case(run, "tsp", Objective::Min, &row(2, "i0", None))
            .unwrap();
        assert_eq!(store.best_score("tsp", "i0").unwrap(), Some(50));
        store
            .record_case(run, "tsp", Objective::Min, &row(3, "i0", Some(40)))
            .unwrap();
        assert_eq!(store.best_score("tsp", "i0").unwrap(), Some(40));
        store
            .record_case(run, "p", Objective::Max, &row(4, "i0", Some(40)))
            .unwrap();
        store
            .record_case(run, "p", Objective::Max, &row(5, "i0", Some(30)))
            .unwrap();
        assert_eq!(store.best_score("p", "i0").unwrap(), Some(40));
        assert_eq!(store.best_score("tsp", "other").unwrap(), None);
    }

    #[test]
    fn runs_survive_reopening_and_list_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ale.db");
        {
            let store = Store::open(&path).unwrap();
            let a = store.begin_run("tsp", "a.rs", "h").unwrap();
            let summary = Summary {
                cases: 2,
                accepted: 1,
                mean_score: Some(10.0),
                mean_relative_score: 50.0,
                mean_log10_score: Some(1.0),
                max_time_ms: 7,
            };
            store.finish_run(a, RunStatus::Finished, &summary).unwrap();
            store.begin_run("tsp", "b.rs", "h").unwrap();
        }
        let store = Store::open(&path).unwrap();
        let runs = store.runs("tsp", 10).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].solution, "b.rs");
        assert!(runs[0].summary.is_none());
        assert_eq!(runs[1].summary.as_ref().unwrap().accepted, 1);
        assert_eq!(runs[1].status, RunStatus::Finished);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ale.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let e = Store::open(&path).err().unwrap().to_string();
        assert!(e.contains("schema version 99 is newer"), "{e}");
    }

    #[test]
    fn a_session_keeps_its_seeds_and_one_of_an_earlier_version_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("ale.db")).unwrap();
        let id = store
            .begin_session(
                "tsp",
                7,
                &crate::problem::Seeds::range(0, 20),
                &crate::problem::Seeds::range(1000, 1050),
            )
            .unwrap();
        // What a session of schema version 8 looks like once migrated.
        store
            .conn
            .execute(
                "INSERT INTO sessions (problem, started_at, status, rng_seed) VALUES ('tsp', 'then', 'stopped', 3)",
                [],
            )
            .unwrap();
        let rows = store.sessions(None).unwrap();
        let new = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            new.public_seeds.as_ref().map(|s| s.to_string()).as_deref(),
            Some("0..20")
        );
        assert_eq!(
            new.private_seeds.as_ref().map(|s| s.to_string()).as_deref(),
            Some("1000..1050")
        );
        assert_eq!(new.status, SessionStatus::Running);
        let old = rows.iter().find(|r| r.id != id).unwrap();
        assert_eq!((&old.public_seeds, &old.private_seeds), (&None, &None));
        assert_eq!(old.status, SessionStatus::Stopped);
    }
}
