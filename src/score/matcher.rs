//! Finds a rubric phrase inside a transcript utterance, tolerating ASR errors.
//!
//! Both sides are token sequences (Han characters with pinyin, English words with sound
//! keys, numbers, times). The phrase must align with a contiguous stretch of the utterance,
//! unit by unit: a unit can be replaced by a sound-alike (cost = 1 − similarity), dropped
//! (cost 1), or the stretch can carry a few extra units (cost `insert_cost` each). English
//! words may also split or merge ("welfare" ↔ "well paired"). Comparing unit by unit is what
//! keeps "hi" from matching "this" and "thank you for waiting" from passing as "thank you for
//! calling": a wrong word costs a whole unit, however many letters it shares.

use super::phonetic::{numeral_reading, readings_sim, word_sim};
use super::tokens::{Tok, Word};
use std::collections::HashSet;

/// Knobs of the aligner; defaults live in [`super::rubric::Matching`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Unit similarities below this count as a complete miss.
    pub floor: f64,
    /// Cost of each extra transcript unit inside the matched stretch.
    pub insert_cost: f64,
}

/// Where and how well a phrase matched: token range `[start, end)` in the utterance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub sim: f64,
    pub start: usize,
    pub end: usize,
}

/// What a name wildcard may stand for: any Han character, or a Latin word that is not a
/// common word (so "this is the …" or "I'm sorry" are not self-introductions). With the
/// manifest's staff name, a word that sounds like it also counts, common or not: "Wu" is
/// heard as "we" or "who" far more often than as itself.
pub(crate) struct NameRule<'a> {
    pub common_words: &'a HashSet<String>,
    /// The words of the staff's name (titles removed), if known.
    pub staff_name: &'a [Word],
}

/// How close a heard word must sound to the staff's name to fill the slot.
const NAME_SOUND_SIM: f64 = 0.85;

fn name_sim(t: &Tok, rule: Option<&NameRule>) -> f64 {
    match (t, rule) {
        (Tok::Han { .. }, Some(_)) => 1.0,
        (Tok::Word(w), Some(r)) if !r.common_words.contains(&w.text) && w.text.len() >= 2 => 1.0,
        (Tok::Word(w), Some(r)) => r
            .staff_name
            .iter()
            .map(|n| word_sim(&n.text, &n.key, &w.text, &w.key))
            .filter(|&s| s >= NAME_SOUND_SIM)
            .fold(0.0, f64::max),
        _ => 0.0,
    }
}

/// Similarity of a phrase unit `p` to a transcript unit `t`, 0..=1.
pub(crate) fn tok_sim(p: &Tok, t: &Tok, rule: Option<&NameRule>) -> f64 {
    match (p, t) {
        (Tok::Name, _) => name_sim(t, rule),
        (
            Tok::Han {
                ch: a,
                readings: ra,
            },
            Tok::Han {
                ch: b,
                readings: rb,
            },
        ) => {
            if a == b {
                1.0
            } else {
                readings_sim(ra, rb)
            }
        }
        (Tok::Word(a), Tok::Word(b)) => word_sim(&a.text, &a.key, &b.text, &b.key),
        (Tok::Num(a), Tok::Num(b)) => f64::from(u8::from(a == b)),
        (Tok::Time(h1, m1), Tok::Time(h2, m2)) => f64::from(u8::from(h1 == h2 && m1 == m2)),
        (Tok::Days { .. }, Tok::Days { .. }) => f64::from(u8::from(p == t)),
        // 830 said as a bare number is 8:30; "at 9" is 9:00.
        (Tok::Time(h, m), Tok::Num(n)) | (Tok::Num(n), Tok::Time(h, m))
            if *n == u64::from(*h) * 100 + u64::from(*m) || (*m == 0 && *n == u64::from(*h)) =>
        {
            0.95
        }
        // A small number written as a digit still sounds like its Chinese numeral.
        (Tok::Num(n), Tok::Han { readings, .. }) | (Tok::Han { readings, .. }, Tok::Num(n)) => {
            match numeral_reading(*n) {
                Some(s) => readings_sim(&[s], readings),
                None => 0.0,
            }
        }
        _ => 0.0,
    }
}

