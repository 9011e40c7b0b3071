//! Discovery as the runner sees it, and the timing loop closing, against
//! real runners (pytest, node --test). A runner named in
//! `PITCREW_REQUIRE_RUNNERS` must be installed: its tests fail, not skip.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::cli::{has_node, has_pytest, pitcrew};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)))
}

/// Asserts that `output` exited 0, showing both streams (and `what`) if not.
fn passes(output: &Output, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{what}\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// `pitcrew ARGS -- python3 -m pytest` in `root`.
fn on_pytest(args: &[&str], root: &Path) -> Output {
    let mut all = args.to_vec();
    all.push("--");
    all.extend(PYTEST);
    pitcrew(&all, root)
}

fn write(root: &Path, file: &str, content: &str) {
    let path = root.join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn items(plan: &Value) -> Vec<String> {
    let mut all: Vec<String> = plan["shards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap().clone())
        .map(|i| i.as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all
}

/// testpaths, python_files and `-m "not slow"` in addopts; a package folder
/// named `test_pkg/` with `__init__.py` and a helper; a `bench/` folder
/// with a test-like file outside testpaths; a conftest.
fn pytest_project(root: &Path) {
    write(
        root,
        "pytest.ini",
        "[pytest]\ntestpaths = tests\npython_files = check_*.py test_*.py\naddopts = -m \"not slow\" -p no:cacheprovider\nmarkers =\n    slow: slow tests\n",
    );
    write(root, "tests/__init__.py", "");
    write(root, "tests/conftest.py", "");
    write(root, "tests/test_pkg/__init__.py", "");
    write(
        root,
        "tests/test_pkg/helpers.py",
        "def helper():\n    return 1\n",
    );
    write(
        root,
        "tests/test_pkg/test_inside.py",
        "from .helpers import helper\n\ndef test_h():\n    assert helper() == 1\n",
    );
    write(root, "tests/check_alpha.py", "def test_a():\n    pass\n");
    write(
        root,
        "tests/test_only_slow.py",
        "import pytest\n\n@pytest.mark.slow\ndef test_s():\n    pass\n",
    );
    write(
        root,
        "tests/test_mixed.py",
        "import pytest\n\n@pytest.mark.slow\ndef test_s():\n    pass\n\ndef test_fast():\n    pass\n",
    );
    write(
        root,
        "bench/test_bench.py",
        "raise SystemExit('not a test suite')\n",
    );
}

const PYTEST: &[&str] = &["python3", "-m", "pytest"];

#[test]
fn pytest_plans_what_pytest_would_run_and_nothing_else() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    pytest_project(root);
    let plan = ok(&on_pytest(&["split", "--shards", "2"], root));
    assert_eq!(
        items(&plan),
        [
            "tests/check_alpha.py",
            "tests/test_mixed.py",
            "tests/test_pkg/test_inside.py"
        ],
        "{plan}"
    );

    // Globs only when asked; `*` stays in its folder and conftest.py or
    // __init__.py are never planned.
    let globbed = ok(&pitcrew(
        &[
            "split",
            "--runner",
            "pytest",
            "--tests",
            "tests/**/*.py",
            "--shards",
            "1",
        ],
        root,
    ));
    let globbed = items(&globbed);
    assert!(
        !globbed
            .iter()
            .any(|f| f.ends_with("__init__.py") || f.ends_with("conftest.py")),
        "{globbed:?}"
    );
    let defaults = ok(&pitcrew(
        &["split", "--runner", "pytest", "--tests", "--shards", "1"],
        root,
    ));
    assert!(
        !items(&defaults).contains(&"tests/test_pkg/helpers.py".to_owned()),
        "{defaults}"
    );

    // The whole flow: every collected test counted, no file reported as
    // "produced no test case" for its deselected tests.
    let run = on_pytest(&["test", "--shards", "2", "--jobs", "2"], root);
    passes(&run, "test");
    let results: Value =
        serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
            .unwrap();
    assert_eq!(results["summary"]["tests"], 3, "{results}");
    assert_eq!(results["summary"]["passed"], 3, "{results}");
    assert!(
        results["problems"].as_array().unwrap().is_empty(),
        "{results}"
    );
}

/// A shard runs its files in the runner's order, not the plan's id order:
/// state can pass from file to file (semver 3.0.2's doctests in `docs/`
/// read names a fixture of `tests/` sets, and its `testpaths` runs `tests`
/// first). Here `alpha/` needs what `zeta/` did, and pytest runs `zeta/`
/// first.
#[test]
fn a_shard_runs_its_files_in_the_runners_order() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "pytest.ini",
        "[pytest]\ntestpaths = zeta alpha\naddopts = -p no:cacheprovider -p no:randomly\n",
    );
    for file in ["zeta/test_z1.py", "zeta/test_z2.py"] {
        write(
            root,
            file,
            "import builtins\n\ndef test_sets():\n    builtins.ZETA_RAN = True\n",
        );
    }
    write(
        root,
        "alpha/test_a.py",
        "import builtins\n\ndef test_reads():\n    assert getattr(builtins, 'ZETA_RAN', False)\n",
    );
    let plan = ok(&on_pytest(&["split", "--shards", "1"], root));
    assert_eq!(
        plan["shards"][0]["items"],
        serde_json::json!(["zeta/test_z1.py", "zeta/test_z2.py", "alpha/test_a.py"]),
        "{plan}"
    );
    // The first run and the second, planned from the first's history.
    for run in 1..=2 {
        let out = on_pytest(&["test", "--shards", "1", "--retries", "0"], root);
        passes(&out, &format!("run {run}"));
        let plan: Value =
            serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/plan.json")).unwrap())
                .unwrap();
        let planned = &plan["shards"][0]["items"];
        assert!(
            planned.as_array().unwrap().is_empty()
                || *planned
                    == serde_json::json!(["zeta/test_z1.py", "zeta/test_z2.py", "alpha/test_a.py"]),
            "run {run}: {plan}"
        );
    }
}

/// The runner's order is the one it collects in, before a plugin reorders
/// it: a conftest reversing the items (as `pytest-reverse` does) runs
/// `b/` first here, and pitcrew, passing the files in the listing's
/// (already reversed) order, had pytest reverse them back (round 57: red
/// where pytest passes).
#[test]
fn a_shard_passes_its_files_in_the_order_pytest_collects_them() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "conftest.py",
        "def pytest_collection_modifyitems(items):\n    items.reverse()\n",
    );
    write(
        root,
        "pytest.ini",
        "[pytest]\naddopts = -p no:cacheprovider -p no:randomly\n",
    );
    write(
        root,
        "a/test_use.py",
        "import builtins\n\ndef test_use():\n    assert getattr(builtins, 'B_RAN', False)\n",
    );
    write(
        root,
        "b/test_set.py",
        "import builtins\n\ndef test_set():\n    builtins.B_RAN = True\n",
    );
    let mut direct = std::process::Command::new(PYTEST[0]);
    let direct = direct
        .args(&PYTEST[1..])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(direct.status.code(), Some(0), "{}", text(&direct.stdout));
    let out = on_pytest(&["test", "--shards", "1", "--retries", "0"], root);
    passes(&out, "test");
}

