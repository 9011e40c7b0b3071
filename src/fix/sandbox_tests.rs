use super::*;

pub(crate) fn run_git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository with a commit, then: a modified tracked file, a staged new
/// file, an untracked file, an ignored file and an ignored node_modules.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    run_git(root, &["init", "-q"]);
    run_git(root, &["config", "user.email", "t@example.com"]);
    run_git(root, &["config", "user.name", "t"]);
    write(&root.join("app/calc.py"), "x = 1\n");
    write(&root.join(".gitignore"), "*.log\nnode_modules/\n");
    run_git(root, &["add", "."]);
    run_git(root, &["commit", "-qm", "init"]);
    write(&root.join("app/calc.py"), "x = 2\n");
    write(&root.join("app/staged.py"), "s = 1\n");
    run_git(root, &["add", "app/staged.py"]);
    write(&root.join("app/new.py"), "n = 1\n");
    write(&root.join("app/debug.log"), "ignored\n");
    write(&root.join("node_modules/dep/index.js"), "dep\n");
    dir
}

fn worktrees(root: &Path) -> usize {
    run_git(root, &["worktree", "list", "--porcelain"])
        .lines()
        .filter(|l| l.starts_with("worktree "))
        .count()
}

#[test]
fn the_copy_is_the_tree_as_tested_and_is_removed_on_drop() {
    let dir = repo();
    let root = dir.path();
    let sandbox = Sandbox::create(root).unwrap();
    let copy = sandbox.root().to_path_buf();
    assert!(sandbox.is_worktree());
    assert_ne!(copy, root.canonicalize().unwrap());
    let read = |p: &str| std::fs::read_to_string(copy.join(p)).ok();
    assert_eq!(
        read("app/calc.py").as_deref(),
        Some("x = 2\n"),
        "uncommitted change"
    );
    assert_eq!(
        read("app/staged.py").as_deref(),
        Some("s = 1\n"),
        "staged file"
    );
    assert_eq!(
        read("app/new.py").as_deref(),
        Some("n = 1\n"),
        "untracked file"
    );
    assert_eq!(read("app/debug.log"), None, "ignored files stay out");
    assert_eq!(
        read("node_modules/dep/index.js").as_deref(),
        Some("dep\n"),
        "linked"
    );
    assert!(
        std::fs::symlink_metadata(copy.join("node_modules"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(worktrees(root), 2);

    // Edits in the copy leave the user's tree alone.
    std::fs::write(copy.join("app/calc.py"), "x = 3\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(root.join("app/calc.py")).unwrap(),
        "x = 2\n"
    );
    drop(sandbox);
    assert!(!copy.exists());
    assert_eq!(worktrees(root), 1, "the worktree entry is gone too");
    assert_eq!(run_git(root, &["status", "--porcelain"]).lines().count(), 3);
}

#[test]
fn a_panic_still_removes_the_copy() {
    let dir = repo();
    let seen = std::sync::Mutex::new(None);
    let result = std::panic::catch_unwind(|| {
        let sandbox = Sandbox::create(dir.path()).unwrap();
        *seen.lock().unwrap() = Some(sandbox.root().to_path_buf());
        panic!("boom");
    });
    assert!(result.is_err());
    let copy = seen.lock().unwrap().clone().unwrap();
    assert!(!copy.exists());
    assert_eq!(worktrees(dir.path()), 1);
}

#[test]
fn a_project_below_the_repository_top_maps_to_the_same_place() {
    let dir = repo();
    let sandbox = Sandbox::create(&dir.path().join("app")).unwrap();
    // The copy of the top level, then the project's place in it.
    let copy = sandbox.root().parent().unwrap();
    assert!(
        sandbox.root().ends_with("app"),
        "{}",
        sandbox.root().display()
    );
    assert_eq!(copy.file_name(), copy.parent().unwrap().file_name());
    assert!(sandbox.root().join("calc.py").is_file());
}

#[test]
fn without_git_it_is_a_plain_copy() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a/b.py"), "b\n");
    write(&dir.path().join("c.txt"), "c\n");
    let sandbox = Sandbox::create(dir.path()).unwrap();
    assert!(!sandbox.is_worktree());
    assert_eq!(
        std::fs::read_to_string(sandbox.root().join("a/b.py")).unwrap(),
        "b\n"
    );
    let copy = sandbox.root().to_path_buf();
    drop(sandbox);
    assert!(!copy.exists());
}

/// Groups are verified at once, each in its own copy: copies made and
/// removed at the same time, again and again, all succeed, each with the
/// tree as tested, and leave no worktree behind. (With every copy at
/// `…/tree`, git gave two of them one administrative entry: "failed to
/// read .git/worktrees/tree/commondir".)
#[test]
fn copies_made_at_the_same_time_are_separate_and_all_removed() {
    let dir = repo();
    let root = dir.path();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..6 {
                        let sandbox = Sandbox::create(root).expect("a copy");
                        let calc = std::fs::read_to_string(sandbox.root().join("app/calc.py"));
                        assert_eq!(calc.unwrap(), "x = 2\n");
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
    assert_eq!(worktrees(root), 1);
}
