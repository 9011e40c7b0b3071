//! Running one shard: the runner for the shard's items, JUnit collected,
//! failed tests re-run up to `retries` times, every case attributed to its
//! item. A runner that can't be started, crashes, times out or writes no
//! JUnit is a shard error carrying its stderr tail, never a silent pass.
//!
//! A shard's items are run in groups, one process each: its whole files
//! together (one file per process when the runner's JUnit names no file),
//! the rest of each split file (the file without its split-out tests), and
//! the split-out tests of each file. Each group claims only its own
//! results: a rest drops the tests planned elsewhere should the runner
//! report them, and a tests group drops the file's other planned tests and
//! skipped bystanders but keeps anything else its pattern caught, so a
//! test no pattern was meant for is never lost.
//!
//! Here: the shard's groups and their verdict. `first_run` runs the
//! groups, `retry` re-runs what failed, `attempt` is one runner
//! process, `placeholders` the cases that stand for tests with no result
//! of their own, `go` what only `go test` needs.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::fold::{Counts, FinalOutcome, Folder, TestResult};
use super::junit::{self, Outcome, TestCase};
use super::result::{ItemResult, ShardError};
use super::runners::{
    AfterHang, GO_BUILD_FAILED, GO_INCOMPLETE, GO_PACKAGE_FAILED, GO_PAUSED, Invocation,
    JunitSource, Runner, RunnerError, Selection, TestRef, events, in_run_order,
};
use super::slow_files::PlannedTest;
use crate::paths::normalise;
use crate::process::logged::{self as process, Sink, Timeout};
use crate::process_group::Schedule;
use crate::suite::runners::events::holds;

mod attempt;
mod confirm;
mod first_run;
mod go;
mod placeholders;
mod replay;
mod retry;

use attempt::*;
use confirm::*;
use first_run::*;
use go::*;
use placeholders::*;
pub use placeholders::{is_never_ran_test, is_timed_out_test};
use replay::*;
use retry::*;

pub struct ShardRun<'a> {
    pub runner: &'static dyn Runner,
    /// The user's command, e.g. `["npx", "jest"]`.
    pub base: &'a [String],
    /// The shard's items: test files (or packages), and single tests split
    /// out of slow files.
    pub items: &'a [String],
    /// The plan's split files and their split-out tests (every shard's).
    pub split_files: &'a BTreeMap<String, Vec<PlannedTest>>,
    /// Every file item of the plan, every shard's; empty when unknown (a
    /// fix's verification). A test the runner ran only because the
    /// shard's tests depend on it (a Playwright setup project) is counted
    /// by the shard that plans its file, or, planned nowhere (`--tests`
    /// globs that leave it out), by every shard that ran it: the merge
    /// folds the copies into one.
    pub plan_items: &'a BTreeSet<String>,
    /// The runner finds the shard's tests itself ([`Selection::Discovered`]):
    /// `items` is empty, and the files that report are the items.
    pub discover: bool,
    pub retries: u32,
    pub timeout: Option<Duration>,
    /// Where the runner runs (the project).
    pub dir: &'a Path,
    /// A scratch directory for JUnit files.
    pub scratch: &'a Path,
    pub sink: Sink,
    /// Variables for every process of the shard, beside the runner's own
    /// (shards running side by side in one folder: [`Runner::side_by_side_env`]).
    pub env: Vec<(String, String)>,
}

pub struct ShardOutcome {
    pub tests: Vec<TestResult>,
    pub counts: Counts,
    pub items: Vec<ItemResult>,
    pub error: Option<ShardError>,
    pub duration: Duration,
    /// The CPU time of every runner process the shard started (and of what
    /// they waited for); `None` when any of them went unmeasured.
    pub cpu: Option<Duration>,
    /// How the runner processes shared the cores (their own process each).
    pub schedule: Option<Schedule>,
    /// How many runner processes the shard started (retries included):
    /// each paid the runner's start-up.
    pub processes: u32,
    /// How long test files ran in those processes (first file's start to
    /// last one's end, summed), when every one of them said (node).
    pub files_running: Option<Duration>,
    pub attempts: u32,
    /// JUnit reports the runner said the user asked for (pytest's
    /// `--junitxml`, wherever it was set), absolute: each of the shard's
    /// processes wrote its own tests there.
    pub user_junit: BTreeSet<PathBuf>,
    /// Where the runner keeps each test file's last result, which each
    /// process wrote whole (Jest's, for `--onlyFailures`).
    pub jest_results: BTreeSet<PathBuf>,
}

