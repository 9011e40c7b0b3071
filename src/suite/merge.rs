//! Merging shard results (and plain JUnit files) with integrity: every
//! shard of the plan present, every planned item reported, results from
//! one plan only. A shard given twice folds only when both results say the
//! same; a conflicting one fails the run, naming both files. Every problem
//! is named, and any problem fails the run.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::fold::{Counts, FinalOutcome, TestKey, TestResult};
use super::plan::PlanFile;
use super::result::ShardResult;
use crate::escape::control_chars;

/// The numbers users check, as `pitcrew report --format json` prints them.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    /// `<testcase>` elements.
    pub cases: u64,
    /// Cases with a `<failure>`.
    pub failures: u64,
    /// Cases with an `<error>` and no `<failure>`.
    pub errors: u64,
    /// Cases skipped.
    pub skipped: u64,
    /// Unique tests, retries folded.
    pub tests: u64,
    pub passed: u64,
    pub failed: u64,
    /// Failed, then passed (or failed only in reruns the runner marked flaky).
    pub flaky: u64,
    pub duration_seconds: f64,
}

/// How long each shard took, to show the balance.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ShardStat {
    pub shard: usize,
    pub tests: u64,
    pub duration_seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct Merged {
    pub summary: Summary,
    /// Every test, sorted by key.
    pub tests: Vec<TestResult>,
    /// Integrity problems, each one line; any fails the run.
    pub problems: Vec<String>,
    /// What deserves a look but loses no test, each one line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub shards: Vec<ShardStat>,
    /// The runner adapter's name, when known: `test` records it, and
    /// `report` when every shard result names the same one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner: Option<String>,
    /// The test command (argv), when known (`test` records it): what fix
    /// verification re-runs when no `-- CMD` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// How long the shards took, start to end, when one machine ran them
    /// all (`test`): with fewer jobs than shards, longer than the slowest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wall_seconds: Option<f64>,
}

/// What `report` was given: shard results (with their file names) and
/// tests parsed from plain JUnit files.
#[derive(Default)]
pub struct Inputs {
    pub shards: Vec<(String, ShardResult)>,
    pub junit_counts: Counts,
    pub junit_tests: Vec<TestResult>,
    /// The shards JUnit files of `run --junit` say they hold: the file,
    /// and the plan's sha256, K and N.
    pub junit_shards: Vec<(String, String, usize, usize)>,
}

pub fn merge(inputs: Inputs, plan: Option<(&PlanFile, &str)>) -> Merged {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut counts = inputs.junit_counts;
    let mut tests: BTreeMap<TestKey, TestResult> = BTreeMap::new();
    for test in inputs.junit_tests {
        fold_into(&mut tests, test);
    }

    // The plan every input must come from: `--plan`'s, else the one the
    // shard results agree on, else the one JUnit reports of `run --junit`
    // agree on. A shard is held by a shard result or by such a report.
    let reference = match plan {
        Some((plan, hash)) => Some((hash.to_owned(), plan.plan.shards.len())),
        None if !inputs.shards.is_empty() => reference(&inputs.shards, &mut problems),
        None => marks_reference(&inputs.junit_shards, &mut problems),
    };
    let junit_held = reference.as_ref().map_or_else(BTreeSet::new, |reference| {
        junit_shards(&inputs.junit_shards, reference, &mut problems)
    });
    let mut conflicting = BTreeMap::new();
    // Plain JUnit files alone say no shard: nothing to check.
    let checked = !(inputs.shards.is_empty() && inputs.junit_shards.is_empty());
    let shards = match &reference {
        Some(reference) if checked => check_shards(
            &inputs.shards,
            reference,
            &junit_held,
            plan,
            &mut problems,
            &mut warnings,
            &mut conflicting,
        ),
        _ => Vec::new(),
    };
    let mut stats = Vec::new();
    for (_, result) in &shards {
        counts.cases = counts.cases.saturating_add(result.counts.cases);
        counts.failures = counts.failures.saturating_add(result.counts.failures);
        counts.errors = counts.errors.saturating_add(result.counts.errors);
        counts.skipped = counts.skipped.saturating_add(result.counts.skipped);
        stats.push(ShardStat {
            shard: result.shard,
            tests: result.tests.len() as u64,
            duration_seconds: result.duration_seconds,
        });
        let others = conflicting
            .get(&result.shard)
            .map_or(&[][..], Vec::as_slice);
        for test in worst_tests(result, others) {
            fold_into(&mut tests, test.clone());
        }
    }

    let mut summary = Summary {
        cases: counts.cases,
        failures: counts.failures,
        errors: counts.errors,
        skipped: counts.skipped,
        ..Summary::default()
    };
    for test in tests.values() {
        summary.tests += 1;
        summary.duration_seconds += test.duration_seconds;
        match test.outcome {
            FinalOutcome::Passed => summary.passed += 1,
            FinalOutcome::Failed => summary.failed += 1,
            FinalOutcome::Flaky => summary.flaky += 1,
            FinalOutcome::Skipped => {}
        }
    }
    Merged {
        summary,
        tests: tests.into_values().collect(),
        problems,
        warnings,
        shards: stats,
        runner: common_runner(&shards),
        command: common_command(&shards),
        wall_seconds: None,
    }
}

