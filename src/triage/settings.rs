//! `[models]` and `[router]` in `pitcrew.toml`: where models are asked,
//! the run's limits, and the router's choices overridden per category,
//! language or specialty.
//!
//! ```toml
//! [models]
//! endpoint = "ollama"              # a preset: ollama (default) or github-models
//! # url = "https://gpu.internal/v1"  # or any OpenAI-compatible base URL
//! # token_env = "GPU_TOKEN"         # the variable holding its token
//! concurrency = 4
//! max_calls = 50                   # the run's budget (calls, tokens, USD)
//! max_cost_usd = 0.50
//! secret_env = ["DATABASE_URL"]    # values redacted from every prompt
//! [models.endpoints.gpu]           # more endpoints, named: a route asks
//! url = "https://gpu.internal/v1"  # one as "MODEL@gpu" (plain names go to
//! token_env = "GPU_TOKEN"          # the endpoint above)
//! [models.endpoints.hosted]
//! preset = "github-models"
//! [models.prices."openai/gpt-4.1-mini"]
//! input_per_million = 0.40
//! output_per_million = 1.60
//!
//! [router.category]                # most specific first: category,
//! compile = ["qwen2.5-coder:7b", "llama3.2:1b"]
//! [router.language]                # then language,
//! python = ["qwen2.5-coder:7b"]
//! [router.specialty]               # then specialty, then the router plugin
//! test = ["deepseek-coder:1.3b"]
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::triage::model::{Budget, Price};

/// The categories, languages and specialties a `[router]` table may name.
pub const CATEGORIES: &[&str] = &[
    "compile",
    "assertion",
    "snapshot",
    "timeout",
    "selector",
    "runtime",
    "dependency",
    "network",
    "resource",
    "lint",
    "config",
    "unknown",
];
pub const LANGUAGES: &[&str] = &[
    "typescript",
    "javascript",
    "python",
    "rust",
    "go",
    "java",
    "other",
];
pub const SPECIALTIES: &[&str] = &["typescript", "react", "test", "general"];

/// `[models]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSettings {
    /// A preset endpoint (`ollama`, `github-models`); ignored when `url` is set.
    pub endpoint: Option<String>,
    /// Any OpenAI-compatible base URL.
    pub url: Option<String>,
    /// The environment variable holding `url`'s token.
    pub token_env: Option<String>,
    /// Requests in flight at once (default 4).
    pub concurrency: Option<usize>,
    /// The run's budget (see [`Budget`]).
    pub max_calls: Option<u64>,
    pub max_tokens: Option<u64>,
    pub max_cost_usd: Option<f64>,
    /// Environment variables whose values are redacted from prompts.
    #[serde(default)]
    pub secret_env: Vec<String>,
    /// USD per million tokens, by model.
    #[serde(default)]
    pub prices: BTreeMap<String, Price>,
    /// More endpoints, by name; routes name them as `model@name`.
    #[serde(default)]
    pub endpoints: BTreeMap<String, NamedEndpoint>,
}

/// `[models.endpoints.NAME]`: a preset or a URL (with its token's variable).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedEndpoint {
    pub preset: Option<String>,
    pub url: Option<String>,
    pub token_env: Option<String>,
}

/// `[router]`: ordered model lists that replace the router plugin's.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterOverrides {
    #[serde(default)]
    pub category: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub language: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub specialty: BTreeMap<String, Vec<String>>,
}

/// What is wrong in `[models]` or `[router]`, naming the key.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SettingsError {
    #[error("router.{table}.{key}: not a {table} (known: {known})")]
    UnknownName {
        table: &'static str,
        key: String,
        known: String,
    },
    #[error("router.{table}.{key}: the model list is empty or has an empty name")]
    EmptyModels { table: &'static str, key: String },
    #[error("models.endpoint: `{0}` is not a preset (ollama, github-models); use models.url")]
    UnknownPreset(String),
    #[error("models.max_cost_usd: must be a non-negative number of dollars")]
    Cost,
    #[error("models.concurrency: must be at least 1")]
    Concurrency,
    #[error("models.token_env: set models.url too (a preset knows its own token)")]
    TokenWithoutUrl,
    #[error(
        "models.endpoints.{0}: a name is letters, digits, `-` and `_`, and not the default endpoint's"
    )]
    EndpointName(String),
    #[error("models.endpoints.{0}: set exactly one of `preset` and `url`")]
    EndpointSource(String),
    #[error("models.endpoints.{name}.preset: `{preset}` is not a preset (ollama, github-models)")]
    EndpointPreset { name: String, preset: String },
    #[error("models.endpoints.{0}.token_env: only with `url` (a preset knows its own token)")]
    EndpointToken(String),
}

