//! `self_intro`: the staff states their own name early in the call.
//!
//! Built-in patterns per language with a name slot (敝姓X, 我姓X, 我是X小姐; "this is X",
//! "my name is X", "X speaking"), the rubric's extra `patterns`, and the manifest's staff
//! name as a hint. The slot accepts any Han character, so a misheard surname next to
//! 姓/小姐/先生 still counts; in English it accepts any word that is not a common word.
//!
//! Two things keep other speech from passing as the staff's name:
//! - who speaks: the staff's question for the caller's name (the rubric's `ask_name`
//!   phrases) is no self-introduction, and in a mono call the answer to it and the other
//!   voice never reach this check ([`crate::score::speakers`]);
//! - the manifest: when it names the staff, a match counts only if it carries that name by
//!   sound (the surname for Chinese, a word of the name for English), so a greeting read
//!   as a name ("Good morning" as "Mr Yang") or another person's name (我是何小姐 for staff
//!   王) does not.

use super::{Ctx, Decision, Found, name_clause, quote};
use crate::score::confidence::MONO_SPEAKER_CONFIDENCE;
use crate::score::matcher::{NameRule, best_match, required_similarity, tok_sim};
use crate::score::phonetic::name_sounds_like;
use crate::score::rubric::{Criterion, Language, Phrase};
use crate::score::staff_name::{StaffName, bare_name};
use crate::score::tokens::{Tok, Word, tokenize};
use std::sync::OnceLock;

const ZH: [&str; 10] = [
    "敝姓{name}",
    "我姓{name}",
    "本人姓{name}",
    "我是{name}小姐",
    "我是{name}先生",
    "我叫{name}",
    "{name}小姐為您服務",
    "{name}先生為您服務",
    "{name}小姐很高興為您服務",
    "{name}先生很高興為您服務",
];

const EN: [&str; 6] = [
    "this is {name}",
    "my name is {name}",
    "{name} speaking",
    "you are speaking with {name}",
    "you are speaking to {name}",
    "i am {name}",
];

/// How close a heard character must sound to the staff's surname to be it: a homophone or
/// a near-homophone (郭 → 國, 姓 → 信), not a shared rhyme alone (陳 ≠ 很).
const SURNAME_SIM: f64 = 0.8;

/// The units of the manifest's staff name a self-introduction must carry, when they can be
/// compared with the rubric's language: the surname (first Han character) for Chinese, the
/// words of the name for English. `None` keeps the check name-blind, as without a manifest
/// name: a romanised name is not checked against a Chinese transcript nor 陳 against an
/// English one ("Chen", "Tan" and "Tang" are all 陳).
fn name_units(lang: Language, name: &str) -> Option<Vec<Tok>> {
    let toks = tokenize(&bare_name(name));
    let units: Vec<Tok> = match lang {
        Language::Zh => toks
            .into_iter()
            .find(|t| matches!(t, Tok::Han { .. }))
            .into_iter()
            .collect(),
        Language::En => toks
            .into_iter()
            .filter(|t| matches!(t, Tok::Word(_)))
            .collect(),
    };
    (!units.is_empty()).then_some(units)
}

/// Does a heard stretch carry the staff's name: some unit in it sounding like the surname
/// or a word of the name?
fn carries_name(units: &[Tok], heard: &[Tok]) -> bool {
    heard.iter().any(|t| {
        units.iter().any(|n| match (n, t) {
            // A surname that is also a numeral's sound arrives as a digit (吳 → 五 → 5).
            (Tok::Han { .. }, Tok::Han { .. } | Tok::Num(_)) => tok_sim(n, t, None) >= SURNAME_SIM,
            (Tok::Word(n), Tok::Word(t)) => name_sounds_like(&n.text, &n.key, &t.text, &t.key),
            _ => false,
        })
    })
}

/// Does `heard` carry the manifest's staff name by sound? False without a name to compare.
pub(crate) fn says_staff_name(cx: &Ctx, heard: &[Tok]) -> bool {
    cx.staff_name
        .and_then(|n| name_units(cx.lang(), n))
        .is_some_and(|units| carries_name(&units, heard))
}

