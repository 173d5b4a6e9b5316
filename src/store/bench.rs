//! The bench tables: a bench over a set of problems, and its result per
//! problem (the row `ale bench` prints, kept as JSON).

use super::status::RunStatus;
use super::Store;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Starts a bench over `problems` (their ids, comma-separated); its id.
    pub fn begin_bench(&self, problems: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO benches (started_at, problems, status)
                 VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
                params![problems, RunStatus::Running],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest unfinished bench over exactly these problems.
    pub fn unfinished_bench(&self, problems: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM benches WHERE problems = ?1 AND status != ?2 ORDER BY id DESC LIMIT 1",
                params![problems, RunStatus::Finished],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn finish_bench(&self, id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE benches SET status = ?2 WHERE id = ?1",
                params![id, RunStatus::Finished],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Records a problem's result (`result`: its row as JSON).
    pub fn record_bench_result(
        &self,
        bench: i64,
        problem: &str,
        session: i64,
        result: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO bench_rows (bench_id, problem, session_id, result)
                 VALUES (?1, ?2, ?3, ?4)",
                params![bench, problem, session, result],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// A bench's results so far (each row as JSON), in the order recorded.
    pub fn bench_results(&self, bench: i64) -> Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT result FROM bench_rows WHERE bench_id = ?1 ORDER BY rowid")
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![bench], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))
    }
}
