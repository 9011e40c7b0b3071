//! The GitHub REST client: octocrab on a current-thread runtime of its own,
//! behind a small synchronous API (the rest of pitcrew is synchronous).
//!
//! - The token goes to the API base only: octocrab's auth layer adds it to
//!   relative paths and to URLs on the base's host (`upload_uri` is set to
//!   the base too, so `uploads.github.com` gets nothing), [`Client::request`]
//!   refuses an absolute URL on any other host, and
//!   [`Client::get_unauthenticated`] fetches such URLs (an artifact
//!   download's redirect) with a client that holds no token.
//! - Redirects are not followed (octocrab's `follow-redirect` is off): a 3xx
//!   comes back to the caller, who decides where to go, without the token.
//! - Retries with backoff: 5xx, timeouts and connection errors; 403/429 with
//!   `Retry-After` (secondary rate limits) and an exhausted primary limit
//!   whose reset is near. Every wait is capped by [`RetryPolicy::max_wait`];
//!   `PITCREW_GITHUB_MAX_WAIT_MS` lowers it (tests keep the waits tiny).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use http_body_util::BodyExt as _;
use octocrab::Octocrab;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::Context;
use crate::error::{ErrorKind, HasKind};
use crate::triage::redact::Redactor;

/// How many times a request is tried, and how long it may wait between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all (the first one included).
    pub attempts: u32,
    /// The first backoff; it doubles on each retry.
    pub backoff: Duration,
    /// The longest single wait, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// One request's whole time: connect, send, and read the body.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The default, with `PITCREW_GITHUB_MAX_WAIT_MS` (caps every wait and
    /// backoff) and `PITCREW_GITHUB_TIMEOUT_MS` (per request) applied.
    pub fn from_env() -> Self {
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        let mut policy = Self::default();
        if let Some(max) = ms("PITCREW_GITHUB_MAX_WAIT_MS") {
            policy.max_wait = max;
            policy.backoff = policy.backoff.min(max);
        }
        if let Some(timeout) = ms("PITCREW_GITHUB_TIMEOUT_MS") {
            policy.timeout = timeout;
        }
        policy
    }

    fn backoff(&self, retry: u32) -> Duration {
        self.backoff
            .saturating_mul(1 << retry.min(16))
            .min(self.max_wait)
    }
}

/// A response whose status was 2xx or 3xx.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    pub fn json<T: DeserializeOwned>(&self, method: &Method, url: &str) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|e| ApiError::Decode {
            method: method.to_string(),
            url: url.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The `Link: <…>; rel="next"` URL.
    pub fn next_link(&self) -> Option<String> {
        let link = self.headers.get(http::header::LINK)?.to_str().ok()?;
        link.split(',').find_map(|part| {
            let (url, params) = part.split_once(';')?;
            let is_next = params
                .split(';')
                .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
            is_next.then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
        })
    }
}

/// A GitHub API call that failed (after its retries).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{method} {url}: HTTP {status}: {message}")]
    Status {
        method: String,
        url: String,
        status: u16,
        /// GitHub's `message`, or the start of the body.
        message: String,
    },
    #[error("{method} {url}: {reason}")]
    Transport {
        method: String,
        url: String,
        reason: String,
    },
    #[error("{method} {url}: unexpected response: {reason}")]
    Decode {
        method: String,
        url: String,
        reason: String,
    },
    #[error("{0}")]
    Refused(String),
    #[error("building the GitHub client: {0}")]
    Setup(String),
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// A read-only token: a fork's PR, or a workflow without the
    /// permission (`Resource not accessible by integration`).
    pub fn is_read_only(&self) -> bool {
        matches!(self, ApiError::Status { status: 403, message, .. }
            if message.contains("not accessible by integration"))
    }
}

impl HasKind for ApiError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

/// The API token: `--github-token`, else `GITHUB_TOKEN`.
pub fn token(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_owned)
        .or_else(|| std::env::var("GITHUB_TOKEN").ok())
        .filter(|t| !t.trim().is_empty())
}

/// What a text bound for GitHub loses: the shapes of secrets, the values of
/// the secret-named variables, and `token`.
pub fn redactor(token: &str) -> Redactor {
    Redactor::from_env(&[]).and_values([token])
}

