//! How far the machine's verdicts can be trusted: per criterion, over the calls supervisors
//! reviewed, how often the reviewer agreed with the machine, Cohen's kappa, and the confusion
//! counts, overall and per confidence band.
//!
//! Two kinds of review are kept apart. Blind reviews were given before the reviewer saw the
//! automatic verdicts: they are the honest figures. Reviews made after seeing them count the
//! standing override as the reviewer's verdict, and agreement where there is none; they lean
//! towards the machine (a reviewer who sees "passed" tends to leave it), so they are shown
//! second. The figures are computed here, purely, from pairs (machine, reviewer); `load`
//! gathers the pairs from the store.

use super::{CampaignReport, ReportError};
use crate::score::{REVIEW_BELOW, Verdict};
use crate::store::{BlindVerdict, MachineVerdict, Review, Store};
use std::collections::{BTreeSet, HashMap};

/// Confidence from which a verdict counts as sure (the top band).
pub const SURE_FROM: f64 = 0.8;

/// The verdicts in the order of the confusion table's rows and columns.
pub const VERDICTS: [Verdict; 3] = [Verdict::Passed, Verdict::Failed, Verdict::NotApplicable];

/// A band of the machine's confidence in a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// Below [`REVIEW_BELOW`]: marked needs review.
    Doubtful,
    /// From [`REVIEW_BELOW`] up to [`SURE_FROM`].
    Middle,
    /// [`SURE_FROM`] and above.
    Sure,
    /// Scored before confidence was measured.
    Unmeasured,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Doubtful, Band::Middle, Band::Sure, Band::Unmeasured];

    pub fn of(confidence: Option<f64>) -> Band {
        match confidence {
            None => Band::Unmeasured,
            Some(c) if c < REVIEW_BELOW => Band::Doubtful,
            Some(c) if c < SURE_FROM => Band::Middle,
            Some(_) => Band::Sure,
        }
    }
}

/// One criterion of one reviewed call: what the machine said (and how sure it was) and what
/// the reviewer said.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub criterion_id: String,
    pub machine: Verdict,
    pub confidence: Option<f64>,
    pub reviewer: Verdict,
}

/// Cohen's kappa, or why it has no value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kappa {
    Value(f64),
    /// No reviewed calls: nothing to measure.
    NoCalls,
    /// Machine and reviewer put every call in the same one category. Agreement is complete,
    /// but chance alone would agree as often, so kappa is 0/0: undefined, not 1.
    OneCategory,
}

/// The confusion counts of a set of pairs: `counts[machine][reviewer]`, indexed as
/// [`VERDICTS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub counts: [[usize; 3]; 3],
}

fn index(v: Verdict) -> usize {
    match v {
        Verdict::Passed => 0,
        Verdict::Failed => 1,
        Verdict::NotApplicable => 2,
    }
}

impl Figures {
    pub fn add(&mut self, machine: Verdict, reviewer: Verdict) {
        self.counts[index(machine)][index(reviewer)] += 1;
    }

    /// How many pairs.
    pub fn n(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Pairs where the reviewer gave the machine's verdict.
    pub fn agreed(&self) -> usize {
        (0..3).map(|i| self.counts[i][i]).sum()
    }

    /// Share of pairs agreed on; `None` without pairs.
    pub fn agreement(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| self.agreed() as f64 / n as f64)
    }

    /// Cohen's kappa: (observed agreement − agreement expected by chance) / (1 − chance),
    /// chance being the sum over verdicts of (machine's share × reviewer's share). 1 is
    /// complete agreement, 0 no better than chance, below 0 worse than chance.
    pub fn kappa(&self) -> Kappa {
        let n = self.n();
        if n == 0 {
            return Kappa::NoCalls;
        }
        let n = n as f64;
        let observed = self.agreed() as f64 / n;
        let chance: f64 = (0..3)
            .map(|k| {
                let machine: usize = self.counts[k].iter().sum();
                let reviewer: usize = (0..3).map(|i| self.counts[i][k]).sum();
                machine as f64 / n * (reviewer as f64 / n)
            })
            .sum();
        // Chance agreement is 1 only when both used one and the same category throughout.
        if chance >= 1.0 - 1e-12 {
            return Kappa::OneCategory;
        }
        Kappa::Value((observed - chance) / (1.0 - chance))
    }
}

/// The figures of one criterion: over all its reviewed calls, and per confidence band (only
/// bands that have calls).
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionFigures {
    pub id: String,
    pub title: String,
    pub all: Figures,
    pub bands: Vec<(Band, Figures)>,
}

