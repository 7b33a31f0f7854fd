//! Turns normalised text into the units the matcher compares: one token per Han character
//! (with its pinyin readings), per English word (with a sound key), per number or clock time.
//! Punctuation and spacing only separate tokens, so they never affect a match.

use super::normalize::{is_han, normalize_text};
use super::numbers::{clock, fold_english, zh_reading};
use super::phonetic::{
    Syllable, compatible_final_bits, english_key, final_bit, numeral_reading, readings,
};
use super::weekdays::fold_weekdays;

/// An English (or other Latin-script) word with its sound key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub text: String,
    pub key: String,
    /// The expanded tail of a contraction ("are" of "we're"): one sound with the word
    /// before it, which matters when a name is heard as a contraction ("Wu" → "we're").
    pub clitic: bool,
}

impl Word {
    pub fn new(text: &str) -> Word {
        Word {
            text: text.to_string(),
            key: english_key(text),
            clitic: false,
        }
    }
}

/// One comparable unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Han {
        ch: char,
        readings: Vec<Syllable>,
    },
    Word(Word),
    Num(u64),
    /// A clock time on the 12-hour dial.
    Time(u8, u8),
    /// A day of the week or a range of them, 1 = Monday … 7 = Sunday (週六 = 6..=6).
    Days {
        from: u8,
        to: u8,
    },
    /// Pattern-only wildcard for a name (one Han character or one non-common word).
    Name,
}

impl Tok {
    fn han(ch: char) -> Tok {
        Tok::Han {
            ch,
            readings: readings(ch),
        }
    }

    /// Words that reverse a phrase's meaning: losing one must not count as a small slip.
    pub fn is_negator(&self) -> bool {
        match self {
            Tok::Han { ch, .. } => matches!(ch, '不' | '沒' | '未' | '別' | '無' | '非'),
            Tok::Word(w) => matches!(w.text.as_str(), "not" | "no" | "never" | "nothing"),
            _ => false,
        }
    }

    /// A number, or a numeral character not read as one: a different number is a different
    /// fact (三樓 is not 二樓, 一個小時 is not 兩個小時), so it must not count as a small slip.
    pub fn is_numeral(&self) -> bool {
        match self {
            Tok::Num(_) => true,
            Tok::Han { ch, .. } => "零〇一二兩三四五六七八九十百千萬".contains(*ch),
            _ => false,
        }
    }
}

const NUMERIC_BIT: u128 = 1 << 126;
const UNREAD_HAN_BIT: u128 = 1 << 125;
const ANY: u128 = u128::MAX;

fn letter_bit(w: &Word) -> u128 {
    match w.key.bytes().next() {
        Some(c @ b'a'..=b'z') => 1u128 << (96 + u32::from(c - b'a')),
        _ => 1u128 << 124,
    }
}

/// A coarse sound signature used to skip hopeless comparisons: two units can only score
/// above zero if their masks meet. Transcript side: the unit's own finals / first sound.
pub(crate) fn text_mask(t: &Tok) -> u128 {
    match t {
        Tok::Han { readings, .. } if readings.is_empty() => UNREAD_HAN_BIT,
        Tok::Han { readings, .. } => readings.iter().fold(0, |m, r| m | final_bit(r.fin)),
        Tok::Word(w) => letter_bit(w),
        Tok::Num(n) => NUMERIC_BIT | numeral_reading(*n).map_or(0, |r| final_bit(r.fin)),
        Tok::Time(..) | Tok::Days { .. } => NUMERIC_BIT,
        Tok::Name => ANY,
    }
}

/// Phrase side: everything the unit could match (near finals included).
pub(crate) fn pattern_mask(t: &Tok) -> u128 {
    match t {
        Tok::Han { readings, .. } if readings.is_empty() => UNREAD_HAN_BIT,
        Tok::Han { readings, .. } => readings
            .iter()
            .fold(0, |m, r| m | compatible_final_bits(r.fin)),
        Tok::Name => ANY,
        other => text_mask(other),
    }
}

/// Normalise and tokenise `text`.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let norm = normalize_text(text);
    let chars: Vec<char> = norm.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            i = scan_number(&chars, i, &mut out);
        } else if c == '$' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
            // ASR writes amounts as "$30" (or "NT$30"); say them as words so they match
            // "thirty dollars" in a scenario.
            i = scan_number(&chars, i + 1, &mut out);
            push_word("dollars", &mut out);
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || (matches!(chars[i], '\'' | '’')
                        && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic())))
            {
                i += 1;
            }
            let raw: String = chars[start..i]
                .iter()
                .map(|&c| if c == '’' { '\'' } else { c })
                .collect();
            push_word(&raw, &mut out);
        } else if is_han(c) {
            out.push(Tok::han(c));
            i += 1;
        } else {
            i += 1;
        }
    }
    fold_weekdays(fold_english(out))
}

