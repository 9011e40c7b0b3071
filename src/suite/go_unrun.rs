//! Tests go never started in a package that stopped early.
//!
//! go ends a package's test binary at a panic, after the first failure
//! under `-failfast`, and at its own or pitcrew's timeout: the package's
//! later tests never run, and its JSON never names them. A retry of the
//! failed test alone would then pass the run with those tests unseen. So
//! when a package of the shard failed, `go test -list` says what it holds,
//! and each listed test with no result is a test that never ran: named,
//! retried, and a failure when no attempt runs it.

use std::collections::BTreeSet;
use std::path::Path;

use super::collect;
use super::junit::{Outcome, TestCase};
use super::runners::GO_BUILD_FAILED;

/// The `(package, test)` pairs `go test` would have run in the failed
/// packages among `packages` that `cases` do not name.
pub fn unrun(
    base: &[String],
    dir: &Path,
    packages: &[String],
    cases: &[TestCase],
) -> Vec<(String, String)> {
    let items: BTreeSet<&str> = packages.iter().map(String::as_str).collect();
    // A package that did not build has nothing to list either.
    let failed: BTreeSet<String> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
        .filter(|c| c.failure_type.as_deref() != Some(GO_BUILD_FAILED))
        .filter(|c| items.contains(c.classname.as_str()))
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
        Err(error) => {
            warn_unlisted(&failed, &error);
            return Vec::new();
        }
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

/// One package's tests; none, with a warning, when it cannot be listed.
fn list_alone(base: &[String], dir: &Path, package: &str) -> Vec<(String, String)> {
    let package = [package.to_owned()];
    match collect::go_tests(base, dir, &package) {
        Ok(listed) => listed.unwrap_or_default(),
        Err(error) => {
            warn_unlisted(&package, &error);
            Vec::new()
        }
    }
}

fn warn_unlisted(packages: &[String], error: &collect::CollectError) {
    tracing::warn!(
        "could not list the tests of {} to name those that never ran: {error}",
        packages.join(", ")
    );
}
