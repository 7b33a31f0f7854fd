//! Reader for CTranslate2 `model.bin` files (the format faster-whisper ships).
//!
//! Only the index (names, shapes, types, offsets) is kept in memory; tensor data is read from
//! the file when asked for, so converting never holds the whole model twice. Every variable's
//! extent is checked against the file length while indexing, which is how a truncated file
//! is caught before anything is written.

use super::error::ModelError;
use super::finite::{Float, check_stream};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The only container version seen in Whisper conversions; older ones lay variables out
/// differently.
pub(crate) const CT2_VERSION: u32 = 6;

/// Element type of a stored variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One variable's place in the file.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub dims: Vec<usize>,
    pub dtype: DType,
    /// Byte offset of the data in the file.
    pub offset: u64,
    pub nbytes: u64,
}

impl Variable {
    /// Number of elements in one slice along the first dimension.
    pub fn row_len(&self) -> usize {
        self.dims.iter().skip(1).product()
    }
}

/// An opened CTranslate2 model: the index plus the file to read data from.
pub struct Ct2Model {
    path: PathBuf,
    file: File,
    /// Spec name written by the converter, e.g. `WhisperSpec`.
    pub spec: String,
    vars: HashMap<String, Variable>,
}

/// Byte reader that knows where it is, so a short read becomes a precise truncation error.
struct Cursor<'a> {
    inner: BufReader<&'a File>,
    pos: u64,
    len: u64,
    path: &'a Path,
}

