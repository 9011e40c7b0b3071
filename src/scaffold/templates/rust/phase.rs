//! {{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
//! writes how many facts it was given, and records one check: a warning
//! when there are fewer than `min_facts` (its one setting, from the
//! `config` table of its phase in pitcrew.toml; 1 when not set).

use pitcrew_plugin::phase::{Guest, PhaseInfo, PhaseInput, PhaseOutput, PluginError, PluginInfo};
use pitcrew_plugin::{Check, log};
use serde_json::{Value, json};

/// The document key this phase owns (and may write alone).
pub const KEY: &str = "{{key}}";

/// The JSON Schema of the configuration: pitcrew refuses any other before
/// the phase runs, naming the field.
pub const CONFIG_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {"min_facts": {"type": "integer", "minimum": 0}},
  "additionalProperties": false
}"#;

#[derive(serde::Deserialize)]
struct Config {
    #[serde(default = "one")]
    min_facts: usize,
}

fn one() -> usize {
    1
}

pub struct Plugin;

impl Guest for Plugin {
    fn describe() -> PhaseInfo {
        PhaseInfo {
            info: PluginInfo::new("{{name}}", "0.1.0", "counts the facts it is given")
                .with_config_schema(CONFIG_SCHEMA),
            owns: vec![KEY.into()],
            after: vec![],
        }
    }

    fn run(input: PhaseInput) -> Result<PhaseOutput, PluginError> {
        let facts: serde_json::Map<String, Value> = input.facts()?;
        let config: Config = input.config()?;
        log::debug(&format!("{} facts", facts.len()));
        let check = if facts.len() < config.min_facts {
            Check::warn(
                "{{name}}.facts",
                "{{name}}",
                format!("{} facts, fewer than {}", facts.len(), config.min_facts),
            )
        } else {
            Check::pass("{{name}}.facts", "{{name}}", format!("{} facts", facts.len()))
        };
        Ok(PhaseOutput::new(&json!({ KEY: { "facts": facts.len() } }), vec![check]))
    }
}

#[cfg(target_arch = "wasm32")]
pitcrew_plugin::phase::export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;
    use pitcrew_plugin::CheckStatus;

    #[test]
    fn counts_the_facts() {
        let input = PhaseInput::from_json(json!({"workers": [], "spec": {}}), json!({}));
        let output = Plugin::run(input).unwrap();
        assert_eq!(output.keys_json(), json!({ KEY: { "facts": 2 } }));
        assert_eq!(output.checks[0].status, CheckStatus::Pass);
    }

    #[test]
    fn fewer_facts_than_configured_is_a_warning() {
        let input = PhaseInput::from_json(json!({"spec": {}}), json!({}))
            .with_config(json!({"min_facts": 2}));
        let output = Plugin::run(input).unwrap();
        assert_eq!(output.checks[0].status, CheckStatus::Warn);
    }

    #[test]
    fn facts_that_are_not_an_object_are_invalid_input() {
        let input = PhaseInput::from_json(json!([1]), json!({}));
        assert!(Plugin::run(input).unwrap_err().message.starts_with("facts:"));
    }
}
