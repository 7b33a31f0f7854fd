//! Who said each line of a mono transcript, as scoring decided it. Mono segments carry no
//! speaker, and the decision needs the scenario's caller script and the voice groups, which
//! reports do not have; so it is kept with the score, one entry per transcript segment.

use super::speakers::StaffSpeech;
use super::tokens::tokenize;
use crate::audio::Speaker;
use crate::transcribe::Segment;
use serde::{Deserialize, Serialize};

/// A line's speaker below this confidence is shown as a guess.
pub const SPEAKER_UNSURE_BELOW: f64 = 0.6;

/// Who said one transcript line and how sure scoring was.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LineSpeaker {
    pub speaker: Speaker,
    /// 0..=1.
    pub confidence: f64,
}

impl LineSpeaker {
    /// The attribution is too weak to take as given.
    pub fn unsure(&self) -> bool {
        self.confidence < SPEAKER_UNSURE_BELOW
    }
}

/// One entry per segment of `segments`: `None` where the recording's side already says who
/// spoke (stereo), or the line was dropped or holds no words. A mono line is the side most of
/// its units went to; its confidence is that side's (token-weighted) confidence times that
/// side's share of the line, so a line split between the parties is never sure. Units cut out
/// as the scenario's caller script count as surely the caller's.
pub(crate) fn line_speakers(segments: &[Segment], staff: &StaffSpeech) -> Vec<Option<LineSpeaker>> {
    segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            if seg.speaker != Speaker::Unknown || seg.invented {
                return None;
            }
            let units = tokenize(&seg.text).len();
            if units == 0 {
                return None;
            }
            let (mut staff_units, mut staff_sum) = (0usize, 0.0);
            for u in staff.utts.iter().filter(|u| u.segment == i) {
                staff_units += u.toks.len();
                staff_sum += u.speaker_confidence * u.toks.len() as f64;
            }
            let (mut heard_units, mut heard_sum) = (0usize, 0.0);
            for c in staff.callers.iter().filter(|c| c.segment == i) {
                heard_units += c.units;
                heard_sum += c.sure * c.units as f64;
            }
            let script_units = units.saturating_sub(staff_units + heard_units);
            let caller_units = heard_units + script_units;
            let caller_sum = heard_sum + script_units as f64;
            let total = (staff_units + caller_units).max(1) as f64;
            let (speaker, n, sum) = if staff_units >= caller_units {
                (Speaker::Staff, staff_units, staff_sum)
            } else {
                (Speaker::Caller, caller_units, caller_sum)
            };
            let confidence = (sum / n.max(1) as f64) * (n as f64 / total);
            Some(LineSpeaker {
                speaker,
                confidence: (confidence * 100.0).round() / 100.0,
            })
        })
        .collect()
}
