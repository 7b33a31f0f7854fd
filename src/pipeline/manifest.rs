//! The manifest: one CSV row per recorded call (`file,staff,unit,scenario,called_at,staff_channel`).

use crate::audio::StaffChannel;
use std::path::{Path, PathBuf};

/// One call listed in a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestRow {
    /// As written in the manifest (relative to the manifest's folder); the call's key in a campaign.
    pub file: String,
    /// Resolved path to the recording.
    pub path: PathBuf,
    pub staff: String,
    pub unit: String,
    pub scenario: String,
    pub called_at: String,
    pub staff_channel: StaffChannel,
    /// 1-based line in the CSV, for messages.
    pub line: usize,
}

/// A parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub path: PathBuf,
    pub rows: Vec<ManifestRow>,
}

/// Why a manifest could not be read; names the file and line and says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{path}: cannot read the manifest: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: the header lacks the column `{column}`. The first line must be: file,staff,unit,scenario,called_at,staff_channel"
    )]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("{path}:{line}: {message}")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: the manifest lists no calls. Add one line per recording under the header.")]
    Empty { path: PathBuf },
}

const COLUMNS: [&str; 6] = [
    "file",
    "staff",
    "unit",
    "scenario",
    "called_at",
    "staff_channel",
];

impl Manifest {
    /// Reads and checks a manifest; `file` entries are resolved against the manifest's folder.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read(path).map_err(|source| ManifestError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Manifest::parse(path, &text)
    }

    /// Parses manifest bytes as if read from `path` (used for messages and to resolve files).
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Manifest, ManifestError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's UTF-8 BOM
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(bytes);
        let row_err = |line: usize, message: String| ManifestError::Row {
            path: path.to_path_buf(),
            line,
            message,
        };
        let header = reader
            .headers()
            .map_err(|e| row_err(1, e.to_string()))?
            .clone();
        let mut index = [0usize; 6];
        for (slot, column) in index.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(column))
                .ok_or(ManifestError::MissingColumn {
                    path: path.to_path_buf(),
                    column,
                })?;
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut rows = Vec::new();
        for record in reader.records() {
            // csv's own line count skips blank lines, and a record's position is where its
            // parse began (before blank lines it skipped): count newlines to the first field.
            let line_at = |p: Option<&csv::Position>| {
                p.map_or(0, |p| {
                    let mut at = (p.byte() as usize).min(bytes.len());
                    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                        at += 1;
                    }
                    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
                })
            };
            let record = record.map_err(|e| row_err(line_at(e.position()), e.to_string()))?;
            let line = line_at(record.position());
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            let field = |i: usize| record.get(index[i]).unwrap_or("").to_string();
            let file = field(0);
            if file.is_empty() {
                return Err(row_err(line, "the `file` column is empty".into()));
            }
            let channel = field(5);
            let staff_channel = match channel.to_ascii_lowercase().as_str() {
                "" | "mono" => StaffChannel::Mono,
                "left" => StaffChannel::Left,
                "right" => StaffChannel::Right,
                other => {
                    return Err(row_err(
                        line,
                        format!(
                            "staff_channel is `{other}`; use mono, left or right (the side the staff member is recorded on)"
                        ),
                    ));
                }
            };
            rows.push(ManifestRow {
                path: dir.join(&file),
                file,
                staff: field(1),
                unit: field(2),
                scenario: field(3),
                called_at: field(4),
                staff_channel,
                line,
            });
        }
        if rows.is_empty() {
            return Err(ManifestError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            rows,
        })
    }
}

/// The manifest spelling of a staff channel.
pub fn channel_name(c: StaffChannel) -> &'static str {
    match c {
        StaffChannel::Mono => "mono",
        StaffChannel::Left => "left",
        StaffChannel::Right => "right",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_resolves_files() {
        let m = Manifest::parse(
            Path::new("/data/q4/manifest.csv"),
            "\u{feff}file,staff,unit,scenario,called_at,staff_channel\na.wav,林,行政課,hours,2026-10-01T10:00:00,right\n\nb.wav,王,活動課,hours,,\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.rows[0].path, Path::new("/data/q4/a.wav"));
        assert_eq!(m.rows[0].staff_channel, StaffChannel::Right);
        assert_eq!(m.rows[1].staff_channel, StaffChannel::Mono);
        assert_eq!(m.rows[1].line, 4);
    }

    #[test]
    fn bad_channel_names_the_line() {
        let err = Manifest::parse(
            Path::new("m.csv"),
            b"file,staff,unit,scenario,called_at,staff_channel\na.wav,x,y,z,t,both\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("m.csv:2:"), "{err}");
        assert!(err.contains("mono, left or right"), "{err}");
    }

    #[test]
    fn missing_column_is_named() {
        let err = Manifest::parse(Path::new("m.csv"), b"file,staff\na.wav,x\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`unit`"), "{err}");
    }
}
