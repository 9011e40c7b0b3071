//! Reading SEARCH/REPLACE blocks (aider's format) out of a model's answer:
//!
//! ```text
//! path/to/file.py
//! <<<<<<< SEARCH
//! old lines
//! =======
//! new lines
//! >>>>>>> REPLACE
//! ```
//!
//! Models wrap these in code fences or not, put the path in backticks, on a
//! fence with a language tag (```` ```python path/x.py ````) or on the line
//! before the fence, write CRLF, and talk around the blocks. All of that is
//! accepted. A block whose path is missing or whose markers are broken is
//! reported as a problem, never a panic, and the other blocks still count.

use super::edit::Edit;

/// What one answer held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub edits: Vec<Edit>,
    /// One line per malformed block, saying what was wrong.
    pub problems: Vec<String>,
}

/// The edits of a model's answer, in the order written.
pub fn parse(answer: &str) -> Parsed {
    let text = answer.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut parsed = Parsed::default();
    // The file of the previous block, for a block that follows it in the
    // same fence without naming its own (aider writes them so).
    let mut previous_file: Option<String> = None;
    let mut in_fence = false;
    let mut index = 0;
    let mut block = 0;
    while index < lines.len() {
        let line = lines[index];
        if is_fence(line) {
            let bare = line.trim().trim_start_matches(['`', '~']).is_empty();
            if in_fence && bare {
                in_fence = false;
                previous_file = None;
            } else {
                in_fence = true;
            }
            index += 1;
            continue;
        }
        if !is_marker(line, '<', "SEARCH") {
            index += 1;
            continue;
        }
        block += 1;
        let file = path_before(&lines[..index]).or_else(|| previous_file.clone());
        match read_block(&lines, index + 1) {
            Ok((search, replace, next)) => {
                index = next;
                match file {
                    Some(file) => {
                        previous_file = Some(file.clone());
                        parsed.edits.push(Edit {
                            file,
                            search,
                            replace,
                        });
                    }
                    None => parsed.problems.push(format!(
                        "block {block}: no file path before `<<<<<<< SEARCH`"
                    )),
                }
            }
            Err((problem, next)) => {
                parsed.problems.push(format!("block {block}: {problem}"));
                index = next;
            }
        }
    }
    parsed
}

/// The SEARCH and REPLACE texts from the line after `<<<<<<< SEARCH`, and
/// the line after `>>>>>>> REPLACE`; or what was wrong and where to go on.
fn read_block(lines: &[&str], start: usize) -> Result<(String, String, usize), (String, usize)> {
    let mut search = Vec::new();
    let mut index = start;
    loop {
        let Some(line) = lines.get(index) else {
            return Err(("no `=======` after `<<<<<<< SEARCH`".into(), index));
        };
        if is_divider(line) {
            break;
        }
        if is_marker(line, '<', "SEARCH") || is_marker(line, '>', "REPLACE") {
            return Err(("no `=======` between SEARCH and REPLACE".into(), index));
        }
        search.push(*line);
        index += 1;
    }
    let mut replace = Vec::new();
    index += 1;
    loop {
        let Some(line) = lines.get(index) else {
            return Err(("no `>>>>>>> REPLACE` at the end".into(), index));
        };
        if is_marker(line, '>', "REPLACE") {
            return Ok((joined(&search), joined(&replace), index + 1));
        }
        if is_marker(line, '<', "SEARCH") || is_divider(line) {
            return Err(("no `>>>>>>> REPLACE` before the next marker".into(), index));
        }
        replace.push(*line);
        index += 1;
    }
}

/// Lines as text, each ending in `\n`; nothing for no lines.
fn joined(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `<<<<<<< SEARCH`, `>>>>>>> REPLACE`: 5 to 9 marker characters (models
/// miscount), an optional space, the word.
fn is_marker(line: &str, mark: char, word: &str) -> bool {
    let line = line.trim();
    let rest = line.trim_start_matches(mark);
    let count = line.len() - rest.len();
    (5..=9).contains(&count) && rest.trim_start() == word
}

fn is_divider(line: &str) -> bool {
    let line = line.trim();
    (5..=9).contains(&line.len()) && line.chars().all(|c| c == '=')
}

fn is_fence(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("```") || line.starts_with("~~~")
}

/// The path on a fence line (```` ```python src/x.py ````), if it has one.
fn fence_path(line: &str) -> Option<String> {
    let info = line.trim().trim_start_matches(['`', '~']);
    info.split_whitespace().rev().find_map(as_path)
}

/// The file a block belongs to: the nearest line above it that is a path,
/// looking past blank lines and one opening fence (whose own info string
/// may carry the path).
fn path_before(lines: &[&str]) -> Option<String> {
    let mut rest = lines.iter().rev().filter(|line| !line.trim().is_empty());
    let nearest = rest.next()?;
    if is_fence(nearest) {
        return fence_path(nearest).or_else(|| rest.next().and_then(|line| as_path(line)));
    }
    as_path(nearest)
}

/// `line` as a path, when it reads as one: `src/a.py`, `` `src/a.py` ``,
/// `**src/a.py**`, `File: src/a.py`, `# src/a.py:`, or a sentence ending in
/// a colon whose last backticked word is a path (``In `src/a.py`:``). A path
/// has no spaces, and an extension or a directory (`Done.` is prose,
/// `Makefile` alone too).
fn as_path(line: &str) -> Option<String> {
    bare_path(line).or_else(|| {
        let line = line.trim();
        if !line.ends_with(':') {
            return None;
        }
        line.split('`')
            .skip(1)
            .step_by(2)
            .filter_map(bare_path)
            .last()
    })
}

fn bare_path(line: &str) -> Option<String> {
    let mut text = line.trim();
    for prefix in ["#", "//", "File:", "file:", "Path:", "path:", "Filename:"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start();
        }
    }
    let text = text
        .trim_end_matches(':')
        .trim_matches(|c| matches!(c, '`' | '*' | '"' | '\''))
        .trim_end_matches(':');
    let name = text.rsplit('/').next().unwrap_or(text);
    let has_extension = name.rsplit_once('.').is_some_and(|(_, ext)| {
        (1..=10).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
    });
    let looks_like_path = !text.is_empty()
        && text.len() < 512
        && !text.chars().any(char::is_whitespace)
        && (has_extension || (text.contains('/') && !text.ends_with('/')))
        && !text.starts_with("<<<")
        && !text.starts_with("===")
        && !text.starts_with(">>>");
    looks_like_path.then(|| text.to_string())
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
