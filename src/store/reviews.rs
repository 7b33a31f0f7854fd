//! Supervisors' reviews of whole calls: "reviewed" marks and blind verdicts.
//!
//! A mark says a reviewer went through a call under a rubric id (keyed like overrides, so it
//! survives re-scoring). A blind review is made before the reviewer has seen the automatic
//! verdicts: its own verdict on every criterion is kept beside the machine's and never changes
//! a score; it is what calibration compares the machine with, honestly.

use super::overrides::utc;
use super::{ScoreRunView, Store, StoreError, now};
use crate::score::Verdict;
use rusqlite::params;
use serde::Serialize;

/// One "reviewed" mark on a call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: i64,
    pub call_id: i64,
    pub rubric_id: String,
    pub reviewer: String,
    /// When, UTC (`2026-11-26T08:40:00Z`).
    pub at: String,
    /// Made before the reviewer saw the automatic verdicts.
    pub blind: bool,
}

/// A reviewer's own verdict on one criterion, given blind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlindVerdict {
    pub review_id: i64,
    pub call_id: i64,
    pub rubric_id: String,
    pub criterion_id: String,
    pub verdict: Verdict,
    pub reviewer: String,
    pub at: String,
}

/// The automatic verdict as scoring stored it (no override applied), with its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineVerdict {
    pub call_id: i64,
    pub criterion_id: String,
    pub verdict: Verdict,
    pub confidence: Option<f64>,
}

/// Why a review could not be stored; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such call, not scored under the rubric, no reviewer name, unknown criterion.
    #[error(transparent)]
    Call(#[from] super::OverrideError),
    #[error(
        "{reviewer} has already reviewed {file}, so a blind review of it would not be blind: the automatic verdicts were on screen. Review it on the call page instead."
    )]
    AlreadySeen { reviewer: String, file: String },
    #[error(
        "a blind review needs a verdict on every criterion; missing: {missing}. Choose pass, fail or not applicable for each."
    )]
    Incomplete { missing: String },
}

impl Store {
    /// Marks call `call_id` reviewed by `reviewer` under `rubric_id` (after seeing the
    /// automatic verdicts). The call must be scored under that rubric.
    pub fn mark_reviewed(
        &mut self,
        call_id: i64,
        rubric_id: &str,
        reviewer: &str,
    ) -> Result<Review, ReviewError> {
        let (reviewer, _) = self.check_review(call_id, rubric_id, reviewer)?;
        let id = insert_review(&self.conn, call_id, rubric_id, reviewer, false)
            .map_err(|e| self.sql_err(e))?;
        Ok(self.review_by_id(id)?)
    }

