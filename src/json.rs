//! JSON for people and terminals: every document pitcrew prints or writes
//! (plans, results, reports, `classify` lines) goes through here.
//!
//! serde_json escapes only C0 controls inside strings. A test name or a
//! plugin's message can still carry C1 controls (U+009B is CSI to some
//! terminals), DEL, direction overrides, line separators or zero-width
//! characters, which reach the screen raw when someone `cat`s the file or
//! reads `pitcrew plan` on stdout. Here those become `\uXXXX` escapes. The
//! document parses to exactly the same values: only its bytes are inert.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter};

use crate::escape::is_unsafe;

/// `value` as indented JSON, with unsafe characters escaped.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    render(value, Inert(PrettyFormatter::new()))
}

/// `value` as one line of JSON, with unsafe characters escaped.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    render(value, Inert(CompactFormatter))
}

/// Writes `value` as one line of JSON (no newline), with unsafe characters
/// escaped.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, Inert(CompactFormatter));
    value.serialize(&mut serializer)
}

fn render<T: Serialize + ?Sized, F: Formatter>(
    value: &T,
    formatter: F,
) -> serde_json::Result<String> {
    let mut bytes = Vec::with_capacity(256);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut bytes, formatter,
    ))?;
    // Both serde_json and `Inert` write only UTF-8.
    String::from_utf8(bytes).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

/// A formatter that lays out JSON as `F` does and escapes what `F` would
/// write raw inside strings.
struct Inert<F>(F);

impl<F: Formatter> Formatter for Inert<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..at])?;
                // One `\uXXXX` per UTF-16 unit: a surrogate pair beyond the
                // Basic Multilingual Plane (tag characters), else `\ue0041`
                // read back as U+E004 and a `1` (round 63). C0 never gets
                // here (serde_json escapes it before calling this).
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{:04x}", unit)?;
                }
                start = at + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        self.0.write_char_escape(w, escape)
    }

    // Layout: whatever `F` does.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    /// C1 CSI, DEL, a direction override, a line separator, a zero-width
    /// joiner and a BOM, in a key and in a value, next to text that must
    /// stay as it is (accents, CJK, an emoji outside the BMP).
    fn hostile() -> Value {
        json!({
            "name\u{9b}31m": "ok é 測試 🦀 \u{9b}2J\u{7f}\u{202e}gpj.exe\u{2028}x\u{200d}\u{feff}",
            "nested": [{"msg": "\u{85}line\u{1b}[31m"}],
            // Beyond the Basic Multilingual Plane: a surrogate pair each.
            "tags": "A\u{e0041}B\u{1d173}C\u{1bca0}D",
        })
    }

    fn assert_inert(text: &str) {
        for c in text.chars() {
            assert!(
                !crate::escape::is_unsafe(c) || c == '\n',
                "{c:?} raw in {text:?}"
            );
        }
    }

    #[test]
    fn unsafe_characters_are_escaped_and_the_values_survive() {
        for text in [
            super::to_string_pretty(&hostile()).unwrap(),
            super::to_string(&hostile()).unwrap(),
            {
                let mut line = Vec::new();
                super::to_writer(&mut line, &hostile()).unwrap();
                String::from_utf8(line).unwrap()
            },
        ] {
            assert_inert(&text);
            assert!(
                text.contains(r"\u009b2J\u007f\u202egpj.exe\u2028x\u200d\ufeff"),
                "{text}"
            );
            assert!(text.contains("ok é 測試 🦀 "), "{text}");
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), hostile());
        }
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // serde_json's own layout is what is compared
    fn the_layout_is_serde_jsons() {
        let plain = json!({"a": [1, {"b": "c"}], "d": null, "e": "f\"g\\h\n"});
        assert_eq!(
            super::to_string_pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
        assert_eq!(
            super::to_string(&plain).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
    }
}
