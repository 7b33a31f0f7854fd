//! Stereo calls: each side transcribed alone, labelled, and merged on one time line; and one
//! transcriber used from several threads at once gives the same text as one at a time.

mod transcribe_support;

use callgrade::audio::{Speaker, StaffChannel};
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber, Transcript};
use transcribe_support::common::demo;
use transcribe_support::{fixture, load, model};

fn texts(t: &Transcript) -> Vec<(Speaker, String)> {
    t.segments
        .iter()
        .map(|s| (s.speaker, s.text.clone()))
        .collect()
}

#[test]
fn stereo_sides_are_labelled_and_merged_and_threads_share_one_model() {
    let transcriber =
        Transcriber::new(&model("ggml-tiny.en.bin"), TranscribeSettings::default()).unwrap();
    // The demo's stereo call: caller left, staff right.
    let call = demo::dir("demo").join("call03-grace-developmental-assessment.wav");
    let stereo = load(&call, StaffChannel::Right);
    assert!(stereo.caller.is_some(), "call03 should load as stereo");
    let mono = load(&fixture("asterisk-prompts-en.wav"), StaffChannel::Mono);
    let request = Request::new("en", 1);

    let (a, b) = rayon::join(
        || transcriber.transcribe(&stereo, &request).unwrap(),
        || transcriber.transcribe(&mono, &request).unwrap(),
    );
    for s in &a.segments {
        println!("{:6.2}-{:6.2} {:?} {}", s.start, s.end, s.speaker, s.text);
    }
    let staff: String = a
        .segments
        .iter()
        .filter(|s| s.speaker == Speaker::Staff && !s.invented)
        .map(|s| s.text.to_lowercase())
        .collect();
    let caller: String = a
        .segments
        .iter()
        .filter(|s| s.speaker == Speaker::Caller && !s.invented)
        .map(|s| s.text.to_lowercase())
        .collect();
    // Words only the staff says, and only the caller says.
    assert!(
        staff.contains("welfare") && staff.contains("job"),
        "staff: {staff}"
    );
    assert!(caller.contains("my son"), "caller: {caller}");
    assert!(
        !caller.contains("welfare") && !caller.contains("job"),
        "staff words on the caller side: {caller}"
    );
    assert!(
        !staff.contains("my son"),
        "caller words on the staff side: {staff}"
    );
    assert!(a.segments.windows(2).all(|p| p[0].start <= p[1].start));
    assert!(a.segments.iter().all(|s| s.speaker != Speaker::Unknown));

    // Same text when run alone as when run concurrently.
    let a2 = transcriber.transcribe(&stereo, &request).unwrap();
    let b2 = transcriber.transcribe(&mono, &request).unwrap();
    assert_eq!(texts(&a), texts(&a2));
    assert_eq!(texts(&b), texts(&b2));
}
