//! Report stage: reads only the store, never transcribes. Builds the data behind exports and
//! terminal tables; the CLI decides how to print it.

pub mod calibration;
pub mod call;
pub mod csv;
pub mod deidentify;
pub mod export_history;
pub mod html;
pub mod json;
pub mod queue;
pub mod redact;
pub mod training;
pub mod trends;
pub mod xlsx;

use crate::audio::mmss;
use crate::score::{Evidence, Rubric};
use crate::store::{CallView, ScoreRunView, Store, StoreError};

/// Fails with a message listing the known campaigns when `campaign` is not in the database.
pub fn ensure_campaign(store: &Store, campaign: &str) -> Result<(), ReportError> {
    if store.campaign_exists(campaign)? {
        return Ok(());
    }
    let known = store.campaigns()?;
    Err(ReportError::NoCampaign {
        db: store.path().display().to_string(),
        campaign: campaign.into(),
        known: if known.is_empty() {
            "none yet".into()
        } else {
            known.join(", ")
        },
    })
}

/// Evidence quotes for one cell of a table or sheet: `[m:ss] text` per quote, joined by `sep`.
pub fn quotes(evidence: &[Evidence], sep: &str) -> String {
    evidence
        .iter()
        .map(|e| format!("[{}] {}", mmss(e.start), e.text))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A call's status in exports: `scored` (has a current score under the exported rubric),
/// `failed` (the recording could not be processed) or `pending` (stored, never scored with this
/// rubric, e.g. a run that was interrupted).
pub fn call_status(call: &CallView) -> &'static str {
    status_word(call.score.is_some(), &call.status)
}

/// [`call_status`] from whether the call has a score and its stored status.
pub fn status_word(scored: bool, stored: &str) -> &'static str {
    match (scored, stored) {
        (true, _) => "scored",
        (false, "failed") => "failed",
        (false, _) => "pending",
    }
}

/// The rubric version a campaign's reports, exports and review pages use: the newest that
/// scored it, or the newest of rubric id `rubric_id`; `None` when nothing of it is scored.
pub fn campaign_run(
    store: &Store,
    campaign: &str,
    rubric_id: Option<&str>,
) -> Result<Option<ScoreRunView>, ReportError> {
    ensure_campaign(store, campaign)?;
    let runs = store.score_runs(campaign)?;
    let Some(id) = rubric_id else {
        return Ok(runs.into_iter().next());
    };
    match runs.iter().find(|r| r.rubric_id == id) {
        Some(run) => Ok(Some(run.clone())),
        None => Err(ReportError::NoRubric {
            db: store.path().display().to_string(),
            campaign: campaign.into(),
            rubric: id.into(),
            known: runs
                .iter()
                .map(|r| r.rubric_id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// A campaign's calls under one rubric version: what every export starts from.
#[derive(Debug, Clone)]
pub struct CampaignReport {
    pub campaign: String,
    pub rubric: Option<ScoreRunView>,
    /// `rubric`'s stored text, parsed.
    pub form: Option<Rubric>,
    pub calls: Vec<CallView>,
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{db}: no campaign named `{campaign}`. Known campaigns: {known}. Run `callgrade run MANIFEST --campaign {campaign}` first."
    )]
    NoCampaign {
        db: String,
        campaign: String,
        known: String,
    },
    #[error(
        "{db}: campaign `{campaign}` was never scored with rubric `{rubric}`. Scored with: {known}."
    )]
    NoRubric {
        db: String,
        campaign: String,
        rubric: String,
        known: String,
    },
    /// A history report found nothing to show; `what` names what is missing, `hint` what to do.
    #[error("{db}: {what}. {hint}")]
    NoHistory {
        db: String,
        what: String,
        hint: String,
    },
    /// `report call` could not find the call asked for.
    #[error("{db}: no stored call `{call}`{scope}. {hint}")]
    NoCall {
        db: String,
        call: String,
        scope: String,
        hint: String,
    },
}

impl CampaignReport {
    /// Loads a campaign under the newest rubric version that scored it, or under the newest
    /// version of the rubric whose id is `rubric_id`.
    pub fn load(
        store: &Store,
        campaign: &str,
        rubric_id: Option<&str>,
    ) -> Result<CampaignReport, ReportError> {
        let rubric = campaign_run(store, campaign, rubric_id)?;
        let calls = store.campaign_calls(campaign, rubric.as_ref().map(|r| r.id))?;
        let form = rubric
            .as_ref()
            .map(|r| store.stored_rubric(r))
            .transpose()?;
        Ok(CampaignReport {
            campaign: campaign.into(),
            rubric,
            form,
            calls,
        })
    }
}
