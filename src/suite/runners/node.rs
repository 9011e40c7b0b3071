//! Node's built-in test runner (`node --test`).
//!
//! Two reporters: pitcrew's own (`node_reporter.mjs`, written next to the
//! report path) to the events file, and `spec` to standard output, each
//! with its own `--test-reporter-destination`. Node stops reading its
//! options at the first file, so they go right after node's own options
//! and the files last.
//!
//! Node's JUnit reporter is not used: it writes `classname="test"` for every
//! testcase, no file and no describe path, and turns tabs in names into
//! spaces, so distinct tests would look like retries of one. Ours writes
//! each test's file, describe path (the `classname`, joined with ` > `) and
//! exact name, as the tests run ([`super::events`]), so a shard's files run
//! in one process with node's own concurrency and every result is still
//! attributed to its file.
//!
//! A synchronous hang (`while (true) {}`) stops a test file's process
//! before it has sent its results to the reporter, so each such process
//! also loads `node_trace.cjs`, which writes every test's start and result
//! to a file of its own as it happens; pitcrew reads it only when it killed
//! the runner at the timeout.
//!
//! Single tests are selected with `--test-name-pattern`, which Node
//! matches against a test's own name and (since Node 22) also against its
//! ancestors' names and its own joined with spaces; suites whose
//! descendants match run too. Same-named tests in other describe blocks may
//! run along; the caller keeps only the results it asked for.

use std::collections::BTreeSet;
use std::path::Path;

use super::events::Names;
use crate::paths::normalise;

use super::argv;
use super::{
    AfterHang, Invocation, JunitSource, NameFilter, Runner, RunnerError, Selection,
    TRACE_EXTENSION, TestRef, absolute_junit, dedup, detect, events_path, file_attribute,
    file_scoped_id, files_and_pattern, finish, has_any_option, js_regex_escape, path_arg,
    path_name, sets_option, split_base, trace_path, write_reporter,
};

/// The `node --test` adapter.
pub(super) struct Node;

const NAME: &str = "node";

/// The failure type our node and vitest reporters give a test file that
/// failed outside its tests (it did not load, or an error no test caught,
/// such as a rejection after a test ended): a re-run of some of its tests
/// would not run what failed, so such a failure is not retried.
pub const FILE_FAILED: &str = "file failed outside its tests";

/// The reporter's source and the file name it is written under (node
/// resolves a reporter given as a path from the working directory, so it
/// is passed absolute).
const REPORTER: &str = include_str!("node_reporter.mjs");
const REPORTER_FILE: &str = "pitcrew-node-reporter.mjs";

/// The module each test file's process loads first (`--require`: why, see
/// `node_trace.cjs`), and where it writes.
const TRACE: &str = include_str!("node_trace.cjs");
const TRACE_FILE: &str = "pitcrew-node-trace.cjs";

/// Where each test runs in its file's tree, which the reporter and the
/// trace both load from beside them.
const TREE: &str = include_str!("node_tree.cjs");
const TREE_FILE: &str = "pitcrew-node-tree.cjs";
const TRACE_ENV: &str = "PITCREW_NODE_TRACE";
/// Tells pitcrew's reporter that node runs the files in one process (test
/// isolation off).
const ONE_PROCESS_ENV: &str = "PITCREW_NODE_ONE_PROCESS";

/// Node's options that turn a process per test file off (`none`).
const ISOLATION: &[&str] = &["--test-isolation", "--experimental-test-isolation"];

/// A word of node's options as node reads it: `--test_isolation` is
/// `--test-isolation`, and a value in quotes (`NODE_OPTIONS` keeps them) is
/// the value.
fn node_spelling(word: &str) -> String {
    let unquote = |value: &str| value.trim_matches(|c| c == '"' || c == '\'').to_owned();
    match word.strip_prefix("--") {
        Some(option) => match option.split_once('=') {
            Some((name, value)) => format!("--{}={}", name.replace('_', "-"), unquote(value)),
            None => format!("--{}", option.replace('_', "-")),
        },
        None => unquote(word),
    }
}

/// The configuration file node reads (`--experimental-config-file=F`, or
/// `node.config.json` under `--experimental-default-config-file`).
fn config_file(words: &[String]) -> Option<std::path::PathBuf> {
    let named = argv::option_values(words, &["--experimental-config-file"]).pop();
    let default = words
        .iter()
        .any(|w| w == "--experimental-default-config-file");
    named
        .or_else(|| default.then(|| "node.config.json".to_owned()))
        .map(std::path::PathBuf::from)
}

