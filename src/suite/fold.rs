//! Folding test cases into tests, counted the way users check them.
//!
//! A test's identity is the runner's own (file, suite path as `classname`,
//! name). Two results with one identity in ONE attempt are two tests, never
//! a retry: node runs `it('loop')` three times in a loop, and two `describe`
//! blocks may each hold an `it('returns 200')` when a report loses the
//! describe path. They get distinct keys by their order of appearance
//! ([`TestKey::occurrence`]). Only a later attempt (a real re-run, which the
//! caller announces with [`Folder::next_attempt`]) folds into an earlier
//! one, occurrence by occurrence, and only that can make a test flaky.
//!
//! A foreign JUnit file is one attempt. Gradle's test-retry plugin writes
//! retries as duplicate `<testcase>` elements in one file; read alone, such
//! a file can't be told from a suite with duplicate names, so its failed
//! attempt counts as a failed test rather than hiding as "flaky": a failure
//! is never hidden. Surefire-style runners record reruns inside one element
//! (`flakyFailure`, `rerunFailure`), and those still make a test flaky.
//!
//! [`Folder`] keeps two views: [`Counts`], the raw element counts a CI
//! summary of the XML shows, and [`Merged`] plus one [`TestResult`] per
//! test, with attempts folded.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::junit::{Outcome, Rerun, TestCase};

/// The failure type of a test the runner had queued and never ran (killed
/// at a timeout, or stopped early by `-x`/`--maxfail`). It is retried like a
/// failure; when no attempt runs it, it stays an error, named.
pub const NEVER_RAN: &str = "never-ran";

/// The failure type of a test that failed when its file ran whole after a
/// retry of other tests in it, or beside the retried tests' files where
/// the runner runs a shard's files in one process (a flaky test that,
/// passing, breaks it; see `exec/confirm.rs`): what the runner says once
/// the flaky tests pass. It stands as failed whatever the test did before, unless
/// it passes again later.
pub const FAILED_IN_WHOLE_FILE: &str = "failed-in-whole-file";

/// Raw `<testcase>` element counts, retries not folded: what the XML says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// `<testcase>` elements.
    pub cases: u64,
    /// Cases with a `<failure>`.
    pub failures: u64,
    /// Cases with an `<error>` and no `<failure>`.
    pub errors: u64,
    /// Cases skipped (with neither of the above).
    pub skipped: u64,
}

/// The folded view: one entry per test, however many attempts it took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    /// Unique tests.
    pub tests: u64,
    /// Passed, or passed and skipped in other attempts.
    pub passed: u64,
    /// Failed or errored in every attempt that ran.
    pub failed: u64,
    pub flaky: u64,
    /// Skipped in every attempt.
    pub skipped: u64,
    /// Sum of every case's time, retries included: the time actually spent.
    pub duration_seconds: f64,
}

/// What makes two cases the same test. `file` is the case's own (or its
/// suite's) `file` attribute as parsed, not a derived path, so that a key can
/// be matched back to the cases it came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TestKey {
    pub file: Option<String>,
    pub classname: String,
    pub name: String,
    /// 0 for the first test with these names in an attempt, 1 for the
    /// second, and so on: same-named tests in one run are distinct tests.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub occurrence: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A test's verdict after all its attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FinalOutcome {
    /// Passed in some attempt and never failed (skips don't count).
    Passed,
    /// Failed or errored in every attempt that was not skipped.
    Failed,
    /// Failed (or errored) in some attempt and passed in another, or passed
    /// with failed reruns recorded inside its `<testcase>`.
    Flaky,
    /// Skipped in every attempt.
    Skipped,
}

/// Why a test failed: from its last failing attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FailureInfo {
    /// The `message` attribute (or a rerun's message, see [`Folder`]).
    pub message: Option<String>,
    /// The `type` attribute.
    pub failure_type: Option<String>,
    /// The element's text, capped by the parser.
    pub details: Option<String>,
    /// The testcase's `line` attribute as written, where the report has one
    /// (a fallback for annotations when the stack names no line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl FailureInfo {
    /// The stand-in for a test file that did not import
    /// ([`super::exec::COLLECTION_ERROR`]).
    pub fn is_collection_error(&self) -> bool {
        self.failure_type.as_deref() == Some(super::exec::COLLECTION_ERROR)
    }

    /// The stand-in for tests that never loaded: a test file that did not
    /// import, or a go package that did not build.
    fn never_loaded(&self) -> bool {
        self.is_collection_error()
            || self.failure_type.as_deref() == Some(super::runners::GO_BUILD_FAILED)
    }

    /// A failure of a whole item rather than of one test in it: a file that
    /// did not import, or a go package that failed outside of any test (a
    /// check after its tests). Every process that ran part of the item in
    /// one attempt reports it, and it is one failure.
    fn stands_for_whole(&self) -> bool {
        self.is_collection_error()
            || self.failure_type.as_deref() == Some(super::runners::GO_PACKAGE_FAILED)
    }
}

/// One test, attempts folded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    pub key: TestKey,
    /// The verdict; see [`FinalOutcome`].
    pub outcome: FinalOutcome,
    /// Runs of this test: its `<testcase>` elements and the failed reruns
    /// recorded inside them (nextest's and Surefire's own retries).
    pub attempts: u32,
    /// Sum over attempts, reruns recorded inside an element included.
    pub duration_seconds: f64,
    /// Set for failed and flaky tests only.
    pub failure: Option<FailureInfo>,
}

