//! Opening a recording named in a manifest, the one way both hashing and decoding read it.
//!
//! A manifest line can point at anything: a pipe, `/dev/zero`, a folder, a file still growing.
//! Opening a pipe blocks until something writes to it and a device never ends, so the kind of
//! file and its size are checked before any byte is read, and every read stops one byte past
//! the size limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::error::AudioError;
use super::settings::AudioSettings;

/// Open `path` if it is a regular file (after following symlinks) of 1 to `max_bytes` bytes.
/// Returns the file and its size.
pub fn open_recording(path: &Path, settings: &AudioSettings) -> Result<(File, u64), AudioError> {
    let file = || path.to_path_buf();
    let open_err = |source| AudioError::Open {
        file: file(),
        source,
    };
    // Checked before opening: opening a pipe would block until someone writes to it.
    let meta = std::fs::metadata(path).map_err(open_err)?;
    if !meta.is_file() {
        return Err(AudioError::NotRegularFile { file: file() });
    }
    let handle = File::open(path).map_err(open_err)?;
    // The path may have been swapped between the check and the open; judge what was opened.
    let meta = handle.metadata().map_err(open_err)?;
    if !meta.is_file() {
        return Err(AudioError::NotRegularFile { file: file() });
    }
    let size = meta.len();
    if size == 0 {
        return Err(AudioError::Empty { file: file() });
    }
    check_size(path, size, settings)?;
    Ok((handle, size))
}

/// The whole recording in memory, read through [`open_recording`].
pub(crate) fn read_recording(path: &Path, settings: &AudioSettings) -> Result<Vec<u8>, AudioError> {
    let (handle, size) = open_recording(path, settings)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    bounded(handle, settings)
        .read_to_end(&mut bytes)
        .map_err(|source| AudioError::Open {
            file: path.to_path_buf(),
            source,
        })?;
    check_size(path, bytes.len() as u64, settings)?;
    Ok(bytes)
}

/// Lower-case hex sha256 of the recording, read through [`open_recording`] in 1 MiB pieces.
pub fn sha256_recording(path: &Path, settings: &AudioSettings) -> Result<String, AudioError> {
    let (handle, _) = open_recording(path, settings)?;
    let (sha, total) =
        crate::model::sha256_reader(bounded(handle, settings)).map_err(|source| {
            AudioError::Open {
                file: path.to_path_buf(),
                source,
            }
        })?;
    check_size(path, total, settings)?;
    Ok(sha)
}

/// One byte past the limit is enough to tell that a file grew beyond it while being read.
fn bounded(handle: File, settings: &AudioSettings) -> std::io::Take<File> {
    handle.take(settings.max_bytes.saturating_add(1))
}

fn check_size(path: &Path, bytes: u64, settings: &AudioSettings) -> Result<(), AudioError> {
    if bytes > settings.max_bytes {
        return Err(AudioError::TooLarge {
            file: path.to_path_buf(),
            bytes,
            limit: settings.max_bytes,
        });
    }
    Ok(())
}
