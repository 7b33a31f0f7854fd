//! Every decoder path: each fixture is a 1 kHz sine at half scale (stereo: 500 Hz at 0.5 left,
//! 1 kHz at 0.25 right), so level and pitch show whether the samples came out right.

mod audio_support;

use audio_support::{fixture, peak, speech_finder, zero_crossing_hz};
use callgrade::audio::{self, AudioSettings, StaffChannel};

fn check_sine(name: &str, rate: u32, seconds: f64, amp_tol: f32) {
    let d = audio::decode(&fixture(name), &AudioSettings::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(d.sample_rate, rate, "{name}: rate");
    assert_eq!(d.channels.len(), 1, "{name}: channels");
    assert!(
        (d.duration() - seconds).abs() < 0.01,
        "{name}: duration {} s, expected {seconds}",
        d.duration()
    );
    let p = peak(&d.channels[0]);
    assert!((p - 0.5).abs() < amp_tol, "{name}: peak {p}, expected 0.5");
    let hz = zero_crossing_hz(&d.channels[0], rate);
    assert!((hz - 1000.0).abs() < 20.0, "{name}: {hz} Hz, expected 1000");
}

#[test]
fn pcm_8_bit_unsigned() {
    check_sine("sine_pcm8_8k.wav", 8000, 0.25, 0.02);
}

#[test]
fn pcm_16_bit() {
    check_sine("sine_pcm16_8k.wav", 8000, 0.25, 0.01);
}

#[test]
fn pcm_24_bit_extensible() {
    check_sine("sine_pcm24_8k.wav", 8000, 0.25, 0.01);
}

#[test]
fn pcm_32_bit_int() {
    check_sine("sine_pcm32_8k.wav", 8000, 0.25, 0.01);
}

#[test]
fn float_32_bit() {
    check_sine("sine_float32_8k.wav", 8000, 0.25, 0.01);
}

#[test]
fn g711_mu_law() {
    let d = audio::decode(&fixture("sine_ulaw_8k.wav"), &AudioSettings::default()).unwrap();
    assert!(d.format.contains("μ-law"), "format {}", d.format);
    check_sine("sine_ulaw_8k.wav", 8000, 0.25, 0.02);
}

#[test]
fn g711_a_law() {
    let d = audio::decode(&fixture("sine_alaw_8k.wav"), &AudioSettings::default()).unwrap();
    assert!(d.format.contains("A-law"), "format {}", d.format);
    check_sine("sine_alaw_8k.wav", 8000, 0.25, 0.02);
}

#[test]
fn flac() {
    check_sine("sine_16k.flac", 16000, 0.5, 0.01);
}

#[test]
fn mp3() {
    let d = audio::decode(&fixture("sine_16k.mp3"), &AudioSettings::default()).unwrap();
    assert_eq!(d.sample_rate, 16000);
    assert_eq!(d.channels.len(), 1);
    // Encoder delay and frame padding may remain when the file does not record them.
    assert!(
        d.duration() >= 0.49 && d.duration() < 0.65,
        "{}",
        d.duration()
    );
    let p = peak(&d.channels[0]);
    assert!((p - 0.5).abs() < 0.08, "peak {p}");
    // Measure pitch inside the tone, away from the encoder's leading silence.
    let mid = &d.channels[0][3000..7000];
    let hz = zero_crossing_hz(mid, 16000);
    assert!((hz - 1000.0).abs() < 20.0, "{hz} Hz");
}

#[test]
fn stereo_channels_stay_apart() {
    let d = audio::decode(&fixture("stereo_pcm16_16k.wav"), &AudioSettings::default()).unwrap();
    assert_eq!(d.channels.len(), 2);
    assert_eq!(d.sample_rate, 16000);
    let (l, r) = (&d.channels[0], &d.channels[1]);
    assert!((peak(l) - 0.5).abs() < 0.01 && (peak(r) - 0.25).abs() < 0.01);
    assert!((zero_crossing_hz(l, 16000) - 500.0).abs() < 15.0);
    assert!((zero_crossing_hz(r, 16000) - 1000.0).abs() < 15.0);
}

#[test]
fn load_splits_stereo_by_staff_channel() {
    let path = fixture("stereo_pcm16_16k.wav");
    let settings = AudioSettings::default();
    let call = audio::measure_file(&path, StaffChannel::Right, &settings, speech_finder()).unwrap();
    assert_eq!(call.facts.channels, 2);
    assert_eq!(call.facts.source_rate, 16000);
    let caller = call.caller.as_ref().expect("stereo keeps the caller");
    // Right is the 1 kHz side; each side is peak-normalised on its own.
    assert!((zero_crossing_hz(&call.staff, 16000) - 1000.0).abs() < 15.0);
    assert!((zero_crossing_hz(caller, 16000) - 500.0).abs() < 15.0);
    assert!((peak(&call.staff) - 1.0).abs() < 1e-6 && (peak(caller) - 1.0).abs() < 1e-6);

    let left = audio::measure_file(&path, StaffChannel::Left, &settings, speech_finder()).unwrap();
    assert!((zero_crossing_hz(&left.staff, 16000) - 500.0).abs() < 15.0);
}

#[test]
fn load_downmixes_stereo_when_manifest_says_mono() {
    let call = audio::measure_file(
        &fixture("stereo_pcm16_16k.wav"),
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
    assert!(call.caller.is_none());
    assert_eq!(call.facts.channels, 2);
    assert_eq!(call.staff.len(), 4000);
    // The mono track is the average of both sides, then peak-normalised.
    let d = audio::decode(&fixture("stereo_pcm16_16k.wav"), &AudioSettings::default()).unwrap();
    let mix: Vec<f32> = d.channels[0]
        .iter()
        .zip(&d.channels[1])
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    let scale = peak(&mix);
    for (got, want) in call.staff.iter().zip(&mix).skip(200).take(3000) {
        assert!(
            (got - want / scale).abs() < 0.01,
            "{got} vs {}",
            want / scale
        );
    }
}

#[test]
fn eight_khz_is_resampled_to_16k() {
    let call = audio::measure_file(
        &fixture("sine_pcm16_8k.wav"),
        StaffChannel::Mono,
        &AudioSettings::default(),
        speech_finder(),
    )
    .unwrap();
    assert_eq!(call.facts.source_rate, 8000);
    assert!((call.facts.duration - 0.25).abs() < 1e-9);
    assert_eq!(call.staff.len(), 4000);
    let hz = zero_crossing_hz(&call.staff[400..3600], 16000);
    assert!((hz - 1000.0).abs() < 15.0, "{hz} Hz");
}

#[test]
fn resampling_keeps_pitch_and_timing() {
    for rate in [8000u32, 11025, 22050, 44100, 48000] {
        let input = audio_support::tones(&[700.0], 0.5, 1.0, rate);
        let out = audio::resample_to_16k(&input, rate).unwrap();
        assert!(
            (out.len() as i64 - 16000).abs() <= 2,
            "{rate} Hz: {} samples",
            out.len()
        );
        let hz = zero_crossing_hz(&out[800..15200], 16000);
        assert!((hz - 700.0).abs() < 5.0, "{rate} Hz: {hz} Hz");
        // No startup delay: the first cycle is in place (sin rises from 0 at t = 0).
        let quarter = (16000.0 / 700.0 / 4.0) as usize;
        assert!(
            out[quarter] > 0.4,
            "{rate} Hz: delayed start {}",
            out[quarter]
        );
    }
    assert!(audio::resample_to_16k(&[0.1, 0.2], 0).is_err());
    assert_eq!(
        audio::resample_to_16k(&[0.1, 0.2], 16000).unwrap(),
        vec![0.1, 0.2]
    );
}
