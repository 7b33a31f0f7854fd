//! One function per check kind. Each returns the verdict fields the scorer turns into a
//! [`super::CriterionResult`]; reasons are written in the rubric's language.

mod content;
mod hold;
mod name_clause;
mod name_question;
mod phrase;
mod pickup;
pub(crate) mod self_intro;

pub(crate) use hold::silences;
pub(crate) use self_intro::Intro;

use super::matcher::{NameRule, Params, TERM_SHORT_DROP, best_match_dropping, required_similarity};
use super::rubric::{Check, Criterion, Language, Phrase, Rubric};
use super::scenario::Scenario;
use super::speakers::{NameQuestions, StaffSpeech, Utterance};
use super::staff_name::StaffName;
use super::{Evidence, Verdict};
use crate::audio::AudioFacts;

/// What a check decided. `fraction` is the share of the criterion's points earned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decision {
    pub verdict: Verdict,
    pub fraction: f64,
    pub evidence: Vec<Evidence>,
    pub reason: String,
    /// The check itself doubts the verdict (a rule that bets on the usual case passed it):
    /// confidence is capped so a reviewer sees it.
    pub unsure: bool,
    /// Completeness only: indices into the scenario's points of the required points found
    /// nowhere, so confidence and rechecks look at what the verdict found missing.
    pub missing: Vec<usize>,
}

impl Decision {
    pub fn pass(evidence: Vec<Evidence>, reason: String) -> Decision {
        Decision {
            verdict: Verdict::Passed,
            fraction: 1.0,
            evidence,
            reason,
            unsure: false,
            missing: Vec::new(),
        }
    }

    pub fn fail(evidence: Vec<Evidence>, reason: String) -> Decision {
        Decision {
            verdict: Verdict::Failed,
            fraction: 0.0,
            evidence,
            reason,
            unsure: false,
            missing: Vec::new(),
        }
    }

    /// Not applicable: scored as passed with full points, as courtesy forms do.
    pub fn not_applicable(reason: String) -> Decision {
        Decision {
            verdict: Verdict::NotApplicable,
            fraction: 1.0,
            evidence: Vec::new(),
            reason,
            unsure: false,
            missing: Vec::new(),
        }
    }
}

/// Everything a check may look at.
pub(crate) struct Ctx<'a> {
    pub rubric: &'a Rubric,
    pub scenario: Option<&'a Scenario>,
    pub staff: &'a StaffSpeech<'a>,
    pub audio: &'a AudioFacts,
    pub staff_name: Option<&'a str>,
}

/// Most silence between two utterances that a fact may span, seconds: a breath inside one
/// sentence, not a turn of the caller's.
const FACT_JOIN_GAP: f64 = 1.0;

/// A phrase found in the staff's speech.
#[derive(Debug, Clone)]
pub(crate) struct Found<'p> {
    pub phrase: &'p Phrase,
    pub evidence: Evidence,
    /// Index of the utterance in [`StaffSpeech::utts`] and the matched token range `[a, b)`.
    pub utt: usize,
    pub toks: (usize, usize),
}

impl<'p> Found<'p> {
    /// `phrase` matched tokens `a..b` of utterance `i` (`u`) with similarity `sim`; the whole
    /// utterance is quoted.
    pub fn new(
        phrase: &'p Phrase,
        i: usize,
        u: &Utterance<'_>,
        (a, b): (usize, usize),
        sim: f64,
    ) -> Self {
        let (start, end) = quote_time(u, a, b);
        Found {
            phrase,
            utt: i,
            toks: (a, b),
            evidence: Evidence {
                text: u.text.trim().to_string(),
                start: round3(start),
                end: round3(end),
                speaker: u.speaker,
                similarity: round3(sim),
            },
        }
    }
}

/// Shortest time a matcher unit (a Han character, a word) can be said in: ten a second is
/// faster than anyone speaks.
const MIN_UNIT_SECONDS: f64 = 0.1;

