//! A campaign's calls: the table filtered by unit, staff, grade and review state and sorted
//! by a column (plain links and a GET form: no script needed), and the review queue.

use super::labels::Labels;
use super::{campaign_calls, campaign_url, enc, labels};
use crate::report::html::components::{score, when};
use crate::report::queue::{CallSummary, CampaignCalls, review_queue};
use crate::web::layout::page;
use crate::web::{AppState, CurrentUser, WebError};
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use maud::{Markup, html};
use serde::Deserialize;

/// The table's query string: `unit`, `staff`, `grade`, `state` and `sort` (a column name,
/// `-` in front for descending).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct CallsQuery {
    pub unit: Option<String>,
    pub staff: Option<String>,
    pub grade: Option<String>,
    /// `reviewed`, `unreviewed`, `needs_review`, `flagged`, `below_pass`, `not_scored`.
    pub state: Option<String>,
    pub sort: Option<String>,
}

const STATES: [&str; 6] = [
    "unreviewed",
    "reviewed",
    "needs_review",
    "flagged",
    "below_pass",
    "not_scored",
];

fn state_word(state: &str, l: &Labels) -> &'static str {
    match state {
        "reviewed" => l.reviewed,
        "unreviewed" => l.not_reviewed,
        "needs_review" => l.needs_review,
        "flagged" => l.flagged,
        "below_pass" => l.below_pass,
        _ => l.not_scored,
    }
}

fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

impl CallsQuery {
    /// Whether `c` passes every filter given.
    pub fn keeps(&self, c: &CallSummary) -> bool {
        set(&self.unit).is_none_or(|u| c.unit == u)
            && set(&self.staff).is_none_or(|s| c.staff == s)
            && set(&self.grade).is_none_or(|g| c.score.as_ref().is_some_and(|t| t.grade == g))
            && set(&self.state).is_none_or(|s| match s {
                "reviewed" => c.reviewed,
                "unreviewed" => !c.reviewed,
                "needs_review" => c.needs_review > 0,
                "flagged" => c.flagged(),
                "below_pass" => c.below_pass,
                "not_scored" => c.score.is_none(),
                _ => true,
            })
    }

    /// The rows to show, filtered and sorted.
    pub fn apply<'a>(&self, calls: &'a [CallSummary]) -> Vec<&'a CallSummary> {
        let mut rows: Vec<&CallSummary> = calls.iter().filter(|c| self.keeps(c)).collect();
        let sort = set(&self.sort).unwrap_or("called_at");
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        let score = |c: &CallSummary| c.score.as_ref().map_or(f64::NEG_INFINITY, |s| s.score);
        rows.sort_by(|a, b| {
            let o = match key {
                "file" => a.file.cmp(&b.file),
                "staff" => a.staff.cmp(&b.staff),
                "unit" => a.unit.cmp(&b.unit),
                "score" => score(a).total_cmp(&score(b)),
                "doubt" => a.doubt().total_cmp(&b.doubt()),
                _ => a.called_at.cmp(&b.called_at),
            };
            let o = o.then_with(|| a.file.cmp(&b.file));
            if desc { o.reverse() } else { o }
        });
        rows
    }

    /// This query as a query string with `sort` replaced.
    fn with_sort(&self, sort: &str) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("unit", &self.unit),
            ("staff", &self.staff),
            ("grade", &self.grade),
            ("state", &self.state),
        ] {
            if let Some(v) = set(v) {
                parts.push(format!("{k}={}", enc(v)));
            }
        }
        parts.push(format!("sort={}", enc(sort)));
        parts.join("&")
    }
}

fn distinct<'a>(calls: &'a [CallSummary], f: impl Fn(&'a CallSummary) -> &'a str) -> Vec<&'a str> {
    let mut v: Vec<&str> = calls.iter().map(f).filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

fn select(
    name: &str,
    label: &str,
    options: &[(&str, &str)],
    chosen: Option<&str>,
    all: &str,
) -> Markup {
    html! {
        label { (label) " "
            select name=(name) {
                option value="" selected[chosen.is_none()] { (all) }
                @for (value, text) in options {
                    option value=(value) selected[chosen == Some(*value)] { (text) }
                }
            }
        }
    }
}

fn pairs<'a>(v: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|s| (*s, *s)).collect()
}

