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
    jsonschema::validator_for(&schema).map_err(|e| {
        format!(
            "declared a config schema that is not a JSON Schema: {}",
            escape::bounded_line(&e.to_string(), escape::MAX_MESSAGE_BYTES)
        )
    })
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
}
