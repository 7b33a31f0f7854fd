//! Audio stage: decode a recording, resample to 16 kHz, and measure the facts scoring needs
//! (speech regions per party, ringback bursts before pickup).
//!
//! Audio facts are measured once, stored, and reused by scoring; nothing here knows Whisper.
//!
//! Flow: [`decode`] (any WAV/FLAC/MP3, source rate) → [`load`] picks the staff and caller
//! channels, [`resample_to_16k`], peak-normalises each → [`ringback_bursts`] and speech
//! regions per channel (the trained detector in [`vad`], checked against speech-band energy in
//! `regions`) → [`AudioFacts`]. Every knob is in [`AudioSettings`].
//!
//! Invariants: a file that cannot be read completely is refused with an [`AudioError`]
//! (a truncated WAV or FLAC is an error, never half a call scored as a whole one); only
//! regular files are opened, through [`open_recording`], and no read goes past the size limit;
//! a recording without staff speech is refused by [`load`]; ringback tone is never speech;
//! speech-band energy the detector leaves out is never dropped silently (the side is
//! transcribed whole and the call flagged, [`AudioFacts::speech_finder_unsure`]);
//! times are seconds from the start of the file on every channel.

use serde::{Deserialize, Serialize};

mod decode;
mod dvector;
mod error;
mod intervals;
mod load;
mod open;
mod regions;
mod resample;
mod ringback;
mod settings;
mod vad;
mod voices;
mod wav_header;

pub use decode::{Decoded, decode};
pub use dvector::VoiceEncoder;
pub use error::AudioError;
pub(crate) use intervals::{overlap, seconds, union};
pub use load::{load, measure_file};
pub use open::{open_recording, sha256_recording};
pub use regions::energy_regions;
pub use resample::resample_to_16k;
pub use ringback::ringback_bursts;
pub use settings::{AudioSettings, EnergySettings, RingbackSettings, SpeechSettings};
pub use vad::{SpeechFinder, speech_regions};
pub use voices::{VoiceTag, voice_tags};

/// How a call whose speech finder was unsure is flagged in run output, reports and exports.
pub const SPEECH_FINDER_UNSURE: &str = "speech finder unsure: whole side transcribed";

/// The sample rate every later stage works at (Whisper's).
pub const SAMPLE_RATE: u32 = 16_000;

/// Who speaks on a channel or in a segment. In a mono recording both parties share one
/// channel, so the audio stage can only say `Unknown`; scoring tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Staff,
    Caller,
    Unknown,
}

impl Speaker {
    /// The name used in the database, exports and tables (as serde spells it).
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::Staff => "staff",
            Speaker::Caller => "caller",
            Speaker::Unknown => "unknown",
        }
    }
}

/// A time on the call's time line as people read it off a player: `m:ss`, rounded down.
pub fn mmss(seconds: f64) -> String {
    let s = seconds.max(0.0).floor() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// A span as [`mmss`] times, `0:03–0:05`; one time when both ends read the same (a quote
/// inside one second), since `0:08–0:08` reads as a span of nothing.
pub fn mmss_span(start: f64, end: f64) -> String {
    let (a, b) = (mmss(start), mmss(end));
    if a == b { a } else { format!("{a}–{b}") }
}

/// Which side of the recording is the staff member (the manifest's `staff_channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffChannel {
    Mono,
    Left,
    Right,
}

/// A span of time in seconds from the start of the recording.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub start: f64,
    pub end: f64,
}

/// The spans of `regions` on `speaker`'s side: all in a mono call, else the side's own and
/// those of unknown side.
fn of_side(regions: &[SpeechRegion], speaker: Speaker, mono: bool) -> Vec<Region> {
    regions
        .iter()
        .filter(|r| mono || r.speaker == speaker || r.speaker == Speaker::Unknown)
        .map(SpeechRegion::span)
        .collect()
}

/// A span of speech energy on one party's channel (`Unknown` in mono).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpeechRegion {
    pub start: f64,
    pub end: f64,
    pub speaker: Speaker,
}

impl SpeechRegion {
    /// Its time span, whoever speaks.
    pub fn span(&self) -> Region {
        Region {
            start: self.start,
            end: self.end,
        }
    }
}

