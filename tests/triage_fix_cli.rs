//! `pitcrew triage --fix` end to end through the binary: a real git
//! repository with a real failing pytest test, its JUnit report, and a
//! scripted OpenAI-compatible server on 127.0.0.1 that gives a diagnosis,
//! then fix candidates (the correct one twice, a wrong one, one weakening
//! the test). Only the correct one is verified, with 2 votes; the tree is
//! untouched without `--apply` and fixed with it.

mod common;

use std::path::Path;
use std::process::Command;

use common::cli::pitcrew;
use common::git::{commit_all, repository};
use common::openai_server::{Reply, Server};
use serde_json::Value;

fn run(dir: &Path, program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

/// pytest over the repository, writing `junit.xml`.
fn pytest_junit(root: &Path) -> std::process::Output {
    run(
        root,
        "python3",
        &[
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--junitxml=junit.xml",
        ],
    )
}

/// A repository whose last commit made `add` subtract, and its pytest JUnit.
fn broken_repository() -> tempfile::TempDir {
    let dir = repository(&[
        ("calc.py", "def add(a, b):\n    return a + b\n"),
        (
            "test_calc.py",
            "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_add_zero():\n    assert add(4, 0) == 4\n",
        ),
        (".gitignore", "junit.xml\n.pytest_cache/\n__pycache__/\n"),
    ]);
    let root = dir.path();
    // The change under test breaks `add` (`--base HEAD~1` names it, so a
    // fix may edit calc.py, which no stack mentions).
    std::fs::write(root.join("calc.py"), "def add(a, b):\n    return a - b\n").unwrap();
    commit_all(root, "break add");
    let pytest = pytest_junit(root);
    assert_eq!(pytest.status.code(), Some(1), "test_add fails for real");
    dir
}

fn block(search: &str, replace: &str) -> String {
    format!("calc.py\n```python\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```\n")
}

fn scripted_server() -> Server {
    let server = Server::start();
    let correct = block("    return a - b\n", "    return a + b\n");
    let wrong = block("    return a - b\n", "    return 5\n");
    let weakening = "test_calc.py\n<<<<<<< SEARCH\n    assert add(2, 3) == 5\n=======\n    assert True\n>>>>>>> REPLACE\n";
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat_matching(
            "SEARCH/REPLACE",
            vec![
                Reply::answer(&format!("The operator is wrong.\n\n{correct}")),
                Reply::answer(&wrong),
                Reply::answer(weakening),
                Reply::answer(&correct.replace('\n', "\r\n")),
            ],
        )
        .chat(vec![Reply::answer("`add` subtracts: make it add.")]);
    server
}

/// The test command the fixes are verified with.
const PYTEST: &[&str] = &["python3", "-m", "pytest", "-p", "no:cacheprovider"];

fn triage(dir: &Path, server: &Server, extra: &[&str]) -> Value {
    triage_of(dir, server, "junit.xml", extra, PYTEST)
}

/// `triage RESULTS --fix 4 …`, then `-- COMMAND` unless it is empty.
fn triage_of(
    dir: &Path,
    server: &Server,
    results: &str,
    extra: &[&str],
    command: &[&str],
) -> Value {
    let base = server.base();
    let mut args = vec![
        "triage",
        results,
        "--format",
        "json",
        "--model-url",
        &base,
        "--model",
        "fixer:7b",
        "--fix",
        "4",
        "--base",
        "HEAD~1",
    ];
    args.extend(extra);
    if !command.is_empty() {
        args.push("--");
        args.extend(command);
    }
    // A developer's machine: in CI a recorded command is not run.
    let out = common::cli::command(dir)
        .args(&args)
        .env_remove("CI")
        .output()
        .expect("pitcrew runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("triage prints JSON")
}

#[test]
fn only_the_correct_fix_is_verified_and_lands_only_with_apply() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = broken_repository();
    let root = dir.path();
    let json = triage(root, &scripted_server(), &[]);
    let group = &json["groups"][0];
    let suggestions = group["suggestions"].as_array().unwrap();
    let verified: Vec<&Value> = suggestions
        .iter()
        .filter(|s| s["status"] == "verified")
        .collect();
    assert_eq!(verified.len(), 1, "{suggestions:#?}");
    assert_eq!(verified[0]["votes"], 2);
    assert_eq!(verified[0]["edits"][0]["replace"], "    return a + b\n");
    // Fixes come first, verified leading; the diagnosis follows them.
    assert_eq!(suggestions[0]["status"], "verified");
    assert_eq!(suggestions.last().unwrap()["status"], "advice");
    let statuses: Vec<&str> = suggestions
        .iter()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"failed"),
        "the wrong fix breaks test_add_zero: {statuses:?}"
    );
    assert!(
        statuses.contains(&"rejected"),
        "the weakened test is refused: {statuses:?}"
    );
    // Without --apply the tree is as it was.
    assert!(
        run(root, "git", &["status", "--porcelain"])
            .stdout
            .is_empty()
    );
    assert_eq!(
        std::fs::read_to_string(root.join("calc.py")).unwrap(),
        "def add(a, b):\n    return a - b\n"
    );

    let json = triage(root, &scripted_server(), &["--apply"]);
    assert_eq!(json["groups"][0]["suggestions"][0]["status"], "verified");
    assert_eq!(
        std::fs::read_to_string(root.join("calc.py")).unwrap(),
        "def add(a, b):\n    return a + b\n"
    );
    let pytest = run(
        root,
        "python3",
        &["-m", "pytest", "-q", "-p", "no:cacheprovider"],
    );
    assert_eq!(
        pytest.status.code(),
        Some(0),
        "the applied fix makes the suite pass"
    );
}

