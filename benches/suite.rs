//! Test-suite benchmarks (figures in the README's Performance section):
//!
//! - JUnit parsing throughput: `junit::parse_file` over a generated ~64 MB
//!   report (mostly passing cases, ~4% failures with 20-line stack traces in
//!   CDATA, errors, skipped cases, `<system-out>` blocks, nested suites, a few
//!   retries);
//! - `split::split` of 100,000 log-normal items into 64 shards (target
//!   ≤ 200 ms);
//! - `split::auto` on the same 100,000 items;
//! - `merge::merge` of 256 shard results holding 100,000 tests (target ≤ 1 s);
//! - `go_json_to_junit` over a generated `go test -json` stream of 100,000
//!   tests in 200 packages (every fiftieth failing with output lines).
//!
//! The binary also has two modes for `scripts/compare-junit.sh`, which runs
//! it directly (not through `cargo bench`), so that the comparison uses the
//! same generator and measures the parser alone:
//!
//! ```text
//! suite-<hash> generate-junit FILE MEGABYTES [realistic|bodies]
//! suite-<hash> parse-junit FILE
//! ```
//!
//! `realistic` is the mix above, scaled; `bodies` has 2,000 unique tests
//! repeated (as retries would) with 16–128 KiB of `<system-out>` each and
//! larger failure bodies, so memory that grows with unique tests stays
//! small and what remains is the parser's own. `parse-junit` parses a file,
//! counts outcomes and prints one JSON line.

use std::fs::File;
use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group};
use pitcrew::suite::fold::{Counts, FailureInfo, FinalOutcome, TestKey, TestResult};
use pitcrew::suite::junit::{self, Outcome};
use pitcrew::suite::merge::{self, Inputs};
use pitcrew::suite::result::{FORMAT, ItemResult, ShardResult};
use pitcrew::suite::runners::go_json_to_junit;
use pitcrew::suite::split::{self, Item};

// ---------------------------------------------------------------------------
// Deterministic randomness (SplitMix64), so every run sees the same data.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Log-normal with the given median and shape (Box–Muller).
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        let z = (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos();
        median * (sigma * z).exp()
    }
}

// ---------------------------------------------------------------------------
// JUnit report generator.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// Many unique tests, small bodies: a large CI run.
    Realistic,
    /// 2,000 unique tests repeated, large bodies.
    Bodies,
}

struct Generated {
    bytes: u64,
    cases: u64,
}

const WORDS: &[&str] = &[
    "cart",
    "order",
    "total",
    "checkout",
    "invoice",
    "user",
    "session",
    "token",
    "payment",
    "refund",
    "shipping",
    "address",
    "coupon",
    "tax",
    "currency",
    "inventory",
    "search",
    "index",
];

const FRAMES: &[&str] = &[
    "com.shop.orders.OrderService.total",
    "com.shop.orders.OrderService.applyCoupon",
    "com.shop.cart.CartRepository.load",
    "org.junit.jupiter.api.AssertionUtils.fail",
    "org.junit.jupiter.api.AssertEquals.assertEquals",
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke",
    "java.base/java.lang.reflect.Method.invoke",
    "org.junit.platform.commons.util.ReflectionUtils.invokeMethod",
    "org.junit.jupiter.engine.execution.MethodInvocation.proceed",
    "org.junit.jupiter.engine.extension.TimeoutExtension.intercept",
];

/// A test name like `test_0000123_total_with_coupon`, the same for the
/// same index.
fn case_name(out: &mut String, index: u64) {
    use std::fmt::Write as _;
    let n = WORDS.len() as u64;
    let a = WORDS[(index % n) as usize];
    let b = WORDS[(index / n % n) as usize];
    write!(out, "test_{index:07}_{a}_with_{b}").unwrap();
    if index % 8 == 3 {
        write!(out, "[param-{}]", index % 16).unwrap();
    }
}

/// A 20-line stack trace (plus `extra` bytes of log) for a CDATA body.
fn stack_trace(out: &mut String, rng: &mut Rng, extra: usize) {
    use std::fmt::Write as _;
    let expected = rng.below(1000);
    writeln!(
        out,
        "org.opentest4j.AssertionFailedError: expected: <{expected}> but was: <{}>",
        expected + 1 + rng.below(9)
    )
    .unwrap();
    for _ in 0..19 {
        let frame = FRAMES[rng.below(FRAMES.len() as u64) as usize];
        let file = frame.rsplit('.').nth(1).unwrap_or("Main");
        writeln!(out, "\tat {frame}({file}.java:{})", 10 + rng.below(900)).unwrap();
    }
    log_lines(out, rng, extra);
}

