//! Self-healing selectors: when a Playwright locator no longer resolves,
//! find the element it meant in the page snapshot of the failed test and
//! propose, without any model, an edit of the test that reaches that
//! element by a locator matching it alone. The fix engine verifies the
//! edit by re-running the test like any other candidate.
//!
//! See `docs/selector-healing.md` for the rules and their reasons.

mod aria;
mod attachment;
mod context;
mod element;
mod html;
mod js;
mod locator;
mod matching;
mod project;
mod propose;
mod similarity;
mod source;

pub use attachment::{locate as locate_error_context, named as named_error_context};
pub use element::Element;
pub use locator::{Found, Kind, Locator, Pattern, find_all as find_locators};
pub use project::heal_failure;
pub use similarity::dice;

use crate::escape::control_chars;
pub use crate::fix::Edit;

/// The page as the failed test left it.
#[derive(Clone, Copy, Debug)]
pub enum Snapshot<'a> {
    /// Playwright's `error-context.md`, with the ARIA snapshot inside.
    ErrorContext(&'a str),
    /// A bare ARIA snapshot (`locator.ariaSnapshot()`).
    Aria(&'a str),
    /// A saved DOM (`page.content()`): the only form with test ids.
    Html(&'a str),
}

/// What `heal` needs to know about one failed test.
#[derive(Clone, Copy, Debug)]
pub struct Failure<'a> {
    /// The failure's message (JUnit `message`, or the error's first line).
    pub message: &'a str,
    /// The rest: call log, code frame and stack (JUnit element text).
    pub details: &'a str,
    /// The test file, relative to the repository root (as in the edit).
    pub test_file: &'a str,
    /// Its contents as tested.
    pub test_source: &'a str,
    pub snapshot: Snapshot<'a>,
}

/// One proposed fix, best first in `heal`'s answer.
#[derive(Clone, Debug, PartialEq)]
pub struct HealCandidate {
    pub edit: Edit,
    pub old_locator: String,
    pub new_locator: String,
    /// The element it reaches (role and name), escaped for display.
    pub element: String,
    /// Closeness to the old locator's intent: text similarity (Dice, 0–1)
    /// plus [`propose::SAME_KIND_BONUS`] when it is reached the
    /// way the old locator reached its element (same role, a label…).
    pub score: f64,
}

/// Why nothing could be healed. Texts from the page or the test are
/// escaped and shortened, so the message is safe to show as is.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum HealError {
    #[error("no test file: the results name none and no stack frame is in the project")]
    NoTestFile,
    #[error(
        "the failure names no error context Playwright wrote (`Error Context: …`) in the project"
    )]
    NoErrorContext,
    #[error("cannot read {file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("the error context holds no page snapshot")]
    NoSnapshot,
    #[error("the page snapshot has no elements")]
    EmptySnapshot,
    #[error("the stack names no line of {file}")]
    NoLine { file: String },
    #[error("line {line} of {file} holds no locator this can read")]
    NoLocator { file: String, line: usize },
    #[error("{locator} still matches exactly one element: the failure is not its selector")]
    StillMatches { locator: String },
    #[error("{locator} names no text, test id or role name to look for")]
    NoIntent { locator: String },
    #[error("no element of the page is close to {locator}")]
    NothingClose { locator: String },
    #[error("{first} and {second} are equally close to {locator}: not guessing")]
    Ambiguous {
        locator: String,
        first: String,
        second: String,
    },
    #[error("no locator matches only the elements closest to {locator}")]
    NotUnique { locator: String },
    #[error("line {line} of {file} is not unique in the file, even with context")]
    SearchNotUnique { file: String, line: usize },
}

/// Proposals for a failed test whose locator no longer resolves, best
/// first (at most [`propose::MAX_PROPOSALS`]), or why there are none.
pub fn heal(failure: &Failure<'_>) -> Result<Vec<HealCandidate>, HealError> {
    let (elements, has_test_ids) = elements(failure.snapshot)?;
    let (line, found) = located(failure)?;
    let old = &found.locator;
    let old_text = shown(&old.render('\''));
    if matching::count(old, &elements, has_test_ids) == Some(1) {
        return Err(HealError::StillMatches { locator: old_text });
    }
    let intent = propose::intent(old);
    if intent.words.trim().is_empty() {
        return Err(HealError::NoIntent { locator: old_text });
    }
    let ranked = propose::rank(&intent, &elements);
    let describe = |i: usize| describe(&elements[i]);
    match ranked.as_slice() {
        [] => return Err(HealError::NothingClose { locator: old_text }),
        [(a, x), (b, y), ..] if (x - y).abs() < 1e-9 => {
            return Err(HealError::Ambiguous {
                locator: old_text,
                first: describe(*a),
                second: describe(*b),
            });
        }
        _ => {}
    }
    let line_text = line_of(failure.test_source, line).unwrap_or_default();
    let quote = quote_of(&line_text[found.start..found.end]);
    let mut candidates = Vec::new();
    // Each try counts matches over the whole page: a bounded number keeps
    // a huge page of near-duplicates linear.
    for (index, score) in ranked.into_iter().take(propose::MAX_TRIED) {
        if candidates.len() == propose::MAX_PROPOSALS {
            break;
        }
        let Some(new) = propose::unique_locator(&elements[index], &elements, has_test_ids) else {
            continue;
        };
        let new_text = new.render(quote);
        let (search, replace) =
            source::edit_for(failure.test_source, line, found.start..found.end, &new_text)
                .ok_or_else(|| HealError::SearchNotUnique {
                    file: shown(failure.test_file),
                    line,
                })?;
        candidates.push(HealCandidate {
            edit: Edit {
                file: failure.test_file.to_string(),
                search,
                replace,
            },
            old_locator: old_text.clone(),
            new_locator: shown(&new_text),
            element: describe(index),
            score,
        });
    }
    if candidates.is_empty() {
        return Err(HealError::NotUnique { locator: old_text });
    }
    Ok(candidates)
}

