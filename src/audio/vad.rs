//! Speech regions from a trained detector (Silero VAD, run by whisper.cpp), checked against
//! speech-band energy so that speech is never lost silently.
//!
//! The detector gives one speech probability per 32 ms frame. Regions are built with
//! hysteresis (start at `start_probability`, continue while above `continue_probability`,
//! end after `min_silence_s` below it), short blips dropped, and padded. Ringback frames are
//! never speech. Then the coverage check: if the side's speech-band energy lies clearly
//! outside the regions (more than `max_uncovered_s` and more than `1 − min_energy_coverage`
//! of it), the detector is not trusted for that side: its whole length minus ringback is
//! transcribed, and the call says so. Only energy the detector heard as at least faintly
//! speech-like (`heard_probability`) counts: hold music and tones are loud in the speech band
//! but score near zero, and counting them sent whole calls to Whisper, which then wrote text
//! over the music (a real Mandarin call with 15 s of hold music: 37 characters invented).

use super::intervals::{overlap, seconds, union};
use super::regions::{energy_regions, ringback_runs, tone_mask};
use super::settings::{AudioSettings, SpeechSettings};
use super::{Region, SAMPLE_RATE, Speaker, SpeechRegion};
use crate::model::{self, ModelError};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use whisper_rs::{WhisperVadContext, WhisperVadContextParams};

/// Samples per detector frame (whisper.cpp's Silero window at 16 kHz: 32 ms).
const FRAME: usize = 512;
const FRAME_S: f64 = FRAME as f64 / SAMPLE_RATE as f64;
/// Pieces of a side shorter than this between ringback bursts are not worth transcribing.
const MIN_PIECE_S: f64 = 0.1;
/// The tone mask reaches this far past each tone run (as the energy measure's does).
const TONE_MARGIN_S: f64 = 0.06;

/// The loaded speech detector. Load it once per run and share it: calls take turns (it keeps
/// one state, and a side takes well under a second).
pub struct SpeechFinder {
    ctx: Mutex<WhisperVadContext>,
    path: PathBuf,
}

impl std::fmt::Debug for SpeechFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeechFinder")
            .field("path", &self.path)
            .finish()
    }
}

impl SpeechFinder {
    /// Loads the detector file at `path` after checking it (whisper.cpp reads a damaged file
    /// past its end). Nothing is downloaded: a missing file says how to install it.
    pub fn open(path: &Path) -> Result<SpeechFinder, ModelError> {
        if !path.is_file() {
            return Err(ModelError::VadNotInstalled {
                path: path.to_path_buf(),
            });
        }
        let repair = |why: String| {
            ModelError::bad(
                path,
                format!("{why}; run `callgrade model install base --force` to replace it"),
            )
        };
        model::inspect_vad(path).map_err(|e| repair(e.to_string()))?;
        whisper_rs::install_logging_hooks();
        let mut params = WhisperVadContextParams::new();
        params.set_n_threads(1);
        params.set_use_gpu(false);
        let name = path
            .to_str()
            .ok_or_else(|| repair("its path is not valid UTF-8".to_string()))?;
        let ctx = WhisperVadContext::new(name, params)
            .map_err(|e| repair(format!("whisper.cpp could not load it ({e})")))?;
        Ok(SpeechFinder {
            ctx: Mutex::new(ctx),
            path: path.to_path_buf(),
        })
    }

    /// The detector in the models directory (`$CALLGRADE_MODELS` or `models/`).
    pub fn installed() -> Result<SpeechFinder, ModelError> {
        SpeechFinder::open(&model::vad_path(&model::models_dir()))
    }

    /// The detector for a Whisper model: the one beside it, else the models directory's.
    pub fn beside(whisper_model: &Path) -> Result<SpeechFinder, ModelError> {
        let near = whisper_model.parent().map(model::vad_path);
        match near.filter(|p| p.is_file()) {
            Some(p) => SpeechFinder::open(&p),
            None => SpeechFinder::installed(),
        }
    }

    /// The file the detector was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Speech probability of each 32 ms frame of `samples16k`; `None` if whisper.cpp failed
    /// (then nothing is trusted and the side is transcribed whole).
    fn probabilities(&self, samples16k: &[f32]) -> Option<Vec<f32>> {
        let mut ctx = self.ctx.lock().unwrap_or_else(|e| e.into_inner());
        ctx.detect_speech(samples16k).ok()?;
        Some(ctx.probabilities().to_vec())
    }
}

