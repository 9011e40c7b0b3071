//! The test pipeline: after the merge, `report` and `test` run phases over
//! the results (the facts: counts, tests, failures, flaky tests, problems,
//! shard balance, changed files when known). Order: the phases added in
//! `[[test.phases]]`, then the built-in `verdict` (native, required: it
//! decides the exit code, see [`crate::suite::publish::Verdict`]), then the
//! `summary` plugin (optional). Added phases own sections of their own,
//! shown in every view; their blocking checks block as in `plan`.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::config::Config;
use crate::error::exit;
use crate::escape::{control_chars, html_inline, markdown_code_block, markdown_inline};
use crate::host::Runtime;
use crate::pipeline::schema::Sections;
use crate::pipeline::{self, Check, Outcome, PipelineError, Slot, Status, plugins};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::merge::Merged;
use crate::suite::publish::{FLAKY_CHECK, VERDICT_KEY, Verdict};
use crate::suite::render;
use crate::suite::shard::FlakyPolicy;

/// The version of the facts' shape (`schemas/facts/test-facts.schema.json`).
pub const FACTS_VERSION: u32 = 1;

/// What the run knows besides the merged results.
pub struct Context<'a> {
    pub flaky: FlakyPolicy,
    /// The pull request's changed files, when known (`--changed-first`).
    pub changed_files: Option<Vec<String>>,
    pub config: &'a Config,
}

/// The test pipeline's outcome: the sections and checks, the plugins used.
pub struct Phases {
    pub outcome: Outcome,
    pub plugins: Vec<Value>,
}

impl Phases {
    /// 1 when a blocking check failed (a test failed and no phase waived
    /// it, an integrity problem, a flaky test under `--flaky fail`, or an
    /// added phase's own blocking check).
    pub fn exit_code(&self) -> u8 {
        if self.outcome.blocked() {
            exit::FAILED
        } else {
            exit::SUCCESS
        }
    }
}

/// Runs the test pipeline over `merged`.
pub fn run(
    runtime: &Runtime,
    merged: &Merged,
    context: &Context<'_>,
) -> Result<Phases, PipelineError> {
    let (slots, plugins) = slots(runtime, merged, context);
    let outcome = pipeline::run(&slots, &facts(merged, context))?;
    Ok(Phases { outcome, plugins })
}

fn slots<'a>(
    runtime: &Runtime,
    merged: &'a Merged,
    context: &Context<'_>,
) -> (Vec<Slot<'a>>, Vec<Value>) {
    let config = context.config;
    let mut used = Vec::new();
    let schema = Sections::new(
        "schemas/facts/test-document.schema.json",
        include_str!("../../schemas/facts/test-document.schema.json"),
    );
    let mut slots: Vec<Slot<'a>> =
        plugins::added(runtime, "test", &config.added.test, &[], &mut used);
    for slot in &mut slots {
        slot.promises = slot.owns.iter().map(|key| schema.promise(key)).collect();
    }
    let added: Vec<String> = slots.iter().map(|s| s.name.clone()).collect();
    slots.push(Slot {
        name: VERDICT_KEY.into(),
        owns: vec![VERDICT_KEY.into()],
        after: added.clone(),
        required: true,
        phase: Ok(Box::new(Verdict {
            merged,
            flaky: context.flaky,
        })),
        promises: Vec::new(),
    });
    let key = "phases.summary";
    let spec = match config.phases.get("summary") {
        None => Err(format!("no plugin configured for `{key}`")),
        Some(setting) if !setting.enabled => Err(format!(
            "disabled in pitcrew.toml (`{key}.enabled = false`)"
        )),
        Some(setting) => Ok(&setting.spec),
    };
    let fallback = plugins::Fallback {
        owns: vec!["summary".into()],
        after: Vec::new(),
    };
    let mut after = added;
    after.push(VERDICT_KEY.into());
    let (mut summary, plugin) =
        plugins::slot(runtime, "summary", key, spec, fallback, &after, false);
    summary.promises = summary.owns.iter().map(|k| schema.promise(k)).collect();
    used.extend(plugin);
    slots.push(summary);
    (slots, used)
}

