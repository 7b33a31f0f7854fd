//! Hearing one stretch of a call again with its own prompt (`Transcriber::transcribe_stretch`,
//! used by the focused retry): only that stretch is transcribed, on the call's time line, and
//! a prompt of words not said there does not put them into the text.

mod audio_support;
mod transcribe_support;

use audio_support::{fixture_phrases, ringback, silence, temp_path, write_wav};
use callgrade::audio::{CallAudio, StaffChannel};
use callgrade::pipeline::hear_again;
use callgrade::score::{Rubric, Verdict, score_call};
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use transcribe_support::{load, model};

/// A stereo call made here, the staff on the right and a silent caller on the left: two
/// rings, "Good morning, city hall, this is Lin speaking.", a pause, "How can I help you
/// today?". Returns it loaded, with when the opening ends and the question starts and ends.
fn made_call() -> (CallAudio, f64, f64, f64) {
    let (opening, question) = fixture_phrases();
    let rate = 8000;
    let mut samples = ringback(2, rate);
    samples.extend(&opening);
    let opening_end = samples.len() as f64 / rate as f64;
    samples.extend(silence(1.5, rate));
    let question_at = samples.len() as f64 / rate as f64;
    samples.extend(&question);
    let question_end = samples.len() as f64 / rate as f64;
    samples.extend(silence(1.0, rate));
    let path = temp_path("stretch.wav");
    write_wav(&path, &[&vec![0.0; samples.len()], &samples], rate);
    (
        load(&path, StaffChannel::Right),
        opening_end,
        question_at,
        question_end,
    )
}

#[test]
fn a_stretch_heard_again_holds_its_own_words_and_no_prompted_ones() {
    let (call, opening_end, question_at, question_end) = made_call();
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
                s.start >= opening_end - 0.5,
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

/// A form whose one criterion wants `phrase` in the last 5 s of the staff's speech.
fn closing_form(phrase: &str) -> Rubric {
    let toml = format!(
        "[rubric]\nid = \"c\"\ntitle = \"C\"\nlanguage = \"en\"\n\n[[grade]]\nname = \"All\"\n\
         min = 0\n\n[[criterion]]\nid = \"closing\"\ntitle = \"Closing\"\n\
         category = \"courtesy\"\npoints = 1\ncheck = \"phrase\"\nany = [\"{phrase}\"]\n\
         last_seconds = 5\n"
    );
    Rubric::parse(&toml, "c.toml").unwrap()
}

#[test]
fn a_line_the_first_pass_dropped_is_heard_again_and_nothing_unsaid_is_added() {
    let (call, _, question_at, _) = made_call();
    let transcriber =
        Transcriber::new(&model("ggml-base.bin"), TranscribeSettings::default()).unwrap();
    let request = Request::new("en", 2);
    let first = transcriber.transcribe(&call, &request).unwrap().segments;
    // The first pass as if Whisper had written nothing for the last line.
    let dropped: Vec<_> = first
        .into_iter()
        .filter(|s| s.end < question_at - 0.2)
        .collect();
    let closing = |rubric: &Rubric, segments: &[callgrade::transcribe::Segment]| {
        let score = score_call(rubric, None, segments, &call.facts, Some("Lin"));
        let c = score.criteria[0].clone();
        (c.verdict, c.needs_review)
    };

    // Whether the closing is doubtful on the first pass, and the transcript kept after
    // hearing its stretch again.
    let again = |rubric: &Rubric| {
        let doubtful = closing(rubric, &dropped) == (Verdict::Failed, true);
        let (kept, score) = hear_again(
            &transcriber,
            &call,
            &request,
            dropped.clone(),
            (rubric, None, Some("Lin")),
        );
        // The score returned is the kept transcript's, as scoring it afresh gives.
        assert_eq!(
            score,
            score_call(rubric, None, &kept, &call.facts, Some("Lin"))
        );
        for s in &kept {
            println!("{:6.2}-{:6.2} {}", s.start, s.end, s.text);
        }
        (doubtful, kept)
    };

    // Said there: doubtful for the speech left untranscribed, heard again, and passed.
    let said = closing_form("how can I help you");
    let (doubtful, kept) = again(&said);
    assert!(doubtful);
    assert_eq!(closing(&said, &kept).0, Verdict::Passed);

    // Not said there: heard again with the phrase as the prompt, still not found, and the
    // transcript is left as it was.
    let (doubtful, kept) = again(&closing_form("thank you for calling"));
    assert!(doubtful);
    assert_eq!(kept, dropped);
}
