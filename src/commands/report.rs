//! `pitcrew report FILES…`: merge shard results and JUnit files, check
//! integrity, group failures with the classifier, print and publish.

use std::io::{Read as _, Write as _};

use super::with_specialties;
use crate::InputError;
use crate::cli::{GlobalArgs, ReportArgs};
use crate::error::ResultExt as _;
use crate::github::context::Context;
use crate::github::workflow_commands;
use crate::output::write_atomic;
use crate::suite::fold::Folder;
use crate::suite::junit;
use crate::suite::junit_write;
use crate::suite::merge::{self, Inputs};
use crate::suite::plan::PlanFile;
use crate::suite::publish::{publish, verdict};
use crate::suite::result::ShardResult;
use crate::suite::timings::Timings;
use crate::triage::group::by_message;

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<u8> {
    let plan = args.plan.as_deref().map(PlanFile::read).transpose()?;
    let (inputs, problems) = read_inputs(&args.inputs)?;
    let timings = args.timings_out.as_ref().map(|_| input_timings(&inputs));
    let mut merged = merge::merge(inputs, plan.as_ref().map(|(p, h)| (p, h.as_str())));
    merged.problems.splice(0..0, problems);
    let (groups, specialties) = if args.no_classify {
        (by_message(&merged), Vec::new())
    } else {
        with_specialties(global, &merged)
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
