//! pytest's record of the tests that failed (`lastfailed` in its cache,
//! what `--lf` runs next time), when several pytest processes wrote it.
//!
//! Each shard's pytest writes the whole record at its end: what it read at
//! its start, less what it saw pass or skip, plus what it saw fail. Shards
//! side by side each read the record before any wrote it, and the last to
//! finish wins, so the record names that shard's failures and none of the
//! others': a later `pytest --lf` then leaves a real failure out. Under
//! `--cache-clear` each process clears what the one before it wrote, even
//! one after the other (a split file's parts, a retry). After the run the
//! record is written again as one pytest would have left it: the record
//! from before the run, less every test that ran and did not fail, plus
//! every test that failed (a test that never ran, as under `-x`, changes
//! nothing).
//!
//! Where the record is, and what it held before, is pytest's to say: its
//! `cache_dir` may be set anywhere, and its rootdir (which node ids are
//! relative to) may be a folder above the one the shards ran in, below it,
//! or differ from shard to shard (pytest finds it from each shard's files).
//! Our reporter notes, in each process before any test runs, the record's
//! path, the rootdir and the record as read with the time it was last
//! written (`{NOTE_PREFIX}{shard}-{process}.json`). Each record is written
//! again from the shards that used it: from the earliest record they read,
//! with their tests, spelled from that record's rootdir. Ids the shards
//! wrote that pitcrew cannot spell (files outside the rootdir, which pytest
//! names `::test_x`) are kept as the last shard left them. `-p
//! no:cacheprovider` leaves no note.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
    crate::paths::files_starting(&root.join(NOTE_PREFIX))
}

/// The shard a note's file is from.
fn shard_of(path: &Path) -> Option<usize> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(NOTE_PREFIX.rsplit('/').next()?)?;
    rest.split('-').next()?.parse().ok()
}

/// Whether the record must be written again after processes of `command`
/// ran: side by side, or one clearing the cache before the next.
pub fn needs_rewriting(side_by_side: bool, command: &[String]) -> bool {
    side_by_side || cleared(command)
}

fn cleared(command: &[String]) -> bool {
    command.iter().any(|a| a == "--cache-clear")
}

/// Writes each record the shards' pytest used as one pytest would have
/// left it, and removes the notes. `root` is the folder the shards ran in;
/// `command` the pytest command; `shards` each shard's number and tests.
pub fn write_after(
    root: &Path,
    command: &[String],
    runner: &dyn Runner,
    shards: &[(usize, &[TestResult])],
) -> std::io::Result<()> {
    let read: Vec<(usize, Note)> = notes(root)
        .iter()
        .filter_map(|p| {
            let note = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            Some((shard_of(p)?, note))
        })
        .collect();
    forget_notes(root);
    let mut records: BTreeMap<&Path, Vec<&(usize, Note)>> = BTreeMap::new();
    for note in &read {
        records.entry(&note.1.record).or_default().push(note);
    }
    let Ok(root) = std::fs::canonicalize(root) else {
        return Ok(());
    };
    for (record, notes) in records {
        let Some((_, first)) = notes.iter().map(|n| &**n).min_by_key(|(_, n)| n.written_ns) else {
            continue;
        };
        // One record read under two rootdirs: its ids mean two things.
        if notes.iter().any(|(_, n)| n.rootdir != first.rootdir) {
            tracing::debug!(
                "pytest's record {} was read under two rootdirs",
                record.display()
            );
            continue;
        }
        let Ok(rootdir) = std::fs::canonicalize(&first.rootdir) else {
            continue;
        };
        let used: BTreeSet<usize> = notes.iter().map(|(shard, _)| *shard).collect();
        let tests = shards
            .iter()
            .filter(|(shard, _)| used.contains(shard))
            .flat_map(|(_, tests)| tests.iter());
        let before = match cleared(command) {
            true => BTreeMap::new(),
            false => first.before.clone().unwrap_or_default(),
        };
        let spelling = Spelling {
            root: &root,
            rootdir: &rootdir,
            runner,
        };
        rewrite(record, before, tests, &spelling)?;
    }
    Ok(())
}

