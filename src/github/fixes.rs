//! Suggested fixes and the models' advice in the sticky comment, from a
//! triage document (`pitcrew triage --fix … --format json`, given to
//! `report --triage`).
//!
//! Verified fixes come first. A verified edit whose lines lie inside the
//! pull request's diff is posted as a review suggestion (`review.rs`,
//! GitHub renders ```` ```suggestion ```` blocks only there) and the
//! comment links to it; any other edit is a ```` ```diff ````. Every text in
//! the document is untrusted (a model wrote the edits and the advice):
//! paths and prose are escaped, and each block's fence is longer than any
//! backtick run inside it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

pub use super::hunks::Hunks;
use super::locate::located;
pub use super::locate::{Located, locate};
use crate::InputError;
use crate::escape::{is_unsafe, markdown_inline};

/// Fixes shown in a comment; the others are counted.
pub const SHOWN: usize = 10;
/// Review suggestions offered per run, the most pressing first. More than
/// the comment shows: a suggestion is one click in the diff, whereas the
/// comment must stay readable. Bounded so a run can't flood a review.
pub const SUGGESTED: usize = 50;
/// An edit longer than this (lines, either side) is cut, and shown as a diff.
pub const EDIT_LINES: usize = 120;
/// Longest line kept in a block (bytes).
pub const LINE_BYTES: usize = 500;
/// Advice shown per group, and how much of each (bytes, lines).
const ADVICE_SHOWN: usize = 3;
const ADVICE_BYTES: usize = 1_500;
const ADVICE_LINES: usize = 15;

/// Review suggestions already on the pull request, by [`Suggestion::key`]:
/// the link to each (`None` when GitHub gave none usable).
pub type Posted = BTreeMap<String, Option<String>>;

/// The fixes of a triage document, by group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fixes {
    pub groups: Vec<FixGroup>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FixGroup {
    /// The group's fingerprint (matches the report's group of the same failures).
    pub fingerprint: String,
    pub priority: u64,
    pub category: String,
    pub specialty: String,
    pub tests: usize,
    pub fixes: Vec<Fix>,
    /// The models' advice: prose, not edits.
    pub advice: Vec<Advice>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Advice {
    pub model: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// `verified`, `unverified`, `failed` or `rejected`.
    pub status: String,
    pub reason: String,
    pub votes: u64,
    pub model: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub file: String,
    pub search: String,
    pub replace: String,
}

/// A verified edit GitHub can take as a review suggestion: inside one hunk
/// of the PR's diff, the checkout's lines there equal to the PR head's.
#[derive(Clone, Debug)]
pub struct Suggestion<'a> {
    pub group: &'a FixGroup,
    pub fix: &'a Fix,
    pub edit: &'a Edit,
    pub first: u64,
    pub last: u64,
    /// What replaces lines `first..=last` (empty: they are deleted).
    pub text: String,
}

impl Suggestion<'_> {
    /// 16 hex digits of (path, lines, replacement): the same suggestion has
    /// the same key on every run, so it is posted once.
    pub fn key(&self) -> String {
        use sha2::{Digest, Sha256};
        let hash = Sha256::digest(
            format!(
                "{}\0{}\0{}\0{}",
                self.edit.file, self.first, self.last, self.text
            )
            .as_bytes(),
        );
        hash[..8].iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }
}

/// The statuses of a fix (`fix::Status`); other entries (advice) are not fixes.
const FIX_STATUSES: &[&str] = &["verified", "unverified", "failed", "rejected"];

