//! Running the pitcrew binary and the real test runners from CLI tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs pitcrew in `dir` with no compilation cache and none of the GitHub
/// Actions files a CI host may have set (step summary, step outputs), nor
/// what would make `report` publish to the real GitHub (token, Actions).
pub fn pitcrew(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("PITCREW_LOG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .output()
        .expect("pitcrew runs")
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
    runner_available("node", "node", &["--version"])
}

pub fn has_pytest() -> bool {
    runner_available("pytest", "python3", &["-m", "pytest", "--version"])
}
