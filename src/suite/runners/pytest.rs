//! pytest: items are files or node ids, appended as arguments in place of
//! the user's own test paths ([`super::pytest_args`]), which scoped the
//! listing.
//!
//! Results come from a small plugin of ours (`pytest_events.py`, loaded
//! with `-p pitcrew_pytest`, found through `PYTHONPATH`), not from pytest's
//! JUnit: it names each test by its node id (the module it was collected
//! from, where xunit1's `file` is the module that *defines* the method, so
//! an inherited test pointed at `tests/mixins.py`), lists every collected
//! test (so the tests `-x`/`--maxfail` never reached are named), and writes
//! each result as the test finishes (so a timeout keeps them and names the
//! test that hung). The user's own `--junitxml` and `junit_family` are left
//! alone, whatever flavour they choose.
//!
//! A file without some of its tests ([`Selection::FileExcept`]) loads a
//! small plugin (`pytest_select.py`, written next to the report and found
//! through `PYTHONPATH`) that deselects exact node ids: pytest's own
//! `--deselect` matches prefixes, so it would also drop `test_x2` with
//! `test_x`. The same plugin narrows a folder named in place of a path
//! pytest refuses ([`super::pytest_brackets`]), and chooses a retry's
//! tests: a retry names their files, not node ids rebuilt from a
//! classname, which are wrong under a collector whose name holds a dot.

use std::path::{Path, PathBuf};

use super::coverage_join::{self, shown};
use super::pytest_args;
use super::pytest_brackets::{self, Keep};
use super::{
    EVENTS_ENV, Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit,
    create_parent_dir, events_path, finish, has_any_option, insert_before_terminator, path_arg,
    runner_words, split_base,
};
use crate::paths::files_starting;

/// Python's seed for string hashes, which orders sets of strings.
const HASH_SEED: &str = "PYTHONHASHSEED";

/// A seed Python takes (1 to 4294967295; 0 would turn hashing's
/// randomness off) from the plan's digest: alike in every shard of a run.
fn hash_seed(plan_sha256: &str) -> u64 {
    let bits = plan_sha256
        .get(..8)
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .unwrap_or(0);
    u64::from(bits.max(1))
}

