//! How sure a verdict is, 0..=1, so a supervisor can check the doubtful ones first.
//!
//! Each doubt about what a verdict rests on is a factor in 0..=1, and the confidence is their
//! product:
//! - the evidence: how sure Whisper was of the quoted words (token probabilities), how sure it
//!   is that the staff said them (speaker attribution), text flagged as invented nearby;
//! - the distance to a limit: rings at the limit, first words or a silence a second from it, a
//!   match just over the matching threshold, a phrase said just inside the time window;
//! - for a verdict that rests on something not being found, looked at where it had to be said
//!   (the opening for a greeting or a name, the last seconds for a closing): staff speech
//!   measured there that Whisper left untranscribed, and the best near-miss when the words
//!   Whisper was unsure of may be any word (a phrase misheard hides there), or when a phrase
//!   heard but for one half-believed unit is one slip from found; for an opening phrase, a
//!   clause of the opening turn about as long as the phrase that Whisper was unsure of; how much
//!   staff speech was heard at all, and how sure Whisper was of it.
//!
//! Factors are deliberately coarse: they rank verdicts for review, they are not calibrated
//! probabilities.

use super::agency;
use super::checks::self_intro::{gives_a_name, says_staff_name};
use super::checks::{ASK_NAME, Ctx, Decision, Intro, quoted_tokens, silences};
use super::matcher::{Hit, NameRule, best_match_doubting, required_similarity};
use super::normalize::is_han;
use super::rubric::{Check, Criterion, Language, Phrase};
use super::speakers::Utterance;
use super::tokens::{Tok, numbers_as_spoken, tokenize, word_units};
use super::{Evidence, Verdict};
use crate::audio::{AudioFacts, Region, Speaker, SpeechRegion, overlap, seconds};
use crate::transcribe::{Segment, Token, staff_text_spans};

/// Verdicts less sure than this are marked `needs_review`. Chosen on the labelled public sets
/// with the base model and the default settings (`examples/eval` prints a sweep; every wrong
/// verdict there is a phrase or point not found that was said): at 0.6, 9% of the English
/// verdicts are marked and hold all 4 wrong ones (0.5 marks 4% for 3 of 4, 0.8 marks 22%);
/// 13% of the Mandarin verdicts are marked, with the one wrong one (0.5 marks 5% with it).
pub const REVIEW_BELOW: f64 = 0.6;

/// Speaker confidence of a mono utterance when nothing better is known: the caller's
/// scripted lines are cut out, but what remains may still be the caller's.
pub(crate) const MONO_SPEAKER_CONFIDENCE: f64 = 0.8;

/// Whether a verdict with `confidence` should go to a supervisor.
pub fn needs_review(confidence: f64) -> bool {
    confidence < REVIEW_BELOW
}

/// The speech finder's own doubt about a call: it missed speech-band energy on some side and
/// that side was transcribed whole. Pickup time, silences and "nothing heard" all rest on the
/// speech regions, so such verdicts get [`SPEECH_FINDER_UNSURE`].
fn speech_finder_unsure(audio: &AudioFacts) -> bool {
    audio.speech_finder_unsure()
}

/// Factor for verdicts resting on speech regions the speech finder was unsure of.
const SPEECH_FINDER_UNSURE: f64 = 0.7;
/// Invented text this close (seconds) to a quote may be misplaced staff speech.
const INVENTED_NEAR_SECONDS: f64 = 3.0;
const INVENTED_NEAR: f64 = 0.8;

