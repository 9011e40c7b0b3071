//! Vitest with its built-in JUnit reporter.
//!
//! `vitest run --reporter=default --reporter=junit --outputFile.junit=PATH`
//! plus the files as filters (the `run` subcommand is added after the
//! `vitest` word unless a subcommand is already there). Vitest's JUnit
//! testcases have `classname` = the file path (relative to the project
//! root) and `name` = the suite titles and test title joined with `" > "`.
//! Single tests are selected with `--testNamePattern`, which Vitest matches
//! against the full name: joined with `" > "` since Vitest 5 and with a space
//! before, so the pattern accepts either separator. A file's rest leaves
//! tests out with a negative lookahead over the same pattern.

use std::path::Path;

use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit, dedup,
    detect, file_or_classname, file_scoped_id, files_and_pattern, finish, insert_before_terminator,
    js_regex_escape, path_arg, rerun_unless_unlocatable, split_base,
};

/// The Vitest adapter.
pub(super) struct Vitest;

const NAME: &str = "vitest";

/// Vitest's subcommands; without one, `run` is added.
const SUBCOMMANDS: &[&str] = &["run", "watch", "dev", "related", "bench", "list", "init"];

impl Runner for Vitest {
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
        let (program, _) = split_base(base)?;
        let (files, pattern) = files_and_pattern(NAME, selection, file_or_classname, name_pattern)?;
        let (junit, junit_text) = absolute_junit(junit_path)?;

        // Add `run` right after the `vitest` word (a subcommand must be the
        // first positional) unless one is there already.
        let mut words = base.to_vec();
        if let Some(found) = detect::locate(base).filter(|f| f.kind == detect::Kind::Vitest) {
            let next = base.get(found.index + 1).map(String::as_str);
            if !next.is_some_and(|n| SUBCOMMANDS.contains(&n)) {
                words.insert(found.index + 1, "run".to_owned());
            }
        }
        let mut ours = vec![
            "--reporter=default".to_owned(),
            "--reporter=junit".to_owned(),
            format!("--outputFile.junit={junit_text}"),
        ];
        if let Some(filter) = pattern {
            ours.push(format!("--testNamePattern={}", filter.js_regex()));
        }
        ours.extend(files.iter().map(|f| path_arg(f)));
        let args = insert_before_terminator(&words[1..], &["--"], ours);
        finish(program, args, Vec::new(), JunitSource::File(junit))
    }

    fn rerun(
        &self,
        base: &[String],
        failed: &[TestRef],
        junit_path: &Path,
    ) -> Option<Result<Invocation, RunnerError>> {
        rerun_unless_unlocatable(self.invocation(base, &Selection::Tests(failed), junit_path))
    }

    /// `file::suite > test`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(file_or_classname(test), &test.name)
    }
}

/// `(?:^| )(?:a|b)$`, where each name's `" > "` separators match either
/// `" > "` or `" "`. Unanchored at the start (beyond a word boundary) in case
/// a Vitest version prefixes the full name.
fn name_pattern(tests: &[TestRef]) -> String {
    let names = dedup(tests.iter().map(|t| {
        t.name
            .split(" > ")
            .map(js_regex_escape)
            .collect::<Vec<_>>()
            .join("(?: > | )")
    }));
    format!("(?:^| )(?:{})$", names.join("|"))
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, regex_matches, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("vitest").unwrap()
    }

    #[test]
    fn run_is_added_after_the_vitest_word() {
        let files = argv(&["src/a.test.ts"]);
        let cases = [
            (argv(&["npx", "vitest"]), argv(&["vitest", "run"])),
            (argv(&["npx", "vitest", "run"]), argv(&["vitest", "run"])),
            (argv(&["vitest", "--silent"]), argv(&["run", "--silent"])),
            (
                argv(&["pnpm", "exec", "vitest", "watch"]),
                argv(&["exec", "vitest", "watch"]),
            ),
        ];
        for (base, head) in cases {
            let inv = runner()
                .invocation(&base, &Selection::Files(&files), Path::new("/r/j.xml"))
                .unwrap();
            assert_eq!(inv.program, base[0]);
            assert_eq!(&inv.args[..head.len()], &head[..], "{base:?}");
            assert_eq!(
                &inv.args[head.len()..],
                &argv(&[
                    "--reporter=default",
                    "--reporter=junit",
                    "--outputFile.junit=/r/j.xml",
                    "src/a.test.ts",
                ])[..],
                "{base:?}"
            );
            assert_eq!(inv.junit, JunitSource::File("/r/j.xml".into()));
        }
    }

    #[test]
    fn rerun_uses_files_and_an_escaped_pattern() {
        let failed = [
            test_ref(None, "src/a.test.ts", "math > adds (1 + 2)"),
            test_ref(Some("src/b.test.ts"), "src/b.test.ts", "top [x] | y*"),
        ];
        let inv = runner()
            .rerun(&argv(&["vitest", "run"]), &failed, Path::new("/j.xml"))
            .unwrap()
            .unwrap();
        let pattern = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--testNamePattern="))
            .unwrap();
        assert_eq!(
            pattern,
            r"(?:^| )(?:math(?: > | )adds \(1 \+ 2\)|top \[x\] \| y\*)$"
        );
        for full in ["math > adds (1 + 2)", "math adds (1 + 2)", "top [x] | y*"] {
            assert!(regex_matches(pattern, full), "{full}");
        }
        for other in ["math > adds (1 + 2) again", "xmath adds (1 + 2)", "top"] {
            assert!(!regex_matches(pattern, other), "{other}");
        }
        assert_eq!(
            &inv.args[inv.args.len() - 2..],
            &argv(&["src/a.test.ts", "src/b.test.ts"])[..]
        );
        let err = runner()
            .invocation(
                &argv(&["vitest"]),
                &Selection::Tests(&[test_ref(None, "", "t")]),
                Path::new("/j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }));
    }

    #[test]
    fn test_ids_fall_back_to_the_classname_path() {
        assert_eq!(
            runner().test_id(&test_ref(None, "src/a.test.ts", "math > adds")),
            Some("src/a.test.ts::math > adds".to_owned())
        );
        assert_eq!(runner().test_id(&test_ref(None, "", "x")), None);
    }
}
