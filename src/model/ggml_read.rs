//! Structural check of a whisper.cpp ggml model file: walks the header, filterbank,
//! vocabulary and every tensor header (seeking over the data, so it is fast enough to run
//! before every load), and checks the result against what whisper.cpp will ask for: every
//! tensor its hyper-parameters imply, each once, with the right shape and byte size, and the
//! file ending exactly after the last one. [`check_values`] additionally reads the float data
//! for NaN/Inf, which only `import` and `install` pay for.

use super::error::ModelError;
use super::ggml::GGML_MAGIC;
use super::hparams::Hparams;
use super::layout::{self, BF16, F16, F32, TensorType};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// One tensor of a ggml file.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    pub name: String,
    /// Outermost first (the file stores them innermost first).
    pub dims: Vec<usize>,
    pub ttype: TensorType,
    /// Byte offset of the data in the file.
    pub offset: u64,
    /// Bytes of data.
    pub nbytes: u64,
}

/// What a ggml model file holds.
#[derive(Debug, Clone)]
pub struct GgmlInfo {
    pub path: PathBuf,
    pub hparams: Hparams,
    pub mel_rows: usize,
    pub mel_cols: usize,
    pub n_tokens: usize,
    pub tensors: Vec<TensorInfo>,
    pub size: u64,
}

/// Reads a model file front to back, refusing to read past its end.
pub(super) struct Walker<'a> {
    r: BufReader<File>,
    pub pos: u64,
    pub len: u64,
    path: &'a Path,
}

impl<'a> Walker<'a> {
    pub fn open(path: &'a Path) -> Result<Walker<'a>, ModelError> {
        let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
        let len = file
            .metadata()
            .map_err(|e| ModelError::io("read", path, e))?
            .len();
        Ok(Walker {
            r: BufReader::new(file),
            pos: 0,
            len,
            path,
        })
    }

    /// One tensor record's header as whisper.cpp reads it (rank, name length, type, the
    /// dimensions innermost first, the name): (type code, dimensions outermost first, name).
    pub fn tensor_header(&mut self, what: &str) -> Result<(i32, Vec<usize>, String), ModelError> {
        let rank = self.count(what)?;
        let name_len = self.count(what)?;
        let code = self.i32(what)?;
        // whisper.cpp reads at most four dimensions into a fixed array.
        if rank == 0 || rank > 4 {
            return Err(ModelError::bad(
                self.path,
                format!("{what} has {rank} dimensions; the file is damaged"),
            ));
        }
        let mut dims = Vec::with_capacity(rank);
        for _ in 0..rank {
            dims.push(self.count(what)?);
        }
        dims.reverse();
        let name = String::from_utf8(self.bytes(name_len, what)?)
            .map_err(|_| ModelError::bad(self.path, format!("{what} has a non-UTF-8 name")))?;
        Ok((code, dims, name))
    }

    pub fn need(&self, n: u64, what: &str) -> Result<(), ModelError> {
        if self.pos.saturating_add(n) > self.len {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: what.to_string(),
                needed: self.pos.saturating_add(n),
                actual: self.len,
            });
        }
        Ok(())
    }

    pub fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, ModelError> {
        self.need(n as u64, what)?;
        let mut b = vec![0; n];
        self.r
            .read_exact(&mut b)
            .map_err(|e| ModelError::io("read", self.path, e))?;
        self.pos += n as u64;
        Ok(b)
    }

    pub fn i32(&mut self, what: &str) -> Result<i32, ModelError> {
        let b = self.bytes(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A count or size that must not be negative.
    pub fn count(&mut self, what: &str) -> Result<usize, ModelError> {
        let v = self.i32(what)?;
        usize::try_from(v)
            .map_err(|_| ModelError::bad(self.path, format!("{what} is negative ({v})")))
    }

    pub fn skip(&mut self, n: u64, what: &str) -> Result<(), ModelError> {
        self.need(n, what)?;
        self.r
            .seek_relative(n as i64)
            .map_err(|e| ModelError::io("read", self.path, e))?;
        self.pos += n;
        Ok(())
    }
}

/// Reads and checks the structure of the ggml file at `path`.
pub fn inspect_ggml(path: &Path) -> Result<GgmlInfo, ModelError> {
    let mut w = Walker::open(path)?;
    let len = w.len;
    if w.i32("the header")? != GGML_MAGIC {
        return Err(ModelError::bad(
            path,
            "it does not start with the ggml magic number",
        ));
    }
    let mut hp = [0i32; 11];
    for v in &mut hp {
        *v = w.i32("the header")?;
    }
    let hparams = Hparams::from_array(hp);
    let mel_rows = w.count("the mel filterbank")?;
    let mel_cols = w.count("the mel filterbank")?;
    let mel_bytes = (mel_rows as u64).saturating_mul(mel_cols as u64 * 4);
    w.skip(mel_bytes, "the mel filterbank")?;
    let n_tokens = w.count("the vocabulary")?;
    for _ in 0..n_tokens {
        let n = w.count("the vocabulary")?;
        w.skip(n as u64, "the vocabulary")?;
    }
    let mut tensors = Vec::new();
    while w.pos < len {
        let what = format!("tensor #{}", tensors.len());
        let (code, dims, name) = w.tensor_header(&what)?;
        let ttype = TensorType::from_code(code).ok_or_else(|| ModelError::Unsupported {
            path: path.to_path_buf(),
            reason: format!("{what} has ggml type {code}, which callgrade does not know"),
        })?;
        let nbytes = ttype.bytes(&dims).ok_or_else(|| {
            ModelError::bad(
                path,
                format!(
                    "tensor {name} of shape {dims:?} does not fit {} storage; the file is damaged",
                    ttype.name
                ),
            )
        })?;
        let offset = w.pos;
        w.skip(nbytes, &format!("tensor {name}"))?;
        tensors.push(TensorInfo {
            name,
            dims,
            ttype,
            offset,
            nbytes,
        });
    }
    let info = GgmlInfo {
        path: path.to_path_buf(),
        hparams,
        mel_rows,
        mel_cols,
        n_tokens,
        tensors,
        size: len,
    };
    check_layout(&info)?;
    Ok(info)
}

/// How the Whisper model at `path` stores its weight matrices (`f16`, `q8_0`, …), from its
/// header; `None` when it is not a loadable Whisper model.
pub fn weight_type(path: &Path) -> Option<&'static str> {
    let info = inspect_ggml(path).ok()?;
    layout::weight_type(info.hparams.ftype).map(|t| t.name)
}

