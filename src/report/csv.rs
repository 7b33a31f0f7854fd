//! CSV exports: one row per call (with one pass/fail column per criterion), or one row per
//! criterion verdict. UTF-8 with a byte-order mark, because Excel otherwise shows Chinese
//! unit and staff names as mojibake.
//!
//! Because these files are meant for Excel, every cell goes through [`cell`]: a staff name,
//! unit, reason or quote that starts like a formula would otherwise run as one when the file
//! is opened (CSV injection).

use super::CampaignReport;
use crate::score::Verdict;
use std::borrow::Cow;

/// Byte-order mark written first so that Excel reads the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// `text` made safe to open in a spreadsheet, as OWASP recommends for CSV injection: a cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms,
/// which some East Asian spreadsheet settings also read as a formula start) gets a leading
/// `'`, so Excel shows it as text instead of evaluating it.
///
/// A cell that is a plain number (`-2.1`, `+3`, `-0.5`) is left alone: the score changes and
/// deltas in these files are legitimately negative, a bare number cannot call a function or
/// reach another cell, and a quote would turn it into text that no longer sums or sorts.
pub fn cell(text: &str) -> Cow<'_, str> {
    let formula_start = text.chars().next().is_some_and(|c| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
        )
    });
    if formula_start && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// An optional ASCII sign, digits and at most one decimal point, with at least one digit.
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac)
}

/// Writes one record with every cell passed through [`cell`].
pub fn write_row<W: std::io::Write, S: AsRef<str>>(
    w: &mut ::csv::Writer<W>,
    cells: &[S],
) -> ::csv::Result<()> {
    w.write_record(cells.iter().map(|c| cell(c.as_ref()).into_owned()))
}

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

/// A whole CSV file from a header and rows: BOM first, every cell through [`cell`]. The
/// reports' CSV outputs are written with it.
pub fn document(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        write_row(&mut w, row).expect("in-memory write");
    }
    finish(w)
}

fn finish(writer: ::csv::Writer<Vec<u8>>) -> String {
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    BOM.to_string() + &String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// One row per call: file, staff, unit, scenario, called_at, status, score, max, grade, one
/// column per criterion id (`passed`, `failed`, `n/a`, or empty when the call was not scored),
/// error, flags (e.g. "speech finder unsure: whole side transcribed").
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
    header.push("flags".into());
    write_row(&mut w, &header).expect("in-memory write");
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
        let unsure = call
            .facts
            .as_ref()
            .is_some_and(|f| f.speech_finder_unsure());
        row.push(
            if unsure {
                crate::audio::SPEECH_FINDER_UNSURE
            } else {
                ""
            }
            .to_string(),
        );
        write_row(&mut w, &row).expect("in-memory write");
    }
    finish(w)
}

/// One row per criterion verdict: the call's keys, then criterion, title, category, verdict,
/// points, max, reason, the evidence quotes as `[m:ss] text` joined by ` | `, confidence
/// (empty when not measured) and needs_review (`yes` or empty).
pub fn criteria_csv(report: &CampaignReport) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    write_row(
        &mut w,
        &[
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
            "confidence",
            "needs_review",
        ],
    )
    .expect("in-memory write");
    for call in &report.calls {
        for c in &call.criteria {
            write_row(
                &mut w,
                &[
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
                    &c.confidence.map_or(String::new(), |x| format!("{x}")),
                    if c.needs_review { "yes" } else { "" },
                ],
            )
            .expect("in-memory write");
        }
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for (text, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("@SUM(1)", "'@SUM(1)"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("＝1+1", "'＝1+1"),
            ("-", "'-"),
        ] {
            assert_eq!(cell(text), want, "{text:?}");
        }
    }

    #[test]
    fn plain_numbers_and_ordinary_text_stay() {
        for text in [
            "-2.1",
            "+3",
            "-0.5",
            "-.5",
            "81.8",
            "林美華",
            "a=b",
            "",
            "2026-10-05",
        ] {
            assert_eq!(cell(text), text, "{text:?}");
        }
    }

    #[test]
    fn rows_are_written_through_cell() {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        write_row(&mut w, &["=1+1", "-1.5", "x"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=1+1,-1.5,x\n");
    }
}