/// Whether `segment` reads as pytest's id for a value it can't print: an
/// argument's name, then its position (`expected18`, `obj0`).
fn numbered_name(segment: &str) -> bool {
    let name = segment.trim_end_matches(|c: char| c.is_ascii_digit());
    name.len() < segment.len()
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The select plugin's source, its module name and the variables naming
/// its lists.
const PLUGIN: &str = include_str!("pytest_select.py");
const PLUGIN_MODULE: &str = "pitcrew_select";
const DESELECT_ENV: &str = "PITCREW_DESELECT";
const KEEP_ENV: &str = "PITCREW_KEEP";
/// The reporter's source and its module name (its file is named by
/// [`EVENTS_ENV`]).
const REPORTER: &str = include_str!("pytest_events.py");
const REPORTER_MODULE: &str = "pitcrew_pytest";
/// The failure type our reporter gives a teardown error that ended a
/// wider scope than its test's (see `pytest_runtest_teardown` there).
pub const SCOPE_TEARDOWN: &str = "scope teardown";

/// The pytest adapter.
pub(super) struct Pytest;

const NAME: &str = "pytest";

impl Runner for Pytest {
    fn name(&self) -> &'static str {
        NAME
    }

    fn runs_files_in_order(&self) -> bool {
        true
    }

    fn imports_files_by_module_name(&self) -> bool {
        true
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        let selecting = [
            "-k",
            "-m",
            "--lf",
            "--last-failed",
            "--deselect",
            "--sw",
            "--stepwise",
        ];
        // A node id names some tests of its file.
        let (_, paths) = super::pytest_args::split_test_paths(runner_words(command));
        has_any_option(command, &selecting) || paths.iter().any(|path| path.contains("::"))
    }

    /// `.coverage.pitcrew-K-P` for process P of shard K (after
    /// `COVERAGE_FILE`, when set: pytest-cov erases its data file as it
    /// starts, so a retry would erase the first run's), and where our
    /// reporter notes what pytest-cov was asked for: the run's data and
    /// reports are made from them afterwards ([`Runner::join_side_by_side`]).
    /// One hash seed for every pytest of the run (unless the user set
    /// one): parameters built from a set are ordered by string hashes, and
    /// pytest numbers the ids of values it can't print in that order
    /// (`expected18`). With a seed per process, a test split out of its
    /// file was another test, or none, in the shard that ran it, and the
    /// rest of the file left out the wrong one (isodate: a failing test ran
    /// nowhere and the run passed). The seed still changes from run to run.
    fn run_env(&self, plan_sha256: &str) -> Vec<(String, String)> {
        if std::env::var_os(HASH_SEED).is_some() {
            return Vec::new();
        }
        vec![(HASH_SEED.into(), hash_seed(plan_sha256).to_string())]
    }

    /// Not where a parameter's id is pytest's own numbering (an argument's
    /// name and a number: `expected18`): a value it could print is in
    /// the id, the same in every process. Some values that look so (`py3`)
    /// only keep their test in its file.
    fn steady_id(&self, test: &TestRef) -> bool {
        let Some((_, params)) = test.name.split_once('[') else {
            return true;
        };
        !params.trim_end_matches(']').split('-').any(numbered_name)
    }

    fn side_by_side_env(&self, index: usize) -> Vec<(String, String)> {
        vec![
            (
                "COVERAGE_FILE".into(),
                format!(
                    "{}{index}-{}",
                    coverage_prefix(),
                    crate::suite::exec::PROCESS_NUMBER
                ),
            ),
            (
                COVERAGE_NOTE_ENV.into(),
                format!("{COVERAGE_NOTE_PREFIX}{index}.json"),
            ),
            // What `--lf` reads, noted so it is written again after the
            // run (`crate::suite::pytest_cache`).
            (
                crate::suite::pytest_cache::NOTE_ENV.into(),
                crate::suite::pytest_cache::note_path(index),
            ),
        ]
    }

    /// pytest-cov's data files joined into the project's (which removes
    /// them) and its file reports written again from the whole run, in the
    /// command's own Python; the shards' parts stay if that fails.
    fn join_side_by_side(&self, root: &Path, command: &[String]) -> Option<String> {
        let data = side_by_side_files(root);
        let notes = coverage_notes(root);
        if data.is_empty() {
            notes.iter().for_each(|n| drop(std::fs::remove_file(n)));
            return None;
        }
        let python = super::python_env::python_for(command, root)?;
        let args = serde_json::json!({ "data": shown(&data), "notes": shown(&notes) });
        let mut combine = std::process::Command::new(&python[0]);
        combine
            .args(&python[1..])
            .args(["-c", COVERAGE_SCRIPT, &args.to_string()])
            .current_dir(root);
        let kept = format!("{}*", coverage_prefix());
        coverage_join::run("pytest-cov", combine, data.len(), &kept)
    }

    /// An earlier run's `.coverage.pitcrew-K-P` files (one with more shards
    /// leaves some this one does not rewrite), which would be joined with
    /// this run's, and its notes.
    fn clear_side_by_side(&self, root: &Path) {
        for path in side_by_side_files(root).iter().chain(&coverage_notes(root)) {
            let _ = std::fs::remove_file(path);
        }
        crate::suite::pytest_cache::forget_notes(root);
    }

    /// pytest-dependency skips a test whose `depends=` ran elsewhere.
    fn must_run_whole(&self, source: &str) -> Option<&'static str> {
        if source.contains("depends=") && source.contains("dependency") {
            return Some("its tests depend on each other (pytest-dependency)");
        }
        // syrupy fails a run that leaves a module's snapshots unused, as
        // the rest of a split file does with its split-out tests'.
        takes_snapshot(source).then_some("its tests share a snapshot file (syrupy)")
    }

    /// syrupy's `--snapshot-update` and pytest-regressions' `--force-regen`
    /// rewrite one snapshot file per test module.
    fn writes_shared_files(&self, command: &[String]) -> Option<&'static str> {
        super::has_flag(command, &["--snapshot-update", "--force-regen"])
            .then_some("it writes snapshot files, which each of a file's tests shares")
    }

    fn excludes_tests(&self) -> bool {
        true
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, args) = split_base(base)?;
        // The user's test paths scoped the listing; the shard's files (or
        // the user's tests in them) take their place.
        let (args, user_paths) = pytest_args::split_test_paths(args);
        let (junit, _) = absolute_junit(junit_path)?;
        // A module that cannot be imported is one failed test (planned, see
        // the listing): the shard's other modules still run, where pytest
        // would stop its whole process at the collection error and leave
        // them as never run, again at every retry.
        let mut ours = vec![
            "-p".to_owned(),
            REPORTER_MODULE.to_owned(),
            "--continue-on-collection-errors".to_owned(),
        ];
        let mut select = Select::default();
        let scoped = |file: &str| pytest_args::scoped(file, &user_paths);
        // The tests as pitcrew spells them, beside their node ids: see
        // `Keep::tests`. A retry names their files when every test has one.
        let mut spelled = Vec::new();
        let mut by_file = false;
        let mut items: Vec<String> = match selection {
            Selection::Files(files) => files.iter().flat_map(|f| scoped(f)).collect(),
            Selection::Tests(tests) => {
                spelled = spellings(tests, None);
                by_file = spelled.len() == tests.len();
                node_ids(tests)?
            }
            Selection::FileExcept { file, tests } => {
                if !tests.is_empty() {
                    select.deselect = Some(Deselect {
                        ids: node_ids(tests)?,
                        tests: spellings(tests, Some(file)),
                    });
                }
                scoped(file)
            }
            // pytest runs as shards of listed files, never as one pool.
            Selection::Discovered => {
                return Err(RunnerError::DiscoveryUnsupported { runner: NAME });
            }
        };
        if items.iter().all(String::is_empty) {
            return Err(RunnerError::EmptySelection { runner: NAME });
        }
        // Checked before any path is widened into the keep list.
        if let Some(item) = items.iter().find(|i| i.contains('\0')) {
            return Err(RunnerError::InvalidArgument {
                what: "a value containing a NUL byte",
                value: item.clone(),
            });
        }
        let named = |file: &str| {
            user_paths.iter().any(|p| {
                let p = pytest_brackets::file_of(p);
                p.strip_prefix("./").unwrap_or(p) == file
            })
        };
        if let Some((args, mut keep)) = pytest_brackets::widen(&items, named, by_file) {
            items = args;
            keep.tests = spelled;
            select.keep = Some(keep);
        }
        if select.deselect.is_some() || select.keep.is_some() {
            ours.extend(["-p".to_owned(), PLUGIN_MODULE.to_owned()]);
        }
        let events = events_path(&junit);
        let env = plugins(&junit, &events, &select)?;
        ours.extend(items.iter().map(|i| path_arg(i)));
        let args = insert_before_terminator(&args, &["--"], ours);
        finish(program, args, env, JunitSource::Events(events))
    }

    fn test_id(&self, test: &TestRef) -> Option<String> {
        node_id(test)
    }

    fn nothing_to_run(&self, code: i32, cases: &[crate::suite::junit::TestCase]) -> bool {
        code == 5
            && !cases.is_empty()
            && cases
                .iter()
                .all(|c| c.outcome == crate::suite::junit::Outcome::Skipped)
    }
}

