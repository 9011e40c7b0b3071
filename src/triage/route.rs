//! A root cause's route: the router plugin's choice for the group's first
//! failure (model, fallbacks, prompt, limits), with the model list replaced
//! by `[router]` in `pitcrew.toml` (category, then language, then
//! specialty) or by `--model` (which beats everything).

use crate::host::{CallError, Plugin, types};
use crate::triage::group::{Group, to_failure};
use crate::triage::redact::Redactor;
use crate::triage::settings::RouterOverrides;

/// Where a group goes, and how it is asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Routed {
    /// The models to try, in order (the first is the route's choice).
    pub models: Vec<String>,
    /// Who chose the list: `router-default`, `pitcrew.toml router.category.compile`, `--model`.
    pub chosen_by: String,
    pub system_prompt: String,
    pub prompt: String,
    pub max_tokens: u32,
    pub temperature: f32,
    /// Why its models will not be asked, when its prompts were dropped.
    pub unasked: Option<String>,
}

impl Routed {
    /// The bytes its prompts take in a request body, JSON-escaped (a
    /// control character is six): what asking its models holds.
    pub fn prompt_bytes(&self) -> usize {
        let escaped = |text: &str| -> usize {
            text.chars()
                .map(|c| match c {
                    '"' | '\\' | '\n' | '\r' | '\t' => 2,
                    c if u32::from(c) < 0x20 => 6,
                    c => c.len_utf8(),
                })
                .sum()
        };
        escaped(&self.prompt) + escaped(&self.system_prompt)
    }

    /// Its prompts with secrets replaced, as the model client sends them.
    pub fn redact(&mut self, redactor: &Redactor) {
        for text in [&mut self.prompt, &mut self.system_prompt] {
            if let std::borrow::Cow::Owned(redacted) = redactor.redact(text) {
                *text = redacted;
            }
        }
    }

    /// Frees the prompts of a route whose models will not be asked.
    pub fn drop_prompt(&mut self, why: String) {
        self.prompt = String::new();
        self.system_prompt = String::new();
        self.unasked = Some(why).filter(|w| !w.is_empty());
    }
}

/// Routes `group` with `router`, then applies the overrides.
///
/// The router sees the failure already redacted: it writes the prompt, and
/// shortens the text to fit it (the middle of a long log goes), so redacting
/// its prompt afterwards could miss a private key whose `BEGIN` line was cut
/// away, or a secret value cut in two.
pub fn route(
    router: &Plugin,
    group: &Group<'_>,
    overrides: &RouterOverrides,
    forced_model: Option<&str>,
    redactor: &Redactor,
) -> Result<Routed, CallError> {
    // A group always has a test; an empty one routes as an empty failure.
    let failure = match group.tests.first() {
        Some(test) => redacted(to_failure(0, test), redactor),
        None => types::Failure {
            id: "0".into(),
            test_name: "(no test)".into(),
            file: None,
            message: String::new(),
            details: String::new(),
        },
    };
    let classification = group
        .classification
        .clone()
        .map(|c| types::Classification {
            id: "0".into(),
            evidence: redactor.redact(&c.evidence).into_owned(),
            ..c
        })
        .unwrap_or_else(unclassified);
    let request = types::RouteRequest {
        failure,
        classification,
        group_size: u32::try_from(group.tests.len()).unwrap_or(u32::MAX),
    };
    let route = router.route(&request)?;
    let mut models = vec![route.model];
    models.extend(route.fallbacks);
    models.retain(|m| !m.trim().is_empty());
    let mut chosen_by = router.label().to_string();
    let configured = overrides.models_for(&group.category, &group.language, &group.specialty);
    if let Some(list) = configured {
        models = list.to_vec();
        chosen_by = format!("pitcrew.toml {}", override_key(overrides, group));
    }
    if let Some(model) = forced_model {
        models = vec![model.to_string()];
        chosen_by = "--model".into();
    }
    Ok(Routed {
        models,
        chosen_by,
        system_prompt: route.system_prompt,
        prompt: route.prompt,
        max_tokens: route.max_tokens,
        temperature: route.temperature,
        unasked: None,
    })
}

/// `failure` with every text field redacted.
fn redacted(failure: types::Failure, redactor: &Redactor) -> types::Failure {
    let redact = |text: &str| redactor.redact(text).into_owned();
    types::Failure {
        test_name: redact(&failure.test_name),
        file: failure.file.as_deref().map(redact),
        message: redact(&failure.message),
        details: redact(&failure.details),
        id: failure.id,
    }
}

/// `router.category.compile`: the table that gave the group's models.
fn override_key(overrides: &RouterOverrides, group: &Group<'_>) -> String {
    if overrides.category.contains_key(&group.category) {
        format!("router.category.{}", group.category)
    } else if overrides.language.contains_key(&group.language) {
        format!("router.language.{}", group.language)
    } else {
        format!("router.specialty.{}", group.specialty)
    }
}

/// What the router is told when the classifier did not answer.
fn unclassified() -> types::Classification {
    types::Classification {
        id: "0".into(),
        category: types::Category::Unknown,
        language: types::Language::Other,
        specialty: types::Specialty::General,
        confidence: 0.0,
        evidence: String::new(),
    }
}
