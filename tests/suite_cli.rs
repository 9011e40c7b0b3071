//! `split`, `run`, `report` and `test` as users run them, against real
//! runners where this machine has them (node --test).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::cli::{has_node, has_pytest, pitcrew};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Both streams, for assertion messages.
fn text(output: &Output) -> String {
    stdout(output) + &stderr(output)
}

/// `plan.json`: the `*.test.sh` files in `dir` in two shards.
fn split_in_two(dir: &Path) {
    let split = &[
        "split",
        "--tests",
        "*.test.sh",
        "--shards",
        "2",
        "-o",
        "plan.json",
    ];
    assert_eq!(pitcrew(split, dir).status.code(), Some(0));
}

/// `report --plan plan.json` of `files` in `dir`: exit 0, and its JSON.
fn passing_report(dir: &Path, files: &[&str]) -> Value {
    let mut args = vec![
        "report",
        "--format",
        "json",
        "--no-classify",
        "--plan",
        "plan.json",
    ];
    args.extend(files);
    let report = pitcrew(&args, dir);
    assert_eq!(report.status.code(), Some(0), "{}", text(&report));
    json(&report)
}

/// Exit 1, saying `said` and not `unsaid`.
fn fails_saying(output: &Output, said: &str, unsaid: &str) {
    let text = text(output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(said) && !text.contains(unsaid), "{text}");
}

/// `pitcrew split` of the `*.test.sh` files in `dir` into one shard, to
/// `plan.json`.
fn split_sh_tests(dir: &Path) -> Output {
    pitcrew(
        &[
            "split",
            "--tests",
            "*.test.sh",
            "--shards",
            "1",
            "-o",
            "plan.json",
        ],
        dir,
    )
}

const GENERIC_SHARD: &[&str] = &[
    "run",
    "--shard",
    "1/1",
    "--plan",
    "plan.json",
    "--runner",
    "generic",
];

/// `pitcrew run` of shard 1/1 of `plan.json` in `dir` through the generic
/// runner, with `options`, running `command`.
fn run_generic_shard(dir: &Path, options: &[&str], command: &[&str]) -> Output {
    let mut args = GENERIC_SHARD.to_vec();
    args.extend_from_slice(options);
    args.push("--");
    args.extend_from_slice(command);
    pitcrew(&args, dir)
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(output), stderr(output)))
}

/// A test: its title, how long it sleeps (ms), and `pass`, `fail` or `flaky`.
type NodeTest<'a> = (&'a str, u32, &'a str);

