//! Escaping of untrusted text (plugin output, test output, names) before it
//! reaches a log line or a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Replaces every control character (C0, DEL, C1: newlines, tabs, ANSI
/// escapes included) with a visible escape such as `\n` or `\u{1b}`, so
/// untrusted text can neither forge log lines nor drive the terminal.
/// Borrows when there is nothing to escape.
pub fn control_chars(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(control_chars("héllo wörld"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            control_chars("a\nb\r\t\u{1b}[31mred\u{7f}\u{9b}"),
            "a\\nb\\r\\t\\u{1b}[31mred\\u{7f}\\u{9b}"
        );
    }
}