/// The badges that say why a call may need a look.
pub fn reasons(c: &CallSummary, l: &Labels) -> Markup {
    html! {
        @if c.flagged() { span.badge.warn title=(if c.speech_finder_unsure { l.speech_finder_unsure } else { l.transcript_bad }) { (l.flagged) } " " }
        @if c.needs_review > 0 { span.badge.warn { (l.needs_review) " ×" (c.needs_review) } " " }
        @if let Some(x) = c.min_confidence { span.badge { (l.lowest_confidence) " " (format!("{x:.2}")) } " " }
        @if c.below_pass { span.badge.bad { (l.failed_call) } " " }
        @if c.overrides > 0 { span.badge { (l.overridden) " ×" (c.overrides) } " " }
        @if c.reviewed { span.badge.ok { (l.reviewed) } }
    }
}

/// The calls table page body.
pub fn calls_page(data: &CampaignCalls, q: &CallsQuery, l: &Labels) -> Markup {
    let c = &data.campaign;
    let units = distinct(&data.calls, |c| &c.unit);
    let staff = distinct(&data.calls, |c| &c.staff);
    let grades: Vec<(&str, &str)> = data
        .grades
        .iter()
        .map(|g| (g.as_str(), g.as_str()))
        .collect();
    let states: Vec<(&str, &str)> = STATES.iter().map(|s| (*s, state_word(s, l))).collect();
    let rows = q.apply(&data.calls);
    let sort = set(&q.sort).unwrap_or("called_at");
    let head = |key: &str, text: &str| {
        let next = if sort == key {
            format!("-{key}")
        } else {
            key.to_string()
        };
        let mark = if sort == key {
            " ▲"
        } else if sort == format!("-{key}") {
            " ▼"
        } else {
            ""
        };
        html! { th { a href={"?" (q.with_sort(&next))} { (text) (mark) } } }
    };
    html! {
        (campaign_nav(c, l))
        form.filters method="get" action={(campaign_url(c)) "/calls"} {
            (select("unit", l.unit, &pairs(&units), set(&q.unit), l.all)) " "
            (select("staff", l.staff, &pairs(&staff), set(&q.staff), l.all)) " "
            (select("grade", l.grade, &grades, set(&q.grade), l.all)) " "
            (select("state", l.review_state, &states, set(&q.state), l.all)) " "
            @if let Some(s) = set(&q.sort) { input type="hidden" name="sort" value=(s); }
            button type="submit" { (l.filter) }
        }
        table.calls {
            thead { tr {
                (head("file", l.file)) (head("staff", l.staff)) (head("unit", l.unit))
                (head("called_at", l.called_at)) (head("score", l.score)) th { (l.grade) }
                (head("doubt", l.why))
            } }
            tbody {
                @for r in &rows {
                    tr {
                        td { a href={"/calls/" (r.id)} { (r.file) } }
                        td { (r.staff) } td { (r.unit) } td { (when(&r.called_at)) }
                        td.num { (score(r.score.as_ref())) }
                        td { @if let Some(s) = &r.score { (s.grade) } @else { span.failed { (l.not_scored) } } }
                        td { (reasons(r, l)) }
                    }
                }
            }
        }
        p.meta { (rows.len()) " / " (data.calls.len()) " " (l.calls) }
    }
}

/// The review queue page body.
pub fn queue_page(data: &CampaignCalls, l: &Labels) -> Markup {
    let queue = review_queue(&data.calls);
    html! {
        (campaign_nav(&data.campaign, l))
        @if queue.iter().any(|c| !c.reviewed) {
            p { a.button #next-to-review href={(campaign_url(&data.campaign)) "/next"} { (l.next_to_review) } }
        } @else { p { (l.queue_empty) } }
        ol.queue {
            @for c in &queue {
                li {
                    a href={"/calls/" (c.id)} { (c.file) } " — " (c.staff) " · " (score(c.score.as_ref()))
                    @if let Some(s) = &c.score { " " (s.grade) } " " (reasons(c, l))
                }
            }
        }
    }
}

/// Links between a campaign's pages.
pub fn campaign_nav(campaign: &str, l: &Labels) -> Markup {
    let base = campaign_url(campaign);
    html! {
        nav.campaign-nav {
            a href="/campaigns" { (l.campaigns) } " › " (campaign) " · "
            a href={(base) "/calls"} { (l.calls) } " · "
            a href={(base) "/queue"} { (l.queue) } " · "
            a href={(base) "/next"} { (l.next_to_review) } " · "
            a href={(base) "/trends"} { (l.trends) } " · "
            a href={(base) "/training"} { (l.training) }
        }
    }
}

/// GET /campaigns/{campaign}/calls?unit=&staff=&grade=&state=&sort= (every role).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
    Query(q): Query<CallsQuery>,
) -> Result<Markup, WebError> {
    let l = labels(&user);
    let data = state.store(move |s| campaign_calls(s, &campaign)).await?;
    let title = format!("{} {}", l.campaign, data.campaign);
    Ok(page(&user, &title, calls_page(&data, &q, l)))
}

