//! The plugin contract's records as the host's own types. Every contract
//! version's generated bindings convert to and from these at the boundary
//! (`bindings::v0_1`, `bindings::v0_2`), so the pipelines, triage and the
//! commands never see a generated type and a new contract version changes
//! only its bindings module.

/// Who a plugin is, as it describes itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub description: String,
    /// The JSON Schema its configuration must match (contract 0.2.0 and
    /// later; `None` when the plugin declares none).
    pub config_schema: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidInput,
    Unsupported,
    Internal,
}

/// An error a plugin returned as a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
    Skip,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: String,
    pub layer: String,
    pub status: CheckStatus,
    pub message: String,
    pub blocking: bool,
}

/// What a phase declares about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseInfo {
    pub info: PluginInfo,
    pub owns: Vec<String>,
    pub after: Vec<String>,
}

/// What a phase gets; its configuration is added by the plugin's bindings
/// for contracts that have one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseInput {
    pub facts: String,
    pub document: String,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseOutput {
    pub keys: String,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub id: String,
    pub test_name: String,
    pub file: Option<String>,
    pub message: String,
    pub details: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    Typescript,
    Javascript,
    Python,
    Rust,
    Go,
    Java,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Specialty {
    Typescript,
    React,
    Test,
    General,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub id: String,
    pub category: Category,
    pub language: Language,
    pub specialty: Specialty,
    pub confidence: f32,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RouteRequest {
    pub failure: Failure,
    pub classification: Classification,
    pub group_size: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub model: String,
    pub fallbacks: Vec<String>,
    pub system_prompt: String,
    pub prompt: String,
    pub max_tokens: u32,
    pub temperature: f32,
}
