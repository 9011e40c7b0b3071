//! Publishing a report to GitHub: the check run, the review suggestions
//! (verified fixes inside the PR's diff), then the sticky comment.
//!
//! Called after every local output is written. A read-only token (a fork's
//! PR, or a workflow without `checks: write` / `pull-requests: write`)
//! stops publishing with one notice pointing at the `workflow_run` pattern;
//! any other failure is collected and returned, for the caller to warn
//! about (or fail on, with `--strict-report`).

use super::check_run;
use super::client::{ApiError, Client, RetryPolicy};
use super::comment::{self, CommentMode};
use super::context::Context;
use super::fixes::{Hunks, Posted};
use super::markdown::{self, Report};
use super::review;

pub struct Settings {
    pub comment: CommentMode,
    /// The check run's name.
    pub check_name: String,
    /// Create a check run at all.
    pub check_run: bool,
}

/// What was published.
#[derive(Debug, Default)]
pub struct Published {
    pub check_run: Option<(u64, usize)>,
    pub comment: Option<comment::Outcome>,
    pub review: Option<review::Outcome>,
    /// The token could not write: nothing more was tried.
    pub read_only: bool,
    /// The review suggestions could not be posted (a token that may write
    /// the check run and the comment but not pull request reviews): they
    /// are diffs in the comment.
    pub review_refused: Option<ApiError>,
    /// Calls that failed (other than read-only).
    pub errors: Vec<ApiError>,
}

/// The notice for a read-only token, shown once.
pub const READ_ONLY_NOTICE: &str = "The GitHub token is read-only here (a pull request from a fork, \
or a workflow without `checks: write` and `pull-requests: write`): no check run or PR comment. \
The results are in the step summary and the results file; publish them from a `workflow_run` \
workflow with `pitcrew report --pr N` (see docs/github.md).";

pub fn publish(
    context: &Context,
    token: &str,
    report: &Report<'_>,
    settings: &Settings,
) -> Result<Published, ApiError> {
    let client = Client::new(context, token, RetryPolicy::from_env())?;
    let mut published = Published::default();
    let note = |published: &mut Published, err: ApiError| {
        if err.is_read_only() {
            published.read_only = true;
        } else {
            published.errors.push(err);
        }
    };
    if settings.check_run {
        match check_run::publish(&client, context, &settings.check_name, report) {
            Ok(done) => published.check_run = Some(done),
            Err(err) => note(&mut published, err),
        }
    }
    if published.read_only {
        return Ok(published);
    }
    if let Some(pr) = &context.pull_request {
        let failed = report.blocked;
        // The diff's hunks decide which fixes are suggestions; without
        // them every fix is a diff (said in a warning).
        let hunks = match report.fixes.is_some_and(|f| f.any()) {
            true => match super::changes::pr_file_list(&client, context, pr.number) {
                Ok(files) => Some(Hunks::from_patches(
                    files
                        .iter()
                        .map(|f| (f.filename.as_str(), f.patch.as_deref())),
                )),
                Err(err) => {
                    tracing::warn!(
                        "the pull request's diff is unavailable ({err}): fixes are shown as diffs"
                    );
                    None
                }
            },
            false => None,
        };
        let posted = match (&hunks, settings.comment) {
            (Some(hunks), mode) if mode != CommentMode::Off => {
                suggest(&client, context, report, hunks, &mut published)
            }
            _ => Posted::new(),
        };
        // Redacted after the comment was cut to GitHub's limit: cut again, as
        // `[REDACTED]` may be longer than what it replaced.
        let body = crate::suite::render::cap_markdown(
            &client.redact(&markdown::comment(report, hunks.as_ref(), &posted)),
            markdown::COMMENT_LIMIT,
            "the full report is in the run's step summary",
        );
        match comment::publish(&client, context, pr.number, &body, failed, settings.comment) {
            Ok(outcome) => published.comment = Some(outcome),
            Err(err) => note(&mut published, err),
        }
    }
    Ok(published)
}

/// Posts the verified fixes inside the diff as review suggestions, and
/// returns the links the comment shows instead of those diffs. A failure
/// leaves them diffs in the comment.
fn suggest(
    client: &Client,
    context: &Context,
    report: &Report<'_>,
    hunks: &Hunks,
    published: &mut Published,
) -> Posted {
    let (Some(fixes), Some(pr)) = (report.fixes, &context.pull_request) else {
        return Posted::new();
    };
    // The edited files are read from the checkout pitcrew runs in.
    let root = std::env::current_dir().unwrap_or_default();
    let suggestions = fixes.suggestions(hunks, &root);
    if suggestions.is_empty() {
        return Posted::new();
    }
    let Some(head) = pr.head_sha.as_deref() else {
        tracing::warn!(
            "the pull request's head commit is unknown (no event payload): {} fix(es) are shown as diffs, not review suggestions",
            suggestions.len()
        );
        return Posted::new();
    };
    match review::publish(client, context, pr.number, head, &suggestions) {
        Ok(outcome) => {
            let links = outcome.links.clone();
            published.review = Some(outcome);
            links
        }
        Err(err) if err.is_read_only() => {
            published.review_refused = Some(err);
            Posted::new()
        }
        Err(err) => {
            published.errors.push(err);
            Posted::new()
        }
    }
}
