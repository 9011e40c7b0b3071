//! pytest's record of the tests that failed (`.pytest_cache/v/cache/
//! lastfailed`, what `--lf` runs next time), when shards ran side by side in
//! one folder.
//!
//! Each shard's pytest writes the whole record at its end: what it read at
//! its start, less what it saw pass or skip, plus what it saw fail. The
//! last shard to finish wins, so the record names that shard's failures and
//! none of the others': a later `pytest --lf` then leaves a real failure
//! out. After the run the record is written again as one pytest would have
//! left it: the record from before the run, less every test that ran and
//! did not fail, plus every test that failed.
//!
//! Only the default place is kept (`.pytest_cache` in the folder the shards
//! ran in, which is pytest's rootdir then, so node ids match pitcrew's); a
//! `cache_dir` set elsewhere, or `-p no:cacheprovider`, is left alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::fold::{FinalOutcome, TestResult};
use super::runners::{Runner, TestRef};

const RECORD: &str = ".pytest_cache/v/cache/lastfailed";

/// The record as it was before the run.
pub struct LastFailed {
    path: PathBuf,
    before: BTreeMap<String, Value>,
}

impl LastFailed {
    /// The record in `root` before a pytest run (empty when there is none).
    pub fn before(root: &Path) -> Self {
        let path = root.join(RECORD);
        let before = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { path, before }
    }

    /// Writes the record `tests` leave, when the shards' pytest wrote one.
    pub fn write_after(self, runner: &dyn Runner, tests: &[TestResult]) -> std::io::Result<()> {
        if !self.path.exists() {
            return Ok(());
        }
        let record = merged(self.before, runner, tests);
        let mut json = serde_json::to_string_pretty(&record).map_err(std::io::Error::other)?;
        json.push('\n');
        crate::output::write_atomic(&self.path, json.as_bytes())
            .map_err(|e| std::io::Error::other(format!("{e:#}")))
    }
}

/// `before` less every test that ran and did not fail, plus every failed one.
fn merged(
    mut record: BTreeMap<String, Value>,
    runner: &dyn Runner,
    tests: &[TestResult],
) -> BTreeMap<String, Value> {
    for test in tests {
        let test_ref = TestRef {
            file: test.key.file.clone(),
            classname: test.key.classname.clone(),
            name: test.key.name.clone(),
        };
        let Some(id) = runner.test_id(&test_ref) else {
            continue;
        };
        match test.outcome {
            FinalOutcome::Failed => {
                record.insert(id, Value::Bool(true));
            }
            FinalOutcome::Passed | FinalOutcome::Flaky | FinalOutcome::Skipped => {
                record.remove(&id);
            }
        }
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::TestKey;
    use crate::suite::runners::by_name;

    fn result(file: &str, name: &str, outcome: FinalOutcome) -> TestResult {
        TestResult {
            key: TestKey {
                file: Some(file.into()),
                classname: file.trim_end_matches(".py").replace('/', "."),
                name: name.into(),
                occurrence: 0,
            },
            outcome,
            attempts: 1,
            duration_seconds: 0.0,
            failure: None,
        }
    }

    #[test]
    fn the_record_holds_every_shards_failures_and_drops_what_passed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RECORD);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"tests/test_a.py::test_old": true, "tests/test_c.py::test_fixed": true, "tests/test_z.py::test_not_run": true}"#,
        )
        .unwrap();
        let before = LastFailed::before(dir.path());
        // The last shard wrote only its own failure.
        std::fs::write(&path, r#"{"tests/test_b.py::test_b2": true}"#).unwrap();
        let tests = [
            result("tests/test_a.py", "test_a2", FinalOutcome::Failed),
            result("tests/test_b.py", "test_b2", FinalOutcome::Failed),
            result("tests/test_c.py", "test_fixed", FinalOutcome::Passed),
            result("tests/test_a.py", "test_old", FinalOutcome::Flaky),
        ];
        before
            .write_after(by_name("pytest").unwrap(), &tests)
            .unwrap();
        let record: BTreeMap<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let ids: Vec<&str> = record.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "tests/test_a.py::test_a2",
                "tests/test_b.py::test_b2",
                "tests/test_z.py::test_not_run"
            ]
        );
    }

    #[test]
    fn no_record_is_made_where_pytest_wrote_none() {
        let dir = tempfile::tempdir().unwrap();
        let tests = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        LastFailed::before(dir.path())
            .write_after(by_name("pytest").unwrap(), &tests)
            .unwrap();
        assert!(!dir.path().join(RECORD).exists());
    }
}
