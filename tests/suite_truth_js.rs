//! "Every test counted exactly once, and a failure is never hidden", on
//! Jest and Vitest: same-named tests in describe blocks and `test.each`
//! loops, names that differ only in a tab or a newline, a hung test under
//! `--timeout`, and the tests `--bail` never ran.
//!
//! They need jest and vitest from the npm registry, in the `node_modules`
//! that `PITCREW_JS_MODULES` names; without it they are skipped, unless CI
//! names the runner in `PITCREW_REQUIRE_RUNNERS`: then they fail.
#![cfg(unix)] // node_modules is linked in with a Unix symlink

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

mod common;
use common::cli::{has_node, pitcrew};

fn text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The `node_modules` with `tool` that `PITCREW_JS_MODULES` names.
fn modules(tool: &str) -> Option<PathBuf> {
    modules_in("PITCREW_JS_MODULES", tool, tool)
}

/// The `node_modules` with `tool` that `variable` names; `required` is its
/// name in `PITCREW_REQUIRE_RUNNERS`.
fn modules_in(variable: &str, tool: &str, required: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(variable).map(PathBuf::from);
    let found = dir
        .as_ref()
        .filter(|d| d.join(".bin").join(tool).exists() && has_node());
    let wanted = std::env::var("PITCREW_REQUIRE_RUNNERS").unwrap_or_default();
    assert!(
        found.is_some() || !wanted.split(',').any(|r| r == required),
        "{required} is required (PITCREW_REQUIRE_RUNNERS) but {variable} has no {tool}"
    );
    if found.is_none() {
        eprintln!("skipped: set {variable} to a node_modules with {tool}");
    }
    found.cloned()
}

/// One of the two runners: how its test files start and how it is run.
struct Js {
    tool: &'static str,
    /// What a test file needs before its tests (Vitest imports its API).
    prelude: &'static str,
    package: &'static str,
    command: &'static [&'static str],
}

const JEST: Js = Js {
    tool: "jest",
    prelude: "",
    package: r#"{"name":"probe","private":true}"#,
    command: &["npx", "jest"],
};

const VITEST: Js = Js {
    tool: "vitest",
    prelude: "import { describe, it, test, expect } from 'vitest';\n",
    package: r#"{"name":"probe","type":"module","private":true}"#,
    command: &["npx", "vitest"],
};

/// One file in two of Jest's projects runs once for each, side by side
/// in two workers, and Jest names the first copy's project in the other's
/// live results: one copy's end forgot what the other had reported, and
/// its tests counted up to three times (round 66, on enhanced-resolve).
#[test]
fn jest_a_file_in_two_projects_run_side_by_side_counts_each_copy_once() {
    let shared = "const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
describe('shared', () => {\n  for (let i = 0; i < 5; i++) test('t' + i, async () => { await sleep(300); });\n});\n";
    let Some(dir) = project(
        &JEST,
        &[
            ("test/shared.test.js", shared),
            ("test/other.test.js", "test('other', () => {});\n"),
        ],
    ) else {
        return;
    };
    fs::write(
        dir.path().join("jest.config.js"),
        "module.exports = { projects: [\n\
  { displayName: 'one', testMatch: ['<rootDir>/test/*.test.js'] },\n\
  { displayName: 'two', testMatch: ['<rootDir>/test/shared.test.js'] },\n] };\n",
    )
    .unwrap();
    // The default (jest's own workers, then a plan from history) and one
    // shard: jest alone counts 11.
    for args in [&[][..], &[][..], &["--shards", "1"][..]] {
        let (out, merged) = pitcrew_test(dir.path(), &JEST, args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        assert_eq!(summary(&merged), (11, 11, 0, 0), "{args:?}: {merged:#}");
    }
}

/// A project for `js` with `files` (each given its prelude), or None when
/// the runner is not installed.
fn project(js: &Js, files: &[(&str, &str)]) -> Option<tempfile::TempDir> {
    Some(project_on(&modules(js.tool)?, js, files))
}

/// A project for `js` with `files` on this `node_modules`.
fn project_on(modules: &Path, js: &Js, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(modules, dir.path().join("node_modules")).unwrap();
    fs::write(dir.path().join("package.json"), js.package).unwrap();
    for (name, body) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("{}{body}", js.prelude)).unwrap();
    }
    dir
}

/// A Vitest 2 project of `files` (each given Vitest's prelude), or None
/// when Vitest 2 is not installed.
fn vitest_2_project(files: &[(&str, &str)]) -> Option<tempfile::TempDir> {
    let modules = modules_in("PITCREW_JS_MODULES_VITEST2", "vitest", "vitest2")?;
    Some(project_on(&modules, &VITEST, files))
}

fn vitest_3_project(files: &[(&str, &str)]) -> Option<tempfile::TempDir> {
    let modules = modules_in("PITCREW_JS_MODULES_VITEST3", "vitest", "vitest3")?;
    Some(project_on(&modules, &VITEST, files))
}

/// Makes a project of some files under one Vitest, or None without it.
type VitestProject = fn(&[(&str, &str)]) -> Option<tempfile::TempDir>;

/// A test file with `a1`, failing in the first attempt only, and `a2`,
/// padded to be the largest file: jest and Vitest start with it.
fn largest_with_a_flaky_test() -> String {
    format!(
        "test('a1', () => {{ expect(process.env.PITCREW_ATTEMPT).not.toBe('1'); }});\n\
         test('a2', () => {{}});\n// {}\n",
        "x".repeat(4000)
    )
}

/// `check` on a project of `files` under each Vitest installed: 4, 3, 2.
fn under_every_vitest(files: &[(&str, &str)], check: fn(&tempfile::TempDir)) {
    let projects: [VitestProject; 3] = [
        |files| project(&VITEST, files),
        vitest_3_project,
        vitest_2_project,
    ];
    for make in projects {
        if let Some(dir) = make(files) {
            check(&dir);
        }
    }
}

/// One file in two of Vitest's projects: the copy in `lite` skipped, the
/// other failing first and passing on retry. Their results come in either
/// order; the retry's skip took the flaky copy's place (failed, exit 1,
/// where Vitest alone passes on a second run) and the skipped copy
/// "passed". Each result now goes to the copy whose earlier runs it is like.
#[test]
fn vitest_a_file_in_two_projects_keeps_each_copys_own_verdict() {
    let flaky = "import fs from 'node:fs';\n\
const flag = new URL('../.flag', import.meta.url);\n\
test.skipIf(process.env.PROJ === 'lite')('feature works', () => {\n\
  if (!fs.existsSync(flag)) { fs.writeFileSync(flag, ''); throw new Error('flaky: first attempt'); }\n\
});\n";
    let Some(dir) = project(&VITEST, &[("test/t.test.js", flaky)]) else {
        return;
    };
    fs::write(
        dir.path().join("vitest.config.mjs"),
        "import { defineConfig } from 'vitest/config';\n\
export default defineConfig({ test: { projects: [\n\
  { test: { name: 'node', include: ['test/*.test.js'], env: { PROJ: 'node' } } },\n\
  { test: { name: 'lite', include: ['test/*.test.js'], env: { PROJ: 'lite' } } },\n\
] } });\n",
    )
    .unwrap();
    for round in 0..3 {
        let _ = fs::remove_file(dir.path().join(".flag"));
        let (out, merged) = pitcrew_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", text(&out));
        assert_eq!(
            summary(&merged),
            (2, 0, 0, 1),
            "round {round}: {}",
            merged["tests"]
        );
        let skipped = all_tests(&merged)
            .iter()
            .filter(|t| t["outcome"] == "skipped")
            .count();
        assert_eq!(skipped, 1, "round {round}: {}", merged["tests"]);
    }
}

/// Vitest 2 reports only when its run ends: a hung test lost every result
/// of the run. The trace its workers write keeps them, as under Vitest 3.
#[test]
fn vitest_2_a_hung_test_is_named_and_the_rest_is_kept() {
    for hang in [AWAITS, BLOCKS] {
        let hangs = hangs(hang);
        let files = [("test/a.test.js", hangs.as_str()), ("test/b.test.js", FINE)];
        if let Some(dir) = vitest_2_project(&files) {
            a_hung_test_is_named_in(&dir, &VITEST, ONE_SHARD, &["--testTimeout=600000"]);
        }
    }
}

/// Vitest 2, whose reporters get none of Vitest 3's hooks: every test of
/// a green suite was "produced no test case" and the run failed. Its
/// results now come from its `onFinished`: nested names, a failure, a
/// skipped and a todo test, a file that does not import, and a retry.
#[test]
fn vitest_2_counts_every_test() {
    let a = "describe('outer', () => { describe('inner', () => {\n\
           it('deep', () => expect(1).toBe(1));\n\
           it.skip('skipped', () => {});\n\
           it('fails', () => expect(1).toBe(2));\n\
         }); });\n\
         test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
         let runs = 0;\n\
         test('retried by vitest', { retry: 2 }, () => { runs += 1; expect(runs).toBe(2); });\n\
         test.todo('later');\n";
    let b = "import './nope.js';\ntest('x', () => {});\n";
    let Some(dir) = vitest_2_project(&[("test/a.test.js", a), ("test/b.test.js", b)]) else {
        return;
    };
    let (out, merged) = pitcrew_test(
        dir.path(),
        &VITEST,
        &["--shards", "2", "--retries", "1"],
        &["run"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "outer > inner", "deep"), ["passed"]);
    assert_eq!(outcomes(&merged, "outer > inner", "fails"), ["failed"]);
    assert_eq!(outcomes(&merged, "outer > inner", "skipped"), ["skipped"]);
    assert_eq!(outcomes(&merged, "", "later"), ["skipped"]);
    assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"]);
    assert_eq!(outcomes(&merged, "", "retried by vitest"), ["flaky"]);
    let b = test_named(&merged, "test/b.test.js");
    assert_eq!(b["outcome"], "failed", "{b}");
    assert_eq!(all_tests(&merged).len(), 7, "{}", merged["tests"]);
}

/// A Playwright project of `files` (see [`project`]) with this
/// `playwright.config.js`.
fn playwright_project(files: &[(&str, &str)], config: &str) -> Option<tempfile::TempDir> {
    let dir = project(&PLAYWRIGHT, files)?;
    fs::write(dir.path().join("playwright.config.js"), config).unwrap();
    Some(dir)
}

/// `pitcrew test --shards 1 ARGS -- COMMAND EXTRA` in `dir`, and the
/// merged results it wrote.
fn local_test(dir: &Path, js: &Js, args: &[&str], extra: &[&str]) -> (Output, Value) {
    let mut all = vec!["--shards", "1"];
    all.extend_from_slice(args);
    pitcrew_test(dir, js, &all, extra)
}

/// `pitcrew test ARGS -- COMMAND EXTRA` in `dir`, and the merged results.
fn pitcrew_test(dir: &Path, js: &Js, args: &[&str], extra: &[&str]) -> (Output, Value) {
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    all.push("--");
    all.extend_from_slice(js.command);
    all.extend_from_slice(extra);
    let out = pitcrew(&all, dir);
    let merged = fs::read_to_string(dir.join("pitcrew-results.json"))
        .unwrap_or_else(|e| panic!("no pitcrew-results.json ({e})\n{}", text(&out)));
    (
        out,
        serde_json::from_str(&merged).expect("results are JSON"),
    )
}