fn digits_at(chars: &[char], i: usize) -> usize {
    chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn value(chars: &[char]) -> u64 {
    chars
        .iter()
        .filter(|c| c.is_ascii_digit())
        .fold(0u64, |acc, c| {
            acc.saturating_mul(10)
                .saturating_add(c.to_digit(10).unwrap_or(0) as u64)
        })
}

/// Scans a number at `i`, recognising clock forms (8:30, 8.30, 8/30, 8點半, 8點30分, 8點).
fn scan_number(chars: &[char], i: usize, out: &mut Vec<Tok>) -> usize {
    let mut j = i + digits_at(chars, i);
    // Thousands separators: 1,000.
    while chars.get(j) == Some(&',') && digits_at(chars, j + 1) == 3 {
        j += 4;
    }
    let n = value(&chars[i..j]);
    let sep = chars.get(j).copied();
    if matches!(sep, Some(':' | '.' | '/' | '：')) && digits_at(chars, j + 1) == 2 {
        let m = value(&chars[j + 1..j + 3]);
        if let Some(t) = clock(n, m) {
            out.push(t);
            return j + 3;
        }
    }
    if sep == Some('點') || (sep == Some('時') && digits_at(chars, j + 1) > 0) {
        let after = chars.get(j + 1).copied();
        let clock_tok = if after == Some('半') {
            clock(n, 30).map(|t| (t, j + 2))
        } else if digits_at(chars, j + 1) > 0 && digits_at(chars, j + 1) <= 2 {
            let k = j + 1 + digits_at(chars, j + 1);
            let end = if chars.get(k) == Some(&'分') {
                k + 1
            } else {
                k
            };
            clock(n, value(&chars[j + 1..k])).map(|t| (t, end))
        } else if after == Some('鐘') {
            clock(n, 0).map(|t| (t, j + 2))
        } else {
            clock(n, 0).map(|t| (t, j + 1))
        };
        if let Some((t, end)) = clock_tok {
            out.push(t);
            return end;
        }
    }
    // 2F is how Taiwan writes 二樓 (second floor).
    if matches!(sep, Some('f')) && !chars.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
        out.push(Tok::Num(n));
        out.push(Tok::han('樓'));
        return j + 1;
    }
    // "2nd" is said "second": the ordinal compares as the word.
    let suffix: String = chars[j..].iter().take(2).collect();
    if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
        && !chars.get(j + 2).is_some_and(|c| c.is_ascii_alphanumeric())
        && let Some(w) = ordinal_word(n)
    {
        push_word(w, out);
        return j + 2;
    }
    out.push(Tok::Num(n));
    j
}

fn ordinal_word(n: u64) -> Option<&'static str> {
    const ORD: [&str; 12] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    ORD.get(usize::try_from(n).ok()?.checked_sub(1)?).copied()
}

/// `toks` with each number Mandarin reads aloud replaced by its characters (30 → 三, 十),
/// and for each unit the index of the unit it came from; `None` when there is no number.
/// Digits compare exactly, but a number is misheard by sound: 三十元 heard as 分十元.
pub(crate) fn numbers_as_spoken(toks: &[Tok]) -> Option<(Vec<Tok>, Vec<usize>)> {
    if !toks.iter().any(|t| matches!(t, Tok::Num(_))) {
        return None;
    }
    let mut out = Vec::with_capacity(toks.len() + 4);
    let mut from = Vec::with_capacity(toks.len() + 4);
    for (i, t) in toks.iter().enumerate() {
        let said = match t {
            Tok::Num(n) => zh_reading(*n),
            _ => None,
        };
        match said {
            Some(said) => {
                for c in said.chars() {
                    out.push(Tok::han(c));
                    from.push(i);
                }
            }
            None => {
                out.push(t.clone());
                from.push(i);
            }
        }
    }
    Some((out, from))
}

/// How many units [`tokenize`] makes of one word as Whisper wrote it: two for a contraction
/// ("we're" → "we are"), one for other words of letters. Only a word with digits or other
/// letters is tokenised to count it, which spares the sound keys of every word of a call.
pub(crate) fn word_units(word: &str) -> usize {
    let w = word.to_ascii_lowercase().replace('’', "'");
    if w.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
        expand_contraction(&w).len()
    } else {
        tokenize(word).len().max(1)
    }
}

