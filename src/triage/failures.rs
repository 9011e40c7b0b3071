//! Failures as JSON Lines, the input of `pitcrew classify`.

use serde::Deserialize;

use crate::InputError;
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

/// Parses every line (blank lines skipped). A bad line is an error naming
/// the file, the line and what is wrong with it; nothing is returned then.
pub fn parse_jsonl(text: &str, origin: &str) -> Result<Vec<Failure>, InputError> {
    let mut failures = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let parsed: Line = serde_json::from_str(line)
            .map_err(|e| InputError::new(format!("{origin}:{number}: {}", without_position(&e))))?;
        if parsed.test_name.trim().is_empty() {
            return Err(InputError::new(format!(
                "{origin}:{number}: `test_name` is empty"
            )));
        }
        failures.push(Failure {
            id: parsed.id.unwrap_or_else(|| number.to_string()),
            test_name: parsed.test_name,
            file: parsed.file,
            message: parsed.message,
            details: parsed.details,
        });
    }
    Ok(failures)
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
        let failures = parse_jsonl(text, "f.jsonl").unwrap();
        assert_eq!(failures.len(), 2);
        assert_eq!(failures[0].id, "1");
        assert_eq!(failures[1].id, "x");
        assert_eq!(failures[1].file.as_deref(), Some("b.py"));
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let err = parse_jsonl(
            "{\"test_name\":\"a\",\"message\":\"m\"}\n{\"test_name\":\"a\"}\n",
            "f.jsonl",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "f.jsonl:2: missing field `message`");
        let err = parse_jsonl(
            "{\"test_name\":\"a\",\"message\":\"m\",\"colour\":1}",
            "f.jsonl",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("f.jsonl:1: unknown field `colour`"),
            "{err}"
        );
        let err = parse_jsonl("not json", "f.jsonl").unwrap_err();
        assert!(err.to_string().starts_with("f.jsonl:1: expected"), "{err}");
        let err = parse_jsonl("{\"test_name\":\" \",\"message\":\"m\"}", "-").unwrap_err();
        assert_eq!(err.to_string(), "-:1: `test_name` is empty");
    }
}
