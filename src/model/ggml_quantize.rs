//! Making a quantised model from an installed f16 (or f32) ggml file, the way whisper.cpp's
//! `quantize` tool does: everything up to the tensors is copied with the header's ftype
//! changed, each matrix it would quantise is quantised, every other tensor is copied.
//! No download is needed, and the result equals converting straight from CTranslate2.

use super::error::ModelError;
use super::ggml::{not_in_blocks, put_i32};
use super::ggml_read::{TensorInfo, inspect_ggml};
use super::install::write_atomically;
use super::layout::{F16, F32};
use super::quantize::{Weights, f16_bytes_to_f32};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Byte offset of the header's ftype: after the magic and ten other hyper-parameters.
const FTYPE_OFFSET: usize = 4 + 10 * 4;

/// Bytes of a tensor record's header (rank, name length, type, dims, name).
fn header_len(t: &TensorInfo) -> u64 {
    (12 + 4 * t.dims.len() + t.name.len()) as u64
}

/// Writes `src` (a checked f16/f32 ggml model) to `out` with its matrices stored as
/// `weights`. `out` appears only once complete and loadable. Returns its size.
pub fn quantize_ggml(src: &Path, out: &Path, weights: Weights) -> Result<u64, ModelError> {
    let info = inspect_ggml(src)?;
    let ftype = info.hparams.ftype;
    if ftype.rem_euclid(1000) > 1 {
        return Err(ModelError::Unsupported {
            path: src.to_path_buf(),
            reason: format!(
                "its weights are already quantised (ftype {ftype}); quantise from the f16 model \
                 (`callgrade model install NAME` installs it)"
            ),
        });
    }
    let first = info
        .tensors
        .first()
        .map(|t| t.offset - header_len(t))
        .unwrap_or(info.size);
    let io = |action, e| ModelError::io(action, src, e);
    write_atomically(
        out,
        |w, tmp| {
            let wr = |r: std::io::Result<()>| r.map_err(|e| ModelError::io("write", tmp, e));
            let mut f = File::open(src).map_err(|e| io("open", e))?;
            let mut head = vec![0u8; first as usize];
            f.read_exact(&mut head).map_err(|e| io("read", e))?;
            head[FTYPE_OFFSET..FTYPE_OFFSET + 4].copy_from_slice(&weights.ftype().to_le_bytes());
            wr(w.write_all(&head))?;
            for t in &info.tensors {
                let mut data = vec![0u8; t.nbytes as usize];
                f.seek(SeekFrom::Start(t.offset))
                    .and_then(|_| f.read_exact(&mut data))
                    .map_err(|e| io("read", e))?;
                let mut code = t.ttype.code;
                if (t.ttype == F16 || t.ttype == F32) && weights.quantizes(&t.name, t.dims.len()) {
                    let values = if t.ttype == F16 {
                        f16_bytes_to_f32(&data)
                    } else {
                        data.chunks_exact(4)
                            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                            .collect()
                    };
                    data = weights
                        .quantize(&values)
                        .ok_or_else(|| not_in_blocks(src, &t.name, &t.dims, weights))?;
                    code = weights.tensor_code();
                }
                wr(put_i32(w, t.dims.len() as i32))?;
                wr(put_i32(w, t.name.len() as i32))?;
                wr(put_i32(w, code))?;
                for &n in t.dims.iter().rev() {
                    wr(put_i32(w, n as i32))?;
                }
                wr(w.write_all(t.name.as_bytes()))?;
                wr(w.write_all(&data))?;
            }
            Ok(())
        },
        |tmp| inspect_ggml(tmp).map(drop),
    )?;
    super::install::size(out)
}
