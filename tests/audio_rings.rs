//! Ringback counting and speech regions on calls with known timing.

mod audio_support;

use audio_support::{
    add_noise, fixture, fixture_phrases, ringback, silence, speech_finder, temp_path, write_wav,
};
use callgrade::audio::{self, AudioSettings, Speaker, StaffChannel};

/// 16 kHz copies of the fixture's two phrases.
fn phrases_16k() -> (Vec<f32>, Vec<f32>) {
    let (a, b) = fixture_phrases();
    (
        audio::resample_to_16k(&a, 8000).unwrap(),
        audio::resample_to_16k(&b, 8000).unwrap(),
    )
}

#[test]
fn two_rings_then_speech_mu_law_8k() {
    let call = audio::load(
        &fixture("rings2_speech_ulaw_8k.wav"),
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
    let f = &call.facts;
    assert_eq!(f.rings, 2, "{f:?}");
    assert_eq!(f.ringback.len(), 2);
    for (burst, start) in f.ringback.iter().zip([0.0, 3.0]) {
        assert!((burst.start - start).abs() < 0.06, "{burst:?}");
        assert!((burst.end - (start + 1.0)).abs() < 0.06, "{burst:?}");
    }
    let first = f.first_staff_speech.expect("speech found");
    assert!((first - 5.5).abs() < 0.08, "first speech at {first}");
    assert!(f.speech.iter().all(|r| r.speaker == Speaker::Unknown));
}

#[test]
fn speech_regions_follow_the_known_pause() {
    let call = audio::load(
        &fixture("rings2_speech_ulaw_8k.wav"),
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
    let speech = &call.facts.speech;
    // Phrase A 5.500–8.392 s, 1 s pause, phrase B 9.392–10.893 s; nothing during ringing.
    assert!(!speech.is_empty() && speech.len() <= 4, "{speech:?}");
    assert!(
        speech.iter().all(|r| r.start >= 5.4),
        "speech during ringback: {speech:?}"
    );
    assert!(
        speech.windows(2).all(|w| w[0].end <= w[1].start),
        "{speech:?}"
    );
    assert!(
        speech.iter().all(|r| r.end <= 8.7 || r.start >= 9.3),
        "the pause was not found: {speech:?}"
    );
    let before_pause = speech.iter().rfind(|r| r.end <= 8.7).unwrap();
    assert!((before_pause.end - 8.39).abs() < 0.3, "{before_pause:?}");
    let after_pause = speech.iter().find(|r| r.start >= 9.3).unwrap();
    assert!((after_pause.start - 9.39).abs() < 0.1, "{after_pause:?}");
    let last = speech.last().unwrap();
    assert!((last.end - 10.89).abs() < 0.3, "{last:?}");
}

#[test]
fn four_rings_with_line_noise_16k() {
    let (a, b) = phrases_16k();
    let mut samples = ringback(4, 16000);
    samples.extend(silence(0.5, 16000));
    let speech_start = samples.len() as f64 / 16000.0;
    samples.extend(&a);
    samples.extend(silence(0.8, 16000));
    samples.extend(&b);
    samples.extend(silence(0.5, 16000));
    add_noise(&mut samples, 0.01, 42);
    let path = temp_path("four_rings.wav");
    write_wav(&path, &[&samples], 16000);

    let f = audio::load(
        &path,
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap()
    .facts;
    assert_eq!(f.rings, 4, "{f:?}");
    let first = f.first_staff_speech.unwrap();
    assert!(
        (first - speech_start).abs() < 0.1,
        "{first} vs {speech_start}"
    );
    assert!(
        f.speech.iter().all(|r| r.start >= speech_start - 0.1),
        "{:?}",
        f.speech
    );
}

#[test]
fn stereo_ringback_on_the_caller_side() {
    let (a, b) = phrases_16k();
    // Caller (left) hears three rings, then answers the staff; staff (right) greets at pickup.
    let mut caller = ringback(3, 16000);
    let pickup = caller.len();
    let mut staff = silence(pickup as f32 / 16000.0, 16000);
    staff.extend(&a);
    caller.extend(silence(a.len() as f32 / 16000.0 + 0.5, 16000));
    let caller_starts = caller.len() as f64 / 16000.0;
    caller.extend(&b);
    staff.resize(caller.len(), 0.0);
    add_noise(&mut staff, 0.002, 1);
    add_noise(&mut caller, 0.002, 2);
    let path = temp_path("stereo_rings.wav");
    write_wav(&path, &[&caller, &staff], 16000);

    let call = audio::load(
        &path,
        StaffChannel::Right,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
    let f = &call.facts;
    assert_eq!(f.channels, 2);
    assert_eq!(f.rings, 3, "{f:?}");
    let first = f.first_staff_speech.unwrap();
    assert!((first - pickup as f64 / 16000.0).abs() < 0.1, "{first}");
    let staff_regions: Vec<_> = f
        .speech
        .iter()
        .filter(|r| r.speaker == Speaker::Staff)
        .collect();
    let caller_regions: Vec<_> = f
        .speech
        .iter()
        .filter(|r| r.speaker == Speaker::Caller)
        .collect();
    assert!(
        !staff_regions.is_empty() && !caller_regions.is_empty(),
        "{:?}",
        f.speech
    );
    // Ringback is not caller speech.
    assert!(
        caller_regions
            .iter()
            .all(|r| r.start >= caller_starts - 0.1),
        "{caller_regions:?}"
    );
    assert!(f.speech.windows(2).all(|w| w[0].start <= w[1].start));
}

#[test]
fn no_ringback_means_no_rings() {
    let (a, _) = phrases_16k();
    let mut samples = silence(0.5, 16000);
    samples.extend(&a);
    let path = temp_path("no_rings.wav");
    write_wav(&path, &[&samples], 16000);
    let f = audio::load(
        &path,
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap()
    .facts;
    assert_eq!(f.rings, 0);
    assert!(f.ringback.is_empty());
    assert!((f.first_staff_speech.unwrap() - 0.5).abs() < 0.08);
}

#[test]
fn ringback_cadence_is_configurable() {
    // A European-style single 425 Hz tone, 1.5 s on, 3.5 s off: invisible to the default
    // detector, counted once the settings describe it.
    let mut samples = Vec::new();
    for _ in 0..3 {
        samples.extend(audio_support::tones(&[425.0], 0.3, 1.5, 16000));
        samples.extend(silence(3.5, 16000));
    }
    let (a, _) = phrases_16k();
    samples.extend(&a);
    let default = AudioSettings::default();
    assert!(audio::ringback_bursts(&samples, &default).is_empty());

    let mut settings = AudioSettings::default();
    settings.ringback.freqs_hz = vec![425.0];
    settings.ringback.on_seconds = 1.5;
    settings.ringback.off_seconds = 3.5;
    let bursts = audio::ringback_bursts(&samples, &settings);
    assert_eq!(bursts.len(), 3, "{bursts:?}");
    assert!((bursts[1].start - 5.0).abs() < 0.06 && (bursts[1].end - 6.5).abs() < 0.06);
    // And the tone is not speech under either setting.
    let speech = audio::speech_regions(&samples, Speaker::Unknown, &settings, speech_finder());
    assert!(speech.iter().all(|r| r.start >= 14.9), "{speech:?}");
}

#[test]
fn settings_round_trip_through_json() {
    let s = AudioSettings::default();
    let json = serde_json::to_string(&s).unwrap();
    let back: AudioSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(s, back);
    // Partial settings fill in defaults.
    let partial: AudioSettings = serde_json::from_str(r#"{"max_seconds": 60.0}"#).unwrap();
    assert_eq!(partial.max_seconds, 60.0);
    assert_eq!(partial.ringback, s.ringback);
}

#[test]
fn rings_survive_heavy_line_noise_at_8k() {
    let (a, _) = fixture_phrases();
    let mut samples = ringback(3, 8000);
    samples.extend(&a);
    // Tone RMS is 0.15; uniform noise of ±0.08 has RMS 0.046: about 10 dB below the tone.
    add_noise(&mut samples, 0.08, 9);
    let path = temp_path("noisy_rings_8k.wav");
    write_wav(&path, &[&samples], 8000);
    let f = audio::load(
        &path,
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap()
    .facts;
    assert_eq!(f.rings, 3, "{:?}", f.ringback);
    let first = f.first_staff_speech.unwrap();
    assert!((first - 9.0).abs() < 0.15, "{first}");
}

#[test]
fn pickup_during_a_ring_counts_that_ring() {
    let (a, _) = phrases_16k();
    let mut samples = ringback(2, 16000);
    samples.extend(audio_support::tones(&[440.0, 480.0], 0.15, 0.6, 16000));
    samples.extend(silence(0.3, 16000));
    samples.extend(&a);
    let path = temp_path("pickup_mid_ring.wav");
    write_wav(&path, &[&samples], 16000);
    let f = audio::load(
        &path,
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap()
    .facts;
    assert_eq!(f.rings, 3, "{:?}", f.ringback);
    assert!((f.first_staff_speech.unwrap() - 6.9).abs() < 0.1);
}
