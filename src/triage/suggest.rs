//! Asking models about root causes: one request per routed group, through
//! the model client (redaction, budget, retries, fallback and the
//! concurrency bound are the client's). The host drops the models the
//! endpoint's list does not have before asking, and records which model
//! served and why.

use serde::Serialize;

use crate::escape::control_chars;
use crate::triage::model::{
    Availability, ChatRequest, ClientConfig, Completion, Endpoint, EndpointError, Message,
    ModelClient, ModelError, ModelRef, Token,
};
use crate::triage::redact::Redactor;
use crate::triage::route::Routed;
use crate::triage::settings::{ModelSettings, split_model};

/// One entry of a group's `suggestions`. Tagged by `status`, so other kinds
/// (a verified fix, say) can join later.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Suggestion {
    /// A model's diagnosis or suggestion, as it wrote it (escape to show it).
    Advice {
        /// The route's first choice.
        model: String,
        /// `model@endpoint` that answered.
        served_by: String,
        text: String,
    },
    /// No model was asked or none answered, and why.
    Skipped { reason: String },
}

/// Where models are asked, from `[models]` and the command line.
pub struct ModelSetup<'a> {
    pub settings: &'a ModelSettings,
    /// `--model-url`: replaces the configured endpoint.
    pub url: Option<&'a str>,
}

impl ModelSetup<'_> {
    /// The endpoint: `--model-url`, else `models.url` (with `models.token_env`),
    /// else `models.endpoint`'s preset (Ollama by default).
    pub fn endpoint(&self) -> Result<Endpoint, EndpointError> {
        if let Some(url) = self.url {
            return with_token_from(Endpoint::new("model-url", url)?, Some(MODEL_TOKEN_VAR));
        }
        if let Some(url) = &self.settings.url {
            let endpoint = Endpoint::new("models.url", url)?;
            return with_token_from(endpoint, self.settings.token_env.as_deref());
        }
        Endpoint::preset(self.settings.endpoint.as_deref().unwrap_or("ollama"))
    }

    /// `[models.endpoints.NAME]`, each under its name.
    fn named_endpoints(&self) -> Result<Vec<Endpoint>, EndpointError> {
        self.settings
            .endpoints
            .iter()
            .map(|(name, e)| match (&e.preset, &e.url) {
                (Some(preset), _) => Ok(Endpoint::preset(preset)?.renamed(name)),
                // Validated: without a preset there is a URL.
                (None, url) => with_token_from(
                    Endpoint::new(name, url.as_deref().unwrap_or_default())?,
                    e.token_env.as_deref(),
                ),
            })
            .collect()
    }

    /// The client for this run: the endpoints (the default first), the
    /// budget, prices, concurrency and the user's secret variables.
    pub fn client(&self) -> Result<ModelClient, SetupError> {
        let mut endpoints = vec![self.endpoint()?];
        endpoints.extend(self.named_endpoints()?);
        let mut config = ClientConfig::new(endpoints);
        config.budget = self.settings.budget();
        config.prices = self
            .settings
            .prices
            .iter()
            .map(|(model, price)| (model.clone(), *price))
            .collect();
        if let Some(n) = self.settings.concurrency {
            config.concurrency = n;
        }
        config.redactor = Redactor::from_env(&self.settings.secret_env);
        Ok(ModelClient::new(config)?)
    }
}

/// The variable holding the token for `--model-url`: a one-off endpoint
/// still may need one, and a token belongs in no command line.
pub const MODEL_TOKEN_VAR: &str = "PITCREW_MODEL_TOKEN";

/// `endpoint` with the token in the variable `var`, when it is set.
fn with_token_from(endpoint: Endpoint, var: Option<&str>) -> Result<Endpoint, EndpointError> {
    match var.and_then(|var| Some((var, Token::from_env(var)?))) {
        Some((var, token)) => endpoint.with_token_of(var, token),
        None => Ok(endpoint),
    }
}

/// Why there is no client.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    #[error(transparent)]
    Client(#[from] ModelError),
}

/// Why suggestions are off for the whole run, when every endpoint is
/// unreachable or refused its token (`None`: some endpoint can be asked).
pub fn off_reason(client: &ModelClient) -> Option<String> {
    let listed = client.availability();
    let usable = listed.iter().any(|(_, a)| {
        matches!(
            a,
            Availability::Listed { .. } | Availability::Unlisted { .. }
        )
    });
    if usable {
        return None;
    }
    let why: Vec<String> = listed
        .iter()
        .map(|(name, availability)| {
            let url = client
                .endpoints()
                .iter()
                .find(|e| e.name() == name)
                .map_or("", |e| e.base_url());
            let state = match availability {
                Availability::Unreachable { reason } => format!("unreachable ({reason})"),
                Availability::Unauthorized { status } => format!("token refused (HTTP {status})"),
                _ => "unusable".into(),
            };
            format!("{} at {}: {state}", control_chars(name), control_chars(url))
        })
        .collect();
    Some(format!(
        "no model endpoint is reachable: {}",
        why.join("; ")
    ))
}

