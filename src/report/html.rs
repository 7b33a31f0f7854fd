//! The printable HTML report: one self-contained file (inline CSS and SVG, no scripts, no
//! external references) laid out for A4, in Traditional Chinese when the rubric is Chinese.
//!
//! Sections, each starting a new printed page: summary with grade distribution and failure
//! rate per criterion, unit trends across campaigns, the training list, then one per call with
//! its verdicts, evidence quotes and transcript.

use super::CampaignReport;
use super::charts::{Bar, LineChart, Series, bar_chart, column_chart, escape, line_chart};
use super::training::TrainingList;
use super::trends::Trends;
use crate::audio::{Speaker, mmss};
use crate::score::{Language, Rubric, Verdict};
use crate::store::CallView;
use std::fmt::Write;

/// Everything the HTML report and the workbook show. `trends` and `training` come from the
/// whole database; `None` leaves their sections with a note instead.
pub struct ExportInput<'a> {
    pub report: &'a CampaignReport,
    pub trends: Option<&'a Trends>,
    pub training: Option<&'a TrainingList>,
    /// Open-data export: adds a note that names are pseudonyms and free text was removed.
    pub deidentified: bool,
}

/// A manifest time (`2026-10-05T09:12:00`) as people write it: `2026-10-05 09:12`.
fn when(called_at: &str) -> String {
    let t = called_at.replacen('T', " ", 1);
    match t.len() {
        19 if t.ends_with(":00") => t[..16].to_string(),
        _ => t,
    }
}

/// The language of the report: the rubric's, English when the campaign has no scores.
pub fn language(report: &CampaignReport) -> Language {
    report.form.as_ref().map_or(Language::En, |r| r.language)
}

/// Fixed words of the report in one language.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang: &'static str,
    pub report: &'static str,
    pub campaign: &'static str,
    pub rubric: &'static str,
    pub summary: &'static str,
    pub calls: &'static str,
    pub scored: &'static str,
    pub not_scored: &'static str,
    pub mean: &'static str,
    pub grades: &'static str,
    pub failure_rate: &'static str,
    pub trends: &'static str,
    pub score_axis: &'static str,
    pub all_units: &'static str,
    pub no_trends: &'static str,
    pub training: &'static str,
    pub training_window: &'static str,
    pub no_training: &'static str,
    pub topic: &'static str,
    pub failed_of: &'static str,
    pub latest: &'static str,
    pub file: &'static str,
    pub staff: &'static str,
    pub unit: &'static str,
    pub scenario: &'static str,
    pub called_at: &'static str,
    pub score: &'static str,
    pub grade: &'static str,
    pub error: &'static str,
    pub criterion: &'static str,
    pub category: &'static str,
    pub verdict: &'static str,
    pub points: &'static str,
    pub reason: &'static str,
    pub evidence: &'static str,
    pub transcript: &'static str,
    pub no_transcript: &'static str,
    pub invented: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub not_applicable: &'static str,
    pub speaker_staff: &'static str,
    pub speaker_caller: &'static str,
    pub speaker_unknown: &'static str,
    pub deidentified: &'static str,
    pub warnings: &'static str,
    pub colon: &'static str,
    pub status: &'static str,
    pub max: &'static str,
    pub delta: &'static str,
    pub below_pass: &'static str,
    pub rate: &'static str,
    pub quote: &'static str,
    pub confidence: &'static str,
    /// Mark on a verdict whose confidence is low: a supervisor should check it.
    pub needs_review: &'static str,
}

impl Labels {
    /// The labels for `lang`.
    pub fn for_language(lang: Language) -> &'static Labels {
        lang.pick(&ZH, &EN)
    }
}

