//! cargo-nextest, with JUnit enabled through a generated tool config file.
//!
//! nextest writes JUnit only for a profile with a `[profile.<name>.junit]`
//! `path`, and has no command-line flag for it. The adapter writes a tool
//! config file next to the report (`<junit>.nextest.toml`) defining a
//! `pitcrew` profile with `fail-fast = false` and the report's absolute path,
//! and passes it with `--tool-config-file pitcrew:<file> --profile pitcrew`.
//! Tool config files rank below the repository's `.config/nextest.toml`, so
//! the user's settings still apply: the `pitcrew` profile inherits the
//! `default` profile, or the profile the command selected with
//! `--profile`/`-P` (which the adapter replaces with its own, as nextest
//! accepts only one, and names in `inherits`).
//!
//! Items are binary ids (the `<testsuite>` name and testcase `classname` in
//! nextest's JUnit); tests are `binary_id(=…) & test(=…)` filtersets. All of
//! them go into one `-E` expression, with the values escaped for the
//! filterset string syntax.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{
    Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, absolute_junit, argv, dedup,
    finish, insert_before_terminator, split_base,
};
use crate::suite::junit::{Outcome, TestCase};

/// The cargo-nextest adapter.
pub(super) struct Nextest;

const NAME: &str = "nextest";

/// The profile (and tool name) the generated config defines.
const PROFILE: &str = "pitcrew";

impl Runner for Nextest {
    fn name(&self) -> &'static str {
        NAME
    }

    /// A filterset of the user's (`-E 'not test(slow)'`), or test-name
    /// filters after `--`, which nextest hands its test binaries.
    fn narrows_tests(&self, command: &[String]) -> bool {
        super::has_any_option(command, &["-E", "--filterset", "--filter-expr"])
            || command
                .iter()
                .skip_while(|word| *word != "--")
                .nth(1)
                .is_some()
    }

    /// On SIGTERM nextest stops the running tests and still writes its
    /// JUnit: the finished tests, and each stopped one as a `test abort`
    /// failure "process aborted with signal 15 (SIGTERM)" (nextest 0.9).
    fn reports_when_stopped(&self) -> bool {
        true
    }

    fn was_stopped(&self, case: &TestCase) -> bool {
        case.outcome == Outcome::Failed
            && case.failure_type.as_deref() == Some("test abort")
            && case
                .message
                .as_deref()
                .is_some_and(|m| m.contains("SIGTERM"))
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, args) = split_base(base)?;
        let filterset = match selection {
            Selection::Files(binaries) => dedup(
                binaries
                    .iter()
                    .map(|b| format!("binary_id(={})", filterset_string(b))),
            ),
            Selection::Tests(tests) => dedup(tests.iter().map(test_filter)),
            Selection::FileExcept { .. } => {
                return Err(RunnerError::ExclusionUnsupported { runner: NAME });
            }
            // What the user's command selects: the whole run, planned
            // when the listing could not build the tests (a compile error,
            // which the run then reports as failed builds).
            Selection::Discovered => Vec::new(),
        }
        .join(" | ");
        let discovered = matches!(selection, Selection::Discovered);
        if filterset.is_empty() && !discovered {
            return Err(RunnerError::EmptySelection { runner: NAME });
        }
        let (junit, junit_text) = absolute_junit(junit_path)?;
        let (args, user_profile) = take_profile(args);
        // nextest runs the union of its `-E` filtersets: the user's beside
        // ours ran every test of the shard's binaries and every test of the
        // user's set, in every shard. Ours must narrow theirs.
        let (args, users) = take_filtersets(&args);
        let args = without_fail_fast(&args);
        let filterset = match (users.is_empty(), discovered) {
            (true, _) => filterset,
            (false, true) => format!("({})", users.join(") | (")),
            (false, false) => format!("(({})) & ({filterset})", users.join(") | (")),
        };

        let config_path = config_path(&junit);
        let config_text = config_path
            .to_str()
            .ok_or_else(|| RunnerError::NonUtf8Path {
                path: config_path.clone(),
            })?
            .to_owned();
        // Ignored tests are skipped tests, as nextest counts them; nextest
        // writes them only when asked. Not for a selection of tests: those
        // of a binary split over shards would be written by every shard.
        let skipped = matches!(selection, Selection::Files(_));
        write_config(&config_path, &junit_text, user_profile.as_deref(), skipped)?;

        let mut ours = vec![
            "--no-fail-fast".to_owned(),
            "--profile".to_owned(),
            PROFILE.to_owned(),
            "--tool-config-file".to_owned(),
            format!("{PROFILE}:{config_text}"),
        ];
        if !filterset.is_empty() {
            ours.extend(["-E".to_owned(), filterset]);
        }
        let args = insert_before_terminator(&args, &["--"], ours);
        finish(program, args, Vec::new(), JunitSource::File(junit))
    }

    /// `target/nextest/<profile>/<junit.path>`, from `.config/nextest.toml`.
    fn configured_junit(&self, command: &[String], dir: &Path) -> Option<PathBuf> {
        super::nextest_junit::configured(command, dir)
    }

    /// A build that failed: one errored case per crate that did not
    /// compile, with rustc's words.
    fn build_failures(&self, stderr_tail: &str) -> Option<Vec<TestCase>> {
        super::rustc::build_failures(stderr_tail)
    }

    /// `binary_id test_name`, as nextest itself prints a test.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        if test.classname.is_empty() {
            Some(test.name.clone())
        } else {
            Some(format!("{} {}", test.classname, test.name))
        }
    }
}

