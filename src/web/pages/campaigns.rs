//! The campaigns page: per campaign, its calls, mean score, how many fell below the pass mark
//! or could not be scored, and how many a supervisor has reviewed.

use super::campaign_url;
use super::labels::Labels;
use crate::report::queue::CampaignCalls;
use maud::{Markup, html};

/// The page body, campaigns newest first.
pub fn campaigns_page(campaigns: &[CampaignCalls], l: &Labels) -> Markup {
    html! {
        @if campaigns.is_empty() { p { (l.no_campaigns) } } @else {
            table.campaigns {
                thead { tr {
                    th { (l.campaign) } th.num { (l.calls) } th.num { (l.mean) }
                    th.num { (l.below_pass) } th.num { (l.not_scored) } th.num { (l.reviewed) } th {}
                } }
                tbody {
                    @for c in campaigns.iter().rev() {
                        @let base = campaign_url(&c.campaign);
                        tr {
                            td { a href={(base) "/calls"} { (c.campaign) } }
                            td.num { (c.calls.len()) }
                            td.num { (c.mean().map_or("—".to_string(), |m| format!("{m:.1}"))) }
                            td.num { (c.calls.iter().filter(|k| k.below_pass).count()) }
                            td.num { (c.calls.iter().filter(|k| k.score.is_none()).count()) }
                            td.num { (c.calls.iter().filter(|k| k.reviewed).count()) }
                            td {
                                a href={(base) "/queue"} { (l.queue) } " · "
                                a href={(base) "/trends"} { (l.trends) } " · "
                                a href={(base) "/training"} { (l.training) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// GET /campaigns (every role).
pub async fn show(
    axum::extract::State(state): axum::extract::State<crate::web::AppState>,
    user: crate::web::CurrentUser,
) -> Result<Markup, crate::web::WebError> {
    let l = super::labels(&user);
    let campaigns = state
        .store(|s| {
            s.campaigns()?
                .iter()
                .map(|c| super::campaign_calls(s, c))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(crate::web::layout::page(
        &user,
        l.campaigns,
        campaigns_page(&campaigns, l),
    ))
}
