//! A low-confidence guess for failures that no rule recognises.
//!
//! The rules know tools by their exact words, so a tool they have never seen
//! is answered `unknown`: on the corpus's held-out part, most misses were
//! `unknown`, in families (a new compiler, a new language's exceptions) whose
//! output still has the shapes every tool shares. This reads those shapes
//! alone, with no tool's wording:
//!
//! | order | shape | category |
//! |---|---|---|
//! | 1 | out of memory, no space left, too many open files | resource |
//! | 2 | a refused or reset connection, a name that does not resolve, `fetch failed` | network |
//! | 3 | an error located in a configuration file (`tsconfig.json(2,3): error`, `.toml`, `.yaml`, `.ini`, …) or a line calling one invalid | config |
//! | 4 | a module, package, class, assembly or library that is missing (`not found`, `does not exist`, `cannot find`, `could not load`, `not installed`), a header a compiler cannot open | dependency |
//! | 5 | a source position, then `error` (`a.kt:3:9: error:`, `Foo.cs(3,9): error CS0103:`), syntax and parse errors, a type that is not assignable | compile |
//! | 6 | an element, locator or selector that is not found, or found several times | selector |
//! | 7 | a snapshot that does not match, is obsolete or not written | snapshot |
//! | 8 | `timed out`, `deadline exceeded`, `TimeoutError` | timeout |
//! | 9 | `expected` with `got`/`received`/`actual`/`but was`/`to equal`/`to be` on one line, a `want`/`got` pair, a word starting with `assert`, `did not raise`/`throw`/`panic` | assertion |
//! | 10 | an exception's name (`ArgumentError`, `java.io.IOException`, `Foo::BarError`), `panic`, `segmentation fault`, `core dumped`, `uncaught`, `unhandled`, `traceback` | runtime |
//!
//! The order is the rules' tiers (`logic.rs`): root causes before the
//! symptoms they bring. Source quoted for context (pytest's `>   assert …`,
//! a code frame's `12 | …`, the line under a Python traceback's `File "…",
//! line 3`) says what ran, not what failed, and is skipped.
//!
//! The first shape in that order decides, wherever it is in the text (a
//! compile error explains the exception that follows it, not the reverse).
//! Confidence stays at most [`MAX_CONFIDENCE`]: a guess must never count
//! as a confident answer. How often it is right is measured apart on the
//! development corpus (`tests/classifier_corpus.rs`: the guess alone, on
//! every record, as if no rule existed).

use crate::lines::{
    indent_of, is_python_frame, is_quiet_log_record, is_quoted_source, without_timestamp,
};
use crate::logic::Category;

/// No guess is more confident than this.
pub const MAX_CONFIDENCE: f32 = 0.4;
// Confident answers (0.8 and up) are the rules' alone.
const _: () = assert!(MAX_CONFIDENCE < 0.8);

/// Bytes read at each end of each field. The shapes a guess reads are in
/// an error's first lines or its last ones, and the guess searches each
/// line for each of its words: over 64 KiB that cost about 40 ms per
/// failure natively, so a batch of 1,000 such failures would have run into
/// the plugin's CPU limit. With 2 KiB per field and [`Pairs`], a failure of
/// two 70 KB fields that match nothing cost 31 µs (one long line) to 71 µs
/// (short lines), release build; both ends read is about twice that (the
/// `long texts` bench: +7.2% against the build without the guess).
const READ_LIMIT: usize = 2 * 1024;

/// The parts of a field that are read: its first [`READ_LIMIT`] bytes and,
/// beyond them, its last (from a line's start): an error's first lines say
/// what failed, and a Python traceback or a runner's summary says it last.
/// A field no longer than both is read whole, in one range: two ranges that
/// touch or overlap would split the line across their boundary in two.
fn read_ranges(text: &[u8]) -> impl Iterator<Item = (usize, usize)> {
    if text.len() <= 2 * READ_LIMIT {
        return std::iter::once((0, text.len())).chain(None);
    }
    let head = READ_LIMIT;
    let tail = text.len() - READ_LIMIT;
    let tail = text[tail..]
        .iter()
        .position(|&b| b == b'\n')
        .filter(|_| text[tail - 1] != b'\n')
        .map_or(tail, |newline| tail + newline + 1);
    std::iter::once((0, head)).chain((tail < text.len()).then_some((tail, text.len())))
}

