//! Test-runner adapters: how to run one shard's items with a given test
//! runner, make the runner write JUnit XML, and re-run only the failed tests.
//!
//! Every adapter turns the user's base command (e.g. `["npx", "jest"]`) plus a
//! [`Selection`] into an [`Invocation`]: a program, its argv and extra
//! environment. Nothing here goes through a shell, so names with spaces,
//! quotes, regex metacharacters or non-ASCII text are passed verbatim; where a
//! runner interprets an argument as a regex or a filter expression, the adapter
//! escapes it for that runner's syntax.
//!
//! Use [`detect()`] to pick the adapter from the command, or [`by_name`] when the
//! user names it. [`go_json_to_junit`] converts `go test -json` output, which
//! is how the Go adapter gets its JUnit ([`JunitSource::ConvertGoJson`]).

use std::collections::HashSet;
use std::hash::Hash;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod argv;
mod coverage_join;
mod detect;
pub mod events;
mod generic;
mod go;
pub mod go_args;
pub mod go_cover;
mod go_json;
mod jest;
mod nextest;
mod nextest_junit;
mod node;
pub mod playwright;
mod pytest;
mod pytest_args;
mod pytest_brackets;
mod python_env;
pub mod rustc;
mod vitest;
mod vitest_isolation;

#[cfg(test)]
mod integration_tests;

pub(crate) use detect::NODE_VALUE_OPTIONS;
pub use generic::JUNIT_ENV;
pub use go_json::{
    BUILD_FAILED as GO_BUILD_FAILED, INCOMPLETE as GO_INCOMPLETE,
    PACKAGE_FAILED as GO_PACKAGE_FAILED, PAUSED as GO_PAUSED, go_json_to_junit,
};
pub use nextest::listing_args as nextest_listing_args;
pub use node::FILE_FAILED as NODE_FILE_FAILED;
pub use pytest::SCOPE_TEARDOWN as PYTEST_SCOPE_TEARDOWN;

/// The name of the case node's and Vitest's reporters (ours) write, in the
/// file it names, for an error no test caught.
pub const UNHANDLED_ERROR: &str = "unhandled error";

/// What a runner says of the tests behind one that hung in its file
/// ([`Runner::after_hang`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterHang {
    /// It names them as never ran (pytest, vitest): they run again by name.
    NamesThem,
    /// It names some, and the file can run again without the tests that
    /// hung ([`Selection::FileExcept`]): node from version 22, where a
    /// `describe` block blocked by its test never queued the ones after it.
    RunsTheRest,
    /// It names some, and cannot leave the hung test out of a run of its
    /// block (Node 20): tests after it in its block go unseen.
    MissesTheBlock,
}

/// What to run.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Whole items as the runner understands them: test files for pytest,
    /// jest, vitest, playwright and node; packages for go; binary ids for
    /// nextest; whatever `{files}` stands for with the generic runner.
    Files(&'a [String]),
    /// Single tests, as identified in a JUnit report.
    Tests(&'a [TestRef]),
    /// One file without some of its tests: what remains of a slow file
    /// whose tests were planned as items of their own. Tests added since
    /// the plan was made are not listed, so they run here. Only runners
    /// whose [`Runner::excludes_tests`] is true accept it.
    FileExcept {
        /// The file.
        file: &'a str,
        /// The tests not to run (all in `file`).
        tests: &'a [TestRef],
    },
    /// Every test the runner finds by itself, its own configuration
    /// deciding: no file named. Only runners whose reporter names every
    /// file it found ([`Runner::reports_discovery`]) accept it, so that a
    /// file found and never run is still caught.
    Discovered,
}

/// A test as identified in JUnit, used to re-run or select single tests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TestRef {
    /// The testcase's `file` attribute, when the report has one.
    pub file: Option<String>,
    /// The testcase's `classname` attribute.
    pub classname: String,
    /// The testcase's `name` attribute.
    pub name: String,
}

/// A process to start: program, args, extra env. No shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The program to execute (looked up on `PATH` if it has no slash).
    pub program: String,
    /// The arguments, exactly as they are to reach the program.
    pub args: Vec<String>,
    /// Variables to set on top of the inherited environment.
    pub env: Vec<(String, String)>,
    /// Where the JUnit report comes from once the process has exited.
    pub junit: JunitSource,
}

impl Invocation {
    /// A [`Command`] for this invocation (program, args and env set; stdio,
    /// working directory and everything else left to the caller).
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }
}

/// Where the JUnit comes from after the process exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JunitSource {
    /// The runner writes it to this (absolute) path.
    File(PathBuf),
    /// Standard output is a `go test -json` event stream; convert it with
    /// [`go_json_to_junit`].
    ConvertGoJson,
    /// One of pitcrew's own reporters writes [`events`] (JSON lines, as the
    /// tests run) to this (absolute) path.
    Events(PathBuf),
}

/// Why an invocation could not be built (or a report not converted).
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// The base command has no program.
    #[error("the test command is empty")]
    EmptyCommand,
    /// The selection named nothing; running would run the whole suite.
    #[error("nothing to run: the {runner} selection is empty")]
    EmptySelection {
        /// The runner's name.
        runner: &'static str,
    },
    /// [`Selection::Discovered`] was asked of a runner whose reporter does
    /// not say what it found.
    #[error("the {runner} runner cannot be left to find its tests on its own")]
    DiscoveryUnsupported {
        /// The runner's name.
        runner: &'static str,
    },
    /// Single tests were asked of a runner that cannot select them.
    #[error("the {runner} runner cannot select single tests")]
    TestsUnsupported {
        /// The runner's name.
        runner: &'static str,
    },
    /// [`Selection::FileExcept`] was asked of a runner that cannot leave
    /// single tests out.
    #[error("the {runner} runner cannot run a file without some of its tests")]
    ExclusionUnsupported {
        /// The runner's name.
        runner: &'static str,
    },
    /// Selecting this test needs the file (or package) it lives in, and the
    /// JUnit report did not say.
    #[error("the {runner} runner needs the file of test {test:?} to select it, and none is known")]
    MissingFile {
        /// The runner's name.
        runner: &'static str,
        /// The test's name.
        test: String,
    },
    /// A generic command without the `{files}` placeholder.
    #[error(
        "a generic test command must contain a `{{files}}` argument where the files go (and may contain `{{junit}}` for the report path)"
    )]
    MissingFilesPlaceholder,
    /// `{files}` appeared inside a larger argument.
    #[error("`{{files}}` must be an argument of its own, not part of {arg:?}")]
    FilesPlaceholderNotAlone {
        /// The offending argument.
        arg: String,
    },
    /// An argument or environment entry cannot be passed to a process.
    #[error("cannot pass {what} to a process: {value:?}")]
    InvalidArgument {
        /// What was wrong (e.g. "an argument containing a NUL byte").
        what: &'static str,
        /// The offending value.
        value: String,
    },
    /// A path that is not valid UTF-8 (arguments are strings).
    #[error("path is not valid UTF-8: {}", path.display())]
    NonUtf8Path {
        /// The path.
        path: PathBuf,
    },
    /// An I/O failure, with what was being done.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: io::Error,
    },
}

