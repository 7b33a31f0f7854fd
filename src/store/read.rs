//! Reading back what runs stored, for exports, reports and re-scoring.

use super::calls::insert_score;
use super::overrides::Effective;
use super::runs::{ScoreRunView, score_run_view};
use super::{Store, StoreError};
use crate::audio::AudioFacts;
use crate::score::{CallScore, CriterionResult, LineSpeaker, Total, Verdict};
use crate::transcribe::{Quality, Segment};
use rusqlite::{OptionalExtension, params};

/// One stored call with its score under a chosen rubric version (if scored) and transcript.
#[derive(Debug, Clone)]
pub struct CallView {
    pub id: i64,
    pub campaign: String,
    pub file: String,
    pub path: String,
    pub staff: String,
    pub unit: String,
    pub scenario: String,
    pub called_at: String,
    pub staff_channel: String,
    pub status: String,
    pub error: Option<String>,
    pub transcript_id: Option<i64>,
    pub facts: Option<AudioFacts>,
    pub score: Option<Total>,
    pub criteria: Vec<CriterionResult>,
    pub transcript: Vec<Segment>,
    /// How trustworthy Whisper's output looked (None for calls never transcribed).
    pub quality: Option<Quality>,
    /// Who scoring found said each mono line, indexed like `transcript` (whose speakers it
    /// has already been applied to); empty when the score did not keep it.
    pub speakers: Vec<Option<LineSpeaker>>,
}

/// A score counts only while it belongs to the call's current transcript and the call is still
/// scored: a recording that was replaced and now fails keeps no score from before.
pub(super) const CURRENT_SCORE: &str = "c.status = 'scored' AND s.transcript_id IS c.transcript_id";

/// The columns [`Store::call_view`] reads, with the joins they need; append a WHERE clause.
pub(super) const CALL_VIEW_SELECT: &str =
    "SELECT c.id, k.name, c.file, c.path, COALESCE(st.name, ''), COALESCE(u.name, ''),
            COALESCE(sc.key, ''), COALESCE(c.called_at, ''), c.staff_channel, c.status,
            c.error, c.transcript_id, c.audio_facts, t.quality
     FROM calls c
     JOIN campaigns k ON k.id = c.campaign_id
     LEFT JOIN staff st ON st.id = c.staff_id
     LEFT JOIN units u ON u.id = c.unit_id
     LEFT JOIN scenarios sc ON sc.id = c.scenario_id
     LEFT JOIN transcripts t ON t.id = c.transcript_id";

/// A call row as selected by [`CALL_VIEW_SELECT`], with its JSON columns still as text.
pub(super) struct CallRow(CallView, Option<String>, Option<String>);

pub(super) fn call_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CallRow> {
    Ok(CallRow(
        CallView {
            id: r.get(0)?,
            campaign: r.get(1)?,
            file: r.get(2)?,
            path: r.get(3)?,
            staff: r.get(4)?,
            unit: r.get(5)?,
            scenario: r.get(6)?,
            called_at: r.get(7)?,
            staff_channel: r.get(8)?,
            status: r.get(9)?,
            error: r.get(10)?,
            transcript_id: r.get(11)?,
            facts: None,
            score: None,
            criteria: Vec::new(),
            transcript: Vec::new(),
            quality: None,
            speakers: Vec::new(),
        },
        r.get(12)?,
        r.get(13)?,
    ))
}

/// A verdict from a row whose first eight columns are `criterion_id, title, category, passed,
/// applicable, points, max, reason`, with columns named `confidence` and `needs_review`
/// (evidence, still JSON, is read by the caller).
pub(super) fn criterion_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CriterionResult> {
    Ok(CriterionResult {
        id: r.get(0)?,
        title: r.get(1)?,
        category: r.get(2)?,
        verdict: Verdict::from_flags(r.get(3)?, r.get(4)?),
        points: r.get(5)?,
        max: r.get(6)?,
        reason: r.get(7)?,
        evidence: Vec::new(),
        confidence: r.get("confidence")?,
        needs_review: r.get("needs_review")?,
        overridden: None,
    })
}

