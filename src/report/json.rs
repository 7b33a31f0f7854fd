//! The JSON export. Field names are a contract with other tools: add fields, never rename.
//! The contract is these structs, so the compiler checks every field the export writes.

use super::CampaignReport;
use crate::audio::Speaker;
use crate::score::{AppliedOverride, Evidence, Verdict};
use crate::store::CallView;
use crate::transcribe::{Quality, Segment};
use serde::Serialize;

/// The whole export.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    pub campaign: &'a str,
    pub rubric: Option<RubricJson<'a>>,
    pub calls: Vec<CallJson<'a>>,
}

/// The rubric version the verdicts come from.
#[derive(Debug, Serialize)]
pub struct RubricJson<'a> {
    pub id: &'a str,
    pub sha256: &'a str,
    pub title: &'a str,
}

/// One call.
#[derive(Debug, Serialize)]
pub struct CallJson<'a> {
    pub file: &'a str,
    pub staff: &'a str,
    pub unit: &'a str,
    pub scenario: &'a str,
    pub called_at: &'a str,
    pub staff_channel: &'a str,
    /// `scored`, `failed` or `pending`.
    pub status: &'static str,
    pub error: Option<&'a str>,
    pub score: Option<f64>,
    pub max: Option<f64>,
    pub grade: Option<&'a str>,
    pub rings: Option<u32>,
    pub duration: Option<f64>,
    /// A transcript that stayed a loop or garbage after a retry: its verdicts need a human
    /// look before anyone relies on them.
    pub transcript_flagged: bool,
    /// The speech finder missed sound on a side, so that whole side (minus ringback) was
    /// transcribed: text from noise or music may be in it.
    pub speech_finder_unsure: bool,
    pub transcript_quality: Option<&'a Quality>,
    pub criteria: Vec<CriterionJson<'a>>,
    pub transcript: Vec<SegmentJson<'a>>,
}

/// One verdict. `passed` and `applicable` are the contract's original fields; `verdict` says
/// the same in one word.
#[derive(Debug, Serialize)]
pub struct CriterionJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: &'a str,
    pub passed: bool,
    pub applicable: bool,
    pub verdict: Verdict,
    pub points: f64,
    pub max: f64,
    pub reason: &'a str,
    pub evidence: Vec<EvidenceJson<'a>>,
    /// How sure the verdict is, 0..=1; 1 under an override; null for verdicts stored before
    /// confidence was measured.
    pub confidence: Option<f64>,
    /// The confidence is low: a supervisor should check this verdict.
    pub needs_review: bool,
    /// A supervisor's override in effect (null when none): `passed`, `points` and `reason`
    /// above are then the reviewer's.
    #[serde(rename = "override")]
    pub overridden: Option<OverrideJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceJson<'a> {
    pub text: &'a str,
    pub start: f64,
    pub end: f64,
    pub speaker: Speaker,
    pub similarity: f64,
}

#[derive(Debug, Serialize)]
pub struct OverrideJson<'a> {
    pub by: &'a str,
    pub at: &'a str,
    pub reason: &'a str,
    pub original_passed: bool,
    pub original_points: f64,
    pub original_applicable: bool,
    pub original_reason: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SegmentJson<'a> {
    pub speaker: Speaker,
    pub start: f64,
    pub end: f64,
    pub text: &'a str,
    pub invented: bool,
}

/// The campaign as the documented JSON export.
pub fn to_json(report: &CampaignReport) -> Export<'_> {
    Export {
        campaign: &report.campaign,
        rubric: report.rubric.as_ref().map(|r| RubricJson {
            id: &r.rubric_id,
            sha256: &r.sha256,
            title: &r.title,
        }),
        calls: report.calls.iter().map(call).collect(),
    }
}

fn call(c: &CallView) -> CallJson<'_> {
    CallJson {
        file: &c.file,
        staff: &c.staff,
        unit: &c.unit,
        scenario: &c.scenario,
        called_at: &c.called_at,
        staff_channel: &c.staff_channel,
        status: super::call_status(c),
        error: c.error.as_deref(),
        score: c.score.as_ref().map(|t| t.score),
        max: c.score.as_ref().map(|t| t.max),
        grade: c.score.as_ref().map(|t| t.grade.as_str()),
        rings: c.facts.as_ref().map(|f| f.rings),
        duration: c.facts.as_ref().map(|f| f.duration),
        transcript_flagged: c.quality.as_ref().is_some_and(|q| q.is_bad()),
        speech_finder_unsure: c.facts.as_ref().is_some_and(|f| f.speech_finder_unsure()),
        transcript_quality: c.quality.as_ref(),
        criteria: c
            .criteria
            .iter()
            .map(|k| CriterionJson {
                id: &k.id,
                title: &k.title,
                category: &k.category,
                passed: k.verdict.passed(),
                applicable: k.verdict.applicable(),
                verdict: k.verdict,
                points: k.points,
                max: k.max,
                reason: &k.reason,
                evidence: k.evidence.iter().map(evidence).collect(),
                confidence: k.confidence,
                needs_review: k.needs_review,
                overridden: k.overridden.as_ref().map(applied),
            })
            .collect(),
        transcript: c.transcript.iter().map(segment).collect(),
    }
}

fn evidence(e: &Evidence) -> EvidenceJson<'_> {
    EvidenceJson {
        text: &e.text,
        start: e.start,
        end: e.end,
        speaker: e.speaker,
        similarity: e.similarity,
    }
}

fn applied(o: &AppliedOverride) -> OverrideJson<'_> {
    OverrideJson {
        by: &o.by,
        at: &o.at,
        reason: &o.reason,
        original_passed: o.original_passed,
        original_points: o.original_points,
        original_applicable: o.original_applicable,
        original_reason: &o.original_reason,
    }
}

fn segment(s: &Segment) -> SegmentJson<'_> {
    SegmentJson {
        speaker: s.speaker,
        start: s.start,
        end: s.end,
        text: &s.text,
        invented: s.invented,
    }
}
