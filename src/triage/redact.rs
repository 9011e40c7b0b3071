//! Secret redaction: every text that leaves the machine (a prompt to a model)
//! passes through [`Redactor::redact`] first, and each secret in it becomes
//! `[REDACTED]`.
//!
//! The output is the text **without terminal escapes**: ANSI/VT sequences
//! (CSI colour codes, OSC strings such as hyperlinks and titles, other `ESC`
//! sequences) and C1 control characters are removed before the rules run, so
//! a colour code inside a token or between `password` and `=` can't hide it.
//!
//! Two kinds of rule:
//! - **Values**: the values of environment variables the user lists as secret,
//!   and of every variable whose name ends in `_TOKEN`, `_SECRET`, `_KEY` or
//!   `_PASSWORD`, wherever they appear: as is, in another (ASCII) letter
//!   case, URL-encoded, JSON-escaped, base64-encoded (standard and URL-safe,
//!   alone or inside a longer encoded text: `echo "token=$X" | base64`),
//!   and, for a multi-line value, each line on its own.
//!   Values (and lines) shorter than [`MIN_SECRET_LEN`] are ignored:
//!   redacting every `1` or `true` would destroy the text and protect nothing.
//! - **Shapes**: GitHub tokens (also wrapped across two lines), Slack tokens,
//!   AWS access key ids and secret keys, private-key blocks (also cut before
//!   their END or after their BEGIN line, with timestamps or `\n` escapes),
//!   JWTs, `Authorization:` headers and bearer tokens, cookies,
//!   `password=`/`token=`/`secret=`/`api_key=`-style pairs (with `=`, `:`,
//!   `:=`, `=>`, `==`, quoted or not, JSON, JSON inside JSON (at any depth), URL-encoded and
//!   source-code forms included), `--password x` flags, `<password>` XML
//!   elements, `curl -u user:pass`, and credentials in URLs (the host is kept).
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

/// A line of a multi-line secret value is matched alone from this length.
const MULTI_LINE_PART_LEN: usize = 16;

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
    /// One alternation, longest first (every encoding of every value).
    Matcher(Regex),
    /// Too many to compile into one automaton: one matcher per value.
    Each(Vec<Regex>),
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
            // A value the marker holds (`REDACTED`, `dacted`) would match
            // inside it, and every pass would nest it once more: such a
            // value tells nothing the marker does not.
            .filter(|v| {
                !REDACTED
                    .to_ascii_lowercase()
                    .contains(&v.to_ascii_lowercase())
            })
            .collect();
        // Longest first: a secret that contains another is replaced whole.
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        if values.is_empty() {
            return Self::default();
        }
        // Every form of every value (and of each line of a multi-line value),
        // longest first.
        let mut forms: Vec<(usize, String)> = values.iter().flat_map(|v| value_forms(v)).collect();
        forms.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        forms.dedup();
        let alternation = forms
            .iter()
            .map(|(_, pattern)| pattern.as_str())
            .collect::<Vec<_>>()
            .join("|");
        let matcher = match value_regex(&alternation) {
            Some(regex) => Values::Matcher(regex),
            // Never "no redaction": slower, still complete.
            None => Values::Each(
                values
                    .iter()
                    .map(|v| {
                        let mut forms = value_forms(v);
                        forms.sort_by_key(|form| std::cmp::Reverse(form.0));
                        let pattern = forms.into_iter().map(|(_, p)| p).collect::<Vec<_>>();
                        value_regex(&pattern.join("|")).unwrap_or_else(|| {
                            // Too big even alone: the exact value, any case.
                            value_regex(&regex::escape(v)).expect("a literal compiles")
                        })
                    })
                    .collect(),
            ),
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
    /// whose name or value is not Unicode are skipped), with the names
    /// [`configure_secret_names`] was given as secret too.
    pub fn from_env(secret_names: &[String]) -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        let mut names = secret_names.to_vec();
        let configured = CONFIGURED_NAMES
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        names.extend(configured.iter().cloned());
        Self::from_vars(vars, &names)
    }

    /// Runs `render` with every untrusted text it escapes redacted first
    /// (see [`crate::escape::redacting`]): for reports bound for GitHub.
    pub fn redacting<R>(&self, render: impl FnOnce() -> R) -> R {
        let redactor = self.clone();
        crate::escape::redacting(move |text| redactor.redact(text), render)
    }

    /// The Markdown `render` writes, rendered [`Redactor::redacting`] and
    /// redacted once more whole (for what was never escaped).
    pub fn redacted_markdown(&self, render: impl FnOnce() -> String) -> String {
        let md = self.redacting(render);
        self.redact(&md).into_owned()
    }

    /// How many literal secret values this redactor knows.
    pub fn known_values(&self) -> usize {
        self.secrets.len()
    }

    /// `text` with every secret replaced by [`REDACTED`]; borrowed when
    /// nothing matched.
    ///
    /// Terminal escapes (ANSI/VT sequences, C1 controls) and invisible
    /// characters are removed first: the output never contains them, even
    /// when nothing was redacted.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut text = strip_invisible(strip_terminal_escapes(text));
        match &self.values {
            Values::None => {}
            Values::Matcher(regex) => replace(&mut text, regex, |_| REDACTED.to_string()),
            Values::Each(regexes) => {
                for regex in regexes {
                    replace(&mut text, regex, |_| REDACTED.to_string());
                }
            }
        }
        redact_shapes(text)
    }
}

