//! Splitting a slow file into its tests. A file longer than the ideal shard
//! time (`total / N`) decides the wall time whatever the planner does, so
//! when the runner can select single tests and leave them out of a file,
//! its longest tests become items of their own and the file's item runs
//! only the rest (including tests added since the timings were recorded,
//! which no plan could know about).
//!
//! Which tests are split out: longest first (ties by id), until what is
//! left of the file is at most a quarter of the ideal shard time. At least
//! one known test always stays with the file, so its item still has
//! something to report, and at most [`MAX_TESTS_PER_FILE`] are split out,
//! so the patterns that select or leave them out stay well within the
//! operating system's limit on one argument. A test is only split out when
//! the runner gives it an id no other test of the file shares (two tests
//! with one name could not be told apart on a command line).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::runners::{Runner, TestRef};
use super::split::Item;
use super::timings::{TestTiming, Timings};

/// At most this many tests are split out of one file.
pub const MAX_TESTS_PER_FILE: usize = 256;

/// The rest of a split file is made at most this fraction of the ideal
/// shard time, so it schedules as easily as the tests taken out of it.
const REST_FRACTION: f64 = 0.25;

/// A test planned as an item of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTest {
    /// Its item id: the runner's id for it (e.g. a pytest node id).
    pub id: String,
    /// Its testcase's `classname` and `name`, to select it and to claim its
    /// results.
    pub classname: String,
    pub name: String,
}

impl PlannedTest {
    /// The test as runner adapters select it.
    pub fn test_ref(&self, file: &str) -> TestRef {
        TestRef {
            file: Some(file.to_owned()),
            classname: self.classname.clone(),
            name: self.name.clone(),
        }
    }
}

/// Items after splitting, and the split files' tests (file → tests).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expansion {
    pub items: Vec<Item>,
    pub split_files: BTreeMap<String, Vec<PlannedTest>>,
}

/// Splits every file of `files` longer than `total / shards` into tests, as
/// far as `timings` knows them and `runner` can select and leave them out.
pub fn split_slow_files(
    files: &[Item],
    timings: &Timings,
    runner: &dyn Runner,
    shards: usize,
) -> Expansion {
    let mut expansion = Expansion::default();
    let total: f64 = files.iter().map(|i| i.seconds).sum();
    let ideal = total / shards.max(1) as f64;
    let can_split = runner.selects_tests() && runner.excludes_tests() && shards > 1;
    for file in files {
        let tests = timings.tests.get(&file.id);
        let split = match tests {
            Some(tests) if can_split && file.seconds > ideal && !runs_whole(&file.id, runner) => {
                split_file(&file.id, tests, runner, ideal)
            }
            _ => Vec::new(),
        };
        if split.is_empty() {
            expansion.items.push(file.clone());
            continue;
        }
        let split_seconds: f64 = split.iter().map(|(_, s)| s).sum();
        expansion
            .items
            .push(Item::new(&file.id, (file.seconds - split_seconds).max(0.0)));
        let planned = split
            .into_iter()
            .map(|(test, seconds)| {
                expansion.items.push(Item::new(&test.id, seconds));
                test
            })
            .collect();
        expansion.split_files.insert(file.id.clone(), planned);
    }
    expansion
}

/// `timings` with each file's tests narrowed to those the runner's listing
/// says it would run (`listed`, [`super::collect::Listing::tests`]), for
/// splitting: a test that the project's own selection leaves out (`-k`,
/// `-m`, `addopts`) planned as an item of its own would select nothing
/// and read as deleted. A file none of whose known tests is listed is kept
/// as it is: its ids are spelled otherwise than the listing's, or it is
/// listed as a whole (a module that could not be collected).
pub fn only_listed<'t>(
    timings: &'t Timings,
    listed: Option<&BTreeSet<String>>,
    runner: Option<&dyn Runner>,
) -> Cow<'t, Timings> {
    let (Some(listed), Some(runner)) = (listed, runner) else {
        return Cow::Borrowed(timings);
    };
    let is_listed = |file: &str, test: &TestTiming| {
        runner
            .test_id(&TestRef {
                file: Some(file.to_owned()),
                classname: test.classname.clone(),
                name: test.name.clone(),
            })
            .is_some_and(|id| listed.contains(&id))
    };
    let narrowed: Vec<(&String, Vec<TestTiming>)> = timings
        .tests
        .iter()
        .filter(|(file, tests)| {
            let kept = tests.iter().filter(|t| is_listed(file, t)).count();
            kept > 0 && kept < tests.len()
        })
        .map(|(file, tests)| {
            let kept = tests.iter().filter(|t| is_listed(file, t)).cloned();
            (file, kept.collect())
        })
        .collect();
    if narrowed.is_empty() {
        return Cow::Borrowed(timings);
    }
    let mut timings = timings.clone();
    for (file, tests) in narrowed {
        timings.tests.insert(file.clone(), tests);
    }
    Cow::Owned(timings)
}

