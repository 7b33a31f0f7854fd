//! The printable HTML report: one self-contained file (inline CSS and SVG, no scripts, no
//! external references) laid out for A4, in Traditional Chinese when the rubric is Chinese.
//! Rendered with maud, which escapes every stored text by construction; the review app builds
//! its pages from the same components (`charts`, `components`).
//!
//! Sections, each starting a new printed page: summary with grade distribution and failure
//! rate per criterion, unit trends across campaigns, the training list, then one per call with
//! its verdicts, evidence quotes and transcript.

mod call;
pub mod charts;
pub mod components;
mod labels;
mod sections;

pub use labels::Labels;
pub use sections::training as training_section;

use super::CampaignReport;
use super::training::TrainingList;
use super::trends::Trends;
use crate::score::Language;
use maud::{DOCTYPE, PreEscaped, html};

/// Everything the HTML report and the workbook show. `trends` and `training` come from the
/// whole database; `None` leaves their sections with a note instead.
pub struct ExportInput<'a> {
    pub report: &'a CampaignReport,
    pub trends: Option<&'a Trends>,
    pub training: Option<&'a TrainingList>,
    /// Open-data export: adds a note that names are pseudonyms and free text was removed.
    pub deidentified: bool,
}

/// The report's stylesheet: a constant of ours, never data, so it goes in unescaped (escaping
/// would break its quoted font names).
pub const CSS: &str = include_str!("report.css");

/// The language of the report: the rubric's, English when the campaign has no scores.
pub fn language(report: &CampaignReport) -> Language {
    report.form.as_ref().map_or(Language::En, |r| r.language)
}

/// The whole report as one HTML document.
pub fn to_html(input: &ExportInput) -> String {
    let report = input.report;
    let l = Labels::for_language(language(report));
    let page = html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                title { (l.report) " " (report.campaign) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (sections::summary(input, l))
                (sections::trends(input.trends, l))
                (sections::training(input.training, l))
                @for c in &report.calls {
                    (call::call_section(c, l))
                }
            }
        }
    };
    page.into_string() + "\n"
}
