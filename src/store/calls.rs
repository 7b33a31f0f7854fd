//! Writing calls: one transaction per call, so a killed run never leaves half a call behind.

use super::transcripts::{TranscriptKey, insert_transcript};
use super::{Store, StoreError, now};
use crate::audio::AudioFacts;
use crate::score::CallScore;
use crate::transcribe::Segment;
use rusqlite::{OptionalExtension, Transaction, params};

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Pending,
    Scored,
    Failed,
}

impl CallStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Pending => "pending",
            CallStatus::Scored => "scored",
            CallStatus::Failed => "failed",
        }
    }

    pub(super) fn parse(s: &str) -> CallStatus {
        match s {
            "scored" => CallStatus::Scored,
            "failed" => CallStatus::Failed,
            _ => CallStatus::Pending,
        }
    }
}

/// Identifies a call: a file within a campaign (the manifest's `file` column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallKey {
    pub campaign: String,
    pub file: String,
}

/// One manifest row as stored, plus what the run learnt about the file.
#[derive(Debug, Clone)]
pub struct CallRecord {
    pub key: CallKey,
    /// Path as given to the run (for reading the audio again).
    pub path: String,
    pub sha256: Option<String>,
    pub staff: String,
    pub unit: String,
    pub scenario: String,
    pub called_at: String,
    pub staff_channel: String,
}

/// A transcript to attach to a scored call: one already stored, or a new one to store.
pub enum TranscriptRef<'a> {
    Stored(i64),
    New {
        key: &'a TranscriptKey,
        model_name: &'a str,
        facts: &'a AudioFacts,
        segments: &'a [Segment],
        quality: &'a serde_json::Value,
    },
}

impl Store {
    /// The state of a call already in the database, if any: its audio hash, status, and whether it
    /// has a score under `score_run`.
    pub fn call_state(
        &self,
        key: &CallKey,
        score_run: i64,
    ) -> Result<Option<(Option<String>, CallStatus, bool)>, StoreError> {
        self.conn
            .query_row(
                "SELECT c.sha256, c.status,
                        EXISTS(SELECT 1 FROM call_scores s WHERE s.call_id = c.id AND s.score_run_id = ?3)
                 FROM calls c JOIN campaigns k ON k.id = c.campaign_id
                 WHERE k.name = ?1 AND c.file = ?2",
                params![key.campaign, key.file, score_run],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        CallStatus::parse(&r.get::<_, String>(1)?),
                        r.get::<_, bool>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_err(e))
    }

    /// Records the rubric a batch is scored with and returns its score-run id (the same id for the
    /// same rubric file contents, so reruns add no rows).
    pub fn score_run(
        &self,
        rubric_id: &str,
        sha256: &str,
        title: &str,
        toml: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO score_runs (rubric_id, rubric_sha256, rubric_title, rubric_toml, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (rubric_id, rubric_sha256) DO NOTHING",
                params![rubric_id, sha256, title, toml, now()],
            )
            .and_then(|_| {
                self.conn.query_row(
                    "SELECT id FROM score_runs WHERE rubric_id = ?1 AND rubric_sha256 = ?2",
                    params![rubric_id, sha256],
                    |r| r.get(0),
                )
            })
            .map_err(|e| self.sql_err(e))
    }

    /// Stores a scored call with its transcript and verdicts in one transaction.
    pub fn save_scored(
        &mut self,
        call: &CallRecord,
        facts: &AudioFacts,
        transcript: TranscriptRef<'_>,
        score_run: i64,
        score: &CallScore,
    ) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let transcript_id = match transcript {
            TranscriptRef::Stored(id) => id,
            TranscriptRef::New {
                key,
                model_name,
                facts,
                segments,
                quality,
            } => insert_transcript(&tx, key, model_name, facts, segments, quality).map_err(sql)?,
        };
        let call_id = upsert_call(
            &tx,
            call,
            CallStatus::Scored,
            None,
            Some(facts),
            Some(transcript_id),
        )
        .map_err(sql)?;
        insert_score(&tx, call_id, score_run, transcript_id, score).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(call_id)
    }

    /// Stores a call that could not be processed, with the error a user should read.
    pub fn save_failed(&mut self, call: &CallRecord, error: &str) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let id =
            upsert_call(&tx, call, CallStatus::Failed, Some(error), None, None).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(id)
    }
}

