//! Agreement with labelled calls: runs the whole pipeline on each labelled set (a folder with
//! `2026Q4/manifest.csv`, `rubric.toml`, `scenarios/`, `labels.json`) and prints, per criterion,
//! how many verdicts agree with the labels, and how many measured ring counts agree with the
//! labelled `rings`. A criterion scored "not applicable" counts as passed. Then the same on
//! clean transcripts rebuilt from the labels' `staff_lines` (`clean.rs`): the scoring logic
//! without Whisper.
//!
//!   cargo run --release --example eval -- ../shared/eval/public-en ../shared/eval/public-zh
//!   (options: --model PATH, --jobs N, --beam N for beam search instead of greedy decoding,
//!   --cache DIR to keep each set's database in DIR and reuse its transcripts, so that a
//!   change to scoring alone is measured in seconds; delete DIR after changing audio or
//!   transcription code, whose transcripts it would otherwise reuse; --prompt-terms or
//!   --no-prompt-terms to give Whisper each call's key terms or not, default on, see
//!   `TranscribeSettings::prompt_terms`; --focused-retry to hear again the stretch of each
//!   doubtful "not found" verdict with just its terms, see `TranscribeSettings::focused_retry`;
//!   --fit-encoder to shorten Whisper's encoder to each window, see
//!   `TranscribeSettings::fit_encoder`; --pack-max SECONDS for the most audio packed into one
//!   window, see `TranscribeSettings::pack_max_seconds`)

mod clean;

use callgrade::audio::{self, AudioSettings};
use callgrade::pipeline::{self, FileScope, Manifest, RunOptions};
use callgrade::report::CampaignReport;
use callgrade::score::{Rubric, Scenarios};
use callgrade::store::Store;
use callgrade::transcribe::{Sampling, TranscribeSettings};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut sets = Vec::new();
    let mut model: Option<PathBuf> = None;
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut beam: Option<u32> = None;
    let mut cache: Option<PathBuf> = None;
    let mut prompt_terms = TranscribeSettings::default().prompt_terms;
    let mut focused_retry = TranscribeSettings::default().focused_retry;
    let mut fit_encoder = TranscribeSettings::default().fit_encoder;
    let mut pack_max = TranscribeSettings::default().pack_max_seconds;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--model" => model = args.next().map(PathBuf::from),
            "--cache" => cache = args.next().map(PathBuf::from),
            "--jobs" => jobs = args.next().and_then(|j| j.parse().ok()).unwrap_or(jobs),
            "--prompt-terms" => prompt_terms = true,
            "--no-prompt-terms" => prompt_terms = false,
            "--focused-retry" => focused_retry = true,
            "--fit-encoder" => fit_encoder = true,
            "--pack-max" => {
                pack_max = args.next().and_then(|b| b.parse().ok()).unwrap_or(pack_max);
            }
            "--beam" => {
                beam = args.next().and_then(|b| b.parse().ok());
            }
            "-h" | "--help" => {
                // The module documentation is the usage.
                println!(
                    "{}",
                    include_str!("main.rs")
                        .lines()
                        .take_while(|l| l.starts_with("//!"))
                        .map(|l| l.trim_start_matches("//!").trim_start_matches(' '))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
                return Ok(());
            }
            flag if flag.starts_with("--") => {
                anyhow::bail!("unknown option {flag}; --help lists them")
            }
            _ => sets.push(PathBuf::from(a)),
        }
    }
    let models = callgrade::model::models_dir();
    let model = model.unwrap_or_else(|| models.join("ggml-base.bin"));
    let mut worst: f64 = 1.0;
    for set in &sets {
        let manifest = Manifest::load(&set.join("2026Q4/manifest.csv"), FileScope::ManifestFolder)?;
        let rubric = Rubric::load(&set.join("rubric.toml"))?;
        let scenarios = Scenarios::load_dir(&set.join("scenarios"))?;
        let labels: serde_json::Value =
            serde_json::from_slice(&std::fs::read(set.join("labels.json"))?)?;
        let dir = tempfile::tempdir()?;
        let db = match &cache {
            Some(c) => {
                std::fs::create_dir_all(c)?;
                let name = set.file_name().unwrap_or_default().to_string_lossy();
                c.join(format!("{name}.db"))
            }
            None => dir.path().join("eval.db"),
        };
        let mut store = Store::open(&db)?;
        let opts = RunOptions {
            campaign: "eval".into(),
            rubric,
            scenarios,
            model_path: model.clone(),
            model_name: model.display().to_string(),
            jobs,
            threads_per_job: (std::thread::available_parallelism().map_or(1, |n| n.get()) / jobs)
                .max(1),
            force: cache.is_none(),
            audio: AudioSettings::default(),
            transcribe: TranscribeSettings {
                sampling: match beam {
                    Some(beam_size) => Sampling::Beam { beam_size },
                    None => TranscribeSettings::default().sampling,
                },
                prompt_terms,
                focused_retry,
                fit_encoder,
                pack_max_seconds: pack_max,
                ..TranscribeSettings::default()
            },
        };
        let summary = pipeline::run(&mut store, &manifest, &opts, &|_| {})?;
        if cache.is_some() {
            pipeline::rescore(&mut store, "eval", &opts.rubric, &opts.scenarios)?;
        }
        let report = CampaignReport::load(&store, "eval", None)?;
        let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut misses = Vec::new();
        // (confidence, agrees with the label) of every labelled verdict.
        let mut sure: Vec<(f64, bool)> = Vec::new();
        let mut review = (0, 0);
        for call in &report.calls {
            let truth = &labels[&call.file];
            for c in &call.criteria {
                let Some(expected) = truth.get(&c.id).and_then(|v| v.as_bool()) else {
                    continue;
                };
                let got = c.verdict.passed();
                let e = per.entry(c.id.clone()).or_default();
                e.1 += 1;
                sure.push((c.confidence.unwrap_or(1.0), got == expected));
                review.0 += usize::from(c.needs_review);
                if got == expected {
                    e.0 += 1;
                } else {
                    review.1 += usize::from(c.needs_review);
                    misses.push(format!(
                        "  {} {}: label {expected}, got {got} ({}) confidence {}{}",
                        call.file,
                        c.id,
                        c.reason,
                        c.confidence.map_or("-".into(), |x| format!("{x:.2}")),
                        if c.needs_review { ", needs review" } else { "" }
                    ));
                }
            }
        }
        let (agree, total) = per.values().fold((0, 0), |a, v| (a.0 + v.0, a.1 + v.1));
        println!(
            "{}: {agree}/{total} verdicts agree ({:.1}%), {} calls, model {}, {:.1} s of audio in {:.1} s",
            set.display(),
            100.0 * agree as f64 / total.max(1) as f64,
            report.calls.len(),
            model.display(),
            summary.audio_seconds,
            summary.wall_seconds
        );
        for (id, (a, t)) in &per {
            println!(
                "  {id:<14} {a:>3}/{t:<3} {:>5.1}%",
                100.0 * *a as f64 / *t as f64
            );
        }
        for m in &misses {
            println!("{m}");
        }
        let wrong = total - agree;
        println!(
            "  needs review: {} of {total} verdicts; a reviewer checking only the needs_review verdicts would see {} of {wrong} wrong ones, checking {:.1}% of verdicts",
            review.0,
            review.1,
            100.0 * review.0 as f64 / total.max(1) as f64
        );
        println!("  {}", review_sweep(&sure));
        let (ring_agree, ring_total, ring_misses) = ring_agreement(&manifest, &labels)?;
        println!("  rings          {ring_agree:>3}/{ring_total:<3}");
        for m in &ring_misses {
            println!("{m}");
        }
        let (clean_agree, clean_total, clean_misses) = clean::agreement(set, &labels)?;
        println!(
            "  clean transcripts: {clean_agree}/{clean_total} verdicts agree ({:.1}%)",
            100.0 * clean_agree as f64 / clean_total.max(1) as f64
        );
        for m in &clean_misses {
            println!("{m}");
        }
        worst = worst.min(agree as f64 / total.max(1) as f64);
    }
    println!("lowest agreement: {:.1}%", 100.0 * worst);
    Ok(())
}

