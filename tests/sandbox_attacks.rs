//! A second round of attacks on the sandbox, from outside, with plugins
//! written to break it (`tests/fixtures/plugins/breaker` and
//! `rude-classifier`): size bombs through every channel a plugin has, host
//! resources it can make the host hold, capabilities it must not have, and
//! classifier answers out of range, order and count. Each attack must end
//! contained: bounded time and host memory, one clear line, nothing
//! unescaped, and the plugin answering the next call.

mod common;

use std::time::{Duration, Instant};

use common::cli::pitcrew_bounded as cli;
use common::{answer, capture_logs, error_of, fixture, load_phase, runtime};
use pitcrew::host::{CallError, Limits, Plugin, Runtime, World, types};
use pitcrew::pipeline::{self, Slot};
use serde_json::{Value, json};

fn breaker(runtime: &Runtime, limits: Limits) -> Plugin {
    load_phase(runtime, pitcrew_fixtures::BREAKER, "breaker", limits)
}

fn hit(plugin: &Plugin, facts: Value) -> Result<String, CallError> {
    answer(plugin, "breaker", facts)
}

fn still_healthy(plugin: &Plugin) {
    assert_eq!(hit(plugin, json!({"do": "ok"})).unwrap(), "ok");
}

/// One line, short enough to read, nothing a terminal would act on.
fn assert_one_clear_line(err: &str, max: usize) {
    assert!(err.len() <= max, "{} bytes: {}…", err.len(), &err[..200]);
    assert!(
        !err.chars().any(pitcrew::escape::is_unsafe),
        "unescaped: {err:?}"
    );
}

#[test]
fn a_huge_error_message_is_cut_to_one_short_line() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    // 4 MiB of control characters: 24 MiB once escaped.
    let err = error_of(hit(&plugin, json!({"do": "error-bomb", "n": "4194304"})));
    assert!(
        err.starts_with("plugin breaker 0.1.0: run: returned an error (internal): \\u{1}\\u{1}"),
        "{}",
        &err[..200]
    );
    assert_one_clear_line(&err, 4096);
    still_healthy(&plugin);
}

#[test]
fn a_huge_panic_message_is_cut_to_one_short_line() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    let (result, _) = capture_logs(|| hit(&plugin, json!({"do": "panic-bomb", "n": "2000000"})));
    let err = error_of(result);
    assert!(
        err.starts_with("plugin breaker 0.1.0: run: crashed: "),
        "{}",
        &err[..200]
    );
    assert_one_clear_line(&err, 4096);
    still_healthy(&plugin);
}

/// The breaker as the one optional phase of a pipeline, owning 64 keys.
fn pipeline_with(plugin: Plugin) -> Vec<Slot<'static>> {
    vec![Slot {
        name: "breaker".into(),
        owns: plugin.phase.as_ref().expect("a phase").owns.clone(),
        after: Vec::new(),
        required: false,
        phase: Ok(Box::new(plugin)),
        promises: Vec::new(),
    }]
}

#[test]
fn a_failing_optional_phase_cannot_blow_up_the_document() {
    let runtime = runtime();
    for facts in [
        json!({"do": "error-bomb", "n": "4194304"}),
        json!({"do": "undeclared", "n": "300000"}),
    ] {
        let slots = pipeline_with(breaker(&runtime, Limits::default()));
        let (outcome, _) = capture_logs(|| pipeline::run(&slots, &facts).expect("optional"));
        let document = serde_json::to_string(&outcome.document).unwrap();
        assert_eq!(outcome.document.len(), 64, "every owned key is unavailable");
        assert!(
            document.len() < 64 * 8192,
            "{facts}: the document is {} bytes",
            document.len()
        );
        let warning = &outcome.checks[0].message;
        assert_one_clear_line(warning, 8192);
    }
}

#[test]
fn a_flood_of_empty_lines_is_cut_to_the_line_budget() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    // 1 MiB of newlines on stdout and on stderr: two million log lines.
    let (result, logs) = capture_logs(|| hit(&plugin, json!({"do": "newlines", "n": "1048576"})));
    assert_eq!(result.unwrap(), "printed");
    let lines = logs.lines().count();
    assert!(lines <= 2 * 2000 + 10, "{lines} log lines");
    assert!(
        logs.contains("lines dropped"),
        "{}",
        &logs[logs.len().saturating_sub(400)..]
    );
}

