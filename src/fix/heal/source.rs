//! Where in the test file the failing locator is, and the search/replace
//! edit that swaps it for another.

/// Lines of context added on each side, at most, to make a search unique.
const MAX_CONTEXT: usize = 5;

/// The line (from 1) of `file` the failure points at: the first stack
/// frame in that file (`at /abs/tests/a.spec.ts:7:65`), else the line the
/// code frame marks with `>` (`>  7 |   await …`).
pub fn failing_line(details: &str, file: &str) -> Option<usize> {
    stack_line(details, file).or_else(|| marked_line(details))
}

/// The line of the first stack frame in `file`.
pub fn stack_line(details: &str, file: &str) -> Option<usize> {
    let want: Vec<&str> = components(file);
    if want.is_empty() {
        return None;
    }
    frames(details)
        .find(|(path, _)| components(path).ends_with(&want))
        .map(|(_, line)| line)
}

/// The (path, line) of every stack frame: `at fn (path:line:col)` or
/// `at path:line:col`, a `file://` URL as a path.
pub fn frames(details: &str) -> impl Iterator<Item = (&str, usize)> {
    details.lines().filter_map(|line| {
        let at = line.trim_start().strip_prefix("at ")?;
        let location = at
            .rsplit_once('(')
            .map_or(at, |(_, l)| l)
            .trim_end_matches(')');
        let mut parts = location.rsplitn(3, ':');
        let (_column, number, path) = (parts.next()?, parts.next()?, parts.next()?);
        let path = path.strip_prefix("file://").unwrap_or(path);
        Some((path, number.parse().ok()?))
    })
}

fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .collect()
}

fn marked_line(details: &str) -> Option<usize> {
    details.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix('>')?;
        let (number, _) = rest.split_once('|')?;
        number.trim().parse().ok()
    })
}

/// A search/replace pair for replacing `old` (a byte range of line
/// `number`, from 1) with `new`: the line itself, widened by neighbouring
/// lines until the search occurs once in `source`. None when the line is
/// not there or no context up to [`MAX_CONTEXT`] makes it unique.
pub fn edit_for(
    source: &str,
    number: usize,
    old: std::ops::Range<usize>,
    new: &str,
) -> Option<(String, String)> {
    let lines: Vec<&str> = source.split('\n').collect();
    let index = number.checked_sub(1)?;
    let line = lines.get(index)?.trim_end_matches('\r');
    let replaced = format!("{}{new}{}", line.get(..old.start)?, line.get(old.end..)?);
    let eol = if lines[index].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    for context in 0..=MAX_CONTEXT {
        let first = index.saturating_sub(context);
        let last = (index + context).min(lines.len() - 1);
        let block = |middle: &str| {
            let mut parts: Vec<&str> = lines[first..=last]
                .iter()
                .map(|l| l.trim_end_matches('\r'))
                .collect();
            parts[index - first] = middle;
            parts.join(eol)
        };
        let search = block(line);
        if source.matches(search.as_str()).count() == 1 {
            return Some((search, block(&replaced)));
        }
        if first == 0 && last == lines.len() - 1 {
            break;
        }
    }
    None
}
