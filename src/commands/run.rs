//! `pitcrew run --shard K/N --plan PLAN -- CMD…`: one shard, in CI.

use std::path::PathBuf;

use super::{planning, timeout};
use crate::InputError;
use crate::cli::{GlobalArgs, RunArgs};
use crate::escape::control_chars;
use crate::output::write_atomic;
use crate::process::logged::Sink;
use crate::suite::exec::{self, ShardRun};
use crate::suite::junit_write;
use crate::suite::merge::check_items;
use crate::suite::plan::PlanFile;
use crate::suite::planning as suite;
use crate::suite::shard::{exit_code, one_line, shard_result};

pub fn run(_global: &GlobalArgs, args: &RunArgs) -> anyhow::Result<u8> {
    let (index, total) = suite::parse_shard(&args.shard).map_err(planning)?;
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
    crate::suite::checkout::check_plan(
        plan.checkout.as_ref(),
        &args.plan,
        std::path::Path::new("."),
    )?;
    let runner = suite::runner(
        args.runner.as_deref().or(plan.runner.as_deref()),
        &args.command,
    )
    .map_err(planning)?;
    let timeout = timeout(&args.retry)?;
    let changes = crate::github::changes::for_ordering(&args.changed)?;
    let items = plan.items(index).unwrap_or_default();
    let items = &crate::suite::changed::shard_items(items, &plan.split_files, changes.as_ref());
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("pitcrew-shard-{index}.json")));
    super::forget_earlier_outputs(&[&output])?;
    let scratch = crate::scratch::tempdir()?;
    let here = std::path::Path::new(".");
    super::clear_go_coverage_parts(runner, &args.command, here);
    runner.clear_side_by_side(here);
    // The runner's output goes straight to the log: in Actions, none of
    // its lines is read as a workflow command.
    let stopped = crate::github::workflow_commands::Stopped::start();
    let mut outcome = exec::run(&ShardRun {
        runner,
        base: &args.command,
        items,
        split_files: &plan.split_files,
        plan_items: &plan.all_items(),
        discover: plan.discovered,
        retries: super::retries(&args.retry, runner, &args.command),
        timeout,
        dir: std::path::Path::new("."),
        scratch: scratch.path(),
        sink: Sink::Inherit,
        env: [runner.side_by_side_env(index), runner.run_env(&plan_sha256)].concat(),
    });
    drop(stopped);
    // One shard's processes run one after the other, each reading the
    // record of failed tests the last left, unless each clears it.
    if runner.name() == "pytest" {
        let shards: [(usize, &[_]); 1] = [(index, &outcome.tests)];
        super::rewrite_pytest_record(runner, here, &args.command, false, &shards);
    }
    // The shard's processes' files joined (pytest-cov's data, reports and
    // threshold, on the shard's part): what that fails, the shard's error.
    if let Some(problem) = runner.join_side_by_side(here, &args.command)
        && outcome.error.is_none()
    {
        outcome.error = Some(crate::suite::result::ShardError {
            kind: "coverage".into(),
            message: problem,
            stderr_tail: String::new(),
        });
    }
    let mut code = exit_code(&outcome, args.retry.flaky.into());
    let user_junit = std::mem::take(&mut outcome.user_junit);
    let mut result = shard_result(plan_sha256, index, total, runner.name(), outcome);
    result.command = Some(args.command.clone());
    // What `report` will fail the merge for, this shard's job fails for
    // too: a planned file deleted since the plan is lost here, and the
    // job that lost it should be the red one (and its reports say so).
    let (mut problems, mut warnings) = (Vec::new(), Vec::new());
    let planned = plan.plan.shards.iter().find(|s| s.index == index);
    let planned = planned.map(|s| s.items.as_slice());
    check_items(&result, planned, &mut problems, &mut warnings);
    if !problems.is_empty() {
        code = crate::error::exit::FAILED;
    }
    let planned_nothing = items.is_empty() && !plan.discovered;
    // The JUnit report holds the loss too, as the shard's error: a JUnit
    // publisher (or `report` given these files alone) would read green.
    let lost = (!problems.is_empty() && result.error.is_none()).then(|| {
        crate::suite::result::ShardError {
            kind: "lost-items".into(),
            message: problems.join("; "),
            stderr_tail: String::new(),
        }
    });
    let junit = junit_write::of_shard(
        &result.tests,
        result.error.as_ref().or(lost.as_ref()),
        (index, total, &result.plan_sha256),
        planned_nothing,
    );
    if let Some(path) = &args.junit {
        write_atomic(path, junit.as_bytes())?;
    }
    super::write_users_junit(runner, &args.command, here, &user_junit, &junit)?;
    super::write_users_json(runner, &args.command, here, &result.tests, code == 0)?;
    write_atomic(&output, crate::json::to_string_pretty(&result)?.as_bytes())?;
    super::merge_go_coverage(runner, &args.command, here);
    eprintln!("{}", one_line(&result));
    for warning in &warnings {
        eprintln!("  ⚠ {}", control_chars(warning));
    }
    for problem in &problems {
        eprintln!("  ✗ {}", control_chars(problem));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::super::users_junit;
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
        // vitest's JUnit reporter, with its output named either way.
        assert_eq!(
            users_junit(&argv(&[
                "vitest",
                "--reporter=junit",
                "--outputFile.junit=r/j.xml"
            ])),
            Some(PathBuf::from("r/j.xml"))
        );
        assert_eq!(
            users_junit(&argv(&[
                "vitest",
                "--reporter",
                "junit",
                "--outputFile",
                "j.xml"
            ])),
            Some(PathBuf::from("j.xml"))
        );
        // An output file for another reporter is no JUnit report.
        assert_eq!(
            users_junit(&argv(&["vitest", "--reporter=json", "--outputFile=r.json"])),
            None
        );
        assert_eq!(
            users_junit(&argv(&["jest", "--json", "--outputFile", "r.json"])),
            None
        );
        // node pairs reporters and destinations by position.
        assert_eq!(
            users_junit(&argv(&[
                "node",
                "--test",
                "--test-reporter=spec",
                "--test-reporter-destination=stdout",
                "--test-reporter",
                "junit",
                "--test-reporter-destination",
                "out/junit.xml",
            ])),
            Some(PathBuf::from("out/junit.xml"))
        );
        assert_eq!(
            users_junit(&argv(&[
                "node",
                "--test",
                "--test-reporter=junit",
                "--test-reporter-destination=stdout",
            ])),
            None
        );
    }
}
