//! Supervisors' overrides of single verdicts, and the effective scores they produce.
//!
//! An override belongs to (call, rubric id, criterion id), not to a stored score, so it survives
//! `callgrade score` with a new version of the rubric and `run --force`. Rows are never deleted:
//! undo marks the latest one withdrawn, so who changed what, when and why stays on record.
//! The store hands the standing overrides to [`crate::score::apply_overrides`] wherever it
//! hands out verdicts (`campaign_calls`, `scored_calls`, `call_detail`), so every report and
//! export sees the same effective scores.

use super::runs::ScoreRunView;
use super::{Store, StoreError, now};
use crate::score::{CriterionResult, Rubric, StandingOverride, Total, Verdict, apply_overrides};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::cell::OnceCell;
use std::collections::HashMap;

/// One stored override, as the audit trail lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub id: i64,
    pub call_id: i64,
    pub rubric_id: String,
    pub criterion_id: String,
    pub passed: bool,
    /// `false`: the reviewer judged that the criterion did not apply.
    pub applicable: bool,
    /// Points as the reviewer gave them; `None` means full points when passed or not
    /// applicable, 0 when failed.
    pub points: Option<f64>,
    pub reason: String,
    pub by: String,
    /// When it was made, UTC (`2026-11-26T08:40:00Z`).
    pub at: String,
    /// When and by whom it was undone; `None` while it stands.
    pub withdrawn_at: Option<String>,
    pub withdrawn_by: Option<String>,
}

/// What a reviewer decided about one criterion of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOverride {
    pub call_id: i64,
    pub rubric_id: String,
    pub criterion_id: String,
    pub passed: bool,
    /// `false`: the criterion did not apply to this call (full points, as scoring gives).
    pub applicable: bool,
    /// `None`: full points when passed or not applicable, 0 when failed. Clamped to 0..=max
    /// when applied.
    pub points: Option<f64>,
    pub reason: String,
    pub by: String,
}

/// Why an override could not be stored or undone; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "a reason is required: say why the verdict is wrong (e.g. --reason \"Whisper misheard the greeting; at 0:03 she says good morning\"). It is kept with the override for the audit trail."
    )]
    NoReason,
    #[error("a reviewer name is required (--by NAME): it is kept with the override.")]
    NoReviewer,
    #[error("--points {0}: give a number of points (0 up to the criterion's maximum).")]
    BadPoints(f64),
    #[error(
        "{db}: there is no call with id {call_id}. `callgrade report call FILE` shows a call and its id."
    )]
    NoCall { db: String, call_id: i64 },
    #[error(
        "{db}: call {file} has no current score under rubric `{rubric}` (scored with: {known}). Score it first (`callgrade score --campaign …`) or pick another rubric."
    )]
    NotScored {
        db: String,
        file: String,
        rubric: String,
        known: String,
    },
    #[error("rubric `{rubric}` has no criterion `{criterion}`. Its criteria are: {known}.")]
    UnknownCriterion {
        rubric: String,
        criterion: String,
        known: String,
    },
    #[error(
        "{db}: call {file} has no override of `{criterion}` under rubric `{rubric}` to undo. `callgrade review {file} --list` shows its overrides."
    )]
    NothingToUndo {
        db: String,
        file: String,
        rubric: String,
        criterion: String,
    },
}

