//! The review pages: campaigns, a campaign's calls and review queue, a call (recording,
//! timeline, transcript, verdicts, overrides), trends, training and the export downloads.
//! One file per page, each with its handlers; the data comes from `report` and `store`, the
//! markup is maud's. Every reader may read and export; overrides and "reviewed" marks need a
//! supervisor.

pub mod audio;
pub mod call;
pub mod calls;
pub mod campaigns;
pub mod exports;
pub mod history;
pub mod labels;
pub mod overrides;
pub mod range;
pub mod timeline;

use super::{AppState, CurrentUser, WebError};
use crate::report::ReportError;
use crate::store::Store;
use axum::Router;
use axum::routing::{get, post};
use labels::Labels;
use std::collections::HashSet;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(campaigns::show))
        .route("/campaigns/{campaign}/calls", get(calls::show))
        .route("/campaigns/{campaign}/queue", get(calls::queue))
        .route("/campaigns/{campaign}/next", get(calls::next))
        .route("/campaigns/{campaign}/trends", get(history::trends))
        .route("/campaigns/{campaign}/training", get(history::training))
        .route(
            "/campaigns/{campaign}/export/{format}",
            get(exports::download),
        )
        .route("/calls/{id}", get(call::show))
        .route("/calls/{id}/next", get(calls::step))
        .route("/calls/{id}/audio", get(audio::serve))
        .route("/calls/{id}/overrides", post(overrides::add))
        .route(
            "/calls/{id}/overrides/{override_id}/withdraw",
            post(overrides::withdraw),
        )
        .route("/calls/{id}/reviewed", post(overrides::reviewed))
}

/// The user's words for these pages.
pub fn labels(user: &CurrentUser) -> &'static Labels {
    user.lang.pick(&Labels::ZH, &Labels::EN)
}

/// A report error as the browser sees it: an unknown campaign is a missing page.
pub fn report_error(e: ReportError) -> WebError {
    match e {
        ReportError::NoCampaign { .. } | ReportError::NoCall { .. } => WebError::NotFound,
        ReportError::Store(e) => e.into(),
        other => WebError::Internal(other.to_string()),
    }
}

/// Ids of the calls of `campaign` a supervisor marked reviewed (blind reviews included) under
/// `rubric_id`.
pub fn reviewed_ids(
    store: &Store,
    campaign: &str,
    rubric_id: Option<&str>,
) -> Result<HashSet<i64>, WebError> {
    Ok(store
        .reviewed_calls(campaign)?
        .into_iter()
        .filter(|r| rubric_id.is_none_or(|id| r.rubric_id == id))
        .map(|r| r.call_id)
        .collect())
}

/// The rubric id of the newest score run of `campaign` (what its exports use); `NotFound`
/// for an unknown campaign, `None` when nothing of it is scored.
pub fn campaign_rubric(store: &Store, campaign: &str) -> Result<Option<String>, WebError> {
    Ok(crate::report::campaign_run(store, campaign, None)
        .map_err(report_error)?
        .map(|r| r.rubric_id))
}

/// `campaign`'s calls with their reviewed marks, as the calls table and the queue show them.
pub fn campaign_calls(
    store: &Store,
    campaign: &str,
) -> Result<crate::report::queue::CampaignCalls, WebError> {
    let rubric = campaign_rubric(store, campaign)?;
    let reviewed = reviewed_ids(store, campaign, rubric.as_deref())?;
    crate::report::queue::campaign_calls(store, campaign, &reviewed).map_err(report_error)
}

/// `text` percent-encoded for a URL path segment or query value (everything but unreserved
/// characters), so campaign names with spaces, slashes or CJK stay one segment.
pub fn enc(text: &str) -> String {
    super::error::query_escape(text).replace('/', "%2F")
}

/// `/campaigns/NAME`, the name encoded.
pub fn campaign_url(campaign: &str) -> String {
    format!("/campaigns/{}", enc(campaign))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_stay_one_path_segment() {
        assert_eq!(
            super::campaign_url("2026 Q4/台北"),
            "/campaigns/2026%20Q4%2F%E5%8F%B0%E5%8C%97"
        );
    }
}
