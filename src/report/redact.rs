//! Removing personal data from free text (transcripts, quotes, reasons) before it leaves the
//! office: Taiwan ID numbers, phone numbers, e-mail addresses and the names of the staff,
//! written or read out (`spoken`), and names as Whisper mishears them (`names`).
//!
//! Patterns err on the side of redacting: a long run of digits that is not a known shape is
//! still treated as a phone number, because a leaked number costs more than a lost date.

mod names;
mod spoken;

use regex::Regex;
use std::ops::Range;
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
        // Any other run of 8 or more digits, also spoken as Chinese numerals, maybe spaced or
        // read in groups with Chinese commas (零九一二，三四五，六七八). ASCII dashes are not
        // separators here, so dates (2026-10-05) stay.
        format!(r"{DIGIT}(?:[\s，、]?{DIGIT}){{7,}}"),
    ];
    Regex::new(&patterns.join("|")).expect("valid phone pattern")
});

/// `text` with ID numbers, phone numbers, e-mail addresses and any of `names` replaced by
/// [`ID_TAG`], [`PHONE_TAG`], [`EMAIL_TAG`] and [`NAME_TAG`].
///
/// Phone numbers and addresses are also found when read out ("oh nine one two …",
/// "service at kcg dot gov dot tw"). Names are matched as written and by their parts (the
/// words of a Latin name, any case; the given name of a Chinese one), by sound ("Lynn" for
/// "Lin", 林美花 for 林美華), as a surname with a title (林主任, 林小姐), and the surname
/// after a self-introduction (敝姓林 → 敝姓[NAME]) whoever's it is.
pub fn redact<S: AsRef<str>>(text: &str, names: &[S]) -> String {
    let text = replace_spans(text, spoken::spoken_email_spans(text), EMAIL_TAG);
    let text = EMAIL.replace_all(&text, EMAIL_TAG);
    let text = replace_spans(&text, bounded_matches(&NATIONAL_ID, &text), ID_TAG);
    let text = replace_spans(&text, bounded_matches(&PHONE, &text), PHONE_TAG);
    let text = replace_spans(&text, spoken::spoken_phone_spans(&text), PHONE_TAG);
    replace_spans(&text, names::name_spans(&text, names), NAME_TAG)
}

/// Matches of `re` that are not glued to other ASCII letters or digits, so that
/// "A123456789" inside a longer code or "Amy" inside "Amyloid" stays.
fn bounded_matches(re: &Regex, text: &str) -> Vec<Range<usize>> {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    re.find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let s = m.as_str();
            let first_word = glued(s.chars().next());
            let last_word = glued(s.chars().next_back());
            !((first_word && glued(before)) || (last_word && glued(after)))
        })
        .map(|m| m.range())
        .collect()
}