/// The time line of utterance `u` that quotes are placed on: its own span, lengthened at the
/// end to [`MIN_UNIT_SECONDS`] a unit when it is shorter. Placing a segment on the speech
/// regions can squeeze it to an instant (Whisper gave it collapsed times at a region's edge,
/// or times before pickup), and a quote then covered no time at all (`0:08–0:08`).
fn spoken_span(u: &Utterance<'_>) -> (f64, f64) {
    let n = u.toks.len().max(1) as f64;
    (u.start, u.end.max(u.start + MIN_UNIT_SECONDS * n))
}

/// When tokens `a..b` of `u` were said, on [`spoken_span`]: each unit gets an equal share.
pub(crate) fn quote_time(u: &Utterance<'_>, a: usize, b: usize) -> (f64, f64) {
    let n = u.toks.len().max(1) as f64;
    let (start, end) = spoken_span(u);
    let d = end - start;
    (start + d * a as f64 / n, start + d * b as f64 / n)
}

/// The token range of `u` a quote from `start` to `end` covers, the inverse of
/// [`quote_time`]; `None` when the quote lies outside `u`.
pub(crate) fn quoted_tokens(u: &Utterance<'_>, start: f64, end: f64) -> Option<(usize, usize)> {
    let (from, to) = spoken_span(u);
    if start < from - 1e-3 || end > to + 1e-3 {
        return None;
    }
    let n = u.toks.len();
    let at = |t: f64| (((t - from) / (to - from) * n as f64).round().max(0.0) as usize).min(n);
    let (a, b) = (at(start), at(end));
    Some(if a < b { (a, b) } else { (0, n) })
}

impl Ctx<'_> {
    pub fn lang(&self) -> Language {
        self.rubric.language
    }

    pub fn params(&self) -> Params {
        Params {
            floor: self.rubric.matching.unit_floor,
            insert_cost: self.rubric.matching.insert_cost,
        }
    }

    pub fn threshold(&self, c: &Criterion) -> f64 {
        c.threshold.unwrap_or(self.rubric.matching.threshold)
    }

    /// Every (utterance, phrase) pair that matches well enough, in time order.
    pub fn find<'p>(
        &self,
        phrases: &'p [Phrase],
        base: f64,
        rule: Option<&NameRule>,
    ) -> Vec<Found<'p>> {
        self.find_dropping(phrases, base, rule, 1.0)
    }

    /// [`Ctx::find`] for a scenario's facts, whose short words ASR may swallow. Whisper also
    /// ends segments mid-sentence ("it costs thirty" | "dollars per hour"), so a fact not
    /// found in one utterance is looked for across two that follow each other closely.
    pub fn find_facts<'p>(&self, phrases: &'p [Phrase], base: f64) -> Vec<Found<'p>> {
        let mut out = self.find_in(&self.staff.utts, 0, phrases, base, None, TERM_SHORT_DROP);
        let missing: Vec<&Phrase> = phrases
            .iter()
            .filter(|p| !out.iter().any(|f| std::ptr::eq(f.phrase, *p)))
            .collect();
        if missing.is_empty() {
            return out;
        }
        for (i, pair) in self.staff.utts.windows(2).enumerate() {
            let (a, b) = (&pair[0], &pair[1]);
            if b.start - a.end > FACT_JOIN_GAP {
                continue;
            }
            let text = format!("{} {}", a.text.trim(), b.text.trim());
            let toks = [a.toks.as_slice(), b.toks.as_slice()].concat();
            let joined = [Utterance {
                text: &text,
                speaker: a.speaker,
                start: a.start,
                end: b.end,
                mask: a.mask | b.mask,
                toks,
                probs: [a.probs.as_slice(), b.probs.as_slice()].concat(),
                speaker_confidence: a.speaker_confidence.min(b.speaker_confidence),
                segment: a.segment,
                within_text: None,
            }];
            for p in &missing {
                out.extend(self.find_in(
                    &joined,
                    i,
                    std::slice::from_ref(*p),
                    base,
                    None,
                    TERM_SHORT_DROP,
                ));
            }
        }
        out.sort_by(|a, b| a.evidence.start.total_cmp(&b.evidence.start));
        out
    }

    fn find_dropping<'p>(
        &self,
        phrases: &'p [Phrase],
        base: f64,
        rule: Option<&NameRule>,
        short_drop: f64,
    ) -> Vec<Found<'p>> {
        self.find_in(&self.staff.utts, 0, phrases, base, rule, short_drop)
    }

    /// `utts` are staff utterances starting at index `first` of `self.staff.utts` (a joined
    /// pair counts as its first utterance).
    fn find_in<'p>(
        &self,
        utts: &[Utterance<'_>],
        first: usize,
        phrases: &'p [Phrase],
        base: f64,
        rule: Option<&NameRule>,
        short_drop: f64,
    ) -> Vec<Found<'p>> {
        let params = self.params();
        let mut out = Vec::new();
        for (k, u) in utts.iter().enumerate() {
            let i = first + k;
            for p in phrases {
                let need = required_similarity(&p.toks, base);
                if p.upper_bound_dropping(u.mask, short_drop) + 1e-9 < need {
                    continue;
                }
                let Some(h) = best_match_dropping(&p.toks, &u.toks, params, rule, short_drop)
                else {
                    continue;
                };
                if h.sim + 1e-9 < need {
                    continue;
                }
                out.push(Found::new(p, i, u, (h.start, h.end), h.sim));
            }
        }
        out.sort_by(|a, b| a.evidence.start.total_cmp(&b.evidence.start));
        out
    }
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A few phrases of a list, quoted for a reason line.
pub(crate) fn quote_list(lang: Language, phrases: &[Phrase]) -> String {
    let shown: Vec<String> = phrases
        .iter()
        .take(3)
        .map(|p| lang.pick(format!("「{}」", p.text), format!("\"{}\"", p.text)))
        .collect();
    let more = if phrases.len() > 3 {
        lang.pick("等", " …")
    } else {
        ""
    };
    format!("{}{more}", shown.join(lang.pick("、", " / ")))
}