impl OverrideError {
    /// `criterion` is not in `rubric` (id `rubric_id`); the message lists the ones that are.
    pub(crate) fn unknown_criterion(rubric_id: &str, criterion: &str, rubric: &Rubric) -> Self {
        OverrideError::UnknownCriterion {
            rubric: rubric_id.into(),
            criterion: criterion.into(),
            known: rubric
                .criteria
                .iter()
                .map(|c| format!("{} ({})", c.id, c.title))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl Store {
    /// Stores a reviewer's verdict on one criterion after checking that the call is scored
    /// under `rubric_id` and that the rubric's newest version scoring it has that criterion.
    pub fn add_override(&mut self, new: &NewOverride) -> Result<Override, OverrideError> {
        let reason = new.reason.trim();
        if reason.is_empty() {
            return Err(OverrideError::NoReason);
        }
        let by = new.by.trim();
        if by.is_empty() {
            return Err(OverrideError::NoReviewer);
        }
        if let Some(p) = new.points
            && !p.is_finite()
        {
            return Err(OverrideError::BadPoints(p));
        }
        let run = self.current_run(new.call_id, &new.rubric_id)?;
        let rubric = self.stored_rubric(&run)?;
        if !rubric.criteria.iter().any(|c| c.id == new.criterion_id) {
            return Err(OverrideError::unknown_criterion(
                &new.rubric_id,
                &new.criterion_id,
                &rubric,
            ));
        }
        self.conn
            .execute(
                "INSERT INTO overrides (call_id, rubric_id, criterion_id, passed, points, reason,
                                        reviewer, created_at, applicable)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    new.call_id,
                    new.rubric_id,
                    new.criterion_id,
                    new.passed || !new.applicable,
                    new.points,
                    reason,
                    by,
                    now(),
                    new.applicable
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        let id = self.conn.last_insert_rowid();
        Ok(self.override_by_id(id)?)
    }

    /// Withdraws the latest standing override of a criterion (undo); the row stays, marked
    /// withdrawn by `by`, and the override before it (if any) is in effect again.
    pub fn withdraw_override(
        &mut self,
        call_id: i64,
        rubric_id: &str,
        criterion_id: &str,
        by: &str,
    ) -> Result<Override, OverrideError> {
        let latest: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM overrides
                 WHERE call_id = ?1 AND rubric_id = ?2 AND criterion_id = ?3
                   AND withdrawn_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                params![call_id, rubric_id, criterion_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql_err(e))?;
        let Some(id) = latest else {
            return Err(OverrideError::NothingToUndo {
                db: self.path.display().to_string(),
                file: self.call_file(call_id)?,
                rubric: rubric_id.to_string(),
                criterion: criterion_id.to_string(),
            });
        };
        let by = by.trim();
        if by.is_empty() {
            return Err(OverrideError::NoReviewer);
        }
        self.conn
            .execute(
                "UPDATE overrides SET withdrawn_at = ?2, withdrawn_by = ?3 WHERE id = ?1",
                params![id, now(), by],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.override_by_id(id)?)
    }

    /// Every override ever made on a call (withdrawn ones included), oldest first.
    pub fn call_overrides(&self, call_id: i64) -> Result<Vec<Override>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{} WHERE call_id = ?1 ORDER BY id",
                self.select_override()?
            ))
            .map_err(|e| self.sql_err(e))?;
        stmt.query_map([call_id], override_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_err(e))
    }

    fn override_by_id(&self, id: i64) -> Result<Override, StoreError> {
        self.conn
            .query_row(
                &format!("{} WHERE id = ?1", self.select_override()?),
                [id],
                override_row,
            )
            .map_err(|e| self.sql_err(e))
    }

