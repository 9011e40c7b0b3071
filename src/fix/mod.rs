//! Fix suggestions that the tests verify.
//!
//! For one group of failures ([`FixRequest`]), [`suggest_fixes`]:
//! 1. asks the models for N candidate answers in parallel ([`prompt`]: the
//!    redacted failure, the bounded source, SEARCH/REPLACE only);
//! 2. parses each answer into [`Edit`]s ([`parse`]);
//! 3. merges identical candidates and counts their votes ([`consensus`]);
//! 4. rejects, before anything runs, edits outside the repository, to
//!    unrelated files, or weakening a test ([`reject`]), and edits whose
//!    SEARCH does not match exactly one place ([`apply`]);
//! 5. verifies the rest in order of votes in a copy of the tree
//!    ([`sandbox`], [`verify`]); a failed candidate's new failure goes back
//!    to its model while iterations remain.
//!
//! The user's tree is only ever changed by [`land::apply_verified`] (the
//! CLI's `--apply`), and only with a verified suggestion whose files are
//! still what was tested.
//!
//! Selector healing ([`heal`]) proposes model-free edits for Playwright
//! locators that no longer resolve.

pub mod apply;
pub mod budget;
pub mod consensus;
pub mod edit;
pub mod heal;
pub mod land;
pub mod parse;
pub mod private;
pub mod prompt;
pub mod reject;
pub mod request;
pub mod sandbox;
pub mod verify;

use std::time::Instant;

use serde::Serialize;

pub use edit::Edit;
pub use land::{LandError, apply_verified};
pub use request::{
    FailingTest, FixOptions, FixRequest, recorded_command, stack_files, test_file_of,
};
pub use verify::Tested;

use self::consensus::{Candidate, Voted};
use self::reject::{Rejection, Scope};
use self::verify::{Verdict, Verifier};
use crate::triage::model::{ChatRequest, Message, ModelClient, ModelRef};

/// What became of a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The failing tests pass with it and no passing test fails.
    Verified,
    /// With it applied, a test fails (`reason` has the first line).
    Failed,
    /// Refused before anything ran (`reason` says why).
    Rejected,
    /// Verification could not run or finish (`reason` says why).
    Unverified,
}

/// One suggestion for a group, as the report shows it:
/// `{"status", "reason", "votes", "model", "edits": [{"file", "search", "replace"}]}`.
#[derive(Clone, Debug, Serialize)]
pub struct Suggestion {
    pub status: Status,
    pub reason: String,
    /// How many candidates proposed these edits.
    pub votes: u32,
    /// The models that proposed them (comma-separated).
    pub model: String,
    pub edits: Vec<Edit>,
    /// The files as they were tested, for `--apply`'s check.
    #[serde(skip)]
    pub tested: Vec<Tested>,
}

impl Suggestion {
    fn new(status: Status, reason: impl Into<String>, voted: &Voted) -> Self {
        Self {
            status,
            reason: reason.into(),
            votes: voted.votes,
            model: voted.models.join(", "),
            edits: voted.edits.clone(),
            tested: Vec::new(),
        }
    }

    fn without_edits(status: Status, reason: impl Into<String>, model: &str) -> Self {
        Self {
            status,
            reason: reason.into(),
            votes: 0,
            model: model.to_string(),
            edits: Vec::new(),
            tested: Vec::new(),
        }
    }
}

/// A candidate answer, with what is needed to ask its model again.
struct Answer {
    text: String,
    served_by: ModelRef,
}

/// Candidate fixes for one group, each with its status; verified ones
/// first, then by votes. Never touches `request.root`.
pub fn suggest_fixes(
    client: &ModelClient,
    models: &[ModelRef],
    request: &FixRequest,
    options: &FixOptions,
) -> Vec<Suggestion> {
    suggest_and_verify(Some(client), models, request, options, Vec::new())
}

/// A model-free candidate (selector healing's): its edits and who
/// proposed them.
#[derive(Clone, Debug)]
pub struct Seeded {
    pub edits: Vec<Edit>,
    pub proposer: String,
}

