//! `pitcrew plan SPEC`: facts in, phases decide, the plan out, or a
//! blocked launch (exit 1).

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::Context as _;
use serde_json::Value;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{GlobalArgs, PlanArgs, PlanFormat};
use crate::error::{ResultExt as _, exit};
use crate::escape::control_chars;
use crate::github::workflow_commands::guarded_in_actions;
use crate::output::write_atomic;
use crate::pipeline::{self, Check, Status};
use crate::training::{facts, plan, spec};

pub fn run(global: &GlobalArgs, args: &PlanArgs) -> anyhow::Result<u8> {
    if !(args.max_report_age_hours.is_finite() && args.max_report_age_hours > 0.0) {
        return Err(InputError::new("--max-report-age-hours: must be a positive number").into());
    }
    let spec = spec::load(&args.spec).classified()?;
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let now_unix = crate::time::now_unix();
    let facts = facts::gather(
        &spec,
        &facts::FactOptions {
            max_report_age_s: (args.max_report_age_hours * 3600.0) as u64,
            run_sync: !args.no_sync,
            now_unix,
        },
    );
    let (slots, plugins) = plan::slots(&runtime, &config);
    let outcome = pipeline::run(&slots, &facts)
        .classified()
        .context("the plan pipeline failed")?;
    let document = plan::document(&outcome, plugins);
    let json = crate::json::to_string_pretty(&document)?;
    if let Some(path) = &args.output {
        write_atomic(path, json.as_bytes())?;
    }
    // Plugins wrote most of it: in GitHub Actions no line of the table may
    // read as a workflow command. The JSON is inert as it is (every line
    // starts with a blank or a bracket) and is left clean for `> plan.json`.
    let text = match args.format {
        PlanFormat::Json => format!("{json}\n"),
        PlanFormat::Table => guarded_in_actions(checklist(&document, &outcome.checks)),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    Ok(if outcome.blocked() {
        exit::FAILED
    } else {
        exit::SUCCESS
    })
}

/// Every check with ✓/⚠/✗/– and its reason, grouped by layer (the
/// pre-flight layers first, in their order), then the verdict.
fn checklist(document: &Value, checks: &[Check]) -> String {
    let mut layers: Vec<&str> = vec!["hardware", "worker", "health"];
    for check in checks {
        if !layers.contains(&check.layer.as_str()) {
            layers.push(&check.layer);
        }
    }
    let mut out = String::new();
    for layer in layers {
        let in_layer: Vec<&Check> = checks.iter().filter(|c| c.layer == layer).collect();
        if in_layer.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", control_chars(layer));
        for check in in_layer {
            let mark = match (check.status, check.blocking) {
                (Status::Pass, _) => "✓",
                (Status::Warn, _) | (Status::Fail, false) => "⚠",
                (Status::Fail, true) => "✗",
                (Status::Skip, _) => "–",
            };
            let _ = writeln!(
                out,
                "  {mark} {:<24} {}",
                control_chars(&check.id),
                control_chars(&check.message)
            );
        }
    }
    // Sections of phases added in pitcrew.toml: one line each, cut.
    let added: Vec<(&String, &Value)> = document
        .as_object()
        .map(|map| plan::added_sections(map).collect())
        .unwrap_or_default();
    if !added.is_empty() {
        let _ = writeln!(out, "added sections");
        for (key, value) in added {
            let text = value.to_string();
            let cut: String = text.chars().take(100).collect();
            let more = if cut.len() < text.len() { "…" } else { "" };
            let _ = writeln!(
                out,
                "  {:<26} {}{more}",
                control_chars(key),
                control_chars(&cut)
            );
        }
    }
    let verdict = document["pre_flight_checklist"]["overall_status"]
        .as_str()
        .unwrap_or("unknown");
    let blocked = document["pitcrew"]["blocked"].as_bool().unwrap_or(false);
    let _ = writeln!(
        out,
        "\n{}",
        if blocked {
            "✗ launch blocked: a blocking check failed".to_string()
        } else {
            // A third-party gate writes this status: it is plugin text.
            format!("✓ ready to launch (pre-flight: {})", control_chars(verdict))
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gates_status_is_escaped_in_the_verdict() {
        let document = serde_json::json!({
            "pre_flight_checklist": {"overall_status": "\u{1b}[2Jready\r\n::error::x"},
            "pitcrew": {"blocked": false},
        });
        let table = checklist(&document, &[]);
        let verdict = table.lines().last().expect("a verdict line");
        assert!(
            verdict.starts_with("✓ ready to launch (pre-flight: "),
            "{verdict}"
        );
        assert!(
            !table.contains('\u{1b}') && !table.contains('\r'),
            "{table:?}"
        );
        assert!(!table.contains("\n::error"), "{table:?}");
    }
}