impl Fixes {
    /// Reads and checks a triage document; bad input is one line naming
    /// the file and the field.
    pub fn read(path: &Path) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new(format!("{name}: cannot read it: {e}")))?;
        let json: Value = serde_json::from_str(&text)
            .map_err(|e| InputError::new(format!("{name}: not a triage document (JSON: {e})")))?;
        Self::from_json(&json).map_err(|field| {
            InputError::new(format!("{name}: {}", crate::escape::control_chars(&field)))
        })
    }

    /// The fixes in a triage document, or which field is wrong.
    pub fn from_json(json: &Value) -> Result<Self, String> {
        let groups = array(json, "groups", "")?;
        let mut out = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let at = format!("groups[{i}]");
            let mut fixes = Vec::new();
            let mut advice = Vec::new();
            for (j, entry) in array(group, "suggestions", &at)?.iter().enumerate() {
                let at = format!("{at}.suggestions[{j}]");
                let status = string(entry, "status", &at)?;
                if FIX_STATUSES.contains(&status.as_str()) {
                    fixes.push(fix(entry, status, &at)?);
                } else if status == "advice" {
                    advice.push(Advice {
                        model: optional_string(entry, "model", &at)?,
                        text: string(entry, "text", &at)?,
                    });
                }
            }
            out.push(FixGroup {
                fingerprint: optional_string(group, "fingerprint", &at)?,
                priority: integer(group, "priority", &at)?,
                category: string(group, "category", &at)?,
                specialty: string(group, "specialty", &at)?,
                tests: array(group, "tests", &at)?.len(),
                fixes,
                advice,
            });
        }
        Ok(Self { groups: out })
    }

    /// Whether there is any fix with edits to show.
    pub fn any(&self) -> bool {
        self.groups.iter().flat_map(|g| &g.fixes).any(shown)
    }

    /// The fixes a comment shows, in order: verified first, then
    /// unverified, each in priority order; at most [`SHOWN`].
    fn ordered(&self) -> Vec<(&FixGroup, &Fix)> {
        let mut fixes: Vec<(&FixGroup, &Fix)> = self
            .groups
            .iter()
            .flat_map(|g| g.fixes.iter().map(move |f| (g, f)))
            .filter(|(_, f)| shown(f))
            .collect();
        // Stable: the document's order (priority, then votes) within a status.
        fixes.sort_by_key(|(g, f)| (f.status != "verified", g.priority));
        fixes
    }

    /// The verified edits that GitHub can take as review suggestions on the
    /// pull request whose diff is `hunks`, in priority order, at most
    /// [`SUGGESTED`] (whether or not the comment shows their fix).
    pub fn suggestions(&self, hunks: &Hunks, root: &Path) -> Vec<Suggestion<'_>> {
        self.ordered()
            .into_iter()
            .flat_map(|(group, fix)| {
                fix.edits
                    .iter()
                    .filter_map(move |edit| suggestion(group, fix, edit, hunks, root))
            })
            .take(SUGGESTED)
            .collect()
    }

    /// The "Suggested fixes" section: verified fixes first, then unverified
    /// ones, each group's in priority order. `hunks` are the pull request's
    /// (none: every edit is a diff); `posted` the review suggestions the
    /// comment links to instead; `root` is where the edited files are.
    pub fn markdown(&self, hunks: Option<&Hunks>, posted: &Posted, root: &Path) -> String {
        let fixes = self.ordered();
        let not_shown = self
            .groups
            .iter()
            .flat_map(|g| &g.fixes)
            .filter(|f| !shown(f))
            .count();
        if fixes.is_empty() && not_shown == 0 {
            return String::new();
        }
        let mut md = String::from("### Suggested fixes\n\n");
        if not_shown > 0 {
            let _ = writeln!(
                md,
                "{not_shown} candidate(s) failed verification or were refused; the triage lists them.\n"
            );
        }
        for (group, fix) in fixes.iter().take(SHOWN) {
            let votes = match fix.votes {
                1 => "1 vote".to_string(),
                n => format!("{n} votes"),
            };
            let _ = writeln!(
                md,
                "{} ({} test(s)): **{}** ({votes}; {}): {}\n",
                group_label(group),
                group.tests,
                markdown_inline(&fix.status),
                markdown_inline(&fix.model),
                markdown_inline(&fix.reason)
            );
            for edit in &fix.edits {
                let review = hunks
                    .and_then(|h| suggestion(group, fix, edit, h, root))
                    .and_then(|s| posted.get(&s.key()).map(|link| (s, link)));
                match review {
                    Some((s, link)) => md.push_str(&review_markdown(&s, link.as_deref())),
                    None => md.push_str(&edit_markdown(edit, hunks, root)),
                }
            }
        }
        if fixes.len() > SHOWN {
            let _ = writeln!(
                md,
                "… and {} more fix(es) in the triage.\n",
                fixes.len() - SHOWN
            );
        }
        md
    }

    /// The advice of the groups with `fingerprint`, for that group's
    /// section (empty when none).
    pub fn advice_for(&self, fingerprint: &str) -> String {
        self.groups
            .iter()
            .filter(|g| g.fingerprint == fingerprint)
            .map(advice_markdown)
            .collect()
    }

    /// A "Model advice" section for the groups whose fingerprint is not in
    /// `listed` (the report grouped its failures otherwise).
    pub fn other_advice(&self, listed: &BTreeSet<&str>) -> String {
        let groups: Vec<&FixGroup> = self
            .groups
            .iter()
            .filter(|g| !g.advice.is_empty() && !listed.contains(g.fingerprint.as_str()))
            .collect();
        if groups.is_empty() {
            return String::new();
        }
        let mut md = String::from("### Model advice\n\n");
        for group in groups.iter().take(SHOWN) {
            let _ = writeln!(md, "{} ({} test(s)):\n", group_label(group), group.tests);
            md.push_str(&advice_markdown(group));
        }
        if groups.len() > SHOWN {
            let _ = writeln!(
                md,
                "… and {} more group(s) with advice in the triage.\n",
                groups.len() - SHOWN
            );
        }
        md
    }
}