/// `text` with every byte range in `spans` replaced by `tag`; overlapping ranges become one.
fn replace_spans(text: &str, mut spans: Vec<Range<usize>>, tag: &str) -> String {
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in spans {
        if r.end <= last {
            continue;
        }
        if r.start >= last {
            out.push_str(&text[last..r.start]);
            out.push_str(tag);
        }
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
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
        assert_eq!(
            redact("敝姓林，我是林美華", &names),
            "敝姓[NAME]，我是[NAME]"
        );
        assert_eq!(
            redact("美華您好，請找林小姐", &names),
            "[NAME]您好，請找[NAME]"
        );
        assert_eq!(redact("王小姐在嗎", &names), "[NAME]在嗎");
        assert_eq!(redact("Amy  Chen", &names), "[NAME]");
    }

    #[test]
    fn phones_read_out_in_english_words_are_tagged() {
        for (text, want) in [
            (
                "call oh seven, three three four, five six seven eight today",
                "call [PHONE] today",
            ),
            (
                "zero nine one two three four five six seven eight",
                "[PHONE]",
            ),
            ("Zero nine one two-345-678.", "[PHONE]."),
            (
                "it's oh two double three four five six seven",
                "it's [PHONE]",
            ),
            (
                "請撥 oh nine one two, three four five, six seven eight",
                "請撥 [PHONE]",
            ),
        ] {
            assert_eq!(redact(text, &NONE), want, "{text}");
        }
    }

    #[test]
    fn short_counts_times_and_bare_numbers_in_words_stay() {
        for text in [
            "please bring 2 documents, one or two forms",
            "we open at 9:30 and close at five thirty",
            "room three oh five, floor two",
            "nine o'clock, one moment please",
            "line one, two, three",
        ] {
            assert_eq!(redact(text, &NONE), text);
        }
    }

    #[test]
    fn phones_in_chinese_numerals_read_in_groups_are_tagged() {
        assert_eq!(redact("手機零九一二，三四五，六七八", &NONE), "手機[PHONE]");
        assert_eq!(redact("電話是零七、三三四五六七八", &NONE), "電話是[PHONE]");
        assert_eq!(redact("第一二三名", &NONE), "第一二三名");
    }

    #[test]
    fn emails_read_out_are_tagged() {
        for (text, want) in [
            (
                "write to service at kcg dot gov dot tw thanks",
                "write to [EMAIL] thanks",
            ),
            (
                "the address is at kcg dot gov dot tw",
                "the address is [EMAIL]",
            ),
            ("e-mail us at kcg dot gov dot tw", "e-mail us [EMAIL]"),
            ("amy dot chen at kcg dot gov dot tw", "[EMAIL]"),
            ("寄到 service 小老鼠 kcg 點 gov 點 tw", "寄到 [EMAIL]"),
            ("mail service@kcg dot gov dot tw", "mail [EMAIL]"),
        ] {
            assert_eq!(redact(text, &NONE), want, "{text}");
        }
        for text in [
            "look at the dot pattern",
            "see you at nine. Dot the form",
            "see you at noon. Co-workers too",
            "we are at home dot",
        ] {
            assert_eq!(redact(text, &NONE), text);
        }
    }

    #[test]
    fn names_heard_as_sound_alikes_are_tagged() {
        let names = ["David Lin", "林美華"];
        assert_eq!(
            redact("this is Lynn speaking", &names),
            "this is [NAME] speaking"
        );
        assert_eq!(redact("Mr Linn will call", &names), "Mr [NAME] will call");
        assert_eq!(
            redact("您好，林美花為您服務", &names),
            "您好，[NAME]為您服務"
        );
        assert_eq!(redact("我是臨美華", &names), "我是[NAME]");
        // Common words that share the sound key, and other words, stay.
        for text in [
            "please hold the line",
            "I am in the office",
            "林務局的美食",
            "美化環境",
        ] {
            assert_eq!(redact(text, &names), text);
        }
    }

    #[test]
    fn surnames_with_titles_and_after_self_introductions_are_tagged() {
        let names = ["林美華", "Grace Wu"];
        for (text, want) in [
            ("請找林主任", "請找[NAME]"),
            ("林課長不在", "[NAME]不在"),
            ("我是林社工師", "我是[NAME]"),
            ("玲小姐您好", "[NAME]您好"),
            ("林姐在嗎", "[NAME]在嗎"),
            ("敝姓林，很高興為您服務", "敝姓[NAME]，很高興為您服務"),
            ("我姓零", "我姓[NAME]"),
            // A caller's surname is personal data too.
            ("本人姓王，電話", "本人姓[NAME]，電話"),
            ("閉姓林", "閉姓[NAME]"),
            ("閉信林，很高興為您服務", "閉信[NAME]，很高興為您服務"),
            ("免貴姓陳", "免貴姓[NAME]"),
        ] {
            assert_eq!(redact(text, &names), want, "{text}");
        }
        for text in [
            "請找主任",
            "一位小姐",
            "森林很美",
            "姓名欄",
            "請留個人姓名",
            "請問您先生在嗎",
            "請問您貴姓大名",
            "我相信您",
        ] {
            assert_eq!(redact(text, &names), text);
        }
    }

    #[test]
    fn compound_surnames_are_masked_whole() {
        let names = ["歐陽美華"];
        assert_eq!(redact("敝姓歐陽", &names), "敝姓[NAME]");
        assert_eq!(redact("歐陽主任", &names), "[NAME]");
        assert_eq!(redact("我是歐陽美華", &names), "我是[NAME]");
    }

    #[test]
    fn titles_alone_are_not_name_parts() {
        assert_eq!(redact("Ms Wang or Lin", &["Ms Lin"]), "Ms Wang or [NAME]");
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
