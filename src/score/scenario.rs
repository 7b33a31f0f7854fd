//! Scenario files (`rubrics/scenarios/*.toml`): what the test caller asks and what a correct,
//! complete answer contains. Accuracy and completeness are scored against them.

use super::error::{ScoreFileError, from_toml};
use super::normalize::is_han;
use super::rubric::{Language, Phrase};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One fact the staff should tell the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: String,
    /// Correct ways to say it.
    pub say: Vec<Phrase>,
    /// Wrong statements of the same fact; saying one fails accuracy.
    pub wrong: Vec<Phrase>,
    /// Whether completeness requires this point.
    pub required: bool,
}

/// A test call's script and answer key.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    /// What the test caller says; in mono recordings these lines are not the staff's.
    pub caller_script: Vec<Phrase>,
    pub points: Vec<Point>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Lines {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    caller_script: Option<Lines>,
    #[serde(default)]
    point: Vec<Spanned<RawPoint>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    id: Spanned<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    say: Vec<String>,
    #[serde(default)]
    wrong: Vec<String>,
    #[serde(default = "yes")]
    required: bool,
}

fn yes() -> bool {
    true
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScoreFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScoreFileError::read(path, e))?;
        Scenario::parse(&text, &path.display().to_string())
    }

    /// Parses and validates scenario text; `origin` names it in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScoreFileError> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| from_toml(origin, text, &e))?;
        let err = |span: std::ops::Range<usize>, msg: String| {
            ScoreFileError::at(origin, text, Some(span), msg)
        };
        let _ = raw.description;
        if raw.id.trim().is_empty() {
            return Err(err(
                0..0,
                "`id` is empty; give the scenario an id the manifest can name".into(),
            ));
        }
        let lines = match raw.caller_script {
            None => Vec::new(),
            Some(Lines::One(s)) => vec![s],
            Some(Lines::Many(v)) => v,
        };
        let caller_script = lines.iter().filter_map(|l| Phrase::new(l)).collect();
        let mut seen = HashSet::new();
        let mut points = Vec::new();
        for p in raw.point {
            let span = p.span();
            let p = p.into_inner();
            let _ = p.title;
            let id = p.id.get_ref().clone();
            if !seen.insert(id.clone()) {
                return Err(err(
                    p.id.span(),
                    format!("duplicate point id {id:?}; every [[point]] needs its own id"),
                ));
            }
            if p.say.is_empty() {
                return Err(err(
                    span,
                    format!("point {id:?} has no `say` phrases; list how a correct answer says it"),
                ));
            }
            let list = |v: &[String], key: &str| -> Result<Vec<Phrase>, ScoreFileError> {
                v.iter()
                    .map(|s| {
                        Phrase::new(s).ok_or_else(|| {
                            err(
                                span.clone(),
                                format!(
                                    "point {id:?}: phrase {s:?} in `{key}` has nothing to match"
                                ),
                            )
                        })
                    })
                    .collect()
            };
            points.push(Point {
                say: list(&p.say, "say")?,
                wrong: list(&p.wrong, "wrong")?,
                id,
                required: p.required,
            });
        }
        Ok(Scenario {
            id: raw.id,
            title: raw.title,
            caller_script,
            points,
        })
    }

    /// Phrases worth priming a transcriber with: every correct and wrong answer phrase.
    pub fn key_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.points {
            for ph in p.say.iter().chain(&p.wrong) {
                if !out.contains(&ph.text) {
                    out.push(ph.text.clone());
                }
            }
        }
        out
    }

    /// [`Scenario::key_terms`] written in `lang` (a bilingual scenario lists both), for the
    /// transcriber's prompt: terms of the other language would only pull Whisper off course.
    /// Wrong answers stay in beside the right ones so the prompt does not favour passing, and a
    /// term that reads the same as an earlier one (三十元, 30元) is given once.
    pub fn key_terms_in(&self, lang: Language) -> Vec<String> {
        let all: Vec<&Phrase> = self
            .points
            .iter()
            .flat_map(|p| p.say.iter().chain(&p.wrong))
            .collect();
        prompt_terms(&all, Some(lang))
    }
}

