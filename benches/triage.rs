//! Triage throughput (figures in the README's Performance section): classify
//! and fingerprint 100,000 failures through the built-in WebAssembly
//! classifier (target: 1 s), against the same classifier compiled natively;
//! and what holds the WebAssembly path back, measured apart:
//!
//! - `contract only`: a classifier that answers without reading
//!   (`echo-classifier`, a test fixture) over the same batches: the cost of
//!   the boundary (instantiation per call, every string lowered into the
//!   guest and lifted into Rust strings, the answers lifted back);
//! - `classifier, wasm` and `classifier, native`: the classifier's own work
//!   is the wasm figure minus the contract's, next to the native figure;
//! - batch sizes 100, 1,000 (`BATCH`) and 10,000: the per-call overhead;
//! - `fingerprint`: the host's fingerprinting alone.
//!
//! Each is measured `before` (one batch after another, and the fingerprints
//! of `src/triage/fingerprint_reference.rs`, the code before it was made
//! fast, one failure after another) and `after` (what `pitcrew` runs now,
//! spread over the cores: `classify_all`, `fingerprints`, and for both
//! `classify_and_fingerprint`, which fingerprints each batch on the core
//! that classified it), side by side in one run; `serial` is the new code on
//! one core. The group `fingerprint
//! parts` splits one fingerprint into its error line and its frames.
//!
//! With `PITCREW_BENCH_BASELINE_CLASSIFIER=/path/to/classifier_default.wasm`
//! (an older build's component, from its target dir's
//! `wasm-plugins/wasm32-wasip2/plugin/`), the same work runs through it as
//! `baseline`, side by side with `after` in one run; its `classify +
//! fingerprint` is the previous pipeline (`classify_all`, then
//! `fingerprints`).
//!
//! The group `triage 100k, cpu time` measures the main figures again in
//! CPU time (every thread of the process, user and system), which a shared
//! machine's load inflates far less than wall time: on two otherwise idle
//! cores the wall time is about half of it.
//!
//! `cargo bench --bench triage -- --sample-size 10`

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, criterion_group, criterion_main};
use pitcrew::host::{CacheSetting, Plugin, PluginSpec, Runtime, Source, World, types};
use pitcrew::triage::classify::{BATCH, classify_all, classify_and_fingerprint};
use pitcrew::triage::fingerprint::{self, error_line, fingerprint, fingerprints, stack_frames};
use pitcrew::triage::parallel::map_pieces;

/// The fingerprinting before it was made fast, verbatim.
#[path = "../src/triage/fingerprint_reference.rs"]
#[allow(dead_code)]
mod reference;

const N: usize = 100_000;

/// Messages with the parts that differ between occurrences: ports, temp
/// dirs, durations, addresses, counts.
fn message(i: usize) -> String {
    let n = i % 9973;
    match i % 10 {
        0 => format!(
            "src/cart.ts({},{}): error TS2322: Type 'string' is not assignable to type 'number'.",
            n % 300,
            n % 40
        ),
        1 => format!(
            "expect(received).toBe(expected) // Object.is equality\n\nExpected: {n}\nReceived: {}",
            n + 1
        ),
        2 => {
            "Warning: An update to Checkout inside a test was not wrapped in act(...).".to_string()
        }
        3 => format!("AssertionError: assert {n} == {}", n + 2),
        4 => format!(
            "requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port={}): Max retries exceeded",
            30000 + n
        ),
        5 => format!("ModuleNotFoundError: No module named 'pkg_{}'", n % 50),
        6 => format!(
            "thread 'parser::tests::case_{n}' panicked at src/parser.rs:{}:9:\nassertion `left == right` failed",
            n % 500
        ),
        7 => format!("panic: test timed out after {}m0s", n % 30),
        8 => format!(
            "Error: ENOENT: no such file or directory, open '/tmp/jest_{n:x}/fixture.json' (after {}ms)",
            n % 1000
        ),
        _ => format!(
            "java.lang.NullPointerException at 0x{:012x}: Cannot invoke \"Order.total()\"",
            n * 7919
        ),
    }
}

