//! The built-in plugins load from the binary, answer through the contract,
//! and the loader's pins and cache behave.

mod common;

use std::fs;

use common::{fixture, runtime};
use pitcrew::hash::sha256_hex;
use pitcrew::host::{CacheSetting, LoadError, Plugin, PluginSpec, Runtime, World, types};
use pitcrew::pipeline::{self, Slot, Status};
use serde_json::json;
use sha2::Digest as _;

fn builtin(runtime: &Runtime, name: &str, world: World) -> Plugin {
    Plugin::load(runtime, &PluginSpec::builtin(name), name, Some(world)).expect("built-in loads")
}

fn failure(id: &str, file: Option<&str>, message: &str) -> types::Failure {
    types::Failure {
        id: id.into(),
        test_name: format!("test {id}"),
        file: file.map(Into::into),
        message: message.into(),
        details: String::new(),
    }
}

#[test]
fn every_builtin_describes_itself() {
    let runtime = runtime();
    for (name, world) in [
        ("classifier-default", World::Classifier),
        ("router-default", World::Router),
        ("summary", World::Phase),
    ] {
        let plugin = builtin(&runtime, name, world);
        assert_eq!(plugin.info.name, name);
        assert_eq!(plugin.info.version, "0.1.0");
        assert_eq!(plugin.world, world);
        assert_eq!(plugin.label(), format!("{name} 0.1.0"));
        assert_eq!(plugin.sha256.len(), 64);
    }
}

#[test]
fn an_unknown_builtin_names_the_available_ones() {
    let err = Plugin::load(&runtime(), &PluginSpec::builtin("nope"), "router", None)
        .err()
        .unwrap();
    assert!(matches!(err, LoadError::UnknownBuiltin { .. }));
    assert!(err.to_string().contains("classifier-default"), "{err}");
}

#[test]
fn the_builtin_classifier_and_router_answer_a_batch() {
    let runtime = runtime();
    let classifier = builtin(&runtime, "classifier-default", World::Classifier);
    let router = builtin(&runtime, "router-default", World::Router);
    let batch = vec![
        failure(
            "ts",
            Some("src/a.ts"),
            "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        ),
        failure(
            "py",
            Some("tests/test_a.py"),
            "AssertionError: assert 1 == 2",
        ),
    ];
    let classes = classifier.classify(&batch).unwrap();
    assert_eq!(classes.len(), 2);
    assert_eq!(classes[0].id, "ts");
    assert_eq!(classes[0].category, types::Category::Compile);
    assert_eq!(classes[0].specialty, types::Specialty::Typescript);
    assert_eq!(classes[1].category, types::Category::Assertion);
    assert_eq!(classes[1].language, types::Language::Python);

    let route = router
        .route(&types::RouteRequest {
            failure: batch[0].clone(),
            classification: classes[0].clone(),
            group_size: 1,
        })
        .unwrap();
    assert_eq!(route.model, "deepseek-coder:6.7b");
    assert!(!route.fallbacks.contains(&route.model));
    assert!(route.prompt.contains("TS2322"));
}

#[test]
fn a_router_error_comes_back_as_a_value() {
    let runtime = runtime();
    let classifier = builtin(&runtime, "classifier-default", World::Classifier);
    let router = builtin(&runtime, "router-default", World::Router);
    let f = failure("a", None, "boom");
    let mut class = classifier
        .classify(std::slice::from_ref(&f))
        .unwrap()
        .remove(0);
    class.id = "someone-else".into();
    let err = router
        .route(&types::RouteRequest {
            failure: f,
            classification: class,
            group_size: 1,
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("plugin router-default 0.1.0: route: returned an error (invalid input): "),
        "{err}"
    );
}

#[test]
fn a_sha256_pin_is_checked_before_loading() {
    let runtime = runtime();
    let bytes = fs::read(pitcrew_fixtures::HOSTILE).unwrap();
    let good = PluginSpec {
        sha256: Some(sha256_hex(&bytes).to_uppercase()),
        ..fixture(pitcrew_fixtures::HOSTILE)
    };
    assert!(Plugin::load(&runtime, &good, "phases.hostile", None).is_ok());

    let bad = PluginSpec {
        sha256: Some("0".repeat(64)),
        ..fixture(pitcrew_fixtures::HOSTILE)
    };
    let err = Plugin::load(&runtime, &bad, "phases.hostile", None)
        .err()
        .unwrap();
    assert!(matches!(err, LoadError::Sha256Mismatch { .. }));
    assert!(
        err.to_string().contains("sha256 mismatch: pinned 0000"),
        "{err}"
    );
}

#[test]
fn a_missing_file_or_garbage_is_a_load_error_naming_the_file() {
    let runtime = runtime();
    let err = Plugin::load(&runtime, &fixture("/nonexistent/x.wasm"), "router", None)
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/x.wasm: cannot read the plugin"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.wasm");
    fs::write(&junk, b"\0asm\x0d\0\x01\0garbage").unwrap();
    let err = Plugin::load(&runtime, &fixture(junk.to_str().unwrap()), "router", None)
        .err()
        .unwrap();
    assert!(matches!(err, LoadError::Compile { .. }), "{err}");
}

#[test]
fn the_cache_is_reused_and_survives_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let key = tempfile::tempdir().unwrap();
    let setting = CacheSetting::Keyed {
        dir: dir.path().to_path_buf(),
        key: key.path().join("cache.key"),
    };
    // First process: compiles and writes the entry.
    load_summary(&setting);
    let entries: Vec<_> = walk(dir.path());
    assert_eq!(entries.len(), 1, "one cache entry: {entries:?}");
    let entry = &entries[0];
    let written = fs::read(entry).unwrap();

    // Second process: loads from the cache, entry untouched.
    load_summary(&setting);
    assert_eq!(fs::read(entry).unwrap(), written);

    // Corrupt it: the next process recompiles and rewrites it.
    let mut corrupt = written.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0xff;
    fs::write(entry, &corrupt).unwrap();
    let plugin = load_summary(&setting);
    assert_eq!(plugin.info.name, "summary");
    assert_eq!(
        fs::read(entry).unwrap(),
        written,
        "rewritten after corruption"
    );

    // Truncated to nothing: same.
    fs::write(entry, b"").unwrap();
    load_summary(&setting);
    assert_eq!(fs::read(entry).unwrap(), written);
}

