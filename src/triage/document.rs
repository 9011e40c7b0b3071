//! The triage document (`pitcrew triage`, `schemas/triage.schema.json`):
//! the root causes by priority, each with its labels, tests, one
//! representative message, its route and the models' suggestions; and how
//! it reads in a terminal and in Markdown (every text from tests or models
//! escaped for where it goes).

use std::fmt::Write as _;

use serde::Serialize;

use crate::escape::{control_chars, markdown_code_block, markdown_inline};
use crate::fix;
use crate::host::Plugin;
use crate::host::plugin::MAX_PROMPT_BYTES;
use crate::suite::render::{display_name, group_heading};
use crate::triage::group::{Group, Groups};
use crate::triage::model::ModelClient;
use crate::triage::redact::Redactor;
use crate::triage::route::{Routed, route};
use crate::triage::settings::RouterOverrides;
use crate::triage::suggest::{Asked, ModelSetup, Suggestion, ask, off_reason};

/// What `pitcrew triage` prints with `--format json`.
#[derive(Debug, Serialize)]
pub struct Triage {
    /// Failed tests.
    pub failures: usize,
    pub root_causes: usize,
    /// `37 failures, 3 root causes`.
    pub headline: String,
    /// Highest priority first.
    pub groups: Vec<GroupReport>,
    /// `on`, or `off: <why>`.
    pub suggestions: String,
    /// What else the reader must know (a budget that ran out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where the change under test (which ranks groups it touched higher)
    /// came from; absent when none is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_files: Option<crate::triage::changes::ChangeSource>,
}

#[derive(Debug, Serialize)]
pub struct GroupReport {
    pub fingerprint: String,
    pub category: String,
    pub specialty: String,
    pub language: String,
    /// 1 = fix first.
    pub priority: usize,
    pub why: Vec<String>,
    pub touched: bool,
    /// The failed tests' ids (`file > class > name`).
    pub tests: Vec<String>,
    /// The first test's first message line, as written.
    pub message: String,
    /// What the fingerprint was made of.
    pub signature: Signature,
    pub route: RouteReport,
    /// Fixes first (verified ones leading), then the models' advice.
    pub suggestions: Vec<Entry>,
}

/// One entry of a group's `suggestions`: a fix candidate (`--fix`:
/// `verified`, `failed`, `rejected` or `unverified`, with its edits) or a
/// model's advice (or why there is none).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Fix(fix::Suggestion),
    Note(Suggestion),
}

#[derive(Debug, Serialize)]
pub struct Signature {
    pub line: String,
    pub frames: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RouteReport {
    /// The route's first choice (`null` when the group could not be routed).
    pub model: Option<String>,
    /// Every model in order, first choice included.
    pub models: Vec<String>,
    pub chosen_by: Option<String>,
    /// `model@endpoint` that answered, `null` when none did.
    pub served_by: Option<String>,
    /// Why that model served, or why none did.
    pub reason: String,
}

/// How suggestions are asked for.
pub struct Options<'a> {
    pub overrides: &'a RouterOverrides,
    /// `--model`.
    pub forced_model: Option<&'a str>,
    /// `None`: suggestions are off, for this reason.
    pub models: Result<ModelSetup<'a>, String>,
    /// What every text bound for a model passes through, before the router
    /// shortens it.
    pub redactor: &'a Redactor,
}

/// Tests named in a prompt's context.
const PROMPT_TESTS: usize = 10;

/// Most bytes of prompts kept for one run's routes until their models are
/// asked, counted as request bodies hold them, JSON-escaped (each route's
/// at most [`MAX_PROMPT_BYTES`] as returned, and as sent); the
/// groups routed after that are not asked, and say why. 64 MiB counted as
/// returned took 640 MB to ask (round 66: control characters escape to
/// six bytes, and each request is built before it waits its turn).
const MAX_KEPT_PROMPT_BYTES: usize = 32 << 20;

