//! The binary as users meet it: exit codes, one-line errors, output formats.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn pitcrew(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("PITCREW_LOG")
        .output()
        .expect("pitcrew runs")
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit code 2 and exactly one line on stderr, which contains `needle`.
fn assert_input_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
}

#[test]
fn version_and_help() {
    let output = pitcrew(&["--version"], repo());
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).trim(),
        format!("pitcrew {}", env!("CARGO_PKG_VERSION"))
    );
    let output = pitcrew(&["--help"], repo());
    assert!(stdout(&output).contains("Examples:"));
    assert!(stdout(&output).contains("Exit codes"));
}

#[test]
fn usage_errors_exit_2() {
    let output = pitcrew(&["plugin", "frobnicate"], repo());
    assert_eq!(output.status.code(), Some(2));
    let output = pitcrew(&["-v", "-q", "plugin", "list"], repo());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn plugin_list_shows_every_slot() {
    let dir = tempfile::tempdir().unwrap();
    let output = pitcrew(&["plugin", "list", "--format", "json"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = rows.as_array().unwrap();
    let slots: Vec<&str> = rows.iter().map(|r| r["slot"].as_str().unwrap()).collect();
    assert_eq!(
        slots,
        [
            "classifier",
            "router",
            "phases.coordinator-chunking",
            "phases.hardware-calibration",
            "phases.pre-flight",
            "phases.pre-sync",
            "phases.strategy",
            "phases.summary",
            "phases.worker-consistency",
        ]
    );
    assert_eq!(rows[0]["name"], "classifier-default");
    assert_eq!(rows[0]["world"], "classifier");
    assert_eq!(rows[0]["source"], "builtin:classifier-default");
    assert_eq!(rows[1]["version"], "0.1.0");
    assert!(
        rows[2..]
            .iter()
            .all(|r| r["world"] == "phase" && r["error"].is_null()),
        "{rows:?}"
    );
    assert_eq!(rows[2]["sha256"].as_str().unwrap().len(), 64);

    let output = pitcrew(&["plugin", "list"], dir.path());
    let table = stdout(&output);
    assert!(table.starts_with("SLOT"), "{table}");
    assert!(table.contains("router-default"), "{table}");
}

#[test]
fn plugin_list_reports_a_bad_slot_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[plugins.router]\nsource = {:?}\n",
            pitcrew_fixtures::HOSTILE
        ),
    )
    .unwrap();
    let output = pitcrew(&["plugin", "list"], dir.path());
    assert_input_error(&output, "some plugin slots cannot be loaded");
    assert!(
        stdout(&output).contains("slot needs a router plugin"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn plugin_check_explains_what_a_component_is() {
    let output = pitcrew(&["plugin", "check", pitcrew_fixtures::HOSTILE], repo());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("world:    phase (pitcrew:plugin@0.1.0)"),
        "{text}"
    );
    assert!(text.contains("plugin:   hostile 0.1.0"), "{text}");
    assert!(text.contains("verdict:  ok"), "{text}");

    let output = pitcrew(
        &[
            "plugin",
            "check",
            "--format",
            "json",
            pitcrew_fixtures::HOSTILE,
        ],
        repo(),
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["world"], "phase");
    assert_eq!(report["loadable"], true);
    assert!(
        report["exports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "run")
    );
    assert!(
        report["imports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "pitcrew:plugin/log@0.1.0")
    );
}

/// Round 67: a plugin file whose name carries a workflow command on a
/// line of its own and a terminal title.
#[cfg(unix)]
#[test]
fn plugin_check_escapes_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=a.rs,line=1::forged\u{1b}]0;title\u{7}.wasm";
    std::fs::copy(pitcrew_fixtures::HOSTILE, dir.path().join(name)).unwrap();
    let output = pitcrew(&["plugin", "check", name], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.lines().any(|l| l.starts_with("::")), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("file:     x\\n::error"), "{text}");
}

#[test]
fn plugin_check_refuses_the_wrong_world_and_versions_with_exit_2() {
    let output = pitcrew(&["plugin", "check", pitcrew_fixtures::WRONG_WORLD], repo());
    assert_input_error(&output, "not a pitcrew plugin: it exports [greet]");
    assert!(stdout(&output).contains("verdict:  cannot load"));

    let output = pitcrew(&["plugin", "check", pitcrew_fixtures::FUTURE_MAJOR], repo());
    assert_input_error(&output, "pitcrew:plugin@9.0.0");

    let output = pitcrew(&["plugin", "check", "/nonexistent.wasm"], repo());
    assert_input_error(&output, "/nonexistent.wasm: cannot read it");
}

#[test]
fn a_bad_config_is_one_line_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("pitcrew.toml");
    for (text, needle) in [
        (
            "[limits]\nmemory = 3\n",
            "pitcrew.toml: line 2 (`memory`): unknown field `memory`",
        ),
        (
            "[limits]\ncpu_time_ms = \"fast\"\n",
            "line 2 (`cpu_time_ms`): invalid type",
        ),
        (
            "[plugins.router]\nsource = \"nope.wasm\"\n",
            "plugins.router.source: ",
        ),
        (
            "[plugins.router]\nsha256 = \"xyz\"\n",
            "plugins.router.sha256: `xyz` is not 64 hexadecimal digits",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let output = pitcrew(&["plugin", "list"], dir.path());
        assert_input_error(&output, needle);
        assert!(stdout(&output).is_empty(), "nothing written on bad input");
    }
}

#[test]
fn a_pinned_plugin_with_the_wrong_hash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[phases.summary]\nsource = {:?}\nsha256 = \"{}\"\n",
            pitcrew_fixtures::HOSTILE,
            "ab".repeat(32)
        ),
    )
    .unwrap();
    let output = pitcrew(&["plugin", "list", "--format", "json"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let rows: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let summary = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slot"] == "phases.summary")
        .unwrap();
    assert!(
        summary["error"]
            .as_str()
            .unwrap()
            .contains("sha256 mismatch"),
        "{rows}"
    );
}

#[test]
fn classify_the_example_failures() {
    let output = pitcrew(&["classify", "examples/failures.jsonl"], repo());
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 13);
    let by_id = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap().clone();
    assert_eq!(by_id("ts-1")["specialty"], "typescript");
    assert_eq!(by_id("ts-1")["route"]["model"], "deepseek-coder:6.7b");
    assert_eq!(by_id("react-1")["specialty"], "react");
    assert_eq!(by_id("py-1")["category"], "assertion");
    assert_eq!(by_id("py-1")["route"]["model"], "deepseek-coder:1.3b");
    assert_eq!(by_id("py-2")["category"], "network");
    assert_eq!(by_id("py-2")["route"]["model"], "llama3.2:1b");
    assert_eq!(by_id("py-3")["category"], "dependency");
    assert_eq!(by_id("oom-1")["category"], "resource");
    assert_eq!(by_id("cfg-1")["category"], "config");
}

