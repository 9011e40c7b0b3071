//! Tests as jest's JSON results (`jest --json --outputFile F`, which
//! vitest's `json` reporter writes too): what the user's report holds after
//! a sharded run. Every runner process of a run writes that file, the last
//! one winning (one shard's tests, or a retry's few), so pitcrew writes it
//! again with the whole shard's or run's tests, retries folded: a flaky
//! test passed after `invocations` runs, with the failed runs' messages as
//! its `retryReasons`, as jest's `retryTimes` reports it.
//!
//! Fields pitcrew does not know are left at what an unused feature gives
//! (`snapshot` counts, `openHandles`); times are one attempt's.

use std::path::Path;

use serde_json::{Value, json};

use super::fold::{FinalOutcome, TestResult};
use super::runners::events::PATH_SEPARATOR;

/// `tests` as jest's aggregated results; files are made absolute under
/// `root` (jest names each test file by its absolute path). `success`:
/// whether the run passed as a whole (no failed test, no problem).
pub fn of_tests(tests: &[TestResult], root: &Path, success: bool) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let by_file = super::junit_write::by_file(tests);
    let count = |o: FinalOutcome| tests.iter().filter(|t| t.outcome == o).count();
    let failed_files = by_file
        .values()
        .filter(|tests| tests.iter().any(|t| t.outcome == FinalOutcome::Failed))
        .count();
    let pending_files = by_file
        .values()
        .filter(|tests| tests.iter().all(|t| t.outcome == FinalOutcome::Skipped))
        .count();
    let files: Vec<Value> = by_file
        .iter()
        .map(|(file, tests)| file_result(&root.join(file), tests, now))
        .collect();
    let report = json!({
        "numFailedTestSuites": failed_files,
        "numFailedTests": count(FinalOutcome::Failed),
        "numPassedTestSuites": by_file.len() - failed_files - pending_files,
        "numPassedTests": count(FinalOutcome::Passed) + count(FinalOutcome::Flaky),
        "numPendingTestSuites": pending_files,
        "numPendingTests": count(FinalOutcome::Skipped),
        "numRuntimeErrorTestSuites": 0,
        "numTodoTests": 0,
        "numTotalTestSuites": by_file.len(),
        "numTotalTests": tests.len(),
        "openHandles": [],
        "snapshot": snapshot(),
        "startTime": now,
        "success": success,
        "testResults": files,
        "wasInterrupted": false,
    });
    serde_json::to_string(&report).unwrap_or_default()
}

/// One test file's entry.
fn file_result(path: &Path, tests: &[&TestResult], now: u64) -> Value {
    let failed = tests.iter().any(|t| t.outcome == FinalOutcome::Failed);
    let millis: f64 = tests.iter().map(|t| one_attempt_ms(t)).sum();
    json!({
        "assertionResults": tests.iter().map(|t| assertion(t)).collect::<Vec<_>>(),
        "endTime": now,
        "message": "",
        "name": path.to_string_lossy().replace('\\', "/"),
        "startTime": now.saturating_sub(millis as u64),
        "status": if failed { "failed" } else { "passed" },
        "summary": "",
    })
}

/// One test: its describe path (`ancestorTitles`) from pitcrew's
/// classname, which joins it with [`PATH_SEPARATOR`].
fn assertion(test: &TestResult) -> Value {
    let ancestors: Vec<&str> = match test.key.classname.as_str() {
        "" => Vec::new(),
        path => path.split(PATH_SEPARATOR).collect(),
    };
    let full_name = ancestors
        .iter()
        .copied()
        .chain([test.key.name.as_str()])
        .collect::<Vec<_>>()
        .join(" ");
    let why = test.failure.as_ref().map(|f| {
        f.details
            .clone()
            .or_else(|| f.message.clone())
            .unwrap_or_default()
    });
    let (status, failures, retries) = match test.outcome {
        FinalOutcome::Passed => ("passed", Vec::new(), Vec::new()),
        FinalOutcome::Flaky => ("passed", Vec::new(), why.into_iter().collect()),
        FinalOutcome::Failed => ("failed", why.into_iter().collect(), Vec::new()),
        FinalOutcome::Skipped => ("pending", Vec::new(), Vec::new()),
    };
    json!({
        "ancestorTitles": ancestors,
        "duration": one_attempt_ms(test).round() as u64,
        "failureDetails": [],
        "failureMessages": failures,
        "fullName": full_name,
        "invocations": test.attempts.max(1),
        "location": null,
        "numPassingAsserts": 0,
        "retryReasons": retries,
        "status": status,
        "title": test.key.name,
    })
}

