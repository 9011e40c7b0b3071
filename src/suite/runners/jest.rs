//! Jest with the `jest-junit` reporter.
//!
//! Plain positional arguments are regexes to Jest, so files are passed with
//! `--runTestsByPath` (exact paths). The report comes from
//! `--reporters=default --reporters=jest-junit`, configured through
//! jest-junit's environment variables (which take precedence over its
//! `package.json` and reporter options): the output path, a `file` attribute
//! on each testcase, `classname` = the enclosing `describe` titles and
//! `name` = the test's own title, joined with a single space as Jest does for
//! `--testNamePattern`. Single tests are selected with an anchored, escaped
//! alternation of full names in `--testNamePattern` (matched
//! case-insensitively by Jest, so it can select a superset, never a subset);
//! a file's rest leaves them out with a negative lookahead over the same
//! pattern (which, case-insensitive too, may leave out more: the executor
//! keeps whatever the tests' own run selects beyond its tests).

use std::path::Path;

use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit, dedup,
    file_attribute, file_scoped_id, files_and_pattern, finish, insert_before_terminator,
    js_regex_escape, path_arg, rerun_unless_unlocatable, split_base,
};

/// The Jest adapter.
pub(super) struct Jest;

const NAME: &str = "jest";

impl Runner for Jest {
    fn name(&self) -> &'static str {
        NAME
    }

    fn selects_tests(&self) -> bool {
        true
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
        let (files, pattern) = files_and_pattern(NAME, selection, file_attribute, name_pattern)?;
        let (junit, junit_text) = absolute_junit(junit_path)?;
        let mut ours = vec![
            "--ci".to_owned(),
            "--reporters=default".to_owned(),
            "--reporters=jest-junit".to_owned(),
        ];
        if let Some(filter) = pattern {
            ours.push(format!("--testNamePattern={}", filter.js_regex()));
        }
        // Last before the paths, so nothing can read a path as its value.
        ours.push("--runTestsByPath".to_owned());
        ours.extend(files.iter().map(|f| path_arg(f)));
        let args = insert_before_terminator(args, &["--"], ours);

        let dir = junit
            .parent()
            .and_then(Path::to_str)
            .unwrap_or("/")
            .to_owned();
        let file_name = junit
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("junit.xml")
            .to_owned();
        let env = vec![
            // jest-junit >= 12.1 reads the full path; older ones the pair below.
            ("JEST_JUNIT_OUTPUT_FILE".to_owned(), junit_text),
            ("JEST_JUNIT_OUTPUT_DIR".to_owned(), dir),
            ("JEST_JUNIT_OUTPUT_NAME".to_owned(), file_name),
            (
                "JEST_JUNIT_ADD_FILE_ATTRIBUTE".to_owned(),
                "true".to_owned(),
            ),
            ("JEST_JUNIT_CLASSNAME".to_owned(), "{classname}".to_owned()),
            ("JEST_JUNIT_TITLE".to_owned(), "{title}".to_owned()),
            ("JEST_JUNIT_ANCESTOR_SEPARATOR".to_owned(), " ".to_owned()),
        ];
        finish(program, args, env, JunitSource::File(junit))
    }

    fn rerun(
        &self,
        base: &[String],
        failed: &[TestRef],
        junit_path: &Path,
    ) -> Option<Result<Invocation, RunnerError>> {
        rerun_unless_unlocatable(self.invocation(base, &Selection::Tests(failed), junit_path))
    }

    /// `file::full name` (the `describe` titles and the test title).
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(test.file.as_deref(), &full_name(test))
    }
}

/// The name Jest matches `--testNamePattern` against: the `describe` titles
/// and the test title, joined with spaces.
fn full_name(test: &TestRef) -> String {
    if test.classname.is_empty() {
        test.name.clone()
    } else {
        format!("{} {}", test.classname, test.name)
    }
}

