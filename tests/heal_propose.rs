//! Selector healing, the decisions: which replacement, in which order, as
//! which edit, and the failures it must refuse to heal, with the reason.
//! The first cases use the failure exactly as Playwright 1.65 reported it
//! (`tests/fixtures/heal-captured/`).

use pitcrew::fix::heal::{Failure, HealCandidate, HealError, Snapshot, heal};

const ROLE_CONTEXT: &str = include_str!("fixtures/heal-captured/role-error-context.md");
const TESTID_CONTEXT: &str = include_str!("fixtures/heal-captured/testid-error-context.md");
const SPEC: &str = include_str!("fixtures/heal-captured/save.spec.js");
const FILE: &str = "tests/save.spec.js";

/// The real failure of `saves settings` (JUnit message and details).
const ROLE_DETAILS: &str = "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for getByRole('button', { name: 'Save', exact: true })\n\n\n   5 | test('saves settings', async ({ page }) => {\n   6 |   await page.goto(url);\n>  7 |   await page.getByRole('button', { name: 'Save' , exact: true}).click();\n     |                                                                 ^\n    at /home/ci/project/tests/save.spec.js:7:65\n\n    Error Context: ../test-results/save-saves-settings/error-context.md";

fn failure<'a>(details: &'a str, source: &'a str, snapshot: Snapshot<'a>) -> Failure<'a> {
    Failure {
        message: "locator.click: Timeout 1000ms exceeded.",
        details,
        test_file: FILE,
        test_source: source,
        snapshot,
    }
}

fn best(result: Result<Vec<HealCandidate>, HealError>) -> HealCandidate {
    let candidates = result.expect("healed");
    candidates
        .into_iter()
        .next()
        .expect("one candidate at least")
}

#[test]
fn a_renamed_button_heals_to_its_new_name_on_the_failing_line_only() {
    let c = best(heal(&failure(
        ROLE_DETAILS,
        SPEC,
        Snapshot::ErrorContext(ROLE_CONTEXT),
    )));
    assert_eq!(c.edit.file, FILE);
    assert_eq!(
        c.edit.search,
        "  await page.getByRole('button', { name: 'Save' , exact: true}).click();"
    );
    assert_eq!(
        c.edit.replace,
        "  await page.getByRole('button', { name: 'Save changes' }).click();"
    );
    assert_eq!(c.element, "button \"Save changes\"");
    assert_eq!(
        c.old_locator,
        "getByRole('button', { name: 'Save', exact: true })"
    );
    assert_eq!(SPEC.matches(&c.edit.search).count(), 1);
}

#[test]
fn a_lost_test_id_heals_to_the_role_when_the_snapshot_has_no_test_ids() {
    let details = "Error: expect(locator).toBeVisible() failed\n\nLocator: getByTestId('save')\n    at /home/ci/project/tests/save.spec.js:11:42";
    let c = best(heal(&failure(
        details,
        SPEC,
        Snapshot::ErrorContext(TESTID_CONTEXT),
    )));
    assert_eq!(
        c.edit.replace,
        "  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();"
    );
}

#[test]
fn a_saved_dom_heals_a_test_id_to_the_new_test_id_first() {
    let html = r#"<body><button data-testid="save-changes">Save changes</button>
        <button data-testid="cancel">Cancel</button></body>"#;
    let details = "Locator: getByTestId('save')\n    at tests/save.spec.js:11:42";
    let c = best(heal(&failure(details, SPEC, Snapshot::Html(html))));
    assert_eq!(c.new_locator, "getByTestId('save-changes')");
}

const PAGE_TWO_SAVES: &str =
    "- button \"Save changes\"\n- button \"Save changes\"\n- button \"Cancel\"\n";

#[test]
fn two_equally_close_elements_are_not_guessed_between() {
    let err = heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(PAGE_TWO_SAVES))).unwrap_err();
    assert_eq!(
        err,
        HealError::Ambiguous {
            locator: "getByRole('button', { name: 'Save', exact: true })".into(),
            first: "button \"Save changes\"".into(),
            second: "button \"Save changes\"".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "button \"Save changes\" and button \"Save changes\" are equally close to \
         getByRole('button', { name: 'Save', exact: true }): not guessing"
    );
}

/// `getByRole('button', { name: 'Save' })` is a substring match: it finds
/// "Save changes" too, so a click that timed out was not its selector.
#[test]
fn a_substring_that_still_finds_the_renamed_button_is_not_what_failed() {
    let source = "x\n  await page.getByRole('button', { name: 'Save' }).click();\n";
    let details = "waiting for getByRole('button', { name: 'Save' })\n  at tests/save.spec.js:2:1";
    let err = heal(&failure(
        details,
        source,
        Snapshot::ErrorContext(ROLE_CONTEXT),
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "getByRole('button', { name: 'Save' }) still matches exactly one element: \
         the failure is not its selector"
    );
}

#[test]
fn a_locator_that_still_resolves_is_not_what_failed() {
    let snapshot = "- button \"Save\"\n- button \"Cancel\"\n";
    let err = heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(snapshot))).unwrap_err();
    assert!(matches!(err, HealError::StillMatches { .. }), "{err}");
}

#[test]
fn nothing_alike_on_the_page_is_no_candidate() {
    let snapshot = "- button \"Delete\"\n- link \"Help\"\n";
    let err = heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(snapshot))).unwrap_err();
    assert!(matches!(err, HealError::NothingClose { .. }), "{err}");
}

#[test]
fn a_role_without_a_name_gives_nothing_to_look_for() {
    let source =
        "test('x', async ({ page }) => {\n  await page.getByRole('button').click();\n});\n";
    let details = "waiting for getByRole('button')\n    at tests/save.spec.js:2:33";
    let err = heal(&failure(details, source, Snapshot::Aria(PAGE_TWO_SAVES))).unwrap_err();
    assert!(matches!(err, HealError::NoIntent { .. }), "{err}");
}