/// The figures of one kind of review (blind, or after seeing the verdicts).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// Reviews counted (a call reviewed blind by two supervisors counts twice).
    pub reviews: usize,
    pub criteria: Vec<CriterionFigures>,
}

/// Per criterion (in `criteria` order: id, title), the figures of `reviews`: each review is
/// its pairs, one per criterion. Criteria without pairs are listed with empty figures.
pub fn section(criteria: &[(String, String)], reviews: &[Vec<Pair>]) -> Section {
    let criteria = criteria
        .iter()
        .map(|(id, title)| {
            let mut all = Figures::default();
            let mut bands: HashMap<Band, Figures> = HashMap::new();
            for p in reviews.iter().flatten().filter(|p| &p.criterion_id == id) {
                all.add(p.machine, p.reviewer);
                bands
                    .entry(Band::of(p.confidence))
                    .or_default()
                    .add(p.machine, p.reviewer);
            }
            CriterionFigures {
                id: id.clone(),
                title: title.clone(),
                all,
                bands: Band::ALL
                    .iter()
                    .filter_map(|b| bands.get(b).map(|f| (*b, *f)))
                    .collect(),
            }
        })
        .collect();
    Section {
        reviews: reviews.len(),
        criteria,
    }
}

/// A campaign's calibration under the newest rubric version that scored it.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub campaign: String,
    /// The rubric id the reviews were made under; `None` when the campaign has no scores.
    pub rubric_id: Option<String>,
    pub blind: Section,
    pub seen: Section,
    /// (id, file) of the calls scored under the rubric: what can still be reviewed.
    pub scored: Vec<(i64, String)>,
}

/// What the store holds about a campaign's reviews, gathered for [`calibrate`].
pub struct Reviewed<'a> {
    pub report: &'a CampaignReport,
    pub machine: &'a [MachineVerdict],
    pub marks: &'a [Review],
    pub blind: &'a [BlindVerdict],
}

