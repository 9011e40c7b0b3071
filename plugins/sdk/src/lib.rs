//! Write pitcrew plugins in Rust.
//!
//! The contract (`pitcrew:plugin`, see `pitcrew plugin wit`) is embedded: one
//! module per world with its `Guest` trait, the shared records in [`types`],
//! and an `export!` macro per world for your type:
//!
//! ```ignore
//! use pitcrew_plugin::classifier::{Guest, Classification, Failure, PluginError, PluginInfo};
//!
//! struct Mine;
//! impl Guest for Mine { /* describe, classify */ }
//! pitcrew_plugin::classifier::export!(Mine);
//! ```
//!
//! On top of the generated bindings: [`Check`] constructors, JSON helpers for
//! a phase's facts, document, configuration and keys ([`PhaseInput::facts`],
//! [`PhaseInput::config`], [`config`]), [`PluginError`] constructors, and
//! [`log`] functions that work natively too (so a plugin's logic is tested
//! with plain `cargo test`).
//!
//! Configuration: declare the JSON Schema of your settings with
//! [`PluginInfo::with_config_schema`]; pitcrew checks the `config` table of
//! `pitcrew.toml` against it before your plugin runs (a bad field is an
//! error naming it) and hands it to every call as JSON: read it with
//! [`PhaseInput::config`] in a phase, [`config`] in `classify` and `route`.

/// The `phase` world: `describe() -> phase-info`, `run(phase-input)`.
// The generated glue passes `phase-input` flattened: 8 core arguments.
#[allow(clippy::too_many_arguments)]
pub mod phase {
    wit_bindgen::generate!({
        path: "wit",
        world: "phase",
        pub_export_macro: true,
        export_macro_name: "export",
        default_bindings_module: "pitcrew_plugin::phase",
    });
    // The world's `use` already brought in phase-info, phase-input,
    // phase-output and plugin-error.
    pub use self::pitcrew::plugin::types::{Check, CheckStatus, ErrorKind, PluginInfo};
}

/// The `classifier` world: `describe() -> plugin-info`, `classify(batch, config)`.
pub mod classifier {
    wit_bindgen::generate!({
        path: "wit",
        world: "classifier",
        with: {
            "pitcrew:plugin/types@0.2.0": crate::phase::pitcrew::plugin::types,
            "pitcrew:plugin/log@0.2.0": crate::phase::pitcrew::plugin::log,
        },
        pub_export_macro: true,
        export_macro_name: "export",
        default_bindings_module: "pitcrew_plugin::classifier",
    });
    pub use crate::types::{Category, ErrorKind, Language, Specialty};
}

/// The `router` world: `describe() -> plugin-info`, `route(request, config)`.
pub mod router {
    wit_bindgen::generate!({
        path: "wit",
        world: "router",
        with: {
            "pitcrew:plugin/types@0.2.0": crate::phase::pitcrew::plugin::types,
            "pitcrew:plugin/log@0.2.0": crate::phase::pitcrew::plugin::log,
        },
        pub_export_macro: true,
        export_macro_name: "export",
        default_bindings_module: "pitcrew_plugin::router",
    });
    pub use crate::types::ErrorKind;
}

/// Every record of the contract, whichever world uses it.
pub use phase::pitcrew::plugin::types;
pub use types::{Check, CheckStatus, ErrorKind, PhaseInput, PhaseOutput, PluginError, PluginInfo};

/// The contract version this SDK implements.
pub const CONTRACT_VERSION: &str = "0.2.0";

impl PluginInfo {
    /// `name` (short kebab-case), `version`, one line of `description`.
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            description: description.into(),
            config_schema: None,
        }
    }

    /// Declares the JSON Schema (as JSON text) the plugin's configuration
    /// must match.
    pub fn with_config_schema(mut self, schema: &str) -> Self {
        self.config_schema = Some(schema.into());
        self
    }
}

/// A configuration (the `config` argument of `classify` and `route`, or
/// [`PhaseInput::config`]) as any type that deserializes from it. Not what
/// you expect: an `invalid-input` error naming the problem.
pub fn config<T: serde::de::DeserializeOwned>(config: &str) -> Result<T, PluginError> {
    serde_json::from_str(config).map_err(|e| PluginError::invalid_input(format!("config: {e}")))
}