/// `record` as `before` less what `tests` passed, plus what they failed,
/// keeping ids the shards wrote there that none of `tests` is spelled as.
fn rewrite<'a>(
    record: &Path,
    before: BTreeMap<String, Value>,
    tests: impl Iterator<Item = &'a TestResult>,
    spelling: &Spelling<'_>,
) -> std::io::Result<()> {
    let now: Option<BTreeMap<String, Value>> = std::fs::read(record)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let (mut merged, spelled) = merged(before, tests, spelling);
    for (id, value) in now.iter().flatten() {
        if !spelled.contains(id) {
            merged.entry(id.clone()).or_insert_with(|| value.clone());
        }
    }
    if now.as_ref().map_or(merged.is_empty(), |now| *now == merged) {
        return Ok(());
    }
    let mut json = crate::json::to_string_pretty(&merged).map_err(std::io::Error::other)?;
    json.push('\n');
    crate::output::write_atomic(record, json.as_bytes())
        .map_err(|e| std::io::Error::other(format!("{e:#}")))
}

/// How a test pitcrew names (its file relative to the folder the shards
/// ran in) is named in a record: its node id from pytest's rootdir.
struct Spelling<'a> {
    /// The folder the shards ran in, canonical.
    root: &'a Path,
    /// pytest's rootdir, canonical.
    rootdir: &'a Path,
    runner: &'a dyn Runner,
}

impl Spelling<'_> {
    fn node_id(&self, test: &TestResult) -> Option<String> {
        let id = self.runner.test_id(&TestRef {
            file: test.key.file.clone(),
            classname: test.key.classname.clone(),
            name: test.key.name.clone(),
        })?;
        let (file, rest) = id.split_once("::").unwrap_or((&id, ""));
        let file = below(self.rootdir, &self.root.join(file))?;
        Some(match id.contains("::") {
            true => format!("{file}::{rest}"),
            false => file,
        })
    }
}

/// `path` (with `.` and `..` in it taken as written) relative to `dir`, with
/// `/` between its parts; `None` when it is not below `dir`.
fn below(dir: &Path, path: &Path) -> Option<String> {
    let path = crate::paths::lexical(path);
    let relative = path.strip_prefix(dir).ok()?;
    let names: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(names?.join("/"))
}

