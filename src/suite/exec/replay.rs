//! Replaying a shard's first process after a retry.
//!
//! A runner that runs the files it is given one after another in one
//! process ([`Runner::runs_files_in_order`]: pytest) carries state from
//! one to the next: an environment variable, a module's global, a module
//! an earlier one broke as it imported, a file on disk. A test failing
//! only after an earlier file ran passes a run of its file alone (flaky,
//! where the runner fails every run), one needing what an earlier file
//! set fails there (failed, where the runner passes), and a flaky test's
//! pass may break a test in a later file. So the whole run that confirms
//! a retry by name (`confirm.rs`) replays the shard's first process: all
//! its whole files, in the order that one ran them.

use super::confirm::same_test;
use super::*;
use crate::suite::fold::FAILED_IN_WHOLE_FILE;
use crate::suite::runners::events::names_of;

/// The variable that gives a replay pytest-randomly's seed of the first
/// process, which pitcrew's pytest plugin sets before pytest-randomly draws
/// one: the replay runs the tests in the first process's order.
pub(super) const RANDOMLY_SEED: &str = "PITCREW_RANDOMLY_SEED";

/// Whether `c`'s test was in an earlier attempt (`before`) and never
/// failed there: passed, skipped (a test that skips until some state is
/// set, an `xfail` that passes once it is), or never ran (behind `-x`).
/// A failure of it in a replay of the shard's first process is new.
pub(super) fn unfailed_before(before: &[(String, TestCase)], c: &TestCase) -> bool {
    let mut runs = before.iter().filter(|(_, b)| same_test(b, c)).peekable();
    runs.peek().is_some()
        && runs.all(|(_, b)| {
            is_never_ran(b) || matches!(b.outcome, Outcome::Passed | Outcome::Skipped)
        })
}

/// `c`, a failure in a replay of the shard's first process of a test
/// that did not fail before, as the attempt's result of it: failed there,
/// whatever it did in a run by name in the attempt (see
/// [`never_ran_before`]).
pub(super) fn failed_in_replay(
    shard: &Running<'_, '_>,
    before: &[(String, TestCase)],
    c: &TestCase,
) -> TestCase {
    if never_ran_before(before, c) {
        shard.superseded.borrow_mut().insert(names_of(c));
    }
    let mut case = c.clone();
    case.failure_type = Some(FAILED_IN_WHOLE_FILE.to_owned());
    case
}

/// Whether `c`'s test never ran in an earlier attempt (`before`), only
/// stood for by placeholders (behind `-x`, a crash): its run by name in
/// this attempt, apart from the tests before it, is no run of it after
/// them; a whole run's failure of it stands.
pub(super) fn never_ran_before(before: &[(String, TestCase)], c: &TestCase) -> bool {
    let mut runs = before.iter().filter(|(_, b)| same_test(b, c)).peekable();
    runs.peek().is_some() && runs.all(|(_, b)| is_never_ran(b))
}

/// Whether a whole run after a retry replays the shard's first process
/// (see [`files_run_whole`]): the runner ran its whole files in one
/// process, one after another, and nothing cut that process short (a
/// stop at `-x` is no cut: the files before it ran).
pub(super) fn replays_first_run(shard: &Running<'_, '_>, before: &[(String, TestCase)]) -> bool {
    let cut_short = before
        .iter()
        .any(|(_, c)| is_timed_out(c) || crashed_under(shard.runner, c) || is_behind_a_crash(c));
    shard.runner.runs_files_in_order()
        && shard.runner.junit_names_files()
        && !shard.discover
        && !shard.files_apart.get()
        && !cut_short
}

/// The files a whole run of the items `fresh` runs, in the shard's order:
/// the shard's whole files, which its first attempt ran in one process,
/// where [`replays_first_run`] (a retry that would read a test flaky costs
/// up to a shard's first run); else `fresh` alone.
pub(super) fn files_run_whole(
    shard: &Running<'_, '_>,
    fresh: &[String],
    before: &[(String, TestCase)],
) -> Vec<String> {
    let split = test_files(shard.split_files);
    let whole: Vec<&String> = shard
        .items
        .iter()
        .filter(|item| !shard.split_files.contains_key(*item) && !split.contains_key(item.as_str()))
        .collect();
    let planned = fresh.iter().all(|item| whole.contains(&item));
    if planned && replays_first_run(shard, before) {
        return whole.into_iter().cloned().collect();
    }
    let mut ordered = fresh.to_vec();
    // Items the plan does not list (found by the runner) last.
    ordered.sort_by_key(|item| whole.iter().position(|w| *w == item).unwrap_or(usize::MAX));
    ordered
}
