//! Failed tests grouped for the report: by the classifier's category, or
//! all in one group. Loading the classifier is the caller's (it knows the
//! configuration); a classifier that cannot load or answer leaves the
//! failures `unclassified`, and the report still comes out.

use crate::host::{Plugin, types};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::merge::Merged;
use crate::suite::render::{self, Groups};
use crate::triage::classify::{category_name, classify_all, specialty_name};

fn failed(merged: &Merged) -> Vec<&TestResult> {
    merged
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Failed)
        .collect()
}

/// Failures grouped by the classifier's category. Without a working
/// classifier the report still comes out, grouped as `unclassified`.
pub fn by_category<'a>(
    merged: &'a Merged,
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
) -> Groups<'a> {
    with_specialties(merged, classifier).0
}

/// Failures grouped by category, with each group's specialty (the one most
/// of its failures have, "" when none), in the groups' order.
pub fn with_specialties<'a>(
    merged: &'a Merged,
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
) -> (Groups<'a>, Vec<String>) {
    let failed = failed(merged);
    if failed.is_empty() {
        return (Groups(Vec::new()), Vec::new());
    }
    let labels = match classify(classifier, &failed) {
        Ok(labels) => labels,
        Err(err) => {
            tracing::warn!("failures are not grouped by category: {err:#}");
            vec![("unclassified".to_string(), String::new()); failed.len()]
        }
    };
    let groups = group(
        failed
            .into_iter()
            .zip(labels.iter().map(|(category, _)| category.clone())),
    );
    let specialties = groups
        .0
        .iter()
        .map(|(category, _)| most_common(&labels, category))
        .collect();
    (groups, specialties)
}

/// The specialty most failures of `category` have ("" when unknown).
fn most_common(labels: &[(String, String)], category: &str) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, specialty) in labels.iter().filter(|(c, _)| c == category) {
        match counts.iter_mut().find(|(s, _)| s == specialty) {
            Some((_, n)) => *n += 1,
            None => counts.push((specialty, 1)),
        }
    }
    counts
        .into_iter()
        .filter(|(s, _)| !s.is_empty())
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| s.to_owned())
        .unwrap_or_default()
}

/// Failures in one group, `failed` (`--no-classify`).
pub fn by_message(merged: &Merged) -> Groups<'_> {
    group(
        failed(merged)
            .into_iter()
            .map(|t| (t, "failed".to_string())),
    )
}

fn group<'a>(pairs: impl IntoIterator<Item = (&'a TestResult, String)>) -> Groups<'a> {
    let mut groups: Vec<(String, Vec<&TestResult>)> = Vec::new();
    for (test, label) in pairs {
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, tests)) => tests.push(test),
            None => groups.push((label, vec![test])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    Groups(groups)
}

/// (category, specialty) of each failure.
fn classify(
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
    tests: &[&TestResult],
) -> anyhow::Result<Vec<(String, String)>> {
    let classifier = classifier()?;
    let failures: Vec<types::Failure> = tests
        .iter()
        .enumerate()
        .map(|(i, t)| types::Failure {
            id: i.to_string(),
            test_name: render::display_name(t),
            file: t.key.file.clone(),
            message: t
                .failure
                .as_ref()
                .and_then(|f| f.message.clone())
                .unwrap_or_default(),
            details: t
                .failure
                .as_ref()
                .and_then(|f| f.details.clone())
                .unwrap_or_default(),
        })
        .collect();
    Ok(classify_all(&classifier, &failures)?
        .into_iter()
        .map(|c| {
            (
                category_name(c.category).to_string(),
                specialty_name(c.specialty).to_string(),
            )
        })
        .collect())
}
