//! The speech detector's weights: Silero VAD, shipped as a safetensors file inside the
//! `silero-vad` wheel, converted here to the ggml file whisper.cpp's VAD loads
//! (`ggml-silero-vad.bin`), and checked before whisper.cpp sees it, because its loader trusts
//! the header and reads past the end of a damaged file.
//!
//! File layout (little endian), as whisper.cpp 1.8.3's `whisper_vad_init_with_params` reads
//! it: magic, model type string, version, window and context sizes, the encoder's
//! (in, out, kernel) per layer, LSTM and final-convolution sizes, then tensors until the end
//! of the file in the same per-tensor layout as a Whisper model (see `ggml.rs`).

use super::catalog::Package;
use super::error::ModelError;
use super::finite::{self, Float};
use super::ggml::{GGML_MAGIC, f32_to_f16_bytes, put_i32};
use super::ggml_read::{TensorInfo, Walker};
use super::install::{FromWheel, install_from_wheel, write_atomically};
use super::layout::{F16, F32, TensorType};
use super::{InstalledModel, fetch};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// File name of the speech detector in the models directory.
pub const VAD_FILE: &str = "ggml-silero-vad.bin";

/// The wheel that carries the weights; pinned like the Whisper packages.
pub(crate) const PACKAGE: Package = Package {
    name: "silero-vad",
    version: "6.2.3",
    wheel_sha256: "7b7f5436cfcb02fae583a05b512ea96467fd449fe54cb49a5e4f06c51a1e43b8",
    model_part: "silero_vad/data/silero_vad_16k.safetensors",
};

/// The converted file, pinned so a changed package or converter is noticed at install.
const CONVERTED_SHA256: &str = "5ddca637022567341226d7dc2c2aa28bbf0f4c17f43a860a1b97910ae4411f57";

const MODEL_TYPE: &str = "silero-16k";
/// Everything after the model type string up to the tensors: version (6.2.3), window and
/// context samples, four encoder layers as (in, out, kernel), LSTM input and hidden sizes,
/// final convolution in and out. whisper.cpp sizes its tensors from these, so a file is
/// accepted only with exactly these values.
const HEADER: [i32; 22] = [
    6, 2, 3, 512, 64, 4, 129, 128, 3, 128, 64, 3, 64, 64, 3, 64, 128, 3, 128, 128, 128, 1,
];

/// One tensor of the output: its whisper.cpp name, the safetensors tensor it comes from
/// (with that tensor's torch shape), its shape in the file (outermost first) and whether it
/// is stored as f16 (whisper.cpp's convolution weights) or f32.
struct Planned {
    name: &'static str,
    src: &'static str,
    src_shape: &'static [usize],
    dims: &'static [usize],
    f16: bool,
}

const fn p(
    name: &'static str,
    src: &'static str,
    src_shape: &'static [usize],
    dims: &'static [usize],
    f16: bool,
) -> Planned {
    Planned {
        name,
        src,
        src_shape,
        dims,
        f16,
    }
}

/// In the order whisper.cpp's own converter writes them. Torch's row-major layout is
/// already ggml's, so only the shape is reversed on writing.
const PLAN: [Planned; 15] = [
    p(
        "_model.encoder.0.reparam_conv.weight",
        "conv1.weight",
        &[128, 129, 3],
        &[128, 129, 3],
        true,
    ),
    p(
        "_model.encoder.0.reparam_conv.bias",
        "conv1.bias",
        &[128],
        &[128],
        false,
    ),
    p(
        "_model.encoder.1.reparam_conv.weight",
        "conv2.weight",
        &[64, 128, 3],
        &[64, 128, 3],
        true,
    ),
    p(
        "_model.encoder.1.reparam_conv.bias",
        "conv2.bias",
        &[64],
        &[64],
        false,
    ),
    p(
        "_model.encoder.2.reparam_conv.weight",
        "conv3.weight",
        &[64, 64, 3],
        &[64, 64, 3],
        true,
    ),
    p(
        "_model.encoder.2.reparam_conv.bias",
        "conv3.bias",
        &[64],
        &[64],
        false,
    ),
    p(
        "_model.encoder.3.reparam_conv.weight",
        "conv4.weight",
        &[128, 64, 3],
        &[128, 64, 3],
        true,
    ),
    p(
        "_model.encoder.3.reparam_conv.bias",
        "conv4.bias",
        &[128],
        &[128],
        false,
    ),
    p(
        "_model.decoder.rnn.weight_ih",
        "lstm_cell.weight_ih",
        &[512, 128],
        &[512, 128],
        false,
    ),
    p(
        "_model.decoder.rnn.weight_hh",
        "lstm_cell.weight_hh",
        &[512, 128],
        &[512, 128],
        false,
    ),
    p(
        "_model.decoder.rnn.bias_ih",
        "lstm_cell.bias_ih",
        &[512],
        &[512],
        false,
    ),
    p(
        "_model.decoder.rnn.bias_hh",
        "lstm_cell.bias_hh",
        &[512],
        &[512],
        false,
    ),
    p(
        "_model.decoder.decoder.2.weight",
        "final_conv.weight",
        &[1, 128, 1],
        &[128],
        true,
    ),
    p(
        "_model.decoder.decoder.2.bias",
        "final_conv.bias",
        &[1],
        &[1],
        false,
    ),
    p(
        "_model.stft.forward_basis_buffer",
        "stft_conv.weight",
        &[258, 1, 256],
        &[258, 1, 256],
        true,
    ),
];