/// A synchronous GitHub REST client bound to one API base.
pub struct Client {
    octo: Octocrab,
    base: Uri,
    policy: RetryPolicy,
    /// The shapes of secrets, the secret-named variables' values and this
    /// client's token: what [`Client::redact`] takes out of failure text.
    redactor: Redactor,
    // Last: dropped after the client whose background tasks it runs.
    runtime: tokio::runtime::Runtime,
}

impl Client {
    /// A client for `context`'s API base, authenticated with `token`.
    pub fn new(context: &Context, token: &str, policy: RetryPolicy) -> Result<Self, ApiError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ApiError::Setup(e.to_string()))?;
        let base: Uri = context
            .api_url
            .parse()
            .map_err(|e: http::uri::InvalidUri| ApiError::Setup(e.to_string()))?;
        // Octocrab's request buffer spawns its worker: inside the runtime.
        let octo = {
            let _inside = runtime.enter();
            builder(base.clone(), policy)?
                .upload_uri(base.clone())
                .map_err(|e| ApiError::Setup(e.to_string()))?
                .personal_token(token.to_owned())
                .build()
                .map_err(|e| ApiError::Setup(e.to_string()))?
        };
        Ok(Self {
            octo,
            base,
            policy,
            redactor: redactor(token),
            runtime,
        })
    }

    /// `text` with every secret replaced: for failure text bound for a
    /// comment or a check run (which, unlike the workflow's log, GitHub does
    /// not mask).
    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text).into_owned()
    }

    /// Runs `render` with every untrusted text it escapes redacted first
    /// (see [`Redactor::redacting`]).
    pub fn redacting<R>(&self, render: impl FnOnce() -> R) -> R {
        self.redactor.redacting(render)
    }

    /// The API base this client talks to.
    pub fn base(&self) -> &Uri {
        &self.base
    }

    /// Runs a future on the client's runtime (for callers composing their
    /// own octocrab calls through [`Client::octocrab`]).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The authenticated octocrab instance (use it inside [`Client::block_on`]).
    pub fn octocrab(&self) -> &Octocrab {
        &self.octo
    }

    /// One API call, retried as the policy says. `target` is a path on the
    /// API base (`/repos/o/r/…`, query allowed) or an absolute URL on the
    /// base's host (a `Link` header's); any other host is refused, so the
    /// token cannot leak. 2xx and 3xx are returned; other statuses are
    /// errors.
    pub fn request<B: Serialize + ?Sized>(
        &self,
        method: Method,
        target: &str,
        body: Option<&B>,
    ) -> Result<Response, ApiError> {
        let uri = self.on_base(target)?;
        let body = body
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| ApiError::Refused(format!("{method} {target}: body: {e}")))?;
        self.runtime.block_on(send_with_retries(
            &self.octo,
            &self.policy,
            method,
            uri,
            body,
        ))
    }

    pub fn get_json<T: DeserializeOwned>(&self, target: &str) -> Result<T, ApiError> {
        self.request(Method::GET, target, None::<&()>)?
            .json(&Method::GET, target)
    }

    pub fn post_json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        target: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.request(Method::POST, target, Some(body))?
            .json(&Method::POST, target)
    }

    pub fn patch_json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        target: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.request(Method::PATCH, target, Some(body))?
            .json(&Method::PATCH, target)
    }

    /// Every item of a paginated list, following `Link: rel="next"`, at
    /// most `limit` items. `items` names the array for endpoints that wrap
    /// it in an object (`workflow_runs`, `artifacts`); `None` for a bare
    /// array. `per_page=100` is added when the path sets no `per_page`.
    pub fn paginate<T: DeserializeOwned>(
        &self,
        path: &str,
        items: Option<&str>,
        limit: usize,
    ) -> Result<Vec<T>, ApiError> {
        let mut next = Some(if path.contains("per_page=") {
            path.to_owned()
        } else {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}per_page=100")
        });
        let mut all = Vec::new();
        while let Some(target) = next.take() {
            let response = self.request(Method::GET, &target, None::<&()>)?;
            let page: Vec<T> = match items {
                None => response.json(&Method::GET, &target)?,
                Some(field) => {
                    let mut value: serde_json::Value = response.json(&Method::GET, &target)?;
                    let list = value.get_mut(field).map(serde_json::Value::take);
                    serde_json::from_value(list.unwrap_or_default()).map_err(|e| {
                        ApiError::Decode {
                            method: "GET".into(),
                            url: target.clone(),
                            reason: format!("`{field}`: {e}"),
                        }
                    })?
                }
            };
            let empty = page.is_empty();
            all.extend(page);
            if all.len() >= limit {
                all.truncate(limit);
                break;
            }
            if !empty {
                next = response.next_link();
            }
        }
        Ok(all)
    }

    /// GET an absolute URL on any host with no credentials at all (an
    /// artifact download's redirect target). Same retries; redirects are
    /// returned, not followed.
    pub fn get_unauthenticated(&self, url: &str) -> Result<Response, ApiError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| ApiError::Refused(format!("not a URL: {url:?}")))?;
        let origin = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme @ ("http" | "https")), Some(authority)) => {
                format!("{scheme}://{authority}")
            }
            _ => return Err(ApiError::Refused(format!("not an http(s) URL: {url:?}"))),
        };
        let octo = {
            let _inside = self.runtime.enter();
            let origin: Uri = origin
                .parse()
                .map_err(|e: http::uri::InvalidUri| ApiError::Setup(e.to_string()))?;
            builder(origin, self.policy)?
                .build()
                .map_err(|e| ApiError::Setup(e.to_string()))?
        };
        self.runtime.block_on(send_with_retries(
            &octo,
            &self.policy,
            Method::GET,
            uri,
            None,
        ))
    }

    /// `target` as a URI on the API base; other hosts are refused.
    fn on_base(&self, target: &str) -> Result<Uri, ApiError> {
        if target.starts_with('/') {
            return target
                .parse()
                .map_err(|_| ApiError::Refused(format!("not a path: {target:?}")));
        }
        let uri: Uri = target
            .parse()
            .map_err(|_| ApiError::Refused(format!("not a URL: {target:?}")))?;
        if uri.authority() == self.base.authority() && uri.scheme() == self.base.scheme() {
            Ok(uri)
        } else {
            Err(ApiError::Refused(format!(
                "{target:?} is not on the API base {}: the token is not sent there",
                self.base
            )))
        }
    }
}

