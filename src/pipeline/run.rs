//! Running a manifest through the stages, several calls at a time.

use super::manifest::{Manifest, ManifestRow, channel_name};
use crate::audio::{self, AudioFacts, AudioSettings, Speaker, SpeechFinder, overlap};
use crate::model::sha256_file;
use crate::score::{self, CallScore, Language, Rubric, Scenario, Scenarios};
use crate::store::{
    CachedTranscript, CallKey, CallRecord, CallStatus, Store, TranscriptKey, TranscriptRef,
};
use crate::transcribe::{
    Quality, Request, Segment, TranscribeSettings, Transcriber, staff_text_spans,
};
use anyhow::Context;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Everything a run needs besides the manifest.
pub struct RunOptions {
    pub campaign: String,
    pub rubric: Rubric,
    pub scenarios: Scenarios,
    pub model_path: PathBuf,
    /// Short model name recorded with transcripts ("base", "tiny.en").
    pub model_name: String,
    /// Calls transcribed at once.
    pub jobs: usize,
    /// Whisper threads per call; `jobs × threads_per_job` should not exceed the cores.
    pub threads_per_job: usize,
    /// Transcribe and score again even when nothing changed.
    pub force: bool,
    pub audio: AudioSettings,
    pub transcribe: TranscribeSettings,
}

/// What happened to one call.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    pub file: String,
    pub staff: String,
    pub outcome: Outcome,
    /// Length of the recording (0 when it could not be read).
    pub audio_seconds: f64,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// Scored now; `transcribed` is false when a stored transcript was reused.
    Scored {
        score: f64,
        grade: String,
        transcribed: bool,
        /// The transcript still looked like a loop or garbage after a retry: review it.
        flagged: bool,
        /// The speech finder missed speech on a side, so that side was transcribed whole.
        speech_finder_unsure: bool,
    },
    /// Already scored with this rubric and the recording has not changed.
    Unchanged,
    /// Could not be processed; the message says why and what to do.
    Failed(String),
}

/// Progress reports while a run goes on (the CLI draws them).
pub enum Progress<'a> {
    /// Work is planned: of `total` calls, `unchanged` are already scored, `failed` could not
    /// even be planned (unreadable file, unknown scenario), `todo` need processing and
    /// `transcribe` of those need Whisper.
    Planned {
        total: usize,
        unchanged: usize,
        failed: usize,
        todo: usize,
        transcribe: usize,
    },
    /// A call is finished (stored).
    Done(&'a CallOutcome),
}

/// Totals of a run.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub scored: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub transcribed: usize,
    /// Seconds of audio transcribed in this run.
    pub audio_seconds: f64,
    pub wall_seconds: f64,
    pub outcomes: Vec<CallOutcome>,
    /// Calls not started because a stop was requested ([`request_stop`]); the next run does them.
    pub stopped: usize,
}

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks the running [`run`] to start no further calls (Ctrl-C). Calls already being
/// transcribed are finished and stored, so the next run loses no work and redoes nothing.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

struct Job<'a> {
    row: &'a ManifestRow,
    record: CallRecord,
    scenario: Option<&'a Scenario>,
    key: TranscriptKey,
    cached: Option<CachedTranscript>,
    /// Key terms for Whisper's prompt (`TranscribeSettings::prompt_terms`).
    prompt: Option<String>,
}

struct Fresh {
    facts: AudioFacts,
    segments: Vec<Segment>,
    quality: serde_json::Value,
}

type JobResult = Result<(Option<Fresh>, CallScore), String>;

