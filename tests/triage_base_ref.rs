//! `pitcrew triage` in a GitHub Actions pull request: with neither
//! `--changed-files` nor `--base`, the change under test is what differs
//! from `origin/$GITHUB_BASE_REF`, and the report says so. A base missing
//! from a shallow checkout, or a name that is no branch, is one warning and
//! no changes, never a failed run and never an option for git. `report`
//! ranks its groups by the same change, quietly without it.

mod common;

use std::path::Path;
use std::process::Output;

use common::git::{commit_all, git, repository, write};
use serde_json::Value;

/// Two failures in two files; the pull request changed `shop/cart.py`.
const JUNIT: &str = r#"<testsuite name="pytest">
<testcase classname="tests.test_orders" name="test_total" file="tests/test_orders.py" time="1"><failure message="KeyError: 'total'">  File "/ci/tests/test_orders.py", line 3, in test_total
KeyError: 'total'</failure></testcase>
<testcase classname="tests.test_cart" name="test_add" file="tests/test_cart.py" time="1"><failure message="AssertionError: assert 41 == 42">  File "/ci/tests/test_cart.py", line 9, in test_add
AssertionError: assert 41 == 42</failure></testcase>
</testsuite>
"#;

/// A checkout of a pull request from `topic` into `main`: `origin/main` is
/// where the branch started, `topic` changed `shop/cart.py`.
fn pull_request_checkout() -> tempfile::TempDir {
    let dir = repository(&[
        ("shop/cart.py", "def add():\n    return 42\n"),
        ("shop/orders.py", "def total():\n    return 1\n"),
        ("tests/test_cart.py", "def test_add():\n    pass\n"),
        ("tests/test_orders.py", "def test_total():\n    pass\n"),
        (".gitignore", "junit.xml\nchanged.txt\n"),
    ]);
    let root = dir.path();
    git(root, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    git(root, &["checkout", "-qb", "topic"]);
    write(root, &[("shop/cart.py", "def add():\n    return 41\n")]);
    commit_all(root, "break add");
    std::fs::write(root.join("junit.xml"), JUNIT).unwrap();
    dir
}

/// `pitcrew triage junit.xml --format json --no-suggest EXTRA…` in `root`,
/// in GitHub Actions with `GITHUB_BASE_REF` set to `base` (unset: `None`).
fn triage(root: &Path, base: Option<&str>, extra: &[&str]) -> Output {
    triage_as(root, base, "json", extra)
}

/// [`triage`] in this `--format`.
fn triage_as(root: &Path, base: Option<&str>, format: &str, extra: &[&str]) -> Output {
    let mut command = common::cli::command(root);
    command
        .args(["triage", "junit.xml", "--no-suggest", "--format", format])
        .args(extra)
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_BASE_REF");
    if let Some(base) = base {
        command.env("GITHUB_BASE_REF", base);
    }
    command.output().expect("pitcrew runs")
}

fn json(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // In GitHub Actions the report comes between `::stop-commands::` lines.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: String = stdout
        .lines()
        .filter(|l| !l.starts_with("::"))
        .map(|l| format!("{l}\n"))
        .collect();
    serde_json::from_str(&report).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"))
}

/// The group whose tests are in `file`.
fn group<'a>(triage: &'a Value, file: &str) -> &'a Value {
    triage["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["tests"][0].as_str().unwrap().contains(file))
        .unwrap_or_else(|| panic!("no group for {file}: {triage:#}"))
}

/// Lines of `after`'s stderr that `before`'s has not.
fn new_lines(before: &Output, after: &Output) -> Vec<String> {
    let before = String::from_utf8_lossy(&before.stderr);
    let known: Vec<&str> = before.lines().collect();
    String::from_utf8_lossy(&after.stderr)
        .lines()
        .filter(|l| !known.contains(l))
        .map(String::from)
        .collect()
}

#[test]
fn the_pull_requests_base_branch_gives_the_changed_files_and_says_so() {
    let dir = pull_request_checkout();
    let root = dir.path();
    let without = json(&triage(root, None, &[]));
    assert_eq!(without["changed_files"], Value::Null, "{without:#}");
    assert_eq!(group(&without, "test_cart")["touched"], false);
    let out = triage(root, Some("main"), &[]);
    let triage_json = json(&out);
    assert_eq!(
        triage_json["changed_files"],
        serde_json::json!({"from": "GITHUB_BASE_REF", "since": "origin/main", "count": 1}),
        "{triage_json:#}"
    );
    let cart = group(&triage_json, "test_cart");
    assert_eq!(cart["touched"], true, "{triage_json:#}");
    assert_eq!(
        cart["priority"], 1,
        "the group the change touched ranks first"
    );
    assert_eq!(group(&triage_json, "test_orders")["touched"], false);
    // The Markdown report says where the list came from.
    let md = triage_as(root, Some("main"), "markdown", &[]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains(r"Change under test: 1 changed file since origin/main \(GITHUB\_BASE\_REF\)"),
        "{md}"
    );
}