/// A shard being run: what to run, and the CPU time its processes have
/// used so far.
struct Running<'a, 'b> {
    run: &'b ShardRun<'a>,
    cpu: Cell<Option<Duration>>,
    schedule: Cell<Option<Schedule>>,
    processes: Cell<u32>,
    /// Processes that said how long their test files ran, and the sum.
    files_running: Cell<(u32, Duration)>,
    user_junit: std::cell::RefCell<BTreeSet<PathBuf>>,
    jest_results: std::cell::RefCell<BTreeSet<PathBuf>>,
    /// Items the runner said ran and selected no test.
    ran_no_test: std::cell::RefCell<BTreeSet<String>>,
    /// Whether the last process said it reached the end of its run (see
    /// [`events::Events::finished`]).
    run_finished: Cell<bool>,
    /// An error of the shard found while its cases stand (see
    /// [`Running::hold_error`]): a runner that failed its first attempt
    /// outside its tests, a reporter record that could not be read.
    held_error: std::cell::RefCell<Option<ShardError>>,
    /// The dependency tests planned nowhere whose pass this shard kept
    /// (see [`leave_out_dependencies`]): each runner process of the shard
    /// (a split file's parts, a re-run) runs them again, and one attempt's
    /// same-named cases would be distinct tests.
    kept_dependencies: std::cell::RefCell<BTreeSet<(String, String)>>,
    /// The files run whole after a retry by name, by attempt and
    /// normalised file, with their cases (see `confirm.rs`): one run per
    /// file and attempt, whichever of the attempt's groups asks first.
    whole_runs: std::cell::RefCell<WholeRuns>,
    /// Whether the runner's report named no planned file for a test of a
    /// process that ran several (see [`Runner::report_may_misname_files`]):
    /// the shard's files then run one per process.
    files_apart: Cell<bool>,
    /// Tests still running when a runner stopped at its `bail` (jest's
    /// `--bail` with workers stops the other workers' tests): cut short
    /// by that stop, not by a death ([`deaths_fail_the_run`]).
    cut_at_bail: std::cell::RefCell<BTreeSet<crate::suite::runners::events::Names>>,
    /// Whether the process running replays the shard's first one, all its
    /// whole files in order, after a retry (see `replay.rs`): a whole run
    /// like the first attempt's, whose exit status is judged as that one's.
    replaying: Cell<bool>,
    /// Tests that never ran before this attempt, ran by name in it, and
    /// failed in a replay of the shard's first process in it: the replay's
    /// failure is the attempt's result, not a second test beside the run
    /// by name ([`drop_superseded`]).
    superseded: std::cell::RefCell<BTreeSet<crate::suite::runners::events::Names>>,
    /// The seed pytest-randomly ordered the shard's first process by: its
    /// replay takes it again (see `replay.rs`).
    randomly_seed: Cell<Option<u64>>,
}

impl<'a> std::ops::Deref for Running<'a, '_> {
    type Target = ShardRun<'a>;

    fn deref(&self) -> &ShardRun<'a> {
        self.run
    }
}

impl Running<'_, '_> {
    /// Counts one finished process's CPU time; one unmeasured process
    /// makes the shard's unknown.
    fn add_cpu(&self, cpu: Option<Duration>, schedule: Option<Schedule>) {
        self.processes.set(self.processes.get().saturating_add(1));
        self.cpu
            .set(self.cpu.get().zip(cpu).map(|(sum, more)| sum + more));
        let sum = match (self.schedule.get(), schedule) {
            (Some(sum), Some(more)) => Some(sum + more),
            (sum, more) => sum.or(more),
        };
        self.schedule.set(sum);
    }

    /// Fails the shard with this error once its attempts are over, its
    /// cases kept; the first error held is the one reported.
    fn hold_error(&self, kind: &str, message: impl FnOnce() -> String, tail: &str) {
        self.held_error
            .borrow_mut()
            .get_or_insert_with(|| shard_error(kind, message(), tail.to_owned()));
    }

    /// The runner failed its run outside its tests, saying `why`.
    fn hold_verdict(&self, program: &str, why: &str, tail: &str) {
        let message = || {
            format!(
                "`{program}` failed the run outside its tests: {}",
                crate::escape::control_chars(why)
            )
        };
        self.hold_error(RUNNER_FAILED, message, tail);
    }

    /// Whether one process's report tells its files' tests apart.
    fn files_named(&self) -> bool {
        self.runner.junit_names_files() && !self.files_apart.get()
    }

