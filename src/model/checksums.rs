//! `checksums.json` in the models directory: the sha256 of each model file as installed, so
//! a file that was changed, damaged or half-copied afterwards is noticed before use.

use super::error::ModelError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// File name of the record inside the models directory.
pub const CHECKSUMS_FILE: &str = "checksums.json";

/// Lower-case hex sha256 of a file, read in 1 MiB pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    sha256_reader(std::fs::File::open(path)?).map(|(sha, _)| sha)
}

/// SHA-256 (lowercase hex) of everything `reader` yields, and how many bytes that was.
pub fn sha256_reader(mut reader: impl Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), total))
}

/// What was recorded for one model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub sha256: String,
    pub size: u64,
    /// Where the file came from (packages or the imported path), for people reading the file.
    #[serde(default)]
    pub source: String,
}

/// File name → record.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Checksums {
    pub models: BTreeMap<String, Recorded>,
}

fn path_in(dir: &Path) -> PathBuf {
    dir.join(CHECKSUMS_FILE)
}

impl Checksums {
    /// Reads the record; a missing file means nothing is recorded yet.
    pub fn load(dir: &Path) -> Result<Checksums, ModelError> {
        let path = path_in(dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                ModelError::bad(
                    &path,
                    format!("it is not valid JSON ({e}); delete it and install the models again"),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Checksums::default()),
            Err(e) => Err(ModelError::io("read", path, e)),
        }
    }

    /// Writes the record through a temporary file, so a crash never leaves half a JSON.
    pub fn save(&self, dir: &Path) -> Result<(), ModelError> {
        let path = path_in(dir);
        let tmp = dir.join(format!("{CHECKSUMS_FILE}.partial"));
        let text = serde_json::to_string_pretty(self).expect("checksums serialise");
        std::fs::write(&tmp, text + "\n").map_err(|e| ModelError::io("write", &tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| ModelError::io("write", &path, e))
    }
}
