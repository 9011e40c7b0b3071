//! The component glue: WIT types in, `summarise` out.

wit_bindgen::generate!({ path: "../../wit/0.2.0", world: "phase" });

use pitcrew::plugin::types::{CheckStatus, PluginInfo};

struct Summary;

impl Guest for Summary {
    fn describe() -> PhaseInfo {
        PhaseInfo {
            info: PluginInfo {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: env!("CARGO_PKG_DESCRIPTION").into(),
                // No settings yet: a `config` table for it is refused, not ignored.
                config_schema: Some(r#"{"type": "object", "additionalProperties": false}"#.into()),
            },
            owns: vec![crate::KEY.into()],
            after: Vec::new(),
        }
    }

    fn run(input: PhaseInput) -> Result<PhaseOutput, PluginError> {
        let views = input.checks.iter().map(|check| crate::CheckView {
            id: &check.id,
            status: match check.status {
                CheckStatus::Pass => crate::Status::Pass,
                CheckStatus::Warn => crate::Status::Warn,
                CheckStatus::Fail => crate::Status::Fail,
                CheckStatus::Skip => crate::Status::Skip,
            },
            blocking: check.blocking,
        });
        Ok(PhaseOutput {
            keys: crate::summarise(views).to_string(),
            checks: Vec::new(),
        })
    }
}

export!(Summary);
