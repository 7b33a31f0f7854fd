//! Ring counts and speech regions of the bundled demo calls against what the script built:
//! `rings` in each set's `expected.toml`, line times in its `lines.tsv`. Printouts
//! (`--nocapture`) let the regions be checked by ear.

mod common;

use callgrade::audio::{self, AudioSettings};
use common::demo;

#[test]
fn ring_counts_agree_with_the_demo_scripts() {
    let settings = AudioSettings::default();
    let mut calls = 0;
    let mut disagreements = Vec::new();
    for set in demo::SETS {
        let manifest = demo::manifest(set);
        for call in demo::expected(set).call {
            let row = demo::row(&manifest, &call.file);
            let facts = audio::load(
                &row.path,
                row.staff_channel,
                &settings,
                common::speech_finder(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
            .facts;
            let mark = if facts.rings == call.rings {
                "ok"
            } else {
                "DIFFERS"
            };
            eprintln!(
                "{set}/{:<45} built {}  measured {}  {mark}",
                call.file, call.rings, facts.rings
            );
            calls += 1;
            if facts.rings != call.rings {
                disagreements.push(format!(
                    "{set}/{}: {} vs {}",
                    call.file, facts.rings, call.rings
                ));
            }
        }
    }
    assert!(calls >= 16, "only {calls} demo calls");
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

/// One stereo English call and one mono Mandarin call: the staff's first words are found where
/// the script put them, after the last ring, and every scripted line lies mostly in speech.
#[test]
fn speech_regions_follow_the_script() {
    let settings = AudioSettings::default();
    for (set, file) in [
        ("demo", "call03-grace-developmental-assessment.wav"),
        ("demo-zh", "zh04-wang-subsidy-documents.wav"),
    ] {
        let row_manifest = demo::manifest(set);
        let row = demo::row(&row_manifest, file);
        let f = audio::load(
            &row.path,
            row.staff_channel,
            &settings,
            common::speech_finder(),
        )
        .unwrap()
        .facts;
        eprintln!(
            "{set}/{file}: {:.2} s, rings {}, first staff speech {:?}",
            f.duration, f.rings, f.first_staff_speech
        );
        for r in &f.speech {
            eprintln!("  {:6.2} – {:6.2}  {:?}", r.start, r.end, r.speaker);
        }
        let lines = demo::lines_of(set, file);
        let first = f.first_staff_speech.expect("staff speaks");
        let last_ring_end = f.ringback.last().map_or(0.0, |b| b.end);
        assert!(first > last_ring_end, "{file}: speech before the last ring");
        let scripted = lines.iter().find(|l| l.speaker == "staff").unwrap().start;
        assert!(
            (first - scripted).abs() < 0.5,
            "{file}: staff speech found at {first:.2} s, scripted at {scripted:.2} s"
        );
        for l in &lines {
            let covered: f64 = f
                .speech
                .iter()
                .map(|r| (r.end.min(l.end) - r.start.max(l.start)).max(0.0))
                .sum();
            assert!(
                covered > 0.5 * (l.end - l.start),
                "{file}: only {covered:.1} s of speech in {:.2}–{:.2} ({})",
                l.start,
                l.end,
                l.text
            );
        }
        assert!(f.speech.iter().all(|r| r.end <= f.duration + 1e-9));
    }
}
