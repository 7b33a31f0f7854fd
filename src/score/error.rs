//! Errors for rubric and scenario files, always pointing at `file:line:column`.

use std::ops::Range;
use std::path::Path;

/// A rubric or scenario file that cannot be used. The message names the file, the place in it
/// and what to change.
#[derive(Debug, thiserror::Error)]
pub enum ScoreFileError {
    #[error(
        "{path}: cannot read the file ({source}); check the path and that the file is readable"
    )]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Folder { path: String, message: String },
}

impl ScoreFileError {
    /// An error at byte offset `span.start` of `text` (1-based line and column, columns in
    /// characters so they match what an editor shows for Chinese text).
    pub(crate) fn at(
        origin: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let offset = span.map_or(0, |s| s.start).min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ScoreFileError::Invalid {
            path: origin.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    pub(crate) fn read(path: &Path, source: std::io::Error) -> Self {
        ScoreFileError::Read {
            path: path.display().to_string(),
            source,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Turns a TOML syntax or shape error into a located message.
pub(crate) fn from_toml(origin: &str, text: &str, err: &toml::de::Error) -> ScoreFileError {
    let msg = err.message().trim_end().replace('\n', " ");
    ScoreFileError::at(origin, text, err.span(), msg)
}
