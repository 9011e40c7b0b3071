//! What can go wrong with a model call: per model (an [`Attempt`] that moved
//! on to the next model) and per request ([`ModelError`]).

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::budget::{Limit, Spent};
use super::client::ModelRef;

/// Why one model did not serve a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// The request named an endpoint the client does not know.
    UnknownEndpoint,
    /// The endpoint answered 401 or 403: not retried, skipped for the rest of the run.
    Unauthorized { status: u16 },
    /// The endpoint failed repeatedly and is skipped for a while.
    CoolingDown { seconds_left: u64 },
    /// The endpoint could not be reached when its models were listed.
    Unreachable { detail: String },
    /// The endpoint's model list does not have this model.
    NotServed,
    /// The prompt is longer than the model's context.
    ContextLength,
    /// 429 with a `Retry-After` longer than the client waits.
    RateLimited { retry_after_seconds: u64 },
    /// A status that retrying did not fix, or one that retrying cannot fix (4xx).
    Status {
        status: u16,
        message: String,
        tries: u32,
    },
    /// No response within the request timeout.
    Timeout { tries: u32 },
    /// The caller's time limit (`--fix-time-limit`) ran out.
    OutOfTime,
    /// Connection refused, reset, DNS, TLS.
    Transport { detail: String, tries: u32 },
    /// A 2xx response whose body is not a chat completion.
    Malformed { detail: String },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::UnknownEndpoint => write!(f, "no endpoint by that name is configured"),
            Failure::Unauthorized { status } => {
                write!(
                    f,
                    "HTTP {status}: the token was refused (check it and its permissions)"
                )
            }
            Failure::CoolingDown { seconds_left } => {
                write!(
                    f,
                    "endpoint cooling down after repeated failures ({seconds_left} s left)"
                )
            }
            Failure::Unreachable { detail } => write!(f, "endpoint unreachable: {detail}"),
            Failure::NotServed => write!(f, "not in the endpoint's model list"),
            Failure::ContextLength => write!(f, "prompt longer than the model's context"),
            Failure::RateLimited {
                retry_after_seconds,
            } => {
                write!(
                    f,
                    "rate limited (HTTP 429, retry after {retry_after_seconds} s)"
                )
            }
            Failure::Status {
                status,
                message,
                tries,
            } => {
                write!(f, "HTTP {status} after {tries} tries")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Failure::Timeout { tries } => write!(f, "timed out after {tries} tries"),
            Failure::OutOfTime => write!(f, "the time limit ran out"),
            Failure::Transport { detail, tries } => write!(f, "{detail} (after {tries} tries)"),
            Failure::Malformed { detail } => write!(f, "malformed response body: {detail}"),
        }
    }
}

/// One model that was tried or skipped, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attempt {
    pub model: ModelRef,
    pub failure: Failure,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.model, self.failure)
    }
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A limit of the run's budget is used up: report without suggestions.
    #[error(
        "model budget exhausted ({limit}: {} calls, {} tokens, ${:.4} spent)",
        spent.calls, spent.tokens(), spent.cost_usd
    )]
    BudgetExhausted { limit: Limit, spent: Spent },
    /// The request's share of the run's budget is used up; the rest of the
    /// budget was set aside for the requests that come first.
    #[error(
        "model budget exhausted ({limit}: this share of the run's budget is spent, {} calls, {} tokens, ${:.4}; the rest went to root causes of higher priority)",
        spent.calls, spent.tokens(), spent.cost_usd
    )]
    ShareSpent { limit: Limit, spent: Spent },
    #[error("no model to ask (the request's model list is empty)")]
    NoModels,
    /// Every model in the request's list failed or was skipped.
    #[error("no model answered: {}", join(.attempts))]
    AllFailed { attempts: Vec<Attempt> },
    #[error("model client: {0}")]
    Setup(String),
}

impl ModelError {
    /// Whether the run's budget ran out (later requests will fail the same way).
    pub fn is_budget_exhausted(&self) -> bool {
        matches!(
            self,
            ModelError::BudgetExhausted { .. } | ModelError::ShareSpent { .. }
        )
    }
}

fn join(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(Attempt::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}