/// `dims` (outermost first) as whisper.cpp's four `ne` values, innermost first.
fn ne(dims: &[usize]) -> [usize; 4] {
    let mut ne = [1; 4];
    for (n, d) in ne.iter_mut().zip(dims.iter().rev()) {
        *n = *d;
    }
    ne
}

/// Compares the tensors found with those whisper.cpp will create, by its own rules (same
/// element layout and byte size), so that anything that passes here also loads there.
fn check_layout(info: &GgmlInfo) -> Result<(), ModelError> {
    let path = info.path.as_path();
    if info.mel_rows != info.hparams.n_mels as usize || info.mel_cols == 0 {
        return Err(ModelError::bad(
            path,
            format!(
                "its mel filterbank is {}×{} but the header says {} mel bands; the file is damaged",
                info.mel_rows, info.mel_cols, info.hparams.n_mels
            ),
        ));
    }
    let expected = layout::expected_tensors(&info.hparams, path)?;
    let mut wanted: HashMap<&str, &layout::Expected> =
        expected.iter().map(|e| (e.name.as_str(), e)).collect();
    for t in &info.tensors {
        let Some(e) = wanted.remove(t.name.as_str()) else {
            let why = if expected.iter().any(|e| e.name == t.name) {
                "twice"
            } else {
                "although a model with this header has no such tensor"
            };
            return Err(ModelError::bad(
                path,
                format!("it holds tensor {} {why}; the file is damaged", t.name),
            ));
        };
        if ne(&t.dims) != ne(&e.dims) || Some(t.nbytes) != e.ttype.bytes(&e.dims) {
            return Err(ModelError::bad(
                path,
                format!(
                    "tensor {} is {:?} {} but whisper.cpp expects {:?} {} for this header; the \
                     file is damaged or not a Whisper model",
                    t.name, t.dims, t.ttype.name, e.dims, e.ttype.name
                ),
            ));
        }
    }
    let mut missing: Vec<&layout::Expected> = wanted.into_values().collect();
    if missing.is_empty() {
        return Ok(());
    }
    // In whisper.cpp's order, so the message names the first tensor that was cut off.
    missing.sort_by_key(|m| expected.iter().position(|e| e.name == m.name));
    Err(ModelError::Truncated {
        path: path.to_path_buf(),
        what: format!(
            "the rest of a {} model ({})",
            info.hparams.model_name(),
            match missing.len() {
                1 => format!("tensor {}", missing[0].name),
                n => format!("{n} tensors from {} on", missing[0].name),
            }
        ),
        needed: info.size + missing.iter().map(|m| m.file_bytes()).sum::<u64>(),
        actual: info.size,
    })
}

/// Reads every f32/f16/bf16 tensor of a checked file and fails on the first NaN or infinite
/// value: damage that keeps every size intact, and that whisper.cpp would turn into
/// garbage transcripts without any error.
pub fn check_values(info: &GgmlInfo) -> Result<(), ModelError> {
    let path = info.path.as_path();
    let mut f = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    for t in &info.tensors {
        let kind = match t.ttype {
            x if x == F32 => super::finite::Float::F32,
            x if x == F16 => super::finite::Float::F16,
            x if x == BF16 => super::finite::Float::Bf16,
            _ => continue,
        };
        f.seek(SeekFrom::Start(t.offset))
            .map_err(|e| ModelError::io("read", path, e))?;
        super::finite::check_stream(&mut (&mut f).take(t.nbytes), kind, path, &t.name)?;
    }
    Ok(())
}
