//! The `pre-flight` phase: the launch checklist. Eight checks in three
//! layers over the facts and the sections the earlier phases wrote; the
//! host requires this phase, and its checks are the gate.
//!
//! # `pre_flight_checklist`
//!
//! `{"checks": [8 checks], "validation_layers": ["hardware", "worker",
//! "health"], "block_on_failure": true, "overall_status": "pass" | "warn" |
//! "fail", "blocking_failures": [check ids]}`, a check being `{"id",
//! "layer", "status", "message", "blocking"}`. The same eight checks are the
//! phase's checks. `overall_status` is `fail` when a blocking check failed,
//! else `warn` when any check warned (or failed), else `pass`. As in every
//! plan phase, `pass` and `fail` checks are blocking, `warn` checks are not.
//!
//! | id | passes when | otherwise |
//! | --- | --- | --- |
//! | `hardware.reports` | every worker's facts are present and fresh | a missing report fails; a stale one warns |
//! | `hardware.throughput` | every throughput is known and `> 0` | fail |
//! | `hardware.memory` | the smallest worker memory holds one chunk: `coordinator_chunking.chunk_size × job.memory_per_example_bytes`; or the memory per example is not given (nothing to compare) | too small: fail; a worker's memory unknown: warn |
//! | `worker.hashes` | `worker_consistency.is_consistent` | fail (without the section: fail when the facts' own hashes fall short, else warn) |
//! | `worker.versions` | no python major.minor or framework version skew (computed from the facts, see [`versions`]) | skew: fail; a version missing: warn |
//! | `worker.world_size` | `world_size` equals the number of workers | fail |
//! | `health.sync` | `pre_rdma_sync.status` is `passed` or `skipped` | `missing`: warn; `failed`: fail |
//! | `health.checkpoint` | the checkpoint directory is inside the workspace, writable, with ≥ 1 GiB free | outside, not writable or 0 bytes free: fail; under 1 GiB or unknown: warn |
//!
//! A section another phase should have written may be missing from the
//! document, malformed, or `{"status": "unavailable", "reason": …}` (its
//! phase failed or is disabled). The check that reads it then warns, naming
//! the section and the reason; the phase never fails because of it.
//!
//! The free-disk floor: the plan does not know the model's size, so it
//! cannot estimate a checkpoint's; 1 GiB ([`MIN_CHECKPOINT_FREE_BYTES`])
//! is a floor below which even one checkpoint of a small model (a few
//! hundred million parameters in 16 bits) is unlikely to fit.

pub use plan_kit::code;
pub use plan_kit::common;
pub use plan_kit::versions;

use serde_json::{Map, Value, json};

use common::{Check, Fact, InvalidInput, Output, Status, listed, parse_object};
use versions::WorkerVersions;

/// The document key this phase owns.
pub const KEY: &str = "pre_flight_checklist";
/// The document keys this phase owns.
pub const OWNS: [&str; 1] = [KEY];
/// The phases this one runs after.
pub const AFTER: [&str; 4] = [
    "pre-sync",
    "hardware-calibration",
    "worker-consistency",
    "coordinator-chunking",
];
/// The layers, in checklist order.
pub const LAYERS: [&str; 3] = ["hardware", "worker", "health"];
/// Free space below which the checkpoint check warns.
pub const MIN_CHECKPOINT_FREE_BYTES: u64 = 1 << 30;

/// A worker's report state.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub present: bool,
    pub fresh: bool,
    pub age_s: Option<f64>,
}

/// One worker, as this phase reads it. Values a missing report leaves
/// unknown are `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Worker {
    pub name: String,
    pub throughput: Option<f64>,
    pub memory_bytes: Option<u64>,
    pub report: Report,
    pub versions: WorkerVersions,
}

/// `facts.checkpoint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub dir: String,
    pub inside_workspace: bool,
    pub writable: Option<bool>,
    pub free_disk_bytes: Option<u64>,
}

