//! The fix sandbox is removed even when pitcrew is interrupted: this test
//! runs itself again as a child that makes a sandbox and waits, interrupts
//! it, and checks that the temporary worktree is gone. Unix only: the
//! interrupt is a SIGINT.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::git::{git, repository};
use pitcrew::fix::sandbox::Sandbox;

const CHILD_ENV: &str = "PITCREW_FIX_SANDBOX_CHILD";

/// The child's side: only when the parent asked for it.
#[test]
fn interrupted_child() {
    let Ok(root) = std::env::var(CHILD_ENV) else {
        return;
    };
    let sandbox = Sandbox::create(Path::new(&root)).unwrap();
    println!("READY {}", sandbox.root().display());
    std::thread::sleep(Duration::from_secs(60));
    unreachable!("the parent interrupts this child");
}

#[test]
fn ctrl_c_removes_the_temporary_worktree() {
    let dir = repository(&[("a.py", "a = 1\n")]);
    let root = dir.path();

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "interrupted_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let copy = loop {
        let line = lines.next().expect("the child says READY").unwrap();
        // libtest prints `test interrupted_child ... ` before it on the same line.
        if let Some((_, path)) = line.split_once("READY ") {
            break std::path::PathBuf::from(path);
        }
    };
    assert!(copy.join("a.py").is_file());
    assert_eq!(git(root, &["worktree", "list"]).lines().count(), 2);

    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the child did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130), "exits as an interrupted command");
    assert!(!copy.exists(), "the copy is removed");
    assert_eq!(
        git(root, &["worktree", "list"]).lines().count(),
        1,
        "and so is the worktree's entry"
    );
}
