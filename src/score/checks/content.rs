//! `accuracy` and `completeness`, judged against the call's scenario.

use super::{Ctx, Decision, Found, quote};
use crate::score::Verdict;
use crate::score::normalize::is_han;
use crate::score::rubric::{Criterion, Language};
use crate::score::scenario::Point;

pub(crate) fn accuracy(cx: &Ctx, c: &Criterion) -> Decision {
    let lang = cx.lang();
    let Some(sc) = cx.scenario else {
        return Decision::not_applicable(
            lang.pick(
                "此通電話未指定情境，不評答話內容",
                "no scenario for this call; content not scored",
            )
            .into(),
        );
    };
    let base = cx.threshold(c);
    let mut evidence = Vec::new();
    let mut wrong = Vec::new();
    for p in &sc.points {
        let mut seen: Vec<(f64, f64)> = Vec::new();
        let mut found = cx.find_facts(&p.wrong, base);
        // Two wordings of one wrong fact (星期一到星期六, "Monday to Saturday") can match the
        // same words; name the fact once, in the rubric's language.
        found.sort_by_key(|f| f.phrase.text.chars().any(is_han) != (lang == Language::Zh));
        for f in found {
            let at = (f.evidence.start, f.evidence.end);
            // Said before the caller first spoke, it answers no question: a greeting misheard
            // as a fact (午安 as 五安, read as the wrong 五點).
            let before_question = cx.staff.caller_first.is_some_and(|c| at.1 <= c);
            if seen.contains(&at) || before_question {
                continue;
            }
            seen.push(at);
            let q = quote(lang, &f.phrase.text);
            wrong.push(lang.pick(format!("{q}（{}）", p.id), format!("{q} ({})", p.id)));
            evidence.push(f.evidence);
        }
    }
    if wrong.is_empty() {
        return Decision::pass(
            Vec::new(),
            lang.pick(
                format!("未說錯誤內容（情境：{}）", sc.title),
                format!("no wrong statement (scenario: {})", sc.title),
            ),
        );
    }
    let list = wrong.join(lang.pick("、", ", "));
    Decision::fail(
        evidence,
        lang.pick(format!("答話有誤：{list}"), format!("wrong answer: {list}")),
    )
}

pub(crate) fn completeness(cx: &Ctx, c: &Criterion) -> Decision {
    let lang = cx.lang();
    let Some(sc) = cx.scenario else {
        return Decision::not_applicable(
            lang.pick(
                "此通電話未指定情境，不評答話內容",
                "no scenario for this call; content not scored",
            )
            .into(),
        );
    };
    let required: Vec<(usize, &Point)> = sc
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required)
        .collect();
    if required.is_empty() {
        return Decision::not_applicable(
            lang.pick(
                "情境沒有必要告知事項",
                "the scenario has no required points",
            )
            .into(),
        );
    }
    let base = cx.threshold(c);
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    for &(i, p) in &required {
        match addressed(cx, p, base) {
            Some(f) => evidence.push(f.evidence),
            None => missing.push(i),
        }
    }
    let names: Vec<&str> = missing.iter().map(|&i| sc.points[i].id.as_str()).collect();
    let n = required.len();
    let done = n - missing.len();
    let reason = if missing.is_empty() {
        lang.pick(
            format!("{n} 項必要事項皆已告知"),
            format!("all {n} required points addressed"),
        )
    } else {
        lang.pick(
            format!("告知 {done}/{n} 項；缺：{}", names.join("、")),
            format!(
                "addressed {done} of {n} points; missing: {}",
                names.join(", ")
            ),
        )
    };
    Decision {
        verdict: Verdict::passed_if(missing.is_empty()),
        fraction: done as f64 / n as f64,
        evidence,
        reason,
        unsure: false,
        missing,
    }
}

/// Where point `p` was first addressed, rightly or wrongly: a wrongly stated point was still
/// addressed, which is an accuracy failure only.
fn addressed<'p>(cx: &Ctx, p: &'p Point, base: f64) -> Option<Found<'p>> {
    cx.find_facts(&p.say, base)
        .into_iter()
        .chain(cx.find_facts(&p.wrong, base))
        .min_by(|a, b| a.evidence.start.total_cmp(&b.evidence.start))
}
