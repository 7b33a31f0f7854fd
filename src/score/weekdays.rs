//! Days of the week written every way a transcript or a rubric author might: 星期一 = 禮拜一 =
//! 週一 = Monday, and ranges 星期一到星期五 = 週一至五 = Monday through Friday = Mon–Fri. Each
//! becomes one [`Tok::Days`] unit, so the matcher compares the days and not the wording.
//!
//! On a phone line Whisper often hears 星期 (xīngqī) as digits, 7 (qī) or 17 (yī qī), and writes
//! 星期一到星期五 as "171到175" or "71到75". A digit group reads as a weekday only inside a
//! range whose ends agree (same heard prefix, last digits 1–7 going forward, an explicit 到 / 至 /
//! "to" between them), so a lone 171 stays a number.

use super::tokens::Tok;

/// One end of a possible range.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Atom {
    /// Written as a day (星期一, 週日, Monday): a day on its own.
    Day(u8),
    /// An abbreviation (Mon, Fri): a day only next to another day ("sat" is also a verb).
    Short(u8),
    /// A plain digit 1–7, a day only after a day (星期一到五).
    Bare(u8),
    /// 星期 heard as digits: (heard prefix, day), 171 = (17, 1), 75 = (7, 5).
    Heard(u64, u8),
}

impl Atom {
    fn day(self) -> u8 {
        match self {
            Atom::Day(d) | Atom::Short(d) | Atom::Bare(d) | Atom::Heard(_, d) => d,
        }
    }

    fn written(self) -> bool {
        matches!(self, Atom::Day(_) | Atom::Short(_))
    }
}

fn han(t: Option<&Tok>) -> Option<char> {
    match t {
        Some(Tok::Han { ch, .. }) => Some(*ch),
        _ => None,
    }
}

fn word(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Word(w)) => Some(w.text.as_str()),
        _ => None,
    }
}

/// The day named after 星期 / 禮拜 / 週 (its numeral already a digit): 1–6, or 日 / 天 = 7.
fn day_after(t: Option<&Tok>, sunday_as_tian: bool) -> Option<u8> {
    match t {
        Some(Tok::Num(n @ 1..=6)) => Some(*n as u8),
        Some(Tok::Han { ch: '日', .. }) => Some(7),
        Some(Tok::Han { ch: '天', .. }) if sunday_as_tian => Some(7),
        _ => None,
    }
}

fn english_day(w: &str) -> Option<Atom> {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    const SHORT: [&[&str]; 7] = [
        &["mon"],
        &["tue", "tues"],
        &["wed"],
        &["thu", "thur", "thurs"],
        &["fri"],
        &["sat"],
        &["sun"],
    ];
    let w = w
        .strip_suffix('s')
        .filter(|s| s.ends_with("day"))
        .unwrap_or(w);
    if let Some(i) = FULL.iter().position(|&d| d == w) {
        return Some(Atom::Day(i as u8 + 1));
    }
    SHORT
        .iter()
        .position(|forms| forms.contains(&w))
        .map(|i| Atom::Short(i as u8 + 1))
}

/// The atom starting at `i` and how many tokens it spans.
fn atom(t: &[Tok], i: usize) -> Option<(Atom, usize)> {
    let pair = (han(t.get(i)), han(t.get(i + 1)));
    let (day, len) = match pair {
        (Some('星'), Some('期')) | (Some('禮'), Some('拜')) => {
            (day_after(t.get(i + 2), true)?, 3)
        }
        (Some('週' | '周'), _) => (day_after(t.get(i + 1), false)?, 2),
        _ => return other_atom(t, i),
    };
    // 每週3次, 一個星期3天: a count per week before a measure word, not Wednesday.
    if matches!(han(t.get(i + len)), Some('次' | '個' | '天')) {
        return None;
    }
    Some((Atom::Day(day), len))
}

/// English day names and digit groups.
fn other_atom(t: &[Tok], i: usize) -> Option<(Atom, usize)> {
    if let Some(w) = word(t.get(i)) {
        return english_day(w).map(|a| (a, 1));
    }
    if let Some(Tok::Num(n)) = t.get(i) {
        let (prefix, last) = (n / 10, (n % 10) as u8);
        return match n {
            1..=7 => Some((Atom::Bare(*n as u8), 1)),
            71..=77 | 171..=177 => Some((Atom::Heard(prefix, last), 1)),
            _ => None,
        };
    }
    None
}

/// "到", "至", "to", "through", "till", "until" at `i`.
fn is_range_word(t: Option<&Tok>) -> bool {
    matches!(han(t), Some('到' | '至'))
        || matches!(word(t), Some("to" | "through" | "thru" | "till" | "until"))
}

/// Can `a` (sep) `b` be read as a range of days?
fn range(a: Atom, b: Atom, sep: bool) -> bool {
    use Atom::*;
    match (a, b) {
        _ if a.written() && b.written() => true,
        (Day(x), Bare(y)) => sep && y > x,
        (Heard(p, x), Heard(q, y)) => sep && p == q && y > x,
        (Day(x), Heard(_, y)) | (Heard(_, x), Day(y)) => sep && y > x,
        _ => false,
    }
}

/// Replaces every weekday and range of weekdays in `tokens` with one [`Tok::Days`].
pub(crate) fn fold_weekdays(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let Some((a, la)) = atom(&tokens, i) else {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        };
        let sep = is_range_word(tokens.get(i + la));
        let after = i + la + usize::from(sep);
        if let Some((b, lb)) = atom(&tokens, after)
            && range(a, b, sep)
        {
            out.push(Tok::Days {
                from: a.day(),
                to: b.day(),
            });
            i = after + lb;
            continue;
        }
        if let Atom::Day(d) = a {
            out.push(Tok::Days { from: d, to: d });
            i += la;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::score::tokens::{Tok, tokenize};

    fn days(text: &str) -> Vec<(u8, u8)> {
        tokenize(text)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Days { from, to } => Some((from, to)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_way_of_writing_a_weekday_range_agrees() {
        for t in [
            "星期一到星期五",
            "禮拜一到禮拜五",
            "週一至週五",
            "周一至五",
            "星期一到五",
            "Monday to Friday",
            "Monday through Friday",
            "Mon–Fri",
            "mon - fri",
            // 星期 heard as 17 or 7.
            "171到175",
            "71到75",
            "星期一到175",
        ] {
            assert_eq!(days(t), [(1, 5)], "{t}");
        }
        assert_eq!(days("星期六上午"), [(6, 6)]);
        assert_eq!(days("禮拜天"), [(7, 7)]);
        assert_eq!(days("週日"), [(7, 7)]);
        assert_eq!(days("on Saturdays"), [(6, 6)]);
    }

    #[test]
    fn numbers_and_words_that_are_not_weekdays_stay() {
        // Digits alone, backwards, or with different heard prefixes are numbers.
        assert!(days("171").is_empty());
        assert!(days("175到171").is_empty());
        assert!(days("71到175").is_empty());
        assert!(days("171175").is_empty());
        assert!(days("1到5").is_empty());
        assert!(days("每週3次").is_empty());
        assert!(days("一個星期三天").is_empty());
        assert!(days("I sat down in the sun").is_empty());
        assert!(days("星期").is_empty());
        // A different day or range is a different unit.
        assert_ne!(days("星期一到星期六"), days("星期一到星期五"));
        assert_ne!(days("172到175"), days("星期一到星期五"));
    }
}
