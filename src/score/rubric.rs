//! Rubric files (`rubrics/*.toml`): what is checked, for how many points, and grade bands.
//! See `docs/rubric-format.md` for the format.

use super::error::{ScoreFileError, from_toml};
use super::matcher::unit_weights;
use super::tokens::{Tok, pattern_mask, tokenize};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

/// Language of a rubric: it picks the built-in self-introduction patterns and the language of
/// the reasons written into each verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Zh,
    En,
}

impl Language {
    /// Picks the Chinese or English variant of a message.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Language::Zh => zh,
            Language::En => en,
        }
    }

    /// `"zh"` or `"en"`.
    pub fn code(self) -> &'static str {
        self.pick("zh", "en")
    }

    /// Terms as one line of a transcriber's prompt, punctuated as this language writes a list.
    pub fn prompt_line(self, terms: &[String]) -> String {
        terms.join(self.pick("、", ", ")) + self.pick("。", ".")
    }
}

/// Matching thresholds. Every default lives here; a rubric may override them in `[rubric]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matching {
    /// Similarity (0..=1) a phrase needs to count as said (`match_threshold`).
    pub threshold: f64,
    /// Per-unit similarity below which a character/word counts as wrong (`unit_floor`).
    pub unit_floor: f64,
    /// Cost of each extra transcript unit inside a matched phrase (`insert_cost`).
    pub insert_cost: f64,
    /// How much lower the self-introduction patterns may score, since the name itself is
    /// unknown and often misheard (`self_intro_slack`).
    pub self_intro_slack: f64,
    /// Similarity at which a mono segment counts as the caller's script (`caller_match_threshold`).
    pub caller_threshold: f64,
    /// How far before a silence an announce phrase may be said, seconds (`announce_lookback_seconds`).
    pub announce_lookback: f64,
}

impl Default for Matching {
    fn default() -> Self {
        Matching {
            threshold: 0.8,
            unit_floor: 0.5,
            insert_cost: 0.35,
            self_intro_slack: 0.05,
            caller_threshold: 0.65,
            announce_lookback: 20.0,
        }
    }
}

/// A phrase from a rubric or scenario, kept as written and pre-tokenised for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub text: String,
    pub(crate) toks: Vec<Tok>,
    /// [`pattern_mask`] of each token, to skip utterances that cannot match.
    pub(crate) masks: Vec<u128>,
}

impl Phrase {
    /// Tokenises `text`; `None` when nothing comparable is left (only punctuation).
    pub(crate) fn new(text: &str) -> Option<Phrase> {
        let toks = tokenize(text);
        (!toks.is_empty()).then(|| Phrase::from_tokens(text, toks))
    }

    /// Upper bound of this phrase's similarity against an utterance whose tokens' combined
    /// [`super::tokens::text_mask`] is `text_mask`: units that cannot match count as misses.
    pub(crate) fn upper_bound(&self, text_mask: u128) -> f64 {
        self.upper_bound_dropping(text_mask, 1.0)
    }

    /// [`Phrase::upper_bound`] for [`super::matcher::best_match_dropping`]: a short word that
    /// cannot match costs only `short_drop`.
    pub(crate) fn upper_bound_dropping(&self, text_mask: u128, short_drop: f64) -> f64 {
        let word = |i: usize| matches!(self.toks[i], Tok::Word(_));
        let drops = unit_weights(&self.toks, short_drop);
        let missed: f64 = (0..self.toks.len())
            .filter(|&i| {
                !(self.masks[i] & text_mask != 0
                    // Two phrase words may merge into one heard word starting like the first.
                    || (i > 0 && word(i) && word(i - 1) && self.masks[i - 1] & text_mask != 0))
            })
            .map(|i| drops[i].min(1.0))
            .sum();
        1.0 - missed / self.toks.len().max(1) as f64
    }

    pub(crate) fn from_tokens(text: &str, toks: Vec<Tok>) -> Phrase {
        Phrase {
            text: text.to_string(),
            masks: toks.iter().map(pattern_mask).collect(),
            toks,
        }
    }