fn summary(merged: &Value) -> (u64, u64, u64, u64) {
    let s = &merged["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or(u64::MAX);
    (n("tests"), n("passed"), n("failed"), n("flaky"))
}

fn all_tests(merged: &Value) -> &Vec<Value> {
    merged["tests"].as_array().expect("tests")
}

/// The outcomes of the tests called `name` (any file, any describe path).
fn outcomes(merged: &Value, classname: &str, name: &str) -> Vec<String> {
    all_tests(merged)
        .iter()
        .filter(|t| t["key"]["classname"] == classname && t["key"]["name"] == name)
        .map(|t| t["outcome"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The test called `name` (the first of that name); it must be there.
fn test_named<'a>(merged: &'a Value, name: &str) -> &'a Value {
    all_tests(merged)
        .iter()
        .find(|t| t["key"]["name"] == name)
        .unwrap_or_else(|| panic!("no test named {name:?}: {merged:#}"))
}

/// The failure type of the test called `name`.
fn failure_type(merged: &Value, name: &str) -> Option<String> {
    all_tests(merged)
        .iter()
        .find(|t| t["key"]["name"] == name)
        .map(|t| {
            t["failure"]["failure_type"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
}

const SAME_NAMES: &str = "describe('users', () => { it('returns 200', () => {}); });\n\
describe('orders', () => { it('returns 200', () => { expect(500).toBe(200); }); });\n\
test.each([1, 2, 3])('in a loop', () => {});\n\
it('tab\\there', () => {});\n\
it('tab here', () => {});\n\
it('new\\nline', () => {});\n\
it('new line', () => {});\n";

fn same_names_are_distinct_tests(js: &Js) {
    let Some(dir) = project(js, &[("test/api.test.js", SAME_NAMES)]) else {
        return;
    };
    for retries in ["0", "2"] {
        let (out, merged) = local_test(dir.path(), js, &["--retries", retries], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        // The failure is a failure, not "flaky", with or without re-runs.
        assert_eq!(summary(&merged), (9, 8, 1, 0), "{}", merged["tests"]);
        assert_eq!(outcomes(&merged, "orders", "returns 200"), ["failed"]);
        assert_eq!(outcomes(&merged, "users", "returns 200"), ["passed"]);
        assert_eq!(outcomes(&merged, "", "in a loop").len(), 3);
        for name in ["tab\there", "tab here", "new\nline", "new line"] {
            assert_eq!(outcomes(&merged, "", name), ["passed"], "{name:?}");
        }
        let files: Vec<&Value> = all_tests(&merged)
            .iter()
            .map(|t| &t["key"]["file"])
            .collect();
        assert!(files.iter().all(|f| *f == "test/api.test.js"), "{files:?}");
    }
}

/// A failure message cut by our reporter between the halves of an emoji
/// was a record no JSON reader takes: the failed test vanished, and the
/// shard was blamed on "a check of its own". It is a failed test again.
fn a_message_cut_inside_an_emoji_keeps_its_test(js: &Js, repeat: usize, extra: &[&str]) {
    let file = format!(
        "test('huge', () => {{ throw new Error('x'.repeat({repeat}) + '\\u{{1F600}} tail'); }});\ntest('passes', () => {{}});\n"
    );
    let Some(dir) = project(js, &[("a.test.js", file.as_str())]) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), js, &["--retries", "0"], extra);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 1, 0), "{merged:#}");
    assert_eq!(test_named(&merged, "huge")["outcome"], "failed");
    assert!(
        merged["problems"].as_array().unwrap().is_empty(),
        "{merged:#}"
    );
}

#[test]
fn jest_a_message_cut_inside_an_emoji_keeps_its_test() {
    // "Error: " and 16,376 x's: the emoji's first half is the 16,384th unit.
    a_message_cut_inside_an_emoji_keeps_its_test(&JEST, 16376, &[]);
}

#[test]
fn vitest_a_message_cut_inside_an_emoji_keeps_its_test() {
    a_message_cut_inside_an_emoji_keeps_its_test(&VITEST, 16383, &["run"]);
}

/// A global setup that throws stops Vitest before any test: the tests that
/// never ran say why in the runner's words, not only that it stopped.
#[test]
fn vitest_a_global_setup_error_is_what_the_tests_that_never_ran_say() {
    let Some(dir) = project(&VITEST, &[("a.test.js", "test('a', () => {});\n")]) else {
        return;
    };
    fs::write(
        dir.path().join("setup.js"),
        "export default () => { throw new Error('DATABASE_URL is not set'); };\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("vitest.config.mjs"),
        "export default { test: { globalSetup: ['./setup.js'] } };\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "0"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let message = merged.to_string();
    assert!(message.contains("DATABASE_URL is not set"), "{merged:#}");
}

/// The user's `--json --outputFile` (jest) or `--reporter=json
/// --outputFile` (vitest) was written by each runner process, the last one
/// winning: one shard's tests, or only a retry's. It now holds the whole
/// run, retries folded: every file, the flaky test passed after two runs.
fn users_json_report_holds_the_whole_run(js: &Js, flags: &[&str]) {
    let flaky = "const fs = require('fs');\n\
describe('pay', () => { test('flaky once', () => {\n\
  const first = !fs.existsSync('marker');\n\
  fs.writeFileSync('marker', 'x');\n\
  expect(first).toBe(false);\n\
}); });\n";
    let files = [
        ("a.test.js", flaky),
        ("b.test.js", "test('b', () => {});\n"),
        ("c.test.js", "test('c', () => {});\n"),
    ];
    let Some(dir) = project(js, &files) else {
        return;
    };
    let (out, merged) = pitcrew_test(dir.path(), js, &["--shards", "3", "--retries", "1"], flags);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{merged:#}");
    let report: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["numTotalTests"], 3, "{report:#}");
    assert_eq!(report["numPassedTests"], 3, "{report:#}");
    assert_eq!(report["success"], true, "{report:#}");
    let files = report["testResults"].as_array().unwrap();
    assert_eq!(files.len(), 3, "{report:#}");
    let a = &files[0]["assertionResults"][0];
    assert_eq!(
        a["ancestorTitles"],
        serde_json::json!(["pay"]),
        "{report:#}"
    );
    assert_eq!(a["title"], "flaky once");
    assert_eq!(a["invocations"], 2, "{report:#}");
    assert!(
        files[0]["name"]
            .as_str()
            .is_some_and(|n| n.starts_with('/') && n.ends_with("a.test.js")),
        "{report:#}"
    );
}

#[test]
fn jest_users_json_report_holds_the_whole_run() {
    users_json_report_holds_the_whole_run(&JEST, &["--json", "--outputFile=r.json"]);
}

/// Jest's record of each file's last result (what `--onlyFailures` runs)
/// is written whole by each Jest process: of shards side by side the last
/// to end won, and a later `jest --onlyFailures` left the other shard's
/// failed file out. After the run it holds every shard's.
#[test]
fn jest_only_failures_after_shards_side_by_side_runs_every_failed_file() {
    let files = [
        (
            "a.test.js",
            "test('a bug', () => { expect(1).toBe(2); });\n",
        ),
        (
            "b.test.js",
            "test('b bug', () => { expect(1).toBe(2); });\n",
        ),
        ("c.test.js", "test('c ok', () => {});\n"),
        ("d.test.js", "test('d ok', () => {});\n"),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    // A cache folder of the project's own, not the machine's.
    let config = "module.exports = { cacheDirectory: '<rootDir>/.jest-cache' };\n";
    fs::write(dir.path().join("jest.config.js"), config).unwrap();
    let args = ["--shards", "2", "--retries", "0"];
    let (out, merged) = pitcrew_test(dir.path(), &JEST, &args, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 2, 2, 0), "{merged:#}");
    let only = std::process::Command::new("npx")
        .args(["jest", "--onlyFailures", "--json", "--outputFile=only.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report = fs::read_to_string(dir.path().join("only.json"))
        .unwrap_or_else(|e| panic!("no only.json ({e})\n{}", text(&only)));
    let report: Value = serde_json::from_str(&report).unwrap();
    let mut ran: Vec<&str> = report["testResults"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str()?.rsplit('/').next())
        .collect();
    ran.sort_unstable();
    assert_eq!(ran, ["a.test.js", "b.test.js"], "{}", text(&only));
}

#[test]
fn vitest_users_json_report_holds_the_whole_run() {
    users_json_report_holds_the_whole_run(
        &VITEST,
        &["run", "--reporter=json", "--outputFile", "r.json"],
    );
}

/// Jest's own retries (`jest.retryTimes`) report each attempt of a test as
/// it ends: every attempt was a test of its own, so a test that passed on
/// Jest's retry failed a green run and one that always failed counted three
/// times. They are attempts of one test: a pass after them is flaky.
#[test]
fn jest_retry_times_attempts_are_runs_of_one_test() {
    let flaky = "const fs = require('fs');\n\
jest.retryTimes(2);\n\
test('flaky once', () => {\n\
  const first = !fs.existsSync('marker');\n\
  fs.writeFileSync('marker', 'x');\n\
  expect(first).toBe(false);\n\
});\n\
describe('same', () => { test('name', () => {}); test('name', () => {}); });\n";
    let always = "jest.retryTimes(2);\ntest('always fails', () => { expect(1).toBe(2); });\n\
test('passes', () => {});\n";
    let Some(dir) = project(&JEST, &[("test/flaky.test.js", flaky)]) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{}", merged["tests"]);
    assert_eq!(outcomes(&merged, "", "flaky once"), ["flaky"]);
    assert_eq!(outcomes(&merged, "same", "name"), ["passed", "passed"]);
    fs::write(dir.path().join("test/always.test.js"), always).unwrap();
    fs::remove_file(dir.path().join("marker")).unwrap();
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (5, 3, 1, 1), "{}", merged["tests"]);
    let failed = test_named(&merged, "always fails");
    assert_eq!(failed["attempts"], 3, "{failed:#}");
    // Rows of one name (`test.each` without a placeholder): each row's
    // retry is that row's, not a test of its own, and a row's failure is
    // never another row's rerun.
    fs::remove_file(dir.path().join("test/always.test.js")).unwrap();
    fs::remove_file(dir.path().join("marker")).unwrap();
    let rows = "const fs = require('fs');\n\
jest.retryTimes(1);\n\
test.each([[1], [2], [3]])('adds', (n) => {\n\
  if (n === 1) { const first = !fs.existsSync('marker'); fs.writeFileSync('marker', 'x'); expect(first).toBe(false); }\n\
  if (n === 3) expect(n).toBe(0);\n\
});\n";
    fs::write(dir.path().join("test/flaky.test.js"), rows).unwrap();
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 1, 1, 1), "{}", merged["tests"]);
    let mut adds = outcomes(&merged, "", "adds");
    adds.sort();
    assert_eq!(adds, ["failed", "flaky", "passed"]);
}

/// Jest fails a run for an obsolete snapshot outside every test; beside a
/// test that failed and passed on its retry, the run passed. Without the
/// obsolete snapshot the same run is green, flaky test and all.
#[test]
fn jest_an_obsolete_snapshot_is_not_hidden_by_a_flaky_test() {
    let flaky = "const fs = require('fs');\n\
test('flaky', () => {\n\
  const first = !fs.existsSync('marker');\n\
  fs.writeFileSync('marker', 'x');\n\
  expect(first).toBe(false);\n\
});\n";
    let snap = "test('snap', () => { expect('x').toMatchSnapshot(); });\n";
    let Some(dir) = project(
        &JEST,
        &[("test/a.test.js", snap), ("test/b.test.js", flaky)],
    ) else {
        return;
    };
    let snapshots = |extra: &str| {
        fs::create_dir_all(dir.path().join("test/__snapshots__")).unwrap();
        fs::write(
            dir.path().join("test/__snapshots__/a.test.js.snap"),
            format!("// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing\n\n{extra}exports[`snap 1`] = `\"x\"`;\n"),
        )
        .unwrap();
        let _ = fs::remove_file(dir.path().join("marker"));
    };
    snapshots("");
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["--ci"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
    snapshots("exports[`gone 1`] = `\"old\"`;\n\n");
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["--ci"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
    let problems = merged["problems"].to_string();
    assert!(problems.contains("1 obsolete snapshot"), "{problems}");
}

/// vitest reads a file it is given as a substring of its files' paths: a
/// shard given `test/server.test.js` also ran
/// `packages/core/test/server.test.js`, planned in another shard, so that
/// file ran twice at once (two attempts at `--retries 0`; a fixed port
/// failed a green suite). Such files are planned in one shard.
#[test]
fn vitest_files_one_filter_would_also_run_share_a_shard() {
    let test = |name: &str| {
        format!(
            "test('{name}', async () => {{ await new Promise((r) => setTimeout(r, 300)); }});\n"
        )
    };
    let Some(dir) = project(
        &VITEST,
        &[
            ("test/server.test.js", &test("root")),
            ("packages/core/test/server.test.js", &test("core")),
            ("test/other.test.js", &test("other")),
            ("src/a.test.ts", &test("a")),
            ("src/a.test.tsx", &test("a x")),
        ],
    ) else {
        return;
    };
    let (out, merged) = pitcrew_test(
        dir.path(),
        &VITEST,
        &["--shards", "3", "--jobs", "3", "--retries", "0"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (5, 5, 0, 0), "{}", merged["tests"]);
    for test in all_tests(&merged) {
        assert_eq!(test["attempts"], 1, "{test:#}");
    }
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap())
            .unwrap();
    let shard_of = |file: &str| {
        plan["shards"]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s["items"].as_array().unwrap().iter().any(|i| i == file))
    };
    assert_eq!(
        shard_of("test/server.test.js"),
        shard_of("packages/core/test/server.test.js"),
        "{plan}"
    );
    assert_eq!(
        shard_of("src/a.test.ts"),
        shard_of("src/a.test.tsx"),
        "{plan}"
    );
}

/// A failed run that Jest would retry is kept when Jest is stopped before
/// the retry (a timeout): the test is failed, not lost.
#[test]
fn jest_a_failed_run_before_its_retry_is_kept_at_a_timeout() {
    let file = "jest.retryTimes(2);\n\
test('fails', () => { throw new Error('first'); });\n\
test('hangs', () => new Promise(() => {}));\n";
    let Some(dir) = project(&JEST, &[("test/a.test.js", file)]) else {
        return;
    };
    let (out, merged) = local_test(
        dir.path(),
        &JEST,
        &["--retries", "0", "--timeout", "45"],
        &["--testTimeout=600000"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "fails"), ["failed"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "hangs"), ["failed"], "{merged:#}");
}

/// A name holding half a surrogate pair reaches pitcrew as U+FFFD: its
/// retry's `-t` pattern selected nothing, and a flaky test stayed failed.
fn a_flaky_test_named_with_a_lone_surrogate_is_retried(js: &Js, extra: &[&str]) {
    let file = "const once = () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('once'); };\n\
test('half \\ud800 of a pair', once);\n\
describe('block \\udc00', () => { it('inner', once); });\n\
test('whole \\u{1F600}', () => {});\n";
    let Some(dir) = project(js, &[("test/odd.test.js", file)]) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), js, &["--retries", "1"], extra);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 1, 0, 2), "{}", merged["tests"]);
    assert_eq!(outcomes(&merged, "", "half \u{FFFD} of a pair"), ["flaky"]);
    assert_eq!(outcomes(&merged, "block \u{FFFD}", "inner"), ["flaky"]);
}

#[test]
fn jest_a_flaky_test_named_with_a_lone_surrogate_is_retried() {
    a_flaky_test_named_with_a_lone_surrogate_is_retried(&JEST, &[]);
}

#[test]
fn vitest_a_flaky_test_named_with_a_lone_surrogate_is_retried() {
    a_flaky_test_named_with_a_lone_surrogate_is_retried(&VITEST, &["run"]);
}

/// A flaky test whose name is drawn anew each run (`Math.random()` in
/// it): its `-t` retry selected nothing, so it stayed failed (red where
/// the runner passes its second run). Its file's whole run names it anew:
/// that run's one unseen name is its result.
fn a_flaky_test_named_at_random_is_flaky(js: &Js, extra: &[&str]) {
    let file = "test('stable', () => {});\n\
test('random ' + Math.random(), () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('once'); });\n";
    let Some(dir) = project(js, &[("test/drawn.test.js", file)]) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), js, &["--retries", "1"], extra);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
}

#[test]
fn jest_a_flaky_test_named_at_random_is_flaky() {
    a_flaky_test_named_at_random_is_flaky(&JEST, &[]);
}

#[test]
fn vitest_a_flaky_test_named_at_random_is_flaky() {
    a_flaky_test_named_at_random_is_flaky(&VITEST, &["run"]);
}