/// Whether `command` turns node's test isolation off
/// (`--test-isolation=none`, `--experimental-test-isolation` before Node
/// 24) among node's own options, in `NODE_OPTIONS`, or in the
/// configuration file node is told to read (Node 24's
/// `--experimental-config-file`, `{"test": {"test-isolation": "none"}}`);
/// as node reads them: `_` for `-` in a name, a value in quotes.
fn isolation_off(command: &[String]) -> bool {
    // Words after the test files, or after `--`, are the tests' own.
    let own = match detect::locate(command).filter(|f| f.kind == detect::Kind::Node) {
        Some(found) => &command[..detect::node_options_end(command, found.index)],
        None => command,
    };
    // Node reads `NODE_OPTIONS` first and its own options after, which
    // win; a `NODE_OPTIONS=` of the command replaces the inherited one.
    let options = own
        .iter()
        .rev()
        .find_map(|word| word.strip_prefix("NODE_OPTIONS=").map(str::to_owned))
        .unwrap_or_else(|| std::env::var("NODE_OPTIONS").unwrap_or_default());
    let words: Vec<String> = options
        .split_whitespace()
        .map(str::to_owned)
        .chain(
            own.iter()
                .filter(|word| !word.starts_with("NODE_OPTIONS="))
                .cloned(),
        )
        .map(|word| node_spelling(&word))
        .collect();
    let isolation = match argv::option_values(&words, ISOLATION).pop() {
        Some(value) => Some(value),
        None => config_file(&words).and_then(|file| isolation_in(&file)),
    };
    isolation.as_deref() == Some("none")
}

/// `test.test-isolation` in a node configuration file, if it reads.
fn isolation_in(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let config: serde_json::Value = serde_json::from_str(&text).ok()?;
    config
        .get("test")?
        .get("test-isolation")?
        .as_str()
        .map(str::to_owned)
}

/// How many test files node runs at once.
const CONCURRENCY: &str = "--test-concurrency";

