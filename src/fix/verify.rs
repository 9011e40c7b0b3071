//! Verification: a candidate's edits applied in a sandbox copy of the tree
//! ([`super::sandbox`]), the group's failing tests re-run with the runner
//! adapter, then every test of their files. A candidate is verified only
//! when the failing tests pass and no test that passed before fails.
//!
//! "Before" is measured, not assumed: the files' tests run once in the
//! untouched copy first (the baseline). A failing test that passes there
//! cannot show whether an edit fixes it; when none of the group's tests
//! fails in the baseline, nothing can be verified and every candidate is
//! `unverified`, with that reason.
//!
//! Every run gets what is left of the time limit as its timeout (the
//! process layer kills the runner's whole process group at it). The copy's
//! files are restored after each candidate, so candidates never see each
//! other's edits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::apply::{ApplyError, apply_all};
use super::edit::Edit;
use super::request::{FixOptions, FixRequest};
use super::sandbox::Sandbox;
use crate::hash::sha256_hex;
use crate::process::logged::Sink;
use crate::suite::exec::{ShardOutcome, ShardRun};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::runners::{self, Runner, TestRef};
use crate::suite::slow_files::PlannedTest;

/// How verifying one candidate ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The failing tests pass and no passing test fails.
    Verified { tests_run: usize },
    /// With the edit, a test fails: the first line of the first failure.
    Failed { failure: String },
    /// The edit does not apply to the files as tested.
    DoesNotApply(ApplyError),
    /// The tests could not tell (time limit, runner error).
    Unverified { why: String },
}

/// A file as it was tested: its path and the sha256 of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tested {
    pub file: String,
    pub sha256: String,
}

/// One group's verification: a sandbox with its baseline measured.
pub struct Verifier<'a> {
    runner: &'static dyn Runner,
    command: &'a [String],
    sandbox: Sandbox,
    /// The runs' reports and logs, inside the sandbox's temporary directory
    /// (removed with it, on Ctrl-C too).
    scratch: PathBuf,
    log_dir: PathBuf,
    deadline: Instant,
    /// The group's tests that fail in the baseline.
    failing: Vec<TestRef>,
    /// Their files, run whole after the failing tests pass.
    files: Vec<String>,
    /// Tests of those files that passed in the baseline.
    passed_before: BTreeSet<(String, String)>,
    runs: u32,
}

impl<'a> Verifier<'a> {
    /// Makes the sandbox and runs the baseline; the reason when nothing
    /// can be verified.
    pub fn new(
        request: &'a FixRequest,
        options: &FixOptions,
        deadline: Instant,
    ) -> Result<Self, String> {
        if request.command.is_empty() {
            return Err("no test command: give one after `--`".into());
        }
        let runner = match &request.runner {
            Some(name) => runners::by_name(name)
                .ok_or_else(|| format!("no runner adapter called `{name}`"))?,
            None => runners::detect(&request.command).ok_or_else(|| {
                "no runner adapter recognises the test command (give the runner's name)".to_string()
            })?,
        };
        let sandbox =
            Sandbox::create(&request.root).map_err(|e| format!("no copy of the tree: {e}"))?;
        let scratch = sandbox
            .scratch()
            .map_err(|e| format!("no scratch directory: {e}"))?;
        let log_dir = options.log_dir.clone().unwrap_or_else(|| scratch.clone());
        let files: BTreeSet<String> = request.failing.iter().map(|f| f.file.clone()).collect();
        let mut verifier = Verifier {
            runner,
            command: &request.command,
            sandbox,
            scratch,
            log_dir,
            deadline,
            failing: Vec::new(),
            files: files.into_iter().collect(),
            passed_before: BTreeSet::new(),
            runs: 0,
        };
        let wanted: Vec<TestRef> = request.failing.iter().map(with_file).collect();
        let baseline = verifier.run(&Selection::Files)?;
        if let Some(error) = &baseline.error
            && baseline.tests.is_empty()
        {
            return Err(format!(
                "the tests do not run in the copy of the tree: {}",
                first_line(&error.message)
            ));
        }
        verifier.failing = wanted
            .into_iter()
            .filter(|t| {
                find(&baseline.tests, t).is_some_and(|r| {
                    matches!(r.outcome, FinalOutcome::Failed | FinalOutcome::Flaky)
                })
            })
            .collect();
        if verifier.failing.is_empty() {
            return Err(
                "the failing tests do not fail in a copy of the tree before any edit: nothing to verify against"
                    .into(),
            );
        }
        verifier.passed_before = baseline
            .tests
            .iter()
            .filter(|t| t.outcome == FinalOutcome::Passed)
            .map(|t| (t.key.classname.clone(), t.key.name.clone()))
            .collect();
        Ok(verifier)
    }

