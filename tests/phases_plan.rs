//! Phases added to `pitcrew plan` in pitcrew.toml, end to end with real
//! plugins: a section of their own in every view, a gate replacement that
//! writes nothing (refused), a cycle among optional phases (degraded), key
//! conflicts (one line naming both phases).

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::cli::plan_with_config;
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The plan on stdout, checked against schemas/plan.schema.json.
fn valid_plan(output: &Output) -> Value {
    let plan: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(output)));
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schemas/plan.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&plan)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "schema: {errors:?}\n{plan:#}");
    plan
}

fn added(name: &str, source: &str, extra: &str) -> String {
    format!("[[plan.phases]]\nname = \"{name}\"\nsource = {source:?}\n{extra}\n")
}

#[test]
fn an_added_phase_writes_its_own_section_in_every_view() {
    let config = added(
        "audit",
        pitcrew_fixtures::AUDIT_PHASE,
        "after = [\"pre-flight\"]",
    );
    let (dir, output) = plan_with_config(&config, &["-o", "plan.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan = valid_plan(&output);
    // After every built-in section, it saw them all; before the metadata.
    let keys: Vec<&String> = plan.as_object().unwrap().keys().collect();
    assert_eq!(keys[keys.len() - 2..], ["audit", "pitcrew"]);
    assert_eq!(plan["audit"]["sections_before"], 12);
    let facts: Vec<&str> = plan["audit"]["fact_keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(facts.contains(&"workers"), "{facts:?}");
    let used = plan["pitcrew"]["plugins"].as_array().unwrap();
    assert!(
        used.iter().any(|p| p["slot"] == "plan.phases.audit"),
        "{used:?}"
    );
    let file: Value =
        serde_json::from_slice(&fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    assert_eq!(file["audit"], plan["audit"]);

    let (_dir, output) = plan_with_config(&config, &["--format", "table"]);
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("audit\n  ⚠ audit.done"),
        "its layer and check: {table}"
    );
    assert!(
        table.contains("added sections\n  audit ")
            && table.contains("{\"fact_keys\":[\"checkpoint\","),
        "{table}"
    );
}

#[test]
fn a_gate_replacement_that_writes_nothing_is_refused() {
    let config = format!(
        "[phases.pre-flight]\nsource = {:?}\n",
        pitcrew_fixtures::SILENT_GATE
    );
    for format in ["json", "table"] {
        let (dir, output) = plan_with_config(&config, &["--format", format, "-o", "plan.json"]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(3), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(
                "required phase `pre-flight` failed: did not write `pre_flight_checklist`, which its slot promises"
            ),
            "{err}"
        );
        assert!(output.stdout.is_empty(), "nothing printed");
        assert!(!dir.path().join("plan.json").exists(), "nothing written");
    }
}

#[test]
fn a_cycle_among_optional_phases_degrades_them_and_the_plan_goes_on() {
    let config = added(
        "audit",
        pitcrew_fixtures::AUDIT_PHASE,
        "after = [\"quarantine\"]",
    ) + &added(
        "quarantine",
        pitcrew_fixtures::QUARANTINE_PHASE,
        "after = [\"audit\"]",
    ) + &added(
        "late",
        pitcrew_fixtures::SILENT_GATE,
        "after = [\"nowhere\"]\nenabled = false",
    );
    let (_dir, output) = plan_with_config(&config, &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("phase `audit` unavailable: in a cycle of phases `audit`, `quarantine`"),
        "{err}"
    );
    let plan = valid_plan(&output);
    for key in ["audit", "quarantine"] {
        assert_eq!(plan[key]["status"], "unavailable", "{key}");
    }
    assert_eq!(plan["pre_flight_checklist"]["overall_status"], "pass");
}

#[test]
fn a_bad_after_degrades_an_optional_phase_and_fails_a_required_one() {
    let (_dir, output) = plan_with_config(
        &added(
            "audit",
            pitcrew_fixtures::AUDIT_PHASE,
            "after = [\"nowhere\"]",
        ),
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        valid_plan(&output)["audit"]["reason"],
        "runs after `nowhere`, which is not in the pipeline"
    );
    let (_dir, output) = plan_with_config(
        &added(
            "audit",
            pitcrew_fixtures::AUDIT_PHASE,
            "after = [\"nowhere\"]\nrequired = true",
        ),
        &[],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(
        err.contains("phase `audit` runs after `nowhere`, which is not in the pipeline"),
        "{err}"
    );
}

#[test]
fn an_added_phase_claiming_a_built_in_section_is_one_line_naming_both() {
    let (_dir, output) = plan_with_config(&added("sneak", pitcrew_fixtures::SILENT_GATE, ""), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("phases `pre-flight` and `sneak` both claim the key `pre_flight_checklist`"),
        "{err}"
    );
}
