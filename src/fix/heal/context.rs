//! The page snapshot inside Playwright's `error-context.md`, the Markdown
//! file it attaches to a failed test (`test-results/<test>/`).
//!
//! Playwright 1.65 writes `# Page snapshot` followed by a ```` ```yaml ````
//! fence; for some failures (an `expect` timeout) the heading is missing
//! and only the fence is there, so the first `yaml` fence is taken.

/// The ARIA snapshot in an error context, None when it has none.
pub fn aria_snapshot(markdown: &str) -> Option<&str> {
    let start = fence_start(markdown)?;
    let body = &markdown[start..];
    let end = body
        .match_indices("\n```")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(body.len());
    Some(&body[..end])
}

/// Where the body of the first ```` ```yaml ```` fence begins.
fn fence_start(markdown: &str) -> Option<usize> {
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "```yaml" {
            return Some(offset);
        }
    }
    None
}
