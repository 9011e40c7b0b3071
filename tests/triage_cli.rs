//! `pitcrew triage` end to end: root causes across shards, priorities, the
//! JSON against schemas/triage.schema.json, and the real model client
//! against a scripted OpenAI-compatible server on 127.0.0.1.

mod common;

use std::fs;
use std::path::Path;

use common::cli::pitcrew;
use common::openai_server::{Reply, Server};
use serde_json::Value;

/// A GitHub token in a failure message: it must never reach a model.
const SECRET: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

/// One shard's JUnit: the database failure (this shard's temp dir, port,
/// duration, address and checkout), and on shard 1 two causes in one file.
fn shard_xml(shard: usize) -> String {
    let (tmp, port, took, addr, root) = [
        (
            "/tmp/pytest-of-ci/pytest-1/db0",
            5432,
            "0.51s",
            "0x7f00aa11",
            "/home/runner/work/shop/shop",
        ),
        (
            "/tmp/pytest-of-ci/pytest-9/db3",
            61234,
            "12.0s",
            "0x7f00bb22",
            "/builds/shop",
        ),
        (
            "/var/folders/q1/T/pytest-2/db1",
            40001,
            "3s",
            "0xdeadbeef",
            "/Users/me/shop",
        ),
    ][shard];
    let mut cases = format!(
        r#"<testcase classname="tests.test_orders{shard}" name="test_total" file="tests/test_orders{shard}.py" time="1"><failure message="OperationalError: could not connect to server at 127.0.0.1:{port} (socket {tmp}/.s.PGSQL, waited {took}, handle {addr}) token {SECRET}">Traceback (most recent call last):
  File "{root}/tests/conftest.py", line 30, in db
  File "{root}/shop/db.py", line 12, in connect
  File "{root}/.venv/lib/python3.11/site-packages/psycopg/connection.py", line 100, in connect
OperationalError: could not connect</failure></testcase>
<testcase classname="tests.test_ok{shard}" name="test_fine" file="tests/test_ok{shard}.py" time="1"/>
"#
    );
    if shard == 1 {
        cases.push_str(
            r#"<testcase classname="tests.test_cart" name="test_add" file="tests/test_cart.py" time="1"><failure message="AssertionError: assert 41 == 42">  File "/builds/shop/tests/test_cart.py", line 9, in test_add
AssertionError: assert 41 == 42</failure></testcase>
<testcase classname="tests.test_cart" name="test_remove" file="tests/test_cart.py" time="1"><failure message="KeyError: 'sku-7'">  File "/builds/shop/shop/cart.py", line 40, in remove
KeyError: 'sku-7'</failure></testcase>
"#,
        );
    }
    format!("<testsuite name=\"shard{shard}\">\n{cases}</testsuite>\n")
}

/// Three shard files in a fresh directory.
fn shards() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for shard in 0..3 {
        fs::write(
            dir.path().join(format!("shard{shard}.xml")),
            shard_xml(shard),
        )
        .unwrap();
    }
    dir
}

const SHARDS: [&str; 3] = ["shard0.xml", "shard1.xml", "shard2.xml"];

fn triage_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["triage", "--format", "json"];
    args.extend(SHARDS);
    args.extend(extra);
    triage_output(&pitcrew(&args, dir))
}

/// A successful `triage --format json`'s document, checked against the schema.
fn triage_output(out: &std::process::Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("triage prints JSON");
    validate(&json);
    json
}

/// Validates against schemas/triage.schema.json.
fn validate(json: &Value) {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/triage.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{json:#}");
}

fn groups(json: &Value) -> &Vec<Value> {
    json["groups"].as_array().unwrap()
}

/// The group whose tests include one named `name`.
fn group_of<'a>(json: &'a Value, name: &str) -> &'a Value {
    groups(json)
        .iter()
        .find(|g| {
            g["tests"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().unwrap().ends_with(name))
        })
        .unwrap_or_else(|| panic!("no group with {name}: {json:#}"))
}

fn config(dir: &Path, text: &str) {
    fs::write(dir.join("pitcrew.toml"), text).unwrap();
}

