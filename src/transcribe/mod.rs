//! Transcription stage: Whisper (whisper.cpp through whisper-rs) turns a call's audio into
//! timed segments. Whisper details stay inside this module; everything after it sees
//! [`Segment`]s with times in seconds.
//!
//! Flow: the call's speech regions are padded and packed into ≤ 28 s windows ([`pack`]),
//! each window is decoded once by [`Transcriber`], segment times are mapped back to the call,
//! Mandarin is converted to Traditional characters ([`traditional`]), invented text and
//! loops are caught ([`guard`]), and both parties are merged on one time line ([`merge`]).
//! Every knob is in [`TranscribeSettings`].

mod engine;
pub mod guard;
mod heap;
pub mod merge;
pub mod pack;
mod settings;
pub mod traditional;

pub use engine::{Quality, Request, TranscribeError, Transcriber, Transcript, encoder_positions};
pub use settings::{PIPELINE_VERSION, Sampling, TranscribeSettings};

use crate::audio::{Region, Speaker, union};
use serde::{Deserialize, Serialize};

/// One piece of transcript on the call's time line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub speaker: Speaker,
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Set when the text is likely invented by Whisper (said during silence or ringback, a
    /// known hallucination string, a repetition loop). Such text is never evidence.
    #[serde(default)]
    pub invented: bool,
    /// The decoded tokens behind `text` with Whisper's probability for each, so scoring can
    /// tell how sure Whisper was of the words it quotes. Pieces are whole characters as
    /// Whisper wrote them (before Traditional conversion and loop trimming), so they only
    /// roughly line up with `text`. Empty for transcripts stored before they were kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Token>,
}

impl Segment {
    pub fn span(&self) -> Region {
        Region {
            start: self.start,
            end: self.end,
        }
    }
}

/// Where the staff's (in mono, anyone's) words were transcribed: the union of the spans of
/// segments with text. Text flagged as invented covers nothing, so speech under it still
/// counts as left untranscribed.
pub fn staff_text_spans(segments: &[Segment]) -> Vec<Region> {
    let spans: Vec<Region> = segments
        .iter()
        .filter(|s| !s.invented && s.speaker != Speaker::Caller && !s.text.trim().is_empty())
        .map(Segment::span)
        .collect();
    union(&spans, &[])
}

/// One decoded Whisper token (or several joined into whole characters) and how sure Whisper
/// was of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub text: String,
    /// Whisper's probability for the token, 0..=1.
    pub p: f32,
}
