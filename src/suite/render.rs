//! The merged report as people read it: a terminal summary and Markdown
//! (for the step summary and PR comments). Every name and message from the
//! test output is escaped for where it goes.

use std::fmt::Write as _;

use super::fold::{FinalOutcome, TestResult};
use super::merge::Merged;
use crate::escape::{control_chars, markdown_code_block, markdown_inline};

/// Failures grouped by a label (the classifier's category), largest first.
pub struct Groups<'a>(pub Vec<(String, Vec<&'a TestResult>)>);

/// A test's display name: `file > classname > name` without repeats.
pub fn display_name(test: &TestResult) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(file) = &test.key.file {
        parts.push(file);
    }
    if !test.key.classname.is_empty()
        && Some(test.key.classname.as_str()) != test.key.file.as_deref()
    {
        parts.push(&test.key.classname);
    }
    parts.push(&test.key.name);
    parts.join(" > ")
}

fn first_line(test: &TestResult) -> &str {
    test.failure
        .as_ref()
        .and_then(|f| f.message.as_deref().or(f.details.as_deref()))
        .and_then(|m| m.lines().find(|l| !l.trim().is_empty()))
        .map(str::trim)
        .unwrap_or("(no message)")
}

fn flaky(merged: &Merged) -> Vec<&TestResult> {
    merged
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Flaky)
        .collect()
}

/// max / mean of the shards' durations: 1.00 is a perfect balance.
pub fn balance(merged: &Merged) -> Option<f64> {
    let times: Vec<f64> = merged.shards.iter().map(|s| s.duration_seconds).collect();
    let max = times.iter().copied().fold(0.0, f64::max);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (times.len() > 1 && mean > 0.0).then(|| max / mean)
}

pub fn terminal(merged: &Merged, groups: &Groups<'_>) -> String {
    let s = &merged.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} tests: {} passed, {} failed, {} flaky, {} skipped in {:.1} s",
        s.tests,
        s.passed,
        s.failed,
        s.flaky,
        s.tests - s.passed - s.failed - s.flaky,
        s.duration_seconds
    );
    if !groups.0.is_empty() {
        let _ = writeln!(out, "\nFailures by category:");
        for (label, tests) in &groups.0 {
            let _ = writeln!(out, "  {label} ({})", tests.len());
            for test in tests {
                let _ = writeln!(out, "    ✗ {}", control_chars(&display_name(test)));
                let _ = writeln!(out, "      {}", control_chars(first_line(test)));
            }
        }
    }
    let flaky = flaky(merged);
    if !flaky.is_empty() {
        let _ = writeln!(
            out,
            "\nFlaky ({}): failed, then passed on a retry",
            flaky.len()
        );
        for test in flaky {
            let _ = writeln!(
                out,
                "  ~ {} ({} attempts)",
                control_chars(&display_name(test)),
                test.attempts
            );
        }
    }
    if !merged.shards.is_empty() {
        let times: Vec<String> = merged
            .shards
            .iter()
            .map(|s| format!("{:.1} s", s.duration_seconds))
            .collect();
        let _ = write!(out, "\nShards: {}", times.join(", "));
        if let Some(ratio) = balance(merged) {
            let _ = write!(out, " (slowest / mean = {ratio:.2})");
        }
        let _ = writeln!(out);
    }
    for warning in &merged.warnings {
        let _ = writeln!(out, "\n  ⚠ {warning}");
    }
    if !merged.problems.is_empty() {
        let _ = writeln!(
            out,
            "\nProblems ({}), each fails the run:",
            merged.problems.len()
        );
        for problem in &merged.problems {
            let _ = writeln!(out, "  ✗ {problem}");
        }
    }
    out
}

pub fn markdown(merged: &Merged, groups: &Groups<'_>) -> String {
    let s = &merged.summary;
    let mut out = String::new();
    let verdict = if s.failed == 0 && merged.problems.is_empty() {
        "✅"
    } else {
        "❌"
    };
    let _ = writeln!(out, "### {verdict} pitcrew: {} tests\n", s.tests);
    let _ = writeln!(out, "| passed | failed | flaky | skipped | duration |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {:.1} s |\n",
        s.passed,
        s.failed,
        s.flaky,
        s.tests - s.passed - s.failed - s.flaky,
        s.duration_seconds
    );
    for problem in &merged.problems {
        let _ = writeln!(out, "- ❌ {}", markdown_inline(problem));
    }
    for warning in &merged.warnings {
        let _ = writeln!(out, "- ⚠️ {}", markdown_inline(warning));
    }
    if !merged.problems.is_empty() || !merged.warnings.is_empty() {
        out.push('\n');
    }
    for (label, tests) in &groups.0 {
        let _ = writeln!(
            out,
            "<details><summary>{} ({})</summary>\n",
            markdown_inline(label),
            tests.len()
        );
        for test in tests {
            let _ = writeln!(out, "**{}**\n", markdown_inline(&display_name(test)));
            let details = test
                .failure
                .as_ref()
                .map(|f| {
                    [
                        f.message.as_deref().unwrap_or(""),
                        f.details.as_deref().unwrap_or(""),
                    ]
                    .join("\n")
                })
                .unwrap_or_default();
            let excerpt: String = details.chars().take(2000).collect();
            let _ = writeln!(out, "{}\n", markdown_code_block(&excerpt));
        }
        let _ = writeln!(out, "</details>\n");
    }
    let flaky = flaky(merged);
    if !flaky.is_empty() {
        let _ = writeln!(out, "**Flaky** (failed, then passed on a retry):\n");
        for test in flaky {
            let _ = writeln!(
                out,
                "- {} ({} attempts)",
                markdown_inline(&display_name(test)),
                test.attempts
            );
        }
        out.push('\n');
    }
    if let Some(ratio) = balance(merged) {
        let _ = writeln!(
            out,
            "Shard balance: slowest / mean = {ratio:.2} over {} shards.",
            merged.shards.len()
        );
    }
    out
}
