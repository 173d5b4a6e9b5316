//! Reading the store from outside the processes that write it: a read-only
//! open that refuses what is not an ale store, and the queries the web
//! viewer (`ale serve`) needs beyond those the commands already use.

use super::status::{RunStatus, TuningStatus};
use super::{migrations, run_row, store_error, RunRow, Store};
use crate::error::{Error, Result};
use crate::judge::Verdict;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// One case of a run, as stored.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub run_id: i64,
    pub case_index: usize,
    pub seed: Option<u64>,
    /// The input's name, e.g. `0000.txt`.
    pub input: String,
    pub verdict: Verdict,
    pub score: Option<i64>,
    pub time_ms: u64,
    pub wall_ms: Option<u64>,
    pub cpu_ms: Option<u64>,
    pub memory_kb: u64,
    pub message: Option<String>,
    /// The end of the solution's stderr (not kept before schema version 11).
    pub stderr: Option<String>,
}

/// A tuning as the home page lists it.
#[derive(Debug, Clone)]
pub struct TuningListRow {
    pub id: i64,
    pub problem: String,
    pub solution: String,
    pub started_at: String,
    pub status: TuningStatus,
    pub seeds: String,
    pub holdout: String,
    /// The search session it is a burst of.
    pub session: Option<i64>,
    pub trials: usize,
    /// The best mean relative score of a trial.
    pub best_relative: Option<f64>,
}

/// A bench as the home page lists it.
#[derive(Debug, Clone)]
pub struct BenchListRow {
    pub id: i64,
    pub started_at: String,
    /// The problems' ids, comma-separated.
    pub problems: String,
    pub status: RunStatus,
    /// The problems done so far.
    pub rows: usize,
}

/// How far a session has got: what changes while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct SessionActivity {
    pub candidates: usize,
    pub cases: usize,
    pub calls: usize,
    pub answered: usize,
    /// The newest candidate's id.
    pub newest: Option<i64>,
    /// Choices the bandits made (0 for a store from before they were recorded).
    pub choices: usize,
    /// Seconds into the search (its latest run: a resumed session's clock
    /// starts again) of its newest candidate.
    pub elapsed_s: f64,
}

/// One model call with all that was stored of it.
#[derive(Debug, Clone)]
pub struct LlmCallDetail {
    pub id: i64,
    pub session_id: i64,
    pub operator: String,
    pub model: String,
    pub system: String,
    pub user: String,
    pub reply: Option<String>,
    pub error: Option<String>,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost: f64,
    pub attempts: u32,
    pub millis: u64,
    pub asked: Option<f64>,
    pub answered: Option<f64>,
    pub candidate: Option<i64>,
}

