//! The merged results as one JUnit report (`pitcrew report --junit`), for
//! tools that read JUnit and as timing history `pitcrew split --timings`
//! reads back. One `<testsuite>` per file; a flaky test is a passed
//! testcase with Surefire's `<flakyFailure>`, so it reads back as flaky;
//! `time` is one attempt's, as timings count it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::fold::{FinalOutcome, TestResult};
use super::merge::Merged;
use super::result::ShardError;
use crate::xml::{escape_attr, escape_text};

pub fn junit(merged: &Merged) -> String {
    of_tests(&merged.tests)
}

/// `tests` as one JUnit report.
pub fn of_tests(tests: &[TestResult]) -> String {
    document(tests, None)
}

/// The comment in the JUnit report of a shard its plan gave no test
/// (`run --junit`), which `report` takes as empty on purpose.
pub const NO_TEST_PLANNED: &str = "pitcrew: the plan gave this shard no test";

/// The start of the comment that says which shard of which plan a JUnit
/// report of `run --junit` holds: `pitcrew: shard K/N of plan SHA256`.
/// `report --plan` over such files names the shards none of them holds.
pub const SHARD_MARK: &str = "pitcrew: shard ";

/// `(plan sha256, K, N)` of a [`SHARD_MARK`] comment in `head`.
pub fn shard_mark(head: &str) -> Option<(String, usize, usize)> {
    let rest = &head[head.find(SHARD_MARK)? + SHARD_MARK.len()..];
    let rest = &rest[..rest.find(" -->")?];
    let (shard, plan) = rest.split_once(" of plan ")?;
    let (index, total) = shard.split_once('/')?;
    Some((plan.to_owned(), index.parse().ok()?, total.parse().ok()?))
}

/// One shard's JUnit report (`run --junit`): its tests, and where the
/// shard failed as a whole (a crash, a timeout, results that can't be
/// trusted) that error as an `<error>` testcase `shard K/N` of classname
/// `pitcrew`, in a suite of its own and in the root's totals, so that no
/// reader of the JUnit alone takes the shard for green. A shard its plan
/// gave nothing says so in a comment.
pub fn of_shard(
    tests: &[TestResult],
    error: Option<&ShardError>,
    (index, total, plan_sha256): (usize, usize, &str),
    planned_nothing: bool,
) -> String {
    let shard = format!("shard {index}/{total}");
    let out = document(tests, error.map(|e| (e, shard.as_str())));
    let mut marks = format!("\n<!-- {SHARD_MARK}{index}/{total} of plan {plan_sha256} -->\n");
    if error.is_none() && planned_nothing && tests.is_empty() {
        marks.push_str(&format!("<!-- {NO_TEST_PLANNED} -->\n"));
    }
    out.replacen('\n', &marks, 1)
}

/// `tests` by their file, in order of the file's name; tests that name no
/// file under `""`.
pub(super) fn by_file(tests: &[TestResult]) -> BTreeMap<&str, Vec<&TestResult>> {
    let mut by_file: BTreeMap<&str, Vec<&TestResult>> = BTreeMap::new();
    for test in tests {
        let file = test.key.file.as_deref().unwrap_or_default();
        by_file.entry(file).or_default().push(test);
    }
    by_file
}