    /// Like [`Phrase::new`], but each `{name}` in `text` stands for the speaker's name
    /// (one Han character, or one word that is not a common word).
    pub(crate) fn with_name_slot(text: &str) -> Option<Phrase> {
        let mut toks = Vec::new();
        for (i, piece) in text.split("{name}").enumerate() {
            if i > 0 {
                toks.push(Tok::Name);
            }
            toks.extend(tokenize(piece));
        }
        (!toks.is_empty()).then(|| Phrase::from_tokens(text, toks))
    }
}

/// What a criterion checks, with its keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Pickup {
        max_rings: Option<u32>,
        max_seconds: Option<f64>,
    },
    Phrase {
        any: Vec<Phrase>,
        within_seconds: Option<f64>,
        last_seconds: Option<f64>,
    },
    SelfIntro {
        patterns: Vec<Phrase>,
        within_seconds: Option<f64>,
    },
    Forbidden {
        any: Vec<Phrase>,
        within_seconds: Option<f64>,
    },
    Hold {
        max_silence_seconds: f64,
        announce: Vec<Phrase>,
    },
    Accuracy,
    Completeness,
}

/// One line of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub category: String,
    pub points: f64,
    /// Training topic to suggest when this criterion fails.
    pub training: Option<String>,
    /// Per-criterion override of [`Matching::threshold`].
    pub threshold: Option<f64>,
    pub check: Check,
}

/// A grade band: a call whose scaled score is at least `min` gets `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub name: String,
    pub min: f64,
}

/// A parsed, validated rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub language: Language,
    /// Scale raw points to this total (e.g. 55 raw → 100); `None` keeps raw points.
    pub scale_to: Option<f64>,
    /// Score (after scaling) a call needs to pass, from the header's optional `pass_mark`;
    /// see [`Rubric::pass_mark`] for the default.
    pub pass_mark: Option<f64>,
    pub matching: Matching,
    /// Highest band first.
    pub grades: Vec<Grade>,
    pub criteria: Vec<Criterion>,
    /// SHA-256 of the file bytes, hex; recorded with each score so it can be reproduced.
    pub sha256: String,
    /// The file's text, stored with each score run so any score can be explained later.
    pub source: String,
    /// Words that are never a person's name in a self-introduction (function words plus the
    /// words of this rubric's phrases, e.g. the agency name).
    pub(crate) common_words: HashSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rubric: RawHeader,
    #[serde(default)]
    grade: Vec<RawGrade>,
    #[serde(default)]
    criterion: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    title: String,
    language: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    scale_to: Option<Spanned<f64>>,
    pass_mark: Option<Spanned<f64>>,
    match_threshold: Option<Spanned<f64>>,
    unit_floor: Option<Spanned<f64>>,
    insert_cost: Option<Spanned<f64>>,
    self_intro_slack: Option<Spanned<f64>>,
    caller_match_threshold: Option<Spanned<f64>>,
    announce_lookback_seconds: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    name: String,
    min: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    title: String,
    category: String,
    points: Spanned<f64>,
    check: Spanned<String>,
    training: Option<String>,
    description: Option<String>,
    threshold: Option<Spanned<f64>>,
    max_rings: Option<u32>,
    max_seconds: Option<Spanned<f64>>,
    any: Option<Spanned<Vec<String>>>,
    within_seconds: Option<Spanned<f64>>,
    last_seconds: Option<Spanned<f64>>,
    patterns: Option<Spanned<Vec<String>>>,
    max_silence_seconds: Option<Spanned<f64>>,
    announce: Option<Spanned<Vec<String>>>,
}

/// Function words that follow "this is" / "I'm" without being a name.
pub(crate) const COMMON_WORDS: &str = "a an the this that it is are am was be been my your our their his her \
    its i you we they he she me us them here there now just so very really not no yes ok okay \
    sorry sure glad happy afraid fine good great well going calling speaking with from for to of \
    in on at by and or but how what who whom which where when why can could may might will would \
    shall should do does did have has had please thank thanks hello hi hey welcome office center \
    centre department service services unit desk line phone ma am sir madam one all everything \
    nothing something anything that's it's fine right done";

