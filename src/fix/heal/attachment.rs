//! Finding the `error-context.md` Playwright attached to a failed test,
//! from the failure's details (`Error Context: <path>`).
//!
//! The path is written relative to where the reporter ran: the line
//! reporter says `test-results/…`, the JUnit reporter `../test-results/…`
//! (relative to the test directory). So it is tried against the project
//! root, the test file's directory and, without its `../` steps, the root
//! again; a path that leads out of the root is never read.

use std::path::{Component, Path, PathBuf};

/// The error context as the details name it, unresolved.
pub fn named(details: &str) -> Option<&str> {
    details.lines().find_map(|line| {
        let path = line.trim().strip_prefix("Error Context: ")?.trim();
        (!path.is_empty()).then_some(path)
    })
}

/// The error context file for a failure whose `details` name one, inside
/// `root` (the project the tests ran in); `test_file` is relative to it.
pub fn locate(details: &str, root: &Path, test_file: &str) -> Option<PathBuf> {
    let named = Path::new(named(details)?);
    let test_dir = Path::new(test_file).parent().unwrap_or(Path::new(""));
    let stripped: PathBuf = named
        .components()
        .skip_while(|c| matches!(c, Component::ParentDir | Component::CurDir))
        .collect();
    let root = root.canonicalize().ok()?;
    [
        root.join(named),
        root.join(test_dir).join(named),
        root.join(stripped),
    ]
    .into_iter()
    .filter_map(|p| p.canonicalize().ok())
    .find(|p| p.starts_with(&root) && p.is_file())
}
