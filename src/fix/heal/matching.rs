//! How many elements of a snapshot a locator matches, by Playwright's
//! rules: whitespace collapsed; a string matches a case-insensitive
//! substring unless `exact` (then the whole text, case-sensitive); a test
//! id always exactly.

use super::element::Element;
use super::locator::{Kind, Locator, Pattern};

/// The number of elements `locator` matches, None when the snapshot cannot
/// say (a test id in a snapshot without test ids, a CSS selector, a regular
/// expression the `regex` crate does not accept).
pub fn count(locator: &Locator, elements: &[Element], has_test_ids: bool) -> Option<usize> {
    let regex = match &locator.pattern {
        Pattern::Regex { source, flags } => Some(
            regex::RegexBuilder::new(source)
                .case_insensitive(flags.contains('i'))
                .size_limit(1 << 20)
                .build()
                .ok()?,
        ),
        _ => None,
    };
    // The wanted text normalised once, not once per element.
    let want = match &locator.pattern {
        Pattern::Text { text, exact: true } => collapse(text),
        Pattern::Text { text, exact: false } => collapse(text).to_lowercase(),
        _ => String::new(),
    };
    let matches = |text: Option<&str>| match (&locator.pattern, text) {
        (Pattern::Any, _) => true,
        (_, None) => false,
        (Pattern::Text { exact: true, .. }, Some(have)) => collapse(have) == want,
        (Pattern::Text { exact: false, .. }, Some(have)) => {
            collapse(have).to_lowercase().contains(&want)
        }
        (Pattern::Regex { .. }, Some(have)) => regex.as_ref().is_some_and(|r| r.is_match(have)),
    };
    let field: fn(&Element) -> Option<&str> = match locator.kind {
        Kind::TestId if has_test_ids => |e| e.test_id.as_deref(),
        Kind::Role => |e| e.name.as_deref(),
        Kind::Label => |e| e.label.as_deref(),
        Kind::Placeholder => |e| e.placeholder.as_deref(),
        Kind::Text => Element::visible_text,
        Kind::TestId | Kind::AltText | Kind::Title | Kind::Css => return None,
    };
    let n = elements
        .iter()
        .filter(|e| !e.in_frame)
        .filter(|e| locator.kind != Kind::Role || e.role == locator.role)
        .filter(|e| locator.kind != Kind::Label || e.label.is_some())
        .filter(|e| matches(field(e)))
        .count();
    Some(n)
}

/// Whitespace runs as one space, trimmed: how Playwright compares text.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