/// Everything the checklist reads from the facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    pub framework: String,
    pub memory_per_example_bytes: Option<u64>,
    pub workers: Vec<Worker>,
    pub world_size: u64,
    pub max_report_age_s: Option<f64>,
    pub checkpoint: Checkpoint,
    /// What the facts' own hashes say ([`code::agreement`]): what the hash
    /// gate reads when `worker_consistency` is unavailable. Read only then
    /// (see [`run`]).
    pub code: Option<code::Agreement>,
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
                let report = w.get("report");
                report.object()?;
                let present = report.get("present").bool()?;
                Ok(Worker {
                    name: w.get("name").str()?.to_string(),
                    throughput: w.get("throughput").opt_f64()?,
                    memory_bytes: w.get("memory_bytes").opt_u64()?,
                    report: Report {
                        present,
                        // Only a present report can be fresh or stale.
                        fresh: if present {
                            report.get("fresh").bool()?
                        } else {
                            report.get("fresh").opt_bool()?.unwrap_or(false)
                        },
                        age_s: report.get("age_s").opt_f64()?,
                    },
                    versions: WorkerVersions::from_fact(w)?,
                })
            })
            .collect::<Result<Vec<_>, InvalidInput>>()?;
        if workers.is_empty() {
            return Err(InvalidInput(
                "fact `workers` must list at least one worker, found []".into(),
            ));
        }
        let checkpoint = root.get("checkpoint");
        checkpoint.object()?;
        let mpe = job.get("memory_per_example_bytes");
        Ok(Inputs {
            framework: job.get("framework").str()?.to_string(),
            memory_per_example_bytes: if mpe.is_absent() {
                None
            } else {
                Some(mpe.positive_u64()?)
            },
            workers,
            world_size: root.get("world_size").u64()?,
            max_report_age_s: root.get("max_report_age_s").opt_f64()?,
            checkpoint: Checkpoint {
                dir: checkpoint.get("dir").str()?.to_string(),
                inside_workspace: checkpoint.get("inside_workspace").bool()?,
                writable: checkpoint.get("writable").opt_bool()?,
                free_disk_bytes: checkpoint.get("free_disk_bytes").opt_u64()?,
            },
            code: None,
        })
    }
}

/// Runs the phase over the facts and the document (JSON text).
pub fn run(facts: &str, document: &str) -> Result<Output, InvalidInput> {
    let facts = parse_object(facts, "facts")?;
    let document = parse_object(document, "document")?;
    let mut inputs = Inputs::from_facts(&facts)?;
    if section(&document, "worker_consistency").map_or(true, |c| {
        !c.get("is_consistent").is_some_and(Value::is_boolean)
    }) {
        inputs.code = code::agreement(&facts);
    }
    Ok(checklist(&inputs, &document))
}

/// A section of the document, or the warning that it cannot be read.
fn section<'a>(document: &'a Value, key: &str) -> Result<&'a Map<String, Value>, String> {
    let Some(value) = document.get(key) else {
        return Err(format!(
            "section `{key}` is not in the document (its phase did not run)"
        ));
    };
    let Some(object) = value.as_object() else {
        return Err(format!(
            "section `{key}` is {}, not an object",
            common::kind(value)
        ));
    };
    if object.get("status").and_then(Value::as_str) == Some("unavailable") {
        let reason = object
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or("no reason given");
        return Err(format!("section `{key}` unavailable: {reason}"));
    }
    Ok(object)
}

/// The warning for a section that cannot be read: never blocking.
fn degraded(id: &str, layer: &str, why: &str) -> Check {
    Check::gate(id, layer, Status::Warn, why)
}

/// `64.0 GiB`, `512.0 MiB`, `900 B`.
pub fn bytes(n: u128) -> String {
    const GIB: u128 = 1 << 30;
    const MIB: u128 = 1 << 20;
    if n >= GIB {
        format!("{:.1} GiB", n as f64 / GIB as f64)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} B")
    }
}

fn seconds(s: f64) -> String {
    if s.fract() == 0.0 && s.abs() < 1e15 {
        format!("{} s", s as i64)
    } else {
        format!("{s:.1} s")
    }
}