/// Round 61: the per-call budget bounds one call, but a router is called
/// once per failure. All calls of one loaded plugin together stop at the
/// run's budget, with one notice.
#[test]
fn many_calls_of_a_chatty_plugin_stay_within_the_runs_output_budget() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    let (_, logs) = capture_logs(|| {
        for _ in 0..8 {
            let printed = hit(&plugin, json!({"do": "newlines", "n": "4000"}));
            assert_eq!(printed.unwrap(), "printed");
        }
    });
    // 8 calls of 2 × 2,000 lines, plus each call's notes, against 10,000.
    let lines = logs.lines().count();
    assert!((10_000..=10_010).contains(&lines), "{lines} log lines");
    assert_eq!(logs.matches("output budget of 10000 lines").count(), 1);
}

#[test]
fn leaked_host_resources_are_bounded() {
    let runtime = runtime();
    let limits = Limits {
        cpu_time: Duration::from_secs(20),
        ..Limits::default()
    };
    let plugin = breaker(&runtime, limits);
    for attack in ["pollables", "streams"] {
        let started = Instant::now();
        let (result, _) = capture_logs(|| hit(&plugin, json!({"do": attack, "n": "3000000"})));
        let err = error_of(result);
        assert!(
            err.starts_with("plugin breaker 0.1.0: run: exceeded its ")
                && err.contains("host resources"),
            "{attack}: {err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{attack}: {:?}",
            started.elapsed()
        );
        still_healthy(&plugin);
    }
    // A few are fine.
    assert_eq!(
        hit(&plugin, json!({"do": "pollables", "n": "100"})).unwrap(),
        "leaked"
    );
}

/// WASI's default let one call make the host generate 64 MiB (and take
/// seconds doing it, past the time limit, which only wasm code checks).
#[test]
fn random_bytes_are_bounded_per_call() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    assert_eq!(
        hit(&plugin, json!({"do": "random", "n": "4096"})).unwrap(),
        "got 4096 random bytes"
    );
    for n in ["67108864", "4000000000"] {
        let started = Instant::now();
        let err = error_of(hit(&plugin, json!({"do": "random", "n": n})));
        assert_eq!(
            err,
            format!("plugin breaker 0.1.0: run: crashed: requested len {n} exceeds limit 1048576"),
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{n}: {:?}",
            started.elapsed()
        );
    }
    still_healthy(&plugin);
}

#[test]
fn a_tight_loop_of_host_calls_hits_the_cpu_limit() {
    let runtime = runtime();
    let plugin = breaker(
        &runtime,
        // On wall time: the healthy call after it fits in it too.
        Limits {
            cpu_time: Duration::from_millis(800),
            ..Limits::default()
        },
    );
    let started = Instant::now();
    let err = error_of(hit(&plugin, json!({"do": "log-loop"})));
    assert_eq!(
        err,
        "plugin breaker 0.1.0: run: exceeded its 800 ms CPU limit (`cpu_time_ms`)"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    still_healthy(&plugin);
}

#[test]
fn one_huge_memory_grow_is_the_memory_limit() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    let err = error_of(hit(&plugin, json!({"do": "grow", "n": "65535"})));
    assert_eq!(
        err,
        "plugin breaker 0.1.0: run: exceeded its 64 MiB memory limit (`memory_mib`)"
    );
    // One page more is fine: the answer is the old size in pages.
    let grew = hit(&plugin, json!({"do": "grow", "n": "1"})).unwrap();
    let pages: u32 = grew.strip_prefix("grew: ").unwrap().parse().unwrap();
    assert!(pages > 0 && pages < 1024, "{grew}");
    still_healthy(&plugin);
}

