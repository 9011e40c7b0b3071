//! Jest with pitcrew's own reporter (`jest_reporter.cjs`).
//!
//! Plain positional arguments are regexes to Jest, so files are passed with
//! `--runTestsByPath` (exact paths). Results come from our reporter, written
//! next to the report and added with `--reporters=<its path>`, as events
//! ([`super::events`]): each test's file, `ancestorTitles` (the
//! `classname`, joined with ` > `) and exact title, tabs and newlines
//! included, written as the tests run, so a timeout keeps what finished and
//! names the test that hung, and files `--bail` never started are named.
//! Jest's own output stays: `--reporters=default` is added unless the
//! user's command names reporters of its own, which are kept (reporters
//! set only in the Jest config are replaced by these, as any
//! `--reporters` on the command line does).
//!
//! Single tests are selected with an anchored, escaped alternation of full
//! names in `--testNamePattern` (matched case-insensitively by Jest, so it
//! can select a superset, never a subset); a file's rest leaves them out
//! with a negative lookahead over the same pattern (which, case-insensitive
//! too, may leave out more: the executor keeps whatever the tests' own run
//! selects beyond its tests).

use std::path::Path;

use super::{
    EVENTS_ENV, Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit,
    coverage_join, dedup, detect, events_path, file_attribute, file_scoped_id, files_and_pattern,
    finish, full_name_regex, has_any_option, has_flag, insert_before_terminator, path_arg,
    path_name, path_str, sets_option, spaced_full_name, split_base, take_name_patterns,
    with_pool_option, write_reporter,
};

/// Jest's options whose value may be the next word (those taking a list
/// take one word here).
const VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "-t",
    "--testNamePattern",
    "-w",
    "--maxWorkers",
    "--changedSince",
    "--collectCoverageFrom",
    "--coverageDirectory",
    "--coveragePathIgnorePatterns",
    "--coverageProvider",
    "--coverageReporters",
    "--coverageThreshold",
    "--env",
    "--testEnvironment",
    "--testEnvironmentOptions",
    "--filter",
    "--globalSetup",
    "--globalTeardown",
    "--globals",
    "--ignoreProjects",
    "--maxConcurrency",
    "--moduleDirectories",
    "--moduleFileExtensions",
    "--moduleNameMapper",
    "--modulePathIgnorePatterns",
    "--modulePaths",
    "--notifyMode",
    "--outputFile",
    "--preset",
    "--projects",
    "--reporters",
    "--resolver",
    "--rootDir",
    "--roots",
    "--runner",
    "--seed",
    "--selectProjects",
    "--setupFiles",
    "--setupFilesAfterEnv",
    "--shard",
    "--snapshotSerializers",
    "--testMatch",
    "--testPathIgnorePatterns",
    "--testPathPatterns",
    "--testPathPattern",
    "--testRegex",
    "--testResultsProcessor",
    "--testRunner",
    "--testSequencer",
    "--testTimeout",
    "--transform",
    "--transformIgnorePatterns",
    "--unmockedModulePathPatterns",
    "--watchPathIgnorePatterns",
    "--workerIdleMemoryLimit",
];

/// The arguments without positional words (Jest's path patterns), up to a
/// `--`.
fn without_path_patterns(args: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(args.len());
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            kept.push(word.clone());
            kept.extend(words.by_ref().cloned());
            break;
        }
        if VALUE_OPTIONS.contains(&word.as_str()) {
            kept.push(word.clone());
            kept.extend(words.next().cloned());
        } else if word.starts_with('-') {
            kept.push(word.clone());
        }
    }
    kept
}

/// The options that decide how many files Jest runs at once.
const POOL_SETTINGS: &[&str] = &["--maxWorkers", "-w", "--runInBand", "-i"];

/// The Jest adapter.
pub(super) struct Jest;

const NAME: &str = "jest";

/// The reporter's source and the file name it is written under.
const REPORTER: &str = include_str!("jest_reporter.cjs");
const REPORTER_FILE: &str = "pitcrew-jest-reporter.cjs";

