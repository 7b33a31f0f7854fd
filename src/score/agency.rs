//! Agency names in a rubric's phrases: which of their words tell this agency from the others.
//!
//! Every agency of a city shares most of its name's words (兒童福利服務中心 and
//! 婦女福利服務中心, "Children's Welfare Service Center" and "Women's Welfare Service
//! Center"), so a name matched by sound on those words alone may be another agency's. A
//! phrase holding a word for a kind of office (中心, 局, center, bureau…) names an agency; its
//! words that are neither that nor generic to agencies (福利, 服務, welfare, service…) are
//! its distinctive part, which must be heard by sound too: 兒童 heard as 而同 still counts,
//! 婦女 does not.

use super::matcher::{Params, best_match, required_similarity};
use super::rubric::{Language, Phrase};
use super::tokens::{Tok, tokenize};
use std::sync::LazyLock;

/// Words for the kind of office an agency is: a phrase holding one names an agency.
const ZH_KINDS: &[&str] = &[
    "中心",
    "辦公室",
    "服務站",
    "服務處",
    "辦事處",
    "事務所",
    "基金會",
    "協會",
    "社會局",
    "社會處",
    "局",
    "處",
    "署",
    "科",
];
const EN_KINDS: &[&str] = &[
    "center",
    "centre",
    "office",
    "bureau",
    "department",
    "agency",
    "unit",
    "division",
    "section",
    "branch",
    "foundation",
    "association",
    "station",
];

/// Words any agency's name may hold besides its kind: its field of work, its level of
/// government, the words that join them.
const ZH_GENERIC: &[&str] = &[
    "福利",
    "服務",
    "社會",
    "社福",
    "綜合",
    "公共",
    "市政府",
    "縣政府",
    "政府",
    "市立",
    "公所",
];
const EN_GENERIC: &[&str] = &[
    "welfare",
    "service",
    "services",
    "social",
    "community",
    "public",
    "general",
    "city",
    "county",
    "municipal",
    "government",
    "affairs",
    "of",
    "the",
    "and",
    "for",
];

/// The word lists of one language as units, tokenised once.
struct Words {
    kinds: Vec<Vec<Tok>>,
    generic: Vec<Vec<Tok>>,
}

fn words(lang: Language) -> &'static Words {
    fn units(list: &[&str]) -> Vec<Vec<Tok>> {
        list.iter()
            .map(|w| tokenize(w))
            .filter(|w| !w.is_empty())
            .collect()
    }
    static ZH: LazyLock<Words> = LazyLock::new(|| Words {
        kinds: units(ZH_KINDS),
        generic: units(ZH_GENERIC),
    });
    static EN: LazyLock<Words> = LazyLock::new(|| Words {
        kinds: units(EN_KINDS),
        generic: units(EN_GENERIC),
    });
    match lang {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

/// Same unit, as written (a generic word is recognised by spelling, not by sound).
fn same(a: &Tok, b: &Tok) -> bool {
    match (a, b) {
        (Tok::Han { ch: x, .. }, Tok::Han { ch: y, .. }) => x == y,
        (Tok::Word(x), Tok::Word(y)) => x.text == y.text,
        _ => false,
    }
}

/// Marks in `covered` the units of `toks` that spell one of `words`; true if any did.
fn cover(toks: &[Tok], words: &[Vec<Tok>], covered: &mut [bool]) -> bool {
    let mut any = false;
    for w in words {
        if w.len() > toks.len() {
            continue;
        }
        for i in 0..=toks.len() - w.len() {
            if toks[i..i + w.len()].iter().zip(w).all(|(a, b)| same(a, b)) {
                covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
                any = true;
            }
        }
    }
    any
}

/// Runs `[a, b)` of units not `covered`, counted from `offset`.
fn uncovered(covered: &[bool], offset: usize) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, _) in covered.iter().enumerate().filter(|(_, c)| !**c) {
        match runs.last_mut() {
            Some((_, b)) if *b == offset + i => *b += 1,
            _ => runs.push((offset + i, offset + i + 1)),
        }
    }
    runs
}

/// The distinctive part of `phrase` as runs of its units `[a, b)`, if it names an agency
/// (holds a word for a kind of office) and has words besides generic ones.
pub(crate) fn distinctive(lang: Language, phrase: &Phrase) -> Option<Vec<(usize, usize)>> {
    let toks = &phrase.toks;
    let mut covered = vec![false; toks.len()];
    if !cover(toks, &words(lang).kinds, &mut covered) {
        return None;
    }
    cover(toks, &words(lang).generic, &mut covered);
    let runs = uncovered(&covered, 0);
    (!runs.is_empty()).then_some(runs)
}

