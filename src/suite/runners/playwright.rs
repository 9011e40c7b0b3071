//! Playwright Test with its built-in JUnit reporter.
//!
//! `playwright test --reporter=junit,list` with the report path in
//! `PLAYWRIGHT_JUNIT_OUTPUT_FILE` (Playwright >= 1.44) and
//! `PLAYWRIGHT_JUNIT_OUTPUT_NAME` (older; an absolute name wins over the
//! config directory there). Playwright reads positional arguments as regexes
//! over file paths, so files are regex-escaped. Its JUnit testcases have
//! `classname` = the file path relative to the test directory and `name` =
//! the `describe` titles and test title joined with `" › "`; no line is
//! recorded, so single tests are selected with `--grep` over the title path
//! (which Playwright matches against project, file, titles and tags joined
//! with spaces) together with their files, and a file's rest leaves them out
//! with `--grep-invert` over the same pattern.
//!
//! Retries of Playwright's own (`retries` in its config) are in the JUnit
//! report as Surefire's `flakyFailure`/`rerunFailure` elements when
//! `PLAYWRIGHT_JUNIT_INCLUDE_RETRIES` is set (Playwright >= 1.59; older
//! ones ignore it and report the last run only), so a test that failed and
//! then passed there is flaky, as it is under pitcrew's own retries.
//!
//! A named project's tests are named `[project] describe › test`
//! (`PLAYWRIGHT_JUNIT_INCLUDE_PROJECT_IN_TEST_NAME`): one test in two
//! projects is two tests, each retried in its own project.
//!
//! A test file that cannot be loaded is in no JUnit testcase, and Playwright
//! then runs no test at all: a reporter of ours (`playwright_errors.cjs`)
//! writes each such error, and the adapter makes it a failed test named by
//! the file ([`Runner::reporter_notes`]). The same reporter names the tests
//! Playwright skipped without running them (a failed setup project or
//! serial-mode test, `--max-failures`), which its JUnit calls skipped
//! ([`Runner::reporter_notes`]): they never ran, and are retried.

use std::path::{Path, PathBuf};

use super::{
    Invocation, JunitSource, NameFilter, ReporterNotes, Runner, RunnerError, Selection, TestRef,
    absolute_junit, dedup, file_or_classname, file_scoped_id, files_and_pattern, finish,
    has_any_option, insert_before_terminator, js_regex_escape, split_base, write_reporter,
};
use crate::suite::junit::{Outcome, TestCase};

/// The Playwright adapter.
pub(super) struct Playwright;

const NAME: &str = "playwright";

const ERRORS_REPORTER: &str = include_str!("playwright_errors.cjs");
const ERRORS_REPORTER_FILE: &str = "pitcrew-playwright-errors.cjs";

/// The failure type of a test file Playwright could not load. Such a file
/// fails the same way on a retry, so it is not retried.
pub const LOAD_ERROR: &str = "load";

