//! Phone numbers and e-mail addresses as Whisper writes them when they are read out: digits
//! as English words ("oh nine one two, three four five …") and addresses with "at" and "dot"
//! (or 小老鼠 and 點) in place of the symbols.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Fewest digits a spoken run needs to count as a phone number: a local number without its
/// area code has seven ("three three four, five six seven eight").
const MIN_PHONE_DIGITS: usize = 7;

/// Endings a spoken address must have, so "look at the dot pattern" stays.
const DOMAIN_ENDINGS: [&str; 17] = [
    "tw", "com", "net", "org", "edu", "gov", "idv", "io", "co", "cc", "hk", "jp", "cn", "uk",
    "info", "biz", "mil",
];

/// Words that may stand before a spoken "at" without being the address's local part
/// ("e-mail us at kcg dot gov dot tw" keeps "us").
const NOT_LOCAL_PART: [&str; 17] = [
    "us", "me", "him", "her", "them", "it", "mail", "email", "e-mail", "write", "send", "reach",
    "contact", "address", "is", "to", "or",
];

/// How many digits an English token says: a digit word is one, ASCII digits count each,
/// "double"/"triple" repeat the next digit.
enum Spoken {
    Digits(usize),
    Repeat(usize),
    Other,
}

fn spoken(token: &str) -> Spoken {
    if token.bytes().all(|b| b.is_ascii_digit()) {
        return Spoken::Digits(token.len());
    }
    match token.to_ascii_lowercase().as_str() {
        "zero" | "oh" | "o" | "one" | "two" | "three" | "four" | "five" | "six" | "seven"
        | "eight" | "nine" => Spoken::Digits(1),
        "double" => Spoken::Repeat(1),
        "triple" => Spoken::Repeat(2),
        _ => Spoken::Other,
    }
}

/// Byte ranges of phone numbers read out as English digit words: runs of digit words (and
/// digit groups) separated only by spaces, commas, dots or dashes, with at least
/// [`MIN_PHONE_DIGITS`] digits and at least one word. Runs of bare digits are left to the
/// written patterns.
pub(super) fn spoken_phone_spans(text: &str) -> Vec<Range<usize>> {
    static TOKEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z]+|[0-9]+").expect("valid token pattern"));
    let mut out = Vec::new();
    // (start, end, digits, has a word) of the run being read.
    let mut run: Option<(usize, usize, usize, bool)> = None;
    let mut close = |run: &mut Option<(usize, usize, usize, bool)>| {
        if let Some((start, end, digits, word)) = run.take()
            && digits >= MIN_PHONE_DIGITS
            && word
        {
            out.push(start..end);
        }
    };
    for m in TOKEN.find_iter(text) {
        let joined = run.as_ref().is_some_and(|&(_, end, ..)| {
            text[end..m.start()]
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, ',' | '.' | '-' | '–' | '，' | '、'))
        });
        if !joined {
            close(&mut run);
        }
        match spoken(m.as_str()) {
            Spoken::Digits(n) | Spoken::Repeat(n) => {
                let word = !m.as_str().as_bytes()[0].is_ascii_digit();
                let r = run.get_or_insert((m.start(), m.end(), 0, false));
                r.1 = m.end();
                r.2 += n;
                r.3 |= word;
            }
            Spoken::Other => close(&mut run),
        }
    }
    close(&mut run);
    out
}

/// Byte ranges of e-mail addresses said aloud: `[local] at domain dot tw` with the local part
/// optional (often only the domain is read out), also `@`, 小老鼠 for "at" and 點 for "dot".
pub(super) fn spoken_email_spans(text: &str) -> Vec<Range<usize>> {
    static SPOKEN: LazyLock<Regex> = LazyLock::new(|| {
        let label = r"[A-Za-z0-9][A-Za-z0-9_%+\-]*";
        // A written dot has no spaces around it, so a sentence's full stop is not one.
        let dot = r"(?:\s+dot\s+|[.．]|\s*點\s*)";
        let local =
            format!(r"(?:\b({label}(?:(?:\s+(?:dot|underscore)\s+|[._．]|\s*點\s*){label})*)\s*)?");
        let at = r"(?:\bat\s+|[@＠]\s*|小老鼠\s*)";
        let domain = format!(r"({label}(?:{dot}{label})+)\b");
        Regex::new(&format!("(?i){local}({at}){domain}")).expect("valid spoken e-mail pattern")
    });
    let mut out = Vec::new();
    for c in SPOKEN.captures_iter(text) {
        let (Some(whole), Some(at), Some(domain)) = (c.get(0), c.get(2), c.get(3)) else {
            continue;
        };
        let ending = domain
            .as_str()
            .rsplit(|ch: char| !ch.is_ascii_alphanumeric())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        // "at" needs a spoken "dot" (or a symbol) and a known ending to be an address.
        if !DOMAIN_ENDINGS.contains(&ending.as_str()) {
            continue;
        }
        let start = match c.get(1) {
            Some(local) if !NOT_LOCAL_PART.contains(&local.as_str().to_lowercase().as_str()) => {
                whole.start()
            }
            _ => at.start(),
        };
        out.push(start..whole.end());
    }
    out
}