/// The facts the phases decide over (`schemas/facts/test-facts.schema.json`).
pub fn facts(merged: &Merged, context: &Context<'_>) -> Value {
    let tests: Vec<Value> = merged.tests.iter().map(test).collect();
    let with_failure = |outcome: FinalOutcome| -> Vec<Value> {
        merged
            .tests
            .iter()
            .filter(|t| t.outcome == outcome)
            .map(failure)
            .collect()
    };
    json!({
        "version": FACTS_VERSION,
        "counts": merged.summary,
        "tests": tests,
        "failures": with_failure(FinalOutcome::Failed),
        "flaky": with_failure(FinalOutcome::Flaky),
        "problems": merged.problems,
        "warnings": merged.warnings,
        "shards": merged.shards,
        "balance": render::balance(merged),
        "changed_files": context.changed_files,
        "flaky_policy": match context.flaky {
            FlakyPolicy::Pass => "pass",
            FlakyPolicy::Fail => "fail",
        },
        // Root-cause groups from triage, once it runs before the phases;
        // null until then.
        "groups": Value::Null,
    })
}

fn test(test: &TestResult) -> Value {
    json!({
        "id": render::display_name(test),
        "file": test.key.file,
        "classname": test.key.classname,
        "name": test.key.name,
        "outcome": test.outcome,
        "attempts": test.attempts,
        "duration_seconds": test.duration_seconds,
    })
}

fn failure(test: &TestResult) -> Value {
    let info = test.failure.as_ref();
    json!({
        "id": render::display_name(test),
        "file": test.key.file,
        "message": info.and_then(|f| f.message.as_deref()),
        "type": info.and_then(|f| f.failure_type.as_deref()),
        "details": info.and_then(|f| f.details.as_deref()),
    })
}

/// Sections other than the built-ins' (`verdict`, `summary`), in run order.
fn added_sections(outcome: &Outcome) -> impl Iterator<Item = (&String, &Value)> {
    outcome
        .document
        .iter()
        .filter(|(key, _)| key.as_str() != VERDICT_KEY && key.as_str() != "summary")
}

/// Checks worth a line: every check of an added phase that did not pass,
/// and the verdict's warnings (waived failures, flaky tests); its failures
/// are the report's own failure list.
fn notable(outcome: &Outcome) -> impl Iterator<Item = &Check> {
    outcome.checks.iter().filter(|c| match c.status {
        Status::Pass | Status::Skip => false,
        Status::Warn => true,
        // The summary says what failed, but not that a flaky test fails
        // the run (`--flaky fail`): that check says so.
        Status::Fail => c.layer != VERDICT_KEY || c.id == FLAKY_CHECK,
    })
}

fn mark(check: &Check) -> &'static str {
    match (check.status, check.blocking) {
        (Status::Pass, _) => "✓",
        (Status::Warn, _) | (Status::Fail, false) => "⚠",
        (Status::Fail, true) => "✗",
        (Status::Skip, _) => "–",
    }
}

/// The terminal's lines for the phases: notable checks, then added
/// sections one line each (cut). Empty when there is nothing to say.
pub fn terminal(outcome: &Outcome) -> String {
    let mut out = String::new();
    for check in notable(outcome) {
        let _ = writeln!(
            out,
            "{} {} {}",
            mark(check),
            control_chars(&check.id),
            control_chars(&check.message)
        );
    }
    for (key, value) in added_sections(outcome) {
        let text = value.to_string();
        let cut: String = text.chars().take(160).collect();
        let more = if cut.len() < text.len() { "…" } else { "" };
        let _ = writeln!(out, "{}: {}{more}", control_chars(key), control_chars(&cut));
    }
    out
}

/// The Markdown for the phases: notable checks as a list, each added
/// section as a JSON block under its name.
pub fn markdown(outcome: &Outcome) -> String {
    let mut out = String::new();
    let checks: Vec<&Check> = notable(outcome).collect();
    let sections: Vec<(&String, &Value)> = added_sections(outcome).collect();
    if checks.is_empty() && sections.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n### Checks\n");
    for check in checks {
        let _ = writeln!(
            out,
            "- {} **{}**: {}",
            mark(check),
            markdown_inline(&check.id),
            markdown_inline(&check.message)
        );
    }
    for (key, value) in sections {
        let pretty = crate::json::to_string_pretty(value).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n<details><summary>{}</summary>\n\n{}\n\n</details>",
            html_inline(key),
            markdown_code_block(&pretty)
        );
    }
    out
}

/// `report --format json`: the merged results with the pipeline's
/// sections (`phases`) and its checks.
pub fn json(merged: &Merged, outcome: &Outcome) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(merged)?;
    if let Value::Object(map) = &mut value {
        map.insert("phases".into(), Value::Object(outcome.document.clone()));
        map.insert("checks".into(), serde_json::to_value(&outcome.checks)?);
    }
    Ok(value)
}
