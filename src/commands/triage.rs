//! `pitcrew triage RESULTS…`: the failures' root causes by priority, each
//! routed, with a model's diagnosis when one can be asked. Exit 0 when
//! triage ran (whatever the tests did), 2 on bad input.

use std::io::Write as _;

use anyhow::Context as _;

use super::inputs::read_inputs;
use super::{check_plugin_settings, config, root_causes, runtime};
use crate::InputError;
use crate::cli::{GlobalArgs, ReportFormat, TriageArgs};
use crate::error::exit;
use crate::fix::FixOptions;
use crate::host::{Plugin, World};
use crate::output::write_atomic;
use crate::suite::merge;
use crate::triage::document::{self, Options};
use crate::triage::fixing::{FixRun, fix_groups};
use crate::triage::redact::Redactor;
use crate::triage::suggest::ModelSetup;

pub fn run(global: &GlobalArgs, args: &TriageArgs) -> anyhow::Result<u8> {
    let read = read_inputs(&args.inputs)?;
    let inputs = read.inputs;
    for copy in &read.skipped {
        tracing::warn!("{copy}");
    }
    // Triage of half-read results would mislead: an unreadable file is bad
    // input. A report of no test holds nothing to triage.
    if let Some(problem) = read.problems.first() {
        return Err(InputError::new(problem.clone()).into());
    }
    check_plugin_settings(global)?;
    // In a GitHub Actions pull request, with neither flag, the change is
    // what differs from the pull request's base branch.
    let (changes, change_source) = crate::triage::changes::resolve(
        args.changed_files.as_deref(),
        args.base.as_deref(),
        crate::triage::changes::github_base_ref().as_deref(),
        std::path::Path::new("."),
    )?
    .unzip();
    let mut config = config(global)?;
    if let Some(preset) = &args.model_endpoint {
        config.models.endpoint = Some(preset.clone());
        config.models.url = None;
        config.models.token_env = None;
    }
    if let Some(usd) = args.max_cost_usd {
        if !(usd.is_finite() && usd >= 0.0) {
            let why = format!("--max-cost-usd: {usd} is not a non-negative number of dollars");
            return Err(InputError::new(why).into());
        }
        config.models.max_cost_usd = Some(usd);
    }
    let merged = merge::merge(inputs, None);
    let groups = root_causes(global, &merged, changes.as_ref());
    let router = runtime(&config)
        .and_then(|runtime| {
            Ok(Plugin::load(
                &runtime,
                &config.router,
                "router",
                Some(World::Router),
            )?)
        })
        .map_err(|e| crate::escape::control_chars(&format!("{e:#}")).into_owned());
    if let Err(why) = &router {
        tracing::warn!("groups are not routed: {why}");
    }
    let redactor = Redactor::from_env(&config.models.secret_env);
    let options = Options {
        redactor: &redactor,
        overrides: &config.router_overrides,
        forced_model: args.model.as_deref(),
        models: match args.no_suggest {
            true => Err("--no-suggest".into()),
            false => Ok(ModelSetup {
                settings: &config.models,
                url: args.model_url.as_deref(),
            }),
        },
    };
    let (mut triage, client) =
        document::build(&groups, router.as_ref().map_err(Clone::clone), &options);
    triage.changed_files = change_source;
    if let Some(candidates) = args.fix {
        let root = std::env::current_dir().context("the current directory")?;
        let (command, runner) = match args.command.is_empty() {
            false => (args.command.clone(), None),
            // A results file there may come from another job (a fork's
            // artifact): what it records is never run, only named.
            true if crate::github::context::in_ci() => {
                if let (command, _) = recorded_command(&args.inputs)
                    && !command.is_empty()
                {
                    tracing::warn!(
                        "in CI the test command recorded with the results ({}) is not run: \
                         a results file may come from another job; give the command after `--`",
                        crate::escape::control_chars(&command.join(" "))
                    );
                }
                (Vec::new(), None)
            }
            true => recorded_command(&args.inputs),
        };
        let run = FixRun {
            root: &root,
            command,
            runner,
            changed_files: changes
                .as_ref()
                .map(|c| c.paths().map(String::from).collect())
                .unwrap_or_default(),
            options: FixOptions {
                candidates,
                iterations: args.iterations,
                time_limit: std::time::Duration::from_secs(args.fix_time_limit),
                redactor: redactor.clone(),
                ..FixOptions::default()
            },
            apply: args.apply,
            concurrency: crate::triage::fixing::concurrency(config.models.concurrency),
        };
        // Applied files are printed on stderr: stdout is the report.
        fix_groups(
            &groups,
            &mut triage,
            client.as_ref(),
            &run,
            &mut std::io::stderr(),
        );
    }
    let render = || -> anyhow::Result<String> {
        Ok(match args.format {
            ReportFormat::Json => crate::json::to_string_pretty(&triage)? + "\n",
            ReportFormat::Terminal => document::terminal(&triage, &groups),
            ReportFormat::Markdown => document::markdown(&triage, &groups),
        })
    };
    // Untrusted texts redacted before they are escaped, then the whole
    // (JSON is escaped by serde, outside the redactor's scope).
    let redacted = || -> anyhow::Result<String> {
        let text = redactor.redacting(render)?;
        Ok(redactor.redact(&text).into_owned())
    };
    // The file is for sharing (the Action uploads it as an artifact):
    // redacted wherever it is written, like everything that leaves.
    if let Some(path) = &args.output {
        write_atomic(path, redacted()?.as_bytes())?;
    }
    // In GitHub Actions: the Markdown in the step summary (redacted before
    // it is escaped, as it leaves the machine), and the outputs.
    let markdown = || {
        crate::triage::redact::Redactor::from_env(&[])
            .redacted_markdown(|| document::markdown(&triage, &groups))
    };
    crate::github::output::triage(
        markdown,
        triage.failures,
        &triage.headline,
        args.output.as_deref(),
    )
    .context("writing the step summary and $GITHUB_OUTPUT")?;
    if args.output.is_none() {
        // In GitHub Actions standard output is the job's log, which leaves
        // the machine: redacted like the step summary, and nothing a test
        // or a model wrote may read as a workflow command.
        let text = if crate::github::context::in_actions() {
            crate::github::workflow_commands::guarded(&redacted()?)
        } else {
            render()?
        };
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    Ok(exit::SUCCESS)
}

/// The test command `pitcrew test` recorded in a results file among the
/// inputs (empty when none did: fixes are then `unverified`, saying so).
fn recorded_command(inputs: &[std::path::PathBuf]) -> (Vec<String>, Option<String>) {
    for path in inputs {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if let (Some(command), runner) = crate::fix::recorded_command(&json) {
            return (command, runner);
        }
    }
    (Vec::new(), None)
}
