//! The Excel workbook offices file and filter: sheets Calls, Criteria, Trends and Training,
//! each with a frozen, filterable header row, columns sized for Chinese text, scores shown to
//! one decimal and rates as percentages. Headers are in the rubric's language.

use super::html::{ExportInput, Labels, language};
use crate::score::Verdict;
use crate::store::CallView;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Sheet names, in order. Kept in English so that macros and links survive a change of rubric.
pub const SHEETS: [&str; 4] = ["Calls", "Criteria", "Trends", "Training"];

/// One cell to write.
enum Cell {
    Text(String),
    Number(f64, Kind),
    Empty,
}

/// How a number is shown.
#[derive(Clone, Copy)]
enum Kind {
    /// Scores and points: one decimal.
    Score,
    /// Counts: whole numbers.
    Count,
    /// Fractions 0..=1 shown as percentages.
    Percent,
    /// Changes with an explicit sign.
    Delta,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_num(v: Option<f64>, kind: Kind) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Number(v, kind))
}

/// Writes a table to one sheet: bold frozen header with a filter, widths from the content
/// (CJK characters count double), long text wrapped.
struct Sheet {
    header: Format,
    score: Format,
    count: Format,
    percent: Format,
    delta: Format,
    wrap: Format,
}

impl Sheet {
    fn new() -> Sheet {
        let font = |f: Format| f.set_font_name("Microsoft JhengHei").set_font_size(11);
        Sheet {
            header: font(Format::new())
                .set_bold()
                .set_background_color("DDEBF7")
                .set_border(FormatBorder::Thin)
                .set_text_wrap(),
            score: font(Format::new()).set_num_format("0.0"),
            count: font(Format::new()).set_num_format("0"),
            percent: font(Format::new()).set_num_format("0%"),
            delta: font(Format::new()).set_num_format("+0.0;-0.0;0.0"),
            wrap: font(Format::new()).set_text_wrap(),
        }
    }

    fn write(
        &self,
        ws: &mut Worksheet,
        name: &str,
        header: &[String],
        rows: &[Vec<Cell>],
    ) -> Result<(), XlsxError> {
        ws.set_name(name)?;
        let mut widths: Vec<usize> = header.iter().map(|h| h.width().max(6)).collect();
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &self.header)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, col, s, &self.wrap)?;
                        widths[c] = widths[c].max(s.width());
                    }
                    Cell::Number(v, kind) => {
                        let f = match kind {
                            Kind::Score => &self.score,
                            Kind::Count => &self.count,
                            Kind::Percent => &self.percent,
                            Kind::Delta => &self.delta,
                        };
                        ws.write_number_with_format(r, col, *v, f)?;
                        widths[c] = widths[c].max(7);
                    }
                    Cell::Empty => {}
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            // Long free text wraps at 60 characters' width instead of one enormous column.
            ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(
            0,
            0,
            rows.len() as u32,
            header.len().saturating_sub(1) as u16,
        )?;
        ws.set_repeat_rows(0, 0)?;
        ws.set_paper_size(9); // A4
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(())
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn verdict(l: &Labels, v: Verdict) -> &'static str {
    match v {
        Verdict::NotApplicable => l.not_applicable,
        Verdict::Passed => l.passed,
        Verdict::Failed => l.failed,
    }
}

fn status(l: &Labels, call: &CallView) -> &'static str {
    match super::call_status(call) {
        "scored" => l.scored,
        _ => l.not_scored,
    }
}

/// The workbook as bytes.
pub fn to_xlsx(input: &ExportInput) -> Result<Vec<u8>, XlsxError> {
    let l = Labels::for_language(language(input.report));
    let sheet = Sheet::new();
    let mut wb = Workbook::new();
    let (header, rows) = calls_sheet(input, l);
    sheet.write(wb.add_worksheet(), SHEETS[0], &header, &rows)?;
    let (header, rows) = criteria_sheet(input, l);
    sheet.write(wb.add_worksheet(), SHEETS[1], &header, &rows)?;
    let (header, rows) = trends_sheet(input, l);
    sheet.write(wb.add_worksheet(), SHEETS[2], &header, &rows)?;
    let (header, rows) = training_sheet(input, l);
    sheet.write(wb.add_worksheet(), SHEETS[3], &header, &rows)?;
    wb.save_to_buffer()
}

