//! "Every test counted exactly once, and a failure is never hidden", on
//! real runners: same-named tests, tests that never ran, inherited tests,
//! a hung test under --timeout, and shard results that disagree.
//!
//! A runner that is missing skips its test here, except where CI names it
//! in `PITCREW_REQUIRE_RUNNERS`: then the test fails.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

mod common;
use common::cli::{
    has_go, has_nextest, has_node, has_pytest, node_major, node_skips_by_name, node_strips_types,
    pitcrew,
};

fn text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `pitcrew test` in `dir`, and the merged results it wrote.
fn local_test(dir: &Path, args: &[&str]) -> (Output, Value) {
    let mut all = vec!["test", "--shards", "1"];
    all.extend_from_slice(args);
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

/// (classname, name, outcome) of every test.
fn tests(merged: &Value) -> Vec<(String, String, String)> {
    merged["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            (
                t["key"]["classname"].as_str().unwrap_or("").to_owned(),
                t["key"]["name"].as_str().unwrap_or("").to_owned(),
                t["outcome"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The test called `name` (the first of that name); it must be there.
fn test_named<'a>(merged: &'a Value, name: &str) -> &'a Value {
    merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"]["name"] == name)
        .unwrap_or_else(|| panic!("no test named {name:?}: {merged:#}"))
}

/// A test's failure message, empty when it has none.
fn failure_message(test: &Value) -> &str {
    test["failure"]["message"].as_str().unwrap_or_default()
}

/// The test called `name` is named as the one the timeout stopped.
fn assert_timed_out(merged: &Value, name: &str) {
    let hung = test_named(merged, name);
    assert_eq!(hung["failure"]["failure_type"], "timeout", "{hung:#}");
}

/// The merged results `pitcrew test` wrote in `root`.
fn merged_results(root: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap()).unwrap()
}

fn outcome_of(merged: &Value, name: &str) -> Vec<String> {
    tests(merged)
        .into_iter()
        .filter(|t| t.1 == name)
        .map(|t| t.2)
        .collect()
}

const SAME_NAMES: &str = "import { describe, it } from 'node:test';\n\
import assert from 'node:assert';\n\
describe('users', () => { it('returns 200', () => {}); });\n\
describe('orders', () => { it('returns 200', () => { assert.equal(500, 200); }); });\n\
for (let i = 0; i < 3; i++) it('in a loop', () => {});\n\
it('tab\\there', () => {});\n\
it('tab here', () => {});\n";

#[test]
fn node_same_names_in_describe_blocks_and_loops_are_distinct_tests() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(dir.path().join("test/api.test.mjs"), SAME_NAMES).unwrap();
    let node = Command::new("node")
        .args(["--test", "test/"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(node.status.code(), Some(1), "node itself fails");

    // Without retries: the failure is a failure, not "flaky".
    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 6, 1, 0), "{}", merged["tests"]);
    assert!(
        tests(&merged).contains(&("orders".into(), "returns 200".into(), "failed".into())),
        "the describe path is part of the identity: {}",
        merged["tests"]
    );
    // Names that differ only in a tab stay apart.
    assert_eq!(outcome_of(&merged, "tab\there"), ["passed"]);
    assert_eq!(outcome_of(&merged, "tab here"), ["passed"]);
    assert_eq!(outcome_of(&merged, "in a loop").len(), 3);

    // With retries, the re-run fails again: still failed, never flaky.
    let (out, merged) = local_test(dir.path(), &["--retries", "2", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 6, 1, 0), "{}", merged["tests"]);
}

/// `node --test test/a.test.mjs test/b.test.mjs` (or a folder) names the
/// tests: each shard runs its own files, never all of them again (two
/// copies of a test holding one port fail where node alone passes).
#[test]
fn node_files_named_in_the_command_run_once_each() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let body = |name: &str| {
        format!(
            "import {{ test }} from 'node:test';\nimport {{ appendFileSync }} from 'node:fs';\n\
             test('{name}', () => {{ appendFileSync('runs.log', '{name}\\n'); }});\n"
        )
    };
    write_tree(
        dir.path(),
        &[
            ("test/a.test.mjs", &body("a")),
            ("test/b.test.mjs", &body("b")),
        ],
    );
    for named in [&["test/a.test.mjs", "test/b.test.mjs"][..], &["test/"][..]] {
        let _ = fs::remove_file(dir.path().join("runs.log"));
        let mut args = vec![
            "test",
            "--shards",
            "2",
            "--retries",
            "0",
            "--",
            "node",
            "--test",
        ];
        args.extend_from_slice(named);
        let out = pitcrew(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{named:?}: {}", text(&out));
        let mut runs: Vec<String> = fs::read_to_string(dir.path().join("runs.log"))
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        runs.sort();
        assert_eq!(
            runs,
            ["a", "b"],
            "{named:?}: each file once: {}",
            text(&out)
        );
        assert_eq!(summary(&merged_results(dir.path())), (2, 2, 0, 0));
    }
}

#[test]
fn node_only_a_real_rerun_makes_a_test_flaky() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/flaky.test.mjs"),
        "import { describe, it } from 'node:test';\n\
         describe('a', () => { it('same', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('ECONNRESET'); }); });\n\
         describe('b', () => { it('same', () => {}); });\n\
         import { test } from 'node:test';\n\
         test('parent', async (t) => { await t.test('child', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('x'); }); });\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 1, 0, 3), "{}", merged["tests"]);
    assert!(tests(&merged).contains(&("a".into(), "same".into(), "flaky".into())));
    // A subtest runs only when its parent does: its retry runs both, and
    // the parent, which failed for its subtest, is flaky with it.
    assert!(tests(&merged).contains(&("parent".into(), "child".into(), "flaky".into())));
    assert!(tests(&merged).contains(&("".into(), "parent".into(), "flaky".into())));
}