impl Store {
    /// Opens an existing store for reading only: nothing is created, migrated
    /// or written, and a writer in another process is never held up (WAL).
    /// Fails, naming the file, when it does not exist, is not an SQLite
    /// database, or holds no ale schema.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(Error::Store {
                path: path.to_path_buf(),
                message: "does not exist: give the store of your runs and searches with --store (or set ALE_HOME); `ale run` or `ale solve` make one".into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| store_error(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| store.err(e))?;
        let version = store.schema_version()?;
        let not_ale = |what: &str| {
            Error::Store {
            path: path.to_path_buf(),
            message: format!(
                "is not an ale store ({what}); give the store of your runs and searches with --store"
            ),
        }
        };
        let known = migrations::MIGRATIONS.len();
        if version > known {
            return Err(Error::Store {
                path: path.to_path_buf(),
                message: format!(
                    "schema version {version} is newer than this ale knows ({known}); upgrade ale"
                ),
            });
        }
        let ale_tables: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'case_results', 'best_scores')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| store.err(e))?;
        if version == 0 || ale_tables < 3 {
            return Err(not_ale("it is an SQLite database without ale's tables"));
        }
        Ok(store)
    }

    /// Runs `read` inside one read transaction, so that every statement it
    /// makes sees the store as it was at the first: a page drawn while a
    /// search writes is one moment of it, not a mix of two.
    pub fn snapshot<T>(&self, read: impl FnOnce(&Store) -> T) -> Result<T> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(|e| self.err(e))?;
        let value = read(self);
        // Nothing was written: ending it either way only lets the snapshot go.
        self.conn
            .execute_batch("ROLLBACK")
            .map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// The file this store is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every problem with a run, a tuning or a session, by id.
    pub fn problems_stored(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT problem FROM runs UNION SELECT problem FROM tunings
                 UNION SELECT problem FROM sessions ORDER BY 1",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))
    }

    /// One run.
    pub fn run(&self, id: i64) -> Result<Option<RunRow>> {
        self.conn
            .query_row(
                "SELECT id, problem, solution, started_at, status, cases, accepted, mean_score,
                        mean_relative_score, mean_log10_score, max_time_ms, pid, host
                 FROM runs WHERE id = ?1",
                params![id],
                run_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A run's cases, by index.
    pub fn run_cases(&self, run_id: i64) -> Result<Vec<CaseRecord>> {
        self.case_records(run_id, None)
    }

    /// One case of a run.
    pub fn run_case(&self, run_id: i64, index: usize) -> Result<Option<CaseRecord>> {
        Ok(self.case_records(run_id, Some(index))?.pop())
    }

    fn case_records(&self, run_id: i64, index: Option<usize>) -> Result<Vec<CaseRecord>> {
        // A store of an earlier version, opened read-only, has no stderr column.
        let stderr = if self.keeps_what_serve_draws()? {
            "stderr"
        } else {
            "NULL"
        };
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT run_id, case_index, seed, input, verdict, score, time_ms, wall_ms, cpu_ms,
                        memory_kb, message, {stderr}
                 FROM case_results WHERE run_id = ?1 AND (?2 IS NULL OR case_index = ?2)
                 ORDER BY case_index"
            ))
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![run_id, index.map(|i| i as i64)], |r| {
                Ok(CaseRecord {
                    run_id: r.get(0)?,
                    case_index: r.get::<_, i64>(1)? as usize,
                    seed: r.get::<_, Option<i64>>(2)?.map(|s| s as u64),
                    input: r.get(3)?,
                    verdict: r.get(4)?,
                    score: r.get(5)?,
                    time_ms: r.get::<_, i64>(6)? as u64,
                    wall_ms: r.get::<_, Option<i64>>(7)?.map(|t| t as u64),
                    cpu_ms: r.get::<_, Option<i64>>(8)?.map(|t| t as u64),
                    memory_kb: r.get::<_, i64>(9)? as u64,
                    message: r.get(10)?,
                    stderr: r.get(11)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Tunings (`ale tune` and search bursts), newest first, with their trial
    /// counts and best trial.
    pub fn tunings(&self, id: Option<i64>) -> Result<Vec<TuningListRow>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT u.id, u.problem, u.solution, u.started_at, u.status, u.seeds, u.holdout,
                        u.session_id, COUNT(t.id), MAX(t.mean_relative)
                 FROM tunings u LEFT JOIN tune_trials t ON t.tuning_id = u.id
                 WHERE ?1 IS NULL OR u.id = ?1
                 GROUP BY u.id ORDER BY u.id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![id], |r| {
                Ok(TuningListRow {
                    id: r.get(0)?,
                    problem: r.get(1)?,
                    solution: r.get(2)?,
                    started_at: r.get(3)?,
                    status: r.get(4)?,
                    seeds: r.get(5)?,
                    holdout: r.get(6)?,
                    session: r.get(7)?,
                    trials: r.get::<_, i64>(8)? as usize,
                    best_relative: r.get(9)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Benches, newest first (`id`: only that one).
    pub fn benches(&self, id: Option<i64>) -> Result<Vec<BenchListRow>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT b.id, b.started_at, b.problems, b.status, COUNT(r.problem)
                 FROM benches b LEFT JOIN bench_rows r ON r.bench_id = b.id
                 WHERE ?1 IS NULL OR b.id = ?1
                 GROUP BY b.id ORDER BY b.id DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![id], |r| {
                Ok(BenchListRow {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    problems: r.get(2)?,
                    status: r.get(3)?,
                    rows: r.get::<_, i64>(4)? as usize,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// How far a session has got, read in one statement so that the figures
    /// agree with each other (and the bandits' choices in one more).
    pub fn session_activity(&self, session_id: i64) -> Result<SessionActivity> {
        let choices = self.bandit_choice_count(session_id)?;
        self.conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM candidates WHERE session_id = ?1),
                        (SELECT COUNT(*) FROM candidate_cases cc JOIN candidates c ON c.id = cc.candidate_id
                          WHERE c.session_id = ?1),
                        (SELECT COUNT(*) FROM llm_calls WHERE session_id = ?1),
                        (SELECT COUNT(*) FROM llm_calls WHERE session_id = ?1
                          AND (reply IS NOT NULL OR error IS NOT NULL)),
                        (SELECT MAX(id) FROM candidates WHERE session_id = ?1),
                        COALESCE((SELECT created_s FROM candidates WHERE session_id = ?1
                                  ORDER BY id DESC LIMIT 1), 0)",
                params![session_id],
                |r| {
                    Ok(SessionActivity {
                        candidates: r.get::<_, i64>(0)? as usize,
                        cases: r.get::<_, i64>(1)? as usize,
                        calls: r.get::<_, i64>(2)? as usize,
                        answered: r.get::<_, i64>(3)? as usize,
                        newest: r.get(4)?,
                        choices,
                        elapsed_s: r.get(5)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// Call `id` of session `session_id`, prompt and reply included.
    pub fn llm_call(&self, session_id: i64, id: i64) -> Result<Option<LlmCallDetail>> {
        self.conn
            .query_row(
                "SELECT id, session_id, operator, model, system, user, reply, error, tokens_in,
                        tokens_out, cost, attempts, millis, asked, answered, candidate_id
                 FROM llm_calls WHERE session_id = ?1 AND id = ?2",
                params![session_id, id],
                |r| {
                    Ok(LlmCallDetail {
                        id: r.get(0)?,
                        session_id: r.get(1)?,
                        operator: r.get(2)?,
                        model: r.get(3)?,
                        system: r.get(4)?,
                        user: r.get(5)?,
                        reply: r.get(6)?,
                        error: r.get(7)?,
                        tokens_in: r.get::<_, i64>(8)? as u64,
                        tokens_out: r.get::<_, i64>(9)? as u64,
                        cost: r.get(10)?,
                        attempts: r.get::<_, i64>(11)? as u32,
                        millis: r.get::<_, i64>(12)? as u64,
                        asked: r.get(13)?,
                        answered: r.get(14)?,
                        candidate: r.get(15)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Each candidate of a session with its cases judged, accepted, and the
    /// sum of the accepted scores: `(candidate, cases, accepted, sum)`, in
    /// one statement rather than one per candidate.
    pub fn session_candidate_scores(
        &self,
        session_id: i64,
    ) -> Result<Vec<(i64, usize, usize, i64)>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.id, COUNT(cc.seed),
                        COALESCE(SUM(cc.verdict = 'AC' AND cc.score IS NOT NULL), 0),
                        COALESCE(SUM(CASE WHEN cc.verdict = 'AC' THEN cc.score END), 0)
                 FROM candidates c LEFT JOIN candidate_cases cc ON cc.candidate_id = c.id
                 WHERE c.session_id = ?1 GROUP BY c.id ORDER BY c.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                    r.get(3)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// The lowest and highest accepted score of each seed over a session's
    /// candidates: `(seed, lowest, highest)`, what relative scores are against.
    pub fn session_seed_extremes(&self, session_id: i64) -> Result<Vec<(u64, i64, i64)>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT cc.seed, MIN(cc.score), MAX(cc.score)
                 FROM candidate_cases cc JOIN candidates c ON c.id = cc.candidate_id
                 WHERE c.session_id = ?1 AND cc.verdict = 'AC' AND cc.score IS NOT NULL
                 GROUP BY cc.seed",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_existing_ale_store_opens_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.db");
        let e = Store::open_read_only(&missing).err().unwrap().to_string();
        assert!(e.contains("none.db") && e.contains("does not exist"), "{e}");
        assert!(!missing.exists());

        let other = dir.path().join("other.db");
        let conn = Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE notes (text TEXT); PRAGMA user_version = 3;")
            .unwrap();
        drop(conn);
        let e = Store::open_read_only(&other).err().unwrap().to_string();
        assert!(
            e.contains("other.db") && e.contains("not an ale store"),
            "{e}"
        );

        let garbage = dir.path().join("garbage.db");
        std::fs::write(
            &garbage,
            "this is no database at all, just some text ".repeat(40),
        )
        .unwrap();
        let e = Store::open_read_only(&garbage).err().unwrap().to_string();
        assert!(
            e.contains("garbage.db") && e.contains("not an SQLite database"),
            "{e}"
        );

        let path = dir.path().join("ale.db");
        let writer = Store::open(&path).unwrap();
        let run = writer.begin_run("tsp", "a.rs", "h").unwrap();
        let reader = Store::open_read_only(&path).unwrap();
        assert_eq!(reader.run(run).unwrap().unwrap().solution, "a.rs");
        assert!(reader.run(run + 1).unwrap().is_none());
        assert_eq!(reader.problems_stored().unwrap(), ["tsp"]);
        assert!(reader.begin_run("tsp", "b.rs", "h").is_err());
        // Inside a snapshot, a run written meanwhile is not seen; after it, it is.
        let seen = reader
            .snapshot(|r| {
                let before = r.problems_stored().unwrap();
                writer.begin_run("qap", "c.rs", "h").unwrap();
                (before, r.problems_stored().unwrap())
            })
            .unwrap();
        assert_eq!(seen, (vec!["tsp".to_string()], vec!["tsp".to_string()]));
        assert_eq!(reader.problems_stored().unwrap(), ["qap", "tsp"]);
    }

    #[test]
    fn a_store_of_version_10_reads_with_no_stderr_and_no_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        crate::store::schema_10_store(&path);
        let old = Store::open_read_only(&path).unwrap();
        let case = old.run_case(1, 0).unwrap().unwrap();
        assert_eq!((case.score, case.stderr), (Some(7), None));
        assert_eq!(old.run_output(1, 0).unwrap(), None);
        assert_eq!(old.candidate_output(1, 0).unwrap(), None);
        // Opened for writing, it is brought up to date and keeps its case.
        drop(old);
        let new = Store::open(&path).unwrap();
        assert_eq!(new.schema_version().unwrap(), migrations::MIGRATIONS.len());
        assert_eq!(new.run_case(1, 0).unwrap().unwrap().score, Some(7));
        assert_eq!(new.run_output(1, 0).unwrap(), None);
    }
}
