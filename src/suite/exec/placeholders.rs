//! The cases that stand for a test with no result of its own: it hung,
//! the runner died under it, or it never ran (and why).

use super::*;

/// `parent`, a test whose subtest `hung` was running when the runner was
/// killed: failed, as node fails a test whose subtest failed, saying what
/// its subtest said (so triage groups the two), and not retried: its run
/// would run the hung subtest again.
pub(super) fn failed_by_hung_subtest(mut parent: TestCase, hung: &TestCase) -> TestCase {
    parent.outcome = Outcome::Failed;
    parent.failure_type = Some(SUBTEST_TIMED_OUT.to_owned());
    parent.message = hung.message.clone();
    parent.details = Some(format!("its subtest `{}` timed out", hung.name));
    parent
}

pub(super) fn is_failed_by_hung_subtest(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(SUBTEST_TIMED_OUT)
}

pub(super) fn is_timed_out(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(TIMED_OUT)
}

pub(super) fn is_never_ran(case: &TestCase) -> bool {
    case.failure_type.as_deref() == Some(NEVER_RAN)
}

/// What a test the runner died under says (its own reporter's record of
/// it started and never finished), and the tests queued behind it. Both
/// are matched as written here: the reporters' records carry no kind.
pub(super) const DIED_UNDER: &str = "did not finish: the runner exited while it ran";
pub(super) const EXITED_WHILE: &str = "the runner exited while";

/// Why a test behind `test` never ran: the runner died while `test` ran.
pub(super) fn exited_while(test: &str) -> String {
    format!("{EXITED_WHILE} {test} ran")
}

pub(super) fn is_died_under(case: &TestCase) -> bool {
    case.message.as_deref() == Some(DIED_UNDER)
}

/// A test its runner died under: its reporter's record says so
/// ([`is_died_under`]), or the runner's report of it says so
/// ([`Runner::died_in`]: a go test that panicked, behind which go names no
/// test).
pub(super) fn crashed_under(runner: &dyn Runner, case: &TestCase) -> bool {
    is_died_under(case) || (!is_timed_out(case) && runner.died_in(case))
}

/// A test its runner stopped under: it hung, or the runner died under it
/// (jest, which names a file's tests only as they run, then runs the rest
/// of the file again either way).
pub(super) fn is_stopped_under(case: &TestCase) -> bool {
    is_timed_out(case) || is_died_under(case)
}

/// A placeholder of a test queued behind one the runner died under.
pub(super) fn is_behind_a_crash(case: &TestCase) -> bool {
    never_ran_because(case).is_some_and(|why| why.starts_with(EXITED_WHILE))
}

/// Why a placeholder's test never ran ([`never_ran`]'s reason).
fn never_ran_because(case: &TestCase) -> Option<&str> {
    case.message
        .as_deref()
        .filter(|_| is_never_ran(case))
        .and_then(|m| m.strip_prefix(NEVER_RAN_PREFIX))
}

/// Why a test never ran that the runner had not started when it was
/// killed at the timeout.
pub(super) const KILLED_BEFORE_IT_RAN: &str = "the runner was killed at the timeout before it ran";

/// Whether `case` never ran because its runner was killed at the timeout
/// first: under pytest-xdist, a test queued on the worker that hung, in
/// whatever file (round 65).
pub(super) fn is_behind_a_timeout(case: &TestCase) -> bool {
    never_ran_because(case) == Some(KILLED_BEFORE_IT_RAN)
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
pub(super) fn unreported_found_files(
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
    let listed = crate::suite::collect::collect(shard.runner, shard.base, shard.dir).map_err(|e| {
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

pub(super) const NEVER_RAN_PREFIX: &str = "never ran: ";

/// A case named by its file alone ([`unreported_found_files`]: a jest
/// file that never started), not by a test of it.
pub(super) fn stands_for_a_file(case: &TestCase) -> bool {
    names_a_file(&case.classname, &case.name, case.file.as_deref())
}

/// Whether every one of `tests` stands for a whole file ([`retry_groups`]
/// keeps those apart).
pub(super) fn names_files(tests: &[(String, TestRef)]) -> bool {
    !tests.is_empty()
        && tests
            .iter()
            .all(|(_, t)| names_a_file(&t.classname, &t.name, t.file.as_deref()))
}

/// [`stands_for_a_file`], of a case's or a test's names.
pub(super) fn names_a_file(classname: &str, name: &str, file: Option<&str>) -> bool {
    classname.is_empty() && file == Some(name)
}

pub(super) fn never_ran(mut case: TestCase, why: &str) -> TestCase {
    case.outcome = Outcome::Errored;
    case.failure_type = Some(NEVER_RAN.to_owned());
    case.message = Some(format!("{NEVER_RAN_PREFIX}{why}"));
    case
}
