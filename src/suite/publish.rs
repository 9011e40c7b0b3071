//! The merged report's verdict, and where the report goes: the terminal
//! (or markdown, or JSON) on stdout, a markdown file, and in GitHub
//! Actions the step summary and the step outputs.

use std::io::Write as _;
use std::path::Path;

use std::collections::HashMap;

use anyhow::Context as _;
use serde_json::{Map, Value, json};

use crate::error::exit;
use crate::output::write_atomic;
use crate::pipeline::{Check, Outcome, Phase, PhaseError, PhaseInput, PhaseOutput, Status};
use crate::suite::fold::FinalOutcome;
use crate::suite::merge::Merged;
use crate::suite::render;
use crate::suite::shard::FlakyPolicy;
use crate::triage::group::Groups;
use crate::triage::redact::Redactor;

/// 1 when a test failed or the merge found a problem.
pub fn verdict(merged: &Merged) -> u8 {
    if merged.summary.failed > 0 || !merged.problems.is_empty() {
        exit::FAILED
    } else {
        exit::SUCCESS
    }
}

/// The test pipeline's built-in `verdict` phase: the failed tests (less
/// those a phase before it waived), the merge's integrity problems and the
/// flaky policy, as blocking checks; its section says what decided.
///
/// A phase waives a failed test by listing it in its own section:
/// `{"waived": [{"test": ID, "reason": "…"}]}` (a quarantine list). A waived
/// failure is a warning naming the section; a waiver never covers an
/// integrity problem or a flaky test.
pub struct Verdict<'a> {
    pub merged: &'a Merged,
    pub flaky: FlakyPolicy,
}

/// How many names a check message lists before `(+N more)`.
const NAMED: usize = 5;

impl Phase for Verdict<'_> {
    fn run(&self, input: &PhaseInput<'_>) -> Result<PhaseOutput, PhaseError> {
        let waivers = waivers(input.document);
        let (mut failed, mut waived) = (Vec::new(), Vec::new());
        let mut flaky = Vec::new();
        for test in &self.merged.tests {
            match test.outcome {
                FinalOutcome::Failed => {
                    let id = render::display_name(test);
                    match waivers.get(id.as_str()) {
                        Some((by, reason)) => waived.push(json!({
                            "test": id, "by": by, "reason": reason,
                        })),
                        None => failed.push(id),
                    }
                }
                FinalOutcome::Flaky => flaky.push(render::display_name(test)),
                _ => {}
            }
        }
        let problems = &self.merged.problems;
        let flaky_fails = self.flaky == FlakyPolicy::Fail && !flaky.is_empty();
        let mut checks = vec![
            check(
                "tests.failed",
                failed.is_empty(),
                true,
                if failed.is_empty() {
                    format!("no test failed ({} passed)", self.merged.summary.passed)
                } else {
                    format!("{} test(s) failed: {}", failed.len(), named(&failed))
                },
            ),
            check(
                "results.integrity",
                problems.is_empty(),
                true,
                match problems.first() {
                    None => "every planned shard and item reported".into(),
                    Some(first) => format!("{} integrity problem(s): {first}", problems.len()),
                },
            ),
        ];
        if !flaky.is_empty() {
            let policy = if flaky_fails { "fail" } else { "pass" };
            let mut flaky_check = check(
                FLAKY_CHECK,
                !flaky_fails,
                true,
                format!(
                    "{} flaky test(s) (--flaky {policy}): {}",
                    flaky.len(),
                    named(&flaky)
                ),
            );
            if !flaky_fails {
                flaky_check.status = Status::Warn;
            }
            checks.push(flaky_check);
        }
        if !waived.is_empty() {
            let names: Vec<String> = waived
                .iter()
                .map(|w| {
                    format!(
                        "{} (by `{}`)",
                        w["test"].as_str().unwrap_or(""),
                        w["by"].as_str().unwrap_or("")
                    )
                })
                .collect();
            let mut waived_check = check(
                "tests.waived",
                true,
                false,
                format!(
                    "{} known failure(s) waived: {}",
                    waived.len(),
                    named(&names)
                ),
            );
            waived_check.status = Status::Warn;
            checks.push(waived_check);
        }
        let blocked = checks.iter().any(Check::blocks);
        let section = json!({
            "status": if blocked { "fail" } else { "pass" },
            "failed": failed,
            "waived": waived,
            "flaky": flaky,
            "flaky_policy": if self.flaky == FlakyPolicy::Fail { "fail" } else { "pass" },
            "problems": problems,
        });
        let mut keys = Map::new();
        keys.insert(VERDICT_KEY.into(), section);
        // The host's own phase: not counted against the plugins' budget
        // (a suite's failures are listed, however many).
        Ok(PhaseOutput {
            keys,
            checks,
            shape: None,
        })
    }
}

