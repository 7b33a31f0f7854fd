//! Speech-band energy against an adaptive noise floor: the check that the speech detector
//! ([`super::vad`]) lost nothing, and the regions a side falls back to when it did.
//!
//! The signal is band-limited to the telephone speech band (300–3400 Hz) so hum and hiss
//! outside it do not count. The floor at each moment is a low percentile of the frame
//! energies around it, so it follows line noise that rises or falls during the call. Activity
//! starts `start_db` above the floor and continues while frames stay `continue_db` above it,
//! plus a short hangover. Ringback tone is loud and steady and would pass any energy test, so
//! tone frames are removed first.

use super::Region;
use super::SAMPLE_RATE;
use super::ringback::tone_runs;
use super::settings::{AudioSettings, EnergySettings};

/// Digital silence has no energy at all; give it a finite level so the arithmetic stays sane.
const SILENCE_DB: f64 = -120.0;
/// Tone edges ramp and the resampler rings for a few ms, so the mask reaches this far past
/// each detected tone run.
const TONE_MARGIN_S: f64 = 0.06;
/// Compute the floor every this many frames and hold it in between (cheap on long calls).
const FLOOR_STEP: usize = 10;
/// The telephone speech band.
const BAND_HZ: (f64, f64) = (300.0, 3400.0);

/// Tone runs shorter than this are a voice's harmonics landing on the ringback pair (measured
/// on real Mandarin and English speech: 0.05–0.15 s), not ringback (bursts last about
/// `on_seconds`, 1 s). Masking them cut syllables out of speech.
const MIN_TONE_S: f64 = 0.2;

/// Stretches of ringback tone to keep out of speech: tone runs long enough to be the tone.
pub(crate) fn ringback_runs(samples16k: &[f32], settings: &AudioSettings) -> Vec<Region> {
    tone_runs(samples16k, &settings.ringback)
        .into_iter()
        .filter(|r| r.end - r.start >= MIN_TONE_S)
        .collect()
}

/// For each of `n` frames of `frame_s` seconds: whether it lies in (or next to) ringback tone.
pub(crate) fn tone_mask(
    samples16k: &[f32],
    settings: &AudioSettings,
    frame_s: f64,
    n: usize,
) -> Vec<bool> {
    let mut masked = vec![false; n];
    for run in ringback_runs(samples16k, settings) {
        let first = ((run.start - TONE_MARGIN_S).max(0.0) / frame_s).floor() as usize;
        let last = (((run.end + TONE_MARGIN_S) / frame_s).ceil() as usize).min(n);
        for m in masked.iter_mut().take(last).skip(first) {
            *m = true;
        }
    }
    masked
}

/// Spans of speech-band energy on one 16 kHz channel, sorted, ringback excluded.
pub fn energy_regions(samples16k: &[f32], settings: &AudioSettings) -> Vec<Region> {
    let vad = &settings.energy;
    let frame_len = ((vad.frame_ms / 1000.0) * f64::from(SAMPLE_RATE))
        .round()
        .max(1.0) as usize;
    let frame_s = frame_len as f64 / f64::from(SAMPLE_RATE);
    let band = speech_band(samples16k);
    let mut levels = frame_levels(&band, frame_len);
    if levels.is_empty() {
        return Vec::new();
    }
    let masked = tone_mask(samples16k, settings, frame_s, levels.len());
    for (level, _) in levels.iter_mut().zip(&masked).filter(|(_, m)| **m) {
        *level = SILENCE_DB;
    }
    let floor = noise_floor(&levels, &masked, frame_s, vad);
    let active = active_frames(&levels, &floor, &masked, vad, frame_s);
    let mut regions = runs_to_regions(&active, frame_s);
    regions = merge_and_filter(regions, vad);
    let duration = samples16k.len() as f64 / f64::from(SAMPLE_RATE);
    regions
        .into_iter()
        .map(|(start, end)| Region {
            start,
            end: end.min(duration),
        })
        .collect()
}

