//! The history a campaign's workbook and HTML report carry beside its calls: unit trends up to
//! the campaign and the training list. `export` and the review app's downloads both take it
//! from here, so a download is the same file the command writes.

use super::ReportError;
use super::training::{TrainingList, training};
use super::trends::{CampaignRange, GroupBy, Trends, trends};
use crate::store::Store;

/// Campaigns the training list in workbooks and HTML reports looks back over (a year of
/// quarterly tests).
pub const TRAINING_CAMPAIGNS: usize = 4;
/// Failure rate at which a person is listed for a criterion: failed in half the calls.
pub const TRAINING_MIN_RATE: f64 = 0.5;

/// Unit means of every campaign up to `campaign`, or `None` when the database has no
/// comparable history.
pub fn unit_trends(
    store: &Store,
    campaign: &str,
    rubric: Option<&str>,
) -> Result<Option<Trends>, ReportError> {
    trends_up_to(store, campaign, GroupBy::Unit, rubric)
}

/// Means per unit or per person of every campaign up to `campaign` (the review app's trends
/// page), or `None` when the database has no comparable history.
pub fn trends_up_to(
    store: &Store,
    campaign: &str,
    by: GroupBy,
    rubric: Option<&str>,
) -> Result<Option<Trends>, ReportError> {
    let range = CampaignRange {
        from: None,
        to: Some(campaign.to_string()),
    };
    match trends(store, by, range, rubric) {
        Ok(t) => Ok(Some(t)),
        Err(ReportError::NoHistory { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The training list over the last [`TRAINING_CAMPAIGNS`], or `None` without scored calls.
pub fn training_list(
    store: &Store,
    rubric: Option<&str>,
) -> Result<Option<TrainingList>, ReportError> {
    match training(store, TRAINING_CAMPAIGNS, TRAINING_MIN_RATE, rubric) {
        Ok(t) => Ok(Some(t)),
        Err(ReportError::NoHistory { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
