//! How well mono voice grouping follows who really speaks, on recordings that cannot be
//! bundled: prints the share of single-speaker speech time whose voice group matches the
//! reference, and the time voice grouping takes.
//!
//! Usage:
//!   `cargo run --release --example voice_agreement -- FILE.wav FILE.rttm`
//!     (a mono call and its RTTM reference, two speakers; overlapped speech is left out)
//!   `cargo run --release --example voice_agreement -- STEREO.wav`
//!     (a two-channel call mixed down to mono; each channel's speech regions are the truth)
//!
//! The mono regions are the speech finder's on the mono track, exactly as a mono call gets
//! them; the tags are scored on a 10 ms grid, with either mapping of voices to speakers.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use callgrade::audio::{
    self, AudioSettings, Speaker, SpeechFinder, SpeechRegion, StaffChannel, VoiceTag, voice_tags,
};

/// A voice tag this sure is one scoring may act on (as in tests/audio_voices.rs).
const CONFIDENT: f64 = 0.15;
const STEP: f64 = 0.01;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(wav) = args.first() else {
        eprintln!("usage: voice_agreement FILE.wav [FILE.rttm]");
        return ExitCode::from(2);
    };
    let finder = match SpeechFinder::installed() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let settings = AudioSettings::default();
    let (mono, truth) = match args.get(1) {
        Some(rttm) => match (mono_call(wav, &settings, &finder), read_rttm(rttm)) {
            (Ok(m), Ok(t)) => (m, t),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => match stereo_call(wav, &settings, &finder) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
    };
    let regions: Vec<SpeechRegion> =
        audio::speech_regions(&mono, Speaker::Unknown, &settings, &finder);
    let runs = 5;
    let clock = Instant::now();
    let mut tags: Vec<VoiceTag> = Vec::new();
    for _ in 0..runs {
        tags = voice_tags(&mono, &regions);
    }
    let ms = clock.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let secs = mono.len() as f64 / f64::from(audio::SAMPLE_RATE);
    println!(
        "{wav}: {:.1} s, {} speech regions ({:.1} s), {} voice tags, voice grouping {ms:.1} ms",
        secs,
        regions.len(),
        regions.iter().map(|r| r.end - r.start).sum::<f64>(),
        tags.len()
    );
    for t in &tags {
        println!(
            "  {:7.2}-{:7.2} voice {} confidence {:.3}",
            t.start, t.end, t.voice, t.confidence
        );
    }
    let (all, sure, covered, anchored) = agreement(&tags, &truth);
    println!(
        "grouped right: {all:.3} of single-speaker speech time; {sure:.3} of confident; {covered:.3} confident; {anchored:.3} with the first tag's voice as the first speaker's"
    );
    ExitCode::SUCCESS
}

/// Who speaks when: (start, end, speaker 0 or 1).
type Truth = Vec<(f64, f64, u8)>;

fn mono_call(
    wav: &str,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Result<Vec<f32>, String> {
    let call = audio::load(Path::new(wav), StaffChannel::Mono, settings, finder)
        .map_err(|e| e.to_string())?;
    Ok(call.staff)
}

fn stereo_call(
    wav: &str,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Result<(Vec<f32>, Truth), String> {
    let call = audio::load(Path::new(wav), StaffChannel::Right, settings, finder)
        .map_err(|e| e.to_string())?;
    let caller = call
        .caller
        .ok_or_else(|| format!("{wav} has one channel: give its RTTM reference too"))?;
    let mono = call
        .staff
        .iter()
        .zip(caller.iter().chain(std::iter::repeat(&0.0)))
        .map(|(a, b)| 0.5 * (a + b))
        .collect();
    let truth = call
        .facts
        .speech
        .iter()
        .map(|r| (r.start, r.end, u8::from(r.speaker == Speaker::Caller)))
        .collect();
    Ok((mono, truth))
}

fn read_rttm(path: &str) -> Result<Truth, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("SPEAKER")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(start), Some(dur), Some(name)) = (
            f.get(3).and_then(|s| s.parse::<f64>().ok()),
            f.get(4).and_then(|s| s.parse::<f64>().ok()),
            f.get(7),
        ) else {
            return Err(format!("{path}: cannot read the RTTM line `{line}`"));
        };
        let k = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.to_string());
            names.len() - 1
        });
        if k > 1 {
            return Err(format!("{path}: more than two speakers"));
        }
        out.push((start, start + dur, k as u8));
    }
    Ok(out)
}

/// (share right of all tagged single-speaker time, of the confident part, confident share,
/// share right when the first tag's voice is taken for the first speaker's, as scoring takes
/// the first voice after pickup for the staff's).
fn agreement(tags: &[VoiceTag], truth: &Truth) -> (f64, f64, f64, f64) {
    // [all, confident] x [same, other]
    let mut t = [[0.0f64; 2]; 2];
    for tag in tags {
        let mut x = tag.start;
        while x < tag.end {
            let who: Vec<u8> = truth
                .iter()
                .filter(|r| r.0 <= x && x < r.1)
                .map(|r| r.2)
                .collect();
            if let [k] = who[..] {
                let same = usize::from(k != tag.voice);
                t[0][same] += STEP;
                if tag.confidence >= CONFIDENT {
                    t[1][same] += STEP;
                }
            }
            x += STEP;
        }
    }
    let share = |r: [f64; 2]| r[0].max(r[1]) / (r[0] + r[1]).max(1e-9);
    let covered = (t[1][0] + t[1][1]) / (t[0][0] + t[0][1]).max(1e-9);
    // The reference's first speaker is speaker 0; the first tag's voice is theirs if mapped.
    let first_voice = tags.first().map_or(0, |t| t.voice);
    let anchored = if first_voice == 0 { t[0][0] } else { t[0][1] } / (t[0][0] + t[0][1]).max(1e-9);
    (share(t[0]), share(t[1]), covered, anchored)
}
