//! The WebAssembly component: converts between the WIT bindings and the plain
//! Rust types of [`crate::logic`].

wit_bindgen::generate!({
    path: "../../wit/0.2.0",
    world: "classifier",
});

// The world's `use types.{…}` puts `PluginInfo`, `Failure`, `Classification`
// and `PluginError` at this module's root; the enums come from `types`.
use pitcrew::plugin::log::{Level, log};
use pitcrew::plugin::types::{Category, Language, Specialty};

use crate::logic;

struct Component;

impl Guest for Component {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: env!("CARGO_PKG_DESCRIPTION").to_string(),
            // No settings yet: a `config` table for it is refused, not ignored.
            config_schema: Some(r#"{"type": "object", "additionalProperties": false}"#.into()),
        }
    }

    fn classify(batch: Vec<Failure>, _config: String) -> Result<Vec<Classification>, PluginError> {
        log(
            Level::Debug,
            &format!("classifying {} failure(s)", batch.len()),
        );
        // One scratch for the whole batch; ids are moved, not copied.
        let mut scratch = logic::Scratch::default();
        Ok(batch
            .into_iter()
            .map(|failure| {
                let failure = from_wit(failure);
                let answer = scratch.classify(&failure);
                to_wit(logic::Classification {
                    id: failure.id,
                    ..answer
                })
            })
            .collect())
    }
}

fn from_wit(failure: Failure) -> logic::Failure {
    logic::Failure {
        id: failure.id,
        test_name: failure.test_name,
        file: failure.file,
        message: failure.message,
        details: failure.details,
    }
}

fn to_wit(c: logic::Classification) -> Classification {
    Classification {
        id: c.id,
        category: match c.category {
            logic::Category::Compile => Category::Compile,
            logic::Category::Assertion => Category::Assertion,
            logic::Category::Snapshot => Category::Snapshot,
            logic::Category::Timeout => Category::Timeout,
            logic::Category::Selector => Category::Selector,
            logic::Category::Runtime => Category::Runtime,
            logic::Category::Dependency => Category::Dependency,
            logic::Category::Network => Category::Network,
            logic::Category::Resource => Category::Resource,
            logic::Category::Lint => Category::Lint,
            logic::Category::Config => Category::Config,
            logic::Category::Unknown => Category::Unknown,
        },
        language: match c.language {
            logic::Language::Typescript => Language::Typescript,
            logic::Language::Javascript => Language::Javascript,
            logic::Language::Python => Language::Python,
            logic::Language::Rust => Language::Rust,
            logic::Language::Go => Language::Go,
            logic::Language::Java => Language::Java,
            logic::Language::Other => Language::Other,
        },
        specialty: match c.specialty {
            logic::Specialty::Typescript => Specialty::Typescript,
            logic::Specialty::React => Specialty::React,
            logic::Specialty::Test => Specialty::Test,
            logic::Specialty::General => Specialty::General,
        },
        confidence: c.confidence,
        evidence: c.evidence,
    }
}

export!(Component);
