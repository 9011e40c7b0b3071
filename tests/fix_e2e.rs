//! Fix suggestions end to end, through the library API: tiny real git
//! repositories with a real failing test (pytest, node --test), the failure
//! taken from a real run, and a scripted OpenAI-compatible server on
//! 127.0.0.1 proposing a correct fix, a wrong one, one outside the
//! repository, one that weakens the test, and the correct one again.
//! Only the correct one is verified, with 2 votes; the tree is unchanged
//! until `apply_verified`, and fixed by it; the secret the failing test
//! prints never reaches the model server.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::git::{git, repository};
use common::openai_server::{Reply, Server};
use pitcrew::fix::{self, FailingTest, FixOptions, FixRequest, Status, Suggestion};
use pitcrew::process::logged::Sink;
use pitcrew::suite::exec::{ShardRun, run};
use pitcrew::suite::fold::FinalOutcome;
use pitcrew::suite::runners::{self, TestRef};
use pitcrew::triage::model::ModelRef;
use pitcrew::triage::redact::Redactor;

/// Printed by the failing tests; shaped like a GitHub token, so redacted.
const SECRET: &str = "ghp_Fix0E2eSecretToken0123456789abcdefABCD";

/// The failing tests of `files`, from a real run in `root` (as `pitcrew
/// run` would have recorded them).
fn failures(root: &Path, command: &[String], files: &[String]) -> Vec<FailingTest> {
    let runner = runners::detect(command).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let outcome = run(&ShardRun {
        runner,
        base: command,
        items: files,
        split_files: &Default::default(),
        plan_items: &Default::default(),
        discover: false,
        retries: 0,
        timeout: Some(Duration::from_secs(120)),
        dir: root,
        scratch: scratch.path(),
        sink: Sink::File(scratch.path().join("log")),
        env: Vec::new(),
    });
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    outcome
        .tests
        .iter()
        .filter(|t| t.outcome == FinalOutcome::Failed)
        .map(|t| {
            let failure = t.failure.clone().unwrap_or_default();
            let details = failure.details.unwrap_or_default();
            let file = t.key.file.clone().unwrap_or_else(|| files[0].clone());
            FailingTest {
                test: TestRef {
                    file: t.key.file.clone(),
                    classname: t.key.classname.clone(),
                    name: t.key.name.clone(),
                },
                stack_files: fix::stack_files(&details, root),
                file,
                message: failure.message.unwrap_or_default(),
                details,
            }
        })
        .collect()
}

fn options() -> FixOptions {
    FixOptions {
        candidates: 5,
        iterations: 2,
        time_limit: Duration::from_secs(300),
        redactor: Redactor::new(),
        ..FixOptions::default()
    }
}

fn block(file: &str, search: &str, replace: &str) -> String {
    format!("{file}\n```\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```\n")
}

fn with(suggestions: &[Suggestion], status: Status) -> Vec<&Suggestion> {
    suggestions.iter().filter(|s| s.status == status).collect()
}