const ZH: Labels = Labels {
    lang: "zh-TW",
    report: "電話禮貌測試報告",
    campaign: "測試梯次",
    rubric: "評分表",
    summary: "摘要",
    calls: "通數",
    scored: "已評分",
    not_scored: "無法評分",
    mean: "平均分數",
    grades: "等第分布",
    failure_rate: "各項目未通過比率",
    trends: "各單位歷次成績",
    score_axis: "平均分數",
    all_units: "全部",
    no_trends: "資料庫中沒有可比較的歷次成績。",
    training: "訓練需求名單",
    training_window: "統計梯次",
    no_training: "沒有人達到列入訓練名單的未通過比率。",
    topic: "訓練主題",
    failed_of: "未通過／適用",
    latest: "最近一次",
    file: "錄音檔",
    staff: "受測人員",
    unit: "單位",
    scenario: "情境",
    called_at: "測試時間",
    score: "分數",
    grade: "等第",
    error: "錯誤",
    criterion: "評分項目",
    category: "類別",
    verdict: "結果",
    points: "得分",
    reason: "理由",
    evidence: "佐證",
    transcript: "逐字稿",
    no_transcript: "無逐字稿。",
    invented: "（疑似辨識幻覺，不採計）",
    passed: "通過",
    failed: "未通過",
    not_applicable: "不適用",
    speaker_staff: "受測人員",
    speaker_caller: "測試者",
    speaker_unknown: "通話",
    deidentified: "開放資料版：人員姓名已以代號取代，測試時間只留日期，逐字稿、引述與錯誤訊息已移除。",
    warnings: "注意",
    colon: "：",
    status: "狀態",
    max: "滿分",
    delta: "較前次增減",
    below_pass: "未達及格通數",
    rate: "未通過率",
    quote: "引述",
    confidence: "信心",
    needs_review: "待複核",
};

const EN: Labels = Labels {
    lang: "en",
    report: "Telephone courtesy test report",
    campaign: "Campaign",
    rubric: "Rubric",
    summary: "Summary",
    calls: "Calls",
    scored: "Scored",
    not_scored: "Could not be scored",
    mean: "Mean score",
    grades: "Grade distribution",
    failure_rate: "Failure rate per criterion",
    trends: "Unit scores across campaigns",
    score_axis: "Mean score",
    all_units: "All",
    no_trends: "The database holds no comparable campaigns.",
    training: "Training list",
    training_window: "Campaigns counted",
    no_training: "Nobody reaches the failure rate that puts them on the training list.",
    topic: "Topic",
    failed_of: "Failed / applied",
    latest: "Latest",
    file: "Recording",
    staff: "Staff",
    unit: "Unit",
    scenario: "Scenario",
    called_at: "Called at",
    score: "Score",
    grade: "Grade",
    error: "Error",
    criterion: "Criterion",
    category: "Category",
    verdict: "Verdict",
    points: "Points",
    reason: "Reason",
    evidence: "Evidence",
    transcript: "Transcript",
    no_transcript: "No transcript.",
    invented: "(likely invented by the recogniser; not used)",
    passed: "Passed",
    failed: "Failed",
    not_applicable: "N/A",
    speaker_staff: "Staff",
    speaker_caller: "Caller",
    speaker_unknown: "Call",
    deidentified: "Open data: staff names are pseudonyms, call times keep only the date; transcripts, quotes and error messages are removed.",
    warnings: "Note",
    colon: ": ",
    status: "Status",
    max: "Max",
    delta: "Change",
    below_pass: "Below pass mark",
    rate: "Failure rate",
    quote: "Quote",
    confidence: "Confidence",
    needs_review: "needs review",
};

const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans TC", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC",
  "WenQuanYi Micro Hei", "Heiti TC", sans-serif; font-size: 10.5pt; line-height: 1.45;
  color: #111; margin: 0 auto; max-width: 186mm; padding: 0 2mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; border-bottom: 2px solid #0072B2; padding-bottom: 1mm; margin: 0 0 3mm; }
