//! The component glue: WIT types in, `crate::run` out.

wit_bindgen::generate!({ path: "../../wit", world: "phase" });

use pitcrew::plugin::types::{Check, CheckStatus, ErrorKind, PluginInfo};

use crate::common;

struct PreSync;

impl Guest for PreSync {
    fn describe() -> PhaseInfo {
        PhaseInfo {
            info: PluginInfo {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: env!("CARGO_PKG_DESCRIPTION").into(),
            },
            owns: crate::OWNS.iter().map(|key| key.to_string()).collect(),
            after: crate::AFTER.iter().map(|phase| phase.to_string()).collect(),
        }
    }

    fn run(input: PhaseInput) -> Result<PhaseOutput, PluginError> {
        let output = crate::run(&input.facts, &input.document).map_err(|e| PluginError {
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

export!(PreSync);
