//! `pitcrew triage --fix`: each root cause's fix candidates, asked of its
//! routed models and, for broken Playwright locators, healed from the page
//! snapshot; all judged by the fix engine (rejection rules, then a re-run
//! of the failing tests in a copy of the tree). Only `--apply` touches the
//! working tree, and only with a verified fix.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::fix::{self, FailingTest, FixOptions, FixRequest, Seeded, Status, Suggestion};
use crate::suite::runners::TestRef;
use crate::triage::document::{Entry, Triage};
use crate::triage::group::{Group, Groups};
use crate::triage::model::{Demand, ModelClient, ModelRef, Share};
use crate::triage::suggest;

/// Name shown as the proposer of a healed locator.
const HEALER: &str = "selector-healing";

/// How fixes are made and checked for this run.
pub struct FixRun<'a> {
    /// The project root: where the tests run, what edits are relative to.
    pub root: &'a Path,
    /// The test command (`-- CMD`, or the one the results recorded).
    pub command: Vec<String>,
    pub runner: Option<String>,
    /// Files the change under test touched (edits may change them too).
    pub changed_files: Vec<String>,
    pub options: FixOptions,
    /// `--apply`: land each group's best verified fix.
    pub apply: bool,
    /// Groups verified at once, each in its own copy of the tree (at least 1).
    pub concurrency: usize,
}

/// Groups verified at once: the model client's bound (`models`, from
/// `[models] concurrency`; 4 by default), and no more than the cores, but
/// at least 2 (fewer only when the bound is 1).
/// Each verification runs the tests, which want a core; yet much of a
/// group's time is spent waiting (for a model's answer, a copy of the tree,
/// a runner starting up), so even on one core a second group overlaps the
/// first's waits.
pub fn concurrency(models: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // The client's own default, from the one place that sets it.
    let default = || crate::triage::model::ClientConfig::new(Vec::new()).concurrency;
    models.unwrap_or_else(default).min(cores.max(2)).max(1)
}

/// One group's fix work, prepared before any group is verified.
struct Job {
    /// Its index in the triage's groups.
    index: usize,
    fingerprint: String,
    request: FixRequest,
    models: Vec<ModelRef>,
    heal: Option<(FixRequest, Seeded)>,
}

/// Adds each group's fix suggestions to `triage` (before its advice) and,
/// with `--apply`, lands the verified ones, printing each file to `out`.
/// `client` is `None` when models are off: then only healed locators are
/// judged.
///
/// Groups are verified `run.concurrency` at a time, started in priority
/// order, each in its own copy of the tree as it is now; the results are
/// then taken (and, with `--apply`, landed) in priority order, so the
/// report is the same whatever finished first. The model client bounds
/// the model requests; the run's budget is shared out among the groups in
/// priority order before they start (in rounds, so what a group leaves
/// goes to the next: [`fix::budget::in_priority_rounds`]), so the same
/// groups get it on every run.
pub fn fix_groups(
    groups: &Groups<'_>,
    triage: &mut Triage,
    client: Option<&ModelClient>,
    run: &FixRun<'_>,
    out: &mut dyn Write,
) {
    // `time_limit` bounds the whole run, not each group: a red run with many
    // groups must still end when the user said.
    let deadline = Instant::now() + run.options.time_limit;
    let jobs: Vec<Job> = groups
        .0
        .iter()
        .zip(&triage.groups)
        .enumerate()
        .filter_map(|(index, (group, report))| {
            prepare(
                index,
                group,
                &report.fingerprint,
                &report.route.models,
                client,
                run,
            )
        })
        .collect();
    tracing::debug!(
        groups = jobs.len(),
        at_once = run.concurrency.max(1),
        "verifying fix candidates"
    );
    // The model budget goes to the groups in priority order, whichever
    // reaches the model first: shared out before they start.
    let demands: Vec<Demand> = match client {
        Some(client) => jobs
            .iter()
            .map(|job| fix::budget::demand(client, &job.models, &job.request, &run.options))
            .collect(),
        None => vec![Demand::default(); jobs.len()],
    };
    let verified =
        fix::budget::in_priority_rounds(client, &demands, run.concurrency.max(1), |i, share| {
            verify(&jobs[i], client, deadline, &run.options, share)
        });
    // Whether a fix has landed in this run: the groups after it were
    // verified on the tree without it.
    let mut landed = false;
    for (job, mut suggestions) in jobs.iter().zip(verified) {
        // Verified first, whoever proposed them (stable: each call already
        // ordered its own).
        suggestions.sort_by_key(|s| s.status != Status::Verified);
        if run.apply {
            if landed {
                suggestions = verified_again(job, suggestions, deadline, &run.options);
            }
            match fix::apply_verified(run.root, &suggestions, out) {
                Ok(files) => landed |= !files.is_empty(),
                Err(e) => tracing::warn!("fix for {} not applied: {e}", job.fingerprint),
            }
        }
        let report = &mut triage.groups[job.index];
        let advice = std::mem::take(&mut report.suggestions);
        report.suggestions = suggestions.into_iter().map(Entry::Fix).collect();
        report.suggestions.extend(advice);
    }
}

