//! Numbers and clock times written every way a transcript or a rubric author might:
//! 三十 = 30, 兩 = 2, "thirty" = 30, and 八點半 = 8點半 = 8:30 = 8.30 = 8/30 = eight thirty.
//! Everything is reduced to digits here so the matcher compares like with like.

use super::tokens::Tok;

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '兩' | '貳' => 2,
        '三' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn zh_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '萬' => 10_000,
        _ => return None,
    })
}

/// Value of a run of Chinese numeral characters: positional (三百五十 = 350, 十二 = 12,
/// 一百五 = 150) or digit by digit (八三零 = 830).
fn zh_run_value(run: &[char]) -> Option<String> {
    if run.iter().all(|&c| zh_digit(c).is_some()) {
        return Some(
            run.iter()
                .filter_map(|&c| zh_digit(c))
                .map(|d| d.to_string())
                .collect(),
        );
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    let mut last_unit: u64 = 1;
    let mut zero_after_unit = false;
    for &c in run {
        if let Some(d) = zh_digit(c) {
            zero_after_unit |= d == 0;
            digit = Some(d);
        } else if let Some(u) = zh_unit(c) {
            if u == 10_000 {
                section += digit.take().unwrap_or(0);
                total += section.max(1) * u;
                section = 0;
            } else {
                section += digit.take().unwrap_or(1) * u;
            }
            last_unit = u;
            zero_after_unit = false;
        }
    }
    if let Some(d) = digit {
        // Colloquial 一百五 means 150: a trailing digit counts in the unit below the last.
        section += if !zero_after_unit && (100..10_000).contains(&last_unit) {
            d * last_unit / 10
        } else {
            d
        };
    }
    Some((total + section).to_string())
}

/// Can `run` be read as one positional number? Units must fall (三百五十, not 十三十) and
/// two non-zero digits may not touch (一百二三 is two numbers); 萬 starts a new section.
fn well_formed(run: &[char]) -> bool {
    if run.iter().all(|&c| zh_digit(c).is_some()) {
        return true;
    }
    let mut last_unit = u64::MAX;
    let mut prev_digit = false;
    for &c in run {
        if let Some(d) = zh_digit(c) {
            if prev_digit && d != 0 {
                return false;
            }
            prev_digit = d != 0;
        } else if let Some(u) = zh_unit(c) {
            if u == 10_000 {
                last_unit = u64::MAX;
            } else if u >= last_unit {
                return false;
            } else {
                last_unit = u;
            }
            prev_digit = false;
        }
    }
    true
}

/// Splits a numeral run that is not one number into numbers, longest well-formed piece
/// first from the right. Whisper writes homophones of 時/是 (shi) as 十, so "每頁是二十元"
/// arrives as "每頁十二十元": the number next to the measure word (二十) is the one meant,
/// and the stray 十 on its left stays a separate unit that still sounds like 時.
fn split_run(run: &[char]) -> Vec<&[char]> {
    let mut pieces = Vec::new();
    let mut end = run.len();
    while end > 0 {
        let start = (0..end)
            .find(|&s| well_formed(&run[s..end]))
            .unwrap_or(end - 1);
        pieces.push(&run[start..end]);
        end = start;
    }
    pieces.reverse();
    pieces
}

/// Replaces runs of Chinese numerals with ASCII digits. A lone 萬/千/百 (as in 萬一) is not
/// a number and stays as it is.
pub(crate) fn zh_numerals_to_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = zh_digit(c).is_some() || matches!(c, '十' | '拾');
        if !starts_number {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (zh_digit(chars[j]).is_some() || zh_unit(chars[j]).is_some()) {
            j += 1;
        }
        let pieces = split_run(&chars[i..j]);
        for (k, piece) in pieces.iter().enumerate() {
            if k > 0 {
                // Keep the numbers apart: "10 30", not "1030".
                out.push(' ');
            }
            match zh_run_value(piece) {
                Some(v) => out.push_str(&v),
                None => out.extend(piece.iter()),
            }
        }
        i = j;
    }
    out
}

/// How `n` is read aloud in Mandarin, in characters (30 → 三十, 105 → 一百零五); `None`
/// from 10 000 up.
pub(crate) fn zh_reading(n: u64) -> Option<String> {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |d: u64| DIGITS[d as usize];
    match n {
        0..10 => return Some(digit(n).to_string()),
        // 十二, not 一十二.
        10..20 => {
            return Some(format!(
                "十{}",
                if n > 10 {
                    digit(n - 10).to_string()
                } else {
                    String::new()
                }
            ));
        }
        10_000.. => return None,
        _ => {}
    }
    let mut out = String::new();
    let mut zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = n / unit % 10;
        if d == 0 {
            zero |= !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(digit(d));
        out.push_str(name);
    }
    Some(out)
}

/// 12-hour clock: 17:30 and 下午五點半 both become 5:30, since the call rarely says which.
pub(crate) fn clock(h: u64, m: u64) -> Option<Tok> {
    if h > 24 || m > 59 {
        return None;
    }
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    Some(Tok::Time(h12 as u8, m as u8))
}

fn word_value(w: &str) -> Option<(u64, bool)> {
    // (value, is_tens) — tens words can take a following unit ("twenty five").
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = SMALL.iter().position(|&s| s == w) {
        return Some((i as u64, false));
    }
    TENS.iter()
        .position(|&s| s == w)
        .map(|i| ((i as u64 + 2) * 10, true))
}

