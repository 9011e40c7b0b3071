use super::*;

#[test]
fn credentials_files_by_their_names_as_any_system_reads_them() {
    for file in [
        ".env",
        ".env.local",
        "app/.ENV",
        ".npmrc",
        "deploy/id_ed25519",
        "certs/server.PEM",
        "certs/server.pem.",
        "home/.ssh/config",
        "ci/.aws/credentials",
        ".npmrc ",
    ] {
        assert!(credentials(file), "{file}");
    }
    for file in ["calc.py", "tests/test_env.py", "docs/keys.md", "src/ssh.rs"] {
        assert!(!credentials(file), "{file}");
    }
}

#[test]
fn git_is_asked_once_for_all_files_and_unknown_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let files = ["a.log", "b.py", "build/c.js"].map(String::from);
    // Outside a repository nothing is ignored.
    assert!(ignored_by_git(&root, &files).is_empty());
    crate::fix::sandbox::tests::run_git(&root, &["init", "-q"]);
    std::fs::write(root.join(".gitignore"), "*.log\nbuild/\n").unwrap();
    let ignored: Vec<String> = ignored_by_git(&root, &files).into_iter().collect();
    assert_eq!(ignored, ["a.log", "build/c.js"]);
    // A repository git cannot read: every file is taken as ignored.
    std::fs::write(root.join(".git/HEAD"), "not a ref\n").unwrap();
    assert_eq!(ignored_by_git(&root, &files).len(), 3);
}

#[cfg(unix)]
#[test]
fn a_relative_link_inside_is_no_foreign_link_and_a_chain_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("shared/x.py"), "x\n").unwrap();
    std::os::unix::fs::symlink("../shared", root.join("pkg/shared")).unwrap();
    assert!(!through_a_foreign_link(&root, "pkg/shared/x.py"));
    // A relative link to an absolute one is followed to it.
    std::os::unix::fs::symlink(root.join("shared"), root.join("abs")).unwrap();
    std::os::unix::fs::symlink("abs", root.join("rel")).unwrap();
    assert!(through_a_foreign_link(&root, "rel/x.py"));
    // Out of the root, relatively.
    std::os::unix::fs::symlink("../..", root.join("pkg/up")).unwrap();
    assert!(through_a_foreign_link(&root, "pkg/up/etc/passwd"));
    // A loop ends.
    std::os::unix::fs::symlink("loop2", root.join("loop1")).unwrap();
    std::os::unix::fs::symlink("loop1", root.join("loop2")).unwrap();
    assert!(through_a_foreign_link(&root, "loop1/x"));
}