pub(crate) fn quote(lang: Language, text: &str) -> String {
    lang.pick(format!("「{text}」"), format!("\"{text}\""))
}

/// The criterion whose phrases ask the caller's name.
pub(crate) const ASK_NAME: &str = "ask_name";

/// The rubric's questions for the caller's name (the `phrase` criterion with id `ask_name`):
/// the staff's question is no self-introduction, and in a mono call the turn after it is the
/// caller's.
pub(crate) fn name_questions<'r>(
    rubric: &'r Rubric,
    staff_name: Option<&str>,
) -> Option<NameQuestions<'r>> {
    let (c, phrases) = rubric.criteria.iter().find_map(|c| match &c.check {
        Check::Phrase { any, .. } if c.id == ASK_NAME => Some((c, any)),
        _ => None,
    })?;
    let staff_phrases = rubric
        .criteria
        .iter()
        .filter(|o| o.id != ASK_NAME)
        .flat_map(|o| match &o.check {
            Check::Phrase { any, .. } => any.iter().collect(),
            Check::Hold { announce, .. } => announce.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    Some(NameQuestions {
        phrases,
        threshold: c.threshold.unwrap_or(rubric.matching.threshold),
        staff_phrases,
        staff_threshold: rubric.matching.threshold,
        staff_name: staff_name.and_then(|n| StaffName::new(rubric, n)),
    })
}

/// Runs the criterion's check.
pub(crate) fn run(cx: &Ctx, c: &Criterion) -> Decision {
    match &c.check {
        Check::Pickup {
            max_rings,
            max_seconds,
        } => pickup::check(cx, *max_rings, *max_seconds),
        Check::Phrase {
            any,
            within_seconds,
            last_seconds,
        } => phrase::said(cx, c, any, *within_seconds, *last_seconds),
        Check::Forbidden {
            any,
            within_seconds,
        } => phrase::forbidden(cx, c, any, *within_seconds),
        Check::SelfIntro {
            patterns,
            within_seconds,
        } => self_intro::check(cx, c, patterns, *within_seconds),
        Check::Hold {
            max_silence_seconds,
            announce,
        } => hold::check(cx, c, *max_silence_seconds, announce),
        Check::Accuracy => content::accuracy(cx, c),
        Check::Completeness => content::completeness(cx, c),
    }
}
