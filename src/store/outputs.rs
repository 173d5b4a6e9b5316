//! Cases' outputs, kept beside their results so that a page can draw a case
//! as `ale vis` does: compressed (LZ4) from [`COMPRESS_FROM_BYTES`] on
//! (below it, what compressing saves is not worth its cost to the runner). An output whose kept bytes are over [`OUTPUT_KEEP_BYTES`],
//! or would take a run's (or a candidate's) outputs over
//! [`OWNER_KEEP_BYTES`], or a search session's over [`SESSION_KEEP_BYTES`],
//! is not kept: only its size is, and the page says so. What solutions
//! write takes at most that much of the disk.

use super::{store_error, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};

/// The most a case's output may take in the store, compressed.
pub const OUTPUT_KEEP_BYTES: usize = 1 << 20;

/// The most the outputs of one run, or of one candidate, may take, compressed.
pub const OWNER_KEEP_BYTES: usize = 16 << 20;

/// The most the outputs of all the candidates of a search session may take.
pub const SESSION_KEEP_BYTES: usize = 1 << 30;

/// Outputs from this size on are kept compressed; smaller ones as they are.
pub const COMPRESS_FROM_BYTES: usize = 16 << 10;

/// Outputs this many times over [`OUTPUT_KEEP_BYTES`] are not even compressed:
/// text rarely shrinks more than that, and compressing them costs the runner.
const TRY_FACTOR: usize = 16;

/// A case's output as the store has it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOutput {
    /// Its size in bytes when it was written.
    pub size: u64,
    /// Its bytes, or None when it was more than the store keeps.
    pub bytes: Option<Vec<u8>>,
}

/// `output` compressed (LZ4: fast, since the runner compresses as cases
/// end), or None when it would take more than the cap.
fn compress(output: &[u8]) -> Option<Vec<u8>> {
    if output.len() > TRY_FACTOR * OUTPUT_KEEP_BYTES {
        return None;
    }
    let compressed = lz4_flex::block::compress(output);
    (compressed.len() <= OUTPUT_KEEP_BYTES).then_some(compressed)
}

/// `compressed` back to the `size` bytes that were written.
fn decompress(compressed: &[u8], size: u64) -> Result<Vec<u8>, String> {
    let bytes =
        lz4_flex::block::decompress(compressed, size as usize).map_err(|e| e.to_string())?;
    if bytes.len() as u64 != size {
        return Err(format!("{} bytes where {size} were written", bytes.len()));
    }
    Ok(bytes)
}

/// Writes the output of case `case_index` of run `run_id` in `tx`.
pub(super) fn keep_run_output(
    tx: &Transaction,
    run_id: i64,
    case_index: usize,
    output: &[u8],
) -> rusqlite::Result<()> {
    let (compressed, data) = within_totals(tx, Owner::Run(run_id), output)?;
    tx.execute(
        "INSERT OR REPLACE INTO case_outputs (run_id, case_index, size, compressed, data)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            run_id,
            case_index as i64,
            output.len() as i64,
            compressed,
            data
        ],
    )?;
    Ok(())
}

/// Writes the output of a candidate's case on `seed` in `tx`.
pub(super) fn keep_candidate_output(
    tx: &Transaction,
    candidate_id: i64,
    seed: u64,
    output: &[u8],
) -> rusqlite::Result<()> {
    let (compressed, data) = within_totals(tx, Owner::Candidate(candidate_id), output)?;
    tx.execute(
        "INSERT OR REPLACE INTO candidate_outputs (candidate_id, seed, size, compressed, data)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            candidate_id,
            seed as i64,
            output.len() as i64,
            compressed,
            data
        ],
    )?;
    Ok(())
}

/// Whose outputs are counted.
#[derive(Clone, Copy)]
enum Owner {
    Run(i64),
    /// A candidate, counted in its session's outputs too.
    Candidate(i64),
}

