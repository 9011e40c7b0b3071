//! The `worker-consistency` phase: do the workers run the same code with
//! the same versions, and how should their updates be combined if some of
//! them may be faulty?
//!
//! # `worker_consistency`
//!
//! ```text
//! {
//!   "validation_checks": [check],
//!   "script_hash": the majority hash of job.script | null,
//!   "is_consistent": bool,
//!   "consistency_threshold": consistency.threshold,
//!   "min_agreement": the lowest agreement over the files,
//!   "per_file": {file: {"majority_hash": hash | null, "agreement": k / n,
//!                       "disagreeing": [workers off the majority]}},
//!   "byzantine_detection": {"suspects": [workers], "tolerate_byzantine": f,
//!                           "recommended_aggregation": "mean" | "krum" | "trimmed_mean" | "block",
//!                           "reason": text}
//! }
//! ```
//!
//! The files are `job.script` then `job.extra_files` (duplicates once).
//! For each file:
//!
//! * the **majority hash** is the hash the most workers report; a tie goes
//!   to the lexicographically smallest hash (so the answer never depends on
//!   worker order). A worker that reports no hash for the file counts
//!   against agreement; if no worker reports one, the majority hash is
//!   `null` and the agreement 0;
//! * **agreement** is the share of all `n` workers that have the majority
//!   hash.
//!
//! `is_consistent` is true with a single worker; otherwise it requires every
//! file's agreement `≥ consistency.threshold` **and** at least two workers
//! sharing the majority hash (when every worker has a different hash the
//! agreement is `1/n`, and that fails whatever the threshold). Versions do
//! not enter `is_consistent`; they have their own check.
//!
//! The suspects are the workers off the majority for any file, in worker
//! order. The aggregation rule (the same as the host's
//! `training::aggregate::recommend`): `mean` when there is no suspect or
//! `f = 0`; otherwise Krum when `n ≥ 2f + 3`, the coordinate-wise trimmed
//! mean when `n ≥ 2f + 1`, else `block`. The reason quotes the condition,
//! e.g. `n=5 >= 2f+3=5: Krum (Blanchard et al. 2017)`.
//!
//! # Checks (layer `worker`, also in `validation_checks`)
//!
//! * `consistency.hashes`: skip with one worker ("a single worker has
//!   nothing to compare"); pass when consistent; else fail, blocking, naming
//!   each failing file, its agreement and the workers off the majority.
//! * `consistency.versions`: skip with one worker; fail, blocking, on skew
//!   of python major.minor or the framework version (naming the versions and
//!   workers, see [`versions`]); warn when some worker reports no version of
//!   a compared component; else pass.
//! * `consistency.aggregation`: fail, blocking, when the rule is `block`;
//!   else pass, quoting the reason.
//!
//! As in every plan phase, `pass` and `fail` checks are blocking and `warn`
//! and `skip` checks are not.

pub use plan_kit::code;
pub use plan_kit::common;
pub use plan_kit::versions;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use common::{Check, Fact, InvalidInput, Output, Status, listed, parse_object};
use versions::WorkerVersions;

/// The document key this phase owns.
pub const KEY: &str = "worker_consistency";
/// The document keys this phase owns.
pub const OWNS: [&str; 1] = [KEY];
/// The phases this one runs after.
pub const AFTER: [&str; 0] = [];
/// The layer of this phase's checks.
pub const LAYER: &str = "worker";
/// The reason of a skipped comparison.
pub const SINGLE_WORKER: &str = "a single worker has nothing to compare";

/// One worker, as this phase reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    pub name: String,
    /// File name → hash.
    pub files: BTreeMap<String, String>,
    pub versions: WorkerVersions,
}

/// Everything the phase decides from.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// `job.script` first, then `job.extra_files`, each once.
    pub files: Vec<String>,
    pub framework: String,
    pub threshold: f64,
    pub tolerate_byzantine: u64,
    pub workers: Vec<Worker>,
}

