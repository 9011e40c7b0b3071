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

/// Everything the reference (the code before it was made fast) makes of
/// `message` and `details`, against what this code makes of them.
fn assert_as_reference(message: &str, details: &str, fallback: &str) {
    let fast = fingerprint(message, details, fallback);
    let slow = reference::fingerprint(message, details, fallback);
    let context = || format!("message {message:?}\ndetails {details:?}");
    assert_eq!(fast.id, slow.id, "{}", context());
    assert_eq!(fast.line, slow.line, "{}", context());
    assert_eq!(fast.frames, slow.frames, "{}", context());
    assert_eq!(fast.files, slow.files, "{}", context());
    for text in [message, details] {
        assert_eq!(
            error_line(text),
            reference::error_line(text),
            "{}",
            context()
        );
        let fast: Vec<_> = stack_frames(text).collect();
        let slow: Vec<_> = reference::stack_frames(text).collect();
        assert_eq!(fast, slow, "{}", context());
        for line in text.lines() {
            assert_eq!(
                parameterise(line),
                reference::parameterise(line),
                "{line:?}"
            );
        }
    }
}

/// Real tool output: the classifier's corpus (tsc, jest, vitest, pytest,
/// cargo, go, javac, npm, CI logs…).
#[test]
fn fingerprints_are_the_references_on_real_tool_output() {
    #[derive(serde::Deserialize)]
    struct Record {
        test_name: String,
        message: String,
        details: String,
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/classifier/corpus.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("the corpus is committed");
    let mut records = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Record = serde_json::from_str(line).expect("a corpus record");
        assert_as_reference(&r.message, &r.details, &r.test_name);
        // And each half alone, which takes the other paths.
        assert_as_reference(&r.details, "", &r.test_name);
        assert_as_reference("", &r.message, &r.test_name);
        records += 1;
    }
    assert!(records > 500, "{records} records");
}