    /// Stores a blind review: the reviewer's verdict on every criterion of the rubric's newest
    /// version scoring the call, and a blind "reviewed" mark, in one transaction. Refused once
    /// the reviewer has reviewed the call, since the automatic verdicts were then on screen.
    pub fn add_blind_review(
        &mut self,
        call_id: i64,
        rubric_id: &str,
        reviewer: &str,
        verdicts: &[(String, Verdict)],
    ) -> Result<Review, ReviewError> {
        let (reviewer, run) = self.check_review(call_id, rubric_id, reviewer)?;
        let reviewer = reviewer.to_string();
        if self.has_seen(call_id, rubric_id, &reviewer)? {
            return Err(ReviewError::AlreadySeen {
                reviewer,
                file: self.call_file(call_id)?,
            });
        }
        let rubric = self.stored_rubric(&run)?;
        if let Some((unknown, _)) = verdicts
            .iter()
            .find(|(id, _)| !rubric.criteria.iter().any(|c| &c.id == id))
        {
            return Err(
                super::OverrideError::unknown_criterion(rubric_id, unknown, &rubric).into(),
            );
        }
        let missing: Vec<&str> = rubric
            .criteria
            .iter()
            .filter(|c| !verdicts.iter().any(|(id, _)| id == &c.id))
            .map(|c| c.title.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ReviewError::Incomplete {
                missing: missing.join(", "),
            });
        }
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        // A savepoint, so it also nests inside a caller's `write_tx` (with its audit row).
        let tx = self.conn.savepoint().map_err(sql)?;
        let id = insert_review(&tx, call_id, rubric_id, &reviewer, true).map_err(sql)?;
        for (criterion, verdict) in verdicts {
            tx.execute(
                "INSERT INTO blind_verdicts (review_id, criterion_id, verdict) VALUES (?1, ?2, ?3)",
                params![id, criterion, verdict.code()],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(self.review_by_id(id)?)
    }

    /// Whether `reviewer` has had the automatic verdicts of the call under `rubric_id` on
    /// screen, as far as the database knows: they marked it reviewed (blind or not) or
    /// overrode one of its verdicts.
    pub fn has_seen(
        &self,
        call_id: i64,
        rubric_id: &str,
        reviewer: &str,
    ) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM reviews
                                WHERE call_id = ?1 AND rubric_id = ?2 AND reviewer = ?3)
                     OR EXISTS (SELECT 1 FROM overrides
                                WHERE call_id = ?1 AND rubric_id = ?2 AND reviewer = ?3)",
                params![call_id, rubric_id, reviewer.trim()],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_err(e))
    }

    /// Every "reviewed" mark on calls of `campaign`, oldest first.
    pub fn reviewed_calls(&self, campaign: &str) -> Result<Vec<Review>, StoreError> {
        self.reviews_where("k.name = ?1", campaign)
    }

    /// Every "reviewed" mark on one call, oldest first.
    pub fn call_reviews(&self, call_id: i64) -> Result<Vec<Review>, StoreError> {
        self.reviews_where("r.call_id = ?1", call_id)
    }

    /// Every blind verdict given on calls of `campaign`, oldest review first.
    pub fn blind_verdicts(&self, campaign: &str) -> Result<Vec<BlindVerdict>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.call_id, r.rubric_id, b.criterion_id, b.verdict, r.reviewer,
                        r.created_at
                 FROM blind_verdicts b
                 JOIN reviews r ON r.id = b.review_id
                 JOIN calls c ON c.id = r.call_id
                 JOIN campaigns k ON k.id = c.campaign_id
                 WHERE k.name = ?1 ORDER BY r.id, b.id",
            )
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map([campaign], |r| {
            Ok(BlindVerdict {
                review_id: r.get(0)?,
                call_id: r.get(1)?,
                rubric_id: r.get(2)?,
                criterion_id: r.get(3)?,
                // The column's CHECK constraint allows only the three codes.
                verdict: Verdict::from_code(&r.get::<_, String>(4)?)
                    .unwrap_or(Verdict::NotApplicable),
                reviewer: r.get(5)?,
                at: utc(r.get(6)?),
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }

    /// The automatic verdicts of score run `run` on calls of `campaign` as scoring stored
    /// them, before any override: what a reviewer is compared with.
    pub fn machine_verdicts(
        &self,
        campaign: &str,
        run: i64,
    ) -> Result<Vec<MachineVerdict>, StoreError> {
        let sql = format!(
            "SELECT c.id, v.criterion_id, v.passed, v.applicable, v.confidence
             FROM criterion_results v
             JOIN call_scores s ON s.id = v.call_score_id
             JOIN calls c ON c.id = s.call_id
             JOIN campaigns k ON k.id = c.campaign_id
             WHERE k.name = ?1 AND s.score_run_id = ?2 AND {}
             ORDER BY c.id, v.idx",
            super::read::CURRENT_SCORE
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_err(e))?;
        stmt.query_map(params![campaign, run], |r| {
            Ok(MachineVerdict {
                call_id: r.get(0)?,
                criterion_id: r.get(1)?,
                verdict: Verdict::from_flags(r.get(2)?, r.get(3)?),
                confidence: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }

    /// The trimmed reviewer name, once the call is known to be scored under `rubric_id`.
    fn check_review<'a>(
        &self,
        call_id: i64,
        rubric_id: &str,
        reviewer: &'a str,
    ) -> Result<(&'a str, ScoreRunView), ReviewError> {
        let reviewer = reviewer.trim();
        if reviewer.is_empty() {
            return Err(super::OverrideError::NoReviewer.into());
        }
        Ok((reviewer, self.current_run(call_id, rubric_id)?))
    }

    fn review_by_id(&self, id: i64) -> Result<Review, StoreError> {
        self.reviews_where("r.id = ?1", id)?
            .pop()
            .ok_or_else(|| StoreError::Corrupt {
                path: self.path.clone(),
                what: format!("review {id} vanished after it was written"),
            })
    }

    fn reviews_where(
        &self,
        condition: &str,
        value: impl rusqlite::ToSql,
    ) -> Result<Vec<Review>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT r.id, r.call_id, r.rubric_id, r.reviewer, r.created_at, r.blind
                 FROM reviews r
                 JOIN calls c ON c.id = r.call_id
                 JOIN campaigns k ON k.id = c.campaign_id
                 WHERE {condition} ORDER BY r.id"
            ))
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map([value], |r| {
            Ok(Review {
                id: r.get(0)?,
                call_id: r.get(1)?,
                rubric_id: r.get(2)?,
                reviewer: r.get(3)?,
                at: utc(r.get(4)?),
                blind: r.get(5)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sql_err(e))
    }
}

fn insert_review(
    conn: &rusqlite::Connection,
    call_id: i64,
    rubric_id: &str,
    reviewer: &str,
    blind: bool,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reviews (call_id, rubric_id, reviewer, blind, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![call_id, rubric_id, reviewer, blind, now()],
    )?;
    Ok(conn.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::score::TWO_CRITERIA_RUBRIC as RUBRIC;

    /// A real database file with one call scored under rubric `t`: pickup passed (0.9),
    /// greeting failed (0.4).
    fn scored() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO campaigns (id, name, created_at) VALUES (1, '2026Q4', 0);
                 INSERT INTO transcripts (id, audio_sha256, model_sha256, settings, model_name,
                                          language, staff_channel, audio_facts, created_at)
                 VALUES (1, 'a', 'm', 's', 'base', 'en', 'left', '{{}}', 0);
                 INSERT INTO calls (id, campaign_id, file, path, sha256, staff_channel, status,
                                    transcript_id, updated_at)
                 VALUES (1, 1, 'a.wav', '/r/a.wav', 'a', 'left', 'scored', 1, 0);
                 INSERT INTO score_runs (id, rubric_id, rubric_sha256, rubric_title, rubric_toml,
                                         created_at)
                 VALUES (1, 't', 'h', 'T', '{}', 0);
                 INSERT INTO call_scores (id, call_id, score_run_id, transcript_id, score, max,
                                          grade, created_at)
                 VALUES (1, 1, 1, 1, 75, 100, 'Good', 0);
                 INSERT INTO criterion_results (call_score_id, idx, criterion_id, title, category,
                        passed, applicable, points, max, reason, evidence, confidence)
                 VALUES (1, 0, 'pickup', 'Pickup', 'speed', 1, 1, 3, 3, 'ok', '[]', 0.9),
                        (1, 1, 'greeting', 'Greeting', 'courtesy', 0, 1, 0, 1, 'none', '[]', 0.4);",
                RUBRIC.replace('\'', "''")
            ))
            .unwrap();
        (dir, store)
    }

    fn both(pickup: Verdict, greeting: Verdict) -> Vec<(String, Verdict)> {
        vec![("pickup".into(), pickup), ("greeting".into(), greeting)]
    }

    #[test]
    fn marks_and_blind_verdicts_read_back_by_campaign() {
        let (_dir, mut store) = scored();
        let blind = store
            .add_blind_review(1, "t", " Lin ", &both(Verdict::Passed, Verdict::Passed))
            .unwrap();
        assert!(blind.blind);
        assert_eq!(blind.reviewer, "Lin");
        let seen = store.mark_reviewed(1, "t", "Wang").unwrap();
        assert!(!seen.blind);
        assert!(seen.at.ends_with('Z'), "{}", seen.at);
        let marks = store.reviewed_calls("2026Q4").unwrap();
        assert_eq!(marks, vec![blind.clone(), seen]);
        assert_eq!(store.call_reviews(1).unwrap().len(), 2);
        assert!(store.reviewed_calls("2026Q3").unwrap().is_empty());
        let verdicts = store.blind_verdicts("2026Q4").unwrap();
        assert_eq!(verdicts.len(), 2);
        assert_eq!(verdicts[1].criterion_id, "greeting");
        assert_eq!(verdicts[1].verdict, Verdict::Passed);
        assert_eq!(verdicts[1].reviewer, "Lin");
        let machine = store.machine_verdicts("2026Q4", 1).unwrap();
        assert_eq!(machine[1].verdict, Verdict::Failed);
        assert_eq!(machine[1].confidence, Some(0.4));
    }

    #[test]
    fn a_blind_review_after_seeing_the_verdicts_is_refused() {
        let (_dir, mut store) = scored();
        store.mark_reviewed(1, "t", "Wang").unwrap();
        let err = store
            .add_blind_review(1, "t", "Wang", &both(Verdict::Passed, Verdict::Failed))
            .unwrap_err();
        assert!(matches!(err, ReviewError::AlreadySeen { .. }), "{err}");
        assert!(err.to_string().contains("a.wav"), "{err}");
        // Nor after overriding one of them.
        store
            .conn
            .execute_batch(
                "INSERT INTO overrides (call_id, rubric_id, criterion_id, passed, reason,
                                        reviewer, created_at)
                 VALUES (1, 't', 'pickup', 0, 'six rings', 'Chen', 0)",
            )
            .unwrap();
        assert!(store.has_seen(1, "t", "Chen").unwrap());
        assert!(
            store
                .add_blind_review(1, "t", "Chen", &both(Verdict::Passed, Verdict::Failed))
                .is_err()
        );
        // Another reviewer has not seen them.
        store
            .add_blind_review(1, "t", "Lin", &both(Verdict::Passed, Verdict::Failed))
            .unwrap();
        assert!(
            store
                .add_blind_review(1, "t", "Lin", &both(Verdict::Passed, Verdict::Failed))
                .is_err()
        );
    }

    #[test]
    fn incomplete_unknown_or_unscored_reviews_store_nothing() {
        let (_dir, mut store) = scored();
        let only = vec![("pickup".to_string(), Verdict::Passed)];
        let err = store.add_blind_review(1, "t", "Lin", &only).unwrap_err();
        assert!(err.to_string().contains("Greeting"), "{err}");
        let mut extra = both(Verdict::Passed, Verdict::Passed);
        extra.push(("hold".into(), Verdict::Passed));
        let err = store.add_blind_review(1, "t", "Lin", &extra).unwrap_err();
        assert!(err.to_string().contains("hold"), "{err}");
        assert!(store.mark_reviewed(1, "other", "Lin").is_err());
        assert!(store.mark_reviewed(9, "t", "Lin").is_err());
        assert!(store.mark_reviewed(1, "t", "  ").is_err());
        assert!(store.reviewed_calls("2026Q4").unwrap().is_empty());
        assert!(store.blind_verdicts("2026Q4").unwrap().is_empty());
    }
}