/// What every scenario checks, given the correct edit's file and the text
/// it fixes the file to.
fn check_outcome(
    root: &Path,
    server: &Server,
    suggestions: &[Suggestion],
    fixed_file: &str,
    fixed: &str,
    test_command: &[&str],
) {
    let summary: Vec<(Status, u32, &str)> = suggestions
        .iter()
        .map(|s| (s.status, s.votes, s.reason.as_str()))
        .collect();
    let verified = with(suggestions, Status::Verified);
    assert_eq!(verified.len(), 1, "{summary:#?}");
    assert_eq!(verified[0].votes, 2, "{summary:#?}");
    assert_eq!(verified[0].edits[0].file, fixed_file);
    assert_eq!(suggestions[0].status, Status::Verified, "verified first");
    let rejected = with(suggestions, Status::Rejected);
    assert!(
        rejected
            .iter()
            .any(|s| s.reason.contains("outside the repository")),
        "{summary:#?}"
    );
    assert!(
        rejected
            .iter()
            .any(|s| s.reason.contains("weakens the test")),
        "{summary:#?}"
    );
    let failed = with(suggestions, Status::Failed);
    assert!(
        failed
            .iter()
            .any(|s| s.votes == 1 && s.reason.starts_with("breaks ")),
        "the wrong fix breaks a test that passed: {summary:#?}"
    );
    assert!(
        failed
            .iter()
            .any(|s| s.reason.starts_with("try 2 (after: ")),
        "the wrong fix's failure went back to the model once: {summary:#?}"
    );
    // 5 candidates and one follow-up: iterations are capped at 2.
    assert_eq!(server.chats().len(), 6);

    // Redaction holds for fix prompts, follow-ups included.
    for chat in server.chats() {
        assert!(!chat.body.contains(SECRET), "the secret reached the model");
        assert!(!chat.body.contains("ghp_"), "the secret reached the model");
    }
    assert!(server.chats()[0].body.contains("[REDACTED]"));

    // The user's tree is untouched, and no worktree is left behind.
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    assert_eq!(git(root, &["worktree", "list"]).lines().count(), 1);

    // --apply: the verified fix lands, each file printed.
    let mut printed = Vec::new();
    let changed = fix::apply_verified(root, suggestions, &mut printed).unwrap();
    assert_eq!(changed, [fixed_file]);
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        format!("applied: {fixed_file}\n")
    );
    assert_eq!(
        std::fs::read_to_string(root.join(fixed_file)).unwrap(),
        fixed
    );
    let (program, args) = test_command.split_first().unwrap();
    let after = Command::new(program)
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        after.status.success(),
        "the tests pass in the user's tree now: {}",
        String::from_utf8_lossy(&after.stdout)
    );

    // The JSON shape the report carries.
    let json = serde_json::to_value(&suggestions[0]).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["status", "reason", "votes", "model", "edits"]);
    assert_eq!(json["status"], "verified");
    assert_eq!(json["model"], "fixer");
    assert_eq!(json["edits"][0]["file"], fixed_file);
    // Reasons quote test output: redacted like prompts.
    for suggestion in suggestions {
        assert!(!suggestion.reason.contains("ghp_"), "{}", suggestion.reason);
    }
}

const CALC_PY: &str = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";

fn test_calc_py() -> String {
    format!(
        "from calc import add, mul\n\n\n\
         def test_add():\n    print(\"deploying with {SECRET}\")\n    assert add(2, 3) == 5, \"token {SECRET}\"\n\n\n\
         def test_add_zero():\n    assert add(0, 0) == 0\n\n\n\
         def test_mul():\n    assert mul(2, 3) == 6\n"
    )
}