impl RunnerError {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        RunnerError::Io {
            context: context.into(),
            source,
        }
    }
}

/// What a runner's own reporter adds to its JUnit report
/// ([`Runner::reporter_notes`]).
#[derive(Debug, Default)]
pub struct ReporterNotes {
    /// Test files the runner could not load, which its JUnit report leaves
    /// out, as failed tests named by the file relative to the project.
    pub load_errors: Vec<crate::suite::junit::TestCase>,
    /// The (classname, name) of each test its report calls skipped that
    /// the runner never ran: a test it depends on failed (Playwright's
    /// setup projects, serial mode) or it stopped early
    /// (`--max-failures`). Such a test is retried like a failure, never
    /// counted as skipped.
    pub not_run: Vec<(String, String)>,
    /// The file, relative to the project, of each failed test and of each
    /// test of a project others depend on (by classname and name), where
    /// the report names none: a dependency run beside a shard's own files
    /// is keyed by its own file.
    pub own_files: Vec<((String, String), String)>,
}

/// A test-runner adapter.
pub trait Runner: Send + Sync {
    /// The adapter's name, as [`by_name`] knows it.
    fn name(&self) -> &'static str;
    /// Whether single tests can be selected (to re-run only failed tests).
    /// Every adapter but the generic one can.
    fn selects_tests(&self) -> bool {
        true
    }
    /// Whether `case` runs inside `test` whenever `test` runs, reported as
    /// a test of its own: a re-run of a test that never ran reports them
    /// for the first time. By default, `case`'s describe path runs through
    /// `test` (node's `a > b` in `a`, where nothing tells a suite from a
    /// test with subtests).
    fn runs_inside(&self, test: &TestRef, case: &crate::suite::junit::TestCase) -> bool {
        events::holds(test.file.as_deref(), &test.classname, &test.name, case)
    }
    /// Whether the runner's report of `case` says its process died in it,
    /// where nothing else does: go ends a package's test binary at a panic
    /// and reports the panicking test as failed with the panic as its
    /// message. Tests the process never got to are behind a crash, as
    /// behind a worker that died.
    fn died_in(&self, _case: &crate::suite::junit::TestCase) -> bool {
        false
    }
    /// Whether `command` runs only some tests of the files it runs (a name
    /// pattern, a marker expression, the last failures): what it measures
    /// of a file is part of the file, and the tests it leaves out are not
    /// gone ([`crate::suite::timings::Timings::update_narrowed`]).
    fn narrows_tests(&self, _command: &[String]) -> bool {
        false
    }
    /// Whether `test`'s id names the same test in every process of the
    /// runner, so that a shard can run it alone while another leaves it
    /// out of its file: pytest numbers the ids of parameters it can't print
    /// by their position (`expected18`), which a parameter list built from
    /// a set changes from process to process.
    fn steady_id(&self, _test: &TestRef) -> bool {
        true
    }
    /// Whether a file can also be run without some of its tests
    /// ([`Selection::FileExcept`]). Splitting a slow file into its tests
    /// needs both: its slow tests become items of their own, and one more
    /// item runs the rest of the file, new tests included.
    fn excludes_tests(&self) -> bool {
        false
    }
    /// What the runner, as the shard's earlier runs found it (their reports
    /// are in `scratch`), says of the tests behind one that hung in its
    /// file, where it cannot always leave tests out
    /// ([`Runner::excludes_tests`] false).
    fn after_hang(&self, _scratch: &Path) -> AfterHang {
        AfterHang::NamesThem
    }
    /// The results a run that failed to build its tests stands for, read
    /// from the end of the runner's stderr (cargo: a failed case per crate
    /// that did not compile), or None where the runner's failure is not a
    /// build's. Go reports its own in its JSON.
    fn build_failures(&self, _stderr_tail: &str) -> Option<Vec<crate::suite::junit::TestCase>> {
        None
    }
    /// What the runner's own reporter wrote beside its JUnit report (at
    /// `junit`), read once (Playwright: see `playwright_errors.cjs`).
    fn reporter_notes(&self, _junit: &Path, _dir: &Path) -> ReporterNotes {
        ReporterNotes::default()
    }
    /// Where the runner's reporter writes events in pitcrew's format
    /// ([`events`]) as the tests run, beside a JUnit report (`junit`)
    /// written only at exit: what a run killed at the timeout is read from.
    fn live_events(&self, _junit: &Path) -> Option<PathBuf> {
        None
    }
    /// Whether the trace beside the runner's events ([`Runner::live_events`])
    /// also names the test a worker died under when the runner ends by
    /// itself: Vitest's main process hears of a worker's tests up to 100 ms
    /// late, and not at all from a worker killed (`process.kill`, an
    /// out-of-memory kill), so its reporter names neither that test nor
    /// those that finished just before it. The trace, written from inside
    /// the worker, does. Such a trace writes a test's end as it ends and
    /// its result once final ([`events::Events::fill_in_ended_first`]).
    fn traces_worker_deaths(&self) -> bool {
        false
    }
    /// Whether the trace beside the runner's events ([`Runner::live_events`])
    /// says how each test file's process ended ([`events::Events::exits`]):
    /// node's, whose runner folds a file's own failure (its code called
    /// `process.exit(1)`) into any test of the file that failed.
    fn traces_file_exits(&self) -> bool {
        false
    }
    /// Whether `case` is the runner's own report of a worker that died
    /// (Vitest's unhandled `Worker exited unexpectedly`), which the test the
    /// trace names as running then stands for
    /// ([`Runner::traces_worker_deaths`]): one failure, not two, and the
    /// dead worker's file is not blamed twice.
    fn is_worker_death(&self, _case: &crate::suite::junit::TestCase) -> bool {
        false
    }
    /// Whether the runner also runs tests outside the files it was given:
    /// the tests of the projects the selected ones depend on (Playwright's
    /// setup projects), named by a classname relative to the project's
    /// test folder.
    fn runs_dependencies(&self) -> bool {
        false
    }
    /// A JUnit report the runner's own configuration asks for, which the
    /// runner will not write under pitcrew (nextest's `junit.path` of the
    /// user's profile: pitcrew's profile writes its report elsewhere).
    /// pitcrew writes the merged tests there. `dir` is where the runner runs.
    fn configured_junit(&self, _command: &[String], _dir: &Path) -> Option<PathBuf> {
        None
    }
    /// Whether a first run may leave the runner to find its own files
    /// ([`Selection::Discovered`]): given no file, it runs what its
    /// configuration says, and pitcrew's reporter names each file it found,
    /// or at least counts them (jest), before any runs. (nextest takes
    /// that selection too, only where its listing could not build the
    /// tests: the run then reports the failed build.)
    fn reports_discovery(&self) -> bool {
        false
    }
    /// The runner runs the files it is given one after another, in one
    /// process and in that order (pytest), so that state may pass from one
    /// to the next: a shard runs its files in the order the runner lists or
    /// ran them. Runners that schedule files themselves (side by side, in
    /// an order of their own) have them in path order, the same each run.
    fn runs_files_in_order(&self) -> bool {
        false
    }
    /// The runner reads each file it is given as a substring of its test
    /// files' paths (vitest; Playwright reads it as an unanchored regex): a
    /// file whose path holds another's must be planned in that one's shard.
    fn file_filters_match_substrings(&self) -> bool {
        false
    }
    /// The runner imports test files as modules by name (pytest's default
    /// import mode): two files imported under one name must share a shard
    /// (see `together`).
    fn imports_files_by_module_name(&self) -> bool {
        false
    }
    /// Why a test file whose source is `source` must run whole, never split
    /// into tests across shards: its tests declare that they depend on each
    /// other (pytest-dependency's `depends=`, Playwright's serial mode), so
    /// a test run without the ones before it is skipped or fails.
    fn must_run_whole(&self, _source: &str) -> Option<&'static str> {
        None
    }
    /// Variables for shard `index` when shards run side by side in one
    /// folder, so that files a run writes there are not shared: pytest-cov's
    /// data file (`COVERAGE_FILE`), which another shard's end-of-run combine
    /// would read half-written or delete. `{process}`
    /// ([`crate::suite::exec::PROCESS_NUMBER`]) in a value becomes the
    /// number of the shard's runner process, for what each process of a
    /// shard (a split file's parts, a retry) would write over the last's.
    fn side_by_side_env(&self, _index: usize) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Variables every process of one run gets alike, wherever it runs,
    /// from the digest of the run's plan (`plan_sha256`): what makes the
    /// runner name tests alike in every shard and retry.
    fn run_env(&self, _plan_sha256: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Removes in `root` what an earlier side-by-side run left under the
    /// names [`Runner::side_by_side_env`] gives (before such a run).
    fn clear_side_by_side(&self, _root: &Path) {}
    /// After shards of `command` ran side by side in `root`: joins what
    /// each wrote under the names [`Runner::side_by_side_env`] gave into
    /// what one run would have written (pytest-cov's data and reports),
    /// and returns what that whole fails (pytest-cov's threshold, which
    /// the shards left to it), a problem of the run. What it could not do
    /// is a warning.
    fn join_side_by_side(&self, _root: &Path, _command: &[String]) -> Option<String> {
        None
    }
    /// Why shards of `command` can't run side by side in one folder: each
    /// clears and writes one folder that the others write too (vitest's
    /// coverage `.tmp`), so a green suite would fail. Local shards of it
    /// run one at a time.
    fn shares_a_folder(&self, _command: &[String]) -> Option<&'static str> {
        None
    }
    /// Why `command` must run files whole: it writes files that every test
    /// of a file shares (`jest -u` rewrites the file's one `.snap`), which
    /// two shards running parts of one file would overwrite in turn.
    fn writes_shared_files(&self, _command: &[String]) -> Option<&'static str> {
        None
    }
    /// Why a test of `command` retried alone would not run as it first
    /// ran, so that its passing would say nothing of flakiness: node with
    /// test isolation off runs a shard's files in one process, whose state
    /// a test may depend on (a module counter another file moved first):
    /// such a test fails every run of the runner and passes alone. Retries
    /// are off for such a command. None by default.
    fn retry_misleads(&self, _command: &[String]) -> Option<&'static str> {
        None
    }
    /// Whether selecting the test whose [`Runner::selection_name`] is
    /// `selected` also runs the one named `other` (of the same file): a
    /// runner whose name filter is not anchored at both ends (Playwright's
    /// `--grep` over project, file, titles and tags) runs every test whose
    /// name holds the selected one as whole words. Equal names are always
    /// selected together.
    fn selection_also_runs(&self, _selected: &str, _other: &str) -> bool {
        false
    }
    /// The invocation for `selection`, given the user's base command (e.g.
    /// `["npx","jest"]` or `["pytest","-q"]`), writing JUnit under `junit_path`.
    ///
    /// A relative `junit_path` is made absolute against the current directory,
    /// and [`JunitSource::File`] carries the absolute path. Adapters whose
    /// runner does not create the report's directory (node, generic) create
    /// it; the nextest adapter writes its config file next to the report.
    fn invocation(
        &self,
        base: &[String],
        selection: &Selection<'_>,
        junit_path: &Path,
    ) -> Result<Invocation, RunnerError>;
    /// The invocation that re-runs only `failed` (None when the runner can't,
    /// in which case the caller re-runs their files). None also when a failed
    /// test cannot be selected because its report did not say where it lives
    /// (e.g. node's reports name no file). By default the invocation that
    /// selects exactly those tests, when the runner selects tests at all.
    fn rerun(
        &self,
        base: &[String],
        failed: &[TestRef],
        junit_path: &Path,
    ) -> Option<Result<Invocation, RunnerError>> {
        if !self.selects_tests() {
            return None;
        }
        match self.invocation(base, &Selection::Tests(failed), junit_path) {
            Err(RunnerError::MissingFile { .. }) => None,
            other => Some(other),
        }
    }
    /// The selection id for a test as this runner names it (e.g. pytest node
    /// id `tests/test_a.py::TestX::test_y`), used in shard plans when a slow
    /// file is split into tests. A stable, human-readable key; only pytest's
    /// is also a valid command-line item.
    fn test_id(&self, test: &TestRef) -> Option<String>;
    /// What the runner's selection by name sees of a test in its file:
    /// tests that share it are selected together (jest and vitest match
    /// the describe titles and the title joined with spaces, so
    /// `describe('a') > test('b')` is `test('a b')`), and none of them is
    /// split out of its file. [`Runner::test_id`] by default.
    fn selection_name(&self, test: &TestRef) -> Option<String> {
        self.test_id(test)
    }
    /// Whether the runner's JUnit says which file each test came from. When
    /// it doesn't (node), a shard runs one file per process so every test
    /// can still be attributed to its file.
    fn junit_names_files(&self) -> bool {
        true
    }
    /// Whether its report may name, for a test of a file it ran, no file or
    /// one it was not given (a report pitcrew does not know: the generic
    /// runner's). A process that ran several files and reported such a test
    /// runs its files again one per process, where every result is the
    /// file's, and so does the rest of the shard.
    fn report_may_misname_files(&self) -> bool {
        false
    }
    /// `base` with the runner's own pool set to `workers`: for a runner
    /// that runs a process's test files that many at a time and still
    /// attributes every result to its file (node's `--test-concurrency`).
    /// On one machine such a pool beats shards of whole files: it hands
    /// the next file to whichever worker is free, where shards are
    /// balanced by predictions, and it starts one runner instead of one a
    /// shard. `None`: no such pool, or `base` sets it already (the user's
    /// choice stands).
    fn with_workers(&self, _base: &[String], _workers: usize) -> Option<Vec<String>> {
        None
    }
    /// Whether, asked to stop at the shard's timeout (SIGTERM; CTRL_BREAK
    /// on Windows), the runner still writes its JUnit file: the tests that
    /// finished, and the one it stopped, which [`Runner::was_stopped`]
    /// recognises. Such a shard keeps what finished instead of losing it
    /// all. `false`: killed at once.
    fn reports_when_stopped(&self) -> bool {
        false
    }
    /// Whether the runner's exit `code` says only that this shard held no
    /// test to run, which the cases it reported (all skipped) confirm: a
    /// shard of one module that skips itself at import (pytest's 5, "no
    /// tests collected"), which the whole suite run at once would not fail.
    fn nothing_to_run(&self, _code: i32, _cases: &[crate::suite::junit::TestCase]) -> bool {
        false
    }
    /// In a report written after the request to stop, whether `case` is a
    /// test that was running and was stopped by it.
    fn was_stopped(&self, _case: &crate::suite::junit::TestCase) -> bool {
        false
    }
}

