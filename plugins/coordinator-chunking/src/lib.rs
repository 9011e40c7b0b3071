//! The `coordinator-chunking` phase: whether the coordinator should feed
//! the dataset to the workers in chunks rather than whole, how large a
//! chunk is, and what to run between chunks to give memory back. It reads
//! the facts only and returns no checks (`pre-flight` checks that a chunk
//! fits in memory).
//!
//! # `coordinator_chunking`
//!
//! `{"enabled", "chunk_size", "num_chunks", "memory_management": [statement],
//! "basis": text}`:
//!
//! * `enabled` iff `job.dataset_examples > 50 000` ([`CHUNKING_THRESHOLD`];
//!   exactly 50 000 is not chunked).
//! * `chunk_size`, when enabled:
//!   * with `job.memory_per_example_bytes` (`m`): `floor(0.25 × M / m)`
//!     where `M` is the smallest `memory_bytes` among the workers, computed
//!     in integers as `M / (4m)`; then clamped to `[1 000, 50 000]` and to at
//!     most `dataset_examples`. A quarter of the smallest machine's memory
//!     holds the chunk; the other three quarters are left to the model,
//!     optimizer state, activations, the framework's buffer cache and the
//!     OS — on Apple silicon the CPU and the GPU share that one memory. The
//!     floor of 1 000 keeps per-chunk overhead small, the cap of 50 000
//!     matches the threshold, so a chunk is never larger than a dataset
//!     that is not chunked at all;
//!   * without it: 10 000 ([`DEFAULT_CHUNK_SIZE`]).
//! * when disabled: `chunk_size = dataset_examples`, `num_chunks = 1`.
//! * `num_chunks = ceil(dataset_examples / chunk_size)`.
//! * `memory_management`: the Python statements to run between chunks, in
//!   order, after the previous chunk's arrays are dropped: `gc.collect()`
//!   first (so the arrays' buffers return to the framework's cache), then
//!   the framework's cache release: `mx.clear_cache()` for mlx (the
//!   `mlx.core` name; older releases had it as `mx.metal.clear_cache()`),
//!   `torch.cuda.empty_cache()` for torch, `jax.clear_caches()` for jax
//!   (it clears JAX's compilation and staging caches), nothing more for
//!   `other`. Listed whether or not chunking is enabled.
//! * `basis`: one line saying how `chunk_size` was chosen.

pub use plan_kit::common;

use serde_json::{Map, Value, json};

use common::{Fact, InvalidInput, Output, parse_object};

/// The document key this phase owns.
pub const KEY: &str = "coordinator_chunking";
/// The document keys this phase owns.
pub const OWNS: [&str; 1] = [KEY];
/// The phases this one runs after.
pub const AFTER: [&str; 1] = ["hardware-calibration"];
/// Chunking is enabled above this many examples.
pub const CHUNKING_THRESHOLD: u64 = 50_000;
/// The chunk size when the memory per example is unknown.
pub const DEFAULT_CHUNK_SIZE: u64 = 10_000;
/// The smallest chunk size derived from memory.
pub const MIN_CHUNK_SIZE: u64 = 1_000;
/// The largest chunk size derived from memory.
pub const MAX_CHUNK_SIZE: u64 = 50_000;
/// The chunk may use 1 / `MEMORY_FRACTION_DIVISOR` (25 %) of the smallest
/// worker's memory.
pub const MEMORY_FRACTION_DIVISOR: u64 = 4;

/// Everything the phase decides from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inputs {
    pub dataset_examples: u64,
    pub framework: String,
    pub memory_per_example_bytes: Option<u64>,
    /// The smallest worker memory, read only when it is needed (chunking
    /// enabled and the memory per example known).
    pub min_worker_memory: Option<u64>,
}

impl Inputs {
    pub fn from_facts(facts: &Value) -> Result<Self, InvalidInput> {
        let root = Fact::root(facts);
        let job = root.get("job");
        job.object()?;
        let dataset_examples = job.get("dataset_examples").positive_u64()?;
        let framework_fact = job.get("framework");
        let framework = framework_fact.str()?.to_string();
        if !matches!(framework.as_str(), "mlx" | "torch" | "jax" | "other") {
            return Err(InvalidInput(common::one_line(&format!(
                "fact `{}` must be one of mlx, torch, jax, other, found {framework:?}",
                framework_fact.path()
            ))));
        }
        let mpe_fact = job.get("memory_per_example_bytes");
        let memory_per_example_bytes = if mpe_fact.is_absent() {
            None
        } else {
            Some(mpe_fact.positive_u64()?)
        };
        let min_worker_memory =
            if dataset_examples > CHUNKING_THRESHOLD && memory_per_example_bytes.is_some() {
                let workers = root.get("workers").array()?;
                let mut min: Option<u64> = None;
                for worker in &workers {
                    let memory = worker.get("memory_bytes").positive_u64()?;
                    min = Some(min.map_or(memory, |m| m.min(memory)));
                }
                if min.is_none() {
                    return Err(InvalidInput(
                        "fact `workers` must list at least one worker, found []".into(),
                    ));
                }
                min
            } else {
                None
            };
        Ok(Inputs {
            dataset_examples,
            framework,
            memory_per_example_bytes,
            min_worker_memory,
        })
    }
}

