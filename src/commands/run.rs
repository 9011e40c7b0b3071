//! `pitcrew run --shard K/N --plan PLAN -- CMD…`: one shard, in CI.

use std::path::PathBuf;
use std::time::Duration;

use super::suite;
use crate::InputError;
use crate::cli::{FlakyPolicy, GlobalArgs, RetryArgs, RunArgs};
use crate::error::exit;
use crate::output::write_atomic;
use crate::suite::exec::{self, ShardOutcome, ShardRun};
use crate::suite::fold::FinalOutcome;
use crate::suite::junit_write;
use crate::suite::plan::PlanFile;
use crate::suite::process::Sink;
use crate::suite::result::{FORMAT, ShardResult};

pub fn run(_global: &GlobalArgs, args: &RunArgs) -> anyhow::Result<u8> {
    let (index, total) = suite::parse_shard(&args.shard)?;
    let (plan, plan_sha256) = PlanFile::read(&args.plan)?;
    if plan.plan.shards.len() != total {
        return Err(InputError::new(format!(
            "--shard {}: {} has {} shards, not {total}",
            args.shard,
            args.plan.display(),
            plan.plan.shards.len()
        ))
        .into());
    }
    let runner = suite::runner(
        args.runner.as_deref().or(plan.runner.as_deref()),
        &args.command,
    )?;
    let timeout = timeout(&args.retry)?;
    let changes = crate::github::changes::for_ordering(&args.changed)?;
    let items = plan.items(index).unwrap_or_default();
    let items = &crate::suite::changed::shard_items(items, &plan.split_files, changes.as_ref());
    let scratch = tempfile::tempdir()?;
    let outcome = exec::run(&ShardRun {
        runner,
        base: &args.command,
        items,
        split_files: &plan.split_files,
        retries: args.retry.retries,
        timeout,
        dir: std::path::Path::new("."),
        scratch: scratch.path(),
        sink: Sink::Inherit,
    });
    let code = exit_code(&outcome, args.retry.flaky);
    let junit = junit_write::of_tests(&outcome.tests);
    for path in args.junit.iter().cloned().chain(users_junit(&args.command)) {
        write_atomic(&path, junit.as_bytes())?;
    }
    let result = shard_result(plan_sha256, index, total, runner.name(), outcome);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("pitcrew-shard-{index}.json")));
    write_atomic(&output, serde_json::to_string_pretty(&result)?.as_bytes())?;
    eprintln!("{}", one_line(&result));
    Ok(code)
}

/// The report path a pytest command asks for (`--junitxml=F`,
/// `--junit-xml F`): pitcrew points pytest at its own scratch report, so the
/// user's path gets the shard's folded report instead of nothing.
fn users_junit(command: &[String]) -> Option<PathBuf> {
    let mut words = command.iter();
    while let Some(word) = words.next() {
        for flag in ["--junitxml", "--junit-xml"] {
            if word == flag {
                return words.next().map(PathBuf::from);
            }
            if let Some(path) = word.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                return Some(PathBuf::from(path));
            }
        }
    }
    None
}

pub fn timeout(args: &RetryArgs) -> Result<Option<Duration>, InputError> {
    match args.timeout {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(InputError::new(format!(
            "--timeout: {s} is not a positive number of seconds"
        ))),
    }
}

/// 0 when every test passed (flaky ones too, unless `--flaky fail`); 1 on
/// any failed test or shard error.
pub fn exit_code(outcome: &ShardOutcome, flaky: FlakyPolicy) -> u8 {
    let failed = outcome.tests.iter().any(|t| match t.outcome {
        FinalOutcome::Failed => true,
        FinalOutcome::Flaky => flaky == FlakyPolicy::Fail,
        _ => false,
    });
    if outcome.error.is_some() || failed {
        exit::FAILED
    } else {
        exit::SUCCESS
    }
}

pub fn shard_result(
    plan_sha256: String,
    shard: usize,
    total: usize,
    runner: &str,
    outcome: ShardOutcome,
) -> ShardResult {
    ShardResult {
        format: FORMAT.into(),
        plan_sha256,
        shard,
        total,
        runner: runner.into(),
        items: outcome.items,
        tests: outcome.tests,
        counts: outcome.counts,
        error: outcome.error,
        duration_seconds: outcome.duration.as_secs_f64(),
    }
}

/// `shard 2/4: 31 tests, 30 passed, 1 failed, 2 flaky in 12.3 s`, loudly
/// naming flaky tests (they pass by default, and shouldn't pass silently).
pub fn one_line(result: &ShardResult) -> String {
    let count = |o: FinalOutcome| result.tests.iter().filter(|t| t.outcome == o).count();
    let mut line = format!(
        "shard {}/{}: {} tests, {} passed, {} failed, {} flaky in {:.1} s",
        result.shard,
        result.total,
        result.tests.len(),
        count(FinalOutcome::Passed),
        count(FinalOutcome::Failed),
        count(FinalOutcome::Flaky),
        result.duration_seconds
    );
    for test in result
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Flaky)
    {
        line.push_str(&format!(
            "\n  FLAKY: {} (passed after {} attempts)",
            crate::escape::control_chars(&crate::suite::render::display_name(test)),
            test.attempts
        ));
    }
    if let Some(error) = &result.error {
        line.push_str(&format!(
            "\n  shard error ({}): {}",
            error.kind,
            crate::escape::control_chars(&error.message)
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_junit_path_is_found() {
        let argv = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            users_junit(&argv(&["pytest", "--junitxml=out/j.xml", "-q"])),
            Some(PathBuf::from("out/j.xml"))
        );
        assert_eq!(
            users_junit(&argv(&["pytest", "--junit-xml", "j.xml"])),
            Some(PathBuf::from("j.xml"))
        );
        assert_eq!(users_junit(&argv(&["pytest", "-q"])), None);
    }
}