/// Lines put together from the pieces every pattern and guard looks at,
/// and the near misses around them, by a fixed pseudo-random sequence.
#[test]
fn fingerprints_are_the_references_on_generated_lines() {
    const PIECES: &[&str] = &[
        "",
        " ",
        "  ",
        "\t",
        "\u{a0}",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[1;2",
        "\x1b[K",
        "2026-11-30T10:00:01.1234567Z ",
        "2026-11-30T10:00:01Z",
        "2026-11-30T10:00:01.5x",
        "##[error]",
        "##[warning]",
        "##[group]",
        "::error file=a.ts,line=3::",
        "::error::",
        "::error x",
        "E   ",
        "E ",
        "E\u{a0}\u{a0}",
        "npm ERR! ",
        "npm ERR!",
        "Error",
        "Error:",
        "FAILED",
        "FAIL",
        "failures:",
        "Traceback (most recent call last):",
        "Traceback (",
        "-----",
        "====",
        "> ",
        ". . .",
        "~~~",
        "at ",
        "at async ",
        "async ",
        "new ",
        "Object.<anonymous>",
        "Cart.total",
        "Foo.bar [as baz]",
        "[as x]",
        "(",
        ")",
        " (",
        "/home/ci/app/src/cart.ts",
        "src/cart.test.ts",
        "C:\\work\\app\\src\\a.js",
        "file:///app/test/api.spec.mjs",
        "node:internal/process/task_queues",
        "/app/node_modules/jest-circus/build/utils.js",
        "<anonymous>",
        ":22:31",
        ":9",
        ":1:2)",
        ":",
        "File \"",
        "File \"/home/ci/app/orders.py\", line 12, in total",
        "File \"/usr/lib/python3.11/unittest/case.py\", line 57, in run",
        "\", line ",
        ", in ",
        "com.shop.Cart.total(Cart.java:31)",
        "java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
        "Main.kt",
        ".java",
        ".scala",
        "thread 'main' panicked at src/parser.rs:88:9:",
        "panicked at ",
        "'boom', ",
        "src/lib.rs:8:9",
        "./src/parser.rs",
        ".rs:",
        "0: ",
        "12: ",
        "mycrate::parser::parse",
        "std::panicking::begin_panic",
        "core::panicking",
        "/rustc/abc/library/std/src/panicking.rs:616:12",
        "example.com/shop/cart.Total(...)",
        "testing.tRunner(0xc000102000, 0x5d8a50)",
        "\t/home/ci/shop/cart/cart.go:31 +0x1d",
        "cart.go:31",
        "cart_test.go:12: ",
        "_test.go:",
        ".go:",
        "/usr/local/go/src/testing/testing.go:1595",
        "ValueError: bad",
        "ZeroDivisionError",
        "KeyboardInterrupt",
        "SystemExit",
        "Exception",
        "my.mod.CustomWarning: w",
        "é",
        "µs",
        "µ",
        "日本",
        "'",
        "\"",
        "`",
        "'quoted'",
        "\"double\"",
        "`tick`",
        "don't",
        "http://localhost:8080/api?id=7",
        "s3://b/k",
        "x://",
        "3f2b9c4e-1d2a-4b5c-8d9e-0a1b2c3d4e5f",
        "deadbeef-cafe-babe-face-feedfacecafe",
        "2026-11-30",
        "2026-11-30 16:49:27+01:00",
        "16:49:27.5",
        "/tmp/pytest-of-ci/p7",
        "/private/var/folders/xy/T/a",
        "/var/tmp/x",
        "/dev/shm/y",
        "/home/runner/work/_temp/z",
        "C:\\Users\\me\\AppData\\Local\\Temp\\x",
        "$RUNNER_TEMP/a",
        "127.0.0.1:54321",
        "10.0.0.1",
        "[::1]:8080",
        "[fe80::1]",
        "d41d8cd98f00b204e9800998ecf8427e",
        "DEADBEEFDEADBEEFDEADBEEFDEADBEEF",
        "0x7ffd5e8c1a20",
        "0xZZ",
        "abc1234f",
        "deadbeef",
        "facade",
        "added",
        "1234567",
        "12",
        "3.5",
        "1.52s",
        "10m0s",
        "1h2m3.5s",
        "120ms",
        "5 seconds",
        "3 min",
        "7h",
        "42",
        "-1",
        "1e9",
        "v1.2.3",
        "a1",
        "_",
        "x",
        "word",
        "the facade added a deadbeef cafe",
        "assert 3 == 4",
        "expected 3 to equal 4",
    ];
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let text = |random: &mut Random| {
        let lines: Vec<String> = (0..random.below(5))
            .map(|_| match random.below(4) {
                0 => random.line(PIECES, 6),
                1 => random.frame_like(),
                2 => random.parameters(),
                _ => format!("{}{}", random.line(PIECES, 2), random.frame_like()),
            })
            .collect();
        lines.join(["\n", "\r\n", "\n\n"][random.below(3)])
    };
    let (mut with_frames, mut with_placeholders) = (0, 0);
    for _ in 0..CASES {
        let message = text(&mut random);
        let details = text(&mut random);
        assert_as_reference(&message, &details, "fallback");
        let print = fingerprint(&message, &details, "fallback");
        with_frames += usize::from(!print.frames.is_empty());
        with_placeholders += usize::from(print.line.contains('<'));
    }
    // The pieces reach the frame readers and the parameters, not only noise.
    assert!(with_frames > CASES / 10, "{with_frames} with frames");
    assert!(
        with_placeholders > CASES / 10,
        "{with_placeholders} with placeholders"
    );
}

/// Generated cases (each compared whole, line by line and half by half).
const CASES: usize = 10_000;

/// xorshift64: the same sequence on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len())]
    }

    /// One to `most` pieces, one after another.
    fn line(&mut self, pieces: &[&str], most: usize) -> String {
        (0..1 + self.below(most))
            .map(|_| self.pick(pieces))
            .collect()
    }

    /// A stack frame's shape (JavaScript, Java, Python, Rust, Go), each
    /// part right or nearly.
    fn frame_like(&mut self) -> String {
        let file = self.pick(&[
            "/app/src/cart.ts",
            "src/a.js",
            "C:\\w\\a.js",
            "file:///app/x.mjs",
            "x",
            "a b.js",
            "a(b).js",
            "a)b.js",
            ":1",
            " x.js",
            "(x.js",
            "node:internal/x",
            "/app/node_modules/jest-circus/build/utils.js",
            "Cart.java",
            "Main.kt",
            "a/Cart.java",
            "Cart.java:12",
            "src/lib.rs",
            "./src/parser.rs",
            "/rustc/x/library/std/src/a.rs",
            "/home/ci/shop/cart/cart.go",
            "cart_test.go",
            "/usr/local/go/src/testing/testing.go",
            "/home/ci/app/orders.py",
            "/usr/lib/python3.11/unittest/case.py",
            "é.js",
            "",
        ]);
        let position = self.pick(&[
            ":22:31",
            ":9",
            ":1:2:3",
            ":",
            "::",
            ":x",
            ":12:",
            "",
            ":7 +0x1d",
            ":31 +0xzz",
            ":1\u{a0}",
        ]);
        let close = self.pick(&[")", "", "))", " )", ")x"]);
        let function = self.pick(&[
            "",
            "Cart.total",
            "Object.<anonymous>",
            "Foo.bar [as baz]",
            "a [as ]",
            "a [as b",
            "new Promise",
            "async",
            "com.shop.Cart.total",
            "java.util.X.y",
            "f(x)",
            "x y",
            "std::panicking::begin_panic",
            "mycrate::parse",
        ]);
        match self.below(6) {
            0 | 1 => {
                let at = self.pick(&["at ", "at async ", "at  ", "at async  ", "\tat "]);
                let open = self.pick(&[" (", "(", " [as x] (", ""]);
                if function.is_empty() {
                    format!("{at}{file}{position}{close}")
                } else {
                    format!("{at}{function}{open}{file}{position}{close}")
                }
            }
            2 => format!("at {function}({file}{position}{close}"),
            3 => format!(
                "File \"{file}\", line {}, in {function}{}",
                self.below(99),
                self.pick(&["", " x", "\u{a0}y"])
            ),
            4 => format!("{}: {function}", self.below(20)),
            _ => format!("{file}{position}{}", self.pick(&["", ": ", " +0x1f", "x"])),
        }
    }

    /// Parameters and near misses, with what may stand around them.
    fn parameters(&mut self) -> String {
        const PARAMETERS: &[&str] = &[
            "12",
            "1234567",
            "1234567.5",
            "0123456789012345678901234567890123456789",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "abcdefabcdefabcdefabcdefabcdefabcdef",
            "ABCDEF1",
            "abcdef",
            "fedcba9",
            "0x",
            "0xZZ",
            "0x1f",
            "1.2.3.4",
            "1.2.3.4:5",
            "1.2.3",
            "999.1.1.1:123456",
            "[::1]",
            "[a:b]:80",
            "[]",
            "2026-11-30",
            "2026-11-30T10:00",
            "2026-11-30T10:00x",
            "2026-11-30 10:00:00,5+0100",
            "10:00:00",
            "10:00:00.5",
            "1:00:00",
            "3f2b9c4e-1d2a-4b5c-8d9e-0a1b2c3d4e5f",
            "3f2b9c4e-1d2a-4b5c-8d9e-0a1b2c3d4e5",
            "5s",
            "5 s",
            "5  s",
            "5sec",
            "5secs",
            "5 seconds",
            "5second",
            "5 m",
            "5min",
            "5mins",
            "5 minutes",
            "5h",
            "5 hours",
            "5 µs",
            "5µs",
            "5us",
            "5ns",
            "5x",
            "1h2m3s",
            "2m3.5s",
            "1h2m",
            "3.5ms",
            "'a'",
            "'",
            "\"b\"",
            "`c`",
            "x'y'",
            "'a\"b'",
            "http://h:8/p?q=1",
            "git+ssh://g/x",
            "a.b://c",
            "1://x",
            "/tmp/a",
            "/tmp",
            "/var/folders/x",
            "/private/var/folders/y",
            "/dev/shm",
            "$RUNNER_TEMP",
            "$RUNNER",
            "C:\\Users\\me\\AppData\\Local\\Temp\\a://b",
            "C:\\x",
            "deadbeef",
            "added",
            "cafe",
            "facade",
            "decade1",
            "x1",
            "1x",
            "_1",
            "1_",
            "é1",
            "1é",
            "µ",
        ];
        const AROUND: &[&str] = &[
            "", " ", ",", ":", ".", "-", "/", "=", "(", ")", "a", "_", "é", "'", "\"",
        ];
        (0..1 + self.below(5))
            .map(|_| format!("{}{}", self.pick(AROUND), self.pick(PARAMETERS)))
            .collect()
    }
}

