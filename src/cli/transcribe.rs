//! `callgrade transcribe`: one recording's transcript, for checking audio and model quickly.

use super::args::TranscribeArgs;
use crate::audio::{self, AudioSettings, SpeechFinder, StaffChannel};
use crate::transcribe::{Request, TranscribeSettings, Transcriber};

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
    let audio = audio::load(&args.file, channel, &AudioSettings::default(), &finder)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let request = Request {
        language: args.language.clone(),
        initial_prompt: None,
        threads,
    };
    let transcript = transcriber.transcribe(&audio, &request)?;
    super::terminal::out(&format!(
        "{}: {:.1} s, {} ring(s) before pickup\n",
        args.file.display(),
        audio.facts.duration,
        audio.facts.rings
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
    Ok(0)
}
