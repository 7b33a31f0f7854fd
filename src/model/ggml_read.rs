//! Structural check of a whisper.cpp ggml model file: walks the header, filterbank,
//! vocabulary and every tensor header, and checks that each tensor's data is present and
//! that nothing trails the last one. Used by `import` and available to callers that want
//! to show what a model file holds.

use super::error::ModelError;
use super::ggml::GGML_MAGIC;
use super::hparams::Hparams;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// One tensor of a ggml file.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    pub name: String,
    /// Outermost first (the file stores them innermost first).
    pub dims: Vec<usize>,
    /// True for f16 data, false for f32.
    pub f16: bool,
    /// Byte offset of the data in the file.
    pub offset: u64,
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

struct Walker<'a> {
    r: BufReader<File>,
    pos: u64,
    len: u64,
    path: &'a Path,
}

impl Walker<'_> {
    fn need(&self, n: u64, what: &str) -> Result<(), ModelError> {
        if self.pos + n > self.len {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: what.to_string(),
                needed: self.pos + n,
                actual: self.len,
            });
        }
        Ok(())
    }

    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, ModelError> {
        self.need(n as u64, what)?;
        let mut b = vec![0; n];
        self.r
            .read_exact(&mut b)
            .map_err(|e| ModelError::io("read", self.path, e))?;
        self.pos += n as u64;
        Ok(b)
    }

    fn i32(&mut self, what: &str) -> Result<i32, ModelError> {
        let b = self.bytes(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A count or size that must not be negative.
    fn count(&mut self, what: &str) -> Result<usize, ModelError> {
        let v = self.i32(what)?;
        usize::try_from(v)
            .map_err(|_| ModelError::bad(self.path, format!("{what} is negative ({v})")))
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), ModelError> {
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
    let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    let len = file
        .metadata()
        .map_err(|e| ModelError::io("read", path, e))?
        .len();
    let mut w = Walker {
        r: BufReader::new(file),
        pos: 0,
        len,
        path,
    };
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
    w.skip((mel_rows * mel_cols * 4) as u64, "the mel filterbank")?;
    let n_tokens = w.count("the vocabulary")?;
    for _ in 0..n_tokens {
        let n = w.count("the vocabulary")?;
        w.skip(n as u64, "the vocabulary")?;
    }
    let mut tensors = Vec::new();
    while w.pos < len {
        let what = format!("tensor #{}", tensors.len());
        let rank = w.count(&what)?;
        let name_len = w.count(&what)?;
        let ftype = w.i32(&what)?;
        let f16 = match ftype {
            0 => false,
            1 => true,
            t => {
                return Err(ModelError::Unsupported {
                    path: path.to_path_buf(),
                    reason: format!("{what} has type {t}; only f32/f16 files are checked"),
                });
            }
        };
        let mut dims = Vec::with_capacity(rank);
        for _ in 0..rank {
            dims.push(w.count(&what)?);
        }
        dims.reverse();
        let name = String::from_utf8(w.bytes(name_len, &what)?)
            .map_err(|_| ModelError::bad(path, format!("{what} has a non-UTF-8 name")))?;
        let elems: usize = dims.iter().product();
        let offset = w.pos;
        w.skip(
            (elems * if f16 { 2 } else { 4 }) as u64,
            &format!("tensor {name}"),
        )?;
        tensors.push(TensorInfo {
            name,
            dims,
            f16,
            offset,
        });
    }
    if tensors.is_empty() {
        return Err(ModelError::bad(path, "it holds no tensors"));
    }
    Ok(GgmlInfo {
        path: path.to_path_buf(),
        hparams,
        mel_rows,
        mel_cols,
        n_tokens,
        tensors,
        size: len,
    })
}
