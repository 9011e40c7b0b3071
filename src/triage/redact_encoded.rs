//! Secrets of a known shape hidden in an encoding that the rules don't
//! read: a token written as HTML numeric character references
//! (`&#103;&#104;&#112;_…`, as an HTML report or an escaping logger writes
//! it) or inside base64 (a dumped `Authorization` header, a config blob).
//! The values listed as secret are matched in those forms already (see
//! `value_forms`); these are the shapes no list names. A run of such an
//! encoding whose decoded text holds a secret is replaced whole: what it
//! hid can't be told from what it didn't without decoding it for the
//! reader.

use std::borrow::Cow;
use std::sync::LazyLock;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use regex::Regex;

use super::{REDACTED, redact_plain_shapes, rule};

/// Character references, at least four, with the plain characters a
/// secret's text may keep between them (`ghp_&#97;&#66;…`).
static ENTITY_RUN: LazyLock<Regex> =
    LazyLock::new(|| rule(r"(?:[\w+/=.:-]*&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});){4,}[\w+/=.:-]*"));

/// One character reference.
static ENTITY: LazyLock<Regex> =
    LazyLock::new(|| rule(r"&#(?:([0-9]{1,7})|[xX]([0-9a-fA-F]{1,6}));"));

/// Base64, either alphabet, long enough to hold a token (24 characters
/// decode to 18 bytes).
static BASE64_RUN: LazyLock<Regex> = LazyLock::new(|| rule(r"[A-Za-z0-9+/_-]{24,}={0,2}"));

/// Padding or none, and the last character's unused bits as they come:
/// base64 cut out of a longer text is seldom canonical.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

/// `text` with each run of character references or of base64 that hides a
/// secret replaced by [`REDACTED`].
pub(super) fn redact_encoded(mut text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains("&#") {
        redact_runs(&mut text, &ENTITY_RUN, decode_entities);
    }
    redact_runs(&mut text, &BASE64_RUN, decode_base64);
    text
}

/// Each match of `run` whose `decode`d text holds a secret replaced by
/// [`REDACTED`]. Most runs hide nothing (paths, identifiers, hashes): the
/// text is only copied once one does, and matched without captures.
fn redact_runs(text: &mut Cow<'_, str>, run: &Regex, decode: fn(&str) -> Option<String>) {
    let hides = |found: &str| {
        decode(found).is_some_and(|plain| redact_plain_shapes(Cow::Borrowed(&plain)) != plain)
    };
    let mut out: Option<String> = None;
    let mut last = 0;
    for found in run.find_iter(text) {
        if !hides(found.as_str()) {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[last..found.start()]);
        out.push_str(REDACTED);
        last = found.end();
    }
    if let Some(mut out) = out {
        out.push_str(&text[last..]);
        *text = Cow::Owned(out);
    }
}

/// `run` with every character reference decoded; None if one names no
/// character.
fn decode_entities(run: &str) -> Option<String> {
    let mut out = String::with_capacity(run.len());
    let mut last = 0;
    for c in ENTITY.captures_iter(run) {
        let whole = c.get(0)?;
        let code = match (c.get(1), c.get(2)) {
            (Some(decimal), _) => decimal.as_str().parse().ok()?,
            (_, Some(hex)) => u32::from_str_radix(hex.as_str(), 16).ok()?,
            _ => return None,
        };
        out.push_str(&run[last..whole.start()]);
        out.push(char::from_u32(code)?);
        last = whole.end();
    }
    out.push_str(&run[last..]);
    Some(out)
}

/// `run` decoded as base64 of UTF-8 text, in the alphabet its characters
/// say; None if it is not (a path, an identifier, a hash: most runs).
fn decode_base64(run: &str) -> Option<String> {
    // Hex (a hash, an `xxd -p` dump) is base64's alphabet too, but base64
    // of a secret's text is all hex digits about once in 10^19 at this
    // length: not decoded.
    if run.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let core = run.trim_end_matches('=');
    // A length of 4n+1 is no base64: the run ran on past its end.
    let core = match core.len() % 4 {
        1 => &core[..core.len() - 1],
        _ => core,
    };
    let engine = match core.contains(['-', '_']) {
        true if core.contains(['+', '/']) => return None,
        true => &URL_SAFE,
        false => &STANDARD,
    };
    let bytes = engine.decode(core).ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "ghp_aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3";

    fn entities(text: &str) -> String {
        text.chars()
            .map(|c| format!("&#{};", u32::from(c)))
            .collect()
    }

    #[test]
    fn a_token_in_character_references_is_redacted() {
        for hidden in [
            entities(TOKEN),
            TOKEN
                .chars()
                .map(|c| format!("&#x{:x};", u32::from(c)))
                .collect(),
            format!("ghp_{}", entities(&TOKEN[4..])),
        ] {
            let text = format!("message: {hidden} end");
            assert_eq!(
                redact_encoded(Cow::Borrowed(&text)),
                "message: [REDACTED] end"
            );
        }
    }

    #[test]
    fn a_secret_in_base64_is_redacted_in_either_alphabet() {
        let header = format!("Authorization: token {TOKEN}");
        let standard = base64::engine::general_purpose::STANDARD.encode(&header);
        let url_safe =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("x?>{header}"));
        for hidden in [standard, url_safe] {
            let text = format!("dump {hidden} end");
            assert_eq!(
                redact_encoded(Cow::Borrowed(&text)),
                "dump [REDACTED] end",
                "{hidden}"
            );
        }
    }

    #[test]
    fn encodings_that_hide_nothing_stay_as_they_are() {
        let harmless = [
            "&#60;div&#62; &#38;&#38; &#1234;&#x1F600;&#65;&#66;".to_owned(),
            base64::engine::general_purpose::STANDARD.encode("just a long plain sentence of text"),
            "src/suite/runners/vitest_reporter_and_more".to_owned(),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709".to_owned(),
            "&#1114112;&#1114112;&#1114112;&#1114112;".to_owned(),
        ];
        for text in harmless {
            assert!(
                matches!(redact_encoded(Cow::Borrowed(&text)), Cow::Borrowed(_)),
                "{text}"
            );
        }
    }
}
