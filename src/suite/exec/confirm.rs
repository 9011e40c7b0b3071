//! A by-name retry checked against a run of its whole files.
//!
//! A re-run of some tests by name is no faithful run of their file. A
//! flaky test's passing run can break what runs after it under another
//! name (a sibling test, an enclosing `describe`'s or the file's root
//! `after` hook, a late error or exit code of the file's process): the
//! runner alone then fails every run after the first, and a retry that
//! keeps only the re-run tests' own results reads green. And a re-run
//! test or hook can fail for want of the siblings the re-run left out (a
//! counter, an order, a server another test starts, state a test before
//! it sets up): red where the runner passes.
//!
//! So a file whose re-run tests did not all fail again the same way runs
//! once more, whole, in the same attempt, and its results are the
//! attempt's: the re-run tests' own, and any failure of another test of
//! the file, which stands as failed whatever that test did before
//! ([`FAILED_IN_WHOLE_FILE`]). A file whose re-run tests all failed again
//! as before is red whatever the whole run would say, and is not run.
//!
//! Where the runner runs a shard's files in one process, one after
//! another (pytest), state passes between files too: that run replays
//! the shard's first process (`replay.rs`), and a failure there, in a
//! later file, of a test that did not fail before stands too.

use super::*;
use crate::suite::fold::FAILED_IN_WHOLE_FILE;
use crate::triage::fingerprint::fingerprint;

/// What [`check_whole_files`] left of a retry's report: its cases, with
/// the whole runs' in place of the partial ones, and the names of the
/// other tests whose failures there are kept.
pub(super) struct Checked {
    pub(super) found: Vec<TestCase>,
    /// Other tests' failures in whole runs, each with the item of a re-run
    /// test of its file.
    kept: Vec<(Key, String)>,
}

impl Checked {
    /// `found` as it is: a retry that re-ran whole files.
    pub(super) fn none(found: Vec<TestCase>) -> Self {
        Self {
            found,
            kept: Vec::new(),
        }
    }

    /// Whether `case` is another test's failure in a whole run (kept),
    /// and the item it is kept with.
    pub(super) fn holds(&self, case: &TestCase) -> Option<&str> {
        let key = key(case);
        let (_, item) = self.kept.iter().find(|(k, _)| *k == key)?;
        Some(item)
    }
}

/// Files run whole, by attempt and normalised file, with their cases.
pub(super) type WholeRuns = BTreeMap<(u32, Option<String>), Vec<TestCase>>;

/// A case's names and its file, as a run of the whole file names it again.
type Key = (Option<String>, String, String);

fn key(case: &TestCase) -> Key {
    (file_of(case), case.classname.clone(), case.name.clone())
}

fn file_of(case: &TestCase) -> Option<String> {
    junit::test_file(case).map(|f| normalise(&f))
}

fn failure(case: &TestCase) -> bool {
    matches!(case.outcome, Outcome::Failed | Outcome::Errored)
}

