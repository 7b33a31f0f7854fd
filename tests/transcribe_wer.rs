//! tiny.en on real recorded telephone prompts (8 kHz): word error rate must stay ≤ 10%.

mod transcribe_support;

use callgrade::audio::{Speaker, StaffChannel};
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use transcribe_support::{fixture, heard_text, load, model, wer};

#[test]
fn wer_helper_counts_edits_per_reference_word() {
    assert_eq!(wer("press one now", "Press 1 now."), 0.0);
    assert!((wer("a b c d", "a x c") - 0.5).abs() < 1e-9);
    assert!((wer("a b", "a b c d") - 1.0).abs() < 1e-9);
}

#[test]
fn tiny_en_transcribes_recorded_prompts_within_ten_percent_wer() {
    let transcriber =
        Transcriber::new(&model("ggml-tiny.en.bin"), TranscribeSettings::default()).unwrap();
    let audio = load(&fixture("asterisk-prompts-en.wav"), StaffChannel::Mono);
    assert!(
        !audio.facts.speech.is_empty(),
        "the audio stage found no speech"
    );
    let transcript = transcriber
        .transcribe(&audio, &Request::new("en", 1))
        .unwrap();
    let reference = std::fs::read_to_string(fixture("asterisk-prompts-en.txt")).unwrap();
    let hyp = heard_text(&transcript);
    let w = wer(&reference, &hyp);
    println!(
        "hypothesis: {hyp}\nWER {:.1}%  quality {:?}",
        w * 100.0,
        transcript.quality
    );
    for s in &transcript.segments {
        println!("{:6.2}-{:6.2} {:?} {}", s.start, s.end, s.invented, s.text);
        assert_eq!(s.speaker, Speaker::Unknown);
        assert!(s.start <= s.end && s.end <= audio.facts.duration + 0.01);
    }
    assert!(w <= 0.10, "WER {:.1}% > 10%: {hyp}", w * 100.0);
    assert!(!transcript.quality.looped);
    // Segments are on the call's time line, in order.
    assert!(
        transcript
            .segments
            .windows(2)
            .all(|p| p[0].start <= p[1].start)
    );
}

#[test]
fn an_english_only_model_refuses_mandarin() {
    let transcriber =
        Transcriber::new(&model("ggml-tiny.en.bin"), TranscribeSettings::default()).unwrap();
    let audio = load(&fixture("asterisk-prompts-en.wav"), StaffChannel::Mono);
    let err = transcriber
        .transcribe(&audio, &Request::new("zh", 1))
        .unwrap_err();
    assert!(err.to_string().contains("multilingual"), "{err}");
    let err = transcriber
        .transcribe(&audio, &Request::new("fr", 1))
        .unwrap_err();
    assert!(err.to_string().contains("\"zh\""), "{err}");
}

#[test]
fn a_prompt_longer_than_whisper_keeps_is_accepted() {
    let transcriber =
        Transcriber::new(&model("ggml-tiny.en.bin"), TranscribeSettings::default()).unwrap();
    let audio = load(&fixture("asterisk-prompts-en.wav"), StaffChannel::Mono);
    let request = Request {
        initial_prompt: Some("parking lot, front desk, new card. ".repeat(60)),
        ..Request::new("en", 1)
    };
    let transcript = transcriber.transcribe(&audio, &request).unwrap();
    assert!(!transcript.segments.is_empty());
    let bad = Request {
        initial_prompt: Some("a\0b".into()),
        ..Request::new("en", 1)
    };
    let err = transcriber.transcribe(&audio, &bad).unwrap_err();
    assert!(err.to_string().contains("NUL"), "{err}");
}