/// Speech regions of one 16 kHz channel according to the detector alone, sorted, ringback
/// excluded. Empty when the detector failed.
pub fn speech_regions(
    samples16k: &[f32],
    speaker: Speaker,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Vec<SpeechRegion> {
    detector_regions(samples16k, settings, finder)
        .unwrap_or_default()
        .into_iter()
        .map(|r| tag(r, speaker))
        .collect()
}

fn tag(r: Region, speaker: Speaker) -> SpeechRegion {
    SpeechRegion {
        start: r.start,
        end: r.end,
        speaker,
    }
}

fn duration(samples16k: &[f32]) -> f64 {
    samples16k.len() as f64 / f64::from(SAMPLE_RATE)
}

fn detector_regions(
    samples16k: &[f32],
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Option<Vec<Region>> {
    detect(samples16k, settings, finder).map(|(_, regions)| regions)
}

/// The detector's frame probabilities and the regions built from them.
fn detect(
    samples16k: &[f32],
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> Option<(Vec<f32>, Vec<Region>)> {
    let probs = finder.probabilities(samples16k)?;
    let masked = tone_mask(samples16k, settings, FRAME_S, probs.len());
    let regions = hysteresis(
        &probs,
        &masked,
        FRAME_S,
        &settings.speech,
        duration(samples16k),
    );
    Some((probs, regions))
}

/// The parts of `energy` where the detector's probability is at least `floor`: energy that
/// may be speech the detector under-heard, as opposed to sound it recognised as not speech.
fn heard(energy: &[Region], probs: &[f32], floor: f32) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    for e in energy {
        let first = (e.start / FRAME_S).floor() as usize;
        let last = ((e.end / FRAME_S).ceil() as usize).min(probs.len());
        for (i, _) in probs
            .iter()
            .enumerate()
            .take(last)
            .skip(first)
            .filter(|(_, p)| **p >= floor)
        {
            let r = Region {
                start: (i as f64 * FRAME_S).max(e.start),
                end: ((i + 1) as f64 * FRAME_S).min(e.end),
            };
            match out.last_mut() {
                Some(prev) if r.start <= prev.end + 1e-9 => prev.end = r.end,
                _ => out.push(r),
            }
        }
    }
    out
}

/// Frame probabilities to padded regions (see the module comment). Tone frames end speech
/// and padding never reaches into them.
fn hysteresis(
    probs: &[f32],
    masked: &[bool],
    frame_s: f64,
    s: &SpeechSettings,
    duration: f64,
) -> Vec<Region> {
    let min_silence = ((s.min_silence_s / frame_s).round() as usize).max(1);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (first frame, last frame above continue)
    for (i, &p) in probs.iter().enumerate() {
        let tone = masked.get(i).copied().unwrap_or(false);
        open = match open {
            Some((first, last)) if tone || i - last > min_silence => {
                runs.push((first, last + 1));
                None
            }
            Some((first, last)) => {
                Some((first, if p >= s.continue_probability { i } else { last }))
            }
            None => None,
        };
        if open.is_none() && !tone && p >= s.start_probability {
            open = Some((i, i));
        }
    }
    if let Some((first, last)) = open {
        runs.push((first, last + 1));
    }
    let pad = (s.pad_s / frame_s).round() as usize;
    let mut regions: Vec<Region> = Vec::new();
    for (first, end) in runs {
        if (end - first) as f64 * frame_s < s.min_speech_s {
            continue;
        }
        let mut a = first;
        while a > 0 && first - a < pad && !masked.get(a - 1).copied().unwrap_or(false) {
            a -= 1;
        }
        let mut b = end;
        while b < probs.len() && b - end < pad && !masked.get(b).copied().unwrap_or(false) {
            b += 1;
        }
        let r = Region {
            start: a as f64 * frame_s,
            end: (b as f64 * frame_s).min(duration),
        };
        match regions.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => regions.push(r),
        }
    }
    regions
}

/// What the audio stage found on one side.
#[derive(Debug, Clone, Default)]
pub(crate) struct SideSpeech {
    /// Speech regions for scoring: the detector's, joined by the energy spans when the
    /// detector is not trusted on this side.
    pub speech: Vec<SpeechRegion>,
    /// When the detector is not trusted: the side's whole length minus ringback, to be
    /// transcribed instead of `speech`. Empty otherwise.
    pub whole_side: Vec<SpeechRegion>,
}

/// `[0, duration]` minus the ringback on this side.
fn whole_minus_tone(samples16k: &[f32], settings: &AudioSettings) -> Vec<Region> {
    let duration = duration(samples16k);
    let mut out = Vec::new();
    let mut at = 0.0;
    for run in ringback_runs(samples16k, settings) {
        let stop = (run.start - TONE_MARGIN_S).max(0.0);
        if stop - at >= MIN_PIECE_S {
            out.push(Region {
                start: at,
                end: stop,
            });
        }
        at = at.max(run.end + TONE_MARGIN_S);
    }
    if duration - at >= MIN_PIECE_S {
        out.push(Region {
            start: at,
            end: duration,
        });
    }
    out
}

/// True when the detector's regions leave clearly more of the speech-band energy uncovered
/// than the settings tolerate.
pub(crate) fn misses_energy(detected: &[Region], energy: &[Region], s: &SpeechSettings) -> bool {
    let energetic = seconds(energy);
    let covered = overlap(energy, detected);
    energetic - covered > s.max_uncovered_s && covered < s.min_energy_coverage * energetic
}

/// Speech on one side: the detector's regions, or, when they miss speech-band energy (or the
/// detector failed), the fallback described in the module comment.
pub(crate) fn find_speech(
    samples16k: &[f32],
    speaker: Speaker,
    settings: &AudioSettings,
    finder: &SpeechFinder,
) -> SideSpeech {
    let energy = energy_regions(samples16k, settings);
    let (detected, energy) = match detect(samples16k, settings, finder) {
        Some((probs, regions)) => {
            let heard = heard(&energy, &probs, settings.speech.heard_probability);
            (Some(regions), heard)
        }
        None => (None, energy),
    };
    let trusted = detected
        .as_deref()
        .filter(|d| !misses_energy(d, &energy, &settings.speech));
    match trusted {
        Some(d) => SideSpeech {
            speech: d.iter().map(|&r| tag(r, speaker)).collect(),
            whole_side: Vec::new(),
        },
        None => SideSpeech {
            speech: union(detected.as_deref().unwrap_or_default(), &energy)
                .into_iter()
                .map(|r| tag(r, speaker))
                .collect(),
            whole_side: whole_minus_tone(samples16k, settings)
                .into_iter()
                .map(|r| tag(r, speaker))
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: f64, end: f64) -> Region {
        Region { start, end }
    }

    #[test]
    fn hysteresis_bridges_short_dips_and_drops_blips() {
        let s = SpeechSettings {
            pad_s: 0.0,
            ..SpeechSettings::default()
        };
        let frame = 0.032;
        // Speech 10 frames, a 3-frame dip (96 ms, under min_silence), speech again, then a
        // 2-frame blip (64 ms, under min_speech) after a long pause.
        let mut p = vec![0.9f32; 10];
        p.extend([0.1; 3]);
        p.extend([0.4; 5]);
        p.extend([0.0; 20]);
        p.extend([0.9; 2]);
        p.extend([0.0; 20]);
        let masked = vec![false; p.len()];
        let regions = hysteresis(&p, &masked, frame, &s, 10.0);
        assert_eq!(regions.len(), 1, "{regions:?}");
        assert!((regions[0].end - 18.0 * frame).abs() < 1e-9, "{regions:?}");
    }

    #[test]
    fn tone_frames_are_never_speech_nor_padding() {
        let s = SpeechSettings::default();
        let p = vec![0.9f32; 40];
        let mut masked = vec![false; 40];
        for m in &mut masked[10..20] {
            *m = true;
        }
        let regions = hysteresis(&p, &masked, 0.032, &s, 10.0);
        assert_eq!(regions.len(), 2, "{regions:?}");
        assert!(regions[0].end <= 10.0 * 0.032 + 1e-9 && regions[1].start >= 20.0 * 0.032 - 1e-9);
    }

    #[test]
    fn only_energy_the_detector_half_heard_can_be_missed_speech() {
        // 2 s of energy: the first second scored as faint speech, the second as music (~0).
        let mut probs = vec![0.3f32; 32];
        probs.extend([0.01; 32]);
        let energy = [r(0.0, 2.048)];
        let h = heard(&energy, &probs, 0.1);
        assert_eq!(h.len(), 1, "{h:?}");
        assert!((h[0].end - 1.024).abs() < 1e-9, "{h:?}");
        let s = SpeechSettings::default();
        // Music alone next to covered speech: nothing heard is missed.
        let music = heard(&[r(9.6, 24.7)], &vec![0.003f32; 800], s.heard_probability);
        assert!(music.is_empty());
    }

    #[test]
    fn coverage_rule_needs_both_a_share_and_a_second() {
        let s = SpeechSettings::default();
        let energy = [r(0.0, 10.0)];
        assert!(!misses_energy(&[r(0.0, 8.0)], &energy, &s), "80% covered");
        assert!(
            misses_energy(&[r(0.0, 5.0)], &energy, &s),
            "half of 10 s missed"
        );
        // A short clip: 0.9 s of 1.5 s missed is under the one-second tolerance.
        assert!(!misses_energy(&[r(0.0, 0.6)], &[r(0.0, 1.5)], &s));
        assert!(
            misses_energy(&[], &[r(0.0, 1.8)], &s),
            "a 1.8 s utterance wholly missed"
        );
    }
}
