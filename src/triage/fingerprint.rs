//! Fingerprints: what stays the same between occurrences of one failure.
//!
//! Following Sentry's grouping, a fingerprint is built from
//! - the first meaningful error line (not a blank line, a separator, a
//!   `Traceback` header, a stack frame, a CI timestamp or `##[error]` prefix),
//!   **parameterised**: quoted values, URLs, UUIDs, timestamps and dates,
//!   temporary-directory paths, IP addresses (with their ports), hashes and
//!   hex numbers (addresses), durations and numbers become placeholders
//!   (`<quoted>`, `<url>`, `<uuid>`, `<date>`, `<tmp>`, `<ip>`, `<hash>`,
//!   `<hex>`, `<duration>`, `<num>`), so the same failure on another shard
//!   (another temp dir, port, duration, address) reads the same;
//! - the in-project stack frames: file (its last two path components, so
//!   the checkout's location does not matter) and function, without line
//!   numbers; frames from `node_modules`, `site-packages`, the standard
//!   libraries and the test runners are dropped. Python, JavaScript and
//!   TypeScript, Rust, Go and Java stack shapes are read.
//!
//! The id is the first 16 hex digits of the SHA-256 of both.
//!
//! # Speed
//!
//! Triage fingerprints every failure of a run (the benchmark: 100,000), so
//! the common lines must not pay for the regular expressions: each pattern
//! is guarded by a test that any line it can match passes (a literal it must
//! start with or contain, say), a parameter-free text skips the
//! parameterisation, and nothing is allocated before a frame is kept. The
//! patterns still decide whenever their guard lets a line through, so the
//! fingerprints are those of `fingerprint_reference.rs`, the code before this
//! was made fast, which the tests compare them with. [`fingerprints`] spreads
//! many failures over the cores.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;
use regex::{Captures, Regex};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::host::types;
use crate::triage::parallel;

/// In-project frames kept, from the top of the stack.
pub const MAX_FRAMES: usize = 5;
/// The parameterised line is cut here (characters).
const MAX_LINE: usize = 300;
/// Failures fingerprinted per piece of work handed to a core.
const PIECE: usize = 512;

/// A failure's fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    /// 16 hex digits: equal for the same failure, wherever it ran.
    pub id: String,
    /// The parameterised error line.
    pub line: String,
    /// The in-project frames, `dir/file:function`, top first.
    pub frames: Vec<String>,
    /// The in-project files of the stack, as they were written (for
    /// matching a change's files).
    #[serde(skip)]
    pub files: Vec<String>,
}

/// The fingerprint of a failure's `message` and `details`. `fallback` (the
/// test's name, say) is used when neither has an error line or a frame, so
/// silent failures of different tests are not one group.
pub fn fingerprint(message: &str, details: &str, fallback: &str) -> Fingerprint {
    let line = first_error_line(message)
        .or_else(|| first_error_line(details))
        .map(parameterise)
        .unwrap_or_default();
    let mut frames: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for (file, function) in frames_in(details).chain(frames_in(message)) {
        if frames.len() == MAX_FRAMES {
            break;
        }
        let mut frame = String::with_capacity(file.len() + function.len() + 1);
        push_short_path(&mut frame, file);
        frame.push(':');
        push_parameterised(&mut frame, function);
        if !frames.contains(&frame) {
            frames.push(frame);
            files.push(file.to_owned());
        }
    }
    let mut hash = Sha256::new();
    if line.is_empty() && frames.is_empty() {
        hash.update(b"no message\n");
        hash.update(fallback.as_bytes());
    } else {
        hash.update(line.as_bytes());
        for frame in &frames {
            hash.update(b"\n");
            hash.update(frame.as_bytes());
        }
    }
    let digest = hash.finalize();
    Fingerprint {
        id: hex_id(&digest[..8]),
        line,
        frames,
        files,
    }
}

/// The fingerprints of many failures, in their order, on every core when
/// there are enough of them to pay for the threads.
pub fn fingerprints(failures: &[types::Failure]) -> Vec<Fingerprint> {
    fingerprint_each(failures, |f| {
        fingerprint(&f.message, &f.details, &f.test_name)
    })
}