fn details(i: usize) -> String {
    let root = [
        "/home/runner/work/shop/shop",
        "/builds/shop",
        "/Users/me/shop",
    ][i % 3];
    format!(
        "    at Cart.total ({root}/src/cart.ts:{}:11)\n    at Object.<anonymous> ({root}/src/cart.test.ts:12:3)\n    at Promise.then.completed ({root}/node_modules/jest-circus/build/utils.js:298:28)\n    at new Promise (<anonymous>)\n    at callAsyncCircusFn ({root}/node_modules/jest-circus/build/utils.js:231:10)",
        20 + i % 5
    )
}

fn failures() -> Vec<classifier_default::Failure> {
    (0..N)
        .map(|i| classifier_default::Failure {
            id: i.to_string(),
            test_name: format!("suite {} > case {i}", i % 97),
            file: Some(["src/cart.test.ts", "tests/test_api.py", "parser.rs"][i % 3].to_string()),
            message: message(i),
            details: details(i),
        })
        .collect()
}

fn to_wit(failures: &[classifier_default::Failure]) -> Vec<types::Failure> {
    failures
        .iter()
        .map(|f| types::Failure {
            id: f.id.clone(),
            test_name: f.test_name.clone(),
            file: f.file.clone(),
            message: f.message.clone(),
            details: f.details.clone(),
        })
        .collect()
}

/// One failure after another, with the code before it was made fast.
fn fingerprint_before(failures: &[types::Failure]) -> usize {
    failures
        .iter()
        .map(|f| {
            reference::fingerprint(&f.message, &f.details, &f.test_name)
                .id
                .len()
        })
        .sum()
}

/// One failure after another, with the code of now.
fn fingerprint_serial(failures: &[types::Failure]) -> usize {
    failures
        .iter()
        .map(|f| fingerprint(&f.message, &f.details, &f.test_name).id.len())
        .sum()
}

/// What `pitcrew` runs: on every core.
fn fingerprint_after(failures: &[types::Failure]) -> usize {
    fingerprints(failures).iter().map(|p| p.id.len()).sum()
}

/// What `pitcrew classify` runs: each batch classified, then fingerprinted
/// on the same core.
fn one_pass(classifier: &Plugin, failures: &[types::Failure]) -> usize {
    let (classes, prints) = classify_and_fingerprint(classifier, failures).unwrap();
    classes.len() + prints.iter().map(|p| p.id.len()).sum::<usize>()
}

/// The native classifier in `BATCH`es, spread over the cores like
/// `classify_all`, for the ratio to the WebAssembly one.
fn native_on_cores(failures: &[classifier_default::Failure]) -> usize {
    map_pieces(failures, BATCH, |_, batch| {
        classifier_default::classify_batch(batch).len()
    })
    .into_iter()
    .sum()
}

fn in_batches(plugin: &Plugin, failures: &[types::Failure], size: usize) -> usize {
    failures
        .chunks(size)
        .map(|batch| plugin.classify(batch).expect("classifies").len())
        .sum()
}

/// The plugins and the failures every group works on.
struct Setup {
    /// Kept alive for the plugins.
    _runtime: Runtime,
    classifier: Plugin,
    echo: Plugin,
    /// An older build's classifier (`PITCREW_BENCH_BASELINE_CLASSIFIER`).
    baseline: Option<Plugin>,
    native: Vec<classifier_default::Failure>,
    wit: Vec<types::Failure>,
}

/// The classifiers the groups compare, loaded once per group.
struct Classifiers {
    /// Kept alive for the plugins.
    runtime: Runtime,
    classifier: Plugin,
    echo: Plugin,
    /// An older build's classifier (`PITCREW_BENCH_BASELINE_CLASSIFIER`).
    baseline: Option<Plugin>,
}

impl Classifiers {
    fn load() -> Classifiers {
        let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
        let load = |spec: &PluginSpec, name: &str| {
            Plugin::load(&runtime, spec, name, Some(World::Classifier)).expect("loads")
        };
        let classifier = load(&PluginSpec::builtin("classifier-default"), "classifier");
        let echo = load(
            &PluginSpec {
                source: Source::File(pitcrew_fixtures::ECHO_CLASSIFIER.into()),
                ..PluginSpec::builtin("echo-classifier")
            },
            "echo",
        );
        let baseline = std::env::var_os("PITCREW_BENCH_BASELINE_CLASSIFIER").map(|path| {
            load(
                &PluginSpec {
                    source: Source::File(path.into()),
                    ..PluginSpec::builtin("classifier-default")
                },
                "baseline",
            )
        });
        Classifiers {
            runtime,
            classifier,
            echo,
            baseline,
        }
    }
}

