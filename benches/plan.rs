//! `pitcrew plan`, the whole process with a warm compilation cache: the
//! 3-worker example (target ≤ 100 ms) and a synthetic 1,000-worker cluster
//! (target ≤ 1 s). The sync script is skipped (`--no-sync`): its time is the
//! user's script, not pitcrew's.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};

fn plan(spec: &Path, cache: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(["plan", "--no-sync"])
        .arg(spec)
        .env("PITCREW_CACHE_DIR", cache)
        .stdout(Stdio::null())
        .status()
        .expect("pitcrew runs");
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "plan ran to a verdict"
    );
}

/// A cluster of `n` identical workers, inline.
fn synthetic(dir: &Path, n: usize) -> std::path::PathBuf {
    std::fs::write(dir.join("train.py"), "print('train')\n").unwrap();
    std::fs::create_dir_all(dir.join("checkpoints")).unwrap();
    let mut spec = String::from(
        "[job]\nscript = \"train.py\"\ndataset_examples = 10000000\nbatch_size = 4096\nepochs = 3\n\
         checkpoint_dir = \"checkpoints\"\nframework = \"torch\"\nmemory_per_example_bytes = 1000000\n\n",
    );
    let hash = "a".repeat(64);
    for i in 0..n {
        let _ = write!(
            spec,
            "[[worker]]\nname = \"node-{i:04}\"\nthroughput = {}\nmemory_bytes = 68719476736\n\
             free_disk_bytes = 500000000000\nos = \"linux\"\nversions = {{ python = \"3.11.7\", torch = \"2.4.0\" }}\n\
             files = {{ \"train.py\" = \"{hash}\" }}\n\n",
            1.0 + (i % 7) as f64 * 0.25
        );
    }
    let path = dir.join("spec.toml");
    std::fs::write(&path, spec).unwrap();
    path
}

fn bench(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/training/healthy/spec.toml");
    plan(&example, cache.path()); // warm the cache
    let big_dir = tempfile::tempdir().unwrap();
    let big = synthetic(big_dir.path(), 1000);

    let mut group = c.benchmark_group("pitcrew plan (process, warm cache)");
    group.sample_size(20);
    group.bench_function("3-worker example", |b| {
        b.iter(|| plan(&example, cache.path()))
    });
    group.sample_size(10);
    group.bench_function("1,000 workers", |b| b.iter(|| plan(&big, cache.path())));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
