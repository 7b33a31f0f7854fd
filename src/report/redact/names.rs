//! Finding people's names in free text: the staff names as written and by their parts, as
//! Whisper mishears them (homophones, through the scoring's own sound comparison: pinyin
//! syllables for Chinese, the sound key for English), a surname with a title (林主任) and
//! whatever follows a self-introduction frame (敝姓X), whoever says it.

use crate::score::COMMON_WORDS;
use crate::score::normalize::is_han;
use crate::score::phonetic::{Syllable, english_key, readings, readings_sim, word_sim};
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::{LazyLock, Mutex};

/// Titles that follow a surname in Taiwanese offices, longest first so that 社工師 wins over
/// 社工. Single characters (林姐) are kept to the ones used only after a name.
const ZH_TITLES: [&str; 23] = [
    "社工師",
    "護理師",
    "心理師",
    "小姐",
    "先生",
    "女士",
    "主任",
    "課長",
    "科長",
    "股長",
    "組長",
    "處長",
    "局長",
    "社工",
    "老師",
    "專員",
    "秘書",
    "督導",
    "經理",
    "主管",
    "助理",
    "姐",
    "姊",
];

/// English titles: dropped from a name's parts, or every "Ms" would be masked.
const EN_TITLES: [&str; 7] = ["mr", "mrs", "ms", "miss", "dr", "mister", "madam"];

/// Words that stand before a title without being a surname: 您先生 is "your husband", even
/// though 您 (nin) sounds close to 林 (lin).
const NOT_SURNAMES: [char; 8] = ['你', '您', '他', '她', '我', '這', '那', '哪'];

/// Characters before 姓 that make a self-introduction (我姓, 本人姓); 免貴姓 and 敝姓 are
/// checked apart, because 您貴姓 asks for a name and 敝 is often misheard.
const FRAME_BEFORE_XING: [char; 2] = ['我', '人'];

/// A Han character that sounds like another at least this much stands for it (near
/// homophones such as lin/ling score 0.8; see `phonetic::syllable_sim`).
const HAN_SOUND_SIM: f64 = 0.8;
/// A misheard full name must also sound this close on average, so one near-homophone is
/// accepted but a string of them is not.
const HAN_NAME_MEAN_SIM: f64 = 0.9;
/// An English word this close to a name word (same sound key) is the name misspelt.
const WORD_SOUND_SIM: f64 = 0.85;

/// A Chinese name split into surname and given name.
struct HanName {
    surname: Vec<Vec<Syllable>>,
    surname_chars: Vec<char>,
    given: Vec<Vec<Syllable>>,
    given_chars: Vec<char>,
}

/// One staff member's name in the forms the finder needs.
enum Person {
    Han(HanName),
    /// Lower-case words of a Latin-script name, titles removed, each of two letters or more.
    Latin(Vec<String>),
}

/// Byte ranges in `text` that name a person: any of `names` (as written, their parts or
/// sound-alikes) and the surname in a self-introduction frame. Ranges may overlap.
pub(super) fn name_spans<S: AsRef<str>>(text: &str, names: &[S]) -> Vec<Range<usize>> {
    let people: Vec<Person> = names.iter().filter_map(|n| person(n.as_ref())).collect();
    let chars = han_chars(text);
    let mut spans = exact_spans(text, names);
    spans.extend(intro_frame_spans(text, &chars, &people));
    for p in &people {
        match p {
            Person::Han(name) => spans.extend(han_spans(text, &chars, name)),
            Person::Latin(words) => spans.extend(latin_spans(text, words)),
        }
    }
    spans
}

fn person(name: &str) -> Option<Person> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if name.chars().all(is_han) {
        let bare = ZH_TITLES
            .iter()
            .find_map(|t| name.strip_suffix(*t).filter(|b| !b.is_empty()))
            .unwrap_or(name);
        let chars: Vec<char> = bare.chars().collect();
        // Compound surnames (歐陽) come with two-character given names: 4 = 2 + 2.
        let surname_len = if chars.len() == 4 { 2 } else { 1 };
        let (s, g) = chars.split_at(surname_len.min(chars.len()));
        return Some(Person::Han(HanName {
            surname: s.iter().map(|&c| readings(c)).collect(),
            surname_chars: s.to_vec(),
            given: g.iter().map(|&c| readings(c)).collect(),
            given_chars: g.to_vec(),
        }));
    }
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 2 && !EN_TITLES.contains(&w.as_str()))
        .collect();
    (!words.is_empty()).then_some(Person::Latin(words))
}