/// A `describe` whose own hook fails is one failed case named by the
/// block; the retry runs the block by its name, and a block that passes is
/// named by no result. A flaky `before` or `after` hook kept the block
/// failed whatever its retry did, and the run red. A block run again with
/// its tests and not failing is its pass; a hook failing every run, or a
/// real failure beside a flaky hook, is still red.
#[test]
fn node_a_blocks_flaky_hook_is_flaky_and_its_real_failures_stay() {
    if !has_node() {
        return;
    }
    let flaky = |hook: &str| {
        format!(
            "import {{ describe, it, {hook} }} from 'node:test';\n\
             describe('outer', () => {{\n\
               it('o1', () => {{}});\n\
               describe('block', () => {{\n\
                 {hook}(() => {{ if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky hook'); }});\n\
                 it('x', () => {{}});\n\
                 it('y', () => {{}});\n\
               }});\n\
             }});\n"
        )
    };
    for hook in ["before", "after"] {
        let dir = tempfile::tempdir().unwrap();
        write_tree(dir.path(), &[("test/a.test.mjs", &flaky(hook))]);
        let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
        assert_eq!(out.status.code(), Some(0), "{hook}: {}", text(&out));
        assert!(
            tests(&merged).contains(&("outer".into(), "block".into(), "flaky".into())),
            "{hook}: {}",
            merged["tests"]
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let always = "import { describe, it, before } from 'node:test';\n\
                  describe('block', () => { before(() => { throw new Error('always'); }); it('x', () => {}); });\n";
    let real_bug = "import { describe, it, before } from 'node:test';\n\
                    describe('other', () => {\n\
                      before(() => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky hook'); });\n\
                      it('bug', () => { throw new Error('real bug'); });\n\
                    });\n";
    // What the block's passing run broke elsewhere in its file, under
    // names not re-run (a nested block's hook, an enclosing block's, the
    // file's own error), fails under its own name: those fail every run
    // after it (the review of this fix: each read green).
    let once = "if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky hook');";
    let nested = format!(
        "import {{ describe, it, before, after }} from 'node:test';\n\
         describe('c1', () => {{ before(() => {{ {once} }}); it('x', () => {{}});\n\
         describe('inner', () => {{ after(() => {{ throw new Error('inner teardown'); }}); it('y', () => {{}}); }}); }});\n"
    );
    let enclosing = format!(
        "import {{ describe, it, before, after }} from 'node:test';\n\
         let conn = null;\n\
         describe('c2outer', () => {{ after(() => {{ if (conn) throw new Error('leaked'); }}); it('o1', () => {{}});\n\
         describe('c2', () => {{ before(() => {{ {once} conn = 'db'; }}); it('x', () => {{}}); }}); }});\n"
    );
    let late = format!(
        "import {{ describe, it, before }} from 'node:test';\n\
         describe('c3', () => {{ before(() => {{ {once} setTimeout(() => {{ throw new Error('late'); }}, 200); }}); it('x', () => {{}}); }});\n"
    );
    write_tree(
        dir.path(),
        &[
            ("test/a.test.mjs", always),
            ("test/b.test.mjs", real_bug),
            ("test/c1.test.mjs", &nested),
            ("test/c2.test.mjs", &enclosing),
            ("test/c3.test.mjs", &late),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let found = tests(&merged);
    assert!(
        found.contains(&("".into(), "block".into(), "failed".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("".into(), "other".into(), "flaky".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("other".into(), "bug".into(), "failed".into())),
        "{found:?}"
    );
    for (classname, block) in [("", "c1"), ("c2outer", "c2"), ("", "c3")] {
        assert!(
            found.contains(&(classname.into(), block.into(), "flaky".into())),
            "{block}: {found:?}"
        );
    }
    for (classname, broken) in [("c1", "inner"), ("", "c2outer")] {
        assert!(
            found.contains(&(classname.into(), broken.into(), "failed".into())),
            "{broken}: {found:?}"
        );
    }
    assert!(
        file_failed(&merged, "test/c3.test.mjs"),
        "{}",
        merged["tests"]
    );
}

/// A flaky test whose passing run breaks what runs after it under another
/// name (state an enclosing block's or the file's root `after` hook trips
/// on, a timer throwing after the test ended) fails node every run after
/// the first; the retry kept only the re-run test's own result, and read
/// green. Kept as the by-name re-run reports them, such failures read red
/// where node passes whenever a hook or an exit check needs the siblings
/// the re-run left out (a counter, an order, a server another test
/// starts): the whole file, run once more, tells the two apart, and where
/// the partial run was wrong, its re-run tests' results are the whole
/// run's (a block's `before` needing a sibling outside it cancelled one).
#[test]
fn node_what_a_flaky_tests_passing_run_breaks_elsewhere_fails_the_run() {
    if !has_node() {
        return;
    }
    let once = "if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky');";
    let teardown = format!(
        "import {{ describe, it, after }} from 'node:test';\n\
         let conn = null;\n\
         describe('outer', () => {{\n\
         after(() => {{ if (conn) throw new Error('leaked ' + conn); }});\n\
         it('t', () => {{ {once} conn = 'db'; }});\n\
         it('u', () => {{}});\n\
         }});\n"
    );
    let root = format!(
        "import {{ describe, it, after }} from 'node:test';\n\
         let conn = null;\n\
         after(() => {{ if (conn) throw new Error('leaked ' + conn); }});\n\
         describe('rooted', () => {{ it('t', () => {{ {once} conn = 'db'; }}); it('u', () => {{}}); }});\n"
    );
    let late = format!(
        "import {{ it }} from 'node:test';\n\
         it('late', () => {{ {once} setTimeout(() => {{ throw new Error('late bug'); }}, 100); }});\n\
         it('fine', () => {{}});\n"
    );
    // A sibling test the flaky test's pass breaks, one that passed while
    // the flaky test failed, and one of the same name run by its pattern
    // (the review: each read green or flaky).
    let sibling = format!(
        "import {{ describe, it }} from 'node:test';\n\
         import assert from 'node:assert';\n\
         const users = [];\n\
         describe('users', () => {{\n\
         it('creates a user', () => {{ {once} users.push('bob'); }});\n\
         it('starts empty', () => {{ assert.deepStrictEqual(users, []); }});\n\
         }});\n"
    );
    let same_name = format!(
        "import {{ describe, it }} from 'node:test';\n\
         import assert from 'node:assert';\n\
         let opened = 0;\n\
         describe('x', () => {{ it('a', () => {{ {once} opened++; }}); }});\n\
         describe('y', () => {{ it('a', () => {{ assert.strictEqual(opened, 0); }}); }});\n"
    );
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("test/a.test.mjs", &teardown),
            ("test/b.test.mjs", &late),
            ("test/c.test.mjs", &root),
            ("test/d.test.mjs", &sibling),
            ("test/e.test.mjs", &same_name),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let found = tests(&merged);
    for flaky in [
        ("outer", "t"),
        ("", "late"),
        ("rooted", "t"),
        ("users", "creates a user"),
        ("x", "a"),
    ] {
        let flaky = (flaky.0.into(), flaky.1.into(), "flaky".into());
        assert!(found.contains(&flaky), "{flaky:?}: {found:?}");
    }
    for failed in [("users", "starts empty"), ("y", "a")] {
        let failed = (failed.0.into(), failed.1.into(), "failed".into());
        assert!(found.contains(&failed), "{failed:?}: {found:?}");
    }
    assert!(
        found.contains(&("".into(), "outer".into(), "failed".into())),
        "{found:?}"
    );
    assert!(
        file_failed(&merged, "test/b.test.mjs"),
        "{}",
        merged["tests"]
    );
    assert!(
        file_failed(&merged, "test/c.test.mjs"),
        "{}",
        merged["tests"]
    );

    // What only the partial re-run breaks: node passes every run after
    // the first, and so does the retry.
    let counter = format!(
        "import {{ describe, it, after }} from 'node:test';\n\
         import assert from 'node:assert';\n\
         let count = 0;\n\
         describe('block', () => {{\n\
         after(() => {{ assert.strictEqual(count, 3, 'all tests ran'); }});\n\
         it('a', () => {{ count++; {once} }});\n\
         it('b', () => {{ count++; }});\n\
         it('c', () => {{ count++; }});\n\
         }});\n"
    );
    let exit_check = format!(
        "import {{ it }} from 'node:test';\n\
         let count = 0;\n\
         process.on('exit', () => {{ if (count !== 2) process.exitCode = 1; }});\n\
         it('a', () => {{ count++; {once} }});\n\
         it('b', () => {{ count++; }});\n"
    );
    let server = format!(
        "import {{ describe, it, after }} from 'node:test';\n\
         let server;\n\
         after(() => server.close());\n\
         describe('api', () => {{\n\
         it('starts', () => {{ server = {{ close() {{}} }}; }});\n\
         it('flaky', () => {{ {once} }});\n\
         }});\n"
    );
    // A block's `before` that needs a sibling outside the block: the
    // partial run cancels the re-run test; the whole file's run is its.
    let needs = format!(
        "import {{ describe, it, before }} from 'node:test';\n\
         import assert from 'node:assert';\n\
         let ready = false;\n\
         describe('outer', () => {{\n\
         it('setup', () => {{ ready = true; }});\n\
         describe('inner', () => {{ before(() => assert.ok(ready)); it('t', () => {{ {once} }}); }});\n\
         }});\n"
    );
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("test/counter.test.mjs", &counter),
            ("test/exit.test.mjs", &exit_check),
            ("test/server.test.mjs", &server),
            ("test/needs.test.mjs", &needs),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut flaky: Vec<String> = tests(&merged)
        .into_iter()
        .filter(|(_, _, outcome)| outcome != "passed")
        .map(|(classname, name, outcome)| format!("{classname}|{name}|{outcome}"))
        .collect();
    flaky.sort();
    assert_eq!(
        flaky,
        [
            "api|flaky|flaky",
            "block|a|flaky",
            "outer > inner|t|flaky",
            "|a|flaky"
        ]
    );
}

/// A flaky test that needs state a test before it sets up: its retry by
/// name alone failed otherwise ("ann exists"), and stayed failed where the
/// runner passes every run after the first; a real failure of a test that
/// counts its siblings' work read with the partial run's message. A re-run
/// test failing otherwise than before has its file run whole, whose
/// results are the retry's: node and pytest alike.
#[test]
fn a_flaky_test_needing_an_earlier_sibling_is_flaky() {
    let once = "if (process.env.PITCREW_ATTEMPT === '1') throw new Error('connection reset');";
    let node = format!(
        "import {{ describe, it }} from 'node:test';\n\
         import assert from 'node:assert';\n\
         const users = new Map();\n\
         describe('users', () => {{\n\
         it('creates', () => {{ users.set('ann', 3); }});\n\
         it('reads', () => {{ {once} assert.ok(users.get('ann'), 'ann exists'); }});\n\
         it('counts', () => {{ assert.strictEqual(users.size, 2, 'users: ' + users.size); }});\n\
         }});\n"
    );
    let pytest = "import os\n\
users = {}\n\
def test_creates():\n    users['ann'] = 3\n\
def test_reads():\n    if os.environ.get('PITCREW_ATTEMPT') == '1':\n        raise ConnectionResetError('reset')\n    assert 'ann' in users\n\
def test_counts():\n    assert len(users) == 2, f'users: {len(users)}'\n";
    let runs: [(&str, &str, &[&str], bool); 2] = [
        ("test/a.test.mjs", &node, &["node", "--test"], has_node()),
        (
            "tests/test_users.py",
            pytest,
            &["python3", "-m", "pytest", "-q"],
            has_pytest(),
        ),
    ];
    for (file, body, command, installed) in runs {
        if !installed {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write_tree(dir.path(), &[(file, body)]);
        let mut args = vec!["--retries", "1", "--"];
        args.extend_from_slice(command);
        let (out, merged) = local_test(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let verdicts: Vec<(String, String)> = merged["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .map(|t| {
                let name = t["key"]["name"].as_str().unwrap_or_default();
                let name = name.trim_start_matches("test_").to_owned();
                let message = t["failure"]["message"].as_str().unwrap_or_default();
                (
                    name,
                    format!("{} {}", t["outcome"], message.contains("users: 1")),
                )
            })
            .collect();
        for expected in [
            ("creates", "\"passed\" false"),
            ("reads", "\"flaky\" false"),
            ("counts", "\"failed\" true"),
        ] {
            let expected = (expected.0.to_owned(), expected.1.to_owned());
            assert!(
                verdicts.contains(&expected),
                "{file}: {expected:?} in {verdicts:?}"
            );
        }
    }
    // A module fixture's teardown counting the module's tests: the retry
    // of one test alone failed it there, on that test's name (the review).
    if has_pytest() {
        let dir = tempfile::tempdir().unwrap();
        pytest_project(
            dir.path(),
            &[(
                "tests/test_count.py",
                "import os, pytest\n\
ran = []\n\
@pytest.fixture(scope='module', autouse=True)\n\
def all_ran():\n    yield\n    assert len(ran) == 3, f'only {ran} ran'\n\
def test_a():\n    ran.append('a')\n    if os.environ.get('PITCREW_ATTEMPT') == '1':\n        raise Exception('flaky')\n\
def test_b():\n    ran.append('b')\n\
def test_c():\n    ran.append('c')\n",
            )],
        );
        let (out, merged) = local_test(
            dir.path(),
            &["--retries", "1", "--", "python3", "-m", "pytest", "-q"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert_eq!(outcome_of(&merged, "test_a"), ["flaky"]);
    }
}

/// Tests pytest runs one after another in one process share its state
/// (an environment variable, a module, a file on disk). A test failing
/// only after an earlier file ran passed a retry of its file alone and
/// read flaky (exit 0) where pytest fails every run; a flaky test needing
/// what an earlier file set read failed where pytest passes its second
/// run; a flaky test whose pass breaks a later file's test read green
/// where pytest fails every run (one or the other). The whole run that
/// confirms a retry now replays the shard's first process, all its
/// files in order. Then the review's cases (round 59): a stop at `-x`
/// before the victim, or before the broken test, is no cut; a test that
/// skipped or xfailed before and fails after the pass fails; a
/// `pytest_sessionfinish` hook failing the replay fails the run, and so
/// does a later test whose id is new in the replay (round 60); a file
/// before the retried one, broken by what the retry by name left on disk,
/// is not blamed; a module whose import an earlier one breaks stays
/// failed, and one that imports on its retry is flaky.
#[test]
fn pytest_a_test_needing_or_broken_by_an_earlier_file_keeps_its_verdict() {
    if !has_pytest() {
        return;
    }
    const FLAKY_SETS: &str = "import os\ndef test_sets():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1', 'flaky'\n    os.environ['BROKE'] = '1'\n";
    const SETS: &str = "import os\ndef test_sets():\n    os.environ['BROKE'] = '1'\n";
    const LATER: &str = "import os\ndef test_later():\n    assert 'BROKE' not in os.environ, 'broken by test_sets'\n";
    const NEEDS: &str = "import os\ndef test_needs():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1', 'flaky'\n    assert os.environ.get('BROKE') == '1', 'not ready'\ndef test_other():\n    pass\n";
    const FAIL_FAST: (&str, &str) = ("pytest.ini", "[pytest]\naddopts = --maxfail=1\n");
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        i32,
        u64,
        Vec<(&'a str, &'a str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "a victim of an earlier file",
            vec![("tests/test_a.py", SETS), ("tests/test_b.py", LATER)],
            1,
            2,
            vec![("test_sets", "passed"), ("test_later", "failed")],
        ),
        (
            "a flaky test needing an earlier file",
            vec![("tests/test_a.py", SETS), ("tests/test_b.py", NEEDS)],
            0,
            3,
            vec![("test_sets", "passed"), ("test_needs", "flaky")],
        ),
        (
            "a flaky pass breaking a later file",
            vec![("tests/test_a.py", FLAKY_SETS), ("tests/test_b.py", LATER)],
            1,
            2,
            vec![("test_sets", "flaky"), ("test_later", "failed")],
        ),
        (
            "a victim, behind --maxfail",
            vec![
                ("tests/test_a.py", SETS),
                ("tests/test_b.py", LATER),
                FAIL_FAST,
            ],
            1,
            2,
            vec![("test_later", "failed")],
        ),
        (
            "a flaky test needing an earlier file, behind --maxfail",
            vec![
                ("tests/test_a.py", SETS),
                ("tests/test_b.py", NEEDS),
                FAIL_FAST,
            ],
            0,
            3,
            vec![("test_needs", "flaky"), ("test_other", "passed")],
        ),
        (
            "a flaky pass breaking a later test that --maxfail left unrun",
            vec![
                ("tests/test_a.py", FLAKY_SETS),
                ("tests/test_b.py", LATER),
                FAIL_FAST,
            ],
            1,
            2,
            vec![("test_sets", "flaky"), ("test_later", "failed")],
        ),
        (
            "later tests skipped or xfailed before",
            vec![
                ("tests/test_a.py", FLAKY_SETS),
                (
                    "tests/test_b.py",
                    "import os, pytest\ndef test_skips():\n    if 'BROKE' not in os.environ:\n        pytest.skip('not set up')\n    assert False, 'reached'\n\
@pytest.mark.xfail(strict=True)\ndef test_xfails():\n    assert 'BROKE' in os.environ\n",
                ),
            ],
            1,
            3,
            vec![
                ("test_sets", "flaky"),
                ("test_skips", "failed"),
                ("test_xfails", "failed"),
            ],
        ),
        (
            "a session hook failing the run after the pass",
            vec![
                ("tests/test_a.py", FLAKY_SETS),
                ("tests/test_b.py", "def test_b():\n    pass\n"),
                (
                    "conftest.py",
                    "import os\ndef pytest_sessionfinish(session, exitstatus):\n    if os.environ.get('BROKE'):\n        session.exitstatus = 1\n",
                ),
            ],
            1,
            2,
            vec![("test_sets", "flaky"), ("test_b", "passed")],
        ),
        (
            "an earlier file and what the retry by name left on disk",
            vec![
                (
                    "tests/test_a.py",
                    "import os\ndef test_export():\n    with open('report.json', 'x') as f:\n        f.write('{}')\n    os.remove('report.json')\n",
                ),
                (
                    "tests/test_b.py",
                    "import os\ndef test_writes():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n    with open('report.json', 'w') as f:\n        f.write('{}')\n",
                ),
            ],
            0,
            2,
            vec![("test_export", "passed"), ("test_writes", "flaky")],
        ),
        (
            "a later test whose id is drawn anew in each process",
            vec![
                ("tests/test_a.py", FLAKY_SETS),
                (
                    "tests/test_b.py",
                    "import os, pytest
@pytest.mark.parametrize('pid', [os.getpid()])
def test_later(pid):
    assert 'BROKE' not in os.environ
",
                ),
            ],
            1,
            // The first run's id passed, the replay's failed: two ids.
            3,
            vec![("test_sets", "flaky")],
        ),
        (
            "a module whose import an earlier module breaks",
            vec![
                (
                    "tests/test_a.py",
                    "import os
os.environ['BROKE'] = '1'
def test_sets():
    pass
",
                ),
                (
                    "tests/test_b.py",
                    "import os\nif os.environ.get('BROKE'):\n    raise ImportError('broken by test_a')\ndef test_b():\n    pass\n",
                ),
            ],
            1,
            2,
            vec![("test_sets", "passed"), ("tests.test_b", "failed")],
        ),
        (
            "a module that imports on its retry",
            vec![
                ("tests/test_a.py", "def test_a():\n    pass\n"),
                (
                    "tests/test_b.py",
                    "import os\nif os.environ.get('PITCREW_ATTEMPT') == '1':\n    raise ImportError('not yet')\ndef test_b():\n    pass\n",
                ),
            ],
            0,
            // Its tests carry the import's failure: each once, flaky.
            2,
            vec![("test_a", "passed"), ("test_b", "flaky")],
        ),
    ];
    for (what, files, code, count, outcomes) in cases {
        let dir = tempfile::tempdir().unwrap();
        pytest_project(dir.path(), &files);
        let (out, merged) = local_test(
            dir.path(),
            &["--retries", "1", "--", "python3", "-m", "pytest", "-q"],
        );
        assert_eq!(out.status.code(), Some(code), "{what}: {}", text(&out));
        for (name, outcome) in outcomes {
            assert_eq!(outcome_of(&merged, name), [outcome], "{what}: {merged:#}");
        }
        assert_eq!(summary(&merged).0, count, "{what}: {merged:#}");
    }
}

/// Under pytest-randomly each pytest process draws its own order: the
/// replay that confirms a retry ran the shard's tests in a new one, so a
/// test broken by the flaky pass in the first run's order could read
/// green, and one fine in it red (round 60). The replay now takes the
/// first process's seed, and runs in its order.
#[test]
fn pytest_randomly_replays_in_the_first_runs_order() {
    if !has_pytest() || !common::cli::has_pytest_randomly() {
        return;
    }
    let Some(randomly) = common::cli::pytest_randomly() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let conftest = "import os, json\n\
def pytest_collection_finish(session):\n    if session.config.option.collectonly:\n        return\n    name = f\"order-{os.environ.get('PITCREW_ATTEMPT')}-{os.getpid()}.json\"\n    with open(name, 'w') as f:\n        json.dump([i.nodeid for i in session.items], f)\n";
    let mut files = vec![("conftest.py".to_owned(), conftest.to_owned())];
    for x in ["a", "b", "c", "d", "e"] {
        files.push((
            format!("tests/test_{x}.py"),
            format!("def test_{x}1(): pass\ndef test_{x}2(): pass\n"),
        ));
    }
    files.push((
        "tests/test_f.py".to_owned(),
        "import os\ndef test_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n"
            .to_owned(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    pytest_project(dir.path(), &files);
    let out = common::cli::command(dir.path())
        .env("PYTHONPATH", &randomly)
        .args(["test", "--shards", "1", "--retries", "1", "--"])
        .args(["python3", "-m", "pytest", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let orders: Vec<(String, Vec<String>)> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("order-"))
        .map(|name| {
            let order = serde_json::from_str(&fs::read_to_string(dir.path().join(&name)).unwrap());
            (name, order.unwrap())
        })
        .collect();
    let whole = |attempt: &str| -> Vec<String> {
        let found = orders.iter().find(|(name, order)| {
            name.starts_with(&format!("order-{attempt}-")) && order.len() == 11
        });
        found
            .unwrap_or_else(|| panic!("no whole run in attempt {attempt}: {orders:?}"))
            .1
            .clone()
    };
    assert_eq!(
        whole("2"),
        whole("1"),
        "the replay's order is the first run's"
    );
}

/// What a flaky test's pass breaks in its file's run, in every runner: a
/// sibling that kills pytest, a go test failing after it. Both fail every
/// run after the first; the run of the whole file after the retry was
/// blind to a death in it and to go's cases, which name no file (the
/// review: each read green). And a sibling that fails in that run but
/// passes in the next attempt's is flaky, as any test.
#[test]
fn a_flaky_tests_pass_breaking_a_sibling_fails_in_every_runner() {
    if has_pytest() {
        let dir = tempfile::tempdir().unwrap();
        pytest_project(
            dir.path(),
            &[(
                "tests/test_kill.py",
                "import os\n\
state = {'passed': False}\n\
def test_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n    state['passed'] = True\n\
def test_c():\n    if state['passed']: os._exit(1)\n",
            )],
        );
        let (out, merged) = local_test(
            dir.path(),
            &["--retries", "1", "--", "python3", "-m", "pytest", "-q"],
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert_eq!(outcome_of(&merged, "test_flaky"), ["flaky"]);
        assert_eq!(outcome_of(&merged, "test_c"), ["failed"], "{merged:#}");
    }
    if common::cli::has_go() {
        let dir = tempfile::tempdir().unwrap();
        write_tree(
            dir.path(),
            &[
                ("go.mod", "module example.com/gs\n\ngo 1.18\n"),
                (
                    "a_test.go",
                    "package gs\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n\
                     var passed bool\n\n\
                     func TestFlaky(t *testing.T) {\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tt.Fatal(\"flaky\")\n\t}\n\tpassed = true\n}\n\n\
                     func TestC(t *testing.T) {\n\tif passed {\n\t\tt.Fatal(\"broken by the flaky pass\")\n\t}\n}\n",
                ),
            ],
        );
        let merged = go_test_fails_retried_once(dir.path());
        assert_eq!(outcome_of(&merged, "TestFlaky"), ["flaky"], "{merged:#}");
        assert_eq!(outcome_of(&merged, "TestC"), ["failed"], "{merged:#}");
    }
    if has_node() {
        let dir = tempfile::tempdir().unwrap();
        write_tree(
            dir.path(),
            &[(
                "test/a.test.mjs",
                "import { test } from 'node:test';\n\
                 test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky'); });\n\
                 test('sibling', () => { if (process.env.PITCREW_ATTEMPT === '2') throw new Error('sibling flake'); });\n",
            )],
        );
        let (out, merged) = local_test(dir.path(), &["--retries", "2", "--", "node", "--test"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert_eq!(outcome_of(&merged, "sibling"), ["flaky"], "{merged:#}");
    }
}

/// A test with subtests is a test, as node counts it, passed or failed: a
/// parent that failed on its own and passed on its retry was left out of
/// the retry's results (a passing parent was no case), stayed failed, and
/// failed a run node's retry passes; a passing parent was not counted.
#[test]
fn node_a_test_with_subtests_counts_as_node_counts_it_and_can_be_flaky() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/parents.test.js"),
        "const { test } = require('node:test');\n\
         test('parent flaky', async (t) => {\n\
           await t.test('sub a', () => {});\n\
           if (process.env.PITCREW_ATTEMPT === '1') throw new Error('parent fails first run');\n\
         });\n\
         test('parent passes', async (t) => {\n\
           await t.test('sub b', () => new Promise((r) => setTimeout(r, 1000)));\n\
         });\n\
         test('parent of a failure', async (t) => {\n\
           await t.test('sub ok', () => {});\n\
           await t.test('sub bad', () => { throw new Error('sub failure'); });\n\
         });\n",
    )
    .unwrap();
    // node alone: `# tests 7`, `# fail 3` (the parent of a failure, its
    // failed subtest, and the flaky parent's first run).
    let node = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .current_dir(dir.path())
        .env("PITCREW_ATTEMPT", "1")
        .output()
        .unwrap();
    let tap = String::from_utf8_lossy(&node.stdout);
    assert!(
        tap.contains("# tests 7\n") && tap.contains("# fail 3\n"),
        "{tap}"
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 4, 3, 0), "{}", merged["tests"]);
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 4, 2, 1), "{}", merged["tests"]);
    let found = tests(&merged);
    assert!(
        found.contains(&("".into(), "parent flaky".into(), "flaky".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("".into(), "parent of a failure".into(), "failed".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "parent of a failure".into(),
            "sub bad".into(),
            "failed".into()
        )),
        "{found:?}"
    );
    // A parent failed for its subtest says what the subtest said, so the
    // two are one root cause, not `1 subtest failed` beside it.
    let parent = test_named(&merged, "parent of a failure");
    assert_eq!(parent["failure"]["message"], "sub failure", "{parent}");
    assert!(
        text(&out).contains("2 failures, 1 root cause"),
        "{}",
        text(&out)
    );
    // A parent's time is its own: its subtest's second is not counted twice.
    let waits = test_named(&merged, "parent passes")["duration_seconds"].as_f64();
    assert!(waits.is_some_and(|s| s < 0.5), "{waits:?}");
}

/// Parents in a `{ concurrency: true }` block run side by side: a subtest
/// ended under the path of the parent dequeued last, so it never ended,
/// and a green run failed with "did not finish" (a flaky one, under Node
/// 22, was then left out of its own retry). Found in a review.
#[test]
fn node_subtests_of_parents_run_side_by_side_end_where_they_started() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    let file = |flaky: bool| {
        format!(
            "const {{ test, describe }} = require('node:test');\n\
             const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
             const first = {flaky} && process.env.PITCREW_ATTEMPT === '1';\n\
             describe('conc', {{ concurrency: true }}, () => {{\n\
               test('slow parent', async (t) => {{\n\
                 await t.test('s1', async () => {{ await sleep(200); if (first) throw new Error('x'); }});\n\
                 await t.test('s2', async () => {{ await sleep(100); }});\n\
               }});\n\
               test('fast parent', async (t) => {{\n\
                 await Promise.all([\n\
                   t.test('f1', async () => {{ await sleep(150); }}),\n\
                   t.test('f2', async (t) => {{ await t.test('deep', () => sleep(10)); }}),\n\
                 ]);\n\
               }});\n\
             }});\n"
        )
    };
    fs::write(dir.path().join("test/c.test.js"), file(false)).unwrap();
    let args = ["--retries", "1", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // node alone: `# tests 7` (two parents, five subtests), none failed.
    assert_eq!(summary(&merged), (7, 7, 0, 0), "{}", merged["tests"]);
    assert_eq!(merged["problems"], json!([]), "{}", merged["problems"]);
    fs::write(dir.path().join("test/c.test.js"), file(true)).unwrap();
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 5, 0, 2), "{}", merged["tests"]);
    let found = tests(&merged);
    assert!(
        found.contains(&("conc > slow parent".into(), "s1".into(), "flaky".into())),
        "{found:?}"
    );
}

/// A subtest that a parent of a `{ concurrency: true }` block queues after
/// an `await` is queued while another parent ran last: it was named under
/// that one, so a hang there blamed a test that does not exist. The parent
/// declared last before it in its file is its parent now.
#[test]
fn node_a_hang_under_parents_run_side_by_side_names_its_own_parent() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/c.test.js"),
        "const { test, describe } = require('node:test');\n\
         const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
         describe('conc', { concurrency: true }, () => {\n\
           test('slow parent', async (t) => {\n\
             await sleep(10);\n\
             await t.test('s1', async () => { await sleep(200); while (true) {} });\n\
           });\n\
           test('fast parent', async (t) => {\n\
             await t.test('f1', async () => { await sleep(50); });\n\
           });\n\
         });\n",
    )
    .unwrap();
    let args = ["--retries", "0", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let hung = tests(&merged)
        .into_iter()
        .filter(|(_, _, outcome)| outcome == "failed")
        .collect::<Vec<_>>();
    // `slow parent` fails with its hung subtest, as node fails it.
    assert_eq!(
        hung,
        [
            ("conc".into(), "slow parent".into(), "failed".into()),
            ("conc > slow parent".into(), "s1".into(), "failed".into())
        ],
        "{}",
        merged["tests"]
    );
    assert_timed_out(&merged, "s1");
}

/// A test whose subtest hung passed: Node 22 ran it again without the
/// hung subtest (Node 20 left it out). Node with a per-test timeout fails
/// it (`1 subtest failed`); so does pitcrew now, each test around the hung
/// one but the `describe`, grouped with it in triage and not retried (its
/// run would hang again).
#[test]
fn node_a_test_whose_subtest_hangs_fails_with_it() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/h.test.js"),
        "const { test, describe } = require('node:test');\n\
         describe('block', () => {\n\
           test('outer', async (t) => {\n\
             await t.test('ok', () => {});\n\
             await t.test('inner', async (t) => {\n\
               await t.test('hung', () => new Promise(() => { setInterval(() => {}, 1000); }));\n\
             });\n\
           });\n\
         });\n\
         test('second', () => {});\n",
    )
    .unwrap();
    let args = ["--retries", "1", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let failed: Vec<_> = tests(&merged)
        .into_iter()
        .filter(|(_, _, outcome)| outcome != "passed")
        .collect();
    assert_eq!(
        failed,
        [
            ("block".into(), "outer".into(), "failed".into()),
            ("block > outer".into(), "inner".into(), "failed".into()),
            (
                "block > outer > inner".into(),
                "hung".into(),
                "failed".into()
            )
        ],
        "{}",
        merged["tests"]
    );
    assert_timed_out(&merged, "hung");
    for name in ["outer", "inner"] {
        let parent = test_named(&merged, name);
        assert_eq!(parent["attempts"], 1, "{parent:#}");
        assert_eq!(
            parent["failure"]["failure_type"], "subtest-timeout",
            "{parent:#}"
        );
    }
    assert!(
        text(&out).contains("3 failures, 1 root cause"),
        "{}",
        text(&out)
    );
}

/// A name holding half a surrogate pair reaches pitcrew as U+FFFD: its
/// retry pattern of U+FFFD selected nothing, and a flaky test stayed
/// failed. The pattern now matches the lone half (under `describe` too).
#[test]
fn node_a_flaky_test_named_with_a_lone_surrogate_is_retried() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/odd.test.mjs"),
        "import { describe, it, test } from 'node:test';\n\
         const once = () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('once'); };\n\
         test('half \\ud800 of a pair', once);\n\
         describe('block \\udc00', () => { it('inner', once); });\n\
         test('whole \\u{1F600}', () => {});\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 1, 0, 2), "{}", merged["tests"]);
    let found = tests(&merged);
    assert!(
        found.contains(&("".into(), "half \u{FFFD} of a pair".into(), "flaky".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("block \u{FFFD}".into(), "inner".into(), "flaky".into())),
        "{found:?}"
    );
}

/// With test isolation off, node runs every file in one process: a test
/// that reads state another file moved first fails every run of node and
/// passes alone. Retried alone, it was called flaky and the run passed;
/// retries are now off for such a command, with a warning, and it fails.
#[test]
fn node_with_isolation_off_a_test_failing_every_run_is_not_called_flaky() {
    let Some(isolation) = node_isolation_off() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("counter.js", "let n = 0;\nmodule.exports = () => ++n;\n"),
            (
                "test/a.test.js",
                "const { test } = require('node:test');\nconst next = require('../counter');\n\
                 test('a takes the first id', () => { next(); });\n",
            ),
            (
                "test/b.test.js",
                "const { test } = require('node:test');\nconst assert = require('node:assert');\n\
                 const next = require('../counter');\n\
                 test('b expects the first id', () => { assert.strictEqual(next(), 1); });\n",
            ),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "node", "--test", isolation],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("retries are off"), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 1, 0), "{}", merged["tests"]);
    let b = test_named(&merged, "b expects the first id");
    assert_eq!(b["outcome"], "failed", "{b}");
    assert_eq!(b["attempts"], 1, "{b}");
}

/// The option that turns node's test isolation off: Node 24's, or Node
/// 22's experimental one; none on Node 20, which has neither.
fn node_isolation_off() -> Option<&'static str> {
    if !has_node() {
        return None;
    }
    [
        "--test-isolation=none",
        "--experimental-test-isolation=none",
    ]
    .into_iter()
    .find(|option| {
        std::process::Command::new("node")
            .args([option, "-e", "0"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// With test isolation off, one process loads every file and runs their
/// tests in one stream, where a helper under `test/` (which node runs as a
/// file that declares no test) is reported as a file of its own: each test
/// after it was filed under the helper and its own copy "did not finish",
/// so a green suite failed with twice its tests (round 33, Node 24). Each
/// test is in the file that declared it; a file that fails to load is one
/// failed case, as node counts it.
#[test]
fn node_with_isolation_off_a_helper_file_claims_no_test() {
    let Some(isolation) = node_isolation_off() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/a.test.js",
                "const { describe, it, test } = require('node:test');\n\
                 describe('blk', () => { it('a1', () => {}); it('a2', () => {}); });\n\
                 test('a3', () => {});\n",
            ),
            ("test/helper.js", "module.exports = {};\n"),
            (
                "test/z.test.js",
                "const { test } = require('node:test');\nrequire('./helper');\n\
                 test('z1', () => {});\n",
            ),
        ],
    );
    let command = ["--retries", "0", "--", "node", "--test", isolation];
    let (out, merged) = local_test(dir.path(), &command);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let file_of = |name: &str| test_named(&merged, name)["key"]["file"].clone();
    for (name, file) in [
        ("a1", "test/a.test.js"),
        ("a2", "test/a.test.js"),
        ("a3", "test/a.test.js"),
        ("z1", "test/z.test.js"),
        ("test/helper.js", "test/helper.js"),
    ] {
        assert_eq!(file_of(name), file, "{name}: {}", merged["tests"]);
    }
    assert_eq!(summary(&merged), (5, 5, 0, 0), "{}", merged["tests"]);

    // A file that cannot load is one failed case, in its own file.
    fs::write(
        dir.path().join("test/b.test.js"),
        "require('./nope');\nconst { test } = require('node:test');\ntest('b1', () => {});\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &command);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(test_named(&merged, "test/b.test.js")["outcome"], "failed");
    assert_eq!(summary(&merged), (6, 5, 1, 0), "{}", merged["tests"]);
}

/// With test isolation off, node reports no file of its own, and a
/// `test.only` leaves the other files' tests out unreported: node passes,
/// and pitcrew failed the run ("produced no test case" for each other
/// file). A file that ends the process before node's end of the run still
/// fails it (node alone exits 0 there and runs the later files' tests
/// never).
#[test]
fn node_with_isolation_off_a_file_only_leaves_out_ran_and_selected_none() {
    let Some(isolation) = node_isolation_off() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/a.test.js",
                "const test = require('node:test');\n\
                 test.only('a only', () => {});\ntest('a other', () => {});\n",
            ),
            (
                "test/b.test.js",
                "const test = require('node:test');\ntest('b one', () => {});\n",
            ),
        ],
    );
    let command = [
        "--retries",
        "0",
        "--",
        "node",
        "--test",
        isolation,
        "--test-only",
    ];
    let (out, merged) = local_test(dir.path(), &command);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("no test case"), "{}", text(&out));
    assert_eq!(summary(&merged), (1, 1, 0, 0), "{}", merged["tests"]);
    test_named(&merged, "a only");

    fs::write(dir.path().join("test/a.test.js"), "process.exit(0);\n").unwrap();
    let (out, _) = local_test(dir.path(), &command);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("`test/b.test.js` (shard 1/1) produced no test case"),
        "{}",
        text(&out)
    );
}

/// Runs `hung_file` (whose test `hung` never ends) beside a file of five
/// passing tests, one shard, `--retries 0`, a 5 s timeout: only `hung`
/// fails, as timed out; each of `kept` passes on the first attempt; the
/// summary is `expected`; and no problem blames the shard.
fn assert_only_the_hung_node_test_fails(
    hung_file: &str,
    hung: &str,
    kept: &[&str],
    expected: (u64, u64, u64, u64),
) {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("test/a_hang.test.mjs", hung_file),
            (
                "test/b_fine.test.mjs",
                "import { it } from 'node:test';\n\
                 for (let i = 0; i < 5; i++) it('fine ' + i, () => {});\n",
            ),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "0", "--timeout", "5", "--", "node", "--test"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), expected, "{}", merged["tests"]);
    assert_timed_out(&merged, hung);
    for name in kept {
        let test = test_named(&merged, name);
        assert_eq!(test["outcome"], "passed", "{test}");
        assert_eq!(test["attempts"], 1, "{test}");
    }
    // Only a test is blamed, not the whole shard.
    assert_eq!(merged["problems"], json!([]), "{}", merged["problems"]);
}

/// Four hangs in a row outlast the first attempt's three rounds behind a
/// hang, so the `describe` after them is re-run in the retry: its tests
/// are counted (a real failure among them named, since stop 47), and its
/// own "never ran" placeholder gives way to them, not counted beside them
/// (8 tests for 7, the review of stop 47).
#[test]
fn node_a_describe_re_run_in_a_retry_counts_its_tests_not_itself() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/a.test.js",
            "const { describe, it, test } = require('node:test');\n\
const assert = require('node:assert');\n\
const hangs = () => new Promise(() => { setInterval(() => {}, 1000); });\n\
test('h1', hangs);\ntest('h2', hangs);\ntest('h3', hangs);\ntest('h4', hangs);\n\
describe('d', () => {\n  it('x', () => {});\n  it('y fail', () => { assert.fail('y real'); });\n});\n\
test('z', () => {});\n",
        )],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--timeout", "5", "--", "node", "--test"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 2, 5, 0), "{}", merged["tests"]);
    let y = test_named(&merged, "y fail");
    assert!(failure_message(y).contains("y real"), "{y}");
    assert_eq!(outcome_of(&merged, "x"), ["passed"]);
    assert!(outcome_of(&merged, "d").is_empty(), "{}", merged["tests"]);
}

/// 5 fine + quick pass; hangs timed out; after, which node named as never
/// run behind it, runs in the same attempt (no retry asked).
#[test]
fn node_a_hung_test_is_named_and_the_rest_is_kept() {
    assert_only_the_hung_node_test_fails(
        "import { it } from 'node:test';\n\
         it('quick', () => {});\n\
         it('hangs', async () => { await new Promise((r) => setTimeout(r, 600000)); });\n\
         it('after', () => {});\n",
        "hangs",
        &["after"],
        (8, 7, 1, 0),
    );
}

