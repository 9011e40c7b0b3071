//! XML 1.0 escaping for the JUnit reports pitcrew writes itself.
//!
//! Both functions replace the five special characters with entity
//! references and drop every character XML 1.0 does not allow at all (C0
//! controls other than tab, newline and carriage return, and U+FFFE/U+FFFF),
//! so arbitrary test output always yields a well-formed document; the ones
//! it allows but a terminal would obey (C1, DEL, direction overrides) are
//! written as character references, inert on screen and the same text to
//! a parser.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether XML 1.0 allows `c` in a document:
/// `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`
/// (Rust `char`s are never surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `text` for element content: `&`, `<`, `>`, `"` and `'` become
/// entity references, characters illegal in XML 1.0 are dropped. Borrows
/// when nothing needs changing.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Escapes `value` for a double- or single-quoted attribute: as
/// [`escape_text`], and tab, newline and carriage return become character
/// references so attribute-value normalisation does not turn them into
/// spaces.
pub fn escape_attr(value: &str) -> Cow<'_, str> {
    escape(value, true)
}

/// Characters XML allows that a terminal or an editor would act on or
/// display misleadingly (C1 controls such as U+009B, DEL, direction
/// overrides, line separators, zero-width characters): written as
/// character references, which a parser reads back as the same text.
fn shown_as_reference(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && is_xml_char(c) && crate::escape::is_unsafe(c)
}

fn escape(text: &str, attribute: bool) -> Cow<'_, str> {
    let needs_work = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'' | '\r')
            || !is_xml_char(c)
            || (attribute && matches!(c, '\t' | '\n'))
            || shown_as_reference(c)
    };
    if !text.chars().any(needs_work) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            // A parser reads a raw CR as a newline: the reference keeps it.
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => {}
            c if shown_as_reference(c) => {
                let _ = write!(out, "&#x{:x};", c as u32);
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
        assert!(matches!(escape_text("héllo wörld 🎉"), Cow::Borrowed(_)));
        assert!(matches!(escape_attr("TestA/sub_1"), Cow::Borrowed(_)));
    }

    #[test]
    fn special_characters_become_entities() {
        assert_eq!(
            escape_text(r#"a & b < c > d "e" 'f'"#),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
        assert_eq!(escape_text("&amp;"), "&amp;amp;");
    }

    #[test]
    fn illegal_characters_are_stripped() {
        assert_eq!(
            escape_text("a\u{0}b\u{1b}[31mc\u{8}d\u{b}\u{c}e\u{fffe}\u{ffff}f"),
            "ab[31mcdef"
        );
        // Legal oddities are kept; those a terminal would obey, and CR
        // (which a parser would read as a newline), as references.
        assert_eq!(
            escape_text("\u{7f}\u{85}\u{9b}\u{202e}\u{2028}\u{200b}\u{fffd}\u{10ffff}\t\n\r"),
            "&#x7f;&#x85;&#x9b;&#x202e;&#x2028;&#x200b;\u{fffd}\u{10ffff}\t\n&#13;"
        );
    }

    #[test]
    fn attribute_whitespace_is_preserved_as_references() {
        assert_eq!(escape_attr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(escape_text("a\tb\nc\rd"), "a\tb\nc&#13;d");
    }

    #[test]
    fn xml_char_ranges() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fffd}',
            '\u{10000}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in ['\u{0}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }
}
