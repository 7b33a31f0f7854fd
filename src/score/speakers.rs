//! Which transcript text is the staff's, and when it was said.
//!
//! Stereo transcripts label segments Staff/Caller. Mono ones say Unknown; there the caller's
//! words are found with everything known about the call: the scenario's `caller_script` (cut
//! out wherever it is heard), turn structure (the answer to the staff's question for the
//! caller's name is the caller's), and the voice groups the audio stage measured (the first
//! voice after pickup answers the phone, so it is the staff's). Each mono utterance kept gets
//! a speaker confidence. Invented segments are dropped. Whisper's segment times are loose
//! (the first segment often "starts" at 0 s inside the ringback), so each segment is snapped
//! onto the measured speech regions.

use super::confidence::MONO_SPEAKER_CONFIDENCE;
use super::matcher::{Params, best_match, required_similarity, tok_sim};
use super::rubric::Matching;
use super::scenario::Scenario;
use super::staff_name::StaffName;
use super::tokens::{Tok, pattern_mask, text_mask, tokenize};
use crate::audio::{AudioFacts, Speaker};
use crate::transcribe::Segment;

/// A stretch of staff speech with its placed times and tokens.
#[derive(Debug, Clone)]
pub(crate) struct Utterance<'a> {
    /// The segment text as transcribed (used as the evidence quote).
    pub text: &'a str,
    pub speaker: Speaker,
    pub start: f64,
    pub end: f64,
    pub toks: Vec<Tok>,
    /// Union of the tokens' sound masks, for [`super::rubric::Phrase::upper_bound`].
    pub mask: u128,
    /// Whisper's probability for each of `toks` (empty when the transcript did not keep them).
    pub probs: Vec<f32>,
    /// How sure it is that this is the staff's speech, 0..=1: 1 for a stereo side.
    pub speaker_confidence: f64,
    /// Index of the transcript segment it was cut from.
    pub segment: usize,
    /// Where its units lie among the units of `text` (all of them for a whole segment, part
    /// for a piece cut from one); `None` when `text` is not what they were cut from.
    pub within_text: Option<(usize, usize)>,
}

/// Clause punctuation Whisper writes. A '.' breaks a clause only before a space or at the end
/// of the text: inside a number or a time (8.30) it is none, and ':' never is.
const CLAUSE_BREAKS: [char; 10] = ['，', '。', '、', '！', '？', '；', ',', '!', '?', ';'];

fn mask_of(toks: &[Tok]) -> u128 {
    toks.iter().fold(0, |m, t| m | text_mask(t))
}

impl Utterance<'_> {
    /// Time of token range `[a, b)`, interpolated through the utterance.
    pub fn span_time(&self, a: usize, b: usize) -> (f64, f64) {
        let n = self.toks.len().max(1) as f64;
        let d = self.end - self.start;
        (self.start + d * a as f64 / n, self.start + d * b as f64 / n)
    }

    /// Unit ranges `[a, b)` of this utterance's clauses, its text cut at clause punctuation.
    /// A piece cut from a segment has the clauses of its part of the text, cut where the
    /// piece ends. Empty when the clauses cannot be told.
    pub fn clauses(&self) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        let mut from = 0;
        let mut chars = self.text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let stop = c == '.' && chars.peek().is_none_or(|&(_, next)| next.is_whitespace());
            if stop || CLAUSE_BREAKS.contains(&c) {
                pieces.push(&self.text[from..i]);
                from = i + c.len_utf8();
            }
        }
        pieces.push(&self.text[from..]);
        let Some((lo, hi)) = self.within_text else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut at = 0;
        for n in pieces
            .into_iter()
            .map(|p| tokenize(p).len())
            .filter(|&n| n > 0)
        {
            let (a, b) = (at.max(lo), (at + n).min(hi));
            if a < b {
                out.push((a - lo, b - lo));
            }
            at += n;
        }
        if hi <= at && hi - lo == self.toks.len() {
            out
        } else {
            Vec::new()
        }
    }

    fn piece(&self, a: usize, b: usize) -> Self {
        let (start, end) = self.span_time(a, b);
        let toks = self.toks[a..b].to_vec();
        Utterance {
            text: self.text,
            speaker: self.speaker,
            start,
            end,
            mask: mask_of(&toks),
            toks,
            probs: self
                .probs
                .get(a..b)
                .map(<[f32]>::to_vec)
                .unwrap_or_default(),
            speaker_confidence: self.speaker_confidence,
            segment: self.segment,
            within_text: self.within_text.map(|(lo, _)| (lo + a, lo + b)),
        }
    }
}

