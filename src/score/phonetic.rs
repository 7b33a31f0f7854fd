//! Sound-alike comparison of single units: toneless pinyin syllables for Chinese characters
//! and a letter/phonetic mix for English words. Whisper's errors on telephone audio are mostly
//! homophones (敝 → 閉), near-homophones (姓 → 信, z/zh, in/ing) and English words split or
//! misspelt by sound ("welfare" → "well-paired"), so similarity is measured by sound.

use pinyin::ToPinyinMulti;
use std::sync::{Mutex, OnceLock};

/// One toneless pinyin reading, split into initial and final so that near-homophones
/// (same final, confusable initial) can be scored between "same" and "different". Both parts
/// are small interned ids: comparisons run millions of times when re-scoring an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syllable {
    pub initial: u8,
    pub fin: u8,
}

const INITIALS: [&str; 23] = [
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w",
];
/// Id of "no initial" (syllables such as "an", "e").
const NO_INITIAL: u8 = INITIALS.len() as u8;

/// Pairs of initials that telephone-band Mandarin (and Taiwanese accents) blur together.
const NEAR_INITIALS: [(&str, &str); 12] = [
    ("z", "zh"),
    ("c", "ch"),
    ("s", "sh"),
    ("n", "l"),
    ("f", "h"),
    ("r", "l"),
    ("b", "p"),
    ("d", "t"),
    ("g", "k"),
    ("j", "q"),
    ("x", "s"),
    ("j", "zh"),
];

/// Finals that differ only in a nasal ending or a glide, often lost on the line.
const NEAR_FINALS: [(&str, &str); 8] = [
    ("in", "ing"),
    ("en", "eng"),
    ("an", "ang"),
    ("ian", "iang"),
    ("uan", "uang"),
    ("o", "uo"),
    ("e", "en"),
    ("e", "eng"),
];

/// The pairs Taiwanese Mandarin merges outright (no retroflex initials, no velar nasal after
/// e and i): to a speaker from Taiwan these are one sound, so Whisper's choice between them is
/// close to a coin toss and they score nearer a homophone than the other near pairs.
const MERGED_INITIALS: [(&str, &str); 3] = [("z", "zh"), ("c", "ch"), ("s", "sh")];
const MERGED_FINALS: [(&str, &str); 2] = [("en", "eng"), ("in", "ing")];

fn is_pair(pairs: &[(&str, &str)], a: &str, b: &str) -> bool {
    pairs
        .iter()
        .any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
}

/// Interned finals; ids index this list. Finals only ever come from the pinyin table, so
/// the list stays small (about 40 entries).
fn final_id(fin: &str) -> u8 {
    static FINALS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut list = FINALS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = list.iter().position(|f| f == fin) {
        return i as u8;
    }
    list.push(fin.to_string());
    (list.len() - 1).min(255) as u8
}

fn initial_id(init: &str) -> u8 {
    INITIALS
        .iter()
        .position(|&i| i == init)
        .map_or(NO_INITIAL, |i| i as u8)
}

/// Near-pair lookups as bitmasks: `initials[a] & 1 << b`, `finals[a] & 1 << b` (finals with
/// ids of 128 or more are never near anything).
struct NearTables {
    initials: [u32; 24],
    finals: [u128; 128],
    merged_initials: [u32; 24],
    merged_finals: [u128; 128],
}

fn near_tables() -> &'static NearTables {
    static T: OnceLock<NearTables> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = NearTables {
            initials: [0; 24],
            finals: [0; 128],
            merged_initials: [0; 24],
            merged_finals: [0; 128],
        };
        for (x, y) in NEAR_INITIALS {
            let (a, b) = (initial_id(x) as usize, initial_id(y) as usize);
            t.initials[a] |= 1 << b;
            t.initials[b] |= 1 << a;
            if is_pair(&MERGED_INITIALS, x, y) {
                t.merged_initials[a] |= 1 << b;
                t.merged_initials[b] |= 1 << a;
            }
        }
        for (x, y) in NEAR_FINALS {
            let (a, b) = (final_id(x) as usize, final_id(y) as usize);
            if a < 128 && b < 128 {
                t.finals[a] |= 1 << b;
                t.finals[b] |= 1 << a;
                if is_pair(&MERGED_FINALS, x, y) {
                    t.merged_finals[a] |= 1 << b;
                    t.merged_finals[b] |= 1 << a;
                }
            }
        }
        t
    })
}

