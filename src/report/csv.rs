//! CSV exports: one row per call (with one pass/fail column per criterion), or one row per
//! criterion verdict. UTF-8 with a byte-order mark, because Excel otherwise shows Chinese
//! unit and staff names as mojibake.

use super::CampaignReport;
use crate::score::Verdict;

/// Byte-order mark written first so that Excel reads the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// Verdict word in the per-criterion columns.
fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::NotApplicable => "n/a",
        other => other.label(),
    }
}

/// Criterion ids in rubric order, over every call (rubric versions may differ in a campaign).
pub fn criterion_ids(report: &CampaignReport) -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = Vec::new();
    for c in report.calls.iter().flat_map(|c| &c.criteria) {
        if !ids.iter().any(|(id, _)| id == &c.id) {
            ids.push((c.id.clone(), c.title.clone()));
        }
    }
    ids
}

fn finish(writer: ::csv::Writer<Vec<u8>>) -> String {
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    BOM.to_string() + &String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// One row per call: file, staff, unit, scenario, called_at, status, score, max, grade, one
/// column per criterion id (`passed`, `failed`, `n/a`, or empty when the call was not scored),
/// error.
pub fn calls_csv(report: &CampaignReport) -> String {
    let ids = criterion_ids(report);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "file",
        "staff",
        "unit",
        "scenario",
        "called_at",
        "status",
        "score",
        "max",
        "grade",
    ]
    .map(String::from)
    .to_vec();
    header.extend(ids.iter().map(|(id, _)| id.clone()));
    header.push("error".into());
    w.write_record(&header).expect("in-memory write");
    for call in &report.calls {
        let (score, max, grade) = match &call.score {
            Some(t) => (
                format!("{:.1}", t.score),
                format!("{}", t.max),
                t.grade.clone(),
            ),
            None => Default::default(),
        };
        let mut row = vec![
            call.file.clone(),
            call.staff.clone(),
            call.unit.clone(),
            call.scenario.clone(),
            call.called_at.clone(),
            super::call_status(call).to_string(),
            score,
            max,
            grade,
        ];
        for (id, _) in &ids {
            row.push(
                call.criteria
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| verdict(c.verdict).to_string())
                    .unwrap_or_default(),
            );
        }
        row.push(call.error.clone().unwrap_or_default());
        w.write_record(&row).expect("in-memory write");
    }
    finish(w)
}

/// One row per criterion verdict: the call's keys, then criterion, title, category, verdict,
/// points, max, reason and the evidence quotes as `[m:ss] text` joined by ` | `.
pub fn criteria_csv(report: &CampaignReport) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "file",
        "staff",
        "unit",
        "scenario",
        "called_at",
        "criterion",
        "title",
        "category",
        "verdict",
        "points",
        "max",
        "reason",
        "evidence",
    ])
    .expect("in-memory write");
    for call in &report.calls {
        for c in &call.criteria {
            w.write_record([
                call.file.as_str(),
                &call.staff,
                &call.unit,
                &call.scenario,
                &call.called_at,
                &c.id,
                &c.title,
                &c.category,
                verdict(c.verdict),
                &format!("{}", c.points),
                &format!("{}", c.max),
                &c.reason,
                &super::quotes(&c.evidence, " | "),
            ])
            .expect("in-memory write");
        }
    }
    finish(w)
}
