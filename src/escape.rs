//! Escaping of untrusted text (plugin output, test output, names) before it
//! reaches a log line, a terminal or Markdown, and the redaction of secrets
//! from text bound for somewhere outside this machine ([`redacting`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

/// What takes the secrets out of a text: [`crate::triage::redact::Redactor`]
/// in practice; a function here, so that escaping knows nothing of secrets.
type Scrub = Rc<dyn for<'a> Fn(&'a str) -> Cow<'a, str>>;

thread_local! {
    static SCRUB: RefCell<Option<Scrub>> = const { RefCell::new(None) };
}

/// Runs `render` with every text escaped by [`control_chars`],
/// [`markdown_inline`] or [`markdown_code_block`] passed through `scrub`
/// first. ([`bounded_line`], for one-line log messages, is left alone: its
/// cost must not depend on the length of the text.)
///
/// Why here: escaping changes the text (`ghp_x` becomes `ghp\_x`, a line
/// break becomes `\n`), so a secret can no longer be found in the rendered
/// report; and every untrusted name and message reaches a PR comment, a
/// check run or a step summary through one of these functions. Redacting
/// the rendered text afterwards still catches what was never escaped.
pub fn redacting<R>(
    scrub: impl for<'a> Fn(&'a str) -> Cow<'a, str> + 'static,
    render: impl FnOnce() -> R,
) -> R {
    /// Puts back the scope outside this one, even if `render` panics.
    struct Restore(Option<Scrub>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SCRUB.with(|s| *s.borrow_mut() = self.0.take());
        }
    }
    let outer = SCRUB.with(|s| s.replace(Some(Rc::new(scrub))));
    let _restore = Restore(outer);
    render()
}

/// `text` without its secrets inside [`redacting`]; `text` itself outside.
fn scrubbed(text: &str) -> Cow<'_, str> {
    // Cloned out of the cell: the scrub may escape text itself.
    match SCRUB.with(|s| s.borrow().clone()) {
        Some(scrub) => scrub(text),
        None => Cow::Borrowed(text),
    }
}