fn node_ids(tests: &[TestRef]) -> Result<Vec<String>, RunnerError> {
    tests
        .iter()
        .map(|t| {
            node_id(t).ok_or_else(|| RunnerError::MissingFile {
                runner: NAME,
                test: t.name.clone(),
            })
        })
        .collect()
}

/// Each test's spelling ([`Keep::tests`]), for the tests whose file is
/// known (`file`, when given, is every test's).
fn spellings(tests: &[TestRef], file: Option<&str>) -> Vec<pytest_brackets::Spelling> {
    tests
        .iter()
        .filter_map(|t| {
            let file = file.or(t.file.as_deref()).filter(|f| !f.is_empty())?;
            let file = file.strip_prefix("./").unwrap_or(file);
            Some((file.to_owned(), t.classname.clone(), t.name.clone()))
        })
        .collect()
}

/// What the select plugin is asked to do, when anything.
#[derive(Default)]
struct Select {
    /// Tests to leave out.
    deselect: Option<Deselect>,
    /// What a widened argument is narrowed back to.
    keep: Option<Keep>,
}

/// Tests to leave out, by node id or as pitcrew spells them (either
/// matching leaves a test out: an id from a report whose classname has a
/// prefix is still pytest's, a spelling under a dotted collector is).
#[derive(serde::Serialize)]
struct Deselect {
    ids: Vec<String>,
    tests: Vec<pytest_brackets::Spelling>,
}

