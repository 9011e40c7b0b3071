//! Failed tests grouped for the report: by the classifier's category, or
//! all in one group. Loading the classifier is the caller's (it knows the
//! configuration); a classifier that cannot load or answer leaves the
//! failures `unclassified`, and the report still comes out.

use crate::host::{Plugin, types};
use crate::suite::fold::{FinalOutcome, TestResult};
use crate::suite::merge::Merged;
use crate::suite::render::{self, Groups};
use crate::triage::classify::{category_name, classify_all};

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
    let failed = failed(merged);
    if failed.is_empty() {
        return Groups(Vec::new());
    }
    let labels = match classify(classifier, &failed) {
        Ok(labels) => labels,
        Err(err) => {
            tracing::warn!("failures are not grouped by category: {err:#}");
            vec!["unclassified".to_string(); failed.len()]
        }
    };
    group(failed.into_iter().zip(labels))
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

fn classify(
    classifier: impl FnOnce() -> anyhow::Result<Plugin>,
    tests: &[&TestResult],
) -> anyhow::Result<Vec<String>> {
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
        .map(|c| category_name(c.category).to_string())
        .collect())
}
