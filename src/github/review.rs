//! Verified fixes inside the pull request's diff as one-click review
//! suggestions: one review (`event: COMMENT`) on the PR head commit, one
//! comment per edit, each anchored on its lines (`side: RIGHT`).
//!
//! Each comment starts with a hidden marker carrying the suggestion's key
//! (a hash of path, lines and replacement); the PR's review comments are
//! read first (every page) and a suggestion already there is not posted
//! again, so a re-run posts nothing new.

use std::fmt::Write as _;

use serde::Deserialize;
use serde_json::{Value, json};

use super::author::{self, Listed};
use super::client::{ApiError, Client};
use super::context::Context;
use super::fixes::{Posted, Suggestion, fenced, group_label};
use crate::escape::markdown_inline;

/// The start of every suggestion comment pitcrew posts.
pub const MARKER: &str = "<!-- pitcrew:suggestion key=";

/// Most review comments read looking for ours.
const MAX_COMMENTS: usize = 10_000;

/// What happened on the pull request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The review posted this run, if any.
    pub review: Option<u64>,
    /// Suggestions posted this run.
    pub posted: usize,
    /// Suggestions found already posted by an earlier run.
    pub already: usize,
    /// Every suggestion on the PR now, with its link (for the comment).
    pub links: Posted,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    html_url: Option<String>,
}

type ReviewComment = Listed<Link>;

#[derive(Deserialize)]
struct Review {
    id: u64,
    #[serde(default)]
    html_url: Option<String>,
}

/// Posts the `suggestions` not already on PR `number`, in one review on
/// `head_sha`. No suggestion: no request at all.
pub fn publish(
    client: &Client,
    context: &Context,
    number: u64,
    head_sha: &str,
    suggestions: &[Suggestion<'_>],
) -> Result<Outcome, ApiError> {
    let mut outcome = Outcome::default();
    if suggestions.is_empty() {
        return Ok(outcome);
    }
    let repo = &context.repo;
    let existing: Vec<ReviewComment> = client.paginate(
        &format!(
            "/repos/{}/{}/pulls/{number}/comments",
            repo.owner, repo.name
        ),
        None,
        MAX_COMMENTS,
    )?;
    // Ours: marked and written by us, so a comment by anyone else that
    // copies a marker can't keep a suggestion off the PR.
    let on_pr = posted(author::ours(client, &existing, |b| marker_key(b).is_some()));
    let mut new = Vec::new();
    for suggestion in suggestions {
        let key = suggestion.key();
        if let Some(link) = on_pr.get(&key) {
            outcome.already += 1;
            outcome.links.insert(key, link.clone());
        } else if let std::collections::btree_map::Entry::Vacant(slot) = outcome.links.entry(key) {
            // One comment per key, even if two fixes make the same edit.
            new.push(comment_json(suggestion, slot.key()));
            slot.insert(None);
        }
    }
    if new.is_empty() {
        return Ok(outcome);
    }
    let count = new.len();
    let review: Review = client.post_json(
        &format!("/repos/{}/{}/pulls/{number}/reviews", repo.owner, repo.name),
        &json!({
            "commit_id": head_sha,
            "event": "COMMENT",
            "body": format!("pitcrew: {count} verified fix(es) as suggestions; the tests that failed pass with each applied."),
            "comments": new,
        }),
    )?;
    // Each comment's own link (the same one a later run finds); the
    // review's when they cannot be read.
    let fallback = review.html_url.as_deref().and_then(safe_url);
    let own = client
        .paginate::<ReviewComment>(
            &format!(
                "/repos/{}/{}/pulls/{number}/reviews/{}/comments",
                repo.owner, repo.name, review.id
            ),
            None,
            MAX_COMMENTS,
        )
        .unwrap_or_else(|err| {
            tracing::debug!("the review's comments are unavailable ({err}): its link is used");
            Vec::new()
        });
    // The review just posted is ours whoever GitHub says wrote it.
    let own = posted(&own);
    for (key, value) in outcome.links.iter_mut().filter(|(_, v)| v.is_none()) {
        *value = own.get(key).cloned().flatten().or_else(|| fallback.clone());
    }
    outcome.review = Some(review.id);
    outcome.posted = count;
    Ok(outcome)
}

/// The marker line for `key`.
pub fn marker(key: &str) -> String {
    format!("{MARKER}{key} -->")
}

/// Each marked comment's key, with its link.
fn posted<'a>(comments: impl IntoIterator<Item = &'a ReviewComment>) -> Posted {
    comments
        .into_iter()
        .filter_map(|c| {
            let key = c.body.as_deref().and_then(marker_key)?;
            Some((
                key.to_string(),
                c.extra.html_url.as_deref().and_then(safe_url),
            ))
        })
        .collect()
}

/// The key of a comment body that starts with our marker. Only the start
/// counts: a marker quoted inside a replacement is text.
pub fn marker_key(body: &str) -> Option<&str> {
    let rest = body.strip_prefix(MARKER)?;
    let (key, _) = rest.split_once(" -->")?;
    (key.len() == 16 && key.chars().all(|c| c.is_ascii_hexdigit())).then_some(key)
}

/// One review comment: anchored on the suggestion's lines (right side),
/// the marker, what the fix is, and the suggestion block.
fn comment_json(suggestion: &Suggestion<'_>, key: &str) -> Value {
    let fix = suggestion.fix;
    let mut body = marker(key);
    let _ = write!(
        body,
        "\n{} ({} test(s)): **verified** fix by {}: {}\n\n{}\n",
        group_label(suggestion.group),
        suggestion.group.tests,
        markdown_inline(&fix.model),
        markdown_inline(&fix.reason),
        fenced(&suggestion.text, "suggestion")
    );
    let mut comment = json!({
        "path": suggestion.edit.file,
        "line": suggestion.last,
        "side": "RIGHT",
        "body": body,
    });
    if suggestion.first < suggestion.last {
        comment["start_line"] = json!(suggestion.first);
        comment["start_side"] = json!("RIGHT");
    }
    comment
}

/// A link GitHub gave, when it is plainly an http(s) URL that cannot break
/// out of a Markdown link.
fn safe_url(url: &str) -> Option<String> {
    let scheme = url.starts_with("https://") || url.starts_with("http://");
    let plain = url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'*+,;=%".contains(c));
    (scheme && plain).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_found_at_the_start_only() {
        let key = "0123456789abcdef";
        assert_eq!(marker_key(&format!("{}\nbody", marker(key))), Some(key));
        assert_eq!(marker_key(&format!("x {}", marker(key))), None);
        assert_eq!(marker_key("<!-- pitcrew:suggestion key=zz -->"), None);
        assert_eq!(
            marker_key("<!-- pitcrew:suggestion key=0123456789abcdef"),
            None
        );
    }

    #[test]
    fn only_plain_links_are_kept() {
        assert_eq!(
            safe_url("https://github.com/o/r/pull/7#discussion_r12").as_deref(),
            Some("https://github.com/o/r/pull/7#discussion_r12")
        );
        assert_eq!(safe_url("https://e/x) [click](http://evil"), None);
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("https://e/<b>"), None);
    }
}
