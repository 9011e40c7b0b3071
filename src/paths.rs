//! One spelling of a relative path, for comparing the forms a path list,
//! a runner or a user may write: `./a\b.py/` and `a/b.py` are one file.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

/// `./a\b.py` → `a/b.py`: leading `./` and trailing `/` dropped,
/// backslashes made forward, surrounding blanks trimmed.
pub fn normalise(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.trim_end_matches('/').to_string()
}

/// `path` with `.` dropped and `..` taking off the part before it, as text
/// (links not followed), as node's `path.resolve` and pytest's ids read a
/// path.
pub fn lexical(path: &Path) -> PathBuf {
    let mut parts: Vec<std::path::Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect()
}

/// A project's root, for making the absolute paths a runner printed
/// relative to it: the root's own absolute and symlink-free forms are found
/// once, not once per path (a report of thousands of cases names a file in
/// each).
pub struct ProjectRoot {
    given: PathBuf,
    canonical: OnceCell<PathBuf>,
}

impl ProjectRoot {
    pub fn new(root: &Path) -> Self {
        let given = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        ProjectRoot {
            given,
            canonical: OnceCell::new(),
        }
    }

    /// `path` relative to the root (as given, or with symlinks resolved on
    /// either side), `/`-separated; a path outside the root is kept as
    /// printed.
    pub fn relative(&self, path: &Path) -> String {
        let canonical = || {
            self.canonical.get_or_init(|| {
                self.given
                    .canonicalize()
                    .unwrap_or_else(|_| self.given.clone())
            })
        };
        let relative = path
            .strip_prefix(&self.given)
            .or_else(|_| path.strip_prefix(canonical()))
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| {
                path.canonicalize()
                    .ok()
                    .and_then(|p| p.strip_prefix(canonical()).ok().map(Path::to_path_buf))
                    .unwrap_or_else(|| path.to_path_buf())
            });
        relative.to_string_lossy().replace('\\', "/")
    }
}

/// The regular files whose path starts with `prefix`, in its folder,
/// sorted: the parts several processes of one run wrote beside each other
/// (`.pitcrew/logs/shard-`, coverage parts, pytest's notes).
pub fn files_starting(prefix: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (prefix.parent(), prefix.file_name()) else {
        return Vec::new();
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(name.as_ref()))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_path_are_one() {
        for spelling in ["a/b.py", "./a/b.py", "././a/b.py", " a\\b.py ", "a/b.py/"] {
            assert_eq!(normalise(spelling), "a/b.py", "{spelling:?}");
        }
        assert_eq!(normalise("/abs/x"), "/abs/x");
    }

    /// A runner may print paths under the root as given or with its
    /// symlinks resolved (pytest and node resolve them, the shell does not).
    #[cfg(unix)]
    #[test]
    fn printed_paths_under_either_spelling_of_the_root_are_relative() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("tests")).unwrap();
        std::fs::write(real.join("tests/a.py"), "").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let root = ProjectRoot::new(&link);
        let canonical = real.canonicalize().unwrap();
        assert_eq!(root.relative(&link.join("tests/a.py")), "tests/a.py");
        assert_eq!(root.relative(&canonical.join("tests/a.py")), "tests/a.py");
        assert_eq!(
            root.relative(Path::new("/elsewhere/b.py")),
            "/elsewhere/b.py"
        );
    }

    #[test]
    fn files_starting_lists_only_files_of_that_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["part-1-0.json", "part-2-1.json", "other.json"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        std::fs::create_dir(dir.path().join("part-dir")).unwrap();
        let found = files_starting(&dir.path().join("part-"));
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["part-1-0.json", "part-2-1.json"]);
        assert!(files_starting(&dir.path().join("missing/part-")).is_empty());
    }
}
