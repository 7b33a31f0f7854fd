//! A question for the caller's name in words the rubric does not list: "Could I get your
//! name?", "And your surname is?", 請問您大名, 不知道您方便留個姓名嗎. The rubric's phrases are
//! the usual wordings; staff ask in many others, and a scorer reading the form's title counts
//! them all.
//!
//! A clause asks for the caller's name when it holds a word for a name that belongs to the
//! person spoken to: an honorific that can only mean theirs (貴姓, 大名, 尊姓), or a plain word
//! (姓名, 名字, 稱呼, "name", "surname") in a clause addressed to them (您, 你, 請問; "your name").
//! A name that belongs to someone else is no such question: 孩子的名字, 小朋友叫什麼名字 and
//! "your child's name" ask for the child's, 我的名字 and "my name" give the staff's own.

use super::{Ctx, Found};
use crate::score::rubric::{Language, Phrase};
use crate::score::tokens::Tok;

/// Honorifics for a name: said only of the listener's.
const ZH_HONORIFIC: &[&str] = &["貴姓", "大名", "尊姓", "芳名"];
/// Plain words for a name or for how to address someone.
const ZH_PLAIN: &[&str] = &["姓名", "名字", "稱呼", "姓什麼"];
/// Second person: the clause is addressed to the caller.
const ZH_YOU: &[char] = &['您', '你'];
const EN_NAME: &[&str] = &["name", "surname"];
/// Which of a person's names: may stand between "your" and "name".
const EN_WHICH: &[&str] = &["full", "first", "last", "family", "given"];

/// The clauses of the staff's speech that ask for the caller's name, as matches of `phrase`
/// (the criterion's first phrase, which stands for the question in the evidence).
pub(super) fn name_questions<'p>(cx: &Ctx, phrase: &'p Phrase) -> Vec<Found<'p>> {
    let mut out = Vec::new();
    for (i, u) in cx.staff.utts.iter().enumerate() {
        for (a, b) in u.clauses() {
            let clause = &u.toks[a..b];
            let asks = match cx.lang() {
                Language::Zh => zh_asks(clause),
                Language::En => en_asks(clause),
            };
            if asks {
                out.push(Found::new(phrase, i, u, (a, b), 1.0));
            }
        }
    }
    out
}

fn zh_asks(clause: &[Tok]) -> bool {
    // Han characters only; anything else breaks the text so no word is read across it.
    let text: Vec<char> = clause
        .iter()
        .map(|t| match t {
            Tok::Han { ch, .. } => *ch,
            _ => ' ',
        })
        .collect();
    let find = |word: &str| -> Option<usize> {
        let w: Vec<char> = word.chars().collect();
        text.windows(w.len()).position(|x| x == w.as_slice())
    };
    if ZH_HONORIFIC.iter().any(|w| find(w).is_some()) {
        return true;
    }
    let addressed = text.iter().any(|c| ZH_YOU.contains(c)) || find("請問") == Some(0);
    ZH_PLAIN.iter().filter_map(|w| find(w)).any(|at| {
        let before = &text[..at];
        // Whose name: the one before the nearest 的 or 叫 (孩子的名字, 小朋友叫什麼名字,
        // 你叫什麼名字), or 我 right before it.
        let owner = match before.iter().rposition(|c| matches!(c, '的' | '叫')) {
            Some(k) => k.checked_sub(1).map(|k| before[k]),
            None => before.last().copied().filter(|&c| c == '我'),
        };
        addressed && owner.is_none_or(|o| ZH_YOU.contains(&o))
    })
}

fn en_asks(clause: &[Tok]) -> bool {
    let words: Vec<Option<&str>> = clause
        .iter()
        .map(|t| match t {
            Tok::Word(w) if !w.clitic => Some(w.text.as_str()),
            _ => None,
        })
        .collect();
    (0..words.len()).any(|i| {
        words[i].is_some_and(|w| EN_NAME.contains(&w))
            // "your name", "your full name"; not "your child's name".
            && (i >= 1 && words[i - 1] == Some("your")
                || i >= 2
                    && words[i - 2] == Some("your")
                    && words[i - 1].is_some_and(|w| EN_WHICH.contains(&w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::tokens::tokenize;

    fn zh(s: &str) -> bool {
        zh_asks(&tokenize(s))
    }

    fn en(s: &str) -> bool {
        en_asks(&tokenize(s))
    }

    #[test]
    fn mandarin_questions_for_the_callers_name() {
        for s in [
            "請問您大名",
            "不知道您方便留個姓名嗎",
            "您怎麼稱呼",
            "請問姓名",
            "你叫什麼名字",
            "方便給我您的名字嗎",
            "請問您貴姓",
        ] {
            assert!(zh(s), "{s}");
        }
        for s in [
            "孩子的名字要寫在表上",
            "我的名字是林小文",
            "報名要帶證件",
            "名字寫這裡就好",
            "請問孩子的姓名",
        ] {
            assert!(!zh(s), "{s}");
        }
    }

    #[test]
    fn english_questions_for_the_callers_name() {
        for s in [
            "Could I get your name",
            "And your surname is",
            "May I have your full name",
        ] {
            assert!(en(s), "{s}");
        }
        for s in [
            "My name is Dana",
            "What is your child's name",
            "the name of the center",
        ] {
            assert!(!en(s), "{s}");
        }
    }
}
