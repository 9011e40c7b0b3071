//! Rejecting an edit before anything runs, with the reason:
//! - outside the repository: an absolute path, a `..`, the `.git`
//!   directory (in any case), or a path through a symlink (checked on the
//!   real tree): a link may point out of the root, at the repository's own
//!   `.git`, or at the working tree from inside a copy made to verify in;
//! - unrelated to the failure: only the failing tests' files, the files in
//!   their stacks and the files the change under test touched may change;
//! - weakening a test: in a test file, an assertion removed (deleted or
//!   commented out) or neutralised (`assert True`, `expect(true)`, both
//!   sides the same); anywhere, a skip marker added (`@pytest.mark.skip`,
//!   `it.skip`, `xit`, `t.Skip()`, `#[ignore]`, …).

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::apply::ApplyError;
use super::edit::Edit;
use super::private;

/// Why a candidate edit was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("{file}: outside the repository ({why})")]
    Outside { file: String, why: &'static str },
    #[error("{file}: private ({why}): never read for a model, never edited")]
    Private { file: String, why: &'static str },
    #[error(
        "{file}: not related to the failure (only the failing tests' files, the files in their stacks and the files the change touched may change)"
    )]
    Unrelated { file: String },
    #[error("{file}: weakens the test ({why})")]
    WeakensTest { file: String, why: String },
    #[error("{0}")]
    Apply(#[from] ApplyError),
    #[error("no usable SEARCH/REPLACE block in the answer{0}")]
    NoEdits(String),
}

/// The files a fix may change, under one root.
#[derive(Clone, Debug)]
pub struct Scope {
    root: PathBuf,
    allowed: BTreeSet<String>,
    test_files: BTreeSet<String>,
}

impl Scope {
    /// `allowed` and `test_files` are paths relative to `root`; the failing
    /// tests' files belong in both. Fails when `root` cannot be resolved.
    pub fn new<A, T>(root: &Path, allowed: A, test_files: T) -> io::Result<Self>
    where
        A: IntoIterator<Item = String>,
        T: IntoIterator<Item = String>,
    {
        let clean = |paths: Vec<String>| -> BTreeSet<String> {
            paths.iter().filter_map(|p| normalise(p).ok()).collect()
        };
        let test_files = clean(test_files.into_iter().collect());
        let mut allowed = clean(allowed.into_iter().collect());
        allowed.extend(test_files.iter().cloned());
        Ok(Self {
            root: root.canonicalize()?,
            allowed,
            test_files,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The files a fix may change.
    pub fn allowed(&self) -> &BTreeSet<String> {
        &self.allowed
    }

    /// Whether `file` (normalised) is a test file: a failing test's, or
    /// named like one.
    pub fn is_test_file(&self, file: &str) -> bool {
        self.test_files.contains(file) || looks_like_test_file(file)
    }

    /// The edits with their paths normalised, or the first reason to reject them.
    pub fn check(&self, edits: &[Edit]) -> Result<Vec<Edit>, Rejection> {
        // What git ignores, asked once for every edit's file.
        let files: Vec<String> = edits
            .iter()
            .filter_map(|e| normalise(&e.file).ok())
            .collect();
        let ignored = private::ignored_by_git(&self.root, &files);
        let mut checked = Vec::with_capacity(edits.len());
        for edit in edits {
            let file = normalise(&edit.file).map_err(|why| Rejection::Outside {
                file: edit.file.clone(),
                why,
            })?;
            if let Some(why) = unsafe_path(&self.root, &file) {
                return Err(why.rejection(file));
            }
            if ignored.contains(&file) {
                return Err(Rejection::Private {
                    file,
                    why: "ignored by git",
                });
            }
            if !self.allowed.contains(&file) {
                return Err(Rejection::Unrelated { file });
            }
            if let Some(why) = weakens(&edit.search, &edit.replace, self.is_test_file(&file)) {
                return Err(Rejection::WeakensTest { file, why });
            }
            checked.push(Edit {
                file,
                ..edit.clone()
            });
        }
        Ok(checked)
    }
}

/// `file` as a clean relative path (`/` separators, no `.`), or why it
/// is not one inside the repository.
pub fn normalise(file: &str) -> Result<String, &'static str> {
    let file = file.replace('\\', "/");
    let path = Path::new(&file);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str().ok_or("not UTF-8")?;
                // `.GIT` is the same folder on a case-insensitive disk, and
                // so are `.git.`, `.git ` and `GIT~1` on Windows.
                let bare = part.trim_end_matches(['.', ' ']);
                if bare.eq_ignore_ascii_case(".git") || bare.eq_ignore_ascii_case("git~1") {
                    return Err("inside .git");
                }
                parts.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err("`..` in the path"),
            Component::RootDir | Component::Prefix(_) => return Err("an absolute path"),
        }
    }
    // `C:foo` has no separator after the drive on Unix: still absolute on Windows.
    if parts
        .first()
        .is_some_and(|p| p.len() >= 2 && p.as_bytes()[1] == b':')
    {
        return Err("an absolute path");
    }
    // Windows reads `.git::$INDEX_ALLOCATION` and `.npmrc::$DATA` (streams)
    // by their `:`.
    if parts.iter().any(|part| part.contains(':')) {
        return Err("a `:` in a name");
    }
    if parts.is_empty() {
        return Err("an empty path");
    }
    Ok(parts.join("/"))
}

