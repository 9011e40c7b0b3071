//! Shared by the integration tests: a runtime, the fixture plugins, and a
//! log capture.

#![allow(dead_code)]

pub mod cli;
pub mod fix_repo;
pub mod git;
pub mod github_server;
pub mod openai_server;

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pitcrew::host::{
    CacheSetting, CallError, Limits, Plugin, PluginSpec, Runtime, Source, World, types,
};
use serde_json::Value;

pub fn runtime() -> Runtime {
    Runtime::new(&CacheSetting::Disabled).expect("runtime starts")
}

pub fn fixture(path: &str) -> PluginSpec {
    PluginSpec {
        source: Source::File(PathBuf::from(path)),
        sha256: None,
        limits: Limits::default(),
        config: None,
    }
}

/// Loads the phase fixture at `path` as `phases.NAME` with `limits`.
pub fn load_phase(runtime: &Runtime, path: &str, name: &str, limits: Limits) -> Plugin {
    let spec = PluginSpec {
        limits,
        ..fixture(path)
    };
    Plugin::load(
        runtime,
        &spec,
        &format!("phases.{name}"),
        Some(World::Phase),
    )
    .unwrap_or_else(|e| panic!("fixture {name} loads: {e}"))
}

/// Runs a fixture phase with `facts`; the answer is what it wrote under
/// `key` (the fixtures answer under their own name).
pub fn answer(plugin: &Plugin, key: &str, facts: Value) -> Result<String, CallError> {
    let input = types::PhaseInput {
        facts: facts.to_string(),
        document: "{}".into(),
        checks: Vec::new(),
    };
    let output = plugin.run_phase(&input)?;
    let keys: Value = serde_json::from_str(&output.keys).expect("the fixture returns JSON");
    Ok(keys[key]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| keys[key].to_string()))
}

/// The error of a call that must fail.
pub fn error_of(result: Result<String, CallError>) -> String {
    match result {
        Ok(answer) => panic!("expected the call to fail, the plugin answered {answer:?}"),
        Err(err) => err.to_string(),
    }
}

pub fn hostile(runtime: &Runtime, limits: Limits) -> Plugin {
    load_phase(runtime, pitcrew_fixtures::HOSTILE, "hostile", limits)
}

/// Runs the hostile phase with `facts`.
pub fn attack(plugin: &Plugin, facts: Value) -> Result<String, CallError> {
    answer(plugin, "hostile", facts)
}

/// Collects everything logged through `tracing` while `f` runs.
pub fn capture_logs<R>(f: impl FnOnce() -> R) -> (R, String) {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let result = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    (result, text)
}

#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