/// The filterset for one test: its binary (when known) and exact name.
fn test_filter(test: &TestRef) -> String {
    let name = filterset_string(&test.name);
    if test.classname.is_empty() {
        format!("test(={name})")
    } else {
        format!(
            "(binary_id(={}) & test(={name}))",
            filterset_string(&test.classname)
        )
    }
}

/// Escapes a value for a filterset name matcher: `\`, `)`, `,` and `/` are
/// backslash-escaped (the escapes nextest defines) and control characters
/// become `\n`, `\r`, `\t` or `\u{…}`.
fn filterset_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ')' => out.push_str("\\)"),
            ',' => out.push_str("\\,"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The arguments without a `--profile`/`-P` option (before any `--`), and
/// the profile it named (the last, as nextest takes).
pub(super) fn take_profile(args: &[String]) -> (Vec<String>, Option<String>) {
    let (args, mut profiles) = argv::take_option(args, &["--profile"], "-P");
    (args, profiles.pop())
}

/// The arguments without the user's fail-fast choice: every test of a
/// shard runs under pitcrew's `--no-fail-fast` (a stop after the first
/// failure would leave the rest unrun, and a retry of the failure alone
/// would never run them), and nextest refuses a second `--no-fail-fast`
/// or one beside `--max-fail` (`cargo nextest run --no-fail-fast`, a
/// common CI spelling, ran nothing), under any of their names.
fn without_fail_fast(args: &[String]) -> Vec<String> {
    let (args, _) = argv::take_option(args, &["--max-fail"], "");
    argv::without_flags(&args, FAIL_FAST_FLAGS)
}

/// nextest's fail-fast flags, each under both its names: `run` takes them,
/// `list` refuses them.
const FAIL_FAST_FLAGS: &[&str] = &["--fail-fast", "--ff", "--no-fail-fast", "--nff"];

/// The arguments without the user's filtersets (`-E`, `--filterset`, or
/// the older `--filter-expr`, before any `--`), and the filtersets.
fn take_filtersets(args: &[String]) -> (Vec<String>, Vec<String>) {
    argv::take_option(args, &["--filterset", "--filter-expr"], "-E")
}

/// Options of `cargo nextest run` that `cargo nextest list` refuses (nextest
/// 0.9.143's two `--help`s compared), with a value…
const RUN_ONLY_WITH_VALUE: &[(&[&str], &str)] = &[
    (&["--test-threads"], "-j"),
    (&["--rerun"], "-R"),
    (&["--retries"], ""),
    (&["--max-fail"], ""),
    (&["--no-tests"], ""),
    (&["--flaky-result"], ""),
    (&["--failure-output"], ""),
    (&["--success-output"], ""),
    (&["--status-level"], ""),
    (&["--final-status-level"], ""),
    (&["--max-progress-running"], ""),
    (&["--stress-count"], ""),
    (&["--stress-duration"], ""),
    (&["--debugger"], ""),
    (&["--tracer"], ""),
    // `run`'s formats (libtest-json) are not `list`'s; the listing sets its own.
    (&["--message-format"], ""),
    (&["--message-format-version"], ""),
];

/// …and without one ([`FAIL_FAST_FLAGS`] too).
const RUN_ONLY_FLAGS: &[&str] = &[
    "--no-capture",
    "--nocapture",
    "--no-run",
    "--hide-progress-bar",
    "--no-input-handler",
    "--no-output-indent",
];

/// The arguments of `cargo nextest run` that `cargo nextest list` takes
/// too: the build, the filters and the profile, without what only running
/// needs (`--retries 2` made the listing fail, exit 2).
pub fn listing_args(args: &[String]) -> Vec<String> {
    let mut args = args.to_vec();
    for (long, short) in RUN_ONLY_WITH_VALUE {
        args = argv::take_option(&args, long, short).0;
    }
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut index = 0;
    args.retain(|arg| {
        index += 1;
        index > end
            || !(RUN_ONLY_FLAGS.contains(&arg.as_str()) || FAIL_FAST_FLAGS.contains(&arg.as_str()))
    });
    args
}

/// `<junit file>.nextest.toml`, next to the report.
fn config_path(junit: &Path) -> PathBuf {
    let mut name = junit
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".nextest.toml");
    junit.with_file_name(name)
}