/// `print` of each item, in their order, on every core when there are
/// enough items to pay for the threads.
pub fn fingerprint_each<T: Sync>(
    items: &[T],
    print: impl Fn(&T) -> Fingerprint + Sync,
) -> Vec<Fingerprint> {
    parallel::map_pieces(items, PIECE, |_, piece| {
        piece.iter().map(&print).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

fn hex_id(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

/// The first meaningful line of `text`, cleaned of CI prefixes and colour.
/// In a Python traceback the meaningful line is the exception at its end.
pub fn error_line(text: &str) -> Option<String> {
    first_error_line(text).map(str::to_owned)
}

fn first_error_line(text: &str) -> Option<&str> {
    let lines = || text.lines().map(clean_line);
    if has(text, &TRACEBACK) {
        let exception = lines().rev().find(|l| PY_EXCEPTION.is_match(l));
        if exception.is_some() {
            return exception;
        }
    }
    lines()
        .find(|l| !is_noise(l))
        .map(|l| first_chars(l, MAX_LINE * 2))
}

/// The first `n` characters of `text`.
fn first_chars(text: &str, n: usize) -> &str {
    if text.len() <= n {
        // No more characters than bytes.
        return text;
    }
    match text.char_indices().nth(n) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Without the GitHub Actions timestamp, `##[error]`, ANSI colours and the
/// surrounding blanks.
fn clean_line(line: &str) -> &str {
    let line = line.trim();
    if !may_have_ci_prefix(line) {
        return line;
    }
    let line = CI_PREFIX.find(line).map_or(line, |m| &line[m.end()..]);
    line.trim()
}

/// Whether [`CI_PREFIX`] can match anything at the start of `line`: it
/// starts with a colour, a timestamp's digit, `##[`, `::error`, `npm ERR!`
/// or `E` and a blank.
fn may_have_ci_prefix(line: &str) -> bool {
    match line.as_bytes().first() {
        Some(b'\x1b' | b'0'..=b'9') => true,
        Some(b'#') => line.starts_with("##["),
        Some(b':') => line.starts_with("::error"),
        Some(b'n') => line.starts_with("npm ERR!"),
        Some(b'E') => line[1..].starts_with(char::is_whitespace),
        _ => false,
    }
}

fn without_ansi(line: &str) -> Cow<'_, str> {
    if line.as_bytes().contains(&b'\x1b') {
        ANSI.replace_all(line, "")
    } else {
        Cow::Borrowed(line)
    }
}

fn is_noise(line: &str) -> bool {
    let line = without_ansi(line);
    let line = line.trim();
    let at = line.starts_with("at ");
    line.is_empty()
        || line.starts_with("Traceback (")
        || (line.starts_with("File \"") && PY_FRAME.is_match(line))
        || (at && js_frame(line).is_some())
        || (at && may_be_java_frame(line) && JAVA_FRAME.is_match(line))
        || (at && may_be_rust_at(line) && RUST_AT.is_match(line))
        || line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '_' | '*' | '~' | '#' | '>' | '.' | ' '))
        || (line.starts_with("thread '") && RUST_PANIC_HEADER.is_match(line))
        || (has(line, &GO_FILE) && GO_FRAME.is_match(line))
        || matches!(line, "FAILED" | "FAIL" | "Error" | "Error:" | "failures:")
}

/// The parameterised form of `line` (see the module docs).
pub fn parameterise(line: &str) -> String {
    let mut out = String::new();
    push_parameterised(&mut out, line);
    out
}

/// Appends the parameterised form of `line` to `out`.
fn push_parameterised(out: &mut String, line: &str) {
    let line = without_ansi(line);
    if !may_have_params(&line) {
        out.push_str(first_chars(&line, MAX_LINE).trim());
        return;
    }
    // Enough bytes for MAX_LINE characters: what follows is cut anyway.
    let enough = MAX_LINE * 4;
    let mut replaced = String::with_capacity(line.len().min(enough) + 16);
    let mut last = 0;
    for found in PARAMS.find_iter(&line) {
        replaced.push_str(&line[last..found.start()]);
        push_placeholder(&mut replaced, found.as_str());
        last = found.end();
        if replaced.len() >= enough {
            break;
        }
    }
    if replaced.len() < enough {
        replaced.push_str(&line[last..]);
    }
    out.push_str(first_chars(&replaced, MAX_LINE).trim());
}

/// Whether [`PARAMS`] can match anything in `text`: every parameter has a
/// digit, a quote, a slash, a backslash, `$`, `[` or a run of seven hex
/// letters (a hex word, a letters-only UUID or hash).
fn may_have_params(text: &str) -> bool {
    let mut hex_letters = 0;
    for &b in text.as_bytes() {
        match b {
            b'0'..=b'9' | b'\'' | b'"' | b'`' | b'/' | b'\\' | b'$' | b'[' => return true,
            b'a'..=b'f' | b'A'..=b'F' => {
                hex_letters += 1;
                if hex_letters == 7 {
                    return true;
                }
            }
            _ => hex_letters = 0,
        }
    }
    false
}

fn push_placeholder(out: &mut String, text: &str) {
    let name = parameter_kind(text);
    if name == "hex" {
        // A word of hex letters only (`deadbeef`, `added`) is a word.
        if !text.starts_with("0x") && !text.bytes().any(|b| b.is_ascii_digit()) {
            out.push_str(text);
            return;
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("<num>");
            return;
        }
    }
    out.push('<');
    out.push_str(name);
    out.push('>');
}

/// Which alternative of [`PARAMS`] matched `text`, read from its shape
/// (finding matches without capture groups is several times faster). Each
/// shape comes from one alternative only, or, where two could make the same
/// text (digits only), the placeholder is the same.
/// - a quote starts only `quoted`; `/`, `$` or a drive's `C:\` only `tmp`;
///   `[` only `ip`; then `://` is a `url`'s;
/// - `-` as a UUID has them is a `uuid`, `-` or `:` after a year or an hour
///   a `date`; more than one `.`, or a `:`, an `ip`;
/// - `0x` is `hex`; a letter after `f`, `µ` or a blank, a `duration`'s unit;
/// - hex digits alone: 32 to 128 a `hash`, 7 to 31 `hex`; else a `num`.
fn parameter_kind(text: &str) -> &'static str {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match at(0) {
        b'\'' | b'"' | b'`' => return "quoted",
        b'/' | b'$' => return "tmp",
        b'[' => return "ip",
        _ => {}
    }
    if at(1) == b':' && at(2) == b'\\' {
        return "tmp";
    }
    if text.contains("://") {
        return "url";
    }
    if b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-') {
        return "uuid";
    }
    if at(4) == b'-' || at(2) == b':' {
        return "date";
    }
    if b.iter().filter(|&&c| c == b'.').count() > 1 || b.contains(&b':') {
        return "ip";
    }
    if text.starts_with("0x") {
        return "hex";
    }
    if b.iter().any(|&c| !c.is_ascii_hexdigit() && c != b'.') {
        return "duration";
    }
    let hex_only = !b.contains(&b'.');
    match b.len() {
        32..=128 if hex_only => "hash",
        7..=31 if hex_only => "hex",
        _ => "num",
    }
}

