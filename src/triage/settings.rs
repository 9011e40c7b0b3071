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
        Ok(())
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
}
