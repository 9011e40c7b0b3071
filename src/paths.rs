//! One spelling of a relative path, for comparing the forms a path list,
//! a runner or a user may write: `./a\b.py/` and `a/b.py` are one file.

use std::path::Path;

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

/// An absolute `path` a runner printed, relative to the project `root`
/// (as given, or with symlinks resolved on either side), `/`-separated; a
/// path outside `root` is kept as printed.
pub fn relative(path: &Path, root: &Path) -> String {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let relative = path
        .strip_prefix(&root)
        .or_else(|_| path.strip_prefix(&canonical_root))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| {
            path.canonicalize()
                .ok()
                .and_then(|p| p.strip_prefix(&canonical_root).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.to_path_buf())
        });
    relative.to_string_lossy().replace('\\', "/")
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
}