#[test]
fn without_a_line_in_the_test_file_there_is_nothing_to_edit() {
    let details =
        "waiting for getByRole('button', { name: 'Save' })\n    at tests/other.spec.js:7:3";
    let err = heal(&failure(
        details,
        SPEC,
        Snapshot::ErrorContext(ROLE_CONTEXT),
    ))
    .unwrap_err();
    assert_eq!(err, HealError::NoLine { file: FILE.into() });
}

#[test]
fn the_role_the_old_locator_asked_for_wins_a_tie_on_text() {
    let snapshot = "- link \"Save changes\"\n- button \"Save changes\"\n";
    let c = best(heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(snapshot))));
    assert_eq!(
        c.new_locator,
        "getByRole('button', { name: 'Save changes' })"
    );
}

#[test]
fn a_repeated_line_gets_context_until_the_search_is_unique() {
    let source = "test('a', async ({ page }) => {\n  await page.getByRole(\"button\", { name: \"Save\", exact: true }).click();\n});\ntest('b', async ({ page }) => {\n  await page.getByRole(\"button\", { name: \"Save\", exact: true }).click();\n});\n";
    let details = "waiting for getByRole('button', { name: 'Save', exact: true })\n    at /x/tests/save.spec.js:5:3";
    let c = best(heal(&failure(
        details,
        source,
        Snapshot::ErrorContext(ROLE_CONTEXT),
    )));
    assert_eq!(
        c.edit.search,
        "test('b', async ({ page }) => {\n  await page.getByRole(\"button\", { name: \"Save\", exact: true }).click();\n});"
    );
    assert_eq!(
        c.edit.replace,
        "test('b', async ({ page }) => {\n  await page.getByRole(\"button\", { name: \"Save changes\" }).click();\n});",
        "the test's own quotes"
    );
    assert_eq!(source.matches(&c.edit.search).count(), 1);
}

#[test]
fn only_the_last_step_of_a_chain_is_replaced() {
    let source = "x\n  await page.locator('form').getByRole('button', { name: 'Save', exact: true }).click();\n";
    let details = "waiting for locator('form').getByRole('button', { name: 'Save', exact: true })\n  at tests/save.spec.js:2:1";
    let c = best(heal(&failure(
        details,
        source,
        Snapshot::ErrorContext(ROLE_CONTEXT),
    )));
    assert_eq!(
        c.edit.replace,
        "  await page.locator('form').getByRole('button', { name: 'Save changes' }).click();"
    );
}

#[test]
fn a_text_shared_by_a_longer_one_is_reached_exactly() {
    let snapshot = "- paragraph: Saved\n- paragraph: Saved drafts\n";
    let source = "x\n  await expect(page.getByText('Save')).toBeVisible();\n";
    let details = "Locator: getByText('Save')\n  at tests/save.spec.js:2:1";
    let candidates = heal(&failure(details, source, Snapshot::Aria(snapshot))).unwrap();
    let locators: Vec<&str> = candidates.iter().map(|c| c.new_locator.as_str()).collect();
    assert_eq!(
        locators,
        [
            "getByText('Saved', { exact: true })",
            "getByText('Saved drafts')"
        ]
    );
}

#[test]
fn page_text_that_could_break_out_of_the_string_is_escaped() {
    let snapshot = "- button \"Save' + alert(1) + '\\\\\"\n";
    let c = best(heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(snapshot))));
    assert_eq!(
        c.new_locator,
        "getByRole('button', { name: 'Save\\' + alert(1) + \\'\\\\' })"
    );
}

#[test]
fn elements_in_an_iframe_are_out_of_reach() {
    let snapshot = "- iframe:\n  - button \"Save changes\"\n- button \"Cancel\"\n";
    let err = heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(snapshot))).unwrap_err();
    assert!(matches!(err, HealError::NothingClose { .. }), "{err}");
}

/// A label's text and the field it labels carry the same words; the old
/// locator's kind says which one it meant (found on a real page).
#[test]
fn a_label_goes_to_the_field_and_a_text_to_the_text() {
    let snapshot = "- text: Email address\n- textbox \"Email address\"\n";
    let source = "x\n  await page.getByLabel('E-mail').fill('a');\n  await page.getByText('E-mail').click();\n";
    let label = "Locator: getByLabel('E-mail')\n  at tests/save.spec.js:2:1";
    let c = best(heal(&failure(label, source, Snapshot::Aria(snapshot))));
    assert_eq!(
        c.new_locator,
        "getByRole('textbox', { name: 'Email address' })"
    );
    let text = "Locator: getByText('E-mail')\n  at tests/save.spec.js:3:1";
    let c = best(heal(&failure(text, source, Snapshot::Aria(snapshot))));
    assert_eq!(c.new_locator, "getByText('Email address')");
}

/// A page of 50,000 elements, many of them near the old name: healing
/// stays bounded (the closest 20 are tried, each a linear count).
#[test]
fn a_huge_page_of_near_duplicates_is_healed_in_bounded_work() {
    let mut snapshot = String::new();
    for i in 0..49_999 {
        snapshot.push_str(&format!("- button \"Save changes {i}\"\n"));
    }
    snapshot.push_str("- button \"Save\u{a0}it\"\n");
    let started = std::time::Instant::now();
    let result = heal(&failure(ROLE_DETAILS, SPEC, Snapshot::Aria(&snapshot)));
    eprintln!("healed 50,000 elements in {:?}", started.elapsed());
    assert!(result.is_ok(), "{result:?}");
}