#[test]
fn deep_json_is_a_contract_error_not_a_host_stack_overflow() {
    let runtime = runtime();
    let slots = pipeline_with(breaker(&runtime, Limits::default()));
    let facts = json!({"do": "deep-json", "n": "100000"});
    let (outcome, _) = capture_logs(|| pipeline::run(&slots, &facts).expect("optional"));
    let warning = &outcome.checks[0].message;
    // Refused on the text, before serde_json's recursion limit is reached.
    assert!(
        warning.contains("returned keys nested 100001 deep (at most 32)"),
        "{warning}"
    );
    assert_one_clear_line(warning, 8192);
}

/// 16 MB of `[],[],…` (within the 16 MiB output limit) parsed into five
/// million values: a 430 MiB host peak, handed on to every later phase.
#[test]
fn json_with_millions_of_values_is_refused_before_parsing() {
    let runtime = runtime();
    let slots = pipeline_with(breaker(&runtime, Limits::default()));
    let facts = json!({"do": "wide-json", "n": "16000000"});
    let (outcome, _) = capture_logs(|| pipeline::run(&slots, &facts).expect("optional"));
    let warning = &outcome.checks[0].message;
    assert!(
        warning.ends_with(
            "broke the contract: returned keys of 10666665 JSON values, an object counting 6 (at most 1000000)"
        ),
        "{warning}"
    );
    // A hundred thousand are fine, within what the optional phases may
    // add together (see `pipeline::MAX_OPTIONAL_VALUES`).
    let facts = json!({"do": "wide-json", "n": "300000"});
    let (outcome, _) = capture_logs(|| pipeline::run(&slots, &facts).expect("optional"));
    assert!(outcome.checks.is_empty(), "{:?}", outcome.checks);
    assert_eq!(
        outcome.document["breaker"].as_array().map(Vec::len),
        Some(99_996)
    );
}

#[test]
fn names_sockets_and_udp_are_refused() {
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    for attack in ["resolve", "udp"] {
        let answer = hit(&plugin, json!({"do": attack})).unwrap();
        assert!(answer.starts_with("denied: "), "{attack}: {answer}");
    }
}

#[test]
fn secrets_and_private_files_are_out_of_reach() {
    // SAFETY: only this test reads it, through the plugin it must not reach.
    unsafe { std::env::set_var("GITHUB_TOKEN", "ghp_attacktoken") };
    let runtime = runtime();
    let plugin = breaker(&runtime, Limits::default());
    let answer = hit(&plugin, json!({"do": "env"})).unwrap();
    assert_eq!(answer, "vars=0 token=None ");
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for path in [
        "/proc/self/environ".to_string(),
        "/proc/1/cmdline".to_string(),
        format!("{home}/.ssh/id_rsa"),
        format!("{home}/.gitconfig"),
        "/dev/zero".to_string(),
    ] {
        let answer = hit(&plugin, json!({"do": "read", "path": path})).unwrap();
        assert!(answer.starts_with("denied: "), "{path}: {answer}");
    }
}

// ---- the classifier's answers ----

fn rude_classifier(runtime: &Runtime) -> Plugin {
    Plugin::load(
        runtime,
        &fixture(pitcrew_fixtures::RUDE_CLASSIFIER),
        "classifier",
        Some(World::Classifier),
    )
    .expect("rude classifier loads")
}

fn batch(mode: &str) -> Vec<types::Failure> {
    (0..3)
        .map(|i| types::Failure {
            id: i.to_string(),
            test_name: format!("t{i}"),
            file: None,
            message: if i == 0 { mode.into() } else { "x".into() },
            details: String::new(),
        })
        .collect()
}