impl Check {
    fn with(id: &str, layer: &str, status: CheckStatus, message: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            layer: layer.into(),
            status,
            message: message.into(),
            blocking: false,
        }
    }

    pub fn pass(id: &str, layer: &str, message: impl Into<String>) -> Self {
        Self::with(id, layer, CheckStatus::Pass, message)
    }

    pub fn warn(id: &str, layer: &str, message: impl Into<String>) -> Self {
        Self::with(id, layer, CheckStatus::Warn, message)
    }

    pub fn fail(id: &str, layer: &str, message: impl Into<String>) -> Self {
        Self::with(id, layer, CheckStatus::Fail, message)
    }

    pub fn skip(id: &str, layer: &str, message: impl Into<String>) -> Self {
        Self::with(id, layer, CheckStatus::Skip, message)
    }

    /// A failed blocking check stops the pipeline (exit code 1).
    pub fn blocking(mut self) -> Self {
        self.blocking = true;
        self
    }
}

impl PluginError {
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::InvalidInput,
            message: message.into(),
        }
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Unsupported,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Internal,
            message: message.into(),
        }
    }
}

impl PhaseInput {
    /// A phase input for tests: `facts` and `document` as JSON values.
    pub fn from_json(facts: serde_json::Value, document: serde_json::Value) -> Self {
        Self {
            config: "{}".into(),
            facts: facts.to_string(),
            document: document.to_string(),
            checks: Vec::new(),
        }
    }

    /// The same input with a configuration, for tests.
    pub fn with_config(mut self, config: serde_json::Value) -> Self {
        self.config = config.to_string();
        self
    }

    /// The phase's configuration (`{}` when none is set), as any type that
    /// deserializes from it.
    pub fn config<T: serde::de::DeserializeOwned>(&self) -> Result<T, PluginError> {
        config(&self.config)
    }

    /// The facts, as any type that deserializes from them (a struct of
    /// the fields you read, or `serde_json::Value`). Not what you expect:
    /// an `invalid-input` error naming the problem.
    pub fn facts<T: serde::de::DeserializeOwned>(&self) -> Result<T, PluginError> {
        serde_json::from_str(&self.facts)
            .map_err(|e| PluginError::invalid_input(format!("facts: {e}")))
    }

    /// The document written by the phases before this one.
    pub fn document<T: serde::de::DeserializeOwned>(&self) -> Result<T, PluginError> {
        serde_json::from_str(&self.document)
            .map_err(|e| PluginError::invalid_input(format!("document: {e}")))
    }
}

impl PhaseOutput {
    /// The keys this phase writes (a JSON object of its owned keys) and
    /// its checks.
    pub fn new(keys: &serde_json::Value, checks: Vec<Check>) -> Self {
        Self {
            keys: keys.to_string(),
            checks,
        }
    }

    /// The keys written, parsed (for tests).
    pub fn keys_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.keys).unwrap_or(serde_json::Value::Null)
    }
}

/// Log lines go to pitcrew's log, prefixed with your plugin's name and
/// version (shown with `-v`; `pitcrew plugin run` shows them all). Natively
/// (in `cargo test`) they go to stderr.
pub mod log {
    pub use crate::phase::pitcrew::plugin::log::Level;

    pub fn log(level: Level, message: &str) {
        #[cfg(target_arch = "wasm32")]
        crate::phase::pitcrew::plugin::log::log(level, message);
        #[cfg(not(target_arch = "wasm32"))]
        eprintln!("{level:?}: {message}");
    }

    pub fn debug(message: &str) {
        log(Level::Debug, message);
    }

    pub fn info(message: &str) {
        log(Level::Info, message);
    }

    pub fn warn(message: &str) {
        log(Level::Warn, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_build_the_contract_records() {
        let check = Check::fail("policy.flaky", "policy", "2 new flaky tests").blocking();
        assert!(check.blocking && check.status == CheckStatus::Fail);
        let input = PhaseInput::from_json(serde_json::json!({"n": 3}), serde_json::json!({}));
        #[derive(serde::Deserialize)]
        struct Facts {
            n: u32,
        }
        assert_eq!(input.facts::<Facts>().unwrap().n, 3);
        let err = input.facts::<Vec<u32>>().unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert!(
            err.message.starts_with("facts: invalid type"),
            "{}",
            err.message
        );
        let out = PhaseOutput::new(&serde_json::json!({"k": 1}), vec![check]);
        assert_eq!(out.keys_json()["k"], 1);
        #[derive(Debug, serde::Deserialize)]
        struct Settings {
            #[serde(default)]
            limit: u32,
        }
        assert_eq!(input.config::<Settings>().unwrap().limit, 0);
        let configured = input.with_config(serde_json::json!({"limit": 4}));
        assert_eq!(configured.config::<Settings>().unwrap().limit, 4);
        let err = config::<Settings>(r#"{"limit": "x"}"#).unwrap_err();
        assert!(
            err.message.starts_with("config: invalid type"),
            "{}",
            err.message
        );
        let info = PluginInfo::new("p", "1.0.0", "d").with_config_schema("{}");
        assert_eq!(info.config_schema.as_deref(), Some("{}"));
    }
}
