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

/// The keywords that point elsewhere in a schema. Refused: the host checks
/// the schema itself, without the sandbox's limits, and 64 `allOf`s of two
/// references to the one before make 2⁶⁴ checks of an empty table (a hang
/// in 4 KiB, round 61). Without references a check costs at most the
/// schema's size times the configuration's.
const REFERENCES: &[&str] = &["$ref", "$dynamicRef", "$recursiveRef"];

/// The keywords whose values are data, not schemas: a `$ref` key in an
/// `enum` value is no reference.
const DATA: &[&str] = &["enum", "const", "default", "examples"];

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
    bounded_shape(&schema, &mut patterns)?;
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

/// Refuses what would make checking against `schema` cost more than its
/// size says: a reference ([`REFERENCES`]), more than [`MAX_PATTERNS`]
/// regular expressions or one longer than [`MAX_PATTERN_BYTES`].
/// `patterns` counts those seen so far.
fn bounded_shape(schema: &Value, patterns: &mut usize) -> Result<(), String> {
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
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                if REFERENCES.contains(&key.as_str()) {
                    return Err(format!(
                        "declared a config schema with `{key}` (references are not supported in config schemas)"
                    ));
                }
                if DATA.contains(&key.as_str()) {
                    continue;
                }
                match (key.as_str(), value) {
                    ("pattern", Value::String(text)) => pattern(text, patterns)?,
                    ("patternProperties", Value::Object(names)) => {
                        for name in names.keys() {
                            pattern(name, patterns)?;
                        }
                    }
                    _ => {}
                }
                bounded_shape(value, patterns)?;
            }
        }
        Value::Array(items) => {
            for item in items {
                bounded_shape(item, patterns)?;
            }
        }
        _ => {}
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
