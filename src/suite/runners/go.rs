//! `go test`, with `-json` output converted to JUnit by
//! [`go_json_to_junit`](super::go_json_to_junit).
//!
//! Items are packages (`./pkg/...` or import paths). In the converted report
//! a testcase's `classname` is its package's import path and its `name` the
//! test's (`TestA`, or `TestA/sub` for a subtest), which is what single-test
//! selection reads back: one `-run` expression with a top-level `|`
//! alternative per test, each a `/`-separated sequence of anchored, escaped
//! name elements (`^TestA$/^sub$`), over the tests' packages. Go splits
//! `-run` at unbracketed `|` and `/` into such alternatives and elements
//! (Go 1.16+ for the `|`).

use std::collections::HashSet;
use std::path::Path;

use super::go_args;
use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, dedup, finish,
    has_any_option, split_base,
};

/// The `go test` adapter.
pub(super) struct Go;

const NAME: &str = "go";

impl Runner for Go {
    fn name(&self) -> &'static str {
        NAME
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        has_any_option(command, &["-run", "--run", "-skip", "--skip"])
    }

    /// `TestB/b1` (and `TestB/b1/x`) of the package's `TestB`: `-run ^TestB$`
    /// runs them all.
    fn runs_inside(&self, test: &TestRef, case: &crate::suite::junit::TestCase) -> bool {
        case.classname == test.classname
            && case
                .name
                .strip_prefix(test.name.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// A test whose message is a panic's first line and whose output has
    /// the goroutine dump go prints under it: the test binary ended there.
    /// A test's own output line that starts with `panic: ` (a log line, a
    /// helper process's stderr) is no panic.
    fn died_in(&self, case: &crate::suite::junit::TestCase) -> bool {
        case.message
            .as_deref()
            .is_some_and(|m| m.starts_with("panic: "))
            && case
                .details
                .as_deref()
                .is_some_and(|d| d.contains("goroutine ") && d.contains(" [running]:"))
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, args) = split_base(base)?;
        let (packages, run) = match selection {
            Selection::Files(packages) => (packages.to_vec(), None),
            Selection::Tests(tests) => (test_packages(tests)?, Some(run_pattern(tests))),
            // `-skip` exists (Go 1.20), but a split-out test's subtests are
            // cases of their own that a test item would have to claim.
            Selection::FileExcept { .. } => {
                return Err(RunnerError::ExclusionUnsupported { runner: NAME });
            }
            Selection::Discovered => {
                return Err(RunnerError::DiscoveryUnsupported { runner: NAME });
            }
        };
        if packages.is_empty() {
            return Err(RunnerError::EmptySelection { runner: NAME });
        }
        // The shard's packages replace the user's: beside them, every
        // shard ran all of the user's (each test once per shard).
        let (before, mut test_args) = go_args::after_test(args);
        let mut ours = vec!["-json".to_owned()];
        if let Some(run) = run {
            let user = test_args.flag_value("run");
            ours.push(format!("-run={}", with_user_subtests(run, user.as_deref())));
        }
        let mut words = before.to_vec();
        // Every process writes its own part of the coverage profile, which
        // the run merges (see go_cover).
        if let Some(profile) = test_args.flag_value("coverprofile") {
            let part = super::go_cover::part_of(&profile, junit_path);
            test_args.set_flag_value("coverprofile", &part);
        }
        words.extend(test_args.with_packages(ours, packages));
        finish(program, words, Vec::new(), JunitSource::ConvertGoJson)
    }

    /// `package::TestName` (subtests as `TestName/sub`).
    fn test_id(&self, test: &TestRef) -> Option<String> {
        package_of(test).map(|pkg| format!("{pkg}::{}", test.name))
    }
}

/// A test's package: the classname (import path), else the file field.
fn package_of(test: &TestRef) -> Option<&str> {
    Some(test.classname.as_str())
        .filter(|c| !c.is_empty())
        .or(test.file.as_deref().filter(|f| !f.is_empty()))
}

