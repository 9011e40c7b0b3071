//! One module per subcommand, each thin: it reads its flags, calls the
//! domain modules and returns the exit code. What several share (the
//! configuration, the runtime, the classifier, `--timeout`, the flags'
//! domain values) is here; no command imports another.

mod classify;
mod cost;
mod inputs;
mod plan;
mod plugin;
mod publishing;
mod report;
mod run;
mod split;
mod test;
mod triage;
mod worker_report;

use std::time::Duration;

use anyhow::Context as _;

use crate::InputError;
use crate::cli::{Cli, Command, GlobalArgs, RetryArgs};
use crate::config::Config;
use crate::error::ResultExt as _;
use crate::host::{Plugin, Runtime, World};
use crate::suite::changed::Changes;
use crate::suite::merge::Merged;
use crate::triage::group::Groups;

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Plan(args) => plan::run(&cli.global, &args),
        Command::WorkerReport(args) => worker_report::run(&cli.global, &args),
        Command::Test(args) => test::run(&cli.global, &args),
        Command::Split(args) => split::run(&cli.global, &args),
        Command::Run(args) => run::run(&cli.global, &args),
        Command::Report(args) => report::run(&cli.global, &args),
        Command::Classify(args) => classify::run(&cli.global, &args),
        Command::Plugin(command) => plugin::run(&cli.global, command),
        Command::Cost(args) => cost::run(&cli.global, &args),
        Command::Triage(args) => triage::run(&cli.global, &args),
    }
}

/// The configuration with the command line's overrides applied.
fn config(global: &GlobalArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(global.config.as_deref()).classified()?;
    config.apply_overrides(global.no_cache);
    // Listed for the prompts, secret everywhere: GitHub-bound text too.
    crate::triage::redact::configure_secret_names(&config.models.secret_env);
    Ok(config)
}

/// Reads the configuration for its secret variables alone (see
/// [`config`]), for a command that may write for GitHub without reading it
/// otherwise (`--no-triage`). A configuration it cannot read is left to
/// the commands that need it.
fn note_secret_names(global: &GlobalArgs) {
    if let Err(e) = config(global) {
        tracing::debug!("no secret variables from the configuration: {e:#}");
    }
}

fn runtime(config: &Config) -> anyhow::Result<Runtime> {
    Runtime::new(&config.cache).context("starting the plugin runtime")
}

/// Settings written for the classifier or the router (`[plugins.NAME.config]`)
/// checked before any work, for `report`, `test` and `triage`: a setting
/// the plugin's schema refuses is bad input (exit 2, nothing written), not a
/// plugin failure that degrades to a warning once the failures are
/// labelled. Without such a table nothing is loaded here.
fn check_plugin_settings(global: &GlobalArgs) -> anyhow::Result<()> {
    let config = config(global)?;
    let slots = [
        (&config.classifier, "classifier", World::Classifier),
        (&config.router, "router", World::Router),
    ];
    for (spec, name, world) in slots {
        if spec.config.is_none() {
            continue;
        }
        // Any other trouble is the plugin's, reported where it is used.
        if let Err(err @ crate::host::LoadError::Config(_)) =
            Plugin::load(&runtime(&config)?, spec, name, Some(world))
        {
            return Err(crate::error::Classified::new(err).into());
        }
    }
    Ok(())
}

/// The root causes of the failures, labelled by the configured classifier
/// and ranked (see [`crate::triage::group`]), for `report`, `test` and
/// `triage`.
fn root_causes<'a>(
    global: &GlobalArgs,
    merged: &'a Merged,
    changes: Option<&Changes>,
) -> Groups<'a> {
    crate::triage::group::root_causes(
        merged,
        || {
            let config = config(global)?;
            let runtime = runtime(&config)?;
            Ok(Plugin::load(
                &runtime,
                &config.classifier,
                "classifier",
                Some(World::Classifier),
            )?)
        },
        changes,
    )
}

/// The test pipeline over the merged results, for `report` and `test`:
/// its phases' sections and checks decide the exit code.
fn test_phases(
    global: &GlobalArgs,
    merged: &Merged,
    flaky: crate::suite::shard::FlakyPolicy,
    changed_files: Option<Vec<String>>,
) -> anyhow::Result<crate::suite::phases::Phases> {
    let config = config(global)?;
    let context = crate::suite::phases::Context {
        flaky,
        changed_files,
        config: &config,
    };
    crate::suite::phases::run(&runtime(&config)?, merged, &context)
        .classified()
        .context("the test pipeline failed")
}

/// `--budget-usd`, for `cost`, `report` and `test`: a positive amount.
fn budget(usd: Option<f64>) -> Result<Option<f64>, InputError> {
    match usd {
        Some(b) if !(b.is_finite() && b > 0.0) => Err(InputError::new(format!(
            "--budget-usd: {b} is not a positive number of dollars"
        ))),
        usd => Ok(usd),
    }
}