/// About `bytes` of log lines (some with characters that need escaping
/// outside CDATA; callers inside CDATA leave them as they are).
fn log_lines(out: &mut String, rng: &mut Rng, bytes: usize) {
    use std::fmt::Write as _;
    let start = out.len();
    let mut n = 0u64;
    while out.len() - start < bytes {
        n += 1;
        let word = WORDS[rng.below(WORDS.len() as u64) as usize];
        writeln!(
            out,
            "2025-11-21T10:{:02}:{:02}.{:03}Z INFO  [worker-{}] {word} request {n} took {} ms (status=200, bytes={})",
            rng.below(60),
            rng.below(60),
            rng.below(1000),
            rng.below(8),
            rng.below(500),
            rng.below(100_000)
        )
        .unwrap();
    }
}

/// Writes a JUnit report of about `target_bytes` to `path`.
fn generate(path: &Path, target_bytes: u64, profile: Profile) -> io::Result<Generated> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x5EED_0000 ^ target_bytes);
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pitcrew-bench\">\n";
    out.write_all(head.as_bytes())?;
    let mut written = head.len() as u64;
    let mut cases = 0u64;
    let mut suite_index = 0u64;
    let mut body = String::with_capacity(1 << 20);
    let mut name = String::new();
    let tail = "</testsuites>\n";
    while written + (tail.len() as u64) < target_bytes {
        let (file, inner_suites, cases_per_inner) = match profile {
            Profile::Realistic => (
                format!(
                    "src/pkg_{:04}/{}_{:05}.test.ts",
                    suite_index / 20,
                    WORDS[(suite_index % WORDS.len() as u64) as usize],
                    suite_index
                ),
                1 + rng.below(3),
                5 + rng.below(40),
            ),
            // 500 files × 4 tests, the same names every round.
            Profile::Bodies => (
                format!(
                    "src/pkg_{:02}/module_{:03}.test.ts",
                    (suite_index % 500) / 20,
                    suite_index % 500
                ),
                1,
                4,
            ),
        };
        body.clear();
        let mut suite_counts = [0u64; 4]; // tests, failures, errors, skipped
        for inner in 0..inner_suites {
            let mut inner_body = String::new();
            let mut inner_counts = [0u64; 4];
            for k in 0..cases_per_inner {
                name.clear();
                let index = match profile {
                    Profile::Realistic => cases,
                    Profile::Bodies => (suite_index % 500) * 4 + k,
                };
                case_name(&mut name, index);
                let classname = format!("{file} > describe {inner}");
                let roll = rng.below(1000);
                let time = rng.lognormal(0.05, 1.5);
                let attempts = if roll < 40 && rng.below(4) == 0 { 2 } else { 1 };
                for attempt in 0..attempts {
                    use std::fmt::Write as _;
                    inner_counts[0] += 1;
                    cases += 1;
                    write!(
                        inner_body,
                        "      <testcase name=\"{name}\" classname=\"{classname}\" file=\"{file}\" line=\"{}\" time=\"{time:.3}\"",
                        12 + k * 9
                    )
                    .unwrap();
                    // A retried failure passes on its second attempt.
                    let roll = if attempt == 1 { 999 } else { roll };
                    let out_bytes = match profile {
                        Profile::Realistic if roll >= 75 && rng.below(100) < 10 => {
                            200 + rng.below(800) as usize
                        }
                        Profile::Realistic => 0,
                        Profile::Bodies => 16 * 1024 + rng.below(112 * 1024) as usize,
                    };
                    if roll < 40 {
                        inner_counts[1] += 1;
                        let expected = rng.below(100);
                        write!(
                            inner_body,
                            ">\n        <failure message=\"expected &lt;{expected}&gt; but was &quot;{}&quot;\" type=\"AssertionFailedError\"><![CDATA[",
                            expected + 1
                        )
                        .unwrap();
                        let extra = match profile {
                            Profile::Realistic => 0,
                            Profile::Bodies => 16 * 1024 + rng.below(96 * 1024) as usize,
                        };
                        stack_trace(&mut inner_body, &mut rng, extra);
                        inner_body.push_str("]]></failure>\n");
                    } else if roll < 45 {
                        inner_counts[2] += 1;
                        inner_body.push_str(">\n        <error message=\"TypeError: cannot read properties of undefined (reading &apos;total&apos;)\" type=\"TypeError\">TypeError: cannot read properties of undefined (reading 'total')\n    at Cart.total (src/cart.ts:14:7)\n    at Object.&lt;anonymous&gt; (src/cart.test.ts:22:31)</error>\n");
                    } else if roll < 75 {
                        inner_counts[3] += 1;
                        inner_body
                            .push_str(">\n        <skipped message=\"requires a GPU runner\"/>\n");
                    } else if out_bytes == 0 {
                        inner_body.push_str("/>\n");
                        continue;
                    } else {
                        inner_body.push_str(">\n");
                    }
                    if out_bytes > 0 {
                        inner_body.push_str("        <system-out><![CDATA[");
                        log_lines(&mut inner_body, &mut rng, out_bytes);
                        inner_body.push_str("]]></system-out>\n");
                    }
                    inner_body.push_str("      </testcase>\n");
                }
            }
            {
                use std::fmt::Write as _;
                write!(
                    body,
                    "    <testsuite name=\"{file} > describe {inner}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{inner_body}    </testsuite>\n",
                    inner_counts[0], inner_counts[1], inner_counts[2], inner_counts[3]
                )
                .unwrap();
            }
            for (total, part) in suite_counts.iter_mut().zip(inner_counts) {
                *total += part;
            }
        }
        if rng.below(10) == 0 {
            body.push_str("    <system-out>worker started\nconfig loaded from jest.config.ts\n</system-out>\n");
        }
        let open = format!(
            "  <testsuite name=\"{file}\" file=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"2025-11-21T10:00:00\" hostname=\"runner-{}\">\n    <properties>\n      <property name=\"shard\" value=\"{}\"/>\n      <property name=\"node\" value=\"v22.11.0\"/>\n    </properties>\n",
            suite_counts[0],
            suite_counts[1],
            suite_counts[2],
            suite_counts[3],
            suite_index % 64,
            1 + suite_index % 64,
        );
        out.write_all(open.as_bytes())?;
        out.write_all(body.as_bytes())?;
        out.write_all(b"  </testsuite>\n")?;
        written += (open.len() + body.len() + "  </testsuite>\n".len()) as u64;
        suite_index += 1;
    }
    out.write_all(tail.as_bytes())?;
    written += tail.len() as u64;
    out.flush()?;
    Ok(Generated {
        bytes: written,
        cases,
    })
}

