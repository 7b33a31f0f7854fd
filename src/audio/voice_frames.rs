//! What a voice sounds like, 50 times a second: the features [`super::voices`] groups.
//!
//! Each 20 ms step of a speech region gets a pitch (autocorrelation over 40 ms, when the
//! frame is voiced) and a mel cepstrum of the telephone band (the shape of the spectrum,
//! without its loudness). Both are measured at 8 kHz: telephone speech has nothing above
//! 4 kHz, and half the rate halves the work.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::{SAMPLE_RATE, SpeechRegion};

/// The rate features are measured at.
pub(super) const RATE: usize = SAMPLE_RATE as usize / 2;
/// One step: 20 ms.
pub(super) const HOP: usize = RATE / 50;
pub(super) const HOP_S: f64 = HOP as f64 / RATE as f64;
/// Pitch frames are 40 ms (two periods of a 50 Hz voice).
const PITCH_FRAME: usize = RATE / 25;
/// Spectrum frames are 32 ms, a power of two for the FFT.
const FFT: usize = 256;
/// Pitch search range: 60-400 Hz covers adult voices.
const MIN_LAG: usize = RATE / 400;
const MAX_LAG: usize = RATE / 60;
/// A frame is voiced when its normalised autocorrelation peak is at least this.
const VOICED: f64 = 0.7;
/// Frames more than this far below their region's loudest frame are pauses inside it.
const GATE_DB: f64 = 30.0;
/// Mel bands over the telephone band (300-3400 Hz, a little margin either side): what a
/// phone line passes is all either party's voice ever has.
const BANDS: usize = 20;
const BAND_HZ: (f64, f64) = (250.0, 3600.0);
/// Mel cepstral coefficients kept (c1..=CEPS; c0 is loudness, which says more about the
/// line and the distance to the microphone than about the voice).
pub(super) const CEPS: usize = 12;

/// One 20 ms step of a speech region; `None` where the frame is a pause (or unvoiced, for
/// the pitch).
#[derive(Debug, Clone)]
pub(super) struct Frame {
    /// Index of the region it lies in.
    pub region: usize,
    /// Start, in seconds from the start of the call.
    pub time: f64,
    /// Pitch in semitones above 100 Hz.
    pub pitch: Option<f64>,
    pub ceps: Option<[f64; CEPS]>,
}

/// 16 kHz → 8 kHz with a short [1 3 3 1]/8 low-pass.
pub(super) fn decimate(x: &[f32]) -> Vec<f64> {
    let at = |i: usize| f64::from(x.get(i).copied().unwrap_or(0.0));
    (0..x.len() / 2)
        .map(|k| {
            let i = 2 * k;
            let before = if i > 0 { at(i - 1) } else { 0.0 };
            (before + 3.0 * at(i) + 3.0 * at(i + 1) + at(i + 2)) / 8.0
        })
        .collect()
}

/// Every step of every region of the 8 kHz signal `x`, in time order.
pub(super) fn frames(x: &[f64], regions: &[SpeechRegion]) -> Vec<Frame> {
    let cepstrum = MelCepstrum::new();
    let mut out = Vec::new();
    for (k, r) in regions.iter().enumerate() {
        let a = ((r.start.max(0.0) * RATE as f64) as usize).min(x.len());
        let b = ((r.end.max(0.0) * RATE as f64) as usize).min(x.len());
        let starts: Vec<usize> = (a..b)
            .step_by(HOP)
            .take_while(|&s| s + PITCH_FRAME <= b)
            .collect();
        let energy: Vec<f64> = starts
            .iter()
            .map(|&s| {
                let f = &x[s..s + PITCH_FRAME];
                10.0 * (f.iter().map(|v| v * v).sum::<f64>() / PITCH_FRAME as f64 + 1e-12).log10()
            })
            .collect();
        let loudest = energy.iter().copied().fold(f64::MIN, f64::max);
        for (&s, &e) in starts.iter().zip(&energy) {
            let heard = e >= loudest - GATE_DB;
            out.push(Frame {
                region: k,
                time: s as f64 / RATE as f64,
                pitch: heard
                    .then(|| pitch_hz(&x[s..s + PITCH_FRAME]))
                    .flatten()
                    .map(|p| 12.0 * (p / 100.0).log2()),
                ceps: heard.then(|| cepstrum.measure(&x[s..s + FFT])).flatten(),
            });
        }
    }
    out
}

