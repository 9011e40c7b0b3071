//! The router's settings: the `[plugins.router.config]` table of
//! `pitcrew.toml`, handed over as JSON.
//!
//! ```toml
//! [plugins.router.config]
//! model = "qwen2.5-coder:7b"           # every specialty
//! models = { test = "qwen2.5-coder:1.5b" }  # per specialty, over `model`
//! max_tokens = { typescript = 4096 }   # or one number for all
//! temperature = 0.1
//! prompt_chars = 12000
//! ```
//!
//! Every key is optional; what is not set keeps the default mapping of
//! [`RouterConfig::default`]. The host checks the table against
//! [`SCHEMA`] before any call (one line naming the field, exit 2), so what
//! arrives here is well formed; the checks here (and
//! [`RouterConfig::validate`]) keep the plugin safe on its own.

use serde::Deserialize;

#[cfg(test)]
use crate::logic::MIN_PROMPT_CHARS;
use crate::logic::{PerSpecialty, RouteError, RouterConfig};

/// The JSON Schema the router declares in `describe`.
pub const SCHEMA: &str = r#"{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "model": { "type": "string", "minLength": 1, "pattern": "\\S" },
    "models": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "typescript": { "type": "string", "minLength": 1, "pattern": "\\S" },
        "react": { "type": "string", "minLength": 1, "pattern": "\\S" },
        "test": { "type": "string", "minLength": 1, "pattern": "\\S" },
        "general": { "type": "string", "minLength": 1, "pattern": "\\S" }
      }
    },
    "max_tokens": {
      "oneOf": [
        { "type": "integer", "minimum": 1, "maximum": 1048576 },
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "typescript": { "type": "integer", "minimum": 1, "maximum": 1048576 },
            "react": { "type": "integer", "minimum": 1, "maximum": 1048576 },
            "test": { "type": "integer", "minimum": 1, "maximum": 1048576 },
            "general": { "type": "integer", "minimum": 1, "maximum": 1048576 }
          }
        }
      ]
    },
    "temperature": { "type": "number", "minimum": 0, "maximum": 2 },
    "prompt_chars": { "type": "integer", "minimum": 1000, "maximum": 200000 }
  }
}"#;

/// The largest prompt budget accepted: 200,000 characters is far beyond
/// any small model's context, and fits the host's 1 MiB for a route's
/// prompts whatever the characters (at most four bytes each).
const MAX_PROMPT_CHARS: usize = 200_000;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Settings {
    model: Option<String>,
    #[serde(default)]
    models: Partial<String>,
    max_tokens: Option<Tokens>,
    temperature: Option<f32>,
    prompt_chars: Option<usize>,
}

/// Some specialties' values.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Partial<T> {
    typescript: Option<T>,
    react: Option<T>,
    test: Option<T>,
    general: Option<T>,
}

impl<T> Default for Partial<T> {
    fn default() -> Self {
        Partial {
            typescript: None,
            react: None,
            test: None,
            general: None,
        }
    }
}

impl<T: Clone> Partial<T> {
    /// `base` with the values set here, after `all` (when given) for every
    /// specialty.
    fn over(self, base: &mut PerSpecialty<T>, all: Option<T>) {
        if let Some(all) = all {
            *base = PerSpecialty {
                typescript: all.clone(),
                react: all.clone(),
                test: all.clone(),
                general: all,
            };
        }
        let slots = [
            (self.typescript, &mut base.typescript),
            (self.react, &mut base.react),
            (self.test, &mut base.test),
            (self.general, &mut base.general),
        ];
        for (value, slot) in slots {
            if let Some(value) = value {
                *slot = value;
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Tokens {
    All(u32),
    Each(Partial<u32>),
}

impl RouterConfig {
    /// The defaults with `json`'s settings over them. An empty text is no
    /// settings (a host that passes none).
    pub fn from_json(json: &str) -> Result<RouterConfig, RouteError> {
        let settings: Settings = if json.trim().is_empty() {
            Settings::default()
        } else {
            serde_json::from_str(json)
                .map_err(|e| RouteError::invalid(format!("router config: {e}")))?
        };
        let mut config = RouterConfig::default();
        settings.models.over(&mut config.models, settings.model);
        match settings.max_tokens {
            Some(Tokens::All(n)) => Partial::default().over(&mut config.max_tokens, Some(n)),
            Some(Tokens::Each(each)) => each.over(&mut config.max_tokens, None),
            None => {}
        }
        if let Some(temperature) = settings.temperature {
            config.temperature = temperature;
        }
        if let Some(chars) = settings.prompt_chars {
            if chars > MAX_PROMPT_CHARS {
                return Err(RouteError::invalid(format!(
                    "router config: prompt_chars {chars} is above {MAX_PROMPT_CHARS}"
                )));
            }
            config.prompt_chars = chars;
        }
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_settings_is_the_default_mapping() {
        assert_eq!(
            RouterConfig::from_json("{}").unwrap(),
            RouterConfig::default()
        );
        assert_eq!(
            RouterConfig::from_json("").unwrap(),
            RouterConfig::default()
        );
    }

    #[test]
    fn one_model_for_all_then_per_specialty_over_it() {
        let config =
            RouterConfig::from_json(r#"{"model": "qwen:7b", "models": {"test": "qwen:1.5b"}}"#)
                .unwrap();
        assert_eq!(config.models.typescript, "qwen:7b");
        assert_eq!(config.models.general, "qwen:7b");
        assert_eq!(config.models.test, "qwen:1.5b");
        let only_react = RouterConfig::from_json(r#"{"models": {"react": "r:3b"}}"#).unwrap();
        assert_eq!(only_react.models.react, "r:3b");
        assert_eq!(only_react.models.test, RouterConfig::default().models.test);
    }

    #[test]
    fn tokens_for_all_or_each_and_the_scalars() {
        let all = RouterConfig::from_json(r#"{"max_tokens": 300}"#).unwrap();
        assert_eq!(all.max_tokens.typescript, 300);
        assert_eq!(all.max_tokens.general, 300);
        let each = RouterConfig::from_json(
            r#"{"max_tokens": {"general": 64}, "temperature": 0, "prompt_chars": 2000}"#,
        )
        .unwrap();
        assert_eq!(each.max_tokens.general, 64);
        assert_eq!(each.max_tokens.react, 2048);
        assert_eq!(each.temperature, 0.0);
        assert_eq!(each.prompt_chars, 2000);
    }

    #[test]
    fn bad_settings_are_one_line_errors_naming_the_field() {
        for (json, field) in [
            (r#"{"modle": "x"}"#, "modle"),
            (r#"{"models": {"rust": "x"}}"#, "rust"),
            (r#"{"model": "  "}"#, "models.typescript"),
            (r#"{"max_tokens": {"test": 0}}"#, "max_tokens.test"),
            (r#"{"temperature": 3}"#, "temperature"),
            (r#"{"prompt_chars": 10}"#, "prompt_chars"),
            (r#"{"prompt_chars": 99000000}"#, "prompt_chars"),
        ] {
            let err = RouterConfig::from_json(json).unwrap_err();
            assert_eq!(err.kind, crate::logic::ErrorKind::InvalidInput, "{json}");
            assert!(err.message.contains(field), "{json}: {}", err.message);
            assert!(!err.message.contains('\n'), "{json}: {}", err.message);
        }
    }

    #[test]
    fn the_schema_is_json() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        assert_eq!(
            schema["properties"]["prompt_chars"]["minimum"],
            MIN_PROMPT_CHARS
        );
    }
}
