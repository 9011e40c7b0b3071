//! A plugin's configuration (`[plugins.NAME.config]`, a phase's `config`
//! table): checked against the JSON Schema the plugin declares in
//! `describe`, then handed to every call as JSON. Contract 0.2.0 and later;
//! a plugin built for 0.1.0 cannot take one.

use serde_json::Value;

use crate::escape;

/// Configuration for one plugin, and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginConfig {
    /// A JSON object.
    pub value: Value,
    /// The table's key, e.g. `plan.phases.audit.config`.
    pub key: String,
    /// The file it comes from, e.g. `pitcrew.toml`.
    pub file: String,
}

/// Longest config schema a plugin may declare.
pub const MAX_SCHEMA_BYTES: usize = 64 * 1024;

/// Most regular expressions (`pattern`, `patternProperties`) a config
/// schema may hold, and the longest of them. The host compiles them, out
/// of the sandbox's reach, on every load: a 64 KiB schema of 1,700
/// distinct patterns took 8.9 GB and a minute (round 61).
pub const MAX_PATTERNS: usize = 32;
pub const MAX_PATTERN_BYTES: usize = 512;

/// What one compiled pattern may take: the `regex` engine (linear time,
/// no backtracking), its program and its lazy DFA's cache each bounded.
const PATTERN_SIZE_LIMIT: usize = 256 * 1024;

/// Keywords refused in a config schema. The host checks the schema itself,
/// without the sandbox's limits. References: 64 `allOf`s of two `$ref`s to
/// the one before make 2⁶⁴ checks of an empty table (a hang in 4 KiB,
/// round 61). `unevaluated*`: nested under `allOf`, each level cost 2.6×
/// the one below it (a hang in 1.7 KiB, round 62).
const REFUSED: &[&str] = &[
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords whose value is a schema (or, for `items`, a list of them in
/// drafts before 2020-12).
const ONE_SCHEMA: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "items",
    "contains",
    "additionalProperties",
    "additionalItems",
    "propertyNames",
    "contentSchema",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];
/// Keywords whose value maps names to schemas.
const SCHEMA_MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "dependencies",
];

/// Deepest nesting of schemas in a config schema: what no keyword's cost
/// can multiply beyond (a configuration is a few tables deep).
pub const MAX_DEPTH: usize = 16;

/// Longest the host spends compiling a config schema and checking a
/// configuration against it, whatever the schema holds: past it, the
/// plugin broke the contract (a safety net under the rules above).
pub const CHECK_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// Why a configuration was refused: one line naming the file, the field
/// and the plugin.
#[derive(Debug, thiserror::Error)]
pub enum ConfigRefused {
    #[error(
        "{file}: {key}: plugin {plugin} was built for pitcrew:plugin@{version}, which takes no configuration; rebuild it for pitcrew:plugin@{current} or remove `{key}`"
    )]
    NotInContract {
        file: String,
        key: String,
        plugin: String,
        version: &'static str,
        current: &'static str,
    },
    #[error("{file}: {field}: {reason} (config schema of plugin {plugin})")]
    Invalid {
        file: String,
        field: String,
        reason: String,
        plugin: String,
    },
}

/// A declared config schema that is not one: `Err(reason)`, for the
/// plugin's contract error.
pub fn compile_schema(text: &str) -> Result<jsonschema::Validator, String> {
    if text.len() > MAX_SCHEMA_BYTES {
        return Err(format!(
            "declared a config schema of {} bytes (at most {MAX_SCHEMA_BYTES})",
            text.len()
        ));
    }
    let schema: Value = serde_json::from_str(text)
        .map_err(|e| format!("declared a config schema that is not JSON: {e}"))?;
    let mut patterns = 0;
    bounded_shape(&schema, 0, &mut patterns)?;
    let patterns = jsonschema::PatternOptions::regex()
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT);
    let options = jsonschema::options().with_pattern_options(patterns);
    options.build(&schema).map_err(|e| {
        format!(
            "declared a config schema that is not a JSON Schema: {}",
            escape::bounded_line(&e.to_string(), escape::MAX_MESSAGE_BYTES)
        )
    })
}

/// What a config check refused.
#[derive(Debug)]
pub enum Refusal {
    /// The schema itself: the plugin broke the contract.
    Schema(String),
    /// The configuration: the user's to fix.
    Config(ConfigRefused),
}

