//! The last collection's answer, kept in `.pitcrew/collected.json` under
//! a key over the runner, its command, the environment variables that
//! steer collection, and every project file's path, size and modification
//! time (outside hidden folders, dependency and cache folders, and
//! pitcrew's own outputs): a file added, removed, renamed or edited, a
//! config changed, is a new key and a new collection.
//!
//! What the runner reads from outside the project is in the key too, or
//! watched: files the command names (`--config ../shared/jest.config.js`,
//! `-c ../ci/pytest.ini`), folders a symlink in the project leads to, the
//! installed packages (each `node_modules` from the project up, with the
//! package manager's own record in it; the folders on pytest's `sys.path`
//! outside the project, which its collection says and the kept list
//! watches): installing a package that a `conftest.py` or a jest preset
//! reads is a new collection.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::Listing;

const FILE: &str = ".pitcrew/collected.json";
/// Runners whose list depends on more than the project's files (a
/// build, for nextest) are always asked.
const UNCACHED: &[&str] = &["nextest", "go"];
/// Folders that hold no test of the project and change on their own.
const SKIPPED: &[&str] = &["node_modules", "__pycache__"];
/// What marks a folder as a build's or an environment's, whatever its
/// name (a `target` or `venv` folder without one can hold tests).
const TOOL_FOLDER_MARKS: &[&str] = &["CACHEDIR.TAG", "pyvenv.cfg"];
/// Hidden files a run rewrites (coverage data, lint caches): not in the
/// key. Every other hidden file is (`.pytest.ini`, `.mocharc.yml`); hidden
/// folders are not (`.git`, `.venv`, `.pytest_cache`).
const RUN_OUTPUTS: &[&str] = &[".coverage", ".eslintcache", ".DS_Store", ".pytest_cache"];
/// Most files fingerprinted; a bigger tree is always collected.
const MAX_FILES: usize = 200_000;
/// Variables that change between two runs in one shell and decide no
/// test; every other one is in the key, since a `conftest.py` or a
/// config may read any (`RUN_INTEGRATION=1` adding test files kept a
/// list without them, and a failing test never ran).
const VOLATILE_ENV: &[&str] = &["_", "OLDPWD", "SHLVL", "PWD", "PITCREW_ATTEMPT"];
/// Configuration the runners read from the folders above the project
/// (pytest's rootdir and conftest files, a workspace's package.json).
const ANCESTOR_CONFIG: &[&str] = &[
    "pytest.ini",
    ".pytest.ini",
    "pytest.toml",
    ".pytest.toml",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
    "conftest.py",
    "package.json",
    "tsconfig.json",
    "babel.config.js",
];
/// Prefixes of config file names, any extension.
const ANCESTOR_CONFIG_PREFIXES: &[&str] = &["jest.config.", "vitest.", "vite.config."];

/// What a package manager rewrites in `node_modules` at every install.
const NODE_MODULES_RECORDS: &[&str] = &[
    ".package-lock.json",
    ".modules.yaml",
    ".yarn-state.yml",
    ".yarn-integrity",
];

#[derive(Serialize, Deserialize)]
struct Cached {
    key: String,
    files: Vec<String>,
    /// Folders and files outside the project the listing read from
    /// (pytest's `sys.path`: site-packages; its plugins' own files), with
    /// their modification time then: an install or removal in a folder, an
    /// edit to a plugin, changes it, and the list is asked again.
    #[serde(default)]
    watched: Vec<(PathBuf, u128)>,
    /// The tests, where the listing names them (see [`Listing::tests`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tests: Option<BTreeSet<String>>,
}

