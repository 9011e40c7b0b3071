//! One runner process: started, stopped at the timeout, its report read
//! and each case attributed to the item it belongs to.

use super::*;

/// Runs one invocation and returns the cases of its JUnit.
pub(super) fn attempt(
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
                timed_out_events(shard.runner, path, shard.runner.live_events(path), &limit)
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
            && let Some((cases, _)) = timed_out_events(shard.runner, &events, None, &limit)
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
    // A run whose exit status says what the runner says of its files: the
    // first attempt, or a replay of it after a retry (see `replay.rs`).
    let whole_run = attempt == 1 || shard.replaying.get();
    if let JunitSource::Events(path) = &invocation.junit {
        let mut found = events::read(path).map_err(|e| {
            shard_error(
                "bad-junit",
                format!("{}: {e}", path.display()),
                tail.clone(),
            )
        })?;
        // A worker that died under a test: its trace names that test and
        // what finished before it.
        if shard.runner.traces_worker_deaths()
            && let Some(trace) = shard
                .runner
                .live_events(path)
                .and_then(|t| events::read(&t).ok())
            && found.worker_died_in(&trace)
        {
            found.fill_in_after_a_death(trace);
        }
        shard.add_files_running(found.files_running);
        shard.run_finished.set(found.finished);
        failed_elsewhere = found.elsewhere > 0;
        shard.user_junit.borrow_mut().extend(found.user_junit);
        shard.jest_results.borrow_mut().extend(found.jest_results);
        // The order of the shard's first process, which runs its whole
        // files: a replay of it takes it again (`replay.rs`).
        if attempt == 1 && shard.processes.get() == 1 {
            shard.randomly_seed.set(found.randomly_seed);
        }
        // The runner said it failed the run outside its tests (pytest: a
        // plugin's check, a hook): on the first attempt, a whole run, or a
        // replay of it, that verdict stands beside any failed test, which
        // a retry may turn flaky; a re-run of some tests is no whole run.
        if let Some(why) = found.verdict.as_deref().filter(|_| whole_run) {
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
        if found.lost > 0 {
            let message = || {
                format!(
                    "{} record(s) that pitcrew's reporter wrote to {} are gone: the file was cut or \
                     rewritten while the runner ran (by a test?), and a test's result may be missing",
                    found.lost,
                    path.display()
                )
            };
            shard.hold_error(UNREADABLE_RESULTS, message, &tail);
        }
        // Tests that failed by themselves, not one the runner died under.
        let failed_before = found
            .cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
            .count() as u64;
        let a_test_failed = failed_before > 0;
        // Told to stop after N failed tests and N failed: the tests still
        // running were cut short by that stop, not by a death.
        if found
            .stops_after
            .is_some_and(|after| after > 0 && failed_before >= after)
        {
            shard
                .cut_at_bail
                .borrow_mut()
                .extend(found.running.iter().map(events::names_of));
        }
        cases = found.cases;
        // Started and never finished: the runner died under it, and that
        // is why the tests after it never started.
        let died_under = found.running.first().map(|case| case.name.clone());
        // The runner's own report of the worker's death is that test's
        // failure, said once.
        let mut death = None;
        if died_under.is_some() {
            let deaths: Vec<TestCase>;
            (deaths, cases) = std::mem::take(&mut cases)
                .into_iter()
                .partition(|c| shard.runner.is_worker_death(c));
            death = deaths
                .into_iter()
                .find_map(|c| c.message)
                .map(|m| format!("the worker running it died: {m}"));
        }
        cases.extend(found.running.into_iter().map(|mut case| {
            case.message = Some(DIED_UNDER.to_owned());
            case.details = case.details.or_else(|| death.clone());
            case
        }));
        // A runner that says it was never told to stop at a failure (jest's
        // and vitest's `bail`), and stopped after one with tests unrun,
        // crashed outside any test: a file's `process.exit` as jest imported
        // it, a worker killed as Vitest 3 imported a file. That failed test
        // (perhaps flaky) does not explain the stop.
        // A runner killed by a signal (the exit code 128 + N its shell or
        // `npx` gives) with no test running stopped for no test's failure,
        // whatever failed before it (jest killed in an `afterAll`, in band).
        let killed = status
            .code()
            .filter(|code| died_under.is_none() && (129..=159).contains(code));
        // Told to stop after N failed tests (jest and Vitest count failed
        // tests, not files), a runner that stopped after fewer did not stop
        // for them. Every failed case read counts, a file's own included:
        // counting more calls fewer stops crashes, never a stop for a crash.
        let failed_so_far = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
            .count() as u64;
        let bail_not_reached = found
            .stops_after
            .filter(|&after| after > 0 && failed_so_far < after);
        let crashed_after_a_failure = a_test_failed
            && died_under.is_none()
            && (found.stops_after == Some(0) || killed.is_some() || bail_not_reached.is_some());
        // Why such a stop was no bail's, for the tests it left and the
        // shard's error alike.
        let no_bail = || match bail_not_reached {
            Some(after) => {
                format!("told to stop only after {after} (bail), and {failed_so_far} had failed")
            }
            None => "never told to stop at one (no bail)".to_owned(),
        };
        // Collected and never run: `-x`, `--maxfail` (perhaps in the
        // project's addopts), a crash. Named, retried, and an error when no
        // attempt runs them.
        // A runner that failed with no failed test says why in its output
        // (a global setup that threw): the first error line there is the
        // tests' too. After a failed test, that stop is `--bail`, `-x` or a
        // crash, and the output's first error line may be anything (a
        // missing source map's warning), so it is not quoted.
        if !found.never_started.is_empty() {
            let headline =
                crate::process::headline(&tail).filter(|_| !status.success() && !a_test_failed);
            let why = match (&died_under, headline) {
                (Some(test), _) => exited_while(test),
                (None, Some(line)) => format!("the runner stopped before it: {line}"),
                (None, None) if crashed_after_a_failure => {
                    format!(
                        "the runner stopped after a failed test, {}: a crash",
                        no_bail()
                    )
                }
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
        // A test file's process that its own code ended, or that was
        // killed, failed outside its tests whether or not the runner says
        // so (node says so only where no test of the file failed).
        if shard.runner.traces_file_exits()
            && let Some(trace) = shard
                .runner
                .live_events(path)
                .and_then(|t| events::read(&t).ok())
        {
            add_file_failures(&mut cases, trace.files_failed_outside_tests());
        }
        let unrun = cases.iter().filter(|c| is_never_ran(c)).count();
        // The failed test's own error may be the output's first error line:
        // not quoted as the crash's.
        if whole_run && let Some(code) = killed {
            let message = || {
                format!(
                    "`{}` exited with code {code} (killed by signal {}) with no test running: a crash, which fails the run even where what it left passes when run again; its output is in the shard's log",
                    invocation.program,
                    code - 128
                )
            };
            shard.hold_error(RUNNER_FAILED, message, &tail);
        } else if whole_run && crashed_after_a_failure && unrun > 0 {
            let message = || {
                format!(
                    "`{}` stopped after a failed test, though {}, leaving {unrun} test(s) unrun: a crash, which fails the run even where they pass when run again; its output is in the shard's log",
                    invocation.program,
                    no_bail()
                )
            };
            shard.hold_error(RUNNER_FAILED, message, &tail);
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
    if whole_run
        && !status.success()
        && let Some(line) = crate::suite::coverage_gate::failed_threshold(&tail)
    {
        shard.hold_verdict(&invocation.program, &line, &tail);
    }
    // The runner failed the run, and no test says why: a check of its own
    // (`--cov-fail-under`, a hook setting the exit status). A re-run of some
    // tests is no whole run (a coverage threshold fails any part), so only the
    // first attempt (or a replay of it) is judged. Where a test failed in it
    // too, that failure may hide such a check, which a retry turning the test
    // flaky does not run again: the runners that say so name the check's
    // failure as a case of its own (go's package, node's and vitest's
    // unhandled errors) or say so (pytest's `verdict`, above). A test it left
    // unrun says no more than that it stopped: a crash that left no word of
    // the file it came from (Vitest 3's main process dies "Channel closed"
    // when a file kills its worker as it is imported) is a failure even when
    // the tests it left pass when run again.
    let failed =
        |c: &TestCase| matches!(c.outcome, Outcome::Failed | Outcome::Errored) && !is_never_ran(c);
    let nothing_to_run = status
        .code()
        .is_some_and(|code| shard.runner.nothing_to_run(code, &cases));
    if !status.success()
        && whole_run
        && !cases.iter().any(failed)
        && !nothing_to_run
        && !failed_elsewhere
    {
        let unrun = cases.iter().filter(|c| is_never_ran(c)).count();
        let message = || match unrun {
            0 => format!(
                "`{}` failed ({status}) though every test it reported passed: a check of its own (a coverage threshold, a hook); its output is in the shard's log",
                invocation.program
            ),
            _ => format!(
                "`{}` failed ({status}) with no failed test, leaving {unrun} test(s) unrun: a crash, which fails the run even where they pass when run again{}; its output is in the shard's log",
                invocation.program,
                quoted_error_line(&tail)
            ),
        };
        shard.hold_error(RUNNER_FAILED, message, &tail);
    }
    Ok(cases)
}

/// Each file whose process failed outside its tests (see
/// [`events::Events::files_failed_outside_tests`]) as one failed case named
/// by the file, as node reports it where no test of the file failed. A
/// retry runs its file whole ([`super::confirm::rerun_failed_files`]): a
/// re-run of the failed tests by name would leave out what ended the
/// process. Where the runner reported the file's failure itself, that case
/// says how the file's code ended it, if the trace knows.
pub(super) fn add_file_failures(cases: &mut Vec<TestCase>, failures: Vec<events::FileFailure>) {
    for failure in failures {
        let reported = cases.iter_mut().find(|c| {
            stands_for_a_file(c)
                && c.file.as_deref() == Some(failure.file.as_str())
                && matches!(c.outcome, Outcome::Failed | Outcome::Errored)
        });
        match reported {
            Some(case) if failure.said => case.message = Some(failure.why),
            Some(_) => {}
            None => {
                let file = Some(failure.file.clone());
                cases.push(TestCase {
                    outcome: Outcome::Failed,
                    failure_type: Some(crate::suite::runners::NODE_FILE_FAILED.to_owned()),
                    message: Some(failure.why),
                    ..TestCase::named(file, String::new(), failure.file)
                });
            }
        }
    }
}

/// The error line of a runner's output, escaped, in parentheses after a
/// space; empty when it has none.
fn quoted_error_line(tail: &str) -> String {
    crate::process::headline(tail)
        .map(|line| format!(" ({})", crate::escape::control_chars(&line)))
        .unwrap_or_default()
}

/// The results of a runner killed at the timeout, from its events, filled
/// in from a trace its workers wrote (`trace`, see [`events::Events::fill_in`]):
/// every finished test, the test(s) that were running as timed out, and the
/// tests it had queued as never ran; and how many test files it said it
/// found, if it did. None when it wrote nothing to go by.
pub(super) fn timed_out_events(
    runner: &dyn Runner,
    path: &Path,
    trace: Option<PathBuf>,
    limit: &str,
) -> Option<(Vec<TestCase>, Option<u64>)> {
    let mut events = events::read(path).unwrap_or_default();
    if let Some(trace) = trace.and_then(|t| events::read(&t).ok()) {
        // Vitest's trace ends a test before its result is final.
        match runner.traces_worker_deaths() {
            true => events.fill_in_ended_first(trace),
            false => events.fill_in(trace),
        }
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
            .map(|case| never_ran(case, KILLED_BEFORE_IT_RAN)),
    );
    Some((cases, events.files_found))
}

/// The report a runner asked to stop at the timeout wrote
/// ([`Runner::reports_when_stopped`]): every finished test stands, and the
/// ones it stopped are timed out. None when it names no stopped test: then
/// nothing says which test hung (or the time went before any test, to a
/// build), and the shard is a timeout as a whole.
pub(super) fn stopped_report(
    runner: &dyn Runner,
    path: &Path,
    limit: &str,
) -> Option<Vec<TestCase>> {
    if !runner.reports_when_stopped() || !path.is_file() {
        return None;
    }
    let stopped = |case: &TestCase| runner.was_stopped(case);
    report_with_timed_out(path, stopped, "the runner was stopped", limit)
}

/// The cases of the JUnit report at `path`, those `hung` says were still
/// running timed out; None when it names none (or cannot be read).
pub(super) fn report_with_timed_out(
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
pub(super) fn mark_timed_out(case: &mut TestCase, how: &str, limit: &str) {
    case.outcome = Outcome::Errored;
    case.failure_type = Some(TIMED_OUT.to_owned());
    case.message = Some(format!("timed out: still running when {how} after {limit}"));
}

/// Pairs each case with the item it belongs to: its file when the JUnit
/// names one of the group's items, else the group's only item, else its
/// classname when that is an item (go packages), else the one item whose
/// path ends in the file the JUnit names (Playwright names files relative
/// to its `testDir`: `login.spec.ts` for `tests/login.spec.ts`).
pub(super) fn attribute(cases: Vec<TestCase>, group: &[String]) -> Vec<(String, TestCase)> {
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
pub(super) fn give_way(cases: &mut Vec<(String, TestCase)>, from: usize) {
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
pub(super) fn never_queued(
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
pub(super) fn holds_case(outer: &TestCase, inner: &TestCase) -> bool {
    let file = junit::test_file(outer);
    holds(file.as_deref(), &outer.classname, &outer.name, inner)
}

/// The tests a runner named as never run behind a test that hung in their
/// file (pytest, vitest, node and go stop the file there), or behind one
/// the runner died under (`os.abort()`: every test still queued, in any
/// file), or that the runner had not started when it was killed at the
/// timeout (pytest-xdist queues other files' tests behind a hung one),
/// and which no later run of the attempt ran: a run's result took
/// the place of its placeholder ([`give_way`]), so a placeholder left is a
/// test still waiting.
pub(super) fn waiting_behind_stops(
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
    let waiting = |item: &str, c: &TestCase| {
        is_never_ran(c) && (hung.contains(item) || is_behind_a_crash(c) || is_behind_a_timeout(c))
    };
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
