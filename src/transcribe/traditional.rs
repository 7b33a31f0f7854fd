//! Simplified → Traditional characters, Taiwan forms (OpenCC's `s2tw`): characters only, never
//! vocabulary (`s2twp` would turn 软件 into 軟體; scoring must see what was said). Whisper's
//! Mandarin output mixes scripts even with a Traditional prompt, so every Mandarin segment
//! passes through here. Already-Traditional text comes out unchanged.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use std::sync::OnceLock;

static S2TW: OnceLock<Result<OpenCC, String>> = OnceLock::new();

/// Converts `text` to Traditional characters (Taiwan standard forms).
///
/// The dictionaries are embedded in the binary, so failure means a broken build; the error
/// says so.
pub fn to_traditional(text: &str) -> Result<String, String> {
    let converter = S2TW.get_or_init(|| {
        OpenCC::from_config(BuiltinConfig::S2tw).map_err(|e| {
            format!(
                "the built-in Simplified→Traditional tables failed to load ({e}); rebuild callgrade"
            )
        })
    });
    let converted = match converter {
        Ok(c) => c.convert(text),
        Err(e) => return Err(e.clone()),
    };
    Ok(full_width_punctuation(&keep_taiwan_forms(text, converted)))
}

/// Whisper often writes ASCII `,` `?` `!` in Mandarin; Traditional text uses full-width marks.
/// Only marks right after a CJK character change, so "3.5" and English words stay as they are.
fn full_width_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_han = false;
    for c in text.chars() {
        let mapped = match c {
            ',' if after_han => '，',
            '?' if after_han => '？',
            '!' if after_han => '！',
            ';' if after_han => '；',
            ':' if after_han => '：',
            '.' if after_han => '。',
            other => other,
        };
        after_han = ('\u{4e00}'..='\u{9fff}').contains(&c);
        out.push(mapped);
    }
    out
}

/// OpenCC writes 台 as 臺 (the formal form); Taiwanese agencies and our rubrics write 服務台,
/// 台北. Where Whisper already wrote 台, keep it (台風 → 颱風 and the like still convert).
fn keep_taiwan_forms(original: &str, converted: String) -> String {
    if !original.contains('台') || original.chars().count() != converted.chars().count() {
        return converted;
    }
    original
        .chars()
        .zip(converted.chars())
        .map(|(o, c)| if o == '台' && c == '臺' { o } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::to_traditional;

    #[test]
    fn characters_change_but_vocabulary_does_not() {
        assert_eq!(to_traditional("请问您贵姓").unwrap(), "請問您貴姓");
        assert_eq!(
            to_traditional("儿童福利服务中心").unwrap(),
            "兒童福利服務中心"
        );
        // s2twp would say 軟體 and 資訊; s2tw keeps the words and changes only the characters.
        assert_eq!(to_traditional("软件信息").unwrap(), "軟件信息");
        assert_eq!(to_traditional("台风").unwrap(), "颱風");
        assert_eq!(
            to_traditional("五安,您好!一小时3.5元?OK, bye.").unwrap(),
            "五安，您好！一小時3.5元？OK, bye."
        );
        let already = "謝謝您的來電，再見。請您到一樓服務台。";
        assert_eq!(to_traditional(already).unwrap(), already);
    }
}