fn one_attempt_ms(test: &TestResult) -> f64 {
    1000.0 * test.one_attempt_seconds()
}

/// jest's snapshot summary of a run that wrote no snapshot.
fn snapshot() -> Value {
    json!({
        "added": 0, "didUpdate": false, "failure": false, "filesAdded": 0,
        "filesRemoved": 0, "filesRemovedList": [], "filesUnmatched": 0,
        "filesUpdated": 0, "matched": 0, "total": 0, "unchecked": 0,
        "uncheckedKeysByFile": [], "unmatched": 0, "updated": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::{FailureInfo, TestKey};

    fn test(file: &str, classname: &str, name: &str, outcome: FinalOutcome) -> TestResult {
        let failed = matches!(outcome, FinalOutcome::Failed | FinalOutcome::Flaky);
        TestResult {
            key: TestKey {
                file: Some(file.into()),
                classname: classname.into(),
                name: name.into(),
                occurrence: 0,
            },
            outcome,
            attempts: if outcome == FinalOutcome::Flaky { 2 } else { 1 },
            duration_seconds: 0.5,
            failure: failed.then(|| FailureInfo {
                message: Some("expected 1".into()),
                failure_type: None,
                details: Some("Error: expected 1\n    at a.test.js:3".into()),
                line: None,
            }),
        }
    }

    #[test]
    fn a_run_reads_as_jests_results_with_flaky_tests_passed_after_retries() {
        let tests = [
            test(
                "a.test.js",
                "users > list",
                "returns 200",
                FinalOutcome::Passed,
            ),
            test("a.test.js", "", "top", FinalOutcome::Flaky),
            test("b.test.js", "b", "breaks", FinalOutcome::Failed),
            test("c.test.js", "", "later", FinalOutcome::Skipped),
        ];
        let text = of_tests(&tests, Path::new("/repo"), false);
        let report: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["numTotalTests"], 4);
        assert_eq!(report["numPassedTests"], 2);
        assert_eq!(report["numFailedTests"], 1);
        assert_eq!(report["numPendingTests"], 1);
        assert_eq!(report["numTotalTestSuites"], 3);
        assert_eq!(report["numFailedTestSuites"], 1);
        assert_eq!(report["numPendingTestSuites"], 1);
        assert_eq!(report["success"], false);
        let a = &report["testResults"][0];
        assert_eq!(a["name"], "/repo/a.test.js");
        assert_eq!(a["status"], "passed");
        let listed = &a["assertionResults"][0];
        assert_eq!(listed["ancestorTitles"], json!(["users", "list"]));
        assert_eq!(listed["fullName"], "users list returns 200");
        assert_eq!(listed["duration"], 500);
        let flaky = &a["assertionResults"][1];
        assert_eq!(flaky["status"], "passed");
        assert_eq!(flaky["invocations"], 2);
        assert_eq!(flaky["duration"], 250);
        assert_eq!(flaky["ancestorTitles"], json!([]));
        assert!(
            flaky["retryReasons"][0]
                .as_str()
                .unwrap()
                .contains("expected 1")
        );
        let b = &report["testResults"][1]["assertionResults"][0];
        assert_eq!(report["testResults"][1]["status"], "failed");
        assert_eq!(b["status"], "failed");
        assert!(
            b["failureMessages"][0]
                .as_str()
                .unwrap()
                .contains("at a.test.js:3")
        );
        assert_eq!(
            report["testResults"][2]["assertionResults"][0]["status"],
            "pending"
        );
    }
}
