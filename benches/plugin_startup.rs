//! What a big plugin costs at startup, side by side with the built-in: the
//! whole `pitcrew plugin list` and `pitcrew classify` processes, compiled
//! component cached, with the classifier slot filled by the Rust built-in
//! or by an 18 MB Python component (componentize-py; its cache entry is
//! about 35 MB). Target: within 10 ms of the built-in.
//!
//! The Python component is built once with `componentize-py` (pip) into the
//! bench's temp dir, or taken from `$PITCREW_BENCH_PY_COMPONENT`. After the
//! criterion groups, a summary prints the medians and the differences; with
//! `$PITCREW_BENCH_BASELINE` naming another pitcrew binary (an older build),
//! it is measured in the same interleaved runs, side by side.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

const APP_PY: &str = r#"import wit_world
from wit_world.imports import types


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.PluginInfo:
        return types.PluginInfo(name="py-classifier", version="0.1.0",
                                description="labels every failure unknown")

    def classify(self, batch):
        return [types.Classification(id=f.id, category=types.Category.UNKNOWN,
                                     language=types.Language.OTHER,
                                     specialty=types.Specialty.GENERAL,
                                     confidence=0.0, evidence="")
                for f in batch]
"#;

const FAILURES: &str =
    "{\"test_name\":\"cart > adds\",\"message\":\"AssertionError: assert 41 == 42\"}\n";

/// One configuration: a directory with its `pitcrew.toml`, its own cache
/// and key, and a failures file.
struct Setup {
    name: &'static str,
    bin: PathBuf,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(name: &'static str, classifier: Option<&Path>) -> Self {
        Self::with_bin(name, env!("CARGO_BIN_EXE_pitcrew").into(), classifier)
    }

    fn with_bin(name: &'static str, bin: PathBuf, classifier: Option<&Path>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let toml = match classifier {
            Some(path) => format!(
                "[plugins.classifier]\nsource = {:?}\n",
                path.display().to_string()
            ),
            None => String::new(),
        };
        std::fs::write(dir.path().join("pitcrew.toml"), toml).expect("write pitcrew.toml");
        std::fs::write(dir.path().join("failures.jsonl"), FAILURES).expect("write failures");
        let setup = Self { name, bin, dir };
        // Fill the cache (and whatever a warm start relies on).
        for _ in 0..3 {
            setup.run(&["plugin", "list"]);
        }
        setup
    }

    fn run(&self, args: &[&str]) {
        let status = Command::new(&self.bin)
            .args(args)
            .current_dir(self.dir.path())
            .env("PITCREW_CACHE_DIR", self.dir.path().join("cache"))
            .env("PITCREW_CACHE_KEY", self.dir.path().join("key/cache.key"))
            .env_remove("PITCREW_NO_CACHE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run pitcrew");
        assert!(status.success(), "{} {args:?}: {status}", self.name);
    }
}

const COMMANDS: [(&str, &[&str]); 2] = [
    ("plugin list", &["plugin", "list"]),
    ("classify", &["classify", "--no-route", "failures.jsonl"]),
];

/// The Python component: `$PITCREW_BENCH_PY_COMPONENT`, or built once.
fn python_component() -> PathBuf {
    if let Some(path) = std::env::var_os("PITCREW_BENCH_PY_COMPONENT") {
        return PathBuf::from(path);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin_startup_py");
    let wasm = dir.join("classifier.wasm");
    if wasm.exists() {
        return wasm;
    }
    std::fs::create_dir_all(dir.join("wit")).expect("create bench dir");
    std::fs::copy(
        // A 0.1.0 plugin: APP_PY is written against the frozen contract.
        concat!(env!("CARGO_MANIFEST_DIR"), "/wit/0.1.0/plugin.wit"),
        dir.join("wit/plugin.wit"),
    )
    .expect("copy the WIT");
    std::fs::write(dir.join("app.py"), APP_PY).expect("write app.py");
    let status = Command::new("componentize-py")
        .current_dir(&dir)
        .args(["-d", "wit", "-w", "classifier", "componentize", "app", "-o"])
        .arg(&wasm)
        .status()
        .expect("componentize-py (pip install componentize-py) must be on PATH");
    assert!(status.success(), "componentize-py failed: {status}");
    wasm
}

fn startup(c: &mut Criterion) {
    let python = python_component();
    let setups = [
        Setup::new("builtin", None),
        Setup::new("python", Some(&python)),
    ];
    let mut group = c.benchmark_group("plugin_startup");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    for (label, args) in COMMANDS {
        for setup in &setups {
            group.bench_function(format!("{label} ({})", setup.name), |b| {
                b.iter(|| setup.run(args))
            });
        }
    }
    group.finish();
    summary(&setups, "");
    if let Some(old) = std::env::var_os("PITCREW_BENCH_BASELINE") {
        let old = PathBuf::from(old);
        let baseline = [
            Setup::with_bin("builtin", old.clone(), None),
            Setup::with_bin("python", old, Some(&python)),
        ];
        // Rounds alternating with this build's, so both see the same load.
        for _ in 0..2 {
            summary(&baseline, "baseline: ");
            summary(&setups, "this build: ");
        }
    }
}

/// Medians of interleaved runs, so both sides see the same machine load.
fn summary(setups: &[Setup; 2], prefix: &str) {
    const RUNS: usize = 20;
    for (label, args) in COMMANDS {
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..RUNS {
            for (setup, times) in setups.iter().zip(&mut times) {
                let start = Instant::now();
                setup.run(args);
                times.push(start.elapsed());
            }
        }
        let [builtin, python] = times.map(|mut t| {
            t.sort();
            t[t.len() / 2]
        });
        println!(
            "{prefix}{label}: builtin {:.1} ms, python {:.1} ms, difference {:+.1} ms, ratio {:.2}",
            ms(builtin),
            ms(python),
            ms(python) - ms(builtin),
            python.as_secs_f64() / builtin.as_secs_f64()
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

criterion_group!(benches, startup);
criterion_main!(benches);
