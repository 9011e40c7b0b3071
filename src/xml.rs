//! XML 1.0 escaping for the JUnit reports pitcrew writes itself.
//!
//! Both functions replace the five special characters with entity
//! references and drop every character XML 1.0 does not allow at all (C0
//! controls other than tab, newline and carriage return, and U+FFFE/U+FFFF),
//! so arbitrary test output always yields a well-formed document.

use std::borrow::Cow;

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

fn escape(text: &str, attribute: bool) -> Cow<'_, str> {
    let needs_work = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'')
            || !is_xml_char(c)
            || (attribute && matches!(c, '\t' | '\n' | '\r'))
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
            '\r' if attribute => out.push_str("&#13;"),
            c if !is_xml_char(c) => {}
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
        // Legal oddities are kept.
        assert_eq!(
            escape_text("\u{7f}\u{85}\u{fffd}\u{10ffff}\t\n\r"),
            "\u{7f}\u{85}\u{fffd}\u{10ffff}\t\n\r"
        );
    }

    #[test]
    fn attribute_whitespace_is_preserved_as_references() {
        assert_eq!(escape_attr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(escape_text("a\tb\nc\rd"), "a\tb\nc\rd");
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
