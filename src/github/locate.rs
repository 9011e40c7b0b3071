//! Where a search/replace edit applies in the checkout, in whole lines:
//! what a review suggestion replaces (`first..=last`) and puts there.

use std::path::Path;

use super::fixes::Edit;

/// An edit found once in the checkout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub first: u64,
    pub last: u64,
    /// Lines `first..=last` as they are (without the last newline).
    pub old: String,
    /// The same lines with the edit applied (without the last newline), or
    /// `None` when the edit joins the last line to the next one, which a
    /// suggestion for those lines cannot say.
    pub new: Option<String>,
}

/// Where an edit's SEARCH text is in the checked-out file: its first and
/// last line, when it occurs exactly once. `None` when the file is not
/// here (a `workflow_run` job checks nothing out), the path leaves the
/// tree, or the text is not found once.
pub fn locate(root: &Path, edit: &Edit) -> Option<(u64, u64)> {
    located(root, edit).map(|l| (l.first, l.last))
}

/// As [`locate`], with the lines before and after the edit. A SEARCH text
/// that starts or ends inside a line takes the rest of that line along.
pub fn located(root: &Path, edit: &Edit) -> Option<Located> {
    if edit.search.trim().is_empty() {
        return None;
    }
    // The edit's path is a model's words, from a triage document: read only
    // a regular file of the checkout, through no symlink and not in `.git`
    // (what is read is quoted on the pull request).
    let root = root.canonicalize().ok()?;
    let relative = crate::fix::reject::readable(&root, std::slice::from_ref(&edit.file)).pop()?;
    let text = std::fs::read_to_string(root.join(relative)).ok()?;
    let text = text.replace("\r\n", "\n");
    let search = edit.search.replace("\r\n", "\n");
    let replace = edit.replace.replace("\r\n", "\n");
    let mut found = text.match_indices(search.as_str());
    let (at, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let end = at + search.len();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let stop = match search.ends_with('\n') {
        true => end,
        false => text[end..].find('\n').map_or(text.len(), |i| end + i + 1),
    };
    let old_span = &text[start..stop];
    let new_span = format!("{}{replace}{}", &text[start..at], &text[end..stop]);
    let old = old_span.strip_suffix('\n').unwrap_or(old_span);
    let first = text[..start].matches('\n').count() as u64 + 1;
    let last = first + old.matches('\n').count() as u64;
    let new = match (old_span.ends_with('\n'), new_span.strip_suffix('\n')) {
        (true, Some(lines)) => Some(lines.to_string()),
        // Every line deleted: an empty suggestion.
        (true, None) if new_span.is_empty() => Some(String::new()),
        (true, None) => None,
        (false, lines) => Some(lines.unwrap_or(&new_span).to_string()),
    };
    Some(Located {
        first,
        last,
        old: old.to_string(),
        new,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(file: &str, search: &str, replace: &str) -> Edit {
        Edit {
            file: file.into(),
            search: search.into(),
            replace: replace.into(),
        }
    }

    fn checkout(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), text).unwrap();
        dir
    }

    #[test]
    fn a_search_inside_a_line_takes_the_whole_line() {
        let dir = checkout("x = 1\ny = total(a, b)\nz = 3\n");
        let found = located(dir.path(), &edit("a.py", "a, b", "b, a")).unwrap();
        assert_eq!((found.first, found.last), (2, 2));
        assert_eq!(found.old, "y = total(a, b)");
        assert_eq!(found.new.as_deref(), Some("y = total(b, a)"));
    }

    #[test]
    fn whole_lines_deleted_replaced_and_joined() {
        let dir = checkout("x = 1\ny = 2\nz = 3\n");
        let deleted = located(dir.path(), &edit("a.py", "y = 2\nz = 3\n", "")).unwrap();
        assert_eq!((deleted.first, deleted.last), (2, 3));
        assert_eq!(deleted.new.as_deref(), Some(""));
        let grown = located(dir.path(), &edit("a.py", "y = 2\n", "y = 2\nw = 4\n")).unwrap();
        assert_eq!(grown.new.as_deref(), Some("y = 2\nw = 4"));
        // `y = 2\n` → `y = ` joins line 2 to line 3: not a suggestion.
        let joined = located(dir.path(), &edit("a.py", "y = 2\n", "y = ")).unwrap();
        assert_eq!(joined.new, None);
    }

    #[test]
    fn the_last_line_without_a_newline_and_crlf_files() {
        let dir = checkout("x = 1\r\ny = 2");
        let found = located(dir.path(), &edit("a.py", "y = 2", "y = 3")).unwrap();
        assert_eq!((found.first, found.last), (2, 2));
        assert_eq!(found.new.as_deref(), Some("y = 3"));
    }
}