fn name_id(tx: &Transaction<'_>, table: &str, name: &str) -> rusqlite::Result<Option<i64>> {
    if name.is_empty() {
        return Ok(None);
    }
    let column = if table == "scenarios" { "key" } else { "name" };
    tx.execute(
        &format!("INSERT INTO {table} ({column}) VALUES (?1) ON CONFLICT DO NOTHING"),
        [name],
    )?;
    tx.query_row(
        &format!("SELECT id FROM {table} WHERE {column} = ?1"),
        [name],
        |r| r.get(0),
    )
    .map(Some)
}

fn campaign_id(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO campaigns (name, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![name, now()],
    )?;
    tx.query_row("SELECT id FROM campaigns WHERE name = ?1", [name], |r| {
        r.get(0)
    })
}

fn upsert_call(
    tx: &Transaction<'_>,
    call: &CallRecord,
    status: CallStatus,
    error: Option<&str>,
    facts: Option<&AudioFacts>,
    transcript_id: Option<i64>,
) -> rusqlite::Result<i64> {
    let campaign = campaign_id(tx, &call.key.campaign)?;
    let staff = name_id(tx, "staff", &call.staff)?;
    let unit = name_id(tx, "units", &call.unit)?;
    let scenario = name_id(tx, "scenarios", &call.scenario)?;
    let facts = facts.map(|f| serde_json::to_string(f).expect("audio facts serialise"));
    tx.query_row(
        "INSERT INTO calls (campaign_id, file, path, sha256, staff_id, unit_id, scenario_id, called_at,
                            staff_channel, status, error, audio_facts, transcript_id, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (campaign_id, file) DO UPDATE SET
            path = excluded.path, sha256 = excluded.sha256, staff_id = excluded.staff_id,
            unit_id = excluded.unit_id, scenario_id = excluded.scenario_id,
            called_at = excluded.called_at, staff_channel = excluded.staff_channel,
            status = excluded.status, error = excluded.error,
            audio_facts = COALESCE(excluded.audio_facts, calls.audio_facts),
            transcript_id = COALESCE(excluded.transcript_id, calls.transcript_id),
            updated_at = excluded.updated_at
         RETURNING id",
        params![
            campaign,
            call.key.file,
            call.path,
            call.sha256,
            staff,
            unit,
            scenario,
            call.called_at,
            call.staff_channel,
            status.as_str(),
            error,
            facts,
            transcript_id,
            now()
        ],
        |r| r.get(0),
    )
}

pub(super) fn insert_score(
    tx: &Transaction<'_>,
    call_id: i64,
    score_run: i64,
    transcript_id: i64,
    score: &CallScore,
) -> rusqlite::Result<()> {
    // Replacing the whole score keeps one verdict set per (call, rubric version).
    tx.execute(
        "DELETE FROM call_scores WHERE call_id = ?1 AND score_run_id = ?2",
        params![call_id, score_run],
    )?;
    let score_id: i64 = tx.query_row(
        "INSERT INTO call_scores (call_id, score_run_id, transcript_id, score, max, grade, created_at,
                                  speakers)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![
            call_id,
            score_run,
            transcript_id,
            score.score,
            score.max,
            score.grade,
            now(),
            (!score.speakers.is_empty())
                .then(|| serde_json::to_string(&score.speakers).expect("speakers serialise"))
        ],
        |r| r.get(0),
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO criterion_results (call_score_id, idx, criterion_id, title, category, passed,
                                        applicable, points, max, reason, evidence, confidence,
                                        needs_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, c) in score.criteria.iter().enumerate() {
        insert.execute(params![
            score_id,
            i as i64,
            c.id,
            c.title,
            c.category,
            c.verdict.passed(),
            c.verdict.applicable(),
            c.points,
            c.max,
            c.reason,
            serde_json::to_string(&c.evidence).expect("evidence serialises"),
            c.confidence,
            c.needs_review,
        ])?;
    }
    Ok(())
}