/// A safetensors file: u64 header length, JSON header, raw data.
struct SafeTensors {
    bytes: Vec<u8>,
    data_start: usize,
    /// name → (dtype, shape, byte range in the data).
    tensors: HashMap<String, (String, Vec<usize>, usize, usize)>,
}

impl SafeTensors {
    fn parse(bytes: Vec<u8>, path: &Path) -> Result<SafeTensors, ModelError> {
        let bad = |why: String| ModelError::bad(path, format!("{why}; get the package again"));
        let head_len = bytes
            .get(..8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .ok_or_else(|| bad("its safetensors data is empty".into()))?;
        let data_start = usize::try_from(head_len)
            .ok()
            .and_then(|n| n.checked_add(8))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| bad("its safetensors header is longer than the file".into()))?;
        let header: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes[8..data_start])
                .map_err(|e| bad(format!("its safetensors header is not JSON ({e})")))?;
        let mut tensors = HashMap::new();
        for (name, v) in header {
            if name == "__metadata__" {
                continue;
            }
            let entry = (|| {
                let dtype = v.get("dtype")?.as_str()?.to_string();
                let shape = v
                    .get("shape")?
                    .as_array()?
                    .iter()
                    .map(|d| d.as_u64().and_then(|d| usize::try_from(d).ok()))
                    .collect::<Option<Vec<_>>>()?;
                let off = v.get("data_offsets")?.as_array()?;
                let start = usize::try_from(off.first()?.as_u64()?).ok()?;
                let end = usize::try_from(off.get(1)?.as_u64()?).ok()?;
                Some((dtype, shape, start, end))
            })()
            .ok_or_else(|| bad(format!("tensor {name} has an unreadable header entry")))?;
            tensors.insert(name, entry);
        }
        Ok(SafeTensors {
            bytes,
            data_start,
            tensors,
        })
    }

    /// The raw little-endian f32 data of `name`, which must have `shape`.
    fn f32_data(&self, name: &str, shape: &[usize], path: &Path) -> Result<&[u8], ModelError> {
        let (dtype, have, start, end) = self.tensors.get(name).ok_or_else(|| {
            ModelError::bad(
                path,
                format!("it has no tensor {name}; it is not the Silero VAD 16 kHz model"),
            )
        })?;
        if dtype != "F32" || have != shape {
            return Err(ModelError::bad(
                path,
                format!(
                    "tensor {name} is {dtype} {have:?}, expected F32 {shape:?}; it is not the \
                     Silero VAD 16 kHz model"
                ),
            ));
        }
        let bytes = shape.iter().product::<usize>() * 4;
        self.data_start
            .checked_add(*start)
            .zip(self.data_start.checked_add(*end))
            .filter(|&(s, e)| e >= s && e - s == bytes && e <= self.bytes.len())
            .map(|(s, e)| &self.bytes[s..e])
            .ok_or_else(|| {
                ModelError::bad(
                    path,
                    format!("tensor {name} lies outside its data; get the package again"),
                )
            })
    }
}

/// Reads the safetensors weights from `src`: the `silero-vad` wheel itself, or the
/// `silero_vad_16k.safetensors` file taken out of it.
fn read_source(src: &Path) -> Result<SafeTensors, ModelError> {
    SafeTensors::parse(fetch::member_or_file(src, PACKAGE.model_part)?, src)
}

fn write_vad(
    st: &SafeTensors,
    src: &Path,
    out: &mut dyn Write,
    out_path: &Path,
) -> Result<usize, ModelError> {
    let w = |r: std::io::Result<()>| r.map_err(|e| ModelError::io("write", out_path, e));
    w(put_i32(out, GGML_MAGIC))?;
    w(put_i32(out, MODEL_TYPE.len() as i32))?;
    w(out.write_all(MODEL_TYPE.as_bytes()))?;
    for v in HEADER {
        w(put_i32(out, v))?;
    }
    for t in &PLAN {
        let raw = st.f32_data(t.src, t.src_shape, src)?;
        finite::check_stream(&mut &raw[..], Float::F32, src, t.src)?;
        w(put_i32(out, t.dims.len() as i32))?;
        w(put_i32(out, t.name.len() as i32))?;
        w(put_i32(out, i32::from(t.f16)))?;
        for &n in t.dims.iter().rev() {
            w(put_i32(out, n as i32))?;
        }
        w(out.write_all(t.name.as_bytes()))?;
        if t.f16 {
            w(out.write_all(&f32_to_f16_bytes(raw)))?;
        } else {
            w(out.write_all(raw))?;
        }
    }
    Ok(PLAN.len())
}