/// The variables the configuration lists as secret (`[models] secret_env`):
/// every redactor this process builds from its environment treats them as
/// secret, so that a value listed for the model's prompts does not reach
/// GitHub (the comment, the check run, the step summary) either.
static CONFIGURED_NAMES: std::sync::RwLock<Vec<String>> = std::sync::RwLock::new(Vec::new());

/// Adds `names` to the variables every [`Redactor::from_env`] treats as
/// secret (see [`CONFIGURED_NAMES`]).
pub fn configure_secret_names(names: &[String]) {
    // A poisoned lock still holds the names added before the panic.
    let mut configured = CONFIGURED_NAMES
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for name in names {
        if !configured.contains(name) {
            configured.push(name.clone());
        }
    }
}

/// Whether an environment variable with this name holds a secret.
pub fn is_secret_name(name: &str, secret_names: &[String]) -> bool {
    let upper = name.to_ascii_uppercase();
    secret_names.iter().any(|s| s == name)
        || SECRET_SUFFIXES.iter().any(|suffix| upper.ends_with(suffix))
}

/// `text` with every secret of a known shape replaced (no literal values),
/// and without terminal escapes (see [`Redactor::redact`]).
pub fn redact(text: &str) -> Cow<'_, str> {
    redact_shapes(strip_invisible(strip_terminal_escapes(text)))
}