/// `(file, function)` of every in-project frame in `text`, top first.
pub fn stack_frames(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    frames_in(text).map(|(file, function)| (file.to_owned(), function.to_owned()))
}

fn frames_in(text: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    let mut pending_function = "";
    text.lines().filter_map(move |raw| {
        let line = clean_line(raw);
        let (file, function) = frame(line, &mut pending_function)?;
        in_project(file, function).then_some((file, function))
    })
}

/// One line as a frame, in any of the stack shapes; Rust and Go print the
/// function on the line before the file (`pending`). Each pattern is tried
/// only on lines that have what it needs.
fn frame<'t>(line: &'t str, pending: &mut &'t str) -> Option<(&'t str, &'t str)> {
    let group = |c: &Captures<'t>, i: usize| c.get(i).map_or("", |m| m.as_str());
    let at = line.starts_with("at ");
    if line.starts_with("File \"")
        && let Some(c) = PY_FRAME.captures(line)
    {
        return Some((group(&c, 1), group(&c, 2)));
    }
    if at
        && may_be_java_frame(line)
        && let Some(c) = JAVA_FRAME.captures(line)
    {
        return Some((group(&c, 2), group(&c, 1)));
    }
    // Before JavaScript's shape, which `at ./src/lib.rs:8:9` also fits.
    if at
        && may_be_rust_at(line)
        && let Some(c) = RUST_AT.captures(line)
    {
        return Some((group(&c, 1), std::mem::take(pending)));
    }
    if at && let Some((function, file)) = js_frame(line) {
        return Some((file, function));
    }
    if has(line, &PANICKED_AT)
        && let Some(c) = RUST_PANIC.captures(line)
    {
        return Some((group(&c, 1), ""));
    }
    let go = has(line, &GO_FILE);
    if go && let Some(c) = GO_FRAME.captures(line) {
        return Some((group(&c, 1), std::mem::take(pending)));
    }
    if go && let Some(c) = GO_TEST_LINE.captures(line) {
        return Some((group(&c, 1), ""));
    }
    *pending = "";
    if line.starts_with(|c: char| c.is_ascii_digit())
        && let Some(c) = RUST_SYMBOL.captures(line)
    {
        *pending = group(&c, 1);
    } else if line.ends_with(')')
        && let Some(c) = GO_FUNCTION.captures(line)
    {
        *pending = group(&c, 1);
    }
    None
}