#[test]
fn pytest_only_the_correct_fix_is_verified_and_applied_on_request() {
    let test_file = test_calc_py();
    let dir = repository(&[
        ("calc.py", CALC_PY),
        ("tests/test_calc.py", &test_file),
        (
            "tests/conftest.py",
            "import sys, os\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\n",
        ),
        (".gitignore", "__pycache__/\n.pytest_cache/\n"),
    ]);
    let root = dir.path();
    let command: Vec<String> = ["python3", "-m", "pytest"].map(String::from).to_vec();
    let failing = failures(root, &command, &["tests/test_calc.py".into()]);
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert!(
        failing[0]
            .stack_files
            .contains(&"tests/test_calc.py".to_string()),
        "{failing:?}"
    );

    let correct = block("calc.py", "    return a - b\n", "    return a + b\n");
    let server = Server::start();
    server
        .chat(vec![
            Reply::answer(&format!("The subtraction should be an addition.\n\n{correct}")),
            Reply::answer(&block("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return 5\n")),
            Reply::answer(&block("../outside.py", "x = 1\n", "x = 2\n")),
            Reply::answer(&block(
                "tests/test_calc.py",
                &format!("    assert add(2, 3) == 5, \"token {SECRET}\"\n"),
                "    assert True\n",
            )),
            // The same fix, written differently: CRLF, trailing spaces, a language tag.
            Reply::answer("calc.py\r\n```python\r\n<<<<<<< SEARCH\r\n    return a - b   \r\n=======\r\n    return a + b\r\n>>>>>>> REPLACE\r\n```\r\n"),
        ])
        .chat_matching(
            "the tests still fail",
            vec![Reply::answer(&block("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b + 1\n"))],
        );
    let request = FixRequest {
        root: root.to_path_buf(),
        failing,
        // The change under test touched calc.py (the assertion's stack ends in the test).
        changed_files: vec!["calc.py".into()],
        command,
        runner: None,
    };
    let suggestions = fix::suggest_fixes(
        &server.client(),
        &[ModelRef::new("local", "fixer")],
        &request,
        &options(),
    );
    assert_eq!(
        std::fs::read_to_string(root.join("calc.py")).unwrap(),
        CALC_PY,
        "the tree is unchanged without --apply"
    );
    check_outcome(
        root,
        &server,
        &suggestions,
        "calc.py",
        &CALC_PY.replace("return a - b", "return a + b"),
        &["python3", "-m", "pytest", "-q"],
    );
}

const MATH_JS: &str =
    "exports.add = (a, b) => {\n  return a - b;\n};\n\nexports.mul = (a, b) => a * b;\n";

fn math_test_js() -> String {
    format!(
        "const {{ test }} = require('node:test');\n\
         const assert = require('node:assert');\n\
         const {{ add, mul }} = require('../math.js');\n\n\
         test('adds', () => {{\n  console.log('deploying with {SECRET}');\n  assert.strictEqual(add(2, 3), 5, 'token {SECRET}');\n}});\n\n\
         test('adds zero', () => {{\n  assert.strictEqual(add(0, 0), 0);\n}});\n\n\
         test('multiplies', () => {{\n  assert.strictEqual(mul(2, 3), 6);\n}});\n"
    )
}

#[test]
fn node_test_only_the_correct_fix_is_verified_and_applied_on_request() {
    let test_file = math_test_js();
    let dir = repository(&[("math.js", MATH_JS), ("test/math.test.js", &test_file)]);
    let root = dir.path();
    let command: Vec<String> = ["node", "--test"].map(String::from).to_vec();
    let failing = failures(root, &command, &["test/math.test.js".into()]);
    assert_eq!(failing.len(), 1, "{failing:?}");

    let correct = block("math.js", "  return a - b;\n", "  return a + b;\n");
    let server = Server::start();
    server
        .chat(vec![
            Reply::answer(&correct),
            Reply::answer(&block("math.js", "  return a - b;\n", "  return 5;\n")),
            Reply::answer(&block("/etc/hosts", "127.0.0.1 localhost\n", "\n")),
            Reply::answer(&block(
                "test/math.test.js",
                "test('adds', () => {\n",
                "test.skip('adds', () => {\n",
            )),
            Reply::answer(&format!(
                "Here is the fix:\n\n`math.js`:\n{}",
                block("", "  return a - b;  \n", "  return a + b;\n").trim_start()
            )),
        ])
        .chat_matching(
            "the tests still fail",
            vec![Reply::answer(&block(
                "math.js",
                "  return a - b;\n",
                "  return a + b + 1;\n",
            ))],
        );
    let request = FixRequest {
        root: root.to_path_buf(),
        changed_files: vec!["math.js".into()],
        failing,
        command,
        runner: None,
    };
    let suggestions = fix::suggest_fixes(
        &server.client(),
        &[ModelRef::new("local", "fixer")],
        &request,
        &options(),
    );
    check_outcome(
        root,
        &server,
        &suggestions,
        "math.js",
        &MATH_JS.replace("return a - b", "return a + b"),
        &["node", "--test"],
    );
}