/// A node --test suite: `files` of (name, tests).
fn node_suite(dir: &Path, files: &[(&str, &[NodeTest<'_>])]) {
    fs::create_dir_all(dir.join("test")).unwrap();
    for (name, tests) in files {
        let mut text = String::from(
            "import test from 'node:test';\nconst work = (ms) => new Promise((r) => setTimeout(r, ms));\n",
        );
        for (title, ms, behaviour) in *tests {
            let body = match *behaviour {
                "fail" => "throw new Error('expected 1 to equal 2');".to_string(),
                "flaky" => {
                    "if (process.env.PITCREW_ATTEMPT === '1') throw new Error('ECONNRESET');"
                        .to_string()
                }
                _ => String::new(),
            };
            text.push_str(&format!(
                "test('{title}', async () => {{ await work({ms}); {body} }});\n"
            ));
        }
        fs::write(dir.join("test").join(format!("{name}.test.mjs")), text).unwrap();
    }
}

fn junit(dir: &Path, name: &str, cases: &[(&str, &str, f64)]) {
    let mut xml = String::from("<testsuites>\n<testsuite name=\"s\">\n");
    for (file, test, seconds) in cases {
        xml.push_str(&format!(
            "<testcase classname=\"c\" name=\"{test}\" file=\"{file}\" time=\"{seconds}\"/>\n"
        ));
    }
    xml.push_str("</testsuite>\n</testsuites>\n");
    fs::write(dir.join(name), xml).unwrap();
}

#[test]
fn split_balances_by_timings_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["a", "b", "c", "d", "e"] {
        fs::create_dir_all(dir.path().join("t")).unwrap();
        fs::write(dir.path().join(format!("t/{f}.test.js")), "").unwrap();
    }
    junit(
        dir.path(),
        "old.xml",
        &[
            ("t/a.test.js", "x", 3.0),
            ("t/b.test.js", "x", 3.0),
            ("t/c.test.js", "x", 2.0),
            ("t/d.test.js", "x", 2.0),
            ("t/e.test.js", "x", 2.0),
            ("t/gone.test.js", "x", 50.0),
        ],
    );
    let args = [
        "split",
        "--tests",
        "t/*.test.js",
        "--timings",
        "old.xml",
        "--shards",
        "2",
    ];
    let first = pitcrew(&args, dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let plan = json(&first);
    let estimates: Vec<f64> = plan["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["estimated_seconds"].as_f64().unwrap())
        .collect();
    assert_eq!(estimates, [6.0, 6.0], "{plan}");
    assert_eq!(plan["lower_bound_seconds"], 6.0);
    let all: Vec<&str> = plan["shards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(all.len(), 5, "deleted tests are dropped: {all:?}");
    // and said once, as `test` says it.
    assert!(
        stderr(&first).contains(
            "1 test in the timing history no longer exists (deleted or renamed files: t/gone.test.js)"
        ),
        "{}",
        stderr(&first)
    );
    assert_eq!(
        stdout(&pitcrew(&args, dir.path())),
        stdout(&first),
        "deterministic"
    );

    let matrix = pitcrew(
        &[
            "split",
            "--tests",
            "t/*.test.js",
            "--shards",
            "2",
            "--format",
            "matrix",
        ],
        dir.path(),
    );
    let matrix = json(&matrix);
    assert_eq!(matrix["include"][1]["shard"], 2);
    assert_eq!(matrix["include"][1]["total"], 2);
}

/// File names are the pull request's: the matrix printed for the job's
/// output shows a direction override or a C1 control in one escaped, and
/// `fromJSON` reads back the same names.
#[test]
fn a_matrix_shows_hostile_file_names_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "t/a\u{202e}gpj.test.js",
        "t/b\u{9b}2J.test.js",
        "t/c\u{2028}x.test.js",
    ];
    fs::create_dir_all(dir.path().join("t")).unwrap();
    for name in names {
        fs::write(dir.path().join(name), "").unwrap();
    }
    let out = pitcrew(
        &[
            "split",
            "--tests",
            "t/*.test.js",
            "--shards",
            "1",
            "--format",
            "matrix",
        ],
        dir.path(),
    );
    let text = stdout(&out);
    assert!(
        !text
            .chars()
            .any(|c| pitcrew::escape::is_unsafe(c) && c != '\n'),
        "{text:?}"
    );
    let matrix = json(&out);
    let items = matrix["include"][0]["items"].as_str().unwrap();
    for name in names {
        assert!(items.contains(name), "{items:?}");
    }
}

#[test]
fn split_bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.test.js"), "").unwrap();
    fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    // Two spellings of one file, as a list merged from `git ls-files` and
    // `find .` holds: one file listed twice, not two files.
    fs::write(dir.path().join("twice.txt"), "a.test.js\n./a.test.js\n").unwrap();
    fs::write(dir.path().join("other.json"), r#"{"x": 1}"#).unwrap();
    for (args, needle) in [
        (
            vec!["split", "--tests", "*.test.js", "--shards", "0"],
            "--shards: `0`",
        ),
        (
            vec!["split", "--tests", "*.test.js", "--shards", "300"],
            "--shards: `300`",
        ),
        (vec!["split", "--tests", "*.nope"], "--tests: no file"),
        (
            vec!["split", "--tests", "*.test.js", "--target-minutes=-1"],
            "--target-minutes: -1 is not a positive number",
        ),
        (
            vec!["split", "--tests", "*.test.js", "--runner", "nope"],
            "--runner: unknown runner `nope` (runners: ",
        ),
        (
            vec!["split", "--tests", "*.test.js", "--timings", "other.json"],
            "--timings: other.json: not JUnit XML",
        ),
        (
            vec!["split", "--test-list", "empty.txt"],
            "--test-list: empty.txt names no test",
        ),
        (
            vec!["split", "--test-list", "twice.txt"],
            "--test-list: twice.txt: `a.test.js` and `./a.test.js` are one file",
        ),
        (
            vec!["split", "--tests", "*.test.js", "--", "make", "check"],
            "cannot tell the test runner from `make check`; pass --runner NAME",
        ),
        (
            vec!["run", "--shard", "3/2", "--plan", "plan.json", "--", "node"],
            "--shard: `3/2` is not K/N",
        ),
    ] {
        let output = pitcrew(&args, dir.path());
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
        assert!(
            stderr(&output).contains(needle),
            "{needle}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn run_report_and_integrity_with_node() {
    if !has_node() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    node_suite(
        dir.path(),
        &[
            (
                "one",
                &[("one passes", 10, "pass"), ("one is flaky", 10, "flaky")],
            ),
            ("two", &[("two passes", 10, "pass")]),
            (
                "three",
                &[("three fails", 10, "fail"), ("three passes", 10, "pass")],
            ),
        ],
    );
    let plan = pitcrew(
        &[
            "split",
            "--runner",
            "node",
            "--tests",
            "test/*.test.mjs",
            "--shards",
            "2",
            "-o",
            "plan.json",
        ],
        dir.path(),
    );
    assert!(plan.status.success(), "{}", stderr(&plan));

    let mut codes = Vec::new();
    for k in ["1/2", "2/2"] {
        let out = format!("shard-{}.json", &k[..1]);
        let run = pitcrew(
            &[
                "run",
                "--shard",
                k,
                "--plan",
                "plan.json",
                "--retries",
                "2",
                "-o",
                &out,
                "--",
                "node",
                "--test",
            ],
            dir.path(),
        );
        codes.push(run.status.code());
        let result: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join(&out)).unwrap()).unwrap();
        assert_eq!(result["format"], "pitcrew-shard-result/1");
        assert!(result["error"].is_null(), "{result}");
        assert_eq!(result["command"], serde_json::json!(["node", "--test"]));
    }
    assert!(
        codes.contains(&Some(1)),
        "the shard with the failing test exits 1: {codes:?}"
    );

    let report = pitcrew(
        &[
            "report",
            "--format",
            "json",
            "--plan",
            "plan.json",
            "--no-classify",
            "shard-1.json",
            "shard-2.json",
        ],
        dir.path(),
    );
    assert_eq!(report.status.code(), Some(1), "a test failed");
    let merged = json(&report);
    // What `triage --fix` re-runs when not told: every shard ran this.
    assert_eq!(merged["command"], serde_json::json!(["node", "--test"]));
    let s = &merged["summary"];
    assert_eq!(
        (
            s["tests"].as_u64(),
            s["passed"].as_u64(),
            s["failed"].as_u64(),
            s["flaky"].as_u64()
        ),
        (Some(5), Some(3), Some(1), Some(1)),
        "{s}"
    );
    assert!(
        merged["problems"].as_array().unwrap().is_empty(),
        "{merged}"
    );

    // A missing shard is named and fails the run.
    let report = pitcrew(
        &[
            "report",
            "--format",
            "json",
            "--plan",
            "plan.json",
            "--no-classify",
            "shard-1.json",
        ],
        dir.path(),
    );
    let problems = json(&report)["problems"].to_string();
    assert!(problems.contains("shard 2/2: missing"), "{problems}");

    // A result from another plan is named.
    let other = dir.path().join("other.json");
    let mut result: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("shard-2.json")).unwrap())
            .unwrap();
    result["plan_sha256"] = Value::from("f".repeat(64));
    fs::write(&other, result.to_string()).unwrap();
    let report = pitcrew(
        &[
            "report",
            "--format",
            "json",
            "--plan",
            "plan.json",
            "--no-classify",
            "shard-1.json",
            "other.json",
        ],
        dir.path(),
    );
    let problems = json(&report)["problems"].to_string();
    assert!(
        problems.contains("other.json: comes from a different plan"),
        "{problems}"
    );
    assert!(problems.contains("shard 2/2: missing"), "{problems}");

    // Duplicates are folded: the same shard twice counts once.
    let report = pitcrew(
        &[
            "report",
            "--format",
            "json",
            "--plan",
            "plan.json",
            "--no-classify",
            "shard-1.json",
            "shard-2.json",
            "shard-2.json",
        ],
        dir.path(),
    );
    assert_eq!(json(&report)["summary"]["tests"], 5);
    assert!(
        json(&report)["warnings"]
            .to_string()
            .contains("shard-2.json: shard 2/2 was already given by shard-2.json with the same results; read once"),
        "{}",
        text(&report)
    );
}

/// A matrix job whose checkout is another commit than the plan's would
/// run another tree's tests (a test file added since runs nowhere, and
/// `report` passed): `run` refuses it, exit 2, writing nothing.
#[test]
fn run_refuses_a_checkout_of_another_commit_than_the_plans() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::git::git(root, &["init", "-q"]);
    fs::write(root.join("a.test.sh"), "").unwrap();
    common::git::commit_all(root, "a");
    let split = split_sh_tests(root);
    assert!(split.status.success(), "{}", stderr(&split));
    let head = common::git::git(root, &["rev-parse", "HEAD"]);
    assert_eq!(
        json(&split)["checkout"]["commit"].as_str(),
        Some(head.trim()),
        "{}",
        stdout(&split)
    );
    let run = |root: &Path| run_generic_shard(root, &[], &["sh", "-c", "exit 0", "sh", "{files}"]);
    // The plan's own commit runs (and fails only for writing no report).
    let same = run(root);
    assert_ne!(same.status.code(), Some(2), "{}", stderr(&same));
    assert!(root.join("pitcrew-shard-1.json").exists());
    fs::remove_file(root.join("pitcrew-shard-1.json")).unwrap();

    fs::write(root.join("b.test.sh"), "").unwrap();
    common::git::commit_all(root, "b");
    let other = run(root);
    assert_eq!(other.status.code(), Some(2), "{}", stderr(&other));
    let said = stderr(&other);
    assert!(
        said.contains(&format!(
            "plan.json: checkout: the plan was made at commit {} but this checkout is",
            &head[..12]
        )),
        "{said}"
    );
    assert!(!root.join("pitcrew-shard-1.json").exists());
}

