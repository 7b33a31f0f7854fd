//! `phrase` (the staff says one of the phrases, optionally early or late in the call) and
//! `forbidden` (the staff says none of them).

use super::{ASK_NAME, Ctx, Decision, Found, name_question, quote, quote_list};
use crate::score::agency;
use crate::score::rubric::{Criterion, Language, Phrase};
use crate::score::tokens::Tok;

/// Is `f` inside the time window? `within` counts from the staff's first words, `last`
/// back from the end of their last words.
fn in_window(cx: &Ctx, f: &Found, within: Option<f64>, last: Option<f64>) -> bool {
    let early = match (within, cx.staff.first) {
        (Some(w), Some(first)) => f.evidence.start - first <= w + 1e-9,
        _ => true,
    };
    let late = match (last, cx.staff.last_end) {
        (Some(l), Some(end)) => end - f.evidence.end <= l + 1e-9,
        _ => true,
    };
    early && late
}

fn rel(cx: &Ctx, t: f64) -> f64 {
    t - cx.staff.first.unwrap_or(0.0)
}

/// The first clause of the staff's in the time window that names the agency of one of
/// `any` in short ([`agency::said_short`]).
fn said_short<'p>(
    cx: &Ctx,
    any: &'p [Phrase],
    base: f64,
    within: Option<f64>,
    last: Option<f64>,
) -> Option<Found<'p>> {
    let lang = cx.lang();
    cx.staff.utts.iter().enumerate().find_map(|(i, u)| {
        u.clauses().into_iter().find_map(|(a, b)| {
            any.iter().find_map(|p| {
                let (x, y) = agency::said_short(lang, p, &u.toks[a..b], base, cx.params())?;
                let f = Found::new(p, i, u, (a + x, a + y), 1.0);
                in_window(cx, &f, within, last).then_some(f)
            })
        })
    })
}

/// A pass on what was said in other words than the rubric's, quoting the whole line.
fn in_other_words(cx: &Ctx, f: Found, zh: &str, en: &str) -> Decision {
    let lang = cx.lang();
    let (q, t) = (quote(lang, &f.evidence.text), f.evidence.start);
    Decision::pass(
        vec![f.evidence],
        lang.pick(
            format!("{zh}：{q}於 {t:.1} 秒"),
            format!("{en}: {q} at {t:.1} s"),
        ),
    )
}

pub(crate) fn said(
    cx: &Ctx,
    c: &Criterion,
    any: &[Phrase],
    within: Option<f64>,
    last: Option<f64>,
) -> Decision {
    let lang = cx.lang();
    let base = cx.threshold(c);
    // An agency's name matched on the words every agency shares is another agency's unless
    // its distinctive words were heard too.
    let (found, others): (Vec<Found>, Vec<Found>) =
        cx.find(any, base, None).into_iter().partition(|f| {
            let u = &cx.staff.utts[f.utt];
            agency::heard(lang, f.phrase, &u.toks, f.toks, base, cx.params()).is_some()
        });
    let in_time: Vec<&Found> = found
        .iter()
        .filter(|f| in_window(cx, f, within, last))
        .collect();
    // Earliest for an opening phrase, latest for a closing one.
    let pick = if last.is_some() {
        in_time.last()
    } else {
        in_time.first()
    };
    if let Some(f) = pick {
        let t = f.evidence.start;
        return Decision::pass(
            vec![f.evidence.clone()],
            lang.pick(
                format!("說了{}於 {t:.1} 秒", quote(lang, &f.phrase.text)),
                format!("said {} at {t:.1} s", quote(lang, &f.phrase.text)),
            ),
        );
    }
    // The agency named in short (兒童福利中心 for 兒童福利服務中心).
    if let Some(f) = said_short(cx, any, base, within, last) {
        return in_other_words(
            cx,
            f,
            "以簡稱說了單位名稱",
            "said the agency's name in short",
        );
    }
    // The caller's name asked in other words than the rubric's.
    if c.id == ASK_NAME
        && let Some(first) = any.first()
        && let Some(f) = name_question::name_questions(cx, first)
            .into_iter()
            .find(|f| in_window(cx, f, within, last))
    {
        return in_other_words(cx, f, "問了來電者姓名", "asked the caller's name");
    }
    if let Some(f) = found.first() {
        let q = quote(lang, &f.phrase.text);
        let t = f.evidence.start;
        let reason = match (within, last) {
            (Some(w), _) if rel(cx, t) > w => lang.pick(
                format!("{q}於 {t:.1} 秒才說，超過接聽後 {w} 秒"),
                format!("{q} said at {t:.1} s, not within {w} s of pickup"),
            ),
            (_, Some(l)) => lang.pick(
                format!("{q}於 {t:.1} 秒說，不在最後 {l} 秒內"),
                format!("{q} said at {t:.1} s, not in the last {l} s"),
            ),
            _ => lang.pick(
                format!("{q}時間不符"),
                format!("{q} said at the wrong time"),
            ),
        };
        return Decision::fail(vec![f.evidence.clone()], reason);
    }
    // Matched without its distinctive words, or only the words agencies share heard.
    let other = others
        .iter()
        .find(|f| in_window(cx, f, within, last))
        .map(|f| (f.phrase, f.evidence.clone()))
        .or_else(|| {
            any.iter().find_map(|p| {
                let part = agency::shared_part(lang, p)?;
                let f = cx
                    .find(std::slice::from_ref(&part), base, None)
                    .into_iter()
                    .find(|f| in_window(cx, f, within, last))?;
                Some((p, f.evidence))
            })
        });
    if let Some((phrase, evidence)) = other {
        let q = quote(lang, &phrase.text);
        let part = quote(lang, &agency::distinctive_text(lang, phrase));
        let t = evidence.start;
        return Decision::fail(
            vec![evidence],
            lang.pick(
                format!("於 {t:.1} 秒說的單位名稱像{q}，但沒聽到{part}，可能是別的單位"),
                format!(
                    "the agency name said at {t:.1} s sounds like {q} but lacks {part}: \
                     another agency's?"
                ),
            ),
        );
    }
    let list = quote_list(lang, any);
    let reason = match (within, last) {
        (Some(w), _) => lang.pick(
            format!("接聽後 {w} 秒內未說{list}"),
            format!("did not say {list} within {w} s of pickup"),
        ),
        (None, Some(l)) => lang.pick(
            format!("最後 {l} 秒內未說{list}"),
            format!("did not say {list} in the last {l} s"),
        ),
        _ => lang.pick(format!("未說{list}"), format!("did not say {list}")),
    };
    Decision::fail(Vec::new(), reason)
}