#[test]
fn a_collection_that_fails_is_one_line_and_exit_2() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    pytest_project(root);
    // A test module that cannot be imported is the suite's failure, not a
    // listing's: it is planned, to fail as a test when it runs.
    write(root, "tests/test_broken.py", "import no_such_module_here\n");
    let out = on_pytest(&["split"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("tests/test_broken.py"),
        "{}",
        text(&out.stdout)
    );
    // A folder's conftest that cannot be imported is no test module: the
    // listing fails, the broken module beside it or not.
    write(
        root,
        "tests/sub/conftest.py",
        "import no_such_module_here\n",
    );
    write(root, "tests/sub/test_s.py", "def test_s(): pass\n");
    let out = on_pytest(&["split"], root);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("no_such_module_here"),
        "{}",
        text(&out.stderr)
    );
    fs::remove_dir_all(root.join("tests/sub")).unwrap();
    // A conftest that cannot be imported stops pytest before any module.
    fs::remove_file(root.join("tests/test_broken.py")).unwrap();
    write(root, "tests/conftest.py", "import no_such_module_here\n");
    let out = on_pytest(&["split"], root);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("failed to list the tests") && stderr.contains("no_such_module_here"),
        "{stderr}"
    );

    let missing = pitcrew(&["split", "--", "pitcrew-no-such-pytest"], root);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
    let missing = pitcrew(
        &["split", "--runner", "jest", "--", "pitcrew-no-such-jest"],
        root,
    );
    assert_eq!(missing.status.code(), Some(2));
    let stderr = text(&missing.stderr);
    assert!(
        stderr.contains("cannot run `pitcrew-no-such-jest --listTests`"),
        "{stderr}"
    );
    let nothing = pitcrew(&["split"], root);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(text(&nothing.stderr).contains("give the test command"));
}