/// Whether `line` (which starts with `at `) can be a [`JAVA_FRAME`]: it
/// ends in `.java)`, `.java:12)`, or the same with `kt`, `scala`, `groovy`.
fn may_be_java_frame(line: &str) -> bool {
    let Some(inner) = line.strip_suffix(')') else {
        return false;
    };
    let file = match position_colons(inner) {
        (_, Some(colon)) => &inner[..colon],
        _ => inner,
    };
    [".java", ".kt", ".scala", ".groovy"]
        .iter()
        .any(|ext| file.ends_with(ext))
}

/// Whether `line` (which starts with `at `) can be a [`RUST_AT`]: a `.rs`
/// file before its position.
fn may_be_rust_at(line: &str) -> bool {
    let (earlier, last) = position_colons(line);
    [earlier, last]
        .into_iter()
        .flatten()
        .any(|colon| line[..colon].ends_with(".rs"))
}

/// Where `text` ends in a position: the colon starting `:line:column` if it
/// ends so, and the colon starting its last `:number` (ASCII digits, one or
/// more each).
fn position_colons(text: &str) -> (Option<usize>, Option<usize>) {
    let b = text.as_bytes();
    let digits_before = |end: usize| {
        b[..end]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let n = digits_before(b.len());
    if n == 0 || n == b.len() || b[b.len() - n - 1] != b':' {
        return (None, None);
    }
    let last = b.len() - n - 1;
    let m = digits_before(last);
    let earlier = (m > 0 && m < last && b[last - m - 1] == b':').then(|| last - m - 1);
    (earlier, Some(last))
}

/// Whether `text` contains what `finder` looks for.
fn has(text: &str, finder: &memmem::Finder<'static>) -> bool {
    finder.find(text.as_bytes()).is_some()
}

static TRACEBACK: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("Traceback (most recent call last)"));
static GO_FILE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(".go:"));
static PANICKED_AT: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("panicked at "));

/// A JavaScript frame, `(function, file)`: exactly what the pattern
/// `^at (?:async )?(?:([^\s(]+(?: \[as [^\]]+\])?) \()?([^()\s][^()]*?):\d+(?::\d+)?\)?$`
/// captures (see `fingerprint_reference.rs`), found without it: it is the
/// most common frame, and capturing it was most of a fingerprint's time.
///
/// `at [async ][function[ [as name]] (]file:line[:column][)]`, end of line.
/// As the pattern prefers, `async ` is taken if the rest then reads, and a
/// function if the rest then reads; the function is a run without blanks
/// and `(`; the file starts with neither a blank nor a parenthesis, holds no
/// parenthesis, and is the shortest that leaves `:line[:column][)]`.
fn js_frame(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("at ")?;
    let tries = rest.strip_prefix("async ").into_iter().chain([rest]);
    for rest in tries {
        if let Some((function, after)) = js_function(rest)
            && let Some(file) = js_file(after)
        {
            return Some((function, file));
        }
        if let Some(file) = js_file(rest) {
            return Some(("", file));
        }
    }
    None
}

