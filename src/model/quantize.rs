//! Quantised weights: which tensors whisper.cpp's `quantize` tool turns into q8_0 or q5_1, and
//! the block maths, bit-exact with ggml's reference quantisers (`quantize_row_q8_0_ref`,
//! `quantize_row_q5_1_ref` in ggml-quants.c), so a file made here is byte-identical to one
//! made by that tool from the same f16 model.
//!
//! Both formats cut each row into blocks of 32 values. q8_0 stores an f16 scale and 32
//! signed bytes (34 bytes per block); q5_1 stores an f16 scale, an f16 minimum, the fifth
//! bits of the 32 quants packed in a u32, then their low nibbles two per byte (24 bytes).

use super::ggml::F32_2D;
use half::f16;
use std::fmt;
use std::str::FromStr;

/// Values per block in both formats.
pub const BLOCK: usize = 32;

/// How a model file stores its weight matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Weights {
    /// Half precision, what the converter writes by default.
    #[default]
    F16,
    /// 8-bit blocks: about half the size of f16, transcripts nearly identical.
    Q8_0,
    /// 5-bit blocks with a minimum: about a third of f16.
    Q5_1,
}

/// ggml's `GGML_QNT_VERSION`: whisper.cpp's quantize tool adds it, times 1000, to the header's
/// ftype, and the loader takes the remainder.
const QNT_VERSION: i32 = 2;

impl Weights {
    pub const ALL: [Weights; 3] = [Weights::F16, Weights::Q8_0, Weights::Q5_1];

    /// The name whisper.cpp's tools and file names use.
    pub fn as_str(self) -> &'static str {
        match self {
            Weights::F16 => "f16",
            Weights::Q8_0 => "q8_0",
            Weights::Q5_1 => "q5_1",
        }
    }

    /// The header's `ftype` (ggml's `GGML_FTYPE_MOSTLY_*`, with the quantisation version).
    pub fn ftype(self) -> i32 {
        match self {
            Weights::F16 => 1,
            Weights::Q8_0 => QNT_VERSION * 1000 + 7,
            Weights::Q5_1 => QNT_VERSION * 1000 + 9,
        }
    }

    /// ggml's type code for a tensor stored this way.
    pub fn tensor_code(self) -> i32 {
        match self {
            Weights::F16 => 1,
            Weights::Q8_0 => 8,
            Weights::Q5_1 => 7,
        }
    }

    /// Whether whisper.cpp's quantize tool would quantise tensor `name` of rank `n_dims`: only
    /// matrices, and not the few that whisper.cpp reads as f32.
    pub fn quantizes(self, name: &str, n_dims: usize) -> bool {
        self != Weights::F16 && n_dims == 2 && !F32_2D.contains(&name)
    }

    /// Quantises `values` (whole rows whose length is a multiple of [`BLOCK`]) into this
    /// format's blocks. `None` when they do not split into whole blocks, or for f16.
    pub fn quantize(self, values: &[f32]) -> Option<Vec<u8>> {
        if !values.len().is_multiple_of(BLOCK) {
            return None;
        }
        let blocks = values.chunks_exact(BLOCK);
        let mut out = Vec::with_capacity(values.len() / BLOCK * 34);
        match self {
            Weights::F16 => return None,
            Weights::Q8_0 => blocks.for_each(|b| q8_0_block(b, &mut out)),
            Weights::Q5_1 => blocks.for_each(|b| q5_1_block(b, &mut out)),
        }
        Some(out)
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Weights {
    type Err = String;

    fn from_str(s: &str) -> Result<Weights, String> {
        Weights::ALL
            .into_iter()
            .find(|w| w.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown weight type {s:?}: choose f16 (full quality), q8_0 (half the size, \
                     faster) or q5_1 (a third of the size)"
                )
            })
    }
}

/// Little-endian f16 values as f32 (exact).
pub fn f16_bytes_to_f32(raw: &[u8]) -> Vec<f32> {
    raw.chunks_exact(2)
        .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
        .collect()
}

/// ggml's `GGML_FP32_TO_FP16`: round to nearest even, like `half`.
fn put_f16(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&f16::from_f32(v).to_le_bytes());
}

/// One q8_0 block: scale = largest magnitude / 127, quants rounded half away from zero.
fn q8_0_block(x: &[f32], out: &mut Vec<u8>) {
    let mut amax = 0.0f32;
    for v in x {
        // ggml's MAX(a, b) is `a > b ? a : b`; kept as is so NaN handling matches too.
        amax = if amax > v.abs() { amax } else { v.abs() };
    }
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    put_f16(out, d);
    out.extend(x.iter().map(|v| (v * id).round() as i8 as u8));
}

