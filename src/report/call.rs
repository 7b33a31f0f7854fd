//! One call's scored transcript, for a supervisor: every criterion with verdict, points, reason
//! and the quotes behind it, then the whole conversation with speaker labels.

use super::ReportError;
use crate::audio::AudioFacts;
use crate::score::{AppliedOverride, Evidence, LineSpeaker, Rubric, Verdict};
use crate::store::{CallLocation, RecordingPlace, Store};
use crate::transcribe::Segment;
use serde::Serialize;

/// One criterion's verdict with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionLine {
    pub id: String,
    pub title: String,
    pub category: String,
    pub verdict: Verdict,
    pub points: f64,
    pub max: f64,
    pub reason: String,
    pub evidence: Vec<Evidence>,
    /// Training topic from the rubric (its `training`, else the title) when the criterion failed.
    pub topic: Option<String>,
    /// How sure the verdict is, 0..=1 (`None`: scored before confidence was measured).
    pub confidence: Option<f64>,
    /// The confidence is low: a supervisor should check this verdict.
    pub needs_review: bool,
    /// A supervisor's override in effect: verdict, points and reason above are then the
    /// reviewer's, and the automatic verdict is kept here.
    #[serde(rename = "override")]
    pub overridden: Option<AppliedOverride>,
}

/// The rubric version the call's verdicts come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricRef {
    pub id: String,
    pub sha256: String,
    pub title: String,
}

/// One call's scored transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallReport {
    pub call_id: i64,
    pub campaign: String,
    pub file: String,
    /// Where the recording is (absolute), or where it should be when it is missing.
    pub path: String,
    /// The recording is at `path`.
    pub recording_found: bool,
    pub staff: String,
    pub unit: String,
    pub scenario: String,
    pub called_at: String,
    pub staff_channel: String,
    /// `scored`, `failed` or `pending`.
    pub status: String,
    pub error: Option<String>,
    /// `None` when the call has no current score.
    pub rubric: Option<RubricRef>,
    pub score: Option<f64>,
    pub max: Option<f64>,
    pub grade: Option<String>,
    /// The rubric's pass mark and whether the score reaches it.
    pub pass_mark: Option<f64>,
    pub passed: Option<bool>,
    pub rings: Option<u32>,
    pub duration: Option<f64>,
    /// The speech finder missed sound on a side, so that whole side was transcribed.
    pub speech_finder_unsure: bool,
    /// What the audio stage measured (speech regions, rings), for the review app's timeline;
    /// left out of JSON, which carries `rings` and `duration`.
    #[serde(skip)]
    pub facts: Option<AudioFacts>,
    pub criteria: Vec<CriterionLine>,
    /// The transcript in time order; segments with `invented` set were dropped before scoring.
    /// Mono lines carry the speaker scoring found (see `speakers`).
    pub transcript: Vec<Segment>,
    /// How sure scoring was of each mono line's speaker, indexed like `transcript`; empty when
    /// the score did not keep it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Option<LineSpeaker>>,
    /// Other campaigns holding a call with the same file name (pick one with `--campaign`).
    pub other_campaigns: Vec<String>,
    /// Other rubric ids that scored this call (pick one with `--rubric`).
    pub other_rubrics: Vec<String>,
}

/// Finds the call named by `file_or_id` (its stored id, or its manifest file name) and loads its
/// verdicts under the newest score run, or the newest run of rubric id `rubric`. When the file
/// is in several campaigns and `campaign` is `None`, the newest campaign (by name) is used and
/// the others are listed in [`CallReport::other_campaigns`].
pub fn call_report(
    store: &Store,
    file_or_id: &str,
    campaign: Option<&str>,
    rubric: Option<&str>,
) -> Result<CallReport, ReportError> {
    let db = store.path().display().to_string();
    let found = store.find_calls(file_or_id, campaign)?;
    // An id and a file name could both match; a file name is what people type, so it wins.
    let by_name: Vec<_> = found
        .iter()
        .filter(|c| c.id.to_string() != file_or_id.trim())
        .cloned()
        .collect();
    let found = if by_name.is_empty() { found } else { by_name };
    let Some(chosen) = found.last().cloned() else {
        let scope = campaign
            .map(|c| format!(" in campaign {c}"))
            .unwrap_or_default();
        let hint = match campaign {
            Some(c) if !store.campaign_exists(c)? => format!(
                "There is no campaign {c}; campaigns: {}.",
                store.campaigns()?.join(", ")
            ),
            _ => "Give the file name as in the manifest's `file` column (e.g. call01.wav); `callgrade export --campaign NAME` lists a campaign's calls.".to_string(),
        };
        return Err(ReportError::NoCall {
            db,
            call: file_or_id.to_string(),
            scope,
            hint,
        });
    };
    build(store, &chosen, &found, rubric)
}

