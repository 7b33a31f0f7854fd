//! A self-introduction with no frame around the name: the staff's name alone in a clause,
//! as people answer the phone ("Children's Welfare Service Center, Alvarez.", "Whitfield
//! here", "兒童福利服務中心，賴，您好", "我是志豪"), or a frame Whisper cut off into another
//! segment ("You're speaking with" | "Hector."). Only the manifest's name can be read this
//! way, so without one nothing is found.
//!
//! A clause counts when it holds the staff's name and nothing but words that go with a name
//! on the phone (titles, greetings, "here", "speaking"; 小姐, 您好, 我是). Anything else in
//! the clause makes it something other than an introduction: a question carries words of its
//! own (林小姐在嗎, "is this Priya"), and so does another sentence that mentions the name.
//! The name must be heard closely, as the surname's syllable, the given name whole or a word
//! that sounds like a word of the name; a word that may stand beside a name is never read as
//! the name unless it is spelled as the name (好 is not 郝, "morning" is not Huang).

use super::{Ctx, Found};
use crate::score::matcher::tok_sim;
use crate::score::phonetic::name_sounds_like;
use crate::score::rubric::{Language, Phrase};
use crate::score::tokens::{Tok, tokenize};

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

/// Most units beside the name in one clause.
const MOST_BESIDE: usize = 4;

/// A Han character heard as a unit of the name: the same syllable (any tone).
const SAME_SYLLABLE: f64 = 0.95;

fn beside(lang: Language, t: &Tok) -> bool {
    match (lang, t) {
        (Language::En, Tok::Word(w)) => w.clitic || EN_BESIDE.contains(&w.text.as_str()),
        (Language::Zh, Tok::Han { ch, .. }) => ZH_BESIDE.contains(*ch),
        _ => false,
    }
}

/// The forms of the staff's name a clause may hold alone, each as units: for Chinese the
/// surname and, for a name of three or more characters, the given name; for English each
/// word of the name. The whole name is found by its parts.
fn forms(lang: Language, bare: &str) -> Vec<Vec<Tok>> {
    let toks = tokenize(bare);
    match lang {
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
    }
}

/// Is `heard` this unit of the name? Spelled the same, or sounding the same while being no
/// word that stands beside names nor (in English) a common word.
fn is_unit(cx: &Ctx, name: &Tok, heard: &Tok) -> bool {
    let lang = cx.lang();
    match (name, heard) {
        (Tok::Han { ch: a, .. }, Tok::Han { ch: b, .. }) => {
            a == b || (!beside(lang, heard) && tok_sim(name, heard, None) >= SAME_SYLLABLE)
        }
        (Tok::Word(n), Tok::Word(h)) => {
            n.text == h.text
                || (!beside(lang, heard)
                    && !cx.rubric.common_words.contains(&h.text)
                    && name_sounds_like(&n.text, &n.key, &h.text, &h.key))
        }
        _ => false,
    }
}

/// Where a form of the name lies in `clause`, as a token range.
fn find_form(cx: &Ctx, forms: &[Vec<Tok>], clause: &[Tok]) -> Option<(usize, usize)> {
    forms.iter().find_map(|form| {
        (0..=clause.len().checked_sub(form.len())?).find_map(|i| {
            form.iter()
                .zip(&clause[i..])
                .all(|(n, h)| is_unit(cx, n, h))
                .then_some((i, i + form.len()))
        })
    })
}

/// The clauses of the staff's speech that are the staff's name alone, as matches of
/// `phrase` (the manifest's name without titles, `bare`).
pub(super) fn name_clauses<'p>(cx: &Ctx, bare: &str, phrase: &'p Phrase) -> Vec<Found<'p>> {
    let lang = cx.lang();
    let forms = forms(lang, bare);
    if forms.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, u) in cx.staff.utts.iter().enumerate() {
        for (at, end) in u.clauses() {
            let clause = &u.toks[at..end];
            let Some((a, b)) = find_form(cx, &forms, clause) else {
                continue;
            };
            let rest = clause[..a].iter().chain(&clause[b..]);
            if clause.len() - (b - a) <= MOST_BESIDE && rest.clone().all(|t| beside(lang, t)) {
                out.push(Found::new(phrase, i, u, (at + a, at + b), 1.0));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_name_stands_alone_as_its_surname_or_its_given_name() {
        let f = forms(Language::Zh, "彭志豪");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].len(), 1);
        assert_eq!(f[1].len(), 2);
        // A two-character name's given name is one common character: too weak alone.
        assert_eq!(forms(Language::Zh, "林芳").len(), 1);
    }

    #[test]
    fn words_beside_a_name_never_make_a_question() {
        for w in ["is", "this", "are", "you"] {
            assert!(!EN_BESIDE.contains(&w), "{w}");
        }
        assert!(!ZH_BESIDE.contains('嗎'));
    }
}
