//! `pitcrew report FILES…`: merge shard results and JUnit files, check
//! integrity, group failures with the classifier, print and publish.

use std::io::{Read as _, Write as _};
use std::path::Path;

use anyhow::Context as _;

use super::{config, runtime};
use crate::InputError;
use crate::cli::{GlobalArgs, ReportArgs, ReportFormat};
use crate::error::{ResultExt as _, exit};
use crate::github::context::Context;
use crate::github::workflow_commands;
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
use crate::triage::classify::{category_name, classify_all, specialty_name};

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<u8> {
    let plan = args.plan.as_deref().map(PlanFile::read).transpose()?;
    let (inputs, problems) = read_inputs(&args.inputs)?;
    let timings = args.timings_out.as_ref().map(|_| input_timings(&inputs));
    let mut merged = merge::merge(inputs, plan.as_ref().map(|(p, h)| (p, h.as_str())));
    merged.problems.splice(0..0, problems);
    let (groups, specialties) = if args.no_classify {
        (by_message(&merged), Vec::new())
    } else {
        triage_groups(global, &merged)
    };
    // Bad GitHub context is bad input: exit 2 before anything is written.
    let github = github_target(args)?;
    if let Some(path) = &args.junit {
        write_atomic(path, junit_write::junit(&merged).as_bytes())?;
    }
    if let (Some(path), Some(timings)) = (&args.timings_out, timings) {
        timings.save(path)?;
    }
    if github.is_some() {
        write_atomic(&args.results_out, junit_write::junit(&merged).as_bytes())?;
    }
    publish(&merged, &groups, args.format, args.markdown.as_deref())?;
    // Every local output is written: only now the network.
    if let Some((context, token)) = github {
        let report = crate::github::markdown::Report {
            merged: &merged,
            groups: &groups,
            specialties: &specialties,
            run_url: context.run_url(),
            cost_line: None,
        };
        github_publish(&context, &token, &report, args)?;
    }
    Ok(verdict(&merged))
}

/// The GitHub context and token when this report is published to GitHub:
/// `--github`, or GITHUB_ACTIONS=true with a token; never with
/// `--no-github`. A bad context (event payload, variables) is an input
/// error.
fn github_target(args: &ReportArgs) -> anyhow::Result<Option<(Context, String)>> {
    if args.no_github {
        return Ok(None);
    }
    let token = crate::github::client::token(None);
    let actions = std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true");
    let wanted = args.github || (actions && token.is_some());
    if !wanted {
        return Ok(None);
    }
    let context = Context::from_env(args.pr).classified()?;
    match token {
        Some(token) => Ok(Some((context, token))),
        None => {
            report_failure(
                args,
                "--github: GITHUB_TOKEN is not set; nothing is published",
            )?;
            Ok(None)
        }
    }
}

/// Publishes, and says what happened: a read-only token is one notice; any
/// other failure a warning (an error with `--strict-report`).
fn github_publish(
    context: &Context,
    token: &str,
    report: &crate::github::markdown::Report<'_>,
    args: &ReportArgs,
) -> anyhow::Result<()> {
    use crate::github::publish::{READ_ONLY_NOTICE, Settings, publish};
    let settings = Settings {
        comment: args.comment,
        check_name: args.check_name.clone(),
        check_run: !args.no_check_run,
    };
    let published = match publish(context, token, report, &settings) {
        Ok(published) => published,
        Err(err) => return report_failure(args, &format!("publishing to GitHub: {err}")),
    };
    if published.read_only {
        tracing::warn!("{READ_ONLY_NOTICE}");
        if context.actions {
            print_stdout(&workflow_commands::warning("pitcrew", READ_ONLY_NOTICE))?;
        }
    }
    if let Some((id, annotations)) = published.check_run {
        tracing::info!("check run {id} with {annotations} annotations");
    }
    if let Some(outcome) = &published.comment {
        tracing::info!("PR comment: {outcome:?}");
    }
    let errors: Vec<String> = published.errors.iter().map(ToString::to_string).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        report_failure(
            args,
            &format!("publishing to GitHub: {}", errors.join("; ")),
        )
    }
}

/// A reporting failure: a warning, or with `--strict-report` an error.
fn report_failure(args: &ReportArgs, message: &str) -> anyhow::Result<()> {
    if args.strict_report {
        anyhow::bail!("{message} (--strict-report)");
    }
    tracing::warn!("{message}; the exit code stays the tests' outcome");
    Ok(())
}

fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
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
    let text = match format {
        ReportFormat::Terminal => render::terminal(merged, groups),
        ReportFormat::Markdown => md,
        ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(merged)?;
            json.push('\n');
            json
        }
    };
    // In GitHub Actions, nothing a test wrote can be read as a workflow
    // command: the report goes between stop-commands lines.
    if std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true") {
        print_stdout(&workflow_commands::guarded(&text))
    } else {
        print_stdout(&text)
    }
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
    triage_groups(global, merged).0
}

/// Failures grouped by category, with each group's specialty (the one
/// most of its failures have), in the groups' order.
fn triage_groups<'a>(global: &GlobalArgs, merged: &'a Merged) -> (Groups<'a>, Vec<String>) {
    let failed = failed(merged);
    if failed.is_empty() {
        return (Groups(Vec::new()), Vec::new());
    }
    let labels = match classify(global, &failed) {
        Ok(labels) => labels,
        Err(err) => {
            tracing::warn!("failures are not grouped by category: {err:#}");
            vec![("unclassified".to_string(), String::new()); failed.len()]
        }
    };
    let specialty_of = labels.clone();
    let groups = group(
        failed
            .into_iter()
            .zip(labels.into_iter().map(|(category, _)| category)),
    );
    let specialties = groups
        .0
        .iter()
        .map(|(category, _)| most_common(&specialty_of, category))
        .collect();
    (groups, specialties)
}

/// The specialty most failures of `category` have ("" when unknown).
fn most_common(labels: &[(String, String)], category: &str) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, specialty) in labels.iter().filter(|(c, _)| c == category) {
        match counts.iter_mut().find(|(s, _)| s == specialty) {
            Some((_, n)) => *n += 1,
            None => counts.push((specialty, 1)),
        }
    }
    counts
        .into_iter()
        .filter(|(s, _)| !s.is_empty())
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| s.to_owned())
        .unwrap_or_default()
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

/// (category, specialty) of each failure.
fn classify(global: &GlobalArgs, tests: &[&TestResult]) -> anyhow::Result<Vec<(String, String)>> {
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
        .map(|c| {
            (
                category_name(c.category).to_string(),
                specialty_name(c.specialty).to_string(),
            )
        })
        .collect())
}
