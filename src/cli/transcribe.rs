//! `callgrade transcribe`: recordings' transcripts, for checking audio and model quickly.

use super::args::TranscribeArgs;
use crate::audio::{self, AudioSettings, SpeechFinder, StaffChannel};
use crate::transcribe::{Request, TranscribeSettings, Transcriber};
use std::path::Path;
use std::time::Instant;

pub fn main(args: TranscribeArgs) -> anyhow::Result<i32> {
    let channel = match args.staff_channel.as_str() {
        "mono" => StaffChannel::Mono,
        "left" => StaffChannel::Left,
        "right" => StaffChannel::Right,
        other => anyhow::bail!("--staff-channel {other}: use mono, left or right"),
    };
    let (model, _) = super::model::resolve(args.model.model.as_deref())?;
    let transcriber = Transcriber::new(&model, TranscribeSettings::default())?;
    let finder = SpeechFinder::beside(&model)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let request = Request {
        language: args.language.clone(),
        initial_prompt: None,
        threads,
    };
    // One file keeps the plain behaviour: its problem is the command's error (exit 2). With
    // several, a bad recording is reported and the rest are still transcribed (exit 1), as
    // `run` does with a batch.
    if let [file] = args.files.as_slice() {
        one(file, channel, &transcriber, &finder, &request)?;
        return Ok(0);
    }
    let mut failed = 0;
    for file in &args.files {
        if let Err(e) = one(file, channel, &transcriber, &finder, &request) {
            if super::terminal::reader_went_away(&e) {
                return Err(e);
            }
            failed += 1;
            super::terminal::say(&format!("failed: {}", super::terminal::error_message(&e)));
        }
    }
    Ok(if failed > 0 { 1 } else { 0 })
}

/// Transcribes one recording and prints its header line and segments.
fn one(
    file: &Path,
    channel: StaffChannel,
    transcriber: &Transcriber,
    finder: &SpeechFinder,
    request: &Request,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let audio = audio::load(file, channel, &AudioSettings::default(), finder)?;
    let transcript = transcriber.transcribe(&audio, request)?;
    super::terminal::out(&format!(
        "{}: {:.1} s, {} ring(s) before pickup, transcribed in {:.1} s\n",
        file.display(),
        audio.facts.duration,
        audio.facts.rings,
        started.elapsed().as_secs_f64()
    ))?;
    for s in &transcript.segments {
        let mark = if s.invented {
            "  (dropped: likely invented)"
        } else {
            ""
        };
        super::terminal::out(&format!(
            "[{:>6.2} → {:>6.2}] {:<7} {}{mark}\n",
            s.start,
            s.end,
            format!("{:?}", s.speaker).to_lowercase(),
            s.text
        ))?;
    }
    Ok(())
}