/// What the audio stage measured about one call; stored with the call and given to scoring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioFacts {
    /// Length of the recording in seconds.
    pub duration: f64,
    /// Number of channels in the file as recorded.
    pub channels: u16,
    /// Sample rate of the file as recorded.
    pub source_rate: u32,
    /// Ringback bursts heard before the staff's first speech.
    pub rings: u32,
    /// The ringback bursts themselves (start/end of each tone burst).
    pub ringback: Vec<Region>,
    /// Speech regions on the time line, ringback excluded, sorted by start.
    pub speech: Vec<SpeechRegion>,
    /// Start of the staff's first speech (mono: first speech after the ringback).
    pub first_staff_speech: Option<f64>,
    /// Mono only: which of two voices speaks when, in time order, covering the speech
    /// regions (a long region may hold both voices). Empty for stereo calls and for facts
    /// stored before voices were measured.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<VoiceTag>,
    /// Sides on which the speech detector missed speech-band energy: each such side's whole
    /// length minus ringback, transcribed instead of its speech regions. Empty on most calls
    /// (and on calls stored before the detector existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub whole_side: Vec<SpeechRegion>,
}

impl AudioFacts {
    /// True when some side was transcribed whole because the speech finder was unsure
    /// ([`SPEECH_FINDER_UNSURE`]).
    pub fn speech_finder_unsure(&self) -> bool {
        !self.whole_side.is_empty()
    }

    /// What to transcribe of `speaker`'s side (in mono, of the one track): its whole length
    /// minus ringback when the finder was unsure there, else its speech regions.
    pub fn spans_to_transcribe(&self, speaker: Speaker, mono: bool) -> Vec<Region> {
        let whole = of_side(&self.whole_side, speaker, mono);
        if whole.is_empty() {
            self.speech_of(speaker, mono)
        } else {
            whole
        }
    }

    /// The speech regions measured on `speaker`'s side (all of them in a mono call).
    pub fn speech_of(&self, speaker: Speaker, mono: bool) -> Vec<Region> {
        of_side(&self.speech, speaker, mono)
    }

    /// The speech regions that may be the staff's (the staff side in stereo, all of a mono
    /// call) cut to `start..end` seconds, those with nothing inside left out: where a
    /// verdict's stretch holds staff speech, and what of it to hear again.
    pub fn staff_speech_in(&self, start: f64, end: f64) -> Vec<SpeechRegion> {
        self.speech
            .iter()
            .filter(|r| r.speaker != Speaker::Caller)
            .map(|r| SpeechRegion {
                start: r.start.max(start),
                end: r.end.min(end),
                ..*r
            })
            .filter(|r| r.end > r.start)
            .collect()
    }
}

/// Decoded, resampled audio ready for transcription: one 16 kHz track per party.
#[derive(Debug, Clone)]
pub struct CallAudio {
    /// Staff side (or the whole mono recording), 16 kHz, peak-normalised.
    pub staff: Vec<f32>,
    /// Caller side in stereo recordings; `None` in mono.
    pub caller: Option<Vec<f32>>,
    pub facts: AudioFacts,
}

#[cfg(test)]
mod tests {
    #[test]
    fn mmss_is_minutes_and_padded_seconds_rounded_down() {
        for (t, want) in [
            (0.0, "0:00"),
            (3.9, "0:03"),
            (9.99, "0:09"),
            (65.2, "1:05"),
            (600.0, "10:00"),
            (-1.0, "0:00"),
        ] {
            assert_eq!(super::mmss(t), want);
        }
    }

    #[test]
    fn a_span_within_one_second_shows_one_time() {
        assert_eq!(super::mmss_span(8.2, 8.9), "0:08");
        assert_eq!(super::mmss_span(8.0, 8.0), "0:08");
        assert_eq!(super::mmss_span(3.5, 5.1), "0:03–0:05");
    }

    #[test]
    fn staff_speech_is_cut_to_the_stretch() {
        use super::{AudioFacts, Speaker, SpeechRegion};
        let r = |start, end, speaker| SpeechRegion {
            start,
            end,
            speaker,
        };
        let facts = AudioFacts {
            speech: vec![
                r(1.0, 3.0, Speaker::Staff),
                r(3.5, 4.0, Speaker::Caller),
                r(5.0, 9.0, Speaker::Staff),
                r(10.0, 11.0, Speaker::Staff),
            ],
            ..Default::default()
        };
        assert_eq!(
            facts.staff_speech_in(2.0, 6.0),
            [r(2.0, 3.0, Speaker::Staff), r(5.0, 6.0, Speaker::Staff)]
        );
        // A region that only touches the stretch holds nothing of it.
        assert!(facts.staff_speech_in(9.0, 10.0).is_empty());
        assert_eq!(
            facts
                .staff_speech_in(f64::NEG_INFINITY, f64::INFINITY)
                .len(),
            3
        );
    }
}
