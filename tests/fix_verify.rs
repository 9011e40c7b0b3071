//! Fix verification's other paths, on a real pytest repository: the tree
//! as tested includes uncommitted changes; answers that cannot be used are
//! rejected with their reason; and when verification cannot run or cannot
//! tell, every candidate is `unverified`, saying why.

mod common;

use std::path::Path;
use std::time::Duration;

use common::git::{commit_all, git, write};
use common::openai_server::{Reply, Server};
use pitcrew::fix::{self, FailingTest, FixOptions, FixRequest, Status, Suggestion};
use pitcrew::suite::runners::TestRef;
use pitcrew::triage::model::ModelRef;
use pitcrew::triage::redact::Redactor;

const GOOD: &str = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n";
const BUGGY: &str = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n";
const TESTS: &str = "from calc import add, sub\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n\
def test_sub():\n    assert sub(3, 2) == 1\n";

/// Committed with `committed` as calc.py, then calc.py changed to `working`.
fn repository(committed: &str, working: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(
        root,
        &[
            ("calc.py", committed),
            ("tests/test_calc.py", TESTS),
            (
                "tests/conftest.py",
                "import sys, os\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\n",
            ),
            (".gitignore", "__pycache__/\n.pytest_cache/\n"),
        ],
    );
    commit_all(root, "init");
    std::fs::write(root.join("calc.py"), working).unwrap();
    dir
}

fn request(root: &Path, command: &[&str]) -> FixRequest {
    FixRequest {
        root: root.to_path_buf(),
        failing: vec![FailingTest {
            test: TestRef {
                file: Some("tests/test_calc.py".into()),
                classname: "tests.test_calc".into(),
                name: "test_add".into(),
            },
            file: "tests/test_calc.py".into(),
            message: "assert -1 == 5".into(),
            details: "tests/test_calc.py:5: in test_add".into(),
            stack_files: vec!["tests/test_calc.py".into()],
        }],
        changed_files: vec!["calc.py".into()],
        command: command.iter().map(|s| s.to_string()).collect(),
        runner: None,
    }
}

fn options(candidates: u32) -> FixOptions {
    FixOptions {
        candidates,
        redactor: Redactor::new(),
        ..FixOptions::default()
    }
}

const FIX: &str = "calc.py\n<<<<<<< SEARCH\ndef add(a, b):\n    return a - b\n=======\ndef add(a, b):\n    return a + b\n>>>>>>> REPLACE\n";

fn suggest(server: &Server, request: &FixRequest, options: &FixOptions) -> Vec<Suggestion> {
    fix::suggest_fixes(
        &server.client(),
        &[ModelRef::new("local", "fixer")],
        request,
        options,
    )
}

fn reasons(suggestions: &[Suggestion]) -> Vec<(Status, &str)> {
    suggestions
        .iter()
        .map(|s| (s.status, s.reason.as_str()))
        .collect()
}

#[test]
fn the_tree_as_tested_includes_uncommitted_changes_and_unusable_answers_say_why() {
    // HEAD is right; the uncommitted change under test broke `add`.
    let dir = repository(GOOD, BUGGY);
    let server = Server::start();
    server.chat(vec![
        Reply::answer(FIX),
        Reply::answer(
            "calc.py\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n",
        ),
        Reply::answer("The test looks wrong to me; I would not change the code."),
    ]);
    let suggestions = suggest(
        &server,
        &request(dir.path(), &["python3", "-m", "pytest"]),
        &options(3),
    );
    let all = reasons(&suggestions);
    assert_eq!(suggestions.len(), 3, "{all:#?}");
    assert_eq!(suggestions[0].status, Status::Verified, "{all:#?}");
    assert!(
        all.contains(&(
            Status::Rejected,
            "the SEARCH text matches 2 places in calc.py"
        )),
        "{all:#?}"
    );
    assert!(
        all.contains(&(
            Status::Rejected,
            "no usable SEARCH/REPLACE block in the answer"
        )),
        "{all:#?}"
    );
    // The user's uncommitted change is still there, untouched.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("calc.py")).unwrap(),
        BUGGY
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), " M calc.py\n");
}

#[test]
fn when_verification_cannot_tell_every_candidate_is_unverified_with_why() {
    let server = Server::start();
    server.chat(vec![Reply::answer(FIX)]);
    let unverified = |suggestions: Vec<Suggestion>| -> String {
        assert_eq!(suggestions.len(), 1, "{:?}", reasons(&suggestions));
        assert_eq!(suggestions[0].status, Status::Unverified);
        assert_eq!(suggestions[0].votes, 1, "the candidate is still reported");
        suggestions[0].reason.clone()
    };

    // The "failing" test passes before any edit (fixed since, or flaky).
    let fixed = repository(GOOD, GOOD);
    let harmless = Server::start();
    harmless.chat(vec![Reply::answer(
        "calc.py\n<<<<<<< SEARCH\ndef sub(a, b):\n    return a - b\n=======\ndef sub(a, b):\n    return -(b - a)\n>>>>>>> REPLACE\n",
    )]);
    let why = unverified(suggest(
        &harmless,
        &request(fixed.path(), &["python3", "-m", "pytest"]),
        &options(1),
    ));
    assert!(
        why.starts_with("the failing tests do not fail in a copy of the tree"),
        "{why}"
    );

    let broken = repository(GOOD, BUGGY);
    // No runner adapter for the command.
    let why = unverified(suggest(
        &server,
        &request(broken.path(), &["make", "check"]),
        &options(1),
    ));
    assert!(
        why.starts_with("no runner adapter recognises the test command"),
        "{why}"
    );

    // No command at all (none recorded, none given).
    let why = unverified(suggest(&server, &request(broken.path(), &[]), &options(1)));
    assert_eq!(why, "no test command: give one after `--`");

    // No time left: the limit bounds the wait for the model too, so no
    // model is asked and nothing is verified.
    let hurried = FixOptions {
        time_limit: Duration::from_millis(1),
        ..options(1)
    };
    let suggestions = suggest(
        &server,
        &request(broken.path(), &["python3", "-m", "pytest"]),
        &hurried,
    );
    let all = reasons(&suggestions);
    assert_eq!(suggestions.len(), 1, "{all:?}");
    assert_eq!(
        (suggestions[0].status, suggestions[0].votes),
        (Status::Unverified, 0),
        "{all:?}"
    );
    assert!(suggestions[0].reason.contains("time limit"), "{all:?}");

    // A model that does not answer: said, with no edits.
    let down = Server::start();
    down.chat(vec![Reply::error(500, "server_error", "overloaded")]);
    let suggestions = suggest(
        &down,
        &request(broken.path(), &["python3", "-m", "pytest"]),
        &options(2),
    );
    assert_eq!(suggestions.len(), 2);
    for s in &suggestions {
        assert_eq!(
            (s.status, s.votes, s.edits.len()),
            (Status::Unverified, 0, 0)
        );
        assert!(s.reason.starts_with("no answer: "), "{}", s.reason);
    }
    assert_eq!(git(broken.path(), &["worktree", "list"]).lines().count(), 1);
}
