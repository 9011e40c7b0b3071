//! The changed files `--changed-first` orders by: `--changed-files`, else
//! the pull request's files from the GitHub API.

use crate::InputError;
use crate::cli::ChangedArgs;
use crate::suite::changed::Changes;

/// The changes to order by, when `--changed-first` is given and they can
/// be known; `None` (order unchanged, said in a notice) otherwise.
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
    tracing::warn!(
        "--changed-first: no --changed-files and not in a pull request: the order is unchanged"
    );
    Ok(None)
}
