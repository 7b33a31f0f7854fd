//! Shared helpers for the audio tests: fixture paths, test signals, temporary WAV files.
#![allow(dead_code)]

use std::f32::consts::PI;
use std::path::{Path, PathBuf};

/// The installed speech detector, loaded once per test binary.
pub fn speech_finder() -> &'static callgrade::audio::SpeechFinder {
    static FINDER: std::sync::OnceLock<callgrade::audio::SpeechFinder> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| {
        callgrade::audio::SpeechFinder::installed()
            .unwrap_or_else(|e| panic!("{e} (run `make models` first)"))
    })
}

/// A committed fixture under `tests/fixtures/audio/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

/// A fresh path in the temp dir, unique to this process and test.
pub fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callgrade-audio-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir.join(name)
}

/// Sum of equal-amplitude sines.
pub fn tones(freqs: &[f32], amplitude: f32, seconds: f32, rate: u32) -> Vec<f32> {
    let n = (seconds * rate as f32).round() as usize;
    (0..n)
        .map(|i| {
            let t = i as f32 / rate as f32;
            freqs
                .iter()
                .map(|f| amplitude * (2.0 * PI * f * t).sin())
                .sum::<f32>()
        })
        .collect()
}

pub fn silence(seconds: f32, rate: u32) -> Vec<f32> {
    vec![0.0; (seconds * rate as f32).round() as usize]
}

/// `count` ringback cycles (tone on, then off) with the default 440+480 Hz, 1 s / 2 s cadence.
pub fn ringback(count: usize, rate: u32) -> Vec<f32> {
    let mut out = Vec::new();
    for _ in 0..count {
        out.extend(tones(&[440.0, 480.0], 0.15, 1.0, rate));
        out.extend(silence(2.0, rate));
    }
    out
}

/// Deterministic white noise (xorshift), uniform in ±amplitude.
pub fn add_noise(samples: &mut [f32], amplitude: f32, seed: u64) {
    let mut state = seed.max(1);
    for s in samples {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let u = (state >> 11) as f32 / (1u64 << 53) as f32;
        *s += amplitude * (2.0 * u - 1.0);
    }
}

/// Write 16-bit PCM WAV with one slice per channel (equal lengths).
pub fn write_wav(path: &Path, channels: &[&[f32]], rate: u32) {
    let spec = hound::WavSpec {
        channels: channels.len() as u16,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    let frames = channels.iter().map(|c| c.len()).max().unwrap_or(0);
    for i in 0..frames {
        for ch in channels {
            let v = ch.get(i).copied().unwrap_or(0.0).clamp(-1.0, 1.0);
            w.write_sample((v * 32767.0) as i16).expect("write sample");
        }
    }
    w.finalize().expect("finalize wav");
}

/// Frequency estimated from zero crossings (good enough for one pure tone).
pub fn zero_crossing_hz(samples: &[f32], rate: u32) -> f32 {
    let crossings = samples
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    crossings as f32 / 2.0 / (samples.len() as f32 / rate as f32)
}

pub fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |m, s| m.max(s.abs()))
}

/// The two espeak-ng phrases of the committed ring fixture, at 8 kHz: "Good morning, city
/// hall, this is Lin speaking." (5.500–8.392 s) and "How can I help you today?"
/// (9.392–10.893 s).
pub fn fixture_phrases() -> (Vec<f32>, Vec<f32>) {
    let d = callgrade::audio::decode(
        &fixture("rings2_speech_ulaw_8k.wav"),
        &callgrade::audio::AudioSettings::default(),
    )
    .expect("decode ring fixture");
    let ch = &d.channels[0];
    let at = |t: f64| (t * 8000.0).round() as usize;
    (
        ch[at(5.5)..at(8.392)].to_vec(),
        ch[at(9.392)..at(10.893)].to_vec(),
    )
}

/// A 16-bit PCM mono WAV file in memory, with any sample rate a header can hold (hound refuses
/// some that hostile files carry).
pub fn wav_bytes(rate: u32, samples: &[f32]) -> Vec<u8> {
    let data: Vec<u8> = samples
        .iter()
        .flat_map(|s| ((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes())
        .collect();
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&rate.wrapping_mul(2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    out
}

/// The recordings a hostile tester had graded although they hold no usable audio, as
/// (file name, contents): a 0.036 s MP3 blip, a silent second, and three impossible rates.
pub fn no_usable_audio() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "blip_8k.mp3",
            std::fs::read(fixture("blip_8k.mp3")).unwrap(),
        ),
        ("silent_1s.wav", wav_bytes(8000, &silence(1.0, 8000))),
        // 4 µs at 4 GHz, 100 s at 1 Hz, 0.1 s at 384 kHz.
        (
            "rate_4ghz.wav",
            wav_bytes(4_000_000_000, &tones(&[1000.0], 0.5, 4e-6, 4_000_000_000)),
        ),
        ("rate_1hz.wav", wav_bytes(1, &tones(&[0.1], 0.5, 100.0, 1))),
        (
            "rate_384k.wav",
            wav_bytes(384_000, &tones(&[1000.0], 0.5, 0.1, 384_000)),
        ),
    ]
}
