//! `pitcrew triage --fix` verifies root causes at the same time, each in
//! its own copy of the tree. Proved without a clock: two groups whose
//! failing tests each wait (up to two minutes) for a file the other
//! group's test run creates. Verified one after the other, the first would
//! wait in vain; verified together, each sees the other. And a Ctrl-C
//! while both are running removes both copies.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::fix_repo::{block, broken_python};
use common::git::git;
use common::openai_server::{Reply, Server};
use serde_json::Value;

/// The variable naming the directory the tests meet in; unset (the run
/// that writes the JUnit report) they do not wait.
const MEETING: &str = "PITCREW_TEST_MEETING";

/// Each test says it started, then waits for the other's file; when it
/// comes, it leaves `<me>-saw-<other>` behind. `forever` waits for a file
/// that never comes (the Ctrl-C test).
const RENDEZVOUS: &str = r#"import os, pathlib, time


def rendezvous(me, other):
    meeting = os.environ.get("PITCREW_TEST_MEETING")
    if not meeting:
        return
    room = pathlib.Path(meeting)
    (room / me).touch()
    for _ in range(1200):
        if (room / other).exists():
            (room / f"{me}-saw-{other}").touch()
            return
        time.sleep(0.1)
"#;

const TEST_ALPHA: &str = "from alpha import alpha\nfrom rendezvous import rendezvous\n\n\n\
def test_alpha():\n    rendezvous(\"alpha\", \"beta\")\n    assert alpha() == 1\n";

const TEST_BETA: &str = "from beta import beta\nfrom rendezvous import rendezvous\n\n\n\
def test_beta():\n    rendezvous(\"beta\", \"alpha\")\n    if beta() != 2:\n        raise ValueError(f\"beta is {beta()}\")\n";

/// Two root causes: the last commit broke `alpha` and `beta` (an assertion
/// and a ValueError), and pytest's JUnit report of that.
fn two_broken_groups() -> tempfile::TempDir {
    broken_python(
        &[
            ("alpha.py", "def alpha():\n    return 1\n"),
            ("beta.py", "def beta():\n    return 2\n"),
            ("rendezvous.py", RENDEZVOUS),
            ("test_alpha.py", TEST_ALPHA),
            ("test_beta.py", TEST_BETA),
            (".gitignore", "junit.xml\n.pytest_cache/\n__pycache__/\n"),
        ],
        &[
            ("alpha.py", "def alpha():\n    return 0\n"),
            ("beta.py", "def beta():\n    return 0\n"),
        ],
        &[MEETING],
    )
}

/// Each group's prompt names its test: it gets its own fix.
fn fixing_server() -> Server {
    let server = Server::start();
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat_matching(
            "test_alpha",
            vec![Reply::answer(&block(
                "alpha.py",
                "    return 0\n",
                "    return 1\n",
            ))],
        )
        .chat_matching(
            "test_beta",
            vec![Reply::answer(&block(
                "beta.py",
                "    return 0\n",
                "    return 2\n",
            ))],
        )
        .chat(vec![Reply::answer("advice")]);
    server
}

/// `pitcrew triage junit.xml --fix 1 …` in `root`, its temporary files in
/// `tmp`, the tests meeting in `meeting`.
fn triage(root: &Path, server: &Server, tmp: &Path, meeting: &Path) -> Command {
    let mut command = common::cli::command(root);
    command
        .args(["triage", "junit.xml", "--format", "json", "--model-url"])
        .arg(server.base())
        .args(["--model", "fixer:7b", "--fix", "1", "--iterations", "1"])
        .args(["--base", "HEAD~1", "--"])
        .args(["python3", "-m", "pytest", "-p", "no:cacheprovider"])
        .env("TMPDIR", tmp)
        .env(MEETING, meeting);
    command
}

/// What pitcrew left in its temporary directory: the copies of the tree
/// are `pitcrew-fix-*`.
fn copies_left(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("pitcrew-fix-"))
        .collect()
}

fn worktrees(root: &Path) -> usize {
    git(root, &["worktree", "list", "--porcelain"])
        .lines()
        .filter(|l| l.starts_with("worktree "))
        .count()
}

#[test]
fn two_groups_are_verified_at_the_same_time_in_their_own_copies() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = two_broken_groups();
    let root = dir.path();
    let (tmp, meeting) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let server = fixing_server();
    let out: Output = triage(root, &server, tmp.path(), meeting.path())
        .output()
        .expect("pitcrew runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Each group's baseline run waited for the other group's run to start.
    for saw in ["alpha-saw-beta", "beta-saw-alpha"] {
        assert!(
            meeting.path().join(saw).exists(),
            "{saw}: the two groups' runs did not overlap\n{stderr}"
        );
    }
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{json:#}");
    // Each in its priority's place, with its own fix verified.
    let mut files = Vec::new();
    for (priority, group) in groups.iter().enumerate() {
        assert_eq!(group["priority"], priority + 1);
        let best = &group["suggestions"][0];
        assert_eq!(best["status"], "verified", "{group:#}");
        let file = best["edits"][0]["file"].as_str().unwrap();
        let test = group["tests"][0].as_str().unwrap();
        assert!(
            test.contains(&format!("test_{}", &file[..file.len() - 3])),
            "{test} fixed by {file}"
        );
        files.push(file.to_string());
    }
    files.sort();
    assert_eq!(files, ["alpha.py", "beta.py"]);
    assert_eq!(copies_left(tmp.path()), Vec::<String>::new());
    assert_eq!(worktrees(root), 1, "every worktree removed");
    // The user's tree is untouched without --apply.
    assert!(git(root, &["status", "--porcelain"]).is_empty());
}

#[test]
fn ctrl_c_while_groups_verify_removes_every_copy() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = two_broken_groups();
    let root = dir.path();
    // Both tests wait for files nobody writes: each group's run is held
    // until the interrupt.
    std::fs::write(
        root.join("test_alpha.py"),
        TEST_ALPHA.replace("\"beta\")", "\"nobody\")"),
    )
    .unwrap();
    std::fs::write(
        root.join("test_beta.py"),
        TEST_BETA.replace("\"alpha\")", "\"nobody\")"),
    )
    .unwrap();
    let (tmp, meeting) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let server = fixing_server();
    let mut child = triage(root, &server, tmp.path(), meeting.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pitcrew starts");
    let started = Instant::now();
    while !(meeting.path().join("alpha").exists() && meeting.path().join("beta").exists()) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "both groups' runs should have started"
        );
        assert!(child.try_wait().unwrap().is_none(), "pitcrew ended early");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(copies_left(tmp.path()).len(), 2, "one copy per group");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert_eq!(copies_left(tmp.path()), Vec::<String>::new());
    assert_eq!(worktrees(root), 1, "every worktree removed");
}