/// `^(?:a|b)$` over the escaped full names.
fn name_pattern(tests: &[TestRef]) -> String {
    let names = dedup(tests.iter().map(|t| js_regex_escape(&full_name(t))));
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
    fn files_run_by_path_with_jest_junit() {
        let files = argv(&["src/a.test.js", "src/(group)/b [1].test.ts"]);
        let inv = runner()
            .invocation(
                &argv(&["npx", "jest", "--silent"]),
                &Selection::Files(&files),
                Path::new("/tmp/r/junit.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "npx");
        assert_eq!(
            inv.args,
            argv(&[
                "jest",
                "--silent",
                "--ci",
                "--reporters=default",
                "--reporters=jest-junit",
                "--runTestsByPath",
                "src/a.test.js",
                "src/(group)/b [1].test.ts",
            ])
        );
        assert_eq!(
            env_of(&inv, "JEST_JUNIT_OUTPUT_FILE"),
            Some("/tmp/r/junit.xml")
        );
        assert_eq!(env_of(&inv, "JEST_JUNIT_OUTPUT_DIR"), Some("/tmp/r"));
        assert_eq!(env_of(&inv, "JEST_JUNIT_OUTPUT_NAME"), Some("junit.xml"));
        assert_eq!(env_of(&inv, "JEST_JUNIT_ADD_FILE_ATTRIBUTE"), Some("true"));
        assert_eq!(env_of(&inv, "JEST_JUNIT_CLASSNAME"), Some("{classname}"));
        assert_eq!(env_of(&inv, "JEST_JUNIT_TITLE"), Some("{title}"));
        assert_eq!(env_of(&inv, "JEST_JUNIT_ANCESTOR_SEPARATOR"), Some(" "));
        assert_eq!(inv.junit, JunitSource::File("/tmp/r/junit.xml".into()));
    }

    #[test]
    fn rerun_selects_failed_tests_by_escaped_full_name() {
        let failed = [
            test_ref(Some("src/a.test.js"), "math (basic)", "adds 1 + 2 = 3?"),
            test_ref(Some("src/a.test.js"), "", "top-level [x] $5 ^ \\ {y} | z"),
            test_ref(Some("src/b.test.js"), "ünïcode \"quoted\"", "it's fine"),
            // Duplicate: deduplicated in both files and pattern.
            test_ref(Some("src/a.test.js"), "math (basic)", "adds 1 + 2 = 3?"),
        ];
        let inv = runner()
            .rerun(&argv(&["jest"]), &failed, Path::new("/j.xml"))
            .unwrap()
            .unwrap();
        let pattern = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--testNamePattern="))
            .unwrap();
        assert_eq!(
            pattern,
            r#"^(?:math \(basic\) adds 1 \+ 2 = 3\?|top-level \[x\] \$5 \^ \\ \{y\} \| z|ünïcode "quoted" it's fine)$"#
        );
        for name in [
            "math (basic) adds 1 + 2 = 3?",
            "top-level [x] $5 ^ \\ {y} | z",
            "ünïcode \"quoted\" it's fine",
        ] {
            assert!(regex_matches(pattern, name), "{name}");
        }
        for other in [
            "math (basic) adds 1 + 2 = 3? more",
            "top-level",
            "adds 1 + 2 = 3?",
        ] {
            assert!(!regex_matches(pattern, other), "{other}");
        }
        let tail: Vec<&str> = inv.args.iter().rev().take(3).map(String::as_str).collect();
        assert_eq!(tail, ["src/b.test.js", "src/a.test.js", "--runTestsByPath"]);
    }

    #[test]
    fn tests_need_files() {
        let err = runner()
            .invocation(
                &argv(&["jest"]),
                &Selection::Tests(&[test_ref(None, "suite", "t")]),
                Path::new("/j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }), "{err}");
        // A re-run that cannot locate a failure leaves it to the caller.
        let failed = [test_ref(None, "suite", "t")];
        assert!(
            runner()
                .rerun(&argv(&["jest"]), &failed, Path::new("/j.xml"))
                .is_none()
        );
    }

    #[test]
    fn test_ids() {
        assert_eq!(
            runner().test_id(&test_ref(Some("a.test.js"), "outer inner", "works")),
            Some("a.test.js::outer inner works".to_owned())
        );
        assert_eq!(runner().test_id(&test_ref(None, "outer", "works")), None);
    }
}
