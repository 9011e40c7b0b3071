//! Re-running failed tests: by name where the runner selects tests, else
//! their files, and again behind a test that crashed the runner.

use super::*;
use crate::suite::runners::events::{Names, names_of};

/// What a retry re-runs: failed tests with their items, and the cases so
/// far that stood for a file that could not be collected.
pub(super) struct Retried<'a> {
    pub(super) tests: &'a [(String, TestRef)],
    pub(super) stand_ins: &'a [TestCase],
    /// Where to put the other tests the re-run reported in the re-run
    /// tests' files (skipped by the name pattern, mostly), each with the
    /// item of a re-run test of its file: after a hang, any of them with no
    /// result yet never ran.
    pub(super) seen: Option<&'a RefCell<Vec<(String, TestCase)>>>,
    /// The tests never ran in the last attempt: what the runner reports
    /// of the tests inside them ([`Runner::runs_inside`]: node's `a > b`,
    /// go's `TestB/b1`) is seen for the first time, and counts.
    pub(super) never_ran: bool,
    /// The earlier attempts' cases, whose failures the re-run tests' are
    /// held against ([`check_whole_files`]).
    pub(super) before: &'a [(String, TestCase)],
    /// Every test the attempt re-runs, in this group or another: a run of
    /// their whole file gives each group its own tests' results.
    pub(super) all: &'a [(String, TestRef)],
}

impl Retried<'_> {
    /// Whether `t` stands for a file (pytest's module or class) that could
    /// not be collected: a retry that collects it reports its tests.
    pub(super) fn stands_in(&self, t: &TestRef) -> bool {
        self.stand_ins.iter().any(|c| is_retried(t, c))
    }
}

