//! The GitHub side of planning: `--changed-first`, timing history from the
//! last successful default-branch run's artifact, and the cost estimate,
//! each through the real binary against a GitHub REST server on 127.0.0.1.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::cli::{has_pytest, pitcrew};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        )
    })
}

fn items(plan: &Value) -> Vec<Vec<String>> {
    plan["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| {
            s["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i.as_str().expect("item").to_owned())
                .collect()
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn test_files(dir: &Path, names: &[&str]) {
    fs::create_dir_all(dir.join("tests")).unwrap();
    for name in names {
        fs::write(dir.join("tests").join(name), "def test_x():\n    pass\n").unwrap();
    }
}

#[test]
fn changed_first_puts_changed_tests_first_without_moving_any() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "test_a.py",
        "test_b.py",
        "test_c.py",
        "test_d.py",
        "test_e.py",
        "test_f.py",
    ];
    test_files(dir.path(), &names);
    fs::write(
        dir.path().join("changed.txt"),
        "src/f.py\ntests/test_d.py\nREADME.md\n",
    )
    .unwrap();
    let base = ["split", "--tests", "tests/test_*.py", "--shards", "2"];
    let plain = pitcrew(&base, dir.path());
    assert!(plain.status.success(), "{}", stderr(&plain));
    let mut args = base.to_vec();
    args.extend(["--changed-first", "--changed-files", "changed.txt"]);
    let first = pitcrew(&args, dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let (before, after) = (items(&json(&plain)), items(&json(&first)));
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            sorted(b.clone()),
            sorted(a.clone()),
            "no item changes shard"
        );
    }
    assert_eq!(
        json(&plain)["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["estimated_seconds"].clone())
            .collect::<Vec<_>>(),
        json(&first)["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["estimated_seconds"].clone())
            .collect::<Vec<_>>(),
    );
    for shard in &after {
        let touched = |i: &String| i.ends_with("test_d.py") || i.ends_with("test_f.py");
        let firsts = shard.iter().take_while(|i| touched(i)).count();
        assert_eq!(
            firsts,
            shard.iter().filter(|i| touched(i)).count(),
            "{after:?}"
        );
    }
    let moved: Vec<&String> = after.iter().filter_map(|s| s.first()).collect();
    assert!(
        moved.iter().any(|i| i.ends_with("test_d.py"))
            && after.iter().flatten().any(|i| i.ends_with("test_f.py")),
        "{after:?}"
    );
    assert_ne!(before, after, "the order changed");

    // The flag needs --changed-first; a missing list is exit 2, one line.
    let lonely = pitcrew(
        &[
            "split",
            "--tests",
            "tests/*.py",
            "--changed-files",
            "changed.txt",
        ],
        dir.path(),
    );
    assert_eq!(lonely.status.code(), Some(2), "{}", stderr(&lonely));
    let mut missing = base.to_vec();
    missing.extend(["--changed-first", "--changed-files", "nope.txt"]);
    let missing = pitcrew(&missing, dir.path());
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(
        err.contains("--changed-files: nope.txt: cannot read it"),
        "{err}"
    );
}

#[test]
fn run_changed_first_runs_the_changed_tests_first() {
    if !has_pytest() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("tests")).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            dir.path().join(format!("tests/test_{name}.py")),
            format!(
                "def test_{name}():\n    with open('order.log', 'a') as f:\n        f.write('{name}\\n')\n"
            ),
        )
        .unwrap();
    }
    let plan = pitcrew(
        &[
            "split",
            "--tests",
            "tests/test_*.py",
            "--shards",
            "1",
            "--runner",
            "pytest",
            "-o",
            "plan.json",
        ],
        dir.path(),
    );
    assert!(plan.status.success(), "{}", stderr(&plan));
    fs::write(dir.path().join("changed.txt"), "lib/c.py\n").unwrap();
    let run = pitcrew(
        &[
            "run",
            "--shard",
            "1/1",
            "--plan",
            "plan.json",
            "--changed-first",
            "--changed-files",
            "changed.txt",
            "--",
            "python3",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let order = fs::read_to_string(dir.path().join("order.log")).unwrap();
    assert_eq!(order, "c\na\nb\n");
}
