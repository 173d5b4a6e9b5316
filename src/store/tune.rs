//! The tuner's tables: a tuning, its trials (constants tried) and their cases.

use super::status::{TrialStatus, TuningStatus};
use super::{host, store_error, Store};
use crate::error::Result;
use crate::judge::Verdict;
use rusqlite::{params, OptionalExtension};

/// A tuning as stored.
#[derive(Debug, Clone)]
pub struct TuningRow {
    pub id: i64,
    pub problem: String,
    pub solution: String,
    pub source_hash: String,
    pub status: TuningStatus,
    pub rng_seed: u64,
    pub seeds: String,
    pub holdout: String,
}

/// One trial: a point of the space and what became of it.
#[derive(Debug, Clone)]
pub struct TrialRow {
    pub id: i64,
    pub number: usize,
    /// JSON array of the point's coordinates.
    pub point: String,
    /// JSON object: parameter name to literal.
    pub values: String,
    pub source_hash: String,
    pub status: TrialStatus,
    pub mean_relative: Option<f64>,
}

/// A check of a trial's race against the incumbent, after a batch of seeds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RaceCheck {
    /// The seeds it had run.
    pub seeds: usize,
    /// Its mean difference from the incumbent on those seeds, in percent of
    /// the reference score (negative: it did worse).
    pub mean_difference: f64,
    /// The paired test's p-value of "it is worse"; None with too few seeds.
    pub p_value: Option<f64>,
}

/// A trial's race: the trial it raced against (none for the first trial
/// and for the incumbent itself) and its checks (none while it has run too
/// few seeds, or when it ran them all before a check).
#[derive(Debug, Clone, PartialEq)]
pub struct TrialRace {
    pub number: usize,
    pub against: Option<usize>,
    pub checks: Vec<RaceCheck>,
}

/// One case a trial ran.
#[derive(Debug, Clone, PartialEq)]
pub struct TuneCase {
    pub seed: u64,
    pub holdout: bool,
    pub verdict: Verdict,
    pub score: Option<i64>,
    pub time_ms: u64,
    /// The end of the solution's stderr (kept for a search's candidates).
    pub stderr: Option<String>,
    /// Peak memory (kept for a search's candidates).
    pub memory_kb: Option<u64>,
}

impl TuneCase {
    /// The case a judged outcome on `seed` makes.
    pub fn judged(seed: u64, holdout: bool, outcome: &crate::judge::Outcome) -> TuneCase {
        TuneCase {
            seed,
            holdout,
            verdict: outcome.verdict,
            score: outcome.score,
            time_ms: outcome.time.as_millis() as u64,
            stderr: (!outcome.stderr_tail.is_empty())
                .then(|| crate::text::tail(&outcome.stderr_tail, 600)),
            memory_kb: Some(outcome.memory_kb),
        }
    }

    /// The score when the case was accepted.
    pub fn accepted_score(&self) -> Option<i64> {
        self.score.filter(|_| self.verdict == Verdict::AC)
    }
}

