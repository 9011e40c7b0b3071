//! Playwright locators: found in a failure message or a line of a test,
//! compared, and written back as source.

use super::js::{self, Value};

/// The locator methods, in Playwright's order of preference for the ones
/// a replacement may use (`getByTestId` first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    TestId,
    Role,
    Label,
    Placeholder,
    Text,
    AltText,
    Title,
    Css,
}

impl Kind {
    fn from_method(method: &str) -> Option<Kind> {
        Some(match method {
            "getByTestId" => Kind::TestId,
            "getByRole" => Kind::Role,
            "getByLabel" => Kind::Label,
            "getByPlaceholder" => Kind::Placeholder,
            "getByText" => Kind::Text,
            "getByAltText" => Kind::AltText,
            "getByTitle" => Kind::Title,
            "locator" => Kind::Css,
            _ => return None,
        })
    }

    fn method(self) -> &'static str {
        match self {
            Kind::TestId => "getByTestId",
            Kind::Role => "getByRole",
            Kind::Label => "getByLabel",
            Kind::Placeholder => "getByPlaceholder",
            Kind::Text => "getByText",
            Kind::AltText => "getByAltText",
            Kind::Title => "getByTitle",
            Kind::Css => "locator",
        }
    }
}

/// What a locator matches text against.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// No text (`getByRole('button')`).
    Any,
    /// Case-insensitive substring, or whole and case-sensitive when exact.
    Text {
        text: String,
        exact: bool,
    },
    Regex {
        source: String,
        flags: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Locator {
    pub kind: Kind,
    /// The role of a `getByRole`, empty otherwise.
    pub role: String,
    /// The name of a `getByRole`; the argument of the others (a CSS
    /// selector for `locator`).
    pub pattern: Pattern,
}

/// A locator call found in a text: where it is and what it says.
#[derive(Clone, Debug)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub locator: Locator,
}

const METHODS: &[&str] = &[
    "getByTestId",
    "getByRole",
    "getByLabel",
    "getByPlaceholder",
    "getByText",
    "getByAltText",
    "getByTitle",
    "locator",
];

/// Every locator call in `text`, in order. A call this module cannot read
/// (a variable as argument, an unclosed parenthesis) is left out.
pub fn find_all(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for method in METHODS {
        for (start, _) in text.match_indices(method) {
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // `frameLocator(`, `myLocator(`
            }
            let open = start + method.len();
            if !text[open..].starts_with('(') {
                continue;
            }
            let Some((args, end)) = js::call_args(text, open) else {
                continue;
            };
            if let Some(locator) = Kind::from_method(method).and_then(|k| from_args(k, &args)) {
                found.push(Found {
                    start,
                    end,
                    locator,
                });
            }
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

fn from_args(kind: Kind, args: &[Value]) -> Option<Locator> {
    let options = args.get(1).and_then(|a| match a {
        Value::Object(fields) => Some(fields.as_slice()),
        _ => None,
    });
    let exact = options
        .and_then(|o| field(o, "exact"))
        .is_some_and(|v| *v == Value::Bool(true));
    if kind == Kind::Role {
        let Some(Value::Str(role)) = args.first() else {
            return None;
        };
        let pattern = match options.and_then(|o| field(o, "name")) {
            None => Pattern::Any,
            Some(name) => pattern(name, exact)?,
        };
        return Some(Locator {
            kind,
            role: role.clone(),
            pattern,
        });
    }
    // getByTestId matches exactly; a CSS selector is taken as written.
    let exact = exact || matches!(kind, Kind::TestId | Kind::Css);
    Some(Locator {
        kind,
        role: String::new(),
        pattern: pattern(args.first()?, exact)?,
    })
}

fn field<'a>(fields: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn pattern(value: &Value, exact: bool) -> Option<Pattern> {
    match value {
        Value::Str(text) => Some(Pattern::Text {
            text: text.clone(),
            exact,
        }),
        Value::Regex { source, flags } => Some(Pattern::Regex {
            source: source.clone(),
            flags: flags.clone(),
        }),
        _ => None,
    }
}

impl Locator {
    /// The text the locator looks for, if any (a regex's source as written).
    pub fn text(&self) -> Option<&str> {
        match &self.pattern {
            Pattern::Any => None,
            Pattern::Text { text, .. } => Some(text),
            Pattern::Regex { source, .. } => Some(source),
        }
    }

    /// Source for the locator, quoting strings with `quote` as the test
    /// file does.
    pub fn render(&self, quote: char) -> String {
        let method = self.kind.method();
        let (text, exact) = match &self.pattern {
            Pattern::Any => (None, false),
            Pattern::Text { text, exact } => (Some(string_literal(text, quote)), *exact),
            Pattern::Regex { source, flags } => (Some(format!("/{source}/{flags}")), false),
        };
        let exact = exact && !matches!(self.kind, Kind::TestId | Kind::Css);
        let exact_option = if exact { ", exact: true" } else { "" };
        match (self.kind, text) {
            (Kind::Role, None) => format!("{method}({})", string_literal(&self.role, quote)),
            (Kind::Role, Some(name)) => format!(
                "{method}({}, {{ name: {name}{exact_option} }})",
                string_literal(&self.role, quote)
            ),
            (_, Some(text)) if exact => format!("{method}({text}, {{ exact: true }})"),
            (_, Some(text)) => format!("{method}({text})"),
            (_, None) => format!("{method}()"),
        }
    }
}

/// A JavaScript string literal in `quote` quotes.
pub fn string_literal(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '$' if quote == '`' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}
