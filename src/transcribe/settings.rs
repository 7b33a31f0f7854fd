//! Every Whisper knob callgrade uses, with its default in one place. The settings are recorded
//! with each run (and hashed by [`TranscribeSettings::fingerprint`]) so a transcript can be
//! reproduced or found again in a cache.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped whenever this module changes how it turns audio into segments (packing, splitting,
/// guards, the token probabilities kept, or the speech regions it is given: 5 = Silero speech
/// detector and collapsed end-of-window segments kept; 6 = speech Whisper skipped heard again),
/// so cached transcripts made by older code are not reused. A change made for speed that gives the same text on the labelled sets
/// (stretches heard again with a fitted encoder) keeps it: old transcripts are as good.
pub const PIPELINE_VERSION: u32 = 6;

/// How Whisper picks tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Sampling {
    /// Take the most likely token; `best_of` candidates are only drawn on temperature fallback.
    Greedy { best_of: u32 },
    /// Beam search: more accurate on poor audio, roughly `beam_size` times the decoder work.
    Beam { beam_size: u32 },
}

/// Whisper and packing settings. `Default` holds the tested defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TranscribeSettings {
    pub sampling: Sampling,
    /// Starting temperature (0 = deterministic).
    pub temperature: f32,
    /// Step added on each fallback when a window decodes badly (0 disables fallback).
    pub temperature_increment: f32,
    /// Fallback trigger: compression/entropy threshold whisper.cpp uses to spot repetition.
    pub entropy_threshold: f32,
    /// Fallback trigger: average log-probability below this.
    pub logprob_threshold: f32,
    /// A window whose no-speech probability is above this (and logprob below the threshold
    /// above) is treated as silence.
    pub no_speech_threshold: f32,
    /// Suppress non-speech tokens (♪, brackets, speaker marks) that hallucinations are made of.
    pub suppress_non_speech: bool,
    /// Suppress a blank first token.
    pub suppress_blank: bool,
    /// Do not condition a window on earlier windows' text; stops one hallucination spreading.
    pub no_context: bool,
    /// Flash attention in whisper.cpp (whole model). It never builds the encoder's 1500 × 1500
    /// attention matrices, so each decoding state touches about 95 MB less (base), but
    /// whisper.cpp 1.8.3's CPU kernel for it works one key at a time: demo-zh took 1.5× the
    /// CPU time with ggml's matrix kernels on. Off by default; `run --low-memory` turns it on
    /// (same verdicts on the labelled sets, docs/performance.md).
    pub flash_attention: bool,
    /// Pack a channel's speech regions into shared 30 s windows (false: one window per region).
    pub pack: bool,
    /// Most audio put into one packed window, seconds (Whisper's window is 30 s).
    pub pack_max_seconds: f64,
    /// Silence inserted between packed regions, seconds.
    pub pack_gap_seconds: f64,
    /// Context kept on each side of a speech region, seconds (regions are tight).
    pub region_pad_seconds: f64,
    /// Prompt given for Mandarin, in Traditional characters: it nudges Whisper towards
    /// Traditional script and punctuation. Keep it neutral: words in it are easily "heard".
    pub zh_prompt: String,
    /// Prompt given for English (empty: none).
    pub en_prompt: String,
    /// Append the call's key terms (its scenario's answer phrases, right and wrong alike, and
    /// the staff member's name) to the prompt, so Whisper spells them as the form does. On by
    /// default: on the public sets it raises English completeness from 9/12 to 11–12/12 with
    /// no false pass. (With a prompt Whisper sometimes collapses the timestamps at the end of a
    /// window to one instant; `Window::uncollapse` keeps the guard from dropping those real
    /// lines.) Left out of the fingerprint while off, so transcripts made without it are found
    /// again when it is turned off.
    #[serde(skip_serializing_if = "is_false")]
    pub prompt_terms: bool,
    /// Where a phrase or a required point was not found and the verdict is in doubt, hear that
    /// stretch again with a prompt of just its terms, fill in the speech the first pass left
    /// untranscribed, and keep it only if the verdict then passes and no other verdict
    /// changes (`pipeline::run`). On by default: on the public sets (base model) it fixed 1 of
    /// the 6 wrong verdicts (a closing Whisper had dropped) out of 6 stretches heard again,
    /// and put no term into a call where the labels say it was not said; text heard again
    /// over words already transcribed was not used, as the prompt made Whisper rewrite an
    /// answer into "Thank you for calling". Left out of the fingerprint while off.
    #[serde(skip_serializing_if = "is_false")]
    pub focused_retry: bool,
    /// Run Whisper's encoder only over as much of its 30 s input as a packed window fills
    /// (whisper.cpp's `audio_ctx`, see [`super::encoder_positions`]) instead of always 1500
    /// positions, in the first pass over a call. The models were trained on full 30 s inputs,
    /// so a shortened encoder may hear worse or invent text: fitted to every window it lost a
    /// verdict on each labelled set (with windows of up to 28 s and of up to 14 s), so it is off. Switch on for measurement with
    /// `callgrade run --fit-encoder` or `examples/eval --fit-encoder`. Stretches heard again
    /// always get a fitted encoder ([`super::Transcriber::transcribe_stretch`]).
    /// Left out of the fingerprint while off.
    #[serde(skip_serializing_if = "is_false")]
    pub fit_encoder: bool,
    /// Convert Mandarin output to Traditional characters (Taiwan character forms, no
    /// vocabulary rewriting).
    pub zh_traditional: bool,
    /// A segment whose mean token probability is below this and whose no-speech probability is
    /// above `no_speech_threshold` is marked invented.
    pub min_token_probability: f32,
    /// Fraction of a segment that must overlap measured speech for it to count as heard.
    pub min_speech_overlap: f64,
}

