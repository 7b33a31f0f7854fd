//! Trends: how each unit (or staff member) scored campaign after campaign under one rubric.
//!
//! Scores belong to a score run (rubric id + file sha256). For each campaign the newest run of
//! the chosen rubric id is used; campaigns scored with versions whose criteria differ (ids,
//! points or categories) are still shown, but with a warning, because their means are not on
//! the same scale. [`select_runs`] makes that choice and is shared with the training list.

use super::ReportError;
use crate::score::Rubric;
use crate::store::{ScoreRunView, ScoredCall, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a trend row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Unit,
    Staff,
}

impl GroupBy {
    /// `"unit"` or `"staff"`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Unit => "unit",
            GroupBy::Staff => "staff",
        }
    }
}

/// Which campaigns to include, by name (inclusive bounds; names compare as text, so
/// `2026Q1 < 2026Q2 < 2027Q1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

impl CampaignRange {
    /// Every campaign.
    pub fn all() -> CampaignRange {
        CampaignRange::default()
    }

    /// Whether `campaign` lies within the bounds.
    pub fn contains(&self, campaign: &str) -> bool {
        self.from.as_deref().is_none_or(|f| campaign >= f)
            && self.to.as_deref().is_none_or(|t| campaign <= t)
    }

    fn describe(&self) -> String {
        match (&self.from, &self.to) {
            (None, None) => String::new(),
            (Some(f), None) => format!(" from {f}"),
            (None, Some(t)) => format!(" up to {t}"),
            (Some(f), Some(t)) => format!(" from {f} to {t}"),
        }
    }
}

/// One group in one campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// Unit or staff name (`(none)` when the manifest left it empty).
    pub group: String,
    pub campaign: String,
    /// Scored calls.
    pub calls: usize,
    /// Mean score (after scaling), rounded to 0.01; `None` without calls.
    pub mean_score: Option<f64>,
    /// The score's maximum (e.g. 100).
    pub max: f64,
    /// Calls per grade, in the order of [`Trends::grades`] (zeros included).
    pub grades: Vec<(String, usize)>,
    /// Per category: points earned as % of the category's maximum, rounded to 0.1, in the order
    /// of [`Trends::categories`] (a category the campaign's rubric lacks is left out).
    pub categories: Vec<(String, f64)>,
    /// Mean score minus the mean of this group's previous campaign (rounded to 0.01).
    pub delta: Option<f64>,
    /// The campaign `delta` compares against.
    pub delta_from: Option<String>,
    /// Calls scoring below the pass mark.
    pub below_pass: usize,
}

/// Trend table for one rubric id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    pub rubric_id: String,
    pub by: GroupBy,
    /// Campaigns shown, oldest first.
    pub campaigns: Vec<String>,
    /// Grade names as columns: the newest rubric version's bands, highest first.
    pub grades: Vec<String>,
    /// Category names as columns, in rubric order.
    pub categories: Vec<String>,
    /// Rows by group name, then campaign.
    pub rows: Vec<TrendRow>,
    /// One row per campaign over all groups (group `All`).
    pub totals: Vec<TrendRow>,
    /// Lines the reader must see with the table: rubric versions that differ, campaigns left out.
    pub warnings: Vec<String>,
    /// Pass mark of the newest rubric version (see [`Rubric::pass_mark`]).
    pub pass_mark: f64,
}

/// The score run chosen for one campaign, with its rubric when the stored text still parses.
#[derive(Debug, Clone)]
pub struct ChosenRun {
    pub campaign: String,
    pub run: ScoreRunView,
    pub rubric: Rubric,
}

/// Which score run stands for each campaign under one rubric id.
#[derive(Debug, Clone)]
pub struct Selection {
    pub rubric_id: String,
    /// Oldest campaign first.
    pub runs: Vec<ChosenRun>,
    pub warnings: Vec<String>,
}

impl Selection {
    /// The newest chosen run's rubric.
    pub fn newest_rubric(&self) -> Option<&Rubric> {
        self.runs.last().map(|r| &r.rubric)
    }
}

/// A change of mean score as the tables show it: `▲ 5.2`, `▼ 3.1` or `= 0.0`; empty for a
/// group's first campaign.
pub fn change(delta: Option<f64>) -> String {
    match delta {
        Some(d) if d > 0.005 => format!("▲ {d:.1}"),
        Some(d) if d < -0.005 => format!("▼ {:.1}", -d),
        Some(_) => "= 0.0".into(),
        None => String::new(),
    }
}

