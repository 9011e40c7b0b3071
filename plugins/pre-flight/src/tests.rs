use serde_json::{Value, json};

use super::*;

const H1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const H2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const GIB: u64 = 1 << 30;

fn worker(name: &str, memory: u64) -> Value {
    json!({"name": name, "throughput": 1.0, "memory_bytes": memory,
           "free_disk_bytes": 500000000000u64, "os": "macos",
           "versions": {"python": "3.11.7", "mlx": "0.29.1"},
           "files": {"train.py": H1, "model.py": H2},
           "report": {"source": "file", "present": true, "age_s": 120, "fresh": true}})
}

fn facts() -> Value {
    json!({
        "job": {"script": "train.py", "extra_files": ["model.py"], "dataset_examples": 120000,
                "batch_size": 64, "epochs": 3, "checkpoint_dir": "checkpoints",
                "framework": "mlx", "memory_per_example_bytes": 2000000},
        "consistency": {"threshold": 0.95, "tolerate_byzantine": 0},
        "sync": {"script": "scripts/sync.sh", "found": true, "ran": true, "exit_code": 0,
                 "timed_out": false, "timeout_s": 300, "duration_s": 1.2, "output_tail": "ok"},
        "workers": [worker("studio-1", 128 * GIB), worker("studio-2", 64 * GIB),
                    worker("studio-3", 128 * GIB)],
        "checkpoint": {"dir": "checkpoints", "inside_workspace": true, "writable": true,
                       "free_disk_bytes": 400000000000u64},
        "world_size": 3,
        "max_report_age_s": 86400
    })
}

/// What the other phases write for `facts()`.
fn document() -> Value {
    json!({
        "pre_rdma_sync": {"sync_script": "scripts/sync.sh", "validation_checks": [],
                          "block_on_failure": true, "status": "passed", "exit_code": 0,
                          "timed_out": false, "output_tail": "ok"},
        "hardware_calibration": {"predicted_epoch_seconds": 40000.0},
        "worker_consistency": {"validation_checks": [], "script_hash": H1, "is_consistent": true,
                               "consistency_threshold": 0.95, "min_agreement": 1.0,
                               "per_file": {"train.py": {"majority_hash": H1, "agreement": 1.0,
                                                         "disagreeing": []},
                                            "model.py": {"majority_hash": H2, "agreement": 1.0,
                                                         "disagreeing": []}},
                               "byzantine_detection": {"suspects": [],
                                                       "recommended_aggregation": "mean",
                                                       "reason": "all n=3 workers agree: plain mean"}},
        "coordinator_chunking": {"enabled": true, "chunk_size": 8589, "num_chunks": 14,
                                 "memory_management": ["gc.collect()", "mx.clear_cache()"]}
    })
}

fn unavailable(reason: &str) -> Value {
    json!({"status": "unavailable", "reason": reason})
}

fn checklist_of(facts: &Value, document: &Value) -> Output {
    run(&facts.to_string(), &document.to_string()).expect("valid input")
}

fn check<'a>(out: &'a Output, id: &str) -> &'a Check {
    out.checks
        .iter()
        .find(|c| c.id == id)
        .expect("the check exists")
}

fn status_of(out: &Output) -> String {
    out.keys[KEY]["overall_status"]
        .as_str()
        .expect("a string")
        .to_string()
}

/// Every check not in `except` passes.
fn others_pass(out: &Output, except: &[&str]) {
    for c in &out.checks {
        if !except.contains(&c.id.as_str()) {
            assert_eq!(c.status, Status::Pass, "{}: {}", c.id, c.message);
        }
    }
}

#[test]
fn a_healthy_cluster_passes_all_eight() {
    let out = checklist_of(&facts(), &document());
    let ids: Vec<(&str, &str)> = out
        .checks
        .iter()
        .map(|c| (c.id.as_str(), c.layer.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("hardware.reports", "hardware"),
            ("hardware.throughput", "hardware"),
            ("hardware.memory", "hardware"),
            ("worker.hashes", "worker"),
            ("worker.versions", "worker"),
            ("worker.world_size", "worker"),
            ("health.sync", "health"),
            ("health.checkpoint", "health"),
        ]
    );
    others_pass(&out, &[]);
    assert!(out.checks.iter().all(|c| c.blocking));
    let section = &out.keys[KEY];
    assert_eq!(section["overall_status"], "pass");
    assert_eq!(
        section["validation_layers"],
        json!(["hardware", "worker", "health"])
    );
    assert_eq!(section["block_on_failure"], true);
    assert_eq!(section["blocking_failures"], json!([]));
    let listed: Vec<Value> = out.checks.iter().map(Check::to_json).collect();
    assert_eq!(section["checks"], Value::Array(listed));
    assert_eq!(out.keys.len(), 1);
    // 64 GiB = 68719476736 B holds 8589 × 2000000 B = 17178000000 B = 16.0 GiB.
    assert_eq!(
        check(&out, "hardware.memory").message,
        "the smallest memory, 64.0 GiB on studio-2, holds one chunk: one chunk needs 8589 × 2000000 B = 16.0 GiB"
    );
    assert_eq!(
        check(&out, "hardware.throughput").message,
        "every throughput is > 0 (sum 3.000 examples/s)"
    );
}

