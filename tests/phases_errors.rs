//! Errors that teach: a link error names the import the sandbox refused and
//! says what it grants; `-v` and `-vv` do what `--help` says; no colour
//! codes when stderr is not a terminal.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn pitcrew(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("PITCREW_LOG")
        .env_remove("WORLD_SIZE")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn healthy() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/training/healthy/spec.toml")
        .display()
        .to_string()
}

#[test]
fn a_link_error_names_the_missing_import_and_what_the_sandbox_grants() {
    let dir = tempfile::tempdir().unwrap();
    let output = pitcrew(
        &["plugin", "check", pitcrew_fixtures::NEEDS_HTTP],
        dir.path(),
    );
    let err = stderr(&output);
    assert_ne!(output.status.code(), Some(0), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("it imports instance `wasi:http/types@0.2."),
        "names the import: {err}"
    );
    assert!(
        err.contains("which the sandbox does not grant (resource implementation is missing)"),
        "{err}"
    );
    assert!(
        err.contains("plugins get only pitcrew:plugin/log and WASI 0.2"),
        "{err}"
    );

    // The same line when it is an added phase: an optional one degrades.
    fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[[plan.phases]]\nname = \"fetch\"\nsource = {:?}\n",
            pitcrew_fixtures::NEEDS_HTTP
        ),
    )
    .unwrap();
    let output = pitcrew(&["plan", &healthy()], dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("phase `fetch` unavailable:") && err.contains("`wasi:http/types@0.2."),
        "{err}"
    );
}

#[test]
fn verbose_is_debug_and_very_verbose_is_trace() {
    let dir = tempfile::tempdir().unwrap();
    let debug_line = "phase `pre-flight` ran in";
    let trace_line = "phase `pre-flight` wrote [pre_flight_checklist] and 8 check(s)";
    let quiet = stderr(&pitcrew(&["plan", &healthy()], dir.path()));
    assert!(!quiet.contains(debug_line), "{quiet}");
    let verbose = stderr(&pitcrew(&["-v", "plan", &healthy()], dir.path()));
    assert!(verbose.contains(debug_line), "{verbose}");
    assert!(!verbose.contains(trace_line), "{verbose}");
    let very = stderr(&pitcrew(&["plan", "-vv", &healthy()], dir.path()));
    assert!(
        very.contains(debug_line) && very.contains(trace_line),
        "{very}"
    );
    // Libraries stay quiet: only pitcrew's own lines (and warnings).
    assert!(
        very.lines()
            .all(|l| !l.contains("cranelift") && !l.contains("wasmtime::")),
        "{very}"
    );
}

#[test]
fn no_colour_codes_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("pitcrew.toml"),
        "[phases.strategy]\nenabled = false\n",
    )
    .unwrap();
    for args in [
        vec!["plan", "-vv", healthy().leak()],
        vec!["plan", "--no-such-flag"],
        vec!["report", "missing.xml"],
    ] {
        let output = pitcrew(&args, dir.path());
        let err = stderr(&output);
        assert!(!err.is_empty(), "{args:?} says something");
        assert!(!err.contains('\u{1b}'), "{args:?}: {err:?}");
    }
}
