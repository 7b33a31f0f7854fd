//! Overrides from a page that may be stale: two supervisors can have the same call open. Each
//! page carries how many changes (overrides made and withdrawn) it saw on a criterion; a change
//! is stored only while that count still holds, checked and written in one write transaction,
//! so the second reviewer is told who changed the verdict instead of overwriting it silently.

use super::overrides::{NewOverride, Override, OverrideError};
use super::{Store, StoreError};

/// The latest change to one criterion's overrides: who made or withdrew one, and when (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct LastChange {
    pub by: String,
    pub at: String,
    pub withdrawn: bool,
}

/// How many changes a criterion's overrides have seen, and the latest one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriterionChanges {
    pub count: u32,
    pub last: Option<LastChange>,
}

/// Why a guarded change was not stored.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(transparent)]
    Override(#[from] OverrideError),
    /// Someone changed the criterion after the page was rendered.
    #[error(
        "{criterion} was changed by {by} at {at} after this page was opened; nothing was saved. Reload the call, look at the new verdict, then decide again."
    )]
    Stale {
        criterion: String,
        by: String,
        at: String,
    },
    /// The override to withdraw is not one of this call's.
    #[error("call {call_id} has no override #{override_id}.")]
    NoSuchOverride { call_id: i64, override_id: i64 },
}

impl From<StoreError> for GuardError {
    fn from(e: StoreError) -> Self {
        GuardError::Override(OverrideError::Store(e))
    }
}

impl CriterionChanges {
    /// The changes of each (rubric, criterion) from a call's override history.
    pub fn of(history: &[Override], rubric_id: &str, criterion_id: &str) -> CriterionChanges {
        let mut out = CriterionChanges::default();
        // Ids grow with time; a withdrawal is later than the making of the row it withdraws.
        let mut latest: Option<(&str, i64, bool)> = None;
        for o in history
            .iter()
            .filter(|o| o.rubric_id == rubric_id && o.criterion_id == criterion_id)
        {
            out.count += 1;
            let made = (o.at.as_str(), o.id, false);
            latest = latest.max(Some(made));
            if let Some(at) = &o.withdrawn_at {
                out.count += 1;
                latest = latest.max(Some((at.as_str(), o.id, true)));
            }
        }
        out.last = latest.and_then(|(at, id, withdrawn)| {
            let o = history.iter().find(|o| o.id == id)?;
            Some(LastChange {
                by: if withdrawn {
                    o.withdrawn_by.clone().unwrap_or_default()
                } else {
                    o.by.clone()
                },
                at: at.to_string(),
                withdrawn,
            })
        });
        out
    }
}

impl Store {
    /// Stores `new` unless the criterion's overrides changed since the page saw `seen` changes;
    /// `then` runs in the same transaction (the audit row), so both are stored or neither.
    pub fn add_override_unless_changed(
        &mut self,
        new: &NewOverride,
        seen: u32,
        then: impl FnOnce(&Store, &Override) -> Result<(), StoreError>,
    ) -> Result<Override, GuardError> {
        self.write_tx(|store| {
            store.check_unchanged(new.call_id, &new.rubric_id, &new.criterion_id, seen)?;
            let o = store.add_override(new)?;
            then(store, &o)?;
            Ok(o)
        })
    }

    /// Withdraws override `override_id` of call `call_id` (undo) unless its criterion changed
    /// since the page saw `seen` changes (the page offers undo only on the standing override);
    /// `then` runs in the same transaction.
    pub fn withdraw_override_unless_changed(
        &mut self,
        call_id: i64,
        override_id: i64,
        seen: u32,
        by: &str,
        then: impl FnOnce(&Store, &Override) -> Result<(), StoreError>,
    ) -> Result<Override, GuardError> {
        self.write_tx(|store| {
            let target = store
                .call_overrides(call_id)?
                .into_iter()
                .find(|o| o.id == override_id)
                .ok_or(GuardError::NoSuchOverride {
                    call_id,
                    override_id,
                })?;
            store.check_unchanged(call_id, &target.rubric_id, &target.criterion_id, seen)?;
            let o =
                store.withdraw_override(call_id, &target.rubric_id, &target.criterion_id, by)?;
            then(store, &o)?;
            Ok(o)
        })
    }

    fn check_unchanged(
        &self,
        call_id: i64,
        rubric_id: &str,
        criterion_id: &str,
        seen: u32,
    ) -> Result<(), GuardError> {
        let now = CriterionChanges::of(&self.call_overrides(call_id)?, rubric_id, criterion_id);
        if now.count == seen {
            return Ok(());
        }
        let last = now.last.unwrap_or(LastChange {
            by: "?".into(),
            at: "?".into(),
            withdrawn: false,
        });
        Err(GuardError::Stale {
            criterion: criterion_id.to_string(),
            by: last.by,
            at: last.at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(
        id: i64,
        criterion: &str,
        by: &str,
        at: &str,
        withdrawn: Option<(&str, &str)>,
    ) -> Override {
        Override {
            id,
            call_id: 1,
            rubric_id: "r".into(),
            criterion_id: criterion.into(),
            passed: false,
            applicable: true,
            points: None,
            reason: "x".into(),
            by: by.into(),
            at: at.into(),
            withdrawn_at: withdrawn.map(|w| w.1.to_string()),
            withdrawn_by: withdrawn.map(|w| w.0.to_string()),
        }
    }

    #[test]
    fn every_override_and_withdrawal_is_a_change_and_the_latest_names_who() {
        let history = [
            o(
                1,
                "pickup",
                "wang",
                "2026-12-03T08:00:00Z",
                Some(("lee", "2026-12-03T08:05:00Z")),
            ),
            o(2, "greeting", "chen", "2026-12-03T08:06:00Z", None),
            o(3, "pickup", "wang", "2026-12-03T08:04:00Z", None),
        ];
        let pickup = CriterionChanges::of(&history, "r", "pickup");
        assert_eq!(pickup.count, 3);
        let last = pickup.last.unwrap();
        assert_eq!((last.by.as_str(), last.withdrawn), ("lee", true));
        assert_eq!(
            CriterionChanges::of(&history, "r", "closing"),
            CriterionChanges::default()
        );
        assert_eq!(CriterionChanges::of(&history, "other", "pickup").count, 0);
    }
}
