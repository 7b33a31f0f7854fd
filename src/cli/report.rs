//! `callgrade report …`: history tables from the database (trends, training needs, one call).
//! Reads only SQLite; never transcribes.

use super::args::{CallArg, DbArg};
use super::table::Table;
use crate::audio::{mmss, mmss_span};
use crate::report::call::{CallReport, call_report};
use crate::report::training::{TrainingList, training};
use crate::report::trends::{CampaignRange, GroupBy, Trends, change, trends};
use crate::score::Evidence;
use crate::score::Verdict;
use crate::store::Store;
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Scores per unit (or staff member) campaign by campaign: mean, change, grades, categories.
    ///
    /// Each campaign counts under the newest version of one rubric. When versions with
    /// different criteria are mixed, a warning says so.
    Trends(TrendsArgs),
    /// Who keeps failing which criterion over the last campaigns, with the latest quote and
    /// the training topic: the list to take to a training session.
    Training(TrainingArgs),
    /// One call's scored transcript: every criterion with verdict, points, reason and quotes
    /// (m:ss), then the conversation.
    Call(CallArgs),
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    Table,
    /// Comma-separated values with a header line, for spreadsheets and scripts.
    Csv,
    /// All the data, for scripts.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    Unit,
    Staff,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Group rows by unit or by staff member.
    #[arg(long, value_enum, default_value = "unit")]
    pub by: By,
    /// First campaign to include (by name, e.g. 2026Q1). Default: the oldest.
    #[arg(long)]
    pub from: Option<String>,
    /// Last campaign to include (e.g. 2026Q4). Default: the newest.
    #[arg(long)]
    pub to: Option<String>,
    /// Rubric id whose scores to use. Default: the one the newest campaign was scored with.
    #[arg(long)]
    pub rubric: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct TrainingArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// How many of the most recent campaigns to look at.
    #[arg(long, default_value_t = 4)]
    pub campaigns: usize,
    /// Leave out criteria a person failed in fewer than this share of the calls where it
    /// applied (0 to 1).
    #[arg(long, default_value_t = 0.5)]
    pub min_rate: f64,
    /// Rubric id whose scores to use. Default: the one the newest campaign was scored with.
    #[arg(long)]
    pub rubric: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    #[command(flatten)]
    pub which: CallArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn main(cmd: ReportCommand) -> anyhow::Result<i32> {
    let (text, format) = match cmd {
        ReportCommand::Trends(a) => {
            let store = Store::open_read_only(&a.db.db)?;
            let by = match a.by {
                By::Unit => GroupBy::Unit,
                By::Staff => GroupBy::Staff,
            };
            let range = CampaignRange {
                from: a.from,
                to: a.to,
            };
            let t = trends(&store, by, range, a.rubric.as_deref())?;
            let text = match a.format {
                Format::Table => trends_table(&t),
                Format::Csv => {
                    warn(&t.warnings);
                    trends_csv(&t)?
                }
                Format::Json => json(&t)?,
            };
            (text, a.format)
        }
        ReportCommand::Training(a) => {
            if !(0.0..=1.0).contains(&a.min_rate) {
                anyhow::bail!(
                    "--min-rate {}: give a share between 0 and 1 (0.5 = failed in half the calls)",
                    a.min_rate
                );
            }
            let store = Store::open_read_only(&a.db.db)?;
            let t = training(&store, a.campaigns, a.min_rate, a.rubric.as_deref())?;
            let text = match a.format {
                Format::Table => training_table(&t),
                Format::Csv => {
                    warn(&t.warnings);
                    training_csv(&t)?
                }
                Format::Json => json(&t)?,
            };
            (text, a.format)
        }
        ReportCommand::Call(CallArgs { which: a, format }) => {
            let store = Store::open_read_only(&a.db.db)?;
            let c = call_report(&store, &a.call, a.campaign.as_deref(), a.rubric.as_deref())?;
            let text = match format {
                Format::Table => call_text(&c),
                Format::Csv => call_csv(&c)?,
                Format::Json => json(&c)?,
            };
            (text, format)
        }
    };
    match format {
        // Tables carry reasons, quotes and reviewers' words straight to the terminal.
        Format::Table => super::terminal::out(&text)?,
        // CSV and JSON are data for files and scripts: kept byte for byte.
        Format::Csv | Format::Json => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(0)
}

fn warn(warnings: &[String]) {
    for w in warnings {
        super::terminal::say(&format!("warning: {w}"));
    }
}

fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

fn num(x: f64) -> String {
    format!("{x}")
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn trends_table(t: &Trends) -> String {
    let by = t.by.as_str();
    let mut out = format!(
        "Trends by {by}, rubric {}, {} (pass mark {})\n",
        t.rubric_id,
        span(&t.campaigns),
        num(t.pass_mark)
    );
    for w in &t.warnings {
        out += &format!("warning: {w}\n");
    }
    out.push('\n');
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = vec![by.into(), "campaign".into(), "calls".into()];
    header.extend(["mean".into(), "change".into()]);
    header.extend(t.categories.iter().map(|c| format!("{c} %")));
    header.extend(["grades".into(), "below pass".into()]);
    let mut previous_group = "";
    for r in t.rows.iter().chain(&t.totals) {
        let mut cells = vec![
            if r.group == previous_group {
                String::new()
            } else {
                r.group.clone()
            },
            r.campaign.clone(),
            r.calls.to_string(),
            r.mean_score
                .map(|m| format!("{m:.1}/{}", num(r.max)))
                .unwrap_or_else(|| "-".into()),
            change(r.delta),
        ];
        previous_group = &r.group;
        cells.extend(t.categories.iter().map(|c| {
            r.categories
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, v)| format!("{v:.0}"))
                .unwrap_or_else(|| "-".into())
        }));
        cells.push(
            r.grades
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(g, n)| format!("{g} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        cells.push(r.below_pass.to_string());
        rows.push(cells);
    }
    out += &Table::from_rows(header, rows).to_string();
    out
}

fn trends_csv(t: &Trends) -> anyhow::Result<String> {
    let mut header: Vec<String> = [
        t.by.as_str(),
        "campaign",
        "calls",
        "mean_score",
        "max",
        "delta",
        "delta_from",
        "below_pass",
    ]
    .map(String::from)
    .to_vec();
    header.extend(t.categories.iter().map(|c| format!("{c} %")));
    header.extend(t.grades.iter().map(|g| format!("grade: {g}")));
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .chain(&t.totals)
        .map(|r| {
            let mut cells = vec![
                r.group.clone(),
                r.campaign.clone(),
                r.calls.to_string(),
                opt(r.mean_score),
                num(r.max),
                opt(r.delta),
                r.delta_from.clone().unwrap_or_default(),
                r.below_pass.to_string(),
            ];
            cells.extend(t.categories.iter().map(|c| {
                opt(r
                    .categories
                    .iter()
                    .find(|(name, _)| name == c)
                    .map(|(_, v)| *v))
            }));
            cells.extend(t.grades.iter().map(|g| {
                r.grades
                    .iter()
                    .find(|(name, _)| name == g)
                    .map_or(0, |(_, n)| *n)
                    .to_string()
            }));
            cells
        })
        .collect();
    Ok(crate::report::csv::document(&header, &rows))
}

fn span(campaigns: &[String]) -> String {
    match campaigns {
        [] => "no campaigns".into(),
        [one] => format!("campaign {one}"),
        [first, .., last] => format!("campaigns {first}–{last}"),
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// `2026Q4 call01.wav 0:12 "good morning"`: where to listen, and what was said.
fn quote(campaign: &str, file: &str, evidence: &[Evidence]) -> String {
    match evidence.first() {
        Some(e) => format!("{campaign} {file} {} \"{}\"", mmss(e.start), e.text),
        None => format!("{campaign} {file}"),
    }
}

fn training_table(t: &TrainingList) -> String {
    let mut out = format!(
        "Training needs over {}, rubric {}: criteria failed in at least {} of the calls where they applied\n",
        span(&t.campaigns),
        t.rubric_id,
        percent(t.min_rate)
    );
    for w in &t.warnings {
        out += &format!("warning: {w}\n");
    }
    if t.by_person.is_empty() {
        out += "\nNobody reaches that failure rate. Lower --min-rate to see more.\n";
        return out;
    }
    out += "\nBy person\n";
    for p in &t.by_person {
        out += &format!("\n{} ({}), {} calls\n", p.staff, p.unit, p.calls);
        let rows = p
            .needs
            .iter()
            .map(|n| {
                vec![
                    format!("  {}", n.title),
                    n.topic.clone(),
                    format!("{}/{}", n.failed, n.of),
                    percent(n.rate),
                    n.latest
                        .as_ref()
                        .map(|l| {
                            format!(
                                "{} — {}",
                                quote(&l.campaign, &l.file, &l.evidence),
                                l.reason
                            )
                        })
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let header = ["  criterion", "training topic", "failed", "rate", "latest"];
        out += &Table::from_rows(header.map(String::from).to_vec(), rows).to_string();
    }
    out += "\nBy criterion\n\n";
    let rows: Vec<Vec<String>> = t
        .by_criterion
        .iter()
        .map(|c| {
            vec![
                c.title.clone(),
                c.topic.clone(),
                format!("{}/{} ({})", c.failed, c.of, percent(c.rate)),
                c.people
                    .iter()
                    .map(|n| format!("{} {}/{}", n.staff, n.failed, n.of))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let header = [
        "criterion",
        "training topic",
        "failed (everyone)",
        "who needs it",
    ];
    out += &Table::from_rows(header.map(String::from).to_vec(), rows).to_string();
    out
}

fn training_csv(t: &TrainingList) -> anyhow::Result<String> {
    let header = [
        "staff",
        "unit",
        "criterion_id",
        "title",
        "category",
        "topic",
        "failed",
        "of",
        "rate",
        "latest_campaign",
        "latest_file",
        "latest_called_at",
        "latest_start",
        "latest_quote",
        "latest_reason",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = t
        .by_person
        .iter()
        .flat_map(|p| &p.needs)
        .map(|n| {
            let l = n.latest.as_ref();
            let e = l.and_then(|l| l.evidence.first());
            vec![
                n.staff.clone(),
                n.unit.clone(),
                n.criterion_id.clone(),
                n.title.clone(),
                n.category.clone(),
                n.topic.clone(),
                n.failed.to_string(),
                n.of.to_string(),
                format!("{:.3}", n.rate),
                l.map(|l| l.campaign.clone()).unwrap_or_default(),
                l.map(|l| l.file.clone()).unwrap_or_default(),
                l.map(|l| l.called_at.clone()).unwrap_or_default(),
                e.map(|e| mmss(e.start)).unwrap_or_default(),
                e.map(|e| e.text.clone()).unwrap_or_default(),
                l.map(|l| l.reason.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(crate::report::csv::document(&header, &rows))
}

fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Passed => "✔",
        Verdict::Failed => "✘",
        Verdict::NotApplicable => "–",
    }
}

fn call_text(c: &CallReport) -> String {
    let mut out = format!(
        "{} — {} ({}), campaign {}, called {}, scenario {}\n",
        c.file,
        c.staff,
        c.unit,
        c.campaign,
        if c.called_at.is_empty() {
            "-"
        } else {
            &c.called_at
        },
        if c.scenario.is_empty() {
            "-"
        } else {
            &c.scenario
        },
    );
    if let (Some(d), Some(r)) = (c.duration, c.rings) {
        out += &format!("Recording {}, {r} ring(s) before pickup\n", mmss(d));
    }
    if !c.recording_found {
        out += &format!(
            "Recording file missing: {} (put it back there, or keep the recordings folder beside the database as when it was scored)\n",
            c.path
        );
    }
    if c.speech_finder_unsure {
        out += &format!(
            "Flag: {} (sound the speech finder missed; the transcript may hold noise or music)\n",
            crate::audio::SPEECH_FINDER_UNSURE
        );
    }
    match (&c.score, &c.rubric) {
        (Some(s), Some(r)) => {
            out += &format!(
                "Score {}/{} — {}{} (rubric {}, version {})\n",
                num(*s),
                num(c.max.unwrap_or_default()),
                c.grade.clone().unwrap_or_default(),
                match (c.passed, c.pass_mark) {
                    (Some(false), Some(m)) => format!(", below the pass mark {}", num(m)),
                    _ => String::new(),
                },
                r.id,
                r.sha256.get(..8).unwrap_or(&r.sha256)
            );
        }
        _ => {
            out += &format!(
                "Not scored ({}){}\n",
                c.status,
                c.error
                    .as_ref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            );
        }
    }
    if !c.other_campaigns.is_empty() {
        out += &format!(
            "Also in campaign(s) {}: pick one with --campaign.\n",
            c.other_campaigns.join(", ")
        );
    }
    if !c.other_rubrics.is_empty() {
        out += &format!(
            "Also scored with rubric(s) {}: pick one with --rubric.\n",
            c.other_rubrics.join(", ")
        );
    }
    if !c.criteria.is_empty() {
        out += "\nCriteria\n";
        for k in &c.criteria {
            let review = match (k.needs_review, k.confidence) {
                (true, Some(x)) => format!(" — needs review (confidence {x:.2})"),
                (true, None) => " — needs review".to_string(),
                _ => String::new(),
            };
            out += &format!(
                "{} {:<14} {:>7}  {} — {}{review}\n",
                mark(k.verdict),
                k.id,
                format!("{}/{}", num(k.points), num(k.max)),
                k.title,
                k.verdict.label()
            );
            out += &format!("      {}\n", k.reason);
            for e in &k.evidence {
                out += &format!(
                    "      {} {}: \"{}\"\n",
                    mmss_span(e.start, e.end),
                    e.speaker.as_str(),
                    e.text
                );
            }
            if let Some(t) = &k.topic {
                out += &format!("      training: {t}\n");
            }
        }
    }
    if !c.transcript.is_empty() {
        out += "\nTranscript\n";
        for (i, s) in c.transcript.iter().enumerate() {
            let unsure = c
                .speakers
                .get(i)
                .and_then(Option::as_ref)
                .filter(|w| w.unsure());
            out += &format!(
                "{:>5}–{:<5} {:<7} {}{}\n",
                mmss(s.start),
                mmss(s.end),
                match unsure {
                    Some(_) => format!("{}?", s.speaker.as_str()),
                    None => s.speaker.as_str().to_string(),
                },
                if s.invented {
                    "[dropped: likely invented by Whisper] "
                } else {
                    ""
                },
                s.text
            );
        }
    }
    out
}

/// The verdicts as rows (the transcript is in `--format json`).
fn call_csv(c: &CallReport) -> anyhow::Result<String> {
    let header = [
        "campaign",
        "file",
        "staff",
        "criterion_id",
        "title",
        "category",
        "verdict",
        "points",
        "max",
        "reason",
        "evidence",
        "training_topic",
        "confidence",
        "needs_review",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = c
        .criteria
        .iter()
        .map(|k| {
            vec![
                c.campaign.clone(),
                c.file.clone(),
                c.staff.clone(),
                k.id.clone(),
                k.title.clone(),
                k.category.clone(),
                k.verdict.label().into(),
                num(k.points),
                num(k.max),
                k.reason.clone(),
                crate::report::quotes(&k.evidence, " | "),
                k.topic.clone().unwrap_or_default(),
                k.confidence.map_or(String::new(), |x| format!("{x}")),
                if k.needs_review { "yes" } else { "" }.into(),
            ]
        })
        .collect();
    Ok(crate::report::csv::document(&header, &rows))
}