    pub(super) fn call_file(&self, call_id: i64) -> Result<String, OverrideError> {
        self.conn
            .query_row("SELECT file FROM calls WHERE id = ?1", [call_id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql_err(e))?
            .ok_or_else(|| OverrideError::NoCall {
                db: self.path.display().to_string(),
                call_id,
            })
    }

    /// The newest score run of `rubric_id` that currently scores the call.
    pub(super) fn current_run(
        &self,
        call_id: i64,
        rubric_id: &str,
    ) -> Result<ScoreRunView, OverrideError> {
        let file = self.call_file(call_id)?;
        let runs = self.call_score_runs(call_id)?;
        if let Some(run) = runs.iter().find(|r| r.rubric_id == rubric_id) {
            return Ok(run.clone());
        }
        let mut known: Vec<&str> = runs.iter().map(|r| r.rubric_id.as_str()).collect();
        known.dedup();
        Err(OverrideError::NotScored {
            db: self.path.display().to_string(),
            file,
            rubric: rubric_id.to_string(),
            known: if known.is_empty() {
                "nothing".into()
            } else {
                known.join(", ")
            },
        })
    }

    /// The standing overrides that apply to verdicts of score run `run` (its rubric id), for
    /// one call or (with `None`) every call.
    pub(super) fn effective_overrides(
        &self,
        run: i64,
        call_id: Option<i64>,
    ) -> Result<Effective, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT o.id, o.call_id, o.criterion_id, o.passed, o.points, o.reason,
                        o.reviewer, o.created_at, {}
                 FROM overrides o JOIN score_runs r ON r.rubric_id = o.rubric_id
                 WHERE r.id = ?1 AND o.withdrawn_at IS NULL AND (?2 IS NULL OR o.call_id = ?2)
                 ORDER BY o.id",
                self.applicable_column()?
            ))
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map(params![run, call_id], |r| {
                Ok((
                    r.get::<_, i64>(1)?,
                    StandingOverride {
                        id: r.get(0)?,
                        criterion_id: r.get(2)?,
                        passed: r.get(3)?,
                        applicable: r.get(8)?,
                        points: r.get(4)?,
                        reason: r.get(5)?,
                        by: r.get(6)?,
                        at: utc(r.get(7)?),
                    },
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql_err(e))?;
        let mut by_call: HashMap<i64, Vec<StandingOverride>> = HashMap::new();
        for (call, o) in rows {
            by_call.entry(call).or_default().push(o);
        }
        Ok(Effective {
            run,
            by_call,
            rubric: OnceCell::new(),
        })
    }
}

/// Standing overrides for one score run, applied call by call; the run's rubric is parsed only
/// when a call actually has an override.
pub(super) struct Effective {
    run: i64,
    /// Per call, oldest first.
    by_call: HashMap<i64, Vec<StandingOverride>>,
    rubric: OnceCell<Rubric>,
}

impl Effective {
    /// Applies the call's standing overrides to `criteria` and `total`.
    pub(super) fn apply(
        &self,
        store: &Store,
        call_id: i64,
        total: &mut Total,
        criteria: &mut [CriterionResult],
    ) -> Result<(), StoreError> {
        let Some(standing) = self.by_call.get(&call_id) else {
            return Ok(());
        };
        let rubric = match self.rubric.get() {
            Some(r) => r,
            None => {
                let run = store
                    .score_run_by_id(self.run)?
                    .ok_or_else(|| StoreError::Corrupt {
                        path: store.path.clone(),
                        what: format!("score run {} is missing", self.run),
                    })?;
                let parsed = store.stored_rubric(&run)?;
                self.rubric.get_or_init(|| parsed)
            }
        };
        if let Some(new) = apply_overrides(rubric, criteria, standing) {
            *total = new;
        }
        Ok(())
    }
}

impl Override {
    /// The reviewer's verdict.
    pub fn verdict(&self) -> Verdict {
        Verdict::from_flags(self.passed, self.applicable)
    }
}

impl Store {
    /// `applicable`, or `1` in a database from before migration 7 read without upgrading
    /// (every override then was a judgement on a criterion that applied): reports keep
    /// reading archived databases as they are.
    fn applicable_column(&self) -> Result<&'static str, StoreError> {
        let has = super::schema::has_column(&self.conn, "overrides", "applicable")
            .map_err(|e| self.sql_err(e))?;
        Ok(if has { "applicable" } else { "1" })
    }

    fn select_override(&self) -> Result<String, StoreError> {
        Ok(format!(
            "SELECT id, call_id, rubric_id, criterion_id, passed, points, reason, reviewer,
                    created_at, withdrawn_at, withdrawn_by, {} FROM overrides",
            self.applicable_column()?
        ))
    }
}

fn override_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Override> {
    Ok(Override {
        id: r.get(0)?,
        call_id: r.get(1)?,
        rubric_id: r.get(2)?,
        criterion_id: r.get(3)?,
        passed: r.get(4)?,
        applicable: r.get(11)?,
        points: r.get(5)?,
        reason: r.get(6)?,
        by: r.get(7)?,
        at: utc(r.get(8)?),
        withdrawn_at: r.get::<_, Option<i64>>(9)?.map(utc),
        withdrawn_by: r.get(10)?,
    })
}

/// Seconds since the Unix epoch as a UTC timestamp, `2026-11-26T08:40:00Z`.
pub fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from a day count (proleptic Gregorian; eras of 400 years = 146097 days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_682_400), "2026-11-26T08:40:00Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
    }
}
