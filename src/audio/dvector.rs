//! What a voice sounds like as one vector: the speaker encoder's d-vector of a stretch of
//! audio (Resemblyzer's GE2E network, trained to put one speaker's stretches close together
//! and different speakers' apart, whatever they say).
//!
//! Front end as the network was trained: the stretch's level set to -30 dBFS, then a
//! 40-band mel power spectrogram (not log) with librosa's `melspectrogram` defaults at
//! 16 kHz (25 ms Hann window, 10 ms hop, centred frames padded with zeros, Slaney mel).
//! Then three LSTM layers and a projection; the d-vector is the projection of the last
//! step's state, ReLU'd and scaled to length 1.
//!
//! Many stretches are run at once, step by step, each step one matrix product for the whole
//! batch, so the cost is in [`matrixmultiply`]'s kernels.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use realfft::{RealFftPlanner, RealToComplex};

use crate::model::{self, EMBEDDING, HIDDEN, MELS, ModelError, VoiceEncoderWeights};

/// Samples per spectrogram step (10 ms) and per window (25 ms).
pub(super) const STEP: usize = 160;
const N_FFT: usize = 400;
const BINS: usize = N_FFT / 2 + 1;
/// Level each stretch is brought to, as Resemblyzer does to whole utterances.
const TARGET_DBFS: f64 = -30.0;

/// Most stretches run at once: a batch's gate inputs take 160 steps × 4 KiB per stretch and
/// layer (20 MiB at 32), and larger batches were no faster.
const BATCH: usize = 32;

/// The encoder, ready to run.
pub struct VoiceEncoder {
    w: VoiceEncoderWeights,
    mel: Vec<f32>,
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
}

impl VoiceEncoder {
    /// The encoder of the models directory (`$CALLGRADE_MODELS` or `models/`), loaded once
    /// per process; the error says how to install it.
    pub fn installed() -> Result<&'static VoiceEncoder, ModelError> {
        static ENCODER: OnceLock<Option<VoiceEncoder>> = OnceLock::new();
        let path = model::voice_encoder_path(&model::models_dir());
        match ENCODER.get_or_init(|| VoiceEncoder::open(&path).ok()) {
            Some(encoder) => Ok(encoder),
            // Opened again for its error (ModelError is not Clone): only when it fails.
            None => Err(VoiceEncoder::open(&path)
                .err()
                .unwrap_or(ModelError::VoiceEncoderNotInstalled { path })),
        }
    }

    pub fn open(path: &Path) -> Result<VoiceEncoder, ModelError> {
        let w = model::load_voice_encoder(path)?;
        let window = (0..N_FFT)
            .map(|i| {
                (0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / N_FFT as f64).cos()) as f32
            })
            .collect();
        Ok(VoiceEncoder {
            w,
            mel: model::mel_filters(MELS),
            window,
            fft: RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT),
        })
    }

    /// The mel power spectrogram of `x` (already at its level): `steps` frames of [`MELS`],
    /// frame t centred on sample `t * STEP`.
    fn mel_frames(&self, x: &[f32], steps: usize) -> Vec<f32> {
        let mut out = vec![0f32; steps * MELS];
        let mut input = vec![0f32; N_FFT];
        let mut spectrum = self.fft.make_output_vec();
        let mut power = [0f32; BINS];
        for t in 0..steps {
            for (i, v) in input.iter_mut().enumerate() {
                let at = (t * STEP + i).checked_sub(N_FFT / 2);
                *v = at.and_then(|a| x.get(a)).copied().unwrap_or(0.0) * self.window[i];
            }
            self.fft
                .process(&mut input, &mut spectrum)
                .expect("buffers sized by the plan");
            for (p, c) in power.iter_mut().zip(&spectrum) {
                *p = c.norm_sqr();
            }
            for (m, o) in out[t * MELS..(t + 1) * MELS].iter_mut().enumerate() {
                *o = self.mel[m * BINS..(m + 1) * BINS]
                    .iter()
                    .zip(&power)
                    .map(|(w, p)| w * p)
                    .sum();
            }
        }
        out
    }

    /// D-vectors of the stretches `(first sample, length in samples)` of `samples16k`
    /// (stretches running past the end are padded with silence), [`BATCH`] at a time. A
    /// shorter stretch starts later in its batch, its state held at zero until then, so they
    /// all end on the last step (one batch, not one per length: each product repacks the
    /// weights).
    pub fn embed(&self, samples16k: &[f32], stretches: &[(usize, usize)]) -> Vec<[f32; EMBEDDING]> {
        if stretches.len() > BATCH {
            return stretches
                .chunks(BATCH)
                .flat_map(|c| self.embed(samples16k, c))
                .collect();
        }
        let b = stretches.len();
        let steps = stretches.iter().map(|s| s.1 / STEP).max().unwrap_or(0);
        if b == 0 || steps == 0 {
            return vec![[0.0; EMBEDDING]; b];
        }
        // Input laid out step-major: row (t, i) is stretch i's frame t.
        let mut x = vec![0f32; steps * b * MELS];
        let mut first = Vec::with_capacity(b);
        for (i, &(s, len)) in stretches.iter().enumerate() {
            let own = len / STEP;
            first.push(steps - own);
            let end = (s + len).min(samples16k.len());
            let piece = &samples16k[s.min(end)..end];
            let rms = (piece.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>()
                / len.max(1) as f64)
                .sqrt();
            let gain = if rms > 1e-9 {
                (10f64.powf(TARGET_DBFS / 20.0) / rms) as f32
            } else {
                1.0
            };
            let scaled: Vec<f32> = piece.iter().map(|v| v * gain).collect();
            let mel = self.mel_frames(&scaled, own);
            for t in 0..own {
                let row = (steps - own + t) * b + i;
                x[row * MELS..(row + 1) * MELS].copy_from_slice(&mel[t * MELS..(t + 1) * MELS]);
            }
        }
        let mut input = MELS;
        let mut last = Vec::new();
        for layer in &self.w.layers {
            (x, last) = lstm(layer, &x, steps, &first, input);
            input = HIDDEN;
        }
        (0..b)
            .map(|i| {
                let h = &last[i * HIDDEN..(i + 1) * HIDDEN];
                let mut e = [0f32; EMBEDDING];
                for (k, o) in e.iter_mut().enumerate() {
                    let row = &self.w.linear[k * HIDDEN..(k + 1) * HIDDEN];
                    let v: f32 =
                        row.iter().zip(h).map(|(w, h)| w * h).sum::<f32>() + self.w.linear_bias[k];
                    *o = v.max(0.0);
                }
                let norm = e.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
                e.iter_mut().for_each(|v| *v /= norm);
                e
            })
            .collect()
    }
}