/// GET /campaigns/{campaign}/queue (every role).
pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
) -> Result<Markup, WebError> {
    let l = labels(&user);
    let data = state.store(move |s| campaign_calls(s, &campaign)).await?;
    let title = format!("{} — {}", l.queue, data.campaign);
    Ok(page(&user, &title, queue_page(&data, l)))
}

/// GET /campaigns/{campaign}/next: to the top unreviewed call of the queue, or back to the
/// queue when none is left.
pub async fn next(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(campaign): Path<String>,
) -> Result<Redirect, WebError> {
    let data = state.store(move |s| campaign_calls(s, &campaign)).await?;
    Ok(
        match review_queue(&data.calls).into_iter().find(|c| !c.reviewed) {
            Some(c) => Redirect::to(&format!("/calls/{}", c.id)),
            None => Redirect::to(&format!("{}/queue", campaign_url(&data.campaign))),
        },
    )
}

/// Which way `GET /calls/{id}/next` steps through the review queue.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Next,
    Prev,
}

#[derive(Debug, Deserialize)]
pub struct StepQuery {
    dir: Direction,
}

/// GET /calls/{id}/next?dir=next|prev (every role): to the call after (before) this one in
/// its campaign's review queue, or back to the queue at either end.
pub async fn step(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<StepQuery>,
) -> Result<Redirect, WebError> {
    state
        .store(move |s| {
            let (campaign, _) = s.call_recording(id)?.ok_or(WebError::NotFound)?;
            let data = campaign_calls(s, &campaign)?;
            let queue = review_queue(&data.calls);
            let at = queue.iter().position(|c| c.id == id);
            let to = at
                .and_then(|i| match q.dir {
                    Direction::Next => i.checked_add(1),
                    Direction::Prev => i.checked_sub(1),
                })
                .and_then(|i| queue.get(i));
            Ok(match to {
                Some(c) => Redirect::to(&format!("/calls/{}", c.id)),
                None => Redirect::to(&format!("{}/queue", campaign_url(&data.campaign))),
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Total;

    fn call(id: i64, staff: &str, score: Option<f64>, reviewed: bool) -> CallSummary {
        CallSummary {
            id,
            file: format!("call{id}.wav"),
            staff: staff.into(),
            unit: "行政課".into(),
            called_at: format!("2026-10-0{id}T09:00:00"),
            status: if score.is_some() { "scored" } else { "failed" },
            error: None,
            score: score.map(|s| Total {
                score: s,
                max: 100.0,
                grade: if s >= 80.0 { "Good" } else { "Fair" }.into(),
            }),
            below_pass: false,
            needs_review: 0,
            min_confidence: None,
            speech_finder_unsure: false,
            transcript_bad: false,
            overrides: 0,
            reviewed,
        }
    }

    #[test]
    fn filters_combine_and_sorting_puts_unscored_calls_last_when_descending() {
        let calls = [
            call(1, "Amy", Some(90.0), false),
            call(2, "Amy", Some(65.0), true),
            call(3, "David", None, false),
            call(4, "David", Some(85.0), false),
        ];
        let ids = |q: &CallsQuery| q.apply(&calls).iter().map(|c| c.id).collect::<Vec<_>>();
        let q = |staff: &str, grade: &str, state: &str, sort: &str| CallsQuery {
            unit: None,
            staff: Some(staff.into()),
            grade: Some(grade.into()),
            state: Some(state.into()),
            sort: Some(sort.into()),
        };
        assert_eq!(ids(&CallsQuery::default()), [1, 2, 3, 4]);
        assert_eq!(ids(&q("", "", "", "-score")), [1, 4, 2, 3]);
        assert_eq!(ids(&q("Amy", "", "", "score")), [2, 1]);
        assert_eq!(ids(&q("", "Good", "unreviewed", "")), [1, 4]);
        assert_eq!(ids(&q("", "", "not_scored", "")), [3]);
        assert_eq!(ids(&q("David", "Fair", "", "")), Vec::<i64>::new());
        // Sort links keep the filters.
        assert_eq!(
            q("Amy Chen", "", "reviewed", "").with_sort("-file"),
            "staff=Amy%20Chen&state=reviewed&sort=-file"
        );
    }
}