impl ModelSettings {
    pub fn budget(&self) -> Budget {
        Budget {
            max_calls: self.max_calls,
            max_tokens: self.max_tokens,
            max_cost_usd: self.max_cost_usd,
        }
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(preset) = &self.endpoint
            && !matches!(preset.as_str(), "ollama" | "github-models" | "github")
        {
            return Err(SettingsError::UnknownPreset(
                crate::escape::control_chars(preset).into_owned(),
            ));
        }
        if let Some(usd) = self.max_cost_usd
            && !(usd.is_finite() && usd >= 0.0)
        {
            return Err(SettingsError::Cost);
        }
        if self.concurrency == Some(0) {
            return Err(SettingsError::Concurrency);
        }
        if self.token_env.is_some() && self.url.is_none() {
            return Err(SettingsError::TokenWithoutUrl);
        }
        for (name, endpoint) in &self.endpoints {
            endpoint.validate(name)?;
        }
        Ok(())
    }
}

impl NamedEndpoint {
    fn validate(&self, name: &str) -> Result<(), SettingsError> {
        let shown = || crate::escape::control_chars(name).into_owned();
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        // A preset's own name is taken by the default endpoint only when
        // it is the default; refusing all three keeps `@name` unambiguous.
        if !well_formed || matches!(name, "ollama" | "github-models" | "github" | "model-url") {
            return Err(SettingsError::EndpointName(shown()));
        }
        match (&self.preset, &self.url) {
            (Some(preset), None) => {
                if self.token_env.is_some() {
                    return Err(SettingsError::EndpointToken(shown()));
                }
                if !matches!(preset.as_str(), "ollama" | "github-models" | "github") {
                    return Err(SettingsError::EndpointPreset {
                        name: shown(),
                        preset: crate::escape::control_chars(preset).into_owned(),
                    });
                }
                Ok(())
            }
            (None, Some(_)) => Ok(()),
            _ => Err(SettingsError::EndpointSource(shown())),
        }
    }
}

/// A routed model name and the endpoint that serves it: `NAME@ENDPOINT`
/// when ENDPOINT is one of `endpoints`, else the whole name at `default`
/// (model ids may hold `@` themselves).
pub fn split_model<'a>(name: &'a str, endpoints: &[&str], default: &'a str) -> (&'a str, &'a str) {
    match name.rsplit_once('@') {
        Some((model, endpoint)) if !model.is_empty() && endpoints.contains(&endpoint) => {
            (model, endpoint)
        }
        _ => (name, default),
    }
}