/// Splits English contractions so "don't" compares as "do not" and "children's" as
/// "children".
fn push_word(raw: &str, out: &mut Vec<Tok>) {
    for (k, part) in expand_contraction(raw).into_iter().enumerate() {
        let mut w = Word::new(part);
        w.clitic = k > 0;
        out.push(Tok::Word(w));
    }
}

fn expand_contraction(raw: &str) -> Vec<&str> {
    match raw {
        "can't" | "cannot" => return vec!["can", "not"],
        "won't" => return vec!["will", "not"],
        "let's" => return vec!["let", "us"],
        "o'clock" => return vec!["oclock"],
        _ => {}
    }
    if let Some(base) = raw.strip_suffix("n't") {
        return vec![base, "not"];
    }
    let Some((base, tail)) = raw.rsplit_once('\'') else {
        return vec![raw];
    };
    let expansion = match tail {
        "m" => "am",
        "re" => "are",
        "ll" => "will",
        "ve" => "have",
        "d" => "would",
        "s" if matches!(
            base,
            "it" | "that" | "what" | "there" | "here" | "he" | "she" | "who" | "where" | "how"
        ) =>
        {
            "is"
        }
        // Possessive 's (or an unknown tail): compare on the base word.
        _ => return vec![base],
    };
    vec![base, expansion]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_units_count_as_tokenize_does() {
        for w in [
            "hello",
            "We're",
            "children's",
            "can't",
            "cannot",
            "o'clock",
            "don’t",
            "2nd",
            "2f",
            "8am",
            "thirty",
            "café",
        ] {
            assert_eq!(word_units(w), tokenize(w).len().max(1), "{w}");
        }
    }

    fn show(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| match t {
                Tok::Han { ch, .. } => ch.to_string(),
                Tok::Word(w) => w.text,
                Tok::Num(n) => n.to_string(),
                Tok::Time(h, m) => format!("{h}:{m:02}"),
                Tok::Days { from, to } => format!("day{from}-{to}"),
                Tok::Name => "*".into(),
            })
            .collect()
    }

    #[test]
    fn digit_groups_before_a_time_of_day_are_a_clock_time() {
        assert_eq!(show("from 8 30 in the morning"), ["from", "8:30"]);
        assert_eq!(show("to 5 30 in the afternoon"), show("to 5:30 p.m."));
        assert_eq!(show("room 8 30 people"), ["room", "8", "30", "people"]);
    }

    #[test]
    fn dollar_amounts_read_as_words() {
        assert_eq!(
            show("it costs $30 per hour"),
            show("it costs thirty dollars per hour")
        );
        assert_eq!(show("NT$50"), ["nt", "50", "dollars"]);
    }

    #[test]
    fn clock_times_agree() {
        for t in [
            "八點半",
            "8點半",
            "8:30",
            "8.30",
            "8/30",
            "eight thirty",
            "8：30",
            "八點三十分",
            "20:30",
            "8:30 a.m.",
            "half past eight",
        ] {
            assert_eq!(show(t), vec!["8:30"], "{t}");
        }
        assert_eq!(show("five o'clock"), vec!["5:00"]);
        assert_eq!(show("9 AM"), vec!["9:00"]);
        assert_eq!(show("830"), vec!["830"]);
    }

    #[test]
    fn words_contractions_and_numbers() {
        assert_eq!(show("I don't know."), vec!["i", "do", "not", "know"]);
        assert_eq!(show("Children's Welfare"), vec!["children", "welfare"]);
        assert_eq!(show("You're welcome"), vec!["you", "are", "welcome"]);
        assert_eq!(show("thirty dollars"), vec!["30", "dollars"]);
        assert_eq!(show("twenty five"), vec!["25"]);
        assert_eq!(show("three working days"), vec!["3", "working", "days"]);
        assert_eq!(show("一小時三十元。"), vec!["1", "小", "時", "30", "元"]);
        assert_eq!(show("ＯＫ，好"), vec!["ok", "好"]);
    }

    #[test]
    fn floors_and_ordinals_agree() {
        assert_eq!(show("二樓"), show("2樓"));
        assert_eq!(show("二樓"), show("2F"));
        assert_eq!(show("在2f櫃台"), show("在二樓櫃台"));
        assert_eq!(show("2nd floor"), show("second floor"));
        assert_eq!(show("the 1st floor"), show("the first floor"));
        // A different floor stays different; letters after the F make it a word.
        assert_ne!(show("3F"), show("二樓"));
        assert_eq!(show("2fa"), ["2", "fa"]);
        assert_eq!(show("21st"), ["21", "st"]);
    }
}