fn joined(a: &Word, b: &Word) -> Tok {
    Tok::Word(Word::new(&format!("{}{}", a.text, b.text)))
}

/// The similarity a phrase of `len` units needs: short phrases leave no room for slips, so a
/// single Chinese character must be exact ("喂" must not match "位") and a single word nearly so.
pub(crate) fn required_similarity(pattern: &[Tok], base: f64) -> f64 {
    match pattern {
        [Tok::Han { .. }] => 0.99,
        [_] => base.max(0.9),
        [_, _] => base.max(0.85),
        _ => base,
    }
}

/// What dropping a short English word ("id", "of", "at") from a fact of three or more units
/// costs, instead of a whole unit: ASR swallows such words ("national ID card" → "national
/// card") while the longer words around them still pin the fact down.
pub(crate) const TERM_SHORT_DROP: f64 = 0.5;

/// Weight of each pattern unit: a negator or a number counts double, a short word `short_drop` (1 = a
/// whole unit) when the pattern has three units or more.
pub(crate) fn unit_weights(pattern: &[Tok], short_drop: f64) -> Vec<f64> {
    weights(pattern, short_drop, true)
}

/// [`unit_weights`], numbers counting double only when `numbers_double`.
fn weights(pattern: &[Tok], short_drop: f64, numbers_double: bool) -> Vec<f64> {
    pattern
        .iter()
        .map(|t| match t {
            _ if t.is_negator() || (numbers_double && t.is_numeral()) => 2.0,
            Tok::Word(w) if pattern.len() >= 3 && w.text.len() <= 2 => short_drop,
            _ => 1.0,
        })
        .collect()
}

/// Best alignment of `pattern` within `text`, or `None` for an empty pattern or text.
pub(crate) fn best_match(
    pattern: &[Tok],
    text: &[Tok],
    params: Params,
    rule: Option<&NameRule>,
) -> Option<Hit> {
    best_match_dropping(pattern, text, params, rule, 1.0)
}

/// [`best_match`] where a short word of a long pattern costs `short_drop` when missing (see
/// [`TERM_SHORT_DROP`]); a wrong word in its place still costs at most a whole unit.
pub(crate) fn best_match_dropping(
    pattern: &[Tok],
    text: &[Tok],
    params: Params,
    rule: Option<&NameRule>,
    short_drop: f64,
) -> Option<Hit> {
    align(pattern, text, params, rule, short_drop, &[], true)
}

/// [`best_match`] as if each transcript unit `j` might be any word at all with similarity
/// `doubt[j]` (its doubt that it was heard right): how close the phrase would come if the
/// words the transcriber was unsure of were the ones the phrase needs. Units past the end
/// of `doubt` are taken as heard. A number counts as one unit here: it is misheard as
/// easily as any word, so a misheard one hides a phrase as much as another word does.
pub(crate) fn best_match_doubting(
    pattern: &[Tok],
    text: &[Tok],
    doubt: &[f64],
    params: Params,
    rule: Option<&NameRule>,
) -> Option<Hit> {
    align(pattern, text, params, rule, 1.0, doubt, false)
}