/// A test that blocks its process (`while (true) {}`) stops it before it
/// has sent node the results of the tests before it, or the names of the
/// ones behind: each file's process traces its own test events, which name
/// the hung test, keep the finished ones, and queue the rest to run again.
#[test]
fn node_a_test_that_blocks_its_process_is_named_and_the_rest_is_kept() {
    assert_only_the_hung_node_test_fails(
        "import { it } from 'node:test';\n\
         it('quick', () => {});\n\
         it('blocks', () => { while (true) {} });\n\
         it('after', () => {});\n\
         it('last', () => {});\n",
        "blocks",
        &["quick", "after", "last"],
        (9, 8, 1, 0),
    );
}

/// A file whose own top-level code hangs, outside any test: run one file
/// at a time, node never started the files behind it, and the shard lost
/// every result (a shard timeout, each file "produced no test case"). Each
/// file's trace says when its top-level code runs: the file is named as
/// timed out, and the files behind it run again.
#[test]
fn node_a_file_whose_top_level_code_hangs_is_named_and_the_rest_is_kept() {
    assert_only_the_hung_node_test_fails(
        "import { it } from 'node:test';\n\
         it('never runs', () => {});\n\
         while (true) {}\n",
        "test/a_hang.test.mjs",
        &["fine 0", "fine 4"],
        (6, 5, 1, 0),
    );
}

/// A describe block around a hang, one queued behind it and a test with
/// subtests queued behind it, with `hang` in the middle of `other`.
fn nested_node_hang(hang: &str) -> String {
    format!(
        "import {{ describe, it, test }} from 'node:test';\n\
         it('quick', () => {{}});\n\
         describe('outer', () => {{\n\
           describe('inner', () => {{ it('in one', () => {{}}); }});\n\
           describe('other', () => {{\n\
             it('hangs', {hang});\n\
             it('sibling after', () => {{}});\n\
           }});\n\
         }});\n\
         describe('later', () => {{ it('later one', () => {{}}); it('later two', () => {{}}); }});\n\
         test('parent', async (t) => {{\n\
           await t.test('sub one', () => {{}});\n\
           await t.test('sub two', () => {{}});\n\
         }});\n"
    )
}

/// The tests queued behind a hang in a describe block run again by their
/// own names, not by the blocks around them (node runs every test of a
/// block whose name matches: the hung one would hang again, three more
/// timeouts); a block queued behind it counts its tests, not itself; a
/// test's subtests run with it.
#[test]
fn node_a_hang_in_a_describe_block_hangs_once_and_the_rest_is_kept() {
    assert_only_the_hung_node_test_fails(
        &nested_node_hang("async () => { await new Promise((r) => setTimeout(r, 600000)); }"),
        "hangs",
        &[
            "quick",
            "in one",
            "sibling after",
            "later one",
            "later two",
            "sub one",
            "sub two",
            "parent",
        ],
        (14, 13, 1, 0),
    );
}

/// The same, with a test that blocks its process. Node queues a block's
/// next test only once the one before it has started running, so nothing
/// named the test after the blocking one in its block: the re-run of the
/// queued tests reports it (skipped by the name pattern), and with no
/// result anywhere it never ran, and runs next.
#[test]
fn node_a_blocking_test_in_a_describe_block_hangs_once_and_the_rest_is_kept() {
    assert_only_the_hung_node_test_fails(
        &nested_node_hang("() => { while (true) {} }"),
        "hangs",
        &[
            "quick",
            "in one",
            "sibling after",
            "later one",
            "later two",
            "sub one",
            "sub two",
            "parent",
        ],
        (14, 13, 1, 0),
    );
}

/// A subtest after one that hung in its parent test: Node 22 runs the
/// parent again without the hung subtest, and the one after it passes;
/// the parent fails with its hung subtest, under every node.
/// Node 20 cannot leave the hung one out: the subtest after it is not
/// counted, and the timing history, which knew it, says it may never have
/// run, not that it was deleted.
#[test]
fn node_a_subtest_hidden_by_a_hang_is_not_called_deleted() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/a.test.mjs",
            "import { test } from 'node:test';\n\
             import { existsSync } from 'node:fs';\n\
             test('parent', async (t) => {\n\
               await t.test('s1', () => {});\n\
               await t.test('s2', () => { if (existsSync('hang')) { while (true) {} } });\n\
               await t.test('s3', () => {});\n\
             });\n",
        )],
    );
    let args = ["--retries", "0", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // The parent and its three subtests, as node counts them.
    assert_eq!(summary(&merged), (4, 4, 0, 0));
    fs::write(dir.path().join("hang"), "").unwrap();
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_timed_out(&merged, "s2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no longer exist"), "{stderr}");
    // The parent fails with its hung subtest, as node fails it.
    assert_eq!(
        outcome_of(&merged, "parent"),
        ["failed"],
        "{}",
        merged["tests"]
    );
    if node_skips_by_name() {
        // The file runs again without the hung test: the subtest behind
        // it passes (its parent's pass there is not taken).
        assert_eq!(summary(&merged), (4, 2, 2, 0), "{}", merged["tests"]);
        assert_eq!(test_named(&merged, "s3")["attempts"], 1);
        return;
    }
    assert_eq!(summary(&merged), (3, 1, 2, 0), "{}", merged["tests"]);
    assert!(
        stderr.contains(
            "1 test in the timing history got no result in a file where a test hung \
             (test/a.test.mjs): it may never have run behind it"
        ),
        "{stderr}"
    );
}

/// A test that blocks its process first in the last describe block of its
/// file: node never queued the tests after it, and nothing named them.
/// Node 22 runs the file again without the tests it reported (the hung one
/// among them), and they are counted; Node 20 cannot leave the hung test
/// out, and says that tests after it in its block may never have run.
#[test]
fn node_tests_a_blocked_describe_never_queued_run_again() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/busy.test.mjs",
                "import { describe, it } from 'node:test';\n\
                 it('first', () => {});\n\
                 it('after busy', () => {});\n\
                 describe('H2', () => {\n\
                   it('busy hang', () => { while (true) {} });\n\
                   it('after busy', () => {});\n\
                   describe('deeper', () => { it('deep one', () => {}); });\n\
                 });\n",
            ),
            (
                "test/other.test.mjs",
                "import { test } from 'node:test';\ntest('other', () => {});\n",
            ),
        ],
    );
    let args = ["--retries", "0", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_timed_out(&merged, "busy hang");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if node_skips_by_name() {
        // The top-level `after busy` shares its own name with `H2 > after
        // busy`: leaving it out by name would leave out both.
        assert_eq!(summary(&merged), (6, 5, 1, 0), "{}", merged["tests"]);
        for name in ["first", "after busy", "deep one", "other"] {
            let test = test_named(&merged, name);
            assert_eq!(test["outcome"], "passed", "{test}");
            assert_eq!(test["attempts"], 1, "{test}");
        }
        assert!(
            tests(&merged).contains(&("H2".into(), "after busy".into(), "passed".into())),
            "{}",
            merged["tests"]
        );
        assert!(!stderr.contains("may never have run"), "{stderr}");
    } else {
        assert_eq!(summary(&merged), (4, 3, 1, 0), "{}", merged["tests"]);
        assert!(
            stderr.contains(
                "test/busy.test.mjs: tests after `busy hang` in its block `H2` may never have run"
            ),
            "{stderr}"
        );
    }
}

/// A block whose own name holds ` > ` (pitcrew's describe-path joint):
/// the full name that leaves its hung test out is read back with either
/// joint, and the test after the hang is counted (Node 22), or named as
/// possibly never run (Node 20).
#[test]
fn node_a_hang_in_a_block_named_with_an_arrow_is_left_out() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/arrow.test.mjs",
            "import { describe, it } from 'node:test';\n\
             describe('when a > b', () => {\n\
               it('stuck', () => { while (true) {} });\n\
               it('next', () => {});\n\
             });\n",
        )],
    );
    let args = ["--retries", "0", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_timed_out(&merged, "stuck");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("hung again"), "{stderr}");
    match node_skips_by_name() {
        true => assert_eq!(test_named(&merged, "next")["outcome"], "passed"),
        false => assert!(stderr.contains("may never have run"), "{stderr}"),
    }
}

/// A test named exactly like its file's path looked like node's own
/// wrapper of the file: failed, it was taken for the file failing outside
/// its tests and never retried (round 33). Node places its wrapper at the
/// file's first line and column; the test, elsewhere, is a test.
#[test]
fn node_a_test_named_like_its_file_is_retried() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/y.test.js",
            "const { test } = require('node:test');\n\
             test('test/y.test.js', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
             test('other', () => {});\n",
        )],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
    assert_eq!(test_named(&merged, "test/y.test.js")["outcome"], "flaky");
}

/// A test whose name is drawn anew each run (`Math.random()` in it)
/// could not be retried by name: one failing once stayed failed (red where
/// node passes its second run), and its file's whole run counted its new
/// name as another test. The one re-run test its file's whole run does not
/// name, beside the one name no attempt saw, is that test: a flaky one is
/// flaky, one failing every run failed, each counted once, as node counts.
#[test]
fn node_a_test_named_at_random_is_retried_and_counted_once() {
    if !has_node() {
        return;
    }
    let flaky = "import { test } from 'node:test';\n\
        test('stable', () => {});\n\
        test('random ' + Math.random(), () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('flaky'); });\n";
    let always = "import { test } from 'node:test';\n\
        test('always ' + Math.random(), () => { throw new Error('real'); });\n\
        test('fine', () => {});\n";
    for (body, code, outcome) in [(flaky, 0, "flaky"), (always, 1, "failed")] {
        let dir = tempfile::tempdir().unwrap();
        write_tree(dir.path(), &[("test/a.test.mjs", body)]);
        let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
        assert_eq!(out.status.code(), Some(code), "{}", text(&out));
        assert_eq!(summary(&merged).0, 2, "{merged:#}");
        let drawn: Vec<String> = tests(&merged)
            .into_iter()
            .filter(|t| t.1.starts_with("random ") || t.1.starts_with("always "))
            .map(|t| t.2)
            .collect();
        assert_eq!(drawn, [outcome], "{merged:#}");
    }
}

/// A test file that fails to load says why only on its process's stderr:
/// node fails the file as "test failed", which was all the results said,
/// so triage grouped unrelated broken files as one cause (round 33). The
/// file's failure is now the error its process died of, with the end of
/// its stderr as details.
#[test]
fn node_a_file_that_fails_to_load_says_why() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/a.test.js",
                "require('./nope');\nconst { test } = require('node:test');\ntest('a', () => {});\n",
            ),
            // What the file logged before it threw is not why it failed.
            (
                "test/b.test.js",
                "console.error('Error: connection refused (a log line)');\n\
                 throw new TypeError('boom at import');\n",
            ),
            (
                "test/c.test.js",
                "const { test } = require('node:test');\ntest('c', () => {});\n",
            ),
            // A thrown value that is no error: the value, not node's version.
            ("test/d.test.js", "throw 'a string';\n"),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (4, 1, 3, 0), "{}", merged["tests"]);
    for (file, said) in [
        ("test/a.test.js", "Error: Cannot find module './nope'"),
        ("test/b.test.js", "TypeError: boom at import"),
        ("test/d.test.js", "a string"),
    ] {
        let failure = &test_named(&merged, file)["failure"];
        assert_eq!(failure["message"], said, "{failure:#}");
        assert!(
            failure["details"]
                .as_str()
                .is_some_and(|d| d.contains(said)),
            "{failure:#}"
        );
    }
}

/// A test file whose process a test ended (a signal, `process.exit(1)`)
/// is one failed case, as node says; node's own words for it are only
/// "test failed". pitcrew's say how the process ended (round 35), and
/// where the file's code ended it.
#[test]
fn node_a_file_whose_process_a_test_ends_says_how() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/k.test.mjs",
                "import { test } from 'node:test';\n\
                 test('killer', () => { process.kill(process.pid, 'SIGKILL'); });\n",
            ),
            (
                "test/e.test.mjs",
                "import { test } from 'node:test';\ntest('exiter', () => { process.exit(3); });\n",
            ),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 0, 2, 0), "{}", merged["tests"]);
    assert_eq!(
        failure_message(test_named(&merged, "test/k.test.mjs")),
        "the test file's process was killed by SIGKILL"
    );
    assert_eq!(
        failure_message(test_named(&merged, "test/e.test.mjs")),
        "the test file's process was ended by process.exit(3) at test/e.test.mjs:2:32 while `exiter` ran"
    );
}

/// A test file whose own code failed its process (a timer's
/// `process.exit(1)` while a later test runs or after the last one, an
/// exit code a test sets) fails under node every run; node says so only
/// when no test of the file failed. After a test that fails once and
/// passes its retry by name, the file's failure stood unnamed and the run
/// read green with one flaky test (round 36's review). It is the file's
/// failure, said where its code ended the process, and retried only by a
/// run of its whole file (which ends so again).
/// (Node 20 sets `process.exitCode = 1` itself at a failed test: an exit
/// code of 1 set after one is node's there.) The review of the fix found
/// `process.exit` handed over as a callback unseen, hooks' exit codes
/// unseen, and false alarms: a code reset by a hook, an exit that throws
/// (a bad argument), a test removing the `exit` listeners.
/// `green`, `sets`, `refused` and `cleans` pass.
#[test]
fn node_a_files_own_exit_is_not_hidden_by_a_flaky_test() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let flaky = "import { after, describe, it, test } from 'node:test'; import assert from 'node:assert';\n\
                 test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('once'); });\n";
    let files = [
        (
            "test/a.test.mjs",
            "test('arm', () => { setTimeout(() => process.exit(1), 50); });\n\
             test('victim', async () => { await new Promise((r) => setTimeout(r, 300)); });\n\
             test('after', () => {});\n",
        ),
        (
            "test/b.test.mjs",
            "test('last', () => { setTimeout(() => process.exit(1), 50); });\n",
        ),
        (
            "test/c.test.mjs",
            "test('sets', () => { process.exitCode = 1; });\ntest('after', () => {});\n",
        ),
        (
            "test/d.test.mjs",
            "test('green', async () => { await new Promise((r) => setTimeout(r, 10)); });\n",
        ),
        // `process.exit` handed to node as a callback.
        (
            "test/e.test.mjs",
            "test('other', () => {});\nafter(() => { setImmediate(process.exit, 1); });\n",
        ),
        // An exit code a test sets and a hook resets; an exit refused; a
        // test that takes the trace's `exit` listener away: no failure.
        (
            "test/f.test.mjs",
            "describe('cli', () => { it('sets', () => { process.exitCode = 1; }); \
             after(() => { process.exitCode = 0; }); });\n",
        ),
        (
            "test/g.test.mjs",
            "test('refused', () => { assert.throws(() => process.exit('x'), { code: 'ERR_INVALID_ARG_TYPE' }); });\n",
        ),
        (
            "test/h.test.mjs",
            "test('cleans', () => { process.removeAllListeners('exit'); });\n",
        ),
        // An exit code a suite's hook sets.
        (
            "test/i.test.mjs",
            "describe('d', () => { it('x', () => {}); after(() => { process.exitCode = 2; }); });\n",
        ),
        // A `beforeExit` listener that starts more work: the loop empties
        // again after node set its own code for the failed test (no
        // failure of the file's; the review of stop 53).
        (
            "test/j.test.mjs",
            "let closed = false;\n\
             process.on('beforeExit', () => { if (!closed) { closed = true; setTimeout(() => {}, 10); } });\n",
        ),
    ];
    write_tree_headed(dir.path(), flaky, &files);
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = |file: &str| failure_message(test_named(&merged, file)).to_owned();
    assert!(
        said("test/a.test.mjs").starts_with(
            "the test file's process was ended by process.exit(1) at test/a.test.mjs:3:46 while `victim` ran"
        ),
        "{}",
        said("test/a.test.mjs")
    );
    assert!(
        said("test/b.test.mjs").starts_with(
            "the test file's process was ended by process.exit(1) at test/b.test.mjs:3:47 after its tests"
        ),
        "{}",
        said("test/b.test.mjs")
    );
    let files_failed: Vec<String> = tests(&merged)
        .into_iter()
        .filter(|(_, _, outcome)| outcome == "failed")
        .map(|(_, name, _)| name)
        .collect();
    assert_eq!(
        said("test/e.test.mjs"),
        "the test file's process was ended by process.exit(1) at node:internal/timers after its tests"
    );
    assert_eq!(
        said("test/i.test.mjs"),
        "process.exitCode = 2, set while `d` ran, failed the test file's process"
    );
    // On Node 20 the first attempt's failed test hides `sets`'s exit
    // code (node sets it itself); the retry's run of the whole file, the
    // flaky test passing, shows it, as node's second run does. `victim`,
    // under which the process ends, fails there as under node.
    assert_eq!(
        said("test/c.test.mjs"),
        "process.exitCode = 1, set while `sets` ran, failed the test file's process"
    );
    let want = [
        "test/a.test.mjs",
        "victim",
        "test/b.test.mjs",
        "test/c.test.mjs",
        "test/e.test.mjs",
        "test/i.test.mjs",
    ];
    assert_eq!(files_failed, want);
    // The flaky test of each file is flaky, and the green file's tests
    // passed: its process, ended by its tests, says nothing.
    let flaky = tests(&merged)
        .into_iter()
        .filter(|(_, name, outcome)| name == "flaky" && outcome == "flaky")
        .count();
    assert_eq!(flaky, 10, "{}", merged["tests"]);
    assert_eq!(test_named(&merged, "green")["outcome"], "passed");
}

/// A file that fails outside its tests once (an exit code set as it
/// loads, an error after its tests, a root `after` hook) and then passes
/// is flaky, as node run again says; such a failure was never retried (red
/// where node passes). And a file of only a skipped block is no file
/// without tests (Node 20 read it so: red where node passes).
/// Its file runs whole in the retry: a failure outside its tests that the
/// whole run does not repeat passed, one it repeats failed again, and a
/// test of the file failing every run is counted once.
#[test]
fn node_a_files_flaky_failure_outside_its_tests_is_flaky() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let head = "import { after, describe, it, test } from 'node:test'; import assert from 'node:assert';\n\
                const once = process.env.PITCREW_ATTEMPT === '1';\n";
    let sources = [
        // A root `after` hook, which node names by the file's absolute path.
        (
            "test/hook.test.mjs",
            "after(() => { if (once) throw new Error('after, once'); });\ntest('in hook', () => {});\n",
        ),
        // Only a skipped block: node runs no test, reports the block
        // skipped (its JUnit too), and passes.
        (
            "test/skipped.test.mjs",
            "describe.skip('later', () => { it('never', () => {}); });\n",
        ),
        (
            "test/code.test.mjs",
            "if (once) process.exitCode = 3;\ntest('in code', () => {});\n",
        ),
        (
            "test/late.test.mjs",
            "test('in late', () => {});\ntest('real bug', () => { assert.equal(1, 2); });\n\
             if (once) setTimeout(() => { throw new Error('late, once'); }, 50);\n",
        ),
        (
            "test/always.test.mjs",
            "test('in always', () => {});\nsetTimeout(() => { throw new Error('late, always'); }, 50);\n",
        ),
        // A late error once, then another failure of the file every run
        // after (it fails to load; an exit code): red, as node run again
        // says (round 57 read the first gone and the second unseen).
        (
            "test/then_load.test.mjs",
            "if (!once) throw new Error('cannot load again');\ntest('in then load', () => {});\n\
             setTimeout(() => { throw new Error('late, first'); }, 50);\n",
        ),
        (
            "test/then_code.test.mjs",
            "test('in then code', () => {});\n\
             if (once) setTimeout(() => { throw new Error('late, first'); }, 50); else process.exitCode = 3;\n",
        ),
    ];
    write_tree_headed(dir.path(), head, &sources);
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let of_file = |file: &str| -> Vec<(String, String, u64)> {
        let all = merged["tests"].as_array().expect("tests");
        let mut found: Vec<_> = all
            .iter()
            .filter(|t| t["key"]["file"] == file)
            .map(|t| {
                let name = t["key"]["name"].as_str().unwrap_or("").to_owned();
                let outcome = t["outcome"].as_str().unwrap_or("").to_owned();
                (name, outcome, t["attempts"].as_u64().unwrap_or(0))
            })
            .collect();
        found.sort();
        found
    };
    let own =
        |name: &str, outcome: &str, attempts: u64| (name.to_owned(), outcome.to_owned(), attempts);
    assert_eq!(
        of_file("test/code.test.mjs"),
        [
            own("in code", "passed", 2),
            own("test/code.test.mjs", "flaky", 2)
        ],
        "{merged:#}"
    );
    assert_eq!(
        of_file("test/hook.test.mjs"),
        [
            own("in hook", "passed", 2),
            own("test/hook.test.mjs", "flaky", 2)
        ],
        "{merged:#}"
    );
    assert_eq!(
        of_file("test/skipped.test.mjs"),
        [own("later", "skipped", 1)],
        "{merged:#}"
    );
    // Where node names the late error apart (`unhandled error`) and where
    // it puts it on the file, each reads flaky; the real bug is one test.
    let late = of_file("test/late.test.mjs");
    assert!(late.contains(&own("real bug", "failed", 2)), "{late:?}");
    assert_eq!(
        late.iter().filter(|(n, ..)| n == "real bug").count(),
        1,
        "{late:?}"
    );
    assert!(
        late.iter()
            .all(|(n, o, _)| n == "real bug" || o != "failed"),
        "{late:?}"
    );
    assert!(late.iter().any(|(_, o, _)| o == "flaky"), "{late:?}");
    // One late error, one failure (node's `unhandled error`; the exit
    // code of 1 node sets for it is no failure of the file's own).
    let always = of_file("test/always.test.mjs");
    assert_eq!(
        always,
        [
            own("in always", "passed", 1),
            own("unhandled error", "failed", 2)
        ]
    );
    for file in ["test/then_load.test.mjs", "test/then_code.test.mjs"] {
        let found = of_file(file);
        assert!(
            found.iter().any(|(n, o, _)| n == file && o == "failed"),
            "{file}: {found:?}"
        );
    }
}

/// A node that runs TypeScript itself (Node 22.18 and later) also runs
/// `*.test.ts` by default: pitcrew's listing of node's defaults asks the
/// command's node which it does. (find-my-way's `router.test-d.ts`, which
/// fails to load, failed `node --test` on Node 22 and 24, and pitcrew,
/// listing Node 20's defaults, passed the run.) `--tests` alone, node's usual
/// names as globs, asks the same node.
#[test]
fn node_typescript_test_files_run_where_node_runs_them() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/a.test.mjs",
                "import { test } from 'node:test';\ntest('plain', () => {});\n",
            ),
            (
                "test/b.test.ts",
                "import { test } from 'node:test';\n\
                 test('typed', () => { const x: number = 1; if (x !== 2) throw new Error('boom'); });\n",
            ),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    let direct = Command::new("node")
        .arg("--test")
        .current_dir(dir.path())
        .output()
        .unwrap();
    // `--tests` alone, node's usual names as globs: the same files.
    let (globbed, by_globs) = local_test(
        dir.path(),
        &["--retries", "0", "--tests", "--", "node", "--test"],
    );
    for (out, merged) in [(&out, &merged), (&globbed, &by_globs)] {
        if node_strips_types() {
            assert_eq!(direct.status.code(), Some(1));
            assert_eq!(out.status.code(), Some(1), "{}", text(out));
            assert_eq!(summary(merged), (2, 1, 1, 0), "{}", merged["tests"]);
            assert_eq!(test_named(merged, "typed")["outcome"], "failed");
        } else {
            assert_eq!(direct.status.code(), Some(0));
            assert_eq!(out.status.code(), Some(0), "{}", text(out));
            assert_eq!(summary(merged), (1, 1, 0, 0), "{}", merged["tests"]);
        }
    }
}