/// Re-runs `failed` (only those tests where the runner can select them,
/// else their files) and returns the re-run tests' own results, each with
/// the item it failed in. Where a failed test stood for a file that could
/// not be collected and the re-run collected it, the file's tests are new
/// tests and the stand-in passed (it was flaky): they are not lost.
pub(super) fn retry(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Vec<(String, TestCase)>, ShardError> {
    let failed = retried.tests;
    let refs: Vec<TestRef> = failed.iter().map(|(_, t)| t.clone()).collect();
    // Files that failed outside their tests ([`retry_groups`] keeps them
    // apart) run whole, as the attempt's by-name groups check theirs.
    let files_only = names_files(failed);
    if files_only
        && !retried.never_ran
        && let Some(cases) =
            rerun_failed_files(shard, test_files, retried, junit_path, attempt_number)?
    {
        return Ok(cases);
    }
    // Files that never started: their tests, whatever their names, are
    // the files' results.
    let rerun = match files_only {
        true => None,
        false => shard.runner.rerun(shard.base, &refs, junit_path),
    };
    let by_name = rerun.is_some();
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
    // A re-run by name is no faithful run of its files: where its tests
    // did not all fail again as before, the files run whole decide.
    let confirmed = match by_name {
        true => check_whole_files(
            shard,
            test_files,
            retried,
            found,
            junit_path,
            attempt_number,
        )?,
        false => Checked::none(found),
    };
    let found = &confirmed.found;
    // Tests that never ran stand for what the re-run reports inside them.
    let blocks = match retried.never_ran {
        true => Vec::new(),
        false => blocks_passed(failed, retried.stand_ins, &confirmed),
    };
    let stand_ins: Vec<&(String, TestRef)> = failed
        .iter()
        .filter(|(_, t)| retried.stands_in(t))
        .collect();
    let mut collected: BTreeSet<&(String, TestRef)> = BTreeSet::new();
    // Runners list the tests a name pattern excluded as skipped, and a file
    // re-run reports all of its tests: only the failed tests' own results
    // count, and those of a file that now collects.
    let mut cases: Vec<(String, TestCase)> = found
        .iter()
        .cloned()
        .filter_map(|case| {
            if let Some((item, test)) = failed.iter().find(|(_, t)| is_retried(t, &case)) {
                // Keyed as its first attempt was, whatever file this run's
                // report names (a reporter may name one the first did not).
                let mut case = case;
                case.file = test.file.clone();
                return Some((item.clone(), case));
            }
            // Another test's failure where its file ran whole: the
            // retry's, kept with a re-run test of its file.
            if let Some(item) = confirmed.holds(&case) {
                return Some((item.to_owned(), case));
            }
            // A test inside a block that ran again (a Vitest `describe`
            // whose hook failed skipped its tests): its pass or skip is its
            // own; a failure counts where its file ran whole (`confirmed`,
            // below). Not a stand-in for a module pytest could not collect,
            // named like the module its tests' classnames hold: those
            // tests are its collection's (below).
            if !retried.never_ran
                && !matches!(case.outcome, Outcome::Failed | Outcome::Errored)
                && let Some((item, _)) = failed.iter().find(|(_, t)| {
                    holds(t.file.as_deref(), &t.classname, &t.name, &case) && !retried.stands_in(t)
                })
            {
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
    cases.extend(blocks);
    judge_packages_whole(shard, &mut cases, junit_path, attempt_number)?;
    Ok(cases)
}

/// The blocks among `failed` that passed in the re-run that `found` is:
/// a block that failed on its own (a node `describe` whose `before` hook
/// threw) runs again by its name, with its tests, and pitcrew's reporters
/// name a block only when it fails. A re-run that ran a test inside it and
/// said nothing of the block is the block's pass; without it, a flaky hook
/// failed the run whatever its retry did. Not where the re-run reported a
/// failure in the block's file under a name not re-run that is not kept
/// ([`check_whole_files`] keeps those of a whole run of the file: a nested
/// block's hook, an enclosing block's, the file's own error, which the
/// block's passing run may have caused, fail under their own names). Nor
/// a stand-in for a file that could not be collected (pytest), whose
/// tests a re-run reports in its place.
fn blocks_passed(
    failed: &[(String, TestRef)],
    stand_ins: &[TestCase],
    confirmed: &Checked,
) -> Vec<(String, TestCase)> {
    let found = &confirmed.found;
    let ran = |c: &TestCase| match c.outcome {
        Outcome::Passed => true,
        Outcome::Failed | Outcome::Errored => !is_never_ran(c) && !is_stopped_under(c),
        Outcome::Skipped => false,
    };
    let unretried_failures: Vec<&TestCase> = found
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
        .filter(|c| !failed.iter().any(|(_, t)| is_retried(t, c)))
        .filter(|c| confirmed.holds(c).is_none())
        .collect();
    failed
        .iter()
        .filter(|(_, t)| !stand_ins.iter().any(|c| is_retried(t, c)))
        .filter(|(_, t)| !found.iter().any(|c| is_retried(t, c)))
        .filter(|(_, t)| !unretried_failures.iter().any(|c| in_file_of(t, c)))
        .filter(|(_, t)| {
            found
                .iter()
                .any(|c| ran(c) && events::holds(t.file.as_deref(), &t.classname, &t.name, c))
        })
        .map(|(item, t)| {
            let passed = TestCase::named(t.file.clone(), t.classname.clone(), t.name.clone());
            (item.clone(), passed)
        })
        .collect()
}

/// [`retry`], where a runner that finds none of the tests it was asked for
/// (pytest refuses the whole command for one node id it cannot find: a
/// parameter id that differs every session) re-runs each alone, so that
/// the others still get their re-run. One that is not found has no new
/// result: it stays failed, as it was, and is no shard error.
pub(super) fn retry_found(
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
pub(super) const CRASH_RERUNS: usize = 2;

/// A re-run whose runner died under one of its tests (`os.abort()`,
/// `pytest.exit`, a jest process killed, a go panic) left the tests queued
/// behind it unrun (named as never run, or not named at all): they run
/// again without it, in the same attempt, so that one test's crash takes no
/// other test's retry (a flaky test stays flaky, a real failure keeps its
/// own message). Each round runs fewer tests; it stops when a run dies
/// under none, leaves none unrun, or leaves all it was asked for unrun
/// (the runner died outside them), and after [`CRASH_RERUNS`] rounds.
pub(super) fn behind_a_crash(
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
pub(super) fn judge_packages_whole(
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
pub(super) fn is_retried(test: &TestRef, case: &TestCase) -> bool {
    test.classname == case.classname && test.name == case.name && in_file_of(test, case)
}

/// Whether `case` is in `test`'s file, where both name one.
fn in_file_of(test: &TestRef, case: &TestCase) -> bool {
    match (test.file.as_deref(), junit::test_file(case)) {
        (Some(expected), Some(found)) => normalise(expected) == normalise(&found),
        _ => true,
    }
}

/// Whether `case` says the runner's process (or the worker running the
/// test) died while the test ran, not at pitcrew's timeout: its reporter
/// saw it start and never end, the runner says so (a go panic; go's test
/// with no result, the binary having ended; pytest-xdist's `worker 'gw0'
/// crashed while running`).
fn runner_died(runner: &dyn Runner, case: &TestCase) -> bool {
    let worker_crashed = || {
        case.message
            .as_deref()
            .is_some_and(|m| m.starts_with("worker '") && m.contains("' crashed while running "))
    };
    crashed_under(runner, case)
        || (!is_timed_out(case)
            && matches!(
                case.failure_type.as_deref(),
                Some(GO_INCOMPLETE | GO_PAUSED)
            ))
        || worker_crashed()
}

/// Tests the runner died under (not at the timeout) that then passed a
/// retry: what ended the runner may not have been theirs (an earlier
/// test's timer or thread calling `os._exit`, a session fixture, a test
/// in another file of the same process), and a retry of them alone never
/// runs that again; the runner alone fails such a run. So the death fails
/// the run (a held error naming them), whatever the retries say of the
/// tests, which stay flaky as tests; not where a run of the test's whole
/// file passed it (see `confirm.rs`), which ran its file's part of that
/// again. Files that failed outside their tests already (node's trace saw
/// what ended the process) need no more.
pub(super) fn deaths_fail_the_run(
    shard: &Running<'_, '_>,
    cases: &[(String, TestCase)],
    starts: &[usize],
) {
    let cut = shard.cut_at_bail.borrow();
    // A run of the whole file that passed the test ran again whatever
    // else may have killed the runner: that death was checked.
    let whole_runs = shard.whole_runs.borrow();
    let passed_whole = |died: &TestCase| {
        let test = TestRef {
            file: died.file.clone(),
            classname: died.classname.clone(),
            name: died.name.clone(),
        };
        whole_runs
            .values()
            .flatten()
            .any(|c| c.outcome == Outcome::Passed && is_retried(&test, c))
    };
    let died: BTreeSet<Names> = cases
        .iter()
        .filter(|(_, c)| runner_died(shard.runner, c) && !passed_whole(c))
        .map(|(_, c)| names_of(c))
        .filter(|names| !cut.contains(names))
        .collect();
    if died.is_empty() {
        return;
    }
    let (_, _, tests) = fold(cases, starts).finish();
    let failed_files: BTreeSet<&str> = tests
        .iter()
        .filter(|t| {
            t.outcome == FinalOutcome::Failed
                && t.failure.as_ref().and_then(|f| f.failure_type.as_deref())
                    == Some(crate::suite::runners::NODE_FILE_FAILED)
        })
        .filter_map(|t| t.key.file.as_deref())
        .collect();
    let passed_again: Vec<String> = tests
        .iter()
        .filter(|t| matches!(t.outcome, FinalOutcome::Flaky | FinalOutcome::Passed))
        .filter(|t| {
            died.contains(&(
                t.key.file.clone(),
                t.key.classname.clone(),
                t.key.name.clone(),
            ))
        })
        .filter(|t| {
            !t.key
                .file
                .as_deref()
                .is_some_and(|f| failed_files.contains(f))
        })
        .map(|t| {
            format!(
                "`{}`",
                crate::escape::control_chars(&crate::suite::render::display_name(t))
            )
        })
        .collect();
    if passed_again.is_empty() {
        return;
    }
    let message = || {
        format!(
            "{} died while {} ran, which then passed when run again: a runner that dies fails the \
             run, since a test run again does not run again what may have killed it (another \
             test's timer or thread, a fixture)",
            shard.runner.name(),
            passed_again.join(", "),
        )
    };
    shard.hold_error(RUNNER_FAILED, message, "");
}