/// Where our reporter writes a process's coverage part and its note,
/// relative to the project's folder: this, the shard's number, `-`, the
/// process's number.
const COVERAGE_PREFIX: &str = ".pitcrew/jest-coverage-";

impl Runner for Jest {
    fn name(&self) -> &'static str {
        NAME
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        has_any_option(command, &["-t", "--testNamePattern"])
    }

    /// Where our reporter writes each process's coverage part, and notes
    /// the reports and threshold Jest was asked for, which it keeps Jest
    /// from making from a part (`takeCoverage` in the reporter): with the
    /// shards side by side, each would check the threshold on its part
    /// and overwrite the last one's reports.
    fn side_by_side_env(&self, index: usize) -> Vec<(String, String)> {
        coverage_join::node_part_env(COVERAGE_PREFIX, index)
    }

    fn clear_side_by_side(&self, root: &Path) {
        coverage_join::clear_node_parts(root, COVERAGE_PREFIX);
    }

    /// The parts joined, the reports written and the threshold checked on
    /// the whole run, with Jest's rules.
    fn join_side_by_side(&self, root: &Path, command: &[String]) -> Option<String> {
        coverage_join::join_node_parts(NAME, root, command, COVERAGE_PREFIX)
    }

    /// Its reporter counts the files the run found before any runs (Jest's
    /// `numTotalTestSuites`): when fewer report, the listing names them.
    fn reports_discovery(&self) -> bool {
        true
    }

    /// `-u` rewrites a file's one `.snap`, and so does `--ci=false` for a
    /// new snapshot.
    fn writes_shared_files(&self, command: &[String]) -> Option<&'static str> {
        let writes = has_flag(command, &["-u", "--updateSnapshot"])
            || command.iter().any(|a| a == "--ci=false" || a == "--no-ci");
        writes.then_some("it writes snapshot files, which each of a file's tests shares")
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
        let (files, pattern) = match selection {
            // No file: the runner's own configuration finds them.
            Selection::Discovered => (Vec::new(), None),
            _ => files_and_pattern(NAME, selection, file_attribute, &name_pattern)?,
        };
        let (junit, _) = absolute_junit(junit_path)?;
        let reporter = write_reporter(&junit, REPORTER_FILE, REPORTER)?;
        let events = events_path(&junit);
        // --ci: a new snapshot is a failure, not a file written (shards
        // running parts of one file would overwrite each other's), unless
        // the user says otherwise (such a command plans whole files).
        let mut ours = Vec::new();
        if !sets_option(args, "--ci") && !args.iter().any(|a| a == "--no-ci") {
            ours.push("--ci".to_owned());
        }
        if !sets_option(args, "--reporters") {
            ours.push("--reporters=default".to_owned());
        }
        ours.push(format!("--reporters={reporter}"));
        let mut args = args.to_vec();
        if let Some(filter) = pattern {
            let users;
            (args, users) = take_name_patterns(&args);
            ours.push(format!(
                "--testNamePattern={}",
                filter.js_regex_within(&users)
            ));
        }
        if !files.is_empty() {
            // The user's path patterns scoped the listing; with
            // --runTestsByPath they would run as paths beside the shard's.
            // After jest's own word (`npx jest`: `jest` is npx's argument).
            let own = detect::locate(base)
                .filter(|f| f.kind == detect::Kind::Jest)
                .map_or(0, |f| f.index);
            let mut kept = args[..own.min(args.len())].to_vec();
            kept.extend(without_path_patterns(&args[own.min(args.len())..]));
            args = kept;
            // Last before the paths, so nothing can read a path as its value.
            ours.push("--runTestsByPath".to_owned());
            ours.extend(files.iter().map(|f| path_arg(f)));
        }
        let args = insert_before_terminator(&args, &["--"], ours);
        let env = vec![(EVENTS_ENV.to_owned(), path_str(&events)?.to_owned())];
        finish(program, args, env, JunitSource::Events(events))
    }

    /// `--maxWorkers=N`: Jest runs N files at a time in its workers (or
    /// in band, where it judges the files too quick for workers). Not
    /// when the command sizes the pool or runs in band.
    fn with_workers(&self, base: &[String], workers: usize) -> Option<Vec<String>> {
        with_pool_option(
            base,
            detect::Kind::Jest,
            "--maxWorkers",
            POOL_SETTINGS,
            workers,
        )
    }

    /// `file::describe > path > title`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(test.file.as_deref(), &path_name(test))
    }

    fn selection_name(&self, test: &TestRef) -> Option<String> {
        spaced_full_name(test)
    }
}