/// Routes every group and, when models can be asked, asks each once; the
/// client comes back for fixes to use (one budget for the run).
pub fn build(
    groups: &Groups<'_>,
    router: Result<&Plugin, String>,
    options: &Options<'_>,
) -> (Triage, Option<ModelClient>) {
    // A prompt is kept only for a model that may be asked, and within a
    // budget for the run: a router's prompts, kept for hundreds of groups,
    // would otherwise decide the host's memory.
    let mut prompts = PromptBudget {
        asking: options.models.is_ok() && router.is_ok(),
        left: MAX_KEPT_PROMPT_BYTES,
        redactor: options.redactor,
    };
    let routes: Vec<Result<Routed, String>> = groups
        .0
        .iter()
        .map(|g| match &router {
            Ok(router) => route(
                router,
                g,
                options.overrides,
                options.forced_model,
                options.redactor,
            )
            .map(|routed| prompts.admit(routed))
            .map_err(|e| format!("not routed: {e}")),
            Err(why) => Err(format!("not routed: {why}")),
        })
        .collect();
    let (suggestions, asked, client) = suggestions(groups, &routes, &router, options);
    let mut notes = Vec::new();
    let budget_skips = asked
        .iter()
        .flatten()
        .filter(|a| matches!(&a.suggestion, Suggestion::Skipped { reason } if reason.contains("budget exhausted")))
        .count();
    if budget_skips > 0 {
        notes.push(format!(
            "the model budget ran out: {budget_skips} of {} root causes have no suggestion",
            groups.0.len()
        ));
    }
    let reports = groups
        .0
        .iter()
        .zip(routes)
        .zip(asked)
        .map(|((group, routed), asked)| report(group, routed, asked, &suggestions))
        .collect();
    let triage = Triage {
        failures: groups.failures(),
        root_causes: groups.0.len(),
        headline: groups.headline(),
        groups: reports,
        suggestions,
        notes,
        changed_files: None,
    };
    (triage, client)
}

/// The prompts a run keeps until its models are asked.
struct PromptBudget<'a> {
    /// Whether any model may be asked: if not, no prompt is kept.
    asking: bool,
    left: usize,
    /// Kept prompts are redacted first, so that they are counted as they
    /// will be sent: redaction can make a prompt longer (`a://x@` is
    /// `a://[REDACTED]@`, round 68 sent 2.3 MB for 1 MiB so).
    redactor: &'a Redactor,
}

impl PromptBudget<'_> {
    fn admit(&mut self, mut routed: Routed) -> Routed {
        if !self.asking {
            routed.drop_prompt(String::new());
            return routed;
        }
        let spent = || {
            format!(
                "not asked: this run's prompts reached {} MiB",
                MAX_KEPT_PROMPT_BYTES >> 20
            )
        };
        if self.left == 0 {
            routed.drop_prompt(spent());
            return routed;
        }
        routed.redact(self.redactor);
        // The route's own bound as the contract counts it (the text's
        // bytes); the run's budget as request bodies hold it (escaped).
        let raw = routed.prompt.len() + routed.system_prompt.len();
        let bytes = routed.prompt_bytes();
        if raw > MAX_PROMPT_BYTES {
            routed.drop_prompt(format!(
                "not asked: its prompts take {} KiB once redacted (at most {} KiB)",
                raw.div_ceil(1024),
                MAX_PROMPT_BYTES >> 10
            ));
        } else if bytes <= self.left {
            self.left -= bytes;
        } else {
            routed.drop_prompt(spent());
        }
        routed
    }
}

