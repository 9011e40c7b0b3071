//! Applying a SEARCH/REPLACE edit to a file's text: pure functions, no I/O.
//!
//! A SEARCH must match exactly one place, as whole lines. The exact text is
//! tried first; only when it matches nowhere, the same lines ignoring
//! trailing whitespace, then ignoring indentation (the replacement is
//! re-indented by the same amount), then without the blank lines a model
//! put around it. A looser match counts only where it is unique: two places
//! at any step are a rejection, never a guess.

use std::collections::BTreeMap;

use super::edit::Edit;

/// Why an edit does not apply.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("the SEARCH text is empty")]
    EmptySearch,
    #[error("the SEARCH text matches nowhere in {file}")]
    NotFound { file: String },
    #[error("the SEARCH text matches {count} places in {file}")]
    Ambiguous { file: String, count: usize },
    #[error("{file} does not exist or is not text")]
    NoFile { file: String },
}

/// How loosely lines are compared, strictest first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Exact,
    TrailingSpace,
    Indentation,
}

impl Level {
    fn same(self, file_line: &str, search_line: &str) -> bool {
        match self {
            Level::Exact => file_line == search_line,
            Level::TrailingSpace => file_line.trim_end() == search_line.trim_end(),
            Level::Indentation => file_line.trim() == search_line.trim(),
        }
    }
}

/// `content` with the one place matching `search` replaced by `replace`.
/// `file` only names the file in errors.
pub fn apply(file: &str, content: &str, search: &str, replace: &str) -> Result<String, ApplyError> {
    let search: Vec<&str> = search.lines().collect();
    if search.iter().all(|l| l.trim().is_empty()) {
        return Err(ApplyError::EmptySearch);
    }
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let bodies: Vec<&str> = lines.iter().map(|l| strip_eol(l)).collect();
    let trimmed = trim_blank_lines(&search);
    let mut attempts = vec![&search[..]];
    if trimmed.len() != search.len() {
        attempts.push(trimmed);
    }
    for search in attempts {
        for level in [Level::Exact, Level::TrailingSpace, Level::Indentation] {
            let starts = matches(&bodies, search, level);
            match starts.as_slice() {
                [] => continue,
                [start] => return Ok(splice(&lines, *start, search, replace, level)),
                several => {
                    return Err(ApplyError::Ambiguous {
                        file: file.to_string(),
                        count: several.len(),
                    });
                }
            }
        }
    }
    Err(ApplyError::NotFound {
        file: file.to_string(),
    })
}

/// Every edit applied in order to the files' texts (`originals`, by path):
/// the changed files' new texts, or the first edit that did not apply.
pub fn apply_all(
    originals: &BTreeMap<String, String>,
    edits: &[Edit],
) -> Result<BTreeMap<String, String>, ApplyError> {
    let mut changed: BTreeMap<String, String> = BTreeMap::new();
    for edit in edits {
        let current = match changed
            .get(&edit.file)
            .or_else(|| originals.get(&edit.file))
        {
            Some(text) => text,
            None => {
                return Err(ApplyError::NoFile {
                    file: edit.file.clone(),
                });
            }
        };
        let next = apply(&edit.file, current, &edit.search, &edit.replace)?;
        changed.insert(edit.file.clone(), next);
    }
    Ok(changed)
}

fn strip_eol(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

fn trim_blank_lines<'a, 'b>(lines: &'b [&'a str]) -> &'b [&'a str] {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |i| i + 1);
    &lines[start..end]
}

/// The line indexes where `search` starts, compared at `level`.
fn matches(bodies: &[&str], search: &[&str], level: Level) -> Vec<usize> {
    if search.len() > bodies.len() {
        return Vec::new();
    }
    (0..=bodies.len() - search.len())
        .filter(|&start| {
            search
                .iter()
                .zip(&bodies[start..])
                .all(|(s, f)| level.same(f, s))
        })
        .collect()
}

/// The file with `lines[start..start + search.len()]` replaced, in the
/// file's own line endings, re-indented when matched ignoring indentation.
fn splice(lines: &[&str], start: usize, search: &[&str], replace: &str, level: Level) -> String {
    let end = start + search.len();
    let eol = if lines.iter().any(|l| l.ends_with("\r\n")) {
        "\r\n"
    } else {
        "\n"
    };
    let shift = if level == Level::Indentation {
        indent_shift(strip_eol_all(&lines[start..end]), search)
    } else {
        Shift::None
    };
    let mut out = String::new();
    for line in &lines[..start] {
        out.push_str(line);
    }
    let last_has_eol = lines[end - 1].ends_with('\n');
    let replacement: Vec<&str> = replace.lines().collect();
    for (index, line) in replacement.iter().enumerate() {
        out.push_str(&shift.apply(line));
        if index + 1 < replacement.len() || last_has_eol {
            out.push_str(eol);
        }
    }
    for line in &lines[end..] {
        out.push_str(line);
    }
    out
}

fn strip_eol_all<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    lines.iter().map(|l| strip_eol(l)).collect()
}

/// How the replacement's indentation moves to fit where its SEARCH matched.
enum Shift {
    None,
    Add(String),
    Remove(String),
}

