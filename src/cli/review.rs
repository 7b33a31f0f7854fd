//! `callgrade review`: a supervisor overrides one verdict of a call (with a reason), lists a
//! call's overrides, or undoes the latest one. Every report and export then uses the effective
//! verdicts; the automatic ones and the whole history stay in the database.

use super::args::CallArg;
use super::table::Table;
use crate::report::ReportError;
use crate::report::call::{CallReport, call_report};
use crate::score::Verdict;
use crate::store::{NewOverride, Store};
use clap::{ArgGroup, Args};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("action").required(true).args(["pass", "fail", "list", "undo"])))]
#[command(group(ArgGroup::new("verdict").args(["pass", "fail"])))]
pub struct ReviewArgs {
    #[command(flatten)]
    pub which: CallArg,
    /// The criterion's id, as `callgrade report call FILE` lists it (e.g. greeting).
    #[arg(long, required_unless_present = "list")]
    pub criterion: Option<String>,
    /// The criterion was met (full points unless --points says otherwise).
    #[arg(long)]
    pub pass: bool,
    /// The criterion was not met (0 points unless --points says otherwise).
    #[arg(long)]
    pub fail: bool,
    /// Points to award instead of the default (kept between 0 and the criterion's maximum).
    #[arg(long, requires = "verdict")]
    pub points: Option<f64>,
    /// Why the automatic verdict is wrong (required with --pass/--fail; kept for the audit).
    #[arg(long)]
    pub reason: Option<String>,
    /// Who is reviewing. Default: the login name ($USER).
    #[arg(long)]
    pub by: Option<String>,
    /// List every override of the call, withdrawn ones included, with who, when and why.
    #[arg(long)]
    pub list: bool,
    /// Withdraw the latest override of --criterion; the one before it (or the automatic
    /// verdict) applies again. The withdrawn override stays in the list.
    #[arg(long)]
    pub undo: bool,
}

pub fn main(args: ReviewArgs) -> anyhow::Result<i32> {
    let db = &args.which.db.db;
    if args.list {
        let store = Store::open_read_only(db)?;
        super::terminal::out(&list(&store, &find(&store, &args)?)?)?;
        return Ok(0);
    }
    let mut store = Store::open_existing(db)?;
    let before = find(&store, &args)?;
    let criterion = args.criterion.clone().unwrap_or_default();
    let Some(rubric) = before.rubric.as_ref().map(|r| r.id.clone()) else {
        anyhow::bail!(
            "{}: call {} has no current score ({}), so there is no verdict to override. Score it first with `callgrade score --campaign {}`.",
            store.path().display(),
            before.file,
            before.status,
            before.campaign
        );
    };
    let by = reviewer(args.by.as_deref());
    let what = if args.undo {
        let o = store.withdraw_override(before.call_id, &rubric, &criterion, &by)?;
        format!(
            "Withdrew override #{} of {criterion} by {} ({}).",
            o.id, o.by, o.reason
        )
    } else {
        let o = store.add_override(&NewOverride {
            call_id: before.call_id,
            rubric_id: rubric.clone(),
            criterion_id: criterion.clone(),
            passed: args.pass,
            applicable: true,
            points: args.points,
            reason: args.reason.clone().unwrap_or_default(),
            by,
        })?;
        format!("Override #{} by {} stored: {}", o.id, o.by, o.reason)
    };
    let after = find(&store, &args)?;
    super::terminal::out(&format!(
        "{} (campaign {}, rubric {rubric})\n",
        after.file, after.campaign
    ))?;
    super::terminal::out(&format!("{what}\n"))?;
    let verdict = |c: &CallReport| {
        c.criteria
            .iter()
            .find(|k| k.id == criterion)
            .map(|k| format!("{} {}/{}", k.verdict.label(), k.points, k.max))
            .unwrap_or_else(|| "-".into())
    };
    super::terminal::out(&format!(
        "{criterion}: {} → {}\n",
        verdict(&before),
        verdict(&after)
    ))?;
    let total = |c: &CallReport| {
        format!(
            "{}/{} {}",
            c.score.unwrap_or_default(),
            c.max.unwrap_or_default(),
            c.grade.clone().unwrap_or_default()
        )
    };
    super::terminal::out(&format!("score: {} → {}\n", total(&before), total(&after)))?;
    Ok(0)
}