fn write_config(
    path: &Path,
    junit: &str,
    inherits: Option<&str>,
    skipped: bool,
) -> Result<(), RunnerError> {
    let text = config_toml(junit, inherits, skipped);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            RunnerError::io(format!("cannot create the directory {}", dir.display()), e)
        })?;
    }
    std::fs::write(path, text).map_err(|e| {
        RunnerError::io(
            format!("cannot write the nextest config {}", path.display()),
            e,
        )
    })
}

/// The tool config: a `pitcrew` profile writing JUnit to `junit`, with the
/// tests nextest skipped for their ignore status when `skipped` (nextest
/// 0.9.143 has it; older ones warn of an unknown key and go on).
fn config_toml(junit: &str, inherits: Option<&str>, skipped: bool) -> String {
    let mut text =
        String::from("# Written by pitcrew for one run: a profile that records a JUnit report.\n");
    let inherits = inherits.filter(|p| *p != "default" && *p != PROFILE);
    if let Some(parent) = inherits {
        // Declared here too so that `inherits` resolves within this file;
        // the repository's settings for it still apply on top.
        let _ = writeln!(text, "[profile.{}]\n", toml_string(parent));
    }
    let _ = writeln!(text, "[profile.{PROFILE}]");
    if let Some(parent) = inherits {
        let _ = writeln!(text, "inherits = {}", toml_string(parent));
    }
    text.push_str("fail-fast = false\n\n");
    let _ = writeln!(text, "[profile.{PROFILE}.junit]");
    let _ = writeln!(text, "path = {}", toml_string(junit));
    if skipped {
        text.push_str("report-skipped = \"ignored\"\n");
    }
    text
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("nextest").unwrap()
    }

    #[test]
    fn the_users_filtersets_are_narrowed_by_the_shards_not_added_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let binaries = argv(&["a", "b"]);
        let inv = runner()
            .invocation(
                &argv(&[
                    "cargo",
                    "nextest",
                    "run",
                    "-E",
                    "test(unit)",
                    "--filterset=package(x)",
                    "-Ekind(lib)",
                    "--",
                    "-E",
                ]),
                &Selection::Files(&binaries),
                &dir.path().join("junit.xml"),
            )
            .unwrap();
        let sets: Vec<&String> = inv
            .args
            .iter()
            .enumerate()
            .filter(|(i, _)| *i > 0 && inv.args[i - 1] == "-E")
            .map(|(_, a)| a)
            .collect();
        // One `-E` of ours before `--`; the `-E` after `--` is the test
        // binaries' and stays as it was.
        assert_eq!(
            sets[0],
            "((test(unit)) | (package(x)) | (kind(lib))) & (binary_id(=a) | binary_id(=b))"
        );
        assert_eq!(
            inv.args.iter().filter(|a| *a == "-E").count(),
            2,
            "{:?}",
            inv.args
        );
        assert_eq!(inv.args.last().unwrap(), "-E");
        assert!(!inv.args.iter().any(|a| a.contains("--filterset")));
    }

    #[test]
    fn the_users_fail_fast_choice_gives_way_to_one_no_fail_fast() {
        let dir = tempfile::tempdir().unwrap();
        let binaries = argv(&["a"]);
        for words in [
            &["--no-fail-fast"][..],
            &["--fail-fast"],
            &["--max-fail", "2"],
            &["--max-fail=1:immediate", "--no-fail-fast"],
            &["--nff"],
            &["--ff", "--nff"],
        ] {
            let mut command = argv(&["cargo", "nextest", "run"]);
            command.extend(argv(words));
            command.extend(argv(&["--", "--max-fail"]));
            let inv = runner()
                .invocation(
                    &command,
                    &Selection::Files(&binaries),
                    &dir.path().join("junit.xml"),
                )
                .unwrap();
            let before: Vec<&String> = inv.args.iter().take_while(|a| *a != "--").collect();
            assert_eq!(
                before.iter().filter(|a| a.contains("fail")).count(),
                1,
                "{words:?}: {:?}",
                inv.args
            );
            assert!(before.iter().any(|a| *a == "--no-fail-fast"));
            // After `--`, the test binaries' words are theirs.
            assert_eq!(inv.args.last().unwrap(), "--max-fail", "{words:?}");
        }
    }

    #[test]
    fn binaries_with_generated_profile() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("reports dir/junit.xml");
        let binaries = argv(&["my-crate", "my-crate::integ"]);
        let inv = runner()
            .invocation(
                &argv(&["cargo", "nextest", "run", "--workspace", "--", "--ignored"]),
                &Selection::Files(&binaries),
                &junit,
            )
            .unwrap();
        let config = dir.path().join("reports dir/junit.xml.nextest.toml");
        assert_eq!(inv.program, "cargo");
        assert_eq!(
            inv.args,
            argv(&[
                "nextest",
                "run",
                "--workspace",
                "--no-fail-fast",
                "--profile",
                "pitcrew",
                "--tool-config-file",
                &format!("pitcrew:{}", config.display()),
                "-E",
                "binary_id(=my-crate) | binary_id(=my-crate::integ)",
                "--",
                "--ignored",
            ])
        );
        assert_eq!(inv.junit, JunitSource::File(junit.clone()));
        let toml = std::fs::read_to_string(&config).unwrap();
        assert_eq!(
            toml,
            format!(
                "# Written by pitcrew for one run: a profile that records a JUnit report.\n\
                 [profile.pitcrew]\nfail-fast = false\n\n[profile.pitcrew.junit]\npath = \"{}\"\n\
                 report-skipped = \"ignored\"\n",
                junit.display()
            )
        );
        // A selection of tests never asks: a binary split over shards
        // would have its ignored tests written by each of them.
        let tests = [test_ref(None, "my-crate", "t")];
        runner()
            .invocation(
                &argv(&["cargo", "nextest", "run"]),
                &Selection::Tests(&tests),
                &junit,
            )
            .unwrap();
        let toml = std::fs::read_to_string(&config).unwrap();
        assert!(!toml.contains("report-skipped"), "{toml}");
    }

    #[test]
    fn user_profile_is_inherited() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let tests = [test_ref(None, "c", "t")];
        for (base, inherited) in [
            (
                argv(&["cargo", "nextest", "run", "--profile", "ci"]),
                Some("ci"),
            ),
            (
                argv(&["cargo", "nextest", "run", "--profile=ci"]),
                Some("ci"),
            ),
            (argv(&["cargo", "nextest", "run", "-P", "ci"]), Some("ci")),
            (argv(&["cargo", "nextest", "run", "-Pci"]), Some("ci")),
            (argv(&["cargo", "nextest", "run", "-P", "default"]), None),
            (
                argv(&["cargo", "nextest", "run", "--", "--profile", "x"]),
                None,
            ),
        ] {
            let inv = runner()
                .invocation(&base, &Selection::Tests(&tests), &junit)
                .unwrap();
            let profiles = inv
                .args
                .iter()
                .filter(|a| a.starts_with("--profile") || a.starts_with("-P"))
                .count();
            assert_eq!(
                profiles,
                1 + usize::from(base.contains(&"--".to_owned())),
                "{base:?}"
            );
            let toml = std::fs::read_to_string(dir.path().join("j.xml.nextest.toml")).unwrap();
            match inherited {
                Some(parent) => {
                    assert!(
                        toml.contains(&format!("[profile.\"{parent}\"]\n")),
                        "{toml}"
                    );
                    assert!(
                        toml.contains(&format!("inherits = \"{parent}\"\n")),
                        "{toml}"
                    );
                }
                None => assert!(!toml.contains("inherits"), "{toml}"),
            }
        }
    }

    #[test]
    fn tests_are_exact_escaped_filters() {
        let dir = tempfile::tempdir().unwrap();
        let failed = [
            test_ref(None, "my-crate", "tests::it_works"),
            test_ref(None, "my-crate::data", "data/case (1), \"x\"\\y\tz"),
            test_ref(None, "", "bare"),
        ];
        let inv = runner()
            .rerun(
                &argv(&["cargo", "nextest", "run"]),
                &failed,
                &dir.path().join("j.xml"),
            )
            .unwrap()
            .unwrap();
        let at = inv.args.iter().position(|a| a == "-E").unwrap();
        assert_eq!(
            inv.args[at + 1],
            r#"(binary_id(=my-crate) & test(=tests::it_works)) | (binary_id(=my-crate::data) & test(=data\/case (1\)\, "x"\\y\tz)) | test(=bare)"#
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(toml_string("x\ny\u{1}"), "\"x\\ny\\u0001\"");
        assert_eq!(filterset_string("a\u{7}b"), "a\\u{7}b");
    }

    #[test]
    fn test_ids_are_nextest_style() {
        assert_eq!(
            runner().test_id(&test_ref(None, "my-crate::integ", "suite::case")),
            Some("my-crate::integ suite::case".to_owned())
        );
    }

    #[test]
    fn empty_selection_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = runner()
            .invocation(
                &argv(&["cargo", "nextest", "run"]),
                &Selection::Files(&[]),
                &dir.path().join("j.xml"),
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::EmptySelection { .. }));
        assert!(!dir.path().join("j.xml.nextest.toml").exists());
    }
}