/// Vitest's own retries (`--retry`) ran a test again in its process: the
/// test passed after a failure, and pitcrew said passed in 1 attempt.
#[test]
fn vitest_retry_attempts_make_a_test_flaky() {
    let flaky = "import fs from 'node:fs';\n\
test('flaky once', () => {\n\
  const first = !fs.existsSync('marker');\n\
  fs.writeFileSync('marker', 'x');\n\
  expect(first).toBe(false);\n\
});\n\
test('always fails', () => { expect(1).toBe(2); });\n";
    let Some(dir) = project(&VITEST, &[("test/flaky.test.js", flaky)]) else {
        return;
    };
    let (out, merged) = local_test(
        dir.path(),
        &VITEST,
        &["--retries", "0"],
        &["run", "--retry", "2"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 0, 1, 1), "{}", merged["tests"]);
    let failed = test_named(&merged, "always fails");
    assert_eq!(failed["attempts"], 3, "{failed:#}");
}

/// Vitest fails a run for an error no test caught (a rejection after a
/// test ended) though every test passed: it is a failed case of the file
/// (`unhandled error`), not retried, so a flaky test's retry does not
/// hide it.
#[test]
fn vitest_an_unhandled_error_fails_the_run() {
    let file = "test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
test('leaks', () => { Promise.reject(new Error('UNHANDLED in the background')); });\n";
    let Some(dir) = project(&VITEST, &[("test/a.test.js", file)]) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(
        outcomes(&merged, "", "unhandled error"),
        ["failed"],
        "{merged:#}"
    );
    let failure = &test_named(&merged, "unhandled error")["failure"];
    let message = failure["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("UNHANDLED in the background"),
        "{failure:#}"
    );
    // A project that lets them pass (as Vitest then does) passes.
    fs::write(
        dir.path().join("vitest.config.mjs"),
        "export default { test: { dangerouslyIgnoreUnhandledErrors: true } };\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        outcomes(&merged, "", "unhandled error"),
        Vec::<String>::new()
    );
}

/// A test file whose `@vitest-environment` cannot load never starts:
/// Vitest fails the run with an unhandled error naming no test (Vitest 4:
/// `Failed to start forks worker for test files …`). pitcrew filed it as a
/// failure of whichever file came first, a file that passed, and named the
/// file itself as "stopped after a failed test (--bail)" (round 19, msw):
/// one cause, two failures, one of them on an innocent file. Each file
/// that could not start is the failure, with its environment's error
/// (two of them here, each naming another environment).
fn an_environment_that_cannot_load_fails_its_own_file(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 2, 2, 0), "{:#}", merged["tests"]);
    assert_eq!(
        outcomes(&merged, "", "unhandled error"),
        Vec::<String>::new(),
        "{:#}",
        merged["tests"]
    );
    for (file, environment) in [
        ("test/ws.test.js", "no-such-env"),
        ("test/wt.test.js", "other-env"),
    ] {
        let failure = &test_named(&merged, file)["failure"];
        let message = failure["message"].as_str().unwrap_or_default();
        assert!(message.contains(environment), "{failure:#}");
        assert!(!message.contains("never ran"), "{failure:#}");
    }
}

#[test]
fn vitest_an_environment_that_cannot_load_fails_its_own_file() {
    let files = [
        (
            "test/a.test.js",
            "test('a passes', () => {});
",
        ),
        (
            "test/b.test.js",
            "test('b passes', () => {});
",
        ),
        (
            "test/ws.test.js",
            "// @vitest-environment no-such-env\ntest('ws', () => {});\n",
        ),
        (
            "test/wt.test.js",
            "/**\n * @vitest-environment other-env\n */\ntest('wt', () => {});\n",
        ),
    ];
    under_every_vitest(&files, an_environment_that_cannot_load_fails_its_own_file);
}

/// `bail` in Vitest's config: after the first failure Vitest cancels the
/// run and marks what it cancelled *skipped*, under Vitest 4 a concurrent
/// test already running among them. Beside a flaky test, which failed
/// first and passed on its retry, the run passed (exit 0) though a real
/// failure never got to fail (round 20). A test the run cancelled is now
/// one that never ran, and fails the run; one its file skips stays skipped.
fn a_bail_does_not_pass_off_cancelled_tests_as_skipped(dir: &tempfile::TempDir) {
    fs::write(
        dir.path().join("vitest.config.mjs"),
        "export default { test: { bail: 1 } };\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "beta", "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcomes(&merged, "beta", "real"), ["failed"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "after"), ["failed"], "{merged:#}");
    assert_eq!(
        outcomes(&merged, "beta", "declared"),
        ["skipped"],
        "{merged:#}"
    );
}

#[test]
fn vitest_a_bail_does_not_pass_off_cancelled_tests_as_skipped() {
    let files = [(
        "test/a.test.js",
        "describe.concurrent('beta', () => {\n\
           test('real', async () => { await new Promise((r) => setTimeout(r, 50)); expect(1).toBe(2); });\n\
           test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
           test.skip('declared', () => {});\n\
         });\n\
         test('after', () => { expect(1).toBe(2); });\n",
    )];
    under_every_vitest(&files, a_bail_does_not_pass_off_cancelled_tests_as_skipped);
}

/// A `describe` whose own `beforeAll` or `afterAll` throws fails Vitest's
/// run while its tests read as skipped (or passed). Beside a flaky test,
/// which failed and passed on its retry, the run passed (exit 0) and the
/// hook's failure was never named (round 17). Each such block is now one
/// failed test named by the block, with the hook's error.
fn a_failed_hook_of_a_block_is_not_hidden_by_a_flaky_test(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(
        outcomes(&merged, "", "hook block"),
        ["failed"],
        "{merged:#}"
    );
    assert_eq!(
        outcomes(&merged, "outer", "after block"),
        ["failed"],
        "{merged:#}"
    );
    let failure = &test_named(&merged, "hook block")["failure"];
    assert!(
        failure["message"]
            .as_str()
            .unwrap_or_default()
            .contains("beforeAll exploded"),
        "{failure:#}"
    );
    assert_eq!(outcomes(&merged, "outer > after block", "runs"), ["passed"]);
}

const HOOKS: &str = "import { afterAll, beforeAll, describe, it } from 'vitest';\n\
describe('hook block', () => {\n\
  beforeAll(() => { throw new Error('beforeAll exploded'); });\n\
  it('inside 1', () => {});\n\
  it('inside 2', () => {});\n\
});\n\
describe('outer', () => { describe('after block', () => {\n\
  afterAll(() => { throw new Error('afterAll exploded'); });\n\
  it('runs', () => {});\n\
}); });\n";

const FLAKY: &str = "test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n";

#[test]
fn vitest_a_failed_hook_of_a_block_is_not_hidden_by_a_flaky_test() {
    let files = [("test/hook.test.js", HOOKS), ("test/ok.test.js", FLAKY)];
    under_every_vitest(
        &files,
        a_failed_hook_of_a_block_is_not_hidden_by_a_flaky_test,
    );
}

/// A `describe` whose `beforeAll` or `afterAll` fails only in the first
/// attempt: Vitest passes the second run. The block's failure was not
/// retried (its hook would only fail again, it was thought) and the run
/// read red. The block is retried with its tests and reads flaky; a real
/// failure beside a flaky hook stays, and a hook failing every run too.
fn a_blocks_flaky_hook_is_flaky(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    for (classname, name, outcome) in [
        ("", "before block", "flaky"),
        ("before block", "inside 1", "passed"),
        ("before block", "inside 2", "passed"),
        ("outer", "after block", "flaky"),
        ("outer > after block", "runs", "passed"),
        ("", "with a bug", "flaky"),
        ("with a bug", "bug", "failed"),
        ("", "always", "failed"),
        // Where Vitest joins names with spaces, the block's pattern runs
        // this one too: a test that passes again is no failure.
        ("before block other", "not selected", "passed"),
        // What the block's re-run leaves out, run whole: a test before
        // the block that its test needs, and a sibling block's hook that
        // the block's pass breaks (the review: each read green).
        ("", "first", "passed"),
        ("", "blk", "flaky"),
        ("blk", "bad", "failed"),
        ("", "later", "failed"),
    ] {
        assert_eq!(
            outcomes(&merged, classname, name),
            [outcome],
            "{classname} > {name}: {merged:#}"
        );
    }
}

const FLAKY_HOOKS: &str = "import { afterAll, beforeAll, describe, expect, it } from 'vitest';\n\
const once = () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky hook'); };\n\
describe('before block', () => {\n\
  beforeAll(once);\n\
  it('inside 1', () => {});\n\
  it('inside 2', () => {});\n\
});\n\
describe('before block other', () => { it('not selected', () => {}); });\n\
describe('outer', () => { describe('after block', () => {\n\
  afterAll(once);\n\
  it('runs', () => {});\n\
}); });\n\
describe('with a bug', () => { beforeAll(once); it('bug', () => { throw new Error('real bug'); }); });\n\
describe('always', () => { beforeAll(() => { throw new Error('always'); }); it('never', () => {}); });\n";

const LEAKS: &str = "import { afterAll, beforeAll, describe, expect, test } from 'vitest';\n\
const once = () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky hook'); };\n\
let state = 0;\n\
test('first', () => { state = 1; });\n\
describe('blk', () => { beforeAll(once); test('bad', () => { expect(state).toBe(0); }); });\n\
describe('later', () => { afterAll(() => { if (state === 1) throw new Error('blk leaked'); }); test('l', () => {}); });\n";

#[test]
fn vitest_a_blocks_flaky_hook_is_flaky() {
    under_every_vitest(
        &[
            ("test/hooks.test.js", FLAKY_HOOKS),
            ("test/leaks.test.js", LEAKS),
        ],
        a_blocks_flaky_hook_is_flaky,
    );
}

/// A file that fails outside its tests (a file-level `beforeAll` or
/// `afterAll`, an error as it loads) once and then passes is flaky, as
/// Vitest run again says; it was never retried (red where Vitest passes).
/// Its file runs whole in the retry, and a test of it that a retry re-runs
/// by name is counted once (it was counted twice: the whole run's result
/// and the retry's).
fn a_files_flaky_failure_outside_its_tests_is_flaky(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    for (classname, name, outcome) in [
        ("", "test/before.test.js", "flaky"),
        ("", "in before", "passed"),
        ("", "test/after.test.js", "flaky"),
        ("", "real bug", "failed"),
        ("", "beside the bug", "passed"),
        ("", "test/always.test.js", "failed"),
        ("", "in always", "passed"),
        ("", "test/load.test.js", "flaky"),
        ("", "in load", "passed"),
        // A block whose hook fails every run, retried with its tests by
        // name, beside the file's flaky hook, which runs the file whole:
        // each of the block's tests once (the review found them twice).
        ("", "test/block.test.js", "flaky"),
        ("", "grp", "failed"),
        ("grp", "g1", "passed"),
        ("grp", "g2", "failed"),
        ("grp", "g3", "skipped"),
        // An unhandled error once, then a file that no longer loads: red
        // (round 57 read the first gone and the second unseen).
        ("", "test/then_load.test.js", "failed"),
    ] {
        assert_eq!(
            outcomes(&merged, classname, name),
            [outcome],
            "{classname} > {name}: {merged:#}"
        );
    }
}

const ONCE: &str = "import { afterAll, beforeAll, expect, test } from 'vitest';\n\
const once = () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky file'); };\n";

/// With isolation off (`isolate: false`) one worker runs file after file:
/// a timer one file leaves throws while the next runs, and Vitest blames
/// that next file every run. A retry ran it alone, where the timer is not,
/// and read it flaky (exit 0; round 58). Retries are off for such a run,
/// with a warning, as for node's isolation off. (Each file leaves such a
/// timer, whichever runs first.)
#[test]
fn vitest_with_isolation_off_retries_nothing() {
    let leaky = |name: &str| {
        format!(
            "test('{name}', async () => {{\n\
               setTimeout(() => {{ throw new Error('{name} leaked a timer'); }}, 150);\n\
               await new Promise((r) => setTimeout(r, 400));\n\
             }});\n"
        )
    };
    under_every_vitest(
        &[
            ("test/a.test.js", &leaky("a")),
            ("test/b.test.js", &leaky("b")),
        ],
        |dir| {
            // Written here: the project's files start with Vitest's imports.
            fs::write(
                dir.path().join("vitest.config.mjs"),
                "export default { test: { pool: 'threads', isolate: false, fileParallelism: false } };\n",
            )
            .unwrap();
            let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
            assert_eq!(out.status.code(), Some(1), "{}", text(&out));
            assert!(text(&out).contains("retries are off"), "{}", text(&out));
            assert!(
                all_tests(&merged)
                    .iter()
                    .any(|t| t["key"]["name"] == "unhandled error" && t["outcome"] == "failed"),
                "{merged:#}"
            );
            assert!(
                all_tests(&merged).iter().all(|t| t["outcome"] != "flaky"),
                "{merged:#}"
            );
        },
    );
}

const THEN_LOAD: &str = "import { test } from 'vitest';\n\
if (process.env.PITCREW_ATTEMPT !== '1') throw new Error('cannot load again');\n\
test('in then load', async () => {\n\
  setTimeout(() => { throw new Error('late, first'); }, 5);\n\
  await new Promise((r) => setTimeout(r, 30));\n\
});\n";

#[test]
fn vitest_a_files_flaky_failure_outside_its_tests_is_flaky() {
    let before = format!("{ONCE}beforeAll(once);\ntest('in before', () => {{}});\n");
    let after = format!(
        "{ONCE}afterAll(once);\ntest('real bug', () => {{ expect(1).toBe(2); }});\n\
         test('beside the bug', () => {{}});\n"
    );
    let always = format!(
        "{ONCE}afterAll(() => {{ throw new Error('always'); }});\ntest('in always', () => {{}});\n"
    );
    let load = format!("{ONCE}once();\ntest('in load', () => {{}});\n");
    let block = format!(
        "import {{ describe }} from 'vitest';\n{ONCE}afterAll(once);\n\
         describe('grp', () => {{\n\
           afterAll(() => {{ throw new Error('always'); }});\n\
           test('g1', () => {{}});\n\
           test('g2', () => {{ expect(1).toBe(2); }});\n\
           test.skip('g3', () => {{}});\n\
         }});\n"
    );
    under_every_vitest(
        &[
            ("test/before.test.js", &before),
            ("test/after.test.js", &after),
            ("test/always.test.js", &always),
            ("test/load.test.js", &load),
            ("test/block.test.js", &block),
            ("test/then_load.test.js", THEN_LOAD),
        ],
        a_files_flaky_failure_outside_its_tests_is_flaky,
    );
}

