//! The versioned contract and plugin configuration, end to end: a plugin
//! built for the frozen 0.1.0 next to one built for 0.2.0 in one plan;
//! configuration from pitcrew.toml reaching a 0.2.0 phase; a configuration
//! the plugin's schema refuses, or one given to a 0.1.0 plugin, refused
//! with one line and exit 2, nothing written.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::cli::plan_with_config;
use common::{fixture, runtime};
use pitcrew::host::{LoadError, Plugin, PluginConfig, PluginSpec, World, types};
use serde_json::{Value, json};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const OLD_AND_NEW: &str = "[[plan.phases]]\nname = \"audit\"\nsource = {audit:?}\n\
     [[plan.phases]]\nname = \"configured\"\nsource = {configured:?}\n";

fn old_and_new(config: &str) -> String {
    OLD_AND_NEW
        .replace("{audit:?}", &format!("{:?}", pitcrew_fixtures::AUDIT_PHASE))
        .replace(
            "{configured:?}",
            &format!("{:?}", pitcrew_fixtures::CONFIG_PHASE),
        )
        + config
}

#[test]
fn a_0_1_0_and_a_0_2_0_phase_run_in_one_plan_and_the_config_reaches_the_new_one() {
    let (dir, output) = plan_with_config(
        &old_and_new("[plan.phases.config]\ngreeting = \"hello\"\ntimes = 2\n"),
        &["-o", "plan.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("plan.json")).unwrap()).unwrap();
    // The 0.1.0 phase ran as before.
    assert!(plan["audit"]["fact_keys"].is_array(), "{plan:#}");
    // The 0.2.0 phase was handed exactly its table, as JSON.
    assert_eq!(
        plan["configured"]["config"],
        json!({"greeting": "hello", "times": 2})
    );
}

#[test]
fn a_setting_the_schema_refuses_is_one_line_naming_field_plugin_and_file() {
    let (dir, output) = plan_with_config(
        &old_and_new("[plan.phases.config]\ngreeting = \"hello\"\ntimes = 9\n"),
        &["-o", "plan.json"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("pitcrew.toml: plan.phases.configured.config.times: 9 is greater than the maximum of 3 (config schema of plugin configured 0.2.0)"),
        "{err}"
    );
    assert!(!dir.path().join("plan.json").exists(), "nothing written");

    // No table at all: the required setting is named.
    let (_dir, output) = plan_with_config(&old_and_new(""), &["-o", "plan.json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("plan.phases.configured.config.greeting: missing, and required"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn configuring_a_0_1_0_plugin_is_refused_naming_its_contract() {
    let config = format!(
        "[[plan.phases]]\nname = \"audit\"\nsource = {:?}\n[plan.phases.config]\nlevel = 1\n",
        pitcrew_fixtures::AUDIT_PHASE
    );
    let (dir, output) = plan_with_config(&config, &["-o", "plan.json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("pitcrew.toml: plan.phases.audit.config: plugin audit 0.1.0 was built for pitcrew:plugin@0.1.0, which takes no configuration"),
        "{err}"
    );
    assert!(!dir.path().join("plan.json").exists());
}

fn configured(path: &str, value: Value) -> PluginSpec {
    PluginSpec {
        config: Some(PluginConfig {
            value,
            key: "plugins.classifier.config".into(),
            file: "ci/pitcrew.toml".into(),
        }),
        ..fixture(path)
    }
}

#[test]
fn each_plugin_is_served_by_the_bindings_of_the_contract_it_was_built_for() {
    let runtime = runtime();
    let old = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::ECHO_CLASSIFIER),
        "classifier",
        Some(World::Classifier),
    )
    .unwrap();
    assert_eq!(old.contract_version(), "0.1.0");
    // A 0.1.0 classifier still classifies through the host's own types.
    let failure = types::Failure {
        id: "7".into(),
        test_name: "t".into(),
        file: None,
        message: "m".into(),
        details: String::new(),
    };
    let answer = old.classify(std::slice::from_ref(&failure)).unwrap();
    assert_eq!(answer[0].id, "7");

    let builtin = Plugin::load(
        &runtime,
        &PluginSpec::builtin("classifier-default"),
        "classifier",
        Some(World::Classifier),
    )
    .unwrap();
    assert_eq!(builtin.contract_version(), "0.2.0");

    // The library refuses a configuration for 0.1.0 as a config error
    // (exit 2), not a broken plugin (exit 3).
    let err = Plugin::load(
        &runtime,
        &configured(pitcrew_fixtures::ECHO_CLASSIFIER, json!({"x": 1})),
        "classifier",
        Some(World::Classifier),
    )
    .err()
    .unwrap();
    assert!(matches!(err, LoadError::Config(_)), "{err}");
    assert!(
        err.to_string()
            .starts_with("ci/pitcrew.toml: plugins.classifier.config: plugin "),
        "{err}"
    );
    assert_eq!(
        pitcrew::error::exit_code(&anyhow::Error::new(pitcrew::error::Classified::new(err))),
        2
    );
}

fn cli(args: &[&str], dir: &Path) -> (i32, Value, String) {
    let out = common::cli::pitcrew(args, dir);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap(), report, stderr)
}

#[test]
fn plugin_check_names_the_contract_and_plugin_run_takes_a_config() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report, stderr) = cli(
        &[
            "plugin",
            "check",
            pitcrew_fixtures::CONFIG_PHASE,
            "--format",
            "json",
        ],
        dir.path(),
    );
    // Inspecting is not configuring: the required setting is not asked for.
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["loadable"], true, "{report:#}");
    assert_eq!(report["plugin"]["contract"], "0.2.0");
    assert_eq!(
        report["plugin"]["config_schema"]["required"],
        json!(["greeting"])
    );
    let (_, report, _) = cli(
        &[
            "plugin",
            "check",
            pitcrew_fixtures::AUDIT_PHASE,
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(report["plugin"]["contract"], "0.1.0");
    assert_eq!(report["plugin"]["config_schema"], Value::Null);

    let input = dir.path().join("input.json");
    let run = |plugin: &str, input_json: Value| {
        fs::write(&input, input_json.to_string()).unwrap();
        cli(
            &["plugin", "run", plugin, "--input", input.to_str().unwrap()],
            dir.path(),
        )
    };
    let phase = json!({"facts": {}, "document": {}, "config": {"greeting": "hi"}});
    let (code, report, stderr) = run(pitcrew_fixtures::CONFIG_PHASE, phase.clone());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        report["answer"]["keys"]["configured"]["config"],
        json!({"greeting": "hi"})
    );
    let (code, _, stderr) = run(
        pitcrew_fixtures::CONFIG_PHASE,
        json!({"facts": {}, "document": {}, "config": {"greeting": 1}}),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("input.json: config.greeting: 1 is not of type \"string\""),
        "{stderr}"
    );
    let (code, _, stderr) = run(pitcrew_fixtures::AUDIT_PHASE, phase);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("was built for pitcrew:plugin@0.1.0, which takes no configuration"),
        "{stderr}"
    );
}

