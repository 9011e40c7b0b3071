//! Which commit a tree is: the plan says where it was made, and each
//! matrix job's checkout must be that commit, or its shard runs another
//! tree's tests (a file added since runs nowhere, one deleted is "missing"
//! for reasons nobody can see).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::InputError;
use crate::escape::control_chars;

/// The commit checked out in `dir` (git's `HEAD`); none outside a git
/// repository, before its first commit, or without git.
pub fn head(dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let head = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !head.is_empty()).then_some(head)
}

/// An error when the plan at `plan_path` was made at a commit other than
/// the one checked out in `dir`; nothing to compare is no error (a plan of
/// an older pitcrew, a tree outside git).
pub fn check_plan_commit(
    planned: Option<&str>,
    plan_path: &Path,
    dir: &Path,
) -> Result<(), InputError> {
    let (Some(planned), Some(here)) = (planned, head(dir)) else {
        return Ok(());
    };
    if planned == here {
        return Ok(());
    }
    let short =
        |commit: &str| control_chars(&commit.chars().take(12).collect::<String>()).into_owned();
    Err(InputError::new(format!(
        "{}: commit: the plan was made at {} but this checkout is {}: its shard would run another tree's tests (check out the plan's commit, or split again)",
        plan_path.display(),
        short(planned),
        short(&here)
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
    fn a_plan_of_another_commit_is_refused_and_one_of_this_commit_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let plan = Path::new("plan.json");
        // Outside git, or before the first commit: nothing to compare.
        assert!(check_plan_commit(Some("abc"), plan, dir.path()).is_ok());
        git(dir.path(), &["init", "-q"]);
        assert_eq!(head(dir.path()), None);
        std::fs::write(dir.path().join("a"), "a").unwrap();
        git(dir.path(), &["add", "a"]);
        git(dir.path(), &["commit", "-q", "-m", "a"]);
        let here = head(dir.path()).unwrap();
        assert_eq!(here.len(), 40);
        assert!(check_plan_commit(Some(&here), plan, dir.path()).is_ok());
        assert!(check_plan_commit(None, plan, dir.path()).is_ok());
        let error = check_plan_commit(Some("0123456789abcdef\u{1b}[31m"), plan, dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(
                "plan.json: commit: the plan was made at 0123456789ab but this checkout is "
            ),
            "{error}"
        );
        assert!(error.contains(&here[..12]), "{error}");
    }
}
