//! A call's page: the recording, the timeline strip, the transcript, every criterion with its
//! verdict, reason, confidence and evidence, the override forms and the override history.
//! Quotes, lines and the strip are `#t=` links that the page script turns into seeks.

use super::calls::campaign_nav;
use super::labels::Labels;
use super::timeline::{time_anchor, timeline};
use super::{labels, report_error};
use crate::audio::mmss;
use crate::report::call::{CallReport, CriterionLine, call_report_by_id};
use crate::report::html::components::{line_speaker, quote_text, verdict_word, when};
use crate::score::Verdict;
use crate::store::{CriterionChanges, Override, Store};
use crate::web::layout::{csrf_field, page};
use crate::web::{AppState, CurrentUser, Role, WebError};
use axum::extract::{Path, State};
use maud::{Markup, html};

/// Everything the call page shows besides the layout.
pub struct CallPage<'a> {
    pub report: &'a CallReport,
    /// Every override ever made on the call, oldest first.
    pub history: &'a [Override],
    pub reviewed: bool,
    /// Supervisors and admins see the forms.
    pub can_review: bool,
    /// The hidden `csrf` field's markup.
    pub csrf: Markup,
    /// A message at the top (a refused override, a missing reason).
    pub notice: Option<String>,
}

fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        format!("{x:.1}")
    }
}

/// The page body.
pub fn call_page(p: &CallPage, l: &Labels) -> Markup {
    let c = p.report;
    html! {
        (campaign_nav(&c.campaign, l))
        @if let Some(n) = &p.notice { p.notice role="alert" { (n) } }
        header.call-head {
            p.meta {
                (l.staff) ": " (c.staff) " · " (l.unit) ": " (c.unit) " · "
                (l.called_at) ": " (when(&c.called_at))
                @if let Some(r) = c.rings { " · " (l.rings) ": " (r) }
            }
            p.total {
                @match (c.score, c.max, &c.grade) {
                    (Some(s), Some(m), Some(g)) => {
                        span #score { (num(s)) " / " (num(m)) } " "
                        span #grade .grade { (g) }
                        @if c.passed == Some(false) { " " span.failed { (l.failed_call) } }
                    }
                    _ => { span.failed { (l.not_scored) } @if let Some(e) = &c.error { " — " (e) } }
                }
                @if p.reviewed { " " span.badge.ok { (l.reviewed) } }
            }
            @if c.speech_finder_unsure { p.flag { (l.flagged) ": " (l.speech_finder_unsure) } }
            nav.queue-nav {
                // j / k: the neighbours in the review queue are found when followed, not for
                // every page shown.
                a #prev-call rel="prev" href={"/calls/" (c.call_id) "/next?dir=prev"} { "‹ " (l.previous) } " "
                a #next-call rel="next" href={"/calls/" (c.call_id) "/next?dir=next"} { (l.next) " ›" } " "
                @if p.can_review && !p.reviewed && c.score.is_some() {
                    form.inline method="post" action={"/calls/" (c.call_id) "/reviewed"} {
                        (p.csrf) button type="submit" { (l.mark_reviewed) }
                    }
                }
            }
            @if c.recording_found {
                audio #player controls preload="metadata" src={"/calls/" (c.call_id) "/audio"} {
                    a href={"/calls/" (c.call_id) "/audio"} { (l.recording) }
                }
            } @else {
                p.recording-missing #recording-missing role="alert" {
                    (l.recording_missing) code { (c.path) } br; (l.recording_missing_fix)
                }
            }
            p.hint { (l.shortcuts) }
        }
        section.timeline-box { h2 { (l.timeline) } (timeline(c.facts.as_ref(), &c.criteria, l)) }
        div.columns {
            section.transcript #transcript {
                h2 { (l.transcript) }
                @if c.transcript.is_empty() { p { (l.no_transcript) } }
                @for (i, s) in c.transcript.iter().enumerate() {
                    p.line #{"s" (i)} data-start=(format!("{:.2}", s.start)) data-end=(format!("{:.2}", s.end)) {
                        a.t href=(time_anchor(s.start)) { "[" (mmss(s.start)) "]" } " "
                        b { (line_speaker(s.speaker, c.speakers.get(i).and_then(Option::as_ref), l.shared)) } ": "
                        @if s.invented { span.invented { (s.text) } " " small { (l.invented) } }
                        @else { span { (s.text) } }
                    }
                }
            }
            section.criteria {
                h2 { (l.criterion) }
                @for k in &c.criteria { (criterion(p, k, l)) }
            }
        }
        (history(p, l))
    }
}