/// `function (` or `function [as name] (` at the start of `text`: the
/// function (with its `[as name]`) and what follows the `(`.
fn js_function(text: &str) -> Option<(&str, &str)> {
    let run = text
        .find(|c: char| c.is_whitespace() || c == '(')
        .unwrap_or(text.len());
    if run == 0 {
        return None;
    }
    let after = &text[run..];
    if let Some(alias) = after.strip_prefix(" [as ") {
        let close = alias.find(']')?;
        if close == 0 {
            return None;
        }
        let end = run + " [as ".len() + close + 1;
        return text[end..]
            .strip_prefix(" (")
            .map(|after| (&text[..end], after));
    }
    after.strip_prefix(" (").map(|after| (&text[..run], after))
}

/// The file of `file:line[:column][)]`, all of `text`.
fn js_file(text: &str) -> Option<&str> {
    let first = text.chars().next()?;
    if first.is_whitespace() || first == '(' || first == ')' {
        return None;
    }
    // The position: `:line[:column]`, then an optional `)`. The shortest
    // file: the earlier colon if both leave a position.
    let body = text.strip_suffix(')').unwrap_or(text);
    let (earlier, last) = position_colons(body);
    let cut = [earlier, last]
        .into_iter()
        .flatten()
        .find(|&colon| colon >= first.len_utf8())?;
    let file = &text[..cut];
    (!file[first.len_utf8()..].contains(['(', ')'])).then_some(file)
}

/// Path parts and function prefixes of code that is not the project's:
/// dependencies, standard libraries, runners.
const FOREIGN_PATHS: &[&str] = &[
    "node_modules/",
    "site-packages/",
    "dist-packages/",
    "/lib/python",
    "<frozen",
    "node:",
    "internal/",
    "<anonymous>",
    "/rustc/",
    "library/std/",
    "library/core/",
    "library/test/",
    "library/alloc/",
    ".cargo/registry/",
    ".rustup/",
    "/go/pkg/mod/",
    "/usr/lib/go",
    "/usr/local/go/",
    "/src/testing/",
    "/src/runtime/",
    "_pytest/",
    "pluggy/",
    "unittest/",
    "/jest-",
    "/vitest/",
    "@vitest/",
];
const FOREIGN_FUNCTIONS: &[&str] = &[
    "std::",
    "core::",
    "alloc::",
    "test::",
    "<core::",
    "<alloc::",
    "__rust",
    "testing.",
    "runtime.",
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "org.junit.",
    "junit.",
    "org.apache.maven.",
    "org.gradle.",
    "kotlin.",
    "scala.",
];

fn in_project(file: &str, function: &str) -> bool {
    let file = if file.contains('\\') {
        Cow::Owned(file.replace('\\', "/"))
    } else {
        Cow::Borrowed(file)
    };
    !file.is_empty()
        && !FOREIGN_PATH.is_match(&file)
        && !FOREIGN_FUNCTIONS.iter().any(|p| function.starts_with(p))
}

/// Any of [`FOREIGN_PATHS`], in one pass.
static FOREIGN_PATH: LazyLock<Regex> = LazyLock::new(|| {
    let any: Vec<String> = FOREIGN_PATHS.iter().map(|p| regex::escape(p)).collect();
    Regex::new(&any.join("|")).expect("escaped literals compile")
});

/// Appends the last two components of a path, without a `file://` scheme.
fn push_short_path(out: &mut String, path: &str) {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("file://") {
        path = rest;
    }
    let path = if path.contains('\\') {
        Cow::Owned(path.replace('\\', "/"))
    } else {
        Cow::Borrowed(path)
    };
    let mut parts = path.rsplit('/').filter(|p| !p.is_empty() && *p != ".");
    let file = parts.next().unwrap_or_default();
    if let Some(dir) = parts.next() {
        out.push_str(dir);
        out.push('/');
    }
    out.push_str(file);
}

