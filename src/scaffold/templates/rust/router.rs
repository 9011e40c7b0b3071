//! {{name}}: a pitcrew router. It sends every failure to one local model,
//! with a bigger answer for failures many tests share. Which model is its
//! one setting (`model`, from `[plugins.router.config]` in pitcrew.toml).

use pitcrew_plugin::router::{Guest, PluginError, PluginInfo, Route, RouteRequest};

pub struct Plugin;

/// The JSON Schema of the configuration, checked by pitcrew before the
/// router runs.
pub const CONFIG_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {"model": {"type": "string", "minLength": 1}},
  "additionalProperties": false
}"#;

#[derive(serde::Deserialize)]
struct Config {
    #[serde(default = "default_model")]
    model: String,
}

fn default_model() -> String {
    "llama3.2:1b".into()
}

impl Guest for Plugin {
    fn describe() -> PluginInfo {
        PluginInfo::new("{{name}}", "0.1.0", "routes every failure to one model")
            .with_config_schema(CONFIG_SCHEMA)
    }

    fn route(request: RouteRequest, config: String) -> Result<Route, PluginError> {
        let config: Config = pitcrew_plugin::config(&config)?;
        if request.classification.id != request.failure.id {
            return Err(PluginError::invalid_input("the classification is for another failure"));
        }
        Ok(Route {
            model: config.model,
            fallbacks: vec![],
            system_prompt: "You explain why a test failed, in one paragraph.".into(),
            prompt: format!("{}\n\n{}", request.failure.test_name, request.failure.message),
            max_tokens: if request.group_size > 1 { 1024 } else { 512 },
            temperature: 0.2,
        })
    }
}

#[cfg(target_arch = "wasm32")]
pitcrew_plugin::router::export!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;
    use pitcrew_plugin::classifier::{Category, Classification, Failure, Language, Specialty};

    #[test]
    fn routes_to_the_local_model() {
        let request = RouteRequest {
            failure: Failure {
                id: "1".into(),
                test_name: "adds".into(),
                file: None,
                message: "expected 2".into(),
                details: String::new(),
            },
            classification: Classification {
                id: "1".into(),
                category: Category::Assertion,
                language: Language::Other,
                specialty: Specialty::Test,
                confidence: 1.0,
                evidence: String::new(),
            },
            group_size: 3,
        };
        let route = Plugin::route(request.clone(), "{}".into()).unwrap();
        assert_eq!(route.model, "llama3.2:1b");
        assert_eq!(route.max_tokens, 1024);
        assert!(route.prompt.contains("expected 2"));
        let configured = Plugin::route(request, r#"{"model": "qwen2.5:0.5b"}"#.into()).unwrap();
        assert_eq!(configured.model, "qwen2.5:0.5b");
    }
}