#[test]
fn apply_needs_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = pitcrew(&["triage", "junit.xml", "--apply"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_fix_time_limit_bounds_the_whole_run_and_groups_left_say_so() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = broken_repository();
    let root = dir.path();
    // A second root cause whose test, like test_add, takes longer than the
    // whole limit when pitcrew runs it (not in the direct run below):
    // whichever group goes first spends it. The limit leaves a loaded
    // machine the time to make the first group's copy and start its run.
    let slow = "import os, time\nSLOW = 8 if 'PITCREW_ATTEMPT' in os.environ else 0\n";
    std::fs::write(
        root.join("test_slow.py"),
        format!("{slow}\n\ndef test_lookup():\n    time.sleep(SLOW)\n    assert {{}}['missing']\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("test_calc.py"),
        format!("{slow}from calc import add\n\n\ndef test_add():\n    time.sleep(SLOW)\n    assert add(2, 3) == 5\n\n\ndef test_add_zero():\n    assert add(4, 0) == 4\n"),
    )
    .unwrap();
    // One group at a time (`[models] concurrency` bounds the groups
    // verified at once): the second starts only when the first is done.
    std::fs::write(root.join("pitcrew.toml"), "[models]\nconcurrency = 1\n").unwrap();
    // Uncommitted, so `--base HEAD~1` still names calc.py as changed.
    let pytest = pytest_junit(root);
    assert_eq!(pytest.status.code(), Some(1));
    let json = triage(root, &scripted_server(), &["--fix-time-limit", "4"]);
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "two root causes: {json:#}");
    let suggestions: Vec<&Value> = groups
        .iter()
        .flat_map(|g| g["suggestions"].as_array().unwrap())
        .collect();
    assert!(
        suggestions.iter().all(|s| s["status"] != "verified"),
        "nothing verifies in 4 s: {suggestions:#?}"
    );
    let not_tried = suggestions
        .iter()
        .filter(|s| {
            s["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("not tried: the fix time limit (4 s)"))
        })
        .count();
    assert_eq!(not_tried, 1, "{suggestions:#?}");
}

#[test]
fn a_zero_fix_time_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = pitcrew(
        &["triage", "junit.xml", "--fix", "--fix-time-limit", "0"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--fix-time-limit"), "{stderr}");
}

#[test]
fn a_shard_result_tells_triage_how_to_re_run_the_tests() {
    if !common::cli::has_pytest() {
        return;
    }
    let dir = broken_repository();
    let root = dir.path();
    let steps: [&[&str]; 2] = [
        &[
            "split",
            "--runner",
            "pytest",
            "--tests",
            "test_calc.py",
            "--shards",
            "1",
            "-o",
            "plan.json",
        ],
        &[
            "run",
            "--shard",
            "1/1",
            "--plan",
            "plan.json",
            "-o",
            "shard-1.json",
            "--",
            "python3",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
        ],
    ];
    for step in steps {
        let out = pitcrew(step, root);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{step:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // No `-- CMD`: the command comes from the shard result.
    let json = triage_of(root, &scripted_server(), "shard-1.json", &[], &[]);
    assert_eq!(
        json["groups"][0]["suggestions"][0]["status"], "verified",
        "{json:#}"
    );
    // In CI a results file may be another job's (a fork's artifact): what
    // it records is named, never run, and the fixes stay unverified.
    let server = scripted_server();
    let base = server.base();
    let out = common::cli::command(root)
        .args([
            "triage",
            "shard-1.json",
            "--format",
            "json",
            "--model-url",
            &base,
        ])
        .args(["--model", "fixer:7b", "--fix", "4", "--base", "HEAD~1"])
        .env("CI", "true")
        .output()
        .expect("pitcrew runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("in CI the test command recorded with the results (python3 -m pytest"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("triage prints JSON");
    let suggestion = &json["groups"][0]["suggestions"][0];
    assert_eq!(suggestion["status"], "unverified", "{json:#}");
    assert!(
        suggestion["reason"]
            .as_str()
            .is_some_and(|r| r.contains("no test command")),
        "{json:#}"
    );
}
