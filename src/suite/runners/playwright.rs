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

use std::path::Path;

use super::{
    Invocation, JunitSource, NameFilter, Runner, RunnerError, Selection, TestRef, absolute_junit,
    dedup, file_or_classname, file_scoped_id, files_and_pattern, finish, insert_before_terminator,
    js_regex_escape, split_base,
};

/// The Playwright adapter.
pub(super) struct Playwright;

const NAME: &str = "playwright";

impl Runner for Playwright {
    fn name(&self) -> &'static str {
        NAME
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
        let (files, grep) = files_and_pattern(NAME, selection, file_or_classname, grep_pattern)?;
        let (junit, junit_text) = absolute_junit(junit_path)?;
        let mut ours = vec!["--reporter=junit,list".to_owned()];
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
        ];
        finish(program, args, env, JunitSource::File(junit))
    }

    /// `file::describe › test`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(file_or_classname(test), &test.name)
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
fn grep_pattern(tests: &[TestRef]) -> String {
    let names = dedup(tests.iter().map(|t| {
        t.name
            .split(" › ")
            .map(js_regex_escape)
            .collect::<Vec<_>>()
            .join("(?: › | )")
    }));
    format!("(?:^| )(?:{})(?: |$)", names.join("|"))
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
        let inv = runner()
            .invocation(
                &argv(&["npx", "playwright", "test", "--project=chromium"]),
                &Selection::Files(&files),
                Path::new("/r/pw.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "npx");
        assert_eq!(
            inv.args,
            argv(&[
                "playwright",
                "test",
                "--project=chromium",
                "--reporter=junit,list",
                r"tests/login\.spec\.ts",
                r"tests/\(auth\)/a\+b \[1\]\.spec\.ts",
                r"(?:-)x\.spec\.ts",
            ])
        );
        assert_eq!(
            env_of(&inv, "PLAYWRIGHT_JUNIT_OUTPUT_FILE"),
            Some("/r/pw.xml")
        );
        assert_eq!(
            env_of(&inv, "PLAYWRIGHT_JUNIT_OUTPUT_NAME"),
            Some("/r/pw.xml")
        );
        assert!(regex_matches(
            &inv.args[5],
            "/repo/tests/(auth)/a+b [1].spec.ts"
        ));
    }

    #[test]
    fn rerun_greps_title_paths() {
        let failed = [
            test_ref(None, "login.spec.ts", "auth › logs in (fast)"),
            test_ref(None, "other.spec.ts", "a.b? [c]"),
        ];
        let inv = runner()
            .rerun(&argv(&["playwright", "test"]), &failed, Path::new("/j.xml"))
            .unwrap()
            .unwrap();
        let grep = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--grep="))
            .unwrap();
        assert_eq!(
            grep,
            r"(?:^| )(?:auth(?: › | )logs in \(fast\)|a\.b\? \[c\])(?: |$)"
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
