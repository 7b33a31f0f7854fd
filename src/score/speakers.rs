//! Which transcript text is the staff's, and when it was said.
//!
//! Stereo transcripts label segments Staff/Caller. Mono ones say Unknown; there the caller's
//! lines are recognised by the scenario's `caller_script` and cut out. Invented segments are
//! dropped. Whisper's segment times are loose (the first segment often "starts" at 0 s inside
//! the ringback), so each segment is snapped onto the measured speech regions.

use super::matcher::{Params, best_match, tok_sim};
use super::rubric::Matching;
use super::scenario::Scenario;
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
}

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
        }
    }
}

/// Everything the checks need to know about the staff's speech.
#[derive(Debug, Clone, Default)]
pub(crate) struct StaffSpeech<'a> {
    pub utts: Vec<Utterance<'a>>,
    /// When the staff first spoke (audio measurement preferred).
    pub first: Option<f64>,
    /// Start of the staff's last utterance and end of their speech.
    pub last_start: Option<f64>,
    pub last_end: Option<f64>,
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

/// The staff's speech in a call: stereo by label, mono minus the caller's script.
pub(crate) fn staff_speech<'a>(
    segments: &'a [Segment],
    audio: &AudioFacts,
    scenario: Option<&Scenario>,
    m: &Matching,
) -> StaffSpeech<'a> {
    let script: &[super::rubric::Phrase] = scenario.map_or(&[], |s| &s.caller_script);
    let mut utts = Vec::new();
    let mut mono = Vec::new();
    for seg in segments {
        if seg.invented || seg.speaker == Speaker::Caller || seg.text.trim().is_empty() {
            continue;
        }
        let toks = tokenize(&seg.text);
        if toks.is_empty() {
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
                super::confidence::MONO_SPEAKER_CONFIDENCE
            },
        };
        if seg.speaker == Speaker::Staff {
            utts.push(u);
        } else {
            mono.push(u);
        }
    }
    mono.sort_by(|a, b| a.start.total_cmp(&b.start));
    utts.extend(strip_caller(mono, script, m));
    utts.sort_by(|a, b| a.start.total_cmp(&b.start));
    let first = audio
        .first_staff_speech
        .or_else(|| utts.first().map(|u| u.start));
    StaffSpeech {
        first,
        last_start: utts.iter().map(|u| u.start).max_by(f64::total_cmp),
        last_end: utts.iter().map(|u| u.end).max_by(f64::total_cmp),
        utts,
    }
}
