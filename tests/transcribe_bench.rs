//! Speed figures (run on demand, never asserted):
//! `cargo test --release --test transcribe_bench -- --ignored --nocapture`
//! Real-time factor = Whisper wall time / call length, for tiny.en (English calls) and base
//! (Mandarin calls) on bundled demo calls: the default settings, then one knob changed at a
//! time.

mod transcribe_support;

use callgrade::audio::StaffChannel;
use callgrade::transcribe::{Request, TranscribeSettings, Transcriber};
use transcribe_support::common::demo;
use transcribe_support::{load, model};

/// A named change to the default settings, with the thread count to run it at.
type Variant = (&'static str, usize, fn(&mut TranscribeSettings));

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().next().unwrap_or("?").to_string())
        .unwrap_or_else(|_| "?".into())
}

#[test]
#[ignore = "slow: prints speed figures"]
fn real_time_factors() {
    let cases = [
        (
            "ggml-tiny.en.bin",
            "en",
            "demo",
            [
                "call01-amy-service-hours.wav",
                "call02-david-parenting-classes.wav",
                "call04-david-service-hours.wav",
            ],
        ),
        (
            "ggml-base.bin",
            "zh",
            "demo-zh",
            [
                "zh01-lin-service-hours.wav",
                "zh02-wang-parenting-classes.wav",
                "zh04-wang-subsidy-documents.wav",
            ],
        ),
    ];
    let variants: [Variant; 5] = [
        ("default (packed, flash off), 1 thread", 1, |_| {}),
        ("2 threads", 2, |_| {}),
        ("per region (no packing), 1 thread", 1, |s| s.pack = false),
        ("flash attention on, 1 thread", 1, |s| {
            s.flash_attention = true
        }),
        ("flash attention on, 2 threads", 2, |s| {
            s.flash_attention = true
        }),
    ];
    for (model_name, language, set, calls) in cases {
        let audios: Vec<_> = calls
            .iter()
            .map(|c| load(&demo::dir(set).join(c), StaffChannel::Mono))
            .collect();
        let seconds: f64 = audios.iter().map(|a| a.facts.duration).sum();
        println!(
            "\n{model_name}: {} calls, {seconds:.1} s of audio",
            audios.len()
        );
        // Warm-up: page the model in and let the CPU settle, so the first figure is fair.
        let warm = Transcriber::new(&model(model_name), TranscribeSettings::default()).unwrap();
        warm.transcribe(&audios[0], &Request::new(language, 1))
            .unwrap();
        for (name, threads, change) in variants {
            let mut settings = TranscribeSettings::default();
            change(&mut settings);
            let transcriber = Transcriber::new(&model(model_name), settings).unwrap();
            let (mut busy, mut windows, mut speech) = (0.0, 0, 0.0);
            for audio in &audios {
                let t = transcriber
                    .transcribe(audio, &Request::new(language, threads))
                    .unwrap();
                busy += t.quality.elapsed_seconds;
                windows += t.quality.windows;
                speech += t.quality.speech_seconds;
            }
            println!(
                "  {name:40} RTF {:.3}  ({busy:.1} s; {windows} windows, {speech:.1} s speech decoded; load {})",
                busy / seconds,
                load_average()
            );
        }
    }
}
