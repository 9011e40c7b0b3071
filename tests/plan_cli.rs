//! `pitcrew plan` end to end: the example clusters, schema validation of
//! every plan produced, degradation of each optional phase, the gate, and
//! bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pitcrew(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("WORLD_SIZE")
        .output()
        .expect("pitcrew runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Parses the plan and validates it against schemas/plan.schema.json.
fn valid_plan(output: &Output) -> Value {
    let plan: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        )
    });
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schemas/plan.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&plan)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema: {errors:?}\n{plan:#}");
    plan
}

fn example(name: &str) -> String {
    repo()
        .join("examples/training")
        .join(name)
        .join("spec.toml")
        .display()
        .to_string()
}

/// A copy of an example cluster in a temp dir, to change.
fn copy_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("examples/training").join(name);
    copy_dir(&src, dir.path());
    let spec = dir.path().join("spec.toml");
    (dir, spec)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_healthy_cluster_gets_a_plan() {
    let output = pitcrew(&["plan", &example("healthy")], repo());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan = valid_plan(&output);
    assert_eq!(
        plan.as_object().unwrap().len(),
        13,
        "12 sections and pitcrew"
    );
    assert_eq!(plan["worker_consistency"]["is_consistent"], true);
    assert_eq!(
        plan["worker_consistency"]["byzantine_detection"]["recommended_aggregation"],
        "mean"
    );
    assert_eq!(plan["pre_rdma_sync"]["status"], "passed");
    assert_eq!(plan["coordinator_chunking"]["enabled"], true);
    let checks = plan["pre_flight_checklist"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 8);
    assert_ne!(plan["pre_flight_checklist"]["overall_status"], "fail");
    assert_eq!(plan["pitcrew"]["blocked"], false);
    assert_eq!(plan["pitcrew"]["plugins"].as_array().unwrap().len(), 6);
}

#[test]
fn the_inconsistent_cluster_is_blocked() {
    let output = pitcrew(&["plan", &example("inconsistent")], repo());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan = valid_plan(&output);
    assert_eq!(plan["worker_consistency"]["is_consistent"], false);
    let suspects = plan["worker_consistency"]["byzantine_detection"]["suspects"].to_string();
    assert!(suspects.contains("studio-3"), "{suspects}");
    assert_eq!(plan["pre_flight_checklist"]["overall_status"], "fail");

    let table = pitcrew(
        &["plan", &example("inconsistent"), "--format", "table"],
        repo(),
    );
    assert_eq!(table.status.code(), Some(1));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("✗ worker.hashes"), "{text}");
    assert!(text.contains("launch blocked"), "{text}");
}

#[test]
fn heterogeneous_throughput_sets_the_shares() {
    let output = pitcrew(&["plan", &example("heterogeneous")], repo());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plan = valid_plan(&output);
    let text = plan["hardware_calibration"]["workload_distribution"].to_string();
    // 2.0 : 1.0 : 0.5 of 120,000 examples and a 64 batch (largest remainder).
    for expected in ["68571", "34286", "17143"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn each_optional_phase_degrades_when_disabled() {
    for phase in [
        "strategy",
        "pre-sync",
        "hardware-calibration",
        "worker-consistency",
        "coordinator-chunking",
    ] {
        let (dir, spec) = copy_example("healthy");
        fs::write(
            dir.path().join("pitcrew.toml"),
            format!("[phases.{phase}]\nenabled = false\n"),
        )
        .unwrap();
        let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "{phase}: {}",
            stderr(&output)
        );
        let plan = valid_plan(&output);
        let unavailable: Vec<&String> = plan
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v["status"] == "unavailable")
            .map(|(k, _)| k)
            .collect();
        assert!(
            !unavailable.is_empty(),
            "{phase}: some section is unavailable"
        );
        for key in &unavailable {
            assert!(
                plan[key.as_str()]["reason"]
                    .as_str()
                    .unwrap()
                    .contains("disabled"),
                "{phase}: {key}"
            );
        }
        assert_eq!(
            plan["pre_flight_checklist"]["checks"]
                .as_array()
                .unwrap()
                .len(),
            8,
            "{phase}"
        );
    }
}