/// What is kept of `output` for `owner`: whether it is compressed, and its
/// bytes, counted in the owner's (and its session's) `output_bytes`; None
/// when they would take more than a cap. An output too big to fit in what
/// is left is not even compressed.
fn within_totals(
    tx: &Transaction,
    owner: Owner,
    output: &[u8],
) -> rusqlite::Result<(bool, Option<Vec<u8>>)> {
    // Counted, not summed over the rows: a run of many cases stays O(1) a case.
    let room: i64 = match owner {
        Owner::Run(id) => tx.query_row(
            "SELECT ?2 - output_bytes FROM runs WHERE id = ?1",
            params![id, OWNER_KEEP_BYTES as i64],
            |r| r.get(0),
        )?,
        Owner::Candidate(id) => tx.query_row(
            "SELECT MIN(?2 - c.output_bytes, ?3 - s.output_bytes)
               FROM candidates c JOIN sessions s ON s.id = c.session_id WHERE c.id = ?1",
            params![id, OWNER_KEEP_BYTES as i64, SESSION_KEEP_BYTES as i64],
            |r| r.get(0),
        )?,
    };
    let room = room.max(0) as usize;
    let (compressed, data) = if output.len() < COMPRESS_FROM_BYTES {
        (false, Some(output.to_vec()))
    } else if output.len() > TRY_FACTOR * room.min(OUTPUT_KEEP_BYTES) {
        (true, None)
    } else {
        (true, compress(output))
    };
    let Some(bytes) = data.filter(|b| b.len() <= room) else {
        return Ok((compressed, None));
    };
    let n = bytes.len() as i64;
    match owner {
        Owner::Run(id) => tx.execute(
            "UPDATE runs SET output_bytes = output_bytes + ?2 WHERE id = ?1",
            params![id, n],
        )?,
        Owner::Candidate(id) => {
            tx.execute(
                "UPDATE candidates SET output_bytes = output_bytes + ?2 WHERE id = ?1",
                params![id, n],
            )?;
            tx.execute(
                "UPDATE sessions SET output_bytes = output_bytes + ?2
                 WHERE id = (SELECT session_id FROM candidates WHERE id = ?1)",
                params![id, n],
            )?
        }
    };
    Ok((compressed, Some(bytes)))
}

impl Store {
    /// The output of case `case_index` of run `run_id`; None when the store
    /// has none (a run of an earlier version, or a case that never ran).
    pub fn run_output(&self, run_id: i64, case_index: usize) -> Result<Option<StoredOutput>> {
        self.stored_output(
            "SELECT size, compressed, data FROM case_outputs WHERE run_id = ?1 AND case_index = ?2",
            run_id,
            case_index as i64,
        )
    }

    /// The output of a candidate's case on `seed`, as [`Store::run_output`].
    pub fn candidate_output(&self, candidate_id: i64, seed: u64) -> Result<Option<StoredOutput>> {
        self.stored_output(
            "SELECT size, compressed, data FROM candidate_outputs WHERE candidate_id = ?1 AND seed = ?2",
            candidate_id,
            seed as i64,
        )
    }

