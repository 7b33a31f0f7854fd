//! Two voices told apart on one channel: a bundled stereo call (staff on one side, caller on
//! the other) is mixed down to mono, and the voice groups of its speech regions must follow
//! the channels the regions came from.

mod audio_support;

use callgrade::audio::{self, AudioSettings, Speaker, SpeechRegion, StaffChannel, voice_tags};
use std::path::Path;

/// A voice tag this sure is one scoring may act on.
const CONFIDENT: f64 = 0.15;

/// (share of speech time grouped as the channels say, same share among confident regions,
/// share of speech time that is confident).
fn agreement(file: &str) -> (f64, f64, f64) {
    // Without the encoder every voice tag would say "cannot tell": say why instead.
    callgrade::audio::VoiceEncoder::open(&callgrade::model::voice_encoder_path(
        &callgrade::model::models_dir(),
    ))
    .unwrap_or_else(|e| panic!("{e} (run `make models` first)"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let call = audio::load(
        &path,
        StaffChannel::Right,
        &AudioSettings::default(),
        audio_support::speech_finder(),
    )
    .unwrap();
    let caller = call.caller.expect("stereo call");
    let mono: Vec<f32> = call
        .staff
        .iter()
        .zip(caller.iter().chain(std::iter::repeat(&0.0)))
        .map(|(a, b)| 0.5 * (a + b))
        .collect();
    // The regions as a speech finder would give them on the mixed channel: no labels.
    let regions: Vec<SpeechRegion> = call
        .facts
        .speech
        .iter()
        .map(|r| SpeechRegion {
            speaker: Speaker::Unknown,
            ..*r
        })
        .collect();
    let tags = voice_tags(&mono, &regions);
    // Each tag lies inside one region: the channel of that region is its truth.
    let truth: Vec<u8> = tags
        .iter()
        .map(|t| {
            let r = call
                .facts
                .speech
                .iter()
                .find(|r| r.start <= t.start + 1e-6 && t.end <= r.end + 1e-6)
                .expect("tags lie inside the regions");
            u8::from(r.speaker == Speaker::Caller)
        })
        .collect();
    let dur = |i: usize| tags[i].end - tags[i].start;
    let share = |confident_only: bool| {
        let idx: Vec<usize> = (0..tags.len())
            .filter(|&i| !confident_only || tags[i].confidence >= CONFIDENT)
            .collect();
        let total: f64 = idx.iter().map(|&i| dur(i)).sum();
        let same: f64 = idx
            .iter()
            .filter(|&&i| tags[i].voice == truth[i])
            .map(|&i| dur(i))
            .sum();
        // Voice numbers are arbitrary: either mapping may be the right one.
        same.max(total - same) / total.max(1e-9)
    };
    let all: f64 = (0..tags.len()).map(dur).sum();
    let confident: f64 = (0..tags.len())
        .filter(|&i| tags[i].confidence >= CONFIDENT)
        .map(dur)
        .sum();
    (share(false), share(true), confident / all)
}

#[test]
fn english_staff_and_caller_voices_are_told_apart_on_one_channel() {
    let (all, confident, covered) =
        agreement("recordings/demo/call03-grace-developmental-assessment.wav");
    eprintln!("en: {all:.3} of speech time, {confident:.3} of confident, {covered:.3} confident");
    assert!(all >= 0.95, "{all}");
    assert!(confident >= 0.95, "{confident}");
    assert!(covered >= 0.5, "{covered}");
}

#[test]
fn mandarin_staff_and_caller_voices_are_told_apart_on_one_channel() {
    let (all, confident, covered) =
        agreement("recordings/demo-zh/zh03-chen-developmental-assessment.wav");
    eprintln!("zh: {all:.3} of speech time, {confident:.3} of confident, {covered:.3} confident");
    assert!(all >= 0.95, "{all}");
    assert!(confident >= 0.95, "{confident}");
    assert!(covered >= 0.5, "{covered}");
}