/// The group's request, models and healed locators; `None` when there is
/// nothing to verify (no test with a file, no model and nothing healed).
fn prepare(
    index: usize,
    group: &Group<'_>,
    fingerprint: &str,
    routed: &[String],
    client: Option<&ModelClient>,
    run: &FixRun<'_>,
) -> Option<Job> {
    let request = request(group, run);
    if request.failing.is_empty() {
        return None;
    }
    tracing::debug!(
        group = %fingerprint,
        allowed = ?request.allowed_files(),
        "fix candidates may change these files"
    );
    let models = available(client, routed);
    let heal = healed(group, run.root, &request);
    if models.is_empty() && heal.is_none() {
        return None;
    }
    Some(Job {
        index,
        fingerprint: fingerprint.to_string(),
        request,
        models,
        heal,
    })
}

/// One group's candidates, healed and asked, each judged; its model
/// questions limited by its `share` of the budget.
fn verify(
    job: &Job,
    client: Option<&ModelClient>,
    deadline: Instant,
    options: &FixOptions,
    share: Option<&Share>,
) -> Vec<Suggestion> {
    // Groups verified at once must not write their runs' logs over each other's.
    let options = &FixOptions {
        log_dir: options.log_dir.as_ref().map(|dir| {
            let dir = dir.join(format!("group-{}-{}", job.index + 1, job.fingerprint));
            if let Err(e) = std::fs::create_dir_all(&dir) {
                tracing::warn!("no log directory {}: {e}", dir.display());
            }
            dir
        }),
        share: share.cloned(),
        ..options.clone()
    };
    let mut suggestions = Vec::new();
    if let Some((narrowed, seeded)) = &job.heal {
        suggestions.extend(within(deadline, options, |options| {
            fix::suggest_and_verify(None, &[], narrowed, options, vec![seeded.clone()])
        }));
    }
    if !job.models.is_empty() {
        suggestions.extend(within(deadline, options, |options| {
            fix::suggest_and_verify(client, &job.models, &job.request, options, Vec::new())
        }));
    }
    suggestions
}

/// With `--apply`, after an earlier group's fix landed: the group's
/// verified candidates judged again, in order, on the tree as it is now
/// (a copy of it, as always), until one still verifies. So every fix that
/// lands was verified on the tree it lands on, as when groups were
/// verified one after another. No model is asked again.
fn verified_again(
    job: &Job,
    suggestions: Vec<Suggestion>,
    deadline: Instant,
    options: &FixOptions,
) -> Vec<Suggestion> {
    let mut done = false;
    let mut judged: Vec<Suggestion> = suggestions
        .into_iter()
        .map(|suggestion| {
            if done || suggestion.status != Status::Verified {
                return suggestion;
            }
            // A healed candidate was verified on the tests that heal only.
            let request = match &job.heal {
                Some((narrowed, _)) if suggestion.model == HEALER => narrowed,
                _ => &job.request,
            };
            let seeded = Seeded {
                edits: suggestion.edits.clone(),
                proposer: suggestion.model.clone(),
            };
            let again = within(deadline, options, |options| {
                fix::suggest_and_verify(None, &[], request, options, vec![seeded])
            });
            let Some(mut again) = again.into_iter().next() else {
                return suggestion;
            };
            done = again.status == Status::Verified;
            again.votes = suggestion.votes;
            again.reason = format!(
                "judged again after a fix of a higher priority was applied: {}",
                again.reason
            );
            again
        })
        .collect();
    judged.sort_by_key(|s| s.status != Status::Verified);
    judged
}