/// Words that, right after a phrase such as 不知道 or "I don't know" in the same clause, make
/// it the opening of a polite question to the caller, not a refusal: 不知道您方便留個姓名嗎
/// ("might you…"), 不知道是否…, "I don't know if you'd like to…".
const ZH_POLITE_NEXT: &[&str] = &["您", "是否", "可否", "能否", "方便"];
const EN_POLITE_NEXT: &[[&str; 2]] = &[["if", "you"], ["whether", "you"]];

/// Whether the forbidden phrase `f` opens a polite question (see [`ZH_POLITE_NEXT`]).
fn opens_polite_question(cx: &Ctx, f: &Found) -> bool {
    let u = &cx.staff.utts[f.utt];
    let (a, b) = f.toks;
    let Some(end) = u
        .clauses()
        .into_iter()
        .find(|&(x, y)| x <= a && a < y)
        .map(|(_, y)| y)
    else {
        return false;
    };
    let next = &u.toks[b.min(end)..end];
    let text = |t: &Tok| match t {
        Tok::Han { ch, .. } => ch.to_string(),
        Tok::Word(w) => w.text.clone(),
        _ => String::new(),
    };
    match cx.lang() {
        Language::Zh => {
            let said: String = next.iter().take(2).map(text).collect();
            ZH_POLITE_NEXT.iter().any(|w| said.starts_with(w))
        }
        Language::En => EN_POLITE_NEXT
            .iter()
            .any(|pair| next.len() >= 2 && pair.iter().zip(next).all(|(w, t)| text(t) == *w)),
    }
}

pub(crate) fn forbidden(cx: &Ctx, c: &Criterion, any: &[Phrase], within: Option<f64>) -> Decision {
    let lang = cx.lang();
    let hits: Vec<Found> = cx
        .find(any, cx.threshold(c), None)
        .into_iter()
        .filter(|f| in_window(cx, f, within, None) && !opens_polite_question(cx, f))
        .collect();
    let Some(first) = hits.first() else {
        return Decision::pass(
            Vec::new(),
            lang.pick(
                format!("未說不當用語（{}）", quote_list(lang, any)),
                format!("no forbidden phrase ({})", quote_list(lang, any)),
            ),
        );
    };
    let q = quote(lang, &first.phrase.text);
    let t = first.evidence.start;
    let more = hits.len() - 1;
    let reason = lang.pick(
        if more > 0 {
            format!("說了{q}於 {t:.1} 秒（另 {more} 處）")
        } else {
            format!("說了{q}於 {t:.1} 秒")
        },
        if more > 0 {
            format!("said {q} at {t:.1} s (and {more} more)")
        } else {
            format!("said {q} at {t:.1} s")
        },
    );
    Decision::fail(hits.into_iter().map(|f| f.evidence).collect(), reason)
}