    /// The files as tested (before any edit) for `edits`' files.
    pub fn tested(&self, edits: &[Edit]) -> Vec<Tested> {
        let files: BTreeSet<&str> = edits.iter().map(|e| e.file.as_str()).collect();
        files
            .into_iter()
            .filter_map(|file| {
                let text = std::fs::read(self.sandbox.root().join(file)).ok()?;
                Some(Tested {
                    file: file.to_string(),
                    sha256: sha256_hex(&text),
                })
            })
            .collect()
    }

    /// Test runs so far (the baseline included).
    pub fn runs(&self) -> u32 {
        self.runs
    }

    /// Applies `edits` in the copy, runs the tests, and restores the copy.
    pub fn verify(&mut self, edits: &[Edit]) -> Verdict {
        let originals = match self.originals(edits) {
            Ok(originals) => originals,
            Err(error) => return Verdict::DoesNotApply(error),
        };
        let changed = match apply_all(&originals, edits) {
            Ok(changed) => changed,
            Err(error) => return Verdict::DoesNotApply(error),
        };
        if let Err(e) = self.write_all(&changed) {
            self.restore(&originals);
            return Verdict::Unverified { why: e };
        }
        let verdict = self.judge();
        self.restore(&originals);
        verdict
    }

    fn judge(&mut self) -> Verdict {
        if self.runner.selects_tests() {
            let outcome = match self.run(&Selection::Failing) {
                Ok(outcome) => outcome,
                Err(why) => return Verdict::Unverified { why },
            };
            if let Some(failure) = self.still_failing(&outcome) {
                return Verdict::Failed { failure };
            }
        }
        let outcome = match self.run(&Selection::Files) {
            Ok(outcome) => outcome,
            Err(why) => return Verdict::Unverified { why },
        };
        if let Some(failure) = self.still_failing(&outcome) {
            return Verdict::Failed { failure };
        }
        let broken = outcome.tests.iter().find(|t| {
            matches!(t.outcome, FinalOutcome::Failed | FinalOutcome::Flaky)
                && self
                    .passed_before
                    .contains(&(t.key.classname.clone(), t.key.name.clone()))
        });
        if let Some(test) = broken {
            return Verdict::Failed {
                failure: format!("breaks {}: {}", display_name(test), failure_line(test)),
            };
        }
        if let Some(error) = outcome.error {
            return Verdict::Failed {
                failure: first_line(&error.message),
            };
        }
        Verdict::Verified {
            tests_run: outcome.tests.len(),
        }
    }

    /// The first line of the first group test that does not pass, if any.
    fn still_failing(&self, outcome: &ShardOutcome) -> Option<String> {
        for test in &self.failing {
            match find(&outcome.tests, test) {
                Some(result) if result.outcome == FinalOutcome::Passed => {}
                Some(result) => {
                    return Some(format!(
                        "{} still fails: {}",
                        display_name(result),
                        failure_line(result)
                    ));
                }
                None => {
                    let why = outcome
                        .error
                        .as_ref()
                        .map(|e| first_line(&e.message))
                        .unwrap_or_else(|| "no result".into());
                    return Some(format!("{} did not run: {why}", test.name));
                }
            }
        }
        None
    }

    /// The current texts of the files `edits` touch, in the copy.
    fn originals(&self, edits: &[Edit]) -> Result<BTreeMap<String, String>, ApplyError> {
        let mut originals = BTreeMap::new();
        for edit in edits {
            if originals.contains_key(&edit.file) {
                continue;
            }
            let text =
                std::fs::read_to_string(self.sandbox.root().join(&edit.file)).map_err(|_| {
                    ApplyError::NoFile {
                        file: edit.file.clone(),
                    }
                })?;
            originals.insert(edit.file.clone(), text);
        }
        Ok(originals)
    }

