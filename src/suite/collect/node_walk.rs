//! How Node 20 and older find test files for `node --test`: no globs, a
//! walk from each path given (or the folder it runs in). A file given is
//! run as it is. In a folder, `node_modules` is skipped (unless given), and
//! a file is a test when it is JavaScript (`.js`, `.cjs`, `.mjs`) and
//! either lies in a folder named `test` that the walk went through (the
//! folder it started from included, so `cd test && node --test` runs every
//! script there, while `node --test test/unit` runs only the named ones
//! under `unit`), or is named `test.js`, `test-*.js` or `*[.-_]test.js`.
//!
//! Node 21 and later match globs against the path from the folder they run
//! in instead (`**/test/**/*.js`): started in `test/`, they run only the
//! named files, and a folder given is no pattern at all. Those are
//! [`super::NODE_DEFAULT_PATTERNS`].

use std::path::Path;

/// The test files Node 20 finds under `start` (a folder), relative to
/// `root`; `start_is_test`: whether node takes `start` itself as a `test`
/// folder ([`is_test_folder`]). As node, the walk follows links and goes
/// into hidden folders, but not `.git` nor pitcrew's own `.pitcrew`, which
/// hold no tests.
pub fn files(root: &Path, start: &Path, start_is_test: bool) -> Vec<String> {
    super::files_under(start, |name| {
        [".git", ".pitcrew", "node_modules"]
            .iter()
            .any(|skipped| name == *skipped)
    })
    .filter(|e| {
        let name = e.file_name().to_string_lossy();
        let in_test_folder = start_is_test
            || e.path()
                .strip_prefix(start)
                .ok()
                .and_then(Path::parent)
                .is_some_and(|folders| folders.iter().any(|f| f == "test"));
        script_stem(&name).is_some_and(|stem| in_test_folder || named_as_test(stem))
    })
    .filter_map(|e| {
        let relative = e.path().strip_prefix(root).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    })
    .collect()
}

/// Whether node, starting its walk at `folder`, takes it as a `test`
/// folder: by its last name, as node resolves the path, as text (`..` and
/// `.` taken as written, a link not followed). Give the folder node runs
/// in as the system names it (canonical), as node's `process.cwd()` does.
pub fn is_test_folder(folder: &Path) -> bool {
    crate::paths::lexical(folder)
        .file_name()
        .is_some_and(|name| name == "test")
}

/// A JavaScript file's name without its extension.
fn script_stem(name: &str) -> Option<&str> {
    [".js", ".cjs", ".mjs"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
}

/// `test`, `test-…`, or `…test` after `.`, `-` or `_`.
fn named_as_test(stem: &str) -> bool {
    stem == "test"
        || stem
            .strip_prefix("test-")
            .is_some_and(|rest| !rest.is_empty())
        || stem
            .strip_suffix("test")
            .is_some_and(|before| before.len() > 1 && before.ends_with(['.', '-', '_']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_node_20_takes_as_tests() {
        for stem in ["test", "test-a", "a.test", "a-test", "a_test", "x.y.test"] {
            assert!(named_as_test(stem), "{stem}");
        }
        for stem in ["tests", "test-", ".test", "atest", "testing", "a.spec"] {
            assert!(!named_as_test(stem), "{stem}");
        }
        assert_eq!(script_stem("a.test.mjs"), Some("a.test"));
        assert_eq!(script_stem("a.test.ts"), None);
    }

    #[test]
    fn a_test_folder_counts_from_where_the_walk_starts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "test/unit/math.js",
            "test/unit/other.test.js",
            "test/unit/data.json",
            "lib/helper.js",
            "lib/test/inner.cjs",
            "lib/node_modules/x/test.js",
            "a.test.mjs",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        assert_eq!(
            files(root, root, false),
            [
                "a.test.mjs",
                "lib/test/inner.cjs",
                "test/unit/math.js",
                "test/unit/other.test.js"
            ]
        );
        // Started in `test`: all its scripts.
        let test = root.join("test");
        assert_eq!(
            files(&test, &test, true),
            ["unit/math.js", "unit/other.test.js"]
        );
        // Given `test/unit`: `test` was never walked through.
        assert_eq!(
            files(root, &root.join("test/unit"), false),
            ["test/unit/other.test.js"]
        );
        // Through a link named `test` to `spec`, and into hidden folders.
        std::fs::create_dir_all(root.join("spec/.hidden")).unwrap();
        std::fs::write(root.join("spec/s.js"), "").unwrap();
        std::fs::write(root.join("spec/.hidden/h.js"), "").unwrap();
        #[cfg(unix)]
        {
            std::fs::create_dir_all(root.join("pkg")).unwrap();
            std::os::unix::fs::symlink(root.join("spec"), root.join("pkg/test")).unwrap();
            let linked = root.join("pkg/test");
            assert_eq!(
                files(root, &linked, is_test_folder(&linked)),
                ["pkg/test/.hidden/h.js", "pkg/test/s.js"]
            );
        }
    }

    #[test]
    fn a_folder_is_named_as_node_resolves_it() {
        assert!(is_test_folder(Path::new("/p/test")));
        assert!(is_test_folder(Path::new("./test/")));
        assert!(is_test_folder(Path::new("/p/test/unit/..")));
        assert!(!is_test_folder(Path::new("/p/test/unit")));
        assert!(!is_test_folder(Path::new("/p/tests")));
    }
}