#[test]
fn a_crashing_or_hanging_runner_is_a_shard_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.test.sh"), "").unwrap();
    let plan = split_sh_tests(dir.path());
    assert!(plan.status.success(), "{}", stderr(&plan));

    let run = run_generic_shard(
        dir.path(),
        &["--junit", "crash.xml"],
        &["sh", "-c", "echo boom >&2; exit 3", "{files}"],
    );
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    // The shard's JUnit says it failed, as an error case of its own.
    let report = pitcrew(&["report", "--no-classify", "crash.xml"], dir.path());
    assert_eq!(report.status.code(), Some(1), "{}", stdout(&report));
    assert!(
        stdout(&report).contains("pitcrew > shard 1/1"),
        "{}",
        stdout(&report)
    );
    let result: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("pitcrew-shard-1.json")).unwrap())
            .unwrap();
    assert_eq!(result["error"]["kind"], "no-junit", "{result}");
    assert!(
        result["error"]["stderr_tail"]
            .as_str()
            .unwrap()
            .contains("boom")
    );

    let run = run_generic_shard(
        dir.path(),
        &["--timeout", "0.3"],
        &["sh", "-c", "sleep 30", "sh", "{files}"],
    );
    assert_eq!(run.status.code(), Some(1));
    let result: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("pitcrew-shard-1.json")).unwrap())
            .unwrap();
    assert_eq!(result["error"]["kind"], "timeout", "{result}");

    let report = pitcrew(
        &["report", "--no-classify", "pitcrew-shard-1.json"],
        dir.path(),
    );
    assert_eq!(report.status.code(), Some(1));
    assert!(
        stdout(&report).contains("shard 1/1 (pitcrew-shard-1.json): timeout"),
        "{}",
        stdout(&report)
    );
}

/// In GitHub Actions `run` lets the runner write straight to the log: a
/// test printing `::error::` or `::add-mask::` would be read as a workflow
/// command. Its output goes between stop-commands lines.
#[test]
fn run_keeps_the_runners_output_from_being_read_as_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.test.sh"), "").unwrap();
    assert_eq!(split_sh_tests(dir.path()).status.code(), Some(0));
    let out = common::cli::command(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .args(GENERIC_SHARD)
        .args([
            "--",
            "sh",
            "-c",
            "printf '::error::pwned\\n::add-mask::x'",
            "{files}",
        ])
        .output()
        .unwrap();
    let stdout = stdout(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    let stop = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"));
    let error = lines.iter().position(|l| *l == "::error::pwned");
    let (Some(stop), Some(error)) = (stop, error) else {
        panic!("{stdout}");
    };
    let token = &lines[stop]["::stop-commands::".len()..];
    let resume = lines.iter().position(|l| *l == format!("::{token}::"));
    assert!(
        stop < error && resume.is_some_and(|r| r > error + 1),
        "{stdout}"
    );
}

/// `run` passes the runner's output on to the log (or a terminal) with its
/// colours, but a test cannot move the cursor up over its failure, erase
/// it, or set the terminal's title: those sequences are shown, not obeyed.
#[test]
fn run_shows_the_runners_escape_sequences_rather_than_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.test.sh"), "").unwrap();
    assert_eq!(split_sh_tests(dir.path()).status.code(), Some(0));
    let script =
        r"printf 'FAIL\n\033[1A\033[2KPASS\n\033[31mred\033[0m\n'; printf '\033]0;owned\007\n' >&2";
    let out = common::cli::command(dir.path())
        .args(GENERIC_SHARD)
        .args(["--", "sh", "-c", script, "{files}"])
        .output()
        .unwrap();
    let stdout = stdout(&out);
    assert!(
        stdout.contains("FAIL\n\\u{1b}[1A\\u{1b}[2KPASS\n\u{1b}[31mred\u{1b}[0m\n"),
        "{stdout:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\\u{1b}]0;owned\\u{7}"), "{stderr:?}");
    assert!(!stderr.contains("\u{1b}]"), "{stderr:?}");
}

/// `report --flaky fail` fails on a flaky test as `run --flaky fail` did:
/// the matrix flow's report job was green where its shard was red (round
/// 35), and that job publishes the check run.
#[test]
fn report_with_flaky_fail_fails_on_a_flaky_test() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("shard.xml"),
        r#"<testsuite name="s"><testcase classname="c" name="t"><flakyFailure message="x"/></testcase></testsuite>"#,
    )
    .unwrap();
    let report = |flaky: &str| {
        let args = ["report", "--no-classify", "--flaky", flaky, "shard.xml"];
        pitcrew(&args, dir.path())
    };
    let pass = report("pass");
    assert_eq!(pass.status.code(), Some(0), "{}", text(&pass));
    assert!(text(&pass).contains("1 flaky"), "{}", text(&pass));
    let fail = report("fail");
    assert_eq!(fail.status.code(), Some(1), "{}", text(&fail));
    assert!(text(&fail).contains("--flaky fail"), "{}", text(&fail));
}