impl Default for TranscribeSettings {
    fn default() -> Self {
        TranscribeSettings {
            sampling: Sampling::Greedy { best_of: 2 },
            temperature: 0.0,
            temperature_increment: 0.2,
            entropy_threshold: 2.4,
            logprob_threshold: -1.0,
            no_speech_threshold: 0.6,
            suppress_non_speech: true,
            suppress_blank: true,
            no_context: true,
            flash_attention: false,
            pack: true,
            pack_max_seconds: 28.0,
            pack_gap_seconds: 0.4,
            region_pad_seconds: 0.3,
            zh_prompt: "以下是繁體中文的電話錄音。".to_string(),
            en_prompt: String::new(),
            prompt_terms: true,
            focused_retry: true,
            fit_encoder: false,
            zh_traditional: true,
            min_token_probability: 0.35,
            min_speech_overlap: 0.3,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl TranscribeSettings {
    /// A stable hex digest of these settings, this module's pipeline version and the
    /// whisper.cpp version: equal fingerprints (with equal audio and model hashes and
    /// [`super::Request::fingerprint`]) mean the transcript can be reused.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_string(self).expect("settings always serialise");
        let mut hash = Sha256::new();
        hash.update(format!(
            "callgrade-transcribe/{PIPELINE_VERSION}/whisper.cpp-{}\n",
            whisper_rs::WHISPER_CPP_VERSION
        ));
        hash.update(json.as_bytes());
        hex::encode(hash.finalize())
    }

    /// The problems that would make Whisper misbehave, phrased for whoever edits the
    /// settings file. Empty when the settings are usable.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1.0..=29.5).contains(&self.pack_max_seconds) {
            out.push(format!(
                "pack_max_seconds = {} must be between 1 and 29.5 (Whisper hears 30 s at a time)",
                self.pack_max_seconds
            ));
        }
        if !(0.0..=2.0).contains(&self.pack_gap_seconds) {
            out.push(format!(
                "pack_gap_seconds = {} must be between 0 and 2",
                self.pack_gap_seconds
            ));
        }
        if !(0.0..=1.0).contains(&self.region_pad_seconds) {
            out.push(format!(
                "region_pad_seconds = {} must be between 0 and 1",
                self.region_pad_seconds
            ));
        }
        if !(0.0..=1.0).contains(&self.temperature) {
            out.push(format!(
                "temperature = {} must be between 0 and 1",
                self.temperature
            ));
        }
        match self.sampling {
            Sampling::Greedy { best_of: 0 } | Sampling::Beam { beam_size: 0 } => {
                out.push("sampling: best_of / beam_size must be at least 1".to_string())
            }
            _ => {}
        }
        for (name, prompt) in [
            ("zh_prompt", &self.zh_prompt),
            ("en_prompt", &self.en_prompt),
        ] {
            if prompt.contains('\0') {
                out.push(format!("{name} contains a NUL character; remove it"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_follows_every_field() {
        let base = TranscribeSettings::default();
        let a = base.fingerprint();
        assert_eq!(a, TranscribeSettings::default().fingerprint());
        assert_eq!(a.len(), 64);
        let changed = TranscribeSettings {
            pack_gap_seconds: 0.5,
            ..base.clone()
        };
        assert_ne!(a, changed.fingerprint());
        let changed = TranscribeSettings {
            sampling: Sampling::Beam { beam_size: 5 },
            ..base.clone()
        };
        assert_ne!(a, changed.fingerprint());
        // Off, the prompt-terms switch is not written at all: transcripts stored before it
        // existed keep their fingerprint and are reused.
        let unprompted = TranscribeSettings {
            prompt_terms: false,
            ..base
        };
        assert!(
            !serde_json::to_string(&unprompted)
                .unwrap()
                .contains("prompt_terms")
        );
        assert_ne!(a, unprompted.fingerprint());
    }

    #[test]
    fn settings_round_trip_through_toml_with_defaults_filled_in() {
        let s: TranscribeSettings = toml::from_str("pack = false\n").unwrap();
        assert!(!s.pack);
        assert_eq!(s.pack_max_seconds, 28.0);
        assert!(TranscribeSettings::default().problems().is_empty());
        let bad = TranscribeSettings {
            pack_max_seconds: 45.0,
            ..Default::default()
        };
        assert_eq!(bad.problems().len(), 1);
        assert!(toml::from_str::<TranscribeSettings>("pakc = false\n").is_err());
    }
}
