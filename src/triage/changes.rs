//! The change under test, for priorities: `--changed-files FILE` (one path
//! a line) or `--base REF` (git: what differs between the merge base of REF
//! and HEAD and the working tree, uncommitted edits included).

use std::path::Path;
use std::process::Command;

use crate::InputError;
use crate::escape::control_chars;
use crate::suite::changed::Changes;

/// The changed paths since `base`, asking git in `dir`. A REF git does not
/// know, or no git, is bad input naming `--base`.
pub fn since(base: &str, dir: &Path) -> Result<Changes, InputError> {
    if base.starts_with('-') {
        return Err(InputError::new(format!(
            "--base: `{}` is not a git revision",
            control_chars(base)
        )));
    }
    let merge_base = git(dir, &["merge-base", base, "HEAD"], base)?;
    let merge_base = merge_base.trim();
    let changed = git(dir, &["diff", "--name-only", merge_base, "--"], base)?;
    Ok(Changes::new(changed.lines().map(str::trim)))
}

fn git(dir: &Path, args: &[&str], base: &str) -> Result<String, InputError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| InputError::new(format!("--base: cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(InputError::new(format!(
            "--base: `{}`: git {}: {}",
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
}