/// Converts the Silero VAD weights in `src` (the `silero-vad` wheel or its
/// `silero_vad_16k.safetensors`) to whisper.cpp's VAD file at `out`. The weights are checked
/// for NaN/Inf, and `out` appears only once complete and passing [`inspect_vad`]. Returns the
/// number of tensors written.
pub fn convert_silero_vad(src: &Path, out: &Path) -> Result<usize, ModelError> {
    let st = read_source(src)?;
    write_atomically(
        out,
        |w, tmp| write_vad(&st, src, w, tmp),
        |tmp| inspect_vad(tmp).map(drop),
    )
}

/// What a checked speech-detector file holds.
#[derive(Debug, Clone)]
pub struct VadInfo {
    pub path: PathBuf,
    pub tensors: Vec<TensorInfo>,
    pub size: u64,
}

fn ttype(f16: bool) -> TensorType {
    if f16 { F16 } else { F32 }
}

/// Walks the speech-detector file at `path` and checks it holds exactly what whisper.cpp's
/// VAD loader will ask for: the header of the Silero 16 kHz model, every tensor once with its
/// shape and type, and nothing after the last. Fast (it seeks over the data), so it runs
/// before every load.
pub fn inspect_vad(path: &Path) -> Result<VadInfo, ModelError> {
    let not_vad = |why: &str| {
        ModelError::bad(
            path,
            format!("{why}; it is not a Silero speech detector for whisper.cpp"),
        )
    };
    let mut w = Walker::open(path)?;
    if w.i32("the header")? != GGML_MAGIC {
        return Err(not_vad("it does not start with the ggml magic number"));
    }
    let n = w.count("the header")?;
    if n != MODEL_TYPE.len() || w.bytes(n, "the header")? != MODEL_TYPE.as_bytes() {
        return Err(not_vad("its model type is not silero-16k"));
    }
    for want in HEADER {
        if w.i32("the header")? != want {
            return Err(not_vad("its header does not describe Silero VAD 6.2.3"));
        }
    }
    let mut wanted: HashMap<&str, &Planned> = PLAN.iter().map(|t| (t.name, t)).collect();
    let mut tensors = Vec::new();
    while w.pos < w.len {
        let what = format!("tensor #{}", tensors.len());
        let (code, dims, name) = w.tensor_header(&what)?;
        let Some(t) = wanted.remove(name.as_str()) else {
            return Err(not_vad(&format!(
                "it holds tensor {name} twice or unexpectedly"
            )));
        };
        let want = ttype(t.f16);
        if dims != t.dims || code != want.code {
            return Err(ModelError::bad(
                path,
                format!(
                    "tensor {name} is {dims:?} of type {code} but whisper.cpp expects {:?} {}; \
                     the file is damaged",
                    t.dims, want.name
                ),
            ));
        }
        let nbytes = want.bytes(&dims).unwrap_or(u64::MAX);
        let offset = w.pos;
        w.skip(nbytes, &format!("tensor {name}"))?;
        tensors.push(TensorInfo {
            name,
            dims,
            ttype: want,
            offset,
            nbytes,
        });
    }
    if let Some(first) = PLAN.iter().find(|t| wanted.contains_key(t.name)) {
        return Err(ModelError::Truncated {
            path: path.to_path_buf(),
            what: format!(
                "the rest of the speech detector (from tensor {})",
                first.name
            ),
            needed: w.len + 1,
            actual: w.len,
        });
    }
    Ok(VadInfo {
        path: path.to_path_buf(),
        tensors,
        size: w.len,
    })
}

/// Path of the speech detector in `dir` (whether or not it exists).
pub fn vad_path(dir: &Path) -> PathBuf {
    dir.join(VAD_FILE)
}

/// Gets the speech detector into `dir` (pip download of the pinned `silero-vad` wheel into
/// `<dir>/.cache/`, converted natively) and records its checksum. Keeps a file already there
/// that matches its record and passes [`inspect_vad`], unless `force`.
pub fn install_vad(
    dir: &Path,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<InstalledModel, ModelError> {
    let file = FromWheel {
        name: "silero-vad",
        what: "the speech detector (Silero VAD)",
        out: vad_path(dir),
        package: &PACKAGE,
        sha256: CONVERTED_SHA256,
    };
    install_from_wheel(
        dir,
        &file,
        force,
        |wheel, out| convert_silero_vad(wheel, out).map(drop),
        |out| inspect_vad(out).is_ok(),
        progress,
    )
}