fn near_initial(a: u8, b: u8) -> bool {
    let t = near_tables();
    (a as usize) < 24 && (b as usize) < 24 && t.initials[a as usize] & (1 << b) != 0
}

fn merged_initial(a: u8, b: u8) -> bool {
    let t = near_tables();
    (a as usize) < 24 && (b as usize) < 24 && t.merged_initials[a as usize] & (1 << b) != 0
}

fn merged_final(a: u8, b: u8) -> bool {
    let t = near_tables();
    (a as usize) < 128 && (b as usize) < 128 && t.merged_finals[a as usize] & (1u128 << b) != 0
}

fn near_final(a: u8, b: u8) -> bool {
    let t = near_tables();
    (a as usize) < 128 && (b as usize) < 128 && t.finals[a as usize] & (1u128 << b) != 0
}

/// Bit for a final in a [`super::tokens`] sound mask (finals share bit 95 past the 95th).
pub(crate) fn final_bit(fin: u8) -> u128 {
    1u128 << fin.min(95)
}

/// Bits of every final that can score above zero against `fin` (itself and its near finals).
pub(crate) fn compatible_final_bits(fin: u8) -> u128 {
    let t = near_tables();
    let mut bits = final_bit(fin);
    if (fin as usize) < 128 {
        let mut near = t.finals[fin as usize];
        while near != 0 {
            let b = near.trailing_zeros() as u8;
            bits |= final_bit(b);
            near &= near - 1;
        }
    }
    bits
}

impl Syllable {
    fn split(plain: &str) -> Syllable {
        for init in INITIALS {
            if let Some(rest) = plain.strip_prefix(init)
                && !rest.is_empty()
            {
                return Syllable {
                    initial: initial_id(init),
                    fin: final_id(rest),
                };
            }
        }
        Syllable {
            initial: NO_INITIAL,
            fin: final_id(plain),
        }
    }
}