/// A flaky `beta > same` beside a hung `alpha > same`: the retry's name
/// pattern for `same` matches both. Node 22 leaves the hung one out of the
/// retry by its full name, and the flaky test is flaky; Node 20 runs the
/// hung one again, which hangs, and the flaky test reads as failed (the
/// safe side: a failure over-reported, never one hidden).
#[test]
fn node_a_retry_leaves_out_a_same_named_test_that_hung() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/same.test.mjs",
            "import { describe, it } from 'node:test';\n\
             describe('alpha', () => { it('same', async () => { await new Promise((r) => setTimeout(r, 600000)); }); });\n\
             describe('beta', () => { it('same', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('ECONNRESET'); }); });\n",
        )],
    );
    let args = ["--retries", "1", "--timeout", "5", "--", "node", "--test"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let beta = tests(&merged)
        .into_iter()
        .find(|(path, name, _)| path == "beta" && name == "same")
        .unwrap_or_else(|| panic!("{}", merged["tests"]));
    let alpha_hung = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["key"]["classname"] == "alpha" && t["failure"]["failure_type"] == "timeout");
    assert!(alpha_hung, "{}", merged["tests"]);
    match node_skips_by_name() {
        true => assert_eq!(beta.2, "flaky", "{}", merged["tests"]),
        false => assert_eq!(beta.2, "failed", "{}", merged["tests"]),
    }
}

/// A shard count given is the count: pitcrew neither works out nor logs
/// a count of its own ("1 shard(s): …" beside `--shards 2` read as if it
/// had overruled the user).
#[test]
fn a_shard_count_given_is_not_second_guessed() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "test/a.test.mjs",
                "import { it } from 'node:test';\nit('a', () => {});\n",
            ),
            (
                "test/b.test.mjs",
                "import { it } from 'node:test';\nit('b', () => {});\n",
            ),
        ],
    );
    let run = |shards: &[&str]| {
        let args = [&["-v", "test"][..], shards, &["--", "node", "--test"]].concat();
        let out = pitcrew(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let given = run(&["--shards", "2"]);
    assert!(!given.contains("shard(s):"), "{given}");
    assert!(given.contains("shard 2/2"), "{given}");
    let chosen = run(&[]);
    assert!(chosen.contains("shard(s):"), "{chosen}");
}

/// A promise that never settles ends node's event loop: node cancels every
/// test still to finish and reports each, and the describe blocks around
/// them too. Those blocks are no tests: node counts 3 here, not 5.
#[test]
fn node_suites_cancelled_with_their_tests_are_not_tests() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/a.test.mjs",
            "import { describe, it } from 'node:test';\n\
             describe('outer', () => { describe('inner', () => {\n\
               it('never settles', async () => { await new Promise(() => {}); });\n\
               it('next', () => {});\n\
             }); });\n\
             it('after', () => {});\n",
        )],
    );
    // Node 24 no longer cancels a file whose promise never settles: its
    // process waits, as node alone does, until the timeout, which names
    // the test, and the rest of the file runs again without it.
    if node_major() >= 24 {
        let args = ["--retries", "0", "--timeout", "5", "--", "node", "--test"];
        let (out, merged) = local_test(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert_eq!(summary(&merged), (3, 2, 1, 0), "{}", merged["tests"]);
        assert_timed_out(&merged, "never settles");
        return;
    }
    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 0, 3, 0), "{}", merged["tests"]);
    let names: Vec<String> = tests(&merged).into_iter().map(|t| t.1).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        !names.iter().any(|n| n == "outer" || n == "inner"),
        "{names:?}"
    );
}

fn pytest_project(dir: &Path, files: &[(&str, &str)]) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests/__init__.py"), "").unwrap();
    write_tree(dir, files);
}

/// Whether node's `file` failed outside its tests: a failed case named by
/// the file (a root hook's failure, an exit code of its own), or node's
/// `unhandled error` of it (an error thrown after its test ended).
fn file_failed(merged: &Value, file: &str) -> bool {
    merged["tests"].as_array().expect("tests").iter().any(|t| {
        let name = t["key"]["name"].as_str().unwrap_or_default();
        t["key"]["file"] == file
            && (name == file || name == "unhandled error")
            && t["outcome"] == "failed"
    })
}

/// Writes each `(path, text)` under `dir`, making the folders.
/// [`write_tree`], each file's text after `head` (its imports, say).
fn write_tree_headed(dir: &Path, head: &str, files: &[(&str, &str)]) {
    for (name, body) in files {
        write_tree(dir, &[(name, &format!("{head}{body}"))]);
    }
}

fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (name, body) in files {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, body).unwrap();
    }
}

const CRATE_MANIFEST: &str =
    "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";

const FIVE: &str = "import os\n\
def test_1(): pass\n\
def test_2_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n\
def test_3(): pass\n\
def test_4_bug(): assert 1 == 2\n\
def test_5(): pass\n";

/// A test that kills pytest (`os.abort()`) in a file before the others:
/// the tests of the files after it never ran, and their first run was the
/// retry, so with `--retries 1` a flaky one was never retried (failed);
/// and every retry died under it too, so with `--retries 2` a real
/// failure's message became "never ran" (round 30). The tests behind a
/// crash now run in the same attempt (their retries stay theirs), a retry
/// re-runs the tests it left unrun without the one it died under, and a
/// failure's own message is never replaced by a placeholder.
#[test]
fn pytest_a_test_that_kills_the_runner_takes_no_other_tests_retry() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_a_crash.py",
                "import os\ndef test_a_crash():\n    os.abort()\n",
            ),
            (
                "tests/test_b.py",
                "import os\n\
def test_b_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n\
def test_c_real():\n    assert 'abc' == 'abd'\n",
            ),
        ],
    );
    for retries in ["1", "2"] {
        let (out, merged) = local_test(
            dir.path(),
            &["--retries", retries, "--", "python3", "-m", "pytest", "-q"],
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert_eq!(summary(&merged), (3, 0, 2, 1), "{}", merged["tests"]);
        assert_eq!(outcome_of(&merged, "test_b_flaky"), ["flaky"]);
        let real = test_named(&merged, "test_c_real");
        assert_eq!(real["outcome"], "failed", "{real:#}");
        assert!(failure_message(real).contains("abd"), "{real:#}");
        assert!(
            !text(&out).contains("never ran"),
            "retries {retries}: {}",
            text(&out)
        );
    }
}

/// Every test kills the runner (as an autouse fixture calling
/// `pytest.exit` would): each re-run behind a crash leaves out only the
/// test it died under, so without a bound it cost one pytest per test
/// (300 tests, 301 processes). The re-runs are bounded, every test is
/// still counted once, and a `-x` stop after a crash stays the user's.
#[test]
fn pytest_tests_that_all_kill_the_runner_cost_a_bounded_number_of_runs() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut tests = String::from("import os\n");
    for i in 0..20 {
        tests.push_str(&format!("def test_{i:02}(): os._exit(3)\n"));
    }
    pytest_project(
        dir.path(),
        &[
            ("tests/test_all.py", tests.as_str()),
            (
                "tests/conftest.py",
                "def pytest_sessionstart(session):\n    open('sessions.log', 'a').write('x\\n')\n",
            ),
        ],
    );
    let sessions = || {
        fs::read_to_string(dir.path().join("sessions.log"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "0", "--", "python3", "-m", "pytest", "-q"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (20, 0, 20, 0), "{}", merged["tests"]);
    // The listing, the first run and at most three rounds behind a stop,
    // each with two re-runs behind a crash.
    assert!(sessions() <= 11, "{} pytest sessions", sessions());

    // `-x`: the crash's re-run stops at the first failure, and the tests
    // after it stay unrun, as the user's `-x` says.
    fs::remove_file(dir.path().join("sessions.log")).unwrap();
    write_tree(
        dir.path(),
        &[(
            "tests/test_all.py",
            "import os\ndef test_a(): os._exit(3)\ndef test_b1(): assert 0, 'b1'\n\
def test_b2(): assert 0, 'b2'\ndef test_b3(): pass\n",
        )],
    );
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-x",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let b1 = test_named(&merged, "test_b1");
    assert!(failure_message(b1).contains("b1"), "{b1}");
    for unrun in ["test_b2", "test_b3"] {
        let test = test_named(&merged, unrun);
        assert_eq!(test["failure"]["failure_type"], "never-ran", "{test}");
    }
    assert_eq!(
        sessions(),
        3,
        "listing, first run, the run behind the crash"
    );
}

/// Ctrl-C during a run left the earlier run's `pitcrew-results.json` and
/// `pitcrew-report.md` as they were, for an `if: always()` upload to
/// publish as this run's (round 29, round 30). A run removes them before
/// its shards start: stopped, it leaves none. Nor any temporary folder:
/// its shards' (the reports, pitcrew's pytest plugin) were left in the
/// temporary directory at every Ctrl-C (round 32).
#[test]
fn an_interrupted_run_leaves_no_earlier_runs_results() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    pytest_project(
        root,
        &[(
            "tests/test_slow.py",
            "import pathlib, time\n\
def test_slow():\n    pathlib.Path('started').touch()\n    time.sleep(60)\n",
        )],
    );
    for earlier in ["pitcrew-results.json", "pitcrew-report.md"] {
        fs::write(root.join(earlier), "an earlier run's\n").unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut child = common::cli::command(root)
        .args([
            "test", "--shards", "1", "--", "python3", "-m", "pytest", "-q",
        ])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let waited = std::time::Instant::now();
    while !root.join("started").exists() {
        assert!(waited.elapsed().as_secs() < 60, "the test never started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(child.wait().unwrap().code(), Some(130));
    for earlier in ["pitcrew-results.json", "pitcrew-report.md"] {
        assert!(!root.join(earlier).exists(), "{earlier} is left");
    }
    let left: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
}

#[test]
fn pytest_tests_that_never_ran_are_named_and_fail_the_run() {
    if !has_pytest() {
        return;
    }
    for stop in [&["-x"][..], &["--maxfail", "1"][..], &[][..]] {
        let dir = tempfile::tempdir().unwrap();
        pytest_project(dir.path(), &[("tests/test_five.py", FIVE)]);
        let mut cmd = vec!["--retries", "1", "--", "python3", "-m", "pytest"];
        if stop.is_empty() {
            // In the project's own settings.
            fs::write(dir.path().join("pytest.ini"), "[pytest]\naddopts = -x\n").unwrap();
        }
        cmd.extend_from_slice(stop);
        let (out, merged) = local_test(dir.path(), &cmd);
        assert_eq!(out.status.code(), Some(1), "{stop:?}: {}", text(&out));
        assert_eq!(
            summary(&merged).0,
            5,
            "{stop:?}: every test counted: {}",
            merged["tests"]
        );
        assert_eq!(outcome_of(&merged, "test_4_bug"), ["failed"], "{stop:?}");
        // The line of its `def`, counted from 1 as annotations count.
        let bug = test_named(&merged, "test_4_bug");
        assert_eq!(bug["failure"]["line"], 6, "{bug}");
        assert_eq!(outcome_of(&merged, "test_2_flaky"), ["flaky"], "{stop:?}");
        // test_5 comes after the real bug: with -x it never runs.
        let five = test_named(&merged, "test_5");
        assert_eq!(five["failure"]["failure_type"], "never-ran", "{five}");
        // The summary says which failures are tests that never ran.
        assert!(
            text(&out).contains("2 failed (1 never ran)"),
            "{stop:?}: {}",
            text(&out)
        );
    }
}

/// pytest-xdist collects in its workers, so the controller, where pitcrew's
/// reporter runs, had no plan: `-n 2 -x` stopping at a flaky test's first
/// failure left the file's later tests (a real bug among them) unrun, the
/// file had reported some, and the run read green with one flaky test. The
/// workers' collection is now the plan.
#[test]
fn pytest_xdist_tests_a_stop_left_unrun_are_planned_and_run() {
    if !common::cli::has_pytest_xdist() {
        return;
    }
    let many = "import os, time\n\
def test_1_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n\
def test_2(): time.sleep(0.3)\n\
def test_3(): time.sleep(0.3)\n\
def test_4(): time.sleep(0.3)\n\
def test_5(): time.sleep(0.3)\n\
def test_6_bug():\n    time.sleep(0.3)\n    assert 1 == 2\n";
    let dir = tempfile::tempdir().unwrap();
    pytest_project(dir.path(), &[("tests/test_many.py", many)]);
    let args = ["--retries", "1", "--", "python3", "-m", "pytest"];
    let (out, merged) = local_test(dir.path(), &[&args[..], &["-n", "2", "-x"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged).0, 6, "every test counted: {merged:#}");
    assert_eq!(outcome_of(&merged, "test_6_bug"), ["failed"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_1_flaky"), ["flaky"], "{merged:#}");
    // A configuration outside the project makes pytest's rootdir another
    // folder, and its node ids name no file (`::test_2`): the workers' plan
    // names tests pitcrew cannot run again, and their never running fails
    // the run (it read green, stop 54's review).
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("proj");
    pytest_project(&project, &[("tests/test_many.py", many)]);
    write_tree(root.path(), &[("ci/pytest.ini", "[pytest]\n")]);
    let outside = ["-n", "2", "-x", "-c", "../ci/pytest.ini"];
    let (out, _) = local_test(&project, &[&args[..], &outside[..]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("never ran, and their node ids name no file"),
        "{}",
        text(&out)
    );
}

/// pytest-xdist queues tests of other files on a worker: behind one that
/// hung there, a test of another file never ran before the kill. It ran
/// after it in the retry rounds, where its first failure used up its
/// retries: a test that fails once and then passes read failed, never
/// flaky (round 65, on w3lib). It runs in the first attempt now, as tests
/// behind a hang in their own file do, and keeps its retries.
#[test]
fn pytest_xdist_a_test_queued_behind_a_hang_keeps_its_retries() {
    if !common::cli::has_pytest_xdist() {
        return;
    }
    let mut files = vec![
        (
            "tests/test_a_hang.py".to_owned(),
            "import time\ndef test_hang():\n    time.sleep(3600)\n".to_owned(),
        ),
        (
            "tests/test_b.py".to_owned(),
            "import os\n\
def test_flaky():\n    if not os.path.exists('flaky.mark'):\n        \
open('flaky.mark', 'w').close()\n        assert False, 'first run fails'\n\
def test_ok():\n    pass\n"
                .to_owned(),
        ),
    ];
    for i in 1..=6 {
        files.push((
            format!("tests/test_c{i}.py"),
            format!("def test_pad{i}(): pass\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    pytest_project(dir.path(), &files);
    let args = [
        "--retries",
        "1",
        "--timeout",
        "4",
        "--",
        "python3",
        "-m",
        "pytest",
        "-n",
        "2",
    ];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (9, 7, 1, 1), "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_hang"), ["failed"], "{merged:#}");
}

/// Parameters built from a set of objects pytest can't print: it numbers
/// them by their place in the set (`value5`), which changes from process
/// to process (an object's hash is its address). Split out of their slow
/// file, such a test ran another test, or none, in its shard, and the rest
/// of the file left out the wrong one: the count changed from run to run,
/// and a failing test could run nowhere (isodate). Every run now counts
/// each test once.
#[test]
fn pytest_ids_numbered_in_an_unordered_set_count_once_in_every_run() {
    if !has_pytest() {
        return;
    }
    let slow = "import time\nimport pytest\n\n\
class V:\n    def __init__(self, n):\n        self.n = n\n\n\
CASES = {(i, V(i)) for i in range(12)}\n\n\
@pytest.mark.parametrize('n,value', CASES)\n\
def test_case(n, value):\n    time.sleep(0.15)\n    assert n != 7\n";
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            ("tests/test_slow.py", slow),
            ("tests/test_quick.py", "def test_quick(): pass\n"),
        ],
    );
    let args = ["test", "--shards", "3", "--retries", "0", "--"];
    for run in 1..=3 {
        let out = pitcrew(
            &[&args[..], &["python3", "-m", "pytest"]].concat(),
            dir.path(),
        );
        let merged = merged_results(dir.path());
        assert_eq!(out.status.code(), Some(1), "run {run}: {}", text(&out));
        assert_eq!(
            summary(&merged),
            (13, 12, 1, 0),
            "run {run}: {}",
            merged["tests"]
        );
        // Renumbered, not deleted: no warning says they are gone.
        assert!(!text(&out).contains("no longer exist"), "{}", text(&out));
    }
}

/// pytest 9 refuses a path with `[` in it as an argument: a planned file in
/// `tests/[v1]/` still runs, alone, and is retried by node id, while a
/// broken module beside it stays one failed test, not the shard's error.
#[test]
fn pytest_test_files_in_a_bracketed_folder_run_and_retry() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/[v1]/test_x.py",
                "def test_a(): pass\ndef test_b(): assert 1 == 2\n",
            ),
            (
                "tests/[v1]/test_f.py",
                "import os\ndef test_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n",
            ),
            ("tests/test_y.py", "def test_c(): pass\n"),
            (
                "tests/other/test_broken.py",
                "import no_such_module_here\ndef test_z(): pass\n",
            ),
            // Test data the project keeps out of collection: pytest alone
            // never loads its conftest, so neither may the shard naming
            // `tests` in place of `tests/[v1]/…`.
            ("tests/conftest.py", "collect_ignore = ['testdata']\n"),
            (
                "tests/testdata/conftest.py",
                "raise RuntimeError('an ignored conftest was loaded')\n",
            ),
        ],
    );
    for shards in ["1", "3"] {
        let out = pitcrew(
            &[
                "test",
                "--shards",
                shards,
                "--retries",
                "1",
                "--",
                "python3",
                "-m",
                "pytest",
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let mut got = tests(&merged_results(dir.path()));
        got.sort();
        let want = [
            ("", "tests.other.test_broken", "failed"),
            ("tests.[v1].test_f", "test_flaky", "flaky"),
            ("tests.[v1].test_x", "test_a", "passed"),
            ("tests.[v1].test_x", "test_b", "failed"),
            ("tests.test_y", "test_c", "passed"),
        ]
        .map(|(c, n, o)| (c.to_owned(), n.to_owned(), o.to_owned()));
        assert_eq!(got, want, "{shards} shards: {}", text(&out));
        assert!(
            !text(&out).contains("cannot contain"),
            "pytest refused an argument: {}",
            text(&out)
        );
    }
}

/// The user's own node ids, beside a bracketed folder pitcrew names by its
/// ancestor, select as pytest's do: a test's every parameter, a class's
/// every test.
#[test]
fn pytest_the_users_ids_beside_a_bracketed_folder_select_as_pytest_does() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_a.py",
                "import pytest\n@pytest.mark.parametrize('n', [1, 2])\ndef test_one(n): assert n == 1\n\
                 def test_other(): pass\nclass TestK:\n    def test_m(self): pass\n",
            ),
            ("tests/sub/[v1]/test_x.py", "def test_x(): pass\n"),
        ],
    );
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "1",
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
            "tests/test_a.py::test_one",
            "tests/test_a.py::TestK",
            "tests/sub",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let mut got = tests(&merged_results(dir.path()));
    got.sort();
    let want = [
        ("tests.sub.[v1].test_x", "test_x", "passed"),
        ("tests.test_a", "test_one[1]", "passed"),
        ("tests.test_a", "test_one[2]", "failed"),
        ("tests.test_a.TestK", "test_m", "passed"),
    ]
    .map(|(c, n, o)| (c.to_owned(), n.to_owned(), o.to_owned()));
    assert_eq!(got, want, "{}", text(&out));
}

/// pytest killed while a test ran by what another test left behind (a
/// timer thread calling `os._exit(1)`) fails under pytest every run; the
/// test it died under passes a retry by name, where nothing kills it.
/// That made the crash "flaky" and the run green (stop 53). The run of its
/// whole file that follows the passing retry dies under it again: failed,
/// as under pytest. A test that kills the runner in its first attempt only
/// passes there, its file whole: flaky, the run green, as pytest's second
/// run is (a retry alone could not tell, and failed the run).
#[test]
fn pytest_a_runner_that_died_fails_the_run_whoever_killed_it() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_timer.py",
            "import os, threading, time\n\
             def test_arm(): threading.Timer(0.2, lambda: os._exit(1)).start()\n\
             def test_victim(): time.sleep(1)\n\
             def test_after(): pass\n",
        )],
    );
    let args = ["--retries", "1", "--", "python3", "-m", "pytest"];
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let victim = test_named(&merged, "test_victim");
    assert_eq!(victim["outcome"], "failed", "{victim:#}");
    assert!(
        failure_message(victim).contains("the runner exited while it ran"),
        "{victim:#}"
    );
    assert_eq!(summary(&merged), (3, 2, 1, 0), "{}", merged["tests"]);

    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_once.py",
            "import os\n\
             def test_once():\n    if os.environ['PITCREW_ATTEMPT'] == '1': os._exit(1)\n\
             def test_next(): pass\n",
        )],
    );
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("pytest died while"), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
}

/// A test that kills its runner every time (pytest-timeout's thread method,
/// `os._exit`) leaves the tests after it unrun, named by the test it died
/// under. Retried with it, they never ran again, behind it in file order;
/// they run apart, in the first attempt, so a real failure among them
/// shows its own assertion, and the others pass.
#[test]
fn pytest_tests_a_dying_test_kept_from_running_are_retried_apart() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_a.py",
                "import os\ndef test_a1(): pass\ndef test_dies(): os._exit(1)\n",
            ),
            (
                "tests/test_b.py",
                "def test_b1(): pass\ndef test_b2(): assert 0, 'real failure b2'\n",
            ),
        ],
    );
    let pytest = |retries| {
        let args = ["--retries", retries, "--", "python3", "-m", "pytest"];
        let (out, merged) = local_test(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let b1 = test_named(&merged, "test_b1").clone();
        (merged, b1)
    };
    let (merged, b1) = pytest("1");
    assert_eq!(b1["outcome"], "passed", "{b1}");
    let b2 = test_named(&merged, "test_b2");
    assert_eq!(b2["outcome"], "failed", "{b2}");
    let message = b2["failure"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("real failure b2"), "{b2}");
    assert_eq!(outcome_of(&merged, "test_dies"), ["failed"], "{merged:#}");
    // With no retry too: the tests behind the one the runner died under
    // run in the first attempt, as those behind a hang do (stop 47; they
    // were named "never ran" until then).
    let (merged, b1) = pytest("0");
    assert_eq!(b1["outcome"], "passed", "{b1}");
    let b2 = test_named(&merged, "test_b2");
    assert!(failure_message(b2).contains("real failure b2"), "{b2}");
}

