//! base on a labelled Mandarin eval call: the transcript is in Traditional characters and
//! holds the staff's greeting and agency name (loosely: Whisper may drop or swap a character).

mod transcribe_support;

use callgrade::audio::StaffChannel;
use callgrade::transcribe::traditional::to_traditional;
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use std::collections::HashMap;
use transcribe_support::{eval_dir, han, load, model};

const CALL: &str = "call009.wav";

#[test]
fn base_transcribes_a_mandarin_call_in_traditional_characters() {
    let set = eval_dir().join("public-zh");
    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(set.join("labels.json")).unwrap()).unwrap();
    let staff_lines: Vec<String> = labels[CALL]["staff_lines"]
        .as_array()
        .expect("staff_lines in labels.json")
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();

    let transcriber =
        Transcriber::new(&model("ggml-base.bin"), TranscribeSettings::default()).unwrap();
    let audio = load(&set.join("2026Q4").join(CALL), StaffChannel::Mono);
    let transcript = transcriber
        .transcribe(&audio, &Request::new("zh", 2))
        .unwrap();
    for s in &transcript.segments {
        println!(
            "{:6.2}-{:6.2} {} {}",
            s.start,
            s.end,
            if s.invented { "×" } else { " " },
            s.text
        );
    }
    println!("{:?}", transcript.quality);
    let heard: String = transcript
        .segments
        .iter()
        .filter(|s| !s.invented)
        .map(|s| s.text.as_str())
        .collect();

    // Traditional: converting again changes nothing, and Traditional-only forms appear.
    assert_eq!(
        to_traditional(&heard).unwrap(),
        heard,
        "Simplified characters left"
    );
    assert!(
        heard.contains('務') || heard.contains('您') && heard.contains('謝'),
        "no Traditional forms in {heard}"
    );

    // The greeting line's agency and greeting words, loosely.
    let terms = ["兒童", "福利", "服務", "中心", "午安", "您好", "高興"];
    let found: Vec<&str> = terms
        .iter()
        .copied()
        .filter(|t| heard.contains(t))
        .collect();
    println!("terms found: {found:?}");
    assert!(found.len() >= 4, "only {found:?} of {terms:?} in {heard}");

    // Character recall over everything the staff said.
    let mut have: HashMap<char, usize> = HashMap::new();
    for c in han(&heard) {
        *have.entry(c).or_default() += 1;
    }
    let wanted = han(&staff_lines.concat());
    let hit = wanted
        .iter()
        .filter(|c| match have.get_mut(c) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    let recall = hit as f64 / wanted.len() as f64;
    println!("staff character recall {:.0}%", recall * 100.0);
    assert!(
        recall >= 0.6,
        "staff character recall {:.0}%",
        recall * 100.0
    );
    assert!(!transcript.quality.looped);
}