/// Runs the phase over the facts (JSON text). The document is not read.
pub fn run(facts: &str, _document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let inputs = Inputs::from_facts(&facts)?;
    let mut keys = Map::new();
    keys.insert(KEY.into(), plan(&inputs));
    Ok(Output {
        keys,
        checks: Vec::new(),
    })
}

/// `floor(M / (4m))` clamped to `[1000, 50000]` and to `examples`.
pub fn chunk_size_from_memory(min_memory: u64, per_example: u64, examples: u64) -> u64 {
    let raw =
        u128::from(min_memory) / (u128::from(MEMORY_FRACTION_DIVISOR) * u128::from(per_example));
    let clamped = raw.clamp(u128::from(MIN_CHUNK_SIZE), u128::from(MAX_CHUNK_SIZE)) as u64;
    clamped.min(examples)
}

/// The statements to run between chunks.
pub fn memory_management(framework: &str) -> Vec<&'static str> {
    let mut steps = vec!["gc.collect()"];
    match framework {
        "mlx" => steps.push("mx.clear_cache()"),
        "torch" => steps.push("torch.cuda.empty_cache()"),
        "jax" => steps.push("jax.clear_caches()"),
        _ => {}
    }
    steps
}

/// The section.
pub fn plan(inputs: &Inputs) -> Value {
    let examples = inputs.dataset_examples;
    let enabled = examples > CHUNKING_THRESHOLD;
    let (chunk_size, basis) = if !enabled {
        (
            examples,
            format!(
                "{examples} examples <= {CHUNKING_THRESHOLD}: the dataset is fed whole, as one chunk"
            ),
        )
    } else {
        match (inputs.memory_per_example_bytes, inputs.min_worker_memory) {
            (Some(per_example), Some(min_memory)) => {
                let size = chunk_size_from_memory(min_memory, per_example, examples);
                let raw = u128::from(min_memory) / (4 * u128::from(per_example));
                (
                    size,
                    format!(
                        "floor(25 % of the smallest worker memory, {min_memory} B, / {per_example} B per example) = {raw}, clamped to [{MIN_CHUNK_SIZE}, {MAX_CHUNK_SIZE}]: {size}"
                    ),
                )
            }
            _ => (
                DEFAULT_CHUNK_SIZE.min(examples),
                format!(
                    "job.memory_per_example_bytes not given: the default of {DEFAULT_CHUNK_SIZE} examples"
                ),
            ),
        }
    };
    json!({
        "enabled": enabled,
        "chunk_size": chunk_size,
        "num_chunks": examples.div_ceil(chunk_size),
        "memory_management": memory_management(&inputs.framework),
        "basis": basis,
    })
}

plan_kit::phase_component!(CoordinatorChunking);

#[cfg(test)]
mod tests {
    use super::*;

    const GIB_64: u64 = 68_719_476_736;
    const GIB_128: u64 = 137_438_953_472;

    fn facts(examples: u64, framework: &str, per_example: Value) -> Value {
        json!({"job": {"script": "train.py", "dataset_examples": examples, "batch_size": 64,
                       "epochs": 3, "checkpoint_dir": "checkpoints", "framework": framework,
                       "memory_per_example_bytes": per_example},
               "workers": [{"name": "a", "memory_bytes": GIB_128},
                           {"name": "b", "memory_bytes": GIB_64},
                           {"name": "c", "memory_bytes": GIB_128}]})
    }

    fn section(facts: &Value) -> Value {
        let out = run(&facts.to_string(), "{}").expect("valid facts");
        assert!(out.checks.is_empty());
        out.keys[KEY].clone()
    }

    #[test]
    fn exactly_50000_is_not_chunked() {
        let s = section(&facts(50_000, "mlx", json!(2_000_000)));
        assert_eq!(s["enabled"], false);
        assert_eq!(s["chunk_size"], 50_000);
        assert_eq!(s["num_chunks"], 1);
        let s = section(&facts(1, "torch", Value::Null));
        assert_eq!(
            (
                s["enabled"].clone(),
                s["chunk_size"].clone(),
                s["num_chunks"].clone()
            ),
            (json!(false), json!(1), json!(1))
        );
    }

