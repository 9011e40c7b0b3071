//! The model client: chat completions over the OpenAI-compatible protocol,
//! with fallback through an ordered model list, retries, cooldowns, a budget,
//! a concurrency bound and redaction of every prompt.
//!
//! The API is synchronous: the client owns a current-thread tokio runtime and
//! blocks on it, so callers (the CLI) need no async of their own. Do not call
//! it from inside another tokio runtime.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use serde::Serialize;
use tokio::sync::{OnceCell, Semaphore};

use super::budget::{Budget, Demand, Ledger, Price, PriceTable, Share, Spent, Usage};
use super::endpoint::Endpoint;
use super::error::{Attempt, Failure, ModelError, whole_seconds};
use super::health::Health;
use super::protocol::{self, ChatBody, Message};
use crate::escape::control_chars;
use crate::triage::redact::Redactor;

/// A response body larger than this is refused (a chat answer is kilobytes).
const MAX_BODY_BYTES: usize = 16 << 20;

/// A model on an endpoint, as a router names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ModelRef {
    /// The endpoint's name ([`Endpoint::name`]).
    pub endpoint: String,
    /// The model id the endpoint knows (`openai/gpt-4.1-mini`, `llama3.2:1b`).
    pub model: String,
}

impl ModelRef {
    pub fn new(endpoint: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            model: model.into(),
        }
    }
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}@{}",
            control_chars(&self.model),
            control_chars(&self.endpoint)
        )
    }
}

/// One question for a model: the models to try in order, and the prompt.
#[derive(Clone, Debug)]
pub struct ChatRequest {
    /// Tried in order; the first that answers serves the request.
    pub models: Vec<ModelRef>,
    pub messages: Vec<Message>,
    pub temperature: f32,
    pub max_tokens: u32,
    /// Answers wanted (`n`); endpoints that ignore it return one.
    pub candidates: u32,
    /// The part of the run's budget this request may spend, when the budget
    /// was shared out ([`ModelClient::shares`]); `None`: the run's budget.
    pub share: Option<Share>,
    /// No try starts, and none lasts, past this (`--fix-time-limit`);
    /// `None`: only the client's timeouts and tries bound the wait.
    pub deadline: Option<Instant>,
}

impl ChatRequest {
    /// Temperature 0.2, 1024 tokens, one candidate.
    pub fn new(models: Vec<ModelRef>, messages: Vec<Message>) -> Self {
        Self {
            models,
            messages,
            temperature: 0.2,
            max_tokens: 1024,
            candidates: 1,
            share: None,
            deadline: None,
        }
    }
}

/// A model's answer.
#[derive(Clone, Debug, Serialize)]
pub struct Completion {
    pub served_by: ModelRef,
    /// Why this model served: `first choice`, or the models skipped before it and why.
    pub reason: String,
    /// The answers (one per candidate the endpoint returned).
    pub texts: Vec<String>,
    pub usage: Usage,
    /// The models tried or skipped before `served_by`.
    pub skipped: Vec<Attempt>,
}

/// What an endpoint's model list said.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Availability {
    /// These model ids are served.
    Listed { models: Vec<String> },
    /// The endpoint does not list its models (or not readably): models are tried anyway.
    Unlisted { reason: String },
    /// Not reachable: its models are skipped this run.
    Unreachable { reason: String },
    /// The token was refused: its models are skipped this run.
    Unauthorized { status: u16 },
}

/// Everything the client needs; [`ClientConfig::new`] has the defaults.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub endpoints: Vec<Endpoint>,
    pub budget: Budget,
    pub prices: PriceTable,
    /// Requests in flight at once, over all endpoints.
    pub concurrency: usize,
    /// A whole request, body included.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Tries per model for retryable failures (5xx, 429, timeouts, connection errors).
    pub max_tries: u32,
    /// The first backoff; it doubles per retry up to `max_backoff`.
    pub backoff: Duration,
    /// The longest wait between tries, `Retry-After` included: a longer
    /// `Retry-After` moves on to the next model and cools the endpoint down.
    pub max_backoff: Duration,
    /// Consecutive failures after which an endpoint cools down.
    pub cooldown_after: u32,
    pub cooldown: Duration,
    /// Applied to every message before it is sent; the endpoints' tokens are added to it.
    pub redactor: Redactor,
}

