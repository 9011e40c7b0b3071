//! The shipped JSON Schema for pitcrew.toml agrees with the parser: what
//! one accepts the other accepts, on valid and invalid samples alike.

use std::path::Path;

use pitcrew::config::Config;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/pitcrew.schema.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(value).unwrap()
}

#[test]
fn schema_and_parser_agree() {
    let validator = schema();
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples = [
        ("", true),
        (
            "[limits]\nmemory_mib = 128\ncpu_time_ms = 500\noutput_mib = 4\n",
            true,
        ),
        ("[cache]\nenabled = false\n", true),
        ("[cache]\ndir = \"cache\"\n", false),
        (
            "[plugins.classifier]\nsource = \"builtin:classifier-default\"\nmemory_mib = 32\n",
            true,
        ),
        (
            "[plugins.router]\nsource = \"Cargo.toml\"\nsha256 = \"",
            true,
        ),
        ("[phases.summary]\nenabled = false\n", true),
        (
            "[cost.prices]\nlinux = 0.008\nbox = 0.5\n[cost.labels]\nbig = \"box\"\n",
            true,
        ),
        ("[cost.prices]\nlinux = -1\n", false),
        ("[cost]\nprice = 1\n", false),
        ("[limits]\nmemory = 3\n", false),
        ("[limits]\nmemory_mib = 0\n", false),
        ("[limits]\nmemory_mib = 5000\n", false),
        ("[limits]\ncpu_time_ms = \"fast\"\n", false),
        ("[plugins.linter]\nsource = \"builtin:x\"\n", false),
        ("[plugins.router]\nsha256 = \"abc\"\n", false),
        ("[plugins.router]\nsource = \"\"\n", false),
        ("[phases.nope]\nenabled = true\n", false),
        ("[phases.summary]\ncolour = \"red\"\n", false),
        ("colour = 1\n", false),
        ("[phases.pre-flight]\nenabled = false\n", false),
        ("[phases.pre-flight]\nenabled = true\n", true),
        (
            "[[plan.phases]]\nname = \"audit\"\nsource = \"builtin:summary\"\nafter = [\"pre-flight\"]\nrequired = true\n",
            true,
        ),
        (
            "[[test.phases]]\nname = \"quarantine\"\nsource = \"builtin:x\"\nenabled = false\ncpu_time_ms = 9\n",
            true,
        ),
        ("[[test.phases]]\nname = \"q\"\n", false),
        (
            "[[test.phases]]\nname = \"summary\"\nsource = \"builtin:x\"\n",
            false,
        ),
        (
            "[[test.phases]]\nname = \"Q\"\nsource = \"builtin:x\"\n",
            false,
        ),
        (
            "[[plan.phases]]\nname = \"a\"\nsource = \"builtin:x\"\nrequired = true\nenabled = false\n",
            false,
        ),
        (
            "[[plan.phases]]\nname = \"a\"\nsource = \"builtin:x\"\nowns = []\n",
            false,
        ),
        ("[plan]\nextra = 1\n", false),
        (
            "[models]\nendpoint = \"ollama\"\nmax_calls = 3\nmax_cost_usd = 0.5\nconcurrency = 2\nsecret_env = [\"DB_URL\"]\n[models.prices.\"m\"]\ninput_per_million = 1.0\noutput_per_million = 2.0\n",
            true,
        ),
        (
            "[models]\nurl = \"http://127.0.0.1:9/v1\"\ntoken_env = \"T\"\n",
            true,
        ),
        ("[models]\ntoken_env = \"T\"\n", false),
        ("[models]\nendpoint = \"olama\"\n", false),
        ("[models]\nconcurrency = 0\n", false),
        ("[models]\ncolour = 1\n", false),
        (
            "[router.category]\ncompile = [\"a\", \"b\"]\n[router.language]\npython = [\"c\"]\n[router.specialty]\ntest = [\"d\"]\n",
            true,
        ),
        ("[router.category]\ncompil = [\"a\"]\n", false),
        ("[router.specialty]\ntest = []\n", false),
        ("[router.specialty]\ntest = [\" \"]\n", false),
        ("[router]\nmodel = \"x\"\n", false),
    ];
    for (text, valid) in samples {
        let text = if text.ends_with("sha256 = \"") {
            format!("{text}{}\"\n", "a".repeat(64))
        } else {
            text.to_string()
        };
        let schema_ok = validator.is_valid(&as_json(&text));
        let parser_ok = Config::parse(&text, base).is_ok();
        assert_eq!(schema_ok, valid, "schema on {text:?}");
        assert_eq!(
            parser_ok,
            valid,
            "parser on {text:?}: {:?}",
            Config::parse(&text, base).err()
        );
    }
}

#[test]
fn every_phase_slot_is_in_the_schema() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/pitcrew.schema.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let phases = schema["properties"]["phases"]["properties"]
        .as_object()
        .unwrap();
    let slots: Vec<&str> = pitcrew::config::PHASE_SLOTS
        .iter()
        .map(|(slot, _)| *slot)
        .collect();
    let listed: Vec<&str> = phases.keys().map(String::as_str).collect();
    assert_eq!(listed, slots);
}
