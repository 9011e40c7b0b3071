//! Model endpoints: an OpenAI-compatible base URL, a name for logs and
//! reports, and the token sent to it (and to nothing else).

use std::fmt;

use reqwest::Url;

/// The GitHub Models inference API (the workflow needs `permissions: models: read`).
pub const GITHUB_MODELS_URL: &str = "https://models.github.ai/inference";
/// The hosts a GitHub token may be sent to: GitHub Models' (and its
/// earlier address).
const GITHUB_MODELS_HOSTS: &[&str] = &["models.github.ai", "models.inference.ai.azure.com"];
/// Where GitHub Models' token comes from.
pub const GITHUB_TOKEN_VAR: &str = "GITHUB_TOKEN";
/// A local Ollama server's OpenAI-compatible API.
pub const OLLAMA_URL: &str = "http://localhost:11434/v1";

/// A bearer token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// `None` for an empty or blank token.
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into().trim().to_string();
        (!token.is_empty()).then_some(Self(token))
    }

    /// The token in environment variable `var`, if it is set and not blank.
    pub fn from_env(var: &str) -> Option<Self> {
        std::env::var(var).ok().and_then(Self::new)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([REDACTED])")
    }
}

/// Why an endpoint was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EndpointError {
    #[error("model endpoint `{name}`: `{url}` is not a valid URL ({reason})")]
    InvalidUrl {
        name: String,
        url: String,
        reason: String,
    },
    #[error("model endpoint `{name}`: only http and https URLs are supported, not `{scheme}`")]
    Scheme { name: String, scheme: String },
    #[error(
        "model endpoint `{name}`: put the credentials in a token, not in the URL (they would be sent in clear in logs and errors)"
    )]
    CredentialsInUrl { name: String },
    #[error(
        "model endpoint `{name}`: a base URL has no query or fragment (the API paths are appended to it)"
    )]
    QueryInUrl { name: String },
    #[error(
        "model endpoint `{name}`: refusing to send a token over plain http to `{host}`; use https (plain http only to loopback)"
    )]
    TokenOverHttp { name: String, host: String },
    #[error(
        "model endpoint `{name}`: refusing to send `{var}` (a GitHub token) to `{host}`; it goes to GitHub Models only"
    )]
    GithubTokenElsewhere {
        name: String,
        var: String,
        host: String,
    },
    #[error("unknown model endpoint preset `{0}` (known: github-models, ollama)")]
    UnknownPreset(String),
}

/// One OpenAI-compatible endpoint.
#[derive(Clone, Debug)]
pub struct Endpoint {
    name: String,
    /// The base URL without a trailing slash: `{base}/chat/completions`, `{base}/models`.
    base: Url,
    token: Option<Token>,
    free: bool,
}

impl Endpoint {
    /// An endpoint at `base_url`, without a token, priced from the price table.
    pub fn new(name: impl Into<String>, base_url: &str) -> Result<Self, EndpointError> {
        let name = name.into();
        let trimmed = base_url.trim().trim_end_matches('/');
        let base = Url::parse(trimmed).map_err(|e| EndpointError::InvalidUrl {
            name: name.clone(),
            url: crate::escape::control_chars(base_url).into_owned(),
            reason: e.to_string(),
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(EndpointError::Scheme {
                name,
                scheme: base.scheme().to_string(),
            });
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(EndpointError::CredentialsInUrl { name });
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(EndpointError::QueryInUrl { name });
        }
        Ok(Self {
            name,
            base,
            token: None,
            free: false,
        })
    }

    /// Sends `token` as `Authorization: Bearer` to this endpoint, and only to
    /// it. Refused over plain http except to loopback.
    pub fn with_token(mut self, token: Token) -> Result<Self, EndpointError> {
        if self.base.scheme() == "http" && !self.is_loopback() {
            return Err(EndpointError::TokenOverHttp {
                name: self.name,
                host: self.base.host_str().unwrap_or_default().to_string(),
            });
        }
        self.token = Some(token);
        Ok(self)
    }

    /// Sends the token read from the variable `var` to this endpoint, as
    /// [`Endpoint::with_token`] does; a GitHub token (from `GITHUB_…` or
    /// `GH_…`, shaped like one, or the value of `GITHUB_TOKEN`/`GH_TOKEN`)
    /// only to GitHub Models or loopback: it can write to the repository,
    /// and a `pitcrew.toml` names where it goes.
    pub fn with_token_of(self, var: &str, token: Token) -> Result<Self, EndpointError> {
        // By its variable's name, its shape, or its value (a token the
        // workflow exports under another name).
        let value = token.expose();
        let github = ["GITHUB_", "GH_"]
            .iter()
            .any(|prefix| var.to_ascii_uppercase().starts_with(prefix))
            || ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]
                .iter()
                .any(|shape| value.starts_with(shape))
            || ["GITHUB_TOKEN", "GH_TOKEN"]
                .iter()
                .any(|name| std::env::var(name).is_ok_and(|v| !v.is_empty() && v.trim() == value));
        let host = self
            .base
            .host_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if github && !self.is_loopback() && !GITHUB_MODELS_HOSTS.contains(&host.as_str()) {
            return Err(EndpointError::GithubTokenElsewhere {
                name: self.name,
                var: var.to_owned(),
                host,
            });
        }
        self.with_token(token)
    }