impl Inputs {
    pub fn from_facts(facts: &Value) -> Result<Self, InvalidInput> {
        let root = Fact::root(facts);
        let job = root.get("job");
        job.object()?;
        let mut files = vec![job.get("script").str()?.to_string()];
        let mut seen: std::collections::HashSet<String> = files.iter().cloned().collect();
        for file in job.get("extra_files").opt_array()? {
            let file = file.str()?.to_string();
            if seen.insert(file.clone()) {
                files.push(file);
            }
        }
        let consistency = root.get("consistency");
        consistency.object()?;
        let threshold_fact = consistency.get("threshold");
        let threshold = threshold_fact.f64()?;
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(InvalidInput(format!(
                "fact `{}` must be in (0, 1], found {threshold}",
                threshold_fact.path()
            )));
        }
        let workers = root
            .get("workers")
            .array()?
            .iter()
            .map(|w| {
                let files = w
                    .get("files")
                    .opt_entries()?
                    .into_iter()
                    .map(|(file, hash)| Ok((file.to_string(), hash.str()?.to_string())))
                    .collect::<Result<_, InvalidInput>>()?;
                Ok(Worker {
                    name: w.get("name").str()?.to_string(),
                    files,
                    versions: WorkerVersions::from_fact(w)?,
                })
            })
            .collect::<Result<Vec<_>, InvalidInput>>()?;
        if workers.is_empty() {
            return Err(InvalidInput(
                "fact `workers` must list at least one worker, found []".into(),
            ));
        }
        Ok(Inputs {
            files,
            framework: job.get("framework").str()?.to_string(),
            threshold,
            tolerate_byzantine: consistency.get("tolerate_byzantine").u64()?,
            workers,
        })
    }
}

/// One file's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct FileAgreement {
    pub file: String,
    pub majority_hash: Option<String>,
    /// How many workers have the majority hash.
    pub agreeing: usize,
    pub agreement: f64,
    /// Workers off the majority (a different hash, or none), in order.
    pub disagreeing: Vec<String>,
}

/// The majority hash of `file` and who agrees (see the module docs).
pub fn file_agreement(file: &str, workers: &[Worker]) -> FileAgreement {
    let hashes = workers
        .iter()
        .filter_map(|w| w.files.get(file).map(String::as_str));
    let (majority_hash, agreeing) = match code::majority(hashes) {
        Some((hash, count)) => (Some(hash.to_string()), count),
        None => (None, 0),
    };
    let disagreeing = workers
        .iter()
        .filter(|w| w.files.get(file).map(String::as_str) != majority_hash.as_deref())
        .map(|w| w.name.clone())
        .collect();
    FileAgreement {
        file: file.to_string(),
        majority_hash,
        agreeing,
        agreement: agreeing as f64 / workers.len() as f64,
        disagreeing,
    }
}

/// The aggregation rule for `n` workers tolerating `f` faulty ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    pub rule: &'static str,
    pub reason: String,
}

/// `2f + k` without overflow.
fn bound(f: u64, k: u128) -> u128 {
    2 * u128::from(f) + k
}

/// See the module documentation; the reasons match the host's.
pub fn recommend(n: usize, f: u64, all_agree: bool) -> Recommendation {
    if all_agree {
        return Recommendation {
            rule: "mean",
            reason: format!("all n={n} workers agree: plain mean"),
        };
    }
    if f == 0 {
        return Recommendation {
            rule: "mean",
            reason: "f=0 (no faulty workers tolerated): plain mean".to_string(),
        };
    }
    let krum = bound(f, 3);
    let trim = bound(f, 1);
    let n_wide = n as u128;
    if n_wide >= krum {
        Recommendation {
            rule: "krum",
            reason: format!("n={n} >= 2f+3={krum}: Krum (Blanchard et al. 2017)"),
        }
    } else if n_wide >= trim {
        Recommendation {
            rule: "trimmed_mean",
            reason: format!(
                "n={n} < 2f+3={krum} but n >= 2f+1={trim}: coordinate-wise trimmed mean (Yin et al. 2018)"
            ),
        }
    } else {
        Recommendation {
            rule: "block",
            reason: format!("n={n} < 2f+1={trim}: too few workers to tolerate f={f} faulty ones"),
        }
    }
}

/// Runs the phase over the facts (JSON text). The document is not read.
pub fn run(facts: &str, _document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let inputs = Inputs::from_facts(&facts)?;
    Ok(judge(&inputs))
}