/// The texts of `phrases` for a transcriber's prompt, in order, each reading once (三十元
/// and 30元 read the same); with `lang`, only those written in it.
pub(crate) fn prompt_terms(phrases: &[&Phrase], lang: Option<Language>) -> Vec<String> {
    let mut seen: Vec<&Phrase> = Vec::new();
    for &ph in phrases {
        if lang.is_none_or(|l| ph.text.chars().any(is_han) == (l == Language::Zh))
            && !seen.iter().any(|s| s.toks == ph.toks)
        {
            seen.push(ph);
        }
    }
    seen.into_iter().map(|p| p.text.clone()).collect()
}

/// All scenarios of a folder, by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenarios {
    by_id: BTreeMap<String, Scenario>,
    /// The folder they came from (empty for [`Scenarios::from_list`]), for messages.
    dir: PathBuf,
    /// File stem → id, to explain a manifest naming a file whose `id` differs.
    id_of_stem: BTreeMap<String, String>,
}

/// A manifest names a scenario that no file provides. The message says which id, what there is,
/// and what to change; `run` and `score` both fail the call with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownScenario(String);

impl Scenarios {
    /// Loads every `*.toml` in `dir` (not recursive). Two files with one id is an error, and so
    /// is a folder with none: every call would then lose its content scores.
    pub fn load_dir(dir: &Path) -> Result<Scenarios, ScoreFileError> {
        let entries = std::fs::read_dir(dir).map_err(|e| ScoreFileError::read(dir, e))?;
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(ScoreFileError::Folder {
                path: dir.display().to_string(),
                message: "holds no scenario files (*.toml). Point --scenarios at the folder with the questions' answer keys (by default `scenarios/` beside the rubric).".into(),
            });
        }
        let mut out = Scenarios {
            dir: dir.to_path_buf(),
            ..Scenarios::default()
        };
        let mut origin_of: BTreeMap<String, String> = BTreeMap::new();
        for f in files {
            let s = Scenario::load(&f)?;
            if let Some(first) = origin_of.insert(s.id.clone(), f.display().to_string()) {
                return Err(ScoreFileError::Folder {
                    path: f.display().to_string(),
                    message: format!(
                        "scenario id {:?} is already used by {first}; give each scenario its own id",
                        s.id
                    ),
                });
            }
            if let Some(stem) = f.file_stem() {
                let stem = stem.to_string_lossy().into_owned();
                out.id_of_stem.insert(stem, s.id.clone());
            }
            out.by_id.insert(s.id.clone(), s);
        }
        Ok(out)
    }

    /// The scenario with this id, or a message for the call that names it.
    pub fn require(&self, id: &str) -> Result<&Scenario, UnknownScenario> {
        if let Some(s) = self.get(id) {
            return Ok(s);
        }
        let known: Vec<&str> = self.by_id.keys().map(String::as_str).collect();
        let file = self.dir.join(format!("{id}.toml"));
        let fix = match self.id_of_stem.get(id) {
            Some(other) => format!(
                "{} exists but its `id` is `{other}`: scenarios are found by the id inside the file, so set id = \"{id}\" there or write `{other}` in the manifest",
                file.display()
            ),
            None => format!(
                "add {} or fix the manifest's scenario column",
                file.display()
            ),
        };
        Err(UnknownScenario(format!(
            "scenario `{id}` is not among the scenario files ({}); {fix}",
            known.join(", ")
        )))
    }

    /// Builds a set from already-parsed scenarios (later ones replace earlier ones with the same id).
    pub fn from_list(list: Vec<Scenario>) -> Scenarios {
        Scenarios {
            by_id: list.into_iter().map(|s| (s.id.clone(), s)).collect(),
            ..Scenarios::default()
        }
    }

    /// The scenario with this id.
    pub fn get(&self, id: &str) -> Option<&Scenario> {
        self.by_id.get(id)
    }

    /// All scenarios, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &Scenario> {
        self.by_id.values()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Key terms of one scenario (empty when the id is unknown), for transcription prompts.
    pub fn key_terms(&self, id: &str) -> Vec<String> {
        self.get(id).map(Scenario::key_terms).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_terms_keep_the_rubric_language_and_each_reading_once() {
        let sc = Scenario::parse(
            r#"
id = "fee"
title = "fee"
[[point]]
id = "fee"
say = ["三十元", "30元", "thirty dollars"]
wrong = ["免費", "free"]
"#,
            "fee.toml",
        )
        .unwrap();
        assert_eq!(sc.key_terms_in(Language::Zh), ["三十元", "免費"]);
        assert_eq!(sc.key_terms_in(Language::En), ["thirty dollars", "free"]);
    }
}
