//! Classify failures with the classifier plugin, then route each with the
//! router plugin.

use std::collections::HashMap;

use serde::Serialize;

use crate::host::{CallError, Plugin, types};

/// Failures per classifier call: one boundary crossing per batch, while the
/// batch stays well inside the plugin's time and output limits.
pub const BATCH: usize = 1000;

#[derive(Debug, Serialize)]
pub struct Triaged {
    pub id: String,
    pub test_name: String,
    pub category: &'static str,
    pub language: &'static str,
    pub specialty: &'static str,
    pub confidence: f32,
    pub evidence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteSummary>,
}

#[derive(Debug, Serialize)]
pub struct RouteSummary {
    pub model: String,
    pub fallbacks: Vec<String>,
    pub max_tokens: u32,
}

pub fn classify_all(
    classifier: &Plugin,
    failures: &[types::Failure],
) -> Result<Vec<types::Classification>, CallError> {
    let mut out = Vec::with_capacity(failures.len());
    for batch in failures.chunks(BATCH) {
        let answers = classifier.classify(batch)?;
        check_answers(classifier, batch, &answers)?;
        out.extend(answers);
    }
    Ok(out)
}

/// Answers are matched to failures by position, so each must echo its
/// failure's id (a reordered batch would label every failure wrongly), and
/// a confidence is a number from 0 to 1 (NaN would print as `null`).
fn check_answers(
    classifier: &Plugin,
    batch: &[types::Failure],
    answers: &[types::Classification],
) -> Result<(), CallError> {
    use crate::escape::bounded_line;
    for (failure, answer) in batch.iter().zip(answers) {
        if answer.id != failure.id {
            return Err(classifier.contract(
                "classify",
                format!(
                    "answered id `{}` where failure `{}` was asked (answers must follow the batch's order)",
                    bounded_line(&answer.id, 64),
                    bounded_line(&failure.id, 64)
                ),
            ));
        }
        if !(0.0..=1.0).contains(&answer.confidence) {
            return Err(classifier.contract(
                "classify",
                format!(
                    "returned a confidence of {} for failure `{}` (it must be from 0 to 1)",
                    answer.confidence,
                    bounded_line(&failure.id, 64)
                ),
            ));
        }
    }
    Ok(())
}

/// Classifies, then routes each failure (when a router is given). The group
/// size a router sees is the number of failures with the same category and
/// message: a stand-in for fingerprints until triage grows them.
pub fn triage(
    classifier: &Plugin,
    router: Option<&Plugin>,
    failures: &[types::Failure],
) -> Result<Vec<Triaged>, CallError> {
    let classifications = classify_all(classifier, failures)?;
    let mut groups: HashMap<(&str, &str), u32> = HashMap::new();
    for (failure, class) in failures.iter().zip(&classifications) {
        *groups
            .entry((category_name(class.category), failure.message.as_str()))
            .or_default() += 1;
    }
    let mut out = Vec::with_capacity(failures.len());
    for (failure, class) in failures.iter().zip(classifications) {
        let route = match router {
            None => None,
            Some(router) => {
                let request = types::RouteRequest {
                    failure: failure.clone(),
                    group_size: groups[&(category_name(class.category), failure.message.as_str())],
                    classification: class.clone(),
                };
                let route = router.route(&request)?;
                Some(RouteSummary {
                    model: route.model,
                    fallbacks: route.fallbacks,
                    max_tokens: route.max_tokens,
                })
            }
        };
        out.push(Triaged {
            id: failure.id.clone(),
            test_name: failure.test_name.clone(),
            category: category_name(class.category),
            language: language_name(class.language),
            specialty: specialty_name(class.specialty),
            confidence: class.confidence,
            evidence: class.evidence,
            route,
        });
    }
    Ok(out)
}

pub fn category_name(category: types::Category) -> &'static str {
    use types::Category as C;
    match category {
        C::Compile => "compile",
        C::Assertion => "assertion",
        C::Snapshot => "snapshot",
        C::Timeout => "timeout",
        C::Selector => "selector",
        C::Runtime => "runtime",
        C::Dependency => "dependency",
        C::Network => "network",
        C::Resource => "resource",
        C::Lint => "lint",
        C::Config => "config",
        C::Unknown => "unknown",
    }
}

pub fn language_name(language: types::Language) -> &'static str {
    use types::Language as L;
    match language {
        L::Typescript => "typescript",
        L::Javascript => "javascript",
        L::Python => "python",
        L::Rust => "rust",
        L::Go => "go",
        L::Java => "java",
        L::Other => "other",
    }
}

pub fn specialty_name(specialty: types::Specialty) -> &'static str {
    use types::Specialty as S;
    match specialty {
        S::Typescript => "typescript",
        S::React => "react",
        S::Test => "test",
        S::General => "general",
    }
}
