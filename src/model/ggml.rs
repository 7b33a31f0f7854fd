//! Writer for whisper.cpp's ggml model file, fed from a CTranslate2 model.
//!
//! Layout (all little endian): magic, eleven hparams, mel filterbank (rows, cols, f32
//! values), byte vocabulary (count, then length + bytes per token), then tensors. Each
//! tensor: rank, name length, type (0 f32, 1 f16), dims innermost first, name, data.
//! Tensor names, the q/k/v split and which tensors stay f32 follow whisper.cpp's own
//! converter, so the output is byte-identical to `tools/ct2_to_ggml_reference.py`.

use super::ct2::{Ct2Model, DType, Variable};
use super::error::ModelError;
use super::hparams::Hparams;
use super::quantize::{self, Weights};
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// `ggml` in ASCII, read as a little-endian i32.
pub const GGML_MAGIC: i32 = 0x6767_6d6c;

/// Tensors whisper.cpp expects as f32 although they have two dimensions (also the ones its
/// quantize tool leaves alone).
pub(super) const F32_2D: [&str; 4] = [
    "encoder.conv1.bias",
    "encoder.conv2.bias",
    "encoder.positional_embedding",
    "decoder.positional_embedding",
];

/// One output tensor: a row range of a CTranslate2 variable under a whisper.cpp name.
struct Piece {
    name: String,
    src: String,
    /// Rows (first dimension) of the source taken, as `start..end`.
    rows: Option<(usize, usize)>,
    /// Output shape, outermost first; `None` keeps the source shape (with the row range).
    shape: Option<Vec<usize>>,
}

impl Piece {
    fn whole(name: impl Into<String>, src: impl Into<String>) -> Piece {
        Piece {
            name: name.into(),
            src: src.into(),
            rows: None,
            shape: None,
        }
    }

    fn rows(name: impl Into<String>, src: impl Into<String>, start: usize, end: usize) -> Piece {
        Piece {
            rows: Some((start, end)),
            ..Piece::whole(name, src)
        }
    }
}

