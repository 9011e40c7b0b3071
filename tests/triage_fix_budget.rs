//! `pitcrew triage --fix` shares a limited model budget among root causes
//! in priority order, before groups are verified at once: the budget goes
//! to the groups of higher priority on every run, not to whichever group
//! reaches the model first.
//!
//! Two groups, verified at the same time, and a budget of two fix calls
//! (after one advice call each). The first (a ValueError: runtime ranks
//! before assertion) needs both: its first answer is wrong, its second
//! right. The second needs one and gets its answer at once, so asked first
//! come, first served it would take a call while the first group is still
//! running its tests, and the first group's second try would find the
//! budget spent. And what a group leaves of its share goes to the next.

mod common;

use std::path::Path;

use common::fix_repo::{block, broken_python};
use common::openai_server::{Reply, Server};
use serde_json::Value;

const TEST_ALPHA: &str =
    "from alpha import alpha\n\n\ndef test_alpha():\n    assert alpha() == 1\n";

const TEST_BETA: &str = "from beta import beta\n\n\ndef test_beta():\n    if beta() != 2:\n        raise ValueError(f\"beta is {beta()}\")\n";

/// `alpha` and `beta` broken by the last commit, pytest's JUnit report of
/// that, and a budget of 4 model calls.
fn two_broken_groups() -> tempfile::TempDir {
    broken_python(
        &[
            ("alpha.py", "def alpha():\n    return 1\n"),
            ("beta.py", "def beta():\n    return 2\n"),
            ("test_alpha.py", TEST_ALPHA),
            ("test_beta.py", TEST_BETA),
            ("pitcrew.toml", "[models]\nmax_calls = 4\nconcurrency = 4\n"),
            (".gitignore", "junit.xml\n.pytest_cache/\n__pycache__/\n"),
        ],
        &[
            ("alpha.py", "def alpha():\n    return 0\n"),
            ("beta.py", "def beta():\n    return 0\n"),
        ],
        &[],
    )
}

/// How the fix prompt starts (the advice prompts show edits too).
const FIX_PROMPT: &str = "You fix failing tests";

/// Advice for every group; for `beta` a wrong edit (unless `beta_right`),
/// then (asked again with the failure it caused) the right one; for
/// `alpha` the right one.
fn scripted_server(beta_right: bool) -> Server {
    let first_beta = if beta_right {
        "    return 2\n"
    } else {
        "    return 3\n"
    };
    let server = Server::start();
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat_matching(
            "Start with a short diagnosis",
            vec![Reply::answer("advice")],
        )
        .chat_matching(
            "beta is 3",
            vec![Reply::answer(&block(
                "beta.py",
                "    return 0\n",
                "    return 2\n",
            ))],
        )
        .chat_matching(
            "test_beta",
            vec![Reply::answer(&block(
                "beta.py",
                "    return 0\n",
                first_beta,
            ))],
        )
        .chat_matching(
            "test_alpha",
            vec![Reply::answer(&block(
                "alpha.py",
                "    return 0\n",
                "    return 1\n",
            ))],
        );
    server
}

fn triage(root: &Path, server: &Server) -> Value {
    let out = common::cli::command(root)
        .args(["triage", "junit.xml", "--format", "json", "--model-url"])
        .arg(server.base())
        .args(["--model", "fixer:7b", "--fix", "1", "--iterations", "2"])
        .args(["--base", "HEAD~1", "--"])
        .args(["python3", "-m", "pytest", "-p", "no:cacheprovider"])
        .output()
        .expect("pitcrew runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"))
}

/// The statuses of a group's fix suggestions (advice has none of these).
fn fix_statuses(group: &Value) -> Vec<String> {
    group["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["status"].as_str())
        .filter(|s| ["verified", "failed", "rejected", "unverified"].contains(s))
        .map(String::from)
        .collect()
}

#[test]
fn a_budget_for_one_group_goes_to_the_first_group_on_every_run() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = two_broken_groups();
    let root = dir.path();
    for run in 1..=2 {
        let server = scripted_server(false);
        let json = triage(root, &server);
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2, "{json:#}");
        let (first, second) = (&groups[0], &groups[1]);
        assert!(first["tests"][0].as_str().unwrap().contains("test_beta"));
        assert!(second["tests"][0].as_str().unwrap().contains("test_alpha"));
        // The first group's second try had its call: verified.
        let best = &first["suggestions"][0];
        assert_eq!(best["status"], "verified", "run {run}: {json:#}");
        assert_eq!(best["edits"][0]["replace"], "    return 2\n");
        assert!(
            best["reason"].as_str().unwrap().starts_with("try 2"),
            "{best:#}"
        );
        // The second group was never asked for a fix, and says why.
        assert_eq!(fix_statuses(second), ["unverified"], "run {run}: {json:#}");
        let reason = second["suggestions"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("model budget exhausted"), "{reason}");
        assert!(reason.contains("higher priority"), "{reason}");
        let asked_alpha = server
            .chats()
            .iter()
            .filter(|c| c.body.contains(FIX_PROMPT) && c.body.contains("test_alpha"))
            .count();
        assert_eq!(
            asked_alpha, 0,
            "run {run}: the second group asked for a fix"
        );
        assert_eq!(server.chats().len(), 4, "run {run}: the budget held");
    }
}

#[test]
fn what_a_group_leaves_of_its_share_goes_to_the_next() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = two_broken_groups();
    let root = dir.path();
    // The first group's first answer is right: one of its two calls is
    // left, and the second group, asked after it, gets it.
    let server = scripted_server(true);
    let json = triage(root, &server);
    let groups = json["groups"].as_array().unwrap();
    for group in groups {
        assert_eq!(group["suggestions"][0]["status"], "verified", "{json:#}");
    }
    assert_eq!(groups[0]["suggestions"][0]["edits"][0]["file"], "beta.py");
    assert_eq!(groups[1]["suggestions"][0]["edits"][0]["file"], "alpha.py");
    let fixes: Vec<bool> = server
        .chats()
        .iter()
        .filter(|c| c.body.contains(FIX_PROMPT))
        .map(|c| c.body.contains("test_alpha"))
        .collect();
    assert_eq!(fixes, [false, true], "beta's question, then alpha's");
}