impl ClientConfig {
    /// These endpoints, no budget limit, concurrency 4, 120 s requests, 3
    /// tries with 0.5 s doubling to 30 s, cooldown of 60 s after 3 failures,
    /// and redaction of the secret-looking environment variables.
    pub fn new(endpoints: Vec<Endpoint>) -> Self {
        Self {
            endpoints,
            budget: Budget::default(),
            prices: PriceTable::new(),
            concurrency: 4,
            request_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            max_tries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            cooldown_after: 3,
            cooldown: Duration::from_secs(60),
            redactor: Redactor::from_env(&[]),
        }
    }
}

/// The client of one run. Cheap to share by reference across threads.
pub struct ModelClient {
    runtime: tokio::runtime::Runtime,
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Vec<Endpoint>,
    listings: HashMap<String, OnceCell<Availability>>,
    prices: PriceTable,
    ledger: Ledger,
    health: Health,
    in_flight: Semaphore,
    redactor: Redactor,
    /// Also set on the HTTP client; kept to bound a try by a deadline.
    request_timeout: Duration,
    max_tries: u32,
    backoff: Duration,
    max_backoff: Duration,
}

/// How trying one model ended, when it did not answer.
enum Stop {
    Next(Failure),
    Budget(ModelError),
}

impl ModelClient {
    pub fn new(config: ClientConfig) -> Result<Self, ModelError> {
        let mut listings = HashMap::new();
        for endpoint in &config.endpoints {
            if listings
                .insert(endpoint.name().to_string(), OnceCell::new())
                .is_some()
            {
                return Err(ModelError::Setup(format!(
                    "two endpoints are named `{}`",
                    control_chars(endpoint.name())
                )));
            }
        }
        let http = reqwest::Client::builder()
            // A redirect would carry the request (and, with some clients, the
            // token) to another URL: a token goes to its own endpoint only.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("pitcrew/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ModelError::Setup(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ModelError::Setup(format!("async runtime: {e}")))?;
        let tokens: Vec<&str> = config
            .endpoints
            .iter()
            .filter_map(|e| e.token().map(|t| t.expose()))
            .collect();
        let inner = Inner {
            http,
            listings,
            prices: config.prices,
            ledger: Ledger::new(config.budget),
            health: Health::new(config.cooldown_after.max(1), config.cooldown),
            in_flight: Semaphore::new(config.concurrency.max(1)),
            redactor: config.redactor.and_values(tokens),
            request_timeout: config.request_timeout,
            max_tries: config.max_tries.max(1),
            backoff: config.backoff,
            max_backoff: config.max_backoff,
            endpoints: config.endpoints,
        };
        Ok(Self {
            runtime,
            inner: Arc::new(inner),
        })
    }

    /// Asks the request's models in order until one answers.
    pub fn complete(&self, request: ChatRequest) -> Result<Completion, ModelError> {
        let inner = Arc::clone(&self.inner);
        self.runtime
            .block_on(async move { inner.complete(request).await })
    }

    /// Asks every request, at most `concurrency` HTTP requests at a time;
    /// the answers come back in the requests' order.
    pub fn complete_all(&self, requests: Vec<ChatRequest>) -> Vec<Result<Completion, ModelError>> {
        self.runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            let count = requests.len();
            for (index, request) in requests.into_iter().enumerate() {
                let inner = Arc::clone(&self.inner);
                tasks.spawn(async move { (index, inner.complete(request).await) });
            }
            let mut answers: Vec<Option<Result<Completion, ModelError>>> =
                (0..count).map(|_| None).collect();
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok((index, answer)) => answers[index] = Some(answer),
                    // A panic inside a task is a bug of ours; the slot reports it below.
                    Err(e) => tracing::error!("model request task failed: {e}"),
                }
            }
            answers
                .into_iter()
                .map(|a| a.unwrap_or_else(|| Err(ModelError::Setup("request task failed".into()))))
                .collect()
        })
    }

    /// Every endpoint's model list (fetched once per run, then cached).
    pub fn availability(&self) -> Vec<(String, Availability)> {
        self.runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            for (index, endpoint) in self.inner.endpoints.iter().enumerate() {
                let inner = Arc::clone(&self.inner);
                let name = endpoint.name().to_string();
                tasks.spawn(async move {
                    let endpoint = &inner.endpoints[index];
                    (index, name, inner.availability(endpoint).await.clone())
                });
            }
            let mut listed = Vec::new();
            while let Some(Ok(entry)) = tasks.join_next().await {
                listed.push(entry);
            }
            listed.sort_by_key(|(index, _, _)| *index);
            listed.into_iter().map(|(_, name, a)| (name, a)).collect()
        })
    }

    /// Whether `model` may be asked: its endpoint is configured, reachable,
    /// accepted the token, and lists the model (or lists nothing).
    pub fn is_available(&self, model: &ModelRef) -> bool {
        let Some(endpoint) = self.inner.endpoint(&model.endpoint) else {
            return false;
        };
        let inner = Arc::clone(&self.inner);
        let name = endpoint.name().to_string();
        let availability = self.runtime.block_on(async move {
            let endpoint = inner.endpoint(&name).expect("looked up above");
            inner.availability(endpoint).await.clone()
        });
        match availability {
            Availability::Listed { models } => protocol::model_listed(&models, &model.model),
            Availability::Unlisted { .. } => true,
            Availability::Unreachable { .. } | Availability::Unauthorized { .. } => false,
        }
    }

    /// What this run has used.
    pub fn spent(&self) -> Spent {
        self.inner.ledger.spent()
    }

    /// What is left of the run's budget, shared out in the demands' order
    /// (see [`Ledger::shares`]): requests that carry a share spend it
    /// alone, so which of them get the budget does not depend on which
    /// asks first.
    pub fn shares(&self, demands: &[Demand]) -> Vec<Share> {
        self.inner
            .ledger
            .shares(demands)
            .into_iter()
            .map(|budget| Share(Arc::new(Ledger::new(budget))))
            .collect()
    }

    /// The price of `model` per million tokens: free on a local endpoint,
    /// from the price table otherwise (`None`: unpriced, or no such endpoint).
    pub fn price(&self, model: &ModelRef) -> Option<Price> {
        let endpoint = self.inner.endpoint(&model.endpoint)?;
        self.inner.price(endpoint, &model.model)
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.inner.endpoints
    }
}

