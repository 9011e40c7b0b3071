//! Classify failures with the classifier plugin, fingerprint and rank them
//! (see [`crate::triage::priority`]), then route each with the router plugin.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::host::{CallError, Plugin, types};
use crate::triage::fingerprint::{Fingerprint, fingerprint};
use crate::triage::parallel;
use crate::triage::priority::{self, Facts};

/// Failures per classifier call: one boundary crossing per batch, while the
/// batch stays well inside the plugin's time and output limits.
pub const BATCH: usize = 1000;

/// Bytes of failure text per classifier call, at most (a batch holds fewer
/// than [`BATCH`] failures when their text is long). Every string of a
/// batch is copied into the plugin's memory (64 MiB by default) and lifted
/// into the plugin's own strings there: 1,000 failures with 140 KB of
/// output each ran out of it, and classification failed for the whole run.
pub const BATCH_BYTES: usize = 8 << 20;

/// What the classifier is shown of a long message, details or test name:
/// its first [`FIELD_HEAD`] and last [`FIELD_TAIL`] bytes, with a line
/// saying how much was left out between them. What decides a category is
/// near an error's start (the error line) or its end (a summary, a kill):
/// a megabyte of log in between adds nothing but the copy. Fingerprints
/// are still made from the whole text, on the host.
pub const FIELD_HEAD: usize = 96 << 10;
pub const FIELD_TAIL: usize = 32 << 10;

#[derive(Debug, Serialize)]
pub struct Triaged {
    pub id: String,
    pub test_name: String,
    pub category: &'static str,
    pub language: &'static str,
    pub specialty: &'static str,
    pub confidence: f32,
    pub evidence: String,
    /// The root cause's fingerprint: failures with one fingerprint are one group.
    pub fingerprint: String,
    /// The rank of the failure's group among this input's groups (1 = first).
    pub priority: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteSummary>,
}

#[derive(Debug, Serialize)]
pub struct RouteSummary {
    pub model: String,
    pub fallbacks: Vec<String>,
    pub max_tokens: u32,
}

/// The classifier's answers for `failures`, in their order, asked in
/// batches of [`BATCH`]; the batches are spread over the cores (each call
/// runs in its own instance). On an error, the first failing batch's error,
/// as one batch after another would have found it: batches after a failed
/// one are not asked, batches before it are.
pub fn classify_all(
    classifier: &Plugin,
    failures: &[types::Failure],
) -> Result<Vec<types::Classification>, CallError> {
    let mut out = Vec::with_capacity(failures.len());
    for (answers, ()) in classify_batches(classifier, failures, |_| ())? {
        out.extend(answers);
    }
    Ok(out)
}

/// [`classify_all`] and the failures' fingerprints (as
/// [`fingerprints`](crate::triage::fingerprint::fingerprints) gives them) in one pass over the
/// cores: each batch is fingerprinted on the core that classified it, right
/// after the classifier answered, while its text is still in that core's
/// cache, and the cores are shared out once rather than twice.
pub fn classify_and_fingerprint(
    classifier: &Plugin,
    failures: &[types::Failure],
) -> Result<(Vec<types::Classification>, Vec<Fingerprint>), CallError> {
    let batches = classify_batches(classifier, failures, |batch| {
        batch
            .iter()
            .map(|f| fingerprint(&f.message, &f.details, &f.test_name))
            .collect::<Vec<_>>()
    })?;
    let mut answers = Vec::with_capacity(failures.len());
    let mut prints = Vec::with_capacity(failures.len());
    for (batch_answers, batch_prints) in batches {
        answers.extend(batch_answers);
        prints.extend(batch_prints);
    }
    Ok((answers, prints))
}

/// Each batch's answers and `also(batch)`, computed after the answers on
/// the same core (not for a batch the classifier failed), with
/// [`classify_all`]'s order and errors.
fn classify_batches<R: Send>(
    classifier: &Plugin,
    failures: &[types::Failure],
    also: impl Fn(&[types::Failure]) -> R + Sync,
) -> Result<Vec<(Vec<types::Classification>, R)>, CallError> {
    let first_failed = AtomicUsize::new(usize::MAX);
    let pieces = batches(failures);
    let answers = parallel::map_bounded(&pieces, parallel::cores(), |i, batch| {
        let batch: &[types::Failure] = batch;
        if i > first_failed.load(Ordering::Relaxed) {
            return None;
        }
        let shown = shown(batch);
        let answers = classifier
            .classify(&shown)
            .and_then(|answers| check_answers(classifier, batch, &answers).map(|()| answers));
        if answers.is_err() {
            first_failed.fetch_min(i, Ordering::Relaxed);
        }
        Some(answers.map(|answers| (answers, also(batch))))
    });
    // A batch is skipped only after a failed one, which comes first here.
    answers.into_iter().flatten().collect()
}