/// pytest 9's subtests: a skipped subtest leaves its passing test passed
/// (pytest says PASSED); a failed one fails its test, with the subtest's
/// own failure as the message, not pytest's count of them.
#[test]
fn pytest_a_skipped_subtest_leaves_its_test_passed() {
    if !has_pytest() {
        return;
    }
    let nine = Command::new("python3")
        .args(["-c", "import _pytest.subtests"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !nine {
        return; // pytest < 9 has no `subtests` fixture of its own
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_sub.py",
            "import pytest\n\
def test_sub_skip(subtests):\n    with subtests.test(msg='skipped one'):\n        pytest.skip('not here')\n\
def test_sub_fail(subtests):\n    for i in range(3):\n        with subtests.test(i=i):\n            assert i != 1\n\
def test_skipped():\n    pytest.skip('whole')\n",
        )],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "0", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        outcome_of(&merged, "test_sub_skip"),
        ["passed"],
        "{merged:#}"
    );
    assert_eq!(
        outcome_of(&merged, "test_sub_fail"),
        ["failed"],
        "{merged:#}"
    );
    let failed = test_named(&merged, "test_sub_fail");
    assert_eq!(failed["failure"]["message"], "assert 1 != 1", "{failed}");
    assert_eq!(
        outcome_of(&merged, "test_skipped"),
        ["skipped"],
        "{merged:#}"
    );
}

/// A failure of megabytes (two long lists compared under `-vv`) or with a
/// lone surrogate in its message (`os.fsdecode` of a name that is not
/// UTF-8) was a record pitcrew could not read: the test vanished, and
/// beside a flaky test the run passed. Each is a failed test.
#[test]
fn pytest_a_huge_or_undecodable_failure_is_still_a_failed_test() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = "import os\n\
def test_flaky():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n\
def test_huge(): assert list(range(100000)) == list(range(1, 100001))\n\
def test_message(): assert False, 'x' * 1_200_000\n\
def test_name(): assert False, 'unexpected ' + os.fsdecode(b'report-\\xff.txt')\n\
def test_ok(): pass\n";
    pytest_project(dir.path(), &[("tests/test_big.py", file)]);
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest", "-vv"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (5, 1, 3, 1), "{merged:#}");
    assert_eq!(merged["problems"], json!([]), "{merged:#}");
    let message = test_named(&merged, "test_name")["failure"]["message"].to_string();
    assert!(message.contains("report-\u{fffd}.txt"), "{message}");
}

/// Test files outside pytest's rootdir (`testpaths = . ../shared`): their
/// node ids are relative to the folder given, and the listing planned
/// `test_s.py` for `../shared/test_s.py`, which no shard could run (a
/// green suite failed). A flaky test there is retried where it is.
#[test]
fn pytest_test_files_outside_the_rootdir_are_planned_where_they_are() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    write_tree(
        dir.path(),
        &[
            ("proj/pytest.ini", "[pytest]\ntestpaths = . ../shared\n"),
            ("proj/test_p.py", "def test_p(): pass\n"),
            (
                "shared/test_s.py",
                "import os\ndef test_s():\n    assert os.environ.get('PITCREW_ATTEMPT') != '1'\n",
            ),
        ],
    );
    let (out, merged) = local_test(
        &root,
        &[
            "--retries",
            "1",
            "--",
            "python3",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_s"), ["flaky"], "{merged:#}");
}

/// A configuration outside the project (`-c ../ci/pytest.ini`, so the
/// rootdir is `../ci`): given its files, pytest 9 names every test
/// `::test_one`, with no file, so `test_one` of two files shared a node id
/// in pitcrew's plugin: a green suite failed (one "never ran", the other
/// counted twice), and a real failure showed on both. Tests are told apart
/// by where pytest locates them too.
#[test]
fn pytest_with_its_rootdir_outside_the_project_same_names_stay_apart() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    write_tree(
        dir.path(),
        &[
            ("ci/pytest.ini", "[pytest]\n"),
            ("proj/tests/test_a.py", "def test_one(): pass\n"),
            (
                "proj/tests/test_b.py",
                "def test_one(): pass\ndef test_two(): pass\n",
            ),
        ],
    );
    let command = ["--", "python3", "-m", "pytest", "-c", "../ci/pytest.ini"];
    for retries in ["0", "1"] {
        let mut args = vec!["--retries", retries];
        args.extend_from_slice(&command);
        let (out, merged) = local_test(&root, &args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert_eq!(summary(&merged), (3, 3, 0, 0), "{merged:#}");
    }
    // A real failure in one file is that file's test only.
    fs::write(
        root.join("tests/test_a.py"),
        "def test_one(): assert 1 == 2\n",
    )
    .unwrap();
    let mut args = vec!["--retries", "1"];
    args.extend_from_slice(&command);
    let (out, merged) = local_test(&root, &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 1, 0), "{merged:#}");
    let failed: Vec<_> = merged["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["outcome"] == "failed")
        .map(|t| t["key"]["file"].clone())
        .collect();
    assert_eq!(failed, [json!("tests/test_a.py")], "{merged:#}");
    // Under pytest-xdist the controller collects nothing: its names come
    // from node ids that name no file, so from pytest's location.
    if common::cli::has_pytest_xdist() {
        let mut args = vec!["--retries", "1"];
        args.extend_from_slice(&command);
        args.extend_from_slice(&["-n", "2"]);
        let (out, merged) = local_test(&root, &args);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let files: Vec<_> = merged["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .map(|t| (t["key"]["file"].clone(), t["outcome"].clone()))
            .collect();
        assert_eq!(
            files,
            [
                (json!("tests/test_a.py"), json!("failed")),
                (json!("tests/test_b.py"), json!("passed")),
                (json!("tests/test_b.py"), json!("passed")),
            ],
            "{merged:#}"
        );
    }
}

/// The ids in pytest's record of failed tests at `path`, sorted.
fn record_ids(path: &Path) -> Vec<String> {
    let written: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut ids: Vec<String> = written
        .as_object()
        .expect("a JSON object")
        .keys()
        .cloned()
        .collect();
    ids.sort_unstable();
    ids
}

/// Shards side by side each write pytest's record of failed tests (what
/// `--lf` runs), the last over the others'. Where pytest's rootdir is a
/// folder above the one pitcrew runs in and `cache_dir` puts the record
/// elsewhere, the record after the run still names every shard's failures,
/// spelled from the rootdir, and `pytest --lf` runs exactly them.
#[test]
fn pytest_lf_record_holds_every_shards_failures_from_a_subfolder() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let pkg = repo.join("pkg");
    let failing = |n: usize| format!("def test_{n}_ok(): pass\ndef test_{n}_bug(): assert 0\n");
    write_tree(
        &repo,
        &[
            ("pytest.ini", "[pytest]\ncache_dir = state/pytest\n"),
            ("pkg/tests/test_a.py", &failing(1)),
            ("pkg/tests/test_b.py", &failing(2)),
            ("pkg/tests/test_c.py", &failing(3)),
            ("pkg/tests/test_d.py", "def test_4_ok(): pass\n"),
        ],
    );
    let record = repo.join("state/pytest/v/cache/lastfailed");
    fs::create_dir_all(record.parent().unwrap()).unwrap();
    // From an earlier run: a test since fixed, and one of a file not run.
    fs::write(
        &record,
        r#"{"pkg/tests/test_d.py::test_4_ok": true, "other/test_x.py::test_x": true}"#,
    )
    .unwrap();
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "3",
            "--jobs",
            "3",
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
        ],
        &pkg,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        record_ids(&record),
        [
            "other/test_x.py::test_x",
            "pkg/tests/test_a.py::test_1_bug",
            "pkg/tests/test_b.py::test_2_bug",
            "pkg/tests/test_c.py::test_3_bug",
        ],
        "{}",
        text(&out)
    );
    assert!(
        fs::read_dir(pkg.join(".pitcrew"))
            .unwrap()
            .flatten()
            .all(|e| !e
                .file_name()
                .to_string_lossy()
                .starts_with("lastfailed-note-")),
        "the notes are removed"
    );
    // pytest itself, asked for the last failures, runs exactly those.
    let lf = Command::new("python3")
        .args(["-m", "pytest", "--lf", "-q", "-p", "no:randomly"])
        .current_dir(&pkg)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&lf.stdout);
    assert!(said.contains("3 failed"), "{said}");
    assert!(!said.contains("passed"), "{said}");

    // The rootdir below the folder pitcrew runs in (`-c tests/pytest.ini`),
    // and every process clearing the cache, a retry's last: the record
    // still holds every failure, spelled from that rootdir.
    let tests = pkg.join("tests");
    fs::write(tests.join("pytest.ini"), "[pytest]\n").unwrap();
    fs::write(
        tests.join("test_d.py"),
        "import os\ndef test_4_flaky(): assert os.environ.get('PITCREW_ATTEMPT') != '1'\n",
    )
    .unwrap();
    let record = tests.join(".pytest_cache/v/cache/lastfailed");
    for extra in [&[][..], &["--cache-clear"][..]] {
        let _ = fs::remove_file(&record);
        let mut args = vec![
            "test",
            "--shards",
            "4",
            "--jobs",
            "4",
            "--retries",
            "1",
            "--",
            "python3",
            "-m",
            "pytest",
            "-c",
            "tests/pytest.ini",
        ];
        args.extend_from_slice(extra);
        let out = pitcrew(&args, &pkg);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(record.is_file(), "{extra:?}: no record\n{}", text(&out));
        assert_eq!(
            record_ids(&record),
            [
                "test_a.py::test_1_bug",
                "test_b.py::test_2_bug",
                "test_c.py::test_3_bug",
            ],
            "{extra:?}: {}",
            text(&out)
        );
    }
}

/// A plugin pointing a failed report at the helper that raised (its
/// `location` set to `tests/helpers.py`): the report was filed under
/// another key than its test's, and the test was written as passed. A
/// report goes with the test started under its node id.
#[test]
fn pytest_a_report_located_elsewhere_stays_its_tests() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "conftest.py",
                concat!(
                    "import os, pytest\n",
                    "@pytest.hookimpl(hookwrapper=True)\n",
                    "def pytest_runtest_makereport(item, call):\n",
                    "    outcome = yield\n",
                    "    rep = outcome.get_result()\n",
                    "    if rep.failed and call.excinfo is not None:\n",
                    "        tb = call.excinfo.traceback[-1]\n",
                    "        rel = os.path.relpath(str(tb.path), str(item.config.rootpath))\n",
                    "        rep.location = (rel, tb.lineno, rep.location[2])\n",
                ),
            ),
            (
                "tests/helpers.py",
                "def check(x):\n    assert x, 'helper says no'\n",
            ),
            (
                "tests/test_h.py",
                "from tests.helpers import check\n\
def test_uses_helper(): check(False)\n\
def test_fine(): check(True)\n",
            ),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 1, 0), "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_uses_helper"), ["failed"]);
}

/// pytest fails a run whose tests all passed when a check of its own
/// fails (`--cov-fail-under`, a hook setting the exit status): that
/// verdict stands, with every test still counted. A re-run of the flaky
/// test alone is not judged (a coverage threshold fails any part); the
/// replay of the shard that confirms it is.
#[test]
fn pytest_a_failing_run_whose_tests_passed_still_fails() {
    if !has_pytest() {
        return;
    }
    let gate = "import os
def pytest_sessionfinish(session, exitstatus):
        if exitstatus == 0 and not session.config.option.collectonly and os.environ.get('PITCREW_ATTEMPT') == '1':
            session.exitstatus = 1
";
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_ok.py",
                "def test_ok(): pass
",
            ),
            ("conftest.py", gate),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--", "python3", "-m", "pytest"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("failed the run outside its tests: a pytest_sessionfinish hook"),
        "{}",
        text(&out)
    );
    assert_eq!(summary(&merged), (1, 1, 0, 0));
    // A gate failing any part of the shard (a coverage threshold): the
    // retry by name is no whole run and is not judged; the replay of the
    // shard's first process that confirms it is, and passes.
    let retry_gate = gate.replace(
        "os.environ.get('PITCREW_ATTEMPT') == '1'",
        "len(session.items) < 2",
    );
    fs::write(dir.path().join("conftest.py"), retry_gate).unwrap();
    fs::write(
        dir.path().join("tests/test_flaky.py"),
        "import os
def test_flaky():
    assert os.environ.get('PITCREW_ATTEMPT') != '1'
",
    )
    .unwrap();
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1));
    // A check that fails the session whatever its tests did (a hook
    // setting the status, a plugin counting a failure no test reported,
    // as pytest-cov's threshold does), beside the flaky test: pytest's exit
    // status says 1 either way; pitcrew's reporter tells them apart.
    for check in [
        "def pytest_sessionfinish(session, exitstatus):\n    if not session.config.option.collectonly:\n        session.exitstatus = 3\n",
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtestloop(session):\n    yield\n    if not session.config.option.collectonly:\n        session.testsfailed += 1\n",
    ] {
        fs::write(dir.path().join("conftest.py"), check).unwrap();
        let (out, merged) = local_test(
            dir.path(),
            &["--retries", "1", "--", "python3", "-m", "pytest"],
        );
        assert_eq!(out.status.code(), Some(1), "{check}: {}", text(&out));
        assert_eq!(summary(&merged), (2, 1, 0, 1), "{check}");
        assert!(
            text(&out).contains("failed the run outside its tests"),
            "{check}: {}",
            text(&out)
        );
    }
}

/// A conftest that collects the integration tests only when asked by a
/// variable: pitcrew's kept list of test files, made without it, must not
/// stand for a run with it (the failing integration test never ran).
#[test]
fn pytest_the_kept_test_list_is_not_reused_under_another_environment() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conftest = "import os
collect_ignore = [] if os.environ.get('PITCREW_PROBE_INTEGRATION') else ['tests/test_integration.py']
";
    pytest_project(
        dir.path(),
        &[
            ("conftest.py", conftest),
            (
                "tests/test_unit.py",
                "def test_unit(): pass
",
            ),
            (
                "tests/test_integration.py",
                "def test_integration(): assert False
",
            ),
        ],
    );
    let run = |integration: bool| {
        let mut cmd = common::cli::command(dir.path());
        cmd.args(["test", "--retries", "0", "--", "python3", "-m", "pytest"]);
        if integration {
            cmd.env("PITCREW_PROBE_INTEGRATION", "1");
        } else {
            cmd.env_remove("PITCREW_PROBE_INTEGRATION");
        }
        let out = cmd.output().unwrap();
        (out.status.code(), summary(&merged_results(dir.path())))
    };
    assert_eq!(run(false), (Some(0), (1, 1, 0, 0)));
    assert_eq!(run(true), (Some(1), (2, 1, 1, 0)));
}

/// A module skipped as it is collected is one skipped test, as pytest
/// counts it and names it in its JUnit (no class, the dotted module).
/// A missing fixture's error says so (pytest's words), not only where the
/// test is.
#[test]
fn pytest_a_missing_fixture_says_so() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[("tests/test_fixture.py", "def test_needs(benchmark): pass\n")],
    );
    let (out, merged) = local_test(dir.path(), &["--", "python3", "-m", "pytest"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let needs = test_named(&merged, "test_needs");
    assert_eq!(
        needs["failure"]["message"], "fixture 'benchmark' not found",
        "{needs}"
    );
}

/// A test that cuts pitcrew's results file takes the results before it
/// with it: a real failure among them, and a flaky test after it that
/// explained pytest's exit status on its own, read green with the failure
/// gone (round 36). The reporter's last record says how many it wrote; a
/// file holding fewer fails the shard.
#[test]
fn pytest_a_test_that_cuts_the_results_file_fails_the_run() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_tamper.py",
            "import os\n\
             MARK = os.path.join(os.path.dirname(__file__), '..', 'flaky.marker')\n\
             def test_a_real_failure():\n    assert False, 'real failure'\n\
             def test_b_cuts_the_results():\n    open(os.environ['PITCREW_EVENTS'], 'w').close()\n\
             def test_c_flaky():\n    if not os.path.exists(MARK):\n        \
             open(MARK, 'w').close()\n        assert False, 'first run fails'\n",
        )],
    );
    let (out, _) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("are gone: the file was cut or rewritten"),
        "{}",
        text(&out)
    );
}

/// pytest-rerunfailures runs a failed test again in the same session:
/// the runs are one test, flaky when a later run passed. Eleven reruns
/// with long non-ASCII messages made one record over the reader's line
/// limit, unreadable, and the run red with the test gone (stop 52's
/// review): the reruns' texts are cut to fit too.
#[test]
fn pytest_rerunfailures_runs_are_one_test_however_long_their_messages() {
    if !has_pytest() || !common::cli::has_pytest_rerunfailures() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_reruns.py",
            "import os\n\
             COUNT = os.path.join(os.path.dirname(__file__), '..', 'runs')\n\
             def test_passes_at_last():\n    \
             runs = int(open(COUNT).read()) if os.path.exists(COUNT) else 0\n    \
             open(COUNT, 'w').write(str(runs + 1))\n    \
             assert runs >= 11, 'é' * 20000\n\
             def test_fine():\n    pass\n",
        )],
    );
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
            "--reruns",
            "11",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
    assert_eq!(
        test_named(&merged, "test_passes_at_last")["outcome"],
        "flaky"
    );
}

/// Under pytest-xdist, pytest-rerunfailures runs a test whose worker
/// crashed again in another worker: pytest passes when that run passes.
/// xdist ends the crashed run with no finish, so pitcrew read it as a
/// runner's death and failed the run (stop 53's review). That run is now
/// one of the test's reruns; a crash in every run is still the death.
#[test]
fn pytest_xdist_a_crash_that_rerunfailures_runs_again_is_a_rerun() {
    if !common::cli::has_pytest_xdist() || !common::cli::has_pytest_rerunfailures() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_crash.py",
            "import os\n\
             FLAG = os.path.join(os.path.dirname(__file__), '..', 'crashed')\n\
             def test_crashes_once():\n    \
             if not os.path.exists(FLAG):\n        \
             open(FLAG, 'w').close()\n        \
             os._exit(1)\n\
             def test_fine():\n    pass\n",
        )],
    );
    let args = ["--retries", "0", "--", "python3", "-m", "pytest"];
    let rerun = ["-n", "2", "--reruns", "1"];
    let (out, merged) = local_test(dir.path(), &[&args[..], &rerun[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 1), "{}", merged["tests"]);
    assert_eq!(test_named(&merged, "test_crashes_once")["outcome"], "flaky");
    // Crashing in every run, it fails, as under pytest alone.
    fs::write(
        dir.path().join("tests/test_crash.py"),
        "import os\ndef test_crashes_always():\n    os._exit(1)\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &[&args[..], &rerun[..]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcome_of(&merged, "test_crashes_always"), ["failed"]);
}

/// `--setup-only` and `--setup-plan` run no test: pytest says "no tests
/// ran" and exits 0, and pitcrew counted every test passed, one that
/// asserts 0 included (round 35). They are skipped, wherever the option
/// comes from.
#[test]
fn pytest_setup_only_runs_no_test_and_passes_none() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_a.py",
            "import pytest
\
             @pytest.fixture
\
             def db(): return 1
\
             def test_broken(db): assert 0
\
             def test_fine(): pass
",
        )],
    );
    for option in ["--setup-only", "--setup-plan"] {
        let (out, merged) = local_test(dir.path(), &["--", "python3", "-m", "pytest", option]);
        assert_eq!(out.status.code(), Some(0), "{option}: {}", text(&out));
        assert_eq!(
            summary(&merged),
            (2, 0, 0, 0),
            "{option}: {}",
            merged["tests"]
        );
        let broken = test_named(&merged, "test_broken");
        assert_eq!(broken["outcome"], "skipped", "{broken:#}");
    }
    let out = common::cli::command(dir.path())
        .args(["test", "--shards", "1", "--", "python3", "-m", "pytest"])
        .env("PYTEST_ADDOPTS", "--setup-only")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged_results(dir.path())), (2, 0, 0, 0));
}

#[test]
fn pytest_a_module_skipped_at_collection_is_a_skipped_test() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let skipped = "import pytest\npytest.skip('no db here', allow_module_level=True)\n\
def test_db(): pass\n";
    pytest_project(
        dir.path(),
        &[
            ("tests/test_db.py", skipped),
            ("tests/test_a.py", "def test_a(): pass\n"),
        ],
    );
    let (out, merged) = local_test(dir.path(), &["--", "python3", "-m", "pytest"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 1, 0, 0), "{}", merged["tests"]);
    assert!(
        tests(&merged).contains(&("".into(), "tests.test_db".into(), "skipped".into())),
        "{}",
        merged["tests"]
    );
    // Alone in a shard, that module makes pytest exit 5 ("no tests
    // collected"): the suite is still green.
    let out = pitcrew(
        &["test", "--shards", "2", "--", "python3", "-m", "pytest"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged_results(dir.path())), (2, 1, 0, 0));
}

/// A test module that cannot be imported: pytest's listing exits 2 after a
/// collection error, which was "failed to list the tests" and exit 2 with
/// nothing for the report or triage. The module is planned, its error is a
/// failed test with pytest's words, the run exits 1, and the other shard's
/// tests run and pass.
/// A module that fails to import on the first attempt and imports on the
/// retry: its error was flaky, and the tests the retry collected count,
/// each once (the error's stand-in beside them had counted one test more
/// than pytest ever does): those that passed after it are flaky, with the
/// import's error.
#[test]
fn pytest_a_module_that_imports_on_a_retry_is_flaky_and_keeps_its_tests() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_flaky_import.py",
                "import os\nif os.environ.get('PITCREW_ATTEMPT') == '1':\n    raise ImportError('not yet')\ndef test_x(): pass\ndef test_y(): assert 0\n",
            ),
            ("tests/test_ok.py", "def test_ok(): pass\n"),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "2", "--", "python3", "-m", "pytest"],
    );
    // test_y failed on both attempts that ran it: the run fails.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 1, 1, 1), "{merged:#}");
    assert!(outcome_of(&merged, "tests.test_flaky_import").is_empty());
    assert_eq!(outcome_of(&merged, "test_x"), ["flaky"]);
    let x = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"]["name"] == "test_x")
        .unwrap();
    assert!(
        x["failure"]["message"]
            .as_str()
            .unwrap()
            .contains("not yet"),
        "{x:#}"
    );
    assert_eq!(outcome_of(&merged, "test_y"), ["failed"]);
    assert_eq!(outcome_of(&merged, "test_ok"), ["passed"]);
    assert_eq!(merged["problems"], json!([]), "{merged:#}");
}

/// `pitcrew test --shards 1`, then `--shards 2`, of `command` in `dir`:
/// each passes, with `tests` tests, all passed.
fn pytest_passes_in_one_and_two_shards(dir: &Path, command: &[&str], tests: u64) {
    for shards in ["1", "2"] {
        let mut args = vec!["test", "--shards", shards, "--"];
        args.extend_from_slice(command);
        let out = pitcrew(&args, dir);
        let merged = merged_results(dir);
        assert_eq!(out.status.code(), Some(0), "{}\n{merged:#}", text(&out));
        assert_eq!(summary(&merged), (tests, tests, 0, 0), "{merged:#}");
    }
}

