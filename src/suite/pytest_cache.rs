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
//! Only a record the run wrote is rewritten: one in the default place
//! (`.pytest_cache` in the folder the shards ran in, which is pytest's
//! rootdir then, so node ids match pitcrew's) that changed during the run.
//! A `cache_dir` set elsewhere, `-p no:cacheprovider` or another rootdir
//! leave it untouched, and so it is left alone. After `--cache-clear` the
//! record from before the run does not count.

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
    /// When the record was last written before the run.
    written: Option<std::time::SystemTime>,
}

impl LastFailed {
    /// The record in `root` before a pytest run of `command` (empty when
    /// there is none, or when the command clears the cache).
    pub fn before(root: &Path, command: &[String]) -> Self {
        let path = root.join(RECORD);
        let written = written(&path);
        let cleared = command.iter().any(|a| a == "--cache-clear");
        let before = std::fs::read(&path)
            .ok()
            .filter(|_| !cleared)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self {
            path,
            before,
            written,
        }
    }

    /// Writes the record `tests` leave, when the shards' pytest wrote one.
    pub fn write_after(self, runner: &dyn Runner, tests: &[TestResult]) -> std::io::Result<()> {
        let now = written(&self.path);
        if now.is_none() || now == self.written {
            return Ok(());
        }
        let record = merged(self.before, runner, tests);
        let mut json = crate::json::to_string_pretty(&record).map_err(std::io::Error::other)?;
        json.push('\n');
        crate::output::write_atomic(&self.path, json.as_bytes())
            .map_err(|e| std::io::Error::other(format!("{e:#}")))
    }
}

fn written(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
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
        let before = LastFailed::before(dir.path(), &[]);
        // The last shard wrote only its own failure (a second later: the
        // file's time says the run wrote it).
        std::thread::sleep(std::time::Duration::from_millis(20));
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
    fn no_record_is_made_or_changed_where_pytest_wrote_none() {
        let dir = tempfile::tempdir().unwrap();
        let tests = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        LastFailed::before(dir.path(), &[])
            .write_after(by_name("pytest").unwrap(), &tests)
            .unwrap();
        assert!(!dir.path().join(RECORD).exists());
        // An old record the run did not touch (`-p no:cacheprovider`, a
        // cache_dir elsewhere) stays as it was.
        let path = dir.path().join(RECORD);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{}").unwrap();
        LastFailed::before(dir.path(), &[])
            .write_after(by_name("pytest").unwrap(), &tests)
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    }
}