#[test]
fn pre_flight_is_required() {
    let (dir, spec) = copy_example("healthy");
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[phases.pre-flight]\nenabled = false\n",
    )
    .unwrap();
    let output = pitcrew(
        &["plan", spec.to_str().unwrap(), "-o", "plan.json"],
        dir.path(),
    );
    // Disabling the gate is a configuration mistake (2), found before any
    // work: neither a plan that blocks (1) nor a pitcrew failure (3).
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "pitcrew.toml: phases.pre-flight.enabled: a required phase cannot be disabled"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("plan.json").exists(), "no plan written");
}

#[test]
fn a_refused_required_plugin_exits_3_not_1() {
    let (dir, spec) = copy_example("healthy");
    fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[phases.pre-flight]\nsource = {:?}\nsha256 = \"{}\"\n",
            pitcrew_fixtures::HOSTILE,
            "ab".repeat(32)
        ),
    )
    .unwrap();
    let output = pitcrew(
        &["plan", spec.to_str().unwrap(), "-o", "plan.json"],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("sha256 mismatch"), "{err}");
    assert!(!dir.path().join("plan.json").exists(), "no plan written");
}

/// The healthy example's cluster grown to `workers` workers with long
/// names, `edit` changing each worker's block (by its index).
fn large_cluster(
    workers: usize,
    edit: impl Fn(usize, String) -> String,
) -> (tempfile::TempDir, PathBuf) {
    let (dir, spec) = copy_example("healthy");
    let text = fs::read_to_string(&spec).unwrap();
    let first = text.find("[[worker]]").unwrap();
    let block_end = text[first + 1..].find("[[worker]]").unwrap() + first + 1;
    let block = &text[first..block_end];
    let mut out = text[..first].replace("batch_size = 64", "batch_size = 4096");
    for i in 0..workers {
        let name = format!("gpu-node-{i:04}.rack-a.cluster.example.com");
        out.push_str(&edit(i, block.replace("studio-1", &name)));
    }
    fs::write(&spec, out).unwrap();
    (dir, spec)
}

fn check<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["pre_flight_checklist"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {plan:#}"))
}

/// A message listing every worker off the majority grew past the host's
/// 4 KiB bound with a large cluster: the host refused worker-consistency,
/// pre-flight's hash gate fell back to a warning, and a cluster running
/// stale code on 140 of 300 workers read "ready to launch" (round 69).
/// Pre-flight's own list of missing reports broke the bound too (exit 3).
#[test]
fn a_large_cluster_with_stale_code_or_no_reports_is_blocked() {
    let stale_hash = "d914c765fa149041abab2f321376a967d90a16bec5efb650353717f4f1ebdea4";
    let healthy_hash = "faa2e5d5f166541c438fe35bc8ee21cda97e46cb7cd54ef753b36f43680f680c";
    let (dir, spec) = large_cluster(300, |i, block| match i < 140 {
        true => block.replace(healthy_hash, stale_hash),
        false => block,
    });
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan = valid_plan(&output);
    assert_eq!(check(&plan, "worker.hashes")["status"], "fail");
    let hashes = plan["worker_consistency"]["validation_checks"].to_string();
    assert!(hashes.contains("and 135 more"), "{hashes}");

    let (dir, spec) = large_cluster(300, |i, _| {
        let name = format!("gpu-node-{i:04}.rack-a.cluster.example.com");
        format!("[[worker]]\nname = \"{name}\"\nreport = \"reports/{name}.json\"\n\n")
    });
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan = valid_plan(&output);
    let reports = check(&plan, "hardware.reports");
    assert_eq!(reports["status"], "fail", "{reports}");
    assert!(reports.to_string().contains("and 295 more"), "{reports}");
}

/// worker-consistency ran out of its memory on a large cluster, its
/// section was unavailable, and the hash gate only warned: stale code read
/// "ready to launch" (round 70). Without the section the gate reads the
/// facts' own hashes: run out of memory or disabled, the phase's absence
/// never passes stale code.
#[test]
fn without_worker_consistency_stale_code_still_blocks() {
    for config in [
        "[phases.worker-consistency]\nmemory_mib = 1\n",
        "[phases.worker-consistency]\nenabled = false\n",
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("pitcrew.toml"), config).unwrap();
        let output = pitcrew(&["plan", &example("inconsistent")], dir.path());
        assert_eq!(
            output.status.code(),
            Some(1),
            "{config}: {}",
            stderr(&output)
        );
        let plan = valid_plan(&output);
        assert_eq!(
            plan["worker_consistency"]["status"], "unavailable",
            "{config}"
        );
        let hashes = check(&plan, "worker.hashes");
        assert_eq!(hashes["status"], "fail", "{config}: {hashes}");
        assert!(
            hashes["message"]
                .as_str()
                .unwrap_or("")
                .contains("train.py 2/3"),
            "{hashes}"
        );
    }
}