/// All toneless readings of a Han character (heteronyms included), or none if the pinyin
/// table does not know it.
pub(crate) fn readings(ch: char) -> Vec<Syllable> {
    let Some(multi) = ch.to_pinyin_multi() else {
        return Vec::new();
    };
    let mut out: Vec<Syllable> = Vec::with_capacity(multi.count());
    for p in multi {
        let s = Syllable::split(p.plain());
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The reading of a digit 0..=10 as a Chinese numeral, so "1" (from 一) still sounds like 依.
pub(crate) fn numeral_reading(n: u64) -> Option<Syllable> {
    const R: [&str; 11] = [
        "ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu", "shi",
    ];
    R.get(n as usize).map(|s| Syllable::split(s))
}

/// Similarity of two syllables: 1 same, 0.9 one sound Taiwanese Mandarin merges (zh/z, eng/en),
/// 0.8 another near-homophone, 0.5 rhyme only, 0 otherwise.
pub(crate) fn syllable_sim(a: Syllable, b: Syllable) -> f64 {
    let same_i = a.initial == b.initial;
    let same_f = a.fin == b.fin;
    match (same_i, same_f) {
        (true, true) => 1.0,
        (false, true) if merged_initial(a.initial, b.initial) => 0.9,
        (true, false) if merged_final(a.fin, b.fin) => 0.9,
        (false, true) if near_initial(a.initial, b.initial) => 0.8,
        (true, false) if near_final(a.fin, b.fin) => 0.8,
        (false, true) => 0.5,
        (true, false) => 0.0,
        (false, false) => {
            if merged_initial(a.initial, b.initial) && merged_final(a.fin, b.fin) {
                // sheng / sen: both differences are Taiwanese mergers.
                0.8
            } else if near_initial(a.initial, b.initial) && near_final(a.fin, b.fin) {
                0.6
            } else {
                0.0
            }
        }
    }
}

/// Best similarity over all reading pairs; a different character with the same reading
/// scores 0.95 so an exact character always ranks first.
pub(crate) fn readings_sim(a: &[Syllable], b: &[Syllable]) -> f64 {
    let mut best: f64 = 0.0;
    for &x in a {
        for &y in b {
            best = best.max(syllable_sim(x, y));
            if best >= 1.0 {
                return 0.95;
            }
        }
    }
    best.min(0.95)
}

/// A crude English sound key: vowels after the first letter dropped, common spellings of one
/// sound merged (ph/f, c/k/q, z/s, th, d/t at the end), doubled letters collapsed.
pub(crate) fn english_key(word: &str) -> String {
    let w: Vec<char> = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let c = w[i];
        let next = w.get(i + 1).copied();
        let mapped: Option<char> = match c {
            // Wade-Giles "hs" (Hsu, Hsieh, Hsiao) is said with an s: "Hsu" is heard as "Sue".
            'h' if i == 0 && next == Some('s') => None,
            'p' if next == Some('h') => {
                i += 1;
                Some('f')
            }
            't' if next == Some('h') => {
                i += 1;
                Some('0')
            }
            'w' if next == Some('h') => {
                i += 1;
                Some('w')
            }
            'c' if matches!(next, Some('e' | 'i' | 'y')) => Some('s'),
            'c' if next == Some('h') => {
                i += 1;
                Some('x')
            }
            's' if next == Some('h') => {
                i += 1;
                Some('x')
            }
            'c' | 'q' | 'k' => Some('k'),
            'z' => Some('s'),
            'd' => Some('t'),
            'v' => Some('f'),
            'g' if next == Some('h') => {
                i += 1;
                None
            }
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => {
                if out.is_empty() {
                    Some('a')
                } else {
                    None
                }
            }
            'h' => {
                if out.is_empty() {
                    Some('h')
                } else {
                    None
                }
            }
            other => Some(other),
        };
        if let Some(m) = mapped
            && !out.ends_with(m)
        {
            out.push(m);
        }
        i += 1;
    }
    out
}

/// The consonant outline of a sound key with confusable consonants merged: the hissing
/// sounds (s, sh, ch, j, z), k/g, p/b, l/r, m/n, and a final "ng" as a nasal. Names on a
/// telephone line keep their outline more than their letters: "Cheng" is heard as "Jen",
/// "Hsu" as "She".
fn consonant_outline(key: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    let chars: Vec<char> = key.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let class = match c {
            'g' if i > 0 && chars[i - 1] == 'n' => continue,
            's' | 'x' | 'j' => 'S',
            'k' | 'g' => 'K',
            'p' | 'b' => 'P',
            'l' | 'r' => 'L',
            'm' | 'n' => 'N',
            other => other,
        };
        if out.last() != Some(&class) {
            out.push(class);
        }
    }
    out
}

/// Does a heard word sound like a word of a person's name (both lower-case, with their
/// sound keys)? Besides [`word_sim`], the same consonant outline counts, and so does a
/// word that begins with the name's sound (the name run into the next word: "Changspeaking").
/// A longer outline (three consonants or more) may have its last consonant misheard
/// ("Grace" → "great"); a short one must be whole, or "Lin" would be "Lee".
pub(crate) fn name_sounds_like(name: &str, name_key: &str, heard: &str, heard_key: &str) -> bool {
    if word_sim(name, name_key, heard, heard_key) >= 0.85
        || (name_key.len() >= 2 && heard_key.starts_with(name_key))
    {
        return true;
    }
    let (a, b) = (consonant_outline(name_key), consonant_outline(heard_key));
    let n = a.len();
    a == b || (n >= 3 && b.len() == n && a[..n - 1] == b[..n - 1])
}