/// The report: one `<testsuite>` per file, then the shard's error, if any,
/// as a suite of one errored case named `shard`.
fn document(tests: &[TestResult], error: Option<(&ShardError, &str)>) -> String {
    let by_file = by_file(tests);
    let count = |o: FinalOutcome| tests.iter().filter(|t| t.outcome == o).count();
    let errors = usize::from(error.is_some());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"pitcrew\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\" skipped=\"{}\" time=\"{:.3}\">",
        tests.len() + errors,
        count(FinalOutcome::Failed),
        count(FinalOutcome::Skipped),
        // `+ 0.0`: the sum of no time is -0.0, written "-0.000".
        tests
            .iter()
            .map(TestResult::one_attempt_seconds)
            .sum::<f64>()
            + 0.0
    );
    for (file, tests) in by_file {
        let count = |o: FinalOutcome| tests.iter().filter(|t| t.outcome == o).count();
        let time: f64 = tests.iter().map(|t| t.one_attempt_seconds()).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{time:.3}\">",
            escape_attr(if file.is_empty() { "pitcrew" } else { file }),
            tests.len(),
            count(FinalOutcome::Failed),
            count(FinalOutcome::Skipped),
        );
        for test in tests {
            testcase(&mut out, test);
        }
        out.push_str("  </testsuite>\n");
    }
    if let Some((error, shard)) = error {
        let _ = write!(
            out,
            "  <testsuite name=\"pitcrew {shard}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n    <testcase classname=\"pitcrew\" name=\"{shard}\" time=\"0.000\">\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
            escape_attr(&error.kind),
            escape_attr(&error.message),
            escape_text(&error.stderr_tail),
        );
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, test: &TestResult) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape_attr(&test.key.classname),
        escape_attr(&test.key.name)
    );
    if let Some(file) = &test.key.file {
        let _ = write!(out, " file=\"{}\"", escape_attr(file));
    }
    let _ = write!(out, " time=\"{:.3}\"", test.one_attempt_seconds());
    let failure = test.failure.as_ref();
    let message = failure.and_then(|f| f.message.as_deref()).unwrap_or("");
    let kind = failure
        .and_then(|f| f.failure_type.as_deref())
        .unwrap_or("");
    let details = failure.and_then(|f| f.details.as_deref()).unwrap_or("");
    let element = match test.outcome {
        FinalOutcome::Passed => None,
        FinalOutcome::Skipped => {
            out.push_str(">\n      <skipped/>\n    </testcase>\n");
            return;
        }
        FinalOutcome::Failed => Some("failure"),
        FinalOutcome::Flaky => Some("flakyFailure"),
    };
    match element {
        None => out.push_str("/>\n"),
        Some(tag) => {
            // A flaky test's failed run is an attempt of its own, with a
            // time, as nextest writes it: read back, the attempts add up.
            let time = match test.outcome {
                FinalOutcome::Flaky => format!(" time=\"{:.3}\"", test.one_attempt_seconds()),
                _ => String::new(),
            };
            let _ = write!(
                out,
                ">\n      <{tag} message=\"{}\" type=\"{}\"{time}>{}</{tag}>\n    </testcase>\n",
                escape_attr(message),
                escape_attr(kind),
                escape_text(details)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::fold::Folder;
    use crate::suite::junit;

    #[test]
    fn merged_results_read_back_as_the_same_tests() {
        let xml = r#"<testsuite name="s">
<testcase classname="c" name="passes &quot;quoted&quot;" file="a.py" time="1.5"/>
<testcase classname="c" name="fails" file="a.py" time="2"><failure message="1 != 2" type="AssertionError">trace &lt;here&gt;</failure></testcase>
<testcase classname="c" name="odd&#x9b;2J&#x202e;x&#13;" file="a.py" time="1"><failure message="m&#x85;&#x2028;&#x7f;">d&#x200b;&#13;e</failure></testcase>
<testcase classname="c" name="flaky" file="b.py" time="3"><flakyFailure message="boom"/></testcase>
<testcase classname="c" name="skipped" file="b.py" time="0"><skipped/></testcase>
</testsuite>"#;
        let fold = |text: &str| {
            let mut folder = Folder::default();
            junit::parse_reader(text.as_bytes(), "t.xml", |case| folder.add(case)).unwrap();
            folder.finish().2
        };
        let tests = fold(xml);
        let inputs = crate::suite::merge::Inputs {
            junit_tests: tests.clone(),
            ..Default::default()
        };
        let merged = crate::suite::merge::merge(inputs, None);
        let again = fold(&junit(&merged));
        let view = |tests: &[TestResult]| -> Vec<(String, String, FinalOutcome, String)> {
            let mut v: Vec<_> = tests
                .iter()
                .map(|t| {
                    (
                        t.key.file.clone().unwrap_or_default(),
                        t.key.name.clone(),
                        t.outcome,
                        format!("{:.3}", t.one_attempt_seconds()),
                    )
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            v
        };
        assert_eq!(view(&again), view(&tests));
        let failed = again.iter().find(|t| t.key.name == "fails").unwrap();
        let failure = failed.failure.as_ref().unwrap();
        assert_eq!(failure.message.as_deref(), Some("1 != 2"));
        assert_eq!(failure.details.as_deref(), Some("trace <here>"));
        assert!(
            again
                .iter()
                .any(|t| t.key.name == "flaky" && t.outcome == FinalOutcome::Flaky)
        );
        // Characters a terminal would obey are references in the file,
        // and read back as they were.
        let written = junit(&merged);
        assert!(
            !written
                .chars()
                .any(|c| crate::escape::is_unsafe(c) && c != '\n' && c != '\t'),
            "{written:?}"
        );
        let odd = again
            .iter()
            .find(|t| t.key.name.starts_with("odd"))
            .unwrap();
        assert_eq!(odd.key.name, "odd\u{9b}2J\u{202e}x\r");
        let failure = odd.failure.as_ref().unwrap();
        assert_eq!(failure.message.as_deref(), Some("m\u{85}\u{2028}\u{7f}"));
        assert_eq!(failure.details.as_deref(), Some("d\u{200b}\re"));
    }

    /// A shard that failed as a whole is a failed case in its JUnit, so
    /// `report` over the JUnit files fails too; a shard its plan gave no
    /// test says so, and `report` reads its empty report as meant.
    #[test]
    fn a_shards_error_is_an_error_case_and_a_planned_empty_shard_says_so() {
        let error = ShardError {
            kind: "crashed".into(),
            message: "`pytest` was killed by signal 9 <oom>".into(),
            stderr_tail: "Killed".into(),
        };
        let xml = of_shard(&[], Some(&error), (2, 3, "ab12"), false);
        let mut cases = Vec::new();
        junit::parse_reader(xml.as_bytes(), "j.xml", |c| cases.push(c)).unwrap();
        assert_eq!(cases.len(), 1, "{xml}");
        assert_eq!(
            (cases[0].classname.as_str(), cases[0].name.as_str()),
            ("pitcrew", "shard 2/3")
        );
        assert_eq!(cases[0].outcome, junit::Outcome::Errored);
        assert_eq!(cases[0].message.as_deref(), Some(error.message.as_str()));
        assert_eq!(cases[0].details.as_deref(), Some("Killed"));
        assert!(
            xml.contains(r#"<testsuites name="pitcrew" tests="1" failures="0" errors="1""#),
            "{xml}"
        );
        let empty = of_shard(&[], None, (3, 3, "ab12"), true);
        assert_eq!(shard_mark(&empty), Some(("ab12".to_owned(), 3, 3)));
        assert!(empty.contains(NO_TEST_PLANNED), "{empty}");
        assert!(empty.contains(r#"time="0.000""#), "{empty}");
        assert!(!of_shard(&[], None, (3, 3, "ab12"), false).contains(NO_TEST_PLANNED));
    }
}