/// Counts `prefix/layer_N/` blocks.
fn count_layers(model: &Ct2Model, prefix: &str) -> i32 {
    let pat = format!("{prefix}/layer_");
    model
        .names()
        .filter_map(|n| n.strip_prefix(&pat))
        .filter_map(|rest| rest.split('/').next()?.parse::<i32>().ok())
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

fn dim(model: &Ct2Model, name: &str, axis: usize) -> Result<i32, ModelError> {
    let var = model.var(name)?;
    var.dims.get(axis).map(|&d| d as i32).ok_or_else(|| {
        ModelError::bad(
            model.path(),
            format!(
                "{name} has shape {:?}, expected at least {} dimensions",
                var.dims,
                axis + 1
            ),
        )
    })
}

/// Reads the hyper-parameters off the variable shapes, as whisper.cpp's converter does.
pub fn hparams_of(model: &Ct2Model) -> Result<Hparams, ModelError> {
    if model.spec != "WhisperSpec" {
        return Err(ModelError::Unsupported {
            path: model.path().to_path_buf(),
            reason: format!("it is a {} model, not a Whisper model", model.spec),
        });
    }
    let d = dim(model, "decoder/embeddings/weight", 1)?;
    Ok(Hparams {
        n_vocab: dim(model, "decoder/embeddings/weight", 0)?,
        n_audio_ctx: dim(model, "encoder/position_encodings/encodings", 0)?,
        n_audio_state: d,
        n_audio_head: model.scalar_int("encoder/num_heads")? as i32,
        n_audio_layer: count_layers(model, "encoder"),
        n_text_ctx: dim(model, "decoder/position_encodings/encodings", 0)?,
        n_text_state: d,
        n_text_head: model.scalar_int("decoder/num_heads")? as i32,
        n_text_layer: count_layers(model, "decoder"),
        n_mels: dim(model, "encoder/conv1/weight", 1)?,
        ftype: 1,
    })
}

/// The whisper.cpp tensors in the order whisper.cpp's converter writes them.
fn plan(hp: &Hparams) -> Vec<Piece> {
    let d = hp.n_audio_state as usize;
    let mut p = Vec::new();
    let norm = |p: &mut Vec<Piece>, dst: &str, src: &str| {
        p.push(Piece::whole(
            format!("{dst}.weight"),
            format!("{src}/gamma"),
        ));
        p.push(Piece::whole(format!("{dst}.bias"), format!("{src}/beta")));
    };
    let linear = |p: &mut Vec<Piece>, dst: &str, src: &str| {
        p.push(Piece::whole(
            format!("{dst}.weight"),
            format!("{src}/weight"),
        ));
        p.push(Piece::whole(format!("{dst}.bias"), format!("{src}/bias")));
    };
    // CTranslate2 fuses q|k|v row-wise; Whisper has no key bias.
    let qkv = |p: &mut Vec<Piece>, dst: &str, src: &str| {
        let (w, b) = (format!("{src}/weight"), format!("{src}/bias"));
        p.push(Piece::rows(format!("{dst}.query.weight"), &w, 0, d));
        p.push(Piece::rows(format!("{dst}.key.weight"), &w, d, 2 * d));
        p.push(Piece::rows(format!("{dst}.value.weight"), &w, 2 * d, 3 * d));
        p.push(Piece::rows(format!("{dst}.query.bias"), &b, 0, d));
        p.push(Piece::rows(format!("{dst}.value.bias"), &b, 2 * d, 3 * d));
    };
    for i in 1..=2 {
        p.push(Piece::whole(
            format!("encoder.conv{i}.weight"),
            format!("encoder/conv{i}/weight"),
        ));
        p.push(Piece {
            shape: Some(vec![d, 1]),
            ..Piece::whole(
                format!("encoder.conv{i}.bias"),
                format!("encoder/conv{i}/bias"),
            )
        });
    }
    p.push(Piece::whole(
        "encoder.positional_embedding",
        "encoder/position_encodings/encodings",
    ));
    for i in 0..hp.n_audio_layer {
        let (s, t) = (
            format!("encoder/layer_{i}/"),
            format!("encoder.blocks.{i}."),
        );
        norm(
            &mut p,
            &format!("{t}attn_ln"),
            &format!("{s}self_attention/layer_norm"),
        );
        qkv(
            &mut p,
            &format!("{t}attn"),
            &format!("{s}self_attention/linear_0"),
        );
        linear(
            &mut p,
            &format!("{t}attn.out"),
            &format!("{s}self_attention/linear_1"),
        );
        norm(&mut p, &format!("{t}mlp_ln"), &format!("{s}ffn/layer_norm"));
        linear(&mut p, &format!("{t}mlp.0"), &format!("{s}ffn/linear_0"));
        linear(&mut p, &format!("{t}mlp.2"), &format!("{s}ffn/linear_1"));
    }
    norm(&mut p, "encoder.ln_post", "encoder/layer_norm");
    p.push(Piece::whole(
        "decoder.token_embedding.weight",
        "decoder/embeddings/weight",
    ));
    p.push(Piece::whole(
        "decoder.positional_embedding",
        "decoder/position_encodings/encodings",
    ));
    for i in 0..hp.n_text_layer {
        let (s, t) = (
            format!("decoder/layer_{i}/"),
            format!("decoder.blocks.{i}."),
        );
        norm(
            &mut p,
            &format!("{t}attn_ln"),
            &format!("{s}self_attention/layer_norm"),
        );
        qkv(
            &mut p,
            &format!("{t}attn"),
            &format!("{s}self_attention/linear_0"),
        );
        linear(
            &mut p,
            &format!("{t}attn.out"),
            &format!("{s}self_attention/linear_1"),
        );
        norm(
            &mut p,
            &format!("{t}cross_attn_ln"),
            &format!("{s}attention/layer_norm"),
        );
        linear(
            &mut p,
            &format!("{t}cross_attn.query"),
            &format!("{s}attention/linear_0"),
        );
        // Cross-attention fuses k|v; again no key bias.
        let (w, b) = (
            format!("{s}attention/linear_1/weight"),
            format!("{s}attention/linear_1/bias"),
        );
        p.push(Piece::rows(format!("{t}cross_attn.key.weight"), &w, 0, d));
        p.push(Piece::rows(
            format!("{t}cross_attn.value.weight"),
            &w,
            d,
            2 * d,
        ));
        p.push(Piece::rows(
            format!("{t}cross_attn.value.bias"),
            &b,
            d,
            2 * d,
        ));
        linear(
            &mut p,
            &format!("{t}cross_attn.out"),
            &format!("{s}attention/linear_2"),
        );
        norm(&mut p, &format!("{t}mlp_ln"), &format!("{s}ffn/layer_norm"));
        linear(&mut p, &format!("{t}mlp.0"), &format!("{s}ffn/linear_0"));
        linear(&mut p, &format!("{t}mlp.2"), &format!("{s}ffn/linear_1"));
    }
    norm(&mut p, "decoder.ln", "decoder/layer_norm");
    p
}

/// Converts raw source elements to the output type (`f16 == true`) as little-endian bytes.
fn convert<'a>(
    raw: &'a [u8],
    from: DType,
    f16: bool,
    model: &Ct2Model,
    var: &Variable,
) -> Result<Cow<'a, [u8]>, ModelError> {
    Ok(match (from, f16) {
        (DType::F16, true) | (DType::F32, false) => Cow::Borrowed(raw),
        (DType::F16, false) => Cow::Owned(
            raw.chunks_exact(2)
                .flat_map(|c| {
                    half::f16::from_le_bytes([c[0], c[1]])
                        .to_f32()
                        .to_le_bytes()
                })
                .collect(),
        ),
        (DType::F32, true) => Cow::Owned(f32_to_f16_bytes(raw)),
        (other, _) => {
            return Err(ModelError::Unsupported {
                path: model.path().to_path_buf(),
                reason: format!(
                    "{} is stored as {other:?} (a quantized model); only float16 or float32 \
                     CTranslate2 models can be converted, get the float16 version",
                    var.name
                ),
            });
        }
    })
}