/// An octocrab builder with our headers and timeouts, for `base`.
fn builder(
    base: Uri,
    policy: RetryPolicy,
) -> Result<
    octocrab::OctocrabBuilder<
        octocrab::NoSvc,
        octocrab::DefaultOctocrabBuilderConfig,
        octocrab::NoAuth,
        octocrab::NotLayerReady,
    >,
    ApiError,
> {
    // octocrab sends its own User-Agent and X-GitHub-Api-Version (adding
    // ours would send the header twice).
    Ok(Octocrab::builder()
        .base_uri(base)
        .map_err(|e| ApiError::Setup(e.to_string()))?
        .add_header(http::header::ACCEPT, "application/vnd.github+json".into())
        .set_connect_timeout(Some(policy.timeout))
        .set_read_timeout(Some(policy.timeout))
        .set_write_timeout(Some(policy.timeout)))
}

/// What to do after a failed try.
enum Next {
    Retry(Duration),
    GiveUp,
}

async fn send_with_retries(
    octo: &Octocrab,
    policy: &RetryPolicy,
    method: Method,
    uri: Uri,
    body: Option<serde_json::Value>,
) -> Result<Response, ApiError> {
    let url = uri.to_string();
    let mut retry = 0;
    loop {
        let last = retry + 1 >= policy.attempts;
        let attempt = tokio::time::timeout(
            policy.timeout,
            send_once(octo, method.clone(), uri.clone(), body.clone()),
        )
        .await;
        let (error, next) = match attempt {
            Err(_) => (
                transport(&method, &url, "timed out"),
                Next::Retry(policy.backoff(retry)),
            ),
            Ok(Err(SendError(reason))) => (
                transport(&method, &url, &reason),
                Next::Retry(policy.backoff(retry)),
            ),
            Ok(Ok(response)) if response.status < 400 => return Ok(response),
            Ok(Ok(response)) => {
                let next = after_status(&response, policy, retry);
                (status_error(&method, &url, &response), next)
            }
        };
        match next {
            Next::Retry(wait) if !last => {
                tracing::debug!("{error}; retrying in {} ms", wait.as_millis());
                tokio::time::sleep(wait).await;
                retry += 1;
            }
            _ => return Err(error),
        }
    }
}

/// A request that got no HTTP answer: the whole error chain, which becomes
/// the reason of an [`ApiError::Transport`] (and is retried).
#[derive(Debug)]
struct SendError(String);