    /// Counts how long one process's test files ran, where it said.
    fn add_files_running(&self, seconds: Option<f64>) {
        let Some(more) = seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()) else {
            return;
        };
        let (count, sum) = self.files_running.get();
        self.files_running
            .set((count.saturating_add(1), sum.saturating_add(more)));
    }

    /// How long test files ran, when every process said.
    fn files_running(&self) -> Option<Duration> {
        let (count, sum) = self.files_running.get();
        (count > 0 && count == self.processes.get()).then_some(sum)
    }
}

/// One process's worth of a shard's items.
enum Group<'a> {
    /// Whole files (or packages, or test binaries).
    Files(Vec<String>),
    /// A split file without every test split out of it, wherever planned.
    Rest {
        file: &'a str,
        planned: &'a [PlannedTest],
    },
    /// Whatever the runner finds by itself.
    Discovered,
    /// This shard's tests split out of one file.
    Tests {
        file: &'a str,
        tests: Vec<&'a PlannedTest>,
        planned: &'a [PlannedTest],
    },
}

pub fn run(shard: &ShardRun<'_>) -> ShardOutcome {
    let started = Instant::now();
    let shard = &Running {
        run: shard,
        cpu: Cell::new(Some(Duration::ZERO)),
        schedule: Cell::new(None),
        processes: Cell::new(0),
        files_running: Cell::new((0, Duration::ZERO)),
        user_junit: Default::default(),
        jest_results: Default::default(),
        ran_no_test: Default::default(),
        run_finished: Cell::new(false),
        held_error: Default::default(),
        kept_dependencies: Default::default(),
        whole_runs: Default::default(),
        files_apart: Cell::new(false),
        cut_at_bail: Default::default(),
        replaying: Cell::new(false),
        superseded: Default::default(),
        randomly_seed: Cell::new(None),
    };
    let mut cases: Vec<(String, TestCase)> = Vec::new();
    let mut error = None;
    let mut sequence = 0;
    let mut junit_path = || {
        sequence += 1;
        shard.scratch.join(format!("junit-{sequence}.xml"))
    };

    let test_files = test_files(shard.split_files);
    for group in groups(shard.run, &test_files) {
        match first_run(shard, &group, &mut junit_path) {
            Ok(found) => cases.extend(found),
            Err(e) => error = error.or(Some(e)),
        }
    }

    // Tests a runner named as never run behind one that hung in their file,
    // or behind one it died under, never ran: they run now, in the first
    // attempt, whatever `--retries` says (once more for each further test
    // that hangs, at most three times, each with its own re-runs behind a
    // crash, [`CRASH_RERUNS`]), as jest's rest of the file does in
    // `first_run`. Their retries are still theirs.
    for _ in 0..3 {
        let waiting = waiting_behind_stops(&cases, &test_files);
        if waiting.is_empty() || error.is_some() {
            break;
        }
        let before = cases.len();
        let seen = RefCell::new(Vec::new());
        for group in retry_groups(&waiting, shard.files_named()) {
            let behind = Retried {
                tests: &group,
                stand_ins: &[],
                seen: Some(&seen),
                never_ran: true,
                before: &[],
                all: &group,
            };
            match retry_found(shard, &test_files, &behind, &mut junit_path, 1) {
                Ok(found) => cases.extend(found),
                Err(e) => error = error.or(Some(e)),
            }
        }
        give_way(&mut cases, before);
        cases.extend(never_queued(&cases, seen.into_inner()));
    }

    // Where each attempt's cases start in `cases`.
    let mut starts = vec![0];
    let mut attempts = 1;
    while attempts <= shard.retries && error.is_none() {
        let failed = failed_tests(&cases, &starts, &test_files);
        if failed.is_empty() {
            break;
        }
        attempts += 1;
        starts.push(cases.len());
        let stand_ins: Vec<TestCase> = cases
            .iter()
            .map(|(_, case)| case)
            .filter(|case| case.failure_type.as_deref() == Some(COLLECTION_ERROR))
            .cloned()
            .collect();
        let last = starts[starts.len() - 2]..cases.len();
        let all = failed.clone();
        let parts = never_ran_apart(shard.runner, failed, &cases[last.clone()]);
        let groups = parts.iter().flat_map(|(never_ran, part)| {
            retry_groups(part, shard.files_named())
                .into_iter()
                .map(move |group| (*never_ran, group))
        });
        for (never_ran, group) in groups {
            let retried = Retried {
                tests: &group,
                stand_ins: &stand_ins,
                seen: None,
                never_ran,
                before: &cases[..last.end],
                all: &all,
            };
            match retry_found(shard, &test_files, &retried, &mut junit_path, attempts) {
                Ok(found) => cases.extend(found),
                Err(e) => error = error.or(Some(e)),
            }
        }
        drop_superseded(shard, &mut cases, last.end);
    }

    if attempts > 1 && error.is_none() {
        deaths_fail_the_run(shard, &cases, &starts);
    }

    let first_attempt = &cases[..starts.get(1).copied().unwrap_or(cases.len())];
    // Found by the runner: its items are the files that reported; in the
    // order they ran where the runner runs them so (the next plan keeps
    // it; see `planning::plan_file`), else in path order.
    let found: Vec<String> = match shard.discover {
        true => in_run_order(
            shard.runner,
            first_attempt.iter().map(|(item, _)| item.as_str()),
        ),
        false => Vec::new(),
    };
    let items = item_results(
        if shard.discover { &found } else { shard.items },
        &test_files,
        first_attempt,
        &shard.ran_no_test.borrow(),
    );
    let (counts, _, tests) = fold(&cases, &starts).finish();
    let error = error.or_else(|| shard.held_error.take());
    ShardOutcome {
        tests,
        counts,
        items,
        error,
        duration: started.elapsed(),
        cpu: shard.cpu.get(),
        schedule: shard.schedule.get(),
        processes: shard.processes.get(),
        files_running: shard.files_running(),
        attempts,
        user_junit: shard.user_junit.take(),
        jest_results: shard.jest_results.take(),
    }
}