/// Writes our plugins next to the report (the select plugin and its lists
/// only when it has something to do) and returns the environment that
/// loads them: the report's directory first on `PYTHONPATH` (ahead of the
/// user's own entries), the events file and the lists' paths.
fn plugins(
    junit: &Path,
    events: &Path,
    select: &Select,
) -> Result<Vec<(String, String)>, RunnerError> {
    create_parent_dir(junit)?;
    let dir = junit.parent().unwrap_or(Path::new("/"));
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes)
            .map_err(|e| RunnerError::io(format!("cannot write {}", path.display()), e))
    };
    write(
        &dir.join(format!("{REPORTER_MODULE}.py")),
        REPORTER.as_bytes(),
    )?;
    let text = |p: &std::ffi::OsStr| {
        p.to_str()
            .map(str::to_owned)
            .ok_or_else(|| RunnerError::NonUtf8Path { path: p.into() })
    };
    let mut path = std::ffi::OsString::from(dir);
    if let Some(user) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        path.push(":");
        path.push(user);
    }
    let mut env = vec![
        ("PYTHONPATH".to_owned(), text(&path)?),
        (EVENTS_ENV.to_owned(), text(events.as_os_str())?),
    ];
    if select.deselect.is_none() && select.keep.is_none() {
        return Ok(env);
    }
    write(&dir.join(format!("{PLUGIN_MODULE}.py")), PLUGIN.as_bytes())?;
    let mut list = |suffix: &str, json: serde_json::Result<Vec<u8>>, var: &str| {
        let mut path = junit.as_os_str().to_owned();
        path.push(suffix);
        let path = std::path::PathBuf::from(path);
        let json = json.map_err(|e| RunnerError::io("cannot list the tests", e.into()))?;
        write(&path, &json)?;
        env.push((var.to_owned(), text(path.as_os_str())?));
        Ok::<_, RunnerError>(())
    };
    if let Some(ids) = &select.deselect {
        list(".deselect.json", serde_json::to_vec(ids), DESELECT_ENV)?;
    }
    if let Some(keep) = &select.keep {
        list(".keep.json", serde_json::to_vec(keep), KEEP_ENV)?;
    }
    Ok(env)
}

/// The pytest node id (`path/to/test_x.py::Class::test_name[params]`) of a
/// JUnit testcase.
///
/// pytest derives the testcase's `classname` from the node id by replacing
/// `/` with `.` in the path, dropping a `.py` suffix and joining the classes
/// with `.`; the `name` is the last node id part, parameters included. With
/// the `file` attribute (xunit1) that is reversed exactly; the module prefix is
/// also found when a `junit_suite_name`-style prefix precedes it. Without a
/// file (xunit2 reports), the module/class boundary is guessed: the first
/// classname part starting with an upper-case letter is taken as the first
/// class. `None` when the classname is empty and there is no file.
pub(super) fn node_id(test: &TestRef) -> Option<String> {
    let name = test.name.as_str();
    let classname = test.classname.as_str();
    if let Some(file) = test.file.as_deref().filter(|f| !f.is_empty()) {
        let file = file.strip_prefix("./").unwrap_or(file);
        let dotted = file.replace('/', ".");
        let module = dotted.strip_suffix(".py").unwrap_or(&dotted);
        // A module's own result (skipped or not collected) is named as the
        // dotted module, in no class: its node id is the file.
        if classname.is_empty() && name == module {
            return Some(file.to_owned());
        }
        let classes = classes_after_module(classname, module).unwrap_or_default();
        return Some(join_node_id(file, &classes, name));
    }
    if classname.is_empty() {
        return None;
    }
    let parts: Vec<&str> = classname.split('.').collect();
    let first_class = parts
        .iter()
        .position(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(parts.len());
    let (module, classes) = parts.split_at(first_class);
    if module.is_empty() {
        return None;
    }
    let file = format!("{}.py", module.join("/"));
    Some(join_node_id(&file, classes, name))
}

/// The class parts of `classname` after `module` (which must appear as whole
/// dot-separated parts, at the start or after a prefix).
fn classes_after_module<'a>(classname: &'a str, module: &str) -> Option<Vec<&'a str>> {
    if classname == module {
        return Some(Vec::new());
    }
    if module.is_empty() {
        return None;
    }
    let mut search_from = 0;
    while let Some(found) = classname[search_from..].find(module) {
        let start = search_from + found;
        let end = start + module.len();
        let starts_part = start == 0 || classname[..start].ends_with('.');
        let rest = &classname[end..];
        if starts_part {
            if rest.is_empty() {
                return Some(Vec::new());
            }
            if let Some(classes) = rest.strip_prefix('.') {
                return Some(classes.split('.').collect());
            }
        }
        search_from = start + module.len().max(1);
        if search_from > classname.len() {
            break;
        }
    }
    None
}