/// The call with stored id `call_id` (never a file name: the review app links calls by id),
/// under the newest score run or the newest run of rubric id `rubric`; `None` when no call has
/// that id.
pub fn call_report_by_id(
    store: &Store,
    call_id: i64,
    rubric: Option<&str>,
) -> Result<Option<CallReport>, ReportError> {
    let found: Vec<CallLocation> = store
        .find_calls(&call_id.to_string(), None)?
        .into_iter()
        .filter(|c| c.id == call_id)
        .collect();
    match found.first() {
        Some(chosen) => build(store, chosen, &found, rubric).map(Some),
        None => Ok(None),
    }
}

/// The report of `chosen`; `found` are the calls the name matched (other campaigns are listed).
fn build(
    store: &Store,
    chosen: &CallLocation,
    found: &[CallLocation],
    rubric: Option<&str>,
) -> Result<CallReport, ReportError> {
    let db = store.path().display().to_string();
    let file_or_id = &chosen.file;
    let runs = store.call_score_runs(chosen.id)?;
    let run =
        match rubric {
            None => runs.first(),
            Some(id) => Some(runs.iter().find(|r| r.rubric_id == id).ok_or_else(|| {
                ReportError::NoRubric {
                    db: db.clone(),
                    campaign: chosen.campaign.clone(),
                    rubric: id.to_string(),
                    known: known_ids(&runs),
                }
            })?),
        };
    let view = store
        .call_detail(chosen.id, run.map(|r| r.id))?
        .ok_or_else(|| ReportError::NoCall {
            db: db.clone(),
            call: file_or_id.to_string(),
            scope: String::new(),
            hint: "It was removed while reading; run the report again.".into(),
        })?;
    let parsed = run.map(|r| store.stored_rubric(r)).transpose()?;
    let topic_of = |id: &str, title: &str| {
        parsed
            .as_ref()
            .and_then(|r| r.criteria.iter().find(|c| c.id == id))
            .and_then(|c| c.training.clone())
            .unwrap_or_else(|| title.to_string())
    };
    let criteria = view
        .criteria
        .iter()
        .map(|k| {
            let verdict = k.verdict;
            CriterionLine {
                id: k.id.clone(),
                title: k.title.clone(),
                category: k.category.clone(),
                verdict,
                points: k.points,
                max: k.max,
                // Who overrode it sits next to the verdict, where a supervisor reads it.
                reason: match &k.overridden {
                    Some(o) => format!(
                        "overridden by {} on {}: {} (automatic verdict: {})",
                        o.by,
                        o.at.get(..10).unwrap_or(&o.at),
                        o.reason,
                        o.automatic_verdict(k.max)
                    ),
                    None => k.reason.clone(),
                },
                evidence: k.evidence.clone(),
                topic: (verdict == Verdict::Failed).then(|| topic_of(&k.id, &k.title)),
                confidence: k.confidence,
                needs_review: k.needs_review,
                overridden: k.overridden.clone(),
            }
        })
        .collect();
    let pass_mark = parsed.as_ref().map(Rubric::pass_mark);
    let score = view.score.clone();
    let mut other_rubrics: Vec<String> = runs
        .iter()
        .map(|r| r.rubric_id.clone())
        .filter(|id| Some(id) != run.map(|r| &r.rubric_id))
        .collect();
    other_rubrics.sort();
    other_rubrics.dedup();
    let (path, recording_found) = match store.locate_recording(&view.path) {
        RecordingPlace::Found(p) => (p, true),
        RecordingPlace::Missing { expected } => (expected, false),
    };
    Ok(CallReport {
        call_id: view.id,
        campaign: view.campaign,
        file: view.file,
        path: path.display().to_string(),
        recording_found,
        staff: view.staff,
        unit: view.unit,
        scenario: view.scenario,
        called_at: view.called_at,
        staff_channel: view.staff_channel,
        status: view.status,
        error: view.error,
        rubric: run.map(|r| RubricRef {
            id: r.rubric_id.clone(),
            sha256: r.sha256.clone(),
            title: r.title.clone(),
        }),
        score: score.as_ref().map(|s| s.score),
        max: score.as_ref().map(|s| s.max),
        grade: score.as_ref().map(|s| s.grade.clone()),
        pass_mark,
        passed: score
            .as_ref()
            .zip(pass_mark)
            .map(|(s, m)| s.score + 1e-9 >= m),
        rings: view.facts.as_ref().map(|f| f.rings),
        duration: view.facts.as_ref().map(|f| f.duration),
        speech_finder_unsure: view
            .facts
            .as_ref()
            .is_some_and(|f| f.speech_finder_unsure()),
        facts: view.facts,
        criteria,
        transcript: view.transcript,
        speakers: view.speakers,
        other_campaigns: found
            .iter()
            .filter(|c| c.campaign != chosen.campaign)
            .map(|c| c.campaign.clone())
            .collect(),
        other_rubrics,
    })
}

fn known_ids(runs: &[crate::store::ScoreRunView]) -> String {
    if runs.is_empty() {
        return "none (the call has no current score)".into();
    }
    let mut ids: Vec<&str> = runs.iter().map(|r| r.rubric_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    ids.join(", ")
}
