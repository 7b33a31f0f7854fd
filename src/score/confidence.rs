//! How sure a verdict is, 0..=1, so a supervisor can check the doubtful ones first.
//!
//! Each doubt about what a verdict rests on is a factor in 0..=1, and the confidence is their
//! product:
//! - the evidence: how sure Whisper was of the quoted words (token probabilities), how sure it
//!   is that the staff said them (speaker attribution), text flagged as invented nearby;
//! - the distance to a limit: rings at the limit, first words or a silence a second from it, a
//!   match just over the matching threshold, a phrase said just inside the time window;
//! - for a verdict that rests on something not being found: how much staff speech was heard
//!   at all, how sure Whisper was of it, and how close the best near-miss came.
//!
//! Factors are deliberately coarse: they rank verdicts for review, they are not calibrated
//! probabilities.

use super::checks::{Ctx, Decision, silences};
use super::matcher::{best_match, required_similarity};
use super::normalize::is_han;
use super::rubric::{Check, Criterion, Phrase};
use super::speakers::Utterance;
use super::{Evidence, Verdict};
use crate::audio::{AudioFacts, Speaker};
use crate::transcribe::{Segment, Token};

/// Verdicts less sure than this are marked `needs_review`. Chosen on the labelled public sets
/// with the base model (`examples/eval` prints a sweep): at 0.6, 12% of the English verdicts
/// are marked and hold 3 of the 5 wrong ones (0.7 marks 16%, 0.8 marks 27% for 4 of 5); 11%
/// of the Mandarin verdicts are marked (none wrong there).
pub const REVIEW_BELOW: f64 = 0.6;

/// Speaker confidence of a mono utterance when nothing better is known: the caller's
/// scripted lines are cut out, but what remains may still be the caller's.
pub(crate) const MONO_SPEAKER_CONFIDENCE: f64 = 0.8;

/// Whether a verdict with `confidence` should go to a supervisor.
pub fn needs_review(confidence: f64) -> bool {
    confidence < REVIEW_BELOW
}