/// Pitch of one frame by normalised autocorrelation, or `None` when it is not voiced. The
/// best peak wins, or its half when that is nearly as strong, so a period is not taken for
/// its double.
fn pitch_hz(f: &[f64]) -> Option<f64> {
    let mean = f.iter().sum::<f64>() / f.len() as f64;
    let f: Vec<f64> = f.iter().map(|v| v - mean).collect();
    let n = f.len();
    let corr = |lag: usize| -> f64 {
        let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
        for i in 0..n - lag {
            xy += f[i] * f[i + lag];
            xx += f[i] * f[i];
            yy += f[i + lag] * f[i + lag];
        }
        if xx <= 0.0 || yy <= 0.0 {
            0.0
        } else {
            xy / (xx * yy).sqrt()
        }
    };
    let r: Vec<f64> = (MIN_LAG - 1..=MAX_LAG + 1).map(corr).collect();
    let peaks: Vec<(usize, f64)> = (1..r.len() - 1)
        .filter(|&i| r[i] >= r[i - 1] && r[i] >= r[i + 1])
        .map(|i| (i + MIN_LAG - 1, r[i]))
        .collect();
    let &(mut lag, best) = peaks.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best < VOICED {
        return None;
    }
    // A peak at half the lag nearly as strong is the true period (the best was its double).
    while let Some(&(half, _)) = peaks
        .iter()
        .find(|p| p.1 >= 0.9 * best && p.0.abs_diff(lag / 2) <= 1 + lag / 40)
    {
        lag = half;
    }
    Some(RATE as f64 / lag as f64)
}

/// Mel cepstrum of one frame: Hann window, power spectrum, triangular mel bands over
/// [`BAND_HZ`], log, DCT.
struct MelCepstrum {
    fft: Arc<dyn RealToComplex<f64>>,
    window: Vec<f64>,
    /// Per band: (first bin, weights from that bin on).
    bands: Vec<(usize, Vec<f64>)>,
}

impl MelCepstrum {
    fn new() -> MelCepstrum {
        let mel = |hz: f64| 2595.0 * (1.0 + hz / 700.0).log10();
        let hz = |m: f64| 700.0 * (10f64.powf(m / 2595.0) - 1.0);
        let (lo, hi) = (mel(BAND_HZ.0), mel(BAND_HZ.1));
        let edges: Vec<f64> = (0..BANDS + 2)
            .map(|i| hz(lo + (hi - lo) * i as f64 / (BANDS + 1) as f64) * FFT as f64 / RATE as f64)
            .collect();
        let bands = edges
            .windows(3)
            .map(|e| {
                let first = e[0].ceil() as usize;
                let last = e[2].floor() as usize;
                let weights = (first..=last)
                    .map(|bin| {
                        let b = bin as f64;
                        if b <= e[1] {
                            (b - e[0]) / (e[1] - e[0])
                        } else {
                            (e[2] - b) / (e[2] - e[1])
                        }
                    })
                    .collect();
                (first, weights)
            })
            .collect();
        let window = (0..FFT)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / FFT as f64).cos())
            .collect();
        MelCepstrum {
            fft: RealFftPlanner::<f64>::new().plan_fft_forward(FFT),
            window,
            bands,
        }
    }

    fn measure(&self, f: &[f64]) -> Option<[f64; CEPS]> {
        let mut input: Vec<f64> = f.iter().zip(&self.window).map(|(x, w)| x * w).collect();
        let mut spectrum = self.fft.make_output_vec();
        self.fft.process(&mut input, &mut spectrum).ok()?;
        let power: Vec<f64> = spectrum.iter().map(|c| c.norm_sqr()).collect();
        let logs: Vec<f64> = self
            .bands
            .iter()
            .map(|(first, w)| {
                let e: f64 = w.iter().zip(&power[*first..]).map(|(w, p)| w * p).sum();
                (e + 1e-10).ln()
            })
            .collect();
        if logs.iter().all(|&l| l <= (1e-9f64).ln()) {
            return None;
        }
        let mut out = [0.0; CEPS];
        for (m, o) in out.iter_mut().enumerate() {
            let q = (m + 1) as f64;
            *o = logs
                .iter()
                .enumerate()
                .map(|(j, l)| {
                    l * (std::f64::consts::PI * q * (j as f64 + 0.5) / BANDS as f64).cos()
                })
                .sum();
        }
        Some(out)
    }
}
