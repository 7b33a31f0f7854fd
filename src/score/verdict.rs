//! The words every front end uses for a result: a criterion's [`Verdict`] and a call's [`Total`].

use serde::{Deserialize, Serialize};

/// The verdict on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
    /// Did not apply to this call (no hold, no scenario): full points, as courtesy forms do.
    NotApplicable,
}

impl Verdict {
    pub fn passed_if(ok: bool) -> Verdict {
        if ok { Verdict::Passed } else { Verdict::Failed }
    }

    /// From the two columns the store and the JSON export keep (`passed`, `applicable`).
    pub fn from_flags(passed: bool, applicable: bool) -> Verdict {
        if applicable {
            Verdict::passed_if(passed)
        } else {
            Verdict::NotApplicable
        }
    }

    /// The `passed` column: true for not applicable too, which earns its points.
    pub fn passed(self) -> bool {
        self != Verdict::Failed
    }

    /// The `applicable` column.
    pub fn applicable(self) -> bool {
        self != Verdict::NotApplicable
    }

    /// Whether the criterion applied and was not met: what training lists and failure rates
    /// count.
    pub fn failed(self) -> bool {
        self == Verdict::Failed
    }

    /// `"passed"`, `"failed"` or `"not_applicable"`: the JSON export's spelling, also used in
    /// stored review rows and form fields.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::NotApplicable => "not_applicable",
        }
    }

    /// The verdict spelled `code` (see [`Verdict::code`]).
    pub fn from_code(code: &str) -> Option<Verdict> {
        [Verdict::Passed, Verdict::Failed, Verdict::NotApplicable]
            .into_iter()
            .find(|v| v.code() == code)
    }

    /// `"passed"`, `"failed"` or `"not applicable"`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::NotApplicable => "not applicable",
        }
    }
}

/// A call's score: total and maximum after scaling, and the grade band the total falls in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub score: f64,
    pub max: f64,
    pub grade: String,
}
