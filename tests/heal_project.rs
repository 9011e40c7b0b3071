//! Selector healing in a project on disk (`heal_failure`, what the fix
//! engine calls): the test file found from the stack, the error context
//! from the details, a saved DOM beside it, and nothing read from outside
//! the project. Uses the failure Playwright 1.65 really reported
//! (`tests/fixtures/heal-captured/`).
#![cfg(unix)] // symlinks

use std::fs;
use std::path::Path;

use pitcrew::fix::heal::{HealError, heal_failure};

const CONTEXT: &str = include_str!("fixtures/heal-captured/role-error-context.md");
const SPEC: &str = include_str!("fixtures/heal-captured/save.spec.js");
const MESSAGE: &str = "locator.click: Timeout 1000ms exceeded.";

/// The JUnit details as Playwright wrote them, for a project at `root`.
fn details(root: &Path, context: &str) -> String {
    format!(
        "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for \
         getByRole('button', {{ name: 'Save', exact: true }})\n\n    at {}/tests/save.spec.js:7:65\n\n    \
         Error Context: {context}\n",
        root.display()
    )
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("test-results/save-saves-settings");
    fs::create_dir_all(&results).unwrap();
    fs::create_dir_all(dir.path().join("tests")).unwrap();
    fs::write(dir.path().join("tests/save.spec.js"), SPEC).unwrap();
    fs::write(results.join("error-context.md"), CONTEXT).unwrap();
    dir
}

const JUNIT_PATH: &str = "../test-results/save-saves-settings/error-context.md";

#[test]
fn the_test_file_and_the_error_context_are_found_and_healed() {
    let dir = project();
    let junit = details(dir.path(), JUNIT_PATH);
    let candidates = heal_failure(dir.path(), MESSAGE, &junit, None).unwrap();
    assert_eq!(candidates[0].edit.file, "tests/save.spec.js");
    assert_eq!(
        candidates[0].new_locator,
        "getByRole('button', { name: 'Save changes' })"
    );
    // The line reporter's path, relative to the root, works the same.
    let line_reporter = details_at_root(dir.path());
    assert!(heal_failure(dir.path(), MESSAGE, &line_reporter, None).is_ok());
}

fn details_at_root(root: &Path) -> String {
    details(root, "test-results/save-saves-settings/error-context.md")
}

#[test]
fn a_saved_dom_beside_the_error_context_comes_first() {
    let dir = project();
    fs::write(
        dir.path().join("test-results/save-saves-settings/dom.html"),
        r#"<body><button data-testid="save-settings">Save changes</button></body>"#,
    )
    .unwrap();
    let junit = details(dir.path(), JUNIT_PATH);
    let candidates = heal_failure(dir.path(), MESSAGE, &junit, None).unwrap();
    let locators: Vec<&str> = candidates.iter().map(|c| c.new_locator.as_str()).collect();
    assert_eq!(
        locators,
        [
            "getByTestId('save-settings')",
            "getByRole('button', { name: 'Save changes' })"
        ]
    );
}

#[test]
fn nothing_outside_the_project_is_read() {
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("error-context.md"), CONTEXT).unwrap();
    let escape = outside.path().join("error-context.md");
    let escaping = details(dir.path(), &escape.display().to_string());
    assert_eq!(
        heal_failure(dir.path(), MESSAGE, &escaping, None),
        Err(HealError::NoErrorContext)
    );
    // A test file that is a symlink out of the project.
    fs::write(outside.path().join("save.spec.js"), SPEC).unwrap();
    fs::remove_file(dir.path().join("tests/save.spec.js")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("save.spec.js"),
        dir.path().join("tests/save.spec.js"),
    )
    .unwrap();
    let junit = details(dir.path(), JUNIT_PATH);
    let err = heal_failure(dir.path(), MESSAGE, &junit, Some("tests/save.spec.js")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read tests/save.spec.js: it is outside the project"
    );
}

#[test]
fn without_a_stack_frame_in_the_project_there_is_no_test_file() {
    let dir = project();
    let elsewhere = details(Path::new("/elsewhere"), JUNIT_PATH);
    assert_eq!(
        heal_failure(dir.path(), MESSAGE, &elsewhere, None),
        Err(HealError::NoTestFile)
    );
    let no_context = "waiting for getByRole('button', { name: 'Save', exact: true })\n  at tests/save.spec.js:7:1";
    assert_eq!(
        heal_failure(dir.path(), MESSAGE, no_context, Some("tests/save.spec.js")),
        Err(HealError::NoErrorContext)
    );
}
