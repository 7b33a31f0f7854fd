//! `callgrade run` and `callgrade score`.

use super::args::{RunArgs, ScoreArgs};
use super::progress::Display;
use super::table::Table;
use crate::audio::AudioSettings;
use crate::pipeline::Progress;
use crate::pipeline::{self, FileScope, Manifest, Outcome, RunOptions};
use crate::report::{CampaignReport, ReportError};
use crate::score::{Rubric, Scenarios};
use crate::store::Store;
use crate::transcribe::TranscribeSettings;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub fn run(args: RunArgs) -> anyhow::Result<i32> {
    let scope = if args.allow_outside {
        FileScope::Anywhere
    } else {
        FileScope::ManifestFolder
    };
    let manifest = Manifest::load(&args.manifest, scope)?;
    let campaign = match args.campaign {
        Some(c) => c,
        None => quarter_of(&manifest.rows[0].called_at).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: cannot tell the campaign from called_at `{}`; name it with --campaign (e.g. --campaign 2026Q4)",
                manifest.path.display(),
                manifest.rows[0].called_at
            )
        })?,
    };
    let (rubric, scenarios) = load_rubric(&args.rubric, args.scenarios.as_deref())?;
    let (model_path, model_name) = super::model::resolve(args.model.model.as_deref())?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args
        .jobs
        .unwrap_or(cores / args.threads.unwrap_or(1).max(1))
        .clamp(1, manifest.rows.len().max(1));
    let opts = RunOptions {
        campaign: campaign.clone(),
        rubric,
        scenarios,
        model_path,
        model_name,
        jobs,
        threads_per_job: args.threads.unwrap_or(cores / jobs).max(1),
        force: args.force,
        audio: AudioSettings::default(),
        transcribe: TranscribeSettings {
            fit_encoder: args.fit_encoder,
            flash_attention: args.low_memory,
            ..TranscribeSettings::default()
        },
    };
    let mut store = Store::open(&args.db.db)?;
    let display = Mutex::new(None::<Display>);
    // Calls that only need scoring again take no time: when any call needs Whisper, the bar
    // counts only those, so its ETA is the transcribing still to do.
    let whisper_only = std::sync::atomic::AtomicBool::new(false);
    let terminal = !args.quiet && std::io::stderr().is_terminal();
    let progress = |p: Progress<'_>| match p {
        Progress::Planned {
            total,
            unchanged,
            failed,
            todo,
            transcribe,
        } => {
            if !args.quiet {
                let failed = match failed {
                    0 => String::new(),
                    n => format!(", {n} failed"),
                };
                super::terminal::say(&format!(
                    "{campaign}: {total} calls, {unchanged} already scored{failed}, {transcribe} to transcribe"
                ));
            }
            whisper_only.store(transcribe > 0, std::sync::atomic::Ordering::Relaxed);
            let counted = if transcribe > 0 { transcribe } else { todo };
            *display.lock().unwrap() = Display::new(counted, terminal);
        }
        Progress::Done(done) => {
            let mut display = display.lock().unwrap();
            let note = match &done.outcome {
                Outcome::Failed(msg) => Some(format!("failed: {msg}")),
                Outcome::Scored { flagged: true, .. } => Some(format!(
                    "check: {}: Whisper's transcript still looks unreliable (a loop or garbage) after a retry; review it with `callgrade report call {}` before relying on its score",
                    done.file, done.file
                )),
                Outcome::Scored {
                    speech_finder_unsure: true,
                    ..
                } => Some(format!(
                    "check: {}: {} (the speech finder missed sound there); its transcript may hold noise or music, see `callgrade report call {}`",
                    done.file,
                    crate::audio::SPEECH_FINDER_UNSURE,
                    done.file
                )),
                _ => None,
            };
            if let Some(note) = note {
                match display.as_ref() {
                    Some(d) => d.note(&note),
                    None => super::terminal::say(&note),
                }
            }
            let counts = match done.outcome {
                Outcome::Unchanged => false,
                Outcome::Scored {
                    transcribed: false, ..
                } => !whisper_only.load(std::sync::atomic::Ordering::Relaxed),
                _ => true,
            };
            if let (Some(d), true) = (display.as_mut(), counts) {
                d.advance(&done.file);
            }
        }
    };
    super::progress::stop_on_ctrl_c();
    let summary = pipeline::run(&mut store, &manifest, &opts, &progress)?;
    if let Some(d) = display.lock().unwrap().take() {
        d.finish();
    }
    if summary.stopped > 0 {
        super::terminal::say(&format!(
            "Stopped by Ctrl-C: {} calls stored in this run, {} not started. Run the same command again to carry on: calls already scored are skipped.",
            summary.scored + summary.failed,
            summary.stopped
        ));
        return Ok(130);
    }
    if !args.quiet {
        print_scores(&store, &campaign, Some(&opts.rubric.id))?;
        let speed = if summary.wall_seconds > 0.0 && summary.audio_seconds > 0.0 {
            format!(
                ", {:.1} s of audio transcribed at {:.2}× real time",
                summary.audio_seconds,
                summary.audio_seconds / summary.wall_seconds
            )
        } else {
            String::new()
        };
        super::terminal::say(&format!(
            "{} scored, {} unchanged, {} failed in {:.1} s{speed}. Database: {}",
            summary.scored,
            summary.unchanged,
            summary.failed,
            summary.wall_seconds,
            args.db.db.display()
        ));
    }
    Ok(if summary.failed > 0 { 1 } else { 0 })
}

