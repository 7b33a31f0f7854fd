//! The transcript cache: Whisper is the slow stage, so a transcript is stored once per
//! (audio, model, settings) and every rerun or re-score reuses it.

use super::{Store, StoreError, now};
use crate::audio::{AudioFacts, Speaker};
use crate::transcribe::Segment;
use rusqlite::{OptionalExtension, Transaction, params};

/// What makes two transcripts interchangeable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TranscriptKey {
    pub audio_sha256: String,
    pub model_sha256: String,
    /// Fingerprint of every audio and transcription setting that changes the output.
    pub settings: String,
    pub language: String,
    pub staff_channel: String,
}

/// A stored transcript with the audio facts measured alongside it.
#[derive(Debug, Clone)]
pub struct CachedTranscript {
    pub id: i64,
    pub facts: AudioFacts,
    pub segments: Vec<Segment>,
    pub quality: serde_json::Value,
}

impl Store {
    /// The stored transcript for `key`, if Whisper already ran on this audio with these settings.
    pub fn cached_transcript(
        &self,
        key: &TranscriptKey,
    ) -> Result<Option<CachedTranscript>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, audio_facts, quality FROM transcripts
                 WHERE audio_sha256 = ?1 AND model_sha256 = ?2 AND settings = ?3
                   AND language = ?4 AND staff_channel = ?5",
                params![
                    key.audio_sha256,
                    key.model_sha256,
                    key.settings,
                    key.language,
                    key.staff_channel
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let Some((id, facts, quality)) = row else {
            return Ok(None);
        };
        Ok(Some(CachedTranscript {
            id,
            facts: self.parse_json(&facts, "audio facts")?,
            segments: self.segments(id)?,
            quality: match quality {
                Some(q) => self.parse_json(&q, "transcript quality")?,
                None => serde_json::Value::Null,
            },
        }))
    }

    /// The segments of a stored transcript, in time order.
    pub fn segments(&self, transcript_id: i64) -> Result<Vec<Segment>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT speaker, start, end, text, invented, tokens FROM segments
                 WHERE transcript_id = ?1 ORDER BY idx",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([transcript_id], |r| {
                Ok((
                    Segment {
                        speaker: parse_speaker(&r.get::<_, String>(0)?),
                        start: r.get(1)?,
                        end: r.get(2)?,
                        text: r.get(3)?,
                        invented: r.get(4)?,
                        tokens: Vec::new(),
                    },
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        rows.into_iter()
            .map(|(mut seg, tokens)| {
                if let Some(t) = tokens {
                    seg.tokens = self.parse_json(&t, "segment tokens")?;
                }
                Ok(seg)
            })
            .collect()
    }

    pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
        &self,
        text: &str,
        what: &str,
    ) -> Result<T, StoreError> {
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!("{what}: {e}"),
        })
    }
}

pub(super) fn insert_transcript(
    tx: &Transaction<'_>,
    key: &TranscriptKey,
    model_name: &str,
    facts: &AudioFacts,
    segments: &[Segment],
    quality: &serde_json::Value,
) -> rusqlite::Result<i64> {
    // Two workers can transcribe the same audio (a file listed twice); the first one stored wins.
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM transcripts WHERE audio_sha256 = ?1 AND model_sha256 = ?2
             AND settings = ?3 AND language = ?4 AND staff_channel = ?5",
            params![
                key.audio_sha256,
                key.model_sha256,
                key.settings,
                key.language,
                key.staff_channel
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id: i64 = tx.query_row(
        "INSERT INTO transcripts (audio_sha256, model_sha256, settings, model_name, language,
                                  staff_channel, audio_facts, quality, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        params![
            key.audio_sha256,
            key.model_sha256,
            key.settings,
            model_name,
            key.language,
            key.staff_channel,
            serde_json::to_string(facts).expect("audio facts serialise"),
            quality.to_string(),
            now()
        ],
        |r| r.get(0),
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO segments (transcript_id, idx, speaker, start, end, text, invented, tokens)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, s) in segments.iter().enumerate() {
        insert.execute(params![
            id,
            i as i64,
            s.speaker.as_str(),
            s.start,
            s.end,
            s.text,
            s.invented,
            (!s.tokens.is_empty())
                .then(|| serde_json::to_string(&s.tokens).expect("tokens serialise"))
        ])?;
    }
    Ok(id)
}

pub(super) fn parse_speaker(s: &str) -> Speaker {
    match s {
        "staff" => Speaker::Staff,
        "caller" => Speaker::Caller,
        _ => Speaker::Unknown,
    }
}