/// `**#1 assertion · test**`.
pub fn group_label(group: &FixGroup) -> String {
    format!(
        "**#{} {} · {}**",
        group.priority,
        markdown_inline(&group.category),
        markdown_inline(&group.specialty)
    )
}

/// A group's advice as quotes: escaped, at most [`ADVICE_SHOWN`] answers
/// of [`ADVICE_LINES`] lines and [`ADVICE_BYTES`] bytes each.
fn advice_markdown(group: &FixGroup) -> String {
    let mut md = String::new();
    for advice in group.advice.iter().take(ADVICE_SHOWN) {
        let _ = writeln!(
            md,
            "**Model advice** ({}; not verified):\n",
            markdown_inline(&advice.model)
        );
        let text = advice.text.trim();
        let kept = &text[..text.floor_char_boundary(ADVICE_BYTES)];
        let lines: Vec<&str> = kept.lines().collect();
        for line in lines.iter().map(|l| l.trim_end()).take(ADVICE_LINES) {
            match line.is_empty() {
                true => md.push_str(">\n"),
                false => {
                    let _ = writeln!(md, "> {}", markdown_inline(line));
                }
            }
        }
        if kept.len() < text.len() || lines.len() > ADVICE_LINES {
            md.push_str("> … (cut; the triage document has it all)\n");
        }
        md.push('\n');
    }
    if group.advice.len() > ADVICE_SHOWN {
        let _ = writeln!(
            md,
            "… and {} more answer(s) in the triage.\n",
            group.advice.len() - ADVICE_SHOWN
        );
    }
    md
}

/// A fix worth showing: verified or unverified, with edits.
fn shown(fix: &Fix) -> bool {
    matches!(fix.status.as_str(), "verified" | "unverified") && !fix.edits.is_empty()
}

/// `edit` as a review suggestion, when it can be one: verified, found once
/// in the checkout as whole lines GitHub can replace, short, free of
/// control and direction characters (one click commits it), and inside one
/// hunk whose lines are the checkout's.
fn suggestion<'a>(
    group: &'a FixGroup,
    fix: &'a Fix,
    edit: &'a Edit,
    hunks: &Hunks,
    root: &Path,
) -> Option<Suggestion<'a>> {
    if fix.status != "verified" {
        return None;
    }
    let found = located(root, edit)?;
    let text = found.new?;
    let fits =
        |t: &str| t.lines().count() <= EDIT_LINES && t.lines().all(|l| l.len() <= LINE_BYTES);
    if !fits(&found.old)
        || !fits(&text)
        || text.chars().any(|c| c != '\t' && c != '\n' && is_unsafe(c))
    {
        return None;
    }
    let head = hunks.lines(&edit.file, found.first, found.last)?;
    let same = head.len() == found.old.split('\n').count()
        && head.iter().zip(found.old.split('\n')).all(|(h, o)| h == o);
    same.then_some(Suggestion {
        group,
        fix,
        edit,
        first: found.first,
        last: found.last,
        text,
    })
}

/// The comment's line for an edit posted as a review suggestion.
fn review_markdown(suggestion: &Suggestion<'_>, link: Option<&str>) -> String {
    let target = match link {
        Some(url) => format!("[a review suggestion]({url})"),
        None => "a review suggestion".to_string(),
    };
    format!(
        "**{}**, {}: in this pull request's diff, posted as {target} (one click commits it).\n\n",
        markdown_inline(&suggestion.edit.file),
        lines(suggestion.first, suggestion.last)
    )
}

fn fix(entry: &Value, status: String, at: &str) -> Result<Fix, String> {
    let mut edits = Vec::new();
    for (k, edit) in array(entry, "edits", at)?.iter().enumerate() {
        let at = format!("{at}.edits[{k}]");
        edits.push(Edit {
            file: string(edit, "file", &at)?,
            search: string(edit, "search", &at)?,
            replace: string(edit, "replace", &at)?,
        });
    }
    Ok(Fix {
        status,
        reason: string(entry, "reason", at)?,
        votes: integer(entry, "votes", at)?,
        model: string(entry, "model", at)?,
        edits,
    })
}

