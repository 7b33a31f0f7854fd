//! Small pieces of markup the HTML report and the review app share: a verdict, its
//! needs-review mark, an evidence quote, a call's score and grade, a transcript line.

use super::Labels;
use crate::audio::{Speaker, mmss, mmss_span};
use crate::score::{Evidence, LineSpeaker, Total, Verdict};
use maud::{Markup, html};

/// A manifest time (`2026-10-05T09:12:00`) as people write it: `2026-10-05 09:12`.
pub fn when(called_at: &str) -> String {
    let t = called_at.replacen('T', " ", 1);
    match t.len() {
        19 if t.ends_with(":00") => t[..16].to_string(),
        _ => t,
    }
}

/// The CSS class and the word for a verdict.
pub fn verdict_word(v: Verdict, l: &Labels) -> (&'static str, &'static str) {
    match v {
        Verdict::NotApplicable => ("na", l.not_applicable),
        Verdict::Passed => ("passed", l.passed),
        Verdict::Failed => ("failed", l.failed),
    }
}

/// A verdict as a coloured word.
pub fn verdict_badge(v: Verdict, l: &Labels) -> Markup {
    let (class, word) = verdict_word(v, l);
    html! { span class=(class) { (word) } }
}

/// The mark on a verdict a supervisor should check.
pub fn needs_review(l: &Labels) -> Markup {
    html! { span class="review" { (l.needs_review) } }
}

/// One evidence quote with its times: `[0:03–0:05] 「…」`, `[0:08] 「…」` within one second.
pub fn evidence_quote(e: &Evidence) -> Markup {
    html! { span class="quote" { (quote_text(e)) } }
}

/// A quote's times and words without their box, for a page that wraps them in a link.
pub fn quote_text(e: &Evidence) -> Markup {
    html! {
        span class="t" { "[" (mmss_span(e.start, e.end)) "]" }
        " 「" (e.text) "」"
    }
}

/// A quote that gives only where it starts (`[0:03] 「…」`), as the training list shows it.
pub fn quote_from(start: f64, text: &str) -> Markup {
    html! {
        span class="quote" { span class="t" { "[" (mmss(start)) "]" } " 「" (text) "」" }
    }
}

/// A call's score as `87.5 / 100`, or `—` when it has none.
pub fn score(total: Option<&Total>) -> String {
    total.map_or("—".to_string(), |t| format!("{:.1} / {}", t.score, t.max))
}

/// A call's grade, or the "could not be scored" mark.
pub fn grade(total: Option<&Total>, l: &Labels) -> Markup {
    html! {
        @match total {
            Some(t) => (t.grade),
            None => span class="failed" { (l.not_scored) },
        }
    }
}

/// Who spoke, in the report's words.
pub fn speaker(s: Speaker, l: &Labels) -> &'static str {
    match s {
        Speaker::Staff => l.speaker_staff,
        Speaker::Caller => l.speaker_caller,
        Speaker::Unknown => l.speaker_unknown,
    }
}

/// Who said a transcript line, marked as a guess when scoring's attribution (`who`, for mono
/// lines) is unsure.
pub fn line_speaker(s: Speaker, who: Option<&LineSpeaker>, l: &Labels) -> Markup {
    html! {
        span class="who" { (speaker(s, l)) }
        @if let Some(w) = who.filter(|w| w.unsure()) {
            small class="unsure" title=(format!("{}: {:.2}", l.speaker_confidence, w.confidence)) {
                (l.speaker_unsure)
            }
        }
    }
}

/// The header row of a table: one cell per label, `num` columns right-aligned.
pub fn header_row(cells: &[(&str, bool)]) -> Markup {
    html! {
        thead { tr { @for (label, num) in cells { th class=[num.then_some("num")] { (label) } } } }
    }
}

/// Notes a report carries (e.g. rubric versions that could not be compared).
pub fn warnings(warnings: &[String], l: &Labels) -> Markup {
    html! {
        @for w in warnings { p class="note" { (l.warnings) ": " (w) } }
    }
}