/// The shard's items in process groups: whole files first (together, or
/// one per process when the runner's JUnit names no file), then each split
/// file's rest, then each file's split-out tests.
fn groups<'a>(shard: &ShardRun<'a>, test_files: &TestFiles<'a>) -> Vec<Group<'a>> {
    if shard.discover {
        return vec![Group::Discovered];
    }
    groups_of(shard.runner, shard.items, shard.split_files, test_files)
}

/// How many runner processes a shard of `items` starts on its first
/// attempt (see [`groups`]): each pays the runner's start-up, which the
/// planner weighs against what splitting a file saves.
pub fn processes(
    runner: &dyn Runner,
    items: &[String],
    split_files: &BTreeMap<String, Vec<PlannedTest>>,
) -> usize {
    groups_of(runner, items, split_files, &test_files(split_files)).len()
}

fn groups_of<'a>(
    runner: &dyn Runner,
    items: &'a [String],
    split_files: &'a BTreeMap<String, Vec<PlannedTest>>,
    test_files: &TestFiles<'a>,
) -> Vec<Group<'a>> {
    let mut whole: Vec<String> = Vec::new();
    let mut rests = Vec::new();
    let mut tests: BTreeMap<&str, Vec<&PlannedTest>> = BTreeMap::new();
    for item in items {
        if let Some((file, planned)) = split_files.get_key_value(item) {
            rests.push(Group::Rest {
                file: file.as_str(),
                planned: planned.as_slice(),
            });
        } else if let Some(&(file, test)) = test_files.get(item.as_str()) {
            tests.entry(file).or_default().push(test);
        } else {
            whole.push(item.clone());
        }
    }
    let mut groups: Vec<Group<'a>> = Vec::new();
    if runner.junit_names_files() {
        if !whole.is_empty() {
            groups.push(Group::Files(whole));
        }
    } else {
        groups.extend(whole.into_iter().map(|file| Group::Files(vec![file])));
    }
    groups.extend(rests);
    for (file, tests) in tests {
        let planned = split_files.get(file).map_or(&[][..], |p| p.as_slice());
        groups.push(Group::Tests {
            file,
            tests,
            planned,
        });
    }
    groups
}

/// Each split-out test, and its file, by its item id.
type TestFiles<'a> = HashMap<&'a str, (&'a str, &'a PlannedTest)>;

fn test_files(split_files: &BTreeMap<String, Vec<PlannedTest>>) -> TestFiles<'_> {
    split_files
        .iter()
        .flat_map(|(file, tests)| {
            tests
                .iter()
                .map(move |t| (t.id.as_str(), (file.as_str(), t)))
        })
        .collect()
}

/// The error kind of a runner that exited with a failure and reported no
/// test (as pytest does when a selected test does not exist).
const NO_TESTS: &str = "no-tests";

/// The failure type of the test that was running when the shard's timeout
/// killed the runner. It is not retried: it had the whole timeout.
pub const TIMED_OUT: &str = "timeout";

/// How long a runner asked to stop at the timeout may take to write its
/// report before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// The failure type of a test with subtests (node) failed because one of
/// them timed out. Not retried, as the subtest is not.
pub const SUBTEST_TIMED_OUT: &str = "subtest-timeout";