/// `text` without the zero-width characters, word joiners and soft
/// hyphens that sit between two characters a secret is made of
/// (`ab\u{200b}cd`): invisible, such a one would hide a value from every
/// pattern and still read as the value. Others stay: the escapers break
/// `@mentions` with a zero-width space, an emoji joins with one, and a
/// file's byte-order mark must reach a model as it is for its edits to
/// apply.
fn strip_invisible(text: Cow<'_, str>) -> Cow<'_, str> {
    let invisible = |c: char| {
        matches!(
            c,
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
    };
    let secret = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-'))
    };
    if !text.contains(invisible) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if invisible(c) && secret(out.chars().next_back()) {
            // The next visible character decides: skip a run of invisibles.
            let mut ahead = chars.clone();
            while ahead.next_if(|&n| invisible(n)).is_some() {}
            if secret(ahead.peek().copied()) {
                continue;
            }
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// `text` without ANSI/VT escape sequences and C1 control characters.
fn strip_terminal_escapes(text: &str) -> Cow<'_, str> {
    // Cheap pre-check (memchr): ESC, or the lead byte of U+0080..U+00BF.
    if !text.as_bytes().contains(&0x1b) && !text.as_bytes().contains(&0xc2) {
        return Cow::Borrowed(text);
    }
    TERMINAL_ESCAPE.replace_all(text, "")
}

/// How many bytes Node's `util.inspect` shows of a `Buffer`.
const NODE_BUFFER_SHOWN: usize = 50;

/// Compiles a values alternation: ASCII letters in any case.
fn value_regex(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .ok()
}

/// The patterns that match `value`, each with the length of the text it
/// stands for (for longest-first ordering): the value itself, with every
/// punctuation character also allowed URL-encoded or JSON-escaped, its
/// base64 forms, and each line of a multi-line value.
fn value_forms(value: &str) -> Vec<(usize, String)> {
    let mut forms = vec![(value.len(), encoded_pattern(value))];
    // Its bytes in hex, any case, perhaps one separator between bytes
    // (`5a:71`, a Node `<Buffer 5a 71 …>`, which shows a buffer's first 50
    // bytes only, or `xxd -p`'s line break every 30 bytes).
    let hex = |bytes: &[u8]| {
        let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        pairs.join(r"(?:[ :]|\r?\n)?")
    };
    forms.push((value.len() * 2, hex(value.as_bytes())));
    if let Some(first) = value
        .as_bytes()
        .get(..NODE_BUFFER_SHOWN)
        .filter(|_| value.len() > NODE_BUFFER_SHOWN)
    {
        forms.push((NODE_BUFFER_SHOWN * 2, hex(first)));
    }
    for alphabet in [STANDARD, URL_SAFE] {
        forms.extend(
            (0..3)
                .filter_map(|shift| base64_inside(value.as_bytes(), shift, alphabet))
                .map(|pattern| (value.len() * 4 / 3, pattern)),
        );
    }
    if value.contains('\n') || value.contains('\r') {
        // A line alone is a secret only when long (a key's body, a token):
        // a config's `users:` or `- name: admin` is not.
        for line in value.lines().map(str::trim) {
            if line.chars().count() >= MULTI_LINE_PART_LEN {
                forms.extend(value_forms(line));
            }
        }
    }
    forms
}

/// A pattern for `value` base64-encoded inside a longer text, starting
/// `shift` bytes into a 3-byte group (`echo "token=$SECRET" | base64`, a
/// Basic credential, a value with a newline after it): the characters that
/// hold only the value's bits, the character before them that holds some
/// (one of the few it can be, whatever came before), and the one after,
/// with any padding. Values too short to leave [`MIN_BASE64_CORE`] such
/// characters have none.
fn base64_inside(value: &[u8], shift: usize, alphabet: &[u8; 64]) -> Option<String> {
    let (start_bit, end_bit) = (8 * shift, 8 * (shift + value.len()));
    // Characters wholly inside the value's bits.
    let first = start_bit.div_ceil(6);
    let last = (end_bit / 6).checked_sub(1)?;
    if last + 1 < first + MIN_BASE64_CORE {
        return None;
    }
    let encode = |before: u8, after: Option<u8>| {
        let mut bytes = vec![0; shift];
        if let Some(previous) = bytes.last_mut() {
            *previous = before;
        }
        bytes.extend_from_slice(value);
        bytes.extend(after);
        base64(&bytes, alphabet).into_bytes()
    };
    // Every character a straddling position can take, over the byte beside.
    let class = |at: usize, vary: &dyn Fn(u8) -> Vec<u8>| {
        let mut chars: Vec<u8> = (0..=u8::MAX).map(|b| vary(b)[at]).collect();
        chars.sort_unstable();
        chars.dedup();
        let chars: String = chars.into_iter().map(char::from).collect();
        format!("[{}]", regex::escape(&chars))
    };
    let core = encode(0, None);
    let core = std::str::from_utf8(&core[first..=last]).ok()?;
    let mut pattern = String::new();
    if start_bit % 6 != 0 {
        pattern.push_str(&class(first - 1, &|b| encode(b, None)));
    }
    pattern.push_str(&regex::escape(core));
    if end_bit % 6 != 0 {
        // Cut right after it, or followed by more bytes.
        pattern.push_str(&class(last + 1, &|b| encode(0, Some(b))));
        pattern.push('?');
    }
    pattern.push_str("=*");
    Some(pattern)
}

/// The fewest characters that stand for a value's bits alone in base64 for
/// its encoding inside a longer text to be matched.
const MIN_BASE64_CORE: usize = 6;

/// A line break a log may put inside a value (a paste wrapped at its width,
/// `fold`), with the next line's Actions timestamp and indent.
static WRAP: LazyLock<String> = LazyLock::new(|| format!(r"(?:\r?\n{TIMESTAMP}[ \t]*)?"));

/// The name of `c`'s HTML entity, for the characters markup escapes.
fn html_entity_name(c: char) -> Option<&'static str> {
    Some(match c {
        '&' => "amp",
        '<' => "lt",
        '>' => "gt",
        '"' => "quot",
        '\'' => "apos",
        '\u{a0}' => "nbsp",
        _ => return None,
    })
}

/// `value` as a pattern (for a Unicode-off, case-insensitive regex) in which
/// every character but ASCII letters and digits may also appear
/// percent-encoded, JSON-escaped or as an HTML entity, a line break as
/// `\n`/`\r\n`, and a line may be wrapped anywhere (see [`WRAP`]).
fn encoded_pattern(value: &str) -> String {
    let mut pattern = String::new();
    let mut lines = value.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        for (i, c) in line.chars().enumerate() {
            if i > 0 {
                pattern.push_str(&WRAP);
            }
            if c.is_ascii_alphanumeric() {
                pattern.push(c);
                continue;
            }
            let mut utf8 = [0; 4];
            let literal = c.encode_utf8(&mut utf8);
            let mut alternatives = vec![
                regex::escape(literal),
                literal.bytes().map(|b| format!("%{b:02X}")).collect(),
            ];
            let mut units = [0; 2];
            let json = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!(r"\\u{u:04X}"))
                .collect::<String>();
            alternatives.push(json);
            // HTML: `&#NN;`, `&#xHH;`, and the named entities of markup.
            let code = u32::from(c);
            alternatives.push(format!("&#0*{code};"));
            alternatives.push(format!("&#x0*{code:x};"));
            if let Some(name) = html_entity_name(c) {
                alternatives.push(format!("&{name};"));
            }
            match c {
                '"' => alternatives.push(r#"\\""#.to_string()),
                '\\' => alternatives.push(r"\\\\".to_string()),
                '/' => alternatives.push(r"\\/".to_string()),
                '\t' => alternatives.push(r"\\t".to_string()),
                ' ' => alternatives.push(r"\+".to_string()),
                _ => {}
            }
            pattern.push_str(&format!("(?:{})", alternatives.join("|")));
        }
        if lines.peek().is_some() {
            pattern.push_str(r"(?:\r?\n|\\r\\n|\\n|%0D%0A|%0A)");
        }
    }
    pattern
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64 with this alphabet, padded.
fn base64(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(alphabet[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every secret of a known shape, also where an encoding hides it from the
/// rules ([`encoded::redact_encoded`]).
fn redact_shapes(text: Cow<'_, str>) -> Cow<'_, str> {
    redact_plain_shapes(encoded::redact_encoded(text))
}

/// Every secret of a known shape, as the text spells it.
fn redact_plain_shapes(mut text: Cow<'_, str>) -> Cow<'_, str> {
    // Whole private-key blocks first: their base64 body would otherwise be
    // half-matched by the narrower rules below.
    if text.contains("-----BEGIN") {
        text = redact_private_keys(text);
    }
    if text.contains("-----END") {
        replace(&mut text, &PRIVATE_KEY_TAIL, |_| REDACTED.to_string());
    }
    replace(&mut text, &URL_CREDENTIALS, |c| {
        format!("{}{REDACTED}{}", &c[1], &c[2])
    });
    replace(&mut text, &AUTHORIZATION, |c| {
        let scheme = c.get(2).map_or("", |s| s.as_str());
        format!("{}{scheme}{REDACTED}", &c[1])
    });
    replace(&mut text, &BEARER, |c| format!("{}{REDACTED}", &c[1]));
    replace(&mut text, &JWT, |_| REDACTED.to_string());
    replace(&mut text, &GITHUB_TOKEN, |_| REDACTED.to_string());
    if text.contains("xox") || text.contains("xapp") {
        replace(&mut text, &SLACK_TOKEN, |_| REDACTED.to_string());
    }
    replace(&mut text, &AWS_ACCESS_KEY_ID, |_| REDACTED.to_string());
    replace(&mut text, &AWS_SECRET_KEY, |c| {
        let key = &c[2];
        // Random base64 holds about 6 digits in 40 characters and most
        // often a `+` or `/`; a camelCase name of 40 characters
        // (`shouldReturn404WhenUserIsNotFoundInCache`) neither.
        let slashes = key.bytes().filter(|&b| b == b'/').count();
        let symbol = slashes > 0 || key.contains('+');
        let digits = key.bytes().filter(u8::is_ascii_digit).count();
        let looks_random = key.bytes().any(|b| b.is_ascii_uppercase())
            && key.bytes().any(|b| b.is_ascii_lowercase())
            && digits > 0
            && (symbol || digits >= 5)
            && slashes <= 3;
        if looks_random {
            format!("{}{REDACTED}{}", &c[1], &c[3])
        } else {
            c[0].to_string()
        }
    });
    replace(&mut text, &AWS_NAMED_SECRET, |c| {
        format!("{}{REDACTED}", &c[1])
    });
    replace(&mut text, &COOKIE, |c| format!("{}{REDACTED}", &c[1]));
    replace(&mut text, &CLI_SECRET_FLAG, |c| {
        format!("{}{REDACTED}", &c[1])
    });
    if text.contains("curl") || text.contains("wget") || text.contains("--user") {
        replace(&mut text, &CLI_USER, |c| format!("{}{REDACTED}", &c[1]));
    }
    replace(&mut text, &XML_SECRET, |c| format!("{}{REDACTED}<", &c[1]));
    redact_pairs(text)
}

/// Every [`SECRET_PAIR`] with its value redacted. By hand rather than
/// `replace_all`: a bare value may go on past a `;` or `&` (see
/// [`bare_value_tail`]), which the pattern alone can't tell from the start
/// of the next pair.
fn redact_pairs(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut out = String::new();
    // Where the text not yet copied starts, and where to look next.
    let (mut copied, mut at) = (0, 0);
    while let Some(c) = SECRET_PAIR.captures_at(&text, at) {
        let whole = c.get(0).expect("group 0 is the match");
        at = whole.end();
        let value_end = match c.name("bare") {
            Some(bare) if !bare_value_is_secret(&c["key"], bare.as_str()) => continue,
            // A value too short to be a secret (`key=a`) is left, unless it
            // goes on past a `;` or `&` (`password=a;bcdef`).
            Some(bare) => match bare.end() + bare_value_tail(&text[bare.end()..]) {
                end if end - bare.start() < MIN_BARE_VALUE => continue,
                end => end,
            },
            None => whole.end(),
        };
        let (open, close) = if let Some(open) = c.name("dq") {
            (open.as_str(), "\"")
        } else if let Some(open) = c.name("eq") {
            (open.as_str(), open.as_str())
        } else if let Some(open) = c.name("sq") {
            (open.as_str(), "'")
        } else {
            ("", "")
        };
        let redacted = format!("{}{open}{REDACTED}{close}", &c["key"]);
        if text[whole.start()..value_end] != redacted {
            out.push_str(&text[copied..whole.start()]);
            out.push_str(&redacted);
            copied = value_end;
        }
        at = value_end;
    }
    if copied == 0 {
        return text;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// How much of `rest`, the text right after a bare value that stopped at a
/// `;` or `&`, is still the value: `password=ab;cd&ef` is one value, while
/// `token=x&page=2`, `Password=x;Database=y` (a next pair), `password=x; rm`
/// and `token=x&&make` (a shell's separators) end it. A segment is read as
/// the bare value is (escapes and quoted strings inside it taken whole);
/// each is read once: linear in the text.
fn bare_value_tail(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut len = 0;
    while matches!(bytes.get(len), Some(b';' | b'&')) {
        let start = len + 1;
        let mut at = start;
        while let Some(&b) = bytes.get(at) {
            match b {
                b'\n' | b'\r' | b';' | b'&' | b'`' => break,
                // An escaped quote or line break ends it, as it ends the value.
                b'\\' => match bytes.get(at + 1) {
                    None | Some(b'"' | b'n' | b'r' | b't' | b'\n') => break,
                    Some(_) => at += 2,
                },
                b'"' | b'\'' => {
                    let close = bytes[at + 1..].iter().position(|&c| c == b || c == b'\n');
                    match close {
                        Some(p) if bytes[at + 1 + p] == b => at += p + 2,
                        _ => break,
                    }
                }
                _ => at += 1,
            }
        }
        // Every stop is at an ASCII byte, or the end: a char boundary.
        let segment = rest.get(start..at).unwrap_or_default();
        let first_word = segment.split([' ', '\t']).next().unwrap_or_default();
        if first_word.is_empty() || starts_pair(first_word) {
            return len;
        }
        len = at;
    }
    len
}

/// Whether `word` is a `key=value` pair's start (`Database=prod`,
/// `page=2`), not a value's (`abc==`, base64's padding; `=x`).
fn starts_pair(word: &str) -> bool {
    let Some((key, value)) = word.split_once('=') else {
        return false;
    };
    let key_chars = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key_chars
        && !value.starts_with('=')
}

/// Whether a pair's unquoted `value` after `key` (which ends in its
/// separator) is a secret rather than code: after a comparison, an arrow or
/// `:=` only a quoted literal is (`token == expected_token`, `token =>
/// token.trim()` are code), and an expression is not (`hash(password)`,
/// `secret.len()`).
fn bare_value_is_secret(key: &str, value: &str) -> bool {
    let separator = key.trim_end().trim_end_matches(['"', '\'', ' ', '\t']);
    let code_separator = ["==", "!=", "=>", ":=", "%3D%3D"]
        .iter()
        .any(|s| separator.ends_with(s));
    if code_separator {
        return false;
    }
    let word_end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(value.len());
    let (word, rest) = value.split_at(word_end);
    let identifier = word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    let call_or_member = rest.starts_with('(')
        || rest.starts_with('.') && !rest[1..].starts_with(|c: char| c.is_ascii_digit());
    !(identifier && call_or_member)
}

/// Replaces every match of `regex` in `text`, allocating only on a match.
fn replace(text: &mut Cow<'_, str>, regex: &Regex, with: impl Fn(&Captures) -> String) {
    // A closure may give a match back unchanged: stay borrowed then.
    if let Cow::Owned(replaced) = regex.replace_all(text, |c: &Captures| with(c))
        && replaced != **text
    {
        *text = Cow::Owned(replaced);
    }
}

fn rule(pattern: &str) -> Regex {
    // The patterns are constants; a typo is caught by every test that redacts.
    RegexBuilder::new(pattern)
        .size_limit(32 << 20)
        .build()
        .expect("redaction pattern compiles")
}

/// Terminal escapes: CSI (`ESC [` … final byte, or its 8-bit form),
/// OSC/DCS/SOS/PM/APC strings (through BEL or ST, or the end of the line),
/// other `ESC` sequences, and any C1 control alone (an 8-bit string
/// introducer is more often a mis-decoded letter, `ĝ`'s second byte, than a
/// terminal's: its text stays).
static TERMINAL_ESCAPE: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"(?:\x1b\[|\x{9b})[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b\x{9c}\n]*(?:\x07|\x1b\\|\x{9c})?|\x1b[ -/]*[0-~]?|[\x{80}-\x{9f}]",
    )
});

/// An optional GitHub Actions timestamp at the start of a log line.
const TIMESTAMP: &str = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z[ \t]?)?";

/// A private key's BEGIN line (`-----BEGIN RSA PRIVATE KEY-----`, …).
static PRIVATE_KEY_BEGIN: LazyLock<Regex> =
    LazyLock::new(|| rule(r"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----"));

/// A private key's END line.
static PRIVATE_KEY_END: LazyLock<Regex> =
    LazyLock::new(|| rule(r"-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----"));

/// The body of a block whose END line was cut: bare base64 lines, lines
/// with Actions timestamps, or a JSON string with `\n` escapes.
static PRIVATE_KEY_CUT_BODY: LazyLock<Regex> =
    LazyLock::new(|| rule(r"^[A-Za-z0-9+/=\r\n\t :,.\\-]*"));

/// Each `-----BEGIN … PRIVATE KEY-----` through its END line, or through the
/// end of its body when the log was cut before the END line.
///
/// By hand rather than one regex: `BEGIN(?s:.)*?END|BEGIN body` keeps the
/// automaton alive to the end of the text for every BEGIN without an END,
/// so a hostile log of many BEGIN lines took quadratic time. Here the END
/// is looked for once per block, and once none is found, never again.
fn redact_private_keys(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut out = String::new();
    // Where the text not yet copied starts: after the last block.
    let mut copied = 0;
    let mut ends_left = true;
    while let Some(begin) = PRIVATE_KEY_BEGIN.find_at(&text, copied) {
        let end = if ends_left {
            PRIVATE_KEY_END.find_at(&text, begin.end())
        } else {
            None
        };
        ends_left = end.is_some();
        let stop = match end {
            Some(end) => end.end(),
            None => {
                let body = PRIVATE_KEY_CUT_BODY.find(&text[begin.end()..]);
                begin.end() + body.map_or(0, |body| body.end())
            }
        };
        out.push_str(&text[copied..begin.start()]);
        out.push_str(REDACTED);
        copied = stop;
    }
    if copied == 0 {
        return text;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The tail of a key block whose BEGIN line was cut: full-width (64-char)
/// base64 lines, then an optional short last line, then the END line.
static PRIVATE_KEY_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let line_end = r"[ \t]*(?:\r?\n|\\r\\n|\\n)";
    rule(&format!(
        r"(?:{TIMESTAMP}[ \t]*[A-Za-z0-9+/]{{64}}{line_end})+(?:{TIMESTAMP}[ \t]*[A-Za-z0-9+/=]{{1,64}}{line_end})?{TIMESTAMP}[ \t]*-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----"
    ))
});

/// `scheme://user:password@host` and `scheme://token@host`, also JSON-escaped
/// (`https:\/\/…`) and URL-encoded (`https%3A%2F%2F…%40`): the userinfo goes,
/// the scheme and host stay.
static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r#"((?-u:\b)[A-Za-z][A-Za-z0-9+.-]*(?::|%3[Aa])(?:\\?/|%2[Ff]){2})(?:[^%/\\\s@?#"'<>]|%[013-9A-Fa-f][0-9A-Fa-f]|%2[0-9A-Ea-e])+(@|%40)"#,
    )
});

/// Separator characters between a key and its value: `:`/`=`, also
/// URL-encoded, with blanks (also `%20`, `+`, no-break space) around.
const BLANK: &str = r"(?:[ \t\x{a0}]|%20)";

/// An `Authorization` (or `Proxy-Authorization`) header or field, also
/// JSON-escaped or URL-encoded: the scheme stays, the credentials go.
static AUTHORIZATION: LazyLock<Regex> = LazyLock::new(|| {
    rule(&format!(
        r#"(?i)(authorization(?:\\?["']|%22|%27)?{BLANK}*(?:[:=]|%3[ad]){BLANK}*(?:\\?["']|%22|%27)?{BLANK}*)((?:bearer|basic|token|digest|negotiate|ntlm)(?:[ \t]+|%20|\+)+)?[^\s"',;\\&]+"#
    ))
});

/// `Bearer <token>` anywhere (curl lines, config dumps, URL-encoded).
static BEARER: LazyLock<Regex> = LazyLock::new(|| {
    rule(r"(?i)((?:(?-u:\b)|%20|\+)bearer(?:[ \t]+|%20|\+)+)[A-Za-z0-9._~+/-]{8,}=*")
});

/// A JSON Web Token: base64url header and payload (both JSON objects, so
/// `eyJ`), and a signature that may be empty (`alg: none`). No word boundary
/// before it: `%22eyJ…` and `sid_eyJ…` are tokens too.
static JWT: LazyLock<Regex> =
    LazyLock::new(|| rule(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"));

/// GitHub tokens: personal (ghp_), OAuth (gho_), user-to-server (ghu_),
/// server-to-server (ghs_), refresh (ghr_) and fine-grained (github_pat_).
/// Real ones have 36+ characters after the prefix; 20 catches shortened ones.
/// A token wrapped at the end of a line (a short head, then a newline, maybe
/// an Actions timestamp or an indent) takes the next line's first word too.
static GITHUB_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    rule(&format!(
        r"(?:gh[pousr]_[A-Za-z0-9]{{4,35}}|github_pat_[A-Za-z0-9_]{{4,81}})[ \t]*\r?\n{TIMESTAMP}[ \t]*[A-Za-z0-9_]+|gh[pousr]_[A-Za-z0-9]{{20,}}|github_pat_[A-Za-z0-9_]{{20,}}"
    ))
});

/// Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`) and
/// app-level tokens (`xapp-`).
static SLACK_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| rule(r"(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}"));