/// Is `f` a built-in English frame ("my name is X", "X speaking") said in the staff's
/// opening turn, before the caller first spoke and with no evidence that it is not the
/// staff's? There the staff
/// introduces themselves: an English transcriber rarely spells a Chinese surname ("Kuo" →
/// "Kuhl", "Hsu" → "Nick"), so the slot need not sound like the manifest name. Chinese
/// surnames are compared by pinyin only ([`carries_name`]): there a mishearing is a
/// homophone.
fn opening_frame(cx: &Ctx, f: &Found) -> bool {
    let u = &cx.staff.utts[f.utt];
    cx.lang() == Language::En
        && builtin(Language::En)
            .iter()
            .any(|p| p.text == f.phrase.text)
        && u.speaker_confidence + 1e-9 >= MONO_SPEAKER_CONFIDENCE
        && cx.staff.caller_first.is_some_and(|c| u.end <= c + 1e-6)
}

/// The matched stretch `a..b` with one unit either side: a name heard badly is often left
/// out of the stretch ("Hsu speaking" heard as "she's speaking" matches only "speaking").
/// A contraction's tail does not count as that unit.
fn around(toks: &[Tok], (a, b): (usize, usize)) -> &[Tok] {
    let clitic = |i: usize| matches!(&toks[i], Tok::Word(w) if w.clitic);
    let mut a = a.saturating_sub(1);
    if a > 0 && clitic(a) {
        a -= 1;
    }
    &toks[a..(b + 1).min(toks.len())]
}

/// Token ranges `(utterance, a, b)` of the staff's questions for the caller's name (the
/// rubric's `ask_name` phrases): "who am I speaking with" is no self-introduction. The
/// caller's answer after it is left out of the staff's speech by [`crate::score::speakers`].
fn name_question_spans(cx: &Ctx) -> Vec<(usize, usize, usize)> {
    let Some(asks) = super::name_questions(cx.rubric, cx.staff_name) else {
        return Vec::new();
    };
    cx.find(asks.phrases, asks.threshold, None)
        .into_iter()
        .map(|q| (q.utt, q.toks.0, q.toks.1))
        .collect()
}

/// Patterns built from the staff's own name, e.g. 郭 → 郭小姐, 姓郭, 是郭; Cheng → Ms Cheng.
fn hint_patterns(lang: Language, name: &str) -> Vec<Phrase> {
    let name = bare_name(name);
    let toks = tokenize(&name);
    if toks.is_empty() {
        return Vec::new();
    }
    let wrap = |before: &str, after: &str| {
        let mut t = tokenize(before);
        t.extend(toks.iter().cloned());
        t.extend(tokenize(after));
        Phrase::from_tokens(&format!("{before}{name}{after}").replace("  ", " "), t)
    };
    let mut out = match lang {
        Language::Zh => vec![
            wrap("", "小姐"),
            wrap("", "先生"),
            wrap("姓", ""),
            wrap("我是", ""),
            wrap("我叫", ""),
        ],
        Language::En => vec![
            wrap("this is ", ""),
            wrap("", " speaking"),
            wrap("name is ", ""),
            wrap("ms ", ""),
            wrap("mr ", ""),
            wrap("miss ", ""),
            wrap("i am ", ""),
        ],
    };
    // A full name (two or more characters/words) is specific enough on its own.
    let han = toks.iter().filter(|t| matches!(t, Tok::Han { .. })).count();
    if han >= 2 || (han == 0 && toks.len() >= 2) {
        out.push(Phrase::from_tokens(name.trim(), toks));
    }
    out
}

/// The built-in patterns, tokenised once per process.
fn builtin(lang: Language) -> &'static [Phrase] {
    static ZH_P: OnceLock<Vec<Phrase>> = OnceLock::new();
    static EN_P: OnceLock<Vec<Phrase>> = OnceLock::new();
    let (cell, src): (&OnceLock<Vec<Phrase>>, &[&str]) = match lang {
        Language::Zh => (&ZH_P, &ZH),
        Language::En => (&EN_P, &EN),
    };
    cell.get_or_init(|| {
        src.iter()
            .filter_map(|p| Phrase::with_name_slot(p))
            .collect()
    })
}

