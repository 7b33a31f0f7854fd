//! Blind review: a supervisor scores a call from its recording and transcript before seeing
//! the automatic verdicts. The page is built from the call without its score (the store is
//! never asked for verdicts, reasons or confidence), so nothing of the machine's can leak.

use super::labels::{Labels, report_words};
use crate::audio::mmss;
use crate::report::calibration::VERDICTS;
use crate::report::html::components::{speaker, verdict_word};
use crate::score::{Rubric, Verdict};
use crate::store::{CallView, Store, StoreError};
use crate::web::layout::csrf_field;
use crate::web::{CurrentUser, WebError};
use maud::{Markup, html};

/// What the blind page shows of a call.
pub(super) struct BlindCall {
    pub call: CallView,
    /// The rubric id and the newest version of it scoring the call; `None` if unscored.
    pub rubric: Option<(String, Rubric)>,
    /// The user has reviewed this call already (the automatic verdicts were on screen).
    pub seen: bool,
}

/// Loads call `id` for `reviewer` without its verdicts; `None` when there is no such call.
pub(super) fn load(
    store: &Store,
    id: i64,
    reviewer: &str,
) -> Result<Option<BlindCall>, StoreError> {
    let Some(call) = store.call_detail(id, None)? else {
        return Ok(None);
    };
    let rubric = match store.call_current_run(id)? {
        Some(run) => Some((run.rubric_id.clone(), store.stored_rubric(&run)?)),
        None => None,
    };
    let seen = match &rubric {
        Some((rubric_id, _)) => store.has_seen(id, rubric_id, reviewer)?,
        None => false,
    };
    Ok(Some(BlindCall { call, rubric, seen }))
}

/// The form field that carries a criterion's verdict.
pub(super) fn field_name(criterion: &str) -> String {
    format!("v.{criterion}")
}

/// The page body; `message` is shown above the form (why the last attempt was refused).
pub(super) fn page(b: &BlindCall, user: &CurrentUser, l: &Labels, message: Option<&str>) -> Markup {
    let words = report_words(user);
    let c = &b.call;
    let call_page = format!("/calls/{}", c.id);
    html! {
        div.blind {
            p.meta { (c.file) " · " (c.campaign) }
            @if let Some(m) = message { p.note.error { (m) } }
            section {
                h2 { (l.recording) }
                audio #player controls preload="metadata" src=(format!("{call_page}/audio")) {
                    a href=(format!("{call_page}/audio")) { (l.recording) }
                }
            }
            section.transcript #transcript {
                h2 { (l.transcript) }
                @if c.transcript.is_empty() { p { (l.no_transcript) } }
                @for s in &c.transcript {
                    p.line data-start=(format!("{:.2}", s.start)) data-end=(format!("{:.2}", s.end)) {
                        span.t { "[" (mmss(s.start)) "]" } " "
                        b { (speaker(s.speaker, words)) } (words.colon)
                        span { (s.text) }
                    }
                }
            }
            section {
                h2 { (l.your_verdicts) }
                @match &b.rubric {
                    None => p { (l.not_scored) },
                    Some(_) if b.seen => p { (l.already) " " a href=(call_page) { (l.open_call) } },
                    Some((rubric_id, rubric)) => {
                        p { (l.blind_intro) }
                        form method="post" action=(format!("{call_page}/blind")) {
                            (csrf_field(user))
                            input type="hidden" name="rubric" value=(rubric_id);
                            @for k in &rubric.criteria {
                                fieldset {
                                    legend { (k.title) " " small { (k.category) } }
                                    @for v in &VERDICTS {
                                        label {
                                            input type="radio" name=(field_name(&k.id))
                                                value=(v.code()) required;
                                            " " (verdict_word(*v, words).1)
                                        }
                                    }
                                }
                            }
                            button type="submit" { (l.submit) }
                        }
                    }
                }
            }
        }
    }
}

/// The verdicts a posted form gives, by criterion id; a value other than the three words is
/// a bad request.
pub(super) fn verdicts(fields: &[(String, String)]) -> Result<Vec<(String, Verdict)>, WebError> {
    fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("v.").map(|id| (id, v)))
        .map(|(id, v)| {
            Verdict::from_code(v)
                .map(|w| (id.to_string(), w))
                .ok_or_else(|| WebError::BadRequest(format!("{id}: `{v}` is not a verdict")))
        })
        .collect()
}
