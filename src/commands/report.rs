//! `pitcrew report FILES…`: merge shard results and JUnit files, check
//! integrity, group failures with the classifier, print and publish.

use std::io::{Read as _, Write as _};
use std::path::Path;

use anyhow::Context as _;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{GlobalArgs, ReportArgs, ReportFormat};
use crate::error::exit;
use crate::host::{Plugin, World, types};
use crate::output::write_atomic;
use crate::suite::fold::{FinalOutcome, Folder, TestResult};
use crate::suite::junit;
use crate::suite::junit_write;
use crate::suite::merge::{self, Inputs, Merged};
use crate::suite::plan::PlanFile;
use crate::suite::render::{self, Groups};
use crate::suite::result::ShardResult;
use crate::suite::timings::Timings;
use crate::triage::classify::{category_name, classify_all};

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<u8> {
    let plan = args.plan.as_deref().map(PlanFile::read).transpose()?;
    let (inputs, problems) = read_inputs(&args.inputs)?;
    let timings = args.timings_out.as_ref().map(|_| input_timings(&inputs));
    let mut merged = merge::merge(inputs, plan.as_ref().map(|(p, h)| (p, h.as_str())));
    merged.problems.splice(0..0, problems);
    let groups = if args.no_classify {
        by_message(&merged)
    } else {
        by_category(global, &merged)
    };
    if let Some(path) = &args.junit {
        write_atomic(path, junit_write::junit(&merged).as_bytes())?;
    }
    if let (Some(path), Some(timings)) = (&args.timings_out, timings) {
        timings.save(path)?;
    }
    publish(&merged, &groups, args.format, args.markdown.as_deref())?;
    Ok(verdict(&merged))
}

/// What the inputs say each file costs: shard results' wall times, and
/// JUnit files' test times where no shard result covers the file.
fn input_timings(inputs: &Inputs) -> Timings {
    let mut timings = Timings::default();
    timings.add_tests(inputs.junit_tests.iter().filter_map(|t| {
        let file = t.key.file.as_deref()?;
        Some((file.strip_prefix("./").unwrap_or(file), t))
    }));
    timings.update(Timings::from_shards(inputs.shards.iter().map(|(_, r)| r)));
    timings
}

/// 1 when a test failed or the merge found a problem.
pub fn verdict(merged: &Merged) -> u8 {
    if merged.summary.failed > 0 || !merged.problems.is_empty() {
        exit::FAILED
    } else {
        exit::SUCCESS
    }
}

/// Reads every input. A missing file is bad input (exit 2); invalid XML is
/// a problem named in the report, and the other files are still processed.
pub fn read_inputs(paths: &[std::path::PathBuf]) -> Result<(Inputs, Vec<String>), InputError> {
    let mut inputs = Inputs::default();
    let mut problems = Vec::new();
    let mut folder = Folder::default();
    for path in paths {
        let mut head = [0u8; 64];
        let read = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", path.display())))?;
        if ShardResult::sniff(&head[..read]) {
            match ShardResult::read(path) {
                Ok(result) => inputs.shards.push((path.display().to_string(), result)),
                Err(e) => problems.push(e.to_string()),
            }
            continue;
        }
        // Folded as parsed: memory follows the unique tests, not the file.
        // A file that turns out invalid keeps what was read before the
        // error, and the error fails the run.
        if let Err(e) = junit::parse_file(path, |case| folder.add(case)) {
            problems.push(e.to_string());
        }
    }
    let (counts, _, tests) = folder.finish();
    inputs.junit_counts = counts;
    inputs.junit_tests = tests;
    Ok((inputs, problems))
}

pub fn publish(
    merged: &Merged,
    groups: &Groups<'_>,
    format: ReportFormat,
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Terminal => write!(out, "{}", render::terminal(merged, groups))?,
        ReportFormat::Markdown => write!(out, "{md}")?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, merged)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn failed(merged: &Merged) -> Vec<&TestResult> {
    merged
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Failed)
        .collect()
}

/// Failures grouped by the classifier's category. Without a working
/// classifier the report still comes out, grouped as `unclassified`.
pub fn by_category<'a>(global: &GlobalArgs, merged: &'a Merged) -> Groups<'a> {
    let failed = failed(merged);
    if failed.is_empty() {
        return Groups(Vec::new());
    }
    let labels = match classify(global, &failed) {
        Ok(labels) => labels,
        Err(err) => {
            tracing::warn!("failures are not grouped by category: {err:#}");
            vec!["unclassified".to_string(); failed.len()]
        }
    };
    group(failed.into_iter().zip(labels))
}

fn by_message(merged: &Merged) -> Groups<'_> {
    group(
        failed(merged)
            .into_iter()
            .map(|t| (t, "failed".to_string())),
    )
}

fn group<'a>(pairs: impl IntoIterator<Item = (&'a TestResult, String)>) -> Groups<'a> {
    let mut groups: Vec<(String, Vec<&TestResult>)> = Vec::new();
    for (test, label) in pairs {
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, tests)) => tests.push(test),
            None => groups.push((label, vec![test])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    Groups(groups)
}

fn classify(global: &GlobalArgs, tests: &[&TestResult]) -> anyhow::Result<Vec<String>> {
    let config = config(global)?;
    let runtime = runtime(&config)?;
    let classifier = Plugin::load(
        &runtime,
        &config.classifier,
        "classifier",
        Some(World::Classifier),
    )?;
    let failures: Vec<types::Failure> = tests
        .iter()
        .enumerate()
        .map(|(i, t)| types::Failure {
            id: i.to_string(),
            test_name: render::display_name(t),
            file: t.key.file.clone(),
            message: t
                .failure
                .as_ref()
                .and_then(|f| f.message.clone())
                .unwrap_or_default(),
            details: t
                .failure
                .as_ref()
                .and_then(|f| f.details.clone())
                .unwrap_or_default(),
        })
        .collect();
    Ok(classify_all(&classifier, &failures)?
        .into_iter()
        .map(|c| category_name(c.category).to_string())
        .collect())
}
