//! Secret redaction: every text that leaves the machine (a prompt to a model)
//! passes through [`Redactor::redact`] first, and each secret in it becomes
//! `[REDACTED]`.
//!
//! Two kinds of rule:
//! - **Values**: the values of environment variables the user lists as secret,
//!   and of every variable whose name ends in `_TOKEN`, `_SECRET`, `_KEY` or
//!   `_PASSWORD`, wherever they appear (exact text). Values shorter than
//!   [`MIN_SECRET_LEN`] are ignored: redacting every `1` or `true` would
//!   destroy the text and protect nothing.
//! - **Shapes**: GitHub tokens, AWS access key ids and secret keys, private-key
//!   blocks, JWTs, `Authorization:` headers and bearer tokens,
//!   `password=`/`token=`/`secret=`/`api_key=`-style pairs (with `=` or `:`,
//!   quoted or not, JSON included) and credentials in URLs (the host is kept).
//!
//! Every rule is a `regex` (finite automata: linear time in the text, no
//! backtracking blow-up on hostile logs), compiled once per process. Rules use
//! ASCII word boundaries so the fast DFA engines run on any input.
//! The rules lean towards redacting: a lost word in a log costs less than a
//! leaked key.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex, RegexBuilder};

/// What a secret becomes.
pub const REDACTED: &str = "[REDACTED]";

/// Environment values shorter than this are not treated as secrets.
pub const MIN_SECRET_LEN: usize = 6;

/// Name suffixes that make an environment variable secret (compared without case).
pub const SECRET_SUFFIXES: [&str; 4] = ["_TOKEN", "_SECRET", "_KEY", "_PASSWORD"];

/// A redactor: the shape rules plus the secret values known to this run.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// The literal secrets, longest first.
    secrets: Vec<String>,
    values: Values,
}

/// The literal secrets.
#[derive(Debug, Clone, Default)]
enum Values {
    #[default]
    None,
    /// One alternation, longest first (the regex crate runs it as Aho-Corasick).
    Matcher(Regex),
    /// Too many to compile into one automaton: replaced one by one.
    Each,
}

impl Redactor {
    /// Shape rules only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Shape rules plus these literal values (those shorter than
    /// [`MIN_SECRET_LEN`] after trimming are skipped).
    pub fn with_values<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut values: Vec<String> = values
            .into_iter()
            .map(|v| v.as_ref().trim().to_string())
            .filter(|v| v.chars().count() >= MIN_SECRET_LEN)
            .collect();
        // Longest first: a secret that contains another is replaced whole.
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        if values.is_empty() {
            return Self::default();
        }
        let alternation = values
            .iter()
            .map(|v| regex::escape(v))
            .collect::<Vec<_>>()
            .join("|");
        let matcher = match RegexBuilder::new(&alternation).size_limit(64 << 20).build() {
            Ok(regex) => Values::Matcher(regex),
            // Never "no redaction": slower, still complete.
            Err(_) => Values::Each,
        };
        Self {
            secrets: values,
            values: matcher,
        }
    }

    /// This redactor with more literal values (a model endpoint's token, say).
    pub fn and_values<I, S>(&self, more: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let more: Vec<String> = more.into_iter().map(|v| v.as_ref().to_string()).collect();
        Self::with_values(self.secrets.iter().cloned().chain(more))
    }

    /// Shape rules plus the values of the variables in `vars` that are secret:
    /// those named in `secret_names` and those whose name ends in one of
    /// [`SECRET_SUFFIXES`].
    pub fn from_vars<I, K, V>(vars: I, secret_names: &[String]) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let values: Vec<String> = vars
            .into_iter()
            .filter(|(name, _)| is_secret_name(name.as_ref(), secret_names))
            .map(|(_, value)| value.as_ref().to_string())
            .collect();
        Self::with_values(values)
    }

    /// [`Redactor::from_vars`] over this process's environment (variables
    /// whose name or value is not Unicode are skipped).
    pub fn from_env(secret_names: &[String]) -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        Self::from_vars(vars, secret_names)
    }

    /// How many literal secret values this redactor knows.
    pub fn known_values(&self) -> usize {
        self.secrets.len()
    }

    /// `text` with every secret replaced by [`REDACTED`]; borrowed when
    /// nothing matched.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut text = Cow::Borrowed(text);
        match &self.values {
            Values::None => {}
            Values::Matcher(regex) => replace(&mut text, regex, |_| REDACTED.to_string()),
            Values::Each => {
                for value in &self.secrets {
                    if text.contains(value.as_str()) {
                        text = Cow::Owned(text.replace(value.as_str(), REDACTED));
                    }
                }
            }
        }
        redact_shapes(text)
    }
}

/// Whether an environment variable with this name holds a secret.
pub fn is_secret_name(name: &str, secret_names: &[String]) -> bool {
    let upper = name.to_ascii_uppercase();
    secret_names.iter().any(|s| s == name)
        || SECRET_SUFFIXES.iter().any(|suffix| upper.ends_with(suffix))
}

