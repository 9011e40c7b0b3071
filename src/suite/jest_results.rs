//! Jest's record of each test file's last result (`perf-cache-…` in its
//! cache folder: what `--onlyFailures` runs next, and the order of the next
//! run), when shards ran side by side.
//!
//! Each Jest process writes the whole record when it ends: what it read
//! when it began, with its own files' results. The last shard to end wins,
//! and a later `jest --onlyFailures` leaves the other shards' failures out.
//! After the run the record is written again: as the last process left it
//! (files outside the run keep what they had), with every file of the run
//! set from the whole run, failed when one of its tests failed (as Jest
//! marks a file), else passed, with the time its tests took.
//!
//! Jest names no record: pitcrew's reporter asks the run's own sequencer
//! where it is. Its format is `{ "/abs/a.test.js": [status, ms] }`, status
//! 0 for failed and 1 for passed, keyed by the file's real path.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::fold::{FinalOutcome, TestResult};

const FAILED: u64 = 0;
const PASSED: u64 = 1;

/// Writes each of `records` again from `tests`, whose files are relative
/// to `root`, the folder Jest ran in. A record that is gone is left gone.
pub fn write_after(
    records: &BTreeSet<PathBuf>,
    root: &Path,
    tests: &[TestResult],
) -> io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let root = as_node_names(std::fs::canonicalize(root)?);
    let files = by_file(&root, tests);
    for record in records {
        match std::fs::read(record) {
            Ok(bytes) => rewrite(record, &bytes, &files)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Each file's key in the record, whether a test of it failed, and the
/// seconds its tests took.
fn by_file(root: &Path, tests: &[TestResult]) -> BTreeMap<String, (bool, f64)> {
    let mut files: BTreeMap<String, (bool, f64)> = BTreeMap::new();
    for test in tests {
        let Some(file) = &test.key.file else {
            continue;
        };
        let path = file
            .split('/')
            .fold(root.to_path_buf(), |p, part| p.join(part));
        let (failed, seconds) = files
            .entry(path.to_string_lossy().into_owned())
            .or_default();
        *failed |= test.outcome == FinalOutcome::Failed;
        *seconds += test.one_attempt_seconds();
    }
    files
}

fn rewrite(record: &Path, bytes: &[u8], files: &BTreeMap<String, (bool, f64)>) -> io::Result<()> {
    let mut map: serde_json::Map<String, Value> = serde_json::from_slice(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not Jest's record: {e}", record.display()),
        )
    })?;
    for (file, &(failed, seconds)) in files {
        let status = if failed { FAILED } else { PASSED };
        let ms = (seconds * 1000.0).round().max(0.0) as u64;
        map.insert(file.clone(), Value::from(vec![status, ms]));
    }
    // Jest writes it as compact JSON, and reads it so.
    let json = serde_json::to_vec(&map).map_err(io::Error::other)?;
    crate::output::write_atomic(record, &json).map_err(|e| io::Error::other(format!("{e:#}")))
}

/// The path as node's `process.cwd()` spells it: on Windows, without the
/// `\\?\` that `canonicalize` puts before a drive.
fn as_node_names(path: PathBuf) -> PathBuf {
    #[cfg(windows)]
    if let Some(rest) = path.to_str().and_then(|p| p.strip_prefix(r"\\?\"))
        && rest.as_bytes().get(1) == Some(&b':')
    {
        return PathBuf::from(rest);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::TestKey;

    fn result(file: &str, name: &str, outcome: FinalOutcome, seconds: f64) -> TestResult {
        TestResult {
            key: TestKey {
                file: Some(file.into()),
                classname: String::new(),
                name: name.into(),
                occurrence: 0,
            },
            outcome,
            attempts: 1,
            duration_seconds: seconds,
            failure: None,
        }
    }

    #[test]
    fn every_file_of_the_run_is_set_and_the_others_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let key = |file: &str| root.join(file).to_string_lossy().into_owned();
        let record = dir.path().join("perf-cache-x");
        // As the last shard left it: its own file passed, and the others
        // as they were before the run.
        let before = serde_json::json!({
            key("a.test.js"): [1, 5],
            key("b.test.js"): [1, 7],
            key("old.test.js"): [0, 9],
        });
        std::fs::write(&record, before.to_string()).unwrap();
        let tests = [
            result("a.test.js", "ok", FinalOutcome::Passed, 0.25),
            result("a.test.js", "bug", FinalOutcome::Failed, 0.5),
            result("b.test.js", "flaky", FinalOutcome::Flaky, 0.125),
            result("sub/new.test.js", "ok", FinalOutcome::Passed, 0.0),
        ];
        write_after(&BTreeSet::from([record.clone()]), dir.path(), &tests).unwrap();
        let after: Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
        assert_eq!(after[key("a.test.js")], serde_json::json!([0, 750]));
        assert_eq!(after[key("b.test.js")], serde_json::json!([1, 125]));
        assert_eq!(after[key("sub/new.test.js")], serde_json::json!([1, 0]));
        assert_eq!(after[key("old.test.js")], serde_json::json!([0, 9]));
    }

    #[test]
    fn a_record_that_is_gone_stays_gone_and_one_unread_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let tests = [result("a.test.js", "bug", FinalOutcome::Failed, 0.1)];
        let gone = dir.path().join("gone");
        write_after(&BTreeSet::from([gone.clone()]), dir.path(), &tests).unwrap();
        assert!(!gone.exists());
        let bad = dir.path().join("bad");
        std::fs::write(&bad, "not json").unwrap();
        let e = write_after(&BTreeSet::from([bad.clone()]), dir.path(), &tests).unwrap_err();
        assert!(e.to_string().contains("not Jest's record"), "{e}");
        assert_eq!(std::fs::read_to_string(&bad).unwrap(), "not json");
    }
}
