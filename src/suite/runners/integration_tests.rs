//! End-to-end checks against the real runners installed on this machine.
//! Each test prints why and returns early when its runner is absent.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::test_support::argv;
use super::{Invocation, JunitSource, Selection, TestRef, by_name};
use crate::suite::junit::Outcome;

/// Whether the runner is installed. CI sets `PITCREW_REQUIRE_RUNNERS` to
/// the programs it installs, so a missing one fails there instead of
/// quietly skipping its tests.
fn available(program: &str, args: &[&str]) -> bool {
    let found = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let name = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .unwrap_or(&program);
    assert!(
        found || !(required(name) || required(program)),
        "{program} {args:?} is required (PITCREW_REQUIRE_RUNNERS) but not available"
    );
    found
}

/// Whether CI listed `name` in `PITCREW_REQUIRE_RUNNERS`.
fn required(name: &str) -> bool {
    std::env::var("PITCREW_REQUIRE_RUNNERS")
        .unwrap_or_default()
        .split(',')
        .any(|r| r == name)
}

fn run_in(invocation: &Invocation, dir: &Path) -> Output {
    invocation
        .command()
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot start {invocation:?}: {e}"))
}

/// The report as JUnit-like text: a JUnit file as written, or our
/// reporters' events rendered the same way (attributes unescaped), so one
/// set of assertions reads both.
fn report(invocation: &Invocation, output: &Output) -> String {
    let path = match &invocation.junit {
        JunitSource::File(path) | JunitSource::Events(path) => path,
        JunitSource::ConvertGoJson => panic!("expected a report file"),
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "no report at {} ({e})\nstdout:\n{}\nstderr:\n{}",
            path.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    if matches!(invocation.junit, JunitSource::File(_)) {
        return text;
    }
    let cases = super::events::parse(text.as_bytes()).cases;
    let failures = cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .count();
    let mut xml = format!(
        "<testsuite tests=\"{}\" failures=\"{failures}\">\n",
        cases.len()
    );
    for case in cases {
        let inner = match case.outcome {
            Outcome::Passed => "",
            Outcome::Skipped => "<skipped/>",
            Outcome::Failed => "<failure/>",
            Outcome::Errored => "<error/>",
        };
        xml.push_str(&format!(
            "<testcase classname=\"{}\" name=\"{}\" file=\"{}\">{inner}</testcase>\n",
            case.classname,
            case.name,
            case.file.unwrap_or_default()
        ));
    }
    xml
}

/// Whether the report has no testcase `name`, or only a skipped one.
#[cfg(unix)]
fn not_run(xml: &str, name: &str) -> bool {
    let needle = format!(r#"name="{name}""#);
    xml.match_indices(&needle).all(|(at, _)| {
        let rest = &xml[at..];
        let end = rest.find("</testcase>").unwrap_or(rest.len());
        rest[..end].contains("<skipped")
    })
}

#[test]
fn node_test_runner_end_to_end() {
    if !available("node", &["--version"]) {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("passing.test.mjs"),
        "import { test } from 'node:test';\n\
         test('adds up (1 + 1) [ok]', () => {});\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("failing case.test.mjs"),
        "import { test, describe, it } from 'node:test';\n\
         import assert from 'node:assert';\n\
         test('keeps \"quotes\" | and $ymbols ü', () => { assert.equal(1, 2); });\n\
         test('stays green', () => {});\n\
         describe('suite', () => { it('nested fails', () => { throw new Error('boom'); }); });\n",
    )
    .unwrap();
    let node = by_name("node").unwrap();
    let base = argv(&["node", "--test"]);
    let files = argv(&["passing.test.mjs", "failing case.test.mjs"]);
    let junit = dir.path().join("reports/node.xml");

    let invocation = node
        .invocation(&base, &Selection::Files(&files), &junit)
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert!(!output.status.success(), "a test fails, so node must fail");
    let found = node_cases(&invocation, &output);
    for name in ["adds up (1 + 1) [ok]", "stays green", "nested fails"] {
        assert!(
            found.iter().any(|c| c.2 == name),
            "{name} missing: {found:?}"
        );
    }
    assert!(
        found.contains(&(
            "failing case.test.mjs".into(),
            "suite".into(),
            "nested fails".into(),
            Outcome::Failed
        )),
        "file and describe path kept: {found:?}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("stays green"),
        "the spec reporter writes to stdout"
    );

    // Re-run only the failures, named as our reporter names them.
    let failed = [
        TestRef {
            file: Some("failing case.test.mjs".into()),
            classname: String::new(),
            name: "keeps \"quotes\" | and $ymbols ü".into(),
        },
        TestRef {
            file: Some("failing case.test.mjs".into()),
            classname: "suite".into(),
            name: "nested fails".into(),
        },
    ];
    let rerun_junit = dir.path().join("reports/rerun.xml");
    let rerun = node.rerun(&base, &failed, &rerun_junit).unwrap().unwrap();
    let output = run_in(&rerun, dir.path());
    assert!(!output.status.success());
    let found = node_cases(&rerun, &output);
    let outcome = |name: &str| {
        found
            .iter()
            .filter(|c| c.2 == name)
            .map(|c| c.3)
            .collect::<Vec<_>>()
    };
    assert_eq!(outcome("nested fails"), [Outcome::Failed], "{found:?}");
    assert_eq!(
        outcome("keeps \"quotes\" | and $ymbols ü"),
        [Outcome::Failed],
        "the test with quotes in its name ran and failed: {found:?}"
    );
    // Node 20 lists tests the pattern excludes as skipped; later versions omit them.
    assert!(
        outcome("stays green")
            .iter()
            .all(|o| *o == Outcome::Skipped),
        "only failures re-run: {found:?}"
    );
    assert!(
        outcome("adds up (1 + 1) [ok]").is_empty(),
        "only failing files re-run: {found:?}"
    );
}

/// (file, describe path, name, outcome) of every case in node's events.
fn node_cases(invocation: &Invocation, output: &Output) -> Vec<(String, String, String, Outcome)> {
    let JunitSource::Events(path) = &invocation.junit else {
        panic!("expected an events file");
    };
    let events = super::events::read(path).unwrap_or_else(|e| {
        panic!(
            "no events at {} ({e})\nstdout:\n{}\nstderr:\n{}",
            path.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    events
        .cases
        .into_iter()
        .map(|c| (c.file.unwrap_or_default(), c.classname, c.name, c.outcome))
        .collect()
}

#[test]
fn pytest_end_to_end() {
    if !available("python3", &["-m", "pytest", "--version"]) {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("tests/test_pass.py"),
        "def test_ok():\n    pass\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tests/test_fail.py"),
        "import pytest\n\n\
         class TestThing:\n    def test_broken(self):\n        assert 1 == 2, 'boom <&>'\n\n    def test_fine(self):\n        pass\n\n\
         @pytest.mark.parametrize('x', ['a b', '[x]', 'ü::y'])\n\
         def test_param(x):\n    assert x == 'a b'\n",
    )
    .unwrap();
    let pytest = by_name("pytest").unwrap();
    let base = argv(&["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"]);
    let files = argv(&["tests/test_pass.py", "tests/test_fail.py"]);
    let junit = dir.path().join("out/pytest.xml");

    let invocation = pytest
        .invocation(&base, &Selection::Files(&files), &junit)
        .unwrap();
    let started = std::time::Instant::now();
    let output = run_in(&invocation, dir.path());
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(
        output.status.code(),
        Some(1),
        "pytest reports test failures"
    );
    // How long collecting and running the files took: within the process's
    // wall time, which also holds pytest's own start (the start-up bound).
    let JunitSource::Events(events) = &invocation.junit else {
        panic!("pytest reports through our events");
    };
    let files_running = super::events::read(events)
        .unwrap()
        .files_running
        .expect("the reporter says how long the files ran");
    assert!(
        files_running > 0.0 && files_running < wall,
        "{files_running} s of {wall} s"
    );
    let xml = report(&invocation, &output);
    for expected in [
        r#"classname="tests.test_pass" name="test_ok" file="tests/test_pass.py""#,
        r#"classname="tests.test_fail.TestThing" name="test_broken" file="tests/test_fail.py""#,
        r#"name="test_param[[x]]""#,
        r#"name="test_param[\xfc::y]""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }

    // Re-run the failures by node id, as read back from that report.
    let failed = [
        TestRef {
            file: Some("tests/test_fail.py".into()),
            classname: "tests.test_fail.TestThing".into(),
            name: "test_broken".into(),
        },
        TestRef {
            file: Some("tests/test_fail.py".into()),
            classname: "tests.test_fail".into(),
            name: "test_param[[x]]".into(),
        },
        TestRef {
            file: Some("tests/test_fail.py".into()),
            classname: "tests.test_fail".into(),
            // pytest writes non-ASCII parameter ids escaped, as in the report.
            name: r"test_param[\xfc::y]".into(),
        },
    ];
    let rerun_junit = dir.path().join("out/rerun.xml");
    let rerun = pytest.rerun(&base, &failed, &rerun_junit).unwrap().unwrap();
    let output = run_in(&rerun, dir.path());
    assert_eq!(output.status.code(), Some(1));
    let xml = report(&rerun, &output);
    assert!(
        xml.contains(r#"tests="3""#),
        "exactly the three failures:\n{xml}"
    );
    assert!(
        !xml.contains("test_fine") && !xml.contains("test_ok"),
        "{xml}"
    );
}

#[test]
fn pytest_leaves_out_exactly_the_listed_tests() {
    if !available("python3", &["-m", "pytest", "--version"]) {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("tests/test_slow.py"),
        "import pytest\n\n\
         def test_x():\n    pass\n\n\
         def test_x2():\n    pass\n\n\
         class TestK:\n    def test_x(self):\n        pass\n\n\
         @pytest.mark.parametrize('p', [1, 2])\n\
         def test_p(p):\n    pass\n",
    )
    .unwrap();
    let pytest = by_name("pytest").unwrap();
    let base = argv(&["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"]);
    let left_out = [
        TestRef {
            file: Some("tests/test_slow.py".into()),
            classname: "tests.test_slow".into(),
            name: "test_x".into(),
        },
        TestRef {
            file: Some("tests/test_slow.py".into()),
            classname: "tests.test_slow".into(),
            name: "test_p[1]".into(),
        },
    ];
    let junit = dir.path().join("out/rest.xml");
    let invocation = pytest
        .invocation(
            &base,
            &Selection::FileExcept {
                file: "tests/test_slow.py",
                tests: &left_out,
            },
            &junit,
        )
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let xml = report(&invocation, &output);
    // pytest's own --deselect would also have dropped test_x2 (a prefix match).
    for expected in [
        r#"classname="tests.test_slow" name="test_x2""#,
        r#"classname="tests.test_slow.TestK" name="test_x""#,
        r#"name="test_p[2]""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }
    assert!(
        !xml.contains(r#"classname="tests.test_slow" name="test_x""#) && !xml.contains("test_p[1]"),
        "{xml}"
    );
    assert!(xml.contains(r#"tests="3""#), "{xml}");
}

/// Under a collector whose name holds a dot (mypy's data-driven
/// `check-x.test` items, a conftest's `cases.v1`) the node id pitcrew
/// rebuilds reads the dot as two classes, which pytest does not find: such
/// tests are left out, and retried, by pitcrew's spelling of them.
#[test]
fn pytest_selects_tests_under_a_collector_with_a_dot_in_its_name() {
    if !available("python3", &["-m", "pytest", "--version"]) {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    std::fs::write(
        dir.path().join("conftest.py"),
        "import pytest\n\n\
         class Case(pytest.Item):\n    def runtest(self):\n        pass\n\n\
         class Cases(pytest.Collector):\n    def collect(self):\n        \
         return [Case.from_parent(self, name=n) for n in ('a', 'b', 'a2')]\n\n\
         class Data(pytest.File):\n    def collect(self):\n        \
         return [Cases.from_parent(self, name='cases.v1')]\n\n\
         def pytest_collect_file(parent, file_path):\n    \
         if file_path.suffix == '.yaml':\n        return Data.from_parent(parent, path=file_path)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("tests/test_data.yaml"), "").unwrap();
    let pytest = by_name("pytest").unwrap();
    let base = argv(&["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"]);
    let case = |name: &str| TestRef {
        file: Some("tests/test_data.yaml".into()),
        classname: "tests.test_data.yaml.cases.v1".into(),
        name: name.into(),
    };
    let names = |xml: &str| -> Vec<String> {
        ["a", "b", "a2"]
            .into_iter()
            .filter(|n| xml.contains(&format!(r#"name="{n}""#)))
            .map(str::to_owned)
            .collect()
    };
    let junit = dir.path().join("out/rest.xml");
    let left_out = [case("a")];
    let except = Selection::FileExcept {
        file: "tests/test_data.yaml",
        tests: &left_out,
    };
    let invocation = pytest.invocation(&base, &except, &junit).unwrap();
    let output = run_in(&invocation, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(names(&report(&invocation, &output)), ["b", "a2"]);
    let junit = dir.path().join("out/retry.xml");
    let retried = [case("a"), case("a2")];
    let invocation = pytest
        .invocation(&base, &Selection::Tests(&retried), &junit)
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(names(&report(&invocation, &output)), ["a", "a2"]);
}

#[test]
fn nextest_end_to_end() {
    if !available("cargo", &["nextest", "--version"]) {
        eprintln!("skipped: cargo-nextest is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join(".config")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/lib.rs"),
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn passes() {}\n    #[test]\n    fn fails() { panic!(\"boom\") }\n}\n",
    )
    .unwrap();
    // The user's own profile, with retries the generated one must inherit.
    std::fs::write(
        root.join(".config/nextest.toml"),
        "[profile.ci]\nretries = 1\n",
    )
    .unwrap();
    let nextest = by_name("nextest").unwrap();
    let base = argv(&["cargo", "nextest", "run", "--profile", "ci"]);
    let junit = root.join("out/nextest.xml");
    let invocation = nextest
        .invocation(&base, &Selection::Files(&argv(&["probe"])), &junit)
        .unwrap();
    let output = invocation
        .command()
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("NEXTEST_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let xml = report(&invocation, &output);
    assert!(xml.contains(r#"name="tests::passes""#), "{xml}");
    assert!(xml.contains(r#"name="tests::fails""#), "{xml}");
    assert!(
        xml.contains("rerunFailure"),
        "the ci profile's retries apply:\n{xml}"
    );

    let failed = [TestRef {
        file: None,
        classname: "probe".into(),
        name: "tests::fails".into(),
    }];
    let rerun_junit = root.join("out/rerun.xml");
    let rerun = nextest
        .rerun(&base, &failed, &rerun_junit)
        .unwrap()
        .unwrap();
    let output = rerun
        .command()
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let xml = report(&rerun, &output);
    assert!(xml.contains(r#"name="tests::fails""#), "{xml}");
    assert!(!xml.contains(r#"name="tests::passes""#), "{xml}");
}

/// The `node_modules` directory holding jest, vitest and
/// @playwright/test, from `PITCREW_JS_MODULES`; the JavaScript end-to-end
/// tests are skipped without it (they need packages from the npm registry),
/// unless `PITCREW_REQUIRE_RUNNERS` names `tool`: then they fail.
#[cfg(unix)]
fn js_modules(tool: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("PITCREW_JS_MODULES").map(std::path::PathBuf::from);
    let found = dir
        .as_ref()
        .is_some_and(|dir| dir.join(".bin").join(tool).exists());
    assert!(
        found || !required(tool),
        "{tool} is required (PITCREW_REQUIRE_RUNNERS) but PITCREW_JS_MODULES ({dir:?}) has no .bin/{tool}"
    );
    if !found || !available("node", &["--version"]) {
        eprintln!("skipped: set PITCREW_JS_MODULES to a node_modules with {tool}");
        return None;
    }
    dir
}

/// A temporary project with `modules` linked in as its `node_modules`.
#[cfg(unix)]
fn js_project(modules: &Path, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(modules, dir.path().join("node_modules")).unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        "{\"name\":\"probe\",\"private\":true}\n",
    )
    .unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Re-runs the two failures of the jest/vitest project above: exactly
/// those two run (and fail again), the passing test beside them and the
/// other file do not.
#[cfg(unix)]
fn reruns_only_the_two_failures(
    runner: &dyn super::Runner,
    base: &[String],
    dir: &Path,
    file: &str,
) {
    let failed = [
        TestRef {
            file: Some(file.into()),
            classname: "math (basic)".into(),
            name: "adds 1 + 2 = 3?".into(),
        },
        TestRef {
            file: Some(file.into()),
            classname: String::new(),
            name: "top-level [x] $5 | z ü".into(),
        },
    ];
    let rerun = runner
        .rerun(base, &failed, &dir.join("out/rerun.xml"))
        .unwrap()
        .unwrap();
    let output = run_in(&rerun, dir);
    assert!(!output.status.success());
    let xml = report(&rerun, &output);
    assert!(xml.contains(r#"failures="2""#), "{xml}");
    assert!(!xml.contains("other passes"), "{xml}");
    assert!(not_run(&xml, "stays green"), "{xml}");
}

#[cfg(unix)]
#[test]
fn jest_end_to_end() {
    let Some(modules) = js_modules("jest") else {
        return;
    };
    let dir = js_project(
        &modules,
        &[
            (
                "src/math (basic).test.js",
                "describe('math (basic)', () => {\n\
                   test('adds 1 + 2 = 3?', () => { expect(1 + 2).toBe(4); });\n\
                   test('stays green', () => {});\n\
                 });\n\
                 test('top-level [x] $5 | z ü', () => { throw new Error('boom'); });\n",
            ),
            ("src/other.test.js", "test('other passes', () => {});\n"),
        ],
    );
    let jest = by_name("jest").unwrap();
    let base = argv(&["npx", "jest"]);
    let files = argv(&["src/math (basic).test.js", "src/other.test.js"]);
    let junit = dir.path().join("out/jest.xml");
    let invocation = jest
        .invocation(&base, &Selection::Files(&files), &junit)
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert!(!output.status.success());
    let xml = report(&invocation, &output);
    for expected in [
        r#"classname="math (basic)" name="adds 1 + 2 = 3?""#,
        r#"file="src/math (basic).test.js""#,
        r#"name="top-level [x] $5 | z ü""#,
        r#"name="other passes""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }
    reruns_only_the_two_failures(jest, &base, dir.path(), "src/math (basic).test.js");
}

#[cfg(unix)]
#[test]
fn vitest_end_to_end() {
    let Some(modules) = js_modules("vitest") else {
        return;
    };
    let dir = js_project(
        &modules,
        &[
            (
                "src/math (basic).test.mjs",
                "import { describe, test, expect } from 'vitest';\n\
                 describe('math (basic)', () => {\n\
                   test('adds 1 + 2 = 3?', () => { expect(1 + 2).toBe(4); });\n\
                   test('stays green', () => {});\n\
                 });\n\
                 test('top-level [x] $5 | z ü', () => { throw new Error('boom'); });\n",
            ),
            (
                "src/other.test.mjs",
                "import { test } from 'vitest';\ntest('other passes', () => {});\n",
            ),
        ],
    );
    let vitest = by_name("vitest").unwrap();
    let base = argv(&["npx", "vitest"]);
    let files = argv(&["src/math (basic).test.mjs", "src/other.test.mjs"]);
    let junit = dir.path().join("out/vitest.xml");
    let invocation = vitest
        .invocation(&base, &Selection::Files(&files), &junit)
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert!(!output.status.success());
    let xml = report(&invocation, &output);
    for expected in [
        r#"classname="math (basic)" name="adds 1 + 2 = 3?" file="src/math (basic).test.mjs""#,
        r#"name="top-level [x] $5 | z ü""#,
        r#"name="other passes""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }
    reruns_only_the_two_failures(vitest, &base, dir.path(), "src/math (basic).test.mjs");
}

#[cfg(unix)]
#[test]
fn playwright_end_to_end() {
    let Some(modules) = js_modules("playwright") else {
        return;
    };
    let dir = js_project(
        &modules,
        &[
            (
                "tests/login (x).spec.mjs",
                "import { test, expect } from '@playwright/test';\n\
                 test.describe('auth', () => {\n\
                   test('logs in (fast) [1]', () => { expect(1).toBe(2); });\n\
                   test('stays green', () => {});\n\
                 });\n\
                 test('top $ | ü', () => { throw new Error('boom'); });\n",
            ),
            (
                "tests/other.spec.mjs",
                "import { test } from '@playwright/test';\ntest('other passes', () => {});\n",
            ),
        ],
    );
    let playwright = by_name("playwright").unwrap();
    let base = argv(&["npx", "playwright", "test", "--workers=1"]);
    let files = argv(&["tests/login (x).spec.mjs", "tests/other.spec.mjs"]);
    let junit = dir.path().join("out/pw.xml");
    let invocation = playwright
        .invocation(&base, &Selection::Files(&files), &junit)
        .unwrap();
    let output = run_in(&invocation, dir.path());
    assert!(!output.status.success());
    let xml = report(&invocation, &output);
    for expected in [
        r#"name="auth › logs in (fast) [1]""#,
        r#"classname="tests/login (x).spec.mjs""#,
        r#"name="top $ | ü""#,
        r#"name="other passes""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }
    let failed = [
        TestRef {
            file: None,
            classname: "tests/login (x).spec.mjs".into(),
            name: "auth › logs in (fast) [1]".into(),
        },
        TestRef {
            file: None,
            classname: "tests/login (x).spec.mjs".into(),
            name: "top $ | ü".into(),
        },
    ];
    let rerun_junit = dir.path().join("out/rerun.xml");
    let rerun = playwright
        .rerun(&base, &failed, &rerun_junit)
        .unwrap()
        .unwrap();
    let output = run_in(&rerun, dir.path());
    assert!(!output.status.success());
    let xml = report(&rerun, &output);
    assert!(xml.contains(r#"tests="2""#), "{xml}");
    assert!(
        !xml.contains("stays green") && !xml.contains("other passes"),
        "{xml}"
    );
}

#[test]
fn go_end_to_end() {
    if !available("go", &["version"]) {
        eprintln!("skipped: go is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("go.mod"), "module example.com/probe\n\ngo 1.18\n").unwrap();
    std::fs::create_dir_all(root.join("calc")).unwrap();
    std::fs::write(
        root.join("calc/calc_test.go"),
        "package calc\n\nimport \"testing\"\n\n\
         func TestAdds(t *testing.T) {}\n\n\
         func TestBreaks(t *testing.T) { t.Fatal(\"boom <&>\") }\n\n\
         func TestTable(t *testing.T) {\n\
         \tt.Run(\"ok case\", func(t *testing.T) {})\n\
         \tt.Run(\"bad [x]\", func(t *testing.T) { t.Error(\"nope\") })\n\
         }\n",
    )
    .unwrap();
    let go = by_name("go").unwrap();
    let base = argv(&["go", "test"]);
    let junit = root.join("out/go.xml");
    // Go's caches stay inside the test's directory.
    let env = |cmd: &mut Command| {
        cmd.current_dir(root)
            .env("GOCACHE", root.join(".gocache"))
            .env("GOFLAGS", "-mod=mod")
            .env("GOTOOLCHAIN", "local")
            .stdin(Stdio::null());
    };
    let run = |invocation: &Invocation| {
        assert!(matches!(invocation.junit, JunitSource::ConvertGoJson));
        let mut cmd = invocation.command();
        env(&mut cmd);
        let output = cmd.output().unwrap();
        let mut xml = Vec::new();
        let passes = super::go_args::passes(&invocation.args, None);
        let stdout = std::io::Cursor::new(output.stdout.as_slice());
        super::go_json_to_junit(stdout, &mut xml, passes).unwrap_or_else(|e| {
            panic!("{e}\nstderr:\n{}", String::from_utf8_lossy(&output.stderr))
        });
        (output, String::from_utf8(xml).unwrap())
    };

    let invocation = go
        .invocation(&base, &Selection::Files(&argv(&["./calc"])), &junit)
        .unwrap();
    let (output, xml) = run(&invocation);
    assert!(
        !output.status.success(),
        "a test fails, so go test must fail"
    );
    for expected in [
        r#"classname="example.com/probe/calc" name="TestAdds""#,
        r#"name="TestBreaks""#,
        r#"name="TestTable/ok_case""#,
        r#"name="TestTable/bad_[x]""#,
    ] {
        assert!(xml.contains(expected), "{expected} missing from\n{xml}");
    }

    // Re-run the failures by name, as read back from that report.
    let failed = [
        TestRef {
            file: None,
            classname: "example.com/probe/calc".into(),
            name: "TestBreaks".into(),
        },
        TestRef {
            file: None,
            classname: "example.com/probe/calc".into(),
            name: "TestTable/bad_[x]".into(),
        },
    ];
    let rerun = go.rerun(&base, &failed, &junit).unwrap().unwrap();
    let (output, xml) = run(&rerun);
    assert!(!output.status.success());
    assert!(xml.contains(r#"name="TestTable/bad_[x]""#), "{xml}");
    assert!(xml.contains(r#"name="TestBreaks""#), "{xml}");
    assert!(
        !xml.contains("TestAdds") && !xml.contains("ok_case"),
        "only the failures re-run:\n{xml}"
    );
}
