//! `self_intro`: the staff states their own name early in the call.
//!
//! Built-in patterns per language with a name slot (敝姓X, 我姓X, 我是X小姐; "this is X",
//! "my name is X", "X speaking"), the rubric's extra `patterns`, and the manifest's staff
//! name as a hint. The slot accepts any Han character, so a misheard surname next to
//! 姓/小姐/先生 still counts; in English it accepts any word that is not a common word.

use super::{Ctx, Found, Verdict, quote};
use crate::score::matcher::NameRule;
use crate::score::rubric::{Criterion, Language, Phrase};
use crate::score::tokens::{Tok, tokenize};
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

/// Patterns built from the staff's own name, e.g. 郭 → 郭小姐, 姓郭, 是郭; Cheng → Ms Cheng.
fn hint_patterns(lang: Language, name: &str) -> Vec<Phrase> {
    let mut name = name.trim().to_string();
    for title in [
        "小姐", "先生", "Ms.", "Mr.", "Mrs.", "Miss", "Ms", "Mr", "Mrs",
    ] {
        name = name.replace(title, " ");
    }
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

pub(crate) fn check(cx: &Ctx, c: &Criterion, extra: &[Phrase], within: Option<f64>) -> Verdict {
    let lang = cx.lang();
    let mut patterns: Vec<Phrase> = builtin(lang).to_vec();
    patterns.extend(extra.iter().cloned());
    if let Some(name) = cx.staff_name {
        patterns.extend(hint_patterns(lang, name));
    }
    let rule = NameRule {
        common_words: &cx.rubric.common_words,
    };
    let base = (cx.threshold(c) - cx.rubric.matching.self_intro_slack).max(0.0);
    let found = cx.find(&patterns, base, Some(&rule));
    let early = |f: &&Found| match (within, cx.staff.first) {
        (Some(w), Some(first)) => f.evidence.start - first <= w + 1e-9,
        _ => true,
    };
    if let Some(f) = found.iter().find(early) {
        let q = quote(lang, &f.evidence.text);
        let t = f.evidence.start;
        return Verdict::pass(
            vec![f.evidence.clone()],
            lang.pick(
                format!("自報姓名：{q}（{t:.1} 秒）"),
                format!("gave own name: {q} at {t:.1} s"),
            ),
        );
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
    Verdict::fail(
        found
            .first()
            .map(|f| vec![f.evidence.clone()])
            .unwrap_or_default(),
        reason,
    )
}