/// What asking a group's models came to.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub served_by: Option<String>,
    pub reason: String,
    pub suggestion: Suggestion,
}

/// A routed group: its request's index and the models dropped before
/// asking, or why it is not asked.
type Plan = Result<(usize, Vec<String>), Asked>;

/// The client's endpoint: routes name models, and every model is served by
/// the one endpoint the client was built with.
fn endpoint_name(client: &ModelClient) -> String {
    client
        .endpoints()
        .first()
        .map(|e| e.name().to_string())
        .unwrap_or_default()
}

/// Splits routed model names into those their endpoint serves (as
/// references to ask, in the route's order) and those it does not list. A
/// name is `MODEL@ENDPOINT` for a named endpoint, else it goes to the
/// default one.
pub fn available_models(client: &ModelClient, names: &[String]) -> (Vec<ModelRef>, Vec<String>) {
    let default = endpoint_name(client);
    let known: Vec<&str> = client.endpoints().iter().map(Endpoint::name).collect();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for name in names {
        let (model, endpoint) = split_model(name, &known, &default);
        let model = ModelRef::new(endpoint, model);
        if client.is_available(&model) {
            kept.push(model);
        } else {
            dropped.push(name.clone());
        }
    }
    (kept, dropped)
}

/// Asks each routed group (`None`: not routed) once, concurrently within
/// the client's bound; answers come back in the groups' order. `context`
/// is appended to each group's prompt (the tests it breaks).
pub fn ask(client: &ModelClient, routes: &[Option<(&Routed, String)>]) -> Vec<Option<Asked>> {
    let endpoint = endpoint_name(client);
    let mut requests = Vec::new();
    let mut plans: Vec<Option<Plan>> = Vec::new();
    for route in routes {
        let Some((routed, context)) = route else {
            plans.push(None);
            continue;
        };
        let (models, dropped) = available_models(client, &routed.models);
        if models.is_empty() {
            let reason = format!(
                "no routed model is available: {} not in {}'s model list",
                list(&dropped),
                control_chars(&endpoint)
            );
            plans.push(Some(Err(Asked {
                served_by: None,
                reason: reason.clone(),
                suggestion: Suggestion::Skipped { reason },
            })));
            continue;
        }
        let mut request = ChatRequest::new(
            models,
            vec![
                Message::system(routed.system_prompt.clone()),
                Message::user(format!("{}\n\n{context}\n\n{BRIEF}", routed.prompt)),
            ],
        );
        request.max_tokens = routed.max_tokens;
        request.temperature = routed.temperature;
        plans.push(Some(Ok((requests.len(), dropped))));
        requests.push(request);
    }
    let mut answers: Vec<Option<Result<Completion, ModelError>>> = client
        .complete_all(requests)
        .into_iter()
        .map(Some)
        .collect();
    plans
        .into_iter()
        .zip(routes)
        .map(|(plan, route)| {
            let first = route
                .as_ref()
                .and_then(|(r, _)| r.models.first().cloned())
                .unwrap_or_default();
            match plan? {
                Err(asked) => Some(asked),
                Ok((index, dropped)) => {
                    let answer = answers.get_mut(index).and_then(Option::take)?;
                    Some(outcome(answer, &first, &dropped))
                }
            }
        })
        .collect()
}

/// Asked of every model after the router's prompt: a diagnosis first.
const BRIEF: &str = "Start with a short diagnosis: in at most three sentences, the likely root cause and where to fix it.";

fn outcome(answer: Result<Completion, ModelError>, first: &str, dropped: &[String]) -> Asked {
    match answer {
        Ok(completion) => {
            let served_by = completion.served_by.to_string();
            let reason = if dropped.is_empty() {
                completion.reason
            } else if completion.reason == "first choice" {
                format!(
                    "fallback: {} not in the endpoint's model list",
                    list(dropped)
                )
            } else {
                format!(
                    "{} not in the endpoint's model list; {}",
                    list(dropped),
                    completion.reason
                )
            };
            let text = completion.texts.into_iter().next().unwrap_or_default();
            Asked {
                served_by: Some(served_by.clone()),
                reason,
                suggestion: Suggestion::Advice {
                    model: first.to_string(),
                    served_by,
                    text,
                },
            }
        }
        Err(error) => {
            let reason = if error.is_budget_exhausted() {
                format!("no suggestion: {error}")
            } else {
                format!("no suggestion: {}", control_chars(&error.to_string()))
            };
            Asked {
                served_by: None,
                reason: reason.clone(),
                suggestion: Suggestion::Skipped { reason },
            }
        }
    }
}

fn list(models: &[String]) -> String {
    models
        .iter()
        .map(|m| format!("`{}`", control_chars(m)))
        .collect::<Vec<_>>()
        .join(", ")
}