/// Fixed fingerprints: a change made for speed cannot move a group's id
/// without this failing (the ids were computed by the code before it was
/// made fast).
#[test]
fn fingerprints_of_a_fixed_sample_do_not_move() {
    for (message, details, want) in PINNED {
        assert_eq!(
            fingerprint(message, details, "t").id,
            *want,
            "{message:?} / {details:?}"
        );
    }
}

/// (message, details, id): each stack shape, CI prefixes, colours, every
/// kind of parameter, tracebacks and silent failures.
const PINNED: &[(&str, &str, &str)] = &[
    (
        "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        "",
        "7f3867ac7d5bcff2",
    ),
    (
        "expect(received).toBe(expected) // Object.is equality\n\nExpected: 5\nReceived: 6",
        "    at Cart.total (/home/runner/work/shop/shop/src/cart.ts:21:11)\n    at Object.<anonymous> (/home/runner/work/shop/shop/src/cart.test.ts:12:3)\n    at Promise.then.completed (/home/runner/work/shop/shop/node_modules/jest-circus/build/utils.js:298:28)\n    at new Promise (<anonymous>)",
        "5c8162a6a4e10f7c",
    ),
    (
        "Warning: An update to Checkout inside a test was not wrapped in act(...).",
        "",
        "63518d297840c859",
    ),
    ("AssertionError: assert 3 == 5", "", "f6a0088eb1c015c6"),
    (
        "requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=30417): Max retries exceeded",
        "",
        "c537f6f76ce319d5",
    ),
    (
        "ModuleNotFoundError: No module named 'pkg_7'",
        "",
        "baed01d6281183c3",
    ),
    (
        "thread 'parser::tests::case_3' panicked at src/parser.rs:88:9:\nassertion `left == right` failed",
        "",
        "2eb5a7eac5a3511a",
    ),
    ("panic: test timed out after 10m0s", "", "225643e761f64390"),
    (
        "Error: ENOENT: no such file or directory, open '/tmp/jest_1f/fixture.json' (after 12ms)",
        "",
        "7161bd74b024f49e",
    ),
    (
        "java.lang.NullPointerException at 0x00000001e4a7: Cannot invoke \"Order.total()\"",
        "\tat com.shop.Cart.total(Cart.java:31)\n\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)\n\tat org.junit.runners.ParentRunner.run(ParentRunner.java:413)",
        "4e4d128393413cea",
    ),
    (
        "",
        "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/unittest/case.py\", line 57, in testPartExecutor\n  File \"/home/ci/work/app/tests/test_orders.py\", line 12, in test_total\n  File \"/home/ci/work/app/app/orders.py\", line 40, in total\nZeroDivisionError: division by zero",
        "7e72392052260760",
    ),
    (
        "thread 'main' panicked at src/parser.rs:88:9:\nboom",
        "stack backtrace:\n   0: std::panicking::begin_panic\n             at /rustc/abc/library/std/src/panicking.rs:616:12\n   1: mycrate::parser::parse\n             at ./src/parser.rs:88:9",
        "e8959a25495ee49c",
    ),
    (
        "panic: boom",
        "goroutine 7 [running]:\nexample.com/shop/cart.Total(...)\n\t/home/ci/shop/cart/cart.go:31 +0x1d\ntesting.tRunner(0xc000102000, 0x5d8a50)\n\t/usr/local/go/src/testing/testing.go:1595 +0xff",
        "15d405d407e918c7",
    ),
    ("    cart_test.go:12: got 3, want 4", "", "b6130b0efef416b3"),
    (
        "2026-11-30T10:00:01.1234567Z ##[error]Process completed with exit code 1.",
        "",
        "c56216b24846794f",
    ),
    (
        "\x1b[31mE   AssertionError: assert {'a': 1} == {'a': 2}\x1b[0m",
        "",
        "4c757a564b62e271",
    ),
    (
        "npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd",
        "",
        "86bbd598c0a85a8b",
    ),
    (
        "::error file=src/a.ts,line=3::Unexpected any",
        "",
        "90de102638885f5f",
    ),
    (
        "request 3f2b9c4e-1d2a-4b5c-8d9e-0a1b2c3d4e5f failed at 2026-11-30T16:49:27.123Z from [::1]:8080",
        "",
        "91e513f7e4b3cb09",
    ),
    (
        "checksum d41d8cd98f00b204e9800998ecf8427e does not match abc1234f in /var/folders/xy/T/a.bin",
        "",
        "c4d79bbe8b825ce7",
    ),
    (
        "C:\\Users\\me\\AppData\\Local\\Temp\\jest\\x.json took 1h2m3.5s, 3 µs, 5 seconds",
        "    at C:\\work\\app\\src\\a.js:1:2",
        "1dcfdc483ec90093",
    ),
    (
        "the facade added a deadbeef cafe; don't retry",
        "",
        "6561a9995d319974",
    ),
    (
        "Error: connect ECONNREFUSED 127.0.0.1:5432",
        "    at Db.connect (file:///app/src/db.ts:41:11)\n    at async Context.<anonymous> (file:///app/test/db.spec.mjs:12:3)\n    at node:internal/process/task_queues:95:5",
        "20e758437b573536",
    ),
    ("", "", "639fb9d3f3dfe8d1"),
    ("\n-----\n", "FAILED\n", "639fb9d3f3dfe8d1"),
];