fn align(
    pattern: &[Tok],
    text: &[Tok],
    params: Params,
    rule: Option<&NameRule>,
    short_drop: f64,
    doubt: &[f64],
    numbers_double: bool,
) -> Option<Hit> {
    let (m, n) = (pattern.len(), text.len());
    if m == 0 || n == 0 {
        return None;
    }
    let unit = weights(pattern, 1.0, numbers_double);
    let drops = weights(pattern, short_drop, numbers_double);
    let sim_floor = |p: &Tok, t: &Tok| {
        let s = tok_sim(p, t, rule);
        if s < params.floor { 0.0 } else { s }
    };
    let unit_sim = |p: &Tok, j: usize| {
        let s = sim_floor(p, &text[j]);
        doubt.get(j).map_or(s, |&d| s.max(d))
    };
    let w = n + 1;
    let mut cost = vec![0.0f64; (m + 1) * w];
    let mut start = vec![0usize; (m + 1) * w];
    for (j, s) in start.iter_mut().enumerate().take(w) {
        *s = j;
    }
    for i in 1..=m {
        let p = &pattern[i - 1];
        let wp = unit[i - 1];
        let dp = drops[i - 1];
        cost[i * w] = cost[(i - 1) * w] + dp;
        start[i * w] = 0;
        for j in 1..=n {
            let t = &text[j - 1];
            let mut best = cost[(i - 1) * w + j - 1] + wp * (1.0 - unit_sim(p, j - 1));
            let mut from = start[(i - 1) * w + j - 1];
            let del = cost[(i - 1) * w + j] + dp;
            if del < best {
                best = del;
                from = start[(i - 1) * w + j];
            }
            let ins = cost[i * w + j - 1] + params.insert_cost;
            if ins < best {
                best = ins;
                from = start[i * w + j - 1];
            }
            // One phrase word heard as two ("welfare" → "well paired").
            if j >= 2
                && best > 1e-9
                && let (Tok::Word(pw), Tok::Word(a), Tok::Word(b)) = (p, &text[j - 2], t)
                && pw.key.chars().next() == a.key.chars().next()
            {
                let c = cost[(i - 1) * w + j - 2] + wp * (1.0 - sim_floor(p, &joined(a, b)));
                if c < best {
                    best = c;
                    from = start[(i - 1) * w + j - 2];
                }
            }
            // A name slot filled by a contraction ("Wu speaking" → "we're speaking"): the
            // name is the base word and the expanded tail is part of the same sound.
            if j >= 2
                && matches!(p, Tok::Name)
                && let (Tok::Word(_), Tok::Word(tail)) = (&text[j - 2], t)
                && tail.clitic
            {
                let c = cost[(i - 1) * w + j - 2] + wp * (1.0 - sim_floor(p, &text[j - 2]));
                if c < best {
                    best = c;
                    from = start[(i - 1) * w + j - 2];
                }
            }
            // Two phrase words heard as one ("good bye" → "goodbye").
            if i >= 2
                && best > 1e-9
                && let (Tok::Word(a), Tok::Word(b), Tok::Word(tw)) = (&pattern[i - 2], p, t)
                && tw.key.chars().next() == a.key.chars().next()
            {
                let c = cost[(i - 2) * w + j - 1] + 2.0 * (1.0 - sim_floor(&joined(a, b), t));
                if c < best {
                    best = c;
                    from = start[(i - 2) * w + j - 1];
                }
            }
            cost[i * w + j] = best;
            start[i * w + j] = from;
        }
    }
    let mut best: Option<Hit> = None;
    for j in 1..=n {
        let c = cost[m * w + j];
        let sim = (1.0 - c / m as f64).max(0.0);
        if best.is_none_or(|b| sim > b.sim + 1e-12) {
            best = Some(Hit {
                sim,
                start: start[m * w + j],
                end: j,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::tokens::tokenize;

    const P: Params = Params {
        floor: 0.5,
        insert_cost: 0.35,
    };

    fn sim(pattern: &str, text: &str) -> f64 {
        best_match(&tokenize(pattern), &tokenize(text), P, None).map_or(0.0, |h| h.sim)
    }

    fn matches(pattern: &str, text: &str, base: f64) -> bool {
        let p = tokenize(pattern);
        sim(pattern, text) >= required_similarity(&p, base)
    }

    #[test]
    fn a_different_number_is_no_slip() {
        assert!(!matches("我們在二樓", "我們在三樓", 0.8));
        assert!(!matches("兩個小時免費", "第一個小時免費", 0.8));
        // Another word misheard in the same phrase still is one.
        assert!(matches("我們在二樓", "我門在二樓", 0.8));
    }

    #[test]
    fn misrecognitions_still_match() {
        assert!(matches(
            "children's welfare service center",
            "children well-paired service center",
            0.8
        ));
        assert!(matches("營業時間八點半", "營業時間8:30", 0.8));
        assert!(matches("eight thirty", "8/30", 0.8));
        assert!(matches(
            "open at nine",
            "we open at nine in the morning",
            0.8
        ));
        assert!(matches("open at 9", "we open at 9:00", 0.8));
        assert!(!matches("open at 9", "we open at 9:30", 0.8));
        assert!(matches("請稍候", "請稍後", 0.8));
        assert!(matches("兒童福利服務中心", "兒童福利服務中信您好", 0.8));
        assert!(matches("请问贵姓", "請問您貴姓", 0.8));
        assert!(matches("goodbye", "good bye", 0.8));
        assert!(matches(
            "thank you for calling",
            "thank you so much for calling",
            0.8
        ));
    }

    #[test]
    fn word_boundaries_and_meaning_hold() {
        assert!(!matches("hi", "this is Kuo", 0.8));
        assert!(!matches(
            "thank you for calling",
            "thank you for waiting",
            0.8
        ));
        assert!(!matches("I don't know", "I do know the answer", 0.8));
        assert!(!matches("不是我負責", "這是我負責的", 0.8));
        assert!(!matches("喂", "請問哪位", 0.8));
        assert!(!matches("bye", "ready by Friday", 0.8));
        assert!(matches("不知道", "我不知道", 0.8));
    }

    fn fact(pattern: &str, text: &str) -> bool {
        let p = tokenize(pattern);
        let sim = best_match_dropping(&p, &tokenize(text), P, None, TERM_SHORT_DROP)
            .map_or(0.0, |h| h.sim);
        sim >= required_similarity(&p, 0.8)
    }

    #[test]
    fn terms_heard_otherwise_still_match() {
        // Weekday ranges, with 星期 heard as digits.
        assert!(matches("星期一到星期五", "我們171到175都有開", 0.8));
        assert!(matches("週一至週五", "禮拜一到禮拜五", 0.8));
        assert!(matches("Monday to Friday", "we're open Mon–Fri", 0.8));
        // Floors written as digits.
        assert!(matches("二樓", "請到2F櫃台", 0.8));
        assert!(matches("second floor", "on the 2nd floor", 0.8));
        // Taiwanese mergers: 存摺 heard as 純正 (c/ch, e/eng).
        assert!(matches("存摺", "帶純正影本", 0.8));
        // A long word spelt by sound; a short word swallowed inside a longer fact.
        assert!(matches("passbook", "your Pesbuk", 0.8));
        assert!(fact("national ID card", "your national card please"));
        assert!(fact("copy of passbook", "a copy passbook"));
    }

    #[test]
    fn terms_not_said_do_not_match() {
        assert!(!matches("星期一到星期五", "星期一到星期六", 0.8));
        assert!(!matches("星期一到星期五", "172到175", 0.8));
        assert!(!matches("週六", "週日", 0.8));
        assert!(!matches("Monday to Friday", "Monday to Saturday", 0.8));
        assert!(!matches("二樓", "3樓", 0.8));
        assert!(!matches("二樓", "3F", 0.8));
        assert!(!matches("second floor", "3rd floor", 0.8));
        // 按 (an) is not 二 (er): it rhymes with 三 if anything.
        assert!(!matches("二樓", "按樓", 0.8));
        assert!(!matches("三樓", "按樓", 0.8));
        assert!(!matches("存摺", "存款", 0.8));
        assert!(!matches("passbook", "passport", 0.8));
        // Only short words of longer facts may go missing, and never a negation.
        assert!(!fact("ID card", "card"));
        assert!(!fact("national ID card", "national health card"));
        assert!(!fact("no ID needed", "ID needed"));
        assert!(!matches("copy of passbook", "a copy passbook", 0.8));
    }

    #[test]
    fn unsure_words_may_stand_for_the_missing_ones() {
        let params = Params {
            floor: 0.5,
            insert_cost: 0.35,
        };
        let (p, t) = (tokenize("service center"), tokenize("with cancer"));
        let plain = best_match(&p, &t, params, None).unwrap().sim;
        let doubted = best_match_doubting(&p, &t, &[1.0, 1.0], params, None)
            .unwrap()
            .sim;
        assert!(plain < 0.8 && doubted > 0.99, "{plain} {doubted}");
        // Words heard for sure stay what they are; a missing doubt counts as none.
        let sure = best_match_doubting(&p, &t, &[0.0], params, None)
            .unwrap()
            .sim;
        assert!((sure - plain).abs() < 1e-9, "{sure} vs {plain}");
    }

    #[test]
    fn hit_reports_the_stretch() {
        let h = best_match(&tokenize("您好"), &tokenize("早安您好請問"), P, None).unwrap();
        assert_eq!((h.start, h.end), (2, 4));
        assert!((h.sim - 1.0).abs() < 1e-9);
    }
}