fn classify_err(plugin: &Plugin, mode: &str) -> String {
    match pitcrew::triage::classify::classify_all(plugin, &batch(mode)) {
        Ok(answer) => panic!("{mode}: accepted {answer:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_classifier_answering_out_of_count_breaks_the_contract() {
    let runtime = runtime();
    let plugin = rude_classifier(&runtime);
    assert_eq!(
        classify_err(&plugin, "fewer"),
        "plugin rude-classifier 0.1.0: classify: broke the contract: returned 2 classifications for 3 failures"
    );
    assert_eq!(
        classify_err(&plugin, "more"),
        "plugin rude-classifier 0.1.0: classify: broke the contract: returned 4 classifications for 3 failures"
    );
    assert_eq!(
        pitcrew::triage::classify::classify_all(&plugin, &batch("fine"))
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_classifier_answering_out_of_order_breaks_the_contract() {
    let runtime = runtime();
    let plugin = rude_classifier(&runtime);
    for mode in ["reversed", "wrong-id"] {
        let err = classify_err(&plugin, mode);
        assert!(
            err.starts_with(
                "plugin rude-classifier 0.1.0: classify: broke the contract: answered id `"
            ),
            "{mode}: {err}"
        );
    }
}

#[test]
fn a_confidence_outside_0_to_1_breaks_the_contract() {
    let runtime = runtime();
    let plugin = rude_classifier(&runtime);
    for (mode, shown) in [
        ("nan", "NaN"),
        ("negative", "-0.5"),
        ("huge", "7"),
        ("infinite", "inf"),
    ] {
        assert_eq!(
            classify_err(&plugin, mode),
            format!(
                "plugin rude-classifier 0.1.0: classify: broke the contract: returned a confidence of {shown} for failure `0` (it must be from 0 to 1)"
            ),
        );
    }
}

#[test]
fn an_enum_value_out_of_range_is_one_clear_line() {
    let runtime = runtime();
    let plugin = rude_classifier(&runtime);
    let err = classify_err(&plugin, "enum");
    assert!(
        err.starts_with("plugin rude-classifier 0.1.0: classify: crashed: "),
        "{err}"
    );
    assert_one_clear_line(&err, 512);
}

/// `pitcrew plan` with an optional slot filled by a plugin that returns
/// 100,000 checks: before, every later phase was handed them all and ran
/// past its time limit, the required `pre-flight` too (exit 3, no plan).
#[test]
fn a_flood_of_checks_from_an_optional_phase_leaves_the_plan_standing() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/training/healthy");
    copy_dir(&example, dir.path());
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[phases.strategy]\nsource = {:?}\n",
            pitcrew_fixtures::MANY_CHECKS
        ),
    )
    .unwrap();
    let output = common::cli::pitcrew(&["plan", "spec.toml", "--format", "json"], dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    assert!(
        stderr.contains("phase `strategy` unavailable: plugin breaker 0.1.0: run: broke the contract: returned 100000 checks (at most 1000)"),
        "{stderr}"
    );
    let plan: Value = serde_json::from_slice(&output.stdout).expect("a plan");
    assert!(
        plan["pre_flight_checklist"]["checks"].is_array(),
        "{plan:#}"
    );
    assert!(
        output.stdout.len() < 1 << 20,
        "{} bytes of plan",
        output.stdout.len()
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

// ---- the command line, on hostile files and directories ----

#[cfg(unix)]
#[test]
fn plugin_check_on_hostile_files_is_one_line_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // 2 GiB, sparse: refused by its size, never read.
    let huge = std::fs::File::create(path("huge.wasm")).unwrap();
    huge.set_len(2 << 30).unwrap();
    std::os::unix::fs::symlink("/dev/zero", path("zero.wasm")).unwrap();
    std::fs::create_dir(path("dir.wasm")).unwrap();
    std::fs::write(path("text.wasm"), "#!/bin/sh\necho not wasm\n").unwrap();
    for (file, expected) in [
        (
            "huge.wasm",
            "cannot read it: larger than 256 MiB, more than any plugin",
        ),
        ("zero.wasm", "cannot read it: not a regular file (a device)"),
        (
            "dir.wasm",
            "cannot read it: not a regular file (a directory)",
        ),
        (
            "text.wasm",
            "not a WebAssembly component pitcrew can load: ",
        ),
    ] {
        let started = Instant::now();
        let (code, _, stderr) = cli(&["plugin", "check", &path(file)], dir.path(), &[]);
        assert_eq!(code, 2, "{file}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {}: {expected}", path(file))),
            "{file}: {stderr}"
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{file}");
    }
}

/// `classify FILE` used to read any path to its end: a FIFO fed for ever,
/// or `/dev/zero`, until the host ran out of memory. A named file must be
/// a regular file (refused at once otherwise), and standard input is read
/// up to a bound.
#[cfg(unix)]
#[test]
fn classify_reads_regular_files_only_and_bounded_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("failures.jsonl");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success(), "mkfifo");
    let fifo = fifo.to_str().unwrap().to_string();
    // A writer that writes for ever, once anything opens the FIFO.
    let mut writer = std::process::Command::new("sh")
        .args([
            "-c",
            &format!("yes '{{\"test_name\":\"t\",\"message\":\"m\"}}' > '{fifo}'"),
        ])
        .spawn()
        .unwrap();
    for (file, expected) in [
        (fifo.as_str(), "not a regular file (a FIFO)"),
        ("/dev/zero", "not a regular file (a device)"),
    ] {
        let started = Instant::now();
        let (code, stdout, stderr) = cli(&["classify", file, "--no-route"], dir.path(), &[]);
        assert_eq!(code, 2, "{file}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("error: {file}: cannot read it: {expected}")
        );
        assert!(stdout.is_empty(), "{stdout}");
        assert!(started.elapsed() < Duration::from_secs(30), "{file}");
    }
    writer.kill().ok();
    writer.wait().ok();

    let started = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(["classify", "-", "--no-route"])
        .current_dir(dir.path())
        .env("PITCREW_NO_CACHE", "1")
        .env_remove("PITCREW_LOG")
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    // Killed rather than left to fill the machine's memory, should the
    // bound ever go.
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("classify read standard input without a bound");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: standard input: cannot read it: larger than 256 MiB"
    );
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// A repository's pitcrew.toml may name a file whose name carries a
/// terminal escape and a GitHub workflow command on a line of its own.
#[cfg(unix)]
#[test]
fn a_plugin_path_with_escapes_is_escaped_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let name = "p\u{1b}[2J\n::error::forged.wasm";
    std::fs::write(dir.path().join(name), "not wasm").unwrap();
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        "[phases.summary]\nsource = \"p\\u001b[2J\\n::error::forged.wasm\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = cli(&["plugin", "list"], dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    for text in [&stdout, &stderr] {
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(!text.lines().any(|l| l.starts_with("::")), "{text:?}");
    }
    assert!(
        stdout.contains("p\\u{1b}[2J\\n::error::forged.wasm"),
        "{stdout}"
    );
}