fn join_node_id(file: &str, classes: &[&str], name: &str) -> String {
    let mut id = file.to_owned();
    for class in classes.iter().filter(|c| !c.is_empty()) {
        id.push_str("::");
        id.push_str(class);
    }
    id.push_str("::");
    id.push_str(name);
    id
}

/// Whether a test in `source` takes syrupy's `snapshot` fixture: a
/// `def test…(…snapshot…)` signature, over lines too.
fn takes_snapshot(source: &str) -> bool {
    source.match_indices("def test").any(|(at, _)| {
        let rest = &source[at..];
        let Some(open) = rest.find('(') else {
            return false;
        };
        let params = &rest[open + 1..];
        let params = &params[..params.find(')').unwrap_or(params.len())];
        params
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "snapshot")
    })
}

/// The files in `root` named as a side-by-side shard's coverage data
/// (`.coverage.pitcrew-K-P`, and the parts coverage writes beside it).
fn side_by_side_files(root: &Path) -> Vec<PathBuf> {
    files_starting(&root.join(coverage_prefix()))
}

/// Our reporter's notes of what pytest-cov was asked for, one a shard.
fn coverage_notes(root: &Path) -> Vec<PathBuf> {
    files_starting(&root.join(COVERAGE_NOTE_PREFIX))
}