/// Similarity of two English words (already lower-case, apostrophes removed).
/// Words must begin with the same sound; short words must match exactly or by sound, so
/// "hi" never matches "this" and "calling" never matches "waiting".
pub(crate) fn word_sim(a: &str, ka: &str, b: &str, kb: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.strip_suffix('s') == Some(b) || b.strip_suffix('s') == Some(a) {
        return 0.9;
    }
    if ka == kb && !ka.is_empty() {
        // Four or more consonant sounds in the same order ("passbook" / "Pesbuk") are hard to
        // share by chance; a short key ("fried" / "Friday") is not.
        return if ka.len() >= 4 { 0.9 } else { 0.85 };
    }
    if ka.chars().next() != kb.chars().next() {
        return 0.0;
    }
    let (la, lb) = (a.len(), b.len());
    if la <= 3 || lb <= 3 {
        return 0.0;
    }
    let letters = strsim::normalized_levenshtein(a, b);
    let sounds = strsim::normalized_levenshtein(ka, kb);
    letters.max(sounds).min(0.84)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(c: char) -> Vec<Syllable> {
        readings(c)
    }

    #[test]
    fn homophones_and_near_homophones() {
        // 敝姓 misheard as 閉信: bi = bi, xing ~ xin.
        assert!(readings_sim(&r('敝'), &r('閉')) >= 0.95);
        assert!((readings_sim(&r('姓'), &r('信')) - 0.9).abs() < 1e-9);
        // 地 (di) vs 敝 (bi): same final only.
        assert!((readings_sim(&r('地'), &r('敝')) - 0.5).abs() < 1e-9);
        // 你 vs 不: unrelated.
        assert_eq!(readings_sim(&r('你'), &r('不')), 0.0);
        // Simplified and Traditional forms share readings.
        assert!(readings_sim(&r('点'), &r('點')) >= 0.95);
    }

    #[test]
    fn english_words_by_sound_with_boundaries() {
        let s = |a: &str, b: &str| word_sim(a, &english_key(a), b, &english_key(b));
        assert_eq!(s("hi", "this"), 0.0);
        assert_eq!(s("calling", "waiting"), 0.0);
        assert!(s("welfare", "wellpaired") >= 0.5);
        assert!(s("children", "childrens") >= 0.9);
        assert!(s("phone", "fone") >= 0.85);
        assert!(s("hsu", "sue") >= 0.85);
        assert!(s("bye", "by") < 0.9);
        // A long word misspelt by sound counts as said, a short one only nearly.
        assert!(s("passbook", "pesbuk") >= 0.9);
        assert!(s("friday", "fried") < 0.9);
        assert!(s("passbook", "passport") < 0.9);
    }

    #[test]
    fn taiwanese_mergers_score_above_other_near_pairs() {
        // 存摺 heard as 純正: c/ch is one sound in Taiwan, zhe/zheng only a nasal apart.
        assert!((readings_sim(&r('存'), &r('純')) - 0.9).abs() < 1e-9);
        assert!((readings_sim(&r('摺'), &r('正')) - 0.8).abs() < 1e-9);
        assert!((readings_sim(&r('是'), &r('四')) - 0.9).abs() < 1e-9);
        assert!((readings_sim(&r('生'), &r('森')) - 0.8).abs() < 1e-9);
        // Other near pairs stay at 0.8; different sounds stay apart.
        assert!((readings_sim(&r('南'), &r('蘭')) - 0.8).abs() < 1e-9);
        assert_eq!(readings_sim(&r('款'), &r('摺')), 0.0);
        assert_eq!(readings_sim(&r('二'), &r('按')), 0.0);
    }

    #[test]
    fn names_by_outline() {
        let n = |a: &str, b: &str| name_sounds_like(a, &english_key(a), b, &english_key(b));
        assert!(n("cheng", "jen"));
        assert!(n("cheng", "chang"));
        assert!(n("cheng", "changspeaking"));
        assert!(n("hsu", "she"));
        assert!(n("lin", "lynn"));
        assert!(!n("lin", "lee"));
        assert!(n("grace", "great"));
        assert!(!n("cheng", "kang"));
        assert!(!n("yang", "morning"));
        assert!(!n("wang", "lee"));
    }
}
