use super::*;

fn id(message: &str, details: &str) -> String {
    fingerprint(message, details, "test").id
}

#[test]
fn parameters_become_placeholders() {
    let cases = [
        (
            "Connection refused: 127.0.0.1:54321 after 1.52s",
            "Connection refused: <ip> after <duration>",
        ),
        (
            "Error: ENOENT: no such file '/tmp/pytest-of-ci/pytest-7/data.json'",
            "Error: ENOENT: no such file <quoted>",
        ),
        (
            "open /tmp/TestWrite1234/out.txt: permission denied",
            "open <tmp> permission denied",
        ),
        (
            "request 3f2b9c4e-1d2a-4b5c-8d9e-0a1b2c3d4e5f failed at 2026-11-30T16:49:27.123Z",
            "request <uuid> failed at <date>",
        ),
        (
            "segfault at 0x7ffd5e8c1a20 in worker 12",
            "segfault at <hex> in worker <num>",
        ),
        (
            "checksum d41d8cd98f00b204e9800998ecf8427e does not match abc1234f",
            "checksum <hash> does not match <hex>",
        ),
        (
            "panic: test timed out after 10m0s",
            "panic: test timed out after <duration>",
        ),
        (
            "GET http://localhost:8080/api/items?id=7 returned 503",
            "GET <url> returned <num>",
        ),
        (
            "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable",
            "src/cart.ts(<num>,<num>): error TS2322: Type <quoted> is not assignable",
        ),
        // Words made of hex letters, and apostrophes in prose, stay.
        (
            "the facade added a deadbeef cafe; don't retry",
            "the facade added a deadbeef cafe; don't retry",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(parameterise(line), want, "{line}");
    }
}

#[test]
fn the_first_meaningful_line_skips_ci_noise() {
    let log = "\n2026-11-30T10:00:01.1234567Z ##[error]Process completed with exit code 1.\n";
    assert_eq!(
        error_line(log).as_deref(),
        Some("Process completed with exit code 1.")
    );
    let traceback = "Traceback (most recent call last):\n  File \"/home/ci/app/orders.py\", line 12, in total\n    return a / b\nZeroDivisionError: division by zero\n";
    assert_eq!(
        error_line(traceback).as_deref(),
        Some("ZeroDivisionError: division by zero")
    );
    let rust = "thread 'cart::tests::adds' panicked at src/cart.rs:88:9:\nassertion `left == right` failed\n";
    assert_eq!(
        error_line(rust).as_deref(),
        Some("assertion `left == right` failed")
    );
    assert_eq!(error_line("\n   \n-----\n"), None);
}

#[test]
fn in_project_frames_of_every_stack_shape() {
    let python = "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/unittest/case.py\", line 57, in testPartExecutor\n  File \"/home/ci/work/app/tests/test_orders.py\", line 12, in test_total\n  File \"/home/ci/work/app/.venv/lib/python3.11/site-packages/requests/api.py\", line 3, in get\n  File \"/home/ci/work/app/app/orders.py\", line 40, in total\nValueError: bad";
    let js = "Error: boom\n    at Cart.total (/home/ci/app/src/cart.ts:22:31)\n    at Object.<anonymous> (/home/ci/app/src/cart.test.ts:9:5)\n    at Promise.then.completed (/home/ci/app/node_modules/jest-circus/build/utils.js:298:28)\n    at node:internal/process/task_queues:95:5";
    let rust = "thread 'main' panicked at src/parser.rs:88:9:\nboom\nstack backtrace:\n   0: std::panicking::begin_panic\n             at /rustc/abc/library/std/src/panicking.rs:616:12\n   1: mycrate::parser::parse\n             at ./src/parser.rs:88:9\n";
    let go = "panic: boom\n\ngoroutine 7 [running]:\nexample.com/shop/cart.Total(...)\n\t/home/ci/shop/cart/cart.go:31 +0x1d\ntesting.tRunner(0xc000102000, 0x5d8a50)\n\t/usr/local/go/src/testing/testing.go:1595 +0xff\n";
    let java = "java.lang.NullPointerException: x\n\tat com.shop.Cart.total(Cart.java:31)\n\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)\n\tat org.junit.runners.ParentRunner.run(ParentRunner.java:413)\n";
    let frames = |text| fingerprint("", text, "t").frames;
    assert_eq!(
        frames(python),
        ["tests/test_orders.py:test_total", "app/orders.py:total"]
    );
    assert_eq!(
        frames(js),
        [
            "src/cart.ts:Cart.total",
            "src/cart.test.ts:Object.<anonymous>"
        ]
    );
    assert_eq!(
        frames(rust),
        ["src/parser.rs:", "src/parser.rs:mycrate::parser::parse"]
    );
    assert_eq!(frames(go), ["cart/cart.go:example.com/shop/cart.Total"]);
    assert_eq!(frames(java), ["Cart.java:com.shop.Cart.total"]);
}

/// The same failure from three shards: another temp dir, port, duration,
/// address and checkout location each time.
#[test]
fn one_failure_from_three_shards_is_one_fingerprint() {
    let shard = |tmp: &str, port: u16, ms: u32, addr: &str, root: &str| {
        let message = format!(
            "Error: connect ECONNREFUSED 127.0.0.1:{port} while loading {tmp}/fixtures/db.json (waited {ms}ms, handle {addr})"
        );
        let details = format!(
            "{message}\n    at Db.connect ({root}/src/db.ts:41:11)\n    at Object.<anonymous> ({root}/src/db.test.ts:12:3)\n    at {root}/node_modules/vitest/dist/runner.js:10:2"
        );
        (message, details)
    };
    let runs = [
        shard(
            "/tmp/vitest-a1b2",
            5432,
            120,
            "0x7f00aa11",
            "/home/runner/work/shop/shop",
        ),
        shard(
            "/tmp/vitest-99zz",
            61001,
            3012,
            "0x7f00bb22",
            "/builds/shop",
        ),
        shard(
            "/var/folders/xy/T/vitest-q",
            40000,
            7,
            "0xdeadbeef",
            "/Users/me/shop",
        ),
    ];
    let ids: Vec<String> = runs.iter().map(|(m, d)| id(m, d)).collect();
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[1], ids[2]);
    assert_eq!(ids[0].len(), 16);
    assert!(ids[0].bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn two_root_causes_in_one_file_are_two_fingerprints() {
    let stack = |function: &str| {
        format!(
            "    at {function} (/app/src/cart.test.ts:10:5)\n    at /app/node_modules/vitest/dist/x.js:1:1"
        )
    };
    let a = id(
        "TypeError: Cannot read properties of undefined (reading 'total')",
        &stack("addsItem"),
    );
    let b = id(
        "AssertionError: expected 3 to equal 4",
        &stack("removesItem"),
    );
    assert_ne!(a, b);
    // One message, two in-project call sites: two causes as well.
    let c = id("AssertionError: expected 3 to equal 4", &stack("addsItem"));
    assert_ne!(b, c);
}

#[test]
fn silent_failures_of_different_tests_stay_apart() {
    let a = fingerprint("", "", "tests/a.py::test_one");
    let b = fingerprint("", "", "tests/a.py::test_two");
    assert_ne!(a.id, b.id);
    assert_eq!(a.id, fingerprint("", "\n\n", "tests/a.py::test_one").id);
}