impl Inner {
    fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name() == name)
    }

    async fn complete(&self, request: ChatRequest) -> Result<Completion, ModelError> {
        if request.models.is_empty() {
            return Err(ModelError::NoModels);
        }
        // Redacted here, once, so no caller can send a prompt unredacted.
        let messages: Vec<Message> = request
            .messages
            .iter()
            .map(|m| Message {
                role: m.role.clone(),
                content: self.redactor.redact(&m.content).into_owned(),
            })
            .collect();
        let prompt_bytes = messages.iter().map(|m| m.content.len()).sum();
        let mut skipped = Vec::new();
        for model in &request.models {
            let skip = |failure| Attempt {
                model: model.clone(),
                failure,
            };
            let Some(endpoint) = self.endpoint(&model.endpoint) else {
                skipped.push(skip(Failure::UnknownEndpoint));
                continue;
            };
            if let Some(failure) = self.health.skip(endpoint.name()) {
                skipped.push(skip(failure));
                continue;
            }
            if let Some(failure) = self.unavailable(endpoint, &model.model).await {
                skipped.push(skip(failure));
                continue;
            }
            let body = ChatBody {
                model: &model.model,
                messages: &messages,
                temperature: request.temperature,
                max_tokens: request.max_tokens,
                n: request.candidates.max(1),
                stream: false,
            };
            let body = serde_json::to_vec(&body).map_err(|e| ModelError::Setup(e.to_string()))?;
            let share = request.share.as_ref();
            match self
                .ask(endpoint, model, body, prompt_bytes, share, request.deadline)
                .await
            {
                Ok((texts, usage)) => {
                    let texts = protocol::keep_answers(
                        texts,
                        request.candidates.max(1),
                        request.max_tokens,
                    );
                    let reason = if skipped.is_empty() {
                        "first choice".to_string()
                    } else {
                        let why: Vec<String> = skipped.iter().map(Attempt::to_string).collect();
                        format!("fallback after {}", why.join("; "))
                    };
                    tracing::info!(endpoint = %control_chars(endpoint.name()), model = %control_chars(&model.model), %reason, "model answered");
                    return Ok(Completion {
                        served_by: model.clone(),
                        reason,
                        texts,
                        usage,
                        skipped,
                    });
                }
                Err(Stop::Budget(error)) => return Err(error),
                Err(Stop::Next(failure)) => {
                    tracing::warn!(endpoint = %control_chars(endpoint.name()), model = %control_chars(&model.model), "model failed: {failure}");
                    skipped.push(skip(failure));
                }
            }
        }
        Err(ModelError::AllFailed { attempts: skipped })
    }

    /// Why `model` on `endpoint` cannot be asked this run, if it cannot.
    async fn unavailable(&self, endpoint: &Endpoint, model: &str) -> Option<Failure> {
        match self.availability(endpoint).await {
            Availability::Listed { models } if !protocol::model_listed(models, model) => {
                Some(Failure::NotServed)
            }
            Availability::Listed { .. } | Availability::Unlisted { .. } => None,
            Availability::Unreachable { reason } => Some(Failure::Unreachable {
                detail: reason.clone(),
            }),
            Availability::Unauthorized { status } => {
                Some(Failure::Unauthorized { status: *status })
            }
        }
    }

    async fn availability(&self, endpoint: &Endpoint) -> &Availability {
        let cell = &self.listings[endpoint.name()];
        cell.get_or_init(|| self.list(endpoint)).await
    }

    async fn list(&self, endpoint: &Endpoint) -> Availability {
        let name = control_chars(endpoint.name()).into_owned();
        let request = match self.authorized(endpoint, self.http.get(endpoint.url("models"))) {
            Ok(request) => request,
            Err(failure) => {
                return Availability::Unreachable {
                    reason: failure.to_string(),
                };
            }
        };
        let response = {
            let _permit = self.in_flight.acquire().await;
            send(request).await
        };
        let availability = match response {
            Ok((status, _, body)) if status.is_success() => match protocol::parse_models(&body) {
                Ok(models) => Availability::Listed { models },
                Err(e) => Availability::Unlisted {
                    reason: format!(
                        "unreadable model list from endpoint `{name}`: {}",
                        control_chars(&e)
                    ),
                },
            },
            Ok((status, _, _)) if is_refusal(status) => {
                self.health.refuse(endpoint.name(), status.as_u16());
                Availability::Unauthorized {
                    status: status.as_u16(),
                }
            }
            Ok((status, _, _)) => Availability::Unlisted {
                reason: format!("GET /models answered HTTP {}", status.as_u16()),
            },
            Err(e) => Availability::Unreachable {
                reason: describe(&e),
            },
        };
        tracing::debug!(endpoint = %name, ?availability, "model list");
        availability
    }

    /// One model, with retries: its texts and usage, or why to move on.
    async fn ask(
        &self,
        endpoint: &Endpoint,
        model: &ModelRef,
        body: Vec<u8>,
        prompt_bytes: usize,
        share: Option<&Share>,
        deadline: Option<Instant>,
    ) -> Result<(Vec<String>, Usage), Stop> {
        let name = control_chars(endpoint.name()).into_owned();
        let mut tries = 0;
        loop {
            tries += 1;
            // A slot first, then the budget, held until the answer is
            // recorded: checked before waiting for a slot, every call queued
            // behind the first would see nothing spent yet, and a budget of
            // one call's cost would let them all through. The time left is
            // what remains after the wait for the slot.
            let permit = self.in_flight.acquire().await;
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return Err(Stop::Next(Failure::OutOfTime));
            }
            self.reserve_call(share).map_err(Stop::Budget)?;
            let request = self
                .http
                .post(endpoint.url("chat/completions"))
                .header(CONTENT_TYPE, "application/json")
                .header(ACCEPT, "application/json")
                .timeout(left.map_or(self.request_timeout, |left| left.min(self.request_timeout)))
                .body(body.clone());
            let request = self.authorized(endpoint, request).map_err(Stop::Next)?;
            tracing::debug!(endpoint = %name, model = %control_chars(&model.model), tries, "chat completion");
            let response = send(request).await;
            let (failure, wait) = match response {
                Ok((status, _, body)) if status.is_success() => {
                    return match protocol::parse_chat(&body, prompt_bytes) {
                        Ok((texts, usage)) => {
                            self.health.succeeded(endpoint.name());
                            let price = self.price(endpoint, &model.model);
                            self.ledger.record(usage, price);
                            if let Some(share) = share {
                                share.0.record(usage, price);
                            }
                            Ok((texts, usage))
                        }
                        Err(detail) => {
                            self.health.failed(endpoint.name());
                            Err(Stop::Next(Failure::Malformed {
                                detail: format!(
                                    "from endpoint `{name}`: {}",
                                    control_chars(&detail)
                                ),
                            }))
                        }
                    };
                }
                Ok((status, _, _)) if is_refusal(status) => {
                    self.health.refuse(endpoint.name(), status.as_u16());
                    return Err(Stop::Next(Failure::Unauthorized {
                        status: status.as_u16(),
                    }));
                }
                Ok((status, _, body))
                    if status != StatusCode::TOO_MANY_REQUESTS
                        && protocol::is_context_length_error(&body) =>
                {
                    return Err(Stop::Next(Failure::ContextLength));
                }
                Ok((status, retry_after, body)) if is_retryable(status) => {
                    if let Some(after) = retry_after.filter(|after| *after > self.max_backoff) {
                        // Waiting that long holds up every other group: move on,
                        // and leave the endpoint alone until it said to come back.
                        self.health.cool_for(endpoint.name(), after);
                        return Err(Stop::Next(Failure::RateLimited {
                            retry_after_seconds: whole_seconds(after),
                        }));
                    }
                    let failure = status_failure(status, &body, tries, &self.redactor);
                    (
                        failure,
                        retry_after.unwrap_or_else(|| self.backoff_for(tries)),
                    )
                }
                Ok((status, _, body)) => {
                    return Err(Stop::Next(status_failure(
                        status,
                        &body,
                        tries,
                        &self.redactor,
                    )));
                }
                // Cut short by the caller's deadline, not the endpoint's
                // fault: no cooldown for the groups after this one.
                Err(e) if e.is_timeout() && deadline.is_some_and(|d| Instant::now() >= d) => {
                    return Err(Stop::Next(Failure::OutOfTime));
                }
                Err(e) if e.is_timeout() => (Failure::Timeout { tries }, self.backoff_for(tries)),
                Err(e) => (
                    Failure::Transport {
                        detail: describe(&e),
                        tries,
                    },
                    self.backoff_for(tries),
                ),
            };
            // No slot is held through a backoff.
            drop(permit);
            let cooling = self.health.failed(endpoint.name());
            let too_late = deadline.is_some_and(|d| Instant::now() + wait >= d);
            if cooling || tries >= self.max_tries || too_late {
                return Err(Stop::Next(failure));
            }
            tracing::debug!(endpoint = %name, "retrying in {wait:?} after: {failure}");
            tokio::time::sleep(wait.min(self.max_backoff)).await;
        }
    }

    /// The request with the endpoint's token, if it has one.
    fn authorized(
        &self,
        endpoint: &Endpoint,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Failure> {
        let Some(token) = endpoint.token() else {
            return Ok(request);
        };
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                Failure::Transport {
                    detail: "the token has characters an HTTP header cannot carry".into(),
                    tries: 0,
                }
            })?;
        value.set_sensitive(true);
        Ok(request.header(AUTHORIZATION, value))
    }

    /// One call taken from the request's share, when it has one (the run's
    /// total counts it too), else from the run's budget.
    fn reserve_call(&self, share: Option<&Share>) -> Result<(), ModelError> {
        match share {
            Some(share) => {
                share
                    .0
                    .reserve_call()
                    .map_err(|(limit, spent)| ModelError::ShareSpent { limit, spent })?;
                self.ledger.count_call();
                Ok(())
            }
            None => self
                .ledger
                .reserve_call()
                .map_err(|(limit, spent)| ModelError::BudgetExhausted { limit, spent }),
        }
    }

    fn price(&self, endpoint: &Endpoint, model: &str) -> Option<Price> {
        if endpoint.is_free() {
            Some(Price::default())
        } else {
            self.prices.get(model).copied()
        }
    }

    fn backoff_for(&self, tries: u32) -> Duration {
        self.backoff
            .saturating_mul(1u32 << (tries.saturating_sub(1)).min(16))
            .min(self.max_backoff)
    }
}