/// Picks, for each campaign in `range`, the newest score run (highest id) of rubric id
/// `rubric` (default: the rubric id of the newest campaign's newest run), and warns when the
/// chosen versions' criteria differ or when campaigns in range were not scored with it.
pub fn select_runs(
    store: &Store,
    range: &CampaignRange,
    rubric: Option<&str>,
) -> Result<Selection, ReportError> {
    let db = store.path().display().to_string();
    let all = store.campaign_runs()?;
    let in_range: Vec<_> = all.iter().filter(|r| range.contains(&r.campaign)).collect();
    let Some(newest) = in_range
        .iter()
        .max_by(|a, b| a.campaign.cmp(&b.campaign).then(a.run.id.cmp(&b.run.id)))
    else {
        let known = store.campaigns()?;
        return Err(ReportError::NoHistory {
            db,
            what: format!("no scored calls{}", range.describe()),
            hint: if known.is_empty() {
                "Run `callgrade run MANIFEST --campaign NAME` first.".into()
            } else {
                format!(
                    "Campaigns in the database: {}. Widen --from/--to, or score them with `callgrade run` or `callgrade score`.",
                    known.join(", ")
                )
            },
        });
    };
    let rubric_id = rubric.unwrap_or(&newest.run.rubric_id).to_string();
    let mut runs: Vec<ChosenRun> = Vec::new();
    let mut warnings = Vec::new();
    let mut campaigns: Vec<&str> = in_range.iter().map(|r| r.campaign.as_str()).collect();
    campaigns.dedup();
    for campaign in campaigns {
        // Runs come newest first within a campaign.
        let of_campaign: Vec<_> = in_range.iter().filter(|r| r.campaign == campaign).collect();
        match of_campaign.iter().find(|r| r.run.rubric_id == rubric_id) {
            Some(r) => runs.push(ChosenRun {
                campaign: campaign.to_string(),
                rubric: store.stored_rubric(&r.run)?,
                run: r.run.clone(),
            }),
            None => warnings.push(format!(
                "{campaign} was not scored with rubric {rubric_id} (only with {}); it is left out. Score it with `callgrade score --campaign {campaign} --rubric FILE`.",
                of_campaign
                    .iter()
                    .map(|r| r.run.rubric_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    if runs.is_empty() {
        let known: Vec<&str> = {
            let mut ids: Vec<&str> = in_range.iter().map(|r| r.run.rubric_id.as_str()).collect();
            ids.sort();
            ids.dedup();
            ids
        };
        return Err(ReportError::NoHistory {
            db,
            what: format!(
                "no campaign{} was scored with rubric `{rubric_id}`",
                range.describe()
            ),
            hint: format!(
                "Rubric ids scored: {}. Pass one with --rubric.",
                known.join(", ")
            ),
        });
    }
    let mut selection = Selection {
        rubric_id,
        runs,
        warnings,
    };
    version_warnings(&mut selection);
    Ok(selection)
}

/// What makes two rubric versions comparable: the same criteria with the same points and
/// categories. Wording, phrases and thresholds may change without breaking a trend.
type Signature = Vec<(String, f64, String)>;

fn signature(chosen: &ChosenRun) -> Signature {
    chosen
        .rubric
        .criteria
        .iter()
        .map(|c| (c.id.clone(), c.points, c.category.clone()))
        .collect()
}

fn version_warnings(sel: &mut Selection) {
    // Consecutive campaigns whose versions are compatible form one span; only spans whose
    // criteria differ from the newest span's need a warning.
    struct Span {
        names: Vec<String>,
        versions: Vec<String>,
        sig: Signature,
    }
    let mut spans: Vec<Span> = Vec::new();
    for r in &sel.runs {
        let sig = signature(r);
        let version = short(&r.run.sha256).to_string();
        match spans.last_mut() {
            Some(last) if last.sig == sig => {
                last.names.push(r.campaign.clone());
                if !last.versions.contains(&version) {
                    last.versions.push(version);
                }
            }
            _ => spans.push(Span {
                names: vec![r.campaign.clone()],
                versions: vec![version],
                sig,
            }),
        }
    }
    let Some(newest) = spans.last() else {
        return;
    };
    let mut extra = Vec::new();
    for span in &spans[..spans.len() - 1] {
        let differences = differences(&span.sig, &newest.sig);
        if differences.is_empty() {
            continue;
        }
        extra.push(format!(
            "rubric {} changed: {} scored with {}, {} with {}; criteria differ ({}), so scores across them are not directly comparable.",
            sel.rubric_id,
            span_name(&span.names),
            versions(&span.versions),
            span_name(&newest.names),
            versions(&newest.versions),
            differences.join("; ")
        ));
    }
    let marks: Vec<(String, f64)> = sel
        .runs
        .iter()
        .map(|r| (r.campaign.clone(), r.rubric.pass_mark()))
        .collect();
    if let Some((_, newest_mark)) = marks.last()
        && let Some((c, m)) = marks.iter().find(|(_, m)| (m - newest_mark).abs() > 1e-9)
    {
        extra.push(format!(
            "pass mark changed: {c} used {m}, the newest version {newest_mark}; each campaign counts calls below its own pass mark."
        ));
    }
    sel.warnings.extend(extra);
}

fn differences(old: &Signature, new: &Signature) -> Vec<String> {
    let mut out = Vec::new();
    for (id, points, category) in old {
        match new.iter().find(|(n, _, _)| n == id) {
            None => out.push(format!("{id} removed")),
            Some((_, p, c)) => {
                if (p - points).abs() > 1e-9 {
                    out.push(format!("{id} {points} → {p} points"));
                }
                if c != category {
                    out.push(format!("{id} moved from {category} to {c}"));
                }
            }
        }
    }
    for (id, _, _) in new {
        if !old.iter().any(|(o, _, _)| o == id) {
            out.push(format!("{id} added"));
        }
    }
    out
}

/// `version 1a2b3c4d` or `versions 1a2b3c4d and 5e6f7a8b` (compatible wording changes).
fn versions(shas: &[String]) -> String {
    match shas {
        [one] => format!("version {one}"),
        _ => format!("versions {}", shas.join(" and ")),
    }
}

fn span_name(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        [first, .., last] => format!("{first}–{last}"),
        [] => String::new(),
    }
}

fn short(sha: &str) -> &str {
    sha.get(..8).unwrap_or(sha)
}

/// Builds the trend table: per `by` group and campaign in `range`, under rubric id `rubric`
/// (default: the one the newest campaign was scored with).
pub fn trends(
    store: &Store,
    by: GroupBy,
    range: CampaignRange,
    rubric: Option<&str>,
) -> Result<Trends, ReportError> {
    let sel = select_runs(store, &range, rubric)?;
    let newest = sel.newest_rubric();
    let pass_mark = newest.map(Rubric::pass_mark).unwrap_or(0.0);
    let mut grades: Vec<String> = newest
        .map(|r| r.grades.iter().map(|g| g.name.clone()).collect())
        .unwrap_or_default();
    let mut categories: Vec<String> = Vec::new();
    let mut per_campaign: Vec<(String, f64, Vec<ScoredCall>)> = Vec::new();
    for chosen in &sel.runs {
        let calls = store.scored_calls(&chosen.campaign, chosen.run.id)?;
        for c in &calls {
            if !grades.contains(&c.total.grade) {
                grades.push(c.total.grade.clone());
            }
        }
        let mark = chosen.rubric.pass_mark();
        per_campaign.push((chosen.campaign.clone(), mark, calls));
    }
    // Category columns in the newest version's order, then any only older versions had.
    let category_sources = newest
        .map(|r| r.criteria.iter().map(|c| c.category.clone()).collect())
        .unwrap_or_else(Vec::new)
        .into_iter()
        .chain(per_campaign.iter().rev().flat_map(|(_, _, calls)| {
            calls
                .iter()
                .flat_map(|c| c.criteria.iter().map(|k| k.category.clone()))
        }));
    for c in category_sources {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }

    let group_of = |c: &ScoredCall| {
        let name = match by {
            GroupBy::Unit => &c.unit,
            GroupBy::Staff => &c.staff,
        };
        if name.is_empty() {
            "(none)".to_string()
        } else {
            name.clone()
        }
    };
    let mut groups: BTreeMap<String, Vec<TrendRow>> = BTreeMap::new();
    let mut totals = Vec::new();
    for (campaign, mark, calls) in &per_campaign {
        let mut by_group: BTreeMap<String, Vec<&ScoredCall>> = BTreeMap::new();
        for c in calls {
            by_group.entry(group_of(c)).or_default().push(c);
        }
        for (group, members) in by_group {
            let row = row(&group, campaign, &members, &grades, &categories, *mark);
            groups.entry(group).or_default().push(row);
        }
        let all: Vec<&ScoredCall> = calls.iter().collect();
        if !all.is_empty() {
            totals.push(row("All", campaign, &all, &grades, &categories, *mark));
        }
    }
    let mut rows = Vec::new();
    for (_, mut list) in groups {
        set_deltas(&mut list);
        rows.extend(list);
    }
    set_deltas(&mut totals);
    Ok(Trends {
        rubric_id: sel.rubric_id.clone(),
        by,
        campaigns: per_campaign.iter().map(|(c, _, _)| c.clone()).collect(),
        grades,
        categories,
        rows,
        totals,
        warnings: sel.warnings,
        pass_mark,
    })
}

fn row(
    group: &str,
    campaign: &str,
    calls: &[&ScoredCall],
    grades: &[String],
    categories: &[String],
    pass_mark: f64,
) -> TrendRow {
    let n = calls.len();
    let mean = (n > 0).then(|| calls.iter().map(|c| c.total.score).sum::<f64>() / n as f64);
    let max = calls.iter().map(|c| c.total.max).fold(0.0, f64::max);
    let grades = grades
        .iter()
        .map(|g| {
            (
                g.clone(),
                calls.iter().filter(|c| &c.total.grade == g).count(),
            )
        })
        .collect();
    let categories = categories
        .iter()
        .filter_map(|cat| {
            let (earned, possible) = calls
                .iter()
                .flat_map(|c| c.criteria.iter().filter(|k| &k.category == cat))
                .fold((0.0, 0.0), |(e, p), k| (e + k.points, p + k.max));
            (possible > 0.0).then(|| (cat.clone(), round(earned / possible * 100.0, 10.0)))
        })
        .collect();
    TrendRow {
        group: group.to_string(),
        campaign: campaign.to_string(),
        calls: n,
        mean_score: mean.map(|m| round(m, 100.0)),
        max,
        grades,
        categories,
        delta: None,
        delta_from: None,
        below_pass: calls
            .iter()
            .filter(|c| c.total.score + 1e-9 < pass_mark)
            .count(),
    }
}

/// `rows` are one group's campaigns, oldest first: each compares with the one before it.
fn set_deltas(rows: &mut [TrendRow]) {
    for i in 1..rows.len() {
        let (before, now) = rows.split_at_mut(i);
        let prev = &before[i - 1];
        let row = &mut now[0];
        if let (Some(m), Some(p)) = (row.mean_score, prev.mean_score) {
            row.delta = Some(round(m - p, 100.0));
            row.delta_from = Some(prev.campaign.clone());
        }
    }
}

fn round(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_are_inclusive_text_order() {
        let r = CampaignRange {
            from: Some("2026Q2".into()),
            to: Some("2026Q3".into()),
        };
        assert!(!r.contains("2026Q1"));
        assert!(r.contains("2026Q2") && r.contains("2026Q3"));
        assert!(!r.contains("2026Q4"));
        assert!(CampaignRange::all().contains("anything"));
    }

    #[test]
    fn signature_differences_name_each_change() {
        let old = vec![
            ("a".to_string(), 3.0, "Courtesy".to_string()),
            ("b".to_string(), 4.0, "Courtesy".to_string()),
        ];
        let new = vec![
            ("a".to_string(), 5.0, "Courtesy".to_string()),
            ("c".to_string(), 4.0, "Content".to_string()),
        ];
        assert_eq!(
            differences(&old, &new),
            vec!["a 3 → 5 points", "b removed", "c added"]
        );
        assert!(differences(&old, &old).is_empty());
    }

    #[test]
    fn deltas_compare_with_the_previous_campaign_present() {
        let mk = |c: &str, m: f64| TrendRow {
            group: "g".into(),
            campaign: c.into(),
            calls: 1,
            mean_score: Some(m),
            max: 100.0,
            grades: vec![],
            categories: vec![],
            delta: None,
            delta_from: None,
            below_pass: 0,
        };
        let mut rows = vec![mk("2026Q1", 70.0), mk("2026Q3", 75.5), mk("2026Q4", 72.25)];
        set_deltas(&mut rows);
        assert_eq!(rows[0].delta, None);
        assert_eq!(rows[1].delta, Some(5.5));
        assert_eq!(rows[1].delta_from.as_deref(), Some("2026Q1"));
        assert_eq!(rows[2].delta, Some(-3.25));
    }
}
