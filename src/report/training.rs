//! The training-needs list: who keeps failing which criterion over the last campaigns, with the
//! latest quote and reason behind it, and the training topic the rubric names for it. Trainers
//! take this to a session, so it is sorted by need: failure rate, then how often.

use super::ReportError;
use super::trends::{CampaignRange, Selection, select_runs};
use crate::score::{Evidence, Rubric};
use crate::store::{ScoredCall, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// The most recent failed call behind a need: what a trainer plays back or reads out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatestEvidence {
    pub campaign: String,
    pub file: String,
    pub called_at: String,
    /// The verdict's one-line reason.
    pub reason: String,
    /// Quotes with their times on the call's time line (seconds); often empty when the
    /// failure is something not said.
    pub evidence: Vec<Evidence>,
}

/// One person failing one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    pub staff: String,
    /// The unit of the person's latest call in the window.
    pub unit: String,
    pub criterion_id: String,
    pub title: String,
    pub category: String,
    /// The rubric criterion's `training` topic, or its title when it names none.
    pub topic: String,
    /// Calls where the criterion applied and was not passed.
    pub failed: usize,
    /// Calls where the criterion applied.
    pub of: usize,
    /// `failed / of`.
    pub rate: f64,
    pub latest: Option<LatestEvidence>,
}

/// Everything one person needs, most pressing first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonNeeds {
    pub staff: String,
    pub unit: String,
    /// The person's scored calls in the window.
    pub calls: usize,
    pub needs: Vec<Need>,
}

/// Everyone who needs one criterion, most pressing first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionNeeds {
    pub criterion_id: String,
    pub title: String,
    pub category: String,
    pub topic: String,
    /// Over all staff in the window (also those below the minimum rate).
    pub failed: usize,
    pub of: usize,
    pub rate: f64,
    /// The people whose own rate reaches the minimum.
    pub people: Vec<Need>,
}

/// The improvement list over a window of campaigns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingList {
    pub rubric_id: String,
    /// The window, oldest first.
    pub campaigns: Vec<String>,
    /// Needs below this failure rate are left out.
    pub min_rate: f64,
    pub by_person: Vec<PersonNeeds>,
    pub by_criterion: Vec<CriterionNeeds>,
    /// Rubric versions that differ within the window, campaigns left out.
    pub warnings: Vec<String>,
}

/// Builds the list over the last `last_campaigns` campaigns scored with rubric id `rubric`
/// (default: the one the newest campaign was scored with). A person needs a criterion when it
/// applied and was not passed at least once and in at least `min_rate` (0..=1) of the calls
/// where it applied.
pub fn training(
    store: &Store,
    last_campaigns: usize,
    min_rate: f64,
    rubric: Option<&str>,
) -> Result<TrainingList, ReportError> {
    let everything = select_runs(store, &CampaignRange::all(), rubric)?;
    let skip = everything.runs.len().saturating_sub(last_campaigns.max(1));
    let window = CampaignRange {
        from: everything.runs.get(skip).map(|r| r.campaign.clone()),
        to: everything.runs.last().map(|r| r.campaign.clone()),
    };
    // Selecting again over the window keeps its warnings to the campaigns shown.
    let sel = select_runs(store, &window, Some(&everything.rubric_id))?;
    let mut calls: Vec<ScoredCall> = Vec::new();
    for chosen in &sel.runs {
        calls.extend(store.scored_calls(&chosen.campaign, chosen.run.id)?);
    }
    // Oldest first, so the last failure seen is the latest.
    calls.sort_by(|a, b| {
        (a.campaign.as_str(), a.called_at.as_str(), a.file.as_str()).cmp(&(
            b.campaign.as_str(),
            b.called_at.as_str(),
            b.file.as_str(),
        ))
    });
    Ok(build(&sel, &calls, min_rate))
}

struct Tally {
    failed: usize,
    of: usize,
    latest: Option<LatestEvidence>,
}