/// A flaky test under a collector whose name holds a dot (mypy's
/// data-driven `check-x.test` items, a conftest's `cases.v1`) was never
/// retried: its node id was rebuilt as `cases::v1`, which pytest does not
/// find, and it stayed failed (round 68). It is retried by its file and
/// pitcrew's spelling of it; a real failure beside it stays failed.
#[test]
fn pytest_a_flaky_test_under_a_dotted_collector_is_retried() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conftest = "import os\nimport pytest\n\n\
        class Case(pytest.Item):\n    def runtest(self):\n        \
        first = os.environ.get('PITCREW_ATTEMPT') == '1'\n        \
        if self.name == 'flaky' and first:\n            raise AssertionError('first run')\n        \
        if self.name == 'broken':\n            raise AssertionError('always')\n\n\
        class Cases(pytest.Collector):\n    def collect(self):\n        \
        names = os.environ.get('CASES', 'flaky ok').split()\n        \
        return [Case.from_parent(self, name=n) for n in names]\n\n\
        class Data(pytest.File):\n    def collect(self):\n        \
        return [Cases.from_parent(self, name='cases.v1')]\n\n\
        def pytest_collect_file(parent, file_path):\n    \
        if file_path.suffix == '.yaml':\n        return Data.from_parent(parent, path=file_path)\n";
    pytest_project(
        dir.path(),
        &[
            ("conftest.py", conftest),
            ("tests/test_data.yaml", ""),
            ("tests/test_a.py", "def test_ok(): pass\n"),
        ],
    );
    let outcome = |merged: &Value, name: &str| {
        tests(merged)
            .into_iter()
            .find(|t| t.1 == name)
            .map(|t| t.2)
            .unwrap_or_default()
    };
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(0), "{}\n{merged:#}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{merged:#}");
    assert_eq!(outcome(&merged, "flaky"), "flaky", "{merged:#}");
    let out = common::cli::command(dir.path())
        .args(["test", "--shards", "1", "--retries", "1", "--"])
        .args(["python3", "-m", "pytest"])
        .env("CASES", "flaky broken ok")
        .output()
        .unwrap();
    let merged = merged_results(dir.path());
    assert_eq!(out.status.code(), Some(1), "{}\n{merged:#}", text(&out));
    assert_eq!(outcome(&merged, "flaky"), "flaky", "{merged:#}");
    assert_eq!(outcome(&merged, "broken"), "failed", "{merged:#}");
}

/// PyYAML's legacy tests point each item's own path at its data file
/// (`self.fspath = data/x.canonical`): pitcrew planned the items under
/// those files, which pytest collects nothing from (1,287 tests ran as 7
/// with 430 problems), and a flaky one was never retried (round 70). An
/// item belongs to its node id's file.
#[test]
fn pytest_an_item_pointing_at_a_data_file_belongs_to_its_node_ids_file() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conftest = "import os\nimport pathlib\nimport pytest\n\n\
        HERE = os.path.dirname(__file__)\ncollect_ignore_glob = ['data/*']\n\n\
        class DataItem(pytest.Item):\n    def __init__(self, *, datafile, **kw):\n        \
        super().__init__(**kw)\n        self.datafile = datafile\n        \
        self.path = pathlib.Path(datafile)\n\n    \
        def runtest(self):\n        text = open(self.datafile).read().strip()\n        \
        if text == 'flaky' and os.environ.get('PITCREW_ATTEMPT') == '1':\n            \
        raise AssertionError('first run')\n\n    \
        def reportinfo(self):\n        return self.datafile, 0, ''\n\n\
        class DataCollector(pytest.Collector):\n    def collect(self):\n        \
        for name in sorted(os.listdir(os.path.join(HERE, 'data'))):\n            \
        yield DataItem.from_parent(self, name=name, datafile=os.path.join(HERE, 'data', name))\n\n\
        def pytest_pycollect_makeitem(collector, name, obj):\n    \
        if name == 'test_data':\n        return DataCollector.from_parent(collector, name=name)\n";
    pytest_project(
        dir.path(),
        &[
            ("tests/conftest.py", conftest),
            ("tests/test_data.py", "def test_data(): pass\n"),
            ("tests/test_other.py", "def test_other(): pass\n"),
            ("tests/data/one.case", "ok\n"),
            ("tests/data/two.case", "flaky\n"),
            ("tests/data/three.case", "ok\n"),
        ],
    );
    for shards in ["1", "2"] {
        let out = pitcrew(
            &[
                "test",
                "--shards",
                shards,
                "--retries",
                "1",
                "--",
                "python3",
                "-m",
                "pytest",
                "tests",
            ],
            dir.path(),
        );
        let merged = merged_results(dir.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{shards}: {}\n{merged:#}",
            text(&out)
        );
        assert_eq!(summary(&merged), (4, 3, 0, 1), "{shards}: {merged:#}");
        let flaky = test_named(&merged, "two.case");
        assert_eq!(flaky["outcome"], "flaky", "{flaky:#}");
        assert_eq!(flaky["key"]["file"], "tests/test_data.py", "{flaky:#}");
    }
}

/// pytest rewrites the asserts of every module named on its command line:
/// a shard that named a library module collected for its doctests made
/// its `assert` raise pytest's longer message, and a doctest expecting
/// Python's own failed a green suite (zipp 3.21.0).
#[test]
fn pytest_doctest_modules_keep_python_asserts() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let check = "def check(x):\n    \"\"\"\n    >>> check(0)\n    Traceback (most recent call last):\n    ...\n    AssertionError: bad\n    \"\"\"\n    assert x, \"bad\"\n";
    pytest_project(
        dir.path(),
        &[
            ("pytest.ini", "[pytest]\naddopts = --doctest-modules\n"),
            ("pkg/__init__.py", ""),
            ("pkg/lib.py", check),
            (
                "pkg/other.py",
                "def f():\n    \"\"\"\n    >>> 1 + 1\n    2\n    \"\"\"\n",
            ),
            ("top.py", check),
            ("tests/test_a.py", "def test_ok(): pass\n"),
        ],
    );
    pytest_passes_in_one_and_two_shards(dir.path(), &["python3", "-m", "pytest"], 4);
}

/// A text file named on pytest's command line is one of its doctest
/// files whatever `--doctest-glob` says: a `.rst` a plugin collects (sybil,
/// cssselect's docs) gained a doctest the direct run never has, and a
/// green suite failed. Such a file is named by its folder, and narrowed
/// back to the plan.
#[test]
fn pytest_a_text_file_a_plugin_collects_gains_no_doctest() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plugin = "import pytest\n\
                  class RstItem(pytest.Item):\n    def runtest(self): pass\n\
                  class RstFile(pytest.File):\n    def collect(self): yield RstItem.from_parent(self, name='spelling')\n\
                  def pytest_collect_file(parent, file_path):\n    \
                  if file_path.suffix == '.rst': return RstFile.from_parent(parent, path=file_path)\n";
    pytest_project(
        dir.path(),
        &[
            ("conftest.py", plugin),
            (
                "docs/guide.rst",
                "Guide\n=====\n\n    >>> print(1 + 1)\n    3\n",
            ),
            // Collected for its doctest by the default glob, from a folder.
            ("docs/test_usage.txt", ">>> 1 + 1\n2\n"),
            ("tests/test_a.py", "def test_a(): pass\n"),
        ],
    );
    let direct = std::process::Command::new("python3")
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "docs",
            "tests",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        text(&direct).contains("3 passed"),
        "pytest alone: {}",
        text(&direct)
    );
    pytest_passes_in_one_and_two_shards(
        dir.path(),
        &["python3", "-m", "pytest", "docs", "tests"],
        3,
    );
}

/// A text file the user names is one of pytest's doctest files: named by
/// its folder instead (as a text file pitcrew plans is), its doctest was
/// lost and a green suite failed ("produced no test case").
#[test]
fn pytest_a_text_file_the_user_names_keeps_its_doctest() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            ("docs/guide.txt", ">>> 1 + 1\n2\n"),
            ("tests/test_a.py", "def test_a(): pass\n"),
        ],
    );
    pytest_passes_in_one_and_two_shards(
        dir.path(),
        &["python3", "-m", "pytest", "docs/guide.txt", "tests"],
        2,
    );
}

/// pytest collects a file its command names whatever `python_files` says;
/// named by its folder instead (as a module collected for its doctests
/// is), such a file was never collected and failed a green suite.
#[test]
fn pytest_a_file_the_user_names_is_collected_as_named() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            ("tests/mytests.py", "def test_mine(): pass\n"),
            ("tests/test_other.py", "def test_other(): pass\n"),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
            "tests/mytests.py",
            "tests/test_other.py",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}\n{merged:#}", text(&out));
    assert_eq!(summary(&merged), (2, 2, 0, 0), "{merged:#}");
}

/// Two test files of one module name and no `__init__.py` fail pytest's
/// collection every time both are in one run ("import file mismatch"); a
/// retry of the second alone imported it cleanly and passed the run with
/// the error "flaky". And in shards of their own the two never met, so
/// the run was green where pytest fails every run (round 61): they are
/// planned in one shard.
#[test]
fn pytest_an_import_file_mismatch_is_not_retried_into_a_flaky_pass() {
    if !has_pytest() {
        return;
    }
    for shards in ["1", "2", "3"] {
        let dir = tempfile::tempdir().unwrap();
        write_tree(
            dir.path(),
            &[
                ("tests/a/test_x.py", "def test_one(): pass\n"),
                ("tests/b/test_x.py", "def test_two(): pass\n"),
                ("tests/test_y.py", "def test_three(): pass\n"),
            ],
        );
        let out = pitcrew(
            &[
                "test",
                "--shards",
                shards,
                "--retries",
                "1",
                "--",
                "python3",
                "-m",
                "pytest",
            ],
            dir.path(),
        );
        let merged = merged_results(dir.path());
        let what = format!("{shards} shard(s): {}\n{merged:#}", text(&out));
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert_eq!(merged["summary"]["flaky"], 0, "{what}");
        assert_eq!(merged["summary"]["failed"], 1, "{what}");
    }
}

/// A retry that asks for a node id that is gone (a parameter id that
/// differs every session) made pytest refuse the whole retry: the other
/// failed test was never re-run (a flaky test stayed failed), and the
/// refusal was a shard problem beside the failure.
#[test]
fn pytest_a_retry_id_that_is_gone_stays_failed_and_spares_the_others() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_ids.py",
            "import os, pytest, uuid\n\
@pytest.mark.parametrize('run', [uuid.uuid4().hex[:8]])\n\
def test_new_id_each_session(run): assert 0, 'a real failure'\n\
def test_flaky(): assert os.environ.get('PITCREW_ATTEMPT') != '1'\n\
def test_ok(): pass\n",
        )],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcome_of(&merged, "test_flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_ok"), ["passed"]);
    let gone: Vec<_> = tests(&merged)
        .into_iter()
        .filter(|(_, name, _)| name.starts_with("test_new_id_each_session["))
        .map(|(_, _, outcome)| outcome)
        .collect();
    assert_eq!(gone, ["failed"], "{merged:#}");
    assert_eq!(merged["problems"], json!([]), "{merged:#}");
}

/// A class that cannot be collected (`file.py::TestSuite`) failed the
/// listing (exit 2), or at run time was no test's failure ("the runner
/// failed though every test passed"). It is one errored test named by its
/// node id; where a retry collects it, it was flaky and its tests count.
#[test]
fn pytest_a_class_that_cannot_be_collected_is_a_failed_test() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conftest = "import os, pytest\n\
class Picky(pytest.Class):\n    def collect(self):\n        if os.environ.get('PITCREW_ATTEMPT', 'listing') in os.environ.get('FAIL_ON', '').split(','):\n            raise RuntimeError('cannot collect this class')\n        return super().collect()\n\
def pytest_pycollect_makeitem(collector, name, obj):\n    if name == 'TestSuite':\n        return Picky.from_parent(collector, name=name)\n";
    pytest_project(
        dir.path(),
        &[
            ("tests/conftest.py", conftest),
            (
                "tests/test_cls.py",
                "def test_plain(): pass\nclass TestSuite:\n    def test_a(self): pass\n",
            ),
        ],
    );
    let test = |fail_on: &str| {
        let out = common::cli::command(dir.path())
            .env("FAIL_ON", fail_on)
            .args(["test", "--shards", "1", "--retries", "1", "--"])
            .args(["python3", "-m", "pytest"])
            .output()
            .unwrap();
        (out.status.code(), merged_results(dir.path()), text(&out))
    };
    // In the listing (no attempt number) and every attempt.
    let (code, merged, out) = test("listing,1,2");
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(outcome_of(&merged, "TestSuite"), ["failed"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_plain"), ["passed"]);
    assert_eq!(merged["problems"], json!([]), "{merged:#}");
    // The first attempt only: flaky, and its test counts.
    let (code, merged, out) = test("1");
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(outcome_of(&merged, "TestSuite"), ["flaky"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "test_a"), ["passed"], "{merged:#}");
}

#[test]
fn pytest_a_module_that_cannot_be_collected_is_a_failed_test() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_broken.py",
                "import not_a_module_pitcrew_knows\ndef test_x(): pass\n",
            ),
            (
                "tests/test_a.py",
                "def test_a(): pass\ndef test_b(): pass\n",
            ),
        ],
    );
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
        ],
        dir.path(),
    );
    let merged = merged_results(dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 1, 0), "{}", merged["tests"]);
    let module = test_named(&merged, "tests.test_broken");
    assert_eq!(module["outcome"], "failed", "{module:#}");
    assert!(
        module["failure"]
            .to_string()
            .contains("not_a_module_pitcrew_knows"),
        "{module:#}"
    );
    // In one shard too the other module's tests run (pytest alone would
    // stop at the error, and its retries with it). A retry asks pytest for
    // the module itself (its node id is the file), and it fails again with
    // the same words.
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 1, 0), "{}", merged["tests"]);
    let module = test_named(&merged, "tests.test_broken");
    assert_eq!(module["attempts"], 2, "{module:#}");
    assert!(
        module["failure"]
            .to_string()
            .contains("not_a_module_pitcrew_knows"),
        "{module:#}"
    );
    // Under -x the listing still sees every module (pytest stops collecting
    // at the first error there): all three tests are planned and counted.
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "0", "--", "python3", "-m", "pytest", "-x"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged).0, 3, "{}", merged["tests"]);
    // Where the user asks pytest to go on past it, the other tests run.
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
            "--continue-on-collection-errors",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 1, 0), "{}", merged["tests"]);
}

/// A test that fails and whose fixture then fails in teardown: the test's
/// failure is the message (it was the teardown's alone), the teardown's
/// error goes along in the details.
#[test]
fn pytest_a_failure_then_a_teardown_error_keeps_the_failure() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let test = "import pytest\n\
@pytest.fixture\ndef res():\n    yield 1\n    raise RuntimeError('teardown boom')\n\
def test_both(res):\n    assert res == 2, 'the assertion'\n";
    pytest_project(dir.path(), &[("tests/test_td.py", test)]);
    let (out, merged) = local_test(dir.path(), &["--", "python3", "-m", "pytest"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let failure = &merged["tests"][0]["failure"];
    assert!(
        failure["message"]
            .as_str()
            .unwrap()
            .contains("the assertion"),
        "{failure}"
    );
    assert!(
        failure["details"]
            .as_str()
            .unwrap()
            .contains("teardown boom"),
        "{failure}"
    );
}

/// A module-scoped fixture whose teardown fails every run: pytest pins the
/// error on the test whose phase ended the fixture's scope: the module's
/// last test (which here does not use the fixture), or, for a fixture
/// with `params`, the setup of the first test of its next value. Run again
/// alone, that test passed, so the run was "flaky", exit 0, where pytest
/// exits 1 every time (round 19, exceptiongroup; a review found the
/// `params` case and pytest-xdist's workers). Such an error is not
/// retried; a function-scoped fixture's teardown that failed once still
/// is, and is flaky.
fn a_wider_fixtures_teardown_error_is_not_made_flaky(command: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let scoped = "import pytest\n\
@pytest.fixture(scope='module')\ndef conn():\n    yield 1\n    raise RuntimeError('module teardown boom')\n\
def test_uses(conn):\n    assert conn == 1\n\
def test_last():\n    pass\n";
    let params = "import pytest\n\
@pytest.fixture(scope='module', params=[1, 2])\ndef db(request):\n    yield request.param\n    if request.param == 1:\n        raise RuntimeError('param teardown boom')\n\
def test_p(db):\n    assert db in (1, 2)\n";
    let once = "import os, pytest\n\
@pytest.fixture\ndef res():\n    yield 1\n    if os.environ.get('PITCREW_ATTEMPT') == '1':\n        raise RuntimeError('first teardown only')\n\
def test_a(res):\n    pass\n\
def test_b():\n    pass\n";
    pytest_project(
        dir.path(),
        &[
            ("tests/test_fn.py", once),
            ("tests/test_params.py", params),
            ("tests/test_scope.py", scoped),
        ],
    );
    let mut args = vec!["--retries", "1", "--"];
    args.extend_from_slice(command);
    let (out, merged) = local_test(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(summary(&merged), (6, 3, 2, 1), "{:#}", merged["tests"]);
    for (test, said) in [
        ("test_last", "module teardown boom"),
        ("test_p[2]", "param teardown boom"),
    ] {
        let test = test_named(&merged, test);
        assert_eq!(test["outcome"], "failed", "{test:#}");
        assert_eq!(
            test["failure"]["failure_type"], "scope teardown",
            "{test:#}"
        );
        let message = test["failure"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(said), "{test:#}");
    }
    assert_eq!(test_named(&merged, "test_a")["outcome"], "flaky");
}

#[test]
fn pytest_a_wider_fixtures_teardown_error_is_not_made_flaky_by_a_retry() {
    if has_pytest() {
        a_wider_fixtures_teardown_error_is_not_made_flaky(&["python3", "-m", "pytest"]);
    }
}

/// The same with pytest-xdist in the command: the workers run the tests
/// and say which phase ended a scope; the reporter reads their reports.
#[test]
fn pytest_xdist_a_wider_fixtures_teardown_error_is_not_made_flaky_by_a_retry() {
    if has_pytest() && common::cli::has_pytest_xdist() {
        a_wider_fixtures_teardown_error_is_not_made_flaky(&[
            "python3", "-m", "pytest", "-n", "2", "--dist", "loadfile",
        ]);
    }
}

#[test]
fn pytest_inherited_tests_belong_to_the_module_that_collects_them() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/mixins.py",
                "import os\nclass Mixin:\n    def test_inherited(self):\n        pass\n    def test_flaky(self):\n        assert os.environ.get('PITCREW_ATTEMPT') != '1'\n",
            ),
            (
                "tests/test_alpha.py",
                "from tests.mixins import Mixin\nclass TestAlpha(Mixin):\n    pass\n",
            ),
            ("tests/test_beta.py", "def test_b(): pass\n"),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &["--retries", "1", "--", "python3", "-m", "pytest"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (3, 2, 0, 1), "{}", merged["tests"]);
    for test in merged["tests"].as_array().unwrap() {
        assert_ne!(test["key"]["file"], "tests/mixins.py", "{test}");
    }
    assert_eq!(merged["problems"], json!([]));
}

#[test]
fn pytest_the_users_junit_flavour_is_left_alone() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[(
            "tests/test_a.py",
            "def test_a(): pass\ndef test_b(): pass\n",
        )],
    );
    // pytest's default flavour (xunit2) and the user's own report path.
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--",
            "python3",
            "-m",
            "pytest",
            "--junitxml=mine.xml",
            "-o",
            "junit_family=xunit2",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 2, 0, 0));
    let mine = fs::read_to_string(dir.path().join("mine.xml")).expect("the user's report");
    assert!(mine.contains("test_b"), "{mine}");
    // Over shards, each pytest wrote it over the last one's: it now holds
    // the whole run's tests.
    fs::write(
        dir.path().join("tests/test_c.py"),
        "def test_c(): pass\ndef test_d(): assert 0\n",
    )
    .unwrap();
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--retries",
            "0",
            "--",
            "python3",
            "-m",
            "pytest",
        ]
        .iter()
        .chain(&["--junitxml=mine.xml"])
        .copied()
        .collect::<Vec<_>>(),
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let mine = fs::read_to_string(dir.path().join("mine.xml")).expect("the user's report");
    for name in ["test_a", "test_b", "test_c", "test_d"] {
        assert!(mine.contains(&format!("name=\"{name}\"")), "{name}: {mine}");
    }
    assert!(mine.contains("<failure"), "{mine}");
}

/// A `--junitxml` the command does not name (the project's `addopts`,
/// `PYTEST_ADDOPTS`) is written by every pytest process over the last one's;
/// pytest's reporter says where, and pitcrew writes the whole run there.
#[test]
fn pytest_a_junitxml_in_addopts_gets_the_whole_run() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    pytest_project(
        root,
        &[
            (
                "pytest.ini",
                "[pytest]\naddopts = --junitxml=reports/ci.xml\n",
            ),
            (
                "tests/test_a.py",
                "def test_a(): pass\ndef test_b(): pass\n",
            ),
            (
                "tests/test_c.py",
                "def test_c(): pass\ndef test_d(): assert 0\n",
            ),
        ],
    );
    let names = |path: &Path| {
        let xml = fs::read_to_string(path).expect("the user's report");
        ["test_a", "test_b", "test_c", "test_d"]
            .iter()
            .filter(|n| xml.contains(&format!("name=\"{n}\"")))
            .count()
    };
    let test = |env: &[(&str, &str)]| {
        common::cli::command(root)
            .envs(env.iter().copied())
            .args(["test", "--shards", "2", "--retries", "0", "--"])
            .args(["python3", "-m", "pytest"])
            .output()
            .unwrap()
    };
    let out = test(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(names(&root.join("reports/ci.xml")), 4);
    // PYTEST_ADDOPTS, resolved against pytest's working directory.
    fs::remove_file(root.join("pytest.ini")).unwrap();
    let out = test(&[("PYTEST_ADDOPTS", "--junitxml=env.xml")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(names(&root.join("env.xml")), 4);
    // In CI's flow a job's report holds the job's tests, not its retry's.
    let pitcrew_in = |args: &[&str]| {
        common::cli::command(root)
            .env("PYTEST_ADDOPTS", "--junitxml=job.xml")
            .args(args)
            .output()
            .unwrap()
    };
    let pytest = ["--", "python3", "-m", "pytest"];
    let run = common::cli::one_job_matrix(pitcrew_in, &pytest);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    assert_eq!(names(&root.join("job.xml")), 4);
}

#[test]
fn pytest_a_hung_test_is_named_and_the_rest_is_kept() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_hang.py",
                "import time\ndef test_quick(): pass\ndef test_hangs(): time.sleep(600)\ndef test_after(): pass\n",
            ),
            (
                "tests/test_ok.py",
                "def test_1(): pass\ndef test_2(): pass\n",
            ),
        ],
    );
    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--timeout",
            "5",
            "--",
            "python3",
            "-m",
            "pytest",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcome_of(&merged, "test_hangs"), ["failed"]);
    assert_eq!(outcome_of(&merged, "test_quick"), ["passed"]);
    assert_timed_out(&merged, "test_hangs");
}

