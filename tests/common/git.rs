//! Tiny git repositories for the tests that verify fixes in a worktree.

use std::path::Path;
use std::process::Command;

/// Runs `git -C dir ARGS`, panicking with git's stderr when it fails, and
/// returns its standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git prints UTF-8")
}

/// Commits everything in `dir` (new files too) with a fixed identity, so the
/// tests need no git configuration of the machine.
pub fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "commit",
            "-qm",
            message,
        ],
    );
}

/// A new repository with `files` (path, text) written and committed.
pub fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), files);
    commit_all(dir.path(), "init");
    dir
}

/// Writes `files` (path, text) under `root`, creating their folders.
pub fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder created");
        }
        std::fs::write(path, text).expect("file written");
    }
}
