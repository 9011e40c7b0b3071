//! Selector healing against the real thing: a page whose controls were
//! renamed, real Playwright tests failing on it in a real Chromium, the
//! error contexts Playwright wrote read back through its JUnit report, the
//! edits applied to a copy, and Playwright re-run on the copy: the healed
//! tests pass. A test with two equally close buttons is not healed. A
//! lost test id heals from the ARIA snapshot to the role, and from the
//! saved DOM (an HTML snapshot a hook wrote) to the new test id. And the
//! same through the binary: `pitcrew triage --fix --apply` heals and lands.
//! A locator kept in a page object (`pages/login.js`) heals there, where
//! the stack says it is, and is verified by re-running the test that
//! called it.
//!
//! Needs `@playwright/test` in the `node_modules` that `PITCREW_JS_MODULES`
//! names and a Chromium (`PITCREW_CHROMIUM`, else `/usr/bin/chromium`).
//! Without them the test is skipped, unless CI names `playwright` or
//! `chromium` in `PITCREW_REQUIRE_RUNNERS`: then it fails.
#![cfg(unix)] // node_modules is linked in with a Unix symlink

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pitcrew::fix::heal::{
    Edit, Failure, HealError, Snapshot, heal, heal_failure, locate_error_context,
};
use pitcrew::suite::junit::{self, Outcome, TestCase};

mod common;
use common::cli::{has_node, pitcrew};
use common::git::{commit_all, git};

const TEST_FILE: &str = "tests/heal.spec.js";

/// The page after the change: every control the tests knew was renamed.
const PAGE: &str = r#"<!doctype html>
<html><head><title>Checkout</title></head><body>
<h1>Checkout</h1>
<label for="mail">Email address</label><input id="mail" type="email">
<button data-testid="save-settings" onclick="document.title='saved'">Save settings</button>
<button onclick="document.title='ordered'">Place order</button>
<ul><li>Pen <button>Remove item</button></li><li>Ink <button>Remove item</button></li></ul>
</body></html>
"#;

/// Tests written against the page before the change.
const SPEC: &str = r#"const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const url = 'file://' + path.join(__dirname, '..', 'page.html');

// The saved DOM next to the error context: the snapshot with test ids.
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus) {
    fs.writeFileSync(info.outputPath('dom.html'), await page.content());
  }
});

test('orders', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Submit order' }).click();
  await expect(page).toHaveTitle('ordered');
});

test('saves', async ({ page }) => {
  await page.goto(url);
  await page.getByTestId('save').click();
  await expect(page).toHaveTitle('saved');
});

test('fills the address', async ({ page }) => {
  await page.goto(url);
  await page.getByLabel('E-mail').fill('a@b.org');
  await expect(page.getByRole('textbox')).toHaveValue('a@b.org');
});

test('removes', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
});
"#;

/// The spec's locators once healed; the ambiguous `Remove` stays as it was.
const HEALED: [&str; 4] = [
    "page.getByRole('button', { name: 'Place order' }).click()",
    "page.getByTestId('save-settings').click()",
    "page.getByRole('textbox', { name: 'Email address' }).fill('a@b.org')",
    "page.getByRole('button', { name: 'Remove', exact: true })",
];

fn config(chromium: &Path) -> String {
    format!(
        r#"const {{ defineConfig }} = require('@playwright/test');
module.exports = defineConfig({{
  testDir: 'tests',
  timeout: 60000,
  retries: 0,
  workers: 1,
  reporter: [['junit', {{ outputFile: 'junit.xml' }}]],
  use: {{
    actionTimeout: 2000,
    launchOptions: {{ executablePath: {chromium:?}, args: ['--no-sandbox'] }},
  }},
}});
"#
    )
}