#[test]
fn one_failure_across_three_shards_is_one_root_cause() {
    let dir = shards();
    let json = triage_json(dir.path(), &["--no-suggest"]);
    assert_eq!(json["failures"], 5);
    assert_eq!(json["root_causes"], 3);
    assert_eq!(json["headline"], "5 failures, 3 root causes");
    assert_eq!(json["suggestions"], "off: --no-suggest");
    let db = &groups(&json)[0];
    assert_eq!(db["tests"].as_array().unwrap().len(), 3, "{json:#}");
    assert_eq!(db["priority"], 1);
    assert_eq!(
        db["signature"]["frames"],
        serde_json::json!(["tests/conftest.py:db", "shop/db.py:connect"])
    );
    // Two causes in one file are two groups.
    let add = group_of(&json, "test_add");
    let remove = group_of(&json, "test_remove");
    assert_ne!(add["fingerprint"], remove["fingerprint"]);
    assert_eq!(db["route"]["served_by"], Value::Null);
    assert!(db["route"]["model"].is_string());
}

#[test]
fn a_changed_file_moves_its_group_first() {
    let dir = shards();
    fs::write(dir.path().join("changed.txt"), "shop/cart.py\n").unwrap();
    let json = triage_json(
        dir.path(),
        &["--no-suggest", "--changed-files", "changed.txt"],
    );
    let first = &groups(&json)[0];
    assert!(
        first["tests"][0].as_str().unwrap().ends_with("test_remove"),
        "{json:#}"
    );
    assert_eq!(first["touched"], true);
    assert_eq!(first["priority"], 1);
}

