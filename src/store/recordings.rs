//! Where a call's recording is, however the database is opened. `run` stores the path
//! relative to the database's folder when the recording is inside it (so a database copied
//! with its recordings folder still finds them) and absolute otherwise; databases written
//! before that hold paths relative to the folder `run` was started in, which are still tried.

use super::Store;
use std::path::{Component, Path, PathBuf};

/// Where a stored recording path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingPlace {
    /// A file is there.
    Found(PathBuf),
    /// Nothing is at `expected`, where the stored path says the recording should be.
    Missing { expected: PathBuf },
}

impl Store {
    /// The path `run` stores for the recording at `recording`.
    pub fn stored_recording_path(&self, recording: &Path) -> String {
        let file = lexical_absolute(recording);
        match file.strip_prefix(self.folder()) {
            Ok(inside) => inside.display().to_string(),
            Err(_) => file.display().to_string(),
        }
    }

    /// Finds the recording a call's stored `path` names: absolute as it is; relative beside
    /// the database, else (databases written before paths were relative to the database)
    /// from the current folder.
    pub fn locate_recording(&self, stored: &str) -> RecordingPlace {
        let path = Path::new(stored);
        let expected = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.folder().join(path)
        };
        if expected.exists() {
            return RecordingPlace::Found(expected);
        }
        if path.is_relative() && path.exists() {
            return RecordingPlace::Found(lexical_absolute(path));
        }
        RecordingPlace::Missing { expected }
    }

    /// The database's folder as an absolute path.
    fn folder(&self) -> PathBuf {
        let db = lexical_absolute(&self.path);
        db.parent().map(Path::to_path_buf).unwrap_or(db)
    }
}

/// `path` made absolute against the current folder with `.` and `..` resolved by name, not by
/// following links: a recordings folder that is a link stays where the user put it.
fn lexical_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recordings_inside_the_database_folder_are_stored_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("q4.db")).unwrap();
        let inside = dir.path().join("recordings/./a.wav");
        assert_eq!(
            store.stored_recording_path(&inside),
            Path::new("recordings").join("a.wav").display().to_string()
        );
        let outside = dir.path().join("../elsewhere/b.wav");
        let stored = store.stored_recording_path(&outside);
        assert!(Path::new(&stored).is_absolute(), "{stored}");
        assert!(!stored.contains(".."), "{stored}");

        std::fs::create_dir(dir.path().join("recordings")).unwrap();
        std::fs::write(dir.path().join("recordings/a.wav"), b"RIFF").unwrap();
        assert_eq!(
            store.locate_recording("recordings/a.wav"),
            RecordingPlace::Found(dir.path().join("recordings/a.wav"))
        );
        assert_eq!(
            store.locate_recording("recordings/gone.wav"),
            RecordingPlace::Missing {
                expected: lexical_absolute(&dir.path().join("recordings/gone.wav"))
            }
        );
    }
}
