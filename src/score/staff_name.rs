//! The manifest's staff name as a transcript may hold it, heard closely: the surname's
//! syllable or, for a name of three or more characters, the given name whole (彭志豪: 彭,
//! 志豪); a word of an English name, or a word that sounds like one and is no common word.
//! A word that stands beside names on the phone (好, 您, "morning", "here") is never read as
//! the name unless it is spelled as the name: 好 is not 郝, "morning" is not Huang.
//!
//! Used where a name alone must carry weight: a clause that is only the staff's name
//! introduces them (`checks/name_clause.rs`), and a reply naming the staff is no caller's
//! answer to a name question (`speakers.rs`).

use super::matcher::tok_sim;
use super::phonetic::name_sounds_like;
use super::rubric::{Language, Rubric};
use super::tokens::{Tok, tokenize};
use std::collections::HashSet;

/// The staff name without titles ("郭小姐" → "郭", "Ms Cheng" → "Cheng").
pub(crate) fn bare_name(name: &str) -> String {
    let mut name = name.trim().to_string();
    for title in [
        "小姐", "先生", "Ms.", "Mr.", "Mrs.", "Miss", "Ms", "Mr", "Mrs",
    ] {
        name = name.replace(title, " ");
    }
    name
}

/// Words that may stand beside a name in a phone answer. "is", "this", "are" and "you" are
/// left out: with them a name makes a question ("Is this Priya?", "Are you Priya?"), and the
/// introductions they build ("this is X", "you are speaking with X") are frames of their own.
const EN_BESIDE: [&str; 17] = [
    "here",
    "speaking",
    "hello",
    "hi",
    "hey",
    "good",
    "morning",
    "afternoon",
    "evening",
    "ms",
    "mr",
    "mrs",
    "miss",
    "dr",
    "yes",
    "yeah",
    "thanks",
];
const ZH_BESIDE: &str = "小姐先生您你好喂我是叫";

/// A Han character heard as a unit of the name: the same syllable (any tone).
const SAME_SYLLABLE: f64 = 0.95;

/// The staff's name as a rubric's language hears it.
#[derive(Debug, Clone)]
pub(crate) struct StaffName<'r> {
    lang: Language,
    /// The forms a transcript may hold alone, each as units.
    forms: Vec<Vec<Tok>>,
    common_words: &'r HashSet<String>,
}

impl<'r> StaffName<'r> {
    /// `None` without a name, or with one the language cannot hold (a romanised name in a
    /// Chinese form has no Han character).
    pub fn new(rubric: &'r Rubric, name: &str) -> Option<StaffName<'r>> {
        let lang = rubric.language;
        let toks = tokenize(&bare_name(name));
        let forms: Vec<Vec<Tok>> = match lang {
            Language::Zh => {
                let han: Vec<Tok> = toks
                    .into_iter()
                    .filter(|t| matches!(t, Tok::Han { .. }))
                    .collect();
                let mut out: Vec<Vec<Tok>> =
                    han.first().cloned().map(|s| vec![s]).into_iter().collect();
                if han.len() >= 3 {
                    out.push(han[1..].to_vec());
                }
                out
            }
            Language::En => toks
                .into_iter()
                .filter(|t| matches!(t, Tok::Word(_)))
                .map(|t| vec![t])
                .collect(),
        };
        (!forms.is_empty()).then_some(StaffName {
            lang,
            forms,
            common_words: &rubric.common_words,
        })
    }

    /// Is `t` a word that stands beside a name on the phone?
    pub fn beside(&self, t: &Tok) -> bool {
        match (self.lang, t) {
            (Language::En, Tok::Word(w)) => w.clitic || EN_BESIDE.contains(&w.text.as_str()),
            (Language::Zh, Tok::Han { ch, .. }) => ZH_BESIDE.contains(*ch),
            _ => false,
        }
    }

    /// Is `heard` this unit of the name?
    fn is_unit(&self, name: &Tok, heard: &Tok) -> bool {
        match (name, heard) {
            (Tok::Han { ch: a, .. }, Tok::Han { ch: b, .. }) => {
                a == b || (!self.beside(heard) && tok_sim(name, heard, None) >= SAME_SYLLABLE)
            }
            (Tok::Word(n), Tok::Word(h)) => {
                n.text == h.text
                    || (!self.beside(heard)
                        && !self.common_words.contains(&h.text)
                        && name_sounds_like(&n.text, &n.key, &h.text, &h.key))
            }
            _ => false,
        }
    }

    /// Where a form of the name first lies in `units`, as a token range.
    pub fn find(&self, units: &[Tok]) -> Option<(usize, usize)> {
        self.find_by(units, |n, h| self.is_unit(n, h))
    }

    /// Does a form of the name lie in `units` spelled exactly as in the manifest? Where the
    /// name is the only sign of who speaks, a homophone is too weak: 須 in 必須 sounds like
    /// 許, "Jenny" starts like Cheng.
    pub fn spelled_in(&self, units: &[Tok]) -> bool {
        self.find_by(units, |n, h| match (n, h) {
            (Tok::Han { ch: a, .. }, Tok::Han { ch: b, .. }) => a == b,
            (Tok::Word(a), Tok::Word(b)) => a.text == b.text,
            _ => false,
        })
        .is_some()
    }

    fn find_by(&self, units: &[Tok], same: impl Fn(&Tok, &Tok) -> bool) -> Option<(usize, usize)> {
        self.forms.iter().find_map(|form| {
            (0..=units.len().checked_sub(form.len())?).find_map(|i| {
                form.iter()
                    .zip(&units[i..])
                    .all(|(n, h)| same(n, h))
                    .then_some((i, i + form.len()))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_beside_a_name_never_make_a_question() {
        for w in ["is", "this", "are", "you"] {
            assert!(!EN_BESIDE.contains(&w), "{w}");
        }
        assert!(!ZH_BESIDE.contains('嗎'));
    }

    #[test]
    fn titles_come_off() {
        assert_eq!(bare_name("郭小姐").trim(), "郭");
        assert_eq!(bare_name("Ms Cheng").trim(), "Cheng");
    }
}
