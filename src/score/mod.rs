//! Scoring stage: a pure function of (transcript, audio facts, rubric, scenario) → verdicts.
//! No I/O besides parsing rubric/scenario files, no SQL, no Whisper: that is what makes
//! re-scoring and exhaustive tests cheap.

mod agency;
mod attribution;
mod checks;
mod confidence;
mod error;
mod matcher;
pub mod normalize;
mod numbers;
mod overrides;
mod recheck;
// Redaction matches staff names by sound with the same rules as scoring.
pub(crate) mod phonetic;
mod rubric;
mod scenario;
mod speakers;
mod staff_name;
mod tokens;
mod verdict;
mod weekdays;

/// A two-criterion form (pickup, greeting) for the unit tests of the modules that read
/// verdicts back: the store's reviews and calibration.
#[cfg(test)]
pub(crate) const TWO_CRITERIA_RUBRIC: &str = r#"
[rubric]
id = "t"
title = "T"
language = "en"
scale_to = 100

[[grade]]
name = "Good"
min = 80

[[grade]]
name = "Poor"
min = 0

[[criterion]]
id = "pickup"
title = "Pickup"
category = "speed"
points = 3
check = "pickup"
max_rings = 3

[[criterion]]
id = "greeting"
title = "Greeting"
category = "courtesy"
points = 1
check = "phrase"
any = ["hello"]
"#;

pub use attribution::{LineSpeaker, SPEAKER_UNSURE_BELOW};
pub use confidence::{REVIEW_BELOW, needs_review};
pub use error::ScoreFileError;
pub use overrides::{AppliedOverride, StandingOverride, apply_overrides};
pub use recheck::{Recheck, rechecks};
pub(crate) use rubric::COMMON_WORDS;
pub use rubric::{Check, Criterion, Grade, Language, Matching, Phrase, Rubric};
pub use scenario::{Point, Scenario, Scenarios, UnknownScenario};
pub use verdict::{Total, Verdict};

use crate::audio::{AudioFacts, Speaker};
use crate::transcribe::Segment;
use serde::{Deserialize, Serialize};

/// A quote that supports a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub start: f64,
    pub end: f64,
    pub speaker: Speaker,
    /// How closely the quote matched the rubric's phrase, 0..=1 (1 = exact after normalising).
    pub similarity: f64,
}

/// The verdict on one rubric criterion for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub title: String,
    pub category: String,
    pub verdict: Verdict,
    pub points: f64,
    pub max: f64,
    pub evidence: Vec<Evidence>,
    /// One line a supervisor can read: why it passed or failed.
    pub reason: String,
    /// How sure the verdict is, 0..=1 (see `confidence.rs`); 1 under a supervisor's override.
    /// `None` for verdicts stored before confidence was measured.
    #[serde(default)]
    pub confidence: Option<f64>,
    /// The confidence is below [`REVIEW_BELOW`]: a supervisor should check this verdict.
    #[serde(default)]
    pub needs_review: bool,
    /// A supervisor's override in effect (never set by scoring): `verdict`, `points` and
    /// `reason` above are then the reviewer's, and the automatic ones are kept here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<AppliedOverride>,
}

/// The verdict on a whole call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallScore {
    /// Total after scaling (`scale_to`), rounded to one decimal.
    pub score: f64,
    /// Maximum after scaling.
    pub max: f64,
    pub grade: String,
    pub criteria: Vec<CriterionResult>,
    /// Who said each transcript segment where the recording's side does not say (mono),
    /// indexed like the segments; empty for scores made before it was kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Option<LineSpeaker>>,
}

/// Scores one call: every criterion of `rubric` against the staff's speech in `segments`,
/// the audio measurements and (for content criteria) the call's scenario. `staff_name` is the
/// manifest's name for the staff member, used as a hint for the self-introduction check.
pub fn score_call(
    rubric: &Rubric,
    scenario: Option<&Scenario>,
    segments: &[Segment],
    audio: &AudioFacts,
    staff_name: Option<&str>,
) -> CallScore {
    in_context(rubric, scenario, segments, audio, staff_name, |cx| {
        score_in(cx, rubric, segments)
    })
}

/// Runs `f` with what the checks see of a call (arguments as [`score_call`]).
pub(crate) fn in_context<R>(
    rubric: &Rubric,
    scenario: Option<&Scenario>,
    segments: &[Segment],
    audio: &AudioFacts,
    staff_name: Option<&str>,
    f: impl FnOnce(&checks::Ctx) -> R,
) -> R {
    let staff_name = staff_name.filter(|n| !n.trim().is_empty());
    let staff = speakers::staff_speech(
        segments,
        audio,
        scenario,
        checks::name_questions(rubric, staff_name).as_ref(),
        &rubric.matching,
    );
    f(&checks::Ctx {
        rubric,
        scenario,
        staff: &staff,
        audio,
        staff_name,
    })
}

fn score_in(cx: &checks::Ctx, rubric: &Rubric, segments: &[Segment]) -> CallScore {
    let criteria: Vec<CriterionResult> = rubric
        .criteria
        .iter()
        .map(|c| {
            let v = checks::run(cx, c);
            let confidence = confidence::of(cx, segments, c, &v);
            CriterionResult {
                id: c.id.clone(),
                title: c.title.clone(),
                category: c.category.clone(),
                verdict: v.verdict,
                points: round_to(c.points * v.fraction.clamp(0.0, 1.0), 100.0),
                max: c.points,
                evidence: v.evidence,
                reason: v.reason,
                confidence: Some(confidence),
                needs_review: needs_review(confidence),
                overridden: None,
            }
        })
        .collect();
    let (score, max) = scaled_total(rubric, criteria.iter().map(|c| c.points).sum());
    CallScore {
        score,
        max,
        grade: grade_for(rubric, score),
        criteria,
        speakers: attribution::line_speakers(segments, cx.staff),
    }
}

/// A call's total and maximum from the sum of its criteria's points: scaled to the rubric's
/// `scale_to` (when set) and rounded to one decimal. Shared with supervisor overrides, so an
/// overridden call is totalled exactly as a scored one.
pub fn scaled_total(rubric: &Rubric, raw: f64) -> (f64, f64) {
    let raw_max = rubric.raw_max();
    let (score, max) = match rubric.scale_to {
        Some(to) if raw_max > 0.0 => (raw / raw_max * to, to),
        _ => (raw, raw_max),
    };
    (round_to(score, 10.0), max)
}

fn round_to(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

/// The first band (highest first) whose minimum the score reaches; the lowest band otherwise.
pub fn grade_for(rubric: &Rubric, score: f64) -> String {
    rubric
        .grades
        .iter()
        .find(|g| score + 1e-9 >= g.min)
        .or(rubric.grades.last())
        .map(|g| g.name.clone())
        .unwrap_or_default()
}