impl Runner for Playwright {
    fn name(&self) -> &'static str {
        NAME
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        has_any_option(command, &["-g", "--grep", "--grep-invert", "--last-failed"])
    }

    /// Positional files are unanchored regexes over paths.
    fn file_filters_match_substrings(&self) -> bool {
        true
    }

    /// Serial mode: a failed test skips the rest, and each test may need
    /// the state the ones before it left.
    fn must_run_whole(&self, source: &str) -> Option<&'static str> {
        // `test.describe.serial(…)`, `configure({ mode: 'serial' })` (in any
        // quotes and spacing); not a locator's `'serial'`.
        let squeezed: String = source.split_whitespace().collect();
        let serial = squeezed.contains("describe.serial")
            || ["mode:'serial'", "mode:\"serial\"", "mode:`serial`"]
                .iter()
                .any(|m| squeezed.contains(m));
        serial.then_some("its tests run in serial mode")
    }

    /// `--grep` is unanchored: `b` also runs `a › b` and `b c`; in a
    /// project, `[p] b` also runs `[p] a › b` (see [`grep_pattern`]).
    fn selection_also_runs(&self, selected: &str, other: &str) -> bool {
        // Both are selection names: lowercased already.
        let strip = |name: &str| -> usize { name.find("::").map_or(0, |i| i + 2) };
        let (selected, other) = (&selected[strip(selected)..], &other[strip(other)..]);
        let in_project = match (project_and_title(selected), project_and_title(other)) {
            (Some((p, selected)), Some((q, other))) => p == q && words_within(selected, other),
            _ => false,
        };
        in_project || words_within(selected, other)
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
        // Discovered: the command as it is (a listing that could not load a
        // file plans one such run, which reports the file's error).
        let (files, grep) = match selection {
            Selection::Discovered => (Vec::new(), None),
            _ => files_and_pattern(NAME, selection, file_or_classname, &grep_pattern)?,
        };
        let (junit, junit_text) = absolute_junit(junit_path)?;
        let errors_reporter = write_reporter(&junit, ERRORS_REPORTER_FILE, ERRORS_REPORTER)?;
        let mut ours = vec![format!("--reporter=junit,list,{errors_reporter}")];
        match grep {
            Some(NameFilter::Only(grep)) => ours.push(format!("--grep={grep}")),
            Some(NameFilter::Except(grep)) => ours.push(format!("--grep-invert={grep}")),
            None => {}
        }
        ours.extend(files.iter().map(|f| file_filter(f)));
        let args = insert_before_terminator(args, &["--"], ours);
        let env = vec![
            (
                "PLAYWRIGHT_JUNIT_OUTPUT_FILE".to_owned(),
                junit_text.clone(),
            ),
            ("PLAYWRIGHT_JUNIT_OUTPUT_NAME".to_owned(), junit_text),
            (
                "PLAYWRIGHT_JUNIT_INCLUDE_RETRIES".to_owned(),
                "1".to_owned(),
            ),
            // One test in two projects is two tests: `[chromium] a › b`.
            (
                "PLAYWRIGHT_JUNIT_INCLUDE_PROJECT_IN_TEST_NAME".to_owned(),
                "1".to_owned(),
            ),
            (
                "PITCREW_PLAYWRIGHT_ERRORS".to_owned(),
                super::path_str(&errors_path(&junit))?.to_owned(),
            ),
            (
                "PITCREW_PLAYWRIGHT_EVENTS".to_owned(),
                super::path_str(&events_path(&junit))?.to_owned(),
            ),
        ];
        finish(program, args, env, JunitSource::File(junit))
    }

    /// One read of what `playwright_errors.cjs` wrote: each file Playwright
    /// could not load, as one failed test named by the file (relative to
    /// `dir`), with Playwright's message and code frame; the tests it
    /// skipped without running them; the files of the tests that failed
    /// and of the tests of projects others depend on.
    fn reporter_notes(&self, junit: &Path, dir: &Path) -> ReporterNotes {
        let mut notes = ReporterNotes::default();
        let Ok(text) = std::fs::read_to_string(errors_path(junit)) else {
            return notes;
        };
        let lines = text.lines().filter_map(|line| {
            super::events::from_json_mending::<ErrorsLine>(line.as_bytes()).ok()
        });
        let root = crate::paths::ProjectRoot::new(dir);
        for line in lines {
            match line {
                ErrorsLine::NotRun { not_run } => {
                    notes.not_run.push((not_run.classname, not_run.name));
                }
                ErrorsLine::Failed { failed: test }
                | ErrorsLine::Dependency { dependency: test } => {
                    if let Some(file) = test.file {
                        let file = root.relative(Path::new(&file));
                        notes.own_files.push(((test.classname, test.name), file));
                    }
                }
                ErrorsLine::LoadError(error) => {
                    notes.load_errors.push(load_error_case(error, &root))
                }
            }
        }
        notes
    }

    /// Our reporter's events, written as the tests run (the JUnit report
    /// only at exit).
    fn live_events(&self, junit: &Path) -> Option<PathBuf> {
        Some(events_path(junit))
    }

    /// A project's `dependencies` run before it, whatever files are given.
    fn runs_dependencies(&self) -> bool {
        true
    }

    /// `file::describe › test`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(file_or_classname(test), &test.name)
    }

    /// `--grep` matches the title path with its `›` or with spaces.
    fn selection_name(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(file_or_classname(test), &super::selection_key(&test.name))
    }
}

