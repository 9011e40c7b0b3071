//! A shard's first attempt: its groups run, each claiming its own
//! results, and what a hang or a crash kept from running run again.

use super::*;

/// Runs `group` once and returns the cases it claims, each with its item.
/// When a group of split-out tests reports nothing at all, each test is run
/// alone, so one test deleted since the plan (pytest refuses to run any
/// test when one id is not found) does not take the others down; a test
/// that then reports nothing is left with no case, which the merge names.
pub(super) fn first_run(
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
pub(super) fn split_out_tests(
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
pub(super) fn run_files(
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
pub(super) fn keep_failures_of_the_run_together(
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
pub(super) fn files_one_by_one(
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
pub(super) fn selected_none(shard: &Running<'_, '_>, files: &[String]) {
    let in_tree = files.iter().filter(|f| shard.dir.join(f).is_file());
    shard.ran_no_test.borrow_mut().extend(in_tree.cloned());
}

/// The `files` with no result in `found` but "never ran".
pub(super) fn unreported(files: &[String], found: &[(String, TestCase)]) -> Vec<String> {
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
pub(super) fn with_rest_of_hung_files(
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
                    "{}: tests after `{}` in its block `{}` may never have run; those no run reported are not counted: \
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
pub(super) fn rest_of_hung_files(
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
pub(super) fn run_selection(
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
        let unrun = crate::suite::go_unrun::unrun(shard.base, shard.dir, packages, &cases);
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
pub(super) fn leave_out_dependencies(
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
pub(super) fn ends_in(item: &str, file: &str) -> bool {
    item.strip_suffix(file.trim_start_matches("./"))
        .is_some_and(|head| head.ends_with('/'))
}

/// Whether `case` is `test` (by its testcase names).
pub(super) fn is_test(case: &TestCase, test: &PlannedTest) -> bool {
    case.classname == test.classname && case.name == test.name
}

/// A rest's cases all belong to its file, except the planned tests the
/// runner may still report (as skipped, or because it left out less).
pub(super) fn claim_rest(
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
pub(super) fn claim_tests(
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
pub(super) fn with_file(mut case: TestCase, file: &str) -> TestCase {
    if case.file.is_none() && junit::test_file(&case).is_none() {
        case.file = Some(file.to_owned());
    }
    case
}

/// A runner adapter that can't build its command line: the shard can't start.
pub(super) fn cannot_start(error: RunnerError) -> ShardError {
    shard_error("spawn", error.to_string(), String::new())
}
