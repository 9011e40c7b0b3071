//! Step outputs through `$GITHUB_OUTPUT`.
//!
//! Every value is written in the multi-line form `name<<DELIMITER`, with a
//! delimiter the value cannot contain: derived from the value's own sha256,
//! so text from a test run cannot end the value early and set another
//! output (a test name such as `x\nfailed=0` stays inside its value).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Appends `outputs` to the file `$GITHUB_OUTPUT` names, when it is set;
/// does nothing outside GitHub Actions.
pub fn write_to_env(outputs: &[(&str, String)]) -> std::io::Result<()> {
    match std::env::var_os("GITHUB_OUTPUT") {
        Some(path) if !path.is_empty() => append(Path::new(&path), outputs),
        _ => Ok(()),
    }
}

/// Appends `outputs` to the output file at `path`.
pub fn append(path: &Path, outputs: &[(&str, String)]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(format(outputs).as_bytes())
}

/// The text `outputs` become in the output file.
pub fn format(outputs: &[(&str, String)]) -> String {
    let mut text = String::new();
    for (name, value) in outputs {
        let delimiter = delimiter_for(value);
        // Writing to a String cannot fail.
        let _ = write!(text, "{name}<<{delimiter}\n{value}\n{delimiter}\n");
    }
    text
}

/// Appends `markdown` to `$GITHUB_STEP_SUMMARY` when it is set, cut at
/// GitHub's 1 MiB with a notice naming `pointer` (where the whole text is).
/// Returns whether it was cut.
/// `markdown` is only made when there is a step summary.
pub fn append_step_summary(
    markdown: impl FnOnce() -> String,
    pointer: &str,
) -> std::io::Result<bool> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) else {
        return Ok(false);
    };
    use crate::suite::render::{STEP_SUMMARY_LIMIT, cap_markdown};
    let markdown = markdown();
    let capped = cap_markdown(&markdown, STEP_SUMMARY_LIMIT, pointer);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(capped.as_bytes())?;
    Ok(capped.len() < markdown.len())
}

/// What `pitcrew triage` hands a workflow (nothing outside GitHub Actions):
/// its Markdown in the step summary, and the outputs `failed`, `summary`
/// (the headline) and `report-path` (the `-o` file, when there is one).
pub fn triage(
    markdown: impl FnOnce() -> String,
    failures: usize,
    headline: &str,
    written: Option<&Path>,
) -> std::io::Result<()> {
    let pointer = match written {
        Some(path) => format!("the whole triage is {}", path.display()),
        None => "the whole triage is in the job log".to_string(),
    };
    if append_step_summary(markdown, &pointer)? {
        tracing::warn!("the triage is over GitHub's 1 MiB step summary: cut, with a notice");
    }
    let mut outputs = vec![
        ("failed", failures.to_string()),
        ("summary", headline.to_string()),
    ];
    if let Some(path) = written {
        outputs.push(("report-path", path.display().to_string()));
    }
    write_to_env(&outputs)
}

fn delimiter_for(value: &str) -> String {
    let hash = Sha256::digest(value.as_bytes());
    let mut delimiter = String::from("pitcrew_");
    for byte in &hash[..16] {
        let _ = write!(delimiter, "{byte:02x}");
    }
    // Only a value that contains its own hash could need this.
    while value.contains(&delimiter) {
        delimiter.push('_');
    }
    delimiter
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads an output file the way the runner does.
    fn parse(text: &str) -> Vec<(String, String)> {
        let mut lines = text.lines();
        let mut outputs = Vec::new();
        while let Some(line) = lines.next() {
            let (name, delimiter) = line.split_once("<<").expect("multi-line form");
            let mut value = Vec::new();
            for line in lines.by_ref() {
                if line == delimiter {
                    break;
                }
                value.push(line);
            }
            outputs.push((name.to_owned(), value.join("\n")));
        }
        outputs
    }

    #[test]
    fn values_with_newlines_and_fake_outputs_stay_inside_their_value() {
        let hostile = "3 failed\nfailed=0\nEOF\npassed<<EOF\n99".to_owned();
        let text = format(&[("summary", hostile.clone()), ("failed", "3".to_owned())]);
        assert_eq!(
            parse(&text),
            [
                ("summary".to_owned(), hostile),
                ("failed".to_owned(), "3".to_owned())
            ]
        );
    }

    #[test]
    fn a_value_holding_its_own_delimiter_gets_a_longer_one() {
        let value = delimiter_for("x");
        let text = format(&[("v", value.clone())]);
        assert_eq!(parse(&text), [("v".to_owned(), value)]);
    }

    #[test]
    fn append_adds_to_what_earlier_steps_wrote() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out");
        std::fs::write(&path, "matrix<<A\n{}\nA\n").expect("earlier output");
        append(&path, &[("passed", "7".to_owned())]).expect("append");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            parse(&text),
            [
                ("matrix".to_owned(), "{}".to_owned()),
                ("passed".to_owned(), "7".to_owned())
            ]
        );
    }
}