/// `file` as a clean path relative to `root` when it names a regular file
/// inside it: an absolute path only when it resolves under `root`, no `..`,
/// not in `.git`, no foreign symlink on its path, no credentials file
/// (`root` must be canonical; [`readable`] also leaves out what git
/// ignores). A
/// report's paths are the tests' own words, so a report may name
/// `/proc/self/environ` or `../.env`: what is sent to a model is read only
/// through this.
pub fn inside(root: &Path, file: &str) -> Option<String> {
    // A runner may report an absolute path: one under the root is the
    // same file by its relative name.
    let path = Path::new(file);
    let relative;
    let file = if path.is_absolute() {
        let real = path.canonicalize().ok()?;
        relative = real.strip_prefix(root).ok()?.to_str()?.to_owned();
        relative.as_str()
    } else {
        file
    };
    let file = normalise(file).ok()?;
    // A FIFO or a device would block or never end a read.
    let regular = std::fs::metadata(root.join(&file)).is_ok_and(|m| m.is_file());
    (regular && unsafe_path(root, &file).is_none()).then_some(file)
}

/// Why a normalised path may be neither read for a model nor edited,
/// whatever git says of it.
enum Unsafe {
    ForeignLink,
    Credentials,
}

impl Unsafe {
    fn rejection(self, file: String) -> Rejection {
        match self {
            Unsafe::ForeignLink => Rejection::Outside {
                file,
                why: "a symlink on its path leads elsewhere",
            },
            Unsafe::Credentials => Rejection::Private {
                file,
                why: "a credentials file",
            },
        }
    }
}

/// The checks [`inside`] and [`Scope::check`] share.
fn unsafe_path(root: &Path, file: &str) -> Option<Unsafe> {
    if private::through_a_foreign_link(root, file) {
        Some(Unsafe::ForeignLink)
    } else if private::credentials(file) {
        Some(Unsafe::Credentials)
    } else {
        None
    }
}

/// The `files` [`inside`] accepts, each once, in order, without those git
/// ignores (asked once for all): what may be read for a model.
pub fn readable(root: &Path, files: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let inside: Vec<String> = files
        .iter()
        .filter_map(|file| inside(root, file))
        .filter(|file| seen.insert(file.clone()))
        .collect();
    let ignored = private::ignored_by_git(root, &inside);
    inside
        .into_iter()
        .filter(|f| !ignored.contains(f))
        .collect()
}

/// Whether `file` is named like a test file (in a test directory, or a
/// runner's naming: `test_x.py`, `x_test.go`, `x.test.ts`, `x.spec.js`…).
pub fn looks_like_test_file(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let in_test_dir = file
        .split('/')
        .any(|part| matches!(part, "test" | "tests" | "__tests__" | "spec" | "e2e"));
    in_test_dir
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains("_spec.")
}