/// What a guess found: the category, its confidence and where the deciding
/// line is in the text (`field`, byte range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    pub category: Category,
    pub confidence: f32,
    /// 0 for the first text given to [`guess`], 1 for the second.
    pub field: usize,
    pub line_start: usize,
    pub line_end: usize,
}

/// The shapes, strongest first: a shape's rank in the module's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Resource,
    Network,
    Config,
    Dependency,
    Compile,
    Selector,
    Snapshot,
    Timeout,
    Assertion,
    Runtime,
}

impl Shape {
    fn answer(self) -> (Category, f32) {
        match self {
            Shape::Resource => (Category::Resource, 0.35),
            Shape::Network => (Category::Network, 0.35),
            Shape::Config => (Category::Config, 0.3),
            Shape::Dependency => (Category::Dependency, 0.35),
            Shape::Compile => (Category::Compile, MAX_CONFIDENCE),
            Shape::Selector => (Category::Selector, 0.3),
            Shape::Snapshot => (Category::Snapshot, 0.35),
            Shape::Timeout => (Category::Timeout, 0.35),
            Shape::Assertion => (Category::Assertion, 0.3),
            Shape::Runtime => (Category::Runtime, 0.3),
        }
    }
}

/// The strongest shape in `texts` (the message, then the details), if any.
pub fn guess(texts: [&str; 2]) -> Option<Guess> {
    let mut best: Option<(Shape, usize, usize, usize)> = None;
    for (field, text) in texts.into_iter().enumerate() {
        let text = text.as_bytes();
        for (from, to) in read_ranges(text) {
            // The line after a Python frame (`  File "app.py", line 3, in
            // f`), indented deeper, is its source, quoted (a frame with no
            // source, `<frozen importlib._bootstrap>`'s, is followed by
            // another frame or by the exception, indented no deeper).
            let mut frame_indent = None;
            let mut start = from;
            for line in text[from..to].split(|&b| b == b'\n') {
                let end = start + line.len();
                // The timestamp, stripped once for every test of the line.
                let body = without_timestamp(line);
                let indent = indent_of(body);
                let quoted = frame_indent.is_some_and(|frame| indent > frame);
                frame_indent = is_python_frame(body).then_some(indent);
                if !quoted
                    && let Some(shape) = shape_of(body)
                    && best.is_none_or(|(b, ..)| shape < b)
                {
                    best = Some((shape, field, start, end));
                }
                start = end + 1;
            }
        }
    }
    best.map(|(shape, field, line_start, line_end)| {
        let (category, confidence) = shape.answer();
        Guess {
            category,
            confidence,
            field,
            line_start,
            line_end,
        }
    })
}

