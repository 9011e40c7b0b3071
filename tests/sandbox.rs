//! Hostile plugins are contained: each attack ends in one clear line (or in
//! a denial the plugin itself observed), the host survives, and the next
//! call to a healthy plugin works.

mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::{attack, capture_logs, error_of, fixture, hostile, runtime};
use pitcrew::host::limits::MIB;
use pitcrew::host::{Limits, LoadError, Plugin, World};
use serde_json::json;

/// After every attack, the same plugin still answers a healthy call.
fn still_healthy(plugin: &Plugin) {
    assert_eq!(attack(plugin, json!({"do": "ok"})).unwrap(), "ok");
}

#[test]
fn an_infinite_loop_hits_the_cpu_limit() {
    let runtime = runtime();
    // The limit is on wall time: the healthy call after the attack must
    // fit in it too, on a loaded machine.
    let limits = Limits {
        cpu_time: Duration::from_millis(800),
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    let err = error_of(attack(&plugin, json!({"do": "loop"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 800 ms CPU limit (`cpu_time_ms`)"
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
        "plugin hostile 0.1.0: run: exceeded its 64 MiB memory limit (`memory_mib`)"
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
        "plugin hostile 0.1.0: run: exceeded its 8 MiB memory limit (`memory_mib`)"
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
        "plugin hostile 0.1.0: run: exceeded its 64 MiB memory limit (`memory_mib`)"
    );

    // Given the memory, it builds it, and the output limit refuses it.
    // Building and copying 100 MiB takes a fraction of a second on an idle
    // machine, but ran past the 2 s default time limit on a core shared
    // with a dozen busy processes: the time limit is generous here so that
    // the output limit is what this asserts, whatever the load.
    let roomy = hostile(
        &runtime,
        Limits {
            memory_bytes: 512 * MIB,
            cpu_time: Duration::from_secs(120),
            ..Limits::default()
        },
    );
    let err = error_of(attack(&roomy, json!({"do": "big-return", "mib": "100"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 16 MiB output limit (`output_mib`)"
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
            .ends_with("built for pitcrew:plugin@9.0.0, which this pitcrew does not support (it supports pitcrew:plugin@0.1.0, pitcrew:plugin@0.2.0)"),
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
    // On wall time: the healthy calls between the attacks fit in it too.
    let limits = Limits {
        cpu_time: Duration::from_millis(800),
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

/// In the child: prints the process's peak RSS after `attack` ran.
#[cfg(target_os = "linux")]
fn report_peak(attack_fn: impl FnOnce() -> String) {
    let answer = attack_fn();
    println!("ANSWER={answer}");
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap()
        .trim()
        .trim_end_matches(" kB")
        .to_string();
    println!("PEAK_KIB={peak}");
}

/// Set in the child process of a peak-memory test.
#[cfg(target_os = "linux")]
fn is_child() -> bool {
    std::env::var_os("PITCREW_PEAK_CHILD").is_some()
}

#[test]
fn sleeping_past_the_deadline_ends_at_the_deadline() {
    let runtime = runtime();
    let limits = Limits {
        cpu_time: Duration::from_millis(500),
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    // 30 s, and a wait that would never end (u64::MAX nanoseconds).
    for secs in ["30", "18446744073"] {
        let started = std::time::Instant::now();
        let err = error_of(attack(&plugin, json!({"do": "sleep", "secs": secs})));
        assert_eq!(
            err,
            "plugin hostile 0.1.0: run: exceeded its 500 ms CPU limit (`cpu_time_ms`)"
        );
        // Refused at once; 10x slack for a loaded machine.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{secs} s: {:?}",
            started.elapsed()
        );
    }
    // A wait that ends before the deadline just sleeps.
    assert_eq!(attack(&plugin, json!({"do": "nap"})).unwrap(), "woke");
    still_healthy(&plugin);
}

#[test]
fn log_floods_are_cut_to_the_budget() {
    let runtime = runtime();
    let limits = Limits {
        memory_bytes: 256 * MIB,
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    // Four 8 MiB messages: the first is cut to 16 KiB, the log stays small.
    let started = std::time::Instant::now();
    let (result, logs) = capture_logs(|| {
        attack(
            &plugin,
            json!({"do": "log-flood", "mib": "8", "count": "4"}),
        )
    });
    assert_eq!(result.unwrap(), "logged");
    assert!(logs.len() < 512 * 1024, "{} bytes logged", logs.len());
    assert!(logs.contains("bytes cut)"), "{}", &logs[logs.len() - 300..]);
    // Filtered-out levels cost nothing but the call.
    let (result, logs) = capture_logs(|| {
        attack(
            &plugin,
            json!({"do": "log-flood", "mib": "8", "count": "50", "level": "trace"}),
        )
    });
    assert_eq!(result.unwrap(), "logged");
    assert!(!logs.contains("zzzz"), "trace is below the capture's DEBUG");
    // 100,000 lines: 1,000 reach the log, then one line says what was dropped.
    let (result, logs) = capture_logs(|| attack(&plugin, json!({"do": "log-lines"})));
    assert_eq!(result.unwrap(), "logged");
    assert_eq!(logs.lines().filter(|l| l.contains("] line ")).count(), 1000);
    assert!(
        logs.contains("log budget of 1000 messages and 256 KiB per call exceeded: 99000 messages"),
        "{}",
        &logs[logs.len() - 300..]
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    still_healthy(&plugin);
}

#[test]
fn a_log_message_beyond_the_output_limit_is_the_output_limit() {
    let runtime = runtime();
    let limits = Limits {
        memory_bytes: 256 * MIB,
        ..Limits::default()
    };
    let plugin = hostile(&runtime, limits);
    let err = error_of(attack(
        &plugin,
        json!({"do": "log-flood", "mib": "60", "count": "4"}),
    ));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its 16 MiB output limit (`output_mib`)"
    );
    still_healthy(&plugin);
}

/// The measurement: four 60 MB messages peaked at 857 MiB. Now the
/// host holds at most the plugin's own memory plus a bounded log.
#[cfg(target_os = "linux")]
#[test]
fn a_log_flood_keeps_the_host_peak_bounded() {
    if is_child() {
        let mode = std::env::var("PITCREW_PEAK_MODE").unwrap_or_default();
        return report_peak(|| {
            let runtime = runtime();
            let plugin = hostile(
                &runtime,
                Limits {
                    memory_bytes: 256 * MIB,
                    ..Limits::default()
                },
            );
            let facts = if mode == "flood" {
                json!({"do": "log-flood", "mib": "12", "count": "40"})
            } else {
                json!({"do": "log-flood", "mib": "12", "count": "1", "level": "trace"})
            };
            let (result, _) = capture_logs(|| attack(&plugin, facts));
            result.unwrap()
        });
    }
    let peak = |mode: &str| {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "a_log_flood_keeps_the_host_peak_bounded",
                "--exact",
                "--nocapture",
            ])
            .env("PITCREW_PEAK_CHILD", "1")
            .env("PITCREW_PEAK_MODE", mode)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(stdout.contains("ANSWER=logged"), "{stdout}");
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("PEAK_KIB="))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap()
    };
    // Baseline: the same plugin with the same 12 MiB message, logged once
    // at a filtered level. Forty of them at WARN (480 MiB of text) may add
    // at most the budget and noise.
    let quiet = peak("quiet");
    let flood = peak("flood");
    eprintln!("peak RSS: quiet {quiet} KiB, flood {flood} KiB");
    assert!(
        flood < quiet + 64 * 1024,
        "flood {flood} KiB vs quiet {quiet} KiB"
    );
}

#[test]
fn every_memory_and_table_counts_against_the_budget() {
    use pitcrew::host::limits::MemoryLimiter;
    use wasmtime::{Instance, Module, Store};
    let runtime = runtime();
    let engine = runtime.engine();
    let instantiate = |bytes: &[u8]| {
        let module = Module::new(engine, bytes).expect("valid module");
        let mut store = Store::new(engine, MemoryLimiter::new(64 * MIB));
        store.limiter(|limiter| limiter);
        let result = Instance::new(&mut store, &module, &[]).map(drop);
        (result, store.data().hit)
    };
    // Two memories of 40 MiB: each fits, together they do not.
    let (result, hit) = instantiate(&core_module(&[640, 640], &[]));
    assert!(result.is_err() && hit, "two 40 MiB memories refused");
    let (result, _) = instantiate(&core_module(&[640], &[]));
    assert!(result.is_ok(), "one 40 MiB memory fits");
    // Tables count at 8 bytes an element: 10 tables of a million elements
    // are 80 MiB.
    let (result, hit) = instantiate(&core_module(&[], &[1_000_000; 10]));
    assert!(result.is_err() && hit, "80 MiB of tables refused");
    // And the counts: 99 memories of one page are refused by number.
    let (result, _) = instantiate(&core_module(&[1; 99], &[]));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("memor"), "{err}");
}

/// A core module with memories of `pages` 64 KiB pages and funcref tables
/// of `elements`, in the binary format (wasmtime here has no text parser).
fn core_module(pages: &[u32], elements: &[u32]) -> Vec<u8> {
    fn leb(mut n: u32, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    fn section(id: u8, body: Vec<u8>, out: &mut Vec<u8>) {
        out.push(id);
        leb(body.len() as u32, out);
        out.extend(body);
    }
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    if !elements.is_empty() {
        let mut body = Vec::new();
        leb(elements.len() as u32, &mut body);
        for &n in elements {
            body.extend([0x70, 0x00]); // funcref, no maximum
            leb(n, &mut body);
        }
        section(4, body, &mut out);
    }
    if !pages.is_empty() {
        let mut body = Vec::new();
        leb(pages.len() as u32, &mut body);
        for &n in pages {
            body.push(0x00); // no maximum
            leb(n, &mut body);
        }
        section(5, body, &mut out);
    }
    out
}

#[test]
fn a_rude_description_is_a_contract_error_escaped_on_one_line() {
    let runtime = runtime();
    let err = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::RUDE_PHASE),
        "phases.rude",
        None,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(
        err.ends_with(
            "describe: broke the contract: returned an owned key with control or invisible characters: `k\\u{1b}[2J\\r\\n::error::forged`"
        ),
        "{err}"
    );
    assert!(!err.contains(['\n', '\r', '\u{1b}']), "{err:?}");

    let err = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::LONG_NAME),
        "phases.long",
        None,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(
        err.ends_with("describe: broke the contract: returned a name of 65536 bytes (at most 128)"),
        "{err}"
    );
    assert!(
        err.len() < 300,
        "the name is not repeated: {} bytes",
        err.len()
    );
    still_healthy(&hostile(&runtime, Limits::default()));
}

#[test]
fn a_router_naming_a_model_with_escapes_or_unbounded_limits_breaks_the_contract() {
    let runtime = runtime();
    let router = Plugin::load(
        &runtime,
        &fixture(pitcrew_fixtures::RUDE_ROUTER),
        "router",
        Some(World::Router),
    )
    .expect("its description is fine");
    let classifier = Plugin::load(
        &runtime,
        &pitcrew::host::PluginSpec::builtin("classifier-default"),
        "classifier",
        Some(World::Classifier),
    )
    .unwrap();
    // The rude router breaks the contract the way the message says.
    let refusal = |message: &str| {
        let failure = pitcrew::host::types::Failure {
            id: "1".into(),
            test_name: "t".into(),
            file: None,
            message: message.into(),
            details: String::new(),
        };
        let classification = classifier
            .classify(std::slice::from_ref(&failure))
            .unwrap()
            .remove(0);
        router
            .route(&pitcrew::host::types::RouteRequest {
                failure,
                classification,
                group_size: 1,
            })
            .unwrap_err()
            .to_string()
    };
    let broke = "plugin rude-router 0.1.0: route: broke the contract: returned";
    for (message, why) in [
        (
            "boom",
            "a model with control or invisible characters: `m\\u{1b}[31m\\r\\n::warning::forged`",
        ),
        ("fallbacks", "200000 fallback models (at most 16)"),
        ("nan", "a temperature of NaN (0 to 2)"),
        ("hot", "a temperature of 2.5 (0 to 2)"),
        ("zero", "max-tokens of 0 (1 to 1048576)"),
        ("huge", "max-tokens of 4294967295 (1 to 1048576)"),
        (
            "prompt",
            "prompts of 1048577 bytes (at most 1048576 with the system prompt)",
        ),
    ] {
        assert_eq!(refusal(message), format!("{broke} {why}"), "{message}");
    }
}

#[test]
fn a_commands_plugin_work_has_an_overall_deadline() {
    let runtime = runtime();
    let plugin = hostile(
        &runtime,
        Limits {
            cpu_time: Duration::from_secs(30),
            ..Limits::default()
        },
    );
    runtime.set_plugin_budget(Duration::from_millis(400));
    let started = std::time::Instant::now();
    let expected =
        "plugin hostile 0.1.0: run: exceeded its share of the command's 400 ms plugin-time budget";
    assert_eq!(error_of(attack(&plugin, json!({"do": "loop"}))), expected);
    // Spent: every further call is refused without running.
    assert_eq!(error_of(attack(&plugin, json!({"do": "ok"}))), expected);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(runtime.plugin_budget().used >= Duration::from_millis(400));

    // A wait past what is left of the budget is refused at once too.
    let runtime = common::runtime();
    let plugin = hostile(&runtime, Limits::default());
    runtime.set_plugin_budget(Duration::from_millis(1500));
    let err = error_of(attack(&plugin, json!({"do": "sleep", "secs": "30"})));
    assert_eq!(
        err,
        "plugin hostile 0.1.0: run: exceeded its share of the command's 1500 ms plugin-time budget"
    );
    // Another command (runtime) starts with a budget of its own.
    still_healthy(&hostile(&common::runtime(), Limits::default()));
}
