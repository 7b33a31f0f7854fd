//! Guards against Whisper's known failure modes on telephone audio: text invented during
//! silence, ringback or hold (subtitle credits, "Thank you for watching"), and repetition
//! loops ("哦 哦 哦 哦…"). Invented text is kept but marked, so a reviewer can see what was
//! set aside; a segment that is mostly a loop is dropped and counted.

use crate::audio::Region;

/// Phrases Whisper produces from its subtitle-heavy training data rather than from the audio.
/// Matched case-insensitively as substrings; Simplified and Traditional forms both listed
/// because the guard may run before or after conversion.
const HALLUCINATIONS: &[&str] = &[
    "字幕",
    "訂閱",
    "订阅",
    "點讚",
    "点赞",
    "按讚",
    "按赞",
    "打賞",
    "打赏",
    "小鈴鐺",
    "小铃铛",
    "請不吝",
    "请不吝",
    "感謝觀看",
    "感谢观看",
    "謝謝觀看",
    "谢谢观看",
    "謝謝收看",
    "谢谢收看",
    "明鏡",
    "明镜",
    "amara.org",
    "thank you for watching",
    "thanks for watching",
    "thank you so much for watching",
    "please subscribe",
    "like and subscribe",
    "subtitles by",
    "captions by",
    "transcribed by",
    "transcript by",
    "[blank_audio]",
    "[music]",
    "(music)",
    "(bell)",
    "♪",
];

/// True when `text` contains a known hallucination or is only a bracketed sound label such
/// as "(Bell)", "[音樂]" or "（笑）".
pub fn is_known_hallucination(text: &str) -> bool {
    let lower = text.to_lowercase();
    if HALLUCINATIONS.iter().any(|h| lower.contains(h)) {
        return true;
    }
    let t = lower.trim().trim_end_matches(['.', '。', '!', '！']);
    let opens = ['(', '[', '（', '【', '*'];
    let closes = [')', ']', '）', '】', '*'];
    let chars: Vec<char> = t.chars().collect();
    chars.len() >= 2
        && opens.contains(&chars[0])
        && closes.contains(&chars[chars.len() - 1])
        && !chars[1..chars.len() - 1].iter().any(|c| closes.contains(c))
}

/// A run of one unit (a CJK character, a word, or a short phrase of them) repeated back to
/// back.
#[derive(Debug, Clone, PartialEq)]
pub struct Loop {
    /// Byte range of the whole run in the text.
    pub range: std::ops::Range<usize>,
    /// Byte offset where the second repetition starts.
    pub second: usize,
    /// Units in one repetition and how many repetitions.
    pub period: usize,
    pub repeats: usize,
    /// Fraction of the text's units inside the run.
    pub coverage: f64,
}

/// Units of text with their byte ranges: each CJK (or other non-ASCII letter) character alone,
/// each run of ASCII letters/digits as one word; punctuation and spaces are not units.
fn units(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphanumeric() || c == '\'' {
            word.get_or_insert(i);
            continue;
        }
        if let Some(w) = word.take() {
            out.push((w..i, &text[w..i]));
        }
        if c.is_alphanumeric() {
            out.push((i..i + c.len_utf8(), &text[i..i + c.len_utf8()]));
        }
    }
    if let Some(w) = word {
        out.push((w..text.len(), &text[w..]));
    }
    out
}

/// The longest repetition run in `text`, if it is long enough to be a decoding loop rather
/// than speech ("好好好" and "對對對對" are speech; six "哦" or four "請問您" are not).
pub fn find_loop(text: &str) -> Option<Loop> {
    let u = units(text);
    let lower: Vec<String> = u.iter().map(|(_, s)| s.to_lowercase()).collect();
    let mut best: Option<Loop> = None;
    for period in 1..=8.min(lower.len() / 2) {
        let mut i = 0;
        while i + 2 * period <= lower.len() {
            let mut repeats = 1;
            while i + (repeats + 1) * period <= lower.len()
                && lower[i..i + period] == lower[i + repeats * period..i + (repeats + 1) * period]
            {
                repeats += 1;
            }
            let needed = if period == 1 { 6 } else { 4 };
            let covered = repeats * period;
            if repeats >= needed && best.as_ref().is_none_or(|b| covered > b.period * b.repeats) {
                best = Some(Loop {
                    range: u[i].0.start..u[i + covered - 1].0.end,
                    second: u[i + period].0.start,
                    period,
                    repeats,
                    coverage: covered as f64 / lower.len() as f64,
                });
            }
            i += if repeats > 1 {
                (repeats - 1) * period
            } else {
                1
            };
        }
    }
    best
}

/// What to do with a segment after the loop check.
#[derive(Debug, Clone, PartialEq)]
pub enum LoopVerdict {
    /// No loop: keep as is.
    Clean,
    /// A loop in part of the text: keep the text with the run cut to one repetition.
    Trimmed(String),
    /// Mostly loop: drop the segment.
    Drop,
}

/// Decides on a segment's text: loops covering at least half of it drop it.
pub fn check_loop(text: &str) -> LoopVerdict {
    match find_loop(text) {
        None => LoopVerdict::Clean,
        Some(l) if l.coverage >= 0.5 => LoopVerdict::Drop,
        Some(l) => {
            let trimmed = format!("{}{}", &text[..l.second], &text[l.range.end..]);
            LoopVerdict::Trimmed(trimmed.trim_end().to_string())
        }
    }
}

