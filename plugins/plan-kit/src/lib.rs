//! What pitcrew's `plan` phases share, guest side: checks and the phase
//! output, fact readers that name the exact fact when it is missing or of
//! the wrong kind, largest-remainder shares, code and version agreement, and the
//! component glue (`phase_component!`). Phases still know only the WIT.

pub mod apportion;
pub mod code;
pub mod common;
pub mod versions;

/// The `phase` world's glue, invoked at the root of a crate that defines `OWNS`, `AFTER` and
/// `run(facts, document) -> Result<common::Output, common::InvalidInput>`:
/// `describe` from the crate's package metadata, `run` with an invalid
/// input returned as an `invalid-input` error value.
#[macro_export]
macro_rules! phase_component {
    ($plugin:ident) => {
        #[cfg(target_arch = "wasm32")]
        // The generated glue passes `phase-input` flattened: 8 core arguments.
        #[allow(clippy::too_many_arguments)]
        mod component {
            wit_bindgen::generate!({ path: "../../wit/0.2.0", world: "phase" });

            use pitcrew::plugin::types::{Check, CheckStatus, ErrorKind, PluginInfo};
            use $crate::common;

            struct $plugin;

            impl Guest for $plugin {
                fn describe() -> PhaseInfo {
                    PhaseInfo {
                        info: PluginInfo {
                            name: env!("CARGO_PKG_NAME").into(),
                            version: env!("CARGO_PKG_VERSION").into(),
                            description: env!("CARGO_PKG_DESCRIPTION").into(),
                            // No settings yet: a `config` table for it is refused, not ignored.
                            config_schema: Some(r#"{"type": "object", "additionalProperties": false}"#.into()),
                        },
                        owns: super::OWNS.iter().map(|key| key.to_string()).collect(),
                        after: super::AFTER.iter().map(|phase| phase.to_string()).collect(),
                    }
                }

                fn run(input: PhaseInput) -> Result<PhaseOutput, PluginError> {
                    let output = super::run(&input.facts, &input.document).map_err(|e| PluginError {
                        kind: ErrorKind::InvalidInput,
                        message: e.0,
                    })?;
                    Ok(PhaseOutput {
                        keys: serde_json::Value::Object(output.keys).to_string(),
                        checks: output.checks.into_iter().map(check).collect(),
                    })
                }
            }

            fn check(check: common::Check) -> Check {
                Check {
                    id: check.id,
                    layer: check.layer,
                    status: match check.status {
                        common::Status::Pass => CheckStatus::Pass,
                        common::Status::Warn => CheckStatus::Warn,
                        common::Status::Fail => CheckStatus::Fail,
                        common::Status::Skip => CheckStatus::Skip,
                    },
                    message: check.message,
                    blocking: check.blocking,
                }
            }

            export!($plugin);
        }
    };
}
