//! Quantised models made from the installed f16 ones: `model install NAME --type q8_0` makes
//! them without downloading, they load in whisper.cpp, and they hear a bundled demo call as
//! the f16 model does. (Byte-equality with whisper.cpp's own `quantize` tool was checked by
//! hand and is pinned through the catalogue's sha256.)

mod transcribe_support;

use callgrade::audio::StaffChannel;
use callgrade::model::{self, ModelError, ModelSpec, Weights};
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use std::path::Path;
use transcribe_support::{common, heard_text, load, model, wer};

/// The demo call's words as heard by the model at `path` (invented segments left out).
fn heard(path: &Path, audio: &callgrade::audio::CallAudio) -> String {
    let transcriber = Transcriber::new(path, TranscribeSettings::default())
        .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
    heard_text(
        &transcriber
            .transcribe(audio, &Request::new("en", 1))
            .unwrap(),
    )
}

#[test]
fn quantised_tiny_en_hears_a_demo_call_like_f16() {
    let f16 = model("ggml-tiny.en.bin");
    let tmp = tempfile::tempdir().unwrap();
    let audio = load(
        &common::repo().join("recordings/demo/call01-amy-service-hours.wav"),
        StaffChannel::Mono,
    );
    let reference = heard(&f16, &audio);
    assert!(
        reference.split_whitespace().count() > 40,
        "the f16 model heard too little to compare with: {reference}"
    );
    // q8_0 keeps nearly every word; q5_1 loses a little more.
    for (weights, most) in [(Weights::Q8_0, 0.10), (Weights::Q5_1, 0.20)] {
        let out = tmp.path().join(format!("ggml-tiny.en-{weights}.bin"));
        let bytes = model::quantize_ggml(&f16, &out, weights).unwrap();
        assert!(bytes * 10 < std::fs::metadata(&f16).unwrap().len() * 6);
        assert_eq!(model::weight_type(&out), Some(weights.as_str()));
        let hyp = heard(&out, &audio);
        let w = wer(&reference, &hyp);
        println!("{weights}: {:.1}% from f16\n  {hyp}", w * 100.0);
        assert!(
            w <= most,
            "{weights} differs from f16 in {:.1}% of words\nf16: {reference}\n{weights}: {hyp}",
            w * 100.0
        );
    }
}

#[test]
fn install_quantises_the_installed_f16_model_without_downloading() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let src = model("ggml-tiny.en.bin");
    std::fs::copy(&src, dir.join("ggml-tiny.en.bin")).unwrap();
    std::fs::copy(
        common::models().join(model::CHECKSUMS_FILE),
        dir.join(model::CHECKSUMS_FILE),
    )
    .unwrap();
    let spec: ModelSpec = "tiny.en-q5_1".parse().unwrap();
    let missing = model::installed(dir, spec).unwrap_err().to_string();
    assert!(
        missing.contains("model install tiny.en-q5_1") && missing.contains(": tiny.en."),
        "{missing}"
    );
    let mut said = Vec::new();
    let m = model::install(dir, spec, false, &mut |l| said.push(l.to_string())).unwrap();
    assert!(
        said.iter().any(|l| l.contains("quantising")),
        "did not quantise the installed model: {said:?}"
    );
    assert!(!dir.join(".cache").exists(), "it downloaded: {said:?}");
    // The catalogue pins the file whisper.cpp's quantize tool makes from the same f16 model.
    assert_eq!(m.size, 32_166_138);
    assert_eq!(
        m.sha256,
        "8339da22b299bf36b12e5d44933c6da44b8d9ddd97ca9bd0f9d056920a07d517"
    );
    assert_eq!(m.path, dir.join("ggml-tiny.en-q5_1.bin"));
    let listed = model::list(dir).unwrap();
    let q = listed.iter().find(|l| l.name == "tiny.en-q5_1").unwrap();
    assert!(q.verified);
    assert_eq!(model::installed(dir, spec).unwrap(), m.path);
    model::verify(dir, "tiny.en-q5_1").unwrap();

    // A quantised file cannot be quantised again: the loss would add up.
    let again = model::quantize_ggml(&m.path, &dir.join("x.bin"), Weights::Q8_0).unwrap_err();
    assert!(
        matches!(again, ModelError::Unsupported { .. }) && again.to_string().contains("f16"),
        "{again}"
    );
    assert!(!dir.join("x.bin").exists());
}