/// Compiles `schema` and, unless `config` is `None` (a component only
/// inspected), checks the configuration (`Some(None)`: `{}`), in a thread
/// of its own for at most [`CHECK_TIME`]; a check still running then is
/// left to end with the process.
pub fn check_within(
    schema: &str,
    config: Option<Option<&PluginConfig>>,
    default_key: &str,
    plugin: &str,
) -> Result<(), Refusal> {
    check_within_time(schema, config, default_key, plugin, CHECK_TIME)
}

fn check_within_time(
    schema: &str,
    config: Option<Option<&PluginConfig>>,
    default_key: &str,
    plugin: &str,
    limit: std::time::Duration,
) -> Result<(), Refusal> {
    let schema = schema.to_owned();
    let config = config.map(|c| c.cloned());
    let (default_key, plugin) = (default_key.to_owned(), plugin.to_owned());
    let (send, receive) = std::sync::mpsc::channel();
    let checker = std::thread::Builder::new()
        .name("config-schema".into())
        .spawn(move || {
            let checked = compile_schema(&schema)
                .map_err(Refusal::Schema)
                .and_then(|v| {
                    let Some(config) = &config else {
                        return Ok(());
                    };
                    check(&v, config.as_ref(), &default_key, &plugin).map_err(Refusal::Config)
                });
            // The caller may have stopped waiting.
            let _ = send.send(checked);
        });
    if let Err(e) = checker {
        return Err(Refusal::Schema(format!(
            "declared a config schema the host could not check: {e}"
        )));
    }
    match receive.recv_timeout(limit) {
        Ok(checked) => checked,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Refusal::Schema(format!(
            "declared a config schema that took more than {} ms to check",
            limit.as_millis()
        ))),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(Refusal::Schema(
            "declared a config schema whose check failed".into(),
        )),
    }
}

/// Refuses what would make checking against `schema` cost more than its
/// size says: a [`REFUSED`] keyword, nesting deeper than [`MAX_DEPTH`],
/// more than [`MAX_PATTERNS`] regular expressions or one longer than
/// [`MAX_PATTERN_BYTES`]. Walks keywords as JSON Schema reads them, so a
/// property named `default` or `$ref` is a name, not a keyword.
/// `patterns` counts those seen so far.
fn bounded_shape(schema: &Value, depth: usize, patterns: &mut usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "declared a config schema nested deeper than {MAX_DEPTH} schemas"
        ));
    }
    let Value::Object(map) = schema else {
        return Ok(());
    };
    let pattern = |text: &str, patterns: &mut usize| {
        *patterns += 1;
        if *patterns > MAX_PATTERNS {
            return Err(format!(
                "declared a config schema of more than {MAX_PATTERNS} patterns"
            ));
        }
        if text.len() > MAX_PATTERN_BYTES {
            return Err(format!(
                "declared a config schema with a pattern of {} bytes (at most {MAX_PATTERN_BYTES})",
                text.len()
            ));
        }
        Ok(())
    };
    for (key, value) in map {
        let key = key.as_str();
        if REFUSED.contains(&key) {
            return Err(format!(
                "declared a config schema with `{key}` (not supported in config schemas)"
            ));
        }
        if let ("pattern", Value::String(text)) = (key, value) {
            pattern(text, patterns)?;
        }
        if ONE_SCHEMA.contains(&key) && !value.is_array() {
            bounded_shape(value, depth + 1, patterns)?;
        }
        if let (true, Value::Array(list)) = (SCHEMA_LIST.contains(&key), value) {
            for item in list {
                bounded_shape(item, depth + 1, patterns)?;
            }
        }
        if let (true, Value::Object(named)) = (SCHEMA_MAP.contains(&key), value) {
            for (name, item) in named {
                if key == "patternProperties" {
                    pattern(name, patterns)?;
                }
                bounded_shape(item, depth + 1, patterns)?;
            }
        }
    }
    Ok(())
}