#[test]
fn the_terminal_and_markdown_lead_with_root_causes_and_write_atomically() {
    let dir = shards();
    let mut args = vec!["triage", "--no-suggest"];
    args.extend(SHARDS);
    let out = pitcrew(&args, dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("5 failures, 3 root causes\n"), "{text}");
    assert!(text.contains("#1 "), "{text}");
    args.extend(["--format", "markdown", "-o", "triage.md"]);
    let out = pitcrew(&args, dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let md = fs::read_to_string(dir.path().join("triage.md")).unwrap();
    assert!(
        md.starts_with("### pitcrew triage: 5 failures, 3 root causes"),
        "{md}"
    );
}

#[test]
fn the_step_summary_is_redacted_before_it_is_escaped() {
    let dir = shards();
    // A secret in a failing test's name: escaped for Markdown (`ghp\_…`)
    // it would no longer look like one.
    let passing = r#"name="test_fine" file="tests/test_ok0.py" time="1"/>"#;
    let failing = format!(
        r#"name="test_{SECRET}" file="tests/test_ok0.py" time="1"><failure message="boom"/></testcase>"#
    );
    let xml = shard_xml(0);
    assert!(xml.contains(passing));
    fs::write(
        dir.path().join("shard0.xml"),
        xml.replace(passing, &failing),
    )
    .unwrap();
    // A variable the configuration lists as secret, in a failure message.
    let xml = fs::read_to_string(dir.path().join("shard0.xml")).unwrap();
    fs::write(
        dir.path().join("shard0.xml"),
        xml.replacen(r#"message="boom""#, r#"message="salt-value-LEAK boom""#, 1),
    )
    .unwrap();
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[models]\nsecret_env = [\"SIGNING_SALT\"]\n",
    )
    .unwrap();
    let mut args = vec!["triage", "--no-suggest"];
    args.extend(SHARDS);
    let summary = dir.path().join("summary.md");
    let out = common::cli::command(dir.path())
        .args(&args)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("SIGNING_SALT", "salt-value-LEAK")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.contains("test\\_\\[REDACTED\\]"), "{md}");
    assert!(!md.replace('\\', "").contains(&SECRET[4..]), "{md}");
    assert!(md.replace('\\', "").contains("[REDACTED] boom"), "{md}");
    assert!(!md.replace('\\', "").contains("salt-value"), "{md}");
}

/// The file `-o` writes is for sharing (the Action uploads it): the token
/// in the failures is redacted there in every format, as on the job log.
#[test]
fn the_document_written_with_o_is_redacted() {
    let dir = shards();
    for format in ["json", "markdown", "terminal"] {
        let mut args = vec!["triage", "--no-suggest", "--format", format, "-o", "doc"];
        args.extend(SHARDS);
        let out = pitcrew(&args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{format}");
        let doc = fs::read_to_string(dir.path().join("doc")).unwrap();
        assert!(!doc.contains(SECRET), "{format}: {doc}");
        assert!(doc.contains("REDACTED"), "{format}: {doc}");
        if format == "json" {
            validate(&serde_json::from_str(&doc).expect("still JSON"));
        }
    }
}

#[test]
fn bad_input_is_exit_2_naming_the_file_and_nothing_is_written() {
    let dir = shards();
    let out = pitcrew(&["triage", "missing.xml", "-o", "out.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.xml: cannot read it"), "{stderr}");
    // A results file without a field.
    fs::write(
        dir.path().join("pitcrew-results.json"),
        r#"{"summary": {}, "tests": [{"key": {"classname": "", "name": "t"}}]}"#,
    )
    .unwrap();
    let out = pitcrew(
        &["triage", "pitcrew-results.json", "-o", "out.json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pitcrew-results.json: not a pitcrew-results.json")
            && stderr.contains("missing field `outcome`"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn merged_results_from_report_triage_the_same() {
    let dir = shards();
    let mut args = vec!["report", "--no-github", "--format", "json"];
    args.extend(SHARDS);
    let out = pitcrew(&args, dir.path());
    fs::write(dir.path().join("pitcrew-results.json"), &out.stdout).unwrap();
    let out = pitcrew(
        &[
            "triage",
            "--format",
            "json",
            "--no-suggest",
            "pitcrew-results.json",
        ],
        dir.path(),
    );
    let json = triage_output(&out);
    assert_eq!(json["headline"], "5 failures, 3 root causes");
}

#[test]
fn report_leads_with_the_same_groups_unless_no_triage() {
    let dir = shards();
    let mut args = vec!["report", "--no-github"];
    args.extend(SHARDS);
    let out = pitcrew(&args, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("5 failures, 3 root causes, by priority:"),
        "{text}"
    );
    args.push("--no-triage");
    let text = String::from_utf8(pitcrew(&args, dir.path()).stdout).unwrap();
    assert!(text.contains("5 failures (not triaged)"), "{text}");
}

#[test]
fn classify_output_has_fingerprint_and_priority() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"test_name": "a", "message": "Error: connect ECONNREFUSED 127.0.0.1:5432"}"#,
        r#"{"test_name": "b", "message": "Error: connect ECONNREFUSED 127.0.0.1:61000"}"#,
        r#"{"test_name": "c", "message": "src/a.ts(1,2): error TS2304: Cannot find name 'x'."}"#,
    ];
    fs::write(dir.path().join("f.jsonl"), lines.join("\n")).unwrap();
    let out = pitcrew(&["classify", "f.jsonl"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["fingerprint"], rows[1]["fingerprint"]);
    assert_ne!(rows[0]["fingerprint"], rows[2]["fingerprint"]);
    // The compile error blocks everything: priority 1.
    assert_eq!(rows[2]["priority"], 1);
    assert_eq!(rows[0]["priority"], 2);
    assert_eq!(rows[1]["priority"], 2);
}

// ---------------------------------------------------------------------------
// The model client, for real, against 127.0.0.1.
// ---------------------------------------------------------------------------

#[test]
fn each_root_cause_gets_a_redacted_question_and_an_escaped_answer() {
    let server = Server::start();
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat(vec![Reply::answer(
            "The db fixture \u{1b}[31mstarts late. @team",
        )]);
    let dir = shards();
    config(
        dir.path(),
        "[router.specialty]\ngeneral = [\"fixer:7b\"]\ntest = [\"fixer:7b\"]\ntypescript = [\"fixer:7b\"]\nreact = [\"fixer:7b\"]\n",
    );
    let json = triage_json(dir.path(), &["--model-url", &server.base()]);
    assert_eq!(json["suggestions"], "on");
    for group in groups(&json) {
        let advice = &group["suggestions"][0];
        assert_eq!(advice["status"], "advice", "{json:#}");
        assert_eq!(advice["served_by"], "fixer:7b@model-url");
        assert!(
            advice["text"]
                .as_str()
                .unwrap()
                .starts_with("The db fixture")
        );
        assert_eq!(group["route"]["served_by"], "fixer:7b@model-url");
        assert_eq!(group["route"]["reason"], "first choice");
    }
    let chats = server.chats();
    assert_eq!(chats.len(), 3, "one question per root cause");
    for chat in &chats {
        assert!(!chat.body.contains(SECRET), "a token reached the model");
    }
    assert!(chats.iter().any(|c| c.body.contains("[REDACTED]")));
    // Shown in a terminal, the answer is inert.
    let mut args = vec!["triage", "--model-url"];
    let base = server.base();
    args.push(&base);
    args.extend(SHARDS);
    let out = pitcrew(&args, dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("starts late"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

#[test]
fn the_router_shortens_text_that_is_already_redacted() {
    // The router cuts the middle of a long log and the test name at 300
    // characters: a key whose BEGIN line is cut away, or a secret value cut
    // in two, would no longer be recognised after the cut.
    let body: Vec<String> = (0..40)
        .map(|i| format!("KEYBODY{i:02}{}", "Ab9+/".repeat(11)))
        .collect();
    let key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
        body.join("\n")
    );
    let steps: String = (0..600)
        .map(|i| format!("    at step {i} (lib/loader.js:{i}:1) while reading fixtures\n"))
        .collect();
    let secret = "S3ss10nS3cretValue0123456789abcdefghijklmn";
    let name = format!("test_login[{}-{secret}]", "x".repeat(270));
    let xml = format!(
        r#"<testsuite tests="1" failures="1"><testcase classname="tests.test_a" name="{name}" file="tests/test_a.py"><failure message="Error: fixture load failed">Error: fixture load failed
{steps}dumping fixture file:
{key}</failure></testcase></testsuite>"#
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("r.xml"), xml).unwrap();
    let server = Server::start();
    server
        .models(Reply::models(&["fixer:7b"]))
        .chat(vec![Reply::answer("Check the fixture.")]);
    let base = server.base();
    let mut cmd = common::cli::command(dir.path());
    cmd.args([
        "triage",
        "--format",
        "json",
        "r.xml",
        "--model-url",
        &base,
        "--model",
        "fixer:7b",
    ])
    .env("SESSION_SECRET", secret);
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let chats = server.chats();
    assert_eq!(chats.len(), 1);
    let sent = &chats[0].body;
    assert!(
        !sent.contains("KEYBODY"),
        "key material reached the model: {sent}"
    );
    assert!(
        !sent.contains("S3ss10n"),
        "part of a secret reached the model: {sent}"
    );
}

#[test]
fn an_unreachable_endpoint_turns_suggestions_off_and_triage_still_reports() {
    // Port 1: nothing listens there, where a port freed here could go to
    // another test's server.
    let url = "http://127.0.0.1:1/v1".to_string();
    let dir = shards();
    let json = triage_json(dir.path(), &["--model-url", &url]);
    let why = json["suggestions"].as_str().unwrap();
    assert!(
        why.starts_with("off: no model endpoint is reachable: model-url at http://127.0.0.1:"),
        "{why}"
    );
    assert_eq!(json["root_causes"], 3);
    for group in groups(&json) {
        assert_eq!(group["suggestions"], serde_json::json!([]));
        assert_eq!(group["route"]["served_by"], Value::Null);
    }
}

#[test]
fn a_model_missing_from_the_list_is_dropped_and_the_fallback_serves() {
    let server = Server::start();
    server
        .models(Reply::models(&["small:1b"]))
        .chat(vec![Reply::answer("Restart the database first.")]);
    let dir = shards();
    config(
        dir.path(),
        "[router.language]\npython = [\"big:70b\", \"small:1b\"]\n",
    );
    let json = triage_json(dir.path(), &["--model-url", &server.base()]);
    let db = &groups(&json)[0];
    assert_eq!(db["route"]["model"], "big:70b");
    assert_eq!(
        db["route"]["chosen_by"],
        "pitcrew.toml router.language.python"
    );
    assert_eq!(db["route"]["served_by"], "small:1b@model-url");
    assert_eq!(
        db["route"]["reason"],
        "fallback: `big:70b` not in the endpoint's model list"
    );
    assert!(
        server
            .chats()
            .iter()
            .all(|c| c.model().as_deref() == Some("small:1b")),
        "the missing model is never asked"
    );
}

#[test]
fn when_the_budget_runs_out_the_remaining_groups_say_so() {
    let server = Server::start();
    server.chat(vec![Reply::answer("Look at the fixture.")]);
    let dir = shards();
    config(dir.path(), "[models]\nmax_calls = 1\nconcurrency = 1\n");
    let json = triage_json(
        dir.path(),
        &["--model-url", &server.base(), "--model", "only:1b"],
    );
    assert_eq!(json["suggestions"], "on");
    let statuses: Vec<&str> = groups(&json)
        .iter()
        .map(|g| g["suggestions"][0]["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "advice").count(),
        1,
        "{json:#}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == "skipped").count(), 2);
    for group in groups(&json) {
        if group["suggestions"][0]["status"] == "skipped" {
            let reason = group["suggestions"][0]["reason"].as_str().unwrap();
            assert!(reason.contains("model budget exhausted"), "{reason}");
        }
        assert_eq!(group["route"]["chosen_by"], "--model");
    }
    assert_eq!(
        json["notes"][0],
        "the model budget ran out: 2 of 3 root causes have no suggestion"
    );
    assert_eq!(server.chats().len(), 1);
}

#[test]
fn a_route_can_name_another_endpoint_and_each_gets_only_its_own_token() {
    let local = Server::start();
    local
        .models(Reply::models(&["small:1b"]))
        .chat(vec![Reply::answer("Restart the database first.")]);
    let gpu = Server::start();
    gpu.models(Reply::models(&["big:70b"]))
        .chat(vec![Reply::answer("The fixture starts late.")]);
    let dir = shards();
    config(
        dir.path(),
        &format!(
            "[models.endpoints.gpu]\nurl = \"{}\"\ntoken_env = \"PITCREW_TEST_GPU_TOKEN\"\n\
             [router.language]\npython = [\"big:70b@gpu\", \"small:1b\"]\n",
            gpu.base()
        ),
    );
    let mut args = vec!["triage", "--format", "json", "--model-url"];
    let base = local.base();
    args.push(&base);
    args.extend(SHARDS);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(&args)
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env("PITCREW_MODEL_TOKEN", "local-token-0123456789")
        .env("PITCREW_TEST_GPU_TOKEN", "gpu-token-0123456789")
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    let json = triage_output(&out);
    let db = &groups(&json)[0];
    assert_eq!(db["route"]["served_by"], "big:70b@gpu", "{json:#}");
    assert_eq!(db["suggestions"][0]["text"], "The fixture starts late.");
    assert!(
        gpu.chats()
            .iter()
            .all(|c| c.model().as_deref() == Some("big:70b"))
    );
    for (server, token) in [
        (&gpu, "Bearer gpu-token-0123456789"),
        (&local, "Bearer local-token-0123456789"),
    ] {
        let seen = server.seen();
        assert!(!seen.is_empty());
        for request in seen {
            assert_eq!(
                request.header("authorization"),
                Some(token),
                "{} {}",
                request.method,
                request.path
            );
        }
    }
}

#[test]
fn a_named_endpoint_without_a_url_or_preset_is_exit_2_naming_it() {
    let dir = shards();
    config(dir.path(), "[models.endpoints.gpu]\ntoken_env = \"T\"\n");
    let mut args = vec!["triage"];
    args.extend(SHARDS);
    let out = pitcrew(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("models.endpoints.gpu: set exactly one of `preset` and `url`"),
        "{stderr}"
    );
    assert!(stderr.contains("pitcrew.toml"), "{stderr}");
}