impl Runner for Node {
    fn name(&self) -> &'static str {
        NAME
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        has_any_option(
            command,
            &["--test-name-pattern", "--test-skip-pattern", "--test-only"],
        )
    }

    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError> {
        let (program, _) = split_base(base)?;
        let (junit, _) = absolute_junit(junit_path)?;
        let earlier = match selection {
            Selection::Tests(_) | Selection::FileExcept { .. } => {
                junit.parent().map(Earlier::read).unwrap_or_default()
            }
            _ => Earlier::default(),
        };
        let pattern_of = |tests: &[TestRef]| name_pattern(tests, &earlier.suites);
        let (files, pattern) = files_and_pattern(NAME, selection, file_attribute, &pattern_of)?;
        // What hung before in these files stays out of a re-run where node
        // can leave it out (a retry of `beta > same` runs every test named
        // `same`, and a hung `alpha > same` would hang again).
        let hung = match earlier.skips {
            true => earlier.skippable_hung(&files),
            false => Vec::new(),
        };
        write_reporter(&junit, TREE_FILE, TREE)?;
        let reporter = write_reporter(&junit, REPORTER_FILE, REPORTER)?;
        let events = events_path(&junit);
        let trace = write_reporter(&junit, TRACE_FILE, TRACE)?;
        let mut env = vec![(
            TRACE_ENV.to_owned(),
            super::path_str(&trace_path(&events))?.to_owned(),
        )];
        // One process runs every file: each test's file is where node says
        // it was declared, not a block of events per file.
        if isolation_off(base) {
            env.push((ONE_PROCESS_ENV.to_owned(), "1".to_owned()));
        }
        let mut options = vec![
            format!("--require={trace}"),
            format!("--test-reporter={reporter}"),
            format!("--test-reporter-destination={}", super::path_str(&events)?),
            "--test-reporter=spec".to_owned(),
            "--test-reporter-destination=stdout".to_owned(),
        ];
        match pattern {
            Some(NameFilter::Only(pattern)) => {
                options.push(format!("--test-name-pattern={pattern}"));
                if !hung.is_empty() {
                    options.push(format!("--test-skip-pattern={}", full_name_pattern(&hung)));
                }
            }
            // The rest of a file where a test hung: node leaves out only
            // the tests that hung, by their full names; the others it
            // reported run again, and the caller keeps only what it had
            // no result for ([`Runner::after_hang`] says when). Node
            // matches a skip pattern against a test's own name and its
            // blocks' too, so a list of every test reported would also
            // leave out a same-named test in another block, unseen.
            Some(NameFilter::Except(_)) if !hung.is_empty() => {
                options.push(format!("--test-skip-pattern={}", full_name_pattern(&hung)));
            }
            // Node 20 runs every test of a suite whose own name matches, and
            // a negative pattern matches nearly every suite.
            Some(NameFilter::Except(_)) => {
                return Err(RunnerError::ExclusionUnsupported { runner: NAME });
            }
            None => {}
        }
        // Options go where node's own options end; files go last.
        let node_at = detect::locate(base)
            .filter(|f| f.kind == detect::Kind::Node)
            .map(|f| f.index);
        let at = detect::node_options_end(base, node_at.unwrap_or(0));
        let mut words = Vec::with_capacity(base.len() + options.len() + files.len());
        words.extend_from_slice(&base[..at]);
        words.extend(options);
        // After `node [options] --test`, every word is a test file, folder
        // or glob of the user's: they scoped the listing, and the shard's
        // files take their place (kept, node would run all of them in every
        // shard). Behind a command pitcrew cannot read, they stay.
        if node_at.is_none() {
            words.extend_from_slice(&base[at..]);
        }
        words.extend(files.iter().map(|f| path_arg(f)));
        finish(
            program,
            words.split_off(1),
            env,
            JunitSource::Events(events),
        )
    }

    /// Node 22 and later run a hung file again without its hung tests
    /// when every one of them is inside a block (see
    /// [`Earlier::skippable_hung`]); a test that hung at the top level
    /// holds up only top-level entries, which node named when the file
    /// loaded, and those run again by name.
    fn after_hang(&self, scratch: &Path) -> AfterHang {
        let earlier = Earlier::read(scratch);
        let nested = earlier
            .hung
            .iter()
            .all(|(_, classname, _)| !classname.is_empty());
        match (earlier.skips, nested) {
            (true, true) => AfterHang::RunsTheRest,
            (true, false) => AfterHang::NamesThem,
            (false, _) => AfterHang::MissesTheBlock,
        }
    }

    /// Test isolation off ([`isolation_off`]).
    fn retry_misleads(&self, command: &[String]) -> Option<&'static str> {
        isolation_off(command).then_some(
            "node runs the files with test isolation off in one process, whose state a test \
             retried alone would not share",
        )
    }

    /// The trace the test files' processes wrote beside the events.
    fn live_events(&self, events: &Path) -> Option<std::path::PathBuf> {
        Some(trace_path(events))
    }

    /// `node_trace.cjs` writes how each file's process ended.
    fn traces_file_exits(&self) -> bool {
        true
    }

    /// `--test-concurrency=N` where node's own options end (Node ≥ 20.10).
    fn with_workers(&self, base: &[String], workers: usize) -> Option<Vec<String>> {
        let node_at = detect::locate(base)
            .filter(|f| f.kind == detect::Kind::Node)?
            .index;
        let at = detect::node_options_end(base, node_at);
        if sets_option(&base[node_at + 1..at], CONCURRENCY) || workers == 0 {
            return None;
        }
        let mut words = base.to_vec();
        words.insert(at, format!("{CONCURRENCY}={workers}"));
        Some(words)
    }

    /// Needs every failed test's file; None otherwise (node's own report
    /// never names it, so the caller must fill it in).
    /// `file::describe > path > name`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(test.file.as_deref(), &path_name(test))
    }
}

/// What the shard's earlier runs' traces say: they sit beside the events
/// of those runs, in the folder of this run's `junit`.
#[derive(Default)]
struct Earlier {
    /// Entries that started as suites (`kind`), by file, path and name.
    suites: BTreeSet<Names>,
    /// Tests (or suites, where a hook hung) still running when the runner
    /// was killed: the ones that hung.
    hung: BTreeSet<Names>,
    /// The node that ran them can leave single tests out by name.
    skips: bool,
}

impl Earlier {
    /// The tests that hung in `files` that node can leave out of a run by
    /// full name without leaving out another: those inside a block. (Node
    /// matches a skip pattern against a test's own name too, and a
    /// top-level test's full name is its own name: `^(?:same)$` would also
    /// skip `beta > same`.)
    fn skippable_hung(&self, files: &[String]) -> Vec<TestRef> {
        self.hung
            .iter()
            .filter(|(file, classname, _)| {
                !classname.is_empty()
                    && file
                        .as_deref()
                        .is_some_and(|f| files.iter().any(|g| normalise(g) == normalise(f)))
            })
            .map(|(file, classname, name)| TestRef {
                file: file.clone(),
                classname: classname.clone(),
                name: name.clone(),
            })
            .collect()
    }