/// `samples` through a second-order high-pass and low-pass at the band edges (RBJ biquads).
fn speech_band(samples: &[f32]) -> Vec<f32> {
    let mut out = samples.to_vec();
    for (f0, high_pass) in [(BAND_HZ.0, true), (BAND_HZ.1, false)] {
        let w0 = 2.0 * std::f64::consts::PI * f0 / f64::from(SAMPLE_RATE);
        let alpha = w0.sin() / (2.0 * std::f64::consts::FRAC_1_SQRT_2);
        let cos = w0.cos();
        let (b0, b1) = if high_pass {
            ((1.0 + cos) / 2.0, -(1.0 + cos))
        } else {
            ((1.0 - cos) / 2.0, 1.0 - cos)
        };
        let a0 = 1.0 + alpha;
        let (b0, b1, b2, a1, a2) = (
            b0 / a0,
            b1 / a0,
            b0 / a0,
            -2.0 * cos / a0,
            (1.0 - alpha) / a0,
        );
        let (mut x1, mut x2, mut y1, mut y2) = (0.0f64, 0.0, 0.0, 0.0);
        for v in &mut out {
            let x = f64::from(*v);
            let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            (x2, x1, y2, y1) = (x1, x, y1, y);
            *v = y as f32;
        }
    }
    out
}

/// Energy of each frame in dB (mean square, DC removed; 0 dB = full-scale square wave).
fn frame_levels(samples: &[f32], frame_len: usize) -> Vec<f64> {
    samples
        .chunks(frame_len)
        .filter(|c| c.len() * 2 >= frame_len)
        .map(|c| {
            let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / c.len() as f64;
            let ms = c
                .iter()
                .map(|&x| (f64::from(x) - mean).powi(2))
                .sum::<f64>()
                / c.len() as f64;
            if ms > 0.0 {
                (10.0 * ms.log10()).max(SILENCE_DB)
            } else {
                SILENCE_DB
            }
        })
        .collect()
}

/// Noise floor per frame: the chosen percentile of unmasked frame levels within the window.
fn noise_floor(levels: &[f64], masked: &[bool], frame_s: f64, vad: &EnergySettings) -> Vec<f64> {
    let half = ((vad.floor_window_s / frame_s).round() as usize).max(1);
    let pct = vad.floor_percentile.clamp(0.0, 100.0) / 100.0;
    let mut floor = vec![SILENCE_DB; levels.len()];
    let mut window: Vec<f64> = Vec::with_capacity(2 * half + 1);
    let mut current = SILENCE_DB;
    for (i, slot) in floor.iter_mut().enumerate() {
        if i % FLOOR_STEP == 0 {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(levels.len());
            window.clear();
            window.extend((lo..hi).filter(|&j| !masked[j]).map(|j| levels[j]));
            if !window.is_empty() {
                let k = ((window.len() - 1) as f64 * pct).round() as usize;
                let (_, v, _) = window.select_nth_unstable_by(k, f64::total_cmp);
                current = *v;
            }
        }
        *slot = current;
    }
    floor
}

/// Hysteresis with hangover: start above floor+start_db, continue above floor+continue_db.
fn active_frames(
    levels: &[f64],
    floor: &[f64],
    masked: &[bool],
    vad: &EnergySettings,
    frame_s: f64,
) -> Vec<bool> {
    let hangover = (vad.hangover_s / frame_s).round() as usize;
    let mut active = vec![false; levels.len()];
    let mut in_speech = false;
    let mut hold = 0usize;
    for i in 0..levels.len() {
        let start_at = (floor[i] + vad.start_db).max(vad.min_level_dbfs);
        let keep_at = (floor[i] + vad.continue_db).max(vad.min_level_dbfs);
        if masked[i] {
            in_speech = false;
        } else if in_speech {
            if levels[i] >= keep_at {
                hold = hangover;
            } else if hold > 0 {
                hold -= 1;
            } else {
                in_speech = false;
            }
        } else if levels[i] >= start_at {
            in_speech = true;
            hold = hangover;
        }
        active[i] = in_speech;
    }
    active
}

fn runs_to_regions(active: &[bool], frame_s: f64) -> Vec<(f64, f64)> {
    let mut regions = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &a) in active.iter().chain(std::iter::once(&false)).enumerate() {
        match (a, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                regions.push((s as f64 * frame_s, i as f64 * frame_s));
                start = None;
            }
            _ => {}
        }
    }
    regions
}

fn merge_and_filter(regions: Vec<(f64, f64)>, vad: &EnergySettings) -> Vec<(f64, f64)> {
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (start, end) in regions {
        match merged.last_mut() {
            Some(last) if start - last.1 < vad.merge_gap_s => last.1 = end,
            _ => merged.push((start, end)),
        }
    }
    merged.retain(|(s, e)| e - s >= vad.min_region_s);
    merged
}