/// The strongest shape of one line, its timestamp removed.
fn shape_of(line: &[u8]) -> Option<Shape> {
    if is_quoted_source(line) || is_quiet_log_record(line) {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let pairs = Pairs::of(&lower);
    let has =
        |word: &str| pairs.may_hold(word.as_bytes()) && find(&lower, word.as_bytes()).is_some();
    let any = |words: &[&str]| words.iter().any(|w| has(w));
    let any_word = |words: &[&str]| {
        words
            .iter()
            .any(|w| pairs.may_hold(w.as_bytes()) && word(&lower, w.as_bytes()))
    };
    let position = pairs
        .may_hold(b"error")
        .then(|| compile_position(line, &lower))
        .flatten();
    let missing = any(&[
        "not found",
        "does not exist",
        "cannot find",
        "can't find",
        "could not find",
        "could not load",
        "cannot load",
        "not installed",
        "no such file or directory",
        "unresolved",
        "no module named",
    ]);
    if any(&[
        "out of memory",
        "outofmemory",
        "memoryerror",
        "no space left",
        "too many open files",
        "cannot allocate memory",
    ]) {
        Some(Shape::Resource)
    } else if any(&[
        "connection refused",
        "connection reset",
        "could not connect",
        "failed to connect",
        "unable to connect",
        "name or service not known",
        "unknownhost",
        "getaddrinfo",
        "could not resolve host",
        "temporary failure in name resolution",
        "fetch failed",
    ]) || any_word(&["econnrefused", "econnreset", "enotfound"])
    {
        Some(Shape::Network)
    } else if position.is_some_and(config_file)
        || (has("invalid") && mentions_config_file(&lower))
        || any(&[
            "improperly configured",
            "misconfigured",
            "configurationerror",
            "invalid configuration",
            "configuration error",
        ])
    {
        Some(Shape::Config)
    } else if missing
        && (any_word(&[
            "module",
            "package",
            "class",
            "assembly",
            "library",
            "crate",
            "gem",
            "dependency",
            "command",
            "tool",
        ]) || (has("fatal error") && (has(".h") || has("include"))))
    {
        Some(Shape::Dependency)
    } else if position.is_some()
        || !has("json")
            && any(&[
                "syntaxerror",
                "syntax error",
                "parse error",
                "unexpected token",
                "indentationerror",
                "unexpected indent",
                "typecheckerror",
                "not assignable to",
            ])
    {
        Some(Shape::Compile)
    } else if any(&["element", "locator", "selector"])
        && (missing
            || any(&[
                "unable to find",
                "found multiple",
                "multiple elements",
                "waiting for selector",
                "never found",
                "not visible",
                "not enabled",
                "not editable",
                "not interactable",
                "not clickable",
                "detached",
                "stale element",
            ]))
        // A browser test's action on an element that timed out
        // (`locator.click: Timeout 1000ms exceeded`): the element was never
        // there, or never actionable. (An expectation's call log says
        // `waiting for locator` too, so that alone says nothing.)
        || (any(&["locator.", "page.", "element."])
            && has("timeout")
            && any(&["click", "fill", "check", "hover", "press", "type", "tap", "select"]))
    {
        Some(Shape::Selector)
    } else if has("snapshot")
        && any(&[
            "match", "obsolete", "differ", "assert", "expected", "received", "written", "failed",
        ])
    {
        Some(Shape::Snapshot)
    } else if any(&[
        "timed out",
        "deadline exceeded",
        "timeouterror",
        "timeoutexception",
    ]) {
        Some(Shape::Timeout)
    } else if [&b"expected"[..], b"want", b"did not", b"assert"]
        .iter()
        .any(|w| pairs.may_hold(w))
        && expectation(&lower)
    {
        Some(Shape::Assertion)
    } else if exception_name(line)
        || any(&[
            "panic",
            "segmentation fault",
            "core dumped",
            "uncaught",
            "unhandled",
            "traceback",
        ])
    {
        Some(Shape::Runtime)
    } else {
        None
    }
}

/// Which pairs of adjacent bytes a line holds, hashed into 4,096 bits: a
/// word whose first or last two bytes are missing is not searched for.
/// Searching each line for each of the guess's words cost about 75 ns per
/// byte of text; this lets almost every search stop at two bit tests.
struct Pairs([u64; 64]);

impl Pairs {
    fn of(text: &[u8]) -> Pairs {
        let mut bits = [0u64; 64];
        for pair in text.windows(2) {
            let h = Self::hash(pair[0], pair[1]);
            bits[h >> 6] |= 1 << (h & 63);
        }
        Pairs(bits)
    }

    fn hash(a: u8, b: u8) -> usize {
        ((u32::from(a) << 8 | u32::from(b)).wrapping_mul(0x9E37_79B1) >> 20) as usize
    }

    fn holds(&self, a: u8, b: u8) -> bool {
        let h = Self::hash(a, b);
        self.0[h >> 6] & (1 << (h & 63)) != 0
    }

    /// False only when `word` cannot be in the text.
    fn may_hold(&self, word: &[u8]) -> bool {
        match word {
            [a, b, .., y, z] => self.holds(*a, *b) && self.holds(*y, *z),
            [a, b] => self.holds(*a, *b),
            _ => true,
        }
    }
}

/// A file that configures a tool rather than holds code.
fn config_file(name: &[u8]) -> bool {
    let name = name.to_ascii_lowercase();
    let base = name
        .rsplit(|b| matches!(b, b'/' | b'\\'))
        .next()
        .unwrap_or(&name);
    [
        ".json",
        ".toml",
        ".yaml",
        ".yml",
        ".ini",
        ".cfg",
        ".conf",
        ".properties",
    ]
    .iter()
    .any(|ext| base.ends_with(ext.as_bytes()))
        || find(base, b"config").is_some()
}

/// Whether a lowercased line names a configuration file.
fn mentions_config_file(lower: &[u8]) -> bool {
    lower
        .split(|b| b.is_ascii_whitespace() || matches!(b, b'\'' | b'"' | b'`' | b'(' | b')' | b','))
        .map(|w| w.strip_suffix(b":").unwrap_or(w))
        .any(|w| w.contains(&b'.') && config_file(w))
}

/// `name.ext:3`, `name.ext:3:9` or `name.ext(3,9)` then, after a `:` or a
/// `)`, the word `error` (`fatal error` too): the file's name, if so.
fn compile_position<'a>(line: &'a [u8], lower: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"error").map(|i| from + i) {
        from = at + 5;
        let before = line[..at].trim_ascii_end();
        let before = before
            .strip_suffix(b"fatal")
            .unwrap_or(before)
            .trim_ascii_end();
        let colon = before.strip_suffix(b":");
        let before = colon.unwrap_or(before);
        let paren = before.strip_suffix(b")");
        if colon.is_none() && paren.is_none() {
            continue;
        }
        if let Some(file) = file_before_position(paren.unwrap_or(before)) {
            return Some(file);
        }
    }
    None
}