/// The call as `report call` resolves it, with a not-found message that says how to find calls.
fn find(store: &Store, args: &ReviewArgs) -> anyhow::Result<CallReport> {
    match call_report(
        store,
        &args.which.call,
        args.which.campaign.as_deref(),
        args.which.rubric.as_deref(),
    ) {
        Err(ReportError::NoCall {
            db, call, scope, ..
        }) => anyhow::bail!(
            "{db}: no stored call `{call}`{scope}. Give the file name as in the manifest's `file` column (e.g. call01.wav) or the call's id; `callgrade report call FILE --db {db}` shows a call with its id, and `callgrade export --campaign NAME --db {db}` lists a campaign's calls."
        ),
        other => Ok(other?),
    }
}

/// `--by`, else the login name; empty when neither is known (the store then asks for --by).
fn reviewer(by: Option<&str>) -> String {
    by.map(str::to_string)
        .or_else(|| {
            ["USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok())
        })
        .unwrap_or_default()
}

fn list(store: &Store, call: &CallReport) -> anyhow::Result<String> {
    let rows = store.call_overrides(call.call_id)?;
    let mut out = format!("{} (campaign {}): ", call.file, call.campaign);
    // What is still left to check, so a reviewer sees it next to what was overridden.
    let doubtful: Vec<String> = call
        .criteria
        .iter()
        .filter(|k| k.needs_review)
        .map(|k| match k.confidence {
            Some(x) => format!("{} (confidence {x:.2})", k.id),
            None => k.id.clone(),
        })
        .collect();
    let pending = if doubtful.is_empty() {
        String::new()
    } else {
        format!("Verdicts that need review: {}.\n", doubtful.join(", "))
    };
    if rows.is_empty() {
        out += "no overrides.\n";
        out += &pending;
        return Ok(out);
    }
    out += &format!("{} override(s), oldest first\n\n", rows.len());
    // The standing override of a criterion is its latest one not withdrawn.
    let standing: Vec<i64> = rows
        .iter()
        .filter(|o| o.withdrawn_at.is_none())
        .fold(
            std::collections::HashMap::new(),
            |mut m: std::collections::HashMap<(&str, &str), i64>, o| {
                m.insert((&o.rubric_id, &o.criterion_id), o.id);
                m
            },
        )
        .into_values()
        .collect();
    let mut table = Table::new([
        "#",
        "rubric",
        "criterion",
        "verdict",
        "by",
        "at",
        "status",
        "reason",
    ]);
    for o in &rows {
        let status = match (&o.withdrawn_at, &o.withdrawn_by) {
            (Some(at), by) => format!(
                "withdrawn {at}{}",
                by.as_ref().map(|b| format!(" by {b}")).unwrap_or_default()
            ),
            (None, _) if standing.contains(&o.id) => "in effect".into(),
            (None, _) => "replaced by a later one".into(),
        };
        table.row([
            o.id.to_string(),
            o.rubric_id.clone(),
            o.criterion_id.clone(),
            format!(
                "{}{}",
                match o.verdict() {
                    Verdict::Passed => "pass",
                    Verdict::Failed => "fail",
                    Verdict::NotApplicable => "not applicable",
                },
                o.points.map(|p| format!(" {p} pts")).unwrap_or_default()
            ),
            o.by.clone(),
            o.at.clone(),
            status,
            o.reason.clone(),
        ]);
    }
    out += &table.to_string();
    out += &pending;
    Ok(out)
}
