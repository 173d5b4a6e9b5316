//! Where a submission would have placed in a contest: the final standings
//! (`rank,score`), the performance each rank earned (`rank,performance`),
//! and for a relative-score contest every contestant's score on each private
//! case. The arithmetic is ALE-Bench's private evaluation: ties share a mean
//! rank, performance is interpolated between known ranks, and on a
//! relative-score contest the submission joins the others and every
//! relative score is worked out again.

use std::path::Path;

/// One score of the standings and the ranks that had it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Block {
    score: i64,
    first: u64,
    last: u64,
}

/// A contest's final standings, as blocks of equal scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Standings {
    blocks: Vec<Block>,
}

/// Where a total would have placed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// The rank shown in the standings.
    pub rank: u64,
    /// The rank performance is read at: the mean rank of a tie.
    pub performance_rank: f64,
}

impl Standings {
    /// Standings from `(rank, score)` rows: ranks ascending, scores
    /// descending and above 0 but for the last row, whose score is 0 (the
    /// contestants who scored nothing). The error says which row is wrong.
    pub fn new(rows: &[(u64, i64)]) -> Result<Standings, String> {
        let Some(&(last_rank, last_score)) = rows.last() else {
            return Err("no rows".into());
        };
        for (i, w) in rows.windows(2).enumerate() {
            let ((r0, s0), (r1, s1)) = (w[0], w[1]);
            if r1 < r0 {
                return Err(format!(
                    "row {}: rank {r1} after rank {r0}; sort the rows by rank",
                    i + 2
                ));
            }
            if s1 > s0 {
                return Err(format!(
                    "row {}: score {s1} above the score {s0} of a better rank",
                    i + 2
                ));
            }
            if s0 <= 0 {
                return Err(format!(
                    "row {}: score {s0}; only the last row may have score 0",
                    i + 1
                ));
            }
        }
        if last_score != 0 {
            return Err(format!(
                "the last row (rank {last_rank}) has score {last_score}; it must be the contestants who scored 0"
            ));
        }
        let mut blocks = Vec::new();
        let mut first = rows[0].0;
        for w in rows.windows(2) {
            let (score, (next_rank, next_score)) = (w[0].1, w[1]);
            if score == next_score {
                continue; // one score listed at several ranks
            }
            blocks.push(Block {
                score,
                first,
                last: next_rank - 1,
            });
            first = next_rank;
        }
        blocks.push(Block {
            score: 0,
            first: last_rank,
            last: last_rank,
        });
        Ok(Standings { blocks })
    }

    /// Contestants in the standings.
    pub fn contestants(&self) -> u64 {
        self.blocks.last().map_or(0, |b| b.last)
    }

    /// The rank of those who scored nothing.
    pub fn last_rank(&self) -> u64 {
        self.contestants()
    }

    /// Where an absolute total would have placed: above a block's score it
    /// takes the block's first rank, equal to it it ties (performance at the
    /// block's mean rank), and a total of 0 takes the last rank.
    pub fn place(&self, total: i64) -> Placement {
        let last = self.last_rank();
        if total <= 0 {
            return Placement {
                rank: last,
                performance_rank: last as f64,
            };
        }
        for b in &self.blocks {
            if total > b.score {
                return Placement {
                    rank: b.first,
                    performance_rank: b.first as f64,
                };
            }
            if total == b.score {
                return Placement {
                    rank: b.first,
                    performance_rank: (b.first + b.last) as f64 / 2.0,
                };
            }
        }
        // Unreachable: the last block has score 0 and total > 0.
        Placement {
            rank: last,
            performance_rank: last as f64,
        }
    }
}

/// The performance each rank earned, as known points between which it is
/// interpolated.
#[derive(Debug, Clone, PartialEq)]
pub struct Performances {
    /// (rank, performance), ranks ascending.
    points: Vec<(f64, i64)>,
}