/// The calibration of a campaign from its reviews. Blind reviews pair the machine's stored
/// verdict with the reviewer's blind one. A call reviewed after seeing the verdicts counts
/// once, pairing the machine's stored verdict with the effective one (the standing override,
/// else the machine's own: the reviewer let it stand).
pub fn calibrate(input: &Reviewed) -> Calibration {
    let report = input.report;
    let rubric_id = report.rubric.as_ref().map(|r| r.rubric_id.clone());
    let criteria: Vec<(String, String)> = report
        .form
        .as_ref()
        .map(|f| {
            f.criteria
                .iter()
                .map(|c| (c.id.clone(), c.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    let machine: HashMap<(i64, &str), &MachineVerdict> = input
        .machine
        .iter()
        .map(|m| ((m.call_id, m.criterion_id.as_str()), m))
        .collect();
    let ours = |r: &str| rubric_id.as_deref() == Some(r);
    let pair = |call: i64, criterion: &str, reviewer: Verdict| {
        machine.get(&(call, criterion)).map(|m| Pair {
            criterion_id: criterion.to_string(),
            machine: m.verdict,
            confidence: m.confidence,
            reviewer,
        })
    };

    let mut blind: Vec<(i64, Vec<Pair>)> = Vec::new();
    for b in input.blind.iter().filter(|b| ours(&b.rubric_id)) {
        let Some(p) = pair(b.call_id, &b.criterion_id, b.verdict) else {
            continue;
        };
        match blind.last_mut() {
            Some((review, pairs)) if *review == b.review_id => pairs.push(p),
            _ => blind.push((b.review_id, vec![p])),
        }
    }

    let seen_calls: BTreeSet<i64> = input
        .marks
        .iter()
        .filter(|m| !m.blind && ours(&m.rubric_id))
        .map(|m| m.call_id)
        .collect();
    let seen: Vec<Vec<Pair>> = report
        .calls
        .iter()
        .filter(|c| seen_calls.contains(&c.id))
        .map(|c| {
            c.criteria
                .iter()
                .filter_map(|k| pair(c.id, &k.id, k.verdict))
                .collect::<Vec<_>>()
        })
        .filter(|pairs| !pairs.is_empty())
        .collect();

    let blind: Vec<Vec<Pair>> = blind.into_iter().map(|(_, p)| p).collect();
    Calibration {
        campaign: report.campaign.clone(),
        rubric_id,
        blind: section(&criteria, &blind),
        seen: section(&criteria, &seen),
        scored: report
            .calls
            .iter()
            .filter(|c| c.score.is_some())
            .map(|c| (c.id, c.file.clone()))
            .collect(),
    }
}

/// Reads a campaign's reviews from the store and calibrates them.
pub fn load(store: &Store, campaign: &str) -> Result<Calibration, ReportError> {
    let report = CampaignReport::load(store, campaign, None)?;
    let machine = match &report.rubric {
        Some(run) => store.machine_verdicts(campaign, run.id)?,
        None => Vec::new(),
    };
    let marks = store.reviewed_calls(campaign)?;
    let blind = store.blind_verdicts(campaign)?;
    Ok(calibrate(&Reviewed {
        report: &report,
        machine: &machine,
        marks: &marks,
        blind: &blind,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{CriterionResult, Rubric};
    use crate::store::{CallView, ScoreRunView};
    use Verdict::{Failed as F, NotApplicable as NA, Passed as P};

    /// Figures from a 2×2 table of (machine, reviewer) over pass/fail.
    fn two_by_two(pp: usize, pf: usize, fp: usize, ff: usize) -> Figures {
        let mut f = Figures::default();
        for (m, r, n) in [(P, P, pp), (P, F, pf), (F, P, fp), (F, F, ff)] {
            for _ in 0..n {
                f.add(m, r);
            }
        }
        f
    }

    fn kappa(f: &Figures) -> f64 {
        match f.kappa() {
            Kappa::Value(k) => k,
            other => panic!("no value: {other:?}"),
        }
    }

    #[test]
    fn kappa_matches_textbook_examples() {
        // 50 applications read by two readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
        // Observed 0.7; chance 0.5 × 0.6 + 0.5 × 0.4 = 0.5; kappa (0.7 − 0.5) / 0.5 = 0.4.
        let f = two_by_two(20, 5, 10, 15);
        assert_eq!((f.n(), f.agreed()), (50, 35));
        assert!((f.agreement().unwrap() - 0.7).abs() < 1e-12);
        assert!((kappa(&f) - 0.4).abs() < 1e-12);
        // Same 60% agreement, different chance: 0.6 × 0.7 + 0.4 × 0.3 = 0.54 → 0.06 / 0.46;
        // 0.6 × 0.3 + 0.4 × 0.7 = 0.46 → 0.14 / 0.54.
        assert!((kappa(&two_by_two(45, 15, 25, 15)) - 0.06 / 0.46).abs() < 1e-12);
        assert!((kappa(&two_by_two(25, 35, 5, 35)) - 0.14 / 0.54).abs() < 1e-12);
    }

    #[test]
    fn kappa_over_three_verdicts() {
        // Rows machine (pass, fail, n/a), columns reviewer. Observed 43/50 = 0.86; row sums
        // 28, 13, 9 and column sums 29, 12, 9 give chance 1049/2500 = 0.4196; kappa
        // 0.4404 / 0.5804 = 0.7588.
        let f = Figures {
            counts: [[25, 2, 1], [3, 10, 0], [1, 0, 8]],
        };
        assert!((kappa(&f) - 0.4404 / 0.5804).abs() < 1e-12);
        assert!((kappa(&f) - 0.7588).abs() < 1e-4);
    }

    #[test]
    fn kappa_is_negative_when_worse_than_chance_and_zero_at_chance() {
        assert!((kappa(&two_by_two(0, 5, 5, 0)) + 1.0).abs() < 1e-12);
        assert!(kappa(&two_by_two(2, 3, 3, 2)) < 0.0);
        // The machine passes everything, the reviewer fails 2 of 5: 60% agreement, and
        // exactly what chance gives.
        let f = two_by_two(3, 2, 0, 0);
        assert!((f.agreement().unwrap() - 0.6).abs() < 1e-12);
        assert!(kappa(&f).abs() < 1e-12);
    }

    #[test]
    fn kappa_has_no_value_without_calls_or_with_one_category() {
        let none = Figures::default();
        assert_eq!(none.kappa(), Kappa::NoCalls);
        assert_eq!(none.agreement(), None);
        let all_pass = two_by_two(7, 0, 0, 0);
        assert_eq!(all_pass.kappa(), Kappa::OneCategory);
        assert_eq!(all_pass.agreement(), Some(1.0));
        let mut all_na = Figures::default();
        all_na.add(NA, NA);
        assert_eq!(all_na.kappa(), Kappa::OneCategory);
    }

    #[test]
    fn bands_split_at_the_review_mark_and_at_sure() {
        assert_eq!(Band::of(Some(0.59)), Band::Doubtful);
        assert_eq!(Band::of(Some(REVIEW_BELOW)), Band::Middle);
        assert_eq!(Band::of(Some(0.79)), Band::Middle);
        assert_eq!(Band::of(Some(SURE_FROM)), Band::Sure);
        assert_eq!(Band::of(None), Band::Unmeasured);
    }

    use crate::score::TWO_CRITERIA_RUBRIC as RUBRIC;

    fn call(id: i64, effective: [Verdict; 2]) -> CallView {
        CallView {
            id,
            campaign: "Q".into(),
            file: format!("{id}.wav"),
            path: String::new(),
            staff: String::new(),
            unit: String::new(),
            scenario: String::new(),
            called_at: String::new(),
            staff_channel: "left".into(),
            status: "scored".into(),
            error: None,
            transcript_id: None,
            facts: None,
            score: None,
            criteria: ["pickup", "greeting"]
                .iter()
                .zip(effective)
                .map(|(id, verdict)| CriterionResult {
                    id: id.to_string(),
                    title: id.to_string(),
                    category: String::new(),
                    verdict,
                    points: 0.0,
                    max: 1.0,
                    evidence: Vec::new(),
                    reason: String::new(),
                    confidence: Some(1.0),
                    needs_review: false,
                    overridden: None,
                })
                .collect(),
            transcript: Vec::new(),
            quality: None,
            speakers: Vec::new(),
        }
    }

    fn machine(call: i64, criterion: &str, verdict: Verdict, c: f64) -> MachineVerdict {
        MachineVerdict {
            call_id: call,
            criterion_id: criterion.into(),
            verdict,
            confidence: Some(c),
        }
    }

    fn mark(id: i64, call: i64, rubric: &str, blind: bool) -> Review {
        Review {
            id,
            call_id: call,
            rubric_id: rubric.into(),
            reviewer: "Lin".into(),
            at: String::new(),
            blind,
        }
    }

    fn blind(review: i64, call: i64, criterion: &str, verdict: Verdict) -> BlindVerdict {
        BlindVerdict {
            review_id: review,
            call_id: call,
            rubric_id: "t".into(),
            criterion_id: criterion.into(),
            verdict,
            reviewer: "Lin".into(),
            at: String::new(),
        }
    }

    #[test]
    fn blind_and_seen_reviews_are_counted_apart() {
        let report = CampaignReport {
            campaign: "Q".into(),
            rubric: Some(ScoreRunView {
                id: 1,
                rubric_id: "t".into(),
                sha256: String::new(),
                title: "T".into(),
                toml: RUBRIC.into(),
            }),
            form: Some(Rubric::parse(RUBRIC, "test").unwrap()),
            // Call 2's greeting was overridden to passed; call 3 was never reviewed.
            calls: vec![call(1, [P, F]), call(2, [P, P]), call(3, [F, F])],
        };
        let machine = [
            machine(1, "pickup", P, 0.9),
            machine(1, "greeting", F, 0.5),
            machine(2, "pickup", P, 0.7),
            machine(2, "greeting", F, 0.4),
            machine(3, "pickup", F, 0.9),
            machine(3, "greeting", F, 0.9),
        ];
        let marks = [
            mark(1, 1, "t", true),
            mark(2, 2, "t", false),
            mark(3, 3, "old-rubric", false),
        ];
        // Blind on call 1: agrees on pickup, says greeting passed where the machine failed it.
        let blinds = [blind(1, 1, "pickup", P), blind(1, 1, "greeting", P)];
        let c = calibrate(&Reviewed {
            report: &report,
            machine: &machine,
            marks: &marks,
            blind: &blinds,
        });
        assert_eq!(c.rubric_id.as_deref(), Some("t"));
        assert_eq!((c.blind.reviews, c.seen.reviews), (1, 1));
        let [pickup, greeting] = &c.blind.criteria[..] else {
            panic!("{:?}", c.blind)
        };
        assert_eq!(pickup.all.agreed(), 1);
        assert_eq!(
            greeting.all.counts[1][0], 1,
            "machine failed, reviewer passed"
        );
        assert_eq!(greeting.all.agreement(), Some(0.0));
        assert_eq!(greeting.bands, vec![(Band::Doubtful, greeting.all)]);
        // Seen: call 2 only; the override on its greeting is the reviewer's verdict.
        let greeting = &c.seen.criteria[1];
        assert_eq!(greeting.all.n(), 1);
        assert_eq!(greeting.all.counts[1][0], 1);
        let pickup = &c.seen.criteria[0];
        assert_eq!(pickup.all.agreed(), 1);
        assert_eq!(pickup.bands, vec![(Band::Middle, pickup.all)]);
        assert_eq!(pickup.all.kappa(), Kappa::OneCategory);
    }
}