/// `failures` cut into batches of at most [`BATCH`] failures and
/// [`BATCH_BYTES`] bytes of what the classifier is shown, in order; a batch
/// always holds at least one failure.
fn batches(failures: &[types::Failure]) -> Vec<&[types::Failure]> {
    let mut out = Vec::with_capacity(failures.len() / BATCH + 1);
    let (mut start, mut bytes) = (0, 0);
    for (i, failure) in failures.iter().enumerate() {
        let size = shown_len(failure);
        if i > start && (i - start == BATCH || bytes + size > BATCH_BYTES) {
            out.push(&failures[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < failures.len() {
        out.push(&failures[start..]);
    }
    out
}

/// Bytes of a failure the classifier is shown (see [`FIELD_HEAD`]).
fn shown_len(failure: &types::Failure) -> usize {
    let field = |text: &str| text.len().min(FIELD_HEAD + FIELD_TAIL + 64);
    failure.id.len()
        + failure.file.as_deref().map_or(0, str::len)
        + field(&failure.test_name)
        + field(&failure.message)
        + field(&failure.details)
}

/// The batch as the classifier is shown it: borrowed when no field is
/// longer than [`FIELD_HEAD`] + [`FIELD_TAIL`], else with those fields cut.
fn shown(batch: &[types::Failure]) -> Cow<'_, [types::Failure]> {
    if !batch
        .iter()
        .any(|f| is_long(&f.message) || is_long(&f.details) || is_long(&f.test_name))
    {
        return Cow::Borrowed(batch);
    }
    Cow::Owned(
        batch
            .iter()
            .map(|f| types::Failure {
                id: f.id.clone(),
                test_name: head_and_tail(&f.test_name),
                file: f.file.clone(),
                message: head_and_tail(&f.message),
                details: head_and_tail(&f.details),
            })
            .collect(),
    )
}

/// Whether the classifier is shown only the head and tail of `text`.
fn is_long(text: &str) -> bool {
    text.len() > FIELD_HEAD + FIELD_TAIL
}

/// `text`, or its first [`FIELD_HEAD`] and last [`FIELD_TAIL`] bytes (at
/// character boundaries) around a line that says how much is left out.
fn head_and_tail(text: &str) -> String {
    if !is_long(text) {
        return text.to_owned();
    }
    let head = text.floor_char_boundary(FIELD_HEAD);
    let tail = text.ceil_char_boundary(text.len() - FIELD_TAIL);
    format!(
        "{}\n[pitcrew: {} bytes left out]\n{}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
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

/// Classifies, fingerprints and ranks, then routes each failure (when a
/// router is given). The group size a router sees is the number of failures
/// with the same fingerprint.
pub fn triage(
    classifier: &Plugin,
    router: Option<&Plugin>,
    failures: &[types::Failure],
) -> Result<Vec<Triaged>, CallError> {
    let (classifications, prints) = classify_and_fingerprint(classifier, failures)?;
    let prints: Vec<String> = prints.into_iter().map(|print| print.id).collect();
    // Each fingerprint's size and category (its first failure's).
    let mut groups: HashMap<&str, (u32, &'static str)> = HashMap::new();
    for (print, class) in prints.iter().zip(&classifications) {
        groups
            .entry(print.as_str())
            .or_insert((0, category_name(class.category)))
            .0 += 1;
    }
    let keys: Vec<&str> = groups.keys().copied().collect();
    let facts: Vec<Facts<'_>> = keys
        .iter()
        .map(|key| Facts {
            fingerprint: key,
            category: groups[key].1,
            reach: groups[key].0 as usize,
            touched: false,
        })
        .collect();
    let ranks: HashMap<&str, usize> = keys.iter().copied().zip(priority::ranks(&facts)).collect();
    let mut out = Vec::with_capacity(failures.len());
    for ((failure, class), print) in failures.iter().zip(classifications).zip(&prints) {
        let route = match router {
            None => None,
            Some(router) => {
                let request = types::RouteRequest {
                    failure: failure.clone(),
                    group_size: groups[print.as_str()].0,
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
            fingerprint: print.clone(),
            priority: ranks[print.as_str()],
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::host::{CacheSetting, Limits, PluginSpec, Runtime, Source, World};

    fn fixture(runtime: &Runtime, path: &str) -> Plugin {
        let spec = PluginSpec {
            source: Source::File(PathBuf::from(path)),
            sha256: None,
            limits: Limits::default(),
            config: None,
        };
        Plugin::load(runtime, &spec, "classifier", Some(World::Classifier)).expect("loads")
    }

    fn builtin(runtime: &Runtime) -> Plugin {
        Plugin::load(
            runtime,
            &PluginSpec::builtin("classifier-default"),
            "classifier",
            Some(World::Classifier),
        )
        .expect("loads")
    }

    /// `n` failures; the rude classifier misbehaves in a batch whose first
    /// message names a mode (`modes`: batch index, mode).
    fn failures(n: usize, modes: &[(usize, &str)]) -> Vec<types::Failure> {
        (0..n)
            .map(|i| {
                let mode = modes.iter().find(|(batch, _)| i == batch * BATCH);
                types::Failure {
                    id: format!("f{i}"),
                    test_name: format!("t{i}"),
                    file: None,
                    message: mode.map_or("x", |(_, mode)| mode).to_string(),
                    details: String::new(),
                }
            })
            .collect()
    }

    #[test]
    fn many_batches_on_many_cores_answer_in_the_failures_order() {
        let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
        let echo = fixture(&runtime, pitcrew_fixtures::ECHO_CLASSIFIER);
        let asked = failures(7 * BATCH + 123, &[]);
        let answers = classify_all(&echo, &asked).unwrap();
        let ids: Vec<&str> = answers.iter().map(|a| a.id.as_str()).collect();
        let want: Vec<&str> = asked.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, want);
    }

    /// One pass gives what the two passes give, in the failures' order, and
    /// the same first error.
    #[test]
    fn classifying_and_fingerprinting_at_once_is_both_apart() {
        let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
        let classifier = builtin(&runtime);
        let texts = [
            "error TS2322: Type 'string' is not assignable to type 'number'.",
            "AssertionError: assert 3 == 4",
            "Error: connect ECONNREFUSED 127.0.0.1:5432",
        ];
        let asked: Vec<types::Failure> = (0..3 * BATCH + 17)
            .map(|i| types::Failure {
                id: format!("f{i}"),
                test_name: format!("t{}", i % 5),
                file: Some(["a.ts", "test_b.py", "c.js"][i % 3].to_string()),
                message: format!("{} (#{})", texts[i % 3], i % 7),
                details: format!("    at run (/tmp/w{i}/src/app.js:{}:3)", i % 11),
            })
            .collect();
        let (answers, prints) = classify_and_fingerprint(&classifier, &asked).unwrap();
        assert_eq!(answers, classify_all(&classifier, &asked).unwrap());
        assert_eq!(prints, crate::triage::fingerprint::fingerprints(&asked));
        assert_eq!(answers.len(), asked.len());
        assert_eq!(category_name(answers[1].category), "assertion");

        let rude = fixture(&runtime, pitcrew_fixtures::RUDE_CLASSIFIER);
        let asked = failures(6 * BATCH, &[(2, "wrong-id"), (3, "fewer")]);
        let err = classify_and_fingerprint(&rude, &asked)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("answered id `not-a-failure` where failure `f2000` was asked"),
            "{err}"
        );
    }

    fn sized(i: usize, bytes: usize) -> types::Failure {
        types::Failure {
            id: format!("f{i}"),
            test_name: format!("t{i}"),
            file: None,
            message: "x".repeat(bytes),
            details: String::new(),
        }
    }

    #[test]
    fn batches_hold_at_most_a_batch_of_failures_and_of_bytes_in_order() {
        assert!(batches(&[]).is_empty());
        let small: Vec<_> = (0..2 * BATCH + 5).map(|i| sized(i, 10)).collect();
        let lens: Vec<usize> = batches(&small).iter().map(|b| b.len()).collect();
        assert_eq!(lens, [BATCH, BATCH, 5]);
        // 1 MiB each, of which 128 KiB are shown: 63 of them fill 8 MiB.
        let big: Vec<_> = (0..100).map(|i| sized(i, 1 << 20)).collect();
        let pieces = batches(&big);
        assert_eq!(pieces.iter().map(|b| b.len()).collect::<Vec<_>>(), [63, 37]);
        let ids: Vec<&str> = pieces
            .iter()
            .flat_map(|b| b.iter().map(|f| f.id.as_str()))
            .collect();
        let want: Vec<String> = (0..100).map(|i| format!("f{i}")).collect();
        assert_eq!(ids, want);
        for piece in &pieces {
            assert!(piece.iter().map(shown_len).sum::<usize>() <= BATCH_BYTES);
        }
        // One failure larger than a batch's bytes is a batch of its own.
        let one = vec![types::Failure {
            file: Some("a".repeat(BATCH_BYTES + 1)),
            ..sized(0, 1)
        }];
        assert_eq!(batches(&one).len(), 1);
    }

    #[test]
    fn a_long_field_is_shown_by_its_head_and_tail_at_character_boundaries() {
        assert_eq!(head_and_tail("short"), "short");
        let text = format!(
            "{}{}{}",
            "é".repeat(FIELD_HEAD),
            "middle",
            "ü".repeat(FIELD_TAIL)
        );
        let shown = head_and_tail(&text);
        assert!(shown.len() < FIELD_HEAD + FIELD_TAIL + 64);
        assert!(shown.starts_with('é') && shown.ends_with('ü'));
        assert!(!shown.contains("middle"));
        let left_out: usize = shown
            .split("[pitcrew: ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert_eq!(
            shown.len() - left_out.to_string().len(),
            text.len() - left_out + "\n[pitcrew:  bytes left out]\n".len()
        );
    }

    /// 120 failures of 600 KB each (72 MB, more than the plugin's 64 MiB):
    /// every one is answered, in order, and what decides is still seen at
    /// either end of a long text.
    #[test]
    fn failures_with_long_output_are_all_classified() {
        let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
        let classifier = builtin(&runtime);
        let noise = "INFO worker 3 finished step 12 in 4 ms\n".repeat(300_000 / 40);
        let asked: Vec<types::Failure> = (0..120)
            .map(|i| types::Failure {
                id: format!("f{i}"),
                test_name: format!("t{i}"),
                file: None,
                message: if i % 2 == 0 {
                    format!("error TS2322: Type 'string' is not assignable to type 'number'.\n{noise}")
                } else {
                    noise.clone()
                },
                details: if i % 2 == 0 {
                    noise.clone()
                } else {
                    format!("{noise}\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")
                },
            })
            .collect();
        let bytes: usize = asked
            .iter()
            .map(|f| f.message.len() + f.details.len())
            .sum();
        assert!(bytes > 64 << 20, "{bytes}");
        let answers = classify_all(&classifier, &asked).expect("every batch fits the plugin");
        assert_eq!(answers.len(), 120);
        for (i, answer) in answers.iter().enumerate() {
            assert_eq!(answer.id, format!("f{i}"));
            let want = if i % 2 == 0 { "compile" } else { "resource" };
            assert_eq!(category_name(answer.category), want, "f{i}");
        }
    }

    /// As one batch after another would: the first failing batch's error,
    /// whichever core found which failure first.
    #[test]
    fn the_first_failing_batch_is_the_error() {
        let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
        let rude = fixture(&runtime, pitcrew_fixtures::RUDE_CLASSIFIER);
        let asked = failures(6 * BATCH, &[(2, "wrong-id"), (3, "fewer"), (5, "nan")]);
        for _ in 0..5 {
            let err = classify_all(&rude, &asked).unwrap_err().to_string();
            assert!(
                err.contains("answered id `not-a-failure` where failure `f2000` was asked"),
                "{err}"
            );
        }
        let asked = failures(4 * BATCH, &[(3, "fewer")]);
        let err = classify_all(&rude, &asked).unwrap_err().to_string();
        assert!(
            err.contains("returned 999 classifications for 1000 failures"),
            "{err}"
        );
    }
}
