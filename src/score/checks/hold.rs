//! `hold`: every long mid-call silence must be announced ("請稍候" / "one moment") first.
//!
//! Silences are gaps in the measured speech regions (all parties: a caller talking is not a
//! hold) after the staff's first words and before their last. Without measured regions the
//! transcript's own segment times stand in.

use super::{Ctx, Decision, quote};
use crate::audio::mmss;
use crate::score::rubric::{Criterion, Phrase};

/// Silent gaps longer than `max`, as (start, end).
pub(crate) fn silences(cx: &Ctx, max: f64) -> Vec<(f64, f64)> {
    let mut spans: Vec<(f64, f64)> = if cx.audio.speech.is_empty() {
        cx.staff.utts.iter().map(|u| (u.start, u.end)).collect()
    } else {
        cx.audio.speech.iter().map(|r| (r.start, r.end)).collect()
    };
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (Some(first), Some(last_start)) = (cx.staff.first, cx.staff.last_start) else {
        return Vec::new();
    };
    let mut gaps = Vec::new();
    let mut reach: Option<f64> = None;
    for (s, e) in spans {
        if let Some(r) = reach
            && s - r > max
            && r >= first - 0.5
            && s <= last_start + 0.5
        {
            gaps.push((r, s));
        }
        reach = Some(reach.map_or(e, |r: f64| r.max(e)));
    }
    gaps
}

pub(crate) fn check(cx: &Ctx, c: &Criterion, max: f64, announce: &[Phrase]) -> Decision {
    let lang = cx.lang();
    let gaps = silences(cx, max);
    if gaps.is_empty() {
        return Decision::not_applicable(lang.pick(
            format!("通話中沒有超過 {max} 秒的靜默"),
            format!("no mid-call silence longer than {max} s"),
        ));
    }
    let found = cx.find(announce, cx.threshold(c), None);
    let lookback = cx.rubric.matching.announce_lookback;
    let mut evidence = Vec::new();
    for &(start, end) in &gaps {
        let said = found
            .iter()
            .rfind(|f| f.evidence.start <= start + 1.0 && f.evidence.end >= start - lookback);
        match said {
            Some(f) => evidence.push(f.evidence.clone()),
            None => {
                let len = end - start;
                return Decision::fail(
                    evidence,
                    lang.pick(
                        format!("{} 起靜默 {len:.1} 秒，之前未請對方稍候", mmss(start)),
                        format!(
                            "no announce phrase before {len:.1} s of silence at {}",
                            mmss(start)
                        ),
                    ),
                );
            }
        }
    }
    let q = evidence
        .first()
        .map(|e| quote(lang, &e.text))
        .unwrap_or_default();
    let n = gaps.len();
    Decision::pass(
        evidence,
        lang.pick(
            format!("{n} 次靜默前皆有告知：{q}"),
            format!(
                "announced before {n} silence{}: {q}",
                if n == 1 { "" } else { "s" }
            ),
        ),
    )
}