/// How a runner is asked for coverage of `lib` with a threshold of 100%
/// for functions and lines: (the config file, its text, the `lib` module
/// of two functions as the runner imports it, and how a test file takes
/// one of them).
struct CoverageSetup {
    config: (&'static str, &'static str),
    lib: &'static str,
    third: &'static str,
    import: fn(&str) -> String,
    missed: &'static str,
}

const JEST_COVERAGE: CoverageSetup = CoverageSetup {
    config: (
        "jest.config.js",
        "module.exports = { coverageThreshold: { global: { functions: 100, lines: 100 } },\n\
         coverageReporters: ['json', 'lcov', 'text'] };\n",
    ),
    lib: "exports.one = () => 1;\nexports.two = () => 2;\n",
    third: "exports.three = () => 3;\n",
    import: |name| format!("const {{ {name} }} = require('../lib');\n"),
    missed: r#"Jest: Coverage for functions (66.66%) does not meet \"global\" threshold (100%)"#,
};

const VITEST_COVERAGE: CoverageSetup = CoverageSetup {
    config: (
        "vitest.config.mjs",
        "export default { test: { coverage: { include: ['lib.js'],\n\
         thresholds: { functions: 100, lines: 100 }, reporter: ['json', 'lcov', 'text'] } } };\n",
    ),
    lib: "export const one = () => 1;\nexport const two = () => 2;\n",
    third: "export const three = () => 3;\n",
    import: |name| format!("import {{ {name} }} from '../lib.js';\n"),
    missed: "ERROR: Coverage for functions (66.66%) does not meet global threshold (100%)",
};

/// `--coverage` across local shards: each shard covers only its tests, so
/// a threshold checked per shard failed a green suite and each shard's
/// reports replaced the last's. The parts are joined: the reports hold the
/// whole run, a retry's process (a flaky test) adds to them, and the
/// threshold is checked on the whole, in the runner's words.
fn coverage_of_local_shards_is_joined(
    js: &Js,
    setup: &CoverageSetup,
    run: &[&str],
) -> Option<tempfile::TempDir> {
    let flaky = format!(
        "{}test('one', () => expect(one()).toBe(1));\n\
         test('flaky', () => {{\n\
           const first = !fs.existsSync('marker');\n\
           fs.writeFileSync('marker', 'x');\n\
           expect(first).toBe(false);\n\
         }});\n",
        (setup.import)("one"),
    );
    let flaky = match js.tool {
        "jest" => format!("const fs = require('fs');\n{flaky}"),
        _ => format!("import fs from 'node:fs';\n{flaky}"),
    };
    let two = format!(
        "{}test('two', () => expect(two()).toBe(2));\n",
        (setup.import)("two")
    );
    let files = [
        ("test/a.test.js", flaky.as_str()),
        ("test/b.test.js", two.as_str()),
    ];
    let dir = project(js, &files)?;
    let root = dir.path();
    fs::write(root.join("lib.js"), setup.lib).unwrap();
    fs::write(root.join(setup.config.0), setup.config.1).unwrap();
    let args = ["--shards", "2", "--retries", "1"];
    let (out, merged) = pitcrew_test(root, js, &args, run);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{}", merged["tests"]);
    let lcov = fs::read_to_string(root.join("coverage/lcov.info")).unwrap();
    assert!(lcov.contains("FNH:2") && lcov.contains("LH:2"), "{lcov}");
    let whole = fs::read_to_string(root.join("coverage/coverage-final.json")).unwrap();
    assert!(whole.contains("lib.js"), "{whole}");
    let left: Vec<_> = fs::read_dir(root.join(".pitcrew"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("-coverage-"))
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "the parts are removed: {left:?}");

    // A function no test calls: the whole run misses the threshold, a
    // problem of the run in the runner's words, its tests still passed.
    fs::write(root.join("lib.js"), format!("{}{}", setup.lib, setup.third)).unwrap();
    fs::remove_file(root.join("marker")).unwrap();
    let (out, merged) = pitcrew_test(root, js, &args, run);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{}", merged["tests"]);
    let problems = merged["problems"].to_string();
    assert!(problems.contains(setup.missed), "{problems}");
    Some(dir)
}

