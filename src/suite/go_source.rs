//! A package's top-level tests read from its test files, for when
//! `go test -list` cannot say: it runs the package's `TestMain`, and one
//! that exits before `m.Run` (a setup that failed this time) lists nothing.
//!
//! go's own rules (`cmd/go`'s test loader), on gofmt'ed source: a
//! top-level `func TestX(t *testing.T)` or `func FuzzX(f *testing.F)`,
//! where the name's rest is empty or does not start with a lower-case
//! letter, and a `func ExampleX()` whose body has an output comment (go
//! compiles the others but does not run them). The files are the ones
//! `go list` says the build flags select.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

/// `func Name(params)` at the start of a line: a top-level function, not
/// a method (`func (r T) TestX`); its parameters may span lines.
static FUNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^func\s+((?:Test|Fuzz|Example)\w*)\s*\(([^)]*)\)").expect("a valid regex")
});

/// One parameter, named or not, of type `*testing.T` (`*testing.F`), the
/// package under any import name or dot-imported (`*T`).
static PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\w+\s+)?\*(?:\w+\s*\.\s*)?([TF])\s*,?\s*$").expect("a valid regex")
});

/// go/doc's output comment, matched against the text of the body's last
/// comment group: `Output:` or `Unordered output:`, in any case.
static OUTPUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(unordered )?output:").expect("a valid regex"));

/// The top-level tests `go test` runs from `source`, in order.
pub fn tests_in(source: &str) -> Vec<String> {
    let mut tests = Vec::new();
    for found in FUNC.captures_iter(source) {
        let (name, params) = (&found[1], &found[2]);
        let param = PARAM.captures(params).map(|p| p[1].to_owned());
        let runs = match (prefix(name), param.as_deref()) {
            (Some("Test"), Some("T")) | (Some("Fuzz"), Some("F")) => true,
            (Some("Example"), None) if params.trim().is_empty() => {
                let rest = &source[found.get(0).map_or(source.len(), |m| m.end())..];
                let lines: Vec<&str> = rest.lines().skip(1).collect();
                last_comment(body(&lines)).is_some_and(|text| OUTPUT.is_match(&text))
            }
            _ => false,
        };
        if runs {
            tests.push(name.to_owned());
        }
    }
    tests
}

/// The text of the last comment group among `lines` (comment lines next
/// to each other, or one `/* */` block), markers taken off, as go/doc
/// reads an example's output comment: only the last one counts.
fn last_comment(lines: &[&str]) -> Option<String> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut previous_was_comment = false;
    let mut in_block = false;
    for line in lines {
        let trimmed = line.trim_start();
        let text = if in_block {
            in_block = !trimmed.contains("*/");
            Some(trimmed.split("*/").next().unwrap_or_default())
        } else if let Some(text) = trimmed.strip_prefix("//") {
            Some(text)
        } else if let Some(text) = trimmed.strip_prefix("/*") {
            in_block = !text.contains("*/");
            Some(text.split("*/").next().unwrap_or_default())
        } else {
            None
        };
        match text {
            Some(text) if previous_was_comment => {
                if let Some(group) = groups.last_mut() {
                    group.push(text.to_owned());
                }
            }
            Some(text) => groups.push(vec![text.to_owned()]),
            None => {}
        }
        previous_was_comment = text.is_some();
    }
    groups.pop().map(|group| group.join("\n"))
}

/// The tests `go test` runs from the files at `paths`; a file that cannot
/// be read adds none (the caller has warned that it reads from source).
pub fn tests_in_files(paths: &[impl AsRef<Path>]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .flat_map(|source| tests_in(&source))
        .collect()
}

/// go's prefix of `name` when the rest may follow it: nothing, or
/// anything but a lower-case letter (`Testify` is no test).
fn prefix(name: &str) -> Option<&'static str> {
    ["Test", "Fuzz", "Example"].into_iter().find(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| !rest.chars().next().is_some_and(char::is_lowercase))
    })
}

/// A function's body: the lines up to its closing `}` at the start of a
/// line, as gofmt writes it.
fn body<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let end = lines
        .iter()
        .position(|l| l.starts_with('}'))
        .unwrap_or(lines.len());
    &lines[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rules_decide_what_is_a_test() {
        let source = "package p\n\nimport (\n\tt2 \"testing\"\n\t\"testing\"\n)\n\n\
            func TestA(t *testing.T) {}\n\
            func Test(t *testing.T) {}\n\
            func Testify(t *testing.T) {}\n\
            func Test_under(t *testing.T) {}\n\
            func TestÉté(t *testing.T) {}\n\
            func TestAlias(x *t2.T) {}\n\
            func TestHelper(t *testing.T, n int) {}\n\
            func TestB(b *testing.B) {}\n\
            func BenchmarkC(b *testing.B) {}\n\
            func FuzzD(f *testing.F) {}\n\
            func (s *suite) TestMethod(t *testing.T) {}\n\
            func ExampleRuns() {\n\tfmt.Println(1)\n\t// Output: 1\n}\n\
            func ExampleSilent() {\n\tfmt.Println(1)\n}\n\
            func ExampleUnordered() {\n\t// unordered output:\n\t// 1\n}\n\
            func Examplewrong() {\n\t// Output: 1\n}\n\
            func ExampleNotLast() {\n\t// Output: hi\n\tfmt.Println(\"hi\")\n\t// a note\n}\n\
            func ExampleBlock() {\n\tfmt.Println(\"hi\")\n\t/* Output:\n\thi */\n}\n\
            func ExampleTwoSpaces() {\n\t// Unordered  output: 1\n}\n\
            func TestUnnamed(*testing.T) {}\n\
            func TestDot(t *T) {}\n\
            func TestLines(\n\tt *testing.T,\n) {}\n\
            // func TestCommented(t *testing.T) {}\n";
        assert_eq!(
            tests_in(source),
            [
                "TestA",
                "Test",
                "Test_under",
                "TestÉté",
                "TestAlias",
                "FuzzD",
                "ExampleRuns",
                "ExampleUnordered",
                "ExampleBlock",
                "TestUnnamed",
                "TestDot",
                "TestLines",
            ]
        );
    }
}