#[test]
fn a_builtin_without_settings_refuses_a_config_table_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[plugins.classifier.config]\nthreshold = 0.5\n",
    )
    .unwrap();
    let input = dir.path().join("failures.jsonl");
    fs::write(&input, "{\"test_name\": \"t\", \"message\": \"m\"}\n").unwrap();
    let (code, _, stderr) = cli(
        &["classify", input.to_str().unwrap(), "--no-route"],
        dir.path(),
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("pitcrew.toml: plugins.classifier.config: ")
            && stderr.contains("(config schema of plugin classifier-default "),
        "{stderr}"
    );
}

/// `classify` of one Python assertion failure (specialty `test`) with
/// `pitcrew.toml` holding `toml`: exit code, the route, stderr.
fn routed_with(toml: &str) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pitcrew.toml"), toml).unwrap();
    let input = dir.path().join("failures.jsonl");
    fs::write(
        &input,
        "{\"test_name\": \"t\", \"file\": \"tests/test_a.py\", \"message\": \"AssertionError: assert 1 == 2\"}\n",
    )
    .unwrap();
    let (code, answer, stderr) = cli(&["classify", input.to_str().unwrap()], dir.path());
    (code, answer["route"].clone(), stderr)
}

#[test]
fn the_builtin_router_takes_its_models_and_limits_from_pitcrew_toml() {
    let (code, route, stderr) = routed_with("");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(route["model"], "deepseek-coder:1.3b", "the default mapping");

    let (code, route, stderr) =
        routed_with("[plugins.router.config]\nmodel = \"qwen2.5-coder:7b\"\nmax_tokens = 300\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(route["model"], "qwen2.5-coder:7b", "{route}");
    assert_eq!(route["max_tokens"], 300, "{route}");

    let (code, route, stderr) = routed_with(
        "[plugins.router.config]\nmodel = \"qwen2.5-coder:7b\"\n\
         [plugins.router.config.models]\ntest = \"qwen2.5-coder:1.5b\"\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(route["model"], "qwen2.5-coder:1.5b", "{route}");
    assert_eq!(route["fallbacks"], json!(["qwen2.5-coder:7b"]), "{route}");

    for (toml, field) in [
        ("temperature = 5", "plugins.router.config.temperature"),
        ("modle = \"x\"", "plugins.router.config"),
        ("models = { rust = \"x\" }", "plugins.router.config.models"),
        (
            "max_tokens = { test = 0 }",
            "plugins.router.config.max_tokens",
        ),
        // Past what the host accepts from any route.
        ("max_tokens = 2000000", "plugins.router.config.max_tokens"),
    ] {
        let (code, _, stderr) = routed_with(&format!("[plugins.router.config]\n{toml}\n"));
        assert_eq!(code, 2, "{toml}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{toml}: {stderr}");
        assert!(
            stderr.contains(&format!("pitcrew.toml: {field}"))
                && stderr.contains("(config schema of plugin router-default "),
            "{toml}: {stderr}"
        );
    }
}

#[test]
fn report_refuses_a_bad_classifier_setting_before_writing_anything() {
    for junit in [
        r#"<testsuite><testcase classname="c" name="t"><failure message="boom"/></testcase></testsuite>"#,
        r#"<testsuite><testcase classname="c" name="t"/></testsuite>"#,
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("pitcrew.toml"),
            "[plugins.classifier.config]\nthreshold = 0.5\n",
        )
        .unwrap();
        fs::write(dir.path().join("results.xml"), junit).unwrap();
        let out = common::cli::pitcrew(
            &["report", "results.xml", "--junit", "merged.xml"],
            dir.path(),
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains("pitcrew.toml: plugins.classifier.config: "),
            "{err}"
        );
        assert!(!dir.path().join("merged.xml").exists(), "nothing written");
    }
}

#[test]
fn triage_refuses_a_bad_router_setting_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[plugins.router.config]\ntemperature = 5\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("results.xml"),
        r#"<testsuite><testcase classname="c" name="t"><failure message="boom"/></testcase></testsuite>"#,
    )
    .unwrap();
    let out = common::cli::pitcrew(
        &[
            "triage",
            "results.xml",
            "--format",
            "json",
            "--output",
            "triage.json",
            "--no-suggest",
        ],
        dir.path(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("pitcrew.toml: plugins.router.config.temperature"),
        "{err}"
    );
    assert!(!dir.path().join("triage.json").exists(), "nothing written");
}