/// A node suite: `.mjs` files under `test/` (which `node --test` runs
/// whatever their names), one `*.test.mjs` at the top, and a helper.
fn node_project(root: &Path) {
    let test = |title: &str, ms: u32| {
        format!(
            "import test from 'node:test';\ntest('{title}', async () => {{ await new Promise((r) => setTimeout(r, {ms})); }});\n"
        )
    };
    write(root, "test/unit/alpha.mjs", &test("alpha", 300));
    write(root, "test/unit/beta.mjs", &test("beta", 10));
    write(root, "gamma.test.mjs", &test("gamma", 10));
    write(root, "helper.mjs", "export const x = 1;\n");
    write(root, "lib/index.js", "module.exports = 1;\n");
}

#[test]
fn node_plans_its_own_default_files_including_mjs_under_test() {
    if !has_node() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    node_project(root);
    let plan = ok(&pitcrew(
        &["split", "--shards", "2", "--", "node", "--test"],
        root,
    ));
    assert_eq!(
        items(&plan),
        [
            "gamma.test.mjs",
            "test/unit/alpha.mjs",
            "test/unit/beta.mjs"
        ],
        "{plan}"
    );
    let run = pitcrew(
        &[
            "test", "--shards", "2", "--jobs", "2", "--", "node", "--test",
        ],
        root,
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let results: Value =
        serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
            .unwrap();
    assert_eq!(results["summary"]["tests"], 3, "{results}");
}

/// Which files `node --test` runs depends on its version: Node 20 walks
/// folders (everything in a folder named `test` it walked through, the
/// one it started in included), later ones match globs from where they
/// run. Run from inside `test/`, and given `test/unit`, pitcrew runs what
/// the node on PATH runs, test for test and verdict for verdict: a failing
/// script not named as a test is run where node runs it (Node 20 from
/// `test/`; pitcrew once left it out and passed), and left out where node
/// leaves it out (given `test/unit`).
#[test]
fn node_runs_the_files_its_own_version_finds() {
    if !has_node() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "package.json", "{\"name\": \"n\"}\n");
    write(
        root,
        "test/unit/math.js",
        "const { test } = require('node:test');\nconst assert = require('node:assert');\ntest('a real failure', () => assert.strictEqual(1, 2));\n",
    );
    write(
        root,
        "test/unit/other.test.js",
        "const { test } = require('node:test');\ntest('ok', () => {});\n",
    );
    // Node 21 and later load a folder given as a module (and fail): a
    // glob says the same to them. pitcrew searches such a folder, with a
    // warning (below).
    let given: &[&str] = match common::cli::node_major() {
        ..=20 => &["--test", "test/unit"],
        _ => &["--test", "test/unit/*.test.js"],
    };
    for (folder, args) in [("test", &["--test"][..]), (".", given)] {
        let at = root.join(folder);
        let alone = std::process::Command::new("node")
            .args(args)
            .current_dir(&at)
            .output()
            .unwrap();
        let said = text(&alone.stdout);
        let count = |word: &str| -> u64 {
            said.lines()
                .find_map(|l| l.trim_start_matches(['ℹ', '#', ' ']).strip_prefix(word))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("node says no `{word}`:\n{said}"))
        };
        let mut command = vec!["test", "--retries", "0", "--", "node"];
        command.extend_from_slice(args);
        let run = pitcrew(&command, &at);
        assert_eq!(
            run.status.code(),
            alone.status.code(),
            "{folder} {args:?}: node said\n{said}\npitcrew said\n{}{}",
            text(&run.stdout),
            text(&run.stderr)
        );
        let results: Value =
            serde_json::from_str(&fs::read_to_string(at.join("pitcrew-results.json")).unwrap())
                .unwrap();
        assert_eq!(
            results["summary"]["tests"],
            count("tests "),
            "{folder} {args:?}: {said}"
        );
        assert_eq!(
            results["summary"]["failed"],
            count("fail "),
            "{folder} {args:?}: {said}"
        );
    }
    // Node 20 takes no globs and fails on a path that is not there: so
    // does pitcrew, in one line, before running anything.
    if common::cli::node_major() <= 20 {
        let run = pitcrew(
            &["test", "--", "node", "--test", "test/unit/*.test.js"],
            root,
        );
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("node 20 cannot find `test/unit/*.test.js` given to --test"),
            "{stderr}"
        );
    }
    // What node with no path would run there: both files (under `test/`).
    if common::cli::node_major() > 20 {
        let run = pitcrew(
            &[
                "test",
                "--retries",
                "0",
                "--",
                "node",
                "--test",
                "test/unit",
            ],
            root,
        );
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("does not search the folder test/unit given to --test"),
            "{stderr}"
        );
    }
}