/// Runs every call of `manifest` that is not already scored with this rubric.
///
/// Set-up problems (unreadable rubric, missing model, database errors) end the run with an
/// error; problems with a single recording are stored with that call and the batch goes on.
pub fn run(
    store: &mut Store,
    manifest: &Manifest,
    opts: &RunOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    let rubric = &opts.rubric;
    let score_run = store.score_run(&rubric.id, &rubric.sha256, &rubric.title, &rubric.source)?;
    let settings = settings_fingerprint(opts);
    let mut summary = RunSummary::default();
    let mut model_sha: Option<String> = None;
    let mut jobs = Vec::new();

    for row in &manifest.rows {
        let mut record = CallRecord {
            key: CallKey {
                campaign: opts.campaign.clone(),
                file: row.file.clone(),
            },
            path: store.stored_recording_path(&row.path),
            sha256: None,
            staff: row.staff.clone(),
            unit: row.unit.clone(),
            scenario: row.scenario.clone(),
            called_at: row.called_at.clone(),
            staff_channel: channel_name(row.staff_channel).to_string(),
        };
        let failed =
            |store: &mut Store, summary: &mut RunSummary, record: &CallRecord, msg: String| {
                store.save_failed(record, &msg)?;
                finish(summary, progress, row, Outcome::Failed(msg), 0.0);
                anyhow::Ok(())
            };
        let sha = match audio::sha256_recording(&row.path, &opts.audio) {
            Ok(sha) => sha,
            Err(e) => {
                let msg = format!(
                    "{e} (the `file` column on line {} of {})",
                    row.line,
                    manifest.path.display()
                );
                failed(store, &mut summary, &record, msg)?;
                continue;
            }
        };
        record.sha256 = Some(sha.clone());
        if !opts.force
            && let Some((Some(old), CallStatus::Scored, true)) =
                store.call_state(&record.key, score_run)?
            && old == sha
        {
            finish(&mut summary, progress, row, Outcome::Unchanged, 0.0);
            continue;
        }
        let scenario = match row.scenario.as_str() {
            "" => None,
            id => match opts.scenarios.require(id) {
                Ok(s) => Some(s),
                Err(e) => {
                    let msg = format!(
                        "{}: {e} (line {} of {})",
                        row.file,
                        row.line,
                        manifest.path.display()
                    );
                    failed(store, &mut summary, &record, msg)?;
                    continue;
                }
            },
        };
        let model_sha = match &model_sha {
            Some(s) => s.clone(),
            None => {
                let s = sha256_file(&opts.model_path).with_context(|| {
                    format!(
                        "{}: cannot read the Whisper model",
                        opts.model_path.display()
                    )
                })?;
                model_sha = Some(s.clone());
                s
            }
        };
        let prompt = opts
            .transcribe
            .prompt_terms
            .then(|| term_prompt(rubric.language, scenario, &row.staff))
            .flatten();
        let key = TranscriptKey {
            audio_sha256: sha,
            model_sha256: model_sha,
            // The terms change the transcript, so a call keyed without them is not reused.
            settings: match &prompt {
                Some(p) => hex::encode(Sha256::digest(format!("{settings}\n{p}"))),
                None => settings.clone(),
            },
            language: rubric.language.code().to_string(),
            staff_channel: record.staff_channel.clone(),
        };
        let cached = if opts.force {
            None
        } else {
            store.cached_transcript(&key)?
        };
        jobs.push(Job {
            row,
            record,
            scenario,
            key,
            cached,
            prompt,
        });
    }

    let need_whisper = jobs.iter().filter(|j| j.cached.is_none()).count();
    progress(Progress::Planned {
        total: manifest.rows.len(),
        unchanged: summary.unchanged,
        failed: summary.failed,
        todo: jobs.len(),
        transcribe: need_whisper,
    });
    // A mono call's voices are told apart by the speaker encoder: without it, refuse up front
    // (saying how to install it) rather than score mono calls from the transcript alone.
    if jobs
        .iter()
        .any(|j| j.cached.is_none() && j.row.staff_channel == audio::StaffChannel::Mono)
    {
        audio::VoiceEncoder::installed()?;
    }
    let transcriber = if need_whisper > 0 {
        Some((
            Transcriber::new(&opts.model_path, opts.transcribe.clone())?,
            SpeechFinder::beside(&opts.model_path)?,
        ))
    } else {
        None
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .context("cannot start worker threads")?;
    let (tx, rx) = mpsc::channel::<(usize, JobResult, f64)>();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let jobs_ref = &jobs;
        let transcriber = transcriber.as_ref();
        scope.spawn(move || {
            pool.install(|| {
                jobs_ref
                    .par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, job)| {
                        if STOP.load(Ordering::SeqCst) {
                            return;
                        }
                        let (result, seconds) = process(job, transcriber, opts);
                        let _ = tx.send((i, result, seconds));
                    })
            })
        });
        let mut stored = 0;
        let pause_after = pause_for_tests_after();
        for (i, result, seconds) in rx {
            let job = &jobs[i];
            let outcome = match result {
                Ok((fresh, score)) => {
                    let transcribed = fresh.is_some();
                    let quality = fresh
                        .as_ref()
                        .map(|f| &f.quality)
                        .or(job.cached.as_ref().map(|c| &c.quality));
                    let flagged = quality
                        .and_then(|q| serde_json::from_value::<Quality>(q.clone()).ok())
                        .is_some_and(|q| q.is_bad());
                    let (facts, transcript) = match (&fresh, &job.cached) {
                        (Some(f), _) => (
                            &f.facts,
                            TranscriptRef::New {
                                key: &job.key,
                                model_name: &opts.model_name,
                                facts: &f.facts,
                                segments: &f.segments,
                                quality: &f.quality,
                            },
                        ),
                        (None, Some(c)) => (&c.facts, TranscriptRef::Stored(c.id)),
                        (None, None) => unreachable!("a job without cache is transcribed"),
                    };
                    store.save_scored(&job.record, facts, transcript, score_run, &score)?;
                    if transcribed {
                        summary.transcribed += 1;
                        summary.audio_seconds += seconds;
                    }
                    Outcome::Scored {
                        score: score.score,
                        grade: score.grade.clone(),
                        transcribed,
                        flagged,
                        speech_finder_unsure: facts.speech_finder_unsure(),
                    }
                }
                Err(msg) => {
                    store.save_failed(&job.record, &msg)?;
                    Outcome::Failed(msg)
                }
            };
            finish(&mut summary, progress, job.row, outcome, seconds);
            stored += 1;
            if pause_after == Some(stored) {
                // Stop for good: the test kills the process here.
                loop {
                    std::thread::park();
                }
            }
        }
        summary.stopped = jobs.len() - stored;
        Ok(())
    })?;
    summary.wall_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Test hook: with `CALLGRADE_TEST_PAUSE_AFTER_CALLS=N` the writer stops for good once it has