/// A JUnit report of no test case (a runner that ran none, or stopped
/// before it wrote any, or that wrote only its declared counts) passed;
/// it fails the report, named, and the other files still count.
#[test]
fn report_a_junit_report_of_no_test_case_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ok.xml"),
        r#"<testsuite name="s"><testcase name="t"/></testsuite>"#,
    )
    .unwrap();
    fs::write(dir.path().join("empty.xml"), "<testsuites/>").unwrap();
    fs::write(
        dir.path().join("declared.xml"),
        r#"<testsuite name="s" tests="3"></testsuite>"#,
    )
    .unwrap();
    let report = pitcrew(
        &[
            "report",
            "--no-classify",
            "ok.xml",
            "empty.xml",
            "declared.xml",
        ],
        dir.path(),
    );
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    for file in ["empty.xml", "declared.xml"] {
        assert!(
            text(&report).contains(&format!("{file}: a JUnit report with no test case")),
            "{}",
            text(&report)
        );
    }
    assert!(
        text(&report).contains("1 test: 1 passed"),
        "{}",
        text(&report)
    );
    let alone = pitcrew(&["report", "--no-classify", "ok.xml"], dir.path());
    assert_eq!(alone.status.code(), Some(0), "{}", text(&alone));
    // A report that counts failures no case holds (jest-junit's test file
    // that failed to load) is a failed case, not an empty report.
    fs::write(
        dir.path().join("lost.xml"),
        r#"<testsuite name="broken.test.js" tests="0" errors="1"></testsuite>"#,
    )
    .unwrap();
    let lost = pitcrew(
        &["report", "--no-classify", "ok.xml", "lost.xml"],
        dir.path(),
    );
    fails_saying(
        &lost,
        "(outside any test case)",
        "a JUnit report with no test case",
    );
    // `run --junit` of a shard its plan gave no test writes an empty
    // report that says so: no problem.
    fs::write(dir.path().join("a.test.sh"), "").unwrap();
    split_in_two(dir.path());
    let run = pitcrew(
        &[
            "run",
            "--shard",
            "2/2",
            "--plan",
            "plan.json",
            "--runner",
            "generic",
            "--junit",
            "none.xml",
            "--",
            "sh",
            "-c",
            "exit 0",
            "{files}",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    // Its mark says shard 2 of 2: shard 1's report is missing, and
    // the empty one is no problem.
    let report = pitcrew(
        &["report", "--no-classify", "ok.xml", "none.xml"],
        dir.path(),
    );
    fails_saying(
        &report,
        "shard 1/2: missing",
        "none.xml: a JUnit report with no test case",
    );
    // Against the plan, a shard no JUnit report of `run --junit` holds is
    // missing (a job whose report never came), as with shard results.
    let checked = &["report", "--no-classify", "--plan", "plan.json", "none.xml"];
    let report = pitcrew(checked, dir.path());
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    assert!(
        text(&report).contains("shard 1/2: missing"),
        "{}",
        text(&report)
    );
    assert!(
        !text(&report).contains("shard 2/2: missing"),
        "{}",
        text(&report)
    );
}

/// A generic runner's command: one passing case per file it is given,
/// in `$PITCREW_JUNIT`.
const WRITE_JUNIT: &str = r#"{ echo '<testsuite name="s">'; for f in "$@"; do echo "<testcase file=\"$f\" classname=\"$f\" name=\"t\"/>"; done; echo '</testsuite>'; } > "$PITCREW_JUNIT""#;

#[test]
fn report_skips_a_junit_copy_of_a_shard_it_holds_as_a_shard_result() {
    // An artifact folder per job holding both formats, read by one glob:
    // one run of each test, not two.
    let dir = tempfile::tempdir().unwrap();
    for file in ["a.test.sh", "b.test.sh"] {
        fs::write(dir.path().join(file), "").unwrap();
    }
    split_in_two(dir.path());
    for k in ["1", "2"] {
        let (shard, json, xml) = (format!("{k}/2"), format!("s{k}.json"), format!("s{k}.xml"));
        let run = pitcrew(
            &[
                "run",
                "--shard",
                &shard,
                "--plan",
                "plan.json",
                "--runner",
                "generic",
                "-o",
                &json,
                "--junit",
                &xml,
                "--",
                "sh",
                "-c",
                WRITE_JUNIT,
                "sh",
                "{files}",
            ],
            dir.path(),
        );
        assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    }
    let merged = passing_report(dir.path(), &["s1.json", "s1.xml", "s2.xml", "s2.json"]);
    let tests = merged["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2, "{merged}");
    assert!(tests.iter().all(|t| t["attempts"] == 1), "{merged}");
    let warnings = merged["warnings"].to_string();
    for copy in [
        "s1.xml: skipped, a JUnit copy of shard 1/2, which s1.json holds",
        "s2.xml: skipped",
    ] {
        assert!(warnings.contains(copy), "{copy}: {warnings}");
    }
    // A JUnit report of a shard no shard result holds is still read.
    let merged = passing_report(dir.path(), &["s1.json", "s2.xml"]);
    assert_eq!(merged["tests"].as_array().unwrap().len(), 2);
    // Without --plan too: the shard results and the marks agree on one.
    let mixed = &["report", "--no-classify", "s1.json", "s2.xml"];
    let report = pitcrew(mixed, dir.path());
    assert_eq!(report.status.code(), Some(0), "{}", text(&report));
    // Without --plan, the marks say how many shards there are: a missing
    // one is named.
    let report = pitcrew(&["report", "--no-classify", "s1.xml"], dir.path());
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    assert!(
        text(&report).contains("shard 2/2: missing"),
        "{}",
        text(&report)
    );
    // Two identical reports of one shard are one run; different ones are
    // a problem, and both are read.
    fs::copy(dir.path().join("s1.xml"), dir.path().join("copy.xml")).unwrap();
    let twice = &[
        "report",
        "--format",
        "json",
        "--no-classify",
        "s1.xml",
        "copy.xml",
        "s2.xml",
    ];
    let report = pitcrew(twice, dir.path());
    assert_eq!(report.status.code(), Some(0), "{}", text(&report));
    let merged = json(&report);
    assert_eq!(merged["tests"].as_array().unwrap().len(), 2, "{merged}");
    assert!(
        merged["warnings"]
            .to_string()
            .contains("copy.xml: skipped, the same report of shard 1/2 as s1.xml"),
        "{merged}"
    );
    let other = fs::read_to_string(dir.path().join("s1.xml"))
        .unwrap()
        .replace("</testsuites>", "</testsuites>\n");
    fs::write(dir.path().join("copy.xml"), other).unwrap();
    let report = pitcrew(twice, dir.path());
    assert_eq!(report.status.code(), Some(1), "{}", text(&report));
    assert!(
        text(&report)
            .contains("shard 1/2: s1.xml and copy.xml both claim it with different results"),
        "{}",
        text(&report)
    );
}

#[test]
fn report_counts_junit_files_and_names_invalid_xml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.xml"),
        r#"<testsuite name="s">
  <testcase classname="c" name="ok" time="1"/>
  <testcase classname="c" name="retried" time="1"><failure message="boom">trace</failure></testcase>
  <testcase classname="c" name="retried" time="1"/>
  <testcase classname="c" name="broken" time="1"><error message="x"/></testcase>
  <testcase classname="c" name="skip" time="0"><skipped/></testcase>
</testsuite>"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("bad.xml"),
        "<testsuite>\n<testcase name=\"x\">\n</testsuite>",
    )
    .unwrap();
    let report = pitcrew(
        &[
            "report",
            "--format",
            "json",
            "--no-classify",
            "a.xml",
            "bad.xml",
        ],
        dir.path(),
    );
    assert_eq!(report.status.code(), Some(1));
    let merged = json(&report);
    let s = &merged["summary"];
    assert_eq!(s["cases"], 5);
    assert_eq!(s["failures"], 1);
    assert_eq!(s["errors"], 1);
    assert_eq!(s["skipped"], 1);
    // One file is one attempt: its two `retried` cases are two tests, and
    // the failed one is never hidden as flaky (see `suite::fold`).
    assert_eq!(s["tests"], 5);
    assert_eq!(s["passed"], 2);
    assert_eq!(s["failed"], 2);
    assert_eq!(s["flaky"], 0);
    assert_eq!(s["duration_seconds"], 4.0);
    let problems = merged["problems"].to_string();
    assert!(
        problems.contains("bad.xml:3"),
        "invalid XML is named with its line: {problems}"
    );
}

