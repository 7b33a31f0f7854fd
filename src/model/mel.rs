//! Mel filterbank that whisper.cpp reads from the model file.
//!
//! Whisper was trained with librosa's `filters.mel(sr=16000, n_fft=400, n_mels=N)` (Slaney
//! mel scale, Slaney area normalisation). This recomputes it so no openai-whisper assets are
//! needed at run time; the arithmetic follows librosa step by step (f64 ramps stored into an
//! f32 array, then scaled in f64 and stored as f32 again) so the values match its output.

/// Sample rate Whisper works at.
pub const SAMPLE_RATE: f64 = 16000.0;
/// FFT size of Whisper's 25 ms window.
pub const N_FFT: usize = 400;
/// Frequency bins of a real FFT of `N_FFT` points.
pub const N_FREQS: usize = N_FFT / 2 + 1;

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn logstep() -> f64 {
    6.4f64.ln() / 27.0
}

/// Slaney mel scale: linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / logstep()
    } else {
        hz / F_SP
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (logstep() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// numpy.linspace with endpoint: `i * step + start`, last value exactly `stop`.
fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    let step = (stop - start) / (num - 1) as f64;
    let mut v: Vec<f64> = (0..num).map(|i| i as f64 * step + start).collect();
    v[num - 1] = stop;
    v
}

/// Row-major `n_mels` × [`N_FREQS`] triangular filters (80 for most Whisper models, 128 for
/// large-v3).
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let fmax = SAMPLE_RATE / 2.0;
    // numpy.fft.rfftfreq(n, d=1/sr): i * (1 / (n * d)).
    let val = 1.0 / (N_FFT as f64 * (1.0 / SAMPLE_RATE));
    let fftfreqs: Vec<f64> = (0..N_FREQS).map(|i| i as f64 * val).collect();
    let mel_f: Vec<f64> = linspace(hz_to_mel(0.0), hz_to_mel(fmax), n_mels + 2)
        .into_iter()
        .map(mel_to_hz)
        .collect();
    let mut weights = vec![0f32; n_mels * N_FREQS];
    for i in 0..n_mels {
        let (fd_lo, fd_hi) = (mel_f[i + 1] - mel_f[i], mel_f[i + 2] - mel_f[i + 1]);
        let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for (j, &f) in fftfreqs.iter().enumerate() {
            let lower = -(mel_f[i] - f) / fd_lo;
            let upper = (mel_f[i + 2] - f) / fd_hi;
            // numpy.maximum(0, x) returns x when they compare equal, so the first bin
            // keeps librosa's -0.0; written this way the bytes match the reference.
            let m = lower.min(upper);
            let w = if 0.0 > m { 0.0 } else { m } as f32;
            weights[i * N_FREQS + j] = (f64::from(w) * enorm) as f32;
        }
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_triangles_with_slaney_area() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * N_FREQS);
        assert!(f.iter().all(|&v| v >= 0.0));
        // Every band catches some energy, and bands march upwards in frequency.
        let peaks: Vec<usize> = f
            .chunks(N_FREQS)
            .map(|row| {
                assert!(row.iter().any(|&v| v > 0.0));
                (0..N_FREQS)
                    .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                    .unwrap()
            })
            .collect();
        assert!(peaks.windows(2).all(|w| w[0] <= w[1]));
        // Slaney normalisation: each triangle's area (in Hz, 40 Hz bins) is about 1.
        for row in f.chunks(N_FREQS).skip(10) {
            let area: f32 = row.iter().sum::<f32>() * 40.0;
            assert!((area - 1.0).abs() < 0.15, "area {area}");
        }
    }

    #[test]
    fn mel_scale_round_trips() {
        for hz in [0.0, 500.0, 1000.0, 4321.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-9);
    }
}
