//! The test pipeline of `pitcrew report`, end to end with real plugins: an
//! added phase that quarantines a known failure (the verdict turns it into
//! a warning), its section in every view, a cycle through the verdict
//! (degrades), and the documents against their shipped schemas.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const QUARANTINE: &str = "[[test.phases]]\nname = \"quarantine\"\nsource = ";

fn junit(failing: &[&str]) -> String {
    let mut xml =
        String::from("<testsuite name=\"s\">\n<testcase classname=\"m\" name=\"fine\"/>\n");
    for name in failing {
        xml.push_str(&format!(
            "<testcase classname=\"m\" name=\"{name}\"><failure message=\"boom\">trace</failure></testcase>\n"
        ));
    }
    xml + "</testsuite>\n"
}

/// `pitcrew report` over one JUnit file failing `failing`, with `config`.
fn run_report(config: &str, failing: &[&str], args: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pitcrew.toml"), config).unwrap();
    fs::write(dir.path().join("junit.xml"), junit(failing)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(["report", "--no-classify", "--no-github", "junit.xml"])
        .args(args)
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .output()
        .unwrap();
    (dir, output)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn quarantine() -> String {
    format!("{QUARANTINE}{:?}\n", pitcrew_fixtures::QUARANTINE_PHASE)
}

fn validate(schema: &str, value: &Value) {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(schema)).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{value:#}");
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(output)))
}

#[test]
fn without_phases_a_failure_fails_the_run() {
    let (_dir, output) = run_report("", &["known_broken_case"], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&output);
    validate("schemas/facts/test-document.schema.json", &report["phases"]);
    assert_eq!(
        report["phases"]["verdict"]["failed"][0],
        "m > known_broken_case"
    );
    assert_eq!(
        report["phases"]["summary"]["blocking_failures"][0],
        "tests.failed"
    );
    let failed = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "tests.failed")
        .unwrap();
    assert_eq!(
        (failed["status"].as_str(), failed["blocking"].as_bool()),
        (Some("fail"), Some(true))
    );
}

#[test]
fn a_quarantine_phase_turns_a_known_failure_into_a_warning() {
    let (dir, output) = run_report(
        &quarantine(),
        &["known_broken_case"],
        &["--format", "json", "--markdown", "report.md"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = json(&output);
    validate("schemas/facts/test-document.schema.json", &report["phases"]);
    let phases = &report["phases"];
    assert_eq!(
        phases["quarantine"]["waived"][0]["test"],
        "m > known_broken_case"
    );
    assert_eq!(phases["verdict"]["status"], "pass");
    assert_eq!(phases["verdict"]["waived"][0]["by"], "quarantine");
    assert_eq!(phases["summary"]["status"], "warn");
    // The section sits between the added phases' order and the built-ins'.
    let keys: Vec<&String> = phases.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["quarantine", "verdict", "summary"]);
    let markdown = fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        markdown.contains("<details><summary>quarantine</summary>"),
        "{markdown}"
    );
    assert!(markdown.contains("**tests.waived**"), "{markdown}");

    // The terminal view names the waiver and shows the section.
    let (_dir, output) = run_report(&quarantine(), &["known_broken_case"], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "⚠ tests.waived 1 known failure(s) waived: m > known_broken_case (by `quarantine`)"
        ),
        "{text}"
    );
    assert!(text.contains("quarantine: {\"waived\":[{"), "{text}");
}

/// An added test phase built for 0.2.0 with `settings` as its config table.
fn configured(settings: &str) -> String {
    format!(
        "[[test.phases]]\nname = \"configured\"\nsource = {:?}\n[test.phases.config]\n{settings}\n",
        pitcrew_fixtures::CONFIG_PHASE
    )
}

#[test]
fn an_added_test_phase_gets_its_config_table_and_a_refused_setting_is_exit_2() {
    let (_dir, output) = run_report(
        &configured("greeting = \"hi\"\ntimes = 2"),
        &[],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        json(&output)["phases"]["configured"]["config"],
        serde_json::json!({"greeting": "hi", "times": 2})
    );

    let (dir, output) = run_report(
        &configured("greeting = \"hi\"\ntimes = 9"),
        &[],
        &["--format", "json", "--markdown", "report.md"],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "pitcrew.toml: test.phases.configured.config.times: 9 is greater than the maximum of 3"
        ),
        "{err}"
    );
    assert!(output.stdout.is_empty(), "nothing printed");
    assert!(!dir.path().join("report.md").exists(), "nothing written");
}

#[test]
fn a_failure_the_quarantine_does_not_know_still_fails() {
    let (_dir, output) = run_report(
        &quarantine(),
        &["known_broken_case", "real_failure"],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let verdict = &json(&output)["phases"]["verdict"];
    assert_eq!(verdict["failed"], serde_json::json!(["m > real_failure"]));
    assert_eq!(verdict["waived"].as_array().unwrap().len(), 1);
}

#[test]
fn a_phase_that_asks_to_run_after_the_verdict_degrades() {
    let config = quarantine() + "after = [\"verdict\"]\n";
    let (_dir, output) = run_report(&config, &["known_broken_case"], &["--format", "json"]);
    let err = stderr(&output);
    // It could not run, so it waived nothing: the failure fails the run.
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "phase `quarantine` unavailable: in a cycle of phases `quarantine`, `verdict`"
        ),
        "{err}"
    );
    let report = json(&output);
    assert_eq!(report["phases"]["quarantine"]["status"], "unavailable");
    validate("schemas/facts/test-document.schema.json", &report["phases"]);
}

#[test]
fn a_broken_pitcrew_toml_is_bad_input_for_report() {
    let (_dir, output) = run_report(
        "[[test.phases]]\nname = \"verdict\"\nsource = \"builtin:summary\"\n",
        &[],
        &[],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("test.phases[0].name: `verdict` is a built-in phase"),
        "{err}"
    );
}

/// `pitcrew test -- node --test` over one file with a passing test and a
/// known-broken one, with `config` as pitcrew.toml.
fn local_test(config: &str) -> Option<Output> {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node is not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("test")).unwrap();
    fs::write(
        dir.path().join("test/cart.test.mjs"),
        "import test from 'node:test';\n\
         test('fine', () => {});\n\
         test('known_broken total', () => { throw new Error('expected 1 to equal 2'); });\n",
    )
    .unwrap();
    fs::write(dir.path().join("pitcrew.toml"), config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args([
            "test",
            "--no-github",
            "--shards",
            "1",
            "--",
            "node",
            "--test",
        ])
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .output()
        .unwrap();
    Some(output)
}

#[test]
fn pitcrew_test_runs_the_same_pipeline() {
    let Some(output) = local_test("") else { return };
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let Some(output) = local_test(&quarantine()) else {
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}\n{}", stderr(&output));
    assert!(
        text.contains("⚠ tests.waived 1 known failure(s) waived"),
        "{text}"
    );
}