impl Store {
    #[allow(clippy::too_many_arguments)]
    pub fn begin_tuning(
        &self,
        problem: &str,
        solution: &str,
        source_hash: &str,
        rng_seed: u64,
        seeds: &str,
        holdout: &str,
        session: Option<i64>,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO tunings (problem, solution, source_hash, started_at, status, rng_seed, seeds, holdout, pid, host, session_id)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?10, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    problem,
                    solution,
                    source_hash,
                    rng_seed as i64,
                    seeds,
                    holdout,
                    std::process::id() as i64,
                    host(),
                    session,
                    TuningStatus::Running
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The latest tuning of this problem and solution source that did not finish.
    pub fn unfinished_tuning(
        &self,
        problem: &str,
        solution: &str,
        source_hash: &str,
    ) -> Result<Option<TuningRow>> {
        self.conn
            .query_row(
                "SELECT id, problem, solution, source_hash, status, rng_seed, seeds, holdout FROM tunings
                 WHERE problem = ?1 AND solution = ?2 AND source_hash = ?3 AND status != ?4
                 ORDER BY id DESC LIMIT 1",
                params![problem, solution, source_hash, TuningStatus::Finished],
                |r| {
                    Ok(TuningRow {
                        id: r.get(0)?,
                        problem: r.get(1)?,
                        solution: r.get(2)?,
                        source_hash: r.get(3)?,
                        status: r.get(4)?,
                        rng_seed: r.get::<_, i64>(5)? as u64,
                        seeds: r.get(6)?,
                        holdout: r.get(7)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_tuning_status(&self, id: i64, status: TuningStatus) -> Result<()> {
        self.conn
            .execute(
                "UPDATE tunings SET status = ?2, pid = ?3 WHERE id = ?1",
                params![id, status, std::process::id() as i64],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Adds a trial (status `running`) and returns its id.
    pub fn add_trial(
        &self,
        tuning_id: i64,
        number: usize,
        point: &str,
        values: &str,
        source_hash: &str,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO tune_trials (tuning_id, number, point, vals, source_hash, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    tuning_id,
                    number as i64,
                    point,
                    values,
                    source_hash,
                    TrialStatus::Running
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn set_trial(
        &self,
        trial_id: i64,
        status: TrialStatus,
        mean_relative: Option<f64>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE tune_trials SET status = ?2, mean_relative = ?3 WHERE id = ?1",
                params![trial_id, status, mean_relative],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Adds `checks` to the race a trial runs against trial `against`: a
    /// trial a stop cut short goes on racing when its tuning resumes.
    pub fn add_trial_race(
        &self,
        trial_id: i64,
        against: Option<usize>,
        checks: &[RaceCheck],
    ) -> Result<()> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT race FROM tune_trials WHERE id = ?1",
                params![trial_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        let mut race: Vec<RaceCheck> = stored
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        race.extend_from_slice(checks);
        let race = serde_json::to_string(&race)
            .map_err(|e| crate::Error::Internal(format!("a race as JSON: {e}")))?;
        self.conn
            .execute(
                "UPDATE tune_trials SET raced_against = COALESCE(?2, raced_against), race = ?3 WHERE id = ?1",
                params![trial_id, against.map(|n| n as i64), race],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The races of a tuning's trials, by trial number; none from a store
    /// of an earlier version (opened read-only, it has no such columns).
    pub fn trial_races(&self, tuning_id: i64) -> Result<Vec<TrialRace>> {
        if !self.keeps_what_serve_draws()? {
            return Ok(Vec::new());
        }
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT number, raced_against, race FROM tune_trials
                 WHERE tuning_id = ?1 AND race IS NOT NULL ORDER BY number",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![tuning_id], |r| {
                let text: String = r.get(2)?;
                let checks = serde_json::from_str(&text).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?;
                Ok(TrialRace {
                    number: r.get::<_, i64>(0)? as usize,
                    against: r.get::<_, Option<i64>>(1)?.map(|n| n as usize),
                    checks,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }

    pub fn record_tune_case(&self, trial_id: i64, case: &TuneCase) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO tune_cases (trial_id, seed, holdout, verdict, score, time_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    trial_id,
                    case.seed as i64,
                    case.holdout,
                    case.verdict,
                    case.score,
                    case.time_ms as i64
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// A tuning's trials, in order.
    pub fn trials(&self, tuning_id: i64) -> Result<Vec<TrialRow>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, number, point, vals, source_hash, status, mean_relative FROM tune_trials
                 WHERE tuning_id = ?1 ORDER BY number",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![tuning_id], |r| {
                Ok(TrialRow {
                    id: r.get(0)?,
                    number: r.get::<_, i64>(1)? as usize,
                    point: r.get(2)?,
                    values: r.get(3)?,
                    source_hash: r.get(4)?,
                    status: r.get(5)?,
                    mean_relative: r.get(6)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }

    /// The cases a trial ran.
    pub fn trial_cases(&self, trial_id: i64) -> Result<Vec<TuneCase>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT seed, holdout, verdict, score, time_ms FROM tune_cases WHERE trial_id = ?1 ORDER BY seed",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![trial_id], |r| {
                Ok(TuneCase {
                    seed: r.get::<_, i64>(0)? as u64,
                    holdout: r.get(1)?,
                    verdict: r.get(2)?,
                    score: r.get(3)?,
                    time_ms: r.get::<_, i64>(4)? as u64,
                    stderr: None,
                    memory_kb: None,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }
}