/// nextest writes no JUnit until it exits, so a shard killed at its
/// timeout used to lose every test. Asked to stop first, nextest reports
/// what finished and the test it stopped, which is the one timed out.
#[test]
fn nextest_a_hung_test_is_named_and_the_rest_is_kept() {
    if !has_nextest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"hangs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    fs::create_dir(root.join("src")).unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn quick() {}\n    #[test]\n    fn also_quick() {}\n    #[test]\n    fn hangs() {\n        std::thread::sleep(std::time::Duration::from_secs(600));\n    }\n}\n",
    )
    .unwrap();
    let target = root.join("target");
    let command = || {
        let mut command = common::cli::command(root);
        command.env("CARGO_TARGET_DIR", &target);
        command
    };
    // Built before the timed shard, so the time limit is the tests'.
    let built = Command::new("cargo")
        .args(["nextest", "run", "--no-run"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", text(&built));
    let out = command()
        .args(["test", "--shards", "1", "--retries", "0", "--timeout", "10"])
        .args(["--", "cargo", "nextest", "run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(
        outcome_of(&merged, "tests::quick"),
        ["passed"],
        "{merged:#}"
    );
    assert_eq!(outcome_of(&merged, "tests::also_quick"), ["passed"]);
    assert_eq!(outcome_of(&merged, "tests::hangs"), ["failed"]);
    assert_timed_out(&merged, "tests::hangs");
    assert_eq!(summary(&merged).0, 3, "{merged:#}");
}

/// `pitcrew test OURS -- go test FLAGS ./...` in `root`, with its build cache.
fn pitcrew_go_test(root: &Path, cache: &Path, ours: &[&str], flags: &[&str]) -> Output {
    common::cli::command(root)
        .env("GOCACHE", cache)
        .arg("test")
        .args(ours)
        .args(["--", "go", "test"])
        .args(flags)
        .arg("./...")
        .output()
        .unwrap()
}

/// The module in `root` built with its tests, in a build cache of its own
/// (returned): a timed shard's limit is then the tests'.
fn go_built(root: &Path) -> std::path::PathBuf {
    let cache = root.join(".gocache");
    let built = Command::new("go")
        .args(["test", "-count=1", "-run", "^$", "./..."])
        .current_dir(root)
        .env("GOCACHE", &cache)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", text(&built));
    cache
}

/// go streams its JSON as tests end, but a shard killed at its timeout
/// threw it away: every finished test lost, the hung one not named.
#[test]
fn go_a_hung_test_is_named_and_the_rest_is_kept() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("go.mod"), "module example.com/hang\n\ngo 1.18\n").unwrap();
    for (package, body) in [
        (
            "a",
            "package a\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\n\
             func TestQuick(t *testing.T) {}\n\n\
             func TestZHangs(t *testing.T) { time.Sleep(time.Hour) }\n",
        ),
        (
            "b",
            "package b\n\nimport \"testing\"\n\nfunc TestOther(t *testing.T) {}\n",
        ),
    ] {
        fs::create_dir_all(root.join(package)).unwrap();
        fs::write(root.join(package).join("x_test.go"), body).unwrap();
    }
    let cache = go_built(root);
    let out = common::cli::command(root)
        .env("GOCACHE", &cache)
        .args(["test", "--shards", "1", "--retries", "0", "--timeout", "15"])
        .args(["--", "go", "test", "./..."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(outcome_of(&merged, "TestQuick"), ["passed"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestOther"), ["passed"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestZHangs"), ["failed"], "{merged:#}");
    assert_timed_out(&merged, "TestZHangs");
    assert_eq!(summary(&merged).0, 3, "{merged:#}");
}

/// A test go never started (behind a hang, or after `-failfast` stopped
/// its package) runs again by name, and reports its subtests as tests of
/// their own: those were dropped, as results of tests nobody asked for,
/// so a failing subtest's name and message were lost (mapstructure: 32 of
/// 146 tests gone behind a hang).
#[test]
fn go_subtests_of_a_test_run_again_after_a_hang_or_failfast_are_counted() {
    if !has_go() {
        return;
    }
    let sub = "func TestSub(t *testing.T) {\n\
               \tt.Run(\"s1\", func(t *testing.T) {})\n\
               \tt.Run(\"s2\", func(t *testing.T) { t.Error(\"s2 broke\") })\n}\n";
    for (flags, first) in [
        (&["-count=1"][..], "time.Sleep(time.Hour)"),
        (&["-count=1", "-failfast"][..], "t.Fatal(\"first\")"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("go.mod"), "module example.com/sub\n\ngo 1.18\n").unwrap();
        fs::write(
            root.join("a_test.go"),
            format!(
                "package sub\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\n\
                 var _ = time.Second\n\n\
                 func TestFirst(t *testing.T) {{ {first} }}\n\n{sub}"
            ),
        )
        .unwrap();
        let cache = go_built(root);
        let ours = ["--shards", "1", "--retries", "1", "--timeout", "15"];
        let out = pitcrew_go_test(root, &cache, &ours, flags);
        assert_eq!(out.status.code(), Some(1), "{flags:?}: {}", text(&out));
        let merged = merged_results(root);
        assert_eq!(summary(&merged).0, 4, "{flags:?}: {merged:#}");
        assert_eq!(outcome_of(&merged, "TestSub/s1"), ["passed"], "{merged:#}");
        let s2 = test_named(&merged, "TestSub/s2");
        assert_eq!(s2["outcome"], "failed", "{s2:#}");
        assert!(
            s2["failure"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("s2 broke"),
            "{s2:#}"
        );
        // The user's own selection of subtests holds in the re-run: s2,
        // which it leaves out, neither runs nor fails TestSub.
        let only_s1 = ["-count=1", "-run", "^(TestFirst|TestSub)$/^s1$"];
        let out = pitcrew_go_test(root, &cache, &ours, &only_s1);
        let merged = merged_results(root);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert_eq!(summary(&merged).0, 3, "{flags:?}: {merged:#}");
        assert_eq!(outcome_of(&merged, "TestSub"), ["passed"], "{merged:#}");
        assert!(outcome_of(&merged, "TestSub/s2").is_empty(), "{merged:#}");
    }
}

/// go holds a top-level `t.Parallel` test until the sequential tests end:
/// one that hangs leaves it paused, its body never run. It was blamed as
/// timed out beside the hang (round 69, golang.org/x/sync); it never ran,
/// runs again, and passes, and the failing parallel test behind it fails.
#[test]
fn go_parallel_tests_paused_behind_a_hang_never_ran_and_run_again() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("go.mod"), "module example.com/rp\n\ngo 1.18\n").unwrap();
    fs::write(
        root.join("p_test.go"),
        "package rp\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\n\
         func TestInnocentParallel(t *testing.T) { t.Parallel() }\n\n\
         func TestBrokenParallel(t *testing.T) { t.Parallel(); t.Error(\"broken\") }\n\n\
         func TestHang(t *testing.T) { time.Sleep(time.Hour) }\n\n\
         func TestAfter(t *testing.T) {}\n",
    )
    .unwrap();
    let cache = go_built(root);
    let ours = ["--shards", "1", "--retries", "1", "--timeout", "15"];
    let out = pitcrew_go_test(root, &cache, &ours, &["-count=1"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    assert_timed_out(&merged, "TestHang");
    let innocent = test_named(&merged, "TestInnocentParallel");
    assert_eq!(innocent["outcome"], "passed", "{merged:#}");
    let broken = test_named(&merged, "TestBrokenParallel");
    assert_eq!(broken["outcome"], "failed", "{merged:#}");
    assert!(broken.to_string().contains("broken"), "{broken:#}");
    assert_eq!(outcome_of(&merged, "TestAfter"), ["passed"], "{merged:#}");
}

/// go ends a package at a panic (and after the first failure under
/// `-failfast`): its later tests never run and go names none of them. A
/// retry that turns the panicking test flaky must not pass the run: the
/// tests go never started are named as never ran and run again, where the
/// real failure among them fails the run.
#[test]
fn go_tests_after_a_panic_or_failfast_are_named_and_run_again() {
    if !has_go() {
        return;
    }
    for (flags, first) in [
        (&[][..], "panic(\"first run\")"),
        (&["-failfast"][..], "t.Fatal(\"first run\")"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("go.mod"), "module example.com/pn\n\ngo 1.18\n").unwrap();
        fs::write(
            root.join("a_test.go"),
            format!(
                "package pn\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n\
                 func TestAOnce(t *testing.T) {{\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {{\n\t\t{first}\n\t}}\n}}\n\n\
                 func TestBRealFailure(t *testing.T) {{ t.Fatal(\"a real failure\") }}\n\n\
                 func TestCPasses(t *testing.T) {{}}\n"
            ),
        )
        .unwrap();
        let cache = root.join(".gocache");
        for retries in ["1", "0"] {
            let ours = ["--shards", "1", "--retries", retries];
            let out = pitcrew_go_test(root, &cache, &ours, flags);
            assert_eq!(out.status.code(), Some(1), "{flags:?}: {}", text(&out));
            let merged = merged_results(root);
            assert_eq!(summary(&merged).0, 3, "{flags:?}: {merged:#}");
            assert_eq!(
                outcome_of(&merged, "TestBRealFailure"),
                ["failed"],
                "{flags:?}: {merged:#}"
            );
            if retries == "1" {
                assert_eq!(outcome_of(&merged, "TestAOnce"), ["flaky"], "{merged:#}");
            }
            // Behind a panic, the tests go never started run in the same
            // attempt. Under -failfast the user's stop is kept, and the
            // retry stops at the real failure again: TestCPasses never
            // runs, as under go itself, and says so.
            if flags.is_empty() {
                assert_eq!(outcome_of(&merged, "TestCPasses"), ["passed"], "{merged:#}");
            } else {
                let never = test_named(&merged, "TestCPasses");
                assert_eq!(never["failure"]["failure_type"], "never-ran", "{never}");
            }
        }
    }
}

/// A module whose one package has `first` (a test `TestA…`), then
/// `TestBFlaky` (fails its first run, by a marker file) and `TestCPasses`.
fn write_go_flaky_behind(root: &Path, first: &str) {
    fs::write(root.join("go.mod"), "module example.com/pf\n\ngo 1.18\n").unwrap();
    fs::write(
        root.join("a_test.go"),
        format!(
            "package pf\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n{first}\n\
             func TestBFlaky(t *testing.T) {{\n\tif _, err := os.Stat(\"b.marker\"); err != nil {{\n\t\tos.WriteFile(\"b.marker\", nil, 0o644)\n\t\tt.Fatal(\"first run\")\n\t}}\n}}\n\n\
             func TestCPasses(t *testing.T) {{}}\n"
        ),
    )
    .unwrap();
}

/// A flaky test behind a test that panics: go's binary died before it,
/// so its first run was the retry, where it failed for the first time and
/// had no retry left (`--retries 1`: a flaky test failed the run; round
/// 32). It runs in the first attempt, as behind any crash. The panic,
/// in the first attempt only, is flaky: the whole package, run again after
/// its retry, passes it, as `go test`'s second run does (a panic in a
/// goroutine another test started would come again there).
#[test]
fn go_a_flaky_test_behind_a_panic_keeps_its_retry() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_go_flaky_behind(
        root,
        "func TestAOnce(t *testing.T) {\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tpanic(\"first run\")\n\t}\n}\n",
    );
    let out = pitcrew_go_test(
        root,
        &root.join(".gocache"),
        &["--shards", "1", "--retries", "1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("go died while"), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(summary(&merged), (3, 1, 0, 2), "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestBFlaky"), ["flaky"], "{merged:#}");
}

/// A meta-test (testify's suite tests, round 67) runs a test of its own
/// name through `testing.RunTests`, expects it to fail, and passes: go
/// passes the package. The inner run is the outer test's output, not a
/// second test "crashed" beside a failed one.
#[test]
fn go_a_test_run_inside_a_test_of_its_name_is_its_output() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("go.mod"),
        "module example.com/nested\n\ngo 1.18\n",
    )
    .unwrap();
    let meta = |expect: &str| {
        format!(
            "package nested\n\nimport \"testing\"\n\n\
             func TestMeta(t *testing.T) {{\n\
             \tok := testing.RunTests(func(pat, str string) (bool, error) {{ return true, nil }},\n\
             \t\t[]testing.InternalTest{{{{Name: \"TestMeta\", F: func(t *testing.T) {{ t.Error(\"inner failure, expected\") }}}}}})\n\
             \tif ok != {expect} {{\n\t\tt.Fatal(\"the inner test did not do as expected\")\n\t}}\n}}\n\n\
             func TestPlain(t *testing.T) {{}}\n"
        )
    };
    let run = |expect: &str, code: i32| {
        fs::write(root.join("nested_test.go"), meta(expect)).unwrap();
        let args = ["--shards", "1", "--retries", "1"];
        let out = pitcrew_go_test(root, &root.join(".gocache"), &args, &[]);
        assert_eq!(out.status.code(), Some(code), "{}", text(&out));
        merged_results(root)
    };
    let merged = run("false", 0);
    assert_eq!(summary(&merged), (2, 2, 0, 0), "{merged:#}");

    // The outer test failing is a failure, never hidden by the inner run.
    let merged = run("true", 1);
    assert_eq!(summary(&merged), (2, 1, 1, 0), "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestMeta"), ["failed"], "{merged:#}");
}

/// A go package that stops building measured nothing of its tests: its
/// timing history stands, and none of its tests reads as deleted (round
/// 68 replaced three tests' history with one made-up entry and warned
/// "deleted or renamed").
#[test]
fn go_a_package_that_does_not_build_keeps_its_history() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("go.mod"), "module example.com/hist\n\ngo 1.18\n").unwrap();
    let tests = "func TestOne(t *testing.T) {}\nfunc TestTwo(t *testing.T) {}\n";
    let write = |imports: &str| {
        fs::write(
            root.join("a_test.go"),
            format!("package hist\n\nimport ({imports})\n\n{tests}"),
        )
        .unwrap();
    };
    let run = |code: i32| {
        let out = pitcrew_go_test(root, &root.join(".gocache"), &["--shards", "1"], &[]);
        assert_eq!(out.status.code(), Some(code), "{}", text(&out));
        text(&out)
    };
    // The files' and tests' history (start-up and runs are measured anew).
    let history = || {
        let all: Value =
            serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/timings.json")).unwrap())
                .unwrap();
        (all["files"].clone(), all["tests"].clone())
    };
    write("\"testing\"");
    run(0);
    let before = history();
    assert_eq!(
        before.1["example.com/hist"].as_array().map(Vec::len),
        Some(2),
        "{before:?}"
    );
    write("\"testing\"; \"os\"");
    let broken = run(1);
    assert!(broken.contains("build failed"), "{broken}");
    assert!(!broken.contains("no longer exist"), "{broken}");
    assert_eq!(history(), before);
    write("\"testing\"");
    assert!(!run(0).contains("no longer exist"));
}

/// A test that panics every time, retried with a flaky test after it:
/// each retry died at the panic before the flaky test ran, so it stayed
/// failed (the review of stop 48). The retry's tests left unrun behind the
/// panic run again without it.
#[test]
fn go_a_flaky_test_behind_a_test_that_always_panics_is_flaky() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_go_flaky_behind(
        root,
        "func TestAPanics(t *testing.T) { panic(\"always\") }\n",
    );
    let merged = go_test_fails_retried_once(root);
    assert_eq!(outcome_of(&merged, "TestBFlaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestAPanics"), ["failed"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "TestCPasses"), ["passed"], "{merged:#}");
    assert_eq!(summary(&merged).0, 3, "{merged:#}");
}

/// `pitcrew test --shards 1 --retries 1 -- go test ./...` in `root`, which
/// must exit 1; its merged results.
fn go_test_fails_retried_once(root: &Path) -> Value {
    let out = common::cli::command(root)
        .env("GOCACHE", root.join(".gocache"))
        .args(["test", "--shards", "1", "--retries", "1"])
        .args(["--", "go", "test", "./..."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    merged_results(root)
}

/// A module `example.com/{package}` whose one package panics in its first
/// test on the first attempt only, which keeps a real failure and a
/// passing test from running.
fn write_go_panic_before_a_real_failure(root: &Path, package: &str) {
    fs::write(
        root.join("go.mod"),
        format!("module example.com/{package}\n\ngo 1.18\n"),
    )
    .unwrap();
    fs::write(
        root.join("a_test.go"),
        format!(
            "package {package}\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n\
             func TestAOnce(t *testing.T) {{\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {{\n\t\tpanic(\"first run\")\n\t}}\n}}\n\n\
             func TestBRealFailure(t *testing.T) {{ t.Fatal(\"a real failure\") }}\n\n\
             func TestCPasses(t *testing.T) {{}}\n"
        ),
    )
    .unwrap();
}

fn assert_the_panic_was_flaky_and_the_failure_real(merged: &Value) {
    assert_eq!(outcome_of(merged, "TestAOnce"), ["flaky"], "{merged:#}");
    assert_eq!(
        outcome_of(merged, "TestBRealFailure"),
        ["failed"],
        "{merged:#}"
    );
    assert_eq!(outcome_of(merged, "TestCPasses"), ["passed"], "{merged:#}");
}

/// `go test -list` runs a package's `TestMain` too: one whose setup exits
/// before `m.Run` failed the listing of every failed package at once, so
/// the tests a panic kept from running in another package went unnamed,
/// and its real failure vanished behind a flaky test.
#[test]
fn go_a_package_whose_setup_fails_does_not_hide_what_another_never_ran() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_go_panic_before_a_real_failure(root, "sm");
    fs::create_dir_all(root.join("db")).unwrap();
    fs::write(
        root.join("db/db_test.go"),
        "package db\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tfmt.Println(\"setup failed: database unreachable\")\n\tos.Exit(3)\n}\n\n\
         func TestQuery(t *testing.T) {}\n",
    )
    .unwrap();
    let merged = go_test_fails_retried_once(root);
    assert_the_panic_was_flaky_and_the_failure_real(&merged);
    assert_eq!(
        outcome_of(&merged, "example.com/sm/db"),
        ["failed"],
        "{merged:#}"
    );
    assert_eq!(summary(&merged).0, 4, "{merged:#}");
}

/// A package whose `go test -list` fails even alone (its `TestMain` exits
/// when asked to list, as a setup that failed this time would): the tests
/// a panic kept from running went unnamed, and a real failure among them
/// vanished behind the panicking test's pass on retry. They are read from
/// the package's test files, an external test package's example included.
#[test]
fn go_a_package_that_cannot_be_listed_still_names_what_never_ran() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_go_panic_before_a_real_failure(root, "nl");
    fs::write(
        root.join("main_test.go"),
        "package nl\n\nimport (\n\t\"flag\"\n\t\"fmt\"\n\t\"os\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tflag.Parse()\n\
         \tif f := flag.Lookup(\"test.list\"); f != nil && f.Value.String() != \"\" {\n\
         \t\tfmt.Println(\"setup failed: no database to list against\")\n\t\tos.Exit(3)\n\t}\n\
         \tos.Exit(m.Run())\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("x_test.go"),
        "package nl_test\n\nimport \"fmt\"\n\n\
         func ExampleHello() {\n\tfmt.Println(\"hello\")\n\t// Output: hello\n}\n",
    )
    .unwrap();
    let merged = go_test_fails_retried_once(root);
    assert_the_panic_was_flaky_and_the_failure_real(&merged);
    assert_eq!(
        outcome_of(&merged, "ExampleHello"),
        ["passed"],
        "{merged:#}"
    );
}

/// The tests a panic kept from running retry apart from the panicking one:
/// two processes of one package, each failing the package's check after
/// its tests. The package's failure is one, not one per process.
#[test]
fn go_a_package_check_counts_once_when_unrun_tests_retry_apart() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("go.mod"), "module example.com/pc\n\ngo 1.18\n").unwrap();
    fs::create_dir_all(root.join("p")).unwrap();
    fs::write(
        root.join("p/p_test.go"),
        "package p\n\nimport (\n\t\"flag\"\n\t\"fmt\"\n\t\"os\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tflag.Parse()\n\tcode := m.Run()\n\
         \tif f := flag.Lookup(\"test.list\"); f != nil && f.Value.String() != \"\" {\n\t\tos.Exit(code)\n\t}\n\
         \tif code == 0 {\n\t\tfmt.Println(\"leak check: 1 goroutine leaked\")\n\t\tcode = 1\n\t}\n\tos.Exit(code)\n}\n\n\
         func TestA(t *testing.T) {\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tpanic(\"first run\")\n\t}\n}\n\n\
         func TestB(t *testing.T) {}\n\nfunc TestC(t *testing.T) {}\n",
    )
    .unwrap();
    let merged = go_test_fails_retried_once(root);
    assert_eq!(outcome_of(&merged, "TestA"), ["flaky"], "{merged:#}");
    assert_eq!(
        outcome_of(&merged, "example.com/pc/p"),
        ["failed"],
        "{merged:#}"
    );
    assert_eq!(summary(&merged).0, 4, "{merged:#}");
}

/// A package check after the tests (`goleak.VerifyTestMain`) fails the
/// package though they pass. A flaky test in it failed the first run, which
/// hid the check; the retry of that test runs the check again, and its
/// failure stands: exit 1, as `go test`.
/// `TestSame` in `package d` and in the external `package d_test`: go
/// runs both, under one name. They are two tests, whatever `-count` (on
/// the command or in `GOFLAGS`) or `-shuffle`, each with its own verdict:
/// a copy that always fails is failed beside a passing one, and a flaky
/// copy is flaky.
#[test]
fn go_same_named_tests_of_a_package_and_its_external_tests_are_two() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let internal = |body: &str| {
        format!(
            "package d\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nvar _ = os.Getenv\n\nfunc TestSame(t *testing.T) {{\n\t{body}\n}}\n"
        )
    };
    write_tree(
        root,
        &[
            ("go.mod", "module example.com/d\n\ngo 1.18\n"),
            ("d.go", "package d\n\nfunc Two() int { return 2 }\n"),
            (
                "x_test.go",
                "package d_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/d\"\n)\n\nfunc TestSame(t *testing.T) {\n\tif d.Two() != 2 {\n\t\tt.Fatal(\"never\")\n\t}\n}\n",
            ),
            (
                "in_test.go",
                &internal("t.Fatal(\"the internal copy fails\")"),
            ),
        ],
    );
    let run = |extra: &[&str], goflags: &str| {
        let out = common::cli::command(root)
            .env("GOCACHE", root.join(".gocache"))
            .env("GOFLAGS", goflags)
            .args([
                "test",
                "--shards",
                "1",
                "--retries",
                "1",
                "--",
                "go",
                "test",
            ])
            .args(extra)
            .arg("./...")
            .output()
            .unwrap();
        let merged = merged_results(root);
        let mut outcomes = outcome_of(&merged, "TestSame");
        outcomes.sort_unstable();
        (out, outcomes)
    };
    for (extra, goflags) in [
        (&[][..], ""),
        (&["-count=2"][..], ""),
        (&["-count=2", "-shuffle=on"][..], ""),
        (&[][..], "-count=2"),
    ] {
        let (out, outcomes) = run(extra, goflags);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{extra:?} {goflags}: {}",
            text(&out)
        );
        assert_eq!(outcomes, ["failed", "passed"], "{extra:?} {goflags}");
    }
    fs::write(
        root.join("in_test.go"),
        internal(
            "if os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tt.Fatal(\"first attempt\")\n\t}",
        ),
    )
    .unwrap();
    let (out, outcomes) = run(&[], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(outcomes, ["flaky", "passed"]);
}

