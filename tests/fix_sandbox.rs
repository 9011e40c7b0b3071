//! The fix sandbox is removed even when pitcrew is interrupted: this test
//! runs itself again as a child that makes a sandbox and waits (or keeps
//! working in it for a moment), interrupts it, and checks that the
//! temporary worktree is gone. Unix only: the interrupt is a SIGINT.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::git::{git, repository};
use pitcrew::fix::sandbox::Sandbox;

const CHILD_ENV: &str = "PITCREW_FIX_SANDBOX_CHILD";

/// Set (to anything) for a child that keeps writing in its copy for a
/// moment after the interrupt, as a thread verifying a fix does until it
/// sees its run killed and drops its copy.
const BUSY_ENV: &str = "PITCREW_FIX_SANDBOX_BUSY";

/// The child's side: only when the parent asked for it.
#[test]
fn interrupted_child() {
    let Ok(root) = std::env::var(CHILD_ENV) else {
        return;
    };
    let sandbox = Sandbox::create(Path::new(&root)).unwrap();
    println!("READY {}", sandbox.root().display());
    if std::env::var_os(BUSY_ENV).is_none() {
        std::thread::sleep(Duration::from_secs(60));
        unreachable!("the parent interrupts this child");
    }
    while !pitcrew::process_group::interrupted() {
        std::thread::sleep(Duration::from_millis(2));
    }
    // Its next run's logs, as the owner unwinds: each recreates the folder.
    let until = Instant::now() + Duration::from_millis(300);
    while Instant::now() < until {
        let scratch = sandbox.scratch().unwrap();
        std::fs::write(scratch.join("log"), "a run's output").unwrap();
        std::thread::sleep(Duration::from_millis(1));
    }
    if Sandbox::create(Path::new(&root)).is_ok() {
        // No new copy once interrupted; exiting now fails the parent's
        // check of the exit code (a panic would drop the copies, and the
        // handler would exit with 130).
        std::process::exit(3);
    }
    drop(sandbox);
    std::thread::sleep(Duration::from_secs(60));
    unreachable!("the interrupt handler exits");
}

#[test]
fn ctrl_c_removes_the_temporary_worktree() {
    interrupt_a_child_with_a_copy(false);
}

#[test]
fn ctrl_c_removes_a_copy_its_owner_still_writes_in() {
    interrupt_a_child_with_a_copy(true);
}

fn interrupt_a_child_with_a_copy(busy: bool) {
    let dir = repository(&[("a.py", "a = 1\n")]);
    let root = dir.path();

    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "interrupted_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, root)
        .env_remove(BUSY_ENV)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if busy {
        command.env(BUSY_ENV, "1");
    }
    let mut child = command.spawn().unwrap();
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
    let base = copy.parent().unwrap();
    assert!(
        !base.exists(),
        "the copy is removed, with its scratch folder"
    );
    assert_eq!(
        git(root, &["worktree", "list"]).lines().count(),
        1,
        "and so is the worktree's entry"
    );
}