fn reports(inputs: &Inputs) -> Check {
    let missing: Vec<&str> = inputs
        .workers
        .iter()
        .filter(|w| !w.report.present)
        .map(|w| w.name.as_str())
        .collect();
    let stale: Vec<String> = inputs
        .workers
        .iter()
        .filter(|w| w.report.present && !w.report.fresh)
        .map(|w| match (w.report.age_s, inputs.max_report_age_s) {
            (Some(age), Some(max)) => {
                format!("{} (age {} > {})", w.name, seconds(age), seconds(max))
            }
            (Some(age), None) => format!("{} (age {})", w.name, seconds(age)),
            _ => w.name.clone(),
        })
        .collect();
    let stale_part = if stale.is_empty() {
        String::new()
    } else {
        format!("stale report from {}", listed(&stale))
    };
    let id = "hardware.reports";
    if !missing.is_empty() {
        let mut message = format!("no report from {}", listed(&missing));
        if !stale_part.is_empty() {
            message.push_str(&format!("; {stale_part}"));
        }
        Check::gate(id, "hardware", Status::Fail, &message)
    } else if !stale.is_empty() {
        Check::gate(id, "hardware", Status::Warn, &stale_part)
    } else {
        Check::gate(
            id,
            "hardware",
            Status::Pass,
            &format!(
                "the facts of all {} worker(s) are present and fresh",
                inputs.workers.len()
            ),
        )
    }
}

fn throughput(inputs: &Inputs) -> Check {
    let bad: Vec<String> = inputs
        .workers
        .iter()
        .filter_map(|w| match w.throughput {
            None => Some(format!("{} (unknown)", w.name)),
            Some(t) if t <= 0.0 => Some(format!("{} ({t})", w.name)),
            Some(_) => None,
        })
        .collect();
    if bad.is_empty() {
        let sum: f64 = inputs.workers.iter().filter_map(|w| w.throughput).sum();
        Check::gate(
            "hardware.throughput",
            "hardware",
            Status::Pass,
            &format!("every throughput is > 0 (sum {sum:.3} examples/s)"),
        )
    } else {
        Check::gate(
            "hardware.throughput",
            "hardware",
            Status::Fail,
            &format!("throughput must be > 0: {}", listed(&bad)),
        )
    }
}

fn memory(inputs: &Inputs, document: &Value) -> Check {
    let id = "hardware.memory";
    let Some(per_example) = inputs.memory_per_example_bytes else {
        return Check::gate(
            id,
            "hardware",
            Status::Pass,
            "job.memory_per_example_bytes is not given: the memory a chunk needs is not estimated",
        );
    };
    let chunking = match section(document, "coordinator_chunking") {
        Ok(chunking) => chunking,
        Err(why) => return degraded(id, "hardware", &why),
    };
    let Some(chunk_size) = chunking
        .get("chunk_size")
        .and_then(Value::as_u64)
        .filter(|&c| c > 0)
    else {
        return degraded(
            id,
            "hardware",
            "section `coordinator_chunking` has no positive integer `chunk_size`",
        );
    };
    let need = u128::from(chunk_size) * u128::from(per_example);
    let unknown: Vec<&str> = inputs
        .workers
        .iter()
        .filter(|w| w.memory_bytes.is_none())
        .map(|w| w.name.as_str())
        .collect();
    let smallest = inputs
        .workers
        .iter()
        .filter_map(|w| w.memory_bytes.map(|m| (m, w.name.as_str())))
        .min_by_key(|&(m, _)| m);
    let chunk = format!(
        "one chunk needs {chunk_size} × {per_example} B = {}",
        bytes(need)
    );
    match smallest {
        Some((m, name)) if u128::from(m) < need => Check::gate(
            id,
            "hardware",
            Status::Fail,
            &format!("{name} has {} of memory; {chunk}", bytes(u128::from(m))),
        ),
        _ if !unknown.is_empty() => Check::gate(
            id,
            "hardware",
            Status::Warn,
            &format!("memory unknown for {}; {chunk}", listed(&unknown)),
        ),
        Some((m, name)) => Check::gate(
            id,
            "hardware",
            Status::Pass,
            &format!(
                "the smallest memory, {} on {name}, holds one chunk: {chunk}",
                bytes(u128::from(m))
            ),
        ),
        // No worker at all is refused with the facts; kept total.
        None => degraded(id, "hardware", "no worker memory is known"),
    }
}

