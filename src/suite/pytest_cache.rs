//! pytest's record of the tests that failed (`lastfailed` in its cache,
//! what `--lf` runs next time), when shards ran side by side in one folder.
//!
//! Each shard's pytest writes the whole record at its end: what it read at
//! its start, less what it saw pass or skip, plus what it saw fail. The
//! last shard to finish wins, so the record names that shard's failures and
//! none of the others': a later `pytest --lf` then leaves a real failure
//! out. After the run the record is written again as one pytest would have
//! left it: the record from before the run, less every test that ran and
//! did not fail, plus every test that failed.
//!
//! Where the record is, and what it held before, is pytest's to say: its
//! `cache_dir` may be set anywhere and its rootdir (which node ids are
//! relative to) may be a folder above the one the shards ran in. Our
//! reporter notes, in each process before any test runs, the record's
//! path, the rootdir and the record as read with the time it was last
//! written; the earliest of those is the record from before the run. Only
//! a record the run wrote is rewritten. `-p no:cacheprovider` leaves no
//! note, a rootdir the tests are not under leaves node ids pitcrew cannot
//! spell, and shards that disagree on where the record is leave it alone.
//! After `--cache-clear` the record from before the run does not count.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::fold::{FinalOutcome, TestResult};
use super::runners::{Runner, TestRef};

/// Where a process's note goes, relative to the folder it runs in: this,
/// the shard's number, its process's and `.json`.
const NOTE_PREFIX: &str = ".pitcrew/lastfailed-note-";
/// The variable that tells our reporter where.
pub const NOTE_ENV: &str = "PITCREW_LASTFAILED_NOTE";

/// The note's value for a shard (`{process}` becomes the process's number).
pub fn note_path(index: usize) -> String {
    format!(
        "{NOTE_PREFIX}{index}-{}.json",
        crate::suite::exec::PROCESS_NUMBER
    )
}

/// What one pytest process found before its tests ran.
#[derive(Deserialize)]
struct Note {
    record: PathBuf,
    rootdir: PathBuf,
    written_ns: Option<u64>,
    before: Option<BTreeMap<String, Value>>,
}

/// Removes the notes processes left in `root` (before a run, and after one
/// whose record needs no rewriting).
pub fn forget_notes(root: &Path) {
    for path in notes(root) {
        let _ = std::fs::remove_file(path);
    }
}

fn notes(root: &Path) -> Vec<PathBuf> {
    crate::suite::runners::files_starting(&root.join(NOTE_PREFIX))
}

/// Writes the record `tests` leave, when the shards' pytest wrote one, and
/// removes the notes. `root` is the folder the shards ran in; `command`
/// the pytest command.
pub fn write_after(
    root: &Path,
    command: &[String],
    runner: &dyn Runner,
    tests: &[TestResult],
) -> std::io::Result<()> {
    let paths = notes(root);
    let read: Vec<Note> = paths
        .iter()
        .filter_map(|p| serde_json::from_slice(&std::fs::read(p).ok()?).ok())
        .collect();
    forget_notes(root);
    // Every process read the same record, or it is left as pytest left it.
    let Some(first) = read.iter().min_by_key(|n| n.written_ns) else {
        return Ok(());
    };
    if read
        .iter()
        .any(|n| n.record != first.record || n.rootdir != first.rootdir)
    {
        tracing::debug!("pytest's processes named different records of failed tests");
        return Ok(());
    }
    let now = written_ns(&first.record);
    if now.is_none() || now == first.written_ns {
        return Ok(());
    }
    let Some(prefix) = relative_to(root, &first.rootdir) else {
        tracing::debug!("the tests ran outside pytest's rootdir: its record is left as written");
        return Ok(());
    };
    let cleared = command.iter().any(|a| a == "--cache-clear");
    let before = match cleared {
        true => BTreeMap::new(),
        false => first.before.clone().unwrap_or_default(),
    };
    let record = merged(before, runner, tests, &prefix);
    let mut json = crate::json::to_string_pretty(&record).map_err(std::io::Error::other)?;
    json.push('\n');
    crate::output::write_atomic(&first.record, json.as_bytes())
        .map_err(|e| std::io::Error::other(format!("{e:#}")))
}