#[test]
fn each_section_unavailable_in_turn_warns_only_its_check() {
    let cases = [
        ("pre_rdma_sync", Some("health.sync")),
        ("hardware_calibration", None),
        ("worker_consistency", Some("worker.hashes")),
        ("coordinator_chunking", Some("hardware.memory")),
    ];
    for (key, dependent) in cases {
        let mut doc = document();
        doc[key] = unavailable("plugin trapped: out of fuel");
        let out = checklist_of(&facts(), &doc);
        assert_eq!(out.checks.len(), 8);
        match dependent {
            Some(id) => {
                let c = check(&out, id);
                assert_eq!(c.status, Status::Warn, "{key}");
                assert!(!c.blocking, "{key}");
                let mut expected =
                    format!("section `{key}` unavailable: plugin trapped: out of fuel");
                if key == "worker_consistency" {
                    expected.push_str(AGREE);
                }
                assert_eq!(c.message, expected);
                others_pass(&out, &[id]);
                assert_eq!(status_of(&out), "warn", "{key}");
            }
            None => {
                others_pass(&out, &[]);
                assert_eq!(status_of(&out), "pass", "{key}");
            }
        }
    }
}

/// What the hash gate adds when its section is missing and the facts'
/// own hashes agree.
const AGREE: &str = "; the facts' hashes agree on every file";

/// worker-consistency ran out of its memory on a large cluster, its
/// section was unavailable, and the hash gate only warned: stale code read
/// "ready to launch" (round 70). Without the section, the facts' own hashes
/// decide: files too few workers share fail the gate.
#[test]
fn without_its_section_the_hash_gate_reads_the_facts_hashes() {
    let mut facts = facts();
    facts["workers"][2]["files"]["train.py"] = json!("stale");
    let mut doc = document();
    doc["worker_consistency"] = unavailable("exceeded its 64 MiB memory limit");
    let out = checklist_of(&facts, &doc);
    let c = check(&out, "worker.hashes");
    assert_eq!(c.status, Status::Fail);
    assert!(c.blocks());
    assert_eq!(
        c.message,
        "workers do not run the same code, by the facts' hashes (section `worker_consistency` unavailable: exceeded its 64 MiB memory limit): train.py 2/3"
    );
    assert_eq!(status_of(&out), "fail");
    // A worker reporting no hash at all is off the majority too.
    let mut facts = self::facts();
    facts["workers"][1]["files"] = json!({});
    let c = check(&checklist_of(&facts, &json!({})), "worker.hashes").clone();
    assert_eq!(c.status, Status::Fail, "{}", c.message);
    // No worker reports any hash (inline workers listing no files): no
    // evidence either way, a warning (review).
    let mut facts = self::facts();
    for worker in facts["workers"].as_array_mut().unwrap() {
        worker["files"] = json!({});
    }
    let mut doc = document();
    doc["worker_consistency"] = unavailable("disabled in pitcrew.toml");
    let c = check(&checklist_of(&facts, &doc), "worker.hashes").clone();
    assert_eq!(c.status, Status::Warn, "{}", c.message);
    assert_eq!(
        c.message,
        "section `worker_consistency` unavailable: disabled in pitcrew.toml; the facts hold no hash for 2 file(s), and agree on the rest"
    );
}

#[test]
fn every_section_unavailable_or_absent_still_gives_eight_checks() {
    let mut doc = document();
    for key in [
        "pre_rdma_sync",
        "hardware_calibration",
        "worker_consistency",
        "coordinator_chunking",
    ] {
        doc[key] = json!({"status": "unavailable"});
    }
    let out = checklist_of(&facts(), &doc);
    assert_eq!(out.checks.len(), 8);
    assert_eq!(
        check(&out, "worker.hashes").message,
        format!("section `worker_consistency` unavailable: no reason given{AGREE}")
    );
    assert_eq!(status_of(&out), "warn");

    let out = checklist_of(&facts(), &json!({}));
    assert_eq!(out.checks.len(), 8);
    for id in ["hardware.memory", "worker.hashes", "health.sync"] {
        let c = check(&out, id);
        assert_eq!(c.status, Status::Warn, "{id}");
        assert!(
            c.message.contains("is not in the document"),
            "{}",
            c.message
        );
    }
    assert_eq!(status_of(&out), "warn");
}