struct Ctx<'a> {
    origin: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> ScoreFileError {
        ScoreFileError::at(self.origin, self.text, Some(span), msg)
    }

    fn phrases(
        &self,
        list: Spanned<Vec<String>>,
        key: &str,
    ) -> Result<Vec<Phrase>, ScoreFileError> {
        let make = if key == "patterns" {
            Phrase::with_name_slot
        } else {
            Phrase::new
        };
        let span = list.span();
        let list = list.into_inner();
        if list.is_empty() {
            return Err(self.err(span, format!("`{key}` is empty; list at least one phrase")));
        }
        list.iter()
            .map(|s| {
                make(s).ok_or_else(|| {
                    self.err(
                        span.clone(),
                        format!("phrase {s:?} in `{key}` has no words or characters to match"),
                    )
                })
            })
            .collect()
    }

    /// A number that must be finite and at least `min` (above it when `strict`): `nan` and
    /// `inf` are valid TOML, but a score built on them is meaningless.
    fn number(
        &self,
        v: Spanned<f64>,
        key: &str,
        min: f64,
        strict: bool,
    ) -> Result<f64, ScoreFileError> {
        let x = *v.get_ref();
        let ok = x.is_finite() && if strict { x > min } else { x >= min };
        if ok {
            return Ok(x);
        }
        let bound = if strict { "greater than" } else { "at least" };
        Err(self.err(
            v.span(),
            format!("`{key}` is {x}; it must be a finite number {bound} {min}"),
        ))
    }

    /// [`Ctx::number`] for an optional key.
    fn opt_number(
        &self,
        v: Option<Spanned<f64>>,
        key: &str,
        min: f64,
        strict: bool,
    ) -> Result<Option<f64>, ScoreFileError> {
        v.map(|v| self.number(v, key, min, strict)).transpose()
    }

    fn unit_interval(
        &self,
        v: Option<Spanned<f64>>,
        key: &str,
    ) -> Result<Option<f64>, ScoreFileError> {
        match v {
            Some(s) if !(0.0..=1.0).contains(s.get_ref()) => {
                Err(self.err(s.span(), format!("`{key}` must be between 0 and 1")))
            }
            other => Ok(other.map(Spanned::into_inner)),
        }
    }
}