pub use super::fold::NEVER_RAN;

/// In a side-by-side variable's value, the number of the shard's runner
/// process (1, 2, … across its split files' parts and its retries).
pub const PROCESS_NUMBER: &str = "{process}";

/// The failure type of a test file that could not be collected (pytest's
/// module that does not import), written by our reporter: one failed case
/// that stands for the file's tests. A re-run that collects the file
/// reports those tests instead (see [`retry`]).
pub const COLLECTION_ERROR: &str = "collection";

/// Failure types a retry would only repeat: a test that hung was given the
/// whole timeout once already; a build that failed, or a playwright file
/// that did not load, fails again on the same tree (and names no test a
/// runner could select). And one a retry could not repeat: a
/// wider fixture's teardown error pinned on the last test of its scope
/// (pytest: a class-, module- or session-scoped fixture), which that test
/// run alone does not reach, so a teardown failing every run read as flaky
/// (round 19).
const NOT_RETRIED: [&str; 6] = [
    TIMED_OUT,
    SUBTEST_TIMED_OUT,
    super::runners::rustc::COMPILE,
    GO_BUILD_FAILED,
    super::runners::playwright::LOAD_ERROR,
    super::runners::PYTEST_SCOPE_TEARDOWN,
];

/// pytest's collection error of a test file whose module name another test
/// file took first (`import file mismatch`: `tests/a/test_x.py` and
/// `tests/b/test_x.py` with no `__init__.py`). It fails every run that
/// holds both; a retry of the file alone would import it cleanly and call
/// the failure flaky, so it is not retried.
fn name_taken(test: &TestResult) -> bool {
    test.failure.as_ref().is_some_and(|f| {
        f.is_collection_error()
            && [&f.message, &f.details].iter().any(|text| {
                text.as_deref()
                    .is_some_and(|t| t.contains("import file mismatch"))
            })
    })
}

/// The kind of the shard error of a runner that exited nonzero though every
/// test it reported passed.
pub const RUNNER_FAILED: &str = "runner-failed";

/// The shard error of records of our reporter that could not be read.
const UNREADABLE_RESULTS: &str = "unreadable-results";

fn shard_error(kind: &str, message: String, stderr_tail: String) -> ShardError {
    ShardError {
        kind: kind.to_string(),
        message,
        stderr_tail,
    }
}

/// Drops, from the attempt starting at `start`, the runs by name of the
/// tests a replay of the shard's first process failed there
/// ([`Running::superseded`]): one result per test and attempt.
fn drop_superseded(shard: &Running<'_, '_>, cases: &mut Vec<(String, TestCase)>, start: usize) {
    let superseded = std::mem::take(&mut *shard.superseded.borrow_mut());
    if superseded.is_empty() {
        return;
    }
    let mut at = 0;
    cases.retain(|(_, case)| {
        at += 1;
        at <= start
            || case.failure_type.as_deref() == Some(super::fold::FAILED_IN_WHOLE_FILE)
            || !superseded.contains(&crate::suite::runners::events::names_of(case))
    });
}

/// The failed tests to re-run together: all at once, or one item at a time
/// when the runner's JUnit can't tell the items apart. Files that never
/// started (jest's, behind `--bail` or a crash: [`names_a_file`]) are a
/// group of their own, run as files: no name selects their tests.
fn retry_groups(
    failed: &[(String, TestRef)],
    junit_names_files: bool,
) -> Vec<Vec<(String, TestRef)>> {
    let (files, tests): (Vec<_>, Vec<_>) = failed
        .iter()
        .cloned()
        .partition(|(_, t)| names_a_file(&t.classname, &t.name, t.file.as_deref()));
    let mut groups: Vec<Vec<(String, TestRef)>> = Vec::new();
    if junit_names_files {
        groups.push(tests);
    } else {
        let mut by_item: BTreeMap<String, Vec<(String, TestRef)>> = BTreeMap::new();
        for (item, test) in tests {
            by_item.entry(item.clone()).or_default().push((item, test));
        }
        groups.extend(by_item.into_values());
    }
    groups.push(files);
    groups.retain(|group| !group.is_empty());
    groups
}

