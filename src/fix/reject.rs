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
        let mut checked = Vec::with_capacity(edits.len());
        for edit in edits {
            let file = normalise(&edit.file).map_err(|why| Rejection::Outside {
                file: edit.file.clone(),
                why,
            })?;
            if passes_a_symlink(&self.root, &file) {
                return Err(Rejection::Outside {
                    file,
                    why: "a symlink on its path",
                });
            }
            if let Some(why) = private(&self.root, &file) {
                return Err(Rejection::Private { file, why });
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
                // `.GIT` is the same folder on a case-insensitive disk.
                if part.eq_ignore_ascii_case(".git") {
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
    if parts.is_empty() {
        return Err("an empty path");
    }
    Ok(parts.join("/"))
}

/// `file` as a clean path relative to `root` when it names a regular file
/// inside it: an absolute path only when it resolves under `root`, no `..`,
/// not in `.git`, and no symlink on its path (`root` must be canonical). A
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
    if passes_a_symlink(root, &file) || private(root, &file).is_some() {
        return None;
    }
    // A FIFO or a device would block or never end a read.
    std::fs::metadata(root.join(&file))
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|_| file)
}

/// Why `file` (normalised, under the canonical `root`) holds what never
/// leaves the machine, if it does: a credentials file by its name
/// (`.env`, `.npmrc`, keys, `.ssh/`…), or a file git ignores (local
/// settings, build output). A report may name any file as a test's or a
/// frame's, and a model may edit any file it names.
pub(crate) fn private(root: &Path, file: &str) -> Option<&'static str> {
    const FILES: &[&str] = &[
        ".env",
        ".npmrc",
        ".yarnrc.yml",
        ".pypirc",
        ".netrc",
        "_netrc",
        ".git-credentials",
        ".htpasswd",
        ".pgpass",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
    ];
    const EXTENSIONS: &[&str] = &[
        ".pem",
        ".key",
        ".p12",
        ".pfx",
        ".jks",
        ".keystore",
        ".kdbx",
        ".ppk",
        ".asc",
        ".gpg",
    ];
    const FOLDERS: &[&str] = &[".ssh", ".aws", ".gnupg", ".docker", ".kube", ".azure"];
    let lower = file.to_ascii_lowercase();
    let (folders, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
    let credentials = FILES.contains(&name)
        || name.starts_with(".env.")
        || EXTENSIONS.iter().any(|ext| name.ends_with(ext))
        || folders.split('/').any(|f| FOLDERS.contains(&f));
    if credentials {
        return Some("a credentials file");
    }
    // `git check-ignore` exits 0 for an ignored path, 1 for one that is
    // not, 128 outside a repository (then nothing is known to be ignored).
    let ignored = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["check-ignore", "-q", "--", file])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    ignored.then_some("ignored by git")
}

/// Whether any part of `file`'s path under `root` (`root` excluded, which
/// is canonical) is a symlink. One that resolves inside the root is refused
/// too: it may name the repository's `.git` (`g -> .git`, then `g/config`),
/// and in a copy made to verify in, an absolute link still points at the
/// working tree, so a write there lands in the user's files.
pub(crate) fn passes_a_symlink(root: &Path, file: &str) -> bool {
    let mut path = root.to_path_buf();
    for part in file.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            // What does not exist yet is no link.
            Err(_) => return false,
        }
    }
    false
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
