//! Removing personal data from free text (transcripts, quotes, reasons) before it leaves the
//! office: Taiwan ID numbers, phone numbers, e-mail addresses and the names of the staff.
//!
//! Patterns err on the side of redacting: a long run of digits that is not a known shape is
//! still treated as a phone number, because a leaked number costs more than a lost date.

use regex::Regex;
use std::sync::LazyLock;

/// Tag that replaces a national ID or resident certificate number.
pub const ID_TAG: &str = "[ID]";
/// Tag that replaces a phone number.
pub const PHONE_TAG: &str = "[PHONE]";
/// Tag that replaces an e-mail address.
pub const EMAIL_TAG: &str = "[EMAIL]";
/// Tag that replaces a person's name.
pub const NAME_TAG: &str = "[NAME]";

// Digits as Whisper may write them: ASCII, full-width (\d is Unicode) or Chinese numerals.
const DIGIT: &str = r"[\d零〇一二三四五六七八九幺么]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+\s?(?:@|＠)\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
        .expect("valid e-mail pattern")
});

// National ID (A123456789), resident certificates old (AB12345678) and new (A812345678).
static NATIONAL_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][1289ABCDabcd]\d{8}").expect("valid ID pattern"));

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    let sep = r"[\s\-－.]?";
    let patterns = [
        // Mobile: 0912-345-678, 0912345678, +886 912 345 678, +886-9-1234-5678.
        format!(r"(?:(?:\+|＋)?886{sep}|0)9(?:{sep}\d){{8}}"),
        // Landline with area code in brackets: (07)123-4567, (02) 2345-6789, (049)2123456.
        format!(r"[(（]0\d{{1,3}}[)）]\s?\d{{3,4}}{sep}\d{{4}}"),
        // Landline with separated area code: 07-1234567, 02-2345-6789, +886 2 2345 6789.
        format!(r"(?:(?:\+|＋)?886{sep}\d{{1,3}}|0\d{{1,3}})[\s\-－]\d{{3,4}}{sep}\d{{4}}"),
        // Any other run of 8 or more digits (also spoken as Chinese numerals, maybe spaced).
        format!(r"{DIGIT}(?:\s?{DIGIT}){{7,}}"),
    ];
    Regex::new(&patterns.join("|")).expect("valid phone pattern")
});

/// `text` with ID numbers, phone numbers, e-mail addresses and any of `names` replaced by
/// [`ID_TAG`], [`PHONE_TAG`], [`EMAIL_TAG`] and [`NAME_TAG`].
///
/// Names are matched as written and also by their parts: the words of a Latin name
/// ("Amy Chen" → "Amy", "Chen", any case) and, for a Chinese name of three or four
/// characters, the given name and the surname with a title ("林美華" → "美華", "林小姐").
pub fn redact<S: AsRef<str>>(text: &str, names: &[S]) -> String {
    let text = EMAIL.replace_all(text, EMAIL_TAG);
    let text = replace_bounded(&NATIONAL_ID, &text, ID_TAG);
    let text = replace_bounded(&PHONE, &text, PHONE_TAG);
    match names_pattern(names) {
        Some(re) => replace_bounded(&re, &text, NAME_TAG),
        None => text,
    }
}

/// Replaces matches of `re` that are not glued to other ASCII letters or digits, so that
/// "A123456789" inside a longer code or "Amy" inside "Amyloid" stays.
fn replace_bounded(re: &Regex, text: &str, tag: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in re.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let first_word = m
            .as_str()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let last_word = m
            .as_str()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if (first_word && glued(before)) || (last_word && glued(after)) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str(tag);
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// One case-insensitive alternation of every name and name part, longest first so that a
/// full name is replaced as one tag.
fn names_pattern<S: AsRef<str>>(names: &[S]) -> Option<Regex> {
    let mut parts: Vec<String> = names.iter().flat_map(|n| name_parts(n.as_ref())).collect();
    parts.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    parts.dedup();
    if parts.is_empty() {
        return None;
    }
    let alternation: Vec<String> = parts.iter().map(|p| flexible_spaces(p)).collect();
    Regex::new(&format!("(?i)(?:{})", alternation.join("|"))).ok()
}

/// The strings that identify a person called `name`.
fn name_parts(name: &str) -> Vec<String> {
    let name = name.trim();
    if name.is_empty() {
        return Vec::new();
    }
    let mut parts = vec![name.to_string()];
    let han: Vec<char> = name.chars().filter(|c| is_han(*c)).collect();
    if han.len() == name.chars().count() {
        let titles = ["小姐", "先生", "女士"];
        let bare = titles
            .iter()
            .find_map(|t| name.strip_suffix(t))
            .unwrap_or(name);
        let chars: Vec<char> = bare.chars().collect();
        if matches!(chars.len(), 3 | 4) {
            let surname_len = chars.len() - 2;
            let surname: String = chars[..surname_len].iter().collect();
            parts.push(chars[surname_len..].iter().collect());
            parts.extend(titles.iter().map(|t| format!("{surname}{t}")));
        }
    } else {
        // Latin words of two letters or more; single initials would redact ordinary words.
        parts.extend(
            name.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 2)
                .map(str::to_string),
        );
    }
    parts
}