/// Sends a request and reads its body (bounded): status, `Retry-After`, body.
async fn send(
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, Option<Duration>, Vec<u8>), reqwest::Error> {
    let mut response = request.send().await?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| protocol::parse_retry_after(v, SystemTime::now()));
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            // Enough to classify an error or report a malformed answer.
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, retry_after, body))
}

fn is_refusal(status: StatusCode) -> bool {
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
}

fn is_retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT
        )
}

/// The endpoint's error message is redacted: a server may quote the key it
/// was sent (`Incorrect API key provided: sk-…`), and the message goes to
/// the report, the log and the pull request.
fn status_failure(status: StatusCode, body: &[u8], tries: u32, redactor: &Redactor) -> Failure {
    // Redacted before the message is cut to its 200 characters: a key cut
    // in two is no longer the key.
    let body = redactor.redact(&String::from_utf8_lossy(body)).into_owned();
    let message = protocol::error_message(body.as_bytes());
    Failure::Status {
        status: status.as_u16(),
        message: control_chars(&redactor.redact(&message)).into_owned(),
        tries,
    }
}

/// A transport error with its causes (connection refused, DNS, TLS), escaped.
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_connect() {
        "connection failed".to_string()
    } else if error.is_timeout() {
        "timed out".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    control_chars(&text).into_owned()
}
