//! Ringback detection: the tone the caller hears while the staff's phone rings.
//!
//! Each 50 ms frame is windowed and measured with one Goertzel filter per tone frequency.
//! A frame is ringback when the tones hold most of its energy (speech and noise spread
//! theirs) and every tone of the pair is present. Runs of such frames that last about one
//! "on" period are bursts; each burst is one ring.

use std::f64::consts::PI;

use super::settings::{AudioSettings, RingbackSettings};
use super::{Region, SAMPLE_RATE};

/// Analysis frame: 50 ms gives 20 Hz resolution, enough to separate 440 from 480 Hz.
const FRAME: usize = (SAMPLE_RATE / 20) as usize;
/// Hop between frames (25 ms): burst edges are placed to within this.
const HOP: usize = FRAME / 2;
/// Tone runs closer than this are one burst (a click or a codec glitch splits a run).
const JOIN_GAP_S: f64 = 0.1;

/// Ringback bursts in a 16 kHz channel, in time order. A burst counts when its length is
/// between `min_burst_fraction` and `max_burst_factor` times `on_seconds`.
pub fn ringback_bursts(samples16k: &[f32], settings: &AudioSettings) -> Vec<Region> {
    let rb = &settings.ringback;
    let min_len = rb.on_seconds * rb.min_burst_fraction;
    let max_len = rb.on_seconds * rb.max_burst_factor;
    tone_runs(samples16k, rb)
        .into_iter()
        .filter(|r| {
            let len = r.end - r.start;
            len >= min_len && len <= max_len
        })
        .collect()
}

/// Every stretch where the ringback tone dominates, whatever its length. Speech detection
/// uses these to keep tone out of speech.
pub(crate) fn tone_runs(samples16k: &[f32], rb: &RingbackSettings) -> Vec<Region> {
    if rb.freqs_hz.is_empty() || samples16k.len() < FRAME {
        return Vec::new();
    }
    let detector = ToneDetector::new(rb);
    let hop_s = HOP as f64 / f64::from(SAMPLE_RATE);
    let frame_s = FRAME as f64 / f64::from(SAMPLE_RATE);
    let mut runs: Vec<Region> = Vec::new();
    let mut frame = vec![0.0f64; FRAME];
    let n_frames = (samples16k.len() - FRAME) / HOP + 1;
    for i in 0..n_frames {
        let start = i * HOP;
        for (dst, &s) in frame.iter_mut().zip(&samples16k[start..start + FRAME]) {
            *dst = f64::from(s);
        }
        if !detector.is_tone(&mut frame) {
            continue;
        }
        // Credit each tone frame with its central hop so adjacent frames tile the time line.
        let centre = start as f64 / f64::from(SAMPLE_RATE) + frame_s / 2.0;
        let region = Region {
            start: (centre - hop_s / 2.0).max(0.0),
            end: centre + hop_s / 2.0,
        };
        match runs.last_mut() {
            Some(last) if region.start - last.end < JOIN_GAP_S => last.end = region.end,
            _ => runs.push(region),
        }
    }
    // Half a frame at each end is tone too (the first/last frames are only half inside).
    for r in &mut runs {
        r.start = (r.start - (frame_s - hop_s) / 2.0).max(0.0);
        r.end += (frame_s - hop_s) / 2.0;
    }
    runs
}

/// Goertzel filters for the tone frequencies over a Hann-windowed frame.
struct ToneDetector {
    window: Vec<f64>,
    /// 2·cos(ω) per tone frequency.
    coeffs: Vec<f64>,
    /// Turns a Goertzel power into the windowed energy of a sinusoid: 2·Σw² / (Σw)².
    power_to_energy: f64,
    min_ratio: f64,
    min_each: f64,
    min_mean_square: f64,
}

impl ToneDetector {
    fn new(rb: &RingbackSettings) -> Self {
        let window: Vec<f64> = (0..FRAME)
            .map(|n| 0.5 - 0.5 * (2.0 * PI * n as f64 / FRAME as f64).cos())
            .collect();
        let s1: f64 = window.iter().sum();
        let s2: f64 = window.iter().map(|w| w * w).sum();
        let coeffs = rb
            .freqs_hz
            .iter()
            .map(|f| 2.0 * (2.0 * PI * f / f64::from(SAMPLE_RATE)).cos())
            .collect();
        let n = rb.freqs_hz.len() as f64;
        Self {
            window,
            coeffs,
            power_to_energy: 2.0 * s2 / (s1 * s1),
            min_ratio: rb.min_tone_ratio,
            // Each tone of a pair must carry a fair share, so one strong partial of a voice
            // (a sung 440 Hz) is not mistaken for the pair.
            min_each: rb.min_tone_ratio / (2.0 * n),
            min_mean_square: 10f64.powf(rb.min_level_dbfs / 10.0),
        }
    }

    fn is_tone(&self, frame: &mut [f64]) -> bool {
        let mean = frame.iter().sum::<f64>() / frame.len() as f64;
        let raw_ms = frame.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / frame.len() as f64;
        if raw_ms < self.min_mean_square {
            return false;
        }
        for (x, w) in frame.iter_mut().zip(&self.window) {
            *x = (*x - mean) * w;
        }
        let total: f64 = frame.iter().map(|x| x * x).sum();
        if total <= 0.0 {
            return false;
        }
        let mut sum = 0.0;
        for &coeff in &self.coeffs {
            let share = goertzel_power(frame, coeff) * self.power_to_energy / total;
            if share < self.min_each {
                return false;
            }
            sum += share;
        }
        sum >= self.min_ratio
    }
}

/// |X(ω)|² of `frame` at the frequency whose 2·cos(ω) is `coeff`.
fn goertzel_power(frame: &[f64], coeff: f64) -> f64 {
    let (mut s1, mut s2) = (0.0, 0.0);
    for &x in frame {
        let s = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}
