//! `pitcrew plugin new` for each of the 9 world × language combinations:
//! the project is written, built with its own one command and the real
//! toolchain (cargo for wasm32-wasip2, componentize-py, componentize-js),
//! passes its own test, and the component it built passes `plugin check`
//! and answers `plugin run` as its `test/expected.json` says.
//!
//! A missing toolchain skips its tests, unless `PITCREW_REQUIRE_RUNNERS`
//! names it (CI installs and names both componentize tools).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli::runner_available;
use serde_json::Value;

const PITCREW: &str = env!("CARGO_BIN_EXE_pitcrew");

/// pitcrew in `dir`, with a compilation cache of the test's own (shared by
/// the project's test script): an 18 MB Python component is compiled once,
/// not at every call.
fn pitcrew_cmd(args: &[&str], dir: &Path) -> Command {
    let mut cmd = Command::new(PITCREW);
    cmd.args(args)
        .current_dir(dir)
        .env("PITCREW_CACHE_DIR", dir.join(".pitcrew-test-cache"))
        .env("PITCREW_CACHE_KEY", dir.join(".pitcrew-test-key/cache.key"))
        .env_remove("PITCREW_NO_CACHE")
        .env_remove("PITCREW_LOG");
    cmd
}

fn pitcrew(args: &[&str], dir: &Path) -> std::process::Output {
    pitcrew_cmd(args, dir).output().expect("pitcrew runs")
}

fn run_ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Scaffolds `world` in `lang`, returns the project directory.
fn scaffold(work: &Path, world: &str, lang: &str) -> PathBuf {
    let name = format!("my-{world}");
    let out = pitcrew(
        &["plugin", "new", "--world", world, "--lang", lang, &name],
        work,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    work.join(name)
}

/// Whether every field of `expected` is in `actual`, recursively.
fn contains(actual: &Value, expected: &Value) -> bool {
    match expected {
        Value::Object(fields) => fields
            .iter()
            .all(|(k, v)| actual.get(k).is_some_and(|a| contains(a, v))),
        Value::Array(items) => actual.as_array().is_some_and(|a| {
            a.len() == items.len() && a.iter().zip(items).all(|(a, e)| contains(a, e))
        }),
        _ => actual == expected,
    }
}

/// `plugin check` loads it as the right world; `plugin run` on the
/// project's input gives what its expected file says.
fn check_and_run(project: &Path, wasm: &Path, world: &str) {
    let wasm = wasm.to_str().unwrap();
    let out = pitcrew(&["plugin", "check", wasm, "--format", "json"], project);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "{report}");
    assert_eq!(report["world"], world);
    assert_eq!(report["loadable"], true);
    let input = project.join("test/input.json");
    let out = pitcrew(
        &["plugin", "run", wasm, "--input", input.to_str().unwrap()],
        project,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("test/expected.json")).unwrap())
            .unwrap();
    assert!(
        contains(&report["answer"], &expected),
        "{report} lacks {expected}"
    );
}

fn rust(world: &str) {
    let work = tempfile::tempdir().unwrap();
    let project = scaffold(work.path(), world, "rust");
    // A target dir per project: the three run in parallel, and in one shared
    // dir a project's doctest found its SDK rlib replaced by another
    // project's build. Offline: everything comes from the local registry.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("plugin_new_rust_{world}"));
    let cargo = || {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTFLAGS");
        cmd
    };
    run_ok(
        cargo().args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--offline",
        ]),
        "cargo build",
    );
    run_ok(cargo().args(["test", "--offline"]), "cargo test");
    let wasm = target.join(format!("wasm32-wasip2/release/my_{world}.wasm"));
    check_and_run(&project, &wasm, world);
}

fn python(world: &str) {
    if !runner_available("componentize-py", "componentize-py", &["--version"]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let project = scaffold(work.path(), world, "python");
    run_ok(
        Command::new("componentize-py").current_dir(&project).args([
            "-d",
            "wit",
            "-w",
            world,
            "componentize",
            "app",
            "-o",
            "plugin.wasm",
        ]),
        "componentize-py",
    );
    run_ok(
        Command::new("python3")
            .current_dir(&project)
            .arg("test_plugin.py")
            .env("PITCREW", PITCREW)
            .env("PITCREW_CACHE_DIR", project.join(".pitcrew-test-cache"))
            .env(
                "PITCREW_CACHE_KEY",
                project.join(".pitcrew-test-key/cache.key"),
            ),
        "python3 test_plugin.py",
    );
    check_and_run(&project, &project.join("plugin.wasm"), world);
}

fn js(world: &str) {
    if !runner_available("componentize-js", "componentize-js", &["--version"]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let project = scaffold(work.path(), world, "js");
    // `npm run build` finds componentize-js on PATH (CI installs it pinned,
    // as the project's package.json does).
    run_ok(
        Command::new("npm")
            .current_dir(&project)
            .args(["run", "--silent", "build"]),
        "npm run build",
    );
    run_ok(
        Command::new("npm")
            .current_dir(&project)
            .args(["test", "--silent"])
            .env("PITCREW", PITCREW)
            .env("PITCREW_CACHE_DIR", project.join(".pitcrew-test-cache"))
            .env(
                "PITCREW_CACHE_KEY",
                project.join(".pitcrew-test-key/cache.key"),
            ),
        "npm test",
    );
    check_and_run(&project, &project.join("plugin.wasm"), world);
}

#[test]
fn rust_phase() {
    rust("phase");
}

#[test]
fn rust_classifier() {
    rust("classifier");
}

#[test]
fn rust_router() {
    rust("router");
}

#[test]
fn python_phase() {
    python("phase");
}

#[test]
fn python_classifier() {
    python("classifier");
}

#[test]
fn python_router() {
    python("router");
}

#[test]
fn js_phase() {
    js("phase");
}

#[test]
fn js_classifier() {
    js("classifier");
}

#[test]
fn js_router() {
    js("router");
}

#[test]
fn a_bad_name_or_an_existing_directory_is_refused_with_nothing_written() {
    let work = tempfile::tempdir().unwrap();
    let out = pitcrew(
        &[
            "plugin", "new", "--world", "phase", "--lang", "rust", "Bad Name",
        ],
        work.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a plugin name"));
    std::fs::create_dir(work.path().join("taken")).unwrap();
    let out = pitcrew(
        &["plugin", "new", "--world", "phase", "--lang", "js", "taken"],
        work.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken: already exists"));
    let entries: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing else written");
}
