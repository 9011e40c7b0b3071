//! The check run: counts as its summary, the report as its text, and an
//! annotation at the failing line of each failure (flaky tests: warnings).
//!
//! GitHub takes at most 50 annotations per request: the run is created
//! with the first 50 and the rest are appended by updating it, 50 at a
//! time, up to [`MAX_ANNOTATIONS`]; past that the summary says how many
//! more there are.

use serde::Serialize;
use serde_json::json;

use super::client::{ApiError, Client};
use super::context::Context;
use super::markdown::{self, Report};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::render;

/// GitHub's limit per create or update request.
pub const BATCH: usize = 50;
/// Annotations sent in all (20 requests); the rest are counted in a notice.
pub const MAX_ANNOTATIONS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotation {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    pub annotation_level: &'static str,
    pub title: String,
    pub message: String,
}

/// Creates the check run; returns its id and how many annotations went.
pub fn publish(
    client: &Client,
    context: &Context,
    name: &str,
    report: &Report<'_>,
) -> Result<(u64, usize), ApiError> {
    let Some(head_sha) = context.head_sha() else {
        return Err(ApiError::Refused(
            "no commit to attach a check run to (GITHUB_SHA is not set)".into(),
        ));
    };
    // Redacted before they are escaped: an escape inside a secret (a
    // zero-width space shown as `\u{200b}`) would hide it from the redactor.
    let mut all = client.redacting(|| annotations(report.merged.tests.iter()));
    for annotation in &mut all {
        annotation.title = client.redact(&annotation.title);
        annotation.message = client.redact(&annotation.message);
    }
    let sent = all.len().min(MAX_ANNOTATIONS);
    let notice = (all.len() > sent).then(|| {
        format!(
            "**{} more** failures are not annotated (at most {MAX_ANNOTATIONS} annotations are sent).",
            all.len() - sent
        )
    });
    let (title, summary, text) = markdown::check_output(report, notice.as_deref());
    let pointer = "the full report is in the run's step summary";
    let limit = markdown::CHECK_TEXT_LIMIT;
    let (title, summary, text) = (
        client.redact(&title),
        crate::suite::render::cap_markdown(&client.redact(&summary), limit, pointer),
        crate::suite::render::cap_markdown(&client.redact(&text), limit, pointer),
    );
    let mut batches = all[..sent].chunks(BATCH);
    let first = batches.next().unwrap_or(&[]);
    let repo = &context.repo;
    #[derive(serde::Deserialize)]
    struct Created {
        id: u64,
    }
    let created: Created = client.post_json(
        &format!("/repos/{}/{}/check-runs", repo.owner, repo.name),
        &json!({
            "name": name,
            "head_sha": head_sha,
            "status": "completed",
            "conclusion": conclusion(report),
            "details_url": report.run_url,
            "output": { "title": title, "summary": summary, "text": text, "annotations": first },
        }),
    )?;
    for batch in batches {
        client.request(
            http::Method::PATCH,
            &format!(
                "/repos/{}/{}/check-runs/{}",
                repo.owner, repo.name, created.id
            ),
            Some(&json!({
                "output": { "title": title, "summary": summary, "annotations": batch },
            })),
        )?;
    }
    Ok((created.id, sent))
}

fn conclusion(report: &Report<'_>) -> &'static str {
    let s = &report.merged.summary;
    if report.blocked {
        "failure"
    } else if s.passed + s.flaky == 0 {
        "neutral"
    } else {
        "success"
    }
}

/// One annotation per failed test (level `failure`), then per flaky test
/// (`warning`), for tests whose file is known.
pub fn annotations<'a>(tests: impl Iterator<Item = &'a TestResult> + Clone) -> Vec<Annotation> {
    let of = |outcome: FinalOutcome, level: &'static str| {
        tests
            .clone()
            .filter(move |t| t.outcome == outcome)
            .filter_map(move |t| annotation(t, level))
    };
    of(FinalOutcome::Failed, "failure")
        .chain(of(FinalOutcome::Flaky, "warning"))
        .collect()
}

