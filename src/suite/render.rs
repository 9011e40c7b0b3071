//! The merged report as people read it: a terminal summary and Markdown
//! (for the step summary and PR comments). Every name and message from the
//! test output is escaped for where it goes.

use std::fmt::Write as _;

use super::fold::{FinalOutcome, TestResult};
use super::merge::Merged;
use crate::escape::{control_chars, html_inline, markdown_code_block, markdown_inline};
use crate::triage::group::{Group, Groups};

/// GitHub drops a step summary larger than 1 MiB.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// `md` cut to at most `limit` bytes at a line boundary, with an open code
/// block and `<details>` closed, and a notice saying where the full report
/// is (`pointer`). Unchanged when it fits.
pub fn cap_markdown(md: &str, limit: usize, pointer: &str) -> String {
    if md.len() <= limit {
        return md.to_owned();
    }
    let notice = format!(
        "\n\n**Truncated**: this summary is cut at {} KiB (GitHub's limit); {}\n",
        limit / 1024,
        markdown_inline(pointer)
    );
    // Room for the notice and for closing what is open (a fence is at most
    // as long as the text it fences, so bounded by the cut).
    let mut kept = String::new();
    let mut fence: Option<String> = None;
    let mut open_details = 0usize;
    for line in md.split_inclusive('\n') {
        let closing = fence.as_ref().map_or(0, |f| f.len() + 1) + open_details * 12;
        if kept.len() + line.len() + closing + notice.len() > limit {
            break;
        }
        kept.push_str(line);
        // Fences may be indented: code blocks inside list items are, and
        // one is closed with its own indent (a fence at the margin would
        // end the list item and open a block of its own).
        let line = line.trim_end_matches('\n');
        let bare = line.trim_start_matches(' ');
        match &fence {
            Some(f) if bare == f.trim_start_matches(' ') => fence = None,
            Some(_) => {}
            None => {
                let ticks = bare.len() - bare.trim_start_matches('`').len();
                if ticks >= 3 {
                    fence = Some(line[..line.len() - bare.len() + ticks].to_owned());
                } else {
                    open_details += bare.matches("<details>").count();
                    open_details = open_details.saturating_sub(bare.matches("</details>").count());
                }
            }
        }
    }
    if let Some(f) = fence {
        if !kept.ends_with('\n') {
            kept.push('\n');
        }
        kept.push_str(&f);
        kept.push('\n');
    }
    for _ in 0..open_details {
        kept.push_str("</details>\n");
    }
    kept.push_str(&notice);
    kept
}

/// Tests listed per root cause in the terminal before "N more".
const LISTED: usize = 20;

/// Untrusted text in bold: escaped ([`markdown_inline`]), with a space at
/// either end written as an entity, since `** x**` and `**x **` are no
/// bold in CommonMark and their asterisks show (a test named
/// `trailing space `; round 35).
fn bold(text: &str) -> String {
    let inner = markdown_inline(text);
    let after_lead = inner.trim_start_matches(' ');
    let core = after_lead.trim_end_matches(' ');
    let lead = inner.len() - after_lead.len();
    let trail = after_lead.len() - core.len();
    format!(
        "**{}{core}{}**",
        "&#32;".repeat(lead),
        "&#32;".repeat(trail)
    )
}

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

/// `#1 compile · typescript · 3 tests`: a root cause's heading, unescaped
/// (its parts are the classifier's fixed names and numbers).
pub fn group_heading(group: &Group<'_>) -> String {
    let mut parts = vec![format!("#{} {}", group.priority, group.category)];
    if !group.specialty.is_empty() {
        parts.push(group.specialty.clone());
    }
    parts.push(match group.tests.len() {
        1 => "1 test".into(),
        n => format!("{n} tests"),
    });
    parts.join(" · ")
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

/// `9.0 s wall (12.9 s of test time)`: what the shards took, start to end
/// where `test` measured it, else the slowest shard (shards side by side
/// or on machines of their own); the tests' own times add up to something
/// else. Without shard results (JUnit only) only the test time is known.
pub fn durations(merged: &Merged) -> String {
    let test_time = merged.summary.duration_seconds;
    let slowest = merged
        .shards
        .iter()
        .map(|s| s.duration_seconds)
        .fold(None, |max: Option<f64>, s| {
            Some(max.map_or(s, |m| m.max(s)))
        });
    let wall = merged.wall_seconds.or(slowest);
    match wall {
        Some(wall) => format!("{wall:.1} s wall ({test_time:.1} s of test time)"),
        None => format!("{test_time:.1} s of test time"),
    }
}

/// `1 test`, `26 tests`.
pub fn tests_count(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 test".to_owned(),
        n => format!("{n} tests"),
    }
}

/// `26 tests: 25 passed, 0 failed, 1 flaky, 0 skipped in 9.0 s wall (…)`:
/// the terminal report's first line and the Action's `summary` output.
pub fn summary_line(merged: &Merged) -> String {
    let s = &merged.summary;
    format!(
        "{}: {} passed, {} failed{}, {} flaky, {} skipped in {}",
        tests_count(s.tests),
        s.passed,
        s.failed,
        never_ran(merged),
        s.flaky,
        s.tests - s.passed - s.failed - s.flaky,
        durations(merged)
    )
}

/// How many of the failed tests never ran (`-x`, `--bail`), as ` (48 never
/// ran)`, or nothing: one real failure under `-x` is not a bare 49 failed.
fn never_ran(merged: &Merged) -> String {
    let never_ran = merged
        .tests
        .iter()
        .filter(|t| crate::suite::exec::is_never_ran_test(t))
        .count();
    match never_ran {
        0 => String::new(),
        n => format!(" ({n} never ran)"),
    }
}