    /// The same endpoint under another name (a preset configured twice, or
    /// under the name routes use for it).
    pub fn renamed(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Calls cost nothing (a local server): the price table is not consulted.
    pub fn free(mut self) -> Self {
        self.free = true;
        self
    }

    /// GitHub Models, with the token from `GITHUB_TOKEN` when it is set.
    pub fn github_models() -> Self {
        Self::github_models_with(Token::from_env(GITHUB_TOKEN_VAR))
    }

    /// GitHub Models with this token.
    pub fn github_models_with(token: Option<Token>) -> Self {
        Self {
            name: "github-models".into(),
            base: Url::parse(GITHUB_MODELS_URL).expect("constant URL parses"),
            token,
            free: false,
        }
    }

    /// A local Ollama server: no token, free.
    pub fn ollama() -> Self {
        Self {
            name: "ollama".into(),
            base: Url::parse(OLLAMA_URL).expect("constant URL parses"),
            token: None,
            free: true,
        }
    }

    /// A preset by name: `github-models` (or `github`) or `ollama`.
    pub fn preset(name: &str) -> Result<Self, EndpointError> {
        match name {
            "github-models" | "github" => Ok(Self::github_models()),
            "ollama" => Ok(Self::ollama()),
            other => Err(EndpointError::UnknownPreset(
                crate::escape::control_chars(other).into_owned(),
            )),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The base URL as given (without a trailing slash).
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    pub fn is_free(&self) -> bool {
        self.free
    }

    pub(crate) fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// `{base}/{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url())
    }

    fn is_loopback(&self) -> bool {
        let host = self.base.host_str().unwrap_or_default();
        let ip = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        let gh = Endpoint::github_models_with(Token::new("t0ken"));
        assert_eq!(gh.base_url(), GITHUB_MODELS_URL);
        assert_eq!(
            gh.url("models"),
            "https://models.github.ai/inference/models"
        );
        assert!(gh.has_token() && !gh.is_free());
        let ollama = Endpoint::preset("ollama").unwrap();
        assert_eq!(
            ollama.url("chat/completions"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert!(ollama.is_free() && !ollama.has_token());
        assert_eq!(
            Endpoint::preset("nope").unwrap_err(),
            EndpointError::UnknownPreset("nope".into())
        );
    }

    #[test]
    fn any_base_url_with_or_without_trailing_slash() {
        let e = Endpoint::new("vllm", "http://10.0.0.5:8000/v1/").unwrap();
        assert_eq!(e.url("models"), "http://10.0.0.5:8000/v1/models");
    }

    #[test]
    fn refused_urls() {
        let err = |url| Endpoint::new("e", url).unwrap_err();
        assert!(matches!(err("not a url"), EndpointError::InvalidUrl { .. }));
        assert!(matches!(err("ftp://h/v1"), EndpointError::Scheme { .. }));
        assert!(matches!(
            err("https://u:p@h/v1"),
            EndpointError::CredentialsInUrl { .. }
        ));
        assert!(matches!(
            err("https://h/v1?key=1"),
            EndpointError::QueryInUrl { .. }
        ));
    }

    #[test]
    fn tokens_only_over_https_or_to_loopback() {
        let token = || Token::new("secret-token").unwrap();
        let remote = Endpoint::new("e", "http://example.com/v1").unwrap();
        assert!(matches!(
            remote.with_token(token()),
            Err(EndpointError::TokenOverHttp { .. })
        ));
        for ok in [
            "https://example.com/v1",
            "http://127.0.0.1:9/v1",
            "http://localhost/v1",
            "http://[::1]:8/v1",
        ] {
            assert!(
                Endpoint::new("e", ok).unwrap().with_token(token()).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn a_github_token_goes_to_github_models_only() {
        let token = || Token::new("ghs_secret").unwrap();
        for var in ["GITHUB_TOKEN", "GH_TOKEN", "github_pat"] {
            let elsewhere = Endpoint::new("e", "https://attacker.example/v1").unwrap();
            let refused = elsewhere
                .with_token_of(var, token())
                .unwrap_err()
                .to_string();
            assert_eq!(
                refused,
                format!(
                    "model endpoint `e`: refusing to send `{var}` (a GitHub token) to `attacker.example`; it goes to GitHub Models only"
                )
            );
        }
        for ok in [
            "https://models.github.ai/inference",
            "http://127.0.0.1:9/v1",
        ] {
            let endpoint = Endpoint::new("e", ok).unwrap();
            assert!(
                endpoint.with_token_of("GITHUB_TOKEN", token()).is_ok(),
                "{ok}"
            );
        }
        // So does a GitHub token under another name, by its shape.
        let elsewhere = Endpoint::new("e", "https://attacker.example/v1").unwrap();
        assert!(elsewhere.with_token_of("RELEASE_TOKEN", token()).is_err());
        // Another variable goes where the configuration says.
        let other = Endpoint::new("e", "https://api.example/v1").unwrap();
        let key = Token::new("sk-proj-abc").unwrap();
        assert!(other.with_token_of("OPENAI_API_KEY", key).is_ok());
    }

    #[test]
    fn tokens_never_print() {
        let e = Endpoint::github_models_with(Token::new("ghp_verysecret"));
        assert!(!format!("{e:?}").contains("verysecret"));
        assert_eq!(Token::new("  "), None);
    }
}
