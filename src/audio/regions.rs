//! Speech detection by frame energy against an adaptive noise floor.
//!
//! The floor at each moment is a low percentile of the frame energies around it, so it
//! follows line noise that rises or falls during the call. Speech starts `start_db` above the
//! floor and continues while frames stay `continue_db` above it, plus a short hangover.
//! Ringback tone is loud and steady and would pass any energy test, so tone frames are
//! removed first.

use super::ringback::tone_runs;
use super::settings::{AudioSettings, VadSettings};
use super::{SAMPLE_RATE, Speaker, SpeechRegion};

/// Digital silence has no energy at all; give it a finite level so the arithmetic stays sane.
const SILENCE_DB: f64 = -120.0;
/// Tone edges ramp and the resampler rings for a few ms, so the mask reaches this far past
/// each detected tone run.
const TONE_MARGIN_S: f64 = 0.06;
/// Compute the floor every this many frames and hold it in between (cheap on long calls).
const FLOOR_STEP: usize = 10;

/// Speech regions of one 16 kHz channel, sorted by start, ringback excluded.
pub fn speech_regions(
    samples16k: &[f32],
    speaker: Speaker,
    settings: &AudioSettings,
) -> Vec<SpeechRegion> {
    let vad = &settings.vad;
    let frame_len = ((vad.frame_ms / 1000.0) * f64::from(SAMPLE_RATE))
        .round()
        .max(1.0) as usize;
    let frame_s = frame_len as f64 / f64::from(SAMPLE_RATE);
    let mut levels = frame_levels(samples16k, frame_len);
    if levels.is_empty() {
        return Vec::new();
    }
    let mut masked = vec![false; levels.len()];
    for run in tone_runs(samples16k, &settings.ringback) {
        let first = ((run.start - TONE_MARGIN_S).max(0.0) / frame_s).floor() as usize;
        let last = (((run.end + TONE_MARGIN_S) / frame_s).ceil() as usize).min(levels.len());
        for i in first..last {
            masked[i] = true;
            levels[i] = SILENCE_DB;
        }
    }
    let floor = noise_floor(&levels, &masked, frame_s, vad);
    let active = active_frames(&levels, &floor, &masked, vad, frame_s);
    let mut regions = runs_to_regions(&active, frame_s);
    regions = merge_and_filter(regions, vad);
    regions
        .into_iter()
        .map(|(start, end)| SpeechRegion {
            start,
            end: end.min(samples16k.len() as f64 / f64::from(SAMPLE_RATE)),
            speaker,
        })
        .collect()
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
fn noise_floor(levels: &[f64], masked: &[bool], frame_s: f64, vad: &VadSettings) -> Vec<f64> {
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
    vad: &VadSettings,
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

fn merge_and_filter(regions: Vec<(f64, f64)>, vad: &VadSettings) -> Vec<(f64, f64)> {
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