impl Rubric {
    /// Reads and validates a rubric file.
    pub fn load(path: &Path) -> Result<Rubric, ScoreFileError> {
        let bytes = std::fs::read(path).map_err(|e| ScoreFileError::read(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| ScoreFileError::Folder {
            path: path.display().to_string(),
            message: "is not UTF-8 text; save it as UTF-8".into(),
        })?;
        Rubric::parse(&text, &path.display().to_string())
    }

    /// Parses and validates rubric text; `origin` names it in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Rubric, ScoreFileError> {
        let cx = Ctx { origin, text };
        let raw: RawFile = toml::from_str(text).map_err(|e| from_toml(origin, text, &e))?;
        let h = raw.rubric;
        let language = match h.language.get_ref().to_ascii_lowercase().as_str() {
            l if l == "zh" || l.starts_with("zh-") => Language::Zh,
            l if l == "en" || l.starts_with("en-") => Language::En,
            other => {
                return Err(cx.err(
                    h.language.span(),
                    format!("unknown language {other:?}; use \"zh\" or \"en\""),
                ));
            }
        };
        let _ = h.description;
        let mut matching = Matching::default();
        if let Some(v) = cx.unit_interval(h.match_threshold, "match_threshold")? {
            matching.threshold = v;
        }
        if let Some(v) = cx.unit_interval(h.unit_floor, "unit_floor")? {
            matching.unit_floor = v;
        }
        if let Some(v) = cx.unit_interval(h.insert_cost, "insert_cost")? {
            matching.insert_cost = v;
        }
        if let Some(v) = cx.unit_interval(h.self_intro_slack, "self_intro_slack")? {
            matching.self_intro_slack = v;
        }
        if let Some(v) = cx.unit_interval(h.caller_match_threshold, "caller_match_threshold")? {
            matching.caller_threshold = v;
        }
        if let Some(v) = cx.opt_number(
            h.announce_lookback_seconds,
            "announce_lookback_seconds",
            0.0,
            false,
        )? {
            matching.announce_lookback = v;
        }
        let scale_to = cx.opt_number(h.scale_to, "scale_to", 0.0, true)?;
        let pass_mark = cx.opt_number(h.pass_mark, "pass_mark", 0.0, false)?;

        if raw.grade.is_empty() {
            return Err(cx.err(
                0..0,
                "no [[grade]] bands; add at least one, e.g. name = \"Pass\", min = 0",
            ));
        }
        let mut grades = Vec::new();
        for g in raw.grade {
            let min = cx.number(g.min.clone(), "min", 0.0, false)?;
            if let Some(prev) = grades.last().map(|p: &Grade| p.min)
                && min >= prev
            {
                return Err(cx.err(
                    g.min.span(),
                    format!(
                        "grade {:?} has min {} but the band above has {prev}; list [[grade]] bands highest first",
                        g.name, min
                    ),
                ));
            }
            grades.push(Grade { name: g.name, min });
        }

        if raw.criterion.is_empty() {
            return Err(cx.err(0..0, "no [[criterion]] entries; add at least one"));
        }
        let mut criteria = Vec::new();
        let mut seen = HashSet::new();
        for c in raw.criterion {
            let span = c.span();
            let c = c.into_inner();
            if !seen.insert(c.id.get_ref().clone()) {
                return Err(cx.err(
                    c.id.span(),
                    format!(
                        "duplicate criterion id {:?}; every criterion needs its own id",
                        c.id.get_ref()
                    ),
                ));
            }
            criteria.push(criterion(&cx, span, c)?);
        }

        let mut common_words: HashSet<String> = COMMON_WORDS
            .split_whitespace()
            .map(str::to_string)
            .collect();
        for c in &criteria {
            let lists: Vec<&Vec<Phrase>> = match &c.check {
                Check::Phrase { any, .. } | Check::Forbidden { any, .. } => vec![any],
                Check::Hold { announce, .. } => vec![announce],
                _ => vec![],
            };
            for p in lists.into_iter().flatten() {
                for t in &p.toks {
                    if let Tok::Word(w) = t {
                        common_words.insert(w.text.clone());
                    }
                }
            }
        }

        Ok(Rubric {
            id: h.id,
            title: h.title,
            language,
            scale_to,
            pass_mark,
            matching,
            grades,
            criteria,
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
            source: text.to_string(),
            common_words,
        })
    }

    /// Sum of all criteria's points before scaling.
    pub fn raw_max(&self) -> f64 {
        self.criteria.iter().map(|c| c.points).sum()
    }

    /// The score a call needs to pass: the header's `pass_mark`, or else the lowest grade band
    /// whose `min` is above 0 (the band below it is the failing one); 0 when every band starts
    /// at 0, i.e. the form has no failing band.
    pub fn pass_mark(&self) -> f64 {
        self.pass_mark.unwrap_or_else(|| {
            self.grades
                .iter()
                .rev()
                .map(|g| g.min)
                .find(|&m| m > 0.0)
                .unwrap_or(0.0)
        })
    }

    /// Every phrase the rubric listens for (useful as a transcription prompt).
    pub fn key_phrases(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.criteria {
            let list = match &c.check {
                Check::Phrase { any, .. } => any,
                Check::Hold { announce, .. } => announce,
                _ => continue,
            };
            for p in list {
                if !out.contains(&p.text) {
                    out.push(p.text.clone());
                }
            }
        }
        out
    }
}

