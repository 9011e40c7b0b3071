//! What cargo printed when a Rust test build failed: the listing's one-line
//! reason, and a failed test per crate that did not compile, so that a
//! compile error reaches the report and triage as what failed, with
//! rustc's own words, rather than as a run that could not start.

use crate::suite::junit::{Outcome, TestCase};

/// The test name of a crate's failed build (its classname is the crate).
pub const BUILD: &str = "build";

/// rustc's first error and where it is, with cargo's count: cargo's own
/// last line (`error: command … cargo test --no-run … exited with code
/// 101`) says only that the build failed.
pub fn first_error(stderr: &str) -> Option<String> {
    let mut lines = stderr.lines().map(str::trim);
    let error = lines.by_ref().find(|l| is_compiler_error(l))?;
    let mut found = error.to_owned();
    if let Some(at) = lines.next().and_then(|l| l.strip_prefix("--> ")) {
        found.push_str(" at ");
        found.push_str(at);
    }
    if let Some(cargo) = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: could not compile "))
    {
        found.push_str(" (could not compile ");
        found.push_str(cargo);
        found.push(')');
    }
    Some(found)
}

/// rustc's `error[E…]` or `error: …`, not cargo's summary of them.
fn is_compiler_error(line: &str) -> bool {
    (line.starts_with("error[E") || line.starts_with("error: "))
        && !line.starts_with("error: could not compile")
        && !line.starts_with("error: command ")
        && !line.starts_with("error: aborting")
}

/// Whether `stderr` shows a build that failed: rustc's own codes, or cargo
/// saying a crate did not compile (a linker error, a build script), not any
/// cargo `error:` (`no such command: nextest`, a mistyped `-p`, a stale
/// lock file under `--locked` are no build of the tests). Colours
/// (`CARGO_TERM_COLOR=always`, usual in CI) are ignored.
pub fn is_build_failure(stderr: &str) -> bool {
    crate::escape::strip_ansi(stderr)
        .lines()
        .map(str::trim)
        .any(|l| l.starts_with("error[E") || l.starts_with("error: could not compile `"))
}

/// One errored case per crate cargo could not compile (`error: could not
/// compile `foo` (lib test) …`: the crate, whatever its targets, so that
/// one error is one failure however far cargo got), with the first error
/// as the message and the compiler's output, from its first error on, as
/// the details. None when [`is_build_failure`] says no (a runner that
/// failed otherwise keeps its own error).
pub fn build_failures(stderr: &str) -> Option<Vec<TestCase>> {
    if !is_build_failure(stderr) {
        return None;
    }
    let stderr = crate::escape::strip_ansi(stderr);
    let message = first_error(&stderr)?;
    let start = stderr
        .lines()
        .position(|l| is_compiler_error(l.trim()))
        .unwrap_or(0);
    let details: String = stderr.lines().skip(start).collect::<Vec<_>>().join("\n");
    let mut crates: Vec<String> = Vec::new();
    for name in stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("error: could not compile `"))
        .filter_map(|rest| rest.split_once('`').map(|(name, _)| name))
    {
        if !crates.iter().any(|c| c == name) {
            crates.push(name.to_owned());
        }
    }
    if crates.is_empty() {
        crates.push("cargo".to_owned());
    }
    let case = |classname: String| TestCase {
        suite: String::new(),
        classname,
        name: BUILD.to_owned(),
        file: None,
        line: None,
        time_seconds: 0.0,
        outcome: Outcome::Errored,
        message: Some(message.clone()),
        failure_type: Some(COMPILE.to_owned()),
        details: Some(details.clone()),
        reruns: Vec::new(),
    };
    Some(crates.into_iter().map(case).collect())
}

/// The failure type of a failed build's case: not retried, since a build
/// that failed does not pass on a second try of the same tree.
pub const COMPILE: &str = "compile";

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE_ERROR: &str = "   Compiling demo v0.1.0 (/tmp/demo)
error[E0308]: mismatched types
 --> src/lib.rs:2:5
  |
1 | pub fn answer() -> u32 {
  |                    --- expected `u32` because of return type
2 |     \"42\"
  |     ^^^^ expected `u32`, found `&str`

For more information about this error, try `rustc --explain E0308`.
error: could not compile `demo` (lib) due to 1 previous error
warning: build failed, waiting for other jobs to finish...
error: could not compile `demo` (lib test) due to 1 previous error
error: command `/usr/bin/cargo test --no-run --message-format json-render-diagnostics` exited with code 101
";

    #[test]
    fn the_first_error_with_where_it_is_and_cargos_count() {
        assert_eq!(
            first_error(TYPE_ERROR).as_deref(),
            Some(
                "error[E0308]: mismatched types at src/lib.rs:2:5 (could not compile `demo` (lib) due to 1 previous error)"
            )
        );
        assert_eq!(
            first_error("error: command `cargo` exited with code 101"),
            None
        );
        assert_eq!(first_error("thread 'main' panicked"), None);
    }

    #[test]
    fn a_failed_build_is_an_errored_case_per_crate_target() {
        let cases = build_failures(TYPE_ERROR).unwrap();
        let names: Vec<_> = cases.iter().map(|c| c.classname.as_str()).collect();
        // One case for the crate, whichever of its targets cargo reached.
        assert_eq!(names, ["demo"]);
        let case = &cases[0];
        assert_eq!(case.name, BUILD);
        assert_eq!(case.outcome, Outcome::Errored);
        let details = case.details.as_deref().unwrap();
        assert!(
            details.starts_with("error[E0308]: mismatched types"),
            "{details}"
        );
        assert!(
            details.contains("expected `u32`, found `&str`"),
            "{details}"
        );
        assert!(!details.contains("Compiling demo"), "{details}");
        // A linker error: cargo still names the crate.
        let linker = "error: linking with `cc` failed: exit status: 1\n\
                      error: could not compile `demo` (test \"api\") due to 1 previous error\n";
        let cases = build_failures(linker).unwrap();
        assert_eq!(cases[0].classname, "demo");
        assert_eq!(
            cases[0].message.as_deref().unwrap().split(" (").next(),
            Some("error: linking with `cc` failed: exit status: 1")
        );
        // The tail lost cargo's line: the build is cargo's.
        let cases = build_failures("error[E0425]: cannot find value `x`\n").unwrap();
        assert_eq!(cases[0].classname, "cargo");
        assert!(build_failures("error: no such command: `nextest`\n").is_none());
        assert!(!is_build_failure(
            "error: package ID specification `nope` did not match any packages\n"
        ));
        // In colour, as CARGO_TERM_COLOR=always prints it.
        let coloured = "\u{1b}[1m\u{1b}[91merror[E0308]\u{1b}[0m\u{1b}[1m: mismatched types\u{1b}[0m\n \u{1b}[1m\u{1b}[94m--> \u{1b}[0msrc/lib.rs:2:5\n\u{1b}[1m\u{1b}[91merror\u{1b}[0m\u{1b}[1m:\u{1b}[0m could not compile `demo` (lib) due to 1 previous error\n";
        let cases = build_failures(coloured).unwrap();
        assert_eq!(cases[0].classname, "demo");
        assert_eq!(
            cases[0].message.as_deref(),
            Some(
                "error[E0308]: mismatched types at src/lib.rs:2:5 (could not compile `demo` (lib) due to 1 previous error)"
            )
        );
        assert!(!cases[0].details.as_deref().unwrap().contains('\u{1b}'));
        assert!(build_failures("some other failure\n").is_none());
    }
}
