//! The change under test, for priorities: `--changed-files FILE` (one path
//! a line) or `--base REF` (git: what differs between the merge base of REF
//! and HEAD and the working tree, uncommitted edits included); with
//! neither, in a GitHub Actions pull request, the same against
//! `origin/$GITHUB_BASE_REF`.

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use crate::InputError;
use crate::escape::control_chars;
use crate::suite::changed::Changes;

/// Where the changed files came from, as the report says it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangeSource {
    /// `--changed-files`, `--base` or `GITHUB_BASE_REF`.
    pub from: &'static str,
    /// The file read, or the revision compared with.
    pub since: String,
    /// Changed paths.
    pub count: usize,
}

impl ChangeSource {
    /// `3 changed files since origin/main (GITHUB_BASE_REF)`.
    pub fn describe(&self) -> String {
        let preposition = match self.from {
            "--changed-files" => "listed in",
            _ => "since",
        };
        format!(
            "{} changed file{} {preposition} {} ({})",
            self.count,
            if self.count == 1 { "" } else { "s" },
            control_chars(&self.since),
            self.from
        )
    }
}

/// The changes `triage` ranks by: `--changed-files`, else `--base`, else
/// (in GitHub Actions) `origin/$GITHUB_BASE_REF` given as `github_base_ref`.
/// A flag that cannot be honoured is bad input; the variable is a default,
/// so a name that is not a plausible branch, or a base missing from a
/// shallow checkout, is one warning and no changes.
pub fn resolve(
    changed_files: Option<&Path>,
    base: Option<&str>,
    github_base_ref: Option<&str>,
    dir: &Path,
) -> Result<Option<(Changes, ChangeSource)>, InputError> {
    let found = |from, since: String, changes: Changes| {
        let count = changes.len();
        Some((changes, ChangeSource { from, since, count }))
    };
    if let Some(path) = changed_files {
        let changes = Changes::read(path)?;
        return Ok(found(
            "--changed-files",
            path.display().to_string(),
            changes,
        ));
    }
    if let Some(base) = base {
        return Ok(found("--base", base.to_string(), since(base, dir)?));
    }
    let Some(name) = github_base_ref else {
        return Ok(None);
    };
    match from_base_branch(name, dir) {
        Ok((since, changes)) => Ok(found("GITHUB_BASE_REF", since, changes)),
        Err(why) => {
            tracing::warn!("{why}");
            Ok(None)
        }
    }
}

/// The change under test for `report` and `test`, which rank their failure
/// groups by it without having been asked to: in a GitHub Actions pull
/// request, what differs from `origin/$GITHUB_BASE_REF` when the checkout
/// has it. actions/checkout is shallow by default, so a missing base is
/// said at info level only (`triage` warns: there it is the default the
/// user relies on).
pub fn in_pull_request(dir: &Path) -> Option<Changes> {
    let name = github_base_ref()?;
    match from_base_branch(&name, dir) {
        Ok((since, changes)) => {
            tracing::info!(
                "the change under test: {} changed file(s) since {since} (GITHUB_BASE_REF)",
                changes.len()
            );
            Some(changes)
        }
        Err(why) => {
            tracing::info!("{why}");
            None
        }
    }
}

/// `GITHUB_BASE_REF` when running in GitHub Actions and set (GitHub sets it
/// on pull request events only).
pub fn github_base_ref() -> Option<String> {
    if std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
        return None;
    }
    let name = std::env::var_os("GITHUB_BASE_REF")?;
    let name = name.to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

/// The changes since `origin/<name>`, or the one line saying why there are
/// none (already escaped).
fn from_base_branch(name: &str, dir: &Path) -> Result<(String, Changes), String> {
    if let Err(why) = plausible_branch(name) {
        return Err(format!(
            "GITHUB_BASE_REF `{}` is not a branch name ({why}): triage goes on without changed files",
            control_chars(name)
        ));
    }
    let remote = format!("origin/{name}");
    let missing = |what: &str| {
        format!(
            "GITHUB_BASE_REF `{name}`: {what} (a shallow clone?), so triage goes on without changed files; use `fetch-depth: 0` on actions/checkout or run `git fetch origin {name}`"
        )
    };
    // The full ref name: nothing git could read as an option or another ref.
    let full = format!("refs/remotes/{remote}");
    let present = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", &full])
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        return Err(missing(&format!("{remote} is not in this checkout")));
    }
    // Present but with no merge base: a shallow history that stops short.
    changes_since(&full, dir, "GITHUB_BASE_REF")
        .map(|changes| (remote.clone(), changes))
        .map_err(|_| missing(&format!("{remote} and HEAD share no history here")))
}

/// Whether `name` reads as a branch name: git's own rules for ref names
/// (`git check-ref-format`), narrowed to the characters branch names use,
/// so nothing in it can reach git as an option, a revision expression or
/// a control sequence.
fn plausible_branch(name: &str) -> Result<(), &'static str> {
    if name.len() > 255 {
        return Err("longer than 255 bytes");
    }
    if name.starts_with('-') {
        return Err("it starts with `-`");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-/+".contains(&b))
    {
        return Err("only letters, digits and `._-/+` are accepted");
    }
    if name.contains("..") || name.ends_with(".lock") || name.ends_with('.') {
        return Err("`..`, or a `.` or `.lock` ending");
    }
    if name
        .split('/')
        .any(|part| part.is_empty() || part.starts_with('.'))
    {
        return Err("an empty or hidden path component");
    }
    Ok(())
}