    fn read(dir: &Path) -> Earlier {
        let mut earlier = Earlier::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return earlier;
        };
        let suffix = format!(".{TRACE_EXTENSION}");
        let traces = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.to_str().is_some_and(|p| p.ends_with(&suffix)))
            .filter_map(|path| super::events::read(&path).ok());
        for trace in traces {
            earlier.suites.extend(trace.suites);
            earlier.skips |= trace.skips_by_name;
            earlier.hung.extend(
                trace
                    .running
                    .into_iter()
                    .map(|c| (c.file, c.classname, c.name)),
            );
        }
        earlier
    }
}

/// `^(?:a b c|…)$`: each test by its full name, its describe blocks' and
/// its own names joined with spaces, as Node 22 matches a name pattern
/// against it. The blocks are read back from the describe path, joined
/// with ` > `, so a block whose own name holds ` > ` reads as two: either
/// joint is accepted. No test of a block has a full name its own name
/// alone matches (see [`Earlier::skippable_hung`]).
fn full_name_pattern(tests: &[TestRef]) -> String {
    let names = dedup(tests.iter().map(|t| {
        super::events::ancestors(&t.classname)
            .map(|(_, block)| name_regex(block))
            .chain(std::iter::once(name_regex(&t.name)))
            .collect::<Vec<_>>()
            .join("(?: | > )")
    }));
    format!("^(?:{})$", names.join("|"))
}

/// `(?:^| )(?:a|b)$`: a name on its own, or at the end of its ancestors'.
///
/// The names of the test's ancestors are alternatives too: Node 20 matches
/// a test's own name only, and a subtest (`t.test` inside a test) runs only
/// when its parent runs, so without them a flaky subtest was never retried.
/// Not the ancestors in `suites`: node runs every test of a suite whose
/// name matches (a test that hung there would run, and hang, again), and a
/// suite's tests are matched by their own names anyway.
fn name_pattern(tests: &[TestRef], suites: &BTreeSet<Names>) -> String {
    let names = dedup(tests.iter().flat_map(|t| {
        super::events::ancestors(&t.classname)
            .filter(|(parent, name)| {
                !suites.contains(&(t.file.clone(), parent.clone(), (*name).to_owned()))
            })
            .map(|(_, name)| name)
            .chain(std::iter::once(t.name.as_str()))
            .map(name_regex)
            .collect::<Vec<_>>()
    }));
    format!("(?:^| )(?:{})$", names.join("|"))
}

