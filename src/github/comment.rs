//! The one sticky PR comment: found again by its hidden marker among all
//! the PR's comments (every page) written by pitcrew's token (see
//! [`super::author`]), updated in place, never duplicated.

use serde::Deserialize;
use serde_json::json;

use super::author::{self, Listed};
use super::client::{ApiError, Client};
use super::context::Context;
use super::markdown;

/// When to comment (like EnricoMi/publish-unit-test-result-action).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentMode {
    /// Every run creates or updates the comment.
    Always,
    /// Only when something failed; a comment already there is still
    /// updated (so a fixed PR does not keep showing old failures).
    Failures,
    /// Only when the results differ from what the comment shows.
    Changes,
    /// Never.
    Off,
}

/// What happened to the comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(u64),
    Updated(u64),
    /// The mode said not to comment (or nothing changed).
    Skipped(&'static str),
}

#[derive(Deserialize)]
struct Id {
    id: u64,
}

type Comment = Listed<Id>;

/// Most comments read looking for ours (GitHub lists oldest first).
const MAX_COMMENTS: usize = 10_000;

/// Creates or updates the sticky comment on PR `number` with `body`
/// (which starts with the marker), as `mode` says.
pub fn publish(
    client: &Client,
    context: &Context,
    number: u64,
    body: &str,
    failed: bool,
    mode: CommentMode,
) -> Result<Outcome, ApiError> {
    if mode == CommentMode::Off {
        return Ok(Outcome::Skipped("--comment off"));
    }
    let repo = &context.repo;
    let comments: Vec<Comment> = client.paginate(
        &format!(
            "/repos/{}/{}/issues/{number}/comments",
            repo.owner, repo.name
        ),
        None,
        MAX_COMMENTS,
    )?;
    // Ours: the body starts with the marker and we wrote it. The latest
    // wins if a past race left two.
    let existing = author::ours(client, &comments, |b| b.starts_with(markdown::MARKER)).pop();
    match (mode, existing) {
        (CommentMode::Failures, None) if !failed => {
            return Ok(Outcome::Skipped("no failures (--comment failures)"));
        }
        (CommentMode::Changes, Some(c))
            if c.body.as_deref().and_then(markdown::marker_digest)
                == markdown::marker_digest(body) =>
        {
            return Ok(Outcome::Skipped("results unchanged (--comment changes)"));
        }
        _ => {}
    }
    let payload = json!({ "body": body });
    match existing {
        Some(c) => {
            client.request(
                http::Method::PATCH,
                &format!(
                    "/repos/{}/{}/issues/comments/{}",
                    repo.owner, repo.name, c.extra.id
                ),
                Some(&payload),
            )?;
            Ok(Outcome::Updated(c.extra.id))
        }
        None => {
            let created: Id = client.post_json(
                &format!(
                    "/repos/{}/{}/issues/{number}/comments",
                    repo.owner, repo.name
                ),
                &payload,
            )?;
            Ok(Outcome::Created(created.id))
        }
    }
}