static PYTEST: pytest::Pytest = pytest::Pytest;
static JEST: jest::Jest = jest::Jest;
static VITEST: vitest::Vitest = vitest::Vitest;
static PLAYWRIGHT: playwright::Playwright = playwright::Playwright;
static GO: go::Go = go::Go;
static NEXTEST: nextest::Nextest = nextest::Nextest;
static NODE: node::Node = node::Node;
static GENERIC: generic::Generic = generic::Generic;

/// Each of `files` once: in the order given where `runner` runs its files
/// in that order ([`Runner::runs_files_in_order`]: state may pass from one
/// to the next), else in path order, the same each run.
pub fn in_run_order<'a>(
    runner: &dyn Runner,
    files: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut once: Vec<String> = dedup(files).into_iter().map(str::to_owned).collect();
    if !runner.runs_files_in_order() {
        once.sort();
    }
    once
}

/// The adapter for a base command, recognised from its spelling: `pytest`,
/// `python -m pytest`, `py.test`, `jest` (also via `npx`/`yarn`/`pnpm`/`bunx`
/// or `node node_modules/.bin/jest`), `vitest`, `playwright test`, `go test`,
/// `cargo nextest run`, `node --test`. Leading `VAR=value` words, `env`, and
/// `uv run`/`poetry run`/`pipenv run`/`pdm run` wrappers are looked through.
/// A command containing a `{files}` argument is the generic runner's,
/// whatever program it names.
pub fn detect(base: &[String]) -> Option<&'static dyn Runner> {
    if base.iter().any(|arg| arg.contains(generic::FILES)) {
        return Some(&GENERIC);
    }
    detect::locate(base).map(|found| runner_for(found.kind))
}