/// The `node_modules` with Playwright and the Chromium to drive, or None
/// (skipped) when either is missing and CI does not require them.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let modules = std::env::var_os("PITCREW_JS_MODULES")
        .map(PathBuf::from)
        .filter(|d| d.join(".bin").join("playwright").exists() && has_node());
    let chromium = std::env::var_os("PITCREW_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let chromium = chromium.exists().then_some(chromium);
    let required = std::env::var("PITCREW_REQUIRE_RUNNERS").unwrap_or_default();
    for (name, found) in [
        ("playwright", modules.is_some()),
        ("chromium", chromium.is_some()),
    ] {
        assert!(
            found || !required.split(',').any(|r| r == name),
            "{name} is required (PITCREW_REQUIRE_RUNNERS) but missing"
        );
        if !found {
            eprintln!("skipped: {name} is not installed (PITCREW_JS_MODULES, PITCREW_CHROMIUM)");
        }
    }
    Some((modules?, chromium?))
}

fn project(dir: &Path, modules: &Path, chromium: &Path, spec: &str) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    std::os::unix::fs::symlink(modules, dir.join("node_modules")).unwrap();
    fs::write(
        dir.join("package.json"),
        r#"{"name":"heal","private":true}"#,
    )
    .unwrap();
    fs::write(dir.join("playwright.config.js"), config(chromium)).unwrap();
    fs::write(dir.join("page.html"), PAGE).unwrap();
    fs::write(dir.join(TEST_FILE), spec).unwrap();
}

fn playwright(dir: &Path, args: &[&str]) -> (Output, Vec<TestCase>) {
    let _ = fs::remove_file(dir.join("junit.xml"));
    let output = Command::new(dir.join("node_modules/.bin/playwright"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env_remove("CI")
        .output()
        .expect("playwright runs");
    let mut cases = Vec::new();
    junit::parse_file(&dir.join("junit.xml"), |c| cases.push(c))
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&output.stdout)));
    (output, cases)
}

/// What `pitcrew triage --fix` will do with a failed Playwright case.
/// The ARIA snapshot alone (no saved DOM): what `heal` makes of it.
fn heal_from_aria(dir: &Path, case: &TestCase) -> Result<Vec<Edit>, HealError> {
    let details = case.details.as_deref().unwrap_or_default();
    let context = locate_error_context(details, dir, TEST_FILE)
        .unwrap_or_else(|| panic!("{}: no error context in {details}", case.name));
    let markdown = fs::read_to_string(context).unwrap();
    let candidates = heal(&Failure {
        message: case.message.as_deref().unwrap_or_default(),
        details,
        test_file: TEST_FILE,
        test_source: SPEC,
        snapshot: Snapshot::ErrorContext(&markdown),
    })?;
    Ok(candidates.into_iter().map(|c| c.edit).collect())
}

fn apply(source: &str, edit: &Edit) -> String {
    assert_eq!(source.matches(&edit.search).count(), 1, "{edit:?}");
    source.replacen(&edit.search, &edit.replace, 1)
}