/// `^(?:a|b)$` over the escaped full names: Jest matches the pattern
/// against the `describe` titles and the test title joined with spaces.
fn name_pattern(tests: &[TestRef]) -> String {
    let names = dedup(tests.iter().map(full_name_regex));
    format!("^(?:{})$", names.join("|"))
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, env_of, regex_matches, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("jest").unwrap()
    }

    #[test]
    fn the_pool_is_sized_unless_the_command_decides_it() {
        let pooled = |base: &[&str]| runner().with_workers(&argv(base), 2);
        assert_eq!(
            pooled(&["npx", "jest", "--ci", "--", "x"]),
            Some(argv(&["npx", "jest", "--ci", "--maxWorkers=2", "--", "x"]))
        );
        for set in [
            &["jest", "--maxWorkers", "1"][..],
            &["jest", "--maxWorkers=50%"],
            &["jest", "-w", "1"],
            &["jest", "--runInBand"],
            &["npx", "jest", "-i"],
        ] {
            assert_eq!(pooled(set), None, "{set:?}");
        }
        assert_eq!(pooled(&["vitest"]), None);
    }

    #[test]
    fn files_run_by_path_with_our_reporter() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("r/junit.xml");
        let files = argv(&["src/a.test.js", "src/(group)/b [1].test.ts"]);
        let inv = runner()
            .invocation(
                &argv(&["npx", "jest", "--silent"]),
                &Selection::Files(&files),
                &junit,
            )
            .unwrap();
        let reporter = dir.path().join("r/pitcrew-jest-reporter.cjs");
        let events = dir.path().join("r/junit.events.jsonl");
        assert_eq!(inv.program, "npx");
        assert_eq!(
            inv.args,
            argv(&[
                "jest",
                "--silent",
                "--ci",
                "--reporters=default",
                &format!("--reporters={}", reporter.display()),
                "--runTestsByPath",
                "src/a.test.js",
                "src/(group)/b [1].test.ts",
            ])
        );
        assert_eq!(std::fs::read_to_string(&reporter).unwrap(), REPORTER);
        assert_eq!(
            env_of(&inv, EVENTS_ENV),
            Some(events.to_str().unwrap()),
            "{:?}",
            inv.env
        );
        assert_eq!(inv.junit, JunitSource::Events(events));
    }

    #[test]
    fn the_users_own_ci_setting_stays_and_snapshot_writers_run_files_whole() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("junit.xml");
        let files = argv(&["a.test.js"]);
        for (base, ci) in [
            (&["jest", "--ci=false"][..], 0),
            (&["jest", "--no-ci"][..], 0),
            (&["jest", "--ci"][..], 0),
            (&["jest"][..], 1),
        ] {
            let inv = runner()
                .invocation(&argv(base), &Selection::Files(&files), &junit)
                .unwrap();
            let ours = inv.args.iter().filter(|a| *a == "--ci").count();
            let users = base.iter().filter(|a| **a == "--ci").count();
            assert_eq!(ours - users, ci, "{base:?}: {:?}", inv.args);
        }
        for writes in [
            &["jest", "-u"][..],
            &["jest", "--updateSnapshot"],
            &["jest", "--ci=false"],
        ] {
            assert!(
                runner().writes_shared_files(&argv(writes)).is_some(),
                "{writes:?}"
            );
        }
        assert!(
            runner()
                .writes_shared_files(&argv(&["jest", "--ci"]))
                .is_none()
        );
        // After `--`, words are the tests' own.
        assert!(
            runner()
                .writes_shared_files(&argv(&["jest", "--", "-u"]))
                .is_none()
        );
    }

    #[test]
    fn the_users_own_reporters_stay() {
        let dir = tempfile::tempdir().unwrap();
        let files = argv(&["a.test.js"]);
        for base in [
            argv(&["jest", "--reporters=jest-junit"]),
            argv(&["jest", "--reporters", "jest-junit"]),
        ] {
            let inv = runner()
                .invocation(&base, &Selection::Files(&files), &dir.path().join("j.xml"))
                .unwrap();
            assert!(!inv.args.contains(&"--reporters=default".to_owned()));
            assert!(inv.args.iter().any(|a| a.contains("jest-junit")));
            let ours = inv
                .args
                .iter()
                .filter(|a| a.ends_with(REPORTER_FILE))
                .count();
            assert_eq!(ours, 1, "{:?}", inv.args);
        }
        // After `--`, the words are not jest's options.
        let inv = runner()
            .invocation(
                &argv(&["jest", "--", "--reporters=x"]),
                &Selection::Files(&files),
                &dir.path().join("j.xml"),
            )
            .unwrap();
        assert!(inv.args.contains(&"--reporters=default".to_owned()));
    }

    #[test]
    fn rerun_selects_failed_tests_by_escaped_full_name() {
        let dir = tempfile::tempdir().unwrap();
        let failed = [
            test_ref(Some("src/a.test.js"), "math (basic)", "adds 1 + 2 = 3?"),
            test_ref(Some("src/a.test.js"), "", "top-level [x] $5 ^ \\ {y} | z"),
            test_ref(
                Some("src/b.test.js"),
                "ünïcode \"quoted\" > inner",
                "it's\tfine",
            ),
            // Duplicate: deduplicated in both files and pattern.
            test_ref(Some("src/a.test.js"), "math (basic)", "adds 1 + 2 = 3?"),
        ];
        let inv = runner()
            .rerun(&argv(&["jest"]), &failed, &dir.path().join("j.xml"))
            .unwrap()
            .unwrap();
        let pattern = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--testNamePattern="))
            .unwrap();
        assert_eq!(
            pattern,
            "^(?:math \\(basic\\)(?: > | )adds 1 \\+ 2 = 3\\?|top-level \\[x\\] \\$5 \\^ \\\\ \\{y\\} \\| z|ünïcode \"quoted\"(?: > | )inner(?: > | )it's\tfine)$"
        );
        // Jest's full names: the titles joined with spaces.
        for name in [
            "math (basic) adds 1 + 2 = 3?",
            "top-level [x] $5 ^ \\ {y} | z",
            "ünïcode \"quoted\" inner it's\tfine",
        ] {
            assert!(regex_matches(pattern, name), "{name}");
        }
        for other in [
            "math (basic) adds 1 + 2 = 3? more",
            "top-level",
            "adds 1 + 2 = 3?",
            "ünïcode \"quoted\" inner it's fine",
        ] {
            assert!(!regex_matches(pattern, other), "{other}");
        }
        let tail: Vec<&str> = inv.args.iter().rev().take(3).map(String::as_str).collect();
        assert_eq!(tail, ["src/b.test.js", "src/a.test.js", "--runTestsByPath"]);
    }

    #[test]
    fn tests_need_files() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let err = runner()
            .invocation(
                &argv(&["jest"]),
                &Selection::Tests(&[test_ref(None, "suite", "t")]),
                &junit,
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }), "{err}");
        // A re-run that cannot locate a failure leaves it to the caller.
        let failed = [test_ref(None, "suite", "t")];
        assert!(runner().rerun(&argv(&["jest"]), &failed, &junit).is_none());
    }

    #[test]
    fn test_ids() {
        assert_eq!(
            runner().test_id(&test_ref(Some("a.test.js"), "outer > inner", "works")),
            Some("a.test.js::outer > inner > works".to_owned())
        );
        assert_eq!(runner().test_id(&test_ref(None, "outer", "works")), None);
    }
}