/// `c = a · bᵀ + c` for row-major `a` (m × k) and `b` (n × k).
fn gemm_bt(m: usize, k: usize, n: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    debug_assert!(a.len() >= m * k && b.len() >= n * k && c.len() >= m * n);
    // SAFETY: the slices hold at least m×k, n×k and m×n elements at the strides given.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            1,
            k as isize,
            1.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// tanh as a rational function (Eigen's float tanh: within a few ulp), with no branch or
/// library call, so the gate loop below vectorises; the libm calls took about half the
/// encoder's time.
fn tanh(x: f32) -> f32 {
    let x = x.clamp(-7.905_311, 7.905_311);
    let x2 = x * x;
    let p = x2 * -2.760_768_5e-16 + 2.000_188e-13;
    let p = p * x2 + -8.604_672e-11;
    let p = p * x2 + 5.122_297_1e-8;
    let p = p * x2 + 1.485_722_4e-5;
    let p = p * x2 + 6.372_619_3e-4;
    let p = (p * x2 + 4.893_524_6e-3) * x;
    let q = x2 * 1.198_258_4e-6 + 1.185_347_1e-4;
    let q = q * x2 + 2.268_434_6e-3;
    let q = q * x2 + 4.893_525e-3;
    p / q
}

fn sigmoid(x: f32) -> f32 {
    0.5 + 0.5 * tanh(0.5 * x)
}

/// One LSTM layer over `steps` steps of a batch of sequences (input step-major, `input`
/// wide), sequence i starting at step `first[i]`: (every step's output, step-major; the
/// last step's output).
fn lstm(
    w: &model::LstmWeights,
    x: &[f32],
    steps: usize,
    first: &[usize],
    input: usize,
) -> (Vec<f32>, Vec<f32>) {
    let b = first.len();
    let gates = 4 * HIDDEN;
    // Input part of every gate for every step at once: one large product.
    let mut pre = vec![0f32; steps * b * gates];
    for row in pre.chunks_exact_mut(gates) {
        row.copy_from_slice(&w.bias);
    }
    gemm_bt(steps * b, input, gates, x, &w.w_ih, &mut pre);
    let mut out = vec![0f32; steps * b * HIDDEN];
    let mut h = vec![0f32; b * HIDDEN];
    let mut c = vec![0f32; b * HIDDEN];
    for t in 0..steps {
        let g = &mut pre[t * b * gates..(t + 1) * b * gates];
        gemm_bt(b, HIDDEN, gates, &h, &w.w_hh, g);
        for i in 0..b {
            let g = &g[i * gates..(i + 1) * gates];
            let (gi, rest) = g.split_at(HIDDEN);
            let (gf, rest) = rest.split_at(HIDDEN);
            let (gc, go) = rest.split_at(HIDDEN);
            let c = &mut c[i * HIDDEN..(i + 1) * HIDDEN];
            let h = &mut h[i * HIDDEN..(i + 1) * HIDDEN];
            if t < first[i] {
                continue;
            }
            for j in 0..HIDDEN {
                let cell = sigmoid(gf[j]) * c[j] + sigmoid(gi[j]) * tanh(gc[j]);
                c[j] = cell;
                h[j] = sigmoid(go[j]) * tanh(cell);
            }
        }
        out[t * b * HIDDEN..(t + 1) * b * HIDDEN].copy_from_slice(&h);
    }
    (out, h)
}
