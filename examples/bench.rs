//! Benchmarks, printed as figures (never asserted in tests):
//! 1. the whole pipeline on the bundled demo calls at --jobs 1 and --jobs 2, per model:
//!    seconds of audio per wall-clock second (higher is faster; 1.0 = real time);
//! 2. peak memory of transcribing one call (a fresh `callgrade transcribe` process per call);
//! 3. scoring stored transcripts: calls per second, one thread and all cores.
//!
//!   cargo run --release --example bench [-- --quick]   (`make bench`)

use callgrade::audio::{AudioSettings, Speaker};
use callgrade::pipeline::{self, FileScope, Manifest, RunOptions};
use callgrade::score::{Rubric, Scenarios, score_call};
use callgrade::store::Store;
use callgrade::transcribe::TranscribeSettings;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let models = callgrade::model::models_dir();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "machine: {cores} cores, {}",
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(
                |c| c.lines().find(|l| l.starts_with("model name")).map(|l| l
                    .split(':')
                    .nth(1)
                    .unwrap_or("")
                    .trim()
                    .to_string())
            )
            .unwrap_or_default()
    );
    let manifest = Manifest::load(
        &root.join("recordings/demo/manifest.csv"),
        FileScope::ManifestFolder,
    )?;
    let rubric = Rubric::load(&root.join("rubrics/courtesy-en.toml"))?;
    let scenarios = Scenarios::load_dir(&root.join("rubrics/scenarios"))?;

    println!(
        "\n1. pipeline throughput, {} demo calls",
        manifest.rows.len()
    );
    let model_files: &[&str] = if quick {
        &["ggml-tiny.en.bin"]
    } else {
        &["ggml-tiny.en.bin", "ggml-base.bin"]
    };
    for file in model_files {
        let model = models.join(file);
        if !model.is_file() {
            println!("  {file}: not installed (make models)");
            continue;
        }
        for jobs in [1, cores.min(2)] {
            let dir = tempfile::tempdir()?;
            let mut store = Store::open(&dir.path().join("bench.db"))?;
            let opts = RunOptions {
                campaign: "bench".into(),
                rubric: rubric.clone(),
                scenarios: scenarios.clone(),
                model_path: model.clone(),
                model_name: file.to_string(),
                jobs,
                threads_per_job: (cores / jobs).max(1),
                force: true,
                audio: AudioSettings::default(),
                transcribe: TranscribeSettings::default(),
            };
            let s = pipeline::run(&mut store, &manifest, &opts, &|_| {})?;
            println!(
                "  {file:<18} --jobs {jobs} ({} threads each): {:.1} s audio in {:.1} s = {:.2} audio-s per wall-s",
                opts.threads_per_job,
                s.audio_seconds,
                s.wall_seconds,
                s.audio_seconds / s.wall_seconds
            );
        }
    }

    println!("\n2. peak memory per call (callgrade transcribe, base model, fresh process)");
    let bin = root.join("target/release/callgrade");
    for row in manifest.rows.iter().take(if quick { 1 } else { 3 }) {
        match peak_rss_kib(&bin, &row.path, &models) {
            Ok(kib) => println!("  {:<44} {:>6.0} MiB", row.file, kib as f64 / 1024.0),
            Err(e) => println!("  {}: {e}", row.file),
        }
    }

    println!("\n3. scoring stored transcripts");
    let (segments, facts) = sample_call();
    let scenario = scenarios.get("service-hours");
    let n = 10_000;
    let t0 = Instant::now();
    for _ in 0..n {
        std::hint::black_box(score_call(
            &rubric,
            scenario,
            &segments,
            &facts,
            Some("Amy Chen"),
        ));
    }
    let one = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    (0..n).into_par_iter().for_each(|_| {
        std::hint::black_box(score_call(
            &rubric,
            scenario,
            &segments,
            &facts,
            Some("Amy Chen"),
        ));
    });
    let all = t0.elapsed().as_secs_f64();
    println!(
        "  {n} calls: 1 thread {one:.2} s ({:.0} calls/s, {:.3} s per 1,000); {cores} threads {all:.2} s ({:.0} calls/s)",
        n as f64 / one,
        one / (n as f64 / 1000.0),
        n as f64 / all
    );
    Ok(())
}

/// Peak resident memory of one `callgrade transcribe` run, from the kernel's accounting.
fn peak_rss_kib(bin: &Path, file: &Path, models: &Path) -> anyhow::Result<i64> {
    let child = std::process::Command::new(bin)
        .args(["transcribe", "--language", "en", "--model", "base"])
        .arg(file)
        .env("CALLGRADE_MODELS", models)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    anyhow::ensure!(
        pid > 0 && status == 0,
        "transcribe failed (status {status})"
    );
    Ok(usage.ru_maxrss)
}

/// A realistic stored call: the shape of the bundled exemplary call.
fn sample_call() -> (
    Vec<callgrade::transcribe::Segment>,
    callgrade::audio::AudioFacts,
) {
    let lines = [
        (
            Speaker::Staff,
            "Good morning, Children's Welfare Service Center, this is Amy Chen speaking.",
        ),
        (Speaker::Caller, "Hi, could you tell me your opening hours?"),
        (
            Speaker::Staff,
            "Sure, may I have your name please? Please hold on a moment.",
        ),
        (
            Speaker::Staff,
            "Thank you for waiting. We are open Monday to Friday, eight thirty to five thirty.",
        ),
        (Speaker::Caller, "Great, thanks."),
        (Speaker::Staff, "Thank you for calling, goodbye."),
    ];
    let mut t = 6.5;
    let mut segments = Vec::new();
    let mut speech = Vec::new();
    for (speaker, text) in lines {
        let d = 1.0 + text.len() as f64 * 0.06;
        segments.push(callgrade::transcribe::Segment {
            speaker,
            start: t,
            end: t + d,
            text: text.into(),
            invented: false,
            tokens: Vec::new(),
        });
        speech.push(callgrade::audio::SpeechRegion {
            start: t,
            end: t + d,
            speaker,
        });
        t += d + 0.8;
    }
    let facts = callgrade::audio::AudioFacts {
        duration: t,
        channels: 2,
        source_rate: 8000,
        rings: 2,
        ringback: vec![],
        speech,
        first_staff_speech: Some(6.5),
        voices: Vec::new(),
        whole_side: Vec::new(),
    };
    (segments, facts)
}
