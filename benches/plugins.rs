//! Plugin runtime benchmarks (figures in the README's Performance section):
//!
//! - instantiate-and-call of a built-in from its `InstancePre`;
//! - one classifier call on a 10,000-failure batch, against the same logic
//!   compiled natively (`classifier_default::classify_batch`);
//! - cold compilation of every built-in;
//! - `pitcrew plugin list`, the whole process, with a warm cache.

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pitcrew::host::{CacheSetting, Plugin, PluginSpec, Runtime, World, builtin, types};
use wasmtime::component::Component;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "src/cart.ts",
        "src/cart.ts(14,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    ),
    (
        "src/cart.test.ts",
        "expect(received).toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: 2",
    ),
    (
        "src/Checkout.test.tsx",
        "Warning: An update to Checkout inside a test was not wrapped in act(...).",
    ),
    ("tests/test_orders.py", "AssertionError: assert 41 == 42"),
    (
        "tests/test_api.py",
        "requests.exceptions.ConnectionError: [Errno 111] Connection refused",
    ),
    (
        "tests/test_import.py",
        "ModuleNotFoundError: No module named 'pandas'",
    ),
    (
        "src/parser.rs",
        "thread 'parser::tests::parses_empty' panicked at src/parser.rs:88:9:\nassertion `left == right` failed",
    ),
    ("fetch_test.go", "panic: test timed out after 10m0s"),
    (
        "e2e/checkout.spec.ts",
        "Error: locator.click: Timeout 30000ms exceeded.\nCall log:\n  - waiting for locator('button#pay')",
    ),
    (
        "OrderTest.java",
        "java.lang.NullPointerException: Cannot invoke \"Order.total()\" because \"order\" is null",
    ),
    (
        "build.js",
        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
    ),
    (
        "setup.ts",
        "Error: environment variable DATABASE_URL is not set",
    ),
];

const STACK: &str = "    at Object.<anonymous> (src/module.ts:22:31)\n    at Promise.then.completed (node_modules/jest-circus/build/utils.js:298:28)\n    at new Promise (<anonymous>)\n    at callAsyncCircusFn (node_modules/jest-circus/build/utils.js:231:10)\n    at _callCircusTest (node_modules/jest-circus/build/run.js:316:40)";

fn batch(n: usize) -> Vec<classifier_default::Failure> {
    (0..n)
        .map(|i| {
            let (file, message) = TEMPLATES[i % TEMPLATES.len()];
            classifier_default::Failure {
                id: i.to_string(),
                test_name: format!("suite {} > case {i}", i % 97),
                file: Some(file.to_string()),
                message: format!("{message} (#{i})"),
                details: STACK.to_string(),
            }
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

fn load(runtime: &Runtime, name: &str, world: World) -> Plugin {
    Plugin::load(runtime, &PluginSpec::builtin(name), name, Some(world)).expect("built-in loads")
}

fn instantiate_and_call(c: &mut Criterion) {
    let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
    let summary = load(&runtime, "summary", World::Phase);
    let input = types::PhaseInput {
        facts: "{}".into(),
        document: "{}".into(),
        checks: Vec::new(),
    };
    c.bench_function("instantiate+call summary.run", |b| {
        b.iter(|| black_box(summary.run_phase(black_box(&input)).unwrap()))
    });
    let classifier = load(&runtime, "classifier-default", World::Classifier);
    let one = to_wit(&batch(1));
    c.bench_function("instantiate+call classifier.classify (1 failure)", |b| {
        b.iter(|| black_box(classifier.classify(black_box(&one)).unwrap()))
    });
}

fn batch_10k(c: &mut Criterion) {
    let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
    let classifier = load(&runtime, "classifier-default", World::Classifier);
    let native = batch(10_000);
    let wit = to_wit(&native);
    let mut group = c.benchmark_group("classify 10k batch");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("wasm component", |b| {
        b.iter(|| black_box(classifier.classify(black_box(&wit)).unwrap()))
    });
    group.bench_function("native", |b| {
        b.iter(|| black_box(classifier_default::classify_batch(black_box(&native))))
    });
    group.finish();
}

fn cold_compile(c: &mut Criterion) {
    let runtime = Runtime::new(&CacheSetting::Disabled).unwrap();
    let mut group = c.benchmark_group("cold compile");
    group.sample_size(10);
    group.bench_function("all built-ins", |b| {
        b.iter(|| {
            for (_, bytes) in builtin::BUILTINS {
                black_box(Component::new(runtime.engine(), bytes).unwrap());
            }
        })
    });
    group.finish();
}

fn plugin_list_warm(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let list = || {
        let status = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
            .args(["plugin", "list"])
            .env("PITCREW_CACHE_DIR", cache.path())
            .current_dir(cache.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    };
    list(); // warm the cache
    let mut group = c.benchmark_group("process");
    group.sample_size(20);
    group.bench_function("pitcrew plugin list (warm cache)", |b| b.iter(list));
    group.finish();
}

criterion_group!(
    benches,
    instantiate_and_call,
    batch_10k,
    cold_compile,
    plugin_list_warm
);
criterion_main!(benches);
