//! The agent's tables: search sessions, their candidates and candidates' cases.

use super::status::{CandidateStatus, SessionStatus};
use super::{host, store_error, Store, TuneCase};
use crate::error::Result;
use crate::problem::Seeds;
use rusqlite::{params, OptionalExtension};

/// A session as `ale sessions` lists it.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub problem: String,
    pub rng_seed: u64,
    pub started_at: String,
    pub status: SessionStatus,
    pub best_candidate: Option<i64>,
    pub best_public_score: Option<f64>,
    pub submission: Option<String>,
    /// The seeds it searches on and submits on; None for a session of an
    /// earlier version (the problem's seeds then).
    pub public_seeds: Option<Seeds>,
    pub private_seeds: Option<Seeds>,
}

/// One candidate of a session.
#[derive(Debug, Clone)]
pub struct CandidateRow {
    pub id: i64,
    pub parent: Option<i64>,
    pub operator: String,
    /// Where it came from: a file, or how an operator made it.
    pub origin: String,
    pub extension: String,
    pub source: String,
    pub status: CandidateStatus,
    /// Seconds into the session when it was made.
    pub created_s: f64,
}

/// What a search was given to spend (its latest run, for a resumed session).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Budget {
    /// Seconds of search.
    pub seconds: f64,
    /// Case evaluations, when capped.
    pub evaluations: Option<usize>,
    /// Dollars on models, when capped.
    pub dollars: Option<f64>,
}

/// One step a candidate went through in a search: a round of the halving
/// over the starting solvers, its first seeds against its parent, a check
/// of its race against the best, its last seed, a failed build.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Seconds into the search (this run of it) when it was taken.
    pub at_s: f64,
    /// `halving`, `first seeds`, `race`, `all seeds`, `build` or `budget`.
    pub stage: String,
    /// The seeds it had run when the step was taken.
    pub seeds: usize,
    /// The candidate it was measured against, if any.
    pub against: Option<i64>,
    /// Its figure and the other's, on the same seeds (mean relative score,
    /// 1 = the best seen on every seed).
    pub mine: Option<f64>,
    pub theirs: Option<f64>,
    /// The racing test's p-value of "it is worse", where one was made.
    pub p_value: Option<f64>,
    /// What came of it: `kept`, `dropped`, `stopped`, `raced out`, ...
    pub outcome: String,
}