/// Everything the checks need to know about the staff's speech.
#[derive(Debug, Clone, Default)]
pub(crate) struct StaffSpeech<'a> {
    pub utts: Vec<Utterance<'a>>,
    /// When the staff first spoke (audio measurement preferred).
    pub first: Option<f64>,
    /// When the caller first spoke, as far as known (a caller's segment, script line or other
    /// voice): the staff's opening turn ends there.
    pub caller_first: Option<f64>,
    /// Start of the staff's last utterance and end of their speech.
    pub last_start: Option<f64>,
    pub last_end: Option<f64>,
    /// Mono pieces left out as the caller's by the voice and turn evidence (script lines cut
    /// out are not listed).
    pub callers: Vec<CallerPiece>,
}

/// A mono piece attributed to the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallerPiece {
    /// Index of the transcript segment it was cut from.
    pub segment: usize,
    /// How many units (tokens) it holds.
    pub units: usize,
    /// How sure it is that they are the caller's, 0..=1.
    pub sure: f64,
}

/// Moves a segment onto the speech regions it overlaps: start no earlier than the first
/// overlapping region, end no later than the last, never before the staff picked up.
pub(crate) fn place(seg: &Segment, audio: &AudioFacts, staff_side: bool) -> (f64, f64) {
    let floor = if staff_side {
        audio.first_staff_speech
    } else {
        None
    };
    let usable = |s: Speaker| match seg.speaker {
        Speaker::Staff => matches!(s, Speaker::Staff | Speaker::Unknown),
        Speaker::Caller => matches!(s, Speaker::Caller | Speaker::Unknown),
        Speaker::Unknown => true,
    };
    let mut overlapping = audio
        .speech
        .iter()
        .filter(|r| usable(r.speaker) && r.end > seg.start && r.start < seg.end);
    let (mut start, mut end) = (seg.start, seg.end);
    if let Some(first) = overlapping.next() {
        let last_end = overlapping.map(|r| r.end).fold(first.end, f64::max);
        start = start.max(first.start);
        end = end.min(last_end);
    }
    if let Some(f) = floor {
        start = start.max(f);
    }
    (start, end.max(start))
}

fn line_mask(line: &super::rubric::Phrase) -> u128 {
    mask_of(&line.toks)
}

/// Upper bound of a transcript piece's similarity when matched inside a script line.
fn fragment_bound(toks: &[Tok], line_mask: u128) -> f64 {
    let hits = toks
        .iter()
        .filter(|t| pattern_mask(t) & line_mask != 0)
        .count();
    hits as f64 / toks.len().max(1) as f64
}

/// Does transcript unit `t` sound like any unit of the script line? Used to trim the
/// edges of a cut so a neighbouring staff word aligned to nothing is not cut with it.
fn in_line(t: &Tok, line: &super::rubric::Phrase, floor: f64) -> bool {
    line.toks.iter().any(|p| tok_sim(p, t, None) >= floor)
}

