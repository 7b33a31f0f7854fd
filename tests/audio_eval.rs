//! Ring counts against the labelled calls in `../shared/eval` (beside the clone in CI), and a
//! printout of speech regions for two calls (`--nocapture`) so they can be checked by ear.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use callgrade::audio::{self, AudioSettings, StaffChannel};

/// (wav path, staff channel, labelled rings) for every labelled call in every set.
fn labelled_calls(eval: &Path) -> Vec<(PathBuf, StaffChannel, u32)> {
    let mut calls = Vec::new();
    let mut sets: Vec<_> = std::fs::read_dir(eval).unwrap().flatten().collect();
    sets.sort_by_key(|e| e.path());
    for set in sets {
        let labels_path = set.path().join("labels.json");
        let Ok(text) = std::fs::read_to_string(&labels_path) else {
            continue;
        };
        let labels: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        let mut batches: Vec<_> = std::fs::read_dir(set.path()).unwrap().flatten().collect();
        batches.sort_by_key(|e| e.path());
        for batch in batches {
            let Ok(manifest) = std::fs::read_to_string(batch.path().join("manifest.csv")) else {
                continue;
            };
            let mut lines = manifest.lines();
            let header: Vec<&str> = lines.next().unwrap().split(',').collect();
            let col = |name: &str| header.iter().position(|h| h.trim() == name).unwrap();
            let (file_col, staff_col) = (col("file"), col("staff_channel"));
            for line in lines.filter(|l| !l.trim().is_empty()) {
                let fields: Vec<&str> = line.split(',').collect();
                let file = fields[file_col].trim();
                let Some(rings) = labels.get(file).and_then(|l| l["rings"].as_u64()) else {
                    continue;
                };
                let staff = match fields[staff_col].trim() {
                    "left" => StaffChannel::Left,
                    "right" => StaffChannel::Right,
                    _ => StaffChannel::Mono,
                };
                calls.push((batch.path().join(file), staff, rings as u32));
            }
        }
    }
    calls
}

#[test]
fn ring_counts_agree_with_labels() {
    let eval = common::eval_dir();
    let calls = labelled_calls(&eval);
    assert!(
        !calls.is_empty(),
        "no labelled calls under {}",
        eval.display()
    );
    let settings = AudioSettings::default();
    let mut disagreements = Vec::new();
    for (path, staff, expected) in &calls {
        let facts = audio::load(path, *staff, &settings)
            .unwrap_or_else(|e| panic!("{e}"))
            .facts;
        let mark = if facts.rings == *expected {
            "ok"
        } else {
            "DIFFERS"
        };
        eprintln!(
            "{:<60} label {expected}  measured {}  {mark}",
            path.strip_prefix(&eval).unwrap_or(path).display(),
            facts.rings
        );
        if facts.rings != *expected {
            disagreements.push(format!("{}: {} vs {expected}", path.display(), facts.rings));
        }
    }
    eprintln!(
        "ring agreement: {}/{}",
        calls.len() - disagreements.len(),
        calls.len()
    );
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn speech_regions_of_two_eval_calls() {
    let eval = common::eval_dir();
    let settings = AudioSettings::default();
    for (rel, staff) in [
        ("public-en/2026Q4/call002.wav", StaffChannel::Right),
        ("public-zh/2026Q4/call004.wav", StaffChannel::Mono),
    ] {
        let path = eval.join(rel);
        let f = audio::load(&path, staff, &settings).unwrap().facts;
        eprintln!(
            "{rel}: {:.2} s, rings {}, first staff speech {:?}",
            f.duration, f.rings, f.first_staff_speech
        );
        for r in &f.speech {
            eprintln!("  {:6.2} – {:6.2}  {:?}", r.start, r.end, r.speaker);
        }
        let first = f.first_staff_speech.expect("staff speaks");
        let last_ring_end = f.ringback.last().map_or(0.0, |b| b.end);
        assert!(first > last_ring_end, "{rel}: speech before the last ring");
        let talk: f64 = f.speech.iter().map(|r| r.end - r.start).sum();
        assert!(
            talk > 0.4 * (f.duration - first),
            "{rel}: only {talk:.1} s of speech"
        );
        assert!(f.speech.iter().all(|r| r.end <= f.duration + 1e-9));
    }
}