#[test]
fn a_base_missing_from_a_shallow_checkout_is_one_warning_and_the_run_goes_on() {
    let dir = pull_request_checkout();
    let root = dir.path();
    let before = triage(root, None, &[]);
    let out = triage(root, Some("develop"), &[]);
    assert_eq!(out.status.code(), before.status.code());
    let triage_json = json(&out);
    assert_eq!(triage_json["changed_files"], Value::Null);
    assert_eq!(triage_json["groups"], json(&before)["groups"]);
    let warning = new_lines(&before, &out);
    assert_eq!(warning.len(), 1, "{warning:#?}");
    for needed in [
        "GITHUB_BASE_REF",
        "origin/develop",
        "fetch-depth: 0",
        "git fetch origin develop",
    ] {
        assert!(warning[0].contains(needed), "{needed}: {}", warning[0]);
    }
}

#[test]
fn the_flags_win_over_the_base_branch() {
    let dir = pull_request_checkout();
    let root = dir.path();
    let before = triage(root, None, &[]);
    std::fs::write(root.join("changed.txt"), "shop/orders.py\n").unwrap();
    // `develop` is missing: a flag given, it is not even looked for.
    let out = triage(root, Some("develop"), &["--changed-files", "changed.txt"]);
    let listed = json(&out);
    assert_eq!(listed["changed_files"]["from"], "--changed-files");
    assert_eq!(group(&listed, "test_orders")["touched"], true);
    assert_eq!(group(&listed, "test_cart")["touched"], false);
    assert_eq!(new_lines(&before, &out), Vec::<String>::new());
    let out = triage(root, Some("develop"), &["--base", "HEAD"]);
    let based = json(&out);
    assert_eq!(
        based["changed_files"],
        serde_json::json!({"from": "--base", "since": "HEAD", "count": 0})
    );
    assert_eq!(new_lines(&before, &out), Vec::<String>::new());
}

#[test]
fn a_hostile_base_branch_is_refused_in_one_escaped_line() {
    let dir = pull_request_checkout();
    let root = dir.path();
    let before = triage(root, None, &[]);
    for hostile in [
        "--upload-pack=touch pwned",
        "--output=pwned",
        "main\n::error::forged",
        "main\u{1b}[2J\u{1b}[31mred",
    ] {
        let out = triage(root, Some(hostile), &[]);
        let triage_json = json(&out);
        assert_eq!(triage_json["changed_files"], Value::Null, "{hostile:?}");
        let warning = new_lines(&before, &out);
        assert_eq!(warning.len(), 1, "{hostile:?}: {warning:#?}");
        assert!(warning[0].contains("GITHUB_BASE_REF"), "{}", warning[0]);
        assert!(
            warning[0].contains("is not a branch name"),
            "{}",
            warning[0]
        );
        assert!(!warning[0].contains('\u{1b}'), "{:?}", warning[0]);
        assert!(!warning[0].starts_with("::"), "{:?}", warning[0]);
        assert!(!root.join("pwned").exists(), "{hostile:?} reached git");
    }
}

/// Where each group's test appears in `report`'s terminal output, in
/// GitHub Actions with `GITHUB_BASE_REF` set to `base`: (cart, orders).
fn report_positions(root: &Path, base: Option<&str>) -> (usize, usize, String) {
    let mut command = common::cli::command(root);
    command
        .args(["report", "junit.xml", "--no-github"])
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_BASE_REF");
    if let Some(base) = base {
        command.env("GITHUB_BASE_REF", base);
    }
    let out = command.output().expect("pitcrew runs");
    assert_eq!(out.status.code(), Some(1), "two failures");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let at = |test: &str| {
        stdout
            .find(test)
            .unwrap_or_else(|| panic!("{test} not listed: {stdout}"))
    };
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (at("test_add"), at("test_total"), stderr)
}

#[test]
fn report_ranks_the_group_the_pull_request_touched_first_and_is_quiet_without_the_base() {
    let dir = pull_request_checkout();
    let root = dir.path();
    let (cart, orders, _) = report_positions(root, None);
    assert!(orders < cart, "without the change, the results' order");
    let (cart, orders, _) = report_positions(root, Some("main"));
    assert!(cart < orders, "the touched group leads");
    // A shallow checkout without the base: the same order, no warning.
    let (cart, orders, stderr) = report_positions(root, Some("develop"));
    assert!(orders < cart);
    assert!(!stderr.contains("GITHUB_BASE_REF"), "{stderr}");
}
