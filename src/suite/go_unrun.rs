//! Tests go never started in a package that stopped early.
//!
//! go ends a package's test binary at a panic, after the first failure
//! under `-failfast`, and at its own or pitcrew's timeout: the package's
//! later tests never run, and its JSON never names them. A retry of the
//! failed test alone would then pass the run with those tests unseen. So
//! when a package of the shard failed, `go test -list` says what it holds,
//! and each listed test with no result is a test that never ran: named,
//! retried, and a failure when no attempt runs it. A package whose
//! listing fails is read from its test files instead.

use std::collections::BTreeSet;
use std::path::Path;

use super::junit::{Outcome, TestCase};
use super::runners::{GO_BUILD_FAILED, GO_PACKAGE_FAILED};
use super::{collect, go_source};

/// The `(package, test)` pairs `go test` would have run in the failed
/// packages among `packages` that `cases` do not name.
pub fn unrun(
    base: &[String],
    dir: &Path,
    packages: &[String],
    cases: &[TestCase],
) -> Vec<(String, String)> {
    let items: BTreeSet<&str> = packages.iter().map(String::as_str).collect();
    // Only a package that stopped among its tests: one that did not build
    // or stopped before its first test (its `TestMain` setup, an `init`
    // panic) ran none, and its failure stands for all of them, as a
    // collection error does for a file's.
    let among_tests: BTreeSet<&str> = cases
        .iter()
        .filter(|c| {
            !matches!(
                c.failure_type.as_deref(),
                Some(GO_BUILD_FAILED | GO_PACKAGE_FAILED)
            )
        })
        .map(|c| c.classname.as_str())
        .collect();
    let failed: BTreeSet<String> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
        .filter(|c| items.contains(c.classname.as_str()))
        .filter(|c| among_tests.contains(c.classname.as_str()))
        .map(|c| c.classname.clone())
        .collect();
    if failed.is_empty() {
        return Vec::new();
    }
    let failed: Vec<String> = failed.into_iter().collect();
    let listed = match collect::go_tests(base, dir, &failed) {
        Ok(Some(listed)) => listed,
        Ok(None) => return Vec::new(),
        // `-list` runs each package's `TestMain` too: one that exits
        // before `m.Run` (its setup failed, which the run already reports)
        // fails the whole call. The others are then listed one by one, so
        // their tests that never ran are still named.
        Err(_) if failed.len() > 1 => failed
            .iter()
            .flat_map(|package| list_alone(base, dir, package))
            .collect(),
        Err(error) => from_source(base, dir, &failed[0], &error),
    };
    let reported: BTreeSet<(&str, &str)> = cases
        .iter()
        .map(|c| {
            let top = c.name.split('/').next().unwrap_or_default();
            (c.classname.as_str(), top)
        })
        .collect();
    listed
        .into_iter()
        .filter(|(package, test)| !reported.contains(&(package.as_str(), test.as_str())))
        .collect()
}

/// One package's tests, listed alone.
fn list_alone(base: &[String], dir: &Path, package: &str) -> Vec<(String, String)> {
    match collect::go_tests(base, dir, &[package.to_owned()]) {
        Ok(listed) => listed.unwrap_or_default(),
        Err(error) => from_source(base, dir, package, &error),
    }
}

/// The tests of a package `go test -list` failed on (its `TestMain`
/// exited, or the listing timed out), read from the test files `go list`
/// names, with a warning; none, with a warning, when go cannot say which
/// files those are either. Without them, a real failure among the tests a
/// panic kept from running would vanish behind the panicking test's pass
/// on retry.
fn from_source(
    base: &[String],
    dir: &Path,
    package: &str,
    error: &collect::CollectError,
) -> Vec<(String, String)> {
    let Some(go) = collect::GoTestCommand::read(base) else {
        return Vec::new();
    };
    match go.test_files(dir, package) {
        Ok(Some((import, files))) => {
            tracing::warn!(
                "could not list the tests of {package} ({error}); \
                 read them from its test files to name those that never ran"
            );
            go_source::tests_in_files(&files)
                .into_iter()
                .filter(|test| go.selects(test))
                .map(|test| (import.clone(), test))
                .collect()
        }
        Ok(None) | Err(_) => {
            tracing::warn!(
                "could not list the tests of {package} to name those that never ran: {error}"
            );
            Vec::new()
        }
    }
}
