//! Any other command, through placeholders.
//!
//! The base command must contain a `{files}` argument, replaced by the items
//! as separate arguments, and may contain `{junit}` anywhere inside its
//! arguments (e.g. `--report={junit}`), replaced by the absolute report path.
//! `PITCREW_JUNIT` is set to the same path in any case, so a command without
//! `{junit}` must write its report there. Single tests cannot be selected and
//! failures cannot be re-run on their own.

use std::path::Path;

use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit,
    create_parent_dir, finish, split_base,
};

/// The placeholder for the items.
pub(super) const FILES: &str = "{files}";

/// The placeholder for the report path.
pub(super) const JUNIT: &str = "{junit}";

/// The environment variable holding the report path.
pub const JUNIT_ENV: &str = "PITCREW_JUNIT";

/// The placeholder-based adapter.
pub(super) struct Generic;

const NAME: &str = "generic";

impl Runner for Generic {
    fn name(&self) -> &'static str {
        NAME
    }

    fn selects_tests(&self) -> bool {
        false
    }

    /// jasmine-reporters names no file, xmlrunner names unittest's loader
    /// for a module that cannot be imported.
    fn report_may_misname_files(&self) -> bool {
        true
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, args) = split_base(base)?;
        let files = match selection {
            Selection::Files(files) => *files,
            Selection::Tests(_) | Selection::FileExcept { .. } => {
                return Err(RunnerError::TestsUnsupported { runner: NAME });
            }
            Selection::Discovered => {
                return Err(RunnerError::DiscoveryUnsupported { runner: NAME });
            }
        };
        if program.contains(FILES) {
            return Err(RunnerError::FilesPlaceholderNotAlone {
                arg: program.to_owned(),
            });
        }
        if !args.iter().any(|arg| arg == FILES) {
            return Err(match args.iter().find(|arg| arg.contains(FILES)) {
                Some(arg) => RunnerError::FilesPlaceholderNotAlone { arg: arg.clone() },
                None => RunnerError::MissingFilesPlaceholder,
            });
        }
        if files.is_empty() {
            return Err(RunnerError::EmptySelection { runner: NAME });
        }
        let (junit, junit_text) = absolute_junit(junit_path)?;
        create_parent_dir(&junit)?;
        let mut out = Vec::with_capacity(args.len() + files.len());
        for arg in args {
            if arg == FILES {
                out.extend(files.iter().cloned());
            } else if arg.contains(FILES) {
                return Err(RunnerError::FilesPlaceholderNotAlone { arg: arg.clone() });
            } else {
                out.push(arg.replace(JUNIT, &junit_text));
            }
        }
        let program = program.replace(JUNIT, &junit_text);
        let env = vec![(JUNIT_ENV.to_owned(), junit_text)];
        finish(&program, out, env, JunitSource::File(junit))
    }

    fn test_id(&self, _test: &TestRef) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, env_of, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("generic").unwrap()
    }

    #[test]
    fn placeholders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("out/j.xml");
        let path = junit.display().to_string();
        let files = argv(&["a b.t", "-c.t", "d'\"$(rm -rf).t"]);
        let inv = runner()
            .invocation(
                &argv(&[
                    "./run.sh",
                    "--out={junit}",
                    "--",
                    "{files}",
                    "--also",
                    "{junit}",
                ]),
                &Selection::Files(&files),
                &junit,
            )
            .unwrap();
        assert!(dir.path().join("out").is_dir());
        assert_eq!(inv.program, "./run.sh");
        assert_eq!(
            inv.args,
            argv(&[
                &format!("--out={path}"),
                "--",
                "a b.t",
                "-c.t",
                "d'\"$(rm -rf).t",
                "--also",
                &path,
            ])
        );
        assert_eq!(env_of(&inv, "PITCREW_JUNIT"), Some(path.as_str()));
        assert_eq!(inv.junit, JunitSource::File(junit));
    }

    #[test]
    fn without_junit_placeholder_the_env_carries_the_path() {
        let files = argv(&["x"]);
        let inv = runner()
            .invocation(
                &argv(&["make", "test", "{files}"]),
                &Selection::Files(&files),
                Path::new("/j.xml"),
            )
            .unwrap();
        assert_eq!(inv.args, argv(&["test", "x"]));
        assert_eq!(env_of(&inv, "PITCREW_JUNIT"), Some("/j.xml"));
    }

    #[test]
    fn errors() {
        let files = argv(&["x"]);
        let junit = Path::new("/j.xml");
        let err = runner()
            .invocation(&argv(&["make", "test"]), &Selection::Files(&files), junit)
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFilesPlaceholder), "{err}");
        let err = runner()
            .invocation(
                &argv(&["run", "--files={files}"]),
                &Selection::Files(&files),
                junit,
            )
            .unwrap_err();
        assert!(
            matches!(err, RunnerError::FilesPlaceholderNotAlone { .. }),
            "{err}"
        );
        let err = runner()
            .invocation(
                &argv(&["run", "{files}", "x{files}"]),
                &Selection::Files(&files),
                junit,
            )
            .unwrap_err();
        assert!(
            matches!(err, RunnerError::FilesPlaceholderNotAlone { .. }),
            "{err}"
        );
        let tests = [test_ref(Some("x"), "c", "n")];
        let err = runner()
            .invocation(&argv(&["run", "{files}"]), &Selection::Tests(&tests), junit)
            .unwrap_err();
        assert!(matches!(err, RunnerError::TestsUnsupported { .. }), "{err}");
        assert!(
            runner()
                .rerun(&argv(&["run", "{files}"]), &tests, junit)
                .is_none()
        );
        assert!(runner().test_id(&tests[0]).is_none());
        assert!(!runner().selects_tests());
    }
}