/// Why replacing `search` with `replace` weakens a test, if it does.
fn weakens(search: &str, replace: &str, test_file: bool) -> Option<String> {
    let before: Vec<&str> = search.lines().map(str::trim).collect();
    let after: Vec<&str> = replace.lines().map(str::trim).collect();
    let added = || after.iter().filter(|l| !before.contains(l));
    if let Some(line) = added().find(|l| !is_comment(l) && SKIP.is_match(l)) {
        return Some(format!("adds a skip marker: `{line}`"));
    }
    if !test_file {
        return None;
    }
    if let Some(line) = added().find(|l| !is_comment(l) && is_trivial(l)) {
        return Some(format!("neutralises an assertion: `{line}`"));
    }
    let assertions = |lines: &[&str]| lines.iter().filter(|l| is_assertion(l)).count();
    if assertions(&after) < assertions(&before) {
        let removed = before
            .iter()
            .find(|l| is_assertion(l) && !after.contains(l))
            .unwrap_or(&"");
        return Some(format!("removes an assertion: `{removed}`"));
    }
    None
}

fn is_comment(line: &str) -> bool {
    ["#", "//", "/*", "*"].iter().any(|c| line.starts_with(c)) && !line.starts_with("#[")
}

fn is_assertion(line: &str) -> bool {
    !is_comment(line)
        && !line.starts_with("import ")
        && !line.starts_with("from ")
        && !line.contains("require(")
        && ASSERTION.is_match(line)
}

/// An assertion that cannot fail: a constant truth, or both sides the same.
fn is_trivial(line: &str) -> bool {
    if TRIVIAL.is_match(line) {
        return true;
    }
    SAME_SIDES
        .iter()
        .filter_map(|rule| rule.captures(line))
        .any(|c| c["a"].trim() == c["b"].trim())
}

fn rule(pattern: &str) -> Regex {
    // Constants: a typo is caught by every test that checks an edit.
    Regex::new(pattern).expect("rejection pattern compiles")
}

static ASSERTION: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"\bassert\b|\bassert_\w+!?\s*\(|\bassert!\s*\(|\bexpect\s*\(|\bself\.assert\w*\s*\(|\bt\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|\.should\b|\b(assertEquals|assertTrue|assertThat)\s*\(",
    )
});

static TRIVIAL: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"^assert\s*\(?\s*(True|1|not\s+False|not\s+None)\s*\)?\s*(,.*)?$|\bself\.assertTrue\(\s*True\s*\)|\bexpect\(\s*(true|1|!0|!false)\s*\)|\bassert(\.ok)?\(\s*(true|1)\s*\)|\bassert!\(\s*true\s*\)|\bassertTrue\(\s*true\s*\)",
    )
});

static SAME_SIDES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        rule(r"^assert\s+(?P<a>[^=!<>]+?)\s*==\s*(?P<b>[^,]+?)\s*(,.*)?$"),
        rule(r"\bexpect\((?P<a>[^()]*)\)\.(toBe|toEqual|toStrictEqual)\((?P<b>[^()]*)\)"),
        rule(
            r"\bassert\.(equal|strictEqual|deepEqual|deepStrictEqual)\(\s*(?P<a>[^,()]+?)\s*,\s*(?P<b>[^,()]+?)\s*[,)]",
        ),
        rule(r"\bassert_eq!\(\s*(?P<a>[^,()]+?)\s*,\s*(?P<b>[^,()]+?)\s*[,)]"),
        rule(r"\bself\.assertEqual\(\s*(?P<a>[^,()]+?)\s*,\s*(?P<b>[^,()]+?)\s*[,)]"),
    ]
});

static SKIP: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"@pytest\.mark\.(skip|skipif|xfail)\b|\bpytest\.(skip|xfail)\s*\(|@unittest\.skip|\bunittest\.SkipTest\b|\bself\.skipTest\s*\(|\b(it|test|describe|context|suite)\.(skip|todo|only)\b|\b(xit|xtest|xdescribe|xcontext)\s*\(|\bt\.(Skip|SkipNow|Skipf)\s*\(|\bt\.(skip|todo)\s*\(|#\[ignore\b|\{\s*(skip|todo)\s*:\s*true",
    )
});

#[cfg(test)]
#[path = "reject_tests.rs"]
mod tests;