#[test]
fn classify_skips_a_bad_line_names_it_and_classifies_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"test_name\":\"a\",\"message\":\"AssertionError: 1 != 2\"}\n\
         {\"test_name\":\"b\",\"message\":\"m\",\"x\\u001b[31m\":1}\n\
         {\"id\":\"c\",\"test_name\":\"c\",\"message\":\"ECONNREFUSED 127.0.0.1:5432\"}\n\
         {\"id\":\"d\",\"test_name\":\"d\",\"mess",
    )
    .unwrap();
    let output = pitcrew(&["classify", input.to_str().unwrap()], dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "stderr: {err}");
    let ids: Vec<String> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a\"", "\"c\""], "the good lines are classified");
    assert!(
        err.contains("in.jsonl:2: unknown field `x\\u{1b}[31m`"),
        "{err}"
    );
    assert!(err.contains("in.jsonl:4: EOF while parsing"), "{err}");
    assert!(!err.contains('\u{1b}'), "escaped: {err:?}");
    assert_eq!(err.lines().count(), 2, "one line per bad line: {err}");
}

#[test]
fn classify_with_no_usable_line_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"test_name\":\"\",\"message\":\"m\"}\n{\"message\":\"m\"}\nnot json\n",
    )
    .unwrap();
    let output = pitcrew(&["classify", input.to_str().unwrap()], dir.path());
    assert_input_error(
        &output,
        "in.jsonl: no usable line: line 1: `test_name` is empty (2 more bad lines)",
    );
    assert!(stdout(&output).is_empty(), "nothing partial written");
}

/// A plugin pitcrew needs but cannot load is pitcrew unable to do its job
/// (3): not bad input (2), not failed tests (1).
#[test]
fn a_required_plugin_that_cannot_be_loaded_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let input = repo().join("examples/failures.jsonl");
    for (config, needle) in [
        (
            format!(
                "[plugins.classifier]\nsource = {:?}\n",
                pitcrew_fixtures::HOSTILE
            ),
            "slot needs a classifier plugin",
        ),
        (
            format!(
                "[plugins.router]\nsource = {:?}\nsha256 = \"{}\"\n",
                pitcrew_fixtures::HOSTILE,
                "ab".repeat(32)
            ),
            "sha256 mismatch",
        ),
    ] {
        std::fs::write(dir.path().join("pitcrew.toml"), config).unwrap();
        let output = pitcrew(&["classify", input.to_str().unwrap()], dir.path());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(3), "stderr: {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(needle), "{needle:?} not in {err}");
        assert!(stdout(&output).is_empty());
    }
}

/// `pitcrew … | head`: the reader going away is not an error.
#[test]
fn a_closed_pipe_is_exit_0_and_silent() {
    let input = repo().join("examples/failures.jsonl");
    let spec = repo().join("examples/training/healthy/spec.toml");
    for args in [
        vec!["classify", input.to_str().unwrap()],
        vec!["plan", spec.to_str().unwrap()],
    ] {
        // The reading end is closed before pitcrew starts, so its first
        // write fails with EPIPE, every time.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
            .args(&args)
            .current_dir(repo())
            .env("PITCREW_NO_CACHE", "1")
            .env_remove("PITCREW_LOG")
            .stdout(writer)
            .output()
            .expect("pitcrew runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

/// A duration no run measures, in the history `test` keeps: one line
/// naming the file and the field, exit 2, before any test runs.
#[test]
fn a_negative_duration_in_the_timing_history_names_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("test")).unwrap();
    std::fs::create_dir_all(dir.path().join(".pitcrew")).unwrap();
    std::fs::write(
        dir.path().join("test/a.test.mjs"),
        "import test from 'node:test';\ntest('a', () => {});\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".pitcrew/timings.json"),
        r#"{"files":{"test/a.test.mjs":1.0},"tests":{"test/a.test.mjs":[{"classname":"c","name":"a","seconds":-3}]}}"#,
    )
    .unwrap();
    let output = pitcrew(&["test", "--", "node", "--test"], dir.path());
    assert_input_error(
        &output,
        ".pitcrew/timings.json: tests[\"test/a.test.mjs\"][0].seconds: -3 is not a non-negative number of seconds",
    );
    assert!(!dir.path().join(".pitcrew/plan.json").exists());
}