/// The adapter called `name`: `pytest`, `jest`, `vitest`, `playwright`, `go`,
/// `nextest`, `node` or `generic` (ASCII case ignored).
pub fn by_name(name: &str) -> Option<&'static dyn Runner> {
    let kind = match name.to_ascii_lowercase().as_str() {
        "pytest" => detect::Kind::Pytest,
        "jest" => detect::Kind::Jest,
        "vitest" => detect::Kind::Vitest,
        "playwright" => detect::Kind::Playwright,
        "go" => detect::Kind::Go,
        "nextest" => detect::Kind::Nextest,
        "node" => detect::Kind::Node,
        "generic" => return Some(&GENERIC),
        _ => return None,
    };
    Some(runner_for(kind))
}

fn runner_for(kind: detect::Kind) -> &'static dyn Runner {
    match kind {
        detect::Kind::Pytest => &PYTEST,
        detect::Kind::Jest => &JEST,
        detect::Kind::Vitest => &VITEST,
        detect::Kind::Playwright => &PLAYWRIGHT,
        detect::Kind::Go => &GO,
        detect::Kind::Nextest => &NEXTEST,
        detect::Kind::Node => &NODE,
    }
}

// ---------------------------------------------------------------------------
// Helpers shared by the adapters.

/// Splits the base command into its program and arguments.
fn split_base(base: &[String]) -> Result<(&str, &[String]), RunnerError> {
    match base.split_first() {
        Some((program, args)) if !program.is_empty() => Ok((program.as_str(), args)),
        _ => Err(RunnerError::EmptyCommand),
    }
}

/// `args` with `ours` inserted before the first argument equal to one of
/// `terminators` (such as `--`, after which a runner stops reading its own
/// options), or appended when there is none.
fn insert_before_terminator(
    args: &[String],
    terminators: &[&str],
    ours: Vec<String>,
) -> Vec<String> {
    let at = args
        .iter()
        .position(|arg| terminators.contains(&arg.as_str()))
        .unwrap_or(args.len());
    let mut out = Vec::with_capacity(args.len() + ours.len());
    out.extend_from_slice(&args[..at]);
    out.extend(ours);
    out.extend_from_slice(&args[at..]);
    out
}

/// A path item as a positional argument: one starting with `-` would be read
/// as an option, so it gets a `./` prefix.
fn path_arg(item: &str) -> String {
    if item.starts_with('-') {
        format!("./{item}")
    } else {
        item.to_owned()
    }
}