fn hashes(inputs: &Inputs, document: &Value) -> Check {
    let id = "worker.hashes";
    let consistency = match section(document, "worker_consistency") {
        Ok(consistency) => consistency,
        Err(why) => return hashes_from_facts(inputs, &why),
    };
    let Some(consistent) = consistency.get("is_consistent").and_then(Value::as_bool) else {
        return hashes_from_facts(
            inputs,
            "section `worker_consistency` has no boolean `is_consistent`",
        );
    };
    let threshold = consistency
        .get("consistency_threshold")
        .and_then(Value::as_f64);
    if consistent {
        return Check::gate(
            id,
            "worker",
            Status::Pass,
            "worker_consistency.is_consistent: every file has the same hash on enough workers",
        );
    }
    // Name the files below the threshold when the section says which.
    let mut files: Vec<String> = Vec::new();
    if let Some(per_file) = consistency.get("per_file").and_then(Value::as_object) {
        for (file, verdict) in per_file {
            let agreement = verdict.get("agreement").and_then(Value::as_f64);
            let below = match (agreement, threshold) {
                (Some(a), Some(t)) => a < t,
                _ => false,
            };
            let off: Vec<&str> = verdict
                .get("disagreeing")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if below || !off.is_empty() {
                let mut part = match agreement {
                    Some(a) => format!("{file} agreement {a:.3}"),
                    None => file.clone(),
                };
                if !off.is_empty() {
                    part.push_str(&format!(" (off the majority: {})", listed(&off)));
                }
                files.push(part);
            }
        }
    }
    let mut message = "workers do not run the same code".to_string();
    if let Some(t) = threshold {
        message.push_str(&format!(" (threshold {t})"));
    }
    if !files.is_empty() {
        let shown = files.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
        message.push_str(&format!(": {shown}"));
        if files.len() > 5 {
            message.push_str(&format!("; and {} more files", files.len() - 5));
        }
    }
    Check::gate(id, "worker", Status::Fail, &message)
}

/// The hash gate without its section: the facts' own hashes. Files some
/// worker reports and too few share fail it (a missing section never
/// passes stale code); otherwise it warns, naming why the section is
/// missing and what the facts hold.
fn hashes_from_facts(inputs: &Inputs, why: &str) -> Check {
    let id = "worker.hashes";
    match &inputs.code {
        Some(code) if !code.short.is_empty() => {
            let workers = code.workers;
            let files: Vec<String> = code
                .short
                .iter()
                .map(|(file, agreeing)| format!("{file} {agreeing}/{workers}"))
                .collect();
            Check::gate(
                id,
                "worker",
                Status::Fail,
                &format!(
                    "workers do not run the same code, by the facts' hashes ({why}): {}",
                    listed(&files)
                ),
            )
        }
        Some(code) if code.workers > 1 && code.unreported > 0 => degraded(
            id,
            "worker",
            &format!(
                "{why}; the facts hold no hash for {} file(s), and agree on the rest",
                code.unreported
            ),
        ),
        Some(code) if code.workers > 1 => degraded(
            id,
            "worker",
            &format!("{why}; the facts' hashes agree on every file"),
        ),
        _ => degraded(id, "worker", why),
    }
}

fn versions_check(inputs: &Inputs) -> Check {
    let id = "worker.versions";
    let n = inputs.workers.len();
    if n == 1 {
        return Check::gate(
            id,
            "worker",
            Status::Pass,
            "a single worker: no version skew is possible",
        );
    }
    let workers: Vec<WorkerVersions> = inputs.workers.iter().map(|w| w.versions.clone()).collect();
    let report = versions::compare(&inputs.framework, &workers);
    if !report.skew.is_empty() {
        let mut message = format!("version skew: {}", report.skew_message());
        if !report.missing.is_empty() {
            message.push_str(&format!("; also {}", report.missing_message()));
        }
        Check::gate(id, "worker", Status::Fail, &message)
    } else if !report.missing.is_empty() {
        Check::gate(
            id,
            "worker",
            Status::Warn,
            &format!("cannot compare every version: {}", report.missing_message()),
        )
    } else {
        Check::gate(
            id,
            "worker",
            Status::Pass,
            &format!(
                "{} agree on all {n} workers",
                report.components.join(" and ")
            ),
        )
    }
}

fn world_size(inputs: &Inputs) -> Check {
    let n = inputs.workers.len();
    if inputs.world_size == n as u64 {
        Check::gate(
            "worker.world_size",
            "worker",
            Status::Pass,
            &format!("world_size {} = {n} workers", inputs.world_size),
        )
    } else {
        Check::gate(
            "worker.world_size",
            "worker",
            Status::Fail,
            &format!(
                "world_size is {} but {n} worker(s) are listed",
                inputs.world_size
            ),
        )
    }
}

