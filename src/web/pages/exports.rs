//! GET /campaigns/{campaign}/export/{csv|xlsx|html}: the files `callgrade export` writes
//! (calls CSV, the workbook, the HTML report with trends and training), as downloads. Every
//! role may export.

use super::report_error;
use crate::report::export_history::{training_list, unit_trends};
use crate::report::html::{ExportInput, to_html};
use crate::report::{CampaignReport, csv, xlsx};
use crate::web::{AppState, CurrentUser, WebError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The formats offered, with their media type.
const FORMATS: [(&str, &str); 3] = [
    ("csv", "text/csv; charset=utf-8"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("html", "text/html; charset=utf-8"),
];

/// `attachment` with the campaign's name as the file name: an ASCII fallback for old
/// browsers, the exact name (RFC 6266 `filename*`) for the rest.
fn disposition(campaign: &str, ext: &str) -> String {
    let ascii: String = campaign
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"callgrade-{ascii}.{ext}\"; filename*=UTF-8''callgrade-{}.{ext}",
        super::enc(campaign)
    )
}

pub async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((campaign, format)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (ext, mime) = *FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .ok_or(WebError::NotFound)?;
    let name = campaign.clone();
    let bytes = state
        .store(move |s| {
            let report = CampaignReport::load(s, &campaign, None).map_err(report_error)?;
            if ext == "csv" {
                return Ok(csv::calls_csv(&report).into_bytes());
            }
            let rubric = report.rubric.as_ref().map(|r| r.rubric_id.clone());
            let (trends, training) = match rubric.as_deref() {
                Some(id) => (
                    unit_trends(s, &campaign, Some(id)).map_err(report_error)?,
                    training_list(s, Some(id)).map_err(report_error)?,
                ),
                None => (None, None),
            };
            let input = ExportInput {
                report: &report,
                trends: trends.as_ref(),
                training: training.as_ref(),
                deidentified: false,
            };
            Ok(if ext == "xlsx" {
                xlsx::to_xlsx(&input)
                    .map_err(|e| WebError::Internal(format!("the workbook failed: {e}")))?
            } else {
                to_html(&input).into_bytes()
            })
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition(&name, ext)),
        ],
        bytes,
    )
        .into_response())
}
