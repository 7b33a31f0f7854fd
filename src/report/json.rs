//! The JSON export. Field names are a contract with other tools: add fields, never rename.

use super::CampaignReport;
use serde_json::{Value, json};

/// The campaign as the documented JSON export.
pub fn to_json(report: &CampaignReport) -> Value {
    let calls: Vec<Value> = report
        .calls
        .iter()
        .map(|c| {
            let (score, max, grade) = match &c.score {
                Some((s, m, g)) => (json!(s), json!(m), json!(g)),
                None => (Value::Null, Value::Null, Value::Null),
            };
            let status = super::call_status(c);
            json!({
                "file": c.file,
                "staff": c.staff,
                "unit": c.unit,
                "scenario": c.scenario,
                "called_at": c.called_at,
                "staff_channel": c.staff_channel,
                "status": status,
                "error": c.error,
                "score": score,
                "max": max,
                "grade": grade,
                "rings": c.facts.as_ref().map(|f| f.rings),
                "duration": c.facts.as_ref().map(|f| f.duration),
                // A transcript that stayed a loop or garbage after a retry: its verdicts need a
                // human look before anyone relies on them.
                "transcript_flagged": c.quality.as_ref().is_some_and(|q| q.is_bad()),
                "transcript_quality": c.quality,
                "criteria": c.criteria.iter().map(|k| json!({
                    "id": k.id,
                    "title": k.title,
                    "category": k.category,
                    "passed": k.passed,
                    "applicable": k.applicable,
                    "points": k.points,
                    "max": k.max,
                    "reason": k.reason,
                    "evidence": k.evidence.iter().map(|e| json!({
                        "text": e.text, "start": e.start, "end": e.end,
                        "speaker": e.speaker, "similarity": e.similarity,
                    })).collect::<Vec<_>>(),
                    // A supervisor's override in effect (null when none): `passed`, `points`
                    // and `reason` above are then the reviewer's.
                    "override": k.overridden.as_ref().map(|o| json!({
                        "by": o.by, "at": o.at, "reason": o.reason,
                        "original_passed": o.original_passed,
                        "original_points": o.original_points,
                        "original_applicable": o.original_applicable,
                        "original_reason": o.original_reason,
                    })),
                })).collect::<Vec<_>>(),
                "transcript": c.transcript.iter().map(|s| json!({
                    "speaker": s.speaker, "start": s.start, "end": s.end,
                    "text": s.text, "invented": s.invented,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "campaign": report.campaign,
        "rubric": report.rubric.as_ref().map(|r| json!({
            "id": r.rubric_id, "sha256": r.sha256, "title": r.title,
        })),
        "calls": calls,
    })
}