/// stored N calls, so a test can kill the run at a known point instead of racing it.
fn pause_for_tests_after() -> Option<usize> {
    std::env::var("CALLGRADE_TEST_PAUSE_AFTER_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
}

fn finish(
    summary: &mut RunSummary,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    row: &ManifestRow,
    outcome: Outcome,
    seconds: f64,
) {
    match &outcome {
        Outcome::Scored { .. } => summary.scored += 1,
        Outcome::Unchanged => summary.unchanged += 1,
        Outcome::Failed(_) => summary.failed += 1,
    }
    let done = CallOutcome {
        file: row.file.clone(),
        staff: row.staff.clone(),
        outcome,
        audio_seconds: seconds,
    };
    progress(Progress::Done(&done));
    summary.outcomes.push(done);
}

/// One call through audio → transcribe → score, on a worker thread. Returns the audio length.
fn process(
    job: &Job<'_>,
    transcriber: Option<&(Transcriber, SpeechFinder)>,
    opts: &RunOptions,
) -> (JobResult, f64) {
    let score_with = |facts: &AudioFacts, segments: &[Segment]| {
        score::score_call(
            &opts.rubric,
            job.scenario,
            segments,
            facts,
            Some(job.row.staff.as_str()).filter(|s| !s.is_empty()),
        )
    };
    if let Some(c) = &job.cached {
        return (
            Ok((None, score_with(&c.facts, &c.segments))),
            c.facts.duration,
        );
    }
    let (transcriber, finder) =
        transcriber.expect("a transcriber is loaded when any call needs one");
    let audio = match audio::load(&job.row.path, job.row.staff_channel, &opts.audio, finder) {
        Ok(a) => a,
        Err(e) => return (Err(e.to_string()), 0.0),
    };
    let seconds = audio.facts.duration;
    let request = Request {
        language: opts.rubric.language.code().to_string(),
        initial_prompt: job.prompt.clone(),
        threads: opts.threads_per_job,
    };
    let mut transcript = match transcriber.transcribe(&audio, &request) {
        Ok(t) => t,
        Err(e) => return (Err(format!("{}: {e}", job.row.file)), seconds),
    };
    if transcript.quality.is_bad() {
        // A loop or garbage: try once more with the scenario's own words as context.
        let retry = Request {
            initial_prompt: job.scenario.map(|s| s.key_terms().join("，")),
            ..request.clone()
        };
        if let Ok(t) = transcriber.transcribe(&audio, &retry)
            && (!t.quality.is_bad() || t.quality.garbage_ratio < transcript.quality.garbage_ratio)
        {
            transcript = t;
        }
    }
    // Hearing again scores the transcript it keeps, so that score is the call's.
    let score = if opts.transcribe.focused_retry {
        let staff = Some(job.row.staff.as_str()).filter(|s| !s.is_empty());
        let (segments, score) = hear_again(
            transcriber,
            &audio,
            &request,
            std::mem::take(&mut transcript.segments),
            (&opts.rubric, job.scenario, staff),
        );
        transcript.segments = segments;
        score
    } else {
        score_with(&audio.facts, &transcript.segments)
    };
    let fresh = Fresh {
        quality: serde_json::to_value(&transcript.quality).unwrap_or_default(),
        facts: audio.facts,
        segments: transcript.segments,
    };
    (Ok((Some(fresh), score)), seconds)
}

/// Hears again each stretch where a doubtful "not found" verdict rests
/// ([`score::rechecks`]), prompted with just the terms missing there, fills in the speech the
/// first pass left untranscribed ([`splice`]), and keeps it only if that verdict then passes
/// and no other verdict changes: a prompt makes its words easier to hear, so text that moves
/// any other verdict is not trusted.
///
/// `first` is the call's first-pass transcript and `request` its request; `(rubric, scenario,
/// staff name)` judge it as [`score::score_call`] does. Returns the transcript to keep and
/// its score.
pub fn hear_again(
    transcriber: &Transcriber,
    audio: &audio::CallAudio,
    request: &Request,
    first: Vec<Segment>,
    (rubric, scenario, staff): (&Rubric, Option<&Scenario>, Option<&str>),
) -> (Vec<Segment>, score::CallScore) {
    let lang = rubric.language;
    let score_with = |s: &[Segment]| score::score_call(rubric, scenario, s, &audio.facts, staff);
    let mut segments = first;
    let mut before = score_with(&segments);
    for r in score::rechecks(rubric, scenario, &segments, &audio.facts, staff) {
        let focused = Request {
            initial_prompt: Some(lang.prompt_line(&r.terms)),
            ..request.clone()
        };
        let Ok(heard) = transcriber.transcribe_stretch(audio, r.start, r.end, &focused) else {
            continue;
        };
        let spliced = splice(&segments, heard.segments);
        let after = score_with(&spliced);
        let settled = before.criteria.iter().zip(&after.criteria).all(|(b, a)| {
            if b.id == r.criterion {
                a.verdict == score::Verdict::Passed
            } else {
                a.verdict == b.verdict
            }
        });
        if settled {
            segments = spliced;
            before = after;
        }
    }
    (segments, before)
}

/// `segments` plus the segments of `heard` (a stretch transcribed again) that fall where
/// `segments` had no staff text (in mono, no text): only speech the first pass left out is
/// filled in. Text heard again over words already transcribed is not used: with the prompt's
/// terms in mind Whisper rewrote such words (an answer about parking fees came back as "Thank
/// you for calling") more often than it corrected them.
fn splice(segments: &[Segment], heard: Vec<Segment>) -> Vec<Segment> {
    let text = staff_text_spans(segments);
    let mut out = segments.to_vec();
    out.extend(heard.into_iter().filter(|n| {
        n.speaker != Speaker::Caller && overlap(&[n.span()], &text) < FILLED_AT * (n.end - n.start)
    }));
    out.sort_by(|a, b| a.start.total_cmp(&b.start));
    out
}

/// Share of a segment heard again that the first pass's text may already cover for it to
/// count as filling a gap.
const FILLED_AT: f64 = 0.5;

/// The call's key terms as one prompt line (for `TranscribeSettings::prompt_terms`): the staff
/// member's name and the scenario's answer phrases in the rubric's language.
fn term_prompt(lang: Language, scenario: Option<&Scenario>, staff: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    if !staff.trim().is_empty() {
        terms.push(staff.trim().to_string());
    }
    terms.extend(scenario.map(|s| s.key_terms_in(lang)).unwrap_or_default());
    (!terms.is_empty()).then(|| lang.prompt_line(&terms))
}

/// Hash of every setting that changes a transcript (audio measurement and Whisper settings).
fn settings_fingerprint(opts: &RunOptions) -> String {
    let mut hash = Sha256::new();
    hash.update(serde_json::to_string(&opts.audio).expect("audio settings serialise"));
    hash.update(opts.transcribe.fingerprint());
    hex::encode(hash.finalize())
}

/// What `callgrade score` did.
#[derive(Debug, Clone, Default)]
pub struct RescoreSummary {
    /// Calls scored again from their stored transcript.
    pub scored: usize,
    /// Calls left alone: failed, never transcribed, or whose stored transcript belongs to an
    /// earlier version of the recording (only `run` can bring those up to date).
    pub skipped: usize,
    /// Calls that failed now, with the reason (a scenario the folder does not have).
    pub failed: Vec<(String, String)>,
}

/// Scores every call of `campaign` again with `rubric`, from its stored transcript, without
/// transcribing. Only calls that are scored now and whose transcript is of the recording as it
/// was last read are touched: a call whose file later failed must not come back to life.
pub fn rescore(
    store: &mut Store,
    campaign: &str,
    rubric: &Rubric,
    scenarios: &Scenarios,
) -> anyhow::Result<RescoreSummary> {
    let score_run = store.score_run(&rubric.id, &rubric.sha256, &rubric.title, &rubric.source)?;
    let calls = store.rescorable_calls(campaign)?;
    let results: Vec<_> = calls
        .par_iter()
        .filter_map(|c| {
            let (tid, facts) = (c.transcript_id?, c.facts.as_ref()?);
            let scenario = match c.scenario.as_str() {
                "" => None,
                id => match scenarios.require(id) {
                    Ok(s) => Some(s),
                    Err(e) => return Some((c, Err(format!("{}: {e}", c.file)))),
                },
            };
            let staff = Some(c.staff.as_str()).filter(|s| !s.is_empty());
            let score = score::score_call(rubric, scenario, &c.transcript, facts, staff);
            Some((c, Ok((tid, score))))
        })
        .collect();
    let mut summary = RescoreSummary {
        skipped: store.campaign_call_count(campaign)? - results.len(),
        ..RescoreSummary::default()
    };
    for (call, result) in results {
        match result {
            Ok((tid, score)) => {
                store.save_rescore(call.id, tid, score_run, &score)?;
                summary.scored += 1;
            }
            Err(msg) => {
                store.fail_call(call.id, &msg)?;
                summary.failed.push((call.file.clone(), msg));
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(speaker: Speaker, start: f64, end: f64, text: &str) -> Segment {
        Segment {
            speaker,
            start,
            end,
            text: text.into(),
            invented: false,
            tokens: Vec::new(),
        }
    }

    #[test]
    fn hearing_again_fills_only_the_speech_the_first_pass_left_out() {
        let first = vec![
            seg(Speaker::Staff, 3.7, 9.4, "Good morning, city hall."),
            seg(Speaker::Caller, 10.0, 13.0, "Is there parking?"),
            seg(Speaker::Staff, 13.5, 18.5, "Yes, behind the building."),
        ];
        let heard = vec![
            // Over words already transcribed: the prompt's words, not what was said.
            seg(Speaker::Staff, 13.1, 18.1, "Thank you for calling,"),
            // Where the first pass wrote nothing.
            seg(Speaker::Staff, 21.3, 23.7, "goodbye."),
        ];
        let out = splice(&first, heard);
        let texts: Vec<&str> = out.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Good morning, city hall.",
                "Is there parking?",
                "Yes, behind the building.",
                "goodbye."
            ]
        );
        // Text flagged as invented covers nothing: a stretch under it counts as unheard.
        let mut flagged = first.clone();
        flagged[2].invented = true;
        let out = splice(&flagged, vec![seg(Speaker::Staff, 13.5, 18.0, "Yes.")]);
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn term_prompt_names_the_staff_and_the_scenario_terms() {
        let sc = Scenario::parse(
            "id = \"p\"\ntitle = \"p\"\n[[point]]\nid = \"lot\"\nsay = [\"停車場\", \"parking lot\"]\nwrong = [\"免費\"]\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(
            term_prompt(Language::Zh, Some(&sc), " 林 ").as_deref(),
            Some("林、停車場、免費。")
        );
        assert_eq!(
            term_prompt(Language::En, Some(&sc), "Lin").as_deref(),
            Some("Lin, parking lot.")
        );
        assert_eq!(term_prompt(Language::En, None, ""), None);
    }
}