h3 { font-size: 11.5pt; margin: 4mm 0 2mm; }
section { padding-top: 4mm; }
section + section { break-before: page; page-break-before: always; }
.meta { color: #333; margin: 0 0 3mm; }
.note { background: #fff6e0; border-left: 4px solid #E69F00; padding: 2mm 3mm; margin: 2mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
tr, svg, figure { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
td.num, th.num { text-align: right; white-space: nowrap; }
.nw { white-space: nowrap; }
figure { margin: 2mm 0 5mm; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
.passed { color: #006d4f; font-weight: bold; }
.failed { color: #b34700; font-weight: bold; }
.na { color: #666; }
.review { color: #b34700; font-size: 8pt; border: 1px solid #b34700; border-radius: 3px; padding: 0 2px; white-space: nowrap; }
.quote { display: block; }
.t { color: #555; font-variant-numeric: tabular-nums; white-space: nowrap; }
.transcript p { margin: 0.6mm 0; }
.transcript .who { font-weight: bold; }
.invented { color: #888; text-decoration: line-through; }
.cards { display: flex; gap: 3mm; margin: 2mm 0 4mm; }
.card { flex: 1; border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 3mm; }
.card b { display: block; font-size: 16pt; }
"#;

/// The whole report as one HTML document.
pub fn to_html(input: &ExportInput) -> String {
    let report = input.report;
    let lang = language(report);
    let l = Labels::for_language(lang);
    let rubric = report.form.as_ref();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {}</title><style>{CSS}</style></head><body>",
        l.lang,
        escape(l.report),
        escape(&report.campaign)
    );
    summary(&mut h, input, l, rubric);
    trends(&mut h, input.trends, l);
    training(&mut h, input.training, l);
    for call in &report.calls {
        call_section(&mut h, call, l);
    }
    h.push_str("</body></html>\n");
    h
}

fn summary(h: &mut String, input: &ExportInput, l: &Labels, rubric: Option<&Rubric>) {
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
    let _ = write!(
        h,
        "<section id=\"summary\"><h1>{} — {}</h1><p class=\"meta\">{}: {} · {}: {}</p>",
        escape(l.report),
        escape(&report.campaign),
        escape(l.campaign),
        escape(&report.campaign),
        escape(l.rubric),
        escape(report.rubric.as_ref().map_or("—", |r| r.title.as_str())),
    );
    if input.deidentified {
        let _ = write!(h, "<p class=\"note\">{}</p>", escape(l.deidentified));
    }
    let _ = write!(
        h,
        "<div class=\"cards\"><div class=\"card\">{}<b>{}</b></div><div class=\"card\">{}<b>{}</b></div><div class=\"card\">{}<b>{}</b></div><div class=\"card\">{}<b>{}</b></div></div>",
        escape(l.calls),
        report.calls.len(),
        escape(l.scored),
        scored.len(),
        escape(l.not_scored),
        report.calls.len() - scored.len(),
        escape(l.mean),
        mean.map_or("—".to_string(), |m| format!("{m:.1}")),
    );

    // Grade bands in the rubric's order (highest first), then any stored grade it lacks.
    let mut grades: Vec<String> = rubric
        .map(|r| r.grades.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    for c in &scored {
        if let Some(t) = &c.score
            && !grades.contains(&t.grade)
        {
            grades.push(t.grade.clone());
        }
    }
    let bars: Vec<Bar> = grades
        .iter()
        .map(|g| {
            let n = scored
                .iter()
                .filter(|c| c.score.as_ref().is_some_and(|s| &s.grade == g))
                .count();
            Bar {
                label: g.clone(),
                value: n as f64,
                text: n.to_string(),
            }
        })
        .collect();
    if !bars.is_empty() {
        let _ = write!(
            h,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            escape(l.grades),
            column_chart(l.grades, &bars, l.calls)
        );
    }

    let rates = failure_rates(report);
    if !rates.is_empty() {
        let bars: Vec<Bar> = rates
            .iter()
            .map(|(title, failed, of)| Bar {
                label: title.clone(),
                value: *failed as f64 / *of as f64 * 100.0,
                text: format!(
                    "{:.0}% ({failed}/{of})",
                    *failed as f64 / *of as f64 * 100.0
                ),
            })
            .collect();
        let _ = write!(
            h,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            escape(l.failure_rate),
            bar_chart(l.failure_rate, &bars, 100.0)
        );
    }

    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        escape(l.file),
        escape(l.staff),
        escape(l.unit),
        escape(l.called_at),
        escape(l.score),
        escape(l.grade)
    );
    for c in &report.calls {
        let (score, grade) = match &c.score {
            Some(t) => (format!("{:.1} / {}", t.score, t.max), escape(&t.grade)),
            None => (
                "—".to_string(),
                format!("<span class=\"failed\">{}</span>", escape(l.not_scored)),
            ),
        };
        let _ = write!(
            h,
            "<tr><td><a href=\"#call-{}\">{}</a></td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{score}</td><td>{grade}</td></tr>",
            c.id,
            escape(&c.file),
            escape(&c.staff),
            escape(&c.unit),
            escape(&when(&c.called_at))
        );
    }
    h.push_str("</tbody></table></section>");
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

fn warnings(h: &mut String, warnings: &[String], l: &Labels) {
    for w in warnings {
        let _ = write!(
            h,
            "<p class=\"note\">{}: {}</p>",
            escape(l.warnings),
            escape(w)
        );
    }
}

fn trends(h: &mut String, trends: Option<&Trends>, l: &Labels) {
    let _ = write!(h, "<section id=\"trends\"><h2>{}</h2>", escape(l.trends));
    let Some(t) = trends.filter(|t| !t.campaigns.is_empty()) else {
        let _ = write!(h, "<p>{}</p></section>", escape(l.no_trends));
        return;
    };
    warnings(h, &t.warnings, l);
    let mut groups: Vec<&str> = t.rows.iter().map(|r| r.group.as_str()).collect();
    groups.dedup();
    let series_of = |name: &str, rows: &mut dyn Iterator<Item = &super::trends::TrendRow>| {
        let rows: Vec<_> = rows.collect();
        Series {
            name: name.to_string(),
            values: t
                .campaigns
                .iter()
                .map(|c| {
                    rows.iter()
                        .find(|r| &r.campaign == c)
                        .and_then(|r| r.mean_score)
                })
                .collect(),
        }
    };
    let mut series: Vec<Series> = groups
        .iter()
        .map(|g| series_of(g, &mut t.rows.iter().filter(|r| r.group == *g)))
        .collect();
    series.push(series_of(l.all_units, &mut t.totals.iter()));
    let y_max = t
        .rows
        .iter()
        .chain(&t.totals)
        .map(|r| r.max)
        .fold(0.0, f64::max);
    let chart = LineChart {
        title: l.trends.to_string(),
        x_labels: t.campaigns.clone(),
        series,
        y_min: 0.0,
        y_max: if y_max > 0.0 { y_max } else { 100.0 },
        y_caption: l.score_axis.to_string(),
    };
    let _ = write!(h, "<figure>{}</figure>", line_chart(&chart));

    let _ = write!(h, "<table><thead><tr><th>{}</th>", escape(l.unit));
    for c in &t.campaigns {
        let _ = write!(h, "<th class=\"num\">{}</th>", escape(c));
    }
    h.push_str("</tr></thead><tbody>");
    let mut table_row = |name: &str, rows: Vec<&super::trends::TrendRow>| {
        let _ = write!(h, "<tr><td>{}</td>", escape(name));
        for c in &t.campaigns {
            let cell = rows
                .iter()
                .find(|r| &r.campaign == c)
                .and_then(|r| r.mean_score.map(|m| (m, r.calls)))
                .map_or("—".to_string(), |(m, n)| format!("{m:.1} ({n})"));
            let _ = write!(h, "<td class=\"num\">{cell}</td>");
        }
        h.push_str("</tr>");
    };
    for g in &groups {
        table_row(g, t.rows.iter().filter(|r| r.group == *g).collect());
    }
    table_row(l.all_units, t.totals.iter().collect());
    h.push_str("</tbody></table></section>");
}

fn training(h: &mut String, list: Option<&TrainingList>, l: &Labels) {
    let _ = write!(
        h,
        "<section id=\"training\"><h2>{}</h2>",
        escape(l.training)
    );
    let Some(list) = list else {
        let _ = write!(h, "<p>{}</p></section>", escape(l.no_training));
        return;
    };
    let _ = write!(
        h,
        "<p class=\"meta\">{}: {}</p>",
        escape(l.training_window),
        escape(&list.campaigns.join(", "))
    );
    warnings(h, &list.warnings, l);
    if list.by_person.iter().all(|p| p.needs.is_empty()) {
        let _ = write!(h, "<p>{}</p></section>", escape(l.no_training));
        return;
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        escape(l.staff),
        escape(l.unit),
        escape(l.criterion),
        escape(l.topic),
        escape(l.failed_of),
        escape(l.latest)
    );
    for person in &list.by_person {
        for need in &person.needs {
            let latest = need.latest.as_ref().map_or(String::new(), |e| {
                let mut s = format!(
                    "{} {} — {}",
                    escape(&e.campaign),
                    escape(&e.file),
                    escape(&e.reason)
                );
                for q in &e.evidence {
                    let _ = write!(
                        s,
                        "<span class=\"quote\"><span class=\"t\">[{}]</span> 「{}」</span>",
                        mmss(q.start),
                        escape(&q.text)
                    );
                }
                s
            });
            let _ = write!(
                h,
                "<tr><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}/{} ({:.0}%)</td><td>{latest}</td></tr>",
                escape(&need.staff),
                escape(&need.unit),
                escape(&need.title),
                escape(&need.topic),
                need.failed,
                need.of,
                need.rate * 100.0
            );
        }
    }
    h.push_str("</tbody></table></section>");
}

fn speaker(s: Speaker, l: &Labels) -> &'static str {
    match s {
        Speaker::Staff => l.speaker_staff,
        Speaker::Caller => l.speaker_caller,
        Speaker::Unknown => l.speaker_unknown,
    }
}

fn call_section(h: &mut String, call: &CallView, l: &Labels) {
    let _ = write!(
        h,
        "<section class=\"call\" id=\"call-{}\"><h2>{}</h2><table><tbody>",
        call.id,
        escape(&call.file)
    );
    let mut row = |k: &str, v: String| {
        let _ = write!(h, "<tr><th>{}</th><td>{v}</td></tr>", escape(k));
    };
    row(l.staff, escape(&call.staff));
    row(l.unit, escape(&call.unit));
    row(l.scenario, escape(&call.scenario));
    row(l.called_at, escape(&when(&call.called_at)));
    match &call.score {
        Some(t) => {
            row(l.score, format!("{:.1} / {}", t.score, t.max));
            row(l.grade, escape(&t.grade));
        }
        None => row(
            l.score,
            format!("<span class=\"failed\">{}</span>", escape(l.not_scored)),
        ),
    }
    if let Some(e) = &call.error {
        row(l.error, escape(e));
    }
    h.push_str("</tbody></table>");

    if !call.criteria.is_empty() {
        let _ = write!(
            h,
            "<table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            escape(l.criterion),
            escape(l.verdict),
            escape(l.points),
            escape(l.reason),
            escape(l.evidence)
        );
        for k in &call.criteria {
            let (class, word) = match k.verdict {
                Verdict::NotApplicable => ("na", l.not_applicable),
                Verdict::Passed => ("passed", l.passed),
                Verdict::Failed => ("failed", l.failed),
            };
            let mut quotes = String::new();
            for e in &k.evidence {
                let _ = write!(
                    quotes,
                    "<span class=\"quote\"><span class=\"t\">[{}–{}]</span> 「{}」</span>",
                    mmss(e.start),
                    mmss(e.end),
                    escape(&e.text)
                );
            }
            let review = if k.needs_review {
                format!(
                    "<br><span class=\"review\">{}</span>",
                    escape(l.needs_review)
                )
            } else {
                String::new()
            };
            let _ = write!(
                h,
                "<tr><td>{}<br><small>{}</small></td><td class=\"{class}\">{}{review}</td><td class=\"num\">{} / {}</td><td>{}</td><td>{quotes}</td></tr>",
                escape(&k.title),
                escape(&k.category),
                escape(word),
                k.points,
                k.max,
                escape(&k.reason)
            );
        }
        h.push_str("</tbody></table>");
    }

    let _ = write!(
        h,
        "<h3>{}</h3><div class=\"transcript\">",
        escape(l.transcript)
    );
    if call.transcript.is_empty() {
        let _ = write!(h, "<p>{}</p>", escape(l.no_transcript));
    }
    for s in &call.transcript {
        let (class, note) = if s.invented {
            (" class=\"invented\"", l.invented)
        } else {
            ("", "")
        };
        let _ = write!(
            h,
            "<p><span class=\"t\">[{}]</span> <span class=\"who\">{}</span>{}<span{class}>{}</span>{}</p>",
            mmss(s.start),
            escape(speaker(s.speaker, l)),
            l.colon,
            escape(&s.text),
            escape(note)
        );
    }
    h.push_str("</div></section>");
}