/// The strings that identify a person as written: the whole name, the given name of a Chinese
/// name (two characters or more; a single one would mask ordinary words), and the words of a
/// Latin name.
fn written_parts(name: &str) -> Vec<String> {
    let name = name.trim();
    let mut parts = vec![name.to_string()];
    match person(name) {
        Some(Person::Han(h)) if h.given_chars.len() >= 2 => {
            parts.push(h.surname_chars.iter().chain(&h.given_chars).collect());
            parts.push(h.given_chars.iter().collect());
        }
        Some(Person::Latin(words)) => parts.extend(words),
        _ => {}
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// Matches of the written names and their parts, case-insensitive, not glued to other ASCII
/// letters or digits ("Amy" inside "Amyloid" stays).
fn exact_spans<S: AsRef<str>>(text: &str, names: &[S]) -> Vec<Range<usize>> {
    let mut parts: Vec<String> = names
        .iter()
        .flat_map(|n| written_parts(n.as_ref()))
        .collect();
    parts.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    parts.dedup();
    if parts.is_empty() {
        return Vec::new();
    }
    // An export redacts every segment and reason with the same names: build the pattern once.
    static LAST: Mutex<Option<(Vec<String>, Regex)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if last.as_ref().is_none_or(|(p, _)| *p != parts) {
        let alternation: Vec<String> = parts.iter().map(|p| flexible_spaces(p)).collect();
        let Ok(re) = Regex::new(&format!("(?i)(?:{})", alternation.join("|"))) else {
            return Vec::new();
        };
        *last = Some((parts, re));
    }
    match last.as_ref() {
        Some((_, re)) => super::bounded_matches(re, text),
        None => Vec::new(),
    }
}

/// `part` as a regex that also matches when its spaces are written as any run of spaces.
fn flexible_spaces(part: &str) -> String {
    part.split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// Similarity of a heard Han character to a name's character.
fn han_sim(heard: char, heard_readings: &[Syllable], name_char: char, name: &[Syllable]) -> f64 {
    if heard == name_char {
        1.0
    } else {
        readings_sim(heard_readings, name)
    }
}

/// A character of the text: its byte offset, itself and (for Han characters) its readings.
type TextChar = (usize, char, Vec<Syllable>);

/// The characters of `text` with their byte offsets and readings.
fn han_chars(text: &str) -> Vec<TextChar> {
    text.char_indices()
        .map(|(i, c)| (i, c, if is_han(c) { readings(c) } else { Vec::new() }))
        .collect()
}

/// Does the run of characters starting at `at` sound like `chars` (each at least
/// [`HAN_SOUND_SIM`])? Returns the mean similarity.
fn sounds_like(
    text: &[TextChar],
    at: usize,
    chars: &[char],
    syllables: &[Vec<Syllable>],
) -> Option<f64> {
    let window = text.get(at..at + chars.len())?;
    let mut total = 0.0;
    for ((_, c, r), (&nc, nr)) in window.iter().zip(chars.iter().zip(syllables)) {
        if !is_han(*c) {
            return None;
        }
        let s = han_sim(*c, r, nc, nr);
        if s < HAN_SOUND_SIM {
            return None;
        }
        total += s;
    }
    Some(total / chars.len() as f64)
}

fn byte_range(text: &str, chars: &[TextChar], from: usize, to: usize) -> Range<usize> {
    let start = chars[from].0;
    let end = chars.get(to).map_or(text.len(), |c| c.0);
    start..end
}

/// A misheard full name (林美花 for 林美華) and the surname, heard or misheard, with a title
/// (林主任, 玲小姐).
fn han_spans(text: &str, chars: &[TextChar], name: &HanName) -> Vec<Range<usize>> {
    let full_chars: Vec<char> = name
        .surname_chars
        .iter()
        .chain(&name.given_chars)
        .copied()
        .collect();
    let full: Vec<Vec<Syllable>> = name.surname.iter().chain(&name.given).cloned().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        if !name.given_chars.is_empty()
            && sounds_like(chars, i, &full_chars, &full).is_some_and(|m| m >= HAN_NAME_MEAN_SIM)
        {
            out.push(byte_range(text, chars, i, i + full_chars.len()));
        }
        let s = name.surname_chars.len();
        if s > 0
            && !NOT_SURNAMES.contains(&chars[i].1)
            && sounds_like(chars, i, &name.surname_chars, &name.surname).is_some()
        {
            let after = chars.get(i + s).map_or(text.len(), |c| c.0);
            if let Some(t) = ZH_TITLES.iter().find(|t| text[after..].starts_with(**t)) {
                out.push(chars[i].0..after + t.len());
            }
        }
    }
    out
}

/// The surname in 敝姓X, 我姓X, 本人姓X, 免貴姓X, also when 敝姓 is misheard as sound-alikes
/// (閉姓X, 閉信X).
/// Whoever introduces themselves, what follows is a surname, so the slot is masked whatever
/// character Whisper wrote there; two characters when they sound like a staff member's
/// compound surname.
fn intro_frame_spans(text: &str, chars: &[TextChar], people: &[Person]) -> Vec<Range<usize>> {
    static BI: LazyLock<Vec<Syllable>> = LazyLock::new(|| readings('敝'));
    static XING: LazyLock<Vec<Syllable>> = LazyLock::new(|| readings('姓'));
    let mut out = Vec::new();
    for i in 1..chars.len().saturating_sub(1) {
        let (_, before, before_readings) = &chars[i - 1];
        let (_, xing, xing_readings) = &chars[i];
        let bi = readings_sim(before_readings, &BI) >= 0.95;
        let frame = match xing {
            '姓' => {
                FRAME_BEFORE_XING.contains(before)
                    || bi
                    || (*before == '貴' && i >= 2 && chars[i - 2].1 == '免')
            }
            _ => bi && readings_sim(xing_readings, &XING) >= HAN_SOUND_SIM,
        };
        // 姓名 and 姓氏 are words (個人姓名), not a frame with a surname.
        let slot = chars[i + 1].1;
        if !frame || !is_han(slot) || matches!(slot, '名' | '氏') {
            continue;
        }
        let compound = people.iter().any(|p| match p {
            Person::Han(h) => {
                h.surname_chars.len() == 2
                    && sounds_like(chars, i + 1, &h.surname_chars, &h.surname).is_some()
            }
            Person::Latin(_) => false,
        });
        let len = if compound { 2 } else { 1 };
        out.push(byte_range(text, chars, i + 1, i + 1 + len));
    }
    out
}

/// English words that sound like a word of the name ("Lynn" for "Lin", "Chan" for "Chen"),
/// unless they are common words ("line" and "am" stay).
fn latin_spans(text: &str, name_words: &[String]) -> Vec<Range<usize>> {
    static WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z]+").expect("valid word pattern"));
    static COMMON: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| COMMON_WORDS.split_whitespace().collect());
    let keys: Vec<(String, String)> = name_words
        .iter()
        .map(|w| (w.clone(), english_key(w)))
        .filter(|(_, k)| k.len() >= 2)
        .collect();
    let mut out = Vec::new();
    for m in super::bounded_matches(&WORD, text) {
        let heard = text[m.clone()].to_lowercase();
        let is_tag = text[..m.start].ends_with('[') && text[m.end..].starts_with(']');
        if heard.len() < 2 || is_tag || COMMON.contains(heard.as_str()) {
            continue;
        }
        let key = english_key(&heard);
        if keys
            .iter()
            .any(|(w, k)| word_sim(w, k, &heard, &key) >= WORD_SOUND_SIM)
        {
            out.push(m);
        }
    }
    out
}