/// `on` and what each group's models said, or `off: <why>` and nothing.
fn suggestions(
    groups: &Groups<'_>,
    routes: &[Result<Routed, String>],
    router: &Result<&Plugin, String>,
    options: &Options<'_>,
) -> (String, Vec<Option<Asked>>, Option<ModelClient>) {
    let none = || vec![None; routes.len()];
    let setup = match (&options.models, router) {
        (Err(why), _) => return (format!("off: {why}"), none(), None),
        (_, Err(why)) => return (format!("off: no router ({why})"), none(), None),
        _ if groups.0.is_empty() => return ("off: no failures".into(), none(), None),
        (Ok(setup), Ok(_)) => setup,
    };
    let client = match setup.client() {
        Ok(client) => client,
        Err(e) => {
            let why = format!("off: {}", control_chars(&e.to_string()));
            return (why, none(), None);
        }
    };
    if let Some(why) = off_reason(&client) {
        return (format!("off: {why}"), none(), None);
    }
    let requests: Vec<Option<(&Routed, String)>> = routes
        .iter()
        .zip(&groups.0)
        .map(|(routed, group)| {
            let routed = routed.as_ref().ok()?;
            routed.unasked.is_none().then(|| (routed, context(group)))
        })
        .collect();
    let mut asked = ask(&client, &requests);
    for (asked, routed) in asked.iter_mut().zip(routes) {
        if let Ok(Routed {
            unasked: Some(reason),
            ..
        }) = routed
        {
            *asked = Some(Asked {
                served_by: None,
                reason: reason.clone(),
                suggestion: Suggestion::Skipped {
                    reason: reason.clone(),
                },
            });
        }
    }
    ("on".into(), asked, Some(client))
}

/// The group's reach, for the prompt: the tests it breaks.
fn context(group: &Group<'_>) -> String {
    let mut text = format!("This root cause breaks {} test(s):", group.tests.len());
    for test in group.tests.iter().take(PROMPT_TESTS) {
        let _ = write!(text, "\n- {}", display_name(test));
    }
    if group.tests.len() > PROMPT_TESTS {
        let _ = write!(text, "\n- … and {} more", group.tests.len() - PROMPT_TESTS);
    }
    text
}

fn report(
    group: &Group<'_>,
    routed: Result<Routed, String>,
    asked: Option<Asked>,
    suggestions: &str,
) -> GroupReport {
    let route = match (routed, &asked) {
        (Err(why), _) => RouteReport {
            model: None,
            models: Vec::new(),
            chosen_by: None,
            served_by: None,
            reason: why,
        },
        (Ok(routed), asked) => RouteReport {
            model: routed.models.first().cloned(),
            // Why suggestions are off is said once, at the top.
            reason: asked.as_ref().map_or_else(
                || match suggestions {
                    "on" => "not asked".to_string(),
                    _ => "not asked: suggestions are off".to_string(),
                },
                |a| a.reason.clone(),
            ),
            served_by: asked.as_ref().and_then(|a| a.served_by.clone()),
            chosen_by: Some(routed.chosen_by),
            models: routed.models,
        },
    };
    GroupReport {
        fingerprint: group.fingerprint.id.clone(),
        category: group.category.clone(),
        specialty: group.specialty.clone(),
        language: group.language.clone(),
        priority: group.priority,
        why: group.why.clone(),
        touched: group.touched,
        tests: group.tests.iter().map(|t| display_name(t)).collect(),
        message: group.message().into_owned(),
        signature: Signature {
            line: group.fingerprint.line.clone(),
            frames: group.fingerprint.frames.clone(),
        },
        route,
        suggestions: asked
            .map(|a| Entry::Note(a.suggestion))
            .into_iter()
            .collect(),
    }
}

/// Tests listed per group before "N more".
const LISTED: usize = 20;

