use super::*;
use crate::suite::fold::{FailureInfo, TestKey};

fn failed_test(file: &str, name: &str, message: &str, details: &str) -> TestResult {
    TestResult {
        key: TestKey {
            file: Some(file.into()),
            classname: String::new(),
            name: name.into(),
            occurrence: 0,
        },
        outcome: FinalOutcome::Failed,
        attempts: 2,
        duration_seconds: 1.0,
        failure: Some(FailureInfo {
            message: Some(message.into()),
            failure_type: None,
            details: Some(details.into()),
            line: None,
        }),
    }
}

fn label(category: &str) -> Label {
    Label {
        category: category.into(),
        specialty: "general".into(),
        language: "python".into(),
        classification: None,
    }
}

/// Three shards, three tests, one broken database fixture: each shard had
/// its own temp dir, port, duration and checkout.
fn shards() -> Vec<TestResult> {
    [
        ("/tmp/pytest-of-ci/pytest-1/db0", 5432, "0.51s", "/home/runner/work/shop/shop"),
        ("/tmp/pytest-of-ci/pytest-9/db3", 61234, "12.0s", "/builds/shop"),
        ("/var/folders/q1/T/pytest-2/db1", 40001, "3s", "/Users/me/shop"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (tmp, port, took, root))| {
        failed_test(
            &format!("tests/test_shard{i}.py"),
            &format!("test_{i}"),
            &format!("OperationalError: could not connect to 127.0.0.1:{port} (socket {tmp}/.s.PGSQL, {took})"),
            &format!("Traceback (most recent call last):\n  File \"{root}/tests/conftest.py\", line 30, in db\n  File \"{root}/shop/db.py\", line 12, in connect\nOperationalError: could not connect"),
        )
    })
    .collect()
}

#[test]
fn one_failure_from_three_shards_is_one_group() {
    let tests = shards();
    let groups = group(tests.iter().collect(), vec![label("network"); 3], None);
    assert_eq!(groups.0.len(), 1, "{groups:#?}");
    assert_eq!(groups.0[0].tests.len(), 3);
    assert_eq!(groups.headline(), "3 failures, 1 root cause");
    assert_eq!(groups.0[0].why, ["breaks 3 tests"]);
}

#[test]
fn two_root_causes_in_one_file_are_two_groups_ordered_by_priority() {
    let tests = [
        failed_test(
            "src/cart.test.ts",
            "adds",
            "expected 3 to equal 4",
            "    at /app/src/cart.test.ts:10:5",
        ),
        failed_test(
            "src/cart.test.ts",
            "totals",
            "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'.",
            "",
        ),
    ];
    let groups = group(
        tests.iter().collect(),
        vec![label("assertion"), label("compile")],
        None,
    );
    assert_eq!(groups.0.len(), 2);
    assert_eq!(groups.headline(), "2 failures, 2 root causes");
    // compile blocks everything: first.
    assert_eq!(groups.0[0].category, "compile");
    assert_eq!(groups.0[0].priority, 1);
    assert_eq!(groups.0[1].priority, 2);
}

#[test]
fn a_group_the_change_touched_goes_first() {
    let mut tests = shards();
    tests.push(failed_test(
        "tests/test_prices.py",
        "test_rounding",
        "AssertionError: assert 1.01 == 1.0",
        "  File \"/w/shop/prices.py\", line 3, in round_price",
    ));
    let refs: Vec<&TestResult> = tests.iter().collect();
    let labels = vec![
        label("network"),
        label("network"),
        label("network"),
        label("assertion"),
    ];
    let untouched = group(refs.clone(), labels.clone(), None);
    assert_eq!(
        untouched.0[0].tests.len(),
        3,
        "reach first without a change"
    );
    // prices.py changed: the stack's file, not the test's.
    let changes = Changes::new(["shop/prices.py"]);
    let touched = group(refs, labels, Some(&changes));
    assert_eq!(touched.0[0].tests[0].key.name, "test_rounding");
    assert!(touched.0[0].touched);
    assert_eq!(
        touched.0[0].why,
        ["the change touched its files", "breaks 1 test"]
    );
}

/// A 16 KiB message line is cut where a group shows it, on a character
/// boundary, with a mark that it was cut.
#[test]
fn a_groups_message_is_cut_for_showing() {
    let long = format!(
        "{}é{}",
        "x".repeat(MESSAGE_SHOWN - 1),
        "y".repeat(16 * 1024)
    );
    let tests = [failed_test("a.py", "t", &long, "")];
    let groups = group(tests.iter().collect(), vec![label("assertion")], None);
    let shown = groups.0[0].message();
    assert!(shown.ends_with('…'), "{shown}");
    assert!(
        shown.len() <= MESSAGE_SHOWN + '…'.len_utf8(),
        "{}",
        shown.len()
    );
    assert!(
        !shown.contains('é'),
        "cut before the character it would split"
    );
    let tests = [failed_test("a.py", "t", "short", "")];
    let groups = group(tests.iter().collect(), vec![label("assertion")], None);
    assert_eq!(groups.0[0].message(), "short");
}