/// Little-endian f32 values as little-endian f16, rounded to nearest even like numpy's
/// `astype(float16)` (what whisper.cpp's converters use).
pub(super) fn f32_to_f16_bytes(raw: &[u8]) -> Vec<u8> {
    raw.chunks_exact(4)
        .flat_map(|c| {
            half::f16::from_f32(f32::from_le_bytes([c[0], c[1], c[2], c[3]])).to_le_bytes()
        })
        .collect()
}

pub(super) fn put_i32(out: &mut dyn Write, v: i32) -> std::io::Result<()> {
    out.write_all(&v.to_le_bytes())
}

/// Writes the complete ggml file to `out`, reading one tensor at a time from `model`, with
/// the weight matrices stored as `weights` (f16, or quantised from the f16 values, so the
/// result equals quantising the f16 file); the header's ftype says which. Returns the number
/// of tensors written.
pub fn write_ggml(
    model: &Ct2Model,
    hp: &Hparams,
    weights: Weights,
    filters: &[f32],
    tokens: &[Vec<u8>],
    out: &mut dyn Write,
    out_path: &Path,
) -> Result<usize, ModelError> {
    let w = |r: std::io::Result<()>| r.map_err(|e| ModelError::io("write", out_path, e));
    w(put_i32(out, GGML_MAGIC))?;
    let mut header = hp.to_array();
    header[10] = weights.ftype();
    for v in header {
        w(put_i32(out, v))?;
    }
    let n_mels = hp.n_mels as usize;
    w(put_i32(out, hp.n_mels))?;
    w(put_i32(out, (filters.len() / n_mels) as i32))?;
    let fb: Vec<u8> = filters.iter().flat_map(|v| v.to_le_bytes()).collect();
    w(out.write_all(&fb))?;
    w(put_i32(out, tokens.len() as i32))?;
    for t in tokens {
        w(put_i32(out, t.len() as i32))?;
        w(out.write_all(t))?;
    }
    let pieces = plan(hp);
    for piece in &pieces {
        let var = model.var(&piece.src)?;
        let (r0, r1) = piece
            .rows
            .unwrap_or((0, var.dims.first().copied().unwrap_or(1)));
        if r1 > var.dims.first().copied().unwrap_or(1) {
            return Err(ModelError::bad(
                model.path(),
                format!(
                    "{} has shape {:?}, too small for {}",
                    var.name, var.dims, piece.name
                ),
            ));
        }
        let shape = piece.shape.clone().unwrap_or_else(|| {
            let mut s = var.dims.clone();
            if s.is_empty() {
                s.push(1);
            }
            s[0] = r1 - r0;
            s
        });
        let f16 = shape.len() >= 2 && !F32_2D.contains(&piece.name.as_str());
        let row = var.row_len();
        let raw = model.read_elems(var, r0 * row, (r1 - r0) * row)?;
        let mut data = convert(&raw, var.dtype, f16, model, var)?;
        let mut code = i32::from(f16);
        if f16 && weights.quantizes(&piece.name, shape.len()) {
            let values = quantize::f16_bytes_to_f32(&data);
            data = Cow::Owned(
                weights
                    .quantize(&values)
                    .ok_or_else(|| not_in_blocks(model.path(), &piece.name, &shape, weights))?,
            );
            code = weights.tensor_code();
        }
        w(put_i32(out, shape.len() as i32))?;
        w(put_i32(out, piece.name.len() as i32))?;
        w(put_i32(out, code))?;
        for &n in shape.iter().rev() {
            w(put_i32(out, n as i32))?;
        }
        w(out.write_all(piece.name.as_bytes()))?;
        w(out.write_all(&data))?;
    }
    Ok(pieces.len())
}

/// A matrix whose rows do not split into the quantiser's 32-value blocks (no real Whisper
/// model has one).
pub(super) fn not_in_blocks(path: &Path, name: &str, shape: &[usize], w: Weights) -> ModelError {
    ModelError::Unsupported {
        path: path.to_path_buf(),
        reason: format!(
            "tensor {name} has shape {shape:?}, whose rows do not split into blocks of {}              values, so it cannot be stored as {w}; install it as f16 instead",
            quantize::BLOCK
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer and the checker (`layout`) list whisper.cpp's tensors separately; they
    /// must agree, name for name and in order.
    #[test]
    fn writes_the_tensors_whisper_cpp_expects_in_order() {
        let hp = Hparams::from_array([51865, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 1]);
        let written: Vec<String> = plan(&hp).into_iter().map(|p| p.name).collect();
        let expected: Vec<String> = super::super::layout::expected_tensors(&hp, Path::new("m"))
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(written, expected);
    }
}