impl RouterOverrides {
    pub fn validate(&self) -> Result<(), SettingsError> {
        let tables = [
            ("category", &self.category, CATEGORIES),
            ("language", &self.language, LANGUAGES),
            ("specialty", &self.specialty, SPECIALTIES),
        ];
        for (table, map, known) in tables {
            for (key, models) in map {
                if !known.contains(&key.as_str()) {
                    return Err(SettingsError::UnknownName {
                        table,
                        key: crate::escape::control_chars(key).into_owned(),
                        known: known.join(", "),
                    });
                }
                if models.is_empty() || models.iter().any(|m| m.trim().is_empty()) {
                    return Err(SettingsError::EmptyModels {
                        table,
                        key: key.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The configured models for a group, most specific table first
    /// (category, language, specialty); `None` leaves the router's choice.
    pub fn models_for(&self, category: &str, language: &str, specialty: &str) -> Option<&[String]> {
        self.category
            .get(category)
            .or_else(|| self.language.get(language))
            .or_else(|| self.specialty.get(specialty))
            .map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(text: &str) -> RouterOverrides {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn the_most_specific_table_wins() {
        let o = overrides(
            "[category]\ncompile = [\"c\"]\n[language]\npython = [\"p\", \"q\"]\n[specialty]\ntest = [\"t\"]\n",
        );
        o.validate().unwrap();
        assert_eq!(o.models_for("compile", "python", "test").unwrap(), ["c"]);
        assert_eq!(
            o.models_for("assertion", "python", "test").unwrap(),
            ["p", "q"]
        );
        assert_eq!(o.models_for("assertion", "go", "test").unwrap(), ["t"]);
        assert_eq!(o.models_for("assertion", "go", "general"), None);
    }

    #[test]
    fn bad_names_and_lists_are_named() {
        let e = overrides("[category]\ncompil = [\"c\"]\n")
            .validate()
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("router.category.compil: not a category"),
            "{e}"
        );
        let e = overrides("[specialty]\ntest = []\n")
            .validate()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "router.specialty.test: the model list is empty or has an empty name"
        );
        let m: ModelSettings = toml::from_str("endpoint = \"olama\"\n").unwrap();
        assert!(
            m.validate()
                .unwrap_err()
                .to_string()
                .starts_with("models.endpoint")
        );
        let m: ModelSettings = toml::from_str("max_calls = 3\nconcurrency = 2\n").unwrap();
        m.validate().unwrap();
        assert_eq!(m.budget().max_calls, Some(3));
        assert!(toml::from_str::<ModelSettings>("colour = 1\n").is_err());
    }

    #[test]
    fn named_endpoints_are_checked_and_named_in_errors() {
        let ok: ModelSettings = toml::from_str(
            "[endpoints.gpu]\nurl = \"https://gpu.example/v1\"\ntoken_env = \"GPU\"\n[endpoints.hosted]\npreset = \"github-models\"\n",
        )
        .unwrap();
        ok.validate().unwrap();
        for (text, error) in [
            (
                "[endpoints.gpu]\n",
                "models.endpoints.gpu: set exactly one of `preset` and `url`",
            ),
            (
                "[endpoints.gpu]\npreset = \"ollama\"\nurl = \"http://x\"\n",
                "models.endpoints.gpu: set exactly one of `preset` and `url`",
            ),
            (
                "[endpoints.gpu]\npreset = \"olama\"\n",
                "models.endpoints.gpu.preset: `olama` is not a preset (ollama, github-models)",
            ),
            (
                "[endpoints.gpu]\npreset = \"ollama\"\ntoken_env = \"T\"\n",
                "models.endpoints.gpu.token_env: only with `url` (a preset knows its own token)",
            ),
            (
                "[endpoints.\"a b\"]\npreset = \"ollama\"\n",
                "models.endpoints.a b: a name is letters, digits, `-` and `_`, and not the default endpoint's",
            ),
            (
                "[endpoints.ollama]\npreset = \"ollama\"\n",
                "models.endpoints.ollama: a name is letters, digits, `-` and `_`, and not the default endpoint's",
            ),
        ] {
            let m: ModelSettings = toml::from_str(text).unwrap();
            assert_eq!(m.validate().unwrap_err().to_string(), error, "{text}");
        }
        assert!(toml::from_str::<ModelSettings>("[endpoints.gpu]\nurll = \"x\"\n").is_err());
    }

    #[test]
    fn a_model_names_its_endpoint_only_when_that_endpoint_exists() {
        let known = ["gpu", "ollama"];
        assert_eq!(
            split_model("qwen:7b@gpu", &known, "ollama"),
            ("qwen:7b", "gpu")
        );
        assert_eq!(
            split_model("qwen:7b", &known, "ollama"),
            ("qwen:7b", "ollama")
        );
        assert_eq!(
            split_model("org/model@v2", &known, "ollama"),
            ("org/model@v2", "ollama")
        );
        assert_eq!(split_model("@gpu", &known, "ollama"), ("@gpu", "ollama"));
    }
}