    #[test]
    fn one_more_example_is_chunked() {
        // Without a memory estimate: 10000 per chunk, ceil(50001 / 10000) = 6.
        let s = section(&facts(50_001, "mlx", Value::Null));
        assert_eq!(s["enabled"], true);
        assert_eq!(s["chunk_size"], 10_000);
        assert_eq!(s["num_chunks"], 6);
        // With one: 64 GiB / (4 × 2 MB) = 8589.93 → 8589; ceil(50001 / 8589) = 6.
        let s = section(&facts(50_001, "mlx", json!(2_000_000)));
        assert_eq!(s["chunk_size"], 8_589);
        assert_eq!(s["num_chunks"], 6);
    }

    #[test]
    fn chunk_size_from_the_smallest_worker_memory() {
        // min(128, 64, 128) GiB = 68719476736 B; / 8000000 = 8589.93 → 8589;
        // ceil(120000 / 8589) = 14 (13 × 8589 = 111657 < 120000).
        let s = section(&facts(120_000, "mlx", json!(2_000_000)));
        assert_eq!(s["chunk_size"], 8_589);
        assert_eq!(s["num_chunks"], 14);
        assert_eq!(
            s["basis"],
            "floor(25 % of the smallest worker memory, 68719476736 B, / 2000000 B per example) = 8589, clamped to [1000, 50000]: 8589"
        );
    }

    #[test]
    fn chunk_size_is_clamped() {
        // 64 GiB / (4 × 1 GB) = 17 → raised to 1000.
        assert_eq!(
            chunk_size_from_memory(GIB_64, 1_000_000_000, 120_000),
            1_000
        );
        // 64 GiB / 4 = 17179869184 → capped at 50000.
        assert_eq!(chunk_size_from_memory(GIB_64, 1, 120_000), 50_000);
        // Never above the dataset (only reachable when called directly).
        assert_eq!(chunk_size_from_memory(GIB_64, 1, 30_000), 30_000);
        // No overflow at the extremes.
        assert_eq!(chunk_size_from_memory(u64::MAX, 1, u64::MAX), 50_000);
        assert_eq!(chunk_size_from_memory(1, u64::MAX, u64::MAX), 1_000);
        let s = section(&facts(1_000_000, "torch", json!(1)));
        assert_eq!(s["chunk_size"], 50_000);
        assert_eq!(s["num_chunks"], 20);
        let s = section(&facts(1_000_001, "torch", json!(1_000_000_000)));
        assert_eq!(s["chunk_size"], 1_000);
        assert_eq!(s["num_chunks"], 1_001);
    }

    #[test]
    fn memory_steps_per_framework() {
        for (framework, steps) in [
            ("mlx", json!(["gc.collect()", "mx.clear_cache()"])),
            ("torch", json!(["gc.collect()", "torch.cuda.empty_cache()"])),
            ("jax", json!(["gc.collect()", "jax.clear_caches()"])),
            ("other", json!(["gc.collect()"])),
        ] {
            assert_eq!(
                section(&facts(120_000, framework, Value::Null))["memory_management"],
                steps
            );
            assert_eq!(
                section(&facts(10, framework, Value::Null))["memory_management"],
                steps
            );
        }
    }

    #[test]
    fn worker_memory_is_read_only_when_needed() {
        let mut f = facts(50_000, "mlx", json!(2_000_000));
        f["workers"] = json!([{"name": "a"}]);
        assert!(run(&f.to_string(), "{}").is_ok());
        let mut f = facts(120_000, "mlx", Value::Null);
        f["workers"] = json!([{"name": "a"}]);
        assert!(run(&f.to_string(), "{}").is_ok());
    }

    #[test]
    fn invalid_facts_name_the_fact() {
        let cases = [
            (
                "/workers/1/memory_bytes",
                Value::Null,
                "missing fact `workers[1].memory_bytes`",
            ),
            (
                "/workers/1/memory_bytes",
                json!(0),
                "fact `workers[1].memory_bytes` must be at least 1, found 0",
            ),
            (
                "/workers",
                json!([]),
                "fact `workers` must list at least one worker, found []",
            ),
            (
                "/job/memory_per_example_bytes",
                json!(0),
                "fact `job.memory_per_example_bytes` must be at least 1, found 0",
            ),
            (
                "/job/memory_per_example_bytes",
                json!("2MB"),
                "fact `job.memory_per_example_bytes` must be a non-negative integer, found \"2MB\"",
            ),
            (
                "/job/dataset_examples",
                Value::Null,
                "missing fact `job.dataset_examples`",
            ),
            (
                "/job/framework",
                json!("keras"),
                "fact `job.framework` must be one of mlx, torch, jax, other, found \"keras\"",
            ),
        ];
        for (pointer, value, message) in cases {
            let mut f = facts(120_000, "mlx", json!(2_000_000));
            *f.pointer_mut(pointer).expect("pointer exists") = value;
            assert_eq!(
                run(&f.to_string(), "{}"),
                Err(InvalidInput(message.into())),
                "{pointer}"
            );
        }
    }
}
