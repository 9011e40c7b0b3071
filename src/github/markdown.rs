//! The sticky PR comment and the check run's text, in Markdown. Every name
//! and message is made inert with [`crate::escape`] (mentions, `#123`,
//! HTML, Markdown, fences), and every text fits GitHub's limits.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::fixes::{Fixes, Hunks, Posted};
use crate::escape::{html_inline, markdown_code_block, markdown_inline};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::merge::Merged;
use crate::suite::render;
use crate::triage::group::Groups;

/// GitHub refuses a comment longer than this (characters).
pub const COMMENT_LIMIT: usize = 65_536;
/// GitHub refuses a check run summary or text longer than this (characters).
pub const CHECK_TEXT_LIMIT: usize = 65_535;

/// The hidden marker that finds our comment again; the digest after it
/// says what the comment reported (for `--comment changes`).
pub const MARKER: &str = "<!-- pitcrew:report";

/// Tests listed per failure group and in the flaky list before "N more".
const LISTED: usize = 20;

/// What the comment and check run show, beyond the merged results.
pub struct Report<'a> {
    pub merged: &'a Merged,
    /// The root causes, highest priority first.
    pub groups: &'a Groups<'a>,
    pub run_url: Option<String>,
    /// The cost estimate line (`≈ $0.42 at …`), from the price table.
    /// The seam the budget work plugs into; `None` leaves it out.
    pub cost_line: Option<String>,
    /// The test pipeline's checks and added sections, as Markdown
    /// (escaped by `suite::phases::markdown`); empty when nothing to say.
    pub phases: String,
    /// The test pipeline's verdict: a blocking check failed (exit 1). A
    /// failure a phase waived does not block.
    pub blocked: bool,
    /// Suggested fixes from a triage document (`report --triage`).
    pub fixes: Option<&'a Fixes>,
}