#[test]
fn renamed_controls_heal_and_the_healed_tests_pass_in_a_real_chromium() {
    let Some((modules, chromium)) = tools() else {
        return;
    };
    let before = tempfile::tempdir().unwrap();
    project(before.path(), &modules, &chromium, SPEC);
    let (output, cases) = playwright(before.path(), &[]);
    assert!(!output.status.success());
    let failed: Vec<&TestCase> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored))
        .collect();
    assert_eq!(failed.len(), 4, "{cases:#?}");

    let mut healed = SPEC.to_string();
    let mut healed_names = Vec::new();
    for case in &failed {
        // `saves` lost its test id: the ARIA snapshot has none and heals
        // to the role; the saved DOM beside it heals to the new test id,
        // which `heal_failure` puts first.
        if case.name == "saves" {
            let aria = heal_from_aria(before.path(), case).unwrap();
            assert!(
                aria[0]
                    .replace
                    .contains("getByRole('button', { name: 'Save settings' })")
            );
        }
        // As the fix engine calls it: the JUnit case, the test file found
        // from the stack (Playwright's JUnit has no `file`).
        let message = case.message.as_deref().unwrap_or_default();
        let details = case.details.as_deref().unwrap_or_default();
        let healed_case = heal_failure(before.path(), message, details, None)
            .map(|c| c.into_iter().map(|c| c.edit).collect::<Vec<_>>());
        match (case.name.as_str(), healed_case) {
            ("removes", Err(HealError::Ambiguous { first, second, .. })) => {
                assert_eq!(
                    (first.as_str(), second.as_str()),
                    ("button \"Remove item\"", "button \"Remove item\"")
                );
            }
            ("removes", other) => panic!("two equal buttons must not heal: {other:?}"),
            (name, Ok(edits)) => {
                assert_eq!(edits[0].file, TEST_FILE, "found from the stack");
                healed = apply(&healed, &edits[0]);
                healed_names.push(name.to_string());
            }
            (name, Err(e)) => panic!("{name}: {e}"),
        }
    }
    healed_names.sort();
    assert_eq!(healed_names, ["fills the address", "orders", "saves"]);
    for locator in HEALED {
        assert!(healed.contains(locator), "{locator} in\n{healed}");
    }

    // The verification the fix engine does: a fresh copy, the edit
    // applied, the healed tests re-run for real.
    let after = tempfile::tempdir().unwrap();
    project(after.path(), &modules, &chromium, &healed);
    let (output, cases) = playwright(after.path(), &["--grep-invert", "removes"]);
    assert!(
        output.status.success(),
        "{}\n{cases:#?}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(cases.len(), 3);
    assert!(
        cases.iter().all(|c| c.outcome == Outcome::Passed),
        "{cases:#?}"
    );
}

#[test]
fn triage_fix_heals_every_healable_test_of_a_group_and_applies_it() {
    let Some((modules, chromium)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    project(root, &modules, &chromium, SPEC);
    fs::write(root.join(".gitignore"), "junit.xml\ntest-results/\n").unwrap();
    git(root, &["init", "-q"]);
    commit_all(root, "checkout page and its tests");
    let (output, _) = playwright(root, &[]);
    assert!(!output.status.success());

    let (json, stderr) = heal_and_apply(root);
    // Three tests time out on a click (one root cause), one on a fill.
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{json:#}");
    for group in groups {
        let best = &group["suggestions"][0];
        assert_eq!(best["status"], "verified", "{group:#}");
        assert_eq!(best["model"], "selector-healing");
    }
    assert!(
        stderr.contains(TEST_FILE),
        "each file applied is named: {stderr}"
    );

    // Landed: the two clicks and the fill healed, the ambiguous one not.
    let healed = fs::read_to_string(root.join(TEST_FILE)).unwrap();
    for locator in HEALED {
        assert!(healed.contains(locator), "{locator} in\n{healed}");
    }
    let (_, cases) = playwright(root, &[]);
    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| c.outcome != Outcome::Passed)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failing, ["removes"], "{cases:#?}");
}

/// The login page after the change: "Login" became "Log in".
const LOGIN_PAGE: &str = r#"<!doctype html>
<html><head><title>Welcome</title></head><body>
<h1>Welcome back</h1>
<button onclick="document.title='signed in'">Log in</button>
<button onclick="document.title='help'">Help</button>
</body></html>
"#;

const PAGE_OBJECT: &str = "pages/login.js";

/// The page object, written against the page before the change.
const LOGIN_OBJECT: &str = r#"const path = require('path');

class LoginPage {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('file://' + path.join(__dirname, '..', 'login.html'));
  }

  async submit() {
    await this.page.getByRole('button', { name: 'Login' }).click();
  }
}

module.exports = { LoginPage };
"#;

const LOGIN_SPEC_FILE: &str = "tests/login.spec.js";

const LOGIN_SPEC: &str = r#"const { test, expect } = require('@playwright/test');
const { LoginPage } = require('../pages/login');