#[test]
fn jest_coverage_of_local_shards_is_joined_and_its_threshold_checked_on_the_whole() {
    let Some(dir) = coverage_of_local_shards_is_joined(&JEST, &JEST_COVERAGE, &["--coverage"])
    else {
        return;
    };
    // A report that cannot be written (as Jest, the threshold is still
    // checked, and still missed).
    let root = dir.path();
    fs::write(
        root.join("jest.config.js"),
        "module.exports = { coverageThreshold: { global: { functions: 100 } },\n\
         coverageReporters: ['no-such-reporter', 'json'] };\n",
    )
    .unwrap();
    fs::remove_file(root.join("marker")).unwrap();
    let args = ["--shards", "2", "--retries", "1"];
    let (out, merged) = pitcrew_test(root, &JEST, &args, &["--coverage"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let problems = merged["problems"].to_string();
    assert!(problems.contains(JEST_COVERAGE.missed), "{problems}");
}

#[test]
fn vitest_coverage_of_local_shards_is_joined_and_its_threshold_checked_on_the_whole() {
    coverage_of_local_shards_is_joined(&VITEST, &VITEST_COVERAGE, &["run", "--coverage"]);
}

#[test]
fn jest_same_names_in_describe_blocks_loops_and_whitespace_are_distinct_tests() {
    same_names_are_distinct_tests(&JEST);
}

#[test]
fn vitest_same_names_in_describe_blocks_loops_and_whitespace_are_distinct_tests() {
    same_names_are_distinct_tests(&VITEST);
}

/// A file whose second test hangs: `hang` is its body.
fn hangs(hang: &str) -> String {
    format!(
        "test('quick', () => {{}});\ntest('hangs', async () => {{ {hang} }});\ntest('after', () => {{}});\n"
    )
}

/// A test that awaits forever, and one that blocks its process or worker.
const AWAITS: &str = "await new Promise((r) => setTimeout(r, 600000));";
const BLOCKS: &str = "while (true) {}";

const FINE: &str = "for (let i = 0; i < 5; i++) test('fine ' + i, () => {});\n";

/// A hung test is named as timed out and the finished tests are kept (the
/// timeout is generous: the runner must start and reach the hang on a
/// loaded machine). Vitest 4.1 now and then stalls before its first test
/// (its main process and fork worker both idle, seen in about 1 run in 15
/// of this project under pitcrew, in CI too): no test reported anything,
/// and the run failed as a shard timeout, loudly. That run says nothing
/// of naming a hung test, so the project runs once more.
/// `after`, behind the hung test, never ran: it runs in the same attempt
/// whatever `--retries` says, named as never ran where the runner lists a
/// file's tests before it runs them (Vitest), else in the file run again
/// without the tests it reported (Jest). Only the hung test fails.
/// `shards` empty: a first run, where the runner finds its own files.
fn a_hung_test_is_named(js: &Js, hang: &str, shards: &[&str], extra: &[&str]) {
    let hangs = hangs(hang);
    if let Some(dir) = project(js, &[("test/a.test.js", &hangs), ("test/b.test.js", FINE)]) {
        a_hung_test_is_named_in(&dir, js, shards, extra);
    }
}

const ONE_SHARD: &[&str] = &["--shards", "1"];

fn a_hung_test_is_named_in(dir: &tempfile::TempDir, js: &Js, shards: &[&str], extra: &[&str]) {
    let run = || {
        // No history: a first run, each time.
        let _ = fs::remove_dir_all(dir.path().join(".pitcrew"));
        let mut args = vec!["--retries", "0", "--timeout", "60"];
        args.extend_from_slice(shards);
        pitcrew_test(dir.path(), js, &args, extra)
    };
    let (mut out, mut merged) = run();
    let problems = merged["problems"].to_string();
    if all_tests(&merged).is_empty() && problems.contains("timeout: `npx` was killed after 60 s") {
        eprintln!(
            "{}: no test reported before the timeout, once more",
            js.tool
        );
        (out, merged) = run();
    }
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let plan = fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap();
    assert_eq!(
        plan.contains("\"discovered\": true"),
        shards.is_empty(),
        "{plan}"
    );
    let log = fs::read_to_string(dir.path().join(".pitcrew/logs/shard-1.log")).unwrap_or_default();
    assert_eq!(
        failure_type(&merged, "hangs").as_deref(),
        Some("timeout"),
        "{}\n{}\nthe runner's output:\n{log}",
        merged["tests"],
        text(&out)
    );
    assert_eq!(
        outcomes(&merged, "", "quick"),
        ["passed"],
        "{}",
        merged["tests"]
    );
    for i in 0..5 {
        assert_eq!(outcomes(&merged, "", &format!("fine {i}")), ["passed"]);
    }
    let after = test_named(&merged, "after");
    assert_eq!(after["outcome"], "passed", "{}", merged["tests"]);
    assert_eq!(after["attempts"], 1, "{}", merged["tests"]);
    assert_eq!(summary(&merged), (8, 7, 1, 0), "{}", merged["tests"]);
    // Only a test is blamed, not the whole shard.
    assert_eq!(merged["problems"], json!([]), "{}", merged["problems"]);
}

/// A hook that hangs (`beforeAll`) names no running test: the shard
/// killed at the timeout passed with the tests after it unseen. And the
/// re-run of a hung file leaves out the tests it reported by a `-t` that
/// jest reads ignoring case: `Check` after `check` came back skipped.
#[test]
fn jest_a_hang_outside_any_test_fails_and_names_left_out_by_case_still_run() {
    let hook = "test('t1', () => {});\n\
describe('d', () => {\n\
  beforeAll(() => new Promise(() => {}), 600000);\n\
  test('d1', () => {});\n\
});\n\
test('t3', () => { expect(1).toBe(2); });\n";
    let Some(dir) = project(&JEST, &[("test/a.test.js", hook)]) else {
        return;
    };
    let (out, merged) = local_test(
        dir.path(),
        &JEST,
        &["--retries", "0", "--timeout", "30"],
        &["--testTimeout=600000"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let problems = merged["problems"].to_string();
    assert!(problems.contains("no test running"), "{problems}");

    let case = "test('check', () => {});\n\
test('hangs', async () => { await new Promise((r) => setTimeout(r, 600000)); });\n\
test('Check', () => { expect(1).toBe(2); });\n";
    fs::write(dir.path().join("test/a.test.js"), case).unwrap();
    let (out, merged) = local_test(
        dir.path(),
        &JEST,
        &["--retries", "1", "--timeout", "30"],
        &["--testTimeout=600000"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        outcomes(&merged, "", "Check"),
        ["failed"],
        "{}",
        merged["tests"]
    );
    assert_eq!(
        outcomes(&merged, "", "check"),
        ["passed"],
        "{}",
        merged["tests"]
    );
}

#[test]
fn jest_a_hung_test_is_named_and_the_rest_is_kept() {
    a_hung_test_is_named(&JEST, AWAITS, ONE_SHARD, &["--testTimeout=600000"]);
}

/// On a first run, with pitcrew's own choice of shards, the runner finds
/// its files: Jest's rest of the hung file was never run again, and its
/// tests behind the hang vanished from the count without a word. Run one
/// file at a time (`-i`), the files it found and never started behind the
/// hang vanished too (Vitest named them as never ran): they now run again
/// by name.
#[test]
fn jest_left_to_find_its_files_names_a_hung_test_and_runs_the_rest() {
    a_hung_test_first_is_named(&JEST, &["--testTimeout=600000", "-i"]);
}

/// A hung test in the file the runner starts first, one file at a time,
/// left to find its own files (a first run). Without history Jest starts
/// with the largest file; Vitest, which may keep its glob's order, is
/// given a sequencer that runs files by name.
fn a_hung_test_first_is_named(js: &Js, extra: &[&str]) {
    let hangs = format!("{}// {}\n", hangs(AWAITS), "x".repeat(4000));
    let Some(dir) = project(js, &[("test/a.test.js", &hangs), ("test/b.test.js", FINE)]) else {
        return;
    };
    if js.tool == "vitest" {
        fs::write(dir.path().join("vitest.config.mjs"), BY_NAME).unwrap();
    }
    a_hung_test_is_named_in(&dir, js, &[], extra);
}

const BY_NAME: &str = "import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
class ByName extends BaseSequencer {
  async sort(files) { return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId)); }
}
export default defineConfig({ test: { sequence: { sequencer: ByName } } });
";

#[test]
fn vitest_a_hung_test_is_named_and_the_rest_is_kept() {
    a_hung_test_is_named(&VITEST, AWAITS, ONE_SHARD, &["--testTimeout=600000"]);
}

#[test]
fn vitest_left_to_find_its_files_names_a_hung_test_and_runs_the_rest() {
    a_hung_test_first_is_named(&VITEST, &["--testTimeout=600000", "--no-file-parallelism"]);
}

/// Left to find its own files (a first run), Vitest killed at a hang
/// lost a test file that could not import (Vitest 3 names its error only
/// at the run's end) and, under Vitest 2 (which writes nothing until its
/// run ends), also the test behind the hang (round 17). Both are counted
/// now, and the hung file is no test of its own.
fn a_file_that_cannot_import_is_kept_at_a_hang(dir: &tempfile::TempDir) {
    let args = ["--retries", "0", "--timeout", "20"];
    let (out, merged) = pitcrew_test(dir.path(), &VITEST, &args, &["--testTimeout=600000"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let plan = fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap();
    assert!(plan.contains("\"discovered\": true"), "{plan}");
    assert_eq!(failure_type(&merged, "hangs").as_deref(), Some("timeout"));
    assert_eq!(
        outcomes(&merged, "", "test/b.test.js"),
        ["failed"],
        "{}",
        merged["tests"]
    );
    assert_eq!(
        outcomes(&merged, "", "after"),
        ["passed"],
        "{}",
        merged["tests"]
    );
    assert_eq!(summary(&merged), (9, 7, 2, 0), "{}", merged["tests"]);
}

#[test]
fn vitest_left_to_find_its_files_keeps_a_file_that_cannot_import_at_a_hang() {
    let hangs = hangs(AWAITS);
    let files = [
        ("test/a.test.js", hangs.as_str()),
        (
            "test/b.test.js",
            "import './nope.js';\ntest('x', () => {});\n",
        ),
        ("test/c.test.js", FINE),
    ];
    under_every_vitest(&files, a_file_that_cannot_import_is_kept_at_a_hang);
}

/// A test that blocks its Vitest worker (`while (true) {}`) stops the
/// worker before it sends the main process the results it holds back (up
/// to 100 ms of them): the run failed as a shard timeout, named no test and
/// kept 0 to 10 of 14 passes. pitcrew's setup file writes, from inside the
/// worker, each test's start and the results of the tests before it; in
/// each of Vitest's pools.
#[test]
fn vitest_a_test_blocking_its_worker_is_named_and_the_rest_is_kept() {
    for pool in ["forks", "threads"] {
        let pool = format!("--pool={pool}");
        let extra = ["--testTimeout=600000", pool.as_str()];
        a_hung_test_is_named(&VITEST, BLOCKS, ONE_SHARD, &extra);
    }
}

/// A DOM environment (jsdom) has Vite serve the worker's modules, and Vite
/// serves no file outside the project's workspace: pitcrew's trace setup
/// file, in its scratch folder, was "Cannot find module", and every test
/// file of a green suite failed. It is let in, and a hung test there is
/// named as anywhere else.
#[test]
fn vitest_a_dom_environment_runs_with_the_trace() {
    let Some(modules) = modules(VITEST.tool) else {
        return;
    };
    let jsdom = modules.join("jsdom").join("package.json").exists();
    let wanted = std::env::var("PITCREW_REQUIRE_RUNNERS").unwrap_or_default();
    assert!(
        jsdom || !wanted.split(',').any(|r| r == "jsdom"),
        "jsdom is required (PITCREW_REQUIRE_RUNNERS) but PITCREW_JS_MODULES has none"
    );
    if !jsdom {
        eprintln!("skipped: PITCREW_JS_MODULES has no jsdom");
        return;
    }
    let hangs = hangs(BLOCKS);
    let dom = "for (let i = 0; i < 5; i++) test('fine ' + i, () => {\n\
               expect(typeof document).toBe('object');\n});\n";
    let dir = project_on(
        &modules,
        &VITEST,
        &[("test/a.test.js", &hangs), ("test/b.test.js", dom)],
    );
    let config = "export default { test: { environment: 'jsdom' } };\n";
    fs::write(dir.path().join("vitest.config.mjs"), config).unwrap();
    a_hung_test_is_named_in(&dir, &VITEST, ONE_SHARD, &["--testTimeout=600000"]);
}

/// With `--bail`, the runner stops after the first failure: what it never
/// ran is named as never ran and fails the run, whichever order it chose.
/// `shards` empty: a first run, where the runner finds its own files.
/// The reason is the stop after a failure, not the first error-like line
/// on stderr (here a warning about a source map).
fn bail_names_what_never_ran(js: &Js, shards: &[&str], extra: &[&str]) {
    // The failing file is the largest: without history, both runners
    // start with the largest file.
    let failing = format!(
        "process.stderr.write('Error: failed to load source map for dep.js\\n');\n\
         test('bug', () => {{ expect(1).toBe(2); }});\n\
         test('after the bug', () => {{}});\n// {}\n",
        "x".repeat(4000)
    );
    let files = [
        ("test/a.test.js", failing.as_str()),
        ("test/b.test.js", "test('b ok', () => {});\n"),
        ("test/c.test.js", "test('c ok', () => {});\n"),
    ];
    let Some(dir) = project(js, &files) else {
        return;
    };
    let mut args = vec!["--retries", "0"];
    args.extend_from_slice(shards);
    let (out, merged) = pitcrew_test(dir.path(), js, &args, extra);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let plan = fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap();
    assert_eq!(
        plan.contains("\"discovered\": true"),
        shards.is_empty(),
        "{plan}"
    );
    assert_eq!(
        outcomes(&merged, "", "bug"),
        ["failed"],
        "{}",
        merged["tests"]
    );
    // Every file is accounted for: by its tests, or named as never ran.
    let never: Vec<&Value> = all_tests(&merged)
        .iter()
        .filter(|t| t["failure"]["failure_type"] == "never-ran")
        .collect();
    assert!(!never.is_empty(), "{}", merged["tests"]);
    for test in &never {
        let message = test["failure"]["message"].as_str().unwrap_or_default();
        assert!(!message.contains("source map"), "{test}");
    }
    for file in ["test/b.test.js", "test/c.test.js"] {
        let of_file: Vec<&Value> = all_tests(&merged)
            .iter()
            .filter(|t| t["key"]["file"] == file)
            .collect();
        assert!(!of_file.is_empty(), "{file}: {}", merged["tests"]);
        for test in of_file {
            assert!(
                test["outcome"] == "passed" || test["failure"]["failure_type"] == "never-ran",
                "{test}"
            );
        }
    }
}

#[test]
fn jest_bail_names_the_files_it_never_ran() {
    bail_names_what_never_ran(&JEST, &["--shards", "1"], &["--bail", "-i"]);
}

#[test]
fn vitest_bail_names_the_tests_it_never_ran() {
    let extra = ["--bail=1", "--no-file-parallelism"];
    bail_names_what_never_ran(&VITEST, &["--shards", "1"], &extra);
}

/// `--bail=1` with a flaky test: the files Vitest 2 never started (its
/// run's end lists them with no result and no test) read as files that
/// ran and declared no test, "produced no test case", and a suite green on
/// retry failed (the review of stop 50). They are named as never run and
/// run in the retry.
fn bail_with_a_flaky_test_runs_the_rest_in_the_retry(dir: &tempfile::TempDir) {
    let extra = ["run", "--bail=1", "--no-file-parallelism"];
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &extra);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "a1"), ["flaky"], "{merged:#}");
    assert_eq!(summary(&merged), (6, 5, 0, 1), "{merged:#}");
}

#[test]
fn vitest_bail_with_a_flaky_test_runs_the_rest_in_the_retry() {
    // The flaky file is the largest: Vitest starts with it.
    let flaky = largest_with_a_flaky_test();
    let files = [
        ("test/a.test.js", flaky.as_str()),
        (
            "test/b.test.js",
            "test('b1', () => {});\ntest('b2', () => {});\n",
        ),
        (
            "test/c.test.js",
            "test('c1', () => {});\ntest('c2', () => {});\n",
        ),
    ];
    under_every_vitest(&files, bail_with_a_flaky_test_runs_the_rest_in_the_retry);
}

/// A first run leaves the runner to find its own files: jest counts them
/// before any runs, and the listing names those `--bail` never started.
#[test]
fn jest_left_to_find_its_files_still_names_those_it_never_ran() {
    bail_names_what_never_ran(&JEST, &[], &["--bail", "-i"]);
}

/// vitest names every file it found before any runs.
#[test]
fn vitest_left_to_find_its_files_still_names_what_it_never_ran() {
    bail_names_what_never_ran(&VITEST, &[], &["--bail=1", "--no-file-parallelism"]);
}

/// `vitest --typecheck`: tsc checks the whole project, and Vitest reports a
/// type error in a test file outside its run as an unhandled "source
/// error". Across shards, each shard that did not run the failing file
/// counted it once more (2 failures too many at 3 shards); only the shard
/// that runs the file reports it, as its test's failure, as Vitest alone
/// does. A type error in a source file, which every shard reports, is one
/// failure under its own file, as Vitest alone reports one error.
#[test]
fn vitest_typecheck_across_shards_counts_a_type_error_once() {
    // The typechecker is TypeScript's `tsc`, beside Vitest.
    if let Some(modules) = modules_in("PITCREW_JS_MODULES", "tsc", "typescript") {
        a_type_error_counts_once(&modules);
    }
}

/// Vitest 2 reports the same errors at its run's end.
#[test]
fn vitest_2_typecheck_across_shards_counts_a_type_error_once() {
    if let Some(modules) = modules_in("PITCREW_JS_MODULES_VITEST2", "tsc", "typescript") {
        a_type_error_counts_once(&modules);
    }
}

fn a_type_error_counts_once(modules: &Path) {
    let types = |file: &str, wrong: bool| {
        let of = if wrong { "string" } else { "number" };
        format!(
            "import {{ expectTypeOf }} from 'vitest';\n\
             test('{file} types', () => {{ expectTypeOf<number>().toEqualTypeOf<{of}>(); }});\n\
             test('{file} more', () => {{ expectTypeOf<string>().toBeString(); }});\n"
        )
    };
    let (a, b, c) = (types("a", true), types("b", false), types("c", false));
    let files = [
        ("test/a.test-d.ts", a.as_str()),
        ("test/b.test-d.ts", b.as_str()),
        ("test/c.test-d.ts", c.as_str()),
        ("src/x.ts", "export const x: number = 'not a number';\n"),
    ];
    let dir = project_on(modules, &VITEST, &files);
    let tsconfig = r#"{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext",
        "moduleResolution": "bundler", "target": "es2022", "skipLibCheck": true},
        "include": ["test", "src"]}"#;
    fs::write(dir.path().join("tsconfig.json"), tsconfig).unwrap();
    let args = ["--shards", "3", "--retries", "0"];
    let (out, merged) = pitcrew_test(dir.path(), &VITEST, &args, &["run", "--typecheck.only"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 5, 2, 0), "{}", merged["tests"]);
    assert_eq!(
        outcomes(&merged, "", "a types"),
        ["failed"],
        "{}",
        merged["tests"]
    );
    let source = test_named(&merged, "unhandled error");
    assert_eq!(source["key"]["file"], "src/x.ts", "{}", merged["tests"]);
    assert_eq!(merged["problems"], json!([]), "{}", merged["problems"]);
}