/// `part` as a regex that also matches when its spaces are written as any run of spaces.
fn flexible_spaces(part: &str) -> String {
    part.split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    #[test]
    fn national_ids_are_tagged_but_not_inside_longer_codes() {
        assert_eq!(redact("身分證A123456789，謝謝", &NONE), "身分證[ID]，謝謝");
        assert_eq!(redact("id b234567890.", &NONE), "id [ID].");
        assert_eq!(redact("resident A812345678", &NONE), "resident [ID]");
        assert_eq!(redact("code XA123456789Z", &NONE), "code XA123456789Z");
        assert_eq!(redact("A323456789", &NONE), "A323456789");
    }

    #[test]
    fn phones_in_every_usual_shape_are_tagged() {
        for phone in [
            "0912-345-678",
            "0912345678",
            "0912 345 678",
            "+886 912 345 678",
            "+886-912-345-678",
            "(07)123-4567",
            "（07）123-4567",
            "(02) 2345-6789",
            "07-1234567",
            "02-2345-6789",
            "+886 2 2345 6789",
            "零九一二三四五六七八",
        ] {
            assert_eq!(
                redact(&format!("請撥{phone}。"), &NONE),
                "請撥[PHONE]。",
                "{phone}"
            );
            assert_eq!(
                redact(&format!("call {phone} now"), &NONE),
                "call [PHONE] now",
                "{phone}"
            );
        }
    }

    #[test]
    fn ordinary_numbers_and_times_stay() {
        for text in [
            "開放時間 08:30 到 17:30",
            "room 301, 2 forms",
            "2026-10-05",
            "NT$3,000",
        ] {
            assert_eq!(redact(text, &NONE), text);
        }
    }

    #[test]
    fn emails_are_tagged() {
        assert_eq!(
            redact("寄到 amy.chen@kcg.gov.tw 即可", &NONE),
            "寄到 [EMAIL] 即可"
        );
        assert_eq!(redact("mail a_b+c@example.org.", &NONE), "mail [EMAIL].");
    }

    #[test]
    fn staff_names_and_their_parts_are_tagged() {
        let names = ["Amy Chen", "林美華", "王小姐"];
        assert_eq!(
            redact("This is Amy Chen speaking", &names),
            "This is [NAME] speaking"
        );
        assert_eq!(
            redact("this is amy, how can", &names),
            "this is [NAME], how can"
        );
        assert_eq!(redact("Amyloid chenille", &names), "Amyloid chenille");
        assert_eq!(redact("敝姓林，我是林美華", &names), "敝姓林，我是[NAME]");
        assert_eq!(
            redact("美華您好，請找林小姐", &names),
            "[NAME]您好，請找[NAME]"
        );
        assert_eq!(redact("王小姐在嗎", &names), "[NAME]在嗎");
        assert_eq!(redact("Amy  Chen", &names), "[NAME]");
    }

    #[test]
    fn everything_at_once() {
        let text = "我是林美華，電話 (07)123-4567，手機0912-345-678，信箱 lin@example.com，身分證 A123456789";
        assert_eq!(
            redact(text, &["林美華"]),
            "我是[NAME]，電話 [PHONE]，手機[PHONE]，信箱 [EMAIL]，身分證 [ID]"
        );
    }
}
