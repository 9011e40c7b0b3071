//! Selector healing, the readers: Playwright's ARIA snapshot (as 1.65
//! really writes it, captured in `tests/fixtures/heal-captured/`), saved
//! HTML, locators in messages and test lines, and odd input that must give
//! something sensible or nothing, never a panic.

use pitcrew::fix::heal::{
    Element, Failure, HealError, Kind, Pattern, Snapshot, dice, find_locators, heal,
    named_error_context, snapshot_elements,
};

const ROLE_CONTEXT: &str = include_str!("fixtures/heal-captured/role-error-context.md");
const TESTID_CONTEXT: &str = include_str!("fixtures/heal-captured/testid-error-context.md");

fn el(
    role: &str,
    name: Option<&str>,
    text: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (role.into(), name.map(Into::into), text.map(Into::into))
}

fn summary(elements: &[Element]) -> Vec<(String, Option<String>, Option<String>)> {
    elements
        .iter()
        .map(|e| (e.role.clone(), e.name.clone(), e.text.clone()))
        .collect()
}

#[test]
fn the_captured_error_context_gives_every_element_with_its_role_name_and_text() {
    let elements = snapshot_elements(Snapshot::ErrorContext(ROLE_CONTEXT)).unwrap();
    assert_eq!(
        summary(&elements),
        vec![
            el("generic", None, None),
            el("heading", Some("Settings"), None),
            el("text", None, Some("Email")),
            el("textbox", Some("Email"), None),
            el("button", Some("Save changes"), None),
            el("button", Some("Cancel"), None),
            el("link", Some("Help"), None),
            el("list", None, None),
            el("listitem", None, Some("One")),
            el("listitem", None, Some("Two \"quoted\"")),
        ]
    );
    let textbox = &elements[3];
    assert_eq!(textbox.placeholder.as_deref(), Some("you@example.com"));
    assert_eq!(textbox.label.as_deref(), Some("Email"));
    assert!(elements.iter().all(|e| e.test_id.is_none()));
}

#[test]
fn an_error_context_without_the_page_snapshot_heading_still_gives_its_yaml() {
    let elements = snapshot_elements(Snapshot::ErrorContext(TESTID_CONTEXT)).unwrap();
    assert_eq!(
        elements[0],
        Element {
            role: "heading".into(),
            name: Some("Settings".into()),
            ..Element::default()
        }
    );
    assert_eq!(elements.len(), 9);
}

#[test]
fn an_error_context_without_yaml_is_no_snapshot() {
    let markdown = "# Error details\n\n```\nError: boom\n```\n";
    assert_eq!(
        snapshot_elements(Snapshot::ErrorContext(markdown)),
        Err(HealError::NoSnapshot)
    );
}

#[test]
fn aria_lines_in_every_shape_the_format_allows() {
    let yaml = concat!(
        "- 'button \"a: b\"' [ref=e1]\n",
        "- button \"it\\\"s\" [pressed]\n",
        "- heading \"Title: sub\" [level=2]\n",
        "- paragraph: \"quoted: value\"\n",
        "- generic: plain: with colon\n",
        "- 'link \"O''Neil\"':\n",
        "  - /url: /people/oneil\n",
        "- textbox:\n",
        "  - /placeholder: Search\n",
        "- iframe [ref=e9]:\n",
        "  - button \"Inside\"\n",
        "- button \"Outside\"\n",
    );
    let elements = snapshot_elements(Snapshot::Aria(yaml)).unwrap();
    assert_eq!(
        summary(&elements),
        vec![
            el("button", Some("a: b"), None),
            el("button", Some("it\"s"), None),
            el("heading", Some("Title: sub"), None),
            el("paragraph", None, Some("quoted: value")),
            el("generic", None, Some("plain: with colon")),
            el("link", Some("O'Neil"), None),
            el("textbox", None, None),
            el("iframe", None, None),
            el("button", Some("Inside"), None),
            el("button", Some("Outside"), None),
        ]
    );
    assert_eq!(elements[6].placeholder.as_deref(), Some("Search"));
    assert_eq!(elements[6].label, None, "a placeholder is not a label");
    let frames: Vec<bool> = elements.iter().map(|e| e.in_frame).collect();
    assert_eq!(frames[8..], [true, false]);
}