impl TestResult {
    /// Whether it stands for a test file that did not import.
    pub fn is_collection_error(&self) -> bool {
        self.failure
            .as_ref()
            .is_some_and(FailureInfo::is_collection_error)
    }

    /// Whether it stands for tests that never loaded: a test file that did
    /// not import, or a go package that did not build. What their tests
    /// cost is unmeasured, and none of them is gone.
    pub fn never_loaded(&self) -> bool {
        self.failure.as_ref().is_some_and(FailureInfo::never_loaded)
    }

    /// What one attempt took: the summed time over the attempts.
    pub fn one_attempt_seconds(&self) -> f64 {
        self.duration_seconds / f64::from(self.attempts.max(1))
    }
}

/// Folds cases into tests. Cases added in one attempt are distinct tests,
/// numbered by [`TestKey::occurrence`] when their names repeat; the cases of
/// a later attempt (after [`Folder::next_attempt`]) with the same key are
/// re-runs of that test, whose verdict is:
/// - failed or errored in one attempt and passed in another, in either
///   order: [`FinalOutcome::Flaky`];
/// - passed with reruns recorded inside its element (Surefire
///   `flakyFailure`/`flakyError`): flaky; the last rerun's message stands as
///   the failure unless an attempt failed outright;
/// - failed or errored in every attempt that was not skipped: failed, with
///   the last failure's message, type and details;
/// - skipped in every attempt: skipped;
/// - otherwise (passed, perhaps also skipped): passed.
///
/// Memory grows with the number of unique tests; failure text is kept only
/// for tests that failed in some attempt.
#[derive(Debug, Default)]
pub struct Folder {
    counts: Counts,
    duration_seconds: f64,
    tests: HashMap<TestKey, Attempts>,
    /// The attempt cases are added to now, from 0.
    attempt: u32,
    /// This attempt's cases of tests an earlier attempt ran, by their key
    /// with occurrence 0, in the order they came: placed together when the
    /// attempt ends (see [`Folder::place_reruns`]).
    reruns: HashMap<TestKey, Vec<Attempt>>,
}

/// One case, less its key.
#[derive(Debug)]
struct Attempt {
    time_seconds: f64,
    outcome: Outcome,
    failure: FailureInfo,
    /// The last failed rerun recorded inside the element, if any.
    last_rerun: Option<Rerun>,
    /// How many reruns the element recorded (at most `MAX_RERUNS`).
    reruns: u32,
}

/// [`Attempts::likeness`]'s largest value.
const LEAST_ALIKE: u8 = 3;

/// What a test's runs so far were, for placing a re-run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Passed,
    Flaky,
    Failed,
    Skipped,
}

/// What a test's attempts so far add up to.
#[derive(Debug, Default)]
struct Attempts {
    count: u32,
    /// The attempt this test was last seen in: a second case with its key
    /// in that attempt is another test (the next occurrence).
    last_attempt: u32,
    /// The attempt this test was first seen in.
    first_attempt: u32,
    duration_seconds: f64,
    passed: bool,
    failed: bool,
    /// Passed with failed reruns recorded inside the element.
    passed_after_reruns: bool,
    /// Failed where its file ran whole ([`FAILED_IN_WHOLE_FILE`]).
    failed_in_whole_file: bool,
    /// Boxed: most tests never fail, and the map keeps one per test.
    failure: Option<Box<FailureInfo>>,
}

impl Folder {
    /// An empty folder; the same as `Folder::default()`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one `<testcase>`: an attempt of the test its key names. The
    /// case's strings move into the key and the failure; nothing is copied.
    pub fn add(&mut self, case: TestCase) {
        self.count(case.outcome);
        let rerun_seconds: f64 = case.reruns.iter().map(|r| r.time_seconds).sum();
        self.duration_seconds += case.time_seconds + rerun_seconds;
        let TestCase {
            classname,
            name,
            file,
            line,
            time_seconds,
            outcome,
            message,
            failure_type,
            details,
            reruns,
            ..
        } = case;
        let attempt = Attempt {
            time_seconds: time_seconds + rerun_seconds,
            reruns: u32::try_from(reruns.len()).unwrap_or(u32::MAX),
            outcome,
            failure: FailureInfo {
                message,
                failure_type,
                details,
                line,
            },
            last_rerun: reruns.into_iter().last(),
        };
        let mut key = TestKey {
            file,
            classname,
            name,
            occurrence: 0,
        };
        // A whole item's failure is one however many of its parts ran in
        // this attempt (a split file's tests and its rest each report its
        // collection error; the never-ran tests a retry runs apart and the
        // rest each fail a go package's check after its tests): the first
        // report stands.
        if attempt.failure.stands_for_whole() && self.whole_failure_seen(&key) {
            return;
        }
        if self.attempt > 0 && self.tests.contains_key(&key) {
            self.reruns.entry(key).or_default().push(attempt);
            return;
        }
        // The first run of these names: the first occurrence not seen in
        // this attempt, or a new one.
        while self
            .tests
            .get(&key)
            .is_some_and(|seen| seen.seen_in(self.attempt))
        {
            key.occurrence += 1;
        }
        let attempts = self.tests.entry(key).or_default();
        attempts.seen(self.attempt);
        attempts.record(attempt);
    }