fn sync(document: &Value) -> Check {
    let id = "health.sync";
    let sync = match section(document, "pre_rdma_sync") {
        Ok(sync) => sync,
        Err(why) => return degraded(id, "health", &why),
    };
    let script = sync
        .get("sync_script")
        .and_then(Value::as_str)
        .map(|s| format!("sync script `{s}`"))
        .unwrap_or_else(|| "the sync script".to_string());
    match sync.get("status").and_then(Value::as_str) {
        Some("passed") => Check::gate(id, "health", Status::Pass, &format!("{script} passed")),
        Some("skipped") => Check::gate(
            id,
            "health",
            Status::Pass,
            "no sync script is configured: workers are assumed up to date",
        ),
        Some("missing") => Check::gate(
            id,
            "health",
            Status::Warn,
            &format!("{script} was not found: workers were not synced"),
        ),
        Some("failed") => {
            let detail = if sync.get("timed_out").and_then(Value::as_bool) == Some(true) {
                " (timed out)".to_string()
            } else if let Some(code) = sync.get("exit_code").and_then(Value::as_i64) {
                format!(" (exit code {code})")
            } else {
                String::new()
            };
            Check::gate(
                id,
                "health",
                Status::Fail,
                &format!("{script} failed{detail}: workers may run different code"),
            )
        }
        Some(other) => degraded(
            id,
            "health",
            &format!("section `pre_rdma_sync` has an unknown status {other:?}"),
        ),
        None => degraded(
            id,
            "health",
            "section `pre_rdma_sync` has no string `status`",
        ),
    }
}

fn checkpoint(inputs: &Inputs) -> Check {
    let id = "health.checkpoint";
    let c = &inputs.checkpoint;
    let dir = &c.dir;
    let floor = bytes(u128::from(MIN_CHECKPOINT_FREE_BYTES));
    if !c.inside_workspace {
        return Check::gate(
            id,
            "health",
            Status::Fail,
            &format!("checkpoint directory `{dir}` is outside the workspace"),
        );
    }
    match (c.writable, c.free_disk_bytes) {
        (Some(false), _) => Check::gate(
            id,
            "health",
            Status::Fail,
            &format!("checkpoint directory `{dir}` is not writable"),
        ),
        (_, Some(0)) => Check::gate(
            id,
            "health",
            Status::Fail,
            &format!("no free disk space for checkpoints in `{dir}`"),
        ),
        (None, _) => Check::gate(
            id,
            "health",
            Status::Warn,
            &format!("whether `{dir}` is writable is unknown"),
        ),
        (_, None) => Check::gate(
            id,
            "health",
            Status::Warn,
            &format!("free disk space for `{dir}` is unknown"),
        ),
        (Some(true), Some(free)) if free < MIN_CHECKPOINT_FREE_BYTES => Check::gate(
            id,
            "health",
            Status::Warn,
            &format!(
                "only {} free for checkpoints in `{dir}` (below {floor})",
                bytes(u128::from(free))
            ),
        ),
        (Some(true), Some(free)) => Check::gate(
            id,
            "health",
            Status::Pass,
            &format!(
                "`{dir}` is inside the workspace and writable, {} free (>= {floor})",
                bytes(u128::from(free))
            ),
        ),
    }
}

/// `fail` when a blocking check failed, else `warn` when any check warned
/// or failed, else `pass`.
pub fn overall_status(checks: &[Check]) -> &'static str {
    if checks.iter().any(Check::blocks) {
        "fail"
    } else if checks
        .iter()
        .any(|c| matches!(c.status, Status::Warn | Status::Fail))
    {
        "warn"
    } else {
        "pass"
    }
}

/// The eight checks, in order, and the section.
pub fn checklist(inputs: &Inputs, document: &Value) -> Output {
    let checks = vec![
        reports(inputs),
        throughput(inputs),
        memory(inputs, document),
        hashes(inputs, document),
        versions_check(inputs),
        world_size(inputs),
        sync(document),
        checkpoint(inputs),
    ];
    let blocking: Vec<&str> = checks
        .iter()
        .filter(|c| c.blocks())
        .map(|c| c.id.as_str())
        .collect();
    let section = json!({
        "checks": checks.iter().map(Check::to_json).collect::<Vec<_>>(),
        "validation_layers": LAYERS,
        "block_on_failure": true,
        "overall_status": overall_status(&checks),
        "blocking_failures": blocking,
    });
    let mut keys = Map::new();
    keys.insert(KEY.into(), section);
    Output { keys, checks }
}

plan_kit::phase_component!(PreFlight);

#[cfg(test)]
mod tests;
