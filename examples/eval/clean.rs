//! Agreement on clean transcripts: each labelled call's transcript is rebuilt from
//! `staff_lines` (exactly what the staff said), with the caller's script interleaved as a mono
//! recording would have it, and scored without Whisper. This measures the scoring logic alone.

use callgrade::audio::{AudioFacts, Speaker, SpeechRegion};
use callgrade::score::{Rubric, Scenarios, score_call};
use callgrade::transcribe::Segment;
use std::path::Path;

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
                tokens: Vec::new(),
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
        voices: Vec::new(),
        whole_side: Vec::new(),
    };
    (segs, audio)
}

/// (agreeing verdicts, verdicts, one line per miss) for the labelled set in `set`.
pub fn agreement(
    set: &Path,
    labels: &serde_json::Value,
) -> anyhow::Result<(usize, usize, Vec<String>)> {
    let rubric = Rubric::load(&set.join("rubric.toml"))?;
    let scenarios = Scenarios::load_dir(&set.join("scenarios"))?;
    let zh = rubric.language.code() == "zh";
    let manifest = std::fs::read_to_string(set.join("2026Q4/manifest.csv"))?;
    let staff_of = |file: &str| {
        manifest
            .lines()
            .find(|l| l.starts_with(file))
            .and_then(|l| l.split(',').nth(1))
            .map(str::to_string)
    };
    let (mut agree, mut total, mut misses) = (0, 0, Vec::new());
    for (file, lab) in labels.as_object().into_iter().flatten() {
        let Some(lines) = lab["staff_lines"].as_array() else {
            continue;
        };
        let lines: Vec<String> = lines
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let sc = lab["scenario"].as_str().and_then(|s| scenarios.get(s));
        let caller: Vec<String> = sc
            .map(|s| s.caller_script.iter().map(|p| p.text.clone()).collect())
            .unwrap_or_default();
        let rings = lab["rings"].as_u64().unwrap_or(0) as u32;
        let (segs, audio) = build_call(&lines, &caller, rings, zh);
        let score = score_call(&rubric, sc, &segs, &audio, staff_of(file).as_deref());
        for c in &score.criteria {
            let Some(want) = lab.get(&c.id).and_then(|v| v.as_bool()) else {
                continue;
            };
            let got = c.verdict.passed();
            total += 1;
            if got == want {
                agree += 1;
            } else {
                misses.push(format!(
                    "  {file} {} (clean): label {want}, got {got} ({})",
                    c.id, c.reason
                ));
            }
        }
    }
    Ok((agree, total, misses))
}