/// Whatever the input, parsing returns and stays bounded.
#[test]
fn odd_aria_input_never_panics() {
    let cases = [
        "",
        "-",
        "- ",
        "- \"",
        "- button \"unterminated",
        "- 'unterminated",
        "- button \"x\" [",
        "- :",
        "- /url: orphan property",
        "      - deeply\n- shallow\n          - deeper",
        "- é \"ü\": ß",
        "- button \"\\u00e9\\\\\"",
        "\u{0}\u{1b}[31m- button \"x\"",
        "- \u{202e}button \"x\"",
        "```\n- button \"x\"\n```",
    ];
    for case in cases {
        let _ = snapshot_elements(Snapshot::Aria(case));
        let _ = snapshot_elements(Snapshot::ErrorContext(case));
        let _ = snapshot_elements(Snapshot::Html(case));
    }
    let huge = "- button \"x\"\n".repeat(200_000);
    let elements = snapshot_elements(Snapshot::Aria(&huge)).unwrap();
    assert_eq!(elements.len(), 50_000, "bounded");
    let deep: String = (0..5_000)
        .map(|i| format!("{}- generic:\n", " ".repeat(i * 2)))
        .collect();
    assert!(snapshot_elements(Snapshot::Aria(&deep)).is_ok());
}

/// Mutations of the real snapshot (bytes cut, lines shuffled, characters
/// swapped) by a fixed pseudo-random sequence: no panic, ever.
#[test]
fn mutated_real_snapshots_never_panic() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let specials = [
        '"', '\'', ':', '[', ']', '-', ' ', '\n', '\\', '<', '>', '&', '/', 'é',
    ];
    for _ in 0..2_000 {
        let mut chars: Vec<char> = ROLE_CONTEXT.chars().collect();
        for _ in 0..(next() % 8) {
            if chars.is_empty() {
                break;
            }
            let at = (next() as usize) % chars.len();
            match next() % 3 {
                0 => chars[at] = specials[(next() as usize) % specials.len()],
                1 => {
                    chars.remove(at);
                }
                _ => chars.truncate(at.max(1)),
            }
        }
        let text: String = chars.into_iter().collect();
        let _ = snapshot_elements(Snapshot::ErrorContext(&text));
        let _ = snapshot_elements(Snapshot::Html(&text));
        let _ = find_locators(&text);
        let _ = heal(&Failure {
            message: &text,
            details: &text,
            test_file: "tests/save.spec.js",
            test_source: &text,
            snapshot: Snapshot::ErrorContext(&text),
        });
    }
}

#[test]
fn html_roles_names_labels_test_ids_and_hidden_elements() {
    let html = r#"<!doctype html><html><head><title>T</title><style>button{}</style></head><body>
<label for="mail">E-mail</label><input id="mail" type="email" placeholder="you@x.org">
<label>Subscribe <input type="checkbox"></label>
<input placeholder="Search only">
<button data-testid="save-changes">Save <b>changes</b></button>
<button aria-label="Close">&times;</button>
<span id="t">Total &amp; tax</span><div role="region" aria-labelledby="t">x</div>
<a href="/help">Help</a><a>not a link</a>
<div hidden><button>Ghost</button></div>
<p style="display: none">gone</p>
<script>if (a < b) { document.write("<button>Script</button>") }</script>
<input type="submit" value="Send">
<img src="x.png" alt="Logo">
</body></html>"#;
    let elements = snapshot_elements(Snapshot::Html(html)).unwrap();
    let find = |role: &str, name: &str| {
        elements
            .iter()
            .find(|e| e.role == role && e.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("{role} {name:?} in {elements:#?}"))
    };
    assert_eq!(find("textbox", "E-mail").label.as_deref(), Some("E-mail"));
    assert_eq!(
        find("textbox", "E-mail").placeholder.as_deref(),
        Some("you@x.org")
    );
    assert_eq!(
        find("checkbox", "Subscribe").label.as_deref(),
        Some("Subscribe")
    );
    assert_eq!(find("textbox", "Search only").label, None);
    assert_eq!(
        find("button", "Save changes").test_id.as_deref(),
        Some("save-changes")
    );
    find("button", "Close");
    find("region", "Total & tax");
    find("link", "Help");
    find("button", "Send");
    find("img", "Logo");
    for gone in ["Ghost", "gone", "Script", "T"] {
        assert!(
            !elements
                .iter()
                .any(|e| e.name.as_deref() == Some(gone) || e.text.as_deref() == Some(gone)),
            "{gone} is not on the page"
        );
    }
    assert!(
        !elements
            .iter()
            .any(|e| e.role == "link" && e.text.as_deref() == Some("not a link"))
    );
}

