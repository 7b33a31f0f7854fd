//! The report's first pages: the campaign summary, unit trends and the training list.

use super::charts::{Bar, bar_chart, column_chart, trends_chart};
use super::components::{grade, header_row, quote_from, score, warnings, when};
use super::{ExportInput, Labels};
use crate::report::CampaignReport;
use crate::report::training::TrainingList;
use crate::report::trends::{TrendRow, Trends};
use crate::store::CallView;
use maud::{Markup, html};

pub(super) fn summary(input: &ExportInput, l: &Labels) -> Markup {
    let report = input.report;
    let scored: Vec<&CallView> = report.calls.iter().filter(|c| c.score.is_some()).collect();
    let mean = (!scored.is_empty()).then(|| {
        scored
            .iter()
            .filter_map(|c| c.score.as_ref())
            .map(|s| s.score)
            .sum::<f64>()
            / scored.len() as f64
    });
    let cards = [
        (l.calls, report.calls.len().to_string()),
        (l.scored, scored.len().to_string()),
        (
            l.not_scored,
            (report.calls.len() - scored.len()).to_string(),
        ),
        (l.mean, mean.map_or("—".to_string(), |m| format!("{m:.1}"))),
    ];
    let grades = grade_bars(report, &scored);
    let rates: Vec<Bar> = failure_rates(report)
        .into_iter()
        .map(|(title, failed, of)| {
            let rate = failed as f64 / of as f64 * 100.0;
            Bar {
                label: title,
                value: rate,
                text: format!("{rate:.0}% ({failed}/{of})"),
            }
        })
        .collect();
    html! {
        section id="summary" {
            h1 { (l.report) " — " (report.campaign) }
            p class="meta" {
                (l.campaign) ": " (report.campaign) " · " (l.rubric) ": "
                (report.rubric.as_ref().map_or("—", |r| r.title.as_str()))
            }
            @if input.deidentified { p class="note" { (l.deidentified) } }
            div class="cards" {
                @for (label, value) in &cards { div class="card" { (label) b { (value) } } }
            }
            @if !grades.is_empty() {
                figure {
                    figcaption { (l.grades) }
                    (column_chart(l.grades, &grades, l.calls))
                }
            }
            @if !rates.is_empty() {
                figure {
                    figcaption { (l.failure_rate) }
                    (bar_chart(l.failure_rate, &rates, 100.0))
                }
            }
            table {
                (header_row(&[(l.file, false), (l.staff, false), (l.unit, false),
                    (l.called_at, false), (l.score, true), (l.grade, false)]))
                tbody {
                    @for c in &report.calls {
                        tr {
                            td { a href=(format!("#call-{}", c.id)) { (c.file) } }
                            td class="nw" { (c.staff) }
                            td class="nw" { (c.unit) }
                            td class="nw" { (when(&c.called_at)) }
                            td class="num" { (score(c.score.as_ref())) }
                            td { (grade(c.score.as_ref(), l)) }
                        }
                    }
                }
            }
        }
    }
}

/// Calls per grade band in the rubric's order (highest first), then any stored grade it lacks.
fn grade_bars(report: &CampaignReport, scored: &[&CallView]) -> Vec<Bar> {
    let mut grades: Vec<String> = report
        .form
        .as_ref()
        .map(|r| r.grades.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    for c in scored {
        if let Some(t) = &c.score
            && !grades.contains(&t.grade)
        {
            grades.push(t.grade.clone());
        }
    }
    grades
        .into_iter()
        .map(|g| {
            let n = scored
                .iter()
                .filter(|c| c.score.as_ref().is_some_and(|s| s.grade == g))
                .count();
            Bar {
                label: g,
                value: n as f64,
                text: n.to_string(),
            }
        })
        .collect()
}

/// Per criterion in rubric order: title, calls where it applied and failed, calls where it
/// applied.
fn failure_rates(report: &CampaignReport) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, String, usize, usize)> = Vec::new();
    for k in report.calls.iter().flat_map(|c| &c.criteria) {
        let i = match out.iter().position(|(id, ..)| id == &k.id) {
            Some(i) => i,
            None => {
                out.push((k.id.clone(), k.title.clone(), 0, 0));
                out.len() - 1
            }
        };
        if k.verdict.applicable() {
            out[i].3 += 1;
            if k.verdict.failed() {
                out[i].2 += 1;
            }
        }
    }
    out.into_iter()
        .filter(|(.., of)| *of > 0)
        .map(|(_, title, failed, of)| (title, failed, of))
        .collect()
}

pub(super) fn trends(trends: Option<&Trends>, l: &Labels) -> Markup {
    let Some(t) = trends.filter(|t| !t.campaigns.is_empty()) else {
        return html! { section id="trends" { h2 { (l.trends) } p { (l.no_trends) } } };
    };
    let mut groups: Vec<&str> = t.rows.iter().map(|r| r.group.as_str()).collect();
    groups.dedup();
    // One line per unit, then all units together: (name, its rows).
    let mut lines: Vec<(&str, Vec<&TrendRow>)> = groups
        .iter()
        .map(|g| (*g, t.rows.iter().filter(|r| r.group == *g).collect()))
        .collect();
    lines.push((l.all_units, t.totals.iter().collect()));
    let find = |rows: &[&TrendRow], campaign: &str| {
        rows.iter()
            .find(|r| r.campaign == campaign)
            .and_then(|r| r.mean_score.map(|m| (m, r.calls)))
    };
    html! {
        section id="trends" {
            h2 { (l.trends) }
            (warnings(&t.warnings, l))
            figure { (trends_chart(t, l.all_units, l.trends, l.score_axis)) }
            table {
                thead { tr { th { (l.unit) } @for c in &t.campaigns { th class="num" { (c) } } } }
                tbody {
                    @for (name, rows) in &lines {
                        tr {
                            td { (name) }
                            @for c in &t.campaigns {
                                td class="num" {
                                    @match find(rows, c) {
                                        Some((m, n)) => (format!("{m:.1} ({n})")),
                                        None => "—",
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The training list section (the review app's training page shows the same).
pub fn training(list: Option<&TrainingList>, l: &Labels) -> Markup {
    let nobody = html! { p { (l.no_training) } };
    let Some(list) = list else {
        return html! { section id="training" { h2 { (l.training) } (nobody) } };
    };
    html! {
        section id="training" {
            h2 { (l.training) }
            p class="meta" { (l.training_window) ": " (list.campaigns.join(", ")) }
            (warnings(&list.warnings, l))
            @if list.by_person.iter().all(|p| p.needs.is_empty()) {
                (nobody)
            } @else {
                table {
                    (header_row(&[(l.staff, false), (l.unit, false), (l.criterion, false),
                        (l.topic, false), (l.failed_of, true), (l.latest, false)]))
                    tbody {
                        @for need in list.by_person.iter().flat_map(|p| &p.needs) {
                            tr {
                                td class="nw" { (need.staff) }
                                td class="nw" { (need.unit) }
                                td { (need.title) }
                                td { (need.topic) }
                                td class="num" {
                                    (need.failed) "/" (need.of)
                                    (format!(" ({:.0}%)", need.rate * 100.0))
                                }
                                td {
                                    @if let Some(e) = &need.latest {
                                        (e.campaign) " " (e.file) " — " (e.reason)
                                        @for q in &e.evidence { (quote_from(q.start, &q.text)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