#[test]
fn a_missing_report_or_a_failing_sync_blocks_the_launch() {
    let (dir, spec) = copy_example("healthy");
    let text = fs::read_to_string(&spec).unwrap();
    let text = text.replacen(
        "name = \"studio-3\"\n",
        "name = \"studio-3\"\nreport = \"reports/studio-3.json\"\n",
        1,
    );
    let start = text.find("report = \"reports/studio-3.json\"\n").unwrap()
        + "report = \"reports/studio-3.json\"\n".len();
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
    fs::write(&spec, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan = valid_plan(&output);
    let reports = plan["pre_flight_checklist"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "hardware.reports")
        .unwrap()
        .clone();
    assert_eq!(reports["status"], "fail", "{reports}");

    let (dir, spec) = copy_example("healthy");
    fs::write(
        dir.path().join("scripts/sync-dev.sh"),
        "#!/bin/sh\necho 'rsync: connection refused' >&2\nexit 12\n",
    )
    .unwrap();
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let plan = valid_plan(&output);
    assert_eq!(plan["pre_rdma_sync"]["status"], "failed");
}

#[test]
fn bad_input_is_one_line_exit_2_and_no_plan() {
    let cases: &[(&str, &str, &str)] = &[
        ("batch_size = 64", "batch_size = 2", "job.batch_size"),
        (
            "framework = \"mlx\"",
            "framework = \"tensorflow\"",
            "job.framework",
        ),
        (
            "script = \"train.py\"",
            "script = \"../train.py\"",
            "job.script",
        ),
        (
            "script = \"train.py\"",
            "script = \"/etc/passwd\"",
            "job.script",
        ),
        (
            "checkpoint_dir = \"checkpoints\"",
            "checkpoint_dir = \"../elsewhere\"",
            "job.checkpoint_dir",
        ),
        ("name = \"studio-2\"", "name = \"studio-1\"", "name"),
        (
            "throughput = 1.0\nmemory_bytes",
            "throughput = nan\nmemory_bytes",
            "throughput",
        ),
        (
            "dataset_examples = 120000",
            "dataset_examples = -5",
            "job.dataset_examples",
        ),
        (
            "name = \"studio-3\"",
            "name = \"studio\\u001b[31m-3\"",
            "name",
        ),
    ];
    for (from, to, field) in cases {
        let (dir, spec) = copy_example("healthy");
        let text = fs::read_to_string(&spec).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(&spec, text.replacen(from, to, 1)).unwrap();
        let output = pitcrew(
            &["plan", spec.to_str().unwrap(), "-o", "plan.json"],
            dir.path(),
        );
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{to}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("spec.toml") && err.contains(field),
            "{field} in {err}"
        );
        assert!(!dir.path().join("plan.json").exists());
    }
}