impl Performances {
    /// From `(rank, performance)` rows: ranks ascending, performances
    /// descending. Rows of one rank (a tie) make one point; a row's point
    /// sits at the mean of the ranks up to the next row's.
    pub fn new(rows: &[(u64, i64)]) -> Result<Performances, String> {
        if rows.len() < 2 {
            return Err("at least two rows are needed".into());
        }
        for (i, w) in rows.windows(2).enumerate() {
            if w[1].0 < w[0].0 {
                return Err(format!(
                    "row {}: rank {} after rank {}; sort the rows by rank",
                    i + 2,
                    w[1].0,
                    w[0].0
                ));
            }
            if w[1].1 > w[0].1 {
                return Err(format!(
                    "row {}: performance {} above the {} of a better rank",
                    i + 2,
                    w[1].1,
                    w[0].1
                ));
            }
            if w[1].0 == w[0].0 && w[1].1 != w[0].1 {
                return Err(format!(
                    "row {}: rank {} has two performances",
                    i + 2,
                    w[1].0
                ));
            }
        }
        let mut points = Vec::new();
        for w in rows.windows(2) {
            let ((rank, performance), (next, _)) = (w[0], w[1]);
            if rank == next {
                continue;
            }
            points.push(((rank + next - 1) as f64 / 2.0, performance));
        }
        let &(rank, performance) = rows.last().expect("two rows at least");
        points.push((rank as f64, performance));
        Ok(Performances { points })
    }

    /// The performance at `rank` (a mean rank for a tie): a known point's
    /// own, else the straight line through the points on either side (the
    /// first two above the first point), rounded half to even.
    pub fn at(&self, rank: f64) -> i64 {
        if let Some(&(_, p)) = self.points.iter().find(|(r, _)| *r == rank) {
            return p;
        }
        // The first point below `rank`; the one above it is the one before.
        let below = self
            .points
            .iter()
            .position(|(r, _)| *r > rank)
            .unwrap_or(self.points.len() - 1)
            .max(1);
        let (r_high, p_high) = self.points[below - 1];
        let (r_low, p_low) = self.points[below];
        let p = p_high as f64 - (p_high - p_low) as f64 * (rank - r_high) / (r_low - r_high);
        p.round_ties_even() as i64
    }
}

/// How a relative-score contest scores a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeKind {
    /// max × yours / the best (higher is better).
    Max,
    /// max × the best / yours (lower is better; scores above 0).
    Min,
    /// By rank among the contestants, higher scores better.
    RankMax,
    /// By rank among the contestants, lower scores better.
    RankMin,
}

impl std::str::FromStr for RelativeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<RelativeKind, String> {
        match s {
            "max" => Ok(RelativeKind::Max),
            "min" => Ok(RelativeKind::Min),
            "rank_max" => Ok(RelativeKind::RankMax),
            "rank_min" => Ok(RelativeKind::RankMin),
            _ => Err(format!(
                "relative score type `{s}`: it is one of max, min, rank_max, rank_min"
            )),
        }
    }
}

/// Every contestant's score on each private case of a relative-score
/// contest (-1 for a rejected case).
#[derive(Debug, Clone, PartialEq)]
pub struct RelativeResults {
    /// Per case, per contestant.
    cases: Vec<Vec<i64>>,
    kind: RelativeKind,
    /// What the best does on a case.
    max_score: i64,
}

/// A submission among the contestants of a relative-score contest.
#[derive(Debug, Clone, PartialEq)]
pub struct RelativeStanding {
    /// The submission's total relative score.
    pub total: i64,
    /// Its relative score on each case.
    pub cases: Vec<i64>,
    /// Every contestant's total, the submission's included, highest first.
    pub totals: Vec<i64>,
}

impl RelativeResults {
    /// From one row per contestant of per-case scores.
    pub fn new(
        rows: &[Vec<i64>],
        kind: RelativeKind,
        max_score: i64,
    ) -> Result<RelativeResults, String> {
        let Some(first) = rows.first() else {
            return Err("no contestants".into());
        };
        if first.is_empty() {
            return Err("no cases".into());
        }
        if let Some(i) = rows.iter().position(|r| r.len() != first.len()) {
            return Err(format!(
                "contestant {} has {} cases, the first has {}",
                i + 1,
                rows[i].len(),
                first.len()
            ));
        }
        let cases = (0..first.len())
            .map(|c| rows.iter().map(|r| r[c]).collect())
            .collect();
        Ok(RelativeResults {
            cases,
            kind,
            max_score,
        })
    }

    pub fn cases(&self) -> usize {
        self.cases.len()
    }

