//! Vitest with pitcrew's own reporter (`vitest_reporter.mjs`).
//!
//! `vitest run --reporter=default --reporter=<our reporter>` plus the files
//! as filters (the `run` subcommand is added after the `vitest` word unless
//! a subcommand is already there). Our reporter, written next to the report,
//! writes events ([`super::events`]): each test's file, describe path (the
//! `classname`, joined with ` > `) and exact name, tabs and newlines
//! included; every collected test as planned, so the tests a timeout or
//! `--bail` left unrun are named; results as the tests finish, so a timeout
//! keeps them. A test that blocks its worker stops it before it sends
//! the main process what it holds back: a setup file of ours, which the
//! reporter adds to each project (`vitest_trace.mjs`), writes those from
//! inside the worker, read at a timeout ([`Runner::live_events`]).
//! `--reporter=default` is added unless the user's command
//! names reporters of its own, which are kept, and the user's
//! `--outputFile` is left alone.
//!
//! Single tests are selected with `--testNamePattern`, which Vitest matches
//! against the full name: joined with `" > "` since Vitest 5 and with a space
//! before, so the pattern accepts either separator. A file's rest leaves
//! tests out with a negative lookahead over the same pattern.

use std::collections::BTreeSet;
use std::path::Path;

use super::events::{self, Names};
use super::{
    EVENTS_ENV, Invocation, JunitSource, Runner, RunnerError, Selection, TestRef, UNHANDLED_ERROR,
    absolute_junit, coverage_join, dedup, detect, events_path, file_attribute, file_scoped_id,
    files_and_pattern, finish, full_name_regex, has_any_option, has_flag, insert_before_terminator,
    path_arg, path_name, path_str, sets_option, spaced_full_name, split_base, take_name_patterns,
    trace_path, with_pool_option, write_reporter,
};

/// The Vitest adapter.
pub(super) struct Vitest;

const NAME: &str = "vitest";

/// The reporter's source and the file name it is written under.
const REPORTER: &str = include_str!("vitest_reporter.mjs");
const REPORTER_FILE: &str = "pitcrew-vitest-reporter.mjs";
/// The setup file our reporter adds to each project, which writes the
/// workers' trace, and the variables naming it and the trace.
const TRACE: &str = include_str!("vitest_trace.mjs");
const TRACE_FILE: &str = "pitcrew-vitest-trace.mjs";
const SETUP_ENV: &str = "PITCREW_VITEST_SETUP";
const TRACE_ENV: &str = "PITCREW_VITEST_TRACE";
/// The failure type of a `describe` whose own hook (`beforeAll`,
/// `afterAll`) failed, as the reporter writes it: one case named by the
/// block, retried with the block's tests (see [`name_pattern`]).
const BLOCK_FAILED: &str = "block failed outside its tests";
/// Where our reporter writes a process's coverage part and its note,
/// relative to the project's folder: this, the shard's number, `-`, the
/// process's number.
const COVERAGE_PREFIX: &str = ".pitcrew/vitest-coverage-";

/// The options that decide how many files Vitest runs at once.
const POOL_SETTINGS: &[&str] = &[
    "--maxWorkers",
    "--minWorkers",
    "--fileParallelism",
    "--no-file-parallelism",
    "--poolOptions.threads.maxThreads",
    "--poolOptions.forks.maxForks",
    "--poolOptions.threads.singleThread",
    "--poolOptions.forks.singleFork",
];

/// Vitest's subcommands; without one, `run` is added.
const SUBCOMMANDS: &[&str] = &["run", "watch", "dev", "related", "bench", "list", "init"];

