//! One page of the report per call: its details, verdicts with evidence, and transcript.

use super::Labels;
use super::components::{
    evidence_quote, grade, line_speaker, needs_review, score, verdict_word, when,
};
use crate::audio::mmss;
use crate::store::CallView;
use maud::{Markup, html};

pub(super) fn call_section(call: &CallView, l: &Labels) -> Markup {
    let details = [
        (l.staff, &call.staff),
        (l.unit, &call.unit),
        (l.scenario, &call.scenario),
        (l.called_at, &when(&call.called_at)),
    ];
    html! {
        section class="call" id=(format!("call-{}", call.id)) {
            h2 { (call.file) }
            table {
                tbody {
                    @for (k, v) in details { tr { th { (k) } td { (v) } } }
                    @match &call.score {
                        Some(t) => {
                            tr { th { (l.score) } td { (score(Some(t))) } }
                            tr { th { (l.grade) } td { (t.grade) } }
                        }
                        None => tr { th { (l.score) } td { (grade(None, l)) } },
                    }
                    @if let Some(e) = &call.error { tr { th { (l.error) } td { (e) } } }
                }
            }
            @if !call.criteria.is_empty() { (verdicts(call, l)) }
            h3 { (l.transcript) }
            div class="transcript" {
                @if call.transcript.is_empty() { p { (l.no_transcript) } }
                @for (i, s) in call.transcript.iter().enumerate() {
                    p {
                        span class="t" { "[" (mmss(s.start)) "]" } " "
                        (line_speaker(s.speaker, call.speakers.get(i).and_then(Option::as_ref), l)) (l.colon)
                        @if s.invented {
                            span class="invented" { (s.text) } (l.invented)
                        } @else {
                            span { (s.text) }
                        }
                    }
                }
            }
        }
    }
}

fn verdicts(call: &CallView, l: &Labels) -> Markup {
    html! {
        table {
            (super::components::header_row(&[(l.criterion, false), (l.verdict, false),
                (l.points, true), (l.reason, false), (l.evidence, false)]))
            tbody {
                @for k in &call.criteria {
                    @let (class, word) = verdict_word(k.verdict, l);
                    tr {
                        td { (k.title) br; small { (k.category) } }
                        td class=(class) { (word) @if k.needs_review { br; (needs_review(l)) } }
                        td class="num" { (k.points) " / " (k.max) }
                        td { (k.reason) }
                        td { @for e in &k.evidence { (evidence_quote(e)) } }
                    }
                }
            }
        }
    }
}
