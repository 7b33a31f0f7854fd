//! The bundled demo quarters and what each call should get. Next to each set's recordings,
//! `expected.toml` holds every call's rings, verdicts and score (the set's README states the
//! same, and `demo_golden` checks both), and `lines.tsv`, written by
//! `scripts/make-demo-recordings.sh`, holds every line spoken, by whom and when.

use callgrade::audio::StaffChannel;
use callgrade::pipeline::{FileScope, Manifest, ManifestRow};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The folders under `recordings/` that `make demo` scores.
pub const SETS: [&str; 3] = ["demo-2026Q3", "demo", "demo-zh"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub campaign: String,
    pub rubric: String,
    pub call: Vec<ExpectedCall>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedCall {
    pub file: String,
    /// Ringback bursts before the staff answers.
    pub rings: u32,
    /// Criteria the call was built to fail: a perfect transcript fails exactly these.
    pub fails: Vec<String>,
    /// Further criteria that fail because Whisper (base) mishears a line.
    #[serde(default)]
    pub misheard: Vec<String>,
    /// The score `make demo` gives.
    pub score: f64,
}

impl ExpectedCall {
    /// What `make demo` fails: the built-in faults and the mishearings.
    pub fn failed_in_demo(&self) -> BTreeSet<String> {
        self.fails.iter().chain(&self.misheard).cloned().collect()
    }
}

/// One line spoken in a demo call.
#[derive(Debug, Clone)]
pub struct Line {
    pub file: String,
    /// `staff` or `caller`.
    pub speaker: String,
    pub start: f64,
    pub end: f64,
    pub text: String,
}

pub fn dir(set: &str) -> PathBuf {
    super::repo().join("recordings").join(set)
}

pub fn expected(set: &str) -> Expected {
    let path = dir(set).join("expected.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn manifest(set: &str) -> Manifest {
    Manifest::load(&dir(set).join("manifest.csv"), FileScope::ManifestFolder).unwrap()
}

/// The manifest row of `file`.
pub fn row<'a>(manifest: &'a Manifest, file: &str) -> &'a ManifestRow {
    manifest
        .rows
        .iter()
        .find(|r| r.file == file)
        .unwrap_or_else(|| panic!("{file} is not in {}", manifest.path.display()))
}

/// Every line of `lines.tsv`, in file order.
pub fn lines(set: &str) -> Vec<Line> {
    let path = dir(set).join("lines.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "{}: {l}", path.display());
            Line {
                file: f[0].to_string(),
                speaker: f[1].to_string(),
                start: f[2].parse().unwrap(),
                end: f[3].parse().unwrap(),
                text: f[4].to_string(),
            }
        })
        .collect()
}

/// The lines of one call.
pub fn lines_of(set: &str, file: &str) -> Vec<Line> {
    let lines: Vec<Line> = lines(set).into_iter().filter(|l| l.file == file).collect();
    assert!(!lines.is_empty(), "no lines for {file} in {set}/lines.tsv");
    lines
}

pub fn is_stereo(row: &ManifestRow) -> bool {
    row.staff_channel != StaffChannel::Mono
}
