//! Healing a failure in a project on disk: what the fix engine calls. It
//! finds the test file (given, or the first stack frame inside the
//! project), the error context Playwright wrote, and a saved DOM beside it
//! if a hook left one, reads them bounded, and heals from both snapshots.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::attachment::locate;
use super::{Failure, HealCandidate, HealError, Snapshot, heal, propose, shown, source};

/// Files larger than this are read only this far.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// Proposals for one failed Playwright test of the project at `root`.
/// `test_file` (relative to `root`) when the results name it, else the
/// first stack frame inside the project that is not under `node_modules`.
///
/// A `*.html` file next to the error context is taken as a saved DOM (it
/// has test ids, the ARIA snapshot has not): its proposals come first,
/// then the ARIA snapshot's, without repeats, at most
/// [`propose::MAX_PROPOSALS`]. When neither heals, the ARIA snapshot's
/// reason is given.
pub fn heal_failure(
    root: &Path,
    message: &str,
    details: &str,
    test_file: Option<&str>,
) -> Result<Vec<HealCandidate>, HealError> {
    let test_file = match test_file {
        Some(file) => file.to_string(),
        None => stack_file(details, root).ok_or(HealError::NoTestFile)?,
    };
    let source = read_inside(root, Path::new(&test_file))?;
    let context = locate(details, root, &test_file).ok_or(HealError::NoErrorContext)?;
    let markdown = read_inside(root, &context)?;
    let dom = saved_dom(&context).and_then(|path| read_inside(root, &path).ok());
    let failure = |snapshot| Failure {
        message,
        details,
        test_file: &test_file,
        test_source: &source,
        snapshot,
    };
    let from_dom = dom
        .as_deref()
        .map(|html| heal(&failure(Snapshot::Html(html))));
    let from_aria = heal(&failure(Snapshot::ErrorContext(&markdown)));
    let mut candidates: Vec<HealCandidate> = Vec::new();
    for found in [from_dom, Some(from_aria.clone())].into_iter().flatten() {
        for candidate in found.unwrap_or_default() {
            if !candidates.iter().any(|c| c.edit == candidate.edit) {
                candidates.push(candidate);
            }
        }
    }
    candidates.truncate(propose::MAX_PROPOSALS);
    match candidates.is_empty() {
        true => from_aria,
        false => Ok(candidates),
    }
}

/// The first file in the stack that is inside `root` and not a
/// dependency, relative to `root`.
fn stack_file(details: &str, root: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    source::frames(details).find_map(|(path, _)| {
        let path = root.join(path).canonicalize().ok()?;
        let relative = path.strip_prefix(&root).ok()?;
        let dependency = relative
            .components()
            .any(|c| c.as_os_str() == "node_modules");
        (!dependency && path.is_file()).then(|| relative.to_string_lossy().replace('\\', "/"))
    })
}

/// The first `.html` file beside the error context, in name order.
fn saved_dom(context: &Path) -> Option<PathBuf> {
    let mut html: Vec<PathBuf> = fs::read_dir(context.parent()?)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html") && p.is_file())
        .collect();
    html.sort();
    html.into_iter().next()
}

/// Reads `path` (relative to `root` or absolute) if it stays inside
/// `root` once symlinks are resolved, at most [`MAX_FILE_BYTES`].
fn read_inside(root: &Path, path: &Path) -> Result<String, HealError> {
    let unreadable = |reason: String| HealError::Unreadable {
        file: shown(&path.display().to_string()),
        reason,
    };
    let root = root.canonicalize().map_err(|e| unreadable(e.to_string()))?;
    let full = root
        .join(path)
        .canonicalize()
        .map_err(|e| unreadable(e.to_string()))?;
    if !full.starts_with(&root) {
        return Err(unreadable("it is outside the project".into()));
    }
    let mut bytes = Vec::new();
    fs::File::open(&full)
        .and_then(|f| f.take(MAX_FILE_BYTES).read_to_end(&mut bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
