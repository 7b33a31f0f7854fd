//! Tests as data: every `tests/fixtures/score/*.json` is a small transcript with audio facts
//! and the verdicts expected under a shipped rubric. Add a file when a new misrecognition
//! shows up; the test needs no change.

use callgrade::audio::{AudioFacts, Speaker, SpeechRegion, VoiceTag};
use callgrade::score::{Rubric, Scenario, score_call};
use callgrade::transcribe::Segment;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(untagged)]
enum Region {
    Plain(f64, f64),
    Labelled(f64, f64, Speaker),
}

#[derive(Deserialize)]
struct Audio {
    rings: u32,
    first_staff_speech: Option<f64>,
    #[serde(default)]
    speech: Vec<Region>,
    /// Mono voice groups, one `[voice, confidence]` per speech region.
    #[serde(default)]
    voices: Vec<(u8, f64)>,
}

#[derive(Deserialize)]
struct Fixture {
    rubric: String,
    scenario: Option<String>,
    staff_name: Option<String>,
    audio: Audio,
    segments: Vec<Segment>,
    expect: BTreeMap<String, bool>,
    #[serde(default)]
    not_applicable: Vec<String>,
    #[serde(default)]
    points: BTreeMap<String, f64>,
    #[serde(default)]
    reasons: BTreeMap<String, String>,
    /// Criteria whose `needs_review` mark is expected (true) or must be absent (false).
    #[serde(default)]
    needs_review: BTreeMap<String, bool>,
    score: Option<f64>,
    grade: Option<String>,
}

fn run(path: &Path, root: &Path) -> Vec<String> {
    let fx: Fixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rubric = Rubric::load(&root.join(&fx.rubric)).unwrap();
    let scenario = fx
        .scenario
        .as_ref()
        .map(|s| Scenario::load(&root.join(s)).unwrap());
    let speech: Vec<SpeechRegion> = fx
        .audio
        .speech
        .iter()
        .map(|r| match *r {
            Region::Plain(start, end) => SpeechRegion {
                start,
                end,
                speaker: Speaker::Unknown,
            },
            Region::Labelled(start, end, speaker) => SpeechRegion {
                start,
                end,
                speaker,
            },
        })
        .collect();
    let audio = AudioFacts {
        duration: 60.0,
        channels: 1,
        source_rate: 8000,
        rings: fx.audio.rings,
        ringback: Vec::new(),
        first_staff_speech: fx.audio.first_staff_speech,
        voices: fx
            .audio
            .voices
            .iter()
            .zip(&speech)
            .map(|(&(voice, confidence), r)| VoiceTag {
                start: r.start,
                end: r.end,
                voice,
                confidence,
            })
            .collect(),
        speech,
        whole_side: Vec::new(),
    };
    let score = score_call(
        &rubric,
        scenario.as_ref(),
        &fx.segments,
        &audio,
        fx.staff_name.as_deref(),
    );
    let name = path.file_name().unwrap().to_string_lossy();
    let mut problems = Vec::new();
    let get = |id: &str| score.criteria.iter().find(|c| c.id == id);
    for (id, want) in &fx.expect {
        match get(id) {
            None => problems.push(format!("{name}: no criterion {id}")),
            Some(c) if c.verdict.passed() != *want => problems.push(format!(
                "{name}: {id} expected {want}, got {} ({})",
                c.verdict.passed(),
                c.reason
            )),
            Some(_) => {}
        }
    }
    for id in &fx.not_applicable {
        if get(id).is_none_or(|c| c.verdict.applicable()) {
            problems.push(format!("{name}: {id} should be not applicable"));
        }
    }
    for (id, pts) in &fx.points {
        if let Some(c) = get(id)
            && (c.points - pts).abs() > 1e-6
        {
            problems.push(format!(
                "{name}: {id} expected {pts} points, got {}",
                c.points
            ));
        }
    }
    for (id, want) in &fx.needs_review {
        if let Some(c) = get(id)
            && c.needs_review != *want
        {
            problems.push(format!(
                "{name}: {id} needs_review {}, expected {want} (confidence {:?})",
                c.needs_review, c.confidence
            ));
        }
    }
    for (id, reason) in &fx.reasons {
        if let Some(c) = get(id)
            && &c.reason != reason
        {
            problems.push(format!(
                "{name}: {id} reason {:?}, expected {reason:?}",
                c.reason
            ));
        }
    }
    if let Some(s) = fx.score
        && (score.score - s).abs() > 1e-6
    {
        problems.push(format!("{name}: score {} expected {s}", score.score));
    }
    if let Some(g) = &fx.grade
        && &score.grade != g
    {
        problems.push(format!("{name}: grade {} expected {g}", score.grade));
    }
    // Every verdict carries a reason and passing phrase checks carry evidence.
    for c in &score.criteria {
        if c.reason.is_empty() {
            problems.push(format!("{name}: {} has no reason", c.id));
        }
    }
    problems
}

#[test]
fn fixtures_give_expected_verdicts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/score"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    let problems: Vec<String> = files.iter().flat_map(|f| run(f, root)).collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
