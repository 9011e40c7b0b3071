//! The facts `plan` hands its phases: the spec, every worker's measured
//! facts and the age of its report, the sync script's outcome (the host runs
//! it), and the checkpoint directory's state. Phases only decide over these.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::spec::{Spec, SpecPath};
use crate::escape::control_chars;
use crate::process::{self, Tails};

/// Lines of the sync script's output kept in the facts.
const SYNC_TAIL_LINES: usize = 20;
/// Bytes of its output kept to find them in (an rsync can print a lot).
const SYNC_TAIL_BYTES: usize = 64 * 1024;

/// The version of the facts' shape (`schemas/facts/plan-facts.schema.json`):
/// additions keep it, a change of meaning or a removal bumps it.
pub const FACTS_VERSION: u32 = 1;

pub struct FactOptions {
    /// A report older than this is stale (a warning).
    pub max_report_age_s: u64,
    /// Run the sync script (off in tests of everything but sync).
    pub run_sync: bool,
    /// Seconds since the Unix epoch, from the caller's clock.
    pub now_unix: i64,
}

pub fn gather(spec: &Spec, options: &FactOptions) -> Value {
    let job = &spec.job;
    let workers: Vec<Value> = spec
        .workers
        .iter()
        .map(|w| {
            let age = w.facts.timestamp_unix().map(|t| options.now_unix.saturating_sub(t));
            let report = json!({
                "source": if w.report_path.is_some() { "file" } else { "inline" },
                "present": w.report_present,
                "age_s": age,
                "fresh": w.report_present && age.is_none_or(|a| a >= 0 && a.unsigned_abs() <= options.max_report_age_s),
            });
            if !w.report_present {
                // Nothing was measured: phases see nulls, not made-up numbers.
                return json!({
                    "name": w.name, "throughput": null, "memory_bytes": null, "free_disk_bytes": null,
                    "os": null, "versions": {}, "files": {}, "report": report,
                });
            }
            json!({
                "name": w.name,
                "throughput": w.facts.throughput,
                "memory_bytes": w.facts.memory_bytes,
                "free_disk_bytes": w.facts.free_disk_bytes,
                "os": w.facts.os,
                "versions": w.facts.versions,
                "files": w.facts.files,
                "report": report,
            })
        })
        .collect();
    json!({
        "version": FACTS_VERSION,
        "job": {
            "script": job.script.as_written,
            "extra_files": job.extra_files.iter().map(|f| f.as_written.clone()).collect::<Vec<_>>(),
            "dataset_examples": job.dataset_examples,
            "batch_size": job.batch_size,
            "epochs": job.epochs,
            "checkpoint_dir": job.checkpoint_dir.as_written,
            "framework": job.framework.as_str(),
            "memory_per_example_bytes": job.memory_per_example_bytes,
        },
        "consistency": {
            "threshold": spec.consistency.threshold,
            "tolerate_byzantine": spec.consistency.tolerate_byzantine,
        },
        "sync": spec.sync.as_ref().map(|sync| run_sync(&spec.dir, &sync.script, sync.timeout_s, options.run_sync)),
        "workers": workers,
        "checkpoint": checkpoint(&job.checkpoint_dir),
        "world_size": world_size(spec.workers.len()),
        "max_report_age_s": options.max_report_age_s,
    })
}

/// The world size the launch will use: `WORLD_SIZE` when the environment
/// sets it (launchers and CI templates do, and a stale value there is the
/// classic silent mismatch), else one process per worker.
fn world_size(workers: usize) -> u64 {
    std::env::var("WORLD_SIZE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(workers as u64)
}

/// Runs the sync script with `sh` in the spec's directory, with its
/// timeout; its output is kept sanitised (control characters escaped).
fn run_sync(dir: &Path, script: &SpecPath, timeout_s: u64, run: bool) -> Value {
    let base = json!({"script": script.as_written, "found": script.exists, "timeout_s": timeout_s});
    if !script.exists || !run {
        return merge(base, json!({"ran": false}));
    }
    // `2>&1` inside the shell keeps stdout and stderr in the order the
    // script wrote them, as a user reading its log would see them.
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg("exec sh \"$0\" 2>&1")
        .arg(&script.resolved)
        .current_dir(dir);
    let tails = Tails {
        stdout: SYNC_TAIL_BYTES,
        stderr: SYNC_TAIL_BYTES,
    };
    let started = std::time::Instant::now();
    let timeout = Duration::from_secs(timeout_s.max(1));
    match process::run(command, timeout, tails) {
        Err(e) => merge(
            base,
            json!({"ran": false, "output_tail": control_chars(&format!("sh {e}"))}),
        ),
        Ok(finished) => {
            let lines: Vec<&str> = finished.stdout.lines().collect();
            let from = lines.len().saturating_sub(SYNC_TAIL_LINES);
            let tail: Vec<String> = lines[from..]
                .iter()
                .map(|l| control_chars(l).into_owned())
                .collect();
            merge(
                base,
                json!({
                    "ran": true,
                    "exit_code": finished.status.and_then(|s| s.code()),
                    "timed_out": finished.timed_out(),
                    "duration_s": started.elapsed().as_secs_f64(),
                    "output_tail": tail.join("\n"),
                }),
            )
        }
    }
}

fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

/// Inside the workspace (the spec parser refuses anything else), writable
/// (checked by creating a file in it or in its nearest existing ancestor),
/// and its free space.
fn checkpoint(dir: &SpecPath) -> Value {
    let existing = dir
        .resolved
        .ancestors()
        .find(|p| p.is_dir())
        .map(Path::to_path_buf);
    let writable = existing
        .as_deref()
        .is_some_and(|d| tempfile::NamedTempFile::new_in(d).is_ok());
    let free = existing
        .as_deref()
        .and_then(|d| super::gather::free_disk_bytes(d).ok());
    json!({
        "dir": dir.as_written,
        "inside_workspace": true,
        "writable": writable,
        "free_disk_bytes": free,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn script(dir: &Path, text: &str) -> SpecPath {
        let path = dir.join("sync.sh");
        std::fs::write(&path, text).unwrap();
        SpecPath {
            as_written: "sync.sh".into(),
            resolved: path,
            exists: true,
        }
    }

    #[test]
    fn the_sync_script_s_output_is_kept_in_order_and_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let sync = script(
            dir.path(),
            "for i in $(seq 1 30); do echo out$i; echo err$i >&2; done\nprintf '\\033[31mred\\n'\nexit 4\n",
        );
        let facts = run_sync(dir.path(), &sync, 60, true);
        assert_eq!(facts["ran"], true);
        assert_eq!(facts["exit_code"], 4);
        assert_eq!(facts["timed_out"], false);
        let tail = facts["output_tail"].as_str().unwrap();
        let lines: Vec<&str> = tail.lines().collect();
        assert_eq!(lines.len(), SYNC_TAIL_LINES, "{tail}");
        assert_eq!(
            lines[lines.len() - 3..],
            ["out30", "err30", "\\u{1b}[31mred"]
        );
    }

    #[test]
    fn a_sync_script_past_its_timeout_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let sync = script(dir.path(), "echo starting\nsleep 30\n");
        let started = std::time::Instant::now();
        // Time for the script to print first, on a loaded machine.
        let facts = run_sync(dir.path(), &sync, 3, true);
        assert_eq!(facts["timed_out"], true);
        assert_eq!(facts["exit_code"], Value::Null);
        assert_eq!(facts["output_tail"], "starting");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
