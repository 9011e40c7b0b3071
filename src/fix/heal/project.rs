//! Healing a failure in a project on disk: what the fix engine calls. It
//! finds the test file (given, or the first stack frame inside the
//! project), the error context Playwright wrote, and a saved DOM beside it
//! if a hook left one, reads them bounded, and heals from both snapshots.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::attachment::locate;
use super::{
    Failure, HealCandidate, HealError, Snapshot, heal, holds_locator, propose, shown, source,
};

/// Files larger than this are read only this far.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// Proposals for one failed Playwright test of the project at `root`.
/// `test_file` (relative to `root`) when the results name it, else the
/// first stack frame inside the project that is not under `node_modules`
/// and is named like a test file (else the first such frame).
///
/// The edit goes where the failing locator is: on the test file's stack
/// line, else on the stack line of the first other file of the stack in
/// the project that holds one (a page object, a helper).
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
    let frames = in_project_frames(details, root);
    let test_file = match test_file {
        Some(file) => file.to_string(),
        None => test_frame(&frames).ok_or(HealError::NoTestFile)?,
    };
    let context = locate(details, root, &test_file).ok_or(HealError::NoErrorContext)?;
    let (file, source) = locator_file(root, message, details, &test_file, &frames)?;
    let markdown = read_inside(root, &context)?;
    let dom = saved_dom(&context).and_then(|path| read_inside(root, &path).ok());
    let failure = |snapshot| Failure {
        message,
        details,
        test_file: &file,
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

/// The file whose stack line holds the failing locator, and its text: the
/// test file first, then the stack's other files inside the project in
/// stack order (a page object or helper the test called); the test file
/// when none does, so its reason is the one given.
fn locator_file(
    root: &Path,
    message: &str,
    details: &str,
    test_file: &str,
    frames: &[String],
) -> Result<(String, String), HealError> {
    let test_source = read_inside(root, Path::new(test_file))?;
    if holds_locator(message, details, test_file, &test_source) {
        return Ok((test_file.to_string(), test_source));
    }
    let helper = frames
        .iter()
        .filter(|file| file.as_str() != test_file)
        .find_map(|file| {
            let source = read_inside(root, Path::new(file)).ok()?;
            holds_locator(message, details, file, &source).then(|| (file.clone(), source))
        });
    Ok(helper.unwrap_or_else(|| (test_file.to_string(), test_source)))
}

/// The stack's files inside `root` that are not dependencies, relative to
/// `root`, in stack order, each once.
fn in_project_frames(details: &str, root: &Path) -> Vec<String> {
    let Ok(root) = root.canonicalize() else {
        return Vec::new();
    };
    let mut files: Vec<String> = Vec::new();
    for (path, _) in source::frames(details) {
        let Ok(path) = root.join(path).canonicalize() else {
            continue;
        };
        let Ok(relative) = path.strip_prefix(&root) else {
            continue;
        };
        let dependency = relative
            .components()
            .any(|c| c.as_os_str() == "node_modules");
        let relative = relative.to_string_lossy().replace('\\', "/");
        if !dependency && path.is_file() && !files.contains(&relative) {
            files.push(relative);
        }
    }
    files
}

/// The test's file among the stack's: the first named like a test file,
/// else the first (a page object's frame comes before the test's).
fn test_frame(frames: &[String]) -> Option<String> {
    crate::fix::test_file_of(frames, "")
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