/// Keeps one result per shard index and records every integrity problem;
/// the other results given for a shard with different outcomes go to
/// `conflicting`, by shard index.
fn check_shards<'a>(
    shards: &'a [(String, ShardResult)],
    (expected_hash, total): &(String, usize),
    junit_held: &BTreeSet<usize>,
    plan: Option<(&PlanFile, &str)>,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
    conflicting: &mut BTreeMap<usize, Vec<&'a ShardResult>>,
) -> Vec<(&'a str, &'a ShardResult)> {
    let (expected_hash, total) = (expected_hash.as_str(), *total);
    let mut kept: BTreeMap<usize, (&str, &ShardResult)> = BTreeMap::new();
    for (origin, result) in shards {
        if result.plan_sha256 != expected_hash {
            problems.push(format!(
                "{origin}: comes from a different plan (sha256 {}…, expected {}…)",
                short(&control_chars(&result.plan_sha256)),
                short(&control_chars(expected_hash))
            ));
            continue;
        }
        if result.total != total {
            problems.push(format!(
                "{origin}: says the plan has {} shards, expected {total}",
                result.total
            ));
            continue;
        }
        if let Some(&(first, kept_result)) = kept.get(&result.shard) {
            if same_outcomes(kept_result, result) {
                warnings.push(format!(
                    "{}: shard {}/{total} was already given by {} with the same results; read once",
                    control_chars(origin),
                    result.shard,
                    control_chars(first)
                ));
            } else {
                problems.push(format!(
                    "shard {}/{total}: {first} and {origin} both claim it with different results; pass only one",
                    result.shard
                ));
                // Whatever the files' order, the shard's figures are those
                // of the result with more failures, and each test is listed
                // as the worst of the copies say ([`worst_tests`]): a
                // failure is never hidden behind a passing copy.
                let others = conflicting.entry(result.shard).or_default();
                if failed_tests(result) > failed_tests(kept_result) {
                    kept.insert(result.shard, (origin.as_str(), result));
                    others.push(kept_result);
                } else {
                    others.push(result);
                }
            }
            continue;
        }
        kept.insert(result.shard, (origin.as_str(), result));
    }
    for index in 1..=total {
        if !kept.contains_key(&index) && !junit_held.contains(&index) {
            let none = match shards.is_empty() {
                true => "no JUnit report of `run --junit` holds it",
                false => "no result for it",
            };
            problems.push(format!("shard {index}/{total}: missing ({none})"));
        }
    }
    for (index, (origin, result)) in &kept {
        if let Some(error) = &result.error {
            let said = crate::process::headline(&error.stderr_tail)
                .map(|line| format!(" (stderr: {})", control_chars(&line)))
                .unwrap_or_default();
            problems.push(format!(
                "shard {index}/{total} ({origin}): {}: {}{said}",
                error.kind,
                control_chars(&error.message),
            ));
        }
        let planned = plan
            .and_then(|(plan, _)| plan.plan.shards.iter().find(|s| s.index == *index))
            .map(|planned| planned.items.as_slice());
        check_items(result, planned, problems, warnings);
    }
    kept.into_values().collect()
}