/// [`suggest_fixes`] with model-free candidates (`seeded`) judged alongside
/// the models' answers, under the same rejection rules and verification.
/// Without a client no model is asked and only `seeded` is judged.
pub fn suggest_and_verify(
    client: Option<&ModelClient>,
    models: &[ModelRef],
    request: &FixRequest,
    options: &FixOptions,
    seeded: Vec<Seeded>,
) -> Vec<Suggestion> {
    let deadline = Instant::now() + options.time_limit;
    let first = prompt::messages(request, options);
    let asks: Vec<ChatRequest> = match client {
        Some(_) if !models.is_empty() => (0..options.candidates.max(1))
            .map(|_| chat(models.to_vec(), first.clone(), options, deadline))
            .collect(),
        _ => Vec::new(),
    };
    let mut suggestions = Vec::new();
    let mut candidates: Vec<Candidate> = seeded
        .into_iter()
        .map(|s| Candidate {
            edits: s.edits,
            model: s.proposer,
        })
        .collect();
    let mut answers: Vec<(consensus::Key, Answer)> = Vec::new();
    let completions = match client {
        Some(client) if !asks.is_empty() => client.complete_all(asks),
        _ => Vec::new(),
    };
    for result in completions {
        match result {
            Ok(completion) => {
                for text in completion.texts {
                    let model = completion.served_by.model.clone();
                    match edits_of(&text) {
                        Ok(edits) => {
                            answers.push((
                                consensus::key(&edits),
                                Answer {
                                    text,
                                    served_by: completion.served_by.clone(),
                                },
                            ));
                            candidates.push(Candidate { edits, model });
                        }
                        Err(why) => suggestions.push(Suggestion::without_edits(
                            Status::Rejected,
                            why.to_string(),
                            &model,
                        )),
                    }
                }
            }
            Err(error) => suggestions.push(Suggestion::without_edits(
                Status::Unverified,
                format!("no answer: {error}"),
                "",
            )),
        }
    }
    let voted = consensus::merge(candidates);
    let scope = match Scope::new(&request.root, request.allowed_files(), request.test_files()) {
        Ok(scope) => scope,
        Err(e) => {
            let why = format!("the repository root cannot be resolved: {e}");
            suggestions.extend(
                voted
                    .iter()
                    .map(|v| Suggestion::new(Status::Unverified, &why, v)),
            );
            return ordered(suggestions, options);
        }
    };
    // Checked before anything runs; only what passes needs a sandbox.
    let mut to_verify = Vec::new();
    for mut voted in voted {
        match scope
            .check(&voted.edits)
            .and_then(|edits| applies(&request.root, &edits).map(|_| edits))
        {
            Ok(edits) => {
                voted.edits = edits;
                to_verify.push(voted);
            }
            Err(rejection) => suggestions.push(rejected(&voted, rejection)),
        }
    }
    if to_verify.is_empty() {
        return ordered(suggestions, options);
    }
    let mut verifier = match Verifier::new(request, options, deadline) {
        Ok(verifier) => verifier,
        Err(why) => {
            suggestions.extend(
                to_verify
                    .iter()
                    .map(|v| Suggestion::new(Status::Unverified, &why, v)),
            );
            return ordered(suggestions, options);
        }
    };
    let mut seen: Vec<_> = answers.iter().map(|(key, _)| key.clone()).collect();
    for voted in to_verify {
        let mut suggestion = judge(&mut verifier, &voted);
        let mut current = voted;
        let mut round = 1;
        while suggestion.status == Status::Failed && round < options.iterations {
            round += 1;
            let key = consensus::key(&current.edits);
            let Some((_, answer)) = answers.iter().find(|(k, _)| *k == key) else {
                break;
            };
            // Only a model's answer has a model to ask again.
            let Some(client) = client else { break };
            let failure = suggestion.reason.clone();
            suggestions.push(suggestion);
            let next = ask_again(client, models, &first, answer, &failure, options, deadline);
            let (text, served_by, edits) = match next {
                Ok(next) => next,
                Err(why) => {
                    suggestion = Suggestion::without_edits(Status::Unverified, why, "");
                    break;
                }
            };
            let retry = Voted {
                edits,
                votes: 1,
                models: vec![served_by.model.clone()],
            };
            let retry_key = consensus::key(&retry.edits);
            if seen.contains(&retry_key) {
                // The same edits again: already judged, and not a new vote.
                suggestion = Suggestion::new(
                    Status::Rejected,
                    format!("try {round} repeated a candidate already judged"),
                    &retry,
                );
                break;
            }
            seen.push(retry_key.clone());
            answers.push((retry_key, Answer { text, served_by }));
            suggestion = match scope.check(&retry.edits) {
                Ok(edits) => {
                    let checked = Voted { edits, ..retry };
                    let mut judged = judge(&mut verifier, &checked);
                    judged.reason = format!("try {round} (after: {failure}): {}", judged.reason);
                    current = checked;
                    judged
                }
                Err(rejection) => rejected(&retry, rejection),
            };
        }
        suggestions.push(suggestion);
    }
    tracing::info!(runs = verifier.runs(), "fix candidates verified");
    ordered(suggestions, options)
}