/// Runs `verify` with the time left before `deadline`, or says the time
/// was spent.
fn within(
    deadline: Instant,
    options: &FixOptions,
    verify: impl FnOnce(&FixOptions) -> Vec<Suggestion>,
) -> Vec<Suggestion> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return vec![out_of_time(options)];
    }
    verify(&FixOptions {
        time_limit: left,
        ..options.clone()
    })
}

/// What a group gets when the groups started before it spent the run's fix
/// time: said, so that a group nobody tried is not mistaken for one
/// without a fix.
fn out_of_time(options: &FixOptions) -> Suggestion {
    Suggestion {
        status: Status::Unverified,
        reason: format!(
            "not tried: the fix time limit ({} s) was spent on groups of higher priority",
            options.time_limit.as_secs()
        ),
        votes: 0,
        model: String::new(),
        edits: Vec::new(),
        tested: Vec::new(),
    }
}

/// The group's failing tests whose file is known (a test without one
/// cannot be re-run on its own).
fn request(group: &Group<'_>, run: &FixRun<'_>) -> FixRequest {
    let failing = group
        .tests
        .iter()
        .filter_map(|t| {
            let failure = t.failure.as_ref();
            let message = failure.and_then(|f| f.message.clone()).unwrap_or_default();
            let details = failure.and_then(|f| f.details.clone()).unwrap_or_default();
            let stack_files = fix::stack_files(&details, run.root);
            // Plain JUnit (pytest's default flavour, Playwright's) names no
            // file: the failure's own stack does.
            let file = t
                .key
                .file
                .clone()
                .or_else(|| fix::test_file_of(&stack_files, &t.key.classname))?;
            Some(FailingTest {
                test: TestRef {
                    file: Some(file.clone()),
                    classname: t.key.classname.clone(),
                    name: t.key.name.clone(),
                },
                stack_files,
                file,
                message,
                details,
            })
        })
        .collect();
    FixRequest {
        root: run.root.to_path_buf(),
        failing,
        changed_files: run.changed_files.clone(),
        command: run.command.clone(),
        runner: run.runner.clone(),
    }
}

/// The route's models that the endpoint lists, in the route's order.
fn available(client: Option<&ModelClient>, models: &[String]) -> Vec<ModelRef> {
    client.map_or_else(Vec::new, |c| suggest::available_models(c, models).0)
}

/// For a selector failure: one candidate with the best healed locator of
/// every test that heals, and the request narrowed to those tests. A page
/// change breaks several tests at once, and one candidate per test would
/// fail for the others' sake; a test that does not heal (two equally close
/// elements) still fails after any edit and must not sink the rest.
fn healed(group: &Group<'_>, root: &Path, request: &FixRequest) -> Option<(FixRequest, Seeded)> {
    if group.category != "selector" {
        return None;
    }
    let mut edits: Vec<fix::edit::Edit> = Vec::new();
    let mut tests = Vec::new();
    for failing in &request.failing {
        // The test's file as the request found it (Playwright's JUnit names
        // none); the healer looks for the locator there, then in the files
        // of the stack (a page object).
        let healed = fix::heal::heal_failure(
            root,
            &failing.message,
            &failing.details,
            Some(&failing.file),
        );
        match healed {
            Ok(candidates) => {
                let Some(best) = candidates.into_iter().next() else {
                    continue;
                };
                // Two tests with the same broken line heal to one edit.
                if !edits.contains(&best.edit) {
                    edits.push(best.edit);
                }
                tests.push((failing.test.classname.as_str(), failing.test.name.as_str()));
            }
            Err(why) => tracing::debug!("no healed locator: {why}"),
        }
    }
    if edits.is_empty() {
        return None;
    }
    let failing = request
        .failing
        .iter()
        .filter(|f| tests.contains(&(f.test.classname.as_str(), f.test.name.as_str())))
        .cloned()
        .collect();
    let narrowed = FixRequest {
        failing,
        ..request.clone()
    };
    let seeded = Seeded {
        edits,
        proposer: HEALER.to_string(),
    };
    Some((narrowed, seeded))
}