/// For a terminal: control characters escaped.
pub fn terminal(triage: &Triage, groups: &Groups<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", triage.headline);
    let _ = writeln!(out, "Suggestions: {}", control_chars(&triage.suggestions));
    for note in &triage.notes {
        let _ = writeln!(out, "⚠ {}", control_chars(note));
    }
    if let Some(source) = &triage.changed_files {
        let _ = writeln!(out, "Change under test: {}", source.describe());
    }
    for (report, group) in triage.groups.iter().zip(&groups.0) {
        let _ = writeln!(
            out,
            "\n{} [{}] ({})",
            group_heading(group),
            report.fingerprint,
            report.why.join("; ")
        );
        let _ = writeln!(out, "  {}", control_chars(&report.message));
        let _ = writeln!(
            out,
            "  route: {}",
            control_chars(&route_line(&report.route))
        );
        for suggestion in &report.suggestions {
            match suggestion {
                Entry::Fix(fix) => {
                    let _ = writeln!(out, "  {}", control_chars(&fix_line(fix)));
                    if fix.status == fix::Status::Verified {
                        for line in diff(fix).lines() {
                            let _ = writeln!(out, "    {}", control_chars(line));
                        }
                    }
                }
                Entry::Note(Suggestion::Advice { text, .. }) => {
                    let _ = writeln!(out, "  suggestion:");
                    for line in text.lines() {
                        let _ = writeln!(out, "    {}", control_chars(line));
                    }
                }
                Entry::Note(Suggestion::Skipped { reason }) => {
                    let _ = writeln!(out, "  no suggestion: {}", control_chars(reason));
                }
            }
        }
        for test in report.tests.iter().take(LISTED) {
            let _ = writeln!(out, "  ✗ {}", control_chars(test));
        }
        if report.tests.len() > LISTED {
            let _ = writeln!(out, "  … and {} more", report.tests.len() - LISTED);
        }
    }
    out
}

/// `fix verified (2 votes, m1, m2): the failing tests pass …`.
fn fix_line(fix: &fix::Suggestion) -> String {
    let status = match fix.status {
        fix::Status::Verified => "verified",
        fix::Status::Failed => "failed",
        fix::Status::Rejected => "rejected",
        fix::Status::Unverified => "unverified",
    };
    let votes = match fix.votes {
        1 => "1 vote".to_string(),
        n => format!("{n} votes"),
    };
    format!("fix {status} ({votes}, {}): {}", fix.model, fix.reason)
}

/// A verified fix's edits as a unified-style diff: `--- file`, then the
/// SEARCH lines with `-` and the REPLACE lines with `+`.
fn diff(fix: &fix::Suggestion) -> String {
    let mut text = String::new();
    for edit in &fix.edits {
        let _ = writeln!(text, "--- {}\n+++ {}", edit.file, edit.file);
        for line in edit.search.lines() {
            let _ = writeln!(text, "-{line}");
        }
        for line in edit.replace.lines() {
            let _ = writeln!(text, "+{line}");
        }
    }
    text
}

/// `deepseek-coder:6.7b → served by x@y (first choice)`.
fn route_line(route: &RouteReport) -> String {
    let model = route.model.as_deref().unwrap_or("-");
    match &route.served_by {
        Some(by) => format!("{model} → served by {by} ({})", route.reason),
        None => format!("{model} ({})", route.reason),
    }
}

