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

/// Files matching `globs` written as paths, relative to the current
/// directory or absolute (`timings/*.xml`, `/tmp/history/*.json`,
/// `../run-1/shard-*.json`, `.pitcrew/results/*.json`), sorted, without
/// duplicates; `!glob` excludes. Each glob is walked from its literal
/// folder (the path before its first wildcard), so a folder the user
/// names is read even where the test file search skips it (`.pitcrew`,
/// `target`); below it those folders are still skipped.
pub fn matching_paths(globs: &[String]) -> Result<Vec<String>, InputError> {
    let (_, exclude) = compile(globs)?;
    let mut found = std::collections::BTreeSet::new();
    for glob in globs.iter().filter(|g| !g.starts_with('!')) {
        // `compile` reads `./a/*.xml` as `a/*.xml`; so are the paths built.
        let glob = glob.strip_prefix("./").unwrap_or(glob);
        let (base, _) = compile(&[glob.to_owned()])?;
        let literal = literal_prefix(glob);
        let keep = |path: String, found: &mut std::collections::BTreeSet<String>| {
            if base.is_match(&path) && !exclude.is_match(&path) {
                found.insert(path);
            }
        };
        if literal == glob {
            if Path::new(literal).is_file() {
                keep(literal.to_owned(), &mut found);
            }
            continue;
        }
        let root = match literal {
            "" => Path::new("."),
            folder => Path::new(folder),
        };
        let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
        let entries = walker.into_iter().filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
        });
        for entry in entries.flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(root) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let path = match literal {
                "" => relative,
                folder => format!("{}/{relative}", folder.trim_end_matches('/')),
            };
            keep(path, &mut found);
        }
    }
    Ok(found.into_iter().collect())
}

/// The folders of `glob` before its first wildcard (`timings` of
/// `timings/**/*.xml`, `/tmp/h` of `/tmp/h/*.json`), or the whole glob
/// when it has none (a file named as it is).
fn literal_prefix(glob: &str) -> &str {
    let Some(wild) = glob.find(['*', '?', '[', '{']) else {
        return glob;
    };
    match glob[..wild].rfind('/') {
        Some(0) => "/",
        Some(slash) => &glob[..slash],
        None => "",
    }
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

    /// History globs are paths as written: relative, absolute or above
    /// the current folder, into folders the test search skips.
    #[test]
    fn history_globs_match_paths_as_written() {
        let dir = tree(&[
            "h/a.json",
            "h/b.xml",
            "h/deep/c.json",
            ".pitcrew/results/shard-1.json",
            "target/nextest/ci/junit.xml",
        ]);
        let root = dir.path().to_str().unwrap().replace('\\', "/");
        let absolute = matching_paths(&[format!("{root}/h/*.json")]).unwrap();
        assert_eq!(absolute, [format!("{root}/h/a.json")]);
        let everything =
            matching_paths(&[format!("{root}/h/**/*"), format!("!{root}/h/*.xml")]).unwrap();
        assert_eq!(
            everything,
            [format!("{root}/h/a.json"), format!("{root}/h/deep/c.json")]
        );
        let named = matching_paths(&[
            format!("{root}/.pitcrew/results/*.json"),
            format!("{root}/target/nextest/ci/junit.xml"),
        ])
        .unwrap();
        assert_eq!(named.len(), 2, "{named:?}");
        assert!(
            matching_paths(&[format!("{root}/nothing/*.json")])
                .unwrap()
                .is_empty()
        );
        assert_eq!(literal_prefix("timings/**/*.xml"), "timings");
        assert_eq!(literal_prefix("*.xml"), "");
        assert_eq!(literal_prefix("/*.xml"), "/");
        assert_eq!(literal_prefix("t/a.xml"), "t/a.xml");
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
