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
/// a method (`func (r T) TestX`).
static FUNC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^func\s+((?:Test|Fuzz|Example)\w*)\s*\(([^)]*)\)").expect("a valid regex")
});

/// `name *testing.T`, or the package under another import name.
static PARAM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\w+\s+\*\w+\.([TF])\s*$").expect("a valid regex"));

/// go/doc's output comment: `// Output:` or `// Unordered output:`, in any
/// case.
static OUTPUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*//\s*(unordered\s+)?output:").expect("a valid regex"));

/// The top-level tests `go test` runs from `source`, in order.
pub fn tests_in(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut tests = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(found) = FUNC.captures(line) else {
            continue;
        };
        let (name, params) = (&found[1], &found[2]);
        let param = PARAM.captures(params).map(|p| p[1].to_owned());
        let runs = match (prefix(name), param.as_deref()) {
            (Some("Test"), Some("T")) | (Some("Fuzz"), Some("F")) => true,
            (Some("Example"), None) if params.trim().is_empty() => {
                body(&lines[at + 1..]).iter().any(|l| OUTPUT.is_match(l))
            }
            _ => false,
        };
        if runs {
            tests.push(name.to_owned());
        }
    }
    tests
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
            ]
        );
    }
}