/// The JUnit path made absolute, and as a string.
fn absolute_junit(junit_path: &Path) -> Result<(PathBuf, String), RunnerError> {
    let absolute = std::path::absolute(junit_path).map_err(|e| {
        RunnerError::io(
            format!(
                "cannot make the JUnit path {} absolute",
                junit_path.display()
            ),
            e,
        )
    })?;
    let text = path_str(&absolute)?.to_owned();
    Ok((absolute, text))
}

/// Creates the directory the report goes in, for runners that fail rather
/// than create it themselves.
fn create_parent_dir(path: &Path) -> Result<(), RunnerError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
            RunnerError::io(format!("cannot create the directory {}", dir.display()), e)
        }),
        _ => Ok(()),
    }
}

fn path_str(path: &Path) -> Result<&str, RunnerError> {
    path.to_str().ok_or_else(|| RunnerError::NonUtf8Path {
        path: path.to_path_buf(),
    })
}

/// Builds the invocation after checking that everything can reach a process.
fn finish(
    program: &str,
    args: Vec<String>,
    env: Vec<(String, String)>,
    junit: JunitSource,
) -> Result<Invocation, RunnerError> {
    let nul = |value: &str| RunnerError::InvalidArgument {
        what: "a value containing a NUL byte",
        value: value.to_owned(),
    };
    if program.contains('\0') {
        return Err(nul(program));
    }
    if let Some(arg) = args.iter().find(|arg| arg.contains('\0')) {
        return Err(nul(arg));
    }
    for (key, value) in &env {
        if key.is_empty() || key.contains('=') || key.contains('\0') {
            return Err(RunnerError::InvalidArgument {
                what: "an environment variable with an invalid name",
                value: key.clone(),
            });
        }
        if value.contains('\0') {
            return Err(nul(value));
        }
    }
    Ok(Invocation {
        program: program.to_owned(),
        args,
        env,
        junit,
    })
}

/// Escapes every ECMAScript regex syntax character (`^$\.*+?()[]{}|`), so
/// the text matches itself. Only syntax characters are escaped, which keeps
/// the result valid with and without the `u`/`v` flags.
///
/// U+FFFD matches itself or half a surrogate pair ([`LONE_SURROGATE`]):
/// a JavaScript name holding a lone half (`test('\ud800')`) reaches
/// pitcrew as U+FFFD, and a pattern of that never selected the test, so
/// a flaky one stayed failed.
fn js_regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == char::REPLACEMENT_CHARACTER {
            out.push_str(LONE_SURROGATE);
            continue;
        }
        if matches!(
            c,
            '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A class of U+FFFD and every lone surrogate: with the `u` or `v` flag a
/// range of surrogates matches only halves that have no partner, and
/// without it a name's lone half is one code unit, which it matches.
const LONE_SURROGATE: &str = r"[\uD800-\uDFFF\uFFFD]";

/// The variable that tells pitcrew's reporters (pytest, jest, vitest)
/// where to write their events.
const EVENTS_ENV: &str = "PITCREW_EVENTS";

/// The events path for a report path (`x.xml` → `x.events.jsonl`).
fn events_path(junit: &Path) -> PathBuf {
    junit.with_extension("events.jsonl")
}

/// How a trace's file name ends, after its stem (see [`trace_path`]).
pub(super) const TRACE_EXTENSION: &str = "trace.jsonl";

/// Writes one of pitcrew's reporters as `file_name` next to the report
/// (creating its directory) and returns its absolute path, which runners
/// load it from whatever their working directory.
/// Where a trace written from inside the runner's workers goes, beside its
/// events: `x.events.jsonl` → `x.trace.jsonl`.
fn trace_path(events: &Path) -> PathBuf {
    events.with_extension("").with_extension(TRACE_EXTENSION)
}

fn write_reporter(report: &Path, file_name: &str, source: &str) -> Result<String, RunnerError> {
    create_parent_dir(report)?;
    let dir = report.parent().unwrap_or(Path::new("/"));
    let path = dir.join(file_name);
    std::fs::write(&path, source)
        .map_err(|e| RunnerError::io(format!("cannot write {}", path.display()), e))?;
    Ok(path_str(&path)?.to_owned())
}

/// `base` with `option=workers` added before any `--`, for a runner whose
/// word [`detect::locate`] finds as `kind`: the size of the runner's own
/// pool of workers ([`Runner::with_workers`]). `None` when the arguments
/// after that word already decide it (any of `settings`: the user's
/// choice stands), or for no workers.
fn with_pool_option(
    base: &[String],
    kind: detect::Kind,
    option: &str,
    settings: &[&str],
    workers: usize,
) -> Option<Vec<String>> {
    let at = detect::locate(base).filter(|f| f.kind == kind)?.index;
    let own = &base[at + 1..];
    if workers == 0 || settings.iter().any(|s| sets_option(own, s)) {
        return None;
    }
    let mut words = base[..=at].to_vec();
    words.extend(insert_before_terminator(
        own,
        &["--"],
        vec![format!("{option}={workers}")],
    ));
    Some(words)
}

/// Whether the user's own arguments (before a `--`) set `option`, as
/// `--option value` or `--option=value`.
fn sets_option(args: &[String], option: &str) -> bool {
    args.iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg == option || arg.strip_prefix(option).is_some_and(|v| v.starts_with('=')))
}

/// A test's describe path and name as one string, `a > b > name`, the way
/// pitcrew's reporters separate them ([`events::PATH_SEPARATOR`]).
fn path_name(test: &TestRef) -> String {
    if test.classname.is_empty() {
        test.name.clone()
    } else {
        format!("{}{}{}", test.classname, events::PATH_SEPARATOR, test.name)
    }
}

/// The describe titles and the title joined with one space, as jest and
/// vitest match a name pattern against them.
///
/// As a key that two tests share whenever their names may select each
/// other: jest matches `-t` without case, and a title may itself hold
/// ` > ` (`test('a > b')` and `describe('a') > test('> b')` are both
/// `a > b` to jest), so case, `>` and runs of blanks are left out.
fn spaced_full_name(test: &TestRef) -> Option<String> {
    let file = test.file.as_deref()?;
    Some(format!("{file}::{}", selection_key(&path_name(test))))
}

