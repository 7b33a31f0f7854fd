//! NaN/Inf detection in stored float weights. A model whose data was overwritten keeps every
//! size intact, so only its values give it away; Whisper never has non-finite weights.

use super::error::ModelError;
use std::io::Read;
use std::path::Path;

/// A stored float format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Float {
    F32,
    F16,
    Bf16,
}

impl Float {
    fn width(self) -> usize {
        match self {
            Float::F32 => 4,
            Float::F16 | Float::Bf16 => 2,
        }
    }

    /// True when the little-endian value in `b` has an all-ones exponent (NaN or ±Inf).
    fn non_finite(self, b: &[u8]) -> bool {
        match self {
            Float::F32 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]) & 0x7f80_0000 == 0x7f80_0000,
            Float::F16 => u16::from_le_bytes([b[0], b[1]]) & 0x7c00 == 0x7c00,
            Float::Bf16 => u16::from_le_bytes([b[0], b[1]]) & 0x7f80 == 0x7f80,
        }
    }
}

/// Reads `data` to its end and fails, naming `path` and `tensor`, at the first non-finite
/// value.
pub fn check_stream(
    data: &mut dyn Read,
    kind: Float,
    path: &Path,
    tensor: &str,
) -> Result<(), ModelError> {
    let width = kind.width();
    let mut buf = vec![0u8; 1 << 20];
    let mut index = 0usize;
    loop {
        let n = read_full(data, &mut buf).map_err(|e| ModelError::io("read", path, e))?;
        if let Some(at) = buf[..n - n % width]
            .chunks_exact(width)
            .position(|v| kind.non_finite(v))
        {
            return Err(ModelError::bad(
                path,
                format!(
                    "tensor {tensor} holds NaN or infinite values (from element {}): its weights \
                     are damaged. Get an undamaged copy of the model",
                    index + at
                ),
            ));
        }
        index += n / width;
        if n < buf.len() {
            return Ok(());
        }
    }
}

/// Fills `buf` as far as `data` allows; fewer bytes than `buf.len()` means the end.
fn read_full(data: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match data.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nan_and_inf_in_each_format() {
        let ok: Vec<u8> = [1.0f32, -2.5, 0.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert!(check_stream(&mut &ok[..], Float::F32, Path::new("m"), "t").is_ok());
        let bad: Vec<u8> = [1.0f32, f32::NAN]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let msg = check_stream(&mut &bad[..], Float::F32, Path::new("m.bin"), "t.w")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("m.bin") && msg.contains("t.w") && msg.contains("element 1"),
            "{msg}"
        );
        let inf = half::f16::INFINITY.to_le_bytes();
        assert!(check_stream(&mut &inf[..], Float::F16, Path::new("m"), "t").is_err());
        let max = half::f16::MAX.to_le_bytes();
        assert!(check_stream(&mut &max[..], Float::F16, Path::new("m"), "t").is_ok());
        let bf_nan = [0xc0u8, 0x7f];
        assert!(check_stream(&mut &bf_nan[..], Float::Bf16, Path::new("m"), "t").is_err());
    }
}