    fn stored_output(&self, sql: &str, owner: i64, key: i64) -> Result<Option<StoredOutput>> {
        // A store of an earlier version, opened read-only, has no such table.
        if !self.keeps_what_serve_draws()? {
            return Ok(None);
        }
        let row: Option<(i64, bool, Option<Vec<u8>>)> = self
            .conn
            .query_row(sql, params![owner, key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(|e| store_error(&self.path, e))?;
        let Some((size, compressed, data)) = row else {
            return Ok(None);
        };
        let bytes = match data {
            Some(d) if compressed => {
                Some(
                    decompress(&d, size as u64).map_err(|e| crate::Error::Store {
                        path: self.path.clone(),
                        message: format!(
                            "a kept output does not decompress ({e}): the file is damaged"
                        ),
                    })?,
                )
            }
            data => data,
        };
        Ok(Some(StoredOutput {
            size: size as u64,
            bytes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one candidate of a new session of `store`.
    fn a_candidate(store: &Store) -> i64 {
        let session = store
            .begin_session("tsp", 1, &"0..2".parse().unwrap(), &"2..4".parse().unwrap())
            .unwrap();
        store
            .add_candidate(
                session,
                None,
                "start",
                "a.rs",
                "rs",
                "fn main() {}",
                "n",
                0.0,
            )
            .unwrap()
            .unwrap()
    }

    /// `n` bytes of noise, which compressing does not shrink.
    fn noise(n: usize, mut x: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn a_run_keeps_outputs_up_to_its_total_then_only_their_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("ale.db")).unwrap();
        let run = store.begin_run("tsp", "a.rs", "h").unwrap();
        // Each output compresses to a little over 900 KiB: 18 fit in 16 MiB.
        let outputs: Vec<Vec<u8>> = (0..20).map(|i| noise(900 << 10, i + 1)).collect();
        for (i, output) in outputs.iter().enumerate() {
            let row = crate::store::CaseRow {
                case_index: i,
                seed: Some(i as u64),
                input: "x",
                input_hash: "h",
                verdict: crate::judge::Verdict::WA,
                score: None,
                time_ms: 1,
                wall_ms: 1,
                cpu_ms: 1,
                memory_kb: 1,
                message: None,
                stderr: None,
                output,
            };
            store
                .record_case(run, "tsp", crate::problem::Objective::Min, &row)
                .unwrap();
        }
        let kept: Vec<bool> = (0..20)
            .map(|i| {
                let o = store.run_output(run, i).unwrap().unwrap();
                assert_eq!(o.size, 900 << 10);
                if let Some(bytes) = &o.bytes {
                    assert_eq!(bytes, &outputs[i]);
                }
                o.bytes.is_some()
            })
            .collect();
        let each = compress(&outputs[0]).unwrap().len();
        let fit = OWNER_KEEP_BYTES / each;
        assert_eq!(fit, 18, "{each} bytes each");
        assert_eq!(kept, (0..20).map(|i| i < fit).collect::<Vec<_>>());
        // A candidate's outputs have a total of their own.
        let id = a_candidate(&store);
        let case = crate::store::TuneCase {
            seed: 0,
            holdout: false,
            verdict: crate::judge::Verdict::WA,
            score: None,
            time_ms: 1,
            stderr: None,
            memory_kb: Some(2048),
        };
        store
            .record_candidate_case(id, &case, Some(&outputs[0]))
            .unwrap();
        assert_eq!(
            store
                .candidate_output(id, 0)
                .unwrap()
                .unwrap()
                .bytes
                .as_ref(),
            Some(&outputs[0])
        );
    }

    #[test]
    fn an_output_comes_back_whole_and_one_too_big_only_as_its_size() {
        let text = b"3\n1 2 3\n".repeat(3000);
        let d = compress(&text).unwrap();
        assert!(d.len() < text.len() / 10, "{} bytes", d.len());
        assert_eq!(decompress(&d, text.len() as u64).unwrap(), text);
        assert_eq!(decompress(&compress(b"").unwrap(), 0).unwrap(), b"");
        // Bytes that do not make the size that was written are an error.
        assert!(decompress(&d, 10).is_err());
        assert!(decompress(&d[..d.len() / 2], text.len() as u64).is_err());
        // Noise does not compress: 2 MiB of it is over the 1 MiB cap.
        assert_eq!(compress(&noise(2 << 20, 88172645463325252)), None);
        assert_eq!(
            compress(&vec![b'0'; TRY_FACTOR * OUTPUT_KEEP_BYTES + 1]),
            None
        );
    }

    #[test]
    fn small_outputs_are_kept_raw_and_a_full_session_keeps_only_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("ale.db")).unwrap();
        let id = a_candidate(&store);
        let case = |seed| crate::store::TuneCase {
            seed,
            holdout: false,
            verdict: crate::judge::Verdict::AC,
            score: Some(1),
            time_ms: 1,
            stderr: None,
            memory_kb: Some(100),
        };
        let small = b"1 2\n".to_vec();
        let big = b"3\n1 2 3\n".repeat(3000);
        store
            .record_candidate_case(id, &case(0), Some(&small))
            .unwrap();
        store
            .record_candidate_case(id, &case(1), Some(&big))
            .unwrap();
        let flags: Vec<(bool, i64)> = store
            .conn
            .prepare("SELECT compressed, length(data) FROM candidate_outputs ORDER BY seed")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let d = compress(&big).unwrap().len() as i64;
        assert_eq!(flags, [(false, 4), (true, d)]);
        let (kept, counted): (i64, i64) = store
            .conn
            .query_row(
                "SELECT c.output_bytes, s.output_bytes FROM candidates c JOIN sessions s ON s.id = c.session_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((kept, counted), (4 + d, 4 + d));
        assert_eq!(
            store.candidate_output(id, 1).unwrap().unwrap().bytes,
            Some(big)
        );
        assert_eq!(store.candidate_cases(id).unwrap()[0], case(0));
        // A session with 3 bytes left keeps the next output's size only,
        // whatever its candidate's own room.
        store
            .conn
            .execute(
                "UPDATE sessions SET output_bytes = ?1",
                [SESSION_KEEP_BYTES as i64 - 3],
            )
            .unwrap();
        store
            .record_candidate_case(id, &case(2), Some(&small))
            .unwrap();
        assert_eq!(
            store.candidate_output(id, 2).unwrap(),
            Some(StoredOutput {
                size: 4,
                bytes: None
            })
        );
    }
}
