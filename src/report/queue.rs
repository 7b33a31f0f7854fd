//! A campaign's calls as the review app lists them, and the review queue: calls ordered by how
//! likely their automatic result is wrong, so a supervisor with ten minutes checks the
//! doubtful ones first.
//!
//! The signals: a flagged transcript (the speech finder was unsure, or Whisper
//! looped or invented much of the text: every verdict then rests on doubtful text), verdicts
//! marked `needs_review` and the lowest confidence of the call, a score below the pass mark
//! (a wrong fail costs the person most), and never having been reviewed (reviewed calls go to
//! the end, whatever their doubt).

use super::{ReportError, campaign_run, status_word};
use crate::score::Total;
use crate::store::{ScoreRunView, Store};
use std::collections::{HashMap, HashSet};

/// One call in the calls table and the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSummary {
    pub id: i64,
    pub file: String,
    pub staff: String,
    pub unit: String,
    pub called_at: String,
    /// `scored`, `failed` or `pending`, as exports say it ([`super::call_status`]).
    pub status: &'static str,
    pub error: Option<String>,
    /// Overrides applied.
    pub score: Option<Total>,
    pub below_pass: bool,
    /// Verdicts marked for review (overridden ones are not: a supervisor has looked).
    pub needs_review: usize,
    /// The least sure verdict's confidence (`None`: no verdict carries one).
    pub min_confidence: Option<f64>,
    pub speech_finder_unsure: bool,
    pub transcript_bad: bool,
    /// Overrides standing on the call.
    pub overrides: usize,
    pub reviewed: bool,
}

impl CallSummary {
    /// Whether the transcript itself is in doubt.
    pub fn flagged(&self) -> bool {
        self.speech_finder_unsure || self.transcript_bad
    }

    /// How likely the automatic result is wrong, for ordering only (not a probability): a
    /// flagged transcript outweighs any single verdict, each doubtful verdict adds one, the
    /// lowest confidence breaks ties between calls with as many, and a fail adds half.
    pub fn doubt(&self) -> f64 {
        f64::from(u8::from(self.flagged())) * 2.0
            + self.needs_review as f64
            + (1.0 - self.min_confidence.unwrap_or(1.0)).clamp(0.0, 1.0)
            + if self.below_pass { 0.5 } else { 0.0 }
    }
}

/// A campaign's calls under the rubric version its reports use.
#[derive(Debug, Clone)]
pub struct CampaignCalls {
    pub campaign: String,
    pub rubric: Option<ScoreRunView>,
    pub pass_mark: Option<f64>,
    /// Grade names, highest first (the rubric's bands).
    pub grades: Vec<String>,
    /// In called_at, file order.
    pub calls: Vec<CallSummary>,
}

impl CampaignCalls {
    /// Scored calls' mean score (`None` without any).
    pub fn mean(&self) -> Option<f64> {
        let scores: Vec<f64> = self
            .calls
            .iter()
            .filter_map(|c| c.score.as_ref().map(|s| s.score))
            .collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    }
}

/// Loads `campaign` under its newest score run (what `export` uses), overrides applied;
/// `reviewed` holds the ids of calls a supervisor marked reviewed.
pub fn campaign_calls(
    store: &Store,
    campaign: &str,
    reviewed: &HashSet<i64>,
) -> Result<CampaignCalls, ReportError> {
    let rubric = campaign_run(store, campaign, None)?;
    let form = rubric
        .as_ref()
        .map(|r| store.stored_rubric(r))
        .transpose()?;
    let pass_mark = form.as_ref().map(|f| f.pass_mark());
    let mut scored: HashMap<i64, _> = match &rubric {
        Some(r) => store
            .scored_calls(campaign, r.id)?
            .into_iter()
            .map(|c| (c.call_id, c))
            .collect(),
        None => HashMap::new(),
    };
    let calls = store
        .call_list(campaign)?
        .into_iter()
        .map(|row| {
            let scored = scored.remove(&row.id);
            let criteria = scored.as_ref().map_or(&[][..], |s| &s.criteria[..]);
            let score = scored.as_ref().map(|s| s.total.clone());
            CallSummary {
                status: status_word(score.is_some(), &row.status),
                below_pass: score
                    .as_ref()
                    .zip(pass_mark)
                    .is_some_and(|(s, m)| s.score + 1e-9 < m),
                needs_review: criteria.iter().filter(|k| k.needs_review).count(),
                min_confidence: criteria
                    .iter()
                    .filter_map(|k| k.confidence)
                    .min_by(f64::total_cmp),
                reviewed: reviewed.contains(&row.id),
                id: row.id,
                file: row.file,
                staff: row.staff,
                unit: row.unit,
                called_at: row.called_at,
                error: row.error,
                score,
                speech_finder_unsure: row.speech_finder_unsure,
                transcript_bad: row.transcript_bad,
                overrides: row.overrides,
            }
        })
        .collect();
    Ok(CampaignCalls {
        campaign: campaign.to_string(),
        grades: form
            .map(|f| f.grades.iter().map(|g| g.name.clone()).collect())
            .unwrap_or_default(),
        rubric,
        pass_mark,
        calls,
    })
}

/// The review queue: scored calls never reviewed, most doubtful first, then the reviewed ones
/// the same way. Calls without a score have no automatic result to check and are left out.
pub fn review_queue(calls: &[CallSummary]) -> Vec<&CallSummary> {
    let mut queue: Vec<&CallSummary> = calls.iter().filter(|c| c.score.is_some()).collect();
    queue.sort_by(|a, b| {
        a.reviewed
            .cmp(&b.reviewed)
            .then(b.doubt().total_cmp(&a.doubt()))
            .then_with(|| (&a.called_at, &a.file).cmp(&(&b.called_at, &b.file)))
    });
    queue
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: i64, needs_review: usize, min: Option<f64>) -> CallSummary {
        CallSummary {
            id,
            file: format!("call{id}.wav"),
            staff: String::new(),
            unit: String::new(),
            called_at: String::new(),
            status: "scored",
            error: None,
            score: Some(Total {
                score: 90.0,
                max: 100.0,
                grade: "A".into(),
            }),
            below_pass: false,
            needs_review,
            min_confidence: min,
            speech_finder_unsure: false,
            transcript_bad: false,
            overrides: 0,
            reviewed: false,
        }
    }

    #[test]
    fn the_queue_puts_flagged_then_doubtful_then_failed_first_and_reviewed_last() {
        let sure = call(1, 0, Some(0.95));
        let mut failing = call(2, 0, Some(0.95));
        failing.below_pass = true;
        let two_doubts = call(3, 2, Some(0.5));
        let one_doubt = call(4, 1, Some(0.3));
        let mut flagged = call(5, 0, Some(0.9));
        flagged.speech_finder_unsure = true;
        let mut reviewed = call(6, 3, Some(0.1));
        reviewed.reviewed = true;
        let mut unscored = call(7, 0, None);
        unscored.score = None;
        let calls = [
            sure, failing, two_doubts, one_doubt, flagged, reviewed, unscored,
        ];
        let order: Vec<i64> = review_queue(&calls).iter().map(|c| c.id).collect();
        assert_eq!(order, [3, 5, 4, 2, 1, 6]);
    }
}