impl Setup {
    fn new() -> Setup {
        let Classifiers {
            runtime,
            classifier,
            echo,
            baseline,
        } = Classifiers::load();
        let native = failures();
        let wit = to_wit(&native);
        Setup {
            _runtime: runtime,
            classifier,
            echo,
            baseline,
            native,
            wit,
        }
    }
}

fn triage(c: &mut Criterion) {
    let Setup {
        classifier,
        echo,
        baseline,
        native,
        wit,
        ..
    } = &Setup::new();
    let mut group = c.benchmark_group("triage 100k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("classify + fingerprint, wasm, before", |b| {
        b.iter(|| {
            let classes = in_batches(classifier, black_box(wit), BATCH);
            black_box((classes, fingerprint_before(wit)))
        })
    });
    group.bench_function("classify + fingerprint, wasm, after", |b| {
        b.iter(|| black_box(one_pass(classifier, black_box(wit))))
    });
    if let Some(baseline) = &baseline {
        group.bench_function("classify + fingerprint, wasm, baseline", |b| {
            b.iter(|| {
                let classes = classify_all(baseline, black_box(wit)).unwrap();
                black_box((classes.len(), fingerprint_after(wit)))
            })
        });
        group.bench_function("classifier, wasm, baseline", |b| {
            b.iter(|| black_box(classify_all(baseline, black_box(wit)).unwrap().len()))
        });
    }
    group.bench_function("classify + fingerprint, native, before", |b| {
        b.iter(|| {
            let classes = classifier_default::classify_batch(black_box(native));
            black_box((classes.len(), fingerprint_before(wit)))
        })
    });
    group.bench_function("classify + fingerprint, native, after", |b| {
        b.iter(|| black_box((native_on_cores(black_box(native)), fingerprint_after(wit))))
    });
    group.bench_function("classifier, wasm, before", |b| {
        b.iter(|| black_box(in_batches(classifier, black_box(wit), BATCH)))
    });
    group.bench_function("classifier, wasm, after", |b| {
        b.iter(|| black_box(classify_all(classifier, black_box(wit)).unwrap().len()))
    });
    group.bench_function("classifier, native, before", |b| {
        b.iter(|| black_box(classifier_default::classify_batch(black_box(native))))
    });
    group.bench_function("classifier, native, after", |b| {
        b.iter(|| black_box(native_on_cores(black_box(native))))
    });
    group.bench_function("contract only (echo), wasm, before", |b| {
        b.iter(|| black_box(in_batches(echo, black_box(wit), BATCH)))
    });
    group.bench_function("contract only (echo), wasm, after", |b| {
        b.iter(|| black_box(classify_all(echo, black_box(wit)).unwrap().len()))
    });
    for size in [100, 10_000] {
        group.bench_function(format!("classifier, wasm, batch {size}"), |b| {
            b.iter(|| black_box(in_batches(classifier, black_box(wit), size)))
        });
    }
    group.bench_function("fingerprint, before", |b| {
        b.iter(|| black_box(fingerprint_before(black_box(wit))))
    });
    group.bench_function("fingerprint, serial", |b| {
        b.iter(|| black_box(fingerprint_serial(black_box(wit))))
    });
    group.bench_function("fingerprint, after", |b| {
        b.iter(|| black_box(fingerprint_after(black_box(wit))))
    });
    group.finish();

    // Where one fingerprint's time goes (one core, 100,000 failures).
    let mut parts = c.benchmark_group("fingerprint parts");
    parts.sample_size(10);
    parts.bench_function("error line, before", |b| {
        b.iter(|| {
            wit.iter()
                .filter_map(|f| reference::error_line(&f.message))
                .map(|l| reference::parameterise(&l).len())
                .sum::<usize>()
        })
    });
    parts.bench_function("error line, after", |b| {
        b.iter(|| {
            wit.iter()
                .filter_map(|f| error_line(&f.message))
                .map(|l| fingerprint::parameterise(&l).len())
                .sum::<usize>()
        })
    });
    parts.bench_function("frames, before", |b| {
        b.iter(|| {
            wit.iter()
                .map(|f| reference::stack_frames(&f.details).count())
                .sum::<usize>()
        })
    });
    parts.bench_function("frames, after", |b| {
        b.iter(|| {
            wit.iter()
                .map(|f| stack_frames(&f.details).count())
                .sum::<usize>()
        })
    });
    parts.finish();
}

