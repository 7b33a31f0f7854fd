//! The speaker encoder: the `resemblyzer` wheel `model install` cached converts to the
//! installed `voice-encoder.bin` byte for byte, a damaged file is refused naming it, and the
//! installed encoder gives the d-vectors of the Python reference and tells the two voices
//! of a bundled call apart.

mod audio_support;
mod common;

use callgrade::audio::{self, AudioSettings, Speaker, StaffChannel, VoiceEncoder};
use callgrade::model;
use std::fs;
use std::path::Path;

#[test]
fn the_wheel_converts_to_the_installed_encoder_and_a_cut_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(model::VOICE_ENCODER_FILE);
    model::convert_voice_encoder(&common::cached_wheel("resemblyzer-0.1.4-"), &out).unwrap();
    let installed = common::model(model::VOICE_ENCODER_FILE);
    assert_eq!(
        model::sha256_file(&out).unwrap(),
        model::sha256_file(&installed).unwrap()
    );
    let bytes = fs::read(&out).unwrap();
    fs::write(&out, &bytes[..bytes.len() - 4]).unwrap();
    let e = VoiceEncoder::open(&out).err().unwrap().to_string();
    assert!(
        e.contains("voice-encoder.bin") && e.contains("truncated"),
        "{e}"
    );
}

/// The call's 16 kHz staff and caller sides and their speech regions.
fn call03() -> audio::CallAudio {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("recordings/demo/call03-grace-developmental-assessment.wav");
    audio::load(
        &path,
        StaffChannel::Right,
        &AudioSettings::default(),
        audio_support::speech_finder(),
    )
    .unwrap()
}

/// 1.6 s from the start of each region of one side.
fn starts(call: &audio::CallAudio, who: Speaker) -> Vec<(usize, usize)> {
    call.facts
        .speech
        .iter()
        .filter(|r| r.speaker == who && r.end - r.start >= 1.6)
        .map(|r| ((r.start * 16000.0) as usize, 25_600))
        .collect()
}

#[test]
fn d_vectors_match_the_reference_and_tell_staff_from_caller() {
    let encoder =
        VoiceEncoder::open(&common::model(model::VOICE_ENCODER_FILE)).expect("encoder loads");
    let call = call03();
    let caller = call.caller.as_ref().expect("stereo call");
    let staff_windows = starts(&call, Speaker::Staff);
    let caller_windows = starts(&call, Speaker::Caller);
    assert!(staff_windows.len() >= 2 && !caller_windows.is_empty());
    let staff = encoder.embed(&call.staff, &staff_windows);
    let other = encoder.embed(caller, &caller_windows);
    // The first staff window's d-vector as numpy computes it from the same samples
    // (librosa's mel, torch's LSTM equations, the checkpoint's weights): its largest
    // components, which a wrong gate order, mel scale or bias would move.
    let e = &staff[0];
    let norm: f32 = e.iter().map(|v| v * v).sum();
    assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    for (i, want) in REFERENCE {
        assert!(
            (e[i] - want).abs() < 1e-4,
            "component {i}: {} vs {want}",
            e[i]
        );
    }
    let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let same = cos(&staff[0], &staff[1]);
    let apart = cos(&staff[0], &other[0]).max(cos(&staff[1], &other[0]));
    eprintln!("staff-staff {same:.3}, staff-caller {apart:.3}");
    assert!(same > apart + 0.1, "{same} vs {apart}");
}

/// (component, value) of the reference d-vector, from a numpy port of Resemblyzer's
/// `VoiceEncoder.forward` run on the samples this test embeds.
const REFERENCE: [(usize, f32); 4] = [
    (240, 0.273_392),
    (62, 0.257_272),
    (13, 0.229_006),
    (218, 0.207_619),
];

#[test]
fn running_mono_calls_without_the_encoder_is_a_set_up_error() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["ggml-tiny.en.bin", model::VAD_FILE] {
        let to = dir.path().join(file);
        if fs::hard_link(common::model(file), &to).is_err() {
            std::os::unix::fs::symlink(common::model(file), &to).unwrap();
        }
    }
    let repo = common::repo();
    let out = common::callgrade()
        .env("CALLGRADE_MODELS", dir.path())
        .arg("run")
        .arg(repo.join("recordings/demo/manifest.csv"))
        .args(["--campaign", "2026Q4", "--model", "tiny.en", "--rubric"])
        .arg(repo.join("rubrics/courtesy-en.toml"))
        .arg("--db")
        .arg(dir.path().join("calls.db"))
        .output()
        .unwrap();
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{msg}");
    assert!(
        msg.contains("voice-encoder.bin") && msg.contains("callgrade model install base"),
        "{msg}"
    );
}