/// The failed tests to retry in three parts: those that never ran in the
/// last attempt (`last`), the rest, then those the runner died under in
/// it. A test that stops its runner (a crash, pytest-timeout's thread
/// method killing the process, `-x`) would, run with them, stop them again
/// where it comes first in file order: apart, they run. So would tests
/// that crash every time, more of them in a row than the re-runs behind a
/// crash ([`CRASH_RERUNS`]) get past. Empty parts are left out; each says
/// whether it is the first.
fn never_ran_apart(
    runner: &dyn Runner,
    failed: Vec<(String, TestRef)>,
    last: &[(String, TestCase)],
) -> Vec<(bool, Vec<(String, TestRef)>)> {
    let names = |case: &TestCase| (case.classname.clone(), case.name.clone());
    let never: BTreeSet<(String, String)> = last
        .iter()
        .filter(|(_, c)| is_never_ran(c))
        .map(|(_, c)| names(c))
        .collect();
    let crashed: BTreeSet<(String, String)> = last
        .iter()
        .filter(|(_, c)| crashed_under(runner, c))
        .map(|(_, c)| names(c))
        .collect();
    let key = |test: &TestRef| (test.classname.clone(), test.name.clone());
    let (first, rest): (Vec<_>, Vec<_>) = failed
        .into_iter()
        .partition(|(_, test)| never.contains(&key(test)));
    let (crashers, rest): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|(_, test)| crashed.contains(&key(test)));
    [(true, first), (false, rest), (false, crashers)]
        .into_iter()
        .filter(|(_, part)| !part.is_empty())
        .collect()
}

/// Tests whose attempts so far all failed, with their item. `test_files`
/// gives the file of each split-out test's item.
fn failed_tests(
    cases: &[(String, TestCase)],
    starts: &[usize],
    test_files: &TestFiles<'_>,
) -> Vec<(String, TestRef)> {
    let mut items: BTreeMap<(Option<String>, String, String), String> = BTreeMap::new();
    for (item, case) in cases {
        items.insert(
            (case.file.clone(), case.classname.clone(), case.name.clone()),
            item.clone(),
        );
    }
    let (_, _, tests) = fold(cases, starts).finish();
    let failed: Vec<(String, TestRef)> = tests
        .into_iter()
        // Not those a retry would only repeat (see NOT_RETRIED), nor a
        // file that another imported under its name first.
        .filter(|t| {
            let kind = t.failure.as_ref().and_then(|f| f.failure_type.as_deref());
            t.outcome == FinalOutcome::Failed
                && !kind.is_some_and(|k| NOT_RETRIED.contains(&k))
                && !name_taken(t)
        })
        .map(|t| {
            let item = items
                .get(&(
                    t.key.file.clone(),
                    t.key.classname.clone(),
                    t.key.name.clone(),
                ))
                .cloned()
                .unwrap_or_default();
            // Runners whose JUnit names no file (node) ran one file per
            // process: the item's file is the one to re-run it from.
            let item_file = test_files.get(item.as_str()).map_or(item.as_str(), |f| f.0);
            let file = t
                .key
                .file
                .or_else(|| (!item_file.is_empty()).then(|| item_file.to_owned()));
            let test = TestRef {
                file,
                classname: t.key.classname,
                name: t.key.name,
            };
            (item, test)
        })
        .collect();
    // Same-named tests (occurrences) are re-run by one name.
    let mut seen = BTreeSet::new();
    failed
        .into_iter()
        .filter(|pair| seen.insert(pair.clone()))
        .collect()
}

/// The cases folded into tests: the cases of one attempt are distinct
/// tests, a later attempt's are re-runs. A "never ran" placeholder that a
/// later attempt did run is dropped: its real result is its first.
fn fold(cases: &[(String, TestCase)], starts: &[usize]) -> Folder {
    // A placeholder ran later as itself, or as the tests inside it (a node
    // `describe` re-run by name). One standing for a whole file that never
    // started (jest) gives way to any later result of its file, even one
    // that names a test of it as never run: that one says more.
    let ran_later = |index: usize, case: &TestCase| {
        let whole_file = stands_for_a_file(case);
        cases[index + 1..].iter().any(|(_, later)| {
            let ran = later.failure_type.as_deref() != Some(NEVER_RAN)
                && ((later.classname == case.classname
                    && later.name == case.name
                    && later.file == case.file)
                    || holds_case(case, later));
            let of_the_file = whole_file
                && !(later.classname.is_empty() && later.name == case.name)
                && junit::test_file(later).is_some_and(|f| normalise(&f) == normalise(&case.name));
            ran || of_the_file
        })
    };
    let mut folder = Folder::default();
    for (index, (_, case)) in cases.iter().enumerate() {
        if index > 0 && starts.contains(&index) {
            folder.next_attempt();
        }
        if case.failure_type.as_deref() == Some(NEVER_RAN) && ran_later(index, case) {
            continue;
        }
        folder.add(case.clone());
    }
    folder
}