    /// Whether this attempt already holds a whole item's failure for `key`.
    fn whole_failure_seen(&self, key: &TestKey) -> bool {
        let recorded = self.tests.get(key).is_some_and(|seen| {
            seen.seen_in(self.attempt)
                && seen
                    .failure
                    .as_deref()
                    .is_some_and(FailureInfo::stands_for_whole)
        });
        recorded
            || self
                .reruns
                .get(key)
                .is_some_and(|held| held.iter().any(|a| a.failure.stands_for_whole()))
    }

    /// Places this attempt's re-runs: each test's results go to the
    /// same-named tests (occurrences) whose earlier runs they are most like
    /// (see [`Attempts::likeness`]), the closest matches first whatever
    /// order they came in, then the first of equals; a result left over is
    /// a new occurrence. Same names (one file in two vitest or jest
    /// projects, `describe.concurrent`, jest's `test.concurrent`) report in
    /// any order: placed one by one in that order, a skipped twin's skip
    /// took a flaky test's place (failed where it passed on retry), and a
    /// pass could take a failed test's place (a real failure read as flaky).
    fn place_reruns(&mut self) {
        let attempt = self.attempt;
        for (mut key, held) in std::mem::take(&mut self.reruns) {
            // The occurrences an earlier attempt ran, free in this one.
            let mut free: Vec<(u32, &Attempts)> = Vec::new();
            let mut next = 0;
            loop {
                key.occurrence = next;
                let Some(seen) = self.tests.get(&key) else {
                    break;
                };
                if !seen.seen_in(attempt) {
                    free.push((next, seen));
                }
                next += 1;
            }
            let mut placed: Vec<Option<u32>> = vec![None; held.len()];
            let mut taken = vec![false; free.len()];
            for level in 0..=LEAST_ALIKE {
                for (run, slot) in held.iter().zip(placed.iter_mut()) {
                    if slot.is_some() {
                        continue;
                    }
                    let found = free
                        .iter()
                        .zip(taken.iter_mut())
                        .find(|((_, seen), taken)| !**taken && seen.likeness(run.outcome) == level);
                    if let Some(((occurrence, _), taken)) = found {
                        *taken = true;
                        *slot = Some(*occurrence);
                    }
                }
            }
            for (run, slot) in held.into_iter().zip(placed) {
                key.occurrence = slot.unwrap_or_else(|| {
                    next += 1;
                    next - 1
                });
                let attempts = self.tests.entry(key.clone()).or_default();
                attempts.seen(attempt);
                attempts.record(run);
            }
        }
    }

    /// Starts the next attempt: the cases added from now on are re-runs of
    /// the tests added before (the first case with a key folds into that
    /// key's first occurrence, the second into its second, …).
    pub fn next_attempt(&mut self) {
        self.place_reruns();
        self.attempt = self.attempt.saturating_add(1);
    }

    fn count(&mut self, outcome: Outcome) {
        self.counts.cases += 1;
        match outcome {
            Outcome::Passed => {}
            Outcome::Failed => self.counts.failures += 1,
            Outcome::Errored => self.counts.errors += 1,
            Outcome::Skipped => self.counts.skipped += 1,
        }
    }

    /// The raw counts, the merged summary and every test sorted by key.
    pub fn finish(mut self) -> (Counts, Merged, Vec<TestResult>) {
        self.place_reruns();
        absorb_passed_stand_ins(&mut self.tests);
        let mut results: Vec<TestResult> = self
            .tests
            .into_iter()
            .map(|(key, attempts)| attempts.into_result(key))
            .collect();
        // Keys are unique, so an unstable sort is still deterministic.
        results.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        let mut merged = Merged {
            tests: results.len() as u64,
            duration_seconds: self.duration_seconds,
            ..Merged::default()
        };
        for result in &results {
            match result.outcome {
                FinalOutcome::Passed => merged.passed += 1,
                FinalOutcome::Failed => merged.failed += 1,
                FinalOutcome::Flaky => merged.flaky += 1,
                FinalOutcome::Skipped => merged.skipped += 1,
            }
        }
        (self.counts, merged, results)
    }
}

/// A test file that did not import in one attempt and did in a later one
/// left its stand-in (a flaky "test") beside the tests it then ran: one
/// test more than the runner ever counts. Where none of the file's tests
/// ran beside the stand-in's first failure (all came after it), its tests
/// carry it instead: each that passed is flaky, with the import's failure.
/// A stand-in that failed in every attempt, whose file reported no test,
/// or that stood for part of a file (a class that could not be collected,
/// beside tests that ran), stays.
fn absorb_passed_stand_ins(tests: &mut HashMap<TestKey, Attempts>) {
    let stand_ins: Vec<(TestKey, u32)> = tests
        .iter()
        .filter(|(key, a)| key.file.is_some() && a.passed && a.failed && a.stands_in())
        .map(|(key, a)| (key.clone(), a.first_attempt))
        .collect();
    for (stand_in, failed_in) in stand_ins {
        let of_file = |key: &TestKey, a: &Attempts| {
            key.file == stand_in.file && *key != stand_in && !a.stands_in()
        };
        let mut file_tests = tests.iter().filter(|(k, a)| of_file(k, a)).peekable();
        if file_tests.peek().is_none() || file_tests.any(|(_, a)| a.first_attempt <= failed_in) {
            continue;
        }
        let Some(absorbed) = tests.remove(&stand_in) else {
            continue;
        };
        for (_, test) in tests.iter_mut().filter(|(k, a)| of_file(k, a)) {
            if test.passed && !test.failed {
                test.failed = true;
                test.failure.clone_from(&absorbed.failure);
                test.count = test.count.saturating_add(test.first_attempt - failed_in);
            }
        }
    }
}

