//! Failures as JSON Lines, the input of `pitcrew classify`.

use serde::Deserialize;

use crate::escape::control_chars;
use crate::host::types::Failure;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: Option<String>,
    test_name: String,
    file: Option<String>,
    message: String,
    #[serde(default)]
    details: String,
}

/// A line that could not be used: its number (from 1) and why, one line
/// with control characters escaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    pub number: usize,
    pub reason: String,
}

/// What a JSON Lines text held: the usable failures, and the lines that
/// were not (blank lines are neither).
#[derive(Debug, Default)]
pub struct Parsed {
    pub failures: Vec<Failure>,
    pub bad: Vec<BadLine>,
}

/// Parses every line on its own, so one malformed or incomplete line (a
/// truncated last line, say) costs that line and not the batch.
pub fn parse_jsonl(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        match parse_line(line) {
            Ok(line) => parsed.failures.push(Failure {
                id: line.id.unwrap_or_else(|| number.to_string()),
                test_name: line.test_name,
                file: line.file,
                message: line.message,
                details: line.details,
            }),
            Err(reason) => parsed.bad.push(BadLine {
                number,
                reason: control_chars(&reason.to_string()).into_owned(),
            }),
        }
    }
    parsed
}

/// Why one line is not a failure.
#[derive(Debug, thiserror::Error)]
enum LineError {
    #[error("{}", without_position(.0))]
    Json(#[from] serde_json::Error),
    #[error("`test_name` is empty")]
    EmptyTestName,
}

fn parse_line(line: &str) -> Result<Line, LineError> {
    let parsed: Line = serde_json::from_str(line)?;
    if parsed.test_name.trim().is_empty() {
        return Err(LineError::EmptyTestName);
    }
    Ok(parsed)
}

/// serde_json appends " at line 1 column 7"; within one JSON line the
/// column is noise next to our own `file:line`.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_numbers_missing_ids() {
        let text = "{\"test_name\":\"a\",\"message\":\"m\"}\n\n{\"id\":\"x\",\"test_name\":\"b\",\"file\":\"b.py\",\"message\":\"m\",\"details\":\"d\"}\n";
        let parsed = parse_jsonl(text);
        assert!(parsed.bad.is_empty());
        let failures = parsed.failures;
        assert_eq!(failures.len(), 2);
        assert_eq!(failures[0].id, "1");
        assert_eq!(failures[1].id, "x");
        assert_eq!(failures[1].file.as_deref(), Some("b.py"));
    }

    #[test]
    fn a_bad_line_is_named_and_the_rest_is_kept() {
        let text = "{\"test_name\":\" \",\"message\":\"m\"}\n\
                    {\"test_name\":\"a\",\"message\":\"m\"}\n\
                    {\"test_name\":\"a\"}\n\
                    {\"test_name\":\"a\",\"message\":\"m\",\"colo\\u001bur\":1}\n\
                    not json\n\
                    {\"test_name\":\"b\",\"message\":\"m\"}\n\
                    {\"test_name\":\"c\",\"mess";
        let parsed = parse_jsonl(text);
        let ids: Vec<&str> = parsed.failures.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["2", "6"]);
        let numbers: Vec<usize> = parsed.bad.iter().map(|b| b.number).collect();
        assert_eq!(numbers, [1, 3, 4, 5, 7]);
        assert_eq!(parsed.bad[0].reason, "`test_name` is empty");
        assert_eq!(parsed.bad[1].reason, "missing field `message`");
        let unknown = &parsed.bad[2].reason;
        assert!(
            unknown.starts_with("unknown field `colo\\u{1b}ur`"),
            "{unknown}"
        );
        assert!(!unknown.contains('\u{1b}'), "escaped: {unknown}");
        assert!(
            parsed.bad[3].reason.starts_with("expected"),
            "{:?}",
            parsed.bad[3]
        );
        assert!(
            parsed.bad[4].reason.starts_with("EOF"),
            "{:?}",
            parsed.bad[4]
        );
    }
}