/// English number words → numbers, then clock phrases → times:
/// "eight thirty", "eight o'clock", "half past eight", "8 am", "8:30 p.m.".
pub(crate) fn fold_english(tokens: Vec<Tok>) -> Vec<Tok> {
    // Pass 1: number words.
    let mut nums: Vec<Tok> = Vec::with_capacity(tokens.len());
    // Which numbers were spoken as words: only "eight thirty" is a clock time, two digit
    // groups side by side ("10 30" from a split Chinese numeral run) are not.
    let mut spoken: Vec<bool> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Tok::Word(w) = &tokens[i]
            && let Some((mut v, tens)) = word_value(&w.text)
        {
            i += 1;
            if tens
                && let Some(Tok::Word(u)) = tokens.get(i)
                && let Some((uv, false)) = word_value(&u.text)
                && (1..=9).contains(&uv)
            {
                v += uv;
                i += 1;
            }
            if let Some(Tok::Word(h)) = tokens.get(i)
                && (h.text == "hundred" || h.text == "thousand")
                && v < 100
            {
                v *= if h.text == "hundred" { 100 } else { 1000 };
                i += 1;
            }
            nums.push(Tok::Num(v));
            spoken.push(true);
            continue;
        }
        nums.push(tokens[i].clone());
        spoken.push(false);
        i += 1;
    }
    // Pass 2: clock phrases.
    let word = |t: Option<&Tok>, s: &str| matches!(t, Some(Tok::Word(w)) if w.text == s);
    let mut out: Vec<Tok> = Vec::with_capacity(nums.len());
    let mut i = 0;
    while i < nums.len() {
        let t = &nums[i];
        if (word(Some(t), "half") || word(Some(t), "quarter"))
            && word(nums.get(i + 1), "past")
            && let Some(Tok::Num(h)) = nums.get(i + 2)
            && let Some(time) = clock(*h, if word(Some(t), "half") { 30 } else { 15 })
        {
            out.push(time);
            i += 3;
            continue;
        }
        if let Tok::Num(h) = t
            && (1..=12).contains(h)
        {
            let next = nums.get(i + 1);
            if let Some(Tok::Num(m)) = next
                // Digit groups side by side are a time only when spoken as words or followed by
                // "a.m."/"in the morning": Whisper writes "8 30 in the morning".
                && (spoken[i] || spoken[i + 1] || is_meridiem(&nums, i + 2).is_some())
                && (10..60).contains(m)
                && let Some(time) = clock(*h, *m)
            {
                out.push(time);
                i += 2;
                continue;
            }
            if word(next, "oclock") {
                out.extend(clock(*h, 0));
                i += 2;
                continue;
            }
            if is_meridiem(&nums, i + 1).is_some() {
                out.extend(clock(*h, 0));
                i += 1;
                continue;
            }
        }
        if matches!(t, Tok::Time(..))
            && let Some(len) = is_meridiem(&nums, i + 1)
        {
            out.push(t.clone());
            i += 1 + len;
            continue;
        }
        // A meridiem right after a time has been consumed with it; skip a stray one.
        if matches!(out.last(), Some(Tok::Time(..)))
            && let Some(len) = is_meridiem(&nums, i)
        {
            i += len;
            continue;
        }
        out.push(t.clone());
        i += 1;
    }
    out
}

/// "am", "pm", "a m", "p m" at `i`: how many tokens it spans.
fn is_meridiem(t: &[Tok], i: usize) -> Option<usize> {
    let w = |k: usize| match t.get(k) {
        Some(Tok::Word(w)) => Some(w.text.as_str()),
        _ => None,
    };
    match w(i)? {
        "am" | "pm" => Some(1),
        "a" | "p" if w(i + 1) == Some("m") => Some(2),
        "in" if w(i + 1) == Some("the")
            && matches!(w(i + 2), Some("morning" | "afternoon" | "evening")) =>
        {
            Some(3)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_aloud() {
        for (n, said) in [
            (0, "零"),
            (7, "七"),
            (10, "十"),
            (12, "十二"),
            (30, "三十"),
            (105, "一百零五"),
            (1010, "一千零一十"),
            (2500, "二千五百"),
        ] {
            assert_eq!(zh_reading(n).as_deref(), Some(said), "{n}");
            assert_eq!(zh_numerals_to_digits(said), n.to_string(), "{said}");
        }
        assert_eq!(zh_reading(10_000), None);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(zh_numerals_to_digits("一小時三十元"), "1小時30元");
        assert_eq!(zh_numerals_to_digits("十二點"), "12點");
        assert_eq!(zh_numerals_to_digits("三百五十"), "350");
        assert_eq!(zh_numerals_to_digits("一百五"), "150");
        assert_eq!(zh_numerals_to_digits("一百零五"), "105");
        assert_eq!(zh_numerals_to_digits("兩萬三千"), "23000");
        assert_eq!(zh_numerals_to_digits("八三零"), "830");
        assert_eq!(zh_numerals_to_digits("萬一"), "萬1");
        assert_eq!(zh_numerals_to_digits("三個工作天"), "3個工作天");
    }

    #[test]
    fn runs_that_are_not_one_number_split_from_the_right() {
        // 是 heard as 十 in front of the amount.
        assert_eq!(zh_numerals_to_digits("每頁十二十元"), "每頁10 20元");
        assert_eq!(zh_numerals_to_digits("十三十五"), "10 35");
        assert_eq!(zh_numerals_to_digits("二十三"), "23");
        assert_eq!(zh_numerals_to_digits("一千零五十"), "1050");
        assert_eq!(zh_numerals_to_digits("五萬三千"), "53000");
    }
}
