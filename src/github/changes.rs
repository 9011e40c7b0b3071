//! The changed files `--changed-first` orders by: `--changed-files`, else
//! the pull request's files from the GitHub API (paginated, up to the
//! 3,000 files GitHub lists).

use serde::Deserialize;

use super::client::{self, ApiError, Client, RetryPolicy};
use super::context::Context;
use crate::InputError;
use crate::cli::ChangedArgs;
use crate::suite::changed::Changes;

/// GitHub lists at most this many files of a pull request.
pub const MAX_PR_FILES: usize = 3_000;

/// The changes to order by, when `--changed-first` is given and they can
/// be known; `None` (order unchanged, said in a notice) otherwise. Only an
/// unreadable `--changed-files` is an error: the order is an optimisation,
/// so an API failure is a warning.
pub fn for_ordering(args: &ChangedArgs) -> Result<Option<Changes>, InputError> {
    if !args.changed_first {
        return Ok(None);
    }
    if let Some(path) = &args.changed_files {
        let changes = Changes::read(path)?;
        tracing::info!(
            "--changed-first: {} changed path(s) from {}",
            changes.len(),
            path.display()
        );
        return Ok(Some(changes));
    }
    let pull_request = Context::from_env(None)
        .ok()
        .and_then(|c| c.pull_request.as_ref().map(|p| p.number).map(|n| (c, n)));
    let (Some((context, number)), Some(token)) = (pull_request, client::token(None)) else {
        tracing::warn!(
            "--changed-first: no --changed-files, and not in a pull request with GITHUB_TOKEN: the order is unchanged"
        );
        return Ok(None);
    };
    let files = Client::new(&context, &token, RetryPolicy::from_env())
        .and_then(|client| pr_files(&client, &context, number));
    match files {
        Ok(files) => {
            tracing::info!(
                "--changed-first: {} changed file(s) in pull request #{number}",
                files.len()
            );
            Ok(Some(Changes::new(files)))
        }
        Err(e) => {
            tracing::warn!(
                "--changed-first: the pull request's files are unavailable ({}): the order is unchanged",
                crate::escape::control_chars(&e.to_string())
            );
            Ok(None)
        }
    }
}

#[derive(Deserialize)]
pub struct PrFile {
    pub filename: String,
    /// A renamed file's old path: its tests may still carry the old name.
    #[serde(default)]
    pub previous_filename: Option<String>,
    /// The file's diff hunks (absent for a binary file or a large diff).
    #[serde(default)]
    pub patch: Option<String>,
}

/// The paths pull request `number` changes (renames: both paths), as
/// GitHub lists them: 100 per page, at most [`MAX_PR_FILES`] files. A pull
/// request at the cap may change more, which GitHub does not list: that is
/// said in a warning.
pub fn pr_files(client: &Client, context: &Context, number: u64) -> Result<Vec<String>, ApiError> {
    let files = pr_file_list(client, context, number)?;
    if files.len() >= MAX_PR_FILES {
        tracing::warn!(
            "pull request #{number} changes {MAX_PR_FILES} files or more; GitHub lists only the first {MAX_PR_FILES}, so the others' tests are not moved first"
        );
    }
    Ok(files
        .into_iter()
        .flat_map(|f| std::iter::once(f.filename).chain(f.previous_filename))
        .collect())
}

/// The files of pull request `number` as GitHub lists them (100 a page, at
/// most [`MAX_PR_FILES`]), with their patches.
pub fn pr_file_list(
    client: &Client,
    context: &Context,
    number: u64,
) -> Result<Vec<PrFile>, ApiError> {
    let path = format!("/repos/{}/pulls/{number}/files?per_page=100", context.repo);
    client.paginate(&path, None, MAX_PR_FILES)
}