fn field<'a>(value: &'a Value, key: &str, at: &str) -> Result<&'a Value, String> {
    value
        .get(key)
        .ok_or_else(|| format!("{}: missing", path(at, key)))
}

fn path(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// A string field that may be absent (`""` then), but not of another type.
fn optional_string(value: &Value, key: &str, at: &str) -> Result<String, String> {
    match value.get(key) {
        None => Ok(String::new()),
        Some(_) => string(value, key, at),
    }
}

fn string(value: &Value, key: &str, at: &str) -> Result<String, String> {
    field(value, key, at)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{}: not a string", path(at, key)))
}

fn integer(value: &Value, key: &str, at: &str) -> Result<u64, String> {
    field(value, key, at)?
        .as_u64()
        .ok_or_else(|| format!("{}: not a non-negative integer", path(at, key)))
}

fn array<'a>(value: &'a Value, key: &str, at: &str) -> Result<&'a Vec<Value>, String> {
    field(value, key, at)?
        .as_array()
        .ok_or_else(|| format!("{}: not an array", path(at, key)))
}

/// An edit as a diff of whole lines where it was found in the checkout,
/// else of its SEARCH and REPLACE texts.
fn edit_markdown(edit: &Edit, hunks: Option<&Hunks>, root: &Path) -> String {
    let file = format!("**{}**", markdown_inline(&edit.file));
    let found = located(root, edit);
    let place = match (&found, hunks) {
        (Some(at), Some(hunks)) => {
            let diff = match hunks.contains(&edit.file, at.first, at.last) {
                true => "in this pull request's diff",
                false => "outside this pull request's diff",
            };
            format!("{}, {diff}", lines(at.first, at.last))
        }
        // No diff known (the check run): where, not whether in the diff.
        (Some(at), None) => lines(at.first, at.last),
        (None, _) => "not found once in this checkout".to_string(),
    };
    let (header, old, new) = match &found {
        Some(at @ Located { new: Some(new), .. }) => {
            let count = |t: &str| t.split('\n').count() - usize::from(t.is_empty());
            (
                format!(
                    "@@ -{},{} +{},{} @@\n",
                    at.first,
                    count(&at.old),
                    at.first,
                    count(new)
                ),
                at.old.as_str(),
                new.as_str(),
            )
        }
        _ => (String::new(), edit.search.as_str(), edit.replace.as_str()),
    };
    let mut diff = header;
    for (sign, text) in [('-', old), ('+', new)] {
        for line in text.lines().take(EDIT_LINES) {
            let _ = writeln!(diff, "{sign}{}", cut(line));
        }
        let more = text.lines().count().saturating_sub(EDIT_LINES);
        if more > 0 {
            let _ = writeln!(diff, "{sign}… {more} more lines");
        }
    }
    format!("{file} ({place}):\n\n{}\n\n", fenced(&diff, "diff"))
}

fn lines(first: u64, last: u64) -> String {
    match first == last {
        true => format!("line {first}"),
        false => format!("lines {first}–{last}"),
    }
}

fn cut(line: &str) -> &str {
    &line[..line.floor_char_boundary(LINE_BYTES)]
}

/// `text` in a fenced block labelled `info`, its fence longer than any
/// backtick run that starts a line of it (so nothing inside can close it,
/// [`crate::escape::code_fence`]); control characters
/// other than tab, and direction and zero-width characters, made visible
/// escapes (so the block shows what it holds). Lines are kept as written:
/// a suggestion is code. An empty text is an empty block (a suggestion
/// that deletes its lines).
pub fn fenced(text: &str, info: &str) -> String {
    let cleaned: String = text
        .lines()
        .map(|l| {
            cut(l)
                .chars()
                .map(|c| match c != '\t' && is_unsafe(c) {
                    true => crate::escape::control_chars(c.encode_utf8(&mut [0; 4])).into_owned(),
                    false => c.to_string(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fence = crate::escape::code_fence(&cleaned);
    match cleaned.is_empty() {
        true => format!("{fence}{info}\n{fence}"),
        false => format!("{fence}{info}\n{cleaned}\n{fence}"),
    }
}

#[cfg(test)]
#[path = "fixes_tests.rs"]
mod tests;