impl Store {
    /// The rubric versions that scored calls of `campaign`, most recently created first.
    pub fn score_runs(&self, campaign: &str) -> Result<Vec<ScoreRunView>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT r.id, r.rubric_id, r.rubric_sha256, r.rubric_title, r.rubric_toml
                 FROM score_runs r
                 JOIN call_scores s ON s.score_run_id = r.id
                 JOIN calls c ON c.id = s.call_id
                 JOIN campaigns k ON k.id = c.campaign_id
                 WHERE k.name = ?1 ORDER BY r.id DESC",
            )
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map([campaign], score_run_view)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_err(e))
    }

    /// Whether a campaign of this name has any calls.
    pub fn campaign_exists(&self, campaign: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT 1 FROM campaigns WHERE name = ?1",
                [campaign],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.sql_err(e))
    }

    /// Every call of `campaign` in manifest order of insertion, with its verdicts under
    /// `score_run` (when given) and its transcript.
    pub fn campaign_calls(
        &self,
        campaign: &str,
        score_run: Option<i64>,
    ) -> Result<Vec<CallView>, StoreError> {
        let mut calls = self.calls_where(campaign, "")?;
        if let Some(run) = score_run {
            let overrides = self.effective_overrides(run, None)?;
            for call in &mut calls {
                self.attach_score(call, run, &overrides)?;
            }
        }
        Ok(calls)
    }

    /// The calls of `campaign` that are scored and whose stored transcript was made from the
    /// recording as it was last read (same sha256): the only ones re-scoring may touch. A call
    /// whose file later failed or changed keeps an old transcript that no longer describes it.
    pub fn rescorable_calls(&self, campaign: &str) -> Result<Vec<CallView>, StoreError> {
        self.calls_where(
            campaign,
            "AND c.status = 'scored' AND t.audio_sha256 = c.sha256",
        )
    }

    /// How many calls `campaign` has.
    pub fn campaign_call_count(&self, campaign: &str) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM calls c JOIN campaigns k ON k.id = c.campaign_id
                 WHERE k.name = ?1",
                [campaign],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.sql_err(e))
    }

    /// Calls of `campaign` meeting `condition` (SQL over [`CALL_VIEW_SELECT`]'s tables, starting
    /// with AND), without scores.
    fn calls_where(&self, campaign: &str, condition: &str) -> Result<Vec<CallView>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{CALL_VIEW_SELECT} WHERE k.name = ?1 {condition} ORDER BY c.called_at, c.file"
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([campaign], call_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        rows.into_iter().map(|row| self.call_view(row)).collect()
    }

    /// Completes a selected call row: parses its audio facts and transcript quality and loads
    /// its transcript.
    pub(super) fn call_view(
        &self,
        CallRow(mut call, facts, quality): CallRow,
    ) -> Result<CallView, StoreError> {
        if let Some(f) = facts {
            call.facts = Some(self.parse_json(&f, "audio facts")?);
        }
        if let Some(q) = quality.filter(|q| q != "null") {
            call.quality = Some(self.parse_json(&q, "transcript quality")?);
        }
        if let Some(t) = call.transcript_id {
            call.transcript = self.segments(t)?;
        }
        Ok(call)
    }

    /// Loads the call's verdicts under `run`, with supervisors' overrides applied.
    pub(super) fn attach_score(
        &self,
        call: &mut CallView,
        run: i64,
        overrides: &Effective,
    ) -> Result<(), StoreError> {
        let score = self
            .conn
            .query_row(
                &format!(
                    "SELECT s.id, s.score, s.max, s.grade, {} FROM call_scores s
                     JOIN calls c ON c.id = s.call_id
                     WHERE c.id = ?1 AND s.score_run_id = ?2 AND {CURRENT_SCORE}",
                    self.speakers_column()?
                ),
                params![call.id, run],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, f64>(1)?,
                        r.get::<_, f64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let Some((score_id, score, max, grade, speakers)) = score else {
            return Ok(());
        };
        if let Some(json) = speakers {
            call.speakers = self.parse_json(&json, "line speakers")?;
            for (seg, who) in call.transcript.iter_mut().zip(&call.speakers) {
                if let Some(who) = who {
                    seg.speaker = who.speaker;
                }
            }
        }
        let mut total = Total { score, max, grade };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT criterion_id, title, category, passed, applicable, points, max, reason, evidence,
                        confidence, needs_review
                 FROM criterion_results WHERE call_score_id = ?1 ORDER BY idx",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([score_id], |r| {
                Ok((criterion_row(r)?, r.get::<_, String>(8)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        for (mut c, evidence) in rows {
            c.evidence = self.parse_json(&evidence, "criterion evidence")?;
            call.criteria.push(c);
        }
        overrides.apply(self, call.id, &mut total, &mut call.criteria)?;
        call.score = Some(total);
        Ok(())
    }

    /// `speakers`, or NULL in a database from before migration 8 read without upgrading.
    fn speakers_column(&self) -> Result<&'static str, StoreError> {
        let has = super::schema::has_column(&self.conn, "call_scores", "speakers")
            .map_err(|e| self.sql_err(e))?;
        Ok(if has { "s.speakers" } else { "NULL" })
    }

    /// Replaces a call's verdicts under `score_run` (re-scoring a stored transcript).
    pub fn save_rescore(
        &mut self,
        call_id: i64,
        transcript_id: i64,
        score_run: i64,
        score: &CallScore,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        insert_score(&tx, call_id, score_run, transcript_id, score).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Marks a stored call failed with `error` (its old scores stop counting everywhere).
    pub fn fail_call(&mut self, call_id: i64, error: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE calls SET status = 'failed', error = ?2, updated_at = ?3 WHERE id = ?1",
                params![call_id, error, super::now()],
            )
            .map(drop)
            .map_err(|e| self.sql_err(e))
    }

    /// Names of every campaign, oldest first.
    pub fn campaigns(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM campaigns ORDER BY name")
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_err(e))
    }
}