/// The distinctive part of `phrase` as text, for a verdict's reason ("兒童", "children").
pub(crate) fn distinctive_text(lang: Language, phrase: &Phrase) -> String {
    let unit = |t: &Tok| match t {
        Tok::Han { ch, .. } => ch.to_string(),
        Tok::Word(w) => w.text.clone(),
        _ => String::new(),
    };
    let sep = match lang {
        Language::Zh => "",
        Language::En => " ",
    };
    distinctive(lang, phrase)
        .unwrap_or_default()
        .iter()
        .map(|&(a, b)| {
            phrase.toks[a..b]
                .iter()
                .map(unit)
                .collect::<Vec<_>>()
                .join(sep)
        })
        .collect::<Vec<_>>()
        .join(match lang {
            Language::Zh => "…",
            Language::En => " … ",
        })
}

/// Fewest units the shared part of an agency name must have to be taken, heard alone, for
/// another agency's name: 中心 or "welfare center" alone is said of much else.
const SHARED_MIN_UNITS: usize = 3;

/// `phrase` without its distinctive part (福利服務中心 of 兒童福利服務中心), if it names an
/// agency and what is left is long enough to be taken for another agency's name.
pub(crate) fn shared_part(lang: Language, phrase: &Phrase) -> Option<Phrase> {
    let runs = distinctive(lang, phrase)?;
    let toks: Vec<Tok> = (0..phrase.toks.len())
        .filter(|&i| !runs.iter().any(|&(a, b)| (a..b).contains(&i)))
        .map(|i| phrase.toks[i].clone())
        .collect();
    (toks.len() >= SHARED_MIN_UNITS).then(|| Phrase::from_tokens(&phrase.text, toks))
}

/// Where `clause` says the agency `phrase` names in short: its distinctive words heard by
/// sound, then only words generic to agencies, then a word for a kind of office, spelled.
/// People drop the generic words when they answer (兒童福利中心 and 兒童中心 for
/// 兒童福利服務中心, "Children's Center"); the words that tell the agency from the others stay.
/// As a token range of `clause`; `None` for a phrase with more than one distinctive run.
pub(crate) fn said_short(
    lang: Language,
    phrase: &Phrase,
    clause: &[Tok],
    base: f64,
    params: Params,
) -> Option<(usize, usize)> {
    let runs = distinctive(lang, phrase)?;
    let [(x, y)] = runs[..] else {
        return None;
    };
    let run = &phrase.toks[x..y];
    let need = required_similarity(run, base);
    let w = words(lang);
    let mut generic = vec![false; clause.len()];
    cover(clause, &w.generic, &mut generic);
    let mut either = generic.clone();
    cover(clause, &w.kinds, &mut either);
    // Heard in a piece between generic words and ending it, not on generic words (兒福 of
    // 兒福中心 sounds like 女福 of 婦女福利服務中心).
    uncovered(&either, 0).into_iter().find_map(|(p, q)| {
        let h = best_match(run, &clause[p..q], params, None)?;
        if h.sim + 1e-9 < need || p + h.end != q {
            return None;
        }
        let mut at = q;
        while at < clause.len() && generic[at] {
            at += 1;
        }
        let rest = &clause[at..];
        w.kinds
            .iter()
            .find(|k| rest.len() >= k.len() && rest.iter().zip(k.iter()).all(|(a, b)| same(a, b)))
            .map(|k| (p + h.start, at + k.len()))
    })
}

