//! Hostile plugins are contained: each attack ends in one clear line (or in
//! a denial the plugin itself observed), the host survives, and the next
//! call to a healthy plugin works.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::{attack, capture_logs, fixture, hostile, runtime};
use pitcrew::host::limits::MIB;
use pitcrew::host::{CallError, Limits, LoadError, Plugin, World};
use serde_json::json;

fn error_of(result: Result<String, CallError>) -> String {
    match result {
        Ok(answer) => panic!("expected the call to fail, the plugin answered {answer:?}"),
        Err(err) => err.to_string(),
    }
}

/// After every attack, the same plugin still answers a healthy call.
fn still_healthy(plugin: &Plugin) {
    assert_eq!(attack(plugin, json!({"do": "ok"})).unwrap(), "ok");
}

#[test]
fn an_infinite_loop_hits_the_cpu_limit() {
    let runtime = runtime();
    let limits = Limits {
        cpu_time: Duration::from_millis(300),
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    let err = error_of(attack(&plugin, json!({"do": "loop"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 300 ms CPU limit"
    );
    still_healthy(&plugin);
}

#[test]
fn a_memory_bomb_hits_the_memory_limit() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let err = error_of(attack(&plugin, json!({"do": "memory"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 64 MiB memory limit"
    );
    still_healthy(&plugin);

    let small = hostile(
        &runtime,
        Limits {
            memory_bytes: 8 * MIB,
            ..Limits::default()
        },
    );
    let err = error_of(attack(&small, json!({"do": "memory"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 8 MiB memory limit"
    );
}

#[test]
fn deep_recursion_hits_the_stack_limit() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let err = error_of(attack(&plugin, json!({"do": "recurse"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 1 MiB stack limit"
    );
    still_healthy(&plugin);
}

#[test]
fn deep_recursion_with_big_frames_overflows_the_plugins_own_stack() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let err = error_of(attack(&plugin, json!({"do": "recurse-big"})));
    assert!(
        err.starts_with("plugin hostile 0.1.0: run: crashed: wasm trap: out of bounds memory access (in Rust and C plugins usually deep recursion"),
        "{err}"
    );
    still_healthy(&plugin);
}

#[test]
fn a_panic_is_a_crash_with_the_panic_message() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let (result, logs) = capture_logs(|| attack(&plugin, json!({"do": "panic"})));
    let err = error_of(result);
    assert!(
        err.starts_with("plugin hostile 0.1.0: run: crashed: "),
        "{err}"
    );
    assert!(err.contains("boom: the plugin gave up"), "{err}");
    assert!(!err.contains('\n'), "one line: {err}");
    assert!(
        logs.contains("[hostile 0.1.0]"),
        "stderr is logged with the plugin's name: {logs}"
    );
    still_healthy(&plugin);
}

#[test]
fn a_100_mb_return_value_is_refused() {
    let runtime = runtime();
    // With the default limits the plugin cannot even build it.
    let plugin = hostile(&runtime, Limits::default());
    let err = error_of(attack(&plugin, json!({"do": "big-return", "mib": "100"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 64 MiB memory limit"
    );

    // Given the memory, it builds it, and the output limit refuses it.
    let roomy = hostile(
        &runtime,
        Limits {
            memory_bytes: 512 * MIB,
            ..Limits::default()
        },
    );
    let err = error_of(attack(&roomy, json!({"do": "big-return", "mib": "100"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 16 MiB output limit"
    );
    still_healthy(&roomy);
}

#[test]
fn the_file_system_is_not_there() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    for path in [
        "/etc/passwd",
        "../Cargo.toml",
        "Cargo.toml",
        "./src/main.rs",
    ] {
        let answer = attack(&plugin, json!({"do": "read", "path": path})).unwrap();
        assert!(answer.starts_with("denied: "), "{path}: {answer}");
    }
    for path in [".", "..", "/"] {
        let answer = attack(&plugin, json!({"do": "list", "path": path})).unwrap();
        assert!(answer.starts_with("denied: "), "{path}: {answer}");
    }
}

#[test]
fn the_environment_and_arguments_are_empty() {
    // SAFETY: set before any plugin runs in this test binary's thread; the
    // value only has to exist somewhere in the host's environment.
    unsafe { std::env::set_var("PITCREW_TEST_SECRET", "hunter2") };
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let answer = attack(&plugin, json!({"do": "env"})).unwrap();
    assert_eq!(answer.trim(), "vars=0 args=0");
}

#[test]
fn sockets_are_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let answer = attack(&plugin, json!({"do": "socket", "addr": addr})).unwrap();
    assert!(answer.starts_with("denied: "), "{answer}");
    assert!(
        listener.accept().is_err(),
        "nothing connected to the host's listener"
    );
}

#[test]
fn stdin_is_closed() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let answer = attack(&plugin, json!({"do": "stdin"})).unwrap();
    assert!(
        answer == "stdin gave 0 bytes" || answer.starts_with("denied"),
        "{answer}"
    );
}

#[test]
fn flooding_stdout_is_truncated_in_the_log() {
    let runtime = runtime();
    // 4 MiB through WASI's stdout takes a while on a loaded machine; this
    // test is about the truncation, not the CPU limit.
    let limits = Limits {
        cpu_time: Duration::from_secs(30),
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    let (result, logs) = capture_logs(|| attack(&plugin, json!({"do": "flood"})));
    assert_eq!(result.unwrap(), "flooded");
    assert!(
        logs.contains("[hostile 0.1.0] stdout truncated: 3145728 bytes dropped past 1048576"),
        "{}",
        &logs[logs.len().saturating_sub(300)..]
    );
    let kept = logs
        .lines()
        .filter(|l| l.contains("[hostile 0.1.0] yyy"))
        .count();
    assert_eq!(
        kept, 1024,
        "exactly the first MiB (1024 lines of 1 KiB) reaches the log"
    );
}

#[test]
fn plugin_output_is_logged_prefixed_and_escaped() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let (result, logs) = capture_logs(|| attack(&plugin, json!({"do": "log"})));
    assert_eq!(result.unwrap(), "logged");
    assert!(
        logs.contains("[hostile 0.1.0] line one\\nFORGED: line two \\u{1b}[2J"),
        "log import escaped: {logs}"
    );
    assert!(
        logs.contains("[hostile 0.1.0] to stdout\\u{7}"),
        "stdout escaped: {logs}"
    );
    assert!(
        logs.contains("[hostile 0.1.0] to stderr"),
        "stderr logged: {logs}"
    );
    assert!(!logs.contains('\u{1b}'), "no raw escape reaches the log");
    for line in logs.lines() {
        assert!(!line.starts_with("FORGED"), "no forged line: {logs}");
    }
}

#[test]
fn an_error_value_is_reported_escaped() {
    let runtime = runtime();
    let plugin = hostile(&runtime, Limits::default());
    let err = error_of(attack(&plugin, json!({"do": "error"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: returned an error (invalid input): no\\nforged line\\u{1b}[31m"
    );
}

#[test]
fn a_component_of_another_world_is_refused() {
    let runtime = runtime();
    let err = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::WRONG_WORLD),
        "classifier",
        None,
    )
    .err()
    .expect("refused");
    assert!(matches!(err, LoadError::NotAPlugin { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("not a pitcrew plugin: it exports [greet]"),
        "{err}"
    );
}

#[test]
fn a_component_for_another_contract_version_is_refused() {
    let runtime = runtime();
    let err = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::FUTURE_MAJOR),
        "classifier",
        None,
    )
    .err()
    .expect("refused");
    assert!(
        err.to_string()
            .ends_with("built for pitcrew:plugin@9.0.0, which this pitcrew does not support (it supports pitcrew:plugin@0.1.0)"),
        "{err}"
    );
}

#[test]
fn a_plugin_in_the_wrong_slot_is_refused() {
    let runtime = runtime();
    let err = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::HOSTILE),
        "classifier",
        Some(World::Classifier),
    )
    .err()
    .expect("refused");
    assert!(
        err.to_string().ends_with(
            "implements the phase world, but the `classifier` slot needs a classifier plugin"
        ),
        "{err}"
    );
}

#[test]
fn every_attack_in_a_row_leaves_the_host_and_other_plugins_working() {
    let runtime = runtime();
    let limits = Limits {
        cpu_time: Duration::from_millis(200),
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    let classifier = Plugin::load(
        &runtime,
        &pitcrew::host::PluginSpec::builtin("classifier-default"),
        "classifier",
        Some(World::Classifier),
    )
    .unwrap();
    capture_logs(|| {
        for attack_name in ["loop", "memory", "recurse", "recurse-big", "panic", "error"] {
            assert!(
                attack(&plugin, json!({"do": attack_name})).is_err(),
                "{attack_name}"
            );
            still_healthy(&plugin);
            let failure = pitcrew::host::types::Failure {
                id: "1".into(),
                test_name: "t".into(),
                file: None,
                message: "AssertionError: expected 1 to equal 2".into(),
                details: String::new(),
            };
            assert_eq!(classifier.classify(&[failure]).unwrap().len(), 1);
        }
    });
}
