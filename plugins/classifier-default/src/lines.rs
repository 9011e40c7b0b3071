//! What a line of a failure's text is, apart from its words: a GitHub
//! Actions log line's timestamp, and source quoted for context.
//!
//! The rules (`logic.rs`) and the guess (`guess.rs`) both skip source a
//! tool quotes to show where it failed: its words say what ran, not what
//! went wrong. One definition keeps the two agreeing on what that is.

/// The length of the GitHub Actions timestamp that starts `line`
/// (`2024-05-01T10:00:00.1234567Z `, the space included), else 0.
pub fn timestamp_len(line: &[u8]) -> usize {
    let stamp = line.len() >= 21
        && line[..4].iter().all(u8::is_ascii_digit)
        && line[4] == b'-'
        && line[10] == b'T'
        && line[13] == b':';
    if !stamp {
        return 0;
    }
    match line.iter().take(40).position(|&b| b == b' ') {
        Some(space) if line[space - 1] == b'Z' => space + 1,
        _ => 0,
    }
}

/// `line` without the GitHub Actions timestamp that may start it: what
/// the functions below read. A caller strips it once per line and passes
/// the rest to each of them.
pub fn without_timestamp(line: &[u8]) -> &[u8] {
    &line[timestamp_len(line)..]
}

/// A line of a code frame, its timestamp removed: `> 12 | expect(x)`,
/// ` 3| …`, ` 2 │ …` (a line number, then a bar). Only the start of the
/// line is read, so a line's prefix up to a match will do.
pub fn is_code_frame(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    let line = line.strip_prefix(b">").unwrap_or(line).trim_ascii_start();
    let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = line[digits..].trim_ascii_start();
    digits > 0 && (rest.starts_with(b"|") || rest.starts_with("\u{2502}".as_bytes()))
}

/// Source quoted for context, in a line whose timestamp is removed
/// ([`without_timestamp`]): a code frame's line, or pytest's `>       assert
/// x == 1`.
pub fn is_quoted_source(line: &[u8]) -> bool {
    let pytest = line
        .trim_ascii_start()
        .strip_prefix(b">")
        .is_some_and(|rest| rest.starts_with(b"   "));
    pytest || is_code_frame(line)
}

/// A structured log record below error level, in a line whose timestamp is
/// removed (zap's and logrus's JSON: `{"level":"warn",…,"error":"rpc
/// error: code = DeadlineExceeded …"}`): what the program logged as it
/// went on, not why the run failed (a testify failure printed beside an
/// etcd client's retries; blind set 42). Only the start of the line is
/// read, so a line's prefix up to a match will do.
pub fn is_quiet_log_record(line: &[u8]) -> bool {
    let Some(rest) = line.trim_ascii_start().strip_prefix(b"{\"level\":\"") else {
        return false;
    };
    [&b"debug\""[..], b"info\"", b"warn\"", b"warning\""]
        .iter()
        .any(|level| rest.len() >= level.len() && rest[..level.len()].eq_ignore_ascii_case(level))
}

/// Whether a match lies inside a string value that an assertion's report
/// quotes, on a line after its label (Jest's and Vitest's `Received string:
/// "…`; the rule table marks the labels): the program's output under
/// test, whose words say what the test received, not why it failed (a
/// build's `Module not found` that `expect(output).toMatch(…)` checked).
/// `between` is the text from the end of the label to the match. The
/// value's quote opens right after the label, the value spans lines up to
/// the match (the label's own line is the message and is read as it
/// stands), and no unescaped `"` closes it before the match.
pub fn in_open_value(between: &[u8]) -> bool {
    let blanks = between
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let Some(value) = between[blanks..].strip_prefix(b"\"") else {
        return false;
    };
    let mut escaped = false;
    for &b in value {
        match b {
            b'\\' if !escaped => escaped = true,
            b'"' if !escaped => return false,
            _ => escaped = false,
        }
    }
    value.contains(&b'\n')
}

/// The blanks that start a line whose timestamp is removed.
pub fn indent_of(line: &[u8]) -> usize {
    line.iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// A Python traceback's frame (`  File "app/models.py", line 12, in save`),
/// in a line whose timestamp is removed: the line after it quotes the
/// frame's source.
pub fn is_python_frame(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    line.starts_with(b"File \"") && line.windows(8).any(|w| w == b"\", line ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_read_only_at_the_start_of_a_line() {
        let line = b"2024-05-01T10:00:00.1234567Z error: x";
        assert_eq!(&line[timestamp_len(line)..], b"error: x");
        assert_eq!(timestamp_len(b"error at 2024-05-01T10:00:00.1234567Z x"), 0);
        // A date with no `Z` before the space is a message's, not the log's.
        assert_eq!(timestamp_len(b"2024-05-01T10:00:00+02:00 started"), 0);
        assert_eq!(timestamp_len(b"2024"), 0);
    }

    #[test]
    fn a_log_record_below_error_level_is_quiet() {
        assert!(is_quiet_log_record(
            br#"{"level":"warn","ts":"2022-12-12T07:35:43.946Z","msg":"retrying"#
        ));
        assert!(is_quiet_log_record(without_timestamp(
            br#"2024-05-01T10:00:00.1234567Z {"level":"INFO","msg":"x"}"#
        )));
        assert!(!is_quiet_log_record(br#"{"level":"error","msg":"boom"}"#));
        assert!(!is_quiet_log_record(br#"msg {"level":"warn"}"#));
        assert!(!is_quiet_log_record(br#"{"level":"warnings"}"#));
    }

    #[test]
    fn a_python_frame_is_its_file_and_line() {
        assert!(is_python_frame(
            b"  File \"/w/app/models.py\", line 12, in save"
        ));
        assert!(is_python_frame(without_timestamp(
            b"2024-05-01T10:00:00.1234567Z   File \"x.py\", line 1, in <module>"
        )));
        assert!(!is_python_frame(b"  File not found: x.py, line 1"));
        assert!(!is_python_frame(b"    self.assertEqual(a, b)"));
    }

    #[test]
    fn code_frames_and_pytest_quotes_are_quoted_source() {
        for line in [
            &b"> 12 | expect(x).toBe(1)"[..],
            b"   3| const a = 1",
            " 2 \u{2502} let x = y;".as_bytes(),
            b">       assert add(1, 2) == 4",
            b"2024-05-01T10:00:00.1234567Z >       assert x",
            b"2024-05-01T10:00:00.1234567Z   > 7 | foo()",
        ] {
            assert!(
                is_quoted_source(without_timestamp(line)),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        for line in [
            &b"E       assert 3 == 4"[..],
            b"> build failed",
            b"12 errors",
            b"src/a.ts(3,9): error TS2322",
        ] {
            assert!(
                !is_quoted_source(without_timestamp(line)),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
