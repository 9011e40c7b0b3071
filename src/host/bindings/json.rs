//! The contract's records as JSON, for `pitcrew plugin run`: what an author
//! writes as a test input and reads back as the answer. Field names are the
//! WIT's in snake_case, enum cases the WIT's own (`invalid-input`,
//! `resource`), so a JSON file reads like the contract.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::host::types;

/// One failed test (`failure`). `id` defaults to its position in a batch.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    #[serde(default)]
    id: Option<String>,
    test_name: String,
    #[serde(default)]
    file: Option<String>,
    message: String,
    #[serde(default)]
    details: String,
}

impl Failure {
    pub fn into_wit(self, position: usize) -> types::Failure {
        types::Failure {
            id: self.id.unwrap_or_else(|| position.to_string()),
            test_name: self.test_name,
            file: self.file,
            message: self.message,
            details: self.details,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Category {
    Compile,
    Assertion,
    Snapshot,
    Timeout,
    Selector,
    Runtime,
    Dependency,
    Network,
    Resource,
    Lint,
    Config,
    Unknown,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Language {
    Typescript,
    Javascript,
    Python,
    Rust,
    Go,
    Java,
    Other,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Specialty {
    Typescript,
    React,
    Test,
    General,
}

/// The classifier's answer for one failure (`classification`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    #[serde(default)]
    id: String,
    category: Category,
    language: Language,
    specialty: Specialty,
    #[serde(default)]
    confidence: f32,
    #[serde(default)]
    evidence: String,
}

macro_rules! enum_map {
    ($ours:ident, $wit:ty, $($case:ident),+) => {
        impl From<$ours> for $wit {
            fn from(value: $ours) -> Self {
                match value { $($ours::$case => <$wit>::$case),+ }
            }
        }
        impl From<$wit> for $ours {
            fn from(value: $wit) -> Self {
                match value { $(<$wit>::$case => $ours::$case),+ }
            }
        }
    };
}

enum_map!(
    Category,
    types::Category,
    Compile,
    Assertion,
    Snapshot,
    Timeout,
    Selector,
    Runtime,
    Dependency,
    Network,
    Resource,
    Lint,
    Config,
    Unknown
);
enum_map!(
    Language,
    types::Language,
    Typescript,
    Javascript,
    Python,
    Rust,
    Go,
    Java,
    Other
);
enum_map!(
    Specialty,
    types::Specialty,
    Typescript,
    React,
    Test,
    General
);
enum_map!(CheckStatus, types::CheckStatus, Pass, Warn, Fail, Skip);

impl From<types::Classification> for Classification {
    fn from(c: types::Classification) -> Self {
        Self {
            id: c.id,
            category: c.category.into(),
            language: c.language.into(),
            specialty: c.specialty.into(),
            confidence: c.confidence,
            evidence: c.evidence,
        }
    }
}

impl From<Classification> for types::Classification {
    fn from(c: Classification) -> Self {
        Self {
            id: c.id,
            category: c.category.into(),
            language: c.language.into(),
            specialty: c.specialty.into(),
            confidence: c.confidence,
            evidence: c.evidence,
        }
    }
}

/// What a router is asked (`route-request`); `group_size` defaults to 1.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRequest {
    failure: Failure,
    classification: Classification,
    #[serde(default = "one")]
    group_size: u32,
}

fn one() -> u32 {
    1
}

impl From<RouteRequest> for types::RouteRequest {
    fn from(r: RouteRequest) -> Self {
        let failure = r.failure.into_wit(0);
        let mut classification = types::Classification::from(r.classification);
        // The classification answers this failure unless it says otherwise.
        if classification.id.is_empty() {
            classification.id = failure.id.clone();
        }
        Self {
            failure,
            classification,
            group_size: r.group_size,
        }
    }
}

/// A router's answer (`route`).
#[derive(Serialize)]
pub struct Route {
    model: String,
    fallbacks: Vec<String>,
    system_prompt: String,
    prompt: String,
    max_tokens: u32,
    temperature: f32,
}

impl From<types::Route> for Route {
    fn from(r: types::Route) -> Self {
        Self {
            model: r.model,
            fallbacks: r.fallbacks,
            system_prompt: r.system_prompt,
            prompt: r.prompt,
            max_tokens: r.max_tokens,
            temperature: r.temperature,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum CheckStatus {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// One check (`check`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    id: String,
    layer: String,
    status: CheckStatus,
    message: String,
    #[serde(default)]
    blocking: bool,
}

impl From<Check> for types::Check {
    fn from(c: Check) -> Self {
        Self {
            id: c.id,
            layer: c.layer,
            status: c.status.into(),
            message: c.message,
            blocking: c.blocking,
        }
    }
}

impl From<types::Check> for Check {
    fn from(c: types::Check) -> Self {
        Self {
            id: c.id,
            layer: c.layer,
            status: c.status.into(),
            message: c.message,
            blocking: c.blocking,
        }
    }
}

/// What a phase gets (`phase-input`), with `facts` and `document` as JSON
/// objects rather than strings (its `config` is taken out before, by
/// `plugin run`, and handed over as the plugin's configuration).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseInput {
    #[serde(default = "empty_object")]
    pub facts: Value,
    #[serde(default = "empty_object")]
    pub document: Value,
    #[serde(default)]
    checks: Vec<Check>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

impl PhaseInput {
    pub fn checks(self) -> Vec<types::Check> {
        self.checks.into_iter().map(Into::into).collect()
    }
}

/// What a phase returned (`phase-output`), its keys parsed when they are
/// JSON (shown as the plugin's string when they are not).
#[derive(Serialize)]
pub struct PhaseOutput {
    keys: Value,
    checks: Vec<Check>,
}

impl From<types::PhaseOutput> for PhaseOutput {
    fn from(o: types::PhaseOutput) -> Self {
        Self {
            keys: serde_json::from_str(&o.keys).unwrap_or(Value::String(o.keys)),
            checks: o.checks.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_and_write_with_the_wit_names() {
        let request: RouteRequest = serde_json::from_str(
            r#"{"failure": {"test_name": "t", "message": "m"},
                "classification": {"category": "resource", "language": "python", "specialty": "general"}}"#,
        )
        .unwrap();
        let request = types::RouteRequest::from(request);
        assert_eq!(request.group_size, 1);
        assert_eq!(request.failure.id, "0");
        assert!(matches!(
            request.classification.category,
            types::Category::Resource
        ));
        let err = serde_json::from_str::<Failure>(r#"{"test_name": "t", "mesage": "m"}"#)
            .err()
            .unwrap();
        assert!(err.to_string().contains("unknown field `mesage`"), "{err}");
        let out = PhaseOutput::from(types::PhaseOutput {
            keys: r#"{"a":1}"#.into(),
            checks: vec![types::Check {
                id: "x".into(),
                layer: "l".into(),
                status: types::CheckStatus::Warn,
                message: "m".into(),
                blocking: false,
            }],
        });
        assert_eq!(
            serde_json::to_value(out).unwrap(),
            serde_json::json!({"keys": {"a": 1}, "checks": [
                {"id": "x", "layer": "l", "status": "warn", "message": "m", "blocking": false}]})
        );
    }
}