#[test]
fn locators_in_messages_and_test_lines() {
    let table: &[(&str, &[Expected])] = &[
        (
            "waiting for getByRole('button', { name: 'Save', exact: true })",
            &[(Kind::Role, "button", text("Save", true))],
        ),
        (
            "  await page.getByRole(\"button\" , {name:\"Save\"}).click();",
            &[(Kind::Role, "button", text("Save", false))],
        ),
        (
            "Locator: getByTestId('save')",
            &[(Kind::TestId, "", text("save", true))],
        ),
        (
            "page.locator('#form').getByLabel(`E-mail`).fill('x')",
            &[
                (Kind::Css, "", text("#form", true)),
                (Kind::Label, "", text("E-mail", false)),
            ],
        ),
        (
            "page.getByText(/save\\/all/i)",
            &[(
                Kind::Text,
                "",
                Pattern::Regex {
                    source: "save\\/all".into(),
                    flags: "i".into(),
                },
            )],
        ),
        (
            "page.getByRole('list')",
            &[(Kind::Role, "list", Pattern::Any)],
        ),
        (
            "page.getByPlaceholder('it\\'s')",
            &[(Kind::Placeholder, "", text("it's", false))],
        ),
        // Not locators, or not readable ones.
        ("page.frameLocator('#f')", &[]),
        ("page.getByText(label)", &[]),
        ("page.getByText(`Hi ${name}`)", &[]),
        ("page.getByRole('button', { name: 'Save'", &[]),
        ("locator.click: Timeout 1000ms exceeded.", &[]),
    ];
    for (line, want) in table {
        let got: Vec<(Kind, String, Pattern)> = find_locators(line)
            .into_iter()
            .map(|f| (f.locator.kind, f.locator.role, f.locator.pattern))
            .collect();
        let want: Vec<(Kind, String, Pattern)> = want
            .iter()
            .map(|(k, r, p)| (*k, r.to_string(), p.clone()))
            .collect();
        assert_eq!(got, want, "{line}");
    }
}

/// A locator as found: kind, role, pattern.
type Expected = (Kind, &'static str, Pattern);

fn text(text: &str, exact: bool) -> Pattern {
    Pattern::Text {
        text: text.into(),
        exact,
    }
}

#[test]
fn similarity_rewards_kept_words_not_shared_length() {
    assert!(dice("Save", "Save changes") > dice("Save", "Cancel"));
    assert_eq!(dice("Save", "Cancel"), 0.0);
    assert_eq!(dice("save-changes", "Save changes"), 1.0);
    assert_eq!(dice("saveChanges", "save changes"), 1.0);
    assert!(
        dice("Save", "Save changes") >= 0.3,
        "above the healing threshold"
    );
    assert_eq!(dice("", "x"), 0.0);
    assert_eq!(dice("a", "b"), 0.0);
}

#[test]
fn the_error_context_path_is_read_from_the_details() {
    let details = "    at /p/tests/a.spec.js:7:65\n\n    Error Context: ../test-results/a-x/error-context.md\n";
    assert_eq!(
        named_error_context(details),
        Some("../test-results/a-x/error-context.md")
    );
    assert_eq!(named_error_context("no context"), None);
}