/// The section and its checks.
pub fn judge(inputs: &Inputs) -> Output {
    let n = inputs.workers.len();
    let files: Vec<FileAgreement> = inputs
        .files
        .iter()
        .map(|file| file_agreement(file, &inputs.workers))
        .collect();
    let min_agreement = files
        .iter()
        .map(|f| f.agreement)
        .fold(f64::INFINITY, f64::min);
    // A file fails below the threshold, or when no two workers share a hash.
    let failing: Vec<&FileAgreement> = files
        .iter()
        .filter(|f| code::falls_short(f.agreeing, n, inputs.threshold))
        .collect();
    let is_consistent = n == 1 || failing.is_empty();

    let mut checks = Vec::new();
    checks.push(if n == 1 {
        Check::gate("consistency.hashes", LAYER, Status::Skip, SINGLE_WORKER)
    } else if is_consistent {
        Check::gate(
            "consistency.hashes",
            LAYER,
            Status::Pass,
            &format!(
                "{}: lowest agreement {:.3} >= threshold {} over {n} workers",
                listed(&inputs.files),
                min_agreement,
                inputs.threshold
            ),
        )
    } else {
        // Five files are read; the rest are counted.
        let parts: Vec<String> = failing
            .iter()
            .take(5)
            .map(|f| {
                let why = if f.majority_hash.is_none() {
                    "no worker reports a hash".to_string()
                } else if f.agreeing < 2 {
                    format!("no two of the {n} workers agree")
                } else {
                    format!(
                        "{}/{n} workers agree ({:.3} < threshold {})",
                        f.agreeing, f.agreement, inputs.threshold
                    )
                };
                match f.disagreeing.is_empty() {
                    true => format!("{}: {why}", f.file),
                    false => format!(
                        "{}: {why}, off the majority: {}",
                        f.file,
                        listed(&f.disagreeing)
                    ),
                }
            })
            .collect();
        let mut message = parts.join("; ");
        if failing.len() > parts.len() {
            message.push_str(&format!("; and {} more files", failing.len() - parts.len()));
        }
        Check::gate("consistency.hashes", LAYER, Status::Fail, &message)
    });

    let worker_versions: Vec<WorkerVersions> =
        inputs.workers.iter().map(|w| w.versions.clone()).collect();
    let report = versions::compare(&inputs.framework, &worker_versions);
    checks.push(if n == 1 {
        Check::gate("consistency.versions", LAYER, Status::Skip, SINGLE_WORKER)
    } else if !report.skew.is_empty() {
        let mut message = format!("version skew: {}", report.skew_message());
        if !report.missing.is_empty() {
            message.push_str(&format!("; also {}", report.missing_message()));
        }
        Check::gate("consistency.versions", LAYER, Status::Fail, &message)
    } else if !report.missing.is_empty() {
        Check::gate(
            "consistency.versions",
            LAYER,
            Status::Warn,
            &format!("cannot compare every version: {}", report.missing_message()),
        )
    } else {
        Check::gate(
            "consistency.versions",
            LAYER,
            Status::Pass,
            &format!(
                "{} agree on all {n} workers",
                report.components.join(" and ")
            ),
        )
    });

    let mut suspects: Vec<String> = Vec::new();
    for worker in &inputs.workers {
        if files.iter().any(|f| f.disagreeing.contains(&worker.name))
            && !suspects.contains(&worker.name)
        {
            suspects.push(worker.name.clone());
        }
    }
    let recommendation = recommend(n, inputs.tolerate_byzantine, suspects.is_empty());
    checks.push(if recommendation.rule == "block" {
        Check::gate(
            "consistency.aggregation",
            LAYER,
            Status::Fail,
            &format!(
                "workers disagree ({}) and {}",
                listed(&suspects),
                recommendation.reason
            ),
        )
    } else {
        Check::gate(
            "consistency.aggregation",
            LAYER,
            Status::Pass,
            &recommendation.reason,
        )
    });

    let per_file: Map<String, Value> = files
        .iter()
        .map(|f| {
            (
                f.file.clone(),
                json!({"majority_hash": f.majority_hash, "agreement": f.agreement,
                       "disagreeing": f.disagreeing}),
            )
        })
        .collect();
    let section = json!({
        "validation_checks": checks.iter().map(Check::to_json).collect::<Vec<_>>(),
        "script_hash": files[0].majority_hash,
        "is_consistent": is_consistent,
        "consistency_threshold": inputs.threshold,
        "min_agreement": min_agreement,
        "per_file": per_file,
        "byzantine_detection": {
            "suspects": suspects,
            "tolerate_byzantine": inputs.tolerate_byzantine,
            "recommended_aggregation": recommendation.rule,
            "reason": recommendation.reason,
        },
    });
    let mut keys = Map::new();
    keys.insert(KEY.into(), section);
    Output { keys, checks }
}

plan_kit::phase_component!(WorkerConsistency);

#[cfg(test)]
mod tests {
    use super::*;