/// The key the verdict phase owns.
pub const VERDICT_KEY: &str = "verdict";

/// The verdict's check on flaky tests, which fails under `--flaky fail`.
pub const FLAKY_CHECK: &str = "tests.flaky";

/// Failed tests waived by a section: test id → (section, reason).
fn waivers(document: &Map<String, Value>) -> HashMap<&str, (&str, &str)> {
    let mut waivers = HashMap::new();
    for (section, value) in document {
        for waiver in value["waived"].as_array().into_iter().flatten() {
            if let Some(test) = waiver["test"].as_str() {
                let reason = waiver["reason"].as_str().unwrap_or("");
                waivers.entry(test).or_insert((section.as_str(), reason));
            }
        }
    }
    waivers
}

fn check(id: &str, pass: bool, blocking: bool, message: String) -> Check {
    Check {
        id: id.into(),
        layer: "verdict".into(),
        status: if pass { Status::Pass } else { Status::Fail },
        message,
        blocking,
    }
}

/// `a, b, c (+2 more)`.
fn named(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(NAMED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMED {
        text.push_str(&format!(" (+{} more)", names.len() - NAMED));
    }
    text
}

/// How the report is printed on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terminal,
    Json,
    Markdown,
}

/// Writes the markdown report (when asked), the GitHub step summary and
/// outputs (in Actions), and prints the report in `format`; each view with
/// the test pipeline's checks and sections (`phases`).
pub fn publish(
    merged: &Merged,
    groups: &Groups<'_>,
    phases: &Outcome,
    format: impl Into<Format>,
    markdown: Option<&Path>,
) -> anyhow::Result<()> {
    // The Markdown report is what leaves the machine (the step summary, a
    // file a workflow uploads): its names and messages are redacted before
    // they are escaped, and the rendered text once more.
    let redactor = Redactor::from_env(&[]);
    let md = redactor
        .redacted_markdown(|| render::markdown(merged, groups) + &super::phases::markdown(phases));
    let actions = crate::github::context::in_actions();
    if let Some(path) = markdown {
        write_atomic(path, md.as_bytes())?;
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&summary)?;
        let pointer = match markdown {
            Some(path) => format!("the full report is {}", path.display()),
            None => "the full report: `pitcrew report --markdown FILE` (or the job log)".into(),
        };
        let capped = render::cap_markdown(&md, render::STEP_SUMMARY_LIMIT, &pointer);
        if capped.len() < md.len() {
            tracing::warn!(
                "the step summary is {} KiB, over GitHub's 1 MiB: cut, with a notice",
                md.len() / 1024
            );
        }
        file.write_all(capped.as_bytes())?;
    }
    let s = &merged.summary;
    let mut outputs = vec![
        ("passed", s.passed.to_string()),
        ("failed", s.failed.to_string()),
        ("flaky", s.flaky.to_string()),
        ("summary", render::summary_line(merged)),
    ];
    if let Some(path) = markdown {
        outputs.push(("report-path", path.display().to_string()));
    }
    crate::github::output::write_to_env(&outputs).context("writing $GITHUB_OUTPUT")?;
    let text = match format.into() {
        Format::Terminal => {
            let terminal = || render::terminal(merged, groups) + &super::phases::terminal(phases);
            // In Actions the terminal is the job's log.
            match actions {
                true => redactor.redacting(terminal),
                false => terminal(),
            }
        }
        Format::Markdown => md,
        Format::Json => {
            let mut json = crate::json::to_string_pretty(&super::phases::json(merged, phases)?)?;
            json.push('\n');
            // In Actions the job's log; redacted inside its strings.
            match actions {
                true => redactor.redact(&json).into_owned(),
                false => json,
            }
        }
    };
    // In GitHub Actions, nothing a test wrote can be read as a workflow
    // command: the report goes between stop-commands lines.
    let text = if actions {
        crate::github::workflow_commands::guarded(&text)
    } else {
        text
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::{FailureInfo, TestKey, TestResult};
    use crate::suite::merge::Summary;

    fn test(name: &str, outcome: FinalOutcome) -> TestResult {
        TestResult {
            key: TestKey {
                file: Some("t.py".into()),
                classname: String::new(),
                name: name.into(),
                occurrence: 0,
            },
            outcome,
            attempts: 1,
            duration_seconds: 0.1,
            failure: Some(FailureInfo::default()),
        }
    }

    fn merged(tests: Vec<TestResult>, problems: &[&str]) -> Merged {
        Merged {
            summary: Summary::default(),
            tests,
            problems: problems.iter().map(|p| p.to_string()).collect(),
            warnings: Vec::new(),
            shards: Vec::new(),
            runner: None,
            command: None,
            wall_seconds: None,
        }
    }

    fn decide(merged: &Merged, flaky: FlakyPolicy, document: Value) -> PhaseOutput {
        let document = document.as_object().cloned().unwrap_or_default();
        Verdict { merged, flaky }
            .run(&PhaseInput {
                facts: "{}",
                document: &document,
                checks: &[],
            })
            .unwrap()
    }

    fn blocked(output: &PhaseOutput) -> Vec<&str> {
        output
            .checks
            .iter()
            .filter(|c| c.blocks())
            .map(|c| c.id.as_str())
            .collect()
    }

    #[test]
    fn failures_and_integrity_problems_block() {
        let run = merged(
            vec![test("a", FinalOutcome::Failed)],
            &["shard 2/2: missing"],
        );
        let output = decide(&run, FlakyPolicy::Pass, json!({}));
        assert_eq!(blocked(&output), ["tests.failed", "results.integrity"]);
        assert_eq!(output.keys["verdict"]["status"], "fail");
        assert_eq!(output.keys["verdict"]["failed"], json!(["t.py > a"]));
    }

    #[test]
    fn flaky_tests_warn_or_block_by_policy() {
        let run = merged(vec![test("f", FinalOutcome::Flaky)], &[]);
        let output = decide(&run, FlakyPolicy::Pass, json!({}));
        assert!(blocked(&output).is_empty());
        let flaky = output.checks.iter().find(|c| c.id == FLAKY_CHECK).unwrap();
        assert_eq!(flaky.status, Status::Warn);
        let output = decide(&run, FlakyPolicy::Fail, json!({}));
        assert_eq!(blocked(&output), ["tests.flaky"]);
    }

    #[test]
    fn a_waiver_covers_only_the_failures_it_names() {
        let run = merged(
            vec![
                test("known", FinalOutcome::Failed),
                test("new", FinalOutcome::Failed),
            ],
            &[],
        );
        let waivers =
            json!({"q": {"waived": [{"test": "t.py > known", "reason": "r"}, {"test": 3}]}});
        let output = decide(&run, FlakyPolicy::Pass, waivers);
        assert_eq!(blocked(&output), ["tests.failed"]);
        assert_eq!(
            output.keys["verdict"]["waived"],
            json!([{"test": "t.py > known", "by": "q", "reason": "r"}])
        );
        let run = merged(vec![test("known", FinalOutcome::Failed)], &["bad shard"]);
        let waivers = json!({"q": {"waived": [{"test": "t.py > known"}]}});
        let output = decide(&run, FlakyPolicy::Pass, waivers);
        assert_eq!(
            blocked(&output),
            ["results.integrity"],
            "no waiver for integrity"
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let names: Vec<String> = (0..7).map(|i| i.to_string()).collect();
        assert_eq!(named(&names), "0, 1, 2, 3, 4 (+2 more)");
    }
}