pub(super) fn key(runner: &str, base: &[String], root: &Path) -> Option<String> {
    if UNCACHED.contains(&runner) {
        return None;
    }
    let mut text = format!("pitcrew-collect/1\0{runner}\0");
    for word in base {
        text.push_str(word);
        text.push('\0');
    }
    let mut env: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .filter(|(k, _)| !VOLATILE_ENV.contains(&k.as_str()))
        .collect();
    env.sort();
    // Files a variable names (`PYTEST_ADDOPTS="-c ../ci/pytest.ini"`).
    let env_words: Vec<String> = env
        .iter()
        .flat_map(|(_, value)| value.split_whitespace().map(String::from))
        .collect();
    for (name, value) in env {
        text.push_str(&format!("{name}={value}\0"));
    }
    let root_abs = std::fs::canonicalize(root).ok()?;
    let mut outside = Outside::new(&root_abs);
    named_files(base, root, Folders::Keyed, &mut outside, &mut text)?;
    // Not folders: `HOME=/root` names no test.
    named_files(&env_words, root, Folders::Left, &mut outside, &mut text)?;
    for folder in root_abs.ancestors() {
        installed_packages(folder, &mut text);
    }
    for folder in root_abs.ancestors().skip(1) {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut configs: Vec<String> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !ancestor_config(&name) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            configs.push(format!("{name}\0{}\0{}", meta.len(), modified(&meta)));
        }
        configs.sort();
        text.push_str(&format!("{}/\0{}\0", folder.display(), configs.join("\0")));
    }
    // Through symlinks: a test folder linked from outside the project is
    // the project's (a link cycle is an error, and no list is kept).
    let walk = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped(e));
    for (count, entry) in walk.enumerate() {
        if count > MAX_FILES {
            return None;
        }
        // A dangling symlink, a link cycle, a folder that can't be read:
        // its path is in the key, and the walk goes on.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| p.strip_prefix(root).unwrap_or(p));
                let path = path.map(|p| p.to_string_lossy()).unwrap_or_default();
                text.push_str(&format!("unreadable\0{path}\0"));
                continue;
            }
        };
        // A folder is its path (what it holds is listed); its own
        // modification time changes with every output written in it.
        if entry.file_type().is_dir() {
            let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
            text.push_str(&format!("{}/\0", path.to_string_lossy()));
            continue;
        }
        let meta = entry.metadata().ok()?;
        let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        text.push_str(&format!(
            "{}\0{}\0{}\0",
            path.to_string_lossy(),
            meta.len(),
            modified(&meta)
        ));
        if meta.is_file() && is_config(&entry.file_name().to_string_lossy()) {
            referenced_outside(entry.path(), &mut outside, &mut text)?;
        }
    }
    Some(crate::hash::sha256_hex(text.as_bytes()))
}

/// Whether the project's walk leaves an entry out: hidden folders,
/// dependency and cache folders, pitcrew's outputs, what a run rewrites.
fn skipped(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    if name.starts_with("pitcrew-") {
        return true;
    }
    if !entry.file_type().is_dir() {
        return RUN_OUTPUTS.iter().any(|o| name.starts_with(o));
    }
    name.starts_with('.')
        || SKIPPED.contains(&name.as_ref())
        || TOOL_FOLDER_MARKS
            .iter()
            .any(|mark| entry.path().join(mark).is_file())
}

/// A runner's config that a folder above the project can hold.
fn ancestor_config(name: &str) -> bool {
    ANCESTOR_CONFIG.contains(&name) || ANCESTOR_CONFIG_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// A runner's config in the project, whose text may name files outside it.
fn is_config(name: &str) -> bool {
    ancestor_config(name) || name.starts_with("playwright.config.")
}

/// Most bytes of a config read for paths, and most entries keyed outside
/// the project in all (more, and the list is asked for every time).
const CONFIG_READ_BYTES: u64 = 256 * 1024;
const OUTSIDE_ENTRIES: usize = 20_000;

/// What is keyed outside the project: each folder once, within a budget.
struct Outside<'r> {
    root: &'r Path,
    seen: std::collections::HashSet<PathBuf>,
    left: usize,
}

impl<'r> Outside<'r> {
    fn new(root: &'r Path) -> Self {
        Self {
            root,
            seen: std::collections::HashSet::new(),
            left: OUTSIDE_ENTRIES,
        }
    }