/// Whether `words` appear in `text` bounded by spaces or its ends.
fn words_within(words: &str, text: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
    })
}

/// A JUnit name's project and title path: `[chromium] a › b` is
/// (`chromium`, `a › b`). Playwright names a named project's tests so under
/// `PLAYWRIGHT_JUNIT_INCLUDE_PROJECT_IN_TEST_NAME`, which keeps one test in
/// two projects two tests. (A title of its own that starts so, in a run
/// with no named project, reads the same: its patterns match either way.)
fn project_and_title(name: &str) -> Option<(&str, &str)> {
    let (project, title) = name.strip_prefix('[')?.split_once("] ")?;
    Some((project, title))
}

/// Where the errors reporter writes, beside the JUnit report.
fn errors_path(junit: &Path) -> PathBuf {
    junit.with_extension("errors.jsonl")
}

/// Where the errors reporter writes its events as the tests run.
fn events_path(junit: &Path) -> PathBuf {
    junit.with_extension("events.jsonl")
}

/// One line of `playwright_errors.cjs`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ErrorsLine {
    /// A test it skipped without running it.
    NotRun {
        #[serde(rename = "notRun")]
        not_run: Named,
    },
    /// A test that failed, with its file.
    Failed { failed: Named },
    /// A test of a project others depend on, with its file.
    Dependency { dependency: Named },
    /// A file it could not load.
    LoadError(LoadError),
}

#[derive(serde::Deserialize)]
struct LoadError {
    file: String,
    line: Option<u32>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: String,
}

/// A test as Playwright's JUnit names it, and its absolute file (for a
/// failed one, and one of a project others depend on).
#[derive(serde::Deserialize)]
struct Named {
    classname: String,
    name: String,
    file: Option<String>,
}

fn load_error_case(error: LoadError, root: &crate::paths::ProjectRoot) -> TestCase {
    let file = root.relative(Path::new(&error.file));
    let message = error.message.lines().next().unwrap_or_default().trim();
    let details = crate::escape::strip_ansi(&error.details).into_owned();
    TestCase {
        line: error.line,
        outcome: Outcome::Failed,
        message: Some(message.to_owned()),
        failure_type: Some(LOAD_ERROR.to_owned()),
        details: (!details.is_empty()).then_some(details),
        ..TestCase::named(Some(file.clone()), String::new(), file)
    }
}

/// A file as a Playwright file filter: an escaped regex. A leading `-`
/// becomes `(?:-)`, so the filter cannot be read as an option.
fn file_filter(file: &str) -> String {
    let escaped = js_regex_escape(file);
    match escaped.strip_prefix('-') {
        Some(rest) => format!("(?:-){rest}"),
        None => escaped,
    }
}