/// The elements of a snapshot, as `heal` sees them.
pub fn snapshot_elements(snapshot: Snapshot<'_>) -> Result<Vec<Element>, HealError> {
    elements(snapshot).map(|(elements, _)| elements)
}

/// The snapshot's elements, and whether it carries test ids.
fn elements(snapshot: Snapshot<'_>) -> Result<(Vec<Element>, bool), HealError> {
    let (elements, has_test_ids) = match snapshot {
        Snapshot::ErrorContext(markdown) => {
            let yaml = context::aria_snapshot(markdown).ok_or(HealError::NoSnapshot)?;
            (aria::parse(yaml).elements, false)
        }
        Snapshot::Aria(yaml) => (aria::parse(yaml).elements, false),
        Snapshot::Html(html) => (html::parse(html).elements, true),
    };
    if elements.is_empty() {
        return Err(HealError::EmptySnapshot);
    }
    Ok((elements, has_test_ids))
}

/// The failing line of `failure.test_file` (from the stack) and the
/// locator call on it that failed.
fn located(failure: &Failure<'_>) -> Result<(usize, Found), HealError> {
    let line = source::failing_line(failure.details, failure.test_file)
        .or_else(|| source::failing_line(failure.message, failure.test_file))
        .ok_or_else(|| HealError::NoLine {
            file: shown(failure.test_file),
        })?;
    Ok((line, failing_call(failure, line)?))
}

/// Whether the stack's line in `file` (with its text `source`) holds a
/// locator call: where a page object's locator is found.
fn holds_locator(message: &str, details: &str, file: &str, source: &str) -> bool {
    let failure = Failure {
        message,
        details,
        test_file: file,
        test_source: source,
        snapshot: Snapshot::Aria(""),
    };
    source::stack_line(details, file).is_some() && located(&failure).is_ok()
}

/// The locator call on `line` of the test that failed: the one equal to
/// the locator the message names, else the last one on the line (a
/// chain's last step is the one that did not resolve).
fn failing_call(failure: &Failure<'_>, line: usize) -> Result<Found, HealError> {
    let no_locator = || HealError::NoLocator {
        file: shown(failure.test_file),
        line,
    };
    let text = line_of(failure.test_source, line).ok_or_else(no_locator)?;
    let calls = locator::find_all(&text);
    let named = named_locator(failure.message).or_else(|| named_locator(failure.details));
    let equal = named.and_then(|n| calls.iter().rev().find(|c| c.locator == n).cloned());
    equal
        .or_else(|| calls.last().cloned())
        .ok_or_else(no_locator)
}

/// The locator a Playwright message names: on its `Locator:` line, in its
/// call log (`waiting for …`), or in a strict mode violation.
fn named_locator(message: &str) -> Option<Locator> {
    const MARKERS: &[&str] = &["Locator: ", "waiting for ", "strict mode violation: "];
    message.lines().find_map(|line| {
        let at = MARKERS
            .iter()
            .find_map(|m| line.find(m).map(|i| i + m.len()))?;
        locator::find_all(&line[at..]).pop().map(|f| f.locator)
    })
}

fn line_of(source: &str, number: usize) -> Option<String> {
    let line = source.split('\n').nth(number.checked_sub(1)?)?;
    Some(line.trim_end_matches('\r').to_string())
}

/// The quote the old call used, so the new one reads the same.
fn quote_of(call: &str) -> char {
    call.chars()
        .find(|c| matches!(c, '\'' | '"' | '`'))
        .unwrap_or('\'')
}

fn describe(element: &Element) -> String {
    match (&element.name, element.visible_text()) {
        (Some(name), _) => shown(&format!("{} {name:?}", element.role)),
        (None, Some(text)) => shown(&format!("{} {text:?}", element.role)),
        (None, None) => shown(&element.role),
    }
}

/// Untrusted text made safe to show: control characters escaped, at most
/// 120 characters.
fn shown(text: &str) -> String {
    let escaped = control_chars(text);
    match escaped.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &escaped[..i]),
        None => escaped.into_owned(),
    }
}