/// An escaped name. Node's JUnit reporter escapes `"` in attributes twice
/// (`&amp;quot;`), so a name read back from its report has `&quot;` where the
/// test has `"`; both are accepted there.
fn name_regex(name: &str) -> String {
    name.split("&quot;")
        .map(js_regex_escape)
        .collect::<Vec<_>>()
        .join("(?:\"|&quot;)")
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, regex_matches, test_ref};
    use super::*;

    fn runner() -> &'static dyn Runner {
        by_name("node").unwrap()
    }

    #[test]
    fn the_pool_is_set_where_nodes_options_end_unless_the_user_set_it() {
        let pooled = |base: &[&str]| runner().with_workers(&argv(base), 3);
        assert_eq!(
            pooled(&["node", "--import", "tsx", "--test", "test/a.test.js"]),
            Some(argv(&[
                "node",
                "--import",
                "tsx",
                "--test",
                "--test-concurrency=3",
                "test/a.test.js"
            ]))
        );
        assert_eq!(
            pooled(&["env", "A=1", "node", "--test"]),
            Some(argv(&[
                "env",
                "A=1",
                "node",
                "--test",
                "--test-concurrency=3"
            ]))
        );
        for set in [
            &["node", "--test", "--test-concurrency=1"][..],
            &[
                "node",
                "--test-concurrency",
                "1",
                "--test",
                "test/a.test.js",
            ],
        ] {
            assert_eq!(pooled(set), None, "{set:?}");
        }
        // A file named like the option is not the option.
        assert!(pooled(&["node", "--test", "--test-concurrency-x"]).is_some());
        assert_eq!(pooled(&["npm", "test"]), None);
        assert_eq!(runner().with_workers(&argv(&["node", "--test"]), 0), None);
    }

    #[test]
    fn isolation_off_makes_a_retry_mislead() {
        let on = [
            &["node", "--test", "--test-isolation=none"][..],
            &["node", "--test-isolation", "none", "--test"],
            &[
                "node",
                "--experimental-test-isolation=none",
                "--test",
                "test/",
            ],
            &[
                "env",
                "NODE_OPTIONS=--test-isolation=none",
                "node",
                "--test",
            ],
            &["node", "--test", "--test_isolation=none"],
            &["node", "--experimental_test_isolation=none", "--test"],
            &[
                "env",
                "NODE_OPTIONS=--test-isolation=\"none\"",
                "node",
                "--test",
            ],
        ];
        for command in on {
            assert!(
                runner().retry_misleads(&argv(command)).is_some(),
                "{command:?}"
            );
        }
        let off = [
            &["node", "--test"][..],
            &["node", "--test", "--test-isolation=process"],
            &[
                "node",
                "--test-isolation=none",
                "--test-isolation=process",
                "--test",
            ],
            // After the files node ignores it: the tests' own argument.
            &["node", "--test", "a.test.js", "--test-isolation=none"],
            // Node's own option wins over NODE_OPTIONS.
            &[
                "env",
                "NODE_OPTIONS=--test-isolation=none",
                "node",
                "--test-isolation=process",
                "--test",
            ],
        ];
        for command in off {
            assert!(
                runner().retry_misleads(&argv(command)).is_none(),
                "{command:?}"
            );
        }
        // Node 24's configuration file, unless an option overrides it.
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("node.config.json");
        std::fs::write(&config, r#"{"test": {"test-isolation": "none"}}"#).unwrap();
        let named = format!("--experimental-config-file={}", config.display());
        let command = argv(&["node", named.as_str(), "--test"]);
        assert!(runner().retry_misleads(&command).is_some());
        let command = argv(&["node", named.as_str(), "--test-isolation=process", "--test"]);
        assert!(runner().retry_misleads(&command).is_none());
    }

    #[test]
    fn a_separate_concurrency_value_is_not_taken_for_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let files = argv(&["test/a.test.js"]);
        let inv = runner()
            .invocation(
                &argv(&["node", "--test-concurrency", "2", "--test"]),
                &Selection::Files(&files),
                &dir.path().join("node.xml"),
            )
            .unwrap();
        assert_eq!(
            &inv.args[..3],
            &argv(&["--test-concurrency", "2", "--test"])[..]
        );
    }

    #[test]
    fn options_go_before_files() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("reports/node.xml");
        let files = argv(&["test/a.test.mjs", "test/b c.test.js"]);
        let inv = runner()
            .invocation(
                &argv(&["node", "--import", "tsx", "--test", "--test-concurrency=1"]),
                &Selection::Files(&files),
                &junit,
            )
            .unwrap();
        assert!(
            dir.path().join("reports").is_dir(),
            "node needs the directory"
        );
        assert_eq!(inv.program, "node");
        assert_eq!(
            inv.args,
            argv(&[
                "--import",
                "tsx",
                "--test",
                "--test-concurrency=1",
                &format!(
                    "--require={}",
                    dir.path().join("reports/pitcrew-node-trace.cjs").display()
                ),
                &format!(
                    "--test-reporter={}",
                    dir.path()
                        .join("reports/pitcrew-node-reporter.mjs")
                        .display()
                ),
                &format!(
                    "--test-reporter-destination={}",
                    dir.path().join("reports/node.events.jsonl").display()
                ),
                "--test-reporter=spec",
                "--test-reporter-destination=stdout",
                "test/a.test.mjs",
                "test/b c.test.js",
            ])
        );
        // Each test file's process traces its tests beside the events.
        let trace = dir.path().join("reports/node.trace.jsonl");
        assert_eq!(
            inv.env,
            [(TRACE_ENV.to_owned(), trace.display().to_string())]
        );
        assert_eq!(
            runner().live_events(&dir.path().join("reports/node.events.jsonl")),
            Some(trace)
        );
        assert_eq!(
            inv.junit,
            JunitSource::Events(dir.path().join("reports/node.events.jsonl"))
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("reports/pitcrew-node-reporter.mjs")).unwrap(),
            REPORTER
        );
    }

    /// The user's own files, folders and globs scoped the listing; each
    /// shard runs its own files only, never all of the user's again.
    #[test]
    fn the_users_test_paths_give_way_to_the_shards_files() {
        let files = argv(&["test/t.mjs"]);
        for base in [
            &["node", "--test", "test/a.mjs", "test/t.mjs"][..],
            &["node", "--test", "test/"][..],
            &["node", "--test", "--", "test/**/*.mjs"][..],
        ] {
            let inv = runner()
                .invocation(
                    &argv(base),
                    &Selection::Files(&files),
                    &std::env::temp_dir().join("pitcrew-node-test/j.xml"),
                )
                .unwrap();
            assert_eq!(inv.args[0], "--test");
            assert!(inv.args[1].starts_with("--require=/"), "{:?}", inv.args);
            assert!(
                inv.args[2].starts_with("--test-reporter=/"),
                "{:?}",
                inv.args
            );
            assert_eq!(&inv.args[6..], &argv(&["test/t.mjs"])[..], "{base:?}");
        }
    }

    #[test]
    fn rerun_needs_files_and_escapes_names() {
        let failed = [
            test_ref(Some("a.test.mjs"), "", "fails &quot;q&quot; (x) [y]"),
            // A subtest: its parent must run for it to run (Node 20).
            test_ref(Some("a.test.mjs"), "parent", "inner bad"),
        ];
        let inv = runner()
            .rerun(
                &argv(&["node", "--test"]),
                &failed,
                &std::env::temp_dir().join("pitcrew-node-test/j.xml"),
            )
            .unwrap()
            .unwrap();
        let pattern = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--test-name-pattern="))
            .unwrap();
        assert_eq!(
            pattern,
            r#"(?:^| )(?:fails (?:"|&quot;)q(?:"|&quot;) \(x\) \[y\]|parent|inner bad)$"#
        );
        for name in [
            "fails \"q\" (x) [y]",
            "inner bad",
            "suite one inner bad",
            "parent",
        ] {
            assert!(regex_matches(pattern, name), "{name}");
        }
        assert!(!regex_matches(pattern, "inner badly"));
        assert_eq!(inv.args.last().map(String::as_str), Some("a.test.mjs"));

        let no_file = [test_ref(None, "test", "x")];
        assert!(
            runner()
                .rerun(
                    &argv(&["node", "--test"]),
                    &no_file,
                    &std::env::temp_dir().join("pitcrew-node-test/j.xml")
                )
                .is_none()
        );
        assert!(matches!(
            runner()
                .invocation(
                    &argv(&["node", "--test"]),
                    &Selection::Tests(&no_file),
                    &std::env::temp_dir().join("pitcrew-node-test/j.xml")
                )
                .unwrap_err(),
            RunnerError::MissingFile { .. }
        ));
    }

    /// A test queued behind a hang in `outer > other` is selected by its
    /// own name, not by the blocks an earlier run's trace saw start as
    /// suites; a parent test's name still selects its subtest.
    #[test]
    fn suites_a_trace_saw_start_do_not_select_their_tests() {
        let dir = tempfile::tempdir().unwrap();
        let start = |path: &[&str], name: &str, kind: &str| {
            serde_json::json!({"event": "start", "file": "a.test.mjs", "path": path, "name": name, "kind": kind})
                .to_string()
        };
        let trace = [
            start(&[], "outer", "suite"),
            start(&["outer"], "other", "suite"),
            start(&["outer", "other"], "hangs", "test"),
            start(&[], "parent", "test"),
            // The same name in another file is no suite here.
            serde_json::json!({"event": "start", "file": "b.test.mjs", "path": [], "name": "parent", "kind": "suite"}).to_string(),
        ];
        std::fs::write(dir.path().join("junit-1.trace.jsonl"), trace.join("\n")).unwrap();
        let queued = [
            test_ref(Some("a.test.mjs"), "outer > other", "after"),
            test_ref(Some("a.test.mjs"), "parent", "sub two"),
        ];
        let inv = runner()
            .invocation(
                &argv(&["node", "--test"]),
                &Selection::Tests(&queued),
                &dir.path().join("junit-2.xml"),
            )
            .unwrap();
        let pattern = inv
            .args
            .iter()
            .find_map(|a| a.strip_prefix("--test-name-pattern="))
            .unwrap();
        assert_eq!(pattern, "(?:^| )(?:after|parent|sub two)$");
    }
}
