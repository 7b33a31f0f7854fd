//! The tensors whisper.cpp creates for a model's hyper-parameters, with their shapes, types and
//! byte sizes, and the sizes of the ggml types it can load. Checking a file against this list
//! before whisper.cpp sees it is what keeps a damaged model from aborting the process:
//! whisper.cpp trusts the header and throws or asserts on anything else.

use super::error::ModelError;
use super::hparams::Hparams;
use std::path::Path;

/// A ggml tensor type with a known storage size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TensorType {
    /// ggml's type code as stored in the file.
    pub code: i32,
    pub name: &'static str,
    /// Elements per block (1 for plain floats).
    block: usize,
    block_bytes: usize,
}

const fn t(code: i32, name: &'static str, block: usize, block_bytes: usize) -> TensorType {
    TensorType {
        code,
        name,
        block,
        block_bytes,
    }
}

/// The types whisper.cpp models use: floats and the quantisations its `quantize` tool writes
/// (ggml code, name, elements per block, bytes per block).
const TYPES: [TensorType; 13] = [
    t(0, "f32", 1, 4),
    t(1, "f16", 1, 2),
    t(30, "bf16", 1, 2),
    t(2, "q4_0", 32, 18),
    t(3, "q4_1", 32, 20),
    t(6, "q5_0", 32, 22),
    t(7, "q5_1", 32, 24),
    t(8, "q8_0", 32, 34),
    t(10, "q2_K", 256, 84),
    t(11, "q3_K", 256, 110),
    t(12, "q4_K", 256, 144),
    t(13, "q5_K", 256, 176),
    t(14, "q6_K", 256, 210),
];

pub const F32: TensorType = TYPES[0];
pub const F16: TensorType = TYPES[1];
pub const BF16: TensorType = TYPES[2];

impl TensorType {
    /// The type with ggml code `code`, if its size is known.
    pub fn from_code(code: i32) -> Option<TensorType> {
        TYPES.into_iter().find(|t| t.code == code)
    }

    /// Bytes of a tensor with `dims` (outermost first), or `None` when its rows do not split
    /// into whole blocks or the size does not fit in a u64 (a damaged header).
    pub fn bytes(self, dims: &[usize]) -> Option<u64> {
        let row = dims.last().copied().unwrap_or(1);
        if row % self.block != 0 {
            return None;
        }
        let elems = dims
            .iter()
            .try_fold(1u64, |n, &d| n.checked_mul(d as u64))?;
        (elems / self.block as u64).checked_mul(self.block_bytes as u64)
    }
}

/// The weight type a header's `ftype` selects (ggml's `ggml_ftype_to_ggml_type`); the
/// thousands carry the quantisation version.
pub(super) fn weight_type(ftype: i32) -> Option<TensorType> {
    let code = match ftype.rem_euclid(1000) {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        7 => 8,
        8 => 6,
        9 => 7,
        f @ 10..=14 => f,
        24 => 30,
        _ => return None,
    };
    TensorType::from_code(code)
}

/// One tensor whisper.cpp needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub name: String,
    /// Outermost first.
    pub dims: Vec<usize>,
    pub ttype: TensorType,
}

impl Expected {
    /// Bytes the tensor takes in the file: header (rank, name length, type, dims, name) + data.
    pub fn file_bytes(&self) -> u64 {
        let data = self.ttype.bytes(&self.dims).unwrap_or(0);
        (12 + 4 * self.dims.len() + self.name.len()) as u64 + data
    }
}

fn positive(path: &Path, what: &str, v: i32) -> Result<usize, ModelError> {
    usize::try_from(v).ok().filter(|&v| v > 0).ok_or_else(|| {
        ModelError::bad(
            path,
            format!("its header gives {what} = {v}, which no Whisper model has"),
        )
    })
}