fn build(sel: &Selection, calls: &[ScoredCall], min_rate: f64) -> TrainingList {
    let info = CriterionInfo::new(sel, calls);
    let name = |s: &str| {
        if s.is_empty() {
            "(none)".to_string()
        } else {
            s.to_string()
        }
    };
    // staff → (latest unit, calls, criterion → tally)
    let mut people: BTreeMap<String, (String, usize, BTreeMap<String, Tally>)> = BTreeMap::new();
    for call in calls {
        let person = people
            .entry(name(&call.staff))
            .or_insert_with(|| (String::new(), 0, BTreeMap::new()));
        person.0 = name(&call.unit);
        person.1 += 1;
        for k in call.criteria.iter().filter(|k| k.verdict.applicable()) {
            let t = person.2.entry(k.id.clone()).or_insert(Tally {
                failed: 0,
                of: 0,
                latest: None,
            });
            t.of += 1;
            if k.verdict.failed() {
                t.failed += 1;
                t.latest = Some(LatestEvidence {
                    campaign: call.campaign.clone(),
                    file: call.file.clone(),
                    called_at: call.called_at.clone(),
                    reason: k.reason.clone(),
                    evidence: k.evidence.clone(),
                });
            }
        }
    }

    let mut by_person = Vec::new();
    let mut by_criterion: BTreeMap<String, CriterionNeeds> = BTreeMap::new();
    for (staff, (unit, n_calls, tallies)) in people {
        let mut needs = Vec::new();
        for (id, t) in tallies {
            let (title, category, topic) = info.get(&id);
            let rate = t.failed as f64 / t.of as f64;
            let entry = by_criterion
                .entry(id.clone())
                .or_insert_with(|| CriterionNeeds {
                    criterion_id: id.clone(),
                    title: title.clone(),
                    category: category.clone(),
                    topic: topic.clone(),
                    failed: 0,
                    of: 0,
                    rate: 0.0,
                    people: Vec::new(),
                });
            entry.failed += t.failed;
            entry.of += t.of;
            if t.failed == 0 || rate + 1e-9 < min_rate {
                continue;
            }
            let need = Need {
                staff: staff.clone(),
                unit: unit.clone(),
                criterion_id: id,
                title,
                category,
                topic,
                failed: t.failed,
                of: t.of,
                rate,
                latest: t.latest,
            };
            entry.people.push(need.clone());
            needs.push(need);
        }
        if needs.is_empty() {
            continue;
        }
        needs.sort_by(|a, b| by_need(a, b).then(info.order(a).cmp(&info.order(b))));
        by_person.push(PersonNeeds {
            staff,
            unit,
            calls: n_calls,
            needs,
        });
    }
    by_person.sort_by(|a, b| {
        by_need(&a.needs[0], &b.needs[0])
            .then(total(b).cmp(&total(a)))
            .then(a.staff.cmp(&b.staff))
    });
    let mut by_criterion: Vec<CriterionNeeds> = by_criterion
        .into_values()
        .filter(|c| !c.people.is_empty())
        .map(|mut c| {
            c.rate = c.failed as f64 / c.of.max(1) as f64;
            c.people
                .sort_by(|a, b| by_need(a, b).then(a.staff.cmp(&b.staff)));
            c
        })
        .collect();
    by_criterion.sort_by(|a, b| {
        b.rate
            .total_cmp(&a.rate)
            .then(b.failed.cmp(&a.failed))
            .then(b.people.len().cmp(&a.people.len()))
            .then(a.criterion_id.cmp(&b.criterion_id))
    });
    TrainingList {
        rubric_id: sel.rubric_id.clone(),
        campaigns: sel.runs.iter().map(|r| r.campaign.clone()).collect(),
        min_rate,
        by_person,
        by_criterion,
        warnings: sel.warnings.clone(),
    }
}

/// Higher rate first, then more failures.
fn by_need(a: &Need, b: &Need) -> std::cmp::Ordering {
    b.rate.total_cmp(&a.rate).then(b.failed.cmp(&a.failed))
}

fn total(p: &PersonNeeds) -> usize {
    p.needs.iter().map(|n| n.failed).sum()
}

/// Title, category and training topic per criterion id, from the newest rubric version that
/// has it; from the stored verdicts when the rubric text is unavailable.
struct CriterionInfo {
    known: Vec<(String, String, String, String)>,
}

impl CriterionInfo {
    fn new(sel: &Selection, calls: &[ScoredCall]) -> CriterionInfo {
        let mut known: Vec<(String, String, String, String)> = Vec::new();
        let rubrics: Vec<&Rubric> = sel.runs.iter().rev().map(|r| &r.rubric).collect();
        for r in rubrics {
            for c in &r.criteria {
                if !known.iter().any(|k| k.0 == c.id) {
                    let topic = c.training.clone().unwrap_or_else(|| c.title.clone());
                    known.push((c.id.clone(), c.title.clone(), c.category.clone(), topic));
                }
            }
        }
        for k in calls.iter().rev().flat_map(|c| &c.criteria) {
            if !known.iter().any(|x| x.0 == k.id) {
                known.push((
                    k.id.clone(),
                    k.title.clone(),
                    k.category.clone(),
                    k.title.clone(),
                ));
            }
        }
        CriterionInfo { known }
    }

    fn get(&self, id: &str) -> (String, String, String) {
        self.known
            .iter()
            .find(|k| k.0 == id)
            .map(|k| (k.1.clone(), k.2.clone(), k.3.clone()))
            .unwrap_or_else(|| (id.to_string(), String::new(), id.to_string()))
    }

    /// Position in the rubric, to keep ties in form order.
    fn order(&self, need: &Need) -> usize {
        self.known
            .iter()
            .position(|k| k.0 == need.criterion_id)
            .unwrap_or(usize::MAX)
    }
}