/// The file name with an extension that `text` ends with, followed by a
/// line number: `a.c:3`, `a.c:3:9`, `a.cs(3,9` (the `)` already removed).
fn file_before_position(text: &[u8]) -> Option<&[u8]> {
    // Strip the numbers: `:3:9`, `(3,9`, `(3`.
    let mut end = text.len();
    let mut numbers = 0;
    loop {
        let digits = text[..end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            break;
        }
        end -= digits;
        numbers += 1;
        match text[..end].last() {
            Some(b':' | b',') => end -= 1,
            Some(b'(') => {
                end -= 1;
                break;
            }
            _ => return None,
        }
    }
    if numbers == 0 || numbers > 2 {
        return None;
    }
    // Then `name.ext`, the extension of letters, digits or `+`.
    let name = &text[..end];
    let ext = name
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'+')
        .count();
    let dot = name.len().checked_sub(ext + 1)?;
    let named = (1..=6).contains(&ext)
        && name[dot] == b'.'
        && dot > 0
        && !matches!(name[dot - 1], b' ' | b'/' | b'\\' | b'.');
    named.then(|| {
        let start = name
            .iter()
            .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'\'' | b'"' | b'('))
            .map_or(0, |i| i + 1);
        &name[start..]
    })
}

/// A failed expectation's wording.
fn expectation(lower: &[u8]) -> bool {
    if let Some(at) = find(lower, b"expected") {
        let rest = &lower[at..];
        if [
            &b"got"[..],
            b"received",
            b"actual",
            b"but was",
            b"to equal",
            b"to be ",
        ]
        .iter()
        .any(|w| find(rest, w).is_some())
        {
            return true;
        }
    }
    if find(lower, b"want").is_some() && find(lower, b"got").is_some() {
        return true;
    }
    if find(lower, b"did not").is_some()
        && [&b"raise"[..], b"throw", b"panic"]
            .iter()
            .any(|w| find(lower, w).is_some())
    {
        return true;
    }
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"assert").map(|i| from + i) {
        // `Assertions: 0` in a summary counts them; it says nothing failed.
        let counted = lower[at..].starts_with(b"assertions:");
        if (at == 0 || !lower[at - 1].is_ascii_alphanumeric()) && !counted {
            return true;
        }
        from = at + 6;
    }
    false
}

