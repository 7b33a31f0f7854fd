//! base on a bundled Mandarin demo call: the transcript is in Traditional characters and
//! holds the staff's greeting, agency name and facts (loosely: Whisper may drop or swap a
//! character), compared with the script's lines (`recordings/demo-zh/lines.tsv`).

mod transcribe_support;

use callgrade::audio::StaffChannel;
use callgrade::transcribe::traditional::to_traditional;
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use std::collections::HashMap;
use transcribe_support::common::demo;
use transcribe_support::{han, load, model};

const CALL: &str = "zh04-wang-subsidy-documents.wav";

#[test]
fn base_transcribes_a_mandarin_call_in_traditional_characters() {
    transcribes_the_call_well(TranscribeSettings::default());
}

/// A shortened encoder (`fit_encoder`) must still hear the call as well: the model was
/// trained on full 30 s inputs, so this catches cut-off or invented text.
#[test]
fn a_shortened_encoder_still_transcribes_the_call() {
    transcribes_the_call_well(TranscribeSettings {
        fit_encoder: true,
        ..TranscribeSettings::default()
    });
}

fn transcribes_the_call_well(settings: TranscribeSettings) {
    let staff_lines: Vec<String> = demo::lines_of("demo-zh", CALL)
        .into_iter()
        .filter(|l| l.speaker == "staff")
        .map(|l| l.text)
        .collect();

    let transcriber = Transcriber::new(&model("ggml-base.bin"), settings).unwrap();
    let audio = load(&demo::dir("demo-zh").join(CALL), StaffChannel::Mono);
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

    // The agency, the documents, the dismissive phrase and the close, loosely.
    let terms = ["福利", "服務", "中心", "申請表", "不知道", "謝謝", "再見"];
    let found: Vec<&str> = terms
        .iter()
        .copied()
        .filter(|t| heard.contains(t))
        .collect();
    println!("terms found: {found:?}");
    assert!(found.len() >= 5, "only {found:?} of {terms:?} in {heard}");

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
