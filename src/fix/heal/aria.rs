//! Playwright's ARIA snapshot (the YAML-like tree in a failed test's
//! `error-context.md`) read into elements.
//!
//! The format, as Playwright 1.5x–1.6x writes it: one `- ` item per line,
//! indented two spaces per level; an item is `role "name" [attr] [attr=v]`,
//! optionally followed by `: text` or by `:` and child items; `- text: …`
//! is a bare text node; `- /url: …` and `- /placeholder: …` are properties
//! of the parent item. A key with YAML-special characters is wrapped in
//! single quotes (`- 'button "a: b"'`), a value in double quotes.
//!
//! Hand-written rather than a YAML library: the snapshot is not strictly
//! YAML (`button "Save"` as a key, unquoted values with `: ` inside), and a
//! lenient line reader can skip what it does not understand instead of
//! rejecting the whole page.

use super::element::Element;

/// Limits that keep a hostile or huge snapshot cheap: past them the rest
/// of the snapshot is ignored and [`Parsed::truncated`] says so.
pub const MAX_BYTES: usize = 4 << 20;
pub const MAX_ELEMENTS: usize = 50_000;

#[derive(Debug, Default)]
pub struct Parsed {
    pub elements: Vec<Element>,
    /// A limit cut the snapshot short: uniqueness is then not certain.
    pub truncated: bool,
}

/// Reads every line it understands; a line it does not is skipped.
pub fn parse(yaml: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let text = head(yaml, MAX_BYTES);
    parsed.truncated = text.len() < yaml.len();
    // (indent, element index) of the items enclosing the current line.
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    // Indents of the iframes enclosing the current line.
    let mut frames: Vec<usize> = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let Some(item) = line[indent..].strip_prefix("- ") else {
            continue;
        };
        while open.last().is_some_and(|(i, _)| *i >= indent) {
            open.pop();
        }
        frames.retain(|i| *i < indent);
        let parent = open.last().and_then(|(_, index)| *index);
        let Some((key, value)) = split_item(item.trim_end()) else {
            continue;
        };
        if let Some(property) = key.strip_prefix('/') {
            if let Some(parent) = parent.and_then(|p| parsed.elements.get_mut(p)) {
                set_property(parent, property, value.unwrap_or_default());
            }
            continue;
        }
        let Some(mut element) = parse_key(&key) else {
            open.push((indent, None));
            continue;
        };
        element.text = value.filter(|v| !v.is_empty());
        element.in_frame = !frames.is_empty();
        if element.role == "iframe" {
            frames.push(indent);
        }
        if parsed.elements.len() >= MAX_ELEMENTS {
            parsed.truncated = true;
            break;
        }
        open.push((indent, Some(parsed.elements.len())));
        parsed.elements.push(element);
    }
    for element in &mut parsed.elements {
        label_from_name(element);
    }
    parsed
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
pub fn head(text: &str, max: usize) -> &str {
    &text[..text.floor_char_boundary(max)]
}

fn set_property(element: &mut Element, property: &str, value: String) {
    if property == "placeholder" {
        element.placeholder = Some(value);
    }
}

/// A labellable element's name is its label, unless the browser fell back
/// to the placeholder for want of one (then `getByLabel` does not find it).
fn label_from_name(element: &mut Element) {
    if Element::is_labellable(&element.role) && element.name != element.placeholder {
        element.label = element.name.clone();
    }
}

/// Splits `key: value`, `key:` and `key` (a quoted key may hold `: `).
/// The value is unquoted; None for a line that is not an item.
fn split_item(item: &str) -> Option<(String, Option<String>)> {
    let (key, rest) = if let Some(quoted) = item.strip_prefix('\'') {
        let (key, rest) = single_quoted(quoted)?;
        (key, rest)
    } else {
        match find_key_end(item) {
            Some(end) => (item[..end].to_string(), &item[end..]),
            None => (item.to_string(), ""),
        }
    };
    let value = rest
        .strip_prefix(':')
        .map(|value| unquote_value(value.trim()));
    Some((key, value))
}

/// A YAML single-quoted string (`''` is a quote); the text after it.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some((out, &text[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    None
}

/// Where an unquoted key ends: the first `:` outside a double-quoted name
/// and outside brackets.
fn find_key_end(item: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    let mut brackets = 0usize;
    for (i, c) in item.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '[' if !in_quotes => brackets += 1,
            ']' if !in_quotes => brackets = brackets.saturating_sub(1),
            ':' if !in_quotes && brackets == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// A value as YAML writes it: double-quoted (JSON escapes), single-quoted,
/// or plain.
fn unquote_value(value: &str) -> String {
    if value.starts_with('"')
        && let Ok(text) = serde_json::from_str::<String>(value)
    {
        return text;
    }
    if let Some(inner) = value.strip_prefix('\'')
        && let Some((text, _)) = single_quoted(inner)
    {
        return text;
    }
    value.to_string()
}

/// `role "name" [attr]…` into an element; None when there is no role.
fn parse_key(key: &str) -> Option<Element> {
    let key = key.trim();
    let role_end = key.find([' ', '"', '[']).unwrap_or(key.len());
    let role = &key[..role_end];
    if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let rest = key[role_end..].trim_start();
    let name = rest.strip_prefix('"').and_then(|quoted| {
        let end = closing_quote(quoted)?;
        serde_json::from_str::<String>(&rest[..end + 2]).ok()
    });
    Some(Element {
        role: role.to_string(),
        name,
        ..Element::default()
    })
}

/// Index (in `quoted`, which follows the opening quote) of the closing
/// double quote, skipping backslash escapes.
fn closing_quote(quoted: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in quoted.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}
