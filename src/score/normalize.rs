//! Text folding applied to both sides of every comparison: full-width → half-width,
//! lower case, Simplified → Traditional (rubric authors may type Simplified; Whisper may emit
//! it), Chinese numerals → digits. Punctuation is dropped later by the tokenizer.

use super::numbers::zh_numerals_to_digits;
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use std::sync::OnceLock;

/// Full-width ASCII forms and the ideographic space become their ASCII twins; letters are
/// lower-cased.
pub fn fold_width_and_case(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// True for the CJK ideograph blocks Mandarin transcripts use.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

fn converter() -> Option<&'static OpenCC> {
    // Built once per process: the dictionaries are compiled into the crate, so this cannot
    // fail in practice; if it ever does, matching still works on pinyin, which is script-blind.
    static CELL: OnceLock<Option<OpenCC>> = OnceLock::new();
    CELL.get_or_init(|| OpenCC::from_config(BuiltinConfig::S2t).ok())
        .as_ref()
}

/// Simplified → Traditional characters. Text without Han characters is returned unchanged.
pub fn to_traditional(text: &str) -> String {
    if !text.chars().any(is_han) {
        return text.to_string();
    }
    match converter() {
        Some(cc) => cc.convert(text),
        None => text.to_string(),
    }
}

/// The full fold: width, case, script, Chinese numerals.
pub fn normalize_text(text: &str) -> String {
    let folded = fold_width_and_case(text);
    let trad = to_traditional(&folded);
    zh_numerals_to_digits(&trad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_script_numerals() {
        assert_eq!(fold_width_and_case("ＡＢＣ１２３：　Hi"), "abc123: hi");
        assert_eq!(
            to_traditional("请稍候，谢谢您的来电"),
            "請稍候，謝謝您的來電"
        );
        assert_eq!(to_traditional("Thank you"), "Thank you");
        assert_eq!(normalize_text("八点半"), "8點半");
        assert_eq!(normalize_text("儿童福利服务中心"), "兒童福利服務中心");
    }
}
