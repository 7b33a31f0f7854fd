//! Rubric versions ("score runs"): the exact text of every rubric that scored a call, kept so
//! that any score can be explained and reproduced later.

use super::{Store, StoreError};
use crate::score::{Rubric, ScoreFileError};
use rusqlite::OptionalExtension;

/// A rubric version that scored calls.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRunView {
    pub id: i64,
    pub rubric_id: String,
    pub sha256: String,
    pub title: String,
    pub toml: String,
}

/// Maps a row of `SELECT r.id, r.rubric_id, r.rubric_sha256, r.rubric_title, r.rubric_toml`.
pub(super) fn score_run_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScoreRunView> {
    Ok(ScoreRunView {
        id: r.get(0)?,
        rubric_id: r.get(1)?,
        sha256: r.get(2)?,
        title: r.get(3)?,
        toml: r.get(4)?,
    })
}

impl ScoreRunView {
    /// The rubric version as it was when it scored. Every reader parses stored rubric text
    /// here, and a version that no longer parses is an error everywhere, never skipped.
    pub fn rubric(&self) -> Result<Rubric, ScoreFileError> {
        Rubric::parse(&self.toml, &format!("stored rubric {}", self.rubric_id))
    }
}

impl Store {
    pub(super) fn score_run_by_id(&self, run: i64) -> Result<Option<ScoreRunView>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, rubric_id, rubric_sha256, rubric_title, rubric_toml
                 FROM score_runs WHERE id = ?1",
                [run],
                score_run_view,
            )
            .optional()
            .map_err(|e| self.sql_err(e))
    }

    /// [`ScoreRunView::rubric`], as a store error naming the database.
    pub fn stored_rubric(&self, run: &ScoreRunView) -> Result<Rubric, StoreError> {
        run.rubric().map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            what: format!(
                "the stored text of rubric {} does not parse: {e}",
                run.rubric_id
            ),
        })
    }
}
