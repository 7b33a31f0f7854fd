//! The trained speech finder (Silero VAD) on real recorded speech: a mostly-speech recording,
//! a line with steady noise and a short utterance keep their speech; when the finder misses
//! speech-band energy the side is transcribed whole and the call is flagged, up to the JSON
//! and CSV exports, but hold music it rightly hears as no speech is not such energy; without
//! the detector installed, transcription stops with a set-up error.

mod audio_support;
mod transcribe_support;

use audio_support::{add_noise, speech_finder, temp_path, write_wav};
use callgrade::audio::{self, AudioSettings, CallAudio, SPEECH_FINDER_UNSURE, StaffChannel};
use callgrade::pipeline::{self, Manifest, RunOptions};
use callgrade::score::{Rubric, Scenarios};
use callgrade::store::Store;
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use std::path::Path;
use transcribe_support::common::{self, callgrade, repo};
use transcribe_support::{fixture, heard_text, model, wer};

const RATE: u32 = 8000;

/// The real recorded prompts (8 kHz) and their reference text.
fn prompts() -> (Vec<f32>, String) {
    let d = audio::decode(
        &fixture("asterisk-prompts-en.wav"),
        &AudioSettings::default(),
    )
    .unwrap();
    assert_eq!(d.sample_rate, RATE);
    let text = std::fs::read_to_string(fixture("asterisk-prompts-en.txt")).unwrap();
    (d.channels[0].clone(), text)
}

/// `samples` with every pause longer than 80 ms cut down to 80 ms: a recording that is
/// speech almost throughout, where a noise floor taken from the quietest frames is speech.
fn squeeze_pauses(samples: &[f32]) -> Vec<f32> {
    let frame = (RATE / 50) as usize;
    let peak = samples.iter().fold(0f32, |m, &x| m.max(x.abs()));
    let keep_quiet = 4;
    let mut out = Vec::new();
    let mut quiet_run = 0;
    for chunk in samples.chunks(frame) {
        let rms = (chunk.iter().map(|x| x * x).sum::<f32>() / chunk.len() as f32).sqrt();
        if rms < 0.02 * peak {
            quiet_run += 1;
            if quiet_run > keep_quiet {
                continue;
            }
        } else {
            quiet_run = 0;
        }
        out.extend_from_slice(chunk);
    }
    out
}

fn speech_seconds(call: &CallAudio) -> f64 {
    call.facts.speech.iter().map(|r| r.end - r.start).sum()
}

/// tiny.en's transcript of `call` (text Whisper invented left out).
fn transcribe(call: &CallAudio) -> String {
    let t = Transcriber::new(&model("ggml-tiny.en.bin"), TranscribeSettings::default()).unwrap();
    heard_text(&t.transcribe(call, &Request::new("en", 1)).unwrap())
}

