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
    let files: Vec<File> = by_file
        .iter()
        .map(|(file, tests)| File::of(file, tests))
        .collect();
    let assertions = || files.iter().flat_map(|f| f.tests.iter());
    let count = |o: FinalOutcome| assertions().filter(|t| t.outcome == o).count();
    let failed_files = files.iter().filter(|f| f.failed()).count();
    let pending_files = files.iter().filter(|f| f.pending()).count();
    let results: Vec<Value> = files
        .iter()
        .map(|file| file.result(&root.join(file.name), now))
        .collect();
    let report = json!({
        "numFailedTestSuites": failed_files,
        "numFailedTests": count(FinalOutcome::Failed),
        "numPassedTestSuites": files.len() - failed_files - pending_files,
        "numPassedTests": count(FinalOutcome::Passed) + count(FinalOutcome::Flaky),
        "numPendingTestSuites": pending_files,
        "numPendingTests": count(FinalOutcome::Skipped),
        "numRuntimeErrorTestSuites": files.iter().filter(|f| f.runtime_error()).count(),
        "numTodoTests": 0,
        "numTotalTestSuites": files.len(),
        "numTotalTests": assertions().count(),
        "openHandles": [],
        "snapshot": snapshot(),
        "startTime": now,
        "success": success,
        "testResults": results,
        "wasInterrupted": false,
    });
    crate::json::to_string(&report).unwrap_or_default()
}

/// One test file: its tests, and its failure outside them, which pitcrew's
/// reporters record as a test named for the file (it could not be loaded,
/// or a hook outside every test failed) and jest as the file's `message`.
struct File<'t> {
    name: &'t str,
    tests: Vec<&'t TestResult>,
    error: Option<&'t TestResult>,
}

impl<'t> File<'t> {
    fn of(name: &'t str, tests: &[&'t TestResult]) -> Self {
        let outside = |t: &TestResult| {
            t.key.classname.is_empty()
                && t.key.name == name
                && matches!(t.outcome, FinalOutcome::Failed | FinalOutcome::Flaky)
        };
        // The first is the file's failure; any other stays a test.
        let error = tests.iter().copied().find(|t| outside(t));
        let tests = tests
            .iter()
            .copied()
            .filter(|t| !error.is_some_and(|e| std::ptr::eq(e, *t)))
            .collect();
        Self { name, tests, error }
    }

    /// A flaky file error passed on a retry, as a flaky test does.
    fn failed(&self) -> bool {
        self.error
            .is_some_and(|e| e.outcome == FinalOutcome::Failed)
            || self.tests.iter().any(|t| t.outcome == FinalOutcome::Failed)
    }

    /// jest's "test suite failed to run": a file error and no test.
    fn runtime_error(&self) -> bool {
        self.failed() && self.tests.is_empty()
    }

    fn pending(&self) -> bool {
        !self.failed()
            && !self.tests.is_empty()
            && self
                .tests
                .iter()
                .all(|t| t.outcome == FinalOutcome::Skipped)
    }

    fn result(&self, path: &Path, now: u64) -> Value {
        let millis: f64 = self.tests.iter().map(|t| one_attempt_ms(t)).sum();
        let message = self
            .error
            .filter(|e| e.outcome == FinalOutcome::Failed)
            .and_then(why)
            .unwrap_or_default();
        json!({
            "assertionResults": self.tests.iter().map(|t| assertion(t)).collect::<Vec<_>>(),
            "endTime": now,
            "message": message,
            "name": path.to_string_lossy().replace('\\', "/"),
            "startTime": now.saturating_sub(millis as u64),
            "status": if self.failed() { "failed" } else { "passed" },
            "summary": "",
        })
    }
}

/// What a failed run of a test said: its details, else its message.
fn why(test: &TestResult) -> Option<String> {
    test.failure.as_ref().map(|f| {
        f.details
            .clone()
            .or_else(|| f.message.clone())
            .unwrap_or_default()
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
    let why = why(test);
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

    #[test]
    fn a_file_that_failed_outside_its_tests_is_the_files_message_not_a_test() {
        let tests = [
            test("broken.test.js", "", "broken.test.js", FinalOutcome::Failed),
            test("hook.test.js", "", "hook.test.js", FinalOutcome::Failed),
            test("hook.test.js", "", "ran", FinalOutcome::Passed),
            test("ok.test.js", "", "ok", FinalOutcome::Passed),
        ];
        let report: Value =
            serde_json::from_str(&of_tests(&tests, Path::new("/repo"), false)).unwrap();
        assert_eq!(report["numTotalTests"], 2, "{report}");
        assert_eq!(report["numFailedTests"], 0);
        assert_eq!(report["numPassedTests"], 2);
        assert_eq!(report["numTotalTestSuites"], 3);
        assert_eq!(report["numFailedTestSuites"], 2);
        assert_eq!(report["numPassedTestSuites"], 1);
        assert_eq!(report["numRuntimeErrorTestSuites"], 1);
        let broken = &report["testResults"][0];
        assert_eq!(broken["status"], "failed");
        assert_eq!(broken["assertionResults"], json!([]));
        assert!(
            broken["message"]
                .as_str()
                .unwrap()
                .contains("at a.test.js:3")
        );
        let hook = &report["testResults"][1];
        assert_eq!(hook["status"], "failed");
        assert_eq!(hook["assertionResults"][0]["title"], "ran");
        assert_eq!(report["testResults"][2]["message"], "");
        // A second failure outside the tests of one file is not dropped.
        let mut again = test("broken.test.js", "", "broken.test.js", FinalOutcome::Failed);
        again.key.occurrence = 1;
        let tests = [tests[0].clone(), again];
        let report: Value =
            serde_json::from_str(&of_tests(&tests, Path::new("/repo"), false)).unwrap();
        assert_eq!(report["numFailedTests"], 1, "{report}");
        assert_eq!(
            report["testResults"][0]["assertionResults"][0]["status"],
            "failed"
        );
    }
}