/// Where a side-by-side shard's reporter notes pytest-cov's settings:
/// this, its number and `.json`, relative to the project's folder.
const COVERAGE_NOTE_PREFIX: &str = ".pitcrew/coverage-note-";
/// The variable that tells our reporter where.
const COVERAGE_NOTE_ENV: &str = "PITCREW_COVERAGE_NOTE";
/// Joins the shards' coverage data (see the script).
const COVERAGE_SCRIPT: &str = include_str!("pytest_coverage.py");
/// `COVERAGE_FILE` (`.coverage` by default) and `.pitcrew-`: a local
/// shard's data file is this and its number.
fn coverage_prefix() -> String {
    let base = std::env::var("COVERAGE_FILE").unwrap_or_else(|_| ".coverage".into());
    format!("{base}.pitcrew-")
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("pytest").unwrap()
    }

    #[test]
    fn a_file_whose_tests_take_syrupys_snapshot_runs_whole() {
        let whole = |source: &str| runner().must_run_whole(source).is_some();
        assert!(whole("def test_a(snapshot):\n    assert 1 == snapshot\n"));
        assert!(whole(
            "class TestX:\n    def test_b(\n        self,\n        snapshot,\n    ):\n        pass\n"
        ));
        assert!(!whole("def test_a(snapshot_dir):\n    pass\n"));
        assert!(!whole(
            "def helper(snapshot):\n    pass\ndef test_a():\n    pass\n"
        ));
        assert!(!whole("def test_a(tmp_path):\n    snapshot = 1\n"));
    }

    #[test]
    fn files_are_appended_with_junit_options() {
        let files = argv(&[
            "tests/test_a.py",
            "tests/dir with space/test_b.py",
            "-odd_test.py",
        ]);
        let dir = tempfile::tempdir().unwrap();
        let inv = runner()
            .invocation(
                &argv(&["pytest", "-q"]),
                &Selection::Files(&files),
                &dir.path().join("out/junit.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "pytest");
        // The user's --junitxml and junit_family are left alone.
        assert_eq!(
            inv.args,
            argv(&[
                "-q",
                "-p",
                "pitcrew_pytest",
                "--continue-on-collection-errors",
                "tests/test_a.py",
                "tests/dir with space/test_b.py",
                "./-odd_test.py",
            ])
        );
        let events = dir.path().join("out/junit.events.jsonl");
        assert_eq!(inv.junit, JunitSource::Events(events.clone()));
        let env_of = |key| super::super::test_support::env_of(&inv, key);
        assert_eq!(env_of(EVENTS_ENV), events.to_str());
        let out = dir.path().join("out");
        assert!(
            env_of("PYTHONPATH")
                .unwrap()
                .starts_with(out.to_str().unwrap())
        );
        assert_eq!(
            std::fs::read_to_string(out.join("pitcrew_pytest.py")).unwrap(),
            REPORTER
        );
        assert_eq!(env_of(DESELECT_ENV), None);
    }

    #[test]
    fn python_dash_m_and_double_dash() {
        let files = argv(&["test_t.py"]);
        let dir = tempfile::tempdir().unwrap();
        let inv = runner()
            .invocation(
                &argv(&["python3", "-m", "pytest", "--", "-k", "x"]),
                &Selection::Files(&files),
                &dir.path().join("j.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "python3");
        assert_eq!(
            inv.args,
            argv(&[
                "-m",
                "pytest",
                "-p",
                "pitcrew_pytest",
                "--continue-on-collection-errors",
                "test_t.py",
                "--",
                "-k",
                "x",
            ])
        );
    }

    #[test]
    fn a_file_without_some_tests_loads_the_exact_deselect_plugin() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("out/j.xml");
        let left_out = [
            test_ref(Some("tests/test_slow.py"), "tests.test_slow", "test_x"),
            test_ref(
                Some("tests/test_slow.py"),
                "tests.test_slow.TestK",
                "test_y[a b]",
            ),
        ];
        let inv = runner()
            .invocation(
                &argv(&["pytest", "-q"]),
                &Selection::FileExcept {
                    file: "tests/test_slow.py",
                    tests: &left_out,
                },
                &junit,
            )
            .unwrap();
        assert_eq!(
            &inv.args[1..],
            &argv(&[
                "-p",
                "pitcrew_pytest",
                "--continue-on-collection-errors",
                "-p",
                "pitcrew_select",
                "tests/test_slow.py"
            ])[..]
        );
        let out = dir.path().join("out");
        let python_path = super::super::test_support::env_of(&inv, "PYTHONPATH").unwrap();
        assert!(
            python_path.starts_with(out.to_str().unwrap()),
            "{python_path}"
        );
        let list = super::super::test_support::env_of(&inv, DESELECT_ENV).unwrap();
        let list: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(list).unwrap()).unwrap();
        assert_eq!(
            list,
            serde_json::json!({
                "ids": [
                    "tests/test_slow.py::test_x",
                    "tests/test_slow.py::TestK::test_y[a b]"
                ],
                "tests": [
                    ["tests/test_slow.py", "tests.test_slow", "test_x"],
                    ["tests/test_slow.py", "tests.test_slow.TestK", "test_y[a b]"]
                ]
            })
        );
        assert_eq!(
            std::fs::read_to_string(out.join("pitcrew_select.py")).unwrap(),
            PLUGIN
        );
        // Nothing to leave out: no plugin.
        let whole = runner()
            .invocation(
                &argv(&["pytest"]),
                &Selection::FileExcept {
                    file: "tests/test_slow.py",
                    tests: &[],
                },
                &junit,
            )
            .unwrap();
        assert!(!whole.args.contains(&"pitcrew_select".to_owned()));
        assert_eq!(
            super::super::test_support::env_of(&whole, DESELECT_ENV),
            None
        );
        assert_eq!(
            whole.args.last().map(String::as_str),
            Some("tests/test_slow.py")
        );
    }

    #[test]
    fn node_ids_from_xunit1_testcases() {
        let cases = [
            (
                test_ref(Some("tests/test_a.py"), "tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            (
                test_ref(Some("tests/test_a.py"), "tests.test_a", "test_x[1-2]"),
                "tests/test_a.py::test_x[1-2]",
            ),
            (
                test_ref(
                    Some("tests/test_a.py"),
                    "tests.test_a.TestX.TestInner",
                    "test_deep",
                ),
                "tests/test_a.py::TestX::TestInner::test_deep",
            ),
            (
                test_ref(Some("test_top.py"), "test_top", "test_x[x y-::]"),
                "test_top.py::test_x[x y-::]",
            ),
            (
                test_ref(
                    Some("tests/test_é.py"),
                    "tests.test_é.TestÜ",
                    "test_ü[\"q\" 'a']",
                ),
                "tests/test_é.py::TestÜ::test_ü[\"q\" 'a']",
            ),
            // junit_suite_name/prefix in front of the module.
            (
                test_ref(Some("tests/test_a.py"), "pre.tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            // Doctest in a module and in a text file.
            (
                test_ref(Some("pkg/mod.py"), "pkg.mod", "pkg.mod.func"),
                "pkg/mod.py::pkg.mod.func",
            ),
            (
                test_ref(Some("docs/x.txt"), "docs.x.txt", "x.txt"),
                "docs/x.txt::x.txt",
            ),
            (
                test_ref(Some("./tests/test_a.py"), "tests.test_a", "test_z"),
                "tests/test_a.py::test_z",
            ),
            // The module's own result: it failed to import, or skipped.
            (
                test_ref(Some("tests/test_a.py"), "", "tests.test_a"),
                "tests/test_a.py",
            ),
        ];
        for (test, expected) in cases {
            assert_eq!(
                runner().test_id(&test).as_deref(),
                Some(expected),
                "{test:?}"
            );
        }
    }

    #[test]
    fn node_ids_without_file_are_guessed() {
        let cases = [
            (
                test_ref(None, "tests.test_a.TestX", "test_y"),
                "tests/test_a.py::TestX::test_y",
            ),
            (
                test_ref(None, "tests.test_a", "test_x[1-2]"),
                "tests/test_a.py::test_x[1-2]",
            ),
            (
                test_ref(None, "test_a.TestX.TestInner", "t"),
                "test_a.py::TestX::TestInner::t",
            ),
        ];
        for (test, expected) in cases {
            assert_eq!(node_id(&test).as_deref(), Some(expected), "{test:?}");
        }
        assert_eq!(node_id(&test_ref(None, "", "test_x")), None);
        assert_eq!(node_id(&test_ref(None, "TestX", "test_x")), None);
    }

    /// A rerun names the tests' files and keeps the tests by node id and
    /// by spelling; tests with no file are named by their node ids.
    #[test]
    fn tests_and_rerun_name_files_and_keep_the_tests() {
        let failed = [
            test_ref(Some("tests/test_a.py"), "tests.test_a.TestX", "test_y"),
            test_ref(Some("tests/test_b.py"), "tests.test_b", "test_p[a b-(c)|d]"),
            test_ref(Some("./tests/test_a.py"), "tests.test_a.cases.v1", "test_z"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let inv = runner()
            .rerun(&argv(&["pytest"]), &failed, &junit)
            .unwrap()
            .unwrap();
        assert_eq!(
            &inv.args[3..],
            &argv(&["-p", "pitcrew_select", "tests/test_a.py", "tests/test_b.py"])[..]
        );
        let keep = super::super::test_support::env_of(&inv, KEEP_ENV).unwrap();
        let keep: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(keep).unwrap()).unwrap();
        assert_eq!(
            keep["tests"],
            serde_json::json!([
                ["tests/test_a.py", "tests.test_a.TestX", "test_y"],
                ["tests/test_b.py", "tests.test_b", "test_p[a b-(c)|d]"],
                ["tests/test_a.py", "tests.test_a.cases.v1", "test_z"]
            ])
        );
        assert_eq!(keep["whole"], serde_json::json!([]));
        let guessed = [test_ref(None, "tests.test_a.TestX", "test_y")];
        let inv = runner()
            .rerun(&argv(&["pytest"]), &guessed, &junit)
            .unwrap()
            .unwrap();
        assert_eq!(
            &inv.args[3..],
            &argv(&["tests/test_a.py::TestX::test_y"])[..]
        );
        let err = runner()
            .invocation(
                &argv(&["pytest"]),
                &Selection::Tests(&[test_ref(None, "", "x")]),
                Path::new("/j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }));
        assert!(matches!(
            runner()
                .rerun(&argv(&["pytest"]), &[], Path::new("/j.xml"))
                .unwrap()
                .unwrap_err(),
            RunnerError::EmptySelection { .. }
        ));
    }
}