/// Parses `path`, counting outcomes: the work of `parse-junit`.
fn parse_and_count(path: &Path) -> [u64; 4] {
    let mut counts = [0u64; 4];
    junit::parse_file(path, |case| {
        let k = match case.outcome {
            Outcome::Passed => 0,
            Outcome::Failed => 1,
            Outcome::Errored => 2,
            Outcome::Skipped => 3,
        };
        counts[k] += 1;
    })
    .expect("the generated report parses");
    counts
}

fn parse_throughput(c: &mut Criterion) {
    let file = tempfile::Builder::new()
        .prefix("pitcrew-bench-")
        .suffix(".xml")
        .tempfile()
        .unwrap();
    let generated = generate(file.path(), 64 << 20, Profile::Realistic).unwrap();
    let counts = parse_and_count(file.path());
    eprintln!(
        "junit report: {:.1} MB, {} cases (passed {}, failed {}, errored {}, skipped {})",
        generated.bytes as f64 / 1e6,
        generated.cases,
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    assert_eq!(counts.iter().sum::<u64>(), generated.cases);
    let mut group = c.benchmark_group("junit");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(generated.bytes));
    group.bench_function("parse_file 64 MB", |b| {
        b.iter(|| black_box(parse_and_count(black_box(file.path()))))
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// Splitting.

/// `n` log-normal items, median 2 s, sigma 1.5 (a heavy tail).
fn lognormal_items(n: usize, seed: u64) -> Vec<Item> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            Item::new(
                format!("tests/pkg_{:03}/test_{i:06}.py", i / 40),
                rng.lognormal(2.0, 1.5),
            )
        })
        .collect()
}

