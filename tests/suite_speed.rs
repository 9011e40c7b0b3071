//! How many shards `pitcrew test --shards auto` chooses on a real runner,
//! from the start-up it measured: a runner process that costs more than a
//! shard would save is not added.

use std::fs;
use std::path::Path;

use serde_json::Value;

mod common;
use common::cli::{has_node, has_pytest, pitcrew};

/// Four test files whose one test sleeps 0.8 s, and a `conftest.py` that
/// burns `burn` s of CPU in every pytest process (a slow plugin or an
/// expensive import every process repeats).
fn project(dir: &Path, burn: f64) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(
        dir.join("conftest.py"),
        format!(
            "import time\n_end = time.process_time() + {burn}\nwhile time.process_time() < _end:\n    pass\n"
        ),
    )
    .unwrap();
    for name in ["a", "b", "c", "d"] {
        fs::write(
            dir.join(format!("tests/test_{name}.py")),
            "import time\n\ndef test_it():\n    time.sleep(0.8)\n",
        )
        .unwrap();
    }
}

const PYTEST: &[&str] = &["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"];

/// `pitcrew test --shards auto` of pytest in `dir`: its plan's shard count
/// and the history it left.
fn auto_run(dir: &Path) -> (usize, Value) {
    auto_run_of(dir, PYTEST)
}

/// `pitcrew test --shards auto -- COMMAND` in `dir`, four tests that pass.
fn auto_run_of(dir: &Path, command: &[&str]) -> (usize, Value) {
    let mut args = vec![
        "-v",
        "test",
        "--shards",
        "auto",
        "--jobs",
        "2",
        "--retries",
        "0",
        "--",
    ];
    args.extend_from_slice(command);
    let out = pitcrew(&args, dir);
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{log}");
    let read = |path: &str| read_json(dir, path);
    let results = read("pitcrew-results.json");
    assert_eq!(results["summary"]["tests"], 4, "{results}");
    assert_eq!(results["summary"]["passed"], 4, "{results}");
    let plan = read(".pitcrew/plan.json");
    let shards = plan["shards"].as_array().unwrap().len();
    (shards, read(".pitcrew/timings.json"))
}

fn read_json(dir: &Path, path: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join(path)).unwrap()).unwrap()
}

/// The seconds all files cost, by the history.
fn files_seconds(history: &Value) -> f64 {
    history["files"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s.as_f64().unwrap())
        .sum()
}

fn startup(history: &Value) -> f64 {
    history["startup"]["pytest"].as_f64().unwrap()
}

