//! A saved DOM (`page.content()`, an HTML snapshot) read into elements:
//! roles implied by tags, names by the usual precedence (`aria-label`,
//! `aria-labelledby`, `<label>`, content, `alt`, `title`, placeholder),
//! test ids, and what is hidden left out.
//!
//! A small lenient tokenizer rather than an HTML5 parser crate: a snapshot
//! is the browser's own serialisation (well-formed), the accessible-name
//! rules need our own walk anyway, and a broken document must still give
//! what it can instead of an error. Simplifications: `hidden`,
//! `aria-hidden` and inline `display:none` hide; style sheets do not.

use std::collections::HashMap;

use super::aria::{Parsed, head};
use super::element::Element;
use super::matching::collapse;

const MAX_BYTES: usize = super::aria::MAX_BYTES;
const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose content is never on the page.
const UNSHOWN: &[&str] = &["head", "script", "style", "template", "noscript", "title"];

struct Open {
    tag: String,
    /// Index into the elements, None inside something hidden.
    element: Option<usize>,
    hidden: bool,
}

#[derive(Default)]
struct Extra {
    id: Option<String>,
    labelled_by: Option<String>,
    label_for: Option<String>,
    content: String,
    /// A `<label>`'s labelled control: the first control inside it.
    wraps: Option<usize>,
}

pub fn parse(html: &str) -> Parsed {
    let text = head(html, MAX_BYTES);
    let mut parsed = Parsed {
        truncated: text.len() < html.len(),
        ..Parsed::default()
    };
    let mut extras: Vec<Extra> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            add_text(rest, &stack, &mut parsed.elements, &mut extras);
            break;
        };
        add_text(&rest[..lt], &stack, &mut parsed.elements, &mut extras);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let tag = after[..end].trim().to_ascii_lowercase();
            if let Some(i) = stack.iter().rposition(|o| o.tag == tag) {
                stack.truncate(i);
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (tag, attributes, self_closing, after) = start_tag(&rest[1..]);
            rest = after;
            if matches!(tag.as_str(), "script" | "style") {
                let close = format!("</{tag}");
                rest = rest
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or("", |i| &rest[i..]);
                continue;
            }
            let hidden = stack.last().is_some_and(|o| o.hidden)
                || UNSHOWN.contains(&tag.as_str())
                || is_hidden(&attributes);
            let element = if hidden || parsed.elements.len() >= super::aria::MAX_ELEMENTS {
                parsed.truncated |= !hidden;
                None
            } else {
                let index = parsed.elements.len();
                let (element, extra) =
                    new_element(&tag, &attributes, stack.iter().any(|o| o.tag == "iframe"));
                if Element::is_labellable(&element.role)
                    && let Some(label) = stack.iter().rev().find(|o| o.tag == "label")
                    && let Some(extra) = label.element.and_then(|l| extras.get_mut(l))
                {
                    extra.wraps.get_or_insert(index);
                }
                parsed.elements.push(element);
                extras.push(extra);
                Some(index)
            };
            if !self_closing && !VOID.contains(&tag.as_str()) && stack.len() < MAX_DEPTH {
                stack.push(Open {
                    tag,
                    element,
                    hidden,
                });
            }
        } else {
            // `<!doctype>`, `<?…>`, or a lone `<`: skip to the next `>`.
            rest = rest[1..].find('>').map_or("", |i| &rest[i + 2..]);
        }
    }
    name_elements(&mut parsed.elements, &extras);
    parsed
}

/// `tag attr="v" …>` after the `<`: tag, attributes, self-closing, rest.
fn start_tag(text: &str) -> (String, HashMap<String, String>, bool, &str) {
    let end = text
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(text.len());
    let tag = text[..end].to_ascii_lowercase();
    let mut attributes = HashMap::new();
    let mut rest = &text[end..];
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>") {
            return (tag, attributes, true, after);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (tag, attributes, false, after);
        }
        if rest.is_empty() {
            return (tag, attributes, false, rest);
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let close = inner.find(q).unwrap_or(inner.len());
                    (&inner[..close], inner.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = decode(raw);
            rest = remaining;
        } else if name.is_empty() {
            rest = rest.get(1..).unwrap_or(""); // a stray `/` or `=`
            continue;
        }
        attributes.entry(name).or_insert(value);
    }
}

fn is_hidden(attributes: &HashMap<String, String>) -> bool {
    let style = attributes
        .get("style")
        .map(|s| s.replace(' ', "").to_ascii_lowercase());
    attributes.contains_key("hidden")
        || attributes.get("aria-hidden").is_some_and(|v| v == "true")
        || style.is_some_and(|s| s.contains("display:none") || s.contains("visibility:hidden"))
}

