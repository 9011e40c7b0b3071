//! The `hardware-calibration` phase: splits the work across the workers in
//! proportion to their measured throughput (examples per second, from
//! `pitcrew worker-report --calibrate`), so that a slower machine gets a
//! smaller part and no worker waits for another.
//!
//! # `hardware_calibration`
//!
//! ```text
//! {
//!   "method": "throughput_proportional_largest_remainder",
//!   "measured_performance": {
//!     "total_throughput": Σ throughput,
//!     "workers": [{"worker", "throughput", "share": throughput / Σ throughput}]
//!   },
//!   "workload_distribution": [{"worker", "examples", "batch_share", "gradient_weight"}],
//!   "predicted_epoch_seconds": max over workers of examples / throughput,
//!   "slowest_worker": the worker that attains that maximum (first on ties),
//!   "macos_qos_api": {worker: "user_interactive" | null}
//! }
//! ```
//!
//! Workers are listed in the facts' order.
//!
//! * `examples` splits `job.dataset_examples` and `batch_share` splits
//!   `job.batch_size`, both by the largest-remainder method of
//!   [`apportion`]: they sum exactly to the totals, remainders tie to the
//!   lower worker index, equal throughputs give shares that differ by at
//!   most 1 (the extra units on the lowest indices), and when the total is
//!   at least the number of workers every worker gets at least 1 (taken
//!   from the largest share).
//! * `gradient_weight = batch_share / batch_size`: the weight of a worker's
//!   gradient in the weighted average, so the result equals the gradient of
//!   the whole global batch. The weights sum to 1.
//! * `macos_qos_api` is `"user_interactive"` (`QOS_CLASS_USER_INTERACTIVE`,
//!   the class macOS schedules first, on performance cores) for a worker
//!   whose `os` is `macos` or `darwin` (any case), `null` otherwise.
//!
//! One check only when something is off: `calibration.batch_share` (warn,
//! layer `hardware`) when `batch_size` is smaller than the number of
//! workers, naming the workers that get no example of a batch.

pub use plan_kit::apportion;
pub use plan_kit::common;

use serde_json::{Map, Value, json};

use common::{Check, Fact, InvalidInput, Output, Status, parse_object};

/// The document key this phase owns.
pub const KEY: &str = "hardware_calibration";
/// The document keys this phase owns.
pub const OWNS: [&str; 1] = [KEY];
/// The phases this one runs after.
pub const AFTER: [&str; 0] = [];
/// The QoS class for macOS workers.
pub const MACOS_QOS: &str = "user_interactive";

/// One worker, as this phase reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Worker {
    pub name: String,
    pub throughput: f64,
    pub os: Option<String>,
}

/// Everything the calibration is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    pub dataset_examples: u64,
    pub batch_size: u64,
    pub workers: Vec<Worker>,
}

impl Inputs {
    pub fn from_facts(facts: &Value) -> Result<Self, InvalidInput> {
        let root = Fact::root(facts);
        let job = root.get("job");
        job.object()?;
        let workers = root
            .get("workers")
            .array()?
            .iter()
            .map(|w| {
                Ok(Worker {
                    name: w.get("name").str()?.to_string(),
                    throughput: w.get("throughput").positive_f64()?,
                    os: w.get("os").opt_str()?.map(str::to_string),
                })
            })
            .collect::<Result<Vec<_>, InvalidInput>>()?;
        if workers.is_empty() {
            return Err(InvalidInput(
                "fact `workers` must list at least one worker, found []".into(),
            ));
        }
        Ok(Inputs {
            dataset_examples: job.get("dataset_examples").positive_u64()?,
            batch_size: job.get("batch_size").positive_u64()?,
            workers,
        })
    }
}

/// Runs the phase over the facts (JSON text). The document is not read.
pub fn run(facts: &str, _document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let inputs = Inputs::from_facts(&facts)?;
    Ok(calibrate(&inputs))
}

fn is_macos(os: Option<&str>) -> bool {
    matches!(
        os.map(str::to_ascii_lowercase).as_deref(),
        Some("macos" | "darwin")
    )
}