#[test]
fn a_measured_dear_start_up_makes_auto_choose_fewer_shards() {
    if !has_pytest() {
        return;
    }
    // 3.2 s of tests: two shards save 1.6 s, whatever the machine.
    // A pytest process that costs 5 s of CPU more is not worth it. (With
    // 2.5 s, a busy CI machine once measured the two runs' difference
    // close enough to 1.6 s that the third run chose two shards: the
    // margin must be wider than the noise of two wall-clock runs.)
    let dear = tempfile::tempdir().unwrap();
    project(dear.path(), 5.0);
    let (first, history) = auto_run(dear.path());
    assert_eq!(first, 2, "no history: as many shards as jobs");
    // The old estimate, one file's share of the time outside tests per
    // process, said a start-up was below what a second shard saves.
    // Measured: most of the 5 s burnt.
    assert!(startup(&history) > 3.0, "{history}");
    let (second, history) = auto_run(dear.path());
    assert_eq!(second, 1, "{history}");
    // The two runs of the same files, with 2 and 1 processes, measure it.
    let runs: Vec<u64> = history["runs"]["pytest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["processes"].as_u64().unwrap())
        .collect();
    assert_eq!(runs, [2, 1], "{history}");
    assert!(
        (1.6..40.0).contains(&startup(&history)),
        "5 s of CPU per process, give or take a busy machine: {history}"
    );
    let (third, history) = auto_run(dear.path());
    assert_eq!(third, 1, "{history}");

    // The same suite with a cheap start-up: the second shard pays.
    let cheap = tempfile::tempdir().unwrap();
    project(cheap.path(), 0.0);
    auto_run(cheap.path());
    let (second, history) = auto_run(cheap.path());
    assert!(startup(&history) < 1.6, "{history}");
    assert_eq!(second, 2, "{history}");
}

/// Four node test files that each burn 1 s of CPU when loaded (heavy
/// imports) and hold one test that sleeps 0.1 s.
fn node_project(dir: &Path) {
    fs::create_dir_all(dir.join("test")).unwrap();
    for name in ["a", "b", "c", "d"] {
        fs::write(
            dir.join(format!("test/{name}.test.mjs")),
            "import { test } from 'node:test';\n\
             const cpu = () => process.cpuUsage().user + process.cpuUsage().system;\n\
             const end = cpu() + 1e6;\n\
             let x = 0;\n\
             while (cpu() < end) for (let i = 0; i < 1e6; i++) x += i;\n\
             test('it', () => new Promise((done) => setTimeout(done, 100)));\n",
        )
        .unwrap();
    }
}

#[test]
fn node_files_loaded_in_processes_of_their_own_are_no_start_up() {
    if !has_node() {
        return;
    }
    // `node --test` loads each file in a child process: its 1 s is the
    // file's cost in any shard. Taken for start-up (more than 2 s per
    // `node --test` process, against 0.2 s of tests a second shard would
    // save), the second run chose one shard; the time no file ran says
    // what one more `node --test` costs. (Node's own pool set by the
    // user: shards, not one process with a pool.)
    let dir = tempfile::tempdir().unwrap();
    node_project(dir.path());
    let node = &["node", "--test", "--test-concurrency=1"];
    let (first, history) = auto_run_of(dir.path(), node);
    assert_eq!(first, 2, "no history: as many shards as jobs");
    let startup = history["startup"]["node"].as_f64().unwrap();
    let files = files_seconds(&history);
    assert!(
        startup < files / 4.0,
        "a node process costs less than one of its files: {history}"
    );
    let (second, history) = auto_run_of(dir.path(), node);
    assert_eq!(second, 2, "{history}");
}

#[test]
fn node_shards_of_whole_files_become_one_node_running_as_many_files_at_once() {
    if !has_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    node_project(dir.path());
    let node = &["node", "--test"];
    for run in ["first", "second"] {
        let (shards, history) = auto_run_of(dir.path(), node);
        assert_eq!(shards, 1, "{run} run: one node process: {history}");
        let result = read_json(dir.path(), ".pitcrew/results/shard-1.json");
        assert_eq!(result["workers"], 2, "{run} run: {result}");
        assert_eq!(result["processes"], 1, "{run} run: {result}");
        let log = fs::read_to_string(dir.path().join(".pitcrew/logs/shard-1.log")).unwrap();
        assert!(!log.is_empty());
        // Each file burns 1 s of CPU: the files cost the two workers' time,
        // not the one process's wall time (about half of it).
        let files = files_seconds(&history);
        assert!(files > 3.5, "{run} run: {history}");
        // Two cores' time is no measure of a shard's start-up or busyness.
        assert!(
            history.get("runs").is_none_or(|r| r.get("node").is_none()),
            "{history}"
        );
        assert!(
            history.get("busy").is_none_or(|b| b.get("node").is_none()),
            "{history}"
        );
    }
    // With a shard count asked for, shards it is.
    let out = pitcrew(
        &[
            "test",
            "--shards",
            "2",
            "--retries",
            "0",
            "--",
            "node",
            "--test",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = read_json(dir.path(), ".pitcrew/plan.json");
    assert_eq!(plan["shards"].as_array().unwrap().len(), 2);
    let result = read_json(dir.path(), ".pitcrew/results/shard-1.json");
    assert!(result.get("workers").is_none(), "{result}");
}