/// The cache directory a symlink, or its entry replaced by a FIFO or a
/// symlink to /dev/zero: not used, never a hang, and the plugins still
/// load.
#[cfg(unix)]
#[test]
fn a_hostile_cache_directory_is_not_used_and_never_hangs() {
    let (work, cache, key) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let key_file = key.path().join("cache.key");
    let real = cache.path().join("real");
    let link = cache.path().join("link");
    std::fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let key_env = ("PITCREW_CACHE_KEY", key_file.to_str().unwrap());
    let (code, stdout, stderr) = cli(
        &["plugin", "list"],
        work.path(),
        &[
            ("PITCREW_NO_CACHE", ""),
            ("PITCREW_CACHE_DIR", link.to_str().unwrap()),
            key_env,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("classifier-default"), "{stdout}");
    assert!(
        stderr.contains("not using the compilation cache"),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(&real).unwrap().next().is_none(),
        "nothing written through the link"
    );

    // A real cache, filled; then every entry swapped for a FIFO or a link.
    let env = [
        ("PITCREW_NO_CACHE", ""),
        ("PITCREW_CACHE_DIR", real.to_str().unwrap()),
        key_env,
    ];
    let (code, _, stderr) = cli(&["plugin", "list"], work.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    let version_dir = std::fs::read_dir(&real)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let entries: Vec<_> = std::fs::read_dir(&version_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(entries.len() >= 3, "{entries:?}");
    for (i, entry) in entries.iter().enumerate() {
        std::fs::remove_file(entry).unwrap();
        if i % 2 == 0 {
            let made = std::process::Command::new("mkfifo").arg(entry).status();
            assert!(made.unwrap().success(), "mkfifo");
        } else {
            std::os::unix::fs::symlink("/dev/zero", entry).unwrap();
        }
    }
    let (code, stdout, stderr) = cli(&["plugin", "list"], work.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("classifier-default"), "{stdout}");
}

/// `pitcrew classify --format table` with a classifier whose evidence
/// drives a terminal, and one whose confidence is NaN (exit 3, one line).
#[test]
fn classify_shows_a_rude_classifiers_answers_escaped_or_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[plugins.classifier]\nsource = {:?}\n",
            pitcrew_fixtures::RUDE_CLASSIFIER
        ),
    )
    .unwrap();
    let input = |message: &str| {
        let path = dir.path().join(format!("{message}.jsonl"));
        std::fs::write(
            &path,
            json!({"test_name": "t", "message": message}).to_string(),
        )
        .unwrap();
        path.to_str().unwrap().to_string()
    };
    let evidence = input("evidence");
    let (code, stdout, stderr) = cli(
        &["classify", &evidence, "--no-route", "--format", "table"],
        dir.path(),
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("evidence: \\u{1b}[2J\\r\\n::error::forged\\u{202e}"),
        "{stdout}"
    );
    assert!(!stdout.contains(['\u{1b}', '\r', '\u{202e}']), "{stdout:?}");
    // JSON lines: escaped in the bytes, the same text once parsed.
    let (code, stdout, stderr) = cli(&["classify", &evidence, "--no-route"], dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains(['\u{1b}', '\r', '\u{202e}']), "{stdout:?}");
    let line: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(
        line.to_string().contains("::error::forged\u{202e}"),
        "{line}"
    );
    // Evidence is cut: 8 MiB of it had put 48 MB on standard output.
    let long = input("long-evidence");
    let (code, stdout, stderr) = cli(&["classify", &long, "--no-route"], dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.len() < 16 * 1024, "{} bytes", stdout.len());
    let nan = input("nan");
    let (code, stdout, stderr) = cli(&["classify", &nan, "--no-route"], dir.path(), &[]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("returned a confidence of NaN"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

/// A measurement, not a guard (there is no compile-time limit to assert):
/// a component wrapping one core module of `PROBE_F` functions of
/// `PROBE_N` bytes of `i32.const 0; drop` each, compiled once; prints the
/// time and the process's peak RSS. Run by hand:
/// `PROBE_N=7000000 PROBE_F=4 cargo test --test sandbox_attacks
/// probe_compile_bomb -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn probe_compile_bomb() {
    let var = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let module = bomb_module(var("PROBE_N", 7_000_000), var("PROBE_F", 1));
    let mut component = b"\0asm\x0d\x00\x01\x00".to_vec();
    component.push(1); // a core module section
    leb(module.len() as u32, &mut component);
    component.extend(module);
    let started = Instant::now();
    let result = runtime().compile_bytes("bomb", &component).map(drop);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("");
    eprintln!(
        "{} bytes: {:?} in {:?}, {peak}",
        component.len(),
        result.err().map(|e| e.to_string()),
        started.elapsed()
    );
}

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

/// A core module of `funcs` functions `[] -> []`, each a body of about
/// `body_bytes` bytes.
fn bomb_module(body_bytes: usize, funcs: usize) -> Vec<u8> {
    let section = |id: u8, body: Vec<u8>, out: &mut Vec<u8>| {
        out.push(id);
        leb(body.len() as u32, out);
        out.extend(body);
    };
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    section(1, vec![1, 0x60, 0, 0], &mut out);
    let mut declared = Vec::new();
    leb(funcs as u32, &mut declared);
    declared.extend(std::iter::repeat_n(0u8, funcs));
    section(3, declared, &mut out);
    let mut body = vec![0u8]; // no locals
    while body.len() + 3 < body_bytes {
        body.extend([0x41, 0x00, 0x1a]); // i32.const 0; drop
    }
    body.push(0x0b);
    let mut code = Vec::new();
    leb(funcs as u32, &mut code);
    for _ in 0..funcs {
        leb(body.len() as u32, &mut code);
        code.extend(&body);
    }
    section(10, code, &mut out);
    out
}
