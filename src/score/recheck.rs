//! Which stretches of a call are worth hearing again: where a phrase or point was not found
//! and the verdict is in doubt ([`super::needs_review`]), the stretch it had to be said in,
//! with the terms to prompt Whisper with. The pipeline re-transcribes just that stretch and
//! keeps the new text only if it settles the verdict (`pipeline::run`).

use super::checks::{self, Ctx};
use super::confidence::{self, Stretch};
use super::rubric::{Check, Phrase, Rubric};
use super::scenario::{Scenario, prompt_terms};
use super::{Verdict, needs_review};
use crate::audio::AudioFacts;
use crate::transcribe::Segment;

/// One stretch to transcribe again, with a prompt of just the missing terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Recheck {
    /// The criterion whose verdict may change.
    pub criterion: String,
    pub start: f64,
    pub end: f64,
    /// What the staff should have said there: the criterion's phrases, the staff's name, or a
    /// missing point's wordings right and wrong (so the prompt does not favour passing).
    pub terms: Vec<String>,
}

/// The stretches of doubtful "not found" verdicts, as [`super::score_call`] would judge the
/// call; arguments as there. A stretch is cut to the staff speech measured inside it, so
/// Whisper hears only what the verdict rests on.
pub fn rechecks(
    rubric: &Rubric,
    scenario: Option<&Scenario>,
    segments: &[Segment],
    audio: &AudioFacts,
    staff_name: Option<&str>,
) -> Vec<Recheck> {
    super::in_context(rubric, scenario, segments, audio, staff_name, |cx| {
        stretches(cx, segments)
    })
}

fn stretches(cx: &Ctx, segments: &[Segment]) -> Vec<Recheck> {
    let (rubric, scenario, audio) = (cx.rubric, cx.scenario, cx.audio);
    let mut out = Vec::new();
    for c in &rubric.criteria {
        let d = checks::run(cx, c);
        if d.verdict != Verdict::Failed || !needs_review(confidence::of(cx, segments, c, &d)) {
            continue;
        }
        let said_nothing = d.evidence.is_empty();
        let (w, terms): (Stretch, Vec<String>) = match (&c.check, scenario) {
            (
                Check::Phrase {
                    any,
                    within_seconds,
                    last_seconds,
                },
                _,
            ) if said_nothing => (
                Stretch::of(cx, *within_seconds, *last_seconds),
                terms(cx, any.iter()),
            ),
            (Check::SelfIntro { within_seconds, .. }, _) if said_nothing => match cx.staff_name {
                Some(name) => (
                    Stretch::of(cx, *within_seconds, None),
                    vec![name.trim().to_string()],
                ),
                None => continue,
            },
            // The answer: from the first point found to the last; a missing point was most
            // likely said among them.
            (Check::Completeness, Some(sc)) if !said_nothing => {
                let w = Stretch {
                    start: d
                        .evidence
                        .iter()
                        .map(|e| e.start)
                        .fold(f64::INFINITY, f64::min),
                    end: d
                        .evidence
                        .iter()
                        .map(|e| e.end)
                        .fold(f64::NEG_INFINITY, f64::max),
                };
                let missing = d.missing.iter().map(|&i| &sc.points[i]);
                (
                    w,
                    terms(cx, missing.flat_map(|p| p.say.iter().chain(&p.wrong))),
                )
            }
            _ => continue,
        };
        let inside = audio.staff_speech_in(w.start, w.end);
        // First start and last end of the staff speech measured inside the stretch.
        let start = inside.iter().map(|r| r.start).reduce(f64::min);
        let end = inside.iter().map(|r| r.end).reduce(f64::max);
        if let (Some(start), Some(end)) = (start, end) {
            out.push(Recheck {
                criterion: c.id.clone(),
                start,
                end,
                terms,
            });
        }
    }
    out
}

/// Prompt terms of `phrases` in the rubric's language where the list has both.
fn terms<'p>(cx: &Ctx, phrases: impl Iterator<Item = &'p Phrase>) -> Vec<String> {
    let phrases: Vec<&Phrase> = phrases.collect();
    let in_lang = prompt_terms(&phrases, Some(cx.lang()));
    if in_lang.is_empty() {
        prompt_terms(&phrases, None)
    } else {
        in_lang
    }
}