/// Does `toks` give someone's name in a built-in frame (我姓X, 我是X小姐, "my name is X")?
/// Anyone's name: this is for telling a caller's answer, not the staff's introduction.
pub(crate) fn gives_a_name(cx: &Ctx, toks: &[Tok]) -> bool {
    let rule = NameRule {
        common_words: &cx.rubric.common_words,
        staff_name: &[],
    };
    let base = (cx.rubric.matching.threshold - cx.rubric.matching.self_intro_slack).max(0.0);
    builtin(cx.lang()).iter().any(|p| {
        best_match(&p.toks, toks, cx.params(), Some(&rule))
            .is_some_and(|h| h.sim + 1e-9 >= required_similarity(&p.toks, base))
    })
}

/// Longest clause read as a blurred self-introduction: prefix (one or two units) + name.
const BLURRED_MAX_UNITS: usize = 4;

/// Self-introductions whose prefix was half heard, with the manifest's surname as the
/// anchor. At pickup the first syllables are often clipped or blurred and a syllable
/// dropped: 敝姓吳 arrives as 第五. Such a clause is accepted when it is short and stands
/// alone, ends with a homophone of the staff's surname, and every unit before the surname
/// sounds like part of an introduction prefix (敝/姓/我/是/叫 …), in order. A clause that
/// is only the surname's sound (午安 for 吳) or has it mid-word (服務中心) does not count.
fn blurred_openings<'p>(cx: &Ctx, surname: &Tok, patterns: &'p [Phrase]) -> Vec<Found<'p>> {
    let params = cx.params();
    let mut out = Vec::new();
    for (i, u) in cx.staff.utts.iter().enumerate() {
        // A piece cut from a mono segment has the clauses of its part (`Utterance::clauses`).
        for (at, end) in u.clauses() {
            let clause = &u.toks[at..end];
            let n = clause.len();
            if !(2..=BLURRED_MAX_UNITS).contains(&n)
                || tok_sim(surname, &clause[n - 1], None) < 0.95
            {
                continue;
            }
            let heard = &clause[..n - 1];
            let Some(p) = patterns
                .iter()
                .find(|p| prefix_heard(p, heard, params.floor))
            else {
                continue;
            };
            let mut anchored = p.toks.clone();
            if let Some(last) = anchored.last_mut() {
                *last = surname.clone();
            }
            let sim = best_match(&anchored, clause, params, None).map_or(0.0, |h| h.sim);
            out.push(Found::new(p, i, u, (at, at + n), sim));
        }
    }
    out
}

/// Is `heard` a blurred form of the prefix of `p`, a pattern of the form prefix + name?
/// Each heard unit must sound like a prefix unit (at least a rhyme), in order, and nothing
/// else may be heard.
fn prefix_heard(p: &Phrase, heard: &[Tok], floor: f64) -> bool {
    let Some((Tok::Name, prefix)) = p.toks.split_last() else {
        return false;
    };
    if heard.is_empty()
        || heard.len() > prefix.len()
        || prefix.iter().any(|t| matches!(t, Tok::Name))
    {
        return false;
    }
    let mut k = 0;
    for h in heard {
        match prefix[k..]
            .iter()
            .position(|t| tok_sim(t, h, None) >= floor)
        {
            Some(i) => k += i + 1,
            None => return false,
        }
    }
    true
}

/// What a self-introduction is looked for with: every pattern (built-in frames, the
/// rubric's `extra` ones, those built from the manifest's staff name) and the words of the
/// staff's name, which the name slot takes even when they are common words.
pub(crate) struct Intro {
    pub patterns: Vec<Phrase>,
    name_words: Vec<Word>,
}

impl Intro {
    pub fn new(cx: &Ctx, extra: &[Phrase]) -> Intro {
        let lang = cx.lang();
        let mut patterns: Vec<Phrase> = builtin(lang).to_vec();
        patterns.extend(extra.iter().cloned());
        if let Some(name) = cx.staff_name {
            patterns.extend(hint_patterns(lang, name));
        }
        let name_words = name_toks(cx)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Word(w) => Some(w),
                _ => None,
            })
            .collect();
        Intro {
            patterns,
            name_words,
        }
    }

    /// What the name slot may stand for in this call.
    pub fn rule<'s>(&'s self, cx: &'s Ctx) -> NameRule<'s> {
        NameRule {
            common_words: &cx.rubric.common_words,
            staff_name: &self.name_words,
        }
    }
}