#[test]
fn go_a_package_check_after_the_tests_is_not_hidden_by_a_flaky_test() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("go.mod"), "module example.com/gl\n\ngo 1.18\n").unwrap();
    fs::create_dir_all(root.join("p")).unwrap();
    fs::write(
        root.join("p/p_test.go"),
        "package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tcode := m.Run()\n\tif code == 0 {\n\t\tfmt.Println(\"leak check: 1 goroutine leaked\")\n\t\tcode = 1\n\t}\n\tos.Exit(code)\n}\n\n\
         func TestFlaky(t *testing.T) {\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tt.Fatal(\"first attempt\")\n\t}\n}\n\n\
         func TestOK(t *testing.T) {}\n",
    )
    .unwrap();
    let pitcrew_test = || {
        common::cli::command(root)
            .env("GOCACHE", root.join(".gocache"))
            .args(["test", "--shards", "1", "--retries", "1"])
            .args(["--", "go", "test", "./..."])
            .output()
            .unwrap()
    };
    let out = pitcrew_test();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(outcome_of(&merged, "TestFlaky"), ["flaky"], "{merged:#}");
    assert_eq!(
        outcome_of(&merged, "example.com/gl/p"),
        ["failed"],
        "{merged:#}"
    );
    // A check only a partial run fails (a coverage threshold: the retry
    // runs one test) is judged on the whole package, which passes it.
    fs::write(
        root.join("p/p_test.go"),
        "package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tcode := m.Run()\n\tif code == 0 && os.Getenv(\"PARTIAL\") != \"\" {\n\t\tfmt.Println(\"coverage below the threshold\")\n\t\tcode = 1\n\t}\n\tos.Exit(code)\n}\n\n\
         func TestFlaky(t *testing.T) {\n\tif os.Getenv(\"PITCREW_ATTEMPT\") == \"1\" {\n\t\tt.Fatal(\"first attempt\")\n\t}\n\tos.Setenv(\"PARTIAL\", \"1\")\n}\n\n\
         func TestOK(t *testing.T) { os.Unsetenv(\"PARTIAL\") }\n",
    )
    .unwrap();
    let out = pitcrew_test();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(outcome_of(&merged, "TestFlaky"), ["flaky"], "{merged:#}");
    assert_eq!(summary(&merged).0, 2, "{merged:#}");
    // A leak check that fails every green run, beside a test failing every
    // other run: the whole run fails that test again, which says nothing
    // of the check, so the package's failure stands (go fails every run).
    fs::write(
        root.join("p/p_test.go"),
        "package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\t\"testing\"\n)\n\n\
         func TestMain(m *testing.M) {\n\tcode := m.Run()\n\tif code == 0 {\n\t\tfmt.Println(\"leak check: 1 goroutine leaked\")\n\t\tcode = 1\n\t}\n\tos.Exit(code)\n}\n\n\
         func TestFlaky(t *testing.T) {\n\tb, _ := os.ReadFile(\"runs\")\n\tos.WriteFile(\"runs\", append(b, 'x'), 0o644)\n\tif len(strings.TrimSpace(string(b)))%2 == 0 {\n\t\tt.Fatal(\"odd run\")\n\t}\n}\n",
    )
    .unwrap();
    let out = pitcrew_test();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    assert_eq!(
        outcome_of(&merged, "example.com/gl/p"),
        ["failed"],
        "{merged:#}"
    );
}

/// node fails a run for a rejection after a test ended though every test
/// passed, and says so only in a diagnostic: it is a failed case of the
/// file (`unhandled error`), not retried, so a flaky test's retry does not
/// hide it.
#[test]
fn node_an_unhandled_rejection_after_a_test_fails_the_run() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "test/a.test.mjs",
            "import { test } from 'node:test';\n\
test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
test('leaks', () => { setTimeout(() => Promise.reject(new Error('UNHANDLED in the background')), 10); });\n",
        )],
    );
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(outcome_of(&merged, "flaky"), ["flaky"], "{merged:#}");
    assert_eq!(outcome_of(&merged, "leaks"), ["passed"], "{merged:#}");
    let unhandled = tests(&merged)
        .into_iter()
        .filter(|t| t.1 == "unhandled error")
        .map(|t| t.2)
        .collect::<Vec<_>>();
    assert_eq!(unhandled, ["failed"], "{merged:#}");
    let report = fs::read_to_string(dir.path().join("pitcrew-report.md")).unwrap();
    assert!(report.contains("UNHANDLED in the background"), "{report}");
    // Node's other words, for a rejection no test owns (module scope): "A
    // resource generated asynchronous activity after the test ended".
    fs::write(
        dir.path().join("test/a.test.mjs"),
        "import { test } from 'node:test';\n\
test('flaky', () => { if (process.env.PITCREW_ATTEMPT === '1') throw new Error('first'); });\n\
test('ok', () => {});\n\
setTimeout(() => Promise.reject(new Error('UNHANDLED from module scope')), 200);\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        outcome_of(&merged, "unhandled error"),
        ["failed"],
        "{merged:#}"
    );
    // A test's own diagnostic that reads like an error fails nothing, as
    // under node.
    fs::write(
        dir.path().join("test/a.test.mjs"),
        "import { test } from 'node:test';\n\
test('says', (t) => { t.diagnostic('Error: retry budget exhausted (expected here)'); });\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &["--retries", "1", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(tests(&merged).len(), 1, "{merged:#}");
}

/// Node >= 22's own error diagnostics (a coverage threshold not met under
/// `--test-coverage-lines`) fail the run beside any failed test: the
/// reporter makes them a `verdict`, which fails the first attempt. Node 20
/// has no such option, so the reporter is fed node's events directly.
#[test]
fn node_reporter_a_run_error_of_nodes_own_is_a_verdict() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Under the names pitcrew writes them with: the reporter imports the
    // tree from beside it.
    let runners = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/suite/runners");
    let reporter = dir.path().join("pitcrew-node-reporter.mjs");
    fs::copy(runners.join("node_reporter.mjs"), &reporter).unwrap();
    fs::copy(
        runners.join("node_tree.cjs"),
        dir.path().join("pitcrew-node-tree.cjs"),
    )
    .unwrap();
    let script = format!(
        "import reporter from {:?};\n\
const events = [\n\
  {{ type: 'test:diagnostic', data: {{ nesting: 0, level: 'error', message: 'Error: 50.00% line coverage does not meet threshold of 80%.' }} }},\n\
  {{ type: 'test:diagnostic', data: {{ nesting: 0, level: 'info', message: 'Error: a test said this' }} }},\n\
  {{ type: 'test:diagnostic', data: {{ nesting: 0, message: 'tests 1' }} }},\n\
];\n\
async function* source() {{ yield* events; }}\n\
for await (const line of reporter(source())) process.stdout.write(line);\n",
        format!("file://{}", reporter.display())
    );
    fs::write(dir.path().join("feed.mjs"), script).unwrap();
    let out = Command::new("node")
        .arg("feed.mjs")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"event":"verdict","message":"Error: 50.00% line coverage does not meet threshold of 80%."}"#
        ],
        "{}",
        text(&out)
    );
}

/// go before 1.24 prints compile errors on stderr only: the package's
/// failure carries them, not just `[build failed]`.
#[test]
fn go_a_compile_error_is_shown_in_the_packages_failure() {
    if !has_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("go.mod", "module example.com/broken\n\ngo 1.18\n"),
            (
                "a/a_test.go",
                "package a\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) { missingHelper() }\n",
            ),
        ],
    );
    let out = common::cli::command(root)
        .env("GOCACHE", root.join(".gocache"))
        .args(["test", "--shards", "1", "--retries", "1", "--no-triage"])
        .args(["--", "go", "test", "./..."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    // Not retried (a retry named no package go knows: a problem of its own).
    assert!(
        merged["problems"].as_array().unwrap().is_empty(),
        "{merged:#}"
    );
    let failure = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["outcome"] == "failed")
        .unwrap_or_else(|| panic!("{merged:#}"))["failure"]
        .clone();
    let details = failure["details"].as_str().unwrap_or_default();
    assert!(
        details.contains("a_test.go:5") && details.contains("missingHelper"),
        "{failure:#}"
    );
    // The one line the report shows names the error too.
    let message = failure["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("build failed: ") && message.contains("a_test.go:5"),
        "{failure:#}"
    );
}

/// A Rust crate that does not compile: the listing could not build the
/// tests, and pitcrew exited 2 as if its input were wrong, with nothing for
/// the report or triage. The suite runs in one shard, the failed build is a
/// failed test with rustc's error and where it is, triage reads it as a
/// compile error, and the run exits 1.
#[test]
fn nextest_a_compile_error_is_a_failed_build_with_rustcs_words() {
    if !has_nextest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("Cargo.toml", CRATE_MANIFEST),
            (
                "src/lib.rs",
                "pub fn answer() -> u32 {\n    \"42\"\n}\n\n#[test]\nfn it_answers() {\n    assert_eq!(answer(), 42);\n}\n",
            ),
        ],
    );
    let out = common::cli::command(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        // As Rust workflows set it: cargo's errors in colour.
        .env("CARGO_TERM_COLOR", "always")
        .args(["test", "--retries", "1", "--", "cargo", "nextest", "run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let merged = merged_results(root);
    let failed: Vec<&Value> = merged["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["outcome"] == "failed")
        .collect();
    // One failure for the crate, not retried (the tree fails to build
    // again), and nothing else gone wrong.
    assert_eq!(failed.len(), 1, "{merged:#}");
    assert!(
        merged["problems"].as_array().unwrap().is_empty(),
        "{merged:#}"
    );
    for build in &failed {
        assert_eq!(build["key"]["name"], "build", "{build:#}");
        assert_eq!(build["key"]["classname"], "broken", "{build:#}");
        assert_eq!(build["attempts"], 1, "{build:#}");
        let failure = &build["failure"];
        let message = failure["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("error[E0308]") && message.contains("src/lib.rs:2"),
            "{failure:#}"
        );
        let details = failure["details"].as_str().unwrap_or_default();
        assert!(details.contains("expected `u32`"), "{failure:#}");
    }
    // Triage leads with it as a compile error.
    let report = fs::read_to_string(root.join("pitcrew-report.md")).unwrap();
    assert!(report.contains("compile"), "{report}");
    // In CI's flow: split plans the one job, whose run reports the build.
    let cargo = |args: &[&str]| {
        common::cli::command(root)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .args(args)
            .output()
            .unwrap()
    };
    let split = cargo(&["split", "-o", "plan.json", "--", "cargo", "nextest", "run"]);
    assert_eq!(split.status.code(), Some(0), "{}", text(&split));
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(root.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["discovered"], true, "{plan:#}");
    assert_eq!(plan["shards"].as_array().map(Vec::len), Some(1), "{plan:#}");
    let run = cargo(&[
        "run",
        "--shard",
        "1/1",
        "--plan",
        "plan.json",
        "-o",
        "shard.json",
        "--",
        "cargo",
        "nextest",
        "run",
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let shard = fs::read_to_string(root.join("shard.json")).unwrap();
    assert!(shard.contains("error[E0308]"), "{shard}");
    // cargo's other errors (exit 101 too) are no build of the tests: a
    // mistyped package is one line and exit 2, as before.
    let typo = cargo(&["test", "--", "cargo", "nextest", "run", "-p", "nope"]);
    assert_eq!(typo.status.code(), Some(2), "{}", text(&typo));
    assert!(text(&typo).contains("nope"), "{}", text(&typo));
}

/// nextest writes the JUnit report a user's profile asks for under
/// `target/nextest/<profile>/`; pitcrew's own profile writes elsewhere, so
/// pitcrew writes the merged tests there (every shard's, retries folded).
#[test]
fn nextest_the_users_profile_junit_gets_the_whole_run() {
    if !has_nextest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("Cargo.toml", CRATE_MANIFEST),
            (
                "src/lib.rs",
                "#[test]\nfn ok() {}\n#[test]\nfn fails() { panic!(\"no\") }\n",
            ),
            ("tests/it.rs", "#[test]\nfn it_ok() {}\n"),
            (
                ".config/nextest.toml",
                "[profile.ci.junit]\npath = \"junit.xml\"\n",
            ),
        ],
    );
    // Elsewhere: nextest's store stays under the workspace root.
    let target = dir.path().join("elsewhere");
    let out = common::cli::command(root)
        .env("CARGO_TARGET_DIR", &target)
        .args(["test", "--shards", "2", "--retries", "1", "--"])
        .args(["cargo", "nextest", "run", "--profile", "ci"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let junit = root.join("target/nextest/ci/junit.xml");
    let xml = fs::read_to_string(&junit).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    for name in ["name=\"ok\"", "name=\"fails\"", "name=\"it_ok\""] {
        assert_eq!(xml.matches(name).count(), 1, "{name}: {xml}");
    }
    assert!(xml.contains("<failure"), "{xml}");
}

/// A shard result, as `pitcrew run` writes it.
fn shard_result(plan: &str, shard: u64, total: Value, outcome: &str) -> Value {
    json!({
        "format": "pitcrew-shard-result/1",
        "plan_sha256": plan,
        "shard": shard,
        "total": total,
        "runner": "node",
        "items": [{"id": format!("t{shard}.test.mjs"), "tests": 1, "duration_seconds": 0.1}],
        "tests": [{
            "key": {"file": format!("t{shard}.test.mjs"), "classname": "", "name": "t"},
            "outcome": outcome,
            "attempts": 1,
            "duration_seconds": 0.1,
            "failure": null
        }],
        "counts": {"cases": 1, "failures": u64::from(outcome == "failed"), "errors": 0, "skipped": 0},
        "error": null,
        "duration_seconds": 0.2
    })
}

fn report(dir: &Path, files: &[&str]) -> (Output, Value) {
    let mut args = vec!["report", "--format", "json", "--no-classify"];
    args.extend_from_slice(files);
    let out = pitcrew(&args, dir);
    let merged =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", text(&out)));
    (out, merged)
}

#[test]
fn report_a_conflicting_duplicate_shard_fails_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "a".repeat(64);
    let write = |name: &str, value: Value| fs::write(dir.path().join(name), value.to_string());
    write("s1.json", shard_result(&plan, 1, json!(2), "passed")).unwrap();
    write("s2.json", shard_result(&plan, 2, json!(2), "passed")).unwrap();
    write("s2-again.json", shard_result(&plan, 2, json!(2), "passed")).unwrap();
    write("s2-failed.json", shard_result(&plan, 2, json!(2), "failed")).unwrap();

    // The same result twice folds.
    let (out, merged) = report(dir.path(), &["s1.json", "s2.json", "s2-again.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(merged["summary"]["tests"], 2);

    // A second, different result for shard 2 is never dropped silently,
    // in either order.
    for files in [
        ["s1.json", "s2.json", "s2-failed.json"],
        ["s1.json", "s2-failed.json", "s2.json"],
    ] {
        let (out, merged) = report(dir.path(), &files);
        assert_eq!(out.status.code(), Some(1), "{files:?}: {}", text(&out));
        let problems = merged["problems"].to_string();
        assert!(
            problems.contains("shard 2/2") && problems.contains("different results"),
            "{problems}"
        );
        assert!(problems.contains("s2-failed.json"), "{problems}");
        // And the failing copy's tests are the ones listed, whatever the
        // order: its failure is named, never hidden behind the pass.
        assert_eq!(merged["summary"]["failed"], 1, "{files:?}: {merged:#}");
    }

    // Two copies that each fail another test (as many failures each):
    // both failures are listed, in either order.
    let two = |failing: &str| {
        let mut result = shard_result(&plan, 2, json!(2), "passed");
        let test = result["tests"][0].clone();
        let tests = ["x", "y"].map(|name| {
            let mut test = test.clone();
            test["key"]["name"] = json!(name);
            if name == failing {
                test["outcome"] = json!("failed");
            }
            test
        });
        result["tests"] = json!(tests);
        result
    };
    write("s2-x.json", two("x")).unwrap();
    write("s2-y.json", two("y")).unwrap();
    for files in [
        ["s1.json", "s2-x.json", "s2-y.json"],
        ["s1.json", "s2-y.json", "s2-x.json"],
    ] {
        let (out, merged) = report(dir.path(), &files);
        assert_eq!(out.status.code(), Some(1), "{files:?}: {}", text(&out));
        assert_eq!(merged["summary"]["failed"], 2, "{files:?}: {merged:#}");
    }
}

#[test]
fn report_bounds_counts_and_lets_no_file_pick_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "a".repeat(64);
    let other = "b".repeat(64);
    let write = |name: &str, value: Value| fs::write(dir.path().join(name), value.to_string());
    write(
        "huge.json",
        shard_result(&plan, 1, json!(1_000_000_000_000u64), "passed"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (out, merged) = report(dir.path(), &["huge.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let problems = merged["problems"].to_string();
    assert!(
        problems.contains("huge.json") && problems.contains("total"),
        "{problems}"
    );
    assert!(started.elapsed().as_secs() < 60, "bounded, not iterated");

    // Two plans without --plan: a problem naming both, whichever comes first.
    write("p1.json", shard_result(&plan, 1, json!(1), "passed")).unwrap();
    write("p2.json", shard_result(&other, 1, json!(1), "failed")).unwrap();
    for files in [["p1.json", "p2.json"], ["p2.json", "p1.json"]] {
        let (out, merged) = report(dir.path(), &files);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let problems = merged["problems"].to_string();
        assert!(
            problems.contains("2 different plans")
                && problems.contains("p1.json")
                && problems.contains("p2.json"),
            "{files:?}: {problems}"
        );
    }
}

/// Tests declared by a helper module that the test files call: node reports
/// them with the helper's file, yet they belong to the file that ran them;
/// and what is counted is what node's JUnit counts.
#[test]
fn node_tests_declared_in_a_helper_belong_to_the_test_file() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let test_dir = dir.path().join("test");
    fs::create_dir(&test_dir).unwrap();
    fs::write(
        test_dir.join("helper.js"),
        "const { describe, test } = require('node:test');\n\
         module.exports = function run() {\n\
         describe('required', () => { test('a', () => {}); test('b', () => {}); });\n\
         };\n",
    )
    .unwrap();
    // A test with subtests is a test, as node's summary counts it (its
    // JUnit writes it as a suite of its subtests).
    fs::write(
        test_dir.join("x.test.js"),
        "require('./helper.js')();\n\
         require('node:test')('parent', async (t) => { await t.test('child', () => {}); });\n",
    )
    .unwrap();
    fs::write(test_dir.join("y.test.js"), "require('./helper.js')();\n").unwrap();

    // Node's own count (`# tests 7`): every test, and one for the helper,
    // which it runs as a test file that declares no tests.
    let node = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(node.status.code(), Some(0), "node itself passes");
    let node_cases: u64 = String::from_utf8_lossy(&node.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("# tests "))
        .and_then(|n| n.trim().parse().ok())
        .expect("node's summary");
    assert_eq!(node_cases, 7);

    let (out, merged) = local_test(dir.path(), &["--retries", "0", "--", "node", "--test"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        summary(&merged),
        (node_cases, node_cases, 0, 0),
        "{}",
        merged["tests"]
    );
    let mut ids: Vec<String> = merged["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            let k = &t["key"];
            let file = k["file"].as_str().unwrap_or("");
            let class = k["classname"].as_str().unwrap_or("");
            let name = k["name"].as_str().unwrap_or("");
            [file, class, name]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" > ")
        })
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "test/helper.js > test/helper.js",
            "test/x.test.js > parent",
            "test/x.test.js > parent > child",
            "test/x.test.js > required > a",
            "test/x.test.js > required > b",
            "test/y.test.js > required > a",
            "test/y.test.js > required > b",
        ],
        "{}",
        merged["tests"]
    );
}

/// The same with files run in parallel: a file that finished while an
/// earlier one still ran has its events reported from node's buffer, after
/// its own `test:complete`; two such files in a row stay apart.
#[test]
fn node_helper_declared_tests_stay_with_their_file_when_files_run_in_parallel() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let test_dir = dir.path().join("test");
    fs::create_dir(&test_dir).unwrap();
    fs::write(
        test_dir.join("helper.js"),
        "const { describe, test } = require('node:test');\n\
         module.exports = function run(ms) {\n\
         describe('required', () => {\n\
         test('a', async () => { await new Promise((r) => setTimeout(r, ms)); });\n\
         test('b', () => {});\n\
         });\n\
         };\n",
    )
    .unwrap();
    // x runs long enough that y and z (usually) finish before it reports.
    fs::write(
        test_dir.join("x.test.js"),
        "require('./helper.js')(2000);\n",
    )
    .unwrap();
    fs::write(test_dir.join("y.test.js"), "require('./helper.js')(0);\n").unwrap();
    fs::write(test_dir.join("z.test.js"), "require('./helper.js')(0);\n").unwrap();

    let (out, merged) = local_test(
        dir.path(),
        &[
            "--retries",
            "0",
            "--",
            "node",
            "--test",
            "--test-concurrency=4",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (7, 7, 0, 0), "{}", merged["tests"]);
    let mut per_file: Vec<(String, String)> = merged["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            let k = &t["key"];
            let file = k["file"].as_str().unwrap_or("").to_owned();
            (file, k["name"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    per_file.sort();
    let expected: Vec<(String, String)> = [
        ("test/helper.js", "test/helper.js"),
        ("test/x.test.js", "a"),
        ("test/x.test.js", "b"),
        ("test/y.test.js", "a"),
        ("test/y.test.js", "b"),
        ("test/z.test.js", "a"),
        ("test/z.test.js", "b"),
    ]
    .iter()
    .map(|(f, n)| ((*f).to_owned(), (*n).to_owned()))
    .collect();
    assert_eq!(per_file, expected, "{}", merged["tests"]);
}

/// Tests in the timing history that no longer exist (a file deleted, a
/// test renamed) are a warning that counts them, once: never a failure,
/// never dropped without a word.
#[test]
fn tests_deleted_since_the_history_are_a_warning_not_a_failure() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    pytest_project(
        dir.path(),
        &[
            (
                "tests/test_keep.py",
                "def test_a(): pass\ndef test_b(): pass\n",
            ),
            (
                "tests/test_gone.py",
                "def test_x(): pass\ndef test_y(): pass\n",
            ),
        ],
    );
    let cmd = ["--retries", "0", "--", "python3", "-m", "pytest"];
    let (out, _) = local_test(dir.path(), &cmd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("no longer exist"), "{}", text(&out));

    fs::remove_file(dir.path().join("tests/test_gone.py")).unwrap();
    fs::write(
        dir.path().join("tests/test_keep.py"),
        "def test_a(): pass\ndef test_b_renamed(): pass\n",
    )
    .unwrap();
    let (out, merged) = local_test(dir.path(), &cmd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(summary(&merged), (2, 2, 0, 0), "{}", merged["tests"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 tests in the timing history no longer exist")
            && stderr.contains("tests/test_gone.py"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 test in the timing history no longer exist")
            && stderr.contains("tests/test_keep.py"),
        "{stderr}"
    );

    // Said once: the history has forgotten them.
    let (out, _) = local_test(dir.path(), &cmd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("no longer exist"), "{}", text(&out));
}
