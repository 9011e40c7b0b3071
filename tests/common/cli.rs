//! Running the pitcrew binary and the real test runners from CLI tests.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs pitcrew in `dir` with no compilation cache and none of the GitHub
/// Actions files a CI host may have set (step summary, step outputs), nor
/// what would make `report` publish to the real GitHub (token, Actions).
pub fn pitcrew(args: &[&str], dir: &Path) -> Output {
    command(dir).args(args).output().expect("pitcrew runs")
}

/// The pitcrew command [`pitcrew`] runs, to add arguments and variables to.
pub fn command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pitcrew"));
    command
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("PITCREW_LOG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN");
    command
}

/// A one-job matrix as CI runs it: `split --shards 1 -o plan.json`, then
/// `run --shard 1/1 --plan plan.json --retries 1`, each of `command`
/// (`-- PROGRAM ARGS…`) and each through `pitcrew` (which may set the
/// environment). The split must pass; the run's output is returned.
pub fn one_job_matrix(pitcrew: impl Fn(&[&str]) -> Output, command: &[&str]) -> Output {
    let split = pitcrew(&[&["split", "--shards", "1", "-o", "plan.json"][..], command].concat());
    assert_eq!(
        split.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&split.stderr)
    );
    let run = [
        "run",
        "--shard",
        "1/1",
        "--plan",
        "plan.json",
        "--retries",
        "1",
    ];
    pitcrew(&[&run[..], command].concat())
}

/// Runs pitcrew in `dir` as [`pitcrew`] does, with `env` added, killed
/// past 60 s (a hang is a failure): exit code, stdout, stderr.
pub fn pitcrew_bounded(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .envs(env.iter().copied())
        .env_remove("PITCREW_LOG")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pitcrew starts");
    let started = Instant::now();
    while child.try_wait().expect("pitcrew waits").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("pitcrew {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("pitcrew output");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `pitcrew plan` on the healthy training example with `config` as the
/// pitcrew.toml of a fresh directory, and `args` after the spec.
pub fn plan_with_config(config: &str, args: &[&str]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("pitcrew.toml"), config).expect("pitcrew.toml written");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/training/healthy/spec.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .arg("plan")
        .arg(spec)
        .args(args)
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("WORLD_SIZE")
        .output()
        .expect("pitcrew runs");
    (dir, output)
}

/// Whether a runner is installed; CI lists the ones it installs in
/// `PITCREW_REQUIRE_RUNNERS`, so a missing one fails there instead of
/// quietly skipping its tests.
pub fn runner_available(name: &str, program: &str, args: &[&str]) -> bool {
    let found = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    let required = std::env::var("PITCREW_REQUIRE_RUNNERS").unwrap_or_default();
    assert!(
        found || !required.split(',').any(|r| r == name),
        "{name} is required (PITCREW_REQUIRE_RUNNERS) but not available"
    );
    if !found {
        eprintln!("skipped: {name} is not installed");
    }
    found
}

pub fn has_node() -> bool {
    let found = runner_available("node", "node", &["--version"]);
    // CI runs the node tests once more under each newer node it installs,
    // and says which: a PATH that left the older one first fails here.
    if let Ok(major) = std::env::var("PITCREW_REQUIRE_NODE_MAJOR") {
        let version = Command::new("node")
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        assert!(
            version.starts_with(&format!("v{major}.")),
            "node {major} is required (PITCREW_REQUIRE_NODE_MAJOR) but `node` is {version:?}"
        );
    }
    found
}

/// The major version of the node on PATH (0 when it says none).
#[allow(dead_code)]
pub fn node_major() -> u32 {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            let version = String::from_utf8_lossy(&o.stdout).into_owned();
            let major = version.trim().trim_start_matches('v').split('.').next()?;
            major.parse().ok()
        })
        .unwrap_or(0)
}

/// Whether the node on PATH runs TypeScript files itself (type
/// stripping, on by default from Node 22.18).
#[allow(dead_code)]
pub fn node_strips_types() -> bool {
    Command::new("node")
        .args(["-p", "process.features.typescript"])
        .output()
        .is_ok_and(|o| {
            matches!(
                String::from_utf8_lossy(&o.stdout).trim(),
                "strip" | "transform"
            )
        })
}

/// Whether the node on PATH leaves single tests out by name
/// (`--test-skip-pattern`, Node ≥ 22).
#[allow(dead_code)]
pub fn node_skips_by_name() -> bool {
    let probe =
        "process.exit(process.allowedNodeEnvironmentFlags.has('--test-skip-pattern') ? 0 : 1)";
    Command::new("node")
        .args(["-e", probe])
        .status()
        .is_ok_and(|s| s.success())
}

pub fn has_pytest() -> bool {
    runner_available("pytest", "python3", &["-m", "pytest", "--version"])
}

/// pytest with the pytest-cov plugin (and coverage).
pub fn has_pytest_cov() -> bool {
    runner_available(
        "pytest-cov",
        "python3",
        &["-c", "import pytest_cov, coverage"],
    )
}

/// pytest with pytest-xdist (`-n`).
pub fn has_pytest_xdist() -> bool {
    runner_available("pytest-xdist", "python3", &["-c", "import xdist"])
}

/// Where pytest-randomly is installed apart (`pip install --target`, named
/// by `PITCREW_PYTEST_RANDOMLY`), to be put on `PYTHONPATH` by the tests
/// that want it: installed for all, it would shuffle every pytest test.
pub fn pytest_randomly() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("PITCREW_PYTEST_RANDOMLY").map(std::path::PathBuf::from)?;
    let found = Command::new("python3")
        .args(["-c", "import pytest_randomly"])
        .env("PYTHONPATH", &dir)
        .output()
        .is_ok_and(|o| o.status.success());
    found.then_some(dir)
}

/// Whether pytest-randomly is at hand ([`pytest_randomly`]); missing where
/// CI requires it (`PITCREW_REQUIRE_RUNNERS`), a failure.
pub fn has_pytest_randomly() -> bool {
    let found = pytest_randomly().is_some();
    let required = std::env::var("PITCREW_REQUIRE_RUNNERS").unwrap_or_default();
    assert!(
        found || !required.split(',').any(|r| r == "pytest-randomly"),
        "pytest-randomly is required (PITCREW_REQUIRE_RUNNERS) but PITCREW_PYTEST_RANDOMLY names no install of it"
    );
    found
}

/// pytest with pytest-rerunfailures (`--reruns`).
pub fn has_pytest_rerunfailures() -> bool {
    runner_available(
        "pytest-rerunfailures",
        "python3",
        &["-c", "import pytest_rerunfailures"],
    )
}

pub fn has_nextest() -> bool {
    runner_available("nextest", "cargo", &["nextest", "--version"])
}

pub fn has_go() -> bool {
    runner_available("go", "go", &["version"])
}