/// Finds the script line in the consecutive mono pieces read as one stream and cuts the
/// matched stretch out of every piece it touches. Whisper splits a caller's sentence into
/// several segments ("Hello," / "I lost my card." / "How do I …?"); matched piece by piece,
/// a short opening like "Hello," would stay behind and count as the staff's greeting.
/// Returns `None` when the line is not there.
fn cut_line<'a>(
    pieces: &[Utterance<'a>],
    line: &super::rubric::Phrase,
    params: Params,
    threshold: f64,
) -> Option<Vec<Utterance<'a>>> {
    let stream: Vec<Tok> = pieces.iter().flat_map(|p| p.toks.iter().cloned()).collect();
    let stream_mask = pieces.iter().fold(0, |m, p| m | p.mask);
    if line.upper_bound(stream_mask) < threshold {
        return None;
    }
    let h = best_match(&line.toks, &stream, params, None)?;
    if h.sim < threshold {
        return None;
    }
    let (mut a, mut b) = (h.start, h.end);
    while a < b && !in_line(&stream[a], line, params.floor) {
        a += 1;
    }
    while b > a && !in_line(&stream[b - 1], line, params.floor) {
        b -= 1;
    }
    if a == b {
        return None;
    }
    let mut out = Vec::with_capacity(pieces.len() + 1);
    let mut offset = 0;
    for p in pieces {
        let n = p.toks.len();
        // This piece's share of the cut, in its own token positions.
        let (ca, cb) = (
            a.clamp(offset, offset + n) - offset,
            b.clamp(offset, offset + n) - offset,
        );
        if ca == cb {
            out.push(p.clone());
        } else {
            if ca > 0 {
                out.push(p.piece(0, ca));
            }
            if cb < n {
                out.push(p.piece(cb, n));
            }
        }
        offset += n;
    }
    Some(out)
}

/// Cuts the caller's scripted lines out of the mono utterances (in time order). Returns the
/// staff's pieces.
fn strip_caller<'a>(
    utts: Vec<Utterance<'a>>,
    script: &[super::rubric::Phrase],
    m: &Matching,
) -> Vec<Utterance<'a>> {
    let params = Params {
        floor: m.unit_floor,
        insert_cost: m.insert_cost,
    };
    let mut pieces = utts;
    for line in script {
        // The whole line (or most of it), possibly spread over several pieces; a caller may
        // repeat it, so look again after each cut.
        for _ in 0..2 {
            match cut_line(&pieces, line, params, m.caller_threshold) {
                Some(next) => pieces = next,
                None => break,
            }
        }
        // A piece that is a fragment of the line (the caller repeating part of it).
        // Short pieces are kept: staff also say "您好" or "hello".
        pieces.retain(|p| {
            !(p.toks.len() >= 4
                && fragment_bound(&p.toks, line_mask(line)) >= m.caller_threshold.max(0.8)
                && best_match(&p.toks, &line.toks, params, None)
                    .is_some_and(|h| h.sim >= m.caller_threshold.max(0.8)))
        });
    }
    pieces.retain(|p| !p.toks.is_empty());
    pieces
}

/// The staff's questions for the caller's name (the rubric's `ask_name` phrases) and the
/// similarity they need, with the form's other staff phrases (greetings, hold announcements,
/// closings …): a turn after the question that says one of those is the staff going on.
#[derive(Debug, Clone)]
pub(crate) struct NameQuestions<'r> {
    pub phrases: &'r [super::rubric::Phrase],
    pub threshold: f64,
    pub staff_phrases: Vec<&'r super::rubric::Phrase>,
    pub staff_threshold: f64,
    /// The manifest's staff name: a reply that names the staff is theirs, and the question
    /// it answers the caller's ("Who am I speaking with?" "This is Nora.").
    pub staff_name: Option<StaffName<'r>>,
}

/// End (token index) of the best-matching phrase of `phrases` in `p`, if any matches.
fn said<'p>(
    phrases: impl IntoIterator<Item = &'p super::rubric::Phrase>,
    threshold: f64,
    p: &Utterance,
    params: Params,
) -> Option<usize> {
    phrases
        .into_iter()
        .filter_map(|q| {
            let need = required_similarity(&q.toks, threshold);
            if q.upper_bound(p.mask) + 1e-9 < need {
                return None;
            }
            best_match(&q.toks, &p.toks, params, None).filter(|h| h.sim + 1e-9 >= need)
        })
        .map(|h| h.end)
        .max()
}

/// Evidence weights, on a scale where -1 is surely the caller and +1 surely the staff. An
/// utterance is the caller's when its sum is below `-CALLER_BELOW`.
const ANSWERS_NAME_QUESTION: f64 = -0.5;
const ASKS_STAFF_NAME: f64 = -0.5;
const ANSWERS_PHONE: f64 = 0.5;
const CALLER_BELOW: f64 = 0.3;
/// A reply to "may I have your name" is a name: short, and soon after the question. A long
/// or late turn after it is the staff going on (the caller's reply not transcribed).
const ANSWER_MAX_UNITS: usize = 8;
const ANSWER_WITHIN_S: f64 = 4.0;