/// HOOK for the speech finder's own doubt about a call (its "unsure" flag in the audio facts,
/// e.g. when the voice detector fell back to the energy finder): return that flag here. Pickup
/// time, silences and "nothing heard" all rest on the speech regions, so such verdicts get
/// [`SPEECH_FINDER_UNSURE`]. `AudioFacts` does not carry the flag yet, so no call is flagged.
fn speech_finder_unsure(_audio: &AudioFacts) -> bool {
    false
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
    let mut units: Vec<f32> = Vec::new();
    let mut in_word = false;
    for t in tokens {
        for c in t.text.chars() {
            if is_han(c) {
                units.push(t.p);
                in_word = false;
            } else if c.is_alphanumeric() {
                match units.last_mut() {
                    Some(u) if in_word => *u = u.min(t.p),
                    _ => units.push(t.p),
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }
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

/// The utterance a quote was taken from, and the token range the quote's times cover.
fn source<'u, 'a>(cx: &'u Ctx<'a>, e: &Evidence) -> Option<(&'u Utterance<'a>, usize, usize)> {
    let u = cx.staff.utts.iter().find(|u| {
        u.speaker == e.speaker
            && u.text.trim() == e.text
            && u.start - 1e-3 <= e.start
            && e.end <= u.end + 1e-3
    })?;
    let n = u.toks.len();
    let d = u.end - u.start;
    if d <= 0.0 {
        return Some((u, 0, n));
    }
    // The inverse of `Utterance::span_time`, which placed the quote.
    let at = |t: f64| (((t - u.start) / d * n as f64).round().max(0.0) as usize).min(n);
    let (a, b) = (at(e.start), at(e.end));
    Some(if a < b { (u, a, b) } else { (u, 0, n) })
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

/// How well the staff's speech was heard, for a verdict that rests on something not being
/// found: little speech, unsure words, text flagged as invented, an unsure speech finder.
fn absence_factor(cx: &Ctx, segments: &[Segment]) -> f64 {
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
    f
}

/// Doubt about a phrase not being found: the closest near-miss (0.5 at the threshold), or a
/// stretch where the phrase partly aligns but Whisper was unsure of the words: a misheard
/// phrase ("one recent photo" heard as "one reason to fill two") hides there.
fn near_miss_factor(cx: &Ctx, phrases: &[Phrase], base: f64) -> f64 {
    let params = cx.params();
    let mut doubt: f64 = 0.0;
    for u in &cx.staff.utts {
        for p in phrases {
            let need = required_similarity(&p.toks, base);
            // Cannot come within reach of the threshold: neither a near-miss nor hidden.
            if p.upper_bound(u.mask) < PARTIAL_FROM {
                continue;
            }
            let Some(h) = best_match(&p.toks, &u.toks, params, None) else {
                continue;
            };
            let near = 1.0 - margin((need - h.sim).max(0.0), SIM_SCALE);
            let unsure = 1.0
                - heard(stretch_probability(
                    u.probs.get(h.start..h.end).unwrap_or(&[]),
                ));
            let hidden = unsure * ramp(h.sim, PARTIAL_FROM, need);
            doubt = doubt.max(near).max(hidden);
        }
    }
    1.0 - doubt
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

/// Similarity from which a phrase partly aligns with a stretch of speech.
const PARTIAL_FROM: f64 = 0.3;

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
                quote(e) * within_factor(cx, e, *within_seconds) * last_factor(cx, e, *last_seconds)
            }
            // Said, but outside the window: only the timing is in doubt.
            Some(e) => {
                evidence_factor(cx, segments, e)
                    * within_factor(cx, e, *within_seconds)
                    * last_factor(cx, e, *last_seconds)
            }
            None => absence_factor(cx, segments) * near_miss_factor(cx, any, base),
        },
        Check::Forbidden { any, .. } => {
            if d.evidence.is_empty() {
                near_miss_factor(cx, any, base)
            } else {
                strongest(d.evidence.iter().map(quote))
            }
        }
        Check::SelfIntro { within_seconds, .. } => {
            let base = (base - cx.rubric.matching.self_intro_slack).max(0.0);
            match d.evidence.first() {
                Some(e) if passed => {
                    quote_factor(cx, segments, e, base) * within_factor(cx, e, *within_seconds)
                }
                Some(e) => evidence_factor(cx, segments, e) * within_factor(cx, e, *within_seconds),
                None => absence_factor(cx, segments),
            }
        }
        Check::Hold {
            max_silence_seconds,
            announce,
        } => hold(cx, segments, d, *max_silence_seconds, announce, base),
        Check::Accuracy => match (d.verdict, cx.scenario) {
            (Verdict::Passed, Some(sc)) => {
                let wrong: Vec<Phrase> = sc.points.iter().flat_map(|p| p.wrong.clone()).collect();
                near_miss_factor(cx, &wrong, base)
            }
            (Verdict::Failed, _) => strongest(d.evidence.iter().map(quote)),
            _ => 1.0,
        },
        Check::Completeness => match (d.verdict, cx.scenario) {
            (Verdict::Passed, _) => weakest(d.evidence.iter().map(quote)),
            (Verdict::Failed, Some(sc)) => {
                // Wrong only if every missing point was said after all: the clearest miss
                // decides.
                let missing = sc.points.iter().filter(|p| p.required).filter(|p| {
                    let all: Vec<Phrase> = p.say.iter().chain(&p.wrong).cloned().collect();
                    cx.find(&all, base, None).is_empty()
                });
                let clearest = missing
                    .map(|p| {
                        let all: Vec<Phrase> = p.say.iter().chain(&p.wrong).cloned().collect();
                        near_miss_factor(cx, &all, base)
                    })
                    .fold(0.0, f64::max);
                absence_factor(cx, segments) * clearest * answer_factor(cx, &d.evidence)
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
            let over = gaps
                .get(d.evidence.len())
                .map_or(1.0, |(s, e)| margin(e - s - max, TIME_SCALE));
            over * near_miss_factor(cx, announce, base) * unsure
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::SpeechRegion;
    use crate::score::{Rubric, score_call};

    const RUBRIC: &str = r#"
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

[[criterion]]
id = "greeting"
title = "Greeting"
category = "courtesy"
points = 1
check = "phrase"
any = ["good morning"]
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

    /// A stereo call: "Good morning, children's center." at 2 s (Whisper's probability for
    /// "morning" given), then "Sure." and, after `silence` seconds, "Thanks for waiting.".
    fn call(rings: u32, morning_p: f32, silence: f64) -> (Vec<Segment>, AudioFacts) {
        let seg = |start: f64, end: f64, words: &[(&str, f32)]| Segment {
            speaker: Speaker::Staff,
            start,
            end,
            text: words.iter().map(|w| w.0).collect(),
            invented: false,
            tokens: words.iter().map(|&(t, p)| tok(t, p)).collect(),
        };
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
        let rubric = Rubric::parse(RUBRIC, "t.toml").unwrap();
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

    #[test]
    fn needs_review_below_the_threshold_only() {
        assert!(needs_review(REVIEW_BELOW - 0.01));
        assert!(!needs_review(REVIEW_BELOW));
        assert!(!needs_review(1.0));
    }
}