#[cfg(unix)] // symlinks need privileges on Windows
#[test]
fn a_symlink_out_of_the_workspace_is_refused() {
    let (dir, spec) = copy_example("healthy");
    fs::remove_file(dir.path().join("train.py")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("train.py")).unwrap();
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("job.script"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn worker_report_writes_what_plan_reads() {
    let (dir, spec) = copy_example("healthy");
    let text = fs::read_to_string(&spec).unwrap();
    // studio-3 now reports from a file instead of inline facts.
    let start = text.find("name = \"studio-3\"\n").unwrap() + "name = \"studio-3\"\n".len();
    let end = text[start..].find("\n\n").map_or(text.len(), |e| start + e);
    let text = format!(
        "{}report = \"reports/studio-3.json\"\n{}",
        &text[..start],
        &text[end..]
    );
    fs::write(&spec, text).unwrap();

    let output = pitcrew(
        &[
            "worker-report",
            "--spec",
            spec.to_str().unwrap(),
            "--name",
            "studio-3",
            "--calibrate",
            "echo examples_per_second=1.5",
            "-o",
            "reports/studio-3.json",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("reports/studio-3.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["name"], "studio-3");
    assert_eq!(report["throughput"], 1.5);
    assert_eq!(report["files"]["train.py"].as_str().unwrap().len(), 64);

    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    let plan = valid_plan(&output);
    let reports = plan["pre_flight_checklist"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "hardware.reports")
        .unwrap()
        .clone();
    assert_eq!(reports["status"], "pass", "{reports}");

    let output = pitcrew(
        &[
            "worker-report",
            "--spec",
            spec.to_str().unwrap(),
            "--name",
            "nobody",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--name: no [[worker]] named \"nobody\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn worker_report_without_calibrate_is_bad_usage() {
    let (dir, spec) = copy_example("healthy");
    let output = pitcrew(
        &[
            "worker-report",
            "--spec",
            spec.to_str().unwrap(),
            "--name",
            "studio-3",
            "-o",
            "report.json",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: --calibrate: required"), "{err}");
    assert!(!dir.path().join("report.json").exists());
}

/// A sync script's error text reaches the plan, escaped where the host
/// quotes it: no C1 control or direction override reaches the terminal
/// that shows the plan.
#[test]
fn a_plan_on_stdout_carries_no_raw_terminal_controls() {
    let (dir, spec) = copy_example("healthy");
    fs::write(
        dir.path().join("scripts/sync-dev.sh"),
        "#!/bin/sh\nprintf 'rsync: \\302\\2332J gone \\342\\200\\256txt.exe \\302\\205\\n' >&2\nexit 12\n",
    )
    .unwrap();
    let output = pitcrew(&["plan", spec.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && pitcrew::escape::is_unsafe(c)),
        "{text:?}"
    );
    let plan = valid_plan(&output);
    assert_eq!(
        plan["pre_rdma_sync"]["output_tail"],
        "rsync: \\u{9b}2J gone \\u{202e}txt.exe \\u{85}"
    );
}

/// In GitHub Actions the table, which plugins wrote most of, comes between
/// stop-commands lines; the JSON needs none (no line of it can start with
/// `::`) and stays a document `> plan.json` can keep.
#[test]
fn in_actions_the_table_is_guarded_and_the_json_left_clean() {
    let (dir, spec) = copy_example("healthy");
    fs::write(
        dir.path().join("scripts/sync-dev.sh"),
        "#!/bin/sh\nprintf 'x\\n::error::forged\\n' >&2\nexit 12\n",
    )
    .unwrap();
    let run = |format: &str| {
        Command::new(env!("CARGO_BIN_EXE_pitcrew"))
            .args(["plan", spec.to_str().unwrap(), "--format", format])
            .current_dir(dir.path())
            .env("PITCREW_NO_CACHE", "1")
            .env("GITHUB_ACTIONS", "true")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("WORLD_SIZE")
            .output()
            .expect("pitcrew runs")
    };
    let json = run("json");
    assert_eq!(json.status.code(), Some(1), "{}", stderr(&json));
    let plan = valid_plan(&json);
    assert!(
        plan["pre_rdma_sync"]["output_tail"]
            .as_str()
            .unwrap()
            .contains("::error::forged")
    );
    let text = String::from_utf8(json.stdout).unwrap();
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("::")),
        "{text}"
    );

    let table = run("table");
    assert_eq!(table.status.code(), Some(1), "{}", stderr(&table));
    let text = String::from_utf8(table.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let token = lines[0].strip_prefix("::stop-commands::").expect("guarded");
    assert_eq!(lines.last().unwrap(), &format!("::{token}::"));
    assert!(lines[1..lines.len() - 1].iter().all(|l| !l.contains(token)));
}