    /// Every file under `path` (or `path` itself), by path, size and time,
    /// unless it is in the project (walked already) or was keyed before.
    /// `None`: over the budget.
    fn key_tree(&mut self, path: &Path, text: &mut String) -> Option<()> {
        let path = std::fs::canonicalize(path).ok()?;
        if path.starts_with(self.root) || !self.seen.insert(path.clone()) {
            return Some(());
        }
        let walk = WalkDir::new(&path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped(e))
            .flatten();
        for entry in walk {
            self.left = self.left.checked_sub(1)?;
            if let Some(meta) = entry.metadata().ok().filter(|m| m.is_file()) {
                text.push_str(&format!(
                    "outside\0{}\0{}\0{}\0",
                    entry.path().display(),
                    meta.len(),
                    modified(&meta)
                ));
            }
        }
        Some(())
    }
}

/// What a runner's config names outside the project (`require('../jest.base')`,
/// `roots: ['<rootDir>/../shared']`, `import '../shared/inc.js'`): each
/// `../…` in its text that leads out of the project, a file (JavaScript's
/// extensions tried) or every file under a folder. `None`: over the budget.
fn referenced_outside(config: &Path, outside: &mut Outside<'_>, text: &mut String) -> Option<()> {
    use std::io::Read as _;
    let mut body = String::new();
    let read = std::fs::File::open(config)
        .and_then(|f| f.take(CONFIG_READ_BYTES).read_to_string(&mut body));
    let (Ok(_), Some(dir)) = (read, config.parent()) else {
        return Some(());
    };
    let mut from = 0;
    while let Some(at) = body[from..].find("../").map(|i| from + i) {
        let end = body[at..]
            .find(|c: char| c.is_whitespace() || "'\"`,;)]}".contains(c))
            .map_or(body.len(), |i| at + i);
        from = end.max(at + 3);
        let reference = &body[at..end];
        let candidates = ["", ".js", ".cjs", ".mjs", ".ts", ".json"]
            .map(|ext| dir.join(format!("{reference}{ext}")));
        if let Some(path) = candidates.iter().find(|p| p.exists()) {
            outside.key_tree(path, text)?;
        }
    }
    Some(())
}

/// Each word of the command that names a file or folder (`--option=value`
/// and `-cvalue` too), inside the project or outside it: a file's size and
/// time, and what it names outside the project if it is a config; every
/// file of a folder outside the project (`pytest tests ../shared`).
/// `None`: over the budget.
fn named_files(
    base: &[String],
    root: &Path,
    folders: Folders,
    outside: &mut Outside<'_>,
    text: &mut String,
) -> Option<()> {
    let words = base
        .iter()
        .flat_map(|w| {
            [
                Some(w.as_str()),
                w.split_once('=').map(|(_, v)| v),
                attached_value(w),
            ]
        })
        .flatten();
    for word in words {
        let path = root.join(word);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_file() {
            text.push_str(&format!(
                "named\0{word}\0{}\0{}\0",
                meta.len(),
                modified(&meta)
            ));
            referenced_outside(&path, outside, text)?;
        } else if meta.is_dir() && folders == Folders::Keyed {
            outside.key_tree(&path, text)?;
        }
    }
    Some(())
}

/// A short option's value written on to it: `../ci/pytest.ini` of
/// `-c../ci/pytest.ini`.
fn attached_value(word: &str) -> Option<&str> {
    let attached = word.starts_with('-') && !word.starts_with("--") && word.len() > 2;
    attached.then(|| word.get(2..)).flatten()
}

/// Whether a folder a word names is keyed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Folders {
    Keyed,
    Left,
}

/// `folder`'s `node_modules`, when it has one: its own time (a package
/// added or removed) and the package manager's record of the install.
fn installed_packages(folder: &Path, text: &mut String) {
    let modules = folder.join("node_modules");
    let Ok(meta) = std::fs::metadata(&modules) else {
        return;
    };
    text.push_str(&format!("{}\0{}\0", modules.display(), modified(&meta)));
    for record in NODE_MODULES_RECORDS {
        if let Ok(meta) = std::fs::metadata(modules.join(record)) {
            text.push_str(&format!("{record}\0{}\0{}\0", meta.len(), modified(&meta)));
        }
    }
}