    const H1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
    const H2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
    const H3: &str = "3333333333333333333333333333333333333333333333333333333333333333";
    const H4: &str = "4444444444444444444444444444444444444444444444444444444444444444";

    fn worker(name: &str, train: &str, model: &str) -> Value {
        json!({"name": name, "throughput": 1.0, "memory_bytes": 68719476736u64,
               "free_disk_bytes": 500000000000u64, "os": "macos",
               "versions": {"python": "3.11.7", "mlx": "0.29.1"},
               "files": {"train.py": train, "model.py": model}})
    }

    fn facts(workers: Vec<Value>, threshold: f64, f: u64) -> Value {
        json!({"job": {"script": "train.py", "extra_files": ["model.py"], "dataset_examples": 120000,
                       "batch_size": 64, "epochs": 3, "checkpoint_dir": "checkpoints",
                       "framework": "mlx"},
               "consistency": {"threshold": threshold, "tolerate_byzantine": f},
               "workers": workers, "world_size": 3})
    }

    fn agreeing(n: usize) -> Vec<Value> {
        (0..n).map(|i| worker(&format!("w{i}"), H1, H2)).collect()
    }

    fn judge_facts(facts: &Value) -> (Value, Vec<Check>) {
        let out = run(&facts.to_string(), "{}").expect("valid facts");
        (out.keys[KEY].clone(), out.checks)
    }