/// Checks `config` (or `{}` when none is set, so required settings are
/// named) against `validator`: the first error, naming its field.
pub fn check(
    validator: &jsonschema::Validator,
    config: Option<&PluginConfig>,
    default_key: &str,
    plugin: &str,
) -> Result<(), ConfigRefused> {
    let empty = Value::Object(Default::default());
    let (value, key, file) = match config {
        Some(c) => (&c.value, c.key.as_str(), c.file.as_str()),
        None => (&empty, default_key, crate::config::FILE_NAME),
    };
    let Some(error) = validator.iter_errors(value).next() else {
        return Ok(());
    };
    let mut field = key.to_string();
    for segment in error.instance_path().iter() {
        let segment = segment.to_string();
        if segment.parse::<usize>().is_ok() {
            field.push_str(&format!("[{segment}]"));
        } else {
            field.push('.');
            field.push_str(&segment);
        }
    }
    let reason = match error.kind() {
        jsonschema::error::ValidationErrorKind::Required { property } => {
            if let Some(name) = property.as_str() {
                field.push('.');
                field.push_str(name);
            }
            "missing, and required".to_string()
        }
        _ => error.to_string(),
    };
    Err(ConfigRefused::Invalid {
        file: file.to_string(),
        field: escape::bounded_line(&field, escape::MAX_MESSAGE_BYTES),
        reason: escape::bounded_line(&reason, escape::MAX_MESSAGE_BYTES),
        plugin: plugin.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: Value) -> PluginConfig {
        PluginConfig {
            value,
            key: "plan.phases.audit.config".into(),
            file: "ci/pitcrew.toml".into(),
        }
    }

    const SCHEMA: &str = r#"{"type": "object", "required": ["team"],
        "properties": {"team": {"type": "string"}, "limits": {"type": "array", "items": {"type": "integer"}}},
        "additionalProperties": false}"#;

    #[test]
    fn a_bad_field_is_named_with_the_file_and_the_plugin() {
        let v = compile_schema(SCHEMA).unwrap();
        let err = check(
            &v,
            Some(&config(json!({"team": 3}))),
            "unused",
            "audit 0.2.0",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "ci/pitcrew.toml: plan.phases.audit.config.team: 3 is not of type \"string\" (config schema of plugin audit 0.2.0)"
        );
        let err = check(
            &v,
            Some(&config(json!({"team": "a", "limits": [1, "x"]}))),
            "unused",
            "audit 0.2.0",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("ci/pitcrew.toml: plan.phases.audit.config.limits[1]: "),
            "{err}"
        );
        assert!(check(&v, Some(&config(json!({"team": "a"}))), "unused", "p").is_ok());
    }

    #[test]
    fn a_missing_required_setting_is_named_even_without_a_table() {
        let v = compile_schema(SCHEMA).unwrap();
        let err = check(&v, None, "plugins.classifier.config", "c 1.0")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pitcrew.toml: plugins.classifier.config.team: missing, and required (config schema of plugin c 1.0)"
        );
    }

    #[test]
    fn a_schema_that_is_not_one_is_refused() {
        assert!(compile_schema("{").unwrap_err().contains("not JSON"));
        assert!(
            compile_schema(r#"{"type": 5}"#)
                .unwrap_err()
                .contains("not a JSON Schema")
        );
        let huge = format!("\"{}\"", "x".repeat(MAX_SCHEMA_BYTES));
        assert!(compile_schema(&huge).unwrap_err().contains("bytes"));
    }

    /// Round 61: the host checks the schema out of the sandbox's reach, so
    /// what would cost more than the schema's size is refused up front.
    #[test]
    fn a_schema_that_would_cost_more_than_its_size_is_refused() {
        // 2^64 checks of `{}` in a few KiB: never compiled.
        let mut defs = serde_json::Map::new();
        defs.insert("a0".into(), json!({"type": "object"}));
        for i in 1..=64 {
            let prev = format!("#/$defs/a{}", i - 1);
            defs.insert(
                format!("a{i}"),
                json!({"allOf": [{"$ref": prev}, {"$ref": prev}]}),
            );
        }
        let bomb = json!({"$defs": defs, "$ref": "#/$defs/a64"}).to_string();
        let err = compile_schema(&bomb).unwrap_err();
        assert!(err.contains("`$ref`"), "{err}");
        for key in ["$dynamicRef", "$recursiveRef"] {
            let schema = json!({"properties": {"a": {key: "#"}}}).to_string();
            assert!(compile_schema(&schema).unwrap_err().contains(key));
        }
        // Too many patterns, or one too long.
        let many: serde_json::Map<String, Value> = (0..=MAX_PATTERNS)
            .map(|i| {
                (
                    format!("p{i}"),
                    json!({"type": "string", "pattern": format!("^a{{{i}}}$")}),
                )
            })
            .collect();
        let err = compile_schema(&json!({"properties": many}).to_string()).unwrap_err();
        assert!(err.contains("patterns"), "{err}");
        let names: serde_json::Map<String, Value> = (0..=MAX_PATTERNS)
            .map(|i| (format!("^x{i}$"), json!({})))
            .collect();
        let err = compile_schema(&json!({"patternProperties": names}).to_string()).unwrap_err();
        assert!(err.contains("patterns"), "{err}");
        let long = json!({"pattern": "a".repeat(MAX_PATTERN_BYTES + 1)}).to_string();
        assert!(compile_schema(&long).unwrap_err().contains("pattern of"));
        // One short pattern whose program is huge: the regex engine's own
        // limit, one line.
        let big = json!({"pattern": "\\p{Greek}{1000}"}).to_string();
        let err = compile_schema(&big).unwrap_err();
        assert!(err.contains("not a JSON Schema"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    /// Round 62: `unevaluatedProperties` nested under `allOf` (1.7 KiB:
    /// a hang), and keywords hidden under a property named `default`.
    #[test]
    fn keywords_are_found_where_json_schema_reads_them() {
        let mut uneval = json!({"type": "object"});
        for _ in 0..21 {
            uneval = json!({"unevaluatedProperties": false, "allOf": [uneval]});
        }
        let err = compile_schema(&uneval.to_string()).unwrap_err();
        assert!(err.contains("`unevaluatedProperties`"), "{err}");
        let hidden = json!({"properties": {"default": {"$defs": {"a": {}}, "$ref": "#/x"}}});
        assert!(
            compile_schema(&hidden.to_string())
                .unwrap_err()
                .contains("`$ref`")
        );
        let names: serde_json::Map<String, Value> = (0..=MAX_PATTERNS)
            .map(|i| (format!("p{i}"), json!({"pattern": format!("^a{{{i}}}$")})))
            .collect();
        let hidden = json!({"properties": {"default": {"properties": names}}});
        let err = compile_schema(&hidden.to_string()).unwrap_err();
        assert!(err.contains("patterns"), "{err}");
        let mut deep = json!({"type": "string"});
        for _ in 0..=MAX_DEPTH {
            deep = json!({"anyOf": [deep]});
        }
        assert!(
            compile_schema(&deep.to_string())
                .unwrap_err()
                .contains("nested deeper")
        );
    }

    #[test]
    fn a_check_past_its_time_breaks_the_contract() {
        // 32 patterns near the engine's limit: tens of milliseconds to
        // compile, against a limit of one.
        let slow: serde_json::Map<String, Value> = (0..MAX_PATTERNS)
            .map(|i| {
                (
                    format!("p{i}"),
                    json!({"pattern": format!("\\p{{Greek}}{{100}}{i:x}")}),
                )
            })
            .collect();
        let schema = json!({"properties": slow}).to_string();
        let limit = std::time::Duration::from_millis(1);
        match check_within_time(&schema, Some(None), "k", "p", limit) {
            Err(Refusal::Schema(reason)) => {
                assert!(reason.contains("took more than 1 ms"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        // Within the time: the config's own refusal, or none.
        let refused = check_within(SCHEMA, Some(Some(&config(json!({"team": 3})))), "k", "p");
        assert!(matches!(refused, Err(Refusal::Config(_))), "{refused:?}");
        assert!(check_within(SCHEMA, Some(Some(&config(json!({"team": "a"})))), "k", "p").is_ok());
        assert!(check_within(SCHEMA, None, "k", "p").is_ok());
        assert!(matches!(
            check_within("{", None, "k", "p"),
            Err(Refusal::Schema(_))
        ));
    }

    #[test]
    fn patterns_and_data_named_like_references_still_work() {
        let schema = json!({
            "type": "object",
            "properties": {
                "team": {"type": "string", "pattern": "^[a-z]+$"},
                "mode": {"enum": [{"$ref": "not a reference"}, "fast"]},
            },
            "patternProperties": {"^x-": {"type": "string"}},
        });
        let v = compile_schema(&schema.to_string()).unwrap();
        assert!(
            check(
                &v,
                Some(&config(json!({"team": "core", "mode": "fast"}))),
                "k",
                "p"
            )
            .is_ok()
        );
        let err = check(&v, Some(&config(json!({"team": "Core"}))), "k", "p")
            .unwrap_err()
            .to_string();
        assert!(err.contains("plan.phases.audit.config.team"), "{err}");
    }
}