#[test]
fn local_test_mode_runs_merges_reports_and_remembers() {
    if !has_node() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    node_suite(
        dir.path(),
        &[
            ("slow", &[("slow one", 400, "pass")]),
            (
                "mid",
                &[("mid one", 200, "pass"), ("mid flaky", 10, "flaky")],
            ),
            ("fast", &[("fast one", 10, "pass")]),
        ],
    );
    let run = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--jobs",
            "2",
            "--retries",
            "1",
            "--",
            "node",
            "--test",
        ],
        dir.path(),
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "flaky passes by default: {}\n{}",
        stdout(&run),
        stderr(&run)
    );
    let text = stdout(&run);
    assert!(
        text.contains("4 tests: 3 passed, 0 failed, 1 flaky"),
        "{text}"
    );
    assert!(text.contains("Flaky (1)"), "{text}");
    let results: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("pitcrew-results.json")).unwrap())
            .unwrap();
    assert_eq!(results["summary"]["tests"], 4);
    // Recorded so that fix verification can re-run the tests.
    assert_eq!(results["runner"], "node");
    assert_eq!(results["command"], serde_json::json!(["node", "--test"]));
    assert!(
        fs::read_to_string(dir.path().join("pitcrew-report.md"))
            .unwrap()
            .contains("pitcrew: 4 tests")
    );
    let history: Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join(".pitcrew/timings.json")).unwrap(),
    )
    .unwrap();
    assert!(
        history["files"]["test/slow.test.mjs"].as_f64().unwrap() >= 0.35,
        "{history}"
    );

    // The logs are this run's shards' only: an earlier run's fifth is
    // taken away.
    let logs = dir.path().join(".pitcrew/logs");
    fs::write(logs.join("shard-5.log"), "an earlier run's").unwrap();
    let strict = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--retries",
            "1",
            "--flaky",
            "fail",
            "--",
            "node",
            "--test",
        ],
        dir.path(),
    );
    assert!(!logs.join("shard-5.log").exists());
    assert!(logs.join("shard-1.log").is_file());
    assert_eq!(
        strict.status.code(),
        Some(1),
        "--flaky fail: {}",
        stdout(&strict)
    );
}

/// A 51 s file beside two short ones: over 2 shards it decides the wall
/// time unless its longest tests leave it.
const SLOW_FILE_HISTORY: &[(&str, &str, f64)] = &[
    ("tests/test_slow.py", "test_a", 30.0),
    ("tests/test_slow.py", "test_b", 20.0),
    ("tests/test_slow.py", "test_c", 1.0),
    ("tests/test_one.py", "test_x", 5.0),
    ("tests/test_two.py", "test_y", 4.0),
];

#[test]
fn split_gives_a_slow_files_longest_tests_items_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("tests")).unwrap();
    for f in ["slow", "one", "two"] {
        fs::write(dir.path().join(format!("tests/test_{f}.py")), "").unwrap();
    }
    junit(dir.path(), "old.xml", SLOW_FILE_HISTORY);
    let split = |runner: &str, extra: &[&str]| {
        let mut args = vec![
            "split",
            "--runner",
            runner,
            "--tests",
            "tests/*.py",
            "--timings",
            "old.xml",
            "--shards",
            "2",
        ];
        args.extend(extra);
        let out = pitcrew(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        json(&out)
    };
    let plan = split("pytest", &[]);
    let items: Vec<Vec<&str>> = plan["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect()
        })
        .collect();
    // 60 s over 2 shards: the 51 s file alone would have decided the wall time.
    assert_eq!(
        items,
        [
            vec!["tests/test_slow.py::test_a"],
            vec![
                "tests/test_one.py",
                "tests/test_slow.py",
                "tests/test_slow.py::test_b",
                "tests/test_two.py"
            ]
        ],
        "{plan}"
    );
    assert_eq!(plan["shards"][0]["estimated_seconds"], 30.0);
    let planned = &plan["split_files"]["tests/test_slow.py"];
    assert_eq!(planned[0]["id"], "tests/test_slow.py::test_a");
    assert_eq!(planned[1]["name"], "test_b");
    // The generic runner cannot select single tests, and --whole-files
    // asks for whole files whatever the runner.
    for whole in [split("generic", &[]), split("pytest", &["--whole-files"])] {
        assert!(whole.get("split_files").is_none(), "{whole}");
        assert_eq!(whole["lower_bound_seconds"], 51.0);
    }
}

