//! {{name}}: a pitcrew phase. It owns the document key `{{key}}`, where it
//! writes how many facts it was given, and records one check.

use pitcrew_plugin::phase::{Guest, PhaseInfo, PhaseInput, PhaseOutput, PluginError, PluginInfo};
use pitcrew_plugin::{Check, log};
use serde_json::{Value, json};

/// The document key this phase owns (and may write alone).
pub const KEY: &str = "{{key}}";

pub struct Plugin;

impl Guest for Plugin {
    fn describe() -> PhaseInfo {
        PhaseInfo {
            info: PluginInfo::new("{{name}}", "0.1.0", "counts the facts it is given"),
            owns: vec![KEY.into()],
            after: vec![],
        }
    }

    fn run(input: PhaseInput) -> Result<PhaseOutput, PluginError> {
        let facts: serde_json::Map<String, Value> = input.facts()?;
        log::debug(&format!("{} facts", facts.len()));
        let check = if facts.is_empty() {
            Check::warn("{{name}}.facts", "{{name}}", "no facts given")
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
    fn facts_that_are_not_an_object_are_invalid_input() {
        let input = PhaseInput::from_json(json!([1]), json!({}));
        assert!(Plugin::run(input).unwrap_err().message.starts_with("facts:"));
    }
}
