//! The fingerprinting as it was before it was made fast (commit d30f1c4),
//! kept verbatim as the reference the fast code must agree with, byte for
//! byte: `fingerprint_tests.rs` compares the two on real tool output and on
//! generated lines, and `benches/triage.rs` times them side by side. Not part
//! of the library: it is compiled only into the unit tests and the bench.
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

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// In-project frames kept, from the top of the stack.
pub const MAX_FRAMES: usize = 5;
/// The parameterised line is cut here (characters).
const MAX_LINE: usize = 300;

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
    let line = error_line(message)
        .or_else(|| error_line(details))
        .map(|l| parameterise(&l))
        .unwrap_or_default();
    let mut frames = Vec::new();
    let mut files = Vec::new();
    for (file, function) in stack_frames(details).chain(stack_frames(message)) {
        if frames.len() == MAX_FRAMES {
            break;
        }
        let frame = format!("{}:{}", short_path(&file), parameterise(&function));
        if !frames.contains(&frame) {
            frames.push(frame);
            files.push(file);
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
    let id = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Fingerprint {
        id,
        line,
        frames,
        files,
    }
}

/// The first meaningful line of `text`, cleaned of CI prefixes and colour.
/// In a Python traceback the meaningful line is the exception at its end.
pub fn error_line(text: &str) -> Option<String> {
    let lines = || text.lines().map(clean_line);
    if text.contains("Traceback (most recent call last)") {
        let exception = lines()
            .rev()
            .find(|l| PY_EXCEPTION.is_match(l))
            .map(str::to_owned);
        if exception.is_some() {
            return exception;
        }
    }
    lines()
        .find(|l| !is_noise(l))
        .map(|l| l.chars().take(MAX_LINE * 2).collect())
}

/// Without the GitHub Actions timestamp, `##[error]`, ANSI colours and the
/// surrounding blanks.
fn clean_line(line: &str) -> &str {
    let line = line.trim();
    let line = CI_PREFIX.find(line).map_or(line, |m| &line[m.end()..]);
    line.trim()
}

fn is_noise(line: &str) -> bool {
    let line = ANSI.replace_all(line, "");
    let line = line.trim();
    line.is_empty()
        || line.starts_with("Traceback (")
        || PY_FRAME.is_match(line)
        || JS_FRAME.is_match(line)
        || JAVA_FRAME.is_match(line)
        || RUST_AT.is_match(line)
        || line.chars().all(|c| "-=_*~#>. ".contains(c))
        || RUST_PANIC_HEADER.is_match(line)
        || GO_FRAME.is_match(line)
        || matches!(line, "FAILED" | "FAIL" | "Error" | "Error:" | "failures:")
}

/// The parameterised form of `line` (see the module docs).
pub fn parameterise(line: &str) -> String {
    let line = ANSI.replace_all(line, "");
    let out = PARAMS.replace_all(&line, |caps: &Captures| placeholder(caps));
    let out: String = out.chars().take(MAX_LINE).collect();
    out.trim().to_owned()
}

fn placeholder(caps: &Captures) -> String {
    const NAMES: [&str; 10] = [
        "quoted", "url", "uuid", "date", "tmp", "ip", "hash", "duration", "hex", "num",
    ];
    let name = NAMES
        .iter()
        .find(|n| caps.name(n).is_some())
        .copied()
        .unwrap_or("num");
    if name == "hex" {
        // A word of hex letters only (`deadbeef`, `added`) is a word.
        let text = &caps[0];
        if !text.starts_with("0x") && !text.bytes().any(|b| b.is_ascii_digit()) {
            return text.to_owned();
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return "<num>".into();
        }
    }
    format!("<{name}>")
}

/// `(file, function)` of every in-project frame in `text`, top first.
pub fn stack_frames(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let mut pending_function = String::new();
    text.lines().filter_map(move |raw| {
        let line = clean_line(raw);
        let frame = frame(line, &mut pending_function)?;
        in_project(&frame.0, &frame.1).then_some(frame)
    })
}

/// One line as a frame, in any of the stack shapes; Rust and Go print the
/// function on the line before the file (`pending`).
fn frame(line: &str, pending: &mut String) -> Option<(String, String)> {
    if let Some(c) = PY_FRAME.captures(line) {
        return Some((c[1].to_owned(), c[2].to_owned()));
    }
    if let Some(c) = JAVA_FRAME.captures(line) {
        return Some((c[2].to_owned(), c[1].to_owned()));
    }
    // Before JavaScript's shape, which `at ./src/lib.rs:8:9` also fits.
    if let Some(c) = RUST_AT.captures(line) {
        return Some((c[1].to_owned(), std::mem::take(pending)));
    }
    if let Some(c) = JS_FRAME.captures(line) {
        let function = c.get(1).map_or("", |m| m.as_str());
        return Some((c[2].to_owned(), function.to_owned()));
    }
    if let Some(c) = RUST_PANIC.captures(line) {
        return Some((c[1].to_owned(), String::new()));
    }
    if let Some(c) = GO_FRAME.captures(line) {
        return Some((c[1].to_owned(), std::mem::take(pending)));
    }
    if let Some(c) = GO_TEST_LINE.captures(line) {
        return Some((c[1].to_owned(), String::new()));
    }
    if let Some(c) = RUST_SYMBOL.captures(line) {
        *pending = c[1].to_owned();
    } else if let Some(c) = GO_FUNCTION.captures(line) {
        *pending = c[1].to_owned();
    } else {
        pending.clear();
    }
    None
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
    let file = file.replace('\\', "/");
    !FOREIGN_PATHS.iter().any(|p| file.contains(p))
        && !FOREIGN_FUNCTIONS.iter().any(|p| function.starts_with(p))
        && !file.is_empty()
}

/// The last two components of a path, without a `file://` scheme.
fn short_path(path: &str) -> String {
    let path = path.trim_start_matches("file://").replace('\\', "/");
    let mut parts = path.rsplit('/').filter(|p| !p.is_empty() && *p != ".");
    let file = parts.next().unwrap_or_default();
    match parts.next() {
        Some(dir) => format!("{dir}/{file}"),
        None => file.to_owned(),
    }
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
static JS_FRAME: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^at (?:async )?(?:([^\s(]+(?: \[as [^\]]+\])?) \()?([^()\s][^()]*?):\d+(?::\d+)?\)?$")
});
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