/// A test the history would split out of a slow file, which the project's
/// own selection (`-k`) leaves out, is not planned: as an item of its own
/// it would select nothing and be read as deleted.
#[test]
fn split_leaves_out_of_a_slow_file_only_tests_the_runner_would_run() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    pytest_file(
        root,
        "test_slow.py",
        &[("test_a", 0.0), ("test_b", 0.0), ("test_c", 0.0)],
    );
    pytest_file(root, "test_one.py", &[("test_x", 0.0)]);
    pytest_file(root, "test_two.py", &[("test_y", 0.0)]);
    junit(root, "old.xml", SLOW_FILE_HISTORY);
    let split = |selection: &[&str]| {
        let mut args = vec![
            "split",
            "--runner",
            "pytest",
            "--timings",
            "old.xml",
            "--shards",
            "2",
            "--",
            "python3",
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
        ];
        args.extend(selection);
        let out = pitcrew(&args, root);
        assert!(out.status.success(), "{}", stderr(&out));
        let plan = json(&out);
        let names: Vec<String> = plan["split_files"]["tests/test_slow.py"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect();
        (names, plan)
    };
    let (all, plan) = split(&[]);
    assert_eq!(all, ["test_a", "test_b"], "{plan}");
    let (selected, plan) = split(&["-k", "not test_a"]);
    assert_eq!(selected, ["test_b"], "{plan}");
    assert!(!plan.to_string().contains("test_slow.py::test_a"), "{plan}");
}

/// A pytest file whose tests sleep the given seconds.
fn pytest_file(dir: &Path, name: &str, tests: &[(&str, f64)]) {
    let mut text = String::from("import time\n");
    for (test, seconds) in tests {
        text.push_str(&format!("\ndef {test}():\n    time.sleep({seconds})\n"));
    }
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests").join(name), text).unwrap();
}

#[test]
fn local_mode_splits_a_slow_pytest_file_and_loses_no_test() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Long enough that splitting saves far more than a pytest start-up
    // measured on a loaded machine (with 2.4 s and 2.0 s, a busy CI run
    // once measured the start-up near the gain and kept the file whole).
    pytest_file(
        root,
        "test_slow.py",
        &[("test_a", 6.0), ("test_b", 5.0), ("test_c", 0.0)],
    );
    pytest_file(root, "test_one.py", &[("test_x", 0.05)]);
    pytest_file(root, "test_two.py", &[("test_y", 0.05)]);
    let test = || {
        let out = pitcrew(
            &[
                "test",
                "--shards",
                "2",
                "--jobs",
                "2",
                "--",
                "python3",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            root,
        );
        let results: Value =
            serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
                .unwrap();
        let plan: Value =
            serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/plan.json")).unwrap())
                .unwrap();
        (out, results, plan)
    };

    // No history yet: whole files; the run records per-test timings.
    let (first, results, plan) = test();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(results["summary"]["tests"], 5);
    assert!(plan.get("split_files").is_none(), "{plan}");
    let history: Value =
        serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/timings.json")).unwrap())
            .unwrap();
    assert_eq!(
        history["tests"]["tests/test_slow.py"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // A test added since: it runs with the rest of its file.
    pytest_file(
        root,
        "test_slow.py",
        &[
            ("test_a", 6.0),
            ("test_b", 5.0),
            ("test_c", 0.0),
            ("test_new", 0.0),
        ],
    );
    let (second, results, plan) = test();
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    let split: Vec<&str> = plan["split_files"]["tests/test_slow.py"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(split, ["test_a", "test_b"], "{plan}");
    assert_eq!(results["summary"]["tests"], 6, "{results}");
    assert_eq!(results["summary"]["passed"], 6);
    assert_eq!(results["summary"]["cases"], 6, "each test ran exactly once");
    assert!(
        results["problems"].as_array().unwrap().is_empty(),
        "{results}"
    );

    // The split file stops importing: one failure (not one per part), no
    // test of it read as deleted, and its history kept for the next run.
    let source = fs::read_to_string(root.join("tests/test_slow.py")).unwrap();
    fs::write(
        root.join("tests/test_slow.py"),
        format!("import no_such_module_here\n{source}"),
    )
    .unwrap();
    let (third, results, plan) = test();
    assert!(
        plan["split_files"].get("tests/test_slow.py").is_some(),
        "{plan}"
    );
    assert_eq!(third.status.code(), Some(1), "{}", stdout(&third));
    assert_eq!(
        (&results["summary"]["tests"], &results["summary"]["failed"]),
        (&Value::from(3), &Value::from(1)),
        "{results}"
    );
    assert!(results.get("warnings").is_none(), "{results}");
    let history: Value =
        serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/timings.json")).unwrap())
            .unwrap();
    let kept: Vec<&str> = history["tests"]["tests/test_slow.py"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        kept,
        ["test_a", "test_b", "test_c", "test_new"],
        "{history}"
    );

    // A split-out test deleted since: pytest's listing no longer names
    // it, so it is not planned (an item of its own would select nothing);
    // the history's warning names its file, and no test is lost.
    pytest_file(
        root,
        "test_slow.py",
        &[("test_a", 6.0), ("test_c", 0.0), ("test_new", 0.0)],
    );
    let (fourth, results, plan) = test();
    assert_eq!(fourth.status.code(), Some(0), "{}", stdout(&fourth));
    assert_eq!(results["summary"]["tests"], 5, "{results}");
    assert!(!plan.to_string().contains("test_b"), "{plan}");
    assert!(
        stderr(&fourth).contains(
            "1 test in the timing history no longer exists (deleted or renamed in: tests/test_slow.py)"
        ),
        "{}",
        stderr(&fourth)
    );
}

#[test]
fn report_sets_the_step_outputs_in_github_actions() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.xml"),
        r#"<testsuite name="s">
  <testcase classname="c" name="ok" time="1"/>
  <testcase classname="c" name="also ok" time="1"/>
  <testcase classname="c" name="broken" time="1"><failure message="x"/></testcase>
</testsuite>"#,
    )
    .unwrap();
    let outputs = dir.path().join("github_output");
    fs::write(&outputs, "matrix<<X\n{}\nX\n").unwrap();
    let report = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args([
            "report",
            "--no-classify",
            "--markdown",
            "report.md",
            "a.xml",
        ])
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        // Outputs only: on a CI host with a token this must not publish.
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_TOKEN")
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(1), "{}", stderr(&report));
    let text = fs::read_to_string(&outputs).unwrap();
    // name<<DELIMITER, the value, DELIMITER: the runner's multi-line form.
    let mut values = std::collections::BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let (name, delimiter) = line.split_once("<<").expect("multi-line form");
        let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
        values.insert(name.to_owned(), value.join("\n"));
    }
    assert_eq!(values["matrix"], "{}", "earlier outputs are kept");
    assert_eq!(values["passed"], "2");
    assert_eq!(values["failed"], "1");
    assert_eq!(values["flaky"], "0");
    assert_eq!(values["report-path"], "report.md");
    assert!(
        values["summary"].starts_with("3 tests: 2 passed, 1 failed, 0 flaky, 0 skipped in "),
        "{values:?}"
    );
}

