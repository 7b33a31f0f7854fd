//! The light rows the review pages list a campaign's calls by: who, when, status and the
//! flags that say a transcript may be wrong, without transcripts or verdicts (those come from
//! [`Store::scored_calls`], overrides applied), so a campaign of a thousand calls lists fast.

use super::{Store, StoreError};
use crate::transcribe::Quality;
use rusqlite::OptionalExtension;

/// One call of a campaign as the calls table and the review queue see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallListRow {
    pub id: i64,
    pub file: String,
    pub staff: String,
    pub unit: String,
    pub called_at: String,
    /// `pending`, `scored` or `failed` (the recording could not be processed).
    pub status: String,
    pub error: Option<String>,
    /// The speech finder missed sound on a side, so that side was transcribed whole.
    pub speech_finder_unsure: bool,
    /// Whisper looped or invented much of the text ([`Quality::is_bad`]).
    pub transcript_bad: bool,
    /// Overrides standing on the call (any rubric).
    pub overrides: usize,
}

impl Store {
    /// Every call of `campaign`, ordered by called_at then file (as the exports order them).
    pub fn call_list(&self, campaign: &str) -> Result<Vec<CallListRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.id, c.file, COALESCE(st.name, ''), COALESCE(u.name, ''),
                        COALESCE(c.called_at, ''), c.status, c.error,
                        COALESCE(json_array_length(c.audio_facts, '$.whole_side'), 0), t.quality,
                        (SELECT COUNT(*) FROM overrides o
                         WHERE o.call_id = c.id AND o.withdrawn_at IS NULL)
                 FROM calls c
                 JOIN campaigns k ON k.id = c.campaign_id
                 LEFT JOIN staff st ON st.id = c.staff_id
                 LEFT JOIN units u ON u.id = c.unit_id
                 LEFT JOIN transcripts t ON t.id = c.transcript_id
                 WHERE k.name = ?1
                 ORDER BY c.called_at, c.file",
            )
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([campaign], |r| {
                Ok((
                    CallListRow {
                        id: r.get(0)?,
                        file: r.get(1)?,
                        staff: r.get(2)?,
                        unit: r.get(3)?,
                        called_at: r.get(4)?,
                        status: r.get(5)?,
                        error: r.get(6)?,
                        speech_finder_unsure: r.get::<_, i64>(7)? > 0,
                        transcript_bad: false,
                        overrides: r.get::<_, i64>(9)? as usize,
                    },
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        rows.into_iter()
            .map(|(mut row, quality)| {
                if let Some(q) = quality.filter(|q| q != "null") {
                    row.transcript_bad = self
                        .parse_json::<Quality>(&q, "transcript quality")?
                        .is_bad();
                }
                Ok(row)
            })
            .collect()
    }

    /// The campaign and the recording's path as the run stored them, for serving the audio
    /// of a call by its id; `None` when no call has this id.
    pub fn call_recording(&self, call_id: i64) -> Result<Option<(String, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT k.name, c.path FROM calls c JOIN campaigns k ON k.id = c.campaign_id
                 WHERE c.id = ?1",
                [call_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_err(e))
    }

    /// Whether a call with this id exists (a missing one is a 404 to the review pages).
    pub fn call_exists(&self, call_id: i64) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT 1 FROM calls WHERE id = ?1", [call_id], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.sql_err(e))
    }
}