/// A seed range kept as its text (`A..B`) in column `i`, if any.
fn seeds(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<Seeds>> {
    let Some(text) = r.get::<_, Option<String>>(i)? else {
        return Ok(None);
    };
    text.parse().map(Some).map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// A candidate's case from `seed, verdict, score, time_ms, stderr, memory_kb`.
fn case_row(r: &rusqlite::Row) -> rusqlite::Result<TuneCase> {
    Ok(TuneCase {
        seed: r.get::<_, i64>(0)? as u64,
        holdout: false,
        verdict: r.get(1)?,
        score: r.get(2)?,
        time_ms: r.get::<_, i64>(3)? as u64,
        stderr: r.get(4)?,
        memory_kb: r.get::<_, Option<i64>>(5)?.map(|m| m as u64),
    })
}

impl Store {
    /// Starts a session of `problem` that searches on the seeds `public` and
    /// submits on `private`.
    pub fn begin_session(
        &self,
        problem: &str,
        rng_seed: u64,
        public: &Seeds,
        private: &Seeds,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO sessions (problem, started_at, status, rng_seed, pid, host, public_seeds, private_seeds)
                 VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?5, ?2, ?3, ?4, ?6, ?7)",
                params![
                    problem,
                    rng_seed as i64,
                    std::process::id() as i64,
                    host(),
                    SessionStatus::Running,
                    public.to_string(),
                    private.to_string()
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_session(
        &self,
        id: i64,
        status: SessionStatus,
        best: Option<(i64, f64)>,
        submission: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE sessions SET status = ?2, best_candidate = ?3, best_public_score = ?4, submission = ?5
                 WHERE id = ?1",
                params![id, status, best.map(|b| b.0), best.map(|b| b.1), submission],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Sessions, newest first, of one problem or all.
    pub fn sessions(&self, problem: Option<&str>) -> Result<Vec<SessionRow>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, problem, started_at, status, best_candidate, best_public_score, submission, rng_seed,
                        public_seeds, private_seeds
                 FROM sessions WHERE ?1 IS NULL OR problem = ?1 ORDER BY id DESC",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![problem], |r| {
                Ok(SessionRow {
                    id: r.get(0)?,
                    problem: r.get(1)?,
                    started_at: r.get(2)?,
                    status: r.get(3)?,
                    best_candidate: r.get(4)?,
                    best_public_score: r.get(5)?,
                    submission: r.get(6)?,
                    rng_seed: r.get::<_, i64>(7)? as u64,
                    public_seeds: seeds(r, 8)?,
                    private_seeds: seeds(r, 9)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }

    /// One session.
    pub fn session(&self, id: i64) -> Result<Option<SessionRow>> {
        Ok(self.sessions(None)?.into_iter().find(|s| s.id == id))
    }

    /// Marks a stopped session as running again, in this process.
    pub fn reopen_session(&self, id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE sessions SET status = ?4, pid = ?2, host = ?3 WHERE id = ?1",
                params![
                    id,
                    std::process::id() as i64,
                    host(),
                    SessionStatus::Running
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Adds a candidate; None when the session already has one with this
    /// normalised source (it is never evaluated twice).
    #[allow(clippy::too_many_arguments)]
    pub fn add_candidate(
        &self,
        session_id: i64,
        parent: Option<i64>,
        operator: &str,
        origin: &str,
        extension: &str,
        source: &str,
        norm_hash: &str,
        created_s: f64,
    ) -> Result<Option<i64>> {
        let changed = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO candidates
                     (session_id, parent, operator, origin, extension, source, norm_hash, status, created_s)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?8)",
                params![
                    session_id,
                    parent,
                    operator,
                    origin,
                    extension,
                    source,
                    norm_hash,
                    created_s,
                    CandidateStatus::New
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok((changed == 1).then(|| self.conn.last_insert_rowid()))
    }

    /// What a search session judged of exactly this source, as a candidate or
    /// as a trial of one of its tuning bursts (`source_hash` is the SHA-256 of
    /// `source`): one case per public seed.
    pub fn session_cases_of_source(
        &self,
        session_id: i64,
        source: &str,
        source_hash: &str,
    ) -> Result<Vec<TuneCase>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT cc.seed, cc.verdict, cc.score, cc.time_ms, cc.stderr, cc.memory_kb
                   FROM candidate_cases cc JOIN candidates c ON c.id = cc.candidate_id
                  WHERE c.session_id = ?1 AND c.source = ?2
                 UNION ALL
                 SELECT tc.seed, tc.verdict, tc.score, tc.time_ms, NULL, NULL
                   FROM tune_cases tc JOIN tune_trials t ON t.id = tc.trial_id
                   JOIN tunings u ON u.id = t.tuning_id
                  WHERE u.session_id = ?1 AND t.source_hash = ?3 AND tc.holdout = 0",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![session_id, source, source_hash], case_row)
            .map_err(|e| store_error(&path, e))?;
        let mut seen = std::collections::HashSet::new();
        let mut cases = Vec::new();
        for row in rows {
            let case = row.map_err(|e| store_error(&path, e))?;
            if seen.insert(case.seed) {
                cases.push(case);
            }
        }
        Ok(cases)
    }

    pub fn set_candidate_status(&self, id: i64, status: CandidateStatus) -> Result<()> {
        self.conn
            .execute(
                "UPDATE candidates SET status = ?2 WHERE id = ?1",
                params![id, status],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Writes a candidate's case, with its output when there is one (a case
    /// copied from a tuning burst has none), in one transaction.
    pub fn record_candidate_case(
        &mut self,
        candidate_id: i64,
        case: &TuneCase,
        output: Option<&[u8]>,
    ) -> Result<()> {
        let path = self.path.clone();
        let err = |e| store_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT OR REPLACE INTO candidate_cases (candidate_id, seed, verdict, score, time_ms, stderr, memory_kb)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                candidate_id,
                case.seed as i64,
                case.verdict,
                case.score,
                case.time_ms as i64,
                case.stderr,
                case.memory_kb.map(|m| m as i64)
            ],
        )
        .map_err(err)?;
        if let Some(output) = output {
            super::outputs::keep_candidate_output(&tx, candidate_id, case.seed, output)
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Records what session `session_id`'s search (this run of it) may spend.
    pub fn set_session_budget(&self, session_id: i64, budget: &Budget) -> Result<()> {
        let text = serde_json::to_string(budget)
            .map_err(|e| crate::Error::Internal(format!("a budget as JSON: {e}")))?;
        self.conn
            .execute(
                "UPDATE sessions SET budget = ?2 WHERE id = ?1",
                params![session_id, text],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// What session `session_id`'s search was given; None for a session of
    /// an earlier version.
    pub fn session_budget(&self, session_id: i64) -> Result<Option<Budget>> {
        if !self.keeps_what_serve_draws()? {
            return Ok(None);
        }
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT budget FROM sessions WHERE id = ?1",
                params![session_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .flatten();
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Adds a step to those candidate `candidate_id` went through.
    pub fn record_step(&self, candidate_id: i64, step: &Step) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO candidate_steps
                     (candidate_id, number, at_s, stage, seeds, against, mine, theirs, p_value, outcome)
                 VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM candidate_steps WHERE candidate_id = ?1),
                         ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    candidate_id,
                    step.at_s,
                    step.stage,
                    step.seeds as i64,
                    step.against,
                    step.mine,
                    step.theirs,
                    step.p_value,
                    step.outcome
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The steps a candidate went through, in order; none in a store of an
    /// earlier version (opened read-only, it has no such table).
    pub fn candidate_steps(&self, candidate_id: i64) -> Result<Vec<Step>> {
        if !self.keeps_what_serve_draws()? {
            return Ok(Vec::new());
        }
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT at_s, stage, seeds, against, mine, theirs, p_value, outcome
                 FROM candidate_steps WHERE candidate_id = ?1 ORDER BY number",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![candidate_id], |r| {
                Ok(Step {
                    at_s: r.get(0)?,
                    stage: r.get(1)?,
                    seeds: r.get::<_, i64>(2)? as usize,
                    against: r.get(3)?,
                    mine: r.get(4)?,
                    theirs: r.get(5)?,
                    p_value: r.get(6)?,
                    outcome: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }

    /// A session's candidates, in order of creation.
    pub fn candidates(&self, session_id: i64) -> Result<Vec<CandidateRow>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, parent, operator, origin, extension, source, status, created_s
                 FROM candidates WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                Ok(CandidateRow {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    operator: r.get(2)?,
                    origin: r.get(3)?,
                    extension: r.get(4)?,
                    source: r.get(5)?,
                    status: r.get(6)?,
                    created_s: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }

    /// The cases a candidate ran.
    pub fn candidate_cases(&self, candidate_id: i64) -> Result<Vec<TuneCase>> {
        // A store of an earlier version, opened read-only, keeps no memory.
        let memory = if self.keeps_what_serve_draws()? {
            "memory_kb"
        } else {
            "NULL"
        };
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT seed, verdict, score, time_ms, stderr, {memory} FROM candidate_cases WHERE candidate_id = ?1 ORDER BY seed"
            ))
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![candidate_id], case_row)
            .and_then(|rows| rows.collect::<std::result::Result<Vec<_>, _>>())
            .map_err(|e| store_error(&path, e))?;
        Ok(rows)
    }
}

/// The language-model spending of a session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LlmTotals {
    pub calls: usize,
    pub failed: usize,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost: f64,
}

/// One model call as the log shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmCallRow {
    pub id: i64,
    pub operator: String,
    pub model: String,
    /// Seconds into the search when it was asked and answered (None for
    /// calls made outside the search's loop, or never answered).
    pub asked: Option<f64>,
    pub answered: Option<f64>,
    /// Why it came to nothing: the model's error, or why its reply was not used.
    pub error: Option<String>,
    /// The candidate its reply became.
    pub candidate: Option<i64>,
    pub cost: f64,
    /// The step of the search's loop at which the search took the answer.
    pub taken_at: Option<u64>,
}

impl Store {
    /// Records a model call as it is asked (`asked`: seconds into the
    /// search); [`Store::answer_llm_call`] completes it. Calls are numbered in
    /// the order they were asked, which is the order a replay serves them.
    pub fn ask_llm_call(
        &self,
        session_id: i64,
        operator: &str,
        model: &str,
        asked: Option<f64>,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO llm_calls (session_id, operator, model, system, user,
                     tokens_in, tokens_out, cost, attempts, millis, asked)
                 VALUES (?1, ?2, ?3, '', '', 0, 0, 0.0, 0, 0, ?4)",
                params![session_id, operator, model, asked],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// What came back for call `id`: the prompt as it was sent, the reply or
    /// the error, tokens and cost.
    pub fn answer_llm_call(
        &self,
        id: i64,
        call: &crate::llm::Call,
        answered: Option<f64>,
        taken_at: Option<u64>,
    ) -> Result<()> {
        let (reply, error, tokens_in, tokens_out) = match &call.outcome {
            Ok(r) => (Some(r.text.as_str()), None, r.tokens_in, r.tokens_out),
            Err(e) => (None, Some(e.to_string()), 0, 0),
        };
        self.conn
            .execute(
                "UPDATE llm_calls SET model = ?2, system = ?3, user = ?4, reply = ?5, error = ?6,
                     tokens_in = ?7, tokens_out = ?8, cost = ?9, attempts = ?10, millis = ?11,
                     answered = ?12, taken_at = ?13
                 WHERE id = ?1",
                params![
                    id,
                    call.model,
                    call.system,
                    call.user,
                    reply,
                    error,
                    tokens_in as i64,
                    tokens_out as i64,
                    call.cost,
                    call.attempts as i64,
                    call.millis as i64,
                    answered,
                    taken_at.map(|t| t as i64)
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// How many calls of the session were asked before call `id`.
    pub fn llm_call_position(&self, session_id: i64, id: i64) -> Result<usize> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM llm_calls WHERE session_id = ?1 AND id < ?2",
                params![session_id, id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Calls of a session still waiting for an answer when the search
    /// stopped: marked as never answered. The number marked.
    pub fn abandon_llm_calls(&self, session_id: i64) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE llm_calls SET error = 'never answered: the search ended first'
                 WHERE session_id = ?1 AND reply IS NULL AND error IS NULL",
                params![session_id],
            )
            .map_err(|e| self.err(e))
    }

    /// A session's calls as a log, in the order asked.
    pub fn llm_call_log(&self, session_id: i64) -> Result<Vec<LlmCallRow>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT id, operator, model, asked, answered, error, candidate_id, cost, taken_at
                 FROM llm_calls WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                Ok(LlmCallRow {
                    id: r.get(0)?,
                    operator: r.get(1)?,
                    model: r.get(2)?,
                    asked: r.get(3)?,
                    answered: r.get(4)?,
                    error: r.get(5)?,
                    candidate: r.get(6)?,
                    cost: r.get(7)?,
                    taken_at: r.get::<_, Option<i64>>(8)?.map(|t| t as u64),
                })
            })
            .map_err(|e| store_error(&path, e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| store_error(&path, e))
    }

    /// Links a call to the candidate its reply became.
    pub fn set_llm_call_candidate(&self, call_id: i64, candidate_id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE llm_calls SET candidate_id = ?2 WHERE id = ?1",
                params![call_id, candidate_id],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// A session's calls in the order they were made (for a replay). A call
    /// that failed comes back as a recorded failure.
    pub fn llm_calls(&self, session_id: i64) -> Result<Vec<crate::llm::Call>> {
        let path = self.path.clone();
        let mut statement = self
            .conn
            .prepare(
                "SELECT model, system, user, reply, error, tokens_in, tokens_out, cost, attempts, millis
                 FROM llm_calls WHERE session_id = ?1 ORDER BY id",
            )
            .map_err(|e| store_error(&path, e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                let reply: Option<String> = r.get(3)?;
                let error: Option<String> = r.get(4)?;
                let outcome = match reply {
                    Some(text) => Ok(crate::llm::Reply {
                        text,
                        tokens_in: r.get::<_, i64>(5)? as u64,
                        tokens_out: r.get::<_, i64>(6)? as u64,
                    }),
                    None => Err(crate::llm::LlmError::Recorded {
                        message: error.unwrap_or_else(|| "never answered".into()),
                    }),
                };
                Ok(crate::llm::Call {
                    model: r.get(0)?,
                    system: r.get(1)?,
                    user: r.get(2)?,
                    outcome,
                    cost: r.get(7)?,
                    attempts: r.get::<_, i64>(8)? as u32,
                    millis: r.get::<_, i64>(9)? as u64,
                })
            })
            .map_err(|e| store_error(&path, e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| store_error(&path, e))
    }

    pub fn llm_totals(&self, session_id: i64) -> Result<LlmTotals> {
        self.conn
            .query_row(
                "SELECT COUNT(*), COUNT(error), COALESCE(SUM(tokens_in), 0),
                        COALESCE(SUM(tokens_out), 0), COALESCE(SUM(cost), 0.0)
                 FROM llm_calls WHERE session_id = ?1",
                params![session_id],
                |r| {
                    Ok(LlmTotals {
                        calls: r.get::<_, i64>(0)? as usize,
                        failed: r.get::<_, i64>(1)? as usize,
                        tokens_in: r.get::<_, i64>(2)? as u64,
                        tokens_out: r.get::<_, i64>(3)? as u64,
                        cost: r.get(4)?,
                    })
                },
            )
            .map_err(|e| self.err(e))
    }

    /// Why a candidate failed (a compiler's message), for a repair.
    pub fn set_candidate_message(&self, id: i64, message: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE candidates SET message = ?2 WHERE id = ?1",
                params![id, message],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn candidate_message(&self, id: i64) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT message FROM candidates WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }
}

impl Store {
    /// Marks a call whose reply could not be used (no code, edits that do not
    /// apply, a duplicate): the reply stays, the reason goes beside it.
    pub fn set_llm_call_failure(&self, call_id: i64, message: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE llm_calls SET error = ?2 WHERE id = ?1",
                params![call_id, message],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}