pub fn score(args: ScoreArgs) -> anyhow::Result<i32> {
    let (rubric, scenarios) = load_rubric(&args.rubric, args.scenarios.as_deref())?;
    let mut store = Store::open_existing(&args.db.db)?;
    crate::report::ensure_campaign(&store, &args.campaign)?;
    let done = pipeline::rescore(&mut store, &args.campaign, &rubric, &scenarios)?;
    for (_, msg) in &done.failed {
        super::terminal::say(&format!("failed: {msg}"));
    }
    if !args.quiet {
        print_scores(&store, &args.campaign, Some(&rubric.id))?;
        super::terminal::say(&format!(
            "{} calls scored again with {}, {} failed; {} left as they were (failed, or their recording changed since it was transcribed: `callgrade run` them)",
            done.scored,
            rubric.id,
            done.failed.len(),
            done.skipped
        ));
    }
    Ok(if done.failed.is_empty() { 0 } else { 1 })
}

fn load_rubric(path: &Path, scenarios: Option<&Path>) -> anyhow::Result<(Rubric, Scenarios)> {
    let rubric = Rubric::load(path)?;
    let dir: PathBuf = match scenarios {
        Some(d) => d.to_path_buf(),
        None => path.parent().unwrap_or(Path::new(".")).join("scenarios"),
    };
    let scenarios = Scenarios::load_dir(&dir)?;
    Ok((rubric, scenarios))
}

/// The table `make demo` shows: one line per call with its score and what it failed.
fn print_scores(store: &Store, campaign: &str, rubric: Option<&str>) -> anyhow::Result<()> {
    let report = match CampaignReport::load(store, campaign, rubric) {
        // Nothing was scored with this rubric yet (every call failed): list the calls with
        // their errors all the same.
        Err(ReportError::NoRubric { .. }) => CampaignReport {
            campaign: campaign.into(),
            rubric: None,
            form: None,
            calls: store.campaign_calls(campaign, None)?,
        },
        other => other?,
    };
    let mut t = Table::new(["file", "staff", "score", "grade", "failed criteria"]);
    for c in &report.calls {
        let (score, grade) = match &c.score {
            Some(t) => (format!("{:.1}/{:.0}", t.score, t.max), t.grade.clone()),
            None => ("-".into(), c.status.clone()),
        };
        let failed: Vec<&str> = c
            .criteria
            .iter()
            .filter(|k| k.verdict.failed())
            .map(|k| k.id.as_str())
            .collect();
        let failed = match (&c.error, failed.is_empty()) {
            (Some(e), _) if c.score.is_none() => e.chars().take(70).collect(),
            (_, true) => "-".to_string(),
            (_, false) => failed.join(", "),
        };
        t.row([c.file.clone(), c.staff.clone(), score, grade, failed]);
    }
    super::terminal::out(&t.to_string())?;
    Ok(())
}

/// `2026-10-15T10:00:00` → `2026Q4`.
fn quarter_of(called_at: &str) -> Option<String> {
    let year: u32 = called_at.get(0..4)?.parse().ok()?;
    let month: u32 = called_at.get(5..7)?.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then(|| format!("{year}Q{}", (month - 1) / 3 + 1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quarter_from_called_at() {
        assert_eq!(
            super::quarter_of("2026-10-15T10:00:00").as_deref(),
            Some("2026Q4")
        );
        assert_eq!(super::quarter_of("2026-03-31").as_deref(), Some("2026Q1"));
        assert_eq!(super::quarter_of("yesterday"), None);
    }
}
