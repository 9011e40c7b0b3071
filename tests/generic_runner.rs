//! The generic runner over reports pitcrew does not know: one that names no
//! file, one that names files absolutely, one that puts a module it could
//! not import under its loader's path. Every test is counted once under
//! the file it came from, and a green suite stays green (found in round
//! 22 with jasmine-reporters, mocha-junit-reporter and xmlrunner).
//!
//! The runner is `tests/fixtures/generic/fake_runner.py`, run by python3.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

const WARNING: &str = "runs in a process of its own";

/// `pitcrew test --retries 1` over the fake runner in `root`, its report
/// shaped by `files` (see the runner), and the merged results.
fn run_fake(root: &Path, files: &str) -> (Output, Value) {
    run_fake_as(
        root,
        files,
        "1",
        &["python3", "fake_runner.py", "{junit}", "{files}"],
    )
}

/// [`run_fake`] in `shards` shards, running `command`.
fn run_fake_as(root: &Path, files: &str, shards: &str, command: &[&str]) -> (Output, Value) {
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generic/fake_runner.py"),
        root.join("fake_runner.py"),
    )
    .unwrap();
    let out = common::cli::command(root)
        .env("FAKE_FILES", files)
        .args(["test", "--shards", shards, "--retries", "1"])
        .args(["--tests", "*_test.py", "--"])
        .args(command)
        .output()
        .unwrap();
    let merged = fs::read_to_string(root.join("pitcrew-results.json"))
        .map(|text| serde_json::from_str(&text).unwrap())
        .unwrap_or(Value::Null);
    (out, merged)
}

/// (file, name, outcome) of every test.
fn tests(merged: &Value) -> Vec<(String, String, String)> {
    let field = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let mut all: Vec<_> = merged["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            (
                field(&t["key"]["file"]),
                field(&t["key"]["name"]),
                field(&t["outcome"]),
            )
        })
        .collect();
    all.sort();
    all
}

fn triple(file: &str, name: &str, outcome: &str) -> (String, String, String) {
    (file.to_owned(), name.to_owned(), outcome.to_owned())
}

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write_suite(root: &Path) {
    fs::write(root.join("a_test.py"), "def test_one():\n    pass\n").unwrap();
    fs::write(
        root.join("b_test.py"),
        "import os\n\n\
         def test_flaky():\n    assert os.environ['PITCREW_ATTEMPT'] != '1'\n\n\
         def test_real():\n    assert 1 == 2\n",
    )
    .unwrap();
}

/// A report that names no file: two files run together could not be told
/// apart, and each was "produced no test case" (a green suite failed).
/// They run one per process, where each result is its file's; the flaky
/// test is flaky and the real failure stands.
#[test]
fn a_report_naming_no_file_runs_each_file_apart() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path());
    let (out, merged) = run_fake(dir.path(), "none");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(WARNING), "{}", text(&out));
    assert_eq!(
        tests(&merged),
        [
            triple("a_test.py", "test_one", "passed"),
            triple("b_test.py", "test_flaky", "flaky"),
            triple("b_test.py", "test_real", "failed"),
        ],
        "{}",
        text(&out)
    );
}

/// Absolute paths in the report are the planned files: the two files run
/// together, and a green suite passes.
#[test]
fn a_report_naming_files_absolutely_is_read_as_the_planned_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a_test.py"), "def test_one():\n    pass\n").unwrap();
    fs::write(dir.path().join("b_test.py"), "def test_two():\n    pass\n").unwrap();
    let (out, merged) = run_fake(dir.path(), "absolute");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains(WARNING), "{}", text(&out));
    assert_eq!(
        tests(&merged),
        [
            triple("a_test.py", "test_one", "passed"),
            triple("b_test.py", "test_two", "passed"),
        ]
    );
}

/// A module that cannot be imported, reported under the loader's path:
/// its failure is its own file's (not a path outside the project, which
/// the retry passed to the runner as a test file), and no planned file
/// "produced no test case".
#[test]
fn a_failure_reported_under_a_foreign_path_is_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path());
    fs::write(dir.path().join("c_test.py"), "import no_such_module\n").unwrap();
    let (out, merged) = run_fake(dir.path(), "loader");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        !text(&out).contains("produced no test case"),
        "{}",
        text(&out)
    );
    assert_eq!(
        tests(&merged),
        [
            triple("a_test.py", "test_one", "passed"),
            triple("b_test.py", "test_flaky", "flaky"),
            triple("b_test.py", "test_real", "failed"),
            triple("c_test.py", "c_test", "failed"),
        ],
        "{}",
        text(&out)
    );
}

/// A test that fails in the run of all files together and passes when its
/// file runs alone: that first run's failure is kept (its first attempt),
/// never dropped with the run it came from.
#[test]
fn a_failure_of_the_files_run_together_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a_test.py"), "def test_one():\n    pass\n").unwrap();
    fs::write(
        dir.path().join("b_test.py"),
        "import os\n\n\
         def test_fails_its_first_run():\n\
         \x20   if not os.path.exists('ran-once'):\n\
         \x20       open('ran-once', 'w').close()\n\
         \x20       assert False, 'failed in the first run'\n",
    )
    .unwrap();
    let (out, merged) = run_fake(dir.path(), "none");
    assert_eq!(
        tests(&merged),
        [
            triple("a_test.py", "test_one", "passed"),
            triple("b_test.py", "test_fails_its_first_run", "flaky"),
        ],
        "{}",
        text(&out)
    );
}

/// A command that runs every test file whatever it is given (mocha with
/// `spec` in its configuration), one file a shard: where its report names
/// each test's file in the project, that file stands, and each test counts
/// once, not once under every file run.
#[test]
fn a_file_the_report_names_in_the_project_stands_when_a_file_runs_alone() {
    let dir = tempfile::tempdir().unwrap();
    write_suite(dir.path());
    let every_file = "python3 fake_runner.py \"$1\" *_test.py";
    let (out, merged) = run_fake_as(
        dir.path(),
        "loader",
        "2",
        &["sh", "-c", every_file, "sh", "{junit}", "{files}"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let names: Vec<(String, String)> = tests(&merged)
        .into_iter()
        .map(|(file, name, _)| (file, name))
        .collect();
    assert_eq!(
        names,
        [
            ("a_test.py".to_owned(), "test_one".to_owned()),
            ("b_test.py".to_owned(), "test_flaky".to_owned()),
            ("b_test.py".to_owned(), "test_real".to_owned()),
        ],
        "{}",
        text(&out)
    );
}