impl Cursor<'_> {
    fn bytes(&mut self, n: u64, what: &str) -> Result<Vec<u8>, ModelError> {
        if self.pos + n > self.len {
            return Err(ModelError::Truncated {
                path: self.path.to_path_buf(),
                what: what.to_string(),
                needed: self.pos + n,
                actual: self.len,
            });
        }
        let mut buf = vec![0u8; n as usize];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| ModelError::io("read", self.path, e))?;
        self.pos += n;
        Ok(buf)
    }

    fn u8(&mut self, what: &str) -> Result<u8, ModelError> {
        Ok(self.bytes(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, ModelError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// u16 length (counting the trailing NUL), then the bytes.
    fn string(&mut self, what: &str) -> Result<String, ModelError> {
        let n = self.u16(what)?;
        let mut b = self.bytes(u64::from(n), what)?;
        if b.pop() != Some(0) {
            return Err(ModelError::bad(
                self.path,
                format!("{what} is not NUL-terminated at byte {}", self.pos),
            ));
        }
        String::from_utf8(b).map_err(|_| ModelError::bad(self.path, format!("{what} is not UTF-8")))
    }

    fn skip(&mut self, n: u64) -> Result<(), ModelError> {
        self.inner
            .seek_relative(n as i64)
            .map_err(|e| ModelError::io("read", self.path, e))?;
        self.pos += n;
        Ok(())
    }
}

impl Ct2Model {
    /// Opens `path` and indexes every variable and alias. Fails with
    /// [`ModelError::Truncated`] if any variable extends past the end of the file.
    pub fn open(path: &Path) -> Result<Ct2Model, ModelError> {
        let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
        let len = file
            .metadata()
            .map_err(|e| ModelError::io("read", path, e))?
            .len();
        let mut c = Cursor {
            inner: BufReader::new(&file),
            pos: 0,
            len,
            path,
        };
        let version = c.u32("the header")?;
        if version != CT2_VERSION {
            return Err(ModelError::bad(
                path,
                format!(
                    "CTranslate2 format version {version} is not supported (expected \
                     {CT2_VERSION}); is this a CTranslate2 model.bin?"
                ),
            ));
        }
        let spec = c.string("the spec name")?;
        let _revision = c.u32("the header")?;
        let n_vars = c.u32("the header")?;
        let mut vars = HashMap::new();
        for i in 0..n_vars {
            let what = format!("variable #{i}");
            let name = c.string(&what)?;
            let what = format!("variable {name}");
            let rank = c.u8(&what)?;
            let mut dims = Vec::with_capacity(rank as usize);
            for _ in 0..rank {
                dims.push(c.u32(&what)? as usize);
            }
            let code = c.u8(&what)?;
            let dtype = DType::from_code(code).ok_or_else(|| {
                ModelError::bad(path, format!("{what} has unknown data type code {code}"))
            })?;
            let nbytes = u64::from(c.u32(&what)?);
            let elems: usize = dims.iter().product();
            if nbytes != (elems * dtype.size()) as u64 {
                return Err(ModelError::bad(
                    path,
                    format!("{what} has shape {dims:?} but {nbytes} bytes of data"),
                ));
            }
            if c.pos + nbytes > len {
                return Err(ModelError::Truncated {
                    path: path.to_path_buf(),
                    what,
                    needed: c.pos + nbytes,
                    actual: len,
                });
            }
            let offset = c.pos;
            c.skip(nbytes)?;
            vars.insert(
                name.clone(),
                Variable {
                    name,
                    dims,
                    dtype,
                    offset,
                    nbytes,
                },
            );
        }
        let n_aliases = c.u32("the alias table")?;
        for _ in 0..n_aliases {
            let alias = c.string("the alias table")?;
            let target = c.string("the alias table")?;
            let var = vars.get(&target).cloned().ok_or_else(|| {
                ModelError::bad(path, format!("alias {alias} points to unknown {target}"))
            })?;
            vars.insert(alias, var);
        }
        Ok(Ct2Model {
            path: path.to_path_buf(),
            file,
            spec,
            vars,
        })
    }

    /// Path the model was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Looks a variable (or alias) up by name.
    pub fn var(&self, name: &str) -> Result<&Variable, ModelError> {
        self.vars.get(name).ok_or_else(|| {
            ModelError::bad(
                &self.path,
                format!("variable {name} is missing; is this a Whisper model?"),
            )
        })
    }

    /// All variable and alias names (unordered).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// Raw little-endian bytes of elements `start..start + count` of `var`.
    pub fn read_elems(
        &self,
        var: &Variable,
        start: usize,
        count: usize,
    ) -> Result<Vec<u8>, ModelError> {
        let size = var.dtype.size();
        if ((start + count) * size) as u64 > var.nbytes {
            return Err(ModelError::bad(
                &self.path,
                format!("{} has fewer than {} elements", var.name, start + count),
            ));
        }
        let mut buf = vec![0u8; count * size];
        let mut f = &self.file;
        f.seek(SeekFrom::Start(var.offset + (start * size) as u64))
            .and_then(|_| f.read_exact(&mut buf))
            .map_err(|e| ModelError::io("read", &self.path, e))?;
        Ok(buf)
    }

    /// Reads every float variable and fails at the first NaN or infinite value, naming it.
    pub fn check_values(&self) -> Result<(), ModelError> {
        let mut vars: Vec<&Variable> = self.vars.values().collect();
        // Aliases repeat a variable; read each once, in file order.
        vars.sort_by_key(|v| v.offset);
        vars.dedup_by_key(|v| v.offset);
        for var in vars {
            let kind = match var.dtype {
                DType::F32 => Float::F32,
                DType::F16 => Float::F16,
                _ => continue,
            };
            let mut f = &self.file;
            f.seek(SeekFrom::Start(var.offset))
                .map_err(|e| ModelError::io("read", &self.path, e))?;
            check_stream(&mut f.take(var.nbytes), kind, &self.path, &var.name)?;
        }
        Ok(())
    }

    /// Value of a one-element integer variable such as `encoder/num_heads`.
    pub fn scalar_int(&self, name: &str) -> Result<i64, ModelError> {
        let var = self.var(name)?;
        if var.dims.iter().product::<usize>() != 1 {
            return Err(ModelError::bad(
                &self.path,
                format!("{name} should hold one value but has shape {:?}", var.dims),
            ));
        }
        let b = self.read_elems(var, 0, 1)?;
        Ok(match var.dtype {
            DType::I8 => i64::from(b[0] as i8),
            DType::I16 => i64::from(i16::from_le_bytes([b[0], b[1]])),
            DType::I32 => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            DType::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
            DType::F16 => half::f16::from_le_bytes([b[0], b[1]]).to_f32() as i64,
        })
    }
}
