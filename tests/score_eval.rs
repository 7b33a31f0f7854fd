//! Offline agreement check: rebuild each labelled call's transcript from `staff_lines`
//! (exactly what the staff said), interleave the caller's script as a mono recording would,
//! and compare the scorer's verdicts with the human labels. This checks the scoring logic, not
//! Whisper; the phrase lists are not tuned to these files.
//!
//! The eval sets live in `../shared/eval` next to the repository; without them this test
//! says so and passes.

mod common;

use callgrade::audio::{AudioFacts, Speaker, SpeechRegion};
use callgrade::score::{Rubric, Scenarios, score_call};
use callgrade::transcribe::Segment;

fn eval_dir() -> std::path::PathBuf {
    common::eval_dir()
}

/// Lines after which the staff is back from a hold; a silence is placed before them.
fn resumes_after_hold(line: &str) -> bool {
    let l = line.trim().trim_end_matches(['.', '。']).to_lowercase();
    matches!(
        l.as_str(),
        "ok" | "好" | "讓您久等了" | "thank you for waiting"
    )
}

fn build_call(
    lines: &[String],
    caller: &[String],
    rings: u32,
    zh: bool,
) -> (Vec<Segment>, AudioFacts) {
    let mut t = f64::from(rings) * 3.0;
    let first = t;
    let mut segs = Vec::new();
    let mut speech = Vec::new();
    let dur = |s: &str| {
        if zh {
            s.chars().count() as f64 * 0.22 + 0.3
        } else {
            s.split_whitespace().count() as f64 * 0.35 + 0.3
        }
    };
    let push =
        |text: &str, t: &mut f64, segs: &mut Vec<Segment>, speech: &mut Vec<SpeechRegion>| {
            let d = dur(text);
            segs.push(Segment {
                speaker: Speaker::Unknown,
                start: *t,
                end: *t + d,
                text: text.to_string(),
                invented: false,
            });
            speech.push(SpeechRegion {
                start: *t,
                end: *t + d,
                speaker: Speaker::Unknown,
            });
            *t += d + 0.8;
        };
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && i + 1 < lines.len() && resumes_after_hold(line) {
            t += 12.0;
        }
        push(line, &mut t, &mut segs, &mut speech);
        if i == 0 {
            for c in caller {
                push(c, &mut t, &mut segs, &mut speech);
            }
        }
    }
    // Whisper's first segment often starts inside the ringback.
    if let Some(s) = segs.first_mut() {
        s.start = 0.0;
    }
    let audio = AudioFacts {
        duration: t + 1.0,
        channels: 1,
        source_rate: 8000,
        rings,
        ringback: Vec::new(),
        speech,
        first_staff_speech: Some(first),
    };
    (segs, audio)
}

fn agreement(set: &str, zh: bool) -> Option<(usize, usize, Vec<String>)> {
    let dir = eval_dir().join(set);
    let rubric = Rubric::load(&dir.join("rubric.toml")).expect("rubric");
    let scenarios = Scenarios::load_dir(&dir.join("scenarios")).expect("scenarios");
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("labels.json")).unwrap()).unwrap();
    let manifest = std::fs::read_to_string(dir.join("2026Q4/manifest.csv")).unwrap();
    let staff_of = |file: &str| {
        manifest
            .lines()
            .find(|l| l.starts_with(file))
            .and_then(|l| l.split(',').nth(1))
            .map(str::to_string)
    };
    let (mut agree, mut total, mut misses) = (0, 0, Vec::new());
    for (file, lab) in labels.as_object().unwrap() {
        let sc = scenarios.get(lab["scenario"].as_str().unwrap());
        let lines: Vec<String> = lab["staff_lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let caller: Vec<String> = sc
            .map(|s| s.caller_script.iter().map(|p| p.text.clone()).collect())
            .unwrap_or_default();
        let (segs, audio) = build_call(&lines, &caller, lab["rings"].as_u64().unwrap() as u32, zh);
        let name = staff_of(file);
        let score = score_call(&rubric, sc, &segs, &audio, name.as_deref());
        for c in &score.criteria {
            let Some(want) = lab.get(&c.id).and_then(|v| v.as_bool()) else {
                continue;
            };
            total += 1;
            if c.verdict.passed() == want {
                agree += 1;
            } else {
                misses.push(format!(
                    "{set}/{file} {}: want {want}, got {} — {}",
                    c.id,
                    c.verdict.passed(),
                    c.reason
                ));
            }
        }
    }
    Some((agree, total, misses))
}

#[test]
fn verdicts_agree_with_labels_on_clean_transcripts() {
    for (set, zh) in [("public-zh", true), ("public-en", false)] {
        let Some((agree, total, misses)) = agreement(set, zh) else {
            continue;
        };
        for m in &misses {
            eprintln!("{m}");
        }
        eprintln!("{set}: {agree}/{total} verdicts agree");
        assert!(total > 0);
        assert!(
            agree as f64 / total as f64 >= 0.97,
            "{set}: only {agree}/{total} verdicts agree"
        );
    }
}
