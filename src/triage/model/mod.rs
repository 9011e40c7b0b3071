//! The model client: OpenAI-compatible chat completions against GitHub
//! Models, Ollama or any base URL (`endpoint`), with a per-run budget
//! (`budget`), retries, fallback and cooldowns (`client`, `health`), and
//! every prompt redacted (`crate::triage::redact`) before it is sent.
//!
//! How a caller uses it:
//! ```no_run
//! use pitcrew::triage::model::*;
//! let endpoints = vec![Endpoint::github_models(), Endpoint::ollama()];
//! let client = ModelClient::new(ClientConfig::new(endpoints))?;
//! let models = vec![
//!     ModelRef::new("github-models", "openai/gpt-4.1-mini"),
//!     ModelRef::new("ollama", "llama3.2:1b"),
//! ];
//! let request = ChatRequest::new(models, vec![Message::user("Why does this test fail? …")]);
//! match client.complete(request) {
//!     Ok(answer) => println!("{} (served by {}: {})", answer.texts[0], answer.served_by, answer.reason),
//!     Err(e) if e.is_budget_exhausted() => println!("suggestions off: {e}"),
//!     Err(e) => println!("no suggestion: {e}"),
//! }
//! # Ok::<(), ModelError>(())
//! ```

mod budget;
mod client;
mod endpoint;
mod error;
mod health;
mod protocol;

pub use budget::{Budget, Demand, Limit, Price, PriceTable, Share, Spent, Usage};
pub use client::{Availability, ChatRequest, ClientConfig, Completion, ModelClient, ModelRef};
pub use endpoint::{
    Endpoint, EndpointError, GITHUB_MODELS_URL, GITHUB_TOKEN_VAR, OLLAMA_URL, Token,
};
pub use error::{Attempt, Failure, ModelError};
pub use protocol::Message;
