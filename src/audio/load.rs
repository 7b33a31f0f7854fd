//! One call from file to [`CallAudio`]: decode, pick the parties' channels, resample,
//! normalise, and measure speech and ringback.

use std::path::Path;

use super::decode::decode;
use super::error::AudioError;
use super::resample::{peak_normalise, resample_to_16k};
use super::settings::AudioSettings;
use super::vad::{SpeechFinder, find_speech};
use super::{
    AudioFacts, CallAudio, Region, Speaker, SpeechRegion, StaffChannel, ringback_bursts, voice_tags,
};

/// Less staff speech than this, in all, is a click or a blip (a region is padded on both
/// sides), not a call to grade. A bare "hello" is longer.
const MIN_STAFF_SPEECH_S: f64 = 0.3;

/// Decode `path` and measure it, refusing a recording with no speech on the staff side (a
/// silent file, a tone, a blip): there is nothing to grade, and a grade would look real.
/// `staff` says which channel is the staff (the manifest's `staff_channel`): `Mono` mixes
/// every channel into one track; `Left`/`Right` need a stereo file and keep the other side as
/// the caller. `finder` is the speech detector, loaded once per run.
pub fn load(
    path: &Path,
    staff: StaffChannel,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Result<CallAudio, AudioError> {
    let call = measure_file(path, staff, settings, finder)?;
    let staff_speech: f64 = call
        .facts
        .speech
        .iter()
        .filter(|r| r.speaker != Speaker::Caller)
        .map(|r| r.end - r.start)
        .sum();
    if staff_speech < MIN_STAFF_SPEECH_S {
        return Err(AudioError::NoSpeech {
            file: path.to_path_buf(),
            channels: usize::from(call.facts.channels),
        });
    }
    Ok(call)
}

/// [`load`] without the check for staff speech: for looking at any audio (tone tests of the
/// signal path, `examples/audio_facts`). Grading must use [`load`].
pub fn measure_file(
    path: &Path,
    staff: StaffChannel,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Result<CallAudio, AudioError> {
    let decoded = decode(path, settings)?;
    let n_channels = decoded.channels.len();
    let rate = decoded.sample_rate;
    let duration = decoded.duration();
    let (staff_raw, caller_raw) = split_channels(path, decoded.channels, staff)?;

    let to_16k = |samples: Vec<f32>| -> Result<Vec<f32>, AudioError> {
        let mut out = resample_to_16k(&samples, rate).map_err(|e| e.in_file(path))?;
        peak_normalise(&mut out);
        Ok(out)
    };
    let staff16 = to_16k(staff_raw)?;
    let caller16 = caller_raw.map(to_16k).transpose()?;

    let mut facts = measure(&staff16, caller16.as_deref(), settings, finder);
    facts.duration = duration;
    facts.channels = u16::try_from(n_channels).unwrap_or(u16::MAX);
    facts.source_rate = rate;
    Ok(CallAudio {
        staff: staff16,
        caller: caller16,
        facts,
    })
}

/// (staff, caller) tracks at the source rate.
fn split_channels(
    path: &Path,
    mut channels: Vec<Vec<f32>>,
    staff: StaffChannel,
) -> Result<(Vec<f32>, Option<Vec<f32>>), AudioError> {
    let (staff_idx, caller_idx, side) = match staff {
        StaffChannel::Mono => return Ok((downmix(channels), None)),
        StaffChannel::Left => (0, 1, "left"),
        StaffChannel::Right => (1, 0, "right"),
    };
    if channels.len() < 2 {
        return Err(AudioError::ChannelMismatch {
            file: path.to_path_buf(),
            staff: side,
            channels: channels.len(),
        });
    }
    let caller = std::mem::take(&mut channels[caller_idx]);
    let staff = std::mem::take(&mut channels[staff_idx]);
    Ok((staff, Some(caller)))
}

fn downmix(mut channels: Vec<Vec<f32>>) -> Vec<f32> {
    if channels.len() == 1 {
        return channels.pop().unwrap_or_default();
    }
    let n = channels.len() as f32;
    let frames = channels.first().map_or(0, Vec::len);
    (0..frames)
        .map(|i| channels.iter().map(|c| c[i]).sum::<f32>() / n)
        .collect()
}

/// Speech, ringback and rings from the 16 kHz tracks (duration and format are filled by the
/// caller, which knows the file).
pub(crate) fn measure(
    staff16: &[f32],
    caller16: Option<&[f32]>,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> AudioFacts {
    let mut whole_side = Vec::new();
    let (speech, ringback, first_staff_speech, voices) = match caller16 {
        None => {
            let side = find_speech(staff16, Speaker::Unknown, settings, finder);
            whole_side = side.whole_side;
            let speech = side.speech;
            let ringback = ringback_bursts(staff16, settings);
            let first = first_speech_after_ringing(&speech, &ringback, settings);
            let voices = voice_tags(staff16, &speech);
            (speech, ringback, first, voices)
        }
        Some(caller) => {
            let staff_side = find_speech(staff16, Speaker::Staff, settings, finder);
            let caller_side = find_speech(caller, Speaker::Caller, settings, finder);
            let mut speech = staff_side.speech;
            let first = speech.first().map(|r| r.start);
            speech.extend(caller_side.speech);
            speech.sort_by(|a, b| a.start.total_cmp(&b.start));
            whole_side.extend(staff_side.whole_side);
            whole_side.extend(caller_side.whole_side);
            // The caller hears the ringback, so it is on the caller's side; some systems
            // record it on both or only on the other, so fall back to the staff side.
            let mut ringback = ringback_bursts(caller, settings);
            if ringback.is_empty() {
                ringback = ringback_bursts(staff16, settings);
            }
            (speech, ringback, first, Vec::new())
        }
    };
    let rings = ringback
        .iter()
        .filter(|b| first_staff_speech.is_none_or(|t| b.start < t))
        .count();
    AudioFacts {
        rings: u32::try_from(rings).unwrap_or(u32::MAX),
        ringback,
        speech,
        first_staff_speech,
        voices,
        whole_side,
        ..AudioFacts::default()
    }
}

/// In mono the first speech after pickup is taken as the staff's. Sound while the line is
/// still ringing (a cough, a click) is not pickup: ringback carries on after it.
fn first_speech_after_ringing(
    speech: &[SpeechRegion],
    ringback: &[Region],
    settings: &AudioSettings,
) -> Option<f64> {
    let rb = &settings.ringback;
    let still_ringing_within = rb.off_seconds + rb.on_seconds * 0.5;
    speech
        .iter()
        .find(|r| {
            !ringback
                .iter()
                .any(|b| b.start >= r.start && b.start - r.start <= still_ringing_within)
        })
        .map(|r| r.start)
}