/// A pytest file whose one test keeps a core busy for `cpu` seconds (the
/// pinned-core test that uses it is Linux only).
#[cfg(target_os = "linux")]
fn cpu_bound_pytest_file(dir: &Path, name: &str, cpu: f64) {
    let text = format!(
        "import time\n\ndef test_busy():\n    start = time.process_time()\n    while time.process_time() - start < {cpu}:\n        pass\n"
    );
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests").join(name), text).unwrap();
}

/// Two CPU-bound shards on one core: each had half of it, so the history
/// must not record twice the time, and the next run must not split again.
#[cfg(target_os = "linux")]
#[test]
fn shards_sharing_one_core_are_costed_by_cpu_and_not_split_again() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    let on_one_core = Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !on_one_core {
        eprintln!("skipped: taskset cannot pin to core 0 here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["test_a.py", "test_b.py", "test_c.py", "test_d.py"] {
        cpu_bound_pytest_file(root, name, 0.4);
    }
    let test = |shards: &[&str]| {
        let mut args = vec![
            "-c",
            "0",
            env!("CARGO_BIN_EXE_pitcrew"),
            "-v",
            "test",
            "--jobs",
            "2",
        ];
        args.extend_from_slice(shards);
        args.extend([
            "--",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ]);
        let out = Command::new("taskset")
            .args(&args)
            .current_dir(root)
            .env("PITCREW_NO_CACHE", "1")
            .env_remove("PITCREW_LOG")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_TOKEN")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let plan: Value =
            serde_json::from_str(&fs::read_to_string(root.join(".pitcrew/plan.json")).unwrap())
                .unwrap();
        let chosen = stderr(&out)
            .lines()
            .find(|l| l.contains("shard(s):"))
            .unwrap_or_default()
            .to_owned();
        (plan["shards"].as_array().unwrap().len(), chosen)
    };
    assert_eq!(test(&["--shards", "2"]).0, 2);
    let results: Vec<Value> = (1..=2)
        .map(|k| {
            let path = root.join(format!(".pitcrew/results/shard-{k}.json"));
            serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
        })
        .collect();
    let walls: f64 = results
        .iter()
        .map(|r| r["duration_seconds"].as_f64().unwrap())
        .sum();
    for result in &results {
        assert!(result["cpu_seconds"].as_f64().unwrap() > 0.3, "{result}");
        let share = result["cpu_share"].as_f64().unwrap();
        assert!(share > 0.0 && share <= 1.0, "{result}");
    }
    let history_path = root.join(".pitcrew/timings.json");
    let history: Value = serde_json::from_str(&fs::read_to_string(&history_path).unwrap()).unwrap();
    let files: f64 = history["files"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s.as_f64().unwrap())
        .sum();
    // Each shard had at most half the core: what the files cost with a
    // core to themselves is about half the two shards' wall time, not all
    // of it (generous bounds).
    assert!(
        files < 0.75 * walls,
        "{files} s of files in {walls} s: {history}"
    );
    assert!(
        history["busy"]["pytest"].as_f64().unwrap() > 0.5,
        "{history}"
    );
    // How much other work there will be is the machine's business (this
    // one is shared): say it will be quiet, so that only the one core
    // decides. Two CPU-bound shards on it would only share it. How busy a
    // shard kept its core is the machine's too: on a virtual machine whose
    // core is also another guest's, these CPU-bound shards measured busy
    // 68-89% of the time, and a second shard then rightly looked worth it;
    // they are CPU-bound by construction, so say so.
    let quiet = || {
        let mut history: Value =
            serde_json::from_str(&fs::read_to_string(&history_path).unwrap()).unwrap();
        history["waiting"] = 0.0.into();
        history["busy"]["pytest"] = 1.0.into();
        fs::write(&history_path, history.to_string()).unwrap();
    };
    for count in [&[][..], &["--shards", "auto"]] {
        quiet();
        let before = fs::read_to_string(&history_path).unwrap();
        let (shards, chosen) = test(count);
        assert_eq!(shards, 1, "{count:?}: {chosen}\n{before}");
    }
}

#[test]
fn shards_side_by_side_each_get_their_own_coverage_file() {
    if !has_pytest() {
        eprintln!("skipped: python3 -m pytest is not available");
        return;
    }
    // pytest-cov's end-of-run combine reads every `.coverage.*` beside its
    // data file: shards sharing one folder would read each other's.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for name in ["a", "b"] {
        fs::write(
            root.join(format!("test_{name}.py")),
            format!(
                "import os\ndef test_{name}():\n    open('seen_{name}.txt', 'w').write(os.environ.get('COVERAGE_FILE', ''))\n"
            ),
        )
        .unwrap();
    }
    // An earlier run with more shards left its third shard's data.
    fs::write(root.join(".coverage.pitcrew-3"), "stale").unwrap();
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--jobs",
            "2",
            "--",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        root,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !root.join(".coverage.pitcrew-3").exists(),
        "a stale shard's data stays"
    );
    let mut seen: Vec<String> = ["a", "b"]
        .iter()
        .map(|n| fs::read_to_string(root.join(format!("seen_{n}.txt"))).unwrap())
        .collect();
    seen.sort();
    assert_eq!(seen, [".coverage.pitcrew-1-1", ".coverage.pitcrew-2-1"]);
}

/// A project whose package `pkg` has two functions, `a` and `b`.
fn two_function_package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("pkg")).unwrap();
    fs::write(
        dir.path().join("pkg/__init__.py"),
        "def a():\n    return 1\n\n\ndef b():\n    return 2\n",
    )
    .unwrap();
    dir
}

/// `test_a.py` and `test_b.py`, each covering one of the package's
/// functions: only both shards' data together covers the package.
fn one_test_per_function(root: &Path) {
    for name in ["a", "b"] {
        fs::write(
            root.join(format!("test_{name}.py")),
            format!("from pkg import {name}\n\n\ndef test_{name}():\n    assert {name}()\n"),
        )
        .unwrap();
    }
}