/// A request that waits for no model past the fix's time limit.
fn chat(
    models: Vec<ModelRef>,
    messages: Vec<Message>,
    options: &FixOptions,
    deadline: Instant,
) -> ChatRequest {
    let mut request = ChatRequest::new(models, messages);
    request.deadline = Some(deadline);
    request.temperature = options.temperature;
    request.max_tokens = options.max_tokens;
    request.share = options.share.clone();
    request
}

/// The edits of an answer, or why it has none worth checking.
fn edits_of(text: &str) -> Result<Vec<Edit>, Rejection> {
    let parsed = parse::parse(text);
    if parsed.edits.is_empty() {
        let why = if parsed.problems.is_empty() {
            String::new()
        } else {
            format!(": {}", parsed.problems.join("; "))
        };
        return Err(Rejection::NoEdits(why));
    }
    Ok(parsed.edits)
}

/// Asks the model that served `answer` (the others after it) again, with
/// the failure its edit caused.
fn ask_again(
    client: &ModelClient,
    models: &[ModelRef],
    first: &[Message],
    answer: &Answer,
    failure: &str,
    options: &FixOptions,
    deadline: Instant,
) -> Result<(String, ModelRef, Vec<Edit>), String> {
    let mut order = vec![answer.served_by.clone()];
    order.extend(models.iter().filter(|m| **m != answer.served_by).cloned());
    let messages = prompt::follow_up(first, &answer.text, failure, options);
    let completion = client
        .complete(chat(order, messages, options, deadline))
        .map_err(|e| format!("no answer to the second try: {e}"))?;
    let text = completion.texts.into_iter().next().unwrap_or_default();
    let edits = edits_of(&text).map_err(|e| e.to_string())?;
    Ok((text, completion.served_by, edits))
}

/// Whether `edits` apply to the files at `root` (each SEARCH matching
/// once), checked on the user's files before any sandbox is made.
fn applies(root: &std::path::Path, edits: &[Edit]) -> Result<(), Rejection> {
    let mut originals = std::collections::BTreeMap::new();
    for edit in edits {
        if let Ok(text) = std::fs::read_to_string(root.join(&edit.file)) {
            originals.insert(edit.file.clone(), text);
        }
    }
    apply::apply_all(&originals, edits)?;
    Ok(())
}

fn rejected(voted: &Voted, rejection: Rejection) -> Suggestion {
    Suggestion::new(Status::Rejected, rejection.to_string(), voted)
}

fn judge(verifier: &mut Verifier<'_>, voted: &Voted) -> Suggestion {
    let tested = verifier.tested(&voted.edits);
    let mut suggestion = match verifier.verify(&voted.edits) {
        Verdict::Verified { tests_run } => Suggestion::new(
            Status::Verified,
            format!("the failing tests pass and no passing test fails ({tests_run} tests run)"),
            voted,
        ),
        Verdict::Failed { failure } => Suggestion::new(Status::Failed, failure, voted),
        Verdict::DoesNotApply(error) => rejected(voted, Rejection::Apply(error)),
        Verdict::Unverified { why } => Suggestion::new(Status::Unverified, why, voted),
    };
    suggestion.tested = tested;
    suggestion
}

/// Verified first, then by votes (stable: otherwise as judged); reasons
/// quote test output, so they are redacted as prompts are.
fn ordered(mut suggestions: Vec<Suggestion>, options: &FixOptions) -> Vec<Suggestion> {
    for suggestion in &mut suggestions {
        if let std::borrow::Cow::Owned(redacted) = options.redactor.redact(&suggestion.reason) {
            suggestion.reason = redacted;
        }
    }
    suggestions.sort_by(|a, b| {
        let verified = |s: &Suggestion| s.status != Status::Verified;
        verified(a)
            .cmp(&verified(b))
            .then_with(|| b.votes.cmp(&a.votes))
    });
    suggestions
}