    /// The submission's scores (None for a case not accepted) joined with the
    /// contestants', every relative score worked out again.
    pub fn join(&self, mine: &[Option<i64>]) -> Result<RelativeStanding, String> {
        if mine.len() != self.cases.len() {
            return Err(format!(
                "{} cases judged, the contest has {}",
                mine.len(),
                self.cases.len()
            ));
        }
        let contestants = self.cases[0].len();
        let mut others = vec![0i64; contestants];
        let mut cases = Vec::with_capacity(mine.len());
        for (c, score) in mine.iter().enumerate() {
            let mut all = self.cases[c].clone();
            all.push(score.unwrap_or(-1).max(-1));
            for (who, &s) in all.iter().enumerate() {
                let r = self.relative(&all, s)?;
                if who == contestants {
                    cases.push(r);
                } else {
                    others[who] += r;
                }
            }
        }
        let total = cases.iter().sum();
        let mut totals = others;
        totals.push(total);
        totals.sort_unstable_by(|a, b| b.cmp(a));
        Ok(RelativeStanding {
            total,
            cases,
            totals,
        })
    }

    /// The relative score of `score` among `all` on one case (0 when rejected).
    fn relative(&self, all: &[i64], score: i64) -> Result<i64, String> {
        if score < 0 {
            return Ok(0);
        }
        let accepted = all.iter().copied().filter(|&s| s >= 0);
        let m = self.max_score as i128;
        // m × a / b, halves rounded up, in integers.
        let ratio = |a: i128, b: i128| -> i64 {
            if b == 0 {
                return 0;
            }
            let (q, r) = (m * a / b, m * a % b);
            (q + i128::from(2 * r >= b)) as i64
        };
        Ok(match self.kind {
            RelativeKind::Max => ratio(score as i128, accepted.max().unwrap_or(0) as i128),
            RelativeKind::Min => {
                if score == 0 {
                    return Err("a score of 0 on a case of a `min` relative-score contest".into());
                }
                ratio(accepted.min().unwrap_or(score) as i128, score as i128)
            }
            RelativeKind::RankMax | RelativeKind::RankMin => {
                let n = all.len() as f64;
                let (mut lose, mut tie) = (0.0, -1.0); // the score itself is no tie
                for s in accepted {
                    if s == score {
                        tie += 1.0;
                    } else if (s > score) == (self.kind == RelativeKind::RankMax) {
                        lose += 1.0;
                    }
                }
                (self.max_score as f64 * (1.0 - (lose + tie / 2.0) / n)).round_ties_even() as i64
            }
        })
    }
}

impl RelativeStanding {
    /// Where it places among the contestants: 1 + those strictly ahead; a
    /// tie reads performance half a rank further per contestant tied. A
    /// total of 0 takes the standings' last rank.
    pub fn place(&self, standings: &Standings) -> Placement {
        if self.total == 0 {
            let last = standings.last_rank();
            return Placement {
                rank: last,
                performance_rank: last as f64,
            };
        }
        let mut rank = 1u64;
        let mut shared = 0.0;
        for &t in &self.totals {
            if self.total > t {
                break;
            }
            if self.total == t {
                shared += 0.5;
            } else {
                rank += 1;
            }
        }
        // Half of `shared` is the submission's own total, half the tied
        // contestant's place that the performance table already holds.
        Placement {
            rank,
            performance_rank: rank as f64 + (shared - 1.0f64).max(0.0),
        }
    }
}

/// A contest a problem's submissions are ranked in: its standings, the
/// performance of each rank, and for a relative-score contest every
/// contestant's per-case scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Contest {
    pub standings: Standings,
    pub performances: Performances,
    pub relative: Option<RelativeResults>,
}

/// Where a submission (or a total) would have placed, as reports show it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Ranking {
    pub rank: u64,
    pub performance: i64,
    pub contestants: u64,
}

/// How a case of a submission's private judging ended, as ranking reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CaseEnd {
    Accepted(i64),
    /// Not accepted through the solution's fault (WA, TLE, MLE, OLE, RE).
    Failed,
    /// Not judged: a compile error or an internal error. The submission
    /// counts as scoring nothing.
    NotJudged,
}