/// A word that names an exception: `SomethingError`, `SomethingException`,
/// maybe qualified (`java.io.IOException`, `Foo::BarError`), the last part
/// starting with an uppercase letter and longer than the suffix.
fn exception_name(line: &[u8]) -> bool {
    line.split(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'$')))
        .any(|word| {
            // A sentence's `.` or a message's `:` after the name.
            let word = word.trim_ascii_end();
            let end = word.len()
                - word
                    .iter()
                    .rev()
                    .take_while(|b| matches!(b, b'.' | b':'))
                    .count();
            let word = &word[..end];
            let last = word
                .rsplit(|b| matches!(b, b'.' | b':' | b'$'))
                .next()
                .unwrap_or(word);
            let named = |suffix: &[u8]| last.len() > suffix.len() && last.ends_with(suffix);
            last.first().is_some_and(u8::is_ascii_uppercase)
                && (named(b"Error") || named(b"Exception"))
                && !last.starts_with(b"Assert")
        })
}

/// Whether `needle` starts a word of `hay` (`class`, not `subclass`).
fn word(hay: &[u8], needle: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(&hay[from..], needle).map(|i| from + i) {
        if at == 0 || !hay[at - 1].is_ascii_alphanumeric() {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Where `needle` first occurs in `hay`: the first byte is looked for with a
/// plain loop (vectorised, and cheap in WebAssembly), the rest compared only
/// there.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let at = from
            + hay[from..=hay.len() - needle.len()]
                .iter()
                .position(|&b| b == first)?;
        if &hay[at + 1..at + needle.len()] == rest {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(text: &str) -> Option<Category> {
        guess([text, ""]).map(|g| g.category)
    }

    #[test]
    fn compilers_positions_before_error() {
        for line in [
            "src/Main.kt:3:9: error: unresolved reference: foo",
            "Program.cs(12,5): error CS0103: The name 'x' does not exist",
            "main.swift:2:5: error: cannot find 'y' in scope",
            "lib/a.zig:7:1: error: expected ';'",
            "x.c++:4: fatal error: nope",
            "C:\\src\\app.cpp(10): error C2065: 'x': undeclared identifier",
        ] {
            assert_eq!(category(line), Some(Category::Compile), "{line}");
        }
        for line in [
            "error: something went wrong",
            "see file.txt for the error",
            "version 1.2: error",
            "app.py:2:1: not a code",
            "a.b.c.d:1:2:3:4: error",
        ] {
            assert_ne!(category(line), Some(Category::Compile), "{line}");
        }
    }

    #[test]
    fn the_strongest_shape_wins_wherever_it_is() {
        let text = "Unhandled KeyNotFoundException\nfoo.cs(3,1): error CS1002: ; expected";
        assert_eq!(category(text), Some(Category::Compile));
        let g = guess(["Boom happened", "expected 3, got 4\nPanicError"]).unwrap();
        assert_eq!((g.category, g.field), (Category::Assertion, 1));
        assert_eq!(
            &"expected 3, got 4\nPanicError"[g.line_start..g.line_end],
            "expected 3, got 4"
        );
    }

    #[test]
    fn each_shape() {
        for (text, want) in [
            ("fatal: Out of memory, malloc failed", Category::Resource),
            (
                "OSError: [Errno 28] No space left on device",
                Category::Resource,
            ),
            ("dial tcp: connection refused", Category::Network),
            ("getaddrinfo ENOTFOUND db.internal", Category::Network),
            (
                "ModuleNotFoundError: No module named 'x'",
                Category::Dependency,
            ),
            // A JSON parser's syntax error is the data's, not the code's.
            (
                "SyntaxError: Unexpected end of JSON input",
                Category::Runtime,
            ),
            (
                "tsconfig.json(2,3): error TS1005: ',' expected.",
                Category::Config,
            ),
            ("config/app.yaml:4: error: bad indent", Category::Config),
            ("Invalid package.json: unexpected end", Category::Config),
            ("tool 'jq' is not installed", Category::Dependency),
            (
                "Class \"Monolog\\Logger\" not found in app.php",
                Category::Dependency,
            ),
            (
                "src/A.java:1: error: package org.x does not exist",
                Category::Dependency,
            ),
            (
                "src/h.c:1:10: fatal error: curl/curl.h: No such file or directory",
                Category::Dependency,
            ),
            ("SyntaxError: invalid syntax", Category::Compile),
            (
                "Type 'string' is not assignable to type 'number'.",
                Category::Compile,
            ),
            (
                "Unable to find an element with the text: Submit",
                Category::Selector,
            ),
            ("locator('#go') not found", Category::Selector),
            (
                "AssertionError: assert [+ received] == [- snapshot]",
                Category::Snapshot,
            ),
            ("1 snapshot obsolete", Category::Snapshot),
            ("request timed out after 30s", Category::Timeout),
            ("TimeoutError", Category::Timeout),
            ("expected 3 but was 4", Category::Assertion),
            ("Sum(2) = 5, want 4; got it", Category::Assertion),
            ("assertEquals failed", Category::Assertion),
            ("AssertionError: x", Category::Assertion),
            ("Failed: DID NOT RAISE ValueError", Category::Assertion),
            ("raised ArgumentError: bad", Category::Runtime),
            ("java.lang.IllegalStateException", Category::Runtime),
            ("Foo::BarError", Category::Runtime),
            ("thread main panicked", Category::Runtime),
        ] {
            assert_eq!(category(text), Some(want), "{text}");
        }
        for text in [
            "Expected: 3\nnothing",
            "reassert nothing",
            "Tests: 1, Assertions: 0, Errors: 1.",
            "Error: boom",
            "Exception",
            "all good",
            "",
            // Quoted source says what ran, not what failed.
            ">       assert total == snapshot",
            "> 12 | expect(x).toBe(1)",
            "  7 | raise KeyError",
            // A parser's `expected … but found` is no failed expectation.
            "Expected \")\" but found \";\"",
        ] {
            assert_eq!(category(text), None, "{text}");
        }
    }

    #[test]
    fn a_guess_is_never_confident() {
        for text in [
            "a.c:1: error",
            "timed out",
            "expected 1 got 2",
            "ECONNREFUSED connection refused",
        ] {
            let g = guess([text, ""]).unwrap();
            assert!(g.confidence <= MAX_CONFIDENCE, "{text}");
        }
    }

    #[test]
    fn long_texts_are_read_at_their_start_and_end_only() {
        let filler = "a".repeat(READ_LIMIT);
        // In the middle: not read.
        let middle = format!("{filler}\nfoo.c:1: error: x\n{filler}");
        assert_eq!(category(&middle), None);
        // Last, as Python's exception is: read.
        let last = format!("{filler}\n{filler}\nfoo.c:1: error: x");
        assert_eq!(category(&last), Some(Category::Compile));
        let g = guess([&last, ""]).unwrap();
        assert_eq!(&last[g.line_start..g.line_end], "foo.c:1: error: x");
        // The tail starts at a line's start: half a line is not a line.
        let cut = format!("{filler}\nxx{}\nok", "b".repeat(READ_LIMIT - 4));
        let ranges: Vec<_> = read_ranges(cut.as_bytes()).collect();
        assert_eq!(ranges, [(0, READ_LIMIT), (cut.len() - 2, cut.len())]);
        // Short texts are read once.
        assert_eq!(read_ranges(b"short").collect::<Vec<_>>(), [(0, 5)]);
        // Up to twice the limit, whole: the line across the first range's
        // end is read as one line, not as two halves.
        let across = format!(
            "{}\nfoo.c:1: error: x\n{}",
            "a".repeat(READ_LIMIT - 8),
            "b".repeat(READ_LIMIT / 2)
        );
        assert!(across.len() <= 2 * READ_LIMIT);
        let ranges: Vec<_> = read_ranges(across.as_bytes()).collect();
        assert_eq!(ranges, [(0, across.len())]);
        assert_eq!(category(&across), Some(Category::Compile));
        let exactly = "a".repeat(2 * READ_LIMIT);
        let ranges: Vec<_> = read_ranges(exactly.as_bytes()).collect();
        assert_eq!(ranges, [(0, exactly.len())]);
    }
}