fn keyed(dir: &std::path::Path, key: &std::path::Path) -> CacheSetting {
    CacheSetting::Keyed {
        dir: dir.to_path_buf(),
        key: key.join("cache.key"),
    }
}

/// The summary phase loaded and linked (a plugin loaded from its recorded
/// description is only linked, and its cache entry read, when used).
fn load_summary(setting: &CacheSetting) -> Plugin {
    let plugin = Plugin::load(
        &Runtime::new(setting).unwrap(),
        &PluginSpec::builtin("summary"),
        "phases.summary",
        None,
    )
    .unwrap();
    plugin.link().unwrap();
    plugin
}

/// The attack of the issue: an entry replaced by other compiled code (here
/// the hostile fixture's, a valid artifact for this very engine) with its
/// checksum trailer recomputed. Loading it would run that code: the summary
/// slot would describe itself as `hostile`. It must be a miss instead.
#[test]
fn a_swapped_entry_with_a_recomputed_checksum_is_never_loaded() {
    let (dir, other, key) = (tempdir(), tempdir(), tempdir());
    let setting = keyed(dir.path(), key.path());
    load_summary(&setting);
    let entry = walk(dir.path()).remove(0);
    let genuine = fs::read(&entry).unwrap();

    // The hostile fixture, compiled into another cache by the same user.
    Plugin::load(
        &Runtime::new(&keyed(other.path(), key.path())).unwrap(),
        &fixture(pitcrew_fixtures::HOSTILE),
        "phases.hostile",
        None,
    )
    .unwrap();
    let hostile = fs::read(walk(other.path()).remove(0)).unwrap();
    let artifact = &hostile[..hostile.len() - 32];
    let mut forged = artifact.to_vec();
    forged.extend_from_slice(&sha2::Sha256::digest(artifact));
    fs::write(&entry, &forged).unwrap();

    let plugin = load_summary(&setting);
    assert_eq!(plugin.info.name, "summary", "the swapped code never ran");
    assert_eq!(
        fs::read(&entry).unwrap(),
        genuine,
        "recompiled and rewritten"
    );

    // Even with a valid tag of ours: it was made for another component.
    fs::write(&entry, &hostile).unwrap();
    assert_eq!(load_summary(&setting).info.name, "summary");
}

#[test]
fn an_entry_from_another_users_cache_is_a_miss() {
    let (dir, mine, theirs) = (tempdir(), tempdir(), tempdir());
    load_summary(&keyed(dir.path(), theirs.path()));
    let entry = walk(dir.path()).remove(0);
    let theirs_bytes = fs::read(&entry).unwrap();
    let plugin = load_summary(&keyed(dir.path(), mine.path()));
    assert_eq!(plugin.info.name, "summary");
    let mine_bytes = fs::read(&entry).unwrap();
    assert_ne!(mine_bytes, theirs_bytes, "rewritten under my key");
    // The artifacts agree; only the tags differ.
    assert_eq!(
        mine_bytes[..mine_bytes.len() - 32],
        theirs_bytes[..theirs_bytes.len() - 32]
    );
}