/// Where in `text` the distinctive part of `phrase` was heard, when `phrase` matched units
/// `a..b` of it: one token range per run, each heard by sound at the similarity a phrase of
/// its length needs, in the match or a unit either side (a misheard word is often left out
/// of the stretch), and not on generic words (兒福 of 兒福中心 sounds like 利服 of
/// 婦女福利服務中心). `None` when some run was not heard; `Some(empty)` for a phrase that
/// names no agency.
pub(crate) fn heard(
    lang: Language,
    phrase: &Phrase,
    text: &[Tok],
    (a, b): (usize, usize),
    base: f64,
    params: Params,
) -> Option<Vec<(usize, usize)>> {
    let Some(runs) = distinctive(lang, phrase) else {
        return Some(Vec::new());
    };
    let (from, to) = (a.saturating_sub(1), (b + 1).min(text.len()));
    let mut generic_here = vec![false; to - from];
    cover(&text[from..to], &words(lang).kinds, &mut generic_here);
    cover(&text[from..to], &words(lang).generic, &mut generic_here);
    // The stretch's pieces between generic words.
    let pieces = uncovered(&generic_here, from);
    runs.iter()
        .map(|&(x, y)| {
            let run = &phrase.toks[x..y];
            let need = required_similarity(run, base);
            pieces
                .iter()
                .filter_map(|&(p, q)| {
                    let h = best_match(run, &text[p..q], params, None)?;
                    (h.sim + 1e-9 >= need).then_some((h.sim, (p + h.start, p + h.end)))
                })
                .max_by(|l, r| l.0.total_cmp(&r.0))
                .map(|(_, range)| range)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Params = Params {
        floor: 0.5,
        insert_cost: 0.35,
    };

    fn ours(lang: Language, phrase: &str, text: &str) -> bool {
        let p = Phrase::new(phrase).unwrap();
        let t = tokenize(text);
        let h = best_match(&p.toks, &t, P, None).unwrap();
        heard(lang, &p, &t, (h.start, h.end), 0.8, P).is_some()
    }

    #[test]
    fn an_agency_is_said_short_without_its_generic_words() {
        let short = |lang, phrase: &str, text: &str| {
            said_short(lang, &Phrase::new(phrase).unwrap(), &tokenize(text), 0.8, P).is_some()
        };
        for text in ["兒童福利中心", "兒童中心", "而同服務中心"] {
            assert!(short(Language::Zh, "兒童福利服務中心", text), "{text}");
        }
        for text in [
            "婦女福利中心",
            "婦女福利服務中心",
            "兒童福利",
            "兒童的活動中心",
        ] {
            assert!(!short(Language::Zh, "兒童福利服務中心", text), "{text}");
        }
        assert!(short(
            Language::En,
            "Children's Welfare Service Center",
            "the Children's Center"
        ));
        assert!(!short(
            Language::En,
            "Children's Welfare Service Center",
            "Children's Welfare"
        ));
    }

    #[test]
    fn the_distinctive_part_is_what_is_not_generic() {
        let zh = |s: &str| distinctive_text(Language::Zh, &Phrase::new(s).unwrap());
        assert_eq!(zh("高雄市兒童福利服務中心"), "高雄市兒童");
        assert_eq!(zh("兒福中心"), "兒福");
        let en = |s: &str| distinctive_text(Language::En, &Phrase::new(s).unwrap());
        assert_eq!(en("Children's Welfare Service Center"), "children");
        assert_eq!(
            en("Department of Children and Families"),
            "children … families"
        );
        // Not agency names: no word for a kind of office, or nothing but generic words.
        assert_eq!(
            distinctive(Language::Zh, &Phrase::new("很高興為您服務").unwrap()),
            None
        );
        assert_eq!(
            distinctive(Language::Zh, &Phrase::new("服務中心").unwrap()),
            None
        );
        assert_eq!(
            distinctive(Language::En, &Phrase::new("thank you for calling").unwrap()),
            None
        );
    }

    #[test]
    fn another_agency_is_not_ours_and_a_mishearing_of_ours_is() {
        const CHILDREN: &str = "Children's Welfare Service Center";
        for (lang, phrase, text, want) in [
            (
                Language::Zh,
                "兒童福利服務中心",
                "而同福利服務中心您好",
                true,
            ),
            (
                Language::Zh,
                "兒童福利服務中心",
                "婦女福利服務中心您好",
                false,
            ),
            (Language::Zh, "兒福中心", "婦福中心您好", false),
            (Language::Zh, "兒福中心", "社會福利服務中心您好", false),
            // The abbreviation's 兒福 sounds like 利服 of another agency's full name.
            (Language::Zh, "兒福中心", "婦女福利服務中心您好", false),
            (
                Language::En,
                CHILDREN,
                "Childrens welfare service center, hi",
                true,
            ),
            (
                Language::En,
                CHILDREN,
                "Women's welfare service center, hi",
                false,
            ),
        ] {
            assert_eq!(ours(lang, phrase, text), want, "{phrase} in {text}");
        }
    }
}