/// The section and its checks.
pub fn calibrate(inputs: &Inputs) -> Output {
    let weights: Vec<f64> = inputs.workers.iter().map(|w| w.throughput).collect();
    let total: f64 = weights.iter().sum();
    let examples = apportion::apportion(inputs.dataset_examples, &weights);
    let batch = apportion::apportion(inputs.batch_size, &weights);

    let measured: Vec<Value> = inputs
        .workers
        .iter()
        .map(|w| json!({"worker": w.name, "throughput": w.throughput, "share": w.throughput / total}))
        .collect();
    let distribution: Vec<Value> = inputs
        .workers
        .iter()
        .zip(examples.iter().zip(&batch))
        .map(|(w, (&examples, &share))| {
            json!({
                "worker": w.name,
                "examples": examples,
                "batch_share": share,
                "gradient_weight": share as f64 / inputs.batch_size as f64,
            })
        })
        .collect();
    // The slowest worker decides the epoch; the first one wins ties.
    let mut slowest = 0;
    let mut epoch_seconds = f64::NEG_INFINITY;
    for (i, (w, &n)) in inputs.workers.iter().zip(&examples).enumerate() {
        let seconds = n as f64 / w.throughput;
        if seconds > epoch_seconds {
            epoch_seconds = seconds;
            slowest = i;
        }
    }
    let qos: Map<String, Value> = inputs
        .workers
        .iter()
        .map(|w| {
            let class = if is_macos(w.os.as_deref()) {
                Value::String(MACOS_QOS.into())
            } else {
                Value::Null
            };
            (w.name.clone(), class)
        })
        .collect();

    let mut checks = Vec::new();
    let idle: Vec<&str> = inputs
        .workers
        .iter()
        .zip(&batch)
        .filter(|(_, share)| **share == 0)
        .map(|(w, _)| w.name.as_str())
        .collect();
    if !idle.is_empty() {
        checks.push(Check::gate(
            "calibration.batch_share",
            "hardware",
            Status::Warn,
            &format!(
                "job.batch_size={} is smaller than the {} workers: no example of a batch for {}",
                inputs.batch_size,
                inputs.workers.len(),
                common::listed(&idle)
            ),
        ));
    }

    let section = json!({
        "method": "throughput_proportional_largest_remainder",
        "measured_performance": {"total_throughput": total, "workers": measured},
        "workload_distribution": distribution,
        "predicted_epoch_seconds": epoch_seconds,
        "slowest_worker": inputs.workers[slowest].name,
        "macos_qos_api": qos,
    });
    let mut keys = Map::new();
    keys.insert(KEY.into(), section);
    Output { keys, checks }
}