/// 0 at `lo`, 1 at `hi`, linear between.
fn ramp(x: f64, lo: f64, hi: f64) -> f64 {
    ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// 0.5 when `distance` to a limit is 0, rising to 1 at `scale` away (either side).
fn margin(distance: f64, scale: f64) -> f64 {
    const AT_LIMIT: f64 = 0.5;
    AT_LIMIT + (1.0 - AT_LIMIT) * ramp(distance.abs(), 0.0, scale)
}

/// Ring counting is reliable (bursts are measured, not transcribed), so a count at the limit
/// alone does not send a verdict to review.
const RING_AT_LIMIT: f64 = 0.7;

/// Seconds from a time limit within which a verdict could flip on loose word timings.
const TIME_SCALE: f64 = 1.5;
/// Similarity above (or below) the threshold beyond which a match is clear.
const SIM_SCALE: f64 = 0.15;

/// Per-token probabilities for an utterance of `n` matcher tokens, from the segment's Whisper
/// tokens: characters are counted in the units the matcher uses (a Han character, or a run of
/// letters and digits), and spread evenly over `n` when the counts differ (numbers, times).
/// Empty when the segment kept no tokens.
pub(crate) fn token_probs(tokens: &[Token], n: usize) -> Vec<f32> {
    // (probability, text) of each Han character and each word, a word being letters and
    // digits with the apostrophes inside it ("children's" is one word, "we're" two).
    let mut pieces: Vec<(f32, String)> = Vec::new();
    let mut in_word = false;
    for t in tokens {
        for c in t.text.chars() {
            if is_han(c) {
                pieces.push((t.p, c.to_string()));
                in_word = false;
            } else if c.is_alphanumeric() || (in_word && matches!(c, '\'' | '’')) {
                match pieces.last_mut() {
                    Some((p, w)) if in_word => {
                        *p = p.min(t.p);
                        w.push(c);
                    }
                    _ => pieces.push((t.p, c.to_string())),
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }
    // A word the matcher splits (a contraction) gives each part its probability.
    let units: Vec<f32> = pieces
        .iter()
        .flat_map(|(p, w)| {
            let n = if is_han_str(w) { 1 } else { word_units(w) };
            std::iter::repeat_n(*p, n)
        })
        .collect();
    let m = units.len();
    if m == 0 || n == 0 {
        return Vec::new();
    }
    (0..n)
        .map(|i| {
            let a = i * m / n;
            let b = ((i + 1) * m / n).clamp(a + 1, m);
            units[a..b].iter().copied().fold(1.0, f32::min)
        })
        .collect()
}

fn is_han_str(s: &str) -> bool {
    s.chars().all(is_han)
}

/// How sure Whisper was of a stretch of words: their mean probability pulled towards the
/// least sure word (one misheard word is enough to change a phrase). `None` when unknown.
fn stretch_probability(probs: &[f32]) -> Option<f64> {
    if probs.is_empty() {
        return None;
    }
    let mean = probs.iter().map(|&p| p as f64).sum::<f64>() / probs.len() as f64;
    let min = probs.iter().copied().fold(1.0f32, f32::min) as f64;
    Some((mean + min) / 2.0)
}

/// Token probability → factor: words Whisper was sure of cost nothing.
fn heard(p: Option<f64>) -> f64 {
    p.map_or(1.0, |p| 0.3 + 0.7 * ramp(p, 0.25, 0.7))
}

/// How much a word heard with probability `p` may be any other word, 0..=1: fully below 0.1
/// (Whisper's guesses on sounds it could not make out), not at all from 0.5. Stricter than
/// [`heard`]'s doubt about a quote: a word Whisper half doubts is still rarely a phrase's
/// word.
fn could_be_any(p: f64) -> f64 {
    1.0 - ramp(p, 0.1, 0.5)
}

/// How much a word heard with probability `p` may be another word when it is the one unit
/// keeping a phrase from matching, 0..=1: fully below 0.3, not at all from 0.9. Laxer than
/// [`could_be_any`] because the rest of the phrase was heard by sound around it.
fn could_be_slip(p: f64) -> f64 {
    1.0 - ramp(p, 0.3, 0.9)
}

/// Shortest phrase (in units) one slip may complete: in a shorter one the single unit heard
/// by sound is no anchor ("hello" is not one slip from "so").
const SLIP_MIN_UNITS: usize = 3;

/// The utterance a quote was taken from, and the token range the quote's times cover.
fn source<'u, 'a>(cx: &'u Ctx<'a>, e: &Evidence) -> Option<(&'u Utterance<'a>, usize, usize)> {
    cx.staff.utts.iter().find_map(|u| {
        if u.speaker != e.speaker || u.text.trim() != e.text {
            return None;
        }
        let (a, b) = quoted_tokens(u, e.start, e.end)?;
        Some((u, a, b))
    })
}

/// How sure a quote is the staff's words as transcribed: token probabilities of the quoted
/// stretch, speaker attribution, and invented text nearby.
fn evidence_factor(cx: &Ctx, segments: &[Segment], e: &Evidence) -> f64 {
    quoted_factor(cx, segments, e, false)
}

/// [`evidence_factor`]; with `name_slot` the least sure word of the stretch is left out: a
/// self-introduction's name slot takes any name, and Whisper is rarely sure how a name is
/// spelt.
fn quoted_factor(cx: &Ctx, segments: &[Segment], e: &Evidence, name_slot: bool) -> f64 {
    let mut f = 1.0;
    if let Some((u, a, b)) = source(cx, e) {
        let mut probs = u.probs.get(a..b).unwrap_or(&[]).to_vec();
        if name_slot && probs.len() > 1 {
            let least = (0..probs.len())
                .min_by(|&i, &j| probs[i].total_cmp(&probs[j]))
                .unwrap_or(0);
            probs.remove(least);
        }
        f *= heard(stretch_probability(&probs));
        f *= u.speaker_confidence;
    }
    let invented_near = segments.iter().any(|s| {
        s.invented
            && s.speaker != Speaker::Caller
            && s.start < e.end + INVENTED_NEAR_SECONDS
            && s.end > e.start - INVENTED_NEAR_SECONDS
    });
    if invented_near {
        f *= INVENTED_NEAR;
    }
    f
}

/// Share of the doubt about the distinctive words counted again: the quote's own factor has
/// already counted them once among the rest.
const DISTINCTIVE_WEIGHT: f64 = 0.5;

/// How sure Whisper was of the distinctive words of an agency name quoted by `e` (兒童 of
/// 兒童福利服務中心): on their own they tell this agency from the others, so a pass resting on
/// them heard unsure is doubted beyond the quote as a whole. 1 for phrases naming no agency.
fn distinctive_factor(cx: &Ctx, any: &[Phrase], e: &Evidence, base: f64) -> f64 {
    let Some((u, a, b)) = source(cx, e) else {
        return 1.0;
    };
    any.iter()
        .filter_map(|p| agency::heard(cx.lang(), p, &u.toks, (a, b), base, cx.params()))
        .filter(|runs| !runs.is_empty())
        .map(|runs| {
            let probs: Vec<f32> = runs
                .iter()
                .flat_map(|&(x, y)| u.probs.get(x..y).unwrap_or(&[]))
                .copied()
                .collect();
            1.0 - DISTINCTIVE_WEIGHT * (1.0 - heard(stretch_probability(&probs)))
        })
        .reduce(f64::max)
        .unwrap_or(1.0)
}

/// A match's distance from the threshold it had to reach.
fn match_factor(e: &Evidence, base: f64) -> f64 {
    if e.similarity >= 0.999 {
        1.0
    } else {
        margin(e.similarity - base, SIM_SCALE)
    }
}

/// A quote, all its doubts together.
fn quote_factor(cx: &Ctx, segments: &[Segment], e: &Evidence, base: f64) -> f64 {
    evidence_factor(cx, segments, e) * match_factor(e, base)
}

/// Where on the call's time line a missing phrase would have been said.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stretch {
    pub start: f64,
    pub end: f64,
}

impl Stretch {
    const WHOLE: Stretch = Stretch {
        start: f64::NEG_INFINITY,
        end: f64::INFINITY,
    };

    fn overlaps(&self, start: f64, end: f64) -> bool {
        start < self.end && end > self.start
    }

    /// The stretch a phrase had to be said in: `within` seconds of the staff's first words,
    /// the `last` seconds of their speech, else the whole call. The end of their speech is
    /// as measured when that is later than the last words transcribed: a closing the
    /// transcriber dropped was still said in the last seconds.
    pub(crate) fn of(cx: &Ctx, within: Option<f64>, last: Option<f64>) -> Stretch {
        match (within, last, cx.staff.first) {
            (Some(w), _, Some(first)) => Stretch {
                start: first,
                end: first + w,
            },
            (None, Some(l), _) => {
                let measured = cx
                    .audio
                    .staff_speech_in(f64::NEG_INFINITY, f64::INFINITY)
                    .iter()
                    .map(|r| r.end)
                    .reduce(f64::max);
                match cx
                    .staff
                    .last_end
                    .into_iter()
                    .chain(measured)
                    .reduce(f64::max)
                {
                    Some(end) => Stretch {
                        start: end - l,
                        end,
                    },
                    None => Stretch::WHOLE,
                }
            }
            _ => Stretch::WHOLE,
        }
    }
}

/// Seconds of measured staff speech inside `w` that no transcript segment covers: words
/// the transcriber dropped, where a phrase not found may have been said.
fn unheard_seconds(cx: &Ctx, segments: &[Segment], w: Stretch) -> f64 {
    let staff: Vec<Region> = cx
        .audio
        .staff_speech_in(w.start, w.end)
        .iter()
        .map(SpeechRegion::span)
        .collect();
    seconds(&staff) - overlap(&staff, &staff_text_spans(segments))
}

/// Unheard speech from which a dropped phrase becomes plausible, and the length at which
/// the doubt is full: a word or two, then a whole phrase.
const UNHEARD_FROM: f64 = 0.5;
const UNHEARD_FULL: f64 = 2.0;
const UNHEARD_WEIGHT: f64 = 0.6;

/// Doubt about a phrase not found in `w` because the transcriber left part of it out.
fn unheard_factor(cx: &Ctx, segments: &[Segment], w: Stretch) -> f64 {
    1.0 - UNHEARD_WEIGHT * ramp(unheard_seconds(cx, segments, w), UNHEARD_FROM, UNHEARD_FULL)
}

/// How well the staff's speech was heard, for a verdict that rests on something not being
/// found in stretch `w`: little speech, unsure words, text flagged as invented, an unsure
/// speech finder, staff speech in `w` left untranscribed.
fn absence_factor(cx: &Ctx, segments: &[Segment], w: Stretch) -> f64 {
    let toks: usize = cx.staff.utts.iter().map(|u| u.toks.len()).sum();
    let mut f = 0.4 + 0.6 * ramp(toks as f64, 4.0, 30.0);
    let probs: Vec<f32> = cx
        .staff
        .utts
        .iter()
        .flat_map(|u| u.probs.iter().copied())
        .collect();
    if !probs.is_empty() {
        let mean = probs.iter().map(|&p| p as f64).sum::<f64>() / probs.len() as f64;
        f *= 0.6 + 0.4 * ramp(mean, 0.4, 0.75);
    }
    // Staff speech possibly cut out as the caller's, or attributed with doubt.
    if !cx.staff.utts.is_empty() {
        let mean = cx
            .staff
            .utts
            .iter()
            .map(|u| u.speaker_confidence)
            .sum::<f64>()
            / cx.staff.utts.len() as f64;
        f *= 0.5 + 0.5 * mean;
    }
    if segments
        .iter()
        .any(|s| s.invented && s.speaker != Speaker::Caller)
    {
        f *= INVENTED_NEAR;
    }
    if speech_finder_unsure(cx.audio) {
        f *= SPEECH_FINDER_UNSURE;
    }
    f * unheard_factor(cx, segments, w)
}

/// Share of a phrase that must be heard by sound before unsure words may complete it.
const ANCHORED_FROM: f64 = 0.5;

/// Doubt about a phrase not being found in stretch `w`: how close the best near-miss came
/// (0.5 at the threshold) when the words Whisper was unsure of may be any word. A misheard
/// phrase hides there: "Service Center" heard as "with cancer", a name as "you are", 三十元
/// as 分十元, each on words Whisper gave little probability. In Mandarin, numbers are also
/// compared as they sound ([`numbers_as_spoken`]): digits match only exactly, and 三十 heard
/// as 分十 would otherwise look like a different number said with confidence.
fn near_miss_factor(
    cx: &Ctx,
    phrases: &[Phrase],
    base: f64,
    w: Stretch,
    rule: Option<&NameRule>,
) -> f64 {
    let params = cx.params();
    let by_sound = cx.lang() == Language::Zh;
    let mut doubt: f64 = 0.0;
    // Raises `doubt` to how close `pattern` came in `text`, whose unit `j` may be any word
    // with similarity `maybe[j]`.
    let mut near = |pattern: &[Tok], text: &[Tok], maybe: &[f64], slip: &[f64]| {
        let need = required_similarity(pattern, base);
        // How much a near-miss `h` would raise the doubt, if its stretch is heard by sound
        // to at least `anchor`. Aligned by sound only for a near-miss that would count.
        let mut raise = |h: Option<Hit>, anchor: f64| {
            let Some(h) = h else { return };
            let this = 1.0 - margin((need - h.sim).max(0.0), SIM_SCALE);
            if this <= doubt {
                return;
            }
            let heard = best_match_doubting(pattern, &text[h.start..h.end], &[], params, rule)
                .is_some_and(|a| a.sim + 1e-9 >= anchor);
            if heard {
                doubt = this;
            }
        };
        // Unsure words only fill gaps in a phrase whose stretch is half heard by sound: any
        // short phrase would otherwise "hide" in any unsure word.
        raise(
            best_match_doubting(pattern, text, maybe, params, rule),
            ANCHORED_FROM,
        );
        // A phrase heard by sound but for one unit is one slip from being found, and a unit
        // Whisper only half believed is a likely slip (三十元 heard as 分十元, 分 at 0.55).
        // Not with a name slot: it takes almost any word, so it anchors nothing ("I'd like"
        // would be one slip from "I am {name}").
        if pattern.len() >= SLIP_MIN_UNITS && !pattern.contains(&Tok::Name) {
            let all_but_one = 1.0 - 1.0 / pattern.len() as f64;
            raise(
                best_match_doubting(pattern, text, slip, params, rule),
                all_but_one,
            );
        }
    };
    // Phrases with a number, as said aloud (none outside Mandarin).
    let said: Vec<Vec<Tok>> = phrases
        .iter()
        .filter(|_| by_sound)
        .filter_map(|p| numbers_as_spoken(&p.toks).map(|(t, _)| t))
        .collect();
    for u in cx.staff.utts.iter().filter(|u| w.overlaps(u.start, u.end)) {
        let maybe: Vec<f64> = u.probs.iter().map(|&p| could_be_any(p as f64)).collect();
        let slip: Vec<f64> = u.probs.iter().map(|&p| could_be_slip(p as f64)).collect();
        for p in phrases {
            near(&p.toks, &u.toks, &maybe, &slip);
        }
        if said.is_empty() {
            continue;
        }
        let (text, from) = numbers_as_spoken(&u.toks)
            .unwrap_or_else(|| (u.toks.clone(), (0..u.toks.len()).collect()));
        // Each spoken unit is as doubtful as the unit it came from.
        let spoken = |d: &[f64]| -> Vec<f64> {
            if d.is_empty() {
                Vec::new()
            } else {
                from.iter().map(|&i| d[i]).collect()
            }
        };
        let (maybe, slip) = (spoken(&maybe), spoken(&slip));
        for p in &said {
            near(p, &text, &maybe, &slip);
        }
    }
    1.0 - doubt
}

/// Doubt about a phrase expected at the opening (`within` seconds of pickup) and not found.
/// A greeting or a name of the agency is said as a clause of its own in the staff's opening
/// turn ("Hello, …", "…中心，您好，"), so a clause there about as long as the phrase
/// ([`fits_slot`]) stands where the phrase would. When Whisper was unsure of its words they may be the phrase misheard
/// ("Hello" heard as "So" at 0.48), however little they sound like it; words it was sure of
/// leave no doubt (the staff said something else), nor does the staff's own name.
fn opening_slot_factor(cx: &Ctx, phrases: &[Phrase], w: Stretch) -> f64 {
    const WEIGHT: f64 = 0.7;
    let turn = cx.staff.utts.iter().filter(|u| {
        u.start < w.end && u.end > w.start && cx.staff.caller_first.is_none_or(|c| u.start < c)
    });
    let mut doubt: f64 = 0.0;
    for u in turn.filter(|u| u.probs.len() == u.toks.len()) {
        for (a, b) in u.clauses() {
            if !phrases.iter().any(|p| fits_slot(p.toks.len(), b - a))
                || says_staff_name(cx, &u.toks[a..b])
            {
                continue;
            }
            if let Some(sure) = stretch_probability(&u.probs[a..b]) {
                doubt = doubt.max(WEIGHT * (1.0 - ramp(sure, 0.3, 0.8)));
            }
        }
    }
    1.0 - doubt
}

/// Whether a clause of `clause` units could be a phrase of `phrase` units misheard. Whisper
/// breaks an unclear word into pieces more often than it joins two ("afternoon" heard as "go
/// noon", 您好 as 您的好), and drops one now and then.
fn fits_slot(phrase: usize, clause: usize) -> bool {
    clause + 1 >= phrase && clause <= phrase + 2
}

/// Doubt about a point missing from an answer: the utterances that hold the points found are
/// where the staff gave the answer, and a word there that Whisper was unsure of may be the
/// missing point misheard ("photo" heard as "fill two" beside "front desk").
fn answer_factor(cx: &Ctx, evidence: &[Evidence]) -> f64 {
    const WEIGHT: f64 = 0.6;
    let least = evidence
        .iter()
        .filter_map(|e| source(cx, e))
        .flat_map(|(u, _, _)| u.probs.iter().copied())
        .fold(None, |m: Option<f32>, p| Some(m.map_or(p, |m| m.min(p))));
    1.0 - WEIGHT * (1.0 - heard(least.map(f64::from)))
}

/// Distance in seconds of a quote's start from the start of a `within` window.
fn within_factor(cx: &Ctx, e: &Evidence, within: Option<f64>) -> f64 {
    match (within, cx.staff.first) {
        (Some(w), Some(first)) => margin(e.start - first - w, TIME_SCALE),
        _ => 1.0,
    }
}

fn last_factor(cx: &Ctx, e: &Evidence, last: Option<f64>) -> f64 {
    match (last, cx.staff.last_end) {
        (Some(l), Some(end)) => margin(end - e.end - l, TIME_SCALE),
        _ => 1.0,
    }
}

/// The weakest of several quotes a verdict needs all of.
fn weakest(factors: impl Iterator<Item = f64>) -> f64 {
    factors.fold(1.0, f64::min)
}

/// The strongest of several quotes any one of which decides the verdict.
fn strongest(factors: impl Iterator<Item = f64>) -> f64 {
    factors.fold(0.0, f64::max)
}

/// The confidence of criterion `c`'s decision `d`, 0..=1, rounded to two decimals.
pub(crate) fn of(cx: &Ctx, segments: &[Segment], c: &Criterion, d: &Decision) -> f64 {
    let base = cx.threshold(c);
    let quote = |e: &Evidence| quote_factor(cx, segments, e, base);
    let passed = d.verdict == Verdict::Passed;
    let f = match &c.check {
        Check::Pickup {
            max_rings,
            max_seconds,
        } => pickup(cx, *max_rings, *max_seconds),
        Check::Phrase {
            any,
            within_seconds,
            last_seconds,
        } => match d.evidence.first() {
            Some(e) if passed => {
                quote(e)
                    * distinctive_factor(cx, any, e, base)
                    * within_factor(cx, e, *within_seconds)
                    * last_factor(cx, e, *last_seconds)
            }
            // Said, but outside the window: only the timing is in doubt.
            Some(e) => {
                evidence_factor(cx, segments, e)
                    * within_factor(cx, e, *within_seconds)
                    * last_factor(cx, e, *last_seconds)
            }
            None => {
                let w = Stretch::of(cx, *within_seconds, *last_seconds);
                let slot = match within_seconds {
                    Some(_) => opening_slot_factor(cx, any, w),
                    None => 1.0,
                };
                let answered = if c.id == ASK_NAME {
                    name_given_factor(cx, segments)
                } else {
                    1.0
                };
                absence_factor(cx, segments, w)
                    * near_miss_factor(cx, any, base, w, None)
                    * slot
                    * answered
            }
        },
        Check::Forbidden {
            any,
            within_seconds,
        } => {
            if d.evidence.is_empty() {
                near_miss_factor(cx, any, base, Stretch::of(cx, *within_seconds, None), None)
            } else {
                strongest(d.evidence.iter().map(quote))
            }
        }
        Check::SelfIntro {
            within_seconds,
            patterns,
        } => {
            let base = (base - cx.rubric.matching.self_intro_slack).max(0.0);
            match d.evidence.first() {
                Some(e) if passed => {
                    quote_factor(cx, segments, e, base) * within_factor(cx, e, *within_seconds)
                }
                Some(e) => evidence_factor(cx, segments, e) * within_factor(cx, e, *within_seconds),
                None => {
                    let w = Stretch::of(cx, *within_seconds, None);
                    let intro = Intro::new(cx, patterns);
                    absence_factor(cx, segments, w)
                        * near_miss_factor(cx, &intro.patterns, base, w, Some(&intro.rule(cx)))
                }
            }
        }
        Check::Hold {
            max_silence_seconds,
            announce,
        } => hold(cx, segments, d, *max_silence_seconds, announce, base),
        Check::Accuracy => match (d.verdict, cx.scenario) {
            (Verdict::Passed, Some(sc)) => {
                let wrong: Vec<Phrase> = sc.points.iter().flat_map(|p| p.wrong.clone()).collect();
                near_miss_factor(cx, &wrong, base, Stretch::WHOLE, None)
            }
            (Verdict::Failed, _) => strongest(d.evidence.iter().map(quote)),
            _ => 1.0,
        },
        Check::Completeness => match (d.verdict, cx.scenario) {
            (Verdict::Passed, _) => weakest(d.evidence.iter().map(quote)),
            (Verdict::Failed, Some(sc)) => {
                // Wrong only if every missing point was said after all: the clearest miss
                // decides.
                let clearest = d
                    .missing
                    .iter()
                    .map(|&i| &sc.points[i])
                    .map(|p| {
                        let all: Vec<Phrase> = p.say.iter().chain(&p.wrong).cloned().collect();
                        near_miss_factor(cx, &all, base, Stretch::WHOLE, None)
                    })
                    .fold(0.0, f64::max);
                absence_factor(cx, segments, Stretch::WHOLE)
                    * clearest
                    * answer_factor(cx, &d.evidence)
            }
            _ => 1.0,
        },
    };
    let f = if d.unsure { f.min(UNSURE_CAP) } else { f };
    (f.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// The most a verdict the check itself doubts ([`Decision::unsure`]) can be trusted: just under
/// [`REVIEW_BELOW`], so it is always shown for review.
const UNSURE_CAP: f64 = 0.5;

/// Rings counted one off, or first words a second from the limit, flip the verdict.
fn pickup(cx: &Ctx, max_rings: Option<u32>, max_seconds: Option<f64>) -> f64 {
    let Some(first) = cx.audio.first_staff_speech.or(cx.staff.first) else {
        // No staff speech at all: more likely a recording or speech-finder problem.
        return 0.5;
    };
    let mut f = 1.0;
    if let Some(max) = max_rings {
        // A ring at the limit or just over it: one burst missed or counted twice flips it.
        if cx.audio.rings == max || cx.audio.rings == max + 1 {
            f *= RING_AT_LIMIT;
        }
    }
    if let Some(max) = max_seconds {
        f *= margin(first - max, TIME_SCALE);
    }
    if speech_finder_unsure(cx.audio) {
        f *= SPEECH_FINDER_UNSURE;
    }
    f
}

/// Hold: a silence just over the limit, an announcement quoted, a silence just under it.
fn hold(
    cx: &Ctx,
    segments: &[Segment],
    d: &Decision,
    max: f64,
    announce: &[Phrase],
    base: f64,
) -> f64 {
    let unsure = if speech_finder_unsure(cx.audio) {
        SPEECH_FINDER_UNSURE
    } else {
        1.0
    };
    match d.verdict {
        // The longest silence kept under the limit: near it, a hold may have been missed.
        Verdict::NotApplicable => {
            let longest = silences(cx, max - TIME_SCALE)
                .iter()
                .map(|(s, e)| e - s)
                .fold(0.0, f64::max);
            let near = if longest > 0.0 {
                margin(max - longest, TIME_SCALE)
            } else {
                1.0
            };
            near * unsure
        }
        Verdict::Passed => weakest(
            d.evidence
                .iter()
                .map(|e| quote_factor(cx, segments, e, base)),
        ),
        // The check stops at the first unannounced silence, after quoting one announcement
        // per earlier silence: that silence is the one the verdict rests on.
        Verdict::Failed => {
            let gaps = silences(cx, max);
            let gap = gaps.get(d.evidence.len());
            let over = gap.map_or(1.0, |(s, e)| margin(e - s - max, TIME_SCALE));
            let spoke = gap.map_or(1.0, |&(s, _)| spoke_before(cx, s));
            over * spoke * near_miss_factor(cx, announce, base, Stretch::WHOLE, None) * unsure
        }
    }
}

/// Longest caller turn read as a bare answer with their name (我姓鍾, "My name is Mrs Ho").
const NAME_TURN_UNITS: usize = 6;
/// Confidence left to "did not ask the caller's name" when the caller answered with it.
const NAME_GIVEN: f64 = 0.5;
/// How long the caller's first words (their greeting and question) may run, seconds.
const FIRST_WORDS_SECONDS: f64 = 6.0;

/// Doubt about the staff never asking the caller's name when the caller gave it in a turn of
/// its own: a name said alone is an answer, so the staff most likely asked, in words the
/// rubric does not list (請問您大名, "And your name is?") or misheard. A caller who names
/// themself unasked does it when they first speak, with their question ("Hi, this is Mr
/// Lee, I'd like to ask…"), which Whisper may still cut into a turn of its own: so an answer
/// counts only after the caller's first words.
fn name_given_factor(cx: &Ctx, segments: &[Segment]) -> f64 {
    let Some(caller_first) = cx.staff.caller_first else {
        return 1.0;
    };
    let callers = |i: usize, units: usize| {
        cx.staff
            .callers
            .iter()
            .any(|c| c.segment == i && c.units == units)
    };
    let given = segments.iter().enumerate().any(|(i, s)| {
        let toks = tokenize(&s.text);
        !s.invented
            && s.start > caller_first + FIRST_WORDS_SECONDS
            && (s.speaker == Speaker::Caller || callers(i, toks.len()))
            && toks.len() <= NAME_TURN_UNITS
            && gives_a_name(cx, &toks)
    });
    if given { NAME_GIVEN } else { 1.0 }
}

/// How close before a silence the staff's last sentence may end to be read as what they said
/// on leaving, seconds.
const LAST_WORDS_SECONDS: f64 = 1.5;
/// Units a sentence needs to be more than a filler ("Um", 好, "Okay").
const SENTENCE_UNITS: usize = 3;
/// Confidence left to an unannounced hold when the staff said a sentence just before it.
const SPOKE_BEFORE_HOLD: f64 = 0.5;

/// Doubt about a silence being unannounced when the staff said a sentence (not a filler) just
/// before it: what someone says as they put the line on hold is most likely the announcement,
/// in words the rubric does not list ("Bear with me", 我查一下喔) or misheard (請稍等 as
/// 選招等). A silence that follows the caller's words, or a staff filler, stays sure.
fn spoke_before(cx: &Ctx, silence_start: f64) -> f64 {
    let said = cx.staff.utts.iter().any(|u| {
        u.start < silence_start
            && u.end >= silence_start - LAST_WORDS_SECONDS
            && u.toks.len() >= SENTENCE_UNITS
    });
    if said { SPOKE_BEFORE_HOLD } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::SpeechRegion;
    use crate::score::{Recheck, Rubric, rechecks, score_call};

    /// A form's header and pickup criterion; [`form`] adds the rest.
    const HEAD: &str = r#"
[rubric]
id = "t"
title = "T"
language = "en"

[[grade]]
name = "All"
min = 0

[[criterion]]
id = "pickup"
title = "Pickup"
category = "speed"
points = 1
check = "pickup"
max_rings = 3
"#;

    fn form(criteria: &str) -> Rubric {
        Rubric::parse(&format!("{HEAD}{criteria}"), "t.toml").unwrap()
    }

    const RUBRIC: &str = r#"
[[criterion]]
id = "greeting"
title = "Greeting"
category = "courtesy"
points = 1
check = "phrase"
any = ["good morning", "hello"]
within_seconds = 10

[[criterion]]
id = "hold"
title = "Hold"
category = "courtesy"
points = 1
check = "hold"
max_silence_seconds = 10
announce = ["one moment"]
"#;

    fn region(start: f64, end: f64) -> SpeechRegion {
        SpeechRegion {
            start,
            end,
            speaker: Speaker::Staff,
        }
    }

    /// A staff segment of `words` (text piece, Whisper's probability) from `start` to `end`.
    fn staff_seg(start: f64, end: f64, words: &[(&str, f32)]) -> Segment {
        Segment {
            speaker: Speaker::Staff,
            start,
            end,
            text: words.iter().map(|w| w.0).collect(),
            invented: false,
            tokens: words.iter().map(|&(t, p)| tok(t, p)).collect(),
        }
    }

    /// A stereo call: "Good morning, children's center." at 2 s (Whisper's probability for
    /// "morning" given), then "Sure." and, after `silence` seconds, "Thanks for waiting.".
    fn call(rings: u32, morning_p: f32, silence: f64) -> (Vec<Segment>, AudioFacts) {
        let seg = staff_seg;
        let back = 6.0 + silence;
        let segments = vec![
            seg(
                2.0,
                4.0,
                &[
                    ("Good", 0.95),
                    (" morning", morning_p),
                    (",", 0.9),
                    (" children's", 0.9),
                    (" center.", 0.9),
                ],
            ),
            seg(5.0, 6.0, &[("Sure.", 0.95)]),
            seg(
                back,
                back + 2.0,
                &[("Thanks", 0.9), (" for", 0.9), (" waiting.", 0.9)],
            ),
        ];
        let facts = AudioFacts {
            duration: back + 3.0,
            channels: 2,
            source_rate: 8000,
            rings,
            speech: vec![region(2.0, 4.0), region(5.0, 6.0), region(back, back + 2.0)],
            first_staff_speech: Some(2.0),
            ..Default::default()
        };
        (segments, facts)
    }

    fn confidence(rings: u32, morning_p: f32, silence: f64, id: &str) -> (Verdict, f64, bool) {
        let rubric = form(RUBRIC);
        let (segments, facts) = call(rings, morning_p, silence);
        let score = score_call(&rubric, None, &segments, &facts, None);
        let c = score.criteria.iter().find(|c| c.id == id).unwrap();
        (c.verdict, c.confidence.unwrap(), c.needs_review)
    }

    #[test]
    fn a_quote_whisper_was_unsure_of_needs_review() {
        let (verdict, sure, review) = confidence(1, 0.95, 3.0, "greeting");
        assert_eq!(verdict, Verdict::Passed);
        assert_eq!((sure, review), (1.0, false));
        let (verdict, unsure, review) = confidence(1, 0.1, 3.0, "greeting");
        assert_eq!(verdict, Verdict::Passed);
        assert!(unsure < REVIEW_BELOW && review, "{unsure}");
    }

    #[test]
    fn verdicts_at_a_limit_are_less_sure_than_clear_ones() {
        // Rings: 3 of at most 3 is one miscounted burst from failing.
        let (_, clear, _) = confidence(1, 0.95, 3.0, "pickup");
        let (verdict, at_limit, _) = confidence(3, 0.95, 3.0, "pickup");
        assert_eq!(verdict, Verdict::Passed);
        assert!(at_limit < clear, "{at_limit} vs {clear}");
        // An unannounced silence just over the 10 s limit against a long one.
        let (verdict, long, _) = confidence(1, 0.95, 25.0, "hold");
        assert_eq!(verdict, Verdict::Failed);
        let (verdict, just_over, review) = confidence(1, 0.95, 10.2, "hold");
        assert_eq!(verdict, Verdict::Failed);
        assert!(just_over < long && review, "{just_over} vs {long}");
        // No hold at all: sure when the pauses are short, less so with one just under the limit.
        let (verdict, short, _) = confidence(1, 0.95, 2.0, "hold");
        assert_eq!(verdict, Verdict::NotApplicable);
        let (verdict, just_under, _) = confidence(1, 0.95, 9.8, "hold");
        assert_eq!(verdict, Verdict::NotApplicable);
        assert!(just_under < short, "{just_under} vs {short}");
    }

    fn tok(text: &str, p: f32) -> Token {
        Token {
            text: text.into(),
            p,
        }
    }

    #[test]
    fn a_verdict_at_the_limit_is_half_sure_and_clear_ones_are_sure() {
        assert_eq!(margin(0.0, TIME_SCALE), 0.5);
        assert!(margin(0.3, TIME_SCALE) < 0.7);
        assert_eq!(margin(-2.0, TIME_SCALE), 1.0);
        assert_eq!(margin(5.0, TIME_SCALE), 1.0);
    }

    #[test]
    fn token_probabilities_follow_words_and_characters() {
        // " hel" + "lo" is one word, as sure as its less sure half; "," is not a unit.
        let tokens = [
            tok(" hel", 0.9),
            tok("lo", 0.3),
            tok(",", 0.1),
            tok(" there", 0.8),
        ];
        assert_eq!(token_probs(&tokens, 2), [0.3, 0.8]);
        let zh = [tok("您好", 0.9), tok("，", 0.2), tok("敝", 0.4)];
        assert_eq!(token_probs(&zh, 3), [0.9, 0.9, 0.4]);
        // "8:30" is one matcher token but two units here: spread evenly, least sure wins.
        let time = [
            tok(" at", 0.9),
            tok(" 8", 0.5),
            tok(":", 0.9),
            tok("30", 0.7),
        ];
        assert_eq!(token_probs(&time, 2), [0.9, 0.5]);
        assert!(token_probs(&[], 3).is_empty());
    }

    #[test]
    fn low_token_probability_evidence_is_less_sure() {
        let sure = heard(stretch_probability(&[0.9, 0.95, 0.85]));
        let one_misheard = heard(stretch_probability(&[0.9, 0.2, 0.85]));
        let mumbled = heard(stretch_probability(&[0.2, 0.25, 0.3]));
        assert_eq!(sure, 1.0);
        assert!(one_misheard < 0.85, "{one_misheard}");
        assert!(mumbled < one_misheard && mumbled <= 0.35, "{mumbled}");
        // Transcripts stored before probabilities were kept are not held against a verdict.
        assert_eq!(heard(None), 1.0);
    }

    /// A courtesy criterion of one point: `check` with its `keys`.
    fn criterion(id: &str, check: &str, keys: &str) -> String {
        format!(
            "\n[[criterion]]\nid = \"{id}\"\ntitle = \"{id}\"\ncategory = \"courtesy\"\n\
             points = 1\ncheck = \"{check}\"\n{keys}\n"
        )
    }

    /// [`RUBRIC`] and more criteria for verdicts that rest on a phrase not being found.
    fn absence_form() -> Rubric {
        let more = [
            criterion(
                "agency",
                "phrase",
                "any = [\"north district family office\"]\nwithin_seconds = 10",
            ),
            criterion("self_name", "self_intro", "within_seconds = 10"),
            criterion(
                "closing",
                "phrase",
                "any = [\"thank you for calling\"]\nlast_seconds = 10",
            ),
        ];
        form(&format!("{RUBRIC}{}", more.concat()))
    }

    /// Words all heard with probability `p`.
    fn sure(text: &str, p: f32) -> Vec<(&str, f32)> {
        text.split_inclusive(' ').map(|w| (w, p)).collect()
    }

    /// A stereo call whose staff open with `opening` at 2–6 s, answer at length at 7–16 s and
    /// speak once more at 18–20 s (`closing`: that line's transcript, if any).
    fn absence_call(
        opening: &[(&str, f32)],
        closing: Option<Segment>,
    ) -> (Vec<Segment>, AudioFacts) {
        let answer = sure(
            "You can pick up the new form at the front desk on the second floor any weekday \
             between nine and five, and please bring the old card with you when you come.",
            0.95,
        );
        let mut segments = vec![staff_seg(2.0, 6.0, opening), staff_seg(7.0, 16.0, &answer)];
        segments.extend(closing);
        let facts = AudioFacts {
            duration: 22.0,
            channels: 2,
            source_rate: 8000,
            rings: 1,
            speech: vec![region(2.0, 6.0), region(7.0, 16.0), region(18.0, 20.0)],
            first_staff_speech: Some(2.0),
            ..Default::default()
        };
        (segments, facts)
    }

    fn absence_verdict(segments: &[Segment], facts: &AudioFacts, id: &str) -> (Verdict, f64) {
        let rubric = absence_form();
        let score = score_call(&rubric, None, segments, facts, Some("Lam"));
        let c = score.criteria.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.needs_review, needs_review(c.confidence.unwrap()));
        (c.verdict, c.confidence.unwrap())
    }

    const OPENING: &str = "North district family office, Lam speaking, how can I help?";

    #[test]
    fn a_closing_the_transcriber_dropped_needs_review() {
        let opening = sure(OPENING, 0.95);
        let said = staff_seg(18.0, 20.0, &sure("Thank you for calling, goodbye.", 0.95));
        let (segments, facts) = absence_call(&opening, Some(said.clone()));
        assert_eq!(
            absence_verdict(&segments, &facts, "closing").0,
            Verdict::Passed
        );
        // The staff spoke at 18–20 s but Whisper wrote nothing there.
        let (segments, facts) = absence_call(&opening, None);
        let (verdict, dropped) = absence_verdict(&segments, &facts, "closing");
        assert_eq!(verdict, Verdict::Failed);
        assert!(dropped < REVIEW_BELOW, "{dropped}");
        // The last 10 s of staff speech, and nothing else, are worth hearing again, prompted
        // with the closing.
        let again = rechecks(&absence_form(), None, &segments, &facts, Some("Lam"));
        assert_eq!(
            again,
            [Recheck {
                criterion: "closing".into(),
                start: 10.0,
                end: 20.0,
                terms: vec!["thank you for calling".into()],
            }]
        );
        // Text flagged as invented covers no speech.
        let invented = Segment {
            invented: true,
            ..said
        };
        let (segments, facts) = absence_call(&opening, Some(invented));
        let (_, flagged) = absence_verdict(&segments, &facts, "closing");
        assert!(flagged < REVIEW_BELOW, "{flagged}");
        // Negative: the last speech measured is the answer, all of it transcribed.
        let (segments, mut facts) = absence_call(&opening, None);
        facts.speech.pop();
        let (verdict, clear) = absence_verdict(&segments, &facts, "closing");
        assert_eq!(verdict, Verdict::Failed);
        assert!(clear >= REVIEW_BELOW, "{clear}");
        let again = rechecks(&absence_form(), None, &segments, &facts, Some("Lam"));
        assert!(again.iter().all(|r| r.criterion != "closing"), "{again:?}");
    }

    /// `id` fails on `opening(p)`, marked for review when Whisper gave the words in doubt a
    /// low probability `p`, and not when it was sure of them.
    fn unsure_words_decide_review(id: &str, opening: impl Fn(f32) -> Vec<(&'static str, f32)>) {
        for (p, marked) in [(0.08, true), (0.95, false)] {
            let (segments, facts) = absence_call(&opening(p), None);
            let (verdict, confidence) = absence_verdict(&segments, &facts, id);
            assert_eq!(verdict, Verdict::Failed);
            assert_eq!(
                needs_review(confidence),
                marked,
                "{id}, p = {p}: {confidence}"
            );
        }
    }

    #[test]
    fn a_phrase_misheard_on_unsure_words_needs_review() {
        // "family office" heard as "with coffin".
        unsure_words_decide_review("agency", |p| {
            let mut w = sure("North district ", 0.95);
            w.extend([(" with", p), (" coffin,", p)]);
            w.extend(sure(" Lam speaking, how can I help?", 0.95));
            w
        });
    }

    #[test]
    fn a_name_heard_as_unsure_common_words_needs_review() {
        // "Lam speaking" heard as "and speaking".
        unsure_words_decide_review("self_name", |p| {
            let mut w = sure("North district family office, ", 0.95);
            w.push((" and", p));
            w.extend(sure(" speaking, how can I help?", 0.95));
            w
        });
    }

    #[test]
    fn a_short_phrase_does_not_hide_in_an_unrelated_unsure_word() {
        // No greeting; the one word Whisper doubted sounds nothing like "hello", a greeting
        // of one word.
        let mut opening = sure("North district family office, ", 0.95);
        opening.push((" Lam", 0.05));
        opening.extend(sure(" speaking, how can I help?", 0.95));
        let (segments, facts) = absence_call(&opening, None);
        let (verdict, clear) = absence_verdict(&segments, &facts, "greeting");
        assert_eq!(verdict, Verdict::Failed);
        assert!(clear >= REVIEW_BELOW, "{clear}");
    }

    #[test]
    fn an_unsure_speech_finder_lowers_verdicts_on_speech_times() {
        let (segments, facts) = absence_call(&sure(OPENING, 0.95), None);
        let (_, sure_finder) = absence_verdict(&segments, &facts, "pickup");
        let unsure = AudioFacts {
            whole_side: vec![region(0.0, 22.0)],
            ..facts
        };
        let (verdict, unsure_finder) = absence_verdict(&segments, &unsure, "pickup");
        assert_eq!(verdict, Verdict::Passed);
        assert!(
            unsure_finder < sure_finder,
            "{unsure_finder} vs {sure_finder}"
        );
    }

    #[test]
    fn apostrophes_stay_inside_words_and_contractions_count_twice() {
        // "children's" is one matcher word, "we're" two ("we are").
        let tokens = [
            tok(" children", 0.9),
            tok("'s", 0.4),
            tok(" we", 0.8),
            tok("'re", 0.7),
            tok(" open", 0.95),
        ];
        assert_eq!(token_probs(&tokens, 4), [0.4, 0.7, 0.7, 0.95]);
    }

    #[test]
    fn a_quote_lasts_as_long_as_its_words() {
        // Whisper timed the greeting before pickup (2 s), so placing it on the staff's speech
        // squeezes it to the instant 2.0–2.0; its quote still takes time to say, and is
        // still traced to its words (the unsure "morning" lowers the confidence).
        let (mut segments, facts) = call(1, 0.1, 3.0);
        segments[0].start = 1.0;
        segments[0].end = 1.5;
        let score = score_call(&form(RUBRIC), None, &segments, &facts, None);
        let greeting = score.criteria.iter().find(|c| c.id == "greeting").unwrap();
        assert_eq!(greeting.verdict, Verdict::Passed);
        let e = &greeting.evidence[0];
        assert_eq!(e.start, 2.0);
        // "good morning" is two of the segment's four units: at least 0.1 s each.
        assert!(e.end - e.start >= 0.2 - 1e-9, "{e:?}");
        assert!(greeting.needs_review, "{greeting:?}");
        // A segment with room for its words keeps its own times.
        let (segments, facts) = call(1, 0.95, 3.0);
        let score = score_call(&form(RUBRIC), None, &segments, &facts, None);
        let e = &score
            .criteria
            .iter()
            .find(|c| c.id == "greeting")
            .unwrap()
            .evidence[0];
        assert_eq!((e.start, e.end), (2.0, 3.0));
    }

    /// Completeness of a stereo Mandarin call whose staff say `answer` (every word heard
    /// surely) against a scenario of opening hours and a fee: (verdict, confidence).
    fn zh_completeness(answer: &str) -> (Verdict, f64) {
        let rubric = Rubric::parse(
            r#"
[rubric]
id = "t"
title = "T"
language = "zh"

[[grade]]
name = "All"
min = 0

[[criterion]]
id = "completeness"
title = "完整"
category = "內容"
points = 1
check = "completeness"
"#,
            "t.toml",
        )
        .unwrap();
        let scenario = crate::score::Scenario::parse(
            r#"
id = "card"
title = "card"
[[point]]
id = "open"
say = ["早上九點開門"]
[[point]]
id = "fee"
say = ["五十元"]
"#,
            "card.toml",
        )
        .unwrap();
        let words: Vec<(String, f32)> = answer.chars().map(|c| (c.to_string(), 0.95)).collect();
        let words: Vec<(&str, f32)> = words.iter().map(|(w, p)| (w.as_str(), *p)).collect();
        let segments = vec![staff_seg(2.0, 12.0, &words)];
        let facts = AudioFacts {
            duration: 14.0,
            channels: 2,
            source_rate: 8000,
            speech: vec![region(2.0, 12.0)],
            first_staff_speech: Some(2.0),
            ..Default::default()
        };
        let score = score_call(&rubric, Some(&scenario), &segments, &facts, None);
        let c = &score.criteria[0];
        (c.verdict, c.confidence.unwrap())
    }

    #[test]
    fn a_number_misheard_by_sound_needs_review() {
        const OPENING: &str = "您好，這裡是市立圖書館，我們早上九點開門，晚上九點關門，";
        // 五十元 heard as 五時元: as digits 50 is not 5, but said aloud only 十/時 differ,
        // and they sound the same.
        let (verdict, misheard) = zh_completeness(&format!("{OPENING}借書證工本費五時元。"));
        assert_eq!(verdict, Verdict::Failed);
        assert!(needs_review(misheard), "{misheard}");
        // Negative: another number said clearly (八十 sounds nothing like 五十).
        let (verdict, other) = zh_completeness(&format!("{OPENING}借書證工本費八十元。"));
        assert_eq!(verdict, Verdict::Failed);
        assert!(!needs_review(other), "{other}");
    }

    #[test]
    fn needs_review_below_the_threshold_only() {
        assert!(needs_review(REVIEW_BELOW - 0.01));
        assert!(!needs_review(REVIEW_BELOW));
        assert!(!needs_review(1.0));
    }
}