/// Runs whole the files of `retried.tests` where `found`, their by-name
/// re-run, may not be what the runner says of them (see the module): a
/// file where a re-run test passed, failed otherwise than before (its
/// fingerprint changed), or left no result. Not a file whose stand-in the
/// retry collects (its tests are all new), and not in a retry of tests that
/// never ran (what they report is first seen).
pub(super) fn check_whole_files(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    found: Vec<TestCase>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Checked, ShardError> {
    if retried.never_ran {
        return Ok(Checked::none(found));
    }
    let failed = retried.tests;
    let print = |c: &TestCase| {
        let (message, details) = (c.message.as_deref(), c.details.as_deref());
        fingerprint(message.unwrap_or(""), details.unwrap_or(""), "")
    };
    // Failed again, and as before: the file is red whatever else it does.
    let failed_again = |t: &TestRef| {
        let before = retried.before.iter().map(|(_, c)| c);
        let before: Vec<_> = before.filter(|c| failure(c) && is_retried(t, c)).collect();
        found.iter().any(|c| {
            failure(c)
                && is_retried(t, c)
                && !is_never_ran(c)
                && !is_stopped_under(c)
                && before.iter().any(|b| print(b) == print(c))
        })
    };
    let split = |file: &Option<String>| split_apart(test_files, file);
    let hung = |file: &Option<String>| hung_before(retried.before, file);
    let replays = replays_first_run(shard, retried.before);
    // The files to run whole, as items, by their normalised names.
    let mut files: BTreeMap<Option<String>, String> = BTreeMap::new();
    for (item, t) in failed {
        let file = t.file.as_deref().map(normalise);
        if file.is_none() || files.contains_key(&file) || split(&file) || hung(&file) {
            continue;
        }
        let tests_of_file = || failed.iter().filter(|(_, u)| in_file(u, &file));
        // A module that now imports: its tests are new, and no whole run
        // of it alone says more; a replay says whether it imports after
        // the files before it (one may break its import).
        if (tests_of_file().any(|(_, u)| retried.stands_in(u)) && !replays)
            || tests_of_file().all(|(_, u)| failed_again(u))
        {
            continue;
        }
        files.insert(file, item.clone());
    }
    if files.is_empty() {
        return Ok(Checked::none(found));
    }
    let WholeRun { fresh, broken } = run_whole(shard, &files, retried, junit_path, attempt_number)?;
    let owner = |c: &TestCase| owner(&files, c);
    let mut kept = Vec::new();
    let (partial, mut cases): (Vec<TestCase>, Vec<TestCase>) =
        found.into_iter().partition(|c| owner(c).is_some());
    // A test queued behind a death or a hang, never run.
    let placeholder = |c: &TestCase| is_never_ran(c);
    let passed_before = |c: &TestCase| passed_before(retried.before, c);
    let package_check = |c: &TestCase| c.failure_type.as_deref() == Some(GO_PACKAGE_FAILED);
    let ran = shard.whole_runs.borrow();
    for (file, item) in &files {
        let Some(whole) = ran.get(&(attempt_number, file.clone())) else {
            continue;
        };
        // A go package's check the partial run failed, where the whole run
        // failed a test instead (which says nothing of the check):
        // [`judge_packages_whole`] judges it, as before.
        if !whole.iter().any(package_check) {
            let checks = partial.iter().filter(|c| package_check(c));
            cases.extend(checks.filter(|c| owner(c).as_ref() == Some(file)).cloned());
        }
        let renamed_to = match fresh.contains(item) {
            true => renamed_pair(retried, file, whole),
            false => None,
        };
        for (_, t) in failed.iter().filter(|(_, t)| in_file(t, file)) {
            if let Some((from, to)) = renamed_to
                && from == t
            {
                cases.push(as_test(t, to));
                continue;
            }
            let own: Vec<&TestCase> = whole.iter().filter(|c| is_retried(t, c)).collect();
            // The whole run died or stopped before the test (a test that
            // kills the runner every time, earlier in the file): what the
            // partial run said of it stands.
            let from = match own.iter().any(|c| !placeholder(c)) {
                true => own,
                false => partial.iter().filter(|c| is_retried(t, c)).collect(),
            };
            if from.is_empty() && finished(whole) && failed_outside_tests(retried.before, t) {
                cases.push(passed(t));
            }
            cases.extend(from.into_iter().cloned());
        }
        // The rest of the file is the group's that ran it; another group's
        // test is that group's.
        if !fresh.contains(item) {
            continue;
        }
        let others = whole.iter().filter(|c| {
            let re_run = retried.all.iter().any(|(_, t)| is_retried(t, c))
                && !(replays && failure(c) && never_ran_before(retried.before, c));
            // A placeholder for a test behind a hang or a death says
            // nothing of that test.
            let unrun = failure(c) && placeholder(c);
            let paired = renamed_to.is_some_and(|(_, to)| key(to) == key(c));
            !re_run && !unrun && !paired
        });
        // A re-run test of the file vanished from the whole run: a failure
        // never seen before may be it, renamed: not counted twice.
        let renamed = retried
            .all
            .iter()
            .any(|(_, t)| vanished(retried, file, whole, t));
        for case in others {
            let mut case = case.clone();
            if !failure(&case) {
                cases.push(case);
                continue;
            }
            if passed_before(&case) {
                case.failure_type = Some(FAILED_IN_WHOLE_FILE.to_owned());
            } else if replays && never_ran_before(retried.before, &case) {
                case = failed_in_replay(shard, retried.before, &case);
            } else if renamed
                && !seen_before(retried.before, &case)
                && !package_check(&case)
                && !outside_tests(&case, case.file.as_deref())
            {
                continue;
            }
            // Keyed as its file's re-run tests are (go names none).
            if case.file.is_none() {
                let test = failed.iter().find(|(_, t)| in_file(t, file));
                case.file = test.and_then(|(_, t)| t.file.clone());
            }
            kept.push((key(&case), item.clone()));
            cases.push(case);
        }
    }
    for (item, case) in broken {
        kept.push((key(&case), item));
        cases.push(case);
    }
    Ok(Checked { found: cases, kept })
}

/// The one re-run test of `file` that its whole run neither named nor ran
/// anything inside, and the one test that run named that no earlier
/// attempt saw: a test whose name is drawn anew each run (a parameter
/// drawn at random, a timestamp in it), under its new name. None unless
/// both are one, and the test is this group's. Not in a file whose
/// module or class could not be collected before (a stand-in): the tests
/// it collects now are all new.
fn renamed_pair<'a>(
    retried: &'a Retried<'_>,
    file: &Option<String>,
    whole: &'a [TestCase],
) -> Option<(&'a TestRef, &'a TestCase)> {
    if retried
        .all
        .iter()
        .any(|(_, t)| in_file(t, file) && retried.stands_in(t))
    {
        return None;
    }
    let newcomer = |c: &&TestCase| {
        !seen_before(retried.before, c)
            && !is_never_ran(c)
            && !outside_tests(c, c.file.as_deref())
            && c.failure_type.as_deref() != Some(GO_PACKAGE_FAILED)
            && !retried.all.iter().any(|(_, t)| is_retried(t, c))
    };
    let [(_, from)] = retried
        .all
        .iter()
        .filter(|(_, t)| vanished(retried, file, whole, t))
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let [to] = whole.iter().filter(newcomer).collect::<Vec<_>>()[..] else {
        return None;
    };
    let ours = retried.tests.iter().any(|(_, t)| t == from);
    ours.then_some((from, to))
}