#[test]
fn a_matrix_shard_keeps_its_coverage_across_a_retry_and_checks_its_threshold() {
    if !common::cli::has_pytest_cov() {
        return;
    }
    let dir = two_function_package();
    let root = dir.path();
    // The retry runs only the flaky test: a process of its own, which must
    // not erase what the first run covered.
    fs::write(
        root.join("test_a.py"),
        "import os\nfrom pkg import a\n\n\ndef test_a():\n    assert a()\n\n\n\
         def test_flaky():\n    assert os.environ['PITCREW_ATTEMPT'] != '1'\n",
    )
    .unwrap();
    fs::write(
        root.join("pytest.ini"),
        "[pytest]\naddopts = --cov=pkg --cov-report=json --cov-fail-under=100\n",
    )
    .unwrap();
    let pytest = ["--", "python3", "-m", "pytest", "-q"];
    let shard = |root: &Path| {
        let out = common::cli::one_job_matrix(|args| pitcrew(args, root), &pytest);
        let result: Value =
            serde_json::from_str(&fs::read_to_string(root.join("pitcrew-shard-1.json")).unwrap())
                .unwrap();
        (out, result)
    };
    // `b` is covered by no test: the shard misses the threshold, and says so.
    let (out, result) = shard(root);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(result["error"]["kind"], "coverage", "{result}");
    assert!(
        result["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("total of 75 is less than fail-under=100")),
        "{result}"
    );
    // Covered: a flaky test's retry loses nothing, and the shard passes.
    fs::write(
        root.join("test_b.py"),
        "from pkg import b\n\n\ndef test_b():\n    assert b()\n",
    )
    .unwrap();
    let (out, result) = shard(root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(result.get("error").is_none_or(Value::is_null), "{result}");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(root.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["totals"]["percent_covered"], 100.0, "{json}");
}

#[test]
fn shards_side_by_side_leave_the_whole_runs_coverage_as_pytest_cov_would() {
    if !common::cli::has_pytest_cov() {
        return;
    }
    // Each shard covers one function: only the joined data covers both.
    let dir = two_function_package();
    let root = dir.path();
    one_test_per_function(root);
    // A flaky test beside `a`'s: its retry is a process of its own, which
    // must not erase what the first run of that shard covered.
    let mut with_flaky = fs::read_to_string(root.join("test_a.py")).unwrap();
    with_flaky.push_str(
        "\n\ndef test_flaky():\n    import os\n    assert os.environ['PITCREW_ATTEMPT'] != '1'\n",
    );
    fs::write(root.join("test_a.py"), with_flaky).unwrap();
    // The reports asked for where projects ask: addopts. Each shard alone
    // covers half: the threshold holds for the whole run only.
    fs::write(
        root.join("pytest.ini"),
        "[pytest]\naddopts = --cov=pkg --cov-report=xml:out/coverage.xml --cov-report=json --cov-fail-under=100\n",
    )
    .unwrap();
    let test = |shards: &[&str]| {
        let after = ["--retries", "1", "--", "python3", "-m", "pytest", "-q"];
        pitcrew(&[&["test"][..], shards, &after].concat(), root)
    };
    // The total pytest-cov's json report gives.
    let covered = || {
        let json: Value =
            serde_json::from_str(&fs::read_to_string(root.join("coverage.json")).unwrap()).unwrap();
        json["totals"]["percent_covered"].as_f64().unwrap()
    };
    let out = test(&["--shards", "2", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 flaky"), "{}", stdout(&out));
    let xml = fs::read_to_string(root.join("out/coverage.xml")).unwrap();
    assert!(
        xml.contains(r#"<coverage version"#) && xml.contains(r#"line-rate="1""#),
        "{xml}"
    );
    assert_eq!(covered(), 100.0);
    // One data file, as after one pytest run; no shard's part is left.
    assert!(root.join(".coverage").is_file());
    let left: Vec<String> = fs::read_dir(root)
        .unwrap()
        .chain(fs::read_dir(root.join(".pitcrew")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".coverage.") || n.starts_with("coverage-note"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // One shard: its retry is still a process of its own.
    let out = test(&["--shards", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(covered(), 100.0);

    // Code no test runs: the whole run misses the threshold, and says so.
    let mut source = fs::read_to_string(root.join("pkg/__init__.py")).unwrap();
    source.push_str("\n\ndef c():\n    return 3\n");
    fs::write(root.join("pkg/__init__.py"), source).unwrap();
    let out = test(&["--shards", "2", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let results: Value =
        serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
            .unwrap();
    let problems = results["problems"].to_string();
    assert!(
        problems.contains("pytest-cov: Coverage failure: total of 83 is less than fail-under=100"),
        "{results}"
    );
    assert_eq!(results["summary"]["passed"], 2, "{results}");
    assert_eq!(results["summary"]["flaky"], 1, "{results}");
}

/// coverage's `parallel = true` (the aio-libs projects set it): joining
/// the shards' parts began with `cov.erase()`, which then removes every
/// `.coverage.*`, the parts among them. The join failed with a warning, the
/// threshold went unchecked (exit 0 where pytest alone exits 1) and the
/// run's coverage was lost (round 19, aiosignal and multidict).
#[test]
fn shards_side_by_side_join_their_coverage_under_parallel_true() {
    if !common::cli::has_pytest_cov() {
        return;
    }
    let dir = two_function_package();
    let root = dir.path();
    one_test_per_function(root);
    fs::write(root.join(".coveragerc"), "[run]\nparallel = true\n").unwrap();
    fs::write(
        root.join("pytest.ini"),
        "[pytest]\naddopts = --cov=pkg --cov-report=json --cov-fail-under=100\n",
    )
    .unwrap();
    let test = || {
        let args = [
            "test", "--shards", "2", "--jobs", "2", "--", "python3", "-m", "pytest", "-q",
        ];
        pitcrew(&args, root)
    };
    // The run failed, and its problems say `said`.
    let fails_under = |out: std::process::Output, said: &str| {
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        let results: Value =
            serde_json::from_str(&fs::read_to_string(root.join("pitcrew-results.json")).unwrap())
                .unwrap();
        assert!(results["problems"].to_string().contains(said), "{results}");
    };
    let out = test();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("could not be joined"),
        "{}",
        stderr(&out)
    );
    let json: Value =
        serde_json::from_str(&fs::read_to_string(root.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["totals"]["percent_covered"], 100.0, "{json}");

    // Code no test runs: the whole run misses the threshold.
    let mut source = fs::read_to_string(root.join("pkg/__init__.py")).unwrap();
    source.push_str("\n\ndef c():\n    return 3\n");
    fs::write(root.join("pkg/__init__.py"), source).unwrap();
    fails_under(test(), "less than fail-under=100");

    // Every measured file left out of reports: coverage has no data to
    // report (its json report and its total raise), which pytest-cov
    // counts as 0%; the join stopped at the json report, a warning, and
    // the run passed (review).
    fs::write(
        root.join(".coveragerc"),
        "[run]\nparallel = true\n[report]\nomit = pkg/*\n",
    )
    .unwrap();
    fails_under(test(), "total of 0 is less than fail-under=100");
}