/// ` (?:a|b)(?: |$)`-style: each title path with `" › "` matching a space
/// (or the `›` form), bounded by spaces or the end (tags follow titles).
/// Playwright matches `project file titles…` (1.65 filters each project's
/// suite before it joins the root, so no root's empty title leads; a space
/// may): a test named `[p] a › b` is `p` at the start, then anything (the
/// file), then its titles, so that it runs in no other project.
fn grep_pattern(tests: &[TestRef]) -> String {
    let titles = |name: &str| {
        name.split(" › ")
            .map(js_regex_escape)
            .collect::<Vec<_>>()
            .join("(?: › | )")
    };
    let names = dedup(tests.iter().map(|t| match project_and_title(&t.name) {
        Some((project, title)) => format!(
            "^ ?{} (?:.* )?{}|(?:^| ){}",
            js_regex_escape(project),
            titles(title),
            titles(&t.name)
        ),
        None => format!("(?:^| ){}", titles(&t.name)),
    }));
    format!("(?:{})(?: |$)", names.join("|"))
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, env_of, regex_matches, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("playwright").unwrap()
    }

    #[test]
    fn files_are_escaped_filters() {
        let files = argv(&[
            "tests/login.spec.ts",
            "tests/(auth)/a+b [1].spec.ts",
            "-x.spec.ts",
        ]);
        // Our errors reporter is written beside the report.
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("pw.xml");
        let inv = runner()
            .invocation(
                &argv(&["npx", "playwright", "test", "--project=chromium"]),
                &Selection::Files(&files),
                &junit,
            )
            .unwrap();
        let reporter = dir.path().join(ERRORS_REPORTER_FILE);
        assert_eq!(std::fs::read_to_string(&reporter).unwrap(), ERRORS_REPORTER);
        let junit = junit.to_str().unwrap();
        assert_eq!(inv.program, "npx");
        assert_eq!(
            inv.args,
            argv(&[
                "playwright",
                "test",
                "--project=chromium",
                &format!("--reporter=junit,list,{}", reporter.display()),
                r"tests/login\.spec\.ts",
                r"tests/\(auth\)/a\+b \[1\]\.spec\.ts",
                r"(?:-)x\.spec\.ts",
            ])
        );
        assert_eq!(env_of(&inv, "PLAYWRIGHT_JUNIT_OUTPUT_FILE"), Some(junit));
        assert_eq!(env_of(&inv, "PLAYWRIGHT_JUNIT_OUTPUT_NAME"), Some(junit));
        assert_eq!(env_of(&inv, "PLAYWRIGHT_JUNIT_INCLUDE_RETRIES"), Some("1"));
        let errors = junit.replace(".xml", ".errors.jsonl");
        assert_eq!(
            env_of(&inv, "PITCREW_PLAYWRIGHT_ERRORS"),
            Some(errors.as_str())
        );
        assert!(regex_matches(
            &inv.args[5],
            "/repo/tests/(auth)/a+b [1].spec.ts"
        ));
    }

    #[test]
    fn a_file_that_cannot_load_is_a_failed_test_named_by_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let line = serde_json::json!({
            "file": dir.path().join("tests/b.spec.js"),
            "line": 2,
            "message": "SyntaxError: b.spec.js: Unexpected token (2:44)\nmore",
            "details": "\u{1b}[31m> 2 |\u{1b}[39m test(",
        });
        std::fs::write(errors_path(&junit), format!("{line}\nnot json\n")).unwrap();
        let cases = runner().reporter_notes(&junit, dir.path()).load_errors;
        assert_eq!(cases.len(), 1);
        let case = &cases[0];
        assert_eq!(case.file.as_deref(), Some("tests/b.spec.js"));
        assert_eq!(
            (case.classname.as_str(), case.name.as_str()),
            ("", "tests/b.spec.js")
        );
        assert_eq!(case.outcome, Outcome::Failed);
        assert_eq!(case.line, Some(2));
        assert_eq!(
            case.message.as_deref(),
            Some("SyntaxError: b.spec.js: Unexpected token (2:44)")
        );
        assert_eq!(case.details.as_deref(), Some("> 2 | test("));
        assert_eq!(case.failure_type.as_deref(), Some(LOAD_ERROR));
        // No errors file (an older run, a runner that never started): none.
        let none = runner().reporter_notes(&dir.path().join("x.xml"), dir.path());
        assert!(none.load_errors.is_empty() && none.not_run.is_empty());
    }

    #[test]
    fn a_test_in_a_named_project_is_grepped_in_that_project() {
        let failed = [test_ref(None, "a.spec.ts", "[beta] group › two")];
        let dir = tempfile::tempdir().unwrap();
        let inv = runner()
            .rerun(
                &argv(&["playwright", "test"]),
                &failed,
                &dir.path().join("j.xml"),
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            env_of(&inv, "PLAYWRIGHT_JUNIT_INCLUDE_PROJECT_IN_TEST_NAME"),
            Some("1")
        );
        let grep = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--grep="))
            .unwrap();
        // `.*` is past the tests' small engine: Rust's reads this the same.
        let grep = regex::Regex::new(grep).unwrap();
        for title in [
            "beta a.spec.ts group two",
            " beta a.spec.ts group two",
            "beta sub/a.spec.ts group two @tag",
        ] {
            assert!(grep.is_match(title), "{title}");
        }
        for title in [
            "alpha a.spec.ts group two",
            "beta a.spec.ts group twofold",
            // Another project, whose describe is named like this project.
            "alpha a.spec.ts beta group two",
        ] {
            assert!(!grep.is_match(title), "{title}");
        }
        // What the grep also runs in that project, and only there.
        let also = |a: &str, b: &str| runner().selection_also_runs(a, b);
        assert!(also("f::[beta] two", "f::[beta] group two"));
        assert!(!also("f::[beta] two", "f::[alpha] group two"));
        assert!(also("f::two", "f::[alpha] group two"));
    }

    #[test]
    fn tests_the_reporter_saw_skipped_unrun_or_failed_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let setup = dir.path().join("e2e/global.setup.js");
        let failed = serde_json::json!({"failed": {
            "classname": "global.setup.js", "name": "[setup] prepare", "file": setup,
        }});
        let lines = [
            r#"{"notRun": {"classname": "a.spec.js", "name": "[alpha] one"}}"#.to_owned(),
            r#"{"file": "/x/b.spec.js", "line": 1, "message": "m"}"#.to_owned(),
            failed.to_string(),
            serde_json::json!({"dependency": {
                "classname": "auth.setup.js", "name": "[auth] log in",
                "file": dir.path().join("e2e/auth.setup.js"),
            }})
            .to_string(),
            // A title cut inside a surrogate pair is still read.
            r#"{"notRun": {"classname": "a.spec.js", "name": "cut \ud83d"}}"#.to_owned(),
            "not json".to_owned(),
        ];
        std::fs::write(errors_path(&junit), lines.join("\n")).unwrap();
        let notes = runner().reporter_notes(&junit, dir.path());
        assert_eq!(
            notes.not_run,
            [("a.spec.js", "[alpha] one"), ("a.spec.js", "cut \u{fffd}")]
                .map(|(c, n)| (c.to_owned(), n.to_owned()))
        );
        // The failed test's file and the dependency's, relative to the project.
        assert_eq!(
            notes.own_files,
            [
                (
                    ("global.setup.js", "[setup] prepare"),
                    "e2e/global.setup.js"
                ),
                (("auth.setup.js", "[auth] log in"), "e2e/auth.setup.js"),
            ]
            .map(|((c, n), f)| ((c.to_owned(), n.to_owned()), f.to_owned()))
        );
        // The load error is still read, and is no test that did not run.
        assert_eq!(notes.load_errors.len(), 1);
    }

    #[test]
    fn rerun_greps_title_paths() {
        let failed = [
            test_ref(None, "login.spec.ts", "auth › logs in (fast)"),
            test_ref(None, "other.spec.ts", "a.b? [c]"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let inv = runner()
            .rerun(&argv(&["playwright", "test"]), &failed, &junit)
            .unwrap()
            .unwrap();
        let grep = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--grep="))
            .unwrap();
        assert_eq!(
            grep,
            r"(?:(?:^| )auth(?: › | )logs in \(fast\)|(?:^| )a\.b\? \[c\])(?: |$)"
        );
        // What Playwright matches: project, file, titles (and tags), spaced.
        for title in [
            " chromium login.spec.ts auth logs in (fast)",
            " chromium login.spec.ts auth logs in (fast) @slow",
            "  other.spec.ts a.b? [c]",
        ] {
            assert!(regex_matches(grep, title), "{title}");
        }
        for title in [
            " chromium login.spec.ts auth logs in (fast)er",
            " x a.bx [c]",
        ] {
            assert!(!regex_matches(grep, title), "{title}");
        }
        assert_eq!(
            &inv.args[inv.args.len() - 2..],
            &argv(&[r"login\.spec\.ts", r"other\.spec\.ts"])[..]
        );
        assert_eq!(
            runner().test_id(&failed[0]),
            Some("login.spec.ts::auth › logs in (fast)".to_owned())
        );
    }
}
