//! The manifest: one CSV row per recorded call (`file,staff,unit,scenario,called_at,staff_channel`).

use crate::audio::StaffChannel;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

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
    #[error(
        "{path}:{line}: the manifest is not UTF-8 text (it looks like Big5 or another legacy encoding). Save it as UTF-8: in Excel, Save As → \"CSV UTF-8 (Comma delimited)\"."
    )]
    NotUtf8 { path: PathBuf, line: usize },
}

/// Where the recordings a manifest names may live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileScope {
    /// Only in the manifest's folder or below it (the default): a manifest passed around
    /// by e-mail cannot make callgrade read files elsewhere on the machine.
    ManifestFolder,
    /// Anywhere, including absolute paths and `..` (`run --allow-outside`).
    Anywhere,
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
    pub fn load(path: &Path, scope: FileScope) -> Result<Manifest, ManifestError> {
        let text = std::fs::read(path).map_err(|source| ManifestError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Manifest::parse(path, &text, scope)
    }

    /// Parses manifest bytes as if read from `path` (used for messages and to resolve files).
    pub fn parse(path: &Path, bytes: &[u8], scope: FileScope) -> Result<Manifest, ManifestError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's UTF-8 BOM
        let lines = LineIndex::new(bytes);
        if let Err(e) = std::str::from_utf8(bytes) {
            return Err(ManifestError::NotUtf8 {
                path: path.to_path_buf(),
                line: lines.line_of(e.valid_up_to()),
            });
        }
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
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut rows = Vec::new();
        let mut first_line_of: HashMap<PathBuf, usize> = HashMap::new();
        for record in reader.records() {
            // csv's own line count skips blank lines, and a record's position is where its
            // parse began (before blank lines it skipped): find the line of its first field.
            let line_at = |p: Option<&csv::Position>| p.map_or(0, |p| lines.record_line(p.byte()));
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
            let relative = Path::new(&file);
            let leaves = relative.is_absolute()
                || relative
                    .components()
                    .any(|c| matches!(c, Component::ParentDir));
            if leaves && scope == FileScope::ManifestFolder {
                return Err(row_err(
                    line,
                    format!(
                        "`{file}` is outside the manifest's folder. Move the recording into {} (or a folder below it) and list it from there, or run with --allow-outside if reading it there is intended.",
                        dir.display()
                    ),
                ));
            }
            // Two rows for one recording would be stored as one call, the later row silently
            // winning: refuse, naming both lines.
            let same: PathBuf = relative
                .components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect();
            if let Some(first) = first_line_of.insert(same, line) {
                return Err(row_err(
                    line,
                    format!(
                        "`{file}` is already listed on line {first}; list each recording once (remove one of the two rows)"
                    ),
                ));
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

/// Byte offsets of every line start, so that finding a record's line is a binary search
/// rather than a count from the top (which made 100,000-row manifests quadratic).
struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let newlines = bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n');
        let starts = std::iter::once(0).chain(newlines.map(|(i, _)| i + 1));
        LineIndex {
            bytes,
            starts: starts.collect(),
        }
    }

    /// 1-based line holding byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at)
    }

    /// Line of the record whose parse began at `byte`: blank lines before it are skipped.
    fn record_line(&self, byte: u64) -> usize {
        let mut at = (byte as usize).min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        self.line_of(at)
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
            FileScope::ManifestFolder,
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
            FileScope::ManifestFolder,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("m.csv:2:"), "{err}");
        assert!(err.contains("mono, left or right"), "{err}");
    }

    #[test]
    fn missing_column_is_named() {
        let err = Manifest::parse(
            Path::new("m.csv"),
            b"file,staff\na.wav,x\n",
            FileScope::ManifestFolder,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`unit`"), "{err}");
    }

    const HEADER: &str = "file,staff,unit,scenario,called_at,staff_channel\n";

    fn parse(body: &str, scope: FileScope) -> Result<Manifest, String> {
        Manifest::parse(
            Path::new("q4/m.csv"),
            format!("{HEADER}{body}").as_bytes(),
            scope,
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn a_recording_listed_twice_names_both_lines() {
        let err = parse(
            "a.wav,林,行政課,h,,\nb.wav,王,活動課,h,,\n\n./a.wav,陳,輔導課,h,,\n",
            FileScope::ManifestFolder,
        )
        .unwrap_err();
        assert!(err.starts_with("q4/m.csv:5:"), "{err}");
        assert!(err.contains("already listed on line 2"), "{err}");
    }

    #[test]
    fn files_outside_the_manifest_folder_need_allow_outside() {
        for file in ["../../etc/passwd", "/etc/passwd", "sub/../../x.wav"] {
            let err = parse(
                &format!("{file},林,行政課,h,,\n"),
                FileScope::ManifestFolder,
            )
            .unwrap_err();
            assert!(err.starts_with("q4/m.csv:2:"), "{err}");
            assert!(err.contains("--allow-outside"), "{err}");
            let m = parse(&format!("{file},林,行政課,h,,\n"), FileScope::Anywhere).unwrap();
            assert_eq!(m.rows[0].file, file);
        }
        assert!(parse("sub/a.wav,林,行政課,h,,\n", FileScope::ManifestFolder).is_ok());
    }

    #[test]
    fn a_big5_manifest_is_told_to_save_as_utf8() {
        // "林" in Big5 is 0xAA 0x4C.
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"a.wav,\xAA\x4C,x,h,,\n");
        let err = Manifest::parse(Path::new("m.csv"), &bytes, FileScope::ManifestFolder)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.csv:2:"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
    }

    #[test]
    fn a_hundred_thousand_rows_keep_their_line_numbers() {
        // Finding each record's line used to count from the top of the file: 100,000 rows
        // took 101 s. `make bench` prints the time; here the numbering must stay right.
        let body: String = (0..100_000)
            .map(|i| format!("c{i}.wav,s,u,h,,\n{}", if i % 7 == 0 { "\n" } else { "" }))
            .collect();
        let m = parse(&body, FileScope::ManifestFolder).unwrap();
        assert_eq!(m.rows.len(), 100_000);
        let last = m.rows.last().unwrap();
        assert_eq!(last.line, 100_000 + 1 + 99_999 / 7 + 1);
    }
}