/// The CPU time of the whole process (all its threads, user and system).
struct CpuTime;

/// Durations are shown as the wall-clock measurement shows them.
static DURATIONS: WallTime = WallTime;

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        process_cpu_time()
    }
    fn end(&self, start: Duration) -> Duration {
        process_cpu_time().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        DURATIONS.formatter()
    }
}

#[cfg(unix)]
fn process_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    let failed = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } != 0;
    assert!(
        !failed,
        "CLOCK_PROCESS_CPUTIME_ID is always there on Linux and macOS"
    );
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Elsewhere the wall clock (the group's figures are then wall times).
#[cfg(not(unix))]
fn process_cpu_time() -> Duration {
    use std::sync::LazyLock;
    use std::time::Instant;
    static START: LazyLock<Instant> = LazyLock::new(Instant::now);
    START.elapsed()
}

/// The main figures in CPU time (see the module docs).
fn triage_cpu(c: &mut Criterion<CpuTime>) {
    let setup = Setup::new();
    let mut group = c.benchmark_group("triage 100k, cpu time");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let wit = &setup.wit;
    let classifiers = [
        Some(("after", &setup.classifier)),
        setup.baseline.as_ref().map(|b| ("baseline", b)),
    ];
    group.bench_function("classify + fingerprint, wasm, after", |b| {
        b.iter(|| black_box(one_pass(&setup.classifier, black_box(wit))))
    });
    if let Some(baseline) = &setup.baseline {
        group.bench_function("classify + fingerprint, wasm, baseline", |b| {
            b.iter(|| {
                let classes = classify_all(baseline, black_box(wit)).unwrap();
                black_box((classes.len(), fingerprint_after(wit)))
            })
        });
    }
    for (name, classifier) in classifiers.into_iter().flatten() {
        group.bench_function(format!("classifier, wasm, {name}"), |b| {
            b.iter(|| black_box(classify_all(classifier, black_box(wit)).unwrap().len()))
        });
    }
    group.bench_function("classify + fingerprint, native, after", |b| {
        b.iter(|| {
            black_box((
                native_on_cores(black_box(&setup.native)),
                fingerprint_after(wit),
            ))
        })
    });
    group.bench_function("contract only (echo), wasm, after", |b| {
        b.iter(|| black_box(classify_all(&setup.echo, black_box(wit)).unwrap().len()))
    });
    group.bench_function("fingerprint, after", |b| {
        b.iter(|| black_box(fingerprint_after(black_box(wit))))
    });
    group.finish();
}

/// 1,000 failures whose message and details are 70 KB each of text no rule
/// matches (half one long line, half short log lines): the classifier then
/// also runs its guess (`guess.rs`), and the host cuts each field to its
/// head and tail and the batches to 8 MiB (`BATCH_BYTES`).
fn long_texts(c: &mut Criterion) {
    let Classifiers {
        classifier,
        baseline,
        ..
    } = &Classifiers::load();
    let one_line = "x".repeat(70_000);
    let log_lines = "INFO 12:00:01 worker started job 42 ok\n".repeat(1_800);
    let native: Vec<classifier_default::Failure> = (0..1_000)
        .map(|i| {
            let text = if i % 2 == 0 { &one_line } else { &log_lines };
            classifier_default::Failure {
                id: format!("f{i}"),
                test_name: format!("t{i}"),
                file: None,
                message: text.clone(),
                details: text.clone(),
            }
        })
        .collect();
    let wit = to_wit(&native);
    let mut group = c.benchmark_group("long texts, 1,000 failures");
    group.sample_size(10);
    group.bench_function("classifier, wasm", |b| {
        b.iter(|| black_box(classify_all(classifier, black_box(&wit)).unwrap().len()))
    });
    if let Some(baseline) = baseline {
        group.bench_function("classifier, wasm, baseline", |b| {
            b.iter(|| black_box(classify_all(baseline, black_box(&wit)).unwrap().len()))
        });
    }
    group.bench_function("classifier, native", |b| {
        b.iter(|| black_box(classifier_default::classify_batch(black_box(&native)).len()))
    });
    group.finish();
}

criterion_group!(benches, triage, long_texts);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = triage_cpu
}
criterion_main!(benches, cpu);