/// `name` lowercased, without `>` or `›`, its blanks collapsed to one space.
fn selection_key(name: &str) -> String {
    name.to_lowercase()
        .replace(['>', '\u{203a}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The runner's own words in `command`: those after its name, or the
/// whole command where no runner is recognised.
fn runner_words(command: &[String]) -> &[String] {
    detect::locate(command)
        .and_then(|found| command.get(found.index + 1..))
        .unwrap_or(command)
}

/// Whether the runner's own words in `command` (up to a `--`) hold one of
/// `options`: alone, as `--option=value`, or as a one-letter option with
/// its value joined (`-kslow`).
fn has_any_option(command: &[String], options: &[&str]) -> bool {
    let words = runner_words(command);
    let short_joined = |word: &String| {
        options.iter().any(|option| {
            option.len() == 2
                && !option.starts_with("--")
                && word.len() > 2
                && word.starts_with(option)
        })
    };
    has_flag(words, options) || words.iter().take_while(|w| *w != "--").any(short_joined)
}

/// Whether `command`'s own arguments (before a `--`) hold one of `flags`,
/// alone or as `--flag=value`.
fn has_flag(command: &[String], flags: &[&str]) -> bool {
    flags.iter().any(|flag| sets_option(command, flag))
}

/// A runner's full name for `test` as an escaped regex, where each of
/// pitcrew's path separators matches either itself or the one space the
/// runner (jest, vitest before 5) joins titles with.
fn full_name_regex(test: &TestRef) -> String {
    path_name(test)
        .split(events::PATH_SEPARATOR)
        .map(js_regex_escape)
        .collect::<Vec<_>>()
        .join("(?: > | )")
}

/// A test's `file` attribute, when the report has one.
fn file_attribute(test: &TestRef) -> Option<&str> {
    test.file.as_deref().filter(|f| !f.is_empty())
}

/// A test's file: its `file` attribute, else its classname, which jest-style
/// reporters (vitest, playwright) set to the file path.
fn file_or_classname(test: &TestRef) -> Option<&str> {
    file_attribute(test).or(Some(test.classname.as_str()).filter(|c| !c.is_empty()))
}

/// A name pattern over the tests of the files a runner is given: run only
/// the tests it matches, or only those it doesn't. Both hold the same
/// positive pattern, so a test left out of a file's rest is exactly one its
/// own item selects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NameFilter {
    Only(String),
    Except(String),
}

impl NameFilter {
    /// The filter as a single ECMAScript regex for runners that only take
    /// a positive one (`--testNamePattern`): `Except(p)` becomes a negative
    /// lookahead at the start over the whole name.
    fn js_regex(&self) -> String {
        match self {
            NameFilter::Only(pattern) => pattern.clone(),
            NameFilter::Except(pattern) => format!(r"^(?![\s\S]*(?:{pattern}))"),
        }
    }

    /// [`Self::js_regex`] within the user's own name patterns (`-t`), which
    /// it replaces on the command line: beside it, jest matched the user's
    /// alone and a retry ran none of its tests. A name matches when some
    /// part of it matches each of the user's, and ours matches it.
    fn js_regex_within(&self, users: &[String]) -> String {
        let ours = self.js_regex();
        if users.is_empty() {
            return ours;
        }
        let theirs: String = users
            .iter()
            .map(|u| format!(r"(?=[\s\S]*?(?:{u}))"))
            .collect();
        format!(r"^{theirs}[\s\S]*?(?:{ours})")
    }
}

/// The user's `-t`/`--testNamePattern` values (jest, vitest) and the
/// arguments without them.
fn take_name_patterns(args: &[String]) -> (Vec<String>, Vec<String>) {
    argv::take_option(args, &["--testNamePattern"], "-t")
}

/// What runners that select tests by file plus a name pattern run: the
/// files (for tests, the distinct files `locate` finds, each test's file
/// required) and the name filter. An empty selection is an error, since
/// these runners read "no files" as "the whole suite".
fn files_and_pattern(
    runner: &'static str,
    selection: &Selection<'_>,
    locate: fn(&TestRef) -> Option<&str>,
    pattern: &dyn Fn(&[TestRef]) -> String,
) -> Result<(Vec<String>, Option<NameFilter>), RunnerError> {
    let (files, filter) = match selection {
        Selection::Files(files) => (files.to_vec(), None),
        Selection::Tests(tests) => (
            files_of(runner, tests, locate)?,
            Some(NameFilter::Only(pattern(tests))),
        ),
        Selection::FileExcept { file, tests } => (
            vec![(*file).to_owned()],
            (!tests.is_empty()).then(|| NameFilter::Except(pattern(tests))),
        ),
        // Runners that report their discovery take it before asking here.
        Selection::Discovered => return Err(RunnerError::DiscoveryUnsupported { runner }),
    };
    if files.iter().all(|f| f.is_empty()) {
        return Err(RunnerError::EmptySelection { runner });
    }
    Ok((files, filter))
}

/// The distinct values of `items`, in first-seen order.
fn dedup<T: Eq + Hash + Clone>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if seen.insert(item.clone()) {
            out.push(item);
        }
    }
    out
}

/// The files of `tests`, deduplicated; every test must have one.
fn files_of(
    runner: &'static str,
    tests: &[TestRef],
    locate: fn(&TestRef) -> Option<&str>,
) -> Result<Vec<String>, RunnerError> {
    let mut files = Vec::with_capacity(tests.len());
    for test in tests {
        let file = locate(test).ok_or_else(|| RunnerError::MissingFile {
            runner,
            test: test.name.clone(),
        })?;
        files.push(file.to_owned());
    }
    Ok(dedup(files))
}

