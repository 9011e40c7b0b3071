//! One element of a page snapshot, whichever form the snapshot came in
//! (Playwright's ARIA snapshot or a saved DOM): what a locator can match on.

/// An element as locators see it. Strings are as the page shows them;
/// comparisons normalise whitespace and case where Playwright does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// The ARIA role (`button`, `link`, `textbox`…); `text` for a bare text
    /// node of the ARIA snapshot, empty when the element has no role.
    pub role: String,
    /// The accessible name, when it has one.
    pub name: Option<String>,
    /// Its own text content (not its descendants'), when it has any.
    pub text: Option<String>,
    /// Where its name comes from a `<label>`, `aria-label` or
    /// `aria-labelledby`: what `getByLabel` matches.
    pub label: Option<String>,
    pub placeholder: Option<String>,
    /// `data-testid`: only a saved DOM has it; the ARIA snapshot does not.
    pub test_id: Option<String>,
    /// Inside an iframe: page-level locators do not reach it.
    pub in_frame: bool,
}

/// Roles whose accessible name is computed from their content: a
/// `getByText` on that content finds them (a textbox's name, from its
/// label, is not its text).
const NAME_FROM_CONTENT: &[&str] = &[
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "gridcell",
    "heading",
    "link",
    "listitem",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "radio",
    "row",
    "rowheader",
    "switch",
    "tab",
    "tooltip",
    "treeitem",
];

/// Roles that take a label (`getByLabel` finds them by it).
const LABELLABLE: &[&str] = &[
    "checkbox",
    "combobox",
    "listbox",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
];

fn present(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

impl Element {
    /// The text `getByText` sees in this element, if any.
    pub fn visible_text(&self) -> Option<&str> {
        if NAME_FROM_CONTENT.contains(&self.role.as_str()) {
            present(&self.name).or(present(&self.text))
        } else {
            present(&self.text)
        }
    }

    /// Whether the role takes a label, so its name is what `getByLabel` sees.
    pub fn is_labellable(role: &str) -> bool {
        LABELLABLE.contains(&role)
    }
}