/// `before` less every test that ran and did not fail, plus every failed
/// one (a test that never ran changes nothing), and the ids spelled.
fn merged<'a>(
    mut record: BTreeMap<String, Value>,
    tests: impl Iterator<Item = &'a TestResult>,
    spelling: &Spelling<'_>,
) -> (BTreeMap<String, Value>, BTreeSet<String>) {
    let mut spelled = BTreeSet::new();
    for test in tests {
        if crate::suite::exec::is_never_ran_test(test) {
            continue;
        }
        let Some(id) = spelling.node_id(test) else {
            continue;
        };
        match test.outcome {
            FinalOutcome::Failed => {
                record.insert(id.clone(), Value::Bool(true));
            }
            FinalOutcome::Passed | FinalOutcome::Flaky | FinalOutcome::Skipped => {
                record.remove(&id);
            }
        }
        spelled.insert(id);
    }
    (record, spelled)
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

    /// A note as our reporter writes it in `folder` for `shard`, for the
    /// record at `record` as it is now.
    fn note(folder: &Path, shard: usize, process: usize, record: &Path, rootdir: &Path) {
        let before: Option<Value> = std::fs::read(record)
            .ok()
            .map(|b| serde_json::from_slice(&b).unwrap());
        let written = std::fs::metadata(record)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
        let note = serde_json::json!({
            "record": record,
            "rootdir": rootdir,
            "written_ns": written,
            "before": before,
        });
        let path = folder.join(format!("{NOTE_PREFIX}{shard}-{process}.json"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, note.to_string()).unwrap();
    }

    fn ids(record: &Path) -> Vec<String> {
        let record: BTreeMap<String, Value> =
            serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
        record.into_keys().collect()
    }

    /// A shard's pytest writes its record (later: a newer time).
    fn shard_writes(record: &Path, json: &str) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(record, json).unwrap();
    }

    fn pytest() -> &'static dyn Runner {
        by_name("pytest").unwrap()
    }

    #[test]
    fn the_record_holds_every_shards_failures_and_drops_what_passed() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        shard_writes(
            &record,
            r#"{"tests/test_a.py::test_old": true, "tests/test_c.py::test_fixed": true, "tests/test_z.py::test_not_run": true}"#,
        );
        note(dir.path(), 1, 0, &record, dir.path());
        note(dir.path(), 2, 0, &record, dir.path());
        shard_writes(&record, r#"{"tests/test_b.py::test_b2": true}"#);
        // A retry started after that read the record it wrote.
        note(dir.path(), 2, 1, &record, dir.path());
        let one = [
            result("tests/test_a.py", "test_a2", FinalOutcome::Failed),
            result("tests/test_a.py", "test_old", FinalOutcome::Flaky),
            result("tests/test_c.py", "test_fixed", FinalOutcome::Passed),
        ];
        let two = [result("tests/test_b.py", "test_b2", FinalOutcome::Failed)];
        write_after(dir.path(), &[], pytest(), &[(1, &one), (2, &two)]).unwrap();
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
    fn ids_are_spelled_from_the_rootdir_above_or_below() {
        // pytest's rootdir is `repo`, the shards ran in `repo/pkg`, and
        // `cache_dir` put the record outside both.
        let dir = tempfile::tempdir().unwrap();
        let rootdir = dir.path().join("repo");
        let folder = rootdir.join("pkg");
        let record = dir.path().join("cache/v/cache/lastfailed");
        std::fs::create_dir_all(&folder).unwrap();
        shard_writes(&record, r#"{"pkg/tests/test_a.py::test_old": true}"#);
        note(&folder, 1, 0, &record, &rootdir);
        shard_writes(&record, r#"{"pkg/tests/test_b.py::TestB::test_b": true}"#);
        let failed_b = result("tests/test_b.py", "test_b", FinalOutcome::Failed);
        let tests = [
            result("tests/test_a.py", "test_old", FinalOutcome::Passed),
            result("tests/test_a.py", "test_new", FinalOutcome::Failed),
            result("../other/test_c.py", "test_c", FinalOutcome::Failed),
            TestResult {
                key: TestKey {
                    classname: "tests.test_b.TestB".into(),
                    ..failed_b.key.clone()
                },
                ..failed_b
            },
        ];
        write_after(&folder, &[], pytest(), &[(1, &tests)]).unwrap();
        assert_eq!(
            ids(&record),
            [
                "other/test_c.py::test_c",
                "pkg/tests/test_a.py::test_new",
                "pkg/tests/test_b.py::TestB::test_b",
            ]
        );
        // `-c tests/pytest.ini` from the folder above: the rootdir is
        // below the folder the shards ran in.
        let tests_dir = folder.join("tests");
        std::fs::create_dir_all(&tests_dir).unwrap();
        let record = tests_dir.join(".pytest_cache/v/cache/lastfailed");
        note(&folder, 1, 0, &record, &tests_dir);
        note(&folder, 2, 0, &record, &tests_dir);
        shard_writes(&record, r#"{"test_b.py::test_b": true}"#);
        let one = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        let two = [result("tests/test_b.py", "test_b", FinalOutcome::Failed)];
        write_after(&folder, &[], pytest(), &[(1, &one), (2, &two)]).unwrap();
        assert_eq!(ids(&record), ["test_a.py::test_a", "test_b.py::test_b"]);
    }

    #[test]
    fn shards_under_two_rootdirs_each_write_their_own_record() {
        // pytest takes its rootdir from each shard's files: `tests` alone
        // under `pkg`, `../other` under the folder above.
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let low = pkg.join(".pytest_cache/v/cache/lastfailed");
        let high = dir.path().join(".pytest_cache/v/cache/lastfailed");
        note(&pkg, 1, 0, &low, &pkg);
        note(&pkg, 2, 0, &high, dir.path());
        note(&pkg, 3, 0, &low, &pkg);
        shard_writes(&low, r#"{"tests/test_b.py::test_b": true}"#);
        shard_writes(&high, r#"{"other/test_c.py::test_c": true}"#);
        let one = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        let two = [result("../other/test_c.py", "test_c", FinalOutcome::Failed)];
        let three = [result("tests/test_b.py", "test_b", FinalOutcome::Failed)];
        let shards: [(usize, &[TestResult]); 3] = [(1, &one), (2, &two), (3, &three)];
        write_after(&pkg, &[], pytest(), &shards).unwrap();
        assert_eq!(
            ids(&low),
            ["tests/test_a.py::test_a", "tests/test_b.py::test_b"]
        );
        assert_eq!(ids(&high), ["other/test_c.py::test_c"]);
    }

    #[test]
    fn after_cache_clear_the_old_record_does_not_count_and_a_cleared_one_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        shard_writes(&record, r#"{"tests/test_z.py::test_old": true}"#);
        note(dir.path(), 1, 0, &record, dir.path());
        // The last process cleared the cache and passed: no record at all.
        std::fs::remove_file(&record).unwrap();
        let tests = [
            result("tests/test_a.py", "test_a", FinalOutcome::Failed),
            result("tests/test_b.py", "test_b", FinalOutcome::Flaky),
        ];
        let command = ["pytest".to_owned(), "--cache-clear".to_owned()];
        write_after(dir.path(), &command, pytest(), &[(1, &tests)]).unwrap();
        assert_eq!(ids(&record), ["tests/test_a.py::test_a"]);
    }

    #[test]
    fn tests_that_never_ran_change_nothing_and_unspellable_ids_stay() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        note(dir.path(), 1, 0, &record, dir.path());
        // The shard's pytest wrote what pitcrew cannot spell (a file
        // outside the rootdir).
        shard_writes(&record, r#"{"::test_outside": true}"#);
        let mut unrun = result("tests/test_a.py", "test_later", FinalOutcome::Failed);
        unrun.failure = Some(crate::suite::fold::FailureInfo {
            failure_type: Some(crate::suite::exec::NEVER_RAN.into()),
            ..Default::default()
        });
        let tests = [
            result("tests/test_a.py", "test_bug", FinalOutcome::Failed),
            unrun,
        ];
        write_after(dir.path(), &[], pytest(), &[(1, &tests)]).unwrap();
        assert_eq!(
            ids(&record),
            ["::test_outside", "tests/test_a.py::test_bug"]
        );
    }

    #[test]
    fn the_record_is_left_as_written_where_pitcrew_cannot_say_it() {
        let tests = [result("tests/test_a.py", "test_a", FinalOutcome::Failed)];
        // No note (`-p no:cacheprovider`): nothing made.
        let dir = tempfile::tempdir().unwrap();
        write_after(dir.path(), &[], pytest(), &[(1, &tests)]).unwrap();
        assert!(!dir.path().join(".pytest_cache").exists());
        // Shards that ran outside the rootdir (`--rootdir=../ci`), whose
        // node ids name no file.
        let record = dir.path().join(".pytest_cache/v/cache/lastfailed");
        let ci = tempfile::tempdir().unwrap();
        note(dir.path(), 1, 0, &record, ci.path());
        shard_writes(&record, r#"{"::test_a": true}"#);
        write_after(dir.path(), &[], pytest(), &[(1, &tests)]).unwrap();
        assert_eq!(ids(&record), ["::test_a"]);
        // One record read under two rootdirs.
        note(dir.path(), 1, 0, &record, dir.path());
        note(dir.path(), 2, 0, &record, ci.path());
        shard_writes(&record, r#"{"x": true}"#);
        write_after(dir.path(), &[], pytest(), &[(1, &tests)]).unwrap();
        assert_eq!(ids(&record), ["x"]);
    }

    #[test]
    fn files_are_spelled_below_a_folder() {
        let dir = Path::new("/r");
        assert_eq!(
            below(dir, Path::new("/r/tests/a.py")).as_deref(),
            Some("tests/a.py")
        );
        assert_eq!(
            below(dir, Path::new("/r/pkg/./a.py")).as_deref(),
            Some("pkg/a.py")
        );
        assert_eq!(
            below(dir, Path::new("/r/a/b/../c/t.py")).as_deref(),
            Some("a/c/t.py")
        );
        assert_eq!(below(dir, Path::new("/r/../t.py")), None);
        assert_eq!(below(dir, Path::new("/elsewhere/t.py")), None);
        assert_eq!(
            shard_of(Path::new(".pitcrew/lastfailed-note-12-3.json")),
            Some(12)
        );
    }
}