/// Compiles a constant pattern with ASCII word boundaries and digits, so
/// the fast DFA engines run on any input.
fn regex(pattern: &str) -> Regex {
    let ascii = pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\B", r"(?-u:\B)")
        .replace(r"\d", "[0-9]");
    Regex::new(&ascii).expect("constant pattern compiles")
}

static ANSI: LazyLock<Regex> = LazyLock::new(|| regex(r"\x1b\[[0-9;]*[A-Za-z]"));
static CI_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:\x1b\[[0-9;]*m)*(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\s*)?(?:##\[(?:error|warning)\]|::error[^:]*::|E\s{2,}|npm ERR!\s*)?",
    )
});
static PY_EXCEPTION: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt)\b"));
static PY_FRAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"^File "([^"]+)", line \d+, in (\S+)"#));
static JAVA_FRAME: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^at ([\w$.<>]+)\(([\w$.-]+\.(?:java|kt|scala|groovy))(?::\d+)?\)$"));
static RUST_AT: LazyLock<Regex> = LazyLock::new(|| regex(r"^at (\S+\.rs):\d+(?::\d+)?$"));
static RUST_SYMBOL: LazyLock<Regex> = LazyLock::new(|| regex(r"^\d+: (\S+)$"));
static RUST_PANIC: LazyLock<Regex> =
    LazyLock::new(|| regex(r"panicked at (?:'.*', )?(\S+\.rs):\d+:\d+"));
static RUST_PANIC_HEADER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^thread '[^']*' panicked at \S+\.rs:\d+:\d+:$"));
static GO_FRAME: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\S+\.go):\d+(?: \+0x[0-9a-f]+)?$"));
static GO_FUNCTION: LazyLock<Regex> = LazyLock::new(|| regex(r"^([\w./*()-]+)\(.*\)$"));
static GO_TEST_LINE: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\w+_test\.go):\d+: "));

/// Every parameter, one alternation, first alternative wins at a position
/// (so a UUID is not read as numbers, a temp path not as a path of numbers).
static PARAMS: LazyLock<Regex> = LazyLock::new(|| {
    let hex = "[0-9a-fA-F]";
    regex(&format!(
        r#"(?x)
        (?P<quoted>\B'[^'\n]*'|\B"[^"\n]*"|`[^`\n]*`)
      | (?P<url>\b[a-z][a-z0-9+.-]*://[^\s'"<>)\]]+)
      | (?P<uuid>\b{hex}{{8}}-{hex}{{4}}-{hex}{{4}}-{hex}{{4}}-{hex}{{12}}\b)
      | (?P<date>\b\d{{4}}-\d\d-\d\d(?:[T\ ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?\b
          |\b\d\d:\d\d:\d\d(?:\.\d+)?\b)
      | (?P<tmp>(?:/private)?/var/folders/\S*|/tmp/\S*|/var/tmp/\S*|/dev/shm/\S*|/home/runner/work/_temp/\S*
          |[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\\S*|\$RUNNER_TEMP\S*)
      | (?P<ip>\b\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?::\d{{1,5}})?\b|\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\](?::\d{{1,5}})?)
      | (?P<hash>\b{hex}{{32,128}}\b)
      | (?P<duration>\b\d+(?:\.\d+)?\ ?(?:ns|µs|us|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b
          |\b\d+h\d+m\d+(?:\.\d+)?s\b|\b\d+m\d+(?:\.\d+)?s\b)
      | (?P<hex>\b0x{hex}+\b|\b{hex}{{7,31}}\b)
      | (?P<num>\b\d+(?:\.\d+)?\b)
    "#
    ))
});

/// The code before it was made fast, which the tests hold this to.
#[cfg(test)]
#[path = "fingerprint_reference.rs"]
#[allow(dead_code)]
mod reference;

#[cfg(test)]
#[path = "fingerprint_tests.rs"]
mod tests;