impl Runner for Vitest {
    fn name(&self) -> &'static str {
        NAME
    }

    fn narrows_tests(&self, command: &[String]) -> bool {
        has_any_option(command, &["-t", "--testNamePattern"])
    }

    /// vitest reads a file filter as a substring of its files' paths.
    fn file_filters_match_substrings(&self) -> bool {
        true
    }

    /// Its reporter names every file the run found before any runs
    /// (`onTestRunStart`), so one that never starts is named.
    fn reports_discovery(&self) -> bool {
        true
    }

    fn writes_shared_files(&self, command: &[String]) -> Option<&'static str> {
        has_flag(command, &["-u", "--update"])
            .then_some("it writes snapshot files, which each of a file's tests shares")
    }

    /// Isolation off ([`super::vitest_isolation`]), its configuration
    /// looked for where Vitest looks, in the folder the command runs in.
    fn retry_misleads(&self, command: &[String]) -> Option<&'static str> {
        super::vitest_isolation::isolation_off(command, Path::new(".")).then_some(
            "vitest runs the files with isolation off (`isolate: false`), sharing globals and \
             timers a test retried alone would not share",
        )
    }

    /// Where our reporter writes each process's coverage part, and notes
    /// the reports and thresholds Vitest was asked for, which it keeps
    /// Vitest from making from a part (`takeCoverage` in the reporter).
    fn side_by_side_env(&self, index: usize) -> Vec<(String, String)> {
        coverage_join::node_part_env(COVERAGE_PREFIX, index)
    }

    fn clear_side_by_side(&self, root: &Path) {
        coverage_join::clear_node_parts(root, COVERAGE_PREFIX);
    }

    /// The parts joined, the reports written and the thresholds checked
    /// on the whole run, with Vitest's rules.
    fn join_side_by_side(&self, root: &Path, command: &[String]) -> Option<String> {
        coverage_join::join_node_parts(NAME, root, command, COVERAGE_PREFIX)
    }

    /// `--coverage`: every vitest clears `coverage/.tmp` as it starts and
    /// writes its parts there. (Coverage switched on in the configuration
    /// only is not seen.)
    fn shares_a_folder(&self, command: &[String]) -> Option<&'static str> {
        let off = |arg: &String| arg.ends_with("=false");
        let args = command.iter().take_while(|a| *a != "--");
        let on = args
            .filter(|a| {
                *a == "--coverage"
                    || a.starts_with("--coverage=")
                    || a.starts_with("--coverage.enabled")
            })
            .last()
            .is_some_and(|a| !off(a));
        on.then_some("vitest's coverage clears and writes one folder, coverage/.tmp")
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
        let (junit, _) = absolute_junit(junit_path)?;
        let (files, pattern) = match selection {
            // No file: the runner's own configuration finds them.
            Selection::Discovered => (Vec::new(), None),
            _ => {
                let blocks = match selection {
                    Selection::Tests(_) | Selection::FileExcept { .. } => {
                        junit.parent().map(failed_blocks).unwrap_or_default()
                    }
                    _ => BTreeSet::new(),
                };
                let pattern_of = |tests: &[TestRef]| name_pattern(tests, &blocks);
                files_and_pattern(NAME, selection, file_attribute, &pattern_of)?
            }
        };
        let reporter = write_reporter(&junit, REPORTER_FILE, REPORTER)?;
        let events = events_path(&junit);

        // Add `run` right after the `vitest` word (a subcommand must be the
        // first positional) unless one is there already.
        let mut words = base.to_vec();
        if let Some(found) = detect::locate(base).filter(|f| f.kind == detect::Kind::Vitest) {
            let next = base.get(found.index + 1).map(String::as_str);
            if !next.is_some_and(|n| SUBCOMMANDS.contains(&n)) {
                words.insert(found.index + 1, "run".to_owned());
            }
        }
        let mut ours = Vec::new();
        if !sets_option(&words[1..], "--reporter") {
            ours.push("--reporter=default".to_owned());
        }
        ours.push(format!("--reporter={reporter}"));
        // Vitest checks coverage thresholds only on a run whose tests all
        // passed: beside a test that fails and then passes on its retry, a
        // threshold that fails would go unseen. Asked to report on failure
        // too, it says so in the first attempt. (It does not turn coverage
        // on: without `--coverage` or a config enabling it, nothing runs.)
        if !sets_option(&words[1..], "--coverage.reportOnFailure") {
            ours.push("--coverage.reportOnFailure".to_owned());
        }
        let mut args = words[1..].to_vec();
        if let Some(filter) = pattern {
            let users;
            (args, users) = take_name_patterns(&args);
            ours.push(format!(
                "--testNamePattern={}",
                filter.js_regex_within(&users)
            ));
        }
        ours.extend(files.iter().map(|f| path_arg(f)));
        let args = insert_before_terminator(&args, &["--"], ours);
        let trace = write_reporter(&junit, TRACE_FILE, TRACE)?;
        let env = vec![
            (EVENTS_ENV.to_owned(), path_str(&events)?.to_owned()),
            (
                TRACE_ENV.to_owned(),
                path_str(&trace_path(&events))?.to_owned(),
            ),
            (SETUP_ENV.to_owned(), trace),
        ];
        finish(program, args, env, JunitSource::Events(events))
    }

    /// The trace the workers wrote beside the events (`vitest_trace.mjs`).
    fn live_events(&self, events: &Path) -> Option<std::path::PathBuf> {
        Some(trace_path(events))
    }

    fn traces_worker_deaths(&self) -> bool {
        true
    }

    /// The error no test caught that Vitest reports for a worker that died:
    /// `Worker exited unexpectedly` (Vitest 2 and 3's pools),
    /// `[vitest-pool]: Worker forks emitted error.` (Vitest 4, caused by
    /// it), Node's `Channel closed` (a forked worker's IPC gone).
    fn is_worker_death(&self, case: &crate::suite::junit::TestCase) -> bool {
        let message = case.message.as_deref().unwrap_or_default();
        case.name == UNHANDLED_ERROR
            && (message.contains("Worker exited unexpectedly")
                || message.contains("[vitest-pool]: Worker ") && message.contains("emitted error")
                || message.contains("Channel closed"))
    }

    /// `--maxWorkers=N`: Vitest runs N files at a time in its pool. Not
    /// when the command sizes the pool or turns file parallelism off.
    fn with_workers(&self, base: &[String], workers: usize) -> Option<Vec<String>> {
        with_pool_option(
            base,
            detect::Kind::Vitest,
            "--maxWorkers",
            POOL_SETTINGS,
            workers,
        )
    }

    /// `file::suite > test`.
    fn test_id(&self, test: &TestRef) -> Option<String> {
        file_scoped_id(test.file.as_deref(), &path_name(test))
    }

    fn selection_name(&self, test: &TestRef) -> Option<String> {
        spaced_full_name(test)
    }
}