/// AWS access key ids (long-term AKIA, temporary ASIA, and the other
/// documented prefixes), with no word boundary before them (`%3DAKIA…`).
static AWS_ACCESS_KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?-u:\b)",
    )
});

/// A standalone AWS secret access key: exactly 40 base64 characters (checked
/// for mixed case and digits when replaced, so git hashes and paths stay).
static AWS_SECRET_KEY: LazyLock<Regex> =
    LazyLock::new(|| rule(r"(^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})($|[^A-Za-z0-9/+=])"));

/// A value of 30 to 44 base64 characters after an `aws…` key (`aws: …`).
static AWS_NAMED_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    rule(r#"(?i)((?-u:\b)aws[A-Za-z0-9_.-]*["']?[ \t]*[:=][ \t]*["']?)[A-Za-z0-9/+]{30,44}=*"#)
});

/// `Cookie:` and `Set-Cookie:` headers: the whole value goes.
static COOKIE: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r#"(?i)((?-u:\b)(?:set-)?cookie(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?)[^\s"'\\][^\n\r"'\\]*"#,
    )
});

/// Names that make a value secret (the pair, flag and XML rules).
const SECRET_WORD: &str = r"(?:password|passwd|passphrase|token|secret|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|credentials?)";

/// `--password value` / `-password value` on a command line: the next word.
static CLI_SECRET_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    rule(
        r#"(?i)((?:^|[\s"'])--?[A-Za-z0-9-]*(?:password|passwd|passphrase|token|secret|api-?key|access-?key|private-?key|credentials?)[ \t]+)[^\s"'-][^\s"']*"#,
    )
});

