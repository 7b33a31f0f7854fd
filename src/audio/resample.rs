//! Conversion of one channel to the 16 kHz every later stage works at.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Async, FixedAsync, Resampler, SincInterpolationParameters, WindowFunction};

use super::SAMPLE_RATE;
use super::error::AudioError;

/// Frames per resampler call; any size works for a whole clip, this one keeps buffers small.
const CHUNK: usize = 1024;

/// Resample one channel from `from_rate` to 16 kHz with a windowed-sinc resampler (the anti-
/// aliasing filter matters for 44.1/48 kHz sources; 8 kHz sources are band-limited anyway).
/// The output is `len * 16000 / from_rate` samples, aligned with the input (no added delay).
pub fn resample_to_16k(samples: &[f32], from_rate: u32) -> Result<Vec<f32>, AudioError> {
    let fail = |detail: String| AudioError::Resample { from_rate, detail };
    if from_rate == 0 {
        return Err(fail("the sample rate is 0 Hz".to_string()));
    }
    if from_rate == SAMPLE_RATE || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let ratio = f64::from(SAMPLE_RATE) / f64::from(from_rate);
    let params = SincInterpolationParameters::new(128, WindowFunction::BlackmanHarris2);
    let mut resampler = Async::<f32>::new_sinc(ratio, 1.0, &params, CHUNK, 1, FixedAsync::Input)
        .map_err(|e| fail(e.to_string()))?;
    let input =
        InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| fail(e.to_string()))?;
    let output = resampler
        .process_all(&input, samples.len(), None)
        .map_err(|e| fail(e.to_string()))?;
    Ok(output.take_data())
}

/// Scale a channel so its loudest sample is at ±1.0 (silence stays silence).
pub(crate) fn peak_normalise(samples: &mut [f32]) {
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if peak > 0.0 {
        let gain = 1.0 / peak;
        samples.iter_mut().for_each(|s| *s *= gain);
    }
}