#[cfg(unix)]
#[test]
fn a_cache_directory_others_can_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, key) = (tempdir(), tempdir());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let (plugin, logs) = common::capture_logs(|| load_summary(&keyed(dir.path(), key.path())));
    assert_eq!(plugin.info.name, "summary", "compiled in memory");
    assert!(walk(dir.path()).is_empty(), "nothing written there");
    assert!(
        logs.contains("not using the compilation cache: cache directory")
            && logs.contains("is writable by group or others"),
        "{logs}"
    );
}

#[test]
fn a_key_inside_the_cache_directory_is_refused() {
    let dir = tempdir();
    let setting = CacheSetting::Keyed {
        dir: dir.path().to_path_buf(),
        key: dir.path().join("cache.key"),
    };
    let (plugin, logs) = common::capture_logs(|| load_summary(&setting));
    assert_eq!(plugin.info.name, "summary");
    assert!(walk(dir.path()).is_empty(), "{logs}");
    assert!(logs.contains("lies inside the cache directory"), "{logs}");
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The compiled entries of a cache (not its identity and describe records).
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|ext| ext == "cwasm") {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_pipeline_of_wasm_phases_merges_keys_checks_and_degrades() {
    let runtime = runtime();
    let hostile = common::hostile(&runtime, Default::default());
    let summary = builtin(&runtime, "summary", World::Phase);
    let decl = |p: &Plugin| p.phase.clone().unwrap();
    let slots = vec![
        Slot {
            name: "hostile".into(),
            owns: decl(&hostile).owns,
            after: decl(&hostile).after,
            required: false,
            phase: Ok(Box::new(hostile)),
            promises: Vec::new(),
        },
        Slot {
            name: "summary".into(),
            owns: decl(&summary).owns,
            after: vec!["hostile".into()],
            required: true,
            phase: Ok(Box::new(summary)),
            promises: Vec::new(),
        },
    ];

    // The hostile phase writes a key it did not declare: rejected, degraded.
    let outcome = pipeline::run(&slots, &json!({"do": "undeclared"})).unwrap();
    assert_eq!(outcome.document["hostile"]["status"], "unavailable");
    assert!(
        outcome.document["hostile"]["reason"]
            .as_str()
            .unwrap()
            .contains("undeclared key(s) `other`"),
        "{:?}",
        outcome.document
    );
    assert!(!outcome.document.contains_key("other"));
    // The summary phase saw the warning check and counted it.
    assert_eq!(outcome.document["summary"]["warn"], 1);
    assert_eq!(outcome.checks.len(), 1);
    assert_eq!(outcome.checks[0].status, Status::Warn);

    // A trap in an optional phase degrades too; the run goes on.
    let outcome = pipeline::run(&slots, &json!({"do": "panic"})).unwrap();
    assert!(
        outcome.document["hostile"]["reason"]
            .as_str()
            .unwrap()
            .contains("crashed")
    );
    assert_eq!(outcome.document["summary"]["status"], "warn");

    // And a healthy run writes both keys.
    let outcome = pipeline::run(&slots, &json!({"do": "ok"})).unwrap();
    assert_eq!(outcome.document["hostile"], "ok");
    assert_eq!(outcome.document["summary"]["checks"], 0);
    assert!(!outcome.blocked());
}

/// The binary, run from `dir` without the cache, killed if it outlives
/// `deadline` (a hang is a failure, not a stuck test run).
fn pitcrew_cli(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    pitcrew_cli_with(args, dir, &[("PITCREW_NO_CACHE", "1")])
}

fn pitcrew_cli_with(
    args: &[&str],
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_pitcrew"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("PITCREW_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("pitcrew {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn plugin_list_survives_a_65536_character_name() {
    let dir = tempdir();
    fs::write(
        dir.path().join("pitcrew.toml"),
        format!(
            "[phases.summary]\nsource = {:?}\n",
            pitcrew_fixtures::LONG_NAME
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = pitcrew_cli(&["plugin", "list"], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout
            .contains("describe: broke the contract: returned a name of 65536 bytes (at most 128)"),
        "{stdout}"
    );
    // The healthy slots are still listed.
    assert!(stdout.contains("classifier-default    0.1.0"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn plugin_check_reads_regular_files_only() {
    let dir = tempdir();
    let fifo = dir.path().join("plugin.wasm");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success(), "mkfifo");
    let started = std::time::Instant::now();
    let fifo_arg = fifo.to_str().unwrap();
    let (code, _, stderr) = pitcrew_cli(&["plugin", "check", fifo_arg], dir.path());
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        format!("error: {fifo_arg}: cannot read it: not a regular file (a FIFO)")
    );
    let (code, _, stderr) = pitcrew_cli(&["plugin", "check", "/dev/zero"], dir.path());
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: /dev/zero: cannot read it: not a regular file (a device)"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // The same for a plugin named in pitcrew.toml... which must be a file
    // to begin with; and a healthy check still works.
    let (code, stdout, _) =
        pitcrew_cli(&["plugin", "check", pitcrew_fixtures::HOSTILE], dir.path());
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn plugin_check_names_the_imports_the_sandbox_refuses() {
    let dir = tempdir();
    let (code, stdout, _) =
        pitcrew_cli(&["plugin", "check", pitcrew_fixtures::HOSTILE], dir.path());
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "verdict:  ok, this pitcrew can load it, but the sandbox will refuse what it imports for files (wasi:filesystem) and network (wasi:sockets)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  wasi:sockets/tcp@0.2.6  (refused at run time: network (wasi:sockets))"),
        "{stdout}"
    );
    let (_, json_out, _) = pitcrew_cli(
        &[
            "plugin",
            "check",
            pitcrew_fixtures::HOSTILE,
            "--format",
            "json",
        ],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_str(&json_out).unwrap();
    let denied = report["denied"].as_array().unwrap();
    assert!(
        denied.iter().any(|d| d["import"]
            .as_str()
            .unwrap()
            .starts_with("wasi:sockets/tcp@")),
        "{json_out}"
    );
}

#[test]
fn plugin_check_prints_a_rude_description_escaped_on_one_line() {
    let dir = tempdir();
    let (code, stdout, stderr) = pitcrew_cli(
        &["plugin", "check", pitcrew_fixtures::RUDE_PHASE],
        dir.path(),
    );
    assert_eq!(code, 2, "{stdout}");
    let line = stderr.trim_end();
    assert!(
        !line.contains('\n') && !line.contains('\r') && !line.contains('\u{1b}'),
        "{line:?}"
    );
    assert!(
        line.ends_with(
            "describe: broke the contract: returned an owned key with control or invisible characters: `k\\u{1b}[2J\\r\\n::error::forged`"
        ),
        "{line}"
    );
    for text in [&stdout, &stderr] {
        assert!(
            !text.lines().any(|l| l.starts_with("::")),
            "no workflow command at a line start: {text}"
        );
    }
}

/// The reproduction through the binary: `plugin list` with a cache
/// whose `summary` entry was replaced by other compiled code and a
/// recomputed checksum. The list still shows `summary`, and the entry is
/// rewritten: a miss, not an execution.
#[test]
fn plugin_list_treats_a_forged_cache_entry_as_a_miss() {
    let (work, cache, key) = (tempdir(), tempdir(), tempdir());
    let key_file = key.path().join("cache.key");
    let env = [
        ("PITCREW_CACHE_DIR", cache.path().to_str().unwrap()),
        ("PITCREW_CACHE_KEY", key_file.to_str().unwrap()),
    ];
    let (code, _, stderr) = pitcrew_cli_with(&["plugin", "list"], work.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    let summary_sha = {
        let (_, json_out, _) =
            pitcrew_cli_with(&["plugin", "list", "--format", "json"], work.path(), &env);
        let rows: serde_json::Value = serde_json::from_str(&json_out).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "summary")
            .unwrap()["sha256"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let entries = walk(cache.path());
    let entry = entries
        .iter()
        .find(|p| p.ends_with(format!("{summary_sha}.cwasm")))
        .unwrap();
    let strategy = entries.iter().find(|p| *p != entry).unwrap();
    let genuine = fs::read(entry).unwrap();
    let other = fs::read(strategy).unwrap();
    let artifact = &other[..other.len() - 32];
    let mut forged = artifact.to_vec();
    forged.extend_from_slice(&sha2::Sha256::digest(artifact));
    fs::write(entry, &forged).unwrap();

    // `plugin list` now shows described plugins from their records without
    // touching their entries: it runs no compiled code at all.
    let (code, stdout, stderr) = pitcrew_cli_with(&["plugin", "list"], work.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("phases.summary               summary "),
        "{stdout}"
    );
    assert_eq!(fs::read(entry).unwrap(), forged, "not even read");

    // Without the records, it loads the entries: the forged one is a miss.
    for entry in walkdir::WalkDir::new(cache.path()).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "describe") {
            fs::remove_file(entry.path()).unwrap();
        }
    }
    let (code, stdout, stderr) = pitcrew_cli_with(&["plugin", "list"], work.path(), &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("phases.summary               summary "),
        "{stdout}"
    );
    assert!(stderr.contains("is not authentic"), "{stderr}");
    assert_eq!(
        fs::read(entry).unwrap(),
        genuine,
        "recompiled and rewritten"
    );
}