/// The manifest's staff name as units, titles removed (empty without one).
fn name_toks(cx: &Ctx) -> Vec<Tok> {
    cx.staff_name
        .map(|n| tokenize(&bare_name(n)))
        .unwrap_or_default()
}

pub(crate) fn check(cx: &Ctx, c: &Criterion, extra: &[Phrase], within: Option<f64>) -> Decision {
    let lang = cx.lang();
    let intro = Intro::new(cx, extra);
    let patterns = &intro.patterns;
    let name_toks = name_toks(cx);
    let base = (cx.threshold(c) - cx.rubric.matching.self_intro_slack).max(0.0);
    let bare = cx.staff_name.map(bare_name);
    let alone = bare
        .as_deref()
        .map(|b| Phrase::from_tokens(b.trim(), tokenize(b)));
    let mut found = cx.find(patterns, base, Some(&intro.rule(cx)));
    let surname = name_toks.iter().find(|t| matches!(t, Tok::Han { .. }));
    if let Some(surname) = surname {
        found.extend(blurred_openings(cx, surname, patterns));
        found.sort_by(|a, b| a.evidence.start.total_cmp(&b.evidence.start));
    }
    let not_intro = name_question_spans(cx);
    let asked = |f: &Found| {
        not_intro
            .iter()
            .any(|&(i, a, b)| i == f.utt && f.toks.0 < b && a < f.toks.1)
    };
    found.retain(|f| !asked(f));
    let units = cx.staff_name.and_then(|n| name_units(lang, n));
    let heard = |f: &Found| {
        units
            .as_ref()
            .is_none_or(|u| carries_name(u, around(&cx.staff.utts[f.utt].toks, f.toks)))
    };
    if units.is_some() {
        found.retain(|f| heard(f) || opening_frame(cx, f));
    }
    // The name alone carries it closely enough by itself (given name included).
    let is_alone = |f: &Found| alone.as_ref().is_some_and(|p| std::ptr::eq(f.phrase, p));
    let staff = cx.staff_name.and_then(|n| StaffName::new(cx.rubric, n));
    if let (Some(n), Some(p)) = (&staff, &alone) {
        found.extend(
            name_clause::name_clauses(cx, n, p)
                .into_iter()
                .filter(|f| !asked(f)),
        );
        found.sort_by(|a, b| a.evidence.start.total_cmp(&b.evidence.start));
    }
    let early = |f: &&Found| match (within, cx.staff.first) {
        (Some(w), Some(first)) => f.evidence.start - first <= w + 1e-9,
        _ => true,
    };
    if let Some(f) = found.iter().find(early) {
        let q = quote(lang, &f.evidence.text);
        let t = f.evidence.start;
        // Passed by the opening-turn rule alone: a misheard name and another person's name
        // sound the same to it, so a person decides.
        let unsure = !heard(f) && !is_alone(f);
        return Decision {
            unsure,
            ..Decision::pass(
                vec![f.evidence.clone()],
                lang.pick(
                    format!("自報姓名：{q}（{t:.1} 秒）"),
                    format!("gave own name: {q} at {t:.1} s"),
                ),
            )
        };
    }
    let reason = match (found.first(), within) {
        (Some(f), Some(w)) => lang.pick(
            format!("於 {:.1} 秒才自報姓名，超過接聽後 {w} 秒", f.evidence.start),
            format!(
                "gave own name only at {:.1} s, not within {w} s of pickup",
                f.evidence.start
            ),
        ),
        (_, Some(w)) => lang.pick(
            format!("接聽後 {w} 秒內未自報姓名"),
            format!("did not give own name within {w} s of pickup"),
        ),
        _ => lang.pick(
            "未自報姓名".to_string(),
            "did not give own name".to_string(),
        ),
    };
    Decision::fail(
        found
            .first()
            .map(|f| vec![f.evidence.clone()])
            .unwrap_or_default(),
        reason,
    )
}