/// `(?:^| )(?:a|b)$`, where each describe-path separator matches either
/// `" > "` or `" "`. Unanchored at the start (beyond a word boundary) in
/// case a Vitest version prefixes the full name. Vitest matches the
/// pattern against tests only: a block among `blocks` (one whose own hook
/// failed) is selected by its tests, whose full names go on past it (and
/// a test of the block's own name, which a retry may want too).
fn name_pattern(tests: &[TestRef], blocks: &BTreeSet<Names>) -> String {
    let names = dedup(tests.iter().map(|t| {
        let name = full_name_regex(t);
        match blocks.contains(&(t.file.clone(), t.classname.clone(), t.name.clone())) {
            true => format!(r"{name}(?:(?: > | )[\s\S]+)?"),
            false => name,
        }
    }));
    format!("(?:^| )(?:{})$", names.join("|"))
}

/// The blocks whose own hook failed in the shard's earlier runs, whose
/// events sit in `dir`, the folder of this run's report.
fn failed_blocks(dir: &Path) -> BTreeSet<Names> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.to_str().is_some_and(|p| p.ends_with(".events.jsonl")))
        .filter_map(|path| events::read(&path).ok())
        .flat_map(|events| events.cases)
        .filter(|case| case.failure_type.as_deref() == Some(BLOCK_FAILED))
        .map(|case| events::names_of(&case))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::by_name;
    use super::super::test_support::{argv, env_of, regex_matches, test_ref};
    use super::*;
    use crate::suite::junit::Outcome;

    fn runner() -> &'static dyn Runner {
        by_name("vitest").unwrap()
    }

    /// Vitest may deliver a test's result before its start, or a result
    /// that reads as pending and is settled at the module's end: each
    /// such test is one passed test, never one still running.
    #[test]
    fn a_result_before_its_start_is_no_test_still_running() {
        let dir = tempfile::tempdir().unwrap();
        let reporter = dir.path().join("reporter.mjs");
        std::fs::write(&reporter, REPORTER).unwrap();
        let events = dir.path().join("events.jsonl");
        let script = r#"
            import { pathToFileURL } from 'node:url';
            const { default: Reporter } = await import(pathToFileURL(process.env.REPORTER).href);
            const r = new Reporter();
            const module = { type: 'module', moduleId: process.cwd() + '/a.test.ts', errors: () => [] };
            const test = (id, name, state) => ({
              id, name, type: 'test', parent: module, module, location: { line: 1 },
              result: () => ({ state, errors: [] }), diagnostic: () => ({ duration: 2 }),
            });
            const early = test('1', 'result before start', 'passed');
            r.onTestCaseResult(early);
            r.onTestCaseReady(early);
            const late = test('2', 'pending when it came', 'pending');
            r.onTestCaseReady(late);
            r.onTestCaseResult(late);
            late.result = () => ({ state: 'passed', errors: [] });
            module.children = { allTests: () => [early, late] };
            r.onTestModuleEnd(module);
        "#;
        let out = std::process::Command::new("node")
            .args(["--input-type=module", "-e", script])
            .current_dir(dir.path())
            .env("REPORTER", &reporter)
            .env("PITCREW_EVENTS", &events)
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let file = std::fs::File::open(&events).unwrap();
        let parsed = super::super::events::parse(std::io::BufReader::new(file));
        assert!(parsed.running.is_empty(), "{:?}", parsed.running);
        let names: Vec<(&str, Outcome)> = parsed
            .cases
            .iter()
            .map(|c| (c.name.as_str(), c.outcome))
            .collect();
        assert_eq!(
            names,
            [
                ("result before start", Outcome::Passed),
                ("pending when it came", Outcome::Passed)
            ]
        );
    }

    #[test]
    fn shards_with_coverage_on_share_its_folder() {
        let shares = |base: &[&str]| runner().shares_a_folder(&argv(base)).is_some();
        assert!(shares(&["npx", "vitest", "run", "--coverage"]));
        assert!(shares(&[
            "vitest",
            "--coverage.enabled",
            "--coverage.provider=v8"
        ]));
        assert!(shares(&[
            "vitest",
            "--coverage=false",
            "--coverage.enabled=true"
        ]));
        assert!(!shares(&["vitest", "--coverage.enabled=false"]));
        assert!(!shares(&["vitest", "run", "--coverage.reportsDirectory=x"]));
        assert!(!shares(&["vitest", "run", "--", "--coverage"]));
    }

    #[test]
    fn the_pool_is_sized_unless_the_command_decides_it() {
        let pooled = |base: &[&str]| runner().with_workers(&argv(base), 2);
        assert_eq!(
            pooled(&["npx", "vitest", "run", "--", "extra"]),
            Some(argv(&[
                "npx",
                "vitest",
                "run",
                "--maxWorkers=2",
                "--",
                "extra"
            ]))
        );
        assert_eq!(
            pooled(&["vitest"]),
            Some(argv(&["vitest", "--maxWorkers=2"]))
        );
        for set in [
            &["vitest", "--maxWorkers", "1"][..],
            &["vitest", "run", "--maxWorkers=50%"],
            &["vitest", "--no-file-parallelism"],
            &["vitest", "--fileParallelism=false"],
            &["vitest", "--poolOptions.forks.singleFork"],
        ] {
            assert_eq!(pooled(set), None, "{set:?}");
        }
        // The same word after `--` is not the option; another runner has none.
        assert!(pooled(&["vitest", "--", "--maxWorkers=1"]).is_some());
        assert_eq!(pooled(&["jest"]), None);
        assert_eq!(runner().with_workers(&argv(&["vitest"]), 0), None);
    }

    #[test]
    fn run_is_added_after_the_vitest_word() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("r/j.xml");
        let reporter = dir.path().join("r/pitcrew-vitest-reporter.mjs");
        let events = dir.path().join("r/j.events.jsonl");
        let setup = dir.path().join("r/pitcrew-vitest-trace.mjs");
        let trace = dir.path().join("r/j.trace.jsonl");
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
                .invocation(&base, &Selection::Files(&files), &junit)
                .unwrap();
            assert_eq!(inv.program, base[0]);
            assert_eq!(&inv.args[..head.len()], &head[..], "{base:?}");
            assert_eq!(
                &inv.args[head.len()..],
                &argv(&[
                    "--reporter=default",
                    &format!("--reporter={}", reporter.display()),
                    "--coverage.reportOnFailure",
                    "src/a.test.ts",
                ])[..],
                "{base:?}"
            );
            assert_eq!(env_of(&inv, EVENTS_ENV), events.to_str());
            assert_eq!(env_of(&inv, SETUP_ENV), setup.to_str());
            assert_eq!(env_of(&inv, TRACE_ENV), trace.to_str());
            assert_eq!(runner().live_events(&events), Some(trace.clone()));
            assert_eq!(inv.junit, JunitSource::Events(events.clone()));
        }
        assert_eq!(std::fs::read_to_string(&reporter).unwrap(), REPORTER);
        assert_eq!(std::fs::read_to_string(&setup).unwrap(), TRACE);
    }

    #[test]
    fn the_users_own_report_on_failure_setting_stays() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let files = argv(&["a.test.ts"]);
        let inv = runner()
            .invocation(
                &argv(&["vitest", "--coverage.reportOnFailure=false"]),
                &Selection::Files(&files),
                &junit,
            )
            .unwrap();
        let ours = inv
            .args
            .iter()
            .filter(|a| a.starts_with("--coverage.reportOnFailure"));
        assert_eq!(ours.count(), 1, "{:?}", inv.args);
    }

    #[test]
    fn the_users_own_reporters_and_output_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let files = argv(&["a.test.ts"]);
        let base = argv(&[
            "vitest",
            "run",
            "--reporter=junit",
            "--outputFile.junit=mine.xml",
        ]);
        let inv = runner()
            .invocation(&base, &Selection::Files(&files), &dir.path().join("j.xml"))
            .unwrap();
        assert!(!inv.args.contains(&"--reporter=default".to_owned()));
        assert!(inv.args.contains(&"--reporter=junit".to_owned()));
        assert!(inv.args.contains(&"--outputFile.junit=mine.xml".to_owned()));
        assert!(
            !inv.args
                .iter()
                .any(|a| a.starts_with("--outputFile.junit=/"))
        );
    }

    #[test]
    fn rerun_uses_files_and_an_escaped_pattern() {
        let dir = tempfile::tempdir().unwrap();
        let junit = dir.path().join("j.xml");
        let failed = [
            test_ref(Some("src/a.test.ts"), "math", "adds (1 + 2)"),
            test_ref(Some("src/b.test.ts"), "", "top [x] | y*"),
        ];
        let inv = runner()
            .rerun(&argv(&["vitest", "run"]), &failed, &junit)
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
                &junit,
            )
            .unwrap_err();
        assert!(matches!(err, RunnerError::MissingFile { .. }));
    }

    #[test]
    fn test_ids_join_the_describe_path() {
        assert_eq!(
            runner().test_id(&test_ref(Some("src/a.test.ts"), "math", "adds")),
            Some("src/a.test.ts::math > adds".to_owned())
        );
        assert_eq!(runner().test_id(&test_ref(None, "", "x")), None);
    }
}
