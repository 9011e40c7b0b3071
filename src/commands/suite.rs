//! What `split`, `run`, `report` and `test` share: finding the runner and
//! the test files, choosing the shard count, reading JUnit timings.

use std::collections::BTreeMap;
use std::path::Path;

use crate::InputError;
use crate::cli::{ShardCountArgs, SuiteArgs};
use crate::suite::discover::discover;
use crate::suite::fold::Folder;
use crate::suite::junit;
use crate::suite::plan::PlanFile;
use crate::suite::runners::{self, Runner};
use crate::suite::slow_files::split_slow_files;
use crate::suite::split::{self, Item, Plan};
use crate::suite::timings::Timings;

/// The runner named by `--runner` (or the plan), else the one the command
/// shows.
pub fn runner(name: Option<&str>, command: &[String]) -> Result<&'static dyn Runner, InputError> {
    if let Some(name) = name {
        return runners::by_name(name).ok_or_else(|| {
            InputError::new(format!(
                "--runner: unknown runner `{name}` (runners: pytest, jest, vitest, playwright, go, nextest, node, generic)"
            ))
        });
    }
    runners::detect(command).ok_or_else(|| {
        InputError::new(format!(
            "cannot tell the test runner from `{}`; pass --runner NAME",
            crate::escape::control_chars(&command.join(" "))
        ))
    })
}

/// Test file globs a runner finds by default.
pub fn default_globs(runner: &str) -> &'static [&'static str] {
    match runner {
        "pytest" => &["**/test_*.py", "**/*_test.py"],
        "jest" | "vitest" => &[
            "**/*.test.{js,jsx,ts,tsx,mjs,cjs}",
            "**/*.spec.{js,jsx,ts,tsx,mjs,cjs}",
        ],
        "playwright" => &["**/*.spec.{js,ts,mjs}"],
        "node" => &["**/*.test.{js,mjs,cjs}", "**/test-*.{js,mjs,cjs}"],
        _ => &[],
    }
}

/// The suite's test files: `--test-list`, else `--tests`, else the runner's
/// default globs (go's items are packages: `./...` patterns must be given).
pub fn files(args: &SuiteArgs, runner: Option<&dyn Runner>) -> Result<Vec<String>, InputError> {
    if let Some(list) = &args.test_list {
        let text = std::fs::read_to_string(list)
            .map_err(|e| InputError::new(format!("{}: cannot read it: {e}", list.display())))?;
        let files: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if files.is_empty() {
            return Err(InputError::new(format!(
                "{}: --test-list names no test",
                list.display()
            )));
        }
        return Ok(files);
    }
    let patterns: Vec<String> = if args.tests.is_empty() {
        let name = runner.map_or("generic", |r| r.name());
        let defaults = default_globs(name);
        if defaults.is_empty() {
            return Err(InputError::new(format!(
                "--tests: required for the {name} runner"
            )));
        }
        defaults.iter().map(|g| g.to_string()).collect()
    } else {
        args.tests.clone()
    };
    discover(&args.root, &patterns)
}

/// Durations per file from JUnit reports matching `globs`.
pub fn junit_timings(globs: &[String]) -> Result<Timings, InputError> {
    let mut timings = Timings::default();
    if globs.is_empty() {
        return Ok(timings);
    }
    for path in discover(Path::new("."), globs)
        .map_err(|e| InputError::new(e.to_string().replace("--tests", "--timings")))?
    {
        let mut folder = Folder::default();
        junit::parse_file(Path::new(&path), |case| folder.add(case))
            .map_err(|e| InputError::new(e.to_string()))?;
        let (_, _, tests) = folder.finish();
        timings.add_tests(tests.iter().filter_map(|t| {
            let file = t.key.file.as_deref()?;
            Some((file.strip_prefix("./").unwrap_or(file), t))
        }));
    }
    Ok(timings)
}

/// The plan file for `files`: planned as they are, then again with every
/// file longer than the ideal shard time split into its tests, where the
/// runner can select and leave out single tests and `timings` knows them.
/// With `--shards auto` the count can change with the items, so this is
/// repeated (at most three times) until the split files settle.
pub fn plan_file(
    files: &[Item],
    timings: &Timings,
    runner: Option<&dyn Runner>,
    count: &ShardCountArgs,
    fallback: Option<usize>,
) -> Result<PlanFile, InputError> {
    let mut planned = plan(files, count, fallback)?;
    let mut split_files = BTreeMap::new();
    if let Some(runner) = runner.filter(|_| !count.whole_files) {
        for _ in 0..3 {
            let expansion = split_slow_files(files, timings, runner, planned.shards.len());
            if expansion.split_files == split_files {
                break;
            }
            planned = plan(&expansion.items, count, fallback)?;
            split_files = expansion.split_files;
        }
    }
    for (file, tests) in &split_files {
        tracing::info!(
            "{}: longer than a shard should take; {} of its tests run as items of their own",
            crate::escape::control_chars(file),
            tests.len()
        );
    }
    Ok(PlanFile {
        plan: planned,
        runner: runner.map(|r| r.name().to_string()),
        split_files,
    })
}

/// The plan for `items`: a fixed shard count, or the cheapest within the
/// target. `fallback` is the count used when `--shards` is not given and
/// `auto` is not the default.
pub fn plan(
    items: &[Item],
    count: &ShardCountArgs,
    fallback: Option<usize>,
) -> Result<Plan, InputError> {
    let requested = match (&count.shards, fallback) {
        (Some(text), _) => text.clone(),
        (None, Some(n)) => n.to_string(),
        (None, None) => "auto".into(),
    };
    if requested == "auto" {
        if !(count.target_minutes.is_finite() && count.target_minutes > 0.0) {
            return Err(InputError::new(
                "--target-minutes: must be a positive number",
            ));
        }
        if !(count.shard_overhead_s.is_finite() && count.shard_overhead_s >= 0.0) {
            return Err(InputError::new("--shard-overhead-s: must be zero or more"));
        }
        if count.max_shards == 0 || count.max_shards > 256 {
            return Err(InputError::new(
                "--max-shards: must be within 1..=256 (the matrix limit)",
            ));
        }
        let choice = split::auto(
            items,
            count.target_minutes,
            count.shard_overhead_s,
            count.max_shards,
        )
        .map_err(|e| InputError::new(e.to_string()))?;
        if !choice.target_met {
            tracing::warn!(
                "no shard count meets the {} min target; {} shards predict {:.1} min",
                count.target_minutes,
                choice.shards,
                choice.predicted_wall_seconds / 60.0
            );
        }
        return Ok(choice.plan);
    }
    let shards: usize = requested
        .parse()
        .ok()
        .filter(|n| (1..=256).contains(n))
        .ok_or_else(|| {
            InputError::new(format!(
                "--shards: `{requested}` is not `auto` or a number within 1..=256"
            ))
        })?;
    split::split(items, shards).map_err(|e| InputError::new(e.to_string()))
}

/// `K/N` with 1 ≤ K ≤ N.
pub fn parse_shard(text: &str) -> Result<(usize, usize), InputError> {
    let bad = || {
        InputError::new(format!(
            "--shard: `{text}` is not K/N with 1 <= K <= N (e.g. 2/4)"
        ))
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_spec_is_validated() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        for bad in ["0/4", "5/4", "x", "2/", "/4", "-1/4"] {
            assert!(
                parse_shard(bad)
                    .unwrap_err()
                    .to_string()
                    .starts_with("--shard: "),
                "{bad}"
            );
        }
    }
}