impl Contest {
    /// Reads the CSV files named in a problem's `[standings]`, relative to
    /// `dir`; the error names the file and the line.
    pub fn load(dir: &Path, files: &StandingsFiles) -> Result<Contest, String> {
        let at = |name: &str| dir.join(name);
        let scores = at(&files.scores);
        let standings = Standings::new(&read_pairs(&scores, ["rank", "score"])?)
            .map_err(|e| format!("{}: {e}", scores.display()))?;
        let perf = at(&files.performance);
        let performances = Performances::new(&read_pairs(&perf, ["rank", "performance"])?)
            .map_err(|e| format!("{}: {e}", perf.display()))?;
        let relative = match (&files.relative_results, &files.relative_score_type) {
            (None, None) => None,
            (Some(name), Some(kind)) => {
                let kind: RelativeKind = kind.parse()?;
                let max = files.relative_max_score.ok_or(
                    "relative_max_score is missing: a relative-score contest needs the score of the best on a case",
                )?;
                let path = at(name);
                let rows = read_table(&path)?;
                Some(
                    RelativeResults::new(&rows, kind, max)
                        .map_err(|e| format!("{}: {e}", path.display()))?,
                )
            }
            _ => {
                return Err(
                    "relative_results and relative_score_type go together: give both (a relative-score contest) or neither"
                        .into(),
                )
            }
        };
        Ok(Contest {
            standings,
            performances,
            relative,
        })
    }

    /// Where an absolute total would have placed.
    pub fn rank_total(&self, total: i64) -> Ranking {
        let place = self.standings.place(total);
        Ranking {
            rank: place.rank,
            performance: self.performances.at(place.performance_rank),
            contestants: self.standings.contestants(),
        }
    }

    /// Where a private judging would have placed, its cases in the order of
    /// the private seeds. The total is the accepted scores' sum; it is 0 when
    /// a case was not judged, and on an absolute-score contest when any case
    /// failed (a relative-score contest scores a failed case 0 and goes on).
    pub fn rank_cases(&self, cases: &[CaseEnd]) -> Result<Ranking, String> {
        let not_judged = cases.contains(&CaseEnd::NotJudged);
        let Some(relative) = &self.relative else {
            let failed = cases.iter().any(|c| !matches!(c, CaseEnd::Accepted(_)));
            let total = if failed {
                0
            } else {
                cases
                    .iter()
                    .map(|c| match c {
                        CaseEnd::Accepted(s) => *s,
                        _ => 0,
                    })
                    .sum()
            };
            return Ok(self.rank_total(total));
        };
        let mine: Vec<Option<i64>> = cases
            .iter()
            .map(|c| match c {
                CaseEnd::Accepted(s) => Some(*s),
                _ => None,
            })
            .collect();
        let mut joined = relative.join(&mine)?;
        if not_judged {
            joined.total = 0;
        }
        let place = joined.place(&self.standings);
        Ok(Ranking {
            rank: place.rank,
            performance: self.performances.at(place.performance_rank),
            contestants: joined.totals.len() as u64 - 1,
        })
    }
}

/// The `[standings]` of a problem.toml: file names relative to its folder.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandingsFiles {
    /// `rank,score` rows of the final standings.
    pub scores: String,
    /// `rank,performance` rows.
    pub performance: String,
    /// One row a contestant, columns `private_0` ... of per-case scores.
    pub relative_results: Option<String>,
    /// `max`, `min`, `rank_max` or `rank_min`.
    pub relative_score_type: Option<String>,
    pub relative_max_score: Option<i64>,
}

/// The rows of a CSV file of integers whose header is `private_0`,
/// `private_1`, ... (a contestant a row).
pub fn read_table(path: &Path) -> Result<Vec<Vec<i64>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(format!(
            "{}: empty; it needs the header private_0,private_1,... and rows",
            path.display()
        ));
    };
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    for (i, c) in columns.iter().enumerate() {
        if *c != format!("private_{i}") {
            return Err(format!(
                "{}: line 1, column {}: `{c}`, where `private_{i}` belongs (the columns are private_0, private_1, ... in order)",
                path.display(),
                i + 1
            ));
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let row: Result<Vec<i64>, _> = line.split(',').map(|v| v.trim().parse::<i64>()).collect();
        match row {
            Ok(r) if r.len() == columns.len() => rows.push(r),
            _ => {
                return Err(format!(
                    "{}: line {}: not {} integers (a rejected case is -1)",
                    path.display(),
                    i + 1,
                    columns.len()
                ))
            }
        }
    }
    Ok(rows)
}