/// Where each piece starts a new turn after a name question, cut so that what follows the
/// question inside one segment is a piece of its own. Returns each piece with what the turns
/// say of its speaker ([`ANSWERS_NAME_QUESTION`] for the reply to a name question; when the
/// reply names the staff, it is theirs and [`ASKS_STAFF_NAME`] goes to the question).
fn mark_answers<'a>(
    pieces: Vec<Utterance<'a>>,
    asks: Option<&NameQuestions>,
    m: &Matching,
) -> Vec<(Utterance<'a>, f64)> {
    let Some(asks) = asks else {
        return pieces.into_iter().map(|p| (p, 0.0)).collect();
    };
    let params = Params {
        floor: m.unit_floor,
        insert_cost: m.insert_cost,
    };
    let names_staff = |u: &Utterance| {
        asks.staff_name
            .as_ref()
            .is_some_and(|n| n.spelled_in(&u.toks))
    };
    // What a piece after a name question says of who asked and who replies.
    let turn = |u: &Utterance, after: f64| {
        if u.toks.len() > ANSWER_MAX_UNITS || u.start - after > ANSWER_WITHIN_S {
            None
        } else if names_staff(u) {
            Some((ASKS_STAFF_NAME, 0.0))
        } else if said(
            asks.staff_phrases.iter().copied(),
            asks.staff_threshold,
            u,
            params,
        )
        .is_none()
        {
            Some((0.0, ANSWERS_NAME_QUESTION))
        } else {
            None
        }
    };
    let mut out: Vec<(Utterance<'a>, f64)> = Vec::with_capacity(pieces.len());
    let mut answer_next: Option<(f64, usize)> = None;
    for p in pieces {
        let asked = said(asks.phrases, asks.threshold, &p, params);
        let mut here = 0.0;
        if let Some((after, q)) = answer_next.take()
            && let Some((question, reply)) = turn(&p, after)
        {
            out[q].1 += question;
            here = reply;
        }
        match asked {
            Some(end) if end < p.toks.len() => {
                let (q, rest) = (p.piece(0, end), p.piece(end, p.toks.len()));
                let (question, reply) = turn(&rest, q.end).unwrap_or((0.0, 0.0));
                out.push((q, here + question));
                out.push((rest, reply));
            }
            Some(_) => {
                answer_next = Some((p.end, out.len()));
                out.push((p, here));
            }
            None => out.push((p, here)),
        }
    }
    out
}

/// How long after the first speech after pickup the voice that answered is looked for.
const ANSWER_SECONDS: f64 = 3.0;

/// The voice that answered the phone: the voice heard most surely in the first
/// [`ANSWER_SECONDS`] of speech after pickup (each tag counted by its overlap and
/// confidence). Not simply the first tag's: a short first word ("Hello?") is the stretch a
/// voice model tells worst.
fn staff_voice(audio: &AudioFacts) -> Option<u8> {
    let first = audio.first_staff_speech?;
    let mut weight = [0.0f64; 2];
    for v in &audio.voices {
        let overlap = v.end.min(first + ANSWER_SECONDS) - v.start.max(first);
        if overlap > 0.0 && v.voice < 2 {
            weight[v.voice as usize] += overlap * v.confidence;
        }
    }
    match weight {
        [a, b] if a > b => Some(0),
        [a, b] if b > a => Some(1),
        // Nothing sure there: the first tag's voice, as the answering voice.
        _ => audio
            .voices
            .iter()
            .find(|v| v.end > first + 1e-6)
            .map(|v| v.voice),
    }
}

/// Voice evidence for a stretch of time, -1..=1: the tags it overlaps, each counted by its
/// overlap and confidence, plus for the staff's voice, minus for the other.
fn voice_evidence(audio: &AudioFacts, staff: Option<u8>, start: f64, end: f64) -> f64 {
    let Some(staff) = staff else {
        return 0.0;
    };
    let (mut sum, mut len) = (0.0, 0.0);
    for v in &audio.voices {
        let overlap = end.min(v.end) - start.max(v.start);
        if overlap > 0.0 {
            let sign = if v.voice == staff { 1.0 } else { -1.0 };
            sum += sign * v.confidence * overlap;
            len += overlap;
        }
    }
    if len > 0.0 { sum / len } else { 0.0 }
}

/// Speaker confidence from the evidence sum: [`MONO_SPEAKER_CONFIDENCE`] when nothing is
/// known, towards 1 with evidence for the staff, lower with evidence for the caller.
fn speaker_confidence(evidence: f64) -> f64 {
    let base = MONO_SPEAKER_CONFIDENCE;
    if evidence >= 0.0 {
        base + (1.0 - base) * evidence.min(1.0)
    } else {
        (base * (1.0 + evidence)).max(0.0)
    }
}

/// The staff's voice if the caller's scripted lines (`caller`, their times) do not contradict
/// it: when the caller's script is heard in the voice that answered the phone, the voice
/// groups are wrong for this call and are not used.
fn trusted_staff_voice(audio: &AudioFacts, caller: &[(f64, f64)]) -> Option<u8> {
    let staff = staff_voice(audio)?;
    let heard_as_staff: f64 = caller
        .iter()
        .map(|&(a, b)| voice_evidence(audio, Some(staff), a, b) * (b - a))
        .sum();
    (heard_as_staff <= 0.0).then_some(staff)
}

/// Keeps the staff's mono pieces, each with its speaker confidence, and says when the first
/// piece left out as the caller's began. `caller` holds the times of the segments that were
/// wholly the caller's script.
fn attribute<'a>(
    pieces: Vec<(Utterance<'a>, f64)>,
    audio: &AudioFacts,
    caller: &[(f64, f64)],
) -> (Vec<Utterance<'a>>, Option<f64>, Vec<CallerPiece>) {
    let staff = trusted_staff_voice(audio, caller);
    let pickup = audio
        .first_staff_speech
        .and_then(|t| audio.speech.iter().find(|r| r.end > t));
    let mut dropped: Option<f64> = None;
    let mut callers = Vec::new();
    let kept = pieces
        .into_iter()
        .filter_map(|(mut p, turn)| {
            let mut evidence = voice_evidence(audio, staff, p.start, p.end) + turn;
            if pickup.is_some_and(|r| p.start < r.end && r.start < p.end) {
                evidence += ANSWERS_PHONE;
            }
            if evidence < -CALLER_BELOW {
                dropped = Some(dropped.map_or(p.start, |d| d.min(p.start)));
                callers.push(CallerPiece {
                    segment: p.segment,
                    units: p.toks.len(),
                    sure: 1.0 - speaker_confidence(evidence),
                });
                return None;
            }
            p.speaker_confidence = speaker_confidence(evidence);
            Some(p)
        })
        .collect();
    (kept, dropped, callers)
}

/// The staff's speech in a call: stereo by label; mono minus the caller's script, the
/// answers to the staff's name questions and the other voice.
pub(crate) fn staff_speech<'a>(
    segments: &'a [Segment],
    audio: &AudioFacts,
    scenario: Option<&Scenario>,
    asks: Option<&NameQuestions>,
    m: &Matching,
) -> StaffSpeech<'a> {
    let script: &[super::rubric::Phrase] = scenario.map_or(&[], |s| &s.caller_script);
    let mut utts = Vec::new();
    let mut mono = Vec::new();
    let mut caller_first = segments
        .iter()
        .filter(|s| s.speaker == Speaker::Caller && !s.invented && !s.text.trim().is_empty())
        .map(|s| s.start)
        .min_by(f64::total_cmp);
    for (segment, seg) in segments.iter().enumerate() {
        if seg.invented || seg.speaker == Speaker::Caller || seg.text.trim().is_empty() {
            continue;
        }
        let toks = tokenize(&seg.text);
        let n = toks.len();
        if n == 0 {
            continue;
        }
        let (start, end) = place(seg, audio, true);
        let u = Utterance {
            text: &seg.text,
            speaker: seg.speaker,
            start,
            end,
            mask: mask_of(&toks),
            probs: super::confidence::token_probs(&seg.tokens, toks.len()),
            toks,
            speaker_confidence: if seg.speaker == Speaker::Staff {
                1.0
            } else {
                MONO_SPEAKER_CONFIDENCE
            },
            segment,
            within_text: Some((0, n)),
        };
        if seg.speaker == Speaker::Staff {
            utts.push(u);
        } else {
            mono.push(u);
        }
    }
    mono.sort_by(|a, b| a.start.total_cmp(&b.start));
    let spans: Vec<(f64, f64)> = mono.iter().map(|u| (u.start, u.end)).collect();
    let kept = strip_caller(mono, script, m);
    // Segments nothing of which is left were the caller's script.
    let caller: Vec<(f64, f64)> = spans
        .into_iter()
        .filter(|&(a, b)| !kept.iter().any(|p| p.start < b && a < p.end))
        .collect();
    let pieces = mark_answers(kept, asks, m);
    let (kept, dropped, callers) = attribute(pieces, audio, &caller);
    utts.extend(kept);
    for t in caller.first().map(|c| c.0).into_iter().chain(dropped) {
        caller_first = Some(caller_first.map_or(t, |c| c.min(t)));
    }
    utts.sort_by(|a, b| a.start.total_cmp(&b.start));
    let first = audio
        .first_staff_speech
        .or_else(|| utts.first().map(|u| u.start));
    StaffSpeech {
        first,
        caller_first,
        last_start: utts.iter().map(|u| u.start).max_by(f64::total_cmp),
        last_end: utts.iter().map(|u| u.end).max_by(f64::total_cmp),
        utts,
        callers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utterance(text: &str) -> Utterance<'_> {
        let toks = tokenize(text);
        let toks_len = toks.len();
        Utterance {
            text,
            speaker: Speaker::Staff,
            start: 0.0,
            end: 1.0,
            mask: mask_of(&toks),
            probs: Vec::new(),
            toks,
            speaker_confidence: 1.0,
            segment: 0,
            within_text: Some((0, toks_len)),
        }
    }

    #[test]
    fn clauses_break_at_punctuation_and_a_full_stop_but_not_inside_a_number() {
        assert_eq!(
            utterance("您好，兒福中心。").clauses(),
            vec![(0, 2), (2, 6)]
        );
        assert_eq!(
            utterance("Hello. Service center, how can I help?").clauses(),
            vec![(0, 1), (1, 3), (3, 7)]
        );
        // 8.30 is one time, not two clauses.
        let u = utterance("Open at 8.30, closed at noon");
        assert_eq!(u.clauses().len(), 2);
        assert_eq!(u.clauses().last().unwrap().1, u.toks.len());
    }

    #[test]
    fn the_answering_voice_is_the_one_heard_surely_not_the_first_short_word() {
        let tag = |start: f64, end: f64, voice: u8, confidence: f64| crate::audio::VoiceTag {
            start,
            end,
            voice,
            confidence,
        };
        let mut audio = AudioFacts {
            first_staff_speech: Some(1.0),
            voices: vec![
                tag(1.0, 1.5, 1, 0.1),
                tag(1.6, 4.0, 0, 0.9),
                tag(5.0, 8.0, 1, 0.9),
            ],
            ..AudioFacts::default()
        };
        assert_eq!(staff_voice(&audio), Some(0));
        // Nothing sure in the opening: the first voice heard.
        audio.voices = vec![tag(1.0, 1.5, 1, 0.0), tag(5.0, 8.0, 0, 0.9)];
        assert_eq!(staff_voice(&audio), Some(1));
    }

    #[test]
    fn a_piece_has_the_clauses_of_its_part_and_units_that_do_not_add_up_have_none() {
        let u = utterance("您好，兒福中心");
        assert_eq!(u.piece(1, 4).clauses(), vec![(0, 1), (1, 3)]);
        assert_eq!(u.piece(0, 2).piece(1, 2).clauses(), vec![(0, 1)]);
        let mut cut = utterance("您好，兒福中心");
        cut.toks.truncate(3);
        assert!(cut.clauses().is_empty());
    }
}
