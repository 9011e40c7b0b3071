//! Failures a by-name retry reports under names it did not re-run, judged
//! by a run of their whole files.
//!
//! A flaky test's passing run can break what runs after it under another
//! name: state an enclosing `describe`'s (or the file's root) `after` hook
//! trips on, a late error or exit code of the file's process. The runner
//! alone then fails every run after the first, so dropping such a failure
//! (a retry keeps the re-run tests' own results) would read green. Kept as
//! it is reported, it would read red where the runner passes: a re-run of
//! one test by name leaves out the siblings a hook or an exit check may
//! need (a counter, an order, a server another test starts). The whole
//! file, run once more, tells them apart: a failure that recurs there is
//! the retry's own, one that does not was the partial re-run's.

use super::*;

/// What [`confirm_elsewhere`] left of a retry's report: its cases, less
/// the failures under other names that the whole files did not repeat,
/// and the names of those that they did.
pub(super) struct Confirmed {
    pub(super) found: Vec<TestCase>,
    confirmed: Vec<Key>,
}

impl Confirmed {
    /// `found` as it is: a retry that re-ran whole files.
    pub(super) fn none(found: Vec<TestCase>) -> Self {
        Self {
            found,
            confirmed: Vec::new(),
        }
    }

    /// Whether `case` is a failure under another name that its whole file
    /// repeated: a failure of the retry, kept.
    pub(super) fn holds(&self, case: &TestCase) -> bool {
        self.confirmed.contains(&key(case))
    }
}

/// A case's names and its file, as a run of the whole file names it again.
type Key = (Option<String>, String, String);

fn key(case: &TestCase) -> Key {
    (
        junit::test_file(case).map(|f| normalise(&f)),
        case.classname.clone(),
        case.name.clone(),
    )
}

/// Judges the failures in `found` (a by-name re-run of `retried.tests`)
/// under names it did not re-run, in a re-run test's file: its whole files
/// run once more, and only the failures that recur there stay in `found`.
/// Not in a file whose stand-in the retry collects (its tests are all new),
/// not a go package's own failure ([`judge_packages_whole`] judges those),
/// not timed out (a whole file run again would only wait again), and not
/// in a retry of tests that never ran (what they report is first seen).
pub(super) fn confirm_elsewhere(
    shard: &Running<'_, '_>,
    test_files: &TestFiles<'_>,
    retried: &Retried<'_>,
    found: Vec<TestCase>,
    junit_path: &Path,
    attempt_number: u32,
) -> Result<Confirmed, ShardError> {
    let failed = retried.tests;
    let retried_file = |case: &TestCase| -> Option<String> {
        let file = junit::test_file(case).map(|f| normalise(&f))?;
        let ours = |t: &TestRef| t.file.as_deref().map(normalise).as_ref() == Some(&file);
        let stand_in = failed
            .iter()
            .any(|(_, t)| ours(t) && retried.stand_ins.iter().any(|c| is_retried(t, c)));
        let (item, _) = failed.iter().find(|(_, t)| ours(t))?;
        let item = test_files.get(item.as_str()).map_or(item.as_str(), |f| f.0);
        (!stand_in).then(|| item.to_owned())
    };
    let elsewhere = |case: &TestCase| -> Option<String> {
        let failure = matches!(case.outcome, Outcome::Failed | Outcome::Errored)
            && !is_never_ran(case)
            && !is_stopped_under(case)
            && !is_timed_out(case)
            && case.failure_type.as_deref() != Some(GO_PACKAGE_FAILED);
        if retried.never_ran || !failure || failed.iter().any(|(_, t)| is_retried(t, case)) {
            return None;
        }
        retried_file(case)
    };
    let files: BTreeSet<String> = found.iter().filter_map(elsewhere).collect();
    if files.is_empty() {
        return Ok(Confirmed::none(found));
    }
    let files: Vec<String> = files.into_iter().collect();
    tracing::debug!(
        "attempt {attempt_number}: the retry failed under names it did not re-run in {} \
         file(s): running them whole to tell its own failures from the partial run's",
        files.len()
    );
    let invocation = shard
        .runner
        .invocation(shard.base, &Selection::Files(&files), junit_path)
        .map_err(cannot_start)?;
    let whole = attempt(shard, &invocation, attempt_number)?;
    let recurred: Vec<Key> = whole
        .iter()
        .filter(|c| {
            matches!(c.outcome, Outcome::Failed | Outcome::Errored)
                && !is_never_ran(c)
                && !is_stopped_under(c)
        })
        .map(key)
        .collect();
    let failure = |c: &TestCase| matches!(c.outcome, Outcome::Failed | Outcome::Errored);
    let file_of = |c: &TestCase| junit::test_file(c).map(|f| normalise(&f));
    // Files where the partial run failed what the whole one did not: the
    // re-run tests' results there come from the whole run, as faithful a
    // run of them as any (a test whose block's `before` needs a sibling
    // outside the block was only cancelled by the partial run).
    let partial: BTreeSet<Option<String>> = found
        .iter()
        .filter(|c| elsewhere(c).is_some() && !recurred.contains(&key(c)))
        .map(file_of)
        .collect();
    let mut confirmed = Vec::new();
    let mut kept: Vec<TestCase> = Vec::new();
    for case in found {
        if partial.contains(&file_of(&case)) {
            if elsewhere(&case).is_some() && recurred.contains(&key(&case)) {
                confirmed.push(key(&case));
                kept.push(case);
            }
        } else if elsewhere(&case).is_none() {
            kept.push(case);
        } else if recurred.contains(&key(&case)) {
            confirmed.push(key(&case));
            kept.push(case);
        }
    }
    // The whole run's own failures under names not re-run are not the
    // retry's (they passed before, or were never asked for): left out.
    kept.extend(whole.into_iter().filter(|c| {
        partial.contains(&file_of(c))
            && (!failure(c) || failed.iter().any(|(_, t)| is_retried(t, c)))
    }));
    Ok(Confirmed {
        found: kept,
        confirmed,
    })
}
