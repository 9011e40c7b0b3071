//! Finding test files by glob, when the user asks for globs (`--tests`):
//! patterns relative to a root, walked with walkdir and matched with
//! globset. `!pattern` excludes. As in a shell, `*` stays within one folder
//! and `**` crosses folders, so `**/test_*.py` does not make every file
//! under a package folder named `test_something/` a test file.

use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::InputError;

/// Directories no test suite lives in; skipping them keeps the walk fast.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    ".pitcrew",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
];

/// Files under `root` matching any of `patterns` (and no `!` pattern), as
/// sorted relative paths with `/` separators. No match is an error: a split
/// over nothing is always a mistake.
pub fn discover(root: &Path, patterns: &[String]) -> Result<Vec<String>, InputError> {
    let files = matching(root, patterns)?;
    if files.is_empty() {
        return Err(InputError::new(format!(
            "--tests: no file under {} matches {}",
            root.display(),
            patterns.join(" ")
        )));
    }
    Ok(files)
}

/// Files under `root` matching `patterns`, possibly none.
pub fn matching(root: &Path, patterns: &[String]) -> Result<Vec<String>, InputError> {
    let (include, exclude) = compile(patterns)?;
    let mut files = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
    let entries = walker.into_iter().filter_entry(|entry| {
        entry.depth() == 0
            || !(entry.file_type().is_dir() && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
    });
    for entry in entries {
        let entry = entry
            .map_err(|e| InputError::new(format!("{}: cannot list it: {e}", root.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if include.is_match(&relative) && !exclude.is_match(&relative) {
            files.push(relative);
        }
    }
    Ok(files)
}

fn compile(patterns: &[String]) -> Result<(GlobSet, GlobSet), InputError> {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    for pattern in patterns {
        let (builder, text) = match pattern.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest),
            None => (&mut include, pattern.as_str()),
        };
        let text = text.strip_prefix("./").unwrap_or(text);
        let glob = GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| InputError::new(format!("--tests: invalid pattern `{pattern}`: {e}")))?;
        builder.add(glob);
    }
    let build = |builder: GlobSetBuilder| {
        builder
            .build()
            .map_err(|e| InputError::new(format!("--tests: {e}")))
    };
    Ok((build(include)?, build(exclude)?))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::fs;

    /// A temporary folder holding empty `files` (paths with folders).
    pub(crate) fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        dir
    }

    #[test]
    fn matches_sorts_and_excludes() {
        let dir = tree(&[
            "b.test.js",
            "a/c.test.js",
            "a/helper.js",
            "node_modules/x/y.test.js",
            "skip.test.js",
        ]);
        let found = discover(dir.path(), &["**/*.test.js".into(), "!skip.test.js".into()]).unwrap();
        assert_eq!(found, ["a/c.test.js", "b.test.js"]);
    }

    #[test]
    fn a_star_does_not_cross_folders() {
        let dir = tree(&[
            "tests/test_a.py",
            "tests/test_pkg/__init__.py",
            "tests/test_pkg/helpers.py",
            "tests/test_pkg/test_b.py",
        ]);
        let found = discover(dir.path(), &["**/test_*.py".into()]).unwrap();
        assert_eq!(found, ["tests/test_a.py", "tests/test_pkg/test_b.py"]);
    }

    #[test]
    fn no_match_and_bad_patterns_are_input_errors() {
        let dir = tree(&["a.py"]);
        let err = discover(dir.path(), &["**/*.rs".into()]).unwrap_err();
        assert!(
            err.to_string().starts_with("--tests: no file under"),
            "{err}"
        );
        let err = discover(dir.path(), &["a[".into()]).unwrap_err();
        assert!(
            err.to_string().starts_with("--tests: invalid pattern `a[`"),
            "{err}"
        );
    }
}