/// `curl -u user:password` and `--user user:password`: the user stays.
static CLI_USER: LazyLock<Regex> = LazyLock::new(|| {
    rule(r#"((?:(?-u:\b)(?:curl|wget)[^\n]*?[ \t]-u|[ \t]--user)[ \t=]*["']?[^\s"':]*:)[^\s"']+"#)
});

/// `<password>value</password>` and friends.
static XML_SECRET: LazyLock<Regex> = LazyLock::new(|| {
    rule(&format!(
        r"(?i)(<[A-Za-z0-9_:.-]*{SECRET_WORD}(?:[0-9]+|[_.-][A-Za-z0-9_.-]*)?(?:[ \t][^<>\n]*)?>)[^<\n]+<"
    ))
});

/// `key = value` / `key: value` where the key names a secret: `password`,
/// `passwd`, `passphrase`, `token`, `secret`, `api_key`, `access_key`,
/// `secret_key`, `private_key`, `credentials`, inside a longer name too
/// (`db_password`, `aws_secret_access_key`, `X-Api-Key`, `"clientSecret"`,
/// `password2`, `ADMIN_PASSWORD_OLD`, `secret_key_base`), and upper-case
/// environment names ending in `_KEY`/`_TOKEN`/`_SECRET`/`_PASSWORD`.
///
/// Separators: `=`, `:`, `:=`, `=>`, `==`, `!=`, also URL-encoded; a type
/// annotation between (`password: str = …`, `apiKey: string = …`) is skipped.
/// The value may be double-quoted (JSON, with escapes; also `f"…"`, `b"…"`),
/// JSON-escaped quoted (`\"…\"`), single-quoted, bare (through the end of the
/// line, stopping at an unpaired quote, an escaped line break, or a `;` or
/// `&` that starts the next pair or command (see [`bare_value_tail`]);
/// a quoted string inside it goes with it), or on the next,
/// indented line (YAML). Values of 1–3 characters are left alone
/// (`Unexpected token: '<'`), and so is a value already redacted.
/// The shortest bare value taken for a secret, in bytes, its parts past a
/// `;` or `&` included (see [`redact_pairs`]).
const MIN_BARE_VALUE: usize = 4;

static SECRET_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    let key = format!(
        r"(?:(?i:[A-Za-z0-9_.-]*{SECRET_WORD}(?:[0-9]+|[_-][A-Za-z0-9_]*)?)|[A-Z0-9_]*_(?:KEY|TOKEN|SECRET|PASSWORD))"
    );
    // A quote, JSON-escaped once or more (JSON in a JSON string in …).
    let quote = r#"(?:\\*["']|%22|%27)?"#;
    let sep = r"(?:==?=?|!==?|:=|=>|[:=]|%3[AaDd])";
    let blank = r"(?:[ \t\x{a0}]|%20)";
    let annotation = r"(?:[A-Za-z_][A-Za-z0-9_.?\[\]<>]*(?:[ \t]*[|,][ \t]*[A-Za-z_][A-Za-z0-9_.?\[\]<>]*)*[ \t]+=[ \t]*)";
    let next_line = r"(?:[ \t]*\r?\n[ \t]+)";
    // A quoted string inside a bare value is taken whole: `password=a b
    // secret="c"` must not leave `"c"` behind once its key has gone.
    let bare = r#"[^\s"'`<>{}()\[\],;&\\](?:[^\n\r"'`;&\\]|\\[^"nrt\n]|"[^"\n]*"|'[^'\n]*')*"#;
    rule(&format!(
        r#"(?P<key>{key}(?-u:\b){quote}{blank}*{sep}(?:{blank}*{annotation}|{next_line}|{blank}*))(?:\[REDACTED\]|(?P<dq>[fFbBrRuU]{{0,2}}")(?:[^"\\\n]|\\.){{4,}}"|(?P<eq>\\+")(?:[^"\\\n]|\\[^"\n]){{4,}}\\+"|(?P<sq>[fFbBrRuU]{{0,2}}')[^'\n]{{4,}}'|(?P<bare>{bare}))"#
    ))
});

#[path = "redact_encoded.rs"]
mod encoded;

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