fn written_ns(path: &Path) -> Option<u64> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

/// `folder`'s path below `rootdir` as node ids spell it (`sub/dir`, empty
/// when they are one), or `None` when it is not below.
fn relative_to(folder: &Path, rootdir: &Path) -> Option<String> {
    let folder = std::fs::canonicalize(folder).ok()?;
    let rootdir = std::fs::canonicalize(rootdir).ok()?;
    let below = folder.strip_prefix(&rootdir).ok()?;
    let parts: Option<Vec<&str>> = below.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// `file` (relative to the folder the shards ran in, `..` allowed) as the
/// rootdir names it, given that folder's `prefix`; `None` when it leaves
/// the rootdir.
fn from_rootdir(prefix: &str, file: &str) -> Option<String> {
    let mut parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
    for component in Path::new(file).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// `before` less every test that ran and did not fail, plus every failed
/// one; pitcrew's node ids (relative to the folder the shards ran in) are
/// spelled from the rootdir, that folder being at `prefix` below it.
fn merged(
    mut record: BTreeMap<String, Value>,
    runner: &dyn Runner,
    tests: &[TestResult],
    prefix: &str,
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
        // The id's file part, as the rootdir names it.
        let (file, rest) = id.split_once("::").unwrap_or((&id, ""));
        let Some(file) = from_rootdir(prefix, file) else {
            continue;
        };
        let id = match id.contains("::") {
            true => format!("{file}::{rest}"),
            false => file,
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

    /// A note as our reporter writes it in `folder`, for the record at
    /// `record` as it is now.
    fn note(folder: &Path, process: usize, record: &Path, rootdir: &Path) {
        let before: Option<Value> = std::fs::read(record)
            .ok()
            .map(|b| serde_json::from_slice(&b).unwrap());
        let note = serde_json::json!({
            "record": record,
            "rootdir": rootdir,
            "written_ns": written_ns(record),
            "before": before,
        });
        let path = folder.join(format!("{NOTE_PREFIX}0-{process}.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, note.to_string()).unwrap();
    }

    fn ids(record: &Path) -> Vec<String> {
        let record: BTreeMap<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
        record.into_keys().collect()
    }

    /// The last shard's pytest writes only its own failure (later: the
    /// file's time says the run wrote it).
    fn last_shard_writes(record: &Path, json: &str) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(record, json).unwrap();
    }

    #[test]
    fn the_record_holds_every_shards_failures_and_drops_what_passed() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(
            &record,
            r#"{"tests/test_a.py::test_old": true, "tests/test_c.py::test_fixed": true, "tests/test_z.py::test_not_run": true}"#,
        )
        .unwrap();
        note(dir.path(), 0, &record, dir.path());
        last_shard_writes(&record, r#"{"tests/test_b.py::test_b2": true}"#);
        // A process that started after that read the record it wrote.
        note(dir.path(), 1, &record, dir.path());
        let tests = [
            result("tests/test_a.py", "test_a2", FinalOutcome::Failed),
            result("tests/test_b.py", "test_b2", FinalOutcome::Failed),
            result("tests/test_c.py", "test_fixed", FinalOutcome::Passed),
            result("tests/test_a.py", "test_old", FinalOutcome::Flaky),
        ];
        write_after(dir.path(), &[], by_name("pytest").unwrap(), &tests).unwrap();
        assert_eq!(
            ids(&record),
            [
                "tests/test_a.py::test_a2",
                "tests/test_b.py::test_b2",
                "tests/test_z.py::test_not_run"
            ]
        );
        assert!(notes(dir.path()).is_empty(), "the notes are removed");
    }

    #[test]
    fn a_record_elsewhere_is_spelled_from_the_rootdir_above() {
        // pytest's rootdir is `repo`, the shards ran in `repo/pkg`, and
        // `cache_dir` put the record outside both.
        let dir = tempfile::tempdir().unwrap();
        let rootdir = dir.path().join("repo");
        let folder = rootdir.join("pkg");
        let record = dir.path().join("cache/v/cache/lastfailed");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(&record, r#"{"pkg/tests/test_a.py::test_old": true}"#).unwrap();
        note(&folder, 0, &record, &rootdir);
        last_shard_writes(&record, r#"{"pkg/tests/test_b.py::TestB::test_b": true}"#);
        let tests = [
            result("tests/test_a.py", "test_old", FinalOutcome::Passed),
            result("tests/test_a.py", "test_new", FinalOutcome::Failed),
            result("../other/test_c.py", "test_c", FinalOutcome::Failed),
            TestResult {
                key: TestKey {
                    classname: "tests.test_b.TestB".into(),
                    ..result("tests/test_b.py", "test_b", FinalOutcome::Failed).key
                },
                ..result("tests/test_b.py", "test_b", FinalOutcome::Failed)
            },
        ];
        write_after(&folder, &[], by_name("pytest").unwrap(), &tests).unwrap();
        assert_eq!(
            ids(&record),
            [
                "other/test_c.py::test_c",
                "pkg/tests/test_a.py::test_new",
                "pkg/tests/test_b.py::TestB::test_b",
            ]
        );
    }

    #[test]
    fn the_record_is_left_as_written_where_pitcrew_cannot_say_it() {
        let tests = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        let pytest = by_name("pytest").unwrap();
        // No note (`-p no:cacheprovider`): nothing made.
        let dir = tempfile::tempdir().unwrap();
        write_after(dir.path(), &[], pytest, &tests).unwrap();
        assert!(!dir.path().join(".pytest_cache").exists());
        // A record the run did not write stays as it was.
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(&record, "{}").unwrap();
        note(dir.path(), 0, &record, dir.path());
        write_after(dir.path(), &[], pytest, &tests).unwrap();
        assert_eq!(std::fs::read_to_string(&record).unwrap(), "{}");
        // Shards that ran outside the rootdir (`--rootdir=../ci`), whose
        // node ids name no file.
        let ci = tempfile::tempdir().unwrap();
        note(dir.path(), 0, &record, ci.path());
        last_shard_writes(&record, r#"{"::test_a": true}"#);
        write_after(dir.path(), &[], pytest, &tests).unwrap();
        assert_eq!(ids(&record), ["::test_a"]);
        // Processes that read two records.
        let other = dir.path().join("elsewhere");
        note(dir.path(), 0, &record, dir.path());
        note(dir.path(), 1, &other, dir.path());
        last_shard_writes(&record, r#"{"x": true}"#);
        write_after(dir.path(), &[], pytest, &tests).unwrap();
        assert_eq!(ids(&record), ["x"]);
    }

    #[test]
    fn after_cache_clear_the_old_record_does_not_count() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(&record, r#"{"tests/test_z.py::test_old": true}"#).unwrap();
        note(dir.path(), 0, &record, dir.path());
        last_shard_writes(&record, "{}");
        let tests = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        let command = ["pytest".to_owned(), "--cache-clear".to_owned()];
        write_after(dir.path(), &command, by_name("pytest").unwrap(), &tests).unwrap();
        assert_eq!(ids(&record), ["tests/test_a.py::test_a"]);
    }

    #[test]
    fn files_are_spelled_from_the_rootdir() {
        assert_eq!(
            from_rootdir("", "tests/a.py").as_deref(),
            Some("tests/a.py")
        );
        assert_eq!(from_rootdir("pkg", "./a.py").as_deref(), Some("pkg/a.py"));
        assert_eq!(
            from_rootdir("a/b", "../c/t.py").as_deref(),
            Some("a/c/t.py")
        );
        assert_eq!(from_rootdir("pkg", "../../t.py"), None);
        assert_eq!(from_rootdir("", "/abs/t.py"), None);
    }
}
