//! The pull request's diff, from the files API's `patch`: per file, each
//! hunk's new side (context and added lines; a removed line has no number
//! there), with the text of every line.
//!
//! GitHub anchors a review comment on `side: RIGHT` lines of one hunk
//! only. The text is kept so a suggestion is posted only where the lines
//! pitcrew found in its checkout are the lines of the PR's head: a
//! `pull_request` job checks out a merge commit, whose lines may differ.

use std::collections::BTreeMap;

/// Every file's hunks (files without a patch have none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hunks(BTreeMap<String, Vec<Hunk>>);

/// One hunk's new side: its first line's number and each line's text.
#[derive(Clone, Debug, PartialEq)]
struct Hunk {
    start: u64,
    lines: Vec<String>,
}

impl Hunks {
    /// From the PR files API: each file's name and `patch` (absent for a
    /// binary file or a diff GitHub finds too large).
    pub fn from_patches<'a>(files: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Self {
        let mut hunks = BTreeMap::new();
        for (file, patch) in files {
            let parsed: Vec<Hunk> = patch.map(parse).unwrap_or_default();
            if !parsed.is_empty() {
                hunks.insert(file.to_string(), parsed);
            }
        }
        Self(hunks)
    }

    /// Whether lines `first..=last` of `file` lie inside one hunk.
    pub fn contains(&self, file: &str, first: u64, last: u64) -> bool {
        self.lines(file, first, last).is_some()
    }

    /// The new-side text of lines `first..=last` of `file`, when they lie
    /// inside one hunk.
    pub fn lines(&self, file: &str, first: u64, last: u64) -> Option<&[String]> {
        if first == 0 || last < first {
            return None;
        }
        self.0.get(file)?.iter().find_map(|hunk| {
            let from = usize::try_from(first.checked_sub(hunk.start)?).ok()?;
            let to = usize::try_from(last - hunk.start).ok()?;
            hunk.lines.get(from..=to)
        })
    }
}

/// The hunks of one file's patch. Lines beyond a hunk's stated count are
/// dropped; a patch cut short keeps the lines it has.
fn parse(patch: &str) -> Vec<Hunk> {
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut room = 0u64;
    for line in patch.lines() {
        if let Some((start, count)) = header(line) {
            hunks.push(Hunk {
                start,
                lines: Vec::new(),
            });
            room = count;
            continue;
        }
        let Some(hunk) = hunks.last_mut() else {
            continue;
        };
        // `-` (old side only) and `\ No newline at end of file` have no
        // new-side line; an empty line is a context line whose space was
        // stripped.
        let text = match line.as_bytes().first() {
            None => "",
            Some(b' ' | b'+') => &line[1..],
            _ => continue,
        };
        if room > 0 {
            hunk.lines.push(text.trim_end_matches('\r').to_string());
            room -= 1;
        }
    }
    hunks.retain(|h| !h.lines.is_empty());
    hunks
}

/// `@@ -10,4 +12,6 @@ fn x` → (12, 6): the new side's start and count.
fn header(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("@@ -")?;
    let plus = rest.split_once(" +")?.1;
    let spec = plus.split_once(" @@")?.0;
    match spec.split_once(',') {
        Some((s, c)) => Some((s.parse().ok()?, c.parse().ok()?)),
        None => Some((spec.parse().ok()?, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two hunks: lines 1-4 (context, added, context, context) and 30-31
    /// (added after a removed line); `\ No newline` ends it.
    const PATCH: &str = "@@ -1,3 +1,4 @@ def total(items):\n x = 1\n+y = 2\n z = 3\n \n@@ -20,2 +30,2 @@\n-a\n+b\n c\n\\ No newline at end of file";

    fn hunks() -> Hunks {
        Hunks::from_patches([
            ("shop/cart.py", Some(PATCH)),
            ("logo.png", None),
            ("gone.py", Some("@@ -1,3 +0,0 @@\n-a\n-b\n-c")),
        ])
    }

    #[test]
    fn context_and_added_lines_are_on_the_new_side_removed_ones_are_not() {
        let h = hunks();
        let text = |first, last| h.lines("shop/cart.py", first, last).map(<[String]>::to_vec);
        assert_eq!(
            text(1, 4),
            Some(vec![
                "x = 1".into(),
                "y = 2".into(),
                "z = 3".into(),
                "".into()
            ])
        );
        assert_eq!(text(30, 31), Some(vec!["b".into(), "c".into()]));
        assert_eq!(text(31, 31), Some(vec!["c".into()]));
    }

    #[test]
    fn a_range_must_lie_inside_one_hunk() {
        let h = hunks();
        assert!(h.contains("shop/cart.py", 1, 4));
        assert!(!h.contains("shop/cart.py", 4, 5), "across a hunk's end");
        assert!(!h.contains("shop/cart.py", 29, 30), "before a hunk's start");
        assert!(!h.contains("shop/cart.py", 4, 30), "across two hunks");
        assert!(!h.contains("shop/cart.py", 32, 32), "after the last line");
        assert!(!h.contains("shop/cart.py", 0, 1));
        assert!(!h.contains("shop/cart.py", 3, 2));
        assert!(!h.contains("other.py", 1, 1));
    }

    #[test]
    fn binary_too_large_and_deleted_files_have_no_hunks() {
        let h = hunks();
        assert!(
            !h.contains("logo.png", 1, 1),
            "no patch: binary or too large"
        );
        assert!(!h.contains("gone.py", 1, 1), "deleted: no new side");
        assert_eq!(Hunks::from_patches([("x", Some(""))]), Hunks::default());
    }

    #[test]
    fn a_patch_cut_short_keeps_what_it_has_and_extra_lines_are_dropped() {
        let short = Hunks::from_patches([("a", Some("@@ -1,5 +1,5 @@\n a\n b"))]);
        assert!(short.contains("a", 1, 2));
        assert!(!short.contains("a", 3, 3));
        let long = Hunks::from_patches([("a", Some("@@ -1 +1 @@\n-a\n+b\n+c"))]);
        assert_eq!(long.lines("a", 1, 1), Some(&["b".to_string()][..]));
        assert!(!long.contains("a", 2, 2));
        let crlf = Hunks::from_patches([("a", Some("@@ -1 +1 @@\r\n+b\r\n"))]);
        assert_eq!(crlf.lines("a", 1, 1), Some(&["b".to_string()][..]));
    }
}
