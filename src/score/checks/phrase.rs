//! `phrase` (the staff says one of the phrases, optionally early or late in the call) and
//! `forbidden` (the staff says none of them).

use super::{Ctx, Decision, Found, quote, quote_list};
use crate::score::agency;
use crate::score::rubric::{Criterion, Phrase};

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

pub(crate) fn forbidden(cx: &Ctx, c: &Criterion, any: &[Phrase], within: Option<f64>) -> Decision {
    let lang = cx.lang();
    let hits: Vec<Found> = cx
        .find(any, cx.threshold(c), None)
        .into_iter()
        .filter(|f| in_window(cx, f, within, None))
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