/// Replaces every control character (C0, DEL, C1: newlines, tabs, ANSI
/// escapes included) and every Unicode direction override with a visible
/// escape such as `\n` or `\u{1b}`, so untrusted text can neither forge
/// log lines, drive the terminal, nor display as something it is not.
/// Borrows when there is nothing to escape.
pub fn control_chars(text: &str) -> Cow<'_, str> {
    let text = scrubbed(text);
    if !text.chars().any(is_unsafe) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Removes terminal escape sequences (colours, cursor moves: `ESC [ … final`;
/// titles and links: `ESC ] … BEL` or `ESC ] … ESC \\`; and two-byte
/// `ESC x`) from text a tool wrote for a terminal, so that a line of it
/// quoted in an error reads as the tool meant it. What is left still
/// needs [`control_chars`]: a stray ESC or other control is not removed.
pub fn strip_ansi(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            // CSI: parameters and intermediates, then one final byte.
            Some('[') => {
                chars.next();
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ST (ESC \\).
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            Some(c) if ('\u{40}'..='\u{5f}').contains(c) => {
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Output a runner wrote for a person to read, made safe to pass on to a
/// terminal or a log: colours and text styles (SGR, `ESC [ 1;31 m`),
/// newlines, tabs and a carriage return before a newline are kept; every
/// other control character, escape sequence (cursor moves, erasing,
/// titles, links, the clipboard) and direction override is shown as an
/// escape (`\u{1b}[2A`), so a test's output can neither move the cursor
/// over a failure nor drive the terminal. Borrows when nothing needs it.
pub fn runner_output(text: &str) -> Cow<'_, str> {
    // Written only from the first character that is shown as an escape.
    let mut out: Option<String> = None;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        let keep = match c {
            '\u{1b}' => sgr_len(rest),
            '\r' if rest[1..].starts_with('\n') => 1,
            '\n' | '\t' => 1,
            c if is_unsafe(c) => 0,
            c => c.len_utf8(),
        };
        match (keep, &mut out) {
            (0, out) => {
                let out = out.get_or_insert_with(|| {
                    let mut head = String::with_capacity(text.len() + 16);
                    head.push_str(&text[..at]);
                    head
                });
                push_escaped(out, c);
            }
            (n, Some(out)) => out.push_str(&rest[..n]),
            (_, None) => {}
        }
        at += keep.max(c.len_utf8());
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The length of the SGR sequence (`ESC [`, parameters, `m`) `text` starts
/// with; 0 when it starts with none. Parameters past a sane length are no
/// colour a runner writes.
fn sgr_len(text: &str) -> usize {
    let Some(params) = text.strip_prefix("\u{1b}[") else {
        return 0;
    };
    let digits = params
        .bytes()
        .take(64)
        .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
        .count();
    match params.as_bytes().get(digits) {
        Some(b'm') => 2 + digits + 1,
        _ => 0,
    }
}

/// How long one message from a plugin (an error value, a panic message)
/// may be in a one-line error. The WIT asks for one line; a plugin could
/// send 16 MiB, 6x that once escaped, and the host copies a failed phase's
/// reason into every key it owns.
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// Untrusted text as one bounded line: escaped as [`control_chars`] does,
/// and cut once the escaped text reaches `max` bytes, saying how many bytes
/// of the original were cut. Only the part that is kept is escaped, so the
/// cost does not depend on the length of the text.
pub fn bounded_line(text: &str, max: usize) -> String {
    let (mut out, used) = escaped_prefix(text, max);
    if used < text.len() {
        let _ = write!(out, " … ({} bytes cut)", text.len() - used);
    }
    out
}

/// `text` escaped as [`bounded_line`] escapes it, up to about `max` bytes
/// of the escaped form (one escape may pass it), and the bytes of `text`
/// that took: a cut made after escaping, since an escape is up to twelve
/// times its character.
pub fn escaped_prefix(text: &str, max: usize) -> (String, usize) {
    let mut out = String::with_capacity(text.len().min(max) + 16);
    for (at, c) in text.char_indices() {
        if out.len() >= max {
            return (out, at);
        }
        push_escaped(&mut out, c);
    }
    (out, text.len())
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// Control characters (newlines, tabs, ANSI escapes, C1), the Unicode
/// direction marks and overrides that can make text display reordered, the
/// line and paragraph separators (U+2028, U+2029: line breaks to some
/// terminals, editors and JavaScript), zero-width characters (which make
/// two different names look the same), and the rest of what displays as
/// nothing (Unicode's default-ignorable code points, the fillers that
/// show as blanks): tag characters and variation selectors carry hidden
/// text, to a model reading a triage prompt too (round 61).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
        || matches!(c, '\u{2028}' | '\u{2029}')
        || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
        || invisible(c)
}

/// Default-ignorable code points not named above, and the Hangul fillers.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{2061}'..='\u{2065}'
            | '\u{206a}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Makes untrusted text inert inline in Markdown (a PR comment, a step
/// summary): control characters escaped, Markdown and HTML punctuation
/// backslash-escaped, `@mentions` broken so nobody is pinged, URLs kept
/// from becoming links (GitHub links a bare `https://…` or `www.…`), and
/// the text kept to one line.
pub fn markdown_inline(text: &str) -> String {
    // control_chars scrubs.
    let text = control_chars(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        // An escaped `:` of `://` or `.` of `www.` ends the autolink.
        let autolink = match c {
            ':' => text[at + 1..].starts_with("//"),
            '.' => out
                .as_bytes()
                .rchunks(3)
                .next()
                .is_some_and(|last| last.eq_ignore_ascii_case(b"www")),
            _ => false,
        };
        if autolink {
            out.push('\\');
            out.push(c);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '!'
            | '|' | '<' | '>' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

/// Makes untrusted text inert inside an HTML block of Markdown (the line
/// `<details><summary>…</summary>`), where Markdown is not read and a
/// backslash escapes nothing: HTML's special characters become entities,
/// control characters are escaped, and `@mentions` are broken.
pub fn html_inline(text: &str) -> String {
    let text = control_chars(text);
    crate::xml::escape_text(&text).replace('@', "@\u{200b}")
}

/// Untrusted text shown as lines of plain text (a check run annotation's
/// message, a code block's body): newlines and tabs kept, terminal escape
/// sequences removed, any other control character a space; direction
/// overrides, separators and zero-width characters shown as escapes
/// (`\u{202e}`), so the text reads in the order it was written.
pub fn plain_block(text: &str) -> String {
    let text = scrubbed(text);
    let text = strip_ansi(&text);
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => cleaned.push(c),
            c if c.is_control() => cleaned.push(' '),
            c if is_unsafe(c) => push_escaped(&mut cleaned, c),
            c => cleaned.push(c),
        }
    }
    cleaned
}

/// A fenced code block that the text can't close, whatever backticks it
/// contains. Control characters other than newlines and tabs become
/// spaces; direction overrides, separators and zero-width characters are
/// shown as escapes (`\u{202e}`), so the block reads in the order it was
/// written.
pub fn markdown_code_block(text: &str) -> String {
    let cleaned = plain_block(text);
    let fence = code_fence(&cleaned);
    format!("{fence}text\n{}\n{fence}", cleaned.trim_end())
}

/// A backtick fence that no line of `text` can close: longer than every
/// run of backticks that starts a line after blanks, the only place a
/// closing fence can be. Any blanks, not only CommonMark's three spaces: a
/// block indented under a list item is read after the item's indentation,
/// where a tab can be two columns (round 66 closed a comment's block so).
/// A run inside a line is no fence, but is outgrown too, up to
/// [`MAX_INLINE_RUN`] (a lax reader may take one): counting it whole
/// printed a plugin's 5 MB run of backticks twice more as the fence
/// (round 65).
pub fn code_fence(text: &str) -> String {
    // A lone `\r` ends a line too, for CommonMark.
    let longest = text
        .split(['\n', '\r'])
        .map(|line| {
            let rest = line.trim_start_matches([' ', '\t']);
            let leading = rest.len() - rest.trim_start_matches('`').len();
            let inside = line
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0)
                .min(MAX_INLINE_RUN);
            leading.max(inside)
        })
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The longest backtick run inside a line that a fence outgrows.
const MAX_INLINE_RUN: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_output_keeps_colours_and_shows_every_other_escape() {
        let coloured = "\u{1b}[31mFAIL\u{1b}[0m a.test.js\r\n\tat x\n";
        assert!(matches!(runner_output(coloured), Cow::Borrowed(_)));
        assert_eq!(runner_output("plain\n"), "plain\n");
        // Up a line and erase it: over a failure printed just before.
        assert_eq!(
            runner_output("FAIL\n\u{1b}[1A\u{1b}[2KPASS\n"),
            "FAIL\n\\u{1b}[1A\\u{1b}[2KPASS\n"
        );
        // A title, the clipboard, a link, a lone carriage return.
        assert_eq!(
            runner_output("\u{1b}]0;t\u{7}\u{1b}]52;c;eA==\u{7}FAIL\rPASS"),
            "\\u{1b}]0;t\\u{7}\\u{1b}]52;c;eA==\\u{7}FAIL\\rPASS"
        );
        assert_eq!(runner_output("\u{9b}2J\u{202e}x"), "\\u{9b}2J\\u{202e}x");
        // An SGR cut short, or no SGR at all, is no colour.
        assert_eq!(runner_output("a\u{1b}[31"), "a\\u{1b}[31");
        assert_eq!(runner_output("\u{1b}[?1049h"), "\\u{1b}[?1049h");
        assert_eq!(runner_output("\u{1b}"), "\\u{1b}");
        let long = format!("\u{1b}[{}m", "1;".repeat(40));
        assert!(runner_output(&long).starts_with("\\u{1b}["));
        assert_eq!(runner_output("é\u{1b}[1mü"), "é\u{1b}[1mü");
    }

    /// Round 61: what displays as nothing hid a plugin's real name
    /// (`summary` plus tag characters) and can carry hidden text.
    #[test]
    fn what_displays_as_nothing_is_shown() {
        for c in [
            '\u{e0020}',
            '\u{e0065}',
            '\u{e007f}',
            '\u{e0100}',
            '\u{fff9}',
            '\u{fffb}',
            '\u{3164}',
            '\u{115f}',
            '\u{ffa0}',
            '\u{2061}',
            '\u{2064}',
            '\u{206a}',
            '\u{206f}',
            '\u{180e}',
            '\u{00ad}',
            '\u{034f}',
            '\u{fe00}',
            '\u{fe0f}',
            '\u{1d173}',
            '\u{1bca0}',
        ] {
            assert!(is_unsafe(c), "{:04x}", c as u32);
            let name = format!("summary{c}");
            assert_eq!(
                control_chars(&name),
                format!("summary\\u{{{:x}}}", c as u32)
            );
        }
        for c in ['é', 'ü', '中', '😀', 'ß', '\u{2800}'] {
            assert!(!is_unsafe(c), "{:04x}", c as u32);
        }
    }

    #[test]
    fn urls_in_text_are_no_links() {
        assert_eq!(
            markdown_inline("see https://evil.example/login or WWW.evil.example"),
            r"see https\://evil.example/login or WWW\.evil.example"
        );
        assert_eq!(markdown_inline("a.b: c ww. éw."), "a.b: c ww. éw.");
    }

    #[test]
    fn html_in_a_summary_is_text() {
        assert_eq!(
            html_inline("<img src=x onerror='a'> & \"@team\"\n**b**"),
            "&lt;img src=x onerror=&apos;a&apos;&gt; &amp; &quot;@\u{200b}team&quot;\\n**b**"
        );
    }

    #[test]
    fn a_code_block_shows_direction_overrides_instead_of_obeying_them() {
        let block = markdown_code_block("if admin\u{202e} { }\u{2066}\n\tok\u{1b}[31m");
        assert!(
            !block
                .chars()
                .any(|c| is_unsafe(c) && c != '\n' && c != '\t'),
            "{block:?}"
        );
        assert!(
            // The colour sequence is removed, not left as `[31m`.
            block.contains("admin\\u{202e} { }\\u{2066}\n\tok\n"),
            "{block:?}"
        );
    }

    #[test]
    fn terminal_sequences_are_removed_and_nothing_else() {
        assert_eq!(
            strip_ansi("\u{1b}[31mFAIL\u{1b}[39m src/a.test.ts \u{1b}[2m>\u{1b}[22m x"),
            "FAIL src/a.test.ts > x"
        );
        assert_eq!(
            strip_ansi("\u{1b}]8;;https://x\u{7}link\u{1b}]8;;\u{1b}\\ done\u{1b}M"),
            "link done"
        );
        assert!(matches!(strip_ansi("plain"), Cow::Borrowed(_)));
        // A lone ESC at the end, or before something that is no sequence,
        // stays for control_chars to show.
        assert_eq!(strip_ansi("a\u{1b}"), "a\u{1b}");
        assert_eq!(strip_ansi("a\u{1b}\u{1}b"), "a\u{1b}\u{1}b");
        // An unterminated sequence ends the text, it does not loop.
        assert_eq!(strip_ansi("a\u{1b}[12"), "a");
    }

    fn hide_secret(text: &str) -> Cow<'_, str> {
        match text.contains("s3cr_t") {
            true => Cow::Owned(text.replace("s3cr_t", "[gone]")),
            false => Cow::Borrowed(text),
        }
    }

    #[test]
    fn inside_redacting_text_is_scrubbed_before_it_is_escaped() {
        let text = "key s3cr_t\n@x";
        // Escaped, the secret is no longer the text the scrub looks for.
        assert!(markdown_inline(text).contains("s3cr\\_t"));
        let (inline, block, plain) = redacting(hide_secret, || {
            (
                markdown_inline(text),
                markdown_code_block(text),
                control_chars(text).into_owned(),
            )
        });
        assert_eq!(inline, "key \\[gone\\]\\\\n@\u{200b}x");
        assert!(block.contains("key [gone]\n@x"), "{block:?}");
        assert_eq!(plain, "key [gone]\\n@x");
        // Only inside.
        assert!(control_chars(text).contains("s3cr_t"));
    }

    #[test]
    fn a_redacting_scope_ends_even_when_its_render_panics() {
        let outer = redacting(hide_secret, || {
            let inner = std::panic::catch_unwind(|| {
                redacting(|t| Cow::Borrowed(t), || panic!("render failed"))
            });
            assert!(inner.is_err());
            // The outer scope is back.
            markdown_inline("s3cr_t")
        });
        assert_eq!(outer, "\\[gone\\]");
        assert_eq!(markdown_inline("s3cr_t"), "s3cr\\_t");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(control_chars("héllo wörld"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(
            markdown_inline("a|b <img> `x` @team\n"),
            "a\\|b \\<img\\> \\`x\\` @\u{200b}team\\\\n"
        );
        // A run that starts a line after blanks could close the block
        // (nested in a list, a tab is two columns: round 66); one inside a
        // line cannot.
        let block = markdown_code_block("x\n   ```` y\u{1b}[31m\n\t`````");
        assert!(block.starts_with("``````text\n"), "{block}");
        assert!(block.ends_with("\n``````"), "{block}");
        assert!(!block.contains('\u{1b}'));
        let inside = format!("x {} y", "`".repeat(10_000));
        let fence = format!("{}text\n", "`".repeat(65));
        assert!(markdown_code_block(&inside).starts_with(&fence));
        assert!(markdown_code_block("x ```` y").starts_with("`````text\n"));
        // A lone carriage return ends a line for CommonMark: a run after
        // it starts one (the model prompt's fence sees raw text).
        let after_cr = format!("x\r{}", "`".repeat(100));
        assert_eq!(code_fence(&after_cr), "`".repeat(101));
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            control_chars("a\nb\r\t\u{1b}[31mred\u{7f}\u{9b}"),
            "a\\nb\\r\\t\\u{1b}[31mred\\u{7f}\\u{9b}"
        );
        // A right-to-left override would display `test_exe.py` reversed.
        assert_eq!(control_chars("test_\u{202e}yp.exe"), "test_\\u{202e}yp.exe");
        assert_eq!(control_chars("a\u{2066}b\u{200f}"), "a\\u{2066}b\\u{200f}");
    }

    #[test]
    fn a_bounded_line_is_escaped_and_cut() {
        assert_eq!(bounded_line("a\nb", 100), "a\\nb");
        let long = "\u{1}".repeat(1000);
        let line = bounded_line(&long, 30);
        // Six escapes of 5 bytes reach 30; the other 994 bytes are cut.
        assert_eq!(line, format!("{} … (994 bytes cut)", "\\u{1}".repeat(6)));
        assert_eq!(bounded_line("héllo", 2), "hé … (3 bytes cut)");
    }

    #[test]
    fn line_separators_and_zero_width_characters_become_visible() {
        assert_eq!(
            control_chars("a\u{2028}b\u{2029}c"),
            "a\\u{2028}b\\u{2029}c"
        );
        assert_eq!(
            control_chars("ad\u{200b}min\u{200d}\u{2060}\u{feff}"),
            "ad\\u{200b}min\\u{200d}\\u{2060}\\u{feff}"
        );
    }
}
