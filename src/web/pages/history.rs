//! Trends and training needs as `report trends` and `report training` compute them, with the
//! HTML export's line chart, and the downloads of the campaign's CSV, XLSX and HTML exports.

use super::calls::campaign_nav;
use super::labels::Labels;
use super::{campaign_rubric, campaign_url, labels, report_error};
use crate::report::export_history::{training_list, trends_up_to};
use crate::report::html::charts::trends_chart;
use crate::report::html::components::warnings;
use crate::report::html::training_section;
use crate::report::training::TrainingList;
use crate::report::trends::{GroupBy, Trends, change};
use crate::web::layout::page;
use crate::web::{AppState, CurrentUser, WebError};
use axum::extract::{Path, Query, State};
use maud::{Markup, html};

fn downloads(campaign: &str, l: &Labels) -> Markup {
    let base = campaign_url(campaign);
    html! {
        p.downloads { (l.downloads) ": "
            a href={(base) "/export/csv"} download { "CSV" } " · "
            a href={(base) "/export/xlsx"} download { "XLSX" } " · "
            a href={(base) "/export/html"} download { "HTML" }
        }
    }
}

/// The trends page body; `trends` is `None` when the database has nothing comparable.
pub fn trends_page(campaign: &str, by_staff: bool, trends: Option<&Trends>, l: &Labels) -> Markup {
    let base = campaign_url(campaign);
    html! {
        (campaign_nav(campaign, l))
        p { a href={(base) "/trends?by=unit"} { (l.by_unit) } " · " a href={(base) "/trends?by=staff"} { (l.by_staff) } }
        (downloads(campaign, l))
        @match trends {
            None => p { (l.no_history_data) },
            Some(t) => {
                (warnings(&t.warnings, l.shared))
                p.meta { (l.pass_mark) ": " (t.pass_mark) }
                figure { (trends_chart(t, l.all, l.trends, l.mean)) }
                table.trends {
                    thead { tr {
                        th { (if by_staff { l.staff } else { l.unit }) } th { (l.campaign) } th.num { (l.calls) }
                        th.num { (l.mean) } th { (l.change) }
                        @for c in &t.categories { th.num { (c) " %" } }
                        th { (l.grade) } th.num { (l.below_pass) }
                    } }
                    tbody {
                        @for r in t.rows.iter().chain(&t.totals) {
                            tr {
                                td { (r.group) } td { (r.campaign) } td.num { (r.calls) }
                                td.num { (r.mean_score.map_or("—".into(), |m| format!("{m:.1}/{}", r.max))) }
                                td { (change(r.delta)) }
                                @for c in &t.categories {
                                    td.num { (r.categories.iter().find(|(n, _)| n == c).map_or("—".into(), |(_, v)| format!("{v:.0}"))) }
                                }
                                td { (r.grades.iter().filter(|(_, n)| *n > 0).map(|(g, n)| format!("{g} {n}")).collect::<Vec<_>>().join(", ")) }
                                td.num { (r.below_pass) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The training page body: the HTML report's training section; `list` is `None` when nothing
/// is scored.
pub fn training_page(campaign: &str, list: Option<&TrainingList>, l: &Labels) -> Markup {
    html! {
        (campaign_nav(campaign, l))
        (downloads(campaign, l))
        (training_section(list, l.shared))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TrendsQuery {
    /// `unit` (default) or `staff`.
    pub by: Option<String>,
}

/// GET /campaigns/{campaign}/trends?by=unit|staff: `report trends` over every campaign up to
/// this one, under this campaign's rubric id.
pub async fn trends(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
    Query(q): Query<TrendsQuery>,
) -> Result<Markup, WebError> {
    let l = labels(&user);
    let by_staff = q.by.as_deref() == Some("staff");
    let name = campaign.clone();
    let t = state
        .store(move |s| {
            let Some(rubric) = campaign_rubric(s, &campaign)? else {
                return Ok(None);
            };
            let by = if by_staff {
                GroupBy::Staff
            } else {
                GroupBy::Unit
            };
            trends_up_to(s, &campaign, by, Some(&rubric)).map_err(report_error)
        })
        .await?;
    let title = format!("{} — {name}", l.trends);
    Ok(page(
        &user,
        &title,
        trends_page(&name, by_staff, t.as_ref(), l),
    ))
}

/// GET /campaigns/{campaign}/training: the training list `export` puts in its reports.
pub async fn training(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
) -> Result<Markup, WebError> {
    let l = labels(&user);
    let name = campaign.clone();
    let list = state
        .store(move |s| match campaign_rubric(s, &campaign)? {
            Some(id) => training_list(s, Some(&id)).map_err(report_error),
            None => Ok(None),
        })
        .await?;
    Ok(page(
        &user,
        l.training,
        training_page(&name, list.as_ref(), l),
    ))
}
