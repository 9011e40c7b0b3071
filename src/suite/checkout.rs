//! Which tree a checkout is: the plan says where it was made, and each
//! matrix job's checkout must hold that tree, or its shard runs another
//! tree's tests (a file added since runs nowhere, one deleted is "missing"
//! for reasons nobody can see). Trees, not commits, are compared: a job
//! that merges the base again, or amends, holds the same tests.

use std::path::Path;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::InputError;
use crate::escape::control_chars;

/// A checkout as git names it: the commit, and its tree, which is what
/// decides the tests (a commit amended or merged again to the same tree
/// holds the same tests).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Checkout {
    pub commit: String,
    pub tree: String,
}

/// What is checked out in `dir` (git's `HEAD`); none outside a git
/// repository, before its first commit, or without git.
pub fn current(dir: &Path) -> Option<Checkout> {
    let out = Command::new("git")
        .args(["show", "--no-patch", "--format=%H%n%T", "HEAD"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines().map(str::trim);
    let (commit, tree) = (lines.next()?, lines.next()?);
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(commit) && hex(tree)).then(|| Checkout {
        commit: commit.to_owned(),
        tree: tree.to_owned(),
    })
}

/// An error when the plan at `plan_path` was made on another tree than
/// the one checked out in `dir`; nothing to compare is no error (a plan of
/// an older pitcrew, a tree outside git).
pub fn check_plan(
    planned: Option<&Checkout>,
    plan_path: &Path,
    dir: &Path,
) -> Result<(), InputError> {
    let (Some(planned), Some(here)) = (planned, current(dir)) else {
        return Ok(());
    };
    if planned.tree == here.tree {
        return Ok(());
    }
    let short =
        |commit: &str| control_chars(&commit.chars().take(12).collect::<String>()).into_owned();
    Err(InputError::new(format!(
        "{}: checkout: the plan was made at commit {} but this checkout is {}, another tree: its shard would run other tests than the plan's (check out the plan's commit, or split again)",
        plan_path.display(),
        short(&planned.commit),
        short(&here.commit)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn a_plan_of_another_tree_is_refused_and_one_of_this_tree_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let plan = Path::new("plan.json");
        let other = Checkout {
            commit: "0123456789abcdef\u{1b}[31m".into(),
            tree: "fedcba".into(),
        };
        // Outside git, or before the first commit: nothing to compare.
        assert!(check_plan(Some(&other), plan, dir.path()).is_ok());
        git(dir.path(), &["init", "-q"]);
        assert_eq!(current(dir.path()), None);
        std::fs::write(dir.path().join("a"), "a").unwrap();
        git(dir.path(), &["add", "a"]);
        git(dir.path(), &["commit", "-q", "-m", "a"]);
        let here = current(dir.path()).unwrap();
        assert_eq!(here.commit.len(), 40);
        assert!(check_plan(Some(&here), plan, dir.path()).is_ok());
        assert!(check_plan(None, plan, dir.path()).is_ok());
        // Another commit of the same tree holds the same tests.
        git(dir.path(), &["commit", "-q", "--amend", "-m", "a, again"]);
        assert_ne!(current(dir.path()).unwrap().commit, here.commit);
        assert!(check_plan(Some(&here), plan, dir.path()).is_ok());
        let error = check_plan(Some(&other), plan, dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("plan.json: checkout: the plan was made at commit 0123456789ab but this checkout is "),
            "{error}"
        );
    }
}
