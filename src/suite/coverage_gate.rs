//! A coverage threshold that failed the run, read from the runner's own
//! words.
//!
//! jest and vitest check their coverage thresholds after the tests and
//! fail the run for them, outside every test: no reporter of ours sees the
//! check. On a run where a test failed too, the exit status cannot tell the
//! two apart, and a retry that turned the test flaky passed a run the
//! runner had failed. Their messages have been stable for years, and a
//! shard's stderr holds them.

/// The first line of `stderr_tail` that says a coverage threshold was not
/// met, without its colours.
pub fn failed_threshold(stderr_tail: &str) -> Option<String> {
    stderr_tail
        .lines()
        .map(|line| crate::escape::strip_ansi(line).trim().to_owned())
        .find(|line| says_threshold_failed(line))
}

fn says_threshold_failed(line: &str) -> bool {
    // The runner's own prefix: a test's output (a test of a coverage tool)
    // may hold the same words.
    if !(line.starts_with("ERROR: ") || line.starts_with("Jest: ")) {
        return false;
    }
    let has = |word: &str| line.contains(word);
    // jest ≥ 29.? and vitest: `Coverage for lines (66.6%) does not meet
    // global threshold (90%)`; jest before: `"global" coverage threshold
    // for lines (90%) not met: 66.6%`; both: `Uncovered lines (33)
    // exceed(s) … threshold (30)`.
    (has("Coverage for ") && has("does not meet") && has("threshold"))
        || (has("coverage threshold for ") && has("not met"))
        || (has("Uncovered ") && has(" exceed") && has("threshold"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jest_and_vitest_threshold_messages() {
        for (tail, line) in [
            (
                "\u{1b}[31mERROR: Coverage for lines (66.66%) does not meet global threshold (90%)\u{1b}[39m\n",
                "ERROR: Coverage for lines (66.66%) does not meet global threshold (90%)",
            ),
            (
                "Test Suites: 1 passed\nJest: Coverage for branches (50%) does not meet \"global\" threshold (80%)\n",
                "Jest: Coverage for branches (50%) does not meet \"global\" threshold (80%)",
            ),
            (
                "Jest: \"global\" coverage threshold for lines (90%) not met: 66.66%",
                "Jest: \"global\" coverage threshold for lines (90%) not met: 66.66%",
            ),
            (
                "ERROR: Uncovered statements (33) exceed global threshold (30)",
                "ERROR: Uncovered statements (33) exceed global threshold (30)",
            ),
            (
                "Jest: Uncovered count for lines (12) exceeds global threshold (10)",
                "Jest: Uncovered count for lines (12) exceeds global threshold (10)",
            ),
        ] {
            assert_eq!(failed_threshold(tail).as_deref(), Some(line), "{tail}");
        }
    }

    #[test]
    fn other_words_about_coverage_are_no_failure() {
        for tail in [
            "",
            "All files | 100 | 100 | 100 | 100 |",
            "Coverage for lines (95%) meets the threshold",
            "expect(coverage).toBe(90) does not meet expectations",
            "    Expected: \"Coverage for lines (50%) does not meet global threshold (90%)\"",
        ] {
            assert_eq!(failed_threshold(tail), None, "{tail}");
        }
    }
}