    fn write_all(&self, files: &BTreeMap<String, String>) -> Result<(), String> {
        for (file, text) in files {
            // The tests ran in the copy before this write, and may have left
            // a link on the way (to the working tree): never written through.
            if super::private::through_a_foreign_link(self.sandbox.root(), file) {
                return Err(format!(
                    "cannot write {file} in the copy: a symlink on its path"
                ));
            }
            std::fs::write(self.sandbox.root().join(file), text)
                .map_err(|e| format!("cannot write {file} in the copy: {e}"))?;
        }
        Ok(())
    }

    fn restore(&self, originals: &BTreeMap<String, String>) {
        if let Err(e) = self.write_all(originals) {
            tracing::warn!("{e}");
        }
    }

    /// One run of the runner in the copy, with what is left of the time.
    fn run(&mut self, selection: &Selection) -> Result<ShardOutcome, String> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(100) {
            return Err("the time limit was reached".into());
        }
        self.runs += 1;
        let log = self.log_dir.join(format!("fix-run-{}.log", self.runs));
        let scratch = self.scratch.join(format!("run-{}", self.runs));
        std::fs::create_dir_all(&scratch).map_err(|e| format!("no scratch directory: {e}"))?;
        let (items, split_files) = match selection {
            Selection::Files => (self.files.clone(), BTreeMap::new()),
            Selection::Failing => planned(self.runner, &self.failing),
        };
        let outcome = crate::suite::exec::run(&ShardRun {
            runner: self.runner,
            base: self.command,
            items: &items,
            split_files: &split_files,
            plan_items: &std::collections::BTreeSet::new(),
            discover: false,
            retries: 0,
            timeout: Some(left),
            dir: self.sandbox.root(),
            scratch: &scratch,
            sink: Sink::File(log),
            env: Vec::new(),
        });
        if let Some(error) = &outcome.error
            && error.kind == "timeout"
        {
            return Err(format!(
                "the time limit was reached while the tests ran ({})",
                first_line(&error.message)
            ));
        }
        Ok(outcome)
    }
}

/// What one run covers.
enum Selection {
    /// Only the group's failing tests.
    Failing,
    /// Every test of their files.
    Files,
}

/// The failing tests as single-test items of their files, the way the
/// shard executor runs tests split out of a file.
fn planned(
    runner: &dyn Runner,
    tests: &[TestRef],
) -> (Vec<String>, BTreeMap<String, Vec<PlannedTest>>) {
    let mut items = Vec::new();
    let mut split: BTreeMap<String, Vec<PlannedTest>> = BTreeMap::new();
    for test in tests {
        let file = test.file.clone().unwrap_or_default();
        let id = runner
            .test_id(test)
            .unwrap_or_else(|| format!("{file}::{}::{}", test.classname, test.name));
        items.push(id.clone());
        split.entry(file).or_default().push(PlannedTest {
            id,
            classname: test.classname.clone(),
            name: test.name.clone(),
        });
    }
    (items, split)
}

/// The test with its file set from the request when its report had none.
fn with_file(failing: &super::request::FailingTest) -> TestRef {
    let mut test = failing.test.clone();
    if test.file.as_deref().is_none_or(str::is_empty) {
        test.file = Some(failing.file.clone());
    }
    test
}

/// The result for `test`, by its names (and its file where both say).
fn find<'r>(results: &'r [TestResult], test: &TestRef) -> Option<&'r TestResult> {
    let clean = |f: &str| f.trim_start_matches("./").to_string();
    results.iter().find(|r| {
        r.key.classname == test.classname
            && r.key.name == test.name
            && match (&r.key.file, &test.file) {
                (Some(a), Some(b)) => clean(a) == clean(b) || Path::new(a).ends_with(clean(b)),
                _ => true,
            }
    })
}

fn display_name(test: &TestResult) -> String {
    if test.key.classname.is_empty() {
        test.key.name.clone()
    } else {
        format!("{} > {}", test.key.classname, test.key.name)
    }
}

/// The failure's first meaningful line: its message, else its details'.
fn failure_line(test: &TestResult) -> String {
    let failure = test.failure.as_ref();
    let text = failure
        .and_then(|f| f.message.as_deref())
        .filter(|m| !m.trim().is_empty())
        .or_else(|| failure.and_then(|f| f.details.as_deref()))
        .unwrap_or("failed");
    first_line(text)
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    crate::escape::control_chars(line).into_owned()
}
