//! Root causes: failed tests grouped by fingerprint (across all shards and
//! retries: the merge has folded those), labelled by the classifier and
//! ordered by [`crate::triage::priority`]. Loading the classifier is the
//! caller's (it knows the configuration); a classifier that cannot load or
//! answer leaves the groups `unclassified`, and the report still comes out.

use std::collections::HashMap;

use crate::host::{Plugin, types};
use crate::suite::changed::Changes;
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::merge::Merged;
use crate::suite::render;
use crate::triage::classify::{category_name, classify_all, language_name, specialty_name};
use crate::triage::fingerprint::{Fingerprint, fingerprint, fingerprint_each};
use crate::triage::priority::{self, Facts};

/// One root cause: the failures that share a fingerprint.
#[derive(Clone, Debug)]
pub struct Group<'a> {
    pub fingerprint: Fingerprint,
    /// The classifier's labels of the group's first test (`unclassified`
    /// and "" without a classifier).
    pub category: String,
    pub specialty: String,
    pub language: String,
    /// The first test's classification, for the router.
    pub classification: Option<types::Classification>,
    /// The failed tests, in the merge's order (by key).
    pub tests: Vec<&'a TestResult>,
    /// 1 = fix first.
    pub priority: usize,
    /// Why it has that priority, in words.
    pub why: Vec<String>,
    /// Whether the change under test touched its files.
    pub touched: bool,
}

/// Longest representative message shown for a group, in bytes.
pub const MESSAGE_SHOWN: usize = 500;

impl Group<'_> {
    /// The first test's first message line, as written (escape it to show
    /// it), cut at [`MESSAGE_SHOWN`] bytes with `…`: the group's one
    /// representative message, in a terminal, a report and a PR comment,
    /// where a line of 16 KiB would bury everything after it.
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        let line = self.tests.first().map_or("(no message)", |t| first_line(t));
        if line.len() <= MESSAGE_SHOWN {
            return line.into();
        }
        format!("{}…", &line[..line.floor_char_boundary(MESSAGE_SHOWN)]).into()
    }
}

/// Root causes, highest priority first.
#[derive(Clone, Debug, Default)]
pub struct Groups<'a>(pub Vec<Group<'a>>);

impl<'a> Groups<'a> {
    /// Every failure in one group, `failed`, without fingerprints or
    /// classification (`--no-triage`).
    pub fn untriaged(merged: &'a Merged) -> Self {
        let tests = failed(merged);
        if tests.is_empty() {
            return Self::default();
        }
        Self(vec![Group {
            fingerprint: Fingerprint {
                id: "untriaged".into(),
                line: String::new(),
                frames: Vec::new(),
                files: Vec::new(),
            },
            category: "failed".into(),
            specialty: String::new(),
            language: String::new(),
            classification: None,
            priority: 1,
            why: vec!["not triaged (--no-triage)".into()],
            touched: false,
            tests,
        }])
    }

    fn is_triaged(&self) -> bool {
        self.0.iter().all(|g| g.fingerprint.id != "untriaged")
    }

    pub fn failures(&self) -> usize {
        self.0.iter().map(|g| g.tests.len()).sum()
    }

    /// `37 failures, 3 root causes`.
    pub fn headline(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let failures = plural(self.failures(), "failure", "failures");
        if !self.is_triaged() {
            return format!("{failures} (not triaged)");
        }
        format!(
            "{failures}, {}",
            plural(self.0.len(), "root cause", "root causes")
        )
    }
}

/// A failure's labels.
#[derive(Clone, Debug)]
pub struct Label {
    pub category: String,
    pub specialty: String,
    pub language: String,
    pub classification: Option<types::Classification>,
}

impl Label {
    fn unclassified() -> Self {
        Self {
            category: "unclassified".into(),
            specialty: String::new(),
            language: String::new(),
            classification: None,
        }
    }
}

/// The failed tests of a merged run.
pub fn failed(merged: &Merged) -> Vec<&TestResult> {
    merged
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Failed)
        .collect()
}

/// Root causes labelled by the classifier. Without a working classifier
/// the groups are still made, `unclassified`.
pub fn root_causes<'a>(
    merged: &'a Merged,
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
    changes: Option<&Changes>,
) -> Groups<'a> {
    let failed = failed(merged);
    if failed.is_empty() {
        return Groups::default();
    }
    let labels = match label(classifier, &failed) {
        Ok(labels) => labels,
        Err(err) => {
            tracing::warn!("failures are not classified: {err:#}");
            vec![Label::unclassified(); failed.len()]
        }
    };
    group(failed, labels, changes)
}