/// For choosing `score::REVIEW_BELOW`: at each threshold, the share of verdicts marked and
/// how many wrong ones are among them.
fn review_sweep(sure: &[(f64, bool)]) -> String {
    let wrong = sure.iter().filter(|s| !s.1).count();
    let parts: Vec<String> = (3..=9)
        .map(|t| {
            let below = t as f64 / 10.0;
            let marked = sure.iter().filter(|s| s.0 < below).count();
            let caught = sure.iter().filter(|s| s.0 < below && !s.1).count();
            format!(
                "<{below:.1}: {:.0}% marked, {caught}/{wrong} wrong",
                100.0 * marked as f64 / sure.len().max(1) as f64
            )
        })
        .collect();
    format!("threshold sweep: {}", parts.join("; "))
}

/// Measured ring counts against the labels' `rings`: (agree, total, one line per miss).
fn ring_agreement(
    manifest: &Manifest,
    labels: &serde_json::Value,
) -> anyhow::Result<(usize, usize, Vec<String>)> {
    let (mut agree, mut total, mut misses) = (0, 0, Vec::new());
    let finder = audio::SpeechFinder::installed()?;
    for row in &manifest.rows {
        let Some(want) = labels[&row.file]["rings"].as_u64() else {
            continue;
        };
        let rings = audio::load(
            &row.path,
            row.staff_channel,
            &AudioSettings::default(),
            &finder,
        )?
        .facts
        .rings;
        total += 1;
        if u64::from(rings) == want {
            agree += 1;
        } else {
            misses.push(format!(
                "  {} rings: label {want}, measured {rings}",
                row.file
            ));
        }
    }
    Ok((agree, total, misses))
}
