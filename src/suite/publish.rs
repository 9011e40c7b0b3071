//! The merged report's verdict, and where the report goes: the terminal
//! (or markdown, or JSON) on stdout, a markdown file, and in GitHub
//! Actions the step summary and the step outputs.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::error::exit;
use crate::output::write_atomic;
use crate::suite::merge::Merged;
use crate::suite::render;
use crate::triage::group::Groups;

/// 1 when a test failed or the merge found a problem.
pub fn verdict(merged: &Merged) -> u8 {
    if merged.summary.failed > 0 || !merged.problems.is_empty() {
        exit::FAILED
    } else {
        exit::SUCCESS
    }
}

/// How the report is printed on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Terminal,
    Json,
    Markdown,
}

/// Writes the markdown report (when asked), the GitHub step summary and
/// outputs (in Actions), and prints the report in `format`.
pub fn publish(
    merged: &Merged,
    groups: &Groups<'_>,
    format: impl Into<Format>,
    markdown: Option<&Path>,
) -> anyhow::Result<()> {
    let md = render::markdown(merged, groups);
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
        Format::Terminal => render::terminal(merged, groups),
        Format::Markdown => md,
        Format::Json => {
            let mut json = serde_json::to_string_pretty(merged)?;
            json.push('\n');
            json
        }
    };
    // In GitHub Actions, nothing a test wrote can be read as a workflow
    // command: the report goes between stop-commands lines.
    let text = if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        crate::github::workflow_commands::guarded(&text)
    } else {
        text
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