/// Root causes without a classifier (`--no-classify`): `unclassified`.
pub fn unclassified<'a>(merged: &'a Merged, changes: Option<&Changes>) -> Groups<'a> {
    let failed = failed(merged);
    let labels = vec![Label::unclassified(); failed.len()];
    group(failed, labels, changes)
}

/// Groups `tests` (with their labels, same order) by fingerprint and ranks
/// the groups.
pub fn group<'a>(
    tests: Vec<&'a TestResult>,
    labels: Vec<Label>,
    changes: Option<&Changes>,
) -> Groups<'a> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let prints = fingerprint_each(&tests, |test| fingerprint_of(test));
    for ((test, label), print) in tests.into_iter().zip(labels).zip(prints) {
        match index.get(&print.id) {
            Some(&i) => groups[i].tests.push(test),
            None => {
                index.insert(print.id.clone(), groups.len());
                groups.push(Group {
                    fingerprint: print,
                    category: label.category,
                    specialty: label.specialty,
                    language: label.language,
                    classification: label.classification,
                    tests: vec![test],
                    priority: 0,
                    why: Vec::new(),
                    touched: false,
                });
            }
        }
    }
    if let Some(changes) = changes {
        for group in &mut groups {
            group.touched = touched(group, changes);
        }
    }
    let facts: Vec<Facts<'_>> = groups.iter().map(facts).collect();
    let ranks = priority::ranks(&facts);
    let why: Vec<Vec<String>> = facts.iter().map(priority::reasons).collect();
    for ((group, rank), why) in groups.iter_mut().zip(ranks).zip(why) {
        group.priority = rank;
        group.why = why;
    }
    groups.sort_by_key(|g| g.priority);
    Groups(groups)
}

fn facts<'g>(group: &'g Group<'_>) -> Facts<'g> {
    Facts {
        fingerprint: &group.fingerprint.id,
        category: &group.category,
        reach: group.tests.len(),
        touched: group.touched,
    }
}

/// Whether the change touched a failing test's file or a file of the stacks.
fn touched(group: &Group<'_>, changes: &Changes) -> bool {
    group
        .tests
        .iter()
        .filter_map(|t| t.key.file.as_deref())
        .chain(group.fingerprint.files.iter().map(String::as_str))
        .any(|file| changes.touches(file))
}

/// A test's fingerprint, from its failure's message and details.
pub fn fingerprint_of(test: &TestResult) -> Fingerprint {
    let (message, details) = texts(test);
    fingerprint(message, details, &render::display_name(test))
}

fn texts(test: &TestResult) -> (&str, &str) {
    let failure = test.failure.as_ref();
    (
        failure.and_then(|f| f.message.as_deref()).unwrap_or(""),
        failure.and_then(|f| f.details.as_deref()).unwrap_or(""),
    )
}

/// The first non-blank line of a test's message (or details).
pub fn first_line(test: &TestResult) -> &str {
    test.failure
        .as_ref()
        .and_then(|f| f.message.as_deref().or(f.details.as_deref()))
        .and_then(|m| m.lines().find(|l| !l.trim().is_empty()))
        .map(str::trim)
        .unwrap_or("(no message)")
}

/// A failed test as the classifier and router see it; `id` is its index.
pub fn to_failure(id: usize, test: &TestResult) -> types::Failure {
    let (message, details) = texts(test);
    types::Failure {
        id: id.to_string(),
        test_name: render::display_name(test),
        file: test.key.file.clone(),
        message: message.to_owned(),
        details: details.to_owned(),
    }
}

/// Each test's labels, from the classifier.
fn label(
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
    tests: &[&TestResult],
) -> anyhow::Result<Vec<Label>> {
    let classifier = classifier()?;
    let failures: Vec<types::Failure> = tests
        .iter()
        .enumerate()
        .map(|(i, t)| to_failure(i, t))
        .collect();
    Ok(classify_all(&classifier, &failures)?
        .into_iter()
        .map(|c| Label {
            category: category_name(c.category).to_string(),
            specialty: specialty_name(c.specialty).to_string(),
            language: language_name(c.language).to_string(),
            classification: Some(c),
        })
        .collect())
}

#[cfg(test)]
#[path = "group_tests.rs"]
mod tests;