/// For the step summary or a comment: every text made inert.
pub fn markdown(triage: &Triage, groups: &Groups<'_>) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "### pitcrew triage: {}\n", triage.headline);
    let _ = writeln!(
        md,
        "Suggestions: {}\n",
        markdown_inline(&triage.suggestions)
    );
    for note in &triage.notes {
        let _ = writeln!(md, "- ⚠️ {}", markdown_inline(note));
    }
    if let Some(source) = &triage.changed_files {
        let _ = writeln!(
            md,
            "Change under test: {}\n",
            markdown_inline(&source.describe())
        );
    }
    for (report, group) in triage.groups.iter().zip(&groups.0) {
        let _ = writeln!(
            md,
            "\n#### {} ({})\n",
            markdown_inline(&group_heading(group)),
            markdown_inline(&report.why.join("; "))
        );
        let _ = writeln!(md, "{}\n", markdown_code_block(&report.message));
        let _ = writeln!(
            md,
            "Route: {}\n",
            markdown_inline(&route_line(&report.route))
        );
        for suggestion in &report.suggestions {
            match suggestion {
                Entry::Fix(fix) => {
                    let _ = writeln!(md, "{}\n", markdown_inline(&fix_line(fix)));
                    if fix.status == fix::Status::Verified {
                        let _ = writeln!(md, "{}\n", markdown_code_block(&diff(fix)));
                    }
                }
                Entry::Note(Suggestion::Advice { text, .. }) => {
                    let _ = writeln!(md, "Suggestion:\n\n{}\n", markdown_code_block(text));
                }
                Entry::Note(Suggestion::Skipped { reason }) => {
                    let _ = writeln!(md, "No suggestion: {}\n", markdown_inline(reason));
                }
            }
        }
        for test in report.tests.iter().take(LISTED) {
            let _ = writeln!(md, "- {}", markdown_inline(test));
        }
        if report.tests.len() > LISTED {
            let _ = writeln!(md, "- … and {} more", report.tests.len() - LISTED);
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(prompt_bytes: usize) -> Routed {
        Routed {
            models: vec!["m".into()],
            chosen_by: "r".into(),
            system_prompt: String::new(),
            prompt: "p".repeat(prompt_bytes),
            max_tokens: 1,
            temperature: 0.0,
            unasked: None,
        }
    }

    /// Round 65: a router's 16 MiB prompts, kept for every group, took
    /// 3 GB for 200 failures. None is kept when no model will be asked,
    /// and the routes past the run's budget keep none and say why.
    #[test]
    fn prompts_are_kept_only_for_models_that_may_be_asked_and_within_a_budget() {
        let redactor = Redactor::new();
        let mut off = PromptBudget {
            asking: false,
            left: MAX_KEPT_PROMPT_BYTES,
            redactor: &redactor,
        };
        let kept = off.admit(routed(10));
        assert_eq!((kept.prompt.len(), kept.unasked), (0, None));
        assert_eq!(kept.models, ["m"], "the route itself is reported");

        let mut on = PromptBudget {
            asking: true,
            left: 25,
            redactor: &redactor,
        };
        let first = on.admit(routed(20));
        assert_eq!((first.prompt.len(), first.unasked), (20, None));
        let second = on.admit(routed(10));
        assert_eq!(second.prompt.len(), 0);
        assert_eq!(
            second.unasked.as_deref(),
            Some("not asked: this run's prompts reached 32 MiB")
        );
        assert_eq!(on.admit(routed(5)).prompt.len(), 5, "what still fits");
    }

    /// Round 68: prompts were counted as the router returned them and
    /// redacted only when sent, where `a://x@` grows to `a://[REDACTED]@`:
    /// 2.3 MB went out for a route of 1 MiB. They are kept redacted and
    /// counted so, and a route past 1 MiB redacted is not asked.
    #[test]
    fn prompts_are_counted_as_sent_once_redacted() {
        let redactor = Redactor::new();
        let mut budget = PromptBudget {
            asking: true,
            left: MAX_KEPT_PROMPT_BYTES,
            redactor: &redactor,
        };
        let mut small = routed(0);
        small.prompt = "see a://x@ here".into();
        let kept = budget.admit(small);
        assert_eq!(kept.prompt, "see a://[REDACTED]@ here");
        assert_eq!(budget.left, MAX_KEPT_PROMPT_BYTES - kept.prompt.len());

        let mut grown = routed(0);
        grown.prompt = "a://x@ ".repeat(MAX_PROMPT_BYTES / 7);
        assert!(grown.prompt_bytes() <= MAX_PROMPT_BYTES);
        let dropped = budget.admit(grown);
        assert_eq!(dropped.prompt, "");
        let why = dropped.unasked.unwrap();
        assert!(why.starts_with("not asked: its prompts take "), "{why}");
        assert!(
            why.ends_with(" KiB once redacted (at most 1024 KiB)"),
            "{why}"
        );

        // A log of 1 MiB less a byte, a newline every 80: longer escaped,
        // still within the route's bound, and asked.
        let mut log = routed(0);
        log.prompt = format!("{}\n", "x".repeat(79)).repeat(MAX_PROMPT_BYTES / 80);
        assert!(log.prompt_bytes() > log.prompt.len());
        let kept = budget.admit(log);
        assert_eq!(kept.unasked, None);
        assert!(!kept.prompt.is_empty());
    }
}
