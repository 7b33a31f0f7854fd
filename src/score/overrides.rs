//! Supervisors' overrides applied to verdicts. A pure function, like scoring itself, so that
//! every front end (reports, exports, the review app) totals an overridden call the same way,
//! and exactly as scoring totals a call.

use super::{CriterionResult, Rubric, Total, Verdict, grade_for, scaled_total};
use serde::{Deserialize, Serialize};

/// A reviewer's verdict that stands on one criterion of one call (the latest not withdrawn).
#[derive(Debug, Clone, PartialEq)]
pub struct StandingOverride {
    /// The override's row id (as `callgrade review --list` shows it).
    pub id: i64,
    pub criterion_id: String,
    pub passed: bool,
    /// `false`: the reviewer judged that the criterion did not apply to this call.
    pub applicable: bool,
    /// `None`: full points when passed or not applicable, 0 when failed. Clamped to 0..=max.
    pub points: Option<f64>,
    pub reason: String,
    pub by: String,
    /// When it was made, UTC (`2026-11-26T08:40:00Z`).
    pub at: String,
}

/// An override in effect on a verdict, with what the automatic scoring had said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedOverride {
    pub id: i64,
    pub by: String,
    pub at: String,
    pub reason: String,
    pub original_passed: bool,
    pub original_applicable: bool,
    pub original_points: f64,
    pub original_reason: String,
}

impl AppliedOverride {
    /// What scoring had decided before the reviewer stepped in.
    pub fn original_verdict(&self) -> Verdict {
        Verdict::from_flags(self.original_passed, self.original_applicable)
    }

    /// `failed 0/4: no greeting heard`.
    pub fn automatic_verdict(&self, max: f64) -> String {
        format!(
            "{} {}/{}: {}",
            self.original_verdict().label(),
            self.original_points,
            max,
            self.original_reason
        )
    }
}

/// Replaces the overridden verdicts in `criteria` and returns the call's new total when any
/// changed (`None`: nothing applied, the stored total stands).
pub fn apply_overrides(
    rubric: &Rubric,
    criteria: &mut [CriterionResult],
    standing: &[StandingOverride],
) -> Option<Total> {
    let mut changed = false;
    for c in criteria.iter_mut() {
        // The latest standing override of a criterion wins.
        let Some(o) = standing.iter().rev().find(|o| o.criterion_id == c.id) else {
            continue;
        };
        let applied = AppliedOverride {
            id: o.id,
            by: o.by.clone(),
            at: o.at.clone(),
            reason: o.reason.clone(),
            original_passed: c.verdict.passed(),
            original_applicable: c.verdict.applicable(),
            original_points: c.points,
            original_reason: c.reason.clone(),
        };
        c.reason = format!(
            "supervisor override: {} (automatic verdict: {})",
            o.reason,
            applied.automatic_verdict(c.max)
        );
        c.verdict = Verdict::from_flags(o.passed || !o.applicable, o.applicable);
        // Not applicable earns full points, as scoring gives them.
        c.points = o
            .points
            .unwrap_or(if c.verdict.passed() { c.max } else { 0.0 })
            .clamp(0.0, c.max.max(0.0));
        c.overridden = Some(applied);
        // A supervisor has looked: the verdict is certain and needs no further review.
        c.confidence = Some(1.0);
        c.needs_review = false;
        changed = true;
    }
    changed.then(|| {
        let (score, max) = scaled_total(rubric, criteria.iter().map(|c| c.points).sum());
        Total {
            score,
            max,
            grade: grade_for(rubric, score),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::score::TWO_CRITERIA_RUBRIC as RUBRIC;

    fn verdict(id: &str, verdict: Verdict, points: f64, max: f64) -> CriterionResult {
        CriterionResult {
            id: id.into(),
            title: id.into(),
            category: "c".into(),
            verdict,
            points,
            max,
            evidence: Vec::new(),
            reason: "automatic".into(),
            confidence: Some(0.4),
            needs_review: true,
            overridden: None,
        }
    }

    fn standing(id: i64, criterion: &str, passed: bool) -> StandingOverride {
        StandingOverride {
            id,
            criterion_id: criterion.into(),
            passed,
            applicable: true,
            points: None,
            reason: format!("review {id}"),
            by: "王督導".into(),
            at: "2026-11-29T10:00:00Z".into(),
        }
    }

    #[test]
    fn the_latest_override_wins_and_the_call_is_totalled_as_scoring_does() {
        let rubric = Rubric::parse(RUBRIC, "t.toml").unwrap();
        let mut criteria = vec![
            verdict("pickup", Verdict::Failed, 0.0, 3.0),
            verdict("greeting", Verdict::Passed, 1.0, 1.0),
        ];
        let total = apply_overrides(
            &rubric,
            &mut criteria,
            &[standing(1, "pickup", false), standing(2, "pickup", true)],
        )
        .unwrap();
        assert_eq!(total.score, 100.0);
        assert_eq!(total.grade, "Good");
        assert_eq!(criteria[0].verdict, Verdict::Passed);
        assert_eq!(criteria[0].points, 3.0);
        let o = criteria[0].overridden.as_ref().unwrap();
        assert_eq!((o.id, o.original_verdict()), (2, Verdict::Failed));
        assert!(
            criteria[0].reason.contains("review 2"),
            "{}",
            criteria[0].reason
        );
        assert!(criteria[0].reason.contains("failed 0/3: automatic"));
        // A supervisor's verdict is certain; the others keep their doubt.
        assert_eq!(
            (criteria[0].confidence, criteria[0].needs_review),
            (Some(1.0), false)
        );
        assert!(criteria[1].overridden.is_none());
        assert_eq!(
            (criteria[1].confidence, criteria[1].needs_review),
            (Some(0.4), true)
        );
    }

    #[test]
    fn a_not_applicable_override_earns_full_points_as_scoring_gives_them() {
        let rubric = Rubric::parse(RUBRIC, "t.toml").unwrap();
        let mut criteria = vec![
            verdict("pickup", Verdict::Failed, 0.0, 3.0),
            verdict("greeting", Verdict::Failed, 0.0, 1.0),
        ];
        let mut na = standing(1, "pickup", false);
        na.applicable = false;
        let total = apply_overrides(&rubric, &mut criteria, &[na]).unwrap();
        assert_eq!(criteria[0].verdict, Verdict::NotApplicable);
        assert_eq!(criteria[0].points, 3.0);
        assert_eq!(total.score, 75.0);
    }

    #[test]
    fn no_standing_override_leaves_the_stored_total() {
        let rubric = Rubric::parse(RUBRIC, "t.toml").unwrap();
        let mut criteria = vec![verdict("pickup", Verdict::NotApplicable, 3.0, 3.0)];
        assert!(apply_overrides(&rubric, &mut criteria, &[standing(1, "other", false)]).is_none());
        assert_eq!(criteria[0].verdict, Verdict::NotApplicable);
    }
}