fn add_text(raw: &str, stack: &[Open], elements: &mut [Element], extras: &mut [Extra]) {
    if raw.trim().is_empty() || stack.last().is_some_and(|o| o.hidden) {
        return;
    }
    let text = decode(raw);
    for open in stack {
        if let Some(extra) = open.element.and_then(|i| extras.get_mut(i)) {
            extra.content.push(' ');
            extra.content.push_str(&text);
        }
    }
    if let Some(own) = stack
        .last()
        .and_then(|o| o.element)
        .and_then(|i| elements.get_mut(i))
    {
        let own_text = own.text.get_or_insert_with(String::new);
        own_text.push(' ');
        own_text.push_str(&text);
    }
}

fn new_element(
    tag: &str,
    attributes: &HashMap<String, String>,
    in_frame: bool,
) -> (Element, Extra) {
    let get = |name: &str| {
        attributes
            .get(name)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    };
    let role = get("role")
        .and_then(|r| r.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| implicit_role(tag, attributes).to_string());
    let element = Element {
        role,
        name: get("aria-label"),
        text: None,
        label: get("aria-label"),
        placeholder: get("placeholder"),
        test_id: get("data-testid"),
        in_frame,
    };
    let extra = Extra {
        id: get("id"),
        labelled_by: get("aria-labelledby"),
        label_for: (tag == "label").then(|| get("for")).flatten(),
        // An input's own text: a button's `value`, an image's `alt`.
        content: get("value")
            .filter(|_| tag == "input")
            .or_else(|| get("alt"))
            .unwrap_or_default(),
        wraps: None,
    };
    (element, extra)
}

fn implicit_role(tag: &str, attributes: &HashMap<String, String>) -> &'static str {
    let kind = attributes.get("type").map(|t| t.to_ascii_lowercase());
    match tag {
        "button" => "button",
        "a" if attributes.contains_key("href") => "link",
        "input" => match kind.as_deref().unwrap_or("text") {
            "button" | "submit" | "reset" | "image" => "button",
            "checkbox" => "checkbox",
            "radio" => "radio",
            "range" => "slider",
            "number" => "spinbutton",
            "search" => "searchbox",
            "hidden" => "",
            _ => "textbox",
        },
        "textarea" => "textbox",
        "select" if attributes.contains_key("multiple") => "listbox",
        "select" => "combobox",
        "option" => "option",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "ul" | "ol" => "list",
        "li" => "listitem",
        "img" => "img",
        "nav" => "navigation",
        "main" => "main",
        "form" => "form",
        "dialog" => "dialog",
        "p" => "paragraph",
        "table" => "table",
        "tr" => "row",
        "td" => "cell",
        "th" => "columnheader",
        "iframe" => "iframe",
        _ => "generic",
    }
}

/// Accessible names, once the whole document (every id and label) is known.
fn name_elements(elements: &mut [Element], extras: &[Extra]) {
    let by_id: HashMap<&str, usize> = extras
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.id.as_deref().map(|id| (id, i)))
        .collect();
    let content = |i: usize| {
        extras
            .get(i)
            .map(|e| collapse(&e.content))
            .filter(|c| !c.is_empty())
    };
    let mut labels: HashMap<usize, String> = HashMap::new();
    for (i, extra) in extras.iter().enumerate() {
        let target = match &extra.label_for {
            Some(id) => by_id.get(id.as_str()).copied(),
            None => extra.wraps,
        };
        if let (Some(target), Some(text)) = (target, content(i)) {
            labels.entry(target).or_insert(text);
        }
    }
    for (i, element) in elements.iter_mut().enumerate() {
        element.text = element
            .text
            .as_deref()
            .map(collapse)
            .filter(|t| !t.is_empty());
        let Some(extra) = extras.get(i) else { continue };
        let labelled_by = extra.labelled_by.as_deref().map(|ids| {
            ids.split_whitespace()
                .filter_map(|id| by_id.get(id).and_then(|&j| content(j)))
                .collect::<Vec<_>>()
                .join(" ")
        });
        let labellable = Element::is_labellable(&element.role);
        let label = element
            .label
            .clone()
            .or(labelled_by.filter(|l| !l.is_empty()))
            .or_else(|| labellable.then(|| labels.get(&i).cloned()).flatten());
        element.name = label.clone().or_else(|| {
            let from_content = !labellable && element.role != "generic";
            from_content
                .then(|| content(i))
                .flatten()
                .or_else(|| labellable.then(|| element.placeholder.clone()).flatten())
        });
        element.label = label.filter(|_| labellable || element.label.is_some());
    }
}

/// The common character references; others stay as written.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let entity = end.map(|e| &rest[1..e]);
        let decoded = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some("nbsp") => Some('\u{a0}'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