impl Attempts {
    /// Whether this is a test file's stand-in: its failure is the file's
    /// collection error ([`FailureInfo::is_collection_error`]).
    fn stands_in(&self) -> bool {
        self.failure
            .as_deref()
            .is_some_and(FailureInfo::is_collection_error)
    }

    /// Notes a case of this test in `attempt`.
    fn seen(&mut self, attempt: u32) {
        if self.count == 0 {
            self.first_attempt = attempt;
        }
        self.last_attempt = attempt;
    }

    /// Whether a case of this test was added in `attempt` already.
    fn seen_in(&self, attempt: u32) -> bool {
        self.count > 0 && self.last_attempt == attempt
    }

    /// How unlike a run with `outcome` this test's earlier runs are, from 0
    /// (the most alike) to [`LEAST_ALIKE`]. A failure goes first to a test
    /// that only failed, then to a flaky one, one that passed, one only
    /// skipped; a pass to one that only passed, then a flaky one, one that
    /// failed (its retry), one only skipped; a skip to one only skipped,
    /// then one that passed, a flaky one, one that failed. So a pass takes
    /// a failed test's place only where no test that passed or was skipped
    /// is left for it, and a skipped twin keeps its skip.
    fn likeness(&self, outcome: Outcome) -> u8 {
        let kind = match (self.passed, self.failed) {
            (true, false) => Kind::Passed,
            (true, true) => Kind::Flaky,
            (false, true) => Kind::Failed,
            (false, false) => Kind::Skipped,
        };
        let order: [Kind; 4] = match outcome {
            Outcome::Failed | Outcome::Errored => {
                [Kind::Failed, Kind::Flaky, Kind::Passed, Kind::Skipped]
            }
            Outcome::Passed => [Kind::Passed, Kind::Flaky, Kind::Failed, Kind::Skipped],
            Outcome::Skipped => [Kind::Skipped, Kind::Passed, Kind::Flaky, Kind::Failed],
        };
        order
            .iter()
            .position(|k| *k == kind)
            .map_or(LEAST_ALIKE, |at| at as u8)
    }

    fn record(&mut self, attempt: Attempt) {
        self.count = self.count.saturating_add(1).saturating_add(attempt.reruns);
        self.duration_seconds += attempt.time_seconds;
        match attempt.outcome {
            Outcome::Passed => self.record_pass(attempt.last_rerun),
            Outcome::Failed | Outcome::Errored => {
                self.failed = true;
                self.failed_in_whole_file |=
                    attempt.failure.failure_type.as_deref() == Some(FAILED_IN_WHOLE_FILE);
                // The last failure is the one users want to see, unless it
                // only says the test never ran this time (its runner died
                // under another): the failure it ran into stays.
                let placeholder = |f: &FailureInfo| f.failure_type.as_deref() == Some(NEVER_RAN);
                let ran_into = self.failure.as_deref().is_some_and(|f| !placeholder(f));
                if !(ran_into && placeholder(&attempt.failure)) {
                    self.failure = Some(Box::new(attempt.failure));
                }
            }
            Outcome::Skipped => {}
        }
    }

    fn record_pass(&mut self, last_rerun: Option<Rerun>) {
        self.passed = true;
        // Passed again since (a later attempt's run of the whole file):
        // flaky, as any test.
        self.failed_in_whole_file = false;
        let Some(rerun) = last_rerun else { return };
        self.passed_after_reruns = true;
        // A rerun carries only a message: it never replaces a full failure.
        if self.failure.is_none() {
            self.failure = Some(Box::new(FailureInfo {
                message: rerun.message,
                ..FailureInfo::default()
            }));
        }
    }

    /// Any failure plus any pass is flaky, in either order: retries only
    /// follow failures, and a test that passes in one report and fails in
    /// another is not deterministic either. Not a failure where its file
    /// ran whole after a retry ([`FAILED_IN_WHOLE_FILE`]): it passed only
    /// while another test still failed.
    fn outcome(&self) -> FinalOutcome {
        if self.failed_in_whole_file {
            return FinalOutcome::Failed;
        }
        match (self.passed, self.failed) {
            (true, true) => FinalOutcome::Flaky,
            (false, true) => FinalOutcome::Failed,
            (true, false) if self.passed_after_reruns => FinalOutcome::Flaky,
            (true, false) => FinalOutcome::Passed,
            (false, false) => FinalOutcome::Skipped,
        }
    }