/// One q5_1 block: scale = (max − min) / 31 and the minimum; quants are truncated after
/// adding one half, value j in the low nibble of byte j (j < 16) or the high one of j − 16.
fn q5_1_block(x: &[f32], out: &mut Vec<u8>) {
    let (mut min, mut max) = (f32::MAX, -f32::MAX);
    for &v in x {
        if v < min {
            min = v;
        }
        if v > max {
            max = v;
        }
    }
    let d = (max - min) / 31.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    put_f16(out, d);
    put_f16(out, min);
    let half = BLOCK / 2;
    let mut qh = 0u32;
    let mut qs = [0u8; BLOCK / 2];
    for j in 0..half {
        let q0 = ((x[j] - min) * id + 0.5) as u8;
        let q1 = ((x[half + j] - min) * id + 0.5) as u8;
        qs[j] = (q0 & 0x0f) | ((q1 & 0x0f) << 4);
        qh |= u32::from((q0 & 0x10) >> 4) << j;
        qh |= u32::from((q1 & 0x10) >> 4) << (j + half);
    }
    out.extend_from_slice(&qh.to_le_bytes());
    out.extend_from_slice(&qs);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f16_at(b: &[u8], i: usize) -> f32 {
        f16::from_le_bytes([b[i], b[i + 1]]).to_f32()
    }

    /// Inverse of the quantisers (ggml's `dequantize_row_*`), to bound the error.
    fn dequantize(w: Weights, b: &[u8]) -> Vec<f32> {
        match w {
            Weights::Q8_0 => b
                .chunks_exact(34)
                .flat_map(|blk| {
                    let d = f16_at(blk, 0);
                    blk[2..].iter().map(move |&q| f32::from(q as i8) * d)
                })
                .collect(),
            Weights::Q5_1 => b
                .chunks_exact(24)
                .flat_map(|blk| {
                    let (d, m) = (f16_at(blk, 0), f16_at(blk, 2));
                    let qh = u32::from_le_bytes([blk[4], blk[5], blk[6], blk[7]]);
                    (0..32).map(move |j| {
                        let nib = if j < 16 {
                            blk[8 + j] & 0xf
                        } else {
                            blk[8 + j - 16] >> 4
                        };
                        let q = nib | ((((qh >> j) & 1) as u8) << 4);
                        f32::from(q) * d + m
                    })
                })
                .collect(),
            Weights::F16 => unreachable!(),
        }
    }

    #[test]
    fn q8_0_block_by_hand() {
        // Largest magnitude 127 gives scale 1.0 (f16 0x3c00), so each quant is round(x),
        // halves away from zero.
        let mut x = [0.0f32; 32];
        x[..8].copy_from_slice(&[127.0, -127.0, 0.5, -0.5, 1.5, 2.5, -2.49, 100.2]);
        let q = Weights::Q8_0.quantize(&x).unwrap();
        assert_eq!(q.len(), 34);
        assert_eq!(&q[..2], &[0x00, 0x3c]);
        let quants: Vec<i8> = q[2..10].iter().map(|&b| b as i8).collect();
        assert_eq!(quants, [127, -127, 1, -1, 2, 3, -2, 100]);
        assert!(q[10..].iter().all(|&b| b == 0));
        // An all-zero block has scale 0 and zero quants rather than NaN.
        assert_eq!(Weights::Q8_0.quantize(&[0.0; 32]).unwrap(), vec![0u8; 34]);
    }

    #[test]
    fn q5_1_block_by_hand() {
        // −2, −1.5, … 13.5: min −2 (f16 0xc000), scale 15.5/31 = 0.5 (0x3800), quant j = j.
        let x: Vec<f32> = (0..32).map(|j| -2.0 + j as f32 * 0.5).collect();
        let q = Weights::Q5_1.quantize(&x).unwrap();
        assert_eq!(q.len(), 24);
        assert_eq!(&q[..4], &[0x00, 0x38, 0x00, 0xc0]);
        // Quants 16..31 (second half) have the fifth bit set: qh bits 16..31.
        assert_eq!(&q[4..8], &0xffff_0000u32.to_le_bytes());
        let qs: Vec<u8> = (0..16u8).map(|j| j | (j << 4)).collect();
        assert_eq!(&q[8..], &qs[..]);
        // A constant block: scale 0, minimum 3.0 (0x4200), all quants 0.
        let c = Weights::Q5_1.quantize(&[3.0; 32]).unwrap();
        assert_eq!(&c[..4], &[0x00, 0x00, 0x00, 0x42]);
        assert!(c[4..].iter().all(|&b| b == 0));
    }

    #[test]
    fn round_trips_stay_within_half_a_step() {
        // A deterministic spread of magnitudes, signs and one outlier per block.
        let x: Vec<f32> = (0..32 * 64)
            .map(|i| {
                let v = ((i * 7919) % 1013) as f32 / 1013.0 - 0.5;
                if i % 97 == 0 { v * 40.0 } else { v * 0.1 }
            })
            .collect();
        for w in [Weights::Q8_0, Weights::Q5_1] {
            let q = w.quantize(&x).unwrap();
            let back = dequantize(w, &q);
            for (blk, (xs, ys)) in x.chunks(32).zip(back.chunks(32)).enumerate() {
                let (lo, hi) = xs
                    .iter()
                    .fold((f32::MAX, f32::MIN), |(a, b), &v| (a.min(v), b.max(v)));
                let step = match w {
                    Weights::Q8_0 => lo.abs().max(hi.abs()) / 127.0,
                    _ => (hi - lo) / 31.0,
                };
                for (a, b) in xs.iter().zip(ys) {
                    // Half a step, plus the f16 rounding of scale and minimum.
                    assert!(
                        (a - b).abs() <= step * 0.51 + hi.abs().max(lo.abs()) * 2e-3,
                        "{w} block {blk}: {a} came back as {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn header_values_match_whisper_cpp_quantize() {
        assert_eq!(Weights::Q8_0.ftype(), 2007);
        assert_eq!(Weights::Q5_1.ftype(), 2009);
        assert!(Weights::Q8_0.quantizes("decoder.token_embedding.weight", 2));
        assert!(!Weights::Q8_0.quantizes("decoder.positional_embedding", 2));
        assert!(!Weights::Q8_0.quantizes("encoder.conv1.weight", 3));
        assert!(!Weights::Q5_1.quantizes("decoder.ln.weight", 1));
        assert!(Weights::Q8_0.quantize(&[1.0; 31]).is_none());
        assert_eq!("Q8_0".parse::<Weights>(), Ok(Weights::Q8_0));
        assert!("q4_0".parse::<Weights>().unwrap_err().contains("q5_1"));
    }
}