#[test]
fn malformed_sections_warn_instead_of_failing_the_phase() {
    let mut doc = document();
    doc["worker_consistency"] = json!({"is_consistent": "yes"});
    doc["coordinator_chunking"] = json!({"chunk_size": -3});
    doc["pre_rdma_sync"] = json!({"status": "exploded"});
    let out = checklist_of(&facts(), &doc);
    assert_eq!(check(&out, "worker.hashes").status, Status::Warn);
    assert_eq!(check(&out, "hardware.memory").status, Status::Warn);
    assert_eq!(
        check(&out, "health.sync").message,
        "section `pre_rdma_sync` has an unknown status \"exploded\""
    );
    let mut doc = document();
    doc["worker_consistency"] = json!([1, 2]);
    doc["pre_rdma_sync"] = json!({"sync_script": null});
    let out = checklist_of(&facts(), &doc);
    assert_eq!(
        check(&out, "worker.hashes").message,
        format!("section `worker_consistency` is an array, not an object{AGREE}")
    );
    assert_eq!(check(&out, "health.sync").status, Status::Warn);
}

#[test]
fn reports_missing_fail_and_stale_warn() {
    let mut f = facts();
    f["workers"][1]["report"] =
        json!({"source": "file", "present": true, "age_s": 90000, "fresh": false});
    let out = checklist_of(&f, &document());
    let c = check(&out, "hardware.reports");
    assert_eq!(c.status, Status::Warn);
    assert!(!c.blocking);
    assert_eq!(
        c.message,
        "stale report from studio-2 (age 90000 s > 86400 s)"
    );
    assert_eq!(status_of(&out), "warn");

    f["workers"][2]["report"] =
        json!({"source": "file", "present": false, "age_s": null, "fresh": false});
    f["workers"][2]["throughput"] = Value::Null;
    f["workers"][2]["memory_bytes"] = Value::Null;
    let out = checklist_of(&f, &document());
    let c = check(&out, "hardware.reports");
    assert_eq!(c.status, Status::Fail);
    assert!(c.blocks());
    assert_eq!(
        c.message,
        "no report from studio-3; stale report from studio-2 (age 90000 s > 86400 s)"
    );
    // The values the missing report would have given are unknown.
    assert_eq!(check(&out, "hardware.throughput").status, Status::Fail);
    assert_eq!(
        check(&out, "hardware.throughput").message,
        "throughput must be > 0: studio-3 (unknown)"
    );
    assert_eq!(check(&out, "hardware.memory").status, Status::Warn);
    assert_eq!(status_of(&out), "fail");
    assert_eq!(
        out.keys[KEY]["blocking_failures"],
        json!(["hardware.reports", "hardware.throughput"])
    );
}

#[test]
fn a_zero_throughput_fails() {
    let mut f = facts();
    f["workers"][0]["throughput"] = json!(0.0);
    let out = checklist_of(&f, &document());
    let c = check(&out, "hardware.throughput");
    assert_eq!(c.status, Status::Fail);
    assert_eq!(c.message, "throughput must be > 0: studio-1 (0)");
    others_pass(&out, &["hardware.throughput"]);
    assert_eq!(status_of(&out), "fail");
}

#[test]
fn memory_too_small_for_a_chunk_fails() {
    let mut f = facts();
    // 16 GiB = 17179869184 B < 8589 × 4000000 B = 34356000000 B = 32.0 GiB.
    f["job"]["memory_per_example_bytes"] = json!(4_000_000);
    f["workers"][1]["memory_bytes"] = json!(16 * GIB);
    let out = checklist_of(&f, &document());
    let c = check(&out, "hardware.memory");
    assert_eq!(c.status, Status::Fail);
    assert!(c.blocks());
    assert_eq!(
        c.message,
        "studio-2 has 16.0 GiB of memory; one chunk needs 8589 × 4000000 B = 32.0 GiB"
    );
    // Exactly enough passes: 8589 × 2000000 = 17178000000 B.
    let mut f = facts();
    f["workers"][1]["memory_bytes"] = json!(17_178_000_000u64);
    assert_eq!(checklist_of(&f, &document()).checks[2].status, Status::Pass);
    f["workers"][1]["memory_bytes"] = json!(17_177_999_999u64);
    assert_eq!(checklist_of(&f, &document()).checks[2].status, Status::Fail);
}

