//! Hearing one stretch of a call again with its own prompt (`Transcriber::transcribe_stretch`,
//! used by the focused retry): only that stretch is transcribed, on the call's time line, and
//! a prompt of words not said there does not put them into the text.

mod audio_support;
mod transcribe_support;

use audio_support::{fixture_phrases, ringback, silence, temp_path, wav_bytes};
use callgrade::audio::StaffChannel;
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use transcribe_support::{load, model};

#[test]
fn a_stretch_heard_again_holds_its_own_words_and_no_prompted_ones() {
    // Made here: two rings, "Good morning, city hall, this is Lin speaking.", a pause, "How
    // can I help you today?".
    let (opening, question) = fixture_phrases();
    let rate = 8000;
    let mut samples = ringback(2, rate);
    let opening_at = samples.len() as f64 / rate as f64;
    samples.extend(&opening);
    samples.extend(silence(1.5, rate));
    let question_at = samples.len() as f64 / rate as f64;
    samples.extend(&question);
    let question_end = samples.len() as f64 / rate as f64;
    samples.extend(silence(1.0, rate));
    let path = temp_path("stretch.wav");
    std::fs::write(&path, wav_bytes(rate, &samples)).unwrap();
    let call = load(&path, StaffChannel::Mono);
    let transcriber =
        Transcriber::new(&model("ggml-base.bin"), TranscribeSettings::default()).unwrap();

    let text = |prompt: &str| {
        let request = Request {
            initial_prompt: Some(prompt.to_string()),
            ..Request::new("en", 2)
        };
        let t = transcriber
            .transcribe_stretch(&call, question_at - 0.2, question_end + 0.2, &request)
            .unwrap();
        for s in &t.segments {
            println!("{prompt}: {:6.2}-{:6.2} {}", s.start, s.end, s.text);
            assert!(
                s.start >= opening_at + opening.len() as f64 / rate as f64 - 0.5,
                "a segment of the opening came back: {s:?}"
            );
        }
        t.segments
            .iter()
            .filter(|s| !s.invented)
            .map(|s| s.text.to_lowercase())
            .collect::<String>()
    };
    // Prompted with its own words, the question is heard.
    let own = text("How can I help you today?");
    assert!(own.contains("help"), "{own}");
    assert!(!own.contains("morning") && !own.contains("hall"), "{own}");
    // Prompted with the opening's words, which were not said in this stretch: not invented.
    let other = text("Good morning, city hall, Lin speaking.");
    assert!(other.contains("help"), "{other}");
    for word in ["morning", "hall", "lin", "speaking"] {
        assert!(!other.contains(word), "{word} invented: {other}");
    }
}