    fn check<'a>(checks: &'a [Check], id: &str) -> &'a Check {
        checks
            .iter()
            .find(|c| c.id == id)
            .expect("the check exists")
    }

    #[test]
    fn all_agree() {
        let (s, checks) = judge_facts(&facts(agreeing(3), 0.95, 0));
        assert_eq!(s["is_consistent"], true);
        assert_eq!(s["script_hash"], H1);
        assert_eq!(s["per_file"]["model.py"]["majority_hash"], H2);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 1.0);
        assert_eq!(s["min_agreement"], 1.0);
        assert_eq!(s["consistency_threshold"], 0.95);
        assert_eq!(s["byzantine_detection"]["suspects"], json!([]));
        assert_eq!(s["byzantine_detection"]["recommended_aggregation"], "mean");
        assert_eq!(
            s["byzantine_detection"]["reason"],
            "all n=3 workers agree: plain mean"
        );
        let statuses: Vec<(&str, Status, bool)> = checks
            .iter()
            .map(|c| (c.id.as_str(), c.status, c.blocking))
            .collect();
        assert_eq!(
            statuses,
            [
                ("consistency.hashes", Status::Pass, true),
                ("consistency.versions", Status::Pass, true),
                ("consistency.aggregation", Status::Pass, true),
            ]
        );
        assert_eq!(s["validation_checks"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            check(&checks, "consistency.versions").message,
            "python and mlx agree on all 3 workers"
        );
    }

    #[test]
    fn one_outlier_below_the_threshold_blocks() {
        // 2 of 3 agree on model.py: 0.667 < 0.95.
        let mut workers = agreeing(3);
        workers[2] = worker("w2", H1, H3);
        let (s, checks) = judge_facts(&facts(workers, 0.95, 0));
        assert_eq!(s["is_consistent"], false);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 1.0);
        let agreement = s["per_file"]["model.py"]["agreement"]
            .as_f64()
            .expect("a number");
        assert!((agreement - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s["per_file"]["model.py"]["disagreeing"], json!(["w2"]));
        assert_eq!(s["byzantine_detection"]["suspects"], json!(["w2"]));
        let hashes = check(&checks, "consistency.hashes");
        assert_eq!(hashes.status, Status::Fail);
        assert!(hashes.blocks());
        assert_eq!(
            hashes.message,
            "model.py: 2/3 workers agree (0.667 < threshold 0.95), off the majority: w2"
        );
        // f = 0: no fault tolerance was asked for.
        assert_eq!(s["byzantine_detection"]["recommended_aggregation"], "mean");
        assert_eq!(
            s["byzantine_detection"]["reason"],
            "f=0 (no faulty workers tolerated): plain mean"
        );
    }

    #[test]
    fn agreement_exactly_at_the_threshold_passes() {
        // 19 of 20 agree: 0.95 >= 0.95.
        let mut workers = agreeing(20);
        workers[7] = worker("w7", H3, H2);
        let (s, checks) = judge_facts(&facts(workers, 0.95, 0));
        assert_eq!(s["is_consistent"], true);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 0.95);
        assert_eq!(check(&checks, "consistency.hashes").status, Status::Pass);
        // The outlier is still a suspect even though the run is consistent.
        assert_eq!(s["byzantine_detection"]["suspects"], json!(["w7"]));
    }

    #[test]
    fn a_single_worker_skips_with_the_reason() {
        let (s, checks) = judge_facts(&facts(agreeing(1), 0.95, 0));
        assert_eq!(s["is_consistent"], true);
        let hashes = check(&checks, "consistency.hashes");
        assert_eq!(hashes.status, Status::Skip);
        assert_eq!(hashes.message, "a single worker has nothing to compare");
        assert!(!hashes.blocking);
        assert_eq!(check(&checks, "consistency.versions").status, Status::Skip);
    }

    #[test]
    fn every_hash_distinct_fails_whatever_the_threshold() {
        let workers = vec![
            worker("a", H1, H1),
            worker("b", H2, H1),
            worker("c", H3, H1),
            worker("d", H4, H1),
        ];
        // Agreement 1/4 = 0.25, and even a threshold of 0.25 fails.
        let (s, checks) = judge_facts(&facts(workers, 0.25, 0));
        assert_eq!(s["is_consistent"], false);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 0.25);
        // A four-way tie: the smallest hash wins.
        assert_eq!(s["script_hash"], H1);
        assert_eq!(
            s["per_file"]["train.py"]["disagreeing"],
            json!(["b", "c", "d"])
        );
        let hashes = check(&checks, "consistency.hashes");
        assert_eq!(hashes.status, Status::Fail);
        assert_eq!(
            hashes.message,
            "train.py: no two of the 4 workers agree, off the majority: b, c, d"
        );
        // Two workers, two hashes: agreement 1/2.
        let (s, _) = judge_facts(&facts(
            vec![worker("a", H1, H1), worker("b", H2, H1)],
            0.5,
            0,
        ));
        assert_eq!(s["is_consistent"], false);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 0.5);
    }

    #[test]
    fn ties_go_to_the_lexicographically_smallest_hash() {
        // 2 vs 2: H2 < H3, whatever the worker order.
        let workers = vec![
            worker("a", H3, H1),
            worker("b", H3, H1),
            worker("c", H2, H1),
            worker("d", H2, H1),
        ];
        let (s, _) = judge_facts(&facts(workers, 0.5, 0));
        assert_eq!(s["script_hash"], H2);
        assert_eq!(s["per_file"]["train.py"]["disagreeing"], json!(["a", "b"]));
        assert_eq!(s["per_file"]["train.py"]["agreement"], 0.5);
        assert_eq!(s["is_consistent"], true);
    }

    #[test]
    fn a_missing_hash_counts_against_agreement() {
        let mut workers = agreeing(3);
        workers[1]["files"] = json!({"train.py": H1});
        let (s, checks) = judge_facts(&facts(workers, 0.5, 0));
        let agreement = s["per_file"]["model.py"]["agreement"]
            .as_f64()
            .expect("a number");
        assert!((agreement - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s["per_file"]["model.py"]["disagreeing"], json!(["w1"]));
        assert_eq!(s["is_consistent"], true);
        assert_eq!(s["byzantine_detection"]["suspects"], json!(["w1"]));
        assert_eq!(check(&checks, "consistency.hashes").status, Status::Pass);
        // Nobody reports a hash: null majority, agreement 0.
        let workers: Vec<Value> = agreeing(2)
            .into_iter()
            .map(|mut w| {
                w["files"] = json!({});
                w
            })
            .collect();
        let (s, checks) = judge_facts(&facts(workers, 0.5, 0));
        assert_eq!(s["script_hash"], Value::Null);
        assert_eq!(s["per_file"]["train.py"]["agreement"], 0.0);
        assert!(
            check(&checks, "consistency.hashes")
                .message
                .contains("no worker reports a hash")
        );
    }

    #[test]
    fn aggregation_rule_at_every_boundary() {
        // f = 1: 2f+3 = 5, 2f+1 = 3.
        let cases = [
            (5, 1, "krum", "n=5 >= 2f+3=5: Krum (Blanchard et al. 2017)"),
            (
                4,
                1,
                "trimmed_mean",
                "n=4 < 2f+3=5 but n >= 2f+1=3: coordinate-wise trimmed mean (Yin et al. 2018)",
            ),
            (
                3,
                1,
                "trimmed_mean",
                "n=3 < 2f+3=5 but n >= 2f+1=3: coordinate-wise trimmed mean (Yin et al. 2018)",
            ),
            (
                2,
                1,
                "block",
                "n=2 < 2f+1=3: too few workers to tolerate f=1 faulty ones",
            ),
            // f = 2: 2f+3 = 7, 2f+1 = 5.
            (7, 2, "krum", "n=7 >= 2f+3=7: Krum (Blanchard et al. 2017)"),
            (
                6,
                2,
                "trimmed_mean",
                "n=6 < 2f+3=7 but n >= 2f+1=5: coordinate-wise trimmed mean (Yin et al. 2018)",
            ),
            (
                4,
                2,
                "block",
                "n=4 < 2f+1=5: too few workers to tolerate f=2 faulty ones",
            ),
        ];
        for (n, f, rule, reason) in cases {
            let mut workers = agreeing(n);
            workers[n - 1] = worker(&format!("w{}", n - 1), H1, H3);
            let (s, checks) = judge_facts(&facts(workers, 0.1, f));
            let detection = &s["byzantine_detection"];
            assert_eq!(detection["recommended_aggregation"], rule, "n={n} f={f}");
            assert_eq!(detection["reason"], reason, "n={n} f={f}");
            assert_eq!(detection["tolerate_byzantine"], f);
            let aggregation = check(&checks, "consistency.aggregation");
            if rule == "block" {
                assert_eq!(aggregation.status, Status::Fail);
                assert!(aggregation.blocks());
                assert_eq!(
                    aggregation.message,
                    format!("workers disagree (w{}) and {reason}", n - 1)
                );
            } else {
                assert_eq!(aggregation.status, Status::Pass);
                assert_eq!(aggregation.message, reason);
            }
        }
        // f > 0 but everyone agrees: the plain mean.
        let (s, _) = judge_facts(&facts(agreeing(2), 0.95, 3));
        assert_eq!(s["byzantine_detection"]["recommended_aggregation"], "mean");
        // An absurd f does not overflow.
        assert_eq!(recommend(3, u64::MAX, false).rule, "block");
    }

    #[test]
    fn version_skew_blocks_and_a_missing_version_warns() {
        let mut workers = agreeing(3);
        workers[1]["versions"] = json!({"python": "3.12.1", "mlx": "0.29.1"});
        workers[2]["versions"] = json!({"python": "3.11.2", "mlx": "0.28.0"});
        let (_, checks) = judge_facts(&facts(workers, 0.95, 0));
        let versions = check(&checks, "consistency.versions");
        assert_eq!(versions.status, Status::Fail);
        assert!(versions.blocks());
        assert_eq!(
            versions.message,
            "version skew: python 3.11 on w0, w2; 3.12 on w1 | mlx 0.29.1 on w0, w1; 0.28.0 on w2"
        );

        let mut workers = agreeing(3);
        workers[2]["versions"] = json!({"python": "3.11.9"});
        let (_, checks) = judge_facts(&facts(workers, 0.95, 0));
        let versions = check(&checks, "consistency.versions");
        assert_eq!(versions.status, Status::Warn);
        assert!(!versions.blocking);
        assert_eq!(
            versions.message,
            "cannot compare every version: no mlx version from w2"
        );
    }

    #[test]
    fn invalid_facts_name_the_fact() {
        let cases = [
            (
                "/consistency/threshold",
                json!(1.5),
                "fact `consistency.threshold` must be in (0, 1], found 1.5",
            ),
            (
                "/consistency/threshold",
                json!(0),
                "fact `consistency.threshold` must be in (0, 1], found 0",
            ),
            (
                "/consistency/tolerate_byzantine",
                json!(-1),
                "fact `consistency.tolerate_byzantine` must be a non-negative integer, found -1",
            ),
            ("/consistency", Value::Null, "missing fact `consistency`"),
            (
                "/workers/1/files/train.py",
                json!(5),
                "fact `workers[1].files.train.py` must be a string, found 5",
            ),
            (
                "/workers/0/versions",
                json!([]),
                "fact `workers[0].versions` must be an object, found []",
            ),
            ("/job/script", Value::Null, "missing fact `job.script`"),
        ];
        for (pointer, value, message) in cases {
            let mut f = facts(agreeing(3), 0.95, 0);
            *f.pointer_mut(pointer).expect("pointer exists") = value;
            assert_eq!(
                run(&f.to_string(), "{}"),
                Err(InvalidInput(message.into())),
                "{pointer}"
            );
        }
    }
}
