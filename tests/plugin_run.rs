//! `pitcrew plugin run` calls one plugin of any world on one JSON input and
//! prints its answer and its log; `pitcrew plugin wit` hands out the
//! contract.

mod common;

use std::fs;
use std::path::Path;

use common::cli::pitcrew;
use serde_json::{Value, json};

/// A built-in written out as a `.wasm` file, as an author's plugin would be.
fn builtin_file(dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.wasm"));
    fs::write(&path, pitcrew::host::builtin::get(name).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

fn run(dir: &Path, wasm: &str, input: &Value) -> (i32, Value, String) {
    let input_path = dir.join("input.json");
    fs::write(&input_path, input.to_string()).unwrap();
    let out = pitcrew(
        &[
            "plugin",
            "run",
            wasm,
            "--input",
            input_path.to_str().unwrap(),
        ],
        dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), report, stderr)
}

#[test]
fn a_classifier_answers_each_failure_of_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = builtin_file(dir.path(), "classifier-default");
    let input = json!([
        {"test_name": "cart", "file": "src/cart.ts",
         "message": "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'."},
        {"id": "b", "test_name": "api", "message": "ConnectionError: [Errno 111] Connection refused"}
    ]);
    let (code, report, stderr) = run(dir.path(), &wasm, &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["plugin"], "classifier-default");
    assert_eq!(report["world"], "classifier");
    let answer = report["answer"].as_array().unwrap();
    assert_eq!(answer.len(), 2);
    assert_eq!(answer[0]["id"], "0", "ids default to the position");
    assert_eq!(answer[0]["category"], "compile");
    assert_eq!(answer[0]["language"], "typescript");
    assert_eq!(answer[1]["id"], "b");
    assert_eq!(answer[1]["category"], "network");
    assert_eq!(
        report["log"],
        json!(["DEBUG [classifier-default 0.1.0] classifying 2 failure(s)"]),
        "debug lines too, without -v"
    );
}

#[test]
fn a_router_answers_a_route_request() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = builtin_file(dir.path(), "router-default");
    let input = json!({
        "failure": {"test_name": "t", "message": "AssertionError: assert 41 == 42"},
        "classification": {"category": "assertion", "language": "python", "specialty": "test"},
        "group_size": 3
    });
    let (code, report, stderr) = run(dir.path(), &wasm, &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["world"], "router");
    assert_eq!(report["answer"]["model"], "deepseek-coder:1.3b");
    assert!(
        report["answer"]["prompt"]
            .as_str()
            .unwrap()
            .contains("assert 41 == 42")
    );
}

#[test]
fn a_phase_answers_with_its_keys_checks_and_log() {
    let dir = tempfile::tempdir().unwrap();
    let input = json!({"facts": {"do": "log"}, "document": {}});
    let (code, report, stderr) = run(dir.path(), pitcrew_fixtures::HOSTILE, &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["world"], "phase");
    assert_eq!(report["answer"]["keys"]["hostile"], "logged");
    let log: Vec<&str> = report["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let text = log.join("\n");
    assert!(text.contains("line one"), "{text}");
    assert!(text.contains("to stdout"), "{text}");
    assert!(text.contains("to stderr"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "escaped: {text}"
    );
    assert!(
        stderr.is_empty(),
        "the log is in the report, not on stderr: {stderr}"
    );
}

#[test]
fn a_failing_call_is_reported_with_exit_1_and_bad_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report, stderr) = run(
        dir.path(),
        pitcrew_fixtures::HOSTILE,
        &json!({"facts": {"do": "panic"}}),
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        report["error"].as_str().unwrap().contains("run: crashed"),
        "{report}"
    );

    let wasm = builtin_file(dir.path(), "classifier-default");
    let (code, _, stderr) = run(dir.path(), &wasm, &json!({"facts": {}}));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("input.json: not a classifier input"),
        "{stderr}"
    );
    let (code, _, stderr) = run(
        dir.path(),
        &wasm,
        &json!([{"test_name": "t", "mesage": "typo"}]),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown field `mesage`"), "{stderr}");
    let (code, _, stderr) = run(dir.path(), pitcrew_fixtures::HOSTILE, &json!({"facts": []}));
    assert_eq!(code, 2);
    assert!(stderr.contains("facts: must be a JSON object"), "{stderr}");
}

#[test]
fn plugin_wit_prints_or_writes_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let out = pitcrew(&["plugin", "wit"], dir.path());
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    // The current contract by default: 0.2.0, with configuration.
    assert!(
        printed.contains("package pitcrew:plugin@0.2.0;"),
        "{printed}"
    );
    assert!(printed.contains("world classifier"));
    assert!(printed.contains("config-schema: option<string>"));
    let out = pitcrew(&["plugin", "wit", "--version", "0.2.0"], dir.path());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), printed);
    // An older version is printed as it was released: the frozen file.
    let out = pitcrew(&["plugin", "wit", "--version", "0.1.0"], dir.path());
    let frozen =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("wit/0.1.0/plugin.wit"))
            .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), frozen);
    assert!(!frozen.contains("config-schema"));

    let out = pitcrew(
        &["plugin", "wit", "--version", "0.1.0", "-o", "wit"],
        dir.path(),
    );
    assert!(out.status.success());
    let written = fs::read_to_string(dir.path().join("wit/plugin.wit")).unwrap();
    assert!(written.contains("package pitcrew:plugin@0.1.0;"));

    let out = pitcrew(&["plugin", "wit", "--version", "9.9.9"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no contract 9.9.9; this pitcrew supports 0.1.0, 0.2.0"),
        "{stderr}"
    );
}

/// `plugin run` holds a phase to the contract a plan does: what passes
/// here passes there (100,000 checks are refused in both).
#[test]
fn a_phase_is_held_to_the_plans_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = json!({"facts": {}, "document": {}, "checks": []});
    let (code, report, stderr) = run(dir.path(), pitcrew_fixtures::MANY_CHECKS, &input);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["answer"], Value::Null, "{report}");
    assert_eq!(
        report["error"],
        "plugin breaker 0.1.0: run: broke the contract: returned 100000 checks (at most 1000)",
        "{report}"
    );
}