    fn into_result(self, key: TestKey) -> TestResult {
        let outcome = self.outcome();
        let failure = match outcome {
            FinalOutcome::Failed | FinalOutcome::Flaky => self.failure.map(|f| *f),
            FinalOutcome::Passed | FinalOutcome::Skipped => None,
        };
        TestResult {
            key,
            outcome,
            attempts: self.count,
            duration_seconds: self.duration_seconds,
            failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, outcome: Outcome, time_seconds: f64) -> TestCase {
        TestCase {
            suite: "suite".into(),
            classname: "com.shop.CartTest".into(),
            name: name.into(),
            file: None,
            line: None,
            time_seconds,
            outcome,
            message: None,
            failure_type: None,
            details: None,
            reruns: Vec::new(),
        }
    }

    fn failing(name: &str, outcome: Outcome, message: &str) -> TestCase {
        TestCase {
            message: Some(message.into()),
            failure_type: Some("AssertionError".into()),
            details: Some(format!("{message}\n\tat CartTest.java:12")),
            ..case(name, outcome, 1.0)
        }
    }

    fn rerun(flaky: bool, message: &str) -> Rerun {
        Rerun {
            outcome: Outcome::Failed,
            flaky,
            message: Some(message.into()),
            time_seconds: 0.25,
        }
    }

    /// Each case in an attempt of its own: retries.
    fn fold(cases: Vec<TestCase>) -> (Counts, Merged, Vec<TestResult>) {
        let mut folder = Folder::new();
        for case in cases {
            folder.add(case);
            folder.next_attempt();
        }
        folder.finish()
    }

    /// Every case in one attempt.
    fn fold_once(cases: Vec<TestCase>) -> Vec<(u32, FinalOutcome, u32)> {
        let mut folder = Folder::new();
        cases.into_iter().for_each(|c| folder.add(c));
        let (_, _, results) = folder.finish();
        results
            .iter()
            .map(|r| (r.key.occurrence, r.outcome, r.attempts))
            .collect()
    }

    #[test]
    fn same_names_in_one_attempt_are_two_tests_never_a_retry() {
        use FinalOutcome::*;
        // node's `it('returns 200')` in two describe blocks whose path the
        // report lost: one fails. Never "flaky".
        assert_eq!(
            fold_once(vec![
                failing("t", Outcome::Failed, "boom"),
                case("t", Outcome::Passed, 1.0),
            ]),
            [(0, Failed, 1), (1, Passed, 1)]
        );
        let mut folder = Folder::new();
        (0..3).for_each(|_| folder.add(case("loop", Outcome::Passed, 0.1)));
        let (_, merged, _) = folder.finish();
        assert_eq!((merged.tests, merged.passed), (3, 3));
    }

    #[test]
    fn a_file_that_does_not_import_is_one_failure_however_many_parts_ran() {
        use FinalOutcome::*;
        let uncollected = || TestCase {
            failure_type: Some(crate::suite::exec::COLLECTION_ERROR.into()),
            ..failing("tests.test_slow", Outcome::Errored, "ModuleNotFoundError")
        };
        // A split file's test and its rest, in one attempt.
        assert_eq!(
            fold_once(vec![uncollected(), uncollected()]),
            [(0, Failed, 1)]
        );
        // Other same-named failures stay two tests.
        assert_eq!(
            fold_once(vec![
                uncollected(),
                failing("tests.test_slow", Outcome::Failed, "x")
            ]),
            [(0, Failed, 1), (1, Failed, 1)]
        );
    }

    #[test]
    fn a_rerun_of_same_names_in_another_order_keeps_the_failure() {
        use FinalOutcome::*;
        // Two `twin`s run at once; the second fails every time, and the
        // re-run reports it first.
        let mut folder = Folder::new();
        folder.add(case("twin", Outcome::Passed, 0.1));
        folder.add(failing("twin", Outcome::Failed, "always"));
        folder.next_attempt();
        folder.add(failing("twin", Outcome::Failed, "always"));
        folder.add(case("twin", Outcome::Passed, 0.1));
        let (_, merged, results) = folder.finish();
        let summary: Vec<_> = results
            .iter()
            .map(|r| (r.key.occurrence, r.outcome, r.attempts))
            .collect();
        assert_eq!(summary, [(0, Passed, 2), (1, Failed, 2)]);
        assert_eq!((merged.failed, merged.flaky), (1, 0));
        // Both pass on the re-run: the failed one is flaky.
        let mut folder = Folder::new();
        folder.add(failing("twin", Outcome::Failed, "once"));
        folder.add(case("twin", Outcome::Passed, 0.1));
        folder.next_attempt();
        folder.add(case("twin", Outcome::Passed, 0.1));
        folder.add(case("twin", Outcome::Passed, 0.1));
        let (_, merged, _) = folder.finish();
        assert_eq!((merged.failed, merged.flaky, merged.passed), (0, 1, 1));
    }

    #[test]
    fn a_rerun_folds_occurrence_by_occurrence() {
        use FinalOutcome::*;
        let mut folder = Folder::new();
        folder.add(case("loop", Outcome::Passed, 0.1));
        folder.add(failing("loop", Outcome::Failed, "second fails"));
        folder.add(case("loop", Outcome::Passed, 0.1));
        folder.next_attempt();
        // The re-run runs every test of that name again.
        (0..3).for_each(|_| folder.add(case("loop", Outcome::Passed, 0.1)));
        let (_, merged, results) = folder.finish();
        let summary: Vec<_> = results
            .iter()
            .map(|r| (r.key.occurrence, r.outcome, r.attempts))
            .collect();
        assert_eq!(summary, [(0, Passed, 2), (1, Flaky, 2), (2, Passed, 2)]);
        assert_eq!((merged.tests, merged.flaky), (3, 1));
        // A re-run that reports only the failed one folds into occurrence 0,
        // the first with that name: the runner can't tell them apart either.
        let mut folder = Folder::new();
        folder.add(failing("t", Outcome::Failed, "boom"));
        folder.next_attempt();
        folder.add(case("t", Outcome::Passed, 0.1));
        let (_, merged, _) = folder.finish();
        assert_eq!((merged.tests, merged.flaky), (1, 1));
    }

    /// One file in two projects (vitest's or jest's `projects`): one copy
    /// skipped, the other failing first and passing on retry, reported in
    /// either order in either attempt.
    #[test]
    fn a_retry_stays_with_its_own_kind_whatever_the_order() {
        use FinalOutcome::*;
        let skip = || case("feature works", Outcome::Skipped, 0.0);
        let fail = || failing("feature works", Outcome::Failed, "flaky: first attempt");
        let pass = || case("feature works", Outcome::Passed, 0.1);
        for first_skip in [true, false] {
            for retry_skip_first in [true, false] {
                let mut folder = Folder::new();
                let first: [&dyn Fn() -> TestCase; 2] = if first_skip {
                    [&skip, &fail]
                } else {
                    [&fail, &skip]
                };
                first.iter().for_each(|make| folder.add(make()));
                folder.next_attempt();
                let retry: [&dyn Fn() -> TestCase; 2] = if retry_skip_first {
                    [&skip, &pass]
                } else {
                    [&pass, &skip]
                };
                retry.iter().for_each(|make| folder.add(make()));
                let (_, merged, _) = folder.finish();
                assert_eq!(
                    (
                        merged.tests,
                        merged.flaky,
                        merged.skipped,
                        merged.failed,
                        merged.passed
                    ),
                    (2, 1, 1, 0, 0),
                    "first skip {first_skip}, retry skip first {retry_skip_first}"
                );
            }
        }
        // A copy failing every time keeps its failure beside a skipped twin.
        let mut folder = Folder::new();
        folder.add(skip());
        folder.add(fail());
        folder.next_attempt();
        folder.add(fail());
        folder.add(skip());
        let (_, merged, results) = folder.finish();
        assert_eq!((merged.failed, merged.skipped), (1, 1));
        assert!(
            results
                .iter()
                .any(|r| r.outcome == Failed && r.attempts == 2)
        );
    }

    /// The verdicts, by occurrence, of same-named cases reported with these
    /// outcomes, attempt by attempt.
    fn verdicts(attempts: &[&[Outcome]]) -> Vec<FinalOutcome> {
        let mut folder = Folder::new();
        for (index, outcomes) in attempts.iter().enumerate() {
            if index > 0 {
                folder.next_attempt();
            }
            for outcome in *outcomes {
                folder.add(match outcome {
                    Outcome::Failed | Outcome::Errored => failing("t", *outcome, "boom"),
                    _ => case("t", *outcome, 0.1),
                });
            }
        }
        let (_, _, results) = folder.finish();
        results.iter().map(|r| r.outcome).collect()
    }

    /// Mixes a review found where a result placed one by one in report
    /// order took another test's place: each keeps its failure now.
    #[test]
    fn reruns_are_placed_together_closest_first() {
        use FinalOutcome::*;
        use Outcome::{Failed as F, Passed as P, Skipped as S};
        // Flaky, failing every time, always skipped; the last retry reports
        // the failing one first.
        assert_eq!(
            verdicts(&[&[P, F, S], &[F, F, S], &[F, P, S]]),
            [Flaky, Failed, Skipped]
        );
        // A failing test that skips itself on the retry beside one passing.
        assert_eq!(verdicts(&[&[F, P], &[S, P]]), [Failed, Passed]);
        // A retry reporting both: the failure stays with the failed test.
        assert_eq!(verdicts(&[&[F, S], &[P, F]]), [Failed, Passed]);
        // One result for two names, a failed and a skipped one: the pass is
        // the failed one's retry (a skipped twin reports its skip).
        assert_eq!(verdicts(&[&[F, S], &[P]]), [Flaky, Skipped]);
        // Two failing every time, one passing, retried in any order.
        assert_eq!(
            verdicts(&[&[F, P, F], &[P, F, F], &[F, F, P]]),
            [Failed, Passed, Failed]
        );
    }

    #[test]
    fn the_occurrence_is_left_out_of_json_when_first() {
        let key = |occurrence| TestKey {
            file: None,
            classname: "c".into(),
            name: "n".into(),
            occurrence,
        };
        assert_eq!(
            serde_json::to_string(&key(0)).unwrap(),
            r#"{"file":null,"classname":"c","name":"n"}"#
        );
        let second = serde_json::to_string(&key(1)).unwrap();
        assert!(second.ends_with(r#""occurrence":1}"#), "{second}");
        let read: TestKey =
            serde_json::from_str(r#"{"file":null,"classname":"c","name":"n"}"#).unwrap();
        assert_eq!(read, key(0));
    }

    fn only(cases: Vec<TestCase>) -> TestResult {
        let (_, _, mut results) = fold(cases);
        assert_eq!(results.len(), 1);
        results.remove(0)
    }

    #[test]
    fn duplicates_by_key_are_attempts_of_one_test() {
        let result = only(vec![
            case("adds", Outcome::Passed, 0.5),
            case("adds", Outcome::Passed, 0.25),
        ]);
        assert_eq!(
            (result.outcome, result.attempts, result.duration_seconds),
            (FinalOutcome::Passed, 2, 0.75)
        );
        assert_eq!(result.failure, None);
    }

    #[test]
    fn failed_then_passed_is_flaky_and_keeps_the_failure() {
        let result = only(vec![
            failing("t", Outcome::Failed, "boom"),
            case("t", Outcome::Passed, 1.0),
        ]);
        assert_eq!((result.outcome, result.attempts), (FinalOutcome::Flaky, 2));
        assert_eq!(
            result.failure.and_then(|f| f.message).as_deref(),
            Some("boom")
        );
    }

    #[test]
    fn errored_then_passed_is_flaky() {
        let result = only(vec![
            failing("t", Outcome::Errored, "db down"),
            case("t", Outcome::Passed, 1.0),
        ]);
        assert_eq!(result.outcome, FinalOutcome::Flaky);
    }

    #[test]
    fn passed_then_failed_is_flaky_too() {
        let result = only(vec![
            case("t", Outcome::Passed, 1.0),
            failing("t", Outcome::Failed, "boom"),
        ]);
        assert_eq!(result.outcome, FinalOutcome::Flaky);
    }

    #[test]
    fn pass_with_flaky_reruns_only_is_flaky_with_the_rerun_message() {
        let mut passed = case("t", Outcome::Passed, 0.5);
        passed.reruns = vec![rerun(true, "first"), rerun(true, "second")];
        let result = only(vec![passed]);
        // Three runs: the two failed reruns and the pass, and their times.
        assert_eq!((result.outcome, result.attempts), (FinalOutcome::Flaky, 3));
        assert_eq!(result.duration_seconds, 1.0);
        assert_eq!(
            result.failure,
            Some(FailureInfo {
                message: Some("second".into()),
                failure_type: None,
                details: None,
                line: None,
            })
        );
    }

    #[test]
    fn a_rerun_message_never_replaces_a_full_failure() {
        let mut passed = case("t", Outcome::Passed, 0.5);
        passed.reruns = vec![rerun(true, "thin")];
        let result = only(vec![failing("t", Outcome::Failed, "full"), passed]);
        let failure = result.failure.expect("failure kept");
        assert_eq!(failure.message.as_deref(), Some("full"));
        assert!(failure.details.is_some());
    }

    #[test]
    fn failure_with_rerun_failures_is_failed() {
        let mut failed = failing("t", Outcome::Failed, "final");
        failed.reruns = vec![rerun(false, "rerun 1"), rerun(false, "rerun 2")];
        let result = only(vec![failed]);
        assert_eq!(result.outcome, FinalOutcome::Failed);
        assert_eq!(
            result.failure.and_then(|f| f.message).as_deref(),
            Some("final")
        );
    }

    #[test]
    fn all_attempts_failed_is_failed_with_the_last_failure() {
        let result = only(vec![
            failing("t", Outcome::Failed, "first"),
            failing("t", Outcome::Errored, "second"),
            failing("t", Outcome::Failed, "third"),
        ]);
        assert_eq!(
            (result.outcome, result.attempts, result.duration_seconds),
            (FinalOutcome::Failed, 3, 3.0)
        );
        let failure = result.failure.expect("failure");
        assert_eq!(failure.message.as_deref(), Some("third"));
        assert_eq!(
            failure.details.as_deref(),
            Some("third\n\tat CartTest.java:12")
        );
    }

    #[test]
    fn all_skipped_is_skipped_without_failure_info() {
        let mut skipped = case("t", Outcome::Skipped, 0.0);
        skipped.message = Some("offline".into());
        let result = only(vec![skipped.clone(), skipped]);
        assert_eq!(
            (result.outcome, result.attempts, result.failure),
            (FinalOutcome::Skipped, 2, None)
        );
    }

    #[test]
    fn passed_and_skipped_is_passed() {
        let result = only(vec![
            case("t", Outcome::Skipped, 0.0),
            case("t", Outcome::Passed, 0.2),
        ]);
        assert_eq!(result.outcome, FinalOutcome::Passed);
    }

    #[test]
    fn failed_and_skipped_is_failed() {
        let result = only(vec![
            failing("t", Outcome::Failed, "boom"),
            case("t", Outcome::Skipped, 0.0),
        ]);
        assert_eq!(result.outcome, FinalOutcome::Failed);
    }

    #[test]
    fn file_classname_and_name_all_make_the_key() {
        let mut in_a = case("t", Outcome::Passed, 1.0);
        in_a.file = Some("a.spec.ts".into());
        let mut other_class = case("t", Outcome::Failed, 1.0);
        other_class.classname = "com.shop.OtherTest".into();
        let (_, merged, results) = fold(vec![case("t", Outcome::Passed, 1.0), in_a, other_class]);
        assert_eq!(
            (merged.tests, merged.passed, merged.failed, merged.flaky),
            (3, 2, 1, 0)
        );
        assert!(results.iter().all(|r| r.attempts == 1));
    }

    #[test]
    fn results_are_sorted_by_key() {
        let mut with_file = case("a", Outcome::Passed, 1.0);
        with_file.file = Some("z.py".into());
        let mut other_class = case("a", Outcome::Passed, 1.0);
        other_class.classname = "com.shop.AlphaTest".into();
        let (_, _, results) = fold(vec![
            with_file,
            case("b", Outcome::Passed, 1.0),
            case("a", Outcome::Passed, 1.0),
            other_class,
        ]);
        let keys: Vec<_> = results
            .iter()
            .map(|r| {
                (
                    r.key.file.as_deref(),
                    r.key.classname.as_str(),
                    r.key.name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                (None, "com.shop.AlphaTest", "a"),
                (None, "com.shop.CartTest", "a"),
                (None, "com.shop.CartTest", "b"),
                (Some("z.py"), "com.shop.CartTest", "a"),
            ]
        );
    }

    #[test]
    fn outcomes_serialize_lowercase() {
        let json =
            serde_json::to_string(&(FinalOutcome::Flaky, Outcome::Errored)).expect("serializes");
        assert_eq!(json, r#"["flaky","errored"]"#);
    }

    /// Retries, skips, errors and a Surefire flakyFailure, counted by hand.
    const MIXED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="com.shop.CartTest">
    <testcase classname="com.shop.CartTest" name="adds" time="0.5"/>
    <testcase classname="com.shop.CartTest" name="removes" time="1.0"><failure message="boom">first</failure></testcase>
    <testcase classname="com.shop.CartTest" name="removes" time="1.5"/>
    <testcase classname="com.shop.CartTest" name="checkout" time="2.0"><error message="db down" type="ConnectException">trace 1</error></testcase>
    <testcase classname="com.shop.CartTest" name="checkout" time="2.0"><error message="db still down" type="ConnectException">trace 2</error></testcase>
    <testcase classname="com.shop.CartTest" name="refunds" time="0"><skipped message="offline"/></testcase>
    <testcase classname="com.shop.CartTest" name="refunds" time="0"><skipped message="offline"/></testcase>
    <testcase classname="com.shop.CartTest" name="totals" time="0.25">
      <flakyFailure message="off by one" type="AssertionError"><stackTrace>at CartTest.java:40</stackTrace></flakyFailure>
    </testcase>
    <testcase classname="com.shop.CartTest" name="coupons" time="0.75">
      <failure message="expired">stack</failure>
      <rerunFailure message="expired"/>
    </testcase>
    <testcase classname="com.shop.CartTest" name="wishlist" time="0.1"><skipped/></testcase>
    <testcase classname="com.shop.CartTest" name="wishlist" time="0.2"/>
    <testcase classname="com.shop.CartTest" name="both" time="0"><error message="e"/><failure message="f"/></testcase>
  </testsuite>
</testsuites>
"#;

    #[test]
    fn counts_and_merged_on_a_mixed_report() {
        // One report is one attempt: its duplicate elements are distinct
        // tests (a Gradle test-retry file's failed attempt stays a failure).
        let mut folder = Folder::default();
        super::super::junit::parse_reader(MIXED.as_bytes(), "mixed.xml", |c| folder.add(c))
            .expect("parses");
        let (counts, merged, results) = folder.finish();
        assert_eq!(
            counts,
            Counts {
                cases: 12,
                failures: 3, // removes#1, coupons, both (error and failure)
                errors: 2,   // checkout twice
                skipped: 3,  // refunds twice, wishlist#1
            }
        );
        assert_eq!(
            (
                merged.tests,
                merged.passed,
                merged.failed,
                merged.flaky,
                merged.skipped
            ),
            (12, 3, 5, 1, 3)
        );
        assert!(
            (merged.duration_seconds - 8.3).abs() < 1e-9,
            "{}",
            merged.duration_seconds
        );

        let summary: Vec<_> = results
            .iter()
            .map(|r| (r.key.name.as_str(), r.key.occurrence, r.outcome))
            .collect();
        use FinalOutcome::*;
        assert_eq!(
            summary,
            vec![
                ("adds", 0, Passed),
                ("both", 0, Failed),
                ("checkout", 0, Failed),
                ("checkout", 1, Failed),
                ("coupons", 0, Failed),
                ("refunds", 0, Skipped),
                ("refunds", 1, Skipped),
                ("removes", 0, Failed),
                ("removes", 1, Passed),
                ("totals", 0, Flaky),
                ("wishlist", 0, Skipped),
                ("wishlist", 1, Passed),
            ]
        );
        let message = |name: &str| {
            let result = results
                .iter()
                .find(|r| r.key.name == name)
                .expect("present");
            result.failure.as_ref().and_then(|f| f.message.clone())
        };
        assert_eq!(message("checkout").as_deref(), Some("db down"));
        assert_eq!(message("removes").as_deref(), Some("boom"));
        assert_eq!(message("totals").as_deref(), Some("off by one"));
        assert_eq!(message("both").as_deref(), Some("f"));
        assert_eq!(message("adds"), None);
    }
}