#[test]
fn unknown_memory_per_example_passes_with_the_reason() {
    let mut f = facts();
    f["job"]["memory_per_example_bytes"] = Value::Null;
    let mut doc = document();
    doc["coordinator_chunking"] = unavailable("disabled");
    let out = checklist_of(&f, &doc);
    let c = check(&out, "hardware.memory");
    assert_eq!(c.status, Status::Pass);
    assert_eq!(
        c.message,
        "job.memory_per_example_bytes is not given: the memory a chunk needs is not estimated"
    );
}

#[test]
fn inconsistent_hashes_fail_naming_the_files() {
    let mut doc = document();
    doc["worker_consistency"]["is_consistent"] = json!(false);
    doc["worker_consistency"]["per_file"]["model.py"] =
        json!({"majority_hash": H2, "agreement": 0.6666666666666666, "disagreeing": ["studio-3"]});
    let out = checklist_of(&facts(), &doc);
    let c = check(&out, "worker.hashes");
    assert_eq!(c.status, Status::Fail);
    assert!(c.blocks());
    assert_eq!(
        c.message,
        "workers do not run the same code (threshold 0.95): model.py agreement 0.667 (off the majority: studio-3)"
    );
    assert_eq!(status_of(&out), "fail");
    // A bare section still fails, with less detail.
    doc["worker_consistency"] = json!({"is_consistent": false});
    let out = checklist_of(&facts(), &doc);
    assert_eq!(
        check(&out, "worker.hashes").message,
        "workers do not run the same code"
    );
}

#[test]
fn version_skew_fails_and_a_missing_version_warns() {
    let mut f = facts();
    f["workers"][2]["versions"] = json!({"python": "3.12.0", "mlx": "0.29.1"});
    let out = checklist_of(&f, &document());
    let c = check(&out, "worker.versions");
    assert_eq!(c.status, Status::Fail);
    assert_eq!(
        c.message,
        "version skew: python 3.11 on studio-1, studio-2; 3.12 on studio-3"
    );
    // A patch release of python is not skew.
    f["workers"][2]["versions"] = json!({"python": "3.11.1", "mlx": "0.29.1"});
    assert_eq!(
        check(&checklist_of(&f, &document()), "worker.versions").status,
        Status::Pass
    );
    f["workers"][2]["versions"] = json!({"python": "3.11.1"});
    let out = checklist_of(&f, &document());
    let c = check(&out, "worker.versions");
    assert_eq!(c.status, Status::Warn);
    assert_eq!(
        c.message,
        "cannot compare every version: no mlx version from studio-3"
    );
    assert_eq!(status_of(&out), "warn");
}

#[test]
fn world_size_must_match_the_workers() {
    let mut f = facts();
    f["world_size"] = json!(4);
    let out = checklist_of(&f, &document());
    let c = check(&out, "worker.world_size");
    assert_eq!(c.status, Status::Fail);
    assert_eq!(c.message, "world_size is 4 but 3 worker(s) are listed");
    others_pass(&out, &["worker.world_size"]);
}

#[test]
fn sync_status_maps_to_the_check() {
    let cases = [
        (
            json!({"status": "passed", "sync_script": "s.sh"}),
            Status::Pass,
            "sync script `s.sh` passed",
        ),
        (
            json!({"status": "skipped", "sync_script": null}),
            Status::Pass,
            "no sync script is configured: workers are assumed up to date",
        ),
        (
            json!({"status": "missing", "sync_script": "s.sh"}),
            Status::Warn,
            "sync script `s.sh` was not found: workers were not synced",
        ),
        (
            json!({"status": "failed", "sync_script": "s.sh", "exit_code": 3, "timed_out": false}),
            Status::Fail,
            "sync script `s.sh` failed (exit code 3): workers may run different code",
        ),
        (
            json!({"status": "failed", "sync_script": "s.sh", "exit_code": null, "timed_out": true}),
            Status::Fail,
            "sync script `s.sh` failed (timed out): workers may run different code",
        ),
    ];
    for (section, status, message) in cases {
        let mut doc = document();
        doc["pre_rdma_sync"] = section;
        let out = checklist_of(&facts(), &doc);
        let c = check(&out, "health.sync");
        assert_eq!((c.status, c.message.as_str()), (status, message));
        assert_eq!(c.blocking, status != Status::Warn);
    }
}