/// What the results were, in 16 hex digits: counts, then the failing and
/// flaky tests' names. Two runs with the same digest reported the same.
pub fn digest(merged: &Merged) -> String {
    let s = &merged.summary;
    let mut names: Vec<String> = merged
        .tests
        .iter()
        .filter(|t| matches!(t.outcome, FinalOutcome::Failed | FinalOutcome::Flaky))
        .map(|t| format!("{:?} {}", t.outcome, render::display_name(t)))
        .collect();
    names.sort_unstable();
    let mut hash = Sha256::new();
    hash.update(format!(
        "{} {} {} {} {}\n",
        s.tests,
        s.passed,
        s.failed,
        s.flaky,
        merged.problems.len()
    ));
    for name in names {
        hash.update(name.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize()[..8]
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// The marker line for `digest`.
pub fn marker(digest: &str) -> String {
    format!("{MARKER} digest={digest} -->")
}

/// The digest a comment body's marker carries, if it is ours.
pub fn marker_digest(body: &str) -> Option<&str> {
    let rest = body.strip_prefix(MARKER)?;
    let rest = rest.strip_prefix(" digest=")?;
    let end = rest.find(' ')?;
    Some(&rest[..end]).filter(|d| d.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The sticky comment: the marker, then the report, at most
/// [`COMMENT_LIMIT`] characters.
/// `hunks` are the pull request's; `posted` the review suggestions the
/// comment links to instead of showing those edits as diffs.
pub fn comment(report: &Report<'_>, hunks: Option<&Hunks>, posted: &Posted) -> String {
    let fixes = fixes_section(report, hunks, posted);
    let mut digest = digest(report.merged);
    if !fixes.is_empty() {
        // New fixes are a change worth a comment update (`--comment changes`).
        let hash = Sha256::digest(format!("{digest}\n{fixes}").as_bytes());
        digest = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    }
    let marker = marker(&digest);
    let body = body(report, true, &fixes);
    let pointer = match &report.run_url {
        Some(url) => format!("the full report is in the run's step summary: {url}"),
        None => "the full report is in the run's step summary".into(),
    };
    // cap_markdown counts bytes, which are never fewer than characters.
    let capped = render::cap_markdown(&body, COMMENT_LIMIT - marker.len() - 1, &pointer);
    format!("{marker}\n{capped}")
}

/// The check run's title, summary and text.
pub fn check_output(report: &Report<'_>, notice: Option<&str>) -> (String, String, String) {
    let title = headline(report.merged);
    let mut summary = counts_table(report.merged);
    if let Some(notice) = notice {
        let _ = write!(summary, "\n{notice}\n");
    }
    let text = body(report, false, &fixes_section(report, None, &Posted::new()));
    let pointer = "the full report is in the run's step summary";
    (
        title,
        render::cap_markdown(&summary, CHECK_TEXT_LIMIT, pointer),
        render::cap_markdown(&text, CHECK_TEXT_LIMIT, pointer),
    )
}

/// `3 failed, 120 passed, 2 flaky, 1 skipped (126 tests)`.
pub fn headline(merged: &Merged) -> String {
    let s = &merged.summary;
    let skipped = s.tests - s.passed - s.failed - s.flaky;
    let mut line = format!(
        "{} failed, {} passed, {} flaky, {skipped} skipped ({} tests)",
        s.failed, s.passed, s.flaky, s.tests
    );
    if !merged.problems.is_empty() {
        let _ = write!(line, ", {} integrity problems", merged.problems.len());
    }
    line
}

fn counts_table(merged: &Merged) -> String {
    let s = &merged.summary;
    let skipped = s.tests - s.passed - s.failed - s.flaky;
    format!(
        "| tests | passed | failed | flaky | skipped |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {skipped} |\n",
        s.tests, s.passed, s.failed, s.flaky
    )
}

/// The "Suggested fixes" section, then the models' advice on groups the
/// failures section does not list (empty without a triage document).
fn fixes_section(report: &Report<'_>, hunks: Option<&Hunks>, posted: &Posted) -> String {
    let Some(fixes) = report.fixes else {
        return String::new();
    };
    // The edited files are read from the checkout pitcrew runs in.
    let root = std::env::current_dir().unwrap_or_default();
    let listed: BTreeSet<&str> = report
        .groups
        .0
        .iter()
        .map(|g| g.fingerprint.id.as_str())
        .collect();
    fixes.markdown(hunks, posted, &root) + &fixes.other_advice(&listed)
}

fn body(report: &Report<'_>, with_heading: bool, fixes: &str) -> String {
    let merged = report.merged;
    let mut md = String::new();
    if with_heading {
        let icon = if report.blocked { "❌" } else { "✅" };
        let _ = writeln!(md, "## {icon} pitcrew: {}\n", headline(merged));
        md.push_str(&counts_table(merged));
        md.push('\n');
    }
    problems(&mut md, merged);
    failures(&mut md, report);
    md.push_str(fixes);
    flaky(&mut md, merged);
    md.push_str(&report.phases);
    shards(&mut md, merged);
    minutes(&mut md, merged, report.cost_line.as_deref());
    if let Some(url) = &report.run_url {
        // Our own URL (from GITHUB_SERVER_URL and the run id): no user text.
        let _ = writeln!(md, "\n[The run]({url})");
    }
    md
}

fn problems(md: &mut String, merged: &Merged) {
    if merged.problems.is_empty() {
        return;
    }
    md.push_str("### Integrity problems\n\n");
    for problem in merged.problems.iter().take(LISTED) {
        let _ = writeln!(md, "- {}", markdown_inline(problem));
    }
    more(md, merged.problems.len());
    md.push('\n');
}

fn failures(md: &mut String, report: &Report<'_>) {
    if report.groups.0.is_empty() {
        return;
    }
    let _ = writeln!(md, "### {}, by priority\n", report.groups.headline());
    for group in &report.groups.0 {
        let _ = writeln!(
            md,
            "<details><summary><b>{}</b>: {}</summary>\n",
            html_inline(&render::group_heading(group)),
            html_inline(&group.why.join("; "))
        );
        let _ = writeln!(md, "{}\n", markdown_code_block(&group.message()));
        for test in group.tests.iter().take(LISTED) {
            let _ = writeln!(md, "- {}", markdown_inline(&render::display_name(test)));
            if let Some(message) = message(test) {
                let _ = writeln!(md, "\n{}\n", indent(&markdown_code_block(message)));
            }
        }
        more(md, group.tests.len());
        if let Some(fixes) = report.fixes {
            let advice = fixes.advice_for(&group.fingerprint.id);
            if !advice.is_empty() {
                let _ = write!(md, "\n{advice}");
            }
        }
        md.push_str("\n</details>\n\n");
    }
}

fn flaky(md: &mut String, merged: &Merged) {
    let flaky: Vec<&TestResult> = merged
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Flaky)
        .collect();
    if flaky.is_empty() {
        return;
    }
    let _ = writeln!(md, "### Flaky ({})\n", flaky.len());
    for test in flaky.iter().take(LISTED) {
        let _ = writeln!(
            md,
            "- {} ({} attempts)",
            markdown_inline(&render::display_name(test)),
            test.attempts
        );
    }
    more(md, flaky.len());
    md.push('\n');
}

fn shards(md: &mut String, merged: &Merged) {
    if merged.shards.is_empty() {
        return;
    }
    let times = merged.shards.iter().map(|s| s.duration_seconds);
    let slowest = times.clone().fold(0.0, f64::max);
    let fastest = times.fold(f64::INFINITY, f64::min);
    let _ = write!(
        md,
        "### Shards\n\n{} shards, slowest {slowest:.1} s, fastest {fastest:.1} s",
        merged.shards.len()
    );
    if let Some(balance) = render::balance(merged) {
        let _ = write!(
            md,
            ", balance {balance:.2} (slowest / mean; 1.00 is perfect)"
        );
    }
    md.push_str("\n\n");
}

/// Billed minutes: each shard job rounded up to whole minutes, as GitHub
/// bills (the report's own job not included).
pub fn billed_minutes(merged: &Merged) -> u64 {
    merged
        .shards
        .iter()
        .map(|s| ((s.duration_seconds / 60.0).ceil() as u64).max(1))
        .sum()
}

fn minutes(md: &mut String, merged: &Merged, cost_line: Option<&str>) {
    md.push_str("### Time\n\n");
    let _ = writeln!(md, "{}", markdown_inline(&render::durations(merged)));
    if !merged.shards.is_empty() {
        let wall = merged
            .shards
            .iter()
            .map(|s| s.duration_seconds)
            .fold(0.0, f64::max);
        let _ = writeln!(
            md,
            "\nWall: {:.1} min · billed: {} min ({} shard jobs, each rounded up to whole minutes)",
            wall / 60.0,
            billed_minutes(merged),
            merged.shards.len()
        );
    }
    if let Some(line) = cost_line {
        let _ = writeln!(md, "\n{line}");
    }
}

fn more(md: &mut String, total: usize) {
    if total > LISTED {
        let _ = writeln!(md, "- … and {} more", total - LISTED);
    }
}

fn message(test: &TestResult) -> Option<&str> {
    let failure = test.failure.as_ref()?;
    let text = failure
        .message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .or(failure.details.as_deref())?;
    // The first lines say what went wrong; the full text is in the summary.
    let end = text
        .char_indices()
        .filter(|(_, c)| *c == '\n')
        .nth(9)
        .map_or(text.len(), |(i, _)| i);
    let end = text.floor_char_boundary(end.min(2000));
    Some(&text[..end])
}

fn indent(block: &str) -> String {
    block
        .lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::{FailureInfo, TestKey};

    fn test(name: &str, outcome: FinalOutcome, message: &str) -> TestResult {
        TestResult {
            key: TestKey {
                file: Some("tests/a.py".into()),
                classname: String::new(),
                name: name.into(),
                occurrence: 0,
            },
            outcome,
            attempts: 1,
            duration_seconds: 0.1,
            failure: Some(FailureInfo {
                message: Some(message.into()),
                failure_type: None,
                details: None,
                line: None,
            }),
        }
    }

    /// The failures of `m` grouped, each labelled `category(test)`, specialty `backend`.
    fn labelled<'a>(m: &'a Merged, category: impl Fn(&TestResult) -> &str) -> Groups<'a> {
        let failed = crate::triage::group::failed(m);
        let labels = failed
            .iter()
            .map(|t| crate::triage::group::Label {
                category: category(t).into(),
                specialty: "backend".into(),
                language: String::new(),
                classification: None,
            })
            .collect();
        crate::triage::group::group(failed, labels, None)
    }

    fn merged(tests: Vec<TestResult>) -> Merged {
        let mut m = Merged {
            summary: Default::default(),
            tests: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            shards: Vec::new(),
            runner: None,
            command: None,
            wall_seconds: None,
        };
        m.summary.tests = tests.len() as u64;
        m.summary.failed = tests
            .iter()
            .filter(|t| t.outcome == FinalOutcome::Failed)
            .count() as u64;
        m.tests = tests;
        m
    }

    #[test]
    fn hostile_names_and_messages_are_inert() {
        let m = merged(vec![test(
            "@admin <img src=x> #12 [x](http://e) ``` ",
            FinalOutcome::Failed,
            "boom\n```` </details> @team",
        )]);
        let groups = labelled(&m, |_| "assertion");
        let report = Report {
            merged: &m,
            groups: &groups,
            run_url: None,
            cost_line: None,
            phases: String::new(),
            blocked: m.summary.failed > 0 || !m.problems.is_empty(),
            fixes: None,
        };
        let body = comment(&report, None, &Posted::new());
        assert!(body.starts_with(MARKER));
        assert!(!body.contains("@admin"), "{body}");
        // Every `<img` is backslash-escaped: text, not HTML.
        assert_eq!(
            body.matches("<img").count(),
            body.matches("\\<img").count(),
            "{body}"
        );
        assert!(body.contains("\\#12"), "{body}");
        assert!(
            body.contains("`````text\n"),
            "a fence longer than any run: {body}"
        );
        assert!(body.contains("#1 assertion · backend · 1 test"), "{body}");
        assert!(body.contains("1 failure, 1 root cause"), "{body}");
        assert_eq!(marker_digest(&body), Some(digest(&m).as_str()));
    }

    #[test]
    fn the_digest_follows_what_failed() {
        let a = merged(vec![test("x", FinalOutcome::Failed, "m")]);
        let b = merged(vec![test("y", FinalOutcome::Failed, "m")]);
        let a2 = merged(vec![test("x", FinalOutcome::Failed, "other message")]);
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(digest(&a), digest(&a2));
        assert_eq!(marker_digest("not ours"), None);
    }

    #[test]
    fn a_huge_report_fits_the_comment_limit() {
        let tests: Vec<TestResult> = (0..5000)
            .map(|i| {
                // A word per test (numbers are parameterised): 5000 root causes.
                let word: String = i.to_string().bytes().map(|d| (d + 55) as char).collect();
                let message = format!("Error {word} {}", "x".repeat(3000));
                test(&format!("t{i}"), FinalOutcome::Failed, &message)
            })
            .collect();
        let m = merged(tests);
        let groups = labelled(&m, |_| "runtime");
        let report = Report {
            merged: &m,
            groups: &groups,
            run_url: Some("https://github.com/o/r/actions/runs/1".into()),
            cost_line: None,
            phases: String::new(),
            blocked: m.summary.failed > 0 || !m.problems.is_empty(),
            fixes: None,
        };
        let body = comment(&report, None, &Posted::new());
        assert!(body.chars().count() <= COMMENT_LIMIT, "{}", body.len());
        assert!(body.contains("**Truncated**"));
        let (_, summary, text) = check_output(&report, Some("note"));
        assert!(summary.chars().count() <= CHECK_TEXT_LIMIT);
        assert!(text.chars().count() <= CHECK_TEXT_LIMIT);
    }

    #[test]
    fn model_advice_is_shown_in_its_groups_section() {
        use crate::github::fixes::{Advice, FixGroup};
        let m = merged(vec![
            test("x", FinalOutcome::Failed, "boom"),
            test("y", FinalOutcome::Failed, "other thing entirely"),
        ]);
        let groups = labelled(&m, |t| match t.key.name.as_str() {
            "x" => "assertion",
            _ => "runtime",
        });
        let advised = |fingerprint: &str, text: &str| FixGroup {
            fingerprint: fingerprint.into(),
            priority: 1,
            category: "assertion".into(),
            specialty: "test".into(),
            tests: 1,
            fixes: Vec::new(),
            advice: vec![Advice {
                model: "m".into(),
                text: text.into(),
            }],
        };
        let first = groups.0[0].fingerprint.id.clone();
        let fixes = Fixes {
            groups: vec![
                advised(&first, "look at <x> @team"),
                advised("0123456789abcdef", "elsewhere"),
            ],
        };
        let report = Report {
            merged: &m,
            groups: &groups,
            run_url: None,
            cost_line: None,
            phases: String::new(),
            blocked: true,
            fixes: Some(&fixes),
        };
        let body = comment(&report, None, &Posted::new());
        let advice = body.find("> look at \\<x\\> @\u{200b}team").expect(&body);
        let sections: Vec<usize> = body.match_indices("<details>").map(|(i, _)| i).collect();
        let ends: Vec<usize> = body.match_indices("</details>").map(|(i, _)| i).collect();
        assert!(
            sections[0] < advice && advice < ends[0],
            "inside the first group's section: {body}"
        );
        assert_eq!(body.matches("look at").count(), 1, "{body}");
        // A group the report does not list has a section of its own.
        let other = body.find("### Model advice").expect(&body);
        assert!(other > ends[ends.len() - 1] && body[other..].contains("> elsewhere"));
    }
}