/// `file::name` when the file is known.
fn file_scoped_id(file: Option<&str>, name: &str) -> Option<String> {
    file.filter(|f| !f.is_empty())
        .map(|f| format!("{f}::{name}"))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers for the adapters' unit tests.
    use super::*;

    pub fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    pub fn test_ref(file: Option<&str>, classname: &str, name: &str) -> TestRef {
        TestRef {
            file: file.map(str::to_owned),
            classname: classname.to_owned(),
            name: name.to_owned(),
        }
    }

    pub fn env_of<'a>(inv: &'a Invocation, key: &str) -> Option<&'a str> {
        inv.env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `text` contains a match of `pattern`, for the subset of regex
    /// syntax the adapters produce: literals, `\x` escapes, `(?:…)`, `|`,
    /// `^` and `$` (no quantifiers or classes, which the adapters never emit
    /// unescaped).
    pub fn regex_matches(pattern: &str, text: &str) -> bool {
        let chars: Vec<char> = pattern.chars().collect();
        let mut at = 0;
        let alts = parse(&chars, &mut at);
        assert_eq!(at, chars.len(), "unbalanced pattern {pattern:?}");
        let text: Vec<char> = text.chars().collect();
        (0..=text.len()).any(|start| match_alts(&alts, &text, start, &mut |_| true))
    }

    enum Node {
        Lit(char),
        Start,
        End,
        Group(Vec<Vec<Node>>),
    }

    fn parse(p: &[char], at: &mut usize) -> Vec<Vec<Node>> {
        let mut alts = vec![Vec::new()];
        while let Some(&c) = p.get(*at) {
            *at += 1;
            let node = match c {
                ')' => {
                    *at -= 1;
                    break;
                }
                '|' => {
                    alts.push(Vec::new());
                    continue;
                }
                '^' => Node::Start,
                '$' => Node::End,
                '[' if p[*at - 1..]
                    .starts_with(&super::LONE_SURROGATE.chars().collect::<Vec<_>>()) =>
                {
                    *at += super::LONE_SURROGATE.len() - 1;
                    // Rust strings hold no lone half: U+FFFD stands for one.
                    Node::Lit(char::REPLACEMENT_CHARACTER)
                }
                '\\' => {
                    let escaped = p.get(*at).copied().unwrap_or('\\');
                    *at += 1;
                    Node::Lit(escaped)
                }
                '(' => {
                    if p.get(*at) == Some(&'?') && p.get(*at + 1) == Some(&':') {
                        *at += 2;
                    }
                    let inner = parse(p, at);
                    assert_eq!(p.get(*at), Some(&')'), "unclosed group");
                    *at += 1;
                    Node::Group(inner)
                }
                '.' | '*' | '+' | '?' | '[' | ']' | '{' | '}' => {
                    panic!("unescaped regex operator {c:?} in an adapter pattern")
                }
                c => Node::Lit(c),
            };
            if let Some(seq) = alts.last_mut() {
                seq.push(node);
            }
        }
        alts
    }

    fn match_alts(
        alts: &[Vec<Node>],
        t: &[char],
        ti: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        alts.iter().any(|seq| match_seq(seq, t, ti, k))
    }

    fn match_seq(seq: &[Node], t: &[char], ti: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match seq.split_first() {
            None => k(ti),
            Some((Node::Lit(c), rest)) => t.get(ti) == Some(c) && match_seq(rest, t, ti + 1, k),
            Some((Node::Start, rest)) => ti == 0 && match_seq(rest, t, ti, k),
            Some((Node::End, rest)) => ti == t.len() && match_seq(rest, t, ti, k),
            Some((Node::Group(alts), rest)) => {
                match_alts(alts, t, ti, &mut |end| match_seq(rest, t, end, k))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn by_name_knows_every_runner() {
        for name in [
            "pytest",
            "jest",
            "vitest",
            "playwright",
            "go",
            "nextest",
            "node",
            "generic",
        ] {
            let runner = by_name(name).unwrap_or_else(|| panic!("{name} unknown"));
            assert_eq!(runner.name(), name);
        }
        assert_eq!(by_name("PyTest").map(|r| r.name()), Some("pytest"));
        assert!(by_name("mocha").is_none());
        assert!(by_name("").is_none());
    }

    #[test]
    fn selects_tests_flags() {
        let selecting: Vec<&str> = [
            "pytest",
            "jest",
            "vitest",
            "playwright",
            "go",
            "nextest",
            "node",
            "generic",
        ]
        .into_iter()
        .filter(|n| by_name(n).is_some_and(|r| r.selects_tests()))
        .collect();
        assert_eq!(
            selecting,
            [
                "pytest",
                "jest",
                "vitest",
                "playwright",
                "go",
                "nextest",
                "node"
            ]
        );
    }

    #[test]
    fn commands_that_run_some_tests_of_their_files() {
        let narrows = |runner: &str, command: &str| {
            let command: Vec<String> = command.split(' ').map(String::from).collect();
            by_name(runner).unwrap().narrows_tests(&command)
        };
        for command in [
            "pytest -k slow",
            "pytest -kslow",
            "python -m pytest -m 'not net'",
            "uv run pytest --lf",
            "pytest --deselect tests/test_a.py::test_x",
            "pytest tests/test_a.py::test_x",
        ] {
            assert!(narrows("pytest", command), "{command}");
        }
        for command in [
            "python -m pytest",
            "pytest tests/test_a.py -x",
            "pytest --ff",
            "pytest -- -k",
        ] {
            assert!(!narrows("pytest", command), "{command}");
        }
        assert!(narrows("jest", "npx jest -t parses"));
        assert!(narrows("jest", "npx jest --testNamePattern=parses"));
        assert!(!narrows("jest", "npx jest --onlyFailures"));
        assert!(narrows("vitest", "vitest run -t parses"));
        assert!(narrows("node", "node --test --test-name-pattern=x"));
        assert!(!narrows("node", "node --test"));
        assert!(narrows("playwright", "npx playwright test --grep @smoke"));
        assert!(narrows("go", "go test -run TestA ./..."));
        assert!(!narrows("go", "go test ./..."));
        assert!(!narrows("nextest", "cargo nextest run"));
        assert!(narrows("nextest", "cargo nextest run -E not_test(slow)"));
        assert!(narrows("nextest", "cargo nextest run --filterset=test(a)"));
        assert!(narrows("nextest", "cargo nextest run -- parses"));
        assert!(!narrows("nextest", "cargo nextest run --no-fail-fast --"));
    }

    #[test]
    fn a_file_without_some_tests_where_runners_allow_it() {
        let dir = tempfile::tempdir().unwrap();
        let junit = &dir.path().join("j.xml");
        let left_out = [
            test_ref(Some("src/slow.test.ts"), "math", "adds (1+1)"),
            test_ref(Some("src/slow.test.ts"), "math", "subtracts"),
        ];
        let except = Selection::FileExcept {
            file: "src/slow.test.ts",
            tests: &left_out,
        };
        let args = |name: &str, base: &[&str]| {
            by_name(name)
                .unwrap()
                .invocation(&argv(base), &except, junit)
                .unwrap()
                .args
        };
        // Jest's and Vitest's only filter is positive: a negative lookahead
        // over the pattern that selects the tests.
        let jest = args("jest", &["npx", "jest"]);
        assert!(
            jest.contains(
                &r"--testNamePattern=^(?![\s\S]*(?:^(?:math(?: > | )adds \(1\+1\)|math(?: > | )subtracts)$))"
                    .to_owned()
            ),
            "{jest:?}"
        );
        assert_eq!(jest.last().map(String::as_str), Some("src/slow.test.ts"));
        let vitest = args("vitest", &["npx", "vitest"]);
        assert!(
            vitest.iter().any(|a| a.starts_with(
                r"--testNamePattern=^(?![\s\S]*(?:(?:^| )(?:math(?: > | )adds \(1\+1\)|math(?: > | )subtracts)$))"
            )),
            "{vitest:?}"
        );
        let playwright = args("playwright", &["npx", "playwright", "test"]);
        assert!(
            playwright.contains(
                &"--grep-invert=(?:(?:^| )adds \\(1\\+1\\)|(?:^| )subtracts)(?: |$)".to_owned()
            ),
            "{playwright:?}"
        );
        assert!(!playwright.iter().any(|a| a.starts_with("--grep=")));
        // The positive pattern, negated, rejects exactly what it matched.
        let pattern = r"^(?:math(?: > | )adds \(1\+1\)|math(?: > | )subtracts)$";
        assert!(regex_matches(pattern, "math subtracts"));
        assert!(!regex_matches(pattern, "math subtracts more"));

        let flags: Vec<&str> = [
            "pytest",
            "jest",
            "vitest",
            "playwright",
            "go",
            "nextest",
            "node",
            "generic",
        ]
        .into_iter()
        .filter(|n| by_name(n).is_some_and(|r| r.excludes_tests()))
        .collect();
        assert_eq!(flags, ["pytest", "jest", "vitest", "playwright"]);
        for (name, base) in [
            ("node", argv(&["node", "--test"])),
            ("go", argv(&["go", "test"])),
            ("nextest", argv(&["cargo", "nextest", "run"])),
            ("generic", argv(&["run", "{files}"])),
        ] {
            let err = by_name(name)
                .unwrap()
                .invocation(&base, &except, junit)
                .unwrap_err();
            assert!(
                matches!(
                    err,
                    RunnerError::ExclusionUnsupported { .. } | RunnerError::TestsUnsupported { .. }
                ),
                "{name}: {err}"
            );
        }
        // Nothing to leave out: the whole file, no pattern.
        let whole = by_name("jest")
            .unwrap()
            .invocation(
                &argv(&["npx", "jest"]),
                &Selection::FileExcept {
                    file: "a.test.js",
                    tests: &[],
                },
                junit,
            )
            .unwrap();
        assert!(
            !whole
                .args
                .iter()
                .any(|a| a.starts_with("--testNamePattern"))
        );
    }

    #[test]
    fn js_escape_escapes_only_syntax_characters() {
        assert_eq!(
            js_regex_escape(r"a.b*c+d?e^f$g(h)i[j]k{l}m|n\o/p-q é"),
            r"a\.b\*c\+d\?e\^f\$g\(h\)i\[j\]k\{l\}m\|n\\o/p-q é"
        );
        assert_eq!(js_regex_escape("a\u{FFFD}b"), r"a[\uD800-\uDFFF\uFFFD]b");
        assert!(regex_matches(&js_regex_escape("x\u{FFFD}."), "x\u{FFFD}."));
        // Sanity check of the test matcher itself.
        assert!(regex_matches(r"^(?:a\.b|c)$", "a.b"));
        assert!(!regex_matches(r"^(?:a\.b|c)$", "axb"));
        assert!(regex_matches(r"(?:^| )x$", "suite x"));
        assert!(!regex_matches(r"(?:^| )x$", "suitex"));
    }

    #[test]
    fn insertion_respects_terminators() {
        let args = argv(&["-q", "--", "extra"]);
        assert_eq!(
            insert_before_terminator(&args, &["--"], argv(&["--x", "f"])),
            argv(&["-q", "--x", "f", "--", "extra"])
        );
        assert_eq!(
            insert_before_terminator(&argv(&["-q"]), &["--"], argv(&["f"])),
            argv(&["-q", "f"])
        );
    }

    #[test]
    fn empty_commands_and_nul_bytes_are_errors() {
        let junit = Path::new("/tmp/j.xml");
        let files = argv(&["a.py"]);
        for name in [
            "pytest",
            "jest",
            "vitest",
            "playwright",
            "go",
            "node",
            "generic",
        ] {
            let runner = by_name(name).unwrap();
            let err = runner
                .invocation(&[], &Selection::Files(&files), junit)
                .unwrap_err();
            assert!(matches!(err, RunnerError::EmptyCommand), "{name}: {err}");
        }
        let bad = argv(&["a\0b.py"]);
        let err = by_name("pytest")
            .unwrap()
            .invocation(&argv(&["pytest"]), &Selection::Files(&bad), junit)
            .unwrap_err();
        assert!(matches!(err, RunnerError::InvalidArgument { .. }), "{err}");
    }

    #[test]
    fn empty_selections_are_errors_not_whole_suite_runs() {
        let junit = Path::new("/tmp/j.xml");
        let bases = [
            ("pytest", argv(&["pytest"])),
            ("jest", argv(&["npx", "jest"])),
            ("vitest", argv(&["npx", "vitest"])),
            ("playwright", argv(&["npx", "playwright", "test"])),
            ("go", argv(&["go", "test"])),
            ("node", argv(&["node", "--test"])),
            ("generic", argv(&["run", "{files}"])),
        ];
        for (name, base) in bases {
            let runner = by_name(name).unwrap();
            let err = runner
                .invocation(&base, &Selection::Files(&[]), junit)
                .unwrap_err();
            assert!(
                matches!(err, RunnerError::EmptySelection { .. }),
                "{name}: {err}"
            );
        }
    }

    #[test]
    fn relative_junit_paths_become_absolute() {
        // What every adapter passes its runner (asked directly: adapters
        // write their reporters next to the report, which would litter the
        // crate).
        let (path, text) = absolute_junit(Path::new("out/j.xml")).unwrap();
        assert!(path.is_absolute());
        assert!(path.ends_with("out/j.xml"));
        assert_eq!(Some(text.as_str()), path.to_str());
    }

    #[test]
    fn invocation_command_carries_everything() {
        let inv = Invocation {
            program: "prog".into(),
            args: argv(&["a b", "c"]),
            env: vec![("K".into(), "v".into())],
            junit: JunitSource::ConvertGoJson,
        };
        let cmd = inv.command();
        assert_eq!(cmd.get_program(), "prog");
        let args: Vec<_> = cmd.get_args().collect();
        assert_eq!(args, ["a b", "c"]);
        let envs: Vec<_> = cmd.get_envs().collect();
        assert_eq!(envs.len(), 1);
    }
}