/// Every tensor whisper.cpp creates for `hp` (as in `whisper_model_load`), after checking
/// that the hyper-parameters themselves are ones it can run with.
pub fn expected_tensors(hp: &Hparams, path: &Path) -> Result<Vec<Expected>, ModelError> {
    let vocab = positive(path, "n_vocab", hp.n_vocab)?;
    let a_ctx = positive(path, "n_audio_ctx", hp.n_audio_ctx)?;
    let s = positive(path, "n_audio_state", hp.n_audio_state)?;
    let a_head = positive(path, "n_audio_head", hp.n_audio_head)?;
    let a_layers = positive(path, "n_audio_layer", hp.n_audio_layer)?;
    let t_ctx = positive(path, "n_text_ctx", hp.n_text_ctx)?;
    let t_state = positive(path, "n_text_state", hp.n_text_state)?;
    let t_head = positive(path, "n_text_head", hp.n_text_head)?;
    let t_layers = positive(path, "n_text_layer", hp.n_text_layer)?;
    let mels = positive(path, "n_mels", hp.n_mels)?;
    if t_state != s || s % a_head != 0 || s % t_head != 0 {
        return Err(ModelError::bad(
            path,
            format!(
                "its header is inconsistent (state sizes {s} and {t_state}, {a_head} and \
                 {t_head} heads); the file is damaged"
            ),
        ));
    }
    let w = weight_type(hp.ftype).ok_or_else(|| ModelError::Unsupported {
        path: path.to_path_buf(),
        reason: format!(
            "its header gives weight type {} (ftype), which this version of whisper.cpp cannot \
             load; use an f16, f32 or q4/q5/q8 model",
            hp.ftype
        ),
    })?;
    let conv = if w == F32 { F32 } else { F16 };

    let mut out = Vec::new();
    let mut add = |name: String, dims: &[usize], ttype: TensorType| {
        out.push(Expected {
            name,
            dims: dims.to_vec(),
            ttype,
        })
    };
    // In the order the converters write them, so a cut file's first missing tensor is
    // named. Whisper's attention has no key bias.
    let attention = |add: &mut dyn FnMut(String, &[usize], TensorType), p: &str| {
        for part in ["query", "key", "value"] {
            add(format!("{p}.{part}.weight"), &[s, s], w);
        }
        add(format!("{p}.query.bias"), &[s], F32);
        add(format!("{p}.value.bias"), &[s], F32);
        add(format!("{p}.out.weight"), &[s, s], w);
        add(format!("{p}.out.bias"), &[s], F32);
    };
    let norm = |add: &mut dyn FnMut(String, &[usize], TensorType), p: &str| {
        add(format!("{p}.weight"), &[s], F32);
        add(format!("{p}.bias"), &[s], F32);
    };
    let mlp = |add: &mut dyn FnMut(String, &[usize], TensorType), p: &str| {
        norm(add, &format!("{p}mlp_ln"));
        add(format!("{p}mlp.0.weight"), &[4 * s, s], w);
        add(format!("{p}mlp.0.bias"), &[4 * s], F32);
        add(format!("{p}mlp.2.weight"), &[s, 4 * s], w);
        add(format!("{p}mlp.2.bias"), &[s], F32);
    };
    add("encoder.conv1.weight".into(), &[s, mels, 3], conv);
    add("encoder.conv1.bias".into(), &[s, 1], F32);
    add("encoder.conv2.weight".into(), &[s, s, 3], conv);
    add("encoder.conv2.bias".into(), &[s, 1], F32);
    add("encoder.positional_embedding".into(), &[a_ctx, s], F32);
    for i in 0..a_layers {
        let p = format!("encoder.blocks.{i}.");
        norm(&mut add, &format!("{p}attn_ln"));
        attention(&mut add, &format!("{p}attn"));
        mlp(&mut add, &p);
    }
    norm(&mut add, "encoder.ln_post");
    add("decoder.token_embedding.weight".into(), &[vocab, s], w);
    add("decoder.positional_embedding".into(), &[t_ctx, s], F32);
    for i in 0..t_layers {
        let p = format!("decoder.blocks.{i}.");
        norm(&mut add, &format!("{p}attn_ln"));
        attention(&mut add, &format!("{p}attn"));
        norm(&mut add, &format!("{p}cross_attn_ln"));
        // Cross-attention: the same tensors, with the query's bias written after its weight.
        let x = format!("{p}cross_attn");
        add(format!("{x}.query.weight"), &[s, s], w);
        add(format!("{x}.query.bias"), &[s], F32);
        add(format!("{x}.key.weight"), &[s, s], w);
        add(format!("{x}.value.weight"), &[s, s], w);
        add(format!("{x}.value.bias"), &[s], F32);
        add(format!("{x}.out.weight"), &[s, s], w);
        add(format!("{x}.out.bias"), &[s], F32);
        mlp(&mut add, &p);
    }
    norm(&mut add, "decoder.ln");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_has_whisper_cpps_tensor_count_and_sizes() {
        let hp = Hparams::from_array([51865, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 1]);
        let t = expected_tensors(&hp, Path::new("m")).unwrap();
        // whisper.cpp: 7 encoder + 4 decoder tensors, 15 per encoder and 24 per decoder layer.
        assert_eq!(t.len(), 11 + 15 * 6 + 24 * 6);
        let emb = t
            .iter()
            .find(|e| e.name == "decoder.token_embedding.weight")
            .unwrap();
        assert_eq!(emb.ttype.bytes(&emb.dims), Some(51865 * 512 * 2));
        assert_eq!(
            TensorType::from_code(8).unwrap().bytes(&[512, 512]),
            Some(512 * 16 * 34)
        );
        assert_eq!(TensorType::from_code(8).unwrap().bytes(&[3, 5]), None);
    }

    #[test]
    fn impossible_headers_are_refused() {
        let path = Path::new("ggml-x.bin");
        let zero_heads = Hparams::from_array([51865, 1500, 512, 0, 6, 448, 512, 8, 6, 80, 1]);
        let msg = expected_tensors(&zero_heads, path).unwrap_err().to_string();
        assert!(
            msg.contains("ggml-x.bin") && msg.contains("n_audio_head"),
            "{msg}"
        );
        let bad_ftype = Hparams::from_array([51865, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 5]);
        assert!(expected_tensors(&bad_ftype, path).is_err());
    }
}