fn item_results(
    items: &[String],
    test_files: &TestFiles<'_>,
    cases: &[(String, TestCase)],
    ran_no_test: &BTreeSet<String>,
) -> Vec<ItemResult> {
    let mut results: BTreeMap<&str, ItemResult> = items
        .iter()
        .map(|id| {
            let result = ItemResult {
                id: id.clone(),
                test_of: test_files.get(id.as_str()).map(|f| f.0.to_owned()),
                tests: 0,
                duration_seconds: 0.0,
                selected_none: false,
            };
            (id.as_str(), result)
        })
        .collect();
    // First-attempt cases only: same-named cases in one attempt are
    // distinct tests, each counted.
    for (item, case) in cases {
        if let Some(result) = results.get_mut(item.as_str()) {
            result.tests = result.tests.saturating_add(1);
            result.duration_seconds += case.time_seconds;
        }
    }
    items
        .iter()
        .filter_map(|id| results.remove(id.as_str()))
        .map(|mut result| {
            result.selected_none = result.tests == 0 && ran_no_test.contains(&result.id);
            result
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(classname: &str, name: &str, outcome: Outcome) -> TestCase {
        TestCase {
            suite: String::new(),
            classname: classname.into(),
            name: name.into(),
            file: None,
            line: None,
            time_seconds: 1.0,
            outcome,
            message: None,
            failure_type: None,
            details: None,
            reruns: Vec::new(),
        }
    }

    #[test]
    fn a_file_named_relative_to_the_runners_test_dir_is_its_item() {
        // Playwright's classname is the file relative to `testDir`.
        let group = ["tests/a.spec.js".to_string(), "tests/b.spec.js".to_string()];
        let cases = vec![
            case("a.spec.js", "a test", Outcome::Passed),
            case("b.spec.js", "b test", Outcome::Passed),
            case("tests/a.spec.js", "direct", Outcome::Passed),
        ];
        let attributed = attribute(cases, &group);
        let items: Vec<(&str, Option<&str>)> = attributed
            .iter()
            .map(|(item, case)| (item.as_str(), case.file.as_deref()))
            .collect();
        assert_eq!(
            items,
            [
                ("tests/a.spec.js", Some("tests/a.spec.js")),
                ("tests/b.spec.js", Some("tests/b.spec.js")),
                ("tests/a.spec.js", Some("tests/a.spec.js")),
            ]
        );
        // Two items ending in the name: neither is guessed.
        let group = ["x/a.spec.js".to_string(), "y/a.spec.js".to_string()];
        let attributed = attribute(vec![case("a.spec.js", "t", Outcome::Passed)], &group);
        assert_ne!(attributed[0].0, "x/a.spec.js");
        assert_ne!(attributed[0].0, "y/a.spec.js");
    }

    #[test]
    fn each_failed_go_build_names_its_own_packages_first_error() {
        let failed = |package: &str| TestCase {
            failure_type: Some(GO_BUILD_FAILED.to_owned()),
            ..case(package, package, Outcome::Errored)
        };
        let tail = "# example.com/gm/a\n\
a/a_test.go:3:27: undefined: x\n\
# example.com/gm/b [example.com/gm/b.test]\n\
b/b_test.go:4:1: syntax error: unexpected }\n\
FAIL\texample.com/gm/a [build failed]\n";
        let mut cases = vec![
            failed("example.com/gm/a"),
            failed("example.com/gm/b"),
            failed("example.com/gm/c"),
        ];
        with_build_errors(&mut cases, tail);
        let messages: Vec<_> = cases.iter().map(|c| c.message.as_deref()).collect();
        assert_eq!(
            messages,
            [
                Some("build failed: a/a_test.go:3:27: undefined: x"),
                Some("build failed: b/b_test.go:4:1: syntax error: unexpected }"),
                // No section of its own among several failed builds: no
                // other package's error.
                None,
            ]
        );
        // One failed package takes the tail's first error, header or not.
        let mut one = vec![failed("example.com/gm/c")];
        with_build_errors(&mut one, "c/c_test.go:1:1: expected 'package'\n");
        assert_eq!(
            one[0].message.as_deref(),
            Some("build failed: c/c_test.go:1:1: expected 'package'")
        );
    }

    fn planned(name: &str) -> PlannedTest {
        PlannedTest {
            id: format!("slow.py::{name}"),
            classname: "slow".into(),
            name: name.into(),
        }
    }

    fn claimed(found: &[(String, TestCase)]) -> Vec<(&str, &str)> {
        found
            .iter()
            .map(|(item, c)| (item.as_str(), c.name.as_str()))
            .collect()
    }

    #[test]
    fn a_run_of_tests_that_never_ran_takes_their_placeholders_place() {
        let placeholder =
            |name: &str| never_ran(case("a", name, Outcome::Errored), "behind a hang");
        let mut cases: Vec<(String, TestCase)> = vec![
            ("a.py".into(), case("a", "test_ok", Outcome::Passed)),
            ("a.py".into(), placeholder("test_after")),
            ("a.py".into(), placeholder("test_last")),
            ("b.py".into(), placeholder("test_after")),
            // The re-run: one ran, one is still behind a second hang.
            ("a.py".into(), case("a", "test_after", Outcome::Passed)),
            ("a.py".into(), placeholder("test_last")),
        ];
        give_way(&mut cases, 4);
        let left: Vec<(&str, &str, bool)> = cases
            .iter()
            .map(|(item, c)| (item.as_str(), c.name.as_str(), is_never_ran(c)))
            .collect();
        assert_eq!(
            left,
            [
                ("a.py", "test_ok", false),
                ("b.py", "test_after", true),
                ("a.py", "test_after", false),
                ("a.py", "test_last", true),
            ]
        );
    }

    #[test]
    fn a_rest_claims_everything_but_the_planned_tests() {
        let planned = [planned("test_a"), planned("test_b")];
        let found = claim_rest(
            vec![
                case("slow", "test_a", Outcome::Skipped),
                case("slow", "test_c", Outcome::Passed),
                case("slow", "test_new", Outcome::Failed),
            ],
            "slow.py",
            &planned,
        );
        assert_eq!(
            claimed(&found),
            [("slow.py", "test_c"), ("slow.py", "test_new")]
        );
        assert_eq!(found[0].1.file.as_deref(), Some("slow.py"));
    }

    #[test]
    fn a_tests_group_keeps_what_no_other_item_runs() {
        let planned = [planned("test_a"), planned("test_b")];
        let mine = [&planned[0]];
        let found = claim_tests(
            vec![
                case("slow", "test_a", Outcome::Passed),
                // Planned in another shard: that shard's.
                case("slow", "test_b", Outcome::Passed),
                // Listed as skipped by a name pattern: the rest runs it.
                case("slow", "test_c", Outcome::Skipped),
                // Caught by a case-insensitive pattern; the rest left it out
                // with the same pattern, so it is kept here.
                case("slow", "TEST_A", Outcome::Passed),
            ],
            "slow.py",
            &mine,
            &planned,
        );
        assert_eq!(
            claimed(&found),
            [("slow.py::test_a", "test_a"), ("slow.py", "TEST_A")]
        );
    }

    #[test]
    fn items_are_grouped_into_files_rests_and_tests() {
        let split: BTreeMap<String, Vec<PlannedTest>> = [(
            "slow.py".to_owned(),
            vec![planned("test_a"), planned("test_b")],
        )]
        .into();
        let items: Vec<String> = ["a.py", "slow.py", "slow.py::test_b", "z.py"]
            .map(str::to_owned)
            .to_vec();
        let scratch = Path::new("/nonexistent");
        let shard = ShardRun {
            runner: crate::suite::runners::by_name("pytest").unwrap(),
            base: &[],
            items: &items,
            split_files: &split,
            plan_items: &BTreeSet::new(),
            discover: false,
            retries: 0,
            timeout: None,
            dir: scratch,
            scratch,
            sink: Sink::Inherit,
            env: Vec::new(),
        };
        let test_files = test_files(&split);
        let described: Vec<String> = groups(&shard, &test_files)
            .iter()
            .map(|g| match g {
                Group::Files(files) => format!("files {}", files.join(" ")),
                Group::Rest { file, planned } => format!("rest {file} -{}", planned.len()),
                Group::Discovered => "discovered".to_owned(),
                Group::Tests { file, tests, .. } => {
                    let ids: Vec<&str> = tests.iter().map(|t| t.id.as_str()).collect();
                    format!("tests {file}: {}", ids.join(" "))
                }
            })
            .collect();
        assert_eq!(
            described,
            [
                "files a.py z.py",
                "rest slow.py -2",
                "tests slow.py: slow.py::test_b"
            ]
        );
        let results = item_results(&items, &test_files, &[], &BTreeSet::new());
        assert_eq!(results[2].test_of.as_deref(), Some("slow.py"));
        assert_eq!(results[0].test_of, None);
    }
}