fn annotation(test: &TestResult, level: &'static str) -> Option<Annotation> {
    let file = test.key.file.as_deref()?;
    let path = file.trim_start_matches("./").to_owned();
    let failure = test.failure.as_ref();
    let message = failure.and_then(|f| f.message.as_deref()).unwrap_or("");
    let details = failure.and_then(|f| f.details.as_deref()).unwrap_or("");
    let line = line_in(details, &path)
        .or_else(|| line_in(message, &path))
        .or_else(|| failure.and_then(|f| junit_line(f.line?, &path)))
        .unwrap_or(1);
    let mut text = if details.trim().is_empty() {
        message.to_owned()
    } else if message.trim().is_empty() || details.contains(message.trim()) {
        details.to_owned()
    } else {
        format!("{message}\n\n{details}")
    };
    if text.trim().is_empty() {
        text = "(no message)".into();
    }
    Some(Annotation {
        // A path with characters no file of the repository has: shown
        // escaped, like any name (GitHub then places it on no file).
        path: crate::escape::control_chars(&path).into_owned(),
        start_line: line,
        end_line: line,
        annotation_level: level,
        // Plain text fields: shown as text, not Markdown.
        title: clip(
            &crate::escape::control_chars(&render::display_name(test)),
            255,
        ),
        message: clip(&crate::escape::plain_block(&text), 4000),
    })
}

/// The report's own `line` attribute as a 1-based line of `path`. pytest,
/// the one Python runner that writes it, writes it 0-based (its xunit1
/// `line` is the item's location, counted from 0); other writers (Surefire,
/// mocha reporters) count from 1.
fn junit_line(line: u32, path: &str) -> Option<u32> {
    let line = if path.ends_with(".py") {
        line + 1
    } else {
        line
    };
    (line > 0).then_some(line)
}

/// The first line number the stack gives for `path`: `path:LINE` (JS,
/// Go, Rust, Java's `File.java:LINE`) or `File "…path", line LINE`
/// (Python). The path may appear with a prefix (absolute, `./`).
pub fn line_in(text: &str, path: &str) -> Option<u32> {
    let name = path.rsplit('/').next().unwrap_or(path);
    for (at, _) in text.match_indices(name) {
        let before = &text[..at];
        // Only a whole path component: `xa.py` is not `a.py`.
        if before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            continue;
        }
        let start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\'' | '<' | '['))
            .map_or(0, |i| i + 1);
        let whole = &text[start..at + name.len()];
        if !(whole == path
            || whole.ends_with(&format!("/{path}"))
            || path.ends_with(&format!("/{whole}"))
            || whole == name)
        {
            continue;
        }
        let after = &text[at + name.len()..];
        let digits = |s: &str| {
            let n: String = s.chars().take_while(char::is_ascii_digit).collect();
            n.parse::<u32>().ok().filter(|n| *n > 0)
        };
        if let Some(rest) = after.strip_prefix(':')
            && let Some(line) = digits(rest)
        {
            return Some(line);
        }
        if let Some(rest) = after.strip_prefix("\", line ")
            && let Some(line) = digits(rest)
        {
            return Some(line);
        }
    }
    None
}

fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(max_chars - 1).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conclusion_is_the_pipelines_verdict() {
        let merged = crate::suite::merge::Merged {
            summary: crate::suite::merge::Summary {
                tests: 2,
                passed: 1,
                failed: 1,
                ..Default::default()
            },
            tests: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            shards: Vec::new(),
            runner: None,
            command: None,
            wall_seconds: None,
        };
        let groups = crate::triage::group::Groups(Vec::new());
        let report = |blocked| Report {
            merged: &merged,
            groups: &groups,
            run_url: None,
            cost_line: None,
            phases: String::new(),
            blocked,
            fixes: None,
        };
        assert_eq!(conclusion(&report(true)), "failure");
        // A failure a quarantine phase waived: the run passed.
        assert_eq!(conclusion(&report(false)), "success");
    }

    #[test]
    fn lines_come_from_the_stack_of_each_language() {
        let py =
            "Traceback:\n  File \"/home/runner/work/r/tests/test_cart.py\", line 42, in test_x\n";
        assert_eq!(line_in(py, "tests/test_cart.py"), Some(42));
        let js = "Error: no\n    at Object.<anonymous> (/work/src/cart.test.js:17:5)";
        assert_eq!(line_in(js, "src/cart.test.js"), Some(17));
        assert_eq!(
            line_in(js, "./src/cart.test.js".trim_start_matches("./")),
            Some(17)
        );
        let go = "    cart_test.go:88: expected 3";
        assert_eq!(line_in(go, "pkg/cart/cart_test.go"), Some(88));
        // Another file of the same name suffix is not ours.
        assert_eq!(
            line_in("at (/w/xcart.test.js:9:1)", "src/cart.test.js"),
            None
        );
        assert_eq!(
            line_in("other/dir/cart.test.js:9", "src/cart.test.js"),
            None
        );
        assert_eq!(line_in("no line here", "a.py"), None);
    }

    #[test]
    fn without_a_line_in_the_stack_the_reports_line_attribute_is_used() {
        use crate::suite::fold::{FailureInfo, TestKey};
        let failed = |file: &str, details: &str, line: Option<u32>| TestResult {
            key: TestKey {
                file: Some(file.into()),
                classname: String::new(),
                name: "t".into(),
                occurrence: 0,
            },
            outcome: FinalOutcome::Failed,
            attempts: 1,
            duration_seconds: 0.0,
            failure: Some(FailureInfo {
                message: Some("boom".into()),
                details: Some(details.into()),
                line,
                ..FailureInfo::default()
            }),
        };
        let line_of = |t: TestResult| annotation(&t, "failure").map(|a| a.start_line);
        // Surefire and JS writers count from 1; pytest from 0.
        assert_eq!(line_of(failed("src/A.java", "boom", Some(12))), Some(12));
        assert_eq!(line_of(failed("tests/test_a.py", "", Some(41))), Some(42));
        // The stack wins over the attribute (it names the failing line).
        let stack = "at (/w/src/a.test.js:7:3)";
        assert_eq!(line_of(failed("src/a.test.js", stack, Some(2))), Some(7));
        // Neither: line 1, so the annotation still lands in the file.
        assert_eq!(line_of(failed("src/b.test.js", "", None)), Some(1));
        assert_eq!(line_of(failed("src/b.test.js", "", Some(0))), Some(1));
    }

    /// A check run's annotations are shown on the pull request, inline in
    /// its files: nothing in them may reorder or hide what a reviewer reads.
    #[test]
    fn annotations_show_controls_and_direction_marks_escaped() {
        use crate::suite::fold::{FailureInfo, TestKey};
        let hostile =
            "a\u{1b}[31mRED\u{9b}2J\u{85}\u{202e}gpj.exe\u{2066}\u{2028}\u{200b}\r\u{7}\u{7f}";
        let test = TestResult {
            key: TestKey {
                file: Some(format!("tests/{hostile}.py")),
                classname: String::new(),
                name: format!("t{hostile}"),
                occurrence: 0,
            },
            outcome: FinalOutcome::Failed,
            attempts: 1,
            duration_seconds: 0.0,
            failure: Some(FailureInfo {
                message: Some(format!("boom {hostile}\n\tat line 2")),
                ..FailureInfo::default()
            }),
        };
        let a = annotation(&test, "failure").unwrap();
        for text in [&a.path, &a.title, &a.message] {
            assert!(
                !text
                    .chars()
                    .any(|c| crate::escape::is_unsafe(c) && c != '\n' && c != '\t'),
                "{text:?}"
            );
        }
        assert!(a.message.contains("\\u{202e}gpj.exe"), "{}", a.message);
        assert!(a.message.ends_with("\n\tat line 2"), "{}", a.message);
        assert!(a.path.contains("\\u{202e}"), "{}", a.path);
    }

    #[test]
    fn clipping_keeps_char_boundaries() {
        assert_eq!(clip("ééééé", 10), "ééééé");
        assert!(clip(&"é".repeat(300), 255).chars().count() <= 255);
    }
}