/// What one shard's result says of its items: a planned item that
/// produced no test case or was not reported at all is a problem, a
/// split-out test gone since the timings a warning. `report` asks it of
/// every shard, and `run` of its own, so that the shard's job fails where
/// the loss happened and not only at the merge.
pub fn check_items(
    result: &ShardResult,
    planned: Option<&[String]>,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let (index, total) = (result.shard, result.total);
    for item in &result.items {
        // A split-out test is selected with the very pattern its file's
        // rest leaves out, so a test that exists runs in one of them:
        // one that reported nothing (in a shard without error) is gone.
        // Unless its file did not import: that failure is reported,
        // and says nothing of the tests in it.
        if let Some(file) = item.test_of.as_deref().filter(|_| item.tests == 0)
            && result.error.is_none()
        {
            if uncollected(result, file) {
                continue;
            }
            warnings.push(format!(
                "test `{}` (shard {index}/{total}) no longer exists in {}: deleted or renamed since the timings were recorded",
                control_chars(&item.id),
                control_chars(file)
            ));
            continue;
        }
        if item.tests == 0 && item.selected_none {
            tracing::info!(
                "item `{}` (shard {index}/{total}) ran and its runner selected no test in it",
                control_chars(&item.id)
            );
        } else if item.tests == 0 {
            problems.push(format!(
                "item `{}` (shard {index}/{total}) produced no test case",
                control_chars(&item.id)
            ));
        }
    }
    if let Some(planned) = planned {
        let reported: BTreeSet<&str> = result.items.iter().map(|i| i.id.as_str()).collect();
        for item in planned {
            if !reported.contains(item.as_str()) {
                problems.push(format!(
                    "item `{}` (shard {index}/{total}) was not reported",
                    control_chars(item)
                ));
            }
        }
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// Without `--plan`, the plan every result must come from, and its shard
/// count: the results must agree among themselves; no one file decides for
/// the others, so results from several plans are a problem naming each
/// plan and its files, and nothing is merged.
fn reference(
    shards: &[(String, ShardResult)],
    problems: &mut Vec<String>,
) -> Option<(String, usize)> {
    let plans = shards
        .iter()
        .map(|(origin, r)| (origin.as_str(), r.plan_sha256.as_str(), r.total));
    agreed_plan(plans, problems)
}

/// The same for JUnit reports of `run --junit` with no shard result.
fn marks_reference(
    marks: &[(String, String, usize, usize)],
    problems: &mut Vec<String>,
) -> Option<(String, usize)> {
    if marks.is_empty() {
        return None;
    }
    let plans = marks
        .iter()
        .map(|(origin, sha, _, total)| (origin.as_str(), sha.as_str(), *total));
    agreed_plan(plans, problems)
}

fn agreed_plan<'a>(
    files: impl Iterator<Item = (&'a str, &'a str, usize)>,
    problems: &mut Vec<String>,
) -> Option<(String, usize)> {
    let mut plans: BTreeMap<(&str, usize), Vec<&str>> = BTreeMap::new();
    for (origin, hash, total) in files {
        plans.entry((hash, total)).or_default().push(origin);
    }
    if plans.len() == 1 {
        return plans.into_keys().next().map(|(h, t)| (h.to_owned(), t));
    }
    let described: Vec<String> = plans
        .iter()
        .map(|((hash, total), files)| {
            format!(
                "plan {}… of {total} shards ({})",
                short(&control_chars(hash)),
                files.join(", ")
            )
        })
        .collect();
    problems.push(format!(
        "the results come from {} different plans: {}; pass --plan to say which one is meant",
        plans.len(),
        described.join("; ")
    ));
    None
}

/// The tests of `kept`, each as the worst that it or one of `others`
/// (conflicting results for the same shard) says: failed over flaky over
/// passed over skipped; a test only another copy has is listed too.
fn worst_tests<'a>(kept: &'a ShardResult, others: &[&'a ShardResult]) -> Vec<&'a TestResult> {
    if others.is_empty() {
        return kept.tests.iter().collect();
    }
    let rank = |o: FinalOutcome| match o {
        FinalOutcome::Failed => 3,
        FinalOutcome::Flaky => 2,
        FinalOutcome::Passed => 1,
        FinalOutcome::Skipped => 0,
    };
    let mut worst: BTreeMap<&TestKey, &TestResult> =
        kept.tests.iter().map(|t| (&t.key, t)).collect();
    for test in others.iter().flat_map(|r| &r.tests) {
        worst
            .entry(&test.key)
            .and_modify(|w| {
                if rank(test.outcome) > rank(w.outcome) {
                    *w = test;
                }
            })
            .or_insert(test);
    }
    worst.into_values().collect()
}

/// JUnit files of `run --junit` say which shard of which plan each holds:
/// one of another plan is foreign; the shards they hold count as held
/// (beside shard results, or alone). Plain JUnit files say nothing, and
/// are not checked.
fn junit_shards(
    marks: &[(String, String, usize, usize)],
    (hash, total): &(String, usize),
    problems: &mut Vec<String>,
) -> BTreeSet<usize> {
    let mut held = BTreeSet::new();
    for (origin, sha, index, of) in marks {
        if sha != hash || of != total {
            problems.push(format!(
                "{}: holds shard {index}/{of} of another plan (sha256 {}…, expected {}…)",
                control_chars(origin),
                short(&control_chars(sha)),
                short(hash)
            ));
        } else {
            held.insert(*index);
        }
    }
    held
}

/// How many of a shard result's tests failed.
fn failed_tests(result: &ShardResult) -> usize {
    let failed = |t: &&TestResult| t.outcome == FinalOutcome::Failed;
    result.tests.iter().filter(failed).count()
}

/// Whether two results for one shard say the same: the same items, tests,
/// outcomes, counts and error (durations may differ).
fn same_outcomes(a: &ShardResult, b: &ShardResult) -> bool {
    let items = |r: &ShardResult| -> Vec<(String, u32)> {
        r.items.iter().map(|i| (i.id.clone(), i.tests)).collect()
    };
    let tests = |r: &ShardResult| -> Vec<(TestKey, FinalOutcome, u32)> {
        let mut tests: Vec<_> = r
            .tests
            .iter()
            .map(|t| (t.key.clone(), t.outcome, t.attempts))
            .collect();
        tests.sort_by(|x, y| x.0.cmp(&y.0));
        tests
    };
    a.counts == b.counts
        && a.error == b.error
        && a.runner == b.runner
        && items(a) == items(b)
        && tests(a) == tests(b)
}

/// The same test reported by more than one input (a JUnit file and a shard
/// result, a file planned twice) is folded into one result. Different
/// inputs are not re-runs of each other, so a failure in one is never
/// turned into "flaky" by a pass in another.
fn fold_into(tests: &mut BTreeMap<TestKey, TestResult>, test: TestResult) {
    match tests.get_mut(&test.key) {
        None => {
            tests.insert(test.key.clone(), test);
        }
        Some(existing) => {
            existing.outcome = combine(existing.outcome, test.outcome);
            existing.attempts = existing.attempts.saturating_add(test.attempts);
            existing.duration_seconds += test.duration_seconds;
            if test.failure.is_some() {
                existing.failure = test.failure;
            }
        }
    }
}

/// Whether `result` holds `file`'s collection error (it did not import)
/// or its build failure (go).
fn uncollected(result: &ShardResult, file: &str) -> bool {
    result
        .tests
        .iter()
        .any(|t| t.key.file.as_deref() == Some(file) && t.never_loaded())
}

/// The runner every shard result names, if they all name one.
fn common_runner(shards: &[(&str, &ShardResult)]) -> Option<String> {
    let first = &shards.first()?.1.runner;
    let same = shards.iter().all(|(_, r)| r.runner == *first);
    (same && !first.is_empty()).then(|| first.clone())
}

/// The test command every shard result names, if they all name the same.
fn common_command(shards: &[(&str, &ShardResult)]) -> Option<Vec<String>> {
    let first = shards.first()?.1.command.as_ref()?;
    let same = shards
        .iter()
        .all(|(_, r)| r.command.as_ref() == Some(first));
    (same && !first.is_empty()).then(|| first.clone())
}

fn combine(a: FinalOutcome, b: FinalOutcome) -> FinalOutcome {
    use FinalOutcome::*;
    match (a, b) {
        (Skipped, other) | (other, Skipped) => other,
        (Failed, _) | (_, Failed) => Failed,
        (Flaky, _) | (_, Flaky) => Flaky,
        (Passed, Passed) => Passed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FinalOutcome::*;

    #[test]
    fn the_runner_is_known_when_every_shard_names_the_same() {
        let shard = |runner: &str| ShardResult {
            format: crate::suite::result::FORMAT.into(),
            plan_sha256: String::new(),
            shard: 1,
            total: 1,
            runner: runner.into(),
            items: Vec::new(),
            tests: Vec::new(),
            counts: Counts::default(),
            error: None,
            duration_seconds: 0.0,
            cpu_seconds: None,
            cpu_share: None,
            processes: None,
            files_running_seconds: None,
            workers: None,
            command: None,
        };
        let (a, b) = (shard("pytest"), shard("jest"));
        assert_eq!(
            common_runner(&[("1", &a), ("2", &a)]).as_deref(),
            Some("pytest")
        );
        assert_eq!(common_runner(&[("1", &a), ("2", &b)]), None);
        assert_eq!(common_runner(&[]), None);
        // The command likewise: only when every shard ran the same one.
        let with = |argv: &[&str]| ShardResult {
            command: Some(argv.iter().map(|a| a.to_string()).collect()),
            ..shard("pytest")
        };
        let (c, d) = (with(&["pytest", "-q"]), with(&["pytest"]));
        assert_eq!(
            common_command(&[("1", &c), ("2", &c)]),
            Some(vec!["pytest".to_string(), "-q".to_string()])
        );
        assert_eq!(common_command(&[("1", &c), ("2", &d)]), None);
        assert_eq!(common_command(&[("1", &c), ("2", &a)]), None);
    }

    #[test]
    fn a_failure_in_one_input_is_never_hidden_by_another() {
        assert_eq!(combine(Passed, Failed), Failed);
        assert_eq!(combine(Failed, Passed), Failed);
        assert_eq!(combine(Flaky, Failed), Failed);
        assert_eq!(combine(Failed, Failed), Failed);
        assert_eq!(combine(Skipped, Failed), Failed);
        assert_eq!(combine(Passed, Skipped), Passed);
        assert_eq!(combine(Flaky, Passed), Flaky);
        assert_eq!(combine(Skipped, Skipped), Skipped);
    }
}
