//! The bandits' figures: at each choice of an operator or a model, every
//! arm's uses, mean reward and the value the choice compared (table
//! `bandit_figures`, numbered per session in the order of the choices).

use super::Store;
use crate::error::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// One arm at a choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmFigure {
    pub name: String,
    pub uses: usize,
    /// Reward per use; None while untried.
    pub mean: Option<f64>,
    /// The UCB value the choice compared; None while untried.
    pub ucb: Option<f64>,
    /// Whether it could act at that moment (only those were compared).
    pub able: bool,
}

/// One choice of a bandit, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BanditChoice {
    /// 1, 2, ... per session, in the order of the choices.
    pub number: i64,
    /// Seconds into the search (this run of it), as candidates' `created_s`.
    pub at_s: f64,
    /// `operator` or `model`.
    pub bandit: String,
    pub chosen: String,
    pub arms: Vec<ArmFigure>,
}

impl Store {
    /// Records a choice of `bandit` in session `session_id`, numbered after
    /// the session's last (a resumed session goes on from there); its number.
    pub fn record_bandit_choice(
        &self,
        session_id: i64,
        at_s: f64,
        bandit: &str,
        chosen: &str,
        arms: &[ArmFigure],
    ) -> Result<i64> {
        let arms = serde_json::to_string(arms).expect("figures serialise");
        self.conn
            .query_row(
                "INSERT INTO bandit_figures (session_id, number, at_s, bandit, chosen, arms)
                 SELECT ?1, COALESCE(MAX(number), 0) + 1, ?2, ?3, ?4, ?5
                 FROM bandit_figures WHERE session_id = ?1
                 RETURNING number",
                params![session_id, at_s, bandit, chosen, arms],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Every choice of a session's bandits, in order; none for a store of an
    /// ale from before they were recorded.
    pub fn bandit_choices(&self, session_id: i64) -> Result<Vec<BanditChoice>> {
        if !self.keeps_what_serve_draws()? {
            return Ok(Vec::new());
        }
        let mut statement = self
            .conn
            .prepare(
                "SELECT number, at_s, bandit, chosen, arms FROM bandit_figures
                 WHERE session_id = ?1 ORDER BY number",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![session_id], |r| {
                let arms: String = r.get(4)?;
                let arms = serde_json::from_str(&arms).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        4,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?;
                Ok(BanditChoice {
                    number: r.get(0)?,
                    at_s: r.get(1)?,
                    bandit: r.get(2)?,
                    chosen: r.get(3)?,
                    arms,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// How many choices a session's bandits have made (0 for a store from
    /// before they were recorded): one index lookup, for the live page.
    pub fn bandit_choice_count(&self, session_id: i64) -> Result<usize> {
        if !self.keeps_what_serve_draws()? {
            return Ok(0);
        }
        self.conn
            .query_row(
                "SELECT COALESCE(MAX(number), 0) FROM bandit_figures WHERE session_id = ?1",
                params![session_id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(name: &str, uses: usize, mean: Option<f64>, ucb: Option<f64>) -> ArmFigure {
        ArmFigure {
            name: name.into(),
            uses,
            mean,
            ucb,
            able: uses != 1,
        }
    }

    #[test]
    fn choices_come_back_as_written_numbered_on_across_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ale.db");
        let store = Store::open(&path).unwrap();
        let one = store
            .begin_session(
                "tsp",
                1,
                &"0..3".parse().unwrap(),
                &"9..10".parse().unwrap(),
            )
            .unwrap();
        let two = store
            .begin_session(
                "tsp",
                2,
                &"0..3".parse().unwrap(),
                &"9..10".parse().unwrap(),
            )
            .unwrap();
        let first = vec![
            arm("perturb", 0, None, None),
            arm("tune", 3, Some(0.25), Some(0.3125)),
        ];
        let second = vec![arm("m1", 1, Some(2.0), Some(2.5))];
        assert_eq!(
            store
                .record_bandit_choice(one, 0.5, "operator", "perturb", &first)
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .record_bandit_choice(two, 0.7, "operator", "tune", &first)
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .record_bandit_choice(one, 1.5, "model", "m1", &second)
                .unwrap(),
            2
        );
        drop(store);
        // A resumed session's choices go on after the stored ones.
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store
                .record_bandit_choice(one, 0.1, "model", "m1", &second)
                .unwrap(),
            3
        );
        let reader = Store::open_read_only(&path).unwrap();
        let got = reader.bandit_choices(one).unwrap();
        assert_eq!(got.iter().map(|c| c.number).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(
            got[0],
            BanditChoice {
                number: 1,
                at_s: 0.5,
                bandit: "operator".into(),
                chosen: "perturb".into(),
                arms: first.clone(),
            }
        );
        assert_eq!((got[1].bandit.as_str(), got[1].at_s), ("model", 1.5));
        assert_eq!(got[2].arms, second);
        assert_eq!(reader.bandit_choice_count(one).unwrap(), 3);
        assert_eq!(reader.bandit_choice_count(two).unwrap(), 1);
        assert_eq!(reader.bandit_choice_count(two + 1).unwrap(), 0);
    }

    #[test]
    fn a_store_from_before_the_figures_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ale.db");
        let store = Store::open(&path).unwrap();
        let id = store
            .begin_session(
                "tsp",
                1,
                &"0..3".parse().unwrap(),
                &"9..10".parse().unwrap(),
            )
            .unwrap();
        drop(store);
        // What an ale of schema 10 left: no table of figures.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE bandit_figures; PRAGMA user_version = 10;")
            .unwrap();
        drop(conn);
        let reader = Store::open_read_only(&path).unwrap();
        assert_eq!(reader.schema_version().unwrap(), 10);
        assert!(reader.bandit_choices(id).unwrap().is_empty());
        assert_eq!(reader.bandit_choice_count(id).unwrap(), 0);
    }
}