/// The changed paths since `base`, asking git in `dir`. A REF git does not
/// know, or no git, is bad input naming `--base`.
pub fn since(base: &str, dir: &Path) -> Result<Changes, InputError> {
    changes_since(base, dir, "--base")
}

/// [`since`], its errors naming `field`.
fn changes_since(base: &str, dir: &Path, field: &str) -> Result<Changes, InputError> {
    if base.starts_with('-') {
        return Err(InputError::new(format!(
            "{field}: `{}` is not a git revision",
            control_chars(base)
        )));
    }
    let git = |args: &[&str]| git(dir, args, base, field);
    let merge_base = git(&["merge-base", base, "HEAD"])?;
    let merge_base = merge_base.trim();
    let changed = git(&["diff", "--name-only", merge_base, "--"])?;
    Ok(Changes::new(changed.lines().map(str::trim)))
}

fn git(dir: &Path, args: &[&str], base: &str, field: &str) -> Result<String, InputError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| InputError::new(format!("{field}: cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(InputError::new(format!(
            "{field}: `{}`: git {}: {}",
            control_chars(base),
            args[0],
            control_chars(first)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn the_changes_since_a_base_include_uncommitted_edits() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        run(d, &["init", "-q", "-b", "main"]);
        std::fs::write(d.join("a.py"), "1").unwrap();
        std::fs::write(d.join("b.py"), "1").unwrap();
        run(d, &["add", "."]);
        run(d, &["commit", "-qm", "one"]);
        run(d, &["checkout", "-qb", "topic"]);
        std::fs::write(d.join("a.py"), "2").unwrap();
        run(d, &["commit", "-qam", "two"]);
        std::fs::write(d.join("b.py"), "2").unwrap();
        let changes = since("main", d).unwrap();
        assert_eq!(changes.len(), 2);
        assert!(changes.touches("a.py") && changes.touches("tests/test_b.py"));
        let err = since("nope", d).unwrap_err().to_string();
        assert!(err.starts_with("--base: `nope`: git merge-base:"), "{err}");
        assert!(since("--output=x", d).is_err());
    }

    #[test]
    fn only_plausible_branch_names_reach_git() {
        for name in [
            "main",
            "release/1.2",
            "feature+x",
            "dependabot/npm_and_yarn/a-1.0",
        ] {
            assert_eq!(plausible_branch(name), Ok(()), "{name}");
        }
        for name in [
            "",
            "--upload-pack=x",
            "-x",
            "main\nrefs",
            "\u{1b}[31mred",
            "a..b",
            "a/.b",
            "x.lock",
            "a/",
            "/a",
            "a//b",
            "HEAD@{1}",
            "a~1",
            "a b",
        ] {
            assert!(plausible_branch(name).is_err(), "{name:?}");
        }
    }

    /// A repository on `topic` with `a.py` changed since `main`, whose
    /// `origin/main` is `main` (as a checkout of a pull request has it).
    fn topic_branch() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        run(d, &["init", "-q", "-b", "main"]);
        std::fs::write(d.join("a.py"), "1").unwrap();
        run(d, &["add", "."]);
        run(d, &["commit", "-qm", "one"]);
        run(d, &["update-ref", "refs/remotes/origin/main", "main"]);
        run(d, &["checkout", "-qb", "topic"]);
        std::fs::write(d.join("a.py"), "2").unwrap();
        run(d, &["commit", "-qam", "two"]);
        dir
    }

    #[test]
    fn the_base_branch_is_the_default_and_the_flags_win() {
        let dir = topic_branch();
        let d = dir.path();
        let (changes, source) = resolve(None, None, Some("main"), d).unwrap().unwrap();
        assert!(changes.touches("a.py"));
        assert_eq!(
            source.describe(),
            "1 changed file since origin/main (GITHUB_BASE_REF)"
        );
        // `--base` wins over the variable, even one that would fail.
        let (_, source) = resolve(None, Some("HEAD"), Some("gone"), d)
            .unwrap()
            .unwrap();
        assert_eq!((source.from, source.count), ("--base", 0));
        let list = d.join("changed.txt");
        std::fs::write(&list, "b.py\nc.py\n").unwrap();
        let (_, source) = resolve(Some(&list), Some("HEAD"), Some("main"), d)
            .unwrap()
            .unwrap();
        assert_eq!((source.from, source.count), ("--changed-files", 2));
        assert_eq!(resolve(None, None, None, d).unwrap(), None);
    }

    #[test]
    fn a_missing_or_hostile_base_branch_means_no_changes_not_an_error() {
        let dir = topic_branch();
        let d = dir.path();
        for name in ["gone", "--upload-pack=touch pwned", "main\n\u{1b}[2J"] {
            assert_eq!(
                resolve(None, None, Some(name), d).unwrap(),
                None,
                "{name:?}"
            );
        }
        assert!(!d.join("pwned").exists());
        // A flag that cannot be honoured stays an error.
        assert!(resolve(None, Some("gone"), Some("main"), d).is_err());
    }
}