#[test]
fn checkpoint_directory_rules() {
    let cases = [
        (
            json!({"dir": "ck", "inside_workspace": false, "writable": true, "free_disk_bytes": 1u64 << 40}),
            Status::Fail,
            "checkpoint directory `ck` is outside the workspace",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": false, "free_disk_bytes": 1u64 << 40}),
            Status::Fail,
            "checkpoint directory `ck` is not writable",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": true, "free_disk_bytes": 0}),
            Status::Fail,
            "no free disk space for checkpoints in `ck`",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": true, "free_disk_bytes": 512u64 << 20}),
            Status::Warn,
            "only 512.0 MiB free for checkpoints in `ck` (below 1.0 GiB)",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": true, "free_disk_bytes": GIB - 1}),
            Status::Warn,
            "only 1024.0 MiB free for checkpoints in `ck` (below 1.0 GiB)",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": true, "free_disk_bytes": GIB}),
            Status::Pass,
            "`ck` is inside the workspace and writable, 1.0 GiB free (>= 1.0 GiB)",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": true, "free_disk_bytes": null}),
            Status::Warn,
            "free disk space for `ck` is unknown",
        ),
        (
            json!({"dir": "ck", "inside_workspace": true, "writable": null, "free_disk_bytes": GIB}),
            Status::Warn,
            "whether `ck` is writable is unknown",
        ),
    ];
    for (checkpoint, status, message) in cases {
        let mut f = facts();
        f["checkpoint"] = checkpoint;
        let out = checklist_of(&f, &document());
        let c = check(&out, "health.checkpoint");
        assert_eq!((c.status, c.message.as_str()), (status, message));
    }
}

#[test]
fn a_single_worker() {
    let mut f = facts();
    f["workers"] = json!([worker("solo", 64 * GIB)]);
    f["world_size"] = json!(1);
    f["workers"][0]["versions"] = json!({});
    let out = checklist_of(&f, &document());
    assert_eq!(
        check(&out, "worker.versions").message,
        "a single worker: no version skew is possible"
    );
    others_pass(&out, &[]);
}

#[test]
fn overall_status_rules() {
    let c = |status, blocking| Check::new("x", "y", status, "m", blocking);
    assert_eq!(
        overall_status(&[c(Status::Pass, true), c(Status::Skip, false)]),
        "pass"
    );
    assert_eq!(
        overall_status(&[c(Status::Pass, true), c(Status::Warn, false)]),
        "warn"
    );
    // A failed check that does not block makes the whole a warning.
    assert_eq!(overall_status(&[c(Status::Fail, false)]), "warn");
    assert_eq!(
        overall_status(&[c(Status::Warn, false), c(Status::Fail, true)]),
        "fail"
    );
    assert_eq!(overall_status(&[]), "pass");
}

#[test]
fn bytes_are_shown_in_binary_units() {
    assert_eq!(bytes(900), "900 B");
    assert_eq!(bytes(1 << 20), "1.0 MiB");
    assert_eq!(bytes(3 * (1 << 29)), "1.5 GiB");
    assert!(bytes(u128::from(u64::MAX) * u128::from(u64::MAX)).ends_with("GiB"));
}

#[test]
fn invalid_input_names_the_fact() {
    let cases = [
        ("/world_size", Value::Null, "missing fact `world_size`"),
        (
            "/workers",
            json!([]),
            "fact `workers` must list at least one worker, found []",
        ),
        (
            "/workers/1/report",
            Value::Null,
            "missing fact `workers[1].report`",
        ),
        (
            "/workers/1/report/present",
            json!("yes"),
            "fact `workers[1].report.present` must be true or false, found \"yes\"",
        ),
        (
            "/workers/0/throughput",
            json!("fast"),
            "fact `workers[0].throughput` must be a finite number, found \"fast\"",
        ),
        ("/checkpoint", Value::Null, "missing fact `checkpoint`"),
        (
            "/checkpoint/inside_workspace",
            Value::Null,
            "missing fact `checkpoint.inside_workspace`",
        ),
        (
            "/job/memory_per_example_bytes",
            json!(0),
            "fact `job.memory_per_example_bytes` must be at least 1, found 0",
        ),
    ];
    for (pointer, value, message) in cases {
        let mut f = facts();
        *f.pointer_mut(pointer).expect("pointer exists") = value;
        assert_eq!(
            run(&f.to_string(), &document().to_string()),
            Err(InvalidInput(message.into())),
            "{pointer}"
        );
    }
    assert_eq!(
        run(&facts().to_string(), "[]"),
        Err(InvalidInput(
            "document: expected a JSON object, found an array".into()
        ))
    );
}
