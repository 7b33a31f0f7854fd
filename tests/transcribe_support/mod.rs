//! Shared helpers for the transcription tests: model paths, audio loading, WER.

#![allow(dead_code)] // each test binary uses a different subset

use callgrade::audio::{self, AudioSettings, CallAudio, StaffChannel};
use callgrade::transcribe::Transcript;
use std::path::{Path, PathBuf};

/// What Whisper heard in `transcript`, lines it invented left out, joined by spaces.
pub fn heard_text(transcript: &Transcript) -> String {
    transcript
        .segments
        .iter()
        .filter(|s| !s.invented)
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The models folder: `CALLGRADE_MODELS`, else `models/` in the repository.
pub fn models_dir() -> PathBuf {
    std::env::var_os("CALLGRADE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models"))
}

/// The model file, or a panic that says how to get it.
pub fn model(name: &str) -> PathBuf {
    let path = models_dir().join(name);
    assert!(
        path.is_file(),
        "{} is missing: install it with `callgrade model install` or set CALLGRADE_MODELS",
        path.display()
    );
    path
}

/// The bundled demo calls and their scripts.
#[path = "../common/mod.rs"]
pub mod common;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/speech")
        .join(name)
}

/// Loads a recording through the real audio stage.
pub fn load(path: &Path, staff: StaffChannel) -> CallAudio {
    audio::load(
        path,
        staff,
        &AudioSettings::default(),
        common::speech_finder(),
    )
    .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()))
}

/// Word error rate of `hyp` against `reference`: (substitutions + deletions + insertions) /
/// reference words, after lower-casing and dropping punctuation. Digits are spelled out so
/// "1" and "one" agree.
pub fn wer(reference: &str, hyp: &str) -> f64 {
    let r = words(reference);
    let h = words(hyp);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}

fn words(text: &str) -> Vec<String> {
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| match w.parse::<usize>() {
            Ok(d) if d < 10 => DIGITS[d].to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// Characters of `text` that are CJK ideographs.
pub fn han(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}