fn criterion(
    cx: &Ctx,
    span: std::ops::Range<usize>,
    c: RawCriterion,
) -> Result<Criterion, ScoreFileError> {
    let id = c.id.get_ref().clone();
    let kind = c.check.get_ref().as_str();
    let missing = |key: &str| {
        cx.err(
            span.clone(),
            format!("criterion {id:?} (check = \"{kind}\") needs `{key}`"),
        )
    };
    let points = cx.number(c.points.clone(), "points", 0.0, false)?;
    // Times are limits in seconds on the call's time line: zero or less can never be met.
    let seconds = |v: Option<Spanned<f64>>, key: &str| cx.opt_number(v, key, 0.0, true);
    let max_seconds = seconds(c.max_seconds.clone(), "max_seconds")?;
    let within_seconds = seconds(c.within_seconds.clone(), "within_seconds")?;
    let last_seconds = seconds(c.last_seconds.clone(), "last_seconds")?;
    let max_silence_seconds = seconds(c.max_silence_seconds.clone(), "max_silence_seconds")?;
    let threshold = cx.unit_interval(c.threshold, "threshold")?;
    let _ = c.description;
    // Keys that belong to another check are almost always a typo in the check name or a
    // copy-paste slip; say so rather than silently ignoring them.
    let present: Vec<(&str, bool)> = vec![
        ("max_rings", c.max_rings.is_some()),
        ("max_seconds", c.max_seconds.is_some()),
        ("any", c.any.is_some()),
        ("within_seconds", c.within_seconds.is_some()),
        ("last_seconds", c.last_seconds.is_some()),
        ("patterns", c.patterns.is_some()),
        ("max_silence_seconds", c.max_silence_seconds.is_some()),
        ("announce", c.announce.is_some()),
    ];
    let allowed: &[&str] = match kind {
        "pickup" => &["max_rings", "max_seconds"],
        "phrase" => &["any", "within_seconds", "last_seconds"],
        "self_intro" => &["patterns", "within_seconds"],
        "forbidden" => &["any", "within_seconds"],
        "hold" => &["max_silence_seconds", "announce"],
        "accuracy" | "completeness" => &[],
        other => {
            return Err(cx.err(
                c.check.span(),
                format!(
                    "unknown check {other:?} in criterion {id:?}; use one of pickup, phrase, self_intro, forbidden, hold, accuracy, completeness"
                ),
            ));
        }
    };
    if let Some((key, _)) = present.iter().find(|(k, p)| *p && !allowed.contains(k)) {
        return Err(cx.err(
            span.clone(),
            format!("criterion {id:?}: key `{key}` does not apply to check \"{kind}\"; remove it or fix the check name"),
        ));
    }
    let check = match kind {
        "pickup" => {
            if c.max_rings.is_none() && max_seconds.is_none() {
                return Err(missing("max_rings` or `max_seconds"));
            }
            Check::Pickup {
                max_rings: c.max_rings,
                max_seconds,
            }
        }
        "phrase" => Check::Phrase {
            any: cx.phrases(c.any.ok_or_else(|| missing("any"))?, "any")?,
            within_seconds,
            last_seconds,
        },
        "self_intro" => Check::SelfIntro {
            patterns: match c.patterns {
                Some(p) => cx.phrases(p, "patterns")?,
                None => Vec::new(),
            },
            within_seconds,
        },
        "forbidden" => Check::Forbidden {
            any: cx.phrases(c.any.ok_or_else(|| missing("any"))?, "any")?,
            within_seconds,
        },
        "hold" => Check::Hold {
            max_silence_seconds: max_silence_seconds
                .ok_or_else(|| missing("max_silence_seconds"))?,
            announce: cx.phrases(c.announce.ok_or_else(|| missing("announce"))?, "announce")?,
        },
        "accuracy" => Check::Accuracy,
        _ => Check::Completeness,
    };
    Ok(Criterion {
        id,
        title: c.title,
        category: c.category,
        points,
        training: c.training,
        threshold,
        check,
    })
}