plan_kit::phase_component!(HardwareCalibration);

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(name: &str, throughput: f64, os: &str) -> Value {
        json!({"name": name, "throughput": throughput, "memory_bytes": 68719476736u64,
               "free_disk_bytes": 500000000000u64, "os": os,
               "versions": {"python": "3.11.7", "mlx": "0.29.1"}})
    }

    fn facts(examples: u64, batch: u64, workers: Vec<Value>) -> Value {
        json!({"job": {"script": "train.py", "dataset_examples": examples, "batch_size": batch,
                       "epochs": 3, "checkpoint_dir": "checkpoints", "framework": "mlx"},
               "workers": workers, "world_size": 3})
    }

    fn example() -> Value {
        facts(
            120_000,
            64,
            vec![
                worker("studio-1", 1.2, "macos"),
                worker("studio-2", 0.85, "macOS"),
                worker("box", 1.0, "linux"),
            ],
        )
    }

    fn section(facts: &Value) -> Value {
        let out = run(&facts.to_string(), "{}").expect("valid facts");
        out.keys[KEY].clone()
    }

    fn column(section: &Value, field: &str) -> Vec<u64> {
        section["workload_distribution"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|w| w[field].as_u64().expect("an integer"))
            .collect()
    }

    fn close(a: &Value, expected: f64) {
        let a = a.as_f64().expect("a number");
        assert!((a - expected).abs() < 1e-9, "{a} vs {expected}");
    }

    /// Throughputs 1.2, 0.85, 1.0 (Σ 3.05).
    /// Examples: quotas 47213.11, 33442.62, 39344.26 → floors sum to 119999,
    /// the last one goes to the largest fraction (.62, studio-2).
    /// Batch: quotas 25.18, 17.84, 20.98 → floors 62, the 2 left go to .98
    /// (box) and .84 (studio-2).
    #[test]
    fn heterogeneous_throughput_by_hand() {
        let s = section(&example());
        assert_eq!(column(&s, "examples"), [47_213, 33_443, 39_344]);
        assert_eq!(column(&s, "batch_share"), [25, 18, 21]);
        let weights: Vec<f64> = s["workload_distribution"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|w| w["gradient_weight"].as_f64().expect("a number"))
            .collect();
        assert_eq!(weights, [25.0 / 64.0, 18.0 / 64.0, 21.0 / 64.0]);
        assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        close(&s["measured_performance"]["total_throughput"], 3.05);
        close(
            &s["measured_performance"]["workers"][0]["share"],
            1.2 / 3.05,
        );
        close(
            &s["measured_performance"]["workers"][1]["share"],
            0.85 / 3.05,
        );
        // 47213 / 1.2 = 39344.17, 33443 / 0.85 = 39344.71, 39344 / 1.0:
        // studio-2 is the slowest.
        close(&s["predicted_epoch_seconds"], 33_443.0 / 0.85);
        assert_eq!(s["slowest_worker"], "studio-2");
    }

    #[test]
    fn shares_sum_exactly_for_many_shapes() {
        let throughputs = [0.3, 7.0, 1.1, 0.9, 2.5, 0.05];
        for n in 1..=throughputs.len() {
            for (examples, batch) in [(1u64, 1u64), (7, 6), (50_001, 64), (999_999, 1000)] {
                let workers = throughputs[..n]
                    .iter()
                    .enumerate()
                    .map(|(i, &t)| worker(&format!("w{i}"), t, "linux"))
                    .collect();
                let s = section(&facts(examples, batch, workers));
                assert_eq!(column(&s, "examples").iter().sum::<u64>(), examples);
                assert_eq!(column(&s, "batch_share").iter().sum::<u64>(), batch);
                if batch >= n as u64 {
                    assert!(column(&s, "batch_share").iter().all(|&b| b >= 1));
                }
            }
        }
    }

    #[test]
    fn equal_throughput_gives_equal_shares_within_one() {
        let workers = vec![
            worker("a", 2.0, "macos"),
            worker("b", 2.0, "macos"),
            worker("c", 2.0, "macos"),
        ];
        let s = section(&facts(100_000, 64, workers));
        // 100000 / 3 = 33333.33: the one extra goes to the lowest index.
        assert_eq!(column(&s, "examples"), [33_334, 33_333, 33_333]);
        // 64 / 3 = 21.33: likewise.
        assert_eq!(column(&s, "batch_share"), [22, 21, 21]);
        // 33334 / 2.0 is the longest.
        close(&s["predicted_epoch_seconds"], 16_667.0);
        assert_eq!(s["slowest_worker"], "a");
        let workers = vec![worker("a", 1.0, "macos"), worker("b", 1.0, "macos")];
        let s = section(&facts(120_000, 64, workers));
        assert_eq!(column(&s, "examples"), [60_000, 60_000]);
        assert_eq!(column(&s, "batch_share"), [32, 32]);
    }

    #[test]
    fn tied_remainders_go_to_the_lower_index() {
        // Throughputs 3:1:5:3 (Σ 12), batch 6: quotas 1.5, 0.5, 2.5, 1.5 all
        // end in .5; floors 1, 0, 2, 1 leave 2, for indices 0 and 1.
        let workers = vec![
            worker("a", 3.0, "linux"),
            worker("b", 1.0, "linux"),
            worker("c", 5.0, "linux"),
            worker("d", 3.0, "linux"),
        ];
        let s = section(&facts(6, 6, workers));
        assert_eq!(column(&s, "batch_share"), [2, 1, 2, 1]);
        assert_eq!(column(&s, "examples"), [2, 1, 2, 1]);
    }

    #[test]
    fn a_slow_worker_still_gets_one_of_the_batch() {
        // Quotas 3.88, 0.039, 0.078: largest remainder gives [4, 0, 0];
        // the minimum of one moves a unit each from the largest share.
        let workers = vec![
            worker("fast", 100.0, "linux"),
            worker("slow", 1.0, "linux"),
            worker("slower", 2.0, "linux"),
        ];
        let s = section(&facts(1_000, 4, workers));
        assert_eq!(column(&s, "batch_share"), [2, 1, 1]);
        let out = run(&facts(1_000, 4, vec![]).to_string(), "{}");
        assert!(out.is_err());
    }

    #[test]
    fn a_batch_smaller_than_the_cluster_warns() {
        let workers = vec![
            worker("a", 1.0, "linux"),
            worker("b", 1.0, "linux"),
            worker("c", 1.0, "linux"),
        ];
        let out = run(&facts(1_000, 2, workers).to_string(), "{}").expect("valid facts");
        assert_eq!(column(&out.keys[KEY], "batch_share"), [1, 1, 0]);
        assert_eq!(out.checks.len(), 1);
        assert_eq!(out.checks[0].id, "calibration.batch_share");
        assert_eq!(out.checks[0].status, Status::Warn);
        assert!(!out.checks[0].blocking);
        assert_eq!(
            out.checks[0].message,
            "job.batch_size=2 is smaller than the 3 workers: no example of a batch for c"
        );
        let out = run(&example().to_string(), "{}").expect("valid facts");
        assert!(out.checks.is_empty());
    }

    #[test]
    fn macos_workers_get_the_user_interactive_qos_class() {
        let s = section(&example());
        assert_eq!(
            s["macos_qos_api"],
            json!({"studio-1": "user_interactive", "studio-2": "user_interactive", "box": null})
        );
    }

    #[test]
    fn invalid_facts_name_the_fact() {
        let cases = [
            (
                "/workers/2/throughput",
                json!(-1),
                "fact `workers[2].throughput` must be a positive finite number, found -1",
            ),
            (
                "/workers/0/throughput",
                Value::Null,
                "missing fact `workers[0].throughput`",
            ),
            (
                "/job/batch_size",
                json!(0),
                "fact `job.batch_size` must be at least 1, found 0",
            ),
            (
                "/job/dataset_examples",
                json!(1.5),
                "fact `job.dataset_examples` must be a non-negative integer, found 1.5",
            ),
            (
                "/workers",
                json!({}),
                "fact `workers` must be an array, found {}",
            ),
        ];
        for (pointer, value, message) in cases {
            let mut f = example();
            *f.pointer_mut(pointer).expect("pointer exists") = value;
            assert_eq!(
                run(&f.to_string(), "{}"),
                Err(InvalidInput(message.into())),
                "{pointer}"
            );
        }
    }
}