fn criterion(p: &CallPage, k: &CriterionLine, l: &Labels) -> Markup {
    let c = p.report;
    let rubric = c.rubric.as_ref().map_or("", |r| r.id.as_str());
    let seen = CriterionChanges::of(p.history, rubric, &k.id).count;
    html! {
        article.criterion #{"c-" (k.id)} data-criterion=(k.id) {
            h3 {
                (k.title) " "
                @let (class, word) = verdict_word(k.verdict, l.shared);
                span class={"verdict " (class)} { (word) }
                " " span.points { (num(k.points)) " / " (num(k.max)) }
                @if k.needs_review { " " span.review { (l.needs_review) } }
                @if k.overridden.is_some() { " " span.badge { (l.overridden) } }
            }
            p.reason { (k.reason) }
            @if let Some(x) = k.confidence { p.conf { (l.confidence) ": " (format!("{x:.2}")) } }
            @if let Some(o) = &k.overridden {
                p.auto { (l.automatic) ": " (verdict_word(o.original_verdict(), l.shared).1) " "
                    (num(o.original_points)) " / " (num(k.max)) " — " (o.original_reason) }
            }
            @for e in &k.evidence {
                a.quote href=(time_anchor(e.start)) data-t=(format!("{:.2}", e.start)) {
                    (quote_text(e))
                }
            }
            @if p.can_review && c.score.is_some() {
                details.override {
                    summary { (l.override_title) }
                    form method="post" action={"/calls/" (c.call_id) "/overrides"} {
                        (p.csrf)
                        input type="hidden" name="rubric" value=(rubric);
                        input type="hidden" name="criterion" value=(k.id);
                        input type="hidden" name="seen" value=(seen);
                        label { input type="radio" name="verdict" value=(Verdict::Passed.code()) required; " " (l.override_pass) } " "
                        label { input type="radio" name="verdict" value=(Verdict::Failed.code()); " " (l.override_fail) } " "
                        label { input type="radio" name="verdict" value=(Verdict::NotApplicable.code()); " " (l.override_na) }
                        label.block { (l.override_reason)
                            textarea name="reason" required rows="2" {} }
                        button type="submit" { (l.save) }
                    }
                }
            }
        }
    }
}

fn history(p: &CallPage, l: &Labels) -> Markup {
    let standing = standing_ids(p.history);
    html! {
        section.history #history {
            h2 { (l.history) }
            @if p.history.is_empty() { p { (l.no_history) } } @else {
                table {
                    thead { tr { th { "#" } th { (l.criterion) } th { (l.verdict) } th { (l.by) }
                        th { (l.at) } th { (l.status) } th { (l.reason) } th {} } }
                    tbody {
                        @for o in p.history {
                            tr {
                                td { (o.id) } td { (o.criterion_id) }
                                td { (verdict_word(o.verdict(), l.shared).1)
                                    @if let Some(pts) = o.points { " " (num(pts)) } }
                                td { (o.by) } td { (o.at) }
                                td {
                                    @if let Some(at) = &o.withdrawn_at {
                                        (l.withdrawn) " " (at) " " (o.withdrawn_by.as_deref().unwrap_or(""))
                                    } @else if standing.contains(&o.id) { (l.in_effect) }
                                    @else { (l.replaced) }
                                }
                                td { (o.reason) }
                                td {
                                    @if p.can_review && standing.contains(&o.id) {
                                        form.inline method="post"
                                            action={"/calls/" (o.call_id) "/overrides/" (o.id) "/withdraw"} {
                                            (p.csrf)
                                            input type="hidden" name="seen"
                                                value=(CriterionChanges::of(p.history, &o.rubric_id, &o.criterion_id).count);
                                            button type="submit" { (l.undo) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The standing override of each (rubric, criterion): its latest one not withdrawn.
fn standing_ids(history: &[Override]) -> Vec<i64> {
    let mut latest: std::collections::HashMap<(&str, &str), i64> = Default::default();
    for o in history.iter().filter(|o| o.withdrawn_at.is_none()) {
        latest.insert((&o.rubric_id, &o.criterion_id), o.id);
    }
    latest.into_values().collect()
}

/// The whole call page for `user`, with `notice` at the top; `NotFound` when no call has this
/// id.
pub fn render(
    store: &Store,
    id: i64,
    user: &CurrentUser,
    notice: Option<String>,
) -> Result<Markup, WebError> {
    let l = labels(user);
    let report = call_report_by_id(store, id, None)
        .map_err(report_error)?
        .ok_or(WebError::NotFound)?;
    let history = store.call_overrides(id)?;
    let rubric = report.rubric.as_ref().map(|r| r.id.as_str());
    let reviewed = store
        .call_reviews(id)?
        .iter()
        .any(|r| rubric.is_some_and(|id| r.rubric_id == id));
    let body = call_page(
        &CallPage {
            report: &report,
            history: &history,
            reviewed,
            can_review: user.role >= Role::Supervisor,
            csrf: csrf_field(user),
            notice,
        },
        l,
    );
    Ok(page(user, &report.file, body))
}

/// GET /calls/{id} (every role; the forms only for supervisors and admins).
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Markup, WebError> {
    state.store(move |s| render(s, id, &user, None)).await
}