#[test]
fn the_timing_loop_closes_from_a_first_run_with_no_history() {
    if !has_node() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    node_project(root);
    // First CI run: the history glob matches nothing.
    let first = pitcrew(
        &[
            "split",
            "--timings",
            "timings/*.json",
            "--shards",
            "2",
            "-o",
            "plan.json",
            "--",
            "node",
            "--test",
        ],
        root,
    );
    let plan = ok(&first);
    assert!(
        text(&first.stderr).contains("nothing matches timings/*.json yet"),
        "{}",
        text(&first.stderr)
    );
    assert_eq!(
        plan["shards"][0]["estimated_seconds"], 2.0,
        "no history: files equal"
    );
    for k in ["1", "2"] {
        let run = pitcrew(
            &[
                "run",
                "--shard",
                &format!("{k}/2"),
                "--plan",
                "plan.json",
                "-o",
                &format!("results/shard-{k}.json"),
                "--",
                "node",
                "--test",
            ],
            root,
        );
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    }
    let report = pitcrew(
        &[
            "report",
            "--plan",
            "plan.json",
            "--junit",
            "merged.xml",
            "--timings-out",
            "timings/pitcrew-timings.json",
            "results/shard-1.json",
            "results/shard-2.json",
        ],
        root,
    );
    assert_eq!(report.status.code(), Some(0), "{}", text(&report.stdout));
    // The summary line says both what the run took and the tests' own time.
    let summary = text(&report.stdout);
    assert!(
        summary.contains("3 tests: 3 passed")
            && summary.contains(" s wall (")
            && summary.contains(" s of test time)"),
        "{summary}"
    );

    // The merged JUnit reads back: split knows the 300 ms file is the long one.
    let from_junit = ok(&pitcrew(
        &[
            "split",
            "--timings",
            "merged.xml",
            "--shards",
            "2",
            "--",
            "node",
            "--test",
        ],
        root,
    ));
    let long = from_junit["shards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["items"] == serde_json::json!(["test/unit/alpha.mjs"]));
    assert!(
        long.is_some(),
        "the slow file alone in a shard: {from_junit}"
    );
    let junit = fs::read_to_string(root.join("merged.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 3, "{junit}");

    // The timing file: what files really cost, start-up included, so the
    // estimates exceed the time inside the tests, and the runner's
    // start-up is remembered.
    let history: Value = serde_json::from_str(
        &fs::read_to_string(root.join("timings/pitcrew-timings.json")).unwrap(),
    )
    .unwrap();
    // A file's cost leaves out the runner's start-up, charged once per
    // process (at most the least time outside tests per process until
    // runs with different process counts measure it).
    let alpha = history["files"]["test/unit/alpha.mjs"].as_f64().unwrap();
    let startup = history["startup"]["node"].as_f64().unwrap();
    assert!(startup > 0.0, "{history}");
    assert!(
        alpha + startup > 0.3,
        "wall time, not only the test's: {history}"
    );
    let second = ok(&pitcrew(
        &[
            "split",
            "--timings",
            "timings/*.json",
            "--shards",
            "2",
            "--",
            "node",
            "--test",
        ],
        root,
    ));
    let predicted: Vec<f64> = second["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["estimated_seconds"].as_f64().unwrap())
        .collect();
    assert!(predicted.iter().all(|s| *s > 0.0 && *s != 1.0), "{second}");

    // A shard result is timing history too.
    let from_results = pitcrew(
        &[
            "split",
            "--timings",
            "results/*.json",
            "--shards",
            "2",
            "--",
            "node",
            "--test",
        ],
        root,
    );
    ok(&from_results);
    // Anything else is named, exit 2.
    write(root, "bogus.json", "{\"x\": 1}");
    let bogus = pitcrew(
        &["split", "--timings", "bogus.json", "--", "node", "--test"],
        root,
    );
    assert_eq!(bogus.status.code(), Some(2));
    assert!(text(&bogus.stderr).contains("bogus.json"));
}
