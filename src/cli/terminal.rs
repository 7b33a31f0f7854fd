//! Everything the CLI shows a person goes through here: text from manifests and reviewers
//! (names, file names, reasons) is made harmless for a terminal, and a reader that went away
//! (`callgrade model list | head`) ends the command quietly instead of a panic.

use std::borrow::Cow;
use std::io::Write;

/// `text` with terminal control characters and bidirectional-override marks shown as
/// `\u{…}` escapes. An ESC from a manifest could otherwise recolour or rewrite the screen, and a
/// right-to-left override can make a file name read as another one.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unsafe(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes human-readable text to standard output.
pub fn out(text: &str) -> std::io::Result<()> {
    std::io::stdout().lock().write_all(clean(text).as_bytes())
}

/// Writes a line for a person to standard error.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", clean(line));
}

/// Whether a failed command only lost its reader: `… | head` closing the pipe is a normal end.
pub fn reader_went_away(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The message of `e` and each cause not already quoted in it. Most of callgrade's messages
/// embed their cause so that they read as one sentence; printing the chain as well said every
/// cause twice.
pub fn error_message(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if message.contains(text.trim()) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(clean("林小姐"), "林小姐");
        assert_eq!(clean("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean("call\u{202e}vaw.exe"), "call\\u{202e}vaw.exe");
        assert_eq!(clean("two\nlines\tok"), "two\nlines\tok");
        assert_eq!(clean("\u{9b}31m"), "\\u{9b}31m");
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(io).context("x.toml: cannot read the file (No such file)");
        assert_eq!(
            error_message(&e),
            "x.toml: cannot read the file (No such file)"
        );
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(io).context("cannot read the Whisper model");
        assert_eq!(
            error_message(&e),
            "cannot read the Whisper model: No such file"
        );
    }
}