/// Whether `file`'s source says its tests must run together (read from the
/// working directory, where the runner runs; at most its first 4 MiB).
fn runs_whole(file: &str, runner: &dyn Runner) -> bool {
    use std::io::Read as _;
    let mut source = Vec::new();
    let read = std::fs::File::open(file).and_then(|f| f.take(4 << 20).read_to_end(&mut source));
    if read.is_err() {
        return false;
    }
    match runner.must_run_whole(&String::from_utf8_lossy(&source)) {
        Some(why) => {
            tracing::info!(
                "{}: not split into tests: {why}",
                crate::escape::control_chars(file)
            );
            true
        }
        None => false,
    }
}

/// The tests to take out of `file`, with their seconds.
fn split_file(
    file: &str,
    tests: &[TestTiming],
    runner: &dyn Runner,
    ideal: f64,
) -> Vec<(PlannedTest, f64)> {
    // Each test that has an id, with the name the runner's selection sees.
    let mut candidates: Vec<(PlannedTest, f64, Option<String>)> = Vec::with_capacity(tests.len());
    // Per name the runner's selection sees: tests that share one are
    // selected together, so none of them leaves the file.
    let mut selected_as: HashMap<String, usize> = HashMap::new();
    let mut rest: f64 = 0.0;
    for test in tests {
        let seconds = if test.seconds.is_finite() && test.seconds >= 0.0 {
            test.seconds
        } else {
            0.0
        };
        rest += seconds;
        let test_ref = TestRef {
            file: Some(file.to_owned()),
            classname: test.classname.clone(),
            name: test.name.clone(),
        };
        let selected = runner.selection_name(&test_ref);
        if let Some(name) = &selected {
            *selected_as.entry(name.clone()).or_default() += 1;
        }
        // An id another process may give another test stays in its file.
        if let Some(id) = runner
            .test_id(&test_ref)
            .filter(|_| runner.steady_id(&test_ref))
        {
            let planned = PlannedTest {
                id,
                classname: test.classname.clone(),
                name: test.name.clone(),
            };
            candidates.push((planned, seconds, selected));
        }
    }
    // A name whose selection also runs another test's (an unanchored
    // filter) cannot leave the file either.
    let names: Vec<&String> = selected_as.keys().collect();
    let runs_another = |name: &String| {
        names
            .iter()
            .any(|other| *other != name && runner.selection_also_runs(name, other))
    };
    let mut candidates: Vec<(PlannedTest, f64)> = candidates
        .into_iter()
        .filter(|(_, _, name)| {
            name.as_ref()
                .is_some_and(|n| selected_as.get(n) == Some(&1) && !runs_another(n))
        })
        .map(|(test, seconds, _)| (test, seconds))
        .collect();
    candidates.sort_by(|(a, sa), (b, sb)| sb.total_cmp(sa).then_with(|| a.id.cmp(&b.id)));
    let mut split = Vec::new();
    for (test, seconds) in candidates {
        let keeps_one = split.len() + 1 < tests.len();
        if rest <= ideal * REST_FRACTION || split.len() >= MAX_TESTS_PER_FILE || !keeps_one {
            break;
        }
        rest -= seconds;
        split.push((test, seconds));
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::by_name;

    fn pytest() -> &'static dyn Runner {
        by_name("pytest").unwrap()
    }

    fn history(file: &str, tests: &[(&str, f64)]) -> Timings {
        let mut timings = Timings::default();
        timings
            .files
            .insert(file.into(), tests.iter().map(|(_, s)| s).sum());
        timings.tests.insert(
            file.into(),
            tests
                .iter()
                .map(|(name, seconds)| TestTiming {
                    classname: "tests.test_slow".into(),
                    name: (*name).into(),
                    seconds: *seconds,
                })
                .collect(),
        );
        timings
    }

    fn ids(expansion: &Expansion) -> Vec<(&str, f64)> {
        expansion
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.seconds))
            .collect()
    }

    /// Only the tests the listing names are split out; a file none of
    /// whose known tests it names (ids spelled otherwise) is left as it is.
    #[test]
    fn only_listed_tests_are_split_out() {
        let timings = history(
            "tests/test_slow.py",
            &[("test_a", 30.0), ("test_b", 20.0), ("test_c", 1.0)],
        );
        let files = [
            Item::new("tests/test_slow.py", 51.0),
            Item::new("tests/test_x.py", 9.0),
        ];
        let split = |listed: &[&str]| {
            let listed: BTreeSet<String> = listed.iter().map(|t| (*t).to_owned()).collect();
            let selected = only_listed(&timings, Some(&listed), Some(pytest()));
            split_slow_files(&files, &selected, pytest(), 2).split_files["tests/test_slow.py"]
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
        };
        let listed = ["tests/test_slow.py::test_b", "tests/test_slow.py::test_c"];
        assert_eq!(split(&listed), ["test_b"]);
        assert_eq!(
            split(&["tests/test_slow.py::TestOther::test_a"]),
            ["test_a", "test_b"]
        );
        assert!(matches!(
            only_listed(&timings, None, Some(pytest())),
            Cow::Borrowed(_)
        ));
    }

    /// isodate builds its parameters from a set: pytest numbers the dates
    /// it can't print by their place in it (`expected18`), which changes
    /// from process to process. Such a test split out of its file ran
    /// another test, or none, and the rest of the file left out the wrong
    /// one: a failing test ran nowhere. Those tests stay in their file;
    /// tests whose ids are their printed values still leave it.
    #[test]
    fn a_test_whose_id_is_pytests_numbering_stays_in_its_file() {
        let timings = history(
            "tests/test_slow.py",
            &[
                ("test_parse[6-+0019850412-expected18-%Y%m%d]", 30.0),
                ("test_parse[4-1985-04-12-%Y-%m-%d]", 20.0),
                ("test_c", 5.0),
                ("test_d", 1.0),
            ],
        );
        let files = [
            Item::new("tests/test_slow.py", 56.0),
            Item::new("tests/test_x.py", 24.0),
        ];
        let expansion = split_slow_files(&files, &timings, pytest(), 2);
        let planned: Vec<&str> = expansion.split_files["tests/test_slow.py"]
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            planned,
            ["test_parse[4-1985-04-12-%Y-%m-%d]", "test_c", "test_d"]
        );
    }

    #[test]
    fn a_file_longer_than_a_shard_gives_its_longest_tests_items() {
        let timings = history(
            "tests/test_slow.py",
            &[
                ("test_a", 30.0),
                ("test_b", 20.0),
                ("test_c", 5.0),
                ("test_d", 1.0),
            ],
        );
        let files = [
            Item::new("tests/test_slow.py", 56.0),
            Item::new("tests/test_x.py", 10.0),
            Item::new("tests/test_y.py", 14.0),
        ];
        // Ideal: 80 / 2 = 40 s; the rest may keep 10 s.
        let expansion = split_slow_files(&files, &timings, pytest(), 2);
        assert_eq!(
            ids(&expansion),
            [
                ("tests/test_slow.py", 6.0),
                ("tests/test_slow.py::test_a", 30.0),
                ("tests/test_slow.py::test_b", 20.0),
                ("tests/test_x.py", 10.0),
                ("tests/test_y.py", 14.0),
            ]
        );
        let planned = &expansion.split_files["tests/test_slow.py"];
        assert_eq!(planned.len(), 2);
        assert_eq!(planned[0].name, "test_a");
        assert_eq!(
            planned[0].test_ref("tests/test_slow.py").file.as_deref(),
            Some("tests/test_slow.py")
        );
    }

    /// `tests` of `file` (classname, name, seconds) as history.
    fn named_history(file: &str, tests: &[(&str, &str, f64)]) -> Timings {
        let mut timings = Timings::default();
        timings
            .files
            .insert(file.into(), tests.iter().map(|(_, _, s)| s).sum());
        let tests = tests
            .iter()
            .map(|(classname, name, seconds)| TestTiming {
                classname: (*classname).into(),
                name: (*name).into(),
                seconds: *seconds,
            })
            .collect();
        timings.tests.insert(file.into(), tests);
        timings
    }

    fn split_names(expansion: &Expansion, file: &str) -> Vec<String> {
        let mut names: Vec<String> = expansion
            .split_files
            .get(file)
            .map(|tests| tests.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn tests_that_depend_on_each_other_keep_their_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("test_flow.py").display().to_string();
        let tests = [
            ("t", "test_a", 30.0),
            ("t", "test_b", 30.0),
            ("t", "test_c", 1.0),
        ];
        let timings = named_history(&file, &tests);
        let files = [Item::new(&file, 61.0), Item::new("b.py", 1.0)];
        std::fs::write(&file, "def test_a(): pass\n").unwrap();
        assert!(
            !split_slow_files(&files, &timings, pytest(), 4)
                .split_files
                .is_empty()
        );
        std::fs::write(
            &file,
            "@pytest.mark.dependency(depends=['test_a'])\ndef test_b(): pass\n",
        )
        .unwrap();
        assert!(
            split_slow_files(&files, &timings, pytest(), 4)
                .split_files
                .is_empty()
        );
        // Playwright's serial mode.
        let spec = dir.path().join("flow.spec.ts").display().to_string();
        let timings = named_history(&spec, &tests);
        let files = [Item::new(&spec, 61.0), Item::new("b.spec.ts", 1.0)];
        let playwright = by_name("playwright").unwrap();
        std::fs::write(&spec, "test('a', async () => {});\n").unwrap();
        assert!(
            !split_slow_files(&files, &timings, playwright, 4)
                .split_files
                .is_empty()
        );
        std::fs::write(&spec, "test.describe.configure({ mode: 'serial' });\n").unwrap();
        assert!(
            split_slow_files(&files, &timings, playwright, 4)
                .split_files
                .is_empty()
        );
    }

    #[test]
    fn names_a_filter_would_also_select_stay_in_their_file() {
        let files = [Item::new("a.test.js", 100.0), Item::new("b.test.js", 1.0)];
        // jest: `-t` ignores case, and a title may hold ` > `.
        let timings = named_history(
            "a.test.js",
            &[
                ("", "Lock", 20.0),
                ("", "lock", 20.0),
                ("", "name with > arrow", 20.0),
                ("name with", "> arrow", 20.0),
                ("", "alone", 19.0),
                ("", "rest", 1.0),
            ],
        );
        let jest = by_name("jest").unwrap();
        assert_eq!(
            split_names(&split_slow_files(&files, &timings, jest, 8), "a.test.js"),
            ["alone", "rest"]
        );
        // Playwright: `--grep b` also runs `a › b`; `a › b` runs only itself.
        let timings = named_history(
            "a.spec.js",
            &[
                ("", "b", 30.0),
                ("", "a \u{203a} b", 30.0),
                ("", "c", 30.0),
                ("", "d", 10.0),
            ],
        );
        let files = [Item::new("a.spec.js", 100.0), Item::new("b.spec.js", 1.0)];
        let playwright = by_name("playwright").unwrap();
        assert_eq!(
            split_names(
                &split_slow_files(&files, &timings, playwright, 8),
                "a.spec.js"
            ),
            ["a \u{203a} b", "c", "d"]
        );
    }

    #[test]
    fn nothing_is_split_without_need_history_or_runner_support() {
        let timings = history("a.py", &[("test_a", 30.0), ("test_b", 30.0)]);
        let files = [Item::new("a.py", 60.0), Item::new("b.py", 60.0)];
        let unchanged = |e: &Expansion| e.split_files.is_empty() && e.items == files;
        // 60 s is not longer than the ideal 60 s.
        assert!(unchanged(&split_slow_files(&files, &timings, pytest(), 2)));
        // One shard: there is nothing to balance.
        assert!(unchanged(&split_slow_files(&files, &timings, pytest(), 1)));
        // No per-test history for the slow file.
        assert!(unchanged(&split_slow_files(
            &files,
            &Timings::default(),
            pytest(),
            4
        )));
        // Runners that cannot leave tests out of a file.
        for name in ["node", "go", "nextest", "generic"] {
            let runner = by_name(name).unwrap();
            assert!(
                unchanged(&split_slow_files(&files, &timings, runner, 4)),
                "{name}"
            );
        }
        // But pytest splits when there are four shards (ideal 30 s).
        assert!(
            !split_slow_files(&files, &timings, pytest(), 4)
                .split_files
                .is_empty()
        );
    }

    #[test]
    fn one_test_always_stays_and_ambiguous_ids_are_never_split() {
        let timings = history("a.py", &[("test_a", 50.0), ("test_b", 50.0)]);
        let files = [Item::new("a.py", 100.0), Item::new("b.py", 1.0)];
        let expansion = split_slow_files(&files, &timings, pytest(), 8);
        assert_eq!(expansion.split_files["a.py"].len(), 1);
        assert_eq!(expansion.split_files["a.py"][0].name, "test_a");

        // Two tests named `test_a` (say, by a plugin) can't be selected
        // apart: both stay with the file.
        let twins = history(
            "a.py",
            &[("test_a", 50.0), ("test_a", 40.0), ("test_b", 1.0)],
        );
        let expansion = split_slow_files(&files, &twins, pytest(), 8);
        let planned = &expansion.split_files["a.py"];
        assert!(planned.iter().all(|t| t.name != "test_a"), "{expansion:?}");
        assert_eq!(expansion.items[0], Item::new("a.py", 99.0));
    }

    /// jest selects by the describe titles and the title joined with
    /// spaces: `a > b` and a top-level `a b` are one selection, run together
    /// wherever either is selected, so neither leaves its file.
    #[test]
    fn tests_one_name_pattern_selects_together_stay_in_their_file() {
        let mut timings = history("a.test.js", &[]);
        timings.tests.insert(
            "a.test.js".into(),
            [
                ("a", "b", 50.0),
                ("", "a b", 40.0),
                ("", "slow", 45.0),
                ("", "c", 1.0),
            ]
            .iter()
            .map(|(classname, name, seconds)| TestTiming {
                classname: (*classname).into(),
                name: (*name).into(),
                seconds: *seconds,
            })
            .collect(),
        );
        let files = [Item::new("a.test.js", 136.0), Item::new("b.test.js", 1.0)];
        let expansion = split_slow_files(&files, &timings, by_name("jest").unwrap(), 8);
        let planned: Vec<&str> = expansion.split_files["a.test.js"]
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert!(planned.contains(&"slow"), "{expansion:?}");
        assert!(
            !planned.contains(&"b") && !planned.contains(&"a b"),
            "{expansion:?}"
        );
    }

    #[test]
    fn at_most_the_cap_is_split_out_of_one_file() {
        let names: Vec<String> = (0..1000).map(|i| format!("test_{i:04}")).collect();
        let tests: Vec<(&str, f64)> = names.iter().map(|n| (n.as_str(), 1.0)).collect();
        let timings = history("big.py", &tests);
        let files = [Item::new("big.py", 1000.0), Item::new("small.py", 1.0)];
        let expansion = split_slow_files(&files, &timings, pytest(), 16);
        let planned = &expansion.split_files["big.py"];
        assert_eq!(planned.len(), MAX_TESTS_PER_FILE);
        // Equal durations go by id, so the choice is deterministic.
        assert_eq!(planned[0].name, "test_0000");
        assert_eq!(expansion.items[0], Item::new("big.py", 744.0));
    }
}