/// A folder's or file's modification time now; 0 when it is gone.
fn folder_time(path: &Path) -> u128 {
    std::fs::metadata(path).map_or(0, |m| modified(&m))
}

/// Nanoseconds since the epoch of the last change; 0 when unknown.
fn modified(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

pub(super) fn read(root: &Path, key: &str) -> Option<Listing> {
    let bytes = std::fs::read(root.join(FILE)).ok()?;
    let cached: Cached = serde_json::from_slice(&bytes).ok()?;
    let unchanged = cached
        .watched
        .iter()
        .all(|(folder, time)| folder_time(folder) == *time);
    (cached.key == key && unchanged && !cached.files.is_empty()).then_some(Listing {
        files: cached.files,
        tests: cached.tests,
    })
}

/// Best effort: a list that cannot be saved is asked for next time.
/// `watched`: folders outside the project the listing read from.
pub(super) fn write(root: &Path, key: &str, listing: &Listing, watched: &[PathBuf]) {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let watched = watched
        .iter()
        .filter(|folder| !folder.starts_with(&root))
        .map(|folder| (folder.clone(), folder_time(folder)))
        .collect();
    let cached = Cached {
        key: key.to_owned(),
        files: listing.files.clone(),
        watched,
        tests: listing.tests.clone(),
    };
    let path = root.join(FILE);
    let saved = serde_json::to_vec(&cached)
        .map_err(std::io::Error::other)
        .and_then(|json| {
            std::fs::create_dir_all(root.join(".pitcrew"))?;
            crate::output::write_atomic(&path, &json).map_err(std::io::Error::other)
        });
    if let Err(e) = saved {
        tracing::debug!("{}: cannot keep the test list: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super as cache;
    use std::fs;

    #[test]
    fn the_list_is_reused_until_a_project_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("project");
        fs::create_dir_all(root.join("tests")).unwrap();
        fs::write(root.join("tests/test_a.py"), "def test_a(): pass\n").unwrap();
        fs::create_dir_all(root.join("node_modules/x")).unwrap();
        let base = vec!["pytest".to_owned()];
        let key = |b: &[String]| cache::key("pytest", b, root).expect("a key");
        let first = key(&base);
        // The tests the listing named are kept with the files.
        let listing = super::Listing {
            files: vec!["tests/test_a.py".to_owned()],
            tests: Some(["tests/test_a.py::test_a".to_owned()].into()),
        };
        cache::write(root, &first, &listing, &[]);
        assert_eq!(cache::read(root, &first), Some(listing));
        // pitcrew's outputs, caches and dependencies change nothing.
        fs::write(root.join("pitcrew-results.json"), "{}").unwrap();
        fs::create_dir_all(root.join("tests/__pycache__")).unwrap();
        fs::write(root.join("tests/__pycache__/x.pyc"), "x").unwrap();
        fs::write(root.join("node_modules/x/.cache"), "x").unwrap();
        fs::write(root.join(".pytest_cache"), "x").unwrap();
        assert_eq!(key(&base), first);
        // Another command, a new file, a renamed one: a new key.
        assert_ne!(key(&["pytest".to_owned(), "-m".to_owned()]), first);
        fs::write(root.join("tests/test_b.py"), "def test_b(): pass\n").unwrap();
        let second = key(&base);
        assert_ne!(second, first);
        assert_eq!(cache::read(root, &second), None);
        fs::rename(root.join("tests/test_b.py"), root.join("tests/test_c.py")).unwrap();
        assert_ne!(key(&base), second);
        // An edited config (same size, later time is not guaranteed on
        // every file system: a different size is).
        let third = key(&base);
        fs::write(root.join("pytest.ini"), "[pytest]\n").unwrap();
        assert_ne!(key(&base), third);
        // So does a config above the project, which pytest reads too; any
        // other file there does not.
        let fourth = key(&base);
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert_eq!(key(&base), fourth);
        fs::write(
            dir.path().join("pytest.ini"),
            "[pytest]\npython_files = check_*.py\n",
        )
        .unwrap();
        assert_ne!(key(&base), fourth);
        // Runners whose list depends on a build are always asked.
        assert_eq!(cache::key("nextest", &base, root), None);
    }

    /// What the runner reads from outside the project: a config the
    /// command names, a folder a symlink leads to, an install in
    /// `node_modules`, a folder on pytest's `sys.path`.
    #[cfg(unix)] // symlinks
    #[test]
    fn what_the_listing_read_outside_the_project_is_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("project");
        let shared = dir.path().join("shared");
        fs::create_dir_all(root.join("tests")).unwrap();
        fs::create_dir_all(&shared).unwrap();
        fs::write(shared.join("ci.js"), "module.exports = {};\n").unwrap();
        std::os::unix::fs::symlink(&shared, root.join("tests/shared")).unwrap();
        fs::create_dir_all(root.join("node_modules/preset")).unwrap();
        let base: Vec<String> = ["jest", "--config=../shared/ci.js"]
            .map(String::from)
            .into();
        let key = || cache::key("jest", &base, root).expect("a key");
        let mut last = key();
        let mut changed = |what: &str, change: &dyn Fn()| {
            change();
            let now = key();
            assert_ne!(now, last, "{what}");
            last = now;
        };
        changed("the named config", &|| {
            fs::write(shared.join("ci.js"), "module.exports = { x: 1 };\n").unwrap()
        });
        changed("a file behind the symlink", &|| {
            fs::write(shared.join("new.test.js"), "").unwrap()
        });
        // A dangling link is in the key, which stays a key (a list to reuse).
        changed("a dangling link", &|| {
            std::os::unix::fs::symlink(dir.path().join("gone"), root.join("tests/dangling"))
                .unwrap()
        });
        // A config that reads a file and a folder outside the project (no
        // link leads there).
        let common = dir.path().join("common");
        fs::create_dir_all(common.join("more")).unwrap();
        changed("a config naming files outside", &|| {
            fs::write(
                root.join("jest.config.js"),
                "module.exports = { ...require('../common/base'), roots: ['<rootDir>/../common/more'] };\n",
            )
            .unwrap()
        });
        changed("the file it requires", &|| {
            fs::write(common.join("base.js"), "module.exports = {};\n").unwrap()
        });
        changed("a file in the folder it names", &|| {
            fs::write(common.join("more/x.test.js"), "").unwrap()
        });
        changed("an install", &|| {
            fs::write(root.join("node_modules/.package-lock.json"), "{}").unwrap()
        });
        // A folder the listing read from, watched by the kept list.
        let site = dir.path().join("site-packages");
        fs::create_dir_all(&site).unwrap();
        let key = key();
        cache::write(
            root,
            &key,
            &super::Listing::of_files(vec!["a.test.js".to_owned()]),
            std::slice::from_ref(&site),
        );
        assert!(cache::read(root, &key).is_some());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::create_dir_all(site.join("optional_package")).unwrap();
        assert_eq!(cache::read(root, &key), None, "an install there");
    }

    /// What changes the tests a runner collects, found by review: hidden
    /// configs, a `target` folder that is no build's, `pytest.toml` above
    /// the project, a folder outside it on the command line, `-cPATH`, and
    /// what a config named on the command line names.
    #[test]
    fn more_of_what_decides_collection_is_in_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("project");
        let shared = dir.path().join("shared");
        let ci = dir.path().join("ci");
        for folder in [root.join("tests/target"), shared.clone(), ci.clone()] {
            fs::create_dir_all(folder).unwrap();
        }
        fs::write(ci.join("pytest.ini"), "[pytest]\n").unwrap();
        fs::write(
            ci.join("jest.config.js"),
            "module.exports = { roots: ['../shared'] };\n",
        )
        .unwrap();
        let commands: [&[&str]; 4] = [
            &["pytest"],
            &["pytest", "tests", "../shared"],
            &["pytest", "-c../ci/pytest.ini"],
            &["jest", "--config", "../ci/jest.config.js"],
        ];
        let keys = || -> Vec<String> {
            commands
                .iter()
                .map(|c| {
                    let base: Vec<String> = c.iter().map(|w| w.to_string()).collect();
                    cache::key(c[0], &base, root).expect("a key")
                })
                .collect()
        };
        let mut last = keys();
        let mut changed = |what: &str, which: &[usize], change: &dyn Fn()| {
            change();
            let now = keys();
            for (i, (before, after)) in last.iter().zip(&now).enumerate() {
                assert_eq!(before != after, which.contains(&i), "{what}: command {i}");
            }
            last = now;
        };
        changed("a hidden config", &[0, 1, 2, 3], &|| {
            fs::write(
                root.join(".pytest.ini"),
                "[pytest]\npython_files = check_*.py\n",
            )
            .unwrap()
        });
        changed("a test in a target folder", &[0, 1, 2, 3], &|| {
            fs::write(root.join("tests/target/test_t.py"), "def test_t(): pass\n").unwrap()
        });
        changed("pytest.toml above", &[0, 1, 2, 3], &|| {
            fs::write(dir.path().join("pytest.toml"), "[pytest]\n").unwrap()
        });
        changed("a test in a folder named outside", &[1, 3], &|| {
            fs::write(shared.join("test_new.py"), "def test_new(): pass\n").unwrap()
        });
        changed("the config named with -c", &[2], &|| {
            fs::write(ci.join("pytest.ini"), "[pytest]\naddopts = -x\n").unwrap()
        });
        // Run outputs, and a build's own folder, change nothing.
        changed("coverage data and a build folder", &[], &|| {
            fs::write(root.join(".coverage"), "x").unwrap();
            fs::create_dir_all(root.join("target/debug")).unwrap();
            fs::write(root.join("target/CACHEDIR.TAG"), "Signature").unwrap();
        });
        fs::write(root.join("target/debug/x.test.js"), "").unwrap();
        changed("inside the build folder", &[], &|| {
            fs::write(root.join("target/debug/y.test.js"), "").unwrap()
        });
        // The shared folder is what jest's named config names (command 3
        // saw it change); another folder it comes to name:
        let extra = dir.path().join("extra");
        fs::create_dir_all(&extra).unwrap();
        changed("what a named config names", &[3], &|| {
            fs::write(
                ci.join("jest.config.js"),
                "module.exports = { roots: ['../shared', '../extra'] };\n",
            )
            .unwrap()
        });
        changed("a file there", &[3], &|| {
            fs::write(extra.join("a.test.js"), "").unwrap()
        });
    }

    /// Many configs naming one big folder outside: walked once; a tree
    /// over the budget is never kept.
    #[test]
    fn what_lies_outside_is_keyed_once_and_within_a_budget() {
        let dir = tempfile::tempdir().unwrap();
        let root = &dir.path().join("project");
        let big = dir.path().join("big");
        fs::create_dir_all(&big).unwrap();
        for i in 0..50 {
            let pkg = root.join(format!("packages/p{i}"));
            fs::create_dir_all(&pkg).unwrap();
            fs::write(pkg.join("package.json"), r#"{"x": "../../../big"}"#).unwrap();
        }
        for i in 0..100 {
            fs::write(big.join(format!("f{i}")), "").unwrap();
        }
        let base = vec!["jest".to_owned()];
        let key = cache::key("jest", &base, root).expect("a key");
        assert_eq!(key.len(), 64);
        let mut outside = super::Outside::new(dir.path());
        outside.left = 10;
        let mut text = String::new();
        assert_eq!(
            outside.key_tree(&big, &mut text),
            Some(()),
            "inside its root"
        );
        let mut outside = super::Outside::new(root);
        outside.left = 10;
        assert_eq!(outside.key_tree(&big, &mut text), None, "over the budget");
    }
}