async fn send_once(
    octo: &Octocrab,
    method: Method,
    uri: Uri,
    body: Option<serde_json::Value>,
) -> Result<Response, SendError> {
    let builder = http::Request::builder().method(method).uri(uri);
    let request = octo
        .build_request(builder, body.as_ref())
        .map_err(error_chain)?;
    let response = octo.execute(request).await.map_err(error_chain)?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.map_err(error_chain)?.to_bytes();
    Ok(Response {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    })
}

/// octocrab's errors say little at the top ("Service error"): the chain.
fn error_chain(err: impl std::error::Error) -> SendError {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    SendError(text)
}

fn after_status(response: &Response, policy: &RetryPolicy, retry: u32) -> Next {
    let status = response.status;
    if status >= 500 {
        return Next::Retry(policy.backoff(retry));
    }
    if status != 403 && status != 429 {
        return Next::GiveUp;
    }
    let header = |name: &str| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    if let Some(seconds) = header("retry-after") {
        return Next::Retry(Duration::from_secs(seconds).min(policy.max_wait));
    }
    if header("x-ratelimit-remaining") == Some(0) {
        // The primary limit: worth waiting only when the reset is near.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let wait =
            Duration::from_secs(header("x-ratelimit-reset").unwrap_or(0).saturating_sub(now));
        return if wait <= policy.max_wait {
            Next::Retry(wait)
        } else {
            Next::GiveUp
        };
    }
    if status == 429 || message(&response.body).contains("secondary rate limit") {
        // GitHub asks for at least a minute when it gives no Retry-After.
        return Next::Retry(Duration::from_secs(60).min(policy.max_wait));
    }
    Next::GiveUp
}

fn transport(method: &Method, url: &str, reason: &str) -> ApiError {
    ApiError::Transport {
        method: method.to_string(),
        url: url.to_owned(),
        reason: reason.to_owned(),
    }
}

fn status_error(method: &Method, url: &str, response: &Response) -> ApiError {
    ApiError::Status {
        method: method.to_string(),
        url: url.to_owned(),
        status: response.status,
        message: message(&response.body),
    }
}

/// GitHub's error `message`, else the start of the body (one line, escaped).
fn message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Error {
        message: String,
    }
    let text = match serde_json::from_slice::<Error>(body) {
        Ok(e) => e.message,
        Err(_) => String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    };
    crate::escape::control_chars(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                v.parse().expect("value"),
            );
        }
        Response {
            status,
            headers: map,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn wait(next: Next) -> Option<Duration> {
        match next {
            Next::Retry(d) => Some(d),
            Next::GiveUp => None,
        }
    }

    #[test]
    fn which_statuses_are_retried_and_how_long_to_wait() {
        let policy = RetryPolicy::default();
        let w = |r: &Response, retry| wait(after_status(r, &policy, retry));
        assert_eq!(w(&response(502, &[], ""), 0), Some(Duration::from_secs(1)));
        assert_eq!(w(&response(503, &[], ""), 2), Some(Duration::from_secs(4)));
        assert_eq!(
            w(&response(403, &[("retry-after", "7")], "{}"), 0),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            w(&response(429, &[("retry-after", "9999")], "{}"), 0),
            Some(policy.max_wait)
        );
        let secondary = r#"{"message":"You have exceeded a secondary rate limit"}"#;
        assert_eq!(w(&response(403, &[], secondary), 0), Some(policy.max_wait));
        let read_only = r#"{"message":"Resource not accessible by integration"}"#;
        assert_eq!(w(&response(403, &[], read_only), 0), None);
        assert_eq!(w(&response(404, &[], "{}"), 0), None);
        let far = response(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "99999999999"),
            ],
            "{}",
        );
        assert_eq!(w(&far, 0), None);
    }

    #[test]
    fn read_only_errors_are_recognised() {
        let e = status_error(
            &Method::POST,
            "/x",
            &response(
                403,
                &[],
                r#"{"message":"Resource not accessible by integration"}"#,
            ),
        );
        assert!(e.is_read_only());
        assert!(!e.is_not_found());
        assert_eq!(
            e.to_string(),
            "POST /x: HTTP 403: Resource not accessible by integration"
        );
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let r = response(
            200,
            &[(
                "link",
                r#"<http://h/x?page=1>; rel="prev", <http://h/x?page=3>; rel="next", <http://h/x?page=9>; rel="last""#,
            )],
            "[]",
        );
        assert_eq!(r.next_link().as_deref(), Some("http://h/x?page=3"));
        assert_eq!(response(200, &[], "[]").next_link(), None);
    }
}
