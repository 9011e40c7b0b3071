//! Replacement locators for a locator that no longer resolves: the
//! elements closest to what the old one meant, each reached by the most
//! preferred locator that matches it alone.

use super::element::Element;
use super::locator::{Kind, Locator, Pattern};
use super::matching::{collapse, count};
use super::similarity::dice;

/// Below this text similarity an element is not taken for the old one:
/// "Save" → "Save changes" is 0.43, "Save" → "Cancel" 0.
pub const MIN_SIMILARITY: f64 = 0.3;
/// Added when the element can be reached the way the old locator reached
/// its own: the role a `getByRole` asked for, a label for a `getByLabel`,
/// a placeholder, a test id, text. So of a label's text and the field it
/// labels, both named "Email", a `getByLabel` goes to the field and a
/// `getByText` to the text.
pub const SAME_KIND_BONUS: f64 = 0.25;
/// Proposals per failure: verification re-runs the tests for each.
pub const MAX_PROPOSALS: usize = 3;
/// Closest elements tried for a unique locator before giving up.
pub const MAX_TRIED: usize = 20;

/// What the old locator was after.
#[derive(Debug, Default, PartialEq)]
pub struct Intent {
    pub kind: Option<Kind>,
    pub role: Option<String>,
    pub words: String,
}

pub fn intent(locator: &Locator) -> Intent {
    match locator.kind {
        Kind::Css => css_intent(locator.text().unwrap_or_default()),
        kind => Intent {
            kind: Some(kind),
            role: (locator.kind == Kind::Role).then(|| locator.role.clone()),
            words: locator.text().map(regex_words).unwrap_or_default(),
        },
    }
}

/// A regular expression's literal words (`^Save\s+all$` → `Save all`).
fn regex_words(source: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    for c in source.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                out.push(if c.is_alphanumeric() { ' ' } else { c });
            }
            '\\' => escaped = true,
            c if c.is_alphanumeric() || c == ' ' => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of a CSS selector (ids, classes, attribute values, quoted text)
/// and the role its tag implies: `button#save-btn` → button, `save btn`.
fn css_intent(selector: &str) -> Intent {
    let tag: String = selector
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let role = match tag.to_ascii_lowercase().as_str() {
        "button" => Some("button"),
        "a" => Some("link"),
        "input" | "textarea" => Some("textbox"),
        "select" => Some("combobox"),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some("heading"),
        _ => None,
    };
    let mut words = Vec::new();
    let mut rest = &selector[tag.len()..];
    // Attribute names (`data-testid=`) say nothing about the element.
    while let Some(i) = rest.find(['#', '.', '=', '"', '\'', '(']) {
        rest = &rest[i + 1..];
        let word: String = rest
            .chars()
            .take_while(|c| !matches!(c, '#' | '.' | '[' | ']' | '"' | '\'' | ')' | ':'))
            .collect();
        if !word.trim().is_empty() {
            words.push(word);
        }
    }
    Intent {
        kind: role.map(|_| Kind::Role),
        role: role.map(str::to_string),
        words: words.join(" "),
    }
}

/// The scored elements, closest first (only those at or above
/// [`MIN_SIMILARITY`]).
pub fn rank(intent: &Intent, elements: &[Element]) -> Vec<(usize, f64)> {
    let mut ranked: Vec<(usize, f64)> = elements
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.in_frame)
        .filter_map(|(i, e)| {
            let strings = [&e.name, &e.text, &e.label, &e.placeholder, &e.test_id];
            let similarity = strings
                .iter()
                .filter_map(|s| s.as_deref())
                .map(|s| dice(&intent.words, s))
                .fold(0.0, f64::max);
            if similarity < MIN_SIMILARITY {
                return None;
            }
            let bonus = if same_kind(intent, e) {
                SAME_KIND_BONUS
            } else {
                0.0
            };
            Some((i, similarity + bonus))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

fn same_kind(intent: &Intent, element: &Element) -> bool {
    match intent.kind {
        Some(Kind::Role) => intent.role.as_deref() == Some(element.role.as_str()),
        Some(Kind::Label) => element.label.is_some(),
        Some(Kind::Placeholder) => element.placeholder.is_some(),
        Some(Kind::TestId) => element.test_id.is_some(),
        Some(Kind::Text) => element.visible_text().is_some(),
        _ => false,
    }
}

/// The most preferred locator that matches `element` and nothing else.
pub fn unique_locator(
    element: &Element,
    elements: &[Element],
    has_test_ids: bool,
) -> Option<Locator> {
    let role = element.role.as_str();
    let named_role = !matches!(role, "" | "text" | "generic" | "none" | "presentation");
    let options: [(Kind, Option<&str>); 5] = [
        (Kind::TestId, element.test_id.as_deref()),
        (Kind::Role, element.name.as_deref().filter(|_| named_role)),
        (Kind::Label, element.label.as_deref()),
        (Kind::Placeholder, element.placeholder.as_deref()),
        (Kind::Text, element.visible_text()),
    ];
    for (kind, text) in options {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        for exact in [false, true] {
            let locator = Locator {
                kind,
                role: if kind == Kind::Role {
                    role.to_string()
                } else {
                    String::new()
                },
                pattern: Pattern::Text {
                    text: collapse(text),
                    exact: exact || kind == Kind::TestId,
                },
            };
            if count(&locator, elements, has_test_ids) == Some(1) {
                return Some(locator);
            }
        }
    }
    None
}