fn splitting(c: &mut Criterion) {
    let items = lognormal_items(100_000, 2024);
    let plan = split::split(&items, 64).unwrap();
    eprintln!(
        "split 100,000 items into 64: makespan / lower bound = {:.6}",
        plan.makespan_seconds() / plan.lower_bound_seconds
    );
    let mut group = c.benchmark_group("split");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("split 100k items into 64 shards", |b| {
        b.iter(|| black_box(split::split(black_box(&items), 64).unwrap()))
    });
    for (label, target_minutes) in [
        ("60 min target (met)", 60.0),
        ("10 min target (unmet)", 10.0),
    ] {
        let choice = split::auto(&items, target_minutes, 30.0, 256).unwrap();
        eprintln!(
            "auto, {label}: {} shards, {} billed min, wall {:.0} s, met {}",
            choice.shards, choice.billed_minutes, choice.predicted_wall_seconds, choice.target_met
        );
        group.bench_function(format!("auto 100k items, {label}"), |b| {
            b.iter(|| black_box(split::auto(black_box(&items), target_minutes, 30.0, 256).unwrap()))
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------
// Merging.

/// 256 shard results holding 100,000 test cases: ~4% failed with a failure
/// body, 3% skipped, and 1% of tests retried in another shard (so the merge
/// folds duplicates too).
fn shard_results() -> Vec<(String, ShardResult)> {
    const SHARDS: usize = 256;
    const TESTS: usize = 100_000;
    let mut rng = Rng(256);
    let mut shards: Vec<ShardResult> = (1..=SHARDS)
        .map(|shard| ShardResult {
            format: FORMAT.to_string(),
            plan_sha256: "5f0c6e0a9b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e".into(),
            shard,
            total: SHARDS,
            runner: "jest".into(),
            items: Vec::new(),
            tests: Vec::new(),
            counts: Counts::default(),
            error: None,
            duration_seconds: 0.0,
            cpu_seconds: None,
            cpu_share: None,
            processes: None,
            files_running_seconds: None,
            workers: None,
            command: None,
        })
        .collect();
    for i in 0..TESTS {
        let file = format!("src/pkg_{:03}/module_{:05}.test.ts", i / 400, i / 20);
        // Files are items; a file's tests all run in one shard.
        let shard = &mut shards[(i / 20) % SHARDS];
        let roll = rng.below(100);
        let (outcome, failure) = match roll {
            0..4 => (
                FinalOutcome::Failed,
                Some(FailureInfo {
                    message: Some(format!("expected {i} to equal {}", i + 1)),
                    failure_type: Some("AssertionError".into()),
                    details: Some(format!(
                        "AssertionError: expected {i} to equal {}\n    at Object.<anonymous> ({file}:22:31)\n    at Promise.then.completed (node_modules/jest-circus/build/utils.js:298:28)",
                        i + 1
                    )),
                    line: None,
                }),
            ),
            4..7 => (FinalOutcome::Skipped, None),
            _ => (FinalOutcome::Passed, None),
        };
        let seconds = rng.lognormal(0.05, 1.5);
        let test = TestResult {
            key: TestKey {
                file: Some(file.clone()),
                classname: format!("{file} > describe"),
                name: format!("test {i} adds an item"),
                occurrence: 0,
            },
            outcome,
            attempts: 1,
            duration_seconds: seconds,
            failure,
        };
        shard.counts.cases += 1;
        match outcome {
            FinalOutcome::Failed => shard.counts.failures += 1,
            FinalOutcome::Skipped => shard.counts.skipped += 1,
            _ => {}
        }
        shard.duration_seconds += seconds;
        match shard.items.last_mut() {
            Some(item) if item.id == file => {
                item.tests += 1;
                item.duration_seconds += seconds;
            }
            _ => shard.items.push(ItemResult {
                id: file,
                test_of: None,
                tests: 1,
                duration_seconds: seconds,
                selected_none: false,
            }),
        }
        // A retry of the same test reported by another shard.
        let retried = rng.below(100) == 0;
        shard.tests.push(test.clone());
        if retried {
            let other = &mut shards[(i / 20 + 1) % SHARDS];
            other.counts.cases += 1;
            other.tests.push(TestResult {
                outcome: FinalOutcome::Passed,
                failure: None,
                ..test
            });
        }
    }
    shards
        .into_iter()
        .map(|s| (format!("results/pitcrew-shard-{}.json", s.shard), s))
        .collect()
}

fn merging(c: &mut Criterion) {
    let shards = shard_results();
    let cases: u64 = shards.iter().map(|(_, s)| s.counts.cases).sum();
    let merged = merge::merge(
        Inputs {
            shards: shards.clone(),
            ..Inputs::default()
        },
        None,
    );
    eprintln!(
        "merge: 256 shard results, {cases} cases, {} unique tests ({} failed, {} flaky), {} problems",
        merged.summary.tests,
        merged.summary.failed,
        merged.summary.flaky,
        merged.problems.len()
    );
    assert!(merged.problems.is_empty(), "{:?}", merged.problems);
    let mut group = c.benchmark_group("merge");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("merge 256 shards, 100k tests", |b| {
        b.iter_batched(
            || Inputs {
                shards: shards.clone(),
                ..Inputs::default()
            },
            |inputs| merge::merge(inputs, None),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// go test -json to JUnit.

/// A `go test -json` stream of 100,000 tests in 200 packages, as go writes
/// it: `run`, its output lines, then the verdict; every fiftieth test fails
/// with a few lines of output.
fn go_json_stream() -> Vec<u8> {
    let mut out = Vec::with_capacity(64 << 20);
    let time = r#""Time":"2026-12-05T18:00:00.123456789Z""#;
    for p in 0..200 {
        let package = format!("example.com/mod/pkg{p:03}");
        for t in 0..500 {
            let test = format!("TestCase{t:04}");
            let failed = t % 50 == 49;
            let event = |action: &str, rest: &str| {
                format!(
                    r#"{{{time},"Action":"{action}","Package":"{package}","Test":"{test}"{rest}}}"#
                )
            };
            let mut lines = vec![
                event("run", ""),
                event("output", &format!(r#","Output":"=== RUN   {test}\n""#)),
            ];
            if failed {
                for line in 0..4 {
                    lines.push(event(
                        "output",
                        &format!(r#","Output":"    case_test.go:{line}: got 1, want 2\n""#),
                    ));
                }
            }
            let verdict = if failed { "FAIL" } else { "PASS" };
            lines.push(event(
                "output",
                &format!(r#","Output":"--- {verdict}: {test} (0.01s)\n""#),
            ));
            lines.push(event(&verdict.to_lowercase(), r#","Elapsed":0.01"#));
            for line in lines {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
        }
        let end = format!(r#"{{{time},"Action":"fail","Package":"{package}","Elapsed":5.2}}"#);
        out.extend_from_slice(end.as_bytes());
        out.push(b'\n');
    }
    out
}

fn go_json(c: &mut Criterion) {
    let stream = go_json_stream();
    eprintln!("go test -json stream: {:.1} MB", stream.len() as f64 / 1e6);
    let mut group = c.benchmark_group("go");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(stream.len() as u64));
    group.bench_function("go -json to JUnit, 100k tests", |b| {
        b.iter(|| {
            let mut xml = Vec::with_capacity(64 << 20);
            go_json_to_junit(io::Cursor::new(black_box(&stream)), &mut xml, 1).unwrap();
            black_box(xml.len())
        })
    });
    group.finish();
}

criterion_group!(benches, parse_throughput, splitting, merging, go_json);

// ---------------------------------------------------------------------------
// Entry point: the two helper modes, else criterion.

fn usage() -> ! {
    eprintln!(
        "usage: suite generate-junit FILE MEGABYTES [realistic|bodies]\n       suite parse-junit FILE\n       (or criterion's own arguments)"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate-junit") => {
            let (Some(path), Some(megabytes)) = (args.get(2), args.get(3)) else {
                usage()
            };
            let megabytes: u64 = megabytes.parse().unwrap_or_else(|_| usage());
            let profile = match args.get(4).map(String::as_str) {
                None | Some("realistic") => Profile::Realistic,
                Some("bodies") => Profile::Bodies,
                Some(_) => usage(),
            };
            let generated = generate(Path::new(path), megabytes << 20, profile).unwrap();
            println!(
                "{{\"bytes\":{},\"cases\":{}}}",
                generated.bytes, generated.cases
            );
        }
        Some("parse-junit") => {
            let Some(path) = args.get(2) else { usage() };
            let start = Instant::now();
            let counts = parse_and_count(Path::new(path));
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{{\"cases\":{},\"passed\":{},\"failed\":{},\"errored\":{},\"skipped\":{},\"seconds\":{seconds:.3}}}",
                counts.iter().sum::<u64>(),
                counts[0],
                counts[1],
                counts[2],
                counts[3]
            );
        }
        _ => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