/// A planning error (for `split`, `run` and `test`) as the user sees it:
/// the flag its setting came from in front, or how to give what is missing.
fn planning(error: crate::suite::planning::PlanningError) -> anyhow::Error {
    use crate::suite::planning::{PlanningError, Setting};
    let flag = |setting| match setting {
        Setting::Runner => "--runner",
        Setting::TestList => "--test-list",
        Setting::Tests => "--tests",
        Setting::Timings => "--timings",
        Setting::Shards => "--shards",
        Setting::TargetMinutes => "--target-minutes",
        Setting::ShardOverhead => "--shard-overhead-s",
        Setting::MaxShards => "--max-shards",
        Setting::Shard => "--shard",
    };
    match error {
        PlanningError::Bad { setting, .. } => Err::<(), _>(error)
            .classified()
            .context(flag(setting))
            .unwrap_err(),
        PlanningError::NoRunner { .. } => {
            InputError::new(format!("{error}; pass --runner NAME")).into()
        }
        PlanningError::NoListing => InputError::new(
            "cannot list the tests: give the test command after `--` (e.g. `-- pytest`) or --runner NAME, or pass --tests GLOB",
        )
        .into(),
        PlanningError::Input(error) => error.into(),
        PlanningError::BuildFailed(why) | PlanningError::ListingFailed(why) => {
            InputError::new(why).into()
        }
    }
}

