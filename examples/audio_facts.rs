//! Print what the audio stage measures for recordings: rings, ringback bursts and speech
//! regions with their voice group in mono. Lets anyone check by ear that the regions match the recording.
//!
//! Usage: `cargo run --release --example audio_facts -- [--staff mono|left|right] FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use callgrade::audio::{self, AudioSettings, StaffChannel};

fn main() -> ExitCode {
    let mut staff = StaffChannel::Mono;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--staff" {
            staff = match args.next().as_deref() {
                Some("left") => StaffChannel::Left,
                Some("right") => StaffChannel::Right,
                Some("mono") => StaffChannel::Mono,
                other => {
                    eprintln!("--staff takes mono, left or right (got {other:?})");
                    return ExitCode::from(2);
                }
            };
        } else {
            files.push(PathBuf::from(arg));
        }
    }
    let settings = AudioSettings::default();
    let finder = match audio::SpeechFinder::installed() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for file in files {
        match audio::measure_file(&file, staff, &settings, &finder) {
            Ok(call) => {
                let f = &call.facts;
                println!(
                    "{}: {:.2} s, {} ch @ {} Hz, rings {}, first staff speech {}",
                    file.display(),
                    f.duration,
                    f.channels,
                    f.source_rate,
                    f.rings,
                    f.first_staff_speech
                        .map_or("none".to_string(), |t| format!("{t:.2} s"))
                );
                for b in &f.ringback {
                    println!("  ring   {:7.2} – {:7.2}", b.start, b.end);
                }
                for r in &f.speech {
                    println!("  speech {:7.2} – {:7.2}  {:?}", r.start, r.end, r.speaker);
                }
                for v in &f.voices {
                    println!(
                        "  voice  {:7.2} – {:7.2}  {} ({:.2})",
                        v.start, v.end, v.voice, v.confidence
                    );
                }
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