/// Fraction of `start..end` covered by `regions` (sorted or not, possibly overlapping each
/// other only if the audio stage produced them that way; overlaps are not double counted
/// because regions of one party do not overlap).
pub fn speech_overlap(start: f64, end: f64, regions: &[Region]) -> f64 {
    let len = end - start;
    if len <= 0.0 {
        // A zero-length segment counts as heard if it sits inside speech.
        return if regions.iter().any(|r| r.start <= start && start <= r.end) {
            1.0
        } else {
            0.0
        };
    }
    let covered: f64 = regions
        .iter()
        .map(|r| (end.min(r.end) - start.max(r.start)).max(0.0))
        .sum();
    (covered / len).min(1.0)
}

/// Shortest speech region worth hearing again when Whisper skipped it: shorter ones are
/// mostly a breath, a click or a one-syllable backchannel.
const UNTOUCHED_MIN_SECONDS: f64 = 0.5;
/// Share of a region that text must cover for the region to count as heard.
const TOUCHED_SHARE: f64 = 0.2;

/// The regions of `speech` (one side's) that no `kept` segment overlaps much: speech Whisper
/// never decoded.
pub fn untouched(speech: &[Region], kept: &[Region]) -> Vec<Region> {
    speech
        .iter()
        .filter(|r| {
            let len = r.end - r.start;
            len >= UNTOUCHED_MIN_SECONDS
                && kept
                    .iter()
                    .map(|k| (r.end.min(k.end) - r.start.max(k.start)).max(0.0))
                    .sum::<f64>()
                    < TOUCHED_SHARE * len
        })
        .copied()
        .collect()
}

/// Letters and digits in `text` (what garbage ratios are counted in).
pub fn weight(text: &str) -> usize {
    units(text).iter().map(|(_, s)| s.chars().count()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_no_text_touches_is_untouched() {
        let r = |start, end| Region { start, end };
        let speech = [r(1.0, 4.0), r(10.0, 13.0), r(20.0, 20.3), r(30.0, 35.0)];
        // The first region is heard, the third too short to matter; the fourth is only
        // grazed by a segment running 0.5 s into it.
        let kept = [r(0.8, 4.1), r(25.0, 30.5)];
        assert_eq!(
            untouched(&speech, &kept),
            vec![r(10.0, 13.0), r(30.0, 35.0)]
        );
        assert_eq!(untouched(&speech[..1], &kept), Vec::<Region>::new());
    }

    #[test]
    fn subtitle_credits_and_sound_labels_are_hallucinations() {
        for t in [
            "(字幕:JP)",
            "(Bell)",
            "請按讚訂閱",
            "字幕由Amara.org社群提供",
            "Thank you for watching!",
            "[音樂]",
            "（笑）",
            "♪♪",
        ] {
            assert!(is_known_hallucination(t), "{t}");
        }
        for t in [
            "兒童福利服務中心，您好。",
            "Thank you for calling.",
            "請問(您)貴姓？",
            "Thank you.",
        ] {
            assert!(!is_known_hallucination(t), "{t}");
        }
    }

    #[test]
    fn loops_are_found_but_ordinary_repetition_is_not() {
        assert_eq!(check_loop("哦 哦 哦 哦 哦 哦 哦 哦"), LoopVerdict::Drop);
        assert_eq!(check_loop("請問您請問您請問您請問您"), LoopVerdict::Drop);
        assert_eq!(check_loop("no no no no no no no"), LoopVerdict::Drop);
        assert_eq!(check_loop("好好好，謝謝。"), LoopVerdict::Clean);
        assert_eq!(check_loop("對對對對，沒錯。"), LoopVerdict::Clean);
        assert_eq!(check_loop("Thank you, thank you."), LoopVerdict::Clean);
        let l = find_loop("我幫您查一下，嗯嗯嗯嗯嗯嗯嗯嗯").unwrap();
        assert_eq!((l.period, l.repeats), (1, 8));
    }

    #[test]
    fn a_partial_loop_is_cut_to_one_repetition() {
        let text = "您好，這裡是兒童福利服務中心，請問您有什麼事情需要協助，好的好的好的好的";
        match check_loop(text) {
            LoopVerdict::Trimmed(t) => assert_eq!(
                t,
                "您好，這裡是兒童福利服務中心，請問您有什麼事情需要協助，好的"
            ),
            other => panic!("expected a trim, got {other:?}"),
        }
    }

    #[test]
    fn overlap_with_speech_is_a_fraction_of_the_segment() {
        let speech = [
            Region {
                start: 0.0,
                end: 1.0,
            },
            Region {
                start: 2.0,
                end: 3.0,
            },
        ];
        assert!((speech_overlap(0.5, 2.5, &speech) - 0.5).abs() < 1e-9);
        assert_eq!(speech_overlap(5.0, 6.0, &speech), 0.0);
        assert_eq!(speech_overlap(2.5, 2.5, &speech), 1.0);
        assert_eq!(weight("您好, hello!"), 7);
    }
}