fn calls_sheet(input: &ExportInput, l: &Labels) -> (Vec<String>, Vec<Vec<Cell>>) {
    let report = input.report;
    let ids = super::csv::criterion_ids(report);
    let mut header = strings(&[
        l.file,
        l.staff,
        l.unit,
        l.scenario,
        l.called_at,
        l.status,
        l.score,
        l.max,
        l.grade,
    ]);
    header.extend(ids.iter().map(|(_, title)| title.clone()));
    header.push(l.error.to_string());
    let rows = report
        .calls
        .iter()
        .map(|c| {
            let mut row = vec![
                text(&c.file),
                text(&c.staff),
                text(&c.unit),
                text(&c.scenario),
                text(&c.called_at),
                text(status(l, c)),
                opt_num(c.score.as_ref().map(|s| s.score), Kind::Score),
                opt_num(c.score.as_ref().map(|s| s.max), Kind::Score),
                c.score.as_ref().map_or(Cell::Empty, |s| text(&s.grade)),
            ];
            for (id, _) in &ids {
                row.push(
                    c.criteria
                        .iter()
                        .find(|k| &k.id == id)
                        .map_or(Cell::Empty, |k| text(verdict(l, k.verdict))),
                );
            }
            row.push(c.error.as_ref().map_or(Cell::Empty, text));
            row
        })
        .collect();
    (header, rows)
}

fn criteria_sheet(input: &ExportInput, l: &Labels) -> (Vec<String>, Vec<Vec<Cell>>) {
    let header = strings(&[
        l.file,
        l.staff,
        l.unit,
        l.called_at,
        l.criterion,
        l.category,
        l.verdict,
        l.points,
        l.max,
        l.reason,
        l.evidence,
        l.confidence,
        l.needs_review,
    ]);
    let mut rows = Vec::new();
    for c in &input.report.calls {
        for k in &c.criteria {
            rows.push(vec![
                text(&c.file),
                text(&c.staff),
                text(&c.unit),
                text(&c.called_at),
                text(&k.title),
                text(&k.category),
                text(verdict(l, k.verdict)),
                Cell::Number(k.points, Kind::Score),
                Cell::Number(k.max, Kind::Score),
                text(&k.reason),
                text(super::quotes(&k.evidence, "\n")),
                k.confidence
                    .map_or(Cell::Empty, |x| Cell::Number(x, Kind::Percent)),
                if k.needs_review {
                    text(l.needs_review)
                } else {
                    Cell::Empty
                },
            ]);
        }
    }
    (header, rows)
}

fn trends_sheet(input: &ExportInput, l: &Labels) -> (Vec<String>, Vec<Vec<Cell>>) {
    let Some(t) = input.trends else {
        return (strings(&[l.trends]), vec![vec![text(l.no_trends)]]);
    };
    let mut header = strings(&[
        l.unit,
        l.campaign,
        l.calls,
        l.mean,
        l.max,
        l.delta,
        l.below_pass,
    ]);
    header.extend(t.grades.iter().cloned());
    header.extend(t.categories.iter().map(|c| format!("{c} %")));
    let rows = t
        .rows
        .iter()
        .map(|r| (r.group.as_str(), r))
        .chain(t.totals.iter().map(|r| (l.all_units, r)))
        .map(|(group, r)| {
            let mut row = vec![
                text(group),
                text(&r.campaign),
                Cell::Number(r.calls as f64, Kind::Count),
                opt_num(r.mean_score, Kind::Score),
                Cell::Number(r.max, Kind::Score),
                opt_num(r.delta, Kind::Delta),
                Cell::Number(r.below_pass as f64, Kind::Count),
            ];
            for g in &t.grades {
                let n = r.grades.iter().find(|(name, _)| name == g).map(|x| x.1);
                row.push(opt_num(n.map(|n| n as f64), Kind::Count));
            }
            for c in &t.categories {
                let pct = r.categories.iter().find(|(name, _)| name == c).map(|x| x.1);
                row.push(opt_num(pct.map(|p| p / 100.0), Kind::Percent));
            }
            row
        })
        .collect();
    (header, rows)
}

fn training_sheet(input: &ExportInput, l: &Labels) -> (Vec<String>, Vec<Vec<Cell>>) {
    let Some(list) = input.training else {
        return (strings(&[l.training]), vec![vec![text(l.no_training)]]);
    };
    let header = strings(&[
        l.staff,
        l.unit,
        l.criterion,
        l.category,
        l.topic,
        l.failed,
        l.calls,
        l.rate,
        l.campaign,
        l.file,
        l.reason,
        l.quote,
    ]);
    let rows = list
        .by_person
        .iter()
        .flat_map(|p| &p.needs)
        .map(|n| {
            let latest = n.latest.as_ref();
            vec![
                text(&n.staff),
                text(&n.unit),
                text(&n.title),
                text(&n.category),
                text(&n.topic),
                Cell::Number(n.failed as f64, Kind::Count),
                Cell::Number(n.of as f64, Kind::Count),
                Cell::Number(n.rate, Kind::Percent),
                latest.map_or(Cell::Empty, |e| text(&e.campaign)),
                latest.map_or(Cell::Empty, |e| text(&e.file)),
                latest.map_or(Cell::Empty, |e| text(&e.reason)),
                latest.map_or(Cell::Empty, |e| text(super::quotes(&e.evidence, "\n"))),
            ]
        })
        .collect();
    (header, rows)
}