/// Removes what an earlier run wrote where this run's results go: a run
/// stopped before its end (Ctrl-C, a cancelled job) then leaves none, not
/// an earlier run's for an `if: always()` step to publish as its own.
fn forget_earlier_outputs(paths: &[&std::path::Path]) -> anyhow::Result<()> {
    for path in paths {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(anyhow::Error::new(e)
                    .context(format!("cannot remove the earlier {}", path.display())));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `--timeout`, for `run` and `test`.
fn timeout(args: &RetryArgs) -> Result<Option<Duration>, InputError> {
    match args.timeout {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(InputError::new(format!(
            "--timeout: {s} is not a positive number of seconds"
        ))),
    }
}

/// `--retries`, for `run` and `test`: none where the runner says that a
/// test retried alone would not run as it first ran (its passing would
/// call a test that fails every run flaky), with a warning that says so.
fn retries(
    args: &RetryArgs,
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
) -> u32 {
    match runner.retry_misleads(command) {
        Some(why) if args.retries > 0 => {
            tracing::warn!("retries are off: {why}; a failed test stays failed");
            0
        }
        _ => args.retries,
    }
}

// The domain's own enums, from the flags that choose them.
impl From<crate::cli::FlakyPolicy> for crate::suite::shard::FlakyPolicy {
    fn from(flag: crate::cli::FlakyPolicy) -> Self {
        match flag {
            crate::cli::FlakyPolicy::Pass => Self::Pass,
            crate::cli::FlakyPolicy::Fail => Self::Fail,
        }
    }
}

impl From<crate::cli::ReportFormat> for crate::suite::publish::Format {
    fn from(flag: crate::cli::ReportFormat) -> Self {
        match flag {
            crate::cli::ReportFormat::Terminal => Self::Terminal,
            crate::cli::ReportFormat::Json => Self::Json,
            crate::cli::ReportFormat::Markdown => Self::Markdown,
        }
    }
}

impl From<&crate::cli::SuiteArgs> for crate::suite::planning::Sources {
    fn from(args: &crate::cli::SuiteArgs) -> Self {
        Self {
            tests: args.tests.clone(),
            test_list: args.test_list.clone(),
            root: args.root.clone(),
        }
    }
}

impl From<&crate::cli::ShardCountArgs> for crate::suite::planning::ShardCount {
    fn from(args: &crate::cli::ShardCountArgs) -> Self {
        Self {
            whole_files: args.whole_files,
            shards: args.shards.clone(),
            target_minutes: args.target_minutes,
            shard_overhead_s: args.shard_overhead_s,
            max_shards: args.max_shards,
        }
    }
}

/// go's `-coverprofile=F`: each go process of the run wrote a part beside
/// F; F becomes their merge (see `runners::go_cover`). Called once every
/// result is written: coverage that cannot be merged is a warning, never
/// the loss of the run's results or its verdict.
pub(super) fn merge_go_coverage(
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
    root: &std::path::Path,
) {
    if let Some(profile) = go_profile(runner, command)
        && let Err(e) = crate::suite::runners::go_cover::merge(root, &profile)
    {
        tracing::warn!(
            "-coverprofile {}: cannot merge the runs' parts: {}",
            crate::escape::control_chars(&profile),
            crate::escape::control_chars(&format!("{e:#}"))
        );
    }
}

/// Removes the parts of go's `-coverprofile` that an earlier run left
/// (interrupted before its merge), so that they are not merged into this
/// run's profile.
pub(super) fn clear_go_coverage_parts(
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
    root: &std::path::Path,
) {
    if let Some(profile) = go_profile(runner, command) {
        crate::suite::runners::go_cover::remove_parts(root, &profile);
    }
}

/// go's `-coverprofile` in the command, where the runner is go.
fn go_profile(runner: &dyn crate::suite::runners::Runner, command: &[String]) -> Option<String> {
    (runner.name() == "go")
        .then(|| crate::suite::runners::go_cover::users_profile(command))
        .flatten()
}

/// pytest's record of failed tests (`--lf`), written again where several
/// of its processes wrote it over each other: side by side, or each
/// clearing the cache (`crate::suite::pytest_cache`). `shards`: each
/// shard's number and tests.
pub(super) fn rewrite_pytest_record(
    runner: &dyn crate::suite::runners::Runner,
    root: &std::path::Path,
    command: &[String],
    side_by_side: bool,
    shards: &[(usize, &[crate::suite::fold::TestResult])],
) {
    use crate::suite::pytest_cache;
    if !pytest_cache::needs_rewriting(side_by_side, command) {
        pytest_cache::forget_notes(root);
        return;
    }
    if let Err(e) = pytest_cache::write_after(root, command, runner, shards) {
        tracing::warn!("pytest's record of failed tests (--lf) is one process's: {e}");
    }
}

/// Writes `junit` (the whole shard's or run's tests) to every JUnit report
/// the user asked the runner for: the one the command names
/// ([`users_junit`], relative to `root`), the one the runner's
/// configuration names (nextest's profile), and those the runner said it
/// was writing (pytest's `--junitxml` in `addopts` or `PYTEST_ADDOPTS` too)
/// where the runner did write one, so that nothing names a file pitcrew
/// would create on a test's word alone.
pub(super) fn write_users_junit(
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
    root: &std::path::Path,
    reported: &std::collections::BTreeSet<std::path::PathBuf>,
    junit: &str,
) -> anyhow::Result<()> {
    let named = users_junit(command).map(|p| std::path::absolute(root.join(p)));
    let named = named.transpose().context("the command's JUnit path")?;
    let configured = runner.configured_junit(command, root);
    let named = named.into_iter().chain(configured);
    let reported = reported.iter().filter(|p| p.is_file()).cloned();
    let paths: std::collections::BTreeSet<_> = named.chain(reported).collect();
    for path in paths {
        crate::output::write_atomic(&path, junit.as_bytes())?;
    }
    Ok(())
}

/// Writes `tests` (the whole shard's or run's) as jest's JSON results to
/// the file the command asks jest or vitest for ([`users_json`], relative
/// to `root`), which each runner process of the run wrote over the last
/// one's. `success`: the shard's or run's verdict.
pub(super) fn write_users_json(
    runner: &dyn crate::suite::runners::Runner,
    command: &[String],
    root: &std::path::Path,
    tests: &[crate::suite::fold::TestResult],
    success: bool,
) -> anyhow::Result<()> {
    let Some(path) = users_json(runner.name(), command) else {
        return Ok(());
    };
    let root = std::path::absolute(root).context("the folder the runner ran in")?;
    let path = root.join(path);
    let json = crate::suite::jest_json::of_tests(tests, &root, success);
    crate::output::write_atomic(&path, json.as_bytes())?;
    Ok(())
}

/// The JSON results file a command asks for: jest's `--outputFile F`
/// beside `--json` (jest writes no file without it), vitest's
/// `--outputFile.json=F`, or its `--outputFile F` beside `--reporter=json`.
pub(super) fn users_json(runner: &str, command: &[String]) -> Option<std::path::PathBuf> {
    use crate::suite::runners::argv::option_values;
    let last = |flags: &[&str]| option_values(command, flags).pop();
    let json = match runner {
        "jest" => command
            .iter()
            .any(|a| a == "--json" || a == "--json=true")
            .then(|| last(&["--outputFile"]))
            .flatten(),
        "vitest" => last(&["--outputFile.json"]).or_else(|| {
            option_values(command, &["--reporter"])
                .iter()
                .any(|r| r == "json")
                .then(|| last(&["--outputFile"]))
                .flatten()
        }),
        _ => None,
    };
    json.map(std::path::PathBuf::from)
}

/// The JUnit report path a command asks for: pytest's `--junitxml=F` or
/// `--junit-xml F`, vitest's `--outputFile.junit=F`, or its `--outputFile F`
/// beside `--reporter=junit`, node's `--test-reporter-destination F` paired
/// (by position, as node pairs them) with `--test-reporter=junit`. Every
/// runner process of a run writes it, the last one winning, so pitcrew
/// writes it again with the tests of the whole shard (`run`) or run
/// (`test`), retries folded.
pub(super) fn users_junit(command: &[String]) -> Option<std::path::PathBuf> {
    use crate::suite::runners::argv::option_values;
    let last = |flags: &[&str]| option_values(command, flags).pop();
    let junit_reporter = option_values(command, &["--reporter"])
        .iter()
        .any(|r| r == "junit");
    let node_junit = || {
        let reporters = option_values(command, &["--test-reporter"]);
        let destinations = option_values(command, &["--test-reporter-destination"]);
        let at = reporters.iter().position(|r| r == "junit")?;
        destinations
            .get(at)
            .filter(|d| !matches!(d.as_str(), "stdout" | "stderr"))
            .cloned()
    };
    last(&["--junitxml", "--junit-xml", "--outputFile.junit"])
        .or_else(|| junit_reporter.then(|| last(&["--outputFile"])).flatten())
        .or_else(node_junit)
        .map(std::path::PathBuf::from)
}