/// `text` with every secret of a known shape replaced (no literal values).
pub fn redact(text: &str) -> Cow<'_, str> {
    redact_shapes(Cow::Borrowed(text))
}

fn redact_shapes(mut text: Cow<'_, str>) -> Cow<'_, str> {
    // Whole private-key blocks first: their base64 body would otherwise be
    // half-matched by the narrower rules below.
    replace(&mut text, &PRIVATE_KEY, |_| REDACTED.to_string());
    replace(&mut text, &URL_CREDENTIALS, |c| {
        format!("{}{REDACTED}@", &c[1])
    });
    replace(&mut text, &AUTHORIZATION, |c| {
        let scheme = c
            .get(2)
            .map_or(String::new(), |s| format!("{} ", s.as_str()));
        format!("{}{scheme}{REDACTED}", &c[1])
    });
    replace(&mut text, &BEARER, |c| format!("{}{REDACTED}", &c[1]));
    replace(&mut text, &JWT, |_| REDACTED.to_string());
    replace(&mut text, &GITHUB_TOKEN, |_| REDACTED.to_string());
    replace(&mut text, &AWS_ACCESS_KEY_ID, |_| REDACTED.to_string());
    replace(&mut text, &SECRET_PAIR, |c| {
        let quote = match (c.get(2), c.get(3)) {
            (Some(_), _) => "\"",
            (_, Some(_)) => "'",
            _ => "",
        };
        format!("{}{quote}{REDACTED}{quote}", &c[1])
    });
    text
}

/// Replaces every match of `regex` in `text`, allocating only on a match.
fn replace(text: &mut Cow<'_, str>, regex: &Regex, with: impl Fn(&Captures) -> String) {
    if let Cow::Owned(replaced) = regex.replace_all(text, |c: &Captures| with(c)) {
        *text = Cow::Owned(replaced);
    }
}

fn rule(pattern: &str) -> Regex {
    // The patterns are constants; a typo is caught by every test that redacts.
    Regex::new(pattern).expect("redaction pattern compiles")
}

/// `-----BEGIN … PRIVATE KEY-----` through its END line, or through the end
/// of its base64 body when the log was cut before the END line.
static PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:(?s:.)*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\r\n\t :,-]*)",
    )
});

/// `scheme://user:password@host` and `scheme://token@host`: the userinfo goes,
/// the scheme and host stay.
static URL_CREDENTIALS: LazyLock<Regex> =
    LazyLock::new(|| rule(r"((?-u:\b)[A-Za-z][A-Za-z0-9+.-]*://)[^/\s@?#\x22'<>]+@"));

/// An `Authorization` (or `Proxy-Authorization`) header or field: the scheme
/// stays, the credentials go.
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r#"(?i)(authorization["']?[ \t]*[:=][ \t]*["']?[ \t]*)(?:(bearer|basic|token|digest|negotiate|ntlm)[ \t]+)?[^\s"',;]+"#,
    )
});

/// `Bearer <token>` anywhere (curl lines, config dumps).
static BEARER: LazyLock<Regex> =
    LazyLock::new(|| rule(r"(?i)((?-u:\b)bearer[ \t]+)[A-Za-z0-9._~+/-]{8,}=*"));

/// A JSON Web Token: base64url header and payload (both JSON objects, so
/// `eyJ`), and a signature that may be empty (`alg: none`).
static JWT: LazyLock<Regex> =
    LazyLock::new(|| rule(r"(?-u:\b)eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"));

/// GitHub tokens: personal (ghp_), OAuth (gho_), user-to-server (ghu_),
/// server-to-server (ghs_), refresh (ghr_) and fine-grained (github_pat_).
/// Real ones have 36+ characters after the prefix; 20 catches shortened ones.
static GITHUB_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| rule(r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"));

/// AWS access key ids (long-term AKIA, temporary ASIA, and the other
/// documented prefixes). Secret keys have no prefix of their own: they are
/// caught by the pair rule (`aws_secret_access_key = …`).
static AWS_ACCESS_KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?-u:\b)",
    )
});

/// `key = value` / `key: value` where the key names a secret: `password`,
/// `passwd`, `passphrase`, `token`, `secret`, `api_key`, `access_key`,
/// `secret_key`, `private_key`, `credentials`, as the end of a longer name too
/// (`db_password`, `aws_secret_access_key`, `X-Api-Key`, `"clientSecret"`),
/// and upper-case environment names ending in `_KEY`/`_TOKEN`/`_SECRET`/`_PASSWORD`.
/// The value may be double-quoted (JSON, with escapes), single-quoted or bare;
/// values of 1–3 characters are left alone (`Unexpected token: '<'`), and so
/// is a value already redacted (which the bare form would half-match).
static SECRET_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r#"((?:(?i:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|token|secret|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|credentials?))|[A-Z0-9_]*_(?:KEY|TOKEN|SECRET|PASSWORD))(?-u:\b)["']?[ \t]*[:=][ \t]*)(?:\[REDACTED\]|"((?:[^"\\\n]|\\.){4,})"|'([^'\n]{4,})'|[^\s"',;&}\])]{4,})"#,
    )
});

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
