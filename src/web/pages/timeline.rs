//! The call's timeline strip as inline SVG: ringback bursts, speech per speaker, silences
//! (holds) and a mark where each criterion's evidence lies. Every shape is a link to its time
//! (`#t=12.3`), so the strip seeks the audio with the page script and still scrolls to the
//! time's transcript line without it.

use super::labels::Labels;
use crate::audio::{AudioFacts, Speaker, mmss};
use crate::report::call::CriterionLine;
use crate::report::html::components::{speaker, verdict_word};
use maud::{Markup, html};

const WIDTH: f64 = 1000.0;
/// Room for the row names on the left.
const LEFT: f64 = 110.0;
const ROW: f64 = 22.0;
/// A gap in all speech at least this long between the first and last words is drawn as a
/// silence: shorter pauses are turns in a conversation, not holds.
const SILENCE: f64 = 2.0;

/// Where `t` seconds falls on the strip, to a tenth of a unit (plenty at 1000 wide).
fn x(t: f64, duration: f64) -> f64 {
    let x = LEFT + (t / duration).clamp(0.0, 1.0) * (WIDTH - LEFT - 10.0);
    (x * 10.0).round() / 10.0
}

/// A shape's width from `start` to `end`, at least one unit so short bursts stay visible.
fn w(start: f64, end: f64, duration: f64) -> f64 {
    ((x(end, duration) - x(start, duration)) * 10.0)
        .round()
        .max(10.0)
        / 10.0
}

/// `#t=12.3`: the anchor the page script seeks to.
pub fn time_anchor(t: f64) -> String {
    format!("#t={:.1}", t.max(0.0))
}

/// Gaps of at least [`SILENCE`] seconds between any party's speech, from the first speech
/// to the last.
fn silences(facts: &AudioFacts) -> Vec<(f64, f64)> {
    let mut spans: Vec<(f64, f64)> = facts.speech.iter().map(|r| (r.start, r.end)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut gaps = Vec::new();
    let mut reach: Option<f64> = None;
    for (s, e) in spans {
        if let Some(r) = reach
            && s - r >= SILENCE
        {
            gaps.push((r, s));
        }
        reach = Some(reach.map_or(e, |r: f64| r.max(e)));
    }
    gaps
}

/// The strip; `None` facts (a call never decoded) draws nothing.
pub fn timeline(facts: Option<&AudioFacts>, criteria: &[CriterionLine], l: &Labels) -> Markup {
    let Some(facts) = facts.filter(|f| f.duration > 0.0) else {
        return html! {};
    };
    let d = facts.duration;
    let speakers: Vec<(Speaker, &str)> = [Speaker::Staff, Speaker::Caller, Speaker::Unknown]
        .into_iter()
        .filter(|s| facts.speech.iter().any(|r| r.speaker == *s))
        .map(|s| (s, speaker(s, l.shared)))
        .collect();
    // Rows: ringback, one per speaker heard, silences, evidence marks.
    let rows = 3 + speakers.len();
    let height = rows as f64 * ROW + 18.0;
    let y = |row: usize| row as f64 * ROW + 4.0;
    let marks: Vec<(&CriterionLine, f64)> = criteria
        .iter()
        .flat_map(|k| k.evidence.iter().map(move |e| (k, e.start)))
        .collect();
    html! {
        svg.timeline viewBox={"0 0 " (WIDTH) " " (height)} width="100%" role="img"
            aria-label=(l.timeline) data-duration=(format!("{d:.3}")) data-left=(LEFT)
            data-right=(WIDTH - 10.0) data-width=(WIDTH) {
            title { (l.timeline) }
            text x="4" y=(y(0) + 14.0) { (l.ringback) }
            @for r in &facts.ringback {
                a href=(time_anchor(r.start)) {
                    rect.ring x=(x(r.start, d)) y=(y(0)) width=(w(r.start, r.end, d))
                        height=(ROW - 6.0) { title { (l.ringback) " " (mmss(r.start)) } }
                }
            }
            @for (i, (speaker, name)) in speakers.iter().enumerate() {
                text x="4" y=(y(i + 1) + 14.0) { (name) }
                @for r in facts.speech.iter().filter(|r| r.speaker == *speaker) {
                    a href=(time_anchor(r.start)) {
                        rect class={"speech " (speaker.as_str())} x=(x(r.start, d)) y=(y(i + 1))
                            width=(w(r.start, r.end, d)) height=(ROW - 6.0) {
                            title { (name) " " (mmss(r.start)) "–" (mmss(r.end)) }
                        }
                    }
                }
            }
            @let silent_row = speakers.len() + 1;
            text x="4" y=(y(silent_row) + 14.0) { (l.silence) }
            @for (s, e) in silences(facts) {
                a href=(time_anchor(s)) {
                    rect.silence x=(x(s, d)) y=(y(silent_row)) width=(w(s, e, d))
                        height=(ROW - 6.0) { title { (l.silence) " " (mmss(s)) "–" (mmss(e)) } }
                }
            }
            @let mark_row = speakers.len() + 2;
            text x="4" y=(y(mark_row) + 14.0) { (l.evidence) }
            @for (k, t) in &marks {
                @let (class, word) = verdict_word(k.verdict, l.shared);
                @let name = format!("{} — {word} — {}", k.title, mmss(*t));
                // The link carries the name (screen readers, tooltips), like a quote's text.
                a.mark-link href=(time_anchor(*t)) data-t=(format!("{t:.2}")) aria-label=(name)
                    data-criterion=(k.id) {
                    title { (name) }
                    path class={"mark " (class)}
                        d=(format!("M{:.1} {:.1} l-6 14 h12 z", x(*t, d), y(mark_row))) {}
                }
            }
            line.playhead x1=(LEFT) x2=(LEFT) y1="0" y2=(height - 16.0) {}
            text x=(LEFT) y=(height - 2.0) { "0:00" }
            text x=(WIDTH - 10.0) y=(height - 2.0) text-anchor="end" { (mmss(d)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::SpeechRegion;

    #[test]
    fn silences_are_gaps_in_everyone_s_speech() {
        let facts = AudioFacts {
            duration: 30.0,
            speech: vec![
                SpeechRegion {
                    start: 1.0,
                    end: 5.0,
                    speaker: Speaker::Staff,
                },
                SpeechRegion {
                    start: 4.0,
                    end: 6.0,
                    speaker: Speaker::Caller,
                },
                SpeechRegion {
                    start: 7.0,
                    end: 8.0,
                    speaker: Speaker::Staff,
                },
                SpeechRegion {
                    start: 20.0,
                    end: 25.0,
                    speaker: Speaker::Staff,
                },
            ],
            ..AudioFacts::default()
        };
        assert_eq!(silences(&facts), [(8.0, 20.0)]);
    }
}