test('signs in', async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.submit();
  await expect(page).toHaveTitle('signed in');
});
"#;

/// A git repository whose test reaches the button through a page object.
fn page_object_project(dir: &Path, modules: &Path, chromium: &Path) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::create_dir_all(dir.join("pages")).unwrap();
    std::os::unix::fs::symlink(modules, dir.join("node_modules")).unwrap();
    fs::write(
        dir.join("package.json"),
        r#"{"name":"login","private":true}"#,
    )
    .unwrap();
    fs::write(dir.join("playwright.config.js"), config(chromium)).unwrap();
    fs::write(dir.join("login.html"), LOGIN_PAGE).unwrap();
    fs::write(dir.join(PAGE_OBJECT), LOGIN_OBJECT).unwrap();
    fs::write(dir.join(LOGIN_SPEC_FILE), LOGIN_SPEC).unwrap();
    fs::write(dir.join(".gitignore"), "junit.xml\ntest-results/\n").unwrap();
    git(dir, &["init", "-q"]);
    commit_all(dir, "login page, its page object and its test");
}

#[test]
fn a_locator_in_a_page_object_heals_in_the_page_object_and_verifies() {
    let Some((modules, chromium)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    page_object_project(root, &modules, &chromium);
    let (output, cases) = playwright(root, &[]);
    assert!(!output.status.success());
    assert_eq!(cases.len(), 1, "{cases:#?}");
    let case = &cases[0];
    let (message, details) = (
        case.message.as_deref().unwrap_or_default(),
        case.details.as_deref().unwrap_or_default(),
    );
    // The test file's stack line (`await login.submit()`) holds no
    // locator: the page object's does. Whether the results name the test
    // file or not, the edit is the page object's.
    for named in [Some(LOGIN_SPEC_FILE), None] {
        let candidates = heal_failure(root, message, details, named)
            .unwrap_or_else(|e| panic!("{named:?}: {e}\n{details}"));
        let edit = &candidates[0].edit;
        assert_eq!(edit.file, PAGE_OBJECT, "{named:?}");
        assert_eq!(
            edit.search,
            "    await this.page.getByRole('button', { name: 'Login' }).click();"
        );
        assert_eq!(
            edit.replace,
            "    await this.page.getByRole('button', { name: 'Log in' }).click();"
        );
    }

    // Through the binary: healed, verified by re-running the test in a
    // copy of the tree, and landed in the page object.
    let (json, stderr) = heal_and_apply(root);
    let best = &json["groups"][0]["suggestions"][0];
    assert_eq!(best["status"], "verified", "{json:#}");
    assert_eq!(best["model"], "selector-healing");
    assert_eq!(best["edits"][0]["file"], PAGE_OBJECT);
    assert!(
        stderr.contains(PAGE_OBJECT),
        "the file applied is named: {stderr}"
    );
    assert_eq!(
        fs::read_to_string(root.join(LOGIN_SPEC_FILE)).unwrap(),
        LOGIN_SPEC,
        "the test itself is untouched"
    );
    let healed = fs::read_to_string(root.join(PAGE_OBJECT)).unwrap();
    assert!(
        healed.contains("getByRole('button', { name: 'Log in' })"),
        "{healed}"
    );
    let (output, cases) = playwright(root, &[]);
    assert!(
        output.status.success(),
        "{}\n{cases:#?}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// `pitcrew triage junit.xml --no-suggest --fix --apply` re-running
/// Playwright in `root`: exit 0, the triage as JSON, and what it printed
/// on stderr.
fn heal_and_apply(root: &Path) -> (serde_json::Value, String) {
    let out = pitcrew(
        &[
            "triage",
            "junit.xml",
            "--no-suggest",
            "--fix",
            "--apply",
            "--format",
            "json",
            "--",
            "node_modules/.bin/playwright",
            "test",
        ],
        root,
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (json, stderr)
}