fn test_packages(tests: &[TestRef]) -> Result<Vec<String>, RunnerError> {
    let mut packages = Vec::with_capacity(tests.len());
    for test in tests {
        let pkg = package_of(test).ok_or_else(|| RunnerError::MissingFile {
            runner: NAME,
            test: test.name.clone(),
        })?;
        packages.push(pkg.to_owned());
    }
    Ok(dedup(packages))
}

/// The `-run` expression selecting exactly `tests` (and their subtests).
///
/// A test whose subtests are also listed is left out: running the subtest
/// runs its parent's body anyway, and naming the parent alone would run all
/// of its subtests. Tests of one package are not told apart from same-named
/// tests of another package in the same run.
fn run_pattern(tests: &[TestRef]) -> String {
    let names: Vec<&str> = dedup(tests.iter().map(|t| t.name.as_str()));
    let parents: HashSet<&str> = names
        .iter()
        .flat_map(|name| name.match_indices('/').map(move |(at, _)| &name[..at]))
        .collect();
    names
        .iter()
        .filter(|name| !parents.contains(*name))
        .map(|name| {
            name.split('/')
                .map(|element| format!("^{}$", quote_meta(element)))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// `run`, pitcrew's pattern of top-level tests, followed by the subtest
/// levels of the user's `-run` (`^(TestA|TestB)$/^one$` selects only
/// subtest `one`), which the re-run's own `-run` replaces: without them a
/// re-run of `TestB` ran, and failed for, subtests the user's run never
/// runs. Unchanged where `run` names subtests itself.
fn with_user_subtests(run: String, user: Option<&str>) -> String {
    let Some(levels) = user.and_then(subtest_levels) else {
        return run;
    };
    if run.contains('/') {
        return run;
    }
    format!("{run}/{levels}")
}

/// What follows the first `/` of a `-run` pattern that `go test` splits
/// into levels there (not inside `[…]` or `(…)`, as go's own split).
fn subtest_levels(pattern: &str) -> Option<&str> {
    let (mut brackets, mut parens, mut escaped) = (false, 0u32, false);
    for (at, c) in pattern.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => brackets = true,
            ']' => brackets = false,
            '(' if !brackets => parens += 1,
            ')' if !brackets => parens = parens.saturating_sub(1),
            '/' if !brackets && parens == 0 => return Some(&pattern[at + 1..]),
            _ => {}
        }
    }
    None
}

/// Go's `regexp.QuoteMeta`: escapes `\.+*?()|[]{}^$`.
fn quote_meta(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, regex_matches, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("go").unwrap()
    }

    /// A panic is its line and go's goroutine dump; a test's own line
    /// that starts with `panic: ` is not one (the review of stop 53).
    #[test]
    fn a_panic_is_the_line_and_the_goroutine_dump() {
        let case = |message: &str, details: &str| crate::suite::junit::TestCase {
            message: Some(message.to_owned()),
            details: Some(details.to_owned()),
            ..crate::suite::junit::TestCase::named(None, "example.com/g".into(), "TestA".into())
        };
        let panic = "panic: boom\n\ngoroutine 7 [running]:\ntesting.tRunner.func1.2()";
        assert!(runner().died_in(&case("panic: boom", panic)));
        let logged = "panic: not really, just a log line\n    a_test.go:9: flaky";
        assert!(!runner().died_in(&case("panic: not really, just a log line", logged)));
    }

    /// A re-run keeps the subtest levels of the user's `-run`.
    #[test]
    fn a_rerun_keeps_the_subtests_the_user_selects() {
        let tests = [test_ref(None, "example.com/m/p", "TestSub")];
        let base = argv(&["go", "test", "-run", "^(TestFirst|TestSub)$/^s1$", "./p/"]);
        let inv = runner()
            .invocation(&base, &Selection::Tests(&tests), Path::new("/tmp/j.xml"))
            .unwrap();
        let run = inv
            .args
            .iter()
            .rev()
            .find(|a| a.starts_with("-run="))
            .unwrap();
        assert_eq!(run, "-run=^TestSub$/^s1$", "{:?}", inv.args);
        assert_eq!(subtest_levels("^(A|B/x)$"), None);
        assert_eq!(subtest_levels("[/]A"), None);
        assert_eq!(subtest_levels("A/B/C"), Some("B/C"));
        assert_eq!(subtest_levels("A\\/B"), None);
        // Where pitcrew names subtests itself, its pattern stands.
        assert_eq!(
            with_user_subtests("^T$/^x$".to_owned(), Some("T/y")),
            "^T$/^x$"
        );
    }

    #[test]
    fn packages_with_json() {
        let packages = argv(&["./pkg/a/...", "example.com/m/b"]);
        let inv = runner()
            .invocation(
                &argv(&[
                    "go", "test", "-race", "./...", "-count", "1", "-args", "-flag",
                ]),
                &Selection::Files(&packages),
                Path::new("/unused.xml"),
            )
            .unwrap();
        assert_eq!(inv.program, "go");
        assert_eq!(
            inv.args,
            argv(&[
                "test",
                "-race",
                "-count",
                "1",
                "-json",
                "./pkg/a/...",
                "example.com/m/b",
                "-args",
                "-flag",
            ]),
            "the user's `./...` is replaced by the shard's packages"
        );
        assert_eq!(inv.junit, JunitSource::ConvertGoJson);
    }

    #[test]
    fn rerun_builds_one_alternation_of_name_paths() {
        let failed = [
            test_ref(None, "example.com/m/a", "TestA"),
            test_ref(None, "example.com/m/a", "TestA/sub_one"),
            test_ref(None, "example.com/m/a", "TestA/sub.two(x)"),
            test_ref(None, "example.com/m/b", "TestB"),
            test_ref(None, "example.com/m/b", "TestC/deep/er"),
            test_ref(None, "example.com/m/b", "TestC/deep"),
            test_ref(None, "example.com/m/b", "TestC"),
            test_ref(None, "example.com/m/b", "TestB"),
        ];
        let inv = runner()
            .rerun(&argv(&["go", "test"]), &failed, Path::new("/unused.xml"))
            .unwrap()
            .unwrap();
        assert_eq!(
            inv.args,
            argv(&[
                "test",
                "-json",
                r"-run=^TestA$/^sub_one$|^TestA$/^sub\.two\(x\)$|^TestB$|^TestC$/^deep$/^er$",
                "example.com/m/a",
                "example.com/m/b",
            ])
        );
    }

    #[test]
    fn pattern_elements_match_like_go_does() {
        // Go matches each `/` element of a test name against the element of
        // the same position in each `|` alternative.
        let pattern = run_pattern(&[
            test_ref(None, "p", "TestX/a|b [c]"),
            test_ref(None, "p", "TestY"),
        ]);
        assert_eq!(pattern, r"^TestX$/^a\|b \[c\]$|^TestY$");
        let element = r"^a\|b \[c\]$";
        assert!(regex_matches(element, "a|b [c]"));
        assert!(!regex_matches(element, "a"));
    }

    #[test]
    fn tests_need_packages_and_ids_name_them() {
        let err = runner()
            .invocation(
                &argv(&["go", "test"]),
                &Selection::Tests(&[test_ref(None, "", "TestA")]),
                Path::new("/j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }));
        let failed = [test_ref(None, "", "TestA")];
        assert!(
            runner()
                .rerun(&argv(&["go", "test"]), &failed, Path::new("/j.xml"))
                .is_none()
        );
        assert_eq!(
            runner().test_id(&test_ref(None, "example.com/m/a", "TestA/sub")),
            Some("example.com/m/a::TestA/sub".to_owned())
        );
        assert_eq!(runner().test_id(&test_ref(None, "", "TestA")), None);
    }
}