fn load_with(path: &Path, settings: &AudioSettings) -> CallAudio {
    audio::load(path, StaffChannel::Mono, settings, speech_finder())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_mostly_speech_recording_keeps_its_speech() {
    let (samples, text) = prompts();
    let squeezed = squeeze_pauses(&samples);
    let path = temp_path("mostly_speech.wav");
    write_wav(&path, &[&squeezed], RATE);
    let call = load_with(&path, &AudioSettings::default());
    let duration = call.facts.duration;
    let found = speech_seconds(&call);
    assert!(
        found >= 0.85 * duration,
        "only {found:.1} s of {duration:.1} s found: {:?}",
        call.facts.speech
    );
    assert!(!call.facts.speech_finder_unsure(), "{:?}", call.facts);
    let hyp = transcribe(&call);
    let w = wer(&text, &hyp);
    assert!(w <= 0.2, "WER {:.0}%: {hyp}", w * 100.0);
}

#[test]
fn a_line_with_steady_noise_keeps_its_speech() {
    let (prompts, text) = prompts();
    // Three seconds of the line alone, then the prompts; steady hiss plus mains hum over all,
    // as on an old analogue line, about 12 dB below the speech.
    let lead = 3.0;
    let mut samples = vec![0.0; (lead * RATE as f64) as usize];
    samples.extend(&prompts);
    let peak = samples.iter().fold(0f32, |m, &x| m.max(x.abs()));
    add_noise(&mut samples, 0.06 * peak, 7);
    for (i, s) in samples.iter_mut().enumerate() {
        *s += 0.03 * peak * (2.0 * std::f32::consts::PI * 60.0 * i as f32 / RATE as f32).sin();
    }
    let path = temp_path("steady_noise.wav");
    write_wav(&path, &[&samples], RATE);
    let call = load_with(&path, &AudioSettings::default());
    let speech = &call.facts.speech;
    // The prompts are speech with pauses under 0.3 s: nearly all of them is one region.
    let found = speech_seconds(&call);
    let spoken = call.facts.duration - lead;
    assert!(
        found >= 0.85 * spoken,
        "{found:.1} s of {spoken:.1} s found: {speech:?}"
    );
    assert!(
        speech.iter().all(|r| r.start >= lead - 0.3),
        "the noise alone was taken for speech: {speech:?}"
    );
    assert!(!call.facts.speech_finder_unsure(), "{:?}", call.facts);
    let hyp = transcribe(&call);
    let w = wer(&text, &hyp);
    assert!(w <= 0.2, "WER {:.0}%: {hyp}", w * 100.0);
}

#[test]
fn a_short_utterance_is_not_lost() {
    let (samples, _) = prompts();
    // "All of our representatives" and a little more: 1.8 s.
    let short = &samples[..(1.8 * RATE as f32) as usize];
    let path = temp_path("short.wav");
    write_wav(&path, &[short], RATE);
    let call = load_with(&path, &AudioSettings::default());
    assert!(speech_seconds(&call) >= 1.0, "{:?}", call.facts.speech);
    let hyp = transcribe(&call).to_lowercase();
    assert!(hyp.contains("representative"), "{hyp}");
}

/// Settings under which the detector never starts speech, as if it had missed everything.
fn deaf_finder() -> AudioSettings {
    let mut s = AudioSettings::default();
    s.speech.start_probability = 1.5;
    s
}

#[test]
fn missed_speech_is_transcribed_whole_and_flagged() {
    let (samples, text) = prompts();
    let path = temp_path("missed.wav");
    write_wav(&path, &[&samples], RATE);
    let call = load_with(&path, &deaf_finder());
    let f = &call.facts;
    assert!(f.speech_finder_unsure(), "{f:?}");
    let whole: f64 = f.whole_side.iter().map(|r| r.end - r.start).sum();
    assert!(whole >= f.duration - 0.1, "{:?}", f.whole_side);
    // Scoring still sees the speech-band energy as speech.
    assert!(speech_seconds(&call) >= 10.0, "{:?}", f.speech);
    let hyp = transcribe(&call);
    assert!(wer(&text, &hyp) <= 0.2, "{hyp}");
}

/// `seconds` of a plucked four-note tune (harmonics decaying within each half-second note),
/// looped: tonal and loud in the speech band like most hold music, but no speech.
fn hold_music(seconds: f32) -> Vec<f32> {
    let notes = [523.25f32, 659.25, 783.99, 659.25];
    let note_len = RATE as usize / 2;
    (0..(seconds * RATE as f32) as usize)
        .map(|i| {
            let f = notes[(i / note_len) % notes.len()];
            let t = (i % note_len) as f32 / RATE as f32;
            let decay = (-6.0 * t).exp();
            (1..=3)
                .map(|h| (2.0 * std::f32::consts::PI * f * h as f32 * t).sin() / h as f32)
                .sum::<f32>()
                * 0.3
                * decay
        })
        .collect()
}

#[test]
fn hold_music_is_not_taken_for_missed_speech() {
    let (speech, _) = prompts();
    let half = speech.len() / 2;
    let music = hold_music(12.0);
    let music_start = half as f64 / f64::from(RATE);
    let music_end = music_start + 12.0;
    let mut samples = speech[..half].to_vec();
    samples.extend(&music);
    samples.extend(&speech[half..]);
    let path = temp_path("hold-music.wav");
    write_wav(&path, &[&samples], RATE);

    // The music is loud speech-band energy: counted as missed speech, it sends the whole side
    // to Whisper.
    let mut counting_all = AudioSettings::default();
    counting_all.speech.heard_probability = 0.0;
    assert!(
        load_with(&path, &counting_all).facts.speech_finder_unsure(),
        "the tune should be loud enough to look like missed speech"
    );

    let call = load_with(&path, &AudioSettings::default());
    let f = &call.facts;
    assert!(!f.speech_finder_unsure(), "{f:?}");
    let in_music: f64 = f
        .speech
        .iter()
        .map(|r| (r.end.min(music_end) - r.start.max(music_start)).max(0.0))
        .sum();
    assert!(
        in_music < 1.0,
        "{in_music} s of the music taken for speech: {:?}",
        f.speech
    );
    assert!(
        f.speech.iter().any(|r| r.start < music_start - 1.0),
        "{:?}",
        f.speech
    );
    assert!(
        f.speech.iter().any(|r| r.end > music_end + 1.0),
        "{:?}",
        f.speech
    );
}

#[test]
fn the_flag_reaches_run_output_and_the_exports() {
    let (dir, manifest) = common::workspace(1, &[]);
    let db = dir.path().join("flag.db");
    let mut store = Store::open(&db).unwrap();
    let manifest = Manifest::load(&manifest, pipeline::FileScope::ManifestFolder).unwrap();
    let opts = RunOptions {
        campaign: "2026Q4".into(),
        rubric: Rubric::load(&repo().join("rubrics/courtesy-en.toml")).unwrap(),
        scenarios: Scenarios::load_dir(&repo().join("rubrics/scenarios")).unwrap(),
        model_path: model("ggml-tiny.en.bin"),
        model_name: "tiny.en".into(),
        jobs: 1,
        threads_per_job: 1,
        force: false,
        audio: deaf_finder(),
        transcribe: TranscribeSettings::default(),
    };
    let summary = pipeline::run(&mut store, &manifest, &opts, &|_| {}).unwrap();
    assert!(matches!(
        summary.outcomes[0].outcome,
        pipeline::Outcome::Scored {
            speech_finder_unsure: true,
            ..
        }
    ));
    drop(store);
    let run = |args: &[&str]| {
        let out = callgrade()
            .args(args)
            .args(["--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run(&[
        "export",
        "--campaign",
        "2026Q4",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["calls"][0]["speech_finder_unsure"], true, "{json}");
    let csv = run(&["export", "--campaign", "2026Q4", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().ends_with(",flags"), "{csv}");
    assert!(csv.contains(SPEECH_FINDER_UNSURE), "{csv}");
    let file = manifest.rows[0].file.as_str();
    assert!(run(&["report", "call", file]).contains(SPEECH_FINDER_UNSURE));
}

#[test]
fn transcribing_without_the_detector_is_a_set_up_error() {
    let dir = tempfile::tempdir().unwrap();
    let whisper = dir.path().join("ggml-tiny.en.bin");
    if std::fs::hard_link(model("ggml-tiny.en.bin"), &whisper).is_err() {
        std::os::unix::fs::symlink(model("ggml-tiny.en.bin"), &whisper).unwrap();
    }
    let out = callgrade()
        .env("CALLGRADE_MODELS", dir.path())
        .args(["transcribe", "--language", "en", "--model"])
        .arg(&whisper)
        .arg(fixture("asterisk-prompts-en.wav"))
        .output()
        .unwrap();
    let msg = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("ggml-silero-vad.bin") && msg.contains("callgrade model install"),
        "{msg}"
    );
}
