//! The WebAssembly component: converts between the WIT bindings and the plain
//! Rust types of [`crate::logic`].

wit_bindgen::generate!({
    path: "../../wit/0.2.0",
    world: "router",
});

// The world's `use types.{…}` puts `PluginInfo`, `RouteRequest`, `Route` and
// `PluginError` at this module's root; the rest comes from `types`.
use pitcrew::plugin::log::{Level, log};
use pitcrew::plugin::types::{Category, Classification, ErrorKind, Failure, Language, Specialty};

use crate::logic;

struct Component;

impl Guest for Component {
    fn describe() -> PluginInfo {
        PluginInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: env!("CARGO_PKG_DESCRIPTION").to_string(),
            config_schema: Some(crate::settings::SCHEMA.into()),
        }
    }

    fn route(request: RouteRequest, config: String) -> Result<Route, PluginError> {
        let request = from_wit(request);
        let routed = logic::RouterConfig::from_json(&config)
            .and_then(|config| logic::route(&request, &config));
        match routed {
            Ok(route) => {
                log(
                    Level::Debug,
                    &format!(
                        "{} failure routed to {} ({} fallback(s), {}-char prompt)",
                        request.classification.specialty.as_str(),
                        route.model,
                        route.fallbacks.len(),
                        route.prompt.chars().count(),
                    ),
                );
                Ok(Route {
                    model: route.model,
                    fallbacks: route.fallbacks,
                    system_prompt: route.system_prompt,
                    prompt: route.prompt,
                    max_tokens: route.max_tokens,
                    temperature: route.temperature,
                })
            }
            Err(error) => Err(PluginError {
                kind: match error.kind {
                    logic::ErrorKind::InvalidInput => ErrorKind::InvalidInput,
                    logic::ErrorKind::Unsupported => ErrorKind::Unsupported,
                    logic::ErrorKind::Internal => ErrorKind::Internal,
                },
                message: error.message,
            }),
        }
    }
}

fn from_wit(request: RouteRequest) -> logic::RouteRequest {
    let RouteRequest {
        failure,
        classification,
        group_size,
    } = request;
    logic::RouteRequest {
        failure: from_wit_failure(failure),
        classification: from_wit_classification(classification),
        group_size,
    }
}

fn from_wit_failure(failure: Failure) -> logic::Failure {
    logic::Failure {
        id: failure.id,
        test_name: failure.test_name,
        file: failure.file,
        message: failure.message,
        details: failure.details,
    }
}

fn from_wit_classification(c: Classification) -> logic::Classification {
    logic::Classification {
        id: c.id,
        category: match c.category {
            Category::Compile => logic::Category::Compile,
            Category::Assertion => logic::Category::Assertion,
            Category::Snapshot => logic::Category::Snapshot,
            Category::Timeout => logic::Category::Timeout,
            Category::Selector => logic::Category::Selector,
            Category::Runtime => logic::Category::Runtime,
            Category::Dependency => logic::Category::Dependency,
            Category::Network => logic::Category::Network,
            Category::Resource => logic::Category::Resource,
            Category::Lint => logic::Category::Lint,
            Category::Config => logic::Category::Config,
            Category::Unknown => logic::Category::Unknown,
        },
        language: match c.language {
            Language::Typescript => logic::Language::Typescript,
            Language::Javascript => logic::Language::Javascript,
            Language::Python => logic::Language::Python,
            Language::Rust => logic::Language::Rust,
            Language::Go => logic::Language::Go,
            Language::Java => logic::Language::Java,
            Language::Other => logic::Language::Other,
        },
        specialty: match c.specialty {
            Specialty::Typescript => logic::Specialty::Typescript,
            Specialty::React => logic::Specialty::React,
            Specialty::Test => logic::Specialty::Test,
            Specialty::General => logic::Specialty::General,
        },
        confidence: c.confidence,
        evidence: c.evidence,
    }
}

export!(Component);