/// The `a,b` rows of a two-column CSV file whose header is `header`.
pub fn read_pairs(path: &Path, header: [&str; 2]) -> Result<Vec<(u64, i64)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let want = header.join(",");
    match lines.next() {
        Some((_, h)) if h.trim().replace(' ', "") == want => {}
        Some((_, h)) => {
            return Err(format!(
                "{}: line 1 is `{h}`; the header must be `{want}`",
                path.display()
            ))
        }
        None => {
            return Err(format!(
                "{}: empty; it needs the header `{want}` and rows",
                path.display()
            ))
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let bad = || {
            format!(
                "{}: line {}: `{line}` is not `{want}` as two integers",
                path.display(),
                i + 1
            )
        };
        let (a, b) = line.split_once(',').ok_or_else(bad)?;
        let a: u64 = a.trim().parse().map_err(|_| bad())?;
        let b: i64 = b.trim().parse().map_err(|_| bad())?;
        rows.push((a, b));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranks 1..=6: 500, 400, 400 (a tie at 2), 300, 100, then the ones at 0.
    fn standings() -> Standings {
        Standings::new(&[(1, 500), (2, 400), (2, 400), (4, 300), (5, 100), (6, 0)]).unwrap()
    }

    #[test]
    fn a_total_places_above_ties_with_or_falls_to_the_last_rank() {
        let s = standings();
        assert_eq!(s.contestants(), 6);
        // Above the first row: first.
        assert_eq!(
            s.place(900),
            Placement {
                rank: 1,
                performance_rank: 1.0
            }
        );
        // Between 400 and 300: takes 4th place.
        assert_eq!(
            s.place(350),
            Placement {
                rank: 4,
                performance_rank: 4.0
            }
        );
        // Equal to the two at 400 (ranks 2 and 3): rank 2, performance at 2.5.
        assert_eq!(
            s.place(400),
            Placement {
                rank: 2,
                performance_rank: 2.5
            }
        );
        // Above nobody but the zeros.
        assert_eq!(
            s.place(1),
            Placement {
                rank: 6,
                performance_rank: 6.0
            }
        );
        assert_eq!(
            s.place(0),
            Placement {
                rank: 6,
                performance_rank: 6.0
            }
        );
    }

    #[test]
    fn standings_that_break_the_rules_are_refused_with_the_row() {
        assert!(Standings::new(&[(1, 5), (2, 7), (3, 0)])
            .unwrap_err()
            .contains("row 2"));
        assert!(Standings::new(&[(1, 5), (2, 3)])
            .unwrap_err()
            .contains("last row"));
        assert!(Standings::new(&[(2, 5), (1, 3), (3, 0)])
            .unwrap_err()
            .contains("sort"));
    }

    #[test]
    fn performance_is_interpolated_between_known_ranks_half_to_even() {
        // Rows 1: 3000, 2 and 2 (a tie): 2600, 4: 2000, 10: 100.
        let p =
            Performances::new(&[(1, 3000), (2, 2600), (2, 2600), (4, 2000), (10, 100)]).unwrap();
        // Points: rank 1 -> 3000 (1..1), 2.5 -> 2600 (2..3), 6.5 -> 2000 (4..9), 10 -> 100.
        assert_eq!(p.at(1.0), 3000);
        assert_eq!(p.at(2.5), 2600);
        // Between 2.5 and 6.5: 2600 - 600 x (4.5 - 2.5) / 4 = 2300.
        assert_eq!(p.at(4.5), 2300);
        // 2.0: 3000 - 400 x 1 / 1.5 = 2733.33 -> 2733.
        assert_eq!(p.at(2.0), 2733);
        // Between 6.5 and 10: 2000 - 1900 x 1.75 / 3.5 = 1050.
        assert_eq!(p.at(8.25), 1050);
        // A half rounds to even: halfway between 101 and 100 is 100.5 -> 100,
        // between 103 and 100 is 101.5 -> 102.
        let q = Performances::new(&[(1, 101), (2, 100), (3, 0)]).unwrap();
        assert_eq!(q.at(1.5), 100);
        let r = Performances::new(&[(1, 103), (2, 100), (3, 0)]).unwrap();
        assert_eq!(r.at(1.5), 102); // 101.5 -> 102
                                    // Above the first point: the line through the first two, extended.
        assert_eq!(p.at(0.5), 3000 + 400 / 3); // 3000 + 400 x 0.5 / 1.5 = 3133.33
    }

    #[test]
    fn a_submission_joins_a_relative_contest_and_every_score_is_worked_again() {
        // Two cases, three contestants; the second contestant was rejected on case 2.
        let rows = vec![vec![100, 50], vec![50, -1], vec![25, 100]];
        let max = RelativeResults::new(&rows, RelativeKind::Max, 1000).unwrap();
        // Case 1's best becomes ours, 200: the three get 500, 250, 125 and we
        // 1000. Case 2's best is 100: 500, 0 (rejected), 1000, and ours
        // 1000 x 75 / 100 = 750. Totals: 1000, 250, 1125 and ours 1750.
        let s = max.join(&[Some(200), Some(75)]).unwrap();
        assert_eq!(s.cases, vec![1000, 750]);
        assert_eq!(s.total, 1750);
        assert_eq!(s.totals, vec![1750, 1125, 1000, 250]);
        assert_eq!(s.place(&Standings::new(&[(1, 9), (4, 0)]).unwrap()).rank, 1);
        // Halves round up: 1000 x 1 / 3 = 333.3 -> 333; 1000 x 2 / 3 = 666.7 -> 667.
        let thirds = RelativeResults::new(&[vec![3], vec![1]], RelativeKind::Max, 1000).unwrap();
        assert_eq!(thirds.join(&[Some(2)]).unwrap().cases, vec![667]);
        // min: 1000 x best / yours.
        let min = RelativeResults::new(&[vec![10], vec![40]], RelativeKind::Min, 1000).unwrap();
        assert_eq!(min.join(&[Some(20)]).unwrap().cases, vec![500]);
        assert!(min.join(&[Some(0)]).is_err());
        // A rejected case is 0.
        assert_eq!(min.join(&[None]).unwrap().cases, vec![0]);
    }

    #[test]
    fn rank_relative_scores_count_losses_and_half_ties() {
        // Case scores 10, 20, 20, rejected, and ours 20: n = 5.
        let rows = vec![vec![10], vec![20], vec![20], vec![-1]];
        let hi = RelativeResults::new(&rows, RelativeKind::RankMax, 100).unwrap();
        // Ours 20 under rank_max: no one above, two ties: 100 x (1 - 1/5) = 80.
        assert_eq!(hi.join(&[Some(20)]).unwrap().cases, vec![80]);
        // Ours 15: two above: 100 x (1 - 2/5) = 60.
        assert_eq!(hi.join(&[Some(15)]).unwrap().cases, vec![60]);
        let lo = RelativeResults::new(&rows, RelativeKind::RankMin, 100).unwrap();
        // Ours 15 under rank_min: one better (10): 100 x (1 - 1/5) = 80.
        assert_eq!(lo.join(&[Some(15)]).unwrap().cases, vec![80]);
        // One loss and one tie among four: 10 x (1 - 1.5 / 4) = 6.25 -> 6.
        let mixed =
            RelativeResults::new(&[vec![5], vec![7], vec![-1]], RelativeKind::RankMax, 10).unwrap();
        assert_eq!(mixed.join(&[Some(5)]).unwrap().cases, vec![6]);
        // Halves round to even: one loss of two, 1 x 0.5 -> 0 and 3 x 0.5 -> 2.
        let one = RelativeResults::new(&[vec![7]], RelativeKind::RankMax, 1).unwrap();
        assert_eq!(one.join(&[Some(5)]).unwrap().cases, vec![0]);
        let three = RelativeResults::new(&[vec![7]], RelativeKind::RankMax, 3).unwrap();
        assert_eq!(three.join(&[Some(5)]).unwrap().cases, vec![2]);
    }

    #[test]
    fn ties_among_relative_totals_read_performance_further_down() {
        let standings = Standings::new(&[(1, 9), (2, 8), (3, 7), (4, 0)]).unwrap();
        let tied = RelativeStanding {
            total: 50,
            cases: vec![50],
            totals: vec![80, 50, 50, 20],
        };
        // One ahead: rank 2; itself and one other at 50: 1.0 shared, nothing added.
        assert_eq!(
            tied.place(&standings),
            Placement {
                rank: 2,
                performance_rank: 2.0
            }
        );
        let three = RelativeStanding {
            total: 50,
            cases: vec![50],
            totals: vec![50, 50, 50, 20],
        };
        // Two others tied: 1.5 shared, half a rank further.
        assert_eq!(
            three.place(&standings),
            Placement {
                rank: 1,
                performance_rank: 1.5
            }
        );
        let nothing = RelativeStanding {
            total: 0,
            cases: vec![0],
            totals: vec![80, 0],
        };
        assert_eq!(
            nothing.place(&standings),
            Placement {
                rank: 4,
                performance_rank: 4.0
            }
        );
    }

    #[test]
    fn a_private_judging_is_ranked_by_its_total() {
        let contest = Contest {
            standings: standings(),
            performances: Performances::new(&[(1, 3000), (2, 2500), (4, 2000), (5, 1500), (6, 0)])
                .unwrap(),
            relative: None,
        };
        // 200 + 150 = 350: rank 4, the point of rank 4 (4..4) is 2000.
        let r = contest
            .rank_cases(&[CaseEnd::Accepted(200), CaseEnd::Accepted(150)])
            .unwrap();
        assert_eq!(
            r,
            Ranking {
                rank: 4,
                performance: 2000,
                contestants: 6
            }
        );
        // A failed case on an absolute-score contest: nothing, the last rank.
        let r = contest
            .rank_cases(&[CaseEnd::Accepted(900), CaseEnd::Failed])
            .unwrap();
        assert_eq!((r.rank, r.performance), (6, 0));
        // A relative-score contest keeps the accepted cases of a failing
        // submission, but not one with a case that was never judged.
        let relative = Contest {
            relative: Some(
                RelativeResults::new(&[vec![100, 100], vec![50, 50]], RelativeKind::Max, 10)
                    .unwrap(),
            ),
            ..contest.clone()
        };
        let r = relative
            .rank_cases(&[CaseEnd::Accepted(100), CaseEnd::Failed])
            .unwrap();
        // Totals: 20 and 10 for the two, ours 10 + 0: tied with the second: rank 2.
        assert_eq!((r.rank, r.contestants), (2, 2));
        let r = relative
            .rank_cases(&[CaseEnd::Accepted(100), CaseEnd::NotJudged])
            .unwrap();
        assert_eq!(r.rank, 6);
    }

    #[test]
    fn csv_rows_are_read_with_the_file_and_line_of_a_mistake() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("standings_scores.csv");
        std::fs::write(&path, "rank,score\n1,500\n2,0\n").unwrap();
        assert_eq!(
            read_pairs(&path, ["rank", "score"]).unwrap(),
            vec![(1, 500), (2, 0)]
        );
        std::fs::write(&path, "rank,score\n1,500\n2,x\n").unwrap();
        let e = read_pairs(&path, ["rank", "score"]).unwrap_err();
        assert!(e.contains("standings_scores.csv: line 3"), "{e}");
        std::fs::write(&path, "rank,perf\n1,500\n").unwrap();
        let e = read_pairs(&path, ["rank", "score"]).unwrap_err();
        assert!(e.contains("line 1") && e.contains("rank,score"), "{e}");
        let table = dir.path().join("relative_results.csv");
        std::fs::write(&table, "private_0,private_1\n5,-1\n7,3\n").unwrap();
        assert_eq!(read_table(&table).unwrap(), vec![vec![5, -1], vec![7, 3]]);
        std::fs::write(&table, "private_0,private_2\n5,-1\n").unwrap();
        assert!(read_table(&table).unwrap_err().contains("column 2"));
        std::fs::write(&table, "private_0,private_1\n5\n").unwrap();
        assert!(read_table(&table).unwrap_err().contains("line 2"));
    }
}