pub fn terminal(merged: &Merged, groups: &Groups<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary_line(merged));
    if !groups.0.is_empty() {
        let _ = writeln!(out, "\n{}, by priority:", groups.headline());
        for group in &groups.0 {
            let _ = writeln!(
                out,
                "  {} [{}] ({})",
                group_heading(group),
                group.fingerprint.id,
                group.why.join("; ")
            );
            let _ = writeln!(out, "      {}", control_chars(&group.message()));
            for test in group.tests.iter().take(LISTED) {
                let _ = writeln!(out, "    ✗ {}", control_chars(&display_name(test)));
            }
            if group.tests.len() > LISTED {
                let _ = writeln!(out, "    … and {} more", group.tests.len() - LISTED);
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
    // They may quote input file names: escaped.
    for warning in &merged.warnings {
        let _ = writeln!(out, "\n  ⚠ {}", control_chars(warning));
    }
    if !merged.problems.is_empty() {
        let _ = writeln!(
            out,
            "\nProblems ({}), each fails the run:",
            merged.problems.len()
        );
        for problem in &merged.problems {
            let _ = writeln!(out, "  ✗ {}", control_chars(problem));
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
    let _ = writeln!(out, "### {verdict} pitcrew: {}\n", tests_count(s.tests));
    let _ = writeln!(out, "| passed | failed | flaky | skipped | duration |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {}{} | {} | {} | {} |\n",
        s.passed,
        s.failed,
        never_ran(merged),
        s.flaky,
        s.tests - s.passed - s.failed - s.flaky,
        durations(merged)
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
    if !groups.0.is_empty() {
        let _ = writeln!(out, "**{}**, by priority:\n", groups.headline());
    }
    for group in &groups.0 {
        let _ = writeln!(
            out,
            "<details><summary>{} ({})</summary>\n",
            html_inline(&group_heading(group)),
            html_inline(&group.why.join("; "))
        );
        for test in &group.tests {
            let _ = writeln!(out, "{}\n", bold(&display_name(test)));
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

#[cfg(test)]
mod cap_tests {
    use super::*;

    #[test]
    fn a_long_summary_is_cut_closed_and_pointed_elsewhere() {
        let mut md = String::from("### header\n\n");
        for i in 0..5000 {
            md.push_str(&format!(
                "<details><summary>g{i}</summary>\n\n```text\nline {i}\nmore\n```\n</details>\n\n"
            ));
        }
        let limit = 10_000;
        let capped = cap_markdown(&md, limit, "the full report is pitcrew-report.md");
        assert!(capped.len() <= limit, "{}", capped.len());
        assert!(capped.starts_with("### header"));
        assert!(capped.contains("report.md"), "the pointer is kept");
        assert!(capped.contains("**Truncated**"));
        assert_eq!(
            capped.matches("<details>").count(),
            capped.matches("</details>").count()
        );
        assert_eq!(capped.matches("```").count() % 2, 0);
        assert_eq!(cap_markdown("short", limit, "x"), "short");
        // Cut in the middle of a code block: it is closed.
        let block = format!("```text\n{}```\n", "x\n".repeat(1000));
        let capped = cap_markdown(&block, 500, "see the log");
        assert!(capped.len() <= 500);
        assert_eq!(capped.matches("```").count(), 2, "{capped}");
    }

    /// A code block indented in a list item, cut in the middle, whose text
    /// says `</details>`: the text closes nothing, and the block is closed
    /// at its own indent, so the notice is no code.
    #[test]
    fn an_indented_code_block_is_closed_at_its_indent() {
        let mut md = String::from("<details><summary>x</summary>\n\n- test 1\n\n    ```text\n");
        md.push_str(&"    </details> QQQQ\n".repeat(500));
        md.push_str("    ```\n\n</details>\n");
        let capped = cap_markdown(&md, 2_000, "see the log");
        let before = capped.split("**Truncated**").next().unwrap();
        // The fence is paired, at its indent; the one details block is
        // closed once, whatever the code says.
        assert_eq!(before.matches("```").count(), 2, "{capped}");
        assert_eq!(before.matches("\n</details>\n").count(), 1, "{capped}");
        let last_fence = before.lines().rev().find(|l| l.contains("```"));
        assert_eq!(last_fence, Some("    ```"), "{capped}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::merge::ShardStat;

    #[test]
    fn a_name_with_a_blank_at_either_end_is_still_bold() {
        assert_eq!(bold("a > trailing "), "**a \\> trailing&#32;**");
        assert_eq!(bold("  lead"), "**&#32;&#32;lead**");
        assert_eq!(bold("plain *x*"), "**plain \\*x\\***");
        assert_eq!(bold(" "), "**&#32;**");
    }

    #[test]
    fn the_wall_is_what_test_measured_else_the_slowest_shard() {
        let shard = |shard, duration_seconds| ShardStat {
            shard,
            tests: 1,
            duration_seconds,
        };
        let mut merged = Merged {
            summary: Default::default(),
            tests: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            shards: vec![shard(1, 1.0), shard(2, 1.3)],
            runner: None,
            command: None,
            wall_seconds: None,
        };
        merged.summary.duration_seconds = 2.0;
        // Shards side by side, or on machines of their own.
        assert_eq!(durations(&merged), "1.3 s wall (2.0 s of test time)");
        // Run one at a time on one machine: `test` measured 2.4 s.
        merged.wall_seconds = Some(2.4);
        assert_eq!(durations(&merged), "2.4 s wall (2.0 s of test time)");
        merged.shards.clear();
        merged.wall_seconds = None;
        assert_eq!(durations(&merged), "2.0 s of test time");
    }
}