impl Shift {
    fn apply(&self, line: &str) -> String {
        match self {
            Shift::Add(prefix) if !line.trim().is_empty() => format!("{prefix}{line}"),
            Shift::Remove(prefix) => line
                .strip_prefix(prefix.as_str())
                .unwrap_or(line)
                .to_string(),
            _ => line.to_string(),
        }
    }
}

/// The difference in indentation between the first non-blank SEARCH line
/// and the file line it matched, when one is a prefix of the other.
fn indent_shift(found: Vec<&str>, search: &[&str]) -> Shift {
    let Some(index) = search.iter().position(|l| !l.trim().is_empty()) else {
        return Shift::None;
    };
    let indent = |l: &str| l[..l.len() - l.trim_start().len()].to_string();
    let (have, wrote) = (indent(found[index]), indent(search[index]));
    if let Some(extra) = have.strip_suffix(wrote.as_str()).filter(|e| !e.is_empty()) {
        Shift::Add(extra.to_string())
    } else if let Some(extra) = wrote.strip_suffix(have.as_str()).filter(|e| !e.is_empty()) {
        Shift::Remove(extra.to_string())
    } else {
        Shift::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALC: &str = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n";

    #[test]
    fn an_exact_unique_match_is_replaced() {
        let out = apply(
            "calc.py",
            CALC,
            "def add(a, b):\n    return a - b\n",
            "def add(a, b):\n    return a + b\n",
        )
        .unwrap();
        assert_eq!(
            out,
            "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
        );
    }

    #[test]
    fn two_matches_are_rejected_not_guessed() {
        let err = apply("calc.py", CALC, "    return a - b\n", "    return a + b\n").unwrap_err();
        assert_eq!(
            err,
            ApplyError::Ambiguous {
                file: "calc.py".into(),
                count: 2
            }
        );
        assert_eq!(
            err.to_string(),
            "the SEARCH text matches 2 places in calc.py"
        );
    }

    #[test]
    fn no_match_is_rejected() {
        let err = apply("calc.py", CALC, "return a * b\n", "x\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the SEARCH text matches nowhere in calc.py"
        );
        // A partial line is no match: SEARCH is whole lines.
        assert!(apply("calc.py", CALC, "a - b\n", "a + b\n").is_err());
        assert_eq!(
            apply("calc.py", CALC, "\n  \n", "x\n").unwrap_err(),
            ApplyError::EmptySearch
        );
    }

    #[test]
    fn trailing_whitespace_and_crlf_are_tolerated_and_the_file_keeps_its_endings() {
        let crlf = "a = 1\r\nb = 2  \r\nc = 3\r\n";
        let out = apply("x.py", crlf, "b = 2\n", "b = 20\n").unwrap();
        assert_eq!(out, "a = 1\r\nb = 20\r\nc = 3\r\n");
    }

    #[test]
    fn indentation_is_tolerated_and_the_replacement_reindented() {
        let file = "class T:\n    def f(self):\n        return 1\n";
        let out = apply(
            "t.py",
            file,
            "def f(self):\n    return 1\n",
            "def f(self):\n    return 2\n",
        )
        .unwrap();
        assert_eq!(out, "class T:\n    def f(self):\n        return 2\n");
        let out = apply(
            "t.py",
            file,
            "            return 1\n",
            "            return 3\n",
        )
        .unwrap();
        assert_eq!(out, "class T:\n    def f(self):\n        return 3\n");
    }

    #[test]
    fn a_loose_match_counts_only_where_unique() {
        // Exact: nowhere; ignoring indentation: two places.
        let file = "if a:\n    x = 1\nif b:\n        x = 1\n";
        let err = apply("f.py", file, "  x = 1\n", "  x = 2\n").unwrap_err();
        assert!(
            matches!(err, ApplyError::Ambiguous { count: 2, .. }),
            "{err}"
        );
        // Exact wins over a looser match elsewhere.
        let out = apply("f.py", file, "    x = 1\n", "    x = 2\n").unwrap();
        assert_eq!(out, "if a:\n    x = 2\nif b:\n        x = 1\n");
    }

    #[test]
    fn blank_lines_around_the_search_are_forgiven_and_empty_replace_deletes() {
        let out = apply(
            "calc.py",
            CALC,
            "\ndef sub(a, b):\n    return a - b\n\n",
            "",
        )
        .unwrap();
        assert_eq!(out, "def add(a, b):\n    return a - b\n\n\n");
    }

    #[test]
    fn a_last_line_without_newline_stays_without() {
        let out = apply("x", "a\nb", "b\n", "c\n").unwrap();
        assert_eq!(out, "a\nc");
    }

    #[test]
    fn edits_apply_in_order_and_name_a_missing_file() {
        let originals = BTreeMap::from([("a.py".to_string(), "x = 1\ny = 1\n".to_string())]);
        let edits = [
            Edit::new("a.py", "x = 1\n", "x = 2\n"),
            Edit::new("a.py", "x = 2\ny = 1\n", "x = 3\ny = 3\n"),
        ];
        let out = apply_all(&originals, &edits).unwrap();
        assert_eq!(out["a.py"], "x = 3\ny = 3\n");
        let err = apply_all(&originals, &[Edit::new("b.py", "x\n", "y\n")]).unwrap_err();
        assert_eq!(err.to_string(), "b.py does not exist or is not text");
    }
}
