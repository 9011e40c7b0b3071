//! Suggested fixes in the sticky comment, from a triage document
//! (`pitcrew triage --fix … --format json`, given to `report --triage`).
//!
//! Verified fixes come first. An edit whose lines lie inside one of the
//! pull request's diff hunks is shown as a ```` ```suggestion ```` block
//! (the replacement for those lines, as GitHub's review suggestions take
//! it); any other edit as a ```` ```diff ````. Every text in the document
//! is untrusted (a model wrote the edits): paths are escaped, and each
//! block's fence is longer than any backtick run inside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path};

use serde_json::Value;

use crate::InputError;
use crate::escape::markdown_inline;

/// Fixes shown in a comment; the others are counted.
const SHOWN: usize = 10;
/// An edit longer than this (lines, either side) is cut, and shown as a diff.
const EDIT_LINES: usize = 120;
/// Longest line kept in a block (bytes).
const LINE_BYTES: usize = 500;

/// The fixes of a triage document, by group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fixes {
    pub groups: Vec<FixGroup>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FixGroup {
    pub priority: u64,
    pub category: String,
    pub specialty: String,
    pub tests: usize,
    pub fixes: Vec<Fix>,
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
            for (j, entry) in array(group, "suggestions", &at)?.iter().enumerate() {
                let at = format!("{at}.suggestions[{j}]");
                let status = string(entry, "status", &at)?;
                if FIX_STATUSES.contains(&status.as_str()) {
                    fixes.push(fix(entry, status, &at)?);
                }
            }
            out.push(FixGroup {
                priority: integer(group, "priority", &at)?,
                category: string(group, "category", &at)?,
                specialty: string(group, "specialty", &at)?,
                tests: array(group, "tests", &at)?.len(),
                fixes,
            });
        }
        Ok(Self { groups: out })
    }

    /// Whether there is any fix with edits to show.
    pub fn any(&self) -> bool {
        self.groups.iter().flat_map(|g| &g.fixes).any(shown)
    }

    /// The "Suggested fixes" section: verified fixes first, then unverified
    /// ones, each group's in priority order. `hunks` are the pull request's
    /// (none: every edit is a diff); `root` is where the edited files are.
    pub fn markdown(&self, hunks: Option<&Hunks>, root: &Path) -> String {
        let mut fixes: Vec<(&FixGroup, &Fix)> = self
            .groups
            .iter()
            .flat_map(|g| g.fixes.iter().map(move |f| (g, f)))
            .filter(|(_, f)| shown(f))
            .collect();
        // Stable: the document's order (priority, then votes) within a status.
        fixes.sort_by_key(|(g, f)| (f.status != "verified", g.priority));
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
                "**#{} {} · {}** ({} test(s)): **{}** ({votes}; {}): {}\n",
                group.priority,
                markdown_inline(&group.category),
                markdown_inline(&group.specialty),
                group.tests,
                markdown_inline(&fix.status),
                markdown_inline(&fix.model),
                markdown_inline(&fix.reason)
            );
            for edit in &fix.edits {
                md.push_str(&edit_markdown(edit, hunks, root));
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
}

/// A fix worth showing: verified or unverified, with edits.
fn shown(fix: &Fix) -> bool {
    matches!(fix.status.as_str(), "verified" | "unverified") && !fix.edits.is_empty()
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

/// The pull request's diff hunks: per file, the new side's line ranges
/// (context lines included: GitHub takes a suggestion on any of them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hunks(BTreeMap<String, Vec<(u64, u64)>>);

impl Hunks {
    /// From the PR files API: each file's name and `patch` (absent for a
    /// binary file or a diff GitHub finds too large).
    pub fn from_patches<'a>(files: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Self {
        let mut hunks = BTreeMap::new();
        for (file, patch) in files {
            let ranges: Vec<(u64, u64)> = patch
                .map(|p| p.lines().filter_map(new_range).collect())
                .unwrap_or_default();
            if !ranges.is_empty() {
                hunks.insert(file.to_string(), ranges);
            }
        }
        Self(hunks)
    }

    /// Whether lines `first..=last` of `file` lie inside one hunk.
    pub fn contains(&self, file: &str, first: u64, last: u64) -> bool {
        self.0.get(file).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(start, end)| start <= first && last <= end)
        })
    }
}

/// `@@ -10,4 +12,6 @@ fn x` → lines 12..=17 of the new file.
fn new_range(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("@@ -")?;
    let plus = rest.split_once(" +")?.1;
    let spec = plus.split_once(" @@")?.0;
    let (start, count) = match spec.split_once(',') {
        Some((s, c)) => (s.parse::<u64>().ok()?, c.parse::<u64>().ok()?),
        None => (spec.parse::<u64>().ok()?, 1),
    };
    (count > 0).then(|| (start, start + count - 1))
}

/// Where an edit's SEARCH text is in the checked-out file: its first and
/// last line, when it occurs exactly once. `None` when the file is not
/// here (a `workflow_run` job checks nothing out), the path leaves the
/// tree, or the text is not found once.
pub fn locate(root: &Path, edit: &Edit) -> Option<(u64, u64)> {
    let relative = Path::new(&edit.file);
    let inside = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside || edit.search.trim().is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(relative)).ok()?;
    let text = text.replace("\r\n", "\n");
    let search = edit.search.replace("\r\n", "\n");
    let mut found = text.match_indices(search.as_str());
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let first = text[..at].matches('\n').count() as u64 + 1;
    let last = first + search.trim_end_matches('\n').matches('\n').count() as u64;
    Some((first, last))
}

fn edit_markdown(edit: &Edit, hunks: Option<&Hunks>, root: &Path) -> String {
    let file = format!("**{}**", markdown_inline(&edit.file));
    let location = locate(root, edit);
    let replace_lines = edit.replace.lines().count();
    // A suggestion is taken whole: one that would be cut is a diff instead.
    let too_long = [&edit.search, &edit.replace]
        .iter()
        .any(|t| t.lines().count() > EDIT_LINES || t.lines().any(|l| l.len() > LINE_BYTES));
    match location {
        Some((first, last))
            if !too_long && hunks.is_some_and(|h| h.contains(&edit.file, first, last)) =>
        {
            format!(
                "{file}, {}: in this pull request's diff, as a suggestion for those lines:\n\n{}\n\n",
                lines(first, last),
                fenced(&edit.replace, "suggestion")
            )
        }
        _ => {
            let (header, place) = match location {
                Some((first, last)) => (
                    format!(
                        "@@ -{first},{} +{first},{replace_lines} @@\n",
                        last - first + 1
                    ),
                    format!("{}, outside this pull request's diff", lines(first, last)),
                ),
                None => (String::new(), "not found once in this checkout".to_string()),
            };
            let mut diff = header;
            for (sign, text) in [('-', &edit.search), ('+', &edit.replace)] {
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
    }
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
/// backtick run in it (so nothing inside can close it), control characters
/// other than tab made spaces. Lines are kept as written: a suggestion is code.
pub fn fenced(text: &str, info: &str) -> String {
    let cleaned: String = text
        .lines()
        .map(|l| {
            cut(l)
                .chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let longest = cleaned.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{info}\n{cleaned}\n{fence}")
}

#[cfg(test)]
#[path = "fixes_tests.rs"]
mod tests;
