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

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::fold::{Counts, FinalOutcome, Folder, TestResult};
use super::junit::{self, Outcome, TestCase};
use super::result::{ItemResult, ShardError};
use super::runners::{
    AfterHang, GO_BUILD_FAILED, GO_INCOMPLETE, GO_PACKAGE_FAILED, Invocation, JunitSource, Runner,
    RunnerError, Selection, TestRef, events,
};
use super::slow_files::PlannedTest;
use crate::paths::normalise;
use crate::process::logged::{self as process, Sink, Timeout};
use crate::process_group::Schedule;
use crate::suite::runners::events::holds;

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
    /// Whether the runner's report named no planned file for a test of a
    /// process that ran several (see [`Runner::report_may_misname_files`]):
    /// the shard's files then run one per process.
    files_apart: Cell<bool>,
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
        files_apart: Cell::new(false),
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
        let parts = never_ran_apart(shard.runner, failed, &cases[starts[starts.len() - 2]..]);
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
            };
            match retry_found(shard, &test_files, &retried, &mut junit_path, attempts) {
                Ok(found) => cases.extend(found),
                Err(e) => error = error.or(Some(e)),
            }
        }
    }

    let first_attempt = &cases[..starts.get(1).copied().unwrap_or(cases.len())];
    // Found by the runner: its items are the files that reported.
    let found: Vec<String> = match shard.discover {
        true => first_attempt
            .iter()
            .map(|(item, _)| item.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
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
/// whole timeout once already; a build that failed, a file that did not
/// load or failed outside its tests fails again on the same tree (and names
/// no test a runner could select). And one a retry could not repeat: a
/// wider fixture's teardown error pinned on the last test of its scope
/// (pytest: a class-, module- or session-scoped fixture), which that test
/// run alone does not reach, so a teardown failing every run read as flaky
/// (round 19).
const NOT_RETRIED: [&str; 7] = [
    TIMED_OUT,
    SUBTEST_TIMED_OUT,
    super::runners::rustc::COMPILE,
    GO_BUILD_FAILED,
    super::runners::playwright::LOAD_ERROR,
    super::runners::NODE_FILE_FAILED,
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

/// Runs `group` once and returns the cases it claims, each with its item.
/// When a group of split-out tests reports nothing at all, each test is run
/// alone, so one test deleted since the plan (pytest refuses to run any
/// test when one id is not found) does not take the others down; a test
/// that then reports nothing is left with no case, which the merge names.
fn first_run(
    shard: &Running<'_, '_>,
    group: &Group<'_>,
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    match group {
        Group::Files(files) => {
            let claimed = run_files(shard, files.clone(), junit_path)?;
            with_rest_of_hung_files(shard, claimed, &[], junit_path)
        }
        Group::Discovered => {
            let found = run_selection(shard, &Selection::Discovered, &junit_path())?;
            let found = attribute(found, &[]);
            // Its files are named by their results, and those it found and
            // never started behind a hang by their placeholders: these run
            // again by name, and a hung file's rest as a file given by
            // name does.
            let items: BTreeSet<String> = found.iter().map(|(item, _)| item.clone()).collect();
            let items: Vec<String> = items.into_iter().collect();
            let unreported = match found.iter().any(|(_, c)| is_timed_out(c)) {
                true => unreported(&items, &found),
                false => Vec::new(),
            };
            let mut claimed: Vec<_> = found
                .into_iter()
                .filter(|(item, _)| !unreported.contains(item))
                .collect();
            if !unreported.is_empty() {
                claimed.extend(run_files(shard, unreported, junit_path)?);
            }
            with_rest_of_hung_files(shard, claimed, &[], junit_path)
        }
        Group::Rest { file, planned } => {
            let refs: Vec<TestRef> = planned.iter().map(|t| t.test_ref(file)).collect();
            let selection = Selection::FileExcept { file, tests: &refs };
            let found = run_selection(shard, &selection, &junit_path())?;
            // A hang in the rest leaves out its tests behind it as a hang
            // in a whole file does; the tests split out stay left out.
            with_rest_of_hung_files(shard, claim_rest(found, file, planned), &refs, junit_path)
        }
        Group::Tests {
            file,
            tests,
            planned,
        } => {
            let mut claimed = split_out_tests(shard, file, tests, planned, junit_path)?;
            // A hang or a crash stopped the run: the tests selected behind
            // it never ran (jest never names them; others name them under
            // items of their own, which no hang marks). They run again
            // without those that have a result, at most three times, as a
            // hung file's rest does.
            for _ in 0..3 {
                if !claimed.iter().any(|(_, c)| is_stopped_under(c)) {
                    break;
                }
                let ran = |t: &PlannedTest| {
                    claimed
                        .iter()
                        .any(|(_, c)| is_test(c, t) && !is_never_ran(c))
                };
                let left: Vec<&PlannedTest> = tests.iter().copied().filter(|t| !ran(t)).collect();
                if left.is_empty() || left.len() == tests.len() {
                    break;
                }
                let before = claimed.len();
                claimed.extend(split_out_tests(shard, file, &left, planned, junit_path)?);
                give_way(&mut claimed, before);
            }
            Ok(claimed)
        }
    }
}

/// Runs `tests` split out of `file` by name, each claimed by its item.
fn split_out_tests(
    shard: &Running<'_, '_>,
    file: &str,
    tests: &[&PlannedTest],
    planned: &[PlannedTest],
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let refs: Vec<TestRef> = tests.iter().map(|t| t.test_ref(file)).collect();
    match run_selection(shard, &Selection::Tests(&refs), &junit_path()) {
        Ok(found) => Ok(claim_tests(found, file, tests, planned)),
        Err(e) if e.kind == NO_TESTS && tests.len() > 1 => {
            let mut claimed = Vec::new();
            for (test, one) in tests.iter().zip(&refs) {
                let alone = std::slice::from_ref(one);
                match run_selection(shard, &Selection::Tests(alone), &junit_path()) {
                    Ok(found) => claimed.extend(claim_tests(found, file, &[test], planned)),
                    Err(e) if e.kind == NO_TESTS => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(claimed)
        }
        Err(e) if e.kind == NO_TESTS => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Runs `files` in one process. Node reports a file's results only after
/// the files before it, and a runner running files one after the other
/// (jest in band, pytest) never starts those behind a hung one: at a
/// timeout, the files with no result but "never ran" run again (in a
/// process of their own, same timeout), until one run reports them all.
fn run_files(
    shard: &Running<'_, '_>,
    mut files: Vec<String>,
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let mut claimed = Vec::new();
    if shard.files_apart.get() && files.len() > 1 {
        return files_one_by_one(shard, files, junit_path);
    }
    loop {
        let found = run_selection(shard, &Selection::Files(&files), &junit_path())?;
        let mut found = attribute(found, &files);
        if shard.run_finished.take() {
            selected_none(shard, &unreported(&files, &found));
        }
        // Run alone, a file's results are its own where such a report
        // names no file of the project (unittest's loader for a module it
        // could not import): one it names that is there stays (a command
        // that runs more files than it is given).
        if let [file] = files.as_slice()
            && shard.runner.report_may_misname_files()
        {
            for (_, case) in &mut found {
                let named = case.file.as_deref().map(normalise);
                let in_project = named.is_some_and(|named| {
                    !Path::new(&named).is_absolute() && shard.dir.join(&named).is_file()
                });
                if !in_project {
                    case.file = Some(file.clone());
                }
            }
        }
        if files.len() > 1
            && shard.runner.report_may_misname_files()
            && found.iter().any(|(item, _)| !files.contains(item))
        {
            tracing::warn!(
                "the report of `{}` names no file it was given for some of its tests: \
                 each test file of the shard runs in a process of its own (a report \
                 that names each test's file lets them run together)",
                crate::escape::control_chars(&shard.base.join(" "))
            );
            shard.files_apart.set(true);
            let first = files[0].clone();
            let mut apart = files_one_by_one(shard, files, junit_path)?;
            keep_failures_of_the_run_together(found, &mut apart, &first);
            claimed.extend(apart);
            return Ok(claimed);
        }
        let timed_out = found.iter().any(|(_, c)| is_timed_out(c));
        let unreported = unreported(&files, &found);
        let again = timed_out && !unreported.is_empty() && unreported.len() < files.len();
        if !again {
            claimed.extend(found);
            return Ok(claimed);
        }
        // Their placeholders give way to the results of the re-run.
        claimed.extend(
            found
                .into_iter()
                .filter(|(item, _)| !unreported.contains(item)),
        );
        files = unreported;
    }
}

/// The failures of a run of several files whose report could not tell
/// them apart (`together`), kept in the results of the files run one by
/// one (`apart`): a test that failed with the other files and passed alone
/// failed its first attempt (a retry may call it flaky; it is never
/// passed), and one the runs apart never reported stands as it failed,
/// under `first` (the process's first file: its own is unknown).
fn keep_failures_of_the_run_together(
    together: Vec<(String, TestCase)>,
    apart: &mut Vec<(String, TestCase)>,
    first: &str,
) {
    let failed = |c: &TestCase| matches!(c.outcome, Outcome::Failed | Outcome::Errored);
    for (_, failure) in together.into_iter().filter(|(_, c)| failed(c)) {
        let same = |c: &TestCase| c.classname == failure.classname && c.name == failure.name;
        if !apart.iter().any(|(_, c)| same(c)) {
            apart.push((first.to_owned(), with_file(failure, first)));
            continue;
        }
        for (_, case) in apart.iter_mut().filter(|(_, c)| same(c) && !failed(c)) {
            let alone = match case.outcome {
                Outcome::Skipped => "skipped",
                _ => "passed",
            };
            case.outcome = failure.outcome;
            case.message = Some(format!(
                "failed when run with the other files of its shard, {alone} alone: {}",
                failure.message.as_deref().unwrap_or_default()
            ));
            case.failure_type = failure.failure_type.clone();
            case.details = failure.details.clone();
        }
    }
}

/// Runs each of `files` in a process of its own, where every result is
/// the file's.
fn files_one_by_one(
    shard: &Running<'_, '_>,
    files: Vec<String>,
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let mut claimed = Vec::new();
    for file in files {
        claimed.extend(run_files(shard, vec![file], junit_path)?);
    }
    Ok(claimed)
}

/// Marks `files` that reported nothing in a run the runner finished as
/// run with no test selected (node with test isolation off reports no file
/// of its own, and `test.only` in one file leaves the others' tests out
/// unreported): the runner ran them, and its verdict stands. One that is
/// not in the tree (node ignores a missing file there) stays unreported.
fn selected_none(shard: &Running<'_, '_>, files: &[String]) {
    let in_tree = files.iter().filter(|f| shard.dir.join(f).is_file());
    shard.ran_no_test.borrow_mut().extend(in_tree.cloned());
}

/// The `files` with no result in `found` but "never ran".
fn unreported(files: &[String], found: &[(String, TestCase)]) -> Vec<String> {
    files
        .iter()
        .filter(|f| !found.iter().any(|(item, c)| item == *f && !is_never_ran(c)))
        .cloned()
        .collect()
}

/// `claimed` with the rest of each hung file (see [`rest_of_hung_files`])
/// where the runner can leave tests out: always (jest), or as the shard's
/// runs found it (node from version 22, which names the tests queued
/// behind a hang but not those a blocked `describe` never queued; their
/// placeholders give way to the rest's results). `elsewhere`: a split
/// file's tests planned as items of their own (in this shard or another),
/// which every run of its rest leaves out.
fn with_rest_of_hung_files(
    shard: &Running<'_, '_>,
    mut claimed: Vec<(String, TestCase)>,
    elsewhere: &[TestRef],
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    if shard.runner.excludes_tests() {
        let rest = rest_of_hung_files(shard, &claimed, false, elsewhere, junit_path)?;
        claimed.extend(rest);
        return Ok(claimed);
    }
    if !claimed.iter().any(|(_, c)| is_timed_out(c)) {
        return Ok(claimed);
    }
    match shard.runner.after_hang(shard.scratch) {
        AfterHang::NamesThem => {}
        AfterHang::RunsTheRest => {
            let before = claimed.len();
            let rest = rest_of_hung_files(shard, &claimed, true, elsewhere, junit_path)?;
            claimed.extend(rest);
            give_way(&mut claimed, before);
        }
        AfterHang::MissesTheBlock => {
            for (item, hung) in claimed.iter().filter(|(_, c)| is_timed_out(c)) {
                let Some((_, block)) = events::ancestors(&hung.classname).last() else {
                    continue;
                };
                tracing::warn!(
                    "{}: tests after `{}` in its block `{}` may never have run and are not counted: \
                     this {} cannot leave the hung test out of a run of its block (Node 22 can)",
                    crate::escape::control_chars(item),
                    crate::escape::control_chars(&hung.name),
                    crate::escape::control_chars(block),
                    shard.runner.name(),
                );
            }
        }
    }
    Ok(claimed)
}

/// The tests after a hung one in its file, where the runner did not name
/// them (jest knows a file's tests only as they run): the file runs again
/// without every test it reported, once more for each further test that
/// hangs (at most three times). Their results are these tests' first. A
/// runner that named what it never ran (pytest, vitest) has those retried
/// instead, unless `placeholders` says it may not have named them all
/// (node): then the file runs again without the tests that hung (node
/// runs the others it reported again, and only new results are kept), and
/// the ones it named as never ran run with the rest.
fn rest_of_hung_files(
    shard: &Running<'_, '_>,
    claimed: &[(String, TestCase)],
    placeholders: bool,
    elsewhere: &[TestRef],
    junit_path: &mut impl FnMut() -> PathBuf,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let hung: BTreeSet<&str> = claimed
        .iter()
        .filter(|(_, c)| is_stopped_under(c))
        .map(|(item, _)| item.as_str())
        .collect();
    let mut more = Vec::new();
    for file in hung {
        let here: Vec<&TestCase> = claimed
            .iter()
            .filter(|(item, _)| item == file)
            .map(|(_, c)| c)
            .collect();
        if !placeholders && here.iter().any(|c| is_never_ran(c)) {
            continue;
        }
        let reported = |case: &TestCase| TestRef {
            file: Some(file.to_owned()),
            classname: case.classname.clone(),
            name: case.name.clone(),
        };
        // A test failed by its hung subtest is not left out: that would
        // leave out its other subtests too. Its result in the run is not
        // taken: it passes there without the subtest.
        let (failed_by_hang, others): (Vec<&TestCase>, Vec<&TestCase>) = here
            .iter()
            .copied()
            .partition(|c| is_failed_by_hung_subtest(c));
        let failed_by_hang: Vec<TestRef> = failed_by_hang.into_iter().map(reported).collect();
        let mut seen: Vec<TestRef> = others
            .into_iter()
            .filter(|c| !(placeholders && is_never_ran(c)))
            .map(reported)
            .chain(
                elsewhere
                    .iter()
                    .filter(|t| t.file.as_deref() == Some(file))
                    .cloned(),
            )
            .collect();
        let hung_here: Vec<&TestCase> = here.into_iter().filter(|c| is_stopped_under(c)).collect();
        for _ in 0..3 {
            let selection = Selection::FileExcept { file, tests: &seen };
            // Nothing left to run (the hung test was the file's last) is
            // no error: some runners refuse a selection with no test.
            let found = match run_selection(shard, &selection, &junit_path()) {
                Err(e) if e.kind == NO_TESTS => break,
                found => found?,
            };
            // The runner could not leave the hung test out after all (a
            // name it reads otherwise): what is behind it stays unseen.
            if let Some(again) = found
                .iter()
                .find(|c| is_stopped_under(c) && seen.iter().any(|t| is_retried(t, c)))
            {
                tracing::warn!(
                    "{}: `{}` hung again when the rest of its file ran: tests after it may never have run",
                    crate::escape::control_chars(file),
                    crate::escape::control_chars(&again.name),
                );
            }
            // jest matches `-t` ignoring case: leaving out `check` also left
            // out a later `Check`, reported skipped. Such a test never ran:
            // it is retried like one.
            let same_but_case = |c: &TestCase| {
                c.outcome == Outcome::Skipped
                    && seen.iter().any(|t| {
                        t.classname.to_lowercase() == c.classname.to_lowercase()
                            && t.name.to_lowercase() == c.name.to_lowercase()
                    })
            };
            // A test around one that hung, of a kind the trace could not
            // tell (node passes it in this run, without its hung subtest).
            let around_hang = |c: &TestCase| hung_here.iter().find(|h| holds_case(c, h));
            let new: Vec<TestCase> = found
                .into_iter()
                .filter(|c| !seen.iter().chain(&failed_by_hang).any(|t| is_retried(t, c)))
                .map(|c| match (same_but_case(&c), around_hang(&c)) {
                    (true, _) => {
                        never_ran(c, "left out with a test whose name differs only in case")
                    }
                    (false, Some(hung)) => failed_by_hung_subtest(c, hung),
                    (false, None) => c,
                })
                .collect();
            let hung_again = new.iter().any(is_stopped_under);
            seen.extend(new.iter().map(reported));
            more.extend(
                new.into_iter()
                    .map(|c| (file.to_owned(), with_file(c, file))),
            );
            if !hung_again {
                break;
            }
        }
    }
    Ok(more)
}

/// Runs one selection on its first attempt.
fn run_selection(
    shard: &Running<'_, '_>,
    selection: &Selection<'_>,
    junit_path: &Path,
) -> Result<Vec<TestCase>, ShardError> {
    let invocation = shard
        .runner
        .invocation(shard.base, selection, junit_path)
        .map_err(cannot_start)?;
    let mut cases = attempt(shard, &invocation, 1)?;
    if shard.runner.runs_dependencies() {
        let kept = &mut shard.kept_dependencies.borrow_mut();
        leave_out_dependencies(
            &mut cases,
            selection,
            shard.plan_items,
            shard.split_files,
            kept,
        );
    }
    if matches!(invocation.junit, JunitSource::ConvertGoJson)
        && let Selection::Files(packages) = selection
    {
        let unrun = super::go_unrun::unrun(shard.base, shard.dir, packages, &cases);
        // Behind a test that panicked, the package's binary died: those
        // tests run again in the same attempt, as behind any crash (their
        // retries stay theirs); behind a `-failfast` stop they do not.
        let panicked = |package: &str| {
            cases
                .iter()
                .find(|c| c.classname == package && crashed_under(shard.runner, c))
        };
        let placeholders: Vec<TestCase> = unrun
            .into_iter()
            .map(|(package, test)| {
                let why = match panicked(&package) {
                    Some(test) => format!("{} (it panicked)", exited_while(&test.name)),
                    None => "its package stopped before it (-failfast, or the timeout)".to_owned(),
                };
                never_ran(events::bare_case((None, package, test)), &why)
            })
            .collect();
        cases.extend(placeholders);
    }
    Ok(cases)
}

/// Leaves out the results of tests outside `selection`'s files that the
/// runner ran because the selected ones depend on them (a Playwright setup
/// project runs in every shard that runs its dependents): such a test is
/// counted where its own file is planned, or, when no shard plans it
/// (`plan_items` known), in every shard that ran it, once (`kept`: the
/// ones kept already; the merge counts the shards' copies once). One that
/// failed stays, so that the reason its dependents never ran is never lost.
fn leave_out_dependencies(
    cases: &mut Vec<TestCase>,
    selection: &Selection<'_>,
    plan_items: &BTreeSet<String>,
    split_files: &BTreeMap<String, Vec<PlannedTest>>,
    kept: &mut BTreeSet<(String, String)>,
) {
    let files: Vec<&str> = match selection {
        Selection::Files(files) => files.iter().map(String::as_str).collect(),
        Selection::Tests(tests) => tests.iter().filter_map(|t| t.file.as_deref()).collect(),
        Selection::FileExcept { file, .. } => vec![file],
        Selection::Discovered => return,
    };
    /// Whether one of `files` is the file a report names `named`.
    fn among<S: AsRef<str>>(files: impl IntoIterator<Item = S>, named: &str) -> bool {
        files.into_iter().any(|f| {
            let f = f.as_ref();
            normalise(f) == named || ends_in(f, named)
        })
    }
    let planned_nowhere = |named: &str| {
        !plan_items.is_empty() && !among(plan_items, named) && !among(split_files.keys(), named)
    };
    cases.retain(|case| {
        let named = junit::test_file(case).unwrap_or_else(|| case.classname.clone());
        let named = normalise(&named);
        matches!(case.outcome, Outcome::Failed | Outcome::Errored)
            || among(&files, &named)
            || planned_nowhere(&named) && kept.insert((case.classname.clone(), case.name.clone()))
    });
}

/// Whether the planned `item` is the file a report names relative to some
/// folder of its own (Playwright's `testDir`: `a.spec.ts` for
/// `tests/a.spec.ts`).
fn ends_in(item: &str, file: &str) -> bool {
    item.strip_suffix(file.trim_start_matches("./"))
        .is_some_and(|head| head.ends_with('/'))
}

/// Whether `case` is `test` (by its testcase names).
fn is_test(case: &TestCase, test: &PlannedTest) -> bool {
    case.classname == test.classname && case.name == test.name
}

/// A rest's cases all belong to its file, except the planned tests the
/// runner may still report (as skipped, or because it left out less).
fn claim_rest(
    cases: Vec<TestCase>,
    file: &str,
    planned: &[PlannedTest],
) -> Vec<(String, TestCase)> {
    cases
        .into_iter()
        .filter(|case| !planned.iter().any(|t| is_test(case, t)))
        .map(|case| (file.to_owned(), with_file(case, file)))
        .collect()
}

/// A tests group's cases: each selected test goes to its own item; the
/// file's other planned tests are someone else's and skipped bystanders
/// are the rest's, so both are dropped; any other test the pattern caught
/// (a case-insensitive match, a new test) is kept for the file, since the
/// rest may have left it out with the same pattern.
fn claim_tests(
    cases: Vec<TestCase>,
    file: &str,
    tests: &[&PlannedTest],
    planned: &[PlannedTest],
) -> Vec<(String, TestCase)> {
    cases
        .into_iter()
        .filter_map(|case| {
            let item = match tests.iter().find(|t| is_test(&case, t)) {
                Some(test) => test.id.clone(),
                None if planned.iter().any(|t| is_test(&case, t)) => return None,
                None if case.outcome == Outcome::Skipped => return None,
                None => file.to_owned(),
            };
            Some((item, with_file(case, file)))
        })
        .collect()
}

/// The case with `file` as its file when its report named none (node).
fn with_file(mut case: TestCase, file: &str) -> TestCase {
    if case.file.is_none() && junit::test_file(&case).is_none() {
        case.file = Some(file.to_owned());
    }
    case
}

/// A runner adapter that can't build its command line: the shard can't start.
fn cannot_start(error: RunnerError) -> ShardError {
    shard_error("spawn", error.to_string(), String::new())
}

/// What a retry re-runs: failed tests with their items, and the cases so
/// far that stood for a file that could not be collected.
struct Retried<'a> {
    tests: &'a [(String, TestRef)],
    stand_ins: &'a [TestCase],
    /// Where to put the other tests the re-run reported in the re-run
    /// tests' files (skipped by the name pattern, mostly), each with the
    /// item of a re-run test of its file: after a hang, any of them with no
    /// result yet never ran.
    seen: Option<&'a RefCell<Vec<(String, TestCase)>>>,
    /// The tests never ran in the last attempt: what the runner reports
    /// of the tests inside them ([`Runner::runs_inside`]: node's `a > b`,
    /// go's `TestB/b1`) is seen for the first time, and counts.
    never_ran: bool,
}

/// Re-runs `failed` (only those tests where the runner can select them,
/// else their files) and returns the re-run tests' own results, each with
/// the item it failed in. Where a failed test stood for a file that could
/// not be collected and the re-run collected it, the file's tests are new
/// tests and the stand-in passed (it was flaky): they are not lost.
fn retry(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let failed = retried.tests;
    let refs: Vec<TestRef> = failed.iter().map(|(_, t)| t.clone()).collect();
    // Files that never started ([`retry_groups`] keeps them apart): their
    // tests, whatever their names, are the files' results.
    let files_only = names_files(failed);
    let rerun = match files_only {
        true => None,
        false => shard.runner.rerun(shard.base, &refs, junit_path),
    };
    let invocation = match rerun {
        Some(invocation) => invocation,
        None => {
            let files: BTreeSet<String> = failed
                .iter()
                .map(|(item, _)| test_files.get(item.as_str()).map_or(item.as_str(), |f| f.0))
                .map(str::to_owned)
                .collect();
            let files: Vec<String> = files.into_iter().collect();
            shard
                .runner
                .invocation(shard.base, &Selection::Files(&files), junit_path)
        }
    }
    .map_err(cannot_start)?;
    let found = attempt(shard, &invocation, attempt_number)?;
    if files_only {
        return Ok(found
            .into_iter()
            .filter_map(|mut case| {
                let file = junit::test_file(&case).map(|f| normalise(&f))?;
                let (item, test) = failed
                    .iter()
                    .find(|(_, t)| t.file.as_deref().map(normalise).as_ref() == Some(&file))?;
                case.file = test.file.clone();
                Some((item.clone(), case))
            })
            .collect());
    }
    let stand_ins: Vec<&(String, TestRef)> = failed
        .iter()
        .filter(|(_, t)| retried.stand_ins.iter().any(|c| is_retried(t, c)))
        .collect();
    let mut collected: BTreeSet<&(String, TestRef)> = BTreeSet::new();
    // Runners list the tests a name pattern excluded as skipped, and a file
    // re-run reports all of its tests: only the failed tests' own results
    // count, and those of a file that now collects.
    let mut cases: Vec<(String, TestCase)> = found
        .into_iter()
        .filter_map(|case| {
            if let Some((item, test)) = failed.iter().find(|(_, t)| is_retried(t, &case)) {
                // Keyed as its first attempt was, whatever file this run's
                // report names (a reporter may name one the first did not).
                let mut case = case;
                case.file = test.file.clone();
                return Some((item.clone(), case));
            }
            // A test inside one that never ran before (behind a hang, after
            // a fail-fast stop), reported at last: node's `a > b` in `a`
            // (nothing could tell a suite, or a test with subtests, from a
            // test), go's `TestB/b1` (the re-run keeps the subtests the
            // user's command selects). Only there: a retry's stand-in for a
            // file pytest could not collect is named like its classes.
            if retried.never_ran
                && let Some((item, test)) = failed
                    .iter()
                    .find(|(_, t)| shard.runner.runs_inside(t, &case))
            {
                // Keyed as its test is, as a retried test's result is.
                let mut case = case;
                case.file = test.file.clone();
                return Some((item.clone(), case));
            }
            // A package that failed again though its retried tests passed
            // (go: a TestMain check after them): the retry's own failure.
            if case.failure_type.as_deref() == Some(GO_PACKAGE_FAILED)
                && let Some((item, _)) = failed.iter().find(|(item, _)| *item == case.classname)
            {
                // Keyed by its item, as a first run's is ([`attribute`]).
                let mut case = case;
                case.file.get_or_insert_with(|| item.clone());
                return Some((item.clone(), case));
            }
            let file = junit::test_file(&case).map(|f| normalise(&f))?;
            if let Some(seen) = retried.seen
                && let Some((item, _)) = failed
                    .iter()
                    .find(|(_, t)| t.file.as_deref().map(normalise).as_ref() == Some(&file))
            {
                seen.borrow_mut().push((item.clone(), case.clone()));
            }
            let stand_in = stand_ins
                .iter()
                .find(|(_, t)| t.file.as_deref().map(normalise).as_ref() == Some(&file))?;
            collected.insert(stand_in);
            Some((stand_in.0.clone(), case))
        })
        .collect();
    cases.extend(collected.into_iter().map(|(item, test)| {
        let passed = TestCase::named(test.file.clone(), test.classname.clone(), test.name.clone());
        (item.clone(), passed)
    }));
    judge_packages_whole(shard, &mut cases, junit_path, attempt_number)?;
    Ok(cases)
}

/// [`retry`], where a runner that finds none of the tests it was asked for
/// (pytest refuses the whole command for one node id it cannot find: a
/// parameter id that differs every session) re-runs each alone, so that
/// the others still get their re-run. One that is not found has no new
/// result: it stays failed, as it was, and is no shard error.
fn retry_found(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    junit_path: &mut impl FnMut() -> PathBuf,
    attempt_number: u32,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    match retry(shard, test_files, retried, &junit_path(), attempt_number) {
        Err(e) if e.kind == NO_TESTS => {}
        Ok(cases) => {
            // Files run whole that stopped under a test (a hang, a crash):
            // the rest of each runs again without it, as in a first run
            // (jest never names the tests behind it).
            let cases = match names_files(retried.tests) {
                true => with_rest_of_hung_files(shard, cases, &[], junit_path)?,
                false => cases,
            };
            return behind_a_crash(
                shard,
                test_files,
                retried,
                junit_path,
                attempt_number,
                cases,
            );
        }
        other => return other,
    }
    let gone = |missing: usize| {
        tracing::warn!(
            "attempt {attempt_number}: the runner no longer found {missing} failed test(s) \
             (an id that changes between sessions?): they stay failed"
        );
    };
    // One test was asked for alone already.
    if let [_] = retried.tests {
        gone(1);
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut missing = 0;
    for one in retried.tests {
        let alone = Retried {
            tests: std::slice::from_ref(one),
            ..*retried
        };
        match retry(shard, test_files, &alone, &junit_path(), attempt_number) {
            Ok(cases) => found.extend(cases),
            Err(e) if e.kind == NO_TESTS => missing += 1,
            Err(e) => return Err(e),
        }
    }
    if missing > 0 {
        gone(missing);
    }
    Ok(found)
}

/// At most this many re-runs follow one whose runner died under a test:
/// each leaves out only the test it died under, and a fixture that kills
/// every test (`pytest.exit` in an autouse fixture) must not cost one
/// process per test.
const CRASH_RERUNS: usize = 2;

/// A re-run whose runner died under one of its tests (`os.abort()`,
/// `pytest.exit`, a jest process killed, a go panic) left the tests queued
/// behind it unrun (named as never run, or not named at all): they run
/// again without it, in the same attempt, so that one test's crash takes no
/// other test's retry (a flaky test stays flaky, a real failure keeps its
/// own message). Each round runs fewer tests; it stops when a run dies
/// under none, leaves none unrun, or leaves all it was asked for unrun
/// (the runner died outside them), and after [`CRASH_RERUNS`] rounds.
fn behind_a_crash(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    junit_path: &mut impl FnMut() -> PathBuf,
    attempt_number: u32,
    mut cases: Vec<(String, TestCase)>,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let mut asked: Vec<(String, TestRef)> = retried.tests.to_vec();
    let mut last_run = 0;
    for _ in 0..CRASH_RERUNS {
        let last = &cases[last_run..];
        if !last.iter().any(|(_, c)| crashed_under(shard.runner, c)) {
            break;
        }
        // Named as never run (pytest), or not named at all (jest names a
        // test only as it starts; go, none behind a panic).
        let behind: Vec<(String, TestRef)> = asked
            .iter()
            .filter(|(_, t)| {
                last.iter()
                    .filter(|(_, c)| is_retried(t, c))
                    .all(|(_, c)| is_never_ran(c))
            })
            .cloned()
            .collect();
        if behind.is_empty() || behind.len() == asked.len() {
            break;
        }
        let again = Retried {
            tests: &behind,
            ..*retried
        };
        let more = match retry(shard, test_files, &again, &junit_path(), attempt_number) {
            Err(e) if e.kind == NO_TESTS => break,
            more => more?,
        };
        // The run's results take the place of the placeholders it ran.
        cases.retain(|(_, c)| !(is_never_ran(c) && behind.iter().any(|(_, t)| is_retried(t, c))));
        last_run = cases.len();
        cases.extend(more);
        asked = behind;
    }
    Ok(cases)
}

/// A go package that failed outside its tests in a re-run of some of them
/// may fail only because the run was partial (a `TestMain` coverage
/// threshold), or for a check of its own (a goroutine leak check) that a
/// failed test hid in the first run. The package runs once more, whole:
/// its failure is dropped only where that run passes the package, every
/// test and the check; a test failing there again says nothing of the
/// check (go counts the package failed either way), so it stands.
fn judge_packages_whole(
    shard: &Running<'_, '_>,
    cases: &mut Vec<(String, TestCase)>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<(), ShardError> {
    let package_failed = |c: &TestCase| c.failure_type.as_deref() == Some(GO_PACKAGE_FAILED);
    let packages: BTreeSet<String> = cases
        .iter()
        .filter(|(_, c)| package_failed(c))
        .map(|(item, _)| item.clone())
        .collect();
    for package in packages {
        let whole = [package.clone()];
        let invocation = shard
            .runner
            .invocation(shard.base, &Selection::Files(&whole), junit_path)
            .map_err(cannot_start)?;
        let found = attempt(shard, &invocation, attempt_number)?;
        let failed = |c: &TestCase| matches!(c.outcome, Outcome::Failed | Outcome::Errored);
        let passes_whole = !found.is_empty() && !found.iter().any(failed);
        if passes_whole {
            cases.retain(|(item, c)| !(package_failed(c) && *item == package));
        }
    }
    Ok(())
}

/// Whether `case` is a result of the failed test `test`: the same names,
/// and the same file where both say.
fn is_retried(test: &TestRef, case: &TestCase) -> bool {
    let case_file = junit::test_file(case).map(|f| normalise(&f));
    test.classname == case.classname
        && test.name == case.name
        && match (test.file.as_deref(), case_file) {
            (Some(expected), Some(found)) => normalise(expected) == found,
            _ => true,
        }
}

/// Runs one invocation and returns the cases of its JUnit.
fn attempt(
    shard: &Running<'_, '_>,
    invocation: &Invocation,
    attempt: u32,
) -> Result<Vec<TestCase>, ShardError> {
    let mut env = shard.env.clone();
    // Each runner process of a shard side by side writes its own files:
    // see `Runner::side_by_side_env`.
    let process = shard.processes.get().saturating_add(1).to_string();
    for (_, value) in &mut env {
        if value.contains(PROCESS_NUMBER) {
            *value = value.replace(PROCESS_NUMBER, &process);
        }
    }
    env.extend(invocation.env.iter().cloned());
    // Lets a suite know it is being retried (the bundled example's flaky test uses it).
    env.push(("PITCREW_ATTEMPT".into(), attempt.to_string()));
    shard.run_finished.set(false);
    let stdout_capture = match &invocation.junit {
        JunitSource::ConvertGoJson => Some(
            shard
                .scratch
                .join(format!("go-{attempt}-{}.json", std::process::id())),
        ),
        JunitSource::File(_) | JunitSource::Events(_) => None,
    };
    if let JunitSource::File(path) | JunitSource::Events(path) = &invocation.junit {
        let _ = std::fs::remove_file(path);
        // Written to as the tests run, appended to by node's workers: an
        // earlier run's must not be read as this one's.
        if let Some(live) = shard.runner.live_events(path) {
            let _ = std::fs::remove_file(live);
        }
    }
    let timeout = shard.timeout.map(|after| Timeout {
        after,
        grace: shard.runner.reports_when_stopped().then_some(STOP_GRACE),
    });
    let finished = process::run(
        &invocation.program,
        &invocation.args,
        &env,
        shard.dir,
        &shard.sink,
        stdout_capture.as_deref(),
        timeout,
    )
    .map_err(|e| shard_error("spawn", e.to_string(), String::new()))?;
    shard.add_cpu(finished.cpu, finished.schedule);
    let tail = finished.stderr_tail;
    if finished.timed_out {
        let limit = shard
            .timeout
            .map(|t| format!("{} s", t.as_secs_f64()))
            .unwrap_or_default();
        // What was written as the tests ran stands; the test that was
        // running is the one that timed out. Where none was (a hook before
        // or after the tests hung, or the runner itself), no test is to
        // blame: the shard is, its results kept.
        let blamed = |cases: Vec<TestCase>| {
            if !cases.iter().any(is_timed_out) {
                let message = || {
                    format!(
                        "`{}` was killed after {limit} with no test running: a hook (beforeAll, afterAll, a fixture) or the runner itself hung",
                        invocation.program
                    )
                };
                shard.hold_error("timeout", message, &tail);
            }
            cases
        };
        if let JunitSource::Events(path) = &invocation.junit
            && let Some((mut cases, found)) =
                timed_out_events(path, shard.runner.live_events(path), &limit)
        {
            // Left to find its own files, the runner never started some
            // (one at a time, behind the hang): they are named.
            if let Some(count) = found {
                cases.extend(unreported_found_files(shard, &cases, count, &tail, None)?);
            }
            return Ok(blamed(cases));
        }
        if let JunitSource::File(path) = &invocation.junit
            && let Some(cases) = stopped_report(shard.runner, path, &limit)
        {
            return Ok(blamed(cases));
        }
        if let JunitSource::File(path) = &invocation.junit
            && let Some(events) = shard.runner.live_events(path)
            && let Some((cases, _)) = timed_out_events(&events, None, &limit)
        {
            return Ok(blamed(cases));
        }
        if let Some(json) = stdout_capture.as_deref()
            && let Some(cases) = timed_out_go(json, go_passes(invocation), &limit)
        {
            return Ok(cases);
        }
        return Err(shard_error(
            "timeout",
            format!("`{}` was killed after {limit}", invocation.program),
            tail,
        ));
    }
    let Some(status) = finished.status else {
        return Err(shard_error(
            "crashed",
            format!("`{}` was killed by a signal", invocation.program),
            tail,
        ));
    };
    let junit_path = match (&invocation.junit, stdout_capture) {
        (JunitSource::ConvertGoJson, Some(json)) => {
            let (xml, ran_no_test) = convert_go(&json, go_passes(invocation))
                .map_err(|e| shard_error("bad-junit", e.to_string(), tail.clone()))?;
            shard.ran_no_test.borrow_mut().extend(ran_no_test);
            xml
        }
        (JunitSource::File(path) | JunitSource::Events(path), _) => path.clone(),
        // The capture path is always set for go's JSON source above.
        (JunitSource::ConvertGoJson, None) => PathBuf::new(),
    };
    if !junit_path.is_file() {
        // A build that failed (a Rust compile error) is what failed, in the
        // compiler's words: results, not a shard that could not run.
        if !status.success()
            && let Some(cases) = shard.runner.build_failures(&tail)
        {
            return Ok(cases);
        }
        return Err(shard_error(
            "no-junit",
            format!(
                "`{}` exited with {} and wrote no results at {}",
                invocation.program,
                status
                    .code()
                    .map_or("a signal".to_string(), |c| format!("code {c}")),
                junit_path.display()
            ),
            tail,
        ));
    }
    let mut cases = Vec::new();
    // Errors another shard counts explain a failed exit here.
    let mut failed_elsewhere = false;
    if let JunitSource::Events(path) = &invocation.junit {
        let found = events::read(path).map_err(|e| {
            shard_error(
                "bad-junit",
                format!("{}: {e}", path.display()),
                tail.clone(),
            )
        })?;
        shard.add_files_running(found.files_running);
        shard.run_finished.set(found.finished);
        failed_elsewhere = found.elsewhere > 0;
        shard.user_junit.borrow_mut().extend(found.user_junit);
        shard.jest_results.borrow_mut().extend(found.jest_results);
        // The runner said it failed the run outside its tests (pytest: a
        // plugin's check, a hook): on the first attempt, a whole run, that
        // verdict stands beside any failed test, which a retry may turn
        // flaky; a re-run of some tests is no whole run.
        if let Some(why) = found.verdict.as_deref().filter(|_| attempt == 1) {
            shard.hold_verdict(&invocation.program, why, &tail);
        }
        // A record that can't be read may have been a test's result: the
        // cases read stand, and the shard fails.
        if found.unreadable > 0 {
            let message = || {
                format!(
                    "{} record(s) of pitcrew's reporter in {} could not be read: a test's result may be missing",
                    found.unreadable,
                    path.display()
                )
            };
            shard.hold_error(UNREADABLE_RESULTS, message, &tail);
        }
        // A test that failed by itself, not one the runner died under.
        let a_test_failed = found
            .cases
            .iter()
            .any(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored));
        cases = found.cases;
        // Started and never finished: the runner died under it, and that
        // is why the tests after it never started.
        let died_under = found.running.first().map(|case| case.name.clone());
        cases.extend(found.running.into_iter().map(|mut case| {
            case.message = Some(DIED_UNDER.to_owned());
            case
        }));
        // Collected and never run: `-x`, `--maxfail` (perhaps in the
        // project's addopts), a crash. Named, retried, and an error when no
        // attempt runs them.
        // A runner that failed with no failed test says why in its output
        // (a global setup that threw): the first error line there is the
        // tests' too. After a failed test, that stop is `--bail` or `-x`,
        // and the output's first error line may be anything (a missing
        // source map's warning), so it is not quoted.
        if !found.never_started.is_empty() {
            let headline =
                crate::process::headline(&tail).filter(|_| !status.success() && !a_test_failed);
            let why = match (&died_under, headline) {
                (Some(test), _) => exited_while(test),
                (None, Some(line)) => format!("the runner stopped before it: {line}"),
                (None, None) if a_test_failed => {
                    "the runner stopped after a failed test (-x, --maxfail, --bail)".to_owned()
                }
                (None, None) => {
                    "the runner stopped before it (-x, --maxfail, --bail, or a crash)".to_owned()
                }
            };
            cases.extend(
                found
                    .never_started
                    .into_iter()
                    .map(|case| never_ran(case, &why)),
            );
        }
        if let Some(count) = found.files_found {
            let died_under = died_under.as_deref();
            cases.extend(unreported_found_files(
                shard, &cases, count, &tail, died_under,
            )?);
        }
    } else {
        junit::parse_file(&junit_path, |case| cases.push(case))
            .map_err(|e| shard_error("bad-junit", e.to_string(), tail.clone()))?;
        // A report may name files absolutely (mocha-junit-reporter): those
        // in the project are its relative paths, as planned, wherever the
        // tree is checked out.
        let root = crate::paths::ProjectRoot::new(shard.dir);
        for case in &mut cases {
            if let Some(file) = case
                .file
                .as_mut()
                .filter(|f| Path::new(f.as_str()).is_absolute())
            {
                *file = root.relative(Path::new(file.as_str()));
            }
        }
        let notes = shard.runner.reporter_notes(&junit_path, shard.dir);
        cases.extend(notes.load_errors);
        fn names((c, n): &(String, String)) -> (&str, &str) {
            (c.as_str(), n.as_str())
        }
        let not_run: HashSet<(&str, &str)> = notes.not_run.iter().map(names).collect();
        let own_files: HashMap<(&str, &str), &str> = notes
            .own_files
            .iter()
            .map(|(test, file)| (names(test), file.as_str()))
            .collect();
        for case in &mut cases {
            let key = (case.classname.as_str(), case.name.as_str());
            match case.outcome {
                Outcome::Skipped if not_run.contains(&key) => {
                    *case = never_ran(
                        case.clone(),
                        "the runner skipped it without running it (a setup project or \
                         an earlier test in serial mode failed, or the run stopped early)",
                    );
                }
                // The file whose path (relative to a test folder) the
                // classname is: anything else is not this test's file.
                _ if case.file.is_none() => {
                    case.file = own_files
                        .get(&key)
                        .filter(|file| **file == key.0 || ends_in(file, key.0))
                        .map(|file| (*file).to_owned());
                }
                _ => {}
            }
        }
        if matches!(invocation.junit, JunitSource::ConvertGoJson) {
            with_build_errors(&mut cases, &tail);
        }
    }
    if cases.is_empty() && !status.success() {
        return Err(shard_error(
            NO_TESTS,
            format!(
                "`{}` exited with {status} and reported no test",
                invocation.program
            ),
            tail,
        ));
    }
    // A coverage threshold (jest's, vitest's) failed the run after its
    // tests: named on the first attempt, a whole run, beside any failed
    // test that a retry may turn flaky.
    if attempt == 1
        && !status.success()
        && let Some(line) = super::coverage_gate::failed_threshold(&tail)
    {
        shard.hold_verdict(&invocation.program, &line, &tail);
    }
    // The runner failed the run, and no test says why: a check of its own
    // (`--cov-fail-under`, a hook setting the exit status). A re-run of
    // some tests is no whole run (a coverage threshold fails any part), so
    // only the first attempt is judged. Where a test failed in it too, that
    // failure may hide such a check, which a retry turning the test flaky
    // does not run again: the runners that say so name the check's failure
    // as a case of its own (go's package, node's and vitest's unhandled
    // errors) or say so (pytest's `verdict`, above).
    let failed = |c: &TestCase| matches!(c.outcome, Outcome::Failed | Outcome::Errored);
    let nothing_to_run = status
        .code()
        .is_some_and(|code| shard.runner.nothing_to_run(code, &cases));
    if !status.success()
        && attempt == 1
        && !cases.iter().any(failed)
        && !nothing_to_run
        && !failed_elsewhere
    {
        let message = || {
            format!(
                "`{}` failed ({status}) though every test it reported passed: a check of its own (a coverage threshold, a hook); its output is in the shard's log",
                invocation.program
            )
        };
        shard.hold_error(RUNNER_FAILED, message, &tail);
    }
    Ok(cases)
}

/// go before 1.24 prints a package's compile and vet errors on stderr, not
/// in its JSON, which says only `[build failed]` (or names no package at
/// all): the failure then gets the end of stderr, where those errors are (`a.go:3:9:
/// undefined: x`), so that the report and triage see what failed.
fn with_build_errors(cases: &mut [TestCase], stderr_tail: &str) {
    // The last 8 KiB: the tail holds every package's errors, and each
    // failed package gets a copy.
    const MOST: usize = 8 * 1024;
    let mut tail = stderr_tail.trim();
    if tail.len() > MOST {
        tail = &tail[tail.ceil_char_boundary(tail.len() - MOST)..];
    }
    if tail.is_empty() {
        return;
    }
    let build_failed = |c: &TestCase| c.failure_type.as_deref() == Some(GO_BUILD_FAILED);
    let failed_builds = cases.iter().filter(|c| build_failed(c)).count();
    for case in cases.iter_mut().filter(|c| build_failed(c)) {
        // The first compiler or vet line (`./a_test.go:5:2: undefined: x`)
        // says more than "build failed" where the report shows one line:
        // the package's own, under go's `# <package>` header, or where one
        // package failed, the tail's first.
        let own = package_section(tail, &case.classname);
        let first = own
            .and_then(first_go_error)
            .or_else(|| (failed_builds == 1).then(|| first_go_error(tail)).flatten());
        let details = case.details.get_or_insert_with(String::new);
        if !details.contains(tail) {
            if !details.is_empty() {
                details.push('\n');
            }
            details.push_str(tail);
        }
        if let Some(first) = first {
            case.message = Some(format!("{GO_BUILD_FAILED}: {first}"));
        }
    }
}

/// The lines go printed under `# <package>` (or `# <package> [<package>.test]`)
/// up to the next such header.
fn package_section<'a>(tail: &'a str, package: &str) -> Option<&'a str> {
    let header = format!("# {package}");
    let mut start = None;
    let mut offset = 0;
    for line in tail.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let is_header = trimmed.starts_with("# ");
        if let Some(from) = start
            && is_header
        {
            return Some(&tail[from..offset]);
        }
        if start.is_none()
            && is_header
            && (trimmed == header || trimmed.starts_with(&format!("{header} ")))
        {
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    start.map(|from| &tail[from..])
}

/// The first compiler or vet line in `text` (`./a_test.go:5:2: …`).
fn first_go_error(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| {
        l.contains(".go:")
            && l.split(".go:")
                .nth(1)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The results of a runner killed at the timeout, from its events, filled
/// in from a trace its workers wrote (`trace`, see [`events::Events::fill_in`]):
/// every finished test, the test(s) that were running as timed out, and the
/// tests it had queued as never ran; and how many test files it said it
/// found, if it did. None when it wrote nothing to go by.
fn timed_out_events(
    path: &Path,
    trace: Option<PathBuf>,
    limit: &str,
) -> Option<(Vec<TestCase>, Option<u64>)> {
    let mut events = events::read(path).unwrap_or_default();
    if let Some(trace) = trace.and_then(|t| events::read(&t).ok()) {
        events.fill_in(trace);
    }
    if events.cases.is_empty() && events.running.is_empty() {
        return None;
    }
    let mut cases = events.cases;
    let running: Vec<TestCase> = events
        .running
        .into_iter()
        .map(|mut case| {
            mark_timed_out(&mut case, "the runner was killed", limit);
            case
        })
        .collect();
    cases.extend(events.running_parents.into_iter().filter_map(|parent| {
        let hung = running.iter().find(|c| holds_case(&parent, c))?;
        Some(failed_by_hung_subtest(parent, hung))
    }));
    cases.extend(running);
    cases.extend(
        events
            .never_started
            .into_iter()
            .map(|case| never_ran(case, "the runner was killed at the timeout before it ran")),
    );
    Some((cases, events.files_found))
}

/// The results of `go test` killed at the timeout, from the JSON it had
/// streamed: every finished test stands, and the tests that had started and
/// not finished (the converter's `incomplete`) are timed out. None when no
/// test was left unfinished: then nothing says which one hung (or the time
/// went to a build), and the shard is a timeout as a whole.
fn timed_out_go(json: &Path, passes: usize, limit: &str) -> Option<Vec<TestCase>> {
    let (xml, _) = convert_go(json, passes).ok()?;
    let unfinished = |case: &TestCase| case.failure_type.as_deref() == Some(GO_INCOMPLETE);
    report_with_timed_out(&xml, unfinished, "go test was killed", limit)
}

/// The report a runner asked to stop at the timeout wrote
/// ([`Runner::reports_when_stopped`]): every finished test stands, and the
/// ones it stopped are timed out. None when it names no stopped test: then
/// nothing says which test hung (or the time went before any test, to a
/// build), and the shard is a timeout as a whole.
fn stopped_report(runner: &dyn Runner, path: &Path, limit: &str) -> Option<Vec<TestCase>> {
    if !runner.reports_when_stopped() || !path.is_file() {
        return None;
    }
    let stopped = |case: &TestCase| runner.was_stopped(case);
    report_with_timed_out(path, stopped, "the runner was stopped", limit)
}

/// The cases of the JUnit report at `path`, those `hung` says were still
/// running timed out; None when it names none (or cannot be read).
fn report_with_timed_out(
    path: &Path,
    hung: impl Fn(&TestCase) -> bool,
    how: &str,
    limit: &str,
) -> Option<Vec<TestCase>> {
    let mut cases = Vec::new();
    junit::parse_file(path, |case| cases.push(case)).ok()?;
    let mut any = false;
    for case in cases.iter_mut().filter(|c| hung(c)) {
        any = true;
        mark_timed_out(case, how, limit);
    }
    any.then_some(cases)
}

/// A test still running when its runner was killed (or stopped) at the
/// timeout: the one that timed out.
fn mark_timed_out(case: &mut TestCase, how: &str, limit: &str) {
    case.outcome = Outcome::Errored;
    case.failure_type = Some(TIMED_OUT.to_owned());
    case.message = Some(format!("timed out: still running when {how} after {limit}"));
}

/// `parent`, a test whose subtest `hung` was running when the runner was
/// killed: failed, as node fails a test whose subtest failed, saying what
/// its subtest said (so triage groups the two), and not retried: its run
/// would run the hung subtest again.
fn failed_by_hung_subtest(mut parent: TestCase, hung: &TestCase) -> TestCase {
    parent.outcome = Outcome::Failed;
    parent.failure_type = Some(SUBTEST_TIMED_OUT.to_owned());
    parent.message = hung.message.clone();
    parent.details = Some(format!("its subtest `{}` timed out", hung.name));
    parent
}

fn is_failed_by_hung_subtest(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(SUBTEST_TIMED_OUT)
}

fn is_timed_out(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(TIMED_OUT)
}

fn is_never_ran(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(NEVER_RAN)
}

/// What a test the runner died under says (its own reporter's record of
/// it started and never finished), and the tests queued behind it. Both
/// are matched as written here: the reporters' records carry no kind.
const DIED_UNDER: &str = "did not finish: the runner exited while it ran";
const EXITED_WHILE: &str = "the runner exited while";

/// Why a test behind `test` never ran: the runner died while `test` ran.
fn exited_while(test: &str) -> String {
    format!("{EXITED_WHILE} {test} ran")
}

fn is_died_under(case: &TestCase) -> bool {
    case.message.as_deref() == Some(DIED_UNDER)
}

/// A test its runner died under: its reporter's record says so
/// ([`is_died_under`]), or the runner's report of it says so
/// ([`Runner::died_in`]: a go test that panicked, behind which go names no
/// test).
fn crashed_under(runner: &dyn Runner, case: &TestCase) -> bool {
    is_died_under(case) || (!is_timed_out(case) && runner.died_in(case))
}

/// A test its runner stopped under: it hung, or the runner died under it
/// (jest, which names a file's tests only as they run, then runs the rest
/// of the file again either way).
fn is_stopped_under(case: &TestCase) -> bool {
    is_timed_out(case) || is_died_under(case)
}

/// A placeholder of a test queued behind one the runner died under.
fn is_behind_a_crash(case: &TestCase) -> bool {
    is_never_ran(case)
        && case
            .message
            .as_deref()
            .and_then(|m| m.strip_prefix(NEVER_RAN_PREFIX))
            .is_some_and(|why| why.starts_with(EXITED_WHILE))
}

/// Whether a folded test was still running when its runner was killed.
pub fn is_timed_out_test(test: &crate::suite::fold::TestResult) -> bool {
    test.failure
        .as_ref()
        .and_then(|f| f.failure_type.as_deref())
        == Some(TIMED_OUT)
}

/// Whether a folded test is a placeholder for one that never ran.
pub fn is_never_ran_test(test: &crate::suite::fold::TestResult) -> bool {
    test.failure
        .as_ref()
        .and_then(|f| f.failure_type.as_deref())
        == Some(NEVER_RAN)
}

/// A placeholder for a test that was queued and never ran.
/// The files a runner left to find its own said it found (`count`) and
/// never reported on (jest's `--bail`), named by its listing, as never run.
/// Listed only when fewer than `count` files reported, which a run that
/// went to the end never does.
/// `died_under`: the test the runner died under, if it did: the files
/// never started behind it run again in the same attempt (see
/// [`is_behind_a_crash`]).
fn unreported_found_files(
    shard: &Running<'_, '_>,
    cases: &[TestCase],
    count: u64,
    tail: &str,
    died_under: Option<&str>,
) -> Result<Vec<TestCase>, ShardError> {
    let reported: BTreeSet<String> = cases
        .iter()
        .filter_map(|c| c.file.as_deref().map(normalise))
        .collect();
    if reported.len() as u64 >= count {
        return Ok(Vec::new());
    }
    let listed = super::collect::collect(shard.runner, shard.base, shard.dir).map_err(|e| {
        shard_error(
            NEVER_RAN,
            format!(
                "the runner found {count} test files and reported on {}; naming the others failed: {e}",
                reported.len()
            ),
            tail.to_owned(),
        )
    })?;
    let why = match died_under {
        Some(test) => exited_while(test),
        None => "the runner found it and stopped before it (--bail, or a crash)".to_owned(),
    };
    Ok(listed
        .into_iter()
        .filter(|file| !reported.contains(file))
        .map(|file| {
            let case = events::bare_case((Some(file.clone()), String::new(), file));
            never_ran(case, &why)
        })
        .collect())
}

const NEVER_RAN_PREFIX: &str = "never ran: ";

/// A case named by its file alone ([`unreported_found_files`]: a jest
/// file that never started), not by a test of it.
fn stands_for_a_file(case: &TestCase) -> bool {
    names_a_file(&case.classname, &case.name, case.file.as_deref())
}

/// Whether every one of `tests` stands for a whole file ([`retry_groups`]
/// keeps those apart).
fn names_files(tests: &[(String, TestRef)]) -> bool {
    !tests.is_empty()
        && tests
            .iter()
            .all(|(_, t)| names_a_file(&t.classname, &t.name, t.file.as_deref()))
}

/// [`stands_for_a_file`], of a case's or a test's names.
fn names_a_file(classname: &str, name: &str, file: Option<&str>) -> bool {
    classname.is_empty() && file == Some(name)
}

fn never_ran(mut case: TestCase, why: &str) -> TestCase {
    case.outcome = Outcome::Errored;
    case.failure_type = Some(NEVER_RAN.to_owned());
    case.message = Some(format!("{NEVER_RAN_PREFIX}{why}"));
    case
}

/// Why go's `-json` stream could not become JUnit.
#[derive(Debug, thiserror::Error)]
enum GoConvertError {
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Convert(#[from] super::runners::RunnerError),
}

/// How many times `go test` of `invocation` runs each test (`-count` over
/// each `-cpu`), wherever that is set: the command, the invocation's
/// variables, else go's own `GOFLAGS` (the environment's, or the one `go
/// env -w` wrote), asked once of the command's go (or of `go` when the
/// command's program is a wrapper), with the command's variables.
fn go_passes(invocation: &Invocation) -> usize {
    static GO_ENV_FLAGS: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let goflags = invocation
        .env
        .iter()
        .rev()
        .find(|(name, _)| name == "GOFLAGS")
        .map(|(_, value)| value.clone())
        .or_else(|| {
            GO_ENV_FLAGS
                .get_or_init(|| go_env_flags(invocation))
                .clone()
        });
    super::runners::go_args::passes(&invocation.args, goflags.as_deref())
}

/// `go env GOFLAGS`, within a few seconds.
fn go_env_flags(invocation: &Invocation) -> Option<String> {
    let program = Path::new(&invocation.program);
    let is_go = program.file_stem().is_some_and(|stem| stem == "go");
    let mut command = std::process::Command::new(match is_go {
        true => program,
        false => Path::new("go"),
    });
    command
        .args(["env", "GOFLAGS"])
        .envs(invocation.env.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null());
    let tails = crate::process::Tails {
        stdout: 4096,
        stderr: 4096,
    };
    let out = crate::process::run(command, Duration::from_secs(10), tails).ok()?;
    out.status
        .filter(std::process::ExitStatus::success)
        .map(|_| out.stdout.trim().to_owned())
}

/// go's JSON at `json` as JUnit beside it: the report's path, and the
/// packages that ran and selected no test. `passes`: how many times the
/// process ran each test.
fn convert_go(json: &Path, passes: usize) -> Result<(PathBuf, Vec<String>), GoConvertError> {
    let xml = json.with_extension("xml");
    let file_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GoConvertError::File { path, source }
    };
    let input = std::fs::File::open(json).map_err(file_error(json))?;
    let output = std::fs::File::create(&xml).map_err(file_error(&xml))?;
    let ran_no_test = super::runners::go_json_to_junit(
        std::io::BufReader::new(input),
        std::io::BufWriter::new(output),
        passes,
    )?;
    Ok((xml, ran_no_test))
}

/// Pairs each case with the item it belongs to: its file when the JUnit
/// names one of the group's items, else the group's only item, else its
/// classname when that is an item (go packages), else the one item whose
/// path ends in the file the JUnit names (Playwright names files relative
/// to its `testDir`: `login.spec.ts` for `tests/login.spec.ts`).
fn attribute(cases: Vec<TestCase>, group: &[String]) -> Vec<(String, TestCase)> {
    let set: BTreeSet<&str> = group.iter().map(String::as_str).collect();
    let under = |file: &str| -> Option<String> {
        let mut found = group.iter().filter(|item| ends_in(item, file));
        match (found.next(), found.next()) {
            (Some(item), None) => Some(item.clone()),
            _ => None,
        }
    };
    cases
        .into_iter()
        .map(|mut case| {
            let file = junit::test_file(&case).map(|f| normalise(&f));
            let item = match file {
                Some(f) if set.contains(f.as_str()) => f,
                _ if group.len() == 1 => group[0].clone(),
                _ if set.contains(case.classname.as_str()) => case.classname.clone(),
                Some(f) => match under(&f) {
                    Some(item) => {
                        case.file = Some(item.clone());
                        item
                    }
                    None => f,
                },
                None => under(&case.classname).unwrap_or_default(),
            };
            // A report that names no file (vitest, go) gets the item it ran
            // from, as its re-runs do: one key across attempts.
            if case.file.is_none() && !item.is_empty() {
                case.file = Some(item.clone());
            }
            (item, case)
        })
        .collect()
}

/// Removes, for each case from `from` on, one "never ran" placeholder of
/// its test (same item and names) before `from`: the run's result stands
/// in its place, in the attempt and in its item's count. A placeholder
/// with a case inside it from `from` on (its path and name start the
/// case's path) goes too: it was a suite, or a test with subtests, queued
/// where nothing could tell, and its tests' results are its own. So does a
/// whole file's ([`stands_for_a_file`]) with any test of its item.
fn give_way(cases: &mut Vec<(String, TestCase)>, from: usize) {
    // The few placeholders, not every case before `from`, are searched.
    let mut placeholders: Vec<usize> = (0..from).filter(|&i| is_never_ran(&cases[i].1)).collect();
    let mut gone = BTreeSet::new();
    for (item, case) in &cases[from..] {
        let same = |&i: &usize| {
            let (before_item, before) = &cases[i];
            before_item == item && before.classname == case.classname && before.name == case.name
        };
        if let Some(at) = placeholders.iter().position(same) {
            gone.insert(placeholders.remove(at));
        }
    }
    placeholders.retain(|&i| {
        let (item, before) = &cases[i];
        // Inside it: a block's tests, or a whole file's (see `fold`).
        let whole_file = stands_for_a_file(before);
        let inside = cases[from..].iter().any(|(after_item, after)| {
            after_item == item
                && (holds(
                    before.file.as_deref(),
                    &before.classname,
                    &before.name,
                    after,
                ) || (whole_file && !stands_for_a_file(after)))
        });
        if inside {
            gone.insert(i);
        }
        !inside
    });
    let mut index = 0;
    cases.retain(|_| {
        index += 1;
        !gone.contains(&(index - 1))
    });
}

/// Of the tests a re-run behind a hang reported besides the ones it ran
/// (`seen`: skipped by its name pattern, in the same files), those with no
/// result at all in their item: queued nowhere the runner said (node queues
/// a block's next test only once the one before it has started, so a test
/// that blocked its process hid the rest of its block), they never ran,
/// and run in the next round.
fn never_queued(
    cases: &[(String, TestCase)],
    seen: Vec<(String, TestCase)>,
) -> Vec<(String, TestCase)> {
    // By file, not item: a file split into items keeps its tests' results
    // under several.
    let names = |c: &TestCase| {
        let file = junit::test_file(c).map(|f| normalise(&f));
        (file, c.classname.clone(), c.name.clone())
    };
    let mut known: BTreeSet<_> = cases.iter().map(|(_, c)| names(c)).collect();
    // A parent test reported skipped has results of its own: its subtests'.
    for (_, case) in cases {
        let (file, classname, _) = names(case);
        for (parent, name) in events::ancestors(&classname) {
            known.insert((file.clone(), parent, name.to_owned()));
        }
    }
    seen.into_iter()
        .filter(|(_, c)| known.insert(names(c)))
        .map(|(item, case)| {
            let bare = events::bare_case((case.file.clone(), case.classname, case.name));
            let why = "the runner never queued it behind the test that hung";
            (item, never_ran(bare, why))
        })
        .collect()
}

/// Whether `inner` runs inside `outer` (see [`holds`]).
fn holds_case(outer: &TestCase, inner: &TestCase) -> bool {
    let file = junit::test_file(outer);
    holds(file.as_deref(), &outer.classname, &outer.name, inner)
}

/// The tests a runner named as never run behind a test that hung in their
/// file (pytest, vitest, node and go stop the file there), or behind one
/// the runner died under (`os.abort()`: every test still queued, in any
/// file), and which no later run of the attempt ran: a run's result took
/// the place of its placeholder ([`give_way`]), so a placeholder left is a
/// test still waiting.
fn waiting_behind_stops(
    cases: &[(String, TestCase)],
    test_files: &TestFiles<'_>,
) -> Vec<(String, TestRef)> {
    let hung: BTreeSet<&str> = cases
        .iter()
        .filter(|(_, c)| is_timed_out(c))
        .map(|(item, _)| item.as_str())
        .collect();
    // Behind a crash, only the tests it left unrun: those a `-x` stop
    // left out after it stay the user's choice. A whole file that never
    // started (jest's) runs as a file ([`retry_groups`]).
    let waiting =
        |item: &str, c: &TestCase| is_never_ran(c) && (hung.contains(item) || is_behind_a_crash(c));
    let never_ran: BTreeSet<(&str, &str, &str)> = cases
        .iter()
        .filter(|(item, c)| waiting(item, c))
        .map(|(item, c)| (item.as_str(), c.classname.as_str(), c.name.as_str()))
        .collect();
    if never_ran.is_empty() {
        return Vec::new();
    }
    failed_tests(cases, &[0], test_files)
        .into_iter()
        .filter(|(item, t)| {
            never_ran.contains(&(item.as_str(), t.classname.as_str(), t.name.as_str()))
        })
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