/// The user's own `-t` and path pattern stay the selection: a retry of the
/// flaky test keeps to it (beside ours, jest ran none of it and the test
/// stayed failed), and a named file runs once, not once more per shard.
fn the_users_name_and_path_patterns_stay_the_selection(js: &Js) {
    let flaky = "test('keep flaky', () => { expect(process.env.PITCREW_ATTEMPT).toBe('2'); });
                 test('keep too', () => {});
                 test('drop me', () => {});
";
    let Some(dir) = project(
        js,
        &[
            ("a.test.js", flaky),
            (
                "b.test.js",
                "test('keep b', () => {});
",
            ),
        ],
    ) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), js, &["--retries", "1"], &["-t", "keep"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "keep flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "keep too"), ["passed"], "{merged:#}");
    let (out, merged) = local_test(dir.path(), js, &["--retries", "0"], &["b.test.js"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let files: Vec<&str> = all_tests(&merged)
        .iter()
        .map(|t| t["key"]["file"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(files, ["b.test.js"], "{merged:#}");
}

#[test]
fn jest_the_users_name_and_path_patterns_stay_the_selection() {
    the_users_name_and_path_patterns_stay_the_selection(&JEST);
}

#[test]
fn vitest_the_users_name_and_path_patterns_stay_the_selection() {
    the_users_name_and_path_patterns_stay_the_selection(&VITEST);
}

/// vitest's own JUnit report, written by each shard's vitest over the last
/// one's, holds the whole run's tests after the merge.
#[test]
fn vitest_the_users_junit_report_holds_every_shards_tests() {
    let files = [
        ("a.test.js", "test('in a', () => {});\n"),
        ("b.test.js", "test('in b', () => { expect(1).toBe(2); });\n"),
    ];
    let Some(dir) = project(&VITEST, &files) else {
        return;
    };
    let extra = ["run", "--reporter=junit", "--outputFile.junit=out/j.xml"];
    let (out, _) = pitcrew_test(
        dir.path(),
        &VITEST,
        &["--shards", "2", "--retries", "0"],
        &extra,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let junit = fs::read_to_string(dir.path().join("out/j.xml")).unwrap();
    for name in ["in a", "in b"] {
        assert!(
            junit.contains(&format!("name=\"{name}\"")),
            "{name}: {junit}"
        );
    }
}

/// Only files are planned, so the listing asks for files alone: a plain
/// `vitest list` imports every test file (on zod, about as long as the
/// run itself). Each file's top level runs once: in the run.
#[test]
fn vitest_the_listing_imports_no_test_file() {
    let importing =
        "import { appendFileSync } from 'node:fs';\nappendFileSync('imports.log', 'x\\n');\n";
    let Some(dir) = project(
        &VITEST,
        &[
            ("a.test.js", &format!("{importing}test('a', () => {{}});\n")),
            ("b.test.js", &format!("{importing}test('b', () => {{}});\n")),
        ],
    ) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "0"], &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged).0, 2, "{merged:#}");
    let imports = fs::read_to_string(dir.path().join("imports.log")).unwrap();
    assert_eq!(
        imports.lines().count(),
        2,
        "each file imported once: {imports:?}"
    );
}

/// `vitest list` imports every test file, so one that cannot import failed
/// the whole listing and pitcrew ran nothing (exit 2), though `vitest run`
/// runs the other files and fails that one. Now the files are listed
/// without importing them, and the run says what vitest says.
#[test]
fn vitest_a_test_file_that_cannot_import_fails_in_the_run_not_the_listing() {
    let Some(dir) = project(
        &VITEST,
        &[
            ("ok.test.js", "test('ok', () => {});\n"),
            (
                "broken.test.js",
                "import 'missing-package-pitcrew';\ntest('never', () => {});\n",
            ),
        ],
    ) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "0"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let ok: Vec<&Value> = all_tests(&merged)
        .iter()
        .filter(|t| t["key"]["name"] == "ok")
        .collect();
    assert_eq!(ok.len(), 1, "{merged:#}");
    assert_eq!(ok[0]["outcome"], "passed", "{merged:#}");
    let failed: Vec<&Value> = all_tests(&merged)
        .iter()
        .filter(|t| t["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{merged:#}");
    assert!(
        failed[0]["key"]["file"]
            .as_str()
            .is_some_and(|f| f.contains("broken.test.js")),
        "{merged:#}"
    );
}

const PLAYWRIGHT: Js = Js {
    tool: "playwright",
    prelude: "const { test, expect } = require('@playwright/test');\n",
    package: r#"{"name":"probe","private":true}"#,
    command: &["npx", "playwright", "test"],
};

/// Playwright runs no test when one test file cannot be loaded, and its
/// listing lists none: pitcrew said "bad input" (exit 2). Now the run is
/// the command as it is, and the file fails as one test with Playwright's
/// words (exit 1), in `test` and in split/run's flow. No browser is needed.
#[test]
fn playwright_a_test_file_that_cannot_load_is_a_failed_test() {
    let Some(dir) = playwright_project(
        &[
            (
                "tests/ok.spec.js",
                "test('ok', async () => { expect(1).toBe(1); });\n",
            ),
            ("tests/broken.spec.js", "test('b', async () => { );\n"),
        ],
        "module.exports = { testDir: 'tests' };\n",
    ) else {
        return;
    };
    let root = dir.path();
    let (out, merged) = pitcrew_test(root, &PLAYWRIGHT, &["--retries", "1"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let tests = all_tests(&merged);
    assert_eq!(tests.len(), 1, "{merged:#}");
    let broken = &tests[0];
    assert_eq!(broken["key"]["file"], "tests/broken.spec.js", "{merged:#}");
    assert_eq!(broken["outcome"], "failed");
    assert_eq!(broken["attempts"], 1, "a load error is not retried");
    let message = broken["failure"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("SyntaxError"), "{merged:#}");
    // In CI's flow: split plans the one job, whose run reports the file.
    let split = pitcrew(
        &[
            "split",
            "-o",
            "plan.json",
            "--",
            "npx",
            "playwright",
            "test",
        ],
        root,
    );
    assert_eq!(split.status.code(), Some(0), "{}", text(&split));
    let run = pitcrew(
        &[
            "run",
            "--shard",
            "1/1",
            "--plan",
            "plan.json",
            "-o",
            "s.json",
            "--",
        ]
        .iter()
        .chain(PLAYWRIGHT.command)
        .copied()
        .collect::<Vec<_>>(),
        root,
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let shard = fs::read_to_string(root.join("s.json")).unwrap();
    assert!(shard.contains("SyntaxError"), "{shard}");
    // A broken configuration is no test's failure: still one line, exit 2.
    fs::write(root.join("playwright.config.js"), "module.exports = {;\n").unwrap();
    fs::remove_file(root.join("tests/broken.spec.js")).unwrap();
    let out = pitcrew(&["test", "--", "npx", "playwright", "test"], root);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

/// Playwright's own `retries` (in its config): its JUnit reported only the
/// final outcome, so a test that failed and then passed on Playwright's
/// retry passed without a word. Now each failed run is an attempt: that
/// test is flaky, and one that fails every time is failed with all its
/// runs counted, one test each. No browser is needed.
#[test]
fn playwright_own_retries_make_a_test_flaky_not_passed() {
    let Some(dir) = playwright_project(
        &[(
            "tests/a.spec.js",
            "test('steady', async () => { expect(1).toBe(1); });\n\
                 test('first run fails', async ({}, info) => { expect(info.retry).toBe(1); });\n\
                 test.describe('group', () => {\n\
                   test('always fails', async () => { expect(1).toBe(2); });\n\
                 });\n",
        )],
        "module.exports = { testDir: 'tests', retries: 1 };\n",
    ) else {
        return;
    };
    let root = dir.path();
    let (out, merged) = local_test(root, &PLAYWRIGHT, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 1, 1, 1), "{merged:#}");
    let flaky = test_named(&merged, "first run fails");
    assert_eq!(flaky["outcome"], "flaky", "{merged:#}");
    assert_eq!(flaky["attempts"], 2, "{merged:#}");
    let failed = test_named(&merged, "group › always fails");
    assert_eq!(failed["outcome"], "failed", "{merged:#}");
    assert_eq!(failed["attempts"], 2, "{merged:#}");
    assert_eq!(test_named(&merged, "steady")["attempts"], 1, "{merged:#}");
}

/// Playwright writes its JUnit report only at exit: a run killed at
/// pitcrew's timeout lost every result and named no test, whether the test
/// awaited forever or blocked its worker (`while (true) {}`). pitcrew's
/// reporter now writes events as the tests run, from the main process: the
/// finished tests stand, the one running is named as timed out, and the
/// test behind it runs in the same attempt. No browser is needed.
#[test]
fn playwright_a_hung_test_is_named_even_when_it_blocks_its_worker() {
    for hang in [
        "while (true) {}",
        "await new Promise((r) => setTimeout(r, 600000));",
    ] {
        let hangs = format!(
            "test('quick', async () => {{}});\n\
             test('hangs', async () => {{ {hang} }});\n\
             test('after', async () => {{}});\n"
        );
        let Some(dir) = playwright_project(
            &[
                ("tests/a.spec.js", hangs.as_str()),
                ("tests/b.spec.js", FINE),
            ],
            "module.exports = { testDir: 'tests', timeout: 0, workers: 1 };\n",
        ) else {
            return;
        };
        let root = dir.path();
        let (out, merged) = local_test(
            root,
            &PLAYWRIGHT,
            &["--retries", "0", "--timeout", "30"],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{hang}: {}", text(&out));
        assert_eq!(summary(&merged), (8, 7, 1, 0), "{hang}: {merged:#}");
        assert_eq!(
            failure_type(&merged, "hangs").as_deref(),
            Some("timeout"),
            "{merged:#}"
        );
        let after = test_named(&merged, "after");
        assert_eq!(after["outcome"], "passed", "{hang}: {merged:#}");
        assert_eq!(merged["problems"], json!([]), "{hang}: {merged:#}");
    }
}

/// A test defined in a helper that a spec file calls is the spec's test:
/// Playwright names where `test()` was called as its location, and a
/// retry filtered by the helper's file ran nothing, so a flaky test stayed
/// failed. No browser is needed.
#[test]
fn playwright_a_test_defined_in_a_helper_is_its_spec_files() {
    let Some(dir) = playwright_project(
        &[
            (
                "tests/shared.js",
                "exports.loads = (what) => test(`loads ${what}`, async () => {\n\
                   expect(process.env.PITCREW_ATTEMPT).toBe('2');\n\
                 });\n",
            ),
            (
                "tests/about.spec.js",
                "require('./shared').loads('about');\n",
            ),
        ],
        "module.exports = { testDir: 'tests' };\n",
    ) else {
        return;
    };
    let root = dir.path();
    let (out, merged) = local_test(root, &PLAYWRIGHT, &["--retries", "1"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (1, 0, 0, 1), "{merged:#}");
    let test = test_named(&merged, "loads about");
    assert_eq!(test["key"]["file"], "tests/about.spec.js", "{merged:#}");
}

/// Playwright skips the tests of a project whose setup project failed,
/// and the tests after a failure in serial mode, and its JUnit calls them
/// "skipped": a setup that failed once and passed on pitcrew's retry left
/// every test unrun and the run green ("16 skipped", exit 0). Such tests now
/// never ran: retried, and failed when no attempt runs them. And one test in
/// two projects is two tests (`[alpha] one`, `[beta] one`), retried in its
/// own project only. No browser is needed.
#[test]
fn playwright_tests_a_failed_setup_kept_from_running_are_retried_not_skipped() {
    let Some(dir) = playwright_project(
        &[
            (
                "tests/global.setup.js",
                "const marker = require('path').join(__dirname, '..', 'setup-ran');\n\
                 const broken = require('path').join(__dirname, '..', 'setup-broken');\n\
                 test('prepare', async () => {\n\
                   if (require('fs').existsSync(broken)) throw new Error('setup broken');\n\
                   if (!require('fs').existsSync(marker)) {\n\
                     require('fs').writeFileSync(marker, '');\n\
                     throw new Error('setup failed once');\n\
                   }\n\
                 });\n",
            ),
            (
                "tests/a.spec.js",
                "const failed = require('path').join(__dirname, '..', 'beta-failed');\n\
                 test('one', async () => { expect(1).toBe(1); });\n\
                 test('beta only fails', async ({}, info) => {\n\
                   if (info.project.name === 'beta' && !require('fs').existsSync(failed)) {\n\
                     require('fs').writeFileSync(failed, '');\n\
                     throw new Error('failed once, in beta');\n\
                   }\n\
                 });\n\
                 test.skip('skipped on purpose', async () => {});\n",
            ),
        ],
        "module.exports = { testDir: 'tests', projects: [\n\
           { name: 'setup', testMatch: /global\\.setup\\.js/ },\n\
           { name: 'alpha', dependencies: ['setup'], testIgnore: /global\\.setup\\.js/ },\n\
           { name: 'beta', dependencies: ['setup'], testIgnore: /global\\.setup\\.js/ },\n\
         ] };\n",
    ) else {
        return;
    };
    let root = dir.path();
    // No retry: the setup fails, and the four tests that expected to run
    // never ran; the ones skipped on purpose stay skipped.
    let (out, merged) = local_test(root, &PLAYWRIGHT, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 0, 5, 0), "{merged:#}");
    for name in ["[alpha] one", "[beta] one", "[beta] beta only fails"] {
        let test = test_named(&merged, name);
        assert_eq!(test["outcome"], "failed", "{name}: {merged:#}");
        let message = test["failure"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("never ran"), "{name}: {merged:#}");
    }
    assert_eq!(
        test_named(&merged, "[alpha] skipped on purpose")["outcome"],
        "skipped"
    );
    // With retries: the setup is flaky, and every test ran. `beta only
    // fails` failed in beta alone (on the first retry, its first run), and
    // only beta's was run again.
    fs::remove_file(root.join("setup-ran")).unwrap();
    let (out, merged) = local_test(root, &PLAYWRIGHT, &["--retries", "2"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 3, 0, 2), "{merged:#}");
    assert_eq!(test_named(&merged, "[setup] prepare")["outcome"], "flaky");
    let beta = test_named(&merged, "[beta] beta only fails");
    assert_eq!(beta["outcome"], "flaky", "{merged:#}");
    let alpha = test_named(&merged, "[alpha] beta only fails");
    assert_eq!(alpha["outcome"], "passed", "{merged:#}");
    let attempts = |test: &Value| test["attempts"].as_u64().unwrap_or(0);
    assert!(attempts(alpha) < attempts(beta), "{merged:#}");
    // In two shards, the setup runs in both (each needs it) and counts once.
    let (out, merged) = pitcrew_test(root, &PLAYWRIGHT, &["--shards", "2"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(merged["shards"].as_array().map(Vec::len), Some(2));
    assert_eq!(summary(&merged), (7, 5, 0, 0), "{merged:#}");
    // A setup failing in both shards is one failed test, keyed by its own
    // file in the shard that ran it beside its dependents too.
    fs::write(root.join("setup-broken"), "").unwrap();
    let (out, merged) = pitcrew_test(root, &PLAYWRIGHT, &["--shards", "2", "--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 0, 5, 0), "{merged:#}");
    let setup = test_named(&merged, "[setup] prepare");
    assert_eq!(setup["key"]["file"], "tests/global.setup.js", "{merged:#}");
    // `--tests` globs that leave the setup file out: no shard plans it, so
    // each shard that ran it keeps its pass, and the merge counts it once.
    fs::remove_file(root.join("setup-broken")).unwrap();
    let two = format!("{}test('two', async () => {{}});\n", PLAYWRIGHT.prelude);
    fs::write(root.join("tests/b.spec.js"), two).unwrap();
    let globs = ["--shards", "2", "--tests", "tests/*.spec.js"];
    let (out, merged) = pitcrew_test(root, &PLAYWRIGHT, &globs, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(merged["shards"].as_array().map(Vec::len), Some(2));
    assert_eq!(summary(&merged), (9, 7, 0, 0), "{merged:#}");
    assert_eq!(test_named(&merged, "[setup] prepare")["outcome"], "passed");
}

/// Left to pitcrew, a first run is one runner finding its own files with
/// a pool as large as the cores; later, shards of whole files run as one
/// runner with a pool of that many workers (`--maxWorkers`); asked for
/// shards, shards.
fn shards_become_one_pool(js: &Js) {
    // Each file burns 1 s of CPU before its test: two shards pay on two
    // cores, so the pool replaces them.
    let burn = "const cpu = () => process.cpuUsage().user + process.cpuUsage().system;\n\
                const end = cpu() + 1e6;\n\
                let x = 0;\n\
                while (cpu() < end) for (let i = 0; i < 1e6; i++) x += i;\n\
                test('it', () => {});\n";
    let names: Vec<String> = ["a", "b", "c", "d"]
        .iter()
        .map(|n| format!("{n}.test.js"))
        .collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), burn)).collect();
    let Some(dir) = project(js, &files) else {
        return;
    };
    let mut args = vec!["-v", "test", "--retries", "0", "--jobs", "2", "--"];
    args.extend_from_slice(js.command);
    let read = |path: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(dir.path().join(path)).unwrap()).unwrap()
    };
    // The first run: no listing, the runner's own files, 2 at a time.
    let out = pitcrew(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "no timing history: {} finds its own test files and runs 2 at a time",
            js.tool
        )),
        "{}",
        text(&out)
    );
    let plan = read(".pitcrew/plan.json");
    assert_eq!(plan["discovered"], true, "{plan}");
    let shard = read(".pitcrew/results/shard-1.json");
    assert_eq!(shard["workers"], 2, "{shard}");
    let items: Vec<&str> = shard["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(items, names, "{shard}");
    assert_eq!(summary(&read("pitcrew-results.json")), (4, 4, 0, 0));
    // Every file it found reported: they are the next run's list.
    let kept = read(".pitcrew/collected.json");
    assert_eq!(kept["files"], serde_json::json!(names), "{kept}");
    // With the history it left: listed, planned, and the shards a pool.
    let out = pitcrew(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "one {} process running 2 files at a time",
            js.tool
        )),
        "{}",
        text(&out)
    );
    let plan = read(".pitcrew/plan.json");
    assert_eq!(plan["shards"].as_array().unwrap().len(), 1, "{plan}");
    assert!(plan.get("discovered").is_none(), "{plan}");
    let shard = read(".pitcrew/results/shard-1.json");
    assert_eq!(shard["workers"], 2, "{shard}");
    assert_eq!(summary(&read("pitcrew-results.json")), (4, 4, 0, 0));

    let (out, merged) = local_test(dir.path(), js, &["--retries", "0"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 4, 0, 0));
    let shard = read(".pitcrew/results/shard-1.json");
    assert!(shard.get("workers").is_none(), "{shard}");
}

#[test]
fn jest_shards_of_whole_files_become_one_jest_with_as_many_workers() {
    shards_become_one_pool(&JEST);
}

#[test]
fn vitest_shards_of_whole_files_become_one_vitest_with_as_many_workers() {
    shards_become_one_pool(&VITEST);
}

/// A planned file deleted before its shard ran: Vitest runs the other
/// files and exits 0 (Jest fails the file itself), and `pitcrew run` did
/// too, so the matrix job that lost the file was green and only `report`
/// failed (round 29). The shard's own job now fails, naming the file, and
/// still writes its result for `report`, which fails too.
#[test]
fn vitest_a_deleted_planned_file_fails_its_shard() {
    let js = &VITEST;
    let files = [
        ("test/a.test.js", "test('a', () => {});\n"),
        ("test/b.test.js", "test('b', () => {});\n"),
    ];
    let Some(dir) = project(js, &files) else {
        return;
    };
    let root = dir.path();
    let with_command = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--");
        all.extend_from_slice(js.command);
        pitcrew(&all, root)
    };
    let split = with_command(&["split", "--shards", "1", "-o", "plan.json"]);
    assert!(split.status.success(), "{}", text(&split));
    fs::remove_file(root.join("test/b.test.js")).unwrap();
    let run = with_command(&["run", "--shard", "1/1", "--plan", "plan.json"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("item `test/b.test.js` (shard 1/1) produced no test case"),
        "{said}"
    );
    assert!(root.join("pitcrew-shard-1.json").exists(), "{said}");
    let report = pitcrew(
        &["report", "--plan", "plan.json", "pitcrew-shard-1.json"],
        root,
    );
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    assert!(
        text(&report).contains("`test/b.test.js` (shard 1/1) produced no test case"),
        "{}",
        text(&report)
    );
}

/// A jest project of `a.test.js` (six tests, slow ones among them) and
/// `b.test.js` (one), after a first green run of two shards: its history
/// splits `a.test.js` into its slow tests and the rest.
fn split_by_its_history(a_test_js: &str) -> Option<tempfile::TempDir> {
    let files = [
        ("test/a.test.js", a_test_js),
        ("test/b.test.js", "test('b', () => {});\n"),
    ];
    let dir = project(&JEST, &files)?;
    let (out, merged) = pitcrew_test(dir.path(), &JEST, &["--shards", "2"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (6, 6, 0, 0));
    Some(dir)
}

/// A file whose history splits it into tests, hanging in its rest: the
/// tests behind the hang were never run again, so "after hang" and its
/// failure were lost (5 tests of 6, round 30), where a hang in a whole
/// file runs the rest of it. The rest runs again too, leaving out the tests
/// other shards run. (Its slow tests take 3 s: at 2 s, a start-up measured
/// on a loaded machine sometimes made splitting not pay, and the file ran
/// whole.)
#[test]
fn jest_a_hang_in_the_rest_of_a_split_file_loses_no_test_behind_it() {
    let sleepy = "const fs = require('fs');\n\
const path = require('path');\n\
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
const hang = fs.existsSync(path.join(__dirname, '..', 'hang'));\n\
test('slow 1', () => sleep(3000));\n\
test('slow 2', () => sleep(3000));\n\
test('slow 3', () => sleep(3000));\n\
describe('hangs', () => {\n\
  test('the hang', () => (hang ? new Promise(() => {}) : undefined), 600000);\n\
  test('after hang', () => { expect(hang ? 1 : 2).toBe(2); });\n\
});\n";
    let Some(dir) = split_by_its_history(sleepy) else {
        return;
    };
    fs::write(dir.path().join("hang"), "").unwrap();
    let (out, merged) = pitcrew_test(
        dir.path(),
        &JEST,
        &["--shards", "2", "--timeout", "12"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap())
            .unwrap();
    assert!(
        plan["split_files"].get("test/a.test.js").is_some(),
        "the file is split: {plan:#}"
    );
    assert_eq!(summary(&merged).0, 6, "{merged:#}");
    assert_eq!(
        outcomes(&merged, "hangs", "after hang"),
        ["failed"],
        "{merged:#}"
    );
    assert_eq!(
        failure_type(&merged, "the hang").as_deref(),
        Some("timeout")
    );
    assert_eq!(outcomes(&merged, "", "slow 1"), ["passed"], "{merged:#}");
}

/// A hang among the tests split out of a file: jest names a test only as
/// it runs, so the split-out tests selected behind the hung one were never
/// run or counted, only warned of as "deleted or renamed since the timings
/// were recorded" (a real failure among them lost). They run again without
/// the hung one.
#[test]
fn jest_a_hang_among_split_out_tests_loses_no_test_behind_it() {
    let sleepy = "const fs = require('fs');\n\
const path = require('path');\n\
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
const hang = (n) => fs.existsSync(path.join(__dirname, '..', 'hang-' + n));\n\
for (const n of [1, 2, 3, 4]) {\n\
  test('slow ' + n, () => (hang(n) ? new Promise(() => {}) : sleep(2000)), 600000);\n\
}\n\
test('quick', () => {});\n";
    // Two of its slow tests in each shard, whichever two.
    let Some(dir) = split_by_its_history(sleepy) else {
        return;
    };
    // Whichever pairs the plan makes, a hung test comes first in one.
    fs::write(dir.path().join("hang-1"), "").unwrap();
    fs::write(dir.path().join("hang-2"), "").unwrap();
    let (out, merged) = pitcrew_test(
        dir.path(),
        &JEST,
        &["--shards", "2", "--timeout", "8", "--retries", "0"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let plan = fs::read_to_string(dir.path().join(".pitcrew/plan.json")).unwrap();
    assert!(plan.contains("test/a.test.js::slow 3"), "split: {plan}");
    for hung in ["slow 1", "slow 2"] {
        assert_eq!(
            failure_type(&merged, hung).as_deref(),
            Some("timeout"),
            "{merged:#}"
        );
    }
    for name in ["slow 3", "slow 4", "quick", "b"] {
        assert_eq!(outcomes(&merged, "", name), ["passed"], "{merged:#}");
    }
    assert_eq!(summary(&merged).0, 6, "{merged:#}");
}

/// A jest test that kills jest itself (in band): jest names a file's tests
/// only as they run, so the tests after it in its file were never named,
/// never run and never counted: a real failure among them lost, and the
/// suite green once the killer passed its retry (the review of stop 47).
/// The rest of its file runs again without it, as after a hang.
#[test]
fn jest_the_tests_after_one_that_kills_jest_are_run_and_counted() {
    let files = [
        (
            "test/a.test.js",
            "test('a crash', () => { if (process.env.PITCREW_ATTEMPT === '1') process.kill(process.pid, 'SIGKILL'); });\n\
             test('b real', () => { expect(1).toBe(2); });\n\
             test('c ok', () => {});\n",
        ),
        ("test/b.test.js", "test('d ok', () => {});\n"),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["--runInBand"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "b real"), ["failed"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "c ok"), ["passed"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "a crash"), ["flaky"], "{merged:#}");
    // `b.test.js` never started: jest named only the file, which runs
    // again as a file in the same attempt (its retry by a name pattern ran
    // none of its tests: "never ran", a green file failed).
    assert_eq!(outcomes(&merged, "", "d ok"), ["passed"], "{merged:#}");
    assert_eq!(summary(&merged).0, 4, "{merged:#}");
}

/// A first run, where jest finds its own files: a test that kills jest
/// (in band) left the files behind it unstarted, named by jest's listing
/// as "stopped before it (--bail, or a crash)", and they waited for a
/// retry: at `--retries 0` a real failure among them was one "never ran"
/// file (the review of stop 48). They run in the same attempt, as behind
/// any crash. And a test that kills jest every time, retried with a flaky
/// test after it in its file, left that test failed: the retry's tests
/// jest never started behind it run again without it.
#[test]
fn jest_files_a_crash_kept_from_starting_run_in_the_same_attempt() {
    let big = format!(
        "test('a crash', () => {{ process.kill(process.pid, 'SIGKILL'); }});\n\
         test('a flaky', () => {{ expect(process.env.PITCREW_ATTEMPT).toBe('2'); }});\n// {}\n",
        "x".repeat(4000)
    );
    let files = [
        ("test/a.test.js", big.as_str()),
        (
            "test/b.test.js",
            "test('b real', () => { expect(1).toBe(2); });\ntest('b ok', () => {});\n",
        ),
    ];
    for retries in ["0", "1"] {
        let Some(dir) = project(&JEST, &files) else {
            return;
        };
        let (out, merged) = pitcrew_test(dir.path(), &JEST, &["--retries", retries], &["-i"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let b = test_named(&merged, "b real");
        let message = b["failure"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("toBe"), "{b}");
        assert_eq!(outcomes(&merged, "", "b ok"), ["passed"], "{merged:#}");
        assert_eq!(outcomes(&merged, "", "a crash"), ["failed"], "{merged:#}");
        let flaky = if retries == "1" { "flaky" } else { "failed" };
        assert_eq!(outcomes(&merged, "", "a flaky"), [flaky], "{merged:#}");
        assert_eq!(summary(&merged).0, 4, "{merged:#}");
    }
}

/// A test file that ends jest as it is imported (`process.exit(1)`, in
/// band), in the first attempt only, after a flaky test failed: the tests
/// it left unrun read "stopped after a failed test (-x, --maxfail,
/// --bail)", passed in the retry, and the run was green, the crash hidden
/// behind the flaky test (the review of stop 50). jest's reporter says
/// whether jest was told to stop at a failure; with `--bail` the stop is
/// the user's.
#[test]
fn jest_a_crash_after_a_flaky_failure_is_not_hidden() {
    let big = largest_with_a_flaky_test();
    let files = [
        ("test/a.test.js", big.as_str()),
        (
            "test/b.test.js",
            "if (process.env.PITCREW_ATTEMPT === '1') process.exit(1);\ntest('b1', () => {});\n",
        ),
        (
            "test/c.test.js",
            "test('c1', () => {});\ntest('c2', () => {});\n",
        ),
        (
            "test/d.test.js",
            "test('d1', () => {});\ntest('d2', () => {});\n",
        ),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["-i"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("never told to stop"), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "a1"), ["flaky"], "{merged:#}");
    for name in ["a2", "b1", "c1", "c2", "d1", "d2"] {
        assert_eq!(
            outcomes(&merged, "", name),
            ["passed"],
            "{name}: {merged:#}"
        );
    }
    // Told to stop at a failure, jest stopped for the flaky test: green.
    // (A project of its own: jest runs the files that failed last first.)
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["-i", "--bail"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "a1"), ["flaky"], "{merged:#}");
    assert_eq!(summary(&merged), (7, 6, 0, 1), "{merged:#}");
    // Told to stop after 3 failed tests, jest stopped after 1: not for it
    // (this read as bail's stop, green, before stop 51). In the
    // configuration: jest 30's command line reads `--bail=3` as no bail.
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    fs::write(
        dir.path().join("jest.config.js"),
        "module.exports = { bail: 3 };\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["-i"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("told to stop only after 3"),
        "{}",
        text(&out)
    );
    assert_eq!(summary(&merged), (7, 6, 0, 1), "{merged:#}");
}

/// jest killed by a signal in the last file's `afterAll`, in band, after a
/// flaky test failed: every test had its result, the failed test explained
/// the failed exit, and the run was green (the second review of stop 50).
/// A runner killed by a signal with no test running crashed, whatever
/// failed before.
#[test]
fn jest_killed_with_no_test_running_after_a_flaky_failure_is_not_hidden() {
    let big = largest_with_a_flaky_test();
    let files = [
        ("test/a.test.js", big.as_str()),
        (
            "test/z.test.js",
            "test('z1', () => {});\n\
             afterAll(() => { if (process.env.PITCREW_ATTEMPT === '1') process.kill(process.pid, 'SIGKILL'); });\n",
        ),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = local_test(dir.path(), &JEST, &["--retries", "1"], &["-i"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("killed by signal 9"), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "a1"), ["flaky"], "{merged:#}");
    for name in ["a2", "z1"] {
        assert_eq!(
            outcomes(&merged, "", name),
            ["passed"],
            "{name}: {merged:#}"
        );
    }
}

/// A file a crash kept from starting, run whole, crashing in turn: jest
/// never named the tests behind that second crash, so they vanished, a
/// real failure among them (the second review of stop 48). The rest of
/// such a file runs again without its crasher, as in a first run.
#[test]
fn jest_a_file_run_whole_behind_a_crash_that_crashes_too_loses_nothing() {
    let a = format!(
        "test('acrash', () => {{ process.kill(process.pid, 'SIGKILL'); }});\n\
         test('apass', () => {{}});\n// {}\n",
        "x".repeat(4000)
    );
    let files = [
        ("test/a.test.js", a.as_str()),
        (
            "test/b.test.js",
            "test('bcrash', () => { process.kill(process.pid, 'SIGKILL'); });\n\
             test('bfail', () => { throw new Error('B-REAL-FAIL'); });\n\
             test('bpass', () => {});\n",
        ),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = pitcrew_test(dir.path(), &JEST, &["--retries", "0"], &["-i"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let bfail = test_named(&merged, "bfail");
    let message = bfail["failure"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("B-REAL-FAIL"), "{bfail}");
    for passed in ["apass", "bpass"] {
        assert_eq!(outcomes(&merged, "", passed), ["passed"], "{merged:#}");
    }
    assert_eq!(summary(&merged).0, 5, "{merged:#}");
}

/// Three tests that kill jest every time, then a flaky test: each retry
/// got past two of them ([`CRASH_RERUNS`] in pitcrew), so the flaky test
/// was never retried and stayed failed (the second review of stop 48).
/// The tests the runner died under retry apart from the others.
#[test]
fn jest_a_flaky_test_behind_three_crashers_is_flaky() {
    let crash =
        |n: u32| format!("test('crash{n}', () => {{ process.kill(process.pid, 'SIGKILL'); }});\n");
    let body = format!(
        "{}{}{}test('flaky', () => {{ expect(process.env.PITCREW_ATTEMPT).toBe('2'); }});\n\
         test('realfail', () => {{ throw new Error('REAL'); }});\n",
        crash(1),
        crash(2),
        crash(3)
    );
    let Some(dir) = project(&JEST, &[("test/a.test.js", body.as_str())]) else {
        return;
    };
    let (out, merged) = pitcrew_test(dir.path(), &JEST, &["--retries", "1"], &["-i"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcomes(&merged, "", "realfail"), ["failed"], "{merged:#}");
    for n in 1..=3 {
        let name = format!("crash{n}");
        assert_eq!(outcomes(&merged, "", &name), ["failed"], "{merged:#}");
    }
    assert_eq!(summary(&merged).0, 5, "{merged:#}");
}

/// `--bail` with workers stops the tests other workers are running when
/// a flaky test fails: cut short by jest's stop, not by a death, they are
/// retried and the run is green (a death would fail it; the review of
/// stop 53).
#[test]
fn jest_tests_bail_cuts_short_in_other_workers_are_no_death() {
    let slow = |name: &str| {
        format!(
            "test('slow {name}', async () => {{ await new Promise((r) => setTimeout(r, 1500)); }});\n"
        )
    };
    let (b, c, d) = (slow("b"), slow("c"), slow("d"));
    let files = [
        (
            "test/a.test.js",
            "test('flaky', () => { expect(process.env.PITCREW_ATTEMPT).toBe('2'); });\n",
        ),
        ("test/b.test.js", b.as_str()),
        ("test/c.test.js", c.as_str()),
        ("test/d.test.js", d.as_str()),
    ];
    let Some(dir) = project(&JEST, &files) else {
        return;
    };
    let (out, merged) = local_test(
        dir.path(),
        &JEST,
        &["--retries", "1"],
        &["--bail", "--maxWorkers", "3"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(summary(&merged).0, 4, "{merged:#}");
}

/// `--bail` stops jest after a flaky failure, before the other files
/// start; the retry runs them as files (by name it ran none of their
/// tests: "never ran", and the green suite failed).
#[test]
fn jest_files_bail_never_started_run_in_the_retry() {
    let flaky = format!(
        "test('flaky', () => {{ expect(process.env.PITCREW_ATTEMPT).toBe('2'); }});\n// {}\n",
        "x".repeat(4000)
    );
    let files = [
        ("test/a.test.js", flaky.as_str()),
        ("test/b.test.js", "test('b ok', () => {});\n"),
        (
            "test/c.test.js",
            "test('c ok', () => {});\ntest('c2 ok', () => {});\n",
        ),
    ];
    // Planned files, and a first run where jest finds its own.
    for shards in [&["--shards", "1"][..], &[]] {
        let Some(dir) = project(&JEST, &files) else {
            return;
        };
        let mut args = vec!["--retries", "1"];
        args.extend_from_slice(shards);
        let (out, merged) = pitcrew_test(dir.path(), &JEST, &args, &["--bail", "-i"]);
        assert_eq!(out.status.code(), Some(0), "{shards:?}: {}", text(&out));
        assert_eq!(outcomes(&merged, "", "flaky"), ["flaky"], "{merged:#}");
        for name in ["b ok", "c ok", "c2 ok"] {
            assert_eq!(outcomes(&merged, "", name), ["passed"], "{merged:#}");
        }
        assert_eq!(summary(&merged).0, 4, "{merged:#}");
    }
}

/// A test that kills its Vitest worker: Vitest's main process never hears
/// of it, nor of the test that finished just before it (a worker's news
/// comes up to 100 ms late), and reports the death as an unhandled error,
/// sometimes in another file. The tests after it in its file were "never
/// ran: stopped after a failed test" and their retry by name ran the
/// killer again: one crash, four failures, the counts wrong (round 32).
/// The workers' trace names the test that was running and what finished;
/// the tests behind it run again without it in the same attempt, and the
/// unhandled error is that test's failure, said once.
fn a_test_that_kills_its_worker_is_named_and_the_rest_counted(dir: &tempfile::TempDir) {
    // Killed in the first attempt only: flaky as a test, and the worker's
    // death fails the run, as it fails Vitest's own (a test run again does
    // not run what may have killed it; stop 53).
    // Killed in the first attempt only: its file, run whole after the
    // retry, passes it, as Vitest's second run does.
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("vitest died while"), "{}", text(&out));
    assert_eq!(outcomes(&merged, "", "a kills"), ["flaky"], "{merged:#}");
    for name in ["a before", "a after", "b slow", "b ok"] {
        assert_eq!(
            outcomes(&merged, "", name),
            ["passed"],
            "{name}: {merged:#}"
        );
    }
    assert_eq!(summary(&merged), (5, 4, 0, 1), "{merged:#}");
    // Killed every time: that test fails, once, and nothing else does.
    let always = fs::read_to_string(dir.path().join("test/a.test.js"))
        .unwrap()
        .replace("if (process.env.PITCREW_ATTEMPT === '1') ", "");
    fs::write(dir.path().join("test/a.test.js"), always).unwrap();
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let killer = test_named(&merged, "a kills");
    assert_eq!(killer["outcome"], "failed", "{merged:#}");
    assert!(
        killer["failure"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("exited while it ran")),
        "{killer:#}"
    );
    assert_eq!(summary(&merged), (5, 4, 1, 0), "{merged:#}");
}

#[test]
fn vitest_a_test_that_kills_its_worker_is_named_and_the_rest_counted() {
    let files = [
        (
            "test/a.test.js",
            "test('a before', () => {});
             test('a kills', () => { if (process.env.PITCREW_ATTEMPT === '1') process.kill(process.pid, 'SIGKILL'); });
             test('a after', () => {});
",
        ),
        (
            "test/b.test.js",
            "test('b slow', async () => { await new Promise((r) => setTimeout(r, 300)); });
             test('b ok', () => {});
",
        ),
    ];
    under_every_vitest(
        &files,
        a_test_that_kills_its_worker_is_named_and_the_rest_counted,
    );
}

/// A worker killed under one of two tests running side by side
/// (`describe.concurrent`): the trace saw the other start and, as it wrote
/// a test's end only when the next began, never end, so both were "running"
/// when the worker died. The one that passed was counted twice, once as
/// "did not finish" in the first attempt and once as re-run behind the
/// crash: an innocent test failed a run that passes on retry (the review
/// of stop 49). The trace writes a test's end as it ends.
fn a_worker_killed_beside_a_concurrent_test_blames_only_the_killer(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    // The death, in the first attempt only, is forgiven where the file run
    // whole after the retry passes the killer (as Vitest's second run).
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("vitest died while"), "{}", text(&out));
    assert_eq!(outcomes(&merged, "conc", "fast"), ["passed"], "{merged:#}");
    assert_eq!(outcomes(&merged, "conc", "killer"), ["flaky"], "{merged:#}");
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{merged:#}");
}

#[test]
fn vitest_a_worker_killed_beside_a_concurrent_test_blames_only_the_killer() {
    let files = [
        (
            "test/a.test.js",
            "describe.concurrent('conc', () => {\n\
               test('fast', () => {});\n\
               test('killer', async () => { await new Promise((r) => setTimeout(r, 100)); if (process.env.PITCREW_ATTEMPT === '1') process.kill(process.pid, 'SIGKILL'); });\n\
             });\n",
        ),
        ("test/b.test.js", "test('b ok', () => {});\n"),
    ];
    under_every_vitest(
        &files,
        a_worker_killed_beside_a_concurrent_test_blames_only_the_killer,
    );
}

/// A file that kills its worker as it is imported, in the first attempt
/// only. Vitest 2 and 4 report an unhandled error for it; Vitest 3's main
/// process died with "Channel closed" and said nothing of the file, which
/// was re-run as "never ran", passed, and the run read as green even under
/// `--flaky fail`: a crash hidden (the review of stop 49). A runner that
/// failed with no failed test, leaving tests unrun, fails the run.
fn a_file_that_kills_its_worker_at_import_is_not_hidden(dir: &tempfile::TempDir) {
    for flaky in ["pass", "fail"] {
        let args = ["--retries", "1", "--flaky", flaky];
        let (out, merged) = local_test(dir.path(), &VITEST, &args, &["run"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "--flaky {flaky}: {}",
            text(&out)
        );
        // The tests of both files are counted, each once.
        for name in ["a ok", "b ok"] {
            assert_eq!(outcomes(&merged, "", name).len(), 1, "{name}: {merged:#}");
        }
        assert_eq!(outcomes(&merged, "", "b ok"), ["passed"], "{merged:#}");
    }
}

#[test]
fn vitest_a_file_that_kills_its_worker_at_import_is_not_hidden() {
    let files = [
        (
            "test/a.test.js",
            "if (process.env.PITCREW_ATTEMPT === '1') process.kill(process.pid, 'SIGKILL');\n\
             test('a ok', () => {});\n",
        ),
        (
            "test/b.test.js",
            "test('b ok', async () => { await new Promise((r) => setTimeout(r, 300)); });\n",
        ),
    ];
    under_every_vitest(&files, a_file_that_kills_its_worker_at_import_is_not_hidden);
}

/// The same crash after a flaky test failed in the same run: the failed
/// test explained the runner's failed exit, the tests left unrun passed in
/// the retry, and the run was green in four runs of six under Vitest 3
/// (the review of stop 50). Vitest's reporter says whether Vitest was told
/// to stop at a failure (`bail`): it was not, so the stop was a crash.
fn a_crash_after_a_flaky_failure_is_not_hidden(dir: &tempfile::TempDir) {
    let (out, merged) = local_test(dir.path(), &VITEST, &["--retries", "1"], &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    for name in ["a2", "b1"] {
        assert_eq!(
            outcomes(&merged, "", name),
            ["passed"],
            "{name}: {merged:#}"
        );
    }
    // Flaky where its failure reached Vitest's main process before the
    // crash, else run first in the retry.
    let a1 = outcomes(&merged, "", "a1");
    assert!(a1 == ["flaky"] || a1 == ["passed"], "{merged:#}");
    // Told to stop only after 3 failed tests, Vitest stopped for none.
    let (out, _) = local_test(
        dir.path(),
        &VITEST,
        &["--retries", "1"],
        &["run", "--bail=3"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn vitest_a_crash_after_a_flaky_failure_is_not_hidden() {
    let files = [
        (
            "test/a.test.js",
            "test('a1', () => { expect(process.env.PITCREW_ATTEMPT).not.toBe('1'); });\n\
             test('a2', () => {});\n",
        ),
        (
            "test/b.test.js",
            "if (process.env.PITCREW_ATTEMPT === '1') {\n\
               await new Promise((r) => setTimeout(r, 500));\n\
               process.kill(process.pid, 'SIGKILL');\n\
             }\n\
             test('b1', () => {});\n",
        ),
    ];
    under_every_vitest(&files, a_crash_after_a_flaky_failure_is_not_hidden);
}

/// A runner that finds its own files and fails to list them (vitest 1
/// has no `list --json`; here a config that throws when listed): the first
/// run (no history) ran, and every run after it exited 2, from the second
/// run of CI on (round 32). pitcrew's own choice leaves such a runner to
/// find its files again, with a warning; shards given still exit 2.
#[test]
fn vitest_that_cannot_list_its_tests_still_runs_after_the_first_run() {
    let files = [
        ("test/a.test.js", "test('a', () => {});\n"),
        (
            "test/b.test.js",
            "test('b', () => {});\ntest('b2', () => {});\n",
        ),
    ];
    let Some(dir) = project(&VITEST, &files) else {
        return;
    };
    let config = "if (process.argv.includes('list')) throw new Error('this vitest cannot list');\n\
                  export default {};\n";
    fs::write(dir.path().join("vitest.config.mjs"), config).unwrap();
    let (out, merged) = pitcrew_test(dir.path(), &VITEST, &[], &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 3, 0, 0));
    assert!(dir.path().join(".pitcrew/timings.json").is_file());
    // A changed file: the files the first run found are no answer now.
    fs::write(
        dir.path().join("test/a.test.js"),
        format!(
            "{}test('a', () => {{}});\ntest('a2', () => {{}});\n",
            VITEST.prelude
        ),
    )
    .unwrap();
    let (out, merged) = pitcrew_test(dir.path(), &VITEST, &[], &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 4, 0, 0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("this vitest cannot list"),
        "{}",
        text(&out)
    );
    // Shards given need the listing (the files that run found answer for
    // it until one changes).
    let b = format!("{}test('b', () => {{}});\n", VITEST.prelude);
    fs::write(dir.path().join("test/b.test.js"), b).unwrap();
    let out = pitcrew(
        &["test", "--shards", "2", "--", "npx", "vitest", "run"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("this vitest cannot list"),
        "{}",
        text(&out)
    );
}