/// Whether `t`, re-run, is of `file` and vanished from the file's `whole`
/// run: that run neither named it nor ran anything inside it. Its name
/// changed (a parameter id drawn at random each session). A file's failure
/// outside its tests is no test that could be renamed: what the whole run
/// fails instead is new (a file that now fails to load, an exit code, a
/// root hook).
fn vanished(retried: &Retried<'_>, file: &Option<String>, whole: &[TestCase], t: &TestRef) -> bool {
    in_file(t, file)
        && !failed_outside_tests(retried.before, t)
        && !whole
            .iter()
            .any(|c| is_retried(t, c) || holds(t.file.as_deref(), &t.classname, &t.name, c))
}

/// Whether an earlier attempt (`before`) reported a test of `c`'s names.
fn seen_before(before: &[(String, TestCase)], c: &TestCase) -> bool {
    before
        .iter()
        .any(|(_, b)| b.classname == c.classname && b.name == c.name)
}

/// `case`, a result of `test` under another name, as `test`'s.
fn as_test(test: &TestRef, case: &TestCase) -> TestCase {
    let mut case = case.clone();
    case.file = test.file.clone();
    case.classname = test.classname.clone();
    case.name = test.name.clone();
    case
}

/// Retries files that failed outside their tests (a file-level hook, an
/// error after its tests, a file that did not load), each named by a case
/// of its own: their whole runs, shared with the attempt's by-name groups
/// ([`check_whole_files`]), are what the runner says of them now. A file
/// with no failure of its own there passed (its failure was flaky); one
/// with it failed again. The rest of a file run here is the group's as in
/// [`check_whole_files`]: tests another group re-runs are theirs, and a
/// test that passed before and fails here stands failed. A file where a
/// test hung is not run again (its failure stays as it was). None (the
/// caller re-runs the files as before) where a file is split into items of
/// its own.
pub(super) fn rerun_failed_files(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Option<Vec<(String, TestCase)>>, ShardError> {
    let failed = retried.tests;
    let mut files: BTreeMap<Option<String>, String> = BTreeMap::new();
    for (item, t) in failed {
        let file = t.file.as_deref().map(normalise);
        if file.is_none() || split_apart(test_files, &file) {
            return Ok(None);
        }
        if !hung_before(retried.before, &file) {
            files.entry(file).or_insert_with(|| item.clone());
        }
    }
    let WholeRun { fresh, broken } = run_whole(shard, &files, retried, junit_path, attempt_number)?;
    let ran = shard.whole_runs.borrow();
    let mut cases = broken;
    for (file, item) in &files {
        let Some(whole) = ran.get(&(attempt_number, file.clone())) else {
            continue;
        };
        // A failure the whole run does not repeat passed, where the run
        // ran to its end (see `finished`); else it stays as it was.
        for (_, t) in failed.iter().filter(|(_, t)| in_file(t, file)) {
            let own: Vec<&TestCase> = whole.iter().filter(|c| is_retried(t, c)).collect();
            match own.is_empty() {
                true if finished(whole) => cases.push((item.clone(), passed(t))),
                true => {}
                false => cases.extend(own.into_iter().map(|c| (item.clone(), c.clone()))),
            }
        }
        // The rest of the file is the group's that ran it.
        if !fresh.contains(item) {
            continue;
        }
        for case in whole {
            // A test another group re-runs, or one inside a block it
            // re-runs (a Vitest `describe` whose hook failed), is that
            // group's.
            let re_run = retried.all.iter().any(|(_, t)| {
                is_retried(t, case) || holds(t.file.as_deref(), &t.classname, &t.name, case)
            });
            if re_run || (failure(case) && is_never_ran(case)) {
                continue;
            }
            let mut case = case.clone();
            if failure(&case) && passed_before(retried.before, &case) {
                case.failure_type = Some(FAILED_IN_WHOLE_FILE.to_owned());
            }
            cases.push((item.clone(), case));
        }
    }
    Ok(Some(cases))
}

/// Whether `t` stood for its file's failure outside its tests (see
/// [`outside_tests`]): a whole run of the file that does not report it
/// again did not fail so.
fn failed_outside_tests(before: &[(String, TestCase)], t: &TestRef) -> bool {
    before
        .iter()
        .any(|(_, c)| is_retried(t, c) && failure(c) && outside_tests(c, t.file.as_deref()))
}

/// Whether `c` is a failure of its file (of `file`) outside its tests:
/// node's or Vitest's `unhandled error`, a late exit code, a case named by
/// the file (a root hook, a file that did not load). No such case is a
/// test renamed between runs.
fn outside_tests(c: &TestCase, file: Option<&str>) -> bool {
    c.failure_type.as_deref() == Some(crate::suite::runners::NODE_FILE_FAILED)
        || (c.classname.is_empty() && c.name == crate::suite::runners::UNHANDLED_ERROR)
        || names_a_file(&c.classname, &c.name, file)
}

/// Whether a whole run of a file ran to its end: it reported something,
/// and no test of it hung or waits behind a stop. One that did not may
/// never have reached what failed the file before.
fn finished(whole: &[TestCase]) -> bool {
    !whole.is_empty() && !whole.iter().any(|c| is_timed_out(c) || is_never_ran(c))
}

/// The pass of `t`, where the whole run of its file did not fail it.
fn passed(t: &TestRef) -> TestCase {
    TestCase::named(t.file.clone(), t.classname.clone(), t.name.clone())
}

/// Whether a test of `file` hung in an earlier attempt (`before`): run
/// whole, the file would only hang again (a timeout is never retried).
fn hung_before(before: &[(String, TestCase)], file: &Option<String>) -> bool {
    before
        .iter()
        .any(|(_, c)| is_timed_out(c) && file_of(c) == *file)
}

/// Whether the test `t` is of the (normalised) `file`.
fn in_file(t: &TestRef, file: &Option<String>) -> bool {
    t.file.as_deref().map(normalise) == *file
}

/// A file split into items of their own (here or in another shard): its
/// whole run would report tests that are not this item's.
fn split_apart(test_files: &TestFiles<'_>, file: &Option<String>) -> bool {
    test_files
        .values()
        .any(|(f, _)| Some(normalise(f)) == *file)
}

/// The file among `files` a case is of: the one it names, else the one
/// whose item its classname is (go's cases name their package so).
fn owner(files: &BTreeMap<Option<String>, String>, c: &TestCase) -> Option<Option<String>> {
    match file_of(c) {
        Some(file) => files
            .contains_key(&Some(file.clone()))
            .then_some(Some(file)),
        None => files
            .iter()
            .find(|(_, item)| **item == c.classname)
            .map(|(file, _)| file.clone()),
    }
}

/// Whether `c`'s test passed in an earlier attempt (`before`): its
/// failure in a whole run stands all the same (one that only failed is
/// failed anyway, and keeps its failure's type: a timeout stays one).
fn passed_before(before: &[(String, TestCase)], c: &TestCase) -> bool {
    before
        .iter()
        .any(|(_, b)| same_test(b, c) && b.outcome == Outcome::Passed)
}

/// Whether `b` and `c` are results of one test: the same names, and the
/// same file where both say.
pub(super) fn same_test(b: &TestCase, c: &TestCase) -> bool {
    b.classname == c.classname
        && b.name == c.name
        && match (file_of(b), file_of(c)) {
            (Some(b), Some(c)) => b == c,
            _ => true,
        }
}

/// What [`run_whole`] ran for a retry group.
struct WholeRun {
    /// The items of the group's files that ran whole here (another group
    /// may have run the others already).
    fresh: Vec<String>,
    /// Failures, in the files after them that ran with them (see
    /// [`files_run_whole`]), of tests that did not fail before or that no
    /// attempt saw, each with its file's item: what the retried tests'
    /// passing runs broke there.
    broken: Vec<(String, TestCase)>,
}

/// Runs whole those of `files` (normalised file → item) this attempt has
/// not run whole yet (another retry group may have), and keeps each
/// file's cases in [`Running::whole_runs`]. Where the runner runs its
/// files one after another in one process, the shard's other files run
/// with them, as in its first run ([`files_run_whole`]).
fn run_whole(
    shard: &Running<'_, '_>,
    files: &BTreeMap<Option<String>, String>,
    retried: &Retried<'_>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<WholeRun, ShardError> {
    let fresh: Vec<String> = files
        .iter()
        .filter(|(file, _)| {
            let ran = shard.whole_runs.borrow();
            !ran.contains_key(&(attempt_number, (*file).clone()))
        })
        .map(|(_, item)| item.clone())
        .collect();
    if fresh.is_empty() {
        return Ok(WholeRun {
            fresh,
            broken: Vec::new(),
        });
    }
    let selected = files_run_whole(shard, &fresh, retried.before);
    let replay = selected.len() > fresh.len();
    tracing::debug!(
        "attempt {attempt_number}: running {} file(s) whole after a retry, {} beside them as \
         in the first run",
        fresh.len(),
        selected.len() - fresh.len(),
    );
    let mut invocation = shard
        .runner
        .invocation(shard.base, &Selection::Files(&selected), junit_path)
        .map_err(cannot_start)?;
    if replay && let Some(seed) = shard.randomly_seed.get() {
        invocation
            .env
            .push((RANDOMLY_SEED.to_owned(), seed.to_string()));
    }
    shard.replaying.set(replay);
    let whole = attempt(shard, &invocation, attempt_number);
    shard.replaying.set(false);
    let whole = whole?;
    // Only files after the first of `fresh`: what broke a test before
    // them was no retried test's pass in this process (the retry by name
    // that ran just before, leaving a file on disk, may have).
    let first = selected.iter().position(|item| fresh.contains(item));
    let beside: BTreeMap<Option<String>, String> = selected
        .iter()
        .skip(first.unwrap_or(selected.len()))
        .filter(|item| !fresh.contains(item))
        .map(|item| (Some(normalise(item)), item.clone()))
        .collect();
    // A test no attempt saw is new (a parameter id drawn anew in each
    // process): its failure is one too.
    let new_or_unfailed =
        |c: &TestCase| unfailed_before(retried.before, c) || !seen_before(retried.before, c);
    let broken = whole
        .iter()
        .filter(|c| failure(c) && !is_never_ran(c) && new_or_unfailed(c))
        .filter(|c| {
            !retried.all.iter().any(|(_, t)| is_retried(t, c))
                || never_ran_before(retried.before, c)
        })
        .filter_map(|c| {
            let item = beside.get(&owner(&beside, c)?)?;
            Some((item.clone(), failed_in_replay(shard, retried.before, c)))
        })
        .collect();
    let mut ran = shard.whole_runs.borrow_mut();
    for (file, item) in files {
        if fresh.contains(item) {
            let of_file = whole
                .iter()
                .filter(|c| owner(files, c).as_ref() == Some(file));
            ran.insert((attempt_number, file.clone()), of_file.cloned().collect());
        }
    }
    Ok(WholeRun { fresh, broken })
}
